/* Document detection: colour Sobel edges with non-maximum suppression on a
 * copy of at most 640 px, a Hough transform in which each edge pixel votes only near its
 * own gradient direction, then every quad made of two roughly parallel
 * pairs of the strongest lines, kept when it is convex, plausibly
 * foreshortened and its perspective-corrected aspect fits ID-1 or ID-3, and
 * scored by the edge pixels along its sides. The winner's sides are refined
 * on the image itself (sub-pixel edge search along each side's normal and
 * a total-least-squares line fit). docs/detection.md has the details.
 *
 * This file is the public entry: the line search's candidates judged on
 * the image. The stages are split out along their seams: idp_quad.c
 * (quad geometry), idp_lines.c (edges and lines), idp_quads.c (quad
 * search and scoring), idp_partial.c (a side outside the frame),
 * idp_refine.c (refinement), idp_soft.c (a later look's quad on a dark
 * photo), idp_same.c (the later looks' "same object" rules), idp_judge.c
 * (the winner given as the document, a scan, or nothing),
 * idp_evidence.c and the
 * files it uses (the judging), idp_upright.c (which way up). */
#include "idp_detect_int.h"
#include "idp_evidence.h"
#include "idp_trace.h"

#include <stdlib.h>
#include <string.h>

/* Round 23: the zoomed look asked for a tighter outline when the winner
 * covers under TIGHT_AREA x AREA_MIN of the frame (a card under the floor
 * is then at least half of it), and the quad it finds lies within the
 * winner by this share of its own area (the two are refined separately: a
 * few px either way) */
#define TIGHT_AREA 2.0
#define TIGHT_INSIDE 0.9

/* Two quads this close (IoU) are one outline: a quad grown or refined
 * into one judged already is not judged again (round 22's "judged
 * already"), and one side moved out or a tighter outline must differ by
 * more (round 23) */
#define SAME_OUTLINE 0.97

/* A later look's quad (confidence conf, letters ID-sized letters read
 * inside it, soft: idp_det_soft_sure, idp_soft.c) holds: surer than the first look's bar with
 * an ID's print inside, or a sure outline on a soft photo (round 17). */
static bool later_holds(double conf, int letters, int need, bool soft)
{
    return (conf >= SECOND_CONF && letters >= need) || soft;
}

/* The three-sided search (a document with a side outside the frame,
 * idp_partial.c) on wk's lines, its U appended to top's quads. As before
 * round 11 when no quad was found or the best has a faint side (which may
 * be a line inside a card whose true side is outside the frame): judged
 * like the others. Since round 11 in every look, but then only a U that
 * encloses one of top's quads (docs/detection.md "Round 11: cut-off
 * cards": a page cut off by the frame holds boxes supported on four
 * sides, its portrait's, that were judged instead of its own three
 * sides; a photo without a document has no such print inside a U), and
 * true is returned: the U is judged after the others, when what they
 * found lies inside it or nothing holds (inner_best), and wins over a
 * quad inside it when it holds. */
static bool partial_search(work *wk, ranking *top)
{
    candidate part;
    memset(&part, 0, sizeof(part));
    const bool faint = top->n == 0 || top->c[0].weakest < SIDE_MIN_SUPPORT;
    if (faint)
        idp_det_find_partial(wk, &part);
    else {
        double q[TOP_K][4][2];
        for (int k = 0; k < top->n; k++)
            memcpy(q[k], top->c[k].q, sizeof(q[k]));
        idp_det_find_partial_around(wk, (const double(*)[4][2])q, top->n, &part);
    }
    if (part.score <= 0)
        return false;
    if (top->n == TOP_K)
        top->n--;
    top->c[top->n++] = part; /* judged like the others */
    return !faint;
}

/* Whether the U of round 11 (top's uk, after the quads judged) is to be
 * judged: nothing judged holds, or the best judged (top's best_k) lies
 * inside it: a box printed on a document cut off by the frame, whose
 * outline goes on past the box to the frame (round 22: not a surface's
 * lines running on from the document's corners). */
static bool inner_best(const work *wk, const ranking *top, int uk, int best_k, double conf)
{
    return best_k < 0 || conf < IDP_CONFIDENCE_MIN ||
           (idp_det_partial_encloses(&top->c[uk], CQ(top->c[best_k].q)) &&
            idp_det_partial_goes_on(wk, &top->c[uk], CQ(top->c[best_k].q)));
}

