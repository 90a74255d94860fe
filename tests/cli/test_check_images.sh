# idpack check --json on every synthetic photo of tests/images/expected.tsv:
# the verdict, the deciding check's status and the exit status; then the
# duplicate check on pairs, Italian messages and a policy file.
. "$(dirname "$0")/lib.sh"

EXPECTED="$IDP_SRC/tests/images/expected.tsv"
[ -s "$EXPECTED" ] || { echo "FAIL: $EXPECTED missing" >&2; exit 1; }

# judge JSON MODE [ARGS...]: checks the JSON output of idpack check in python;
# output; prints one line per problem and exits non-zero if any.
judge() {
    python3 - "$@" <<'PY'
import json, math, sys

path, mode, *args = sys.argv[1:]
problems = []
try:
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    images = doc["images"]
except Exception as e:  # not JSON, or not the documented shape
    print(f"bad JSON output: {e}")
    sys.exit(1)

def check(img, cid):
    for c in img.get("checks", []):
        if c.get("id") == cid:
            return c
    return None

def shape(img):
    for key in ("file", "verdict", "width", "height", "checks"):
        if key not in img:
            problems.append(f"{img.get('file')}: no '{key}'")
    for c in img.get("checks", []):
        for key in ("id", "status", "value", "limit", "message"):
            if key not in c:
                problems.append(f"{img.get('file')}: check {c.get('id')} has no '{key}'")
        if c.get("status") not in ("pass", "warn", "fail"):
            problems.append(f"{img.get('file')}: check {c.get('id')} status {c.get('status')!r}")
        if not isinstance(c.get("message"), str) or len(c.get("message", "")) < 3:
            problems.append(f"{img.get('file')}: check {c.get('id')} has no message")
    ids = [c.get("id") for c in img.get("checks", [])]
    if len(ids) != len(set(ids)):
        problems.append(f"{img.get('file')}: a check is reported twice: {ids}")

if mode == "row":
    verdict, cid, status = args
    if len(images) != 1:
        problems.append(f"{len(images)} images in the output, expected 1")
    else:
        img = images[0]
        shape(img)
        if img.get("verdict") != verdict:
            bad = [f"{c['id']}={c['status']}" for c in img.get("checks", []) if c.get("status") != "pass"]
            problems.append(f"verdict {img.get('verdict')}, expected {verdict} ({' '.join(bad) or 'all pass'})")
        if verdict == "error":
            if not img.get("error"):
                problems.append("verdict error without an 'error' message")
            elif img["file"].rsplit("/", 1)[-1] not in img["error"]:
                problems.append(f"error message does not name the file: {img['error']!r}")
        else:
            if "error" in img:
                problems.append(f"'error' on a readable image: {img['error']!r}")
            if not isinstance(img.get("width"), int) or img["width"] <= 0:
                problems.append(f"width {img.get('width')!r}")
            if check(img, "duplicate") is not None:
                problems.append("duplicate check with a single image")
        if cid == "-":
            for c in img.get("checks", []):
                if c.get("status") != status:
                    problems.append(f"{c['id']} is {c['status']} (value {c['value']}, limit {c['limit']}), expected {status}")
        else:
            c = check(img, cid)
            if c is None:
                problems.append(f"no '{cid}' check")
            elif c.get("status") != status:
                problems.append(f"{cid} is {c.get('status')} (value {c.get('value')}, limit {c.get('limit')}), expected {status}")
elif mode == "dup":
    # dup STATUS: every image's duplicate check has STATUS
    (status,) = args
    if len(images) != 2:
        problems.append(f"{len(images)} images in the output, expected 2")
    for i, img in enumerate(images):
        shape(img)
        c = check(img, "duplicate")
        if c is None:
            problems.append(f"{img.get('file')}: no duplicate check")
        elif c.get("status") != status:
            problems.append(f"{img.get('file')}: duplicate is {c.get('status')} (value {c.get('value')}), expected {status}")
        elif status == "fail" and str(2 - i) not in c.get("message", ""):
            problems.append(f"{img.get('file')}: duplicate message does not name photo {2 - i}: {c.get('message')!r}")
        want = "fail" if status == "fail" else img.get("verdict")
        if img.get("verdict") != want:
            problems.append(f"{img.get('file')}: verdict {img.get('verdict')}, expected {want}")
elif mode == "message":
    # message CHECK TEXT: the check's message contains TEXT
    cid, text = args
    c = check(images[0], cid)
    if c is None or text not in c.get("message", ""):
        problems.append(f"{cid} message lacks {text!r}: {c and c.get('message')!r}")
elif mode == "status":
    # status CHECK STATUS
    cid, status = args
    c = check(images[0], cid)
    if c is None or c.get("status") != status:
        problems.append(f"{cid}: {c and c.get('status')}, expected {status}")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
PY
}

