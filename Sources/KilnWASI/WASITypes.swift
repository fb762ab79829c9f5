import Kiln
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A WASI preview 1 error number. Host functions return it to the program (0 is success);
/// inside KilnWASI it is thrown to end a function early.
public struct Errno: Error, Equatable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    public static let tooBig = Errno(1), access = Errno(2), again = Errno(6), badf = Errno(8), busy = Errno(10)
    public static let exist = Errno(20), fault = Errno(21), fbig = Errno(22), ilseq = Errno(25), intr = Errno(27)
    public static let inval = Errno(28), io = Errno(29), isdir = Errno(31), loop = Errno(32), mfile = Errno(33)
    public static let mlink = Errno(34), nametoolong = Errno(37), nfile = Errno(41), nodev = Errno(43), noent = Errno(44)
    public static let nomem = Errno(48), nospc = Errno(51), nosys = Errno(52), notconn = Errno(53), notdir = Errno(54)
    public static let notempty = Errno(55), notsock = Errno(57), notsup = Errno(58), notty = Errno(59), nxio = Errno(60)
    public static let overflow = Errno(61), perm = Errno(63), pipe = Errno(64), rofs = Errno(69), spipe = Errno(70)
    public static let txtbsy = Errno(74), xdev = Errno(75), notcapable = Errno(76)

    /// The WASI error for a host `errno`.
    public init(host code: Int32) {
        switch code {
        case EPERM: self = .perm
        case ENOENT: self = .noent
        case EIO: self = .io
        case ENXIO: self = .nxio
        case E2BIG: self = .tooBig
        case EBADF: self = .badf
        case EAGAIN: self = .again
        case ENOMEM: self = .nomem
        case EACCES: self = .access
        case EFAULT: self = .fault
        case EBUSY: self = .busy
        case EEXIST: self = .exist
        case EXDEV: self = .xdev
        case ENODEV: self = .nodev
        case ENOTDIR: self = .notdir
        case EISDIR: self = .isdir
        case EINVAL: self = .inval
        case ENFILE: self = .nfile
        case EMFILE: self = .mfile
        case ENOTTY: self = .notty
        case ETXTBSY: self = .txtbsy
        case EFBIG: self = .fbig
        case ENOSPC: self = .nospc
        case ESPIPE: self = .spipe
        case EROFS: self = .rofs
        case EMLINK: self = .mlink
        case EPIPE: self = .pipe
        case ENAMETOOLONG: self = .nametoolong
        case ENOSYS: self = .nosys
        case ENOTEMPTY: self = .notempty
        case ELOOP: self = .loop
        case EOVERFLOW: self = .overflow
        case EILSEQ: self = .ilseq
        case ENOTSOCK: self = .notsock
        case EOPNOTSUPP: self = .notsup
        case ENOTCONN: self = .notconn
        case EINTR: self = .intr
        default: self = .io
        }
    }

    /// The error of the last failed host call.
    static var last: Errno { Errno(host: errno) }

    public var description: String { "WASI errno \(rawValue)" }
}

/// `proc_exit` was called: `Func.call` rethrows this (not wrapped in a `Trap`) so the
/// embedder sees the program's exit code.
public struct WASIExit: ProgramExit, Sendable, Equatable, CustomStringConvertible {
    public var code: Int32
    public init(code: Int32) { self.code = code }
    public var description: String { "the program exited with code \(code)" }
}

/// The kinds of file WASI distinguishes.
enum FileType: UInt8 {
    case unknown = 0, blockDevice, characterDevice, directory, regularFile, socketDatagram, socketStream, symbolicLink

    init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFDIR: self = .directory
        case S_IFREG: self = .regularFile
        case S_IFLNK: self = .symbolicLink
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        case S_IFSOCK: self = .socketStream
        default: self = .unknown
        }
    }
}

