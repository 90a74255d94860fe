/* idp_mkphotos: makes the synthetic ID-card photos of the test suite and
 * the bundled specimen. Deterministic (own PRNG, fixed seeds), independent
 * of the idpack library (test data must not depend on the code under test).
 *
 *   idp_mkphotos OUTDIR SPECIMENDIR        every default image (README.md)
 *   idp_mkphotos --phone W H QUALITY OUT   one phone-like JPEG with camera EXIF
 *   idp_mkphotos --big-cmyk OUT            an Adobe CMYK JPEG of more than 11 MB
 *   idp_mkphotos --detect-set OUTDIR       document photos with known corners (detect.tsv)
 *   idp_mkphotos --portrait-set OUTDIR     portrait documents (vertical card, passport cover)
 *
 * Prints nothing but errors; exits non-zero on failure. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <jpeglib.h>
#include <libexif/exif-data.h>
#include <png.h>

/* ID-1 card size in millimetres. */
#define CARD_W 85.60
#define CARD_H 53.98
#define CARD_R 3.18

/* ------------------------------------------------------------------ */
/* errors and small helpers                                           */

static const char *progname = "idp_mkphotos";

#if defined(__GNUC__)
#define MK_NORETURN __attribute__((noreturn))
#define MK_PRINTF __attribute__((format(printf, 1, 2)))
#else
#define MK_NORETURN
#define MK_PRINTF
#endif

MK_NORETURN MK_PRINTF static void die(const char *fmt, ...);

static void die(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", progname);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("out of memory (%zu bytes)", n);
    return p;
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        die("out of memory (%zu x %zu bytes)", n, size);
    return p;
}

static double clampd(double v, double lo, double hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

static uint8_t to_u8(double v)
{
    if (v <= 0.0)
        return 0;
    if (v >= 255.0)
        return 255;
    return (uint8_t)(v + 0.5);
}

/* A sine from a table: the guilloche and weave need many, not precision. */
#define IDP_PI 3.14159265358979323846
#define SIN_N 4096
static double sin_table[SIN_N + 1];

static void sin_init(void)
{
    for (int i = 0; i <= SIN_N; i++)
        sin_table[i] = sin(2.0 * IDP_PI * i / SIN_N);
}

static double fsin(double x)
{
    double t = x * (SIN_N / (2.0 * IDP_PI));
    t -= SIN_N * floor(t / SIN_N);
    const int i = (int)t;
    const double f = t - i;
    return sin_table[i] + (sin_table[i + 1] - sin_table[i]) * f;
}

static double smoothstep(double e0, double e1, double x)
{
    const double t = clampd((x - e0) / (e1 - e0), 0.0, 1.0);
    return t * t * (3.0 - 2.0 * t);
}

/* Growable byte buffer. */
typedef struct buf {
    unsigned char *p;
    size_t n, cap;
} buf;

static void buf_add(buf *b, const void *data, size_t n)
{
    if (n == 0)
        return;
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n)
            cap *= 2;
        unsigned char *p = realloc(b->p, cap);
        if (!p)
            die("out of memory (%zu bytes)", cap);
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, data, n);
    b->n += n;
}

static void write_file(const char *dir, const char *name, const void *data, size_t n)
{
    char path[4096];
    if (dir)
        snprintf(path, sizeof path, "%s/%s", dir, name);
    else
        snprintf(path, sizeof path, "%s", name);
    FILE *f = fopen(path, "wb");
    if (!f)
        die("%s: cannot create: %s", path, strerror(errno));
    if (n && fwrite(data, 1, n, f) != n) {
        fclose(f);
        die("%s: write failed", path);
    }
    if (fclose(f) != 0)
        die("%s: write failed: %s", path, strerror(errno));
}

/* mkdir -p */
static void make_dir(const char *dir)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
        die("%s: path too long", dir);
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            die("%s: cannot create directory: %s", path, strerror(errno));
        *p = '/';
    }
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        die("%s: cannot create directory: %s", path, strerror(errno));
}

/* ------------------------------------------------------------------ */
/* deterministic randomness                                           */

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static double hash2(int32_t x, int32_t y, uint32_t seed)
{
    uint64_t s = ((uint64_t)(uint32_t)x << 32) ^ (uint64_t)(uint32_t)y ^
                 ((uint64_t)seed * 0x2545F4914F6CDD1Du);
    return (double)(splitmix64(&s) >> 11) / 9007199254740992.0;
}

static double vnoise(double x, double y, uint32_t seed)
{
    const double fx = floor(x), fy = floor(y);
    const int32_t ix = (int32_t)fx, iy = (int32_t)fy;
    const double tx = x - fx, ty = y - fy;
    const double sx = tx * tx * (3.0 - 2.0 * tx), sy = ty * ty * (3.0 - 2.0 * ty);
    const double a = hash2(ix, iy, seed), b = hash2(ix + 1, iy, seed);
    const double c = hash2(ix, iy + 1, seed), d = hash2(ix + 1, iy + 1, seed);
    return (a + (b - a) * sx) + ((c + (d - c) * sx) - (a + (b - a) * sx)) * sy;
}

static double fbm(double x, double y, uint32_t seed)
{
    return 0.5 * vnoise(x, y, seed) + 0.3 * vnoise(2.03 * x, 2.03 * y, seed + 1) +
           0.2 * vnoise(4.1 * x, 4.1 * y, seed + 2);
}

/* ------------------------------------------------------------------ */
/* images                                                             */

typedef struct img {
    int w, h, c; /* c: 1 (grey) or 3 (RGB), 8 bits */
    uint8_t *px;
} img;

static img *img_new(int w, int h, int c)
{
    if (w <= 0 || h <= 0 || w > 20000 || h > 20000)
        die("bad image size %dx%d", w, h);
    img *im = xmalloc(sizeof *im);
    im->w = w;
    im->h = h;
    im->c = c;
    im->px = xcalloc((size_t)w * (size_t)h, (size_t)c);
    return im;
}

static void img_free(img *im)
{
    if (!im)
        return;
    free(im->px);
    free(im);
}

static img *img_copy(const img *src)
{
    img *im = img_new(src->w, src->h, src->c);
    memcpy(im->px, src->px, (size_t)src->w * (size_t)src->h * (size_t)src->c);
    return im;
}

/* Box-filter weights of an area-average resize along one axis: output i
 * covers input [first[i], first[i] + count[i]) with weights wt[i * span ..]. */
typedef struct axis_weights {
    int span;
    int *first, *count;
    float *wt;
} axis_weights;

static void axis_weights_make(axis_weights *aw, int in, int out)
{
    const double scale = (double)in / out;
    aw->span = (int)ceil(scale) + 2;
    aw->first = xmalloc((size_t)out * sizeof(int));
    aw->count = xmalloc((size_t)out * sizeof(int));
    aw->wt = xcalloc((size_t)out * (size_t)aw->span, sizeof(float));
    for (int i = 0; i < out; i++) {
        const double a = i * scale, b = (i + 1) * scale;
        int j0 = (int)floor(a), j1 = (int)ceil(b);
        if (j1 > in)
            j1 = in;
        double sum = 0;
        int n = 0;
        for (int j = j0; j < j1 && n < aw->span; j++, n++) {
            const double w = fmin(b, j + 1.0) - fmax(a, (double)j);
            aw->wt[(size_t)i * (size_t)aw->span + (size_t)n] = (float)(w > 0 ? w : 0);
            sum += w > 0 ? w : 0;
        }
        for (int k = 0; k < n; k++)
            aw->wt[(size_t)i * (size_t)aw->span + (size_t)k] =
                (float)((double)aw->wt[(size_t)i * (size_t)aw->span + (size_t)k] / sum);
        aw->first[i] = j0;
        aw->count[i] = n;
    }
}

static void axis_weights_free(axis_weights *aw)
{
    free(aw->first);
    free(aw->count);
    free(aw->wt);
}

/* Area-average resample to w x h (box filter with fractional weights). */
static img *img_resample(const img *src, int w, int h)
{
    const int c = src->c;
    axis_weights ax, ay;
    axis_weights_make(&ax, src->w, w);
    axis_weights_make(&ay, src->h, h);
    const size_t trow = (size_t)w * (size_t)c;
    float *tmp = xcalloc(trow * (size_t)src->h, sizeof(float));
    for (int y = 0; y < src->h; y++) {
        const uint8_t *row = src->px + (size_t)y * (size_t)src->w * (size_t)c;
        float *t = tmp + (size_t)y * trow;
        for (int x = 0; x < w; x++) {
            const float *wt = ax.wt + (size_t)x * (size_t)ax.span;
            const uint8_t *in = row + (size_t)ax.first[x] * (size_t)c;
            for (int k = 0; k < c; k++) {
                float acc = 0;
                for (int j = 0; j < ax.count[x]; j++)
                    acc += wt[j] * (float)in[j * c + k];
                t[x * c + k] = acc;
            }
        }
    }
    img *out = img_new(w, h, c);
    float *acc = xmalloc(trow * sizeof(float));
    for (int y = 0; y < h; y++) {
        memset(acc, 0, trow * sizeof(float));
        const float *wt = ay.wt + (size_t)y * (size_t)ay.span;
        for (int j = 0; j < ay.count[y]; j++) {
            const float *t = tmp + (size_t)(ay.first[y] + j) * trow;
            for (size_t i = 0; i < trow; i++)
                acc[i] += wt[j] * t[i];
        }
        uint8_t *o = out->px + (size_t)y * trow;
        for (size_t i = 0; i < trow; i++)
            o[i] = to_u8((double)acc[i]);
    }
    free(acc);
    free(tmp);
    axis_weights_free(&ax);
    axis_weights_free(&ay);
    return out;
}

/* One horizontal box-blur pass of radius r (edges clamped). */
static void box_rows(img *im, int r)
{
    const int c = im->c, len = im->w;
    uint8_t *line = xmalloc((size_t)len * (size_t)c);
    const uint32_t win = (uint32_t)(2 * r + 1);
    for (int l = 0; l < im->h; l++) {
        uint8_t *base = im->px + (size_t)l * (size_t)len * (size_t)c;
        memcpy(line, base, (size_t)len * (size_t)c);
        for (int k = 0; k < c; k++) {
            uint32_t sum = 0;
            for (int i = -r - 1; i < r; i++)
                sum += line[(i < 0 ? 0 : (i >= len ? len - 1 : i)) * c + k];
            for (int i = 0; i < len; i++) {
                sum += line[(i + r >= len ? len - 1 : i + r) * c + k];
                sum -= line[(i - r - 1 < 0 ? 0 : i - r - 1) * c + k];
                base[i * c + k] = (uint8_t)((sum + win / 2) / win);
            }
        }
    }
    free(line);
}

/* One vertical box-blur pass of radius r, row by row with column sums. */
static void box_cols(img *im, int r)
{
    const size_t n = (size_t)im->w * (size_t)im->c;
    const int h = im->h;
    const uint32_t win = (uint32_t)(2 * r + 1);
    uint8_t *src = xmalloc(n * (size_t)h);
    memcpy(src, im->px, n * (size_t)h);
    uint32_t *sum = xcalloc(n, sizeof(uint32_t));
    for (int j = -r - 1; j < r; j++) {
        const uint8_t *row = src + (size_t)(j < 0 ? 0 : (j >= h ? h - 1 : j)) * n;
        for (size_t i = 0; i < n; i++)
            sum[i] += row[i];
    }
    for (int y = 0; y < h; y++) {
        const uint8_t *add = src + (size_t)(y + r >= h ? h - 1 : y + r) * n;
        const uint8_t *sub = src + (size_t)(y - r - 1 < 0 ? 0 : y - r - 1) * n;
        uint8_t *o = im->px + (size_t)y * n;
        for (size_t i = 0; i < n; i++) {
            sum[i] += add[i];
            sum[i] -= sub[i];
            o[i] = (uint8_t)((sum[i] + win / 2) / win);
        }
    }
    free(sum);
    free(src);
}

/* Gaussian-like blur: one box pass per radius, in both directions. */
static void img_blur(img *im, const int *radii, int n)
{
    for (int i = 0; i < n; i++) {
        box_rows(im, radii[i]);
        box_cols(im, radii[i]);
    }
}

/* The [1 2 1]/4 kernel both ways: the slight softness of a phone lens. */
static void img_soften(img *im)
{
    const int c = im->c, w = im->w, h = im->h;
    const size_t n = (size_t)w * (size_t)c;
    uint8_t *line = xmalloc(n);
    for (int y = 0; y < h; y++) {
        uint8_t *base = im->px + (size_t)y * n;
        memcpy(line, base, n);
        for (int x = 0; x < w; x++) {
            const int a = x > 0 ? x - 1 : 0, b = x + 1 < w ? x + 1 : w - 1;
            for (int k = 0; k < c; k++)
                base[x * c + k] =
                    (uint8_t)((line[a * c + k] + 2 * line[x * c + k] + line[b * c + k] + 2) / 4);
        }
    }
    free(line);
    uint8_t *src = xmalloc(n * (size_t)h);
    memcpy(src, im->px, n * (size_t)h);
    for (int y = 0; y < h; y++) {
        const uint8_t *a = src + (size_t)(y > 0 ? y - 1 : 0) * n;
        const uint8_t *m = src + (size_t)y * n;
        const uint8_t *b = src + (size_t)(y + 1 < h ? y + 1 : h - 1) * n;
        uint8_t *o = im->px + (size_t)y * n;
        for (size_t i = 0; i < n; i++)
            o[i] = (uint8_t)((a[i] + 2 * m[i] + b[i] + 2) / 4);
    }
    free(src);
}

/* Pixels turned a quarter: cw != 0 clockwise, else counter-clockwise. */
static img *img_rotate90(const img *src, int cw)
{
    img *out = img_new(src->h, src->w, src->c);
    const int c = src->c;
    for (int r = 0; r < out->h; r++)
        for (int col = 0; col < out->w; col++) {
            /* ccw: out[r][col] = src[col][W-1-r]; cw: out[r][col] = src[H-1-col][r] */
            const int sy = cw ? src->h - 1 - col : col;
            const int sx = cw ? r : src->w - 1 - r;
            const uint8_t *sp = src->px + ((size_t)sy * (size_t)src->w + (size_t)sx) * (size_t)c;
            uint8_t *op = out->px + ((size_t)r * (size_t)out->w + (size_t)col) * (size_t)c;
            for (int k = 0; k < c; k++)
                op[k] = sp[k];
        }
    return out;
}

static double luma(const uint8_t *p)
{
    return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
}

/* ------------------------------------------------------------------ */
/* the 5x7 block font                                                 */

