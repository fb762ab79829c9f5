/// Storage for a global that no instance defines: one created by the host. Globals that
/// instances define live inline in their VMContext; either way a global is a 16-byte slot
/// holding its value in `ValRaw` form.
final class GlobalStorage {
    let slot: UnsafeMutablePointer<ValRaw>

    init(_ value: ValRaw) {
        slot = .allocate(capacity: 1)
        slot.initialize(to: value)
    }

    deinit { slot.deallocate() }
}
