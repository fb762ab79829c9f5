/// SIMD on AArch64 (NEON): not compiled yet; `CodeGenerator` leaves modules with v128
/// values to the interpreter while `compilesV128` is false.
extension AArch64MacroAssembler {
    static var compilesV128: Bool { false }

    static func supportsSIMD(_ op: SIMDOp) -> Bool { false }

    static func simdTemporaries(_ op: SIMDOp) -> (gprs: Int, fprs: Int) { (0, 0) }

    static var laneTemporaries: (gprs: Int, fprs: Int) { (0, 0) }

    mutating func loadV128Constant(_ dst: Reg, _ value: V128) {
        preconditionFailure("v128 is not compiled on AArch64 yet")
    }

    mutating func simd(_ op: SIMDOp, _ operands: SIMDOperands) {
        preconditionFailure("v128 is not compiled on AArch64 yet")
    }

    mutating func shuffle(_ operands: SIMDOperands, lanes: V128) {
        preconditionFailure("v128 is not compiled on AArch64 yet")
    }

    mutating func extractLane(_ op: SIMDLaneOp, lane: UInt8, _ operands: SIMDOperands) {
        preconditionFailure("v128 is not compiled on AArch64 yet")
    }

    mutating func replaceLane(_ op: SIMDLaneOp, lane: UInt8, _ operands: SIMDOperands) {
        preconditionFailure("v128 is not compiled on AArch64 yet")
    }

    mutating func simdMemory(_ access: SIMDMemoryAccess, _ value: Reg, index: Reg, offset: UInt64, definitionOffset: Int32,
                             boundsTrap: Label?) {
        preconditionFailure("v128 is not compiled on AArch64 yet")
    }

    mutating func simdMemory(_ access: SIMDMemoryAccess, _ value: Reg, index: Reg, is64: Bool, offset: UInt64,
                             definition: Reg, pinnedBase: Bool, boundsTrap: Label?) {
        preconditionFailure("v128 is not compiled on AArch64 yet")
    }
}
