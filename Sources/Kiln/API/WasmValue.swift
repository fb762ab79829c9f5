/// A Swift type that stands for a wasm value type in typed calls (`TypedFunc`, `funcWrap`).
public protocol WasmValue {
    static var wasmType: ValType { get }
    init(raw: ValRaw, store: borrowing StoreContext)
    func raw(store: borrowing StoreContext) -> ValRaw
}

extension Int32: WasmValue {
    public static var wasmType: ValType { .i32 }
    @inlinable public init(raw: ValRaw, store: borrowing StoreContext) { self = raw.i32 }
    @inlinable public func raw(store: borrowing StoreContext) -> ValRaw { .i32(self) }
}

extension Int64: WasmValue {
    public static var wasmType: ValType { .i64 }
    @inlinable public init(raw: ValRaw, store: borrowing StoreContext) { self = raw.i64 }
    @inlinable public func raw(store: borrowing StoreContext) -> ValRaw { .i64(self) }
}

extension Float: WasmValue {
    public static var wasmType: ValType { .f32 }
    @inlinable public init(raw: ValRaw, store: borrowing StoreContext) { self = raw.f32 }
    @inlinable public func raw(store: borrowing StoreContext) -> ValRaw { .f32(self) }
}

extension Double: WasmValue {
    public static var wasmType: ValType { .f64 }
    @inlinable public init(raw: ValRaw, store: borrowing StoreContext) { self = raw.f64 }
    @inlinable public func raw(store: borrowing StoreContext) -> ValRaw { .f64(self) }
}

extension V128: WasmValue {
    public static var wasmType: ValType { .v128 }
    @inlinable public init(raw: ValRaw, store: borrowing StoreContext) { self = raw.v128 }
    @inlinable public func raw(store: borrowing StoreContext) -> ValRaw { .v128(self) }
}

/// The wasm types of a pack of Swift types.
@usableFromInline
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
        store.enterWasm(raw)
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
    public init(raw: ValRaw, store: borrowing StoreContext) { self = Wrapped.fromRaw(raw.externref, store: store) }
    public func raw(store: borrowing StoreContext) -> ValRaw { .externref(self?.toRaw(store: store)) }
}

/// How a typed call's `Results` maps to wasm results: `Void`, one `WasmValue`, or a tuple
/// of them. Swift cannot make tuples conform to protocols, so a tuple is taken apart once,
/// by reflection, into its element types and byte offsets; calls then read and write the
/// elements in place.
@usableFromInline
struct ResultsCodec<Results> {
    enum Shape {
        case void
        case single(any WasmValue.Type)
        case tuple([(type: any WasmValue.Type, offset: Int)])
    }

    let shape: Shape
    @usableFromInline let types: [ValType]

    @usableFromInline
    init() throws {
        if Results.self == Void.self {
            shape = .void
            types = []
        } else if let single = Results.self as? any WasmValue.Type {
            shape = .single(single)
            types = [single.wasmType]
        } else if let elements = ResultsCodec.tupleElements() {
            shape = .tuple(elements)
            types = elements.map { $0.type.wasmType }
        } else {
            throw KilnError("\(Results.self) is not a wasm result type: use Void, Int32, Int64, Float, Double, V128, ExternRef?, Func? or a tuple of them")
        }
    }

    /// The element types and offsets of `Results` if it is a tuple of `WasmValue`s.
    private static func tupleElements() -> [(type: any WasmValue.Type, offset: Int)]? {
        // Every WasmValue has a valid all-zero representation (0, 0.0, nil), so a zeroed
        // tuple is a valid value to reflect on.
        let size = MemoryLayout<Results>.size
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(size, 1), alignment: MemoryLayout<Results>.alignment)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        let mirror = Mirror(reflecting: buffer.load(as: Results.self))
        guard mirror.displayStyle == .tuple else { return nil }
        var elements: [(type: any WasmValue.Type, offset: Int)] = []
        var offset = 0
        for child in mirror.children {
            guard let type = Swift.type(of: child.value) as? any WasmValue.Type else { return nil }
            let (elementSize, alignment) = layout(of: type)
            offset = (offset + alignment - 1) / alignment * alignment
            elements.append((type, offset))
            offset += elementSize
        }
        return elements
    }

    private static func layout<V: WasmValue>(of _: V.Type) -> (Int, Int) {
        (MemoryLayout<V>.size, MemoryLayout<V>.alignment)
    }

    /// The results in `values`. Scalar results take a path that specialization reduces
    /// to one load; other shapes go through `decodeAny`.
    @inlinable
    func decode(_ values: UnsafeMutableBufferPointer<ValRaw>, store: StoreContext) -> Results {
        if Results.self == Void.self { return () as! Results }
        if Results.self == Int32.self { return values[0].i32 as! Results }
        if Results.self == Int64.self { return values[0].i64 as! Results }
        if Results.self == Float.self { return values[0].f32 as! Results }
        if Results.self == Double.self { return values[0].f64 as! Results }
        return decodeAny(values, store: store)
    }

    @usableFromInline
    func decodeAny(_ values: UnsafeMutableBufferPointer<ValRaw>, store: StoreContext) -> Results {
        switch shape {
        case .void:
            return () as! Results
        case .single(let type):
            return type.init(raw: values[0], store: store) as! Results
        case .tuple(let elements):
            return withUnsafeTemporaryAllocation(of: Results.self, capacity: 1) { result in
                let base = UnsafeMutableRawPointer(result.baseAddress!)
                for (i, element) in elements.enumerated() {
                    ResultsCodec.write(element.type, values[i], at: base + element.offset, store: store)
                }
                return result.baseAddress!.move()
            }
        }
    }

    /// Writes `results` into `values`; the counterpart of `decode`.
    @inlinable
    func encode(_ results: Results, into values: UnsafeMutableBufferPointer<ValRaw>, store: StoreContext) {
        if Results.self == Void.self { return }
        if Results.self == Int32.self { values[0] = .i32(results as! Int32); return }
        if Results.self == Int64.self { values[0] = .i64(results as! Int64); return }
        if Results.self == Float.self { values[0] = .f32(results as! Float); return }
        if Results.self == Double.self { values[0] = .f64(results as! Double); return }
        encodeAny(results, into: values, store: store)
    }

    @usableFromInline
    func encodeAny(_ results: Results, into values: UnsafeMutableBufferPointer<ValRaw>, store: StoreContext) {
        switch shape {
        case .void:
            return
        case .single:
            values[0] = (results as! any WasmValue).raw(store: store)
        case .tuple(let elements):
            withUnsafePointer(to: results) { pointer in
                let base = UnsafeRawPointer(pointer)
                for (i, element) in elements.enumerated() {
                    values[i] = ResultsCodec.read(element.type, at: base + element.offset, store: store)
                }
            }
        }
    }

    private static func write<V: WasmValue>(_: V.Type, _ raw: ValRaw, at address: UnsafeMutableRawPointer, store: StoreContext) {
        address.initializeMemory(as: V.self, repeating: V(raw: raw, store: store), count: 1)
    }

    private static func read<V: WasmValue>(_: V.Type, at address: UnsafeRawPointer, store: StoreContext) -> ValRaw {
        address.load(as: V.self).raw(store: store)
    }
}
