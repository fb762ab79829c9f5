import CKilnShims
import Foundation

/// A compiled module saved to bytes (`Module.serialize()`) and loaded back without
/// compiling (`Module(engine, deserialize:)`, `Module(engine, deserializeFile:)`), as
/// wasmtime's `.cwasm` files.
///
/// Layout (all integers little-endian):
///
/// | offset | size | field |
/// |--:|--:|---|
/// | 0 | 8 | magic `00 6B 69 6C 6E 41 4F 54` ("\0kilnAOT") |
/// | 8 | 4 | format version (`formatVersion`) |
/// | 12 | 1 | ISA (`ISA`: 1 x86-64, 2 AArch64) |
/// | 13 | 1 | flags: bit 0 explicit bounds checks, 1 consumeFuel, 2 epochInterruption, 3 relaxedSIMDDeterministic |
/// | 14 | 1 | the relaxed SIMD flavor the code implements (`RelaxedSIMDFlavor`) |
/// | 15 | 1 | 0 |
/// | 16 | 4 | `WasmFeatures` raw value |
/// | 20 | 4 | 0 |
/// | 24 | 8 | the CPU features the code may use (`CPUFeatures` raw value) |
/// | 32 | 8 | `jitRegisterLimit`, or -1 for none |
/// | 40 | 4 + n | the Kiln artifact version (`kilnVersion`): length, UTF-8 |
/// | | 8 + n | the module binary: length, bytes |
/// | | 8 + n | the machine code: length, bytes (runtime addresses as compiled in the writing process) |
/// | | 8 + n | metadata: length, then relocations, function ranges, trampolines, memory accesses, stack maps, handlers (see `writeMetadata`) |
/// | end − 8 | 8 | checksum (`ArtifactChecksum`) of every byte before it |
///
/// Invariants a loader relies on, each checked (bad input throws a `KilnError` naming the
/// offset, never crashes): the magic and format version first, then the checksum (any bit
/// flip or truncation fails it), then that the engine's configuration is the one the code
/// was compiled for (exactly, except the CPU features: the engine may have more), then every
/// length and count against the bytes left, every code offset against the code's length,
/// function ranges ascending and disjoint, one range per defined function and one trampoline
/// per type, handler and tag indices in range, stack maps well formed, and each relocation
/// on the fixed-length address sequence it patches. `Config.maxWasmStack` is not recorded:
/// it is a runtime limit, passed to machine code on entry.
///
/// The module binary is decoded again on load (`ModuleDecoder`, which does not look at
/// function bodies); it was validated when the artifact was made, and is not again. An
/// artifact is trusted code: the checksum guards against accidents, not attackers.
enum CompiledArtifact {
    static let magic: [UInt8] = [0x00, 0x6B, 0x69, 0x6C, 0x6E, 0x41, 0x4F, 0x54]
    static let formatVersion: UInt32 = 1
    /// Changes whenever the code generator's output or the runtime layouts machine code
    /// depends on (VMContext, `KilnStoreRuntime`, builtin signatures) change: an artifact of
    /// another version is refused.
    static let kilnVersion = "kiln 2026-12-01 registers-1"

    static let isaOffset = 12
    static let headerSize = 40

    enum ISA: UInt8, Sendable {
        case x86_64 = 1
        case aarch64 = 2

        var name: String {
            switch self {
            case .x86_64: "x86-64"
            case .aarch64: "AArch64"
            }
        }

        static var host: ISA? {
            #if arch(x86_64)
                return .x86_64
            #elseif arch(arm64)
                return .aarch64
            #else
                return nil
            #endif
        }
    }

    /// Whether `bytes` start with the artifact magic.
    static func hasMagic(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= magic.count && zip(bytes.prefix(magic.count), magic).allSatisfy { $0 == $1 }
    }

    // MARK: Configuration

