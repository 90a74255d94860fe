#!/usr/bin/env bash
# Valgrind memcheck on the idpack tool: check, build and verify on good
# photos and on bad ones (corrupt, truncated, bombs, PNG, CMYK, --json),
# the specimen package and refusals, good and tampered packages. Each run
# must end with its normal exit code (never valgrind's 99), with no
# invalid read or write and nothing definitely or indirectly lost in the
# tool, and no memory error in the cleanup process it forks. An ASan build
# cannot run under valgrind: the test says so and passes.
. "$(dirname "$0")/lib.sh"

# ASan: a shared runtime (gcc) shows in ldd, a static one (clang) in nm.
# The listings are read whole first: with pipefail, `cmd | grep -q` fails
# when grep stops at the first match and cmd dies of SIGPIPE.
libs=$(ldd "$IDPACK" 2>/dev/null || true)
syms=$({ nm "$IDPACK" 2>/dev/null; nm -D "$IDPACK" 2>/dev/null; } || true)
if grep -q 'libasan' <<<"$libs" || grep -q '__asan_init' <<<"$syms"; then
    echo "SKIP: $IDPACK is built with AddressSanitizer, which cannot run under valgrind"
    ok
    finish
    exit
fi
need_tools valgrind

# libjpeg-turbo's SIMD code is opaque to memcheck's tracking of defined
# bytes: its decoded pixels look uninitialised to valgrind, a known false
# positive (libjpeg-turbo issues #238, #619). Its C code is checked instead.
export JSIMD_FORCENONE=1
SUPP=$IDP_SRC/tests/valgrind.supp
I=$IDP_TESTIMG
S=${IDP_SPECIMEN:?}
DATE=2026-11-26
RUNS=0
MEMORY_ERROR='== (Invalid (read|write|free)|Conditional jump|Use of uninitialised|Syscall param|Mismatched free|Source and destination overlap|Argument .* of function)'

# vg WANT ARGS...: runs idpack ARGS under memcheck (stdout to $T/out,
# stderr to $T/err); the exit code must be WANT, the log clean.
vg() {
    local want=$1 got=0 log
    shift
    RUNS=$((RUNS + 1))
    log=$T/vg-$RUNS.log
    valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite,indirect --track-origins=no --suppressions="$SUPP" \
        --log-file="$log" "$IDPACK" "$@" >"$T/out" 2>"$T/err" || got=$?
    # A forked cleanup process ends after the tool: wait for its summary
    # (every process valgrind followed prints one "ERROR SUMMARY").
    for _ in $(seq 100); do
        [ "$(grep -o '^==[0-9]*==' "$log" | sort -u | wc -l)" -le "$(grep -c 'ERROR SUMMARY' "$log")" ] && break
        sleep 0.1
    done
    # The tool's own process must be clean of errors and leaks. The forked
    # one must make no memory error; its leaks are not judged: it ends with
    # _exit() holding a copy of the tool's heap, and blocks the tool pointed
    # to only from registers (optimised builds) look lost there.
    main=$(grep -m1 -o '^==[0-9]*==' "$log")
    if [ "$got" -eq 99 ] ||
        grep -q -E 'ERROR SUMMARY: [1-9]|definitely lost: [1-9]|indirectly lost: [1-9]' \
            <<<"$(grep "^$main" "$log" || true)" ||
        grep -q -E "$MEMORY_ERROR" <<<"$(grep -v "^$main" "$log" || true)"; then
        fail "valgrind: errors or leaks in idpack $*"
        grep -E -A12 '^==[0-9]+== (Invalid|Conditional|Use of|Syscall|Mismatched|Source and|[0-9,]+ bytes in)' "$log" | head -40 >&2
    elif [ "$got" -ne "$want" ]; then
        fail "exit $got, expected $want: idpack $*"
        sed 's/^/  stderr: /' "$T/err" | head -5 >&2
    elif ! grep -q 'ERROR SUMMARY: 0 errors' "$log"; then
        fail "valgrind did not finish its report for idpack $*"
    else
        ok
    fi
}

# Bad inputs made here (tests/cli/mkbad.py): PNG decompression bombs in
# zTXt and iCCP, a pixel bomb within the side limit, a looping EXIF IFD.
J=$IDP_CORPUS/jpeg
MK=$IDP_SRC/tests/cli/mkbad.py
python3 "$MK" ztxt-bomb "$T/ztxt-bomb.png"
python3 "$MK" iccp-bomb "$T/iccp-bomb.png"
python3 "$MK" pixel-bomb "$T/pixel-bomb.png"
python3 "$MK" exif-loop "$J/testorig.jpg" "$T/exif-loop.jpg"

