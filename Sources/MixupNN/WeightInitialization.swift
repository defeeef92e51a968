import Foundation
import MixupTensor

/// How a layer draws its initial weights from an injected generator.
public enum WeightInitialization: Sendable, Equatable {
    /// He et al. (2015) normal: N(0, 2 / fanIn), for ReLU networks.
    case kaimingNormal
    /// He et al. (2015) uniform: U(±√(6 / fanIn)).
    case kaimingUniform
    /// Glorot & Bengio (2010) uniform: U(±√(6 / (fanIn + fanOut))).
    case xavierUniform
    /// Glorot & Bengio (2010) normal: N(0, 2 / (fanIn + fanOut)).
    case xavierNormal
    /// PyTorch's default for Linear and Conv2d: U(±1/√fanIn).
    case pytorchDefault

    /// Draws a tensor of `shape` with the given fans.
    public func sample(
        _ shape: [Int], fanIn: Int, fanOut: Int, using generator: inout some RandomNumberGenerator
    ) -> Tensor {
        let fanIn = Float(max(fanIn, 1)), fanOut = Float(max(fanOut, 1))
        switch self {
        case .kaimingNormal:
            return .normal(shape, standardDeviation: (2 / fanIn).squareRoot(), using: &generator)
        case .kaimingUniform:
            let bound = (6 / fanIn).squareRoot()
            return .uniform(shape, lower: -bound, upper: bound, using: &generator)
        case .xavierUniform:
            let bound = (6 / (fanIn + fanOut)).squareRoot()
            return .uniform(shape, lower: -bound, upper: bound, using: &generator)
        case .xavierNormal:
            return .normal(shape, standardDeviation: (2 / (fanIn + fanOut)).squareRoot(), using: &generator)
        case .pytorchDefault:
            let bound = 1 / fanIn.squareRoot()
            return .uniform(shape, lower: -bound, upper: bound, using: &generator)
        }
    }
}
