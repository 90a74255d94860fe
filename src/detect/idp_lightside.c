/* The light side (docs/detection.md "Round 16: the light side"). A light
 * document on a light surface (a white card's end on a white desk or a
 * letter, a page's light margin on newsprint) has one side whose step
 * (5-20 levels) makes few edge pixels or none: the edge floor is the photo's
 * 75th percentile of gradient, at least 28 (Sobel, |gx| + |gy|), which
 * print and clutter put far above such a step. Its three other sides are
 * lines, and they say where the fourth must be: two roughly parallel
 * sides with their corners on a third (a U) whose ends lie in the frame,
 * the fourth side across their open end, at the distance a document's
 * aspect gives from the U's width. Only that band is searched, on the
 * working copy's pixels (the colour step across the side, as the evidence
 * measures it, idp_evidence.c), and a step counts when it stands
 * LIGHT_SIGMAS noise deviations above the quieter of the two strips
 * beside the side (the surface beyond, the document's margin within), not
 * the whole photo's edge floor. Each U's band holds a few hundred
 * candidate sides (a photo's U's some 10^4) where the line search tries
 * some 10^5 lines, so the same rate of false sides allows the lower step
 * (docs/detection.md gives the numbers). The quads so formed are judged
 * by the evidence and the content like any other (idp_detect.c). */
#include "idp_detect_int.h"
#include "idp_trace.h"
#include "idp_stats.h"

#include <stdlib.h>
#include <string.h>

/* each side of the U, on the edge map, and the side found, by its steps:
 * PARTIAL_SUPPORT, what the three-sided search asks of a side */
#define LIGHT_SUPPORT 0.70
/* the U's length off a document's: perspective and tilt (CLOSE_SLACK) */
#define LIGHT_SLACK 1.25
#define LIGHT_SAMPLES 32 /* steps along a candidate side, over its middle 80 % */
/* The noise a candidate's steps are measured against: the candidates
 * LIGHT_NEAR and LIGHT_FAR px further out (the surface beyond it) and as
 * far in (the document's margin), 10 and 16 px on the evidence's ~1000 px
 * image (BESIDE_NEAR, BESIDE_FAR: past a soft drop shadow); the quieter
 * of the two. A sample counts at LIGHT_SIGMAS of that noise: a plain
 * surface's sample passes it with p = 0.046 (two-sided normal), and a
 * side needs LIGHT_SUPPORT of 32 of them, which noise alone gives with
 * p ~ 1e-20 per candidate: the false sides are lines of print or other
 * things' edges, which the band, the side's ends and the evidence judge. */
#define LIGHT_SIGMAS 2.0
#define LIGHT_NEAR 5
#define LIGHT_FAR 8
/* a step is never taken below this (levels): the working copy's noise on
 * a flat light surface reads 1-2 levels (its median |step| 0.8-1.4 on
 * the letters and desks traced), 2 sigma of 1.5 */
#define LIGHT_STEP_MIN 3.0
/* The side found is a light one: its median step (levels) at most this.
 * Light stock or a page's margin against a white surface steps by 5-10
 * levels (round 10's faint sides), 12-20 on the cluttered scenes traced;
 * ink does by 35 and more (the sides of boxes printed on a passport
 * page, which close U's of its print: 35-150 on the traced newspaper
 * scene). */
#define LIGHT_STEP_MAX 25.0
/* past each end of the side found (a sheet's edge or a printed line going
 * on past the corners is no document's side), over LIGHT_PAST of its
 * length: steps of its polarity on at most LIGHT_GOES_ON of the samples
 * (CLOSE_PAST, CLOSE_GOES_ON) */
#define LIGHT_PAST 0.15
#define LIGHT_GOES_ON 0.35
/* each end of the side found is moved about the best place by LIGHT_SKEW of
 * the U's length, at least LIGHT_NUDGE px (CLOSE_NUDGE): the document seen
 * at a slant has its two sides along the U differ (a tilt of 20 degrees:
 * 7-10 %) */
