#!/bin/bash
# The translations (po/*.po, docs/translating.md): every message the code
# passes to idp_tr / tool_tr / batch_tr or marks with N_() has a
# translation in every catalogue, the printf formats of each translation
# match its English (msgfmt -c), and po/idpack.pot is current.
. "$(dirname "$0")/lib.sh"

for tool in xgettext msgfmt msgcmp; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool missing (package gettext)" >&2; exit 1; }
done

# The template, extracted afresh from the sources.
(cd "$IDP_SRC" && sh po/update-pot.sh "$T/fresh.pot") 2>"$T/xgettext.err" ||
    { cat "$T/xgettext.err" >&2; fail "po/update-pot.sh"; }
n=$(grep -c '^msgid "' "$T/fresh.pot" || true)
[ "$n" -ge 150 ] && ok || fail "only $n messages extracted from src/"

# The committed template holds the same messages, both ways.
if msgcmp --use-untranslated "$IDP_SRC/po/idpack.pot" "$T/fresh.pot" >"$T/cmp" 2>&1 &&
    msgcmp --use-untranslated "$T/fresh.pot" "$IDP_SRC/po/idpack.pot" >>"$T/cmp" 2>&1; then
    ok
else
    fail "po/idpack.pot is out of date: cmake --build build --target idpack-pot"
    sed 's/^/  | /' "$T/cmp" | head -10 >&2
fi

# Every catalogue: complete (no message missing, empty or fuzzy) and its
# formats the same as the English's.
langs=0
for po in "$IDP_SRC"/po/*.po; do
    langs=$((langs + 1))
    if msgcmp "$po" "$T/fresh.pot" >"$T/cmp" 2>&1; then ok; else
        fail "$(basename "$po") lacks translations:"; grep -v 'warning: this message is not used' "$T/cmp" | sed 's/^/  | /' | head -20 >&2
    fi
    if msgfmt --check-format -c -o /dev/null "$po" 2>"$T/fmt"; then ok; else
        fail "$(basename "$po"): msgfmt --check-format -c"; sed 's/^/  | /' "$T/fmt" | head -10 >&2
    fi
done
[ "$langs" -ge 1 ] && ok || fail "no catalogue in po/"

# The checks above do fail: a catalogue with one message untranslated, and
# one whose translation drops a format directive.
awk 'BEGIN{done=0} /^msgstr "Il file si apre come foto."$/ && !done {print "msgstr \"\""; done=1; next} {print}' \
    "$IDP_SRC/po/it.po" >"$T/holed.po"
if msgcmp "$T/holed.po" "$T/fresh.pot" >/dev/null 2>&1; then fail "msgcmp accepted a missing translation"; else ok; fi
sed 's/^msgstr "Salvato in %s\\n"$/msgstr "Salvato\\n"/' "$IDP_SRC/po/it.po" >"$T/badfmt.po"
cmp -s "$T/badfmt.po" "$IDP_SRC/po/it.po" && fail "the format test found no line to change"
if msgfmt --check-format -c -o /dev/null "$T/badfmt.po" 2>/dev/null; then
    fail "msgfmt accepted a translation without the %s of its English"
else ok; fi

# Every language with a catalogue works the same: no code chooses Italian
# by name (its words would then be in C, not in po/it.po, and a new
# po/LANG.po would not reach that place). The one exception is the date
# conventions of the letters' languages (src/fill/idp_value.c: D/M/YYYY in
# it, fr, es), which are the templates', not the messages'.
grep -rnE 'str(n)?(case)?cmp\([^;]*"it"' "$IDP_SRC/src" --include='*.c' --include='*.h' |
    grep -v '^[^:]*/src/fill/idp_value\.c:' >"$T/it-gates" || true
[ ! -s "$T/it-gates" ] && ok || { fail "code compares a language to \"it\":"; sed 's/^/  | /' "$T/it-gates" >&2; }
grep -rnE 'idp_ctx_it|_problem_it\b|IDP_TR_LANG' "$IDP_SRC/src" >"$T/it-flags" || true
[ ! -s "$T/it-flags" ] && ok || { fail "an Italian-or-English switch is back:"; sed 's/^/  | /' "$T/it-flags" >&2; }
grep -nE '=== ?"it"|lang-it|\bit: \{' "$IDP_SRC/src/window/assets/app.js" "$IDP_SRC/src/window/assets/index.html" >"$T/js-it" || true
[ ! -s "$T/js-it" ] && ok || { fail "the window's page keeps Italian of its own:"; sed 's/^/  | /' "$T/js-it" >&2; }
# the check finds what it looks for
printf 'if (strcmp(lang, "it") == 0)\n' >"$T/gate.c"
grep -qE 'str(n)?(case)?cmp\([^;]*"it"' "$T/gate.c" && ok || fail "the gate pattern finds no gate"

# The built tool speaks the catalogue: a tool sentence and a check's.
expect_exit 0 "$IDPACK" check --lang it "$IDP_TESTIMG/sharp.jpg"
expect_grep "Il file si apre come foto\." "$T/out" "idpack check --lang it"
expect_exit 0 "$IDPACK" check --lang en "$IDP_TESTIMG/sharp.jpg"
expect_grep "The file opens as a photo\." "$T/out" "idpack check --lang en"

finish
