// Kiln side of KernelRunner. Kept in its own file, importing only Kiln, because Kiln
// and WasmKit both declare Engine, Module, Store and Instance: with one import per
// file the unqualified names stay unambiguous.

import Kiln

struct KilnBackend: Backend {
    let engine: Engine

    let fuel: Bool

    /// `fuel`: meter execution (Config.consumeFuel) with more fuel than any kernel needs.
    init(strategy: Config.Strategy, fuel: Bool = false) throws {
        var config = Config(strategy: strategy)
        config.consumeFuel = fuel
        engine = try Engine(config)
        self.fuel = fuel
    }

    func compile(_ bytes: [UInt8]) throws {
        // Decoding, validation and translation all happen in Module.init.
        _ = try Module(engine, bytes: bytes)
    }

    func instantiate(_ bytes: [UInt8]) throws -> KernelEntry {
        let module = try Module(engine, bytes: bytes)
        let store = Store(engine, data: ())
        if fuel { try store.addFuel(1 << 62) }
        let instance = try Linker<Void>(engine).instantiate(store, module)
        // The typed view checks the signature once here, so the timed calls pay
        // neither for type checks nor for [Val] arrays.
        let run = try instance.getTypedFunc(store, "run", (Int32).self, Int64.self)
        return { n in try run.call(store, n) }
    }
}
