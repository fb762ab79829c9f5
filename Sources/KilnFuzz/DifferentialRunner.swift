import Foundation
import Kiln

/// Runs a module under the JIT and under the interpreter and compares everything wasm can
/// observe: each export's results (NaNs made canonical: their bits may differ), traps by
/// kind, the memory and the globals after every call, what host imports received, and the
/// fuel consumed.
public enum DifferentialRunner {
    /// Fuel each call gets: enough for real work, and an end for infinite loops.
    public static let fuelPerCall: UInt64 = 200_000

    public struct Report: Sendable {
        /// The engines agreed (or the run was inconclusive, see `note`).
        public var agreed: Bool
        /// What differed, or why nothing was compared.
        public var detail: String
        public var calls: Int
    }

    /// What one engine observed.
    struct Observation: Equatable {
        var instantiation: String
        var calls: [String] = []
    }

    /// Summary lines of what one engine saw, for inspecting what the generator makes.
    public static func describe(_ bytes: [UInt8], argumentSeed: UInt64) -> [String] {
        let observation = observe(bytes, .interpreter, argumentSeed: argumentSeed)
        return [observation.instantiation] + observation.calls
    }

    public static func run(_ bytes: [UInt8], argumentSeed: UInt64) -> Report {
        let jit = observe(bytes, .jit, argumentSeed: argumentSeed)
        let interpreted = observe(bytes, .interpreter, argumentSeed: argumentSeed)
        // Call-stack exhaustion happens at different depths under the two engines (native
        // frames against interpreter slots): what follows it is not comparable.
        let exhausted = "trap: call stack exhausted"
        if let i = jit.calls.firstIndex(where: { $0.contains(exhausted) }) ?? interpreted.calls.firstIndex(where: { $0.contains(exhausted) }) {
            let same = jit.instantiation == interpreted.instantiation && Array(jit.calls.prefix(i)) == Array(interpreted.calls.prefix(i))
            return Report(agreed: same, detail: same ? "inconclusive after call \(i): call stack exhausted" : difference(jit, interpreted),
                          calls: i)
        }
        if jit == interpreted {
            return Report(agreed: true, detail: "", calls: jit.calls.count)
        }
        return Report(agreed: false, detail: difference(jit, interpreted), calls: jit.calls.count)
    }

    private static func difference(_ jit: Observation, _ interpreted: Observation) -> String {
        if jit.instantiation != interpreted.instantiation {
            return "instantiation: jit \(jit.instantiation) | interpreter \(interpreted.instantiation)"
        }
        for (i, (a, b)) in zip(jit.calls, interpreted.calls).enumerated() where a != b {
            return "call \(i):\n  jit:         \(a)\n  interpreter: \(b)"
        }
        return "call counts differ: \(jit.calls.count) vs \(interpreted.calls.count)"
    }

    final class HostLog: @unchecked Sendable {
        var entries: [String] = []
    }

