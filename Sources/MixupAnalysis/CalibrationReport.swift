import Foundation

/// How well a classifier's confidence matches its accuracy (Guo et al. 2017, "On Calibration of Modern Neural
/// Networks"; the over-confidence Verma et al. 2019 show Manifold Mixup reduces, Fig. 1 d/e and Table 1 NLL).
///
/// - ECE: confidences (the top probability) fall into `binCount` equal-width bins (m − 1)/M < c ≤ m/M;
///   ECE = Σ_m (n_m / n)·|accuracy_m − confidence_m|.
/// - Adaptive ECE: the same sum over `binCount` equal-mass bins (samples sorted by confidence, bin sizes differ by at
///   most one).
/// - MCE: the largest |accuracy_m − confidence_m| over the non-empty equal-width bins.
/// - Brier score: the mean over samples of Σ_k (p_k − 1[k = y])² (the multi-class form, in [0, 2]).
/// - NLL: the mean of −log p_y.
public struct CalibrationReport: Codable, Sendable, Equatable {
    /// One equal-width confidence bin.
    public struct Bin: Codable, Sendable, Equatable {
        /// The bin's lower edge (exclusive, except 0).
        public let lower: Double
        /// The bin's upper edge (inclusive).
        public let upper: Double
        /// Samples whose confidence falls in the bin.
        public let count: Int
        /// Their mean confidence (0 for an empty bin).
        public let meanConfidence: Double
        /// Their accuracy (0 for an empty bin).
        public let accuracy: Double
    }

    /// The number of samples.
    public let count: Int
    /// Fraction classified correctly.
    public let accuracy: Double
    /// Expected calibration error with equal-width bins.
    public let expectedCalibrationError: Double
    /// Expected calibration error with equal-mass bins.
    public let adaptiveCalibrationError: Double
    /// Maximum calibration error over the non-empty equal-width bins.
    public let maximumCalibrationError: Double
    /// The multi-class Brier score.
    public let brierScore: Double
    /// The mean negative log-likelihood of the true class.
    public let negativeLogLikelihood: Double
    /// Mean top-class confidence.
    public let meanConfidence: Double
    /// The equal-width bins (reliability diagram and confidence histogram).
    public let bins: [Bin]

    /// Measures calibration from class probabilities.
    ///
    /// - Parameters:
    ///   - probabilities: one row per sample, each a distribution over the classes.
    ///   - labels: the true class of each sample.
    ///   - binCount: the number of bins (15 in Guo et al. 2017).
    /// - Throws: ``AnalysisError`` for an empty input, ragged rows, a label outside the classes, a probability
    ///   outside [0, 1] or not finite, or `binCount` < 1.
    public init(probabilities: [[Double]], labels: [Int], binCount: Int = 15) throws(AnalysisError) {
        for (index, row) in probabilities.enumerated() {
            if let bad = row.first(where: { !($0 >= 0 && $0 <= 1) }) {
                throw .invalidData("calibration: probability \(bad) in row \(index) is not in [0, 1]")
            }
        }
        try self.init(
            probabilities: probabilities, labels: labels,
            logLikelihoods: zip(probabilities, labels).map { row, label in
                label >= 0 && label < row.count ? Foundation.log(row[label]) : 0
            }, binCount: binCount)
    }

    /// Measures calibration of `predictions` with logits divided by `temperature` (1: the model as trained).
    ///
    /// - Throws: ``AnalysisError/invalidSetting(name:value:expected:)`` for a temperature that is not positive and
    ///   finite, or `binCount` < 1.
    public init(predictions: ModelPredictions, temperature: Double = 1, binCount: Int = 15) throws(AnalysisError) {
        guard temperature > 0, temperature.isFinite else {
            throw .invalidSetting(name: "temperature", value: "\(temperature)", expected: "a positive finite number")
        }
        var probabilities: [[Double]] = []
        var logLikelihoods: [Double] = []
        for index in 0..<predictions.count {
            let logs = predictions.logProbabilities(row: index, temperature: temperature)
            probabilities.append(logs.map { Foundation.exp($0) })
            logLikelihoods.append(logs[predictions.labels[index]])
        }
        try self.init(
            probabilities: probabilities, labels: predictions.labels, logLikelihoods: logLikelihoods,
            binCount: binCount)
    }

