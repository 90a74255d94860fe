/* Quad search and scoring of the document finder (steps 4-6 of
 * docs/detection.md, "Method"): every quad of two roughly parallel pairs
 * of lines, checked for a document's shape and scored by the edge pixels
 * along its sides; grown to the outermost outline. Documents with a side
 * outside the frame: idp_partial.c. */
#include "idp_detect_int.h"
#include "idp_evidence.h"
#include "idp_trace.h"

#include <stdlib.h>
#include <string.h>

#ifdef IDP_DETECT_TRACE
/* The trace build: quads whose corners are all within 6 px of those in
 * IDP_TRACE_TRUTH (8 numbers, the working copy's pixels) say what became
 * of them (docs/detection.md, "Tracing a miss"). */
static bool near_truth(const double c[4][2])
{
    const char *e = getenv("IDP_TRACE_TRUTH");
    double t[8];
    if (e == NULL || sscanf(e, "%lf %lf %lf %lf %lf %lf %lf %lf", &t[0], &t[1], &t[2], &t[3], &t[4],
                            &t[5], &t[6], &t[7]) != 8)
        return false;
    for (int i = 0; i < 4; i++) {
        bool near = false;
        for (int j = 0; j < 4 && !near; j++)
            near = hypot(c[i][0] - t[2 * j], c[i][1] - t[2 * j + 1]) < 12;
        if (!near)
            return false;
    }
    return true;
}
#define TRACE_TRUTH(c, ...)                                                                        \
    do {                                                                                           \
        if (near_truth(CQ(c)))                                                                     \
            IDP_TRACE(__VA_ARGS__);                                                                \
    } while (0)
#else
#define TRACE_TRUTH(c, ...) ((void)0)
#endif

static int intersect(const line *a, const line *b, double p[2])
{
    const double det = a->nx * b->ny - a->ny * b->nx;
    if (fabs(det) < 1e-6)
        return 0;
    p[0] = (a->rho * b->ny - a->ny * b->rho) / det;
    p[1] = (a->nx * b->rho - a->rho * b->nx) / det;
    return 1;
}

static double angle_between(const line *a, const line *b)
{
    const double d = fabs(a->theta - b->theta);
    return d > 90 ? 180 - d : d;
}

/* Whether edge e (1 + its direction code) has its gradient within 25
 * degrees of the normal of direction code `code` (either way round, or
 * with polar only the same way). |e - 1 - code| is at most DIR_BINS - 1. */
static inline bool along_normal(int e, int code, bool polar)
{
    int d = abs(e - 1 - code);
    if (d > DIR_BINS / 2)
        d = DIR_BINS - d;
    return d <= 5 || (!polar && DIR_BINS / 2 - d <= 5);
}

/* Whether there is an edge pixel near (x, y), within 2 px along the normal
 * (nx, ny), whose gradient is within 25 degrees of that normal (either
 * way round, or with polar only the same way); code is the normal's
 * direction code. */
static int edge_near(const work *wk, double x, double y, double nx, double ny, int code, bool polar)
{
    for (int k = 0; k != 3; k = k > 0 ? -k : 1 - k) { /* 0, 1, -1, 2, -2 */
        /* truncated, not floor (a libm call per probe; round 12): the two
         * differ only below 0, where both fail the test below */
        const long xi = (long)(x + k * nx), yi = (long)(y + k * ny);
        if (xi < 1 || yi < 1 || xi >= (long)wk->w - 1 || yi >= (long)wk->h - 1)
            continue;
        const int e = wk->edge[(size_t)yi * wk->w + (size_t)xi];
        if (e && along_normal(e, code, polar))
            return 1;
    }
    return 0;
}

/* edge_near at a sample 2..w - 3 by 2..h - 3 (round 13; nearly all of
 * them): the five probes' pixels then lie within the copy, and those the
 * bound test above refuses are on its border, where the edge map is 0
 * (thin_edges leaves it out), so the test goes; ox, oy: k nx and k ny for
 * k = 0, 1, -1, 2, -2 (exact products), the probes in the same order. */
static inline int edge_near_in(const work *wk, double x, double y, const double ox[5],
                               const double oy[5], int code, bool polar)
{
    for (int k = 0; k < 5; k++) {
        const size_t xi = (size_t)(long)(x + ox[k]), yi = (size_t)(long)(y + oy[k]);
        const int e = wk->edge[yi * wk->w + xi];
        if (e && along_normal(e, code, polar))
            return 1;
    }
    return 0;
}