    /// Everything about an engine that shapes the code it compiles.
    struct CodeConfig: Equatable {
        var isa: UInt8
        var explicitBounds: Bool
        var consumeFuel: Bool
        var epochInterruption: Bool
        var relaxedSIMDDeterministic: Bool
        var relaxedFlavor: UInt8
        var features: UInt32
        var cpuFeatures: UInt64
        var registerLimit: Int64

        init(_ engine: Engine) {
            let config = engine.config
            isa = ISA.host?.rawValue ?? 0
            explicitBounds = config.boundsChecks == .explicit
            consumeFuel = config.consumeFuel
            epochInterruption = config.epochInterruption
            relaxedSIMDDeterministic = config.relaxedSIMDDeterministic
            relaxedFlavor = Instrumentation(config).relaxedSIMD.rawValue
            features = config.features.rawValue
            cpuFeatures = engine.cpuFeatures.rawValue
            registerLimit = config.jitRegisterLimit.map(Int64.init) ?? -1
        }

        init(reading reader: inout ArtifactReader) throws {
            isa = try reader.u8()
            let flags = try reader.u8()
            explicitBounds = flags & 1 != 0
            consumeFuel = flags & 2 != 0
            epochInterruption = flags & 4 != 0
            relaxedSIMDDeterministic = flags & 8 != 0
            relaxedFlavor = try reader.u8()
            _ = try reader.u8()
            features = try reader.u32()
            _ = try reader.u32()
            cpuFeatures = try reader.u64()
            registerLimit = try reader.i64()
        }

        func write(to writer: inout ArtifactWriter) {
            writer.u8(isa)
            writer.u8((explicitBounds ? 1 : 0) | (consumeFuel ? 2 : 0) | (epochInterruption ? 4 : 0) | (relaxedSIMDDeterministic ? 8 : 0))
            writer.u8(relaxedFlavor)
            writer.u8(0)
            writer.u32(features)
            writer.u32(0)
            writer.u64(cpuFeatures)
            writer.i64(registerLimit)
        }

        /// Throws naming the first difference between the artifact's configuration (`self`)
        /// and the engine's.
        func check(against engine: CodeConfig) throws {
            func isaName(_ raw: UInt8) -> String { ISA(rawValue: raw)?.name ?? "an unknown instruction set (\(raw))" }
            func mismatch(_ what: String, _ artifact: some CustomStringConvertible, _ mine: some CustomStringConvertible) -> KilnError {
                KilnError("compiled artifact was compiled with \(what)=\(artifact), this engine has \(mine)")
            }
            if isa != engine.isa {
                throw KilnError("compiled artifact was compiled for \(isaName(isa)), this engine is \(isaName(engine.isa))")
            }
            if explicitBounds != engine.explicitBounds {
                func name(_ explicit: Bool) -> String { explicit ? "explicit" : "guardPages" }
                throw mismatch("boundsChecks", name(explicitBounds), name(engine.explicitBounds))
            }
            if consumeFuel != engine.consumeFuel { throw mismatch("consumeFuel", consumeFuel, engine.consumeFuel) }
            if epochInterruption != engine.epochInterruption {
                throw mismatch("epochInterruption", epochInterruption, engine.epochInterruption)
            }
            if relaxedSIMDDeterministic != engine.relaxedSIMDDeterministic {
                throw mismatch("relaxedSIMDDeterministic", relaxedSIMDDeterministic, engine.relaxedSIMDDeterministic)
            }
            if relaxedFlavor != engine.relaxedFlavor {
                func name(_ raw: UInt8) -> String { RelaxedSIMDFlavor(rawValue: raw).map { "\($0)" } ?? "unknown (\(raw))" }
                throw mismatch("the relaxed SIMD flavor", name(relaxedFlavor), name(engine.relaxedFlavor))
            }
            if features != engine.features {
                throw mismatch("features", "0x\(String(features, radix: 16))", "0x\(String(engine.features, radix: 16))")
            }
            if registerLimit != engine.registerLimit {
                func name(_ limit: Int64) -> String { limit < 0 ? "nil" : String(limit) }
                throw mismatch("jitRegisterLimit", name(registerLimit), name(engine.registerLimit))
            }
            let needed = CPUFeatures(rawValue: cpuFeatures), available = CPUFeatures(rawValue: engine.cpuFeatures)
            let lacking = needed.subtracting(available)
            if !lacking.isEmpty {
                throw KilnError("compiled artifact was compiled for CPU features \(needed), this engine lacks \(lacking) (it has \(available))")
            }
        }
    }

