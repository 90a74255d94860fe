/* Edges and lines of the document finder (steps 1-3 of
 * docs/detection.md, "Method"): the working copy, colour Sobel edges with
 * non-maximum suppression, a Hough transform in which each edge pixel
 * votes only near its own gradient direction, the strongest lines, each
 * polished by a least-squares fit. */
#include "idp_detect_int.h"
#include "idp_trace.h"

#include <stdlib.h>
#include <string.h>

/* SSE2 (in every x86-64) for the per-pixel filters of the copy: integer
 * arithmetic, the same results as the plain loops (round 11) */
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#include <emmintrin.h>
#define HAVE_SSE2_PATH 1
#endif

/* gradient noise (per-component std, levels) of a factor-1 copy over
 * which it is smoothed like the zoomed copy (round 13: the measured
 * distributions, docs/detection.md "Round 13: small photos and striped
 * wood") */
#define NOISY_COPY 47.5f

#if defined(__GNUC__) || defined(__clang__)
#define IDP_LINES_INLINE static inline __attribute__((always_inline))
#else
#define IDP_LINES_INLINE static inline
#endif

void idp_det_work_free(work *wk)
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
    wk->cellw = (wk->w + POLISH_CELL - 1) / POLISH_CELL;
    wk->cells = wk->cellw * ((wk->h + POLISH_CELL - 1) / POLISH_CELL);
    wk->cstart = carve(wk, &at, ((size_t)AXES * wk->cells + 1) * sizeof(uint32_t));
    wk->zero_from = at; /* what follows starts zeroed */
    wk->acc = carve(wk, &at, (size_t)N_THETA * (size_t)wk->nr * sizeof(uint16_t));
    wk->memo = carve(wk, &at, (size_t)MAX_LINES * MAX_LINES * MAX_LINES * 3);
    return at;
}

#ifdef HAVE_SSE2_PATH
/* 32 RGB pixels at r split into their three planes: five rounds of byte
 * interleaving of the six 16-byte pieces ((0, 3), (1, 4), (2, 5)) sort the
 * 96 bytes by their place mod 3 (round 12; checked against the plain loop
 * on random data). */
static void split32(const uint8_t *r, uint8_t *o0, uint8_t *o1, uint8_t *o2)
{
    __m128i a0 = _mm_loadu_si128((const __m128i *)(const void *)r);
    __m128i a1 = _mm_loadu_si128((const __m128i *)(const void *)(r + 16));
    __m128i a2 = _mm_loadu_si128((const __m128i *)(const void *)(r + 32));
    __m128i a3 = _mm_loadu_si128((const __m128i *)(const void *)(r + 48));
    __m128i a4 = _mm_loadu_si128((const __m128i *)(const void *)(r + 64));
    __m128i a5 = _mm_loadu_si128((const __m128i *)(const void *)(r + 80));
    for (int round = 0; round < 5; round++) {
        const __m128i b0 = _mm_unpacklo_epi8(a0, a3), b1 = _mm_unpackhi_epi8(a0, a3);
        const __m128i b2 = _mm_unpacklo_epi8(a1, a4), b3 = _mm_unpackhi_epi8(a1, a4);
        const __m128i b4 = _mm_unpacklo_epi8(a2, a5), b5 = _mm_unpackhi_epi8(a2, a5);
        a0 = b0;
        a1 = b1;
        a2 = b2;
        a3 = b3;
        a4 = b4;
        a5 = b5;
    }
    _mm_storeu_si128((__m128i *)(void *)o0, a0);
    _mm_storeu_si128((__m128i *)(void *)(o0 + 16), a1);
    _mm_storeu_si128((__m128i *)(void *)o1, a2);
    _mm_storeu_si128((__m128i *)(void *)(o1 + 16), a3);
    _mm_storeu_si128((__m128i *)(void *)o2, a4);
    _mm_storeu_si128((__m128i *)(void *)(o2 + 16), a5);
}
#endif

