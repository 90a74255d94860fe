/* The OCR-B template reader's matcher: normalised cross-correlation of a
 * cell of a line's strip with the 37 templates, over a few pixels of
 * shift. All integer dot products (exact: the same scores whatever the
 * order of the sums), on AVX2 where the processor has it. Method and
 * measurements: docs/mrz.md ("Speed"). */
#include "idp_mrz_cells.h"

#include <math.h>
#include <pthread.h>
#include <string.h>

#define TW IDP_OCRB_TW
#define TH IDP_OCRB_TH
#define TN (TW * TH)
#define MX IDP_MRZ_MX
#define MY IDP_MRZ_MY

/* zero mean, norm TSCALE: integer dot products against the window's ink
 * (|ink| <= 255, |template| <= 4096: a sum of 336 products fits 32 bits) */
#define TSCALE 4096.0
static int16_t TEMPLATES[IDP_OCRB_N][TN] __attribute__((aligned(32)));
static pthread_once_t templates_once = PTHREAD_ONCE_INIT;

/* A window of the strip: TH rows of TW pixels, stride apart. Its sum and
 * sum of squares (at most 336 * 255 * 255: 32 bits), and its dot
 * products with every template. */
typedef void (*sums_fn)(const int16_t *win, size_t stride, int32_t *sum, int32_t *sum2);
typedef void (*dots_fn)(const int16_t *win, size_t stride, int32_t d[IDP_OCRB_N]);

static void sums_plain(const int16_t *win, size_t stride, int32_t *sum, int32_t *sum2)
{
    int32_t s = 0, s2 = 0;
    for (int r = 0; r < TH; r++)
        for (int u = 0; u < TW; u++) {
            const int32_t v = win[(size_t)r * stride + (size_t)u];
            s += v;
            s2 += v * v;
        }
    *sum = s;
    *sum2 = s2;
}

static void dots_plain(const int16_t *win, size_t stride, int32_t d[IDP_OCRB_N])
{
    for (int c = 0; c < IDP_OCRB_N; c++) {
        const int16_t *t = TEMPLATES[c];
        int32_t s = 0;
        for (int r = 0; r < TH; r++)
            for (int u = 0; u < TW; u++)
                s += (int32_t)win[(size_t)r * stride + (size_t)u] * t[r * TW + u];
        d[c] = s;
    }
}

static sums_fn sums = sums_plain;
static dots_fn dots = dots_plain;

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define HAVE_AVX2_PATH 1

__attribute__((target("avx2"))) static int32_t hsum(__m256i v)
{
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4e));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xb1));
    return _mm_cvtsi128_si32(s);
}

#define ROW(r) _mm256_loadu_si256((const __m256i *)(win + (size_t)(r)*stride))
#define TROW(c, r) _mm256_loadu_si256((const __m256i *)(TEMPLATES[c] + (r)*TW))

/* A row of the window (TW = 16 pixels) is one register. */
__attribute__((target("avx2"))) static void sums_avx2(const int16_t *win, size_t stride,
                                                      int32_t *sum, int32_t *sum2)
{
    const __m256i one = _mm256_set1_epi16(1);
    __m256i s = _mm256_setzero_si256(), s2 = s;
    for (int r = 0; r < TH; r++) {
        const __m256i w = ROW(r);
        s = _mm256_add_epi32(s, _mm256_madd_epi16(w, one));
        s2 = _mm256_add_epi32(s2, _mm256_madd_epi16(w, w));
    }
    *sum = hsum(s);
    *sum2 = hsum(s2);
}

/* Four templates a pass over the window: one load of a row for four
 * multiply-adds (16 products each, summed in pairs into 32 bits). */
__attribute__((target("avx2"))) static void dots_avx2(const int16_t *win, size_t stride,
                                                      int32_t d[IDP_OCRB_N])
{
    int c = 0;
    for (; c + 4 <= IDP_OCRB_N; c += 4) {
        __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
        for (int r = 0; r < TH; r++) {
            const __m256i w = ROW(r);
            a0 = _mm256_add_epi32(a0, _mm256_madd_epi16(w, TROW(c, r)));
            a1 = _mm256_add_epi32(a1, _mm256_madd_epi16(w, TROW(c + 1, r)));
            a2 = _mm256_add_epi32(a2, _mm256_madd_epi16(w, TROW(c + 2, r)));
            a3 = _mm256_add_epi32(a3, _mm256_madd_epi16(w, TROW(c + 3, r)));
        }
        d[c] = hsum(a0);
        d[c + 1] = hsum(a1);
        d[c + 2] = hsum(a2);
        d[c + 3] = hsum(a3);
    }
    for (; c < IDP_OCRB_N; c++) {
        __m256i a = _mm256_setzero_si256();
        for (int r = 0; r < TH; r++)
            a = _mm256_add_epi32(a, _mm256_madd_epi16(ROW(r), TROW(c, r)));
        d[c] = hsum(a);
    }
}
#undef ROW
#undef TROW
#endif