    // MARK: Writing

    static func serialize(_ module: Module) throws -> [UInt8] {
        guard let compiled = module.compiled else {
            throw KilnError("only modules compiled to machine code can be serialized; this one runs on the interpreter ("
                            + (module.interpreterReason ?? "no machine code") + ")")
        }
        guard let relocations = compiled.relocations else {
            throw KilnError("this module's machine code embeds an address that cannot be relocated; it cannot be serialized")
        }
        let code = UnsafeRawBufferPointer(start: compiled.memory.base, count: compiled.memory.length)
        guard code.count <= Int(UInt32.max) else { throw KilnError("machine code over 4 GiB cannot be serialized") }
        var writer = ArtifactWriter()
        writer.reserve(headerSize + 64 + module.bytes.count + code.count + 16 * compiled.functionRanges.count)
        writer.raw(magic)
        writer.u32(formatVersion)
        CodeConfig(module.engine).write(to: &writer)
        writer.string(kilnVersion)
        writer.u64(UInt64(module.bytes.count))
        module.bytes.withUnsafeBytes { writer.raw($0) }
        writer.u64(UInt64(code.count))
        writer.raw(code)
        let metadataLengthAt = writer.bytes.count
        writer.u64(0)
        writeMetadata(compiled, relocations: relocations, to: &writer)
        writer.patch64(at: metadataLengthAt, UInt64(writer.bytes.count - metadataLengthAt - 8))
        let checksum = writer.bytes.withUnsafeBytes { ArtifactChecksum.hash($0) }
        writer.u64(checksum)
        return writer.bytes
    }

    /// Relocations (count; offset u32, function u16 each), function ranges (count; start,
    /// end u32), trampolines (count; offset u32), memory accesses (count; code u32, wasm
    /// i32), stack maps (count; `StackMaps.write`), handlers (count; `CompiledHandlers.write`).
    private static func writeMetadata(_ compiled: CompiledModule, relocations: [Relocation], to writer: inout ArtifactWriter) {
        writer.u32(UInt32(relocations.count))
        for relocation in relocations {
            writer.u32(UInt32(relocation.offset))
            writer.u16(relocation.function.rawValue)
        }
        writer.u32(UInt32(compiled.functionRanges.count))
        for range in compiled.functionRanges {
            writer.u32(UInt32(range.lowerBound))
            writer.u32(UInt32(range.upperBound))
        }
        writer.u32(UInt32(compiled.trampolines.count))
        for offset in compiled.trampolines { writer.u32(UInt32(offset)) }
        writer.u32(UInt32(compiled.memoryAccesses.count))
        for access in compiled.memoryAccesses {
            writer.u32(UInt32(access.code))
            writer.i32(Int32(truncatingIfNeeded: access.wasm))
        }
        writer.u32(UInt32(compiled.stackMaps.count))
        for maps in compiled.stackMaps { maps.write(to: &writer) }
        writer.u32(UInt32(compiled.handlers.count))
        for handlers in compiled.handlers { handlers.write(to: &writer) }
    }

    // MARK: Reading

    /// What loading an artifact gives a `Module`.
    struct Loaded {
        var binary: [UInt8]
        var info: ModuleInfo
        var compiled: CompiledModule
    }

    /// `KILN_ARTIFACT_TIMING=1`: each phase of a load, on stderr (for benchmarks).
    private static let timing = ProcessInfo.processInfo.environment["KILN_ARTIFACT_TIMING"] == "1"

