import Foundation
import Testing

@testable import MixupReport

@Suite struct LineChartTests {
    /// Every `x,y` pair in the chart's paths, circles and polygons.
    static func coordinates(in svg: String) -> [(x: Double, y: Double)] {
        var pairs: [(Double, Double)] = []
        for path in HTMLChecks.attributes("d", in: svg) + HTMLChecks.attributes("points", in: svg) {
            for token in path.split(separator: " ") {
                let numbers = token.drop { $0.isLetter }.split(separator: ",").compactMap { Double($0) }
                if numbers.count == 2 { pairs.append((numbers[0], numbers[1])) }
            }
        }
        let xs = HTMLChecks.attributes("cx", in: svg).compactMap(Double.init)
        let ys = HTMLChecks.attributes("cy", in: svg).compactMap(Double.init)
        return pairs + zip(xs, ys).map { ($0, $1) }
    }

    @Test func everyPointAndBandLiesInsideThePlotBox() throws {
        let chart = LineChart(
            title: "t", xLabel: "epoch", yLabel: "error",
            series: [
                .init(
                    name: "a", points: [(1, 0.9), (2, 0.31), (3, 0.07)],
                    band: [(1, 0.8, 1.13), (2, 0.2, 0.4), (3, -0.02, 0.1)]),
                .init(name: "b", points: [(1, 2.4), (5, 0.01)]),
            ])
        let svg = chart.render()
        let box = HTMLChecks.numbers(HTMLChecks.attribute("data-plot-box", in: svg))
        try #require(box.count == 4)
        let points = Self.coordinates(in: svg)
        #expect(points.count == 3 + 6 + 2 + 5)  // line vertices, band corners, circles
        for point in points {
            #expect(box[0] - 1e-9 <= point.x && point.x <= box[2] + 1e-9, "x \(point.x) outside \(box)")
            #expect(box[1] - 1e-9 <= point.y && point.y <= box[3] + 1e-9, "y \(point.y) outside \(box)")
        }
        let y = HTMLChecks.numbers(HTMLChecks.attribute("data-y-range", in: svg))
        #expect(y[0] <= -0.02 && y[1] >= 2.4)
        #expect(HTMLChecks.count("<polygon class=\"band\"", in: svg) == 1)
        #expect(HTMLChecks.count("class=\"legend-item\"", in: svg) == 2)
    }

    @Test func aSinglePointStillGetsANonEmptyRange() {
        let svg = LineChart(title: "t", xLabel: "x", yLabel: "y", series: [.init(name: "a", points: [(1, 0.5)])])
            .render()
        let x = HTMLChecks.numbers(HTMLChecks.attribute("data-x-range", in: svg))
        let y = HTMLChecks.numbers(HTMLChecks.attribute("data-y-range", in: svg))
        #expect(x[0] < 1 && 1 < x[1])
        #expect(y[0] < 0.5 && 0.5 < y[1])
        #expect(!svg.contains("nan") && !svg.contains("inf"))
    }

    @Test func namesAreEscapedInLegendAndAttributes() {
        let svg = LineChart(
            title: "a<b & c", xLabel: "x", yLabel: "y", series: [.init(name: "\"><script>", points: [(1, 1), (2, 2)])]
        ).render()
        #expect(!svg.contains("<script>"))
        #expect(svg.contains("data-series=\"&quot;&gt;&lt;script&gt;\""))
        #expect(svg.contains("<title>a&lt;b &amp; c</title>"))
    }
}