/* clang-format off */
/* 7 rows of 5 dots per glyph, top to bottom. */
static const char *const font[128] = {
    ['A'] = ".###." "#...#" "#...#" "#####" "#...#" "#...#" "#...#",
    ['B'] = "####." "#...#" "#...#" "####." "#...#" "#...#" "####.",
    ['C'] = ".###." "#...#" "#...." "#...." "#...." "#...#" ".###.",
    ['D'] = "####." "#...#" "#...#" "#...#" "#...#" "#...#" "####.",
    ['E'] = "#####" "#...." "#...." "####." "#...." "#...." "#####",
    ['F'] = "#####" "#...." "#...." "####." "#...." "#...." "#....",
    ['G'] = ".###." "#...#" "#...." "#.###" "#...#" "#...#" ".####",
    ['H'] = "#...#" "#...#" "#...#" "#####" "#...#" "#...#" "#...#",
    ['I'] = ".###." "..#.." "..#.." "..#.." "..#.." "..#.." ".###.",
    ['J'] = "..###" "...#." "...#." "...#." "...#." "#..#." ".##..",
    ['K'] = "#...#" "#..#." "#.#.." "##..." "#.#.." "#..#." "#...#",
    ['L'] = "#...." "#...." "#...." "#...." "#...." "#...." "#####",
    ['M'] = "#...#" "##.##" "#.#.#" "#.#.#" "#...#" "#...#" "#...#",
    ['N'] = "#...#" "#...#" "##..#" "#.#.#" "#..##" "#...#" "#...#",
    ['O'] = ".###." "#...#" "#...#" "#...#" "#...#" "#...#" ".###.",
    ['P'] = "####." "#...#" "#...#" "####." "#...." "#...." "#....",
    ['Q'] = ".###." "#...#" "#...#" "#...#" "#.#.#" "#..#." ".##.#",
    ['R'] = "####." "#...#" "#...#" "####." "#.#.." "#..#." "#...#",
    ['S'] = ".####" "#...." "#...." ".###." "....#" "....#" "####.",
    ['T'] = "#####" "..#.." "..#.." "..#.." "..#.." "..#.." "..#..",
    ['U'] = "#...#" "#...#" "#...#" "#...#" "#...#" "#...#" ".###.",
    ['V'] = "#...#" "#...#" "#...#" "#...#" "#...#" ".#.#." "..#..",
    ['W'] = "#...#" "#...#" "#...#" "#.#.#" "#.#.#" "#.#.#" ".#.#.",
    ['X'] = "#...#" "#...#" ".#.#." "..#.." ".#.#." "#...#" "#...#",
    ['Y'] = "#...#" "#...#" "#...#" ".#.#." "..#.." "..#.." "..#..",
    ['Z'] = "#####" "....#" "...#." "..#.." ".#..." "#...." "#####",
    ['0'] = ".###." "#...#" "#..##" "#.#.#" "##..#" "#...#" ".###.",
    ['1'] = "..#.." ".##.." "..#.." "..#.." "..#.." "..#.." ".###.",
    ['2'] = ".###." "#...#" "....#" "...#." "..#.." ".#..." "#####",
    ['3'] = "#####" "...#." "..#.." "...#." "....#" "#...#" ".###.",
    ['4'] = "...#." "..##." ".#.#." "#..#." "#####" "...#." "...#.",
    ['5'] = "#####" "#...." "####." "....#" "....#" "#...#" ".###.",
    ['6'] = "..##." ".#..." "#...." "####." "#...#" "#...#" ".###.",
    ['7'] = "#####" "....#" "...#." "..#.." ".#..." ".#..." ".#...",
    ['8'] = ".###." "#...#" "#...#" ".###." "#...#" "#...#" ".###.",
    ['9'] = ".###." "#...#" "#...#" ".####" "....#" "...#." ".##..",
    ['<'] = "...#." "..#.." ".#..." "#...." ".#..." "..#.." "...#.",
    ['/'] = "....." "....#" "...#." "..#.." ".#..." "#...." ".....",
    ['.'] = "....." "....." "....." "....." "....." "##..." "##...",
    [','] = "....." "....." "....." "....." "##..." ".#..." "#....",
    ['-'] = "....." "....." "....." "#####" "....." "....." ".....",
    [':'] = "....." "##..." "##..." "....." ".##.." ".##.." ".....",
};

/* clang-format on */

static int glyph_on(char ch, int col, int row)
{
    const unsigned char uc = (unsigned char)ch;
    if (uc >= 128 || !font[uc])
        return 0;
    return font[uc][row * 5 + col] == '#';
}

/* ------------------------------------------------------------------ */
/* the card design                                                    */

typedef struct rgb {
    double r, g, b;
} rgb;

typedef struct text_item {
    double x, y, h; /* top-left and glyph height (7 dots), mm */
    double pitch;   /* advance per character, mm */
    rgb col;
    char s[48];
} text_item;

#define MAX_TEXT 40
#define NBINS 128 /* 1 mm bins along the card or page height (125 mm: a portrait cover) */

typedef struct design {
    int back;   /* 0 front, 1 back */
    int page;   /* a passport data page (125 x 88 mm), coordinates in its mm */
    int layout; /* --portrait-set: 1 a vertical ID-1 card, 2 a passport booklet's cover */
    rgb tint0, tint1, band;
    text_item text[MAX_TEXT];
    int ntext;
    uint8_t bins[NBINS][MAX_TEXT];
    int nbin[NBINS];
    uint32_t seed;
} design;

typedef struct person {
    const char *surname, *given, *dob_print, *dob_mrz, *sex, *expiry_print, *expiry_mrz;
    const char *docno, *place, *address1, *address2, *authority, *issued;
} person;

static void add_text(design *d, double x, double y, double h, rgb col, const char *s)
{
    if (d->ntext >= MAX_TEXT)
        die("too many text items");
    text_item *t = &d->text[d->ntext++];
    t->x = x;
    t->y = y;
    t->h = h;
    t->pitch = h * 6.0 / 7.0;
    t->col = col;
    snprintf(t->s, sizeof t->s, "%s", s);
}

static int mrz_value(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'A' && ch <= 'Z')
        return ch - 'A' + 10;
    return 0;
}

static char mrz_check(const char *s, size_t n)
{
    static const int weight[3] = {7, 3, 1};
    int sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += mrz_value(s[i]) * weight[i % 3];
    return (char)('0' + sum % 10);
}

static void mrz_field(char *dst, size_t n, const char *src)
{
    size_t i = 0;
    for (; src[i] && i < n; i++)
        dst[i] = src[i] == ' ' ? '<' : src[i];
    for (; i < n; i++)
        dst[i] = '<';
}

/* TD1 (3 x 30) machine readable zone with valid check digits. */
static void make_mrz(const person *p, char l1[31], char l2[31], char l3[31])
{
    memset(l1, '<', 30);
    memset(l2, '<', 30);
    memset(l3, '<', 30);
    l1[30] = l2[30] = l3[30] = '\0';
    memcpy(l1, "IDUTO", 5);
    mrz_field(l1 + 5, 9, p->docno);
    l1[14] = mrz_check(l1 + 5, 9);
    memcpy(l2, p->dob_mrz, 6);
    l2[6] = mrz_check(l2, 6);
    l2[7] = p->sex[0];
    memcpy(l2 + 8, p->expiry_mrz, 6);
    l2[14] = mrz_check(l2 + 8, 6);
    memcpy(l2 + 15, "UTO", 3);
    char comp[64];
    size_t n = 0;
    memcpy(comp + n, l1 + 5, 25);
    n += 25;
    memcpy(comp + n, l2, 7);
    n += 7;
    memcpy(comp + n, l2 + 8, 7);
    n += 7;
    memcpy(comp + n, l2 + 18, 11);
    n += 11;
    l2[29] = mrz_check(comp, n);
    char name[64];
    snprintf(name, sizeof name, "%s<<%s", p->surname, p->given);
    mrz_field(l3, 30, name);
}

static void index_text(design *d)
{
    memset(d->nbin, 0, sizeof d->nbin);
    for (int i = 0; i < d->ntext; i++) {
        const text_item *t = &d->text[i];
        const int b0 = (int)floor(t->y), b1 = (int)floor(t->y + t->h);
        for (int b = b0 < 0 ? 0 : b0; b <= b1 && b < NBINS; b++)
            if (d->nbin[b] < MAX_TEXT)
                d->bins[b][d->nbin[b]++] = (uint8_t)i;
    }
}

static const rgb INK = {22, 24, 34}, LABEL = {70, 88, 118}, HEAD_INK = {232, 236, 240};

static void design_front(design *d, const person *p, uint32_t seed)
{
    memset(d, 0, sizeof *d);
    d->back = 0;
    d->seed = seed;
    d->tint0 = (rgb){206, 222, 230};
    d->tint1 = (rgb){226, 220, 200};
    d->band = (rgb){30, 76, 150};
    add_text(d, 12.0, 1.3, 2.1, HEAD_INK, "REPUBLIC OF UTOPIA");
    add_text(d, 12.0, 4.4, 3.2, HEAD_INK, "IDENTITY CARD");
    add_text(d, 29, 11.0, 1.5, LABEL, "SURNAME");
    add_text(d, 29, 12.9, 2.6, INK, p->surname);
    add_text(d, 29, 16.3, 1.5, LABEL, "GIVEN NAMES");
    add_text(d, 29, 18.2, 2.6, INK, p->given);
    add_text(d, 29, 21.6, 1.5, LABEL, "DATE OF BIRTH");
    add_text(d, 29, 23.5, 2.6, INK, p->dob_print);
    add_text(d, 29, 26.9, 1.5, LABEL, "NATIONALITY");
    add_text(d, 29, 28.8, 2.6, INK, "UTOPIAN");
    add_text(d, 29, 32.2, 1.5, LABEL, "DATE OF EXPIRY");
    add_text(d, 29, 34.1, 2.6, INK, p->expiry_print);
    add_text(d, 60, 21.6, 1.5, LABEL, "DOCUMENT NO");
    add_text(d, 60, 23.5, 2.6, INK, p->docno);
    add_text(d, 60, 26.9, 1.5, LABEL, "SEX");
    add_text(d, 60, 28.8, 2.6, INK, p->sex);
    add_text(d, 60, 32.2, 1.5, LABEL, "PLACE OF BIRTH");
    add_text(d, 60, 34.1, 2.6, INK, p->place);
    /* where a card with its zone on the front prints it: fields instead */
    add_text(d, 4.6, 42.6, 1.5, LABEL, "AUTHORITY");
    add_text(d, 4.6, 44.5, 2.6, INK, p->authority);
    add_text(d, 60, 42.6, 1.5, LABEL, "DATE OF ISSUE");
    add_text(d, 60, 44.5, 2.6, INK, p->issued);
    index_text(d);
}

/* A TD1 zone at the bottom of a front, in place of its last two fields
 * (the detection set's cards: the zone is a cue to which way up they
 * are). Not on the photos the builds use: a zone there would be
 * cross-checked against every test's form, and a TD1 zone belongs on the
 * back. */
static void add_front_zone(design *d, const person *p)
{
    d->ntext -= 4; /* in place of design_front's last fields */
    char l1[31], l2[31], l3[31];
    make_mrz(p, l1, l2, l3);
    const char *lines[3] = {l1, l2, l3};
    for (int i = 0; i < 3; i++) {
        add_text(d, 4.6, 43.4 + 3.3 * i, 2.5, INK, lines[i]);
        d->text[d->ntext - 1].pitch = 2.54;
    }
    index_text(d);
}

static void design_back(design *d, const person *p, uint32_t seed)
{
    memset(d, 0, sizeof *d);
    d->back = 1;
    d->seed = seed;
    d->tint0 = (rgb){228, 214, 200};
    d->tint1 = (rgb){214, 226, 206};
    d->band = (rgb){34, 112, 92};
    add_text(d, 4, 4.0, 1.5, LABEL, "ADDRESS");
    add_text(d, 4, 5.9, 2.6, INK, p->address1);
    add_text(d, 4, 9.3, 2.6, INK, p->address2);
    add_text(d, 4, 13.6, 1.5, LABEL, "HEIGHT");
    add_text(d, 4, 15.5, 2.6, INK, "170 CM");
    add_text(d, 32, 13.6, 1.5, LABEL, "EYE COLOUR");
    add_text(d, 32, 15.5, 2.6, INK, "BROWN");
    add_text(d, 4, 19.6, 1.5, LABEL, "AUTHORITY");
    add_text(d, 4, 21.5, 2.6, INK, p->authority);
    add_text(d, 4, 25.6, 1.5, LABEL, "DATE OF ISSUE");
    add_text(d, 4, 27.5, 2.6, INK, p->issued);
    add_text(d, 40, 25.6, 1.5, LABEL, "DOCUMENT NO");
    add_text(d, 40, 27.5, 2.6, INK, p->docno);
    add_text(d, 73.0, 44.0, 1.6, HEAD_INK, "UTOPIA");
    index_text(d);
}

/* TD3 (2 x 44) machine readable zone of a passport, valid check digits. */
static void make_mrz_td3(const person *p, char l1[45], char l2[45])
{
    char name[64];
    memset(l1, '<', 44);
    memset(l2, '<', 44);
    l1[44] = l2[44] = '\0';
    memcpy(l1, "P<UTO", 5);
    snprintf(name, sizeof name, "%s<<%s", p->surname, p->given);
    mrz_field(l1 + 5, 39, name);
    mrz_field(l2, 9, p->docno);
    l2[9] = mrz_check(l2, 9);
    memcpy(l2 + 10, "UTO", 3);
    memcpy(l2 + 13, p->dob_mrz, 6);
    l2[19] = mrz_check(l2 + 13, 6);
    l2[20] = p->sex[0];
    memcpy(l2 + 21, p->expiry_mrz, 6);
    l2[27] = mrz_check(l2 + 21, 6);
    l2[42] = mrz_check(l2 + 28, 14);
    char comp[64];
    size_t n = 0;
    memcpy(comp + n, l2, 10);
    n += 10;
    memcpy(comp + n, l2 + 13, 7);
    n += 7;
    memcpy(comp + n, l2 + 21, 22);
    n += 22;
    l2[43] = mrz_check(comp, n);
}

/* A passport data page laid out as ICAO 9303 TD3 places it: header on
 * top (dark letters on the page's tint, a coloured rule under them), portrait on the left, fields
 * beside it, the MRZ at the bottom; letters of real size (labels 1.5 mm, values 2.6 mm, MRZ 2.5 mm
 * at a 2.54 mm pitch). */
static void design_page(design *d, const person *p, uint32_t seed)
{
    memset(d, 0, sizeof *d);
    d->page = 1;
    d->seed = seed;
    d->tint0 = (rgb){214, 222, 236};
    d->tint1 = (rgb){232, 222, 206};
    d->band = (rgb){120, 40, 60};
    add_text(d, 14.0, 1.8, 2.4, d->band, "REPUBLIC OF UTOPIA");
    add_text(d, 14.0, 5.2, 3.0, d->band, "PASSPORT");
    add_text(d, 42, 12.0, 1.5, LABEL, "TYPE");
    add_text(d, 42, 13.9, 2.6, INK, "P");
    add_text(d, 58, 12.0, 1.5, LABEL, "CODE");
    add_text(d, 58, 13.9, 2.6, INK, "UTO");
    add_text(d, 80, 12.0, 1.5, LABEL, "PASSPORT NO");
    add_text(d, 80, 13.9, 2.6, INK, p->docno);
    add_text(d, 42, 18.0, 1.5, LABEL, "SURNAME");
    add_text(d, 42, 19.9, 2.6, INK, p->surname);
    add_text(d, 42, 24.0, 1.5, LABEL, "GIVEN NAMES");
    add_text(d, 42, 25.9, 2.6, INK, p->given);
    add_text(d, 42, 30.0, 1.5, LABEL, "NATIONALITY");
    add_text(d, 42, 31.9, 2.6, INK, "UTOPIAN");
    add_text(d, 42, 36.0, 1.5, LABEL, "DATE OF BIRTH");
    add_text(d, 42, 37.9, 2.6, INK, p->dob_print);
    add_text(d, 80, 36.0, 1.5, LABEL, "SEX");
    add_text(d, 80, 37.9, 2.6, INK, p->sex);
    add_text(d, 42, 42.0, 1.5, LABEL, "PLACE OF BIRTH");
    add_text(d, 42, 43.9, 2.6, INK, p->place);
    add_text(d, 42, 48.0, 1.5, LABEL, "DATE OF ISSUE");
    add_text(d, 42, 49.9, 2.6, INK, p->issued);
    add_text(d, 80, 48.0, 1.5, LABEL, "AUTHORITY");
    add_text(d, 80, 49.9, 2.6, INK, "UTOPIA");
    add_text(d, 42, 54.0, 1.5, LABEL, "DATE OF EXPIRY");
    add_text(d, 42, 55.9, 2.6, INK, p->expiry_print);
    char l1[45], l2[45];
    make_mrz_td3(p, l1, l2);
    add_text(d, 6.0, 72.6, 2.5, INK, l1);
    d->text[d->ntext - 1].pitch = 2.54;
    add_text(d, 6.0, 77.6, 2.5, INK, l2);
    d->text[d->ntext - 1].pitch = 2.54;
    index_text(d);
}

