/// A bug in Kiln's JIT found while compiling: one of the code generator's invariants did
/// not hold (a register could not be allocated, a branch found the abstract state in a
/// shape it never should be in). The module itself may be valid; it is the compiler that
/// failed, and it says so instead of taking the embedding process down.
///
/// The code generator records the first failure and stops translating; the module's
/// machine code is discarded and `Module(engine, ...)` throws this error.
public struct CompileError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The function's index in the module's function index space (imports first).
    public var functionIndex: Int
    /// Its name from the `name` section, if any.
    public var functionName: String?
    /// The byte offset in the module binary of the instruction being compiled.
    public var wasmOffset: Int
    /// Which invariant failed.
    public var message: String

    public var description: String {
        let name = functionName.map { " (\($0))" } ?? ""
        return "JIT compiler error in function \(functionIndex)\(name) at offset 0x\(String(wasmOffset, radix: 16)): "
            + "\(message) (a bug in Kiln's compiler; the interpreter, --engine interp, can run the module)"
    }
}
