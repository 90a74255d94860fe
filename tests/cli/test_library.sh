#!/usr/bin/env bash
# libidpack as a program outside the tree sees it: `cmake --install` into a
# temporary prefix, then the installed files (SONAME, headers without the
# library's own declarations, idpack.pc, the CMake package), the exported
# symbols against the functions the installed headers declare, and the
# examples/ programs compiled through pkg-config and through
# find_package(idpack), run on generated photos, their package verified by
# `idpack verify` and compared with the tool's.
. "$(dirname "$0")/lib.sh"
need_tools cmake pkg-config cc c++ nm readelf sha256sum cmp
BUILD=$(cd "$(dirname "$IDPACK")" && pwd)
[ -f "$BUILD/CMakeCache.txt" ] && ok || { fail "$BUILD is not the build folder"; finish; }
PREFIX=$T/prefix
cmake --install "$BUILD" --prefix "$PREFIX" >"$T/install.log" 2>&1 && ok || { fail "cmake --install"; tail -5 "$T/install.log" >&2; finish; }
VERSION=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$BUILD/CMakeCache.txt")
MAJOR=${VERSION%%.*}
MINOR=${VERSION#*.}; MINOR=${MINOR%%.*}
# The SONAME's version: the major one, or 0.MINOR before 1.0 (docs/library.md).
if [ "$MAJOR" = 0 ]; then SOVER=0.$MINOR; else SOVER=$MAJOR; fi
# A sanitized build's library needs its runtime in every program linking it.
SAN=()
# shellcheck disable=SC2054
grep -q '^IDPACK_SANITIZE:BOOL=ON' "$BUILD/CMakeCache.txt" && SAN=(-fsanitize=address,undefined)

LIBDIR=$PREFIX/lib
[ -d "$LIBDIR/pkgconfig" ] || LIBDIR=$(dirname "$(find "$PREFIX" -name idpack.pc | head -1)")/..
LIBDIR=$(cd "$LIBDIR" && pwd)
SO=$LIBDIR/libidpack.so.$VERSION
for f in "$SO" "$LIBDIR/libidpack.so.$SOVER" "$LIBDIR/libidpack.so" "$LIBDIR/libidpack.a" \
    "$LIBDIR/pkgconfig/idpack.pc" "$LIBDIR/cmake/idpack/idpackConfig.cmake" \
    "$LIBDIR/cmake/idpack/idpackConfigVersion.cmake" "$PREFIX/include/idpack/idpack.h"; do
    [ -e "$f" ] && ok || fail "${f#"$PREFIX"/} is not installed"
done
[ -f "$SO" ] || finish
readelf -d "$SO" >"$T/dyn"
expect_grep "SONAME.*\[libidpack\.so\.${SOVER//./\\.}\]" "$T/dyn" "libidpack.so's dynamic section"

# The installed headers: the public API only.
HDR=$PREFIX/include/idpack
ls "$HDR" >"$T/headers"
[ "$(wc -l <"$T/headers")" -ge 6 ] && ok || fail "only $(wc -l <"$T/headers") headers installed"
cat "$HDR"/*.h >"$T/all.h"
expect_no_grep '^[[:space:]]*#.*IDP_INTERNAL' "$T/all.h" "the installed headers"
for internal in idp_fail idp_limits idp_mul_size idp_check_image idp_package_write \
    'struct idp_check_report \{' 'struct idp_build_opts \{' 'struct idp_policy \{' \
    'struct idp_mrz \{' 'struct idp_document \{' 'struct idp_normalize_opts \{' \
    'struct idp_normalize_result \{' 'idp_mrz_reader' 'idp_mrz_wipe' 'idp_image'; do
    expect_no_grep "$internal" "$T/all.h" "the installed headers"
done
for h in "$HDR"/*.h; do
    grep -q 'extern "C"' "$h" && ok || fail "$(basename "$h") has no extern \"C\" guard"
    # Each header on its own, in C and in C++.
    printf '#include <%s>\nint idp_test_unit;\n' "$(basename "$h")" >"$T/one.c"
    cc -std=c11 -Wall -Wextra -Werror -pedantic -fsyntax-only -I"$HDR" "$T/one.c" 2>"$T/cc.err" && ok ||
        { fail "$(basename "$h") does not compile alone"; head -5 "$T/cc.err" >&2; }
    cp "$T/one.c" "$T/one.cc"
    c++ -Wall -Wextra -Werror -fsyntax-only -I"$HDR" "$T/one.cc" 2>"$T/cc.err" && ok ||
        { fail "$(basename "$h") does not compile as C++"; head -5 "$T/cc.err" >&2; }
done
# The version macros agree with the tool.
cat >"$T/version.c" <<'C'
#include <idpack.h>
#include <stdio.h>
#include <string.h>
int main(void)
{
    printf("%d.%d.%d %s %s\n", IDPACK_VERSION_MAJOR, IDPACK_VERSION_MINOR, IDPACK_VERSION_PATCH,
           IDPACK_VERSION_STRING, idp_version());
    return IDPACK_VERSION != IDPACK_VERSION_AT(IDPACK_VERSION_MAJOR, IDPACK_VERSION_MINOR,
                                               IDPACK_VERSION_PATCH);
}
C
export PKG_CONFIG_PATH=$LIBDIR/pkgconfig
# shellcheck disable=SC2046
cc -std=c11 "${SAN[@]}" "$T/version.c" $(pkg-config --cflags --libs idpack) -o "$T/version" 2>"$T/cc.err" && ok ||
    { fail "a program using idpack.h does not build with pkg-config"; head -5 "$T/cc.err" >&2; }
LD_LIBRARY_PATH=$LIBDIR expect_exit 0 "$T/version"
expect_grep "^$VERSION $VERSION $VERSION\$" "$T/out" "the version macros and idp_version()"
"$IDPACK" --version >"$T/tool-version"
expect_grep "idpack $VERSION" "$T/tool-version"
[ "$(pkg-config --modversion idpack)" = "$VERSION" ] && ok || fail "pkg-config --modversion idpack"

# Exported symbols: exactly the functions the installed headers declare.
nm -D --defined-only "$SO" | awk '$2 ~ /^[TW]$/ {print $3}' | sort >"$T/exported"
nm -D --defined-only "$SO" | awk '$2 !~ /^[TW]$/ {print $3}' | grep -v -x -E '__bss_start|_edata|_end|_init|_fini' >"$T/exported-other" || true
[ ! -s "$T/exported-other" ] && ok || { fail "libidpack.so exports data or other symbols"; head -5 "$T/exported-other" >&2; }
cc -E -P -I"$HDR" "$HDR/idpack.h" | grep -o -E '\bidp_[a-z0-9_]+[[:space:]]*\(' | tr -d '( \t' | sort -u >"$T/declared"
[ "$(wc -l <"$T/declared")" -ge 40 ] && ok || fail "only $(wc -l <"$T/declared") functions found in the headers"
grep -v '^idp_' "$T/exported" >"$T/not-idp" || true
[ ! -s "$T/not-idp" ] && ok || { fail "libidpack.so exports names without idp_:"; head -5 "$T/not-idp" >&2; }
comm -23 "$T/exported" "$T/declared" >"$T/undeclared"
[ ! -s "$T/undeclared" ] && ok || { fail "exported but in no installed header:"; head -10 "$T/undeclared" >&2; }
comm -13 "$T/exported" "$T/declared" >"$T/missing"
[ ! -s "$T/missing" ] && ok || { fail "declared in the installed headers but not exported:"; head -10 "$T/missing" >&2; }
# ...and internal functions the tool uses are not among them.
for internal in idp_fail idp_load_file idp_detect_document idp_csv_open idp_ledger_record idp_free_wiped_str \
    idp_mrz_read idp_mrz_wipe idp_resize_down idp_font_find idp_policy_default idp_ctx_set_limits; do
    grep -q -x "$internal" "$T/exported" && fail "$internal is exported" || ok
done

# The examples, built against the installed library through pkg-config.
for e in check_photo build_package; do
    # shellcheck disable=SC2046
    cc -std=c11 -Wall -Wextra -Werror -pedantic "${SAN[@]}" "$IDP_SRC/examples/$e.c" \
        $(pkg-config --cflags --libs idpack) -o "$T/$e" 2>"$T/cc.err" && ok ||
        { fail "examples/$e.c does not build with pkg-config"; head -5 "$T/cc.err" >&2; }
done
export LD_LIBRARY_PATH=$LIBDIR
ldd "$T/check_photo" >"$T/ldd"
expect_grep "libidpack\.so\.${SOVER//./\\.} => $LIBDIR/libidpack\.so\.${SOVER//./\\.}" "$T/ldd" "check_photo's libraries"
PHOTOS=$T/photos
mkdir -p "$PHOTOS"
cp "$IDP_TESTIMG/sharp.jpg" "$IDP_TESTIMG/back.jpg" "$IDP_TESTIMG/blurred.jpg" "$PHOTOS/"

# check_photo: verdicts and values as `idpack check --json` gives them.
expect_exit 0 "$T/check_photo" "$PHOTOS/sharp.jpg"
cp "$T/out" "$T/check.out"
expect_grep "^$PHOTOS/sharp.jpg: pass\$" "$T/check.out"
expect_grep 'document id1 at' "$T/check.out" "check_photo on sharp.jpg"
expect_exit 1 "$T/check_photo" "$PHOTOS/blurred.jpg"
expect_grep "blurred.jpg: fail" "$T/out"
expect_grep '^  sharpness  fail ' "$T/out" "check_photo on blurred.jpg"
expect_grep 'hold the phone steady' "$T/out" "check_photo's advice on blurred.jpg"
expect_exit 2 "$T/check_photo" "$PHOTOS/missing.jpg"
expect_grep 'missing.jpg: error$' "$T/out"
expect_grep '^notfound: .*missing.jpg' "$T/err" "check_photo's error on a missing photo"
# Front and back: both pass, and the duplicate check is run; the same photo twice fails it.
expect_exit 0 "$T/check_photo" "$PHOTOS/sharp.jpg" "$PHOTOS/back.jpg"
[ "$(grep -c '^  duplicate  pass ' "$T/out")" = 2 ] && ok || fail "check_photo front back: no duplicate check passed on both"
cp "$PHOTOS/sharp.jpg" "$PHOTOS/again.jpg"
expect_exit 1 "$T/check_photo" "$PHOTOS/sharp.jpg" "$PHOTOS/again.jpg"
[ "$(grep -c '^  duplicate  fail ' "$T/out")" = 2 ] && ok || fail "check_photo of one photo twice: the duplicate check did not fail"
"$IDPACK" check --json "$PHOTOS/blurred.jpg" >"$T/tool.json" || true
"$T/check_photo" "$PHOTOS/blurred.jpg" >"$T/lib.out" || true
if command -v jq >/dev/null; then
    want=$(jq -r '.images[0].checks[] | select(.id=="sharpness") | .value' "$T/tool.json")
    got=$(sed -n 's/^  sharpness  fail value \([^ ]*\) .*/\1/p' "$T/lib.out")
    awk -v a="$want" -v b="$got" 'BEGIN { exit !(b != "" && (a - b) * (a - b) < 0.01) }' && ok ||
        fail "sharpness: the library says $got, idpack check $want"
fi

# build_package: a package `idpack verify` accepts, the same bytes as `idpack build`.
TEMPLATES=$PREFIX/share/idpack/templates
FORM=$TEMPLATES/sample-form.txt
WHEN=1767312000 # 2026-01-02T00:00:00Z
expect_exit 0 "$T/build_package" "$TEMPLATES" "$FORM" "$T/lib-pkg" "$PHOTOS/sharp.jpg" "$PHOTOS/back.jpg" "$WHEN"
expect_grep '^reference IDP-[0-9A-Z]{4}-[0-9A-Z]{4}$' "$T/out" "build_package's output"
expect_grep '^verified 4 files, 0 problems$' "$T/out" "build_package's output"
expect_exit 0 "$IDPACK" verify "$T/lib-pkg"
(cd "$T/lib-pkg" && sha256sum -c --quiet SHA256SUMS) && ok || fail "sha256sum -c on the library's package"
expect_exit 0 "$IDPACK" build --front "$PHOTOS/sharp.jpg" --back "$PHOTOS/back.jpg" --form "$FORM" \
    --out "$T/tool-pkg" --date 2026-01-02T00:00:00Z --lang en --no-ledger
for f in request.pdf id-front.jpg id-back.jpg manifest.json SHA256SUMS; do
    cmp -s "$T/lib-pkg/$f" "$T/tool-pkg/$f" && ok || fail "$f: the library's differs from idpack build's"
done
# Refusals: a blurred photo (1, the failed check said), an existing package (2).
expect_exit 1 "$T/build_package" "$TEMPLATES" "$FORM" "$T/blurred-pkg" "$PHOTOS/blurred.jpg" "$PHOTOS/back.jpg" "$WHEN"
expect_grep 'not built \(rejected\)' "$T/err" "build_package on blurred.jpg"
expect_grep 'photo 1: The photo is blurred' "$T/err" "build_package on blurred.jpg"
[ ! -e "$T/blurred-pkg" ] && ok || fail "a refused build left a folder"
expect_exit 2 "$T/build_package" "$TEMPLATES" "$FORM" "$T/lib-pkg" "$PHOTOS/sharp.jpg" "$PHOTOS/back.jpg" "$WHEN"
expect_grep 'not built \(exists\)' "$T/err" "build_package over an existing package"

# A CMake project: find_package(idpack) and idpack::idpack.
SANFLAGS=${SAN[*]:-}
cmake -S "$IDP_SRC/examples" -B "$T/cmake-build" -DCMAKE_PREFIX_PATH="$PREFIX" \
    -DCMAKE_C_FLAGS="$SANFLAGS" >"$T/cmake.log" 2>&1 && ok || { fail "find_package(idpack)"; tail -5 "$T/cmake.log" >&2; }
cmake --build "$T/cmake-build" >>"$T/cmake.log" 2>&1 && ok || { fail "building examples/ with CMake"; tail -5 "$T/cmake.log" >&2; }
expect_exit 0 "$T/cmake-build/check_photo" "$PHOTOS/sharp.jpg"
cmp -s "$T/out" "$T/check.out" && ok || fail "the CMake-built check_photo says otherwise"
# A version the package does not satisfy is refused.
mkdir -p "$T/too-new"
printf 'cmake_minimum_required(VERSION 3.18)\nproject(p C)\nfind_package(idpack 99 REQUIRED)\n' >"$T/too-new/CMakeLists.txt"
cmake -S "$T/too-new" -B "$T/too-new/b" -DCMAKE_PREFIX_PATH="$PREFIX" >"$T/too-new.log" 2>&1 &&
    fail "find_package(idpack 99) succeeded" || ok
finish
