/// A machine register of either class, numbered as the ISA numbers it.
struct Reg: Hashable, Sendable, BitwiseCopyable, CustomStringConvertible {
    enum RegClass: Sendable, BitwiseCopyable { case gpr, fpr }
    let regClass: RegClass
    let number: UInt8

    static func gpr(_ number: UInt8) -> Reg { Reg(regClass: .gpr, number: number) }
    static func fpr(_ number: UInt8) -> Reg { Reg(regClass: .fpr, number: number) }

    var isFloat: Bool { regClass == .fpr }
    var description: String { (isFloat ? "f" : "r") + "\(number)" }
}

/// A second operand: a register, a 32-bit immediate, a frame slot (offset from the frame
/// pointer), or an instruction folded into its consumer (only where the macro assembler
/// says it takes the form: `foldsLoadsIntoOperands`, `foldsShift`).
enum Operand: Equatable {
    case reg(Reg)
    case imm(Int32)
    case slot(Int32)
    /// A full-width (i32 or i64) load from linear memory 0 at `index + displacement`, the
    /// index zero-extended, bounds-checked by the guard region: memory 0's pinned base plus
    /// both. The access faults, if it does, in the instruction that reads the operand.
    case memory(index: Reg, displacement: Int32)
    /// A register shifted by a constant amount (less than the operation's width, not 0).
    case shifted(Reg, ShiftKind, amount: UInt8)
}

/// A direct call or tail jump to a defined function, at `position` (the instruction's first
/// byte), whose displacement `MacroAssembler.linkFunctionReference` fills in once every
/// function has its place in the module's code.
struct FunctionReference: Sendable {
    var position: Int
    /// The defined function's index (imports not counted).
    var function: Int
}

/// Where a tail call (`MacroAssembler.tailCall`) goes.
enum TailCallTarget<Label> {
    /// Defined function `index` of the module being compiled (a `FunctionReference` the
    /// module's linking fills in). The two VMContext arguments are already in place (the
    /// current one, twice).
    case function(Int)
    /// The function a `KilnFuncRef` names (an import, a table entry, a typed reference),
    /// the reference in the register (not null, of the right type: checked before). The
    /// VMContext arguments are set from it, as `callFuncRef` sets them.
    case funcRef(Reg)
}

/// Integer comparisons, named as wasm names them.
enum IntCondition: Sendable {
    case eq, ne, ltS, ltU, gtS, gtU, leS, leU, geS, geU

    var negated: IntCondition {
        switch self {
        case .eq: .ne
        case .ne: .eq
        case .ltS: .geS
        case .geS: .ltS
        case .ltU: .geU
        case .geU: .ltU
        case .gtS: .leS
        case .leS: .gtS
        case .gtU: .leU
        case .leU: .gtU
        }
    }
}

enum IntBinaryOp: Sendable { case add, sub, mul, and, or, xor }
enum IntUnaryOp: Sendable { case clz, ctz, popcnt }
enum ShiftKind: Sendable { case shl, shrS, shrU, rotl, rotr }
enum DivisionKind: Sendable { case divS, divU, remS, remU }
enum FloatBinaryOp: Sendable { case add, sub, mul, div, min, max, copysign }
enum FloatUnaryOp: Sendable { case abs, neg, ceil, floor, trunc, nearest, sqrt }
enum FloatCondition: Sendable { case eq, ne, lt, gt, le, ge }

/// The ISA-specific half of the compiler: wasm-shaped operations on registers and frame
/// slots, implemented once per instruction set (`X64MacroAssembler`,
/// `AArch64MacroAssembler`). The ISA-neutral `CodeGenerator` decides what lives where; the
/// macro assembler only emits instructions.
///
/// Frame conventions every implementation follows: a frame pointer register; frame slots
/// addressed by negative offsets from it; a pinned register holding the VMContext and one
/// holding linear memory 0's base; wasm calls use the platform C calling convention with
/// the callee VMContext and the caller VMContext as the first two integer arguments.
protocol MacroAssembler {
    associatedtype Label: BitwiseCopyable

