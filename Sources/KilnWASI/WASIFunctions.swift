import CKilnShims
import Kiln

/// Defines the 46 functions of WASI preview 1 in a linker. Each takes its wasm arguments,
/// finds the store's `WASIContext` and the caller's memory, and returns the errno (0 on
/// success); `proc_exit` throws `WASIExit`.
struct WASIFunctions<T> {
    let linker: Linker<T>
    let context: (T) -> WASIContext

    /// Runs `body` with the context and memory; an `Errno` it throws becomes the result.
    func call(_ caller: Caller<T>, _ body: (WASIContext, GuestMemory) throws -> Void) throws -> Int32 {
        do {
            try caller.withGuestMemory { memory in try body(context(caller.data), memory) }
            return 0
        } catch let error as Errno {
            return Int32(error.rawValue)
        }
    }

    func define<each P: WasmValue>(_ name: String, _ body: @escaping (Caller<T>, repeat each P) throws -> Int32) throws {
        try linker.funcWrap(WASIContext.module, name, body)
    }

    func defineAll() throws {
        let m = WASIContext.module
        func u(_ value: Int32) -> UInt32 { UInt32(bitPattern: value) }
        func string(_ memory: GuestMemory, _ address: Int32, _ length: Int32) throws(Errno) -> String {
            try memory.string(u(address), u(length))
        }

        try linker.funcWrap(m, "args_get") { (c: Caller<T>, pointers: Int32, buffer: Int32) -> Int32 in
            try call(c) { ctx, mem in try ctx.writeStrings(ctx.arguments, mem, pointers: u(pointers), buffer: u(buffer)) }
        }
        try linker.funcWrap(m, "args_sizes_get") { (c: Caller<T>, count: Int32, size: Int32) -> Int32 in
            try call(c) { ctx, mem in try ctx.writeSizes(ctx.arguments, mem, count: u(count), size: u(size)) }
        }
        try linker.funcWrap(m, "environ_get") { (c: Caller<T>, pointers: Int32, buffer: Int32) -> Int32 in
            try call(c) { ctx, mem in try ctx.writeStrings(ctx.environment, mem, pointers: u(pointers), buffer: u(buffer)) }
        }
        try linker.funcWrap(m, "environ_sizes_get") { (c: Caller<T>, count: Int32, size: Int32) -> Int32 in
            try call(c) { ctx, mem in try ctx.writeSizes(ctx.environment, mem, count: u(count), size: u(size)) }
        }
        try linker.funcWrap(m, "clock_res_get") { (c: Caller<T>, id: Int32, result: Int32) -> Int32 in
            try call(c) { ctx, mem in try ctx.clockResolution(u(id), mem, result: u(result)) }
        }
        try linker.funcWrap(m, "clock_time_get") { (c: Caller<T>, id: Int32, _: Int64, result: Int32) -> Int32 in
            try call(c) { ctx, mem in try ctx.clockTime(u(id), mem, result: u(result)) }
        }
        try linker.funcWrap(m, "random_get") { (c: Caller<T>, buffer: Int32, length: Int32) -> Int32 in
            try call(c) { ctx, mem in try ctx.randomBytes(mem, buffer: u(buffer), length: u(length)) }
        }
        try linker.funcWrap(m, "sched_yield") { (c: Caller<T>) -> Int32 in
            try call(c) { _, _ in kiln_sched_yield() }
        }
        try linker.funcWrap(m, "proc_exit") { (_: Caller<T>, code: Int32) in
            throw WASIExit(code: code)
        }
        try linker.funcWrap(m, "proc_raise") { (c: Caller<T>, _: Int32) -> Int32 in
            try call(c) { _, _ in throw Errno.nosys }
        }

        try linker.funcWrap(m, "fd_read") { (c: Caller<T>, fd: Int32, iovs: Int32, count: Int32, result: Int32) -> Int32 in
            try call(c) { ctx, mem in try ctx.read(u(fd), mem, iovs: u(iovs), count: u(count), result: u(result)) }
        }
        try linker.funcWrap(m, "fd_write") { (c: Caller<T>, fd: Int32, iovs: Int32, count: Int32, result: Int32) -> Int32 in
            try call(c) { ctx, mem in try ctx.write(u(fd), mem, iovs: u(iovs), count: u(count), result: u(result)) }
        }
        try linker.funcWrap(m, "fd_pread") { (c: Caller<T>, fd: Int32, iovs: Int32, count: Int32, offset: Int64, result: Int32) -> Int32 in
            try call(c) { ctx, mem in
                try ctx.positionalRead(u(fd), mem, iovs: u(iovs), count: u(count), offset: UInt64(bitPattern: offset), result: u(result))
            }
        }
        try linker.funcWrap(m, "fd_pwrite") { (c: Caller<T>, fd: Int32, iovs: Int32, count: Int32, offset: Int64, result: Int32) -> Int32 in
            try call(c) { ctx, mem in
                try ctx.positionalWrite(u(fd), mem, iovs: u(iovs), count: u(count), offset: UInt64(bitPattern: offset), result: u(result))
            }
        }
        try linker.funcWrap(m, "fd_seek") { (c: Caller<T>, fd: Int32, offset: Int64, whence: Int32, result: Int32) -> Int32 in
            try call(c) { ctx, mem in try ctx.seek(u(fd), offset: offset, whence: UInt8(truncatingIfNeeded: whence), mem, result: u(result)) }
        }
        try linker.funcWrap(m, "fd_tell") { (c: Caller<T>, fd: Int32, result: Int32) -> Int32 in
            try call(c) { ctx, mem in try ctx.tell(u(fd), mem, result: u(result)) }
        }
        try linker.funcWrap(m, "fd_close") { (c: Caller<T>, fd: Int32) -> Int32 in
            try call(c) { ctx, _ in try ctx.closeDescriptor(u(fd)) }
        }
        try linker.funcWrap(m, "fd_renumber") { (c: Caller<T>, from: Int32, to: Int32) -> Int32 in
            try call(c) { ctx, _ in try ctx.renumber(u(from), u(to)) }
        }
        try linker.funcWrap(m, "fd_fdstat_get") { (c: Caller<T>, fd: Int32, result: Int32) -> Int32 in
            try call(c) { ctx, mem in try ctx.fdstat(u(fd), mem, result: u(result)) }
        }
        try linker.funcWrap(m, "fd_fdstat_set_flags") { (c: Caller<T>, fd: Int32, flags: Int32) -> Int32 in
            try call(c) { ctx, _ in try ctx.setFlags(u(fd), UInt16(truncatingIfNeeded: flags)) }
        }
        try linker.funcWrap(m, "fd_fdstat_set_rights") { (c: Caller<T>, fd: Int32, base: Int64, inheriting: Int64) -> Int32 in
            try call(c) { ctx, _ in try ctx.setRights(u(fd), base: UInt64(bitPattern: base), inheriting: UInt64(bitPattern: inheriting)) }
        }
        try linker.funcWrap(m, "fd_filestat_get") { (c: Caller<T>, fd: Int32, result: Int32) -> Int32 in
            try call(c) { ctx, mem in try ctx.fileStatus(u(fd), mem, result: u(result)) }
        }
        try linker.funcWrap(m, "fd_filestat_set_size") { (c: Caller<T>, fd: Int32, size: Int64) -> Int32 in
            try call(c) { ctx, _ in try ctx.setSize(u(fd), UInt64(bitPattern: size)) }
        }
        try linker.funcWrap(m, "fd_filestat_set_times") { (c: Caller<T>, fd: Int32, atime: Int64, mtime: Int64, flags: Int32) -> Int32 in
            try call(c) { ctx, _ in
                try ctx.setTimes(u(fd), UInt64(bitPattern: atime), UInt64(bitPattern: mtime), UInt16(truncatingIfNeeded: flags))
            }
        }
        try linker.funcWrap(m, "fd_advise") { (c: Caller<T>, fd: Int32, offset: Int64, length: Int64, advice: Int32) -> Int32 in
            try call(c) { ctx, _ in
                try ctx.advise(u(fd), offset: UInt64(bitPattern: offset), length: UInt64(bitPattern: length), advice: UInt8(truncatingIfNeeded: advice))
            }
        }
        try linker.funcWrap(m, "fd_allocate") { (c: Caller<T>, fd: Int32, offset: Int64, length: Int64) -> Int32 in
            try call(c) { ctx, _ in try ctx.allocate(u(fd), offset: UInt64(bitPattern: offset), length: UInt64(bitPattern: length)) }
        }
        try linker.funcWrap(m, "fd_datasync") { (c: Caller<T>, fd: Int32) -> Int32 in
            try call(c) { ctx, _ in try ctx.synchronize(u(fd), dataOnly: true) }
        }
        try linker.funcWrap(m, "fd_sync") { (c: Caller<T>, fd: Int32) -> Int32 in
            try call(c) { ctx, _ in try ctx.synchronize(u(fd), dataOnly: false) }
        }
        try linker.funcWrap(m, "fd_prestat_get") { (c: Caller<T>, fd: Int32, result: Int32) -> Int32 in
            try call(c) { ctx, mem in try ctx.prestat(u(fd), mem, result: u(result)) }
        }
        try linker.funcWrap(m, "fd_prestat_dir_name") { (c: Caller<T>, fd: Int32, path: Int32, length: Int32) -> Int32 in
            try call(c) { ctx, mem in try ctx.prestatName(u(fd), mem, path: u(path), length: u(length)) }
        }
        try linker.funcWrap(m, "fd_readdir") { (c: Caller<T>, fd: Int32, buffer: Int32, length: Int32, cookie: Int64, result: Int32) -> Int32 in
            try call(c) { ctx, mem in
                try ctx.readDirectory(u(fd), mem, buffer: u(buffer), length: u(length), cookie: UInt64(bitPattern: cookie), result: u(result))
            }
        }

        try linker.funcWrap(m, "path_open") {
            (c: Caller<T>, fd: Int32, lookup: Int32, path: Int32, pathLength: Int32, oflags: Int32, base: Int64, inheriting: Int64,
             fdflags: Int32, result: Int32) -> Int32 in
            try call(c) { ctx, mem in
                try ctx.openPath(u(fd), lookup: u(lookup), try string(mem, path, pathLength), oflags: UInt16(truncatingIfNeeded: oflags),
                                 base: UInt64(bitPattern: base), inheriting: UInt64(bitPattern: inheriting),
                                 fdflags: UInt16(truncatingIfNeeded: fdflags), mem, result: u(result))
            }
        }
        try linker.funcWrap(m, "path_create_directory") { (c: Caller<T>, fd: Int32, path: Int32, length: Int32) -> Int32 in
            try call(c) { ctx, mem in try ctx.createDirectory(u(fd), try string(mem, path, length)) }
        }
        try linker.funcWrap(m, "path_filestat_get") { (c: Caller<T>, fd: Int32, lookup: Int32, path: Int32, length: Int32, result: Int32) -> Int32 in
            try call(c) { ctx, mem in try ctx.pathStatus(u(fd), lookup: u(lookup), try string(mem, path, length), mem, result: u(result)) }
        }
        try linker.funcWrap(m, "path_filestat_set_times") {
            (c: Caller<T>, fd: Int32, lookup: Int32, path: Int32, length: Int32, atime: Int64, mtime: Int64, flags: Int32) -> Int32 in
            try call(c) { ctx, mem in
                try ctx.setPathTimes(u(fd), lookup: u(lookup), try string(mem, path, length), UInt64(bitPattern: atime),
                                     UInt64(bitPattern: mtime), UInt16(truncatingIfNeeded: flags))
            }
        }
        try linker.funcWrap(m, "path_link") {
            (c: Caller<T>, oldFD: Int32, lookup: Int32, oldPath: Int32, oldLength: Int32, newFD: Int32, newPath: Int32, newLength: Int32) -> Int32 in
            try call(c) { ctx, mem in
                try ctx.link(u(oldFD), lookup: u(lookup), try string(mem, oldPath, oldLength), u(newFD), try string(mem, newPath, newLength))
            }
        }
        try linker.funcWrap(m, "path_readlink") {
            (c: Caller<T>, fd: Int32, path: Int32, length: Int32, buffer: Int32, bufferLength: Int32, result: Int32) -> Int32 in
            try call(c) { ctx, mem in
                try ctx.readLink(u(fd), try string(mem, path, length), mem, buffer: u(buffer), length: u(bufferLength), result: u(result))
            }
        }
        try linker.funcWrap(m, "path_remove_directory") { (c: Caller<T>, fd: Int32, path: Int32, length: Int32) -> Int32 in
            try call(c) { ctx, mem in try ctx.removeDirectory(u(fd), try string(mem, path, length)) }
        }
        try linker.funcWrap(m, "path_rename") {
            (c: Caller<T>, oldFD: Int32, oldPath: Int32, oldLength: Int32, newFD: Int32, newPath: Int32, newLength: Int32) -> Int32 in
            try call(c) { ctx, mem in
                try ctx.rename(u(oldFD), try string(mem, oldPath, oldLength), u(newFD), try string(mem, newPath, newLength))
            }
        }
        try linker.funcWrap(m, "path_symlink") {
            (c: Caller<T>, oldPath: Int32, oldLength: Int32, fd: Int32, newPath: Int32, newLength: Int32) -> Int32 in
            try call(c) { ctx, mem in try ctx.symlink(try string(mem, oldPath, oldLength), u(fd), try string(mem, newPath, newLength)) }
        }
        try linker.funcWrap(m, "path_unlink_file") { (c: Caller<T>, fd: Int32, path: Int32, length: Int32) -> Int32 in
            try call(c) { ctx, mem in try ctx.unlinkFile(u(fd), try string(mem, path, length)) }
        }

        try linker.funcWrap(m, "poll_oneoff") { (c: Caller<T>, input: Int32, output: Int32, count: Int32, result: Int32) -> Int32 in
            try call(c) { ctx, mem in try ctx.poll(mem, subscriptions: u(input), events: u(output), count: u(count), result: u(result)) }
        }
        try linker.funcWrap(m, "sock_accept") { (c: Caller<T>, fd: Int32, flags: Int32, result: Int32) -> Int32 in
            try call(c) { ctx, mem in try ctx.acceptConnection(u(fd), flags: UInt16(truncatingIfNeeded: flags), mem, result: u(result)) }
        }
        try linker.funcWrap(m, "sock_recv") {
            (c: Caller<T>, fd: Int32, iovs: Int32, count: Int32, flags: Int32, result: Int32, resultFlags: Int32) -> Int32 in
            try call(c) { ctx, mem in
                try ctx.receive(u(fd), mem, iovs: u(iovs), count: u(count), flags: UInt16(truncatingIfNeeded: flags),
                                result: u(result), resultFlags: u(resultFlags))
            }
        }
        try linker.funcWrap(m, "sock_send") { (c: Caller<T>, fd: Int32, iovs: Int32, count: Int32, _: Int32, result: Int32) -> Int32 in
            try call(c) { ctx, mem in try ctx.send(u(fd), mem, iovs: u(iovs), count: u(count), result: u(result)) }
        }
        try linker.funcWrap(m, "sock_shutdown") { (c: Caller<T>, fd: Int32, how: Int32) -> Int32 in
            try call(c) { ctx, _ in try ctx.shutdownSocket(u(fd), how: UInt8(truncatingIfNeeded: how)) }
        }
    }
}
