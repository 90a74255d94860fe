/* The width of the photo's edges (idp_blur.h): a blurred photo spreads
 * every step between ink and paper, card and desk, over more pixels. The
 * 10-90 % rise of a step blurred by a Gaussian of sigma s is 2.563 s, so
 * the median rise of the strongest edges gives the blur as a sigma that
 * the sharpness check turns into millimetres of the document. */
#include "idp_blur.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAG_BINS 1448u  /* a Sobel magnitude is at most 4 * 255 * sqrt(2) = 1442.5 */
#define MIN_MAG 12u     /* a 24-level step blurred by sigma 6 px still reaches it */
#define MAX_EDGES 2000u /* edges profiled, spread evenly over those selected */
#define MIN_STEP 24.0f  /* levels between the edge's low and high */
#define REACH 20.0      /* px each way along the gradient: rises up to ~8 px sigma */
#define STEP 0.5        /* px between profile samples */
#define FALL 6.0f       /* levels back from the top (bottom) that end a walk */
#define NPROF 81        /* 2 * REACH / STEP + 1 */

/* Sobel gradient at interior pixel (x, y). */
static inline void sobel(const uint8_t *p, size_t stride, uint32_t x, uint32_t y, int *gx, int *gy)
{
    const uint8_t *u = p + (size_t)(y - 1) * stride, *m = u + stride, *d = m + stride;

    *gx = (u[x + 1] + 2 * m[x + 1] + d[x + 1]) - (u[x - 1] + 2 * m[x - 1] + d[x - 1]);
    *gy = (d[x - 1] + 2 * d[x] + d[x + 1]) - (u[x - 1] + 2 * u[x] + u[x + 1]);
}

static inline uint32_t magnitude(int gx, int gy)
{
    const uint32_t m = (uint32_t)sqrtf((float)(gx * gx + gy * gy));
    return m < MAG_BINS ? m : MAG_BINS - 1;
}

/* Bilinear sample; < 0 outside the image. */
static inline float sample(const idp_image *g, float x, float y)
{
    const size_t stride = idp_image_stride(g);
    if (!(x >= 0 && y >= 0 && x <= (float)g->width - 1.001f && y <= (float)g->height - 1.001f))
        return -1.0f;
    const uint32_t ix = (uint32_t)x, iy = (uint32_t)y;
    const float fx = x - (float)ix, fy = y - (float)iy;
    const uint8_t *r0 = g->data + (size_t)iy * stride + ix, *r1 = r0 + stride;
    const float top = r0[0] + fx * (float)(r0[1] - r0[0]);
    const float bot = r1[0] + fx * (float)(r1[1] - r1[0]);
    return top + fy * (bot - top);
}

/* Whether (x, y) is a local maximum of the gradient across its edge (the
 * neighbours along the gradient, its direction in 45-degree steps). */
static bool across_max(const idp_image *g, uint32_t x, uint32_t y, int gx, int gy, uint32_t m)
{
    const size_t stride = idp_image_stride(g);
    const int ax = abs(gx), ay = abs(gy);
    int dx, dy, ga, gb;

    if (x < 2 || y < 2 || x + 2 >= g->width || y + 2 >= g->height)
        return false;
    if (2 * ay < ax) { /* within 22.5 degrees of horizontal */
        dx = 1;
        dy = 0;
    } else if (2 * ax < ay) {
        dx = 0;
        dy = 1;
    } else {
        dx = 1;
        dy = (gx > 0) == (gy > 0) ? 1 : -1;
    }
    sobel(g->data, stride, (uint32_t)((int)x + dx), (uint32_t)((int)y + dy), &ga, &gb);
    const uint32_t m1 = magnitude(ga, gb);
    sobel(g->data, stride, (uint32_t)((int)x - dx), (uint32_t)((int)y - dy), &ga, &gb);
    const uint32_t m2 = magnitude(ga, gb);
    return m > m1 && m >= m2;
}

/* Profile sample i (t = (i - NPROF / 2) * STEP px along (nx, ny) from
 * (x, y)), read when first asked for: the walks below stop a few px past
 * a sharp edge, so most of the profile is never read. The mean of three
 * parallel lines 1 px apart along the edge: noise is what stops the walks
 * early. < 0 outside the image. */
#define UNREAD (-2.0f)
static float read_at(const idp_image *g, uint32_t x, uint32_t y, float nx, float ny, float *prof,
                     int i)
{
    if (prof[i] == UNREAD) {
        const float t = (float)(i - NPROF / 2) * (float)STEP, px = (float)x + t * nx,
                    py = (float)y + t * ny;
        const float a = sample(g, px - ny, py + nx), b = sample(g, px, py);
        const float c = sample(g, px + ny, py - nx);
        prof[i] = a < 0 || b < 0 || c < 0 ? -1.0f : (a + b + c) / 3.0f;
    }
    return prof[i];
}

