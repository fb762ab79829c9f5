;; n hops of return_call between a mutually recursive pair ($ping and $pong, so that no
;; engine can turn a self tail call into a loop), counting k down from n with an
;; accumulator: each hop computes acc * 31 + k and return_calls the other function with
;; k - 1, until k = 0. The stack stays one frame deep. calls.wat does the same work as n
;; ordinary calls from a loop; same checksum.
(module
  (func $ping (param $k i32) (param $acc i64) (result i64)
    (if (result i64) (i32.eqz (local.get $k))
      (then (local.get $acc))
      (else
        (return_call $pong
          (i32.sub (local.get $k) (i32.const 1))
          (i64.add (i64.mul (local.get $acc) (i64.const 31)) (i64.extend_i32_u (local.get $k)))))))
  (func $pong (param $k i32) (param $acc i64) (result i64)
    (if (result i64) (i32.eqz (local.get $k))
      (then (local.get $acc))
      (else
        (return_call $ping
          (i32.sub (local.get $k) (i32.const 1))
          (i64.add (i64.mul (local.get $acc) (i64.const 31)) (i64.extend_i32_u (local.get $k)))))))
  (func (export "run") (param $n i32) (result i64)
    (call $ping (local.get $n) (i64.const 0))))