/* The plain loops, or AVX2 where the processor has it. */
static void choose(bool plain)
{
    sums = sums_plain;
    dots = dots_plain;
#ifdef HAVE_AVX2_PATH
    __builtin_cpu_init();
    if (!plain && __builtin_cpu_supports("avx2")) {
        sums = sums_avx2;
        dots = dots_avx2;
    }
#else
    (void)plain;
#endif
}

static void templates_init(void)
{
    for (int c = 0; c < IDP_OCRB_N; c++) {
        double mean = 0, norm = 0, v[TN];
        for (int i = 0; i < TN; i++)
            mean += IDP_OCRB_GLYPHS[c][i];
        mean /= TN;
        for (int i = 0; i < TN; i++) {
            v[i] = IDP_OCRB_GLYPHS[c][i] - mean;
            norm += v[i] * v[i];
        }
        norm = sqrt(norm);
        for (int i = 0; i < TN; i++)
            TEMPLATES[c][i] = (int16_t)lround(v[i] / norm * TSCALE);
    }
    choose(false);
}

void idp_mrz_cells_init(void)
{
    pthread_once(&templates_once, templates_init);
}

void idp_mrz_cells_force_plain(bool plain)
{
    idp_mrz_cells_init();
    choose(plain);
}

/* The window of cell i at shift (ox, oy) correlated with every template
 * into f; false when the window is outside the strip or flat. */
/* the windows this thread has correlated (tests/unit/test_mrz_ocrb.c) */
static _Thread_local unsigned long windows;

unsigned long idp_mrz_cells_windows(void)
{
    return windows;
}

static bool correlate(const idp_mrz_strip *st, int i, int ox, int oy, float f[IDP_OCRB_N])
{
    const int u0 = MX + i * TW + ox, r0 = MY + oy;
    if (u0 < 0 || r0 < 0 || u0 + TW > st->w || r0 + TH > st->h)
        return false;
    windows++;
    const int16_t *win = st->p + (size_t)r0 * (size_t)st->w + (size_t)u0;
    int32_t sum, sum2;
    sums(win, (size_t)st->w, &sum, &sum2);
    /* the templates are zero-mean: the window's mean drops out of the dot
     * product, only its spread counts */
    const double var = (double)sum2 - (double)sum * (double)sum / TN;
    if (var < 1e-3)
        return false;
    const float inv = (float)(1 / (sqrt(var) * TSCALE));
    int32_t d[IDP_OCRB_N];
    dots(win, (size_t)st->w, d);
    for (int c = 0; c < IDP_OCRB_N; c++)
        f[c] = (float)d[c] * inv;
    return true;
}

void idp_mrz_match_cell(const idp_mrz_strip *st, int i, int cx, int cy, int rx, int ry,
                        float sc[IDP_OCRB_N], int *bx, int *by, idp_mrz_near *near)
{
    float best = -2;
    const bool keep = near != NULL && rx == 1 && ry == 1;
    const bool reuse =
        near != NULL && near->set && rx == 2 && ry == 2 && near->cx == cx && near->cy == cy;
    for (int c = 0; c < IDP_OCRB_N; c++)
        sc[c] = reuse ? near->sc[c] : -1;
    *bx = cx;
    *by = cy;
    for (int oy = cy - ry; oy <= cy + ry; oy++)
        for (int ox = cx - rx; ox <= cx + rx; ox++) {
            const bool inner = ox - cx >= -1 && ox - cx <= 1 && oy - cy >= -1 && oy - cy <= 1;
            const int slot = (oy - cy + 1) * 3 + (ox - cx + 1);
            float top = -2, f[IDP_OCRB_N];
            if (reuse && inner) {
                top = near->top[slot];
            } else if (correlate(st, i, ox, oy, f)) {
                /* the characters' bests kept in the order matched: the
                 * first shift with the best score wins a tie */
                for (int c = 0; c < IDP_OCRB_N; c++) {
                    if (f[c] > sc[c])
                        sc[c] = f[c];
                    if (f[c] > top)
                        top = f[c];
                }
            }
            if (keep)
                near->top[slot] = top;
            if (top > best) {
                best = top;
                *bx = ox;
                *by = oy;
            }
        }
    if (keep) {
        near->cx = cx;
        near->cy = cy;
        near->set = 1;
        memcpy(near->sc, sc, sizeof(near->sc));
    }
}
