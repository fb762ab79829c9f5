import Foundation
import Testing
@testable import Kiln
import KilnFuzz

/// What the generator makes with WebAssembly 3.0 (decoded and counted, not trusted), and
/// that modules with it run the same under both engines.
@Suite struct GeneratorFeatureTests {
    /// The module-level and instruction-level features a generated module shows, by name.
    static func features(of binary: [UInt8]) throws -> Set<String> {
        var seen = Set<String>()
        try binary.withUnsafeBytes { buffer in
            let module = try ModuleDecoder.decode(buffer)
            if module.memories.count > 1 { seen.insert("multi-memory") }
            if module.memories.contains(where: \.is64) { seen.insert("memory64") }
            if module.tables.contains(where: \.is64) { seen.insert("table64") }
            if module.tableInitializers.contains(where: { $0 != nil }) { seen.insert("table initializer") }
            if module.tables.contains(where: { if case .concrete = $0.elementType.refType?.heapType { true } else { false } }) {
                seen.insert("typed table")
            }
            if module.types.contains(where: { ($0.params + $0.results).contains(where: Self.isTypedReference) }) {
                seen.insert("typed reference in a signature")
            }
            if module.globals.contains(where: { Self.isTypedReference($0.valueType) }) { seen.insert("typed reference global") }
            if module.types.contains(where: { ($0.params + $0.results).contains(.v128) }) { seen.insert("v128 in a signature") }
            if module.globals.contains(where: { $0.valueType == .v128 }) { seen.insert("v128 global") }
            var expressions = module.globalInitializers
            for segment in module.elements { if case .active(_, let offset) = segment.mode { expressions.append(offset) } }
            for segment in module.data {
                if case .active(let memory, let offset) = segment.mode {
                    expressions.append(offset)
                    if memory != 0 { seen.insert("data segment of another memory") }
                }
            }
            if expressions.contains(where: { if case .binary = $0 { true } else { false } }) { seen.insert("extended constant") }
            if module.importedTagCount > 0 { seen.insert("imported tag") }
            if module.tags.count > module.importedTagCount { seen.insert("defined tag") }
            if module.exports.contains(where: { $0.kind == .tag }) { seen.insert("exported tag") }
            for entry in module.imports where entry.module == "host" && (entry.name == "call" || entry.name == "throw") {
                seen.insert("host.\(entry.name)")
            }
            for body in module.functionBodies {
                var reader = ByteReader(base: buffer.baseAddress!, position: body.start, end: body.end)
                for _ in 0..<(try reader.readU32()) {
                    _ = try reader.readU32()
                    let type = try reader.readValType(module.features)
                    if case .ref(let reference) = type, !reference.nullable { seen.insert("non-nullable local") }
                    if type == .v128 { seen.insert("v128 local") }
                }
                var operators = OperatorReader(reader, features: module.features)
                // Open blocks, true for handlers (try_table, try): to see handlers nest.
                var handlers: [Bool] = []
                while operators.offset < body.end {
                    let instruction = try operators.read()
                    Self.note(instruction, module, operators, &seen)
                    switch instruction {
                    case .tryTable, .try:
                        if handlers.contains(true) { seen.insert("nested handlers") }
                        handlers.append(true)
                    case .block, .loop, .if: handlers.append(false)
                    case .end, .delegate: _ = handlers.popLast()
                    default: break
                    }
                }
            }
        }
        return seen
    }

    static func isTypedReference(_ type: ValType) -> Bool {
        if case .concrete? = type.refType?.heapType { true } else { false }
    }