#define LIGHT_NUDGE 3
#define LIGHT_SKEW 0.10
/* a quad within another (its corners at most this share of its short
 * side outside the other's sides: PARTIAL_INSIDE's 2 %, and the few px
 * two closings of one side differ by) */
#define LIGHT_INSIDE 0.03

/* a working-copy sample of plane c at (x, y), bilinear, clamped */
static double px_at(const work *wk, uint32_t c, double x, double y)
{
    if (x < 0)
        x = 0;
    if (y < 0)
        y = 0;
    if (x > wk->w - 1.001)
        x = wk->w - 1.001;
    if (y > wk->h - 1.001)
        y = wk->h - 1.001;
    const uint32_t xi = (uint32_t)x, yi = (uint32_t)y;
    const double fx = x - xi, fy = y - yi;
    const uint8_t *p = wk->px + (size_t)c * wk->w * wk->h + (size_t)yi * wk->w + xi;
    const double top = p[0] + (p[1] - p[0]) * fx;
    const double bot = p[wk->w] + (p[wk->w + 1] - p[wk->w]) * fx;
    return top + (bot - top) * fy;
}

/* The colour step across (x, y) along unit normal n (the n side minus the
 * other), in the channel where it is largest, over +-1.5 and 3 px: the
 * evidence's step_at on the working copy. */
static double step_at(const work *wk, double x, double y, double nx, double ny)
{
    double best = 0;
    for (uint32_t c = 0; c < wk->ch; c++) {
        const double o =
            px_at(wk, c, x + 1.5 * nx, y + 1.5 * ny) + px_at(wk, c, x + 3 * nx, y + 3 * ny);
        const double i =
            px_at(wk, c, x - 1.5 * nx, y - 1.5 * ny) + px_at(wk, c, x - 3 * nx, y - 3 * ny);
        const double d = (o - i) / 2;
        if (fabs(d) > fabs(best))
            best = d;
    }
    return best;
}

/* the strongest step within +-1 px along the normal */
static double step_near(const work *wk, double x, double y, double nx, double ny)
{
    double best = 0;
    for (int k = -1; k <= 1; k++) {
        const double d = step_at(wk, x + k * nx, y + k * ny, nx, ny);
        if (fabs(d) > fabs(best))
            best = d;
    }
    return best;
}

static bool in_frame(const work *wk, const double p[2])
{
    return p[0] >= 5 && p[1] >= 5 && p[0] <= wk->w - 5.0 && p[1] <= wk->h - 5.0;
}

/* The steps along a -> b (LIGHT_SAMPLES over its middle 80 %) into v, the
 * normal n pointing away from the U; false when a sample is out of view. */
static bool steps_of(const work *wk, const double a[2], const double b[2], const double n[2],
                     double v[LIGHT_SAMPLES])
{
    for (int k = 0; k < LIGHT_SAMPLES; k++) {
        const double t = 0.1 + 0.8 * (k + 0.5) / LIGHT_SAMPLES;
        const double p[2] = {a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])};
        if (!in_frame(wk, p))
            return false;
        v[k] = step_near(wk, p[0], p[1], n[0], n[1]);
    }
    return true;
}

/* Share of v at |step| >= need, either way (as the evidence counts a
 * side's samples: print crossing the side, a letter's text up to a card's
 * end, turns some of its steps), and the polarity most of them have
 * into *pol. */
static double share(const double v[LIGHT_SAMPLES], double need, int *pol)
{
    int pos = 0, neg = 0;
    for (int k = 0; k < LIGHT_SAMPLES; k++) {
        pos += v[k] >= need;
        neg += v[k] <= -need;
    }
    *pol = pos >= neg ? 1 : -1;
    return (double)(pos + neg) / LIGHT_SAMPLES;
}

/* The step a sample of a candidate needs: LIGHT_SIGMAS times the step
 * noise of the surface beside it (two rows of steps), at least
 * LIGHT_STEP_MIN. The noise is read robustly, as 1.4826 times the median
 * |step| (the median of |x| is 0.674 sigma for normal noise): print on
 * the surface (a letter's text, newsprint) puts large steps of either
 * sign on a few of the samples and would set a percentile (round 10's
 * step_needed reads the 95th) far above a light side's step. */