    private struct PhaseClock {
        var last = ContinuousClock.now
        mutating func lap(_ phase: String) {
            guard CompiledArtifact.timing else { return }
            let now = ContinuousClock.now
            FileHandle.standardError.write(Data("artifact load: \(phase) \(last.duration(to: now))\n".utf8))
            last = now
        }
    }

    static func deserialize(_ engine: Engine, _ bytes: UnsafeRawBufferPointer) throws -> Loaded {
        var clock = PhaseClock()
        var reader = ArtifactReader(bytes)
        guard hasMagic(bytes) else {
            if bytes.count >= 4, bytes.prefix(4).elementsEqual([0x00, 0x61, 0x73, 0x6D]) {
                throw KilnError("not a compiled artifact: this is a WebAssembly binary (load it with Module(engine, bytes:))")
            }
            throw KilnError("not a compiled artifact: the first bytes are not Kiln's artifact magic")
        }
        reader.offset = magic.count
        let version = try reader.u32()
        guard version == formatVersion else {
            throw KilnError("compiled artifact has format version \(version); this Kiln reads version \(formatVersion)")
        }
        guard bytes.count >= headerSize + 8 else {
            throw KilnError("compiled artifact is truncated: \(bytes.count) bytes, shorter than its header")
        }
        let body = UnsafeRawBufferPointer(rebasing: bytes[..<(bytes.count - 8)])
        let stored = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self))
        guard ArtifactChecksum.hash(body) == stored else {
            throw KilnError("compiled artifact is corrupted or truncated: checksum mismatch (\(bytes.count) bytes)")
        }
        clock.lap("checksum")
        reader = ArtifactReader(body)
        reader.offset = magic.count + 4
        let config = try CodeConfig(reading: &reader)
        let versionAt = reader.offset
        let artifactVersion = try reader.string()
        guard artifactVersion == kilnVersion else {
            throw KilnError("compiled artifact was made by \(artifactVersion.debugDescription), this is \(kilnVersion.debugDescription) "
                            + "(offset \(versionAt)); compile the module again")
        }
        guard engine.config.strategy == .jit else {
            throw KilnError("compiled artifacts hold machine code: the engine must use the JIT strategy (it uses the interpreter)")
        }
        guard JITCompiler.isSupported else { throw KilnError("compiled artifacts need a JIT, which this processor lacks") }
        try config.check(against: CodeConfig(engine))

        let binary = try reader.bytes(count: reader.length(what: "module binary"), what: "module binary")
        let codeLength = try reader.length(what: "machine code")
        let codeAt = reader.offset
        let code = try reader.bytes(count: codeLength, what: "machine code")
        let metadataLength = try reader.length(what: "metadata")
        let metadataEnd = reader.offset + metadataLength
        var metadata = ArtifactReader(UnsafeRawBufferPointer(rebasing: body[..<metadataEnd]))
        metadata.offset = reader.offset
        reader.offset = metadataEnd
        guard reader.offset == body.count else {
            throw KilnError("compiled artifact: \(body.count - reader.offset) unexpected bytes at offset \(reader.offset)")
        }

        let info: ModuleInfo
        do {
            info = try ModuleDecoder.decode(binary, features: engine.config.features)
        } catch {
            throw KilnError("compiled artifact: its module binary does not decode: \(error)")
        }
        clock.lap("decode")

        // Relocations.
        let relocationCount = try metadata.count(elementSize: 6, what: "relocations")
        var relocations: [Relocation] = []
        relocations.reserveCapacity(relocationCount)
        for _ in 0..<relocationCount {
            let at = metadata.offset
            let offset = Int(try metadata.u32())
            let raw = try metadata.u16()
            guard let function = RuntimeFunction(rawValue: raw) else {
                throw KilnError("compiled artifact: unknown runtime function \(raw) at offset \(at)")
            }
            guard offset < codeLength else { throw KilnError("compiled artifact: relocation outside the code at offset \(at)") }
            relocations.append(Relocation(offset: offset, function: function))
        }
        // Function ranges.
        let rangesAt = metadata.offset
        let functionCount = try metadata.count(elementSize: 8, what: "function ranges")
        guard functionCount == info.functionBodies.count else {
            throw KilnError("compiled artifact: \(functionCount) function ranges for \(info.functionBodies.count) functions (offset \(rangesAt))")
        }
        var functionRanges: [Range<Int>] = []
        functionRanges.reserveCapacity(functionCount)
        var previousEnd = 0
        for _ in 0..<functionCount {
            let at = metadata.offset
            let start = Int(try metadata.u32()), end = Int(try metadata.u32())
            guard start >= previousEnd, start <= end, end <= codeLength else {
                throw KilnError("compiled artifact: function range \(start)..<\(end) out of order or outside the code at offset \(at)")
            }
            functionRanges.append(start..<end)
            previousEnd = end
        }
        // Trampolines.
        let trampolinesAt = metadata.offset
        let trampolineCount = try metadata.count(elementSize: 4, what: "trampolines")
        guard trampolineCount == info.types.count else {
            throw KilnError("compiled artifact: \(trampolineCount) trampolines for \(info.types.count) types (offset \(trampolinesAt))")
        }
        var trampolines: [Int] = []
        trampolines.reserveCapacity(trampolineCount)
        for _ in 0..<trampolineCount {
            let at = metadata.offset
            let offset = Int(try metadata.u32())
            guard offset < codeLength else { throw KilnError("compiled artifact: trampoline outside the code at offset \(at)") }
            trampolines.append(offset)
        }
        // Memory accesses.
        let accessCount = try metadata.count(elementSize: 8, what: "memory accesses")
        var memoryAccesses: [(code: Int, wasm: Int)] = []
        memoryAccesses.reserveCapacity(accessCount)
        var previousAccess = 0
        for _ in 0..<accessCount {
            let at = metadata.offset
            let codeOffset = Int(try metadata.u32()), wasmOffset = Int(try metadata.i32())
            guard codeOffset >= previousAccess, codeOffset <= codeLength else {
                throw KilnError("compiled artifact: memory access out of order or outside the code at offset \(at)")
            }
            memoryAccesses.append((codeOffset, wasmOffset))
            previousAccess = codeOffset
        }
        // Stack maps and handlers, one per defined function.
        let mapsAt = metadata.offset
        let mapCount = try metadata.count(elementSize: 1, what: "stack maps")
        guard mapCount == functionCount else {
            throw KilnError("compiled artifact: \(mapCount) stack maps for \(functionCount) functions (offset \(mapsAt))")
        }
        var stackMaps: [StackMaps] = []
        stackMaps.reserveCapacity(mapCount)
        for _ in 0..<mapCount { stackMaps.append(try StackMaps(reading: &metadata)) }
        let handlersAt = metadata.offset
        let handlerCount = try metadata.count(elementSize: 1, what: "handler tables")
        guard handlerCount == 0 || handlerCount == functionCount else {
            throw KilnError("compiled artifact: \(handlerCount) handler tables for \(functionCount) functions (offset \(handlersAt))")
        }
        var handlers: [CompiledHandlers] = []
        handlers.reserveCapacity(handlerCount)
        for _ in 0..<handlerCount {
            handlers.append(try CompiledHandlers(reading: &metadata, codeLength: codeLength, tagCount: info.tags.count))
        }
        guard metadata.offset == metadataEnd else {
            throw KilnError("compiled artifact: \(metadataEnd - metadata.offset) unexpected metadata bytes at offset \(metadata.offset)")
        }

        clock.lap("metadata")
        let memory = try CodeMemory(copying: code) { base in
            for relocation in relocations {
                guard HostMacroAssembler.patchAddress(in: base, length: codeLength, at: relocation.offset,
                                                      address: relocation.function.address)
                else {
                    throw KilnError("compiled artifact: relocation at code offset \(relocation.offset) (artifact offset "
                                    + "\(codeAt + relocation.offset)) is not on an address sequence")
                }
            }
        }
        let compiled = CompiledModule(memory: memory, functionRanges: functionRanges, trampolines: trampolines,
                                      memoryAccesses: memoryAccesses, stackMaps: stackMaps, relocations: relocations)
        compiled.handlers = handlers
        clock.lap("code memory")
        let loaded = Loaded(binary: Array(binary), info: info, compiled: compiled)
        clock.lap("binary copy")
        return loaded
    }

    /// Maps the file at `path` read-only and loads the artifact from the mapping.
    static func deserialize(_ engine: Engine, file path: String) throws -> Loaded {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw KilnError("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw KilnError("cannot read \(path): \(String(cString: strerror(errno)))") }
        let size = Int(status.st_size)
        guard size > 0 else { throw KilnError("compiled artifact \(path) is empty") }
        guard let mapping = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapping != MAP_FAILED else {
            throw KilnError("cannot map \(path): \(String(cString: strerror(errno)))")
        }
        defer { munmap(mapping, size) }
        do {
            return try deserialize(engine, UnsafeRawBufferPointer(start: mapping, count: size))
        } catch let error as KilnError {
            throw KilnError("\(path): \(error.message)")
        }
    }
}

