#!/usr/bin/env python3
"""Judges `idpack check` against ground truth.

    evaluate.py IDPACK SETDIR [options]          a set made by mkreal.py
    evaluate.py --corpus CORPUS_DIR IDPACK [...] the real images, truth in
                                                 corpus-truth.tsv next to this file
    evaluate.py --selftest                       checks the IoU code on known quads

Options: --json OUT, --markdown OUT, --jobs N, and floors that make the exit
status 1 when not met: --max-wrong-quads N, --min-found-share X,
--min-verdict-share X. Exit 2 on usage or run errors.

A quad is CORRECT when its IoU with the truth is >= 0.9, WRONG when it is
below 0.9 or when the photo holds no document. For cut-off photos the truth
quad reaches outside the frame; a quad that follows the visible part (IoU >=
0.9 with the truth clipped to the frame) is correct too. Verdicts: an
expected failing check must say `fail` (`screenshot` and `document` may say
`warn`: the product spec makes them warnings in `check`); an expected pass
must have no failing check among the judged ones (`expiry` is not judged:
the real textures are specimens, expired by design); checks in the `strict`
column must say exactly `pass`.
"""
import argparse
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

IOU_OK = 0.9
JUDGED = {"decode", "limits", "corners", "document", "glare", "sharpness", "exposure", "colour",
          "resolution", "duplicate", "screenshot"}
WARN_IS_FAIL = {"screenshot", "document"}
CUT = {"cut-off-corner", "cut-off-side", "photo-cut-off"}


# ---- geometry ------------------------------------------------------------------
def hull(pts):
    """Convex hull, counter-clockwise (monotone chain); any input order."""
    p = sorted(set((float(x), float(y)) for x, y in pts))
    if len(p) < 3:
        return p

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
    lo, up = [], []
    for q in p:
        while len(lo) >= 2 and cross(lo[-2], lo[-1], q) <= 0:
            lo.pop()
        lo.append(q)
    for q in reversed(p):
        while len(up) >= 2 and cross(up[-2], up[-1], q) <= 0:
            up.pop()
        up.append(q)
    return lo[:-1] + up[:-1]


def area(poly):
    return abs(sum(poly[i][0] * poly[i - 1][1] - poly[i - 1][0] * poly[i][1] for i in range(len(poly)))) / 2


def clip(subject, clipper):
    """Sutherland-Hodgman: subject polygon clipped by a convex CCW polygon."""
    out = list(subject)
    n = len(clipper)
    for i in range(n):
        a, b = clipper[i], clipper[(i + 1) % n]
        inp, out = out, []
        if not inp:
            break

        def inside(p):
            return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) >= 0

        def cut(p, q):
            x1, y1, x2, y2 = p[0], p[1], q[0], q[1]
            x3, y3, x4, y4 = a[0], a[1], b[0], b[1]
            den = (x1 - x2) * (y3 - y4) - (y1 - y2) * (x3 - x4)
            if den == 0:
                return q
            t = ((x1 - x3) * (y3 - y4) - (y1 - y3) * (x3 - x4)) / den
            return (x1 + t * (x2 - x1), y1 + t * (y2 - y1))
        s = inp[-1]
        for e in inp:
            if inside(e):
                if not inside(s):
                    out.append(cut(s, e))
                out.append(e)
            elif inside(s):
                out.append(cut(s, e))
            s = e
    return out


def iou(q1, q2):
    a, b = hull(q1), hull(q2)
    if len(a) < 3 or len(b) < 3:
        return 0.0
    inter = clip(a, b)
    ai = area(inter) if len(inter) >= 3 else 0.0
    u = area(a) + area(b) - ai
    return ai / u if u > 0 else 0.0


def frame_clip(q, w, h):
    c = clip(hull(q), [(0, 0), (w, 0), (w, h), (0, h)])
    return c if len(c) >= 3 else []


