/* Glare: a specular reflection of a lamp, the sun or the flash on the
 * card's laminate. What the sensor records, and what printed white does
 * not share (docs/checks.md gives the numbers):
 *
 * - it saturates: the reflected source is far brighter than paper, so the
 *   core clips in all three channels (luma >= IDP_GLARE_SAT);
 * - it is one compact blob: the blurred image of the lamp, which covers the
 *   print under it, so the blob has no letter-shaped holes. A printed white
 *   field, white card stock or the MRZ band is saturated only where there
 *   is no ink: its region is full of holes, and its border (every letter's
 *   outline) is many times a disc's;
 * - it has a soft edge: the lamp's virtual image lies as far behind the
 *   card as the lamp is in front, out of focus, and the laminate spreads
 *   it further (the specular lobe), so the luminance falls off over many
 *   pixels. Printed white meets ink, or the card meets the desk, in one
 *   or two pixels: the lens blur of a 12 MP photo (1-2 sensor pixels) is
 *   under one pixel of the ~1000 px copy measured here;
 * - it is brighter than its surroundings: a little way out the document
 *   is markedly darker than the clipped core. A white field beside a light
 *   tint is not; nor is paper the exposure clipped, with no paper left
 *   under the level for anything to outshine.
 *
 * One pass labels the saturated pixels (8-connected, iterative flood
 * fill); each region big enough to matter gets its border measured on the
 * way; only the compact, soft-edged ones are then ringed by a short
 * breadth-first search for their surroundings. */
#include "idp_glare.h"
#include "idp_glare_halo.h"
#include "idp_math.h"
#include "idp_trace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A region smaller than this share of the pixels is not judged: 1/4000 of
 * a 1000 x 630 document is ~160 px (12 x 12), under one MRZ character
 * cell (2.54 mm pitch: ~30 px across a card ~1000 px wide), so it can
 * hide at most part of one character. */
#define MIN_SHARE (1.0 / 4000.0)
#define MIN_AREA 16u

/* Compact: border at most twice a disc's. An ellipse 3:1 (a streak) is
 * ~1.2, a blob frayed by the print in its halo 1.3-1.6; a white field with
 * letters in it is far above (every letter adds its outline). */
#define MAX_COMPACTNESS 3.0

/* Cheap first test of one blob: its saturated pixels fill at least MIN_FILL
 * of its bounding box (an ellipse 4:1 turned 45 degrees fills 0.37; with
 * a fifth of it holes, 0.3). Only the MAX_JUDGED largest regions are
 * measured: a reflection is one to three blobs, and this bounds the work
 * on a page of white speckle. */
#define MIN_FILL 0.2
#define MAX_JUDGED 32

/* Soft edge: going out from the blob, the paper (the 75th percentile of
 * each ring: the paper between the print, as ink covers under a quarter
 * of a document) keeps falling: by at least MIN_RAMP levels from 1 px to
 * `depth` px out, and by no less than it fell in the first pixel. */
#define MIN_RAMP 5.0
/* ... and keeps falling past 4 px: at least MIN_TAIL of that fall lies
 * between 4 px and depth px out. A print edge blurred by the lens, a
 * scanner or JPEG (at most ~3 px at this scale) has finished falling by
 * 4 px, its tail is flat; a halo wider than depth falls about evenly, a
 * tail share of (depth - 4) / (depth - 2) >= 0.5 for depth >= 6. */
#define MIN_TAIL 0.4

/* Brighter than its surroundings: the mean luma `depth` px out (a third of
 * the blob's equivalent radius, 6-24 px) at least MIN_CONTRAST below
 * IDP_GLARE_SAT. */
#define MIN_CONTRAST 20.0
#define RING_MIN 6u
#define RING_BLOB 24u

