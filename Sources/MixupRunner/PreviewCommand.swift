import Foundation
import MixupKit

/// `mixup preview <recipe> --strategy NAME [--at POINT] [--count N] [--out DIR]`: draws one batch of the recipe's
/// training data, mixes it once with the strategy (on a freshly initialised model, for hidden points and data-aware
/// strategies) and writes an SVG grid of originals, partners, weight maps and mixed samples with their realised label
/// weights (``MixPreviewGrid``). The library call behind it is `MixPreview.draw(_:model:input:labels:at:using:)`.
public enum PreviewCommand {
    /// The flags of `mixup preview`.
    public struct Options: Sendable, Equatable {
        /// The recipe whose data and model are used.
        public var recipe: String
        /// `--strategy NAME` (required).
        public var strategy: String
        /// `--at POINT`: the mix point (default: the strategy's selector's choice, the input for most).
        public var point: String?
        /// `--count N`: samples in the grid (default 16).
        public var count = 16
        /// `--out DIR` (default `runs/<recipe>-preview`).
        public var outputDirectory: String?
        /// `--seed S` (default 0): the samples, the model's initialisation and the mix.
        public var seed: UInt64 = 0
        /// `--data PATH`: the recipe's data.
        public var dataPath: String?
        /// `--alpha A`: the strategy's Beta concentration.
        public var alpha: Double?

        /// Options with every default.
        public init(recipe: String, strategy: String) {
            self.recipe = recipe
            self.strategy = strategy
        }
    }

    /// The help text.
    public static let usage = """
        mixup preview <recipe> --strategy NAME [flags] — draw one mixed batch as an SVG grid

          --strategy NAME   the strategy to preview (required; see `mixup --help`)
          --at POINT        mix point, e.g. input or hidden1 (default: the strategy's own choice)
          --count N         samples (rows) in the grid, 1…256 (default 16)
          --out DIR         output folder (default runs/<recipe>-preview); writes preview-<strategy>[-<point>].svg
          --seed S          seed of the samples, the model's initialisation and the mix (default 0)
          --data PATH       the recipe's data
          --alpha A         the strategy's Beta(α, α) concentration
        """

    /// Parses the arguments after `mixup preview`.
    ///
    /// - Throws: ``RunnerError`` naming a missing recipe or strategy, an unknown flag or a bad value.
    public static func parse(_ arguments: [String], strategies: StrategyCatalog = .builtin) throws(RunnerError)
        -> Options
    {
        guard let recipe = arguments.first, !recipe.hasPrefix("-") else { throw .missingRecipeName }
        var options = Options(recipe: recipe, strategy: "")
        var index = 1
        func value(_ flag: String) throws(RunnerError) -> String {
            index += 1
            guard index < arguments.count, !arguments[index].hasPrefix("--") else { throw .missingValue(flag: flag) }
            return arguments[index]
        }
        while index < arguments.count {
            let flag = arguments[index]
            switch flag {
            case "--strategy":
                let name = try value(flag)
                guard strategies.registration(named: name) != nil else {
                    throw .unknownStrategy(name: name, available: strategies.names)
                }
                options.strategy = name
            case "--at": options.point = try value(flag)
            case "--count":
                let text = try value(flag)
                guard let count = Int(text), count >= 1, count <= 256 else {
                    throw .invalidValue(flag: flag, value: text, expected: "an integer from 1 to 256")
                }
                options.count = count
            case "--out": options.outputDirectory = try value(flag)
            case "--seed":
                let text = try value(flag)
                guard let seed = UInt64(text) else {
                    throw .invalidValue(flag: flag, value: text, expected: "a non-negative integer")
                }
                options.seed = seed
            case "--data": options.dataPath = try value(flag)
            case "--alpha":
                let text = try value(flag)
                guard let alpha = Double(text), alpha > 0, alpha.isFinite else {
                    throw .invalidValue(flag: flag, value: text, expected: "a positive number")
                }
                options.alpha = alpha
            default: throw .unknownFlag(flag)
            }
            index += 1
        }
        guard !options.strategy.isEmpty else { throw .missingValue(flag: "--strategy") }
        return options
    }

    /// Draws the preview of `options` and writes its SVG.
    ///
    /// - Returns: the preview and the path of the SVG written.
    /// - Throws: ``RunnerError`` for an unknown recipe, unusable data, or a strategy that cannot mix this data
    ///   (e.g. a spatial strategy on feature vectors), naming the value; file errors when the SVG cannot be written.
    @discardableResult
    public static func execute(
        _ options: Options, recipes: [Recipe], strategies: StrategyCatalog = .builtin,
        reporter: any RunReporter = StandardStreamsReporter()
    ) throws -> (preview: MixPreview, path: String) {
        guard let recipe = recipes.first(where: { $0.name == options.recipe }) else {
            throw RunnerError.unknownRecipe(name: options.recipe, available: recipes.map(\.name))
        }
        let data: RecipeData
        do {
            data = try recipe.data(DataRequest(path: options.dataPath, seed: options.seed))
        } catch {
            throw RunnerError.data(recipe: recipe.name, underlying: error)
        }
        let train = data.train
        guard train.isLabelled, train.count > 0 else {
            throw RunnerError.invalidData("the training set of \(recipe.name) must be labelled and non-empty")
        }
        let regularizer = try strategies.regularizer(named: options.strategy, alpha: options.alpha)
        var generator = SeededGenerator(seed: options.seed)
        let model: any MixableModel
        do {
            var modelGenerator = SeededGenerator(seed: options.seed)
            model = try recipe.makeModel(regularizerName: nil, flags: [:], using: &modelGenerator)
        } catch {
            throw RunnerError.recipe(name: recipe.name, underlying: error)
        }
        let indices = Array(generator.nextPermutation(train.count).prefix(options.count))
        let input = train.inputs(at: indices)
        let labels = Tensor.oneHot(train.labels(at: indices), classCount: train.classCount)
        let preview: MixPreview
        do {
            preview = try MixPreview.draw(
                regularizer, model: model, input: input, labels: labels, at: options.point, using: &generator)
        } catch {
            throw RunnerError.strategy(name: options.strategy, error)
        }
        let pointName = preview.point?.name ?? "no mixing"
        let grid = MixPreviewGrid(
            title: "\(regularizer.name) on \(recipe.name) at \(pointName) (seed \(options.seed))",
            classNames: train.classNames)
        let svg = try grid.render(preview)
        let folder = options.outputDirectory ?? "runs/\(recipe.name)-preview"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = "preview-\(options.strategy)" + (options.point.map { "-\($0)" } ?? "") + ".svg"
        let path = (folder as NSString).appendingPathComponent(file)
        try svg.write(toFile: path, atomically: true, encoding: .utf8)
        reporter.output("wrote \(path)")
        return (preview, path)
    }
}
