/* Document detection: colour Sobel edges with non-maximum suppression on a
 * copy of at most 640 px, a Hough transform in which each edge pixel votes only near its
 * own gradient direction, then every quad made of two roughly parallel
 * pairs of the strongest lines, kept when it is convex, plausibly
 * foreshortened and its perspective-corrected aspect fits ID-1 or ID-3, and
 * scored by the edge pixels along its sides. The winner's sides are refined
 * on the image itself (sub-pixel edge search along each side's normal and
 * a total-least-squares line fit). docs/detection.md has the details. */
#include "idp_detect.h"
#include "idp_evidence.h"
#include "idp_trace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ID1_ASPECT (85.60 / 53.98)
#define ID3_ASPECT (125.0 / 88.0)

#define WORK_SIDE 640     /* long side of the working copy, at most */
#define N_THETA 180       /* Hough angle bins (1 degree) */
#define VOTE_SPREAD 2     /* an edge pixel votes within +-2 degrees of its gradient */
#define MAX_LINES 32      /* strongest lines kept */
#define EDGE_ABS_MIN 28.0 /* Sobel magnitude (|gx|+|gy| scale) below which nothing is an edge */
#define ASPECT_TOL 0.10   /* |ln(aspect / nominal)| accepted */
#define SIDE_MIN_SUPPORT 0.55
#define WEAK_SIDE_SUPPORT 0.2 /* one side may be this faint, see try_quad */
#define DIR_BINS 72           /* gradient direction code: 5 degree bins over 360 */
/* a document with a side outside the frame (find_partial) */
#define PARTIAL_PARALLEL 12  /* degrees between its two cut sides, at most */
#define PARTIAL_SUPPORT 0.7  /* each of its three sides */
#define PARTIAL_END 0.15     /* looked at past each corner, share of the joining side */
#define PARTIAL_END_MAX 0.35 /* support allowed there */
#define PARTIAL_SEEN 0.35    /* share of the document's length in view, at least */
#define SCAN_COVER 0.70      /* a confident outline over this share of the frame is no scan's */
#define CONF_TIE 0.02        /* confidences this close are as sure */
#define CONF_SURE 0.90       /* judged no further: the best by edges holds */
#define TOP_K 6              /* quads judged on the image */
#define SCAN_SAME 0.90       /* an outline this close (IoU) to a scan's margin is the scan's */

static const double PI = 3.14159265358979323846;

/* A quad as const (C11 does not convert double (*)[2] implicitly). */
#define CQ(q) ((const double(*)[2])(q))

const char *idp_doc_kind_name(idp_doc_kind kind)
{
    switch (kind) {
    case IDP_DOC_ID1:
        return "id1";
    case IDP_DOC_ID3:
        return "id3";
    case IDP_DOC_UNKNOWN:
        break;
    }
    return "unknown";
}

double idp_doc_width_mm(idp_doc_kind kind)
{
    return kind == IDP_DOC_ID1 ? 85.60 : kind == IDP_DOC_ID3 ? 125.0 : 0.0;
}

double idp_doc_aspect(idp_doc_kind kind)
{
    return kind == IDP_DOC_ID1 ? ID1_ASPECT : kind == IDP_DOC_ID3 ? ID3_ASPECT : 0.0;
}

/* ------------------------------------------------------------------ */
/* quad geometry                                                        */

static double quad_area_signed(const double q[][2], int n)
{
    double s = 0;
    for (int i = 0; i < n; i++) {
        const int j = (i + 1) % n;
        s += q[i][0] * q[j][1] - q[j][0] * q[i][1];
    }
    return 0.5 * s;
}

static double dist2(const double a[2], const double b[2])
{
    return hypot(a[0] - b[0], a[1] - b[1]);
}

void idp_quad_sides(const double quad[4][2], double *long_side, double *short_side)
{
    const double e0 = dist2(quad[0], quad[1]), e1 = dist2(quad[1], quad[2]);
    const double e2 = dist2(quad[2], quad[3]), e3 = dist2(quad[3], quad[0]);
    const double a = e0 > e2 ? e0 : e2, b = e1 > e3 ? e1 : e3;
    *long_side = a > b ? a : b;
    *short_side = a > b ? b : a;
}

void idp_quad_homography(const double quad[4][2], double w, double h, double m[9])
{
    const double x0 = quad[0][0], y0 = quad[0][1], x1 = quad[1][0], y1 = quad[1][1];
    const double x2 = quad[2][0], y2 = quad[2][1], x3 = quad[3][0], y3 = quad[3][1];
    const double sx = x0 - x1 + x2 - x3, sy = y0 - y1 + y2 - y3;
    double a, b, c, d, e, f, g = 0, hh = 0;

    if (fabs(sx) < 1e-9 && fabs(sy) < 1e-9) {
        a = x1 - x0;
        b = x3 - x0;
        d = y1 - y0;
        e = y3 - y0;
    } else {
        const double dx1 = x1 - x2, dx2 = x3 - x2, dy1 = y1 - y2, dy2 = y3 - y2;
        const double den = dx1 * dy2 - dx2 * dy1;
        if (fabs(den) > 1e-12) {
            g = (sx * dy2 - dx2 * sy) / den;
            hh = (dx1 * sy - sx * dy1) / den;
        }
        a = x1 - x0 + g * x1;
        b = x3 - x0 + hh * x3;
        d = y1 - y0 + g * y1;
        e = y3 - y0 + hh * y3;
    }
    c = x0;
    f = y0;
    if (w <= 0)
        w = 1;
    if (h <= 0)
        h = 1;
    m[0] = a / w;
    m[1] = b / h;
    m[2] = c;
    m[3] = d / w;
    m[4] = e / h;
    m[5] = f;
    m[6] = g / w;
    m[7] = hh / h;
    m[8] = 1;
}

/* Clips convex polygon p (n vertices, positive winding) by the half-plane
 * left of edge a->b; returns the new vertex count. */