static double need_of(const double *near, const double *far)
{
    double v[2 * LIGHT_SAMPLES];
    for (int k = 0; k < LIGHT_SAMPLES; k++) {
        v[k] = fabs(near[k]);
        v[LIGHT_SAMPLES + k] = fabs(far[k]);
    }
    const double med = idp_median(v, 2 * LIGHT_SAMPLES);
    return fmax(LIGHT_STEP_MIN, LIGHT_SIGMAS * 1.4826 * med);
}

/* Whether the step of polarity pol (along normal n) goes on past b, away
 * from a, over LIGHT_PAST of the side: out of view, it cannot be told, so
 * not. */
static bool goes_on(const work *wk, const double a[2], const double b[2], const double n[2],
                    int pol, double need)
{
    const double d = hypot(b[0] - a[0], b[1] - a[1]);
    const double u[2] = {(b[0] - a[0]) / d, (b[1] - a[1]) / d};
    const int ns = 12;
    int in = 0, hit = 0;
    for (int k = 0; k < ns; k++) {
        const double t = d * (0.03 + (LIGHT_PAST - 0.03) * (k + 0.5) / ns);
        const double p[2] = {b[0] + t * u[0], b[1] + t * u[1]};
        if (!in_frame(wk, p))
            continue;
        in++;
        const double s = step_near(wk, p[0], p[1], n[0], n[1]);
        hit += fabs(s) >= need && (s > 0) == (pol > 0);
    }
    return in >= ns / 2 && (double)hit / in > LIGHT_GOES_ON;
}

static double edge_sup(const work *wk, const double a[2], const double b[2], bool polar)
{
    double in;
    const double s = idp_det_edge_support(wk, a, b, &in, NULL, polar);
    return in >= 0.999 ? s : 0;
}

/* Whether the U's side from corner c to p goes on past p, on the edge
 * map, over LIGHT_PAST of len: its edges (of its own polarity) there on
 * LIGHT_RUN_ON more of the samples than on the same stretch moved 4-12 px
 * to either side (a line going on, not texture or print beside it:
 * idp_evidence.c's runs_on). Going on, the side found is a line printed
 * inside the document (round 12's closing asks the same). */
#define LIGHT_RUN_ON 0.4
static bool side_goes_on(const work *wk, const double c[2], const double p[2], double len)
{
    double in;
    const double l = idp_det_edge_support(wk, c, p, &in, NULL, true);
    const double r = idp_det_edge_support(wk, p, c, &in, NULL, true);
    const double d = hypot(p[0] - c[0], p[1] - c[1]);
    const double u[2] = {(p[0] - c[0]) / d, (p[1] - c[1]) / d};
    const double e[2] = {p[0] + u[0] * LIGHT_PAST * len, p[1] + u[1] * LIGHT_PAST * len};
    double on = 0, off = 0;
    for (int k = -3; k <= 3; k++) {
        const double o = 4.0 * k;
        const double a[2] = {p[0] - u[1] * o, p[1] + u[0] * o};
        const double b[2] = {e[0] - u[1] * o, e[1] + u[0] * o};
        const double s = l >= r ? idp_det_edge_support(wk, a, b, &in, NULL, true)
                                : idp_det_edge_support(wk, b, a, &in, NULL, true);
        if (in < 0.5)
            continue;
        if (k == 0)
            on = s;
        else
            off = fmax(off, s);
    }
    return on > LIGHT_GOES_ON && on - off >= LIGHT_RUN_ON;
}

/* The quad of the U (corners c1, c2 on lines i, j) closed at t1, t2 along
 * u1, u2: a document's? Its kind and aspect into *cand when so. */
