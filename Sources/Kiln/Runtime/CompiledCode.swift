import CKilnShims
import Foundation

/// Machine code in executable memory: mapped read-write, filled, then sealed read-execute
/// (never writable and executable at once), registered so faults in it become traps, and
/// unmapped when the owner goes away.
final class CodeMemory: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    /// The mapping's size (whole pages).
    let size: Int
    /// How many bytes of code it holds (from `base`).
    let length: Int

    init(_ bytes: [UInt8]) throws {
        (base, size, length) = try bytes.withUnsafeBytes { try CodeMemory.map($0) { _ in } }
    }

    /// Maps `bytes` read-write, lets `patch` adjust the copy (relocations), then seals it
    /// read-execute. Throws what `patch` throws, unmapping the memory.
    init(copying bytes: UnsafeRawBufferPointer, patch: (UnsafeMutableRawPointer) throws -> Void) throws {
        (base, size, length) = try CodeMemory.map(bytes, patch: patch)
    }

    private static func map(_ bytes: UnsafeRawBufferPointer, patch: (UnsafeMutableRawPointer) throws -> Void) throws
        -> (UnsafeMutableRawPointer, Int, Int)
    {
        if let path = getenv("KILN_DUMP_CODE"), let file = fopen(path, "wb") {
            // Debugging aid: the raw code, for `llvm-objdump -b binary -m i386:x86-64 -D`.
            fwrite(bytes.baseAddress, 1, bytes.count, file)
            fclose(file)
        }
        let page = Int(kiln_page_size())
        let size = max((bytes.count + page - 1) / page * page, page)
        guard let memory = kiln_code_alloc(size) else { throw KilnError("cannot map \(size) bytes for machine code") }
        if let source = bytes.baseAddress { memory.copyMemory(from: source, byteCount: bytes.count) }
        do {
            try patch(memory)
        } catch {
            kiln_code_free(memory, size)
            throw error
        }
        guard kiln_code_seal(memory, size) == 0 else {
            kiln_code_free(memory, size)
            throw KilnError("cannot make machine code executable")
        }
        kiln_code_register(memory, size)
        return (memory, size, bytes.count)
    }

    deinit {
        kiln_code_unregister(base)
        kiln_code_free(base, size)
    }

    func contains(_ pc: UnsafeRawPointer) -> Bool {
        pc >= UnsafeRawPointer(base) && pc < UnsafeRawPointer(base + size)
    }
}

/// A module compiled to machine code: its functions, an array-call trampoline per type,
/// and what traps need to name the wasm instruction at a pc.
final class CompiledModule: @unchecked Sendable {
    let memory: CodeMemory
    /// Code ranges of the defined functions.
    let functionRanges: [Range<Int>]
    /// Offset of the array-call trampoline of each type index.
    let trampolines: [Int]
    /// (code offset, wasm offset) of every memory access, sorted by code offset.
    let memoryAccesses: [(code: Int, wasm: Int)]
    /// Per defined function: its safepoints, by return-address offset into `memory`.
    let stackMaps: [StackMaps]
    /// Per defined function: its exception handlers (empty until machine code has them).
    var handlers: [CompiledHandlers] = []
    /// Where the code embeds runtime addresses (nil if one could not be named, which makes
    /// the module impossible to serialize; never happens for code the generator makes).
    let relocations: [Relocation]?

    init(memory: CodeMemory, functionRanges: [Range<Int>], trampolines: [Int], memoryAccesses: [(code: Int, wasm: Int)],
         stackMaps: [StackMaps], relocations: [Relocation]?) {
        self.relocations = relocations
        self.memory = memory
        self.functionRanges = functionRanges
        self.trampolines = trampolines
        self.memoryAccesses = memoryAccesses
        self.stackMaps = stackMaps
    }

    func function(_ definedIndex: Int) -> UnsafeMutableRawPointer {
        memory.base + functionRanges[definedIndex].lowerBound
    }

    func trampoline(forType typeIndex: Int) -> KilnArrayTrampoline {
        unsafeBitCast(memory.base + trampolines[typeIndex], to: KilnArrayTrampoline.self)
    }

    /// The defined function whose code contains `pc`.
    func definedFunction(containing pc: UnsafeRawPointer) -> Int? {
        guard memory.contains(pc) else { return nil }
        let offset = pc - UnsafeRawPointer(memory.base)
        let index = functionRanges.partitionPoint { $0.upperBound <= offset }
        return index < functionRanges.count && functionRanges[index].contains(offset) ? index : nil
    }

    /// The wasm offset of the memory access or call whose code contains `pc`, if any.
    func memoryAccess(at pc: UnsafeRawPointer) -> Int? {
        guard memory.contains(pc) else { return nil }
        let offset = pc - UnsafeRawPointer(memory.base)
        let count = memoryAccesses.partitionPoint { $0.code <= offset }
        return count > 0 ? memoryAccesses[count - 1].wasm : nil
    }
}
