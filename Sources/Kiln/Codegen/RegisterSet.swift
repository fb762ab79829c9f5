/// A set of registers as a bitmask: integer registers in the low 16 bits, float
/// registers in the high 16. Allocation takes the lowest-numbered free register.
struct RegisterSet {
    private(set) var bits: UInt32 = 0

    @inline(__always) static func bit(_ reg: Reg) -> UInt32 {
        1 << (UInt32(reg.number) + (reg.isFloat ? 16 : 0))
    }

    init() {}

    init(_ regs: [Reg]) {
        for reg in regs { insert(reg) }
    }

    @inline(__always) func contains(_ reg: Reg) -> Bool { bits & RegisterSet.bit(reg) != 0 }
    @inline(__always) mutating func insert(_ reg: Reg) { bits |= RegisterSet.bit(reg) }

    @discardableResult @inline(__always)
    mutating func remove(_ reg: Reg) -> Reg? {
        guard contains(reg) else { return nil }
        bits &= ~RegisterSet.bit(reg)
        return reg
    }

    /// The lowest free register of a class.
    func first(float: Bool) -> Reg? {
        let mask = float ? bits >> 16 : bits & 0xFFFF
        guard mask != 0 else { return nil }
        let number = UInt8(mask.trailingZeroBitCount)
        return float ? .fpr(number) : .gpr(number)
    }
}