static rgb mix(rgb a, rgb b, double t)
{
    return (rgb){a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t};
}

static int text_hit(const design *d, double u, double v, rgb *col)
{
    const int b = (int)floor(v);
    if (b < 0 || b >= NBINS)
        return 0;
    for (int k = 0; k < d->nbin[b]; k++) {
        const text_item *t = &d->text[d->bins[b][k]];
        if (v < t->y || v >= t->y + t->h || u < t->x)
            continue;
        const double dot = t->h / 7.0;
        const double cu = (u - t->x) / t->pitch;
        const int ci = (int)cu;
        if (ci >= (int)strlen(t->s))
            continue;
        const double within = (u - t->x - ci * t->pitch) / dot;
        if (within >= 5.0)
            continue;
        const int row = (int)((v - t->y) / dot);
        if (glyph_on(t->s[ci], (int)within, row > 6 ? 6 : row)) {
            *col = t->col;
            return 1;
        }
    }
    return 0;
}

/* The big red SPECIMEN word, rotated across the card. */
static double specimen_cover(double u, double v, double cx, double cy, double h, double ang)
{
    const double du = u - cx, dv = v - cy;
    const double ca = cos(ang), sa = sin(ang);
    const double x = du * ca + dv * sa, y = -du * sa + dv * ca;
    static const char word[] = "SPECIMEN";
    const double pitch = h * 6.0 / 7.0, dot = h / 7.0;
    const double wtot = 8 * pitch - dot;
    const double lx = x + wtot / 2, ly = y + h / 2;
    if (lx < 0 || ly < 0 || lx >= 8 * pitch || ly >= h)
        return 0;
    const int ci = (int)(lx / pitch);
    const double within = (lx - ci * pitch) / dot;
    if (within >= 5.0)
        return 0;
    const int row = (int)(ly / dot);
    return glyph_on(word[ci], (int)within, row > 6 ? 6 : row) ? 1.0 : 0.0;
}

static rgb face_colour(double u, double v)
{
    /* photo box u 4..26, v 11..40: a head-and-shoulders portrait */
    rgb c = mix((rgb){178, 196, 214}, (rgb){150, 170, 196}, (v - 11) / 29);
    const double sh = ((u - 15) / 11.5) * ((u - 15) / 11.5) + ((v - 44) / 8.5) * ((v - 44) / 8.5);
    if (sh < 1)
        c = mix((rgb){58, 66, 96}, (rgb){38, 44, 70}, (u - 4) / 22);
    const int nk = fabs(u - 15) < 2.6 && v > 28 && v < 36.5;
    if (nk)
        c = (rgb){184, 140, 112};
    const double hd = ((u - 15) / 6.0) * ((u - 15) / 6.0) + ((v - 24) / 7.6) * ((v - 24) / 7.6);
    if (hd < 1) {
        const double shade = 1.0 - 0.18 * (u - 11) / 10;
        c = (rgb){206 * shade, 158 * shade, 128 * shade};
        /* eyes, brows, mouth, nose */
        const double e1 = (u - 12.8) * (u - 12.8) + (v - 23.2) * (v - 23.2);
        const double e2 = (u - 17.2) * (u - 17.2) + (v - 23.2) * (v - 23.2);
        if (e1 < 0.45 || e2 < 0.45)
            c = (rgb){40, 34, 30};
        if (fabs(v - 21.7) < 0.28 && (fabs(u - 12.8) < 1.3 || fabs(u - 17.2) < 1.3))
            c = (rgb){70, 50, 38};
        if (fabs(v - 28.6) < 0.3 && fabs(u - 15) < 1.9)
            c = (rgb){150, 64, 60};
        if (fabs(u - 15.2) < 0.25 && v > 23.5 && v < 26.5)
            c = (rgb){176, 128, 104};
    }
    const double hr = ((u - 15) / 6.6) * ((u - 15) / 6.6) + ((v - 21.5) / 6.8) * ((v - 21.5) / 6.8);
    if (hr < 1 && (v < 20.2 || (hd >= 1 && v < 27)))
        c = (rgb){62, 44, 34};
    return c;
}

static rgb page_colour(const design *d, double u, double v, rgb c)
{
    if (v >= 9.6 && v < 10.2) { /* a coloured rule under the header */
        c = mix(d->band, (rgb){170, 70, 90}, u / 125.0);
    } else if (v < 9.6 && u < 11.5) { /* the emblem */
        const double e = (u - 7.0) * (u - 7.0) + (v - 5.0) * (v - 5.0);
        if (e < 11.0 && e > 6.0)
            c = (rgb){190, 140, 50};
    } else if (u >= 5 && u < 37 && v >= 14 && v < 58) {
        /* the card's portrait, scaled into this box */
        c = face_colour(4 + (u - 5) * 22.0 / 32.0, 11 + (v - 14) * 29.0 / 44.0);
    } else if (v >= 67.0) { /* MRZ zone */
        c = (rgb){232, 230, 224};
    } else if (u > 84 && u < 118 && v > 58.0 && v < 63.0) { /* signature */
        const double sv = 60.5 + 1.4 * sin(u * 1.2) * sin(u * 0.31);
        if (fabs(v - sv) < 0.24)
            c = (rgb){20, 30, 90};
    }
    return c;
}

static rgb portrait_colour(const design *d, double u, double v);

static rgb card_colour(const design *d, double u, double v, int specimen)
{
    if (d->layout)
        return portrait_colour(d, u, v);
    /* base tint with a guilloche of fine waves */
    const double dw = d->page ? 125.0 : CARD_W, dh = d->page ? 88.0 : CARD_H;
    const double t = clampd((u / dw) * 0.6 + (v / dh) * 0.4, 0, 1);
    rgb c = mix(d->tint0, d->tint1, t);
    const double g1 = fsin(u * 2.3 + 2.5 * fsin(v * 0.42));
    const double g2 = fsin(v * 2.9 + 2.0 * fsin(u * 0.31 + 1.0));
    c.r += 4.0 * g1 - 2.0 * g2;
    c.g += 2.5 * g2;
    c.b += 3.0 * g1 * g2;
    if (d->page) {
        c = page_colour(d, u, v, c);
    } else if (!d->back) {
        if (v < 9.0) { /* header band */
            c = mix(d->band, (rgb){72, 118, 178}, u / CARD_W);
            const double e = (u - 6.4) * (u - 6.4) + (v - 4.5) * (v - 4.5);
            if (e < 9.6 && e > 5.0)
                c = (rgb){214, 172, 70};
            else if (e <= 5.0 && fabs(u - 6.4) < 0.5)
                c = (rgb){214, 172, 70};
        } else if (u >= 4 && u < 26 && v >= 11 && v < 40) {
            c = face_colour(u, v);
        } else if (v >= 41.6) { /* MRZ zone */
            c = (rgb){230, 230, 222};
        } else if (u > 60 && u < 80 && v > 37.0 && v < 40.5) { /* signature */
            const double sv = 38.8 + 1.1 * sin(u * 1.4) * sin(u * 0.37);
            if (fabs(v - sv) < 0.22)
                c = (rgb){20, 30, 90};
        }
    } else {
        if (u > 70.5) { /* side band with an emblem */
            c = mix(d->band, (rgb){60, 140, 118}, v / CARD_H);
            const double e = (u - 78.0) * (u - 78.0) + (v - 14.0) * (v - 14.0);
            if (e < 20.0 && e > 12.0)
                c = (rgb){214, 172, 70};
            else if (e < 6.0)
                c = (rgb){198, 60, 52};
        } else if (u >= 4 && u < 66 && v >= 33 && v < 46) { /* barcode */
            const int bar = (int)floor((u - 4) / 0.42);
            if (hash2(bar, 7, d->seed) < 0.45 || bar % 23 == 0)
                c = (rgb){18, 18, 22};
            else
                c = (rgb){232, 230, 224};
        } else if (v > 47.5 && v < 51.0 && u > 4 && u < 40) { /* signature */
            const double sv = 49.2 + 1.0 * sin(u * 1.1) * sin(u * 0.23);
            if (fabs(v - sv) < 0.22)
                c = (rgb){20, 30, 90};
        }
    }
    rgb tc;
    if (text_hit(d, u, v, &tc))
        c = tc;
    if (specimen) {
        const double a = d->page ? 0.42 * specimen_cover(u, v, 64.0, 40.0, 11.0, -0.21)
                                 : 0.42 * specimen_cover(u, v, 47.0, 27.0, 8.0, -0.21);
        c = mix(c, (rgb){205, 36, 46}, a);
    }
    return c;
}

/* ------------------------------------------------------------------ */
/* the scene: a card on a table, seen through a homography            */

typedef struct scene {
    int w, h;
    const design *d;
    int cloth;       /* background: 0 wood, 1 cloth */
    double cx, cy;   /* card centre, fraction of the frame */
    double width;    /* card width, fraction of min(w, 1.5 h) */
    double angle;    /* radians */
    double keystone; /* top edge shorter by this share */
    int specimen;    /* draw the SPECIMEN overlay */
    uint32_t seed;
    /* --detect-set only (all zero otherwise) */
    int use_quad; /* the document's corners are quad (TL, TR, BR, BL), not the above */
    double quad[4][2];
    int page;                   /* an ID-3 passport page (125 x 88 mm) instead of an ID-1 card */
    int no_card;                /* just the table */
    double shadow;              /* depth of a hard-edged shadow over the lower left (0: none) */
    double doc_w, doc_h, doc_r; /* --portrait-set: the document's size in mm (0: by page) */
} scene;

#define PAGE_W 125.0
#define PAGE_H 88.0
#define PAGE_R 1.5

/* Signed distance (mm) to a rounded w x h outline; negative inside. */
static double doc_sdf(double u, double v, double w, double h, double r)
{
    const double qx = fabs(u - w / 2) - (w / 2 - r);
    const double qy = fabs(v - h / 2) - (h / 2 - r);
    const double ox = qx > 0 ? qx : 0, oy = qy > 0 ? qy : 0;
    return sqrt(ox * ox + oy * oy) + fmin(fmax(qx, qy), 0.0) - r;
}

/* Projective map of the unit square onto quad q (Heckbert), inverted. */
static void quad_inverse(double q[4][2], double m[9])
{
    const double x0 = q[0][0], y0 = q[0][1], x1 = q[1][0], y1 = q[1][1];
    const double x2 = q[2][0], y2 = q[2][1], x3 = q[3][0], y3 = q[3][1];
    const double dx1 = x1 - x2, dx2 = x3 - x2, dx3 = x0 - x1 + x2 - x3;
    const double dy1 = y1 - y2, dy2 = y3 - y2, dy3 = y0 - y1 + y2 - y3;
    const double den = dx1 * dy2 - dx2 * dy1;
    const double g = (dx3 * dy2 - dx2 * dy3) / den, h = (dx1 * dy3 - dx3 * dy1) / den;
    const double a = x1 - x0 + g * x1, b = x3 - x0 + h * x3, c = x0;
    const double d = y1 - y0 + g * y1, e = y3 - y0 + h * y3, f = y0;
    /* adjugate of [[a b c][d e f][g h 1]] */
    m[0] = e - f * h;
    m[1] = c * h - b;
    m[2] = b * f - c * e;
    m[3] = f * g - d;
    m[4] = a - c * g;
    m[5] = c * d - a * f;
    m[6] = d * h - e * g;
    m[7] = b * g - a * h;
    m[8] = a * e - b * d;
}

