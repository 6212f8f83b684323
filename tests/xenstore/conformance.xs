# SPDX-License-Identifier: GPL-2.0-only
# xenstore conformance script for xs-conform (format in xs_conform.c): raw
# requests whose replies our xenstored must give exactly as Debian's C
# xenstored 4.17 does. Over a unix socket every client is domain 0, so
# permissions are set and read here, not enforced (test_core.c does that).
# Everything lives under /conform, so the daemons' own nodes do not matter.
#
# Lines starting with ~ are answered differently on purpose. Where Xen's
# daemon reads a malformed argument as something else (atoi: "x" is domain
# 0 or offset 0; an unterminated last string is dropped; bytes after the
# path make it a missing node), ours says EINVAL.

RM "/conform\0"

# Reads and writes; parents are created empty.
WRITE "/conform/a\0hello"
READ "/conform/a\0"
READ "/conform\0"
WRITE "/conform/a\0"
READ "/conform/a\0"
WRITE "/conform/bin\0\x01\x02\0\xff"
READ "/conform/bin\0"
WRITE "/conform/ok-chars_@0\0x"
READ "/conform/ok-chars_@0\0"
~READ "/conform/a\0trailing bytes"

# What is not there.
READ "/conform/missing\0"
DIRECTORY "/conform/missing\0"
GET_PERMS "/conform/missing\0"
RM "/conform/missing\0"
RM "/conform/nope/deeper\0"
READ "/conform/a/below-a-leaf\0"

# Malformed paths and payloads.
READ "/conform//a\0"
READ "/conform/a/\0"
READ "/conform/a b\0"
READ "/conform/a.b\0"
READ "/conform/a\x80\0"
READ "\0"
READ "/\0"
READ "/conform/a"
READ ""
WRITE "/conform/x"
WRITE ""
WRITE "/conform/bad path\0x"
DIRECTORY ""
GET_PERMS ""

# MKDIR, and RM of a subtree.
MKDIR "/conform/d\0"
MKDIR "/conform/d\0"
MKDIR "/conform/d/e/f\0"
READ "/conform/d/e\0"
DIRECTORY "/conform/d\0"
DIRECTORY "/conform/d/e/f\0"
WRITE "/conform/d/e/v\0set"
MKDIR "/conform/d/e/v\0"
READ "/conform/d/e/v\0"
RM "/conform/d\0"
READ "/conform/d/e/f\0"
DIRECTORY "/conform\0"
RM "/\0"
MKDIR "\0"

# The order DIRECTORY lists children in.
WRITE "/conform/o/zeta\0"
WRITE "/conform/o/alpha\0"
WRITE "/conform/o/mid\0"
DIRECTORY "/conform/o\0"
RM "/conform/o/alpha\0"
DIRECTORY "/conform/o\0"
WRITE "/conform/o/alpha\0"
DIRECTORY "/conform/o\0"
WRITE "/conform/o/zeta\0rewritten"
DIRECTORY "/conform/o\0"

# DIRECTORY_PART: a generation, then the names from a byte offset.
DIRECTORY_PART "/conform/o\0" "0\0" -> g1
DIRECTORY_PART "/conform/o\0" "5\0" -> g2
DIRECTORY_PART "/conform/o\0" "15\0" -> g3
DIRECTORY_PART "/conform/o\0" "7\0" -> g3b
DIRECTORY_PART "/conform/o\0" "99\0" -> g4
DIRECTORY_PART "/conform/o\0" -> g5
~DIRECTORY_PART "/conform/o\0" "x\0" -> g6
DIRECTORY_PART "/conform/missing\0" "0\0" -> g7
WRITE "/conform/o/new\0"
DIRECTORY_PART "/conform/o\0" "0\0" -> g8