    init()
    /// A macro assembler that may use the x86-64 extensions in `cpuFeatures` (others ignore
    /// them).
    init(cpuFeatures: CPUFeatures)
    /// The instruction set, as users read it ("x86-64", "AArch64").
    static var isaName: String { get }
    var offset: Int { get }
    mutating func newLabel() -> Label
    mutating func bind(_ label: Label)
    /// The first instruction the assembler could not encode so far (an immediate or a
    /// branch out of range), if any: the code generator turns it into a `CompileError`.
    var encodingFailure: String? { get }
    /// The code; throws what `encodingFailure` reports.
    func finish() throws -> [UInt8]
    /// Pads to the alignment of a function entry, with padding that traps if executed.
    mutating func alignFunctionEntry()
    /// Called between wasm instructions (and between out-of-line stubs): a point where the
    /// macro assembler may put code of its own that is jumped over, such as AArch64's branch
    /// islands for functions longer than a conditional branch reaches.
    mutating func instructionBoundary()

    // ABI
    static var allocatableGPRs: [Reg] { get }
    static var allocatableFPRs: [Reg] { get }
    static var integerArgumentRegisters: [Reg] { get }
    static var floatArgumentRegisters: [Reg] { get }
    static var integerResult: Reg { get }
    static var floatResult: Reg { get }
    /// Registers the code generator may use for a moment (never allocated).
    static var scratchGPR: Reg { get }
    static var scratchFPR: Reg { get }
    /// Where a runtime builtin returns its trap status.
    static var secondIntegerResult: Reg { get }
    /// A register a variable shift count must be in, if the ISA has one.
    static var shiftCountRegister: Reg? { get }
    /// The registers integer division uses implicitly (quotient, remainder), if any. Without
    /// them, division takes any two registers and leaves its result in the dividend's.
    static var divisionRegisters: (Reg, Reg)? { get }
    /// Bytes between the frame pointer and the first stack-passed argument.
    static var incomingArgumentsOffset: Int32 { get }

    // Frame
    /// Sets up the frame and returns where `patchFrameSize` patches its size. A `lean` frame
    /// (for a leaf that never uses the VMContext or memory registers, see
    /// `CodeGenerator.leanFrame`) is the frame record alone: the pinned registers are not
    /// saved, stay the caller's, and the words below the record they would take are unused
    /// (the slots are where they are in every frame). `epilogue` and `patchFrameSize`
    /// follow the last prologue's kind.
    mutating func prologue(lean: Bool) -> Int
    /// Sets the frame's size: the body's stack pointer is `size` bytes below the two words
    /// of saved pinned registers (in a lean frame too, where those words are left unused).
    mutating func patchFrameSize(at position: Int, _ size: Int32)
    mutating func checkStackLimit(runtimeOffset: Int32, trap: Label)
    mutating func loadVMContext(from argument: Reg)
    mutating func loadMemoryBase(memoryOffset: Int32)
    mutating func epilogue()
    /// After a call: sets the stack pointer from the frame pointer to where the function
    /// body keeps it. A callee that tail-called may return with the stack pointer
    /// elsewhere (see `CodeGenerator+TailCalls.swift`); the frame size is patched in by
    /// `patchFrameSize`, with the prologue's. Leaves the result registers alone.
    mutating func resetStackPointer()
    /// Emits the out-of-line code `resetStackPointer` may branch to (before the function's
    /// frame size is patched; nothing on ISAs whose reset is inline).
    mutating func emitStackPointerFixups()
    /// Turns the `resetStackPointer` that started at code offset `position` into no-ops:
    /// its callee turned out never to tail-call.
    mutating func removeStackPointerReset(at position: Int)
    /// Replaces the current frame by a call of `target` (see `CodeGenerator+TailCalls.swift`
    /// for the convention). The arguments are in their registers and the first
    /// `stackWords` outgoing words, as for a call; the fuel register is saved. Restores the
    /// caller's frame pointer, return address and pinned registers, moves the stack
    /// arguments into the area the caller provided (growing it downwards when it is too
    /// small for them), and jumps. `incomingStackWords` is the current function's own count
    /// of stack-passed argument words. Clobbers every allocatable register that holds no
    /// argument (the code generator keeps nothing else live across it).
    mutating func tailCall(_ target: TailCallTarget<Label>, stackWords: Int, incomingStackWords: Int)

