#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One open WASI descriptor: what it refers to on the host, and what the program may do
/// with it.
final class Descriptor {
    enum Backing {
        /// A host file descriptor (closed with the descriptor when `owned`).
        case host(Int32, owned: Bool)
        /// An in-memory pipe end.
        case pipe(WASIPipe, readable: Bool)
        /// Reads end of file, writes vanish.
        case null(readable: Bool)
    }

    let backing: Backing
    let fileType: FileType
    var rights: Rights
    var inheriting: Rights
    /// fdflags the program set (append and nonblock are also set on the host descriptor).
    var flags: UInt16
    /// For preopened directories: the name the program sees.
    let preopenName: String?
    /// Directory entries listed at the last `fd_readdir` from cookie 0 (the cookie is an
    /// index into it).
    var directoryEntries: [DirectoryEntry]?

    init(_ backing: Backing, fileType: FileType, rights: Rights, inheriting: Rights, flags: UInt16 = 0,
         preopenName: String? = nil) {
        self.backing = backing
        self.fileType = fileType
        self.rights = rights
        self.inheriting = inheriting
        self.flags = flags
        self.preopenName = preopenName
    }

    deinit {
        if case .host(let fd, owned: true) = backing { close(fd) }
    }

    /// The host descriptor, or `badf` for in-memory streams where one is needed.
    var hostFD: Int32? {
        if case .host(let fd, _) = backing { return fd }
        return nil
    }

    var isDirectory: Bool { fileType == .directory }

    /// Fails with `notcapable` unless the descriptor has `needed`.
    func require(_ needed: Rights) throws(Errno) {
        guard rights.isSuperset(of: needed) else { throw .notcapable }
    }
}

struct DirectoryEntry {
    var name: [UInt8]
    var inode: UInt64
    var type: FileType
}

/// The program's descriptors by number. 0-2 are the standard streams, then the preopens.
struct FileDescriptorTable {
    private var entries: [UInt32: Descriptor] = [:]

    subscript(_ fd: UInt32) -> Descriptor? {
        get { entries[fd] }
        set { entries[fd] = newValue }
    }

    func get(_ fd: UInt32) throws(Errno) -> Descriptor {
        guard let entry = entries[fd] else { throw .badf }
        return entry
    }

    /// Places `descriptor` at the lowest free number.
    mutating func insert(_ descriptor: Descriptor) throws(Errno) -> UInt32 {
        var fd: UInt32 = 0
        while entries[fd] != nil {
            guard fd < UInt32.max else { throw .nfile }
            fd += 1
        }
        entries[fd] = descriptor
        return fd
    }

    @discardableResult
    mutating func remove(_ fd: UInt32) -> Descriptor? {
        entries.removeValue(forKey: fd)
    }
}
