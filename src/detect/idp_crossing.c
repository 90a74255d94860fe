/* Whether a surface pattern crosses a quad's side: the lines of a
 * tablecloth's checks, a plank's grain or a landscape that run across the
 * side go on inside the quad as they were outside it. A document's side
 * is where the surface stops: just inside it is the document's margin and
 * print, which owe nothing to the surface's lines. A side drawn along a
 * line of the pattern (a gingham row one square past the card, or a
 * rectangle of the cloth itself) has the pattern on both sides.
 *
 * Measured on two bands parallel to the side, 1-6 % of the short side
 * outside and inside it: the grey level averaged across each band, as a
 * profile along the side, and its derivative (lines crossing the side are
 * its peaks). The side is crossed when, in each third of its length, both
 * profiles have structure (std of the derivative >= 3 levels; a plain
 * desk, JPEG noise, a card's plain margin: under it) and the inside one
 * follows the outside
 * (normalised correlation >= 0.5, within +-2 px for a slight tilt).
 * Thirds, so that a finger or a shadow's edge crossing one part of a side
 * is not a pattern. docs/detection.md gives the measurements. */
#include "idp_evidence.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BAND_FROM 0.01   /* the bands: from 1 % ... */
#define BAND_TO 0.06     /* ... to 6 % of the short side from the side */
#define BAND_DEPTHS 6    /* lines averaged across each band */
#define CROSS_ENERGY 3.0 /* std (levels) of the outside profile's derivative: structure */
#define CROSS_NCC 0.5    /* correlation of inside and outside: the pattern goes on */
#define CROSS_LAG 2      /* px */
#define CROSS_PARTS 3    /* every third of the side must show it */
#define PROFILE_MAX 4096

/* Normalised correlation of a and b (n values), the best over lags
 * within +-CROSS_LAG. */
static double ncc(const double *a, const double *b, int n)
{
    double best = -1;
    for (int lag = -CROSS_LAG; lag <= CROSS_LAG; lag++) {
        const int a0 = lag > 0 ? lag : 0, b0 = lag < 0 ? -lag : 0;
        const int m = n - (lag > 0 ? lag : -lag);
        if (m < 8)
            continue;
        double ma = 0, mb = 0;
        for (int k = 0; k < m; k++) {
            ma += a[a0 + k];
            mb += b[b0 + k];
        }
        ma /= m;
        mb /= m;
        double sab = 0, saa = 0, sbb = 0;
        for (int k = 0; k < m; k++) {
            const double x = a[a0 + k] - ma, y = b[b0 + k] - mb;
            sab += x * y;
            saa += x * x;
            sbb += y * y;
        }
        const double r = sab / (sqrt(saa * sbb) + 1e-9);
        best = r > best ? r : best;
    }
    return best;
}

static double sd(const double *a, int n)
{
    double m = 0, m2 = 0;
    for (int k = 0; k < n; k++) {
        m += a[k];
        m2 += a[k] * a[k];
    }
    m /= n;
    return sqrt(fmax(0, m2 / n - m * m));
}

static double grey_at(const idp_image *g, double x, double y)
{
    double v = 0;
    for (uint32_t c = 0; c < g->channels; c++)
        v += idp_sample_bilinear(g, x, y, c);
    return v / g->channels;
}

/* Whether the pattern crosses the side from p0 to p1 (outward normal n). */
static bool side_crossed(const idp_image *g, const double p0[2], const double p1[2], double nx,
                         double ny, double shortside, double s, double *po, double *pi)
{
    const double dx = p1[0] - p0[0], dy = p1[1] - p0[1], len = hypot(dx, dy);
    const double ux = dx / len, uy = dy / len;
    int n = (int)(0.8 * len / s);
    if (n > PROFILE_MAX)
        n = PROFILE_MAX;
    if (n < 3 * CROSS_PARTS * 8)
        return false; /* too short to tell */
    const double a = fmax(2 * s, BAND_FROM * shortside), b = fmax(a + 2 * s, BAND_TO * shortside);
    int out_of_view = 0;
    for (int k = 0; k < n; k++) {
        const double t = 0.1 * len + k * (0.8 * len / n);
        const double x = p0[0] + t * ux, y = p0[1] + t * uy;
        double so = 0, si = 0;
        for (int j = 0; j < BAND_DEPTHS; j++) {
            const double d = a + (b - a) * j / (BAND_DEPTHS - 1);
            const double xo = x + d * nx, yo = y + d * ny;
            out_of_view += xo < 1 || yo < 1 || xo > g->width - 1 || yo > g->height - 1;
            so += grey_at(g, xo, yo);
            si += grey_at(g, x - d * nx, y - d * ny);
        }
        po[k] = so / BAND_DEPTHS;
        pi[k] = si / BAND_DEPTHS;
    }
    if (out_of_view > 0.3 * n * BAND_DEPTHS)
        return false; /* the outside is out of the frame */
    /* the derivatives, over 2 px, in place */
    for (int k = 0; k + 2 < n; k++) {
        po[k] = po[k + 2] - po[k];
        pi[k] = pi[k + 2] - pi[k];
    }
    n -= 2;
    for (int part = 0; part < CROSS_PARTS; part++) {
        const int from = part * n / CROSS_PARTS, m = (part + 1) * n / CROSS_PARTS - from;
        /* structure on both sides: a document's plain margin (a card's
         * back) follows the outside only by what the edge's blur carries
         * across it, under CROSS_ENERGY (round 13) */
        if (sd(po + from, m) < CROSS_ENERGY || sd(pi + from, m) < CROSS_ENERGY ||
            ncc(po + from, pi + from, m) < CROSS_NCC)
            return false;
    }
    return true;
}

int idp_sides_crossed(const idp_image *img, const double quad[4][2])
{
    const unsigned m = idp_sides_crossed_mask(img, quad);
    return (int)(m & 1u) + (int)((m >> 1) & 1u) + (int)((m >> 2) & 1u) + (int)((m >> 3) & 1u);
}

unsigned idp_sides_crossed_mask(const idp_image *img, const double quad[4][2])
{
    const double s = idp_sample_scale(img);
    double ls, ss, cx = 0, cy = 0;
    idp_quad_sides(quad, &ls, &ss);
    for (int i = 0; i < 4; i++) {
        cx += quad[i][0] / 4;
        cy += quad[i][1] / 4;
    }
    double *po = malloc(2 * PROFILE_MAX * sizeof(double));
    if (po == NULL)
        return 0;
    double *pi = po + PROFILE_MAX;
    unsigned crossed = 0;
    for (int i = 0; i < 4; i++) {
        const double *p0 = quad[i], *p1 = quad[(i + 1) % 4];
        const double len = hypot(p1[0] - p0[0], p1[1] - p0[1]);
        if (len < 1)
            continue;
        double nx = -(p1[1] - p0[1]) / len, ny = (p1[0] - p0[0]) / len;
        if (nx * ((p0[0] + p1[0]) / 2 - cx) + ny * ((p0[1] + p1[1]) / 2 - cy) < 0) {
            nx = -nx;
            ny = -ny;
        }
        if (side_crossed(img, p0, p1, nx, ny, ss, s, po, pi))
            crossed |= 1u << i;
    }
    free(po);
    return crossed;
}
