// SPDX-License-Identifier: GPL-2.0-only
/*
 * memscan START END PATTERN...: map machine memory [START, END) through
 * /dev/mem, a window at a time, and report any PATTERN found in it. For the
 * hardware domain's isolation test: mmap reaches every address (read() of
 * /dev/mem stops at the end of the kernel's own RAM).
 * Exit status: 0 nothing found, 1 a pattern found, 2 the scan failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define WINDOW (2ul << 20)
#define PAGE 4096ul

static int scan_window(const unsigned char *p, size_t len, unsigned long base, char **pats, int npats)
{
    int found = 0;

    for (int i = 0; i < npats; i++) {
        const unsigned char *hit = memmem(p, len, pats[i], strlen(pats[i]));

        if (hit) {
            printf("memscan: '%s' at %#lx\n", pats[i], base + (unsigned long)(hit - p));
            found = 1;
        }
    }
    return found;
}

int main(int argc, char **argv)
{
    unsigned long start, end, pages = 0;
    int fd, found = 0;

    if (argc < 4) {
        fprintf(stderr, "usage: memscan START END PATTERN...\n");
        return 2;
    }
    start = strtoul(argv[1], NULL, 0) & ~(PAGE - 1);
    end = (strtoul(argv[2], NULL, 0) + PAGE - 1) & ~(PAGE - 1);
    fd = open("/dev/mem", O_RDONLY | O_SYNC);
    if (fd < 0) {
        fprintf(stderr, "memscan: /dev/mem: %s\n", strerror(errno));
        return 2;
    }
    for (unsigned long at = start; at < end;) {
        /* Windows overlap by a page: a pattern (shorter than that) across a boundary is still seen. */
        unsigned long from = at > start + PAGE ? at - PAGE : at;
        size_t len = (end - at < WINDOW ? end - at : WINDOW) + (at - from);
        void *p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, (off_t)from);

        if (p == MAP_FAILED) {
            fprintf(stderr, "memscan: mmap %#lx+%#zx: %s\n", from, len, strerror(errno));
            return 2;
        }
        found |= scan_window(p, len, from, argv + 3, argc - 3);
        munmap(p, len);
        pages += (len - (at - from)) / PAGE;
        at = from + len;
    }
    printf("memscan: %lu pages from %#lx to %#lx\n", pages, start, end);
    return found;
}
