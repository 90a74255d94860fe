#!/usr/bin/env bash
# The bad-input matrix of docs/bad-input.md, through the tool: corrupt and
# truncated files, bombs, wrong types, huge fields, control characters and
# direction marks in names, paths with .. and symlinks, unreadable and
# unwritable paths, a locked or damaged ledger, a template with an unknown
# placeholder. Each case checks the documented exit code, that the message
# names the file and the problem, that nothing is written (no output, no
# temporary) and that the ledger is unchanged.
. "$(dirname "$0")/lib.sh"
need_tools sqlite3 python3 convert
S=${IDP_SPECIMEN:?}
I=$IDP_TESTIMG
MK=$IDP_SRC/tests/cli/mkbad.py
FRONT=$S/specimen-front.jpg
BACK=$S/specimen-back.jpg
FORM=$IDP_SRC/templates/sample-form.txt
DATE=2026-11-26
O=$T/o # every output goes under here
mkdir "$O"
L=$T/ledger.sqlite
export IDPACK_LEDGER=$L

# A first package makes the ledger the refusals must leave alone.
expect_exit 0 "$IDPACK" build --front "$FRONT" --back "$BACK" --form "$FORM" --out "$O/first" --date $DATE
[ "$(sqlite3 "$L" 'SELECT count(*) FROM packages')" = 1 ] && ok || fail "the first package is not in the ledger"

# state: everything under $O (names, types, sizes, contents), the ledger's
# rows and any temporary anywhere in the test's folder.
state() {
    (cd "$O" && find . -printf '%p %y %s\n' | sort && find . -type f -exec sha256sum {} + | sort)
    sqlite3 "$L" .dump
    find "$T" -name '*idpack-tmp*'
}

# refused CODE PATTERN CMD...: CMD exits CODE; its messages (stdout and
# stderr) match PATTERN, which names the file and the problem; afterwards
# nothing under $O, in the ledger or among temporaries has changed.
refused() {
    local code=$1 pat=$2 before
    shift 2
    before=$(state)
    expect_exit "$code" "$@"
    cat "$T/out" "$T/err" | cut -c1-2000 >"$T/msg"
    expect_grep "$pat" "$T/msg" "messages of: ${*:1:6}"
    [ "$(state)" = "$before" ] && ok || fail "something was written or changed by: ${*:1:6}"
}

# Sizes in KB of the largest resident set of CMD (GNU time's %M).
max_rss() {
    /usr/bin/time -f '%M' -o "$T/rss" "$@" >/dev/null 2>&1 || true
    tail -1 "$T/rss"
}

###### corrupt and truncated photos: 65, the file and "corrupt"/"truncated"
for f in truncated.jpg truncated.png badcrc.png empty.jpg; do
    refused 65 "${f//./\\.}.*(corrupt|truncated|CRC|empty|Premature|premature)" \
        "$IDPACK" build --front "$I/$f" --back "$BACK" --form "$FORM" --out "$O/pkg" --date $DATE
done
refused 65 "truncated\.jpg.*(corrupt|truncated|Premature)" "$IDPACK" normalize "$I/truncated.jpg" -o "$O/n.jpg"
refused 65 "xcsn0g01\.png: .*(CRC|corrupt)" "$IDPACK" check "$IDP_CORPUS/pngsuite/png/xcsn0g01.png"

###### bombs
# pixel bombs: refused from the header, before any allocation (65, limits)
python3 "$MK" pixel-bomb "$T/pixel-bomb.png"
for f in "$I/bomb.png" "$I/bomb.jpg" "$T/pixel-bomb.png"; do
    b=$(basename "$f")
    refused 65 "${b//./\\.}.*(limit|megapixels|larger)" "$IDPACK" build --front "$f" --set id_type=passport --form "$FORM" --out "$O/pkg" --date $DATE
