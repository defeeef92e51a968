import Foundation
import MixupKit
import Testing

@Suite struct ImageDeformationTests {
    let side = 5
    var image: [Float] { (0..<(side * side)).map { Float($0 + 1) } }

    @Test func aQuarterTurnIsAnIndexPermutation() {
        let rotated = ImageDeformation.rotation(degrees: 90).apply(to: image, channels: 1, height: side, width: side)
        for row in 0..<side {
            for column in 0..<side {
                #expect(rotated[row * side + column] == image[column * side + (side - 1 - row)])
            }
        }
        // Four quarter turns give the image back exactly.
        var turned = image
        for _ in 0..<4 {
            turned = ImageDeformation.rotation(degrees: 90).apply(to: turned, channels: 1, height: side, width: side)
        }
        #expect(turned == image)
    }

    @Test func identityDeformationsKeepTheImage() {
        #expect(ImageDeformation.rotation(degrees: 0).apply(to: image, channels: 1, height: side, width: side) == image)
        #expect(ImageDeformation.zoom(factor: 1).apply(to: image, channels: 1, height: side, width: side) == image)
        #expect(ImageDeformation.shear(degrees: 0).apply(to: image, channels: 1, height: side, width: side) == image)
    }

    @Test func zoomingOutPadsWithBlackAndInterpolatesBilinearly() {
        let shrunk = ImageDeformation.zoom(factor: 0.5).apply(to: image, channels: 1, height: side, width: side)
        // The corner samples 2 pixels beyond the image: black.
        #expect(shrunk[0] == 0)
        // The centre stays the centre.
        #expect(shrunk[12] == image[12])
        // Zoom in by 2: the pixel right of the centre samples halfway between two pixels.
        let enlarged = ImageDeformation.zoom(factor: 2).apply(to: image, channels: 1, height: side, width: side)
        #expect(Swift.abs(enlarged[13] - (image[12] + image[13]) / 2) < 1e-6)
    }

    @Test func deformingADatasetKeepsLabelsAndRejectsNonImages() throws {
        var generator = SeededGenerator(seed: 1)
        let data = try Dataset(
            name: "tiny", sampleShape: [1, side, side], samples: image + image, labels: [0, 1], classCount: 2)
        let deformed = try ImageDeformation.deforming(
            data, name: "quarter", by: { _ in .rotation(degrees: 90) }, using: &generator)
        #expect(deformed.labels == [0, 1])
        #expect(deformed.count == 2)
        let flat = SyntheticData.twoMoons(pointsPerClass: 2, noise: 0, using: &generator)
        #expect(throws: AnalysisError.self) {
            try ImageDeformation.deforming(flat, name: "x", by: { _ in .zoom(factor: 2) }, using: &generator)
        }
    }
}
