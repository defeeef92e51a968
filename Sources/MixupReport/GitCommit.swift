import Foundation

/// Finds the commit of a git checkout by reading `.git` files (no `git` process): `HEAD`, then the ref it names in
/// `refs/` or `packed-refs`.
enum GitCommit {
    /// The commit of the checkout containing `path`, or `nil` when there is none.
    static func find(from path: String) -> String? {
        var directory = (path as NSString).deletingLastPathComponent
        while !directory.isEmpty, directory != "/" {
            let dotGit = (directory as NSString).appendingPathComponent(".git")
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: dotGit, isDirectory: &isFolder) {
                return isFolder.boolValue ? commit(gitDirectory: dotGit) : worktree(file: dotGit)
            }
            directory = (directory as NSString).deletingLastPathComponent
        }
        return nil
    }

    /// A worktree's `.git` file says `gitdir: <path>`.
    private static func worktree(file: String) -> String? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8), text.hasPrefix("gitdir:") else {
            return nil
        }
        let target = text.dropFirst("gitdir:".count).trimmingCharacters(in: .whitespacesAndNewlines)
        let base = (file as NSString).deletingLastPathComponent
        return commit(gitDirectory: target.hasPrefix("/") ? target : (base as NSString).appendingPathComponent(target))
    }

    private static func commit(gitDirectory: String) -> String? {
        func read(_ name: String) -> String? {
            (try? String(contentsOfFile: (gitDirectory as NSString).appendingPathComponent(name), encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let head = read("HEAD") else { return nil }
        guard head.hasPrefix("ref:") else { return isHash(head) ? head : nil }
        let ref = head.dropFirst("ref:".count).trimmingCharacters(in: .whitespaces)
        if let hash = read(ref), isHash(hash) { return hash }
        // A worktree keeps shared refs in the common folder.
        if let common = read("commondir") {
            let shared = common.hasPrefix("/") ? common : (gitDirectory as NSString).appendingPathComponent(common)
            if let hash = try? String(contentsOfFile: (shared as NSString).appendingPathComponent(ref), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines), isHash(hash)
            {
                return hash
            }
        }
        for line in (read("packed-refs") ?? "").split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, parts[1] == ref, isHash(String(parts[0])) { return String(parts[0]) }
        }
        return nil
    }

    private static func isHash(_ text: String) -> Bool {
        text.count >= 40 && text.allSatisfy(\.isHexDigit)
    }
}