done
rss=$(max_rss "$IDPACK" check "$T/pixel-bomb.png")
[ "${rss:-999999}" -lt 150000 ] && ok || fail "checking a 400-megapixel claim used ${rss} KB"
# a file over the 50 MB limit: refused by its size, before reading it
truncate -s 60M "$T/huge.jpg"
refused 65 "huge\.jpg.*exceeds the .* limit" "$IDPACK" check "$T/huge.jpg"
# decompression bombs in ancillary PNG chunks (256 MB of zeros each): the
# chunk is dropped, the photo judged as if it were not there
python3 "$MK" plain "$T/plain.png"
python3 "$MK" ztxt-bomb "$T/ztxt-bomb.png"
python3 "$MK" iccp-bomb "$T/iccp-bomb.png"
want=0
"$IDPACK" check --json "$T/plain.png" >"$T/plain.json" 2>/dev/null || want=$?
[ "$want" -eq 1 ] && ok || fail "the 64x48 PNG should fail resolution (exit 1), got $want"
base_rss=$(max_rss "$IDPACK" check "$T/plain.png")
for b in ztxt-bomb iccp-bomb; do
    expect_exit "$want" timeout 20 "$IDPACK" check --json "$T/$b.png"
    sed "s/$b/plain/" "$T/out" | cmp -s - "$T/plain.json" && ok || fail "$b.png is not judged like plain.png"
    rss=$(max_rss "$IDPACK" check "$T/$b.png")
    [ $((${rss:-999999} - ${base_rss:-0})) -lt 60000 ] && ok || fail "$b.png used ${rss} KB (plain: ${base_rss} KB)"
done
# huge EXIF (700 APP1 segments, 45 MB): refused while the header is read
# (more than 128 APPn/COM segments); an EXIF IFD that points to itself:
# judged like the photo without it
J=$IDP_CORPUS/jpeg
python3 "$MK" exif-huge "$J/testorig.jpg" "$T/exif-huge.jpg"
python3 "$MK" exif-loop "$J/testorig.jpg" "$T/exif-loop.jpg"
want=0
"$IDPACK" check "$J/testorig.jpg" >/dev/null 2>&1 || want=$?
expect_exit "$want" timeout 20 "$IDPACK" check "$T/exif-loop.jpg"
refused 65 "exif-huge\.jpg: corrupt JPEG: more than 128 metadata segments" timeout 20 "$IDPACK" check "$T/exif-huge.jpg"
rss=$(max_rss "$IDPACK" check "$T/exif-huge.jpg")
[ "${rss:-999999}" -lt 120000 ] && ok || fail "a JPEG with 45 MB of EXIF used ${rss} KB"

###### wrong type: 65, "not a JPEG, PNG, HEIC, TIFF or PDF file" / "not a regular file"
printf 'hello, not a photo\n' >"$T/notes.jpg"
convert -size 64x48 xc:red "$T/red.gif"
for f in notes.jpg red.gif; do
    refused 65 "${f//./\\.}: not a JPEG, PNG, HEIC, TIFF or PDF file" "$IDPACK" build --front "$T/$f" --set id_type=passport --form "$FORM" --out "$O/pkg" --date $DATE
done
# a PDF of three pages (a package's request.pdf, named .jpg) is read by
# content, and is not one photo nor front and back: 64
cp "$O/first/request.pdf" "$T/doc.jpg"
refused 64 "doc\.jpg: the file holds 3 pages" "$IDPACK" build --front "$T/doc.jpg" --form "$FORM" --out "$O/pkg" --date $DATE
mkdir "$T/folder.jpg"
refused 65 "folder\.jpg: not a regular file" "$IDPACK" check "$T/folder.jpg"
refused 65 "folder\.jpg: not a regular file" "$IDPACK" build --front "$FRONT" --back "$T/folder.jpg" --form "$FORM" --out "$O/pkg" --date $DATE
refused 65 "/dev/zero: not a regular file" "$IDPACK" check /dev/zero
# a FIFO with no writer: refused at once, never a hang (open() would wait
# for a writer; timeout turns a hang into exit 124)
mkfifo "$T/fifo.jpg"
refused 65 "fifo\.jpg: not a regular file" timeout 20 "$IDPACK" check "$T/fifo.jpg"
refused 65 "fifo\.jpg: not a regular file" timeout 20 "$IDPACK" build --front "$T/fifo.jpg" --set id_type=passport --form "$FORM" --out "$O/pkg" --date $DATE
refused 65 "fifo\.jpg: not a regular file" timeout 20 "$IDPACK" build --front "$FRONT" --form "$T/fifo.jpg" --out "$O/pkg" --date $DATE
refused 65 "fifo\.jpg: not a regular file" timeout 20 "$IDPACK" check --policy "$T/fifo.jpg" "$FRONT"
refused 65 "fifo\.jpg: not a regular file" timeout 20 "$IDPACK" batch --csv "$T/fifo.jpg" --out "$O/fifo-batch" --no-ledger --date $DATE
refused 65 "folder\.jpg: not a regular file" "$IDPACK" build --front "$FRONT" --form "$T/folder.jpg" --out "$O/pkg" --date $DATE
refused 65 "request\.pdf" "$IDPACK" build --front "$FRONT" --form "$O/first/request.pdf" --out "$O/pkg" --date $DATE
refused 65 "request\.pdf: not a folder" "$IDPACK" verify "$O/first/request.pdf"