def selftest():
    sq = [(0, 0), (1, 0), (1, 1), (0, 1)]
    cases = [("identical", sq, sq, 1.0), ("shifted by half", sq, [(x + 0.5, y) for x, y in sq], 1 / 3),
             ("disjoint", sq, [(x + 2, y) for x, y in sq], 0.0),
             ("any corner order", sq, [(1, 1), (0, 0), (1, 0), (0, 1)], 1.0),
             ("inside quarter", sq, [(0, 0), (0.5, 0), (0.5, 0.5), (0, 0.5)], 0.25),
             ("rotated 45 deg", sq, [(0.5, -0.2071), (1.2071, 0.5), (0.5, 1.2071), (-0.2071, 0.5)], 0.7071)]
    bad = 0
    for name, a, b, want in cases:
        got = iou(a, b)
        ok = abs(got - want) < 2e-3
        bad += not ok
        print("iou %-17s %.4f (want %.4f) %s" % (name, got, want, "ok" if ok else "WRONG"))
    return bad


# ---- truth and runs -------------------------------------------------------------
def read_truth(path, base):
    rows = []
    with open(path) as f:
        head = None
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            if head is None:
                head = parts
                continue
            r = dict(zip(head, parts))
            r.setdefault("pair", "-")
            r.setdefault("strict", "-")
            r["path"] = os.path.join(base, r["file"])
            v = r["quad"].split()
            r["q"] = None if r["quad"] == "-" else [(float(v[i]), float(v[i + 1])) for i in range(0, 8, 2)]
            rows.append(r)
    return rows


