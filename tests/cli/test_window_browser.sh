#!/usr/bin/env bash
# idpack window driven in headless chromium (WebDriver), as a seller: a good
# front and back dropped, the outline and the passes seen, the form filled,
# the package built and verified; a glared photo marked and the build
# refused with the reason; the page in Italian (its words po/it.po's, as
# GNU gettext reads them); the profile saved. (The
# corner marks of a cut-off or covered photo: test_window_marks.sh.)
# Skipped (exit 77) when chromium, chromedriver or python3-selenium is
# missing; CI installs them (.ci/packages). Screenshots go to
# $IDP_SCREENSHOTS when set (docs/images/ takes window-en.png from there).
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
for x in chromium chromedriver; do
    command -v "$x" >/dev/null || { echo "SKIP: $x is not installed"; exit 77; }
done
"$PY" -c 'import selenium' 2>/dev/null || { echo "SKIP: python3-selenium is not installed"; exit 77; }
export XDG_RUNTIME_DIR="$T/run" HOME="$T/home"
mkdir -m 700 "$T/run" "$T/home" "$T/out" "$T/shots"
window_start --no-browser --out-dir "$T/out" --date 2026-11-26 --ledger "$T/ledger.sqlite" \
    --close-timeout 60
msgfmt -o "$T/it.mo" "$IDP_SRC/po/it.po" && ok || fail "msgfmt po/it.po"
if "$PY" "$IDP_SRC/tests/cli/window_browser.py" "$URL" "$IDP_TESTIMG" "$T/out" "$T/shots" "$T/it.mo" >"$T/py" 2>&1; then ok; else fail "browser checks"; fi
sed 's/^/  /' "$T/py" | tail -40
window_stop
# what the page saved and recorded
PROFILE=$XDG_CONFIG_HOME/idpack/profile.ini
[ "$(stat -c %a "$PROFILE" 2>/dev/null)" = 600 ] && ok || fail "profile not saved with mode 0600"
expect_grep '^lang = it' "$PROFILE"
expect_grep '^account_email = seller@example.com' "$PROFILE"
sqlite3 "$T/ledger.sqlite" 'select count(*) from packages' >"$T/n" 2>/dev/null || echo 0 >"$T/n"
[ "$(cat "$T/n")" = 1 ] && ok || fail "the ledger holds $(cat "$T/n") packages, expected 1"
[ -z "$(find "$T/run" -mindepth 1 -maxdepth 1 -name ".window.idpack-tmp-*")" ] && ok || fail "the private folder is left"
# The seller guides' pictures: the top of the page, 960 px wide, 128
# colours (docs/images/window-en.png: good photos; window-it.png: a glared
# front refused, in Italian).
if [ -n "${IDP_SCREENSHOTS:-}" ]; then
    "$PY" - "$T/shots" "$IDP_SCREENSHOTS" <<'PYEOF'
import sys
from PIL import Image
src, dst = sys.argv[1], sys.argv[2]
for a, b in (("window-en.png", "window-en.png"), ("window-glare-it.png", "window-it.png")):
    im = Image.open(f"{src}/{a}").convert("RGB")
    im = im.crop((0, 0, im.width, min(im.height, 1180)))
    im = im.resize((960, round(im.height * 960 / im.width)), Image.LANCZOS)
    im.quantize(128, method=Image.MEDIANCUT, dither=Image.NONE).save(f"{dst}/{b}", optimize=True)
PYEOF
fi
finish