###### huge fields: 65, the field and "too long"; the value never echoed
big=$(head -c 100000 /dev/zero | tr '\0' 'A')
refused 65 "full_name is too long" "$IDPACK" build --front "$FRONT" --set id_type=passport --form "$FORM" --set "full_name=$big" --out "$O/pkg" --date $DATE
expect_no_grep 'AAAAAAAAAA' "$T/msg" "message about a huge value"
{ grep -v '^full_name' "$FORM"; printf 'full_name = '; head -c 1000000 /dev/zero | tr '\0' 'B'; echo; } >"$T/bigform.txt"
refused 65 "bigform\.txt:[0-9]+: the value of full_name is too long" "$IDPACK" build --front "$FRONT" --form "$T/bigform.txt" --out "$O/pkg" --date $DATE
expect_no_grep 'BBBBBBBBBB' "$T/msg" "message about a huge form value"
head -c 2000000 /dev/zero | tr '\0' '#' >"$T/hugeform.txt"
refused 65 "hugeform\.txt.*exceeds the .* limit" "$IDPACK" build --front "$FRONT" --form "$T/hugeform.txt" --out "$O/pkg" --date $DATE
# a 5000-byte photo name: the message keeps the problem at its end
long=$T/$(head -c 5000 /dev/zero | tr '\0' 'n').jpg
refused 74 "nnn\.\.\.nnn.*\.jpg: cannot open: File name too long" "$IDPACK" check "$long"
# a 1 MB cell in the batch CSV: that row fails naming the field, the others go on
D=$T/batch
mkdir -p "$D/photos"
cp "$FRONT" "$BACK" "$D/photos/"
{
    echo "customer,full_name,account_email,id_type,id_expiry,front,back"
    echo "Good,Erika Mustermann,erika@example.com,id_card,2031-05-31,photos/specimen-front.jpg,photos/specimen-back.jpg"
    printf 'Huge,%s,erika@example.com,passport,2031-05-31,photos/specimen-front.jpg,\n' "$(head -c 1000000 /dev/zero | tr '\0' 'C')"
    printf 'Direction,Erika \xe2\x80\xaeMustermann,erika@example.com,passport,2031-05-31,photos/specimen-front.jpg,\n'
    printf 'Mark,Erika \xe2\x80\x8fMustermann,erika@example.com,passport,2031-05-31,photos/specimen-front.jpg,\n'
    printf 'Control,Erika\x1b[2JMustermann,erika@example.com,passport,2031-05-31,photos/specimen-front.jpg,\n'
    printf '../../escape,Erika Mustermann,escape@example.com,passport,2031-05-31,photos/specimen-front.jpg,\n'
    # bad customer labels (rows 7-9): refused, and left out of the reports
    printf 'Label\x1b[2JX,Erika Mustermann,l1@example.com,passport,2031-05-31,photos/specimen-front.jpg,\n'
    printf 'Label \xe2\x80\xaeX,Erika Mustermann,l2@example.com,passport,2031-05-31,photos/specimen-front.jpg,\n'
    printf '%s,Erika Mustermann,l3@example.com,passport,2031-05-31,photos/specimen-front.jpg,\n' "$(head -c 300 /dev/zero | tr '\0' 'L')"
} >"$D/customers.csv"
expect_exit 1 "$IDPACK" batch --csv "$D/customers.csv" --out "$O/batch" --no-ledger --date $DATE -j 2 --json
python3 - "$T/out" <<'PY' && ok || fail "batch report for huge, direction, control and ../ rows"
import json, sys
rows = {r["customer"]: r for r in json.load(open(sys.argv[1]))["rows"]}
want = {"Good": None, "Huge": "full_name (column 2) is longer than", "Direction": "text-direction",
        "Mark": "text-direction", "Control": "control character", "../../escape": None}
