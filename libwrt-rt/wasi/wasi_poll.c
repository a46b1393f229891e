/*
** wasi_poll.c: poll_oneoff. fd_read / fd_write subscriptions become one
** ppoll(2) whose timeout is the nearest clock subscription (relative or
** absolute, on any WASI clock); a subscription that is invalid from the
** start (bad fd, missing right, unknown clock) yields an event with its
** error at once and makes the poll not block. Each subscription produces
** at most one event, so `out` (nsubscriptions events) never overflows.
*/
#include "wasi_internal.h"

#include <errno.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define NS_PER_S UINT64_C(1000000000)
#define NO_TIMEOUT UINT64_MAX

/* Subscription layout: userdata u64 @0, tag u8 @8, then at 16 either
** clock {id u32 @16, timeout u64 @24, precision u64 @32, flags u16 @40} or
** fd_readwrite {fd u32 @16}. Event layout: userdata u64 @0, error u16 @8,
** type u8 @10, fd_readwrite {nbytes u64 @16, flags u16 @24}. */
enum { SUBCLOCK_ABSTIME = 1, EVENTRW_HANGUP = 1 };

/* Per-subscription state while polling. */
typedef struct sub {
  uint64_t wait;  /* clock: nanoseconds from the start of the poll; else NO_TIMEOUT */
  int pfd;        /* fd subscriptions: index in the pollfd array, else -1 */
  wasi_errno err; /* an error known before polling */
  uint8_t type;
  bool is_clock;
} sub;

typedef struct poll_state {
  const uint8_t *in;
  uint8_t *out;
  uint32_t n, n_events;
  sub *subs;
  struct pollfd *pfds;
  nfds_t n_pfds;
  uint64_t min_wait; /* the nearest clock, or NO_TIMEOUT */
  bool immediate;    /* some event is already known: do not block */
} poll_state;

static void emit(poll_state *ps, uint32_t i, wasi_errno err, uint64_t nbytes, uint16_t flags) {
  uint8_t *e = ps->out + (size_t)ps->n_events++ * WASI_EVENT_SIZE;
  memset(e, 0, WASI_EVENT_SIZE);
  wasi_st64(e, wasi_ld64(ps->in + (size_t)i * WASI_SUBSCRIPTION_SIZE));
  wasi_st16(e + 8, err);
  e[10] = ps->subs[i].type;
  wasi_st64(e + 16, nbytes);
  wasi_st16(e + 24, flags);
}

static void parse_clock(poll_state *ps, sub *s, const uint8_t *p) {
  uint32_t id = wasi_ld32(p + 16);
  uint64_t timeout = wasi_ld64(p + 24), now;
  s->is_clock = true;
  s->err = wasi_clock_now(id, &now);
  if (s->err != WASI_ESUCCESS)
    return;
  if (wasi_ld16(p + 40) & SUBCLOCK_ABSTIME)
    s->wait = timeout > now ? timeout - now : 0;
  else
    s->wait = timeout;
  if (s->wait < ps->min_wait)
    ps->min_wait = s->wait;
}

static void parse_fd(wrt_wasi *w, poll_state *ps, sub *s, const uint8_t *p) {
  wasi_fd *fd;
  s->err = wasi_fd_get(w, wasi_ld32(p + 16), WASI_RIGHT_POLL_FD_READWRITE, &fd);
  if (s->err != WASI_ESUCCESS)
    return;
  s->pfd = (int)ps->n_pfds;
  struct pollfd *pf = &ps->pfds[ps->n_pfds++];
  pf->fd = fd->host;
  pf->events = s->type == WASI_EVENT_FD_READ ? POLLIN : POLLOUT;
  pf->revents = 0;
}

static void parse(wrt_wasi *w, poll_state *ps) {
  for (uint32_t i = 0; i < ps->n; i++) {
    const uint8_t *p = ps->in + (size_t)i * WASI_SUBSCRIPTION_SIZE;
    sub *s = &ps->subs[i];
    s->wait = NO_TIMEOUT;
    s->pfd = -1;
    s->type = p[8];
    if (s->type == WASI_EVENT_CLOCK)
      parse_clock(ps, s, p);
    else if (s->type == WASI_EVENT_FD_READ || s->type == WASI_EVENT_FD_WRITE)
      parse_fd(w, ps, s, p);
    else
      s->err = WASI_EINVAL;
    if (s->err != WASI_ESUCCESS)
      ps->immediate = true;
  }
}

