import InputMixupPlugin
import MixupMixing

extension Regularizer {
    /// RegMixup (Pinto, Yang, Lim, Torr & Dokania, NeurIPS 2022, "Using Mixup as a Regularizer Can Surprisingly Improve
    /// Accuracy and Out-of-Distribution Robustness"): every batch is fed as the clean batch followed by an input-Mixup
    /// copy with λ ~ Beta(α, α), and the loss is CE(clean) + η·CE(mixed). The large α (≈ 20 for CIFAR-10, 10 for
    /// CIFAR-100) keeps λ near 0.5, so the mixed copy is a maximum-entropy regularizer that targets calibration.
    ///
    /// Built on the public API's clean-batch option (``Regularizer/keepingCleanBatch(mixedLossWeight:)``), so the
    /// mixed copy can come from any strategy: `try .cutMix(alpha: 1).keepingCleanBatch(mixedLossWeight: 1)`.
    ///
    /// - Parameters:
    ///   - alpha: the Beta concentration of the mixed copy (default 20).
    ///   - eta: the weight η of the mixed copy's loss (default 1, the paper's).
    /// - Throws: ``MixingError`` naming α if α ≤ 0, or η if it is negative.
    public static func regMixup(alpha: Double = 20, eta: Double = 1) throws(MixingError) -> Regularizer {
        try Regularizer(name: "regmixup", strategy: InterpolationStrategy.mixup(alpha: alpha))
            .keepingCleanBatch(mixedLossWeight: eta)
    }
}
