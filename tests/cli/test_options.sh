#!/usr/bin/env bash
# Options in any position for every command (before, between or after the
# operands, whatever POSIXLY_CORRECT says), '--' ending them, unknown
# options still exit 64 with a usage line; --lang of the tool's messages
# only en and it; write errors on standard output exit 74; JSON numbers
# rounded to what they mean.
. "$(dirname "$0")/lib.sh"
need_tools sqlite3 openssl
FRONT=$IDP_TESTIMG/sharp.jpg
BACK=$IDP_TESTIMG/back.jpg
L=$T/l.sqlite
jget() { sqlite3 :memory: "SELECT json_extract(CAST(readfile('$1') AS TEXT), '$2')"; }
cd "$T"
cp "$FRONT" ./-x.jpg
write_form form.txt "Giulia Bianchi" giulia@example.com id_card 2031-05-31

# ---- check: options after the photos, and '--' before a file named -x.jpg ----
expect_exit 0 "$IDPACK" check "$FRONT" --json
[ "$(jget "$T/out" '$.images[0].verdict')" = pass ] && ok || fail "check IMG --json: no JSON verdict"
expect_exit 0 "$IDPACK" check "$FRONT" --lang it
expect_grep 'va bene' "$T/out" "check IMG --lang it"
expect_exit 0 "$IDPACK" check "$FRONT" --json "$BACK"
[ "$(jget "$T/out" '$.images[1].file')" = "$BACK" ] && ok || fail "check A --json B: B is not the second photo"
POSIXLY_CORRECT=1 "$IDPACK" check "$FRONT" --json >"$T/out" 2>"$T/err" && ok || fail "POSIXLY_CORRECT: check IMG --json refused"
[ "$(jget "$T/out" '$.images[0].verdict')" = pass ] && ok || fail "POSIXLY_CORRECT: check IMG --json"
expect_exit 0 "$IDPACK" check --json -- -x.jpg
[ "$(jget "$T/out" '$.images[0].file')" = -x.jpg ] && ok || fail "check -- -x.jpg"
expect_exit 64 "$IDPACK" check -x.jpg
expect_grep "unknown option '-x'" "$T/err" "check -x.jpg"
expect_exit 64 "$IDPACK" check "$FRONT" --bogus
expect_grep "^Run 'idpack check --help' for usage" "$T/err" "check IMG --bogus"
expect_exit 64 "$IDPACK" check "$FRONT" --json=yes
expect_grep "'--json' takes no value" "$T/err" "check --json=yes"
expect_exit 64 "$IDPACK" check "$FRONT" --policy
expect_grep "'--policy' needs a value" "$T/err" "check IMG --policy"

# ---- --lang of the tool's messages: en and it only ---------------------------
for l in de fr es xx; do
    expect_exit 64 "$IDPACK" check --lang $l "$FRONT"
    expect_grep "unknown language '$l'.*en, it" "$T/err" "check --lang $l"
    [ -s "$T/out" ] && fail "check --lang $l printed results" || ok
done
LC_ALL=de_DE.UTF-8 "$IDPACK" check "$FRONT" >"$T/out" 2>&1 && ok || fail "check in a German locale"
expect_grep 'looks good' "$T/out" "check in a German locale (English)"

# ---- normalize ----------------------------------------------------------------
expect_exit 0 "$IDPACK" normalize "$FRONT" -o n1.jpg --quality 80
[ -s n1.jpg ] && ok || fail "normalize IMG -o n1.jpg --quality 80 wrote nothing"
expect_exit 0 "$IDPACK" normalize -o n2.jpg --no-crop -- -x.jpg
[ -s n2.jpg ] && ok || fail "normalize -o n2.jpg -- -x.jpg wrote nothing"
expect_exit 64 "$IDPACK" normalize "$FRONT" -o n3.jpg --frobnicate
expect_exit 64 "$IDPACK" normalize "$FRONT" -o n3.jpg -- --json
expect_grep "one image at a time" "$T/err" "normalize IMG -- --json"

# ---- build (options only: a stray word or a word after -- is refused) -----------
expect_exit 0 "$IDPACK" build --out pkg --form form.txt --date 2026-11-26 --front "$FRONT" \
    --no-ledger --back "$BACK" --json
