/* A side the line search missed, recovered from the other three
 * (docs/detection.md "Round 12: small cards"). On a striped or grained
 * surface a small card's short side may collect fewer votes than the
 * surface's own lines: the stripes cross it, and the gradient of its edge
 * pixels is turned by theirs (by about noise / magnitude radians, 2-6
 * degrees on wood), out of the +-2 degrees each pixel votes within; or its
 * line is there but under the 32 strongest. Its edge is still there,
 * strong along the whole side. So: three lines that make a U (two roughly
 * parallel sides and one joining them, each supported by edges from
 * corner to corner), and the fourth side looked for where a document's
 * aspect puts it, as the segment between the two parallel lines with the
 * most edge support; kept when supported like a side, when it stops at
 * both corners (a surface's stripe closing the U goes on past them) and
 * the two parallel sides stop there too (a printed line inside the card
 * has the card's sides going on past it). Each such side becomes a line of
 * wk's list, in place of its weakest, and the quad search runs again: the
 * quads it closes are judged as any other. */
#include "idp_detect_int.h"
#include "idp_trace.h"

#include <string.h>

#define CLOSE_MAX 4        /* sides recovered per pass, at most */
#define CLOSE_SUPPORT 0.70 /* each side of the U and the side recovered (PARTIAL_SUPPORT) */
#define CLOSE_GOES_ON                                                                              \
    0.35                 /* support past a corner, over CLOSE_PAST of the side (PARTIAL_END_MAX) */
#define CLOSE_PAST 0.15  /* the stretch looked at past a corner (PARTIAL_END) */
#define CLOSE_SLACK 1.25 /* the image's aspect off a document's: perspective, tilt */
#define CLOSE_NUDGE 3    /* px each end is moved about the best place found along the sides */

typedef struct closing {
    double p[2][2]; /* the recovered side's ends, on lines i and j */
    double support;
    int i, j, k; /* the U's lines: two parallel, k joining them */
} closing;

static bool in_frame(const work *wk, const double p[2])
{
    return p[0] >= 2 && p[1] >= 2 && p[0] <= wk->w - 2.0 && p[1] <= wk->h - 2.0;
}

static double support(const work *wk, const double a[2], const double b[2])
{
    double in;
    const double s = idp_det_edge_support(wk, a, b, &in, NULL, false);
    return in >= 0.999 ? s : 0;
}

/* A cheap first look at a -> b: the support of its middle third (a third
 * of the samples) at CLOSE_GLANCE; a side supported at CLOSE_SUPPORT over
 * its whole length has it (the quad search's sides on p3, no document:
 * two thirds of the U's measured are refused here). */
#define CLOSE_GLANCE 0.5
static bool glance(const work *wk, const double a[2], const double b[2])
{
    const double m0[2] = {a[0] + (b[0] - a[0]) / 3, a[1] + (b[1] - a[1]) / 3};
    const double m1[2] = {a[0] + 2 * (b[0] - a[0]) / 3, a[1] + 2 * (b[1] - a[1]) / 3};
    return support(wk, m0, m1) >= CLOSE_GLANCE;
}

/* Support of a -> b with the edges of one polarity (the one that holds
 * more of them), which into *left. */
static double polar(const work *wk, const double a[2], const double b[2], bool *left)
{
    double in;
    const double l = idp_det_edge_support(wk, a, b, &in, NULL, true);
    const double r = idp_det_edge_support(wk, b, a, &in, NULL, true);
    *left = l >= r;
    return l >= r ? l : r;
}

/* Whether the edge of a -> b (of polarity left) goes on past b, over
 * CLOSE_PAST of len: support there over CLOSE_GOES_ON (outside the frame:
 * it cannot be told, so not). */
static bool goes_on(const work *wk, const double a[2], const double b[2], bool left, double len)
{
    const double d = hypot(b[0] - a[0], b[1] - a[1]);
    if (d <= 0)
        return true;
    const double e[2] = {b[0] + (b[0] - a[0]) / d * CLOSE_PAST * len,
                         b[1] + (b[1] - a[1]) / d * CLOSE_PAST * len};
    double in;
    const double s = left ? idp_det_edge_support(wk, b, e, &in, NULL, true)
                          : idp_det_edge_support(wk, e, b, &in, NULL, true);
    return in > 0.5 && s > CLOSE_GOES_ON;
}

/* The fourth side of the U (i, j parallel, k joining them at c1, c2) on
 * side s of k, its length along the sides between lo and hi: into *out
 * when found. */