// MARK: - Reading and writing

/// Appends little-endian integers and raw bytes.
struct ArtifactWriter {
    var bytes: [UInt8] = []

    mutating func reserve(_ count: Int) { bytes.reserveCapacity(count) }
    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func u16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func i32(_ value: Int32) { u32(UInt32(bitPattern: value)) }
    mutating func i64(_ value: Int64) { u64(UInt64(bitPattern: value)) }
    mutating func raw(_ data: UnsafeRawBufferPointer) { bytes.append(contentsOf: data) }
    mutating func raw(_ data: [UInt8]) { bytes.append(contentsOf: data) }
    mutating func string(_ value: String) {
        let utf8 = Array(value.utf8)
        u32(UInt32(utf8.count))
        raw(utf8)
    }
    mutating func patch64(at offset: Int, _ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { for (i, byte) in $0.enumerated() { bytes[offset + i] = byte } }
    }
}

/// Reads little-endian integers from bytes, checking every read against the end: a read
/// past it throws a `KilnError` naming the offset.
struct ArtifactReader {
    let data: UnsafeRawBufferPointer
    var offset = 0

    init(_ data: UnsafeRawBufferPointer) { self.data = data }

    var remaining: Int { data.count - offset }

    private mutating func take<T: FixedWidthInteger>(_: T.Type) throws -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else {
            throw KilnError("compiled artifact is truncated: \(size)-byte field at offset \(offset) past the end (\(data.count) bytes)")
        }
        let value = T(littleEndian: data.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += size
        return value
    }

