import Foundation

/// The `fd_*` functions: I/O, seeking, status, directory listing, renumbering.
extension WASIContext {
    func read(_ fd: UInt32, _ memory: GuestMemory, iovs: UInt32, count: UInt32, result: UInt32) throws(Errno) {
        let file = try descriptors.get(fd)
        // Reading what was opened for writing only is EBADF, as the host (and wasmtime) say.
        guard file.rights.contains(.fdRead) else { throw .badf }
        let buffers = try memory.buffers(iovs, count)
        var total = 0
        switch file.backing {
        case .host(let host, _):
            if file.isDirectory { throw .isdir }
            total = try Self.vectored(buffers) { iov, n in readv(host, iov, n) }
        case .pipe(let pipe, let readable):
            guard readable else { throw .badf }
            for buffer in buffers {
                let chunk = pipe.read(upTo: buffer.count)
                buffer.copyBytes(from: chunk)
                total += chunk.count
                if chunk.count < buffer.count { break }
            }
        case .null(let readable):
            guard readable else { throw .badf }
        }
        try memory.store(UInt32(total), at: result)
    }

    func write(_ fd: UInt32, _ memory: GuestMemory, iovs: UInt32, count: UInt32, result: UInt32) throws(Errno) {
        let file = try descriptors.get(fd)
        guard file.rights.contains(.fdWrite) else { throw .badf }
        let buffers = try memory.buffers(iovs, count)
        var total = 0
        switch file.backing {
        case .host(let host, _):
            if file.isDirectory { throw .isdir }
            total = try Self.vectored(buffers) { iov, n in writev(host, iov, n) }
        case .pipe(let pipe, let readable):
            guard !readable else { throw .badf }
            var bytes: [UInt8] = []
            for buffer in buffers { bytes += buffer }
            pipe.write(bytes)
            total = bytes.count
        case .null(let readable):
            guard !readable else { throw .badf }
            total = buffers.reduce(0) { $0 + $1.count }
        }
        try memory.store(UInt32(total), at: result)
    }

    func positionalRead(_ fd: UInt32, _ memory: GuestMemory, iovs: UInt32, count: UInt32, offset: UInt64, result: UInt32) throws(Errno) {
        let file = try descriptors.get(fd)
        guard file.rights.contains(.fdRead) else { throw .badf }
        try file.require(.fdSeek)
        let buffers = try memory.buffers(iovs, count)
        guard let host = file.hostFD else { throw .spipe }
        if file.isDirectory { throw .isdir }
        guard let start = off_t(exactly: offset) else { throw .inval }
        let total = try Self.vectored(buffers) { iov, n in preadv(host, iov, n, start) }
        try memory.store(UInt32(total), at: result)
    }

    func positionalWrite(_ fd: UInt32, _ memory: GuestMemory, iovs: UInt32, count: UInt32, offset: UInt64, result: UInt32) throws(Errno) {
        let file = try descriptors.get(fd)
        guard file.rights.contains(.fdWrite) else { throw .badf }
        try file.require(.fdSeek)
        let buffers = try memory.buffers(iovs, count)
        guard let host = file.hostFD else { throw .spipe }
        if file.isDirectory { throw .isdir }
        guard let start = off_t(exactly: offset) else { throw .inval }
        let total: Int
        if file.flags & FDFlags.append != 0 {
            // pwrite on an O_APPEND descriptor appends on Linux: write at the offset without
            // it, keeping the descriptor's position.
            let hostFlags = fcntl(host, F_GETFL)
            _ = fcntl(host, F_SETFL, hostFlags & ~O_APPEND)
            defer { _ = fcntl(host, F_SETFL, hostFlags) }
            total = try Self.vectored(buffers) { iov, n in pwritev(host, iov, n, start) }
        } else {
            total = try Self.vectored(buffers) { iov, n in pwritev(host, iov, n, start) }
        }
        try memory.store(UInt32(total), at: result)
    }

    /// Runs a vectored host call over `buffers` (retrying on EINTR).
    static func vectored(_ buffers: [UnsafeMutableRawBufferPointer],
                         _ call: (UnsafePointer<iovec>, Int32) -> Int) throws(Errno) -> Int {
        var vectors = buffers.map { iovec(iov_base: $0.baseAddress, iov_len: $0.count) }
        if vectors.isEmpty { return 0 }
        while true {
            let n = vectors.withUnsafeMutableBufferPointer { call($0.baseAddress!, Int32($0.count)) }
            if n >= 0 { return n }
            if errno != EINTR { throw Errno.last }
        }
    }

