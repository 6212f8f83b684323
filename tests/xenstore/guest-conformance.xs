# SPDX-License-Identifier: GPL-2.0-only
# xenstore conformance as a guest sees it, for xs-conform in a Linux DomU
# (domain 1) on /dev/xen/xenbus: what an unprivileged domain may read,
# write, own and change, and where its quotas bite. Its answers from our
# xenstored must equal those from Debian's C xenstored 4.17 (but for lines
# marked ~, see conformance.xs)
# (tests/e2e/xenstore-guest-conformance*). Domain 0 prepared
# /conform-fixture (open: r1, closed: n0, writable: b1, done: w1, the
# directory r1)
# and the home xenon-introduce gives every boot domain.

# Who it is, and what the toolstack wrote for it.
GET_DOMAIN_PATH "1\0"
READ "name\0"
GET_PERMS "name\0"
GET_PERMS "/local/domain/1\0"
WRITE "name\0renamed"
RM "name\0"
SET_PERMS "name\0n1\0"

# What it creates is its own.
RM "conform\0"
WRITE "conform/a\0v"
GET_PERMS "conform/a\0"
MKDIR "conform/d\0"
DIRECTORY "conform\0"
SET_PERMS "conform/a\0n1\0r0\0b2\0"
GET_PERMS "conform/a\0"
SET_PERMS "conform/a\0n0\0"
SET_PERMS "conform/a\0n1\0r0\0r2\0r3\0r4\0"
SET_PERMS "conform/a\0n1\0r0\0r2\0r3\0r4\0r5\0"
GET_PERMS "conform/a\0"
SET_PERMS "conform/a\0n1\0"

# Domain 0's nodes: as their permissions say.
READ "/conform-fixture/open\0"
READ "/conform-fixture/closed\0"
DIRECTORY "/conform-fixture\0"
GET_PERMS "/conform-fixture/closed\0"
READ "/conform-fixture/missing\0"
READ "/conform-fixture/closed/below\0"
WRITE "/conform-fixture/closed/below\0x"
WRITE "/conform-fixture/open\0x"
RM "/conform-fixture/closed\0"
WRITE "/conform-fixture/writable\0by d1"
READ "/conform-fixture/writable\0"
WRITE "/conform-fixture/writable/child\0x"
GET_PERMS "/conform-fixture/writable/child\0"
RM "/conform-fixture/writable/child\0"
READ "/\0"
WRITE "/conform-guest\0x"
READ "/local/domain/1/../0\0"

# Domain 0's requests.
INTRODUCE "5\0" "1\0" "2\0"
RELEASE "1\0"
IS_DOMAIN_INTRODUCED "1\0"
RESUME "1\0"
SET_TARGET "1\0" "0\0"
CONTROL "check\0"
# Refused either way; Xen's daemon answers with a stale errno (EINVAL here).
~SET_PERMS "@releaseDomain\0n1\0"

# Node size: values up to 2048 bytes.
WRITE "conform/s\0" "v"*2000
WRITE "conform/s\0" "v"*2040
WRITE "conform/s\0" "v"*2047
WRITE "conform/s\0" "v"*2048
WRITE "conform/s\0" "v"*2049
READ "conform/s\0"

# Watches: events only for what it may read.
c2 WATCH "@releaseDomain\0rel\0"
events c2 1
c2 WATCH "/conform-fixture\0fix\0"
events c2 1
WRITE "/conform-fixture/writable\0again"
events c2 1
# done: w1, not r1; its event still comes, as Xen lets a watcher hear of a
# node it may not read if it may read the parent.
WRITE "/conform-fixture/done\0"
events c2 1
c2 UNWATCH "/conform-fixture\0fix\0"
c2 UNWATCH "@releaseDomain\0rel\0"

# Quotas: 128 watches (its kernel holds a few), 10 transactions, 1000 nodes.
repeat 140 c3 WATCH "conform/w%d\0t\0"
close c3
repeat 12 c4 TRANSACTION_START "\0"
close c4
repeat 1100 WRITE "conform/q/%d\0"
RM "conform/q\0"
repeat 3 WRITE "conform/q/%d\0"
# Twice its 20 outstanding replies' quota at once: every one is answered, in
# order. One payload for all: Linux sends a request's payload from its open's
# one buffer, which the next request written on it overwrites.
pipeline 40 c5 READ "conform/q/1\0"
close c5
RM "conform\0"
