/* The surroundings of a saturated region, read for the glare tests
 * (idp_glare.c): one flood of the outside within its box, its holes and
 * outer border, rings outward by a breadth-first search, the print left
 * in its middle; and its solid core. docs/checks.md ("glare"). */
#include "idp_glare_halo.h"
#include "idp_glare.h"
#include "idp_math.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A reflection hides the print under its middle: there the lamp's image is
 * brightest and adds its light to the ink as much as to the paper, so the
 * ink clips too or is lifted towards the level; print stays dark only in
 * the halo, where the light lifts the paper past the level but not the
 * ink. A white card overexposed by the light (the bright end of a gradient
 * across the card) is clipped paper with nothing added: its print stays as
 * dark as anywhere on the card. The middle is the part of the region, its
 * holes filled, deeper than MIDDLE of its deepest pixel (city-block
 * distance; the image's edge counts as outside); dark print is luma under
 * MID_SCALE (the light added there is less than half the scale).
 * A region whose middle holds more than MAX_INNER_INK of dark print is not
 * a reflection, nor is its core. Round 12 (docs/checks.md): the middles of
 * the 35 regions counted on the tune glare photos hold none (0.0000 each),
 * the overexposed white card that was counted (7647) 0.0092, other white
 * cards on light desks up to 0.059; a weak sheen over dense print
 * (unit/test_glare_map, 2.15 x the paper) keeps print in its middle, but
 * lifted past 240, not dark. A few dark pixels are not print: a letter's
 * stroke on the ~1000 px copy is 3-4 px wide, so print under the middle is
 * at least MIN_INNER_INK_PX (a 4 x 4 piece of a stroke); a small region's
 * middle of a few dozen pixels would otherwise turn on one JPEG speck. */
#define MIDDLE 0.75
#define MIN_INNER_INK_PX 16u

static bool in_box(uint32_t x, uint32_t y, uint32_t x0, uint32_t y0, uint32_t x1, uint32_t y1)
{
    return x >= x0 && x <= x1 && y >= y0 && y <= y1;
}

/* The luma below which share q of the counted pixels lie; NAN when no
 * pixel was counted (a ring or sector left empty): every test the callers
 * make of it is then false. Not idp_hist_percentile (idp_stats.h), which
 * reads 255 there, as bright as clipped paper. */
static double hist_pct(const uint32_t *hist, uint32_t total, double q)
{
    const double want = q * (double)total;
    uint32_t run = 0;
    for (unsigned v = 0; v < 256; v++) {
        run += hist[v];
        if ((double)run >= want && run > 0)
            return (double)v;
    }
    return (double)NAN;
}

/* mark: outside the region (or its core), in it (0: a hole or not seen) */
enum { OUT = 1, IN = 2 };

/* The outside's flood: a pixel not yet reached and not IN. */
static inline bool flood_to(uint8_t *m)
{
    if (*m != 0)
        return false;
    *m = OUT;
    return true;
}

/* City-block distance transform over a bw x bh box: dt holds nonzero
 * inside on entry, and on return each inside pixel's distance to the
 * nearest pixel outside (outside the box counts as outside; two passes).
 * Returns the largest. */
static uint16_t city_block(uint16_t *dt, uint32_t bw, uint32_t bh)
{
    uint16_t dmax = 0;
    for (uint32_t y = 0; y < bh; y++)
        for (uint32_t x = 0; x < bw; x++) {
            const size_t i = (size_t)y * bw + x;
            if (dt[i]) {
                const uint16_t up = y ? dt[i - bw] : 0, left = x ? dt[i - 1] : 0;
                dt[i] = (uint16_t)((up < left ? up : left) + 1);
            }
        }
    for (uint32_t y = bh; y-- > 0;)
        for (uint32_t x = bw; x-- > 0;) {
            const size_t i = (size_t)y * bw + x;
            if (!dt[i])
                continue;
            const uint16_t dn = y + 1 < bh ? dt[i + bw] : 0, rt = x + 1 < bw ? dt[i + 1] : 0;
            const uint16_t m = (uint16_t)((dn < rt ? dn : rt) + 1);
            if (m < dt[i])
                dt[i] = m;
            if (dt[i] > dmax)
                dmax = dt[i];
        }
    return dmax;
}

/* The print left in the middle of a region: over the region with its
 * holes filled (mark: IN or a hole, within the box [bx0, bx1] x [by0, by1]
 * whose outside and the image's edge count as outside), the pixels deeper
 * than MIDDLE of the deepest (city-block distance) are its middle; returns
 * the share of them that are holes darker than MID_SCALE in luma (print
 * the light did not lift; 0 when fewer than MIN_INNER_INK_PX), or NAN when
 * dt cannot be allocated. */
static double inner_ink(const uint8_t *mark, const uint8_t *luma, uint32_t w, uint32_t bx0,
                        uint32_t by0, uint32_t bx1, uint32_t by1)
{
    const uint32_t bw = bx1 - bx0 + 1, bh = by1 - by0 + 1;
    uint16_t *dt = malloc((size_t)bw * bh * sizeof(*dt));
    uint64_t inner = 0, ink = 0;
    if (dt == NULL)
        return (double)NAN;
    for (uint32_t y = 0; y < bh; y++)
        for (uint32_t x = 0; x < bw; x++)
            dt[(size_t)y * bw + x] = mark[(size_t)(by0 + y) * w + bx0 + x] != OUT;
    const uint16_t dmax = city_block(dt, bw, bh);
    for (uint32_t y = 0; y < bh; y++)
        for (uint32_t x = 0; x < bw; x++)
            if ((double)dt[(size_t)y * bw + x] > MIDDLE * dmax) {
                inner++;
                const size_t i = (size_t)(by0 + y) * w + bx0 + x;
                ink += mark[i] == 0 && luma[i] < MID_SCALE;
            }
    free(dt);
    return inner && ink >= MIN_INNER_INK_PX ? (double)ink / (double)inner : 0.0;
}

/* Fills in *rg for region r out to depth px (core: NULL, or a mask over
 * r's bounding box: then only the region's pixels in it are the blob, the
 * rest of the region is its surroundings like any other pixel). mark and dist are all zero
 * on entry and left so; queue holds w*h indices; hist holds
 * (RING_MAX + 1) * 256 counters. */
void idp_glare_ring(const idp_image *g, const sat_run *runs, size_t n_runs, uint8_t *mark,
                    uint8_t *dist, uint32_t *queue, uint32_t *hist, const region *r,
                    const uint8_t *core, uint32_t depth, uint32_t *sect, ring *rg)
{
    const uint32_t w = g->width, h = g->height;
    const uint32_t bx0 = r->x0 > 0 ? r->x0 - 1 : 0, by0 = r->y0 > 0 ? r->y0 - 1 : 0;
    const uint32_t bx1 = r->x1 + 1 < w ? r->x1 + 1 : w - 1, by1 = r->y1 + 1 < h ? r->y1 + 1 : h - 1;
    size_t head = 0, tail = 0;
    uint32_t cnt[RING_MAX + 1] = {0};

    memset(rg, 0, sizeof(*rg));
    uint32_t scnt[SECTORS][SECTOR_DEPTH + 1] = {{0}};
    double sx = 0, sy = 0, sn = 0; /* the blob's centroid, for the sectors */
    memset(hist, 0, sizeof(*hist) * 256 * (RING_MAX + 1));
    if (sect != NULL)
        memset(sect, 0, sizeof(*sect) * SECTOR_HIST);
    /* 0. the region itself: IN in mark */
    for (size_t k = 0; k < n_runs; k++) {
        if (runs[k].parent != r->label)
            continue;
        uint8_t *m = mark + (size_t)runs[k].y * w;
        if (core == NULL) {
            const double len = runs[k].x1 - runs[k].x0 + 1.0;
            memset(m + runs[k].x0, IN, runs[k].x1 - runs[k].x0 + 1);
            sx += len * (runs[k].x0 + runs[k].x1) / 2.0;
            sy += len * runs[k].y;
            sn += len;
            continue;
        }
        const uint8_t *c = core + (size_t)(runs[k].y - r->y0) * (r->x1 - r->x0 + 1) - r->x0;
        for (uint32_t x = runs[k].x0; x <= runs[k].x1; x++)
            if (c[x]) {
                m[x] = IN;
                sx += x;
                sy += runs[k].y;
                sn++;
            }
    }
    /* 1. the outside within the box: flood from the box's edge. The queue
     * holds (y << 16 | x): no division per pixel */
    for (uint32_t y = by0; y <= by1; y++)
        for (uint32_t x = bx0; x <= bx1; x += (y == by0 || y == by1 || x == bx1) ? 1 : bx1 - bx0) {
            if (flood_to(&mark[(size_t)y * w + x]))
                queue[tail++] = y << 16 | x;
        }
    while (head < tail) {
        const uint32_t x = queue[head] & 0xFFFFu, y = queue[head] >> 16;
        const size_t i = (size_t)y * w + x;
        head++;
        if (x > bx0 && flood_to(&mark[i - 1]))
            queue[tail++] = y << 16 | (x - 1);
        if (x < bx1 && flood_to(&mark[i + 1]))
            queue[tail++] = y << 16 | (x + 1);
        if (y > by0 && flood_to(&mark[i - w]))
            queue[tail++] = (y - 1) << 16 | x;
        if (y < by1 && flood_to(&mark[i + w]))
            queue[tail++] = (y + 1) << 16 | x;
    }
    /* 2. holes, and the outer border: the ring's first pixels */
    head = tail = 0;
    for (uint32_t y = r->y0; y <= r->y1; y++)
        for (uint32_t x = r->x0; x <= r->x1; x++) {
            const uint32_t i = y * w + x;
            if (mark[i] != IN) {
                rg->holes += !mark[i];
                continue;
            }
            const int32_t nx[4] = {(int32_t)x - 1, (int32_t)x + 1, (int32_t)x, (int32_t)x};
            const int32_t ny[4] = {(int32_t)y, (int32_t)y, (int32_t)y - 1, (int32_t)y + 1};
            for (int k = 0; k < 4; k++) {
                if (nx[k] < 0 || ny[k] < 0 || nx[k] >= (int32_t)w || ny[k] >= (int32_t)h) {
                    rg->edge++; /* on the image's edge */
                    continue;
                }
                const size_t j = (size_t)ny[k] * w + (size_t)nx[k];
                if (mark[j] != OUT)
                    continue;
                rg->outer++;
                if (!dist[j]) {
                    dist[j] = 1;
                    queue[tail++] = (uint32_t)ny[k] << 16 | (uint32_t)nx[k];
                }
            }
        }
    rg->inner_ink = core == NULL ? inner_ink(mark, g->data, w, bx0, by0, bx1, by1) : (double)NAN;
    /* 3. rings outward, never into the region or its holes */
    while (head < tail) {
        const uint32_t x = queue[head] & 0xFFFFu, y = queue[head] >> 16;
        const size_t i = (size_t)y * w + x;
        const uint32_t d = dist[i];
        head++;
        hist[d * 256 + g->data[i]]++;
        cnt[d]++;
        if (sect != NULL && sn > 0 && d <= SECTOR_DEPTH) {
            /* its sector: the direction from the centroid, 45 degrees each */
            const double a = atan2((double)y - sy / sn, (double)x - sx / sn);
            uint32_t s = (uint32_t)((a + IDP_PI) / (2 * IDP_PI) * SECTORS);
            s = s < SECTORS ? s : SECTORS - 1;
            sect[(s * (SECTOR_DEPTH + 1) + d) * 256 + g->data[i]]++;
            scnt[s][d]++;
        }
        if (d >= depth)
            continue;
        const int32_t nx[4] = {(int32_t)x - 1, (int32_t)x + 1, (int32_t)x, (int32_t)x};
        const int32_t ny[4] = {(int32_t)y, (int32_t)y, (int32_t)y - 1, (int32_t)y + 1};
        for (int k = 0; k < 4; k++) {
            if (nx[k] < 0 || ny[k] < 0 || nx[k] >= (int32_t)w || ny[k] >= (int32_t)h)
                continue;
            const uint32_t jx = (uint32_t)nx[k], jy = (uint32_t)ny[k];
            const size_t j = (size_t)jy * w + jx;
            if (dist[j] || mark[j] == IN)
                continue;
            if (in_box(jx, jy, bx0, by0, bx1, by1) && !mark[j])
                continue; /* a hole */
            dist[j] = (uint8_t)(d + 1);
            queue[tail++] = jy << 16 | jx;
        }
    }
    for (size_t k = 0; k < tail; k++)
        dist[(size_t)(queue[k] >> 16) * w + (queue[k] & 0xFFFFu)] = 0;
    for (uint32_t y = by0; y <= by1; y++)
        memset(mark + (size_t)y * w + bx0, 0, bx1 - bx0 + 1);
    /* the deepest ring reached (the document may end first) */
    while (depth > 1 && cnt[depth] == 0)
        depth--;
    rg->depth = depth;
    rg->paper1 = hist_pct(hist + 256, cnt[1], 0.75);
    rg->paper2 = hist_pct(hist + 512, cnt[2], 0.75);
    rg->paper4 = hist_pct(hist + 256 * 4, cnt[4], 0.75);
    rg->paper = hist_pct(hist + 256 * depth, cnt[depth], 0.75);
    for (uint32_t s = 0; s < SECTORS; s++) {
        rg->sector_ramp[s] = rg->sector_tail[s] = (double)NAN;
        if (sect == NULL || sn <= 0 || depth < 4)
            continue;
        const uint32_t *sh = sect + (size_t)s * (SECTOR_DEPTH + 1) * 256;
        const double out = hist_pct(sh + 256 * depth, scnt[s][depth], 0.75);
        rg->sector_ramp[s] = hist_pct(sh + 512, scnt[s][2], 0.75) - out;
        rg->sector_tail[s] = hist_pct(sh + 256 * 4, scnt[s][4], 0.75) - out;
    }
    for (uint32_t d = 1; d <= depth; d++)
        rg->print_at[d] = hist_pct(hist + 256 * d, cnt[d], 0.25);
    {
        uint64_t sum = 0;
        for (unsigned v = 0; v < 256; v++)
            sum += (uint64_t)v * hist[256 * depth + v];
        rg->mean = cnt[depth] ? (double)sum / cnt[depth] : (double)NAN;
        uint64_t lit = 0, n_lit = 0;
        for (unsigned v = 0; v < IDP_GLARE_SAT; v++) {
            lit += (uint64_t)v * hist[256 * depth + v];
            n_lit += hist[256 * depth + v];
        }
        rg->mean_lit = n_lit ? (double)lit / (double)n_lit : (double)NAN;
    }
}

/* The solid core of region r: its opening by a diamond of radius half the
 * largest it holds (city-block distance transform over its bounding box,
 * dt; core gets 1 on the opened pixels). Parts of the region thinner than
 * that core (white print lit past the level by a halo, in bands and
 * boxes) fall away. Returns the core's pixels. */
uint32_t idp_glare_open_core(const sat_run *runs, size_t n_runs, const region *r, uint16_t *dt,
                             uint8_t *core)
{
    const uint32_t bw = r->x1 - r->x0 + 1, bh = r->y1 - r->y0 + 1;
    const size_t nb = (size_t)bw * bh;
    uint32_t area = 0;
    memset(core, 0, nb);
    for (size_t k = 0; k < n_runs; k++)
        if (runs[k].parent == r->label)
            memset(core + (size_t)(runs[k].y - r->y0) * bw + (runs[k].x0 - r->x0), 1,
                   runs[k].x1 - runs[k].x0 + 1);
    /* distance to the nearest pixel outside the region (or the box) */
    for (size_t i = 0; i < nb; i++)
        dt[i] = core[i];
    const uint16_t dmax = city_block(dt, bw, bh);
    const uint16_t rad = (uint16_t)(dmax / 2);
    if (rad < 2)
        return 0;
    /* erosion: d > rad; dilation: within rad (city-block) of an eroded
     * pixel, by a second transform from the eroded set */
    for (size_t i = 0; i < nb; i++)
        dt[i] = dt[i] > rad ? 0 : UINT16_MAX;
    for (uint32_t y = 0; y < bh; y++)
        for (uint32_t x = 0; x < bw; x++) {
            const size_t i = (size_t)y * bw + x;
            uint32_t d = dt[i];
            if (y && dt[i - bw] + 1u < d)
                d = dt[i - bw] + 1u;
            if (x && dt[i - 1] + 1u < d)
                d = dt[i - 1] + 1u;
            dt[i] = (uint16_t)d;
        }
    for (uint32_t y = bh; y-- > 0;)
        for (uint32_t x = bw; x-- > 0;) {
            const size_t i = (size_t)y * bw + x;
            uint32_t d = dt[i];
            if (y + 1 < bh && dt[i + bw] + 1u < d)
                d = dt[i + bw] + 1u;
            if (x + 1 < bw && dt[i + 1] + 1u < d)
                d = dt[i + 1] + 1u;
            dt[i] = (uint16_t)d;
            core[i] = core[i] && d <= rad;
            area += core[i];
        }
    return area;
}
