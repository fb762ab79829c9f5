import Kiln

extension ModuleGenerator {
    /// The WebAssembly 3.0 features the generator may use beyond 2.0 (`Limits.features`).
    /// Each module takes a random subset of them, so every feature also shows up alone and
    /// most modules keep plenty of the 2.0 code the older generator made.
    public struct Features: OptionSet, Sendable, Hashable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// Two or three memories, memory instructions naming them.
        public static let multiMemory = Features(rawValue: 1 << 0)
        /// One of the extra memories 64-bit (i64 addresses, u64 offsets).
        public static let memory64 = Features(rawValue: 1 << 1)
        /// A 64-bit table.
        public static let table64 = Features(rawValue: 1 << 2)
        /// Sums, differences and products (and globals) in initializers and segment offsets.
        public static let extendedConst = Features(rawValue: 1 << 3)
        /// `(ref $t)` and `(ref null $t)` everywhere values go, `call_ref`, `ref.as_non_null`,
        /// `br_on_null`, `br_on_non_null`, typed tables with initializers.
        public static let typedReferences = Features(rawValue: 1 << 4)
        /// `return_call`, `return_call_indirect`, `return_call_ref`.
        public static let tailCalls = Features(rawValue: 1 << 5)
        /// Tags (one imported, the defined ones exported), exnref values, `host.throw`, and in
        /// some modules the exception instructions: `throw`, `throw_ref`, `try_table`.
        public static let exceptions = Features(rawValue: 1 << 6)
        /// The legacy `try`/`catch`/`catch_all`/`delegate`/`rethrow` (with `.exceptions`).
        public static let legacyExceptions = Features(rawValue: 1 << 7)
        /// `host.call`: a host import that calls an export back (exceptions pass through it).
        public static let hostCalls = Features(rawValue: 1 << 8)
        /// v128 values everywhere values go and every SIMD instruction (+SIMD).
        public static let simd = Features(rawValue: 1 << 9)

        /// WebAssembly 2.0 only: the generator as it was before 3.0, choice for choice.
        public static let webAssembly2: Features = []
        public static let webAssembly3: Features = [
            .multiMemory, .memory64, .table64, .extendedConst, .typedReferences, .tailCalls, .exceptions,
            .legacyExceptions, .hostCalls, .simd,
        ]