/* A reflection on a bright document: its halo lifts the white print and the
 * paper around its core past IDP_GLARE_SAT too, so the saturated region is
 * the core plus bands and boxes of white print reaching out of it, and the
 * paper around the core stays clipped: no ramp. When a region fails, its
 * solid core (the region opened by a diamond of half the largest radius it
 * holds: what is thinner falls away) is judged instead: compact,
 * MIN_CONTRAST, and, as its paper is clipped, the soft edge is read from
 * the print (the 25th percentile of each ring: ink and tint, which the halo
 * lifts more the nearer the core): from 2 px out to one core radius out
 * (up to RING_MAX px) it falls by >= MIN_RAMP, and no CORE_EDGE px of that
 * distance hold more than CORE_STEP of the fall. A halo falls over tens of
 * pixels (a lamp's Gaussian flank of sigma 30 px: ~0.15 of its fall in any
 * 3 px); printed white ends where the print starts, an edge the lens, JPEG
 * and the grey copy's average blur over <= 3 px (the reason for MIN_TAIL),
 * so one window holds nearly all of its fall (tune white-doc-light-desk-1's
 * blank white core: 151 of 151 levels). If the core passes, the whole
 * region counts: the white print it holds is clipped only by this
 * reflection's light. */
#define CORE_EDGE 3u
#define CORE_STEP 0.5
#define CORE_HALF 0.25

/* The frayed region's solid core is the blurred image of the lamp: an
 * ellipse, whose border over a disc's of the same area is 1.23 at 3:1, 1.37
 * at 4:1, 1.50 at 5:1 (a strip light seen at a slant). Round 11: the
 * frayed cores of the tune glare photos read 1.26-1.31, the white
 * background of a portrait lit by a broad sheen (cut by the head) 2.16. */
#define CORE_ELLIPSE 1.5

/* Of SECTORS directions around a region, how many must show a halo's fall
 * (soft_around): three quarters. */
#define MIN_SOFT_SECTORS 6u

/* The print under a reflection's middle (idp_glare_halo.c, MIDDLE and
 * MID_SCALE, gives the reason): a region whose middle holds more than
 * MAX_INNER_INK of dark print is not a reflection, nor is its core. */
#define MAX_INNER_INK 0.005

/* The paper itself clipped. A reflection is brighter than the paper around
 * it, so some of the document's paper is below the level for it to
 * outshine. When most of the copy's light pixels (luma from mid-scale,
 * MID_SCALE, up: paper, tint and a light desk; ink is under it) are saturated,
 * and they are a good part of the copy, the document's paper is at the
 * level: the exposure put it there, and a clipped region is that paper,
 * bounded by print and the card's edge, not a lamp's image. Its rings
 * then cross print and the desk, not paper, and can read as a halo; no
 * region is counted. Most: more than MAX_PAPER_CLIPPED, a majority. A good
 * part: more than MIN_PAPER_SHARE of the copy, as a document's paper is
 * (on a dark card the few light pixels are a reflection and its halo, a
 * majority of them clipped: unit/test_glare). docs/checks.md, "Round 34",
 * gives the measured shares: reflections up to 0.19 of the light pixels
 * and 0.18 of the copy, white documents on light desks 0.66-0.71 and
 * 0.51-0.55. */
#define MAX_PAPER_CLIPPED 0.5
#define MIN_PAPER_SHARE 0.25

static uint32_t find_root(sat_run *runs, uint32_t a)
{
    while (runs[a].parent != a) {
        runs[a].parent = runs[runs[a].parent].parent; /* path halving */
        a = runs[a].parent;
    }
    return a;
}

/* Finds the runs of saturated pixels of g row by row (sequential memory
 * access) and joins them into 8-connected regions: *regs gets each
 * region's label (1, 2, ...), area and bounding box, *runs_out the runs,
 * each with its region's label in `parent`. Returns false when out of
 * memory. The caller frees both. */
