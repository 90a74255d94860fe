#!/usr/bin/env bash
# idpack window's server with plain HTTP requests: the per-run secret, the
# Host check, cross-origin writes, upload limits, a ../ name, a flood, the
# private folder (0700, wiped at stop) and the three ways it stops.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
export XDG_RUNTIME_DIR="$T/run"
mkdir -m 700 "$T/run" "$T/outside"

# start ARGS...: runs idpack window in the background; sets PID and URL.
start() {
    window_start --no-browser --no-ledger "$@"
    PID=$WPID
}
# stopped SECONDS: whether PID ended within SECONDS.
stopped() {
    for _ in $(seq $(($1 * 10))); do kill -0 "$PID" 2>/dev/null || { wait "$PID"; return 0; }; sleep 0.1; done
    return 1
}
private_dirs() { find "$T/run" -mindepth 1 -maxdepth 1 -name '.window.idpack-tmp-*' | wc -l; }

expect_exit 64 "$IDPACK" window --no-browser a b c
expect_exit 66 "$IDPACK" window --no-browser "$T/nothing.jpg"
expect_exit 64 "$IDPACK" window --lang fr
expect_exit 0 "$IDPACK" window --help
expect_grep 'secret' "$T/out" "window --help"

start --out-dir "$T/outside" --max-upload-mb 1 --max-uploads 3
[[ "$URL" =~ ^http://127\.0\.0\.1:[0-9]+/\?token=[0-9a-f]{64}$ ]] && ok || fail "first line is '$URL'"
if "$PY" "$IDP_SRC/tests/cli/window_http.py" "$URL" "$T/outside" "$T/run" >"$T/py" 2>&1; then ok; else fail "HTTP safety checks"; fi
sed 's/^/  /' "$T/py"
# listening on the loopback interface only
PORT=${URL#http://127.0.0.1:}; PORT=${PORT%%/*}
if command -v ss >/dev/null; then
    ss -ltnH "sport = :$PORT" >"$T/ss"
    expect_grep "127\.0\.0\.1:$PORT" "$T/ss" "listening socket"
    expect_no_grep "(0\.0\.0\.0|\*|\[::\]):$PORT" "$T/ss" "listening socket"
fi
kill -INT "$PID"
stopped 5 && ok || fail "Ctrl-C did not stop the window"
[ "$(private_dirs)" -eq 0 ] && ok || fail "the private folder is left after Ctrl-C"
expect_grep 'stopped \(Ctrl-C\)' "$T/werr" "stderr at Ctrl-C"

# the page closed: no heartbeat for --close-timeout seconds after it was seen
start --close-timeout 2
"$PY" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=10).read()" "$URL" && ok || fail "the page did not load"
stopped 6 && ok || fail "the window did not stop after the page went silent"
expect_grep 'page was closed' "$T/werr" "stderr after the page closed"
[ "$(private_dirs)" -eq 0 ] && ok || fail "the private folder is left after the page closed"

# idle: nothing at all for --idle-timeout seconds
start --idle-timeout 2
stopped 6 && ok || fail "the window did not stop when idle"
expect_grep 'no use for a long time' "$T/werr" "stderr when idle"
[ "$(private_dirs)" -eq 0 ] && ok || fail "the private folder is left after the idle stop"

# The browser starts with no signal blocked and the stop signals at their
# defaults, whatever the window blocks or ignores for itself (this script's
# background jobs start with SIGINT ignored): a fake xdg-open, run as in a
# desktop session, records its signal masks.
mkdir "$T/fakebin"
# (exec: a forked command of the shell would start with no signal blocked)
printf '#!/bin/sh\nexec grep -E "^Sig(Blk|Ign):" /proc/self/status >"%s"\n' "$T/sigs" >"$T/fakebin/xdg-open"
chmod +x "$T/fakebin/xdg-open"
PATH="$T/fakebin:$PATH" DISPLAY=:99 window_start --no-ledger
for _ in $(seq 300); do [ "$(grep -c '^Sig' "$T/sigs" 2>/dev/null)" = 2 ] && break; sleep 0.1; done
window_stop
BLK=$(awk '$1 == "SigBlk:" { print $2 }' "$T/sigs" 2>/dev/null)
IGN=$(awk '$1 == "SigIgn:" { print $2 }' "$T/sigs" 2>/dev/null)
[ -n "$BLK" ] && [ $((16#$BLK)) -eq 0 ] && ok || fail "the browser starts with signals blocked (SigBlk '$BLK')"
# bits of SIGHUP 1, SIGINT 2, SIGQUIT 3, SIGPIPE 13, SIGTERM 15
[ -n "$IGN" ] && [ $((16#$IGN & 0x5007)) -eq 0 ] && ok || fail "the browser starts with stop signals ignored (SigIgn '$IGN')"

# kill -9: the cleanup guardian removes the private folder
start
kill -9 "$PID"; wait "$PID" 2>/dev/null || true
for _ in $(seq 30); do [ "$(private_dirs)" -eq 0 ] && break; sleep 0.1; done
[ "$(private_dirs)" -eq 0 ] && ok || fail "the private folder is left after kill -9"
finish
