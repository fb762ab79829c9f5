/// A set of registers as a bitmask: integer registers 0...31 in the low 32 bits, float
/// registers 0...31 in the high 32 (room for either ISA's register file). Allocation takes
/// the lowest-numbered free register.
struct RegisterSet {
    private(set) var bits: UInt64 = 0

    /// Bit index of a register: its number, plus 32 for float registers.
    @inline(__always) static func index(_ reg: Reg) -> Int {
        precondition(reg.number < 32, "register number out of range")
        return Int(reg.number) + (reg.isFloat ? 32 : 0)
    }

    @inline(__always) static func bit(_ reg: Reg) -> UInt64 { 1 << UInt64(index(reg)) }

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
    /// How many registers of one class the set holds.
    func count(float: Bool) -> Int {
        (float ? bits >> 32 : bits & 0xFFFF_FFFF).nonzeroBitCount
    }

    func first(float: Bool) -> Reg? {
        let mask = float ? bits >> 32 : bits & 0xFFFF_FFFF
        guard mask != 0 else { return nil }
        let number = UInt8(mask.trailingZeroBitCount)
        return float ? .fpr(number) : .gpr(number)
    }
}
