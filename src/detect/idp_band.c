/* Round 26 (docs/detection.md, "Round 26: a band along a side"): the
 * outline beyond a band printed along a document's side. A card whose
 * header band (a dark strip across one end) lies on a checked cloth has
 * the band's inner edge as a strong line and its outer edge, the band
 * against the cloth's dark and light squares, as a broken one that the
 * line search's 32 lines leave out; the quad of three true sides and the
 * band's inner edge fits the other kind (an ID-1 card less an 18 % band
 * is 1.40: ID-3), so it holds, and growth (step 6), which only tries the
 * lines kept, cannot reach the card's end. Here each side of a quad is
 * looked for again beyond it, on the edge map: a segment whose ends slide
 * out along the two neighbouring sides, as far as a document's aspect
 * allows; the best supported one is kept whose edge support holds
 * (SIDE_MIN_SUPPORT along it, BAND_END near each end), along whose
 * stretches the neighbouring sides go on as an outline does (round 22's
 * colour step, which a surface's strip between a card and a line of the
 * surface beyond it does not show), and whose larger quad fits a
 * document. That quad is then judged like any other (idp_detect.c). */
#include "idp_detect_int.h"
#include "idp_evidence.h"
#include "idp_trace.h"

#include <string.h>

/* The nearest outer side looked for, as a share of the neighbouring
 * side. A band narrower than 10 % of it leaves the quad inside it within
 * IoU 0.9 of the document's (a right quad, if not the best one), and
 * beyond a true side lie the card's own shadow and blurred edge, which go
 * on along the card as a band's edge does: measured, a far card's shadow
 * 6 % of its side (tune 9140 `far-5-light-grey`, taken at 6 %: IoU 0.93 ->
 * 0.88), growths of 3-8 px on the working copy that cost good cards IoU
 * 0.999 -> 0.96-0.99. The header band that made wrong quads is 18 % of
 * the card's short side, 11.5 % of the long side beside it (13 % as seen
 * on tune 9151). */
#define BAND_MIN 0.10
/* The farthest, as a share of the neighbouring side: the inner and the
 * outer quad both fit a document (within ASPECT_TOL of ID-1 or ID-3), so
 * a side grows by at most 1.586 / 1.42 x e^(2 x 0.10) = 1.36 times. */
#define BAND_REACH 0.36
/* the two ends' offsets, each against the other's in proportion to its
 * neighbouring side, may differ by this share (a band of one width seen
 * at a slant: LIGHT_SKEW's 7-10 % at 20 degrees of tilt) */
#define BAND_SKEW 0.10
/* The outer side's edge support near each of its ends, at least: a
 * faint side's (WEAK_SIDE_SUPPORT). The band's outer edge against a
 * checked cloth reads 0.33-0.50 there, a line of the band's text 0.00 at
 * the end it stops short of (the tune photos traced). */
#define BAND_END WEAK_SIDE_SUPPORT

static double support(const work *wk, const double a[2], const double b[2], double *inframe)
{
    return idp_det_edge_support(wk, a, b, inframe, NULL, false);
}

/* Whether the side from a to b (side i of in moved out, its corners
 * ca -> a and cb -> b along the neighbouring sides from p and q) is the
 * document's outline: the neighbouring sides go on along the stretches
 * they gain (round 22's colour step; not their edge support, which the
 * cloth's squares break as they break the band's outer edge); the larger
 * quad's fit into *o, false when it fits no document. */
static bool outline_beyond(const work *wk, const candidate *in, int i, const double a[2],
                           const double b[2], candidate *o)
{
    const int j = (i + 1) % 4;
    const double *ca = in->c[i], *cb = in->c[j], *p = in->c[(i + 3) % 4], *q = in->c[(i + 2) % 4];
    if (!idp_det_outline_goes_on(wk, p, ca, a, NULL) ||
        !idp_det_outline_goes_on(wk, q, cb, b, NULL))
        return false;
    /* and on its outer half: a side beyond the band's end has the
     * surface on both sides of that half */
    const double ma[2] = {(ca[0] + a[0]) / 2, (ca[1] + a[1]) / 2};
    const double mb[2] = {(cb[0] + b[0]) / 2, (cb[1] + b[1]) / 2};
    if (!idp_det_outline_goes_on(wk, p, ma, a, NULL) ||
        !idp_det_outline_goes_on(wk, q, mb, b, NULL))
        return false;
    *o = *in;
    memcpy(o->c[i], a, sizeof(o->c[i]));
    memcpy(o->c[j], b, sizeof(o->c[j]));
    memcpy(o->q, o->c, sizeof(o->q));
    idp_det_canonical_order(o->q);
    double r, dmin;
    idp_doc_kind kind;
    if (!idp_det_doc_fit(wk, CQ(o->q), &r, &kind, &dmin) || dmin > ASPECT_TOL)
        return false;
    o->aspect = r;
    o->kind = kind;
    return true;
}

