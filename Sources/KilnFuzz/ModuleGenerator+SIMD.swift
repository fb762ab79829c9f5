import Kiln

/// SIMD (`Features.simd`): v128 parameters, results, locals and a global; every SIMD
/// opcode of 2.0 and relaxed SIMD, with operands from any generated value; lane indices
/// and shuffle lanes often at their limits; every load, store and lane access form.
///
/// The spec leaves the bits of a NaN that float arithmetic produces open (sign and
/// payload), and the engines may differ there: every f32x4/f64x2 result that may hold such
/// a NaN is made canonical (lane by lane, with `bitselect`) before anything can see its
/// bits. Relaxed SIMD is deterministic in Kiln in each flavor (both engines implement the
/// same choice, `Config.relaxedSIMDDeterministic` or the host ISA's; the runner tries both).
extension ModuleGenerator {
    /// The v128 scratch local (for NaN canonicalization): the last v128 local.
    var vectorScratch: UInt32 { UInt32(locals.indices.last { locals[$0] == .v128 }!) }

    /// A v128 value made with SIMD instructions (`value(.v128)` also gets the structural
    /// cases every type has: locals, globals, blocks, select, calls, branches).
    mutating func simdValue(depth: Int) {
        if depth >= limits.depth {
            vectorLeaf()
            return
        }
        switch random.int(0...11) {
        case 0: vectorConstant()
        case 1:
            let op = random.pick([SIMDOp.i8x16Splat, .i16x8Splat, .i32x4Splat, .i64x2Splat, .f32x4Splat, .f64x2Splat])
            guard case .splat(let type) = op.shape else { preconditionFailure("not a splat") }
            value(type, depth: depth + 1)
            simd(op)
            if type == .f32 || type == .f64 { canonicalizeVector(type) }
        case 2, 3, 4, 5:
            let op = random.pick(Self.vectorOperations)
            switch op.shape {
            case .unary: value(.v128, depth: depth + 1)
            case .binary: value(.v128, depth: depth + 1); value(.v128, depth: depth + 1)
            case .ternary: value(.v128, depth: depth + 1); value(.v128, depth: depth + 1); value(.v128, depth: depth + 1)
            case .shift:
                value(.v128, depth: depth + 1)
                if random.chance(50) { code.byte(0x41); code.s32(Int32(random.pick([0, 1, 7, 8, 15, 16, 31, 32, 63, 64, 65, -1]))) } else { value(.i32, depth: depth + 1) }
            case .test, .splat: preconditionFailure("not a vector operation")
            }
            simd(op)
            if let float = Self.floatResult(op) { canonicalizeVector(float) }
        case 6:
            // replace_lane
            let (op, scalar): (UInt32, ValType) = random.pick([(23, .i32), (26, .i32), (28, .i32), (30, .i64), (32, .f32), (34, .f64)])
            let lanes: [UInt32: Int] = [23: 16, 26: 8, 28: 4, 30: 2, 32: 4, 34: 2]
            value(.v128, depth: depth + 1)
            value(scalar, depth: depth + 1)
            code.byte(0xFD); code.u32(op); code.byte(lane(lanes[op]!))
            if scalar == .f32 || scalar == .f64 { canonicalizeVector(scalar) }
        case 7:
            value(.v128, depth: depth + 1)
            value(.v128, depth: depth + 1)
            code.byte(0xFD); code.u32(13)
            for _ in 0..<16 { code.byte(random.chance(40) ? random.pick([0, 15, 16, 31]) : UInt8(random.int(0...31))) }
        case 8, 9:
            vectorLoad(depth: depth)
        case 10:
            // load_lane
            let width = random.int(0...3)
            address(depth: depth)
            value(.v128, depth: depth + 1)
            code.byte(0xFD); code.u32(UInt32(84 + width)); memArg(maxAlign: width)
            code.byte(lane(16 >> width))
        default: vectorLeaf()
        }
    }

    /// A scalar of `type` read out of a vector: a lane, or for i32 a test or bitmask. Nil
    /// (nothing written) when the module has no SIMD.
    mutating func scalarFromVector(_ type: ValType, depth: Int) -> Bool {
        guard wasm3.on.contains(.simd), type.isNumeric, depth < limits.depth, random.chance(30) else { return false }
        value(.v128, depth: depth + 1)
        switch type {
        case .i32:
            if random.chance(40) {
                simd(random.pick([.v128AnyTrue, .i8x16AllTrue, .i16x8AllTrue, .i32x4AllTrue, .i64x2AllTrue,
                                  .i8x16Bitmask, .i16x8Bitmask, .i32x4Bitmask, .i64x2Bitmask]))
            } else {
                let (op, lanes): (UInt32, Int) = random.pick([(21, 16), (22, 16), (24, 8), (25, 8), (27, 4)])
                code.byte(0xFD); code.u32(op); code.byte(lane(lanes))
            }
        case .i64: code.byte(0xFD); code.u32(29); code.byte(lane(2))
        case .f32: code.byte(0xFD); code.u32(31); code.byte(lane(4))
        default: code.byte(0xFD); code.u32(33); code.byte(lane(2))
        }
        return true
    }

