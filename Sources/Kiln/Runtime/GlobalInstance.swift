/// Storage for a global that no instance defines: one created by the host. Globals that
/// instances define live inline in their VMContext; either way a global is a 16-byte slot
/// holding its value in `ValRaw` form.
final class GlobalStorage {
    let slot: UnsafeMutablePointer<ValRaw>
    /// Whether the slot holds an extern reference (and one count of it).
    let isExtern: Bool

    init(_ value: ValRaw, isExtern: Bool) {
        slot = .allocate(capacity: 1)
        slot.initialize(to: value)
        self.isExtern = isExtern
        if isExtern { ExternCounts.retain(value.externref) }
    }

    deinit {
        if isExtern { ExternCounts.release(slot.pointee.externref) }
        slot.deallocate()
    }
}

extension UnsafeMutablePointer where Pointee == ValRaw {
    /// Writes `value` to a global slot of type `type`, moving the counts of extern references.
    func storeGlobal(_ value: ValRaw, type: ValType) {
        if type.isCountedReference {
            ExternCounts.retain(value.externref)
            ExternCounts.release(pointee.externref)
        }
        pointee = value
    }
}
