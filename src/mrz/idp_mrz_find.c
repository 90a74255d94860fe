/* Finding the zone's lines in a photo: a grey copy, print as pixels
 * darker than their neighbourhood, connected components split into rows
 * of text, long thin rows kept, two or three alike rows grouped (the
 * lowest group first). docs/mrz.md, "Finding and reading". */
#include "idp_mrz_ocrb.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef idp_mrz_grey grey;

void idp_mrz_grey_free(grey *g)
{
    if (g->p != NULL)
        idp_wipe(g->p, (size_t)g->w * g->h);
    free(g->p);
    g->p = NULL;
}

int idp_mrz_grey_alloc(grey *g, uint32_t w, uint32_t h)
{
    g->w = w;
    g->h = h;
    g->p = (w && h) ? malloc((size_t)w * h) : NULL;
    return g->p != NULL;
}

static inline uint8_t luma(const idp_image *img, uint32_t x, uint32_t y)
{
    const uint8_t *s =
        img->data + (size_t)y * img->width * img->channels + (size_t)x * img->channels;
    if (img->channels < 3)
        return s[0];
    return (uint8_t)((77u * s[0] + 150u * s[1] + 29u * s[2]) >> 8);
}

/* img area-averaged to a long side of at most side, as grey. */
int idp_mrz_grey_from_image(const idp_image *img, uint32_t side, grey *g)
{
    const uint32_t longest = img->width > img->height ? img->width : img->height;
    const uint32_t f = longest > side ? (longest + side - 1) / side : 1;
    if (!idp_mrz_grey_alloc(g, img->width / f, img->height / f))
        return 0;
    for (uint32_t y = 0; y < g->h; y++)
        for (uint32_t x = 0; x < g->w; x++) {
            uint32_t s = 0;
            for (uint32_t j = 0; j < f; j++)
                for (uint32_t i = 0; i < f; i++)
                    s += luma(img, x * f + i, y * f + j);
            g->p[(size_t)y * g->w + x] = (uint8_t)(s / (f * f));
        }
    return 1;
}

/* g turned by quarter turns clockwise into out. */
int idp_mrz_grey_rotate(const grey *g, int quarters, grey *out)
{
    const int odd = quarters & 1;
    if (!idp_mrz_grey_alloc(out, odd ? g->h : g->w, odd ? g->w : g->h))
        return 0;
    for (uint32_t y = 0; y < out->h; y++)
        for (uint32_t x = 0; x < out->w; x++) {
            uint32_t sx, sy;
            switch (quarters & 3) {
            case 1:
                sx = y, sy = g->h - 1 - x;
                break;
            case 2:
                sx = g->w - 1 - x, sy = g->h - 1 - y;
                break;
            case 3:
                sx = g->w - 1 - y, sy = x;
                break;
            default:
                sx = x, sy = y;
            }
            out->p[(size_t)y * out->w + x] = g->p[(size_t)sy * g->w + sx];
        }
    return 1;
}

typedef idp_mrz_box box;

#define MAX_SEGS 4096

/* Splits component `label` (bounding box b) into its text lines: lines
 * closer than their letter height merge into one component, a row with
 * little of it parts them. Appends the lines to segs. */
static int split_rows(const int32_t *lab, uint32_t w, int label, const box *b, box *segs, int n)
{
    int counts[4096], peak = 0;
    const int bh = b->y1 - b->y0 + 1;
    if (bh > 4096)
        return n;
    for (int y = 0; y < bh; y++) {
        const int32_t *row = lab + (size_t)(b->y0 + y) * w;
        int c = 0;
        for (int x = b->x0; x <= b->x1; x++)
            c += row[x] == label;
        counts[y] = c;
        peak = c > peak ? c : peak;
    }
    int y = 0;
    while (y < bh && n < MAX_SEGS) {
        while (y < bh && counts[y] * 5 < peak * 2)
            y++;
        if (y >= bh)
            break;
        box s = {b->x1, b->y0 + y, b->x0, b->y0 + y, 0};
        while (y < bh && counts[y] * 5 >= peak * 2) {
            const int32_t *row = lab + (size_t)(b->y0 + y) * w;
            for (int x = b->x0; x <= b->x1; x++)
                if (row[x] == label) {
                    s.x0 = x < s.x0 ? x : s.x0;
                    s.x1 = x > s.x1 ? x : s.x1;
                    s.n++;
                }
            s.y1 = b->y0 + y;
            y++;
        }
        if (s.y1 - s.y0 >= 2 && s.x1 > s.x0)
            segs[n++] = s;
    }
    return n;
}

static int cmp_x(const void *a, const void *b)
{
    const box *p = a, *q = b;
    return p->x0 - q->x0;
}

/* Joins pieces of one line (a gap between names, a faint run of fillers)
 * and keeps the lines at least min_w wide and 8 times wider than high. */