static int clip_edge(double (*p)[2], int n, const double a[2], const double b[2], double (*out)[2])
{
    int m = 0;
    for (int i = 0; i < n; i++) {
        const double *s = p[i], *t = p[(i + 1) % n];
        const double ds = (b[0] - a[0]) * (s[1] - a[1]) - (b[1] - a[1]) * (s[0] - a[0]);
        const double dt = (b[0] - a[0]) * (t[1] - a[1]) - (b[1] - a[1]) * (t[0] - a[0]);
        if (ds >= 0) {
            out[m][0] = s[0];
            out[m][1] = s[1];
            m++;
        }
        if ((ds >= 0) != (dt >= 0) && m < 15) {
            const double k = ds / (ds - dt);
            out[m][0] = s[0] + k * (t[0] - s[0]);
            out[m][1] = s[1] + k * (t[1] - s[1]);
            m++;
        }
    }
    return m;
}

static void positive_copy(const double q[4][2], double out[4][2])
{
    const int rev = quad_area_signed(q, 4) < 0;
    for (int i = 0; i < 4; i++) {
        out[i][0] = q[rev ? 3 - i : i][0];
        out[i][1] = q[rev ? 3 - i : i][1];
    }
}

double idp_quad_iou(const double a[4][2], const double b[4][2])
{
    double pa[4][2], pb[4][2], buf1[16][2], buf2[16][2];
    int n = 4;

    positive_copy(a, pa);
    positive_copy(b, pb);
    memcpy(buf1, pa, sizeof(pa));
    for (int i = 0; i < 4 && n > 0; i++) {
        n = clip_edge(buf1, n, pb[i], pb[(i + 1) % 4], buf2);
        memcpy(buf1, buf2, sizeof(buf2));
    }
    const double ai = n >= 3 ? fabs(quad_area_signed(CQ(buf1), n)) : 0.0;
    const double aa = fabs(quad_area_signed(CQ(pa), 4)), ab = fabs(quad_area_signed(CQ(pb), 4));
    const double u = aa + ab - ai;
    return u > 0 ? ai / u : 0.0;
}

void idp_document_scale(idp_document *doc, double sx, double sy)
{
    for (int i = 0; i < 4; i++) {
        doc->quad[i][0] *= sx;
        doc->quad[i][1] *= sy;
    }
}

/* Orders a convex quad (any start, any winding) as TL, TR, BR, BL: positive
 * winding in image coordinates (clockwise on screen), TL->TR a long side,
 * pointing right (or straight down). */
static void canonical_order(double q[4][2])
{
    double p[4][2];
    positive_copy(CQ(q), p);
    const double l02 = dist2(p[0], p[1]) + dist2(p[2], p[3]);
    const double l13 = dist2(p[1], p[2]) + dist2(p[3], p[0]);
    int s = l13 > l02 ? 1 : 0;
    const double dx = p[(s + 1) % 4][0] - p[s][0], dy = p[(s + 1) % 4][1] - p[s][1];
    if (!(dx > 0 || (dx == 0 && dy > 0)))
        s += 2;
    for (int i = 0; i < 4; i++) {
        q[i][0] = p[(s + i) % 4][0];
        q[i][1] = p[(s + i) % 4][1];
    }
}

static void cross3(const double a[3], const double b[3], double out[3])
{
    out[0] = a[1] * b[2] - a[2] * b[1];
    out[1] = a[2] * b[0] - a[0] * b[2];
    out[2] = a[0] * b[1] - a[1] * b[0];
}

static double dot3(const double a[3], const double b[3])
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/* The true width/height of the rectangle seen as q (TL, TR, BR, BL), with
 * the principal point at (cx, cy): Zhang and He, "Whiteboard scanning and
 * image enhancement" (2007). The focal length comes from the quad when the
 * perspective is strong enough to tell it, else a phone-like nominal one
 * (it hardly matters then). */
static double true_aspect_f(const double q[4][2], double cx, double cy, double long_px,
                            double fixed_f)
{
    const double m1[3] = {q[0][0] - cx, q[0][1] - cy, 1}, m2[3] = {q[1][0] - cx, q[1][1] - cy, 1};
    const double m3[3] = {q[3][0] - cx, q[3][1] - cy, 1}, m4[3] = {q[2][0] - cx, q[2][1] - cy, 1};
    double c14[3], n2[3], n3[3];
    cross3(m1, m4, c14);
    const double d2 = dot3(c14, m3), d3 = dot3(c14, m2);
    double c24[3], c34[3];
    cross3(m2, m4, c24);
    cross3(m3, m4, c34);
    const double e2 = dot3(c24, m3), e3 = dot3(c34, m2);
    if (fabs(e2) < 1e-12 || fabs(e3) < 1e-12)
        return 0;
    const double k2 = d2 / e2, k3 = d3 / e3;
    for (int i = 0; i < 3; i++) {
        n2[i] = k2 * m2[i] - m1[i];
        n3[i] = k3 * m3[i] - m1[i];
    }
    double f2 = fixed_f * fixed_f * long_px * long_px;
    if (fixed_f <= 0 && fabs(n2[2] * n3[2]) > 1e-9) {
        f2 = 0.85 * long_px * 0.85 * long_px;
        const double est = -(n2[0] * n3[0] + n2[1] * n3[1]) / (n2[2] * n3[2]);
        if (est > 0.16 * long_px * long_px && est < 9.0 * long_px * long_px)
            f2 = est;
    }
    const double a2 = (n2[0] * n2[0] + n2[1] * n2[1]) / f2 + n2[2] * n2[2];
    const double a3 = (n3[0] * n3[0] + n3[1] * n3[1]) / f2 + n3[2] * n3[2];
    if (a3 <= 0 || a2 <= 0)
        return 0;
    const double r = sqrt(a2 / a3);
    return r >= 1 ? r : 1 / r;
}

/* The aspect with the focal length from the quad or with a phone-like
 * nominal one (0.85 x the long side), whichever is nearer a document's:
 * when the quad is nearly a parallelogram, noise decides the estimate. */