/* Round 23 (docs/detection.md, "Round 23: the outermost outline judged"):
 * whether top's quad k is the winner (best, grown, its corners on wk's
 * copy) with one side moved out: three of its four lines the winner's,
 * the winner inside it, not the same outline (IoU under SAME_OUTLINE),
 * both ends of the side moved, and the outline going on along each side
 * that gains a stretch (round 22's colour step; a surface's line beyond a
 * card has the surface on both sides of the stretch). A band printed
 * along a document's edge (a card's coloured header) makes a winner of
 * three true sides and the band's inner edge; growth (step 6) takes the
 * true side only where edges run all along the band, which a checked
 * cloth breaks. */
static bool outer_of_best(const work *wk, const ranking *top, int k, const candidate *best)
{
    const candidate *o = &top->c[k];
    if (best->score <= 0 || o->lines[3] < 0 || best->lines[3] < 0)
        return false;
    int shared = 0;
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            shared += o->lines[i] == best->lines[j];
    if (shared != 3)
        return false;
    for (int i = 0; i < 4; i++)
        if (!idp_det_inside_quad(CQ(o->c), best->c[i]))
            return false;
    if (idp_quad_iou(CQ(o->c), CQ(best->c)) >= SAME_OUTLINE)
        return false;
    /* o's corners in the winner's order: each the nearest */
    double al[4][2];
    bool moved[4];
    for (int i = 0; i < 4; i++) {
        int at = 0;
        for (int j = 1; j < 4; j++)
            if (dist2(o->c[j], best->c[i]) < dist2(o->c[at], best->c[i]))
                at = j;
        memcpy(al[i], o->c[at], sizeof(al[i]));
        moved[i] = dist2(al[i], best->c[i]) >= 1.0;
    }
    /* both ends of the side moved (a band runs along the whole edge; a
     * line through one of the winner's corners is the surface's, crossing
     * there), each along its neighbouring side with the outline going on */
    int nmoved = 0;
    for (int i = 0; i < 4; i++) {
        if (!moved[i])
            continue;
        nmoved++;
        const int far = moved[(i + 1) % 4] ? (i + 3) % 4 : (i + 1) % 4;
        if (moved[far] || !idp_det_outline_goes_on(wk, best->c[far], best->c[i], al[i], NULL))
            return false;
    }
    return nmoved == 2;
}

/* Round 17: the clear quad (every side >= CLEAR_SIDE) appended to top's
 * quads when it is not among them; its index, or -1. */
static int add_clear(ranking *top)
{
    if (!top->has_clear)
        return -1;
    for (int k = 0; k < top->n; k++)
        if (memcmp(top->c[k].lines, top->clear.lines, sizeof(top->clear.lines)) == 0)
            return -1;
    top->c[top->n] = top->clear;
    return top->n++;
}

/* Round 15's test for a box printed on a page the frame cuts off (c, on
 * img, its least side contrast least_con): a U of wk's lines round it,
 * its parallel sides seen up to the frame's edge. Not a quad whose four
 * sides all stand out from what lies beyond them by CUT_OUTLINE_CON (a
 * whole card on a grained surface). */
static bool cut_around(work *wk, const idp_image *img, const candidate *c, double least_con)
{
    if (!(least_con < CUT_OUTLINE_CON))
        return false;
    double qw[4][2];
    for (int i = 0; i < 4; i++) {
        qw[i][0] = c->q[i][0] * wk->w / img->width;
        qw[i][1] = c->q[i][1] * wk->h / img->height;
    }
    return idp_det_cut_around(wk, CQ(qw));
}

/* Steps 4-7 and the judging on wk's lines: the surest quad into *best,
 * its confidence (with its content) into *conf, the ID-sized letters
 * read inside it into *letters, and for a later look (soft not NULL)
 * whether it is a sure outline on a soft photo (idp_det_soft_sure; the
 * first look's bar is its own). */
