#!/usr/bin/env bash
# report.csv is safe to open in a spreadsheet: a customer label a
# spreadsheet would run as a formula (=HYPERLINK(...), -2+3 Ltd, @SUM(1),
# +1+1) gets a leading ', control characters are escaped, the file starts
# with a byte-order mark, every field (the header too) is quoted, and a
# warnings column (also listed in the summary on stdout) says what warned.
# LibreOffice (soffice --headless) reads it and evaluates no formula.
# Reasons name files relative to the CSV's or the output folder, never
# with absolute paths; --font lets a customer named 王 build.
. "$(dirname "$0")/lib.sh"
D=$T/data
mkdir -p "$D/photos"
cp "$IDP_TESTIMG/sharp.jpg" "$IDP_TESTIMG/back.jpg" "$IDP_TESTIMG/slightly-blurred.jpg" "$D/photos/"
esc=$(printf 'photos/a\033b.jpg')
cat >"$D/c.csv" <<CSV
customer,front,back,full_name,account_email,id_type,id_expiry
"=HYPERLINK(""http://x"",""y"")",,,A,a@example.com,id_card,2031-05-31
-2+3 Ltd,$esc,,B,b@example.com,id_card,2031-05-31
@SUM(1),photos,,C,c@example.com,passport,2031-05-31
+1+1,photos/slightly-blurred.jpg,photos/back.jpg,Dino Due,d@example.com,id_card,2031-05-31
CSV
O=$T/pk
expect_exit 1 "$IDPACK" batch --csv "$D/c.csv" --out "$O" --no-ledger --date 2026-11-26
cp "$T/out" "$T/summary"
head -c 80 "$O/report.csv" | od -c | head -2 >"$T/head"
printf '\xef\xbb\xbf"row","customer","status","package","reference","reasons","warnings"\r\n' >"$T/want"
cmp -s <(head -c "$(stat -c %s "$T/want")" "$O/report.csv") "$T/want" && ok || fail "report.csv does not start with a BOM and a quoted header: $(cat "$T/head")"
# the summary lists the warnings of the row built with them
expect_grep '^row 4 \(\+1\+1\): built, with warnings' "$T/summary"
expect_grep '^  warning: front photo "photos/slightly-blurred.jpg" warns on the sharpness check' "$T/summary"
expect_grep '; 1 built with warnings' "$T/summary"
# no absolute path in any reason; the control character escaped
expect_no_grep "$T" "$O/report.csv" "report.csv (absolute paths)"
expect_no_grep "$T" "$O/report.json" "report.json (absolute paths)"
expect_grep 'photos/a\\x1bb.jpg' "$O/report.csv"
expect_grep '"photos: not a regular file' "$O/report.csv"

# LibreOffice reads it (UTF-8, comma, quote) and writes back what it shows
export HOME=$T/home
L=$T/lo
mkdir -p "$L"
if timeout 120 soffice --headless "-env:UserInstallation=file://$T/lo-profile" \
    --infilter="CSV:44,34,76,1" --convert-to csv --outdir "$L" "$O/report.csv" >"$T/lo.log" 2>&1 &&
    [ -s "$L/report.csv" ]; then
    ok
    /usr/bin/python3 - "$L/report.csv" <<'PY' && ok || fail "LibreOffice evaluated a formula"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
assert rows[0][:2] == ["row", "customer"], rows[0]
got = [r[1] for r in rows[1:]]
want = ["'=HYPERLINK(\"http://x\",\"y\")", "'-2+3 Ltd", "'@SUM(1)", "'+1+1"]
assert got == want, got
assert rows[4][2] == "ok" and "sharpness" in rows[4][6], rows[4]
PY
else
    fail "soffice could not convert report.csv: $(tail -2 "$T/lo.log")"
fi

# --font: a font file that cannot be read stops the batch before any work;
# the default font named explicitly gives the same bytes as without
expect_exit 66 "$IDPACK" batch --csv "$D/c.csv" --out "$T/nf" --no-ledger --font "$T/nosuch.ttf"
expect_grep 'nosuch.ttf: the font cannot be read' "$T/err"
[ -e "$T/nf" ] && fail "a refused --font created the output folder" || ok
DV=$(fc-match -f '%{file}' 'DejaVu Sans')
expect_exit 1 "$IDPACK" batch --csv "$D/c.csv" --out "$T/dv" --no-ledger --date 2026-11-26 --font "$DV"
diff -r -x 'report.*' "$O" "$T/dv" >/dev/null && [ -d "$T/dv/1-1" ] && ok || fail "--font with the default font changed the packages"

# --font: a customer named 王 (full name too) builds with a font that draws it:
# a TrueType font or collection (.ttc, as fonts-wqy-zenhei installs it,
# listed in .ci/packages) that fontconfig says has U+738B
CJK=$(fc-list ':charset=738b' file 2>/dev/null | sed 's/: *$//' | grep -E '\.tt[fc]$' | sort | head -1 || true)
if [ -n "$CJK" ]; then
    cat >"$D/w.csv" <<CSV
customer,front,back,full_name,account_email,id_type,id_expiry
王,photos/sharp.jpg,photos/back.jpg,王伟,w@example.com,id_card,2031-05-31
CSV
    expect_exit 1 "$IDPACK" batch --csv "$D/w.csv" --out "$T/w1" --no-ledger --date 2026-11-26
    expect_grep 'full_name' "$T/w1/report.csv" "the default font's refusal"
    expect_exit 0 "$IDPACK" batch --csv "$D/w.csv" --out "$T/w2" --no-ledger --date 2026-11-26 --font "$CJK"
    expect_exit 0 "$IDPACK" verify "$T/w2/row-1"
    # the font embedded (a subset, with a ToUnicode map), the name readable
    fam=$(fc-query -f '%{family[0]}\n' "$CJK" | head -1 | tr -d ' ')
    pdffonts "$T/w2/row-1/request.pdf" >"$T/fonts" 2>&1
    awk 'NR > 2 && $0 ~ /yes +yes +yes/' "$T/fonts" | grep -q -- "+$fam" && ok ||
        fail "request.pdf does not embed $fam: $(cat "$T/fonts")"
    pdftotext "$T/w2/row-1/request.pdf" - >"$T/w2.txt"
    expect_grep '王伟' "$T/w2.txt" "the letter's text"
else
    echo "skipped: no TrueType font with CJK characters installed (fonts-wqy-zenhei)"
fi
finish
