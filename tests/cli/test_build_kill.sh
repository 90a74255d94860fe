#!/usr/bin/env bash
# kill -9 an idpack build at moments spread over its whole run (a seeded
# schedule derived from a measured build): each kill leaves, in the output's
# parent folder, either the complete package (idpack verify and sha256sum -c
# pass) or nothing at all: no temporary folder, no half-written file, no
# hidden entry. The check is made once the run's cleanup guardian has ended
# (it holds an inherited lock; see docs/package.md, "Crash safety"). A kill
# during a --force rebuild leaves the old or the new package, never none.
# Then: stale temporaries of a run that had no guardian (a power cut) are
# removed by the next build of the same name, and only those.
. "$(dirname "$0")/lib.sh"
need_tools flock sha256sum sqlite3
DATE=2026-11-26
FRONT=$IDP_TESTIMG/sharp.jpg
BACK=$IDP_TESTIMG/back.jpg
write_form "$T/form.txt" "Anna Kill-Test" anna@example.com id_card 2031-05-31
LEDGER=$T/ledger.sqlite
build() { "$IDPACK" build --front "$FRONT" --back "$BACK" --form "$T/form.txt" --date $DATE --ledger "$LEDGER" "$@"; }
ms() { echo $(($(date +%s%N) / 1000000)); }

# A reference package, and the time a build takes here.
mkdir "$T/ref"
t0=$(ms)
build --out "$T/ref/pkg" >/dev/null 2>"$T/err" || { fail "the reference build failed: $(head -3 "$T/err")"; finish; }
DUR=$(($(ms) - t0))
echo "a build takes ${DUR} ms" >&2

# The schedule: moments as fractions of DUR, seeded: two thirds spread
# evenly (with jitter) over the whole build, one third packed into its last
# 15 %, where the package is written and renamed into place. Rounds go on
# until 22 kills have hit a running build (at most 40 rounds); when a build
# ends before its kill (the machine got faster), DUR shrinks by 10 %. Every
# 4th round rebuilds with --force over an existing package.
mapfile -t FRACS < <(python3 - <<'PY'
import random
r = random.Random(20261126)
xs = [int((i + r.random()) / 26 * 1000) for i in range(26)]
xs += [int(850 + 150 * (i + r.random()) / 14) for i in range(14)]
r.shuffle(xs)
print("\n".join(str(x) for x in xs))
PY
)
[ "${#FRACS[@]}" -eq 40 ] && ok || fail "the schedule has ${#FRACS[@]} moments"

killed=0 complete=0 nothing=0 round=0 waited_max=0
while [ $killed -lt 22 ] && [ $round -lt 40 ]; do
    d=$((FRACS[round] * DUR / 1000))
    delay=$(printf '%d.%03d' $((d / 1000)) $((d % 1000)))
    round=$((round + 1))
    O=$T/k$round
    mkdir "$O"
    force=()
    if [ $((round % 4)) -eq 0 ]; then
        cp -a "$T/ref/pkg" "$O/pkg"
        force=(--force --set "phone=+39 06 1234 567$((round % 10))")
    fi
    # fd 9 (a lock) is inherited by idpack and by its guardian: taking the
    # lock below waits until both have ended.
    ( flock 9 && exec "$IDPACK" build --front "$FRONT" --back "$BACK" --form "$T/form.txt" \
        --date $DATE --ledger "$LEDGER" --out "$O/pkg" "${force[@]}" ) 9>"$T/lock$round" \
        >/dev/null 2>/dev/null &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null || true
    rc=0
    { wait "$pid" || rc=$?; } 2>/dev/null
    if [ $rc -eq 137 ]; then killed=$((killed + 1)); else DUR=$((DUR * 9 / 10)); fi
    t0=$(ms)
    flock -w 20 "$T/lock$round" true || fail "round $round: the guardian did not end within 20 s"
    t0=$(($(ms) - t0))
    [ $t0 -gt $waited_max ] && waited_max=$t0
    listing=$(ls -A "$O" | tr '\n' ' ')
    case "$listing" in
    "")
        if [ ${#force[@]} -gt 0 ]; then fail "round $round (${delay}s, --force): the old package is gone"
        else ok; fi
        nothing=$((nothing + 1)) ;;
    "pkg ")
        if "$IDPACK" verify "$O/pkg" >/dev/null 2>&1 && (cd "$O/pkg" && sha256sum --quiet -c SHA256SUMS); then
            ok; complete=$((complete + 1))
        else
            fail "round $round (${delay}s): the package left does not verify"
        fi
        n=$(ls -A "$O/pkg" | wc -l)
        [ "$n" -eq 5 ] && ok || fail "round $round: the package holds $n entries: $(ls -A "$O/pkg" | tr '\n' ' ')" ;;
    *)
        fail "round $round (killed after ${delay}s): left in the folder: $listing" ;;
    esac
