// SPDX-License-Identifier: GPL-2.0-only
/*
 * The floor: a "daemon" that keeps no tree and answers each request at once
 * with the reply xs-bench's workload would get (a 16-byte value, OK, the
 * 100 names of a tree directory, transaction 1). It costs what the wire
 * costs: a request and its reply through the kernel, and the switches
 * between the client and a process that waits in epoll, reads and writes.
 * No daemon that waits for its clients so serves one client faster, so
 * floor / C is the highest ratio such a daemon can reach against the C
 * daemon in the same run: the anchor that says how much of a ratio the
 * machine leaves to the daemon at all.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xenon/xs_wire.h>

#include "floor.h"

#define FLOOR_BUF (2 * (sizeof(struct xs_msg_hdr) + XS_PAYLOAD_MAX))

struct peer {
    int fd;
    size_t have;
    char buf[FLOOR_BUF];
};

/* The names every tree directory holds: n0 .. n99 (xs-bench's tree_path). */
static size_t directory_names(char *out)
{
    size_t len = 0;

    for (int i = 0; i < 100; i++)
        len += sprintf(out + len, "n%d", i) + 1;
    return len;
}

/* The body of the reply to a request of @type (ERROR "EINVAL" where the floor has none). */
static size_t canned_reply(uint32_t *type, const char **body)
{
    static char names[512];
    static size_t names_len;

    switch (*type) {
    case XS_READ:
        *body = "0123456789abcdef";
        return 16;
    case XS_DIRECTORY:
        if (!names_len)
            names_len = directory_names(names);
        *body = names;
        return names_len;
    case XS_TRANSACTION_START:
        *body = "1";
        return 2;
    case XS_WRITE:
    case XS_MKDIR:
    case XS_RM:
    case XS_TRANSACTION_END:
        *body = "OK";
        return 3;
    default:
        *type = XS_ERROR;
        *body = "EINVAL";
        return 7;
    }
}

/* Answer every whole request in @p's buffer, each reply in one write; -1 if the peer is gone. */
static int serve(struct peer *p)
{
    ssize_t n = read(p->fd, p->buf + p->have, sizeof(p->buf) - p->have);
    size_t off = 0;

    if (n <= 0)
        return n < 0 && errno == EAGAIN ? 0 : -1;
    p->have += n;
    while (p->have - off >= sizeof(struct xs_msg_hdr)) {
        struct xs_msg_hdr req, rep;
        char out[sizeof(rep) + 512];
        const char *body;

        memcpy(&req, p->buf + off, sizeof(req));
        if (req.len > XS_PAYLOAD_MAX)
            return -1;
        if (p->have - off < sizeof(req) + req.len)
            break;
        off += sizeof(req) + req.len;
        rep = req;
        rep.len = canned_reply(&rep.type, &body);
        memcpy(out, &rep, sizeof(rep));
        memcpy(out + sizeof(rep), body, rep.len);
        if (write(p->fd, out, sizeof(rep) + rep.len) != (ssize_t)(sizeof(rep) + rep.len))
            return -1;
    }
    memmove(p->buf, p->buf + off, p->have - off);
    p->have -= off;
    return 0;
}

static void floor_loop(int lfd)
{
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL}, evs[64];

    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    for (;;) {
        int n = epoll_wait(ep, evs, 64, -1);

        for (int i = 0; i < n; i++) {
            struct peer *p = evs[i].data.ptr;

            if (!p) {
                int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);

                if (fd < 0 || !(p = calloc(1, sizeof(*p)))) {
                    if (fd >= 0)
                        close(fd);
                    continue;
                }
                p->fd = fd;
                ev = (struct epoll_event){.events = EPOLLIN, .data.ptr = p};
                epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
            } else if (serve(p) < 0) {
                close(p->fd); /* leaves the epoll set with it */
                free(p);
            }
        }
    }
}

/* The floor's listening socket, made in its own process: SO_PEERCRED then names it. */
static int floor_listen(const char *sock)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    strcpy(sa.sun_path, sock);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 128) < 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

pid_t floor_start(char *sock, size_t len)
{
    char dir[] = "/tmp/xs-floor-XXXXXX", ok = 0;
    pid_t parent = getpid(), pid;
    int ready[2];

    if (!mkdtemp(dir) || snprintf(sock, len, "%s/socket", dir) >= (int)len ||
        strlen(sock) >= sizeof(((struct sockaddr_un *)0)->sun_path) || pipe(ready) < 0)
        return -1;
    pid = fork();
    if (pid == 0) {
        int lfd;

        prctl(PR_SET_PDEATHSIG, SIGTERM);
        close(ready[0]);
        lfd = getppid() == parent ? floor_listen(sock) : -1;
        ok = lfd >= 0;
        if (write(ready[1], &ok, 1) != 1 || !ok)
            _exit(1);
        close(ready[1]);
        floor_loop(lfd);
        _exit(1);
    }
    close(ready[1]);
    if (pid < 0 || read(ready[0], &ok, 1) != 1 || !ok) {
        if (pid > 0)
            waitpid(pid, NULL, 0);
        pid = -1;
    }
    close(ready[0]);
    return pid;
}

void floor_stop(pid_t pid, const char *sock)
{
    char dir[128];

    if (pid <= 0)
        return;
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    unlink(sock);
    snprintf(dir, sizeof(dir), "%s", sock);
    if (strrchr(dir, '/'))
        *strrchr(dir, '/') = '\0';
    rmdir(dir);
}