[ "$(jget "$T/out" '$.status')" = ok ] && ok || fail "build: options in any order"
expect_exit 64 "$IDPACK" build --out pkg2 --form form.txt --front "$FRONT" stray --no-ledger
expect_grep "unexpected argument 'stray'" "$T/err" "build stray"
expect_exit 64 "$IDPACK" build --out pkg2 --form form.txt --front "$FRONT" --no-ledger -- -x.jpg
[ ! -e pkg2 ] && ok || fail "a refused build wrote pkg2"

# ---- verify: DIR first, the options after, as --help and the docs write it ------
openssl genpkey -algorithm ed25519 -out key.pem 2>/dev/null
openssl pkey -in key.pem -pubout -out pub.pem 2>/dev/null
expect_exit 0 "$IDPACK" build --front "$FRONT" --back "$BACK" --form form.txt --out ./-pkg \
    --date 2026-11-26 --no-ledger --sign key.pem
expect_exit 0 "$IDPACK" verify --pubkey pub.pem -- -pkg
expect_grep 'signature valid' "$T/out" "verify --pubkey PUB -- -pkg"
expect_exit 64 "$IDPACK" verify -- -pkg --pubkey pub.pem
expect_grep "'--pubkey' is extra" "$T/err" "verify -- DIR --pubkey: after --, an operand"
expect_exit 0 "$IDPACK" verify pkg --json
[ "$(jget "$T/out" '$.status')" = ok ] && ok || fail "verify DIR --json"
expect_exit 0 "$IDPACK" verify ./-pkg --pubkey pub.pem --json
[ "$(jget "$T/out" '$.signature')" = valid ] && ok || fail "verify DIR --pubkey PUB --json"
expect_exit 64 "$IDPACK" verify pkg --bogus
expect_exit 64 "$IDPACK" verify pkg extra

# ---- demo, batch: options only, any order; stray words refused --------------------
expect_exit 64 "$IDPACK" demo stray --json
expect_grep "unexpected argument 'stray'" "$T/err" "demo stray"
expect_exit 64 "$IDPACK" batch --out b stray --csv c.csv
expect_grep "unexpected argument 'stray'" "$T/err" "batch stray"
printf 'customer,front,back,full_name,account_email,id_type,id_expiry\nacme,f.jpg,b.jpg,Ann Lee,ann@example.com,id_card,2031-05-31\n' >c.csv
cp "$FRONT" f.jpg; cp "$BACK" b.jpg
expect_exit 0 "$IDPACK" batch --out b --no-ledger -j 1 --csv c.csv --date 2026-11-26 --json
[ "$(jget "$T/out" '$.summary.ok')" = 1 ] && ok || fail "batch: options in any order"

# ---- profile and drop -----------------------------------------------------------
expect_exit 0 "$IDPACK" profile set full_name="Giulia Bianchi" account_email=giulia@example.com \
    id_type=passport id_expiry=2031-05-31
expect_exit 0 "$IDPACK" profile --json show
[ "$(jget "$T/out" '$.complete')" = 1 ] && ok || fail "profile --json show"
expect_exit 0 "$IDPACK" profile show --json
[ "$(jget "$T/out" '$.complete')" = 1 ] && ok || fail "profile show --json"
expect_exit 64 "$IDPACK" profile set --json lang=it
expect_exit 64 "$IDPACK" profile show --bogus
mkdir d; cp "$FRONT" d/-p.jpg
(cd d && "$IDPACK" drop --no-notify --date 2026-11-26 -- -p.jpg) >"$T/out" 2>"$T/err" \
    && ok || { fail "drop -- -p.jpg --no-notify ..."; sed 's/^/  /' "$T/err" >&2; }
ls d/idpack-package-*/request.pdf >/dev/null 2>&1 && ok || fail "drop -- -p.jpg wrote no package: $(ls d)"
mkdir d2; cp "$FRONT" d2/passport.jpg
expect_exit 0 "$IDPACK" drop d2/passport.jpg --no-notify --date 2026-11-26 --no-ledger
ls d2/idpack-package-2026-11-26-*/request.pdf >/dev/null 2>&1 && ok || fail "drop PHOTO --no-notify --date D: no package for that day"
expect_exit 64 "$IDPACK" drop d/-p.jpg --no-notify --frobnicate
expect_exit 0 "$IDPACK" profile set -- store_name=-Casa-
expect_grep '^store_name = -Casa-$' "$XDG_CONFIG_HOME/idpack/profile.ini" "profile set -- KEY=-VALUE"