    // Moves
    mutating func move(_ type: ValType, _ dst: Reg, _ src: Reg)
    mutating func loadConstant(_ type: ValType, _ dst: Reg, _ bits: UInt64)
    mutating func load(_ type: ValType, _ dst: Reg, slot: Int32)
    mutating func store(_ type: ValType, slot: Int32, _ src: Reg)
    mutating func storeConstant(_ type: ValType, slot: Int32, _ bits: UInt64)
    /// Zeroes the frame bytes `[fp + low, fp + high)` (both multiples of 8): a function's
    /// declared locals at entry, in as few stores as the ISA allows.
    mutating func zeroFrame(from low: Int32, to high: Int32)
    mutating func copySlot(_ type: ValType, to destination: Int32, from source: Int32)
    mutating func loadIncomingArgument(_ type: ValType, _ dst: Reg, index: Int)
    mutating func storeOutgoingArgument(_ type: ValType, index: Int, _ src: Reg)
    mutating func loadGlobal(_ type: ValType, _ dst: Reg, pointerOffset: Int32)
    mutating func storeGlobal(_ type: ValType, pointerOffset: Int32, _ src: Reg)
    mutating func loadVMContextWord(_ dst: Reg, offset: Int32)
    mutating func moveVMContext(to dst: Reg)
    mutating func moveFramePointer(to dst: Reg)
    mutating func loadFrameSlotAddress(_ dst: Reg, slot: Int32)
    /// Reads the outgoing-area word `index` (a callee's results area) and its address.
    mutating func loadOutgoing(_ type: ValType, _ dst: Reg, index: Int)
    mutating func loadOutgoingAddress(_ dst: Reg, index: Int)
    /// Loads the 8-byte word at `base + offset`.
    mutating func loadWordAt(_ dst: Reg, base: Reg, offset: Int32)
    /// Copies frame slot `from` into word `index` of the results area at `pointer`.
    mutating func copyToResultsArea(_ type: ValType, pointer: Reg, index: Int, from slot: Int32)
    /// call_indirect's checks: loads the function reference at `index` of the table whose
    /// definition pointer is at VMContext `tableDefinitionOffset`, trapping when the index is
    /// out of bounds, the entry is null, or its type id differs from the one at `typeIdOffset`.
    mutating func loadCheckedFuncRef(_ dst: Reg, tableDefinitionOffset: Int32, index: Reg, indexIs64: Bool, typeIdOffset: Int32,
                                     outOfBounds: Label, null: Label, signature: Label)

    // Integers
    /// Whether `integerBinary` and `compare` take `.memory` operands, and the float
    /// `floatBinary(_:is64:_:_:memoryIndex:displacement:)` works.
    static var foldsLoadsIntoOperands: Bool { get }
    /// Whether `integerBinary(op, ...)` (with `op` nil: `compare`) takes a `.shifted`
    /// operand with this shift in one instruction. Either takes any `.shifted` operand, but
    /// costs the shift's instruction where this is false.
    static func foldsShift(_ kind: ShiftKind, amount: UInt8, into op: IntBinaryOp?) -> Bool
    mutating func integerBinary(_ op: IntBinaryOp, is64: Bool, _ dst: Reg, _ src: Operand)
    /// `dst = lhs op rhs`, leaving `lhs` (a cached local's register) intact. `dst` is a
    /// register of its own: neither `lhs` nor `rhs`.
    mutating func integerBinary(_ op: IntBinaryOp, is64: Bool, _ dst: Reg, _ lhs: Reg, _ rhs: Operand)
    mutating func integerUnary(_ op: IntUnaryOp, is64: Bool, _ dst: Reg, _ src: Reg)
    mutating func compare(is64: Bool, _ lhs: Reg, _ rhs: Operand)
    mutating func setCondition(_ condition: IntCondition, _ dst: Reg)
    mutating func testZero(is64: Bool, _ reg: Reg)
    mutating func setZero(_ dst: Reg)
    mutating func shift(_ kind: ShiftKind, is64: Bool, _ dst: Reg, count: Operand)
    /// Divides `dividend` by `divisor`, trapping on a zero divisor and on signed overflow.
    /// With `divisionRegisters`, the dividend must be in the quotient register and the
    /// result is in the quotient or remainder register; without, it replaces the dividend.
    mutating func divide(_ kind: DivisionKind, is64: Bool, dividend: Reg, divisor: Reg, divideByZero: Label, overflow: Label)
    mutating func extend(_ op: NumericOp, _ dst: Reg, _ src: Reg)
    mutating func select(_ type: ValType, _ dst: Reg, otherwise: Reg, condition: Reg)
    /// `select` of an f32 or f64 on a comparison still in the flags: `dst` keeps its value
    /// when `condition` holds, else takes `otherwise`'s.
    mutating func selectFloat(_ type: ValType, _ dst: Reg, otherwise: Reg, flags condition: IntCondition)

