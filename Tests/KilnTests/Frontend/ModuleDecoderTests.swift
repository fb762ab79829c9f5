import Testing
@testable import Kiln

/// The binary decoder, section by section, and its error paths.
/// The rules of WebAssembly 2.0 (`WasmFeatures.webAssembly2`): 3.0 gave meaning to some of
/// what they reject (several memories, memory indices, wider limits flags); its rules are
/// checked by `WebAssembly3Tests` and the 3.0 spec suite (`Spec3Tests`).
@Suite struct ModuleDecoderTests {
    typealias W = WasmBytes
    let engine: Engine = {
        var config = Config(strategy: .interpreter)
        config.features = .webAssembly2
        return try! Engine(config)
    }()

    func decode(_ bytes: [UInt8]) throws -> ModuleInfo {
        try Module(engine, binary: bytes).info
    }

    /// The error a module is rejected with.
    func rejection(_ bytes: [UInt8]) -> WasmError? {
        do {
            _ = try Module(engine, binary: bytes)
            return nil
        } catch let error as WasmError {
            return error
        } catch {
            return WasmError(.invalid, "unexpected error \(error)", offset: nil)
        }
    }

    @Test func emptyModule() throws {
        let info = try decode(W.header)
        #expect(info.types.isEmpty && info.functionBodies.isEmpty)
    }

    @Test func preamble() {
        #expect(rejection([])?.message == "unexpected end")
        #expect(rejection([0x00, 0x61, 0x73])?.message == "unexpected end")
        #expect(rejection([0x00, 0x61, 0x73, 0x6D, 0x01])?.message == "unexpected end")
        #expect(rejection([0x00, 0x41, 0x53, 0x4D, 0x01, 0x00, 0x00, 0x00])?.message == "magic header not detected")
        #expect(rejection([0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00])?.message == "unknown binary version")
    }

    @Test func everyKnownSection() throws {
        let bytes = W.module(
            W.basicTypes,
            W.section(2, W.vector([W.name("env") + W.name("f") + [0x00, 0x01],
                                   W.name("env") + W.name("g") + [0x03, 0x7F, 0x00]])),
            W.section(3, W.vector([[0x00], [0x01]])),
            W.section(4, W.vector([[0x70, 0x00, 0x02]])),
            W.section(5, W.vector([[0x01, 0x01, 0x02]])),
            W.section(6, W.vector([[0x7E, 0x01, 0x42, 0x07, 0x0B]])),
            W.section(7, W.vector([W.name("run") + [0x00, 0x01], W.name("mem") + [0x02, 0x00]])),
            W.section(8, [0x01]),
            W.section(9, W.vector([[0x00, 0x41, 0x00, 0x0B] + W.vector([[0x02]])])),
            W.section(12, [0x01]),
            W.section(10, W.vector([W.body([]), W.body([0x20, 0x00])])),
            W.section(11, W.vector([[0x00, 0x41, 0x08, 0x0B] + W.name("hi")])),
            W.section(0, W.name("extra") + [1, 2, 3])
        )
        let info = try decode(bytes)
        #expect(info.types.count == 2)
        #expect(info.imports.count == 2 && info.importedFunctionCount == 1 && info.importedGlobalCount == 1)
        #expect(info.functionTypes == [1, 0, 1])
        #expect(info.tables == [TableType(elementType: .funcRef, limits: Limits(min: 2))])
        #expect(info.memories == [MemoryType(min: 1, max: 2)])
        #expect(info.globals.count == 2 && info.globalInitializers == [.i64(7)])
        #expect(info.exports.map(\.name) == ["run", "mem"])
        #expect(info.start == 1)
        #expect(info.elements.count == 1 && info.elements[0].initializers == [.refFunc(2)])
        #expect(info.dataCount == 1 && info.data.count == 1 && info.data[0].bytes.count == 2)
        #expect(info.functionBodies.count == 2)
        #expect(info.customSections.map(\.name) == ["extra"])
        #expect(info.customSections[0].payload.count == 3)
    }

    @Test func sectionOrderAndSize() {
        // Two type sections.
        #expect(rejection(W.module(W.basicTypes, W.basicTypes))?.message == "unexpected content after last section")
        // Function section after code.
        #expect(rejection(W.module(W.section(10, [0x00]), W.section(3, [0x00])))?.message == "unexpected content after last section")
        #expect(rejection(W.module(W.section(13, [])))?.message == "malformed section id")
        // A declared size larger than the file.
        #expect(rejection(W.header + [0x01, 0x10, 0x00])?.message == "length out of bounds")
        // Contents shorter than the size.
        #expect(rejection(W.module(W.section(1, [0x00, 0x00])))?.message == "section size mismatch")
        // Custom sections may appear anywhere.
        #expect(rejection(W.module(W.section(0, W.name("a")), W.basicTypes, W.section(0, W.name("b")))) == nil)
    }

    @Test func hugeCountsAreRejectedBeforeAllocating() {
        let huge = W.uleb(0xFFFF_FFFF)
        for id: UInt8 in [1, 2, 3, 4, 5, 6, 7, 9, 10, 11] {
            let error = rejection(W.module(W.section(id, huge)))
            #expect(error?.message == "unexpected end of section or function", "section \(id)")
        }
        // A function declaring 2^32 - 1 locals.
        let body = W.uleb(8) + [0x01] + W.uleb(0xFFFF_FFFF) + [0x7F, 0x0B]
        let bytes = W.module(W.basicTypes, W.section(3, [0x01, 0x00]), W.section(10, [0x01] + body))
        #expect(rejection(bytes)?.message == "too many locals")
    }

