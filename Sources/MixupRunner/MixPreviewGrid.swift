import Foundation
import MixupKit

/// Draws a `MixPreview` as an SVG grid: one row per sample with the original, its partner(s), the original's weight
/// map (white: the original is kept, black: the partner shows) and the mixed sample, each captioned with its label and
/// realised weight; the mixed sample's caption lists its soft target. Images are embedded as PNG tiles.
///
/// Samples are drawn as images: `[channels, height, width]` as RGB when there are three channels, else the channel
/// mean in gray; feature vectors as a one-row strip. The original, partners and mixed sample of a row share one gray
/// scale (the row's minimum to maximum), so brightness compares across a row.
public struct MixPreviewGrid: Sendable {
    /// The side of each tile in the SVG, in pixels.
    public var tileSize: Int
    /// Class names for captions (`nil`: class indices).
    public var classNames: [String]?
    /// A title over the grid.
    public var title: String

    /// Creates a renderer.
    public init(title: String, tileSize: Int = 84, classNames: [String]? = nil) {
        self.title = title
        self.tileSize = tileSize
        self.classNames = classNames
    }

    /// The SVG document of `preview`.
    ///
    /// - Throws: `FormatError` if a tile cannot be encoded (an empty sample).
    public func render(_ preview: MixPreview) throws -> String {
        let sources = preview.plan.sources.count
        let columns =
            ["original"] + (1..<sources).map { sources > 2 ? "partner \($0)" : "partner" } + [
                "original's weight", "mixed",
            ]
        let gap = 14
        let captionHeight = 40
        let cellWidth = max(tileSize, 92) + gap
        let (tileWidth, tileHeight) = tileDisplaySize(preview.sampleShape)
        let rowHeight = tileHeight + captionHeight + gap
        let top = 52
        let width = 16 + columns.count * cellWidth
        let height = top + preview.count * rowHeight + 8
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" \
            font-family="Helvetica, Arial, sans-serif" font-size="10">
            <rect width="100%" height="100%" fill="white"/>
            <text x="16" y="20" font-size="14" font-weight="bold">\(escape(title))</text>

            """
        for (c, name) in columns.enumerated() {
            svg += "<text x=\"\(16 + c * cellWidth)\" y=\"42\" font-weight=\"bold\">\(escape(name))</text>\n"
        }
        let perSample = preview.sampleShape.reduce(1, *)
        let weightMap = preview.weightMap(source: 0).scalars
        let dominant = preview.plan.sources.map { source in source.indices.map { labelIndex(preview.labels, row: $0) } }
        for i in 0..<preview.count {
            let y = top + i * rowHeight
            let rowTensors = preview.sourceValues.map { $0.scalars } + [preview.mixed.scalars]
            let rowValues = rowTensors.flatMap { $0[(i * perSample)..<((i + 1) * perSample)] }
            let low = rowValues.min() ?? 0
            let high = rowValues.max() ?? 1
            var cells: [(png: [UInt8], caption: [String])] = []
            for s in 0..<sources {
                let values = Array(preview.sourceValues[s].scalars[(i * perSample)..<((i + 1) * perSample)])
                let weight = preview.plan.sources[s].labelWeights[i]
                cells.append(
                    (
                        try tile(values, preview.sampleShape, low: low, high: high),
                        [
                            "#\(preview.plan.sources[s].indices[i]) · \(className(dominant[s][i]))",
                            "weight \(format(weight))",
                        ]
                    ))
            }
            let mask = Array(weightMap[(i * perSample)..<((i + 1) * perSample)])
            cells.append(
                (
                    try tile(mask, preview.sampleShape, low: 0, high: 1),
                    ["mean \(format(preview.plan.sources[0].weights.meanWeight(ofSample: i)))", ""]
                ))
            let mixed = Array(preview.mixed.scalars[(i * perSample)..<((i + 1) * perSample)])
            cells.append((try tile(mixed, preview.sampleShape, low: low, high: high), targetCaption(preview, row: i)))
            for (c, cell) in cells.enumerated() {
                let x = 16 + c * cellWidth
                let data = Data(cell.png).base64EncodedString()
                svg += """
                    <image x="\(x)" y="\(y)" width="\(tileWidth)" height="\(tileHeight)" preserveAspectRatio="none" \
                    style="image-rendering:pixelated" href="data:image/png;base64,\(data)"/>
                    <rect x="\(x)" y="\(y)" width="\(tileWidth)" height="\(tileHeight)" fill="none" stroke="#999" \
                    stroke-width="0.5"/>

                    """
                for (line, text) in cell.caption.enumerated() where !text.isEmpty {
                    svg += "<text x=\"\(x)\" y=\"\(y + tileHeight + 11 + 11 * line)\">\(escape(text))</text>\n"
                }
            }
        }
        return svg + "</svg>\n"
    }

    /// The soft target of mixed sample `row`: its three largest classes with their weights, one per line.
    func targetCaption(_ preview: MixPreview, row: Int) -> [String] {
        let classes = preview.targets.soft.shape[1]
        let values = Array(preview.targets.soft.scalars[(row * classes)..<((row + 1) * classes)])
        let ranked = values.indices.filter { values[$0] > 0.005 }.sorted { values[$0] > values[$1] }.prefix(3)
        let parts = ranked.map { "\(className($0)) \(format(values[$0]))" }
        return ["target " + (parts.first ?? "–")] + parts.dropFirst()
    }

    func labelIndex(_ labels: Tensor, row: Int) -> Int {
        let classes = labels.shape[1]
        let values = labels.scalars[(row * classes)..<((row + 1) * classes)]
        return (values.indices.max { values[$0] < values[$1] } ?? row * classes) - row * classes
    }

    func className(_ index: Int) -> String {
        guard let classNames, index < classNames.count else { return "class \(index)" }
        return classNames[index]
    }

    func format(_ value: Float) -> String { String(format: "%.3f", Double(value)) }

    /// The displayed size of a tile: square for images, a strip for feature vectors.
    func tileDisplaySize(_ sampleShape: [Int]) -> (Int, Int) {
        let (rows, columns, _) = Self.layout(sampleShape)
        let aspect = Double(rows) / Double(max(columns, 1))
        return (tileSize, max(12, min(tileSize, Int((Double(tileSize) * aspect).rounded()))))
    }

    /// Image rows, columns and channels (1 or 3) of a sample of `shape`.
    static func layout(_ shape: [Int]) -> (rows: Int, columns: Int, channels: Int) {
        if shape.count == 3 { return (shape[1], shape[2], shape[0] == 3 ? 3 : 1) }
        return (1, max(shape.reduce(1, *), 1), 1)
    }

    /// A PNG of one sample, values mapped linearly from [low, high] to [0, 255].
    func tile(_ values: [Float], _ shape: [Int], low: Float, high: Float) throws -> [UInt8] {
        let (rows, columns, channels) = Self.layout(shape)
        let planes = shape.count == 3 ? shape[0] : 1
        let span = high > low ? high - low : 1
        func byte(_ value: Float) -> UInt8 {
            guard value.isFinite else { return 0 }
            return UInt8(max(0, min(255, ((value - low) / span * 255).rounded())))
        }
        var pixels = [UInt8](repeating: 0, count: rows * columns * channels)
        for p in 0..<(rows * columns) {
            if channels == 3 {
                for c in 0..<3 { pixels[p * 3 + c] = byte(values[c * rows * columns + p]) }
            } else {
                var sum: Float = 0
                for c in 0..<planes { sum += values[c * rows * columns + p] }
                pixels[p] = byte(sum / Float(planes))
            }
        }
        return try PNGEncoder.encode(width: columns, height: rows, channels: channels, pixels: pixels)
    }

    func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
