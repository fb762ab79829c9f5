/// What wasm execution is metered and interrupted with, compiled into the code of both
/// engines alike (see `Fuel`).
struct Instrumentation: Sendable, Hashable {
    /// Charge fuel, and trap when it runs out (`Config.consumeFuel`).
    var fuel = false
    /// Compare the engine's epoch with the store's deadline (`Config.epochInterruption`).
    var epochs = false
    /// The results of the relaxed SIMD operations (`Config.relaxedSIMDDeterministic`): not
    /// instrumentation, but chosen per engine like it and needed wherever it is (the
    /// translator to interpreter code and the code generator).
    var relaxedSIMD: RelaxedSIMDFlavor = .deterministic

    init(fuel: Bool = false, epochs: Bool = false, relaxedSIMD: RelaxedSIMDFlavor = .deterministic) {
        self.fuel = fuel
        self.epochs = epochs
        self.relaxedSIMD = relaxedSIMD
    }

    init(_ config: Config) {
        self.init(fuel: config.consumeFuel, epochs: config.epochInterruption,
                  relaxedSIMD: config.relaxedSIMDFlavorForTesting
                      ?? RelaxedSIMDFlavor(deterministic: config.relaxedSIMDDeterministic))
    }
}

/// Fuel, as wasmtime counts it. Every operator costs 1, except those that do no work of
/// their own, which cost 0:
///
/// | cost | operators |
/// |---|---|
/// | 0 | `nop`, `drop`, `block`, `loop`, `end`, `else`, `unreachable`, `return` |
/// | 1 | everything else (`if`, `br`, `br_if`, `br_table`, calls included) |
///
/// Code adds up the cost of each straight-line run and subtracts it from the store's fuel
/// where the run ends: before calls (tail calls too), `return`, `unreachable`, `if`, `else`, `end`, branches,
/// and on entering a loop. It checks the fuel at every function entry and loop header,
/// trapping (`all fuel consumed`) when none is left (≤ 0). The interpreter and the JIT
/// charge and check at exactly these points, so a program consumes the same fuel under
/// both.
enum Fuel {
    static func cost(_ instruction: Instruction) -> Int64 {
        switch instruction {
        case .nop, .drop, .block, .loop, .end, .else, .unreachable, .return, .try, .tryTable, .catch, .catchAll, .delegate: 0
        default: 1
        }
    }

    /// Whether the straight-line run being charged ends at `instruction` (its charge is
    /// applied before it transfers control).
    static func endsRun(_ instruction: Instruction) -> Bool {
        switch instruction {
        case .unreachable, .return, .call, .callIndirect, .loop, .if, .else, .end, .br, .brIf, .brTable,
             .returnCall, .returnCallIndirect, .callRef, .returnCallRef, .brOnNull, .brOnNonNull,
             .throw, .throwRef, .rethrow, .try, .tryTable, .catch, .catchAll, .delegate: true
        default: false
        }
    }
}
