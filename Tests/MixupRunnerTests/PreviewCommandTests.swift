import Foundation
import MixupRunner
import Testing

/// Captures what the runner reports.
final class CapturingReporter: RunReporter {
    var lines: [String] = []
    var diagnostics: [String] = []
    func output(_ text: String) { lines.append(text) }
    func summary(_ summary: RunSummary) {}
    func diagnostic(_ text: String) { diagnostics.append(text) }
    func trainingReporter(style: ProgressStyle, label: String) -> any TrainingReporter {
        ConsoleTrainingReporter(style: .silent)
    }
}

@Suite struct PreviewCommandTests {
    /// Synthetic 1×8×8 images of three classes (a bright quadrant per class plus noise) and a tiny CNN.
    static let images = Recipe(
        name: "tiny-images", summary: "synthetic 8×8 images, tiny CNN (test recipe)",
        data: { request in
            var generator = SeededGenerator(seed: request.seed)
            var samples: [Float] = []
            var labels: [Int] = []
            for i in 0..<30 {
                let label = i % 3
                for y in 0..<8 {
                    for x in 0..<8 {
                        let lit = (label == 0 && y < 4) || (label == 1 && x < 4) || (label == 2 && y >= 4 && x >= 4)
                        samples.append((lit ? 1 : 0) + Float(generator.nextNormal() * 0.1))
                    }
                }
                labels.append(label)
            }
            let train = try Dataset(
                name: "tiny-images", sampleShape: [1, 8, 8], samples: samples, labels: labels, classCount: 3,
                classNames: ["top", "left", "corner"])
            return RecipeData(train: train)
        },
        model: { generator in
            try Models.cnn(inputChannels: 1, imageSize: 8, classCount: 3, widths: (4, 4), using: &generator)
        },
        sampleShape: [1, 8, 8])

    static let spatialOnly: Set<String> = [
        "cutmix", "fmix", "resizemix", "mixup-cutmix", "gridmix", "smoothmix", "mosaic", "cutmix-dm", "saliencymix",
    ]

    /// Every registered strategy previews synthetic images: one row per sample, every source's realised label weight
    /// printed under its tile, the plan's sources and the mixed batch returned for users' own plots.
    @Test(arguments: StrategyCatalog.builtin.names)
    func everyStrategyPreviewsSyntheticImages(name: String) throws {
        let folder = RunnerFixtures.temporaryDirectory("preview-\(name)")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var options = PreviewCommand.Options(recipe: "tiny-images", strategy: name)
        options.count = 5
        options.outputDirectory = folder
        let reporter = CapturingReporter()
        let (preview, path) = try PreviewCommand.execute(options, recipes: [Self.images], reporter: reporter)
        #expect(reporter.lines.contains("wrote \(path)"))
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
        #expect(preview.count == 5 && preview.mixed.shape == preview.values.shape)
        let tiles = svg.components(separatedBy: "data:image/png;base64,").count - 1
        #expect(tiles == 5 * (preview.plan.sources.count + 2), "\(tiles) tiles")
        for i in 0..<5 {
            for source in preview.plan.sources {
                #expect(svg.contains("weight \(String(format: "%.3f", Double(source.labelWeights[i])))"))
            }
        }
        // The mixed samples are the strategy's output on the returned values.
        let regularizer = try StrategyCatalog.builtin.regularizer(named: name, alpha: nil)
        if preview.point != nil {
            #expect(try regularizer.strategy.apply(preview.plan, to: preview.values).scalars == preview.mixed.scalars)
        }
        // Each source's tiles hold its samples.
        for (s, source) in preview.plan.sources.enumerated() {
            #expect(preview.sourceValues[s].scalars == preview.values.gathering(rows: source.indices).scalars)
        }
    }

