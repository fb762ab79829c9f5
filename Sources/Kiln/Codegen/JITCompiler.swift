/// Drives the code generator over a module and maps the result.
enum JITCompiler {
    /// Whether the JIT compiles modules for this host.
    static var isSupported: Bool {
        #if arch(x86_64) || arch(arm64)
            return true
        #else
            return false
        #endif
    }

    /// The name of the JIT for this host ("x86-64 JIT", "AArch64 JIT"), or nil without one.
    static var name: String? { isSupported ? "\(HostMacroAssembler.isaName) JIT" : nil }

}

#if arch(arm64)
    /// The macro assembler for the machine Kiln runs on.
    typealias HostMacroAssembler = AArch64MacroAssembler
#else
    /// The macro assembler for the machine Kiln runs on (x86-64; on other hosts the JIT is
    /// off, see `JITCompiler.isSupported`).
    typealias HostMacroAssembler = X64MacroAssembler
#endif

extension CodeGenerator {
    /// Appends the array-call trampolines and maps the module's code.
    mutating func finishModule() throws -> CompiledModule {
        var trampolines: [Int] = []
        for type in module.types {
            masm.alignFunctionEntry()
            trampolines.append(masm.offset)
            masm.arrayCallTrampoline(type)
        }
        masm.emitLiteralPool()
        let code: [UInt8]
        do {
            code = try masm.finish()
        } catch {
            throw CompileError(functionIndex: module.importedFunctionCount + module.functionBodies.count,
                               functionName: nil, wasmOffset: 0, message: "in the array-call trampolines: \(error)")
        }
        // Every embedded runtime address, by the runtime function it is (nil when one is
        // not, which no code generator path makes: the module then cannot be serialized).
        var relocations: [Relocation]? = []
        for (offset, address) in masm.embeddedAddresses {
            guard let function = RuntimeFunction(address: address) else {
                relocations = nil
                break
            }
            relocations?.append(Relocation(offset: offset, function: function))
        }
        let memory = try CodeMemory(code)
        let compiled = CompiledModule(memory: memory, functionRanges: functionRanges, trampolines: trampolines,
                                      memoryAccesses: memoryAccesses, stackMaps: stackMaps, relocations: relocations)
        compiled.handlers = handlerTables
        return compiled
    }
}
