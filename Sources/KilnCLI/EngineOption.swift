import ArgumentParser
import Kiln

/// `--engine jit|interp`
enum EngineChoice: String, ExpressibleByArgument, CaseIterable {
    case jit
    case interp

    var strategy: Config.Strategy {
        switch self {
        case .jit: .jit
        case .interp: .interpreter
        }
    }
}

/// `--bounds-checks guard-pages|explicit`
enum BoundsChecksChoice: String, ExpressibleByArgument, CaseIterable {
    case guardPages = "guard-pages"
    case explicit
}

/// The engine configuration `kiln run` uses, shared with `kiln compile -o` so an artifact is
/// compiled exactly as `kiln run --allow-precompiled` will load it: the strategy, and fuel
/// metering when `--fuel` is given.
func runConfig(strategy: Config.Strategy, consumeFuel: Bool) -> Config {
    var config = Config(strategy: strategy)
    config.consumeFuel = consumeFuel
    return config
}
