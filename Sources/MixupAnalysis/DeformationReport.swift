import MixupData
import MixupNN
import MixupTensor

/// Test error on deformed copies of the test images (Verma et al. 2019, Table 4 protocol on MNIST): each image is
/// deformed by a random draw from a family (e.g. rotation by an angle uniform in [−40°, 40°]), resampled bilinearly
/// with black padding.
public struct DeformationReport: Codable, Sendable, Equatable {
    /// The error on one deformed copy.
    public struct Entry: Codable, Sendable, Equatable {
        /// The family, e.g. `"rotation U(-40°, 40°)"`.
        public let deformation: String
        /// Fraction misclassified.
        public let error: Double
    }

    /// Samples deformed per family.
    public let sampleCount: Int
    /// Error on the undeformed samples.
    public let cleanError: Double
    /// One entry per family, in order.
    public let entries: [Entry]

    /// A family of random deformations: a name and how to draw one deformation.
    public struct Family: Sendable {
        /// The family's name.
        public let name: String
        /// Draws one deformation.
        public let draw: @Sendable (inout SeededGenerator) -> ImageDeformation

        /// Creates a family.
        public init(name: String, draw: @escaping @Sendable (inout SeededGenerator) -> ImageDeformation) {
            self.name = name
            self.draw = draw
        }

        /// Rotation by an angle uniform in [−degrees, degrees].
        public static func rotation(upTo degrees: Double) -> Family {
            Family(name: "rotation U(±\(SVGText.number(degrees))°)") { generator in
                .rotation(degrees: generator.nextUniform(-degrees, degrees))
            }
        }

        /// Horizontal shear by an angle uniform in [−degrees, degrees].
        public static func shear(upTo degrees: Double) -> Family {
            Family(name: "shear U(±\(SVGText.number(degrees))°)") { generator in
                .shear(degrees: generator.nextUniform(-degrees, degrees))
            }
        }

        /// A fixed zoom (> 1 in, < 1 out).
        public static func zoom(_ factor: Double) -> Family {
            Family(name: "zoom ×\(SVGText.number(factor))") { _ in .zoom(factor: factor) }
        }

        /// The default set: rotations ±20°…±80°, shears ±28.6° and ±57.3° (0.5 and 1 radian, the paper's values),
        /// zoom in ×1.2 and ×1.4, zoom out ×0.8 and ×0.6.
        public static var standard: [Family] {
            [20, 40, 60, 80].map { rotation(upTo: $0) } + [28.6, 57.3].map { shear(upTo: $0) }
                + [1.2, 1.4, 0.8, 0.6].map { zoom($0) }
        }
    }

    /// Measures `model` on deformed copies of the first `sampleLimit` samples of `dataset`.
    ///
    /// - Throws: ``AnalysisError`` unless `dataset` holds labelled `[channels, height, width]` images.
    public static func measure(
        model: any Layer, on dataset: Dataset, families: [Family] = Family.standard, sampleLimit: Int? = nil,
        using generator: inout SeededGenerator
    ) throws(AnalysisError) -> DeformationReport {
        guard dataset.isLabelled, dataset.count > 0 else {
            throw .invalidData("\(dataset.name): deformations need a labelled, non-empty dataset")
        }
        let subset = dataset.subset(Array(0..<min(dataset.count, sampleLimit ?? dataset.count)))
        func error(_ data: Dataset) throws(AnalysisError) -> Double {
            let predictions = try ModelPredictions.of(model, on: data)
            var wrong = 0
            for index in 0..<predictions.count {
                let row = predictions.logits[(index * predictions.classCount)..<((index + 1) * predictions.classCount)]
                let best = row.indices.max { row[$0] < row[$1] } ?? row.startIndex
                if best - row.startIndex != predictions.labels[index] { wrong += 1 }
            }
            return Double(wrong) / Double(predictions.count)
        }
        var entries: [Entry] = []
        for family in families {
            let deformed = try ImageDeformation.deforming(subset, name: family.name, by: family.draw, using: &generator)
            entries.append(Entry(deformation: family.name, error: try error(deformed)))
        }
        return DeformationReport(sampleCount: subset.count, cleanError: try error(subset), entries: entries)
    }
}
