import Foundation

/// The shared HTML of run and sweep reports: one self-contained page (inline CSS and SVG, no scripts, nothing fetched),
/// built section by section. The same inputs always give the same bytes.
struct ReportPage {
    private var body = ""
    private let title: String

    /// Starts a page titled `title`.
    init(title: String) { self.title = title }

    /// Appends a heading of `level` (2 or 3).
    mutating func heading(_ text: String, level: Int = 2, id: String? = nil) {
        let anchor = id.map { " id=\"\(HTMLText.escaped($0))\"" } ?? ""
        body += "<h\(level)\(anchor)>\(HTMLText.escaped(text))</h\(level)>\n"
    }

    /// Appends a paragraph of plain text (escaped).
    mutating func paragraph(_ text: String, className: String? = nil) {
        body += "<p\(className.map { " class=\"\($0)\"" } ?? "")>\(HTMLText.escaped(text))</p>\n"
    }

    /// Appends markup that is already HTML (the caller escaped every piece of text in it).
    mutating func raw(_ html: String) { body += html }

    /// Appends a table; cells are escaped unless `htmlColumns` holds their column index.
    mutating func table(header: [String], rows: [[String]], id: String? = nil, htmlColumns: Set<Int> = []) {
        let anchor = id.map { " id=\"\(HTMLText.escaped($0))\"" } ?? ""
        body += "<table\(anchor)>\n<thead><tr>"
        body += header.map { "<th>\(HTMLText.escaped($0))</th>" }.joined()
        body += "</tr></thead>\n<tbody>\n"
        for row in rows {
            body += "<tr>"
            body +=
                row.enumerated().map { column, cell in
                    "<td>\(htmlColumns.contains(column) ? cell : HTMLText.escaped(cell))</td>"
                }.joined()
            body += "</tr>\n"
        }
        body += "</tbody>\n</table>\n"
    }

    /// Appends a key–value table.
    mutating func fields(_ pairs: [(String, String)], id: String? = nil) {
        table(header: ["field", "value"], rows: pairs.map { [$0.0, $0.1] }, id: id)
    }

    /// Appends a figure: `svg` (a complete `<svg>` element) and an escaped caption; `id` names it for checks.
    mutating func figure(id: String, svg: String, caption: String) {
        body +=
            "<figure class=\"figure\" id=\"fig-\(HTMLText.escaped(id))\" data-figure=\"\(HTMLText.escaped(id))\">\n"
            + Self.inlineSVG(svg) + "\n<figcaption>\(HTMLText.escaped(caption))</figcaption>\n</figure>\n"
    }

    /// The complete document.
    func render() -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="MixupKit \(HTMLText.escaped(RunProvenance.currentLibraryVersion))">
        <title>\(HTMLText.escaped(title))</title>
        <style>
        \(Self.css)
        </style>
        </head>
        <body>
        <main>
        <h1>\(HTMLText.escaped(title))</h1>
        \(body)</main>
        </body>
        </html>

        """
    }

    /// An SVG file's text made fit to inline: the XML declaration, doctype and comments dropped, and any `<script>` or
    /// `<foreignObject>` element removed, so a report never runs code.
    static func inlineSVG(_ text: String) -> String {
        var svg = text
        for (open, close) in [
            ("<?xml", "?>"), ("<!DOCTYPE", ">"), ("<!--", "-->"), ("<script", "</script>"),
            ("<foreignObject", "</foreignObject>"),
        ] {
            while let start = svg.range(of: open, options: .caseInsensitive) {
                guard let end = svg.range(of: close, options: .caseInsensitive, range: start.upperBound..<svg.endIndex)
                else {
                    svg.removeSubrange(start.lowerBound..<svg.endIndex)
                    break
                }
                svg.removeSubrange(start.lowerBound..<end.upperBound)
            }
        }
        return svg.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static let css = """
        :root { color-scheme: light; --ink: #1b1f24; --muted: #59636e; --rule: #d0d7de; --panel: #f6f8fa; }
        body { margin: 0; font: 15px/1.5 -apple-system, "Segoe UI", "Helvetica Neue", Arial, sans-serif; color: var(--ink);
          background: white; }
        main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; }
        h1 { font-size: 26px; margin: 0 0 4px; word-break: break-word; }
        h2 { font-size: 19px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
        h3 { font-size: 16px; margin: 20px 0 8px; }
        p.note { color: var(--muted); margin: 6px 0; }
        table { border-collapse: collapse; margin: 8px 0 16px; font-size: 14px; }
        th, td { border: 1px solid var(--rule); padding: 4px 10px; text-align: left; vertical-align: top;
          word-break: break-word; }
        th { background: var(--panel); font-weight: 600; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        .figures { display: flex; flex-wrap: wrap; gap: 16px; }
        figure { margin: 0 0 12px; padding: 10px; border: 1px solid var(--rule); border-radius: 6px; background: white;
          max-width: 100%; overflow-x: auto; }
        figure svg { display: block; max-width: 100%; height: auto; }
        figcaption { color: var(--muted); font-size: 13px; margin-top: 6px; width: 0; min-width: 100%; }
        .chart { font: 12px sans-serif; }
        .chart .chart-title { font-size: 13px; font-weight: 600; fill: var(--ink); }
        .chart .grid { stroke: #e4e8ec; stroke-width: 1; }
        .chart .tick-mark, .chart .axis { stroke: #8c959f; stroke-width: 1; }
        .chart .tick { fill: var(--muted); font-size: 11px; }
        .chart .axis-label { fill: var(--ink); font-size: 12px; }
        .chart .frame { fill: none; stroke: #8c959f; }
        .chart .series { fill: none; stroke-width: 2; stroke-linejoin: round; }
        .chart .band { fill-opacity: 0.18; stroke: none; }
        .chart .error-bar { stroke: var(--ink); stroke-width: 1.5; fill: none; }
        .chart .category, .chart .legend-item text { fill: var(--ink); font-size: 12px; }
        code { font: 13px ui-monospace, "SFMono-Regular", Menlo, monospace; background: var(--panel); padding: 1px 4px;
          border-radius: 3px; }
        a { color: #0969da; }
        """
}