static img *render(const scene *sc)
{
    const int W = sc->w, H = sc->h;
    const double base = fmin((double)W, 1.5 * H);
    const double su = 3000.0 / base; /* scene units per pixel */
    const double cw = sc->width * base, ch = cw * CARD_H / CARD_W;
    const double cx = sc->cx * W, cy = sc->cy * H;
    const double ca = cos(sc->angle), sa = sin(sc->angle);
    const double k = sc->keystone;
    const double corner[4][2] = {
        {-0.5 * (1 - k), -0.5}, {0.5 * (1 - k), -0.5}, {0.5, 0.5}, {-0.5, 0.5}};
    double q[4][2];
    for (int i = 0; i < 4; i++) {
        const double px = corner[i][0] * cw, py = corner[i][1] * ch;
        q[i][0] = cx + px * ca - py * sa;
        q[i][1] = cy + px * sa + py * ca;
    }
    double DW = sc->page ? PAGE_W : CARD_W, DH = sc->page ? PAGE_H : CARD_H;
    double DR = sc->page ? PAGE_R : CARD_R;
    if (sc->doc_w > 0) {
        DW = sc->doc_w;
        DH = sc->doc_h;
        DR = sc->doc_r;
    }
    double mmpp = CARD_W / cw; /* mm per pixel, roughly */
    if (sc->use_quad) {
        memcpy(q, sc->quad, sizeof(q));
        mmpp = DW / hypot(q[1][0] - q[0][0], q[1][1] - q[0][1]);
    }
    double m[9];
    quad_inverse(q, m);

    /* the table, on a coarse grid (it is smooth), bilinear in between */
    const int gs = 4, gw = W / gs + 2, gh = H / gs + 2;
    float *grid = xmalloc((size_t)gw * (size_t)gh * 3 * sizeof(float));
    const rgb wood = {150, 102, 62}, cloth = {78, 92, 112};
    static const rgb busy[5] = {
        {190, 60, 50}, {240, 226, 200}, {40, 90, 60}, {210, 170, 60}, {30, 40, 80}};
    for (int gy = 0; gy < gh; gy++)
        for (int gx = 0; gx < gw; gx++) {
            const double X = gx * gs * su, Y = gy * gs * su;
            rgb c;
            if (sc->cloth == 2) { /* busy: a printed fabric of blotches and stripes */
                const double n = fbm(X * 0.006, Y * 0.006, sc->seed + 29);
                c = busy[(int)(n * 13.0) % 5];
                if (fmod(fabs(X * 0.7 + Y * 0.45), 160.0) < 28.0)
                    c = (rgb){c.r * 0.55, c.g * 0.55, c.b * 0.55};
            } else if (sc->cloth == 3) { /* plain dark desk */
                const double f = 0.95 + 0.1 * fbm(X * 0.001, Y * 0.001, sc->seed + 31);
                c = (rgb){52 * f, 54 * f, 60 * f};
            } else if (sc->cloth == 4) { /* plain light desk */
                const double f = 0.95 + 0.1 * fbm(X * 0.001, Y * 0.001, sc->seed + 37);
                c = (rgb){186 * f, 180 * f, 170 * f};
            } else if (!sc->cloth) {
                const double warp = fbm(X * 0.0015, Y * 0.006, sc->seed + 11) * 60.0;
                const double rings = sin((Y + warp) * 0.085);
                const double blot = fbm(X * 0.004, Y * 0.02, sc->seed + 17);
                const double f = 0.80 + 0.08 * rings + 0.22 * blot;
                c = (rgb){wood.r * f, wood.g * f, wood.b * f * 0.95};
            } else {
                const double blot = fbm(X * 0.002, Y * 0.002, sc->seed + 23);
                const double f = 0.82 + 0.3 * blot;
                c = (rgb){cloth.r * f, cloth.g * f, cloth.b * f};
            }
            float *g = grid + ((size_t)gy * (size_t)gw + (size_t)gx) * 3;
            g[0] = (float)c.r;
            g[1] = (float)c.g;
            g[2] = (float)c.b;
        }
    /* per-row/column fine structure: wood fibres or cloth weave */
    double *fx = xmalloc((size_t)W * sizeof(double)), *fy = xmalloc((size_t)H * sizeof(double));
    for (int x = 0; x < W; x++)
        fx[x] = sc->cloth ? sin(x * su * 0.75) : 0.0;
    for (int y = 0; y < H; y++)
        fy[y] = sc->cloth ? sin(y * su * 0.75)
                          : 0.06 * (hash2(0, (int32_t)(y * su / 3.0), sc->seed) - 0.5);

    img *out = img_new(W, H, 3);
    for (int y = 0; y < H; y++) {
        const double py = y + 0.5;
        const int gy = y / gs;
        const double ty = (double)(y % gs) / gs;
        for (int x = 0; x < W; x++) {
            const double px = x + 0.5;
            const double den = m[6] * px + m[7] * py + m[8];
            const double u = (m[0] * px + m[1] * py + m[2]) / den * DW;
            const double v = (m[3] * px + m[4] * py + m[5]) / den * DH;
            const double sdf = sc->no_card ? 1e9 : doc_sdf(u, v, DW, DH, DR);
            const double cov = clampd(0.5 - sdf / mmpp, 0, 1);
            rgb col = {0, 0, 0};
            if (cov < 1) {
                const int gx = x / gs;
                const double tx = (double)(x % gs) / gs;
                const float *g00 = grid + ((size_t)gy * (size_t)gw + (size_t)gx) * 3;
                const float *g10 = g00 + 3, *g01 = g00 + (size_t)gw * 3, *g11 = g01 + 3;
                double c3[3];
                for (int i = 0; i < 3; i++) {
                    const double top = (double)g00[i] + ((double)g10[i] - (double)g00[i]) * tx;
                    const double bot = (double)g01[i] + ((double)g11[i] - (double)g01[i]) * tx;
                    c3[i] = top + (bot - top) * ty;
                }
                double fine = sc->cloth == 1   ? 1.0 + 0.05 * fx[x] * fy[y]
                              : sc->cloth == 0 ? 1.0 + fy[y]
                                               : 1.0;
                /* the card's soft shadow, cast down and to the right */
                const double sh =
                    sc->no_card
                        ? 1.0
                        : 1.0 - 0.45 * (1.0 - smoothstep(-2.5, 2.5,
                                                         doc_sdf(u - 1.4, v - 1.8, DW, DH, DR)));
                fine *= sh;
                col = (rgb){c3[0] * fine, c3[1] * fine, c3[2] * fine};
            }
            if (cov > 0) {
                const rgb cc = card_colour(sc->d, u, v, sc->specimen);
                col = mix(col, cc, cov);
            }
            /* light falls off away from the upper left */
            const double nx = px / W - 0.35, ny = py / H - 0.3;
            double light = 1.0 - 0.16 * (nx * nx + ny * ny);
            if (sc->shadow > 0) /* e.g. the phone's shadow: a hard edge across the lower left */
                light *= 1.0 - sc->shadow * smoothstep(-0.01, 0.01, py / H - 0.45 - 0.6 * px / W);
            uint8_t *o = out->px + ((size_t)y * (size_t)W + (size_t)x) * 3;
            o[0] = to_u8(col.r * light);
            o[1] = to_u8(col.g * light);
            o[2] = to_u8(col.b * light);
        }
    }
    free(fx);
    free(fy);
    free(grid);
    img_soften(out);
    return out;
}

/* ------------------------------------------------------------------ */
/* the camera: exposure, glare, sensor noise                          */

typedef enum tone { TONE_NORMAL, TONE_DARK, TONE_BRIGHT, TONE_GREY } tone;

typedef struct glare {
    double share;  /* share of the frame clipped (0 for none) */
    double cx, cy; /* centre, fraction of the frame */
} glare;

static double glare_add(double dx, double dy, double r)
{
    const double d2 = (dx * dx) / (1.3 * 1.3) + dy * dy;
    const double rr = d2 / (r * r);
    if (rr > 16.0)
        return 0.0;
    return rr < 1.0 ? 400.0 : 400.0 * exp(-(sqrt(rr) - 1.0) * 3.0);
}

/* Radius of the glare blob whose clipped (luma >= 250) share is g->share. */
static double glare_radius(const img *src, const glare *g)
{
    const double cx = g->cx * src->w, cy = g->cy * src->h;
    double lo = 1, hi = src->w;
    for (int it = 0; it < 24; it++) {
        const double r = 0.5 * (lo + hi);
        size_t clipped = 0, total = 0;
        for (int y = 2; y < src->h; y += 4)
            for (int x = 2; x < src->w; x += 4) {
                const uint8_t *p = src->px + ((size_t)y * (size_t)src->w + (size_t)x) * 3;
                total++;
                if (luma(p) + glare_add(x - cx, y - cy, r) >= 250.0)
                    clipped++;
            }
        if ((double)clipped / (double)total < g->share)
            lo = r;
        else
            hi = r;
    }
    return 0.5 * (lo + hi);
}

/* A photo from a clean render: exposure, glare, noise (luma sigma). */
static img *camera(const img *src, tone t, const glare *g, double sigma, uint64_t seed)
{
    img *out = img_new(src->w, src->h, t == TONE_GREY ? 1 : 3);
    double r = 0, gcx = 0, gcy = 0;
    if (g && g->share > 0) {
        r = glare_radius(src, g);
        gcx = g->cx * src->w;
        gcy = g->cy * src->h;
    }
    /* one 64-bit draw per pixel: luma noise from three 12-bit uniforms
     * (Irwin-Hall, close to gaussian), chroma noise from three bytes */
    const double nscale = sigma / 2048.0, cscale = sigma / 256.0;
    const int dark = t == TONE_DARK, bright = t == TONE_BRIGHT, grey = t == TONE_GREY;
    uint64_t st = seed;
    for (int y = 0; y < src->h; y++)
        for (int x = 0; x < src->w; x++) {
            const size_t i = (size_t)y * (size_t)src->w + (size_t)x;
            const uint8_t *p = src->px + i * 3;
            const double Y = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
            double c0 = p[0], c1 = p[1], c2 = p[2];
            if (dark || bright) {
                const double Yn = dark ? 4.0 + Y * 0.11 : 232.0 + 12.0 * (Y / 230.0);
                const double s = dark ? 0.3 : 0.35;
                c0 = Yn + (c0 - Y) * s;
                c1 = Yn + (c1 - Y) * s;
                c2 = Yn + (c2 - Y) * s;
            }
            const double add = r > 0 ? glare_add(x - gcx, y - gcy, r) : 0.0;
            const uint64_t rnd = splitmix64(&st);
            const double n =
                ((double)((rnd & 0xFFFu) + ((rnd >> 12) & 0xFFFu) + ((rnd >> 24) & 0xFFFu)) -
                 6142.5) *
                nscale;
            /* clipped: the sensor's full well, still a little noisy */
            const double clip = 255.0 - fabs(n) * 0.6;
            if (grey) {
                const double v = Y + add;
                out->px[i] = to_u8(v >= 255.0 ? clip : v + n);
                continue;
            }
            uint8_t *o = out->px + i * 3;
            double v = c0 + add;
            v = v >= 255.0 ? clip : v + n + ((double)((rnd >> 40) & 0xFFu) - 127.5) * cscale;
            o[0] = (uint8_t)(v <= 0.0 ? 0 : (v >= 255.0 ? 255 : (int)(v + 0.5)));
            v = c1 + add;
            v = v >= 255.0 ? clip : v + n + ((double)((rnd >> 48) & 0xFFu) - 127.5) * cscale;
            o[1] = (uint8_t)(v <= 0.0 ? 0 : (v >= 255.0 ? 255 : (int)(v + 0.5)));
            v = c2 + add;
            v = v >= 255.0 ? clip : v + n + ((double)((rnd >> 56) & 0xFFu) - 127.5) * cscale;
            o[2] = (uint8_t)(v <= 0.0 ? 0 : (v >= 255.0 ? 255 : (int)(v + 0.5)));
        }
    return out;
}

/* A grey image as 3 equal channels (a black-and-white photo). */
static img *grey_to_rgb(const img *g)
{
    img *out = img_new(g->w, g->h, 3);
    for (size_t i = 0; i < (size_t)g->w * (size_t)g->h; i++)
        out->px[i * 3] = out->px[i * 3 + 1] = out->px[i * 3 + 2] = g->px[i];
    return out;
}

/* ------------------------------------------------------------------ */
/* EXIF (libexif)                                                     */

typedef struct exif_spec {
    const char *make, *model;
    int orientation;      /* 0: none */
    const char *datetime; /* DateTimeOriginal, "YYYY:MM:DD HH:MM:SS" */
    int camera;           /* ExposureTime, FNumber, ISO, focal length */
    int wide_gamut;       /* ColorSpace "uncalibrated" (a P3 phone photo) */
    int gps;
    const img *thumb_src; /* EXIF thumbnail made from this, if not NULL */
} exif_spec;

static ExifEntry *exif_add(ExifData *ed, ExifIfd ifd, ExifTag tag, ExifFormat fmt,
                           unsigned long components)
{
    ExifMem *mem = exif_mem_new_default();
    ExifEntry *e = exif_entry_new_mem(mem);
    if (!mem || !e)
        die("libexif: out of memory");
    const unsigned int size = exif_format_get_size(fmt) * (unsigned int)components;
    e->data = exif_mem_alloc(mem, size);
    if (!e->data)
        die("libexif: out of memory");
    e->size = size;
    e->tag = tag;
    e->format = fmt;
    e->components = components;
    exif_content_add_entry(ed->ifd[ifd], e);
    exif_mem_unref(mem);
    exif_entry_unref(e);
    return e;
}

static void exif_ascii(ExifData *ed, ExifIfd ifd, ExifTag tag, const char *s)
{
    const size_t n = strlen(s) + 1;
    ExifEntry *e = exif_add(ed, ifd, tag, EXIF_FORMAT_ASCII, n);
    memcpy(e->data, s, n);
}

static void exif_short(ExifData *ed, ExifIfd ifd, ExifTag tag, unsigned v)
{
    ExifEntry *e = exif_add(ed, ifd, tag, EXIF_FORMAT_SHORT, 1);
    exif_set_short(e->data, EXIF_BYTE_ORDER_INTEL, (ExifShort)v);
}

static void exif_rationals(ExifData *ed, ExifIfd ifd, ExifTag tag, const unsigned *nd, unsigned n)
{
    ExifEntry *e = exif_add(ed, ifd, tag, EXIF_FORMAT_RATIONAL, n);
    for (unsigned i = 0; i < n; i++) {
        ExifRational r = {nd[2 * i], nd[2 * i + 1]};
        exif_set_rational(e->data + 8 * i, EXIF_BYTE_ORDER_INTEL, r);
    }
}

static void encode_jpeg(const img *im, int quality, const buf *exif, const buf *icc, buf *out);

