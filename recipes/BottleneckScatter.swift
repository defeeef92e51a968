import Foundation

/// Scatter plots of 2-D representations coloured by class, side by side in one SVG, and how compact each class is.
struct BottleneckScatter {
    /// One panel: a title and the points (x, y) with their classes.
    struct Panel {
        var title: String
        var points: [(x: Double, y: Double)]
        var labels: [Int]
    }

    /// The side of each square panel, in pixels.
    var panelSize = 320.0
    /// The colour of class `c` is `palette[c % palette.count]` (the ten Tableau colours).
    static let palette = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    ]

    /// The panels side by side, each scaled to its own points' range (the two networks' bottlenecks have unrelated
    /// scales), with a legend of the classes below.
    func render(_ panels: [Panel], classCount: Int) -> String {
        let margin = 24.0, titleHeight = 22.0, legendHeight = 26.0
        let cell = panelSize + 2 * margin
        let width = cell * Double(max(panels.count, 1)), height = titleHeight + cell + legendHeight
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
        svg += "viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"13\">\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        for (index, panel) in panels.enumerated() {
            let left = Double(index) * cell + margin, top = titleHeight + margin
            svg += String(
                format: "<text x=\"%.1f\" y=\"16\" text-anchor=\"middle\">%@</text>\n", left + panelSize / 2,
                Self.escaped(panel.title))
            svg += String(
                format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#999\"/>\n",
                left, top, panelSize, panelSize)
            let finite = panel.points.filter { $0.x.isFinite && $0.y.isFinite }
            let xs = finite.map(\.x), ys = finite.map(\.y)
            let (minX, maxX) = (xs.min() ?? 0, xs.max() ?? 1), (minY, maxY) = (ys.min() ?? 0, ys.max() ?? 1)
            let spanX = max(maxX - minX, 1e-9), spanY = max(maxY - minY, 1e-9)
            for (point, label) in zip(panel.points, panel.labels) where point.x.isFinite && point.y.isFinite {
                let x = left + 4 + (panelSize - 8) * (point.x - minX) / spanX
                let y = top + panelSize - 4 - (panelSize - 8) * (point.y - minY) / spanY
                svg += String(
                    format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.3\" fill=\"%@\" fill-opacity=\"0.6\"/>\n", x, y,
                    Self.palette[((label % Self.palette.count) + Self.palette.count) % Self.palette.count])
            }
        }
        for label in 0..<classCount {
            let x = margin + Double(label) * 34, y = height - 9
            svg += String(
                format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%@\"/><text x=\"%.1f\" y=\"%.1f\">%d</text>\n",
                x,
                y - 4, Self.palette[label % Self.palette.count], x + 8, y, label)
        }
        svg += "</svg>\n"
        return svg
    }

    /// The share of the points' total variance that lies within classes: the sum over classes of the squared
    /// distances to the class mean, over the sum of squared distances to the overall mean. 0 when every class is a
    /// single point, 1 when the class means coincide; scale-free, so networks with different bottleneck scales
    /// compare. `nan` for fewer than two points or no spread.
    static func withinClassVarianceShare(points: [(x: Double, y: Double)], labels: [Int]) -> Double {
        guard points.count >= 2, points.count == labels.count else { return .nan }
        let count = Double(points.count)
        let meanX = points.map(\.x).reduce(0, +) / count, meanY = points.map(\.y).reduce(0, +) / count
        var sums: [Int: (x: Double, y: Double, n: Double)] = [:]
        for (point, label) in zip(points, labels) {
            let old = sums[label] ?? (0, 0, 0)
            sums[label] = (old.x + point.x, old.y + point.y, old.n + 1)
        }
        var within = 0.0, total = 0.0
        for (point, label) in zip(points, labels) {
            guard let sum = sums[label] else { continue }
            let (cx, cy) = (sum.x / sum.n, sum.y / sum.n)
            within += (point.x - cx) * (point.x - cx) + (point.y - cy) * (point.y - cy)
            total += (point.x - meanX) * (point.x - meanX) + (point.y - meanY) * (point.y - meanY)
        }
        return total > 0 ? within / total : .nan
    }

    /// `text` with the XML special characters escaped.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
