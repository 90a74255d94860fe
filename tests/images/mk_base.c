/* idp_mkphotos (see mkphotos.c): errors, files, deterministic randomness
 * and the image operations (resample, blur, soften, rotate). */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "mkphotos.h"

/* ------------------------------------------------------------------ */
/* errors and small helpers                                           */

const char *progname = "idp_mkphotos";

void die(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", progname);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

void *xmalloc(size_t n)
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

/* A sine from a table: the guilloche and weave need many, not precision. */
double sin_table[SIN_N + 1];

void sin_init(void)
{
    for (int i = 0; i <= SIN_N; i++)
        sin_table[i] = sin(2.0 * IDP_PI * i / SIN_N);
}

void buf_add(buf *b, const void *data, size_t n)
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

void write_file(const char *dir, const char *name, const void *data, size_t n)
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
void make_dir(const char *dir)
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

uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

double hash2(int32_t x, int32_t y, uint32_t seed)
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

double fbm(double x, double y, uint32_t seed)
{
    return 0.5 * vnoise(x, y, seed) + 0.3 * vnoise(2.03 * x, 2.03 * y, seed + 1) +
           0.2 * vnoise(4.1 * x, 4.1 * y, seed + 2);
}

/* ------------------------------------------------------------------ */
/* images                                                             */

img *img_new(int w, int h, int c)
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

void img_free(img *im)
{
    if (!im)
        return;
    free(im->px);
    free(im);
}

img *img_copy(const img *src)
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
img *img_resample(const img *src, int w, int h)
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
void img_blur(img *im, const int *radii, int n)
{
    for (int i = 0; i < n; i++) {
        box_rows(im, radii[i]);
        box_cols(im, radii[i]);
    }
}

/* The [1 2 1]/4 kernel both ways: the slight softness of a phone lens. */
void img_soften(img *im)
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
img *img_rotate90(const img *src, int cw)
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
