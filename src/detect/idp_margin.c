/* A scan's margin whose inner edge is tilted: a card laid a little
 * askew on a flatbed (up to a degree or two) enters the white border
 * row by row, so no single row steps along its whole length and the
 * row-by-row margin of idp_scan.c finds none. Here each of 64 lines
 * across the side (over 10-90 % of it, clear of the rounded corners) is
 * walked in from the frame's edge (each sample the mean of EDGE_AVG px
 * along the side: one pixel's JPEG and chroma noise is several levels)
 * while it stays within EDGE_DRIFT of its outermost sample, to the first
 * step of EDGE_STEP levels over 5 px (a scan's edge is
 * blurred, and shaded where the card casts a shadow on the lid):
 * the document's edge on that line, when the pixels before it are a
 * flat field (mean deviation <= 4 levels, sensor noise up to sigma 5: a scanner's lid or an app's
 * fill, not a printed band whose edge is parallel to the frame). A straight line through
 * those edges (least squares, one round without the points 3 px off),
 * tilted at most 3 degrees, through at least 75 % of them, is the
 * document's side, when the document goes on past it (5 px off the
 * margin's level: not the baseline of a line of letters on the
 * document's own plain paper). A scanner or its app squares the document to
 * about a degree; a photo's plain desk around a card square to the frame gives the same, and the
 * card's outline is then found the same way. The edge on a line is the
 * sharpest step just past the first one (the shadow the document casts on
 * the lid fades out before its sharp edge), or the first step where the
 * sharpest ones do not line up. idp_margin_flat reads whether a side
 * starts with such a flat field at all, ending within 8 % of the frame
 * (a border whose edge was not found, not a page); on such a side,
 * where a border is seen on the other sides, idp_margin_edge_behind
 * walks again from past a line at the frame's edge (the glass's), to 8 %
 * of the side, taking the edge as deep as it itself lies and a line
 * through half the sample lines. docs/detection.md, "Scans", "Round 7"
 * and "Round 8". */
#include "idp_evidence.h"
#include "idp_trace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EDGE_SAMPLES 64
#define EDGE_DEPTH                                                                                 \
    0.065 /* the margin is at most this share of the side (a flatbed border 2-5 %; a card band at  \
             8 % is print) */
#define EDGE_DEEPEST                                                                               \
    0.08 /* behind (a border seen on the other sides, this side's field of its level): a flatbed's \
          * border, at most 8 % a side (idp_margin_flat's page limit; a border of 5 % of a card's  \
          * length is 8 % of its height) */
#define EDGE_FLAT 4.0           /* mean |deviation| of a margin's pixels from its outermost one */
#define EDGE_DRIFT 16           /* and none more than this */
#define EDGE_STEP 10            /* the document's edge: a step of this over 5 px */
#define EDGE_TILT 0.0524        /* tan(3 degrees) */
#define EDGE_BEYOND 5           /* px past the step that stay off the margin's level */
#define EDGE_FIT_TOL 3.0        /* px from the line: an inlier (a blurred, shaded edge) */
#define EDGE_INLIERS 0.75       /* share of the sample lines on the line */
#define EDGE_INLIERS_BEHIND 0.5 /* behind: the border seen elsewhere vouches for the field */
#define EDGE_AVG 3              /* px along the side averaged into one sample of the walk */
#define EDGE_SHADOW 6           /* px past the first step where the sharpest one is the edge */
#define EDGE_LINE 4             /* px of a line at the frame's edge skipped (idp_margin_flat) */
#define EDGE_MIN                                                                                   \
    0.01 /* a margin at least this share of the side deep (and 6 px): less is                      \
          * the frame's own edge (a JPEG's border pixels), no margin */

/* Mean of channel c at (u along side s, v in from it; s = 0 top, 1
 * bottom, 2 left, 3 right) over EDGE_AVG px along the side: one pixel's
 * noise (JPEG, a sensor's chroma) is several levels. */
static double pxm(const idp_image *g, int s, uint32_t len, uint32_t u, uint32_t v, uint32_t c)
{
    const uint32_t lo = u > EDGE_AVG / 2 ? u - EDGE_AVG / 2 : 0;
    const uint32_t hi = u + EDGE_AVG / 2 < len ? u + EDGE_AVG / 2 : len - 1;
    /* from the first sample on, a pixel along the side a step (round 13:
     * each placed anew was 4 % of the detection on a photo with none) */
    const uint32_t x = s < 2 ? lo : (s == 2 ? v : g->width - 1 - v);
    const uint32_t y = s >= 2 ? lo : (s == 0 ? v : g->height - 1 - v);
    const size_t step = s < 2 ? g->channels : (size_t)g->width * g->channels;
    const uint8_t *p = g->data + ((size_t)y * g->width + x) * g->channels + c;
    int sum = 0;
    for (uint32_t k = lo; k <= hi; k++, p += step)
        sum += *p;
    return (double)sum / (hi - lo + 1);
}