static void search(work *wk, const idp_image *img, uint32_t f, candidate *best, double *conf,
                   int *letters, bool *soft, double seen[TOP_K + 1][4][2],
                   double seen_conf[TOP_K + 1], int *nseen_out, idp_det_last_resort *lr)
{
    double best_ev = 0; /* the winner's edge evidence, before its content */
    if (soft != NULL)
        *soft = false;
    ranking top;
    memset(&top, 0, sizeof(top));
    idp_det_find_quads(wk, &top);
    /* a cut-off document? the U of round 11 last (uk), judged only
     * when inner_best */
    const int uk = partial_search(wk, &top) ? top.n - 1 : -1;
    /* the clear quad (round 17) after them, judged when none holds */
    const int ck = add_clear(&top);
#ifdef IDP_DETECT_TRACE /* the ranking, each with its largest IoU with one above it */
    for (int k = 0; k < top.n; k++) {
        double mi = 0;
        for (int j = 0; j < k; j++)
            mi = fmax(mi, idp_quad_iou(CQ(top.c[k].q), CQ(top.c[j].q)));
        IDP_TRACE("detect: ranked %d score %.0f lines %d %d %d %d iou %.3f\n", k, top.c[k].score,
                  top.c[k].lines[0], top.c[k].lines[1], top.c[k].lines[2], top.c[k].lines[3], mi);
    }
#endif
    int best_k = -1;       /* top's quad judged best */
    int best_at = -1;      /* its entry in seen (-1: none kept) */
    int box_at = -1;       /* a box refused inside the U that is best (its entry) */
    double least_con = -1; /* its least side contrast (-1: a side not measured) */
    /* each grown to its outermost outline, refined on img, judged there;
     * the surest wins (by the edges' score when as sure) */
    int nseen = 0;
    for (int k = 0; k < top.n; k++) {
        if (k == uk)
            IDP_TRACE("detect: cut-off outline %d after quad %d conf %.3f: judged %d\n", k, best_k,
                      *conf, inner_best(wk, &top, uk, best_k, *conf));
        if (k == ck)
            IDP_TRACE("detect: clear quad %d score %.0f weakest %.2f after conf %.3f\n", k,
                      top.c[k].score, top.c[k].weakest, *conf);
        /* an outline round the winner, one side further out: judged
         * (only_around: for that alone) */
        const bool around = k != uk && outer_of_best(wk, &top, k, best);
        const bool skip = k == uk ? !inner_best(wk, &top, uk, best_k, *conf)
                                  : *conf >= (k == ck ? IDP_CONFIDENCE_MIN : CONF_SURE);
        if (skip && !around)
            continue;
        const bool only_around = skip && around;
        if (around)
            IDP_TRACE("detect: quad %d round the winner %d, one side out\n", k, best_k);
        candidate c = top.c[k];
        /* not a three-sided one; nor the clear one (round 17): it is
         * judged for its own four sides, and on a checked cloth the
         * growth's test (edge support along the stretch a neighbouring
         * side gains) is met by the checks' edges, which traded a card's
         * clear sides for the cloth's lines (t8750 pair-1-back: 2.3 times
         * the card's area) */
        if (c.lines[3] >= 0 && k != ck)
            idp_det_grow_outward(wk, &c);
        for (int i = 0; i < 4; i++) {
            c.q[i][0] *= (double)img->width / wk->w;
            c.q[i][1] *= (double)img->height / wk->h;
        }
        idp_quad_refine(img, c.q, (double)f);
        idp_quad_snap(img, c.q); /* a side on the surface's line beside it (round 11) */
        idp_det_canonical_order(c.q);
        bool again = false; /* grown into one judged already */
        for (int j = 0; j < nseen && !again; j++)
            again = idp_quad_iou(CQ(c.q), CQ(seen[j])) >= SAME_OUTLINE;
        if (again) {
            IDP_TRACE("detect: quad %d score %.0f [%.0f,%.0f %.0f,%.0f %.0f,%.0f %.0f,%.0f] judged "
                      "already\n",
                      k, c.score, c.q[0][0], c.q[0][1], c.q[1][0], c.q[1][1], c.q[2][0], c.q[2][1],
                      c.q[3][0], c.q[3][1]);
            continue;
        }
        memcpy(seen[nseen], c.q, sizeof(c.q));
        const double dmin = fabs(log(c.aspect / idp_doc_aspect(c.kind)));
        idp_evidence ev;
        idp_quad_evidence(img, CQ(c.q), dmin, &ev);
        /* a corner under a finger: its two sides judged elsewhere (round 10) */
        ev.confidence = idp_det_covered(img, CQ(c.q), c.kind, &ev);
        /* refused only for a side along the surface's pattern (the
         * crossing test runs on quads still above 0): that side's refusal,
         * not the object's (round 9) */
        seen_conf[nseen++] = ev.crossed > 0 ? SEEN_CROSSED : ev.confidence;
        IDP_TRACE("detect: quad %d score %.0f weakest %.2f %s asp %.3f "
                  "[%.0f,%.0f %.0f,%.0f %.0f,%.0f %.0f,%.0f] sup %.2f %.2f %.2f %.2f "
                  "con %.2f %.2f %.2f %.2f over %d inner %d encl %d short %d conf %.3f crossed %d "
                  "plane %.2f %.2f %.2f %.2f round %.2f %.2f %.2f %.2f lifted %d\n",
                  k, c.score, c.weakest, c.lines[3] >= 0 ? "quad" : "partial", c.aspect, c.q[0][0],
                  c.q[0][1], c.q[1][0], c.q[1][1], c.q[2][0], c.q[2][1], c.q[3][0], c.q[3][1],
                  ev.support[0], ev.support[1], ev.support[2], ev.support[3], ev.contrast[0],
                  ev.contrast[1], ev.contrast[2], ev.contrast[3], ev.overruns, ev.inner_lines,
                  ev.enclosed, ev.stops_short, ev.confidence, ev.crossed, ev.plane[0], ev.plane[1],
                  ev.plane[2], ev.plane[3], ev.rounded[0], ev.rounded[1], ev.rounded[2],
                  ev.rounded[3], ev.lifted);
        /* a U (three sides seen) refused only for the sign of a side's
         * steps at the frame's edge: kept for the last resort */
        if (c.lines[3] < 0 && ev.confidence <= 0 && ev.stops_short &&
            (ev.short_mask & ~ev.sign_mask) == 0)
            idp_det_other_sign(img, &c, dmin, lr);
        /* the U of round 11 refused is not kept as a seen object: its
         * fourth side is placed, not seen, and where its sides end
         * against the frame moves with a few px of the coarse copy */
        int at = nseen - 1; /* c's entry in seen */
        if (k == uk && ev.confidence <= 0) {
            nseen--;
            at = -1;
        }
        /* nor one judged only as the winner's side moved out, refused:
         * a question about the winner's side, not an object of its own */
        if (only_around && ev.confidence < IDP_CONFIDENCE_MIN) {
            nseen--;
            at = -1;
        }
        /* the U of round 11 holding wins over the quad inside it: that
         * is the document's print; not over a quad that stands out from
         * what lies beyond it on all four sides (CUT_OUTLINE_CON, round
         * 15's guard for cut_around): a whole card, round which a U of
         * the surface's lines may hold (round 25: a wood's grain) */
        const bool outer = k == uk && ev.confidence >= IDP_CONFIDENCE_MIN && best_k >= 0 &&
                           least_con < CUT_OUTLINE_CON &&
                           idp_det_partial_encloses(&top.c[uk], CQ(top.c[best_k].q));
        /* and refused in the later looks too (round 24): whether the U
         * then holds for what it encloses or not, the box is print */
        if (outer) {
            IDP_TRACE("detect: quad %d inside the cut-off outline %d: refused\n", best_k, k);
            if (best_at >= 0)
                seen_conf[best_at] = SEEN_INSIDE_CUT;
            box_at = best_at;
        }
        /* and it wins when it holds: a document's outline is its
         * outermost one. Holds: SECOND_CONF, as any outline a sure
         * winner's search did not judge on its own (round 31: at
         * IDP_CONFIDENCE_MIN a card with a gingham's rectangle beyond
         * it held, 0.43, over the card's 0.996) */
        const bool wider = around && ev.confidence >= SECOND_CONF;
        if (wider)
            IDP_TRACE("detect: quad %d round the winner holds: wins\n", k);
        if (best->score <= 0 || ev.confidence > *conf + CONF_TIE || outer || wider) {
            *best = c;
            *conf = ev.confidence;
            best_ev = ev.confidence;
            best_k = k;
            best_at = at;
            if (!outer)
                box_at = -1;
            least_con =
                fmin(fmin(ev.contrast[0], ev.contrast[1]), fmin(ev.contrast[2], ev.contrast[3]));
        }
    }
    /* the outline beyond a band printed along a side of the winner, its
     * outer edge missing from the lines (round 26) */
    if (best->score > 0 && *conf >= IDP_CONFIDENCE_MIN && best->lines[3] >= 0 &&
        idp_det_band_outline(wk, img, f, best, conf, &least_con)) {
        best_ev = *conf;
        if (best_at >= 0) { /* what was seen there is now the larger quad */
            memcpy(seen[best_at], best->q, sizeof(best->q));
            seen_conf[best_at] = *conf;
        }
    }
    *nseen_out = nseen;
    if (best->score > 0 && *conf > 0) { /* what is printed inside */
        idp_content content;
        double ls, ss;
        idp_quad_sides(CQ(best->q), &ls, &ss);
        idp_quad_content(img, CQ(best->q), ls / ss, &content);
        *conf *= idp_content_factor_kind(&content, best->kind);
        *letters = content.letters;
        IDP_TRACE("detect: content letters %d small %d light %d ground %d periodic %.2f "
                  "lines %.2f text lines %d %d sharp %.0f visible %.2f -> conf %.3f\n",
                  content.letters, content.small, content.light, content.ground, content.periodic,
                  content.lines, content.line1, content.line2, content.sharp, content.visible,
                  *conf);
        if (soft != NULL)
            *soft = idp_det_soft_sure(img, best, best_ev, *conf, &content);
        if (box_at >= 0 && content.letters >= SECOND_LETTERS)
            seen_conf[box_at] = SEEN_INSIDE_PAGE;
    }
    /* a box printed on a page the frame cuts off (round 15): a U of the
     * lines encloses the winner (a quad of four lines), its parallel sides
     * seen up to the frame's edge; the U itself was not judged (it is not
     * the one kept for judging) or was refused, the box holds on its own.
     * Since round 24 no quad is given for it (judge): the document is
     * marked cut off, and `document` and `corners` fail. */
    best->cut_inside = best->score > 0 && *conf >= IDP_CONFIDENCE_MIN && best->lines[3] >= 0 &&
                       cut_around(wk, img, best, least_con);
}