def run_check(idpack, paths):
    p = subprocess.run([idpack, "check", "--json"] + paths, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        return json.loads(p.stdout.decode()), p.returncode
    except ValueError:
        return None, p.returncode


def judge(r, res, dup_res):
    """Fills r with what came and whether it is right."""
    im = res["images"][0] if res else None
    r["came"] = "no output" if im is None else im.get("verdict", "?")
    checks = {} if im is None else {c["id"]: c["status"] for c in im.get("checks", [])}
    if dup_res:  # the pair run: its checks (duplicate among them) decide the verdict
        dim = dup_res["images"][0]
        checks = {c["id"]: c["status"] for c in dim.get("checks", [])}
        r["came"] = dim.get("verdict", "?")
    r["checks"] = checks
    doc = (im or {}).get("document") or {}
    q = doc.get("quad") if doc.get("found") else None
    r["found_quad"] = q
    r["found_kind"] = doc.get("kind")
    r["iou"] = None
    r["quad_result"] = "none"
    w, h = (im or {}).get("width", 0), (im or {}).get("height", 0)
    if q:
        if r["q"] is None:
            r["quad_result"] = "wrong"
        else:
            v = iou(q, r["q"])
            if r["category"] in CUT and w and h:
                vis = frame_clip(r["q"], w, h)
                if vis:
                    v = max(v, iou(q, vis))
            r["iou"] = v
            r["quad_result"] = "correct" if v >= IOU_OK else "wrong"
    exp = r["expect"]
    failing = sorted(k for k, s in checks.items() if s == "fail" and k in JUDGED)
    warning = sorted(k for k, s in checks.items() if s == "warn" and k in JUDGED)
    r["failing"], r["warning"] = failing, warning
    ok = True
    r["only_warn"] = False
    if exp == "-":
        ok = None
    elif exp == "pass":
        ok = not failing
        r["only_warn"] = ok and bool(warning)
    else:
        for c in exp.split(":", 1)[1].split(","):
            s = checks.get(c)
            if s == "fail" or (s == "warn" and c in WARN_IS_FAIL):
                r["only_warn"] = r["only_warn"] or s == "warn"
                continue
            ok = False
    for c in ([] if r["strict"] == "-" else r["strict"].split(",")):
        if checks.get(c) != "pass":
            ok = False
    r["verdict_ok"] = ok


def evaluate(idpack, rows, jobs):
    def one(r):
        res, rc = run_check(idpack, [r["path"]])
        dup = None
        if r["pair"] != "-":
            dup, _ = run_check(idpack, [r["path"], os.path.join(os.path.dirname(r["path"]), r["pair"])])
        r["rc"] = rc
        judge(r, res, dup)
    with ThreadPoolExecutor(max_workers=jobs) as ex:
        list(ex.map(one, rows))


# ---- report ---------------------------------------------------------------------
def summarise(rows, title):
    with_doc = [r for r in rows if r["q"] is not None]
    found = [r for r in with_doc if r["quad_result"] == "correct"]
    wrong = [r for r in rows if r["quad_result"] == "wrong"]
    ious = [r["iou"] for r in rows if r["iou"] is not None]
    judged = [r for r in rows if r["verdict_ok"] is not None]
    vok = [r for r in judged if r["verdict_ok"]]
    cats = {}
    for r in rows:
        c = cats.setdefault(r["category"], {"n": 0, "doc": 0, "found": 0, "wrong": 0, "vn": 0, "vok": 0, "warn": 0})
        c["n"] += 1
        c["doc"] += r["q"] is not None
        c["found"] += r["quad_result"] == "correct" and r["q"] is not None
        c["wrong"] += r["quad_result"] == "wrong"
        c["vn"] += r["verdict_ok"] is not None
        c["vok"] += bool(r["verdict_ok"])
        c["warn"] += bool(r["only_warn"]) and r["expect"] == "pass"
    kinds = [r for r in found if r.get("kind") in ("id1", "id3")]
    s = {"title": title, "kind_right": sum(1 for r in kinds if r["found_kind"] == r["kind"]), "kind_judged": len(kinds), "photos": len(rows), "with_document": len(with_doc), "found": len(found),
         "found_share": len(found) / len(with_doc) if with_doc else 1.0, "wrong_quads": len(wrong),
         "mean_iou_of_quads": sum(ious) / len(ious) if ious else None, "verdicts": len(judged),
         "verdicts_ok": len(vok), "verdict_share": len(vok) / len(judged) if judged else 1.0,
         "pass_only_warn": sum(1 for r in rows if r["expect"] == "pass" and r["only_warn"] and r["verdict_ok"]),
         "expected_fail_only_warn": sum(1 for r in rows if r["expect"].startswith("fail") and r["only_warn"]),
         "categories": cats}
    return s


def miss_lines(rows):
    out = []
    for r in rows:
        why = []
        if r["q"] is not None and r["quad_result"] != "correct":
            why.append("quad %s%s" % (r["quad_result"], "" if r["iou"] is None else " IoU %.2f" % r["iou"]))
        elif r["q"] is None and r["quad_result"] == "wrong":
            why.append("quad on a photo with no document")
        if r["verdict_ok"] is False:
            why.append("verdict")
        if why:
            out.append((r["file"], r["category"], r["expect"] + ("" if r["strict"] == "-" else " strict:" + r["strict"]),
                        "%s fail[%s] warn[%s]" % (r["came"], ",".join(r["failing"]), ",".join(r["warning"])),
                        "; ".join(why)))
    return out


def text_report(s, rows):
    L = ["== %s: %d photos ==" % (s["title"], s["photos"]),
         "documents found (IoU >= %.1f): %d / %d (%.0f %%)" % (IOU_OK, s["found"], s["with_document"], 100 * s["found_share"]),
         "wrong quads: %d" % s["wrong_quads"],
         "mean IoU of the quads given: %s" % ("-" if s["mean_iou_of_quads"] is None else "%.3f" % s["mean_iou_of_quads"]),
         "kind (id1/id3) right among the documents found: %d / %d" % (s["kind_right"], s["kind_judged"]),
         "verdicts right: %d / %d (%.0f %%); expected passes that only warn: %d; expected failures given only as warn: %d"
         % (s["verdicts_ok"], s["verdicts"], 100 * s["verdict_share"], s["pass_only_warn"], s["expected_fail_only_warn"]),
         "%-22s %5s %9s %6s %9s %5s" % ("category", "n", "found", "wrong", "verdict", "warn")]
    for c, v in sorted(s["categories"].items()):
        L.append("%-22s %5d %9s %6d %9s %5d" % (c, v["n"], "%d/%d" % (v["found"], v["doc"]) if v["doc"] else "-",
                                                v["wrong"], "%d/%d" % (v["vok"], v["vn"]), v["warn"]))
    m = miss_lines(rows)
    L.append("misses (%d):" % len(m))
    for f in m:
        L.append("  %s [%s] expected %s; came %s -- %s" % f)
    return "\n".join(L)


def md_report(s, rows):
    L = ["## %s (%d photos)" % (s["title"], s["photos"]), "",
         "- documents found (IoU >= %.1f): **%d / %d** (%.0f %%)" % (IOU_OK, s["found"], s["with_document"], 100 * s["found_share"]),
         "- wrong quads: **%d**" % s["wrong_quads"],
         "- mean IoU of the quads given: %s" % ("-" if s["mean_iou_of_quads"] is None else "%.3f" % s["mean_iou_of_quads"]),
         "- verdicts right: **%d / %d**; expected passes that only warn: %d" % (s["verdicts_ok"], s["verdicts"], s["pass_only_warn"]),
         "", "| category | n | found | wrong | verdict | pass-but-warn |", "|---|---|---|---|---|---|"]
    for c, v in sorted(s["categories"].items()):
        L.append("| %s | %d | %s | %d | %d/%d | %d |" % (c, v["n"], "%d/%d" % (v["found"], v["doc"]) if v["doc"] else "-",
                                                       v["wrong"], v["vok"], v["vn"], v["warn"]))
    L += ["", "| file | category | expected | came | miss |", "|---|---|---|---|---|"]
    for f in miss_lines(rows):
        L.append("| %s | %s | %s | %s | %s |" % f)
    return "\n".join(L) + "\n"


def main():
    ap = argparse.ArgumentParser(description="Judges idpack check against ground truth.")
    ap.add_argument("args", nargs="*", help="IDPACK SETDIR, or IDPACK with --corpus")
    ap.add_argument("--corpus", metavar="CORPUS_DIR")
    ap.add_argument("--truth", help="truth file (default: SETDIR/truth.tsv or corpus-truth.tsv)")
    ap.add_argument("--json", metavar="OUT")
    ap.add_argument("--markdown", metavar="OUT")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--max-wrong-quads", type=int)
    ap.add_argument("--min-found-share", type=float)
    ap.add_argument("--min-verdict-share", type=float)
    ap.add_argument("--selftest", action="store_true")
    a = ap.parse_args()
    if a.selftest:
        sys.exit(1 if selftest() else 0)
    if a.corpus:
        if len(a.args) != 1:
            ap.error("with --corpus give IDPACK only")
        idpack, base = a.args[0], a.corpus
        truth = a.truth or os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus-truth.tsv")
        title = "corpus " + base
    else:
        if len(a.args) != 2:
            ap.error("give IDPACK SETDIR")
        idpack, base = a.args
        truth = a.truth or os.path.join(base, "truth.tsv")
        title = "set " + base
    if not os.access(idpack, os.X_OK):
        print("evaluate.py: %s is not an executable" % idpack, file=sys.stderr)
        sys.exit(2)
    rows = read_truth(truth, base)
    missing = [r["path"] for r in rows if not os.path.exists(r["path"])]
    if missing:
        print("evaluate.py: missing photos: %s" % " ".join(missing[:5]), file=sys.stderr)
        sys.exit(2)
    evaluate(idpack, rows, a.jobs)
    s = summarise(rows, title)
    print(text_report(s, rows))
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write(md_report(s, rows))
    if a.json:
        keep = ("file", "category", "kind", "expect", "pair", "strict", "came", "failing", "warning", "iou",
                "quad_result", "found_quad", "found_kind", "verdict_ok", "only_warn", "rc")
        with open(a.json, "w") as f:
            json.dump({"summary": s, "photos": [{k: r.get(k) for k in keep} | {"truth_quad": r["q"]} for r in rows]},
                      f, indent=1)
    bad = []
    if a.max_wrong_quads is not None and s["wrong_quads"] > a.max_wrong_quads:
        bad.append("wrong quads %d > %d" % (s["wrong_quads"], a.max_wrong_quads))
    if a.min_found_share is not None and s["found_share"] < a.min_found_share:
        bad.append("found share %.3f < %.3f" % (s["found_share"], a.min_found_share))
    if a.min_verdict_share is not None and s["verdict_share"] < a.min_verdict_share:
        bad.append("verdict share %.3f < %.3f" % (s["verdict_share"], a.min_verdict_share))
    for b in bad:
        print("BELOW FLOOR: " + b)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
