import Foundation

/// Minimal SVG charts for sweep results: bars with error bars, and learning curves with a ± band. Deterministic text
/// (fixed number formats), so a rebuilt report is byte-identical.
public enum SweepChart {
    /// One bar: a configuration's mean and spread.
    public struct Bar: Sendable, Equatable {
        /// The configuration.
        public var label: String
        /// The bar height.
        public var mean: Double
        /// The error bar half-length (sample std).
        public var spread: Double
        /// Drawn highlighted.
        public var isBest: Bool

        /// Creates a bar.
        public init(label: String, mean: Double, spread: Double, isBest: Bool) {
            self.label = label
            self.mean = mean
            self.spread = spread
            self.isBest = isBest
        }
    }

    /// One point of a learning curve.
    public struct CurvePoint: Sendable, Equatable {
        /// The epoch.
        public var x: Double
        /// The mean over seeds.
        public var mean: Double
        /// The band half-width (sample std over seeds, 0 for one seed).
        public var spread: Double

        /// Creates a point.
        public init(x: Double, mean: Double, spread: Double) {
            self.x = x
            self.mean = mean
            self.spread = spread
        }
    }

    static let palette = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
        "#bcbd22", "#17becf",
    ]

    static func f(_ value: Double) -> String { String(format: "%.2f", value) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// A vertical bar chart: one bar per configuration (labels rotated below), error bars of ± spread, y from 0.
    public static func bars(_ bars: [Bar], metric: String, title: String) -> String {
        let barWidth = 28.0, gap = 14.0, left = 70.0, top = 40.0, plotHeight = 260.0
        // Labels are rotated 45° below the bars: about 6 px per character, × cos 45° down and to the right.
        let labelReach = 20 + Double(bars.map(\.label.count).max() ?? 0) * 6 * 0.71
        let plotRight = left + Double(bars.count) * (barWidth + gap)
        let width = max(plotRight + labelReach, left + Double(title.count) * 7 + 20)
        let height = top + plotHeight + labelReach
        let maxValue = max(bars.map { $0.mean + $0.spread }.max() ?? 1, 1e-12) * 1.1
        func y(_ value: Double) -> Double { top + plotHeight * (1 - max(0, value) / maxValue) }
        var svg = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" font-family=\"sans-serif\" font-size=\"11\">",
            "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
            "<text x=\"\(f(left))\" y=\"20\" font-size=\"13\">\(escape(title))</text>",
        ]
        for tick in 0...4 {
            let value = maxValue * Double(tick) / 4
            svg.append(
                "<line x1=\"\(f(left))\" x2=\"\(f(plotRight))\" y1=\"\(f(y(value)))\" y2=\"\(f(y(value)))\" stroke=\"#ddd\"/>"
                    + "<text x=\"\(f(left - 6))\" y=\"\(f(y(value) + 4))\" text-anchor=\"end\">\(String(format: "%.4g", value))</text>"
            )
        }
        svg.append(
            "<text x=\"14\" y=\"\(f(top + plotHeight / 2))\" transform=\"rotate(-90 14 \(f(top + plotHeight / 2)))\" text-anchor=\"middle\">\(escape(metric))</text>"
        )
        for (index, bar) in bars.enumerated() {
            let x = left + gap / 2 + Double(index) * (barWidth + gap)
            let center = x + barWidth / 2
            svg.append(
                "<rect x=\"\(f(x))\" y=\"\(f(y(bar.mean)))\" width=\"\(f(barWidth))\" height=\"\(f(y(0) - y(bar.mean)))\" fill=\"\(bar.isBest ? "#d62728" : "#1f77b4")\"/>"
            )
            if bar.spread > 0 {
                let low = y(bar.mean - bar.spread), high = y(bar.mean + bar.spread)
                svg.append(
                    "<path d=\"M\(f(center)) \(f(low)) V\(f(high)) M\(f(center - 6)) \(f(low)) H\(f(center + 6)) M\(f(center - 6)) \(f(high)) H\(f(center + 6))\" stroke=\"black\"/>"
                )
            }
            let labelY = top + plotHeight + 10
            svg.append(
                "<text x=\"\(f(center))\" y=\"\(f(labelY))\" transform=\"rotate(45 \(f(center)) \(f(labelY)))\">\(escape(bar.label))</text>"
            )
        }
        svg.append(
            "<line x1=\"\(f(left))\" x2=\"\(f(plotRight))\" y1=\"\(f(y(0)))\" y2=\"\(f(y(0)))\" stroke=\"black\"/>")
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    /// Learning curves: per configuration a line through the means and a translucent band of ± spread.
    public static func curves(
        _ series: [(configuration: String, points: [CurvePoint])], metric: String, title: String
    ) -> String {
        let left = 70.0, top = 40.0, plotWidth = 520.0, plotHeight = 300.0, legendWidth = 320.0
        let width = left + plotWidth + legendWidth, height = top + plotHeight + 50
        let points = series.flatMap(\.points)
        let minX = points.map(\.x).min() ?? 0, maxX = max(points.map(\.x).max() ?? 1, minX + 1)
        var minY = points.map { $0.mean - $0.spread }.min() ?? 0, maxY = points.map { $0.mean + $0.spread }.max() ?? 1
        if maxY - minY < 1e-12 { (minY, maxY) = (minY - 0.5, maxY + 0.5) }
        func x(_ value: Double) -> Double { left + plotWidth * (value - minX) / (maxX - minX) }
        func y(_ value: Double) -> Double { top + plotHeight * (1 - (value - minY) / (maxY - minY)) }
        var svg = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" font-family=\"sans-serif\" font-size=\"11\">",
            "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
            "<text x=\"\(f(left))\" y=\"20\" font-size=\"13\">\(escape(title))</text>",
            "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"none\" stroke=\"black\"/>",
        ]
        for tick in 0...4 {
            let value = minY + (maxY - minY) * Double(tick) / 4
            svg.append(
                "<text x=\"\(f(left - 6))\" y=\"\(f(y(value) + 4))\" text-anchor=\"end\">\(String(format: "%.4g", value))</text>"
            )
        }
        svg.append(
            "<text x=\"\(f(left))\" y=\"\(f(top + plotHeight + 16))\">epoch \(String(format: "%g", minX))</text>")
        svg.append(
            "<text x=\"\(f(left + plotWidth))\" y=\"\(f(top + plotHeight + 16))\" text-anchor=\"end\">epoch \(String(format: "%g", maxX))</text>"
        )
        svg.append(
            "<text x=\"14\" y=\"\(f(top + plotHeight / 2))\" transform=\"rotate(-90 14 \(f(top + plotHeight / 2)))\" text-anchor=\"middle\">\(escape(metric))</text>"
        )
        for (index, item) in series.enumerated() {
            let color = palette[index % palette.count]
            let upper = item.points.map { "\(f(x($0.x))),\(f(y($0.mean + $0.spread)))" }
            let lower = item.points.reversed().map { "\(f(x($0.x))),\(f(y($0.mean - $0.spread)))" }
            svg.append(
                "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(color)\" fill-opacity=\"0.15\" stroke=\"none\"/>"
            )
            let line = item.points.map { "\(f(x($0.x))),\(f(y($0.mean)))" }.joined(separator: " ")
            svg.append("<polyline points=\"\(line)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\"/>")
            let legendY = top + 12 + Double(index) * 16
            svg.append(
                "<line x1=\"\(f(left + plotWidth + 14))\" x2=\"\(f(left + plotWidth + 34))\" y1=\"\(f(legendY - 4))\" y2=\"\(f(legendY - 4))\" stroke=\"\(color)\" stroke-width=\"3\"/>"
                    + "<text x=\"\(f(left + plotWidth + 40))\" y=\"\(f(legendY))\">\(escape(item.configuration))</text>"
            )
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }
}