        /// The features of a specification version, as `kiln fuzz --spec` names it ("2.0", "3.0").
        public init?(spec: String) {
            switch spec {
            case "2", "2.0": self = .webAssembly2
            case "3", "3.0": self = .webAssembly3
            default: return nil
            }
        }
    }

    /// Every host import a generated module may have, as (module, name, params, results):
    /// `Self.imports` (2.0), then `host.call(i)`, which calls export `f(i mod count)` with
    /// arguments made from `i` and returns a hash of its results (exceptions and traps pass
    /// through it), and `host.throw(i)`, which throws `host.tag` with (i, host.ext(i)) unless
    /// i & 3 == 3. The runner implements them (`DifferentialRunner`).
    public static let hostImports: [(String, String, [ValType], [ValType])] = imports + [
        ("host", "call", [.i32], [.i32]),
        ("host", "throw", [.i32], []),
    ]
    /// The imported tag's type: what `host.throw` throws with.
    public static let hostTagType = FuncType(params: [.i32, .externRef])

    /// Decides which of the allowed features this module uses, and adds their imports. With
    /// none allowed it draws nothing (2.0 modules stay what they were).
    mutating func chooseFeatures() {
        let allowed = limits.features
        guard !allowed.isEmpty else { return }
        // Two bytes of choices, each bit or digit a feature (a libFuzzer mutation of either
        // byte changes the module's features).
        let a = random.int(0...255), b = random.int(0...255)
        var on: Features = [.hostCalls]
        if a & 1 != 0 { on.insert(.multiMemory) }
        if a & 2 != 0 { on.insert(.typedReferences) }
        if a & 4 != 0 { on.insert(.extendedConst) }
        if a & 8 != 0 && a & 1 != 0 { on.insert(.memory64) }  // the 64-bit memory is an extra one
        if (a >> 4) & 3 == 0 { on.insert(.table64) }
        if b & 1 == 0 { on.insert(.tailCalls) }
        if b & 2 == 0 { on.insert(.exceptions) }
        if a & 0x40 == 0 { on.insert(.simd) }
        on.formIntersection(allowed)
        wasm3.on = on
        if on.contains(.exceptions) {
            // Exception instructions (machine code under the JIT) in three of four modules
            // with tags; the others keep tags, exnrefs and host throws only.
            wasm3.throwing = (b >> 2) & 3 != 0
            wasm3.legacy = wasm3.throwing && allowed.contains(.legacyExceptions) && (b >> 3) % 3 == 0
        }
        if on.contains(.hostCalls) {
            wasm3.hostCall = UInt32(imports.count)
            imports.append(Self.hostImports[4])
        }
        if on.contains(.exceptions) {
            wasm3.hostThrow = UInt32(imports.count)
            imports.append(Self.hostImports[5])
        }
    }

    /// Parameter, result and local types: `Self.signatureTypes`, and with 3.0 typed
    /// references to the target types and exnrefs.
    var signatureChoices: [ValType] {
        guard !wasm3.on.isEmpty else { return Self.signatureTypes }
        var choices = Self.signatureTypes
        for (i, target) in wasm3.referenceTargets.enumerated() {
            choices.append(.ref(RefType(nullable: true, .concrete(UInt32(target)))))
            if i == 0 { choices.append(.ref(RefType(nullable: false, .concrete(UInt32(target))))) }
        }
        if wasm3.on.contains(.exceptions) { choices.append(.exnRef) }
        if wasm3.on.contains(.simd) { choices.append(.v128) }
        return choices
    }

    /// A statement of a 3.0 feature (about one in four when the module has any), or false to
    /// let the 2.0 generator make one.
    mutating func statement3(depth: Int) -> Bool {
        guard !wasm3.on.isEmpty, random.chance(28) else { return false }
        let deep = depth >= limits.depth
        var kinds: [Statement3] = []
        if wasm3.hostCall != nil { kinds.append(.hostCall) }
        if !wasm3.memories.isEmpty { kinds += [.memory, .memory] }
        if !wasm3.referenceTargets.isEmpty { kinds += [.callReference, .callReference] }
        if !wasm3.tables.isEmpty { kinds += [.table, .table] }
        if wasm3.on.contains(.tailCalls) { kinds.append(.tailCall) }
        if wasm3.hostThrow != nil { kinds.append(.hostThrow) }
        if wasm3.on.contains(.simd) { kinds += [.vectorStore, .vectorStore] }
        if wasm3.throwing {
            kinds += [.throw, .throw, .throwReference]
            if !deep { kinds += [.tryTable, .tryTable, .tryTable] }
            if !deep && wasm3.legacy { kinds += [.legacyTry, .legacyTry] }
        }
        guard let kind = random.pickIfAny(kinds) else { return false }
        switch kind {
        case .hostCall: hostCall(depth: depth, discard: true)
        case .memory: memoryStatement(depth: depth)
        case .callReference: referenceStatement(depth: depth)
        case .table: tableStatement(depth: depth)
        case .tailCall: conditionalTailCall(depth: depth)
        case .hostThrow:
            value(.i32, depth: depth + 1)
            code.byte(0x10); code.u32(wasm3.hostThrow!)
        case .throw: throwStatement(depth: depth)
        case .throwReference: throwReferenceStatement(depth: depth)
        case .tryTable: tryTable(blockType(), depth: depth, keepResults: false)
        case .legacyTry: legacyTry(blockType(), depth: depth, keepResults: false)
        case .vectorStore: vectorStore(depth: depth)
        }
        return true
    }

    enum Statement3 {
        case hostCall, memory, callReference, table, tailCall, hostThrow, `throw`, throwReference, tryTable, legacyTry
        case vectorStore
    }

    /// A value of `type` made with a 3.0 feature: always for the reference types 2.0 has not
    /// (typed references, funcref, exnref), now and then for the others. False to let the
    /// 2.0 generator make it.
    mutating func value3(_ type: ValType, depth: Int) -> Bool {
        if let reference = type.refType, reference.heapType != .extern {
            referenceValue(reference, depth: depth)
            return true
        }
        // Vectors from SIMD instructions mostly; the rest from the cases every type has.
        if type == .v128 {
            guard depth >= limits.depth || random.chance(75) else { return false }
            simdValue(depth: depth)
            return true
        }
        if scalarFromVector(type, depth: depth) { return true }
        guard !wasm3.on.isEmpty, depth < limits.depth, random.chance(12) else { return false }
        var kinds: [Value3] = []
        if !wasm3.memories.isEmpty && type.isNumeric { kinds += [.load, .load] }
        if !wasm3.memories.isEmpty && (type == .i32 || type == .i64) { kinds.append(.memorySize) }
        if !wasm3.tables.isEmpty && (type == .i32 || type == .i64) { kinds.append(.tableSize) }
        if wasm3.hostCall != nil && type == .i32 { kinds.append(.hostCall) }
        if callableTargets.contains(where: { types[$0].results == [type] }) { kinds += [.callReference, .callReference] }
        if type == .i32 && !wasm3.referenceTargets.isEmpty { kinds.append(.isNull) }
        if wasm3.throwing { kinds += [.tryTable, .tryTable, .throw] }
        if wasm3.legacy { kinds.append(.legacyTry) }
        if wasm3.on.contains(.tailCalls) { kinds.append(.tailCall) }
        guard let kind = random.pickIfAny(kinds) else { return false }
        switch kind {
        case .load: load3(type, depth: depth)
        case .memorySize: memorySizeOrGrow(type, depth: depth)
        case .tableSize: tableSizeOrGrow(type, depth: depth)
        case .hostCall: hostCall(depth: depth, discard: false)
        case .callReference: callReference(returning: type, depth: depth)
        case .isNull:
            value(.ref(RefType(nullable: true, .concrete(UInt32(random.pick(wasm3.referenceTargets))))), depth: depth + 1)
            code.byte(0xD1)  // ref.is_null
        case .tryTable: tryTable(FuncType(params: [], results: [type]), depth: depth, keepResults: true)
        case .legacyTry: legacyTry(FuncType(params: [], results: [type]), depth: depth, keepResults: true)
        case .throw: throwInstruction(depth: depth)
        case .tailCall:
            // In value position the rest is unreachable, as after `return`.
            if !tailCallInstruction(depth: depth) { leaf(type) }
        }
        return true
    }

    enum Value3 {
        case load, memorySize, tableSize, hostCall, callReference, isNull, tryTable, legacyTry, `throw`, tailCall
    }

    /// `host.call(i)`: mostly a later function's index (so calls through the host nest
    /// forwards, as direct calls do), or any value.
    mutating func hostCall(depth: Int, discard: Bool) {
        let later = (currentFunction + 1 - importCount)..<definedCount
        if random.chance(80), let function = random.pickIfAny(later) {
            code.byte(0x41); code.s32(Int32(function))
        } else {
            value(.i32, depth: depth + 1)
        }
        code.byte(0x10); code.u32(wasm3.hostCall!)
        if discard { code.byte(0x1A) }
    }

    /// A statement that lets the function see which way it went: `host.log(marker)`.
    mutating func logMarker(_ marker: Int32) {
        code.byte(0x41); code.s32(marker)
        code.byte(0x10); code.u32(0)
    }

    /// Locals of the 3.0 types every function has for generated code to write (nullable
    /// and non-nullable references to each target type, exnrefs, a funcref).
    func scratchLocals3() -> [ValType] {
        var scratch: [ValType] = []
        for target in wasm3.referenceTargets {
            scratch.append(.ref(RefType(nullable: true, .concrete(UInt32(target)))))
            scratch.append(.ref(RefType(nullable: false, .concrete(UInt32(target)))))
        }
        if !wasm3.tables.isEmpty { scratch.append(.funcRef) }
        if wasm3.on.contains(.exceptions) { scratch += [.exnRef, .exnRef] }
        if wasm3.on.contains(.simd) { scratch += [.v128, .v128] }
        return scratch
    }

    /// Sets every declared non-nullable local first thing, outside any block and outside the
    /// statements the shrinker may cut: `local.get` of them is valid anywhere after.
    mutating func initializeLocals3(parameters: Int) {
        wasm3.uninitialized = []
        wasm3.catchLabels = []
        let nonNullable = (parameters..<locals.count).filter { locals[$0].refType?.nullable == false }
        wasm3.uninitialized = Set(nonNullable)
        for local in nonNullable {
            value(locals[local], depth: limits.depth)  // a leaf: a parameter, a global or ref.func
            code.byte(0x21); code.u32(UInt32(local))
            wasm3.uninitialized.remove(local)
        }
    }

    /// Globals of the 3.0 types: typed references (immutable non-nullable ones too), a
    /// funcref and an exnref, and with extended constants immutable numbers whose
    /// initializers compute from earlier ones.
    mutating func declareGlobals3() {
        // The immutable i32 of 2.0 (just before the stack pointer): its value is known.
        let immutable = Int(stackPointerGlobal) - 1
        wasm3.knownGlobals.append((immutable, .i32, Int64(immutable * 7 - 3)))
        if wasm3.on.contains(.extendedConst) {
            for _ in 0..<random.int(1...2) {
                let type: ValType = random.chance(50) ? .i32 : .i64
                let value = type == .i32 ? Int64(random.interesting32()) : random.interesting64()
                let index = globals.count
                wasm3.globalInitializers[index] = constantExpression(type, value, globalsBefore: index)
                globals.append((type, false))
                wasm3.knownGlobals.append((index, type, value))
            }
        }
        for target in wasm3.referenceTargets where random.chance(70) {
            let index = globals.count
            let nullable = random.chance(60)
            var initializer = ByteWriter()
            if nullable && random.chance(40) {
                initializer.byte(0xD0); initializer.heapType(.concrete(UInt32(target)))
            } else {
                initializer.byte(0xD2); initializer.u32(UInt32(initializerFunction(ofType: target)))
            }
            wasm3.globalInitializers[index] = initializer.bytes
            globals.append((.ref(RefType(nullable: nullable, .concrete(UInt32(target)))), nullable || random.chance(50)))
        }
        if !wasm3.referenceTargets.isEmpty && random.chance(40) {
            wasm3.globalInitializers[globals.count] = [0xD2] + uleb(UInt64(importCount + random.int(0..<definedCount)))
            globals.append((.funcRef, true))
        }
        if wasm3.on.contains(.exceptions) {
            wasm3.globalInitializers[globals.count] = [0xD0, 0x69]  // ref.null exn
            globals.append((.exnRef, true))
        }
        if wasm3.on.contains(.simd) {
            wasm3.globalInitializers[globals.count] = [0xFD, 12] + vectorConstantBytes()
            globals.append((.v128, true))
        }
    }

    func uleb(_ value: UInt64) -> [UInt8] {
        var writer = ByteWriter()
        writer.u64(value)
        return writer.bytes
    }

    /// How many exports the 3.0 parts add: the extra memories (`mem1`, `mem2`), tables
    /// (`table2`, ...) and the defined tags (`tag1`, ...: tag 0 is the imported `host.tag`).
    var exportCount3: Int { wasm3.memories.count + wasm3.tables.count + wasm3.tags.count - wasm3.importedTags }

    func encodeExports3(_ s: inout ByteWriter) {
        for i in wasm3.memories.indices {
            s.name("mem\(i + 1)"); s.byte(0x02); s.u32(UInt32(i + 1))
        }
        for i in wasm3.tables.indices {
            s.name("table\(i + 2)"); s.byte(0x01); s.u32(UInt32(i + 2))
        }
        for tag in wasm3.importedTags..<wasm3.tags.count {
            s.name("tag\(tag)"); s.byte(0x04); s.u32(UInt32(tag))
        }
    }
}