static double true_aspect(const double q[4][2], double cx, double cy, double long_px)
{
    static const double fs[] = {0, 0.85};
    double best = 0, bestd = HUGE_VAL;
    for (size_t i = 0; i < sizeof(fs) / sizeof(fs[0]); i++) {
        const double r = true_aspect_f(q, cx, cy, long_px, fs[i]);
        if (r <= 0)
            continue;
        const double d = fmin(fabs(log(r / ID1_ASPECT)), fabs(log(r / ID3_ASPECT)));
        if (d < bestd) {
            bestd = d;
            best = r;
        }
    }
    return best;
}

/* ------------------------------------------------------------------ */
/* edges and lines                                                      */

typedef struct line {
    double nx, ny, rho; /* n . p = rho */
    double theta;       /* degrees, 0..180 */
    int votes;
} line;

typedef struct work {
    uint32_t w, h;
    uint32_t ch;       /* channels of the working copy (1 or 3) */
    uint8_t *px;       /* the working copy: ch planes of w x h */
    uint32_t *best;    /* one row: the strongest squared gradient so far */
    uint8_t *edge;     /* 0: no edge, else 1 + direction code (DIR_BINS over 360 degrees) */
    uint32_t *edges;   /* where the edge pixels are (y * w + x) */
    uint16_t *ex, *ey; /* the same as x and y (the working copy is at most WORK_SIDE) */
    float *ea;         /* and the gradient's direction, degrees 0..360 */
    uint32_t *order;   /* edge numbers sorted by direction code mod DIR_BINS / 2 */
    size_t axis_start[DIR_BINS / 2 + 1]; /* where each code's run starts in order */
    size_t nedges;
    uint16_t *mag; /* |gradient| (at most 4 * 255 * sqrt 2) */
    int16_t *gx, *gy;
    uint16_t *acc; /* Hough votes (saturating) */
    size_t cap_edges;
    int nr; /* rho bins */
    line lines[MAX_LINES];
    int nlines;
    uint8_t *memo; /* per (line, line, line): hits + 1 (0: not yet measured), in-frame
                    * samples, samples; exact, and a quarter of the floats' memory */
    void *block;   /* all of the above, one allocation (page faults are dear in a VM) */
    size_t block_size, pixel_bytes; /* the first pixel_bytes are pixel data, wiped */
    size_t zero_from;               /* acc and memo, from here on, start zeroed */
} work;

static void work_free(work *wk)
{
    if (wk->block != NULL)
        idp_wipe(wk->block, wk->pixel_bytes);
    free(wk->block);
}

/* Carves n bytes (64-byte aligned) out of the block at *at; NULL: only
 * counts. */
static void *carve(work *wk, size_t *at, size_t n)
{
    void *p = wk->block != NULL ? (char *)wk->block + *at : NULL;
    *at += (n + 63) / 64 * 64;
    return p;
}

/* Lays the buffers out in wk->block (or, with no block yet, sums their
 * size). No overflow: the working copy is at most WORK_SIDE square. */
static size_t work_layout(work *wk)
{
    const size_t npx = (size_t)wk->w * wk->h;
    size_t at = 0;
    wk->px = carve(wk, &at, npx * wk->ch);
    wk->best = carve(wk, &at, (size_t)wk->w * sizeof(uint32_t));
    wk->gx = carve(wk, &at, npx * sizeof(int16_t));
    wk->gy = carve(wk, &at, npx * sizeof(int16_t));
    wk->mag = carve(wk, &at, npx * sizeof(uint16_t));
    wk->pixel_bytes = at;
    wk->edge = carve(wk, &at, npx);
    wk->cap_edges = npx / 4; /* thinned edges: about 5-15 % of the pixels */
    wk->edges = carve(wk, &at, wk->cap_edges * sizeof(uint32_t));
    wk->ex = carve(wk, &at, wk->cap_edges * sizeof(uint16_t));
    wk->ey = carve(wk, &at, wk->cap_edges * sizeof(uint16_t));
    wk->ea = carve(wk, &at, wk->cap_edges * sizeof(float));
    wk->order = carve(wk, &at, wk->cap_edges * sizeof(uint32_t));
    wk->zero_from = at; /* what follows starts zeroed */
    wk->acc = carve(wk, &at, (size_t)N_THETA * (size_t)wk->nr * sizeof(uint16_t));
    wk->memo = carve(wk, &at, (size_t)MAX_LINES * MAX_LINES * MAX_LINES * 3);
    return at;
}

/* The working copy: the image box-averaged by an integer factor. */
static void downscale(const idp_image *src, uint32_t f, work *wk)
{
    const size_t gs = idp_image_stride(src);
    const uint32_t ch = wk->ch;
    const size_t npx = (size_t)wk->w * wk->h;
    if (f == 2 && ch == 3) { /* the usual case (a ~1000 px copy): unrolled */
        for (uint32_t y = 0; y < wk->h; y++) {
            const uint8_t *r0 = src->data + (size_t)(2 * y) * gs, *r1 = r0 + gs;
            uint8_t *o = wk->px + (size_t)y * wk->w;
            for (uint32_t x = 0; x < wk->w; x++, r0 += 6, r1 += 6, o++) {
                o[0] = (uint8_t)((r0[0] + r0[3] + r1[0] + r1[3] + 2) >> 2);
                o[npx] = (uint8_t)((r0[1] + r0[4] + r1[1] + r1[4] + 2) >> 2);
                o[2 * npx] = (uint8_t)((r0[2] + r0[5] + r1[2] + r1[5] + 2) >> 2);
            }
        }
        return;
    }
    for (uint32_t y = 0; y < wk->h; y++)
        for (uint32_t x = 0; x < wk->w; x++)
            for (uint32_t c = 0; c < ch; c++) {
                uint32_t sum = 0;
                for (uint32_t j = 0; j < f; j++) {
                    const uint8_t *row =
                        src->data + (size_t)(y * f + j) * gs + (size_t)x * f * ch + c;
                    for (uint32_t i = 0; i < f; i++)
                        sum += row[(size_t)i * ch];
                }
                wk->px[c * npx + (size_t)y * wk->w + x] = (uint8_t)((sum + f * f / 2) / (f * f));
            }
}

