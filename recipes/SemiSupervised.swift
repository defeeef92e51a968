import Foundation
import MixupRunner

/// Semi-supervised recipes on permutation-invariant MNIST (no image-specific augmentation): `--labels N` labelled
/// images (N/10 per class, a different subset for every seed), the rest of the training set unlabelled except a
/// validation split of 1,000 training images (the same for every seed; their labels are used only for the summary's
/// `validation_error`, the number every default below was chosen on), evaluated on the 10,000 test images.
///
/// The shared setup is the usual one of the PI-MNIST literature (issue 10): the Ladder-network MLP
/// 784-1000-500-250-250-250-10 with BatchNorm, Gaussian pixel noise σ = 0.3 as the only augmentation, Adam 2e-3
/// constant then linearly decayed to 0 over the last 30 % of steps, labelled batches of 100 and unlabelled batches of
/// 128, 35 epochs of the unlabelled set (≈ 16,000 steps), and evaluation of an EMA copy (decay 0.999) of the weights
/// with BatchNorm statistics re-estimated on 10,000 clean training images. `--strategy manifold` or `--strategy
/// cutmix` swaps the mixing inside ICT, MixMatch or pseudo-labelling (manifold ICT / MixMatch mix hidden states);
/// `--sharpen T` sets the temperature of ICT's teacher targets (`mnist-ict`: 0.5; `mnist-ict-vat`: 1, unsharpened) and
/// of MixMatch's label guesses (0.5), `--ramp F` the fraction of the run over which unlabelled-loss weights rise (0.3),
/// `--vat-weight` / `--vat-epsilon` / `--entropy-weight` / `--balance-weight` add or tune VAT, its entropy term and a
/// class-balance term, `--confidence P` sets the pseudo-label threshold and `mnist-pseudolabel`'s `--sharpen T` its
/// targets' temperature (0: hard labels); every recipe takes `--pixel-noise S` (the pixel noise's σ, 0: none),
/// `--hidden-noise S` (noise after every hidden layer, default 0) and `--top-bn` (a BatchNorm on the logits). The
/// defaults are the table's settings.
enum SemiSupervisedRecipes {
    /// The Ladder MLP used by every semi-supervised MNIST recipe.
    @Sendable static func model(_ generator: inout SeededGenerator) -> any MixableModel {
        Models.ladderMLP(using: &generator)
    }

    /// A batch augmentation: `(batch, generator) → augmented batch`.
    typealias Augmentation = @Sendable (Tensor, inout SeededGenerator) -> Tensor

    /// The default σ of the Gaussian pixel noise, the perturbation of permutation-invariant MNIST.
    static let defaultPixelNoise: Float = 0.3

    /// `--pixel-noise S` of every semi-supervised recipe.
    static let pixelNoiseFlag = RecipeFlag(
        name: "pixel-noise", valueName: "S",
        help: "σ of the Gaussian pixel noise (on [0, 1] pixels), the only augmentation (default 0.3; 0: none)")

    /// The σ of `--pixel-noise` (default ``defaultPixelNoise``).
    ///
    /// - Throws: `RunnerError.invalidValue` for a σ that is negative or not a finite number.
    static func pixelNoise(_ options: RunOptions) throws -> Float {
        try standardDeviation(pixelNoiseFlag, in: options.recipeFlags, default: defaultPixelNoise)
    }

    /// The σ of a noise flag (`--pixel-noise`, `--hidden-noise`) in `flags`, or `default` without it.
    ///
    /// - Throws: `RunnerError.invalidValue` for a σ that is negative or not a finite number, naming it.
    static func standardDeviation(_ flag: RecipeFlag, in flags: [String: String], default sigma: Float) throws -> Float
    {
        Float(
            try flag.number(in: flags, default: Double(sigma), expected: "a non-negative number") {
                $0 >= 0 && Float($0).isFinite
            })
    }

    /// Gaussian pixel noise with σ from `--pixel-noise`, the identity for σ = 0.
    static func noise(_ options: RunOptions) throws -> Augmentation {
        let augmentation = ImageAugmentation(noiseStandardDeviation: try pixelNoise(options))
        return { batch, generator in augmentation.apply(to: batch, using: &generator) }
    }

    /// The trainer's augmentation of a recipe: the pixel noise of ``noise(_:)``, none for σ = 0.
    @Sendable static func trainerNoise(_ options: RunOptions) throws -> Augmentation? {
        try pixelNoise(options) == 0 ? nil : try noise(options)
    }

