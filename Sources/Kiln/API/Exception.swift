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