/* Share of the in-frame middle part of segment p0-p1 (its ends are left
 * out: rounded corners) that has an edge pixel, within 2 px across,
 * whose gradient is normal to the segment (with polar, pointing along its
 * left normal (-dy, dx) only: one side brighter). *inframe: share of the
 * samples inside the frame. */
static double edge_support(const work *wk, const double p0[2], const double p1[2], double *inframe,
                           uint8_t counts[3], bool polar)
{
    const double dx = p1[0] - p0[0], dy = p1[1] - p0[1];
    const double len = hypot(dx, dy);
    int ns = (int)(len / 2);
    if (ns > 48)
        ns = 48;
    if (ns < 8)
        ns = 8;
    const double nx = -dy / len, ny = dx / len;
    double ang = atan2(ny, nx) * 180.0 / IDP_PI;
    if (ang < 0)
        ang += 360.0;
    const int code = (int)(ang / (360.0 / DIR_BINS) + 0.5) % DIR_BINS;
    const double ox[5] = {0, nx, -nx, 2 * nx, -2 * nx}, oy[5] = {0, ny, -ny, 2 * ny, -2 * ny};
    const double xin = wk->w - 3.0, yin = wk->h - 3.0;
    int in = 0, hit = 0;
    for (int s = 0; s < ns; s++) {
        const double t = 0.1 + 0.8 * (s + 0.5) / ns;
        const double x = p0[0] + t * dx, y = p0[1] + t * dy;
        if (x < 2 || y < 2 || x > wk->w - 2.0 || y > wk->h - 2.0)
            continue;
        in++;
        hit += x <= xin && y <= yin ? edge_near_in(wk, x, y, ox, oy, code, polar)
                                    : edge_near(wk, x, y, nx, ny, code, polar);
    }
    *inframe = (double)in / ns;
    if (counts != NULL) { /* ns <= 48 */
        counts[0] = (uint8_t)(hit + 1);
        counts[1] = (uint8_t)in;
        counts[2] = (uint8_t)ns;
    }
    return in > 0 ? (double)hit / in : 0.0;
}

static double side_support(const work *wk, const double p0[2], const double p1[2], double *inframe,
                           uint8_t counts[3])
{
    return edge_support(wk, p0, p1, inframe, counts, false);
}

/* Support of line a between its crossings with lines b and c, memoised. */
static double memo_support(work *wk, int a, int b, int c, const double p0[2], const double p1[2],
                           double *inframe)
{
    const int L = MAX_LINES;
    const size_t k =
        ((size_t)a * (size_t)L + (size_t)(b < c ? b : c)) * (size_t)L + (size_t)(b < c ? c : b);
    uint8_t *m = wk->memo + 3 * k;
    if (m[0] != 0)
        *inframe = (double)m[1] / m[2];
    else
        (void)side_support(wk, p0, p1, inframe, m);
    return m[1] > 0 ? (double)(m[0] - 1) / m[1] : 0.0;
}

bool idp_det_doc_fit(const work *wk, const double q[4][2], double *aspect, idp_doc_kind *kind,
                     double *dmin)
{
    const double W = wk->w, H = wk->h;
    /* the principal point: the frame's centre (a phone's, uncropped), or
     * the document's (a photo cropped around it; mkreal.py's camera, which
     * looks at the card): the one whose aspect is nearer a document's, as
     * for the focal length (round 9) */
    double r = 0, d1 = HUGE_VAL, d3 = HUGE_VAL, dm = HUGE_VAL;
    for (int pp = 0; pp < 2; pp++) {
        const double px = pp == 0 ? W / 2 : (q[0][0] + q[1][0] + q[2][0] + q[3][0]) / 4;
        const double py = pp == 0 ? H / 2 : (q[0][1] + q[1][1] + q[2][1] + q[3][1]) / 4;
        double rp = idp_det_true_aspect(q, px, py, W > H ? W : H);
        if (rp <= 0)
            continue;
        if (rp < 1)
            rp = 1 / rp;
        const double f1 = fabs(log(rp / ID1_ASPECT)), f3 = fabs(log(rp / ID3_ASPECT));
        if ((f1 < f3 ? f1 : f3) < dm) {
            r = rp;
            d1 = f1;
            d3 = f3;
            dm = f1 < f3 ? f1 : f3;
        }
    }
    *aspect = r;
    *kind = d1 <= d3 ? IDP_DOC_ID1 : IDP_DOC_ID3;
    *dmin = dm;
    return r > 0;
}

/* Checks and scores the quad of lines a1, a2 (one pair) and b1, b2 into
 * *out; false when it is not a plausible document. */
