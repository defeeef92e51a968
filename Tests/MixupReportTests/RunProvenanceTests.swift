import Foundation
import Testing

@testable import MixupReport

@Suite struct RunProvenanceTests {
    @Test func optionsAreEveryStoredPropertyWithOptionalsUnwrapped() {
        struct Flags {
            var epochs: Int? = nil
            var seed: UInt64 = 7
            var strategy: String? = "cutmix"
            var quiet = true
            var flags: [String: String] = ["b": "2", "a": "1", "c": "3"]
        }
        let provenance = RunProvenance.current(options: Flags())
        #expect(provenance.options.map(\.name) == ["epochs", "seed", "strategy", "quiet", "flags"])
        #expect(provenance.options.map(\.value) == ["default", "7", "cutmix", "true", "[a: 1, b: 2, c: 3]"])
    }

    @Test func roundTripsThroughTheFile() throws {
        let folder = ReportFixtures.temporaryDirectory()
        let record = RunProvenance(libraryVersion: "1.2.3", commit: "abc", options: [.init(name: "a", value: "<b>")])
        try record.write(folder: folder)
        #expect(try RunProvenance.read(folder: folder) == record)
        #expect(try RunProvenance.read(folder: (folder as NSString).appendingPathComponent("none")) == nil)
    }

    @Test func gitCommitFollowsHeadToALooseOrPackedRef() throws {
        let root = ReportFixtures.temporaryDirectory()
        let git = (root as NSString).appendingPathComponent(".git")
        let hash = String(repeating: "ab12", count: 10)
        try ReportFixtures.write("ref: refs/heads/main\n", to: (git as NSString).appendingPathComponent("HEAD"))
        try ReportFixtures.write(hash + "\n", to: (git as NSString).appendingPathComponent("refs/heads/main"))
        let source = (root as NSString).appendingPathComponent("Sources/Module/File.swift")
        #expect(GitCommit.find(from: source) == hash)
        try FileManager.default.removeItem(atPath: (git as NSString).appendingPathComponent("refs/heads/main"))
        let packed = String(repeating: "cd34", count: 10)
        try ReportFixtures.write(
            "# pack-refs\n\(packed) refs/heads/main\n", to: (git as NSString).appendingPathComponent("packed-refs"))
        #expect(GitCommit.find(from: source) == packed)
        try ReportFixtures.write(hash + "\n", to: (git as NSString).appendingPathComponent("HEAD"))
        #expect(GitCommit.find(from: source) == hash)  // detached HEAD
    }
}
