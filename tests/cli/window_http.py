"""HTTP safety checks of idpack window (run by test_window_safety.sh).

usage: window_http.py URL OUTSIDE_DIR PRIVATE_PARENT
Prints one line per failed assertion ("FAIL: ...") and "ok N" at the end;
exits 1 when anything failed. Plain http.client: no browser involved.
"""
import http.client
import json
import os
import sys
import threading
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from window_common import Tally, address  # noqa: E402

url, outside, private_parent = sys.argv[1], sys.argv[2], sys.argv[3]
host, port, token = address(url)
tally = Tally()
check = tally.check


def req(method, path, body=None, headers=None, host_header=None, chunked=False):
    c = http.client.HTTPConnection(host, port, timeout=20)
    h = dict(headers or {})
    c.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    c.putheader("Host", host_header if host_header is not None else f"127.0.0.1:{port}")
    for k, v in h.items():
        c.putheader(k, v)
    if body is not None and not chunked:
        c.putheader("Content-Length", str(len(body)))
    if chunked:
        c.putheader("Transfer-Encoding", "chunked")
    c.endheaders()
    if body is not None:
        try:
            if chunked:
                for i in range(0, len(body), 65536):
                    part = body[i:i + 65536]
                    c.send(b"%x\r\n" % len(part) + part + b"\r\n")
                c.send(b"0\r\n\r\n")
            else:
                c.send(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server refused before reading it all
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data


def tree(d):
    out = set()
    for root, dirs, files in os.walk(d):
        for n in dirs + files:
            out.add(os.path.relpath(os.path.join(root, n), d))
    return out


before = tree(outside)
auth = {"X-Idpack-Token": token}

# --- the secret ---
for path in ("/", "/app.js", "/api/state"):
    st, _, _ = req("GET", path)
    check(st == 403, f"GET {path} without the secret gave {st}, expected 403")
st, _, _ = req("GET", "/?token=" + "0" * 64)
check(st == 403, f"a wrong secret gave {st}")
st, _, _ = req("GET", "/?token=" + token[:-1])
check(st == 403, f"a shortened secret gave {st}")
st, h, body = req("GET", "/?token=" + token)
check(st == 200, f"the address printed gave {st}")
check(h.get("content-type", "").startswith("text/html"), f"index Content-Type {h.get('content-type')}")
csp = h.get("content-security-policy", "")
check("default-src 'self'" in csp and "unsafe-inline" not in csp, f"CSP is '{csp}'")
check(h.get("x-content-type-options") == "nosniff", "no nosniff")
check(h.get("referrer-policy") == "no-referrer", "no Referrer-Policy no-referrer")
cookie = h.get("set-cookie", "")
check(token in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie, f"cookie '{cookie}'")
cpair = cookie.split(";")[0]
for path, typ in (("/app.js", "text/javascript"), ("/app.css", "text/css")):
    st, h, _ = req("GET", path, headers={"Cookie": cpair})
    check(st == 200 and h.get("content-type", "").startswith(typ), f"{path} with the cookie: {st} {h.get('content-type')}")
st, _, _ = req("GET", "/api/state", headers={"Cookie": "idpack-1=" + token})
check(st == 403, f"the secret under another port's cookie name gave {st}")

# --- the page's language: the browser's, without a profile ---
for al, want in (("it-IT,it;q=0.9,en;q=0.8", "it"), ("fr-FR,fr;q=0.9,en;q=0.8", "en"), ("de-DE", "en")):
    st, _, body = req("GET", "/api/state", None, {**auth, "Accept-Language": al})
    got = json.loads(body).get("lang") if st == 200 else st
    check(got == want, f"Accept-Language {al} gave {got}, expected {want}")
st, _, body = req("GET", "/api/state?lang=it", None, {**auth, "Accept-Language": "en"})
check(st == 200 and json.loads(body)["lang"] == "it", "lang=it does not override Accept-Language")

# --- the Host (DNS rebinding) ---
for bad in (f"evil.example:{port}", f"127.0.0.1:{port + 1}", "127.0.0.1", f"localhost.evil.example:{port}", ""):
    st, _, _ = req("GET", "/?token=" + token, host_header=bad)
    check(st == 421, f"Host '{bad}' gave {st}, expected 421")
st, _, _ = req("GET", "/?token=" + token, host_header=f"localhost:{port}")
check(st == 200, f"Host localhost:{port} gave {st}")

# --- cross-origin writes ---
field = json.dumps({"key": "account_email", "value": "a@example.com"}).encode()
st, _, _ = req("POST", "/api/field", field, {**auth, "Origin": "http://evil.example"})
check(st == 403, f"POST with a foreign Origin gave {st}")
st, _, _ = req("POST", "/api/field", field, {**auth, "Origin": f"http://127.0.0.1:{port + 1}"})
check(st == 403, f"POST from another port gave {st}")
st, _, _ = req("POST", "/api/field", field, {**auth, "Sec-Fetch-Site": "cross-site"})
check(st == 403, f"POST with Sec-Fetch-Site cross-site gave {st}")
st, _, _ = req("POST", "/api/field", field, {**auth, "Sec-Fetch-Site": "same-site"})
check(st == 403, f"POST with Sec-Fetch-Site same-site gave {st}")
st, _, _ = req("POST", "/api/field", field, {"Cookie": cpair, "Origin": f"http://127.0.0.1:{port}"})
check(st == 403, f"POST with the cookie alone gave {st}")
st, _, body = req("POST", "/api/field", field, {**auth, "Origin": f"http://127.0.0.1:{port}", "Sec-Fetch-Site": "same-origin"})
check(st == 200 and json.loads(body).get("ok") is True, f"a same-origin POST gave {st} {body[:100]}")
# the page itself may be opened from elsewhere (the launch file) with the secret...
nav = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}
st, _, _ = req("GET", "/?token=" + token, None, nav)
check(st == 200, f"a cross-site navigation to the page with the secret gave {st}")
st, _, _ = req("GET", "/", None, nav)
check(st == 403, f"a cross-site navigation without the secret gave {st}")
# ...but nothing else, and not in a frame
st, _, _ = req("GET", "/?token=" + token, None, {**nav, "Sec-Fetch-Dest": "iframe"})
check(st == 403, f"the page framed by another site gave {st}")
st, _, _ = req("GET", "/api/state?token=" + token, None, {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty"})
check(st == 403, f"a cross-site read of the state with the secret gave {st}")
st, _, _ = req("PUT", "/api/field", field, auth)
check(st == 405, f"PUT gave {st}")
st, _, _ = req("DELETE", "/api/photo?side=front", None, auth)
check(st == 405, f"DELETE gave {st}")

# --- uploads ---
photo = open(os.environ["IDP_TESTIMG"] + "/sharp.jpg", "rb").read()
big = b"\xff" * (1024 * 1024 + 1)  # the test runs with --max-upload-mb 1
st, _, _ = req("POST", "/api/photo?side=front&name=big.jpg", big, auth)
check(st == 413, f"an upload over the limit gave {st}, expected 413")
st, _, _ = req("POST", "/api/photo?side=front&name=big.jpg", big, auth, chunked=True)
check(st == 413, f"a chunked upload over the limit gave {st}, expected 413")
st, _, _ = req("POST", "/api/field", b"{" + b" " * 70000 + b"}", auth)
check(st == 413, f"a JSON body over 64 KiB gave {st}, expected 413")
st, _, _ = req("POST", "/api/photo?side=sideways&name=x.jpg", photo[:1000], auth)
check(st == 400, f"an upload to an unknown side gave {st}")
small = open(os.environ["IDP_TESTIMG"] + "/lowres.jpg", "rb").read()
name = urllib.parse.quote("../../../../" + outside + "/escape.jpg")
st, _, body = req("POST", "/api/photo?side=front&name=" + name, small, auth)
check(st == 200, f"an upload named ../ gave {st}")
state = json.loads(body) if st == 200 else {}
front = (state.get("photos") or {}).get("front") or {}
check(front.get("name") == "escape.jpg", f"the ../ name is shown as {front.get('name')!r}")
check(front.get("report", {}).get("verdict") in ("pass", "warn"), f"the uploaded photo's verdict {front.get('report', {}).get('verdict')}")
check(not os.path.exists(os.path.join(outside, "escape.jpg")), "the ../ name wrote outside")
st, h, data = req("GET", "/api/thumb?side=front", None, {"Cookie": cpair})
check(st == 200 and h.get("content-type") == "image/jpeg" and data[:2] == b"\xff\xd8", f"thumbnail: {st} {h.get('content-type')}")
privs = [d for d in os.listdir(private_parent) if d.startswith(".window.idpack-tmp-")]
check(len(privs) == 1, f"private folders: {privs}")
if privs:
    p = os.path.join(private_parent, privs[0])
    mode = os.stat(p).st_mode & 0o777
    check(mode == 0o700, f"private folder mode {oct(mode)}")
    inside = sorted(os.listdir(p))
    check("front" in inside and all(n == "front" or n.startswith("thumb-front-") for n in inside), f"private folder holds {inside}")
    for n in inside:
        m = os.stat(os.path.join(p, n)).st_mode & 0o777
        check(m & 0o077 == 0, f"{n} mode {oct(m)}")
        check(open(os.path.join(p, n), "rb").read() == small if n == "front" else True, "the stored photo differs from the upload")
check(tree(outside) == before, f"files appeared outside: {sorted(tree(outside) - before)}")

# control and bidirectional characters in a name are not shown as such
name = urllib.parse.quote("a\u202egpj.\x01exe")
st, _, body = req("POST", "/api/photo?side=back&name=" + name, small, auth)
back = (json.loads(body).get("photos") or {}).get("back") or {} if st == 200 else {}
check(back.get("name") == "a_gpj._exe", f"a name with U+202E and a control character is shown as {back.get('name')!r}")

# --- the count of uploads (the test runs with --max-uploads 3; two made above) ---
codes = [req("POST", "/api/photo?side=back&name=b.jpg", small, auth)[0] for _ in range(2)]
check(codes == [200, 429], f"uploads 3-4 gave {codes}, expected 200 429")

# --- a flood ---
results = []
lock = threading.Lock()


def flood(n):
    for _ in range(n):
        try:
            st, _, _ = req("GET", "/api/state")
        except OSError as e:
            st = str(e)
        with lock:
            results.append(st)


threads = [threading.Thread(target=flood, args=(25,)) for _ in range(16)]
for t in threads:
    t.start()
for t in threads:
    t.join()
check(len(results) == 400 and all(r == 403 for r in results), f"flood answers: {sorted(set(map(str, results)))}")
st, _, _ = req("GET", "/?token=" + token)
check(st == 200, f"after the flood the page gave {st}")
st, _, body = req("GET", "/api/state", None, auth)
check(st == 200 and json.loads(body)["photos"]["front"] is not None, "after the flood the state was lost")

tally.finish()
