import Foundation
import MixupTensor

/// Small synthetic classification problems in low dimension, for tests, demos and decision-boundary plots.
///
/// Every generator draws only from the `generator` it is given, so a ``SeededGenerator`` with a fixed seed
/// reproduces a dataset bit for bit. Samples are laid out class by class (all of class 0, then all of class 1, …);
/// shuffle with ``Dataset/shuffled(using:)`` or a shuffled ``BatchSchedule`` before training.
public enum SyntheticData {
    /// Two interleaved spirals in the plane: the toy problem of Figure 1 of Verma et al., "Manifold Mixup: Better
    /// Representations by Interpolating Hidden States" (ICML 2019).
    ///
    /// Each class is one arm of an Archimedean spiral. For a class `c` ∈ {0, 1} and a position `t` ∈ [0, 1) drawn as
    /// `√u` with `u` uniform (so points are spread roughly evenly along the arm), the point is
    /// `(t·cos θ, t·sin θ) + noise` with `θ = 2π·turns·t + c·π`: class 1 is class 0 rotated by half a turn, so along
    /// any ray from the origin the radii of the two classes alternate. Before noise the coordinates lie in the unit
    /// disc, so they are roughly in [-1, 1].
    ///
    /// - Parameters:
    ///   - pointsPerClass: samples per class; the dataset has `2 × pointsPerClass` samples.
    ///   - noise: standard deviation of the isotropic Gaussian noise added to each coordinate (in the same units as
    ///     the unit-radius spiral); 0 gives points exactly on the arms.
    ///   - turns: how many full turns each arm makes.
    ///   - generator: the source of randomness.
    /// - Returns: a labelled dataset named `"two-spirals"` with `sampleShape` `[2]`, labels 0 and 1, `classCount` 2.
    /// - Precondition: `pointsPerClass > 0`, `noise ≥ 0`, `turns > 0` (both finite).
    public static func twoSpirals(
        pointsPerClass: Int, noise: Double = 0, turns: Double = 1.5, using generator: inout some RandomNumberGenerator
    ) -> Dataset {
        precondition(pointsPerClass > 0, "twoSpirals: pointsPerClass must be positive, got \(pointsPerClass)")
        precondition(noise >= 0 && noise.isFinite, "twoSpirals: noise must be non-negative and finite, got \(noise)")
        precondition(turns > 0 && turns.isFinite, "twoSpirals: turns must be positive and finite, got \(turns)")
        return twoClassPlane(name: "two-spirals", pointsPerClass: pointsPerClass, noise: noise, using: &generator) {
            label, generator in
            let t = generator.nextUnitDouble().squareRoot()
            let angle = 2 * Double.pi * turns * t + Double(label) * Double.pi
            return (t * cos(angle), t * sin(angle))
        }
    }

    /// Two interleaving half circles ("moons") in the plane.
    ///
    /// The classic construction (class 0: `(cos θ, sin θ)`; class 1: `(1 − cos θ, 0.5 − sin θ)`, with θ uniform in
    /// [0, π]) shifted by `(−0.5, −0.25)` and scaled by 2/3, so that before noise `x` ∈ [-1, 1] and `y` ∈ [-0.5, 0.5].
    ///
    /// - Parameters:
    ///   - pointsPerClass: samples per class; the dataset has `2 × pointsPerClass` samples.
    ///   - noise: standard deviation of the isotropic Gaussian noise added to each coordinate after scaling.
    ///   - generator: the source of randomness.
    /// - Returns: a labelled dataset named `"two-moons"` with `sampleShape` `[2]`, labels 0 and 1, `classCount` 2.
    /// - Precondition: `pointsPerClass > 0`, `noise ≥ 0` and finite.
    public static func twoMoons(
        pointsPerClass: Int, noise: Double = 0, using generator: inout some RandomNumberGenerator
    ) -> Dataset {
        precondition(pointsPerClass > 0, "twoMoons: pointsPerClass must be positive, got \(pointsPerClass)")
        precondition(noise >= 0 && noise.isFinite, "twoMoons: noise must be non-negative and finite, got \(noise)")
        let scale = 2.0 / 3.0
        return twoClassPlane(name: "two-moons", pointsPerClass: pointsPerClass, noise: noise, using: &generator) {
            label, generator in
            let angle = Double.pi * generator.nextUnitDouble()
            let (x, y) = label == 0 ? (cos(angle), sin(angle)) : (1 - cos(angle), 0.5 - sin(angle))
            return ((x - 0.5) * scale, (y - 0.25) * scale)
        }
    }