# ---- track: options before or after the subcommand and its arguments ---------------
expect_exit 0 "$IDPACK" build --front "$FRONT" --back "$BACK" --form form.txt --out tpk \
    --date 2026-11-26 --ledger "$L" --json
REF=$(jget "$T/out" '$.reference')
expect_exit 0 "$IDPACK" track --ledger "$L" --json list
[ "$(jget "$T/out" '$.packages[0].reference')" = "$REF" ] && ok || fail "track --ledger L --json list"
expect_exit 0 "$IDPACK" track mark --ledger "$L" "$REF" --at 2026-11-26T10:00:00Z submitted --case 42
expect_exit 0 "$IDPACK" track --json show "$REF" --ledger "$L"
[ "$(jget "$T/out" '$.package.case_id')" = 42 ] && ok || fail "track mark: options between the arguments"
expect_exit 0 "$IDPACK" track note "$REF" --ledger "$L" --at 2026-11-27 -- "-3 days to go"
expect_exit 0 "$IDPACK" track show "$REF" --ledger "$L" --json
[ "$(jget "$T/out" '$.events[2].note')" = "-3 days to go" ] && ok || fail "track note -- -TEXT"
expect_exit 64 "$IDPACK" track list --case 42 --ledger "$L"
expect_grep "case does not apply" "$T/err" "track list --case"
expect_exit 64 "$IDPACK" track --bogus list --ledger "$L"
expect_grep "^Run 'idpack track --help'" "$T/err" "track --bogus"
expect_exit 0 "$IDPACK" track --help list
expect_grep '^Usage: idpack track list' "$T/out" "track --help list"

# ---- write errors on standard output: 74 ---------------------------------------------
full() { local want=$1; shift; local got=0; "$@" >/dev/full 2>"$T/err" || got=$?
    [ "$got" = "$want" ] && ok || fail "exit $got, expected $want, with stdout /dev/full: $*"; }
full 74 "$IDPACK" verify pkg --json
full 74 "$IDPACK" verify pkg
full 74 "$IDPACK" check "$FRONT" --json
full 74 "$IDPACK" check "$FRONT"
full 74 "$IDPACK" track list --ledger "$L" --json
full 74 "$IDPACK" profile show
full 74 "$IDPACK" --help
full 74 "$IDPACK" check --help
expect_grep 'standard output' "$T/err" "the message of a write error"

# ---- JSON numbers: rounded to what they mean -----------------------------------------
"$IDPACK" check --json "$FRONT" "$BACK" "$IDP_TESTIMG/blurred.jpg" "$IDP_TESTIMG/glare.jpg" \
    "$IDP_TESTIMG/bw.jpg" "$IDP_TESTIMG/rotated6.jpg" >"$T/nums.json" 2>/dev/null || true
/usr/bin/python3 - "$T/nums.json" <<'PY' && ok || fail "JSON numbers not rounded"
import json, re, sys
text = open(sys.argv[1]).read()
# no number anywhere with more than 4 decimals or 15 significant digits
bad = [n for n in re.findall(r'-?\d+\.\d+(?:[eE][-+]?\d+)?', text)
       if len(n.split('.')[1]) > 4]
assert not bad, bad
want = {"resolution": 0, "duplicate": 0, "sharpness": 1, "limits": 1, "colour": 4}
def decimals(v):
    s = repr(float(v))
    return 0 if s.endswith('.0') else len(s.split('.')[1])
d = json.loads(text)
seen = 0
for img in d["images"]:
    for c in img["checks"]:
        for k in ("value", "limit"):
            v = c[k]
            if v is None: continue
            seen += 1
            assert decimals(v) <= want.get(c["id"], 3), (c["id"], k, v)
    doc = img.get("document")
    if doc:
        assert decimals(doc["confidence"]) <= 2, doc["confidence"]
        for x, y in doc["quad"] or []:
            assert decimals(x) <= 1 and decimals(y) <= 1, doc["quad"]
assert seen > 20, seen
PY
finish