/* Sobel gradient; in colour, that of the channel where it is strongest
 * (a blue band on brown wood has little luma contrast, much colour). Row
 * by row, channel by channel, branch-free so the compiler vectorises it. */
static void sobel(work *wk)
{
    const uint32_t w = wk->w, h = wk->h;
    const size_t npx = (size_t)w * h;
    for (uint32_t y = 1; y + 1 < h; y++) {
        int16_t *gxr = wk->gx + (size_t)y * w, *gyr = wk->gy + (size_t)y * w;
        uint32_t *best = wk->best;
        for (uint32_t x = 0; x < w; x++)
            best[x] = 0;
        for (uint32_t c = 0; c < wk->ch; c++) {
            const uint8_t *a = wk->px + c * npx + (size_t)(y - 1) * w;
            const uint8_t *b = a + w, *d = b + w;
            for (uint32_t x = 1; x + 1 < w; x++) {
                const int sx =
                    (a[x + 1] + 2 * b[x + 1] + d[x + 1]) - (a[x - 1] + 2 * b[x - 1] + d[x - 1]);
                const int sy = (d[x - 1] + 2 * d[x] + d[x + 1]) - (a[x - 1] + 2 * a[x] + a[x + 1]);
                const uint32_t m = (uint32_t)(sx * sx + sy * sy);
                const int better = c == 0 || m > best[x];
                best[x] = better ? m : best[x];
                gxr[x] = better ? (int16_t)sx : gxr[x];
                gyr[x] = better ? (int16_t)sy : gyr[x];
            }
        }
        uint16_t *mr = wk->mag + (size_t)y * w;
        for (uint32_t x = 1; x + 1 < w; x++)
            mr[x] = (uint16_t)(sqrtf((float)best[x]) + 0.5f);
    }
}

/* The gradient's direction in degrees, -180..180, to about 0.001 degree
 * (a minimax polynomial for atan on [0, 1]): the votes are 1 degree wide,
 * and libm's atan2f was a tenth of the detection's time. */
static float direction_deg(float y, float x)
{
    const float ax = fabsf(x), ay = fabsf(y);
    const float mx = ax > ay ? ax : ay, mn = ax > ay ? ay : ax;
    if (mx == 0.0f)
        return 0.0f;
    const float a = mn / mx, s = a * a;
    float r = a * (0.99986600f +
                   s * (-0.33029950f + s * (0.18014100f + s * (-0.08513300f + s * 0.02083510f))));
    if (ay > ax)
        r = 1.57079633f - r;
    if (x < 0)
        r = 3.14159265f - r;
    if (y < 0)
        r = -r;
    return r * (float)(180.0 / PI);
}

/* Non-maximum suppression along the gradient, above an adaptive threshold
 * (the 75th percentile of the magnitude, at least EDGE_ABS_MIN). */
static size_t thin_edges(work *wk)
{
    const uint32_t w = wk->w, h = wk->h;
    size_t hist[512] = {0}, n = 0, count = 0;
    for (uint32_t y = 1; y + 1 < h; y++)
        for (uint32_t x = 1; x + 1 < w; x++) {
            const int b = wk->mag[(size_t)y * w + x] / 4;
            hist[b > 511 ? 511 : b]++;
            n++;
        }
    size_t acc = 0;
    double thr = EDGE_ABS_MIN;
    for (int b = 0; b < 512; b++) {
        acc += hist[b];
        if ((double)acc >= 0.75 * (double)n) {
            if (b * 4.0 > thr)
                thr = b * 4.0;
            break;
        }
    }
    for (uint32_t y = 1; y + 1 < h; y++)
        for (uint32_t x = 1; x + 1 < w; x++) {
            const size_t k = (size_t)y * w + x;
            const int m = wk->mag[k];
            const int gx = wk->gx[k], gy = wk->gy[k];
            if (m < thr)
                continue;
            const int ax = abs(gx), ay = abs(gy);
            size_t o;
            if (ay * 5 < ax * 2) /* within 22.5 degrees of horizontal gradient */
                o = 1;
            else if (ax * 5 < ay * 2)
                o = w;
            else if ((gx > 0) == (gy > 0))
                o = w + 1;
            else
                o = w - 1;
            if (m < wk->mag[k - o] || m < wk->mag[k + o])
                continue;
            float ang = direction_deg((float)gy, (float)gx);
            if (ang < 0)
                ang += 360.0f;
            int code = (int)(ang * (float)(DIR_BINS / 360.0) + 0.5f) % DIR_BINS;
            wk->edge[k] = (uint8_t)(1 + code);
            if (count < wk->cap_edges) { /* past it (noise), the map only */
                wk->edges[count] = (uint32_t)k;
                wk->ex[count] = (uint16_t)x;
                wk->ey[count] = (uint16_t)y;
                wk->ea[count] = ang;
                count++;
            }
        }
    wk->nedges = count;
    return count;
}

static void hough(work *wk, const double *cs, const double *sn)
{
    const int off = wk->nr / 2;
    for (size_t j = 0; j < wk->nedges; j++) {
        const uint32_t x = wk->ex[j], y = wk->ey[j];
        double ang = (double)wk->ea[j];
        if (ang >= 180.0)
            ang -= 180.0;
        const int t0 = (int)(ang + 0.5);
        for (int dt = -VOTE_SPREAD; dt <= VOTE_SPREAD; dt++) {
            const int t = ((t0 + dt) % N_THETA + N_THETA) % N_THETA;
            const double rho = (x + 0.5) * cs[t] + (y + 0.5) * sn[t];
            const int r = (int)(rho + off + 0.5); /* rho + off > -1 */
            if (r >= 0 && r < wk->nr) {
                uint16_t *a = &wk->acc[(size_t)t * (size_t)wk->nr + (size_t)r];
                if (*a < UINT16_MAX)
                    (*a)++;
            }
        }
    }
}