    static func note(_ instruction: Instruction, _ module: ModuleInfo, _ operators: OperatorReader, _ seen: inout Set<String>) {
        switch instruction {
        case .returnCall: seen.insert("return_call")
        case .returnCallIndirect: seen.insert("return_call_indirect")
        case .returnCallRef: seen.insert("return_call_ref")
        case .callRef: seen.insert("call_ref")
        case .refAsNonNull: seen.insert("ref.as_non_null")
        case .brOnNull: seen.insert("br_on_null")
        case .brOnNonNull: seen.insert("br_on_non_null")
        case .refNull(.concrete): seen.insert("ref.null of a type")
        case .throw: seen.insert("throw")
        case .throwRef: seen.insert("throw_ref")
        case .tryTable(_, let catches):
            seen.insert("try_table")
            try? operators.forEachCatch(of: catches) { clause in
                seen.insert("try_table \(clause.kind)")
            }
        case .try: seen.insert("try")
        case .catch: seen.insert("catch")
        case .catchAll: seen.insert("catch_all")
        case .delegate: seen.insert("delegate")
        case .rethrow: seen.insert("rethrow")
        case .load(_, let memArg), .store(_, let memArg):
            if memArg.memory != 0 { seen.insert("access to another memory") }
            if module.memories[Int(memArg.memory)].is64 { seen.insert("access to a 64-bit memory") }
            if memArg.offset > UInt64(UInt32.max) { seen.insert("offset past 4 GiB") }
        case .memorySize(let memory) where memory != 0: seen.insert("memory.size of another memory")
        case .memoryGrow(let memory) where memory != 0: seen.insert("memory.grow of another memory")
        case .memoryCopy(let destination, let source) where destination != source: seen.insert("memory.copy between memories")
        case .memoryFill(let memory) where memory != 0: seen.insert("memory.fill of another memory")
        case .memoryInit(_, let memory) where memory != 0: seen.insert("memory.init of another memory")
        case .callIndirect(_, let table) where table >= 2: seen.insert("call_indirect through another table")
        case .tableGet(let table) where table >= 2: seen.insert("table.get of another table")
        case .tableSet(let table) where table >= 2: seen.insert("table.set of another table")
        case .tableCopy(let destination, _) where destination >= 2: seen.insert("table.copy to another table")
        case .tableInit(_, let table) where table >= 2: seen.insert("table.init of another table")
        case .tableGrow(let table) where table >= 2 && module.tables[Int(table)].is64: seen.insert("table.grow of a 64-bit table")
        case .v128Const: seen.insert("v128.const")
        case .v128Load(let op, _): seen.insert("v128 load"); seen.insert("SIMD load \(op)")
        case .v128Store: seen.insert("v128.store")
        case .v128LoadLane: seen.insert("load_lane")
        case .v128StoreLane: seen.insert("store_lane")
        case .i8x16Shuffle: seen.insert("i8x16.shuffle")
        case .extractLane(let op, _): seen.insert("extract_lane \(op)")
        case .replaceLane(let op, _): seen.insert("replace_lane \(op)")
        case .simd(let op): seen.insert("SIMD \(op)")
        default: break
        }
    }

    static let expected: [String] = [
        "multi-memory", "memory64", "table64", "table initializer", "typed table", "typed reference in a signature",
        "typed reference global", "data segment of another memory", "extended constant", "imported tag", "defined tag",
        "exported tag", "host.call", "host.throw", "non-nullable local",
        "return_call", "return_call_indirect", "return_call_ref", "call_ref", "ref.as_non_null", "br_on_null",
        "br_on_non_null", "ref.null of a type", "throw", "throw_ref", "try_table", "try_table catch", "try_table catchRef",
        "try_table catchAll", "try_table catchAllRef", "try", "catch", "catch_all", "delegate", "rethrow",
        "access to another memory", "access to a 64-bit memory", "offset past 4 GiB", "memory.size of another memory",
        "memory.grow of another memory", "memory.copy between memories", "memory.fill of another memory",
        "memory.init of another memory", "call_indirect through another table", "table.get of another table",
        "table.set of another table", "table.copy to another table", "table.init of another table",
        "table.grow of a 64-bit table", "nested handlers",
        "v128 in a signature", "v128 global", "v128 local", "v128.const", "v128 load", "v128.store", "load_lane",
        "store_lane", "i8x16.shuffle",
    ]

    /// Over 200 seeds every 3.0 feature shows up, in several modules (each module takes a
    /// random subset of them), and the modules are valid.
    @Test func everyFeatureShowsUp() throws {
        var counts: [String: Int] = [:]
        for seed in UInt64(1)...200 {
            var generator = ModuleGenerator(seed: seed)
            let module = generator.generate()
            try Module.validate(try Engine(), bytes: module)
            for feature in try Self.features(of: module) { counts[feature, default: 0] += 1 }
        }
        for feature in Self.expected {
            #expect(counts[feature, default: 0] >= 3, "\(feature) in \(counts[feature, default: 0]) of 200 modules")
        }
        // The JIT compiles every one of them (exceptions included): no comparison is the
        // interpreter's with itself. Exception instructions are common, not rare.
        let jit = try Engine(Config(strategy: .jit))
        var throwing = 0
        for seed in UInt64(1)...200 {
            var generator = ModuleGenerator(seed: seed)
            let bytes = generator.generate()
            if !(try Self.features(of: bytes)).isDisjoint(with: ["throw", "throw_ref", "try_table", "try", "delegate", "rethrow"]) {
                throwing += 1
            }
            if JITCompiler.isSupported {
                #expect(try Module(jit, bytes: bytes).isCompiledToMachineCode, "seed \(seed) runs on the interpreter")
            }
        }
        #expect(throwing >= 40, "\(throwing) of 200 modules have exception instructions")
    }

