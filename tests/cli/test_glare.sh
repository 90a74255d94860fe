# glare and exposure on the photos of tests/images/mkglare.py: bright
# documents (a card back with a white MRZ band, a white card on a flatbed,
# a white document on a light desk) pass both; specular reflections over
# the print are glare, graded by size; the real scans of the corpus (white
# backgrounds, light MRZ bands, no reflection) are not glare.
. "$(dirname "$0")/lib.sh"

# a python with numpy and PIL (the generator's only needs)
PY=$(numpy_python) || { echo "FAIL: no python3 with numpy and PIL for tests/images/mkglare.py" >&2; exit 1; }

G="$T/glare"
"$PY" "$IDP_SRC/tests/images/mkglare.py" "$G" || { echo "FAIL: mkglare.py" >&2; exit 1; }

# judge FILE GLARE EXPOSURE: the glare and exposure statuses of FILE
judge() {
    local f=$1 want_g=$2 want_e=$3
    "$IDPACK" check --json "$f" >"$T/out" 2>"$T/err" || true
    if python3 - "$T/out" "$want_g" "$want_e" <<'PY'
import json, sys
path, want_g, want_e = sys.argv[1:]
img = json.load(open(path, encoding="utf-8"))["images"][0]
c = {x["id"]: x for x in img["checks"]}
bad = []
for cid, want in (("glare", want_g), ("exposure", want_e)):
    if want == "-":
        continue
    got = c.get(cid, {}).get("status")
    if got != want:
        bad.append(f"{cid} {got} (value {c.get(cid, {}).get('value')}), expected {want}")
if bad:
    print("; ".join(bad))
    sys.exit(1)
PY
    then ok; else fail "$(basename "$f")"; fi
}

#            file                       glare  exposure
judge "$G/back-mrz.jpg"                 pass   pass
judge "$G/flatbed-white.jpg"            pass   pass
judge "$G/white-desk.jpg"               pass   pass
judge "$G/glare-tiny.jpg"               pass   pass
judge "$G/glare-s.jpg"                  warn   pass
judge "$G/glare-m.jpg"                  fail   pass
judge "$G/glare-l.jpg"                  fail   pass
judge "$G/glare-white.jpg"              fail   pass
judge "$IDP_TESTIMG/glare.jpg"          fail   pass
judge "$IDP_TESTIMG/glare-small.jpg"    warn   pass
judge "$IDP_TESTIMG/dark.jpg"           pass   fail
judge "$IDP_TESTIMG/overexposed.jpg"    pass   fail

# the real scans: white backgrounds and light MRZ bands, no reflection
for f in "$IDP_CORPUS"/mrz/*.jpg "$IDP_CORPUS"/mrz/*.png; do
    judge "$f" pass -
done
# the white document and the scan on white are readable
judge "$IDP_CORPUS/mrz/100_pass-uto.jpg" pass pass
judge "$IDP_CORPUS/mrz/0_id-esp.png" pass pass

# the messages say what to do
"$IDPACK" check --json "$G/glare-m.jpg" >"$T/out" 2>&1 || true
expect_grep 'tilt the card' "$T/out" "glare message"
"$IDPACK" check --json --lang it "$IDP_TESTIMG/overexposed.jpg" >"$T/out" 2>&1 || true
expect_grep 'spegni il flash' "$T/out" "Italian washed-out message"
finish
