import MixupData
import MixupMixing
import MixupNN
import MixupTensor

/// How "flat" the class-conditional hidden representations are at a mix point (Verma et al. 2019, §3.2 and App. G):
/// the singular values of the matrix whose rows are the representations of one class. Manifold Mixup is predicted
/// to concentrate each class in fewer directions: a smaller largest singular value and, above all, a smaller sum of
/// the others (their MNIST bottleneck network: 51.73 / 78.67 for ERM vs 31.65 / 40.98 with Manifold Mixup).
///
/// Singular values grow like √n with the number of rows n, so compare reports made with the same sample counts.
/// The matrices are used as they are (not centred), as the paper describes; ``Spectrum/centred`` gives the
/// spectrum after subtracting the class mean too.
public struct FlatteningReport: Codable, Sendable, Equatable {
    /// The spectrum of one class (or of all samples together).
    public struct Spectrum: Codable, Sendable, Equatable {
        /// The class, or −1 for all classes together.
        public let classIndex: Int
        /// Rows of the matrix (samples of the class).
        public let sampleCount: Int
        /// The largest singular value.
        public let largest: Double
        /// The sum of all other singular values.
        public let sumOfRest: Double
        /// The leading singular values (at most 16), largest first.
        public let leading: [Double]
        /// Largest and sum of the rest after subtracting the class mean from every row.
        public let centred: [Double]
    }

    /// The mix point measured, e.g. `"bottleneck"`.
    public let mixPoint: String
    /// The width of the representation there.
    public let dimension: Int
    /// One spectrum per class present.
    public let perClass: [Spectrum]
    /// The mean over classes of the largest singular value.
    public let meanLargest: Double
    /// The mean over classes of the sum of the other singular values.
    public let meanSumOfRest: Double
    /// The spectrum of all measured samples together (`nil` when not requested).
    public let overall: Spectrum?

    /// Measures the representations of `dataset` at `point` (inference mode).
    ///
    /// - Parameters:
    ///   - model: the trained network.
    ///   - point: the mix point whose hidden representations are measured.
    ///   - dataset: labelled samples; each class is measured separately.
    ///   - samplesPerClass: use at most this many samples of each class (the first ones), `nil` for all.
    ///   - includingOverall: also measure all samples together (costly for wide layers).
    ///   - batchSize: samples per forward pass.
    /// - Throws: ``AnalysisError`` for an unlabelled or empty dataset or a non-positive `samplesPerClass`.
    public static func measure(
        model: any MixableModel, at point: MixPoint, on dataset: Dataset, samplesPerClass: Int? = nil,
        includingOverall: Bool = true, batchSize: Int = 500
    ) throws(AnalysisError) -> FlatteningReport {
        guard let labels = dataset.labels, dataset.count > 0 else {
            throw .invalidData("\(dataset.name): flattening needs a labelled, non-empty dataset")
        }
        if let samplesPerClass, samplesPerClass < 1 {
            throw .invalidSetting(name: "samplesPerClass", value: "\(samplesPerClass)", expected: "at least 1")
        }
        var chosen: [Int] = []
        var taken = [Int](repeating: 0, count: dataset.classCount)
        for (index, label) in labels.enumerated() where taken[label] < (samplesPerClass ?? Int.max) {
            taken[label] += 1
            chosen.append(index)
        }
        var rows: [[Float]] = []
        var width = 0
        var start = 0
        while start < chosen.count {
            let indices = Array(chosen[start..<min(start + batchSize, chosen.count)])
            var context = ForwardContext.inference
            let hidden = withoutGradients {
                model.forward(dataset.inputs(at: indices), from: .input, to: point, context: &context)
            }
            width = hidden.count / max(indices.count, 1)
            for row in 0..<indices.count { rows.append(Array(hidden.scalars[(row * width)..<((row + 1) * width)])) }
            start += indices.count
        }
        func spectrum(_ members: [Int], classIndex: Int) -> Spectrum {
            let values = members.flatMap { rows[$0].map(Double.init) }
            let singular = SingularValues.of(values, rows: members.count, columns: width)
            var mean = [Double](repeating: 0, count: width)
            for member in members { for d in 0..<width { mean[d] += Double(rows[member][d]) / Double(members.count) } }
            let centredValues = members.flatMap { member in (0..<width).map { Double(rows[member][$0]) - mean[$0] } }
            let centred = SingularValues.of(centredValues, rows: members.count, columns: width)
            return Spectrum(
                classIndex: classIndex, sampleCount: members.count, largest: singular.first ?? 0,
                sumOfRest: singular.dropFirst().reduce(0, +), leading: Array(singular.prefix(16)),
                centred: [centred.first ?? 0, centred.dropFirst().reduce(0, +)])
        }
        var perClass: [Spectrum] = []
        for label in 0..<dataset.classCount {
            let members = chosen.indices.filter { labels[chosen[$0]] == label }
            if !members.isEmpty { perClass.append(spectrum(members, classIndex: label)) }
        }
        let classes = Double(max(perClass.count, 1))
        return FlatteningReport(
            mixPoint: point.name, dimension: width, perClass: perClass,
            meanLargest: perClass.reduce(0) { $0 + $1.largest } / classes,
            meanSumOfRest: perClass.reduce(0) { $0 + $1.sumOfRest } / classes,
            overall: includingOverall ? spectrum(Array(chosen.indices), classIndex: -1) : nil)
    }
}
