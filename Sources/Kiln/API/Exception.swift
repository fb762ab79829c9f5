import CKilnShims

/// A WebAssembly exception (exception handling's `exnref`): the tag it was thrown with and
/// the values it carries.
///
/// An exception is reference-counted data like an extern reference (`KilnExternData`, whose
/// payload is an `ExceptionPayload`), so tables, globals, frames and the store's roots hold
/// exceptions exactly as they hold extern references. Raw form: the data pointer.
public final class Exception {
    @usableFromInline let raw: UnsafeMutablePointer<KilnExternData>

    /// A handle on existing data, taking one more count.
    init(retaining raw: UnsafeMutablePointer<KilnExternData>) {
        kiln_externref_retain(raw)
        self.raw = raw
    }

    deinit { kiln_externref_release(raw) }

    /// Whether two handles name the same exception.
    public func ptrEq(_ other: Exception) -> Bool { raw == other.raw }

    /// The raw form, valid while this handle (or another holder) keeps the exception alive.
    public func toRaw() -> UnsafeMutableRawPointer { UnsafeMutableRawPointer(raw) }

    /// A new handle on the exception `raw` names, or nil for null.
    public static func fromRaw(_ raw: UnsafeMutableRawPointer?) -> Exception? {
        guard let raw else { return nil }
        return Exception(retaining: raw.assumingMemoryBound(to: KilnExternData.self))
    }
}

extension Exception {
    /// A new exception with `tag` and `values` (raw slots of the tag's parameter types; the
    /// exception takes counts of the counted references among them).
    convenience init(tag: TagInstance, values: [ValRaw]) {
        let payload = Unmanaged.passRetained(ExceptionPayload(tag: tag, values: values)).toOpaque()
        let raw = kiln_externref_new(payload, ExceptionPayload.release)!
        self.init(retaining: raw)
        kiln_externref_release(raw)  // the handle's count is the only one
    }

    var payload: ExceptionPayload {
        Unmanaged<ExceptionPayload>.fromOpaque(raw.pointee.payload).takeUnretainedValue()
    }

    /// Creates an exception the host can throw into wasm (as `WasmException`) with `tag`
    /// and `values`, checked against the tag's type.
    public convenience init(_ store: some AsContext, tag: Tag, values: [Val]) throws {
        let context = store.storeContext
        try tag.checkStore(context)
        let params = tag.instance.type.params
        guard values.count == params.count else {
            throw KilnError("tag expects \(params.count) values, got \(values.count)")
        }
        var raws: [ValRaw] = []
        for (i, (value, type)) in zip(values, params).enumerated() {
            guard value.matches(type) else { throw KilnError("value \(i) is \(value.type), the tag expects \(type)") }
            raws.append(try value.raw(in: context))
        }
        self.init(tag: tag.instance, values: raws)
    }

    /// The tag the exception was thrown with.
    public func tag(_ store: some AsContext) -> Tag { Tag(store: store.storeContext, instance: payload.tag) }

    /// The values the exception carries.
    public func values(_ store: some AsContext) -> [Val] {
        let payload = self.payload
        return zip(payload.values, payload.tag.type.params).map { Val(raw: $0, type: $1, store: store.storeContext) }
    }
}

/// An exception's tag and values. The values hold counts of their extern and exception references.
final class ExceptionPayload {
    let tag: TagInstance
    let values: [ValRaw]

    init(tag: TagInstance, values: [ValRaw]) {
        self.tag = tag
        self.values = values
        for (value, type) in zip(values, tag.type.params) where type.isCountedReference {
            ExternCounts.retain(value.externref)
        }
    }

    deinit {
        for (value, type) in zip(values, tag.type.params) where type.isCountedReference {
            ExternCounts.release(value.externref)
        }
    }

    static let release: @convention(c) (UnsafeMutableRawPointer?) -> Void = { payload in
        Unmanaged<ExceptionPayload>.fromOpaque(payload!).release()
    }
}

/// A wasm exception on its way through host code: thrown by wasm and not caught there (the
/// embedder sees it as the error of a call), or thrown by a host function to let wasm catch it.
public struct WasmException: Error, @unchecked Sendable, CustomStringConvertible {
    public let exception: Exception
    public init(_ exception: Exception) { self.exception = exception }
    public var description: String {
        let payload = exception.payload
        let values = zip(payload.values, payload.tag.type.params).map { value, type -> String in
            switch type {
            case .i32: "\(value.i32)"
            case .i64: "\(value.i64)"
            case .f32: "\(value.f32)"
            case .f64: "\(value.f64)"
            case .v128: "\(value.v128)"
            case .ref: value.lo == 0 ? "null" : "\(type)"
            }
        }
        return "uncaught wasm exception with a tag of type \(payload.tag.type)" + (values.isEmpty ? "" : ": " + values.joined(separator: ", "))
    }
}
