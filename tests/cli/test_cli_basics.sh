#!/usr/bin/env bash
# The tool's surface: help, version, usage errors and their exit codes, and
# the JSON shape of `idpack check` for readable, unreadable and missing files.
. "$(dirname "$0")/lib.sh"

# --help goes to stdout with exit 0, for the tool and every command
for cmd in "" check normalize; do
    # shellcheck disable=SC2086
    expect_exit 0 "$IDPACK" $cmd --help
    expect_grep '^Usage: idpack' "$T/out" "idpack $cmd --help"
    [ -s "$T/err" ] && fail "idpack $cmd --help wrote to stderr" || ok
done

# --version names the project version from CMakeLists.txt
want=$(sed -n 's/^project(idpack VERSION \([0-9.]*\).*/\1/p' "$IDP_SRC/CMakeLists.txt")
expect_exit 0 "$IDPACK" --version
expect_grep "^idpack $want\$" "$T/out" "--version"

# usage errors: exit 64, a one-line reason on stderr, nothing on stdout
expect_exit 64 "$IDPACK"
expect_exit 64 "$IDPACK" frobnicate
expect_grep "unknown command 'frobnicate'" "$T/err"
[ -s "$T/out" ] && fail "unknown command wrote to stdout" || ok
expect_exit 64 "$IDPACK" check
expect_grep 'no image given' "$T/err"
expect_exit 64 "$IDPACK" check --bogus x.jpg
expect_grep "unknown option '--bogus'" "$T/err"
expect_exit 64 "$IDPACK" check --json --json x.jpg
expect_grep 'given twice' "$T/err"
expect_exit 64 "$IDPACK" check --lang xx x.jpg
expect_grep "unknown language 'xx'" "$T/err"
expect_exit 64 "$IDPACK" check --policy
expect_grep 'needs a value' "$T/err"

# a missing photo: exit 66, JSON names the file, verdict error, decode failed
expect_exit 66 "$IDPACK" check --json "$T/nosuch.jpg"
python3 - "$T/out" "$T/nosuch.jpg" <<'PY' || fail "JSON for a missing file"
import json, sys
d = json.load(open(sys.argv[1]))
img = d["images"][0]
assert img["file"] == sys.argv[2], img
assert img["verdict"] == "error", img
assert sys.argv[2] in img["error"] and "no such file" in img["error"], img
dec = [c for c in img["checks"] if c["id"] == "decode"]
assert dec and dec[0]["status"] == "fail", img["checks"]
PY
ok

# a file that is not an image: exit 65, the message names the file
printf 'hello, not a photo\n' >"$T/notes.jpg"
expect_exit 65 "$IDPACK" check "$T/notes.jpg"
expect_grep "notes\.jpg" "$T/out"

# the policy file: missing (66), invalid (65)
expect_exit 66 "$IDPACK" check --policy "$T/nopolicy.json" "$IDP_SPECIMEN/specimen-front.jpg"
expect_grep 'nopolicy\.json' "$T/err"
echo '{"sharpness": {"fail": "soft"}}' >"$T/bad.json"
expect_exit 65 "$IDPACK" check --policy "$T/bad.json" "$IDP_SPECIMEN/specimen-front.jpg"
expect_grep 'sharpness' "$T/err"

# the specimen passes or warns; the JSON has the documented shape
expect_exit 0 "$IDPACK" check --json "$IDP_SPECIMEN/specimen-front.jpg" "$IDP_SPECIMEN/specimen-back.jpg"
python3 - "$T/out" <<'PY' || fail "JSON shape of check on the specimen"
import json, sys
d = json.load(open(sys.argv[1]))
ids = ["decode", "limits", "resolution", "sharpness", "exposure", "glare", "colour",
       "screenshot", "duplicate", "document", "corners"]
assert len(d["images"]) == 2
for img in d["images"]:
    doc = img["document"]
    assert doc["found"] is True and doc["kind"] == "id1", doc
    q = doc["quad"]
    assert len(q) == 4 and all(0 <= x <= img["width"] and 0 <= y <= img["height"] for x, y in q), q
    assert img["verdict"] in ("pass", "warn"), img
    assert "error" not in img
    assert isinstance(img["width"], int) and isinstance(img["height"], int)
    got = [c["id"] for c in img["checks"]]
    # the specimen's front carries a machine-readable zone: its expiry is
    # checked too (docs/mrz.md); the back has none
    want = ids + ["expiry"] if img["file"].endswith("front.jpg") else ids
    assert got == want, got
    assert ("mrz" in img) == img["file"].endswith("front.jpg"), img.get("mrz")
    for c in img["checks"]:
        assert c["status"] in ("pass", "warn", "fail"), c
        assert isinstance(c["message"], str) and c["message"], c
        assert set(c) >= {"id", "status", "value", "limit", "message"}, c
PY
ok

# human output: one line per check, Italian with --lang it or the locale
expect_exit 0 "$IDPACK" check "$IDP_SPECIMEN/specimen-front.jpg"
n=$(grep -c -E '^  (ok|warning|FAIL) ' "$T/out" || true)
[ "$n" -eq 11 ] && ok || fail "expected 11 check lines in English (10 and the zone's expiry), got $n"
LANG=it_IT.UTF-8 expect_exit 0 "$IDPACK" check "$IDP_SPECIMEN/specimen-front.jpg"
n=$(grep -c -E '^  (ok|attenzione|RIFIUTATA) ' "$T/out" || true)
[ "$n" -eq 11 ] && ok || fail "expected 11 check lines in Italian from the locale, got $n"
expect_grep 'va bene|avvisi' "$T/out" "Italian verdict"
LANG=it_IT.UTF-8 expect_exit 0 "$IDPACK" check --lang en "$IDP_SPECIMEN/specimen-front.jpg"
expect_grep 'looks good|warnings' "$T/out" "--lang en beats the locale"

finish