static bool as_document(const work *wk, const double c1[2], const double c2[2], const double p1[2],
                        const double p2[2], candidate *cand)
{
    double q[4][2] = {{c1[0], c1[1]}, {c2[0], c2[1]}, {p2[0], p2[1]}, {p1[0], p1[1]}};
    const double area = fabs(idp_det_area(CQ(q), 4));
    if (area < wk->area_min * wk->w * wk->h)
        return false;
    const int closed = idp_det_canonical_order_side(q, 2); /* p2 -> p1 */
    const double lng = wk->w > wk->h ? wk->w : wk->h;
    const double r = idp_det_true_aspect(CQ(q), wk->w / 2.0, wk->h / 2.0, lng);
    if (r <= 0)
        return false;
    const double e1 = fabs(log(r / ID1_ASPECT)), e3 = fabs(log(r / ID3_ASPECT));
    if (fmin(e1, e3) > ASPECT_TOL)
        return false;
    memcpy(cand->q, q, sizeof(q));
    cand->aspect = r;
    cand->kind = e1 <= e3 ? IDP_DOC_ID1 : IDP_DOC_ID3;
    cand->closed_side = closed;
    return true;
}

/* The fourth side of the U (i, j parallel, k joining them at c1, c2) on
 * side s of k, along the sides between lo and hi px: into *out. */