static int cmp_votes(const void *a, const void *b)
{
    const line *x = a, *y = b;
    return (y->votes > x->votes) - (y->votes < x->votes);
}

/* Local maxima of the accumulator, strongest first, with non-maximum
 * suppression in (theta, rho). */
static idp_status pick_lines(idp_ctx *ctx, work *wk, const double *cs, const double *sn)
{
    const int nr = wk->nr, off = nr / 2;
    const uint32_t minside = wk->w < wk->h ? wk->w : wk->h;
    const int minv = (int)(0.06 * minside) > 12 ? (int)(0.06 * minside) : 12;
    size_t cap = 256, n = 0;
    line *cand = malloc(cap * sizeof(*cand));
    if (cand == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "document detection: out of memory");
    for (int t = 0; t < N_THETA; t++)
        for (int r = 1; r + 1 < nr; r++) {
            const int v = wk->acc[(size_t)t * (size_t)nr + (size_t)r];
            if (v < minv)
                continue;
            int is_max = 1;
            for (int dt = -1; dt <= 1 && is_max; dt++) {
                const int tt = t + dt;
                if (tt < 0 || tt >= N_THETA)
                    continue;
                for (int dr = -1; dr <= 1; dr++) {
                    if (dt == 0 && dr == 0)
                        continue;
                    const int u = wk->acc[(size_t)tt * (size_t)nr + (size_t)(r + dr)];
                    if (u > v || (u == v && (dt < 0 || (dt == 0 && dr < 0)))) {
                        is_max = 0;
                        break;
                    }
                }
            }
            if (!is_max)
                continue;
            if (n == cap) {
                line *bigger = realloc(cand, 2 * cap * sizeof(*cand));
                if (bigger == NULL) {
                    free(cand);
                    return idp_fail(ctx, IDP_E_NOMEM, "document detection: out of memory");
                }
                cand = bigger;
                cap *= 2;
            }
            cand[n].theta = t;
            cand[n].nx = cs[t];
            cand[n].ny = sn[t];
            cand[n].rho = r - off;
            cand[n].votes = v;
            n++;
        }
    qsort(cand, n, sizeof(*cand), cmp_votes);
    wk->nlines = 0;
    for (size_t i = 0; i < n && wk->nlines < MAX_LINES; i++) {
        int dup = 0;
        for (int j = 0; j < wk->nlines && !dup; j++) {
            const line *k = &wk->lines[j];
            double dt = fabs(cand[i].theta - k->theta);
            double dr = fabs(cand[i].rho - k->rho);
            if (dt > 90) { /* near 0 / 180: the same line with rho negated */
                dt = 180 - dt;
                dr = fabs(cand[i].rho + k->rho);
            }
            if (dt < 4 && dr < 8)
                dup = 1;
        }
        if (!dup)
            wk->lines[wk->nlines++] = cand[i];
    }
    free(cand);
    return IDP_OK;
}

/* Moves each line to the least-squares fit of the edge pixels within 2 px
 * of it whose gradient is normal to it: the Hough bins are 1 degree and
 * 1 px, too coarse for a 500 px side. */