    // Floats
    mutating func floatBinary(_ op: FloatBinaryOp, is64: Bool, _ dst: Reg, _ src: Reg)
    mutating func floatUnary(_ op: FloatUnaryOp, is64: Bool, _ dst: Reg, _ src: Reg)
    mutating func floatCompare(_ condition: FloatCondition, is64: Bool, _ dst: Reg, _ lhs: Reg, _ rhs: Reg)
    /// `dst = lhs op rhs`, leaving `lhs` intact; `dst` is neither source.
    mutating func floatBinary(_ op: FloatBinaryOp, is64: Bool, _ dst: Reg, _ lhs: Reg, _ rhs: Reg)
    /// `dst = lhs op` a `.memory` operand of the float's width (`dst` may be `lhs`; only
    /// where `foldsLoadsIntoOperands`).
    mutating func floatBinary(_ op: FloatBinaryOp, is64: Bool, _ dst: Reg, _ lhs: Reg, memoryIndex index: Reg, displacement: Int32)
    /// Compares for a branch: when one flags condition is the comparison's outcome (NaN
    /// operands included), emits the compare and returns that condition; otherwise emits
    /// nothing and returns nil (the caller materializes the outcome with `floatCompare`).
    mutating func floatCompareFlags(_ condition: FloatCondition, is64: Bool, _ lhs: Reg, _ rhs: Reg) -> IntCondition?
    /// Makes an i32 a call returned what every i32 in a register is: zero-extended to the
    /// register's width (a host function's C return may leave the upper half set).
    mutating func normalizeCallResultI32(_ reg: Reg)
    /// Makes the stack-limit check emitted at `range` (by `checkStackLimit`) do nothing.
    mutating func elideStackCheck(_ range: Range<Int>)
    /// An access to memory 0 at a constant address (a constant index plus the offset, below
    /// 2^31) where guard pages do the bounds check: the base register and a displacement.
    mutating func wasmLoad(_ op: LoadOp, _ dst: Reg, constantAddress: Int32)
    mutating func wasmStore(_ op: StoreOp, value: Reg, constantAddress: Int32)
    /// Whether `wasmStore(_:index:constant:...)` can store `bits` with `op`.
    func canStoreConstant(_ op: StoreOp, _ bits: UInt64) -> Bool
    /// A pinned-memory store of a constant (`wasmStore`'s access) without a register for
    /// it; only where `canStoreConstant`.
    mutating func wasmStore(_ op: StoreOp, index: Reg, constant bits: UInt64, offset: UInt64, definitionOffset: Int32,
                            boundsTrap: Label?)
    mutating func convertIntToFloat(signed: Bool, from64: Bool, to64: Bool, _ dst: Reg, _ src: Reg)
    mutating func convertFloat(to64: Bool, _ dst: Reg, _ src: Reg)
    /// Truncates toward zero with the hardware's conversion; jumps to `outOfRange` when the
    /// hardware reports its out-of-range value (which may also be a correct result).
    mutating func truncateFloat(signed: Bool, from64: Bool, to64: Bool, _ dst: Reg, _ src: Reg, outOfRange: Label)
    mutating func reinterpret(_ dst: Reg, _ src: Reg, is64: Bool)

