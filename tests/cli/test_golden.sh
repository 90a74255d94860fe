#!/usr/bin/env bash
# Golden outputs: packages built from generated photos (tests/images/mkphotos.c,
# deterministic) with a fixed date, whose every file (request.pdf, the JPEGs,
# manifest.json, SHA256SUMS) is pinned by SHA-256 in tests/golden/pins.tsv,
# as libjpeg-turbo pins its outputs: any change of an output byte fails here.
# The input photos are pinned too, so a changed generator is told apart from
# a changed pipeline. The same package is then built again in another
# folder, time zone and locale, with SOURCE_DATE_EPOCH instead of --date:
# nothing of that may change a byte.
#
# Changing an output on purpose (docs/library.md, "Golden outputs"):
#   IDP_GOLDEN_WRITE=tests/golden/pins.tsv ctest --test-dir build -R golden
# rewrites the pins; commit them with a line saying why the bytes changed.
. "$(dirname "$0")/lib.sh"
PINS=$IDP_SRC/tests/golden/pins.tsv
FORM=$IDP_SRC/templates/sample-form.txt
export IDPACK_TEMPLATES=$IDP_SRC/templates TZ=UTC LC_ALL=C
unset SOURCE_DATE_EPOCH
DATE=2026-01-02T00:00:00Z
EPOCH=1767312000

# case NAME ARGS...: builds the package NAME into $T/NAME.
build_case() {
    local name=$1; shift
    expect_exit 0 "$IDPACK" build --out "$T/$name" --form "$FORM" --no-ledger --date "$DATE" "$@"
}
build_case card-en --front "$IDP_TESTIMG/sharp.jpg" --back "$IDP_TESTIMG/back.jpg" --lang en
build_case card-it-letter-png --front "$IDP_TESTIMG/sharp.png" --back "$IDP_TESTIMG/back.jpg" \
    --lang it --paper letter
build_case rotated-de --front "$IDP_TESTIMG/rotated6.jpg" --back "$IDP_TESTIMG/back.jpg" --lang de
build_case passport-es --front "$IDP_TESTIMG/sharp.jpg" --set id_type=passport --lang es

# The table: "input" rows for the photos, then each case's files.
{
    for f in sharp.jpg sharp.png back.jpg rotated6.jpg; do
        printf 'input\t%s\t%s\n' "$f" "$(sha256sum <"$IDP_TESTIMG/$f" | cut -c1-64)"
    done
    for c in card-en card-it-letter-png rotated-de passport-es; do
        [ -d "$T/$c" ] || continue
        for f in $(cd "$T/$c" && ls | sort); do
            printf '%s\t%s\t%s\n' "$c" "$f" "$(sha256sum <"$T/$c/$f" | cut -c1-64)"
        done
    done
} >"$T/actual.tsv"

if [ -n "${IDP_GOLDEN_WRITE:-}" ]; then
    { echo "# SHA-256 of the golden outputs (tests/cli/test_golden.sh); rewritten on purpose only."
      cat "$T/actual.tsv"; } >"$IDP_GOLDEN_WRITE"
    echo "wrote $IDP_GOLDEN_WRITE"
fi
grep -v '^#' "$PINS" >"$T/pinned.tsv"
[ "$(wc -l <"$T/pinned.tsv")" -ge 20 ] && ok || fail "$PINS holds only $(wc -l <"$T/pinned.tsv") pins"
while IFS=$'\t' read -r c f h; do
    got=$(awk -F'\t' -v c="$c" -v f="$f" '$1 == c && $2 == f { print $3 }' "$T/actual.tsv")
    if [ "$got" = "$h" ]; then ok
    elif [ "$c" = input ]; then fail "input $f changed (tests/images/mk*.c or their libraries): $got, pinned $h"
    else fail "$c/$f: $got, pinned $h"; fi
done <"$T/pinned.tsv"
# Nothing built that is not pinned.
cut -f1,2 "$T/actual.tsv" | sort >"$T/a"
cut -f1,2 "$T/pinned.tsv" | sort >"$T/p"
comm -23 "$T/a" "$T/p" >"$T/unpinned"
[ ! -s "$T/unpinned" ] && ok || { fail "outputs without a pin:"; head -5 "$T/unpinned" >&2; }

# What must not matter: the folder, the working directory, the time zone,
# the locale, and the date given by SOURCE_DATE_EPOCH instead of --date.
mkdir -p "$T/elsewhere"
(cd "$T/elsewhere" && TZ=America/Los_Angeles LC_ALL=C.UTF-8 SOURCE_DATE_EPOCH=$EPOCH \
    "$IDPACK" build --out "other name" --form "$FORM" --no-ledger --lang en \
    --front "$IDP_TESTIMG/sharp.jpg" --back "$IDP_TESTIMG/back.jpg") >"$T/out" 2>"$T/err" && ok ||
    { fail "the second build of card-en"; head -3 "$T/err" >&2; }
for f in request.pdf id-front.jpg id-back.jpg manifest.json SHA256SUMS; do
    cmp -s "$T/card-en/$f" "$T/elsewhere/other name/$f" && ok ||
        fail "card-en/$f differs when built elsewhere (folder, time zone, locale, SOURCE_DATE_EPOCH)"
done
# The PDF has no time in it but the request's.
grep -a -o -E '/(CreationDate|ModDate) *\(D:[0-9]{8}' "$T/card-en/request.pdf" | sort -u >"$T/dates"
expect_grep 'D:20260102' "$T/dates" "request.pdf's dates"
grep -v 'D:20260102$' "$T/dates" >"$T/other-dates" || true
[ ! -s "$T/other-dates" ] && ok || { fail "request.pdf holds another date:"; cat "$T/other-dates" >&2; }
finish
