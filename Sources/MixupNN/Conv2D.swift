import MixupTensor

/// A 2-D convolution layer over `[batch, inChannels, height, width]`.
///
/// Filter `[outChannels, inChannels / groups, kernelSize, kernelSize]`, bias `[outChannels]`; output
/// `[batch, outChannels, (height + 2·padding − kernelSize) / stride + 1, …]`.
public final class Conv2D: Layer {
    /// `[outChannels, inChannels / groups, kernelSize, kernelSize]`.
    public let filter: Parameter
    /// `[outChannels]`, or `nil` without bias (the usual choice before BatchNorm).
    public let bias: Parameter?
    /// Window step.
    public let stride: Int
    /// Zero padding on each side.
    public let padding: Int
    /// Channel groups.
    public let groups: Int

    /// Creates a convolution with filters drawn by `initialization`.
    public init(
        inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0, groups: Int = 1,
        hasBias: Bool = true, initialization: WeightInitialization = .kaimingNormal,
        using generator: inout some RandomNumberGenerator
    ) {
        precondition(
            inChannels > 0 && outChannels > 0 && kernelSize > 0 && groups > 0 && inChannels % groups == 0
                && outChannels % groups == 0,
            "Conv2D: invalid channels \(inChannels) → \(outChannels), kernel \(kernelSize), groups \(groups)")
        let fanIn = inChannels / groups * kernelSize * kernelSize
        let fanOut = outChannels / groups * kernelSize * kernelSize
        filter = Parameter(
            initialization.sample(
                [outChannels, inChannels / groups, kernelSize, kernelSize], fanIn: fanIn, fanOut: fanOut,
                using: &generator),
            name: "weight")
        bias = hasBias ? Parameter(.zeros([outChannels]), name: "bias") : nil
        self.stride = stride
        self.padding = padding
        self.groups = groups
    }

    private init(filter: Parameter, bias: Parameter?, stride: Int, padding: Int, groups: Int) {
        self.filter = filter
        self.bias = bias
        self.stride = stride
        self.padding = padding
        self.groups = groups
    }

    public var parameters: [Parameter] { [filter] + (bias.map { [$0] } ?? []) }

    public func copy() -> Conv2D {
        Conv2D(filter: filter.copy(), bias: bias?.copy(), stride: stride, padding: padding, groups: groups)
    }

    public func callAsFunction(_ input: Tensor, context: inout ForwardContext) -> Tensor {
        Tensor.conv2d(
            input, filter: filter.tracked, bias: bias?.tracked, stride: stride, padding: padding, groups: groups)
    }
}