/* The APP1 payload ("Exif\0\0" + TIFF) for spec; caller frees out->p. */
static void make_exif(const exif_spec *spec, int width, int height, buf *out)
{
    ExifData *ed = exif_data_new();
    if (!ed)
        die("libexif: out of memory");
    exif_data_set_byte_order(ed, EXIF_BYTE_ORDER_INTEL);
    exif_data_set_data_type(ed, EXIF_DATA_TYPE_COMPRESSED);
    const unsigned res[2] = {72, 1};
    exif_ascii(ed, EXIF_IFD_0, EXIF_TAG_MAKE, spec->make);
    exif_ascii(ed, EXIF_IFD_0, EXIF_TAG_MODEL, spec->model);
    if (spec->orientation)
        exif_short(ed, EXIF_IFD_0, EXIF_TAG_ORIENTATION, (unsigned)spec->orientation);
    exif_rationals(ed, EXIF_IFD_0, EXIF_TAG_X_RESOLUTION, res, 1);
    exif_rationals(ed, EXIF_IFD_0, EXIF_TAG_Y_RESOLUTION, res, 1);
    exif_short(ed, EXIF_IFD_0, EXIF_TAG_RESOLUTION_UNIT, 2);
    exif_ascii(ed, EXIF_IFD_0, EXIF_TAG_SOFTWARE, "idp_mkphotos");
    exif_short(ed, EXIF_IFD_0, EXIF_TAG_YCBCR_POSITIONING, 1);
    if (spec->datetime) {
        exif_ascii(ed, EXIF_IFD_0, EXIF_TAG_DATE_TIME, spec->datetime);
        exif_ascii(ed, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL, spec->datetime);
        exif_ascii(ed, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_DIGITIZED, spec->datetime);
    }
    {
        ExifEntry *e = exif_add(ed, EXIF_IFD_EXIF, EXIF_TAG_EXIF_VERSION, EXIF_FORMAT_UNDEFINED, 4);
        memcpy(e->data, "0232", 4);
        e = exif_add(ed, EXIF_IFD_EXIF, EXIF_TAG_COMPONENTS_CONFIGURATION, EXIF_FORMAT_UNDEFINED,
                     4);
        const unsigned char ycbcr[4] = {1, 2, 3, 0};
        memcpy(e->data, ycbcr, 4);
        e = exif_add(ed, EXIF_IFD_EXIF, EXIF_TAG_FLASH_PIX_VERSION, EXIF_FORMAT_UNDEFINED, 4);
        memcpy(e->data, "0100", 4);
        e = exif_add(ed, EXIF_IFD_EXIF, EXIF_TAG_PIXEL_X_DIMENSION, EXIF_FORMAT_LONG, 1);
        exif_set_long(e->data, EXIF_BYTE_ORDER_INTEL, (ExifLong)width);
        e = exif_add(ed, EXIF_IFD_EXIF, EXIF_TAG_PIXEL_Y_DIMENSION, EXIF_FORMAT_LONG, 1);
        exif_set_long(e->data, EXIF_BYTE_ORDER_INTEL, (ExifLong)height);
    }
    if (spec->camera) {
        const unsigned exposure[2] = {1, 120}, fnumber[2] = {18, 10}, focal[2] = {565, 100};
        exif_rationals(ed, EXIF_IFD_EXIF, EXIF_TAG_EXPOSURE_TIME, exposure, 1);
        exif_rationals(ed, EXIF_IFD_EXIF, EXIF_TAG_FNUMBER, fnumber, 1);
        exif_short(ed, EXIF_IFD_EXIF, EXIF_TAG_ISO_SPEED_RATINGS, 100);
        exif_rationals(ed, EXIF_IFD_EXIF, EXIF_TAG_FOCAL_LENGTH, focal, 1);
        exif_short(ed, EXIF_IFD_EXIF, EXIF_TAG_COLOR_SPACE, spec->wide_gamut ? 0xFFFFu : 1u);
    }
    if (spec->gps) {
        ExifEntry *e =
            exif_add(ed, EXIF_IFD_GPS, (ExifTag)EXIF_TAG_GPS_VERSION_ID, EXIF_FORMAT_BYTE, 4);
        const unsigned char ver[4] = {2, 3, 0, 0};
        memcpy(e->data, ver, 4);
        /* a fictitious spot: 45 deg 28' 1.5" N, 9 deg 11' 24.3" E */
        const unsigned lat[6] = {45, 1, 28, 1, 15, 10}, lon[6] = {9, 1, 11, 1, 243, 10};
        exif_ascii(ed, EXIF_IFD_GPS, (ExifTag)EXIF_TAG_GPS_LATITUDE_REF, "N");
        exif_rationals(ed, EXIF_IFD_GPS, (ExifTag)EXIF_TAG_GPS_LATITUDE, lat, 3);
        exif_ascii(ed, EXIF_IFD_GPS, (ExifTag)EXIF_TAG_GPS_LONGITUDE_REF, "E");
        exif_rationals(ed, EXIF_IFD_GPS, (ExifTag)EXIF_TAG_GPS_LONGITUDE, lon, 3);
    }
    if (spec->thumb_src) {
        const int tw = 160, th = (int)lround(160.0 * spec->thumb_src->h / spec->thumb_src->w);
        img *t = img_resample(spec->thumb_src, tw, th);
        buf tj = {0};
        encode_jpeg(t, 75, NULL, NULL, &tj);
        img_free(t);
        exif_short(ed, EXIF_IFD_1, EXIF_TAG_COMPRESSION, 6);
        exif_rationals(ed, EXIF_IFD_1, EXIF_TAG_X_RESOLUTION, res, 1);
        exif_rationals(ed, EXIF_IFD_1, EXIF_TAG_Y_RESOLUTION, res, 1);
        exif_short(ed, EXIF_IFD_1, EXIF_TAG_RESOLUTION_UNIT, 2);
        ed->data = tj.p; /* owned by ed now (freed with free() by the default allocator) */
        ed->size = (unsigned int)tj.n;
    }
    unsigned char *d = NULL;
    unsigned int n = 0;
    exif_data_save_data(ed, &d, &n);
    if (!d || n < 6 || n > 65533)
        die("libexif: cannot serialise EXIF (%u bytes)", n);
    buf_add(out, d, n);
    free(d);
    exif_data_unref(ed);
}

/* ------------------------------------------------------------------ */
/* JPEG and PNG writers                                               */

MK_NORETURN static void jpeg_die(j_common_ptr cinfo);

static void jpeg_die(j_common_ptr cinfo)
{
    char msg[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, msg);
    die("libjpeg: %s", msg);
}

static void jpeg_to_buf(struct jpeg_compress_struct *ci, unsigned char *mem, unsigned long size,
                        buf *out)
{
    (void)ci;
    buf_add(out, mem, (size_t)size);
    free(mem);
}

/* 8-bit JPEG of an RGB or grey image, 4:2:0; exif (APP1 payload) and an
 * ICC profile (APP2) if given. */
static void encode_jpeg(const img *im, int quality, const buf *exif, const buf *icc, buf *out)
{
    struct jpeg_compress_struct ci;
    struct jpeg_error_mgr jerr;
    ci.err = jpeg_std_error(&jerr);
    jerr.error_exit = jpeg_die;
    jpeg_create_compress(&ci);
    unsigned char *mem = NULL;
    unsigned long size = 0;
    jpeg_mem_dest(&ci, &mem, &size);
    ci.image_width = (JDIMENSION)im->w;
    ci.image_height = (JDIMENSION)im->h;
    ci.input_components = im->c;
    ci.in_color_space = im->c == 3 ? JCS_RGB : JCS_GRAYSCALE;
    jpeg_set_defaults(&ci);
    jpeg_set_quality(&ci, quality, TRUE);
    if (exif)
        ci.write_JFIF_header = FALSE; /* camera files carry EXIF, not JFIF */
    jpeg_start_compress(&ci, TRUE);
    if (exif)
        jpeg_write_marker(&ci, JPEG_APP0 + 1, exif->p, (unsigned int)exif->n);
    if (icc)
        jpeg_write_icc_profile(&ci, icc->p, (unsigned int)icc->n);
    const size_t stride = (size_t)im->w * (size_t)im->c;
    while (ci.next_scanline < ci.image_height) {
        JSAMPROW row = im->px + (size_t)ci.next_scanline * stride;
        jpeg_write_scanlines(&ci, &row, 1);
    }
    jpeg_finish_compress(&ci);
    jpeg_destroy_compress(&ci);
    jpeg_to_buf(&ci, mem, size, out);
}

/* Adobe CMYK JPEG, inverted as Photoshop writes it (255 = no ink); ycck
 * stores it as YCCK (Adobe transform 2, chroma subsampled) instead of
 * plain CMYK (transform 0). */
static void encode_cmyk(const img *im, int quality, int ycck, buf *out)
{
    struct jpeg_compress_struct ci;
    struct jpeg_error_mgr jerr;
    ci.err = jpeg_std_error(&jerr);
    jerr.error_exit = jpeg_die;
    jpeg_create_compress(&ci);
    unsigned char *mem = NULL;
    unsigned long size = 0;
    jpeg_mem_dest(&ci, &mem, &size);
    ci.image_width = (JDIMENSION)im->w;
    ci.image_height = (JDIMENSION)im->h;
    ci.input_components = 4;
    ci.in_color_space = JCS_CMYK;
    jpeg_set_defaults(&ci);
    jpeg_set_colorspace(&ci, ycck ? JCS_YCCK : JCS_CMYK);
    jpeg_set_quality(&ci, quality, TRUE);
    ci.write_Adobe_marker = TRUE;
    ci.write_JFIF_header = FALSE;
    jpeg_start_compress(&ci, TRUE);
    uint8_t *row = xmalloc((size_t)im->w * 4);
    while (ci.next_scanline < ci.image_height) {
        const uint8_t *p = im->px + (size_t)ci.next_scanline * (size_t)im->w * 3;
        for (int x = 0; x < im->w; x++) {
            const double r = p[3 * x] / 255.0, g = p[3 * x + 1] / 255.0, b = p[3 * x + 2] / 255.0;
            const double kk = 1.0 - fmax(r, fmax(g, b));
            const double dd = kk < 1.0 ? 1.0 - kk : 1.0;
            const double cc = (1.0 - r - kk) / dd, mm = (1.0 - g - kk) / dd,
                         yy = (1.0 - b - kk) / dd;
            row[4 * x] = to_u8(255.0 * (1.0 - cc));
            row[4 * x + 1] = to_u8(255.0 * (1.0 - mm));
            row[4 * x + 2] = to_u8(255.0 * (1.0 - yy));
            row[4 * x + 3] = to_u8(255.0 * (1.0 - kk));
        }
        JSAMPROW rp = row;
        jpeg_write_scanlines(&ci, &rp, 1);
    }
    free(row);
    jpeg_finish_compress(&ci);
    jpeg_destroy_compress(&ci);
    jpeg_to_buf(&ci, mem, size, out);
}

/* Decodes an in-memory 8-bit JPEG to RGB (for re-encoding a photo). */
static img *decode_jpeg(const buf *in)
{
    struct jpeg_decompress_struct ci;
    struct jpeg_error_mgr jerr;
    ci.err = jpeg_std_error(&jerr);
    jerr.error_exit = jpeg_die;
    jpeg_create_decompress(&ci);
    jpeg_mem_src(&ci, in->p, (unsigned long)in->n);
    jpeg_read_header(&ci, TRUE);
    ci.out_color_space = JCS_RGB;
    jpeg_start_decompress(&ci);
    img *im = img_new((int)ci.output_width, (int)ci.output_height, 3);
    while (ci.output_scanline < ci.output_height) {
        JSAMPROW row = im->px + (size_t)ci.output_scanline * (size_t)im->w * 3;
        jpeg_read_scanlines(&ci, &row, 1);
    }
    jpeg_finish_decompress(&ci);
    jpeg_destroy_decompress(&ci);
    return im;
}

MK_NORETURN static void png_die(png_structp png, png_const_charp msg);

static void png_die(png_structp png, png_const_charp msg)
{
    (void)png;
    die("libpng: %s", msg);
}

static void png_warn(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

static void png_write_buf(png_structp png, png_bytep data, size_t n)
{
    buf_add((buf *)png_get_io_ptr(png), data, n);
}

static void png_flush_buf(png_structp png)
{
    (void)png;
}

/* PNG of an 8-bit image; depth16 writes 16 bits per sample, the low byte
 * carrying the sub-level noise so the extra bits are real. */
static void encode_png(const img *im, int depth16, uint64_t seed, buf *out)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, png_die, png_warn);
    if (!png)
        die("libpng: out of memory");
    png_infop info = png_create_info_struct(png);
    if (!info)
        die("libpng: out of memory");
    png_set_write_fn(png, out, png_write_buf, png_flush_buf);
    png_set_compression_level(png, 1);
    png_set_IHDR(png, info, (png_uint_32)im->w, (png_uint_32)im->h, depth16 ? 16 : 8,
                 im->c == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    const size_t n = (size_t)im->w * (size_t)im->c;
    uint8_t *row = xmalloc(n * 2);
    uint64_t st = seed;
    for (int y = 0; y < im->h; y++) {
        const uint8_t *src = im->px + (size_t)y * n;
        if (depth16) {
            for (size_t i = 0; i < n; i++) {
                const double v = src[i] * 257.0 + (double)(splitmix64(&st) & 0xFFu) - 127.5;
                const unsigned s = (unsigned)clampd(floor(v + 0.5), 0, 65535);
                row[2 * i] = (uint8_t)(s >> 8);
                row[2 * i + 1] = (uint8_t)(s & 0xFFu);
            }
            png_write_row(png, row);
        } else {
            memcpy(row, src, n);
            png_write_row(png, row);
        }
    }
    free(row);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
}

/* ------------------------------------------------------------------ */
/* a Display P3 photo: pixels in P3, tagged with a matrix/TRC ICC profile */

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static void put_be16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void put_s15f16(unsigned char *p, double v)
{
    const int32_t f = (int32_t)lround(v * 65536.0);
    p[0] = (unsigned char)((uint32_t)f >> 24);
    p[1] = (unsigned char)((uint32_t)f >> 16);
    p[2] = (unsigned char)((uint32_t)f >> 8);
    p[3] = (unsigned char)(uint32_t)f;
}

static double srgb_to_linear(double v)
{
    return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

static double linear_to_srgb(double v)
{
    return v <= 0.0031308 ? v * 12.92 : 1.055 * pow(v, 1.0 / 2.4) - 0.055;
}

static void icc_pad(buf *b)
{
    static const unsigned char zero[4] = {0, 0, 0, 0};
    if (b->n % 4)
        buf_add(b, zero, 4 - b->n % 4);
}

static void icc_xyz(buf *b, double x, double y, double z)
{
    unsigned char t[20] = {'X', 'Y', 'Z', ' ', 0, 0, 0, 0};
    put_s15f16(t + 8, x);
    put_s15f16(t + 12, y);
    put_s15f16(t + 16, z);
    buf_add(b, t, sizeof t);
}

/* An ICC v2.1 display profile "Display P3" (idp_mkphotos): D50-adapted P3
 * colorants, the sRGB tone curve as a 1024-entry table. */
static void make_p3_profile(buf *out)
{
    enum { NTAG = 9 };
    static const char *const sig[NTAG] = {"desc", "cprt", "wtpt", "rXYZ", "gXYZ",
                                          "bXYZ", "rTRC", "gTRC", "bTRC"};
    size_t off[NTAG], len[NTAG];
    buf data = {0};
    const size_t base = 128 + 4 + 12 * NTAG;
    /* desc: textDescriptionType */
    {
        static const char name[] = "Display P3 (idp_mkphotos)";
        unsigned char t[12] = {'d', 'e', 's', 'c', 0, 0, 0, 0};
        put_be32(t + 8, (uint32_t)sizeof name);
        off[0] = data.n;
        buf_add(&data, t, 12);
        buf_add(&data, name, sizeof name);
        unsigned char tail[4 + 4 + 2 + 1 + 67];
        memset(tail, 0, sizeof tail);
        buf_add(&data, tail, sizeof tail);
        len[0] = data.n - off[0];
        icc_pad(&data);
    }
    {
        static const char text[] = "No copyright, use freely (synthetic test data)";
        unsigned char t[8] = {'t', 'e', 'x', 't', 0, 0, 0, 0};
        off[1] = data.n;
        buf_add(&data, t, 8);
        buf_add(&data, text, sizeof text);
        len[1] = data.n - off[1];
        icc_pad(&data);
    }
    static const double xyz[4][3] = {{0.96420, 1.00000, 0.82491}, /* D50 */
                                     {0.51512, 0.24120, -0.00105},
                                     {0.29198, 0.69225, 0.04189},
                                     {0.15710, 0.06657, 0.78407}};
    for (int i = 0; i < 4; i++) {
        off[2 + i] = data.n;
        icc_xyz(&data, xyz[i][0], xyz[i][1], xyz[i][2]);
        len[2 + i] = 20;
    }
    {
        enum { NCURVE = 1024 };
        unsigned char t[12] = {'c', 'u', 'r', 'v', 0, 0, 0, 0};
        put_be32(t + 8, NCURVE);
        const size_t o = data.n;
        buf_add(&data, t, 12);
        for (int i = 0; i < NCURVE; i++) {
            unsigned char v[2];
            put_be16(v, (unsigned)lround(srgb_to_linear(i / (NCURVE - 1.0)) * 65535.0));
            buf_add(&data, v, 2);
        }
        for (int i = 6; i < 9; i++) {
            off[i] = o;
            len[i] = data.n - o;
        }
        icc_pad(&data);
    }
    unsigned char hdr[128];
    memset(hdr, 0, sizeof hdr);
    put_be32(hdr, (uint32_t)(base + data.n));
    put_be32(hdr + 8, 0x02100000u);
    memcpy(hdr + 12, "mntrRGB XYZ ", 12);
    const unsigned date[6] = {2025, 1, 1, 0, 0, 0};
    for (int i = 0; i < 6; i++)
        put_be16(hdr + 24 + 2 * i, date[i]);
    memcpy(hdr + 36, "acsp", 4);
    put_s15f16(hdr + 68, 0.9642);
    put_s15f16(hdr + 72, 1.0);
    put_s15f16(hdr + 76, 0.8249);
    buf_add(out, hdr, sizeof hdr);
    unsigned char n[4];
    put_be32(n, NTAG);
    buf_add(out, n, 4);
    for (int i = 0; i < NTAG; i++) {
        unsigned char e[12];
        memcpy(e, sig[i], 4);
        put_be32(e + 4, (uint32_t)(base + off[i]));
        put_be32(e + 8, (uint32_t)len[i]);
        buf_add(out, e, 12);
    }
    buf_add(out, data.p, data.n);
    free(data.p);
}

/* The same colours expressed in Display P3 (both D65, sRGB tone curve). */
static img *srgb_to_p3(const img *src)
{
    static const double m[3][3] = {{0.8224621, 0.1775380, 0.0000000},
                                   {0.0331941, 0.9668058, 0.0000000},
                                   {0.0170827, 0.0723974, 0.9105199}};
    double lut[256];
    for (int i = 0; i < 256; i++)
        lut[i] = srgb_to_linear(i / 255.0);
    img *out = img_new(src->w, src->h, 3);
    const size_t n = (size_t)src->w * (size_t)src->h;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *p = src->px + i * 3;
        for (int k = 0; k < 3; k++) {
            const double v = m[k][0] * lut[p[0]] + m[k][1] * lut[p[1]] + m[k][2] * lut[p[2]];
            out->px[i * 3 + (size_t)k] = to_u8(255.0 * linear_to_srgb(clampd(v, 0, 1)));
        }
    }
    return out;
}

