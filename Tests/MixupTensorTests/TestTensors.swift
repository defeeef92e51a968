import MixupTensor

// Small deterministic inputs shared by the MixupTensor tests.

/// Uniform draws in [lower, upper) from a fixed seed.
func randomTensor(_ shape: [Int], seed: UInt64, lower: Float = -1, upper: Float = 1) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor.uniform(shape, lower: lower, upper: upper, using: &generator)
}

/// Values with |x| in [0.2, 1.2) and a random sign: safe for finite differences of kinks at 0 (relu, abs, …).
func awayFromZero(_ shape: [Int], seed: UInt64) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    let count = shape.reduce(1, *)
    let values = (0..<count).map { _ -> Float in
        let magnitude = 0.2 + generator.nextUnitFloat()
        return generator.nextBernoulli(0.5) ? magnitude : -magnitude
    }
    return Tensor(shape: shape, scalars: values)
}

/// Pairwise distinct values spaced 0.1 apart in random order: the maximum of any group is unique by a wide margin.
func distinctTensor(_ shape: [Int], seed: UInt64) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    let count = shape.reduce(1, *)
    let values = generator.nextPermutation(count).map { Float($0 - count / 2) * 0.1 }
    return Tensor(shape: shape, scalars: values)
}

/// Σ tᵢ·wᵢ with fixed pseudo-random weights: a scalar loss whose gradient is not the same for every element.
func weightedSum(_ t: Tensor, seed: UInt64 = 999) -> Tensor {
    (t * randomTensor(t.shape, seed: seed, lower: -1, upper: 1)).sum()
}

/// Row-major offset of a multi-index.
func offset(_ index: [Int], in shape: [Int]) -> Int {
    var result = 0
    for (axis, i) in index.enumerated() { result = result * shape[axis] + i }
    return result
}
