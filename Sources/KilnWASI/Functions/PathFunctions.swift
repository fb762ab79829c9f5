import Foundation

/// The `path_*` functions. Every path goes through `PathResolver` beneath the directory
/// descriptor it is relative to; the host's `*at` calls then act on the resolved pair
/// without following links.
extension WASIContext {
    /// The directory descriptor `fd` (with `rights`) and `path` resolved beneath it.
    func resolve(_ fd: UInt32, _ path: String, follow: Bool, rights: Rights) throws(Errno) -> PathResolver.Resolved {
        let directory = try descriptors.get(fd)
        guard directory.isDirectory, let host = directory.hostFD else { throw .notdir }
        try directory.require(rights)
        return try PathResolver.resolve(beneath: host, path, followFinal: follow, kernel: kernelPathResolution)
    }

    func openPath(_ fd: UInt32, lookup: UInt32, _ path: String, oflags: UInt16, base: UInt64, inheriting: UInt64,
                  fdflags: UInt16, _ memory: GuestMemory, result: UInt32) throws(Errno) {
        let directory = try descriptors.get(fd)
        var needed: Rights = .pathOpen
        if oflags & OFlags.create != 0 { needed.insert(.pathCreateFile) }
        if oflags & OFlags.truncate != 0 { needed.insert(.pathFilestatSetSize) }
        let resolved = try resolve(fd, path, follow: lookup & 1 != 0, rights: needed)
        guard oflags & ~(OFlags.create | OFlags.directory | OFlags.exclusive | OFlags.truncate) == 0 else { throw .inval }
        if oflags & OFlags.directory != 0 && oflags & (OFlags.create | OFlags.truncate) != 0 { throw .inval }

        let requested = Rights(rawValue: base)
        let writeRights: Rights = [.fdWrite, .fdAllocate, .fdFilestatSetSize]
        let wantsWrite = !requested.isDisjoint(with: writeRights) || fdflags & FDFlags.append != 0
        // A descriptor gets no right its directory does not pass on: in a read-only tree,
        // opening for writing is refused rather than quietly read-only.
        if wantsWrite && directory.inheriting.isDisjoint(with: writeRights) { throw .notcapable }
        let wantsRead = !requested.isDisjoint(with: [.fdRead, .fdReaddir])

        var flags = O_CLOEXEC | O_NOFOLLOW
        if oflags & OFlags.create != 0 { flags |= O_CREAT }
        if oflags & OFlags.exclusive != 0 { flags |= O_EXCL }
        if oflags & OFlags.truncate != 0 { flags |= O_TRUNC }
        if oflags & OFlags.directory != 0 || resolved.mustBeDirectory { flags |= O_DIRECTORY }
        if fdflags & FDFlags.append != 0 { flags |= O_APPEND }
        if fdflags & FDFlags.nonblock != 0 { flags |= O_NONBLOCK }
        if fdflags & FDFlags.dsync != 0 { flags |= O_DSYNC }
        if fdflags & (FDFlags.sync | FDFlags.rsync) != 0 { flags |= O_SYNC }
        flags |= wantsWrite ? (wantsRead ? O_RDWR : O_WRONLY) : O_RDONLY

        var host = openat(resolved.directory, resolved.name, flags, 0o666)
        if host < 0 && errno == EISDIR && wantsWrite && oflags & OFlags.directory == 0 && oflags & OFlags.create == 0 {
            // Rights that include writing are what libc asks for by default: a directory
            // opened with them is still opened (for reading), as wasmtime does.
            host = openat(resolved.directory, resolved.name, (flags & ~(O_WRONLY | O_RDWR | O_TRUNC | O_APPEND)) | O_RDONLY)
        }
        guard host >= 0 else {
            // O_NOFOLLOW on a link reports ELOOP; with O_DIRECTORY some kernels say ENOTDIR.
            throw Errno.last
        }
        var info = stat()
        guard fstat(host, &info) == 0 else {
            let error = Errno.last
            close(host)
            throw error
        }
        let type = FileType(mode: info.st_mode)
        let kindRights: Rights = type == .directory ? .directory : .regularFile
        let descriptor = Descriptor(.host(host, owned: true), fileType: type,
                                   rights: requested.intersection(kindRights).intersection(directory.inheriting),
                                   inheriting: Rights(rawValue: inheriting).intersection(directory.inheriting),
                                   flags: fdflags & (FDFlags.append | FDFlags.nonblock | FDFlags.dsync | FDFlags.rsync | FDFlags.sync))
        let number = try descriptors.insert(descriptor)
        try memory.store(number, at: result)
    }