#ifdef HAVE_SSE2_PATH
/* 16 pixels of the copy box-averaged by 2 from the 32 RGB pixels at r0
 * and r1 (two rows), into o, o + npx and o + 2 npx: the rows split into
 * planes (split32), each pixel pair's two samples the low and the high
 * byte of a 16-bit lane, (a + b + c + d + 2) >> 2 as the plain loop
 * (round 13). */
static void average16(const uint8_t *r0, const uint8_t *r1, uint8_t *o, size_t npx)
{
    uint8_t p0[3][32], p1[3][32];
    split32(r0, p0[0], p0[1], p0[2]);
    split32(r1, p1[0], p1[1], p1[2]);
    const __m128i low = _mm_set1_epi16(0xff), two = _mm_set1_epi16(2);
    for (int c = 0; c < 3; c++) {
        __m128i half[2];
        for (int k = 0; k < 2; k++) {
            const __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(p0[c] + 16 * k));
            const __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p1[c] + 16 * k));
            const __m128i sa = _mm_add_epi16(_mm_and_si128(a, low), _mm_srli_epi16(a, 8));
            const __m128i sb = _mm_add_epi16(_mm_and_si128(b, low), _mm_srli_epi16(b, 8));
            half[k] = _mm_srli_epi16(_mm_add_epi16(_mm_add_epi16(sa, sb), two), 2);
        }
        _mm_storeu_si128((__m128i *)(void *)(o + (size_t)c * npx),
                         _mm_packus_epi16(half[0], half[1]));
    }
}
#endif