    /// A SIMD store statement: a whole vector or one lane.
    mutating func vectorStore(depth: Int) {
        address(depth: depth)
        value(.v128, depth: depth + 1)
        if random.chance(50) {
            code.byte(0xFD); code.u32(11); memArg(maxAlign: 4)
        } else {
            let width = random.int(0...3)
            code.byte(0xFD); code.u32(UInt32(88 + width)); memArg(maxAlign: width)
            code.byte(lane(16 >> width))
        }
    }

    mutating func vectorLoad(depth: Int) {
        address(depth: depth)
        let op = random.pick(SIMDLoadOp.allCases)
        code.byte(0xFD); code.u32(UInt32(op.rawValue)); memArg(maxAlign: Int(op.naturalAlignment))
    }

    mutating func vectorLeaf() {
        let candidates = locals.indices.filter { locals[$0] == .v128 }
        if random.chance(50), let local = random.pickIfAny(candidates) {
            code.byte(0x20); code.u32(UInt32(local))
        } else if random.chance(30), let global = random.pickIfAny(globals.indices.filter { globals[$0].type == .v128 }) {
            code.byte(0x23); code.u32(UInt32(global))
        } else {
            vectorConstant()
        }
    }

    /// `v128.const` with lanes from the interesting values of some shape.
    mutating func vectorConstant() {
        code.byte(0xFD); code.u32(12)
        code.bytes += vectorConstantBytes()
    }

    mutating func vectorConstantBytes() -> [UInt8] {
        var writer = ByteWriter()
        switch random.int(0...5) {
        case 0: return [UInt8](repeating: random.pick([0, 0xFF, 0x80, 0x7F]), count: 16)
        case 1: for _ in 0..<16 { writer.byte(random.byte()) }
        case 2: for _ in 0..<4 { writer.f32(random.interestingF32()) }
        case 3: for _ in 0..<2 { writer.f64(random.interestingF64()) }
        case 4:
            for _ in 0..<4 {
                let v = UInt32(bitPattern: random.interesting32())
                writer.bytes += [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 24)]
            }
        default:
            for _ in 0..<8 {
                let v = UInt16(truncatingIfNeeded: random.interesting32())
                writer.bytes += [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8)]
            }
        }
        return writer.bytes
    }

    /// A lane index: often the first or the last.
    mutating func lane(_ count: Int) -> UInt8 {
        switch random.int(0...3) {
        case 0: 0
        case 1: UInt8(count - 1)
        default: UInt8(random.int(0..<count))
        }
    }

    mutating func simd(_ op: SIMDOp) {
        code.byte(0xFD); code.u32(UInt32(op.rawValue))
    }

    /// Replaces every NaN lane of the vector on top by the canonical NaN of its shape, and
    /// leaves the canonical vector in the scratch local too.
    mutating func canonicalizeVector(_ type: ValType) {
        let scratch = vectorScratch
        code.byte(0x21); code.u32(scratch)  // local.set
        code.byte(0xFD); code.u32(12)
        var nan = ByteWriter()
        if type == .f32 { for _ in 0..<4 { nan.f32(.nan) } } else { for _ in 0..<2 { nan.f64(.nan) } }
        code.bytes += nan.bytes
        code.byte(0x20); code.u32(scratch)
        code.byte(0x20); code.u32(scratch)
        code.byte(0x20); code.u32(scratch)
        simd(type == .f32 ? .f32x4Ne : .f64x2Ne)  // all ones in the NaN lanes
        simd(.v128Bitselect)  // the NaN where the mask is set, the value elsewhere
        // The scratch must not keep the raw vector: random code reads v128 locals, and any
        // integer view of it (a lane, a store, a shuffle) would show the open NaN bits.
        code.byte(0x22); code.u32(scratch)  // local.tee
    }

    /// Every SIMD operation producing a vector from vectors (and a shift count).
    static let vectorOperations: [SIMDOp] = SIMDOp.allCases.filter {
        switch $0.shape {
        case .unary, .binary, .ternary, .shift: true
        case .test, .splat: false
        }
    }

    /// The float shape of an operation whose result lanes may be NaNs made by arithmetic.
    static func floatResult(_ op: SIMDOp) -> ValType? {
        let name = "\(op)"
        // Comparisons give integer masks; abs and neg only touch the sign bit (the spec
        // fixes their result bits).
        for suffix in ["Eq", "Ne", "Lt", "Gt", "Le", "Ge", "Abs", "Neg"] where name.hasSuffix(suffix) { return nil }
        if name.hasPrefix("f32x4") { return .f32 }
        if name.hasPrefix("f64x2") { return .f64 }
        return nil
    }
}
