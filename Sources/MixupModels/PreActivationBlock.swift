import MixupNN
import MixupTensor

/// The pre-activation residual block of He et al. (2016, "Identity Mappings in Deep Residual Networks"):
/// BN-ReLU-conv3×3-BN-ReLU-conv3×3 plus a shortcut (a 1×1 convolution of the pre-activated input when the shape
/// changes). Input `[batch, inChannels, h, w]`, output `[batch, outChannels, h/stride, w/stride]`.
public final class PreActivationBlock: Layer {
    let norm1: BatchNorm
    let conv1: Conv2D
    let norm2: BatchNorm
    let conv2: Conv2D
    let shortcut: Conv2D?

    /// Creates a block.
    public init(inChannels: Int, outChannels: Int, stride: Int, using generator: inout some RandomNumberGenerator) {
        norm1 = BatchNorm(featureCount: inChannels)
        conv1 = Conv2D(
            inChannels: inChannels, outChannels: outChannels, kernelSize: 3, stride: stride, padding: 1, hasBias: false,
            using: &generator)
        norm2 = BatchNorm(featureCount: outChannels)
        conv2 = Conv2D(
            inChannels: outChannels, outChannels: outChannels, kernelSize: 3, padding: 1, hasBias: false,
            using: &generator)
        shortcut =
            stride != 1 || inChannels != outChannels
            ? Conv2D(
                inChannels: inChannels, outChannels: outChannels, kernelSize: 1, stride: stride, hasBias: false,
                using: &generator)
            : nil
    }

    private init(norm1: BatchNorm, conv1: Conv2D, norm2: BatchNorm, conv2: Conv2D, shortcut: Conv2D?) {
        self.norm1 = norm1
        self.conv1 = conv1
        self.norm2 = norm2
        self.conv2 = conv2
        self.shortcut = shortcut
    }

    public func copy() -> PreActivationBlock {
        PreActivationBlock(
            norm1: norm1.copy(), conv1: conv1.copy(), norm2: norm2.copy(), conv2: conv2.copy(),
            shortcut: shortcut?.copy())
    }

    public var children: [(name: String, layer: any Layer)] {
        var result: [(name: String, layer: any Layer)] = [
            ("bn1", norm1), ("conv1", conv1), ("bn2", norm2), ("conv2", conv2),
        ]
        if let shortcut { result.append(("shortcut", shortcut)) }
        return result
    }

    public func callAsFunction(_ input: Tensor, context: inout ForwardContext) -> Tensor {
        let activated = norm1(input, context: &context).relu()
        let identity = shortcut.map { $0(activated, context: &context) } ?? input
        var out = conv1(activated, context: &context)
        out = conv2(norm2(out, context: &context).relu(), context: &context)
        return out + identity
    }
}
