import Foundation
import Testing
import WAT
@testable import Kiln

/// The legacy exception instructions in the text format (`try`, `catch`, `catch_all`,
/// `delegate`, `rethrow`), checked byte for byte: the decoder does not read them yet.
@Suite struct LegacyExceptionTextTests {
    /// The code of each function body: the bytes after the locals, up to and including the
    /// final `end`. The tests' functions declare no locals.
    func bodies(_ text: String) throws -> [[UInt8]] {
        let binary = try TextFormat.encode(text)
        var position = 8
        func uleb() -> Int {
            var result = 0
            var shift = 0
            while true {
                let byte = binary[position]
                position += 1
                result |= Int(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return result }
                shift += 7
            }
        }
        while position < binary.count {
            let id = binary[position]
            position += 1
            let size = uleb()
            let end = position + size
            defer { position = end }
            guard id == 10 else {
                position = end
                continue
            }
            var result: [[UInt8]] = []
            for _ in 0..<uleb() {
                let bodySize = uleb()
                let bodyEnd = position + bodySize
                #expect(binary[position] == 0, "no local declarations")
                result.append(Array(binary[(position + 1)..<bodyEnd]))
                position = bodyEnd
            }
            #expect(position == end, "the code section's size covers its bodies")
            return result
        }
        return []
    }

    func body(_ text: String) throws -> [UInt8] {
        let all = try bodies(text)
        #expect(all.count == 1)
        return all.first ?? []
    }

    /// Both tags of these tests: 0 takes an i32, 1 nothing.
    let tags = "(tag $e (param i32)) (tag $f)"

    @Test func catchAndCatchAll() throws {
        let expected: [UInt8] = [
            0x06, 0x7F,  // try (result i32)
            0x41, 0x01,  //   i32.const 1
            0x07, 0x00,  // catch $e
            0x07, 0x01,  // catch $f
            0x41, 0x02,  //   i32.const 2
            0x19,  // catch_all
            0x41, 0x03,  //   i32.const 3
            0x0B,  // end
            0x0B,
        ]
        let flat = try body("""
            (module \(tags)
              (func (result i32)
                try (result i32)
                  i32.const 1
                catch $e
                catch $f
                  i32.const 2
                catch_all
                  i32.const 3
                end))
            """)
        #expect(flat == expected)
        let folded = try body("""
            (module \(tags)
              (func (result i32)
                (try (result i32)
                  (do (i32.const 1))
                  (catch $e)
                  (catch $f (i32.const 2))
                  (catch_all (i32.const 3)))))
            """)
        #expect(folded == expected)
    }

