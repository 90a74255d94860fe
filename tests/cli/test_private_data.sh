#!/usr/bin/env bash
# Personal data stays out of messages, and temporary files stay in the
# output folder.
# 1. Invalid personal fields (a name with a control character, one with a
#    right-to-left override U+202E, a malformed email, a bare --set value, a
#    JSON form broken inside a value, CSV rows with the same faults), each
#    carrying a unique marker: the marker never appears in stderr, in --json
#    output or in the batch reports, while the field name does.
# 2. build, normalize and batch run with TMPDIR set to an empty folder it
#    stays empty; and, traced with strace, they create files and folders
#    only in the output folder, the ledger's folder and fontconfig's cache.
. "$(dirname "$0")/lib.sh"
DATE=2026-11-26
FRONT=$IDP_TESTIMG/sharp.jpg
BACK=$IDP_TESTIMG/back.jpg
MARK=Zq7xMARKER   # never part of any message idpack makes
form() { # form FILE NAME EMAIL
    printf 'full_name = %s\naccount_email = %s\nid_type = id_card\nid_expiry = 2031-05-31\n' "$2" "$3" >"$1"
}
# no_marker FILE WHAT: the marker (or any piece of it) is not in FILE
no_marker() {
    if grep -a -q -e "$MARK" -e "${MARK:0:6}" -e "${MARK:4}" "$2" 2>/dev/null; then
        fail "$1: the personal value leaks: $(grep -a -o ".\{0,40\}${MARK:0:6}.\{0,20\}" "$2" | head -1)"
    else ok; fi
}
mkdir -p "$T/pk"

# ---- 1. build: each bad field, text and --json ---------------------------
form "$T/ctl.txt" "Anna $(printf '\001')$MARK Rossi" "anna@example.com"
form "$T/rlo.txt" "Anna $(printf '\342\200\256')$MARK Rossi" "anna@example.com"
form "$T/mail.txt" "Anna Rossi" "anna.$MARK@@example"
form "$T/mail2.txt" "Anna Rossi" "$MARK"
for f in ctl rlo mail mail2; do
    case $f in ctl | rlo) field=full_name ;; *) field=account_email ;; esac
    expect_exit 65 "$IDPACK" build --front "$FRONT" --back "$BACK" --form "$T/$f.txt" --out "$T/pk/$f" --date $DATE --no-ledger
    no_marker "build $f (stderr)" "$T/err"
    expect_grep "$field" "$T/err" "build $f (stderr)"
    expect_exit 65 "$IDPACK" build --front "$FRONT" --back "$BACK" --form "$T/$f.txt" --out "$T/pk/$f" --date $DATE --no-ledger --json
    no_marker "build $f (--json)" "$T/out"
    no_marker "build $f (--json stderr)" "$T/err"
    expect_grep "$field" "$T/out" "build $f (--json)"
done
# the same values given with --set, and a --set without '=' (a bare value)
expect_exit 65 "$IDPACK" build --front "$FRONT" --form "$T/mail.txt" --set "full_name=Anna $(printf '\342\200\256')$MARK" --out "$T/pk/s" --date $DATE --no-ledger
no_marker "build --set full_name (stderr)" "$T/err"
expect_grep full_name "$T/err" "build --set full_name"
expect_exit 65 "$IDPACK" build --front "$FRONT" --form "$T/mail.txt" --set "Anna $MARK Rossi" --out "$T/pk/s" --date $DATE --no-ledger
no_marker "build --set without = (stderr)" "$T/err"
expect_grep 'KEY=VALUE' "$T/err" "build --set without ="
# a JSON form broken inside a value (jansson quotes the text it stopped at)
printf '{"full_name": "Anna %s\n Rossi", "account_email": "a@example.com"}\n' "$MARK" >"$T/broken.json"
expect_exit 65 "$IDPACK" build --front "$FRONT" --form "$T/broken.json" --out "$T/pk/j" --date $DATE --no-ledger
no_marker "build with a broken JSON form (stderr)" "$T/err"
expect_grep 'broken\.json:1' "$T/err" "build with a broken JSON form"
# an expired ID: the date is not repeated either
form "$T/exp.txt" "Anna Rossi" "anna@example.com"
sed -i 's/^id_expiry = .*/id_expiry = 2019-07-13/' "$T/exp.txt"
expect_exit 1 "$IDPACK" build --front "$FRONT" --back "$BACK" --form "$T/exp.txt" --out "$T/pk/e" --date $DATE --no-ledger
expect_no_grep '2019-07-13' "$T/err" "build with an expired ID"
expect_grep 'id_expiry' "$T/err" "build with an expired ID"

# ---- 1. batch: the same faults in CSV rows, and a column shifted -------------
mkdir "$T/b"
cp "$FRONT" "$BACK" "$T/b/"
{
    echo "customer,full_name,account_email,id_type,id_expiry,lang,front,back"
    printf 'c1,"Anna \001%s",a@example.com,id_card,2031-05-31,en,sharp.jpg,back.jpg\n' "$MARK"
    printf 'c2,Anna \342\200\256%s,a@example.com,id_card,2031-05-31,en,sharp.jpg,back.jpg\n' "$MARK"
    printf 'c3,Anna Rossi,%s@@x,id_card,2031-05-31,en,sharp.jpg,back.jpg\n' "$MARK"
    printf 'c4,Anna Rossi,a@example.com,%s,2031-05-31,en,sharp.jpg,back.jpg\n' "$MARK"  # name in id_type
    printf 'c5,Anna Rossi,a@example.com,id_card,%s,en,sharp.jpg,back.jpg\n' "$MARK"    # in the date
    printf 'c6,Anna Rossi,a@example.com,id_card,2031-05-31,%s,sharp.jpg,back.jpg\n' "${MARK,,}" # in lang
} >"$T/b/c.csv"
expect_exit 1 "$IDPACK" batch --csv "$T/b/c.csv" --out "$T/b/out" -j 2 --date $DATE --no-ledger --json
for f in "$T/out" "$T/err" "$T/b/out/report.json" "$T/b/out/report.csv"; do
    no_marker "batch ($(basename "$f"))" "$f"
