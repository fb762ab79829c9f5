/// A reference to a host object that wasm can hold and pass around but not look into.
///
/// Raw form: a pointer to the object (see `toRaw`). A raw value is valid only while the
/// reference stays rooted in the store that received it, that is until the next GC.
public final class ExternRef {
    public let data: Any

    public init(_ value: Any) {
        self.data = value
    }

    /// Number of strong references: the embedder's and the store's.
    public var strongCount: Int {
        Int(_getRetainCount(self)) - 1  // the call itself holds `self` once
    }

    /// Whether two references name the same object.
    public func ptrEq(_ other: ExternRef) -> Bool { self === other }

    public func toRaw() -> UnsafeMutableRawPointer {
        Unmanaged.passUnretained(self).toOpaque()
    }

    public static func fromRaw(_ raw: UnsafeMutableRawPointer?) -> ExternRef? {
        guard let raw else { return nil }
        return Unmanaged<ExternRef>.fromOpaque(raw).takeUnretainedValue()
    }
}
