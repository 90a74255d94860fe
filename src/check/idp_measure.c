/* The raw measurements behind the photo checks. Each is one pass over a
 * grey copy of about measure_side pixels on the long side (colourfulness
 * samples the RGB pixels on a grid of at most about 250 000), so checking
 * costs little next to decoding. */
#include "idp_measure.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* BT.601 luma in 16-bit fixed point (19595 + 38470 + 7471 = 65536). */
static inline uint32_t luma601(const uint8_t *p)
{
    return (19595u * p[0] + 38470u * p[1] + 7471u * p[2] + 32768u) >> 16;
}

/* Where source column (or row) i of n lands in a target of m < n cells:
 * the cell it starts in and its weight there, in 256ths; the rest of its
 * 256 goes to the next cell (a source pixel is narrower than a cell, so it
 * touches at most two). */
typedef struct span {
    uint32_t cell;
    uint32_t w0; /* 1..256 */
} span;

static void make_spans(span *sp, uint32_t n, uint32_t m)
{
    /* In units of 1/n of a target cell, source pixel i covers
     * [i*m, (i+1)*m): exact integers, so every cell gets at least one
     * pixel starting in it (m < n) and cells never skip. */
    for (uint32_t i = 0; i < n; i++) {
        const uint64_t a = (uint64_t)i * m, b = a + m;
        uint32_t c = (uint32_t)(a / n), w0 = 256;
        const uint64_t edge = ((uint64_t)c + 1) * n;
        if (b > edge && c + 1 < m) {
            w0 = (uint32_t)(((edge - a) * 256 + m / 2) / m);
            w0 = w0 < 1 ? 1 : w0;
        }
        sp[i].cell = c;
        sp[i].w0 = w0;
    }
}

/* Where each target column takes its source columns from: the columns
 * [begin, end) start in it (the last may straddle into the next cell, with
 * weight `last` here), and column begin - 1 may straddle in from the left
 * with weight `prev`. Lets a row be reduced without branches. */
typedef struct cell_span {
    uint32_t begin, end, prev_x;
    uint32_t last, prev;
    double inv; /* 1 / the total weight of the cell */
} cell_span;

static void make_cells(cell_span *cs, const span *xs, uint32_t w, uint32_t dw)
{
    memset(cs, 0, sizeof(*cs) * dw);
    for (uint32_t x = w; x-- > 0;)
        cs[xs[x].cell].begin = x;
    for (uint32_t c = 0; c < dw; c++) {
        uint64_t total;
        cs[c].end = c + 1 < dw ? cs[c + 1].begin : w;
        cs[c].last = xs[cs[c].end - 1].w0;
        cs[c].prev_x = cs[c].begin > 0 ? cs[c].begin - 1 : 0;
        cs[c].prev = cs[c].begin > 0 ? 256u - xs[cs[c].begin - 1].w0 : 0;
        total = 256u * (uint64_t)(cs[c].end - 1 - cs[c].begin) + cs[c].last + cs[c].prev;
        cs[c].inv = 1.0 / (double)total;
    }
}

/* Reduces one finished target row horizontally: col[] holds, per source
 * column, the vertically weighted sum of its luma (and prefix[] their
 * running sums); each output is divided by the weight its cell actually
 * received, so a flat area stays exactly flat. */
static void flush_row(uint8_t *o, const uint32_t *col, uint64_t *prefix, uint32_t w,
                      const cell_span *cs, uint32_t dw, uint64_t wy)
{
    const double inv_y = 1.0 / (double)wy;
    uint64_t run = 0;

    for (uint32_t x = 0; x < w; x++) {
        prefix[x] = run;
        run += col[x];
    }
    for (uint32_t c = 0; c < dw; c++) {
        const cell_span *k = &cs[c];
        const uint64_t sum = 256u * (prefix[k->end - 1] - prefix[k->begin]) +
                             (uint64_t)col[k->end - 1] * k->last +
                             (uint64_t)col[k->prev_x] * k->prev;
        const double d = (double)sum * k->inv * inv_y + 0.5;
        o[c] = (uint8_t)(d >= 255.0 ? 255.0 : d);
    }
}

/* Area average of a w x h image (1 or 3 channels) into grey dw x dh,
 * dw <= w, dh <= h, in one pass over the source with integer weights.
 * Vertical first: col0/col1 accumulate, per source column, the luma of the
 * source rows that fall in the current target row and the next one; a
 * finished row is then reduced horizontally (dh times, not h times). */