    // Memory
    /// Loads from linear memory 0 at `index + offset`. With `boundsTrap`, the access is
    /// checked against the length in the memory definition at VMContext offset
    /// `definitionOffset`; without, the guard region catches it.
    mutating func wasmLoad(_ op: LoadOp, _ dst: Reg, index: Reg, offset: UInt64, definitionOffset: Int32, boundsTrap: Label?)
    mutating func wasmStore(_ op: StoreOp, index: Reg, value: Reg, offset: UInt64, definitionOffset: Int32, boundsTrap: Label?)
    /// Loads from any memory (multi-memory, memory64): its definition pointer is in
    /// `definition`, which the access may clobber; `index` is an i64 when `is64`. With
    /// `pinnedBase` the memory is memory 0 and its base is in the pinned register. With
    /// `boundsTrap`, `index + offset + size <= length` is checked without overflow; without,
    /// the memory's guard region must cover every 32-bit index and offset.
    mutating func wasmLoad(_ op: LoadOp, _ dst: Reg, index: Reg, is64: Bool, offset: UInt64, definition: Reg,
                           pinnedBase: Bool, boundsTrap: Label?)
    mutating func wasmStore(_ op: StoreOp, index: Reg, is64: Bool, value: Reg, offset: UInt64, definition: Reg,
                            pinnedBase: Bool, boundsTrap: Label?)

    // Control
    mutating func jump(_ label: Label)
    mutating func branch(_ condition: IntCondition, _ label: Label)
    mutating func branchIfZero(is64: Bool, _ reg: Reg, _ label: Label)
    mutating func branchIfNonZero(is64: Bool, _ reg: Reg, _ label: Label)
    mutating func jumpTable(index: Reg, targets: [Label], scratch: Reg)
    /// A direct call of defined function `index`: the displacement is left for the linking
    /// of the module's code, recorded in `functionReferences` (so functions compile apart).
    mutating func call(function index: Int)
    /// The direct calls and tail jumps emitted so far, in code order.
    var functionReferences: [FunctionReference] { get }
    /// Points the call or jump at `position` of `code` at `target` (offsets in `code`);
    /// false when the distance is beyond the instruction's reach.
    static func linkFunctionReference(in code: UnsafeMutableRawBufferPointer, at position: Int, to target: Int) -> Bool
    mutating func callFuncRef(_ reference: Reg)
    mutating func callAddress(_ address: UInt)
    /// Whether runtime addresses (`callAddress`, `callAddressRecordingExit`, `trap`'s
    /// `raise`) are materialized with a fixed-length sequence and recorded in
    /// `embeddedAddresses`, so a compiled artifact can patch them in another process (the
    /// default). Golden code tests turn it off: their placeholder addresses then take the
    /// shortest encoding, as they always did.
    var fixedLengthAddresses: Bool { get set }
    /// (code offset, address) of every runtime address embedded so far with
    /// `fixedLengthAddresses` on; the offset is where `patchAddress` rewrites it.
    var embeddedAddresses: [(offset: Int, address: UInt)] { get }
    /// Rewrites the fixed-length address sequence at `offset` of `code` (of `length`
    /// bytes) to materialize `address`. Returns false, writing nothing, when the bytes
    /// there are not such a sequence or do not fit.
    static func patchAddress(in code: UnsafeMutableRawPointer, length: Int, at offset: Int, address: UInt) -> Bool
    /// Fuel lives in a register the allocator never hands out, within functions of a
    /// module metered with fuel; the store's `KilnStoreRuntime.fuel` (reached through the
    /// VMContext's runtime pointer at `runtimeOffset`) holds it across calls, returns and
    /// traps. Loads it from the store.
    mutating func loadFuel(runtimeOffset: Int32)
    /// Writes the fuel register back to the store.
    mutating func storeFuel(runtimeOffset: Int32)
    /// Starts charging a straight-line run: subtracts an amount given later from the fuel
    /// register. Clobbers the flags. Returns where `finishFuelCharge` patches.
    mutating func beginFuelCharge() -> Range<Int>
    /// Sets the amount of a charge begun earlier (0 removes the charge).
    mutating func finishFuelCharge(_ charge: Range<Int>, amount: Int32)
    /// Jumps to `outOfFuel` when the fuel register is ≤ 0.
    mutating func checkFuel(outOfFuel: Label)
    /// Jumps to `interrupt` when the epoch (`*[vmctx + counterOffset]`) reached the deadline
    /// (`[vmctx + deadlineOffset]`).
    mutating func checkEpoch(counterOffset: Int32, deadlineOffset: Int32, interrupt: Label)
    /// `callAddress`, recording the frame pointer and return address in the VMContext's exit
    /// fields first (the callee may collect and walks the frames from there).
    mutating func callAddressRecordingExit(_ address: UInt)
    /// Calls `raise` (kiln_trap) with the trap code (nil: the second result register holds
    /// it), the wasm offset, the frame pointer, the current pc and a detail value.
    mutating func trap(code: Int32?, wasmOffset: Int32, detail: Reg?, raise: UInt)

