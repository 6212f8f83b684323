#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Our xenstored answers conformance.xs as Debian's C xenstored did when
# tests/e2e/xenstore-conformance recorded conformance.expected (that test
# checks the record against the C daemon in Xenon's domain 0). Lines marked
# ~ differ on purpose (conformance.xs says why) and are left out.
# Usage: test_conformance.sh XS_CONFORM XENSTORED [DAEMON OPTION...]
set -u
conform=$1
daemon=$2
shift 2
here=$(dirname "$0")
dir=$(mktemp -d /tmp/xs-conform-XXXXXX)
"$daemon" --foreground --no-xen --socket "$dir/socket" "$@" 2>"$dir/daemon.err" &
pid=$!
for _ in $(seq 100); do [ -S "$dir/socket" ] && break; sleep 0.05; done
"$conform" "$dir/socket" < "$here/conformance.xs" > "$dir/ours.out"
rc=$?
kill "$pid"
wait "$pid"
daemon_rc=$?
fail=0
if [ $rc -ne 0 ]; then
  echo "FAIL: xs-conform exited with $rc"
  fail=1
fi
if [ $daemon_rc -ne 0 ]; then
  echo "FAIL: the daemon exited with $daemon_rc:"
  cat "$dir/daemon.err"
  fail=1
fi
if diff -u <(grep -v '^~' "$here/conformance.expected") <(grep -v '^~' "$dir/ours.out"); then
  echo "ok: $(grep -vc '^~' "$dir/ours.out") transcript lines as the C daemon's" \
    "($(grep -c '^~' "$dir/ours.out") differ on purpose)"
else
  echo "FAIL: the transcript differs from the C daemon's (- C, + ours)"
  fail=1
fi
rm -rf "$dir"
exit $fail
