/* The strips beside a quad's sides and the lines inside and outside it:
 * the contrast, texture and enclosing-outline readings of idp_evidence
 * (the file's header comment lists the tests; docs/detection.md gives the
 * reasons for each limit). */
#include "idp_evidence_side.h"

#include <math.h>
#include <stdlib.h>

#define STRIP_FROM 0.02     /* contrast strips: 2 % ... */
#define STRIP_TO 0.07       /* ... to 7 % of the short side from the side */
#define ROUND_MIN 0.5       /* a corner's gap half way from the document to the surface: rounded */
#define ROUND_CORNERS 3     /* corners measured (in view, document and surface apart) at least */
#define WARP_W 160          /* the straightened copy for inner lines */
#define LINE_COVER 0.75     /* an inner line spans this share of the document */
#define LINE_STEP 12.0      /* grey step across it */
#define RING_MIN 0.04       /* an enclosing outline is at least 4 % of the short side out... */
#define RING_MAX 0.45       /* ...and at most 45 % */
#define RING_SUPPORT 0.85   /* its support */
#define RING_BACKGROUND 0.4 /* steps in the ring before it, at most (texture is no outline) */
#define RING_CONTENT 18.0   /* grey std in the ring: printed content, not a plain margin */

/* Sample k (of 20, over 10..90 % of side d) of the strip row j (of 4,
 * 2..7 % of the short side from the side) outside (sign 1) or inside (-1). */
static void strip_point(const idp_ev_side *d, double shortside, int k, int j, double sign,
                        double *x, double *y)
{
    const double t = 0.1 + 0.8 * (k + 0.5) / 20;
    const double a = shortside * (STRIP_FROM + (STRIP_TO - STRIP_FROM) * j / 3.0);
    *x = d->p0[0] + t * (d->p1[0] - d->p0[0]) + sign * a * d->nx;
    *y = d->p0[1] + t * (d->p1[1] - d->p0[1]) + sign * a * d->ny;
}

/* Strips just inside and just outside side d: the largest over channels
 * of |mean difference| / pooled std, plus the texture's difference. */
double idp_ev_side_contrast(const idp_image *g, const idp_ev_side *d, double shortside, double s)
{
    double best = -1;
    for (uint32_t c = 0; c < g->channels; c++) {
        double si = 0, si2 = 0, so = 0, so2 = 0;
        int ni = 0, no = 0;
        for (int k = 0; k < 20; k++) {
            for (int j = 0; j < 4; j++) {
                double xo, yo, xi, yi;
                strip_point(d, shortside, k, j, 1, &xo, &yo);
                strip_point(d, shortside, k, j, -1, &xi, &yi);
                if (idp_in_view(g, xo, yo, s)) {
                    const double v = idp_sample_bilinear(g, xo, yo, c);
                    so += v;
                    so2 += v * v;
                    no++;
                }
                const double v = idp_sample_bilinear(g, xi, yi, c);
                si += v;
                si2 += v * v;
                ni++;
            }
        }
        if (no < 20)
            return -1; /* the outside is out of view */
        const double mi = si / ni, mo = so / no;
        const double vi = fmax(0, si2 / ni - mi * mi), vo = fmax(0, so2 / no - mo * mo);
        const double sdi = sqrt(vi) + 4, sdo = sqrt(vo) + 4; /* 4: JPEG noise */
        const double v = fabs(mo - mi) / sqrt((sdi * sdi + sdo * sdo) / 2) + fabs(log(sdo / sdi));
        if (v > best)
            best = v;
    }
    return best;
}

/* The same strips, each one's spread taken about the plane that fits it
 * best (level, slope along the side, slope across it) instead of about its
 * mean: the desk's shading along a side (vignetting, a lamp's falloff) is
 * left out of the spread (round 11's measure, round 12's use). */
