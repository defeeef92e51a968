/// A horizontal SVG bar chart with error bars: one bar per configuration, its name on the left, so long names fit.
///
/// Marked like ``LineChart``: `data-x-range` on the plot, `data-series` on each bar.
struct BarChart {
    /// One bar: its value and the half-width of its error bar (0 for none).
    struct Bar {
        /// The category name.
        var name: String
        /// The bar's length.
        var value: Double
        /// The error bar runs from `value - error` to `value + error`.
        var error: Double
    }

    /// The title above the plot.
    var title: String
    /// The value-axis label.
    var valueLabel: String
    /// The bars, top to bottom.
    var bars: [Bar]
    /// The width in pixels.
    var width = 520

    /// The chart as an `<svg>` element.
    func render() -> String {
        let (labelWidth, right, top, rowHeight) = (190.0, 20.0, 30.0, 26.0)
        let plotBottom = top + rowHeight * Double(max(bars.count, 1))
        let height = Int(plotBottom + 44)
        let plotRight = Double(width) - right
        let axis = AxisScale(
            covering: bars.flatMap { [$0.value, $0.value - $0.error, $0.value + $0.error] }, includingZero: true)
        let c = HTMLText.coordinate
        func px(_ value: Double) -> String { c(axis.position(value, from: labelWidth, to: plotRight)) }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart bar-chart" width="\(width)" height="\(height)" \
            viewBox="0 0 \(width) \(height)" role="img" aria-label="\(HTMLText.escaped(title))">
            <title>\(HTMLText.escaped(title))</title>
            <text class="chart-title" x="8" y="18">\(HTMLText.escaped(title))</text>
            <g class="plot" data-x-range="\(axis.lower) \(axis.upper)" \
            data-plot-box="\(c(labelWidth)) \(c(top)) \(c(plotRight)) \(c(plotBottom))">

            """
        for tick in axis.ticks {
            svg +=
                "<line class=\"grid\" x1=\"\(px(tick))\" x2=\"\(px(tick))\" y1=\"\(c(top))\" y2=\"\(c(plotBottom))\"/>"
                + "<text class=\"tick\" x=\"\(px(tick))\" y=\"\(c(plotBottom + 16))\" text-anchor=\"middle\">"
                + "\(axis.label(tick))</text>\n"
        }
        for (index, bar) in bars.enumerated() {
            let y = top + rowHeight * Double(index)
            let middle = y + rowHeight / 2
            let shown = bar.name.count > 28 ? String(bar.name.prefix(27)) + "…" : bar.name
            let (start, end) = (min(0, bar.value), max(0, bar.value))
            svg +=
                "<text class=\"category\" x=\"\(c(labelWidth - 8))\" y=\"\(c(middle))\" text-anchor=\"end\" "
                + "dy=\"0.32em\">\(HTMLText.escaped(shown))<title>\(HTMLText.escaped(bar.name))</title></text>"
                + "<rect class=\"bar\" data-series=\"\(HTMLText.escaped(bar.name))\" x=\"\(px(start))\" "
                + "y=\"\(c(y + 5))\" width=\"\(c(axis.position(end, from: labelWidth, to: plotRight) - axis.position(start, from: labelWidth, to: plotRight)))\" "
                + "height=\"\(c(rowHeight - 10))\" fill=\"\(SVGPalette.colour(index))\"/>"
            if bar.error > 0 {
                let (low, high) = (px(bar.value - bar.error), px(bar.value + bar.error))
                svg +=
                    "<path class=\"error-bar\" d=\"M\(low),\(c(middle)) L\(high),\(c(middle)) "
                    + "M\(low),\(c(middle - 6)) L\(low),\(c(middle + 6)) M\(high),\(c(middle - 6)) L\(high),\(c(middle + 6))\"/>"
            }
            svg += "\n"
        }
        svg +=
            "<line class=\"axis\" x1=\"\(px(0))\" x2=\"\(px(0))\" y1=\"\(c(top))\" y2=\"\(c(plotBottom))\"/>\n</g>\n"
            + "<text class=\"axis-label\" x=\"\(c((labelWidth + plotRight) / 2))\" y=\"\(c(plotBottom + 34))\" "
            + "text-anchor=\"middle\">\(HTMLText.escaped(valueLabel))</text>\n</svg>"
        return svg
    }
}