    @Test func tryInsideFoldedOperands() throws {
        // A folded try as the operand of a folded instruction, and a flat try in a folded block.
        let bytes = try body("""
            (module \(tags)
              (func (result i32)
                (i32.add
                  (try (result i32) (do (i32.const 1)) (catch_all (i32.const 2)))
                  (block (result i32) try (result i32) i32.const 3 catch 0 end))))
            """)
        #expect(bytes == [
            0x06, 0x7F, 0x41, 0x01, 0x19, 0x41, 0x02, 0x0B,
            0x02, 0x7F, 0x06, 0x7F, 0x41, 0x03, 0x07, 0x00, 0x0B, 0x0B,
            0x6A, 0x0B,
        ])
    }

    @Test func delegateLabels() throws {
        let expected: [UInt8] = [
            0x02, 0x40,  // block $outer
            0x06, 0x40,  //   try $t
            0x06, 0x40, 0x01, 0x18, 0x00,  // try nop delegate 0 ($t)
            0x06, 0x40, 0x18, 0x01,  // try delegate $outer
            0x06, 0x40, 0x18, 0x02,  // try delegate 2 (the function)
            0x19,  // catch_all
            0x0B,  // end
            0x0B,  // end
            0x0B,
        ]
        let flat = try body("""
            (module
              (func
                block $outer
                  try $t
                    try
                      nop
                    delegate 0
                    try
                    delegate $outer
                    try
                    delegate 2
                  catch_all
                  end
                end))
            """)
        #expect(flat == expected)
        let folded = try body("""
            (module
              (func
                (block $outer
                  (try $t
                    (do
                      (try (do (nop)) (delegate 0))
                      (try (do) (delegate $outer))
                      (try (do) (delegate 2)))
                    (catch_all)))))
            """)
        #expect(folded == expected)
    }

    @Test func delegateLabelNamesCountFromOutsideTheTry() throws {
        // `delegate $t` names the block, not the try that has the same name; `br $t` inside
        // names the try. A folded if's label does not enclose its condition.
        let bytes = try body("""
            (module
              (func
                (block $t
                  (try $t (do (br $t)) (delegate $t)))
                (block $b
                  (if $i (try (result i32) (do (i32.const 1)) (delegate $b))
                    (then (try (do) (delegate $i)))))))
            """)
        #expect(bytes == [
            0x02, 0x40, 0x06, 0x40, 0x0C, 0x00, 0x18, 0x00, 0x0B,
            0x02, 0x40,
            0x06, 0x7F, 0x41, 0x01, 0x18, 0x00,
            0x04, 0x40, 0x06, 0x40, 0x18, 0x00, 0x0B,
            0x0B,
            0x0B,
        ])
    }

    @Test func rethrowDepths() throws {
        let expected: [UInt8] = [
            0x06, 0x40,  // try $l
            0x07, 0x01,  // catch $f
            0x02, 0x40,  //   block
            0x09, 0x01,  //     rethrow 1
            0x0B,  //   end
            0x09, 0x00,  //   rethrow 0
            0x19,  // catch_all
            0x02, 0x40, 0x09, 0x01, 0x0B,  // block rethrow $l end
            0x0B,
            0x0B,
        ]
        let flat = try body("""
            (module \(tags)
              (func
                try $l
                catch $f
                  block
                    rethrow 1
                  end
                  rethrow 0
                catch_all
                  block rethrow $l end
                end))
            """)
        #expect(flat == expected)
        let folded = try body("""
            (module \(tags)
              (func
                (try $l
                  (do)
                  (catch $f (block (rethrow 1)) (rethrow 0))
                  (catch_all (block (rethrow $l))))))
            """)
        #expect(folded == expected)
    }

    @Test func blockTypes() throws {
        let text = """
            (module \(tags)
              (type $void (func))
              (type $sig (func (param i32) (result i32)))
              (func (param i32) (result i32)
                local.get 0
                try (type $sig)
                catch_all
                  i32.const 1
                end
                (try (param i32) (result i32) (do) (catch $f (i32.const 2)))
                (try (result i64) (do (i64.const 3)) (catch_all (i64.const 4)))
                drop))
            """
        // Explicit types come first, so $sig is type 1; `(param i32) (result i32)` is $sig too.
        #expect(try body(text) == [
            0x20, 0x00,
            0x06, 0x01, 0x19, 0x41, 0x01, 0x0B,
            0x06, 0x01, 0x07, 0x01, 0x41, 0x02, 0x0B,
            0x06, 0x7E, 0x42, 0x03, 0x19, 0x42, 0x04, 0x0B,
            0x1A,
            0x0B,
        ])
    }

    @Test func repeatedLabelsCommentsAndStrings() throws {
        let bytes = try bodies("""
            (module \(tags)
              ;; try catch delegate rethrow in a line comment
              (func (export "try catch_all (delegate 0)")
                (; try (; nested ;) rethrow ;)
                try $l catch $l $e drop catch $l 1 catch_all $l end $l
                try $m (result i32) i32.const 0 catch_all $m i32.const 1 end $m drop)
              (func
                (try $n (do) (catch $n $f) (catch_all $n))))
            """)
        #expect(bytes == [
            [0x06, 0x40, 0x07, 0x00, 0x1A, 0x07, 0x01, 0x19, 0x0B,
             0x06, 0x7F, 0x41, 0x00, 0x19, 0x41, 0x01, 0x0B, 0x1A, 0x0B],
            [0x06, 0x40, 0x07, 0x01, 0x19, 0x0B, 0x0B],
        ])
        let binary = try TextFormat.encode("(module (func (export \"try catch\") try catch_all end))")
        let name = Array("try catch".utf8)
        #expect(binary.indices.contains { binary[$0...].starts(with: name) }, "the export name is untouched")
    }

    @Test func throwAndTryTableStayAsTheyAre() throws {
        // try_table's `(catch $e 0)` and `(catch_all 0)` are not legacy clauses.
        let bytes = try body("""
            (module \(tags)
              (func (result i32)
                (block $h (result i32)
                  (try_table (catch $e $h) (catch_all 0)
                    (try (do (throw $f)) (catch_all (rethrow 0)))
                    (i32.const 1)
                    (throw $e)))
                (block $k
                  try_table (catch_all $k) try catch $f end end)
                drop))
            """)
        #expect(bytes == [
            0x02, 0x7F,
            0x1F, 0x40, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00,
            0x06, 0x40, 0x08, 0x01, 0x19, 0x09, 0x00, 0x0B,
            0x41, 0x01, 0x08, 0x00,
            0x0B,
            0x0B,
            0x02, 0x40,
            0x1F, 0x40, 0x01, 0x02, 0x00,
            0x06, 0x40, 0x07, 0x01, 0x0B,
            0x0B,
            0x0B,
            0x1A,
            0x0B,
        ])
    }

    @Test func textWithoutLegacyInstructionsIsEncodedAsBefore() throws {
        let texts = [
            """
            (module (tag $e) (func (export "try") (param i32) (result i32)
              (block $h (try_table (catch_all $h) (throw $e))) ;; try catch delegate rethrow
              (i64.const 0x4B494C4E4C454801) drop
              local.get 0))
            """,
            "(module (memory 1) (data (i32.const 0) \"try rethrow\") (func (v128.const i64x2 1 2) drop))",
        ]
        for text in texts {
            #expect(try LegacyExceptionText.rewrite(text) == nil)
            let direct = try wat2wasm(text, features: TextFormat.features, options: EncodeOptions(nameSection: true))
            #expect(try TextFormat.encode(text) == direct)
        }
        // The binary pass alone leaves a binary without markers as it is.
        let direct = try wat2wasm(texts[1], features: TextFormat.features, options: EncodeOptions(nameSection: true))
        #expect(try LegacyExceptionText.restore(direct) == direct)
        #expect(LegacyExceptionText.rewriteScript("(module (func nop)) (assert_return (invoke \"try\"))") == nil)
    }

    @Test func markerValuesInTheTextAreCaught() throws {
        // A marker written out by hand is found beside the real ones: the count disagrees.
        #expect(throws: TextFormatError.self) {
            try TextFormat.encode("(module (func try catch_all end (i64.const \(LegacyExceptionText.Marker.catchAll.value)) drop))")
        }
    }

    @Test func malformedLegacyText() throws {
        let malformed = [
            "(module (func (delegate 0)))",
            "(module (func (catch_all)))",
            "(module (tag $e) (func (catch $e)))",
            "(module (tag $e) (func (try (do) (catch $e) (delegate 0))))",
            "(module (func (try (do) (catch_all) (delegate 0))))",
            "(module (func (try (do) (delegate) (delegate 0))))",
            "(module (func (try (do) (catch_all) (catch_all))))",
            "(module (func (try (catch_all))))",
            "(module (func (try nop (do))))",
            "(module (func try catch_all catch_all end))",
            "(module (tag $e) (func try catch_all catch $e end))",
            "(module (func try delegate $nowhere))",
            "(module (func try $a catch_all $b end))",
            "(module (func try nop))",
            "(module (func rethrow))",
        ]
        for text in malformed {
            #expect(throws: TextFormatError.self, "\(text)") { try TextFormat.encode(text) }
        }
        do {
            _ = try TextFormat.encode("(module\n  (func try catch_all\n    catch_all end))")
            Issue.record("accepted a second catch_all")
        } catch let error as TextFormatError {
            #expect(error.line == 3)
            #expect(error.column == 5)
        }
    }

    @Test func parserErrorsPointIntoTheOriginalText() throws {
        // The parser sees `i64.const ... throw $nope` where the text has `catch $nope`; its
        // error is moved back to where `$nope` is, as for a plain `throw $nope` there.
        func location(_ text: String) -> (Int?, Int?) {
            do {
                _ = try TextFormat.encode(text)
            } catch let error as TextFormatError {
                return (error.line, error.column)
            } catch {}
            return (nil, nil)
        }
        let legacy = location("(module (tag $e)\n  (func try (; x ;) catch $nope end))")
        let plain = location("(module (tag $e)\n  (func nop (; x ;) throw $nope nop))")
        #expect(legacy.0 == 2)
        #expect(legacy == plain)
        let firstLine = location("(module (tag $e) (func try catch $e i32.const 1 catch_all foo end))")
        let plainFirstLine = location("(module (tag $e) (func nop throw $e i32.const 1 nop       foo end))")
        #expect(firstLine.1 != nil)
        #expect(firstLine == plainFirstLine)
    }

    @Test func unknownNumericLabelsAreLeftToTheValidator() throws {
        // Out of range here, but that is for validation to say ("unknown label").
        #expect(try body("(module (func (try (do) (delegate 1))))") == [0x06, 0x40, 0x18, 0x01, 0x0B])
        #expect(try body("(module (func (rethrow 0)))") == [0x09, 0x00, 0x0B])
    }

    // MARK: The spec's legacy scripts

    static let legacyDirectory: String? = {
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let path = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/wasm-testsuite-3.0/legacy").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }()

    /// Every module of the legacy spec scripts converts; the quoted malformed ones do not.
    @Test(.enabled(if: legacyDirectory != nil, "the 3.0 spec suite is not beside the package"),
          arguments: ["throw.wast", "try_catch.wast", "try_delegate.wast", "rethrow.wast"])
    func legacySpecScript(_ name: String) throws {
        let source = try String(contentsOfFile: (Self.legacyDirectory ?? "") + "/" + name, encoding: .utf8)
        let rewritten = try #require(LegacyExceptionText.rewriteScript(source))
        #expect(rewritten.split(separator: "\n", omittingEmptySubsequences: false).count
            == source.split(separator: "\n", omittingEmptySubsequences: false).count, "lines keep their numbers")
        var script = try parseWAST(rewritten, features: TextFormat.features)
        var modules = 0
        var legacyOpcodes = 0
        while let (parsed, location) = script.nextDirectiveResult() {
            let line = location.computeLineAndColumn().line
            guard case .success(let directive) = parsed else {
                Issue.record("\(name):\(line): the directive does not parse")
                continue
            }
            enum Expectation { case encodes, mayFailInWasmKit, isMalformed }
            let source: ModuleSource
            let expectation: Expectation
            switch directive {
            case .module(let module):
                source = module.source
                expectation = .encodes
            case .assertInvalid(let module, _):
                // WasmKit's encoder itself rejects some invalid modules (`throw` of an
                // unknown tag), which the script runner counts as rejected.
                source = module.source
                expectation = .mayFailInWasmKit
            case .assertMalformed(let module, _):
                source = module.source
                expectation = .isMalformed
            default: continue
            }
            let binary: [UInt8]?
            switch source {
            case .text(let wat):
                do {
                    binary = try LegacyExceptionText.restore(wat.encode(options: EncodeOptions(nameSection: true)))
                } catch is WatParserError where expectation == .mayFailInWasmKit {
                    continue
                }
            case .quote(let bytes):
                binary = try? TextFormat.encode(String(decoding: bytes, as: UTF8.self))
            case .binary(let bytes):
                binary = bytes
            }
            if expectation != .isMalformed {
                guard let binary else {
                    Issue.record("\(name):\(line): the module does not encode")
                    continue
                }
                modules += 1
                // Every marker is gone: restoring again finds nothing.
                #expect(try LegacyExceptionText.restore(binary) == binary)
                legacyOpcodes += binary.filter { [0x06, 0x07, 0x09, 0x18, 0x19].contains($0) }.count
            } else {
                #expect(binary == nil, "\(name):\(line): a malformed module was accepted")
            }
        }
        #expect(modules > 0)
        #expect(legacyOpcodes > 0)
    }
}