    /// `--top-bn` of every semi-supervised recipe: a BatchNorm on the logits (`Models.ladderMLP(topBatchNorm:)`).
    static let topBatchNormFlag = RecipeFlag(
        name: "top-bn", valueName: nil,
        help: "add a BatchNorm on the logits of the Ladder MLP (as the VAT authors' MNIST networks have)")

    /// `--hidden-noise S` of every semi-supervised recipe: Gaussian noise of σ S after every hidden ReLU of the Ladder
    /// MLP, in training only (`Models.ladderMLP(hiddenNoise:)`; Salimans et al. 2016 use 0.5 in their PI-MNIST
    /// discriminator). Default 0: none.
    static let hiddenNoiseFlag = RecipeFlag(
        name: "hidden-noise", valueName: "S",
        help: "σ of Gaussian noise after every hidden layer of the MLP, in training only (default 0: none)")

    /// The σ of `--hidden-noise` in `flags` (0 without it).
    ///
    /// - Throws: `RunnerError.invalidValue` for a σ that is negative or not a finite number.
    static func hiddenNoise(_ flags: [String: String]) throws -> Float {
        try standardDeviation(hiddenNoiseFlag, in: flags, default: 0)
    }

    /// The Ladder MLP, with a BatchNorm on the logits when `flags` has `--top-bn` and hidden noise of σ
    /// `--hidden-noise`.
    ///
    /// - Throws: `RunnerError.invalidValue` for a bad `--hidden-noise`.
    @Sendable static func model(flags: [String: String], _ generator: inout SeededGenerator) throws
        -> any MixableModel
    {
        Models.ladderMLP(
            hiddenNoise: try hiddenNoise(flags), topBatchNorm: flags[topBatchNormFlag.name] != nil, using: &generator)
    }

    /// `recipe` with the flags every semi-supervised recipe shares (``pixelNoiseFlag``, ``hiddenNoiseFlag``,
    /// ``topBatchNormFlag``, and ``rampFlag`` when `ramped`), its model built by ``model(flags:_:)`` and, when
    /// `trainerAugmentation`, the pixel noise of the run's options as the trainer's augmentation.
    static func withSharedFlags(_ recipe: Recipe, trainerAugmentation: Bool = true, ramped: Bool = true) -> Recipe {
        var recipe = recipe
        recipe.flags.insert(
            contentsOf: [pixelNoiseFlag, hiddenNoiseFlag, topBatchNormFlag] + (ramped ? [rampFlag] : []), at: 0)
        recipe.configuredModel = model(flags:_:)
        if trainerAugmentation { recipe.configuredAugmentation = trainerNoise }
        return recipe
    }

    /// Training images held out for validation (fewer with `--limit`).
    static let validationCount = 1000

    /// MNIST split into a fixed validation split, `--labels` labelled (balanced, drawn per seed) and the rest
    /// unlabelled.
    @Sendable static func data(_ request: DataRequest) throws -> RecipeData {
        let full = try BuiltinData.mnist(request)
        let labels = request.labels ?? 100
        guard labels % 10 == 0 else {
            throw RunnerError.invalidValue(
                flag: "--labels", value: String(labels), expected: "a multiple of 10 (balanced classes)")
        }
        // The validation split does not depend on the seed, so validation errors of different seeds compare.
        var validationGenerator = SeededGenerator(seed: 104_729)
        let held = min(validationCount, full.train.count / 10)
        let order = validationGenerator.nextPermutation(full.train.count)
        let validation = full.train.subset(Array(order.prefix(held)).sorted(), name: "mnist-validation")
        let rest = full.train.subset(Array(order.dropFirst(held)).sorted(), name: "mnist-train")
        var generator = SeededGenerator(seed: 7919 &+ request.seed)
        let (labelled, unlabelled) = try rest.balancedSplit(labelsPerClass: labels / 10, using: &generator)
        return RecipeData(train: labelled, unlabelled: unlabelled, test: full.test, validation: validation)
    }

    /// The supervised-only baseline sees only the labelled images (BatchNorm re-estimation uses them too).
    @Sendable static func labelledOnly(_ request: DataRequest) throws -> RecipeData {
        let split = try data(request)
        return RecipeData(train: split.train, test: split.test, validation: split.validation)
    }

