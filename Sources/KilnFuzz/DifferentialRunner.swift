import Foundation
@_spi(Testing) import Kiln

/// Runs a module under the JIT and under the interpreter and compares everything wasm can
/// observe: each export's results (NaNs made canonical: their bits may differ), traps by
/// kind, uncaught wasm exceptions (by tag and values), the memories, globals and tables
/// after every call, what host imports received, the fuel consumed, and the reference
/// counts of the externrefs the host handed out. A count left over once the store is gone
/// is a leak, a failure even when both engines agree. Function references are named by the
/// export they are (`func:f3`), exceptions by their tag's export (`tag1`, or `host.tag`) and
/// their values.
public enum DifferentialRunner {
    /// Fuel each call gets: enough for real work, and an end for infinite loops.
    public static let fuelPerCall: UInt64 = 200_000

    public struct Report: Sendable {
        /// The engines agreed (or the run was inconclusive, see `note`).
        public var agreed: Bool
        /// What differed, or why nothing was compared.
        public var detail: String
        public var calls: Int

        public init(agreed: Bool, detail: String, calls: Int) {
            self.agreed = agreed
            self.detail = detail
            self.calls = calls
        }
    }

    /// What one engine observed.
    struct Observation: Equatable {
        var instantiation: String
        var calls: [String] = []
        /// Externref counts left after the store was dropped (never compared: any is a bug).
        var leaks: String? = nil

        /// The observation with the fuel counts blanked, to compare with a run without fuel.
        func withoutFuel() -> Observation {
            let blank = { (line: String) in line.replacing(/fuel \d+/, with: "fuel -") }
            return Observation(instantiation: blank(instantiation), calls: calls.map(blank), leaks: leaks)
        }
    }

    /// Summary lines of what one engine saw, for inspecting what the generator makes.
    public static func describe(_ bytes: [UInt8], argumentSeed: UInt64) -> [String] {
        let observation = observe(bytes, .interpreter, boundsChecks: boundsChecks(argumentSeed),
                                  relaxedSIMDDeterministic: relaxedSIMDDeterministic(argumentSeed), argumentSeed: argumentSeed)
        return [observation.instantiation] + observation.calls
    }

    /// One module in four runs with explicit bounds checks (both engines), the others with
    /// guard pages: the JIT emits different code for every memory access under each.
    public static func boundsChecks(_ argumentSeed: UInt64) -> Config.BoundsChecks {
        argumentSeed & 3 == 3 ? .explicit : .guardPages
    }

    /// Half the modules (bit 2 of the seed, independent of the bounds checks' bits) run with
    /// `Config.relaxedSIMDDeterministic` (both engines), the others with the host ISA's
    /// relaxed SIMD results, which the interpreter computes too.
    public static func relaxedSIMDDeterministic(_ argumentSeed: UInt64) -> Bool {
        argumentSeed & 4 != 0
    }

    /// One module in four (seed bits 3 and 4, independent of the other choices) runs with the JIT held
    /// to the x86-64 baseline (SSE4.1, no VEX), the others with the host's features, so both
    /// SIMD code paths are fuzzed on an AVX machine.
    public static func cpuFeatures(_ argumentSeed: UInt64) -> CPUFeatures? {
        #if arch(x86_64)
            return (argumentSeed >> 3) & 3 == 1 ? .x86Baseline : nil
        #else
            return nil
        #endif
    }

    /// Half the modules (seed bit 5) are compiled by the JIT a function per run, on all
    /// cores, and checked against a compile in one run (a difference is a compile error, so
    /// the engines disagree): the linking of separately compiled functions is fuzzed.
    public static func compilesInBatches(_ argumentSeed: UInt64) -> Bool {
        (argumentSeed >> 5) & 1 == 1
    }

    /// Half the modules (seed bit 6) are instantiated twice in one store, the second
    /// instance sharing the first one's imports, and its exports are called and passed as
    /// function references too: wasm calls wasm of another instance (through `call_ref`,
    /// and through function tables whose entries are swapped between the two), whose
    /// VMContext and memory base differ from the caller's.
    /// The JIT then runs them without fuel when the interpreter, metering fuel, finished
    /// every call within it: fuel checks read the VMContext, so only code compiled without
    /// them has lean frames (`LeanFrames.swift`), and only these runs fuzz them.
    public static func runsTwoInstancesWithoutFuel(_ argumentSeed: UInt64) -> Bool {
        (argumentSeed >> 6) & 1 == 1
    }

