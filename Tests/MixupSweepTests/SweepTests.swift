import Foundation
import Testing

@testable import MixupSweep

@Suite struct SweepTests {
    @Test func gridExpandsInAxisOrderWithSeedsInnermost() {
        let sweep = Sweep(
            recipe: "spirals", outputDirectory: "out", strategies: ["mixup", "cutmix"], alphas: [0.2, 1],
            seeds: [0, 1], arguments: ["--epochs", "2"])
        let cells = sweep.cells
        #expect(cells.count == 8)
        #expect(cells.map(\.index) == Array(0..<8))
        #expect(
            cells.map(\.configuration) == [
                "strategy=mixup_alpha=0.2", "strategy=mixup_alpha=0.2", "strategy=mixup_alpha=1",
                "strategy=mixup_alpha=1", "strategy=cutmix_alpha=0.2", "strategy=cutmix_alpha=0.2",
                "strategy=cutmix_alpha=1", "strategy=cutmix_alpha=1",
            ])
        #expect(cells.map(\.seed) == [0, 1, 0, 1, 0, 1, 0, 1])
        #expect(cells[3].directory == "out/strategy=mixup_alpha=1/seed1")
        #expect(
            cells[3].arguments == [
                "run", "spirals", "--epochs", "2", "--strategy", "mixup", "--alpha", "1", "--seed", "1", "--out",
                "out/strategy=mixup_alpha=1/seed1",
            ])
    }

    @Test func axesThatDoNotApplyAreDroppedAndDeduplicated() {
        var sweep = Sweep(
            recipe: "mnist-mlp", outputDirectory: "o", strategies: ["erm", "mixup", "manifold"], alphas: [0.5, 2],
            mixPointSets: [["input"], ["hidden1", "hidden2"]], seeds: [7])
        #expect(
            sweep.configurations == [
                "strategy=erm", "strategy=mixup_alpha=0.5", "strategy=mixup_alpha=2",
                "strategy=manifold_alpha=0.5_mix-points=input",
                "strategy=manifold_alpha=0.5_mix-points=hidden1+hidden2",
                "strategy=manifold_alpha=2_mix-points=input", "strategy=manifold_alpha=2_mix-points=hidden1+hidden2",
            ])
        let cell = sweep.cells[4]
        #expect(
            cell.arguments.suffix(8) == [
                "--alpha", "0.5", "--mix-points", "hidden1,hidden2", "--seed", "7", "--out",
                "o/strategy=manifold_alpha=0.5_mix-points=hidden1+hidden2/seed7",
            ])
        sweep.strategies = []
        sweep.mixPointSets = []
        sweep.alphas = []
        #expect(sweep.configurations == ["base"])
        #expect(sweep.baselineConfiguration == "base")
    }

    @Test func optionAxesAndLabelsJoinTheGrid() {
        let sweep = Sweep(
            recipe: "ssl", outputDirectory: "o", labels: [250, 1000],
            options: [SweepOption(flag: "--batch-size", values: ["64", "128"])], seeds: [0])
        #expect(
            sweep.configurations == [
                "labels=250_batch-size=64", "labels=250_batch-size=128", "labels=1000_batch-size=64",
                "labels=1000_batch-size=128",
            ])
        #expect(sweep.cells[1].arguments.contains("--batch-size"))
    }

    @Test func validationNamesTheBadValue() {
        var sweep = Sweep(recipe: "spirals", outputDirectory: "o", seeds: [0, 0])
        #expect(throws: SweepError.invalidArgument("seed 0 is listed twice")) { try sweep.validate() }
        sweep.seeds = [0]
        sweep.alphas = [-1]
        #expect(throws: SweepError.invalidArgument("α must be a positive number, got -1.0")) { try sweep.validate() }
        sweep.alphas = []
        sweep.arguments = ["--seed", "3"]
        #expect(throws: SweepError.self) { try sweep.validate() }
        sweep.arguments = []
        sweep.baseline = "nope"
        #expect(
            throws: SweepError.invalidArgument(
                "baseline \"nope\" is not a configuration of this sweep; they are: base")
        ) { try sweep.validate() }
    }

    @Test func savesAndLoadsFromAMovedFolder() throws {
        let fixture = try SweepFixture()
        defer { fixture.remove() }
        var sweep = Sweep(
            recipe: "spirals", outputDirectory: fixture.path("a"), strategies: ["erm"], seeds: [1, 2])
        sweep.commandLine = "mixup sweep spirals"
        try sweep.save()
        try FileManager.default.moveItem(atPath: fixture.path("a"), toPath: fixture.path("b"))
        let loaded = try Sweep.load(from: fixture.path("b"))
        sweep.outputDirectory = fixture.path("b")
        #expect(loaded == sweep)
        #expect(throws: SweepError.self) { try Sweep.load(from: fixture.path("missing")) }
        // More seeds may join the folder; other shared arguments may not (finished cells would be reused).
        sweep.seeds = [1, 2, 3]
        try sweep.save()
        sweep.arguments = ["--epochs", "9"]
        #expect(throws: SweepError.self) { try sweep.save() }
    }
}
