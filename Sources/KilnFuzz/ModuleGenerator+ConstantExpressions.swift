import Kiln

extension ModuleGenerator {
    /// A constant expression of `type` (i32 or i64) whose value is `value`, without its
    /// `end`. With extended constants it is often a small tree of `add`, `sub` and `mul`
    /// over constants and the known immutable globals below `globalsBefore` (an initializer
    /// reads only earlier globals), built backwards from the value so the generator knows
    /// what it computes: segment offsets stay in bounds, and the 2.0 initial values stay.
    mutating func constantExpression(_ type: ValType, _ value: Int64, globalsBefore: Int) -> [UInt8] {
        var writer = ByteWriter()
        constantTree(type, value, globalsBefore: globalsBefore, depth: 0, into: &writer)
        return writer.bytes
    }

    private mutating func constantTree(_ type: ValType, _ value: Int64, globalsBefore: Int, depth: Int, into w: inout ByteWriter) {
        let wide = type == .i64
        func literal(_ v: Int64, _ w: inout ByteWriter) {
            if wide { w.byte(0x42); w.s64(v) } else { w.byte(0x41); w.s32(Int32(truncatingIfNeeded: v)) }
        }
        guard wasm3.on.contains(.extendedConst), depth < 3, random.chance(depth == 0 ? 85 : 45) else {
            literal(value, &w)
            return
        }
        // The arithmetic wraps as wasm's does: modulo 2^64, and the low half is the i32 result.
        let (add, sub, mul): (UInt8, UInt8, UInt8) = wide ? (0x7C, 0x7D, 0x7E) : (0x6A, 0x6B, 0x6C)
        let other = wide ? random.interesting64() : Int64(random.interesting32())
        switch random.int(0...4) {
        case 0:
            constantTree(type, other, globalsBefore: globalsBefore, depth: depth + 1, into: &w)
            constantTree(type, value &- other, globalsBefore: globalsBefore, depth: depth + 1, into: &w)
            w.byte(add)
        case 1:
            constantTree(type, value &+ other, globalsBefore: globalsBefore, depth: depth + 1, into: &w)
            constantTree(type, other, globalsBefore: globalsBefore, depth: depth + 1, into: &w)
            w.byte(sub)
        case 2:
            // value = (value * m⁻¹) * m for an odd m (odd numbers are invertible modulo 2^n).
            let factor = Int64(bitPattern: UInt64(bitPattern: other) | 1)
            constantTree(type, value &* Self.inverse(factor), globalsBefore: globalsBefore, depth: depth + 1, into: &w)
            literal(factor, &w)
            w.byte(mul)
        default:
            let visible = wasm3.knownGlobals.filter { $0.index < globalsBefore && $0.type == type }
            guard let global = random.pickIfAny(visible) else {
                literal(value, &w)
                return
            }
            w.byte(0x23); w.u32(UInt32(global.index))  // global.get
            constantTree(type, value &- global.value, globalsBefore: globalsBefore, depth: depth + 1, into: &w)
            w.byte(add)
        }
    }

    /// The inverse of odd `m` modulo 2^64 (Newton's iteration: each step doubles the bits).
    static func inverse(_ m: Int64) -> Int64 {
        var x = m
        for _ in 0..<6 { x = x &* (2 &- m &* x) }
        return x
    }

    /// Rewrites, with extended constants, some integer globals' initializers and the 2.0
    /// segment offsets as expressions with the same values.
    mutating func declareConstantExpressions() {
        guard wasm3.on.contains(.extendedConst) else { return }
        for (i, global) in globals.enumerated() where wasm3.globalInitializers[i] == nil && random.chance(60) {
            switch global.type {
            case .i32:
                let value = i == Int(stackPointerGlobal) ? 0x8000 : Int64(i * 7 - 3)
                wasm3.globalInitializers[i] = constantExpression(.i32, value, globalsBefore: i)
            case .i64:
                wasm3.globalInitializers[i] = constantExpression(.i64, Int64(i) << 40, globalsBefore: i)
            default: break
            }
        }
        for i in dataSegments.indices where random.chance(70) {
            wasm3.dataOffsets[i] = constantExpression(.i32, Int64(i * 97 + 8), globalsBefore: globals.count)
        }
        if random.chance(70) { wasm3.tableOffset = constantExpression(.i32, 0, globalsBefore: globals.count) }
    }
}
