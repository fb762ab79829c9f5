;; try_table_loop.wat without the try_table (the block it branched to stays, and costs
;; nothing): the baseline for the cost of entering and leaving a try_table.
;; run(n) = sum over i < n of (3i + 1) mod 2^32.
(module
  (func $leaf (param $x i32) (result i32)
    (i32.add (i32.mul (local.get $x) (i32.const 3)) (i32.const 1)))
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $sum i64)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (block $caught
          (local.set $sum
            (i64.add (local.get $sum) (i64.extend_i32_u (call $leaf (local.get $i))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $sum)))
