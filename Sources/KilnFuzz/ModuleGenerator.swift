import Kiln

/// Generates random valid modules, deterministically per seed, for differential runs.
///
/// A module has imported host functions (`host.log`, `host.mix`, and `host.ext`/`host.ext_id`
/// that make and inspect externrefs), a memory with active and passive data segments, a
/// funcref table filled by an element segment, an externref table, mutable globals of every
/// number type and of externref, and 1–6 functions, all exported (`f0`, `f1`, ...; the
/// memory as `mem`, globals as `g0`, ..., the tables as `funcs` and `refs`). Externrefs
/// travel through parameters, results, locals, globals, tables, blocks and `select`, so the
/// reference counts and stack maps of both engines are exercised (`host.log` collects
/// garbage for some values). Bodies are built as typed expression trees over every
/// scalar instruction of WebAssembly 2.0: numeric operators, locals, globals, loads and
/// stores of every width, bulk memory, `memory.size/grow`, `select`, `block`/`loop`/`if`
/// with parameters and results, `br`/`br_if`/`br_table` to any enclosing label, `call`,
/// `call_indirect`, `return`, tail calls (`return_call`, `return_call_indirect`), reference and table instructions (`table.get/set/size/grow/
/// fill/copy/init`, `elem.drop`), and traps on purpose (division by
/// zero, out-of-bounds addresses, `unreachable`, bad indirect calls). Loops have no exit
/// condition guarantee: runs are metered with fuel, so they end.
public struct ModuleGenerator {
    /// Size knobs: the shrinker lowers them to find a smaller failing module.
    public struct Limits: Sendable, Equatable {
        public var functions: Int
        public var statements: Int
        public var depth: Int
        /// Statements (numbered in generation order) whose code is left out. Statements leave
        /// the stack as they found it, so the module stays valid; the random stream is
        /// unchanged (they are generated, then cut), so everything else stays the same.
        public var droppedStatements: Set<Int> = []
        /// Values (numbered likewise) replaced by a zero constant of their type.
        public var zeroedValues: Set<Int> = []

        public init(functions: Int = 6, statements: Int = 8, depth: Int = 5) {
            self.functions = functions
            self.statements = statements
            self.depth = depth
        }
    }

    /// How many statements and values the last `generate()` made: the numbering of
    /// `Limits.droppedStatements` and `Limits.zeroedValues`.
    public private(set) var statementCount = 0
    public private(set) var valueCount = 0

    static let numberTypes: [ValType] = [.i32, .i64, .f32, .f64]
    /// (module, name, params, results) of the host imports.
    static let imports: [(String, String, [ValType], [ValType])] = [
        ("host", "log", [.i32], []),
        ("host", "mix", [.i64, .f64], [.i64]),
        ("host", "ext", [.i32], [.externRef]),
        ("host", "ext_id", [.externRef], [.i32]),
    ]
    static let hostExt: UInt32 = 2
    static let hostExtID: UInt32 = 3
    /// Parameter and result types: numbers, and now and then an externref.
    static let signatureTypes: [ValType] = numberTypes + numberTypes + [.externRef]

    private var random: FuzzRandom
    private let limits: Limits
    private var types: [FuncType] = []
    private var functionTypes: [Int] = []  // type index per function (imports first)
    private var globals: [(type: ValType, mutable: Bool)] = []
    private var dataSegments: [[UInt8]] = []
    private var currentFunction = 0
    /// The global that dispatch loops use as a stack pointer (random statements leave it alone).
    private var stackPointerGlobal: UInt32 = 0
    /// Locals that generated structures rely on: random statements never write them.
    private var reservedLocals: Set<Int> = []

    /// Locals of `type` that random code may write.
    private func writableLocals(_ type: ValType) -> [Int] {
        locals.indices.filter { locals[$0] == type && !reservedLocals.contains($0) }
    }

    // Per function being generated.
    private var locals: [ValType] = []
    private var results: [ValType] = []
    /// Enclosing labels, innermost last: the types a branch to each carries.
    private var labels: [[ValType]] = []
    private var code = ByteWriter()

    public init(seed: UInt64, limits: Limits = Limits()) {
        random = FuzzRandom(seed: seed)
        self.limits = limits
    }

    /// A generator whose choices come from `bytes` first (for libFuzzer: see `FuzzRandom`).
    public init(bytes: [UInt8], limits: Limits = Limits()) {
        random = FuzzRandom(bytes: bytes)
        self.limits = limits
    }

