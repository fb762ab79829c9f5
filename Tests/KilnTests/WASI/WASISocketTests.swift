import Foundation
import Testing
import Kiln
import KilnWASI

/// Sockets handed to a program (as `wasmtime run --tcplisten`): it accepts a connection,
/// reads until the peer stops sending, and answers in upper case.
@Suite struct WASISocketTests {
    static let server = """
        (module
          (import "wasi_snapshot_preview1" "sock_accept" (func $accept (param i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "sock_recv" (func $recv (param i32 i32 i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "sock_send" (func $send (param i32 i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "sock_shutdown" (func $shutdown (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_close" (func $close (param i32) (result i32)))
          (memory (export "memory") 1)
          ;; 0: the connection; 16: an iovec; 32: bytes received or sent; 36: flags; 256: the data
          (func (export "serve") (result i32)
            (local $fd i32) (local $total i32) (local $i i32) (local $c i32) (local $error i32)
            (local.set $error (call $accept (i32.const 3) (i32.const 0) (i32.const 0)))
            (if (local.get $error) (then (return (i32.sub (i32.const 0) (local.get $error)))))
            (local.set $fd (i32.load (i32.const 0)))
            (block $done
              (loop $more
                (i32.store (i32.const 16) (i32.add (i32.const 256) (local.get $total)))
                (i32.store (i32.const 20) (i32.const 1024))
                (local.set $error (call $recv (local.get $fd) (i32.const 16) (i32.const 1) (i32.const 0) (i32.const 32) (i32.const 36)))
                (if (local.get $error) (then (return (i32.sub (i32.const -100) (local.get $error)))))
                (br_if $done (i32.eqz (i32.load (i32.const 32))))
                (local.set $total (i32.add (local.get $total) (i32.load (i32.const 32))))
                (br $more)))
            (loop $upper
              (if (i32.lt_u (local.get $i) (local.get $total))
                (then
                  (local.set $c (i32.load8_u (i32.add (i32.const 256) (local.get $i))))
                  (if (i32.and (i32.ge_u (local.get $c) (i32.const 97)) (i32.le_u (local.get $c) (i32.const 122)))
                    (then (i32.store8 (i32.add (i32.const 256) (local.get $i)) (i32.sub (local.get $c) (i32.const 32)))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br $upper))))
            (i32.store (i32.const 16) (i32.const 256))
            (i32.store (i32.const 20) (local.get $total))
            (local.set $error (call $send (local.get $fd) (i32.const 16) (i32.const 1) (i32.const 0) (i32.const 32)))
            (if (local.get $error) (then (return (i32.sub (i32.const -200) (local.get $error)))))
            (drop (call $shutdown (local.get $fd) (i32.const 3)))
            (drop (call $close (local.get $fd)))
            (local.get $total))
          ;; Socket calls on what is not a socket: stdout, then a descriptor that is not open.
          (func (export "misuse") (result i32)
            (i32.add (i32.mul (call $accept (i32.const 1) (i32.const 0) (i32.const 0)) (i32.const 1000))
                     (call $shutdown (i32.const 77) (i32.const 3)))))
        """

    @Test(arguments: [Config.Strategy.interpreter, .jit])
    func acceptsAConnectionAndAnswers(_ strategy: Config.Strategy) throws {
        let (listener, port) = try WASIConfiguration.listen(host: "127.0.0.1", port: 0)
        var configuration = WASIConfiguration()
        configuration.listeningSockets = [listener]
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine, data: try WASIContext(configuration))
        let linker = Linker<WASIContext>(engine)
        try WASIContext.define(in: linker)
        let instance = try linker.instantiate(store, try Module(engine, wat: Self.server))

        final class Reply: @unchecked Sendable { var bytes: [UInt8] = []; var error: String? }
        let reply = Reply()
        let client = Thread {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { reply.error = "connect: \(errno)"; close(fd); return }
            let message = Array("hello, wasi sockets".utf8)
            _ = message.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            shutdown(fd, Int32(SHUT_WR))
            var buffer = [UInt8](repeating: 0, count: 256)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                reply.bytes += buffer[..<n]
            }
            close(fd)
        }
        client.start()
        let served = try instance.getFunc(store, "serve")!.call(store, []).first?.i32
        while !client.isFinished { usleep(1000) }
        #expect(reply.error == nil)
        #expect(served == 19)
        #expect(String(decoding: reply.bytes, as: UTF8.self) == "HELLO, WASI SOCKETS")
        // notsock (57) from stdout, badf (8) from a closed descriptor.
        #expect(try instance.getFunc(store, "misuse")!.call(store, []).first?.i32 == 57 * 1000 + 8)
    }
}
