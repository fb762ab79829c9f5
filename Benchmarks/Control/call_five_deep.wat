;; The baseline for throw_five_up.wat: the same module, try_table included, except that
;; f1 returns its argument instead of throwing it, so the handler is never taken and the
;; value comes back through five ordinary returns. Same checksum as throw_five_up.
;; run(n) = sum over i < n of (i + 14).
(module
  (tag $e (param i32))
  (func $f1 (param $x i32) (result i32)
    (local.get $x))
  (func $f2 (param $x i32) (result i32)
    (call $f1 (i32.add (local.get $x) (i32.const 2))))
  (func $f3 (param $x i32) (result i32)
    (call $f2 (i32.add (local.get $x) (i32.const 3))))
  (func $f4 (param $x i32) (result i32)
    (call $f3 (i32.add (local.get $x) (i32.const 4))))
  (func $f5 (param $x i32) (result i32)
    (call $f4 (i32.add (local.get $x) (i32.const 5))))
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $sum i64)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $sum
          (i64.add (local.get $sum)
            (i64.extend_i32_u
              (block $handler (result i32)
                (try_table (result i32) (catch $e $handler)
                  (call $f5 (local.get $i)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $sum)))