    /// The module's binary.
    public mutating func generate() -> [UInt8] {
        for (_, _, params, results) in Self.imports { functionTypes.append(typeIndex(FuncType(params: params, results: results))) }
        let count = random.int(1...max(1, limits.functions))
        for _ in 0..<count {
            // Now and then more parameters than argument registers (some pass on the stack).
            let params = (0..<(random.chance(15) ? random.int(4...12) : random.int(0...3))).map { _ in random.pick(Self.signatureTypes) }
            let results = (0..<random.pick([0, 1, 1, 1, 2, 3])).map { _ in random.pick(Self.signatureTypes) }
            functionTypes.append(typeIndex(FuncType(params: params, results: results)))
        }
        for _ in 0..<random.int(2...5) { globals.append((random.pick(Self.numberTypes), true)) }
        globals.append((.i32, false))
        // The shadow-stack pointer (as in clang's output), which dispatch loops lower and restore.
        stackPointerGlobal = UInt32(globals.count)
        globals.append((.i32, true))
        for _ in 0..<random.int(0...2) { globals.append((.externRef, true)) }
        for _ in 0..<random.int(1...3) {
            dataSegments.append((0..<random.int(1...24)).map { _ in random.byte() })
        }
        // A few block types with parameters and results, for `block (type n)`.
        for _ in 0..<3 {
            let params = (0..<random.int(0...2)).map { _ in random.pick(Self.signatureTypes) }
            let results = (0..<random.int(0...2)).map { _ in random.pick(Self.signatureTypes) }
            _ = typeIndex(FuncType(params: params, results: results))
        }

        var bodies: [[UInt8]] = []
        for function in Self.imports.count..<functionTypes.count {
            currentFunction = function
            bodies.append(generateBody(types[functionTypes[function]]))
        }
        return encode(bodies)
    }

    private mutating func typeIndex(_ type: FuncType) -> Int {
        if let index = types.firstIndex(of: type) { return index }
        types.append(type)
        return types.count - 1
    }

    private var definedCount: Int { functionTypes.count - Self.imports.count }

    // MARK: Bodies

    private mutating func generateBody(_ type: FuncType) -> [UInt8] {
        // Parameters, then scratch locals of every type (block parameters land there).
        locals = type.params + Self.numberTypes + Self.numberTypes + [.externRef, .externRef]
            + (0..<(random.chance(10) ? random.int(8...40) : random.int(0...3))).map { _ in random.pick(Self.signatureTypes) }
        results = type.results
        labels = [type.results]
        reservedLocals = []
        code = ByteWriter()
        for _ in 0..<random.int(0...limits.statements) { statement(depth: 0) }
        values(type.results, depth: 0)
        code.byte(0x0B)

        var body = ByteWriter()
        let declared = locals[type.params.count...]
        body.u32(UInt32(declared.count))
        for local in declared {
            body.u32(1)
            body.valType(local)
        }
        body.bytes += code.bytes
        return body.bytes
    }

    /// Code that leaves nothing on the stack.
    private mutating func statement(depth: Int) {
        let serial = statementCount
        statementCount += 1
        let start = code.bytes.count
        anyStatement(depth: depth)
        if limits.droppedStatements.contains(serial) { code.bytes.removeSubrange(start...) }
    }

    private mutating func anyStatement(depth: Int) {
        let deep = depth >= limits.depth
        if depth <= 1 && random.chance(6) {
            dispatchLoop(depth: depth)
            return
        }
        switch random.int(0...(deep ? 5 : 13)) {
        case 0:
            let local = random.pick(locals.indices.filter { !reservedLocals.contains($0) })
            value(locals[local], depth: depth + 1)
            code.byte(0x21); code.u32(UInt32(local))
        case 1:
            let mutable = globals.indices.filter { globals[$0].mutable && $0 != Int(stackPointerGlobal) }
            let global = random.pick(mutable)
            value(globals[global].type, depth: depth + 1)
            code.byte(0x24); code.u32(UInt32(global))
        case 2: store(depth: depth)
        case 3:
            // A value, sometimes held on the operand stack while other statements run (so it
            // lives across their calls, blocks and branches), then dropped or stored.
            let type = random.pick(Self.signatureTypes)
            value(type, depth: depth + 1)
            if !deep && random.chance(30) {
                for _ in 0..<random.int(1...2) { statement(depth: depth + 1) }
            }
            if random.chance(50) { code.byte(0x1A) } else { consume([type]) }
        case 4:
            value(.i32, depth: depth + 1)
            code.byte(0x10); code.u32(0)  // host.log
        case 5: bulkMemory(depth: depth)
        case 6, 7:
            // A block, maybe with parameters and results.
            let type = blockType()
            values(type.params, depth: depth + 1)
            code.byte(0x02); blockTypeImmediate(type)
            arm(type, label: type.results, depth: depth)
            code.byte(0x0B)
            dropAll(type.results)
        case 8:
            // A loop: branches to it carry its parameters; fuel ends it.
            let type = blockType()
            values(type.params, depth: depth + 1)
            code.byte(0x03); blockTypeImmediate(type)
            arm(type, label: type.params, depth: depth)
            code.byte(0x0B)
            dropAll(type.results)
        case 9:
            let type = blockType()
            values(type.params, depth: depth + 1)
            value(.i32, depth: depth + 1)
            code.byte(0x04); blockTypeImmediate(type)
            arm(type, label: type.results, depth: depth)
            if type.params != type.results || random.chance(50) {
                code.byte(0x05)
                arm(type, label: type.results, depth: depth)
            }
            code.byte(0x0B)
            dropAll(type.results)
        case 10:
            // A conditional branch out of some enclosing block.
            let label = random.int(0..<labels.count)
            values(labels[labels.count - 1 - label], depth: depth + 1)
            value(.i32, depth: depth + 1)
            code.byte(0x0D); code.u32(UInt32(label))
            dropAll(labels[labels.count - 1 - label])
        case 11 where random.chance(25): tailCall(depth: depth)
        case 11: call(depth: depth, discard: true)
        case 12 where random.chance(35):
            // Writes to the externref table (table 1).
            switch random.int(0...2) {
            case 0:
                refIndex(depth: depth); value(.externRef, depth: depth + 1)
                code.byte(0x26); code.u32(1)  // table.set
            case 1:
                refIndex(depth: depth); value(.externRef, depth: depth + 1); smallCount()
                code.bytes += [0xFC]; code.u32(17); code.u32(1)  // table.fill
            default:
                value(.externRef, depth: depth + 1)
                code.byte(0x41); code.s32(Int32(random.int(0...3)))
                code.bytes += [0xFC]; code.u32(15); code.u32(1)  // table.grow
                code.byte(0x1A)
            }
        case 12 where random.chance(30):
            // Table writes: set, fill, copy, init from a passive element segment, elem.drop.
            switch random.int(0...4) {
            case 0:
                value(.i32, depth: depth + 1); funcRef()
                code.byte(0x26); code.u32(0)  // table.set
            case 1:
                value(.i32, depth: depth + 1); funcRef(); smallCount()
                code.bytes += [0xFC]; code.u32(17); code.u32(0)  // table.fill
            case 2:
                value(.i32, depth: depth + 1); value(.i32, depth: depth + 1); smallCount()
                code.bytes += [0xFC]; code.u32(14); code.u32(0); code.u32(0)  // table.copy
            case 3:
                value(.i32, depth: depth + 1)
                code.byte(0x41); code.s32(Int32(random.int(0...2))); smallCount()
                code.bytes += [0xFC]; code.u32(12); code.u32(1); code.u32(0)  // table.init from segment 1
            default:
                code.bytes += [0xFC]; code.u32(13); code.u32(1)  // elem.drop
            }
        case 12:
            // A trap on purpose now and then.
            if random.chance(15) {
                code.byte(0x00)  // unreachable, in a branch not always taken
            } else {
                value(.i32, depth: depth + 1)
                code.byte(0x1A)
            }
        default:
            value(random.pick(Self.numberTypes), depth: depth + 1)
            code.byte(0x1A)
        }
    }