    static func observe(_ bytes: [UInt8], _ strategy: Config.Strategy, argumentSeed: UInt64) -> Observation {
        var config = Config(strategy: strategy)
        config.consumeFuel = true
        config.maxWasmStack = 256 * 1024
        let engine: Engine
        let module: Module
        do {
            engine = try Engine(config)
            module = try Module(engine, bytes: bytes)
        } catch {
            return Observation(instantiation: "invalid: \(error)")
        }
        let store = Store(engine, data: HostLog())
        let linker = Linker<HostLog>(engine)
        var imports: [Extern] = []
        for entry in module.imports {
            switch entry.type {
            case .func(let type):
                let name = "\(entry.module).\(entry.name)"
                imports.append(.func(Func(store, type: type) { caller, params, results in
                    caller.data.entries.append("\(name)(\(params.map(canonical).joined(separator: ", ")))")
                    if name == "host.mix", case .i64(let a)? = params.first, case .f64(let b)? = params.last {
                        results[0] = .i64(a &* 31 &+ Int64(bitPattern: b.bitPattern))
                    } else {
                        for (i, t) in type.results.enumerated() { results[i] = zero(t) }
                    }
                }))
            case .memory(let type):
                guard let memory = try? Memory(store, type: type) else { return Observation(instantiation: "import failed") }
                imports.append(.memory(memory))
            case .table(let type):
                guard let table = try? Table(store, type: type, initial: type.elementType == .funcRef ? .funcRef(nil) : .externRef(nil))
                else { return Observation(instantiation: "import failed") }
                imports.append(.table(table))
            case .global(let type):
                guard let global = try? Global(store, type: type, value: zero(type.valueType))
                else { return Observation(instantiation: "import failed") }
                imports.append(.global(global))
            }
        }
        _ = linker
        try? store.addFuel(fuelPerCall)
        let instance: Instance
        do {
            instance = try Instance(store, module, imports: imports)
        } catch {
            return Observation(instantiation: "failed: \(describe(error)) fuel \(store.fuelConsumed ?? 0)")
        }
        var observation = Observation(instantiation: "ok fuel \(store.fuelConsumed ?? 0)")
        var random = FuzzRandom(seed: argumentSeed)
        let functions = instance.exports(store).compactMap { name, value -> (String, Func)? in
            if case .func(let f) = value { return (name, f) } else { return nil }
        }.sorted { $0.0 < $1.0 }
        for (name, function) in functions {
            let type = function.type(store)
            if type.params.contains(where: { $0 == .v128 || $0 == .funcRef || $0 == .externRef }) { continue }
            for _ in 0..<2 {
                let arguments = type.params.map { argument($0, &random) }
                let before = store.fuelConsumed ?? 0
                try? store.addFuel(fuelPerCall)
                store.data.entries.removeAll()
                var line = "\(name)(\(arguments.map(canonical).joined(separator: ", "))) -> "
                do {
                    let results = try function.call(store, arguments)
                    line += results.map(canonical).joined(separator: ", ")
                } catch {
                    line += describe(error)
                }
                line += " | fuel \((store.fuelConsumed ?? 0) - before)"
                let entries = store.data.entries
                line += " | host \(entries.prefix(16).joined(separator: " "))"
                if entries.count > 16 {
                    // Hash the rest: still compared, without the length.
                    line += " ... (\(entries.count) calls, \(stableHash(entries.dropFirst(16))))"
                }
                line += " | state \(state(instance, store))"
                observation.calls.append(line)
            }
        }
        return observation
    }

    /// A hash that is the same in every process (Swift's `Hasher` is seeded per process).
    static func stableHash(_ strings: some Sequence<String>) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for string in strings {
            for byte in string.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            hash = (hash ^ 0xFF) &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    static func describe(_ error: any Error) -> String {
        if let trap = error as? Trap { return "trap: \(trap.code?.rawValue ?? trap.message)" }
        return "error: \(error)"
    }

    /// Memory (hashed) and globals after a call.
    static func state(_ instance: Instance, _ store: Store<HostLog>) -> String {
        var parts: [String] = []
        for (name, value) in instance.exports(store).sorted(by: { $0.0 < $1.0 }) {
            switch value {
            case .memory(let memory):
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                _ = try? memory.withUnsafeMutableBytes(store) { bytes in
                    for byte in bytes {
                        hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
                    }
                }
                parts.append("\(name)=\(memory.size(store))p#\(String(hash, radix: 16))")
            case .global(let global):
                parts.append("\(name)=\(canonical(global.get(store)))")
            default: break
            }
        }
        return parts.joined(separator: " ")
    }

    static func canonical(_ value: Val) -> String {
        switch value {
        case .i32(let v): return "\(v)"
        case .i64(let v): return "\(v)L"
        case .f32(let v): return v.isNaN ? "nan:f32" : "f32:\(String(v.bitPattern, radix: 16))"
        case .f64(let v): return v.isNaN ? "nan:f64" : "f64:\(String(v.bitPattern, radix: 16))"
        case .v128(let v): return "v128:\(v)"
        case .funcRef(let f): return f == nil ? "null" : "func"
        case .externRef(let r): return r == nil ? "null" : "extern"
        }
    }

    static func zero(_ type: ValType) -> Val {
        switch type {
        case .i32: .i32(0)
        case .i64: .i64(0)
        case .f32: .f32(0)
        case .f64: .f64(0)
        case .v128: .v128(V128(lo: 0, hi: 0))
        case .funcRef: .funcRef(nil)
        case .externRef: .externRef(nil)
        }
    }

    static func argument(_ type: ValType, _ random: inout FuzzRandom) -> Val {
        switch type {
        case .i32: .i32(random.interesting32())
        case .i64: .i64(random.interesting64())
        case .f32: .f32(random.interestingF32())
        case .f64: .f64(random.interestingF64())
        default: zero(type)
        }
    }
}