    /// Isotropic Gaussian clusters, one per class.
    ///
    /// The `classCount` centres are drawn first, uniformly in the cube [-1, 1]^`dimension`; then each sample is its
    /// class centre plus Gaussian noise of standard deviation `spread` in every coordinate.
    ///
    /// - Parameters:
    ///   - pointsPerClass: samples per class; the dataset has `classCount × pointsPerClass` samples.
    ///   - classCount: the number of clusters (classes).
    ///   - dimension: the length of each sample.
    ///   - spread: the per-coordinate standard deviation around each centre.
    ///   - generator: the source of randomness.
    /// - Returns: a labelled dataset named `"gaussian-blobs"` with `sampleShape` `[dimension]`, labels
    ///   `0..<classCount`.
    /// - Precondition: `pointsPerClass > 0`, `classCount > 0`, `dimension > 0`, `spread ≥ 0` and finite.
    public static func gaussianBlobs(
        pointsPerClass: Int, classCount: Int, dimension: Int = 2, spread: Double = 0.1,
        using generator: inout some RandomNumberGenerator
    ) -> Dataset {
        precondition(pointsPerClass > 0, "gaussianBlobs: pointsPerClass must be positive, got \(pointsPerClass)")
        precondition(classCount > 0, "gaussianBlobs: classCount must be positive, got \(classCount)")
        precondition(dimension > 0, "gaussianBlobs: dimension must be positive, got \(dimension)")
        precondition(
            spread >= 0 && spread.isFinite, "gaussianBlobs: spread must be non-negative and finite, got \(spread)")
        var centres: [Double] = []
        centres.reserveCapacity(classCount * dimension)
        for _ in 0..<(classCount * dimension) { centres.append(generator.nextUniform(-1, 1)) }
        var samples: [Float] = []
        samples.reserveCapacity(classCount * pointsPerClass * dimension)
        var labels: [Int] = []
        labels.reserveCapacity(classCount * pointsPerClass)
        for label in 0..<classCount {
            for _ in 0..<pointsPerClass {
                for axis in 0..<dimension {
                    let offset = spread > 0 ? spread * generator.nextNormal() : 0
                    samples.append(Float(centres[label * dimension + axis] + offset))
                }
                labels.append(label)
            }
        }
        return Dataset(
            unchecked: "gaussian-blobs", sampleShape: [dimension], samples: samples, labels: labels,
            classCount: classCount)
    }

    /// Two classes of 2-D points, class 0 first: each point is `point(label, generator)` plus, when `noise > 0`,
    /// isotropic Gaussian noise drawn right after it. Shared by the spirals and the moons.
    private static func twoClassPlane<G: RandomNumberGenerator>(
        name: String, pointsPerClass: Int, noise: Double, using generator: inout G,
        point: (_ label: Int, _ generator: inout G) -> (Double, Double)
    ) -> Dataset {
        var samples: [Float] = []
        samples.reserveCapacity(4 * pointsPerClass)
        var labels: [Int] = []
        labels.reserveCapacity(2 * pointsPerClass)
        for label in 0..<2 {
            for _ in 0..<pointsPerClass {
                var (x, y) = point(label, &generator)
                if noise > 0 {
                    x += noise * generator.nextNormal()
                    y += noise * generator.nextNormal()
                }
                samples.append(Float(x))
                samples.append(Float(y))
                labels.append(label)
            }
        }
        return Dataset(unchecked: name, sampleShape: [2], samples: samples, labels: labels, classCount: 2)
    }
}