/* ------------------------------------------------------------------ */
/* malformed files                                                    */

static uint32_t crc32_png(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return c ^ 0xFFFFFFFFu;
}

static uint32_t get_be32(const unsigned char *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void png_chunk(buf *b, const char *type, const unsigned char *data, uint32_t n)
{
    unsigned char hdr[8];
    put_be32(hdr, n);
    memcpy(hdr + 4, type, 4);
    buf_add(b, hdr, 8);
    buf crcin = {0};
    buf_add(&crcin, type, 4);
    if (n)
        buf_add(&crcin, data, n);
    if (n)
        buf_add(b, data, n);
    unsigned char crc[4];
    put_be32(crc, crc32_png(crcin.p, crcin.n));
    buf_add(b, crc, 4);
    free(crcin.p);
}

/* A PNG header claiming 100000 x 100000 RGB, a tiny IDAT, IEND. */
static void make_png_bomb(buf *b)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    buf_add(b, sig, 8);
    unsigned char ihdr[13];
    put_be32(ihdr, 100000);
    put_be32(ihdr + 4, 100000);
    ihdr[8] = 8;  /* bit depth */
    ihdr[9] = 2;  /* RGB */
    ihdr[10] = 0; /* deflate */
    ihdr[11] = 0; /* adaptive filtering */
    ihdr[12] = 0; /* not interlaced */
    png_chunk(b, "IHDR", ihdr, 13);
    /* zlib header and the start of a stored block: far too little data */
    static const unsigned char idat[] = {0x78, 0x01, 0x00, 0x10, 0x00, 0xEF, 0xFF, 0, 0, 0, 0, 0};
    png_chunk(b, "IDAT", idat, (uint32_t)sizeof idat);
    png_chunk(b, "IEND", NULL, 0);
}

/* Flips one byte in the middle of the first IDAT chunk's data. */
static void png_break_crc(buf *b)
{
    size_t off = 8;
    while (off + 12 <= b->n) {
        const uint32_t len = get_be32(b->p + off);
        if (memcmp(b->p + off + 4, "IDAT", 4) == 0 && len > 16) {
            b->p[off + 8 + len / 2] ^= 0x5A;
            return;
        }
        off += 12 + (size_t)len;
    }
    die("no IDAT chunk to corrupt");
}

/* A small real JPEG whose SOF0 is changed to claim 65000 x 65000, cut a
 * few bytes after the start of scan. */
static void make_jpeg_bomb(buf *b)
{
    img *im = img_new(16, 16, 3);
    for (size_t i = 0; i < 16 * 16 * 3; i++)
        im->px[i] = (uint8_t)(i * 7);
    buf j = {0};
    encode_jpeg(im, 90, NULL, NULL, &j);
    img_free(im);
    size_t off = 2, cut = 0;
    int patched = 0;
    while (off + 4 <= j.n && j.p[off] == 0xFF) {
        const unsigned marker = j.p[off + 1];
        const size_t len = ((size_t)j.p[off + 2] << 8) | j.p[off + 3];
        if (marker == 0xC0) {
            j.p[off + 5] = 0xFD; /* height 65000 */
            j.p[off + 6] = 0xE8;
            j.p[off + 7] = 0xFD; /* width 65000 */
            j.p[off + 8] = 0xE8;
            patched = 1;
        }
        if (marker == 0xDA) {
            cut = off + 2 + len + 12;
            break;
        }
        off += 2 + len;
    }
    if (!patched || !cut || cut > j.n)
        die("cannot make the JPEG bomb");
    buf_add(b, j.p, cut);
    static const unsigned char eoi[2] = {0xFF, 0xD9};
    buf_add(b, eoi, 2);
    free(j.p);
}

/* ------------------------------------------------------------------ */
/* the screenshot                                                      */

static void fill(img *im, int x0, int y0, int x1, int y1, rgb c)
{
    for (int y = y0 < 0 ? 0 : y0; y < y1 && y < im->h; y++)
        for (int x = x0 < 0 ? 0 : x0; x < x1 && x < im->w; x++) {
            uint8_t *p = im->px + ((size_t)y * (size_t)im->w + (size_t)x) * 3;
            p[0] = to_u8(c.r);
            p[1] = to_u8(c.g);
            p[2] = to_u8(c.b);
        }
}

static void draw_text(img *im, int x, int y, int dot, rgb c, const char *s)
{
    for (size_t i = 0; s[i]; i++)
        for (int row = 0; row < 7; row++)
            for (int col = 0; col < 5; col++)
                if (glyph_on(s[i], col, row)) {
                    const int px = x + (int)i * 6 * dot + col * dot, py = y + row * dot;
                    fill(im, px, py, px + dot, py + dot, c);
                }
}

/* A phone screenshot (1170 x 2532) of a photo viewer showing the card. */
static img *make_screenshot(const img *photo)
{
    img *im = img_new(1170, 2532, 3);
    const rgb bg = {242, 242, 247}, bar = {247, 247, 249}, blue = {0, 122, 255};
    const rgb dark = {28, 28, 30}, grey = {142, 142, 147}, sep = {198, 198, 200};
    fill(im, 0, 0, 1170, 2532, bg);
    fill(im, 0, 0, 1170, 300, bar);
    draw_text(im, 60, 50, 6, dark, "9:41");
    fill(im, 1010, 52, 1100, 92, dark); /* battery */
    fill(im, 1100, 62, 1108, 82, dark);
    draw_text(im, 40, 190, 7, blue, "<ALBUMS");
    draw_text(im, 460, 190, 8, dark, "RECENTS");
    fill(im, 0, 299, 1170, 301, sep);
    /* the photo, edge to edge */
    if (photo->w != 1170 || photo->h != 780)
        die("screenshot: the photo must be 1170x780");
    for (int y = 0; y < 780; y++)
        memcpy(im->px + ((size_t)(360 + y) * 1170) * 3, photo->px + (size_t)y * 1170 * 3, 1170 * 3);
    /* a panel of details */
    fill(im, 40, 1200, 1130, 1640, (rgb){248, 248, 248});
    draw_text(im, 80, 1240, 6, dark, "ID CARD FRONT.JPG");
    draw_text(im, 80, 1320, 5, grey, "TODAY 10:21");
    fill(im, 80, 1400, 1090, 1402, sep);
    draw_text(im, 80, 1440, 5, grey, "3000 X 2000  6 MP");
    draw_text(im, 80, 1520, 5, grey, "2.1 MB");
    /* a strip of thumbnails: flat colours */
    static const rgb tiles[8] = {{88, 86, 214},  {255, 149, 0},  {52, 199, 89}, {255, 59, 48},
                                 {90, 200, 250}, {175, 82, 222}, {255, 204, 0}, {162, 132, 94}};
    for (int i = 0; i < 8; i++) {
        const int tx = 40 + (i % 4) * 275, ty = 1700 + (i / 4) * 275;
        fill(im, tx, ty, tx + 265, ty + 265, tiles[i]);
    }
    /* buttons and the toolbar */
    fill(im, 40, 2260, 565, 2370, blue);
    draw_text(im, 200, 2294, 6, (rgb){236, 240, 248}, "SHARE");
    fill(im, 605, 2260, 1130, 2370, dark);
    draw_text(im, 745, 2294, 6, (rgb){236, 236, 240}, "DELETE");
    fill(im, 0, 2400, 1170, 2532, bar);
    fill(im, 0, 2400, 1170, 2402, sep);
    fill(im, 420, 2490, 750, 2502, (rgb){20, 20, 22}); /* home indicator */
    return im;
}

/* ------------------------------------------------------------------ */
/* the people on the cards (fictitious)                               */

static const person test_person = {
    .surname = "TESTPERSON",
    .given = "ALEX JORDAN",
    .dob_print = "03.05.1990",
    .dob_mrz = "900503",
    .sex = "X",
    .expiry_print = "14.09.2035",
    .expiry_mrz = "350914",
    .docno = "T22000129",
    .place = "UTOPIA CITY",
    .address1 = "EXAMPLE ROAD 7",
    .address2 = "12345 UTOPIA CITY",
    .authority = "CITY OF UTOPIA",
    .issued = "15.09.2025",
};

static const person specimen_person = {
    .surname = "MUSTERMANN",
    .given = "ERIKA",
    .dob_print = "12.08.1983",
    .dob_mrz = "830812",
    .sex = "F",
    .expiry_print = "31.12.2034",
    .expiry_mrz = "341231",
    .docno = "L01X00T47",
    .place = "SPECIMEN",
    .address1 = "HAUPTSTRASSE 12",
    .address2 = "51147 SPECIMEN",
    .authority = "SPECIMEN OFFICE",
    .issued = "01.01.2025",
};

/* ------------------------------------------------------------------ */
/* the outputs                                                        */

static void save_jpeg_icc(const char *dir, const char *name, const img *im, int quality,
                          const exif_spec *ex, const buf *icc)
{
    buf e = {0}, j = {0};
    if (ex)
        make_exif(ex, im->w, im->h, &e);
    encode_jpeg(im, quality, ex ? &e : NULL, icc, &j);
    write_file(dir, name, j.p, j.n);
    free(e.p);
    free(j.p);
}

static void save_jpeg(const char *dir, const char *name, const img *im, int quality,
                      const exif_spec *ex)
{
    save_jpeg_icc(dir, name, im, quality, ex, NULL);
}

static void save_png(const char *dir, const char *name, const img *im, int depth16, uint64_t seed)
{
    buf b = {0};
    encode_png(im, depth16, seed, &b);
    write_file(dir, name, b.p, b.n);
    free(b.p);
}

static scene front_scene(int w, int h, const design *d, int specimen)
{
    return (scene){.w = w,
                   .h = h,
                   .d = d,
                   .cloth = 0,
                   .cx = 0.5,
                   .cy = 0.51,
                   .width = 0.78,
                   .angle = -0.035,
                   .keystone = 0.03,
                   .specimen = specimen,
                   .seed = 101};
}

static scene back_scene(int w, int h, const design *d, int specimen)
{
    return (scene){.w = w,
                   .h = h,
                   .d = d,
                   .cloth = 1,
                   .cx = 0.52,
                   .cy = 0.49,
                   .width = 0.74,
                   .angle = 0.05,
                   .keystone = 0.025,
                   .specimen = specimen,
                   .seed = 202};
}

static const exif_spec camera_exif = {
    .make = "idpack-synth",
    .model = "Phone Camera",
    .datetime = "2026:03:14 10:21:07",
    .orientation = 1,
    .camera = 1,
};

