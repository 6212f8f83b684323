#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Our xenstored started as Xen's init scripts start Xen's C daemon
# (Debian's /etc/init.d/xen: "xenstored $XENSTORED_ARGS --pid-file FILE",
# then it waits for the daemon to fork and answer): Xen's long options
# work, and those of Xen's that this daemon does not take are refused by
# name. Usage: test_xen_options.sh XENSTORED XS_CONFORM
set -u
daemon=$1
conform=$2
dir=$(mktemp -d /tmp/xs-xenopts-XXXXXX)
fail=0
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null; rm -rf "$dir"; exit $fail; }
trap cleanup EXIT

expect() { # expect NAME WANT GOT
  if [ "$2" != "$3" ]; then echo "FAIL $1: wanted [$2] got [$3]"; fail=1; else echo "ok $1"; fi
}
# Running: it exists and is not a zombie (whoever adopted it may never reap it).
running() { [ -e "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
wait_socket() { for _ in $(seq 100); do [ -S "$1" ] && return 0; sleep 0.05; done; return 1; }
quota() { # quota SOCKET: the daemon's guest quotas, one "name value" per line
  printf 'CONTROL "quota\\0"\n' | "$conform" "$1" | sed 's/.*=> CONTROL "//; s/\\0"$//; s/\\n/\n/g' |
    tr -s ' '
}

# As the init script does: the command returns once the daemon has forked.
timeout 10 "$daemon" --no-xen --socket "$dir/s1" --pid-file "$dir/pid1"
expect daemonizes 0 $?
wait_socket "$dir/s1"
pid=$(cat "$dir/pid1" 2>/dev/null)
pids+=("$pid")
running "$pid"
expect pid-file-names-the-daemon 0 $?
XENSTORED_PATH=$dir/s1 xenstore-write /x 1 && expect answers 1 "$(XENSTORED_PATH=$dir/s1 xenstore-read /x)"
# Started twice: the second refuses, and the first keeps its socket and pid file.
timeout 10 "$daemon" --no-xen --socket "$dir/s1" --pid-file "$dir/pid1b" 2>"$dir/err1b"
expect second-start-fails 1 $?
expect second-start-says-why 1 "$(grep -c 'another xenstored serves it' "$dir/err1b")"
expect first-still-answers 1 "$(XENSTORED_PATH=$dir/s1 timeout 5 xenstore-read /x)"
expect second-leaves-no-pid-file no "$([ -e "$dir/pid1b" ] && echo yes || echo no)"
[ -e "$dir/pid1b" ] && pids+=("$(cat "$dir/pid1b")") # a daemon that should not run: stopped too
kill "$pid"
for _ in $(seq 100); do running "$pid" || break; sleep 0.05; done
running "$pid"
expect stops-on-sigterm 1 $?
expect removes-its-socket no "$([ -e "$dir/s1" ] && echo yes || echo no)"
expect removes-its-pid-file no "$([ -e "$dir/pid1" ] && echo yes || echo no)"

# A socket left by a daemon that is gone (nobody accepts on it) is replaced.
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$dir/s4"
timeout 10 "$daemon" --no-xen --socket "$dir/s4" --pid-file "$dir/pid4"
expect replaces-stale-socket 0 $?
pids+=("$(cat "$dir/pid4" 2>/dev/null)")
XENSTORED_PATH=$dir/s4 timeout 5 xenstore-write /y 2
expect stale-replaced-answers 2 "$(XENSTORED_PATH=$dir/s4 timeout 5 xenstore-read /y)"

# A daemon that cannot serve says why, and the command fails.
long=$dir/$(printf 'x%.0s' $(seq 120))
timeout 10 "$daemon" --no-xen --socket "$long" --pid-file "$dir/pid0" 2>"$dir/err0"
expect failed-start-fails 1 $?
expect failed-start-says-why 1 "$(grep -c 'cannot listen' "$dir/err0")"

# Xen's other options it takes, in the foreground (--no-fork).
"$daemon" --no-xen --socket "$dir/s2" --no-fork --pid-file "$dir/pid2" --no-domain-init \
  --perm-nb 3 -Q transaction-nodes=17 --quota outstanding=9 --keep-orphans --internal-db on \
  --no-recovery 2>"$dir/err2" &
pids+=($!)
wait_socket "$dir/s2"
expect no-fork "$!" "$(cat "$dir/pid2" 2>/dev/null)"
q=$(quota "$dir/s2")
expect perm-nb "perms 3" "$(grep '^perms ' <<<"$q")"
expect transaction-nodes "txn-nodes 17" "$(grep '^txn-nodes ' <<<"$q")"
expect outstanding "outstanding 9" "$(grep '^outstanding ' <<<"$q")"

# Refused, with the option named: nothing starts different from what was asked.
for args in "--quota memory=1000" "--quota-soft memory=1000" "--path-max 100" \
  "--timeout watch-event=20" "--trace-file $dir/trace" "--output-pid" "--verbose" \
  "--internal-db off"; do
  timeout 10 "$daemon" --no-xen --no-fork --socket "$dir/s3" $args 2>"$dir/err3"
  rc=$?
  name=${args%% *}
  [ "$name" = --quota ] && name=memory
  if [ $rc -eq 2 ] && grep -q -- "${name#--}" "$dir/err3"; then
    echo "ok refused: $args"
  else
    echo "FAIL refused: $args: exit $rc, stderr: $(head -1 "$dir/err3")"
    fail=1
  fi
  [ -S "$dir/s3" ] && { echo "FAIL $args: the socket was created"; fail=1; }
done