static bool score_quad(work *wk, int a1, int a2, int b1, int b2, candidate *out)
{
    const line *L = wk->lines;
    double c[4][2];
    if (!intersect(&L[a1], &L[b1], c[0]) || !intersect(&L[a1], &L[b2], c[1]) ||
        !intersect(&L[a2], &L[b2], c[2]) || !intersect(&L[a2], &L[b1], c[3]))
        return false;
    const double W = wk->w, H = wk->h;
    for (int i = 0; i < 4; i++)
        if (c[i][0] < -0.3 * W || c[i][0] > 1.3 * W || c[i][1] < -0.3 * H || c[i][1] > 1.3 * H)
            return false;
    /* convex, corners neither too sharp nor too blunt */
    double sgn = 0;
    for (int i = 0; i < 4; i++) {
        const double *p = c[i], *q = c[(i + 1) % 4], *r = c[(i + 2) % 4];
        const double ux = q[0] - p[0], uy = q[1] - p[1], vx = r[0] - q[0], vy = r[1] - q[1];
        const double cr = ux * vy - uy * vx;
        const double lu = hypot(ux, uy), lv = hypot(vx, vy);
        if (lu < 0.08 * (W < H ? W : H))
            return false;
        const double sn = cr / (lu * lv);
        if (fabs(sn) < 0.82) { /* interior angle within 55..125 degrees */
            TRACE_TRUTH(c, "truth quad: angle\n");
            return false;
        }
        if (sgn == 0)
            sgn = cr;
        else if ((cr > 0) != (sgn > 0))
            return false;
    }
    const double area = fabs(idp_det_area(CQ(c), 4));
    if (area < wk->area_min * W * H || area > 1.1 * W * H) {
        TRACE_TRUTH(c, "truth quad: area %.4f of the frame\n", area / (W * H));
        return false;
    }
    const double e0 = dist2(c[0], c[1]), e1 = dist2(c[1], c[2]), e2 = dist2(c[2], c[3]),
                 e3 = dist2(c[3], c[0]);
    if (e0 / e2 > 1.6 || e2 / e0 > 1.6 || e1 / e3 > 1.6 || e3 / e1 > 1.6) {
        TRACE_TRUTH(c, "truth quad: sides\n");
        return false;
    }
    double q[4][2];
    memcpy(q, c, sizeof(q));
    idp_det_canonical_order(q);
    double r, dmin;
    idp_doc_kind kind;
    if (!idp_det_doc_fit(wk, CQ(q), &r, &kind, &dmin))
        return false;
    if (dmin > ASPECT_TOL) {
        TRACE_TRUTH(c, "truth quad: aspect %.3f\n", r);
        return false;
    }
    /* edge support of the four sides */
    const int side_line[4] = {a1, b2, a2, b1};
    const int side_ends[4][2] = {{b1, b2}, {a1, a2}, {b2, b1}, {a2, a1}};
    const double lens[4] = {e0, e1, e2, e3};
    double score = 0, sup = 0, weakest = 1, others = 0;
    int n_weak = 0;
    for (int i = 0; i < 4; i++) {
        double inf;
        const double s = memo_support(wk, side_line[i], side_ends[i][0], side_ends[i][1], c[i],
                                      c[(i + 1) % 4], &inf);
        if (inf < 0.3 || s < WEAK_SIDE_SUPPORT) {
            TRACE_TRUTH(c, "truth quad: side %d support %.2f in %.2f\n", i, s, inf);
            return false;
        }
        if (s < SIDE_MIN_SUPPORT)
            n_weak++;
        weakest = fmin(weakest, s);
        score += s * inf * lens[i];
        sup += s;
    }
    /* one side may be faint (a dark band on a busy cloth) when the other
     * three are clear and the shape is exactly a document's */
    others = (sup - weakest) / 3;
    if (n_weak > 1 || (n_weak == 1 && (others < 0.8 || dmin > 0.05))) {
        TRACE_TRUTH(c, "truth quad: weak sides %d others %.2f dmin %.3f\n", n_weak, others, dmin);
        return false;
    }
    score *= 1.0 - 0.5 * dmin / ASPECT_TOL;
    /* clear outlines over big patchy ones (long UI or furniture lines) */
    score *= (sup / 4) * (sup / 4);
    TRACE_TRUTH(c, "truth quad: lines %d %d %d %d score %.0f sup %.2f weakest %.2f asp %.3f\n", a1,
                a2, b1, b2, score, sup / 4, weakest, r);
    out->score = score;
    memcpy(out->q, q, sizeof(q));
    memcpy(out->c, c, sizeof(c));
    out->support = sup / 4;
    out->weakest = weakest;
    out->aspect = r;
    out->kind = kind;
    out->lines[0] = a1;
    out->lines[1] = a2;
    out->lines[2] = b1;
    out->lines[3] = b2;
    return true;
}

