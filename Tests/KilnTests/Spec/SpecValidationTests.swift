import Testing
import Kiln
import KilnWAST

/// Every top-level spec script: modules must load, and every `assert_malformed` and
/// `assert_invalid` must be rejected with the spec's message.
@Suite struct SpecValidationTests {
    @Test func suiteIsPresent() throws {
        if SpecSuite.directory == nil {
            #expect(!SpecSuite.isRequired, "the spec suite is missing: set KILN_TESTSUITE or check out ../shared/wasm-testsuite")
            return
        }
        #expect(SpecSuite.topLevelFiles.count >= 147)
    }

    @Test(arguments: SpecSuite.topLevelFiles)
    func script(_ name: String) throws {
        let runner = WASTRunner(engine: try Engine(Config(strategy: .interpreter)))
        let result = runner.run(path: SpecSuite.path(name))
        #expect(result.tally.failed == 0, "\(result.failures.prefix(20).joined(separator: "\n"))")
        #expect(result.tally.passed > 0)
    }
}
