import Foundation

/// Run and sweep folders written the way `mixup run` writes them, for the report tests.
enum ReportFixtures {
    /// A fresh empty folder under the temporary directory.
    static func temporaryDirectory(_ label: String = #function) -> String {
        let name = "mixupkit-report-tests-\(label.filter { $0.isLetter || $0.isNumber })-\(UUID().uuidString)"
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent(name)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// A `metrics.jsonl` line as the trainer writes it.
    static func line(epoch: Int, loss: Double, accuracy: Double, testError: Double?, nll: Double?) -> String {
        var text =
            "{\"elapsed_seconds\":\(Double(epoch) * 1.5),\"epoch\":\(epoch),\"learning_rate\":0.01,"
            + "\"samples_per_second\":1000,\"train_accuracy\":\(accuracy),\"train_loss\":\(loss)"
        if let testError, let nll {
            text += ",\"test_accuracy\":\(1 - testError),\"test_error\":\(testError),\"test_nll\":\(nll)"
        }
        return text + "}\n"
    }

    /// A safetensors file with no tensors and `metadata` in its header.
    static func checkpoint(metadata: [String: String]) throws -> Data {
        let header = try JSONSerialization.data(withJSONObject: ["__metadata__": metadata], options: [.sortedKeys])
        var length = UInt64(header.count).littleEndian
        return Data(bytes: &length, count: 8) + header
    }

    /// The metrics of one strategy: `epochs` lines whose values fall with `offset` added.
    static func metrics(epochs: Int, offset: Double) -> String {
        (1...epochs).map { epoch in
            let e = Double(epoch)
            return line(
                epoch: epoch, loss: 1.2 / e + offset, accuracy: 0.6 + 0.05 * e - offset,
                testError: 0.4 / e + offset, nll: 0.9 / e + 2 * offset)
        }.joined()
    }

    /// A comparison run folder: two strategies in sub-folders, a summary naming `recipe`, a run-info record, a
    /// decision-boundary SVG with an XML prologue and a script that must not survive.
    static func comparisonRun(in root: String, recipe: String = "spirals", seed: Int = 0, epochs: Int = 4) throws {
        for (index, strategy) in ["erm", "manifold-mixup"].enumerated() {
            let folder = (root as NSString).appendingPathComponent(strategy)
            try write(
                metrics(epochs: epochs, offset: 0.02 * Double(index) + 0.001 * Double(seed)),
                to: (folder as NSString).appendingPathComponent("metrics.jsonl"))
            try checkpoint(metadata: [
                "recipe": recipe, "strategy": strategy, "seed": String(seed), "epoch": String(epochs),
            ]).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent("checkpoint.safetensors")))
        }
        let escapedRecipe = recipe.replacingOccurrences(of: "\"", with: "\\\"")
        try write(
            "{\"epochs\":\(epochs),\"output\":\"\(root)\",\"recipe\":\"\(escapedRecipe)\","
                + "\"results\":[{\"strategy\":\"erm\"},{\"strategy\":\"manifold-mixup\"}],\"seed\":\(seed),"
                + "\"strategy\":\"erm+manifold-mixup\",\"test_error\":0.1,\"test_nll\":0.3}\n",
            to: (root as NSString).appendingPathComponent("summary.json"))
        try write(
            "{\"commit\":\"0123456789abcdef0123456789abcdef01234567\",\"libraryVersion\":\"0.1.0-dev\","
                + "\"options\":[{\"name\":\"epochs\",\"value\":\"\(epochs)\"},{\"name\":\"seed\",\"value\":\"\(seed)\"},"
                + "{\"name\":\"alpha\",\"value\":\"default\"}]}\n",
            to: (root as NSString).appendingPathComponent("run-info.json"))
        try write(
            "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\">"
                + "<script>alert(1)</script><rect width=\"40\" height=\"20\" fill=\"#2166ac\"/></svg>\n",
            to: (root as NSString).appendingPathComponent("decision_boundaries.svg"))
    }
}