    static let optimizer = OptimizerSettings.adam(learningRate: 2e-3, weightDecay: 0, decoupled: false)
    static let schedule = ScheduleSettings.constantThenLinearDecay(fraction: 0.3)
    /// Epochs of the unlabelled set: 35 × 461 ≈ 16,000 steps with 128 unlabelled images per step.
    static let epochs = 35

    /// The evaluated weights of every recipe: an EMA (0.999) of the trained ones, BatchNorm re-estimated on 10,000
    /// clean training images.
    static func evaluatingEMA(_ objective: any TrainingObjective) throws -> any TrainingObjective {
        try EMAEvaluatedObjective(wrapping: objective, decay: 0.999, batchNormSamples: 10_000)
    }

    /// The default length of the consistency ramp, as a fraction of the run.
    static let defaultRampFraction = 0.3

    /// `--ramp F` of every semi-supervised recipe but the baseline: the fraction of the run over which every
    /// unlabelled-loss weight rises to its maximum.
    static let rampFlag = RecipeFlag(
        name: "ramp", valueName: "F",
        help: "fraction of the run over which every unlabelled-loss weight ramps up as exp(−5(1 − t)²), in [0, 1] "
            + "(default 0.3; 0: full weight from the first step)")

    /// The consistency ramp to `maximum`: exp(−5(1 − t)²) over the first `--ramp F` of the run (default
    /// ``defaultRampFraction``).
    ///
    /// - Throws: `RunnerError.invalidValue` for an F outside [0, 1], naming it.
    static func ramp(_ maximum: Double, _ options: RunOptions) throws -> RampUp {
        let fraction = try rampFlag.number(
            in: options.recipeFlags, default: defaultRampFraction, expected: "a fraction in [0, 1]"
        ) { $0 >= 0 && $0 <= 1 }
        return RampUp(maximum: maximum, fractionOfRun: fraction)
    }

    /// VAT (ε from `--vat-epsilon`, default 2; ξ = 0.1, one power iteration) with `weight`, plus entropy minimisation
    /// with weight from `--entropy-weight` (default 1; 0 leaves the term out) — Miyato et al.'s "VAT + EntMin" — and
    /// class balance with weight from `--balance-weight` (default 0: none), as terms to add to any objective.
    static func vatTerms(weight: Double = 1, options: RunOptions) throws -> [(
        term: any ConsistencyTerm, weight: RampUp
    )] {
        let entropyWeight = try entropyWeightFlag.number(
            in: options.recipeFlags, default: 1, expected: "a non-negative number"
        ) { $0 >= 0 }
        return [(term: try vatTerm(options), weight: try ramp(weight, options))]
            + (entropyWeight > 0 ? [(term: EntropyMinimizationTerm(), weight: try ramp(entropyWeight, options))] : [])
            + (try balanceTerms(options))
    }

    /// `--balance-weight W` of every semi-supervised recipe but the baseline: the class-balance term's maximum weight
    /// (default 0: none).
    static let balanceWeightFlag = RecipeFlag(
        name: "balance-weight", valueName: "W",
        help: "add a class-balance term, KL(mean prediction ‖ uniform), ramped to this weight (default 0: none)")

    /// `--entropy-weight W` of the VAT recipes: the entropy-minimisation term's maximum weight (default 1; 0: none).
    static let entropyWeightFlag = RecipeFlag(
        name: "entropy-weight", valueName: "W",
        help: "maximum weight of the entropy-minimisation term beside VAT (default 1; 0 leaves it out)")

    /// The recipes' VAT term: ε from `--vat-epsilon` (default ``defaultVATEpsilon``), ξ = 0.1, one power iteration.
    static func vatTerm(_ options: RunOptions) throws -> VirtualAdversarialTerm {
        try VirtualAdversarialTerm(epsilon: try vatEpsilon(options.recipeFlags), xi: 0.1)
    }

    /// The default VAT radius ε (per-sample L2 norm on [0, 1] pixels).
    static let defaultVATEpsilon: Float = 2

    /// `--vat-epsilon E`: VAT's radius ε, a positive number (default ``defaultVATEpsilon``).
    static func vatEpsilon(_ flags: [String: String]) throws -> Float {
        Float(
            try vatEpsilonFlag.number(in: flags, default: Double(defaultVATEpsilon), expected: "a positive number") {
                $0 > 0 && Float($0).isFinite
            })
    }

    /// The flag of the VAT recipes.
    static let vatEpsilonFlag = RecipeFlag(
        name: "vat-epsilon", valueName: "E",
        help: "VAT's perturbation radius ε, per-sample L2 norm on [0, 1] pixels (default 2)")