/* The largest difference of the channels' means between v1 and v2. */
static double pxd(const idp_image *g, int s, uint32_t len, uint32_t u, uint32_t v1, uint32_t v2)
{
    double most = 0;
    for (uint32_t c = 0; c < g->channels; c++)
        most = fmax(most, fabs(pxm(g, s, len, u, v1, c) - pxm(g, s, len, u, v2, c)));
    return most;
}

/* Fits v = a + b (u - c) to the points with ok set; false when too few. */
static bool fit(const double *u, const double *v, const bool *ok, int n, double c, double *a,
                double *b)
{
    double su = 0, sv = 0, suu = 0, suv = 0;
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (!ok[i])
            continue;
        const double x = u[i] - c;
        su += x;
        sv += v[i];
        suu += x * x;
        suv += x * v[i];
        m++;
    }
    const double den = m * suu - su * su;
    if (m < 3 || fabs(den) < 1e-9)
        return false;
    *b = (m * suv - su * sv) / den;
    *a = (sv - *b * su) / m;
    return true;
}

/* The side's line through the points (v at u, ok set): a least-squares
 * fit, again without the points EDGE_FIT_TOL off, through >= EDGE_INLIERS
 * of the lines, tilted a little and inside the frame along the whole
 * side. */
static bool line_fit(const double *u, const double *v, const bool *ok0, uint32_t len, double share,
                     double *a, double *b)
{
    bool ok[EDGE_SAMPLES];
    memcpy(ok, ok0, sizeof(ok));
    const double c = len / 2.0;
    if (!fit(u, v, ok, EDGE_SAMPLES, c, a, b))
        return false;
    int in = 0;
    for (int i = 0; i < EDGE_SAMPLES; i++) {
        ok[i] = ok[i] && fabs(v[i] - (*a + *b * (u[i] - c))) <= EDGE_FIT_TOL;
        in += ok[i];
    }
    if (in < share * EDGE_SAMPLES || !fit(u, v, ok, EDGE_SAMPLES, c, a, b))
        return false;
    return fabs(*b) <= EDGE_TILT && *a - fabs(*b) * c >= 0;
}

/* Where a line along the frame's edge (the glass's, the bed's frame: up
 * to EDGE_LINE px) ends on sample line ui, and its blurred tail: 0 where
 * the side starts with no such line. */
static uint32_t past_line(const idp_image *g, int s, uint32_t len, uint32_t ui)
{
    uint32_t v0 = 0;
    while (v0 < EDGE_LINE && pxd(g, s, len, ui, v0, v0 + EDGE_LINE + 1) >= EDGE_STEP)
        v0++;
    return v0 + (v0 > 0); /* the line's blurred tail */
}

/* The walk of idp_margin_edge, each sample line from the frame's edge,
 * or (behind) from past a line along it. */