/* The light side (round 16): nothing found by any look, the U's of wk's
 * lines closed by a side found by its steps (idp_lightside.c), each
 * refined and judged on img like any quad (the evidence, a covered
 * corner, the content), held to the second look's bar and refused as the
 * same object as a quad refused outright before (the nseen of seen);
 * each judged one is added to seen while there is room (to max). */
#define LIGHT_MAX 4 /* U's closed and judged, at most */

static void light_look(work *wk, const idp_image *img, uint32_t f, double (*seen)[4][2],
                       double *seen_conf, int *nseen, int max, candidate *best, double *conf)
{
    candidate u[LIGHT_MAX];
    const int nu = idp_det_light_sides(wk, u, LIGHT_MAX);
    for (int m = 0; m < nu; m++) {
        candidate c = u[m];
        for (int i = 0; i < 4; i++) {
            c.q[i][0] *= (double)img->width / wk->w;
            c.q[i][1] *= (double)img->height / wk->h;
        }
        idp_quad_refine(img, c.q, (double)f);
        idp_quad_snap(img, c.q);
        const int closed = idp_det_canonical_order_side(c.q, c.closed_side);
        const double dmin = fabs(log(c.aspect / idp_doc_aspect(c.kind)));
        idp_evidence ev;
        idp_quad_evidence(img, CQ(c.q), dmin, &ev);
        idp_evidence_light(img, CQ(c.q), 1u << closed, &ev);
        ev.confidence = idp_det_covered(img, CQ(c.q), c.kind, &ev);
        double cf = ev.confidence;
        idp_content content;
        memset(&content, 0, sizeof(content));
        if (cf > 0) {
            double ls, ss;
            idp_quad_sides(CQ(c.q), &ls, &ss);
            idp_quad_content(img, CQ(c.q), ls / ss, &content);
            cf *= idp_content_factor_kind(&content, c.kind);
        }
        const double same =
            idp_det_same_object(img, CQ(c.q), (const double(*)[4][2])seen, seen_conf, *nseen);
        IDP_TRACE(
            "detect: light quad %d [%.0f,%.0f %.0f,%.0f %.0f,%.0f %.0f,%.0f] sup %.2f %.2f "
            "%.2f %.2f con %.2f %.2f %.2f %.2f evidence %.3f letters %d conf %.3f same %.2f\n",
            m, c.q[0][0], c.q[0][1], c.q[1][0], c.q[1][1], c.q[2][0], c.q[2][1], c.q[3][0],
            c.q[3][1], ev.support[0], ev.support[1], ev.support[2], ev.support[3], ev.contrast[0],
            ev.contrast[1], ev.contrast[2], ev.contrast[3], ev.confidence, content.letters, cf,
            same);
        if (*nseen < max) {
            memcpy(seen[*nseen], c.q, sizeof(c.q));
            seen_conf[(*nseen)++] = ev.crossed > 0 ? SEEN_CROSSED : ev.confidence;
        }
        if (cf >= SECOND_CONF && content.letters >= SECOND_LETTERS && same < SECOND_SAME &&
            cf > *conf + CONF_TIE) {
            *best = c;
            *conf = cf;
            /* a box on a page cut off by the frame (round 24: as in
             * search, for every look's winner) */
            best->cut_inside = cut_around(
                wk, img, &c,
                fmin(fmin(ev.contrast[0], ev.contrast[1]), fmin(ev.contrast[2], ev.contrast[3])));
        }
    }
}