    // SIMD (see `CodeGenerator+SIMD.swift`). v128 values live in float registers, whole.
    /// Whether this macro assembler compiles `op`; a module using one it does not runs on
    /// the interpreter.
    static func supportsSIMD(_ op: SIMDOp) -> Bool
    /// How many temporary registers of each class `simd(op, ...)` needs (the code
    /// generator allocates them and passes them in `SIMDOperands`).
    static func simdTemporaries(_ op: SIMDOp) -> (gprs: Int, fprs: Int)
    /// Whether `simd(op, ...)` takes a v128 result register apart from `a` (three-operand
    /// forms, x86's AVX): then `a` and `b` may be registers caching locals, which it leaves
    /// intact, and the result may be any free register.
    func simdResultMayDiffer(_ op: SIMDOp) -> Bool
    /// The same for `shuffle`, `extractLane` and `replaceLane`.
    static var laneTemporaries: (gprs: Int, fprs: Int) { get }
    /// The relaxed SIMD flavor this ISA's native forms compute (`RelaxedSIMDFlavor`).
    static var relaxedFlavor: RelaxedSIMDFlavor { get }
    /// The temporaries `nativeRelaxed(op, ...)` needs when it has its own form of the
    /// relaxed operation `op` (one differing from the deterministic sequence); nil when not.
    static func nativeRelaxedTemporaries(_ op: SIMDOp) -> (gprs: Int, fprs: Int)?
    /// A relaxed operation in the ISA's own form (`relaxedFlavor`), operands as for `simd`.
    mutating func nativeRelaxed(_ op: SIMDOp, _ operands: SIMDOperands)
    mutating func loadV128Constant(_ dst: Reg, _ value: V128)
    /// A SIMD operation without immediates (see `SIMDOperands` for where operands and
    /// results are).
    mutating func simd(_ op: SIMDOp, _ operands: SIMDOperands)
    /// `i8x16.shuffle`: `operands.result` (which is `operands.a`) gets the bytes `lanes`
    /// selects from `a` (0...15) and `b` (16...31).
    mutating func shuffle(_ operands: SIMDOperands, lanes: V128)
    /// `extract_lane`: `operands.result` (a register of the lane's scalar class) gets lane
    /// `lane` of `operands.a`.
    mutating func extractLane(_ op: SIMDLaneOp, lane: UInt8, _ operands: SIMDOperands)
    /// `replace_lane`: lane `lane` of `operands.a` (also the result) becomes `operands.b`.
    mutating func replaceLane(_ op: SIMDLaneOp, lane: UInt8, _ operands: SIMDOperands)
    /// A SIMD load or store of linear memory 0 through the pinned base, addressed as
    /// `wasmLoad` addresses. `value` is the loaded or stored vector (for a lane load, also
    /// the vector whose lane is replaced).
    mutating func simdMemory(_ access: SIMDMemoryAccess, _ value: Reg, index: Reg, offset: UInt64, definitionOffset: Int32,
                             boundsTrap: Label?)
    /// The same for any memory, addressed as the general `wasmLoad` addresses.
    mutating func simdMemory(_ access: SIMDMemoryAccess, _ value: Reg, index: Reg, is64: Bool, offset: UInt64,
                             definition: Reg, pinnedBase: Bool, boundsTrap: Label?)

    // Glue between Swift and machine code (one per signature)
    /// Places what the code refers to but does not execute (constants) after the last
    /// instruction: called after each function (so a function's code and its constants move
    /// together when functions are compiled apart) and after the trampolines.
    mutating func emitLiteralPool()
    /// `void trampoline(code, vmctx, values)`: calls the wasm-convention function `code`
    /// with the parameters in the `ValRaw` array `values` and writes its results there.
    mutating func arrayCallTrampoline(_ type: FuncType)
    /// A wasm-convention entry for functions without machine code (host functions,
    /// interpreted functions): passes the arguments as a `ValRaw` array to
    /// `arrayCall(funcRef, callerVMContext, values) -> Int32`; a nonzero status raises the
    /// host-error trap through `raise`.
    mutating func adapter(_ type: FuncType, arrayCall: UInt, raise: UInt)
    /// The wasm-convention entry shared by host functions with a native closure: records
    /// the caller's exit in its VMContext (which `callFuncRef` leaves to the callee), then
    /// jumps to the closure, whose address is at `closureOffset` in the callee's context.
    mutating func hostEntry(closureOffset: Int32)
}


