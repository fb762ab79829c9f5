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