static bool light_close(const work *wk, int i, int j, int k, const double c1[2], const double c2[2],
                        int s, double lo, double hi, candidate *out, int *searched)
{
    const line *li = &wk->lines[i], *lj = &wk->lines[j], *lk = &wk->lines[k];
    double u1[2], u2[2];
    idp_det_along(li, lk, s, u1);
    idp_det_along(lj, lk, s, u2);
    const double a1[2] = {c1[0] + lo * u1[0], c1[1] + lo * u1[1]};
    const double a2[2] = {c2[0] + lo * u2[0], c2[1] + lo * u2[1]};
    if (!in_frame(wk, a1) || !in_frame(wk, a2) || edge_sup(wk, c1, a1, false) < LIGHT_SUPPORT ||
        edge_sup(wk, c2, a2, false) < LIGHT_SUPPORT)
        return false;
    /* the normal of the candidates, away from the U */
    double n[2] = {-(c2[1] - c1[1]), c2[0] - c1[0]};
    const double nl = hypot(n[0], n[1]);
    n[0] /= nl;
    n[1] /= nl;
    if (n[0] * u1[0] + n[1] * u1[1] < 0) {
        n[0] = -n[0];
        n[1] = -n[1];
    }
    /* the rows of steps at every place from lo to hi + LIGHT_FAR (the last
     * ones are the surface beside the farthest candidates) */
    lo -= LIGHT_FAR;
    const int nt = (int)(hi - lo) + 1 + LIGHT_FAR;
    double(*row)[LIGHT_SAMPLES] = malloc((size_t)nt * sizeof(*row));
    if (row == NULL)
        return false;
    int have = 0;
    for (; have < nt; have++) {
        const double t = lo + have;
        const double p1[2] = {c1[0] + t * u1[0], c1[1] + t * u1[1]};
        const double p2[2] = {c2[0] + t * u2[0], c2[1] + t * u2[1]};
        if (!steps_of(wk, p1, p2, n, row[have]))
            break;
    }
    double best = 0, bneed = 0;
    int bt = -1, bpol = 1;
    for (int t = LIGHT_FAR; t + LIGHT_FAR < have; t++) {
        /* the quieter of the two sides: the surface beyond, or the
         * document's margin within (print on one of them, a letter's text
         * up to a card's edge, is not the side's noise) */
        const double need = fmin(need_of(row[t + LIGHT_NEAR], row[t + LIGHT_FAR]),
                                 need_of(row[t - LIGHT_NEAR], row[t - LIGHT_FAR]));
        int pol;
        const double v = share(row[t], need, &pol);
        ++*searched;
        if (v > best) {
            best = v;
            bt = t;
            bneed = need;
            bpol = pol;
        }
    }
    free(row);
    if (bt < 0 || best < LIGHT_SUPPORT)
        return false;
    /* each end moved to where the side holds most steps: the document
     * seen at a slant, its two sides along i and j differ in length (by up
     * to LIGHT_SKEW of it: a tilt of 20 degrees makes 7-10 %); one end
     * then the other, twice */
    double t1 = lo + bt, t2 = lo + bt;
    const int reach = (int)(LIGHT_SKEW * t1) > LIGHT_NUDGE ? (int)(LIGHT_SKEW * t1) : LIGHT_NUDGE;
    for (int round = 0; round < 4; round++) {
        const double f1 = t1, f2 = t2;
        for (int d = -reach; d <= reach; d++) {
            const double e1 = round % 2 == 0 ? f1 + d : f1, e2 = round % 2 == 0 ? f2 : f2 + d;
            const double p1[2] = {c1[0] + e1 * u1[0], c1[1] + e1 * u1[1]};
            const double p2[2] = {c2[0] + e2 * u2[0], c2[1] + e2 * u2[1]};
            double v[LIGHT_SAMPLES];
            int pol;
            if (d == 0 || !steps_of(wk, p1, p2, n, v))
                continue;
            ++*searched;
            const double sh = share(v, bneed, &pol);
            if (sh > best) {
                best = sh;
                bpol = pol;
                t1 = e1;
                t2 = e2;
            }
        }
    }
    const double p1[2] = {c1[0] + t1 * u1[0], c1[1] + t1 * u1[1]};
    const double p2[2] = {c2[0] + t2 * u2[0], c2[1] + t2 * u2[1]};
    /* the side stops at both corners, and the U's sides stop at it */
    const bool g1 = goes_on(wk, p1, p2, n, bpol, bneed), g2 = goes_on(wk, p2, p1, n, bpol, bneed);
    const double e1 = edge_sup(wk, c1, p1, false), e2 = edge_sup(wk, c2, p2, false);
    const double len = hypot(p2[0] - p1[0], p2[1] - p1[1]);
    const bool s1 = side_goes_on(wk, c1, p1, len), s2 = side_goes_on(wk, c2, p2, len);
    /* a light side: one the edge map does not hold (SIDE_MIN_SUPPORT, what
     * the quad search asks of a side); one it holds was left out of the
     * lines for other reasons (a crowded list), and what closes a U with
     * such edges is as often a box printed on the document */
    /* and a light one: its median step at most LIGHT_STEP_MAX (a box
     * printed on the document closes a U too, with ink's steps) */
    double sv[LIGHT_SAMPLES];
    double es = 1e9;
    if (steps_of(wk, p1, p2, n, sv)) {
        for (int m = 0; m < LIGHT_SAMPLES; m++)
            sv[m] = fabs(sv[m]);
        es = idp_median(sv, LIGHT_SAMPLES);
    }
    IDP_TRACE("detect: light U %d %d %d ends [%.0f,%.0f %.0f,%.0f] %.2f: goes on %d %d, sides "
              "%.2f %.2f going on %d %d median step %.1f\n",
              i, j, k, p1[0], p1[1], p2[0], p2[1], best, g1, g2, e1, e2, s1, s2, es);
    if (g1 || g2 || e1 < LIGHT_SUPPORT || e2 < LIGHT_SUPPORT || s1 || s2 || es > LIGHT_STEP_MAX)
        return false;
    IDP_TRACE("detect: light U %d %d %d passed the ends\n", i, j, k);
    if (!as_document(wk, c1, c2, p1, p2, out))
        return false;
    out->support = best;
    out->weakest = best;
    out->score = best * (len + hypot(c2[0] - c1[0], c2[1] - c1[1]) + t1 + t2);
    out->lines[0] = i;
    out->lines[1] = j;
    out->lines[2] = k;
    out->lines[3] = -1; /* not four lines of the list: never grown */
    IDP_TRACE("detect: light side of %d %d %d: support %.2f need %.1f polarity %d "
              "[%.0f,%.0f %.0f,%.0f] kind %d aspect %.3f\n",
              i, j, k, best, bneed, bpol, p1[0], p1[1], p2[0], p2[1], (int)out->kind, out->aspect);
    return true;
}