/// What the 3.0 features add to a module being generated, and their per-function state.
struct Wasm3State {
    /// The features this module uses (empty for a 2.0 module).
    var on: ModuleGenerator.Features = []
    /// Whether the module has exception instructions (with `.exceptions`; without them it
    /// still has tags, exnref values and `host.throw`, and the JIT compiles it).
    var throwing = false
    /// Whether it has the legacy exception instructions too.
    var legacy = false
    /// Function indices of `host.call` and `host.throw`, when imported.
    var hostCall: UInt32?
    var hostThrow: UInt32?

    /// Function types that typed references name (`(ref $t)`), each with a defined function.
    var referenceTargets: [Int] = []

    /// Memories after memory 0.
    var memories: [ExtraMemory] = []
    /// Active segments of those memories (after the passive segment of 2.0).
    var dataSegments: [(memory: Int, offset: [UInt8], bytes: [UInt8])] = []
    /// Offsets of memory 0's segments written as extended constant expressions.
    var dataOffsets: [Int: [UInt8]] = [:]

    /// Tables after the funcref and externref tables of 2.0.
    var tables: [ExtraTable] = []
    /// Element segments after the two of 2.0, encoded.
    var elementSegments: [[UInt8]] = []
    /// Table 0's segment offset as an extended constant expression.
    var tableOffset: [UInt8]?

    /// Initializers (without `end`) that replace the 2.0 ones, by global index.
    var globalInitializers: [Int: [UInt8]] = [:]
    /// Immutable integer globals and their values, for constant expressions to read.
    var knownGlobals: [(index: Int, type: ValType, value: Int64)] = []

    /// Type index of each tag: the imported `host.tag` first.
    var tags: [Int] = []
    var importedTags = 0

    // Per function.
    /// Non-nullable locals not set yet (only while the function's first code sets them).
    var uninitialized: Set<Int> = []
    /// Positions in `labels` of the legacy `catch`/`catch_all` bodies around the code being
    /// generated: what `rethrow` may name.
    var catchLabels: Set<Int> = []
}
