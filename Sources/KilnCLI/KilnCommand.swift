import ArgumentParser

@main
struct KilnCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiln",
        abstract: "Kiln, a WebAssembly runtime with a JIT compiler.",
        subcommands: [RunCommand.self, WastCommand.self, CompileCommand.self, FuzzCommand.self]
    )
}