# check
vg 0 check "$I/sharp.jpg"
vg 0 check --json "$I/sharp.jpg" "$I/back.jpg"
vg 1 check "$I/blurred.jpg" "$I/dark.jpg" "$I/glare.jpg" "$I/tiny.jpg" "$I/sharp.jpg" "$I/front-copy.jpg"
# the same picture three times in PNG (RGB, 16-bit, grey): duplicates, exit 1
vg 1 check --json "$I/sharp.png" "$I/png16.png" "$I/grey.png" "$I/screenshot.png"
# the same picture again (CMYK, Display P3, turned, with GPS): duplicates, exit 1
vg 1 check --lang it "$I/cmyk.jpg" "$I/p3.jpg" "$I/rotated6.jpg" "$I/gps.jpg"
vg 65 check --json "$I/truncated.jpg" "$I/truncated.png" "$I/badcrc.png" "$I/empty.jpg" "$I/text.jpg"
vg 65 check "$I/bomb.png" "$I/bomb.jpg" "$T/pixel-bomb.png" "$T/ztxt-bomb.png" "$T/iccp-bomb.png" \
    "$T/exif-loop.jpg"
vg 65 check --json "$IDP_CORPUS"/pngsuite/png/x*.png
vg 65 check "$J/testimgari.jpg" "$J/testprog.jpg" "$J/testcmyk.jpg" "$J/testgray.jpg" "$J/monkey12.jpg"
# the crafted files of fuzz/regress: a marker flood, a scan flood and a PNG
# over the memory budget (refused), mpet colour profiles (ignored)
R=$IDP_SRC/fuzz/regress
vg 65 check "$R/jpeg/app1-flood-1000.jpg" "$R/jpeg/scans-500.jpg" "$R/png/1bit-10000x10000.png"
vg 1 check --json "$R/png/iccp-mpet-20000.png" "$R/jpeg/cmyk-icc-mpet-3000.jpg"
vg 66 check --json "$T/nosuch.jpg"
echo '{"sharpness": {"fail": "soft"}}' >"$T/policy.json"
vg 65 check --policy "$T/policy.json" "$I/sharp.jpg"

# build: the specimen (signed, JSON), then refusals
FORM=$IDP_SRC/templates/sample-form.txt
openssl genpkey -algorithm ed25519 -out "$T/key.pem" 2>/dev/null
openssl pkey -in "$T/key.pem" -pubout -out "$T/pub.pem"
vg 0 build --front "$S/specimen-front.jpg" --back "$S/specimen-back.jpg" --form "$FORM" \
    --out "$T/pkg" --date $DATE --ledger "$T/ledger.sqlite"
vg 0 build --front "$S/specimen-front.jpg" --set id_type=passport --form "$FORM" --out "$T/signed" --date $DATE \
    --sign "$T/key.pem" --json --no-ledger --lang it
vg 1 build --front "$S/specimen-front.jpg" --set id_type=passport --form "$FORM" --set id_expiry=2020-01-31 \
    --out "$T/r1" --date $DATE --no-ledger
vg 1 build --front "$I/tiny.jpg" --back "$S/specimen-back.jpg" --form "$FORM" \
    --out "$T/r2" --date $DATE --no-ledger --json
vg 65 build --front "$S/specimen-front.jpg" --set id_type=passport --form "$FORM" --set colour=blue \
    --out "$T/r3" --date $DATE --no-ledger
vg 65 build --front "$I/truncated.jpg" --set id_type=passport --form "$FORM" --out "$T/r4" --date $DATE --no-ledger
vg 73 build --front "$S/specimen-front.jpg" --set id_type=passport --form "$FORM" --out "$T/pkg" --date $DATE --no-ledger
head -c 20000 /dev/urandom >"$T/corrupt.sqlite"
vg 74 build --front "$S/specimen-front.jpg" --set id_type=passport --form "$FORM" --out "$T/r5" --date $DATE \
    --ledger "$T/corrupt.sqlite"
for r in r1 r2 r3 r4; do [ -e "$T/$r" ] && fail "$r written after a refusal" || ok; done

# verify: good, signed, tampered, malformed
vg 0 verify "$T/pkg"
vg 0 verify --json --pubkey "$T/pub.pem" "$T/signed"
cp -a "$T/pkg" "$T/tampered"
printf '\x00' | dd of="$T/tampered/id-front.jpg" bs=1 seek=1000 conv=notrunc status=none
rm "$T/tampered/id-back.jpg"
echo extra >"$T/tampered/notes.txt"
vg 1 verify "$T/tampered"
vg 1 verify --json "$T/tampered"
cp -a "$T/signed" "$T/badsig"
head -c 3000 /dev/urandom >"$T/badsig/manifest.json"
vg 1 verify --json --pubkey "$T/pub.pem" "$T/badsig"
vg 66 verify "$T/nosuch"

# HEIC, TIFF (every seed: YCbCr JPEG, 16-bit, CMYK, bilevel, palette,
# tiled, two pages), PDF (the parent side; the rendering process ends with
# _exit and its leaks are not judged), and damaged ones
FZ=$IDP_SRC/fuzz/corpus
vg 1 check "$FZ"/heif/*.heic "$FZ"/tiff/*.tif "$FZ"/pdf/*.pdf
head -c 3000 "$FZ/tiff/rgb-lzw.tif" >"$T/cut.tif"
head -c 1000 "$FZ/heif/rgb8.heic" >"$T/cut.heic"
vg 65 check "$T/cut.tif" "$T/cut.heic"

echo "$RUNS runs under valgrind"
finish