static idp_status area_average(idp_ctx *ctx, const idp_image *src, idp_image *grey)
{
    const uint32_t w = src->width, h = src->height, dw = grey->width, dh = grey->height;
    const size_t stride = idp_image_stride(src);
    span *xs = NULL, *ys = NULL;
    uint32_t *col0 = NULL, *col1 = NULL;
    uint64_t *prefix = NULL, wy0sum = 0, wy1sum = 0;
    cell_span *cs = NULL;
    uint32_t cur = 0; /* the target row being filled (col0) */
    idp_status st = IDP_OK;

    xs = malloc(sizeof(*xs) * w);
    ys = malloc(sizeof(*ys) * h);
    col0 = calloc(w, sizeof(*col0));
    col1 = calloc(w, sizeof(*col1));
    prefix = malloc(sizeof(*prefix) * w);
    cs = malloc(sizeof(*cs) * dw);
    if (xs == NULL || ys == NULL || col0 == NULL || col1 == NULL || prefix == NULL || cs == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, "out of memory for a %ux%u grey copy", dw, dh);
        goto out;
    }
    make_spans(xs, w, dw);
    make_spans(ys, h, dh);
    make_cells(cs, xs, w, dw);

    for (uint32_t y = 0; y < h; y++) {
        const uint8_t *restrict p = src->data + (size_t)y * stride;
        const uint32_t wy0 = ys[y].w0, wy1 = 256u - wy0;

        if (ys[y].cell != cur) { /* the row in col0 is complete */
            uint32_t *t = col0;
            flush_row(grey->data + (size_t)cur * dw, col0, prefix, w, cs, dw, wy0sum);
            col0 = col1;
            col1 = t;
            memset(col1, 0, sizeof(*col1) * w);
            wy0sum = wy1sum;
            wy1sum = 0;
            cur = ys[y].cell;
        }
        if (src->channels == 3) {
            for (uint32_t x = 0; x < w; x++, p += 3) {
                const uint32_t v = luma601(p);
                col0[x] += v * wy0;
                col1[x] += v * wy1;
            }
        } else {
            for (uint32_t x = 0; x < w; x++) {
                col0[x] += p[x] * wy0;
                col1[x] += p[x] * wy1;
            }
        }
        wy0sum += wy0;
        wy1sum += wy1;
    }
    flush_row(grey->data + (size_t)cur * dw, col0, prefix, w, cs, dw, wy0sum);
out:
    free(xs);
    free(ys);
    free(col0);
    free(col1);
    free(prefix);
    free(cs);
    return st;
}

/* Luma of one source row into a byte row (no scaling). */
static void luma_row(const uint8_t *restrict p, uint32_t channels, uint32_t w,
                     uint8_t *restrict dst)
{
    if (channels == 1) {
        memcpy(dst, p, w);
        return;
    }
    for (uint32_t x = 0; x < w; x++, p += 3)
        dst[x] = (uint8_t)luma601(p);
}

idp_status idp_measure_grey(idp_ctx *ctx, const idp_image *rgb, uint32_t max_side, idp_image **out)
{
    idp_image *grey = NULL;
    uint32_t w = rgb->width, h = rgb->height, dw = w, dh = h, longest = w > h ? w : h;
    idp_status st = IDP_OK;

    *out = NULL;
    if (rgb->channels != 1 && rgb->channels != 3)
        return idp_fail(ctx, IDP_E_USAGE, "grey copy: %u channels are not supported",
                        rgb->channels);
    if (max_side > 0 && longest > max_side) {
        /* Keep the aspect ratio; round, but never to zero. */
        dw = (uint32_t)(((uint64_t)w * max_side + longest / 2) / longest);
        dh = (uint32_t)(((uint64_t)h * max_side + longest / 2) / longest);
        dw = dw ? dw : 1;
        dh = dh ? dh : 1;
    }
    st = idp_image_create(ctx, dw, dh, 1, &grey);
    if (st != IDP_OK)
        goto out;
    if (dw == w && dh == h) {
        for (uint32_t y = 0; y < h; y++)
            luma_row(rgb->data + (size_t)y * idp_image_stride(rgb), rgb->channels, w,
                     grey->data + (size_t)y * dw);
    } else {
        st = area_average(ctx, rgb, grey);
        if (st != IDP_OK)
            goto out;
    }
    *out = grey;
    grey = NULL;
out:
    idp_image_destroy(grey);
    return st;
}

