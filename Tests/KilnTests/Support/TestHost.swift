/// Facts about the machine the tests run on.
enum TestHost {
    /// Whether the tests run on x86-64 (the AArch64 build runs under qemu).
    static var isX64: Bool {
        #if arch(x86_64)
            return true
        #else
            return false
        #endif
    }
}
