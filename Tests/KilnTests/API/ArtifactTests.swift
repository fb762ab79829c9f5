import Foundation
import Testing
import KilnWAST
@testable import Kiln

/// Compiled artifacts (`Module.serialize`, `Module(engine, deserialize:)`): every spec
/// module round-trips and passes its script's assertions as loaded from its artifact, an
/// artifact for another ISA, configuration or CPU is refused with the difference named,
/// damaged artifacts are refused (never run, never crash), and an artifact runs in another
/// process (`kiln run --allow-precompiled`), where the runtime functions are elsewhere.
@Suite struct ArtifactTests {
    /// Builtins of every kind: memory.grow, table operations, a float truncation trap,
    /// out-of-bounds traps, exceptions caught in wasm and not, a loop for fuel and epochs.
    static let sample = """
        (module
          (memory 1)
          (table $t 2 funcref)
          (tag $e (param i32))
          (func $fib (export "fib") (param i32) (result i32)
            (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
              (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                             (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
          (func (export "size") (result i32) (memory.size))
          (func (export "tables") (result i32)
            (drop (table.grow $t (ref.func $fib) (i32.const 3)))
            (table.fill $t (i32.const 0) (ref.null func) (i32.const 1))
            (i32.add (table.size $t) (i32.mul (i32.const 10) (ref.is_null (table.get $t (i32.const 0))))))
          (func (export "oob") (result i32) (i32.load (i32.const 1000000)))
          (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
          (func (export "fill") (param i32) (result i32)
            (memory.fill (i32.const 0) (i32.const 7) (local.get 0))
            (i32.load8_u (i32.const 5)))
          (func $thrower (param i32) (throw $e (local.get 0)))
          (func (export "catch") (param i32) (result i32)
            (block $h (result i32)
              (try_table (catch $e $h) (call $thrower (local.get 0)))
              (i32.const -1)))
          (func (export "uncaught") (param i32) (call $thrower (local.get 0)))
          (func (export "spin") (loop $l (br $l)))
        )
        """

    static func engine(_ adjust: (inout Config) -> Void = { _ in }) throws -> Engine {
        var config = Config(strategy: .jit)
        adjust(&config)
        return try Engine(config)
    }

    static func artifact(_ engine: Engine, _ text: String = sample) throws -> [UInt8] {
        try Module(engine, wat: text).serialize()
    }

