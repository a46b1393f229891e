;; pool_other.wat: another module for the slots pool.wat used
;; (test/host/host_pool.c): no data segments, so no memory image; it must see
;; none of pool.wat's bytes either.
(module
  (memory (export "mem") 2)
  (table (export "funcs") 3 funcref))