    func seek(_ fd: UInt32, offset: Int64, whence: UInt8, _ memory: GuestMemory, result: UInt32) throws(Errno) {
        let file = try descriptors.get(fd)
        try file.require(offset == 0 && whence == 1 ? .fdTell : .fdSeek)
        let hostWhence: Int32
        switch whence {
        case 0: hostWhence = SEEK_SET
        case 1: hostWhence = SEEK_CUR
        case 2: hostWhence = SEEK_END
        default: throw .inval
        }
        guard let host = file.hostFD else { throw .spipe }
        if file.isDirectory { throw .badf }
        let position = lseek(host, off_t(offset), hostWhence)
        guard position >= 0 else { throw Errno.last }
        try memory.store(UInt64(position), at: result)
    }

    func tell(_ fd: UInt32, _ memory: GuestMemory, result: UInt32) throws(Errno) {
        try seek(fd, offset: 0, whence: 1, memory, result: result)
    }

    func closeDescriptor(_ fd: UInt32) throws(Errno) {
        guard descriptors.remove(fd) != nil else { throw .badf }
    }

    func renumber(_ from: UInt32, _ to: UInt32) throws(Errno) {
        let file = try descriptors.get(from)
        _ = try descriptors.get(to)
        if from == to { return }
        descriptors[to] = file
        descriptors.remove(from)
    }

    func fdstat(_ fd: UInt32, _ memory: GuestMemory, result: UInt32) throws(Errno) {
        let file = try descriptors.get(fd)
        try memory.write([UInt8](repeating: 0, count: 24), at: result)
        try memory.store(file.fileType.rawValue, at: result)
        try memory.store(file.flags, at: result + 2)
        try memory.store(file.rights.rawValue, at: result + 8)
        try memory.store(file.inheriting.rawValue, at: result + 16)
    }

    func setFlags(_ fd: UInt32, _ flags: UInt16) throws(Errno) {
        let file = try descriptors.get(fd)
        try file.require(.fdFdstatSetFlags)
        // Only append and nonblock can change on an open descriptor (as in wasmtime).
        guard flags & ~(FDFlags.append | FDFlags.nonblock) == 0 else { throw .inval }
        if let host = file.hostFD {
            var hostFlags = fcntl(host, F_GETFL)
            guard hostFlags >= 0 else { throw Errno.last }
            hostFlags &= ~(O_APPEND | O_NONBLOCK)
            if flags & FDFlags.append != 0 { hostFlags |= O_APPEND }
            if flags & FDFlags.nonblock != 0 { hostFlags |= O_NONBLOCK }
            guard fcntl(host, F_SETFL, hostFlags) == 0 else { throw Errno.last }
        }
        file.flags = (file.flags & ~(FDFlags.append | FDFlags.nonblock)) | flags
    }

    func setRights(_ fd: UInt32, base: UInt64, inheriting: UInt64) throws(Errno) {
        let file = try descriptors.get(fd)
        let (newBase, newInheriting) = (Rights(rawValue: base), Rights(rawValue: inheriting))
        // Rights only shrink.
        guard file.rights.isSuperset(of: newBase), file.inheriting.isSuperset(of: newInheriting) else { throw .notcapable }
        file.rights = newBase
        file.inheriting = newInheriting
    }

    func fileStatus(_ fd: UInt32, _ memory: GuestMemory, result: UInt32) throws(Errno) {
        let file = try descriptors.get(fd)
        try file.require(.fdFilestatGet)
        guard let host = file.hostFD else {
            try Self.writeFilestat(nil, type: file.fileType, memory, at: result)
            return
        }
        var info = stat()
        guard fstat(host, &info) == 0 else { throw Errno.last }
        try Self.writeFilestat(info, type: FileType(mode: info.st_mode), memory, at: result)
    }

