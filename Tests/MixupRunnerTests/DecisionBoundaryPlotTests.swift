import Foundation
import MixupRunner
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite struct DecisionBoundaryPlotTests {
    static func moons() -> Dataset {
        var generator = SeededGenerator(seed: 1)
        return SyntheticData.twoMoons(pointsPerClass: 6, noise: 0.1, using: &generator)
    }

    static func model(seed: UInt64, classes: Int = 2) -> MixableSequential {
        var generator = SeededGenerator(seed: seed)
        return Models.mlp(inputSize: 2, hiddenSizes: [4], classCount: classes, using: &generator)
    }

    /// Counts elements by name with XMLParser, failing on malformed XML.
    final class ElementCounter: NSObject, XMLParserDelegate {
        var counts: [String: Int] = [:]
        var texts: [String] = []
        private var inText = false
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            counts[name, default: 0] += 1
            if name == "text" {
                inText = true
                texts.append("")
            }
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text" { inText = false }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inText { texts[texts.count - 1] += string }
        }
    }

    static func parse(_ svg: String) throws -> ElementCounter {
        let parser = XMLParser(data: Data(svg.utf8))
        let counter = ElementCounter()
        parser.delegate = counter
        let ok = parser.parse()
        #expect(ok, "invalid XML: \(String(describing: parser.parserError))")
        return counter
    }

    @Test func rendersValidSVGWithOnePanelPerModel() throws {
        let data = Self.moons()
        let plot = DecisionBoundaryPlot(resolution: 5, panelSize: 50)
        let svg = try plot.render(
            panels: [(title: "erm", model: Self.model(seed: 1)), (title: "a < b & \"c\"", model: Self.model(seed: 2))],
            data: data)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        let elements = try Self.parse(svg)
        #expect(elements.counts["svg"] == 1)
        #expect(elements.counts["g"] == 2, "one group per panel")
        #expect(elements.counts["circle"] == 2 * data.count, "every training point in each panel")
        // Background, 5×5 cells and a frame per panel.
        #expect(elements.counts["rect"] == 1 + 2 * (25 + 1))
        #expect(elements.texts.count == 3)
        #expect(elements.texts.prefix(2) == ["erm", "a < b & \"c\""], "titles survive escaping")
    }

    @Test func rejectsDataThatIsNotTwoDimensional() throws {
        let data = try Dataset(
            name: "3d", sampleShape: [3], samples: [0, 1, 2, 3, 4, 5], labels: [0, 1], classCount: 2)
        let error = try #require(throws: RunnerError.self) {
            try DecisionBoundaryPlot(resolution: 4).render(
                panels: [(title: "m", model: Self.model(seed: 1))], data: data)
        }
        #expect(error.description.contains("[3]"), "\(error)")
        let unlabelled = Self.moons().removingLabels()
        #expect(throws: RunnerError.self) {
            try DecisionBoundaryPlot(resolution: 4).render(
                panels: [(title: "m", model: Self.model(seed: 1))], data: unlabelled)
        }
    }

    @Test func rejectsModelsWithMoreThanTwoClasses() throws {
        let error = try #require(throws: RunnerError.self) {
            try DecisionBoundaryPlot(resolution: 4).render(
                panels: [(title: "three", model: Self.model(seed: 1, classes: 3))], data: Self.moons())
        }
        #expect(error.description.contains("three") && error.description.contains("[3]"), "\(error)")
    }
}