    /// At a hidden point the grid shows the hidden state, the mask and the weights.
    @Test func aHiddenPointShowsTheMaskAndTheWeights() throws {
        let folder = RunnerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var options = try PreviewCommand.parse([
            "tiny-images", "--strategy", "cutmix", "--at", "block1", "--count", "4",
        ])
        options.outputDirectory = folder
        let (preview, path) = try PreviewCommand.execute(options, recipes: [Self.images], reporter: CapturingReporter())
        #expect(preview.point?.name == "block1" && preview.sampleShape == [4, 4, 4])
        #expect(path.hasSuffix("preview-cutmix-block1.svg"))
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        #expect(svg.contains("at block1") && svg.contains("original's weight"))
        let map = preview.weightMap(source: 0)
        for i in 0..<4 {
            let mean = map.scalars[(i * 64)..<((i + 1) * 64)].reduce(0, +) / 64
            #expect(abs(mean - preview.plan.labelWeights[i]) <= 1e-6)
            #expect(svg.contains("mean \(String(format: "%.3f", Double(preview.plan.labelWeights[i])))"))
        }
    }

    /// Feature-vector data (two moons) previews every strategy that applies; spatial ones fail naming the shape.
    @Test(arguments: StrategyCatalog.builtin.names)
    func featureDataPreviewsOrRefusesNamingTheShape(name: String) throws {
        let folder = RunnerFixtures.temporaryDirectory("preview-moons-\(name)")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var options = PreviewCommand.Options(recipe: "tiny", strategy: name)
        options.outputDirectory = folder
        options.count = 3
        if Self.spatialOnly.contains(name) {
            #expect {
                try PreviewCommand.execute(
                    options, recipes: [RunnerFixtures.tinyRecipe()], reporter: CapturingReporter())
            } throws: { "\($0)".contains("[2]") }
        } else {
            let (preview, path) = try PreviewCommand.execute(
                options, recipes: [RunnerFixtures.tinyRecipe()], reporter: CapturingReporter())
            #expect(FileManager.default.fileExists(atPath: path) && preview.count == 3)
        }
    }

    /// The library call: the same seed gives the same preview, and the plan is the one the strategy draws.
    @Test func theLibraryCallReturnsThePlanAndTheImages() throws {
        var generator = SeededGenerator(seed: 1)
        let model = try Models.cnn(inputChannels: 1, imageSize: 8, classCount: 3, widths: (4, 4), using: &generator)
        let input = Tensor.uniform([6, 1, 8, 8], lower: 0, upper: 1, using: &generator)
        let labels = Tensor.oneHot([0, 1, 2, 0, 1, 2], classCount: 3)
        var g1 = SeededGenerator(seed: 5)
        var g2 = SeededGenerator(seed: 5)
        let a = try MixPreview.draw(try .cutMix(alpha: 1), model: model, input: input, labels: labels, using: &g1)
        let b = try MixPreview.draw(try .cutMix(alpha: 1), model: model, input: input, labels: labels, using: &g2)
        #expect(a.plan == b.plan && a.mixed.scalars == b.mixed.scalars)
        var g3 = SeededGenerator(seed: 5)
        let plan = try CutMixStrategy.cutMix(alpha: 1).plan(batchSize: 6, sampleShape: [1, 8, 8], using: &g3)
        #expect(a.plan == plan && a.point == .input)
        #expect(a.mixed.scalars == (try plan.mix(input)).scalars)
        let erm = try MixPreview.draw(.erm, model: model, input: input, labels: labels, using: &g3)
        #expect(erm.point == nil && erm.mixed.scalars == input.scalars)
        #expect(throws: MixingError.self) {
            try MixPreview.draw(.erm, model: model, input: input, labels: labels, at: "nowhere", using: &g3)
        }
    }

    @Test func badArgumentsAreNamed() throws {
        for (arguments, fragment) in [
            (["tiny"], "--strategy"), (["tiny", "--strategy", "nope"], "nope"), (["tiny", "--count", "0"], "0"),
            (["tiny", "--count", "300"], "300"), (["tiny", "--bogus"], "--bogus"), ([String](), "recipe"),
            (["tiny", "--strategy", "mixup", "--alpha", "-1"], "-1"),
        ] {
            #expect { try PreviewCommand.parse(arguments) } throws: { "\($0)".contains(fragment) }
        }
        let status = RecipeCommand.run(
            arguments: ["preview", "nope", "--strategy", "mixup"], recipes: [RunnerFixtures.tinyRecipe()],
            reporter: CapturingReporter())
        #expect(status == 2)
    }
}
