#!/usr/bin/env bash
# What idpack window says after a build, over HTTP (POST /api/build) and,
# when chromium, chromedriver and python3-selenium are there, on the page:
# the warning of a letter of the name read with doubt (as build prints it)
# beside the package built, and a build refused for a missing back ending
# with the window's own way to give it (its Back box), not build's option.
. "$(dirname "$0")/lib.sh"
PY=$(numpy_python) || { fail "no python3 with numpy and PIL for tests/images/mkmrz.py"; finish; }
export XDG_RUNTIME_DIR="$T/run"
mkdir -m 700 "$T/run"
# a passport page whose zone reads KFTTY, which the reader is measured to
# make of KETTY (test_mrz_cross.sh): built, with the warning
"$PY" "$IDP_SRC/tests/images/mkmrz.py" "$T/kfz.jpg" td3 seed=5 surname=MAUS given=KFTTY \
    expiry=351130 width=1000 height=750 >/dev/null || fail "mkmrz.py"
"$IDPACK" profile set "full_name=Ketty Maus" account_email=k@example.com >/dev/null || fail "profile set"

# start PHOTO...: a window on these photos, building into a folder of its
# own (the same photos and details again give the package already there,
# with no build and so no warning); URL in $URL, its pid in $WPID
N=0
LEDGER=(--no-ledger)
start() {
    N=$((N + 1)); mkdir "$T/out$N"
    window_start --no-browser "${LEDGER[@]}" --out-dir "$T/out$N" --date 2026-11-26 \
        --close-timeout 60 "$@"
}
stop() { window_stop; }
# build VALUES_JSON [LANG]: POST /api/build, its answer in $T/build.json
build() {
    "$PY" - "$URL" "$1" "${2:-en}" >"$T/build.json" <<'PYEOF' || fail "POST /api/build"
import sys, urllib.parse, urllib.request
u = urllib.parse.urlsplit(sys.argv[1])
tok = urllib.parse.parse_qs(u.query)["token"][0]
body = ('{"values": %s}' % sys.argv[2]).encode()
r = urllib.request.Request(f"http://{u.netloc}/api/build?lang={sys.argv[3]}", data=body, method="POST",
                           headers={"X-Idpack-Token": tok, "Content-Type": "application/json"})
sys.stdout.write(urllib.request.urlopen(r, timeout=300).read().decode())
PYEOF
}
# j EXPR: a value of the build's answer (b), printed by python
j() { "$PY" -c "import json; b = json.load(open('$T/build.json')); print($1)"; }

start "$T/kfz.jpg"
build '{"full_name": "Ketty Maus", "account_email": "k@example.com"}'
[ "$(j "b['ok']")" = True ] && ok || fail "the passport was not built: $(head -c 400 "$T/build.json")"
[ "$(j "len(b['warnings'])")" = 1 ] && ok || fail "warnings: $(j "b.get('warnings')")"
[ "$(j "b['warnings'][0].startswith('one letter of the name on the ID (the machine-readable zone of ')")" = True ] &&
    [ "$(j "'could not be read with certainty: check that full_name is spelt exactly as on the ID' in b['warnings'][0]")" = True ] &&
    ok || fail "the warning: $(j "b['warnings']")"
stop
# the same warning in Italian
start "$T/kfz.jpg"
build '{"full_name": "Ketty Maus", "account_email": "k@example.com"}' it
[ "$(j "b['ok'] and 'non si è potuta leggere con certezza' in b['warnings'][0]")" = True ] && ok ||
    fail "the warning in Italian: $(head -c 400 "$T/build.json")"
stop

# the page shows it (headless chromium), under "The package is ready."
start "$T/kfz.jpg"
if command -v chromium >/dev/null && command -v chromedriver >/dev/null &&
    /usr/bin/python3 -c 'import selenium' 2>/dev/null; then
    /usr/bin/python3 - "$URL" >"$T/page" 2>&1 <<'PYEOF' && ok || { fail "the page: $(tail -5 "$T/page")"; }