static int merge_lines(box *segs, int n, int min_w, box *out)
{
    int n_out = 0;
    qsort(segs, (size_t)n, sizeof(*segs), cmp_x);
    for (int i = 0; i < n; i++) {
        if (segs[i].n == 0)
            continue;
        box a = segs[i];
        for (int j = i + 1; j < n; j++) {
            box *c = &segs[j];
            if (c->n == 0)
                continue;
            const int ha = a.y1 - a.y0 + 1, hc = c->y1 - c->y0 + 1, hm = ha > hc ? ha : hc;
            const int ov = (a.y1 < c->y1 ? a.y1 : c->y1) - (a.y0 > c->y0 ? a.y0 : c->y0) + 1;
            if (c->x0 - a.x1 > 6 * hm)
                break;
            if (ov * 10 < (ha < hc ? ha : hc) * 6 || ha > 2 * hc || hc > 2 * ha)
                continue;
            a.x1 = c->x1 > a.x1 ? c->x1 : a.x1;
            a.y0 = c->y0 < a.y0 ? c->y0 : a.y0;
            a.y1 = c->y1 > a.y1 ? c->y1 : a.y1;
            a.n += c->n;
            c->n = 0;
        }
        const int bw = a.x1 - a.x0 + 1, bh = a.y1 - a.y0 + 1;
        if (bw >= min_w && bw >= 8 * bh && n_out < IDP_MRZ_MAX_CANDS)
            out[n_out++] = a;
    }
    return n_out;
}

/* The long, thin runs of dark print in g: a pixel darker than its
 * neighbourhood's mean, runs closed horizontally over gaps up to gap px,
 * then connected components. Keeps those at least min_w wide and at least
 * 8 times wider than high. Returns how many (at most IDP_MRZ_MAX_CANDS). */
void idp_mrz_lines_work_free(idp_mrz_lines_work *work)
{
    free(work->ii);
    free(work->mask);
    free(work->lab);
    free(work->stack);
    free(work->segs);
    memset(work, 0, sizeof(*work));
}

/* work able to hold an image of w x h: kept when it is, else made a
 * quarter larger than that (the shears of one image grow a little each) */
static bool work_fit(idp_mrz_lines_work *work, uint32_t w, uint32_t h)
{
    const size_t px = (size_t)(w + 1) * (h + 1);
    if (work->segs != NULL && work->cap >= px)
        return true;
    idp_mrz_lines_work_free(work);
    const size_t cap = px + px / 4;
    work->ii = malloc(sizeof(*work->ii) * cap);
    work->mask = malloc(cap);
    work->lab = malloc(sizeof(*work->lab) * cap);
    work->stack = malloc(sizeof(*work->stack) * cap);
    work->segs = malloc(sizeof(box) * MAX_SEGS);
    if (work->ii == NULL || work->mask == NULL || work->lab == NULL || work->stack == NULL ||
        work->segs == NULL) {
        idp_mrz_lines_work_free(work);
        return false;
    }
    work->cap = cap;
    return true;
}

