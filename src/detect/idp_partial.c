/* Document search, a side outside the frame (step 6 of docs/detection.md,
 * "Method"): a U of three lines whose fourth side is out of view. Split
 * out of idp_quads.c; the quad search's helpers it shares are
 * idp_det_intersect, idp_det_angle_between and idp_det_edge_support. */
#include "idp_detect_int.h"
#include "idp_evidence.h"
#include "idp_trace.h"

#include <string.h>

static double side_support(const work *wk, const double p0[2], const double p1[2], double *inframe,
                           uint8_t counts[3])
{
    return idp_det_edge_support(wk, p0, p1, inframe, counts, false);
}

/* Distance from p (inside the frame) along the unit vector u to the
 * frame's edge. */
static double to_frame_edge(const work *wk, const double p[2], double ux, double uy)
{
    double t = HUGE_VAL;
    if (ux > 1e-9)
        t = fmin(t, (wk->w - p[0]) / ux);
    else if (ux < -1e-9)
        t = fmin(t, -p[0] / ux);
    if (uy > 1e-9)
        t = fmin(t, (wk->h - p[1]) / uy);
    else if (uy < -1e-9)
        t = fmin(t, -p[1] / uy);
    return t;
}

/* edge_support of one polarity, or -1 when under half of the segment is
 * in the frame. */
static double polar_support(const work *wk, const double p0[2], const double p1[2])
{
    double inf;
    const double s = idp_det_edge_support(wk, p0, p1, &inf, NULL, true);
    return inf >= 0.5 ? s : -1;
}

/* Whether side a, running from corner p in the direction (ux, uy) to e,
 * goes on past p (PARTIAL_END long) with the same polarity: an outline
 * turns at its corner, while a line inside the document (the edge of a
 * band, a box) is crossed by sides that go on. Counting one polarity, the
 * grain of a wooden table along the side (light and dark streaks) does
 * not pass for its continuation. */
static double beyond(const work *wk, const double p[2], const double e[2], double ux, double uy,
                     double len)
{
    const double q[2] = {p[0] - ux * len, p[1] - uy * len};
    const double fwd = polar_support(wk, p, e), back = polar_support(wk, e, p);
    /* the same normal as the side's dominant polarity */
    const double s = fwd >= back ? polar_support(wk, q, p) : polar_support(wk, p, q);
    return s > 0 ? s : 0.0;
}

/* Edge support of line l's stretch from 5 % to 25 % of len from corner p in
 * the direction (ux, uy): a true side is there right up to its corner
 * (past the rounding). */
static double near_corner(const work *wk, const double p[2], double ux, double uy, double len)
{
    double inf;
    const double a[2] = {p[0] + ux * 0.05 * len, p[1] + uy * 0.05 * len};
    const double b[2] = {p[0] + ux * 0.25 * len, p[1] + uy * 0.25 * len};
    const double s = side_support(wk, a, b, &inf, NULL);
    return inf > 0.5 ? s : 0.0;
}

/* Whether a side running from its corner to the frame's edge at e (v away,
 * in the direction (ux, uy)) is seen on its last PARTIAL_EDGE * d before
 * the edge (d: the joining side's length): a document whose fourth side
 * is in view ends its sides there, short of the frame's edge. */
static bool edge_reached(const work *wk, const double e[2], double ux, double uy, double v,
                         double d)
{
    const double len = fmin(PARTIAL_EDGE * d, v);
    const double p[2] = {e[0] - ux * len, e[1] - uy * len};
    double inf;
    return side_support(wk, p, e, &inf, NULL) >= PARTIAL_SUPPORT && inf >= 0.5;
}

/* Signed distance of p from the line through a in the direction (ux, uy)
 * (unit), positive on the side of the point r. */
static double side_of(const double a[2], double ux, double uy, const double r[2], const double p[2])
{
    const double dp = ux * (p[1] - a[1]) - uy * (p[0] - a[0]);
    const double dr = ux * (r[1] - a[1]) - uy * (r[0] - a[0]);
    return dr >= 0 ? dp : -dp;
}

