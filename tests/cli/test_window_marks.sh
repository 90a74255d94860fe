#!/usr/bin/env bash
# What idpack window marks on the photos (GET /api/state, "marks"): the
# corner a finger covers, the corner the frame cuts off, the glare the
# check counted, and nothing on a good photo; photos given on the command
# line, front and back from their names.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
export XDG_RUNTIME_DIR="$T/run"
mkdir -m 700 "$T/run"
# a finger (a skin-coloured oval) over the card's top-right corner, at
# about 2608,243 of sharp.jpg; and sharp.jpg without its top 280 rows,
# which cuts that corner off
"$PY" - "$IDP_TESTIMG/sharp.jpg" "$T" <<'PYEOF' || { fail "cannot make the photos"; finish; }
import sys
from PIL import Image, ImageDraw
im = Image.open(sys.argv[1]).convert("RGB")
cut = im.crop((0, 280, 3000, 2000))
ImageDraw.Draw(im).ellipse((2400, 60, 2800, 420), fill=(222, 170, 140))
im.save(sys.argv[2] + "/retro-finger.jpg", quality=90)
cut.save(sys.argv[2] + "/fronte-cut.jpg", quality=90)
PYEOF

# state URL: the state of the window started with the given photos
state() {
    window_start --no-browser --no-ledger "$@"
    "$PY" - "$URL" >"$T/state.json" <<'PYEOF' || fail "no state from the window"
import sys, urllib.parse, urllib.request
u = urllib.parse.urlsplit(sys.argv[1])
tok = urllib.parse.parse_qs(u.query)["token"][0]
r = urllib.request.Request(f"http://{u.netloc}/api/state", headers={"X-Idpack-Token": tok})
sys.stdout.write(urllib.request.urlopen(r, timeout=120).read().decode())
PYEOF
    window_stop
}
# q SIDE EXPR: a value of the photo's JSON, printed by python
q() { "$PY" -c "import json,sys; p=json.load(open('$T/state.json'))['photos']['$1']; print($2)"; }

state "$T/retro-finger.jpg" "$T/fronte-cut.jpg" # back first: the names decide
[ "$(q front "p['name']")" = fronte-cut.jpg ] && ok || fail "front is $(q front "p['name']")"
[ "$(q front "[c['status'] for c in p['report']['checks'] if c['id']=='corners']")" = "['fail']" ] && ok || fail "cut: corners not failed"
[ "$(q front "p['marks']['corners']")" = "[1]" ] && ok || fail "cut: marked corners $(q front "p['marks']['corners']")"
[ "$(q back "[c['status'] for c in p['report']['checks'] if c['id']=='corners']")" = "['fail']" ] && ok || fail "finger: corners not failed"
[ "$(q back "p['marks']['corners']")" = "[1]" ] && ok || fail "finger: marked corners $(q back "p['marks']['corners']")"
# the marked corner is where the finger is
[ "$(q back "int(2400 < p['report']['document']['quad'][1][0] < 2800 and 60 < p['report']['document']['quad'][1][1] < 420)")" = 1 ] && ok || fail "finger: corner 1 is not under the finger"

# the details prefilled from the saved profile, the page in its language
"$IDPACK" profile set full_name="Alex Jordan Testperson" account_email=alex@example.com lang=it >/dev/null ||
    fail "profile set"
state "$IDP_TESTIMG/glare.jpg" "$IDP_TESTIMG/back.jpg"
"$PY" -c "
import json, sys
s = json.load(open('$T/state.json'))
v = {f['key']: f['value'] for f in s['fields']}
labels = {f['key']: f['label'] for f in s['fields']}
assert s['lang'] == 'it', s['lang']
assert s['profile'] is True
assert v['full_name'] == 'Alex Jordan Testperson' and v['account_email'] == 'alex@example.com', v
assert v['id_expiry'] == '' and labels['full_name'].startswith('Nome'), (v['id_expiry'], labels['full_name'])
" && ok || fail "state with a profile: $(head -c 300 "$T/state.json")"
[ "$(q front "len(p['marks']['glare']) >= 1 and p['marks']['corners'] == []")" = True ] && ok || fail "glare: marks $(q front "p['marks']")"
# the glare box is on the card (inside the document's bounding box)
[ "$(q front "(lambda g, d: min(x for x,_ in d) <= min(x for x,_ in g) and max(x for x,_ in g) <= max(x for x,_ in d) and min(y for _,y in d) <= min(y for _,y in g) and max(y for _,y in g) <= max(y for _,y in d))(p['marks']['glare'][0], p['report']['document']['quad'])")" = True ] && ok || fail "glare box off the card"
[ "$(q back "p['marks']")" = "{'glare': [], 'corners': []}" ] && ok || fail "good back: marks $(q back "p['marks']")"
[ "$(q back "p['thumb']['width']")" = 900 ] && ok || fail "thumbnail width $(q back "p['thumb']")"
finish