static void polish_lines(work *wk)
{
    /* bucket the edges by the axis of their gradient (either way round), so
     * each line visits only the edges of its own and neighbouring axes */
    enum { AXES = DIR_BINS / 2 };
    size_t *start = wk->axis_start;
    memset(start, 0, sizeof(wk->axis_start));
    for (size_t j = 0; j < wk->nedges; j++)
        start[(wk->edge[wk->edges[j]] - 1) % AXES + 1]++;
    for (int a = 0; a < AXES; a++)
        start[a + 1] += start[a];
    {
        size_t fill[AXES];
        memcpy(fill, start, sizeof(fill));
        for (size_t j = 0; j < wk->nedges; j++)
            wk->order[fill[(wk->edge[wk->edges[j]] - 1) % AXES]++] = (uint32_t)j;
    }
    for (int i = 0; i < wk->nlines; i++) {
        line *l = &wk->lines[i];
        double sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0, n = 0;
        double ang = atan2(l->ny, l->nx) * 180.0 / PI;
        if (ang < 0)
            ang += 360.0;
        const int code = (int)(ang / (360.0 / DIR_BINS) + 0.5) % DIR_BINS;
        for (int da = -2; da <= 2; da++) { /* within 2 codes, either way round */
            const int axis = ((code + da) % AXES + AXES) % AXES;
            for (size_t o = start[axis]; o < start[axis + 1]; o++) {
                const size_t j = wk->order[o];
                const double px = wk->ex[j] + 0.5, py = wk->ey[j] + 0.5;
                if (fabs(l->nx * px + l->ny * py - l->rho) > 2.0)
                    continue;
                sx += px;
                sy += py;
                sxx += px * px;
                sxy += px * py;
                syy += py * py;
                n++;
            }
        }
        if (n < 10)
            continue;
        const double mx = sx / n, my = sy / n;
        const double cxx = sxx / n - mx * mx, cxy = sxy / n - mx * my, cyy = syy / n - my * my;
        const double th = 0.5 * atan2(2 * cxy, cxx - cyy);
        double nx = -sin(th), ny = cos(th);
        if (nx * l->nx + ny * l->ny < 0) {
            nx = -nx;
            ny = -ny;
        }
        if (nx * l->nx + ny * l->ny < 0.995) /* more than ~6 degrees: keep the Hough line */
            continue;
        l->nx = nx;
        l->ny = ny;
        l->rho = nx * mx + ny * my;
    }
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

static double angle_between(const line *a, const line *b)
{
    const double d = fabs(a->theta - b->theta);
    return d > 90 ? 180 - d : d;
}

/* Whether there is an edge pixel near (x, y), within 2 px along the normal
 * (nx, ny), whose gradient is within 25 degrees of that normal (either
 * way round, or with polar only the same way); code is the normal's
 * direction code. */
static int edge_near(const work *wk, double x, double y, double nx, double ny, int code, bool polar)
{
    for (int k = 0; k != 3; k = k > 0 ? -k : 1 - k) { /* 0, 1, -1, 2, -2 */
        const long xi = (long)floor(x + k * nx), yi = (long)floor(y + k * ny);
        if (xi < 1 || yi < 1 || xi >= (long)wk->w - 1 || yi >= (long)wk->h - 1)
            continue;
        const int e = wk->edge[(size_t)yi * wk->w + (size_t)xi];
        if (!e)
            continue;
        int d = abs(e - 1 - code) % DIR_BINS;
        if (d > DIR_BINS / 2)
            d = DIR_BINS - d;
        if (d <= 5 || (!polar && DIR_BINS / 2 - d <= 5))
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
    double ang = atan2(ny, nx) * 180.0 / PI;
    if (ang < 0)
        ang += 360.0;
    const int code = (int)(ang / (360.0 / DIR_BINS) + 0.5) % DIR_BINS;
    int in = 0, hit = 0;
    for (int s = 0; s < ns; s++) {
        const double t = 0.1 + 0.8 * (s + 0.5) / ns;
        const double x = p0[0] + t * dx, y = p0[1] + t * dy;
        if (x < 2 || y < 2 || x > wk->w - 2.0 || y > wk->h - 2.0)
            continue;
        in++;
        hit += edge_near(wk, x, y, nx, ny, code, polar);
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

typedef struct candidate {
    double score;
    double q[4][2];
    double support;
    double weakest; /* the least support of a side */
    double aspect;
    idp_doc_kind kind;
    int lines[4];   /* a1, a2, b1, b2 */
    double c[4][2]; /* corners in the lines' order: a1b1, a1b2, a2b2, a2b1 */
} candidate;

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
        if (fabs(sn) < 0.82) /* interior angle within 55..125 degrees */
            return false;
        if (sgn == 0)
            sgn = cr;
        else if ((cr > 0) != (sgn > 0))
            return false;
    }
    const double area = fabs(quad_area_signed(CQ(c), 4));
    if (area < 0.04 * W * H || area > 1.1 * W * H)
        return false;
    const double e0 = dist2(c[0], c[1]), e1 = dist2(c[1], c[2]), e2 = dist2(c[2], c[3]),
                 e3 = dist2(c[3], c[0]);
    if (e0 / e2 > 1.6 || e2 / e0 > 1.6 || e1 / e3 > 1.6 || e3 / e1 > 1.6)
        return false;
    double q[4][2];
    memcpy(q, c, sizeof(q));
    canonical_order(q);
    double r = true_aspect(CQ(q), W / 2, H / 2, W > H ? W : H);
    if (r <= 0)
        return false;
    if (r < 1)
        r = 1 / r;
    const double d1 = fabs(log(r / ID1_ASPECT)), d3 = fabs(log(r / ID3_ASPECT));
    const double dmin = d1 < d3 ? d1 : d3;
    if (dmin > ASPECT_TOL)
        return false;
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
        if (inf < 0.3 || s < WEAK_SIDE_SUPPORT)
            return false;
        if (s < SIDE_MIN_SUPPORT)
            n_weak++;
        weakest = fmin(weakest, s);
        score += s * inf * lens[i];
        sup += s;
    }
    /* one side may be faint (a dark band on a busy cloth) when the other
     * three are clear and the shape is exactly a document's */
    others = (sup - weakest) / 3;
    if (n_weak > 1 || (n_weak == 1 && (others < 0.8 || dmin > 0.05)))
        return false;
    score *= 1.0 - 0.5 * dmin / ASPECT_TOL;
    /* clear outlines over big patchy ones (long UI or furniture lines) */
    score *= (sup / 4) * (sup / 4);
    out->score = score;
    memcpy(out->q, q, sizeof(q));
    memcpy(out->c, c, sizeof(c));
    out->support = sup / 4;
    out->weakest = weakest;
    out->aspect = r;
    out->kind = d1 <= d3 ? IDP_DOC_ID1 : IDP_DOC_ID3;
    out->lines[0] = a1;
    out->lines[1] = a2;
    out->lines[2] = b1;
    out->lines[3] = b2;
    return true;
}

/* The TOP_K best quads so far, by score: the evidence on the image
 * chooses among them (the best outline by edges alone may be a band or a
 * box inside the document, or run along wood grain). */
typedef struct ranking {
    candidate c[TOP_K];
    int n;
} ranking;

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
    if (score_quad(wk, a1, a2, b1, b2, &c))
        rank_add(r, &c);
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

/* A document's outline is its outermost one: a line printed inside it
 * (a rule under a passport's header, the edge of a coloured band) makes a
 * smaller quad of three true sides that may fit a document's aspect
 * better. When replacing one side of the best quad by another line gives
 * a valid quad that contains it, and the two neighbouring sides go on
 * with edge support all the way to the new side (an outline continues;
 * a table edge beyond the card has nothing joining it), the larger one is
 * the document. Repeated while it grows. */
static void grow_outward(work *wk, candidate *best)
{
    for (int round = 0; round < 4; round++) {
        candidate grown = {0};
        double grown_area = fabs(quad_area_signed(CQ(best->c), 4));
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
                const double area = fabs(quad_area_signed(CQ(c.c), 4));
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
                    continues = inf >= 0.5 && s >= SIDE_MIN_SUPPORT;
                }
                if (continues) {
                    grown = c;
                    grown_area = area;
                }
            }
        }
        if (grown.score <= 0)
            return;
        *best = grown;
    }
}

static void find_quad(work *wk, ranking *best)
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
            try_quad(wk, pa[p][0], pa[p][1], pa[k][0], pa[k][1], best);
        }
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
    const double s = edge_support(wk, p0, p1, &inf, NULL, true);
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