static bool label_regions(const idp_image *g, uint8_t level, sat_run **runs_out, size_t *n_runs,
                          region **regs, size_t *n_regs)
{
    const uint32_t w = g->width, h = g->height;
    sat_run *runs = NULL;
    size_t n = 0, cap = 0, prev_begin = 0, prev_end = 0;
    uint32_t *root_label = NULL;
    region *out = NULL;
    size_t n_out = 0;
    bool ok = false;

    for (uint32_t y = 0; y < h; y++) {
        const uint8_t *row = g->data + (size_t)y * w;
        const size_t begin = n;
        size_t p = prev_begin;
        for (uint32_t x = 0; x < w;) {
            if (row[x] < level) {
                x++;
                continue;
            }
            uint32_t x1 = x;
            while (x1 + 1 < w && row[x1 + 1] >= level)
                x1++;
            if (n == cap) {
                const size_t nc = cap ? 2 * cap : 1024;
                sat_run *t = realloc(runs, nc * sizeof(*t));
                if (t == NULL)
                    goto out;
                runs = t;
                cap = nc;
            }
            runs[n] = (sat_run){y, x, x1, (uint32_t)n};
            /* previous row's runs touching this one (8-connected) */
            while (p < prev_end && runs[p].x1 + 1 < x)
                p++;
            for (size_t q = p; q < prev_end && runs[q].x0 <= x1 + 1; q++) {
                const uint32_t a = find_root(runs, (uint32_t)q), b = find_root(runs, (uint32_t)n);
                if (a != b)
                    runs[a > b ? a : b].parent = a < b ? a : b;
            }
            n++;
            x = x1 + 1;
        }
        prev_begin = begin;
        prev_end = n;
    }
    root_label = malloc((n ? n : 1) * sizeof(*root_label));
    out = malloc((n ? n : 1) * sizeof(*out));
    if (root_label == NULL || out == NULL)
        goto out;
    for (size_t k = 0; k < n; k++) {
        const uint32_t rt = find_root(runs, (uint32_t)k);
        region *r;
        if (rt == k) { /* roots come first in their region: a new label */
            root_label[k] = (uint32_t)n_out;
            r = &out[n_out++];
            *r = (region){(uint32_t)n_out, 0, runs[k].x0, runs[k].y, runs[k].x1, runs[k].y};
        }
        r = &out[root_label[rt]];
        r->area += runs[k].x1 - runs[k].x0 + 1;
        r->x0 = runs[k].x0 < r->x0 ? runs[k].x0 : r->x0;
        r->x1 = runs[k].x1 > r->x1 ? runs[k].x1 : r->x1;
        r->y1 = runs[k].y; /* runs come row by row */
    }
    /* label every run; downwards, as a parent always has a lower index
     * than its child, so the chains below k are still intact */
    for (size_t k = n; k-- > 0;)
        runs[k].parent = out[root_label[find_root(runs, (uint32_t)k)]].label;
    *regs = out;
    *n_regs = n_out;
    *runs_out = runs;
    *n_runs = n;
    runs = NULL;
    out = NULL;
    ok = true;
out:
    free(runs);
    free(root_label);
    free(out);
    return ok;
}

/* A compact region, brighter than its surroundings, whose paper did not
 * fall as a halo's out to `depth` (a third of its radius): the clipped
 * top of a lamp's image much wider than the part past the level (a peak
 * barely clipped) has a halo wider than that depth, whose steep shoulder
 * near the level (the fall mostly in the first 4 px), or whose broad top
 * just under the level (a fall under MIN_RAMP), is all the short reading
 * sees. Read again out to SECTOR_DEPTH, in SECTORS directions: a halo
 * falls all round, by MIN_CONTRAST at least (the fall a reflection must
 * stand out by) and MIN_TAIL of it past 4 px, in at least
 * MIN_SOFT_SECTORS of the sectors (print, a card's edge or another object
 * may cut the rest); docs/checks.md, "Round 19: a halo read per
 * direction" and "Round 33". core: NULL, or a frayed region's solid core
 * (its mask), read the same way: the paper around it, the rest of its
 * region included, where the print test of the core reads the print's
 * layout as much as the halo. */
static bool soft_around(const idp_image *grey, const sat_run *runs, size_t n_runs, uint8_t *mark,
                        uint8_t *dist, uint32_t *queue, uint32_t *hist, const region *r,
                        const uint8_t *core, uint32_t *sect)
{
    ring rg;
    uint32_t soft = 0;
    idp_glare_ring(grey, runs, n_runs, mark, dist, queue, hist, r, core, SECTOR_DEPTH, sect, &rg);
    for (uint32_t s = 0; s < SECTORS; s++)
        soft +=
            rg.sector_ramp[s] >= MIN_CONTRAST && rg.sector_tail[s] >= MIN_TAIL * rg.sector_ramp[s];
    IDP_TRACE("glare:  sectors %s depth %u soft %u:", core != NULL ? "core" : "region", rg.depth,
              soft);
    for (uint32_t s = 0; s < SECTORS; s++)
        IDP_TRACE(" %.0f/%.0f", rg.sector_ramp[s], rg.sector_tail[s]);
    IDP_TRACE("\n");
    return soft >= MIN_SOFT_SECTORS;
}