static void rank_add(ranking *r, const candidate *c)
{
    int at = r->n < TOP_K ? r->n : TOP_K;
    while (at > 0 && r->c[at - 1].score < c->score)
        at--;
    if (at >= TOP_K)
        return;
    const int last = r->n < TOP_K ? r->n : TOP_K - 1;
    memmove(&r->c[at + 1], &r->c[at], (size_t)(last - at) * sizeof(candidate));
    r->c[at] = *c;
    if (r->n < TOP_K)
        r->n++;
}

static void try_quad(work *wk, int a1, int a2, int b1, int b2, ranking *r)
{
    candidate c;
    if (!score_quad(wk, a1, a2, b1, b2, &c))
        return;
    rank_add(r, &c);
    if (c.weakest >= CLEAR_SIDE && (!r->has_clear || c.score > r->clear.score)) {
        r->clear = c;
        r->has_clear = true;
    }
}

static bool inside_quad(const double q[4][2], const double p[2])
{
    int pos = 0, neg = 0;
    for (int i = 0; i < 4; i++) {
        const double *a = q[i], *b = q[(i + 1) % 4];
        /* signed distance to the side; on it (within 1 px) counts as inside */
        const double d =
            ((b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])) / dist2(a, b);
        pos += d > 1.0;
        neg += d < -1.0;
    }
    return pos == 0 || neg == 0;
}

/* Round 12 (docs/detection.md, "Round 12: sides on a tablecloth"): a side
 * on a line of the surface that crosses the card's edge at a slight angle
 * (a gingham row's edge): both lines are supported all along the side, and
 * the larger quad, on the surface's line, scores higher, so the card's
 * edge is never judged. A line printed on a document is parallel to its
 * edge: its gap to the edge, in the document's plane (the quad's
 * homography), is the same at both ends, within the lines' placement
 * (1 px at each end of each line). Two lines for one side whose gaps
 * differ by more than WEDGE_SKEW px form a wedge: not print and edge, so
 * one of them is the surface's. The card covers the surface, so the
 * surface's line is the outer one when (a) it goes on past the corner
 * where the wedge is wide, on the surface (edge support >= WEDGE_ON over
 * the evidence's run-on stretch, 3-15 % of the short side past the
 * corner), further than the inner line does there, and (b) the wedge shows
 * the surface: its colour nearer the surface just outside the outer line
 * than the document just inside the inner one (round 11's separation,
 * idp_quad_snap). Then the inner line, supported along the whole side
 * (IDP_SUP_FULL), is the side. Wedges from WEDGE_MIN px inside (beyond the
 * refinement's reach, 1.75 px on the working copy) to WEDGE_REACH of the
 * short side (round 11's SNAP_REACH, 6.5 mm on an ID-1 card).
 *
 * Round 31 ("Round 31: a wedge on a textured surface"): on wood's waves,
 * stripes or a carpet every line has edge support past a corner, and (a)
 * reads 1 for the card's edge as for the surface's line. There the step
 * tells them apart (round 22's test, idp_det_outline_goes_on): the outer
 * line goes on past the wide corner with its own step, the inner one's
 * step (card against surface) stops there. A wedge that passes this
 * (with the outer line's edge support >= WEDGE_ON, and (b)) is taken out
 * to WEDGE_FAR of the short side: past it, two quads differing by one
 * side's wedge along a long side cannot both have a document's aspect (two
 * ASPECT_TOL apart is a factor e^0.2 = 1.22 on the mean short side, a
 * wedge of 0.36 of it), so the bound only keeps step 4's test from being
 * asked for nothing. Without the step test, WEDGE_REACH as before. */
#define WEDGE_SKEW 2.0 /* px: two lines, each placed within 1 px */
#define WEDGE_MIN 2.0
#define WEDGE_REACH 0.12
#define WEDGE_FAR 0.4
#define WEDGE_NS 16  /* places along the wide half of the wedge */
#define WEDGE_ON 0.5 /* the outer line's edge support past the corner: it goes on */

static double wk_sample(const work *wk, double x, double y, uint32_t ch)
{
    const double fx = fmin(fmax(x, 0), wk->w - 1.001), fy = fmin(fmax(y, 0), wk->h - 1.001);
    const size_t x0 = (size_t)fx, y0 = (size_t)fy;
    const double ax = fx - (double)x0, ay = fy - (double)y0;
    const uint8_t *p = wk->px + (size_t)ch * wk->w * wk->h + y0 * wk->w + x0;
    return (1 - ay) * ((1 - ax) * p[0] + ax * p[1]) +
           ay * ((1 - ax) * p[wk->w] + ax * p[wk->w + 1]);
}

