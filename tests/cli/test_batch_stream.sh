#!/usr/bin/env bash
# idpack batch on big CSVs: read and reported as a stream, so 100 000 rows
# (the cap) run in a few MiB; one row more, a cell too long, a FIFO or a
# socket as the CSV are whole-batch errors (exit 65) said at once, with
# nothing created; --out creates its missing parents (mode 0700).
. "$(dirname "$0")/lib.sh"
D=$T/data
mkdir -p "$D"
HDR=customer,front,full_name,account_email,id_type,id_expiry
# rows with no photo: each fails before any build, so the test measures
# the batch itself (reading, naming, reporting), not the builds
gen() { # gen FILE ROWS
    awk -v n="$2" -v h="$HDR" 'BEGIN { print h; for (i = 0; i < n; i++) printf "c%d,,N,a%d@example.com,id_card,2031-01-01\n", i, i }' >"$1"
}
gen "$D/cap.csv" 100000
gen "$D/over.csv" 100001

# 1. 100 000 rows: bounded memory, every row in the reports, in order
/usr/bin/time -f %M -o "$T/rss" "$IDPACK" batch --csv "$D/cap.csv" --out "$T/big/a/b" --no-ledger \
    --date 2026-11-26 >"$T/out" 2>"$T/err" && rc=0 || rc=$?
[ "$rc" -eq 1 ] && ok || fail "100000 failing rows: exit $rc, expected 1"
rss=$(tail -1 "$T/rss")
[ "$rss" -lt 65536 ] && ok || fail "peak RSS ${rss} KiB for 100000 rows (at most 64 MiB expected)"
echo "peak RSS for 100000 rows: $rss KiB"
expect_grep '^100000 rows: 0 ok, 100000 failed' "$T/out" "summary"
expect_grep 'and 99800 more rows' "$T/out" "summary"
[ "$(wc -l <"$T/out")" -lt 700 ] && ok || fail "stdout lists every failed row"
/usr/bin/python3 - "$T/big/a/b" <<'PY' && ok || fail "the reports of 100000 rows"
import csv, json, sys
d = json.load(open(sys.argv[1] + "/report.json"))
assert d["summary"]["total"] == 100000 and d["summary"]["failed"] == 100000, d["summary"]
assert [r["row"] for r in d["rows"]] == list(range(1, 100001))
assert d["rows"][99999]["customer"] == "c99999"
with open(sys.argv[1] + "/report.csv", encoding="utf-8-sig", newline="") as f:
    rows = list(csv.DictReader(f))
assert len(rows) == 100000 and rows[-1]["row"] == "100000", len(rows)
PY
for d in "$T/big" "$T/big/a" "$T/big/a/b"; do
    [ "$(stat -c %a "$d")" = 700 ] && ok || fail "$d: mode $(stat -c %a "$d"), expected 700"
done

# 2. one row over the cap: exit 65 at once, nothing created
expect_exit 65 "$IDPACK" batch --csv "$D/over.csv" --out "$T/over" --no-ledger
expect_grep 'more than 100000 data rows' "$T/err"
[ -e "$T/over" ] && fail "a refused batch created its output folder" || ok

# 3. a cell over 16384 bytes (and one unterminated quoted cell of 1 MB)
{ echo "$HDR"; printf 'x,,%s,a@example.com,id_card,2031-01-01\n' "$(head -c 16385 /dev/zero | tr '\0' a)"; } >"$D/cell.csv"
expect_exit 65 "$IDPACK" batch --csv "$D/cell.csv" --out "$T/cell" --no-ledger
expect_grep 'data row 1 has a cell of 16385 bytes' "$T/err"
{ echo "$HDR"; printf 'x,,"'; head -c 1000000 /dev/zero | tr '\0' a; } >"$D/open.csv"
/usr/bin/time -f %M -o "$T/rss" "$IDPACK" batch --csv "$D/open.csv" --out "$T/open" --no-ledger >"$T/out" 2>"$T/err" && rc=0 || rc=$?
[ "$rc" -eq 65 ] && ok || fail "an unterminated 1 MB cell: exit $rc, expected 65"
expect_grep 'a cell of more than 16384 bytes' "$T/err"

# 4. a FIFO and a socket as the CSV: "not a regular file", never blocking
mkfifo "$D/fifo.csv"
expect_exit 65 timeout 10 "$IDPACK" batch --csv "$D/fifo.csv" --out "$T/f" --no-ledger
expect_grep 'fifo.csv: not a regular file' "$T/err"
/usr/bin/python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$D/sock.csv"
expect_exit 65 timeout 10 "$IDPACK" batch --csv "$D/sock.csv" --out "$T/s" --no-ledger
expect_grep 'sock.csv: not a regular file' "$T/err"
finish
