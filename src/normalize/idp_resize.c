/* idp_resize: area-averaging (box) downscaling.
 *
 * Each output pixel is the mean of the source area it covers, with exact
 * coverage weights: in coordinates scaled by the output size, output pixel
 * i covers [i*in, (i+1)*in) and source pixel s covers [s*out, (s+1)*out),
 * so every overlap is an integer and the weights of one output pixel sum to
 * `in`. The weights are then scaled to 14-bit fixed point summing to exactly
 * 1 << 14, so a flat area stays flat and power-of-two ratios are exact.
 *
 * Separable: each source row is resampled horizontally once (into a row of
 * 16-bit values with 8 fractional bits) and added, weighted, into a 32-bit
 * accumulator for the output row it belongs to; a source row that straddles
 * two output rows is kept for the next one. No full-size float copy, and
 * it can work in place. */
#include "idp_resize.h"
#include "idp_wipe.h"

#include <stdlib.h>
#include <string.h>

#define W_BITS 14                      /* fixed-point weights: sum 1 << 14 */
#define H_SHIFT 6                      /* horizontal sums kept with 8 fractional bits */
#define V_SHIFT (2 * W_BITS - H_SHIFT) /* 22: back to 8-bit after the vertical pass */

/* The contributions to each output position along one axis. */
typedef struct axis {
    uint32_t *start; /* first source index of output i */
    uint32_t *count; /* number of source indices */
    uint32_t *first; /* index of its first weight in weight[] */
    uint16_t *weight;
} axis;

static void axis_free(axis *a)
{
    free(a->start);
    free(a->count);
    free(a->first);
    free(a->weight);
    memset(a, 0, sizeof(*a));
}

/* Fills a for resampling n_in samples to n_out (1 <= n_out <= n_in). An
 * output position overlaps at most ceil(n_in / n_out) + 1 source samples. */
static idp_status axis_make(idp_ctx *ctx, uint32_t n_in, uint32_t n_out, axis *a)
{
    uint64_t taps = (uint64_t)n_in / n_out + 2, total = taps * n_out;
    uint32_t k = 0;

    memset(a, 0, sizeof(*a));
    if (total > SIZE_MAX / sizeof(uint16_t) || total > UINT32_MAX)
        return idp_fail(ctx, IDP_E_LIMITS, "resize from %u to %u is too large", n_in, n_out);
    a->start = malloc(n_out * sizeof(uint32_t));
    a->count = malloc(n_out * sizeof(uint32_t));
    a->first = malloc(n_out * sizeof(uint32_t));
    a->weight = malloc((size_t)total * sizeof(uint16_t));
    if (a->start == NULL || a->count == NULL || a->first == NULL || a->weight == NULL) {
        axis_free(a);
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory for resize weights");
    }
    for (uint32_t i = 0; i < n_out; i++) {
        uint64_t lo = (uint64_t)i * n_in, hi = lo + n_in; /* scaled by n_out */
        uint32_t s0 = (uint32_t)(lo / n_out), s1 = (uint32_t)((hi + n_out - 1) / n_out);
        uint64_t cover = 0;
        uint32_t prev = 0;

        a->start[i] = s0;
        a->count[i] = s1 - s0;
        a->first[i] = k;
        for (uint32_t s = s0; s < s1; s++) {
            uint64_t a0 = (uint64_t)s * n_out, a1 = a0 + n_out;
            uint32_t cum;
            cover += (a1 < hi ? a1 : hi) - (a0 > lo ? a0 : lo);
            /* Rounding the running total, not each weight, keeps every
             * weight within one unit of exact and the sum exactly 1 << 14
             * (cover reaches n_in on the last one). */
            cum = (uint32_t)(((cover << W_BITS) + n_in / 2) / n_in);
            a->weight[k++] = (uint16_t)(cum - prev);
            prev = cum;
        }
    }
    return IDP_OK;
}

