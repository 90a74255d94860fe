# Flatbed scans as scanners write them (tests/realistic/mkscans.py, tune
# textures; docs/detection.md "Round 7"): the lid's light drifting across the
# bed, the shadow the document's thickness casts on the lid, a line at the
# glass's edge. Before round 7 the border's edge was lost on a side and the
# frame's edge taken instead (scan-lit-13, -34: IoU 0.84 and 0.82, wrong
# quads; scan-lit-01: not found), and with the scan refused a printed box
# could win (5001 scan-flat-35, the portrait: IoU 0.14). Now: no wrong quad,
# the others found at IoU >= 0.9.
# Round 8: a side behind a line at the frame's edge (the glass's, 2-3 px:
# 5001 scan-flat-00, -09, -35) and an app crop's 14-px sliver of dark desk
# (5004 scan-app-14) were refused outright by round 7's rule (a flat field
# of the border's level on a side whose edge was not found): no quad, so
# `document` failed. Now the side is walked again from past the line and
# all four are found at IoU >= 0.9. And where the border seen on the other
# sides vouches for the field, deeper (a border of 7-8 % on a card's short
# side: 5004 scan-flat-18) and fainter (a pale card against the lit lid,
# 44 of 64 lines: 5002 scan-lit-34) edges are taken: no quad before. And a
# side whose lid the lamp shades (no flat field of the border's level) is
# walked the same way: 5003 scan-lit-25, IoU 0.89 before (a wrong quad).
. "$(dirname "$0")/lib.sh"

if ! PY=$(numpy_python /usr/bin/python3 python3); then
    echo "SKIP: python3 with numpy and PIL (python3-numpy, python3-pil) not found"
    exit 0
fi
R="$IDP_SRC/tests/realistic"
expect_exit 0 "$PY" "$R/mkscans.py" --corpus "$IDP_CORPUS" --set tune --seed 5002 --count 36 \
    --only scan-lit-01 scan-lit-13 scan-lit-25 scan-lit-34 -- "$T/a"
expect_exit 0 "$PY" "$R/mkscans.py" --corpus "$IDP_CORPUS" --set tune --seed 5001 --count 36 \
    --only scan-flat-00 scan-flat-09 scan-flat-35 -- "$T/b"
expect_exit 0 "$PY" "$R/mkscans.py" --corpus "$IDP_CORPUS" --set tune --seed 5004 --count 36 \
    --only scan-app-14 scan-flat-18 -- "$T/c"
expect_exit 0 "$PY" "$R/mkscans.py" --corpus "$IDP_CORPUS" --set tune --seed 5003 --count 36 \
    --only scan-lit-25 -- "$T/d"
for d in a b c d; do
    expect_exit 0 "$PY" "$R/evaluate.py" "$IDPACK" "$T/$d" --json "$T/$d.json" --max-wrong-quads 0
    cat "$T/out"
    expect_grep '^wrong quads: 0$' "$T/out" "no wrong quad ($d)"
done
cat >"$T/found.py" <<'PYEOF'
import json, sys
bad = 0
for path, want in [(sys.argv[1], ["scan-lit-01", "scan-lit-13", "scan-lit-25", "scan-lit-34"]),
                   (sys.argv[2], ["scan-flat-00", "scan-flat-09", "scan-flat-35"]),
                   (sys.argv[3], ["scan-app-14", "scan-flat-18"]),
                   (sys.argv[4], ["scan-lit-25"])]:
    r = {p["file"].rsplit(".", 1)[0]: p for p in json.load(open(path))["photos"]}
    for f, p in sorted(r.items()):
        print(f, p["quad_result"], p["iou"])
        if p["quad_result"] == "wrong" or (f in want and p["quad_result"] != "correct"):
            bad += 1
sys.exit(1 if bad else 0)
PYEOF
expect_exit 0 "$PY" "$T/found.py" "$T/a.json" "$T/b.json" "$T/c.json" "$T/d.json"
cat "$T/out"

# Round 9: the corpus's real scans re-saved, cropped loosely on a lid,
# halved (tests/realistic/mkvariants.py). Before it, a lid wider than a
# border all round was taken for a scan's document filling the frame
# (100_id-mac-border10, 53_id-d-border10: IoU 0.64, 0.63; the card found
# inside at 0.999 lost to it), and a lid running on past 8 % below a card
# whose white band meets it gave the frame's edge for that side
# (100_id-si-white, -border10: IoU 0.87, 0.60). Now the two cards are found
# and 100_id-si's variants get no outline; the one wrong quad left is
# 24_pass-egy-q50 (IoU 0.84: a margin read from the MRZ's baseline).
expect_exit 0 "$PY" "$R/mkvariants.py" --corpus "$IDP_CORPUS" "$T/v"
expect_exit 0 "$PY" "$R/evaluate.py" "$IDPACK" "$T/v" --json "$T/v.json" --max-wrong-quads 1
cat "$T/out"
cat >"$T/variants.py" <<'PYEOF'
import json, sys
r = {p["file"]: p for p in json.load(open(sys.argv[1]))["photos"]}
bad = 0
for f in ("100_id-mac-border10.jpg", "53_id-d-border10.jpg"):
    print(f, r[f]["quad_result"], r[f]["iou"])
    bad += r[f]["quad_result"] != "correct"
for f in ("100_id-si-white.jpg", "100_id-si-border10.jpg"):
    print(f, r[f]["quad_result"], r[f]["iou"])
    bad += r[f]["quad_result"] == "wrong"
wrong = sorted(f for f, p in r.items() if p["quad_result"] == "wrong")
print("wrong:", wrong)
bad += wrong not in ([], ["24_pass-egy-q50.jpg"])
sys.exit(1 if bad else 0)
PYEOF
expect_exit 0 "$PY" "$T/variants.py" "$T/v.json"
cat "$T/out"
finish