/* Whether quad q lies inside the U with corners c0, c1 whose sides run
 * from them in the directions u0, u1 (unit): beyond the joining side and
 * between the two others, its corners at most PARTIAL_INSIDE of the
 * joining side's length d outside each (a line's place on the copy is
 * known to a px or two), and short of one of the parallel sides by at
 * least as much. A box printed on the document (its portrait's, which
 * may lie along the document's edge) lies inside the outline without
 * spanning it from side to side; a quad of the U's own three sides and a
 * fourth in view (the document itself, its fourth side seen) spans it. */
static bool u_encloses(const double c0[2], const double c1[2], double u0x, double u0y, double u1x,
                       double u1y, const double q[4][2])
{
    const double d = dist2(c0, c1);
    const double m = PARTIAL_INSIDE * d;
    const double bx = (c1[0] - c0[0]) / d, by = (c1[1] - c0[1]) / d;
    const double open[2] = {c0[0] + u0x, c0[1] + u0y};
    double in0 = HUGE_VAL, in1 = HUGE_VAL; /* the least distance inside a1, a2 */
    for (int i = 0; i < 4; i++) {
        const double s0 = side_of(c0, u0x, u0y, c1, q[i]), s1 = side_of(c1, u1x, u1y, c0, q[i]);
        if (side_of(c0, bx, by, open, q[i]) < -m || s0 < -m || s1 < -m)
            return false;
        in0 = fmin(in0, s0);
        in1 = fmin(in1, s1);
    }
    return in0 >= m || in1 >= m;
}

bool idp_det_partial_encloses(const candidate *u, const double q[4][2])
{
    if (u->lines[3] >= 0 || u->score <= 0)
        return false;
    /* u->c in the lines' order: c0, c1, the placed corners beyond c1, c0 */
    const double l0 = dist2(u->c[0], u->c[3]), l1 = dist2(u->c[1], u->c[2]);
    if (!(l0 > 0 && l1 > 0))
        return false;
    return u_encloses(u->c[0], u->c[1], (u->c[3][0] - u->c[0][0]) / l0,
                      (u->c[3][1] - u->c[0][1]) / l0, (u->c[2][0] - u->c[1][0]) / l1,
                      (u->c[2][1] - u->c[1][1]) / l1, q);
}

/* Round 22 (docs/detection.md, "Round 22: an outline that does not go
 * on"): whether the U's outline goes on past q inside it. Each of its two
 * parallel sides is read past the farthest corner of q along it, up to the
 * frame's edge (a stretch under GO_MIN px is not read); a side whose step
 * beside q is under IDP_STEP_MIN is no outline there either. When every side
 * read stops being an outline, the U is q's own sides run on over the
 * surface, or the surface's lines; one side going on is a page's outline,
 * whose other side may lie on a line printed along its edge (round 11's
 * page, tune 7776 `cut-side-0`: its U's top on the data box's border). */
#define GO_MIN 4.0 /* px of the working copy: a stretch the strips can read (3 px deep) */
bool idp_det_partial_goes_on(const work *wk, const candidate *u, const double q[4][2])
{
    int read = 0, stops = 0;
    for (int s = 0; s < 2; s++) {
        const double *c0 = u->c[s], *c3 = u->c[3 - s];
        const double l = dist2(c0, c3);
        if (!(l > 0))
            continue;
        const double ux = (c3[0] - c0[0]) / l, uy = (c3[1] - c0[1]) / l;
        double t = 0;
        for (int i = 0; i < 4; i++)
            t = fmax(t, (q[i][0] - c0[0]) * ux + (q[i][1] - c0[1]) * uy);
        const double end = to_frame_edge(wk, c0, ux, uy) - 2;
        if (t < GO_MIN || end - t < GO_MIN)
            continue;
        const double b[2] = {c0[0] + t * ux, c0[1] + t * uy};
        const double e[2] = {c0[0] + end * ux, c0[1] + end * uy};
        double step;
        const bool on = idp_det_outline_goes_on(wk, c0, b, e, &step);
        read++;
        stops += !on || step < IDP_STEP_MIN;
    }
    return read == 0 || stops < read;
}