/* Judges region r (or its core: a mask over r's bounding box with
 * core_area pixels) by the tests above; fills *b. */
static void judge(const idp_image *grey, const sat_run *runs, size_t n_runs, uint8_t *mark,
                  uint8_t *dist, uint32_t *queue, uint32_t *hist, const region *r,
                  const uint8_t *core, uint32_t area, uint8_t level, uint32_t *sect,
                  idp_glare_blob *b)
{
    const double req = sqrt((double)area / IDP_PI);
    uint32_t depth = (uint32_t)lround(core != NULL ? req : req / 3);
    const uint32_t dmax = core != NULL ? RING_MAX : RING_BLOB;
    ring rg;
    depth = depth < RING_MIN ? RING_MIN : (depth > dmax ? dmax : depth);
    idp_glare_ring(grey, runs, n_runs, mark, dist, queue, hist, r, core, depth, NULL, &rg);
    /* the crack length of a digital disc of radius r is ~8r (its
     * 4-neighbour perimeter), not 2 pi r; holes filled; the image's edge
     * counts (a blob cut by it is still compact, the white margin of a
     * scan along it is not) */
    const double filled = (double)area + rg.holes;
    const double compact = (rg.outer + rg.edge) / (8.0 * sqrt(filled / IDP_PI));
    const double step = level - rg.paper1;
    double contrast = level - rg.mean;
    double ramp = rg.paper2 - rg.paper, tail = rg.paper4 - rg.paper;
    memset(b, 0, sizeof(*b));

    b->area = area;
    b->x0 = r->x0;
    b->y0 = r->y0;
    b->x1 = r->x1;
    b->y1 = r->y1;
    b->compactness = compact;
    b->holes = filled > 0 ? rg.holes / filled : 0.0;
    b->inner_ink = isnan(rg.inner_ink) ? 0.0 : rg.inner_ink;
    b->step = step;
    b->ramp = ramp;
    b->tail = tail;
    b->depth = rg.depth;
    b->contrast = contrast;
    if (core == NULL) {
        b->specular = rg.outer > 0 && compact <= MAX_COMPACTNESS && ramp >= MIN_RAMP &&
                      ramp >= step && tail >= MIN_TAIL * ramp && contrast >= MIN_CONTRAST;
        /* no step down at its border larger than the fall after it (a
         * print edge), however little the paper fell out to depth */
        if (!b->specular && rg.outer > 0 && compact <= MAX_COMPACTNESS && ramp >= step &&
            contrast >= MIN_CONTRAST && sect != NULL)
            b->specular = soft_around(grey, runs, n_runs, mark, dist, queue, hist, r, NULL, sect);
        return;
    }
    /* a core's surroundings hold the rest of its region (white print and
     * blank fields the halo lifted past the level): brighter than the
     * card's white only by this reflection's light, so they are not the
     * paper the core must outshine; the unclipped pixels are */
    b->contrast = contrast = isnan(rg.mean_lit) ? 0.0 : level - rg.mean_lit;
    /* a core: its surroundings' paper is clipped by the halo, so the halo
     * shows in the print (ink and tint, the 25th percentile), which it
     * lifts more the nearer the core; docs/checks.md */
    b->ramp = ramp = rg.print_at[2] - rg.print_at[rg.depth];
    /* here: the largest fall over CORE_EDGE px that stays: measured to
     * the highest print from CORE_EDGE px on, out to the ring's depth. The
     * end of a printed white field is a step down that stays down; a line
     * or band of print the rings cross further out dips the print and the
     * halo's fall goes on past it (round 18, docs/checks.md) */
    tail = 0;
    for (uint32_t d = 2; d + CORE_EDGE <= rg.depth; d++) {
        double after = rg.print_at[d + CORE_EDGE];
        for (uint32_t e = d + CORE_EDGE + 1; e <= rg.depth; e++)
            after = fmax(after, rg.print_at[e]);
        tail = fmax(tail, rg.print_at[d] - after);
    }
    b->tail = tail;
    const double outer = rg.print_at[(rg.depth + 2) / 2] - rg.print_at[rg.depth];
    b->specular = rg.outer > 0 && compact <= MAX_COMPACTNESS && ramp >= MIN_RAMP &&
                  tail <= CORE_STEP * ramp && outer >= CORE_HALF * ramp &&
                  ramp - outer >= CORE_HALF * ramp && contrast >= MIN_CONTRAST;
}