    @Test func names() {
        let badUTF8: [UInt8] = [0x02, 0xC3, 0x28]
        #expect(rejection(W.module(W.section(7, [0x01] + badUTF8 + [0x00, 0x00])))?.message == "malformed UTF-8 encoding")
        #expect(rejection(W.module(W.section(0, badUTF8)))?.message == "malformed UTF-8 encoding")
        #expect(rejection(W.module(W.section(2, [0x01, 0x40])))?.message == "length out of bounds")
    }

    @Test func countsMustAgree() {
        #expect(rejection(W.module(W.basicTypes, W.section(3, [0x01, 0x00])))?.message
            == "function and code section have inconsistent lengths")
        #expect(rejection(W.module(W.section(12, [0x01])))?.message
            == "data count and data section have inconsistent lengths")
    }

    @Test func importKindsAndTypes() {
        let bad = W.module(W.section(2, W.vector([W.name("m") + W.name("n") + [0x04, 0x00]])))
        #expect(rejection(bad)?.message == "malformed import kind")
        let mutability = W.module(W.section(2, W.vector([W.name("m") + W.name("n") + [0x03, 0x7F, 0x02]])))
        #expect(rejection(mutability)?.message == "malformed mutability")
        let valueType = W.module(W.section(2, W.vector([W.name("m") + W.name("n") + [0x03, 0x60, 0x00]])))
        #expect(rejection(valueType)?.message == "malformed value type")
        let limits = W.module(W.section(5, [0x01, 0x02, 0x00]))
        #expect(rejection(limits)?.message == "integer too large")
    }

    @Test func allEightElementSegmentEncodings() throws {
        let offset: [UInt8] = [0x41, 0x00, 0x0B]
        let refFunc: [UInt8] = [0xD2, 0x00, 0x0B]
        let segments: [[UInt8]] = [
            [0x00] + offset + W.vector([[0x00]]),
            [0x01, 0x00] + W.vector([[0x00]]),
            [0x02, 0x00] + offset + [0x00] + W.vector([[0x00]]),
            [0x03, 0x00] + W.vector([[0x00]]),
            [0x04] + offset + W.vector([refFunc]),
            [0x05, 0x70] + W.vector([refFunc, [0xD0, 0x70, 0x0B]]),
            [0x06, 0x00] + offset + [0x70] + W.vector([refFunc]),
            [0x07, 0x70] + W.vector([refFunc]),
        ]
        let bytes = W.module(
            W.basicTypes, W.section(3, [0x01, 0x00]), W.section(4, W.vector([[0x70, 0x00, 0x01]])),
            W.section(9, W.vector(segments)), W.section(10, W.vector([W.body([])]))
        )
        let info = try decode(bytes)
        #expect(info.elements.count == 8)
        let modes = info.elements.map { segment -> String in
            switch segment.mode {
            case .active: "active"
            case .passive: "passive"
            case .declarative: "declarative"
            }
        }
        #expect(modes == ["active", "passive", "active", "declarative", "active", "passive", "active", "declarative"])
        #expect(info.elements[5].initializers == [.refFunc(0), .refNull(.funcRef)])
        #expect(rejection(W.module(W.section(9, W.vector([[0x08]]))))?.message == "malformed elements segment kind")
    }

    @Test func dataSegmentEncodings() throws {
        let bytes = W.module(
            W.section(5, W.vector([[0x00, 0x01]])),
            W.section(11, W.vector([
                [0x00, 0x41, 0x00, 0x0B] + W.name("ab"),
                [0x01] + W.name("cde"),
                [0x02, 0x00, 0x41, 0x04, 0x0B] + W.name(""),
            ]))
        )
        let info = try decode(bytes)
        #expect(info.data.map(\.bytes.count) == [2, 3, 0])
    }

    @Test func nameSection() throws {
        var names = W.section(0, W.name("kiln"))  // subsection 0: module name
        names += W.section(1, W.vector([W.uleb(0) + W.name("first")]))
        names += W.section(2, W.vector([W.uleb(0) + W.vector([W.uleb(0) + W.name("x")])]))
        let bytes = W.module(
            W.basicTypes, W.section(3, [0x01, 0x01]), W.section(10, W.vector([W.body([0x20, 0x00])])),
            W.section(0, W.name("name") + names)
        )
        let info = try decode(bytes)
        #expect(info.names.moduleName == "kiln")
        #expect(info.names.functionNames[0] == "first")
        #expect(info.names.localNames[0]?[0] == "x")
        // A malformed name section is ignored, not fatal.
        let broken = W.module(W.section(0, W.name("name") + [0x01, 0x10]))
        #expect(try decode(broken).names.functionNames.isEmpty)
    }

    @Test func instructionEncodings() {
        func body(_ code: [UInt8]) -> [UInt8] {
            W.module(W.basicTypes, W.section(3, [0x01, 0x00]), W.section(5, [0x01, 0x00, 0x01]),
                     W.section(10, W.vector([W.body(code)])))
        }
        #expect(rejection(body([0x06]))?.message.hasPrefix("illegal opcode") == true)
        #expect(rejection(body([0xFC, 0x12]))?.message.hasPrefix("illegal opcode") == true)
        #expect(rejection(body([0xFD, 0x9A, 0x01]))?.message.hasPrefix("illegal opcode") == true)
        #expect(rejection(body([0x3F, 0x01, 0x1A]))?.message == "zero byte expected")
        #expect(rejection(body([0x41, 0x00, 0x28, 0x20, 0x00, 0x1A]))?.message == "malformed memop flags")
        #expect(rejection(body([0x41, 0x00, 0x28, 0x03, 0x00, 0x1A]))?.message == "alignment must not be larger than natural")
        #expect(rejection(body([0x41, 0x00, 0x28, 0x02, 0x00, 0x1A])) == nil)
        #expect(rejection(body([0x02, 0x40]))?.message == "unexpected end of section or function")
    }
}