    func createDirectory(_ fd: UInt32, _ path: String) throws(Errno) {
        let resolved = try resolve(fd, path, follow: false, rights: .pathCreateDirectory)
        guard mkdirat(resolved.directory, resolved.name, 0o777) == 0 else { throw Errno.last }
    }

    func pathStatus(_ fd: UInt32, lookup: UInt32, _ path: String, _ memory: GuestMemory, result: UInt32) throws(Errno) {
        let resolved = try resolve(fd, path, follow: lookup & 1 != 0, rights: .pathFilestatGet)
        var info = stat()
        guard fstatat(resolved.directory, resolved.name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { throw Errno.last }
        if resolved.mustBeDirectory && info.st_mode & S_IFMT != S_IFDIR { throw .notdir }
        try Self.writeFilestat(info, type: FileType(mode: info.st_mode), memory, at: result)
    }

    func setPathTimes(_ fd: UInt32, lookup: UInt32, _ path: String, _ atime: UInt64, _ mtime: UInt64, _ flags: UInt16) throws(Errno) {
        let specs = try Self.times(atime, mtime, flags)
        let resolved = try resolve(fd, path, follow: lookup & 1 != 0, rights: .pathFilestatSetTimes)
        guard utimensat(resolved.directory, resolved.name, specs, AT_SYMLINK_NOFOLLOW) == 0 else { throw Errno.last }
    }

    func link(_ oldFD: UInt32, lookup: UInt32, _ oldPath: String, _ newFD: UInt32, _ newPath: String) throws(Errno) {
        let source = try resolve(oldFD, oldPath, follow: lookup & 1 != 0, rights: .pathLinkSource)
        let target = try resolve(newFD, newPath, follow: false, rights: .pathLinkTarget)
        // Hard links to directories do not exist, and a trailing slash names one.
        if target.mustBeDirectory { throw .noent }
        if source.mustBeDirectory {
            var info = stat()
            guard fstatat(source.directory, source.name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { throw Errno.last }
            throw info.st_mode & S_IFMT == S_IFDIR ? Errno.perm : Errno.notdir
        }
        guard linkat(source.directory, source.name, target.directory, target.name, 0) == 0 else { throw Errno.last }
    }

    func readLink(_ fd: UInt32, _ path: String, _ memory: GuestMemory, buffer: UInt32, length: UInt32, result: UInt32) throws(Errno) {
        let resolved = try resolve(fd, path, follow: false, rights: .pathReadlink)
        let target = Array(try PathResolver.readLink(resolved.directory, resolved.name).utf8)
        let count = min(target.count, Int(length))
        try memory.write(target[..<count], at: buffer)
        try memory.store(UInt32(count), at: result)
    }

    func removeDirectory(_ fd: UInt32, _ path: String) throws(Errno) {
        let resolved = try resolve(fd, path, follow: false, rights: .pathRemoveDirectory)
        guard unlinkat(resolved.directory, resolved.name, AT_REMOVEDIR) == 0 else { throw Errno.last }
    }

    func rename(_ oldFD: UInt32, _ oldPath: String, _ newFD: UInt32, _ newPath: String) throws(Errno) {
        let source = try resolve(oldFD, oldPath, follow: false, rights: .pathRenameSource)
        let target = try resolve(newFD, newPath, follow: false, rights: .pathRenameTarget)
        if source.mustBeDirectory || target.mustBeDirectory {
            var info = stat()
            guard fstatat(source.directory, source.name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { throw Errno.last }
            if info.st_mode & S_IFMT != S_IFDIR { throw .notdir }
        }
        guard renameat(source.directory, source.name, target.directory, target.name) == 0 else { throw Errno.last }
    }

    func symlink(_ target: String, _ fd: UInt32, _ path: String) throws(Errno) {
        // A link to an absolute path could never be followed inside the sandbox (as wasmtime).
        guard !target.hasPrefix("/") else { throw .perm }
        let resolved = try resolve(fd, path, follow: false, rights: .pathSymlink)
        if resolved.mustBeDirectory {
            // "link/" names a directory that a new link cannot be.
            if try resolved.status() != nil { throw .exist }
            throw .noent
        }
        guard symlinkat(target, resolved.directory, resolved.name) == 0 else { throw Errno.last }
    }

    func unlinkFile(_ fd: UInt32, _ path: String) throws(Errno) {
        let resolved = try resolve(fd, path, follow: false, rights: .pathUnlinkFile)
        if let info = try resolved.status(), info.st_mode & S_IFMT == S_IFDIR { throw .isdir }
        if resolved.mustBeDirectory { throw .notdir }
        guard unlinkat(resolved.directory, resolved.name, 0) == 0 else { throw Errno.last }
    }
}