/* A region that passed every test of its surroundings (a soft edge on the
 * paper, brighter than around it) and failed only on compactness. */
static bool soft_but_frayed(const idp_glare_blob *b)
{
    return b->compactness > MAX_COMPACTNESS && b->ramp >= MIN_RAMP && b->ramp >= b->step &&
           b->tail >= MIN_TAIL * b->ramp && b->contrast >= MIN_CONTRAST;
}

static int by_area_desc(const void *a, const void *b)
{
    const region *ra = a, *rb = b;
    return ra->area < rb->area ? 1 : (ra->area > rb->area ? -1 : 0);
}

/* One pass of the detector with saturated meaning luma >= level. */
static idp_status measure_at(idp_ctx *ctx, const idp_image *grey, uint8_t level, idp_glare *out)
{
    const uint32_t w = grey->width, h = grey->height;
    const size_t n = (size_t)w * h;
    sat_run *runs = NULL;
    size_t n_runs = 0;
    uint32_t *stack = NULL;
    uint8_t *dist = NULL, *mark = NULL;
    uint32_t *hist = NULL, *sect = NULL;
    region *regs = NULL;
    size_t n_regs = 0;
    uint64_t saturated = 0, specular = 0;
    idp_glare_blob kept[IDP_GLARE_MAX_BLOBS], other[IDP_GLARE_MAX_BLOBS];
    size_t n_kept = 0, n_other = 0;
    idp_status st = IDP_OK;

    memset(out, 0, sizeof(*out));
#ifdef IDP_DETECT_TRACE
    if (getenv("IDP_TRACE_GLARE_PGM") != NULL) { /* the measured copy, for a developer */
        FILE *f = fopen(getenv("IDP_TRACE_GLARE_PGM"), "wb");
        if (f != NULL) {
            fprintf(f, "P5\n%u %u\n255\n", w, h);
            fwrite(grey->data, 1, n, f);
            fclose(f);
        }
    }
#endif
    /* the queue packs (y << 16 | x); the grey copy is at most 8192 px */
    if (grey->channels != 1 || n == 0 || w > 0xFFFFu || h > 0xFFFFu)
        return IDP_OK;
    {
        size_t i = 0; /* most photos have no saturated pixel: nothing to label */
        while (i < n && grey->data[i] < level)
            i++;
        if (i == n)
            return IDP_OK;
    }
    stack = malloc(n * sizeof(*stack));
    dist = calloc(n, 1);
    mark = calloc(n, 1);
    hist = malloc(sizeof(*hist) * 256 * (RING_MAX + 1));
    sect = malloc(sizeof(*sect) * SECTOR_HIST);
    if (stack == NULL || dist == NULL || mark == NULL || hist == NULL || sect == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, "out of memory for glare labels (%ux%u)", w, h);
        goto out;
    }
    const double min_area = fmax(MIN_AREA, MIN_SHARE * (double)n);
    if (!label_regions(grey, level, &runs, &n_runs, &regs, &n_regs)) {
        st = idp_fail(ctx, IDP_E_NOMEM, "out of memory for glare regions");
        goto out;
    }
    {
        size_t kept_regs = 0; /* the regions big enough to judge */
        for (size_t k = 0; k < n_regs; k++) {
            saturated += regs[k].area;
            if ((double)regs[k].area >= min_area)
                regs[kept_regs++] = regs[k];
        }
        n_regs = kept_regs;
    }
    if ((double)saturated > MIN_PAPER_SHARE * (double)n) {
        uint64_t light = 0; /* the paper, if it is the paper that clips */
        for (size_t i = 0; i < n; i++)
            light += grey->data[i] >= MID_SCALE;
        out->paper_clipped = (double)saturated / (double)light;
        IDP_TRACE("glare: paper clipped %.3f\n", out->paper_clipped);
    }
    /* no paper below the level: nothing is a reflection */
    const bool paper_at_level = out->paper_clipped > MAX_PAPER_CLIPPED;
    if (n_regs > 1)
        qsort(regs, n_regs, sizeof(*regs), by_area_desc);
    for (size_t k = 0; k < n_regs; k++) {
        const region *r = &regs[k];
        const double box = ((double)r->x1 - r->x0 + 1) * ((double)r->y1 - r->y0 + 1);
        idp_glare_blob b;
        /* a scatter of white (print, speckle) fills little of its box: not
         * one blob, and not worth a pass over the box; likewise past the
         * MAX_JUDGED largest regions */
        if (k >= MAX_JUDGED || (double)r->area < MIN_FILL * box)
            continue;
        judge(grey, runs, n_runs, mark, dist, stack, hist, r, NULL, r->area, level, sect, &b);
        if (b.inner_ink > MAX_INNER_INK || paper_at_level)
            b.specular = false; /* print under its middle, or no paper below the level */
        else if (!b.specular) {
            /* the reflection's solid core, without the white print its
             * halo pushed over the level (docs/checks.md) */
            uint8_t *core = malloc((size_t)box);
            uint16_t *dt = malloc((size_t)box * sizeof(*dt));
            if (core == NULL || dt == NULL) {
                free(core);
                free(dt);
                st = idp_fail(ctx, IDP_E_NOMEM, "out of memory for a glare core");
                goto out;
            }
            const uint32_t core_area = idp_glare_open_core(runs, n_runs, r, dt, core);
            if ((double)core_area >= min_area) {
                idp_glare_blob c;
                judge(grey, runs, n_runs, mark, dist, stack, hist, r, core, core_area, level, NULL,
                      &c);
                IDP_TRACE("glare:  core %u px compact %.2f ramp %.1f tail %.1f depth %u "
                          "contrast %.1f specular %d\n",
                          core_area, c.compactness, c.ramp, c.tail, c.depth, c.contrast,
                          (int)c.specular);
                /* the print around a core dips and rises with the lines
                 * of print the rings cross; the paper read per direction
                 * does not (docs/checks.md, "Round 33") */
                if (!c.specular && c.compactness <= CORE_ELLIPSE && c.contrast >= MIN_CONTRAST)
                    c.specular =
                        soft_around(grey, runs, n_runs, mark, dist, stack, hist, r, core, sect);
                if (c.specular) {
                    c.area = r->area; /* the whole region is lit by it */
                    b = c;
                } else if (soft_but_frayed(&b) && c.compactness <= CORE_ELLIPSE &&
                           c.ramp >= MIN_RAMP) {
                    /* white print joined to a reflection by its halo frays
                     * the region's outline, but the paper around the
                     * region falls off as a halo's does, its solid core is
                     * compact and the print around the core is lifted
                     * towards it (docs/checks.md, "frayed") */
                    b.specular = true;
                }
            }
            free(core);
            free(dt);
        }
        IDP_TRACE(
            "glare: region %u px box %u,%u-%u,%u compact %.2f holes %.2f inner %.3f step %.0f "
            "ramp %.1f tail %.1f depth %u contrast %.1f specular %d\n",
            r->area, r->x0, r->y0, r->x1, r->y1, b.compactness, b.holes, b.inner_ink, b.step,
            b.ramp, b.tail, b.depth, b.contrast, (int)b.specular);
        if (b.specular) {
            specular += r->area;
            out->n_specular++;
        }
        /* regions come largest first: keep the first of each kind */
        size_t *count = b.specular ? &n_kept : &n_other;
        if (*count == IDP_GLARE_MAX_BLOBS)
            continue;
        (b.specular ? kept : other)[(*count)++] = b;
    }
    /* the specular blobs first, then the largest of the others */
    for (size_t k = 0; k < n_kept; k++)
        out->blobs[out->n_blobs++] = kept[k];
    for (size_t k = 0; k < n_other && out->n_blobs < IDP_GLARE_MAX_BLOBS; k++)
        out->blobs[out->n_blobs++] = other[k];
    out->n_judged = (uint32_t)n_regs;
    out->saturated = (double)saturated / (double)n;
    out->share = (double)specular / (double)n;
out:
    free(runs);
    free(stack);
    free(dist);
    free(mark);
    free(hist);
    free(sect);
    free(regs);
    return st;
}

idp_status idp_measure_glare(idp_ctx *ctx, const idp_image *grey, idp_glare *out)
{
    return measure_at(ctx, grey, IDP_GLARE_SAT, out);
}
