/* SPDX-License-Identifier: GPL-2.0-only */
/* Start and stop a private xenstored for one test. */
#ifndef XS_TEST_DAEMON_H
#define XS_TEST_DAEMON_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct test_daemon {
    pid_t pid;
    char dir[64];
    char sock[128];
    char guest_sock[128];
};

/* extra: further daemon options, NULL-terminated. */
static int daemon_start(struct test_daemon *d, const char *bin, const char *const *extra)
{
    const char *argv[32];
    int n = 0;
    struct timespec ts = {0, 10 * 1000 * 1000};
    char gopt[160];

    strcpy(d->dir, "/tmp/xs-test-XXXXXX");
    if (!mkdtemp(d->dir))
        return -1;
    snprintf(d->sock, sizeof(d->sock), "%s/socket", d->dir);
    snprintf(d->guest_sock, sizeof(d->guest_sock), "%s/guest", d->dir);
    snprintf(gopt, sizeof(gopt), "5:%s", d->guest_sock);
    argv[n++] = bin;
    argv[n++] = "--foreground";
    argv[n++] = "--no-xen";
    argv[n++] = "--socket";
    argv[n++] = d->sock;
    argv[n++] = "--guest-socket";
    argv[n++] = gopt;
    while (extra && *extra && n < 30)
        argv[n++] = *extra++;
    argv[n] = NULL;
    d->pid = fork();
    if (d->pid == 0) {
        execv(bin, (char **)argv);
        _exit(127);
    }
    for (int i = 0; i < 500; i++) {
        struct stat st;

        if (stat(d->sock, &st) == 0 && stat(d->guest_sock, &st) == 0)
            return 0;
        nanosleep(&ts, NULL);
    }
    return -1;
}

/* Returns the daemon's exit status: 0 means a clean shutdown without leaks. */
static int daemon_stop(struct test_daemon *d)
{
    int st = 0;
    char cmd[96];

    kill(d->pid, SIGTERM);
    waitpid(d->pid, &st, 0);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", d->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", d->dir);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

#endif
