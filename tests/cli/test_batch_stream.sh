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
# AddressSanitizer keeps up to 256 MB of freed memory in quarantine: the
# bound is then looser (1 GiB: 560 MiB was measured), but still a bound
MAXKB=65536 CELLKB=32768
if grep -q __asan_init "$IDPACK"; then MAXKB=1048576 CELLKB=1048576; fi
gen "$D/over.csv" 100001

# 1. 100 000 rows: bounded memory, every row in the reports, in order
/usr/bin/time -f %M -o "$T/rss" "$IDPACK" batch --csv "$D/cap.csv" --out "$T/big/a/b" --no-ledger \
    --date 2026-11-26 >"$T/out" 2>"$T/err" && rc=0 || rc=$?
[ "$rc" -eq 1 ] && ok || fail "100000 failing rows: exit $rc, expected 1"
rss=$(tail -1 "$T/rss")
[ "$rss" -lt "$MAXKB" ] && ok || fail "peak RSS ${rss} KiB for 100000 rows (at most $MAXKB KiB expected)"
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

# 3. a cell over 16384 bytes (one of 3 MB too) or a row of more than 64
#    cells fails its row, the others go on, in a few MiB; an unterminated
#    quoted cell of 1 MB is malformed; a header over the caps stops the batch
{
    echo "$HDR"
    printf 'x,,%s,a@example.com,id_card,2031-05-31\n' "$(head -c 16385 /dev/zero | tr '\0' a)"
    printf 'y,,"%s",b@example.com,id_card,2031-05-31\n' "$(head -c 3000000 /dev/zero | tr '\0' b)"
    printf 'z,%.0s' $(seq 70); echo
    echo "w,,Ok Name,w@example.com,id_card,2031-05-31"
} >"$D/cell.csv"
/usr/bin/time -f %M -o "$T/rss" "$IDPACK" batch --csv "$D/cell.csv" --out "$T/cell" --no-ledger >"$T/out" 2>"$T/err" && rc=0 || rc=$?
[ "$rc" -eq 1 ] && ok || fail "rows over the cell caps: exit $rc, expected 1"
rss=$(tail -1 "$T/rss")
[ "$rss" -lt "$CELLKB" ] && ok || fail "peak RSS ${rss} KiB with a 3 MB cell"
/usr/bin/python3 - "$T/cell/report.json" <<'PY' && ok || fail "the rows over the caps"
import json, sys
rows = json.load(open(sys.argv[1]))["rows"]
r = [x["reasons"][0] for x in rows]
assert len(rows) == 4, rows
assert "the value of full_name (column 3) is longer than 16384 bytes" in r[0], r[0]
assert "the value of full_name (column 3) is longer than 16384 bytes" in r[1], r[1]
assert "more than 64 cells" in r[2], r[2]
assert "front: empty" in r[3], r[3]
PY
{ echo "$HDR"; printf 'x,,"'; head -c 1000000 /dev/zero | tr '\0' a; } >"$D/open.csv"
expect_exit 65 "$IDPACK" batch --csv "$D/open.csv" --out "$T/open" --no-ledger
expect_grep 'malformed CSV' "$T/err"
{ printf 'customer,front,full_name,account_email,id_type,id_expiry'; printf ',x%d' $(seq 60); echo; } >"$D/wide.csv"
expect_exit 65 "$IDPACK" batch --csv "$D/wide.csv" --out "$T/wide" --no-ledger
expect_grep 'the header has more than 64 cells' "$T/err"

# 4. a FIFO and a socket as the CSV: "not a regular file", never blocking
mkfifo "$D/fifo.csv"
expect_exit 65 timeout 10 "$IDPACK" batch --csv "$D/fifo.csv" --out "$T/f" --no-ledger
expect_grep 'fifo.csv: not a regular file' "$T/err"
/usr/bin/python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$D/sock.csv"
expect_exit 65 timeout 10 "$IDPACK" batch --csv "$D/sock.csv" --out "$T/s" --no-ledger
expect_grep 'sock.csv: not a regular file' "$T/err"
finish