/* A document with one whole side outside the frame: when no quad is found
 * (or only one with a faint side), a U of three lines, a pair of roughly
 * parallel sides (a1, a2) that run out of the frame and a side b that
 * joins them inside it, with clear corners (each side supported up to the
 * corner, none going on past it). The missing side
 * is placed at the document's aspect; kept only when, even 10 % short,
 * it would lie outside the frame (else this is a whole document with a
 * faint side, not a cut-off one) or, since round 9, when it lies outside
 * the frame and both sides are seen right up to the frame's edge (where
 * the fourth side, were it in view, would have ended them), and at least
 * PARTIAL_SEEN of the document is in view. The least extrapolation wins among the kinds and
 * the roles of b (long or short side). */
void idp_det_find_partial(work *wk, candidate *best)
{
    idp_det_find_partial_around(wk, NULL, 0, best);
}

/* The same, keeping only a U that encloses one of the nq quads q (round
 * 11; all of them when nq is 0): tested on the geometry alone, before any
 * side's support is measured. */
void idp_det_find_partial_around(work *wk, const double (*q)[4][2], int nq, candidate *best)
{
    const double minsep = 0.08 * (wk->w < wk->h ? wk->w : wk->h);
    const double aspects[2] = {ID1_ASPECT, ID3_ASPECT};
    const idp_doc_kind kinds[2] = {IDP_DOC_ID1, IDP_DOC_ID3};
    const double focal = PHONE_FOCAL * (wk->w > wk->h ? wk->w : wk->h);

    idp_u u = IDP_U_FIRST;
    while (idp_det_next_u(wk, 55, 2, &u)) {
        const int i = u.i, j = u.j, k = u.k;
        const line *a1 = &wk->lines[i], *a2 = &wk->lines[j];
        const double *c0 = u.c1, *c1 = u.c2;
        const double d = dist2(c0, c1);
        if (d < minsep)
            continue;
        double inf, sb = -1; /* b's support, measured when first needed */
        const double bx = (c1[0] - c0[0]) / d, by = (c1[1] - c0[1]) / d;
        for (int dir = -1; dir <= 1; dir += 2) {
            /* along the a-lines, away from b on the side dir */
            double u0x = -a1->ny, u0y = a1->nx, u1x = -a2->ny, u1y = a2->nx;
            if ((u0x * (-by) + u0y * bx) * dir < 0) {
                u0x = -u0x;
                u0y = -u0y;
            }
            if (u1x * u0x + u1y * u0y < 0) {
                u1x = -u1x;
                u1y = -u1y;
            }
            if (nq > 0) {
                bool around = false;
                for (int m = 0; m < nq && !around; m++)
                    around = u_encloses(c0, c1, u0x, u0y, u1x, u1y, q[m]);
                if (!around)
                    continue;
            }
            const double v0 = to_frame_edge(wk, c0, u0x, u0y);
            const double v1 = to_frame_edge(wk, c1, u1x, u1y);
            const double e0[2] = {c0[0] + u0x * v0, c0[1] + u0y * v0};
            const double e1[2] = {c1[0] + u1x * v1, c1[1] + u1y * v1};
            /* the geometry first (cheap): a kind and role of b for
             * which the fourth side is out of view. Its corners are laid
             * off in the document's plane (round 25): the sides' lines
             * converge as the document recedes, and a length taken in the
             * image (d x the aspect, as before) put the fourth side of a
             * page receding from the camera 13-23 % of its height too far */
            double length = 0, far0[2] = {0, 0}, far1[2] = {0, 0};
            idp_det_plane pl;
            const bool plane =
                idp_det_plane_of(c0, c1, (const double[2]){u0x, u0y}, (const double[2]){u1x, u1y},
                                 wk->w / 2.0, wk->h / 2.0, focal, &pl);
            idp_doc_kind kind = IDP_DOC_UNKNOWN;
            int to_edge = -1; /* both sides seen up to the frame's edge (round 9) */
            for (int a = 0; a < 2; a++)
                for (int role = 0; role < 2; role++) {
                    const double ratio = role == 0 ? aspects[a] : 1 / aspects[a];
                    double g0[2], g1[2];
                    if (!plane || !idp_det_plane_far(&pl, ratio, g0, g1)) {
                        g0[0] = c0[0] + u0x * d * ratio;
                        g0[1] = c0[1] + u0y * d * ratio;
                        g1[0] = c1[0] + u1x * d * ratio;
                        g1[1] = c1[1] + u1y * d * ratio;
                    }
                    /* each side's length to the fourth side, along it */
                    const double L0 = (g0[0] - c0[0]) * u0x + (g0[1] - c0[1]) * u0y;
                    const double L1 = (g1[0] - c1[0]) * u1x + (g1[1] - c1[1]) * u1y;
                    if (L0 <= v0 || L1 <= v1 || v0 < PARTIAL_SEEN * L0 || v1 < PARTIAL_SEEN * L1)
                        continue;
                    /* the fourth side, 10 % nearer, could be in
                     * view: only when both sides are seen right
                     * up to the frame's edge, where the fourth
                     * side would have ended them */
                    if (0.9 * L0 <= v0 || 0.9 * L1 <= v1) {
                        if (to_edge < 0)
                            to_edge = edge_reached(wk, e0, u0x, u0y, v0, d) &&
                                      edge_reached(wk, e1, u1x, u1y, v1, d);
                        if (!to_edge)
                            continue;
                    }
                    if (kind == IDP_DOC_UNKNOWN || L0 + L1 < length) {
                        length = L0 + L1;
                        kind = kinds[a];
                        memcpy(far0, g0, sizeof(far0));
                        memcpy(far1, g1, sizeof(far1));
                    }
                }
            if (kind == IDP_DOC_UNKNOWN)
                continue;
            if (sb < 0) {
                sb = side_support(wk, c0, c1, &inf, NULL);
                /* b's own ends: supported up to the corners, not
                 * going on past them */
                if (sb >= PARTIAL_SUPPORT &&
                    (beyond(wk, c0, c1, bx, by, PARTIAL_END * d) > PARTIAL_END_MAX ||
                     beyond(wk, c1, c0, -bx, -by, PARTIAL_END * d) > PARTIAL_END_MAX ||
                     near_corner(wk, c0, bx, by, d) < PARTIAL_SUPPORT ||
                     near_corner(wk, c1, -bx, -by, d) < PARTIAL_SUPPORT))
                    sb = 0;
            }
            if (sb < PARTIAL_SUPPORT)
                break;
            const double s0 = side_support(wk, c0, e0, &inf, NULL);
            const double s1 = side_support(wk, c1, e1, &inf, NULL);
            IDP_TRACE("partial: lines %d %d %d dir %d sb %.2f s0 %.2f s1 %.2f b0 %.2f "
                      "b1 %.2f n0 %.2f n1 %.2f\n",
                      i, j, k, dir, sb, s0, s1, beyond(wk, c0, e0, u0x, u0y, PARTIAL_END * d),
                      beyond(wk, c1, e1, u1x, u1y, PARTIAL_END * d),
                      near_corner(wk, c0, u0x, u0y, fmin(d, v0)),
                      near_corner(wk, c1, u1x, u1y, fmin(d, v1)));
            if (sb < PARTIAL_SUPPORT)
                break;
            if (s0 < PARTIAL_SUPPORT || s1 < PARTIAL_SUPPORT)
                continue;
            if (beyond(wk, c0, e0, u0x, u0y, PARTIAL_END * d) > PARTIAL_END_MAX ||
                beyond(wk, c1, e1, u1x, u1y, PARTIAL_END * d) > PARTIAL_END_MAX ||
                near_corner(wk, c0, u0x, u0y, fmin(d, v0)) < PARTIAL_SUPPORT ||
                near_corner(wk, c1, u1x, u1y, fmin(d, v1)) < PARTIAL_SUPPORT)
                continue;
            const double sup = (sb + s0 + s1) / 3;
            const double score = (sb * d + s0 * v0 + s1 * v1) * sup * sup;
            if (score <= best->score)
                continue;
            const double uq[4][2] = {
                {c0[0], c0[1]}, {c1[0], c1[1]}, {far1[0], far1[1]}, {far0[0], far0[1]}};
            memset(best, 0, sizeof(*best));
            best->score = score;
            memcpy(best->q, uq, sizeof(uq));
            memcpy(best->c, uq, sizeof(uq));
            idp_det_canonical_order(best->q);
            best->support = sup;
            best->weakest = fmin(sb, fmin(s0, s1));
            best->aspect = idp_doc_aspect(kind);
            best->kind = kind;
            best->lines[0] = i;
            best->lines[1] = j;
            best->lines[2] = k;
            best->lines[3] = -1;
        }
    }
}