/* One source row resampled horizontally into dst (w * ch values). */
static void hpass(const uint8_t *src, uint32_t ch, const axis *ax, uint32_t w, uint16_t *dst)
{
    if (ch == 3) {
        for (uint32_t x = 0; x < w; x++) {
            const uint8_t *p = src + (size_t)ax->start[x] * 3;
            const uint16_t *wt = ax->weight + ax->first[x];
            uint32_t r = 0, g = 0, b = 0, n = ax->count[x];
            for (uint32_t t = 0; t < n; t++, p += 3) {
                r += p[0] * (uint32_t)wt[t];
                g += p[1] * (uint32_t)wt[t];
                b += p[2] * (uint32_t)wt[t];
            }
            dst[0] = (uint16_t)((r + (1u << (H_SHIFT - 1))) >> H_SHIFT);
            dst[1] = (uint16_t)((g + (1u << (H_SHIFT - 1))) >> H_SHIFT);
            dst[2] = (uint16_t)((b + (1u << (H_SHIFT - 1))) >> H_SHIFT);
            dst += 3;
        }
    } else {
        for (uint32_t x = 0; x < w; x++) {
            const uint8_t *p = src + ax->start[x];
            const uint16_t *wt = ax->weight + ax->first[x];
            uint32_t v = 0, n = ax->count[x];
            for (uint32_t t = 0; t < n; t++)
                v += p[t] * (uint32_t)wt[t];
            dst[x] = (uint16_t)((v + (1u << (H_SHIFT - 1))) >> H_SHIFT);
        }
    }
}

/* acc = row * weight (first source row), acc += row * weight (middle ones),
 * out = (acc + row * weight) scaled back to 8 bits (the last one): the
 * vertical pass in as few sweeps over the row as possible. */
static void acc_first(uint32_t *acc, const uint16_t *row, uint32_t weight, size_t n)
{
    for (size_t i = 0; i < n; i++)
        acc[i] = row[i] * weight;
}

static void acc_add(uint32_t *acc, const uint16_t *row, uint32_t weight, size_t n)
{
    for (size_t i = 0; i < n; i++)
        acc[i] += row[i] * weight;
}

static void acc_last(const uint32_t *acc, const uint16_t *row, uint32_t weight, uint8_t *out,
                     size_t n, int first)
{
    if (first)
        for (size_t i = 0; i < n; i++)
            out[i] = (uint8_t)((row[i] * weight + (1u << (V_SHIFT - 1))) >> V_SHIFT);
    else
        for (size_t i = 0; i < n; i++)
            out[i] = (uint8_t)((acc[i] + row[i] * weight + (1u << (V_SHIFT - 1))) >> V_SHIFT);
}

/* The resampling itself, from src (sw x sh) into dst (w x h), both of ch
 * channels. dst may be src itself: output row y ends at byte (y+1)*w*ch,
 * never past the start of source row (y+1), and every source row before
 * the next one to read has already been resampled into rows[], so nothing
 * still needed is overwritten. */
static idp_status resample(idp_ctx *ctx, const uint8_t *src, uint32_t sw, uint32_t sh, uint32_t ch,
                           uint8_t *dst, uint32_t w, uint32_t h)
{
    idp_status st = IDP_OK;
    axis ax = {0}, ay = {0};
    uint16_t *rows[2] = {NULL, NULL};
    uint32_t *acc = NULL;
    uint32_t cached[2] = {UINT32_MAX, UINT32_MAX}; /* source row held in rows[i] */
    size_t n = (size_t)w * ch, src_stride = (size_t)sw * ch;
    unsigned next = 0;

    st = axis_make(ctx, sw, w, &ax);
    if (st == IDP_OK)
        st = axis_make(ctx, sh, h, &ay);
    if (st != IDP_OK)
        goto out;
    rows[0] = malloc(n * sizeof(uint16_t));
    rows[1] = malloc(n * sizeof(uint16_t));
    acc = malloc(n * sizeof(uint32_t));
    if (rows[0] == NULL || rows[1] == NULL || acc == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, "out of memory for resizing to %ux%u", w, h);
        goto out;
    }
    for (uint32_t y = 0; y < h; y++) {
        const uint16_t *wt = ay.weight + ay.first[y];
        uint8_t *o = dst + (size_t)y * n;

        for (uint32_t t = 0, nt = ay.count[y]; t < nt; t++) {
            uint32_t sy = ay.start[y] + t;
            const uint16_t *row;
            if (cached[0] == sy)
                row = rows[0];
            else if (cached[1] == sy)
                row = rows[1];
            else {
                hpass(src + (size_t)sy * src_stride, ch, &ax, w, rows[next]);
                cached[next] = sy;
                row = rows[next];
                next ^= 1u;
            }
            if (t + 1 == nt)
                acc_last(acc, row, wt[t], o, n, t == 0);
            else if (t == 0)
                acc_first(acc, row, wt[t], n);
            else
                acc_add(acc, row, wt[t], n);
        }
    }