    /// A local of its own for generated code that needs one (appended to the declared
    /// locals: the body's local declarations are written when it is finished).
    private mutating func newLocal(_ type: ValType) -> UInt32 {
        locals.append(type)
        reservedLocals.insert(locals.count - 1)
        return UInt32(locals.count - 1)
    }

    /// The shape of a bytecode interpreter compiled from C: a frame on the shadow stack (the
    /// stack-pointer global lowered, its address kept in a local across the whole loop), a
    /// loop that decodes an instruction from that frame into several locals, and a
    /// `br_table` over nested blocks whose cases work on the frame through addresses
    /// computed in the loop and branch back to the head, on to the next case, or out.
    /// Many locals are live in registers at the dispatch, and some were cached before the
    /// loop and stay so across its back edges: the register pressure under which a
    /// single-pass compiler's cache of locals must stay consistent with the loop head.
    private mutating func dispatchLoop(depth: Int) {
        let frame = newLocal(.i32), pc = newLocal(.i32), count = newLocal(.i32), word = newLocal(.i32)
        let fields = (0..<random.int(2...7)).map { _ in newLocal(.i32) }
        let wide: UInt32? = random.chance(50) ? newLocal(.i64) : nil
        let frameSize = Int32(random.pick([32, 48, 64]))
        let cases = random.int(2...12)
        func get(_ local: UInt32) { code.byte(0x20); code.u32(local) }
        func set(_ local: UInt32) { code.byte(0x21); code.u32(local) }
        func i32(_ v: Int32) { code.byte(0x41); code.s32(v) }
        /// frame + (field & 7) * 4: a slot of the frame, addressed by a value of the loop.
        func slot(_ local: UInt32) { get(frame); get(local); i32(7); code.byte(0x71); i32(2); code.byte(0x74); code.byte(0x6A) }

        // Prologue: frame = sp - size, sp = frame (as clang's code does), the frame filled.
        code.byte(0x23); code.u32(stackPointerGlobal)
        i32(frameSize); code.byte(0x6B)                       // i32.sub
        code.byte(0x22); code.u32(frame)                     // local.tee: cached in a register
        code.byte(0x24); code.u32(stackPointerGlobal)
        for offset in stride(from: 0, to: Int(frameSize), by: 4) {
            // Instructions: an opcode byte that names a table entry (a case, the head, the
            // exit) and operand bytes; or any value.
            get(frame)
            if random.chance(60) {
                i32(Int32(bitPattern: UInt32(random.int(0...(cases + 3))) | UInt32(random.int(0...0xFFFFFF)) << 8))
            } else {
                value(.i32, depth: depth + 2)
            }
            code.byte(0x36); code.u32(2); code.u32(UInt32(offset))  // i32.store
        }
        // The program counter and the trip count: from constants (as compiled C mostly has
        // them: in their frame slots at the head, in registers after the first iteration) or
        // from values (cached in registers at the head, a loop-carried register each).
        if random.chance(60) { i32(Int32(random.int(0...15))) } else { value(.i32, depth: depth + 2) }
        set(pc)
        if random.chance(60) {
            i32(Int32(random.int(1...40)))
        } else {
            value(.i32, depth: depth + 2); i32(Int32(random.pick([7, 15, 31, 63]))); code.byte(0x71)
        }
        set(count)
        if let wide {
            if random.chance(50) { code.byte(0x42); code.s64(0) } else { value(.i64, depth: depth + 2) }
            set(wide)
        }

        code.byte(0x02); code.byte(0x40)  // block $exit
        code.byte(0x03); code.byte(0x40)  // loop $head
        labels.append([]); labels.append([])
        // Exit test, then decode: word = frame[pc & 7], fields from its bytes.
        get(count); code.byte(0x45); code.byte(0x0D); code.u32(1)    // i32.eqz, br_if $exit
        get(count); i32(1); code.byte(0x6B); set(count)
        slot(pc); code.byte(0x28); code.u32(2); code.u32(0); set(word)
        for (i, field) in fields.enumerated() {
            get(word); i32(Int32(8 * (i % 4))); code.byte(0x76)     // i32.shr_u
            if random.chance(50) { i32(0xFF); code.byte(0x71) }
            set(field)
        }
        // pc = pc * 5 + 1 + field0 (keeps it moving through the frame).
        get(pc); i32(5); code.byte(0x6C); i32(1); code.byte(0x6A); get(fields[0]); code.byte(0x6A); set(pc)
        if random.chance(30) { statement(depth: depth + 2) }

        for _ in 0..<cases { code.byte(0x02); code.byte(0x40); labels.append([]) }
        // br_table over the cases (depth i is case i), the loop head (cases) and $exit (cases + 1).
        get(random.chance(70) ? word : random.pick(fields)); i32(0xFF); code.byte(0x71)
        if random.chance(40) { i32(Int32(cases + 2)); code.byte(0x70) }  // i32.rem_u: mostly in the table
        code.byte(0x0E)
        // Entries: cases, and now and then the head (a `continue` in C) or the exit.
        let entries = cases + random.int(0...4)
        code.u32(UInt32(entries))
        for _ in 0..<entries {
            switch random.int(0...9) {
            case 0, 1: code.u32(UInt32(cases))
            case 2: code.u32(UInt32(cases + 1))
            default: code.u32(UInt32(random.int(0..<cases)))
            }
        }
        code.u32(UInt32(random.pick([cases, cases + 1, random.int(0..<cases)])))
        for i in 0..<cases {
            code.byte(0x0B)  // end of the block of case i: its code follows
            labels.removeLast()
            let inner = cases - 1 - i  // blocks still open around this case
            // The case's work: frame[fa] = frame[fb] op fc, or through the wide accumulator.
            let (a, b, c) = (random.pick(fields), random.pick(fields), random.pick(fields))
            slot(a)
            slot(b); code.byte(0x28); code.u32(2); code.u32(0)
            get(c)
            code.byte(random.pick([0x6A, 0x6B, 0x6C, 0x71, 0x72, 0x73, 0x74, 0x76, 0x77] as [UInt8]))
            code.byte(0x36); code.u32(2); code.u32(0)
            if let wide, random.chance(50) {
                get(wide); get(c); code.byte(0xAD); code.byte(0x7C); set(wide)  // i64.extend_i32_u, i64.add
            }
            if random.chance(35) {
                // A conditional way out or back, with the rest of the case after it.
                slot(c); code.byte(0x28); code.u32(2); code.u32(0)
                code.byte(0x0D); code.u32(UInt32(random.chance(50) ? inner : inner + 1))
            }
            if random.chance(25) { statement(depth: depth + 2) }
            if random.chance(40) { get(random.pick(fields)); set(random.pick(fields)) }
            // Back to the head (most cases), on to the next case, or out of the loop.
            switch random.int(0...9) {
            case 0 where i < cases - 1: break
            case 1: code.byte(0x0C); code.u32(UInt32(inner + 1))
            default: code.byte(0x0C); code.u32(UInt32(inner))
            }
        }
        labels.removeLast(); labels.removeLast()
        code.byte(0x0B)  // end loop
        code.byte(0x0B)  // end block $exit
        // Epilogue: a result of the frame for the host to see, and sp restored.
        slot(pc); code.byte(0x28); code.u32(2); code.u32(0)
        code.byte(0x10); code.u32(0)  // host.log
        if let wide { get(wide); code.byte(0xA7); code.byte(0x10); code.u32(0) }  // i32.wrap_i64
        get(frame); i32(frameSize); code.byte(0x6A)
        code.byte(0x24); code.u32(stackPointerGlobal)
    }

