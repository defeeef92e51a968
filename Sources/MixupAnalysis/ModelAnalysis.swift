import Foundation

/// Every measurement made on one trained model, as written to `analysis.json` by `mixup analyze`. Absent
/// measurements are `nil` (left out of the JSON).
public struct ModelAnalysis: Codable, Sendable, Equatable {
    /// The run's label, e.g. `"manifold-mixup"`.
    public var name: String
    /// The number of trainable scalars.
    public var parameterCount: Int
    /// The number of test samples used for the clean measurements.
    public var testCount: Int
    /// Calibration on the test set, before and after temperature scaling fitted on a validation split.
    public var calibration: TemperatureScaling?
    /// Whether the validation split was held out from training (`false`: carved from data the model trained on).
    public var validationHeldOut: Bool?
    /// FGSM error by ε.
    public var fgsm: RobustnessReport?
    /// PGD error by ε.
    public var pgd: RobustnessReport?
    /// Flattening of the class-conditional representations.
    public var flattening: FlatteningReport?
    /// Error on deformed test images.
    public var deformations: DeformationReport?
    /// Misses and gradient norms between training points.
    public var betweenPoints: BetweenPointsReport?

    /// An empty analysis of a model.
    public init(name: String, parameterCount: Int, testCount: Int) {
        self.name = name
        self.parameterCount = parameterCount
        self.testCount = testCount
    }

    /// The analysis as pretty-printed JSON with sorted keys.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// A short markdown report of the measurements.
    public func markdown() -> String {
        func percent(_ value: Double) -> String { String(format: "%.2f%%", 100 * value) }
        func number(_ value: Double) -> String { String(format: "%.4f", value) }
        var text = "# Analysis of \(name)\n\n\(parameterCount) parameters; \(testCount) test samples.\n"
        if let calibration {
            let (b, a) = (calibration.before, calibration.after)
            text += """

                ## Calibration (test set, 15 bins)

                Temperature fitted on \(calibration.validationCount) validation samples \
                (\(validationHeldOut == true ? "held out from training" : "carved from the training data the model saw")): \
                T = \(String(format: "%.3f", calibration.temperature)).

                | | error | ECE | adaptive ECE | MCE | Brier | NLL | mean confidence |
                |---|---|---|---|---|---|---|---|
                | as trained | \(percent(1 - b.accuracy)) | \(percent(b.expectedCalibrationError)) | \(percent(b.adaptiveCalibrationError)) | \(percent(b.maximumCalibrationError)) | \(number(b.brierScore)) | \(number(b.negativeLogLikelihood)) | \(number(b.meanConfidence)) |
                | temperature-scaled | \(percent(1 - a.accuracy)) | \(percent(a.expectedCalibrationError)) | \(percent(a.adaptiveCalibrationError)) | \(percent(a.maximumCalibrationError)) | \(number(a.brierScore)) | \(number(a.negativeLogLikelihood)) | \(number(a.meanConfidence)) |

                Figure: `calibration.svg`.

                """
        }
        for report in [fgsm, pgd].compactMap({ $0 }) {
            text +=
                "\n## Adversarial: \(report.attack) (\(report.sampleCount) test samples)\n\n| ε | error |\n|---|---|\n"
            for point in report.points { text += "| \(point.epsilon) | \(percent(point.error)) |\n" }
        }
        if fgsm != nil || pgd != nil { text += "\nFigure: `adversarial.svg`.\n" }
        if let flattening {
            text += """

                ## Flattening at \(flattening.mixPoint) (\(flattening.dimension) units)

                Mean over classes: largest singular value \(String(format: "%.2f", flattening.meanLargest)), \
                sum of the others \(String(format: "%.2f", flattening.meanSumOfRest)) \
                (\(flattening.perClass.first?.sampleCount ?? 0) samples per class; values grow like √samples).

                """
        }
        if let deformations {
            text +=
                "\n## Deformed test images (\(deformations.sampleCount) samples)\n\n| deformation | error |\n|---|---|\n"
            text += "| none | \(percent(deformations.cleanError)) |\n"
            for entry in deformations.entries { text += "| \(entry.deformation) | \(percent(entry.error)) |\n" }
        }
        if let betweenPoints {
            text += "\n## Between training points (\(betweenPoints.pairCount) pairs of different classes)\n\n"
            text += "| λ | miss rate | ‖∇ₓ loss‖ |\n|---|---|---|\n"
            for point in betweenPoints.points {
                text += "| \(point.lambda) | \(percent(point.missRate)) | \(number(point.gradientNorm)) |\n"
            }
            text += "\nFigure: `between_points.svg`.\n"
        }
        return text
    }
}