void idp_det_other_sign(const idp_image *img, const candidate *c, double dmin,
                        idp_det_last_resort *lr)
{
    idp_evidence ev;
    idp_quad_evidence_either_sign(img, CQ(c->q), dmin, &ev);
    ev.confidence = idp_det_covered(img, CQ(c->q), c->kind, &ev);
    /* its content can only lower it: under the bar it is taken at, or
     * under what *lr holds, it is not read */
    if (ev.confidence < SECOND_CONF || ev.confidence <= lr->conf)
        return;
    idp_content content;
    double ls, ss;
    idp_quad_sides(CQ(c->q), &ls, &ss);
    idp_quad_content(img, CQ(c->q), ls / ss, &content);
    const double conf = ev.confidence * idp_content_factor_kind(&content, c->kind);
    IDP_TRACE("detect: cut-off outline with either sign: evidence %.3f letters %d conf %.3f\n",
              ev.confidence, content.letters, conf);
    if (conf > lr->conf) {
        lr->c = *c;
        lr->conf = conf;
        lr->letters = content.letters;
    }
}

/* A covered corner (round 10): a quad judged not sure enough (confidence
 * above 0, under the floor), or one whose contrast was lifted for its
 * rounded corners (round 13: a corner under a finger reads no roundness,
 * so the lift rests on the three others and can carry the quad just over
 * the floor, where the content factor later takes it under again with
 * the covered corner never read), whose corners are all in view, of which the
 * corners' reading (idp_corners_view, the same one `corners` makes)
 * calls exactly one covered, the other three clear (both sides seen on at
 * least COVER_CLEAR of their stretch next to each) where it can judge
 * them (round 13), and no side running on past a corner. The thing
 * lying over that corner lies over its two sides' strips too (a finger's
 * shading, its colour, its shadow), where the evidence reads their
 * support and contrast: the quad is judged on the two other sides'
 * instead (idp_evidence_without). Returns the confidence to use, ev's
 * when the quad is not such a one. */
