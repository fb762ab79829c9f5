import Foundation
import Testing
import Kiln
@testable import KilnWASI

/// A program that tries to leave the directory preopened as "/" (Tests/WASIPrograms/escape.c
/// and escape_swap.c), in this layout:
///
///     outside/secret.txt            "TOP SECRET: outside the sandbox\n"
///     outside/victim/               an empty directory
///     sandbox/                      preopened as "/"
///     sandbox/inside.txt            "inside the sandbox\n"
///     sandbox/sub/secret.txt        "sandbox copy\n"
///     sandbox/sub/empty/
///     sandbox/link-out -> ../outside
///     sandbox/abs-link -> /ABSOLUTE/PATH/OF/outside/secret.txt
///     sandbox/dangling -> ../outside/does-not-exist
///     sandbox/loop1 -> loop2, sandbox/loop2 -> loop1
///
/// Every attempt must be blocked (or, for a listing, show only the sandbox), what must
/// work must work, and outside/ (and everything beside the sandbox) must be unchanged
/// byte for byte, modification times included. Which errno a runtime reports is not
/// checked; wasmtime's are in the lines below (63 EPERM, 44 ENOENT, 32 ELOOP, 20 EEXIST,
/// 8 EBADF). Tests/WASIPrograms/escape_wasmtime.py runs the same programs under wasmtime.
/// Each test runs under both engines and both ways of resolving paths (the kernel's
/// `openat2` with RESOLVE_BENEATH, and the portable walk one component at a time).
@Suite struct SandboxEscapeTests {
    static let secret = "TOP SECRET: outside the sandbox\n"

    /// What `escape escape OUTSIDE` printed under wasmtime 50.0.1. Where an attempt has two
    /// steps (making a symlink, then opening it), the name gains ", open ..." when the
    /// first step worked; wasmtime let the program make relative symlinks that point out
    /// (mine, up, self) and a hard link to the symlink abs-link, but refused the absolute one.
    static let wasmtimeEscape = """
        control read inside.txt: ok
        control create sub/x: ok
        control lstat abs-link is a symlink: ok
        control readlink link-out: ok
        open ../outside/secret.txt: blocked (errno 63)
        open /../outside/secret.txt: blocked (errno 63)
        open sub/../../outside/secret.txt: blocked (errno 63)
        open sub/ and many ..: blocked (errno 63)
        open the host path: blocked (errno 44)
        open link-out/secret.txt: blocked (errno 63)
        open sub/../link-out/secret.txt: blocked (errno 63)
        open link-out as a directory: blocked (errno 63)
        open abs-link: blocked (errno 63)
        open abs-link O_NOFOLLOW: blocked (errno 32)
        open loop1: blocked (errno 32)
        open link-out/secret.txt for appending: blocked (errno 63)
        open link-out/secret.txt with O_TRUNC: blocked (errno 63)
        create through dangling: blocked (errno 63)
        create link-out/new.txt: blocked (errno 63)
        create ../outside/new.txt: blocked (errno 63)
        control open . and sub as directories: ok
        openat(., ../outside/secret.txt): blocked (errno 63)
        openat(sub, ../../outside/secret.txt): blocked (errno 63)
        openat(sub, the host path): blocked (errno 44)
        openat(sub, ../link-out/secret.txt): blocked (errno 63)
        mkdir link-out/newdir: blocked (errno 63)
        mkdir ../newdir: blocked (errno 63)
        mkdir dangling: blocked (errno 20)
        rename sub/x to ../outside/x: blocked (errno 63)
        rename sub/x to link-out/x: blocked (errno 63)
        rename link-out/secret.txt to stolen.txt: blocked (errno 63)
        rename ../outside/secret.txt to stolen.txt: blocked (errno 63)
        unlink link-out/secret.txt: blocked (errno 63)
        unlink ../outside/secret.txt: blocked (errno 63)
        rmdir link-out/victim: blocked (errno 63)
        rmdir ../outside/victim: blocked (errno 63)
        truncate link-out/secret.txt: blocked (errno 63)
        truncate ../outside/secret.txt: blocked (errno 63)
        truncate abs-link: blocked (errno 63)
        utimensat link-out/secret.txt: blocked (errno 63)
        link link-out/secret.txt to hard: blocked (errno 63)
        link ../outside/secret.txt to hard: blocked (errno 63)
        symlink mine -> ../outside/secret.txt, open mine: blocked (errno 63)
        symlink mine-abs -> host path: blocked (errno 63)
        symlink up -> .., open up/outside/secret.txt: blocked (errno 63)
        symlink self -> sub/.., open self/../outside/secret.txt: blocked (errno 63)
        link abs-link to abs-link-2, open abs-link-2: blocked (errno 63)
        stat link-out/secret.txt: blocked (errno 63)
        stat ../outside/secret.txt: blocked (errno 63)
        stat abs-link: blocked (errno 63)
        stat link-out/victim: blocked (errno 63)
        access link-out/secret.txt: blocked (errno 63)
        opendir ..: blocked (errno 63)
        opendir /..: blocked (errno 63)
        opendir link-out: blocked (errno 63)
        opendir sub/../..: blocked (errno 63)
        readdir /: contained (only sandbox entries)
        chdir ..: blocked (errno 63)
        chdir link-out: blocked (errno 63)
        failures: 0
        """