static uint64_t mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

/* Waits until an fd is ready or min_wait has passed; returns the ready
** count or -1 with errno. EINTR restarts with the time that is left. */
static int wait_ready(poll_state *ps, uint64_t start) {
  for (;;) {
    struct timespec ts, *tp = NULL;
    if (ps->immediate || ps->min_wait != NO_TIMEOUT) {
      uint64_t spent = mono_ns() - start;
      uint64_t left = ps->immediate || spent >= ps->min_wait ? 0 : ps->min_wait - spent;
      ts.tv_sec = (time_t)(left / NS_PER_S);
      ts.tv_nsec = (long)(left % NS_PER_S);
      tp = &ts;
    }
    int r = ppoll(ps->pfds, ps->n_pfds, tp, NULL);
    if (r >= 0 || errno != EINTR)
      return r;
  }
}

/* Bytes ready to read, as far as the host can tell (0 when unknown). */
static uint64_t readable_bytes(int host) {
  struct stat st;
  if (fstat(host, &st) == 0 && S_ISREG(st.st_mode)) {
    off_t pos = lseek(host, 0, SEEK_CUR);
    return pos >= 0 && st.st_size > pos ? (uint64_t)(st.st_size - pos) : 0;
  }
  int n = 0;
  return ioctl(host, FIONREAD, &n) == 0 && n > 0 ? (uint64_t)n : 0;
}

static void emit_all(poll_state *ps, uint64_t elapsed) {
  for (uint32_t i = 0; i < ps->n; i++) {
    const sub *s = &ps->subs[i];
    if (s->err != WASI_ESUCCESS) {
      emit(ps, i, s->err, 0, 0);
    } else if (s->is_clock) {
      if (s->wait <= elapsed)
        emit(ps, i, WASI_ESUCCESS, 0, 0);
    } else {
      short rev = ps->pfds[s->pfd].revents;
      if (!rev)
        continue;
      uint16_t flags = (rev & POLLHUP) ? EVENTRW_HANGUP : 0;
      wasi_errno err = (rev & POLLNVAL) ? WASI_EBADF : WASI_ESUCCESS;
      if (!err && (rev & POLLERR) && !(rev & (POLLIN | POLLOUT)))
        err = WASI_EIO;
      uint64_t nbytes =
          !err && s->type == WASI_EVENT_FD_READ ? readable_bytes(ps->pfds[s->pfd].fd) : 0;
      emit(ps, i, err, nbytes, flags);
    }
  }
}

wasi_errno wasi_poll_oneoff(wrt_wasi *w, const wrt_val *a) {
  poll_state ps = {.n = wasi_u32(&a[2]), .min_wait = NO_TIMEOUT};
  uint32_t ret = wasi_u32(&a[3]);
  if (ps.n == 0)
    return WASI_EINVAL;
  ps.in = wasi_mem(w, wasi_u32(&a[0]), (uint64_t)ps.n * WASI_SUBSCRIPTION_SIZE);
  ps.out = wasi_mem(w, wasi_u32(&a[1]), (uint64_t)ps.n * WASI_EVENT_SIZE);
  if (!ps.in || !ps.out || !wasi_mem(w, ret, 4))
    return WASI_EFAULT;
  ps.subs = wrt_calloc(ps.n, sizeof *ps.subs);
  ps.pfds = wrt_calloc(ps.n, sizeof *ps.pfds);
  wasi_errno err = WASI_ESUCCESS;
  if (!ps.subs || !ps.pfds) {
    err = WASI_ENOMEM;
    goto done;
  }
  uint64_t start = mono_ns();
  parse(w, &ps);
  if (wait_ready(&ps, start) < 0) {
    err = wasi_errno_now();
    goto done;
  }
  emit_all(&ps, mono_ns() - start);
  err = wasi_put32(w, ret, ps.n_events);
done:
  wrt_free(ps.subs, ps.n * sizeof *ps.subs);
  wrt_free(ps.pfds, ps.n * sizeof *ps.pfds);
  return err;
}