import os, sys
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
o = webdriver.ChromeOptions()
for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=en-US",
          "--no-first-run", "--disable-extensions", "--disable-background-networking"):
    o.add_argument(a)
o.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en"})
o.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
d = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=o)
try:
    d.get(sys.argv[1])
    w = WebDriverWait(d, 120)
    w.until(lambda drv: drv.find_elements(By.CSS_SELECTOR, "#form .field"))
    w.until(lambda drv: drv.find_element(By.ID, "view-front").is_displayed())
    d.find_element(By.ID, "build-btn").click()
    w.until(lambda drv: drv.find_elements(By.ID, "result") or drv.find_elements(By.ID, "refusal"))
    res = d.find_element(By.ID, "build-out").text
    assert d.find_elements(By.ID, "result"), res
    warn = d.find_elements(By.ID, "build-warning-0")
    assert warn, "no warning shown: " + res
    text = warn[0].text
    assert text.startswith("Warning: one letter of the name on the ID"), text
    assert "could not be read with certainty" in text, text
    assert "warning" in warn[0].get_attribute("class").split(), warn[0].get_attribute("class")
    print("shown:", text)
finally:
    d.quit()
PYEOF
else
    echo "note: chromium, chromedriver or python3-selenium missing: the page itself not checked"
fi
stop
# an exact name: no warning
"$PY" "$IDP_SRC/tests/images/mkmrz.py" "$T/pass.jpg" td3 seed=3 surname=MUELLER given=ANNA \
    expiry=351130 width=1000 height=750 >/dev/null || fail "mkmrz.py"
start "$T/pass.jpg"
build '{"full_name": "Anna Mueller", "account_email": "a@example.com"}'
[ "$(j "b['ok'] and b['warnings'] == []")" = True ] && ok || fail "an exact name: $(head -c 400 "$T/build.json")"
stop
# with a ledger: the package is recorded once; the same photos and details
# again give the package already there, not recorded again and no error
LEDGER=(--ledger "$T/ledger.db")
start "$T/pass.jpg"
build '{"full_name": "Anna Mueller", "account_email": "a@example.com"}'
REF1=$(j "b['reference'] if b['ok'] and 'ledger_error' not in b else 'bad: ' + str(b)")
build '{"full_name": "Anna Mueller", "account_email": "a@example.com"}'
REF2=$(j "b['reference'] if b['ok'] and 'ledger_error' not in b else 'bad: ' + str(b)")
stop
LEDGER=(--no-ledger)
case "$REF1" in bad:*) fail "first build with a ledger: $REF1" ;; *) ok ;; esac
[ "$REF2" = "$REF1" ] && ok || fail "the same photos again: $REF2 (first $REF1)"
[ "$(sqlite3 "$T/ledger.db" "SELECT count(*) FROM packages WHERE reference = '$REF1'")" = 1 ] &&
    [ "$(sqlite3 "$T/ledger.db" "SELECT count(*) FROM events")" = 1 ] && ok ||
    fail "the ledger: $(sqlite3 "$T/ledger.db" "SELECT reference, status FROM packages")"

# an ID card without its back: refused, with the window's words
start "$IDP_TESTIMG/sharp.jpg"
build '{"full_name": "Ketty Maus", "account_email": "k@example.com", "id_type": "id_card", "id_expiry": "2031-05-31"}'
[ "$(j "b['ok']")" = False ] && ok || fail "an ID card without its back was built"
[ "$(j "b['message'].endswith('photograph the back too and add it (drop it in the Back box)')")" = True ] &&
    ok || fail "the missing back's message: $(j "b.get('message')")"
[ "$(j "'--back' in b['message'] or 'CSV' in b['message']")" = False ] && ok ||
    fail "the window names another command's way: $(j "b['message']")"
build '{"full_name": "Ketty Maus", "account_email": "k@example.com", "id_type": "id_card", "id_expiry": "2031-05-31"}' it
[ "$(j "b['message'].endswith('aggiungilo (trascinala nel riquadro Retro)')")" = True ] &&
    ok || fail "the missing back's message in Italian: $(j "b.get('message')")"
stop
finish
