import Foundation
import Testing

@testable import MixupReport

@Suite struct BarChartTests {
    @Test func axisCoversEveryBarAndErrorBar() throws {
        let bars = [
            BarChart.Bar(name: "erm", value: 12.5, error: 3.1), BarChart.Bar(name: "mixup", value: 9.2, error: 0),
            BarChart.Bar(name: "a very long configuration name · alpha=2 · epochs=20", value: 14, error: 6),
        ]
        let svg = BarChart(title: "test error", valueLabel: "%", bars: bars).render()
        let range = HTMLChecks.numbers(HTMLChecks.attribute("data-x-range", in: svg))
        #expect(range.count == 2 && range[0] <= 0 && range[1] >= 20)
        #expect(HTMLChecks.attributes("data-series", in: svg) == bars.map(\.name))
        #expect(HTMLChecks.count("class=\"error-bar\"", in: svg) == 2)
        let box = HTMLChecks.numbers(HTMLChecks.attribute("data-plot-box", in: svg))
        for x in HTMLChecks.attributes("x", in: svg).compactMap(Double.init) where x >= box[0] {
            #expect(x <= box[2])
        }
        let widths = HTMLChecks.attributes("width", in: svg).dropFirst().compactMap(Double.init)
        #expect(widths.count == 3 && widths.allSatisfy { $0 > 0 })
        // The long name is cut on the chart but kept whole in its tooltip.
        #expect(svg.contains("<title>a very long configuration name · alpha=2 · epochs=20</title>"))
    }
}
