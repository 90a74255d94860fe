#!/usr/bin/env bash
# cmake --install into a temporary prefix, then the installed idpack from
# another folder: demo, the data found relative to the binary, the desktop
# entry validated and launched through a real launcher (gio launch), the
# man page, --help and usage errors.
. "$(dirname "$0")/lib.sh"
need_tools cmake desktop-file-validate gio man col groff pdftotext sha256sum img2pdf
BUILD=$(cd "$(dirname "$IDPACK")" && pwd)
[ -f "$BUILD/CMakeCache.txt" ] && ok || { fail "$BUILD is not the build folder"; finish; }
PREFIX=$T/prefix
cmake --install "$BUILD" --prefix "$PREFIX" >"$T/install.log" 2>&1 && ok || { fail "cmake --install"; tail -5 "$T/install.log" >&2; finish; }
for f in bin/idpack share/idpack/templates/2fa-reset.en.json share/idpack/templates/2fa-reset.it.json \
    share/idpack/templates/sample-form.txt share/idpack/specimen/specimen-front.jpg \
    share/idpack/specimen/specimen-back.jpg share/applications/idpack.desktop \
    share/man/man1/idpack.1 share/bash-completion/completions/idpack; do
    [ -f "$PREFIX/$f" ] && ok || fail "$f is not installed"
done
[ -x "$PREFIX/bin/idpack" ] && ok || fail "bin/idpack is not executable"
[ -x "$PREFIX/libexec/idpack/idpack-pdf-render" ] && ok || fail "libexec/idpack/idpack-pdf-render is not installed"
# poppler (GPL) is linked by that program alone (docs/dependencies.md)
ldd "$PREFIX/libexec/idpack/idpack-pdf-render" >"$T/ldd"
grep -q libpoppler "$T/ldd" && ok || fail "idpack-pdf-render does not link poppler"
for f in "$PREFIX/bin/idpack" "$PREFIX"/lib*/libidpack.so; do
    ldd "$f" >"$T/ldd" && grep -q libc.so "$T/ldd" || fail "ldd $f"
    ! grep -E -q 'libpoppler|libcairo' "$T/ldd" && ok || fail "$f links poppler or cairo"
