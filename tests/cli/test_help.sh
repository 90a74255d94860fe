#!/usr/bin/env bash
# One source for --help and the man page: idpack.1 (generated at build
# time by help2man, cmake/ManPage.cmake) holds every command's --help text,
# word for word, and every option; the bash completion offers the commands
# and their options.
. "$(dirname "$0")/lib.sh"
need_tools man col groff python3
BUILD=$(dirname "$IDPACK")
MAN=$BUILD/idpack.1
[ -f "$MAN" ] && ok || { fail "$MAN was not generated"; finish; }
[ ! "$IDPACK" -nt "$MAN" ] && ok || fail "idpack.1 is older than idpack: rebuild"

LC_ALL=C.UTF-8 MANWIDTH=100 man -l "$MAN" 2>"$T/man.err" | col -bx >"$T/man.txt"
[ ! -s "$T/man.err" ] && ok || { fail "man -l warned"; head -5 "$T/man.err" >&2; }
[ "$(wc -l <"$T/man.txt")" -gt 100 ] && ok || fail "the rendered man page is short: $(wc -l <"$T/man.txt") lines"

expect_exit 0 "$IDPACK" --help
cp "$T/out" "$T/help"
cmds=$(sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z]*\)  .*/\1/p' "$T/help")
[ "$(echo "$cmds" | wc -w)" -ge 9 ] && ok || fail "idpack --help lists only: $cmds"
# the top-level help is the man page's SYNOPSIS and DESCRIPTION
for c in $cmds; do
    expect_grep "^ +$c( |$)" "$T/man.txt" "DESCRIPTION of idpack.1 (command $c)"
done
for c in $cmds; do
    "$IDPACK" "$c" --help >"$T/h-$c" 2>"$T/e-$c" && ok || fail "idpack $c --help exits non-zero"
    [ ! -s "$T/e-$c" ] && ok || fail "idpack $c --help writes to stderr"
    # the section "idpack CMD" of COMMANDS holds the same words, in order,
    # and every option the help names
    python3 - "$T/man.txt" "$T/h-$c" "$c" <<'PY' && ok || fail "idpack.1 and 'idpack $c --help' differ"
import re, sys
man = open(sys.argv[1], encoding="utf-8").read().split("\n")
helptext = open(sys.argv[2], encoding="utf-8").read()
cmd = sys.argv[3]
start = [i for i, l in enumerate(man) if l.strip() == "idpack " + cmd and l.startswith("   ")]
if not start:
    sys.exit("no section 'idpack %s' in the man page" % cmd)
end = start[0] + 1
while end < len(man) and not (man[end].startswith("   idpack ") or re.match(r"^[A-Z]", man[end])):
    end += 1
section = " ".join(man[start[0] + 1:end]).split()
words = helptext.split()
if section != words:
    for i, (a, b) in enumerate(zip(section, words)):
        if a != b:
            sys.exit("word %d: man has %r, --help has %r" % (i, a, b))
    sys.exit("man has %d words, --help %d" % (len(section), len(words)))
missing = [o for o in set(re.findall(r"--[a-z][a-z-]*", helptext)) if o not in " ".join(section)]
if missing:
    sys.exit("options missing from the man page: %s" % missing)
PY
done
for s in '^EXIT STATUS' '^ENVIRONMENT' '^FILES' '^EXAMPLES' '^COMMANDS'; do
    expect_grep "$s" "$T/man.txt" "idpack.1"
done
groff -man -Tutf8 -ww -z "$MAN" 2>"$T/groff.err" && [ ! -s "$T/groff.err" ] && ok \
    || { fail "groff warns about idpack.1"; head -5 "$T/groff.err" >&2; }

# Bash completion, driven as bash would drive it.
COMPLETION=$IDP_SRC/data/idpack.bash-completion
bash -n "$COMPLETION" && ok || fail "the completion script has a syntax error"
complete_words() { # complete_words WORD... -> the candidates for the last word
    PATH="$BUILD:$PATH" bash -c '
        shopt -s extglob
        . "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
        _idpack 2>/dev/null
        printf "%s\n" "${COMPREPLY[@]}"' complete "$COMPLETION" "$@"
}
complete_words idpack "" >"$T/c"
for c in $cmds; do expect_grep "^$c$" "$T/c" "completion of the commands"; done
complete_words idpack dr >"$T/c"
[ "$(cat "$T/c")" = drop ] && ok || fail "'idpack dr<TAB>' gives '$(cat "$T/c")'"
for c in $cmds; do
    [ "$c" = profile ] && continue
    complete_words idpack "$c" -- >"$T/c"
    for o in $(grep -o -- '--[a-z][a-z-]*' "$T/h-$c" | sort -u); do
        grep -qx -- "$o" "$T/c" && ok || fail "'idpack $c --<TAB>' does not offer $o"
    done
done
complete_words idpack profile "" >"$T/c"
for s in set unset show path; do expect_grep "^$s$" "$T/c" "completion of profile"; done
complete_words idpack profile set id_ex >"$T/c"
expect_grep '^id_expiry=$' "$T/c" "completion of profile set"
complete_words idpack build --lang "" >"$T/c"
[ "$(sort "$T/c" | tr '\n' ' ')" = "de en es fr it " ] && ok || fail "completion of --lang: $(cat "$T/c")"
finish