/// Rights: what a descriptor may be used for, and what descriptors opened through it may get.
struct Rights: OptionSet, Hashable {
    var rawValue: UInt64
    static let fdDatasync = Rights(rawValue: 1 << 0)
    static let fdRead = Rights(rawValue: 1 << 1)
    static let fdSeek = Rights(rawValue: 1 << 2)
    static let fdFdstatSetFlags = Rights(rawValue: 1 << 3)
    static let fdSync = Rights(rawValue: 1 << 4)
    static let fdTell = Rights(rawValue: 1 << 5)
    static let fdWrite = Rights(rawValue: 1 << 6)
    static let fdAdvise = Rights(rawValue: 1 << 7)
    static let fdAllocate = Rights(rawValue: 1 << 8)
    static let pathCreateDirectory = Rights(rawValue: 1 << 9)
    static let pathCreateFile = Rights(rawValue: 1 << 10)
    static let pathLinkSource = Rights(rawValue: 1 << 11)
    static let pathLinkTarget = Rights(rawValue: 1 << 12)
    static let pathOpen = Rights(rawValue: 1 << 13)
    static let fdReaddir = Rights(rawValue: 1 << 14)
    static let pathReadlink = Rights(rawValue: 1 << 15)
    static let pathRenameSource = Rights(rawValue: 1 << 16)
    static let pathRenameTarget = Rights(rawValue: 1 << 17)
    static let pathFilestatGet = Rights(rawValue: 1 << 18)
    static let pathFilestatSetSize = Rights(rawValue: 1 << 19)
    static let pathFilestatSetTimes = Rights(rawValue: 1 << 20)
    static let fdFilestatGet = Rights(rawValue: 1 << 21)
    static let fdFilestatSetSize = Rights(rawValue: 1 << 22)
    static let fdFilestatSetTimes = Rights(rawValue: 1 << 23)
    static let pathSymlink = Rights(rawValue: 1 << 24)
    static let pathRemoveDirectory = Rights(rawValue: 1 << 25)
    static let pathUnlinkFile = Rights(rawValue: 1 << 26)
    static let pollFdReadwrite = Rights(rawValue: 1 << 27)
    static let sockShutdown = Rights(rawValue: 1 << 28)
    static let sockAccept = Rights(rawValue: 1 << 29)

    static let all = Rights(rawValue: (1 << 30) - 1)

    /// What a regular file can do (wasmtime's set).
    static let regularFile: Rights = [.fdDatasync, .fdRead, .fdSeek, .fdFdstatSetFlags, .fdSync, .fdTell, .fdWrite,
                                      .fdAdvise, .fdAllocate, .fdFilestatGet, .fdFilestatSetSize, .fdFilestatSetTimes,
                                      .pollFdReadwrite]
    /// What a directory can do.
    static let directory: Rights = [.fdFdstatSetFlags, .fdSync, .fdAdvise, .pathCreateDirectory, .pathCreateFile,
                                    .pathLinkSource, .pathLinkTarget, .pathOpen, .fdReaddir, .pathReadlink,
                                    .pathRenameSource, .pathRenameTarget, .pathFilestatGet, .pathFilestatSetSize,
                                    .pathFilestatSetTimes, .fdFilestatGet, .fdFilestatSetTimes, .pathSymlink,
                                    .pathRemoveDirectory, .pathUnlinkFile, .pollFdReadwrite]
    /// What a read-only directory tree keeps: no creation, removal, renaming or writing.
    static let readOnlyDirectory: Rights = [.fdFdstatSetFlags, .fdSync, .fdAdvise, .pathOpen, .fdReaddir, .pathReadlink,
                                            .pathFilestatGet, .fdFilestatGet, .pollFdReadwrite]
    static let readOnlyFile: Rights = [.fdRead, .fdSeek, .fdFdstatSetFlags, .fdTell, .fdAdvise, .fdFilestatGet, .pollFdReadwrite]
    /// A listening socket handed to the program.
    static let listeningSocket: Rights = [.sockAccept, .pollFdReadwrite, .fdFdstatSetFlags, .fdFilestatGet]
    /// A connection accepted from one.
    static let connectedSocket: Rights = [.fdRead, .fdWrite, .pollFdReadwrite, .sockShutdown, .fdFdstatSetFlags, .fdFilestatGet]
    /// A terminal, pipe or other stream.
    static let stream: Rights = [.fdRead, .fdWrite, .fdFdstatSetFlags, .fdFilestatGet, .pollFdReadwrite]
}

/// fdflags.
enum FDFlags {
    static let append: UInt16 = 1, dsync: UInt16 = 2, nonblock: UInt16 = 4, rsync: UInt16 = 8, sync: UInt16 = 16
}

/// oflags of `path_open`.
enum OFlags {
    static let create: UInt16 = 1, directory: UInt16 = 2, exclusive: UInt16 = 4, truncate: UInt16 = 8
}

/// fstflags of the set-times functions.
enum FSTFlags {
    static let atim: UInt16 = 1, atimNow: UInt16 = 2, mtim: UInt16 = 4, mtimNow: UInt16 = 8
}
