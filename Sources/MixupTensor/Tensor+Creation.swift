extension Tensor {
    /// A tensor of the given shape filled with `value`.
    public static func filled(_ shape: [Int], with value: Float) -> Tensor {
        precondition(shape.allSatisfy { $0 >= 0 }, "filled: negative extent in shape \(shape)")
        return Tensor(shape: shape, scalars: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { filled(shape, with: 0) }

    /// A tensor of ones.
    public static func ones(_ shape: [Int]) -> Tensor { filled(shape, with: 1) }

    /// Zeros with the shape of `other`.
    public static func zeros(like other: Tensor) -> Tensor { zeros(other.shape) }

    /// Independent uniform draws from [lower, upper).
    public static func uniform(
        _ shape: [Int], lower: Float = 0, upper: Float = 1, using generator: inout some RandomNumberGenerator
    ) -> Tensor {
        precondition(lower <= upper, "uniform: lower bound \(lower) exceeds upper bound \(upper)")
        let count = shape.reduce(1, *)
        var values = [Float](repeating: 0, count: count)
        for i in 0..<count { values[i] = lower + (upper - lower) * generator.nextUnitFloat() }
        return Tensor(shape: shape, scalars: values)
    }

    /// Independent normal draws with the given mean and standard deviation.
    public static func normal(
        _ shape: [Int], mean: Float = 0, standardDeviation: Float = 1, using generator: inout some RandomNumberGenerator
    ) -> Tensor {
        precondition(
            standardDeviation >= 0, "normal: standard deviation must be non-negative, got \(standardDeviation)")
        let count = shape.reduce(1, *)
        var values = [Float](repeating: mean, count: count)
        var draws = NormalDraws(capacity: count)
        draws.draw(count, using: &generator)
        // mean + s·z, as a sum in the other order (IEEE addition commutes): the same values as a loop of nextNormal().
        if count > 0 {
            values.withUnsafeMutableBufferPointer { draws.add(scaledBy: standardDeviation, to: $0.baseAddress!) }
        }
        return Tensor(shape: shape, scalars: values)
    }

    /// One-hot rows: `[labels.count, classCount]` with a 1 at each label.
    ///
    /// - Precondition: every label is in `0..<classCount`.
    public static func oneHot(_ labels: [Int], classCount: Int) -> Tensor {
        var values = [Float](repeating: 0, count: labels.count * classCount)
        for (row, label) in labels.enumerated() {
            precondition(
                label >= 0 && label < classCount, "oneHot: label \(label) at row \(row) is not in 0..<\(classCount)")
            values[row * classCount + label] = 1
        }
        return Tensor(shape: [labels.count, classCount], scalars: values)
    }
}
