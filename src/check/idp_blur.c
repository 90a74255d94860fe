/* The width of the photo's edges (idp_blur.h): a blurred photo spreads
 * every step between ink and paper, card and desk, over more pixels. The
 * 10-90 % rise of a step blurred by a Gaussian of sigma s is 2.563 s, so
 * the median rise of the strongest edges gives the blur as a sigma that
 * the sharpness check turns into millimetres of the document. Read in four
 * directions as well, the widest told: a hand's shake widens only the
 * edges across its line. */
#include "idp_blur.h"
#include "idp_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAG_BINS 1448u  /* a Sobel magnitude is at most 4 * 255 * sqrt(2) = 1442.5 */
#define MIN_MAG 12u     /* a 24-level step blurred by sigma 6 px still reaches it */
#define MAX_EDGES 2000u /* edges profiled, all directions together, spread evenly */
#define DIR_EDGES 500u  /* edges profiled in each direction, spread evenly over those selected */
#define MIN_STEP 24.0f  /* levels between the edge's low and high */
/* A smear of L px over a stroke w px wide (w < L) leaves a ramp as wide as
 * the stroke, w, at w / L of its contrast: its rise is the stroke's, not
 * the smear's. Steps under half the print's full contrast (a stroke
 * thinner than half the smear, or faint print) are left out of the
 * directions; a sharp photo's print keeps its contrast in every
 * direction and loses none of its edges to this. */
#define STEP_KEPT 0.5f
#define REACH 20.0 /* px each way along the gradient: rises up to ~8 px sigma */
#define STEP 0.5   /* px between profile samples */
#define FALL 6.0f  /* levels back from the top (bottom) that end a walk */
#define NPROF 81   /* 2 * REACH / STEP + 1 */

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
static double edge_rise(const idp_image *g, uint32_t x, uint32_t y, float nx, float ny, float *step)
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
    *step = hi - lo;
    if (hi - lo < MIN_STEP)
        return -1.0;
    const float a = lo + 0.1f * (hi - lo), b = lo + 0.9f * (hi - lo);
    double ta = (double)NAN, tb = (double)NAN;
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

