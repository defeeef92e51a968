import Foundation

/// `metrics.jsonl`: one JSON object per finished epoch (see the README for the fields).
struct MetricsLog {
    /// The file, or `nil` when the run writes nothing.
    let path: String?

    /// Removes the log (a fresh run starts a fresh log).
    func remove() throws(TrainingError) {
        guard let path, FileManager.default.fileExists(atPath: path) else { return }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw .invalidConfiguration("cannot replace the old \(path): \(error.localizedDescription)")
        }
    }

    /// Rewrites the log to hold exactly the complete lines of epochs 1…`completedEpochs`: lines of later epochs (a
    /// partial epoch logged when `maximumSteps` stopped the run mid-epoch, which the resumed run logs again in full)
    /// and any torn line of an interrupted write are dropped, so the log keeps one line per epoch.
    func keepEpochs(through completedEpochs: Int) throws(TrainingError) {
        guard let path, let data = FileManager.default.contents(atPath: path) else { return }
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        // A last line without its newline was cut off mid-write.
        let complete = text.hasSuffix("\n") ? lines : lines.dropLast()
        let kept = complete.filter { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let epoch = (object["epoch"] as? NSNumber)?.intValue
            else { return false }
            return epoch <= completedEpochs
        }
        let rewritten = kept.map { $0 + "\n" }.joined()
        guard rewritten != text else { return }
        do {
            try Data(rewritten.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .checkpoint("could not rewrite \(path): \(error.localizedDescription)")
        }
    }

    /// Appends the line of `report`.
    func append(_ report: EpochReport) throws(TrainingError) {
        guard let path else { return }
        var object: [String: Any] = [
            "epoch": report.epoch, "train_loss": report.trainLoss, "train_accuracy": report.trainAccuracy,
            "learning_rate": report.learningRate, "samples_per_second": report.samplesPerSecond,
            "elapsed_seconds": report.elapsedSeconds,
        ]
        if let test = report.test {
            object["test_error"] = test.error
            object["test_accuracy"] = test.accuracy
            object["test_nll"] = test.negativeLogLikelihood
        }
        if let regression = report.regressionTest {
            object["test_mse"] = regression.meanSquaredError
            object["test_rmse"] = regression.rootMeanSquaredError
        }
        for (key, value) in report.extra { object[key] = value }
        do {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            if !FileManager.default.fileExists(atPath: path) {
                _ = FileManager.default.createFile(atPath: path, contents: nil)
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: data + Data("\n".utf8))
        } catch {
            throw .checkpoint("could not append to \(path): \(error.localizedDescription)")
        }
    }
}