/* The separation of the wedge between side i of old (the outer) and of
 * nw (the inner; corners moved along the neighbouring sides), read over
 * the half of the side where the wedge is wide (wide: 0 at corner i, 1
 * at corner i + 1): the largest channel difference of the wedge's mean
 * colour to the document's just inside the inner line less that to the
 * surface's just outside the outer one. */
static double wedge_separation(const work *wk, const double old[4][2], const double nw[4][2], int i,
                               int wide)
{
    const int j = (i + 1) % 4;
    double mo[3] = {0}, mg[3] = {0}, mi[3] = {0};
    const double dx = old[j][0] - old[i][0], dy = old[j][1] - old[i][1], len = hypot(dx, dy);
    double nx = -dy / len, ny = dx / len; /* outward: away from the quad's centre */
    double cx = 0, cy = 0;
    for (int k = 0; k < 4; k++) {
        cx += old[k][0] / 4;
        cy += old[k][1] / 4;
    }
    if (nx * (cx - old[i][0]) + ny * (cy - old[i][1]) > 0) {
        nx = -nx;
        ny = -ny;
    }
    int n = 0;
    for (int k = 0; k < WEDGE_NS; k++) {
        const double t0 = 0.1 + 0.4 * (k + 0.5) / WEDGE_NS, t = wide ? 1 - t0 : t0;
        const double px = old[i][0] + t * dx, py = old[i][1] + t * dy;
        const double qx = nw[i][0] + t * (nw[j][0] - nw[i][0]);
        const double qy = nw[i][1] + t * (nw[j][1] - nw[i][1]);
        if ((px - qx) * nx + (py - qy) * ny < WEDGE_MIN)
            continue; /* only where the inner line is WEDGE_MIN px inside */
        for (uint32_t c = 0; c < wk->ch && c < 3; c++) {
            mo[c] += wk_sample(wk, px + 1.5 * nx, py + 1.5 * ny, c) +
                     wk_sample(wk, px + 3 * nx, py + 3 * ny, c);
            mg[c] += 2 * wk_sample(wk, (px + qx) / 2, (py + qy) / 2, c);
            mi[c] += wk_sample(wk, qx - 1.5 * nx, qy - 1.5 * ny, c) +
                     wk_sample(wk, qx - 3 * nx, qy - 3 * ny, c);
        }
        n++;
    }
    if (n < WEDGE_NS / 4)
        return 0;
    double din = 0, dout = 0;
    for (uint32_t c = 0; c < wk->ch && c < 3; c++) {
        din = fmax(din, fabs(mg[c] - mi[c]) / (2 * n));
        dout = fmax(dout, fabs(mg[c] - mo[c]) / (2 * n));
    }
    return din - dout;
}

/* Edge support of side i of q (p = q[i] -> q[i + 1]) extended past its
 * corner at end (0: q[i], 1: q[i + 1]), from 3 to 15 % of the short side
 * ss past it (the evidence's run-on stretch, idp_evidence.c). */
static double goes_on(const work *wk, const double q[4][2], int i, int end, double ss)
{
    const int j = (i + 1) % 4;
    const double dx = q[j][0] - q[i][0], dy = q[j][1] - q[i][1], len = hypot(dx, dy);
    const double ux = (end ? dx : -dx) / len, uy = (end ? dy : -dy) / len;
    const double *c = end ? q[j] : q[i];
    const double a[2] = {c[0] + 0.03 * ss * ux, c[1] + 0.03 * ss * uy};
    const double b[2] = {c[0] + 0.15 * ss * ux, c[1] + 0.15 * ss * uy};
    double inf;
    const double s = side_support(wk, a, b, &inf, NULL);
    return inf >= 0.5 ? s : 0;
}

static bool invert3(const double m[9], double r[9])
{
    const double a = m[4] * m[8] - m[5] * m[7], b = m[5] * m[6] - m[3] * m[8],
                 c = m[3] * m[7] - m[4] * m[6];
    const double det = m[0] * a + m[1] * b + m[2] * c;
    if (fabs(det) < 1e-12)
        return false;
    r[0] = a / det;
    r[1] = (m[2] * m[7] - m[1] * m[8]) / det;
    r[2] = (m[1] * m[5] - m[2] * m[4]) / det;
    r[3] = b / det;
    r[4] = (m[0] * m[8] - m[2] * m[6]) / det;
    r[5] = (m[2] * m[3] - m[0] * m[5]) / det;
    r[6] = c / det;
    r[7] = (m[1] * m[6] - m[0] * m[7]) / det;
    r[8] = (m[0] * m[4] - m[1] * m[3]) / det;
    return true;
}