static double side_contrast_plane(const idp_image *g, const idp_ev_side *d, double shortside,
                                  double s)
{
    double best = -1;
    for (uint32_t c = 0; c < g->channels; c++) {
        /* per strip: sums for the normal equations of v = a + b t + e j,
         * t and j centred (so the three unknowns separate) */
        double sd2[2] = {0, 0}, mean[2] = {0, 0};
        for (int w = 0; w < 2; w++) {
            double sv = 0, sv2 = 0, svt = 0, svj = 0, stt = 0, sjj = 0;
            int n = 0;
            const double sign = w == 0 ? 1 : -1; /* 0 outside, 1 inside */
            for (int k = 0; k < 20; k++) {
                for (int j = 0; j < 4; j++) {
                    double xs, ys;
                    strip_point(d, shortside, k, j, sign, &xs, &ys);
                    if (w == 0 && !idp_in_view(g, xs, ys, s))
                        continue;
                    const double v = idp_sample_bilinear(g, xs, ys, c);
                    const double tc = k - 9.5, jc = j - 1.5;
                    sv += v;
                    sv2 += v * v;
                    svt += v * tc;
                    svj += v * jc;
                    stt += tc * tc;
                    sjj += jc * jc;
                    n++;
                }
            }
            if (n < 20)
                return -1;
            const double m = sv / n;
            /* the residual: the spread less what each slope explains */
            double r = sv2 / n - m * m;
            if (n == 80) { /* all in view: t and j centred, the slopes apart */
                r -= svt * svt / stt / n;
                r -= svj * svj / sjj / n;
            }
            sd2[w] = fmax(0, r);
            mean[w] = m;
        }
        const double sdo = sqrt(sd2[0]) + 4, sdi = sqrt(sd2[1]) + 4; /* 4: JPEG noise */
        const double v =
            fabs(mean[0] - mean[1]) / sqrt((sdi * sdi + sdo * sdo) / 2) + fabs(log(sdo / sdi));
        if (v > best)
            best = v;
    }
    return best;
}

/* Full-length straight lines inside the straightened document, parallel
 * to its sides (a band's edge, or a tray's ridges, a mesh's strands). */
int idp_ev_inner_lines(const idp_image *g, const double q[4][2], double aspect, int per_dir[2])
{
    /* the quad's long side along x */
    double l01 = hypot(q[1][0] - q[0][0], q[1][1] - q[0][1]);
    double l12 = hypot(q[2][0] - q[1][0], q[2][1] - q[1][1]);
    double r[4][2];
    for (int i = 0; i < 4; i++) {
        const int k = l01 >= l12 ? i : (i + 1) % 4;
        r[i][0] = q[k][0];
        r[i][1] = q[k][1];
    }
    const int W = WARP_W, H = (int)(WARP_W / aspect);
    double m[9];
    idp_quad_homography(CQD(r), W, H, m);
    per_dir[0] = per_dir[1] = 0;
    float *img = malloc((size_t)W * (size_t)H * sizeof(float));
    if (img == NULL)
        return 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            const double u = x + 0.5, v = y + 0.5;
            const double w = m[6] * u + m[7] * v + m[8];
            const double X = (m[0] * u + m[1] * v + m[2]) / w, Y = (m[3] * u + m[4] * v + m[5]) / w;
            double sum = 0;
            for (uint32_t c = 0; c < g->channels; c++)
                sum += idp_sample_bilinear(g, X, Y, c);
            img[y * W + x] = (float)(sum / g->channels);
        }
    for (int dir = 0; dir < 2; dir++) {
        const int n = dir == 0 ? H : W, span = dir == 0 ? W : H;
        const int lo = n / 20 + 1, hi = n - n / 20 - 1; /* not the outline itself */
        bool prev = false;
        for (int a = lo; a < hi; a++) {
            int pos = 0, neg = 0;
            for (int b = 0; b < span; b++) {
                const float d = dir == 0 ? img[(a + 1) * W + b] - img[(a - 1) * W + b]
                                         : img[b * W + a + 1] - img[b * W + a - 1];
                pos += d >= (float)LINE_STEP;
                neg += d <= -(float)LINE_STEP;
            }
            const bool is = (pos > neg ? pos : neg) >= LINE_COVER * span;
            per_dir[dir] += is && !prev;
            prev = is;
        }
    }
    free(img);
    return per_dir[0] + per_dir[1];
}

/* Whether a supported line runs parallel to side d outside it (between
 * RING_MIN and RING_MAX of the short side) with printed content between:
 * 1 such a line, 0 none, 2 the frame's edge comes first. */
