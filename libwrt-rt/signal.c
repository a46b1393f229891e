/*
** signal.c: turning hardware faults in compiled code into traps. It owns the
** SIGSEGV/SIGBUS handlers (installed once per process), the per-thread
** alternate signal stacks, the registry of module code ranges (per store),
** reading the PC from a signal context (one small function per
** architecture), and the thread's stack bounds. Faults that are not Wasm
** out-of-bounds accesses go to the previous handler or the default action:
** unrelated crashes are never swallowed.
*/
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "rt_internal.h"

/* Size of each thread's alternate signal stack (plus one guard page below).
** An existing alternate stack at least MIN_ALTSTACK large is kept. */
#define ALTSTACK_SIZE ((size_t)64 << 10)
#define MIN_ALTSTACK ((size_t)16 << 10)
/* A fault this close to the end of the thread's stack is stack exhaustion. */
#define STACK_FAULT_ZONE ((uintptr_t)64 << 10)

/* The only process-wide mutable state: written once under pthread_once,
** before the handler that reads it is installed. */
static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static struct sigaction prev_segv, prev_bus;
static pthread_key_t altstack_key;
static bool altstack_key_ok;

/* Per thread: whether this thread has its alternate stack, and its stack's
** lowest address (0 = unknown), computed once (it reads /proc on the main thread). */
static _Thread_local bool thread_ready;
static _Thread_local bool stack_low_known;
static _Thread_local uintptr_t stack_low;
/* The low end of the fiber stack the thread runs on, 0 on its own stack. */
static _Thread_local uintptr_t fiber_low;

/* ------------------------------------------------------------ per-architecture */

/* The interrupted PC, or NULL on architectures not handled here (faults are
** then never turned into traps). */
static const void *context_pc(const void *ctx) {
  const ucontext_t *uc = ctx;
#if defined(__x86_64__)
  return (const void *)(uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
  return (const void *)(uintptr_t)uc->uc_mcontext.pc;
#elif defined(__riscv) && __riscv_xlen == 64
  return (const void *)(uintptr_t)uc->uc_mcontext.__gregs[REG_PC];
#elif defined(__arm__)
  return (const void *)(uintptr_t)uc->uc_mcontext.arm_pc;
#else
  (void)uc;
  return NULL;
#endif
}

/* The interrupted frame pointer (NULL: no backtrace beyond the fault). */
static const void *context_fp(const void *ctx) {
  const ucontext_t *uc = ctx;
#if defined(__x86_64__)
  return (const void *)(uintptr_t)uc->uc_mcontext.gregs[REG_RBP];
#elif defined(__aarch64__)
  return (const void *)(uintptr_t)uc->uc_mcontext.regs[29];
#elif defined(__riscv) && __riscv_xlen == 64
  return (const void *)(uintptr_t)uc->uc_mcontext.__gregs[8]; /* s0 */
#elif defined(__arm__)
  return (const void *)(uintptr_t)uc->uc_mcontext.arm_fp; /* r11: compiled code is ARM state */
#else
  (void)uc;
  return NULL;
#endif
}

/* ------------------------------------------------------------ code ranges */

static bool in_range(const void *p, const void *begin, const void *end) {
  return (uintptr_t)p >= (uintptr_t)begin && (uintptr_t)p < (uintptr_t)end;
}

bool wrt_store_register_module(wrt_store *s, const wrt_module_desc *desc) {
  for (size_t i = 0; i < s->modules.n; i++)
    if (s->modules.v[i] == desc)
      return true;
  /* The vector holds const descriptors; the cast only satisfies void **. */
  return wrt_ptrvec_push(&s->modules, (void *)(uintptr_t)desc);
}

bool wrt_store_is_wasm_pc(const wrt_store *s, const void *pc) {
  for (size_t i = 0; i < s->modules.n; i++) {
    const wrt_module_desc *d = s->modules.v[i];
    if (in_range(pc, d->text_begin, d->text_end))
      return true;
  }
  return false;
}

bool wrt_store_func_at_pc(const wrt_store *s, const void *pc, const wrt_module_desc **desc,
                          uint32_t *func_idx) {
  uintptr_t best = 0;
  bool found = false;
  for (size_t i = 0; i < s->modules.n; i++) {
    const wrt_module_desc *d = s->modules.v[i];
    if (!in_range(pc, d->text_begin, d->text_end))
      continue;
    for (uint32_t f = d->n_func_imports; f < d->n_funcs; f++) {
      uintptr_t code = (uintptr_t)d->funcs[f].code;
      if (code <= (uintptr_t)pc && (!found || code > best)) {
        best = code;
        found = true;
        *desc = d;
        *func_idx = f;
      }
    }
  }
  return found;
}

/* ------------------------------------------------------------ the handler */

/* What a fault at addr means for a thread running Wasm of store s. */
static wrt_trap_code classify_fault(const wrt_store *s, const void *addr) {
  for (size_t i = 0; i < s->memories.n; i++) {
    const wrt_memory *m = s->memories.v[i];
    if (in_range(addr, m->reserve, m->reserve + m->reserve_size))
      return WRT_TRAP_OOB;
  }
  /* Compiled code checks the stack limit in prologues, so this is a last
  ** resort (a frame larger than the margin, say; on a fiber, its guard page). */
  uintptr_t low = fiber_low ? fiber_low : stack_low_known ? stack_low : 0;
  if (low && (uintptr_t)addr + STACK_FAULT_ZONE >= low && (uintptr_t)addr < low + STACK_FAULT_ZONE)
    return WRT_TRAP_STACK_EXHAUSTED;
  return WRT_TRAP_NONE;
}

/* Hands a fault we do not own to whoever had it before: their handler, or
** the default action (the faulting instruction runs again and kills the
** process with the right signal). */
static void chain(int sig, siginfo_t *si, void *ctx) {
  const struct sigaction *prev = sig == SIGBUS ? &prev_bus : &prev_segv;
  if ((prev->sa_flags & SA_SIGINFO) && prev->sa_sigaction) {
    prev->sa_sigaction(sig, si, ctx);
    return;
  }
  if (!(prev->sa_flags & SA_SIGINFO) && prev->sa_handler != SIG_DFL &&
      prev->sa_handler != SIG_IGN) {
    prev->sa_handler(sig);
    return;
  }
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(sig, &dfl, NULL);
  if (si->si_code <= 0) /* sent by kill(): returning would not raise it again */
    raise(sig);
}

/* Async-signal-safe: reads the thread's frame chain and the stores' arrays
** (only ever changed by this thread, outside Wasm code), then longjmps,
** after restoring the signal mask of the interrupted code (the frames use
** plain setjmp, which does not save it; without this the fault signal would
** stay blocked and the next fault would kill the process). */
static void on_fault(int sig, siginfo_t *si, void *ctx) {
  const void *pc = context_pc(ctx);
  for (wrt_call_frame *f = wrt_call_top; f && pc; f = f->prev) {
    if (!wrt_store_is_wasm_pc(f->store, pc))
      continue;
    wrt_trap_code code = classify_fault(f->store, si->si_addr);
    if (code != WRT_TRAP_NONE) {
      pthread_sigmask(SIG_SETMASK, &((const ucontext_t *)ctx)->uc_sigmask, NULL);
      wrt_trap_raise_at(code, pc, context_fp(ctx)); /* to the innermost frame */
    }
  }
  chain(sig, si, ctx);
}

/* ------------------------------------------------------------ installation */

static size_t page_size(void) {
  long p = sysconf(_SC_PAGESIZE);
  return p > 0 ? (size_t)p : 4096;
}

/* Thread exit: free our alternate stack, unless someone replaced it since. */
static void altstack_free(void *base) {
  stack_t cur;
  size_t guard = page_size();
  if (sigaltstack(NULL, &cur) != 0 || cur.ss_sp != (char *)base + guard)
    return; /* not ours any more: its new owner may have unmapped it */
  stack_t off;
  memset(&off, 0, sizeof off);
  off.ss_flags = SS_DISABLE;
  if (sigaltstack(&off, NULL) == 0)
    munmap(base, ALTSTACK_SIZE + guard);
}

static void install_handlers(void) {
  altstack_key_ok = pthread_key_create(&altstack_key, altstack_free) == 0;
  /* Read the previous actions before replacing them, so that a fault on
  ** another thread in between never sees them half written. */
  sigaction(SIGSEGV, NULL, &prev_segv);
  sigaction(SIGBUS, NULL, &prev_bus);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_fault;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, NULL);
  sigaction(SIGBUS, &sa, NULL);
}