/* How far inside side i of the unit square (0: v = 0, 1: u = 1, 2: v = 1,
 * 3: u = 0) the points p and q lie, through minv (image -> unit square). */
static void depth(const double minv[9], int i, const double p[2], const double q[2], double *dp,
                  double *dq)
{
    const double *pt[2] = {p, q};
    double d[2];
    for (int k = 0; k < 2; k++) {
        const double x = pt[k][0], y = pt[k][1];
        const double w = minv[6] * x + minv[7] * y + minv[8];
        const double u = (minv[0] * x + minv[1] * y + minv[2]) / w;
        const double v = (minv[3] * x + minv[4] * y + minv[5]) / w;
        d[k] = i == 0 ? v : i == 1 ? 1 - u : i == 2 ? 1 - v : u;
    }
    *dp = d[0];
    *dq = d[1];
}

/* Round 31: whether side i of q goes on past its corner at end (0: q[i],
 * 1: q[i + 1]) with the side's own step (idp_det_outline_goes_on), over
 * the stretch up to goes_on's end, 15 % of the short side ss past it. */
static bool outline_on(const work *wk, const double q[4][2], int i, int end, double ss)
{
    const int j = (i + 1) % 4;
    const double *from = end ? q[i] : q[j], *c = end ? q[j] : q[i];
    const double dx = c[0] - from[0], dy = c[1] - from[1], len = hypot(dx, dy);
    if (len <= 0)
        return false;
    const double e[2] = {c[0] + 0.15 * ss * dx / len, c[1] + 0.15 * ss * dy / len};
    return idp_det_outline_goes_on(wk, from, c, e, NULL);
}

static void wedge_sides(work *wk, candidate *best)
{
    double ss = HUGE_VAL;
    for (int i = 0; i < 4; i++)
        ss = fmin(ss, dist2(best->c[i], best->c[(i + 1) % 4]));
    static const int side_slot[4] = {0, 3, 1, 2}; /* side i's line in lines[] */
    for (int i = 0; i < 4; i++) {
        double m[9], minv[9];
        idp_quad_homography(CQD(best->c), 1, 1, m);
        if (!invert3(m, minv))
            return;
        const int j = (i + 1) % 4, slot = side_slot[i];
        const double across =
            (dist2(best->c[(i + 3) % 4], best->c[i]) + dist2(best->c[j], best->c[(j + 1) % 4])) / 2;
        candidate take = {0};
        double take_sep = 0;
        for (int l = 0; l < wk->nlines; l++) {
            int ln[4];
            memcpy(ln, best->lines, sizeof(ln));
            if (l == ln[0] || l == ln[1] || l == ln[2] || l == ln[3] ||
                angle_between(&wk->lines[l], &wk->lines[ln[slot]]) > 30)
                continue;
            ln[slot] = l;
            candidate c;
            if (!score_quad(wk, ln[0], ln[1], ln[2], ln[3], &c))
                continue;
            /* the same quad but for this side */
            bool ok = true;
            for (int k = 0; k < 4 && ok; k++)
                ok = k == i || k == j || dist2(c.c[k], best->c[k]) < 0.5;
            if (!ok)
                continue;
            /* the gaps across the side, in the document's plane */
            double di, dj;
            depth(minv, i, c.c[i], c.c[j], &di, &dj);
            const double gi = di * across, gj = dj * across;
            const bool near = fmax(fabs(gi), fabs(gj)) <= WEDGE_REACH * ss;
            if (fmax(gi, gj) < WEDGE_MIN || fmax(fabs(gi), fabs(gj)) > WEDGE_FAR * ss ||
                fabs(gi - gj) <= WEDGE_SKEW)
                continue;
            double inf;
            const double sup = side_support(wk, c.c[i], c.c[j], &inf, NULL);
            if (sup < IDP_SUP_FULL)
                continue;
            const double sep = wedge_separation(wk, CQ(best->c), CQ(c.c), i, gj > gi);
            /* the outer line goes on past the corner where the wedge is
             * wide (the surface's line), further than the inner one */
            const int wide = gj > gi;
            const double on0 = goes_on(wk, CQ(best->c), i, wide, ss);
            const double on1 = goes_on(wk, CQ(c.c), i, wide, ss);
            const bool steps = on0 >= WEDGE_ON && outline_on(wk, CQ(best->c), i, wide, ss) &&
                               !outline_on(wk, CQ(c.c), i, wide, ss);
            IDP_TRACE("detect: wedge side %d line %d -> %d gaps %.1f %.1f support %.2f "
                      "separation %.1f goes on %.2f -> %.2f steps %d\n",
                      i, best->lines[slot], l, gi, gj, sup, sep, on0, on1, steps);
            if (!steps && !(near && on0 >= WEDGE_ON && on0 > on1))
                continue;
            if (sep > take_sep) {
                take = c;
                take_sep = sep;
            }
        }
        if (take_sep > 0)
            *best = take;
    }
}