    static func writeFilestat(_ info: stat?, type: FileType, _ memory: GuestMemory, at address: UInt32) throws(Errno) {
        try memory.write([UInt8](repeating: 0, count: 64), at: address)
        try memory.store(type.rawValue, at: address + 16)
        guard let info else { return }
        try memory.store(UInt64(truncatingIfNeeded: info.st_dev), at: address)
        try memory.store(UInt64(truncatingIfNeeded: info.st_ino), at: address + 8)
        try memory.store(UInt64(truncatingIfNeeded: info.st_nlink), at: address + 24)
        try memory.store(UInt64(truncatingIfNeeded: info.st_size), at: address + 32)
        #if canImport(Darwin)
        let (a, m, c) = (info.st_atimespec, info.st_mtimespec, info.st_ctimespec)
        #else
        let (a, m, c) = (info.st_atim, info.st_mtim, info.st_ctim)
        #endif
        try memory.store(nanoseconds(a), at: address + 40)
        try memory.store(nanoseconds(m), at: address + 48)
        try memory.store(nanoseconds(c), at: address + 56)
    }

    func setSize(_ fd: UInt32, _ size: UInt64) throws(Errno) {
        let file = try descriptors.get(fd)
        try file.require(.fdFilestatSetSize)
        guard let host = file.hostFD else { throw .inval }
        if file.isDirectory { throw .badf }
        guard let length = off_t(exactly: size) else { throw .fbig }
        guard ftruncate(host, length) == 0 else { throw Errno.last }
    }

    /// UTIME_NOW and UTIME_OMIT (macros the C module does not export).
    static let utimeNow = (1 << 30) - 1, utimeOmit = (1 << 30) - 2

    /// The two timespecs of `futimens`/`utimensat` for WASI's times and fstflags.
    static func times(_ atime: UInt64, _ mtime: UInt64, _ flags: UInt16) throws(Errno) -> [timespec] {
        guard flags & ~(FSTFlags.atim | FSTFlags.atimNow | FSTFlags.mtim | FSTFlags.mtimNow) == 0 else { throw .inval }
        if flags & FSTFlags.atim != 0 && flags & FSTFlags.atimNow != 0 { throw .inval }
        if flags & FSTFlags.mtim != 0 && flags & FSTFlags.mtimNow != 0 { throw .inval }
        func spec(_ value: UInt64, set: Bool, now: Bool) -> timespec {
            if now { return timespec(tv_sec: 0, tv_nsec: Self.utimeNow) }
            if set { return timespec(tv_sec: time_t(value / 1_000_000_000), tv_nsec: Int(value % 1_000_000_000)) }
            return timespec(tv_sec: 0, tv_nsec: Self.utimeOmit)
        }
        return [spec(atime, set: flags & FSTFlags.atim != 0, now: flags & FSTFlags.atimNow != 0),
                spec(mtime, set: flags & FSTFlags.mtim != 0, now: flags & FSTFlags.mtimNow != 0)]
    }

    func setTimes(_ fd: UInt32, _ atime: UInt64, _ mtime: UInt64, _ flags: UInt16) throws(Errno) {
        let file = try descriptors.get(fd)
        try file.require(.fdFilestatSetTimes)
        let specs = try Self.times(atime, mtime, flags)
        guard let host = file.hostFD else { throw .inval }
        guard futimens(host, specs) == 0 else { throw Errno.last }
    }

    func advise(_ fd: UInt32, offset: UInt64, length: UInt64, advice: UInt8) throws(Errno) {
        let file = try descriptors.get(fd)
        try file.require(.fdAdvise)
        guard advice <= 5 else { throw .inval }
        guard let host = file.hostFD else { throw .spipe }
        if file.isDirectory { throw .badf }
        guard off_t(exactly: offset) != nil, off_t(exactly: length) != nil else { throw .inval }
        #if os(Linux)
        let hostAdvice = [POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM, POSIX_FADV_NOREUSE,
                          POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED][Int(advice)]
        let status = posix_fadvise(host, off_t(offset), off_t(length), hostAdvice)
        guard status == 0 else { throw Errno(host: status) }
        #endif
    }

    func allocate(_ fd: UInt32, offset: UInt64, length: UInt64) throws(Errno) {
        let file = try descriptors.get(fd)
        try file.require(.fdAllocate)
        guard let host = file.hostFD else { throw .spipe }
        if file.isDirectory { throw .badf }
        guard let start = off_t(exactly: offset), let count = off_t(exactly: length), start <= off_t.max - count else { throw .inval }
        // Grow the file to cover the range (no preallocation of blocks, as wasmtime).
        var info = stat()
        guard fstat(host, &info) == 0 else { throw Errno.last }
        if info.st_size < start + count {
            guard ftruncate(host, start + count) == 0 else { throw Errno.last }
        }
    }

