;; wasi_calls.wat: the guest side of the WASI fuzzer (test/fuzz/fuzz_wasi.c).
;; Imports every function of wasi_snapshot_preview1 but proc_exit (the list and
;; parameter types of WASI_FUNCS in libwrt-rt/wasi/wasi_internal.h) and exports
;; a wrapper for each under the same name. Every wrapper has one signature,
;; nine i64 parameters -> i32 errno, and narrows the ones the import takes as
;; i32 (i32.wrap_i64), so the harness calls all of them through one C function
;; type from the --header wasm2obj writes. `grow` grows the memory, whose
;; maximum (2 pages) bounds what the fuzzer can make it.
(module
  (import "wasi_snapshot_preview1" "args_get"
    (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get"
    (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get"
    (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_res_get"
    (func $clock_res_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get"
    (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_advise"
    (func $fd_advise (param i32 i64 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_allocate"
    (func $fd_allocate (param i32 i64 i64) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close"
    (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_datasync"
    (func $fd_datasync (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get"
    (func $fd_fdstat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_set_flags"
    (func $fd_fdstat_set_flags (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_set_rights"
    (func $fd_fdstat_set_rights (param i32 i64 i64) (result i32)))
  (import "wasi_snapshot_preview1" "fd_filestat_get"
    (func $fd_filestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_filestat_set_size"
    (func $fd_filestat_set_size (param i32 i64) (result i32)))
  (import "wasi_snapshot_preview1" "fd_filestat_set_times"
    (func $fd_filestat_set_times (param i32 i64 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_pread"
    (func $fd_pread (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_get"
    (func $fd_prestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name"
    (func $fd_prestat_dir_name (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_pwrite"
    (func $fd_pwrite (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_readdir"
    (func $fd_readdir (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_renumber"
    (func $fd_renumber (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_seek"
    (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_sync"
    (func $fd_sync (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_tell"
    (func $fd_tell (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_create_directory"
    (func $path_create_directory (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_filestat_get"
    (func $path_filestat_get (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_filestat_set_times"
    (func $path_filestat_set_times (param i32 i32 i32 i32 i64 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_link"
    (func $path_link (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_readlink"
    (func $path_readlink (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_remove_directory"
    (func $path_remove_directory (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_rename"
    (func $path_rename (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_symlink"
    (func $path_symlink (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_unlink_file"
    (func $path_unlink_file (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_raise"
    (func $proc_raise (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "sched_yield"
    (func $sched_yield (result i32)))
  (import "wasi_snapshot_preview1" "random_get"
    (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_accept"
    (func $sock_accept (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_recv"
    (func $sock_recv (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_send"
    (func $sock_send (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_shutdown"
    (func $sock_shutdown (param i32 i32) (result i32)))

  (memory (export "memory") 1 2)
  (type $call (func (param i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i32)))

  (func (export "grow") (param i32) (result i32)
    (memory.grow (local.get 0)))
  (func (export "args_get") (type $call)
    (call $args_get (i32.wrap_i64 (local.get 0)) (i32.wrap_i64 (local.get 1))))
  (func (export "args_sizes_get") (type $call)
    (call $args_sizes_get (i32.wrap_i64 (local.get 0)) (i32.wrap_i64 (local.get 1))))
  (func (export "environ_get") (type $call)
    (call $environ_get (i32.wrap_i64 (local.get 0)) (i32.wrap_i64 (local.get 1))))
  (func (export "environ_sizes_get") (type $call)
    (call $environ_sizes_get (i32.wrap_i64 (local.get 0)) (i32.wrap_i64 (local.get 1))))
  (func (export "clock_res_get") (type $call)
    (call $clock_res_get (i32.wrap_i64 (local.get 0)) (i32.wrap_i64 (local.get 1))))
  (func (export "clock_time_get") (type $call)
    (call $clock_time_get (i32.wrap_i64 (local.get 0)) (local.get 1) (i32.wrap_i64 (local.get 2))))
  (func (export "fd_advise") (type $call)
    (call $fd_advise
      (i32.wrap_i64 (local.get 0))
      (local.get 1)
      (local.get 2)
      (i32.wrap_i64 (local.get 3))))
  (func (export "fd_allocate") (type $call)
    (call $fd_allocate (i32.wrap_i64 (local.get 0)) (local.get 1) (local.get 2)))
  (func (export "fd_close") (type $call)
    (call $fd_close (i32.wrap_i64 (local.get 0))))
  (func (export "fd_datasync") (type $call)
    (call $fd_datasync (i32.wrap_i64 (local.get 0))))
  (func (export "fd_fdstat_get") (type $call)
    (call $fd_fdstat_get (i32.wrap_i64 (local.get 0)) (i32.wrap_i64 (local.get 1))))
  (func (export "fd_fdstat_set_flags") (type $call)
    (call $fd_fdstat_set_flags (i32.wrap_i64 (local.get 0)) (i32.wrap_i64 (local.get 1))))
  (func (export "fd_fdstat_set_rights") (type $call)
    (call $fd_fdstat_set_rights (i32.wrap_i64 (local.get 0)) (local.get 1) (local.get 2)))
  (func (export "fd_filestat_get") (type $call)
    (call $fd_filestat_get (i32.wrap_i64 (local.get 0)) (i32.wrap_i64 (local.get 1))))
  (func (export "fd_filestat_set_size") (type $call)
    (call $fd_filestat_set_size (i32.wrap_i64 (local.get 0)) (local.get 1)))
  (func (export "fd_filestat_set_times") (type $call)
    (call $fd_filestat_set_times
      (i32.wrap_i64 (local.get 0))
      (local.get 1)
      (local.get 2)
      (i32.wrap_i64 (local.get 3))))
  (func (export "fd_pread") (type $call)
    (call $fd_pread
      (i32.wrap_i64 (local.get 0))
      (i32.wrap_i64 (local.get 1))
      (i32.wrap_i64 (local.get 2))
      (local.get 3)
      (i32.wrap_i64 (local.get 4))))
  (func (export "fd_prestat_get") (type $call)
    (call $fd_prestat_get (i32.wrap_i64 (local.get 0)) (i32.wrap_i64 (local.get 1))))
  (func (export "fd_prestat_dir_name") (type $call)
    (call $fd_prestat_dir_name
      (i32.wrap_i64 (local.get 0))
      (i32.wrap_i64 (local.get 1))
      (i32.wrap_i64 (local.get 2))))
  (func (export "fd_pwrite") (type $call)
    (call $fd_pwrite
      (i32.wrap_i64 (local.get 0))
      (i32.wrap_i64 (local.get 1))
      (i32.wrap_i64 (local.get 2))
      (local.get 3)
      (i32.wrap_i64 (local.get 4))))
  (func (export "fd_read") (type $call)
    (call $fd_read
      (i32.wrap_i64 (local.get 0))
      (i32.wrap_i64 (local.get 1))
      (i32.wrap_i64 (local.get 2))
      (i32.wrap_i64 (local.get 3))))
  (func (export "fd_readdir") (type $call)
    (call $fd_readdir
      (i32.wrap_i64 (local.get 0))
      (i32.wrap_i64 (local.get 1))
      (i32.wrap_i64 (local.get 2))
      (local.get 3)
      (i32.wrap_i64 (local.get 4))))
  (func (export "fd_renumber") (type $call)
    (call $fd_renumber (i32.wrap_i64 (local.get 0)) (i32.wrap_i64 (local.get 1))))
  (func (export "fd_seek") (type $call)
    (call $fd_seek
      (i32.wrap_i64 (local.get 0))
      (local.get 1)
      (i32.wrap_i64 (local.get 2))
      (i32.wrap_i64 (local.get 3))))
  (func (export "fd_sync") (type $call)
    (call $fd_sync (i32.wrap_i64 (local.get 0))))
  (func (export "fd_tell") (type $call)
    (call $fd_tell (i32.wrap_i64 (local.get 0)) (i32.wrap_i64 (local.get 1))))
  (func (export "fd_write") (type $call)
    (call $fd_write
      (i32.wrap_i64 (local.get 0))
      (i32.wrap_i64 (local.get 1))
      (i32.wrap_i64 (local.get 2))
      (i32.wrap_i64 (local.get 3))))
  (func (export "path_create_directory") (type $call)
    (call $path_create_directory
      (i32.wrap_i64 (local.get 0))
      (i32.wrap_i64 (local.get 1))
      (i32.wrap_i64 (local.get 2))))
  (func (export "path_filestat_get") (type $call)
    (call $path_filestat_get
      (i32.wrap_i64 (local.get 0))
      (i32.wrap_i64 (local.get 1))
      (i32.wrap_i64 (local.get 2))
      (i32.wrap_i64 (local.get 3))
      (i32.wrap_i64 (local.get 4))))
  (func (export "path_filestat_set_times") (type $call)
    (call $path_filestat_set_times
      (i32.wrap_i64 (local.get 0))
      (i32.wrap_i64 (local.get 1))
      (i32.wrap_i64 (local.get 2))
      (i32.wrap_i64 (local.get 3))
      (local.get 4)
      (local.get 5)
      (i32.wrap_i64 (local.get 6))))
  (func (export "path_link") (type $call)
    (call $path_link
      (i32.wrap_i64 (local.get 0))
      (i32.wrap_i64 (local.get 1))
      (i32.wrap_i64 (local.get 2))
      (i32.wrap_i64 (local.get 3))
      (i32.wrap_i64 (local.get 4))
      (i32.wrap_i64 (local.get 5))
      (i32.wrap_i64 (local.get 6))))
  (func (export "path_open") (type $call)
    (call $path_open
      (i32.wrap_i64 (local.get 0))
      (i32.wrap_i64 (local.get 1))
      (i32.wrap_i64 (local.get 2))
      (i32.wrap_i64 (local.get 3))
      (i32.wrap_i64 (local.get 4))
      (local.get 5)
      (local.get 6)
      (i32.wrap_i64 (local.get 7))
      (i32.wrap_i64 (local.get 8))))
  (func (export "path_readlink") (type $call)
    (call $path_readlink
      (i32.wrap_i64 (local.get 0))
      (i32.wrap_i64 (local.get 1))
      (i32.wrap_i64 (local.get 2))
      (i32.wrap_i64 (local.get 3))
      (i32.wrap_i64 (local.get 4))
      (i32.wrap_i64 (local.get 5))))
  (func (export "path_remove_directory") (type $call)
    (call $path_remove_directory
      (i32.wrap_i64 (local.get 0))
      (i32.wrap_i64 (local.get 1))
      (i32.wrap_i64 (local.get 2))))
  (func (export "path_rename") (type $call)
    (call $path_rename
      (i32.wrap_i64 (local.get 0))
      (i32.wrap_i64 (local.get 1))
      (i32.wrap_i64 (local.get 2))
      (i32.wrap_i64 (local.get 3))
      (i32.wrap_i64 (local.get 4))
      (i32.wrap_i64 (local.get 5))))
  (func (export "path_symlink") (type $call)
    (call $path_symlink
      (i32.wrap_i64 (local.get 0))
      (i32.wrap_i64 (local.get 1))
      (i32.wrap_i64 (local.get 2))
      (i32.wrap_i64 (local.get 3))
      (i32.wrap_i64 (local.get 4))))
  (func (export "path_unlink_file") (type $call)
    (call $path_unlink_file
      (i32.wrap_i64 (local.get 0))
      (i32.wrap_i64 (local.get 1))
      (i32.wrap_i64 (local.get 2))))
  (func (export "poll_oneoff") (type $call)
    (call $poll_oneoff
      (i32.wrap_i64 (local.get 0))
      (i32.wrap_i64 (local.get 1))
      (i32.wrap_i64 (local.get 2))
      (i32.wrap_i64 (local.get 3))))
  (func (export "proc_raise") (type $call)
    (call $proc_raise (i32.wrap_i64 (local.get 0))))
  (func (export "sched_yield") (type $call)
    (call $sched_yield))
  (func (export "random_get") (type $call)
    (call $random_get (i32.wrap_i64 (local.get 0)) (i32.wrap_i64 (local.get 1))))
  (func (export "sock_accept") (type $call)
    (call $sock_accept
      (i32.wrap_i64 (local.get 0))
      (i32.wrap_i64 (local.get 1))
      (i32.wrap_i64 (local.get 2))))
  (func (export "sock_recv") (type $call)
    (call $sock_recv
      (i32.wrap_i64 (local.get 0))
      (i32.wrap_i64 (local.get 1))
      (i32.wrap_i64 (local.get 2))
      (i32.wrap_i64 (local.get 3))
      (i32.wrap_i64 (local.get 4))
      (i32.wrap_i64 (local.get 5))))
  (func (export "sock_send") (type $call)
    (call $sock_send
      (i32.wrap_i64 (local.get 0))
      (i32.wrap_i64 (local.get 1))
      (i32.wrap_i64 (local.get 2))
      (i32.wrap_i64 (local.get 3))
      (i32.wrap_i64 (local.get 4))))
  (func (export "sock_shutdown") (type $call)
    (call $sock_shutdown (i32.wrap_i64 (local.get 0)) (i32.wrap_i64 (local.get 1))))
)
