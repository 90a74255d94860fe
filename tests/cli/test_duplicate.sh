#!/usr/bin/env bash
# The duplicate check compares the documents, not the frames: every pair of
# idp_mkphotos --dup-set (one card shot several ways on the same table,
# dup.tsv) is checked together. Two photos of the same side (the same photo
# re-saved at 60 % and quality 70, a second shot from another angle, the
# card upside down or in a portrait frame, another card of the same design
# and side) fail; a front and a back never do, not even on the same table
# under the same light.
. "$(dirname "$0")/lib.sh"
: "${IDP_MKPHOTOS:?run through ctest}"
D=$T/dup
"$IDP_MKPHOTOS" --dup-set "$D"
python3 - "$IDPACK" "$D" <<'PY' >"$T/pairs" && ok || { fail "duplicate pairs"; sed 's/^/  /' "$T/pairs" >&2; }
import csv, itertools, json, subprocess, sys
idpack, d = sys.argv[1], sys.argv[2]
with open(f"{d}/dup.tsv", encoding="utf-8") as f:
    rows = list(csv.DictReader(f, delimiter="\t"))
if len(rows) < 8:
    print(f"dup.tsv lists {len(rows)} photos")
    sys.exit(1)
bad = []
seen = {"fail": 0, "pass": 0}
for a, b in itertools.combinations(rows, 2):
    out = subprocess.run([idpack, "check", "--json", f"{d}/{a['file']}", f"{d}/{b['file']}"],
                         capture_output=True, text=True)
    images = json.loads(out.stdout)["images"]
    want = "fail" if a["side"] == b["side"] else "pass"
    seen[want] += 1
    for i, img in enumerate(images):
        if not img.get("document", {}).get("found"):
            bad.append(f"{img['file']}: no document found")
        c = [x for x in img["checks"] if x["id"] == "duplicate"]
        if len(c) != 1:
            bad.append(f"{a['file']} + {b['file']}: {len(c)} duplicate checks")
            continue
        c = c[0]
        if c["status"] != want:
            bad.append(f"{a['file']} ({a['side']}) + {b['file']} ({b['side']}): duplicate "
                       f"{c['status']} (value {c['value']}, limit {c['limit']}), expected {want}")
        # the value is bits that differ, judged against the limit
        if not isinstance(c["value"], (int, float)) or (c["value"] <= c["limit"]) != (want == "fail"):
            bad.append(f"{a['file']} + {b['file']}: value {c['value']}, limit {c['limit']}")
        if want == "fail" and f"photo {2 - i}" not in c["message"]:
            bad.append(f"{img['file']}: the message does not name photo {2 - i}: {c['message']!r}")
    if want == "fail" and out.returncode != 1:
        bad.append(f"{a['file']} + {b['file']}: exit {out.returncode}, expected 1")
if seen["fail"] < 10 or seen["pass"] < 10:
    bad.append(f"too few pairs of each kind: {seen}")
for x in bad:
    print(x)
sys.exit(1 if bad else 0)
PY

# the front and back on the same table are not the same photo
expect_exit 0 "$IDPACK" check --json "$D/dup-front.jpg" "$D/dup-back.jpg"
expect_grep '"id": "duplicate",' "$T/out" "front + back"
# the same side twice says so, in English and Italian
expect_exit 1 "$IDPACK" check "$D/dup-front.jpg" "$D/dup-front-again.jpg"
expect_grep 'same side of the document as photo' "$T/out" "front twice"
expect_exit 1 "$IDPACK" check --lang it "$D/dup-front.jpg" "$D/dup-front-again.jpg"
expect_grep 'stesso lato del documento' "$T/out" "front twice (it)"
# without detection, frames are compared: the re-saved copy is still caught
echo '{"document": {"detect": 0}}' >"$T/frames.json"
expect_exit 1 "$IDPACK" check --policy "$T/frames.json" "$D/dup-front.jpg" "$D/dup-front-small.jpg"
expect_grep 'same photo as photo' "$T/out" "re-saved copy, frames"
# a policy can loosen or tighten the limit, within the hash's 255 bits
echo '{"duplicate": {"max_distance": 0, "frame_max_distance": 0}}' >"$T/strict.json"
expect_exit 0 "$IDPACK" check --policy "$T/strict.json" "$D/dup-front.jpg" "$D/dup-front-again.jpg"
echo '{"duplicate": {"max_distance": 256}}' >"$T/bad.json"
expect_exit 65 "$IDPACK" check --policy "$T/bad.json" "$D/dup-front.jpg"
expect_grep 'duplicate.max_distance' "$T/err" "max_distance over 255"
finish