/* Round 22 (docs/detection.md, "Round 22: an outline that does not go
 * on"). The step across segment a -> b (unit normal n): the largest
 * channel difference between its mean colour 1.5 and 3 px to one side
 * (round 11's strips) and to the other, over GO_NS places along its middle
 * (10-90 %). An outline going on past a side keeps at least GO_SHARE of
 * the side's step: a surface on both sides of the stretch read 0.003-0.10
 * of it on the tune draws traced (wood's grain and stripes, a cloth with no
 * document) and up to 0.26 on a gingham (squares of two colours either
 * side); a document whose colour changes along its edge (a passport's
 * header band against the sky) 0.41 and more. */
#define GO_NS 12
#define GO_SHARE 0.3
static double strip_step(const work *wk, const double a[2], const double b[2], const double n[2])
{
    double m[2][3] = {{0}};
    for (int k = 0; k < GO_NS; k++) {
        const double t = 0.1 + 0.8 * (k + 0.5) / GO_NS;
        const double x = a[0] + t * (b[0] - a[0]), y = a[1] + t * (b[1] - a[1]);
        for (uint32_t c = 0; c < wk->ch && c < 3; c++)
            for (int side = 0; side < 2; side++) {
                const double sg = side ? -1 : 1;
                m[side][c] += wk_sample(wk, x + sg * 1.5 * n[0], y + sg * 1.5 * n[1], c) +
                              wk_sample(wk, x + sg * 3 * n[0], y + sg * 3 * n[1], c);
            }
    }
    double d = 0;
    for (uint32_t c = 0; c < wk->ch && c < 3; c++)
        d = fmax(d, fabs(m[0][c] - m[1][c]) / (2 * GO_NS));
    return d;
}

/* Whether the outline goes on from b to c, past a side a -> b of it (the
 * same line): the stretch separates colours as the side does, its step at
 * least GO_SHARE of the side's (the side's into *side_step, when not
 * NULL). A surface's line or texture running on past a document's corner
 * has the surface on both sides. */
bool idp_det_outline_goes_on(const work *wk, const double a[2], const double b[2],
                             const double c[2], double *side_step)
{
    const double dx = b[0] - a[0], dy = b[1] - a[1];
    const double len = hypot(dx, dy);
    if (side_step != NULL)
        *side_step = 0;
    if (len <= 0)
        return true;
    const double n[2] = {-dy / len, dx / len};
    const double side = strip_step(wk, a, b, n), ext = strip_step(wk, b, c, n);
    IDP_TRACE("detect: goes on %.0f,%.0f -> %.0f,%.0f step %.1f side %.1f\n", b[0], b[1], c[0],
              c[1], ext, side);
    if (side_step != NULL)
        *side_step = side;
    return ext >= GO_SHARE * side;
}

/* Whether corner i of old moved to corner i of grown along a side of old
 * (to its neighbour that did not move) with the outline going on. */
static bool corner_goes_on(const work *wk, const double old[4][2], const double grown[4][2], int i)
{
    int far = (i + 1) % 4;
    if (dist2(grown[far], old[far]) >= 1.0)
        far = (i + 3) % 4;
    return idp_det_outline_goes_on(wk, old[far], old[i], grown[i], NULL);
}

/* A document's outline is its outermost one: a line printed inside it
 * (a rule under a passport's header, the edge of a coloured band) makes a
 * smaller quad of three true sides that may fit a document's aspect
 * better. When replacing one side of the best quad by another line gives
 * a valid quad that contains it, and the two neighbouring sides go on
 * with edge support all the way to the new side (an outline continues;
 * a table edge beyond the card has nothing joining it), the larger one is
 * the document. Repeated while it grows. */
