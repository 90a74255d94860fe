/* idp_split: where the documents are on a scanned page.
 *
 * The page is cut into cells of 1 mm. A cell holds content when more than
 * 3 % of its pixels differ from the page's background (its brightest
 * common grey, found from a histogram) by more than CONTENT_DELTA in luma,
 * or are coloured. Rows and columns of cells holding content are then
 * grouped into runs separated by blank bands of IDP_SPLIT_GAP_MM or more.
 * Two runs along one axis, each of a document's size and shape, are two
 * documents; one region is the page itself; anything else is unsure, and
 * the caller says so rather than guess. */
#include "idp_split.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CONTENT_DELTA 40
#define CHROMA_DELTA 48
#define MARGIN_MM 4

typedef struct grid {
    uint32_t gw, gh;
    double cell; /* pixels per cell */
    uint8_t *on; /* gw * gh */
} grid;

static unsigned luma(const uint8_t *p)
{
    return (77u * p[0] + 150u * p[1] + 29u * p[2]) >> 8;
}

static unsigned background(const idp_image *img)
{
    uint32_t hist[256] = {0}, x, y, best = 0, stepx, stepy;
    unsigned v, bg = 255;

    stepx = img->width / 256 + 1;
    stepy = img->height / 256 + 1;
    for (y = 0; y < img->height; y += stepy)
        for (x = 0; x < img->width; x += stepx)
            hist[luma(img->data + ((size_t)y * img->width + x) * 3)]++;
    /* The most common level among the light ones (a scanner's lid). */
    for (v = 128; v < 256; v++)
        if (hist[v] >= best) {
            best = hist[v];
            bg = v;
        }
    return bg;
}

static bool make_grid(const idp_image *img, double px_per_mm, grid *g)
{
    unsigned bg = background(img);
    uint32_t gx, gy, x, y;

    g->cell = px_per_mm >= 1.0 ? px_per_mm : 1.0;
    g->gw = (uint32_t)(img->width / g->cell);
    g->gh = (uint32_t)(img->height / g->cell);
    if (g->gw == 0 || g->gh == 0)
        return false;
    g->on = calloc((size_t)g->gw * g->gh, 1);
    if (g->on == NULL)
        return false;
    for (gy = 0; gy < g->gh; gy++) {
        uint32_t y0 = (uint32_t)(gy * g->cell), y1 = (uint32_t)((gy + 1) * g->cell);
        for (gx = 0; gx < g->gw; gx++) {
            uint32_t x0 = (uint32_t)(gx * g->cell), x1 = (uint32_t)((gx + 1) * g->cell);
            uint32_t n = 0, hit = 0;
            for (y = y0; y < y1 && y < img->height; y++) {
                const uint8_t *p = img->data + ((size_t)y * img->width + x0) * 3;
                for (x = x0; x < x1 && x < img->width; x++, p += 3) {
                    int mx =
                        p[0] > p[1] ? (p[0] > p[2] ? p[0] : p[2]) : (p[1] > p[2] ? p[1] : p[2]);
                    int mn =
                        p[0] < p[1] ? (p[0] < p[2] ? p[0] : p[2]) : (p[1] < p[2] ? p[1] : p[2]);
                    n++;
                    if ((int)bg - (int)luma(p) > CONTENT_DELTA || mx - mn > CHROMA_DELTA)
                        hit++;
                }
            }
            g->on[(size_t)gy * g->gw + gx] = n > 0 && hit * 100 > n * 3;
        }
    }
    return true;
}

typedef struct run {
    uint32_t a, b; /* cells [a, b) */
} run;

/* Runs of cells with content along one axis (rows: along y), within the
 * cross range [c0, c1). Returns their number (up to max kept). */
static unsigned runs_of(const grid *g, bool along_y, uint32_t c0, uint32_t c1, run *out,
                        unsigned max)
{
    uint32_t n = along_y ? g->gh : g->gw, i, j, gap = IDP_SPLIT_GAP_MM + 1, start = 0;
    unsigned count = 0;
    bool in = false;

    for (i = 0; i <= n; i++) {
        bool has = false;
        if (i < n)
            for (j = c0; j < c1 && !has; j++)
                has = along_y ? g->on[(size_t)i * g->gw + j] : g->on[(size_t)j * g->gw + i];
        if (has) {
            if (!in) {
                /* a gap narrower than the minimum joins the runs */
                start = i;
                if (count > 0 && gap < IDP_SPLIT_GAP_MM) {
                    count--;
                    if (count < max)
                        start = out[count].a;
                }
                in = true;
            }
            gap = 0;
        } else {
            if (in) {
                if (count < max)
                    out[count] = (run){start, i};
                count++;
                in = false;
            }
            gap++;
        }
    }
    return count;
}