# Permissions: set, read back, inherited by new children.
GET_PERMS "/conform/a\0"
SET_PERMS "/conform/a\0n0\0r5\0w7\0b9\0"
GET_PERMS "/conform/a\0"
WRITE "/conform/a/child\0x"
GET_PERMS "/conform/a/child\0"
MKDIR "/conform/a/dir/deep\0"
GET_PERMS "/conform/a/dir\0"
SET_PERMS "/conform/a\0b3\0"
GET_PERMS "/conform/a\0"
GET_PERMS "/conform/a/child\0"
SET_PERMS "/conform/a\0x0\0"
SET_PERMS "/conform/a\0"
SET_PERMS "/conform/a\0r\0"
SET_PERMS "/conform/a\0r5x\0"
~SET_PERMS "/conform/a\0n0\0r5"
SET_PERMS "/conform/missing\0n0\0"
SET_PERMS "/conform/a\0n0\0n0\0"
GET_PERMS "/conform/a\0"

# Relative paths are under /local/domain/0 for a unix socket client.
GET_DOMAIN_PATH "0\0"
GET_DOMAIN_PATH "7\0"
~GET_DOMAIN_PATH "x\0"
~GET_DOMAIN_PATH "\0"
WRITE "conform-rel\0v"
READ "/local/domain/0/conform-rel\0"
READ "conform-rel\0"
DIRECTORY "conform-rel\0"
RM "conform-rel\0"
READ "conform-rel\0"
IS_DOMAIN_INTRODUCED "7\0"
~IS_DOMAIN_INTRODUCED "x\0"

# Watches: the first event at once, then one per change at or below.
c2 WATCH "/conform/w\0tok\0"
events c2 1
WRITE "/conform/w/a\0x"
events c2 1
WRITE "/conform/elsewhere\0x"
events c2 0
c2 WATCH "/conform/w\0tok\0"
c2 WATCH "/conform/w\0tok2\0"
events c2 1
c2 UNWATCH "/conform/w\0tok2\0"
c2 UNWATCH "/conform/w\0nosuch\0"
c2 UNWATCH "/conform/nowatch\0tok\0"
RM "/conform/w\0"
events c2 1
MKDIR "/conform/w\0"
events c2 1
c2 UNWATCH "/conform/w\0tok\0"
WRITE "/conform/w/after\0"
events c2 0
c2 WATCH "/conform/w/x/y\0deep\0"
events c2 1
WRITE "/conform/w/x\0parent"
events c2 0
RM "/conform/w\0"
events c2 1
c2 UNWATCH "/conform/w/x/y\0deep\0"
c2 WATCH "conform-relw\0rel\0"
events c2 1
WRITE "/local/domain/0/conform-relw/k\0x"
events c2 1
c2 UNWATCH "conform-relw\0rel\0"
RM "/local/domain/0/conform-relw\0"
c2 WATCH "@introduceDomain\0intro\0"
events c2 1
c2 WATCH "@releaseDomain\0release\0"
events c2 1
SET_PERMS "@releaseDomain\0n0\0r5\0"
SET_PERMS "@introduceDomain\0n0\0"
SET_PERMS "@bogus\0n0\0"
GET_PERMS "@releaseDomain\0"
c2 WATCH "@bogus\0t\0"
c2 WATCH "/conform/bad path\0t\0"
c2 WATCH "/conform/w\0"
c2 WATCH "/conform/w"
c2 WATCH "/conform/r\0reset\0"
events c2 1
c2 RESET_WATCHES ""
WRITE "/conform/r\0x"
events c2 0
c2 UNWATCH "/conform/r\0reset\0"