done
echo "$round rounds: $killed killed while running, $complete left a complete package, $nothing left nothing; the guardian ended at most ${waited_max} ms after the kill" >&2
[ "$killed" -ge 22 ] && ok || fail "only $killed of $round kills hit a running build"
[ "$nothing" -ge 1 ] && ok || fail "no kill came before the package was written"

# The ledger survived: intact; every package it lists exists or was killed
# after being recorded (a package is recorded only once it is in place).
[ "$(sqlite3 "$LEDGER" 'PRAGMA integrity_check')" = ok ] && ok || fail "ledger integrity_check"

# Exact moments, made with strace: SIGKILL delivered as the build enters a
# given system call (the main thread writes the package), then the same
# checks. Each expectation is exact.
# killed_at NAME SYSCALL WHEN EXPECT [build args]: EXPECT is "nothing",
# "new" (the package, not the reference) or "old" (the reference package).
killed_at() {
    local name=$1 call=$2 when=$3 expect=$4 O=$T/at-$1 rc=0 got
    shift 4
    mkdir "$O"
    [ "$#" -gt 0 ] && cp -a "$T/ref/pkg" "$O/pkg" # a --force rebuild over the reference
    { ( flock 9 && exec strace -qq -o /dev/null -e trace="$call" -e inject="$call":signal=KILL:when="$when" \
        "$IDPACK" build --front "$FRONT" --back "$BACK" --form "$T/form.txt" --date $DATE \
        --ledger "$LEDGER" --out "$O/pkg" "$@" ) 9>"$T/lock-$name" >/dev/null 2>"$T/err-$name" || rc=$?; } 2>/dev/null
    flock -w 20 "$T/lock-$name" true || fail "$name: the guardian did not end within 20 s"
    [ $rc -eq 137 ] && ok || fail "$name: not killed at $call #$when (exit $rc: $(head -2 "$T/err-$name"))"
    got=$(ls -A "$O" | tr '\n' ' ')
    case "$expect" in
    nothing) [ -z "$got" ] && ok || fail "$name: left $got" ;;
    old | new)
        [ "$got" = "pkg " ] && ok || fail "$name: left '$got', expected the package alone"
        "$IDPACK" verify "$O/pkg" >/dev/null 2>&1 && (cd "$O/pkg" && sha256sum --quiet -c SHA256SUMS) \
            && ok || fail "$name: the package does not verify"
        if cmp -s "$O/pkg/SHA256SUMS" "$T/ref/pkg/SHA256SUMS"; then got=old; else got=new; fi
        [ "$got" = "$expect" ] && ok || fail "$name: the $got package is there, expected the $expect one" ;;
    esac
}
if command -v strace >/dev/null; then
    killed_at fsync3 fsync 3 nothing                # two files of five written and synced
    killed_at rename renameat2 1 nothing            # every file written, not yet renamed
    killed_at exchange renameat2 1 old --force --set "phone=+39 06 1234 5678"  # swapping in
    killed_at cleanup unlinkat 1 new --force --set "phone=+39 06 1234 5679"    # old one going
else
    fail "strace is not installed (needed for the exact kill moments)"
fi

# Without a guardian (a power cut): stale temporaries of the same name are
# removed by the next build; a live process's, and other names', are not.
O=$T/stale
mkdir "$O"
sh -c 'exit 0' &
dead=$!
wait $dead
mkdir "$O/.pkg.idpack-tmp-$dead-Ab12Cd" "$O/.pkg.idpack-tmp-Zz9Yy8" "$O/.pkg.idpack-tmp-$$-Qq1Ww2" \
    "$O/.other.idpack-tmp-$dead-Ee3Rr4" "$O/.pkg.idpack-old-$dead-Tt5Yy6"
echo partial >"$O/.pkg.idpack-tmp-$dead-Ab12Cd/request.pdf"
echo partial >"$O/.pkg.idpack-tmp-Zz9Yy8/id-front.jpg"
expect_exit 0 build --out "$O/pkg"
for n in ".pkg.idpack-tmp-$dead-Ab12Cd" .pkg.idpack-tmp-Zz9Yy8 ".pkg.idpack-old-$dead-Tt5Yy6"; do
    [ -e "$O/$n" ] && fail "stale $n was not removed" || ok
done
for n in ".pkg.idpack-tmp-$$-Qq1Ww2" ".other.idpack-tmp-$dead-Ee3Rr4"; do
    [ -d "$O/$n" ] && ok || fail "$n (a live process's, or another name's) was removed"
done
finish
