import Foundation

/// Where the WebAssembly spec test suite lives: `$KILN_TESTSUITE`, or `../shared/wasm-testsuite`
/// beside the package. Under `CI=true` a missing suite is an error, not a reason to skip.
enum SpecSuite {
    static let directory: String? = {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["KILN_TESTSUITE"], !path.isEmpty { return path }
        // Tests/KilnTests/Spec/SpecSuite.swift → the package root is three folders up.
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let candidate = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/wasm-testsuite").path
        return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
    }()

    static var isRequired: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// The top-level (WebAssembly 2.0) scripts, sorted by name.
    static let topLevelFiles: [String] = {
        guard let directory,
            let names = try? FileManager.default.contentsOfDirectory(atPath: directory)
        else { return [] }
        return names.filter { $0.hasSuffix(".wast") }.sorted()
    }()

    static func path(_ name: String) -> String {
        (directory ?? "") + "/" + name
    }

    /// The WebAssembly 3.0 suite: `$KILN_TESTSUITE_3`, or `wasm-testsuite-3.0` beside the 2.0 suite.
    static let directory3: String? = {
        if let path = ProcessInfo.processInfo.environment["KILN_TESTSUITE_3"], !path.isEmpty { return path }
        guard let directory else { return nil }
        let candidate = URL(fileURLWithPath: directory).deletingLastPathComponent()
            .appendingPathComponent("wasm-testsuite-3.0").path
        return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
    }()

    /// The 3.0 suite's top-level scripts and its `legacy/` exception-handling scripts.
    static let files3: [String] = {
        guard let directory = directory3 else { return [] }
        let fileManager = FileManager.default
        let top = (try? fileManager.contentsOfDirectory(atPath: directory)) ?? []
        let legacy = (try? fileManager.contentsOfDirectory(atPath: directory + "/legacy")) ?? []
        return (top.filter { $0.hasSuffix(".wast") } + legacy.filter { $0.hasSuffix(".wast") }.map { "legacy/" + $0 }).sorted()
    }()

    /// Scripts of the 3.0 suite that test garbage collection, which Kiln does not implement:
    /// their GC modules are rejected as an unsupported feature and skipped, with the
    /// directives that use them. In every other script nothing may be skipped.
    static let garbageCollectionScripts: Set<String> = [
        "array.wast", "array_copy.wast", "array_fill.wast", "array_init_data.wast", "array_init_elem.wast",
        "array_new_data.wast", "array_new_elem.wast", "struct.wast", "i31.wast", "br_on_cast.wast",
        "br_on_cast_fail.wast", "ref_cast.wast", "ref_test.wast", "ref_eq.wast", "type-canon.wast",
        "type-equivalence.wast", "type-rec.wast", "type-subtyping.wast", "extern.wast", "binary-gc.wast",
        // Scripts with some modules that use GC types.
        "br_table.wast", "ref_null.wast", "table_init.wast", "table_init64.wast", "tag.wast",
    ]
}
