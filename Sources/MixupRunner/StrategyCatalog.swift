import MixupKit

/// The strategies `--strategy` can choose, by name: the built-ins (``builtin``) plus any a package registers.
public struct StrategyCatalog: Sendable {
    /// The registrations, in the order `mixup --help` lists them.
    public private(set) var registrations: [StrategyRegistration]

    /// A catalogue of `registrations`.
    ///
    /// - Throws: ``RunnerError/duplicateStrategy(_:)`` when two names (or aliases) collide.
    public init(_ registrations: [StrategyRegistration]) throws(RunnerError) {
        self.registrations = []
        for registration in registrations { try register(registration) }
    }

    /// Adds `registration`.
    ///
    /// - Throws: ``RunnerError/duplicateStrategy(_:)`` when its name or an alias is taken.
    public mutating func register(_ registration: StrategyRegistration) throws(RunnerError) {
        for name in [registration.name] + registration.aliases where self.registration(named: name) != nil {
            throw .duplicateStrategy(name)
        }
        registrations.append(registration)
    }

    /// This catalogue with `registration` added.
    ///
    /// - Throws: ``RunnerError/duplicateStrategy(_:)`` when its name or an alias is taken.
    public func adding(_ registration: StrategyRegistration) throws(RunnerError) -> StrategyCatalog {
        var copy = self
        try copy.register(registration)
        return copy
    }

    /// The names `--strategy` accepts (without aliases).
    public var names: [String] { registrations.map(\.name) }

    /// The registration answering to `name` (a name or an alias).
    public func registration(named name: String) -> StrategyRegistration? {
        registrations.first { $0.answers(to: name) }
    }

    /// The regularizer called `name`, with Beta concentration `alpha` when given (each strategy has its paper's default
    /// otherwise).
    ///
    /// - Throws: ``RunnerError/unknownStrategy(name:available:)``, ``RunnerError/flagDoesNotApply(flag:reason:)`` for
    ///   an α given to a strategy without one, or ``RunnerError/strategy(name:_:)`` wrapping the plugin's error
    ///   (e.g. α ≤ 0).
    public func regularizer(named name: String, alpha: Double?) throws(RunnerError) -> Regularizer {
        guard let registration = registration(named: name) else {
            throw .unknownStrategy(name: name, available: names)
        }
        if alpha != nil, !registration.takesAlpha {
            throw .flagDoesNotApply(flag: "--alpha", reason: "the strategy \(registration.name) has no α")
        }
        do {
            return try registration.make(alpha)
        } catch {
            throw .strategy(name: registration.name, error)
        }
    }

