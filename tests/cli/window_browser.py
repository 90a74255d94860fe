"""idpack window in a real browser (headless chromium through WebDriver),
as a seller uses it. Run by test_window_browser.sh.

usage: window_browser.py URL IMAGES OUTDIR SHOTDIR IT_MO
IT_MO is po/it.po compiled by msgfmt: the Italian page's words are checked
against it (read by Python's gettext, not by idpack).
Prints "FAIL: ..." per failed assertion and "ok N"; exit 1 on a failure.
"""
import os
import subprocess
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from window_common import Tally, catalogue  # noqa: E402

url, images, outdir, shots, it_mo = sys.argv[1:6]
it_cat = catalogue(it_mo)
tally = Tally()
check = tally.check


opts = webdriver.ChromeOptions()
for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--window-size=1280,1900", "--lang=en-US", "--no-first-run", "--disable-extensions",
          "--disable-background-networking", "--disable-component-update"):
    opts.add_argument(a)
opts.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en"})
opts.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
d = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=opts)
d.set_page_load_timeout(20)
wait = WebDriverWait(d, 90)  # generous: CI also runs it under AddressSanitizer
by_id = lambda i: d.find_element(By.ID, i)


def shown(i):
    return lambda drv: drv.find_element(By.ID, i).is_displayed()


def verdict(side):
    return by_id("verdict-" + side).get_attribute("class").split()[-1]


def statuses(side):
    return {li.get_attribute("data-check"): li.get_attribute("class")
            for li in d.find_elements(By.CSS_SELECTOR, f"#checks-{side} li")}


def drop_files(paths):
    """Drops files on the page as a file manager does: a DataTransfer holding
    them, in a drop event on the document."""
    inp = d.execute_script(
        "const i = document.createElement('input'); i.type = 'file'; i.multiple = true;"
        "i.id = 'test-drop'; i.style.display = 'none'; document.body.appendChild(i); return i;")
    inp.send_keys("\n".join(paths))
    d.execute_script(
        "const i = document.getElementById('test-drop'); const dt = new DataTransfer();"
        "for (const f of i.files) dt.items.add(f);"
        "document.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));"
        "i.remove();")


T0 = time.time()


def lap(what):
    print(f"  {time.time() - T0:5.1f} s  {what}")