/* Gives the thread an alternate signal stack, so that the handler also runs
** when the fault is a stack overflow. Failure is survivable: ordinary
** out-of-bounds faults are then handled on the thread's own stack. */
static void thread_altstack(void) {
  stack_t cur;
  if (sigaltstack(NULL, &cur) == 0 && !(cur.ss_flags & SS_DISABLE) && cur.ss_size >= MIN_ALTSTACK)
    return; /* the embedder's (or a sanitizer's) is fine */
  size_t guard = page_size();
  char *base = mmap(NULL, ALTSTACK_SIZE + guard, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED)
    return;
  mprotect(base, guard, PROT_NONE); /* an overflowing handler faults, not corrupts */
  stack_t ss;
  memset(&ss, 0, sizeof ss);
  ss.ss_sp = base + guard;
  ss.ss_size = ALTSTACK_SIZE;
  if (sigaltstack(&ss, NULL) != 0) {
    munmap(base, ALTSTACK_SIZE + guard);
    return;
  }
  if (altstack_key_ok)
    pthread_setspecific(altstack_key, base);
}

void wrt_signals_thread_init(void) {
  if (thread_ready)
    return;
  pthread_once(&install_once, install_handlers);
  thread_altstack();
  wrt_thread_stack_low(); /* computed now, so the handler can read it */
  thread_ready = true;
}

void wrt_stack_low_set(uintptr_t low) {
  fiber_low = low;
}

uintptr_t wrt_thread_stack_low(void) {
  if (fiber_low)
    return fiber_low;
  if (stack_low_known)
    return stack_low;
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    void *addr;
    size_t size;
    if (pthread_attr_getstack(&attr, &addr, &size) == 0)
      stack_low = (uintptr_t)addr;
    pthread_attr_destroy(&attr);
  }
  stack_low_known = true;
  return stack_low;
}