for name, why in want.items():
    r = rows[name]
    if why is None:
        assert r["status"] == "ok", r
    else:
        assert r["status"] == "failed" and any(why in x and "row" in x for x in r["reasons"]), r
        assert not any("CCCCCCCCCC" in x for x in r["reasons"]), "the value is echoed"
assert rows["../../escape"]["package"] == "escape", rows["../../escape"]
byrow = {r["row"]: r for r in json.load(open(sys.argv[1]))["rows"]}
for n, why in {7: "customer: contains a control character",
               8: "customer: contains an invisible text-direction control",
               9: "customer: too long (300 bytes"}.items():
    r = byrow[n]
    assert r["status"] == "failed" and r["customer"] == "" and r["package"] == "", r
    assert any(why in x for x in r["reasons"]), r
    assert not any("Label" in x or "LLLL" in x for x in r["reasons"]), r
PY
grep -q 'Label\|LLLL' "$O/batch/report.csv" && fail "a refused customer label is in report.csv" || ok
[ "$(ls "$O/batch" | sort | tr '\n' ' ')" = "escape good report.csv report.json " ] && ok \
    || fail "unexpected batch output: $(ls "$O/batch")"
[ ! -e "$T/escape" ] && [ ! -e "$O/escape" ] && ok || fail "a customer named ../../escape left the output folder"
grep -v '^Huge,' "$D/customers.csv" >"$D/small.csv" # (a 1 MB cell is slow under ASan)
expect_exit 1 "$IDPACK" batch --csv "$D/small.csv" --out "$O/batch2" --no-ledger --date $DATE -j 2
expect_grep 'row 4 \(Control\): failed' "$T/out" "batch summary"
expect_grep '^  small\.csv row 4: the value of full_name contains a control character' "$T/out" "batch summary"
grep -q $'\x1b' "$T/out" && fail "the batch summary prints a raw escape character" || ok
rm -rf "${O:?}/batch" "$O/batch2"

###### control characters and direction marks in names
for v in $'Erika\x1b[31mMustermann' $'Erika\x07Mustermann' $'Erika\xc2\x85Mustermann'; do
    refused 65 "--set: the value of full_name contains a control character" \
        "$IDPACK" build --front "$FRONT" --set id_type=passport --form "$FORM" --set "full_name=$v" --out "$O/pkg" --date $DATE
done
for v in $'Erika \u202eMustermann' $'Erika \u200fMustermann' $'Erika \u2066Mustermann\u2069'; do
    refused 65 "--set: the value of full_name contains an invisible text-direction control" \
        "$IDPACK" build --front "$FRONT" --set id_type=passport --form "$FORM" --set "full_name=$v" --out "$O/pkg" --date $DATE
done
{ cat "$FORM"; printf 'store_name = Shop \xe2\x80\xae.com\n'; } >"$T/rtlform.txt"
refused 65 "rtlform\.txt:[0-9]+: the value of store_name contains an invisible text-direction control" \
    "$IDPACK" build --front "$FRONT" --form "$T/rtlform.txt" --out "$O/pkg" --date $DATE
# the personal data in the value is never repeated in the message
refused 65 "full_name" "$IDPACK" build --front "$FRONT" --set id_type=passport --form "$FORM" --set $'full_name=Secretina\x01Name' --out "$O/pkg" --date $DATE
expect_no_grep 'Secretina' "$T/msg" "message about a bad value"
# file names: shown with control characters and direction marks made visible
names=($'red\x1b[31m.jpg' $'gpj\u202e.exe' $'line\nbreak.jpg')
shown=('red\\x1b\[31m\.jpg: no such file' 'gpj<U\+202E>\.exe: no such file' 'line\\x0abreak\.jpg: no such file')
for i in 0 1 2; do
    refused 66 "${shown[$i]}" "$IDPACK" check "$T/${names[$i]}"
    grep -q -e $'\x1b' -e $'\u202e' "$T/msg" && fail "a raw control character or mark reaches the terminal" || ok
    [ ! -s "$T/err" ] && [ "$(wc -l <"$T/out")" -eq 2 ] && ok || fail "a name breaks the lines of the report"