out:
    idp_free_wiped(rows[0], n * sizeof(uint16_t));
    idp_free_wiped(rows[1], n * sizeof(uint16_t));
    idp_free_wiped(acc, n * sizeof(uint32_t));
    axis_free(&ax);
    axis_free(&ay);
    return st;
}

static idp_status check_sizes(idp_ctx *ctx, const idp_image *in, uint32_t w, uint32_t h)
{
    if (w == 0 || h == 0 || w > in->width || h > in->height || in->data == NULL ||
        (in->channels != 1 && in->channels != 3))
        return idp_fail(ctx, IDP_E_USAGE, "cannot resize a %ux%u image of %u channels to %ux%u",
                        in->width, in->height, in->channels, w, h);
    return IDP_OK;
}

idp_status idp_resize_down(idp_ctx *ctx, const idp_image *in, uint32_t w, uint32_t h,
                           idp_image **out)
{
    idp_status st;
    idp_image *dst = NULL;

    *out = NULL;
    st = check_sizes(ctx, in, w, h);
    if (st == IDP_OK)
        st = idp_image_create(ctx, w, h, in->channels, &dst);
    if (st == IDP_OK)
        st = resample(ctx, in->data, in->width, in->height, in->channels, dst->data, w, h);
    if (st != IDP_OK) {
        idp_image_destroy(dst);
        return st;
    }
    *out = dst;
    return IDP_OK;
}

idp_status idp_resize_down_inplace(idp_ctx *ctx, idp_image *img, uint32_t w, uint32_t h)
{
    idp_status st;
    size_t old_size, new_size;
    uint8_t *smaller;

    st = check_sizes(ctx, img, w, h);
    if (st != IDP_OK)
        return st;
    if (w == img->width && h == img->height)
        return IDP_OK;
    old_size = idp_image_stride(img) * img->height; /* the image exists: no overflow */
    new_size = (size_t)w * img->channels * h;
    /* resample() fails only before it writes anything: img is unchanged. */
    st = resample(ctx, img->data, img->width, img->height, img->channels, img->data, w, h);
    if (st != IDP_OK)
        return st;
    idp_wipe(img->data + new_size, old_size - new_size);
    img->width = w;
    img->height = h;
    /* Give the rest back (the tail is wiped, so a move leaves nothing). */
    smaller = realloc(img->data, new_size);
    if (smaller != NULL)
        img->data = smaller;
    return IDP_OK;
}

void idp_fit_size(uint32_t w, uint32_t h, uint32_t max_side, uint32_t *ow, uint32_t *oh)
{
    uint32_t lo, hi;

    *ow = w;
    *oh = h;
    if (max_side == 0 || (w <= max_side && h <= max_side))
        return;
    hi = w >= h ? w : h;
    lo = w >= h ? h : w;
    /* The short side scaled by max_side / hi, rounded, at least 1 pixel. */
    lo = (uint32_t)(((uint64_t)lo * max_side + hi / 2) / hi);
    if (lo == 0)
        lo = 1;
    if (w >= h) {
        *ow = max_side;
        *oh = lo;
    } else {
        *ow = lo;
        *oh = max_side;
    }
}