    private mutating func blockType() -> FuncType {
        switch random.int(0...3) {
        case 0: return FuncType(params: [], results: [])
        case 1: return FuncType(params: [], results: [random.pick(Self.numberTypes)])
        default: return random.pick(types)  // with parameters and several results
        }
    }

    private mutating func blockTypeImmediate(_ type: FuncType) {
        if type.params.isEmpty && type.results.isEmpty {
            code.byte(0x40)
        } else if type.params.isEmpty && type.results.count == 1 {
            code.valType(type.results[0])
        } else {
            code.s64(Int64(typeIndex(type)))
        }
    }

    /// The inside of a block, loop or `if` arm, up to its `end` or `else`: stores the
    /// parameters away, runs statements, and leaves the results (or branches with them).
    private mutating func arm(_ type: FuncType, label: [ValType], depth: Int) {
        // The parameters are stored away first, or stay on the operand stack under the
        // arm's statements and are stored after them.
        let keepParameters = !type.params.isEmpty && random.chance(40)
        if !keepParameters { consume(type.params) }
        labels.append(label)
        for _ in 0..<random.int(0...max(1, limits.statements / 2)) { statement(depth: depth + 1) }
        if keepParameters { consume(type.params) }
        let candidates = labels.indices.filter { labels[$0] == type.results }.map { labels.count - 1 - $0 }
        if random.chance(10), !candidates.isEmpty {
            // br_table to enclosing labels that take this arm's results.
            values(type.results, depth: depth + 1)
            value(.i32, depth: depth + 1)
            code.byte(0x0E)
            // Long tables now and then: many entries naming the same few targets.
            let count = random.chance(15) ? random.int(4...40) : random.int(0...3)
            code.u32(UInt32(count))
            for _ in 0..<count { code.u32(UInt32(random.pick(candidates))) }
            code.u32(UInt32(random.pick(candidates)))
        } else {
            values(type.results, depth: depth + 1)
        }
        labels.removeLast()
    }