    /// `objective` plus the terms its flags add: a VAT term (ε from `--vat-epsilon`, ξ = 0.1, weight ramped to
    /// `--vat-weight W`) when `--vat-weight` is given and positive, and a class-balance term (weight ramped to
    /// `--balance-weight W`) when that is positive; `objective` itself when neither is. `--vat-epsilon` without
    /// `--vat-weight` is refused rather than ignored, and a bad `--vat-epsilon` is refused even with `--vat-weight 0`.
    static func withAddedTerms(_ objective: any TrainingObjective, options: RunOptions) throws -> any TrainingObjective
    {
        var terms: [(term: any ConsistencyTerm, weight: RampUp)] = []
        if options.recipeFlags["vat-weight"] != nil {
            let weight = try vatWeightFlag.number(
                in: options.recipeFlags, default: 0, expected: "a non-negative number"
            ) { $0 >= 0 }
            let term = try vatTerm(options)  // validates --vat-epsilon even when the weight turns VAT off
            if weight > 0 { terms.append((term: term, weight: try ramp(weight, options))) }
        } else if let epsilon = options.recipeFlags["vat-epsilon"] {
            throw RunnerError.invalidValue(
                flag: "--vat-epsilon", value: epsilon, expected: "--vat-weight W as well (VAT is off without it)")
        }
        terms += try balanceTerms(options)
        return terms.isEmpty ? objective : CombinedObjective(base: objective, terms: terms)
    }

    /// The class-balance term of `--balance-weight W` (ramped to W), or none when W is 0 or the flag is absent.
    static func balanceTerms(_ options: RunOptions) throws -> [(term: any ConsistencyTerm, weight: RampUp)] {
        let weight = try balanceWeightFlag.number(
            in: options.recipeFlags, default: 0, expected: "a non-negative number"
        ) { $0 >= 0 }
        return weight > 0 ? [(term: try ClassBalanceTerm(), weight: try ramp(weight, options))] : []
    }

    /// The flags that add terms to the recipes built on another objective (ICT, MixMatch, Mean Teacher,
    /// pseudo-labels): VAT and class balance.
    static let addedTermFlags = [vatWeightFlag, vatEpsilonFlag, balanceWeightFlag]

    /// `--vat-weight W`: adds VAT to a recipe built on another objective (see ``withAddedTerms(_:options:)``).
    static let vatWeightFlag = RecipeFlag(
        name: "vat-weight", valueName: "W",
        help: "add a VAT term (no entropy term) with this maximum weight, ramped like the unlabelled loss")

    /// `--confidence P` of `mnist-pseudolabel`: the smallest top probability of a pseudo-labelled sample.
    static let confidenceFlag = RecipeFlag(
        name: "confidence", valueName: "P",
        help: "use unlabelled samples whose top predicted probability is at least P, in [0, 1] (default 0.8; 0: all)")

    /// `--sharpen T` of the ICT recipes: sharpen the teacher's predictions with temperature T before mixing; the
    /// help names the recipe's default (`nil`: not sharpened).
    static func sharpenFlag(default temperature: Float?) -> RecipeFlag {
        RecipeFlag(
            name: "sharpen", valueName: "T",
            help: "sharpen ICT's teacher predictions with temperature T (0 < T ≤ 1) before mixing (default "
                + (temperature.map { "\($0); 1: not sharpened)" } ?? "1: not sharpened)"))
    }

    /// `mnist-pseudolabel`'s defaults: hard (one-hot) pseudo-labels of images whose top predicted probability is at
    /// least 0.8, chosen over the earlier soft pseudo-labels at 0.95 on the validation split (seeds 0 and 1: 16.4% and
    /// 17.0% against 22.4% and 24.9%; supervised-only 23.3% and 24.0%); see the semi-supervised results.
    static let defaultPseudoLabelConfidence = 0.8

    /// `--sharpen T` of `mnist-pseudolabel`: the pseudo-labels' temperature, T = 0 (the default) for one-hot labels.
    static let pseudoLabelSharpenFlag = RecipeFlag(
        name: "sharpen", valueName: "T",
        help: "sharpen the pseudo-labels with temperature T in [0, 1] (default 0: one-hot, hard labels; 1: the "
            + "predicted probabilities)")