    /// How long a JIT run without fuel may take before the fuzzer calls it a hang (the
    /// interpreter finished the same calls within their fuel).
    static let unmeteredRunLimit: Double = 120

    public static func run(_ bytes: [UInt8], argumentSeed: UInt64) -> Report {
        let bounds = boundsChecks(argumentSeed)
        let deterministic = relaxedSIMDDeterministic(argumentSeed)
        let twoInstances = runsTwoInstancesWithoutFuel(argumentSeed)
        var interpreted = observe(bytes, .interpreter, boundsChecks: bounds, relaxedSIMDDeterministic: deterministic,
                                  argumentSeed: argumentSeed, twoInstances: twoInstances)
        let fuelRanOut = ([interpreted.instantiation] + interpreted.calls).contains { $0.contains(TrapCode.outOfFuel.rawValue) }
        let meterFuel = !twoInstances || fuelRanOut
        let watchdog = DispatchWorkItem {
            FileHandle.standardError.write(Data(("kiln fuzz: seed \(argumentSeed): the JIT without fuel ran for "
                + "\(Int(unmeteredRunLimit)) s where the interpreter finished within its fuel (a hang)\n").utf8))
            exit(1)
        }
        if !meterFuel {
            DispatchQueue.global().asyncAfter(deadline: .now() + unmeteredRunLimit, execute: watchdog)
            interpreted = interpreted.withoutFuel()
        }
        var report = compare(
            observe(bytes, .jit, boundsChecks: bounds, relaxedSIMDDeterministic: deterministic, argumentSeed: argumentSeed,
                    cpuFeatures: cpuFeatures(argumentSeed), twoInstances: twoInstances, meterFuel: meterFuel),
            interpreted)
        watchdog.cancel()
        if !report.agreed && twoInstances { report.detail = "(two instances\(meterFuel ? "" : ", JIT without fuel")) " + report.detail }
        if !report.agreed && deterministic { report.detail = "(deterministic relaxed SIMD) " + report.detail }
        if !report.agreed && bounds == .explicit { report.detail = "(explicit bounds checks) " + report.detail }
        if !report.agreed, let forced = cpuFeatures(argumentSeed) { report.detail = "(CPU features \(forced)) " + report.detail }
        return report
    }

    private static func compare(_ jit: Observation, _ interpreted: Observation) -> Report {
        if let leaks = jit.leaks ?? interpreted.leaks {
            return Report(agreed: false, detail: "externref counts leaked (\(jit.leaks == nil ? "interpreter" : "jit")): \(leaks)",
                          calls: jit.calls.count)
        }
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
        /// The imported `host.tag` that `host.throw` throws with (cleared with the store).
        var hostTag: Tag?
        /// The exported functions' names, sorted: `host.call(i)` calls number i mod count.
        var functionNames: [String] = []
        /// How deep `host.call`s nest now: past 3, it calls nothing (native frames of both
        /// engines pile up under nested host calls; the depth keeps them few).
        var callDepth = 0
        /// The externrefs `host.ext(n)` returns, made on first use: their payload is `n`.
        var refs: [ExternRef?] = Array(repeating: nil, count: 8)

        func ref(_ id: Int32) -> ExternRef? {
            guard id >= 0 else { return nil }
            let slot = Int(id % 8)
            if let ref = refs[slot] { return ref }
            let ref = ExternRef(Int32(slot))
            refs[slot] = ref
            return ref
        }
    }

    static func observe(_ bytes: [UInt8], _ strategy: Config.Strategy, boundsChecks: Config.BoundsChecks,
                        relaxedSIMDDeterministic: Bool, argumentSeed: UInt64, cpuFeatures: CPUFeatures? = nil,
                        twoInstances: Bool = false, meterFuel: Bool = true) -> Observation {
        let log = HostLog()
        var observation = observe(bytes, strategy, boundsChecks: boundsChecks, relaxedSIMDDeterministic: relaxedSIMDDeterministic,
                                  argumentSeed: argumentSeed, cpuFeatures: cpuFeatures, twoInstances: twoInstances,
                                  meterFuel: meterFuel, log: log)
        log.hostTag = nil
        // The store is gone: only the log's handles may still count.
        let leaks = log.refs.enumerated().compactMap { slot, ref in
            ref.flatMap { $0.strongCount == 1 ? nil : "ext#\(slot) count \($0.strongCount)" }
        }
        if !leaks.isEmpty { observation.leaks = leaks.joined(separator: ", ") }
        return observation
    }

