import CKilnShims

/// A reference to a host object that wasm can hold and pass around but not look into.
///
/// The object behind it is a `KilnExternData`: an atomic reference count and the payload.
/// Every `ExternRef` handle holds one count, and so does every table element and global
/// that holds the reference (machine code and the interpreter count those); references
/// held only by wasm frames are rooted by the store's activations table and stack maps
/// until the next collection (`Store.gc()`).
///
/// Raw form (`toRaw`/`fromRaw`): the `KilnExternData` pointer. Following wasmtime's rule, a
/// raw value is valid only while something keeps the reference alive: a handle, a table,
/// a global, or the store's roots (`toRaw(store)`), which last until the next collection.
public final class ExternRef {
    @usableFromInline let raw: UnsafeMutablePointer<KilnExternData>

    /// The payload box the data's `payload` points at, retained once by the data.
    private final class Payload {
        let value: Any
        init(_ value: Any) { self.value = value }
    }

    private static let releasePayload: @convention(c) (UnsafeMutableRawPointer?) -> Void = { payload in
        Unmanaged<Payload>.fromOpaque(payload!).release()
    }

    public init(_ value: Any) {
        let payload = Unmanaged.passRetained(Payload(value)).toOpaque()
        raw = kiln_externref_new(payload, ExternRef.releasePayload)
    }

    /// A handle on existing data, taking one more count.
    init(retaining raw: UnsafeMutablePointer<KilnExternData>) {
        kiln_externref_retain(raw)
        self.raw = raw
    }

    deinit { kiln_externref_release(raw) }

    /// The host value this reference carries.
    public var data: Any {
        Unmanaged<Payload>.fromOpaque(raw.pointee.payload).takeUnretainedValue().value
    }

    /// How many holders the reference has: handles, table elements and globals, and the
    /// store's roots for wasm frames (exact after a collection). Loaded with sequential
    /// consistency.
    public var strongCount: Int { Int(kiln_externref_count(raw)) }

    /// Whether two handles name the same reference.
    public func ptrEq(_ other: ExternRef) -> Bool { raw == other.raw }

    /// The raw form, valid while this handle (or another holder) keeps the reference alive.
    public func toRaw() -> UnsafeMutableRawPointer { UnsafeMutableRawPointer(raw) }

    /// The raw form, rooted in `store` until its next collection (what wasm may be handed
    /// through raw slots, e.g. by a `Func.newUnchecked` host function).
    public func toRaw(_ store: some AsContext) -> UnsafeMutableRawPointer {
        store.storeContext.enterWasm(raw)
        return UnsafeMutableRawPointer(raw)
    }

    /// A new handle on the reference `raw` names, or nil for null.
    public static func fromRaw(_ raw: UnsafeMutableRawPointer?) -> ExternRef? {
        guard let raw else { return nil }
        return ExternRef(retaining: raw.assumingMemoryBound(to: KilnExternData.self))
    }
}