idp_status idp_detect_document(idp_ctx *ctx, const idp_image *img, idp_document *doc)
{
    const idp_status st = idp_detect_outline(ctx, img, doc);
    return st == IDP_OK ? idp_document_upright(ctx, img, doc) : st;
}

idp_status idp_detect_outline(idp_ctx *ctx, const idp_image *img, idp_document *doc)
{
    work wk;
    candidate best;
    idp_status st = IDP_OK;

    memset(doc, 0, sizeof(*doc));
    memset(&wk, 0, sizeof(wk));
    memset(&best, 0, sizeof(best));
    if (img->channels != 1 && img->channels != 3)
        return idp_fail(ctx, IDP_E_USAGE, "document detection: needs a grey or RGB image");
    uint32_t f = 1;
    bool searched = false;
    st = idp_det_find_lines(ctx, img, &wk, &f, &searched);
    if (st != IDP_OK || !searched)
        goto out;
    IDP_TRACE("detect: %ux%u work %ux%u, %zu edges, %d lines\n", img->width, img->height, wk.w,
              wk.h, wk.nedges, wk.nlines);
    for (int i = 0; i < wk.nlines; i++)
        IDP_TRACE("detect: line %d theta %.1f rho %.1f votes %d\n", i, wk.lines[i].theta,
                  wk.lines[i].rho, wk.lines[i].votes);
    double conf = 0;
    int letters = 0;
    bool second = false, soft = false;
    /* 3 coarse looks, 4 zoomed, the light side's */
    double seen[7 * (TOP_K + 1) + LIGHT_MAX][4][2], seen_conf[7 * (TOP_K + 1) + LIGHT_MAX];
    idp_det_last_resort lr;
    memset(&lr, 0, sizeof(lr));
    int nall = 0;                          /* judged in all looks */
    int nseen = 0, nseen2 = 0, nseen3 = 0; /* judged in the first, second, third look */
    search(&wk, img, f, &best, &conf, &letters, NULL, seen, seen_conf, &nseen, &lr);
    IDP_TRACE("detect: first look conf %.3f\n", conf);
    /* the second look: nothing sure among the strongest lines, and they
     * filled the list (they may all be the surface's: planks, checks):
     * the lines again, at most BAND_CAP per direction. With fewer lines
     * nothing was crowded out, and a cap would only take lines away. */
    const bool crowded = wk.nlines == MAX_LINES;
    if (conf < IDP_CONFIDENCE_MIN && crowded) {
        st = idp_det_repick_lines(ctx, &wk, BAND_CAP);
        if (st != IDP_OK)
            goto out;
        candidate again;
        double conf2 = 0;
        letters = 0;
        memset(&again, 0, sizeof(again));
        search(&wk, img, f, &again, &conf2, &letters, &soft, seen + nseen, seen_conf + nseen,
               &nseen2, &lr);
        /* the same object as a quad judged in either look and refused
         * outright (evidence 0: inner lines, enclosed, crossed, cut
         * short): the refusal stands, a few px of outline do not change
         * what the object is */
        double same = idp_det_same_object(img, CQ(again.q), (const double(*)[4][2])seen, seen_conf,
                                          nseen + nseen2);
        IDP_TRACE("detect: second look conf %.3f same %.2f\n", conf2, same);
        /* held to more: surer, and an ID's print inside */
        if (later_holds(conf2, letters, SECOND_LETTERS, soft) && same < SECOND_SAME) {
            best = again;
            conf = conf2;
            second = true;
        }
        /* the look past a pattern: still nothing, and some directions
         * hold a surface's families of lines (a tablecloth): the lines of
         * the other directions only, held to the same bar */
        int left_out = 0;
        if (conf < IDP_CONFIDENCE_MIN) {
            st = idp_det_pattern_lines(ctx, &wk, &left_out);
            if (st != IDP_OK)
                goto out;
        }
        if (conf < IDP_CONFIDENCE_MIN && left_out > 0) {
            letters = 0;
            conf2 = 0;
            memset(&again, 0, sizeof(again));
            search(&wk, img, f, &again, &conf2, &letters, &soft, seen + nseen + nseen2,
                   seen_conf + nseen + nseen2, &nseen3, &lr);
            same = idp_det_same_object(img, CQ(again.q), (const double(*)[4][2])seen, seen_conf,
                                       nseen + nseen2 + nseen3);
            IDP_TRACE("detect: pattern look (%d bands left out) conf %.3f letters %d same %.2f\n",
                      left_out, conf2, letters, same);
            if (later_holds(conf2, letters, SECOND_LETTERS, soft) && same < SECOND_SAME) {
                best = again;
                conf = conf2;
                second = true;
            }
        }
    }
    /* the look for faint outlines: nothing sure and the lines did not
     * fill the list (nothing crowded them out: the sides were too faint
     * to collect votes, a white card on a light desk) */
    if (conf < IDP_CONFIDENCE_MIN && !crowded) {
        st = idp_det_revote_lines(ctx, &wk);
        if (st != IDP_OK)
            goto out;
        IDP_TRACE("detect: faint look %d lines noise %.1f\n", wk.nlines, (double)wk.noise);
        candidate again;
        double conf3 = 0;
        letters = 0;
        memset(&again, 0, sizeof(again));
        search(&wk, img, f, &again, &conf3, &letters, &soft, seen + nseen + nseen2,
               seen_conf + nseen + nseen2, &nseen3, &lr);
        const double same = idp_det_same_object(img, CQ(again.q), (const double(*)[4][2])seen,
                                                seen_conf, nseen + nseen2 + nseen3);
        IDP_TRACE("detect: faint look conf %.3f letters %d same %.2f\n", conf3, letters, same);
        if (later_holds(conf3, letters, SECOND_LETTERS, soft) && same < SECOND_SAME) {
            best = again;
            conf = conf3;
            second = true;
        }
    }
    /* the zoomed look (round 9): still nothing, and the copy searched
     * was coarser than the image: a card far away may be too small there
     * (under AREA_MIN, its sides among the surface's lines). The lines
     * again on a copy twice as fine, quads down to ZOOM_AREA_MIN, the
     * first look's search held to the second look's bar. Round 23: also
     * for a tighter outline inside an unsure winner of under TIGHT_AREA
     * floors (docs/detection.md, "Round 23: a card under the area
     * floor"): a card under AREA_MIN on a striped surface loses to a quad
     * of its own sides and the stripes beside it, which is over the floor,
     * holds, and ends the search. The zoomed look's quad wins then only
     * when it is under the coarse floor (what the coarse looks could not
     * see), lies within the winner (TIGHT_INSIDE of it) and is surer; the
     * winner judged there is no veto on it. */
    const double frame = (double)img->width * img->height;
    const bool tighter = conf >= IDP_CONFIDENCE_MIN && conf < CONF_SURE && best.score > 0 &&
                         fabs(idp_det_area(CQ(best.q), 4)) < TIGHT_AREA * AREA_MIN * frame;
    const candidate coarse_best = best;
    const double coarse_conf = conf;
    bool taken = false;
    if ((conf < IDP_CONFIDENCE_MIN || tighter) && f > 1) {
        IDP_TRACE("detect: zoomed look for %s\n", tighter ? "a tighter outline" : "a document");
        idp_det_work_free(&wk);
        memset(&wk, 0, sizeof(wk));
        st = idp_det_zoom_lines(ctx, img, &wk, &f, &searched);
        if (st != IDP_OK)
            goto out;
        /* the first look's lines; then those past a pattern (a crowded
         * list) or the faint vote (not crowded) */
        const bool zcrowded = wk.nlines == MAX_LINES;
        const int coarse = nseen + nseen2 + nseen3;
        int all = coarse;
        nall = coarse;
        for (int pass = 0; searched && pass < 4 && (tighter ? !taken : conf < IDP_CONFIDENCE_MIN);
             pass++) {
            /* the last (round 12): a side the lines missed, recovered
             * from the other three of a U, on the last pass's lines */
            if (pass == 3 && idp_det_close_sides(&wk) == 0)
                break;
            if (pass >= 1 && pass < 3) {
                int left_out = 1;
                /* the last pass (round 10): the same with lines down to
                 * ZOOM_VOTE_MIN, the vote floor scaled to the zoomed
                 * copy's area floor (the short sides of a card near it
                 * collect 20-30 votes there); after the others, so what
                 * they find is found as before */
                if (pass == 2)
                    wk.vote_min = ZOOM_VOTE_MIN;
                /* (pass 2 not crowded: the faint votes of pass 1 are in
                 * the accumulator still, only picked again) */
                st = zcrowded    ? idp_det_pattern_lines(ctx, &wk, &left_out)
                     : pass == 1 ? idp_det_revote_lines(ctx, &wk)
                                 : idp_det_repick_lines(ctx, &wk, MAX_LINES);
                if (st != IDP_OK)
                    goto out;
                if (left_out == 0)
                    break;
                /* the lines of the pass before, to the bit (round 13):
                 * its search, judged already, would come again */
                if (wk.same_pick) {
                    IDP_TRACE("detect: zoomed look %d: the lines of pass %d\n", pass, pass - 1);
                    continue;
                }
            }
            candidate again;
            double conf5 = 0;
            int nseen5 = 0;
            letters = 0;
            memset(&again, 0, sizeof(again));
            search(&wk, img, f, &again, &conf5, &letters, &soft, seen + all, seen_conf + all,
                   &nseen5, &lr);
            all += nseen5;
            nall = all;
            /* the same object as one the coarse copy's looks judged (at
             * any confidence: they saw it, their judgement stands), or as
             * one refused outright here */
            double same = 0;
            const bool holds = conf5 >= SECOND_CONF && letters >= ZOOM_LETTERS;
            for (int j = 0; j < all; j++) {
                if (!(j < coarse || seen_conf[j] == 0 || SEEN_INSIDE(seen_conf[j])))
                    continue;
                if (tighter && idp_quad_iou(CQ(seen[j]), CQ(coarse_best.q)) >= SAME_OUTLINE)
                    continue;
                const double iou = idp_quad_iou(CQ(again.q), CQ(seen[j]));
                if (iou <= same)
                    continue;
                /* not for a reason again does not have (rounds 13, 21) */
                if (holds && iou >= SECOND_SAME && !SEEN_INSIDE(seen_conf[j]) &&
                    !idp_det_refusal_shared(img, CQ(seen[j]), CQ(again.q), j < coarse))
                    continue;
                /* the coarse copy's quad off on some sides and q
                 * without them: another outline (round 13) */
                if (iou >= SECOND_SAME && j < coarse && seen_conf[j] > 0 && conf5 >= SECOND_CONF &&
                    idp_det_other_outline(img, CQ(again.q), CQ(seen[j])))
                    continue;
                same = iou;
            }
            IDP_TRACE("detect: zoomed look %d %ux%u %d lines conf %.3f letters %d same %.2f\n",
                      pass, wk.w, wk.h, wk.nlines, conf5, letters, same);
            bool within = !tighter;
            if (tighter && again.score > 0) {
                const double a = fabs(idp_det_area(CQ(again.q), 4)),
                             b = fabs(idp_det_area(CQ(coarse_best.q), 4));
                const double iou = idp_quad_iou(CQ(again.q), CQ(coarse_best.q));
                const double inter = iou / (1 + iou) * (a + b);
                within = conf5 > coarse_conf && a < AREA_MIN * frame && inter >= TIGHT_INSIDE * a;
                IDP_TRACE("detect: tighter outline area %.4f inside %.2f conf %.3f -> %d\n",
                          a / frame, inter / a, conf5, within);
            }
            if (later_holds(conf5, letters, ZOOM_LETTERS, soft) && same < SECOND_SAME && within) {
                best = again;
                conf = conf5;
                second = true;
                taken = true;
            }
        }
    }
    if (nall == 0)
        nall = nseen + nseen2 + nseen3;
    /* the light side (round 16): still nothing, a U of the last look's
     * lines closed by a side too faint for the edges */
    if (conf < IDP_CONFIDENCE_MIN && searched && wk.nlines > 0) {
        candidate light;
        double conf6 = 0;
        memset(&light, 0, sizeof(light));
        light_look(&wk, img, f, seen, seen_conf, &nall, 7 * (TOP_K + 1) + LIGHT_MAX, &light,
                   &conf6);
        IDP_TRACE("detect: light look conf %.3f\n", conf6);
        if (conf6 >= SECOND_CONF) {
            best = light;
            conf = conf6;
            second = true;
        }
    }
    /* the last resort (round 25): nothing found by any look, a U whose
     * side reaches the frame's edge with steps of the other sign, held to
     * the later looks' bar */
    if (conf < IDP_CONFIDENCE_MIN && later_holds(lr.conf, lr.letters, SECOND_LETTERS, false)) {
        IDP_TRACE("detect: last resort: the cut-off outline with either sign, conf %.3f\n",
                  lr.conf);
        best = lr.c;
        conf = lr.conf;
        second = true;
    }
    doc->confidence = conf;
    idp_det_judge(img, &best, second, doc);
    /* nothing found, and a look refused a box inside a cut-off outline
     * round an ID's print (round 24): the document is there, cut off by
     * the frame (a U of a wood's grain round a box of it holds no print) */
    for (int j = 0; j < nall && !doc->found; j++)
        if (seen_conf[j] == SEEN_INSIDE_PAGE) {
            IDP_TRACE("detect: a box refused inside a cut-off outline, nothing else: cut off\n");
            doc->cut_off = true;
            break;
        }
out:
    idp_det_work_free(&wk);
    return st;
}