    /// What `escape readonly` printed under wasmtime 50.0.1 with the sandbox preopened
    /// read-only. Note openat(sub, secret.txt, O_WRONLY): through a directory fd opened
    /// from the read-only preopen, wasmtime opens the file for writing and refuses only
    /// the write (EBADF) and ftruncate (EPERM); through the preopen itself it refuses the
    /// open (EPERM). Either is fine here; a write that works is not.
    static let wasmtimeReadOnly = """
        control read inside.txt: ok
        control read sub/secret.txt: ok
        control stat inside.txt: ok
        control opendir /: ok
        write to an O_RDONLY fd: blocked (errno 8)
        create new.txt: blocked (errno 63)
        create sub/new.txt: blocked (errno 63)
        open inside.txt O_WRONLY: blocked (errno 63)
        open inside.txt O_RDWR: blocked (errno 63)
        open inside.txt O_APPEND: blocked (errno 63)
        open inside.txt O_RDONLY|O_TRUNC: blocked (errno 63)
        control open sub as a directory: ok
        openat(sub, created.txt, O_CREAT): blocked (errno 63)
        openat(sub, secret.txt, O_WRONLY): blocked (opened, then write errno 8, ftruncate errno 63)
        openat(sub, ../inside.txt, O_RDWR): blocked (errno 63)
        openat(., inside.txt, O_WRONLY|O_TRUNC): blocked (errno 63)
        mkdir newdir: blocked (errno 63)
        unlink inside.txt: blocked (errno 63)
        rmdir sub/empty: blocked (errno 63)
        rename inside.txt to renamed.txt: blocked (errno 63)
        symlink newlink: blocked (errno 63)
        link inside.txt to hard: blocked (errno 63)
        truncate inside.txt: blocked (errno 63)
        utimensat inside.txt: blocked (errno 63)
        failures: 0
        """

    /// What `escape toctou` printed under wasmtime: first with sub a directory, then
    /// (a new run) with sub replaced by a symlink to ../outside.
    static let wasmtimeToctou = """
        open sub/secret.txt: read "sandbox copy"
        opendir sub: contained (only sandbox entries)
        failures: 0
        --
        open sub/secret.txt: blocked (errno 63)
        opendir sub: blocked (errno 63)
        failures: 0
        """

    /// What escape_swap printed under wasmtime, its kiln_test.swap import turning sub
    /// into a symlink to ../outside halfway. The directory fd opened before the swap goes
    /// on naming the real directory (now sub-old).
    static let wasmtimeSwap = """
        control open sub/secret.txt before the swap: read "sandbox copy"
        control openat(sub, secret.txt) before the swap: read "sandbox copy"
        -- sub is now a symlink to ../outside
        open sub/secret.txt: blocked (errno 63)
        open sub/../sub/secret.txt: blocked (errno 63)
        openat(sub, secret.txt) through the old fd: read "sandbox copy"
        openat(sub, ../../outside/secret.txt): blocked (errno 63)
        control open sub-old/secret.txt: read "sandbox copy"
        stat sub/secret.txt: blocked (errno 63)
        mkdir sub/newdir: blocked (errno 63)
        unlink sub/secret.txt: blocked (errno 63)
        rmdir sub/victim: blocked (errno 63)
        create sub/created.txt: blocked (errno 63)
        opendir sub: blocked (errno 63)
        failures: 0
        """

    struct Layout {
        let base: URL
        let outside: URL
        let sandbox: URL

        init(in base: URL) throws {
            let fileManager = FileManager.default
            self.base = base
            outside = base.appendingPathComponent("outside")
            sandbox = base.appendingPathComponent("sandbox")
            try fileManager.createDirectory(at: outside.appendingPathComponent("victim"), withIntermediateDirectories: true)
            try Data(SandboxEscapeTests.secret.utf8).write(to: outside.appendingPathComponent("secret.txt"))
            try fileManager.createDirectory(at: sandbox.appendingPathComponent("sub/empty"), withIntermediateDirectories: true)
            try Data("inside the sandbox\n".utf8).write(to: sandbox.appendingPathComponent("inside.txt"))
            try Data("sandbox copy\n".utf8).write(to: sandbox.appendingPathComponent("sub/secret.txt"))
            for (name, target) in [("link-out", "../outside"), ("abs-link", outside.appendingPathComponent("secret.txt").path),
                                   ("dangling", "../outside/does-not-exist"), ("loop1", "loop2"), ("loop2", "loop1")] {
                try fileManager.createSymbolicLink(atPath: sandbox.appendingPathComponent(name).path, withDestinationPath: target)
            }
        }