static void make_defaults(const char *out, const char *spec)
{
    design front, back;
    design_front(&front, &test_person, 7);
    design_back(&back, &test_person, 8);
    const int W = 3000, H = 2000;

    scene sc = front_scene(W, H, &front, 1);
    img *clean = render(&sc);

    /* the good photo: sharp.jpg/png and everything stored from its pixels */
    img *good = camera(clean, TONE_NORMAL, NULL, 2.5, 1001);
    buf sharp_jpg = {0};
    encode_jpeg(good, 90, NULL, NULL, &sharp_jpg);
    write_file(out, "sharp.jpg", sharp_jpg.p, sharp_jpg.n);
    save_png(out, "sharp.png", good, 0, 0);
    {
        exif_spec ex = camera_exif;
        ex.orientation = 6;
        ex.model = "Phone Camera (rotated 6)";
        img *r = img_rotate90(good, 0);
        save_jpeg(out, "rotated6.jpg", r, 90, &ex);
        img_free(r);
        ex.orientation = 8;
        ex.model = "Phone Camera (rotated 8)";
        r = img_rotate90(good, 1);
        save_jpeg(out, "rotated8.jpg", r, 90, &ex);
        img_free(r);
    }
    {
        exif_spec ex = camera_exif;
        ex.gps = 1;
        ex.thumb_src = good;
        save_jpeg(out, "gps.jpg", good, 90, &ex);
        save_jpeg(out, "camera.jpg", good, 90, &camera_exif);
    }
    {
        /* a wide-gamut phone photo: P3 pixels, Display P3 ICC profile */
        exif_spec ex = camera_exif;
        ex.wide_gamut = 1;
        buf icc = {0};
        make_p3_profile(&icc);
        img *p3 = srgb_to_p3(good);
        save_jpeg_icc(out, "p3.jpg", p3, 90, &ex, &icc);
        img_free(p3);
        free(icc.p);
    }
    {
        buf c = {0};
        encode_cmyk(good, 90, 0, &c);
        write_file(out, "cmyk.jpg", c.p, c.n);
        free(c.p);
    }
    {
        /* a near duplicate: sharp.jpg decoded, scaled 90 %, saved at quality 75 */
        img *dec = decode_jpeg(&sharp_jpg);
        img *s = img_resample(dec, W * 9 / 10, H * 9 / 10);
        save_jpeg(out, "front-copy.jpg", s, 75, NULL);
        img_free(s);
        img_free(dec);
    }
    /* malformed: sharp.jpg cut at 40 % */
    write_file(out, "truncated.jpg", sharp_jpg.p, sharp_jpg.n * 2 / 5);
    free(sharp_jpg.p);
    {
        img *s = img_resample(clean, 1200, 800);
        img *p = camera(s, TONE_NORMAL, NULL, 2.5, 1002);
        buf b = {0};
        encode_png(p, 0, 0, &b);
        write_file(out, "truncated.png", b.p, b.n * 2 / 5);
        png_break_crc(&b);
        write_file(out, "badcrc.png", b.p, b.n);
        free(b.p);
        img_free(p);
        img_free(s);
    }
    img_free(good);

    /* defects, one each */
    {
        img *b = img_copy(clean);
        const int strong[3] = {5, 5, 6};
        img_blur(b, strong, 3);
        img *p = camera(b, TONE_NORMAL, NULL, 2.5, 1003);
        save_jpeg(out, "blurred.jpg", p, 90, NULL);
        img_free(p);
        img_free(b);
        b = img_copy(clean);
        const int mild[3] = {1, 2, 2};
        img_blur(b, mild, 3);
        p = camera(b, TONE_NORMAL, NULL, 2.5, 1004);
        save_jpeg(out, "slightly-blurred.jpg", p, 90, NULL);
        img_free(p);
        img_free(b);
    }
    {
        img *p = camera(clean, TONE_DARK, NULL, 2.0, 1005);
        save_jpeg(out, "dark.jpg", p, 90, NULL);
        img_free(p);
        p = camera(clean, TONE_BRIGHT, NULL, 1.5, 1006);
        save_jpeg(out, "overexposed.jpg", p, 90, NULL);
        img_free(p);
    }
    {
        const glare big = {0.06, 0.60, 0.42}, small = {0.015, 0.66, 0.40};
        img *p = camera(clean, TONE_NORMAL, &big, 2.5, 1007);
        save_jpeg(out, "glare.jpg", p, 90, NULL);
        img_free(p);
        p = camera(clean, TONE_NORMAL, &small, 2.5, 1008);
        save_jpeg(out, "glare-small.jpg", p, 90, NULL);
        img_free(p);
    }
    {
        img *g = camera(clean, TONE_GREY, NULL, 2.5, 1009);
        img *g3 = grey_to_rgb(g);
        save_jpeg(out, "bw.jpg", g3, 90, NULL);
        img_free(g3);
        save_png(out, "grey.png", g, 0, 0);
        img_free(g);
    }
    {
        img *s = img_resample(clean, 480, 320);
        img *p = camera(s, TONE_NORMAL, NULL, 2.5, 1010);
        save_jpeg(out, "tiny.jpg", p, 90, NULL);
        img_free(p);
        img_free(s);
        s = img_resample(clean, 900, 600);
        p = camera(s, TONE_NORMAL, NULL, 2.5, 1011);
        save_jpeg(out, "lowres.jpg", p, 90, NULL);
        img_free(p);
        img_free(s);
    }
    {
        img *s = img_resample(clean, 2400, 1600);
        img *p = camera(s, TONE_NORMAL, NULL, 2.5, 1012);
        save_png(out, "png16.png", p, 1, 1013);
        img_free(p);
        img_free(s);
    }
    {
        /* the photo cropped around the card (~1090 px across on screen) */
        const int cw = W * 84 / 100, chh = cw * 2 / 3, x0 = (W - cw) / 2,
                  y0 = H * 51 / 100 - chh / 2;
        img *crop = img_new(cw, chh, 3);
        for (int y = 0; y < chh; y++)
            memcpy(crop->px + (size_t)y * (size_t)cw * 3,
                   clean->px + ((size_t)(y0 + y) * (size_t)W + (size_t)x0) * 3, (size_t)cw * 3);
        img *s = img_resample(crop, 1170, 780);
        img_free(crop);
        img *p = camera(s, TONE_NORMAL, NULL, 2.5, 1014);
        img_free(s);
        img *shot = make_screenshot(p);
        save_png(out, "screenshot.png", shot, 0, 0);
        img_free(shot);
        img_free(p);
    }
    img_free(clean);

    /* the back of the card */
    sc = back_scene(W, H, &back, 1);
    clean = render(&sc);
    {
        img *p = camera(clean, TONE_NORMAL, NULL, 2.5, 1015);
        save_jpeg(out, "back.jpg", p, 90, NULL);
        img_free(p);
    }
    img_free(clean);

    /* malformed and hostile files */
    write_file(out, "empty.jpg", "", 0);
    {
        static const char text[] = "This is a text file, not a JPEG image.\n"
                                   "idpack must refuse it with a clear message.\n";
        write_file(out, "text.jpg", text, sizeof text - 1);
    }
    {
        buf b = {0};
        make_png_bomb(&b);
        write_file(out, "bomb.png", b.p, b.n);
        free(b.p);
        b = (buf){0};
        make_jpeg_bomb(&b);
        write_file(out, "bomb.jpg", b.p, b.n);
        free(b.p);
    }

    /* the bundled specimen */
    design sfront, sback;
    design_front(&sfront, &specimen_person, 17);
    design_back(&sback, &specimen_person, 18);
    const exif_spec sx = {.make = "idpack",
                          .model = "specimen",
                          .orientation = 1,
                          .datetime = "2025:01:01 12:00:00",
                          .camera = 1};
    sc = front_scene(2400, 1600, &sfront, 1);
    clean = render(&sc);
    img *p = camera(clean, TONE_NORMAL, NULL, 2.5, 2001);
    save_jpeg(spec, "specimen-front.jpg", p, 90, &sx);
    img_free(p);
    img_free(clean);
    sc = back_scene(2400, 1600, &sback, 1);
    clean = render(&sc);
    p = camera(clean, TONE_NORMAL, NULL, 2.5, 2002);
    save_jpeg(spec, "specimen-back.jpg", p, 90, &sx);
    img_free(p);
    img_free(clean);
}

/* ------------------------------------------------------------------ */
/* --detect-set: photos with known document corners                   */

typedef struct detect_shot {
    const char *name;
    int bg;   /* scene.cloth: 0 wood, 1 cloth, 2 busy, 3 plain dark, 4 plain light */
    int page; /* ID-3 passport page */
    int no_card;
    int portrait;      /* 1200 x 1600 instead of 1600 x 1200 */
    double width;      /* document width, share of min(W, 1.5 H) */
    double cx, cy;     /* centre, share of the frame */
    double angle;      /* in-plane rotation, degrees */
    double tilt, axis; /* tilt of the document plane and its axis, degrees */
    double shadow;
    int back; /* the card's back (no MRZ) */
} detect_shot;

static const detect_shot detect_shots[] = {
    {"wood-0", 0, 0, 0, 0, 0.70, 0.50, 0.50, 3, 0, 0, 0, 0},
    {"wood-90", 0, 0, 0, 0, 0.55, 0.48, 0.52, 92, 0, 0, 0, 0},
    {"wood-180", 0, 0, 0, 0, 0.68, 0.52, 0.50, 176, 4, 30, 0, 0},
    {"wood-270", 0, 0, 0, 1, 0.70, 0.50, 0.50, 271, 5, 80, 0, 0},
    {"wood-angle20", 0, 0, 0, 0, 0.62, 0.50, 0.50, 20, 0, 0, 0, 0},
    {"wood-small", 0, 0, 0, 0, 0.50, 0.45, 0.55, -6, 6, 20, 0, 0},
    {"wood-shadow", 0, 0, 0, 0, 0.66, 0.50, 0.48, 4, 0, 0, 0.45, 0},
    {"wood-tilt18", 0, 0, 0, 0, 0.64, 0.50, 0.50, 175, 18, 60, 0, 0},
    {"cloth-tilt10", 1, 0, 0, 0, 0.70, 0.50, 0.50, -5, 10, 0, 0, 0},
    {"cloth-tilt20", 1, 0, 0, 0, 0.66, 0.50, 0.50, 2, 20, 90, 0, 0},
    {"cloth-large", 1, 0, 0, 0, 0.92, 0.50, 0.50, 0.5, 0, 0, 0, 0},
    {"cloth-270", 1, 0, 0, 0, 0.55, 0.50, 0.50, -88, 8, 10, 0, 0},
    {"busy-0", 2, 0, 0, 0, 0.66, 0.50, 0.50, 8, 8, 45, 0, 0},
    {"busy-small", 2, 0, 0, 0, 0.50, 0.55, 0.45, -12, 0, 0, 0, 0},
    {"busy-90", 2, 0, 0, 1, 0.72, 0.50, 0.50, 88, 12, 0, 0, 0},
    {"busy-shadow", 2, 0, 0, 0, 0.64, 0.50, 0.50, 183, 10, 120, 0.4, 0},
    {"plain-dark", 3, 0, 0, 0, 0.88, 0.50, 0.50, 0, 0, 0, 0, 0},
    {"plain-dark-tilt", 3, 0, 0, 0, 0.60, 0.50, 0.50, 11, 15, 30, 0, 0},
    {"plain-light", 4, 0, 0, 0, 0.64, 0.50, 0.50, -7, 15, 30, 0, 0},
    {"plain-light-shadow", 4, 0, 0, 0, 0.66, 0.50, 0.50, 2, 0, 0, 0.35, 0},
    {"passport-wood", 0, 1, 0, 0, 0.66, 0.50, 0.50, 2, 0, 0, 0, 0},
    {"passport-cloth", 1, 1, 0, 1, 0.80, 0.50, 0.50, 93, 12, 0, 0, 0},
    {"passport-busy", 2, 1, 0, 0, 0.60, 0.50, 0.50, -4, 10, 45, 0, 0},
    {"passport-180", 4, 1, 0, 0, 0.70, 0.50, 0.50, 178, 8, 20, 0, 0},
    {"back-0", 1, 0, 0, 0, 0.68, 0.50, 0.50, -3, 6, 30, 0, 1},
    {"back-180", 0, 0, 0, 0, 0.66, 0.50, 0.50, 184, 8, 70, 0, 1},
    {"back-90", 3, 0, 0, 1, 0.70, 0.50, 0.50, -91, 6, 0, 0, 1},
    {"cut-corner", 0, 0, 0, 0, 0.66, 0.40, 0.33, 14, 0, 0, 0, 0},
    {"cut-two", 1, 0, 0, 0, 0.60, 0.30, 0.31, 12, 0, 0, 0, 0},
    {"cut-side", 4, 0, 0, 0, 0.62, 0.50, 0.88, 2, 0, 0, 0, 0},
    {"cut-side-90", 0, 0, 0, 1, 0.70, 0.85, 0.50, 88, 6, 30, 0, 0},
    {"nocard-wood", 0, 0, 1, 0, 0.66, 0.50, 0.50, 0, 0, 0, 0, 0},
    {"nocard-busy", 2, 0, 1, 0, 0.66, 0.50, 0.50, 0, 0, 0, 0.3, 0},
};

/* The document's corners (TL, TR, BR, BL of the upright document): a
 * w x h rectangle tilted about an in-plane axis, rotated, then seen
 * through a pinhole whose focal length is 0.9 x the long side. */
#define DEG (3.14159265358979323846 / 180.0)

static void shot_quad_aspect(const detect_shot *s, int W, int H, double h_over_w, double q[4][2])
{
    const double base = fmin((double)W, 1.5 * H);
    const double dw = s->width * base;
    const double dh = dw * h_over_w;
    const double ax = cos(s->axis * DEG), ay = sin(s->axis * DEG);
    const double ct = cos(s->tilt * DEG), st = sin(s->tilt * DEG);
    const double ca = cos(s->angle * DEG), sa = sin(s->angle * DEG);
    const double F = 0.9 * (W > H ? W : H);
    const double lc[4][2] = {{-0.5, -0.5}, {0.5, -0.5}, {0.5, 0.5}, {-0.5, 0.5}};
    for (int i = 0; i < 4; i++) {
        const double x = lc[i][0] * dw, y = lc[i][1] * dh;
        const double ad = ax * x + ay * y;
        const double X = x * ct + ax * ad * (1 - ct), Y = y * ct + ay * ad * (1 - ct);
        const double Z = (ax * y - ay * x) * st;
        const double Xr = X * ca - Y * sa, Yr = X * sa + Y * ca;
        const double k = F / (F + Z);
        q[i][0] = s->cx * W + Xr * k;
        q[i][1] = s->cy * H + Yr * k;
    }
}

static void shot_quad(const detect_shot *s, int W, int H, double q[4][2])
{
    shot_quad_aspect(s, W, H, s->page ? PAGE_H / PAGE_W : CARD_H / CARD_W, q);
}

static void make_detect_set(const char *out)
{
    design front, back, page;
    design_front(&front, &test_person, 7);
    add_front_zone(&front, &test_person);
    design_back(&back, &test_person, 8);
    design_page(&page, &test_person, 9);
    FILE *tsv;
    char path[4096];
    if (snprintf(path, sizeof(path), "%s/detect.tsv", out) >= (int)sizeof(path))
        die("%s: path too long", out);
    tsv = fopen(path, "w");
    if (tsv == NULL)
        die("%s: %s", path, strerror(errno));
    fprintf(tsv, "file\tkind\tx0\ty0\tx1\ty1\tx2\ty2\tx3\ty3\tcategory\n");
    for (size_t i = 0; i < sizeof(detect_shots) / sizeof(detect_shots[0]); i++) {
        const detect_shot *s = &detect_shots[i];
        const int W = s->portrait ? 1200 : 1600, H = s->portrait ? 1600 : 1200;
        scene sc = front_scene(W, H, s->page ? &page : s->back ? &back : &front, 1);
        sc.cloth = s->bg;
        sc.page = s->page;
        sc.no_card = s->no_card;
        sc.shadow = s->shadow;
        sc.use_quad = 1;
        sc.seed = 500 + (uint32_t)i * 7;
        shot_quad(s, W, H, sc.quad);
        img *clean = render(&sc);
        img *p = camera(clean, TONE_NORMAL, NULL, 2.5, 7000 + i);
        img_free(clean);
        char name[64];
        snprintf(name, sizeof(name), "%s.jpg", s->name);
        save_jpeg(out, name, p, 90, &camera_exif);
        img_free(p);
        const size_t cl = strcspn(s->name, "-");
        fprintf(tsv, "%s\t%s", name, s->no_card ? "none" : s->page ? "id3" : "id1");
        for (int k = 0; k < 4; k++)
            fprintf(tsv, "\t%.2f\t%.2f", s->no_card ? 0.0 : sc.quad[k][0],
                    s->no_card ? 0.0 : sc.quad[k][1]);
        fprintf(tsv, "\t%.*s\n", (int)cl, s->name);
    }
    if (fclose(tsv) != 0)
        die("%s: %s", path, strerror(errno));
}

/* ------------------------------------------------------------------ */
/* --portrait-set: portrait documents with known corners              */

#define VCARD_W CARD_H /* a vertical-format ID-1 card: 53.98 x 85.60 mm */
#define VCARD_H CARD_W
#define COVER_W PAGE_H /* a passport booklet's cover: 88 x 125 mm */
#define COVER_H PAGE_W

/* A vertical-format ID-1 card, laid out as US under-21 driving licences
 * are: a header band with the issuer's name, a red "UNDER 21" strip, the
 * portrait at the top, the fields in left-aligned stacks beside and below
 * it, all reading along the short side. */
