/*
** wasi_misc.c: the functions that touch no fd: arguments and environment,
** clocks, random bytes, proc_raise and sched_yield. proc_exit is a trap, not
** an errno, and lives with the host-function glue in wasi_ctx.c.
*/
#include "wasi_internal.h"

#include <errno.h>
#include <sched.h>
#include <sys/random.h>
#include <time.h>

/* ------------------------------------------------------------ arguments and environment */

/* Writes the pointer array and the string block of s; both ranges are
** checked before anything is written. */
static wasi_errno strings_get(wrt_wasi *w, const wasi_strings *s, uint32_t vec, uint32_t buf) {
  uint8_t *pv = wasi_mem(w, vec, (uint64_t)s->count * 4);
  uint8_t *pb = wasi_mem(w, buf, s->size);
  if (!pv || !pb)
    return WASI_EFAULT;
  if (s->size)
    memcpy(pb, s->buf, s->size);
  size_t off = 0;
  for (uint32_t i = 0; i < s->count; i++) {
    wasi_st32(pv + (size_t)i * 4, buf + (uint32_t)off); /* buf + size fits: it is in memory */
    off += strlen(s->buf + off) + 1;
  }
  return WASI_ESUCCESS;
}

static wasi_errno strings_sizes(wrt_wasi *w, const wasi_strings *s, uint32_t count_ptr,
                                uint32_t size_ptr) {
  if (!wasi_mem(w, count_ptr, 4) || !wasi_mem(w, size_ptr, 4))
    return WASI_EFAULT;
  wasi_put32(w, count_ptr, s->count);
  return wasi_put32(w, size_ptr, (uint32_t)s->size);
}

/* spec: args_get(argv, argv_buf) / environ_get(environ, environ_buf): the
** guest sized both buffers with the *_sizes_get calls; argv[i] are guest
** pointers (u32) into argv_buf. The strings were copied at wrt_wasi_new. */
wasi_errno wasi_args_get(wrt_wasi *w, const wrt_val *a) {
  return strings_get(w, &w->args, wasi_u32(&a[0]), wasi_u32(&a[1]));
}

wasi_errno wasi_args_sizes_get(wrt_wasi *w, const wrt_val *a) {
  return strings_sizes(w, &w->args, wasi_u32(&a[0]), wasi_u32(&a[1]));
}

wasi_errno wasi_environ_get(wrt_wasi *w, const wrt_val *a) {
  return strings_get(w, &w->env, wasi_u32(&a[0]), wasi_u32(&a[1]));
}

wasi_errno wasi_environ_sizes_get(wrt_wasi *w, const wrt_val *a) {
  return strings_sizes(w, &w->env, wasi_u32(&a[0]), wasi_u32(&a[1]));
}

/* ------------------------------------------------------------ clocks */

static bool host_clock(uint32_t id, clockid_t *out) {
  switch (id) {
  case WASI_CLOCK_REALTIME:
    *out = CLOCK_REALTIME;
    return true;
  case WASI_CLOCK_MONOTONIC:
    *out = CLOCK_MONOTONIC;
    return true;
  case WASI_CLOCK_PROCESS_CPUTIME:
    *out = CLOCK_PROCESS_CPUTIME_ID;
    return true;
  case WASI_CLOCK_THREAD_CPUTIME:
    *out = CLOCK_THREAD_CPUTIME_ID;
    return true;
  default:
    return false;
  }
}

static uint64_t ns_of(const struct timespec *ts) {
  return (uint64_t)ts->tv_sec * UINT64_C(1000000000) + (uint64_t)ts->tv_nsec;
}

wasi_errno wasi_clock_now(uint32_t id, uint64_t *ns) {
  clockid_t c;
  struct timespec ts;
  if (!host_clock(id, &c))
    return WASI_EINVAL;
  if (clock_gettime(c, &ts) != 0)
    return wasi_errno_now();
  *ns = ns_of(&ts);
  return WASI_ESUCCESS;
}

wasi_errno wasi_clock_res_get(wrt_wasi *w, const wrt_val *a) {
  clockid_t c;
  struct timespec ts;
  if (!host_clock(wasi_u32(&a[0]), &c))
    return WASI_EINVAL;
  if (!wasi_mem(w, wasi_u32(&a[1]), 8))
    return WASI_EFAULT;
  if (clock_getres(c, &ts) != 0)
    return wasi_errno_now();
  return wasi_put64(w, wasi_u32(&a[1]), ns_of(&ts));
}

/* The precision argument is a hint; the host clock is read as it is. */
wasi_errno wasi_clock_time_get(wrt_wasi *w, const wrt_val *a) {
  uint64_t ns = 0;
  wasi_errno err = wasi_clock_now(wasi_u32(&a[0]), &ns);
  if (err != WASI_ESUCCESS)
    return err;
  return wasi_put64(w, wasi_u32(&a[2]), ns);
}

/* ------------------------------------------------------------ random, signals, scheduling */

/* getrandom(2) returns at most 32 MiB per call and may be interrupted:
** loop until the buffer is full. */
wasi_errno wasi_random_get(wrt_wasi *w, const wrt_val *a) {
  uint32_t len = wasi_u32(&a[1]);
  uint8_t *p = wasi_mem(w, wasi_u32(&a[0]), len);
  if (!p)
    return WASI_EFAULT;
  size_t done = 0;
  while (done < len) {
    ssize_t n = getrandom(p + done, len - done, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return wasi_errno_now();
    done += (size_t)n;
  }
  return WASI_ESUCCESS;
}

/* Raising a host signal would take the whole runtime down (and Wasm has no
** signal handlers), so like wasmtime we do not: signal 0 (none) succeeds,
** every other is NOSYS. wasi-libc only calls this with -D_WASI_EMULATED_SIGNAL,
** and its abort() traps instead. */
wasi_errno wasi_proc_raise(wrt_wasi *w, const wrt_val *a) {
  (void)w;
  uint32_t sig = wasi_u32(&a[0]);
  if (sig > 30)
    return WASI_EINVAL;
  return sig == 0 ? WASI_ESUCCESS : WASI_ENOSYS;
}

wasi_errno wasi_sched_yield(wrt_wasi *w, const wrt_val *a) {
  (void)w, (void)a;
  return sched_yield() == 0 ? WASI_ESUCCESS : wasi_errno_now();
}
