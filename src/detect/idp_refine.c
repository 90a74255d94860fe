/* Refinement of a quad's sides on the image itself (step 7 of
 * docs/detection.md, "Method"): moved out of idp_detect.c unchanged. */
#include "idp_evidence.h"
#include "idp_trace.h"

#include <math.h>
#include <string.h>

typedef struct line {
    double nx, ny, rho; /* n . p = rho */
} line;

static double dist2(const double a[2], const double b[2])
{
    return hypot(a[0] - b[0], a[1] - b[1]);
}

static int intersect(const line *a, const line *b, double p[2])
{
    const double det = a->nx * b->ny - a->ny * b->nx;
    if (fabs(det) < 1e-6)
        return 0;
    p[0] = (a->rho * b->ny - a->ny * b->rho) / det;
    p[1] = (a->nx * b->rho - a->rho * b->nx) / det;
    return 1;
}

/* Re-fits the line through side p0-p1 on g: strongest colour step within
 * +-reach along the normal at each sample, sub-pixel by a parabola, then a
 * total-least-squares line with one round of outlier rejection. Returns 0
 * (line left unchanged) when too few edge points are found. */
static int refine_side(const idp_image *g, const double p0[2], const double p1[2], double reach,
                       line *out)
{
    enum { NS = 48 };
    double px[NS], py[NS];
    int n = 0;
    const double dx = p1[0] - p0[0], dy = p1[1] - p0[1], len = hypot(dx, dy);
    const double nx = -dy / len, ny = dx / len;
    const int steps = (int)(reach * 2);
    for (int s = 0; s < NS; s++) {
        const double t = 0.12 + 0.76 * (s + 0.5) / NS;
        const double x = p0[0] + t * dx, y = p0[1] + t * dy;
        if (x < reach + 2 || y < reach + 2 || x > g->width - reach - 2 || y > g->height - reach - 2)
            continue;
        double gv[64];
        const int ng = 2 * steps + 1 < 64 ? 2 * steps + 1 : 63;
        for (int k = 0; k < ng; k++) {
            const double o = (k - ng / 2) * 0.5;
            gv[k] = 0;
            for (uint32_t c = 0; c < g->channels; c++) {
                const double dv =
                    fabs(idp_sample_bilinear(g, x + (o + 0.5) * nx, y + (o + 0.5) * ny, c) -
                         idp_sample_bilinear(g, x + (o - 0.5) * nx, y + (o - 0.5) * ny, c));
                if (dv > gv[k])
                    gv[k] = dv;
            }
        }
        int kb = 1;
        for (int k = 2; k + 1 < ng; k++)
            if (gv[k] > gv[kb])
                kb = k;
        if (gv[kb] < IDP_STEP_MIN)
            continue;
        const double den = gv[kb - 1] - 2 * gv[kb] + gv[kb + 1];
        const double sub = den < 0 ? 0.5 * (gv[kb - 1] - gv[kb + 1]) / den : 0;
        const double bo = (kb - ng / 2 + sub) * 0.5;
        px[n] = x + bo * nx;
        py[n] = y + bo * ny;
        n++;
    }
    for (int round = 0; round < 2; round++) {
        if (n < 8)
            return 0;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) {
            mx += px[i];
            my += py[i];
        }
        mx /= n;
        my /= n;
        double sxx = 0, sxy = 0, syy = 0;
        for (int i = 0; i < n; i++) {
            const double ax = px[i] - mx, ay = py[i] - my;
            sxx += ax * ax;
            sxy += ax * ay;
            syy += ay * ay;
        }
        /* normal = eigenvector of the smaller eigenvalue */
        const double th = 0.5 * atan2(2 * sxy, sxx - syy);
        const double lnx = -sin(th), lny = cos(th);
        out->nx = lnx;
        out->ny = lny;
        out->rho = lnx * mx + lny * my;
        if (round == 1)
            break;
        int m = 0;
        for (int i = 0; i < n; i++)
            if (fabs(lnx * px[i] + lny * py[i] - out->rho) <= 1.0) {
                px[m] = px[i];
                py[m] = py[i];
                m++;
            }
        n = m;
    }
    return 1;
}

