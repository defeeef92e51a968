import MixupNN
@_spi(MixupEngine) import MixupTensor

/// Moves every parameter of `average` towards `model`'s: θ′ ← α·θ′ + (1 − α)·θ, and copies `model`'s buffers (e.g.
/// BatchNorm running statistics) into `average`. The EMA step of Mean Teacher's teacher and of EMA evaluation.
///
/// - Parameters:
///   - average: a copy of `model` (same architecture: parameters and buffers pair up by position and shape; a pair
///     whose shapes differ is skipped).
///   - alpha: the weight of the old average, in [0, 1].
public func updateExponentialMovingAverage(_ average: any Layer, toward model: any Layer, alpha: Float) {
    for (s, t) in zip(model.allParameters, average.allParameters) where s.value.shape == t.value.shape {
        var values = t.value.scalars
        let count = values.count
        s.value.scalars.withUnsafeBufferPointer { source in
            values.withUnsafeMutableBufferPointer { target in
                guard count > 0 else { return }
                let sp = source.baseAddress!, tp = target.baseAddress!
                // Elementwise: the chunking does not change any value.
                Parallel.forEachChunk(count, costPerItem: 2) { range in
                    for i in range { tp[i] = alpha * tp[i] + (1 - alpha) * sp[i] }
                }
            }
        }
        t.value = Tensor(shape: t.value.shape, scalars: values)
    }
    for (s, t) in zip(model.namedBuffers().map(\.buffer), average.namedBuffers().map(\.buffer))
    where s.value.shape == t.value.shape {
        t.value = s.value
    }
}