    /// The strategies that ship with MixupKit: erm, mixup, manifold (alias manifold-mixup), cutmix, fmix, resizemix,
    /// mixup-cutmix, gridmix, smoothmix, kmixup, mosaic, mixupio, nfm (alias noisy-feature-mixup), regmixup,
    /// mixup-dm, cutmix-dm, saliencymix, cmixup.
    public static let builtin: StrategyCatalog = {
        let registrations = [
            StrategyRegistration(name: "erm", summary: "no mixing (empirical risk minimisation)", takesAlpha: false) {
                _ throws(MixingError) in .erm
            },
            StrategyRegistration(name: "mixup", summary: "input Mixup, α = 1 (Zhang et al. 2018)", takesAlpha: true) {
                alpha throws(MixingError) in try .mixup(alpha: alpha ?? 1)
            },
            StrategyRegistration(
                name: "manifold", aliases: ["manifold-mixup"],
                summary: "Manifold Mixup over the input and hidden layers, α = 2 (Verma et al. 2019)", takesAlpha: true
            ) { alpha throws(MixingError) in try .manifoldMixup(alpha: alpha ?? 2) },
            StrategyRegistration(name: "cutmix", summary: "CutMix boxes, α = 1 (Yun et al. 2019)", takesAlpha: true) {
                alpha throws(MixingError) in try .cutMix(alpha: alpha ?? 1)
            },
            StrategyRegistration(
                name: "fmix", summary: "FMix Fourier masks, α = 1 (Harris et al. 2020)", takesAlpha: true
            ) { alpha throws(MixingError) in try .fMix(alpha: alpha ?? 1) },
            StrategyRegistration(
                name: "resizemix", summary: "ResizeMix: a resized partner pasted in (Qin et al. 2020); no α",
                takesAlpha: false
            ) { _ throws(MixingError) in try .resizeMix() },
            StrategyRegistration(
                name: "mixup-cutmix", summary: "Mixup (α, default 0.8) or CutMix (α = 1), each with probability 0.5",
                takesAlpha: true
            ) { alpha throws(MixingError) in
                let switching = try SwitchingStrategy([
                    (strategy: InterpolationStrategy.mixup(alpha: alpha ?? 0.8), probability: 0.5),
                    (strategy: CutMixStrategy.cutMix(alpha: 1), probability: 0.5),
                ])
                return try Regularizer(name: "mixup-cutmix", strategy: switching)
            },
            StrategyRegistration(
                name: "gridmix",
                summary: "GridMix: grid cells swapped with probability 1 − λ, α = 1 (Baek et al. 2021)",
                takesAlpha: true
            ) { alpha throws(MixingError) in try .gridMix(alpha: alpha ?? 1) },
            StrategyRegistration(
                name: "smoothmix", summary: "SmoothMix: a Gaussian blob of the partner (Lee et al. 2020); no α",
                takesAlpha: false
            ) { _ throws(MixingError) in try .smoothMix() },
            StrategyRegistration(
                name: "kmixup", summary: "k-sample Mixup, k = 3, Dirichlet(α) weights, α = 1 (Zhang et al. 2018)",
                takesAlpha: true
            ) { alpha throws(MixingError) in try .kMixup(alpha: alpha ?? 1) },
            StrategyRegistration(
                name: "mosaic", summary: "2×2 mosaic of four images, weights = areas (Bochkovskiy et al. 2020); no α",
                takesAlpha: false
            ) { _ throws(MixingError) in try .mosaic() },
            StrategyRegistration(
                name: "mixupio", summary: "MixupIO: mixed inputs, the dominant sample's hard label, α = 1",
                takesAlpha: true
            ) { alpha throws(MixingError) in try .mixupIO(alpha: alpha ?? 1) },
            StrategyRegistration(
                name: "nfm", aliases: ["noisy-feature-mixup"],
                summary: "Noisy Feature Mixup: Manifold Mixup + noise (add 0.4, mult 0.2), α = 1 (Lim et al. 2022)",
                takesAlpha: true
            ) { alpha throws(MixingError) in try .noisyFeatureMixup(alpha: alpha ?? 1) },
            StrategyRegistration(
                name: "regmixup",
                summary:
                    "RegMixup: clean batch + a mixed copy, CE(clean) + η·CE(mixed), η = 1, α = 20 (Pinto et al. 2022)",
                takesAlpha: true
            ) { alpha throws(MixingError) in try .regMixup(alpha: alpha ?? 20) },
            StrategyRegistration(
                name: "mixup-dm",
                summary: "input Mixup, α = 1, with the decoupled mixup loss, η = 0.1 (Liu et al. 2023)",
                takesAlpha: true
            ) { alpha throws(MixingError) in try Regularizer.mixup(alpha: alpha ?? 1).decoupled() },
            StrategyRegistration(
                name: "cutmix-dm", summary: "CutMix, α = 1, with the decoupled mixup loss, η = 0.1 (Liu et al. 2023)",
                takesAlpha: true
            ) { alpha throws(MixingError) in try Regularizer.cutMix(alpha: alpha ?? 1).decoupled() },
            StrategyRegistration(
                name: "saliencymix",
                summary: "SaliencyMix: a box on the partner's input-gradient saliency peak, α = 1 (Uddin et al. 2021)",
                takesAlpha: true
            ) { alpha throws(MixingError) in try .saliencyMix(alpha: alpha ?? 1) },
            StrategyRegistration(
                name: "cmixup",
                summary: "C-Mixup: partners by a Gaussian kernel (σ = 1) on label distance, α = 2 (Yao et al. 2022)",
                takesAlpha: true
            ) { alpha throws(MixingError) in try .cMixup(alpha: alpha ?? 2) },
        ]
        // The built-in names are distinct by construction; build without the duplicate check's throw.
        var catalog = StrategyCatalog(unchecked: [])
        catalog.registrations = registrations
        return catalog
    }()

    private init(unchecked registrations: [StrategyRegistration]) { self.registrations = registrations }
}