void idp_quad_refine(const idp_image *g, double q[4][2], double scale)
{
    line lines[4];
    for (int i = 0; i < 4; i++) {
        const double *p0 = q[i], *p1 = q[(i + 1) % 4];
        const double dx = p1[0] - p0[0], dy = p1[1] - p0[1], len = hypot(dx, dy);
        lines[i].nx = -dy / len;
        lines[i].ny = dx / len;
        lines[i].rho = lines[i].nx * p0[0] + lines[i].ny * p0[1];
        refine_side(g, p0, p1, scale + 1.5, &lines[i]);
    }
    double r[4][2];
    for (int i = 0; i < 4; i++)
        if (!intersect(&lines[(i + 3) % 4], &lines[i], r[i]))
            return;
    /* keep the refinement only if it moved no corner far */
    for (int i = 0; i < 4; i++)
        if (dist2(r[i], q[i]) > 3 * scale + 3)
            return;
    memcpy(q, r, sizeof(r));
}

/* Round 11 (docs/detection.md, "Round 11: good photos pass"): a side on a
 * line of the surface beside the card (the groove between two planks, a
 * gingham stripe's edge) is as long as the surface's line, so it goes on
 * past the quad's corner; the card's own edge, inside it, stops at the
 * card's corners. The end of such a side that goes on is moved inward
 * (both ends when both go on: a line parallel to the card; one, the side
 * turned about the other end, when the surface's line meets the card's
 * edge at that corner), SNAP_FROM px to SNAP_REACH of the short side, and
 * at each offset the strip given up (the gap) is compared in colour with
 * the surface outside the old side and with the document inside the new
 * one. The card's edge is where the gap is most like the surface and
 * least like what lies inside (the largest separation, din - dout); it
 * replaces the side when the gap is nearer the surface than the inside
 * there, and the new line is supported along the whole side (SNAP_SUPPORT)
 * and goes on past neither corner. Inward only: a line that goes on past
 * the corners is not inside a document (a band printed on a card ends at
 * the card's edge, which the 3-15 % past the corner is beyond). */
#define SNAP_REACH 0.12           /* of the short side: 6.5 mm on an ID-1 card */
#define SNAP_SUPPORT IDP_SUP_FULL /* the evidence's full support */
#define SNAP_EDGE 2.0             /* px kept off an edge when its sides' colours are read... */
#define SNAP_STRIP 8.0            /* ...out to this (a card's margin, the surface beside it) */
#define SNAP_FROM 5.0 /* the first offset: a gap of at least 1 px between the edges kept */

/* The mean colour (up to 4 channels) at t along the side p0-p1 (t from lo
 * to hi) of the strip from offset a0 + (a1 - a0) t to b0 + (b1 - b0) t
 * (px along the inward normal n). */
static void strip_mean(const idp_image *g, const double p0[2], const double p1[2], double nx,
                       double ny, const double a[2], const double b[2], double lo, double hi,
                       double m[4])
{
    enum { NK = 24, NJ = 3 };
    for (uint32_t c = 0; c < 4; c++)
        m[c] = 0;
    for (int k = 0; k < NK; k++) {
        const double t = lo + (hi - lo) * (k + 0.5) / NK;
        const double from = a[0] + (a[1] - a[0]) * t, to = b[0] + (b[1] - b[0]) * t;
        for (int j = 0; j < NJ; j++) {
            const double o = from + (to - from) * (j + 0.5) / NJ;
            const double x = p0[0] + t * (p1[0] - p0[0]) + o * nx;
            const double y = p0[1] + t * (p1[1] - p0[1]) + o * ny;
            for (uint32_t c = 0; c < g->channels && c < 4; c++)
                m[c] += idp_sample_bilinear(g, x, y, c) / (NK * NJ);
        }
    }
}

/* The largest difference over the channels. */
static double colour_dist(const double a[4], const double b[4], uint32_t channels)
{
    double d = 0;
    for (uint32_t c = 0; c < channels && c < 4; c++)
        d = fmax(d, fabs(a[c] - b[c]));
    return d;
}

static void line_through(const double a[2], const double b[2], line *l)
{
    const double len = hypot(b[0] - a[0], b[1] - a[1]);
    l->nx = -(b[1] - a[1]) / len;
    l->ny = (b[0] - a[0]) / len;
    l->rho = l->nx * a[0] + l->ny * a[1];
}