static int cmp_float(const void *a, const void *b)
{
    const float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* The orientation bin of a gradient (gx, gy): its direction modulo 180
 * degrees in IDP_BLUR_DIRS bins of 45 degrees centred on 0, 45, 90 and
 * 135 (0: a gradient along x, the edge upright; y down), so that the
 * edges of print square to the photo lie in the middle of a bin. The
 * borders are at tan(22.5 deg) = 0.41421 of the other component. */
static inline unsigned dir_bin(int gx, int gy)
{
    const float ax = (float)abs(gx), ay = (float)abs(gy);

    if (ay < 0.41421356f * ax)
        return 0;
    if (ax < 0.41421356f * ay)
        return 2;
    return (gx > 0) == (gy > 0) ? 1 : 3;
}

/* The median of rises[0..n) (sorted in place), as a sigma in px. */
static double median_sigma(double *rises, uint32_t n)
{
    idp_sort_doubles(rises, n);
    return rises[n / 2] / 2.563;
}

/* Per bin: up to DIR_EDGES + 1 rises and their steps. */
#define SLOT(d) ((size_t)(d) * (DIR_EDGES + 1u))

/* The magnitude above which `want` of the histogram's counts lie, never
 * under MIN_MAG; *above: how many lie at or above it. */
static uint32_t threshold(const uint32_t *hist, uint64_t want, uint64_t *above)
{
    uint32_t t;

    *above = 0;
    for (t = MAG_BINS - 1; t > MIN_MAG && *above + hist[t] <= want; t--)
        *above += hist[t];
    *above += hist[t];
    return t;
}

/* The widest direction (out->dir_*, out->sigma_px) of the edges collected
 * per bin, from the print's full contrast `full`; all: scratch of
 * SLOT(IDP_BLUR_DIRS) rises. */
static void widest(const double *rises, const float *steps, const uint32_t *n, float full,
                   double *all, idp_blur *out)
{
    /* each direction on the edges of its two bins (within 45 degrees of
     * 22.5, 67.5, 112.5 and 157.5) whose step keeps at least STEP_KEPT of
     * the full contrast; the widest with enough of them */
    for (unsigned d = 0; d < IDP_BLUR_DIRS; d++) {
        uint32_t kept = 0;
        for (unsigned b = d; b <= d + 1; b++) {
            const unsigned bb = b % IDP_BLUR_DIRS;
            for (uint32_t i = 0; i < n[bb]; i++)
                if (steps[SLOT(bb) + i] >= STEP_KEPT * full)
                    all[kept++] = rises[SLOT(bb) + i];
        }
        out->dir_edges[d] = kept;
        if (kept < IDP_BLUR_DIR_EDGES)
            continue;
        out->dir_sigma_px[d] = median_sigma(all, kept);
        if (out->dir_sigma_px[d] > out->sigma_px)
            out->sigma_px = out->dir_sigma_px[d];
    }
}

void idp_measure_blur(const idp_image *grey, idp_blur *out)
{
    const uint32_t w = grey->width, h = grey->height;
    const size_t stride = idp_image_stride(grey);
    uint32_t(*hist)[MAG_BINS] = NULL, *sum_hist = NULL;
    double *rises = NULL, *all = NULL, *arises = NULL;
    float *steps = NULL, *tmp = NULL;
    uint64_t total = 0, above;
    uint32_t thr[IDP_BLUR_DIRS], every[IDP_BLUR_DIRS], k[IDP_BLUR_DIRS] = {0};
    uint32_t n[IDP_BLUR_DIRS] = {0}, nd = 0, na = 0, all_thr, all_every, ka = 0;

    out->sigma_px = (double)NAN;
    out->all_sigma_px = (double)NAN;
    out->edges = 0;
    for (unsigned d = 0; d < IDP_BLUR_DIRS; d++) {
        out->dir_sigma_px[d] = (double)NAN;
        out->dir_edges[d] = 0;
    }
    if (grey->channels != 1 || w < 8 || h < 8)
        return;
    hist = calloc(IDP_BLUR_DIRS, sizeof(*hist));
    sum_hist = calloc(MAG_BINS, sizeof(*sum_hist));
    rises = malloc(sizeof(*rises) * SLOT(IDP_BLUR_DIRS));
    arises = malloc(sizeof(*arises) * (MAX_EDGES + 1u));
    all = malloc(sizeof(*all) * SLOT(IDP_BLUR_DIRS));
    steps = malloc(sizeof(*steps) * SLOT(IDP_BLUR_DIRS));
    tmp = malloc(sizeof(*tmp) * SLOT(IDP_BLUR_DIRS));
    if (hist == NULL || sum_hist == NULL || rises == NULL || arises == NULL || all == NULL ||
        steps == NULL || tmp == NULL)
        goto out;
    /* the histograms on every other row and column: a quantile needs no
     * more; the edges on every other row (half the cost again) */
    for (uint32_t y = 2; y + 2 < h; y += 2)
        for (uint32_t x = 2; x + 2 < w; x += 2) {
            int gx, gy;
            sobel(grey->data, stride, x, y, &gx, &gy);
            const uint32_t m = magnitude(gx, gy);
            hist[dir_bin(gx, gy)][m]++;
            sum_hist[m]++;
            total++;
        }
    /* all directions together: the strongest 1 % of the gradients (at most
     * MAX_EDGES edges); `above` counted on a quarter of the pixels, the
     * edges are sought on half of them */
    all_thr = threshold(sum_hist, total / 100u, &above);
    all_every = (uint32_t)(2 * above / MAX_EDGES) + 1u;
    /* in each bin its own strongest gradients, as many as a quarter of
     * that 1 % (at most DIR_EDGES edges): a smear weakens the edges across
     * it, and the threshold of all directions together keeps only the
     * sharp ones along it */
    for (unsigned d = 0; d < IDP_BLUR_DIRS; d++) {
        thr[d] = threshold(hist[d], total / 100u / IDP_BLUR_DIRS, &above);
        every[d] = (uint32_t)(2 * above / DIR_EDGES) + 1u;
    }
    for (uint32_t y = 2; y + 2 < h; y += 2)
        for (uint32_t x = 2; x + 2 < w; x++) {
            int gx, gy;
            sobel(grey->data, stride, x, y, &gx, &gy);
            const uint32_t m = magnitude(gx, gy);
            const unsigned d = dir_bin(gx, gy);
            const bool in_all = m >= all_thr && ka++ % all_every == 0 && na <= MAX_EDGES;
            const bool in_dir = m >= thr[d] && k[d]++ % every[d] == 0 && n[d] <= DIR_EDGES;
            if (!(in_all || in_dir) || !across_max(grey, x, y, gx, gy, m))
                continue;
            const float len = sqrtf((float)(gx * gx + gy * gy));
            float step;
            const double r = edge_rise(grey, x, y, (float)gx / len, (float)gy / len, &step);
            if (r <= 0)
                continue;
            if (in_all)
                arises[na++] = r;
            if (in_dir) {
                steps[SLOT(d) + n[d]] = step;
                tmp[nd++] = step;
                rises[SLOT(d) + n[d]++] = r;
            }
        }
    out->edges = na;
    if (na >= IDP_BLUR_MIN_EDGES)
        out->all_sigma_px = median_sigma(arises, na);
    out->sigma_px = out->all_sigma_px;
    if (isnan(out->sigma_px) || nd == 0)
        goto out;
    /* the print's full contrast: the 90th percentile of the directions'
     * steps (the big steps, a portrait's edge or a band's, keep theirs
     * under any smear wider than a stroke) */
    qsort(tmp, nd, sizeof(*tmp), cmp_float);
    widest(rises, steps, n, tmp[(nd * 9u) / 10u], all, out);
out:
    free(hist);
    free(sum_hist);
    free(rises);
    free(arises);
    free(all);
    free(steps);
    free(tmp);
}

double idp_blur_sharp_sigma(double sigma_px)
{
    const double s0 = IDP_BLUR_SAMPLING_PX;

    if (isnan(sigma_px))
        return sigma_px;
    return sigma_px > s0 ? sqrt(sigma_px * sigma_px - s0 * s0) : 0.0;
}
