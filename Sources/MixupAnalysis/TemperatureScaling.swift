import Foundation

/// Temperature scaling (Guo et al. 2017): one scalar T > 0 divides every logit; T is fitted to minimise the NLL on a
/// validation split carved from the training data, then applied to the test predictions. Accuracy is unchanged.
public struct TemperatureScaling: Codable, Sendable, Equatable {
    /// The fitted temperature (> 1 softens an over-confident model).
    public let temperature: Double
    /// Samples in the validation split the temperature was fitted on.
    public let validationCount: Int
    /// Validation NLL at T = 1 and at the fitted T.
    public let validationNegativeLogLikelihood: [Double]
    /// Calibration on the evaluation set at T = 1.
    public let before: CalibrationReport
    /// Calibration on the evaluation set at the fitted T.
    public let after: CalibrationReport

    /// Fits T on `validation` and measures `evaluation` before and after.
    ///
    /// - Throws: ``AnalysisError`` when either set is unusable (see ``CalibrationReport``).
    public init(validation: ModelPredictions, evaluation: ModelPredictions, binCount: Int = 15) throws(AnalysisError) {
        let fitted = Self.fit(validation)
        temperature = fitted
        validationCount = validation.count
        validationNegativeLogLikelihood = [
            validation.negativeLogLikelihood(temperature: 1), validation.negativeLogLikelihood(temperature: fitted),
        ]
        before = try CalibrationReport(predictions: evaluation, temperature: 1, binCount: binCount)
        after = try CalibrationReport(predictions: evaluation, temperature: fitted, binCount: binCount)
    }

    /// The temperature in [0.01, 100] that minimises the NLL of `predictions`.
    ///
    /// The NLL is convex in β = 1/T (a log-sum-exp of functions linear in β minus a linear term), hence unimodal in
    /// log β, so a golden-section search on log β over [log 0.01, log 100] finds the minimum.
    /// - Complexity: 80 NLL evaluations, O(80 · count · classCount).
    public static func fit(_ predictions: ModelPredictions) -> Double {
        var low = Foundation.log(0.01), high = Foundation.log(100.0)
        let ratio = (Foundation.sqrt(5.0) - 1) / 2
        func loss(_ logBeta: Double) -> Double {
            predictions.negativeLogLikelihood(temperature: 1 / Foundation.exp(logBeta))
        }
        var a = high - ratio * (high - low), b = low + ratio * (high - low)
        var fa = loss(a), fb = loss(b)
        for _ in 0..<80 {
            if fa < fb {
                high = b
                b = a
                fb = fa
                a = high - ratio * (high - low)
                fa = loss(a)
            } else {
                low = a
                a = b
                fa = fb
                b = low + ratio * (high - low)
                fb = loss(b)
            }
        }
        return 1 / Foundation.exp((low + high) / 2)
    }
}