bool idp_quad_snap(const idp_image *g, double q[4][2])
{
    const double s = idp_sample_scale(g);
    bool moved = false;
    double cx = 0, cy = 0;
    for (int i = 0; i < 4; i++) {
        cx += q[i][0] / 4;
        cy += q[i][1] / 4;
    }
    double ls, ss;
    idp_quad_sides(CQD(q), &ls, &ss);
    for (int i = 0; i < 4; i++) {
        double sup;
        const int runs0 = idp_side_runs_on(g, CQD(q), i, &sup);
        if (runs0 == 0)
            continue;
        const int a = (i + 3) % 4, b = (i + 1) % 4, c = (i + 2) % 4;
        const double p0[2] = {q[i][0], q[i][1]}, p1[2] = {q[b][0], q[b][1]};
        line side, prev, next;
        line_through(p0, p1, &side);
        double nx = side.nx, ny = side.ny;
        if (nx * cx + ny * cy < side.rho) { /* the normal inward */
            nx = -nx;
            ny = -ny;
        }
        line_through(q[a], q[i], &prev);
        line_through(q[b], q[c], &next);
        const double w[2] = {(runs0 & 1) ? 1 : 0, (runs0 & 2) ? 1 : 0};
        /* the colours are read where the gap is widest */
        const double lo = w[0] > 0 ? 0.1 : 0.5, hi = w[1] > 0 ? 0.9 : 0.5;
        double out[4];
        const double oa[2] = {-SNAP_STRIP * s, -SNAP_STRIP * s};
        const double ob[2] = {-SNAP_EDGE * s, -SNAP_EDGE * s};
        strip_mean(g, p0, p1, nx, ny, oa, ob, lo, hi, out);
        double best = 0, best_o = 0;
        for (double o = SNAP_FROM * s; o <= SNAP_REACH * ss; o += s) {
            double gap[4], in[4];
            const double ga[2] = {SNAP_EDGE * s * w[0], SNAP_EDGE * s * w[1]};
            const double gb[2] = {(o - SNAP_EDGE * s) * w[0], (o - SNAP_EDGE * s) * w[1]};
            const double ia[2] = {(o + SNAP_EDGE * s) * w[0] + SNAP_EDGE * s * (1 - w[0]),
                                  (o + SNAP_EDGE * s) * w[1] + SNAP_EDGE * s * (1 - w[1])};
            const double ib[2] = {ia[0] + (SNAP_STRIP - SNAP_EDGE) * s,
                                  ia[1] + (SNAP_STRIP - SNAP_EDGE) * s};
            strip_mean(g, p0, p1, nx, ny, ga, gb, lo, hi, gap);
            strip_mean(g, p0, p1, nx, ny, ia, ib, lo, hi, in);
            const double sep =
                colour_dist(gap, in, g->channels) - colour_dist(gap, out, g->channels);
            if (sep > best) {
                best = sep;
                best_o = o;
            }
        }
        if (best_o <= 0)
            continue; /* the gap nowhere nearer the surface than the inside */
        const double e0[2] = {p0[0] + best_o * w[0] * nx, p0[1] + best_o * w[0] * ny};
        const double e1[2] = {p1[0] + best_o * w[1] * nx, p1[1] + best_o * w[1] * ny};
        line moved_side;
        line_through(e0, e1, &moved_side);
        double r[4][2];
        memcpy(r, q, sizeof(r));
        if (!intersect(&prev, &moved_side, r[i]) || !intersect(&moved_side, &next, r[b]))
            continue;
        /* the edge itself, sub-pixel, by the refinement's own search */
        line fit = moved_side;
        double f[4][2];
        memcpy(f, r, sizeof(f));
        if (refine_side(g, r[i], r[b], 2 * s + 1, &fit) && intersect(&prev, &fit, f[i]) &&
            intersect(&fit, &next, f[b]) && dist2(f[i], r[i]) <= 3 * s &&
            dist2(f[b], r[b]) <= 3 * s)
            memcpy(r, f, sizeof(r));
        double sup2;
        const int runs = idp_side_runs_on(g, CQD(r), i, &sup2);
        IDP_TRACE("detect: snap side %d runs on %d offset %.0f separation %.1f support %.2f runs "
                  "on %d\n",
                  i, runs0, best_o, best, sup2, runs);
        if (sup2 < SNAP_SUPPORT || runs != 0)
            continue;
        memcpy(q, r, sizeof(r));
        moved = true;
    }
    return moved;
}
