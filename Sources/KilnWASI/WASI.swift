import Foundation
import Kiln

/// `proc_exit` was called: unwinds the wasm call to the embedder.
public struct WASIExit: Error {
    public var code: Int32
}

/// Just enough of WASI preview 1 for freestanding C programs to print and exit: output
/// to stdout and stderr, arguments, an empty environment, clocks and random bytes.
/// Everything else returns ENOSYS (52).
public struct WASIContext {
    public var arguments: [String]
    /// Where fd 1 and fd 2 go; by default the process's stdout and stderr.
    public var output: (_ fd: Int32, _ bytes: [UInt8]) -> Void

    public init(arguments: [String], output: @escaping (_ fd: Int32, _ bytes: [UInt8]) -> Void = WASIContext.standardOutput) {
        self.arguments = arguments
        self.output = output
    }

    public static func standardOutput(_ fd: Int32, _ bytes: [UInt8]) {
        (fd == 1 ? FileHandle.standardOutput : FileHandle.standardError).write(Data(bytes))
    }

    static let module = "wasi_snapshot_preview1"
    static let success: Int32 = 0
    static let badFile: Int32 = 8
    static let fault: Int32 = 21
    static let notImplemented: Int32 = 52

    static func memory(_ caller: Caller<WASIContext>) throws -> Memory {
        guard case .memory(let memory)? = caller.getExport("memory") else {
            throw Trap("WASI needs the module to export its memory as \"memory\"")
        }
        return memory
    }

    /// Defines the functions in `linker` under `wasi_snapshot_preview1`.
    public static func define(in linker: Linker<WASIContext>) throws {
        try linker.funcWrap(module, "fd_write") { (caller: Caller<WASIContext>, fd: Int32, iovs: Int32, count: Int32, written: Int32) -> Int32 in
            guard fd == 1 || fd == 2 else { return badFile }
            let memory = try memory(caller)
            var output: [UInt8] = []
            for i in 0..<Int(count) {
                let entry = try memory.read(caller, offset: Int(UInt32(bitPattern: iovs)) + 8 * i, count: 8)
                let base = Int(UInt32(entry[0]) | UInt32(entry[1]) << 8 | UInt32(entry[2]) << 16 | UInt32(entry[3]) << 24)
                let length = Int(UInt32(entry[4]) | UInt32(entry[5]) << 8 | UInt32(entry[6]) << 16 | UInt32(entry[7]) << 24)
                output += try memory.read(caller, offset: base, count: length)
            }
            caller.data.output(fd, output)
            try memory.write(caller, offset: Int(UInt32(bitPattern: written)), littleEndian(UInt32(output.count)))
            return success
        }
        try linker.funcWrap(module, "proc_exit") { (_: Caller<WASIContext>, code: Int32) in
            throw WASIExit(code: code)
        }
        try linker.funcWrap(module, "args_sizes_get") { (caller: Caller<WASIContext>, count: Int32, size: Int32) -> Int32 in
            let memory = try memory(caller)
            let arguments = caller.data.arguments
            try memory.write(caller, offset: Int(UInt32(bitPattern: count)), littleEndian(UInt32(arguments.count)))
            try memory.write(caller, offset: Int(UInt32(bitPattern: size)), littleEndian(UInt32(arguments.reduce(0) { $0 + $1.utf8.count + 1 })))
            return success
        }
        try linker.funcWrap(module, "args_get") { (caller: Caller<WASIContext>, pointers: Int32, buffer: Int32) -> Int32 in
            let memory = try memory(caller)
            var at = Int(UInt32(bitPattern: buffer))
            for (i, argument) in caller.data.arguments.enumerated() {
                try memory.write(caller, offset: Int(UInt32(bitPattern: pointers)) + 4 * i, littleEndian(UInt32(at)))
                let bytes = Array(argument.utf8) + [0]
                try memory.write(caller, offset: at, bytes)
                at += bytes.count
            }
            return success
        }
        try linker.funcWrap(module, "environ_sizes_get") { (caller: Caller<WASIContext>, count: Int32, size: Int32) -> Int32 in
            let memory = try memory(caller)
            try memory.write(caller, offset: Int(UInt32(bitPattern: count)), littleEndian(UInt32(0)))
            try memory.write(caller, offset: Int(UInt32(bitPattern: size)), littleEndian(UInt32(0)))
            return success
        }
        try linker.funcWrap(module, "environ_get") { (_: Caller<WASIContext>, _: Int32, _: Int32) -> Int32 in success }
        try linker.funcWrap(module, "clock_time_get") { (caller: Caller<WASIContext>, clock: Int32, _: Int64, time: Int32) -> Int32 in
            var now = timespec()
            clock_gettime(clock == 0 ? CLOCK_REALTIME : CLOCK_MONOTONIC, &now)
            let nanoseconds = UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
            try memory(caller).write(caller, offset: Int(UInt32(bitPattern: time)), littleEndian(nanoseconds))
            return success
        }
        try linker.funcWrap(module, "random_get") { (caller: Caller<WASIContext>, buffer: Int32, length: Int32) -> Int32 in
            var generator = SystemRandomNumberGenerator()
            let bytes = (0..<Int(UInt32(bitPattern: length))).map { _ in UInt8.random(in: 0...255, using: &generator) }
            try memory(caller).write(caller, offset: Int(UInt32(bitPattern: buffer)), bytes)
            return success
        }
        try linker.funcWrap(module, "fd_close") { (_: Caller<WASIContext>, _: Int32) -> Int32 in notImplemented }
        try linker.funcWrap(module, "fd_seek") { (_: Caller<WASIContext>, _: Int32, _: Int64, _: Int32, _: Int32) -> Int32 in notImplemented }
        try linker.funcWrap(module, "fd_fdstat_get") { (_: Caller<WASIContext>, _: Int32, _: Int32) -> Int32 in notImplemented }
    }

    static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}