    /// Over 400 seeds every SIMD operation, load, lane access and lane shape shows up (the
    /// differential runs compare the JIT's code for each with the interpreter).
    @Test func modulesUseEverySIMDInstruction() throws {
        var seen = Set<String>()
        for seed in UInt64(1)...400 {
            var generator = ModuleGenerator(seed: seed)
            seen.formUnion(try Self.features(of: generator.generate()))
        }
        var wanted: [String] = []
        for op in SIMDOp.allCases { wanted.append("SIMD \(op)") }
        for op in SIMDLoadOp.allCases { wanted.append("SIMD load \(op)") }
        let extracted: [SIMDLaneOp] = [.i8x16S, .i8x16U, .i16x8S, .i16x8U, .i32x4, .i64x2, .f32x4, .f64x2]
        for op in extracted { wanted.append("extract_lane \(op)") }
        let replaced: [SIMDLaneOp] = [.i8x16, .i16x8, .i32x4, .i64x2, .f32x4, .f64x2]
        for op in replaced { wanted.append("replace_lane \(op)") }
        let missing: [String] = wanted.filter { !seen.contains($0) }
        #expect(missing == [])
    }

    /// The libFuzzer differential corpus (inputs: the generator's choices) makes modules that
    /// together use every 3.0 feature: replaying it (CI does, on both ISAs) runs them all.
    @Test func theCorpusCoversEveryFeature() throws {
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus/generated")
        var seen = Set<String>()
        for file in try FileManager.default.contentsOfDirectory(atPath: corpus.path) {
            let input = [UInt8](try Data(contentsOf: corpus.appendingPathComponent(file)))
            // As Sources/KilnFuzzTargets/main.swift: the first byte sets the knobs.
            let knob = Int(input.first ?? 0)
            let limits = ModuleGenerator.Limits(functions: 1 + knob % 6, statements: 2 + (knob / 6) % 8, depth: 2 + (knob / 48) % 4)
            var generator = ModuleGenerator(bytes: Array(input.dropFirst()), limits: limits)
            seen.formUnion(try Self.features(of: generator.generate()))
        }
        #expect(Set(Self.expected).subtracting(seen).isEmpty, "not in the corpus: \(Set(Self.expected).subtracting(seen).sorted())")
    }

    /// With `.webAssembly2` the generator makes 2.0 modules (WebAssembly 2.0 validates them),
    /// the same as the 3.0 generator's for none of its features.
    @Test func webAssembly2ModulesUseNoNewFeature() throws {
        var config = Config()
        config.features = .webAssembly2
        let engine = try Engine(config)
        for seed in UInt64(1)...60 {
            var generator = ModuleGenerator(seed: seed, limits: .init(features: .webAssembly2))
            let module = generator.generate()
            try Module.validate(engine, bytes: module)
            #expect(try Self.features(of: module).isEmpty)
        }
    }

    /// 2.0 modules agree under both engines (the 3.0 ones: `DifferentialFuzzTests`).
    @Test func webAssembly2ModulesAgree() {
        var session = FuzzSession(generator: .kiln, outputDirectory: nil, features: .webAssembly2)
        for seed in UInt64(1)...40 { session.run(seed: seed) }
        #expect(session.failed == 0, "\(session.failures.map { "seed \($0.seed): \($0.detail)" })")
    }

    /// The runner sees what the 3.0 modules do: uncaught exceptions by tag and values, calls
    /// through host.call (and exceptions passing through it), references by export name.
    @Test func observationsShowExceptionsAndReferences() {
        var lines: [String] = []
        for seed in UInt64(1)...100 {
            var generator = ModuleGenerator(seed: seed)
            lines += DifferentialRunner.describe(generator.generate(), argumentSeed: seed)
        }
        let text = lines.joined(separator: "\n")
        for observed in ["-> exception tag", "-> exception host.tag (", "host.call(", " threw ", "func:f", "host.throw("] {
            #expect(text.contains(observed), "no \(observed) in the observations of 100 seeds")
        }
    }
}