done
# a name that is not UTF-8 keeps its place in the JSON
cp "$I/truncated.jpg" "$T/caf"$'\xe9'".jpg"
expect_exit 66 "$IDPACK" check --json "$T/caf"$'\xe9'".jpg" "$T/caf"$'\xe9'"2.jpg"
python3 - "$T/out" <<'PY' && ok || fail "check --json with file names that are not UTF-8"
import json, sys
imgs = json.load(open(sys.argv[1], encoding="utf-8"))["images"]
assert len(imgs) == 2, imgs
for img, why in zip(imgs, ("corrupt", "no such file")):
    assert img["file"].endswith("caf\ufffd.jpg") or img["file"].endswith("caf\ufffd2.jpg"), img
    assert img["verdict"] == "error" and why in img["error"] and "caf\ufffd" in img["error"], img
PY
# a package holding files with such names: verify lists them all, safely
cp -a "$O/first" "$T/odd"
echo x >"$T/odd/"$'\x1b[2Jcleared'
echo y >"$T/odd/extra"$'\xff'
expect_exit 1 "$IDPACK" verify "$T/odd"
grep -q $'\x1b' "$T/out" && fail "verify prints a raw escape character" || ok
expect_grep '\\x1b\[2Jcleared: extra' "$T/out" "verify, escape in a name"
expect_grep 'extra\\xff: extra' "$T/out" "verify, a name that is not UTF-8"
expect_exit 1 "$IDPACK" verify --json "$T/odd"
python3 - "$T/out" <<'PY' && ok || fail "verify --json with odd file names"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
files = sorted(p["file"] for p in d["problems"])
assert files == ["\x1b[2Jcleared", "extra\ufffd"], files
PY
rm -rf "$T/odd"

###### paths with .. and symlinks
# a symlinked photo is the photo: the package is built, nothing lands by the target
mkdir "$T/links"
ln -s "$FRONT" "$T/links/front.jpg"
expect_exit 0 "$IDPACK" build --front "$T/links/front.jpg" --set id_type=passport --form "$FORM" --out "$O/linked" --date $DATE --no-ledger
expect_exit 0 "$IDPACK" verify "$O/linked"
[ "$(ls -A "$T/links")" = "front.jpg" ] && ok || fail "something was written next to the link"
rm -rf "$O/linked"
# a symlinked output folder is never written through, --force or not
mkdir "$T/target"
echo keep >"$T/target/keep.txt"
ln -s "$T/target" "$O/pkglink"
refused 73 "pkglink: already exists" "$IDPACK" build --front "$FRONT" --set id_type=passport --form "$FORM" --out "$O/pkglink" --date $DATE
refused 73 "pkglink: exists and is not a package folder" "$IDPACK" build --front "$FRONT" --set id_type=passport --form "$FORM" --out "$O/pkglink" --date $DATE --force
[ "$(ls -A "$T/target")" = "keep.txt" ] && ok || fail "the link's target was written: $(ls -A "$T/target")"
ln -s "$T/nowhere" "$O/dangling"
refused 73 "dangling: already exists" "$IDPACK" build --front "$FRONT" --set id_type=passport --form "$FORM" --out "$O/dangling" --date $DATE
[ ! -e "$T/nowhere" ] && ok || fail "a dangling link's target was created"
# normalize --force replaces the link itself, never the file it points to
echo victim >"$T/victim.txt"
ln -s "$T/victim.txt" "$O/out.jpg"
refused 73 "out\.jpg: already exists" "$IDPACK" normalize "$FRONT" -o "$O/out.jpg"
expect_exit 0 "$IDPACK" normalize "$FRONT" -o "$O/out.jpg" --force
[ "$(cat "$T/victim.txt")" = victim ] && [ -f "$O/out.jpg" ] && [ ! -L "$O/out.jpg" ] && ok \
    || fail "normalize --force wrote through a symlink"
