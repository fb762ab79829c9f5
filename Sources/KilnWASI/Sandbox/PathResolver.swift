#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CKilnShims

/// Resolves a program's path beneath one of its directory descriptors, so that nothing
/// outside that directory can be named: not by `..`, not by an absolute path, not through
/// a symbolic link (relative links are followed inside, absolute ones refused), and not by
/// swapping a directory for a link between a check and a use.
///
/// The walk goes one component at a time from the directory's host descriptor, opening each
/// intermediate directory with `O_NOFOLLOW` relative to the one before and keeping them
/// open, so `..` pops back to a descriptor already held (never above the starting one) and a
/// component replaced by a link after it was looked at makes the open fail instead of
/// following it. Symbolic links are read with `readlinkat` and their targets walked the same
/// way (at most 32 of them per path, then `loop`).
///
/// Where the kernel has `openat2` (Linux 5.6 on), the directories before the last component
/// are opened in one call with `RESOLVE_BENEATH`, which the kernel refuses to resolve outside
/// the starting directory (by `..`, an absolute path or any link); the walk above is the
/// fallback. Both treat the last component the same way.
///
/// What comes out is the directory holding the last component, and that component's name:
/// every operation then uses the host's `*at` call on that pair without following links.
enum PathResolver {
    /// Whether this kernel has `openat2` (asked once).
    static let openat2Available: Bool = {
        let fd = kiln_openat2_beneath(AT_FDCWD, ".", directoryOpenFlags)
        if fd >= 0 { close(fd) }
        return fd != -ENOSYS
    }()

    /// The directory that holds the path's last component, and that component.
    final class Resolved {
        let directory: Int32
        private let owned: Bool
        /// The last component: a plain name, or "." for the directory itself.
        let name: String
        /// The path ended with "/": it must name a directory.
        let mustBeDirectory: Bool

        init(directory: Int32, owned: Bool, name: String, mustBeDirectory: Bool) {
            self.directory = directory
            self.owned = owned
            self.name = name
            self.mustBeDirectory = mustBeDirectory
        }

        deinit {
            if owned { close(directory) }
        }

        /// The last component's status without following a link (nil when it does not exist).
        func status() throws(Errno) -> stat? {
            var info = stat()
            if fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 { return info }
            if errno == ENOENT { return nil }
            throw Errno.last
        }
    }

    static let maxSymlinks = 32

    #if os(Linux)
    /// O_PATH (Glibc's module does not export it): a handle for walking, no read permission needed.
    static let openPath: Int32 = 0o10000000
    static let directoryOpenFlags = openPath | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
    #else
    static let directoryOpenFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
    #endif

    /// Resolves `path` beneath `base`. With `followFinal`, a link in the last place is
    /// followed too (a path ending in "/" always follows it).
    /// With `kernel`, `openat2` resolves (where this kernel has it).
    static func resolve(beneath base: Int32, _ path: String, followFinal: Bool, kernel: Bool = true) throws(Errno) -> Resolved {
        if kernel && openat2Available { return try resolveWithOpenat2(beneath: base, path, followFinal: followFinal) }
        return try walk(beneath: base, path, followFinal: followFinal)
    }