/* Whether quad a lies within quad b (every corner at most tol px outside
 * any of b's sides) and is smaller. */
static bool within(const double a[4][2], const double b[4][2], double tol)
{
    if (fabs(idp_det_area(a, 4)) >= fabs(idp_det_area(b, 4)))
        return false;
    const double sg = idp_det_area(b, 4) > 0 ? 1 : -1;
    for (int i = 0; i < 4; i++) {
        const double *p = b[i], *q = b[(i + 1) % 4];
        const double len = hypot(q[0] - p[0], q[1] - p[1]);
        for (int k = 0; k < 4; k++) {
            const double cr =
                ((q[0] - p[0]) * (a[k][1] - p[1]) - (q[1] - p[1]) * (a[k][0] - p[0])) / len;
            if (sg * cr < -tol)
                return false;
        }
    }
    return true;
}

#define LIGHT_FOUND 64 /* sides found, at most, before the outermost are kept */

int idp_det_light_sides(const work *wk, candidate *out, int max)
{
    const double minsep = 0.08 * (wk->w < wk->h ? wk->w : wk->h);
    /* the other sides' lengths against the joining side's: the joining
     * side short (ID-3's 1.42 to ID-1's 1.586) or long, LIGHT_SLACK
     * either way */
    const double ratio[2][2] = {{ID3_ASPECT / LIGHT_SLACK, ID1_ASPECT * LIGHT_SLACK},
                                {1 / (ID1_ASPECT * LIGHT_SLACK), LIGHT_SLACK / ID3_ASPECT}};
    candidate *all = malloc(LIGHT_FOUND * sizeof(*all));
    if (all == NULL)
        return 0;
    int na = 0, us = 0, searched = 0;
    idp_u u = IDP_U_FIRST;
    while (idp_det_next_u(wk, 45, 5, &u)) {
        const int i = u.i, j = u.j, k = u.k;
        const double *c1 = u.c1, *c2 = u.c2;
        const double J = hypot(c2[0] - c1[0], c2[1] - c1[1]);
        if (J < minsep || edge_sup(wk, c1, c2, false) < LIGHT_SUPPORT)
            continue;
        us++;
        for (int s = -1; s <= 1; s += 2)
            for (int r = 0; r < 2; r++) {
                candidate c;
                memset(&c, 0, sizeof(c));
                if (!light_close(wk, i, j, k, c1, c2, s, J * ratio[r][0], J * ratio[r][1], &c,
                                 &searched))
                    continue;
                if (na < LIGHT_FOUND)
                    all[na++] = c;
            }
    }
    /* the outermost outline (step 6's rule): a quad within another one
     * found here is closed by a line printed inside the document (a
     * card's coloured band ends short of its light end) */
    int nf = 0;
    for (int a = 0; a < na; a++) {
        double ls = 0, ss = 0;
        for (int e = 0; e < 4; e++) {
            const double d = dist2(all[a].q[e], all[a].q[(e + 1) % 4]);
            ss = e == 0 || d < ss ? d : ss;
            ls = fmax(ls, d);
        }
        bool inner = false;
        for (int b = 0; b < na && !inner; b++)
            inner = b != a && within(CQ(all[a].q), CQ(all[b].q), LIGHT_INSIDE * ss);
        if (inner) {
            IDP_TRACE("detect: light side of %d %d %d: within another\n", all[a].lines[0],
                      all[a].lines[1], all[a].lines[2]);
            continue;
        }
        if (nf < max)
            out[nf++] = all[a];
        else { /* the lowest score gives way */
            int w = 0;
            for (int m = 1; m < nf; m++)
                if (out[m].score < out[w].score)
                    w = m;
            if (all[a].score > out[w].score)
                out[w] = all[a];
        }
    }
    free(all);
    IDP_TRACE("detect: light sides: %d U's, %d candidate sides searched, %d found, %d kept\n", us,
              searched, na, nf);
    return nf;
}
