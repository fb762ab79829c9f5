;; The baseline for tail_calls.wat: a loop making n ordinary calls, k = n down to 1, of
;; a function doing the same per-hop work (acc * 31 + k) and returning. Same checksum.
(module
  (func $step (param $k i32) (param $acc i64) (result i64)
    (i64.add (i64.mul (local.get $acc) (i64.const 31)) (i64.extend_i32_u (local.get $k))))
  (func (export "run") (param $n i32) (result i64)
    (local $k i32) (local $acc i64)
    (local.set $k (local.get $n))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $k)))
        (local.set $acc (call $step (local.get $k) (local.get $acc)))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br $next)))
    (local.get $acc)))