static bool edge_walk(const idp_image *g, int s, bool behind, double *a, double *b)
{
    const uint32_t len = s < 2 ? g->width : g->height, depth = s < 2 ? g->height : g->width;
    const uint32_t lim = (uint32_t)((behind ? EDGE_DEEPEST : EDGE_DEPTH) * depth) + 3;
    if (len < 64 || lim + 4 >= depth)
        return false;
    double u[EDGE_SAMPLES], v[EDGE_SAMPLES], v1[EDGE_SAMPLES];
    bool ok[EDGE_SAMPLES];
    int found = 0, why[5] = {0}; /* drift, shallow, not beyond, not flat, no step */
    for (int i = 0; i < EDGE_SAMPLES; i++) {
        const uint32_t ui = (uint32_t)(len * (0.1 + 0.8 * (i + 0.5) / EDGE_SAMPLES));
        u[i] = ui + 0.5;
        ok[i] = false;
        /* a line at the frame's edge is skipped only when asked
         * (idp_margin_edge_behind): the real scans' own border lines, then
         * their plain paper, read as a margin (100_visa-polx, 98_pass-nld) */
        const uint32_t v0 = behind ? past_line(g, s, len, ui) : 0;
        double dev = 0;
        for (uint32_t k = v0 + 3; k <= lim; k++) {
            bool flat = true;
            for (uint32_t c = 0; c < g->channels; c++) {
                const double d = fabs(pxm(g, s, len, ui, k - 3, c) - pxm(g, s, len, ui, v0, c));
                flat = flat && d <= EDGE_DRIFT;
                dev += d;
            }
            if (!flat) {
                why[0]++;
                break; /* shading or content before any edge */
            }
            if (pxd(g, s, len, ui, k - 3, k + 2) >= EDGE_STEP) {
                /* the step lies between k - 3 and k + 2 */
                /* a document goes on past its edge; a line of letters
                 * (a baseline parallel to the frame) is back to the
                 * margin's level (just before the step: the lid's light
                 * drifts across the bed) a stroke later */
                bool beyond = k + 2 + EDGE_BEYOND < depth;
                for (uint32_t j = k + 2; beyond && j < k + 2 + EDGE_BEYOND; j++)
                    beyond = pxd(g, s, len, ui, v0, j) >= EDGE_STEP / 2;
                /* the edge: the steepest step from there on over
                 * EDGE_SHADOW px (the document's edge is sharp, the
                 * shadow its thickness casts on the lid fades out) */
                double most = -1;
                v1[i] = k + 1.5; /* the first pixel past the margin enters at k + 2 */
                for (uint32_t j = k - 2; j <= k + 1 + EDGE_SHADOW && j + 1 < depth; j++) {
                    const double d = pxd(g, s, len, ui, j - 1, j + 1);
                    if (d > most) {
                        most = d;
                        v[i] = j + 0.5;
                    }
                }
                /* deep enough to be no frame's own border pixels: where
                 * the walk's window first meets the step, or (behind,
                 * where a border is seen on the other sides) the edge
                 * itself: a thin sliver of an app's desk, 6-7 px, meets
                 * the window at 4-5 px */
                const double at = behind ? v[i] : k;
                const bool deep = at >= 6 && at >= EDGE_MIN * depth;
                if (deep && beyond && dev <= EDGE_FLAT * (k - 2 - v0) * g->channels) {
                    ok[i] = true;
                    found++;
                } else
                    why[!deep ? 1 : !beyond ? 2 : 3]++;
                break;
            }
        }
    }
    IDP_TRACE("margin: side %d%s found %d drift %d shallow %d beyond %d flat %d\n", s,
              behind ? " behind a line" : "", found, why[0], why[1], why[2], why[3]);
    const double share = behind ? EDGE_INLIERS_BEHIND : EDGE_INLIERS;
    if (found < share * EDGE_SAMPLES)
        return false;
    /* the line through the sharpest steps, else (they scatter where a
     * shadow's edge and the document's are as sharp) the first ones */
    return line_fit(u, v, ok, len, share, a, b) || line_fit(u, v1, ok, len, share, a, b);
}

bool idp_margin_edge(const idp_image *g, int s, double *a, double *b)
{
    return edge_walk(g, s, false, a, b);
}

bool idp_margin_edge_behind(const idp_image *g, int s, double *a, double *b)
{
    return edge_walk(g, s, true, a, b);
}

bool idp_margin_flat(const idp_image *g, int s, double *level, double *deep)
{
    *level = -1;
    *deep = -1;
    const uint32_t len = s < 2 ? g->width : g->height, depth = s < 2 ? g->height : g->width;
    uint32_t deep_px = (uint32_t)(EDGE_MIN * depth);
    deep_px = deep_px < 6 ? 6 : deep_px;
    if (len < 64 || deep_px + EDGE_LINE + 2 >= depth)
        return false;
    int flat = 0, on = 0;
    double sum = 0, sum_on = 0;
    for (int i = 0; i < EDGE_SAMPLES; i++) {
        const uint32_t ui = (uint32_t)(len * (0.1 + 0.8 * (i + 0.5) / EDGE_SAMPLES));
        const uint32_t v0 = past_line(g, s, len, ui);
        double dev = 0;
        bool ok = true;
        for (uint32_t k = v0 + 1; ok && k < deep_px + v0; k++) {
            const double d = pxd(g, s, len, ui, v0, k);
            ok = d <= EDGE_DRIFT && pxd(g, s, len, ui, k - 1, k) < EDGE_STEP / 2;
            dev += d;
        }
        /* a border ends within a border's depth; a field still flat at
         * 8 % of the frame is a page or the document's own paper */
        bool ends = false;
        uint32_t k = deep_px + v0;
        for (; ok && !ends && k + 5 < depth && k < EDGE_DEEPEST * depth + 5; k++)
            ends =
                pxd(g, s, len, ui, v0, k) > EDGE_DRIFT || pxd(g, s, len, ui, k, k + 5) >= EDGE_STEP;
        if (!ok || dev > EDGE_FLAT * (deep_px - 1))
            continue;
        double mean = 0;
        for (uint32_t c = 0; c < g->channels; c++)
            mean += pxm(g, s, len, ui, v0, c) / g->channels;
        if (ends) {
            flat++;
            sum += mean;
        } else if (k >= EDGE_DEEPEST * depth + 5) { /* flat all the way */
            on++;
            sum_on += mean;
        }
    }
    if (flat)
        *level = sum / flat;
    if (on >= EDGE_INLIERS * EDGE_SAMPLES)
        *deep = sum_on / on;
    return flat >= EDGE_INLIERS * EDGE_SAMPLES;
}
