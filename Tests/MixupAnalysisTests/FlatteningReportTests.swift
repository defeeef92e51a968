import Foundation
import MixupKit
import Testing

@Suite struct FlatteningReportTests {
    @Test func spectraAreThoseOfTheClassRepresentations() throws {
        // At "features" the representation is the input itself, so each class's spectrum is that of its samples.
        var generator = SeededGenerator(seed: 4)
        let model = MixableSequential(
            [Flatten(), Linear(inputSize: 3, outputSize: 2, using: &generator)],
            mixPoints: [.input, MixPoint(boundary: 1, name: "features")])
        let data = SyntheticData.gaussianBlobs(pointsPerClass: 6, classCount: 2, dimension: 3, using: &generator)
        let report = try FlatteningReport.measure(model: model, at: try model.mixPoint(named: "features"), on: data)
        #expect(report.dimension == 3)
        #expect(report.perClass.map(\.sampleCount) == [6, 6])
        let labels = data.labels ?? []
        for spectrum in report.perClass {
            let rows = labels.indices.filter { labels[$0] == spectrum.classIndex }
            let values = rows.flatMap { row in (0..<3).map { Double(data.samples[row * 3 + $0]) } }
            let expected = SingularValues.of(values, rows: rows.count, columns: 3)
            #expect(Swift.abs(spectrum.largest - expected[0]) < 1e-4)
            #expect(Swift.abs(spectrum.sumOfRest - expected[1] - expected[2]) < 1e-4)
        }
        #expect(report.overall?.sampleCount == 12)
        #expect(Swift.abs(report.meanLargest - (report.perClass[0].largest + report.perClass[1].largest) / 2) < 1e-9)
    }

    @Test func theAppendixGNetworkHasATwelveUnitBottleneck() throws {
        var generator = SeededGenerator(seed: 0)
        let model = Models.appendixGBottleneck(using: &generator)
        #expect(model.mixPoints.map(\.name) == ["input", "hidden1", "hidden2", "hidden3", "bottleneck"])
        let input = Tensor.zeros([2, 1, 28, 28])
        var context = ForwardContext.inference
        let hidden = model.forward(input, from: .input, to: try model.mixPoint(named: "bottleneck"), context: &context)
        #expect(hidden.shape == [2, 12])
        #expect(model.inferring(input).shape == [2, 10])
    }
}