rm -f "$O/out.jpg" "$O/pkglink" "$O/dangling"
# a link loop as the photo: 74, named
ln -s loop2.jpg "$T/links/loop1.jpg"
ln -s loop1.jpg "$T/links/loop2.jpg"
refused 74 "loop1\.jpg: cannot open: Too many levels of symbolic links" "$IDPACK" check "$T/links/loop1.jpg"
# .. in the output path: resolved as the system does; through a missing
# folder nothing is created (73)
refused 73 "nosuch/\.\./pkg: cannot create" "$IDPACK" build --front "$FRONT" --set id_type=passport --form "$FORM" --out "$O/nosuch/../pkg" --date $DATE
mkdir "$O/sub"
expect_exit 0 "$IDPACK" build --front "$FRONT" --set id_type=passport --form "$FORM" --out "$O/sub/../dotdot" --date $DATE --no-ledger
[ -f "$O/dotdot/SHA256SUMS" ] && [ -z "$(ls -A "$O/sub")" ] && ok || fail "--out with .. did not land where it points"
rm -rf "$O/sub" "$O/dotdot"

###### unreadable photos and unwritable outputs
# a path through a regular file (ENOTDIR): the same for root and others
: >"$T/afile"
refused 74 "afile/front\.jpg: cannot open: Not a directory" "$IDPACK" check "$T/afile/front.jpg"
refused 73 "afile/pkg: cannot create" "$IDPACK" build --front "$FRONT" --set id_type=passport --form "$FORM" --out "$T/afile/pkg" --date $DATE
refused 73 "afile/n\.jpg: cannot create" "$IDPACK" normalize "$FRONT" -o "$T/afile/n.jpg"
# permission bits: root ignores them, so as root run as nobody
AS=()
if [ "$(id -u)" = 0 ]; then
    AS=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
    chmod 711 "$T"
fi
NB=$T/nb
mkdir -m 777 "$NB"
cp "$FRONT" "$NB/front.jpg"
sed 's/^id_type .*/id_type = passport/' "$FORM" >"$NB/form.txt" # one photo: a passport
cp "$FRONT" "$NB/locked.jpg"
chmod 644 "$NB/front.jpg" "$NB/form.txt"
chmod 000 "$NB/locked.jpg"
mkdir -m 555 "$NB/ro"
if "${AS[@]}" "$IDPACK" --version >/dev/null 2>&1 && ! "${AS[@]}" cat "$NB/locked.jpg" >/dev/null 2>&1; then
    nb_state() { (cd "$NB" && find . -printf '%p %y %s\n' | sort); }
    before=$(nb_state)
    expect_exit 74 "${AS[@]}" "$IDPACK" check "$NB/locked.jpg"
    expect_grep "locked\.jpg: cannot open: Permission denied" "$T/out" "check of an unreadable photo"
    expect_exit 74 "${AS[@]}" "$IDPACK" build --front "$NB/locked.jpg" --form "$NB/form.txt" --out "$NB/pkg" --date $DATE --no-ledger
    expect_grep "locked\.jpg: cannot open: Permission denied" "$T/err" "build with an unreadable photo"
    expect_exit 73 "${AS[@]}" "$IDPACK" build --front "$NB/front.jpg" --form "$NB/form.txt" --out "$NB/ro/pkg" --date $DATE --no-ledger
    expect_grep "ro/pkg: cannot create: Permission denied" "$T/err" "build into a read-only folder"
    expect_exit 73 "${AS[@]}" "$IDPACK" normalize "$NB/front.jpg" -o "$NB/ro/n.jpg"
    expect_grep "ro/n\.jpg: cannot create: Permission denied" "$T/err" "normalize into a read-only folder"
    [ "$(nb_state)" = "$before" ] && ok || fail "an unreadable photo or unwritable folder left something behind"
    mkdir -p "$NB/csv/photos" && cp "$FRONT" "$NB/csv/photos/f.jpg" && chmod -R a+rX "$NB/csv"
    printf 'customer,full_name,account_email,id_type,id_expiry,front\nA,Erika M,e@example.com,id_card,2031-05-31,photos/f.jpg\n' >"$NB/csv/c.csv"
    chmod 644 "$NB/csv/c.csv"
    before=$(nb_state)
    expect_exit 73 "${AS[@]}" "$IDPACK" batch --csv "$NB/csv/c.csv" --out "$NB/ro/b" --no-ledger --date $DATE
    expect_grep "ro/b" "$T/err" "batch into a read-only folder"
    chmod 000 "$NB/form.txt"
    expect_exit 74 "${AS[@]}" "$IDPACK" build --front "$NB/front.jpg" --form "$NB/form.txt" --out "$NB/pkg" --date $DATE --no-ledger
    expect_grep "form\.txt: cannot open: Permission denied" "$T/err" "build with an unreadable form"
    [ "$(nb_state)" = "$before" ] && ok || fail "an unreadable input or unwritable output left something behind"