    static func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Recomputes the trailing checksum after an edit.
    static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        let checksum = bytes.withUnsafeBytes { ArtifactChecksum.hash(UnsafeRawBufferPointer(rebasing: $0[..<(bytes.count - 8)])) }
        withUnsafeBytes(of: checksum.littleEndian) { for i in 0..<8 { bytes[bytes.count - 8 + i] = $0[i] } }
        return bytes
    }

    /// The artifact's parts: header (through the version string), module binary, machine
    /// code, metadata (each with its length field), checksum.
    static func regions(_ bytes: [UInt8]) -> (header: Range<Int>, wasm: Range<Int>, code: Range<Int>, metadata: Range<Int>) {
        func u64(_ at: Int) -> Int { bytes.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt64.self))) } }
        func u32(_ at: Int) -> Int { bytes.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt32.self))) } }
        let headerEnd = CompiledArtifact.headerSize + 4 + u32(CompiledArtifact.headerSize)
        let wasmEnd = headerEnd + 8 + u64(headerEnd)
        let codeEnd = wasmEnd + 8 + u64(wasmEnd)
        return (0..<headerEnd, headerEnd..<wasmEnd, wasmEnd..<codeEnd, codeEnd..<(bytes.count - 8))
    }

    // MARK: Round trips

    @Test func roundTripRunsAndIsStable() throws {
        let engine = try Self.engine()
        let original = try Module(engine, wat: Self.sample)
        let bytes = try original.serialize()
        let module = try Module(engine, deserialize: bytes)
        #expect(module.isCompiledToMachineCode)
        // The same code (after relocation, in this process) and metadata: the same artifact.
        #expect(try module.serialize() == bytes)
        #expect(module.machineCode!.map(\.bytes) == original.machineCode!.map(\.bytes))
        #expect(module.exports.map(\.name) == original.exports.map(\.name))
        let store = Store(engine, data: ())
        let instance = try Linker<Void>(engine).instantiate(store, module)
        #expect(try instance.getTypedFunc(store, "fib", Int32.self, Int32.self).call(store, Int32(20)) == 6765)
        #expect(try instance.getTypedFunc(store, "grow", Int32.self, Int32.self).call(store, Int32(2)) == 1)
        #expect(try instance.getTypedFunc(store, "size", Void.self, Int32.self).call(store) == 3)
        #expect(try instance.getTypedFunc(store, "tables", Void.self, Int32.self).call(store) == 15)
        #expect(try instance.getTypedFunc(store, "fill", Int32.self, Int32.self).call(store, Int32(10)) == 7)
        #expect(try instance.getTypedFunc(store, "catch", Int32.self, Int32.self).call(store, Int32(42)) == 42)
        let oob = try instance.getTypedFunc(store, "oob", Void.self, Int32.self)
        #expect(Self.message { _ = try oob.call(store) }?.contains("out of bounds memory access") == true)
        let trunc = try instance.getTypedFunc(store, "trunc", Double.self, Int32.self)
        #expect(Self.message { _ = try trunc.call(store, 1e30) }?.contains("integer overflow") == true)
        let uncaught = try instance.getTypedFunc(store, "uncaught", Int32.self, Void.self)
        #expect(throws: WasmException.self) { try uncaught.call(store, 5) }
    }

    @Test func deserializeFileMapsTheArtifact() throws {
        let engine = try Self.engine()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-artifact-\(getpid())-\(UUID().uuidString).cwasm").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(try Self.artifact(engine)).write(to: URL(fileURLWithPath: path))
        let module = try Module(engine, deserializeFile: path)
        let store = Store(engine, data: ())
        let instance = try Linker<Void>(engine).instantiate(store, module)
        #expect(try instance.getTypedFunc(store, "fib", Int32.self, Int32.self).call(store, Int32(10)) == 55)
        #expect(Self.message { _ = try Module(engine, deserializeFile: path + ".missing") }?.contains("cannot open") == true)
    }

    @Test func fuelAndEpochsFromAnArtifact() throws {
        let fuelEngine = try Self.engine { $0.consumeFuel = true }
        let fueled = try Module(fuelEngine, deserialize: try Self.artifact(fuelEngine))
        let store = Store(fuelEngine, data: ())
        try store.addFuel(10_000)
        let instance = try Linker<Void>(fuelEngine).instantiate(store, fueled)
        let spin = try instance.getTypedFunc(store, "spin", Void.self, Void.self)
        #expect(Self.message { try spin.call(store) }?.contains("fuel") == true)

        let epochEngine = try Self.engine { $0.epochInterruption = true }
        let interrupted = try Module(epochEngine, deserialize: try Self.artifact(epochEngine))
        let epochStore = Store(epochEngine, data: ())
        epochStore.setEpochDeadline(1)
        epochEngine.incrementEpoch()
        let epochInstance = try Linker<Void>(epochEngine).instantiate(epochStore, interrupted)
        do {
            try epochInstance.getTypedFunc(epochStore, "spin", Void.self, Void.self).call(epochStore)
            Issue.record("expected an interrupt")
        } catch let trap as Trap {
            #expect(trap.code == .interrupt)
        }
    }

    /// The scripts whose modules round-trip: all of them on x86-64; under emulation (where the
    /// 2.0 suite already runs as machine code in `SpecTests`) those with calls, builtins
    /// (memory and table operations), traps and constants, whose code holds relocations.
    static let roundTripScripts = SpecSuite.topLevelFiles.filter {
        #if arch(arm64)
            $0.contains("call") || $0.hasPrefix("func") || $0.hasPrefix("memory_grow") || $0.hasPrefix("table")
                || $0.hasPrefix("bulk") || $0.hasPrefix("traps") || $0.hasPrefix("simd_const") || $0.hasPrefix("conversions")
                || $0.hasPrefix("unreachable") || $0.hasPrefix("fac")
        #else
            true
        #endif
    }

    /// Every module of every 2.0 spec script is serialized, deserialized (and checked to give
    /// the same artifact again), and the script's assertions run on the deserialized module.
    @Test(arguments: roundTripScripts)
    func specModulesRoundTrip(_ name: String) throws {
        var config = Config(strategy: .jit)
        config.features = .webAssembly2
        let engine = try Engine(config)
        let roundTrips = Counter()
        let runner = WASTRunner(engine: engine) { module in
            roundTrips.value += 1
            let bytes = try module.serialize()
            let loaded = try Module(engine, deserialize: bytes)
            guard try loaded.serialize() == bytes else { throw KilnError("the deserialized module serializes differently") }
            return loaded
        }
        let result = runner.run(path: SpecSuite.path(name))
        #expect(result.tally.failed == 0, "\(result.failures.prefix(20).joined(separator: "\n"))")
        #expect(result.tally.skipped == 0)
        #expect(result.tally.passed > 0)
        #expect(result.interpretedModules == [])
        // (Some scripts hold only invalid or malformed modules: nothing to round-trip.)
        if ["fac.wast", "memory_grow.wast", "table_grow.wast", "call_indirect.wast", "conversions.wast"].contains(name) {
            #expect(roundTrips.value > 0)
        }
    }

    final class Counter { var value = 0 }

    // MARK: Refusals

    @Test func interpreterModulesAndEnginesAreRefused() throws {
        let interpreter = try Engine(Config(strategy: .interpreter))
        let text = Self.message { _ = try Module(interpreter, wat: Self.sample).serialize() }
        #expect(text?.contains("only modules compiled to machine code can be serialized") == true)
        let bytes = try Self.artifact(try Self.engine())
        #expect(Self.message { _ = try Module(interpreter, deserialize: bytes) }?.contains("JIT strategy") == true)
        // A wasm binary is not an artifact.
        let wasm = try TextFormat.encode(Self.sample)
        #expect(Self.message { _ = try Module(try Self.engine(), deserialize: wasm) }?.contains("WebAssembly binary") == true)
        #expect(Module.isCompiledArtifact(bytes) && !Module.isCompiledArtifact(wasm))
    }

    @Test func anotherISAIsRefused() throws {
        var bytes = try Self.artifact(try Self.engine())
        let other: CompiledArtifact.ISA = CompiledArtifact.ISA.host == .x86_64 ? .aarch64 : .x86_64
        bytes[CompiledArtifact.isaOffset] = other.rawValue
        let text = Self.message { _ = try Module(try Self.engine(), deserialize: Self.resealed(bytes)) }
        #expect(text?.contains("compiled for \(other.name), this engine is \(CompiledArtifact.ISA.host!.name)") == true, "\(text ?? "")")
    }

    @Test func anotherConfigurationIsRefused() throws {
        let cases: [(String, (inout Config) -> Void)] = [
            ("consumeFuel=true, this engine has false", { $0.consumeFuel = true }),
            ("epochInterruption=true, this engine has false", { $0.epochInterruption = true }),
            ("boundsChecks=explicit, this engine has guardPages", { $0.boundsChecks = .explicit }),
            ("relaxedSIMDDeterministic=true, this engine has false", { $0.relaxedSIMDDeterministic = true }),
            ("jitRegisterLimit=3, this engine has nil", { $0.jitRegisterLimit = 3 }),
        ]
        for (expected, adjust) in cases {
            let bytes = try Self.artifact(try Self.engine(adjust))
            let text = Self.message { _ = try Module(try Self.engine(), deserialize: bytes) }
            #expect(text?.contains(expected) == true, "\(text ?? "loaded")")
            // And the other way around: fuel off in the artifact, on in the engine.
            let plain = try Self.artifact(try Self.engine())
            #expect(Self.message { _ = try Module(try Self.engine(adjust), deserialize: plain) } != nil)
        }
        var three = Config(strategy: .jit)
        three.features = .webAssembly2
        let bytes = try Self.artifact(try Engine(three), "(module (func (export \"f\")))")
        #expect(Self.message { _ = try Module(try Self.engine(), deserialize: bytes) }?.contains("features=") == true)
    }

    @Test func cpuFeaturesMustBeASubsetOfTheEngines() throws {
        #if arch(x86_64)
            let host = try Self.engine()
            let baseline = try Self.engine { $0.cpuFeatures = .x86Baseline }
            // Code for the baseline runs on an engine with more.
            let module = try Module(host, deserialize: try Self.artifact(baseline))
            #expect(module.isCompiledToMachineCode)
            // Code for more than the baseline does not load into a baseline engine.
            let extra = host.cpuFeatures.subtracting(.x86Baseline)
            if !extra.isEmpty {
                let text = Self.message { _ = try Module(baseline, deserialize: try Self.artifact(host)) }
                #expect(text?.contains("this engine lacks \(extra)") == true, "\(text ?? "loaded")")
            }
            // An artifact that asks for a feature no engine here has (patched, resealed).
            var bytes = try Self.artifact(baseline)
            let impossible = UInt64(1) << 40
            bytes[24 + 5] |= UInt8(impossible >> 40)
            let text = Self.message { _ = try Module(host, deserialize: Self.resealed(bytes)) }
            #expect(text?.contains("compiled for CPU features") == true, "\(text ?? "loaded")")
        #endif
    }

    // MARK: Damage

    @Test func everyTruncationIsRefused() throws {
        let engine = try Self.engine()
        let bytes = try Self.artifact(engine, "(module (memory 1) (func (export \"f\") (result i32) (memory.grow (i32.const 1))))")
        for length in 0..<bytes.count {
            #expect(throws: (any Error).self) { _ = try Module(engine, deserialize: Array(bytes[..<length])) }
        }
    }

    /// Deterministic random damage: byte changes, bit flips, truncations, insertions,
    /// deletions and splices. With the checksum as written, every one is refused.
    @Test func randomDamageIsRefused() throws {
        let engine = try Self.engine()
        let bytes = try Self.artifact(engine)
        var random = SplitMix64(seed: 0x4B49_4C4E)
        var refused = 0
        for _ in 0..<3000 {
            let damaged = Self.damage(bytes, &random, within: 0..<bytes.count)
            guard damaged != bytes else { continue }
            #expect(throws: (any Error).self) { _ = try Module(engine, deserialize: damaged) }
            refused += 1
        }
        #expect(refused > 2900)
    }

    /// The same damage confined to the header and the metadata, with the checksum
    /// recomputed, so the structural checks (lengths, counts, offsets, orders) face it: each
    /// damaged artifact is refused or loads, never crashes. (Damage to the machine code or
    /// the module binary under a recomputed checksum cannot be detected: an artifact is
    /// trusted code. Nothing loaded here is run.)
    @Test func structuralDamageNeverCrashes() throws {
        let engine = try Self.engine()
        let bytes = try Self.artifact(engine)
        let parts = Self.regions(bytes)
        var random = SplitMix64(seed: 0xA07)
        var refused = 0, loaded = 0
        for i in 0..<4000 {
            let region = i % 2 == 0 ? parts.header : parts.metadata
            let damaged = Self.damage(bytes, &random, within: region)
            guard damaged != bytes, damaged.count >= 8 else { continue }
            do {
                _ = try Module(engine, deserialize: Self.resealed(damaged))
                loaded += 1
            } catch {
                refused += 1
            }
        }
        #expect(refused > 3000, "\(refused) refused, \(loaded) loaded")
    }

    static func damage(_ bytes: [UInt8], _ random: inout SplitMix64, within region: Range<Int>) -> [UInt8] {
        var bytes = bytes
        let at = region.lowerBound + Int(random.next() % UInt64(region.count))
        switch random.next() % 6 {
        case 0: bytes[at] ^= UInt8(1) << (random.next() % 8)
        case 1: bytes[at] = UInt8(truncatingIfNeeded: random.next())
        case 2: bytes.removeSubrange(at...)
        case 3: bytes.insert(contentsOf: (0..<(1 + random.next() % 16)).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: at)
        case 4: bytes.removeSubrange(at..<min(bytes.count, at + 1 + Int(random.next() % 16)))
        default:
            // Splice: a run of the artifact copied over another place.
            let from = Int(random.next() % UInt64(bytes.count)), length = 1 + Int(random.next() % 32)
            let run = Array(bytes[from..<min(bytes.count, from + length)])
            for (i, byte) in run.enumerated() where at + i < bytes.count { bytes[at + i] = byte }
        }
        return bytes
    }

    // MARK: Another process

    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try RunCommandTests.run(arguments)
    }

    /// The artifact written here runs in a `kiln` process, where the runtime functions are
    /// at other addresses: builtins, traps with their messages, exceptions, fuel.
    @Test func runsInAnotherProcess() throws {
        try #require(FileManager.default.fileExists(atPath: RunCommandTests.kiln.path), "build the kiln executable first (swift build)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-aot-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("sample.cwasm").path
        try Data(try Self.artifact(try Self.engine())).write(to: URL(fileURLWithPath: path))

        func invoke(_ name: String, _ arguments: [String] = [], fuel: String? = nil, file: String = path) throws -> (Int32, String, String) {
            try Self.run(["run", "--allow-precompiled"] + (fuel.map { ["--fuel", $0] } ?? []) + ["--invoke", name, file] + arguments)
        }
        #expect(try invoke("fib", ["20"]) == (0, "6765\n", ""))
        #expect(try invoke("grow", ["3"]) == (0, "1\n", ""))
        #expect(try invoke("tables") == (0, "15\n", ""))
        #expect(try invoke("fill", ["9"]) == (0, "7\n", ""))
        #expect(try invoke("catch", ["17"]) == (0, "17\n", ""))
        let oob = try invoke("oob")
        #expect(oob.0 == 1 && oob.2.contains("out of bounds memory access"), "\(oob)")
        let trunc = try invoke("trunc", ["1e30"])
        #expect(trunc.0 == 1 && trunc.2.contains("integer overflow"), "\(trunc)")
        let uncaught = try invoke("uncaught", ["3"])
        #expect(uncaught.0 == 1 && uncaught.2.contains("error:"), "\(uncaught)")

        // Without --allow-precompiled: refused, saying what to pass.
        let refused = try Self.run(["run", "--invoke", "fib", path, "5"])
        #expect(refused.status == 1 && refused.stderr.contains("--allow-precompiled"), "\(refused)")
        // Compiled without fuel, run with: the mismatch is named.
        let mismatch = try invoke("spin", fuel: "1000")
        #expect(mismatch.0 == 1 && mismatch.2.contains("consumeFuel=false, this engine has true"), "\(mismatch)")

        // kiln compile -o with --fuel, then kiln run --fuel: fuel runs out.
        let wat = directory.appendingPathComponent("sample.wat").path
        try Data(Self.sample.utf8).write(to: URL(fileURLWithPath: wat))
        let fueled = directory.appendingPathComponent("fueled.cwasm").path
        let compiled = try Self.run(["compile", "--fuel", wat, "-o", fueled])
        #expect(compiled.status == 0, "\(compiled)")
        let spin = try invoke("spin", fuel: "100000", file: fueled)
        #expect(spin.0 == 1 && spin.2.contains("fuel"), "\(spin)")
        #expect(try invoke("fib", ["15"], fuel: "100000000", file: fueled) == (0, "610\n", ""))
    }
}

/// A small deterministic generator (SplitMix64).
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
