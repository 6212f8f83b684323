#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Debian's stock xenstore-utils against our xenstored, found through
# XENSTORED_PATH exactly as on a Xen Dom0. Usage: test_utils.sh XENSTORED
set -u
daemon=$1
dir=$(mktemp -d /tmp/xs-utils-XXXXXX)
export XENSTORED_PATH=$dir/socket
fail=0
"$daemon" --foreground --no-xen --socket "$XENSTORED_PATH" 2>"$dir/daemon.err" &
pid=$!
cleanup() { kill "$pid" 2>/dev/null; wait "$pid"; rc=$?; rm -rf "$dir"; exit $(( fail || rc )); }
trap cleanup EXIT
for _ in $(seq 100); do [ -S "$XENSTORED_PATH" ] && break; sleep 0.05; done

expect() { # expect NAME WANT GOT
  if [ "$2" != "$3" ]; then echo "FAIL $1: wanted [$2] got [$3]"; fail=1; else echo "ok $1"; fi
}

xenstore-write /vm/1/name alpha /vm/1/mem 512 /vm/2/name beta
expect write-read alpha "$(xenstore-read /vm/1/name)"
expect read-multi "$(printf '512\nbeta')" "$(xenstore-read /vm/1/mem /vm/2/name)"
expect list "$(printf '1\n2')" "$(xenstore-list /vm)"
expect ls "$(printf 'name = "alpha"\nmem = "512"')" "$(xenstore-ls /vm/1)"
xenstore-exists /vm/1/mem; expect exists 0 $?
xenstore-exists /vm/9 2>/dev/null; expect exists-missing 1 $?
xenstore-read /vm/9 2>/dev/null; expect read-missing 1 $?
xenstore-chmod /vm/1/name n0 r3 b4
expect chmod "(n0,r3,b4)" "$(xenstore-ls -p /vm/1 | grep '^name' | grep -o '(.*)')"
xenstore-rm /vm/1
xenstore-exists /vm/1 2>/dev/null; expect rm 1 $?
expect list-after-rm 2 "$(xenstore-list /vm)"
# a listing larger than one message goes through DIRECTORY_PART
for i in $(seq 1 400); do echo "/big/a-long-enough-child-name-$i x"; done | xargs xenstore-write
expect big-list 400 "$(xenstore-list /big | wc -l)"
expect big-ls 400 "$(xenstore-ls /big | wc -l)"
# watch: the initial event, then two changes
timeout 5 xenstore-watch -n 3 /w > "$dir/watch" &
wpid=$!
sleep 0.3
xenstore-write /w/a 1
xenstore-rm /w/a
wait $wpid; expect watch-rc 0 $?
expect watch "$(printf '/w\n/w/a\n/w/a')" "$(cat "$dir/watch")"
# odd values survive the round trip
xenstore-write /odd "with spaces and = signs"
expect odd "with spaces and = signs" "$(xenstore-read /odd)"
xenstore-write /bad//path x 2>/dev/null; expect invalid-path 1 $?
# option checks: a bad spin window is refused before anything starts
"$daemon" --foreground --no-xen --socket "$dir/other" --spin-us 5x 2>/dev/null; expect bad-spin-us 2 $?
[ -e "$dir/other" ]; expect bad-spin-us-no-socket 1 $?
