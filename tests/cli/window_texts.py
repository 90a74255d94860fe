"""The window page's words through its HTTP API (run by test_window_texts.sh).

usage: window_texts.py URL IT_MO
IT_MO is po/it.po compiled by msgfmt: each Italian text the server gives
must be the catalogue's translation of its English, as GNU gettext reads
it (Python's gettext module), not as idpack's own table does.
Prints "FAIL: ..." per failed assertion and "ok N"; exits 1 on a failure.
"""
import http.client
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from window_common import Tally, address, catalogue  # noqa: E402

url, mo = sys.argv[1], sys.argv[2]
host, port, token = address(url)
it_cat = catalogue(mo)
tally = Tally()
check = tally.check


def get(path, headers=None, secret=True):
    c = http.client.HTTPConnection(host, port, timeout=20)
    h = {"Host": f"127.0.0.1:{port}", **(headers or {})}
    if secret:
        h["X-Idpack-Token"] = token
    c.request("GET", path, headers=h)
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, body


def texts(query):
    st, body = get("/api/texts" + query)
    check(st == 200, f"/api/texts{query} gave {st}")
    return json.loads(body) if st == 200 else {}


st, _ = get("/api/texts?lang=it", secret=False)
check(st == 403, f"/api/texts without the secret gave {st}")

en, it = texts("?lang=en"), texts("?lang=it")
check(len(en) >= 40, f"only {len(en)} texts in English")
check(sorted(en) == sorted(it), "the Italian texts have other keys than the English")
for k, v in it.items():
    check(isinstance(v, str) and v.strip() != "", f"Italian text '{k}' is empty")
    check(isinstance(en.get(k), str) and en[k].strip() != "", f"English text '{k}' is empty")
    want = it_cat.gettext(en.get(k, ""))
    check(v == want, f"Italian '{k}' is '{v}', po/it.po says '{want}'")
# a few keys pinned, so that a table that gave English for both would fail
for k, want_en, want_it in (
        ("title", "Your ID package for Amazon", "Il tuo pacchetto documento per Amazon"),
        ("build", "Build the package", "Prepara il pacchetto"),
        ("v_fail", "Amazon would reject this photo: take it again.", "Amazon rifiuterebbe questa foto: rifalla.")):
    check(en.get(k) == want_en, f"English '{k}' is '{en.get(k)}'")
    check(it.get(k) == want_it, f"Italian '{k}' is '{it.get(k)}'")
check("%s" in en.get("too_large", "") and "%s" in it.get("too_large", ""), "too_large lost its %s")
translated = sum(1 for k in en if en[k] != it.get(k))
check(translated >= len(en) - 2, f"only {translated} of {len(en)} texts differ in Italian")

# a locale of a catalogued language, any case; a language without a
# catalogue: the server's choice (no --lang, no profile, no browser's: English)
check(texts("?lang=it_IT.UTF-8") == it, "lang=it_IT.UTF-8 is not Italian")
check(texts("?lang=xx") == en, "lang=xx is not English")
st, body = get("/api/texts", {"Accept-Language": "IT-it,en;q=0.5"})
check(st == 200 and json.loads(body) == it, "Accept-Language IT-it is not Italian")

# the state names every language with its own name, and the page's
st, body = get("/api/state?lang=it_IT")
s = json.loads(body) if st == 200 else {}
check(s.get("lang") == "it", f"state lang for it_IT is {s.get('lang')}")
langs = {l["code"]: l["name"] for l in s.get("langs", [])}
check(langs.get("en") == "English" and langs.get("it") == "Italiano", f"state langs {langs}")

tally.finish()