    mutating func u8() throws -> UInt8 { try take(UInt8.self) }
    mutating func u16() throws -> UInt16 { try take(UInt16.self) }
    mutating func u32() throws -> UInt32 { try take(UInt32.self) }
    mutating func u64() throws -> UInt64 { try take(UInt64.self) }
    mutating func i32() throws -> Int32 { Int32(bitPattern: try u32()) }
    mutating func i64() throws -> Int64 { Int64(bitPattern: try u64()) }

    /// A u64 length of a byte field that must fit in what is left.
    mutating func length(what: String) throws -> Int {
        let at = offset
        let value = try u64()
        guard value <= UInt64(remaining) else {
            throw KilnError("compiled artifact: \(what) length \(value) at offset \(at) exceeds the \(remaining) bytes left")
        }
        return Int(value)
    }

    /// A u32 count of elements of at least `elementSize` bytes each, which must fit in what
    /// is left.
    mutating func count(elementSize: Int, what: String) throws -> Int {
        let at = offset
        let value = Int(try u32())
        guard value <= remaining / max(elementSize, 1) else {
            throw KilnError("compiled artifact: \(value) \(what) at offset \(at) cannot fit in the \(remaining) bytes left")
        }
        return value
    }

    mutating func bytes(count: Int, what: String) throws -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else {
            throw KilnError("compiled artifact is truncated: \(what) of \(count) bytes at offset \(offset) past the end")
        }
        let slice = UnsafeRawBufferPointer(rebasing: data[offset..<(offset + count)])
        offset += count
        return slice
    }

    mutating func string() throws -> String {
        let count = try self.count(elementSize: 1, what: "string bytes")
        return String(decoding: try bytes(count: count, what: "string"), as: UTF8.self)
    }
}

