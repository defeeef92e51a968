import Foundation
import MixupRunner

/// One variant of the regularizer panel: how its model, optimizer, regularizer and augmentation differ.
struct PanelVariant: Sendable {
    var title: String
    var batchNorm = false
    var dropout = 0.0
    var weightDecay: Float = 0
    var noise: Float = 0
    var regularizer: Regularizer = .erm

    /// The panel's network: 2 → 128 → 128 → 2 (linear bottleneck) → 128 → 2.
    func model(_ generator: inout SeededGenerator) -> MixableSequential {
        Models.bottleneckMLP(
            inputSize: 2, before: [128, 128], bottleneck: 2, after: [128], classCount: 2, activation: .relu,
            batchNorm: batchNorm, dropout: dropout, using: &generator)
    }

    /// The seven panels of Verma et al. (2019), Fig. 2.
    static var all: [PanelVariant] {
        [
            PanelVariant(title: "no regularization"),
            PanelVariant(title: "weight decay 1e-3", weightDecay: 1e-3),
            PanelVariant(title: "Gaussian noise σ=0.1", noise: 0.1),
            PanelVariant(title: "dropout 0.2", dropout: 0.2),
            PanelVariant(title: "BatchNorm", batchNorm: true),
            PanelVariant(title: "input mixup α=1", regularizer: .builtin { try .mixup(alpha: 1) }),
            PanelVariant(title: "manifold mixup α=2", regularizer: .builtin { try .manifoldMixup(alpha: 2) }),
        ]
    }
}

/// A network's head from a mix point to the output, as a layer (to shade decision regions in a hidden space).
final class HeadLayer: Layer {
    let model: any MixableModel
    let point: MixPoint
    init(model: any MixableModel, point: MixPoint) {
        self.model = model
        self.point = point
    }
    func callAsFunction(_ input: Tensor, context: inout ForwardContext) -> Tensor {
        model.forward(input, from: point, to: nil, context: &context)
    }
}

extension Recipe {
    /// The regularizer panel of Verma et al. (2019), Fig. 2: two spirals and a network with a 2-D bottleneck, trained
    /// with no regularization, weight decay, Gaussian input noise, dropout, BatchNorm, input mixup and manifold
    /// mixup. Writes `panel.svg` (top row: decision boundaries in input space; bottom row: the training points in the
    /// 2-D bottleneck space, shaded by the head's prediction) and `panel.json` (test errors). The run's own training
    /// is the first panel; the report trains the other six with the same seed, data and budget.
    public static var spiralsPanel: Recipe {
        let variants = PanelVariant.all
        return Recipe(
            name: "spirals-panel",
            summary: "two spirals, 2-D bottleneck: 7 regularizers side by side (Verma et al. Fig. 2); panel.svg",
            data: BuiltinData.spirals,
            model: { generator in variants[0].model(&generator) },
            regularizer: .erm,
            optimizer: .adam(learningRate: 3e-3, weightDecay: 0, decoupled: false),
            schedule: .cosine, epochs: 100, batchSize: 100,
            report: { report in try panelReport(report) })
    }

    /// Additive Gaussian noise of standard deviation `deviation` on every input value, or `nil` for 0.
    static func gaussianNoise(_ deviation: Float) -> (@Sendable (Tensor, inout SeededGenerator) -> Tensor)? {
        guard deviation > 0 else { return nil }
        return { batch, generator in
            var values = batch.scalars
            for index in values.indices { values[index] += deviation * Float(generator.nextNormal()) }
            return Tensor(shape: batch.shape, scalars: values)
        }
    }