        /// sandbox/sub becomes sandbox/sub-old, and sandbox/sub a symlink to ../outside.
        func swapSub() throws {
            try FileManager.default.moveItem(at: sandbox.appendingPathComponent("sub"), to: sandbox.appendingPathComponent("sub-old"))
            try FileManager.default.createSymbolicLink(atPath: sandbox.appendingPathComponent("sub").path, withDestinationPath: "../outside")
        }

        func configuration(_ arguments: [String], readOnly: Bool = false, kernelPaths: Bool) -> WASIConfiguration {
            var configuration = WASIConfiguration()
            configuration.kernelPathResolution = kernelPaths
            configuration.arguments = arguments
            configuration.preopen(host: sandbox.path, guest: "/", readOnly: readOnly)
            return configuration
        }
    }

    /// Everything under root, root included, as "type contents-or-target modification-time",
    /// symlinks not followed; `skipping` leaves out a top-level entry and what is under it.
    static func snapshot(_ root: URL, skipping skipped: String? = nil) throws -> [String: String] {
        let fileManager = FileManager.default
        var result: [String: String] = [:]
        func record(_ relative: String) throws {
            let full = relative.isEmpty ? root.path : root.path + "/" + relative
            let attributes = try fileManager.attributesOfItem(atPath: full)
            let type = attributes[.type] as? FileAttributeType
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
            let key = relative.isEmpty ? "." : relative
            if type == FileAttributeType.typeSymbolicLink {
                result[key] = "symlink \(try fileManager.destinationOfSymbolicLink(atPath: full)) \(modified)"
            } else if type == FileAttributeType.typeDirectory {
                result[key] = "dir \(modified)"
                for name in try fileManager.contentsOfDirectory(atPath: full) where !(relative.isEmpty && name == skipped) {
                    try record(relative.isEmpty ? name : relative + "/" + name)
                }
            } else {
                let contents = try Data(contentsOf: URL(fileURLWithPath: full))
                result[key] = "file \(contents.base64EncodedString()) \(modified)"
            }
        }
        try record("")
        return result
    }

    /// (attempt, verdict) for each "NAME: VERDICT" line; a two-step attempt is named by
    /// its first step (", open ..." dropped), so runtimes that refuse different steps
    /// still name it the same.
    static func verdicts(_ output: String) -> [(name: String, verdict: String)] {
        output.split(separator: "\n").compactMap { line in
            guard let colon = line.range(of: ": ") else { return nil }
            let name = String(line[..<colon.lowerBound])
            return (name.components(separatedBy: ", open ").first ?? name, String(line[colon.upperBound...]))
        }
    }

