import Foundation
import MixupRunner

extension Recipe {
    /// The main job: ERM and Manifold Mixup on two spirals, side by side, with an SVG of both decision boundaries
    /// (the Figure 1 experiment of Verma et al., ICML 2019). Needs no files.
    public static var spirals: Recipe {
        Recipe(
            name: "spirals",
            summary: "ERM vs Manifold Mixup on two spirals; writes decision_boundaries.svg (no files needed)",
            data: BuiltinData.spirals,
            model: { generator in
                Models.mlp(inputSize: 2, hiddenSizes: [128, 128, 128], classCount: 2, using: &generator)
            },
            sampleShape: [2],
            regularizer: .erm,
            // The comparison trained when no --strategy is given. Swap in `.mixup(alpha: 1)` or any plugin here.
            comparison: [.erm, Self.manifoldForSpirals],
            optimizer: .adam(learningRate: 3e-3, weightDecay: 0, decoupled: false),
            schedule: .cosine,
            epochs: 150, batchSize: 100,
            report: { report in
                let svg = try DecisionBoundaryPlot().render(
                    panels: report.runs.map { run in
                        let error = run.result.test.map { String(format: " — test error %.1f%%", 100 * $0.error) } ?? ""
                        return (title: run.regularizer.name + error, model: run.model)
                    },
                    data: report.data.train)
                try FileManager.default.createDirectory(
                    atPath: report.outputDirectory, withIntermediateDirectories: true)
                let path = (report.outputDirectory as NSString).appendingPathComponent("decision_boundaries.svg")
                try svg.write(toFile: path, atomically: true, encoding: .utf8)
                report.reporter.diagnostic("wrote \(path)")
            })
    }

    /// Manifold Mixup over the input and every hidden layer, with the paper's α = 2.
    static var manifoldForSpirals: Regularizer {
        .builtin { try .manifoldMixup(alpha: 2) }
    }
}