/* A document with one whole side outside the frame: when no quad is found
 * (or only one with a faint side), a U of three lines, a pair of roughly
 * parallel sides (a1, a2) that run out of the frame and a side b that
 * joins them inside it, with clear corners (each side supported up to the
 * corner, none going on past it). The missing side
 * is placed at the document's aspect; kept only when, even 10 % short,
 * it would lie outside the frame (else this is a whole document with a
 * faint side, not a cut-off one) and at least PARTIAL_SEEN of the
 * document is in view. The least extrapolation wins among the kinds and
 * the roles of b (long or short side). */
static void find_partial(work *wk, candidate *best)
{
    const int n = wk->nlines;
    const double minsep = 0.08 * (wk->w < wk->h ? wk->w : wk->h);
    const double aspects[2] = {ID1_ASPECT, ID3_ASPECT};
    const idp_doc_kind kinds[2] = {IDP_DOC_ID1, IDP_DOC_ID3};

    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            const line *a1 = &wk->lines[i], *a2 = &wk->lines[j];
            if (angle_between(a1, a2) > PARTIAL_PARALLEL)
                continue;
            for (int k = 0; k < n; k++) {
                const line *b = &wk->lines[k];
                double c0[2], c1[2];
                if (k == i || k == j || angle_between(a1, b) < 55 || angle_between(a2, b) < 55)
                    continue;
                if (!intersect(a1, b, c0) || !intersect(a2, b, c1))
                    continue;
                if (c0[0] < 2 || c0[1] < 2 || c0[0] > wk->w - 2.0 || c0[1] > wk->h - 2.0 ||
                    c1[0] < 2 || c1[1] < 2 || c1[0] > wk->w - 2.0 || c1[1] > wk->h - 2.0)
                    continue;
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
                    const double v0 = to_frame_edge(wk, c0, u0x, u0y);
                    const double v1 = to_frame_edge(wk, c1, u1x, u1y);
                    const double e0[2] = {c0[0] + u0x * v0, c0[1] + u0y * v0};
                    const double e1[2] = {c1[0] + u1x * v1, c1[1] + u1y * v1};
                    /* the geometry first (cheap): a kind and role of b for
                     * which the fourth side is out of view */
                    const double vmax = fmax(v0, v1), vmin = fmin(v0, v1);
                    double length = 0;
                    idp_doc_kind kind = IDP_DOC_UNKNOWN;
                    for (int a = 0; a < 2; a++)
                        for (int role = 0; role < 2; role++) {
                            const double L = role == 0 ? d * aspects[a] : d / aspects[a];
                            if (0.9 * L <= vmax || vmin < PARTIAL_SEEN * L)
                                continue;
                            if (kind == IDP_DOC_UNKNOWN || L < length) {
                                length = L;
                                kind = kinds[a];
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
                    const double q[4][2] = {{c0[0], c0[1]},
                                            {c1[0], c1[1]},
                                            {c1[0] + u1x * length, c1[1] + u1y * length},
                                            {c0[0] + u0x * length, c0[1] + u0y * length}};
                    memset(best, 0, sizeof(*best));
                    best->score = score;
                    memcpy(best->q, q, sizeof(q));
                    memcpy(best->c, q, sizeof(q));
                    canonical_order(best->q);
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
}

/* ------------------------------------------------------------------ */

/* Found or not: the outline when its evidence holds (doc->confidence set
 * by the caller), else a scan when the image is one. A scan without a
 * margin has its outline at the frame's edge, so any outline found inside
 * it is an inner box unless it covers most of the image; with a margin
 * too: the margin is at most 8 % of each side, so the document's own
 * outline covers most of the rectangle inside it, and an outline over
 * less than SCAN_COVER of it is a box printed on the document (the
 * laminated window of a passport's data page). */
static void judge(const idp_image *img, const candidate *best, idp_document *doc)
{
    const bool outline = best->score > 0 && doc->confidence >= IDP_CONFIDENCE_MIN;
    double sq[4][2], sconf;
    idp_doc_kind skind;
    bool margin;
    bool is_scan = idp_scan_detect(img, sq, &skind, &sconf, &margin);
    if (is_scan) { /* a document's print, not a photo or a page cropped to its shape */
        idp_content content;
        double ls, ss;
        idp_quad_sides(CQ(sq), &ls, &ss);
        idp_quad_content(img, CQ(sq), ls / ss, &content);
        sconf *= idp_content_factor(&content);
        is_scan = sconf >= IDP_CONFIDENCE_MIN;
        IDP_TRACE("detect: scan candidate margin %d letters %d small %d periodic %.2f cells %d "
                  "lines %.2f conf %.3f\n",
                  margin, content.letters, content.small, content.periodic, content.cells,
                  content.lines, sconf);
    }
    if (is_scan && !(outline && fabs(quad_area_signed(CQ(best->q), 4)) >=
                                    SCAN_COVER * fabs(quad_area_signed(CQ(sq), 4)))) {
        canonical_order(sq);
        doc->found = true;
        doc->scan = true;
        doc->kind = skind;
        memcpy(doc->quad, sq, sizeof(sq));
        double ls, ss;
        idp_quad_sides(CQ(sq), &ls, &ss);
        doc->aspect = ls / ss;
        doc->score = 0;
        doc->confidence = sconf;
        return;
    }
    if (!outline)
        return;
    doc->found = true;
    doc->kind = best->kind;
    memcpy(doc->quad, best->q, sizeof(best->q));
    const uint32_t longside = img->width > img->height ? img->width : img->height;
    const double r = true_aspect(CQ(best->q), img->width / 2.0, img->height / 2.0, longside);
    doc->aspect = r >= 1 ? r : (r > 0 ? 1 / r : best->aspect);
    doc->score = best->support;
    /* the outline of a scan with a margin is the scan's document */
    doc->scan = is_scan && idp_quad_iou(CQ(best->q), CQ(sq)) >= SCAN_SAME;
}

idp_status idp_detect_document(idp_ctx *ctx, const idp_image *img, idp_document *doc)
{
    const idp_status st = idp_detect_outline(ctx, img, doc);
    return st == IDP_OK ? idp_document_upright(ctx, img, doc) : st;
}

idp_status idp_detect_outline(idp_ctx *ctx, const idp_image *img, idp_document *doc)
{
    work wk;
    double cs[N_THETA], sn[N_THETA];
    candidate best;
    idp_status st = IDP_OK;

    memset(doc, 0, sizeof(*doc));
    memset(&wk, 0, sizeof(wk));
    memset(&best, 0, sizeof(best));
    if (img->channels != 1 && img->channels != 3)
        return idp_fail(ctx, IDP_E_USAGE, "document detection: needs a grey or RGB image");
    wk.ch = img->channels;
    const uint32_t longside = img->width > img->height ? img->width : img->height;
    uint32_t f = (longside + WORK_SIDE - 1) / WORK_SIDE;
    if (f < 1)
        f = 1;
    wk.w = img->width / f;
    wk.h = img->height / f;
    if (wk.w < 32 || wk.h < 32)
        goto out; /* too small to tell anything */
    const double diag = hypot(wk.w, wk.h);
    wk.nr = 2 * (int)ceil(diag) + 3;
    wk.block_size = work_layout(&wk);
    wk.block = idp_large_alloc(wk.block_size, false);
    if (wk.block == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, "document detection: out of memory");
        goto out;
    }
    work_layout(&wk);
    /* zero what is not written in full: the gradient's border, the edge
     * map, the accumulator and the memo */
    memset(wk.edge, 0, (size_t)wk.w * wk.h);
    for (uint32_t y = 0; y < wk.h; y++) {
        const size_t step = y == 0 || y + 1 == wk.h ? 1 : wk.w - 1;
        for (size_t x = 0; x < wk.w; x += step) {
            const size_t k = (size_t)y * wk.w + x;
            wk.gx[k] = wk.gy[k] = 0;
            wk.mag[k] = 0;
        }
    }
    memset((char *)wk.block + wk.zero_from, 0, wk.block_size - wk.zero_from);
    for (int t = 0; t < N_THETA; t++) {
        cs[t] = cos(t * PI / 180.0);
        sn[t] = sin(t * PI / 180.0);
    }
    downscale(img, f, &wk);
    sobel(&wk);
    if (thin_edges(&wk) == 0)
        goto out;
    hough(&wk, cs, sn);
    st = pick_lines(ctx, &wk, cs, sn);
    if (st != IDP_OK)
        goto out;
    polish_lines(&wk);
    IDP_TRACE("detect: %ux%u work %ux%u, %zu edges, %d lines\n", img->width, img->height, wk.w,
              wk.h, wk.nedges, wk.nlines);
    ranking top;
    memset(&top, 0, sizeof(top));
    find_quad(&wk, &top);
    /* nothing, or a quad with a faint side (which may be a line inside a
     * card whose true side is outside the frame): a cut-off document? */
    if (top.n == 0 || top.c[0].weakest < SIDE_MIN_SUPPORT) {
        candidate part;
        memset(&part, 0, sizeof(part));
        find_partial(&wk, &part);
        if (part.score > 0) {
            if (top.n == TOP_K)
                top.n--;
            top.c[top.n++] = part; /* judged like the others */
        }
    }
    /* each grown to its outermost outline, refined on img, judged there;
     * the surest wins (by the edges' score when as sure) */
    double seen[TOP_K][4][2];
    int nseen = 0;
    for (int k = 0; k < top.n && doc->confidence < CONF_SURE; k++) {
        candidate c = top.c[k];
        if (c.lines[3] >= 0) /* not a three-sided one */
            grow_outward(&wk, &c);
        for (int i = 0; i < 4; i++) {
            c.q[i][0] *= (double)img->width / wk.w;
            c.q[i][1] *= (double)img->height / wk.h;
        }
        idp_quad_refine(img, c.q, (double)f);
        canonical_order(c.q);
        bool again = false; /* grown into one judged already */
        for (int j = 0; j < nseen && !again; j++)
            again = idp_quad_iou(CQ(c.q), CQ(seen[j])) >= 0.97;
        if (again)
            continue;
        memcpy(seen[nseen++], c.q, sizeof(c.q));
        const double dmin = fabs(log(c.aspect / idp_doc_aspect(c.kind)));
        idp_evidence ev;
        idp_quad_evidence(img, CQ(c.q), dmin, &ev);
        IDP_TRACE(
            "detect: quad %d score %.0f weakest %.2f %s asp %.3f "
            "[%.0f,%.0f %.0f,%.0f %.0f,%.0f %.0f,%.0f] sup %.2f %.2f %.2f %.2f "
            "con %.2f %.2f %.2f %.2f over %d inner %d encl %d short %d conf %.3f crossed %d\n",
            k, c.score, c.weakest, c.lines[3] >= 0 ? "quad" : "partial", c.aspect, c.q[0][0],
            c.q[0][1], c.q[1][0], c.q[1][1], c.q[2][0], c.q[2][1], c.q[3][0], c.q[3][1],
            ev.support[0], ev.support[1], ev.support[2], ev.support[3], ev.contrast[0],
            ev.contrast[1], ev.contrast[2], ev.contrast[3], ev.overruns, ev.inner_lines,
            ev.enclosed, ev.stops_short, ev.confidence, ev.crossed);
        if (best.score <= 0 || ev.confidence > doc->confidence + CONF_TIE) {
            best = c;
            doc->confidence = ev.confidence;
        }
    }
    if (best.score > 0 && doc->confidence > 0) { /* what is printed inside */
        idp_content content;
        double ls, ss;
        idp_quad_sides(CQ(best.q), &ls, &ss);
        idp_quad_content(img, CQ(best.q), ls / ss, &content);
        doc->confidence *= idp_content_factor(&content);
        IDP_TRACE(
            "detect: content letters %d small %d periodic %.2f cells %d lines %.2f -> conf %.3f\n",
            content.letters, content.small, content.periodic, content.cells, content.lines,
            doc->confidence);
    }
    judge(img, &best, doc);
out:
    work_free(&wk);
    return st;
}