int idp_mrz_find_lines(const grey *g, int min_w, box *cands, idp_mrz_lines_work *work)
{
    const uint32_t w = g->w, h = g->h;
    const int r = (int)(w / 40 > 6 ? w / 40 : 6), gap = (int)(w / 70 > 3 ? w / 70 : 3);
    idp_mrz_lines_work own = {0};
    int n_cands = 0, n_lab = 0, n_seg = 0;
    if (work == NULL)
        work = &own;
    if (!work_fit(work, w, h))
        return 0;
    uint32_t *ii = work->ii;
    uint8_t *mask = work->mask;
    int32_t *lab = work->lab;
    box *segs = work->segs;
    memset(mask, 0, (size_t)w * h);
    for (uint32_t x = 0; x <= w; x++)
        ii[x] = 0;
    for (uint32_t y = 0; y < h; y++) {
        uint32_t row = 0;
        ii[(size_t)(y + 1) * (w + 1)] = 0;
        for (uint32_t x = 0; x < w; x++) {
            row += g->p[(size_t)y * w + x];
            ii[(size_t)(y + 1) * (w + 1) + x + 1] = ii[(size_t)y * (w + 1) + x + 1] + row;
        }
    }
    for (uint32_t y = 0; y < h; y++) {
        const int ya = (int)y - r < 0 ? 0 : (int)y - r,
                  yb = (int)y + r + 1 > (int)h ? (int)h : (int)y + r + 1;
        int last = -1;
        for (uint32_t x = 0; x < w; x++) {
            const int xa = (int)x - r < 0 ? 0 : (int)x - r,
                      xb = (int)x + r + 1 > (int)w ? (int)w : (int)x + r + 1;
            const size_t W = w + 1, A = (size_t)ya, B = (size_t)yb, XA = (size_t)xa,
                         XB = (size_t)xb;
            const uint32_t s = ii[B * W + XB] - ii[A * W + XB] - ii[B * W + XA] + ii[A * W + XA];
            const int mean = (int)(s / (uint32_t)((xb - xa) * (yb - ya)));
            /* print: darker than around it, on a light ground (not the
             * dark desk beyond a page edge) */
            if (mean >= 120 && (int)g->p[(size_t)y * w + x] < mean - 8 - mean / 16) {
                if (last >= 0 && (int)x - last <= gap)
                    memset(mask + (size_t)y * w + last + 1, 1, (size_t)((int)x - last - 1));
                mask[(size_t)y * w + x] = 1;
                last = (int)x;
            }
        }
    }
    /* components, 4-connected, by a flood fill with an explicit stack */
    for (size_t i = 0; i < (size_t)w * h; i++)
        lab[i] = -1;
    {
        int32_t *stack = work->stack;
        for (uint32_t y = 0; y < h; y++)
            for (uint32_t x = 0; x < w; x++) {
                size_t i0 = (size_t)y * w + x;
                if (!mask[i0] || lab[i0] >= 0)
                    continue;
                box b = {(int)x, (int)y, (int)x, (int)y, 0};
                size_t sp = 0;
                stack[sp++] = (int32_t)i0;
                lab[i0] = n_lab;
                while (sp > 0) {
                    const size_t i = (size_t)stack[--sp];
                    const int px = (int)(i % w), py = (int)(i / w);
                    b.n++;
                    if (px < b.x0)
                        b.x0 = px;
                    if (px > b.x1)
                        b.x1 = px;
                    if (py < b.y0)
                        b.y0 = py;
                    if (py > b.y1)
                        b.y1 = py;
                    const int nx[4] = {px - 1, px + 1, px, px}, ny[4] = {py, py, py - 1, py + 1};
                    for (int k = 0; k < 4; k++) {
                        if (nx[k] < 0 || ny[k] < 0 || nx[k] >= (int)w || ny[k] >= (int)h)
                            continue;
                        const size_t j = (size_t)ny[k] * w + (size_t)nx[k];
                        if (mask[j] && lab[j] < 0) {
                            lab[j] = n_lab;
                            stack[sp++] = (int32_t)j;
                        }
                    }
                }
                const int bw = b.x1 - b.x0 + 1, bh = b.y1 - b.y0 + 1;
                /* every blob of print: a run of fillers may stay apart */
                if (bh >= 3 && bw >= 3 && bh <= (int)h / 4)
                    n_seg = split_rows(lab, w, n_lab, &b, segs, n_seg);
                n_lab++;
            }
    }
    n_cands = merge_lines(segs, n_seg, min_w, cands);
    idp_mrz_lines_work_free(&own);
    return n_cands;
}

typedef idp_mrz_group group;

static int cmp_y(const void *a, const void *b)
{
    const box *p = a, *q = b;
    return (p->y0 + p->y1) - (q->y0 + q->y1);
}

static int lines_match(const box *a, const box *b, int w)
{
    const int wa = a->x1 - a->x0 + 1, wb = b->x1 - b->x0 + 1;
    const double ha = a->y1 - a->y0 + 1, hb = b->y1 - b->y0 + 1, hm = (ha + hb) / 2;
    const double dy = ((b->y0 + b->y1) - (a->y0 + a->y1)) / 2.0;
    (void)w;
    return wa * 10 >= wb * 3 && wb * 10 >= wa * 3 && ha <= 1.8 * hb && hb <= 1.8 * ha &&
           dy >= 1.1 * hm && dy <= 3.2 * hm && abs(a->x0 - b->x0) <= 3 * hm;
}

/* Groups of two or three consecutive, alike lines; the lowest first. */
int idp_mrz_find_groups(box *c, int n, int w, group *groups)
{
    int ng = 0;
    qsort(c, (size_t)n, sizeof(*c), cmp_y);
    for (int i = n - 1; i >= 1 && ng < IDP_MRZ_MAX_GROUPS; i--) {
        if (!lines_match(&c[i - 1], &c[i], w))
            continue;
        group g;
        memset(&g, 0, sizeof(g));
        g.first = i - 1;
        g.n = 2;
        if (i >= 2 && lines_match(&c[i - 2], &c[i - 1], w)) {
            g.first = i - 2;
            g.n = 3;
        }
        g.area = c[g.first];
        double hs = 0;
        for (int k = g.first; k < g.first + g.n; k++) {
            const box *b = &c[k];
            g.area.x0 = b->x0 < g.area.x0 ? b->x0 : g.area.x0;
            g.area.x1 = b->x1 > g.area.x1 ? b->x1 : g.area.x1;
            g.area.y1 = b->y1 > g.area.y1 ? b->y1 : g.area.y1;
            hs += b->y1 - b->y0 + 1;
            g.line[k - g.first] = *b;
        }
        g.height = hs / g.n;
        groups[ng++] = g;
        i = g.first; /* next group above this one */
    }
    return ng;
}