done
# The tool links the shared library like any other program: it needs
# libidpack.so.X.Y, found through $ORIGIN (so the prefix can move), and
# holds none of the library's functions itself (no static archive in it).
SONAME=$(readelf -d "$PREFIX"/lib*/libidpack.so | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[[ "$SONAME" =~ ^libidpack\.so\.[0-9]+(\.[0-9]+)?$ ]] && ok || fail "libidpack.so's SONAME is '$SONAME'"
readelf -d "$PREFIX/bin/idpack" >"$T/dyn"
expect_grep "(NEEDED).*\[$SONAME\]" "$T/dyn" "readelf -d bin/idpack"
expect_grep '(RUNPATH|RPATH).*\[\$ORIGIN/\.\./lib' "$T/dyn" "readelf -d bin/idpack"
! grep -q "$BUILD" "$T/dyn" && ok || fail "the installed idpack keeps the build folder in its RUNPATH"
ldd "$PREFIX/bin/idpack" >"$T/ldd"
LOADED=$(awk -v so="$SONAME" '$1 == so {print $3}' "$T/ldd")
[ -n "$LOADED" ] && [ "$(realpath "$LOADED")" = "$(realpath "$PREFIX"/lib*/"$SONAME")" ] && ok \
    || fail "the installed idpack does not load the installed $SONAME: $(grep idpack "$T/ldd")"
nm --defined-only "$PREFIX/bin/idpack" | awk '$2 ~ /^[TtWw]$/ && $3 ~ /^idp_/' >"$T/own"
[ ! -s "$T/own" ] && ok || fail "bin/idpack defines library functions itself: $(head -3 "$T/own" | tr '\n' ' ')"
nm -D --undefined-only "$PREFIX/bin/idpack" | grep -c ' idp_' >"$T/n" || true
[ "$(cat "$T/n")" -gt 50 ] && ok || fail "bin/idpack imports $(cat "$T/n") idp_ functions"

# From another folder, with only the installed idpack on PATH.
mkdir -p "$T/elsewhere"
cd "$T/elsewhere"
unset IDPACK_TEMPLATES IDPACK_SPECIMEN IDPACK_PDF_RENDER
export PATH="$PREFIX/bin:$PATH"
[ "$(command -v idpack)" = "$PREFIX/bin/idpack" ] && ok || fail "idpack on PATH is $(command -v idpack)"
expect_exit 0 idpack demo --out demo --lang en
expect_exit 0 idpack verify demo
expect_exit 0 idpack --version
# The data is found relative to the binary: a moved prefix with a changed
# sample form uses it (the build tree still holds the original).
cp -a "$PREFIX" "$T/moved"
# the moved idpack loads the moved library ($ORIGIN), not the first prefix's
MOVED_LIB=$(ldd "$T/moved/bin/idpack" | awk -v so="$SONAME" '$1 == so {print $3}')
[ -n "$MOVED_LIB" ] && [ "$(realpath "$MOVED_LIB")" = "$(realpath "$T"/moved/lib*/"$SONAME")" ] && ok \
    || fail "the moved idpack loads '$MOVED_LIB'"
sed -i 's/^full_name .*/full_name = Relocated Specimen/' "$T/moved/share/idpack/templates/sample-form.txt"
expect_exit 0 "$T/moved/bin/idpack" demo --out moved-demo --lang en
pdftotext -enc UTF-8 moved-demo/request.pdf "$T/moved.txt" 2>/dev/null
expect_grep 'Relocated Specimen' "$T/moved.txt" "the letter of the moved prefix's demo"
# The PDF reader is found relative to the binary too: the moved prefix's
# reads a PDF scan; without it, a PDF is a clear error (70), not a hang.
img2pdf moved-demo/id-front.jpg -o scan.pdf
expect_exit 0 "$T/moved/bin/idpack" check --json scan.pdf
/usr/bin/python3 -c 'import json,sys; i=json.load(open(sys.argv[1]))["images"][0]; sys.exit(0 if i["format"] == "pdf" and i["width"] > 0 else 1)' "$T/out" \
    && ok || fail "the moved prefix's idpack did not read scan.pdf: $(head -c 300 "$T/out")"
cp -a "$T/moved" "$T/moved2"
rm "$T/moved2/libexec/idpack/idpack-pdf-render"
expect_exit 70 "$T/moved2/bin/idpack" check scan.pdf
expect_grep "scan\.pdf: cannot read PDFs: the program idpack-pdf-render is missing" "$T/out" "check without the PDF reader"
# ...and IDPACK_TEMPLATES overrides it.
IDPACK_TEMPLATES=$T/nothing-here expect_exit 66 idpack demo --out env-demo
[ ! -e env-demo ] && ok || fail "demo wrote a package without templates"

# The desktop entry.
DESKTOP=$PREFIX/share/applications/idpack.desktop
desktop-file-validate "$DESKTOP" >"$T/dfv" 2>&1 && ok || { fail "desktop-file-validate"; cat "$T/dfv" >&2; }
expect_grep '^Exec=idpack window %F$' "$DESKTOP"
# its action "build at once" runs idpack drop
DROP_EXEC=$(sed -n '/^\[Desktop Action drop\]/,/^\[/s/^Exec=//p' "$DESKTOP")
[ "$DROP_EXEC" = "idpack drop %F" ] && ok || fail "the drop action runs '$DROP_EXEC'"
# launch_drop FILES...: what a launcher runs for the drop action
launch_drop() { (${DROP_EXEC% %F} "$@" >/dev/null 2>&1 &); }
expect_grep '^MimeType=.*image/jpeg;' "$DESKTOP"
expect_grep '^MimeType=.*image/png;' "$DESKTOP"

# Dropping photos on the launcher, in the "wrong" order on purpose.
expect_exit 0 idpack profile set full_name="Erika Mustermann" account_email=erika@example.com \
    id_type=id_card id_expiry=2034-12-31 lang=en
mkdir -p "$T/photos"
cp "$IDP_TESTIMG/back.jpg" "$T/photos/retro.jpg"
cp "$IDP_TESTIMG/sharp.jpg" "$T/photos/fronte.jpg"
cd "$T/photos"
# wait_for FILE-GLOB: up to 60 s for the launched idpack to finish.
wait_for() {
    for _ in $(seq 1 120); do
        compgen -G "$1" >/dev/null && return 0
        sleep 0.5
    done
    return 1
}
launch_drop retro.jpg fronte.jpg
if wait_for "$T/photos/idpack-package-*/SHA256SUMS"; then
    ok
    sleep 0.5 # the folder appears whole (renamed into place), but be safe
    PKG=$(compgen -G "$T/photos/idpack-package-*" | head -1)
    idpack normalize fronte.jpg -o "$T/fronte-n.jpg" >/dev/null
    idpack normalize retro.jpg -o "$T/retro-n.jpg" >/dev/null
    h() { sha256sum "$1" | cut -d' ' -f1; }
    [ "$(h "$PKG/id-front.jpg")" = "$(h "$T/fronte-n.jpg")" ] && ok || fail "id-front.jpg is not the fronte photo"
    [ "$(h "$PKG/id-back.jpg")" = "$(h "$T/retro-n.jpg")" ] && ok || fail "id-back.jpg is not the retro photo"
    expect_exit 0 idpack verify "$PKG"
else
    fail "no package next to the photos 60 s after gio launch"
fi
[ ! -e "$T/photos/idpack-problems.txt" ] && ok || fail "idpack-problems.txt after a good drop: $(cat "$T/photos/idpack-problems.txt")"

# The entry itself (gio launch): idpack window with the dropped photos
# loaded, front and back from their names; the browser it opens is a
# stand-in that records the address.
mkdir -p -m 700 "$T/run" "$T/fakebin"
printf '#!/bin/sh\nprintf "%%s\\n" "$1" >"%s"\n' "$T/opened" >"$T/fakebin/xdg-open"
chmod +x "$T/fakebin/xdg-open"
DISPLAY=:99 PATH="$T/fakebin:$PATH" XDG_RUNTIME_DIR="$T/run" gio launch "$DESKTOP" retro.jpg fronte.jpg \
    >"$T/gio.log" 2>&1 && ok || { fail "gio launch"; cat "$T/gio.log" >&2; }
for _ in $(seq 1 100); do [ -s "$T/opened" ] && break; sleep 0.2; done
# it is given the launch file (0600, in the private folder), not the
# address with the secret, which any local user could read in ps
OPENED=$(cat "$T/opened" 2>/dev/null || true)
case $OPENED in "$T"/run/.window.idpack-tmp-*/open.html) ok ;; *) fail "xdg-open was given '$OPENED'" ;; esac
[ "$(stat -c %a "$OPENED" 2>/dev/null)" = 600 ] && ok || fail "the launch file is not mode 0600"
WURL=$(sed -n 's/.*url=\([^"]*\)".*/\1/p' "$OPENED" 2>/dev/null | head -n 1)
if [[ "$WURL" =~ ^http://127\.0\.0\.1:[0-9]+/\?token=[0-9a-f]{64}$ ]]; then
    ok
    /usr/bin/python3 - "$WURL" >"$T/wstate" 2>&1 <<'PYEOF' && ok || { fail "window state"; cat "$T/wstate" >&2; }
import json, sys, urllib.parse, urllib.request
u = urllib.parse.urlsplit(sys.argv[1])
tok = urllib.parse.parse_qs(u.query)["token"][0]
req = urllib.request.Request(f"http://{u.netloc}/api/state", headers={"X-Idpack-Token": tok})
s = json.load(urllib.request.urlopen(req, timeout=60))
f, b = s["photos"]["front"], s["photos"]["back"]
assert f["name"] == "fronte.jpg" and b["name"] == "retro.jpg", (f["name"], b["name"])
assert f["report"]["verdict"] == "pass" and b["report"]["verdict"] == "pass"
PYEOF
else
    fail "the desktop entry opened '$WURL'"
fi
# the window's process id is in its private folder's name
WPID=$(find "$T/run" -maxdepth 1 -name '.window.idpack-tmp-*' | sed -n 's/.*idpack-tmp-\([0-9]*\)-.*/\1/p' | head -1)
[ -n "$WPID" ] && kill -INT "$WPID" && ok || fail "no running window found"
for _ in $(seq 1 50); do [ -z "$(find "$T/run" -mindepth 1 -maxdepth 1)" ] && break; sleep 0.1; done
[ -z "$(find "$T/run" -mindepth 1 -maxdepth 1)" ] && ok || fail "the window left its private folder"

# A blurred photo dropped: the problems in plain words, in Italian for lang=it.
expect_exit 0 idpack profile set lang=it
mkdir -p "$T/blurred"
cp "$IDP_TESTIMG/blurred.jpg" "$T/blurred/fronte.jpg"
cp "$IDP_TESTIMG/back.jpg" "$T/blurred/retro.jpg"
cd "$T/blurred"
launch_drop fronte.jpg retro.jpg
if wait_for "$T/blurred/idpack-problems.txt"; then
    ok
    sleep 0.5
    expect_grep 'nitidezza' "$T/blurred/idpack-problems.txt" "idpack-problems.txt (lang=it)"
    expect_grep 'fronte.jpg' "$T/blurred/idpack-problems.txt" "idpack-problems.txt (lang=it)"
else
    fail "no idpack-problems.txt 60 s after dropping a blurred photo"
fi
[ -z "$(compgen -G "$T/blurred/idpack-package-*")" ] && ok || fail "a package was made from a blurred photo"
expect_exit 0 idpack profile set lang=en
expect_exit 1 idpack drop --no-notify fronte.jpg retro.jpg
expect_grep 'sharpness' "$T/blurred/idpack-problems.txt" "idpack-problems.txt (lang=en)"

# --help to stdout with exit 0 for every command; usage errors to stderr.
cd "$T/elsewhere"
expect_exit 0 idpack --help
cp "$T/out" "$T/help"
cmds=$(sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z]*\)  .*/\1/p' "$T/help")
[ "$(echo "$cmds" | wc -w)" -ge 9 ] && ok || fail "idpack --help lists $(echo "$cmds" | wc -w) commands"
for c in $cmds; do
    expect_exit 0 idpack "$c" --help
    [ -s "$T/out" ] && ok || fail "idpack $c --help printed nothing on stdout"
    [ ! -s "$T/err" ] && ok || fail "idpack $c --help wrote to stderr"
done
expect_exit 64 idpack frobnicate
expect_grep "unknown command 'frobnicate'" "$T/err"
[ ! -s "$T/out" ] && ok || fail "an unknown command wrote to stdout"
expect_exit 64 idpack
expect_exit 64 idpack drop --frobnicate

# The man page renders.
MAN=$PREFIX/share/man/man1/idpack.1
LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$MAN" 2>"$T/man.err" | col -b >"$T/man.txt"
for s in '^NAME' '^SYNOPSIS' '^EXIT STATUS' '^ENVIRONMENT' '^FILES' 'idpack drop' 'idpack profile' \
    'XDG_CONFIG_HOME'; do
    expect_grep "$s" "$T/man.txt" "man -l idpack.1"
done
[ ! -s "$T/man.err" ] && ok || { fail "man -l warned"; cat "$T/man.err" >&2; }
groff -man -Tutf8 -ww -z "$MAN" 2>"$T/groff.err" && [ ! -s "$T/groff.err" ] && ok \
    || { fail "groff warns about idpack.1"; head -5 "$T/groff.err" >&2; }
finish