double idp_measure_sharpness(const idp_image *grey)
{
    const uint32_t w = grey->width, h = grey->height;
    uint64_t n = 0;
    int64_t sum = 0;
    uint64_t sum2 = 0;

    if (w < 3 || h < 3)
        return 0.0;
    for (uint32_t y = 1; y + 1 < h; y++) {
        const uint8_t *up = grey->data + (size_t)(y - 1) * w;
        const uint8_t *row = up + w, *down = row + w;
        int64_t rs = 0;
        uint64_t rs2 = 0;
        for (uint32_t x = 1; x + 1 < w; x++) {
            int32_t lap = 4 * (int32_t)row[x] - row[x - 1] - row[x + 1] - up[x] - down[x];
            rs += lap;
            rs2 += (uint64_t)((int64_t)lap * lap);
        }
        sum += rs;
        sum2 += rs2;
        n += w - 2;
    }
    {
        const double mean = (double)sum / (double)n;
        const double var = (double)sum2 / (double)n - mean * mean;
        return var > 0.0 ? var : 0.0;
    }
}

void idp_measure_exposure(const idp_image *grey, idp_exposure *out)
{
    const size_t n = (size_t)grey->width * grey->height * grey->channels;
    uint64_t hist[256] = {0};
    uint64_t sum = 0, dark = 0, bright = 0;

    memset(out, 0, sizeof(*out));
    if (n == 0)
        return;
    for (size_t i = 0; i < n; i++)
        hist[grey->data[i]]++;
    for (unsigned v = 0; v < 256; v++) {
        sum += hist[v] * v;
        if (v <= 5)
            dark += hist[v];
        if (v >= 250)
            bright += hist[v];
    }
    out->mean_luma = (double)sum / (double)n;
    out->shadow_clip = (double)dark / (double)n;
    out->highlight_clip = (double)bright / (double)n;
}

double idp_measure_colourfulness(const idp_image *rgb)
{
    const uint32_t w = rgb->width, h = rgb->height;
    uint32_t step = 1;
    int64_t scb = 0, scr = 0;
    uint64_t s2 = 0, n = 0;

    if (rgb->channels != 3 || w == 0 || h == 0)
        return 0.0;
    /* Sample a regular grid of at most about 250 000 pixels: plenty for a
     * mean, and a quarter of the work on a 1000 px copy. */
    while ((uint64_t)((w + step - 1) / step) * ((h + step - 1) / step) > 250000u)
        step++;
    for (uint32_t y = 0; y < h; y += step) {
        const uint8_t *p = rgb->data + (size_t)y * idp_image_stride(rgb);
        int64_t rcb = 0, rcr = 0;
        uint64_t r2 = 0;
        for (uint32_t x = 0; x < w; x += step, p += 3 * (size_t)step) {
            /* BT.601 chroma (JPEG Cb, Cr) times 256 */
            const int32_t cb = -43 * p[0] - 85 * p[1] + 128 * p[2];
            const int32_t cr = 128 * p[0] - 107 * p[1] - 21 * p[2];
            rcb += cb;
            rcr += cr;
            r2 += (uint64_t)((int64_t)cb * cb + (int64_t)cr * cr);
            n++;
        }
        scb += rcb;
        scr += rcr;
        s2 += r2;
    }
    {
        /* RMS distance from the image's mean chroma: a colour cast over a
         * black-and-white copy (a photocopy under warm light) is not colour. */
        const double dn = (double)n, mcb = (double)scb / dn, mcr = (double)scr / dn;
        const double var = ((double)s2 / dn - mcb * mcb - mcr * mcr) / (256.0 * 256.0);
        return var > 0.0 ? sqrt(var) : 0.0;
    }
}

