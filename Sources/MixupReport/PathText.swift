/// Path splitting on `/` in plain Swift: swift-corelibs-foundation's `NSString` path methods trap on some short
/// relative paths (a one-character folder name), and report input comes from the command line.
enum PathText {
    /// The text after the last `/` (ignoring trailing slashes), or the whole path without one.
    static func lastComponent(_ path: String) -> String {
        let trimmed =
            path.count > 1 && path.hasSuffix("/") ? String(path.reversed().drop { $0 == "/" }.reversed()) : path
        return trimmed.lastIndex(of: "/").map { String(trimmed[trimmed.index(after: $0)...]) } ?? trimmed
    }

    /// The text before the last `/`, or `nil` without one.
    static func parent(_ path: String) -> String? {
        path.lastIndex(of: "/").map { String(path[..<$0]) }
    }

    /// `name` without its extension (the text from the last `.` of the last component).
    static func stem(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), !name[dot...].contains("/") else { return name }
        return String(name[..<dot])
    }
}