    /// Stores the parameters a block starts with into scratch locals.
    private mutating func consume(_ types: [ValType]) {
        for type in types.reversed() {
            let candidates = writableLocals(type)
            code.byte(0x21); code.u32(UInt32(random.pick(candidates)))
        }
    }

    private mutating func dropAll(_ types: [ValType]) {
        for _ in types { code.byte(0x1A) }
    }

    private mutating func values(_ types: [ValType], depth: Int) {
        for type in types { value(type, depth: depth) }
    }

    // MARK: Values

    /// Code that pushes one value of `type`.
    private mutating func value(_ type: ValType, depth: Int) {
        let serial = valueCount
        valueCount += 1
        let start = code.bytes.count
        anyValue(type, depth: depth)
        if limits.zeroedValues.contains(serial) {
            code.bytes.removeSubrange(start...)
            switch type {
            case .i32: code.byte(0x41); code.s32(0)
            case .i64: code.byte(0x42); code.s64(0)
            case .f32: code.byte(0x43); code.f32(0)
            case .f64: code.byte(0x44); code.f64(0)
            default: code.byte(0xD0); code.byte(0x6F)
            }
        }
    }

    private mutating func anyValue(_ type: ValType, depth: Int) {
        if depth >= limits.depth {
            leaf(type)
            return
        }
        // References come from no numeric operator or load: from the host and the table
        // (16, 17) instead, besides the structural cases every type shares.
        let choice = type == .externRef ? random.pick([0, 1, 6, 7, 8, 9, 10, 13, 14, 16, 16, 17]) : random.int(0...15)
        switch choice {
        case 16:
            value(.i32, depth: depth + 1)
            code.byte(0x10); code.u32(Self.hostExt)
        case 17:
            refIndex(depth: depth)
            code.byte(0x25); code.u32(1)  // table.get (may trap out of bounds)
        case 0, 1: leaf(type)
        case 2, 3, 4: numeric(type, depth: depth)
        case 5: load(type, depth: depth)
        case 6:
            // select, typed or not
            value(type, depth: depth + 1)
            value(type, depth: depth + 1)
            value(.i32, depth: depth + 1)
            if type != .externRef && random.chance(50) { code.byte(0x1B) } else { code.byte(0x1C); code.u32(1); code.valType(type) }
        case 7:
            // A block producing the value, with statements first.
            code.byte(0x02); code.valType(type)
            labels.append([type])
            for _ in 0..<random.int(0...2) { statement(depth: depth + 1) }
            value(type, depth: depth + 1)
            labels.removeLast()
            code.byte(0x0B)
        case 8:
            value(.i32, depth: depth + 1)
            code.byte(0x04); code.valType(type)
            labels.append([type])
            value(type, depth: depth + 1)
            code.byte(0x05)
            value(type, depth: depth + 1)
            labels.removeLast()
            code.byte(0x0B)
        case 9:
            // local.tee
            let candidates = writableLocals(type)
            value(type, depth: depth + 1)
            code.byte(0x22); code.u32(UInt32(random.pick(candidates)))
        case 10:
            if !call(depth: depth, returning: type) { leaf(type) }
        case 11 where type == .i32 && random.chance(25):
            // Looking at externrefs: null or not, which one, the table's size.
            switch random.int(0...2) {
            case 0:
                value(.externRef, depth: depth + 1)
                code.byte(0xD1)  // ref.is_null
            case 1:
                value(.externRef, depth: depth + 1)
                code.byte(0x10); code.u32(Self.hostExtID)
            default:
                code.bytes += [0xFC]; code.u32(16); code.u32(1)  // table.size
            }
        case 11 where type == .i32 && random.chance(40):
            // Table instructions (the table holds funcrefs; entries may become null).
            switch random.int(0...2) {
            case 0:
                code.bytes += [0xFC]; code.u32(16); code.u32(0)  // table.size
            case 1:
                value(.i32, depth: depth + 1)
                code.byte(0x25); code.u32(0)  // table.get
                code.byte(0xD1)  // ref.is_null
            default:
                funcRef()
                code.byte(0x41); code.s32(Int32(random.int(0...2)))
                code.bytes += [0xFC]; code.u32(15); code.u32(0)  // table.grow
            }
        case 11 where type == .i32:
            switch random.int(0...3) {
            case 0: code.byte(0x3F); code.byte(0)  // memory.size
            case 1:
                value(.i32, depth: depth + 1)
                code.bytes += [0x40, 0]  // memory.grow
            case 2:
                code.byte(0xD0); code.byte(0x70)  // ref.null func
                code.byte(0xD1)  // ref.is_null
            default:
                code.byte(0xD2); code.u32(UInt32(Self.imports.count + random.int(0..<definedCount)))  // ref.func
                code.byte(0xD1)
            }
        case 12 where type == .i64:
            value(.i64, depth: depth + 1)
            value(.f64, depth: depth + 1)
            code.byte(0x10); code.u32(1)  // host.mix
        case 13:
            // A branch out of an enclosing label carrying values: the rest is unreachable.
            if random.chance(25), let label = random.pickIfAny(labels.indices) {
                let depthIndex = labels.count - 1 - label
                values(labels[label], depth: depth + 1)
                code.byte(0x0C); code.u32(UInt32(depthIndex))
            } else {
                leaf(type)
            }
        case 14:
            if random.chance(20) {
                values(results, depth: depth + 1)
                code.byte(0x0F)  // return
            } else {
                leaf(type)
            }
        default: numeric(type, depth: depth)
        }
    }