double idp_det_covered(const idp_image *img, const double q[4][2], idp_doc_kind kind,
                       const idp_evidence *ev)
{
    if (ev->confidence <= 0 || (ev->confidence >= IDP_CONFIDENCE_MIN && !ev->lifted))
        return ev->confidence;
    for (int i = 0; i < 4; i++)
        if (!(q[i][0] >= 0 && q[i][1] >= 0 && q[i][0] <= img->width && q[i][1] <= img->height))
            return ev->confidence;
    idp_document d;
    memset(&d, 0, sizeof(d));
    d.found = true;
    d.kind = kind;
    memcpy(d.quad, q, sizeof(d.quad));
    idp_corner_view v;
    idp_corners_view(img, &d, &v);
    IDP_TRACE("covered: view %d%d%d%d supports %.2f %.2f %.2f %.2f runs out %d\n", v.covered[0],
              v.covered[1], v.covered[2], v.covered[3], v.support[0], v.support[1], v.support[2],
              v.support[3], v.runs_out);
    int k = -1;
    for (int c = 0; c < 4; c++)
        if (v.covered[c]) {
            if (k >= 0)
                return ev->confidence; /* two: not one thing over one corner */
            k = c;
        }
    if (k < 0 || v.runs_out)
        return ev->confidence;
    /* the others clear where the corner reading can judge them (round
     * 13: a side whose outline is too faint for it, reference under
     * 0.15, a light card on a light desk, is judged by the evidence over
     * its whole length), at least one of them judged */
    int clear = 0;
    for (int c = 0; c < 4; c++) {
        if (c == k || v.support[c] < 0)
            continue;
        if (!(v.support[c] >= COVER_CLEAR))
            return ev->confidence;
        clear++;
    }
    if (clear == 0)
        return ev->confidence;
    const double conf = idp_evidence_without(ev, (1u << k) | (1u << ((k + 3) % 4)));
    IDP_TRACE("covered: corner %d supports %.2f %.2f %.2f %.2f conf %.3f -> %.3f\n", k,
              v.support[0], v.support[1], v.support[2], v.support[3], ev->confidence, conf);
    return conf;
}

