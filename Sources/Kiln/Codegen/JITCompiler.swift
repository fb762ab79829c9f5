/// Drives the code generator over a module and maps the result.
enum JITCompiler {
    /// Whether the JIT compiles modules for this host.
    static var isSupported: Bool {
        #if arch(x86_64)
            return true
        #else
            return false
        #endif
    }

    /// Whether the module uses anything the JIT leaves to the interpreter (SIMD).
    static func needsInterpreter(_ module: ModuleInfo) -> Bool {
        module.types.contains { $0.params.contains(.v128) || $0.results.contains(.v128) }
            || module.globals.contains { $0.valueType == .v128 }
    }
}

extension CodeGenerator where M == X64MacroAssembler {
    /// Appends the array-call trampolines and maps the module's code.
    mutating func finishModule() throws -> CompiledModule {
        var trampolines: [Int] = []
        for type in module.types {
            masm.asm.align(16, with: .int3)
            trampolines.append(masm.offset)
            masm.arrayCallTrampoline(type)
        }
        let memory = try CodeMemory(masm.finish())
        return CompiledModule(memory: memory, functionRanges: functionRanges, trampolines: trampolines,
                              memoryAccesses: memoryAccesses, stackMaps: stackMaps)
    }
}
