import Foundation
import Testing
import Kiln
import KilnWASI

/// Each store has its own WASI state: many run at once, each seeing only its arguments and
/// writing only to its own output.
@Suite struct WASIParallelStoresTests {
    @Test func storesRunInParallel() throws {
        let module = """
            (module
              (import "wasi_snapshot_preview1" "args_get" (func $args (param i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (func (export "_start")
                (local $i i32)
                (drop (call $args (i32.const 0) (i32.const 64)))
                (i32.store (i32.const 16) (i32.load (i32.const 4)))
                (i32.store (i32.const 20) (i32.const 5))
                (loop $again
                  (drop (call $write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br_if $again (i32.lt_u (local.get $i) (i32.const 200))))))
            """
        final class Outputs: @unchecked Sendable {
            let lock = NSLock()
            var texts: [Int: String] = [:]
            var errors: [String] = []
        }
        let outputs = Outputs()
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            do {
                let engine = try Engine(Config(strategy: i % 2 == 0 ? .jit : .interpreter))
                var configuration = WASIConfiguration()
                configuration.arguments = ["p", "run-\(i)"]
                let pipe = WASIPipe()
                configuration.stdout = .pipe(pipe)
                let store = Store(engine, data: try WASIContext(configuration))
                let linker = Linker<WASIContext>(engine)
                try WASIContext.define(in: linker)
                _ = try linker.instantiate(store, try Module(engine, wat: module)).getFunc(store, "_start")!.call(store, [])
                outputs.lock.withLock { outputs.texts[i] = pipe.text }
            } catch {
                outputs.lock.withLock { outputs.errors.append("\(i): \(error)") }
            }
        }
        #expect(outputs.errors.isEmpty, "\(outputs.errors)")
        for i in 0..<8 {
            #expect(outputs.texts[i] == String(repeating: "run-\(i)", count: 200), "store \(i)")
        }
    }
}
