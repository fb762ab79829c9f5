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
}
