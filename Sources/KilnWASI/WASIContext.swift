import Foundation
import Kiln

/// One program's WASI state: arguments, environment, and its table of descriptors. Each
/// store gets its own (the descriptors it opens are closed when it goes away).
public final class WASIContext {
    let arguments: [[UInt8]]
    let environment: [[UInt8]]
    var descriptors = FileDescriptorTable()
    /// See `WASIConfiguration.kernelPathResolution`.
    let kernelPathResolution: Bool

    /// Opens the standard streams and the preopened directories. Fails when a preopened
    /// directory or a stdio file cannot be opened.
    public init(_ configuration: WASIConfiguration) throws {
        arguments = configuration.arguments.map { Array($0.utf8) }
        environment = configuration.environment.map { Array("\($0.name)=\($0.value)".utf8) }
        kernelPathResolution = configuration.kernelPathResolution
        try descriptors[0] = Self.input(configuration.stdin)
        try descriptors[1] = Self.output(configuration.stdout, standard: 1)
        try descriptors[2] = Self.output(configuration.stderr, standard: 2)
        for socket in configuration.listeningSockets {
            _ = try descriptors.insert(Descriptor(.host(socket, owned: true), fileType: .socketStream,
                                                  rights: .listeningSocket, inheriting: .connectedSocket))
        }
        let firstPreopen = UInt32(3 + configuration.listeningSockets.count)
        for (i, preopen) in configuration.preopens.enumerated() {
            let fd = open(preopen.hostPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else {
                throw KilnError("cannot preopen \(preopen.hostPath): \(String(cString: strerror(errno)))")
            }
            let rights: Rights = preopen.readOnly ? .readOnlyDirectory : .directory
            let inheriting: Rights = preopen.readOnly ? Rights.readOnlyDirectory.union(.readOnlyFile) : .all
            descriptors[firstPreopen + UInt32(i)] = Descriptor(.host(fd, owned: true), fileType: .directory, rights: rights,
                                                    inheriting: inheriting, preopenName: preopen.guestPath)
        }
    }

    /// Just arguments, stdout and stderr to `output` (the earlier form of the API).
    public convenience init(arguments: [String], output: @escaping @Sendable (_ fd: Int32, _ bytes: [UInt8]) -> Void) throws {
        var configuration = WASIConfiguration()
        configuration.arguments = arguments
        configuration.stdout = .pipe(WASIPipe(onWrite: { output(1, $0) }))
        configuration.stderr = .pipe(WASIPipe(onWrite: { output(2, $0) }))
        try self.init(configuration)
    }

    static func input(_ input: WASIInput) throws -> Descriptor {
        switch input {
        case .inherit:
            return Descriptor(.host(0, owned: false), fileType: hostFileType(0), rights: .stream, inheriting: [])
        case .file(let path):
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw KilnError("cannot open \(path) for stdin: \(String(cString: strerror(errno)))") }
            return Descriptor(.host(fd, owned: true), fileType: .regularFile, rights: Rights.readOnlyFile, inheriting: [])
        case .pipe(let pipe):
            return Descriptor(.pipe(pipe, readable: true), fileType: .unknown, rights: .stream, inheriting: [])
        case .empty:
            return Descriptor(.null(readable: true), fileType: .characterDevice, rights: .stream, inheriting: [])
        }
    }

    static func output(_ output: WASIOutput, standard: Int32) throws -> Descriptor {
        switch output {
        case .inherit:
            return Descriptor(.host(standard, owned: false), fileType: hostFileType(standard), rights: .stream, inheriting: [])
        case .file(let path):
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw KilnError("cannot open \(path) for output: \(String(cString: strerror(errno)))") }
            return Descriptor(.host(fd, owned: true), fileType: .regularFile, rights: .stream, inheriting: [])
        case .pipe(let pipe):
            return Descriptor(.pipe(pipe, readable: false), fileType: .unknown, rights: .stream, inheriting: [])
        case .discard:
            return Descriptor(.null(readable: false), fileType: .characterDevice, rights: .stream, inheriting: [])
        }
    }

    static func hostFileType(_ fd: Int32) -> FileType {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .unknown }
        return FileType(mode: info.st_mode)
    }
}

extension WASIContext {
    static let module = "wasi_snapshot_preview1"

    /// Defines every WASI preview 1 function under `wasi_snapshot_preview1` in `linker`,
    /// for stores whose data is the context.
    public static func define(in linker: Linker<WASIContext>) throws {
        try define(in: linker) { $0 }
    }

    /// Defines every WASI preview 1 function in `linker`, for stores whose data holds a
    /// context (`context` picks it out, as wasmtime-wasi's `add_to_linker` closure does).
    public static func define<T>(in linker: Linker<T>, _ context: @escaping (T) -> WASIContext) throws {
        try WASIFunctions<T>(linker: linker, context: context).defineAll()
    }
}