void idp_det_grow_outward(work *wk, candidate *best)
{
    for (int round = 0; round < 4; round++) {
        candidate grown = {0};
        double grown_area = fabs(idp_det_area(CQ(best->c), 4));
        for (int side = 0; side < 4; side++) {
            for (int l = 0; l < wk->nlines; l++) {
                int ln[4];
                memcpy(ln, best->lines, sizeof(ln));
                if (l == ln[0] || l == ln[1] || l == ln[2] || l == ln[3] ||
                    angle_between(&wk->lines[l], &wk->lines[ln[side]]) > 30)
                    continue;
                ln[side] = l;
                candidate c;
                if (!score_quad(wk, ln[0], ln[1], ln[2], ln[3], &c))
                    continue;
                const double area = fabs(idp_det_area(CQ(c.c), 4));
                bool contains = area > grown_area;
                for (int i = 0; i < 4 && contains; i++)
                    contains = inside_quad(CQ(c.c), best->c[i]);
                if (!contains)
                    continue;
                /* the corners that moved: along the other pair's lines */
                bool continues = true;
                for (int i = 0; i < 4 && continues; i++) {
                    if (dist2(c.c[i], best->c[i]) < 1.0)
                        continue;
                    double inf;
                    const double s = side_support(wk, best->c[i], c.c[i], &inf, NULL);
                    continues = inf >= 0.5 && s >= SIDE_MIN_SUPPORT &&
                                corner_goes_on(wk, CQ(best->c), CQ(c.c), i);
                }
                if (continues) {
                    grown = c;
                    grown_area = area;
                }
            }
        }
        if (grown.score <= 0)
            break;
        IDP_TRACE("detect: grown [%.0f,%.0f %.0f,%.0f %.0f,%.0f %.0f,%.0f] -> [%.0f,%.0f %.0f,%.0f "
                  "%.0f,%.0f %.0f,%.0f]\n",
                  best->c[0][0], best->c[0][1], best->c[1][0], best->c[1][1], best->c[2][0],
                  best->c[2][1], best->c[3][0], best->c[3][1], grown.c[0][0], grown.c[0][1],
                  grown.c[1][0], grown.c[1][1], grown.c[2][0], grown.c[2][1], grown.c[3][0],
                  grown.c[3][1]);
        *best = grown;
    }
    wedge_sides(wk, best);
}

void idp_det_find_quads(work *wk, ranking *best)
{
    const int n = wk->nlines;
    const double minsep = 0.08 * (wk->w < wk->h ? wk->w : wk->h);
    const double cx = wk->w / 2.0, cy = wk->h / 2.0;
    int pa[MAX_LINES * MAX_LINES][2], np = 0;

    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            const line *a = &wk->lines[i], *b = &wk->lines[j];
            if (angle_between(a, b) > 30)
                continue;
            const double da = a->nx * cx + a->ny * cy - a->rho;
            double db = b->nx * cx + b->ny * cy - b->rho;
            if (a->nx * b->nx + a->ny * b->ny < 0)
                db = -db;
            if (fabs(da - db) < minsep)
                continue;
            pa[np][0] = i;
            pa[np][1] = j;
            np++;
        }
    for (int p = 0; p < np; p++)
        for (int k = p + 1; k < np; k++) {
            const line *a = &wk->lines[pa[p][0]], *b = &wk->lines[pa[k][0]];
            if (angle_between(a, b) < 45)
                continue;
            /* at most one pair along a surface's pattern (its lines are in
             * the look past a pattern for a card lying along them): two
             * such pairs are a rectangle of the pattern itself */
            const uint32_t m1 = (1u << pa[p][0]) | (1u << pa[p][1]);
            const uint32_t m2 = (1u << pa[k][0]) | (1u << pa[k][1]);
            if ((wk->along & m1) && (wk->along & m2))
                continue;
            try_quad(wk, pa[p][0], pa[p][1], pa[k][0], pa[k][1], best);
        }
}

/* The helpers the search for documents with a side outside the frame
 * (idp_partial.c) shares with the quad search. */
int idp_det_intersect(const line *a, const line *b, double p[2])
{
    return intersect(a, b, p);
}

double idp_det_angle_between(const line *a, const line *b)
{
    return angle_between(a, b);
}

bool idp_det_inside_quad(const double q[4][2], const double p[2])
{
    return inside_quad(q, p);
}

double idp_det_memo_support(work *wk, int a, int b, int c, const double p0[2], const double p1[2],
                            double *inframe)
{
    return memo_support(wk, a, b, c, p0, p1, inframe);
}

double idp_det_edge_support(const work *wk, const double p0[2], const double p1[2], double *inframe,
                            uint8_t counts[3], bool polar)
{
    return edge_support(wk, p0, p1, inframe, counts, polar);
}
