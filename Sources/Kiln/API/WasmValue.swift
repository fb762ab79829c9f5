/// A Swift type that stands for a wasm value type in typed calls (`TypedFunc`, `funcWrap`).
public protocol WasmValue {
    static var wasmType: ValType { get }
    init(raw: ValRaw, store: StoreContext)
    func raw(store: StoreContext) -> ValRaw
}

extension Int32: WasmValue {
    public static var wasmType: ValType { .i32 }
    @inlinable public init(raw: ValRaw, store: StoreContext) { self = raw.i32 }
    @inlinable public func raw(store: StoreContext) -> ValRaw { .i32(self) }
}

extension Int64: WasmValue {
    public static var wasmType: ValType { .i64 }
    @inlinable public init(raw: ValRaw, store: StoreContext) { self = raw.i64 }
    @inlinable public func raw(store: StoreContext) -> ValRaw { .i64(self) }
}

extension Float: WasmValue {
    public static var wasmType: ValType { .f32 }
    @inlinable public init(raw: ValRaw, store: StoreContext) { self = raw.f32 }
    @inlinable public func raw(store: StoreContext) -> ValRaw { .f32(self) }
}

extension Double: WasmValue {
    public static var wasmType: ValType { .f64 }
    @inlinable public init(raw: ValRaw, store: StoreContext) { self = raw.f64 }
    @inlinable public func raw(store: StoreContext) -> ValRaw { .f64(self) }
}

extension V128: WasmValue {
    public static var wasmType: ValType { .v128 }
    @inlinable public init(raw: ValRaw, store: StoreContext) { self = raw.v128 }
    @inlinable public func raw(store: StoreContext) -> ValRaw { .v128(self) }
}

/// The wasm types of a pack of Swift types.
func wasmTypes<each V: WasmValue>(_ types: repeat (each V).Type) -> [ValType] {
    var result: [ValType] = []
    for type in repeat each types {
        result.append(type.wasmType)
    }
    return result
}

/// Reference types usable as `Optional<Self>` in typed calls: `ExternRef?` and `Func?`.
public protocol WasmReference: AnyObject {
    static var referenceType: ValType { get }
    static func fromRaw(_ raw: UnsafeMutableRawPointer?, store: StoreContext) -> Self?
    func toRaw(store: StoreContext) -> UnsafeMutableRawPointer
}

extension ExternRef: WasmReference {
    public static var referenceType: ValType { .externRef }
    public static func fromRaw(_ raw: UnsafeMutableRawPointer?, store: StoreContext) -> Self? {
        fromRaw(raw).map { unsafeDowncast($0, to: Self.self) }
    }
    public func toRaw(store: StoreContext) -> UnsafeMutableRawPointer {
        store.root(self)
        return toRaw()
    }
}

extension Func: WasmReference {
    public static var referenceType: ValType { .funcRef }
    public static func fromRaw(_ raw: UnsafeMutableRawPointer?, store: StoreContext) -> Self? {
        from(raw: raw, store: store).map { unsafeDowncast($0, to: Self.self) }
    }
    public func toRaw(store: StoreContext) -> UnsafeMutableRawPointer { raw }
}

extension Optional: WasmValue where Wrapped: WasmReference {
    public static var wasmType: ValType { Wrapped.referenceType }
    public init(raw: ValRaw, store: StoreContext) { self = Wrapped.fromRaw(raw.externref, store: store) }
    public func raw(store: StoreContext) -> ValRaw { .externref(self?.toRaw(store: store)) }
}

/// How a typed call's `Results` maps to wasm results: `Void`, one `WasmValue`, or a tuple
/// of two or three of them.
enum ResultsCodec<Results> {
    static func types() throws -> [ValType] {
        if Results.self == Void.self { return [] }
        if let single = Results.self as? any WasmValue.Type { return [single.wasmType] }
        if let tuple = Results.self as? any WasmTuple.Type { return tuple.wasmTypes }
        throw KilnError("\(Results.self) is not a wasm result type: use Void, Int32, Int64, Float, Double, V128, ExternRef?, Func? or a tuple of them")
    }

    static func decode(_ values: UnsafeMutableBufferPointer<ValRaw>, store: StoreContext) -> Results {
        if Results.self == Void.self { return () as! Results }
        if let single = Results.self as? any WasmValue.Type { return single.init(raw: values[0], store: store) as! Results }
        return (Results.self as! any WasmTuple.Type).decode(values, store: store) as! Results
    }

    static func encode(_ results: Results, into values: UnsafeMutableBufferPointer<ValRaw>, store: StoreContext) {
        if Results.self == Void.self { return }
        if let single = results as? any WasmValue {
            values[0] = single.raw(store: store)
            return
        }
        (results as! any WasmTuple).encode(into: values, store: store)
    }
}

/// Tuples of wasm values as multi-value results.
protocol WasmTuple {
    static var wasmTypes: [ValType] { get }
    static func decode(_ values: UnsafeMutableBufferPointer<ValRaw>, store: StoreContext) -> Self
    func encode(into values: UnsafeMutableBufferPointer<ValRaw>, store: StoreContext)
}