    private mutating func leaf(_ type: ValType) {
        let candidates = locals.indices.filter { locals[$0] == type }
        if type == .externRef && random.chance(25) {
            code.byte(0xD0); code.byte(0x6F)  // ref.null extern
            return
        }
        switch random.int(0...3) {
        case 0 where !candidates.isEmpty:
            code.byte(0x20); code.u32(UInt32(random.pick(candidates)))
        case 1:
            let matching = globals.indices.filter { globals[$0].type == type }
            if let global = random.pickIfAny(matching) {
                code.byte(0x23); code.u32(UInt32(global))
            } else {
                constant(type)
            }
        default: constant(type)
        }
    }

    private mutating func constant(_ type: ValType) {
        switch type {
        case .externRef: code.byte(0xD0); code.byte(0x6F)
        case .i32: code.byte(0x41); code.s32(random.interesting32())
        case .i64: code.byte(0x42); code.s64(random.interesting64())
        case .f32: code.byte(0x43); code.f32(random.interestingF32())
        default: code.byte(0x44); code.f64(random.interestingF64())
        }
    }

    private static let operators: [ValType: [NumericOp]] = Dictionary(grouping: NumericOp.allCases) { $0.signature.result }

    private mutating func numeric(_ type: ValType, depth: Int) {
        let op = random.pick(Self.operators[type]!)
        let signature = op.signature
        value(signature.operands.0, depth: depth + 1)
        if op == .i32ReinterpretF32 || op == .i64ReinterpretF64 { canonicalizeNaN(signature.operands.0) }
        if let second = signature.operands.1 {
            value(second, depth: depth + 1)
            // copysign shows the sign of its second operand, and a NaN's sign is left open
            // by arithmetic (as its payload is): the engines may differ there.
            if op == .f32Copysign || op == .f64Copysign { canonicalizeNaN(second) }
        }
        if op.rawValue >= 0xFC00 {
            code.byte(0xFC); code.u32(UInt32(op.rawValue & 0xFF))
        } else {
            code.byte(UInt8(op.rawValue))
        }
    }

    /// Replaces a NaN on top of the stack by the canonical one. The bits of a NaN that
    /// arithmetic produces are nondeterministic (the spec allows any sign and payload), so
    /// they must not reach memory or integers, where the comparison sees every bit.
    private mutating func canonicalizeNaN(_ type: ValType) {
        let scratch = locals.indices.last { locals[$0] == type }!
        code.byte(0x21); code.u32(UInt32(scratch))  // local.set
        if type == .f32 { code.byte(0x43); code.f32(.nan) } else { code.byte(0x44); code.f64(.nan) }
        code.byte(0x20); code.u32(UInt32(scratch))
        code.byte(0x20); code.u32(UInt32(scratch))
        code.byte(0x20); code.u32(UInt32(scratch))
        code.byte(type == .f32 ? 0x5C : 0x62)  // f32.ne / f64.ne: true for NaN
        code.byte(0x1B)  // select
    }

