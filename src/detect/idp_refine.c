/* Refinement of a quad's sides on the image itself (step 7 of
 * docs/detection.md, "Method"): moved out of idp_detect.c unchanged. */
#include "idp_evidence.h"

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
        if (gv[kb] < 4)
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
