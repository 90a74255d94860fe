#!/usr/bin/env bash
# Bounded time and memory on crafted photos inside every documented limit
# (docs/bad-input.md, "Bounded time and memory"): colour profiles with
# multi-process elements, JPEG marker floods, progressive JPEGs with too
# many scans or coefficient buffers over the memory budget, PNGs whose
# expansion to RGB is over it, a socket given as a photo. Each is answered
# in under 3 s of CPU and 256 MiB of peak memory, with the documented exit
# code and a message that says why. The files come from mkhostile.py.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3 # numpy and PIL
MK=$IDP_SRC/tests/cli/mkhostile.py
FRONT=${IDP_SPECIMEN:?}/specimen-front.jpg
J=$IDP_CORPUS/jpeg

# bounded CODE PATTERN FILE [CMD...]: `idpack check FILE` (or CMD) exits CODE,
# its output matches PATTERN, and it took under 3 s of CPU (user + system:
# the test machine is shared; wall time is capped at 20 s) and under 256 MiB.
bounded() {
    local code=$1 pat=$2 f=$3 got=0
    shift 3
    [ $# -gt 0 ] || set -- "$IDPACK" check "$f"
    /usr/bin/time -f '%U %S %M' -o "$T/time" timeout 20 "$@" >"$T/out" 2>"$T/err" || got=$?
    read -r u s kb < <(tail -1 "$T/time") || true
    [ "$got" -eq "$code" ] && ok || { fail "$(basename "$f"): exit $got, expected $code"; head -3 "$T/out" "$T/err" >&2; }
    cat "$T/out" "$T/err" >"$T/msg"
    expect_grep "$pat" "$T/msg" "the answer on $(basename "$f")"
    awk -v u="$u" -v s="$s" 'BEGIN { exit !(u + s < 3.0) }' && ok || fail "$(basename "$f"): ${u}+${s} s of CPU"
    [ "${kb:-999999}" -lt 262144 ] && ok || fail "$(basename "$f"): peak ${kb} KB"
    echo "$(basename "$f"): exit $got, ${u}+${s} s, ${kb} KB"
}

# verdict FILE: the exit code of `idpack check FILE`
verdict() { local rc=0; "$IDPACK" check "$1" >/dev/null 2>&1 || rc=$?; echo $rc; }

###### colour profiles: an ICC v4 profile whose D2B0/D2B1 mpet tags repeat
###### one matrix element 20 000 times is ignored (sRGB assumed), with a note
FRONT_RC=$(verdict "$FRONT")
$PY "$MK" icc-mpet 20000 "$FRONT" "$T/icc-mpet.jpg"
bounded "$FRONT_RC" '"icc_ignored": "it has floating-point' "$T/icc-mpet.jpg" \
    "$IDPACK" check --json "$T/icc-mpet.jpg"
$PY "$MK" icc-mpet-png 20000 "$T/icc-mpet.png"
$PY "$MK" icc-plain-png "$T/plain.png"
bounded "$(verdict "$T/plain.png")" "ignorato.*sRGB" "$T/icc-mpet.png" "$IDPACK" check --lang it "$T/icc-mpet.png"
$PY "$MK" icc-mpet-cmyk 3000 "$T/icc-mpet-cmyk.jpg"
$PY "$MK" icc-mpet-cmyk 0 "$T/cmyk.jpg"
bounded "$(verdict "$T/cmyk.jpg")" "ignored" "$T/icc-mpet-cmyk.jpg"
# the pixels are those of the photo without the profile
"$IDPACK" normalize "$T/icc-mpet-cmyk.jpg" -o "$T/a.jpg" >/dev/null 2>&1
"$IDPACK" normalize "$T/cmyk.jpg" -o "$T/b.jpg" >/dev/null 2>&1
cmp -s "$T/a.jpg" "$T/b.jpg" && ok || fail "the CMYK photo with the ignored profile is not read as without it"
# build takes the photo (and the package is made) in bounded time too
bounded 0 "pkg" "$T/icc-mpet.jpg" "$IDPACK" build --front "$T/icc-mpet.jpg" \
    --form "$IDP_SRC/templates/sample-form.txt" --set id_type=passport --out "$T/pkg" --date 2026-11-26 --no-ledger
(cd "$T/pkg" && sha256sum -c --quiet SHA256SUMS) && ok || fail "the package of icc-mpet.jpg does not verify"

###### marker floods: refused while the header is read
$PY "$MK" marker-flood 100000 "$J/testorig.jpg" "$T/flood.jpg"
bounded 65 "flood\.jpg: corrupt JPEG: more than 128 metadata segments" "$T/flood.jpg"
$PY "$MK" marker-flood 60000 "$FRONT" "$T/good-flood.jpg"
bounded 65 "good-flood\.jpg: .*metadata segments" "$T/good-flood.jpg"
$PY "$MK" marker-flood 129 "$FRONT" "$T/flood129.jpg"
bounded 65 "metadata segments" "$T/flood129.jpg"
# under the cap the photo is read as without them
$PY "$MK" marker-flood 120 "$J/testorig.jpg" "$T/flood120.jpg"
bounded "$(verdict "$J/testorig.jpg")" "flood120\.jpg \(227x149\)" "$T/flood120.jpg"

###### progressive JPEGs: scans and coefficient buffers
$PY "$MK" scans 500 4000 3000 3 "$T/scans.jpg"
bounded 65 "scans\.jpg: JPEG whose [0-9]+ scans pass over the image more than 16 times" "$T/scans.jpg"
$PY "$MK" scans 500 64 48 3 "$T/scans-small.jpg"
bounded 65 "scans-small\.jpg: JPEG whose [0-9]+ scans pass over" "$T/scans-small.jpg"
$PY "$MK" scans 500 9000 9000 1 "$T/scans-grey.jpg"
bounded 65 "scans-grey\.jpg: JPEG whose" "$T/scans-grey.jpg"
$PY "$MK" scans 500 8000 8000 3 "$T/scans-big.jpg"
bounded 65 "scans-big\.jpg: decoding the JPEG needs 381 MiB \(367 MiB for the coefficients .* over the 192 MiB memory budget" "$T/scans-big.jpg"
# a few scans over the same large image are read
$PY "$MK" scans 8 2000 1500 3 "$T/scans-ok.jpg"
bounded 1 "scans-ok\.jpg \(2000x1500\)" "$T/scans-ok.jpg"

###### PNGs expanded to RGB over the memory budget
$PY "$MK" png-1bit 10000 10000 "$T/1bit.png"
bounded 65 "1bit\.png: decoding the 10000x10000 PNG needs 287 MiB, over the 192 MiB memory budget" "$T/1bit.png"
bounded 65 "troppa memoria o troppo tempo" "$T/1bit.png" "$IDPACK" check --lang it "$T/1bit.png"
expect_exit 65 "$IDPACK" check --json "$T/1bit.png"
expect_grep '"message": "The photo would take too much memory or time to read safely' "$T/out"
$PY "$MK" png-rgba-adam7 10000 10000 "$T/rgba7.png"
bounded 65 "rgba7\.png: decoding the 10000x10000 interlaced PNG needs 668 MiB" "$T/rgba7.png"
# the budget is configurable: a 2000x2000 1-bit PNG (12 MiB) is read with
# the default, refused with 8 MiB
$PY "$MK" png-1bit 2000 2000 "$T/1bit-small.png"
bounded 1 "1bit-small\.png \(2000x2000\)" "$T/1bit-small.png"
IDPACK_DECODE_MEMORY_MB=8 bounded 65 "needs 12 MiB, over the 8 MiB memory budget" "$T/1bit-small.png" \
    env IDPACK_DECODE_MEMORY_MB=8 "$IDPACK" check "$T/1bit-small.png"

###### a socket given as a photo: 65, at once
$PY -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/sock.jpg"
bounded 65 "sock\.jpg: not a regular file" "$T/sock.jpg"
bounded 65 "sock\.jpg: not a regular file" "$T/sock.jpg" "$IDPACK" build --front "$T/sock.jpg" \
    --form "$IDP_SRC/templates/sample-form.txt" --set id_type=passport --out "$T/pkg2" --date 2026-11-26 --no-ledger
[ ! -e "$T/pkg2" ] && ok || fail "a package was written for a socket"

finish