/* The working copy: the image box-averaged by an integer factor. */
static void downscale(const idp_image *src, uint32_t f, work *wk)
{
    const size_t gs = idp_image_stride(src);
    const uint32_t ch = wk->ch;
    const size_t npx = (size_t)wk->w * wk->h;
    /* factor 1 (the zoomed look's copy of an image no larger than it):
     * the channels split into planes (the box average, with a division
     * per sample, was about a quarter of the zoomed copy's steps 1-2) */
    if (f == 1) {
        for (uint32_t y = 0; y < wk->h; y++) {
            const uint8_t *r = src->data + (size_t)y * gs;
            uint8_t *o = wk->px + (size_t)y * wk->w;
            if (ch == 1) {
                memcpy(o, r, wk->w);
                continue;
            }
            uint32_t x = 0;
#ifdef HAVE_SSE2_PATH
            for (; x + 32 <= wk->w; x += 32, r += 96)
                split32(r, o + x, o + npx + x, o + 2 * npx + x);
#endif
            for (; x < wk->w; x++, r += 3) {
                o[x] = r[0];
                o[npx + x] = r[1];
                o[2 * npx + x] = r[2];
            }
        }
        return;
    }
    if (f == 2 && ch == 3) { /* the usual case (a ~1000 px copy): unrolled */
        for (uint32_t y = 0; y < wk->h; y++) {
            const uint8_t *r0 = src->data + (size_t)(2 * y) * gs, *r1 = r0 + gs;
            uint8_t *o = wk->px + (size_t)y * wk->w;
            uint32_t x = 0;
#ifdef HAVE_SSE2_PATH
            for (; x + 16 <= wk->w; x += 16, r0 += 96, r1 += 96, o += 16)
                average16(r0, r1, o, npx);
#endif
            for (; x < wk->w; x++, r0 += 6, r1 += 6, o++) {
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

/* out[i] = (a[i] + 2 b[i] + c[i] + 2) / 4 for i < n; out apart from a, b
 * and c. With SSE2 sixteen at a time by byte averages (round 13): with
 * t = (a + c) >> 1 (their rounded-up average less the low bit of a ^ c),
 * (b + t + 1) >> 1 is the same, since (a + 2 b + c + 2) and the same less
 * (a + c)'s low bit differ in their quarter only when the first is a
 * multiple of 4, which it is not when a + c is odd (checked on all
 * 2^24 triples). */
static void binomial(const uint8_t *a, const uint8_t *b, const uint8_t *c, uint8_t *out, size_t n)
{
    size_t i = 0;
#ifdef HAVE_SSE2_PATH
    const __m128i one = _mm_set1_epi8(1);
    for (; i + 16 <= n; i += 16) {
        const __m128i va = _mm_loadu_si128((const __m128i *)(const void *)(a + i));
        const __m128i vb = _mm_loadu_si128((const __m128i *)(const void *)(b + i));
        const __m128i vc = _mm_loadu_si128((const __m128i *)(const void *)(c + i));
        const __m128i t =
            _mm_sub_epi8(_mm_avg_epu8(va, vc), _mm_and_si128(_mm_xor_si128(va, vc), one));
        _mm_storeu_si128((__m128i *)(void *)(out + i), _mm_avg_epu8(vb, t));
    }
#endif
    for (; i < n; i++)
        out[i] = (uint8_t)((a[i] + 2 * b[i] + c[i] + 2) >> 2);
}

/* The zoomed look's copy smoothed by a [1 2 1] / 4 binomial each way, in
 * place: the 2 x 2 average of the usual copy halves the sensor noise, and
 * a copy at the image's own scale would see a soft side's edge under
 * twice that noise; the binomial takes it to 0.375 of the pixel's, and
 * leaves every edge where it was (it is centred). Borders as they are.
 * Down the columns a row at a time (round 10: column by column it strode
 * the whole plane per pixel, and was a tenth of the zoomed look). */
static void smooth(work *wk)
{
    const uint32_t w = wk->w, h = wk->h;
    const size_t npx = (size_t)w * h;
    /* two rows of scratch: best is w words, 4 w bytes */
    uint8_t *row = (uint8_t *)wk->best, *above = row + w;
    for (uint32_t c = 0; c < wk->ch; c++) {
        uint8_t *p = wk->px + c * npx;
        for (uint32_t y = 0; y < h; y++) { /* across */
            uint8_t *r = p + (size_t)y * w;
            memcpy(row, r, w);
            binomial(row, row + 1, row + 2, r + 1, w - 2);
        }
        memcpy(above, p, w); /* down: above holds row y - 1 as it was */
        for (uint32_t y = 1; y + 1 < h; y++) {
            uint8_t *r = p + (size_t)y * w;
            memcpy(row, r, w);
            binomial(above, row, r + w, r, w);
            memcpy(above, row, w);
        }
    }
}

#ifdef HAVE_SSE2_PATH
/* Row y's Sobel gradient of one channel (a, b, d: its rows y - 1, y,
 * y + 1) at x..x + 7: sx and sy, and the squared magnitude by
 * multiply-add of (sx, sy) pairs into 32 bits (at most 2 x 1020^2). */
static inline void sobel8(const uint8_t *a, const uint8_t *b, const uint8_t *d, uint32_t x,
                          __m128i *sx, __m128i *sy, __m128i *mlo, __m128i *mhi)
{
    const __m128i zero = _mm_setzero_si128();
#define LD8(p) _mm_unpacklo_epi8(_mm_loadl_epi64((const __m128i *)(const void *)(p)), zero)
    const __m128i a0 = LD8(a + x - 1), a1 = LD8(a + x), a2 = LD8(a + x + 1);
    const __m128i b0 = LD8(b + x - 1), b2 = LD8(b + x + 1);
    const __m128i d0 = LD8(d + x - 1), d1 = LD8(d + x), d2 = LD8(d + x + 1);
#undef LD8
    const __m128i left = _mm_add_epi16(_mm_add_epi16(a0, d0), _mm_add_epi16(b0, b0));
    const __m128i right = _mm_add_epi16(_mm_add_epi16(a2, d2), _mm_add_epi16(b2, b2));
    *sx = _mm_sub_epi16(right, left);
    const __m128i down = _mm_add_epi16(_mm_add_epi16(d0, d2), _mm_add_epi16(d1, d1));
    const __m128i up = _mm_add_epi16(_mm_add_epi16(a0, a2), _mm_add_epi16(a1, a1));
    *sy = _mm_sub_epi16(down, up);
    const __m128i plo = _mm_unpacklo_epi16(*sx, *sy), phi = _mm_unpackhi_epi16(*sx, *sy);
    *mlo = _mm_madd_epi16(plo, plo);
    *mhi = _mm_madd_epi16(phi, phi);
}

/* Row y (rows: each channel's row y - 1, the next two after it, w apart)
 * eight pixels at a time from x = 1, while x + 8 stays in the row: every
 * channel's gradient in registers, a later channel winning only when
 * strictly stronger as in the plain loop, then gx, gy and the magnitude
 * (sqrtps rounds as sqrtf; the values are exact in float) stored once
 * (round 13: each channel's stored and read again, and the magnitude in a
 * pass of its own). Returns the first x not done; sobel's plain loops do
 * the rest. */
static uint32_t sobel_sse2(const uint8_t *const *rows, uint32_t ch, uint32_t w, int16_t *gxr,
                           int16_t *gyr, uint16_t *mr)
{
    uint32_t x = 1;
    for (; x + 9 <= w; x += 8) {
        __m128i gx, gy, blo, bhi;
        sobel8(rows[0], rows[0] + w, rows[0] + 2 * (size_t)w, x, &gx, &gy, &blo, &bhi);
        for (uint32_t c = 1; c < ch; c++) {
            __m128i sx, sy, mlo, mhi;
            sobel8(rows[c], rows[c] + w, rows[c] + 2 * (size_t)w, x, &sx, &sy, &mlo, &mhi);
            const __m128i klo = _mm_cmpgt_epi32(mlo, blo), khi = _mm_cmpgt_epi32(mhi, bhi);
            const __m128i k = _mm_packs_epi32(klo, khi);
            blo = _mm_or_si128(_mm_and_si128(klo, mlo), _mm_andnot_si128(klo, blo));
            bhi = _mm_or_si128(_mm_and_si128(khi, mhi), _mm_andnot_si128(khi, bhi));
            gx = _mm_or_si128(_mm_and_si128(k, sx), _mm_andnot_si128(k, gx));
            gy = _mm_or_si128(_mm_and_si128(k, sy), _mm_andnot_si128(k, gy));
        }
        _mm_storeu_si128((__m128i *)(void *)(gxr + x), gx);
        _mm_storeu_si128((__m128i *)(void *)(gyr + x), gy);
        const __m128 half = _mm_set1_ps(0.5f);
        const __m128i mlo = _mm_cvttps_epi32(_mm_add_ps(_mm_sqrt_ps(_mm_cvtepi32_ps(blo)), half));
        const __m128i mhi = _mm_cvttps_epi32(_mm_add_ps(_mm_sqrt_ps(_mm_cvtepi32_ps(bhi)), half));
        _mm_storeu_si128((__m128i *)(void *)(mr + x), _mm_packs_epi32(mlo, mhi));
    }
    return x;
}
#endif

/* Sobel gradient; in colour, that of the channel where it is strongest
 * (a blue band on brown wood has little luma contrast, much colour), the
 * first channel on a tie. Row by row: eight pixels at a time with SSE2,
 * the rest channel by channel with each column's vertical sum
 * (a + 2 b + d) and difference (d - a) made once and rolled along the row
 * (round 11: the 3 x 3 kernel, nine samples a pixel and channel, was a
 * quarter of the detection's instructions). */
static void sobel(work *wk)
{
    const uint32_t w = wk->w, h = wk->h;
    const size_t npx = (size_t)w * h;
    for (uint32_t y = 1; y + 1 < h; y++) {
        int16_t *gxr = wk->gx + (size_t)y * w, *gyr = wk->gy + (size_t)y * w;
        uint32_t *best = wk->best;
        uint16_t *mr = wk->mag + (size_t)y * w;
        uint32_t x0 = 1;
#ifdef HAVE_SSE2_PATH
        const uint8_t *rows[3];
        for (uint32_t c = 0; c < wk->ch; c++)
            rows[c] = wk->px + c * npx + (size_t)(y - 1) * w;
        x0 = sobel_sse2(rows, wk->ch, w, gxr, gyr, mr);
#endif
        if (x0 + 1 >= w)
            continue;
        for (uint32_t c = 0; c < wk->ch; c++) {
            const uint8_t *a = wk->px + c * npx + (size_t)(y - 1) * w;
            const uint8_t *b = a + w, *d = b + w;
            uint32_t x = x0;
            /* column x - 1 (p) and x (q): sum and difference */
            int sp = a[x - 1] + 2 * b[x - 1] + d[x - 1], dp = d[x - 1] - a[x - 1];
            int sq = a[x] + 2 * b[x] + d[x], dq = d[x] - a[x];
            for (; x + 1 < w; x++) {
                const int sn = a[x + 1] + 2 * b[x + 1] + d[x + 1], dn = d[x + 1] - a[x + 1];
                const int sx = sn - sp, sy = dp + 2 * dq + dn;
                const uint32_t m = (uint32_t)(sx * sx + sy * sy);
                const int better = c == 0 || m > best[x];
                best[x] = better ? m : best[x];
                gxr[x] = better ? (int16_t)sx : gxr[x];
                gyr[x] = better ? (int16_t)sy : gyr[x];
                sp = sq;
                sq = sn;
                dp = dq;
                dq = dn;
            }
        }
        for (uint32_t x = x0; x + 1 < w; x++)
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
        r = (float)(IDP_PI / 2) - r;
    if (x < 0)
        r = (float)IDP_PI - r;
    if (y < 0)
        r = -r;
    return r * (float)(180.0 / IDP_PI);
}

/* Pixel k = (x, y), at or above the threshold: an edge if no weaker than
 * its neighbours along its gradient, into the map and (up to cap_edges)
 * the list. */
IDP_LINES_INLINE void thin_at(work *wk, uint32_t x, uint32_t y, size_t *count)
{
    const uint32_t w = wk->w;
    const size_t k = (size_t)y * w + x;
    const int m = wk->mag[k];
    const int gx = wk->gx[k], gy = wk->gy[k];
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
        return;
    float ang = direction_deg((float)gy, (float)gx);
    if (ang < 0)
        ang += 360.0f;
    int code = (int)(ang * (float)(DIR_BINS / 360.0) + 0.5f); /* 0..DIR_BINS */
    if (code == DIR_BINS) /* as % DIR_BINS (round 13: a division per edge) */
        code = 0;
    wk->edge[k] = (uint8_t)(1 + code);
    if (*count < wk->cap_edges) { /* past it, the map only (keep_strongest) */
        wk->edges[*count] = (uint32_t)k;
        wk->ex[*count] = (uint16_t)x;
        wk->ey[*count] = (uint16_t)y;
        wk->ea[*count] = ang;
    }
    (*count)++;
}

/* The edge list when the map holds more edges than it (round 13): the
 * strongest cap_edges of them, over the whole copy, instead of the first
 * rows' (a dense grain filling it could leave a card in the lower rows
 * without votes; docs/detection.md "Round 13: small photos and striped
 * wood").
 * The floor is the lowest magnitude at which no more than cap_edges are
 * left; the map keeps every edge. Returns the count. */
#define MAG_BINS 1536 /* a Sobel magnitude is at most 1020 sqrt 2 = 1443 */
static size_t keep_strongest(work *wk)
{
    const uint32_t w = wk->w, h = wk->h;
    size_t hist[MAG_BINS] = {0}, count = 0;
    for (uint32_t y = 1; y + 1 < h; y++)
        for (uint32_t x = 1; x + 1 < w; x++) {
            const size_t k = (size_t)y * w + x;
            if (wk->edge[k] != 0)
                hist[wk->mag[k] < MAG_BINS ? wk->mag[k] : MAG_BINS - 1]++;
        }
    int b = MAG_BINS - 1;
    for (size_t above = 0; b >= 0 && above + hist[b] <= wk->cap_edges; b--)
        above += hist[b];
    const int floor_m = b + 1;
    for (uint32_t y = 1; y + 1 < h; y++)
        for (uint32_t x = 1; x + 1 < w; x++) {
            const size_t k = (size_t)y * w + x;
            if (wk->edge[k] == 0 || wk->mag[k] < floor_m)
                continue;
            float ang = direction_deg((float)wk->gy[k], (float)wk->gx[k]);
            if (ang < 0)
                ang += 360.0f;
            wk->edges[count] = (uint32_t)k;
            wk->ex[count] = (uint16_t)x;
            wk->ey[count] = (uint16_t)y;
            wk->ea[count] = ang;
            count++;
        }
    IDP_TRACE("detect: edge list full: %zu edges of magnitude >= %d kept\n", count, floor_m);
    return count;
}

/* The gradient noise into wk->noise and the magnitude's 75th percentile
 * (a multiple of 4), returned, from a histogram of the magnitudes. */
static double magnitude_stats(work *wk)
{
    const uint32_t w = wk->w, h = wk->h;
    size_t hist[512] = {0}, acc = 0;
    const size_t n = (size_t)(w - 2) * (h - 2); /* w, h >= 32 */
    for (uint32_t y = 1; y + 1 < h; y++) {
        const uint16_t *mr = wk->mag + (size_t)y * w;
        uint32_t x = 1;
#ifdef HAVE_SSE2_PATH
        /* the bins of eight at a time (round 13) */
        const __m128i top = _mm_set1_epi16(511);
        for (; x + 9 <= w; x += 8) {
            const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(mr + x));
            const __m128i b = _mm_min_epi16(_mm_srli_epi16(v, 2), top);
            hist[_mm_extract_epi16(b, 0)]++;
            hist[_mm_extract_epi16(b, 1)]++;
            hist[_mm_extract_epi16(b, 2)]++;
            hist[_mm_extract_epi16(b, 3)]++;
            hist[_mm_extract_epi16(b, 4)]++;
            hist[_mm_extract_epi16(b, 5)]++;
            hist[_mm_extract_epi16(b, 6)]++;
            hist[_mm_extract_epi16(b, 7)]++;
        }
#endif
        for (; x + 1 < w; x++) {
            const int b = mr[x] / 4;
            hist[b > 511 ? 511 : b]++;
        }
    }
    wk->noise = 0;
    for (int b = 0; b < 512; b++) {
        acc += hist[b];
        /* most pixels are flat surface: the median magnitude is noise's, a
         * Rayleigh median, 1.18 times the std of each gradient component */
        if (wk->noise == 0 && (double)acc >= 0.5 * (double)n)
            wk->noise = (float)((b + 0.5) * 4.0 / 1.18);
        if ((double)acc >= 0.75 * (double)n)
            return b * 4.0;
    }
    return 0;
}

/* Non-maximum suppression along the gradient, above an adaptive threshold
 * (the 75th percentile of the magnitude, at least wk->edge_min). */
static size_t thin_edges(work *wk)
{
    const uint32_t w = wk->w, h = wk->h;
    size_t count = 0;
    const double p75 = magnitude_stats(wk);
    const double thr = p75 > wk->edge_min ? p75 : wk->edge_min;
    /* an integer magnitude is below thr when below its ceiling; with SSE2
     * eight at a time, the pixels at or above it taken in order from the
     * mask (round 12: three quarters of the pixels are below) */
    const int floor_m = (int)ceil(thr); /* 14..2044 */
    for (uint32_t y = 1; y + 1 < h; y++) {
        uint32_t x = 1;
#ifdef HAVE_SSE2_PATH
        const __m128i below = _mm_set1_epi16((short)(floor_m - 1)), zero = _mm_setzero_si128();
        for (; x + 9 <= w; x += 8) {
            const __m128i v =
                _mm_loadu_si128((const __m128i *)(const void *)(wk->mag + (size_t)y * w + x));
            /* two bits per pixel at or above floor_m (m - (floor_m - 1) > 0) */
            unsigned bits =
                (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi16(_mm_subs_epu16(v, below), zero)) ^
                0xffffu;
            while (bits != 0) {
                const unsigned b = (unsigned)__builtin_ctz(bits);
                bits &= ~(3u << b);
                thin_at(wk, x + b / 2, y, &count);
            }
        }
#endif
        for (; x + 1 < w; x++)
            if (wk->mag[(size_t)y * w + x] >= floor_m)
                thin_at(wk, x, y, &count);
    }
    IDP_TRACE("detect: %zu edges in the map, list of %zu\n", count, wk->cap_edges);
    if (count > wk->cap_edges)
        count = keep_strongest(wk);
    wk->nedges = count;
    return count;
}

/* The cosines and sines of the N_THETA one-degree directions. */
static void angle_table(double cs[N_THETA], double sn[N_THETA])
{
    for (int t = 0; t < N_THETA; t++) {
        cs[t] = cos(t * IDP_PI / 180.0);
        sn[t] = sin(t * IDP_PI / 180.0);
    }
}

/* Whether wk holds the n lines was (along: wk->along's bits then), every
 * field the same. */
static bool same_lines(const work *wk, const line *was, int n, uint32_t along)
{
    if (wk->nlines != n || wk->along != along)
        return false;
    for (int i = 0; i < n; i++) {
        const line *a = &wk->lines[i], *b = &was[i];
        if (a->nx != b->nx || a->ny != b->ny || a->rho != b->rho || a->theta != b->theta ||
            a->votes != b->votes)
            return false;
    }
    return true;
}

/* Picks the lines again from the votes in wk->acc, polishes them and
 * traces them as pass `pass`. The quad memo is cleared when the lines
 * changed (their numbers change); when the pick gives the lines there
 * were, to the bit, it is kept and wk->same_pick says so (round 13: the
 * zoomed look's pass 2 then skips its search, which would be pass 1's:
 * the search reads nothing else that changed, and with the memo its
 * last search left the same values are read in the same order). */
static idp_status pick_again(idp_ctx *ctx, work *wk, const double *cs, const double *sn, int cap,
                             int band_peaks, int *left_out, int pass)
{
    (void)pass; /* only the trace build prints it */
    line was[MAX_LINES];
    const int nwas = wk->nlines;
    const uint32_t along = wk->along;
    memcpy(was, wk->lines, sizeof(was));
    wk->same_pick = false;
    const idp_status st = idp_det_pick_lines(ctx, wk, cs, sn, cap, band_peaks, left_out);
    if (st == IDP_OK)
        idp_det_polish_lines(wk);
    wk->same_pick = st == IDP_OK && same_lines(wk, was, nwas, along);
    if (!wk->same_pick)
        memset(wk->memo, 0, (size_t)MAX_LINES * MAX_LINES * MAX_LINES * 3);
    for (int i = 0; i < wk->nlines; i++)
        IDP_TRACE("detect: line%d %d theta %.1f rho %.1f votes %d\n", pass, i, wk->lines[i].theta,
                  wk->lines[i].rho, wk->lines[i].votes);
    return st;
}

/* Steps 1-3 on img box-averaged by fs; zoom: the zoomed look's copy
 * (smoothed, the edge floor and the quads' area floor for it). */
static idp_status lines_at(idp_ctx *ctx, const idp_image *img, work *wk, uint32_t fs, bool zoom,
                           bool *searched)
{
    double cs[N_THETA], sn[N_THETA];
    *searched = false;
    wk->ch = img->channels;
    wk->area_min = zoom ? ZOOM_AREA_MIN : AREA_MIN;
    wk->vote_min = VOTE_MIN; /* the zoomed look lowers it in its last pass (round 10) */
    /* a soft side's step spread over twice the pixels: half the gradient */
    wk->edge_min = zoom ? EDGE_ABS_MIN / 2 : EDGE_ABS_MIN;
    wk->w = img->width / fs;
    wk->h = img->height / fs;
    if (wk->w < 32 || wk->h < 32)
        return IDP_OK; /* too small to tell anything */
    const double diag = hypot(wk->w, wk->h);
    wk->nr = 2 * (int)ceil(diag) + 3;
    wk->block_size = work_layout(wk);
    wk->block = idp_large_alloc(wk->block_size, false);
    if (wk->block == NULL) {
        return idp_fail(ctx, IDP_E_NOMEM, "document detection: out of memory");
    }
    work_layout(wk);
    /* zero what is not written in full: the gradient's border, the edge
     * map, the accumulator and the memo */
    memset(wk->edge, 0, (size_t)wk->w * wk->h);
    for (uint32_t y = 0; y < wk->h; y++) {
        const size_t step = y == 0 || y + 1 == wk->h ? 1 : wk->w - 1;
        for (size_t x = 0; x < wk->w; x += step) {
            const size_t k = (size_t)y * wk->w + x;
            wk->gx[k] = wk->gy[k] = 0;
            wk->mag[k] = 0;
        }
    }
    memset((char *)wk->block + wk->zero_from, 0, wk->block_size - wk->zero_from);
    angle_table(cs, sn);
    downscale(img, fs, wk);
    /* the zoomed look's copy; and a photo no larger than WORK_SIDE (factor
     * 1, no 2 x 2 average) whose copy, before smoothing, is noisy (round
     * 13: a carpet's grain at the photo's own scale; a clean small scan
     * is left sharp: docs/detection.md "Round 13: small photos and
     * striped wood") */
    if (zoom)
        smooth(wk);
    sobel(wk);
    if (!zoom && fs == 1) {
        magnitude_stats(wk);
        IDP_TRACE("detect: copy before smoothing noise %.1f\n", (double)wk->noise);
        if (wk->noise >= NOISY_COPY) {
            smooth(wk);
            sobel(wk);
        }
    }
    if (thin_edges(wk) == 0)
        return IDP_OK;
    idp_det_index_edges(wk);
    idp_det_hough(wk, cs, sn, false);
    const idp_status st = idp_det_pick_lines(ctx, wk, cs, sn, MAX_LINES, 0, NULL);
    if (st != IDP_OK)
        return st;
    idp_det_polish_lines(wk);
    for (int i = 0; zoom && i < wk->nlines; i++)
        IDP_TRACE("detect: line5 %d theta %.1f rho %.1f votes %d\n", i, wk->lines[i].theta,
                  wk->lines[i].rho, wk->lines[i].votes);
    IDP_TRACE("detect: copy %ux%u noise %.1f edge floor %.1f edges %zu\n", wk->w, wk->h,
              (double)wk->noise, wk->edge_min, wk->nedges);
    *searched = true;
    return IDP_OK;
}

/* The reduction factor that brings img's long side to at most side px. */
static uint32_t factor_for(const idp_image *img, uint32_t side)
{
    const uint32_t longside = img->width > img->height ? img->width : img->height;
    const uint32_t fs = (longside + side - 1) / side;
    return fs < 1 ? 1 : fs;
}

idp_status idp_det_find_lines(idp_ctx *ctx, const idp_image *img, work *wk, uint32_t *f,
                              bool *searched)
{
    const uint32_t fs = factor_for(img, WORK_SIDE);
    *f = fs;
    return lines_at(ctx, img, wk, fs, false, searched);
}

idp_status idp_det_zoom_lines(idp_ctx *ctx, const idp_image *img, work *wk, uint32_t *f,
                              bool *searched)
{
    const uint32_t fs = factor_for(img, ZOOM_SIDE);
    *searched = false;
    if (fs >= *f) /* no finer than the copy searched: nothing new to see */
        return IDP_OK;
    *f = fs;
    return lines_at(ctx, img, wk, fs, true, searched);
}

idp_status idp_det_repick_lines(idp_ctx *ctx, work *wk, int band_cap)
{
    double cs[N_THETA], sn[N_THETA];
    angle_table(cs, sn);
    return pick_again(ctx, wk, cs, sn, band_cap, 0, NULL, 2);
}

idp_status idp_det_revote_lines(idp_ctx *ctx, work *wk)
{
    double cs[N_THETA], sn[N_THETA];
    angle_table(cs, sn);
    if (wk->votes != VOTES_PLAIN && wk->votes != VOTES_FAINT) {
        memset(wk->acc, 0, (size_t)N_THETA * (size_t)wk->nr * sizeof(uint16_t));
        wk->votes = VOTES_NONE;
    }
    if (wk->votes != VOTES_FAINT) /* the faint votes of these edges: in already */
        idp_det_hough(wk, cs, sn, true);
    return pick_again(ctx, wk, cs, sn, MAX_LINES, 0, NULL, 3);
}

idp_status idp_det_pattern_lines(idp_ctx *ctx, work *wk, int *left_out)
{
    double cs[N_THETA], sn[N_THETA];
    angle_table(cs, sn);
    return pick_again(ctx, wk, cs, sn, MAX_LINES, PATTERN_PEAKS, left_out, 4);
}