static bool close_u(const work *wk, int i, int j, int k, const double c1[2], const double c2[2],
                    int s, double lo, double hi, closing *out)
{
    const line *li = &wk->lines[i], *lj = &wk->lines[j], *lk = &wk->lines[k];
    double u1[2], u2[2];
    idp_det_along(li, lk, s, u1);
    idp_det_along(lj, lk, s, u2);
    /* both sides supported from the corner at least as far as lo */
    const double a1[2] = {c1[0] + lo * u1[0], c1[1] + lo * u1[1]};
    const double a2[2] = {c2[0] + lo * u2[0], c2[1] + lo * u2[1]};
    if (!in_frame(wk, a1) || !in_frame(wk, a2) || !glance(wk, c1, a1) || !glance(wk, c2, a2) ||
        support(wk, c1, a1) < CLOSE_SUPPORT || support(wk, c2, a2) < CLOSE_SUPPORT)
        return false;
    double best = 0, bt = 0;
    for (double t = lo; t <= hi; t += 1) {
        const double p1[2] = {c1[0] + t * u1[0], c1[1] + t * u1[1]};
        const double p2[2] = {c2[0] + t * u2[0], c2[1] + t * u2[1]};
        if (!in_frame(wk, p1) || !in_frame(wk, p2))
            break;
        const double v = support(wk, p1, p2);
        if (v > best) {
            best = v;
            bt = t;
        }
    }
    if (best < CLOSE_SUPPORT)
        return false;
    /* each end nudged to where the side holds most edges (the card need
     * not lie square: the two sides' lengths differ by a few px) */
    double t1 = bt, t2 = bt;
    for (int d1 = -CLOSE_NUDGE; d1 <= CLOSE_NUDGE; d1++)
        for (int d2 = -CLOSE_NUDGE; d2 <= CLOSE_NUDGE; d2++) {
            const double p1[2] = {c1[0] + (bt + d1) * u1[0], c1[1] + (bt + d1) * u1[1]};
            const double p2[2] = {c2[0] + (bt + d2) * u2[0], c2[1] + (bt + d2) * u2[1]};
            if (!in_frame(wk, p1) || !in_frame(wk, p2))
                continue;
            const double v = support(wk, p1, p2);
            if (v > best) {
                best = v;
                t1 = bt + d1;
                t2 = bt + d2;
            }
        }
    const double p1[2] = {c1[0] + t1 * u1[0], c1[1] + t1 * u1[1]};
    const double p2[2] = {c2[0] + t2 * u2[0], c2[1] + t2 * u2[1]};
    const double len = hypot(p2[0] - p1[0], p2[1] - p1[1]);
    bool left;
    /* a side of the card stops at both corners; a stripe of the
     * surface closing the U goes on past them */
    (void)polar(wk, p1, p2, &left);
    if (goes_on(wk, p1, p2, left, len) || goes_on(wk, p2, p1, !left, len))
        return false;
    /* and the U's sides stop at it: going on, the side found is a line
     * printed inside the card */
    bool l1, l2;
    if (polar(wk, c1, p1, &l1) < CLOSE_SUPPORT || polar(wk, c2, p2, &l2) < CLOSE_SUPPORT ||
        goes_on(wk, c1, p1, l1, t1) || goes_on(wk, c2, p2, l2, t2))
        return false;
    memcpy(out->p[0], p1, sizeof(p1));
    memcpy(out->p[1], p2, sizeof(p2));
    out->support = best;
    out->i = i;
    out->j = j;
    out->k = k;
    return true;
}

/* The line through a and b, theta in 0..180. */
static line line_through(const double a[2], const double b[2], int votes)
{
    line l;
    const double len = hypot(b[0] - a[0], b[1] - a[1]);
    l.nx = -(b[1] - a[1]) / len;
    l.ny = (b[0] - a[0]) / len;
    if (l.ny < 0 || (l.ny == 0 && l.nx < 0)) {
        l.nx = -l.nx;
        l.ny = -l.ny;
    }
    l.rho = l.nx * a[0] + l.ny * a[1];
    l.theta = atan2(l.ny, l.nx) * 180.0 / IDP_PI;
    if (l.theta >= 180)
        l.theta -= 180;
    l.votes = votes;
    return l;
}

