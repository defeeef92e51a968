import MixupNN
import MixupTensor

/// The cross-entropy of `model` (inference mode) on `inputs` against `targets` and its gradient with respect to the
/// inputs, through MixupTensor's side-effect-free input-gradient API: the model's parameter gradients are left
/// exactly as they were. The loss is the *sum* over the batch, so each row of the gradient is the gradient of that
/// sample's own loss.
func inputGradient(of model: any Layer, at inputs: Tensor, softTargets targets: Tensor) -> (
    loss: Float, gradient: Tensor
) {
    var context = ForwardContext.inference
    let batch = Float(inputs.shape.first ?? 1)
    let (value, gradients) = valueWithGradients(at: [inputs], accumulatingIntoParameters: false) { x in
        softmaxCrossEntropy(logits: model(x[0], context: &context), softTargets: targets) * batch
    }
    return (value.scalar, gradients[0])
}

/// ``inputGradient(of:at:softTargets:)`` against hard labels.
func inputGradient(of model: any Layer, at inputs: Tensor, labels: [Int], classCount: Int) -> (
    loss: Float, gradient: Tensor
) {
    inputGradient(of: model, at: inputs, softTargets: Tensor.oneHot(labels, classCount: classCount))
}