/* The edge support of segment a -> b from 5 % to 25 % of its length from
 * a (past a rounded corner, as near_corner reads a U's sides,
 * idp_partial.c). */
static double near_end(const work *wk, const double a[2], const double b[2])
{
    const double p0[2] = {a[0] + 0.05 * (b[0] - a[0]), a[1] + 0.05 * (b[1] - a[1])};
    const double p1[2] = {a[0] + 0.25 * (b[0] - a[0]), a[1] + 0.25 * (b[1] - a[1])};
    double inf;
    return support(wk, p0, p1, &inf);
}

bool idp_det_band_beyond(const work *wk, const candidate *in, candidate *out)
{
    bool found = false;
    double found_s = 0;
    for (int i = 0; i < 4; i++) {
        const int j = (i + 1) % 4;
        const double *ca = in->c[i], *cb = in->c[j], *p = in->c[(i + 3) % 4],
                     *q = in->c[(i + 2) % 4];
        const double la = dist2(p, ca), lb = dist2(q, cb);
        if (!(la > 0 && lb > 0))
            continue;
        const double ua[2] = {(ca[0] - p[0]) / la, (ca[1] - p[1]) / la};
        const double ub[2] = {(cb[0] - q[0]) / lb, (cb[1] - q[1]) / lb};
        for (double ta = ceil(BAND_MIN * la); ta <= BAND_REACH * la; ta += 1.0) {
            const double mid = ta * lb / la;
            const double lo = fmax(ceil(BAND_MIN * lb), floor(mid * (1 - BAND_SKEW))),
                         hi = ceil(mid * (1 + BAND_SKEW));
            const double a[2] = {ca[0] + ua[0] * ta, ca[1] + ua[1] * ta};
            double best_s = -1, b[2] = {0, 0};
            for (double tb = lo; tb <= hi; tb += 1.0) {
                const double bt[2] = {cb[0] + ub[0] * tb, cb[1] + ub[1] * tb};
                double inf;
                const double s = support(wk, a, bt, &inf);
                if (inf >= 0.9 && s > best_s) {
                    best_s = s;
                    memcpy(b, bt, sizeof(b));
                }
            }
            /* the best supported outline (ties: the nearest); a line
             * printed in the band (its text) stops short of a corner,
             * where an outline runs on to it (BAND_END) */
            if (best_s < SIDE_MIN_SUPPORT || best_s <= found_s)
                continue;
            const double ea = near_end(wk, a, b), eb = near_end(wk, b, a);
            IDP_TRACE("detect: band beyond side %d: %.0f %.0f px out, support %.2f ends %.2f "
                      "%.2f\n",
                      i, ta, dist2(cb, b), best_s, ea, eb);
            candidate o;
            if (ea < BAND_END || eb < BAND_END || !outline_beyond(wk, in, i, a, b, &o))
                continue;
            *out = o;
            found = true;
            found_s = best_s;
        }
    }
    return found;
}

bool idp_det_band_outline(const work *wk, const idp_image *img, uint32_t f, candidate *best,
                          double *conf, double *least_con)
{
    candidate o;
    if (!idp_det_band_beyond(wk, best, &o))
        return false;
    for (int i = 0; i < 4; i++) {
        o.q[i][0] *= (double)img->width / wk->w;
        o.q[i][1] *= (double)img->height / wk->h;
    }
    idp_quad_refine(img, o.q, (double)f);
    idp_det_canonical_order(o.q);
    const double dmin = fabs(log(o.aspect / idp_doc_aspect(o.kind)));
    idp_evidence ev;
    idp_quad_evidence(img, CQ(o.q), dmin, &ev);
    ev.confidence = idp_det_covered(img, CQ(o.q), o.kind, &ev);
    IDP_TRACE("detect: band quad [%.0f,%.0f %.0f,%.0f %.0f,%.0f %.0f,%.0f] sup %.2f %.2f %.2f %.2f "
              "con %.2f %.2f %.2f %.2f conf %.3f (winner %.3f)\n",
              o.q[0][0], o.q[0][1], o.q[1][0], o.q[1][1], o.q[2][0], o.q[2][1], o.q[3][0],
              o.q[3][1], ev.support[0], ev.support[1], ev.support[2], ev.support[3], ev.contrast[0],
              ev.contrast[1], ev.contrast[2], ev.contrast[3], ev.confidence, *conf);
    if (ev.confidence < IDP_CONFIDENCE_MIN)
        return false;
    *best = o;
    *conf = ev.confidence;
    *least_con = fmin(fmin(ev.contrast[0], ev.contrast[1]), fmin(ev.contrast[2], ev.contrast[3]));
    return true;
}
