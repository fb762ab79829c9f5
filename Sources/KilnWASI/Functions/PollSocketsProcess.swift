import Foundation

/// `poll_oneoff`, the socket functions, `proc_*` and `sched_yield`.
extension WASIContext {
    private struct Subscription {
        var userdata: UInt64
        var kind: UInt8
        /// Clocks: when it fires (nanoseconds on its clock) and which clock.
        var clock: UInt32 = 0
        var deadline: UInt64 = 0
        var fd: UInt32 = 0
    }

    private struct Event {
        var userdata: UInt64
        var error: Errno?
        var kind: UInt8
        var bytes: UInt64 = 0
        var hangup = false
    }

    func poll(_ memory: GuestMemory, subscriptions input: UInt32, events output: UInt32, count: UInt32, result: UInt32) throws(Errno) {
        guard count > 0 else { throw .inval }
        var subscriptions: [Subscription] = []
        var events: [Event] = []
        for i in 0..<count {
            let at = input &+ 48 &* i
            var subscription = Subscription(userdata: try memory.load(UInt64.self, at: at), kind: try memory.load(UInt8.self, at: at + 8))
            switch subscription.kind {
            case 0:
                subscription.clock = try memory.load(UInt32.self, at: at + 16)
                let timeout = try memory.load(UInt64.self, at: at + 24)
                let absolute = try memory.load(UInt16.self, at: at + 40) & 1 != 0
                do {
                    let now = try Self.now(subscription.clock)
                    subscription.deadline = absolute ? timeout : now &+ min(timeout, UInt64.max - now)
                } catch {
                    events.append(Event(userdata: subscription.userdata, error: error, kind: 0))
                    continue
                }
            case 1, 2:
                subscription.fd = try memory.load(UInt32.self, at: at + 16)
            default:
                throw .inval
            }
            subscriptions.append(subscription)
        }

        // Descriptors that are ready without waiting (files, in-memory streams), or bad ones.
        var waiting: [(index: Int, pollfd: pollfd)] = []
        for (i, subscription) in subscriptions.enumerated() where subscription.kind != 0 {
            guard let file = descriptors[subscription.fd] else {
                events.append(Event(userdata: subscription.userdata, error: .badf, kind: subscription.kind))
                continue
            }
            guard file.rights.contains(.pollFdReadwrite) else {
                events.append(Event(userdata: subscription.userdata, error: .notcapable, kind: subscription.kind))
                continue
            }
            let reading = subscription.kind == 1
            switch file.backing {
            case .pipe(let pipe, _):
                let available = UInt64(pipe.available)
                events.append(Event(userdata: subscription.userdata, kind: subscription.kind, bytes: available, hangup: reading && available == 0))
            case .null:
                events.append(Event(userdata: subscription.userdata, kind: subscription.kind, hangup: reading))
            case .host(let host, _):
                if file.fileType == .regularFile || file.fileType == .directory {
                    var bytes: UInt64 = 0
                    var info = stat()
                    if reading, fstat(host, &info) == 0 {
                        let position = lseek(host, 0, SEEK_CUR)
                        bytes = UInt64(max(0, Int64(info.st_size) - Int64(max(0, position))))
                    }
                    events.append(Event(userdata: subscription.userdata, kind: subscription.kind, bytes: bytes))
                } else {
                    waiting.append((i, pollfd(fd: host, events: Int16(reading ? POLLIN : POLLOUT), revents: 0)))
                }
            }
        }

        let clocks = subscriptions.filter { $0.kind == 0 }
        while events.isEmpty {
            // Wait for a host descriptor or the earliest clock.
            var timeoutMilliseconds: Int32 = -1
            var remaining: UInt64? = nil
            for clock in clocks {
                let now = (try? Self.now(clock.clock)) ?? clock.deadline
                let left = clock.deadline > now ? clock.deadline - now : 0
                remaining = min(remaining ?? left, left)
            }
            if let remaining { timeoutMilliseconds = Int32(clamping: (remaining + 999_999) / 1_000_000) }
            if waiting.isEmpty {
                if let remaining, remaining > 0 {
                    var request = timespec(tv_sec: time_t(remaining / 1_000_000_000), tv_nsec: Int(remaining % 1_000_000_000))
                    var left = timespec()
                    while nanosleep(&request, &left) != 0 && errno == EINTR { request = left }
                }
            } else {
                var fds = waiting.map(\.pollfd)
                let ready = hostPoll(&fds, timeoutMilliseconds)
                if ready < 0 && errno != EINTR { throw Errno.last }
                for (k, entry) in waiting.enumerated() where fds[k].revents != 0 {
                    let subscription = subscriptions[entry.index]
                    let revents = Int32(fds[k].revents)
                    var event = Event(userdata: subscription.userdata, kind: subscription.kind)
                    if revents & POLLNVAL != 0 { event.error = .badf }
                    if revents & POLLHUP != 0 { event.hangup = true }
                    if revents & POLLIN != 0 {
                        var available: Int32 = 0
                        if ioctl(entry.pollfd.fd, UInt(FIONREAD), &available) == 0 { event.bytes = UInt64(max(0, available)) }
                    }
                    events.append(event)
                }
            }
            if events.isEmpty {
                for clock in clocks {
                    let now = (try? Self.now(clock.clock)) ?? clock.deadline
                    if now >= clock.deadline { events.append(Event(userdata: clock.userdata, kind: 0)) }
                }
            }
            if clocks.isEmpty && waiting.isEmpty { break }
        }

        for (i, event) in events.prefix(Int(count)).enumerated() {
            let at = output &+ 32 &* UInt32(i)
            try memory.write([UInt8](repeating: 0, count: 32), at: at)
            try memory.store(event.userdata, at: at)
            try memory.store(event.error?.rawValue ?? 0, at: at + 8)
            try memory.store(event.kind, at: at + 10)
            if event.kind != 0 {
                try memory.store(event.bytes, at: at + 16)
                try memory.store(UInt16(event.hangup ? 1 : 0), at: at + 24)
            }
        }
        try memory.store(UInt32(min(events.count, Int(count))), at: result)
    }

