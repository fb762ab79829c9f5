/// A WebAssembly value.
public enum Val: CustomStringConvertible {
    case i32(Int32)
    case i64(Int64)
    case f32(Float)
    case f64(Double)
    case v128(V128)
    case funcRef(Func?)
    case externRef(ExternRef?)
    /// An exception (exception handling's `exnref`).
    case exnRef(Exception?)

    public var type: ValType {
        switch self {
        case .i32: .i32
        case .i64: .i64
        case .f32: .f32
        case .f64: .f64
        case .v128: .v128
        case .funcRef: .funcRef
        case .externRef: .externRef
        case .exnRef: .exnRef
        }
    }

    /// The default value of a type: zero or null.
    public static func zero(_ type: ValType) -> Val {
        switch type {
        case .i32: .i32(0)
        case .i64: .i64(0)
        case .f32: .f32(0)
        case .f64: .f64(0)
        case .v128: .v128(.zero)
        case .ref(let type):
            switch type.heapType.top {
            case .extern: .externRef(nil)
            case .exn: .exnRef(nil)
            default: .funcRef(nil)
            }
        }
    }

    public var i32: Int32? { if case .i32(let v) = self { v } else { nil } }
    public var i64: Int64? { if case .i64(let v) = self { v } else { nil } }
    public var f32: Float? { if case .f32(let v) = self { v } else { nil } }
    public var f64: Double? { if case .f64(let v) = self { v } else { nil } }

    public var description: String {
        switch self {
        case .i32(let v): "\(v)"
        case .i64(let v): "\(v)"
        case .f32(let v): "\(v)"
        case .f64(let v): "\(v)"
        case .v128(let v): "\(v)"
        case .funcRef(let f): f == nil ? "null funcref" : "funcref"
        case .externRef(let r): r == nil ? "null externref" : "externref"
        case .exnRef(let e): e == nil ? "null exnref" : "exnref"
        }
    }
}

/// An untyped 16-byte value slot, the raw form values take between machine code, the
/// interpreter and host functions. Floats are stored as bit patterns; references as
/// pointers (valid only while rooted in their store, see `ExternRef.fromRaw`).
@frozen
public struct ValRaw: Sendable, Equatable {
    public var lo: UInt64
    public var hi: UInt64

    @inlinable public init(lo: UInt64, hi: UInt64 = 0) {
        self.lo = lo
        self.hi = hi
    }

    @inlinable public static func i32(_ v: Int32) -> ValRaw { ValRaw(lo: UInt64(UInt32(bitPattern: v))) }
    @inlinable public static func i64(_ v: Int64) -> ValRaw { ValRaw(lo: UInt64(bitPattern: v)) }
    @inlinable public static func f32(_ v: Float) -> ValRaw { ValRaw(lo: UInt64(v.bitPattern)) }
    @inlinable public static func f64(_ v: Double) -> ValRaw { ValRaw(lo: v.bitPattern) }
    @inlinable public static func f32(bits: UInt32) -> ValRaw { ValRaw(lo: UInt64(bits)) }
    @inlinable public static func f64(bits: UInt64) -> ValRaw { ValRaw(lo: bits) }
    @inlinable public static func v128(_ v: V128) -> ValRaw { ValRaw(lo: v.lo, hi: v.hi) }
    @inlinable public static func funcref(_ p: UnsafeMutableRawPointer?) -> ValRaw { ValRaw(lo: UInt64(UInt(bitPattern: p))) }
    @inlinable public static func externref(_ p: UnsafeMutableRawPointer?) -> ValRaw { ValRaw(lo: UInt64(UInt(bitPattern: p))) }

    @inlinable public var i32: Int32 { Int32(truncatingIfNeeded: lo) }
    @inlinable public var i64: Int64 { Int64(bitPattern: lo) }
    @inlinable public var f32: Float { Float(bitPattern: UInt32(truncatingIfNeeded: lo)) }
    @inlinable public var f64: Double { Double(bitPattern: lo) }
    @inlinable public var v128: V128 { V128(lo: lo, hi: hi) }
    @inlinable public var funcref: UnsafeMutableRawPointer? { UnsafeMutableRawPointer(bitPattern: UInt(lo)) }
    @inlinable public var externref: UnsafeMutableRawPointer? { UnsafeMutableRawPointer(bitPattern: UInt(lo)) }
}