int idp_det_close_sides(work *wk)
{
    const int n = wk->nlines;
    const double amax = AREA_MIN * wk->w * wk->h;
    const double minsep = 0.08 * (wk->w < wk->h ? wk->w : wk->h);
    closing found[CLOSE_MAX];
    int nf = 0;
    /* the lengths of the sides along i and j against the joining side's
     * length: the joining side short (ID-3's 1.42 to ID-1's 1.586) or
     * long, CLOSE_SLACK either way */
    const double ratio[2][2] = {{ID3_ASPECT / CLOSE_SLACK, ID1_ASPECT * CLOSE_SLACK},
                                {1 / (ID1_ASPECT * CLOSE_SLACK), CLOSE_SLACK / ID3_ASPECT}};
    idp_u u = IDP_U_FIRST;
    while (idp_det_next_u(wk, 45, 2, &u)) {
        const int i = u.i, j = u.j, k = u.k;
        const double *c1 = u.c1, *c2 = u.c2;
        const double J = hypot(c2[0] - c1[0], c2[1] - c1[1]);
        /* a document the coarse copy could not hold: the
         * smallest this U closes under AREA_MIN of the frame
         * (larger ones were the coarse copy's looks') */
        if (J < minsep || J * J * ratio[1][0] > amax)
            continue;
        /* the U's sides reach at least as far as its shortest
         * document on one side of k (cheap, before any support) */
        bool room = false;
        for (int s = -1; s <= 1 && !room; s += 2) {
            double u1[2], u2[2];
            idp_det_along(&wk->lines[i], &wk->lines[k], s, u1);
            idp_det_along(&wk->lines[j], &wk->lines[k], s, u2);
            const double a1[2] = {c1[0] + J * ratio[1][0] * u1[0], c1[1] + J * ratio[1][0] * u1[1]};
            const double a2[2] = {c2[0] + J * ratio[1][0] * u2[0], c2[1] + J * ratio[1][0] * u2[1]};
            room = in_frame(wk, a1) && in_frame(wk, a2);
        }
        double in;
        if (!room || !glance(wk, c1, c2) ||
            idp_det_memo_support(wk, k, i, j, c1, c2, &in) < CLOSE_SUPPORT || in < 0.999)
            continue;
        for (int s = -1; s <= 1; s += 2)
            for (int r = 0; r < 2; r++) {
                closing c;
                if (J * J * ratio[r][0] > amax)
                    continue;
                if (!close_u(wk, i, j, k, c1, c2, s, J * ratio[r][0], J * ratio[r][1], &c))
                    continue;
                const line l = line_through(c.p[0], c.p[1], 0);
                bool dup = false;
                for (int m = 0; m < n && !dup; m++)
                    dup = idp_det_same_line(&l, &wk->lines[m]);
                for (int m = 0; m < nf && !dup; m++) {
                    const line o = line_through(found[m].p[0], found[m].p[1], 0);
                    dup = idp_det_same_line(&l, &o);
                }
                if (dup)
                    continue;
                IDP_TRACE("detect: closing side of %d %d %d: theta %.1f rho %.1f "
                          "support %.2f\n",
                          i, j, k, l.theta, l.rho, c.support);
                if (nf < CLOSE_MAX)
                    found[nf++] = c;
                else { /* the least supported gives way */
                    int w = 0;
                    for (int m = 1; m < nf; m++)
                        if (found[m].support < found[w].support)
                            w = m;
                    if (c.support > found[w].support)
                        found[w] = c;
                }
            }
    }
    if (nf == 0)
        return 0;
    /* each in place of the weakest line that is no U's side (the list is
     * strongest first, a pattern's lines last) */
    uint32_t keep = 0;
    for (int m = 0; m < nf; m++)
        keep |= (1u << found[m].i) | (1u << found[m].j) | (1u << found[m].k);
    int slot = MAX_LINES;
    int added = 0;
    for (int m = 0; m < nf; m++) {
        int at;
        if (wk->nlines < MAX_LINES)
            at = wk->nlines++;
        else {
            do
                slot--;
            while (slot >= 0 && (keep & (1u << slot)));
            if (slot < 0)
                break;
            at = slot;
        }
        const double len =
            hypot(found[m].p[1][0] - found[m].p[0][0], found[m].p[1][1] - found[m].p[0][1]);
        wk->lines[at] =
            line_through(found[m].p[0], found[m].p[1], (int)(found[m].support * len + 0.5));
        wk->along &= ~(1u << at);
        added++;
    }
    /* the lines' numbers changed: the memo of side supports is stale */
    memset(wk->memo, 0, (size_t)MAX_LINES * MAX_LINES * MAX_LINES * 3);
    return added;
}