    /// Every attempt wasmtime printed is there and blocked (or contained), every control
    /// worked, nothing escaped, the program counted no failures.
    static func checkVerdicts(_ output: String, like wasmtime: String, _ what: String) {
        let lines = verdicts(output)
        #expect(!output.contains("ESCAPED") && !output.contains("FAILED"), "\(what):\n\(output)")
        #expect(lines.last?.name == "failures" && lines.last?.verdict == "0", "\(what): the program did not finish cleanly:\n\(output)")
        for (name, verdict) in lines where name != "failures" {
            if name.hasPrefix("control ") {
                #expect(verdict == "ok" || verdict.hasPrefix("read \"sandbox copy\""), "\(what): \(name): \(verdict)")
            } else {
                #expect(verdict.hasPrefix("blocked") || verdict.hasPrefix("contained") || verdict == "read \"sandbox copy\"",
                        "\(what): \(name): \(verdict)")
            }
        }
        #expect(lines.map(\.name) == verdicts(wasmtime).map(\.name), "\(what): not the attempts wasmtime made:\n\(output)")
    }

    @Test(arguments: [Config.Strategy.interpreter, .jit], [true, false])
    func everyEscapeIsBlocked(_ strategy: Config.Strategy, _ kernelPaths: Bool) throws {
        try WASIScratch.with { base in
            let layout = try Layout(in: base)
            let before = try Self.snapshot(base, skipping: "sandbox")
            let run = try WASIRunner.run("escape", strategy, layout.configuration(["escape", "escape", layout.outside.path], kernelPaths: kernelPaths))
            #expect(run.exitCode == 0 && !run.trapped, "escape under \(strategy): \(run.stderr)")
            Self.checkVerdicts(run.stdout, like: Self.wasmtimeEscape, "escape under \(strategy)")
            #expect(try Self.snapshot(base, skipping: "sandbox") == before, "escape under \(strategy) changed what is outside the sandbox")
            #expect(try String(contentsOf: layout.outside.appendingPathComponent("secret.txt"), encoding: .utf8) == Self.secret)
        }
    }

    @Test(arguments: [Config.Strategy.interpreter, .jit], [true, false])
    func readOnlyPreopenCannotBeChanged(_ strategy: Config.Strategy, _ kernelPaths: Bool) throws {
        try WASIScratch.with { base in
            let layout = try Layout(in: base)
            let before = try Self.snapshot(base)
            let run = try WASIRunner.run("escape", strategy, layout.configuration(["escape", "readonly"], readOnly: true, kernelPaths: kernelPaths))
            #expect(run.exitCode == 0 && !run.trapped, "readonly under \(strategy): \(run.stderr)")
            Self.checkVerdicts(run.stdout, like: Self.wasmtimeReadOnly, "readonly under \(strategy)")
            #expect(try Self.snapshot(base) == before, "readonly under \(strategy) changed the read-only sandbox")
        }
    }

    /// The same preopen (one WASIContext) before and after sub turns into a symlink to
    /// ../outside, then a context made after the swap: resolving paths once and
    /// remembering them would let the second run through.
    @Test(arguments: [Config.Strategy.interpreter, .jit], [true, false])
    func directoryReplacedBySymlinkBetweenRuns(_ strategy: Config.Strategy, _ kernelPaths: Bool) throws {
        try WASIScratch.with { base in
            let layout = try Layout(in: base)
            let before = try Self.snapshot(layout.outside)
            var configuration = layout.configuration(["escape", "toctou"], kernelPaths: kernelPaths)
            let out = WASIPipe()
            configuration.stdout = .pipe(out)
            configuration.stderr = .discard
            let context = try WASIContext(configuration)

            let first = try WASIRunner.start("escape", strategy, context: context)
            let firstOutput = out.text
            #expect(first.exitCode == 0 && !first.trapped)
            #expect(firstOutput == Self.wasmtimeToctou.components(separatedBy: "--\n")[0], "first run under \(strategy)")

            try layout.swapSub()
            let second = try WASIRunner.start("escape", strategy, context: context)
            let secondOutput = String(decoding: out.contents.dropFirst(firstOutput.utf8.count), as: UTF8.self)
            #expect(second.exitCode == 0 && !second.trapped, "second run under \(strategy):\n\(secondOutput)")
            Self.checkVerdicts(secondOutput, like: Self.wasmtimeToctou.components(separatedBy: "--\n")[1],
                               "after the swap, same context, under \(strategy)")
            #expect(secondOutput.contains("open sub/secret.txt: blocked"), "\(secondOutput)")

            let fresh = try WASIRunner.run("escape", strategy, layout.configuration(["escape", "toctou"], kernelPaths: kernelPaths))
            #expect(fresh.exitCode == 0 && !fresh.trapped)
            Self.checkVerdicts(fresh.stdout, like: Self.wasmtimeToctou.components(separatedBy: "--\n")[1],
                               "after the swap, new context, under \(strategy)")
            #expect(try Self.snapshot(layout.outside) == before)
        }
    }

    /// sub turns into a symlink while the program runs (escape_swap.c calls the host's
    /// kiln_test.swap between its opens).
    @Test(arguments: [Config.Strategy.interpreter, .jit], [true, false])
    func directoryReplacedBySymlinkDuringARun(_ strategy: Config.Strategy, _ kernelPaths: Bool) throws {
        try WASIScratch.with { base in
            let layout = try Layout(in: base)
            let before = try Self.snapshot(layout.outside)
            let run = try WASIRunner.run("escape_swap", strategy, layout.configuration(["escape_swap"], kernelPaths: kernelPaths)) { linker in
                try linker.funcWrap("kiln_test", "swap") { (_: Caller<WASIContext>) in try layout.swapSub() }
            }
            #expect(run.exitCode == 0 && !run.trapped, "escape_swap under \(strategy): \(run.trap.map { "\($0)" } ?? run.stderr)")
            Self.checkVerdicts(run.stdout, like: Self.wasmtimeSwap, "escape_swap under \(strategy)")
            #expect(run.stdout.contains("-- sub is now a symlink to ../outside"), "the swap did not happen:\n\(run.stdout)")
            // POSIX, and wasmtime: an fd names the directory it opened, not its path.
            #expect(run.stdout.contains("openat(sub, secret.txt) through the old fd: read \"sandbox copy\""),
                    "a directory fd opened before the swap should still reach sub-old:\n\(run.stdout)")
            #expect(try Self.snapshot(layout.outside) == before)
        }
    }
}
