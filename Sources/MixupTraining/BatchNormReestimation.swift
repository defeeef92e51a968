import MixupData
import MixupNN
import MixupTensor

/// Every ``BatchNorm`` layer of a network, in the order of ``Layer/children``.
public func batchNormLayers(of layer: any Layer) -> [BatchNorm] {
    var result: [BatchNorm] = []
    if let norm = layer as? BatchNorm { result.append(norm) }
    for child in layer.children { result += batchNormLayers(of: child.layer) }
    return result
}

/// Replaces the running statistics of every ``BatchNorm`` in `model` by their average over `samples` rows of
/// `dataset` (the first ones, in order), as PyTorch's `torch.optim.swa_utils.update_bn` does for averaged weights.
///
/// Weights averaged over many steps (EMA, SWA) never produced the activations that their copied running statistics
/// describe; re-estimating them on clean training data makes evaluation use statistics of the averaged network
/// itself. The network runs in training mode without gradients (so dropout and noise layers are active, as in
/// `update_bn`); batch k is weighted 1/k, giving the mean of the per-batch statistics. Momenta are restored after.
/// - Parameters:
///   - samples: how many rows to use (capped at the dataset's size); nothing changes when 0 or the model has no
///     BatchNorm.
///   - batchSize: rows per forward pass (batch statistics need more than one).
public func reestimateBatchNormStatistics(
    of model: any Layer, on dataset: Dataset, samples: Int, batchSize: Int = 500
) {
    let norms = batchNormLayers(of: model)
    let count = min(samples, dataset.count)
    guard !norms.isEmpty, count > 1 else { return }
    let momenta = norms.map(\.momentum)
    defer { for (norm, momentum) in zip(norms, momenta) { norm.momentum = momentum } }
    var context = ForwardContext(isTraining: true, generator: SeededGenerator(seed: 0))
    var start = 0, batchIndex = 0
    let step = max(batchSize, 2)
    while start < count {
        var end = min(start + step, count)
        // A last batch of one row has no variance: merge it into the previous batch.
        if count - end == 1 { end = count }
        batchIndex += 1
        for norm in norms { norm.momentum = 1 / Float(batchIndex) }
        let inputs = dataset.inputs(at: Array(start..<end))
        _ = withoutGradients { model(inputs, context: &context) }
        start = end
    }
}
