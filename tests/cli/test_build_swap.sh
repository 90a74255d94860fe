#!/usr/bin/env bash
# build confirms, through the descriptors it wrote with, that the folder it
# reports is the one it wrote: when the output's parent folder is moved
# away and replaced by a link just before the package is renamed into
# place (a shim, IDP_SWAPSHIM, does it at that moment), build does not
# report a package written: exit 73, the message says the folder changed,
# and the package written into the moved folder is taken back.
. "$(dirname "$0")/lib.sh"
: "${IDP_SWAPSHIM:?run through ctest}"
mkdir -p "$T/parent" "$T/decoy"
build() {
    "$IDPACK" build --front "$IDP_TESTIMG/sharp.jpg" --back "$IDP_TESTIMG/back.jpg" \
        --set full_name="Mario Rossi" --set account_email=mario@example.com \
        --set id_type=id_card --set id_expiry=2031-05-31 --date 2026-11-26 --out "$1"
}
# without the race: the shim loaded but idle, the build is reported
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 LD_PRELOAD=$IDP_SWAPSHIM expect_exit 0 build "$T/parent/ok"
expect_exit 0 "$IDPACK" verify "$T/parent/ok"

export IDP_SWAP_PARENT=$T/parent IDP_SWAP_DECOY=$T/decoy
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 LD_PRELOAD=$IDP_SWAPSHIM expect_exit 73 build "$T/parent/pkg"
unset IDP_SWAP_PARENT IDP_SWAP_DECOY
[ -L "$T/parent" ] && [ -d "$T/parent.moved" ] && ok || fail "the shim did not swap the folder"
expect_grep 'changed while the package was written' "$T/err"
expect_no_grep 'Package written|written to' "$T/out" "stdout"
[ -e "$T/parent.moved/pkg" ] && fail "the package was left in the moved folder" || ok
[ -z "$(ls -A "$T/decoy")" ] && ok || fail "something was written through the link: $(ls -A "$T/decoy")"
[ -z "$(find "$T/parent.moved" -name '.pkg.idpack-*')" ] && ok || fail "a temporary was left"
finish
