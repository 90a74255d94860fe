#!/usr/bin/env bash
# The window page's words come from the catalogues: GET /api/texts?lang=LANG
# gives each text in the page's language, the Italian as po/it.po has it
# (read by GNU gettext's own msgfmt and Python's gettext, not by idpack),
# every text non-empty; --lang takes every catalogued language and only
# those.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
command -v msgfmt >/dev/null || { echo "FAIL: msgfmt missing (package gettext)" >&2; exit 1; }
export XDG_RUNTIME_DIR="$T/run" HOME="$T/home"
mkdir -m 700 "$T/run" "$T/home"
msgfmt -o "$T/it.mo" "$IDP_SRC/po/it.po" && ok || fail "msgfmt po/it.po"

expect_exit 64 "$IDPACK" window --no-browser --lang xx
expect_grep "must be one of en, it" "$T/err" "window --lang xx"
expect_exit 0 "$IDPACK" window --help
expect_grep "--lang LANG +the page's language: en or a translated one" "$T/out" "window --help"

# start ARGS...: idpack window in the background; sets WPID and URL.
start() { window_start --no-browser --no-ledger "$@"; }
start
if "$PY" "$IDP_SRC/tests/cli/window_texts.py" "$URL" "$T/it.mo" >"$T/py" 2>&1; then ok; else fail "texts checks"; fi
sed 's/^/  /' "$T/py"
window_stop
# --lang it_IT.UTF-8 makes the page Italian whatever the browser says
start --lang it_IT.UTF-8
"$PY" - "$URL" >"$T/state" <<'PYEOF'
import http.client, json, sys, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1])
c = http.client.HTTPConnection(u.hostname, u.port, timeout=20)
c.request("GET", "/api/texts", headers={"Host": f"127.0.0.1:{u.port}", "Accept-Language": "en",
          "X-Idpack-Token": urllib.parse.parse_qs(u.query)["token"][0]})
print(json.loads(c.getresponse().read())["build"])
PYEOF
expect_grep '^Prepara il pacchetto$' "$T/state" "texts under --lang it_IT.UTF-8"
window_stop
finish