    func synchronize(_ fd: UInt32, dataOnly: Bool) throws(Errno) {
        let file = try descriptors.get(fd)
        try file.require(dataOnly ? .fdDatasync : .fdSync)
        guard let host = file.hostFD else { throw .inval }
        #if os(Linux)
        guard (dataOnly ? fdatasync(host) : fsync(host)) == 0 else { throw Errno.last }
        #else
        guard fsync(host) == 0 else { throw Errno.last }
        #endif
    }

    func prestat(_ fd: UInt32, _ memory: GuestMemory, result: UInt32) throws(Errno) {
        let file = try descriptors.get(fd)
        guard let name = file.preopenName else { throw .badf }
        try memory.store(UInt32(0), at: result)
        try memory.store(UInt32(name.utf8.count), at: result + 4)
    }

    func prestatName(_ fd: UInt32, _ memory: GuestMemory, path: UInt32, length: UInt32) throws(Errno) {
        let file = try descriptors.get(fd)
        guard let name = file.preopenName else { throw .badf }
        let bytes = Array(name.utf8)
        guard bytes.count <= length else { throw .nametoolong }
        try memory.write(bytes, at: path)
    }

    func readDirectory(_ fd: UInt32, _ memory: GuestMemory, buffer: UInt32, length: UInt32, cookie: UInt64,
                       result: UInt32) throws(Errno) {
        let file = try descriptors.get(fd)
        try file.require(.fdReaddir)
        guard file.isDirectory, let host = file.hostFD else { throw .notdir }
        if cookie == 0 || file.directoryEntries == nil { file.directoryEntries = try Self.list(host) }
        let entries = file.directoryEntries ?? []
        let region = try memory.range(buffer, length)
        var used = 0
        var index = Int(clamping: cookie)
        while index < entries.count && used < region.count {
            let entry = entries[index]
            var record = [UInt8](repeating: 0, count: 24)
            withUnsafeBytes(of: UInt64(index + 1).littleEndian) { record.replaceSubrange(0..<8, with: $0) }
            withUnsafeBytes(of: entry.inode.littleEndian) { record.replaceSubrange(8..<16, with: $0) }
            withUnsafeBytes(of: UInt32(entry.name.count).littleEndian) { record.replaceSubrange(16..<20, with: $0) }
            record[20] = entry.type.rawValue
            record += entry.name
            let count = min(record.count, region.count - used)
            try memory.write(record[..<count], at: buffer + UInt32(used))
            used += count
            index += 1
        }
        try memory.store(UInt32(used), at: result)
    }

    /// A directory's entries: "." and ".." first, then the others in the host's order.
    static func list(_ host: Int32) throws(Errno) -> [DirectoryEntry] {
        let copy = dup(host)
        guard copy >= 0 else { throw Errno.last }
        guard let stream = fdopendir(copy) else {
            close(copy)
            throw Errno.last
        }
        defer { closedir(stream) }
        rewinddir(stream)
        var dots: [DirectoryEntry] = [], others: [DirectoryEntry] = []
        while let record = readdir(stream) {
            let name = withUnsafeBytes(of: record.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            let type: FileType
            switch Int32(record.pointee.d_type) {
            case Int32(DT_DIR): type = .directory
            case Int32(DT_REG): type = .regularFile
            case Int32(DT_LNK): type = .symbolicLink
            case Int32(DT_CHR): type = .characterDevice
            case Int32(DT_BLK): type = .blockDevice
            case Int32(DT_SOCK): type = .socketStream
            default:
                // The file system did not say: ask for the entry's status.
                var info = stat()
                let path = String(decoding: name, as: UTF8.self)
                type = fstatat(host, path, &info, AT_SYMLINK_NOFOLLOW) == 0 ? FileType(mode: info.st_mode) : .unknown
            }
            let entry = DirectoryEntry(name: name, inode: UInt64(truncatingIfNeeded: record.pointee.d_ino), type: type)
            if name == [0x2E] || name == [0x2E, 0x2E] { dots.append(entry) } else { others.append(entry) }
        }
        return dots.sorted { $0.name.count < $1.name.count } + others
    }
}