static void design_vertical(design *d, const person *p, uint32_t seed)
{
    memset(d, 0, sizeof *d);
    d->layout = 1;
    d->seed = seed;
    d->tint0 = (rgb){222, 228, 214};
    d->tint1 = (rgb){206, 218, 232};
    d->band = (rgb){28, 60, 120};
    add_text(d, 4.0, 1.6, 4.2, HEAD_INK, "UTOPIA");
    add_text(d, 4.0, 7.2, 2.2, HEAD_INK, "DRIVER LICENSE");
    add_text(d, 4.0, 12.6, 1.8, HEAD_INK, "UNDER 21 UNTIL 03 05 2031");
    add_text(d, 32.0, 18.5, 1.5, LABEL, "DL NO");
    add_text(d, 32.0, 20.4, 2.2, INK, "D1234567");
    add_text(d, 32.0, 24.5, 1.5, LABEL, "CLASS");
    add_text(d, 32.0, 26.4, 2.2, INK, "C");
    add_text(d, 32.0, 30.5, 1.5, LABEL, "EXPIRES");
    add_text(d, 32.0, 32.4, 2.0, INK, "03 05 2032");
    add_text(d, 32.0, 36.5, 1.5, LABEL, "ISSUED");
    add_text(d, 32.0, 38.4, 2.0, INK, "03 05 2024");
    add_text(d, 4.0, 55.0, 1.5, LABEL, "LN");
    add_text(d, 4.0, 56.9, 2.6, INK, p->surname);
    add_text(d, 4.0, 60.6, 1.5, LABEL, "FN");
    add_text(d, 4.0, 62.5, 2.6, INK, p->given);
    add_text(d, 4.0, 66.2, 1.5, LABEL, "DOB");
    add_text(d, 4.0, 68.1, 2.4, INK, "03 05 2010");
    add_text(d, 4.0, 71.8, 2.0, INK, p->address1);
    add_text(d, 4.0, 74.6, 2.0, INK, p->address2);
    add_text(d, 4.0, 78.2, 1.5, LABEL, "SEX");
    add_text(d, 4.0, 80.0, 2.0, INK, p->sex);
    add_text(d, 14.0, 78.2, 1.5, LABEL, "HGT");
    add_text(d, 14.0, 80.0, 2.0, INK, "5-05");
    add_text(d, 26.0, 78.2, 1.5, LABEL, "EYES");
    add_text(d, 26.0, 80.0, 2.0, INK, "BRO");
    index_text(d);
}

/* A passport booklet's cover, 88 x 125 mm portrait: dark cloth, gold
 * letters (lighter than the cover, unlike a page's ink), the issuer's name
 * on top, an emblem in the middle, the title and the chip symbol below. */
static void design_cover(design *d, uint32_t seed)
{
    static const rgb GOLD = {214, 178, 96};
    memset(d, 0, sizeof *d);
    d->layout = 2;
    d->seed = seed;
    d->tint0 = (rgb){104, 26, 38};
    d->tint1 = (rgb){92, 22, 34};
    add_text(d, 24.5, 12.0, 4.2, GOLD, "REPUBLIC OF");
    add_text(d, 33.5, 18.6, 4.2, GOLD, "UTOPIA");
    add_text(d, 20.5, 88.0, 7.0, GOLD, "PASSPORT");
    add_text(d, 28.1, 98.0, 4.2, GOLD, "PASSEPORT");
    index_text(d);
}

static rgb portrait_colour(const design *d, double u, double v)
{
    const double dw = d->layout == 1 ? VCARD_W : COVER_W, dh = d->layout == 1 ? VCARD_H : COVER_H;
    const double t = clampd((u / dw) * 0.5 + (v / dh) * 0.5, 0, 1);
    rgb c = mix(d->tint0, d->tint1, t);
    rgb tc;
    if (d->layout == 2) { /* cloth grain, the emblem, the chip symbol */
        const double g = 3.0 * hash2((int32_t)(u * 4), (int32_t)(v * 4), d->seed) - 1.5;
        c = (rgb){c.r + g, c.g + g, c.b + g};
        const double e = hypot(u - 44.0, v - 55.0);
        const double a = atan2(v - 55.0, u - 44.0);
        const int ring = (e > 15.0 && e < 16.2) || (e > 12.4 && e < 13.0);
        const int rays = e < 10.5 && fabs(fsin(a * 6.0)) > 0.93 - 0.03 * e;
        const int chip = fabs(v - 113.0) < 2.6 && fabs(u - 44.0) < 4.0 &&
                         (fabs(v - 113.0) > 1.9 || fabs(u - 44.0) > 3.3 || fabs(v - 113.0) < 0.35);
        if (ring || rays || chip)
            c = (rgb){214, 178, 96};
    } else {
        const double g1 = fsin(u * 2.3 + 2.5 * fsin(v * 0.42));
        c.r += 4.0 * g1;
        c.g += 2.5 * fsin(v * 2.9);
        if (v < 11.6) /* header band */
            c = mix(d->band, (rgb){60, 100, 170}, u / VCARD_W);
        else if (v >= 12.0 && v < 15.2) /* the under-21 strip */
            c = (rgb){176, 36, 40};
        else if (u >= 4 && u < 30 && v >= 18 && v < 52)
            c = face_colour(4 + (u - 4) * 22.0 / 26.0, 11 + (v - 18) * 29.0 / 34.0);
        else if (u > 32 && u < 50 && v > 44.0 && v < 49.0) { /* signature */
            const double sv = 46.5 + 1.2 * sin(u * 1.3) * sin(u * 0.41);
            if (fabs(v - sv) < 0.22)
                c = (rgb){20, 30, 90};
        }
    }
    if (text_hit(d, u, v, &tc))
        c = tc;
    return c;
}

/* Portrait documents on a desk, upright and turned; angle is the in-plane
 * rotation of the upright document (0: its top up in the photo). */
static const detect_shot portrait_shots[] = {
    /* page: 0 the vertical card, 1 the cover; width: share of min(W, 1.5 H) */
    {"vcard-0", 0, 0, 0, 1, 0.42, 0.50, 0.50, 2, 0, 0, 0, 0},
    {"vcard-90", 1, 0, 0, 0, 0.36, 0.50, 0.50, 88, 6, 20, 0, 0},
    {"vcard-180", 4, 0, 0, 1, 0.44, 0.50, 0.50, 178, 8, 60, 0, 0},
    {"vcard-270", 2, 0, 0, 0, 0.38, 0.50, 0.52, -91, 0, 0, 0, 0},
    {"vcard-tilt", 3, 0, 0, 1, 0.45, 0.50, 0.50, -6, 15, 90, 0, 0},
    {"vcard-land", 0, 0, 0, 0, 0.32, 0.50, 0.50, 5, 10, 0, 0, 0},
    {"cover-0", 4, 1, 0, 1, 0.55, 0.50, 0.50, -2, 0, 0, 0, 0},
    {"cover-90", 0, 1, 0, 0, 0.46, 0.50, 0.50, 90, 8, 45, 0, 0},
    {"cover-180", 1, 1, 0, 1, 0.58, 0.50, 0.50, 183, 6, 0, 0, 0},
    {"cover-270", 4, 1, 0, 0, 0.44, 0.52, 0.50, 268, 10, 90, 0, 0},
    {"cover-tilt", 2, 1, 0, 1, 0.52, 0.50, 0.50, 7, 16, 20, 0, 0},
};

static void make_portrait_set(const char *out)
{
    design card, cover;
    design_vertical(&card, &test_person, 21);
    design_cover(&cover, 22);
    FILE *tsv;
    char path[4096];
    if (snprintf(path, sizeof(path), "%s/detect.tsv", out) >= (int)sizeof(path))
        die("%s: path too long", out);
    tsv = fopen(path, "w");
    if (tsv == NULL)
        die("%s: %s", path, strerror(errno));
    fprintf(tsv, "file\tkind\tx0\ty0\tx1\ty1\tx2\ty2\tx3\ty3\tcategory\n");
    for (size_t i = 0; i < sizeof(portrait_shots) / sizeof(portrait_shots[0]); i++) {
        const detect_shot *s = &portrait_shots[i];
        const int W = s->portrait ? 1200 : 1600, H = s->portrait ? 1600 : 1200;
        scene sc = front_scene(W, H, s->page ? &cover : &card, 0);
        sc.cloth = s->bg;
        sc.use_quad = 1;
        sc.seed = 900 + (uint32_t)i * 7;
        sc.doc_w = s->page ? COVER_W : VCARD_W;
        sc.doc_h = s->page ? COVER_H : VCARD_H;
        sc.doc_r = s->page ? 4.0 : CARD_R; /* a booklet's corners are rounder */
        shot_quad_aspect(s, W, H, sc.doc_h / sc.doc_w, sc.quad);
        img *clean = render(&sc);
        img *p = camera(clean, TONE_NORMAL, NULL, 2.5, 9000 + i);
        img_free(clean);
        char name[64];
        snprintf(name, sizeof(name), "%s.jpg", s->name);
        save_jpeg(out, name, p, 90, &camera_exif);
        img_free(p);
        const size_t cl = strcspn(s->name, "-");
        fprintf(tsv, "%s\t%s", name, s->page ? "id3" : "id1");
        for (int k = 0; k < 4; k++)
            fprintf(tsv, "\t%.2f\t%.2f", sc.quad[k][0], sc.quad[k][1]);
        fprintf(tsv, "\t%.*s\n", (int)cl, s->name);
    }
    if (fclose(tsv) != 0)
        die("%s: %s", path, strerror(errno));
}

/* --dup-set: the same card photographed several ways, for the duplicate
 * check. Every shot lies on the same wooden table under the same light,
 * so only the document tells front from back. dup.tsv names each file's
 * card (whose it is: "test" or "specimen", the same design) and side
 * ("front" or "back"). */
typedef struct dup_shot {
    const char *name, *side;
    int back, other, portrait;
    double cx, cy, width, angle, keystone;
} dup_shot;

static const dup_shot dup_shots[] = {
    {"dup-front", "front", 0, 0, 0, 0.50, 0.51, 0.78, -0.035, 0.03},
    /* the back where the front lay: the same table, frame and light */
    {"dup-back", "back", 1, 0, 0, 0.50, 0.51, 0.78, -0.035, 0.03},
    /* a second shot of each side: moved, turned and tilted a little */
    {"dup-front-again", "front", 0, 0, 0, 0.46, 0.54, 0.70, 0.045, 0.06},
    {"dup-back-again", "back", 1, 0, 0, 0.54, 0.47, 0.72, 0.03, 0.00},
    /* the front upside down on the table, and in a portrait frame */
    {"dup-front-turned", "front", 0, 0, 0, 0.50, 0.50, 0.76, 3.12, 0.03},
    {"dup-front-portrait", "front", 0, 0, 1, 0.50, 0.50, 0.95, 1.60, 0.03},
    /* front and back far off on the same table: the table is most of the frame */
    {"dup-front-far", "front", 0, 0, 0, 0.45, 0.55, 0.38, -0.035, 0.03},
    {"dup-back-far", "back", 1, 0, 0, 0.45, 0.55, 0.38, -0.035, 0.03},
    /* another person's card of the same design */
    {"dup-other", "front", 0, 1, 0, 0.50, 0.51, 0.78, -0.035, 0.03},
};

static void make_dup_set(const char *out)
{
    design front, back, other;
    design_front(&front, &test_person, 7);
    add_front_zone(&front, &test_person);
    design_back(&back, &test_person, 8);
    design_front(&other, &specimen_person, 7);
    add_front_zone(&other, &specimen_person);
    FILE *tsv;
    char path[4096];
    if (snprintf(path, sizeof(path), "%s/dup.tsv", out) >= (int)sizeof(path))
        die("%s: path too long", out);
    tsv = fopen(path, "w");
    if (tsv == NULL)
        die("%s: %s", path, strerror(errno));
    fprintf(tsv, "file\tcard\tside\n");
    for (size_t i = 0; i < sizeof(dup_shots) / sizeof(dup_shots[0]); i++) {
        const dup_shot *s = &dup_shots[i];
        const int W = s->portrait ? 1600 : 2400, H = s->portrait ? 2400 : 1600;
        scene sc = front_scene(W, H, s->other ? &other : s->back ? &back : &front, 1);
        sc.cx = s->cx;
        sc.cy = s->cy;
        sc.width = s->width;
        sc.angle = s->angle;
        sc.keystone = s->keystone;
        img *clean = render(&sc);
        img *p = camera(clean, TONE_NORMAL, NULL, 2.5, 8000 + i);
        img_free(clean);
        char name[64];
        snprintf(name, sizeof(name), "%s.jpg", s->name);
        buf j = {0}, e = {0};
        make_exif(&camera_exif, p->w, p->h, &e);
        encode_jpeg(p, 90, &e, NULL, &j);
        write_file(out, name, j.p, j.n);
        fprintf(tsv, "%s\t%s\t%s\n", name, s->other ? "specimen" : "test", s->side);
        if (i == 0) { /* the first shot re-saved by a messaging app: 60 %, quality 70, no EXIF */
            img *dec = decode_jpeg(&j);
            img *sm = img_resample(dec, W * 6 / 10, H * 6 / 10);
            save_jpeg(out, "dup-front-small.jpg", sm, 70, NULL);
            fprintf(tsv, "dup-front-small.jpg\ttest\t%s\n", s->side);
            img_free(sm);
            img_free(dec);
        }
        free(j.p);
        free(e.p);
        img_free(p);
    }
    if (fclose(tsv) != 0)
        die("%s: %s", path, strerror(errno));
}

static long parse_int(const char *s, long lo, long hi, const char *what)
{
    char *end = NULL;
    errno = 0;
    const long v = strtol(s, &end, 10);
    if (errno || !end || *end || v < lo || v > hi)
        die("%s: expected an integer from %ld to %ld, got '%s'", what, lo, hi, s);
    return v;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: %s OUTDIR SPECIMENDIR\n"
            "       %s --phone W H QUALITY OUT.jpg\n"
            "       %s --big-cmyk OUT.jpg\n"
            "       %s --detect-set OUTDIR   document photos with known corners (detect.tsv)\n"
            "       %s --portrait-set OUTDIR portrait documents with known corners (detect.tsv)\n"
            "       %s --dup-set OUTDIR      one card shot several ways, for duplicate (dup.tsv)\n",
            progname, progname, progname, progname, progname, progname);
    exit(64);
}

int main(int argc, char **argv)
{
    sin_init();
    if (argc >= 2 && strcmp(argv[1], "--phone") == 0) {
        if (argc != 6)
            usage();
        const int w = (int)parse_int(argv[2], 64, 12000, "W");
        const int h = (int)parse_int(argv[3], 64, 12000, "H");
        const int q = (int)parse_int(argv[4], 1, 100, "QUALITY");
        design d;
        design_front(&d, &test_person, 7);
        scene sc = front_scene(w, h, &d, 1);
        img *clean = render(&sc);
        img *p = camera(clean, TONE_NORMAL, NULL, 2.5, 3001);
        img_free(clean);
        save_jpeg(NULL, argv[5], p, q, &camera_exif);
        img_free(p);
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "--big-cmyk") == 0) {
        if (argc != 3)
            usage();
        design d;
        design_front(&d, &test_person, 7);
        scene sc = front_scene(6000, 4000, &d, 1);
        img *clean = render(&sc);
        img *p = camera(clean, TONE_NORMAL, NULL, 1.5, 3002);
        img_free(clean);
        buf c = {0};
        encode_cmyk(p, 100, 1, &c);
        img_free(p);
        write_file(NULL, argv[2], c.p, c.n);
        free(c.p);
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "--detect-set") == 0) {
        if (argc != 3)
            usage();
        make_dir(argv[2]);
        make_detect_set(argv[2]);
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "--portrait-set") == 0) {
        if (argc != 3)
            usage();
        make_dir(argv[2]);
        make_portrait_set(argv[2]);
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "--dup-set") == 0) {
        if (argc != 3)
            usage();
        make_dir(argv[2]);
        make_dup_set(argv[2]);
        return 0;
    }
    if (argc != 3 || argv[1][0] == '-')
        usage();
    make_dir(argv[1]);
    make_dir(argv[2]);
    make_defaults(argv[1], argv[2]);
    return 0;
}