    /// The kernel resolves everything before the last component; links in the last place
    /// are followed here by resolving the path again with the link's target in its place.
    static func resolveWithOpenat2(beneath base: Int32, _ original: String, followFinal: Bool) throws(Errno) -> Resolved {
        guard !original.isEmpty else { throw .noent }
        guard !original.utf8.contains(0) else { throw .inval }
        guard !original.hasPrefix("/") else { throw .perm }
        func open(_ path: String) throws(Errno) -> Int32 {
            let fd = kiln_openat2_beneath(base, path, directoryOpenFlags)
            guard fd >= 0 else { throw -fd == EXDEV ? Errno.perm : Errno(host: -fd) }
            return fd
        }
        var path = original
        var symlinks = 0
        while true {
            let trailingSlash = path.hasSuffix("/")
            let parts = path.split(separator: "/")
            guard let last = parts.last else { return Resolved(directory: base, owned: false, name: ".", mustBeDirectory: true) }
            if last == "." || last == ".." {
                // The path names a directory as a whole.
                return Resolved(directory: try open(path), owned: true, name: ".", mustBeDirectory: trailingSlash)
            }
            let parentPath = parts.dropLast().joined(separator: "/")
            let parent = parentPath.isEmpty ? base : try open(parentPath)
            let resolved = Resolved(directory: parent, owned: parent != base, name: String(last), mustBeDirectory: trailingSlash)
            if !followFinal && !trailingSlash { return resolved }
            guard let info = try resolved.status() else { return resolved }
            if info.st_mode & S_IFMT == S_IFLNK {
                symlinks += 1
                guard symlinks <= maxSymlinks else { throw .loop }
                let target = try readLink(parent, String(last))
                guard !target.hasPrefix("/") else { throw .perm }
                guard !target.isEmpty else { throw .noent }
                path = (parentPath.isEmpty ? "" : parentPath + "/") + target + (trailingSlash ? "/" : "")
                continue
            }
            if trailingSlash && info.st_mode & S_IFMT != S_IFDIR { throw .notdir }
            return resolved
        }
    }

    /// The walk, one component at a time (see the type's documentation).
    static func walk(beneath base: Int32, _ path: String, followFinal: Bool) throws(Errno) -> Resolved {
        guard !path.isEmpty else { throw .noent }
        guard !path.utf8.contains(0) else { throw .inval }
        // An absolute path names something outside every preopened directory.
        guard !path.hasPrefix("/") else { throw .perm }
        var trailingSlash = path.hasSuffix("/")
        /// Components still to walk, the next one last.
        var pending = path.split(separator: "/").reversed().map(String.init)
        /// Directories walked into: `base` (not ours), then those opened here.
        var stack: [Int32] = [base]
        var symlinks = 0
        func finish(_ name: String) -> Resolved {
            let directory = stack.removeLast()
            for fd in stack.dropFirst() { close(fd) }
            stack = []
            return Resolved(directory: directory, owned: directory != base, name: name, mustBeDirectory: trailingSlash)
        }
        defer { for fd in stack.dropFirst() { close(fd) } }

        if pending.isEmpty { return finish(".") }  // "/" alone was refused; "" too: only "//"-like forms remain
        while let component = pending.popLast() {
            let isLast = pending.isEmpty
            if component == "." {
                if isLast { return finish(".") }
                continue
            }
            if component == ".." {
                // Above the starting directory is outside the sandbox.
                guard stack.count > 1 else { throw .perm }
                close(stack.removeLast())
                if isLast { return finish(".") }
                continue
            }
            let directory = stack[stack.count - 1]
            if isLast && !followFinal && !trailingSlash { return finish(component) }
            var info = stat()
            guard fstatat(directory, component, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
                if errno == ENOENT && isLast { return finish(component) }
                throw Errno.last
            }
            if info.st_mode & S_IFMT == S_IFLNK {
                symlinks += 1
                guard symlinks <= maxSymlinks else { throw .loop }
                let target = try readLink(directory, component)
                // A link to an absolute path leads out of the sandbox.
                guard !target.hasPrefix("/") else { throw .perm }
                guard !target.isEmpty else { throw .noent }
                if isLast && target.hasSuffix("/") { trailingSlash = true }
                let parts = target.split(separator: "/").map(String.init)
                pending.append(contentsOf: parts.isEmpty ? ["."] : parts.reversed())
                continue
            }
            let isDirectory = info.st_mode & S_IFMT == S_IFDIR
            if isLast {
                if trailingSlash && !isDirectory { throw .notdir }
                return finish(component)
            }
            guard isDirectory else { throw .notdir }
            let next = openat(directory, component, directoryOpenFlags)
            guard next >= 0 else { throw errno == ELOOP ? Errno.loop : Errno.last }
            stack.append(next)
        }
        return finish(".")
    }

    /// The target of the link `name` in `directory`.
    static func readLink(_ directory: Int32, _ name: String) throws(Errno) -> String {
        var buffer = [CChar](repeating: 0, count: 4097)
        let count = readlinkat(directory, name, &buffer, 4096)
        guard count >= 0 else { throw Errno.last }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
