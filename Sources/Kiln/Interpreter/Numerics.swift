/// WebAssembly's numeric semantics where Swift's operators differ: traps on division and
/// conversion, NaN-propagating min/max, sign-bit operations that keep NaN payloads.
enum Numerics {
    @inline(__always)
    static func divS<T: FixedWidthInteger & SignedInteger>(_ a: T, _ b: T) throws(Trap) -> T {
        if b == 0 { throw Trap(.integerDivisionByZero) }
        if a == T.min && b == -1 { throw Trap(.integerOverflow) }
        return a / b
    }

    @inline(__always)
    static func divU<T: FixedWidthInteger & UnsignedInteger>(_ a: T, _ b: T) throws(Trap) -> T {
        if b == 0 { throw Trap(.integerDivisionByZero) }
        return a / b
    }

    @inline(__always)
    static func remS<T: FixedWidthInteger & SignedInteger>(_ a: T, _ b: T) throws(Trap) -> T {
        if b == 0 { throw Trap(.integerDivisionByZero) }
        if b == -1 { return 0 }  // T.min % -1 overflows in Swift; the result is 0.
        return a % b
    }

    @inline(__always)
    static func remU<T: FixedWidthInteger & UnsignedInteger>(_ a: T, _ b: T) throws(Trap) -> T {
        if b == 0 { throw Trap(.integerDivisionByZero) }
        return a % b
    }

    // abs, neg and copysign only touch the sign bit, NaN or not.
    @inline(__always) static func abs(_ a: Float) -> Float { Float(bitPattern: a.bitPattern & 0x7FFF_FFFF) }
    @inline(__always) static func abs(_ a: Double) -> Double { Double(bitPattern: a.bitPattern & 0x7FFF_FFFF_FFFF_FFFF) }
    @inline(__always) static func neg(_ a: Float) -> Float { Float(bitPattern: a.bitPattern ^ 0x8000_0000) }
    @inline(__always) static func neg(_ a: Double) -> Double { Double(bitPattern: a.bitPattern ^ 0x8000_0000_0000_0000) }
    @inline(__always) static func copysign(_ a: Float, _ b: Float) -> Float {
        Float(bitPattern: (a.bitPattern & 0x7FFF_FFFF) | (b.bitPattern & 0x8000_0000))
    }
    @inline(__always) static func copysign(_ a: Double, _ b: Double) -> Double {
        Double(bitPattern: (a.bitPattern & 0x7FFF_FFFF_FFFF_FFFF) | (b.bitPattern & 0x8000_0000_0000_0000))
    }

    /// min with NaN propagation and -0 < +0.
    @inline(__always)
    static func min<F: BinaryFloatingPoint>(_ a: F, _ b: F) -> F {
        if a.isNaN || b.isNaN { return a + b }  // a quiet NaN
        if a == b { return a.sign == .minus ? a : b }  // picks -0 over +0
        return a < b ? a : b
    }

    /// max with NaN propagation and +0 > -0.
    @inline(__always)
    static func max<F: BinaryFloatingPoint>(_ a: F, _ b: F) -> F {
        if a.isNaN || b.isNaN { return a + b }
        if a == b { return a.sign == .plus ? a : b }
        return a > b ? a : b
    }

    // Trapping truncations. Inputs are Double: every f32 converts to Double exactly.
    @inline(__always)
    static func truncI32S(_ x: Double) throws(Trap) -> Int32 {
        if x.isNaN { throw Trap(.badConversionToInteger) }
        guard x > -2_147_483_649.0 && x < 2_147_483_648.0 else { throw Trap(.integerOverflow) }
        return Int32(x)
    }

    @inline(__always)
    static func truncI32U(_ x: Double) throws(Trap) -> UInt32 {
        if x.isNaN { throw Trap(.badConversionToInteger) }
        guard x > -1.0 && x < 4_294_967_296.0 else { throw Trap(.integerOverflow) }
        return UInt32(x)
    }

    @inline(__always)
    static func truncI64S(_ x: Double) throws(Trap) -> Int64 {
        if x.isNaN { throw Trap(.badConversionToInteger) }
        guard x >= -9_223_372_036_854_775_808.0 && x < 9_223_372_036_854_775_808.0 else { throw Trap(.integerOverflow) }
        return Int64(x)
    }

    @inline(__always)
    static func truncI64U(_ x: Double) throws(Trap) -> UInt64 {
        if x.isNaN { throw Trap(.badConversionToInteger) }
        guard x > -1.0 && x < 18_446_744_073_709_551_616.0 else { throw Trap(.integerOverflow) }
        return UInt64(x)
    }

    // Saturating truncations: NaN is 0, out-of-range values clamp.
    @inline(__always)
    static func truncSatI32S(_ x: Double) -> Int32 {
        if x.isNaN { return 0 }
        if x <= -2_147_483_648.0 { return .min }
        if x >= 2_147_483_647.0 { return .max }
        return Int32(x)
    }

    @inline(__always)
    static func truncSatI32U(_ x: Double) -> UInt32 {
        if x.isNaN || x <= 0 { return 0 }
        if x >= 4_294_967_295.0 { return .max }
        return UInt32(x)
    }

    @inline(__always)
    static func truncSatI64S(_ x: Double) -> Int64 {
        if x.isNaN { return 0 }
        if x <= -9_223_372_036_854_775_808.0 { return .min }
        if x >= 9_223_372_036_854_775_808.0 { return .max }
        return Int64(x)
    }

    @inline(__always)
    static func truncSatI64U(_ x: Double) -> UInt64 {
        if x.isNaN || x <= 0 { return 0 }
        if x >= 18_446_744_073_709_551_616.0 { return .max }
        return UInt64(x)
    }
}