/* The 10-90 % rise (px) of the edge at (x, y) along the unit gradient
 * (nx, ny), from the darkest point before it to the brightest after it;
 * < 0 when the step is under MIN_STEP levels. */
static double edge_rise(const idp_image *g, uint32_t x, uint32_t y, float nx, float ny)
{
    float prof[NPROF];
    const int mid = NPROF / 2;
    int hi_at = mid, lo_at = mid;
    float hi, lo;

    for (int i = 0; i < NPROF; i++)
        prof[i] = UNREAD;
    hi = lo = read_at(g, x, y, nx, ny, prof, mid);
    /* forward to the bright side's top: stop where it falls back (past
     * noise) or has not risen by a level for 2.5 px */
    for (int i = mid + 1, top = mid; i < NPROF && read_at(g, x, y, nx, ny, prof, i) >= 0; i++) {
        if (prof[i] > hi + 1.0f) {
            top = i;
            hi_at = i;
        }
        if (prof[i] > hi) {
            hi = prof[i];
            hi_at = i;
        }
        if (prof[i] < hi - FALL || (double)(i - top) * STEP > 2.5)
            break;
    }
    for (int i = mid - 1, bot = mid; i >= 0 && read_at(g, x, y, nx, ny, prof, i) >= 0; i--) {
        if (prof[i] < lo - 1.0f) {
            bot = i;
            lo_at = i;
        }
        if (prof[i] < lo) {
            lo = prof[i];
            lo_at = i;
        }
        if (prof[i] > lo + FALL || (double)(bot - i) * STEP > 2.5)
            break;
    }
    if (hi - lo < MIN_STEP)
        return -1.0;
    const float a = lo + 0.1f * (hi - lo), b = lo + 0.9f * (hi - lo);
    double ta = NAN, tb = NAN;
    for (int i = lo_at; i < hi_at; i++) {
        const float p0 = prof[i], p1 = prof[i + 1];
        if (isnan(ta) && p1 >= a && p0 < a)
            ta = i + (double)((a - p0) / (p1 - p0));
        if (p1 >= b && p0 < b) {
            tb = i + (double)((b - p0) / (p1 - p0));
            break;
        }
    }
    if (isnan(ta) || isnan(tb))
        return -1.0;
    return (tb - ta) * STEP;
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void idp_measure_blur(const idp_image *grey, idp_blur *out)
{
    const uint32_t w = grey->width, h = grey->height;
    const size_t stride = idp_image_stride(grey);
    uint32_t *hist = NULL;
    double *rises = NULL;
    uint64_t above = 0, n = 0, want, total = 0;
    uint32_t thr, every, k = 0;

    out->sigma_px = NAN;
    out->edges = 0;
    if (grey->channels != 1 || w < 8 || h < 8)
        return;
    hist = calloc(MAG_BINS, sizeof(*hist));
    if (hist == NULL)
        return;
    /* the histogram on every other row and column: a quantile needs no
     * more; the edges on every other row (half the cost again) */
    for (uint32_t y = 2; y + 2 < h; y += 2)
        for (uint32_t x = 2; x + 2 < w; x += 2) {
            int gx, gy;
            sobel(grey->data, stride, x, y, &gx, &gy);
            hist[magnitude(gx, gy)]++;
            total++;
        }
    /* the strongest 1 % of the gradients, never fainter than MIN_MAG;
     * `above` counted on a quarter of the pixels, the edges are sought on
     * half of them */
    want = total / 100u;
    for (thr = MAG_BINS - 1; thr > MIN_MAG && above + hist[thr] <= want; thr--)
        above += hist[thr];
    above += hist[thr];
    free(hist);
    every = (uint32_t)(2 * above / MAX_EDGES) + 1u;
    rises = malloc(sizeof(*rises) * (MAX_EDGES + 1u));
    if (rises == NULL)
        return;
    for (uint32_t y = 2; y + 2 < h; y += 2)
        for (uint32_t x = 2; x + 2 < w; x++) {
            int gx, gy;
            sobel(grey->data, stride, x, y, &gx, &gy);
            const uint32_t m = magnitude(gx, gy);
            if (m < thr || k++ % every != 0 || n > MAX_EDGES)
                continue;
            if (!across_max(grey, x, y, gx, gy, m))
                continue;
            const float len = sqrtf((float)(gx * gx + gy * gy));
            const double r = edge_rise(grey, x, y, (float)gx / len, (float)gy / len);
            if (r > 0)
                rises[n++] = r;
        }
    out->edges = (uint32_t)n;
    if (n >= IDP_BLUR_MIN_EDGES) {
        qsort(rises, n, sizeof(*rises), cmp_double);
        out->sigma_px = rises[n / 2] / 2.563;
    }
    free(rises);
}

double idp_blur_sharp_sigma(double sigma_px)
{
    const double s0 = IDP_BLUR_SAMPLING_PX;

    if (isnan(sigma_px))
        return sigma_px;
    return sigma_px > s0 ? sqrt(sigma_px * sigma_px - s0 * s0) : 0.0;
}
