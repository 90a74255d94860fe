"use strict";
/* idpack window: the seller's page. Talks only to the server it came from
 * (every request carries this run's secret in a header); no inline script,
 * no other host. */
(function () {
  /* The page's words come from the server (GET /api/texts?lang=LANG: the
   * English in C, each other language from its catalogue, po/LANG.po).
   * Until they have come, or if they cannot, the page keeps the English
   * written in index.html; "lost" is needed when the server is gone. */
  const FALLBACK = { lost: "The window has stopped (was idpack closed?). Start it again to go on." };
  let texts = {}, textsLang = null;
  const params = new URLSearchParams(location.search);
  const token = params.get("token") || "";
  const SIDES = ["front", "back"];
  let lang = "en", langSet = false, state = null, values = {}, fieldTimers = {}, letterTimer = null;

  const $ = (id) => document.getElementById(id);
  const t = (k) => texts[k] || FALLBACK[k] || k;
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  };
  const SVG = "http://www.w3.org/2000/svg";

  async function api(method, path, body, raw) {
    const sep = path.indexOf("?") < 0 ? "?" : "&";
    const opts = { method: method, headers: { "X-Idpack-Token": token }, credentials: "same-origin" };
    if (body !== undefined) {
      if (raw) opts.body = body;
      else { opts.body = JSON.stringify(body); opts.headers["Content-Type"] = "application/json"; }
    }
    let r;
    try {
      r = await fetch(langSet ? path + sep + "lang=" + lang : path, opts);
    } catch (e) {
      showError(t("lost"));
      throw e;
    }
    let j = null;
    try { j = await r.json(); } catch (e) { j = null; }
    if (!r.ok) {
      const err = new Error((j && j.error) || ("HTTP " + r.status));
      err.status = r.status;
      throw err;
    }
    return j;
  }

  function showError(msg) {
    const e = $("error");
    e.textContent = msg || "";
    e.hidden = !msg;
  }

  function applyLang() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-t]").forEach((n) => {
      if (texts[n.dataset.t]) n.textContent = texts[n.dataset.t];
    });
    /* a button for each language the server has (English and every catalogue) */
    const nav = $("langs");
    (state.langs || []).forEach((l) => {
      let b = $("lang-" + l.code);
      if (!b) {
        b = el("button", null, l.name);
        b.type = "button";
        b.id = "lang-" + l.code;
        b.lang = l.code;
        b.addEventListener("click", () => load(l.code).catch((e) => showError(e.message)));
        nav.appendChild(b);
      }
      b.setAttribute("aria-pressed", String(lang === l.code));
    });
    if (texts.title) document.title = texts.title + " – idpack";
  }

  /* ---- photos ---- */

  function drawMarks(side, p) {
    const svg = $("svg-" + side);
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const r = p.report;
    if (!r || !r.width) return;
    svg.setAttribute("viewBox", "0 0 " + r.width + " " + r.height);
    svg.setAttribute("preserveAspectRatio", "none");
    const doc = r.document;
    const cornerCheck = (r.checks || []).find((c) => c.id === "corners");
    if (doc && doc.found && doc.quad) {
      const poly = document.createElementNS(SVG, "polygon");
      poly.setAttribute("points", doc.quad.map((q) => q[0] + "," + q[1]).join(" "));
      poly.setAttribute("class", "outline" + (cornerCheck && cornerCheck.status !== "pass" ? " problem" : ""));
      svg.appendChild(poly);
      const radius = Math.max(r.width, r.height) * 0.035;
      (p.marks.corners || []).forEach((i) => {
        const c = document.createElementNS(SVG, "circle");
        c.setAttribute("cx", doc.quad[i][0]);
        c.setAttribute("cy", doc.quad[i][1]);
        c.setAttribute("r", radius);
        c.setAttribute("class", "cut");
        svg.appendChild(c);
      });
    }
    (p.marks.glare || []).forEach((q) => {
      const g = document.createElementNS(SVG, "polygon");
      g.setAttribute("points", q.map((pt) => pt[0] + "," + pt[1]).join(" "));
      g.setAttribute("class", "glare");
      svg.appendChild(g);
    });
  }

  function renderPhoto(side) {
    const p = state.photos[side];
    $("drop-" + side).hidden = !!p;
    $("view-" + side).hidden = !p;
    if (!p) return;
    const r = p.report;
    const img = $("img-" + side);
    if (p.thumb) {
      const src = "/api/thumb?side=" + side + "&v=" + p.version;
      if (img.getAttribute("src") !== src) img.src = src;
      img.alt = p.name;
      img.hidden = false;
    } else {
      img.removeAttribute("src");
      img.hidden = true;
    }
    $("name-" + side).textContent = p.name;
    const v = $("verdict-" + side);
    v.className = "verdict " + r.verdict;
    v.textContent = t("v_" + r.verdict) + (r.verdict === "error" && r.error ? " " + r.error : "");
    const doc = r.document;
    if (doc && !doc.found && r.verdict !== "error") v.textContent += " " + t("no_doc");
    const ul = $("checks-" + side);
    ul.textContent = "";
    const order = { fail: 0, warn: 1, pass: 2 };
    (r.checks || []).slice().sort((a, b) => order[a.status] - order[b.status]).forEach((c) => {
      const li = el("li", c.status);
      li.dataset.check = c.id;
      li.appendChild(el("span", "mark", t(c.status)));
      li.appendChild(el("span", "text", c.message));
      ul.appendChild(li);
    });
    drawMarks(side, p);
  }

  function render() {
    SIDES.forEach(renderPhoto);
    $("out-note").textContent = t("out_note") + state.out_dir;
    $("profile-note").textContent = state.profile ? t("profile_yes") : t("profile_no");
  }

  async function upload(side, file) {
    if (!file) return;
    showError("");
    const max = state ? state.max_upload_mb : 25;
    if (file.size > max * 1024 * 1024) {
      showError(t("too_large").replace("%s", max));
      return;
    }
    $("busy-" + side).hidden = false;
    try {
      state = await api("POST", "/api/photo?side=" + side + "&name=" + encodeURIComponent(file.name), file, true);
      render();
      scheduleLetter();
    } catch (e) {
      showError(t("upload_failed") + e.message);
    } finally {
      $("busy-" + side).hidden = true;
    }
  }

  /* several files dropped at once: front and back from their names, else the order */
  function sideOf(name) {
    const n = name.toLowerCase();
    if (/(^|[^a-z])(back|retro|verso|reverso|r[uü]e?ckseite)([^a-z]|$)/.test(n)) return "back";
    if (/(^|[^a-z])(front|fronte|recto|anverso|vorderseite)([^a-z]|$)/.test(n)) return "front";
    return null;
  }

  async function dropFiles(files, side) {
    files = Array.from(files || []);
    if (files.length === 0) return;
    if (files.length > 2) { showError(t("two_only")); return; }
    if (files.length === 1) { await upload(side || (state.photos.front ? "back" : "front"), files[0]); return; }
    let [a, b] = files;
    if (sideOf(a.name) === "back" || sideOf(b.name) === "front") [a, b] = [b, a];
    await upload("front", a);
    await upload("back", b);
  }

  function wirePhotos() {
    SIDES.forEach((side) => {
      const zone = $("slot-" + side);
      zone.addEventListener("dragover", (e) => { e.preventDefault(); $("drop-" + side).classList.add("over"); });
      zone.addEventListener("dragleave", () => $("drop-" + side).classList.remove("over"));
      zone.addEventListener("drop", (e) => {
        e.preventDefault();
        e.stopPropagation();
        document.body.classList.remove("dragging");
        $("drop-" + side).classList.remove("over");
        dropFiles(e.dataTransfer.files, side);
      });
      $("file-" + side).addEventListener("change", (e) => { upload(side, e.target.files[0]); e.target.value = ""; });
      $("remove-" + side).addEventListener("click", async () => {
        state = await api("POST", "/api/remove?side=" + side, {});
        render();
      });
    });
    document.addEventListener("dragover", (e) => { e.preventDefault(); document.body.classList.add("dragging"); });
    document.addEventListener("dragleave", (e) => { if (!e.relatedTarget) document.body.classList.remove("dragging"); });
    document.addEventListener("drop", (e) => {
      e.preventDefault();
      document.body.classList.remove("dragging");
      dropFiles(e.dataTransfer.files, null);
    });
  }

  /* ---- the form ---- */

  function fieldValue(f) {
    return values[f.key] !== undefined ? values[f.key] : f.value || "";
  }

  function buildForm() {
    const form = $("form");
    form.textContent = "";
    state.fields.forEach((f) => {
      const box = el("div", "field");
      box.id = "field-" + f.key;
      if (f.kind === "enum_list" || f.key === "reason") box.classList.add("wide");
      const label = el("label", null, f.label);
      if (f.required) label.appendChild(el("span", "req", " *"));
      box.appendChild(label);
      let input;
      const v = fieldValue(f);
      if (f.kind === "enum") {
        input = el("select");
        input.appendChild(el("option", null, ""));
        f.choices.forEach((c) => {
          const o = el("option", null, c.label);
          o.value = c.value;
          input.appendChild(o);
        });
        input.value = v;
      } else if (f.kind === "enum_list") {
        input = el("div", "choices");
        const chosen = v.split(",").map((s) => s.trim()).filter((s) => s);
        f.choices.forEach((c) => {
          const l = el("label");
          const cb = el("input");
          cb.type = "checkbox";
          cb.value = c.value;
          cb.checked = chosen.indexOf(c.value) >= 0;
          cb.addEventListener("change", () => changed(f, Array.from(input.querySelectorAll("input:checked")).map((x) => x.value).join(",")));
          l.appendChild(cb);
          l.appendChild(el("span", null, c.label));
          input.appendChild(l);
        });
      } else if (f.key === "reason") {
        input = el("textarea");
        input.rows = 3;
        input.value = v;
      } else {
        input = el("input");
        input.type = f.kind === "email" ? "email" : f.kind === "phone" ? "tel" : "text";
        if (f.kind === "date") input.placeholder = t("date_hint");
        if (f.kind === "marketplace") input.placeholder = "amazon.it";
        if (f.kind === "country") input.placeholder = "IT";
        input.value = v;
      }
      input.id = "in-" + f.key;
      input.name = f.key;
      label.htmlFor = input.id;
      if (f.kind !== "enum_list")
        input.addEventListener(f.kind === "enum" ? "change" : "input", () => changed(f, input.value));
      box.appendChild(input);
      const msg = el("p", "msg");
      msg.id = "msg-" + f.key;
      msg.setAttribute("aria-live", "polite");
      box.appendChild(msg);
      form.appendChild(box);
      values[f.key] = v;
    });
  }

  function changed(f, v) {
    values[f.key] = v;
    clearTimeout(fieldTimers[f.key]);
    fieldTimers[f.key] = setTimeout(() => validate(f), 250);
    scheduleLetter();
  }

  async function validate(f) {
    const v = values[f.key] || "";
    const box = $("field-" + f.key);
    if (!box) return;
    let res;
    try {
      res = await api("POST", "/api/field", { key: f.key, value: v });
    } catch (e) { return; }
    if ((values[f.key] || "") !== v) return; /* typed on meanwhile */
    box.classList.toggle("ok", res.ok && v !== "");
    box.classList.toggle("bad", !res.ok);
    const input = $("in-" + f.key);
    if (input) input.setAttribute("aria-invalid", String(!res.ok));
    $("msg-" + f.key).textContent = res.ok ? (v !== "" ? "✓" : "") : res.message;
  }

  function validateAll() {
    /* what is filled in; an empty field is said when it is typed in or at the build */
    state.fields.forEach((f) => { if ((values[f.key] || "") !== "") validate(f); });
  }

  /* ---- the letter ---- */

  function scheduleLetter() {
    clearTimeout(letterTimer);
    letterTimer = setTimeout(renderLetter, 400);
  }

  async function renderLetter() {
    const box = $("letter-box");
    let res;
    try { res = await api("POST", "/api/letter", { values: values }); } catch (e) { return; }
    box.textContent = "";
    if (!res.ok) {
      box.appendChild(el("p", "note", t("letter_wait")));
      box.appendChild(el("p", "error", res.message));
      return;
    }
    let list = null;
    res.blocks.forEach((b) => {
      if (b.kind !== "bullet") list = null;
      if (b.kind === "bullet") {
        if (!list) { list = el("ul"); box.appendChild(list); }
        list.appendChild(el("li", null, b.text));
      } else if (b.kind === "field") {
        const p = el("p", "field-line");
        p.appendChild(el("span", "label", b.label + ": "));
        p.appendChild(document.createTextNode(b.text));
        box.appendChild(p);
      } else if (b.kind === "heading") {
        box.appendChild(el("h4", null, b.text));
      } else {
        box.appendChild(el("p", b.kind, b.text));
      }
    });
  }

  /* ---- the build ---- */

  async function build() {
    const out = $("build-out");
    out.textContent = "";
    $("build-btn").disabled = true;
    $("busy-build").hidden = false;
    let res;
    try {
      res = await api("POST", "/api/build", { values: values });
    } catch (e) {
      out.appendChild(el("p", "error", e.message));
      return;
    } finally {
      $("build-btn").disabled = false;
      $("busy-build").hidden = true;
    }
    const box = el("div", "result" + (res.ok ? "" : " refused"));
    box.id = res.ok ? "result" : "refusal";
    if (!res.ok) {
      box.appendChild(el("p", "error", t("refused")));
      box.appendChild(el("p", "reason", res.message));
      if (res.problems && res.problems.length) {
        const ul = el("ul");
        res.problems.forEach((p) => ul.appendChild(el("li", null, t(p.side) + ": " + p.message)));
        box.appendChild(ul);
      }
      out.appendChild(box);
      return;
    }
    box.appendChild(el("p", "done", t("built")));
    (res.warnings || []).forEach((w, i) => {
      const p = el("p", "warning", t("warning") + ": " + w);
      p.id = "build-warning-" + i;
      box.appendChild(p);
    });
    const ref = el("p");
    ref.appendChild(document.createTextNode(t("reference") + ": "));
    const refSpan = el("span", "ref", res.reference);
    refSpan.id = "reference";
    ref.appendChild(refSpan);
    box.appendChild(ref);
    const folder = el("p");
    folder.appendChild(document.createTextNode(t("folder") + ": "));
    const code = el("code", null, res.folder);
    code.id = "folder";
    folder.appendChild(code);
    box.appendChild(folder);
    const links = el("p");
    const view = el("a", null, t("view_pdf"));
    view.href = "/api/pdf?v=" + encodeURIComponent(res.reference);
    view.target = "_blank";
    view.rel = "noopener";
    view.id = "pdf-link";
    links.appendChild(view);
    box.appendChild(links);
    const b1 = el("button", "small", t("open_pdf"));
    b1.type = "button";
    b1.addEventListener("click", () => api("POST", "/api/open?what=pdf", {}).catch(() => {}));
    const b2 = el("button", "small", t("open_folder"));
    b2.type = "button";
    b2.addEventListener("click", () => api("POST", "/api/open?what=folder", {}).catch(() => {}));
    box.appendChild(b1);
    box.appendChild(document.createTextNode(" "));
    box.appendChild(b2);
    box.appendChild(el("h3", null, t("next_h")));
    const ol = el("ol");
    ol.appendChild(el("li", null, t("next1")));
    ol.appendChild(el("li", null, t("next2")));
    const li3 = el("li", null, t("next3") + " ");
    li3.appendChild(el("code", null, "idpack track mark " + res.reference + " submitted --case CASE-ID"));
    ol.appendChild(li3);
    box.appendChild(ol);
    out.appendChild(box);
  }

  async function saveProfile() {
    const m = $("save-msg");
    m.textContent = "";
    let res;
    try { res = await api("POST", "/api/profile", { values: values }); } catch (e) { m.textContent = e.message; return; }
    m.className = res.ok ? "note" : "error";
    m.textContent = res.ok ? t("saved") + " (" + res.path + ")" : res.message;
  }

  /* ---- start ---- */

  async function load(newLang) {
    if (newLang) { lang = newLang; langSet = true; }
    const s = await api("GET", "/api/state");
    state = s;
    lang = s.lang;
    langSet = true;
    if (textsLang !== lang) {
      try {
        texts = await api("GET", "/api/texts");
        textsLang = lang;
      } catch (e) {
        texts = {}; /* index.html's English stays */
      }
    }
    applyLang();
    buildForm();
    render();
    validateAll();
    renderLetter();
  }

  function start() {
    wirePhotos();
    $("build-btn").addEventListener("click", build);
    $("save-profile").addEventListener("click", saveProfile);
    /* the server stops a while after the page goes silent */
    setInterval(() => { api("GET", "/api/ping").catch(() => {}); }, 10000);
    window.addEventListener("pagehide", () => {
      navigator.sendBeacon("/api/bye?token=" + encodeURIComponent(token), "");
    });
    /* ?lang=LANG in the page's address: that language (if it has one) */
    load(params.get("lang")).catch((e) => showError(e.message));
  }
  start();
})();