try:
    d.get(url)
    wait.until(lambda drv: drv.find_elements(By.CSS_SELECTOR, "#form .field"))
    check(d.find_element(By.TAG_NAME, "h1").text == "Your ID package for Amazon", "English title")
    check(d.execute_script("return document.documentElement.lang") == "en", "page language en")
    # the page's words as the server gave them, in English, kept to compare
    english = {"photos_h": d.find_element(By.CSS_SELECTOR, "#photos h2").text, "build": by_id("build-btn").text}
    check(english["build"] == "Build the package", f"English build button '{english['build']}'")
    check(by_id("lang-en").text == "English" and by_id("lang-it").text == "Italiano",
          "the language buttons are not English and Italiano")

    # --- a good front and back, dropped together (back named back.jpg, given first) ---
    drop_files([images + "/back.jpg", images + "/sharp.jpg"])
    wait.until(shown("view-front"))
    wait.until(shown("view-back"))
    wait.until(lambda drv: by_id("busy-back").get_attribute("hidden") is not None)
    check(by_id("name-front").text == "sharp.jpg" and by_id("name-back").text == "back.jpg",
          f"sides by name: front {by_id('name-front').text}, back {by_id('name-back').text}")
    for side in ("front", "back"):
        check(verdict(side) == "pass", f"{side} verdict {verdict(side)}")
        st = statuses(side)
        check(len(st) >= 10 and all(c == "pass" for c in st.values()), f"{side} checks {st}")
        outline = d.find_elements(By.CSS_SELECTOR, f"#svg-{side} polygon.outline")
        check(len(outline) == 1 and len(outline[0].get_attribute("points").split()) == 4,
              f"{side}: document outline drawn")
        check(not d.find_elements(By.CSS_SELECTOR, f"#svg-{side} .cut, #svg-{side} .glare"),
              f"{side}: no problem marked on a good photo")
        img = by_id("img-" + side)
        check(d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", img) > 0,
              f"{side}: thumbnail loaded")
    # the outline lies on the card: its box inside the picture, most of it
    box = d.execute_script("const b = document.querySelector('#svg-front polygon.outline').getBBox();"
                           "const v = document.getElementById('svg-front').viewBox.baseVal;"
                           "return [b.x / v.width, b.y / v.height, b.width / v.width, b.height / v.height];")
    check(0.05 < box[0] < 0.2 and 0.05 < box[1] < 0.25 and 0.7 < box[2] < 0.9 and 0.6 < box[3] < 0.85,
          f"outline box (share of the frame) {box}")
    sentence = d.find_element(By.CSS_SELECTOR, "#checks-front li[data-check=sharpness] .text").text
    check(sentence.endswith(".") and "sharp" in sentence.lower(), f"sharpness sentence '{sentence}'")

    lap("photos checked")
    # --- the form, validated as typed ---
    by_id("in-account_email").send_keys("seller@")
    wait.until(lambda drv: "bad" in by_id("field-account_email").get_attribute("class"))
    msg = by_id("msg-account_email").text
    check("email" in msg.lower() and "seller@" not in msg, f"bad email message '{msg}'")
    by_id("in-account_email").send_keys("example.com")
    wait.until(lambda drv: "ok" in by_id("field-account_email").get_attribute("class").split())
    by_id("in-full_name").send_keys("Alex Jordan Testperson")
    Select(by_id("in-id_type")).select_by_value("id_card")
    by_id("in-id_expiry").send_keys("2035-09-14")
    for k in ("full_name", "id_type", "id_expiry"):
        wait.until(lambda drv, k=k: "ok" in by_id("field-" + k).get_attribute("class").split())
    wait.until(lambda drv: "Alex Jordan Testperson" in by_id("letter-box").text)
    check("two-step verification" in by_id("letter-box").text.lower(), "letter preview text")
    d.execute_script("window.scrollTo(0, 0)")
    d.save_screenshot(os.path.join(shots, "window-en.png"))

    lap("form filled")
    # --- build: the package, which idpack verify accepts ---
    by_id("build-btn").click()
    wait.until(lambda drv: drv.find_elements(By.ID, "result") or drv.find_elements(By.ID, "refusal"))
    check(bool(d.find_elements(By.ID, "result")), "build result shown: " + by_id("build-out").text[:300])
    if d.find_elements(By.ID, "result"):
        ref, folder = by_id("reference").text, by_id("folder").text
        check(os.path.dirname(folder) == os.path.realpath(outdir), f"package folder {folder}")
        v = subprocess.run([os.environ["IDPACK"], "verify", folder], capture_output=True, text=True)
        check(v.returncode == 0, f"idpack verify exit {v.returncode}: {v.stdout}{v.stderr}")
        check(ref and ref in open(os.path.join(folder, "manifest.json")).read(), f"reference {ref} in the manifest")
        check("idpack track mark " + ref in by_id("result").text, "next steps name the reference")
        href = by_id("pdf-link").get_attribute("href")
        pdf = d.execute_script("return fetch(arguments[0]).then(r => r.headers.get('content-type') + ' ' + r.status)", href)
        check(pdf == "application/pdf 200", f"the PDF link gives {pdf}")

    lap("built and verified")
    # --- a glared front: marked on the picture, the build refused with the reason ---
    by_id("remove-front").click()
    wait.until(shown("drop-front"))
    by_id("file-front").send_keys(images + "/glare.jpg")
    wait.until(lambda drv: drv.find_element(By.ID, "view-front").is_displayed()
               and by_id("name-front").text == "glare.jpg")
    check(verdict("front") == "fail", f"glare verdict {verdict('front')}")
    check(statuses("front").get("glare") == "fail", f"glare check {statuses('front').get('glare')}")
    glare = d.find_elements(By.CSS_SELECTOR, "#svg-front polygon.glare")
    check(len(glare) >= 1, "glare region marked on the photo")
    if glare:
        g = d.execute_script("const b = arguments[0].getBBox(), o = document.querySelector('#svg-front polygon.outline').getBBox();"
                             "return [b.x >= o.x - 5, b.y >= o.y - 5, b.x + b.width <= o.x + o.width + 5, b.y + b.height <= o.y + o.height + 5, b.width * b.height / (o.width * o.height)];", glare[0])
        check(all(g[:4]) and 0.01 < g[4] < 0.5, f"glare box inside the card, area share {g}")
    reason = d.find_element(By.CSS_SELECTOR, "#checks-front li[data-check=glare] .text").text
    by_id("build-btn").click()
    wait.until(lambda drv: drv.find_elements(By.ID, "refusal"))
    refusal = by_id("refusal").text
    check(reason in refusal and "not built" in refusal, f"refusal '{refusal[:300]}' lacks the glare reason")
    d.execute_script("window.scrollTo(0, 0)")
    d.save_screenshot(os.path.join(shots, "window-glare-en.png"))
    lap("glare refused")
    # --- Italian ---
    by_id("lang-it").click()
    wait.until(lambda drv: drv.find_element(By.TAG_NAME, "h1").text == "Il tuo pacchetto documento per Amazon")
    wait.until(lambda drv: "Verrà rifiutata" in by_id("checks-front").text)
    check(d.execute_script("return document.documentElement.lang") == "it", "page language it")
    # the Italian words are po/it.po's for the English the page showed
    for k, got in (("photos_h", d.find_element(By.CSS_SELECTOR, "#photos h2").text),
                   ("build", by_id("build-btn").text)):
        want = it_cat.gettext(english[k])
        check(want != english[k] and got == want, f"Italian '{k}' is '{got}', po/it.po says '{want}'")
    check(d.title == it_cat.gettext("Your ID package for Amazon") + " – idpack", f"Italian title '{d.title}'")
    check(by_id("lang-it").get_attribute("aria-pressed") == "true", "the Italiano button is not pressed")
    label = d.find_element(By.CSS_SELECTOR, "#field-full_name label").text
    check(label.startswith("Nome"), f"Italian label '{label}'")
    it_reason = d.find_element(By.CSS_SELECTOR, "#checks-front li[data-check=glare] .text").text
    check(it_reason != reason and it_reason, f"glare sentence in Italian '{it_reason}'")
    check(by_id("in-full_name").get_attribute("value") == "Alex Jordan Testperson", "the typed name survives the switch")
    wait.until(lambda drv: "verifica in due passaggi" in by_id("letter-box").text.lower())
    by_id("save-profile").click()
    wait.until(lambda drv: by_id("save-msg").text)
    check(by_id("save-msg").text.startswith("Salvati"), f"save message '{by_id('save-msg').text}'")
    d.execute_script("window.scrollTo(0, 0)")
    d.save_screenshot(os.path.join(shots, "window-glare-it.png"))
    lap("Italian")
    logs = [e for e in d.get_log("browser") if e.get("level") == "SEVERE" and "favicon" not in e.get("message", "")]
    check(not logs, f"browser console errors: {logs[:3]}")
except Exception as e:  # a timeout names what was awaited in the traceback
    import traceback
    tally.fails.append("exception: " + "".join(traceback.format_exception_only(type(e), e)).strip()[:500])
    try:
        d.save_screenshot(os.path.join(shots, "window-failure.png"))
    except Exception:
        pass
finally:
    d.quit()

tally.finish()