/// A 64-bit checksum that reads 32 bytes per round in four independent lanes (so the
/// multiplies overlap), several GB/s. Each lane step `rotl(lane + word * P2, 31) * P1` is a
/// bijection of both the lane and the word, as are the combination and the final mix, so
/// any change to a single word — any single bit flip — changes the result; the length goes
/// into the result too.
enum ArtifactChecksum {
    private static let p1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let p3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let p4: UInt64 = 0x85EB_CA77_C2B2_AE63

    @inline(__always) private static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }
    @inline(__always) private static func round(_ lane: UInt64, _ word: UInt64) -> UInt64 {
        rotl(lane &+ word &* p2, 31) &* p1
    }

    static func hash(_ data: UnsafeRawBufferPointer) -> UInt64 {
        let count = data.count
        var h: UInt64
        var i = 0
        if count >= 32 {
            var a = p1 &+ p2, b = p2, c: UInt64 = 0, d = 0 &- p1
            while i + 32 <= count {
                a = round(a, UInt64(littleEndian: data.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
                b = round(b, UInt64(littleEndian: data.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)))
                c = round(c, UInt64(littleEndian: data.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)))
                d = round(d, UInt64(littleEndian: data.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)))
                i += 32
            }
            h = rotl(a, 1) &+ rotl(b, 7) &+ rotl(c, 12) &+ rotl(d, 18)
        } else {
            h = p4
        }
        h = h &+ UInt64(count)
        while i + 8 <= count {
            h = rotl(h ^ round(0, UInt64(littleEndian: data.loadUnaligned(fromByteOffset: i, as: UInt64.self))), 27) &* p1 &+ p4
            i += 8
        }
        while i < count {
            h = rotl(h ^ (UInt64(data[i]) &* p3), 11) &* p1
            i += 1
        }
        h ^= h >> 33
        h = h &* p2
        h ^= h >> 29
        h = h &* p3
        h ^= h >> 32
        return h
    }
}

// MARK: - Module

extension Module {
    /// The module's machine code and everything needed to run it, as bytes that
    /// `Module(engine, deserialize:)` loads back without compiling (wasmtime's
    /// `Module::serialize`). Only for modules compiled to machine code; the artifact only
    /// loads into an engine of the same ISA, configuration and (at least the) CPU features.
    public func serialize() throws -> [UInt8] {
        try CompiledArtifact.serialize(self)
    }

    /// Loads an artifact `serialize()` made, without compiling (wasmtime's
    /// `Module::deserialize`). Throws, naming what differs, when the engine is not
    /// configured as the one that compiled it, and when the bytes are not an intact artifact.
    /// The artifact is trusted: its machine code runs as it is.
    public convenience init(_ engine: Engine, deserialize bytes: [UInt8]) throws {
        let loaded = try bytes.withUnsafeBytes { try CompiledArtifact.deserialize(engine, $0) }
        self.init(engine, binary: loaded.binary, info: loaded.info, compiled: loaded.compiled)
    }

    /// `Module(engine, deserialize:)` from a file, mapped rather than read (wasmtime's
    /// `Module::deserialize_file`).
    public convenience init(_ engine: Engine, deserializeFile path: String) throws {
        let loaded = try CompiledArtifact.deserialize(engine, file: path)
        self.init(engine, binary: loaded.binary, info: loaded.info, compiled: loaded.compiled)
    }

    /// Whether `bytes` look like a compiled artifact (start with its magic bytes).
    public static func isCompiledArtifact(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { CompiledArtifact.hasMagic($0) }
    }
}