int idp_ev_outer_line(const idp_image *g, const idp_ev_side *d, double shortside, double s)
{
    enum { NS = 24, MAXD = 400 };
    const int dmax = (int)fmin(MAXD, shortside * RING_MAX / s);
    const int dmin = (int)(shortside * RING_MIN / s);
    if (dmax <= dmin + 4)
        return 0;
    int hits[MAXD + 1] = {0}, inview[MAXD + 1] = {0};
    double sum[MAXD + 1] = {0}, sum2[MAXD + 1] = {0};
    for (int k = 0; k < NS; k++) {
        const double t = 0.1 + 0.8 * (k + 0.5) / NS;
        const double x = d->p0[0] + t * (d->p1[0] - d->p0[0]);
        const double y = d->p0[1] + t * (d->p1[1] - d->p0[1]);
        double prof[MAXD + 8][3];
        int n = 0;
        for (; n < dmax + 6; n++) {
            const double xo = x + n * s * d->nx, yo = y + n * s * d->ny;
            if (!idp_in_view(g, xo, yo, s))
                break;
            for (uint32_t c = 0; c < g->channels; c++)
                prof[n][c] = idp_sample_bilinear(g, xo, yo, c);
        }
        for (int a = 2; a + 2 < n && a <= dmax; a++) {
            inview[a]++;
            double best = 0;
            for (uint32_t c = 0; c < g->channels; c++)
                best = fmax(best, fabs(prof[a + 2][c] - prof[a - 2][c]) / 2);
            hits[a] += best >= STEP_MIN;
            const double v = prof[a][0];
            sum[a] += v;
            sum2[a] += v * v;
        }
    }
    double rs = 0, rs2 = 0, bg = 0;
    int rn = 0, nb = 0;
    for (int a = 2; a <= dmax; a++) {
        if (inview[a] < NS / 2)
            return 2;
        if (a >= dmin) {
            /* a line within +-2 px of a (not exactly parallel under perspective) */
            int h = 0;
            for (int b = a - 2; b <= a + 2 && b <= dmax; b++)
                h = h > hits[b] ? h : hits[b];
            if (h >= RING_SUPPORT * inview[a] && rn > 0 && bg / nb <= RING_BACKGROUND) {
                const double mean = rs / rn, sd = sqrt(fmax(0, rs2 / rn - mean * mean));
                return sd >= RING_CONTENT ? 1 : 0;
            }
        }
        if (a >= 6) { /* the ring, not the side's own step */
            bg += (double)hits[a] / inview[a];
            nb++;
            rs += sum[a];
            rs2 += sum2[a];
            rn += inview[a];
        }
    }
    return 0;
}

/* Round 12: a light card on a light desk. Its sides' strips differ from
 * the desk by a few levels, and the desk's shading along a side is in
 * each strip's spread (contrast 0.4-0.8 where 1.5 is full); the spread
 * about a plane leaves the shading out, but lifts a page's real edge on
 * the same desk as much (round 11: a portrait box whose other two sides
 * are a page's edges). What tells them apart is the corners: a card's or
 * a passport page's are rounded (3.18 mm), so the quad's vertex lies on
 * the desk, while a box inside a page, a page's edge meeting a printed
 * line or a pattern's rectangle has its vertex on what fills the corner.
 * So a side's contrast is taken about a plane only when every corner
 * measured is rounded (ROUND_MIN: the gap at least half way from the
 * document's colour to the surface's) and at least ROUND_CORNERS are.
 * Measured only on a quad with a side under full contrast. */
void idp_ev_lift_contrast(const idp_image *img, const double quad[4][2], const idp_ev_side sd[4],
                          double ss, double s, idp_evidence *ev)
{
    double cmin = 1e9;
    for (int i = 0; i < 4; i++)
        if (ev->contrast[i] >= 0)
            cmin = fmin(cmin, ev->contrast[i]);
    if (cmin >= CONTRAST_FULL)
        return;
    int measured = 0;
    bool square = false;
    for (int k = 0; k < 4; k++) {
        ev->rounded[k] = idp_corner_rounded(img, quad, k);
        if (ev->rounded[k] >= 0) {
            measured++;
            square |= ev->rounded[k] < ROUND_MIN;
        }
    }
    ev->lifted = !square && measured >= ROUND_CORNERS;
    for (int i = 0; i < 4; i++) {
#ifndef IDP_DETECT_TRACE
        if (!ev->lifted)
            break;
#endif
        ev->plane[i] = ev->contrast[i] >= 0 && ev->contrast[i] < CONTRAST_FULL
                           ? side_contrast_plane(img, &sd[i], ss, s)
                           : ev->contrast[i];
        if (ev->lifted)
            ev->contrast[i] = fmax(ev->contrast[i], ev->plane[i]);
    }
}
