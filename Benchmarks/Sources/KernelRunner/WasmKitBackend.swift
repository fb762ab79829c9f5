// WasmKit side of KernelRunner, in its own file for the same reason as KilnBackend:
// this file imports only WasmKit, so Engine, Module and Store mean WasmKit's.

import WasmKit

struct WasmKitBackend: Backend {
    let engine: Engine

    init() {
        // WasmKit translates functions lazily, on their first call, by default. Eager
        // mode moves that work into instantiation, so it is counted in compile_ms like
        // Kiln's and wasmtime's, and the first timed call is not penalised.
        engine = Engine(configuration: EngineConfiguration(compilationMode: .eager))
    }

    func compile(_ bytes: [UInt8]) throws {
        // WasmKit has no separate compile step: validation and translation run when
        // the module is instantiated, so compiling means parsing plus instantiating.
        _ = try instantiate(bytes)
    }

    func instantiate(_ bytes: [UInt8]) throws -> KernelEntry {
        let module = try parseWasm(bytes: bytes)
        let store = Store(engine: engine)
        let instance = try module.instantiate(store: store)
        guard let run = instance.exports[function: "run"] else {
            throw RunnerError("the module exports no function named \"run\"")
        }
        return { n in
            let results = try run([.i32(UInt32(bitPattern: n))])
            guard results.count == 1, case .i64(let value) = results[0] else {
                throw RunnerError("run returned \(results), expected one i64")
            }
            return Int64(bitPattern: value)
        }
    }
}
