import ArgumentParser
import Foundation
import Kiln

struct CompileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Compile a module with the JIT and report (or disassemble) its machine code; -o saves it as a compiled artifact.",
        discussion: """
            With -o OUT.cwasm the machine code is saved as a compiled artifact that \
            `kiln run --allow-precompiled OUT.cwasm` runs without compiling. It is compiled \
            with the configuration kiln run uses: give --fuel here if kiln run will get --fuel N.
            """
    )

    @Option(name: .shortAndLong, help: ArgumentHelp("Write a compiled artifact (.cwasm) to OUT.", valueName: "OUT"))
    var output: String?

    @Flag(help: "Compile with fuel metering, for kiln run --fuel N.")
    var fuel = false

    @Flag(help: "Print each function's machine code (disassembled with llvm-objdump when installed).")
    var disassemble = false

    @Argument(help: "The module (.wasm or .wat).")
    var file: String

    mutating func run() throws {
        do {
            let start = ContinuousClock.now
            let engine = try Engine(runConfig(strategy: .jit, consumeFuel: fuel))
            let module = try Module(engine, path: file)
            let elapsed = ContinuousClock.now - start
            guard let functions = module.machineCode else {
                if output != nil {
                    throw KilnError("\(file) runs on the interpreter (\(module.interpreterReason ?? "no machine code")): no artifact to write")
                }
                print("\(file): runs on the interpreter (\(module.interpreterReason ?? "no machine code"))")
                return
            }
            if let output {
                let artifact = try module.serialize()
                guard FileManager.default.createFile(atPath: output, contents: Data(artifact)) else {
                    throw KilnError("cannot write \(output)")
                }
                print("\(output): \(artifact.count) bytes (compiled artifact)")
            }
            let total = functions.reduce(0) { $0 + $1.bytes.count }
            print("\(file): \(functions.count) functions, \(total) bytes of \(Engine.jitName ?? "JIT") machine code, compiled in \(elapsed)")
            guard disassemble else { return }
            for function in functions {
                print("\nfunction[\(function.functionIndex)] \(function.name ?? ""): \(function.bytes.count) bytes")
                print(Disassembler.disassemble(function.bytes) ?? hexDump(function.bytes))
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    private func hexDump(_ bytes: [UInt8]) -> String {
        stride(from: 0, to: bytes.count, by: 16).map { offset in
            let line = bytes[offset..<min(offset + 16, bytes.count)].map { String(format: "%02x", $0) }.joined(separator: " ")
            return String(format: "%6x: ", offset) + line
        }.joined(separator: "\n")
    }
}

/// Disassembles the host's machine code: with `llvm-mc --disassemble` when installed (any
/// LLVM build knows both ISAs), else with binutils' objcopy (which wraps the raw bytes in
/// an ELF object of the host's machine) and llvm-objdump. nil when neither works.
enum Disassembler {
    #if arch(arm64)
        static let mcArguments = ["-triple=aarch64-linux-gnu"]
        static let objcopyArguments = ["-O", "elf64-littleaarch64", "-B", "aarch64"]
        static let objdumpArguments = ["--triple=aarch64"]
    #else
        static let mcArguments = ["-triple=x86_64-linux-gnu", "-output-asm-variant=1"]  // Intel syntax
        static let objcopyArguments = ["-O", "elf64-x86-64", "-B", "i386:x86-64"]
        static let objdumpArguments = ["-M", "intel"]
    #endif

    static func disassemble(_ bytes: [UInt8]) -> String? {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-\(getpid())-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = directory.appendingPathComponent("code.txt")
        let hex = bytes.map { String(format: "0x%02x", $0) }.joined(separator: " ")
        if (try? Data(hex.utf8).write(to: text)) != nil,
            let listing = run("llvm-mc", ["--disassemble"] + mcArguments + [text.path])
        {
            return listing.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix(".") }
                .map { "  " + $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\t", with: " ") }
                .joined(separator: "\n")
        }
        let raw = directory.appendingPathComponent("code.bin"), object = directory.appendingPathComponent("code.o")
        guard (try? Data(bytes).write(to: raw)) != nil else { return nil }
        guard run("objcopy", ["-I", "binary"] + objcopyArguments + [raw.path, object.path]) != nil,
            let listing = run("llvm-objdump", ["-D"] + objdumpArguments + ["--no-show-raw-insn", object.path])
        else { return nil }
        // Drop the temporary symbol names objdump adds to branch targets.
        return listing.split(separator: "\n").filter { $0.hasPrefix(" ") }
            .map { $0.replacingOccurrences(of: #" <_binary_[^>]*>"#, with: "", options: .regularExpression) }
            .joined(separator: "\n")
    }

    private static func run(_ tool: String, _ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }
}
