import Foundation
import MixupData
import MixupTensor

/// An affine deformation of images about their centre, resampled bilinearly with black (zero) padding: rotation,
/// shear and zoom, the novel deformations of Verma et al. (2019), Table 4.
///
/// The matrix maps an output pixel's offset from the centre, (x, y) with x to the right and y down, to the offset
/// of the input position it samples.
public struct ImageDeformation: Sendable, Equatable {
    /// A description, e.g. `"rotate 30°"`.
    public let name: String
    /// The output-to-input matrix [[a, b], [c, d]]: x_in = a·x + b·y, y_in = c·x + d·y.
    public let matrix: [Double]

    /// Creates a deformation from its output-to-input matrix (row-major 2 × 2).
    ///
    /// - Precondition: `matrix` has four finite entries.
    public init(name: String, matrix: [Double]) {
        precondition(
            matrix.count == 4 && matrix.allSatisfy(\.isFinite), "ImageDeformation: need 4 finite entries, got \(matrix)"
        )
        self.name = name
        self.matrix = matrix
    }

    /// A rotation by `degrees`, counter-clockwise as seen on screen.
    public static func rotation(degrees: Double) -> ImageDeformation {
        let theta = degrees * Double.pi / 180
        // The output pixel at angle φ shows the input at φ − θ. Exact values at multiples of 90° keep those
        // rotations exact permutations of the pixels.
        let (c, s) = exactCosSin(theta)
        return ImageDeformation(name: "rotate \(SVGText.number(degrees))°", matrix: [c, -s, s, c])
    }

    /// A horizontal shear by `degrees`: rows are shifted in proportion to their distance from the centre.
    public static func shear(degrees: Double) -> ImageDeformation {
        ImageDeformation(
            name: "shear \(SVGText.number(degrees))°", matrix: [1, Foundation.tan(degrees * .pi / 180), 0, 1])
    }

    /// A zoom by `factor` about the centre: > 1 zooms in (enlarges), < 1 zooms out (shrinks, padding with black).
    ///
    /// - Precondition: `factor` > 0.
    public static func zoom(factor: Double) -> ImageDeformation {
        precondition(factor > 0 && factor.isFinite, "ImageDeformation.zoom: factor must be positive, got \(factor)")
        return ImageDeformation(name: "zoom ×\(SVGText.number(factor))", matrix: [1 / factor, 0, 0, 1 / factor])
    }

    static func exactCosSin(_ theta: Double) -> (Double, Double) {
        let quarterTurns = theta / (Double.pi / 2)
        if Swift.abs(quarterTurns - quarterTurns.rounded()) < 1e-12 {
            switch ((Int(quarterTurns.rounded()) % 4) + 4) % 4 {
            case 0: return (1, 0)
            case 1: return (0, 1)
            case 2: return (-1, 0)
            default: return (0, -1)
            }
        }
        return (Foundation.cos(theta), Foundation.sin(theta))
    }

    /// Deforms one `[channels, height, width]` image given as row-major values.
    ///
    /// - Precondition: `pixels.count == channels × height × width`.
    public func apply(to pixels: [Float], channels: Int, height: Int, width: Int) -> [Float] {
        precondition(
            pixels.count == channels * height * width,
            "ImageDeformation.apply: \(pixels.count) values do not form [\(channels), \(height), \(width)]")
        let (cx, cy) = (Double(width - 1) / 2, Double(height - 1) / 2)
        var output = [Float](repeating: 0, count: pixels.count)
        for row in 0..<height {
            for column in 0..<width {
                let (x, y) = (Double(column) - cx, Double(row) - cy)
                let sourceX = matrix[0] * x + matrix[1] * y + cx
                let sourceY = matrix[2] * x + matrix[3] * y + cy
                let x0 = Int(sourceX.rounded(.down)), y0 = Int(sourceY.rounded(.down))
                let fx = Float(sourceX - Double(x0)), fy = Float(sourceY - Double(y0))
                for channel in 0..<channels {
                    let base = channel * height * width
                    func pixel(_ r: Int, _ c: Int) -> Float {
                        r >= 0 && r < height && c >= 0 && c < width ? pixels[base + r * width + c] : 0
                    }
                    let top = pixel(y0, x0) * (1 - fx) + (fx > 0 ? pixel(y0, x0 + 1) * fx : 0)
                    let bottom = fy > 0 ? pixel(y0 + 1, x0) * (1 - fx) + (fx > 0 ? pixel(y0 + 1, x0 + 1) * fx : 0) : 0
                    output[base + row * width + column] = top * (1 - fy) + bottom * fy
                }
            }
        }
        return output
    }

    /// A copy of an image dataset (samples `[channels, height, width]`) with every image deformed by the deformation
    /// `draw` returns for it (e.g. a rotation by an angle drawn uniformly from [−20°, 20°]).
    ///
    /// - Throws: ``AnalysisError/invalidData(_:)`` unless samples are `[channels, height, width]`.
    public static func deforming(
        _ dataset: Dataset, name: String, by draw: (inout SeededGenerator) -> ImageDeformation,
        using generator: inout SeededGenerator
    ) throws(AnalysisError) -> Dataset {
        guard dataset.sampleShape.count == 3 else {
            throw .invalidData(
                "\(dataset.name): deformations need [channels, height, width] images, got \(dataset.sampleShape)")
        }
        let (channels, height, width) = (dataset.sampleShape[0], dataset.sampleShape[1], dataset.sampleShape[2])
        let size = dataset.sampleSize
        var values = [Float]()
        values.reserveCapacity(dataset.samples.count)
        for index in 0..<dataset.count {
            let deformation = draw(&generator)
            values += deformation.apply(
                to: Array(dataset.samples[(index * size)..<((index + 1) * size)]), channels: channels, height: height,
                width: width)
        }
        do {
            return try Dataset(
                name: "\(dataset.name)-\(name)", sampleShape: dataset.sampleShape, samples: values,
                labels: dataset.labels, classCount: dataset.classCount)
        } catch {
            throw .invalidData(error.description)
        }
    }
}