/* Round 15 (docs/detection.md "Round 15: cut-off pages"): the U round 11's
 * search finds around box alone, kept only when both its parallel sides
 * are seen on their last stretch up to the frame's edge (edge_reached,
 * round 9's test): there the frame cuts the outline off. A whole card on
 * a grained surface may have a U of its own sides and a stripe around it,
 * but the card's side ends at its corner, short of the frame's edge.
 * Round 24: one of box's sides on one of the U's lines (below). */
bool idp_det_cut_around(work *wk, const double box[4][2])
{
    candidate u;
    double qs[1][4][2];
    memset(&u, 0, sizeof(u));
    memcpy(qs[0], box, sizeof(qs[0]));
    idp_det_find_partial_around(wk, (const double(*)[4][2])qs, 1, &u);
    if (u.score <= 0)
        return false;
    const double *c0 = u.c[0], *c1 = u.c[1];
    const double l0 = dist2(c0, u.c[3]), l1 = dist2(c1, u.c[2]), d = dist2(c0, c1);
    if (!(l0 > 0 && l1 > 0 && d > 0))
        return false;
    const double u0x = (u.c[3][0] - c0[0]) / l0, u0y = (u.c[3][1] - c0[1]) / l0;
    const double u1x = (u.c[2][0] - c1[0]) / l1, u1y = (u.c[2][1] - c1[1]) / l1;
    const double v0 = to_frame_edge(wk, c0, u0x, u0y), v1 = to_frame_edge(wk, c1, u1x, u1y);
    const double e0[2] = {c0[0] + u0x * v0, c0[1] + u0y * v0};
    const double e1[2] = {c1[0] + u1x * v1, c1[1] + u1y * v1};
    /* the open end at the frame's edge: both parallel sides seen on their
     * last stretch before it */
    const bool reach =
        edge_reached(wk, e0, u0x, u0y, v0, d) && edge_reached(wk, e1, u1x, u1y, v1, d);
    /* round 24: and one of the box's sides lies on one of the U's lines
     * (within PARTIAL_INSIDE of the joining side, at least 2 px: a line's
     * place on the copy is known to a px or two). Print closing a box on
     * a page's corner has the page's own side for a side, its line running
     * on past the box to the frame; a whole card inside a U of a cloth's
     * lines has its own outline all round, none of it the U's (docs/
     * detection.md, "Round 24: no quad for print on a cut-off page") */
    const double tol = fmax(2.0, PARTIAL_INSIDE * d);
    int on = -1;
    for (int k = 0; k < 3 && on < 0; k++) {
        const line *ln = &wk->lines[u.lines[k]];
        for (int i = 0; i < 4 && on < 0; i++) {
            const double *a = box[i], *b = box[(i + 1) % 4];
            if (fabs(ln->nx * a[0] + ln->ny * a[1] - ln->rho) <= tol &&
                fabs(ln->nx * b[0] + ln->ny * b[1] - ln->rho) <= tol)
                on = k;
        }
    }
    IDP_TRACE("cut around: U %.0f,%.0f %.0f,%.0f reach %d shared %d\n", c0[0], c0[1], c1[0], c1[1],
              reach, on);
    return reach && on >= 0;
}