    init(probabilities: [[Double]], labels: [Int], logLikelihoods: [Double], binCount: Int) throws(AnalysisError) {
        guard binCount >= 1 else {
            throw .invalidSetting(name: "binCount", value: "\(binCount)", expected: "at least 1")
        }
        guard !probabilities.isEmpty, probabilities.count == labels.count else {
            throw .invalidData(
                "calibration: \(probabilities.count) probability rows for \(labels.count) labels (need at least one)")
        }
        let classCount = probabilities[0].count
        for (index, row) in probabilities.enumerated() {
            guard row.count == classCount else {
                throw .invalidData("calibration: row \(index) has \(row.count) classes, row 0 has \(classCount)")
            }
            guard labels[index] >= 0 && labels[index] < classCount else {
                throw .invalidData("calibration: label \(labels[index]) at index \(index) is not in 0..<\(classCount)")
            }
        }
        let n = labels.count
        var confidences = [Double](repeating: 0, count: n)
        var correct = [Bool](repeating: false, count: n)
        var brier = 0.0
        for (index, row) in probabilities.enumerated() {
            var best = 0
            for k in 1..<max(classCount, 1) where row[k] > row[best] { best = k }
            confidences[index] = row[best]
            correct[index] = best == labels[index]
            for k in 0..<classCount {
                let target = k == labels[index] ? 1.0 : 0.0
                brier += (row[k] - target) * (row[k] - target)
            }
        }
        // Equal-width bins: (m − 1)/M < c ≤ m/M, with c = 0 in the first bin.
        var sums = [(count: Int, confidence: Double, correct: Int)](repeating: (0, 0, 0), count: binCount)
        for index in 0..<n {
            let bin = min(binCount - 1, max(0, Int((confidences[index] * Double(binCount)).rounded(.up)) - 1))
            sums[bin].count += 1
            sums[bin].confidence += confidences[index]
            sums[bin].correct += correct[index] ? 1 : 0
        }
        var ece = 0.0
        var mce = 0.0
        var bins: [Bin] = []
        for (m, sum) in sums.enumerated() {
            let meanConfidence = sum.count > 0 ? sum.confidence / Double(sum.count) : 0
            let binAccuracy = sum.count > 0 ? Double(sum.correct) / Double(sum.count) : 0
            if sum.count > 0 {
                let gap = Swift.abs(binAccuracy - meanConfidence)
                ece += Double(sum.count) / Double(n) * gap
                mce = Swift.max(mce, gap)
            }
            bins.append(
                Bin(
                    lower: Double(m) / Double(binCount), upper: Double(m + 1) / Double(binCount), count: sum.count,
                    meanConfidence: meanConfidence, accuracy: binAccuracy))
        }
        // Equal-mass bins over the confidence order.
        let order = (0..<n).sorted { confidences[$0] < confidences[$1] }
        var adaptive = 0.0
        for m in 0..<binCount {
            let slice = order[(m * n / binCount)..<((m + 1) * n / binCount)]
            guard !slice.isEmpty else { continue }
            let meanConfidence = slice.reduce(0) { $0 + confidences[$1] } / Double(slice.count)
            let binAccuracy = Double(slice.filter { correct[$0] }.count) / Double(slice.count)
            adaptive += Double(slice.count) / Double(n) * Swift.abs(binAccuracy - meanConfidence)
        }
        count = n
        accuracy = Double(correct.filter { $0 }.count) / Double(n)
        expectedCalibrationError = ece
        adaptiveCalibrationError = adaptive
        maximumCalibrationError = mce
        brierScore = brier / Double(n)
        negativeLogLikelihood = -logLikelihoods.reduce(0, +) / Double(n)
        meanConfidence = confidences.reduce(0, +) / Double(n)
        self.bins = bins
    }
}