# expect_json WHAT JUDGE-ARGS...: runs judge on $T/out and records the result.
expect_json() {
    local what=$1; shift
    if judge "$T/out" "$@" >"$T/problems" 2>&1; then
        ok
    else
        fail "$what"; sed 's/^/  /' "$T/problems" | head -8 >&2
    fi
}

# Every photo of expected.tsv, alone.
rows=0
while IFS=$'\t' read -r file verdict check status _note; do
    [ "$file" = "file" ] && continue
    [ -n "$file" ] || continue
    rows=$((rows + 1))
    case $verdict in
    pass | warn) code=0 ;;
    fail) code=1 ;;
    error) code=65 ;;
    *) fail "$EXPECTED: unknown verdict '$verdict' for $file"; continue ;;
    esac
    if [ ! -e "$IDP_TESTIMG/$file" ]; then
        fail "$IDP_TESTIMG/$file was not generated"
        continue
    fi
    expect_exit "$code" "$IDPACK" check --json "$IDP_TESTIMG/$file"
    expect_json "$file: expected $verdict, $check $status" row "$verdict" "$check" "$status"
done <"$EXPECTED"
[ "$rows" -ge 20 ] && ok || fail "only $rows rows in $EXPECTED"

# The same photo twice (re-encoded and scaled): duplicate fails on both.
expect_exit 1 "$IDPACK" check --json "$IDP_TESTIMG/sharp.jpg" "$IDP_TESTIMG/front-copy.jpg"
expect_json "sharp.jpg + front-copy.jpg: duplicate" dup fail

# Front and back: no duplicate failure.
expect_exit 0 "$IDPACK" check --json "$IDP_TESTIMG/sharp.jpg" "$IDP_TESTIMG/back.jpg"
expect_json "sharp.jpg + back.jpg: not a duplicate" dup pass

# Messages in plain words, in Italian on request.
expect_exit 1 "$IDPACK" check --json --lang it "$IDP_TESTIMG/blurred.jpg"
expect_json "Italian blur message" message sharpness "sfocata"
expect_exit 1 "$IDPACK" check --json --lang en "$IDP_TESTIMG/blurred.jpg"
expect_json "English blur message" message sharpness "hold the phone steady"

# A policy file moves the limits: with a very low bar the blurred photo passes
# sharpness; an invalid policy is refused naming the key.
printf '{"sharpness": {"fail": 1, "warn": 2}}\n' >"$T/lenient.json"
expect_exit 0 "$IDPACK" check --json --policy "$T/lenient.json" "$IDP_TESTIMG/blurred.jpg"
expect_json "lenient policy: blurred passes sharpness" status sharpness pass
printf '{"sharpness": {"fail": 100, "warn": 50}}\n' >"$T/contradiction.json"
code=0
"$IDPACK" check --policy "$T/contradiction.json" "$IDP_TESTIMG/sharp.jpg" >"$T/out" 2>"$T/err" || code=$?
[ "$code" -ne 0 ] && ok || fail "a contradictory policy was accepted"
expect_grep "sharpness.fail" "$T/err" "stderr for a contradictory policy"

finish