    private static func observe(_ bytes: [UInt8], _ strategy: Config.Strategy, boundsChecks: Config.BoundsChecks,
                                relaxedSIMDDeterministic: Bool, argumentSeed: UInt64, cpuFeatures: CPUFeatures?,
                                twoInstances: Bool, meterFuel: Bool, log: HostLog) -> Observation {
        var config = Config(strategy: strategy)
        config.boundsChecks = boundsChecks
        config.relaxedSIMDDeterministic = relaxedSIMDDeterministic
        config.cpuFeatures = cpuFeatures
        if strategy == .jit && compilesInBatches(argumentSeed) {
            config.compilationBatchBytes = 1
            config.verifyCompilationSchedule = true
        }
        config.consumeFuel = meterFuel
        config.maxWasmStack = 256 * 1024
        let engine: Engine
        let module: Module
        do {
            engine = try Engine(config)
            module = try Module(engine, bytes: bytes)
        } catch {
            return Observation(instantiation: "invalid: \(error)")
        }
        let store = Store(engine, data: log)
        let linker = Linker<HostLog>(engine)
        var imports: [Extern] = []
        for entry in module.imports {
            switch entry.type {
            case .func(let type):
                let name = "\(entry.module).\(entry.name)"
                // The generator's imports behave as documented there; others return zeros.
                let known = ModuleGenerator.hostImports.contains { $0.0 == entry.module && $0.1 == entry.name && FuncType(params: $0.2, results: $0.3) == type }
                let behaviour = known ? name : "other"
                imports.append(.func(Func(store, type: type) { caller, params, results in
                    caller.data.entries.append("\(name)(\(params.map { canonical($0) }.joined(separator: ", ")))")
                    switch (behaviour, params.first) {
                    case ("host.mix", .i64(let a)?):
                        if case .f64(let b)? = params.last { results[0] = .i64(a &* 31 &+ Int64(bitPattern: b.bitPattern)) }
                    case ("host.ext", .i32(let id)?):
                        results[0] = .externRef(caller.data.ref(id))
                    case ("host.ext_id", .externRef(let ref)?):
                        results[0] = .i32(ref.map { $0.data as? Int32 ?? -2 } ?? -1)
                    case ("host.log", .i32(let value)?) where value & 15 == 3:
                        // A collection while wasm frames hold references: they must stay rooted.
                        caller.gc()
                    case ("host.call", .i32(let index)?):
                        results[0] = .i32(try hostCall(caller, index))
                    case ("host.throw", .i32(let value)?) where value & 3 != 3:
                        if let tag = caller.data.hostTag, tag.type(caller) == ModuleGenerator.hostTagType {
                            throw WasmException(try Exception(caller, tag: tag, values: [.i32(value), .externRef(caller.data.ref(value))]))
                        }
                    default:
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
            case .tag(let type):
                guard let tag = try? Tag(store, type: type) else { return Observation(instantiation: "import failed") }
                if entry.module == "host" && entry.name == "tag" { log.hostTag = tag }
                imports.append(.tag(tag))
            }
        }
        _ = linker
        try? store.addFuel(fuelPerCall)
        let instance: Instance
        do {
            instance = try Instance(store, module, imports: imports)
        } catch {
            return Observation(instantiation: "failed: \(describe(error)) fuel \(fuel(store))")
        }
        var observation = Observation(instantiation: "ok fuel \(fuel(store))")
        var random = FuzzRandom(seed: argumentSeed)
        var exports = instance.exports(store)
        log.functionNames = exports.compactMap { name, value in
            if case .func = value { return name } else { return nil }
        }.sorted()
        var second: Instance?
        if twoInstances {
            // The second instance shares the imports. Half the entries of each function table
            // are swapped with the other instance's, so that `call_indirect` calls wasm of the
            // other instance directly (no host in between): its callee must set up its own
            // VMContext and memory base and give the caller's back. The second instance's
            // exports run first (their names sort first), so by the time the first one's
            // calls cross over, the two instances' globals and memories differ.
            do {
                let other = try Instance(store, module, imports: imports)
                second = other
                observation.instantiation += ", second ok fuel \(fuel(store))"
                exports += other.exports(store).map { ("b.\($0.0)", $0.1) }
                var swaps = FuzzRandom(seed: argumentSeed ^ 0x5EC0_4D)
                for case let (name, .table(table)) in instance.exports(store) {
                    guard let twin = other.getTable(store, name) else { continue }
                    for index in 0..<min(table.size(store), twin.size(store), 64) where swaps.chance(50) {
                        guard case .funcRef(let mine)? = table.get(store, index),
                              case .funcRef(let theirs)? = twin.get(store, index) else { continue }
                        try? table.set(store, index, .funcRef(theirs))
                        try? twin.set(store, index, .funcRef(mine))
                    }
                }
            } catch {
                observation.instantiation += ", second failed: \(describe(error)) fuel \(fuel(store))"
            }
        }
        let naming = Naming(exports: exports, hostTag: log.hostTag, context: store)
        let functions = naming.functions
        for (name, function) in functions {
            let type = function.type(store)
            if type.params.contains(where: { $0 == .funcRef }) { continue }
            for _ in 0..<2 {
                let arguments = type.params.map { argument($0, &random, log, functions) }
                let before = store.fuelConsumed
                try? store.addFuel(fuelPerCall)
                store.data.entries.removeAll()
                var line = "\(name)(\(arguments.map { canonical($0, naming) }.joined(separator: ", "))) -> "
                do {
                    let results = try function.call(store, arguments)
                    line += results.map { canonical($0, naming) }.joined(separator: ", ")
                } catch let thrown as WasmException {
                    line += "exception " + naming.describe(thrown.exception)
                } catch {
                    line += describe(error)
                }
                line += " | fuel \(store.fuelConsumed.map { String($0 - (before ?? 0)) } ?? "-")"
                let entries = store.data.entries
                line += " | host \(entries.prefix(16).joined(separator: " "))"
                if entries.count > 16 {
                    // Hash the rest: still compared, without the length.
                    line += " ... (\(entries.count) calls, \(stableHash(entries.dropFirst(16))))"
                }
                line += " | state \(state(instance, store, naming))"
                if let second { line += " | second \(state(second, store, naming))" }
                observation.calls.append(line)
            }
        }
        store.gc()
        observation.calls.append("after collection: " + log.refs.enumerated().compactMap { slot, ref in
            ref.map { "ext#\(slot)=\($0.strongCount)" }
        }.joined(separator: " "))
        return observation
    }

    /// The fuel consumed so far; "-" when the store meters none (compared with a blanked count).
    static func fuel(_ store: Store<HostLog>) -> String {
        store.fuelConsumed.map { String($0) } ?? "-"
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

    /// `host.call(index)`: calls export number `index` mod count (by sorted name) with
    /// arguments made from `index`, logs what it returned, threw or trapped with, and
    /// returns a hash of its results. Exceptions and traps pass through to the caller.
    static func hostCall(_ caller: Caller<HostLog>, _ index: Int32) throws -> Int32 {
        let log = caller.data
        let names = log.functionNames
        guard log.callDepth < 3, !names.isEmpty else {
            log.entries.append("  (not called)")
            return -1
        }
        let name = names[Int(UInt32(bitPattern: index) % UInt32(names.count))]
        guard case .func(let callee)? = caller.getExport(name) else { return -1 }
        let naming = Naming(exports: names.compactMap { name in caller.getExport(name).map { (name, $0) } },
                            hostTag: log.hostTag, context: caller)
        var random = FuzzRandom(seed: UInt64(UInt32(bitPattern: index)))
        let arguments = callee.type(caller).params.map { argument($0, &random, log, naming.functions) }
        let call = "  \(name)(\(arguments.map { canonical($0, naming) }.joined(separator: ", ")))"
        log.callDepth += 1
        defer { log.callDepth -= 1 }
        do {
            let results = try callee.call(caller, arguments).map { canonical($0, naming) }
            log.entries.append("\(call) = \(results.joined(separator: ", "))")
            return Int32(truncatingIfNeeded: FuzzRandom.hash(Array(results.joined(separator: ",").utf8)))
        } catch let thrown as WasmException {
            log.entries.append("\(call) threw \(naming.describe(thrown.exception))")
            throw thrown
        } catch {
            log.entries.append("\(call) failed: \(describe(error))")
            throw error
        }
    }

    /// Memory (hashed) and globals after a call.
    static func state(_ instance: Instance, _ store: Store<HostLog>, _ naming: Naming? = nil) -> String {
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
                parts.append("\(name)=\(canonical(global.get(store), naming))")
            case .table(let table):
                let size = table.size(store)
                let elements = (0..<min(size, 16)).map { table.get(store, $0).map { canonical($0, naming) } ?? "?" }
                parts.append("\(name)=\(size)[\(elements.joined(separator: ","))]")
            default: break
            }
        }
        return parts.joined(separator: " ")
    }

    static func canonical(_ value: Val) -> String { canonical(value, nil) }

    /// A value as observations show it; with `naming`, references say which function or
    /// exception they are.
    static func canonical(_ value: Val, _ naming: Naming?) -> String {
        switch value {
        case .funcRef(let f?) where naming != nil: return "func:\(naming!.name(f))"
        case .exnRef(let e?) where naming != nil: return "exn(\(naming!.describe(e)))"
        case .i32(let v): return "\(v)"
        case .i64(let v): return "\(v)L"
        case .f32(let v): return v.isNaN ? "nan:f32" : "f32:\(String(v.bitPattern, radix: 16))"
        case .f64(let v): return v.isNaN ? "nan:f64" : "f64:\(String(v.bitPattern, radix: 16))"
        case .v128(let v): return "v128:\(v)"
        case .funcRef(let f): return f == nil ? "null" : "func"
        case .externRef(let r): return r.map { "ext#\($0.data as? Int32 ?? -2)" } ?? "null"
        case .exnRef(let e): return e == nil ? "null" : "exn"
        }
    }

    static func zero(_ type: ValType) -> Val {
        switch type {
        case .i32: .i32(0)
        case .i64: .i64(0)
        case .f32: .f32(0)
        case .f64: .f64(0)
        case .v128: .v128(V128(lo: 0, hi: 0))
        case .ref: Val.zero(type)
        }
    }

    /// An argument of `type`: typed function references are exported functions of their
    /// type (or null, when allowed), exnrefs null.
    static func argument(_ type: ValType, _ random: inout FuzzRandom, _ log: HostLog,
                         _ functions: [(String, Func)] = []) -> Val {
        switch type {
        case .externRef: return .externRef(log.ref(Int32(random.int(-2...7))))
        case .i32: return .i32(random.interesting32())
        case .i64: return .i64(random.interesting64())
        case .f32: return .f32(random.interestingF32())
        case .f64: return .f64(random.interestingF64())
        case .v128: return .v128(V128(lo: UInt64(bitPattern: random.interesting64()), hi: UInt64(bitPattern: random.interesting64())))
        case .ref(let reference) where reference.heapType.top == .func:
            let fitting = functions.filter { Val.funcRef($0.1).matches(type) }
            if fitting.isEmpty || (reference.nullable && random.chance(25)) { return .funcRef(nil) }
            return .funcRef(random.pick(fitting).1)
        default: return zero(type)
        }
    }

    /// Names of references, from the instance's exports (the same under both engines).
    struct Naming {
        var functions: [(String, Func)] = []
        var tags: [(String, Tag)] = []
        let tagOf: (Exception) -> Tag
        let valuesOf: (Exception) -> [Val]

        /// `context` is captured: a naming lives no longer than the call it serves.
        init(exports: [(String, Extern)], hostTag: Tag?, context: some AsContext) {
            for (name, value) in exports.sorted(by: { $0.0 < $1.0 }) {
                switch value {
                case .func(let f): functions.append((name, f))
                case .tag(let t): tags.append((name, t))
                default: break
                }
            }
            if let hostTag { tags.append(("host.tag", hostTag)) }
            tagOf = { $0.tag(context) }
            valuesOf = { $0.values(context) }
        }

        func name(_ function: Func) -> String {
            functions.first { $0.1.ptrEq(function) }?.0 ?? "?"
        }

        /// "tag (values)": the tag by its export name.
        func describe(_ exception: Exception) -> String {
            let tag = tagOf(exception)
            let name = tags.first { $0.1.ptrEq(tag) }?.0 ?? "?"
            return "\(name) (\(valuesOf(exception).map { canonical($0, self) }.joined(separator: ", ")))"
        }
    }
}
