/// An SVG line chart: one line per series, optional shaded spread bands, axes whose ranges cover every point and band.
///
/// The plot area is marked `data-x-range`/`data-y-range` and every line `data-series`, so tests and the browser check
/// can verify the figure without parsing paths.
struct LineChart {
    /// One line and, optionally, the band around it.
    struct Series {
        /// The legend name.
        var name: String
        /// The points, in x order.
        var points: [(x: Double, y: Double)]
        /// A spread band (`x`, lower, upper), drawn under the line; empty for none.
        var band: [(x: Double, lower: Double, upper: Double)] = []
    }

    /// The title above the plot.
    var title: String
    /// The x-axis label.
    var xLabel: String
    /// The y-axis label.
    var yLabel: String
    /// The series, drawn in order with palette colours.
    var series: [Series]
    /// Whether the y axis includes zero (off: the axis spans the data, so trends stay visible).
    var yIncludesZero = false
    /// The width in pixels.
    var width = 520
    /// The plot height in pixels (the legend adds rows below).
    var plotHeight = 220

    /// Whether any series has a point.
    var hasData: Bool { series.contains { !$0.points.isEmpty } }

    /// The chart as an `<svg>` element.
    func render() -> String {
        let (left, right, top) = (64.0, 16.0, 30.0)
        let plotBottom = top + Double(plotHeight)
        let legendColumns = 2
        let legendRows = (series.count + legendColumns - 1) / legendColumns
        let height = Int(plotBottom) + 44 + 18 * legendRows
        let plotRight = Double(width) - right
        let xs = series.flatMap { $0.points.map(\.x) + $0.band.map(\.x) }
        let ys = series.flatMap { $0.points.map(\.y) + $0.band.flatMap { [$0.lower, $0.upper] } }
        let xAxis = AxisScale(covering: xs, tickCount: min(max(Set(xs).count, 2), 8))
        let yAxis = AxisScale(covering: ys, includingZero: yIncludesZero)
        func px(_ x: Double) -> String { HTMLText.coordinate(xAxis.position(x, from: left, to: plotRight)) }
        func py(_ y: Double) -> String { HTMLText.coordinate(yAxis.position(y, from: plotBottom, to: top)) }
        let c = HTMLText.coordinate
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart line-chart" width="\(width)" height="\(height)" \
            viewBox="0 0 \(width) \(height)" role="img" aria-label="\(HTMLText.escaped(title))">
            <title>\(HTMLText.escaped(title))</title>
            <text class="chart-title" x="\(c(left))" y="18">\(HTMLText.escaped(title))</text>
            <g class="plot" data-x-range="\(xAxis.lower) \(xAxis.upper)" data-y-range="\(yAxis.lower) \(yAxis.upper)" \
            data-plot-box="\(c(left)) \(c(top)) \(c(plotRight)) \(c(plotBottom))">

            """
        for tick in yAxis.ticks {
            svg +=
                "<line class=\"grid\" x1=\"\(c(left))\" x2=\"\(c(plotRight))\" y1=\"\(py(tick))\" y2=\"\(py(tick))\"/>"
                + "<text class=\"tick\" x=\"\(c(left - 6))\" y=\"\(py(tick))\" text-anchor=\"end\" dy=\"0.32em\">"
                + "\(yAxis.label(tick))</text>\n"
        }
        for tick in xAxis.ticks {
            svg +=
                "<line class=\"tick-mark\" x1=\"\(px(tick))\" x2=\"\(px(tick))\" y1=\"\(c(plotBottom))\" "
                + "y2=\"\(c(plotBottom + 4))\"/><text class=\"tick\" x=\"\(px(tick))\" y=\"\(c(plotBottom + 16))\" "
                + "text-anchor=\"middle\">\(xAxis.label(tick))</text>\n"
        }
        svg +=
            "<rect class=\"frame\" x=\"\(c(left))\" y=\"\(c(top))\" width=\"\(c(plotRight - left))\" "
            + "height=\"\(c(plotBottom - top))\"/>\n"
        for (index, line) in series.enumerated() where !line.band.isEmpty {
            let upper = line.band.map { "\(px($0.x)),\(py($0.upper))" }
            let lower = line.band.reversed().map { "\(px($0.x)),\(py($0.lower))" }
            svg +=
                "<polygon class=\"band\" data-series=\"\(HTMLText.escaped(line.name))\" fill=\"\(SVGPalette.colour(index))\" "
                + "points=\"\((upper + lower).joined(separator: " "))\"/>\n"
        }
        for (index, line) in series.enumerated() where !line.points.isEmpty {
            let colour = SVGPalette.colour(index)
            let path = line.points.enumerated().map { "\($0 == 0 ? "M" : "L")\(px($1.x)),\(py($1.y))" }
            svg +=
                "<path class=\"series\" data-series=\"\(HTMLText.escaped(line.name))\" stroke=\"\(colour)\" "
                + "d=\"\(path.joined(separator: " "))\"/>\n"
            if line.points.count <= 60 {
                for point in line.points {
                    svg +=
                        "<circle class=\"point\" cx=\"\(px(point.x))\" cy=\"\(py(point.y))\" r=\"2.5\" fill=\"\(colour)\"/>"
                }
                svg += "\n"
            }
        }
        svg += "</g>\n"
        svg +=
            "<text class=\"axis-label\" x=\"\(c((left + plotRight) / 2))\" y=\"\(c(plotBottom + 32))\" "
            + "text-anchor=\"middle\">\(HTMLText.escaped(xLabel))</text>\n"
            + "<text class=\"axis-label\" transform=\"translate(14,\(c((top + plotBottom) / 2))) rotate(-90)\" "
            + "text-anchor=\"middle\">\(HTMLText.escaped(yLabel))</text>\n"
        let columnWidth = (plotRight - left) / Double(legendColumns)
        for (index, line) in series.enumerated() {
            let x = left + Double(index % legendColumns) * columnWidth
            let y = plotBottom + 50 + 18 * Double(index / legendColumns)
            let shown = line.name.count > 34 ? String(line.name.prefix(33)) + "…" : line.name
            svg +=
                "<g class=\"legend-item\"><rect x=\"\(c(x))\" y=\"\(c(y - 9))\" width=\"14\" height=\"10\" "
                + "fill=\"\(SVGPalette.colour(index))\"/><text x=\"\(c(x + 20))\" y=\"\(c(y))\">"
                + "\(HTMLText.escaped(shown))<title>\(HTMLText.escaped(line.name))</title></text></g>\n"
        }
        return svg + "</svg>"
    }
}
