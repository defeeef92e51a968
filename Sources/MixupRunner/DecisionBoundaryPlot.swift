import Foundation
import MixupKit

/// An SVG of two-class decision boundaries in 2-D input space with confidence shading, one panel per model — the
/// style of Figure 1 of Verma et al. (2019): ERM's boundary hugs the data with overconfident regions, Manifold Mixup's
/// is smoother with uncertainty between the classes.
public struct DecisionBoundaryPlot {
    /// Grid cells per side of each panel.
    public var resolution: Int = 80
    /// Panel side in pixels.
    public var panelSize: Int = 360

    /// Creates a plot configuration.
    public init(resolution: Int = 80, panelSize: Int = 360) {
        self.resolution = resolution
        self.panelSize = panelSize
    }

    /// Renders one panel per `(title, model)` over `data`'s bounding box (2-D samples, 2 classes) as SVG text.
    ///
    /// - Throws: ``RunnerError`` unless samples are 2-D and labelled and every model outputs two classes.
    public func render(panels: [(title: String, model: any Layer)], data: Dataset) throws -> String {
        guard data.sampleShape == [2], let labels = data.labels else {
            throw RunnerError.invalidData(
                "decision boundaries need labelled 2-D samples, got shape \(data.sampleShape)")
        }
        let xs = stride(from: 0, to: data.samples.count, by: 2).map { data.samples[$0] }
        let ys = stride(from: 1, to: data.samples.count, by: 2).map { data.samples[$0] }
        let margin: Float = 0.15
        let (minX, maxX) = ((xs.min() ?? -1) - margin, (xs.max() ?? 1) + margin)
        let (minY, maxY) = ((ys.min() ?? -1) - margin, (ys.max() ?? 1) + margin)
        let n = resolution
        var grid = [Float](repeating: 0, count: n * n * 2)
        for row in 0..<n {
            for column in 0..<n {
                grid[(row * n + column) * 2] = minX + (maxX - minX) * (Float(column) + 0.5) / Float(n)
                grid[(row * n + column) * 2 + 1] = maxY - (maxY - minY) * (Float(row) + 0.5) / Float(n)
            }
        }
        let gridTensor = Tensor(shape: [n * n, 2], scalars: grid)
        let size = panelSize, gap = 20, top = 30
        let width = panels.count * size + (panels.count + 1) * gap
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(size + top + gap + 20)" \
            viewBox="0 0 \(width) \(size + top + gap + 20)" font-family="sans-serif" font-size="14">
            <rect width="100%" height="100%" fill="white"/>

            """
        let cell = Double(size) / Double(n)
        for (index, panel) in panels.enumerated() {
            let x0 = gap + index * (size + gap)
            let probabilities = panel.model.inferring(gridTensor).softmax()
            guard probabilities.shape == [n * n, 2] else {
                throw RunnerError.invalidData(
                    "decision boundaries need a two-class model, but \(panel.title) outputs shape \(Array(probabilities.shape.dropFirst()))"
                )
            }
            svg += "<text x=\"\(x0 + size / 2)\" y=\"20\" text-anchor=\"middle\">\(Self.escaped(panel.title))</text>\n"
            svg += "<g transform=\"translate(\(x0),\(top))\">\n"
            for row in 0..<n {
                for column in 0..<n {
                    let p = Double(probabilities.scalars[(row * n + column) * 2 + 1])
                    svg += String(
                        format: "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%@\"/>\n",
                        Double(column) * cell, Double(row) * cell, cell + 0.3, cell + 0.3, Self.colour(probability: p))
                }
            }
            for (i, label) in labels.enumerated() {
                let px = Double((xs[i] - minX) / (maxX - minX)) * Double(size)
                let py = Double((maxY - ys[i]) / (maxY - minY)) * Double(size)
                svg += String(
                    format:
                        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.2\" fill=\"%@\" stroke=\"#111\" stroke-width=\"0.5\"/>\n",
                    px, py, label == 1 ? "#b2182b" : "#2166ac")
            }
            svg += "<rect width=\"\(size)\" height=\"\(size)\" fill=\"none\" stroke=\"black\"/>\n</g>\n"
        }
        svg +=
            "<text x=\"\(gap)\" y=\"\(size + top + gap + 8)\" font-size=\"11\" fill=\"#444\">"
            + "shading: predicted probability of the red class (white = 0.5, uncertain)</text>\n</svg>\n"
        return svg
    }

    /// `text` with the characters XML gives meaning to replaced by entities, so any title keeps the SVG valid.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Blue for class 0, red for class 1, white at p = 0.5.
    static func colour(probability p: Double) -> String {
        let t = min(max(p, 0), 1)
        let (r, g, b): (Double, Double, Double)
        if t < 0.5 {
            let s = t / 0.5
            (r, g, b) = (33 + (255 - 33) * s, 102 + (255 - 102) * s, 172 + (255 - 172) * s)
        } else {
            let s = (t - 0.5) / 0.5
            (r, g, b) = (255 - (255 - 178) * s, 255 - (255 - 24) * s, 255 - (255 - 43) * s)
        }
        return String(format: "#%02x%02x%02x", Int(r), Int(g), Int(b))
    }
}
