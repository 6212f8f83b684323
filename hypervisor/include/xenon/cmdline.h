/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Table-driven command-line parser, Xen style:
 *   "console=com1 dom0_mem=512M noreboot no-foo loglvl=all"
 * Tokens are separated by spaces; a value may be quoted "a b".
 * Bool: "name", "name=1|0|yes|no|true|false|on|off", "no-name" (false).
 * Uint: decimal or 0x hex. Size: number with optional K/M/G/T suffix (bytes;
 * no suffix means bytes). String: copied into a caller buffer, NUL-terminated.
 */
#ifndef XENON_CMDLINE_H
#define XENON_CMDLINE_H

#include <xenon/types.h>

enum cmdline_type { CMDLINE_BOOL, CMDLINE_UINT, CMDLINE_SIZE, CMDLINE_STRING };

struct cmdline_param {
    const char *name;
    enum cmdline_type type;
    void *var;   /* bool *, uint64_t *, uint64_t *, char[len] */
    size_t len;  /* CMDLINE_STRING: buffer size */
};

/*
 * Parse every token. Unknown names are ignored (the guest may own them).
 * A known name with a bad value (or a string that does not fit) leaves its
 * variable unchanged; parsing continues and the call returns -EINVAL, with
 * the first bad token's name copied to bad (if non-NULL, bad_len bytes).
 */
int cmdline_parse(const char *cmdline, const struct cmdline_param *params, size_t nr_params,
                  char *bad, size_t bad_len);

/* Parse one size ("512M", "0x1000", "4k"); 0 or -EINVAL (also on overflow). */
int cmdline_parse_size(const char *s, size_t len, uint64_t *out);

#endif