    /// An address: mostly in the first page, sometimes anywhere (to trap).
    private mutating func address(depth: Int) {
        if random.chance(96) {
            code.byte(0x41); code.s32(Int32(random.int(0...4096)))
            if random.chance(50) {
                value(.i32, depth: depth + 1)
                code.byte(0x41); code.s32(0xFF)
                code.byte(0x71)  // i32.and
                code.byte(0x6A)  // i32.add
            }
        } else {
            value(.i32, depth: depth + 1)
        }
    }

    private mutating func memArg(maxAlign: Int) {
        code.u32(UInt32(random.int(0...maxAlign)))
        code.u32(UInt32(random.chance(97) ? random.int(0...16) : random.int(0...70_000)))
    }

    private mutating func load(_ type: ValType, depth: Int) {
        address(depth: depth)
        switch type {
        case .i32:
            let (op, align) = random.pick([(0x28, 2), (0x2C, 0), (0x2D, 0), (0x2E, 1), (0x2F, 1)] as [(UInt8, Int)])
            code.byte(op); memArg(maxAlign: align)
        case .i64:
            let (op, align) = random.pick([(0x29, 3), (0x30, 0), (0x31, 0), (0x32, 1), (0x33, 1), (0x34, 2), (0x35, 2)] as [(UInt8, Int)])
            code.byte(op); memArg(maxAlign: align)
        case .f32: code.byte(0x2A); memArg(maxAlign: 2)
        default: code.byte(0x2B); memArg(maxAlign: 3)
        }
    }

    private mutating func store(depth: Int) {
        address(depth: depth)
        let type = random.pick(Self.numberTypes)
        value(type, depth: depth + 1)
        if type == .f32 || type == .f64 { canonicalizeNaN(type) }
        switch type {
        case .i32:
            let (op, align) = random.pick([(0x36, 2), (0x3A, 0), (0x3B, 1)] as [(UInt8, Int)])
            code.byte(op); memArg(maxAlign: align)
        case .i64:
            let (op, align) = random.pick([(0x37, 3), (0x3C, 0), (0x3D, 1), (0x3E, 2)] as [(UInt8, Int)])
            code.byte(op); memArg(maxAlign: align)
        case .f32: code.byte(0x38); memArg(maxAlign: 2)
        default: code.byte(0x39); memArg(maxAlign: 3)
        }
    }

    private mutating func bulkMemory(depth: Int) {
        switch random.int(0...3) {
        case 0:  // memory.fill d v n
            address(depth: depth); value(.i32, depth: depth + 1); smallCount()
            code.byte(0xFC); code.u32(11); code.byte(0)
        case 1:  // memory.copy d s n
            address(depth: depth); address(depth: depth); smallCount()
            code.byte(0xFC); code.u32(10); code.bytes += [0, 0]
        case 2:  // memory.init (passive segment 0) d s n
            address(depth: depth); code.byte(0x41); code.s32(Int32(random.int(0...4))); smallCount()
            code.byte(0xFC); code.u32(8); code.u32(UInt32(dataSegments.count)); code.byte(0)
        default:
            code.byte(0xFC); code.u32(9); code.u32(UInt32(dataSegments.count))  // data.drop
        }
    }

    /// An index into the externref table: mostly in bounds (it starts with 4 elements).
    private mutating func refIndex(depth: Int) {
        if random.chance(85) {
            code.byte(0x41); code.s32(Int32(random.int(0...5)))
        } else {
            value(.i32, depth: depth + 1)
        }
    }

    /// A funcref: null or a defined function.
    private mutating func funcRef() {
        if random.chance(30) {
            code.byte(0xD0); code.byte(0x70)
        } else {
            code.byte(0xD2); code.u32(UInt32(Self.imports.count + random.int(0..<definedCount)))
        }
    }

    private mutating func smallCount() {
        code.byte(0x41); code.s32(random.chance(90) ? Int32(random.int(0...64)) : random.interesting32())
    }

    /// A call: direct, or indirect through the table (sometimes to a bad index or type).
    /// With `returning`, only to functions whose single result is that type.
    @discardableResult
    private mutating func call(depth: Int, discard: Bool = false, returning: ValType? = nil) -> Bool {
        // Calls go to later functions only, so most calls terminate without exhausting the
        // stack (whose depth differs between the engines and ends the comparison).
        let defined = (currentFunction + 1)..<functionTypes.count
        let candidates = defined.filter { function in
            guard let returning else { return true }
            return types[functionTypes[function]].results == [returning]
        }
        guard let function = random.pickIfAny(candidates) else { return false }
        let type = types[functionTypes[function]]
        values(type.params, depth: depth + 1)
        if random.chance(30) {
            // call_indirect: the table holds every defined function in order.
            if random.chance(85) {
                code.byte(0x41); code.s32(Int32(function - Self.imports.count))
            } else {
                value(.i32, depth: depth + 1)
            }
            code.byte(0x11); code.u32(UInt32(functionTypes[function])); code.u32(0)
        } else {
            code.byte(0x10); code.u32(UInt32(function))
        }
        if discard { dropAll(type.results) }
        return true
    }

