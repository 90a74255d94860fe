#!/usr/bin/env bash
# batch --resume keeps a package in place only if it is a real folder (not
# a link), verifies, and belongs to its row (its reference is the one the
# row's fields, language and date give with the package's own photos);
# anything else is rebuilt: two packages swapped, a link to a package
# elsewhere, a row whose data changed.
. "$(dirname "$0")/lib.sh"
D=$T/data
mkdir -p "$D/photos"
cp "$IDP_TESTIMG/sharp.jpg" "$IDP_TESTIMG/back.jpg" "$IDP_TESTIMG/camera.jpg" "$D/photos/"
cat >"$D/c.csv" <<CSV
customer,front,back,full_name,account_email,id_type,id_expiry
Alpha,photos/sharp.jpg,photos/back.jpg,Anna Alpha,a@example.com,id_card,2031-05-31
Beta,photos/camera.jpg,photos/back.jpg,Bruno Beta,b@example.com,id_card,2031-05-31
CSV
O=$T/o
run() { "$IDPACK" batch --csv "$1" --out "$O" --no-ledger -j 2 --date 2026-11-26 --resume --json >"$T/out" 2>"$T/err" || true; }
status() { /usr/bin/python3 -c 'import json,sys; print(" ".join(r["status"] for r in json.load(open(sys.argv[1]))["rows"]))' "$T/out"; }
ref() { /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["reference"])' "$1/manifest.json"; }

run "$D/c.csv"
[ "$(status)" = "ok ok" ] && ok || fail "first run: $(status)"
RA=$(ref "$O/alpha") RB=$(ref "$O/beta")
run "$D/c.csv"
[ "$(status)" = "skipped skipped" ] && ok || fail "unchanged packages: $(status)"

# 1. two packages swapped: both verify, neither belongs to its row
mv "$O/alpha" "$O/x" && mv "$O/beta" "$O/alpha" && mv "$O/x" "$O/beta"
expect_exit 0 "$IDPACK" verify "$O/alpha"
run "$D/c.csv"
[ "$(status)" = "ok ok" ] && ok || fail "swapped packages were kept: $(status)"
[ "$(ref "$O/alpha")" = "$RA" ] && [ "$(ref "$O/beta")" = "$RB" ] && ok || fail "swapped packages not rebuilt as their rows"

# 2. a link in place of a package (to a copy of it, which verifies)
cp -r "$O/alpha" "$T/elsewhere"
rm -rf "$O/alpha" && ln -s "$T/elsewhere" "$O/alpha"
run "$D/c.csv"
[ "$(status)" = "ok skipped" ] && ok || fail "a link was accepted as a package: $(status)"
[ -d "$O/alpha" ] && [ ! -L "$O/alpha" ] && ok || fail "alpha is still a link"
expect_exit 0 "$IDPACK" verify "$T/elsewhere" # what the link pointed to is untouched

# 3. a row's data changed: its package is rebuilt, the other kept
sed 's/b@example.com/bruno@example.com/' "$D/c.csv" >"$D/c2.csv"
run "$D/c2.csv"
[ "$(status)" = "skipped ok" ] && ok || fail "a changed row's package was kept: $(status)"
[ "$(ref "$O/beta")" != "$RB" ] && ok || fail "beta was not rebuilt from its new data"
finish
