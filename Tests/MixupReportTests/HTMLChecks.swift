import Foundation

/// Small structural checks on generated HTML and SVG (the report uses a fixed, regular markup).
enum HTMLChecks {
    /// Every `<figure …>…</figure>` by its `data-figure` id.
    static func figures(in html: String) -> [String: String] {
        var result: [String: String] = [:]
        var rest = html[...]
        while let start = rest.range(of: "<figure "),
            let end = rest.range(of: "</figure>", range: start.upperBound..<rest.endIndex)
        {
            let figure = String(rest[start.lowerBound..<end.upperBound])
            if let id = attribute("data-figure", in: figure) { result[id] = figure }
            rest = rest[end.upperBound...]
        }
        return result
    }

    /// The value of the first `name="…"` attribute in `text`.
    static func attribute(_ name: String, in text: String) -> String? {
        guard let start = text.range(of: " \(name)=\"") else { return nil }
        guard let end = text.range(of: "\"", range: start.upperBound..<text.endIndex) else { return nil }
        return String(text[start.upperBound..<end.lowerBound])
    }

    /// All values of `name="…"` attributes in `text`.
    static func attributes(_ name: String, in text: String) -> [String] {
        var values: [String] = []
        var rest = text[...]
        while let start = rest.range(of: " \(name)=\""),
            let end = rest.range(of: "\"", range: start.upperBound..<rest.endIndex)
        {
            values.append(String(rest[start.upperBound..<end.lowerBound]))
            rest = rest[end.upperBound...]
        }
        return values
    }

    /// The numbers of a space-separated attribute value.
    static func numbers(_ text: String?) -> [Double] {
        (text ?? "").split(separator: " ").compactMap { Double($0) }
    }

    /// The number of occurrences of `needle` in `text`.
    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }
}
