import Foundation
import Kiln

/// What a WASI program gets: its arguments, environment, standard streams and the host
/// directories it may reach. A value: build it, then make a `WASIContext` (one per store).
public struct WASIConfiguration: Sendable {
    /// argv, including argv[0].
    public var arguments: [String] = []
    /// The environment, in this order.
    public var environment: [(name: String, value: String)] = []
    public var stdin: WASIInput = .empty
    public var stdout: WASIOutput = .discard
    public var stderr: WASIOutput = .discard
    public var preopens: [WASIPreopen] = []
    /// Listening sockets (host descriptors, which the context takes over) handed to the
    /// program before the preopened directories, as `wasmtime run --tcplisten` does: it
    /// accepts connections with `sock_accept`.
    public var listeningSockets: [Int32] = []
    /// Let the kernel resolve paths beneath preopened directories (`openat2`) where it can;
    /// off, the portable walk does it (tests cover both).
    var kernelPathResolution = true

    public init() {}

    /// A TCP socket listening on `host:port` (port 0: any free port), for
    /// `listeningSockets`. Returns its descriptor and the port it got.
    public static func listen(host: String, port: UInt16) throws -> (descriptor: Int32, port: UInt16) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { throw KilnError("--tcplisten: \(host) is not an IPv4 address") }
        #if os(Linux)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw KilnError("cannot create a socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, hostListen(fd, 128) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw KilnError("cannot listen on \(host):\(port): \(message)")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, UInt16(bigEndian: actual.sin_port))
    }

    /// Gives the program the host directory `host` as `guest` (fd 3, 4, ... in this order).
    /// A read-only directory can be read, never written, created in or removed from.
    public mutating func preopen(host: String, guest: String, readOnly: Bool = false) {
        preopens.append(WASIPreopen(hostPath: host, guestPath: guest, readOnly: readOnly))
    }

    /// Adds the host process's environment.
    public mutating func inheritEnvironment() {
        for (name, value) in ProcessInfo.processInfo.environment.sorted(by: { $0.key < $1.key }) {
            environment.append((name, value))
        }
    }

    /// Adds one variable of the host process's environment, if set.
    public mutating func inheritEnvironment(_ name: String) {
        if let value = ProcessInfo.processInfo.environment[name] { environment.append((name, value)) }
    }

    /// The host's standard streams for all three.
    public mutating func inheritStdio() {
        stdin = .inherit
        stdout = .inherit
        stderr = .inherit
    }
}

/// A directory of the host given to the program.
public struct WASIPreopen: Sendable, Equatable {
    public var hostPath: String
    /// The name the program sees (`fd_prestat_dir_name`), `/` or `.` or `/data` ...
    public var guestPath: String
    public var readOnly: Bool

    public init(hostPath: String, guestPath: String, readOnly: Bool = false) {
        self.hostPath = hostPath
        self.guestPath = guestPath
        self.readOnly = readOnly
    }
}

/// Where a program's standard input comes from.
public enum WASIInput: Sendable {
    /// The host process's stdin.
    case inherit
    /// A host file, read from its start.
    case file(path: String)
    /// Bytes the embedder writes into the pipe (reading an empty pipe is end of file).
    case pipe(WASIPipe)
    /// End of file at once.
    case empty
}

/// Where a program's standard output or error goes.
public enum WASIOutput: Sendable {
    /// The host process's stdout (or stderr).
    case inherit
    /// A host file, created or truncated.
    case file(path: String)
    /// Into memory, for the embedder to read.
    case pipe(WASIPipe)
    /// Nowhere.
    case discard
}

/// An in-memory byte stream between the embedder and a program: what the program writes
/// to it accumulates in `contents`; what the embedder `write`s the program reads.
public final class WASIPipe: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer: [UInt8]
    private var readOffset = 0
    /// Called with each chunk the program writes (for streaming output somewhere).
    private let onWrite: (@Sendable ([UInt8]) -> Void)?

    public init(_ bytes: [UInt8] = [], onWrite: (@Sendable ([UInt8]) -> Void)? = nil) {
        buffer = bytes
        self.onWrite = onWrite
    }

    /// Everything written so far (and not read back).
    public var contents: [UInt8] { lock.withLock { Array(buffer[readOffset...]) } }
    /// `contents` as UTF-8 text.
    public var text: String { String(decoding: contents, as: UTF8.self) }

    /// Appends bytes (for a pipe used as stdin: what the program will read).
    public func write(_ bytes: [UInt8]) {
        lock.withLock { buffer += bytes }
        onWrite?(bytes)
    }

    /// Takes up to `count` bytes from the front.
    func read(upTo count: Int) -> [UInt8] {
        lock.withLock {
            let end = min(buffer.count, readOffset + count)
            let chunk = Array(buffer[readOffset..<end])
            readOffset = end
            if readOffset == buffer.count {
                buffer.removeAll(keepingCapacity: true)
                readOffset = 0
            }
            return chunk
        }
    }

    var available: Int { lock.withLock { buffer.count - readOffset } }
}

/// The host's `listen` (a free function: inside `WASIConfiguration`, `listen` names its own).
private func hostListen(_ fd: Int32, _ backlog: Int32) -> Int32 {
    listen(fd, backlog)
}
