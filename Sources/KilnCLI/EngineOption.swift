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