done
python3 - "$T/out" <<'PY' && ok || fail "batch: a failed row does not name its field: $(head -c 800 "$T/out")"
import json, sys
rows = json.load(open(sys.argv[1]))["rows"]
want = {1: "full_name", 2: "full_name", 3: "account_email", 4: "id_type", 5: "id_expiry", 6: "lang"}
for r in rows:
    assert r["status"] == "failed" and any(want[r["row"]] in x for x in r["reasons"]), r
PY
# a CSV without its header row: the first row's cells are not quoted back
tail -n +2 "$T/b/c.csv" >"$T/b/nohead.csv"
expect_exit 65 "$IDPACK" batch --csv "$T/b/nohead.csv" --out "$T/b/out2" --date $DATE --no-ledger
no_marker "batch of a CSV without header (stderr)" "$T/err"
expect_grep 'nohead\.csv' "$T/err" "batch of a CSV without header"

# ---- 2. TMPDIR stays empty; files are created only where they belong -------
form "$T/ok.txt" "Anna Rossi" "anna@example.com"
head -1 "$T/b/c.csv" >"$T/b/ok.csv"
echo "ok1,Anna Rossi,a@example.com,id_card,2031-05-31,en,sharp.jpg,back.jpg" >>"$T/b/ok.csv"
mkdir "$T/tmpwatch" "$T/w" "$T/cwd"
cd "$T/cwd"
export TMPDIR=$T/tmpwatch
expect_exit 0 "$IDPACK" build --front "$FRONT" --back "$BACK" --form "$T/ok.txt" --out "$T/w/pkg" --date $DATE
expect_exit 0 "$IDPACK" normalize "$FRONT" -o "$T/w/front.jpg"
expect_exit 0 "$IDPACK" batch --csv "$T/b/ok.csv" --out "$T/w/batch" -j 2 --date $DATE
[ -z "$(ls -A "$T/tmpwatch")" ] && ok || fail "files appeared in TMPDIR: $(ls -A "$T/tmpwatch")"
[ -z "$(ls -A "$T/cwd")" ] && ok || fail "files appeared in the current folder: $(ls -A "$T/cwd")"
if command -v strace >/dev/null; then
    export XDG_CACHE_HOME=$T/cache
    # LeakSanitizer cannot run under ptrace: off for the traced runs only
    export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
    strace -f -qq -y -o "$T/trace1" -e trace=open,openat,creat,mkdir,mkdirat,rename,renameat,renameat2,link,linkat,symlink,symlinkat \
        "$IDPACK" build --front "$FRONT" --back "$BACK" --form "$T/ok.txt" --out "$T/w/pkg2" --date $DATE >/dev/null 2>&1 || fail "traced build failed"
    strace -f -qq -y -o "$T/trace2" -e trace=open,openat,creat,mkdir,mkdirat,rename,renameat,renameat2,link,linkat,symlink,symlinkat \
        "$IDPACK" batch --csv "$T/b/ok.csv" --out "$T/w/batch2" -j 2 --date $DATE >/dev/null 2>&1 || fail "traced batch failed"
    strace -f -qq -y -o "$T/trace3" -e trace=open,openat,creat,mkdir,mkdirat,rename,renameat,renameat2,link,linkat,symlink,symlinkat \
        "$IDPACK" normalize "$FRONT" -o "$T/w/front2.jpg" >/dev/null 2>&1 || fail "traced normalize failed"
    python3 - "$T" "$T/trace1" "$T/trace2" "$T/trace3" <<'PY' && ok || fail "a file was created outside the output folder"
import os, re, sys
t = sys.argv[1]
allowed = [t + "/w/", t + "/xdg-data/idpack/", t + "/cache/", "/dev/"]
bad = []
good = 0
for trace in sys.argv[2:]:
    for line in open(trace):
        m = re.search(r'\b(open|openat|creat|mkdir|mkdirat|rename|renameat|renameat2|link|linkat|symlink|symlinkat)\((.*)\) += (-?\d+)', line)
        if not m or m.group(3).startswith("-"):
            continue
        call, args = m.group(1), m.group(2)
        if call in ("open", "openat") and not re.search(r'O_(CREAT|WRONLY|RDWR|TRUNC)', args):
            continue
        paths = re.findall(r'(?:(\d+)<([^>]*)>, )?"([^"]*)"', args)
        # the last path is the one created (for rename/link: the target)
        fd, fdpath, p = paths[-1]
        if not p.startswith("/"):
            p = (fdpath or os.getcwd()) + "/" + p
        p = os.path.normpath(p) + ("/" if call.startswith("mkdir") else "")
        if not any(p.startswith(a) or p + "/" == a for a in allowed):
            bad.append(f"{os.path.basename(trace)}: {call} {p}")
        elif "request.pdf" in p or "report.json" in p or "front2.jpg" in p:
            good += 1
for b in bad[:10]:
    print("outside the output folder:", b, file=sys.stderr)
if good < 3:
    print(f"the traces show only {good} of the outputs being written: not parsed", file=sys.stderr)
sys.exit(1 if bad or good < 3 else 0)
PY
else
    fail "strace is not installed"
fi
cd /
finish
