import Foundation
import MixupRecipes
import Testing
import _MixupTestSupport

/// Smoke runs of every built-in recipe: a few optimizer steps on a few samples, in a temporary output folder.
@Suite struct BuiltinRecipesTests {
    /// The package root, from this file's path (Tests/MixupRecipesTests/BuiltinRecipesTests.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The real MNIST files shared next to the package (`../shared/data/mnist`).
    static let mnistDirectory = URL(fileURLWithPath: packageRoot).deletingLastPathComponent()
        .appendingPathComponent("shared/data/mnist").standardizedFileURL.path

    static var mnistIsAvailable: Bool {
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
            .allSatisfy {
                name in
                [name, name + ".gz"].contains { FileManager.default.fileExists(atPath: mnistDirectory + "/" + $0) }
            }
    }

    static func temporaryDirectory(_ label: String = #function) -> String {
        let name = "mixupkit-recipes-tests-\(label.filter { $0.isLetter || $0.isNumber })-\(UUID().uuidString)"
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent(name)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func smokeOptions(out: String, data: String? = nil, steps: Int, limit: Int, batchSize: Int? = nil)
        -> RunOptions
    {
        var options = RunOptions()
        options.outputDirectory = out
        options.dataPath = data
        options.epochs = 1
        options.maximumSteps = steps
        options.limit = limit
        options.batchSize = batchSize
        options.quiet = true
        return options
    }

    static func expectOutputs(in folder: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for file in ["checkpoint.safetensors", "metrics.jsonl"] {
            #expect(
                FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent(file)),
                "\(file) missing in \(folder)", sourceLocation: sourceLocation)
        }
    }

    static func expectSummary(
        _ summary: RunSummary, recipe: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(summary.recipe == recipe, sourceLocation: sourceLocation)
        #expect(summary.epochs == 1, sourceLocation: sourceLocation)
        // A comparison reports per strategy; a single run also at the top level.
        for result in summary.results {
            let error = result.testError
            #expect(
                error.map { (0...1).contains($0) } == true,
                "\(result.strategy) test_error \(String(describing: error))",
                sourceLocation: sourceLocation)
            #expect(
                result.testNLL.map { $0.isFinite && $0 > 0 } == true, "\(result.strategy) test_nll",
                sourceLocation: sourceLocation)
        }
        guard summary.results.count == 1 else {
            #expect(summary.testError == nil && summary.testNLL == nil, sourceLocation: sourceLocation)
            return
        }
        let error = summary.testError
        #expect(
            error.map { (0...1).contains($0) } == true, "test_error \(String(describing: error))",
            sourceLocation: sourceLocation)
        let nll = summary.testNLL
        #expect(
            nll.map { $0.isFinite && $0 > 0 } == true, "test_nll \(String(describing: nll))",
            sourceLocation: sourceLocation)
    }

    // MARK: The catalogue

    @Test func recipeNamesAreUniqueAndListed() throws {
        let names = BuiltinRecipes.all.map(\.name)
        #expect(Set(names).count == names.count, "\(names)")
        #expect(
            names == [
                "spirals", "mnist-mlp", "mnist-cnn", "cifar-preactresnet18", "cifar-resnet20", "mnist-supervised",
                "mnist-ict", "mnist-mixmatch", "mnist-pseudolabel", "mnist-meanteacher", "mnist-vat", "mnist-ict-vat",
                "mnist-flattening", "mnist-label-noise", "mnist-bottleneck2d", "spirals-panel", "tabular",
                "regression",
            ])
        #expect(BuiltinRecipes.all.allSatisfy { !$0.summary.isEmpty })

        // `mixup list` output, captured from standard output.
        let (code, output) = StandardOutputCapture.capturing {
            RecipeCommand.run(arguments: ["list"], recipes: BuiltinRecipes.all)
        }
        #expect(code == 0)
        for recipe in BuiltinRecipes.all {
            #expect(
                output.contains(recipe.name + " ") && output.contains(recipe.summary),
                "\(recipe.name) not listed:\n\(output)")
        }
    }

    // MARK: Smoke runs

    @Test func spiralsComparesBothStrategiesAndDrawsTheBoundaries() throws {
        let out = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        // 60 samples in batches of 20: 3 steps per epoch, stopped after 2.
        let summary = try RecipeCommand.execute(
            .spirals, options: Self.smokeOptions(out: out, steps: 2, limit: 60, batchSize: 20))
        Self.expectSummary(summary, recipe: "spirals")
        #expect(summary.strategy == "erm+manifold-mixup")
        #expect(summary.results.map(\.strategy) == ["erm", "manifold-mixup"])
        for name in ["erm", "manifold-mixup"] {
            let folder = (out as NSString).appendingPathComponent(name)
            Self.expectOutputs(in: folder)
            let checkpoint = try Checkpoint(
                contentsOf: (folder as NSString).appendingPathComponent("checkpoint.safetensors"))
            #expect((checkpoint.epoch, checkpoint.stepInEpoch, checkpoint.globalStep) == (0, 2, 2))
        }
        let svgPath = (out as NSString).appendingPathComponent("decision_boundaries.svg")
        let svg = try String(contentsOfFile: svgPath, encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
        #expect(svg.components(separatedBy: "<g transform").count - 1 == 2, "one panel per strategy")
        #expect(svg.contains(">erm — test error") && svg.contains(">manifold-mixup — test error"))
    }

    @Test func spiralsLimitCapsTheSamplesPerSplit() throws {
        let data = try Recipe.spirals.data(DataRequest(seed: 0, limit: 60))
        #expect(data.train.count == 60 && data.test?.count == 60)
        #expect(
            try Recipe.spirals.data(DataRequest(seed: 0, limit: 1)).train.count == 2, "at least one point per class")
        #expect(try Recipe.spirals.data(DataRequest(seed: 0)).train.count == 1000)
    }

    // The MNIST recipes need the real files at ../shared/data/mnist (next to the package). Without them these tests
    // are reported as skipped with this reason — they do not pass silently.
    @Test(.enabled(if: mnistIsAvailable, "MNIST not found at ../shared/data/mnist relative to the package root"))
    func mnistMLPComparesThreeStrategies() throws {
        let out = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let summary = try RecipeCommand.execute(
            .mnistMLP,
            options: Self.smokeOptions(out: out, data: Self.mnistDirectory, steps: 2, limit: 64, batchSize: 32))
        Self.expectSummary(summary, recipe: "mnist-mlp")
        #expect(summary.results.map(\.strategy) == ["erm", "mixup", "manifold-mixup"])
        for name in ["erm", "mixup", "manifold-mixup"] {
            Self.expectOutputs(in: (out as NSString).appendingPathComponent(name))
        }
    }

    /// Every semi-supervised recipe runs with `--labels N` (and a swapped mixing plugin where it mixes), printing the
    /// same summary with the label count.
    @Test(
        .enabled(if: mnistIsAvailable, "MNIST not found at ../shared/data/mnist relative to the package root"),
        arguments: [
            ("mnist-supervised", nil), ("mnist-ict", nil), ("mnist-ict", "manifold"), ("mnist-mixmatch", nil),
            ("mnist-mixmatch", "cutmix"), ("mnist-mixmatch", "manifold"), ("mnist-pseudolabel", nil),
            ("mnist-meanteacher", nil), ("mnist-vat", nil), ("mnist-ict-vat", nil),
        ] as [(String, String?)])
    func semiSupervisedRecipesRunWithLabels(name: String, strategy: String?) throws {
        let recipe = try #require(BuiltinRecipes.all.first { $0.name == name })
        let out = Self.temporaryDirectory(name + (strategy ?? ""))
        defer { try? FileManager.default.removeItem(atPath: out) }
        var options = Self.smokeOptions(out: out, data: Self.mnistDirectory, steps: 2, limit: 200, batchSize: 10)
        options.labels = 20
        options.strategy = strategy
        let summary = try RecipeCommand.execute(recipe, options: options)
        Self.expectSummary(summary, recipe: name)
        #expect(summary.labels == 20)
        if let strategy { #expect(summary.strategy.hasPrefix(strategy)) }
        let data = try recipe.data(DataRequest(path: Self.mnistDirectory, seed: 0, labels: 20, limit: 200))
        #expect(data.train.count == 20 && data.train.classCounts() == Array(repeating: 2, count: 10))
        // 20 of the 200 training images are the validation split (a tenth with --limit; 1,000 without).
        #expect(data.validation?.count == 20 && data.validation?.isLabelled == true)
        #expect(summary.validationError != nil)
        #expect(summary.evaluatedWeights == "ema-0.999-bn10000")
        if name != "mnist-supervised" { #expect(data.unlabelled?.count == 160 && data.unlabelled?.isLabelled == false) }
    }

    /// `--vat-epsilon` reaches VAT's ε in both VAT recipes (2 without it); a value that is not a positive number is
    /// refused, named, when the objective is built (before anything trains).
    @Test(arguments: ["mnist-vat", "mnist-ict-vat"])
    func vatEpsilonFlag(name: String) throws {
        let recipe = try #require(BuiltinRecipes.all.first { $0.name == name })
        let parsed = try RecipeCommand.parse(["--vat-epsilon", "0.3", "--labels", "20"], recipeFlags: recipe.flags)
        #expect(parsed.recipeFlags["vat-epsilon"] == "0.3")
        let objective = try recipe.objective(.erm, parsed)
        let terms = try #require(Self.combinedTerms(objective))
        let vat = try #require(terms.compactMap { $0.term as? VirtualAdversarialTerm }.first)
        #expect(vat.epsilon == 0.3)
        let byDefault = try #require(Self.combinedTerms(try recipe.objective(.erm, RunOptions())))
        #expect(byDefault.compactMap { ($0.term as? VirtualAdversarialTerm)?.epsilon } == [2])
        Self.expectRefused(flag: "vat-epsilon", values: ["0", "-1", "two", "nan", "inf"]) { options in
            _ = try recipe.objective(.erm, options)
        }
        // A recipe that cannot add VAT does not take the flag.
        let supervised = try #require(BuiltinRecipes.all.first { $0.name == "mnist-supervised" })
        #expect(throws: RunnerError.self) {
            _ = try RecipeCommand.parse(["--vat-epsilon", "0.3"], recipeFlags: supervised.flags)
        }
    }

    /// `--vat-weight W` adds one VAT term (ε from `--vat-epsilon`, weight ramped to W) to ICT, MixMatch, Mean Teacher
    /// and pseudo-labels; without it (or with W = 0) the objective is the recipe's own. Bad values (a bad ε even with
    /// W = 0) and `--vat-epsilon` alone are refused, named.
    @Test(arguments: ["mnist-ict", "mnist-mixmatch", "mnist-meanteacher", "mnist-pseudolabel"])
    func vatWeightFlagAddsVAT(name: String) throws {
        let recipe = try #require(BuiltinRecipes.all.first { $0.name == name })
        let plain = try recipe.objective(recipe.regularizer, RunOptions())
        #expect(Self.combinedTerms(plain) == nil)
        let parsed = try RecipeCommand.parse(
            ["--vat-weight", "2", "--vat-epsilon", "0.5", "--labels", "20"], recipeFlags: recipe.flags)
        let withVAT = try recipe.objective(recipe.regularizer, parsed)
        let terms = try #require(Self.combinedTerms(withVAT))
        #expect(terms.count == 1 && terms[0].weight.maximum == 2)
        #expect((terms[0].term as? VirtualAdversarialTerm)?.epsilon == 0.5)
        let base = try #require(((withVAT as? EMAEvaluatedObjective)?.base as? CombinedObjective)?.base)
        #expect(base.name == ((plain as? EMAEvaluatedObjective)?.base ?? plain).name)
        var off = RunOptions()
        off.recipeFlags["vat-weight"] = "0"
        #expect(Self.combinedTerms(try recipe.objective(recipe.regularizer, off)) == nil)
        Self.expectRefused(flag: "vat-weight", values: ["-1", "lots", "nan"]) { options in
            _ = try recipe.objective(recipe.regularizer, options)
        }
        // ε alone (VAT would be off), and a bad ε even when the weight turns VAT off.
        Self.expectRefused(flag: "vat-epsilon", values: ["0.3"]) { _ = try recipe.objective(recipe.regularizer, $0) }
        Self.expectRefused(flag: "vat-epsilon", values: ["-2"], besides: ["vat-weight": "0"]) {
            _ = try recipe.objective(recipe.regularizer, $0)
        }
    }

    /// `--entropy-weight W` sets the entropy term's ramp maximum beside VAT in both VAT recipes (1 without it); 0
    /// leaves the term out; bad values are refused, named.
    @Test(arguments: ["mnist-vat", "mnist-ict-vat"])
    func entropyWeightFlag(name: String) throws {
        let recipe = try #require(BuiltinRecipes.all.first { $0.name == name })
        func entropyWeights(_ flags: [String]) throws -> [Double] {
            let options = try RecipeCommand.parse(flags, recipeFlags: recipe.flags)
            let terms = try #require(Self.combinedTerms(try recipe.objective(recipe.regularizer, options)))
            #expect(terms.filter { $0.term is VirtualAdversarialTerm }.count == 1)
            return terms.filter { $0.term is EntropyMinimizationTerm }.map(\.weight.maximum)
        }
        #expect(try entropyWeights([]) == [1])
        #expect(try entropyWeights(["--entropy-weight", "0.25"]) == [0.25])
        #expect(try entropyWeights(["--entropy-weight", "0"]) == [])
        Self.expectRefused(flag: "entropy-weight", values: ["-1", "nan", "much"]) {
            _ = try recipe.objective(recipe.regularizer, $0)
        }
    }

    /// `--balance-weight W` adds a class-balance term with ramp maximum W to every semi-supervised recipe (none
    /// without it, or with 0), beside VAT where there is one; bad values are refused, named.
    @Test(arguments: [
        "mnist-vat", "mnist-ict-vat", "mnist-ict", "mnist-mixmatch", "mnist-meanteacher", "mnist-pseudolabel",
    ])
    func balanceWeightFlag(name: String) throws {
        let recipe = try #require(BuiltinRecipes.all.first { $0.name == name })
        func balanceWeights(_ flags: [String]) throws -> [Double] {
            let options = try RecipeCommand.parse(flags, recipeFlags: recipe.flags)
            let terms = Self.combinedTerms(try recipe.objective(recipe.regularizer, options)) ?? []
            return terms.filter { $0.term is ClassBalanceTerm }.map(\.weight.maximum)
        }
        #expect(try balanceWeights([]) == [])
        #expect(try balanceWeights(["--balance-weight", "0.5"]) == [0.5])
        // Beside VAT added by flag, both terms are there.
        if recipe.flags.contains(where: { $0.name == "vat-weight" }) {
            let options = try RecipeCommand.parse(
                ["--balance-weight", "2", "--vat-weight", "1"], recipeFlags: recipe.flags)
            let terms = try #require(Self.combinedTerms(try recipe.objective(recipe.regularizer, options)))
            #expect(terms.map(\.term.name) == ["vat", "balance"] && terms.map(\.weight.maximum) == [1, 2])
        }
        #expect(try balanceWeights(["--balance-weight", "0"]) == [])
        Self.expectRefused(flag: "balance-weight", values: ["-0.1", "inf", "some"]) {
            _ = try recipe.objective(recipe.regularizer, $0)
        }
    }

    /// `--top-bn` gives every semi-supervised recipe's Ladder MLP a BatchNorm on its logits (two more parameters and
    /// two more buffers per class); without it the network is the plain Ladder MLP.
    @Test func topBatchNormFlagBuildsTheModel() throws {
        let recipes = BuiltinRecipes.all.filter { recipe in recipe.flags.contains { $0.name == "top-bn" } }
        for recipe in recipes {
            let build = try #require(recipe.configuredModel, "\(recipe.name)")
            var generator = SeededGenerator(seed: 1)
            let plain = try build([:], &generator)
            let parsed = try RecipeCommand.parse(["--top-bn"], recipeFlags: recipe.flags)
            let top = try build(parsed.recipeFlags, &generator)
            #expect(top.parameterCount == plain.parameterCount + 20, "\(recipe.name)")
            #expect(top.namedBuffers().count == plain.namedBuffers().count + 2, "\(recipe.name)")
        }
        #expect(recipes.count == 7, "the seven semi-supervised recipes")
    }

    /// `--hidden-noise S` puts Gaussian noise after every hidden layer of each semi-supervised recipe's Ladder MLP in
    /// training only: evaluation equals the plain network built from the same seed, training does not, and the spread
    /// of the logits grows with σ; bad values are refused, named.
    @Test func hiddenNoiseFlagBuildsTheModel() throws {
        let recipes = BuiltinRecipes.all.filter { recipe in recipe.flags.contains { $0.name == "hidden-noise" } }
        #expect(recipes.count == 7, "the seven semi-supervised recipes")
        var inputGenerator = SeededGenerator(seed: 4)
        let input = Tensor.uniform([16, 1, 28, 28], using: &inputGenerator)
        for recipe in recipes {
            let build = try #require(recipe.configuredModel, "\(recipe.name)")
            func model(_ flags: [String]) throws -> any MixableModel {
                var generator = SeededGenerator(seed: 1)
                return try build(try RecipeCommand.parse(flags, recipeFlags: recipe.flags).recipeFlags, &generator)
            }
            func output(_ model: any MixableModel, training: Bool) -> [Float] {
                var context = ForwardContext(isTraining: training, generator: SeededGenerator(seed: 2))
                return model(input, context: &context).scalars
            }
            let plain = try model([]), noisy = try model(["--hidden-noise", "0.5"])
            #expect(noisy.parameterCount == plain.parameterCount, "\(recipe.name)")
            #expect(output(noisy, training: false) == output(plain, training: false), "\(recipe.name)")
            func spread(_ model: any MixableModel) -> Double {
                zip(output(model, training: true), output(plain, training: true))
                    .map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +)
            }
            let small = spread(try model(["--hidden-noise", "0.1"])), large = spread(noisy)
            #expect(small > 0 && large > 4 * small, "\(recipe.name): \(small), \(large)")
            Self.expectRefused(flag: "hidden-noise", values: ["-0.1", "nan", "inf", "loud"]) { options in
                var generator = SeededGenerator(seed: 1)
                _ = try build(options.recipeFlags, &generator)
            }
        }
    }

    /// `--confidence P` reaches the pseudo-labelling threshold (0.8 without it); values outside [0, 1] are refused,
    /// named.
    @Test func confidenceFlagSetsThePseudoLabelThreshold() throws {
        let recipe = try #require(BuiltinRecipes.all.first { $0.name == "mnist-pseudolabel" })
        func threshold(_ flags: [String]) throws -> Float? {
            let options = try RecipeCommand.parse(flags, recipeFlags: recipe.flags)
            let objective = try recipe.objective(recipe.regularizer, options)
            return ((objective as? EMAEvaluatedObjective)?.base as? PseudoLabelObjective)?.confidenceThreshold
        }
        #expect(try threshold([]) == 0.8)
        #expect(try threshold(["--confidence", "0"]) == 0)
        #expect(try threshold(["--confidence", "0.5"]) == 0.5)
        Self.expectRefused(flag: "confidence", values: ["2", "-0.1", "nan", "sure"]) {
            _ = try recipe.objective(recipe.regularizer, $0)
        }
    }

    /// `mnist-pseudolabel`'s `--sharpen T` reaches the pseudo-labels' temperature (0, hard labels, without it; none
    /// for T = 1); values outside [0, 1] are refused, named.
    @Test func sharpenFlagSetsThePseudoLabelTargets() throws {
        let recipe = try #require(BuiltinRecipes.all.first { $0.name == "mnist-pseudolabel" })
        func temperature(_ flags: [String]) throws -> Float?? {
            let options = try RecipeCommand.parse(flags, recipeFlags: recipe.flags)
            let objective = try recipe.objective(recipe.regularizer, options)
            return ((objective as? EMAEvaluatedObjective)?.base as? PseudoLabelObjective).map(\.targetTemperature)
        }
        #expect(try temperature([]) == 0)
        #expect(try temperature(["--sharpen", "1"]) == .some(nil))
        #expect(try temperature(["--sharpen", "0"]) == 0)
        #expect(try temperature(["--sharpen", "0.5"]) == 0.5)
        Self.expectRefused(flag: "sharpen", values: ["2", "-0.1", "nan", "sure"]) {
            _ = try recipe.objective(recipe.regularizer, $0)
        }
    }

    /// `--sharpen T` reaches ICT's target temperature in both ICT recipes (without it: 0.5 for `mnist-ict`, chosen on
    /// validation, and none for `mnist-ict-vat`; `--sharpen 1`: none); values outside (0, 1] are refused, named;
    /// recipes without ICT do not take the flag.
    @Test(arguments: [("mnist-ict", Float(0.5)), ("mnist-ict-vat", nil)])
    func sharpenFlagReachesICT(name: String, defaultTemperature: Float?) throws {
        let recipe = try #require(BuiltinRecipes.all.first { $0.name == name })
        func ict(_ objective: any TrainingObjective) -> ICTObjective? {
            let inner = (objective as? EMAEvaluatedObjective)?.base ?? objective
            return (inner as? ICTObjective) ?? ((inner as? CombinedObjective)?.base as? ICTObjective)
        }
        let parsed = try RecipeCommand.parse(["--sharpen", "0.5", "--labels", "20"], recipeFlags: recipe.flags)
        #expect(ict(try recipe.objective(recipe.regularizer, parsed))?.targetTemperature == 0.5)
        let plain = try #require(ict(try recipe.objective(recipe.regularizer, RunOptions())))
        #expect(plain.targetTemperature == defaultTemperature)
        let one = try RecipeCommand.parse(["--sharpen", "1"], recipeFlags: recipe.flags)
        #expect(try #require(ict(try recipe.objective(recipe.regularizer, one))).targetTemperature == nil)
        Self.expectRefused(flag: "sharpen", values: ["0", "-0.5", "1.5", "nan", "warm"]) {
            _ = try recipe.objective(recipe.regularizer, $0)
        }
        let meanTeacher = try #require(BuiltinRecipes.all.first { $0.name == "mnist-meanteacher" })
        #expect(throws: RunnerError.self) {
            _ = try RecipeCommand.parse(["--sharpen", "0.5"], recipeFlags: meanTeacher.flags)
        }
    }

    /// `mnist-mixmatch`'s `--sharpen T` reaches the label guesses' temperature (0.5 without it; T = 1 leaves them
    /// unsharpened); values outside (0, 1] are refused, named.
    @Test func sharpenFlagSetsMixMatchTemperature() throws {
        let recipe = try #require(BuiltinRecipes.all.first { $0.name == "mnist-mixmatch" })
        func temperature(_ flags: [String]) throws -> Float? {
            let options = try RecipeCommand.parse(flags, recipeFlags: recipe.flags)
            let objective = try recipe.objective(recipe.regularizer, options)
            return ((objective as? EMAEvaluatedObjective)?.base as? MixMatchObjective)?.temperature
        }
        #expect(try temperature([]) == 0.5)
        #expect(try temperature(["--sharpen", "0.25"]) == 0.25)
        #expect(try temperature(["--sharpen", "1"]) == 1)
        Self.expectRefused(flag: "sharpen", values: ["0", "-0.5", "1.5", "nan", "cold"]) {
            _ = try recipe.objective(recipe.regularizer, $0)
        }
    }

    /// Every ramp inside `value` (an objective, its terms and their fields), found by reflection.
    static func ramps(in value: Any) -> [RampUp] {
        if let ramp = value as? RampUp { return [ramp] }
        return Mirror(reflecting: value).children.flatMap { ramps(in: $0.value) }
    }

    /// `--ramp F` sets the length of every unlabelled-loss weight's ramp — the recipe's own loss and every added term
    /// (VAT, entropy, class balance) — in every semi-supervised recipe (0.3 of the run without it); values outside
    /// [0, 1] are refused, named; the supervised baseline, with no unlabelled loss, does not take the flag.
    @Test func rampFlagSetsEveryUnlabelledWeight() throws {
        let names = [
            "mnist-ict", "mnist-mixmatch", "mnist-pseudolabel", "mnist-meanteacher", "mnist-vat", "mnist-ict-vat",
        ]
        for name in names {
            let recipe = try #require(BuiltinRecipes.all.first { $0.name == name })
            let extra = recipe.flags.contains { $0.name == "vat-weight" } ? ["--vat-weight", "1"] : []
            func lengths(_ flags: [String]) throws -> [RampUp.Length] {
                let options = try RecipeCommand.parse(
                    flags + extra + ["--balance-weight", "1"], recipeFlags: recipe.flags)
                return Self.ramps(in: try recipe.objective(recipe.regularizer, options)).map(\.rampLength)
            }
            let byDefault = try lengths([])
            #expect(byDefault.count >= 3, "\(name): the loss, VAT or entropy, and balance are ramped: \(byDefault)")
            #expect(byDefault.allSatisfy { $0 == .fractionOfRun(0.3) }, "\(name): \(byDefault)")
            let half = try lengths(["--ramp", "0.5"])
            #expect(half.count == byDefault.count && half.allSatisfy { $0 == .fractionOfRun(0.5) }, "\(name)")
            #expect(try lengths(["--ramp", "0"]).allSatisfy { $0 == .fractionOfRun(0) }, "\(name)")
            Self.expectRefused(flag: "ramp", values: ["-0.1", "1.5", "nan", "soon"]) {
                _ = try recipe.objective(recipe.regularizer, $0)
            }
        }
        let supervised = try #require(BuiltinRecipes.all.first { $0.name == "mnist-supervised" })
        #expect(throws: RunnerError.self) {
            _ = try RecipeCommand.parse(["--ramp", "0.5"], recipeFlags: supervised.flags)
        }
    }

    /// `--pixel-noise S` sets the σ of every semi-supervised recipe's pixel noise (the trainer's augmentation, and
    /// MixMatch's and Mean Teacher's own draws); 0 turns the trainer's augmentation off; bad values are refused, named.
    @Test func pixelNoiseFlagSetsTheNoise() throws {
        let names = [
            "mnist-supervised", "mnist-ict", "mnist-mixmatch", "mnist-pseudolabel", "mnist-meanteacher", "mnist-vat",
            "mnist-ict-vat",
        ]
        for name in names {
            let recipe = try #require(BuiltinRecipes.all.first { $0.name == name })
            #expect(recipe.flags.contains { $0.name == "pixel-noise" }, "\(name)")
            // MixMatch draws its views' noise in the objective: the trainer never augments its batches.
            let configure = recipe.configuredAugmentation
            #expect((configure == nil) == (name == "mnist-mixmatch") && recipe.augmentation == nil, "\(name)")
            if let configure {
                #expect(try configure(RunOptions()) != nil, "\(name)")
                var off = RunOptions()
                off.recipeFlags["pixel-noise"] = "0"
                #expect(try configure(off) == nil, "\(name)")
            }
            Self.expectRefused(flag: "pixel-noise", values: ["-0.1", "nan", "inf", "loud"]) { options in
                _ = try configure?(options)
                _ = try recipe.objective(recipe.regularizer, options)
            }
        }
        // The noise has the σ of the flag (0.3 by default).
        let vat = try #require(BuiltinRecipes.all.first { $0.name == "mnist-vat" }?.configuredAugmentation)
        let batch = Tensor.zeros([64, 1, 28, 28])
        for (flag, sigma) in [(nil, 0.3), ("0.5", 0.5)] as [(String?, Double)] {
            var options = RunOptions()
            options.recipeFlags["pixel-noise"] = flag
            var generator = SeededGenerator(seed: 9)
            let augmentation = try #require(try vat(options))
            let noisy = augmentation(batch, &generator)
            let variance = noisy.scalars.map { Double($0 * $0) }.reduce(0, +) / Double(noisy.scalars.count)
            #expect(abs(variance.squareRoot() - sigma) < 0.01, "σ \(sigma)")
        }
    }

    /// Each of `values` for `--flag` (with the flag values `besides` it) makes `build` throw
    /// `RunnerError.invalidValue` naming the flag and the value.
    static func expectRefused(
        flag: String, values: [String], besides: [String: String] = [:],
        sourceLocation: SourceLocation = #_sourceLocation, _ build: (RunOptions) throws -> Void
    ) {
        for bad in values {
            var options = RunOptions()
            options.recipeFlags = besides
            options.recipeFlags[flag] = bad
            #expect(sourceLocation: sourceLocation) {
                try build(options)
            } throws: { error in
                guard case RunnerError.invalidValue(let named, let value, _) = error else { return false }
                return named == "--" + flag && value == bad && "\(error)".contains(bad)
            }
        }
    }

    /// The consistency terms of a recipe's objective (inside its EMA-evaluation wrapper), if it is a
    /// ``CombinedObjective``.
    static func combinedTerms(_ objective: any TrainingObjective) -> [(term: any ConsistencyTerm, weight: RampUp)]? {
        let inner = (objective as? EMAEvaluatedObjective)?.base ?? objective
        return (inner as? CombinedObjective)?.terms
    }

    @Test(.enabled(if: mnistIsAvailable, "MNIST not found at ../shared/data/mnist relative to the package root"))
    func mnistCNNRunsAFewSteps() throws {
        let out = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let summary = try RecipeCommand.execute(
            .mnistCNN,
            options: Self.smokeOptions(out: out, data: Self.mnistDirectory, steps: 2, limit: 64, batchSize: 16))
        Self.expectSummary(summary, recipe: "mnist-cnn")
        #expect(summary.strategy == "mixup")
        Self.expectOutputs(in: out)
    }

    /// A CIFAR-10 binary folder with `perFile` random records (1 label byte + 3072 pixel bytes) in each file.
    static func writeSyntheticCIFAR(to folder: String, perFile: Int = 4) throws {
        var generator = SeededGenerator(seed: 7)
        for file in (1...5).map({ "data_batch_\($0).bin" }) + ["test_batch.bin"] {
            var bytes: [UInt8] = []
            for record in 0..<perFile {
                bytes.append(UInt8(record % 10))
                bytes += (0..<3072).map { _ in UInt8.random(in: 0...255, using: &generator) }
            }
            try Data(bytes).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(file)))
        }
    }

    @Test(arguments: ["cifar-preactresnet18", "cifar-resnet20"])
    func cifarRecipeRunsOneStepOnSyntheticData(name: String) throws {
        let recipe = try #require(BuiltinRecipes.all.first { $0.name == name })
        let root = Self.temporaryDirectory(name)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let data = (root as NSString).appendingPathComponent("cifar")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        try Self.writeSyntheticCIFAR(to: data)
        let out = (root as NSString).appendingPathComponent("out")
        let summary = try RecipeCommand.execute(
            recipe, options: Self.smokeOptions(out: out, data: data, steps: 1, limit: 4, batchSize: 4))
        Self.expectSummary(summary, recipe: name)
        Self.expectOutputs(in: out)
        let checkpoint = try Checkpoint(contentsOf: (out as NSString).appendingPathComponent("checkpoint.safetensors"))
        #expect(checkpoint.globalStep == 1)
    }

    @Test func cifarWithoutDataNamesTheFiles() throws {
        let empty = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(throws: (any Error).self) {
            try Recipe.cifarResNet20.data(DataRequest(path: empty, limit: 4))
        }
    }
}