else
    echo "note: permission checks skipped: cannot run as another user here (${AS[*]:-not root, yet the file is readable})"
fi

###### the ledger: locked, damaged, truncated
# damaged (random bytes) or truncated: the package is written and verifies,
# exit 74 names the ledger, the ledger file is not touched; track says 65
head -c 20000 /dev/urandom >"$T/garbage.sqlite"
cp "$L" "$T/cut.sqlite"
truncate -s 5000 "$T/cut.sqlite"
for bad in garbage cut; do
    sum=$(sha256sum <"$T/$bad.sqlite")
    expect_exit 74 "$IDPACK" build --front "$FRONT" --set id_type=passport --form "$FORM" --out "$O/pkg-$bad" --date $DATE --ledger "$T/$bad.sqlite"
    expect_grep "$bad\.sqlite: not an idpack ledger, or damaged" "$T/err" "build with a $bad ledger"
    expect_grep "was written, but not recorded" "$T/err" "build with a $bad ledger"
    expect_exit 0 "$IDPACK" verify "$O/pkg-$bad"
    [ "$(sha256sum <"$T/$bad.sqlite")" = "$sum" ] && ok || fail "the $bad ledger was modified"
    [ -z "$(find "$T" -maxdepth 1 -name "$bad.sqlite-*")" ] && ok || fail "files left next to the $bad ledger"
    refused 65 "$bad\.sqlite: not an idpack ledger, or damaged" "$IDPACK" track list --ledger "$T/$bad.sqlite"
    refused 65 "$bad\.sqlite" "$IDPACK" batch --csv "$D/customers.csv" --out "$O/b-$bad" --ledger "$T/$bad.sqlite" --date $DATE
    rm -rf "${O:?}/pkg-$bad"
done
# locked by another process (BEGIN EXCLUSIVE held open): the build waits
# 5 s, exits 74 naming the ledger; once the lock is gone the ledger holds
# exactly what it held before (the other process rolled back)
dump=$(sqlite3 "$L" .dump)
# The lock is held until the build has returned (at most 120 s), and the
# build starts once the lock is held, so a slow machine cannot slip past it.
rm -f "$T/locked" "$T/unlock"
(echo 'BEGIN EXCLUSIVE;'
    echo "INSERT INTO events (reference, at, kind, status) SELECT reference, 0, 'note', status FROM packages;"
    echo "SELECT 'held';"
    for _ in $(seq 600); do [ -e "$T/unlock" ] && break; sleep 0.2; done
    echo 'ROLLBACK;') | sqlite3 "$L" >"$T/locked" 2>&1 &
locker=$!
for _ in $(seq 300); do grep -q held "$T/locked" 2>/dev/null && break; sleep 0.1; done
grep -q held "$T/locked" || fail "the test could not lock the ledger"
start=$(date +%s)
expect_exit 74 "$IDPACK" build --front "$FRONT" --set id_type=passport --form "$FORM" --out "$O/pkg-locked" --date 2026-11-27
touch "$T/unlock"
[ $(($(date +%s) - start)) -ge 4 ] && ok || fail "the build did not wait for the lock"
expect_grep "ledger\.sqlite: the ledger is locked by another process" "$T/err" "build with a locked ledger"
expect_exit 0 "$IDPACK" verify "$O/pkg-locked"
wait "$locker" || true
[ "$(sqlite3 "$L" .dump)" = "$dump" ] && ok || fail "the locked ledger changed"
rm -rf "${O:?}/pkg-locked"

###### a template with an unknown placeholder (or not JSON): 65, the file and the placeholder
cp -r "$IDP_SRC/templates" "$T/tpl"
python3 - "$T/tpl/2fa-reset.en.json" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
assert "Please remove" in s
open(p, "w", encoding="utf-8").write(s.replace("Please remove", "{colour} Please remove", 1))
PY
IDPACK_TEMPLATES=$T/tpl refused 65 "2fa-reset\.en\.json: .*unknown placeholder \{colour\}" \
    "$IDPACK" build --front "$FRONT" --set id_type=passport --form "$FORM" --out "$O/pkg" --date $DATE --lang en