    /// The temperature of a `--sharpen T` flag: `default` without the flag, `nil` for T = 1 (not sharpened), else T —
    /// which must be in (0, 1], or [0, 1] when `allowsZero` (T = 0: one-hot labels).
    ///
    /// - Throws: `RunnerError.invalidValue` for a T outside that range, naming it.
    static func temperature(
        _ flag: RecipeFlag, in flags: [String: String], default temperature: Float?, allowsZero: Bool = false
    ) throws -> Float? {
        guard flags[flag.name] != nil else { return temperature }
        let value = Float(
            try flag.number(in: flags, default: 1, expected: "a temperature in \(allowsZero ? "[" : "(")0, 1]") {
                ($0 > 0 || (allowsZero && $0 == 0)) && $0 <= 1
            })
        return value == 1 ? nil : value
    }

    /// `mnist-ict`'s teacher-target temperature: 0.5 (MixMatch's T), chosen over unsharpened targets on the
    /// validation split (seeds 0 and 1: 11.9% and 8.0% against 12.6% and 10.3%; see the semi-supervised results).
    static let defaultICTTemperature: Float = 0.5

    /// The ICT target temperature of `--sharpen T` (0 < T ≤ 1; `nil` for T = 1, no sharpening), or `default`
    /// without the flag.
    static func ictTemperature(_ flags: [String: String], default temperature: Float?) throws -> Float? {
        try Self.temperature(sharpenFlag(default: temperature), in: flags, default: temperature)
    }

    /// `mnist-mixmatch`'s label-guess temperature: MixMatch's T = 0.5.
    static let defaultMixMatchTemperature: Float = 0.5

    /// `--sharpen T` of `mnist-mixmatch`: the temperature of the label guesses.
    static let mixMatchSharpenFlag = RecipeFlag(
        name: "sharpen", valueName: "T",
        help: "sharpen MixMatch's label guesses with temperature T (0 < T ≤ 1) (default 0.5; 1: not sharpened)")

    static var all: [Recipe] {
        [
            withSharedFlags(
                Recipe(
                    name: "mnist-supervised",
                    summary: "MNIST, Ladder MLP on the --labels labelled images only (baseline)",
                    data: labelledOnly, model: model, sampleShape: [1, 28, 28], regularizer: .erm,
                    objective: { regularizer, _ in try evaluatingEMA(SupervisedObjective(regularizer: regularizer)) },
                    optimizer: optimizer, schedule: schedule, epochs: 2000, batchSize: 100, evaluationInterval: 200),
                ramped: false),
            withSharedFlags(
                Recipe(
                    name: "mnist-ict",
                    summary: "MNIST --labels N: Interpolation Consistency Training (mixup of unlabelled, EMA teacher)",
                    data: data, model: model, sampleShape: [1, 28, 28], regularizer: .builtin { try .mixup(alpha: 1) },
                    objective: { regularizer, options in
                        try evaluatingEMA(
                            withAddedTerms(
                                ICTObjective(
                                    mixing: regularizer, teacherDecay: 0.999,
                                    consistencyWeight: try ramp(options.unlabelledWeight ?? 10, options),
                                    targetTemperature: try ictTemperature(
                                        options.recipeFlags, default: defaultICTTemperature)), options: options))
                    },
                    optimizer: optimizer, schedule: schedule, epochs: epochs, batchSize: 100, unlabelledBatchSize: 128,
                    flags: [sharpenFlag(default: defaultICTTemperature)] + addedTermFlags)),
            withSharedFlags(
                Recipe(
                    name: "mnist-mixmatch",
                    summary: "MNIST --labels N: MixMatch (K=2 views with σ=0.3 noise, T=0.5, λ′=max(λ,1−λ), weight 75)",
                    data: data, model: model, sampleShape: [1, 28, 28],
                    regularizer: .builtin { try .mixup(alpha: 0.75) },
                    objective: { regularizer, options in
                        let views = try noise(options)
                        return try evaluatingEMA(
                            withAddedTerms(
                                MixMatchObjective(
                                    mixing: regularizer, augmentationCount: 2,
                                    temperature: try temperature(
                                        mixMatchSharpenFlag, in: options.recipeFlags,
                                        default: defaultMixMatchTemperature)
                                        ?? 1,
                                    unlabelledWeight: try ramp(options.unlabelledWeight ?? 75, options),
                                    originalDominant: true,
                                    augmentation: views, labelledAugmentation: views,
                                    distributionAlignment: options.recipeFlags["distribution-alignment"] == nil
                                        ? nil : DistributionAlignment(uniformOver: 10)), options: options))
                    },
                    // The objective draws every view's noise itself, from the clean batch.
                    optimizer: optimizer, schedule: schedule, epochs: epochs, batchSize: 100, unlabelledBatchSize: 128,
                    flags: [
                        mixMatchSharpenFlag,
                        RecipeFlag(
                            name: "distribution-alignment", valueName: nil,
                            help: "align label guesses to the balanced class marginal (ReMixMatch)"),
                    ] + addedTermFlags), trainerAugmentation: false),
            withSharedFlags(
                Recipe(
                    name: "mnist-pseudolabel",
                    summary:
                        "MNIST --labels N: hard pseudo-labels (top p ≥ 0.8, Lee 2013) with mixup (Arazo et al. 2020)",
                    data: data, model: model, sampleShape: [1, 28, 28], regularizer: .builtin { try .mixup(alpha: 1) },
                    objective: { regularizer, options in
                        try evaluatingEMA(
                            withAddedTerms(
                                PseudoLabelObjective(
                                    mixing: regularizer,
                                    confidenceThreshold: Float(
                                        try confidenceFlag.number(
                                            in: options.recipeFlags, default: defaultPseudoLabelConfidence,
                                            expected: "a probability in [0, 1]"
                                        ) { (0...1).contains($0) }),
                                    unlabelledWeight: try ramp(options.unlabelledWeight ?? 1, options),
                                    targetTemperature: try temperature(
                                        pseudoLabelSharpenFlag, in: options.recipeFlags, default: 0, allowsZero: true)),
                                options: options))
                    },
                    optimizer: optimizer, schedule: schedule, epochs: epochs, batchSize: 100, unlabelledBatchSize: 128,
                    flags: [confidenceFlag, pseudoLabelSharpenFlag] + addedTermFlags)),
            withSharedFlags(
                Recipe(
                    name: "mnist-meanteacher",
                    summary: "MNIST --labels N: Mean Teacher baseline (noise consistency, EMA)",
                    data: data, model: model, sampleShape: [1, 28, 28], regularizer: .erm,
                    objective: { regularizer, options in
                        try evaluatingEMA(
                            withAddedTerms(
                                MeanTeacherObjective(
                                    teacherDecay: 0.999,
                                    consistencyWeight: try ramp(options.unlabelledWeight ?? 10, options),
                                    supervised: regularizer, perturbation: try noise(options)), options: options))
                    },
                    optimizer: optimizer, schedule: schedule, epochs: epochs, batchSize: 100, unlabelledBatchSize: 128,
                    flags: addedTermFlags)),
            withSharedFlags(
                Recipe(
                    name: "mnist-vat",
                    summary:
                        "MNIST --labels N: virtual adversarial training + entropy minimisation (Miyato et al. 2018)",
                    data: data, model: model, sampleShape: [1, 28, 28], regularizer: .erm,
                    objective: { regularizer, options in
                        try evaluatingEMA(
                            CombinedObjective(
                                base: SupervisedObjective(regularizer: regularizer),
                                terms: vatTerms(weight: options.unlabelledWeight ?? 1, options: options)))
                    },
                    optimizer: optimizer, schedule: schedule, epochs: epochs, batchSize: 100, unlabelledBatchSize: 128,
                    flags: [vatEpsilonFlag, entropyWeightFlag, balanceWeightFlag])),
            withSharedFlags(
                Recipe(
                    name: "mnist-ict-vat",
                    summary: "MNIST --labels N: ICT + VAT + entropy minimisation in one objective (each term ramped)",
                    data: data, model: model, sampleShape: [1, 28, 28], regularizer: .builtin { try .mixup(alpha: 1) },
                    objective: { regularizer, options in
                        try evaluatingEMA(
                            CombinedObjective(
                                base: ICTObjective(
                                    mixing: regularizer, teacherDecay: 0.999,
                                    consistencyWeight: try ramp(options.unlabelledWeight ?? 10, options),
                                    targetTemperature: try ictTemperature(options.recipeFlags, default: nil)),
                                terms: vatTerms(options: options)))
                    },
                    optimizer: optimizer, schedule: schedule, epochs: epochs, batchSize: 100, unlabelledBatchSize: 128,
                    flags: [sharpenFlag(default: nil), vatEpsilonFlag, entropyWeightFlag, balanceWeightFlag])),
        ]
    }
}