    /// A tail call under a condition (`if` ... `return_call` ... `end`): `return_call`, or
    /// `return_call_indirect` through the table (sometimes to a bad index or type), to an
    /// import, this function or a later one whose results are this function's. Calling
    /// itself or a later function keeps the call depth bounded as `call` does; a chain
    /// that never ends runs out of fuel.
    private mutating func tailCall(depth: Int) {
        let candidates = functionTypes.indices.filter { function in
            (function < Self.imports.count || function >= currentFunction) && types[functionTypes[function]].results == results
        }
        guard let function = random.pickIfAny(candidates) else { return }
        let type = types[functionTypes[function]]
        value(.i32, depth: depth + 1)
        code.byte(0x04); code.byte(0x40)  // if
        labels.append([])
        values(type.params, depth: depth + 1)
        if function >= Self.imports.count && random.chance(30) {
            if random.chance(85) {
                code.byte(0x41); code.s32(Int32(function - Self.imports.count))
            } else {
                value(.i32, depth: depth + 1)
            }
            code.byte(0x13); code.u32(UInt32(functionTypes[function])); code.u32(0)
        } else {
            code.byte(0x12); code.u32(UInt32(function))
        }
        labels.removeLast()
        code.byte(0x0B)
    }

    // MARK: Encoding

    private func encode(_ bodies: [[UInt8]]) -> [UInt8] {
        var module = ByteWriter()
        module.bytes = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]
        module.section(1) { s in
            s.u32(UInt32(types.count))
            for type in types {
                s.byte(0x60)
                s.u32(UInt32(type.params.count)); for p in type.params { s.valType(p) }
                s.u32(UInt32(type.results.count)); for r in type.results { s.valType(r) }
            }
        }
        module.section(2) { s in
            s.u32(UInt32(Self.imports.count))
            for (i, (module, name, _, _)) in Self.imports.enumerated() {
                s.name(module); s.name(name); s.byte(0x00); s.u32(UInt32(functionTypes[i]))
            }
        }
        module.section(3) { s in
            s.u32(UInt32(definedCount))
            for type in functionTypes[Self.imports.count...] { s.u32(UInt32(type)) }
        }
        module.section(4) { s in
            s.u32(2)
            s.byte(0x70); s.byte(0x01); s.u32(UInt32(definedCount)); s.u32(UInt32(definedCount + 4))
            s.byte(0x6F); s.byte(0x01); s.u32(4); s.u32(12)
        }
        module.section(5) { s in
            s.u32(1); s.byte(0x01); s.u32(1); s.u32(4)
        }
        module.section(6) { s in
            s.u32(UInt32(globals.count))
            for (i, global) in globals.enumerated() {
                s.valType(global.type); s.byte(global.mutable ? 1 : 0)
                switch global.type {
                case .i32: s.byte(0x41); s.s32(i == Int(stackPointerGlobal) ? 0x8000 : Int32(i * 7 - 3))
                case .i64: s.byte(0x42); s.s64(Int64(i) << 40)
                case .f32: s.byte(0x43); s.f32(Float(i) + 0.5)
                case .externRef: s.byte(0xD0); s.byte(0x6F)
                default: s.byte(0x44); s.f64(Double(i) * -1.25)
                }
                s.byte(0x0B)
            }
        }
        module.section(7) { s in
            s.u32(UInt32(definedCount + 3 + globals.count))
            for i in 0..<definedCount {
                s.name("f\(i)"); s.byte(0x00); s.u32(UInt32(Self.imports.count + i))
            }
            s.name("mem"); s.byte(0x02); s.u32(0)
            s.name("funcs"); s.byte(0x01); s.u32(0)
            s.name("refs"); s.byte(0x01); s.u32(1)
            for i in globals.indices {
                s.name("g\(i)"); s.byte(0x03); s.u32(UInt32(i))
            }
        }
        module.section(9) { s in
            s.u32(2)
            s.u32(0)  // active, table 0, at 0: every defined function
            s.byte(0x41); s.s32(0); s.byte(0x0B)
            s.u32(UInt32(definedCount))
            for i in 0..<definedCount { s.u32(UInt32(Self.imports.count + i)) }
            s.u32(1); s.byte(0x00)  // passive funcref segment 1, for table.init
            s.u32(UInt32(definedCount))
            for i in (0..<definedCount).reversed() { s.u32(UInt32(Self.imports.count + i)) }
        }
        module.section(12) { s in s.u32(UInt32(dataSegments.count + 1)) }
        module.section(10) { s in
            s.u32(UInt32(bodies.count))
            for body in bodies {
                s.u32(UInt32(body.count)); s.bytes += body
            }
        }
        module.section(11) { s in
            s.u32(UInt32(dataSegments.count + 1))
            for (i, segment) in dataSegments.enumerated() {
                s.u32(0); s.byte(0x41); s.s32(Int32(i * 97 + 8)); s.byte(0x0B)
                s.u32(UInt32(segment.count)); s.bytes += segment
            }
            // The passive segment memory.init uses.
            s.u32(1); s.u32(8); s.bytes += [1, 2, 3, 4, 5, 6, 7, 8]
        }
        return module.bytes
    }
}