printf '{"id": "2fa-reset", ' >"$T/tpl/2fa-reset.it.json"
IDPACK_TEMPLATES=$T/tpl refused 65 "2fa-reset\.it\.json.*not valid JSON" \
    "$IDPACK" build --front "$FRONT" --set id_type=passport --form "$FORM" --out "$O/pkg" --date $DATE --lang it

###### HEIC, TIFF and PDF: truncated, empty, wrong magic, huge dimensions
convert "$FRONT" -resize 64x48 "$T/tiny.png"
heif-enc -p preset=ultrafast -o "$T/tiny.heic" "$T/tiny.png" >/dev/null
convert "$FRONT" -resize 640x -compress lzw "$T/small.tif"
img2pdf --imgsize 300dpix300dpi "$T/small.tif" -o "$T/small.pdf" 2>/dev/null || convert "$T/small.tif" "$T/small.pdf"
for f in tiny.heic small.tif small.pdf; do
    ext=${f##*.}
    python3 "$MK" cut "$T/$f" "$T/cut.$ext"
    refused 65 "cut\.$ext: corrupt" "$IDPACK" build --front "$T/cut.$ext" --set id_type=passport --form "$FORM" --out "$O/pkg" --date $DATE
    : >"$T/empty.$ext"
    refused 65 "empty\.$ext: the file is empty" "$IDPACK" check "$T/empty.$ext"
done
printf '\0\0\0\x18ftypqqqq\0\0\0\0mif1qqqq' >"$T/magic.heic"
refused 65 "magic\.heic: not a JPEG, PNG, HEIC, TIFF or PDF file" "$IDPACK" check "$T/magic.heic"
printf 'II*\0garbage' >"$T/magic.tif"
refused 65 "magic\.tif: corrupt TIFF" "$IDPACK" check "$T/magic.tif"
python3 "$MK" heif-huge "$T/tiny.heic" "$T/huge.heic" 100000 100000
python3 "$MK" heif-huge "$T/tiny.heic" "$T/pixels.heic" 20000 20000
python3 "$MK" tiff-huge "$T/huge.tif" 100000 100000
python3 "$MK" tiff-huge "$T/pixels.tif" 20000 20000
python3 "$MK" tiff-pages "$T/pages.tif" 40
python3 "$MK" pdf-page "$T/huge.pdf" 100000 100000
for f in huge.heic pixels.heic huge.tif pixels.tif pages.tif huge.pdf; do
    refused 65 "${f//./\\.}: .*(exceeds|at most)" "$IDPACK" build --front "$T/$f" --set id_type=passport --form "$FORM" --out "$O/pkg" --date $DATE
    rss=$(max_rss "$IDPACK" check "$T/$f")
    [ "${rss:-999999}" -lt 100000 ] && ok || fail "checking $f used ${rss} KB"
done
# a 1 KB PDF whose image claims 30000 x 30000 pixels: poppler would take
# gigabytes; its rendering process is stopped at its limits, the photo is
# judged (a blank page) in seconds and bounded memory
# (not under AddressSanitizer: its shadow memory leaves the rendering
# process without an address-space limit, docs/formats.md)
if grep -q __asan_init "$IDPACK" || ldd "$IDPACK" | grep -q libasan; then
    echo "SKIP: image-bomb.pdf under AddressSanitizer (no address-space limit there)"
else
    python3 "$MK" pdf-image "$T/image-bomb.pdf" 30000
    start=$(date +%s)
    rss=$(max_rss timeout 30 "$IDPACK" check "$T/image-bomb.pdf")
    [ $(($(date +%s) - start)) -lt 15 ] && ok || fail "image-bomb.pdf took $(($(date +%s) - start)) s"
    [ "${rss:-999999}" -lt 262144 ] && ok || fail "image-bomb.pdf used ${rss} KB"
    expect_exit 1 timeout 30 "$IDPACK" check "$T/image-bomb.pdf"
fi

[ "$(ls -A "$O")" = "first" ] && ok || fail "stray output: $(ls -A "$O")"
finish
