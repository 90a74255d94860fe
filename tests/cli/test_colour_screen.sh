# colour and screenshot on realistic photos made by tests/images/mkcolour.py
# (black-and-white, sepia, cyanotype, colour photos of grey documents,
# camera frames of screen sizes without EXIF, phone screenshots) and on the
# real corpus (scans and photos that are neither monochrome nor
# screenshots). docs/checks.md explains each row.
. "$(dirname "$0")/lib.sh"

# a python3 with numpy and PIL (.ci/packages installs python3-numpy and
# python3-pil for the system python3)
PY=$(numpy_python) || PY=
[ -n "$PY" ] || { echo "FAIL: no python3 with numpy and PIL (python3-numpy, python3-pil)" >&2; exit 1; }
"$PY" "$IDP_SRC/tests/images/mkcolour.py" "$IDP_TESTIMG/sharp.png" "$T/img" >"$T/gen.log" 2>&1 ||
    { fail "mkcolour.py failed"; sed 's/^/  /' "$T/gen.log" >&2; }

# statuses FILE: prints "colour-status screenshot-status colour-reason-word"
statuses() {
    "$IDPACK" check --json "$1" >"$T/out" 2>"$T/err" || true
    "$PY" - "$T/out" <<'PY'
import json, sys
try:
    img = json.load(open(sys.argv[1], encoding="utf-8"))["images"][0]
    c = {x["id"]: x for x in img["checks"]}
    print(c["colour"]["status"], c["screenshot"]["status"])
except Exception as e:
    print("unreadable", e)
PY
}

# expect FILE COLOUR SCREENSHOT
expect() {
    local got
    got=$(statuses "$1")
    if [ "$got" = "$2 $3" ]; then ok; else fail "$(basename "$1"): colour, screenshot $got, expected $2 $3"; fi
}

#      file                    colour screenshot
expect "$T/img/sepia.jpg" fail pass         # the classic sepia filter
expect "$T/img/sepia-scan.jpg" fail pass    # a sepia scan: the card fills the frame
expect "$T/img/cyanotype.jpg" fail pass     # toned blue
expect "$T/img/bw-cast.jpg" fail pass       # black and white under warm light, sensor noise
expect "$T/img/greydoc.jpg" pass pass       # grey card, grey desk, skin-tone portrait, red seal
expect "$T/img/wooddoc.jpg" pass pass       # grey card on a wooden desk
expect "$T/img/sepia-photo.jpg" pass pass   # a sepia print on a grey table: a colour photo (known limit)
expect "$T/img/cam-1080x1920.jpg" pass pass # camera frames at screen sizes, EXIF stripped
expect "$T/img/cam-2160x3840.jpg" pass pass
expect "$T/img/cam-1280x720.jpg" pass pass
expect "$T/img/screen-ios.png" pass fail    # status bar, flat UI, no noise
expect "$T/img/screen-android.png" pass fail
expect "$T/img/screen-ios.jpg" pass fail    # the same sent as a JPEG
expect "$T/img/dark.jpg" pass pass          # a colour photo in the dark: its colour still shows
expect "$T/img/dark-bw.jpg" warn pass       # black and white in the dark: too dark to tell, warn

# the messages say what to do
"$IDPACK" check --json --lang en "$T/img/sepia.jpg" >"$T/out" 2>"$T/err" || true
expect_grep 'toned in one colour.*switch off the sepia' "$T/out" "sepia message"
"$IDPACK" check --json --lang it "$T/img/sepia-scan.jpg" >"$T/out" 2>"$T/err" || true
expect_grep 'virata in un solo colore' "$T/out" "Italian sepia message"
"$IDPACK" check --json --lang en "$T/img/dark-bw.jpg" >"$T/out" 2>"$T/err" || true
expect_grep 'too dark to tell whether it is in colour' "$T/out" "too-dark colour message"
"$IDPACK" check --json --lang it "$T/img/dark-bw.jpg" >"$T/out" 2>"$T/err" || true
expect_grep 'troppo scura per capire se è a colori' "$T/out" "Italian too-dark colour message"
"$IDPACK" check --json --lang en "$T/img/screen-ios.png" >"$T/out" 2>"$T/err" || true
expect_grep "This is a screenshot \\(a phone's status bar" "$T/out" "screenshot message"

# The real corpus: scans (no EXIF, some PNG) and camera photos, all in
# colour, none a screenshot.
n=0
for f in "$IDP_CORPUS"/mrz/*.jpg "$IDP_CORPUS"/mrz/*.png "$IDP_CORPUS"/exif-orientation/Portrait_1.jpg \
    "$IDP_CORPUS"/exif-orientation/Landscape_1.jpg; do
    [ -e "$f" ] || continue
    n=$((n + 1))
    expect "$f" pass pass
done
[ "$n" -ge 10 ] && ok || fail "only $n corpus photos found in $IDP_CORPUS"

finish