    /// Trains the other six variants and draws the grid.
    static func panelReport(_ report: RecipeReport) throws {
        let variants = PanelVariant.all
        guard let first = report.runs.first, let test = report.data.test else { return }
        var models: [(variant: PanelVariant, model: any MixableModel, error: Double)] = [
            (variants[0], first.model, first.result.test?.error ?? .nan)
        ]
        let epochs = report.options.epochs ?? 100
        for variant in variants.dropFirst() {
            var generator = SeededGenerator(seed: report.options.seed)
            let model = variant.model(&generator)
            let optimizer = Adam(
                parameters: model.allParameters, learningRate: 3e-3, weightDecay: variant.weightDecay,
                decoupledWeightDecay: false)
            let configuration = TrainerConfiguration(
                epochs: epochs, batchSize: report.options.batchSize ?? 100, seed: report.options.seed,
                progress: .silent, augmentation: gaussianNoise(variant.noise),
                maximumSteps: report.options.maximumSteps)
            let trainer = Trainer(
                model: model, objective: SupervisedObjective(regularizer: variant.regularizer),
                optimizer: optimizer, schedule: CosineDecay(initial: 3e-3), trainingSet: report.data.train,
                testSet: test, configuration: configuration)
            let result = try trainer.run()
            models.append((variant, model, result.test?.error ?? .nan))
            report.reporter.diagnostic(
                String(format: "%@: test error %.2f%%", variant.title, 100 * (result.test?.error ?? .nan)))
        }
        try BuiltinData.writeJSON(
            Dictionary(uniqueKeysWithValues: models.map { ($0.variant.title, $0.error) }), named: "panel.json",
            in: report.outputDirectory, reporter: report.reporter)
        let plot = DecisionBoundaryPlot(resolution: 60, panelSize: 220)
        var cells: [String] = []
        for entry in models {
            let title = String(format: "%@ (%.1f%%)", entry.variant.title, 100 * entry.error)
            cells.append(try plot.render(panels: [(title: title, model: entry.model)], data: report.data.train))
        }
        for entry in models {
            let point = try entry.model.mixPoint(named: "bottleneck")
            var context = ForwardContext.inference
            let hidden = withoutGradients {
                entry.model.forward(
                    report.data.train.inputs(at: Array(0..<report.data.train.count)), from: .input, to: point,
                    context: &context)
            }
            let space = try Dataset(
                name: "bottleneck", sampleShape: [2], samples: hidden.scalars,
                labels: report.data.train.labels, classCount: 2)
            cells.append(
                try plot.render(
                    panels: [(title: "bottleneck space", model: HeadLayer(model: entry.model, point: point))],
                    data: space))
        }
        try BuiltinData.writeSVG(
            grid: cells, columns: models.count, named: "panel.svg", in: report.outputDirectory,
            reporter: report.reporter)
    }
}

extension BuiltinData {
    /// Lays out SVG documents (each with `width` and `height` attributes) in a grid inside one SVG file.
    static func writeSVG(
        grid cells: [String], columns: Int, named name: String, in directory: String, reporter: any RunReporter
    ) throws {
        func attribute(_ key: String, of svg: String) -> Double {
            guard let range = svg.range(of: "\(key)=\"") else { return 0 }
            let rest = svg[range.upperBound...]
            return Double(rest.prefix { $0 != "\"" }) ?? 0
        }
        let cellWidth = cells.map { attribute("width", of: $0) }.max() ?? 0
        let cellHeight = cells.map { attribute("height", of: $0) }.max() ?? 0
        let rows = (cells.count + columns - 1) / max(columns, 1)
        let (width, height) = (cellWidth * Double(columns), cellHeight * Double(rows))
        var text = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
        text += "viewBox=\"0 0 \(Int(width)) \(Int(height))\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        for (index, cell) in cells.enumerated() {
            let x = Double(index % columns) * cellWidth, y = Double(index / columns) * cellHeight
            var nested = cell
            if let range = nested.range(of: "<svg ") {
                nested.replaceSubrange(range, with: "<svg x=\"\(Int(x))\" y=\"\(Int(y))\" ")
            }
            text += nested
        }
        text += "</svg>\n"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        reporter.diagnostic("wrote \(path)")
    }
}