    /// The socket behind `fd`: a socket handed to the program, or one accepted from it.
    func socket(_ fd: UInt32, _ right: Rights) throws(Errno) -> Int32 {
        let file = try descriptors.get(fd)
        guard file.fileType == .socketStream || file.fileType == .socketDatagram, let host = file.hostFD else { throw .notsock }
        try file.require(right)
        return host
    }

    func acceptConnection(_ fd: UInt32, flags: UInt16, _ memory: GuestMemory, result: UInt32) throws(Errno) {
        let listener = try socket(fd, .sockAccept)
        guard flags & ~FDFlags.nonblock == 0 else { throw .inval }
        var connection: Int32
        repeat { connection = accept(listener, nil, nil) } while connection < 0 && errno == EINTR
        guard connection >= 0 else { throw Errno.last }
        _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
        if flags & FDFlags.nonblock != 0 { _ = fcntl(connection, F_SETFL, fcntl(connection, F_GETFL) | O_NONBLOCK) }
        let descriptor = Descriptor(.host(connection, owned: true), fileType: .socketStream, rights: Rights.connectedSocket,
                                    inheriting: [], flags: flags)
        try memory.store(try descriptors.insert(descriptor), at: result)
    }

    func receive(_ fd: UInt32, _ memory: GuestMemory, iovs: UInt32, count: UInt32, flags: UInt16, result: UInt32,
                 resultFlags: UInt32) throws(Errno) {
        let host = try socket(fd, .fdRead)
        guard flags & ~3 == 0 else { throw .inval }
        var hostFlags: Int32 = 0
        if flags & 1 != 0 { hostFlags |= Int32(MSG_PEEK) }
        if flags & 2 != 0 { hostFlags |= Int32(MSG_WAITALL) }
        let buffers = try memory.buffers(iovs, count)
        let received = try Self.vectored(buffers) { iov, n in
            var message = msghdr()
            message.msg_iov = UnsafeMutablePointer(mutating: iov)
            message.msg_iovlen = Int(n)
            return recvmsg(host, &message, hostFlags)
        }
        try memory.store(UInt32(received), at: result)
        try memory.store(UInt16(0), at: resultFlags)
    }

    func send(_ fd: UInt32, _ memory: GuestMemory, iovs: UInt32, count: UInt32, result: UInt32) throws(Errno) {
        let host = try socket(fd, .fdWrite)
        let buffers = try memory.buffers(iovs, count)
        let sent = try Self.vectored(buffers) { iov, n in
            var message = msghdr()
            message.msg_iov = UnsafeMutablePointer(mutating: iov)
            message.msg_iovlen = Int(n)
            return sendmsg(host, &message, Int32(MSG_NOSIGNAL))
        }
        try memory.store(UInt32(sent), at: result)
    }

    func shutdownSocket(_ fd: UInt32, how: UInt8) throws(Errno) {
        let host = try socket(fd, .sockShutdown)
        let hostHow: Int32
        switch how {
        case 1: hostHow = Int32(SHUT_RD)
        case 2: hostHow = Int32(SHUT_WR)
        case 3: hostHow = Int32(SHUT_RDWR)
        default: throw .inval
        }
        guard shutdown(host, hostHow) == 0 else { throw Errno.last }
    }
}

/// The host's `poll` (a free function: inside `WASIContext`, `poll` names WASI's).
private func hostPoll(_ fds: inout [pollfd], _ timeoutMilliseconds: Int32) -> Int32 {
    poll(&fds, nfds_t(fds.count), timeoutMilliseconds)
}