/* The content's bounding box within a band of cells. */
static idp_rect box_of(const grid *g, bool along_y, run r)
{
    uint32_t x0 = UINT32_MAX, y0 = UINT32_MAX, x1 = 0, y1 = 0, x, y;
    uint32_t ya = along_y ? r.a : 0, yb = along_y ? r.b : g->gh;
    uint32_t xa = along_y ? 0 : r.a, xb = along_y ? g->gw : r.b;

    for (y = ya; y < yb; y++)
        for (x = xa; x < xb; x++)
            if (g->on[(size_t)y * g->gw + x]) {
                x0 = x < x0 ? x : x0;
                y0 = y < y0 ? y : y0;
                x1 = x + 1 > x1 ? x + 1 : x1;
                y1 = y + 1 > y1 ? y + 1 : y1;
            }
    if (x0 == UINT32_MAX)
        return (idp_rect){0, 0, 0, 0};
    return (idp_rect){x0, y0, x1 - x0, y1 - y0};
}

static bool document_shaped(idp_rect r)
{
    double lo = r.w < r.h ? r.w : r.h, hi = r.w < r.h ? r.h : r.w;

    return lo >= IDP_SPLIT_MIN_MM && hi / lo >= 1.15 && hi / lo <= 2.0;
}

/* Cells to pixels, with a margin, clamped to the page and to the middle
 * of the gap towards the other part (lim_a..lim_b along the split axis). */
static idp_rect to_pixels(const grid *g, const idp_image *img, idp_rect r, bool along_y,
                          uint32_t lim_a, uint32_t lim_b)
{
    double x0 = ((double)r.x - MARGIN_MM) * g->cell, y0 = ((double)r.y - MARGIN_MM) * g->cell;
    double x1 = ((double)(r.x + r.w) + MARGIN_MM) * g->cell;
    double y1 = ((double)(r.y + r.h) + MARGIN_MM) * g->cell;
    double a = lim_a * g->cell, b = lim_b * g->cell;

    if (along_y) {
        y0 = y0 < a ? a : y0;
        y1 = y1 > b ? b : y1;
    } else {
        x0 = x0 < a ? a : x0;
        x1 = x1 > b ? b : x1;
    }
    x0 = x0 < 0 ? 0 : x0;
    y0 = y0 < 0 ? 0 : y0;
    x1 = x1 > img->width ? img->width : x1;
    y1 = y1 > img->height ? img->height : y1;
    return (idp_rect){(uint32_t)x0, (uint32_t)y0, (uint32_t)(x1 - x0), (uint32_t)(y1 - y0)};
}

idp_split_result idp_split_page(const idp_image *page, double px_per_mm, idp_rect parts[2],
                                unsigned *regions)
{
    grid g = {0, 0, 0, NULL};
    run ry[8], rx[8];
    unsigned ny, nx, axis;
    idp_split_result res = IDP_SPLIT_UNSURE;

    memset(parts, 0, 2 * sizeof(*parts));
    *regions = 0;
    if (page->channels != 3 || !make_grid(page, px_per_mm, &g))
        return IDP_SPLIT_UNSURE;
    ny = runs_of(&g, true, 0, g.gw, ry, 8);
    nx = runs_of(&g, false, 0, g.gh, rx, 8);
    if (ny == 0 || nx == 0) {
        res = IDP_SPLIT_BLANK;
        goto out;
    }
    *regions = ny > nx ? ny : nx;
    if (ny == 1 && nx == 1) {
        res = IDP_SPLIT_ONE;
        goto out;
    }
    /* Two runs along one axis: one above the other first, then side by side. */
    for (axis = 0; axis < 2; axis++) {
        bool along_y = axis == 0;
        const run *r = along_y ? ry : rx;
        idp_rect b0, b1;
        uint32_t mid;

        if ((along_y ? ny : nx) != 2)
            continue;
        b0 = box_of(&g, along_y, r[0]);
        b1 = box_of(&g, along_y, r[1]);
        /* inside each run, the content must be one block the other way */
        if (!document_shaped(b0) || !document_shaped(b1))
            continue;
        mid = (r[0].b + r[1].a) / 2;
        parts[0] = to_pixels(&g, page, b0, along_y, 0, mid);
        parts[1] = to_pixels(&g, page, b1, along_y, mid, along_y ? g.gh + 1 : g.gw + 1);
        *regions = 2;
        res = IDP_SPLIT_TWO;
        goto out;
    }
out:
    free(g.on);
    return res;
}
