;; RUN: validate
;; A valid module with structured control flow: no output, exit 0.
(module
  (func (export "classify") (param i32) (result i32)
    (block $default
      (block $one
        (block $zero
          (br_table $zero $one $default (local.get 0)))
        (return (i32.const 100)))
      (return (i32.const 101)))
    (loop $l (result i32)
      (br_if $l (i32.eqz (local.get 0)))
      (select (result i32) (i32.const 1) (i32.const 2) (local.get 0)))))

(;; EXPECT
exit: 0
;;)
