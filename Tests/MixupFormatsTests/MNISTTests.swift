import MixupFormats
import Testing

/// Reads the real MNIST files from `../shared/data/mnist` (relative to the package root). When that folder is absent
/// these tests are reported as *skipped* with the reason below, not silently passed.
@Suite(.enabled(if: mnistDirectory != nil, "MNIST data not found at ../shared/data/mnist relative to the package root"))
struct MNISTTests {
    @Test func testLabelsHaveTheKnownClassCounts() throws {
        let directory = try #require(mnistDirectory)
        let labels = try IDXFile(path: directory + "/t10k-labels-idx1-ubyte.gz")
        #expect(labels.elementType == .uint8)
        #expect(labels.dimensions == [10000])
        let values = try #require(labels.integerValues())
        var counts = [Int](repeating: 0, count: 10)
        for value in values { counts[value] += 1 }
        #expect(counts == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
    }

    @Test func testImagesHaveTheExpectedShape() throws {
        let directory = try #require(mnistDirectory)
        let images = try IDXFile(path: directory + "/t10k-images-idx3-ubyte.gz")
        #expect(images.dimensions == [10000, 28, 28])
        let pixels = try #require(images.uint8Values)
        #expect(pixels.count == 7_840_000)
        // Every digit image has a blank border: the first row of each of the first 100 images is all zero.
        for image in 0..<100 { #expect(pixels[(image * 784)..<(image * 784 + 28)].allSatisfy { $0 == 0 }) }
    }
}
