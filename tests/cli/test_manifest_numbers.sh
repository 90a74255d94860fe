#!/usr/bin/env bash
# manifest.json writes each check's value and limit rounded to what it
# means, as check --json does (docs/exit-codes.md, "Numbers"): pixels,
# bits and days whole, sharpness (0.001 under 1: a blur in mm) and megapixels
# to 0.1, shares to 0.001,
# colour to 0.0001; never 2711.4000000000001 nor six significant digits of
# noise. Read with jq, and in the file's own text.
. "$(dirname "$0")/lib.sh"
need_tools jq
form=(--set "full_name=Mario Rossi" --set account_email=m@example.com --set id_type=id_card
    --set id_expiry=2040-01-01)
n=0
for pair in "sharp.jpg back.jpg" "slightly-blurred.jpg back.jpg"; do
    set -- $pair
    n=$((n + 1))
    expect_exit 0 "$IDPACK" build --no-ledger --date 2026-11-26 --front "$IDP_TESTIMG/$1" \
        --back "$IDP_TESTIMG/$2" --out "$T/p$n" "${form[@]}"
    M=$T/p$n/manifest.json
    # decimals allowed per check id, the value's own for exposure/corners
    jq -r '.photos[].checks[] | .id as $id | (.value, .limit) | select(. != null) | "\($id) \(.)"' "$M" >"$T/nums"
    [ -s "$T/nums" ] && ok || fail "$M has no check numbers"
    while read -r id v; do
        case $id in
        resolution | duplicate | expiry) max=0 ;;
        limits) max=1 ;;
        sharpness) max=$(awk -v v="$v" 'BEGIN { print (v < 1) ? 3 : 1 }') ;; # under 1: a blur in mm
        colour) max=4 ;;
        exposure | corners) max=$(awk -v v="$v" 'BEGIN { print (v > 1 || v < -1) ? 1 : 3 }') ;;
        *) max=3 ;;
        esac
        dec=0
        case $v in *.*) frac=${v#*.}; frac=${frac%%[eE]*}; dec=${#frac} ;; esac
        [ "$dec" -le "$max" ] && ok || fail "$M: $id $v has $dec decimals, at most $max"
    done <"$T/nums"
    # and in the text jq did not reformat
    expect_no_grep '[0-9]\.[0-9]{5,}' "$M" "manifest.json (a number with 5 or more decimals)"
    # the same numbers as check --json gives for the same photo
    "$IDPACK" check --json "$IDP_TESTIMG/$1" >"$T/c.json" 2>/dev/null || true
    a=$(jq -c '[.photos[0].checks[] | select(.id != "duplicate") | [.id, .value, .limit]]' "$M")
    b=$(jq -c '[.images[0].checks[] | [.id, .value, .limit]]' "$T/c.json")
    [ "$a" = "$b" ] && ok || fail "manifest and check --json differ: $a vs $b"
done
# the package still verifies with its rounded manifest
expect_exit 0 "$IDPACK" verify "$T/p1"
finish