# Transactions: private until committed, EAGAIN on a conflict, watches
# fired at commit.
c2 WATCH "/conform/t\0txw\0"
events c2 1
TRANSACTION_START "\0" -> t1
tx=t1 WRITE "/conform/t/a\0in-tx"
tx=t1 READ "/conform/t/a\0"
READ "/conform/t/a\0"
tx=t1 DIRECTORY "/conform/t\0"
events c2 0
TRANSACTION_END "T\0"
tx=t1 TRANSACTION_END "T\0"
events c2 1
READ "/conform/t/a\0"
TRANSACTION_START "\0" -> t2
tx=t2 READ "/conform/t/a\0"
WRITE "/conform/t/a\0outside"
events c2 1
tx=t2 WRITE "/conform/t/b\0x"
tx=t2 TRANSACTION_END "T\0"
READ "/conform/t/b\0"
TRANSACTION_START "\0" -> t3
tx=t3 WRITE "/conform/t/c\0x"
tx=t3 RM "/conform/t/a\0"
tx=t3 TRANSACTION_END "F\0"
READ "/conform/t/c\0"
READ "/conform/t/a\0"
tx=t3 TRANSACTION_END "T\0"
tx=t3 READ "/conform/t/a\0"
tx=#99999 READ "/conform/t/a\0"
tx=#99999 GET_DOMAIN_PATH "0\0"
tx=#99999 TRANSACTION_START "\0"
c2 tx=#99999 WATCH "/conform/t/a\0t\0"
events c2 1
c2 tx=#99999 UNWATCH "/conform/t/a\0t\0"
TRANSACTION_START "\0" -> t4
tx=t4 TRANSACTION_END "X\0"
tx=t4 TRANSACTION_END ""
tx=t4 TRANSACTION_START "\0"
tx=t4 GET_DOMAIN_PATH "3\0"
c2 tx=t4 READ "/conform/t/a\0"
tx=t4 MKDIR "/conform/t/m\0"
tx=t4 SET_PERMS "/conform/t/m\0n0\0r1\0"
tx=t4 GET_PERMS "/conform/t/m\0"
GET_PERMS "/conform/t/m\0"
tx=t4 RM "/conform/t/a\0"
tx=t4 READ "/conform/t/a\0"
tx=t4 TRANSACTION_END "T\0"
events c2 1
READ "/conform/t/a\0"
GET_PERMS "/conform/t/m\0"
TRANSACTION_START "\0" -> t5
tx=t5 WRITE "/conform/t/x\0"
WRITE "/conform/t/unrelated\0"
tx=t5 TRANSACTION_END "T\0"
events c2 2
c2 UNWATCH "/conform/t\0txw\0"
# A connection that goes away mid-transaction leaves nothing behind.
c3 TRANSACTION_START "\0" -> t6
c3 tx=t6 WRITE "/conform/gone\0x"
close c3
READ "/conform/gone\0"

# Requests that are not requests, and domain operations on unknown domains.
99 "/conform\0"
20 "/conform\0"
WATCH_EVENT "/conform\0t\0"
ERROR "EINVAL\0"
RELEASE "7\0"
RELEASE "x\0"
RESUME "7\0"
SET_TARGET "7\0" "8\0"
SET_TARGET "7\0"
INTRODUCE "7\0"
~INTRODUCE "x\0" "1\0" "2\0"

# XS_CONTROL: the consistency check, an unknown command, none at all.
CONTROL "check\0"
CONTROL "no-such-command\0"
CONTROL ""

# Limits: absolute paths of 3072 bytes and more, relative ones of 2048,
# payloads of 4096 (a longer header length closes the connection).
WRITE "/conform/l/" "a"*2037 "\0x"
WRITE "/conform/l/" "a"*2038 "\0x"
WRITE "/local/domain/0/conform-l/" "a"*2037 "\0x"
WRITE "/local/domain/0/conform-l/" "a"*2038 "\0x"
WRITE "/local/domain/7/conform-l/" "a"*2038 "\0x"
WRITE "/local/domain/123456/conform-l/" "a"*2030 "\0x"
RM "/local/domain/0/conform-l\0"
RM "/local/domain/7\0"
WRITE "/conform/l/" "a"*3061 "\0x"
WRITE "/conform/l/" "a"*3062 "\0x"
WRITE "/conform/l/" "a"*3063 "\0x"
READ "/conform/l/" "a"*3062 "\0"
READ "/conform/l/" "a"*3063 "\0"
WRITE "c/" "a"*2045 "\0x"
WRITE "c/" "a"*2046 "\0x"
WRITE "c/" "a"*2047 "\0x"
RM "c\0"
WRITE "/conform/v\0" "v"*4085
READ "/conform/v\0"
WRITE "/conform/v\0" "v"*4086
READ "/conform/v\0"
raw c4 "\x02\0\0\0\x01\0\0\0\0\0\0\0\x01\x10\0\0"
closed c4
raw c5 "\x02\0\0\0\x01\0\0\0\0\0\0\0\0\x10\0\0"
~raw c5 "/conform/v\0" "z"*4085
~closed c5
READ "/conform/v\0"

RM "/conform\0"
READ "/conform\0"
