/// A set of registers as a bitmask: integer registers 0...31 in the low 32 bits, float
/// registers 0...31 in the high 32 (room for either ISA's register file). Allocation takes
/// the lowest-numbered free register. Iterating yields the registers in bit-index order
/// (integer registers first), and works on a copy: the set may change meanwhile.
struct RegisterSet: Sequence, IteratorProtocol, BitwiseCopyable {
    private(set) var bits: UInt64 = 0

    /// Bit index of a register: its number, plus 32 for float registers.
    @inline(__always) static func index(_ reg: Reg) -> Int {
        precondition(reg.number < 32, "register number out of range")
        return Int(reg.number) + (reg.isFloat ? 32 : 0)
    }

    @inline(__always) static func bit(_ reg: Reg) -> UInt64 { 1 << UInt64(index(reg)) }

    /// The register at a bit index (the inverse of `index`).
    @inline(__always) static func register(atIndex index: Int) -> Reg {
        index < 32 ? .gpr(UInt8(index)) : .fpr(UInt8(index - 32))
    }

    init() {}

    init(_ regs: [Reg]) {
        for reg in regs { insert(reg) }
    }

    /// Two registers, without the array (for the code generator's hot paths).
    @inline(__always) init(_ first: Reg, _ second: Reg) {
        insert(first)
        insert(second)
    }

    @inline(__always) func contains(_ reg: Reg) -> Bool { bits & RegisterSet.bit(reg) != 0 }
    @inline(__always) mutating func insert(_ reg: Reg) { bits |= RegisterSet.bit(reg) }

    @discardableResult @inline(__always)
    mutating func remove(_ reg: Reg) -> Reg? {
        guard contains(reg) else { return nil }
        bits &= ~RegisterSet.bit(reg)
        return reg
    }

    var isEmpty: Bool { bits == 0 }
    /// How many registers the set holds.
    var count: Int { bits.nonzeroBitCount }

    /// The lowest register of a set bit-by-bit consumed (the iterator is the set itself).
    @inline(__always)
    mutating func next() -> Reg? {
        guard bits != 0 else { return nil }
        let index = bits.trailingZeroBitCount
        bits &= bits - 1
        return RegisterSet.register(atIndex: index)
    }

    /// How many registers of one class the set holds.
    func count(float: Bool) -> Int {
        (float ? bits >> 32 : bits & 0xFFFF_FFFF).nonzeroBitCount
    }

    /// The lowest free register of a class.
    func first(float: Bool) -> Reg? {
        let mask = float ? bits >> 32 : bits & 0xFFFF_FFFF
        guard mask != 0 else { return nil }
        let number = UInt8(mask.trailingZeroBitCount)
        return float ? .fpr(number) : .gpr(number)
    }

    @inline(__always)
    mutating func formUnion(_ other: RegisterSet) { bits |= other.bits }

    /// The registers of this set that are not in `other`.
    @inline(__always)
    func subtracting(_ other: RegisterSet) -> RegisterSet {
        var result = self
        result.bits &= ~other.bits
        return result
    }

    /// How many registers of the set have a lower bit index than `reg` (its rank).
    @inline(__always)
    func rank(of reg: Reg) -> Int { (bits & (RegisterSet.bit(reg) - 1)).nonzeroBitCount }
}
