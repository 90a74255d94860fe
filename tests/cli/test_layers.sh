#!/usr/bin/env bash
# The layers of docs/architecture.md, from the #include lines of src/: no
# module (load detect check normalize fill pdf package ledger mrz common)
# includes a driver's header (builder batch drop window) or the tool's; no
# part of the library (the modules and the drivers builder, batch, drop)
# includes the tool's or the window's; the library's source list in
# CMakeLists.txt holds no file of the tool. The checker is first run on a
# copy of src/ with one upward include added, which it must refuse.
. "$(dirname "$0")/lib.sh"
cat >"$T/layers.py" <<'PY'
import os, re, sys
src, cmake = sys.argv[1], sys.argv[2]
MODULES = {"load", "detect", "check", "normalize", "fill", "pdf", "package", "ledger", "mrz", "common"}
DRIVERS = {"builder", "batch", "drop"}   # in the library
TOOL = {"tool", "window"}               # the program
where = {}                              # header name -> the folder it lives in
for d in os.listdir(src):
    for f in os.listdir(os.path.join(src, d)) if os.path.isdir(os.path.join(src, d)) else []:
        if f.endswith(".h") or f.endswith(".h.in"):
            where[f[:-3] if f.endswith(".in") else f] = d
where.setdefault("tool_config.h", "tool")  # generated from src/tool/tool_config.h.in
bad, seen = [], 0
for d in sorted(os.listdir(src)):
    if not os.path.isdir(os.path.join(src, d)):
        continue
    if d not in MODULES | DRIVERS | TOOL:
        bad.append("%s: a folder of src/ no layer names (add it to test_layers.sh and architecture.md)" % d)
        continue
    for f in sorted(os.listdir(os.path.join(src, d))):
        if not re.search(r"\.(c|h|h\.in)$", f):
            continue
        for n, line in enumerate(open(os.path.join(src, d, f), encoding="utf-8"), 1):
            m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if not m:
                continue
            seen += 1
            inc = m.group(1)
            to = os.path.basename(os.path.dirname(os.path.normpath(os.path.join(d, inc)))) if "/" in inc else where.get(inc)
            if to is None:
                continue  # the umbrella idpack.h (include/idpack), generated files of the build
            if d in MODULES and to in DRIVERS | TOOL:
                bad.append("src/%s/%s:%d: the module %s includes %s of the %s %s" % (d, f, n, d, inc, "driver" if to in DRIVERS else "tool's", to))
            elif d in DRIVERS and to in TOOL:
                bad.append("src/%s/%s:%d: the library's driver %s includes %s of the tool (%s)" % (d, f, n, d, inc, to))
text = open(cmake, encoding="utf-8").read()
lib = re.search(r"add_library\(idpack_lib STATIC(.*?)\)", text, re.S)
if lib is None:
    bad.append("CMakeLists.txt: no add_library(idpack_lib STATIC ...)")
else:
    for path in lib.group(1).split():
        if path.startswith("src/") and path.split("/")[1] in TOOL:
            bad.append("CMakeLists.txt: the library is built from the tool's %s" % path)
if seen < 100:
    bad.append("only %d #include lines read: is %s the source folder?" % (seen, src))
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
/usr/bin/python3 "$T/layers.py" "$IDP_SRC/src" "$IDP_SRC/CMakeLists.txt" >"$T/out" 2>&1 && ok \
    || { fail "the include graph has an arrow upward:"; sed 's/^/  /' "$T/out" >&2; }

# The checker can fail: a module reaching up to a driver, a driver to the
# tool, the tool's file in the library.
for case in 'package/idp_manifest.c:#include "idp_build.h"' 'ledger/idp_ledger.c:#include "tool.h"' \
            'builder/idp_build.c:#include "../tool/tool_report.h"' 'fill/idp_form.c:#include "idp_batch.h"'; do
    rm -rf "$T/src" && cp -r "$IDP_SRC/src" "$T/src"
    file=${case%%:*}; line=${case#*:}
    printf '%s\n' "$line" >>"$T/src/$file"
    if /usr/bin/python3 "$T/layers.py" "$T/src" "$IDP_SRC/CMakeLists.txt" >"$T/out" 2>&1; then
        fail "the checker accepts $line in $file"
    else
        expect_grep "src/${file//./\\.}" "$T/out" "the checker's answer for $file"
    fi
done
sed 's#^  src/common/idp_ctx.c$#  src/common/idp_ctx.c\n  src/tool/tool_util.c#' "$IDP_SRC/CMakeLists.txt" >"$T/CMakeLists.txt"
if /usr/bin/python3 "$T/layers.py" "$IDP_SRC/src" "$T/CMakeLists.txt" >"$T/out" 2>&1; then
    fail "the checker accepts the tool's code in the library"
else
    expect_grep "tool_util.c" "$T/out" "the checker's answer for the library's source list"
fi

# Library messages speak of the library's own terms; the tool adds its
# option's name where it prints them (the photos' options through
# idp_ctx_advice, --resume through idp_batch_opts_set_resume_name, the
# shard merge's command line after its error in tool_batch_report.c).
grep -rn -e '"[^"]*--force' -e '"[^"]*--set[: ]' -e '"[^"]*--front' -e '"[^"]*--back' -e "\"[^\"]*CSV's" \
    -e '"[^"]*--policy' -e '"[^"]*--shard' \
    "$IDP_SRC"/src/{common,load,detect,check,normalize,fill,pdf,package,ledger,mrz,builder,drop}/*.c \
    >"$T/opts" 2>/dev/null && { fail "a library message names a tool option:"; sed 's/^/  /' "$T/opts" >&2; } || ok
grep -n -e '"[^"]*--resume' -e '"[^"]*--shard' -e '"[^"]*--out' -e '"[^"]*--allow' "$IDP_SRC"/src/batch/*.c >"$T/opts" 2>/dev/null &&
    { fail "a batch reason names --resume:"; sed 's/^/  /' "$T/opts" >&2; } || ok
printf 'x' >"$T/exists.jpg"
expect_exit 73 "$IDPACK" normalize "$IDP_TESTIMG/sharp.jpg" -o "$T/exists.jpg"
expect_grep 'exists\.jpg: already exists; replacing it must be asked for \(use --force to replace it\)$' "$T/err" \
    "normalize onto an existing file"
finish
