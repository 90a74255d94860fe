#!/bin/sh
# Writes the template of idpack's messages (po/idpack.pot, or the file
# named by $1): every English message the code passes to idp_tr, tool_tr or
# batch_tr or marks with N_(). Run from the top of the source tree.
set -eu
out=${1:-po/idpack.pot}
find src -name '*.c' | LC_ALL=C sort >"$out.files"
xgettext --from-code=UTF-8 --language=C --no-wrap --sort-by-file --add-comments=TRANSLATORS: \
    --keyword= --keyword=idp_tr:2 --keyword=tool_tr:2 --keyword=batch_tr:2 --keyword=N_ \
    --package-name=idpack --msgid-bugs-address= \
    --files-from="$out.files" --output="$out.new"
rm -f "$out.files"
# No creation date: the same sources give the same file.
sed '/^"POT-Creation-Date:/d' "$out.new" >"$out"
rm -f "$out.new"
