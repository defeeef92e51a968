import Foundation
import MixupTensor
import Testing

@Suite struct ComputeMemoryTests {
    /// After `retainFreedMemory()`, a block of several MiB (an activation of a training step) comes from the reusable
    /// heap instead of a private `mmap` that `free` would return to the kernel. glibc marks mmapped chunks with bit 1
    /// (IS_MMAPPED) of the size word just before the block.
    @Test func largeBlocksComeFromTheReusableHeap() throws {
        #if canImport(Glibc)
            #expect(ComputeMemory.retainFreedMemory(), "glibc accepts the settings")
            for megabytes in [1, 8, 24] {
                let block = try #require(malloc(megabytes << 20))
                defer { free(block) }
                let sizeWord = (block - MemoryLayout<Int>.size).load(as: UInt.self)
                #expect(sizeWord & 0x2 == 0, "a \(megabytes) MiB block was mmapped (size word \(sizeWord))")
                #expect(Int(sizeWord & ~0x7) >= megabytes << 20)
            }
        #else
            ComputeMemory.retainFreedMemory()
        #endif
    }
}