/// A SIMD load or store, with the bytes it touches.
enum SIMDMemoryAccess: Sendable, Equatable {
    case load(SIMDLoadOp)
    case store
    case loadLane(SIMDLaneMemoryOp, lane: UInt8)
    case storeLane(SIMDLaneMemoryOp, lane: UInt8)

    /// Bytes read or written.
    var size: Int {
        switch self {
        case .load(let op):
            switch op {
            case .v128Load: 16
            case .load8x8S, .load8x8U, .load16x4S, .load16x4U, .load32x2S, .load32x2U, .load64Splat, .load64Zero: 8
            case .load8Splat: 1
            case .load16Splat: 2
            case .load32Splat, .load32Zero: 4
            }
        case .store: 16
        case .loadLane(let op, _), .storeLane(let op, _): 1 << Int(op.rawValue)
        }
    }
}

/// The registers of a SIMD operation. The operands are owned by the operation: it may
/// clobber them, except that a scalar operand of `replace_lane`, `splat` and shifts is left
/// intact. A v128 result goes to `result`, which is `a` whenever `a` is a v128 (x86's
/// two-operand forms then need no copy); a scalar result (`extract_lane`, tests) or a
/// splat's vector goes to a register of its own class, which may be `a` when the classes
/// agree. The exception: for an operation `simdResultMayDiffer` accepts, `result` may be
/// another register and `a`, `b` are read only (they may cache locals).
struct SIMDOperands {
    var result: Reg
    var a: Reg
    var b: Reg? = nil
    var c: Reg? = nil
    /// A shift's count when it is a constant (then `b` is nil); the macro assembler masks it.
    var immediate: Int32? = nil
    /// Temporaries, as many as `simdTemporaries`/`laneTemporaries` asked for.
    var gprs: [Reg] = []
    var fprs: [Reg] = []
}

/// How many 8-byte words a value takes where values are laid out as words (stack-passed
/// arguments, results areas): a v128 takes two.
enum ValueWords {
    static func count(_ type: ValType) -> Int { type == .v128 ? 2 : 1 }

    /// The word offset of each value of `types` laid out one after another.
    static func offsets(_ types: [ValType]) -> [Int] {
        var offsets: [Int] = [], word = 0
        for type in types {
            offsets.append(word)
            word += count(type)
        }
        return offsets
    }

    static func total(_ types: [ValType]) -> Int { types.reduce(0) { $0 + count($1) } }
}

extension MacroAssembler {
    /// Most macro assemblers keep no literals apart from the code.
    mutating func emitLiteralPool() {}

    /// A word at a time (an ISA with a zero register stores it in one instruction).
    mutating func zeroFrame(from low: Int32, to high: Int32) {
        for slot in stride(from: low, to: high, by: 8) { storeConstant(.i64, slot: slot, 0) }
    }

    mutating func integerBinary(_ op: IntBinaryOp, is64: Bool, _ dst: Reg, _ lhs: Reg, _ rhs: Operand) {
        move(is64 ? .i64 : .i32, dst, lhs)
        integerBinary(op, is64: is64, dst, rhs)
    }

    mutating func floatBinary(_ op: FloatBinaryOp, is64: Bool, _ dst: Reg, _ lhs: Reg, _ rhs: Reg) {
        move(is64 ? .f64 : .f32, dst, lhs)
        floatBinary(op, is64: is64, dst, rhs)
    }

    mutating func normalizeCallResultI32(_ reg: Reg) {}

    /// Most ISAs store from registers only.
    func canStoreConstant(_ op: StoreOp, _ bits: UInt64) -> Bool { false }

    mutating func wasmStore(_ op: StoreOp, index: Reg, constant bits: UInt64, offset: UInt64, definitionOffset: Int32,
                            boundsTrap: Label?) {
        preconditionFailure("no store of a constant on this ISA")
    }

    init(cpuFeatures: CPUFeatures) { self.init() }

    /// Two-operand machines write the result over the first operand.
    func simdResultMayDiffer(_ op: SIMDOp) -> Bool { false }
}
