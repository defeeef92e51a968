import Foundation

/// A small SVG line chart: one or more series of (x, y) points on shared linear axes, with a legend.
public struct LineChart: Sendable {
    /// One named series.
    public struct Series: Sendable {
        /// The legend entry.
        public var name: String
        /// The points in drawing order.
        public var points: [(x: Double, y: Double)]
        /// Creates a series.
        public init(name: String, points: [(x: Double, y: Double)]) {
            self.name = name
            self.points = points
        }
    }

    /// The title above the plot.
    public var title: String
    /// The horizontal axis label.
    public var xLabel: String
    /// The vertical axis label.
    public var yLabel: String
    /// The series.
    public var series: [Series]

    /// Creates a chart.
    public init(title: String, xLabel: String, yLabel: String, series: [Series]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
    }

    static let palette = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]

    /// The chart as SVG text, `width` × `height` pixels.
    public func svg(width: Int = 520, height: Int = 340) -> String {
        let left = 60.0, right = 150.0, top = 34.0, bottom = 46.0
        let plotWidth = Double(width) - left - right, plotHeight = Double(height) - top - bottom
        let all = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        var (minX, maxX) = (all.map(\.x).min() ?? 0, all.map(\.x).max() ?? 1)
        var (minY, maxY) = (Swift.min(0, all.map(\.y).min() ?? 0), all.map(\.y).max() ?? 1)
        if maxX <= minX { maxX = minX + 1 }
        if maxY <= minY { maxY = minY + 1 }
        maxY += (maxY - minY) * 0.05
        if minX == maxX { minX -= 1 }
        func px(_ x: Double) -> Double { left + (x - minX) / (maxX - minX) * plotWidth }
        func py(_ y: Double) -> Double { top + (1 - (y - minY) / (maxY - minY)) * plotHeight }
        var text = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" \
            font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(Int(left + plotWidth / 2))" y="20" text-anchor="middle" font-size="14">\(SVGText.escaped(title))</text>

            """
        for tick in 0...4 {
            let y = minY + (maxY - minY) * Double(tick) / 4
            text += String(
                format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%@</text>\n",
                left, py(y), left + plotWidth, py(y), left - 6, py(y) + 4, SVGText.number(y))
            let x = minX + (maxX - minX) * Double(tick) / 4
            text += String(
                format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%@</text>\n", px(x), top + plotHeight + 16,
                SVGText.number(x))
        }
        text += String(
            format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"black\"/>\n",
            left, top, plotWidth, plotHeight)
        text += "<text x=\"\(Int(left + plotWidth / 2))\" y=\"\(height - 8)\" text-anchor=\"middle\">"
        text += "\(SVGText.escaped(xLabel))</text>\n"
        text += "<text transform=\"translate(16,\(Int(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">"
        text += "\(SVGText.escaped(yLabel))</text>\n"
        for (index, entry) in series.enumerated() {
            let colour = Self.palette[index % Self.palette.count]
            let points = entry.points.filter { $0.x.isFinite && $0.y.isFinite }
            let path = points.map { String(format: "%.1f,%.1f", px($0.x), py($0.y)) }.joined(separator: " ")
            text += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"/>\n"
            for point in points {
                text += String(
                    format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%@\"/>\n", px(point.x), py(point.y), colour)
            }
            let legendY = top + 10 + Double(index) * 18
            text += String(
                format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%@\"/>"
                    + "<text x=\"%.1f\" y=\"%.1f\">%@</text>\n",
                left + plotWidth + 12, legendY - 10, colour, left + plotWidth + 30, legendY, SVGText.escaped(entry.name)
            )
        }
        return text + "</svg>\n"
    }
}

/// Text helpers shared by the SVG writers.
enum SVGText {
    /// `text` with the characters XML gives meaning to replaced by entities.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A short tick label.
    static func number(_ value: Double) -> String {
        Swift.abs(value) >= 100 ? String(format: "%.0f", value) : String(format: "%.3g", value)
    }
}
