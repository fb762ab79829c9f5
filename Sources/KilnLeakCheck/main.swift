// Runs the extern-reference scenarios of ExternRefGCTests (and exceptions carrying extern
// references) under both engines, for a leak
// checker (valgrind cannot run the test harness itself):
//
//     swift build --product kiln-leak-check
//     valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=9 \
//         .build/debug/kiln-leak-check
//
// Exits 1 when a scenario's counts are wrong; valgrind's exit status reports leaks.

import Kiln
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

final class Payload {
    nonisolated(unsafe) static var freed = 0
    let id: Int
    init(_ id: Int) { self.id = id }
    deinit { Payload.freed += 1 }
}

func check(_ condition: Bool, _ what: String) {
    if !condition {
        print("FAILED: \(what)")
        exit(1)
    }
}

for strategy in [Config.Strategy.jit, .interpreter] {
    Payload.freed = 0
    do {
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let linker = Linker<Void>(engine)
        try linker.funcWrap("host", "collect") { (caller: Caller<Void>) in caller.gc() }
        try linker.funcWrap("host", "make") { (n: Int32) -> ExternRef? in ExternRef(Payload(Int(n))) }
        let module = try Module(engine, wat: """
            (module
              (import "host" "collect" (func $collect))
              (import "host" "make" (func $make (param i32) (result externref)))
              (global $g (mut externref) (ref.null extern))
              (table $t 8 externref)
              (func $id (export "id") (param externref) (result externref) (local.get 0))
              (func (export "keep") (param externref externref)
                (global.set $g (local.get 0))
                (table.fill $t (i32.const 0) (local.get 1) (i32.const 8))
                (drop (table.get $t (i32.const 3))))
              (func $down (export "down") (param $n i32)
                (local $mine externref)
                (local.set $mine (call $make (local.get $n)))
                (drop (call $make (local.get $n)))
                (if (i32.eqz (local.get $n))
                  (then (call $collect))
                  (else (call $down (i32.sub (local.get $n) (i32.const 1)))))
                (table.set $t (i32.const 0) (local.get $mine))))
            """)
        let instance = try linker.instantiate(store, module)
        let id = try instance.getTypedFunc(store, "id", (ExternRef?).self, (ExternRef?).self)
        for i in 0..<20_000 { _ = try id.call(store, ExternRef(Payload(i))) }
        store.gc()
        check(Payload.freed == 20_000, "\(strategy): temporaries freed (\(Payload.freed))")
        try instance.getTypedFunc(store, "down", (Int32).self, Void.self).call(store, Int32(20))
        try instance.getTypedFunc(store, "keep", (ExternRef?, ExternRef?).self, Void.self)
            .call(store, ExternRef(Payload(-1)) as ExternRef?, ExternRef(Payload(-2)) as ExternRef?)
        store.gc()
    }
    // Dropping the store freed what its global and table still held.
    check(Payload.freed == 20_000 + 42 + 2, "\(strategy): everything freed with the store (\(Payload.freed))")
    print("\(strategy): ok")
}

// A module rejected after some of its functions were translated or compiled frees what
// those took (the decode fuzzer found the interpreter's code of such functions leaking).
let validThenInvalid: [UInt8] = [
    0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7F,  // type 0: [] -> [i32]
    0x03, 0x04, 0x03, 0x00, 0x00, 0x00,  // three functions of type 0
    0x0A, 0x10, 0x03,
    0x04, 0x00, 0x41, 0x01, 0x0B,  // i32.const 1
    0x04, 0x00, 0x41, 0x02, 0x0B,  // i32.const 2
    0x04, 0x00, 0x42, 0x00, 0x0B,  // i64.const 0: type mismatch
]
for strategy in [Config.Strategy.jit, .interpreter] {
    let engine = try Engine(Config(strategy: strategy))
    for _ in 0..<100 {
        do {
            _ = try Module(engine, bytes: validThenInvalid)
            check(false, "\(strategy): the invalid module was accepted")
        } catch {}
    }
    print("\(strategy): rejected modules freed")
}

// Exceptions hold counts of the extern references they carry: caught and dropped, kept in a
// global (exnref) and rethrown, or escaping to the host as a WasmException, every payload
// is freed once nothing holds its exception.
for strategy in [Config.Strategy.jit, .interpreter] {
    Payload.freed = 0
    do {
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let linker = Linker<Void>(engine)
        try linker.funcWrap("host", "make") { (n: Int32) -> ExternRef? in ExternRef(Payload(Int(n))) }
        let module = try Module(engine, wat: """
            (module
              (import "host" "make" (func $make (param i32) (result externref)))
              (tag $e (param externref i32))
              (global $kept (mut exnref) (ref.null exn))
              (func $thrower (param $n i32) (throw $e (call $make (local.get $n)) (local.get $n)))
              (func (export "caught") (param $n i32)
                (block $h (result externref i32)
                  (try_table (catch $e $h) (call $thrower (local.get $n)))
                  (unreachable))
                (drop) (drop))
              (func (export "keep") (param $n i32)
                (block $h (result exnref)
                  (try_table (catch_all_ref $h) (call $thrower (local.get $n)))
                  (unreachable))
                (global.set $kept))
              (func (export "rethrow") (throw_ref (global.get $kept)))
              (func (export "forget") (global.set $kept (ref.null exn)))
              (func (export "escape") (param $n i32) (call $thrower (local.get $n))))
            """)
        let instance = try linker.instantiate(store, module)
        let caught = try instance.getTypedFunc(store, "caught", Int32.self, Void.self)
        for i in 0..<5_000 { try caught.call(store, Int32(i)) }
        let escape = try instance.getTypedFunc(store, "escape", Int32.self, Void.self)
        for i in 0..<1_000 {
            do {
                try escape.call(store, Int32(i))
                check(false, "\(strategy): the exception did not escape")
            } catch is WasmException {}
        }
        try instance.getTypedFunc(store, "keep", Int32.self, Void.self).call(store, Int32(7))
        do {
            try instance.getTypedFunc(store, "rethrow", Void.self, Void.self).call(store)
            check(false, "\(strategy): the rethrow returned")
        } catch is WasmException {}
        store.gc()
        check(Payload.freed == 6_000, "\(strategy): exception payloads freed (\(Payload.freed))")
        try instance.getTypedFunc(store, "forget", Void.self, Void.self).call(store)
        store.gc()
        check(Payload.freed == 6_001, "\(strategy): the kept exception's payload freed (\(Payload.freed))")
    }
    print("\(strategy): exceptions ok")
}
