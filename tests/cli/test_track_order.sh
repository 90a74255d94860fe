#!/usr/bin/env bash
# idpack track list --overdue: the customer who has waited longest first,
# with the hours waited; track mark/note --at refuse a time in the future
# (more than 5 minutes ahead); bash completion offers track's subcommands,
# references, statuses and every subcommand's options.
. "$(dirname "$0")/lib.sh"
need_tools sqlite3
L=$T/l.sqlite
jget() { sqlite3 :memory: "SELECT json_extract(CAST(readfile('$1') AS TEXT), '$2')"; }
cd "$T"

# three packages, made in the order A, B, C and submitted in the order C, A, B
refs=()
for who in A B C; do
    expect_exit 0 "$IDPACK" build --front "$IDP_TESTIMG/sharp.jpg" --set "full_name=Customer $who" \
        --set account_email=$who@example.com --set id_type=passport --set id_expiry=2031-05-31 \
        --out "pkg$who" --date 2026-11-2$((${#refs[@]} + 1)) --ledger "$L" --json
    refs+=("$(jget "$T/out" '$.reference')")
done
A=${refs[0]} B=${refs[1]} C=${refs[2]}
expect_exit 0 "$IDPACK" track mark "$C" submitted --at 2026-11-24T08:00:00Z --ledger "$L"
expect_exit 0 "$IDPACK" track mark "$A" submitted --at 2026-11-24T20:00:00Z --ledger "$L"
expect_exit 0 "$IDPACK" track mark "$B" submitted --at 2026-11-25T09:30:00Z --ledger "$L"

AS_OF=2026-11-28T10:00:00Z
expect_exit 0 "$IDPACK" track list --overdue --as-of $AS_OF --ledger "$L" --json
got="$(jget "$T/out" '$.packages[0].reference') $(jget "$T/out" '$.packages[1].reference') $(jget "$T/out" '$.packages[2].reference')"
[ "$got" = "$C $A $B" ] && ok || fail "overdue not longest wait first: got $got, want $C $A $B"
# hours waited: C since 24T08:00 is 98 h, A 86 h, B 72 h (whole hours, rounded down)
got="$(jget "$T/out" '$.packages[0].waiting_hours') $(jget "$T/out" '$.packages[1].waiting_hours') $(jget "$T/out" '$.packages[2].waiting_hours')"
[ "$got" = "98 86 72" ] && ok || fail "waiting_hours: got $got, want 98 86 72"
expect_exit 0 "$IDPACK" track list --overdue --as-of $AS_OF --ledger "$L"
got=$(awk 'NR > 1 {print $1}' "$T/out" | tr '\n' ' ')
[ "$got" = "$C $A $B " ] && ok || fail "text overdue list order: $got"
grep -q "^$C .*OVERDUE 98 h" "$T/out" && ok || fail "text overdue list lacks 'OVERDUE 98 h' for $C"
# without --overdue: still oldest created first
expect_exit 0 "$IDPACK" track list --as-of $AS_OF --ledger "$L"
got=$(awk 'NR > 1 {print $1}' "$T/out" | tr '\n' ' ')
[ "$got" = "$A $B $C " ] && ok || fail "plain list not oldest first: $got"
# a resolved package has no waiting hours
expect_exit 0 "$IDPACK" track mark "$A" resolved --at 2026-11-26T00:00:00Z --ledger "$L"
expect_exit 0 "$IDPACK" track show "$A" --as-of $AS_OF --ledger "$L" --json
[ "$(jget "$T/out" '$.package.waiting_hours')" = "" ] && ok || fail "a resolved package has waiting_hours"

# ---- --at in the future: refused (64), nothing recorded; a few minutes ahead: fine ----
future=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)
expect_exit 64 "$IDPACK" track mark "$B" resolved --at "$future" --ledger "$L"
expect_grep "in the future" "$T/err" "track mark --at tomorrow"
expect_exit 64 "$IDPACK" track note "$B" "called Amazon" --at "$(date -u -d '+1 day' +%Y-%m-%d)" --ledger "$L"
expect_exit 0 "$IDPACK" track show "$B" --ledger "$L" --json
[ "$(jget "$T/out" '$.package.status')" = submitted ] && ok || fail "a refused --at changed the status"
[ "$(jget "$T/out" '$.events[2]')" = "" ] && ok || fail "a refused --at added an event"
soon=$(date -u -d '+2 minutes' +%Y-%m-%dT%H:%M:%SZ)
expect_exit 0 "$IDPACK" track note "$B" "clock skew" --at "$soon" --ledger "$L"

# ---- bash completion ---------------------------------------------------------------
mkdir -p bin; ln -s "$IDPACK" bin/idpack
cat >comp.sh <<'SH'
. "$IDP_SRC/data/idpack.bash-completion"
c() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _idpack; echo "${COMPREPLY[*]}"; }
SH
comp() { PATH="$T/bin:$PATH" IDPACK_LEDGER=$L bash -c '. ./comp.sh; c "$@"' c "$@"; }
[ "$(comp idpack track '')" = "list show mark note" ] && ok || fail "completion after track: $(comp idpack track '')"
[ "$(comp idpack track --ledger x '')" = "list show mark note" ] && ok || fail "completion after track --ledger x"
[ "$(comp idpack track mark "$B" '')" = "submitted resolved rejected" ] && ok || fail "completion of mark's status: $(comp idpack track mark "$B" '')"
[ "$(comp idpack track list --status '')" = "prepared submitted resolved rejected" ] && ok || fail "completion of --status"
got=$(comp idpack track show '')
[[ $got == *"$A"* && $got == *"$C"* ]] && ok || fail "completion of references: $got"
got=$(comp idpack track list --)
for o in --status --overdue --as-of --hours --json --ledger; do
    [[ " $got " == *" $o "* ]] && ok || fail "completion of track list options lacks $o: $got"
done
got=$(comp idpack track mark --)
for o in --case --note --at --json --ledger; do
    [[ " $got " == *" $o "* ]] && ok || fail "completion of track mark options lacks $o: $got"
done
[[ " $(comp idpack track mark --) " != *" --overdue "* ]] && ok || fail "track mark offers --overdue"
for cmd in check normalize build verify demo batch drop; do
    got=$(comp idpack $cmd --)
    for o in $("$IDPACK" $cmd --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
        [[ " $got " == *" $o "* ]] && ok || fail "completion of $cmd lacks $o"
    done
done
[ "$(comp idpack check --lang '')" = "en it" ] && ok || fail "completion of check --lang"
[ "$(comp idpack profile '')" = "set unset show path" ] && ok || fail "completion after profile"
[ "$(comp idpack profile --json s)" = "set show" ] && ok || fail "completion after profile --json"
finish