double idp_measure_flatness(const idp_image *grey)
{
    const uint32_t bw = grey->width / 8, bh = grey->height / 8;
    const size_t stride = idp_image_stride(grey);
    uint64_t flat = 0;

    if (grey->channels != 1 || bw == 0 || bh == 0)
        return 0.0;
    for (uint32_t by = 0; by < bh; by++) {
        const uint8_t *base = grey->data + (size_t)by * 8 * stride;
        for (uint32_t bx = 0; bx < bw; bx++) {
            const uint8_t *b = base + (size_t)bx * 8, v = b[0];
            int same = 1;
            for (uint32_t y = 0; y < 8 && same; y++) {
                const uint8_t *r = b + (size_t)y * stride;
                for (uint32_t x = 0; x < 8; x++)
                    same &= r[x] == v;
            }
            flat += (uint64_t)same;
        }
    }
    return (double)flat / ((double)bw * bh);
}

uint64_t idp_measure_dhash(const idp_image *grey)
{
    const uint32_t w = grey->width, h = grey->height;
    uint64_t sum[8][9] = {{0}}, cnt[8][9] = {{0}};
    uint64_t hash = 0;

    if (grey->channels != 1 || w == 0 || h == 0)
        return 0;
    /* Average over a 9x8 grid of cells with whole-pixel edges (pixel x
     * goes to column floor(9x / w), row floor(8y / h)). */
    for (uint32_t y = 0; y < h; y++) {
        const uint8_t *row = grey->data + (size_t)y * w;
        const uint32_t cy = (uint32_t)(((uint64_t)y * 8) / h);
        uint32_t x = 0;
        for (uint32_t c = 0; c < 9; c++) {
            const uint32_t end = (uint32_t)(((uint64_t)(c + 1) * w + 8) / 9);
            uint64_t s = 0;
            uint32_t start = x;
            for (; x < end && x < w; x++)
                s += row[x];
            sum[cy][c] += s;
            cnt[cy][c] += x - start;
        }
    }
    for (uint32_t y = 0; y < 8; y++) {
        for (uint32_t x = 0; x < 8; x++) {
            /* left brighter than right, compared without dividing */
            const uint64_t l = sum[y][x] * (cnt[y][x + 1] ? cnt[y][x + 1] : 1);
            const uint64_t r = sum[y][x + 1] * (cnt[y][x] ? cnt[y][x] : 1);
            hash = (hash << 1) | (uint64_t)(l > r);
        }
    }
    return hash;
}

unsigned idp_hamming64(uint64_t a, uint64_t b)
{
    uint64_t v = a ^ b;
    unsigned n = 0;

    while (v) {
        v &= v - 1;
        n++;
    }
    return n;
}

/* Screen resolutions of common phones, tablets and desktops (portrait or
 * landscape, matched either way round): a photo of exactly this size with
 * no camera data is most likely a screenshot. */
/* clang-format off */
static const uint32_t screen_sizes[][2] = {
    /* iPhone */
    {640, 1136}, {750, 1334}, {828, 1792}, {1080, 2340}, {1125, 2436}, {1170, 2532},
    {1179, 2556}, {1206, 2622}, {1242, 2208}, {1242, 2688}, {1284, 2778}, {1290, 2796},
    {1320, 2868},
    /* Android phones */
    {720, 1280}, {720, 1520}, {720, 1600}, {1080, 1920}, {1080, 2160}, {1080, 2220},
    {1080, 2280}, {1080, 2400}, {1080, 2408}, {1080, 2640}, {1440, 2560}, {1440, 2960},
    {1440, 3040}, {1440, 3088}, {1440, 3120}, {1440, 3200}, {1344, 2992},
    /* tablets */
    {768, 1024}, {1536, 2048}, {1620, 2160}, {1640, 2360}, {1668, 2224}, {1668, 2388},
    {2048, 2732}, {1200, 1920}, {1600, 2560}, {800, 1280},
    /* desktops and laptops */
    {1024, 768}, {1280, 720}, {1280, 800}, {1280, 1024}, {1366, 768}, {1440, 900},
    {1536, 864}, {1600, 900}, {1680, 1050}, {1920, 1080}, {1920, 1200}, {2560, 1080},
    {2560, 1440}, {2560, 1600}, {2880, 1800}, {3024, 1964}, {3440, 1440}, {3456, 2234},
    {3840, 2160}, {5120, 2880},
};
/* clang-format on */

int idp_is_screen_size(uint32_t w, uint32_t h)
{
    for (size_t i = 0; i < sizeof(screen_sizes) / sizeof(screen_sizes[0]); i++) {
        const uint32_t a = screen_sizes[i][0], b = screen_sizes[i][1];
        if ((w == a && h == b) || (w == b && h == a))
            return 1;
    }
    return 0;
}
