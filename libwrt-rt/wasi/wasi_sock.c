/*
** wasi_sock.c: the socket functions of preview 1: accept on a listening
** socket handed over by the configuration, and recv / send / shutdown on
** connected ones. Preview 1 has no way to create, bind or connect sockets;
** the embedder passes them in (wrt_wasi_config.socket_fds).
*/
#include "wasi_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_IOV 64

enum { RIFLAG_PEEK = 1, RIFLAG_WAITALL = 2, ROFLAG_TRUNCATED = 1, SDFLAG_RD = 1, SDFLAG_WR = 2 };

/* The socket fd `idx`: NOTSOCK for other kinds of fd (before the rights
** check, so a file says NOTSOCK rather than NOTCAPABLE). */
static wasi_errno sock_get(wrt_wasi *w, uint32_t idx, uint64_t rights, wasi_fd **out) {
  wasi_errno err = wasi_fd_get(w, idx, 0, out);
  if (err != WASI_ESUCCESS)
    return err;
  uint8_t t = (*out)->type;
  if (t != WASI_FILETYPE_SOCKET_STREAM && t != WASI_FILETYPE_SOCKET_DGRAM)
    return WASI_ENOTSOCK;
  return wasi_fd_get(w, idx, rights, out);
}

/* spec: sock_accept(fd, fdflags) -> fd. Only NONBLOCK may be asked for.
** The connection gets the socket rights but SOCK_ACCEPT. */
wasi_errno wasi_sock_accept(wrt_wasi *w, const wrt_val *a) {
  uint32_t flags = wasi_u32(&a[1]), ret = wasi_u32(&a[2]);
  wasi_fd *fd;
  wasi_errno err = sock_get(w, wasi_u32(&a[0]), WASI_RIGHT_SOCK_ACCEPT, &fd);
  if (err != WASI_ESUCCESS)
    return err;
  if (flags & ~(uint32_t)WASI_FDFLAG_NONBLOCK)
    return WASI_EINVAL;
  if (!wasi_mem(w, ret, 4))
    return WASI_EFAULT;
  int h = accept4(fd->host, NULL, NULL,
                  SOCK_CLOEXEC | ((flags & WASI_FDFLAG_NONBLOCK) ? SOCK_NONBLOCK : 0));
  if (h < 0)
    return wasi_errno_now();
  wasi_fd conn = {.host = h, .own = true, .type = WASI_FILETYPE_SOCKET_STREAM};
  conn.base = WASI_RIGHTS_SOCKET & ~(uint64_t)WASI_RIGHT_SOCK_ACCEPT;
  uint32_t idx;
  if ((err = wasi_fd_add(w, &conn, &idx)) != WASI_ESUCCESS)
    return err;
  return wasi_put32(w, ret, idx);
}

/* spec: sock_recv(fd, ri_data, ri_flags) -> (ro_datalen, ro_flags).
** RECV_PEEK / RECV_WAITALL map to MSG_PEEK / MSG_WAITALL; a datagram cut to
** the buffers sets RECV_DATA_TRUNCATED. Both results are checked first. */
wasi_errno wasi_sock_recv(wrt_wasi *w, const wrt_val *a) {
  uint32_t riflags = wasi_u32(&a[3]), ret_len = wasi_u32(&a[4]), ret_flags = wasi_u32(&a[5]);
  wasi_fd *fd;
  wasi_errno err = sock_get(w, wasi_u32(&a[0]), WASI_RIGHT_FD_READ, &fd);
  if (err != WASI_ESUCCESS)
    return err;
  if (riflags & ~(uint32_t)(RIFLAG_PEEK | RIFLAG_WAITALL))
    return WASI_EINVAL;
  if (!wasi_mem(w, ret_len, 4) || !wasi_mem(w, ret_flags, 2))
    return WASI_EFAULT;
  struct iovec iov[MAX_IOV];
  int n;
  if ((err = wasi_iovecs(w, wasi_u32(&a[1]), wasi_u32(&a[2]), iov, MAX_IOV, &n)) != 0)
    return err;
  struct msghdr msg = {.msg_iov = iov, .msg_iovlen = (size_t)n};
  int fl =
      ((riflags & RIFLAG_PEEK) ? MSG_PEEK : 0) | ((riflags & RIFLAG_WAITALL) ? MSG_WAITALL : 0);
  ssize_t r = recvmsg(fd->host, &msg, fl);
  if (r < 0)
    return wasi_errno_now();
  wasi_put32(w, ret_len, (uint32_t)r);
  wasi_st16(wasi_mem(w, ret_flags, 2), (msg.msg_flags & MSG_TRUNC) ? ROFLAG_TRUNCATED : 0);
  return WASI_ESUCCESS;
}

/* si_flags has no defined bits in preview 1 and is ignored. */
wasi_errno wasi_sock_send(wrt_wasi *w, const wrt_val *a) {
  uint32_t ret = wasi_u32(&a[4]);
  wasi_fd *fd;
  wasi_errno err = sock_get(w, wasi_u32(&a[0]), WASI_RIGHT_FD_WRITE, &fd);
  if (err != WASI_ESUCCESS)
    return err;
  if (!wasi_mem(w, ret, 4))
    return WASI_EFAULT;
  struct iovec iov[MAX_IOV];
  int n;
  if ((err = wasi_iovecs(w, wasi_u32(&a[1]), wasi_u32(&a[2]), iov, MAX_IOV, &n)) != 0)
    return err;
  struct msghdr msg = {.msg_iov = iov, .msg_iovlen = (size_t)n};
  /* A closed peer is EPIPE for the guest, not SIGPIPE for the process. */
  ssize_t r = sendmsg(fd->host, &msg, MSG_NOSIGNAL);
  if (r < 0)
    return wasi_errno_now();
  return wasi_put32(w, ret, (uint32_t)r);
}

/* spec: sdflags RD = 1, WR = 2; both shut down both directions, none is
** INVAL. */
wasi_errno wasi_sock_shutdown(wrt_wasi *w, const wrt_val *a) {
  uint32_t how = wasi_u32(&a[1]);
  wasi_fd *fd;
  wasi_errno err = sock_get(w, wasi_u32(&a[0]), WASI_RIGHT_SOCK_SHUTDOWN, &fd);
  if (err != WASI_ESUCCESS)
    return err;
  int h;
  switch (how) {
  case SDFLAG_RD:
    h = SHUT_RD;
    break;
  case SDFLAG_WR:
    h = SHUT_WR;
    break;
  case SDFLAG_RD | SDFLAG_WR:
    h = SHUT_RDWR;
    break;
  default:
    return WASI_EINVAL;
  }
  return shutdown(fd->host, h) == 0 ? WASI_ESUCCESS : wasi_errno_now();
}
