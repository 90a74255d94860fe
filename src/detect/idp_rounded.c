/* Whether a quad's corners are a card's rounded corners (round 12,
 * docs/detection.md "Round 12: light desks"). ID-1 cards (ISO/IEC 7810)
 * and passport pages (ICAO 9303) have corners rounded to 3.18 mm; the
 * quad's vertex, where its two side lines meet, then lies outside the
 * document by r (1/sin(a/2) - 1) along the bisector (0.41 r at a right
 * angle), on the surface. A rectangle that is not a document's outline
 * (a portrait box, a band, the square where a page's edge meets a printed
 * line, a pattern's rectangle) has its vertex on whatever fills the
 * corner: the print, or the page going on.
 *
 * Per corner, in the quad's own skewed frame (u along one side, v along
 * the other, in px), with r the radius of the kind the quad's shape is
 * (3.18 mm of 54 mm for ID-1, of 88 mm for ID-3): the mean colour of the
 * gap between the vertex and the arc (u, v >= 1 px from the side lines,
 * 1 px short of the arc), of the document just past the arc's tangent
 * points (along r + 2..5 px, 2 and 4 px in from each side) and of the
 * surface beside it (the same, 2 and 4 px out). The share gap-to-document
 * / (gap-to-document + gap-to-surface), colour distances over R, G, B:
 * about 1 when the gap is the surface (a rounded corner), about 0 when it
 * is the document (a square one; the sides' blur gives it a little). The
 * references lie as far from the sides as the gap, so a drop shadow or a
 * cut edge's rim along the side is in the surface's and the document's
 * reference as in the gap. Not measured (-1) with the corner within 8 px
 * of the frame's edge, an arc too small to leave a gap of 3 points, or
 * document and surface under CORNER_LEVELS apart. */
#include "idp_evidence.h"

#include <math.h>

#define R_ID3 (3.18 / 88.0)  /* of the short side: a passport page's corner radius */
#define R_ID1 (3.18 / 53.98) /* an ID-1 card's */
#define GAP_MAX 256          /* points in the gap at most (at r / 24 spacing, about 50-100) */
#define CORNER_LEVELS 3.0    /* document and surface differ by at least this (levels) */

/* Mean of channel c over the n points (u, v) of the skewed frame at c0
 * with unit axes a and b. */
static double mean_at(const idp_image *g, const double c0[2], const double a[2], const double b[2],
                      const double (*uv)[2], int n, uint32_t c)
{
    double sum = 0;
    for (int k = 0; k < n; k++)
        sum += idp_sample_bilinear(g, c0[0] + uv[k][0] * a[0] + uv[k][1] * b[0],
                                   c0[1] + uv[k][0] * a[1] + uv[k][1] * b[1], c);
    return sum / n;
}

double idp_corner_rounded(const idp_image *g, const double q[4][2], int k)
{
    double ls, ss;
    idp_quad_sides(q, &ls, &ss);
    const double *c0 = q[k], *pa = q[(k + 1) % 4], *pb = q[(k + 3) % 4];
    double a[2] = {pa[0] - c0[0], pa[1] - c0[1]}, b[2] = {pb[0] - c0[0], pb[1] - c0[1]};
    const double la = hypot(a[0], a[1]), lb = hypot(b[0], b[1]);
    if (la < 1 || lb < 1)
        return -1;
    a[0] /= la, a[1] /= la, b[0] /= lb, b[1] /= lb;
    /* the radius of the kind the quad's shape is (ID-1 1.586, ID-3 1.42) */
    const double r = (ls / ss > 1.5 ? R_ID1 : R_ID3) * ss;
    if (c0[0] < 8 || c0[1] < 8 || c0[0] > g->width - 8.0 || c0[1] > g->height - 8.0)
        return -1; /* the corner or what lies beyond it out of view */
    /* between the vertex and the arc: 1 px from the side lines on (the
     * sides' own blur), up to 1 px short of the arc, every half px (or r / 24); the
     * skewed frame (u along a, v along b) keeps the arc's tangent points
     * on the sides */
    double gap[GAP_MAX][2], doc[12][2], out[12][2];
    int ng = 0;
    const double st = fmax(0.5, r / 24);
    for (double u = 1; u < r && ng < GAP_MAX; u += st)
        for (double v = 1; v < r && ng < GAP_MAX; v += st) {
            const double du = r - u, dv = r - v;
            if (du * du + dv * dv > (r + 1) * (r + 1))
                gap[ng][0] = u, gap[ng][1] = v, ng++;
        }
    if (ng < 3)
        return -1; /* too small to see */
    /* the document and the surface beside each side just past the arc's
     * tangent point, 2-4 px in and out: the same distance from the sides
     * as the gap, so a drop shadow or a rim along the edge is in both */
    int n = 0;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 2; j++) {
            const double along = r + 2 + 1.5 * i, across = 2 + 2 * j;
            doc[n][0] = along, doc[n][1] = across;
            out[n][0] = along, out[n][1] = -across;
            n++;
            doc[n][0] = across, doc[n][1] = along;
            out[n][0] = -across, out[n][1] = along;
            n++;
        }
    double dgi = 0, dgo = 0, doi = 0;
    for (uint32_t c = 0; c < g->channels; c++) {
        const double mi = mean_at(g, c0, a, b, CQD(doc), n, c);
        const double mo = mean_at(g, c0, a, b, CQD(out), n, c);
        const double mg = mean_at(g, c0, a, b, CQD(gap), ng, c);
        dgi += (mg - mi) * (mg - mi);
        dgo += (mg - mo) * (mg - mo);
        doi += (mo - mi) * (mo - mi);
    }
    dgi = sqrt(dgi), dgo = sqrt(dgo);
    return sqrt(doi) >= CORNER_LEVELS ? dgi / (dgi + dgo) : -1;
}
