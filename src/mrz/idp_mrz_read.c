/* Finding and reading the machine-readable zone in a photo: the zone's
 * lines are found as long, thin runs of dark print on a grey copy (the
 * straightened document when it was found), the group of two or three
 * lines is cut out, scaled to a fixed letter height and read by Tesseract
 * (LSTM, letters A-Z, digits and '<' only); the lines are brought to their
 * format's length and parsed (idp_mrz_parse.c). All four rotations are
 * tried until the check digits validate. Method and measurements:
 * docs/mrz.md. */
#include "idp_mrz.h"
#include "idp_mrz_ocrb.h"

#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <tesseract/capi.h>

/* Pixels per mm the document is straightened to: an MRZ letter (2.3 mm
 * high, 2.54 mm pitch) is then about 20 px high. */
#define DOC_PX_PER_MM 8.0
/* The whole image is searched on a copy of at most this long side. */
#define FRAME_SIDE 1200u
/* The letter height the zone is scaled to for Tesseract. */
/* The letter heights the zone is scaled to for Tesseract, tried in this
 * order until the check digits validate (docs/mrz.md: each one reads some
 * specimens the others do not). */
static const double READ_HEIGHTS[] = {30.0, 22.0, 40.0};
#define N_HEIGHTS (sizeof(READ_HEIGHTS) / sizeof(READ_HEIGHTS[0]))
#define MAX_CANDS 64
#define MAX_GROUPS 6

#define WHITELIST "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"

/* The fallback engine: one Tesseract instance for the whole process,
 * loaded the first time the template reader does not validate a zone
 * (loading the English model costs most of a second), used by one thread
 * at a time, ended at exit. */
static pthread_mutex_t tess_lock = PTHREAD_MUTEX_INITIALIZER;
static TessBaseAPI *tess_api;
static int tess_state; /* 0 not tried, 1 loaded, -1 cannot be loaded */

static void tess_end(void)
{
    if (tess_api != NULL) {
        TessBaseAPIEnd(tess_api);
        TessBaseAPIDelete(tess_api);
        tess_api = NULL;
    }
}

/* The instance, loaded on first use; NULL when the model cannot be
 * loaded. Call with tess_lock held. */
static TessBaseAPI *tess_get(void)
{
    if (tess_state == 0) {
        char n0[] = "load_system_dawg", n1[] = "load_freq_dawg", n2[] = "debug_file";
        char v0[] = "0", v1[] = "0", v2[] = "/dev/null";
        char *names[] = {n0, n1, n2}, *values[] = {v0, v1, v2};
        tess_api = TessBaseAPICreate();
        if (tess_api != NULL && TessBaseAPIInit4(tess_api, NULL, "eng", OEM_LSTM_ONLY, NULL, 0,
                                                 names, values, 3, 0) == 0) {
            TessBaseAPISetVariable(tess_api, "tessedit_char_whitelist", WHITELIST);
            TessBaseAPISetPageSegMode(tess_api, PSM_SINGLE_BLOCK);
            tess_state = 1;
            atexit(tess_end);
        } else {
            if (tess_api != NULL)
                TessBaseAPIDelete(tess_api);
            tess_api = NULL;
            tess_state = -1;
        }
    }
    return tess_api;
}

struct idp_mrz_reader {
    TessBaseAPI *api; /* the process's instance while tess_lock is held */
    unsigned threads; /* what the ctx of the read allows (idp_ctx_threads) */
};

/* Tesseract, as Debian builds it, runs its LSTM on an OpenMP team of four
 * threads (a num_threads(4) clause in its source: omp_set_num_threads and
 * Tesseract's own settings do not change it). OpenMP's max-active-levels
 * set to 0 makes every parallel region run on the thread that meets it.
 * libgomp keeps that setting for the whole process, so it is set only
 * while Tesseract runs (tess_lock held) and then put back. The functions
 * are looked up in the process (libtesseract brings libgomp in): a
 * Tesseract built without OpenMP starts no thread, and then there is
 * nothing to set. Returns the setting to put back, or -1. */
#define TESS_TEAM 4

static int tess_one_thread(unsigned threads)
{
    int (*get)(void) = NULL;
    void (*set)(int) = NULL;
    int old;

    if (threads >= TESS_TEAM)
        return -1;
    *(void **)(&get) = dlsym(RTLD_DEFAULT, "omp_get_max_active_levels");
    *(void **)(&set) = dlsym(RTLD_DEFAULT, "omp_set_max_active_levels");
    if (get == NULL || set == NULL)
        return -1;
    old = get();
    set(0);
    return old;
}

static void tess_threads_restore(int old)
{
    void (*set)(int) = NULL;

    if (old < 0)
        return;
    *(void **)(&set) = dlsym(RTLD_DEFAULT, "omp_set_max_active_levels");
    if (set != NULL)
        set(old);
}

idp_status idp_mrz_reader_create(idp_ctx *ctx, idp_mrz_reader **out)
{
    *out = calloc(1, sizeof(**out));
    if (*out == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
    return IDP_OK;
}

void idp_mrz_reader_destroy(idp_mrz_reader *rd)
{
    free(rd);
}

typedef idp_mrz_grey grey;

static void grey_free(grey *g)
{
    if (g->p != NULL)
        idp_wipe(g->p, (size_t)g->w * g->h);
    free(g->p);
    g->p = NULL;
}

static int grey_alloc(grey *g, uint32_t w, uint32_t h)
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
static int grey_from_image(const idp_image *img, uint32_t side, grey *g)
{
    const uint32_t longest = img->width > img->height ? img->width : img->height;
    const uint32_t f = longest > side ? (longest + side - 1) / side : 1;
    if (!grey_alloc(g, img->width / f, img->height / f))
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
static int grey_rotate(const grey *g, int quarters, grey *out)
{
    const int odd = quarters & 1;
    if (!grey_alloc(out, odd ? g->h : g->w, odd ? g->w : g->h))
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
        if (bw >= min_w && bw >= 8 * bh && n_out < MAX_CANDS)
            out[n_out++] = a;
    }
    return n_out;
}

/* The long, thin runs of dark print in g: a pixel darker than its
 * neighbourhood's mean, runs closed horizontally over gaps up to gap px,
 * then connected components. Keeps those at least min_w wide and at least
 * 8 times wider than high. Returns how many (at most MAX_CANDS). */
static int find_lines(const grey *g, int min_w, box *cands)
{
    const uint32_t w = g->w, h = g->h;
    const int r = (int)(w / 40 > 6 ? w / 40 : 6), gap = (int)(w / 70 > 3 ? w / 70 : 3);
    uint32_t *ii = NULL;
    uint8_t *mask = NULL;
    int32_t *lab = NULL;
    box *segs = malloc(sizeof(box) * MAX_SEGS);
    int n_cands = 0, n_lab = 0, n_seg = 0;
    ii = malloc(sizeof(*ii) * (size_t)(w + 1) * (h + 1));
    mask = calloc((size_t)w * h, 1);
    lab = malloc(sizeof(*lab) * (size_t)w * h);
    if (ii == NULL || mask == NULL || lab == NULL || segs == NULL)
        goto out;
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
        int32_t *stack = malloc(sizeof(*stack) * (size_t)w * h);
        if (stack == NULL)
            goto out;
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
        free(stack);
    }
    n_cands = merge_lines(segs, n_seg, min_w, cands);
out:
    free(segs);
    free(ii);
    free(mask);
    free(lab);
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
static int find_groups(box *c, int n, int w, group *groups)
{
    int ng = 0;
    qsort(c, (size_t)n, sizeof(*c), cmp_y);
    for (int i = n - 1; i >= 1 && ng < MAX_GROUPS; i--) {
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

/* The rectangle [x0,x1]x[y0,y1] of g scaled by s (bilinear), turned by
 * half a turn when flip. */
static int crop_scaled(const grey *g, double x0, double y0, double x1, double y1, double s,
                       int flip, grey *out)
{
    if (x0 < 0)
        x0 = 0;
    if (y0 < 0)
        y0 = 0;
    if (x1 > g->w - 1)
        x1 = g->w - 1;
    if (y1 > g->h - 1)
        y1 = g->h - 1;
    const uint32_t ow = (uint32_t)((x1 - x0) * s), oh = (uint32_t)((y1 - y0) * s);
    if (ow < 8 || oh < 8 || ow > 8000 || oh > 2000 || !grey_alloc(out, ow, oh))
        return 0;
    for (uint32_t v = 0; v < oh; v++)
        for (uint32_t u = 0; u < ow; u++) {
            double x = x0 + (u + 0.5) / s - 0.5, y = y0 + (v + 0.5) / s - 0.5;
            if (x < 0)
                x = 0;
            if (y < 0)
                y = 0;
            int ix = (int)x, iy = (int)y;
            if (ix >= (int)g->w - 1)
                ix = (int)g->w - 2;
            if (iy >= (int)g->h - 1)
                iy = (int)g->h - 2;
            const double fx = x - ix, fy = y - iy;
            const uint8_t *p = g->p + (size_t)iy * g->w + ix;
            const double val = (1 - fy) * ((1 - fx) * p[0] + fx * p[1]) +
                               fy * ((1 - fx) * p[g->w] + fx * p[g->w + 1]);
            const uint32_t ou = flip ? ow - 1 - u : u, ov = flip ? oh - 1 - v : v;
            out->p[(size_t)ov * ow + ou] = (uint8_t)(val + 0.5);
        }
    return 1;
}

/* Brings a line read to len characters: a missing or extra character is
 * most often a filler in a run of them, so the longest run of fillers
 * grows or shrinks; failing that the end is padded or cut. */
static void fit_length(char *s, size_t len)
{
    size_t n = strlen(s);
    while (n != len) {
        size_t best = 0, best_len = 0, i = 0;
        while (i < n) {
            if (s[i] == '<') {
                size_t j = i;
                while (j < n && s[j] == '<')
                    j++;
                if (j - i >= best_len) {
                    best = i;
                    best_len = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (n < len) {
            if (best_len >= 2) {
                memmove(s + best + 1, s + best, n - best + 1);
                s[best] = '<';
            } else {
                s[n] = '<';
                s[n + 1] = '\0';
            }
            n++;
        } else {
            if (best_len >= 3)
                memmove(s + best, s + best + 1, n - best);
            else
                s[len] = '\0';
            n = strlen(s);
        }
    }
}

/* Tesseract reads a filler '<' as K (or X, E, L) where it stands among
 * fillers: one whose left neighbour is a filler and whose right neighbour
 * is a filler, another of those letters or the end of the line becomes a
 * filler again. A K between letters (KA<KEONG, ERIKSSON) stays. */
static void restore_fillers(char *s)
{
    const size_t n = strlen(s);
    for (size_t i = 1; i < n; i++) {
        const char c = s[i], r = s[i + 1];
        if ((c == 'K' || c == 'X' || c == 'E' || c == 'L') && s[i - 1] == '<' &&
            (r == '\0' || r == '<' || r == 'K' || r == 'X' || r == 'E' || r == 'L'))
            s[i] = '<';
    }
}

/* The name's separator '<<' read as K<: when the first '<<' of the name
 * line is followed only by fillers and letters Tesseract makes of
 * fillers, it is the trailing fill, and a "K<" after the surname's first
 * letters is the separator. */
static void restore_separator(char *name)
{
    const char *sep = strstr(name, "<<");
    if (sep == NULL)
        return;
    for (const char *p = sep; *p; p++)
        if (*p != '<' && *p != 'K' && *p != 'X' && *p != 'E' && *p != 'L' && *p != 'S')
            return; /* letters after it: a real separator */
    char *k = strstr(name, "K<");
    if (k != NULL && k > name + 1 && k < sep)
        *k = '<';
}

/* The fill at the end of a name line, read as fillers mixed with K, X, E,
 * L, S, C: from the first filler after the last other letter, all
 * fillers. */
static void clean_tail(char *name)
{
    size_t n = strlen(name), t = n;
    while (t > 0 && strchr("<KXELSC", name[t - 1]) != NULL)
        t--;
    while (t < n && name[t] != '<')
        t++;
    for (size_t i = t; i < n; i++)
        name[i] = '<';
}

/* Parses Tesseract's text as a zone of n_expect lines (2 or 3); false when
 * it does not look like one. */
static bool parse_text(const char *text, int n_expect, idp_mrz *out)
{
    char lines[6][96];
    int nl = 0;
    const char *p = text;
    while (*p && nl < 6) {
        size_t k = 0;
        while (*p && *p != '\n') {
            const char c = *p++;
            if (((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<') && k + 1 < 60)
                lines[nl][k++] = c;
        }
        if (*p == '\n')
            p++;
        lines[nl][k] = '\0';
        if (k >= 20)
            nl++;
    }
    if (nl < 2)
        return false;
    if (nl > 3)
        nl = 3;
    if (n_expect == 2 && nl == 3) { /* a line of other print above: keep the last two */
        memmove(lines[0], lines[1], sizeof(lines[0]));
        memmove(lines[1], lines[2], sizeof(lines[0]));
        nl = 2;
    }
    /* the longest line tells the format: Tesseract drops characters
     * (fillers most of all) far more often than it invents them */
    size_t longest = 0;
    for (int i = 0; i < nl; i++) {
        restore_fillers(lines[i]);
        longest = strlen(lines[i]) > longest ? strlen(lines[i]) : longest;
    }
    /* and the document code: a passport (P) is TD3 (ICAO 9303 part 4) */
    const size_t len = nl == 3 ? 30 : (lines[0][0] == 'P' || longest >= 40) ? 44 : 36;
    const char *ptrs[3];
    restore_separator(nl == 3 ? lines[2] + 0 : lines[0] + 5);
    clean_tail(nl == 3 ? lines[2] : lines[0]);
    for (int i = 0; i < nl; i++) {
        fit_length(lines[i], len);
        ptrs[i] = lines[i];
    }
    return idp_mrz_parse(ptrs, nl, out);
}

/* A reading of print that is not a zone (or of a zone upside down) may
 * still get a check digit right by chance: a zone starts with a document
 * code (P, I, A, C or V), and its issuing state is letters. */
static bool plausible(const idp_mrz *m)
{
    const char c = m->lines[0][0];
    if (c != 'P' && c != 'I' && c != 'A' && c != 'C' && c != 'V')
        return false;
    for (int i = 2; i < 5; i++) {
        const char s = m->lines[0][i];
        if (!((s >= 'A' && s <= 'Z') || s == '<'))
            return false;
    }
    return true;
}

/* Tesseract drops the last character of a line after a long run of
 * fillers (TD1's second line, whose last cell is the composite check
 * digit, most of all). When the last cell of the line holding the
 * composite check was read as a filler but the line's print reaches the
 * zone's right end, that cell alone is read as a digit. */
static void read_last_digit(idp_mrz_reader *rd, const grey *g, const group *gr, double s,
                            idp_mrz *m)
{
    int li = -1;
    for (size_t i = 0; i < m->n_checks; i++)
        if (m->checks[i].id == IDP_MRZ_CHECK_COMPOSITE && !m->checks[i].valid &&
            m->checks[i].digit == '<')
            li = 1;
    if (li < 0 || li >= gr->n)
        return;
    const box *b = &gr->line[li];
    const double pitch = (double)(gr->area.x1 - gr->area.x0 + 1) / (m->line_len - 0.3);
    if (b->x1 < gr->area.x1 - pitch / 2) /* the line's print stops short of the end */
        return;
    const double hl = b->y1 - b->y0 + 1;
    grey crop = {0, 0, NULL};
    if (!crop_scaled(g, b->x1 - 1.6 * pitch, b->y0 - 0.35 * hl, b->x1 + 0.6 * pitch,
                     b->y1 + 0.35 * hl, s, 0, &crop))
        return;
    TessBaseAPISetPageSegMode(rd->api, PSM_SINGLE_CHAR);
    TessBaseAPISetVariable(rd->api, "tessedit_char_whitelist", "0123456789");
    TessBaseAPISetImage(rd->api, crop.p, (int)crop.w, (int)crop.h, 1, (int)crop.w);
    TessBaseAPISetSourceResolution(rd->api, 300);
    char *t = TessBaseAPIGetUTF8Text(rd->api);
    TessBaseAPISetVariable(rd->api, "tessedit_char_whitelist", WHITELIST);
    TessBaseAPISetPageSegMode(rd->api, PSM_SINGLE_BLOCK);
    grey_free(&crop);
    if (t == NULL)
        return;
    char d = 0;
    for (const char *p = t; *p; p++)
        if (*p >= '0' && *p <= '9')
            d = *p;
    TessDeleteText(t);
    if (d == 0)
        return;
    char lines[IDP_MRZ_MAX_LINES][IDP_MRZ_MAX_LEN + 1];
    const char *ptrs[IDP_MRZ_MAX_LINES];
    const int n = m->n_lines;
    idp_mrz again;
    memcpy(lines, m->lines, sizeof(lines));
    lines[li][m->line_len - 1] = d;
    for (int i = 0; i < n; i++)
        ptrs[i] = lines[i];
    if (idp_mrz_parse(ptrs, n, &again) && again.valid_score > m->valid_score) {
        /* keep the repairs of the first reading: they are what was changed */
        const size_t nr = m->n_repairs;
        idp_mrz_repair rep[IDP_MRZ_MAX_REPAIRS];
        memcpy(rep, m->repairs, sizeof(rep));
        *m = again;
        for (size_t i = 0; i < nr && m->n_repairs < IDP_MRZ_MAX_REPAIRS; i++)
            m->repairs[m->n_repairs++] = rep[i];
        if (m->n_repairs < IDP_MRZ_MAX_REPAIRS) {
            idp_mrz_repair *r = &m->repairs[m->n_repairs++];
            r->line = li;
            r->col = m->line_len - 1;
            r->from = '<';
            r->to = d;
            r->why = "reread";
        }
    }
    idp_mrz_wipe(&again);
    idp_wipe(lines, sizeof(lines));
}

/* Reads one group of lines of g; keeps the reading in *best when it
 * scores higher. */
static bool read_group(idp_mrz_reader *rd, const grey *g, const group *gr, double height, int flip,
                       idp_mrz *best, bool *found)
{
    bool zone = false;
    const double s = height / gr->height, m = gr->height;
    grey crop = {0, 0, NULL};
    idp_mrz got;
    char *text = NULL;
    if (!flip && gr->n <= 3) {
        /* line by line: Tesseract drops fewer characters at a line's end */
        char buf[3 * 128];
        size_t len = 0;
        TessBaseAPISetPageSegMode(rd->api, PSM_SINGLE_LINE);
        for (int i = 0; i < gr->n; i++) {
            const box *b = &gr->line[i];
            const double hl = b->y1 - b->y0 + 1;
            if (!crop_scaled(g, gr->area.x0 - 1.5 * m, b->y0 - 0.35 * hl, gr->area.x1 + 4 * m,
                             b->y1 + 0.35 * hl, s, 0, &crop))
                continue;
            TessBaseAPISetImage(rd->api, crop.p, (int)crop.w, (int)crop.h, 1, (int)crop.w);
            TessBaseAPISetSourceResolution(rd->api, 300);
            char *t = TessBaseAPIGetUTF8Text(rd->api);
            if (t != NULL) {
                for (const char *p = t; *p && len + 2 < sizeof(buf); p++)
                    if (*p != '\n')
                        buf[len++] = *p;
                buf[len++] = '\n';
                idp_wipe(t, strlen(t));
                TessDeleteText(t);
            }
            grey_free(&crop);
        }
        buf[len] = '\0';
        TessBaseAPISetPageSegMode(rd->api, PSM_SINGLE_BLOCK);
        text = malloc(len + 1);
        if (text != NULL)
            memcpy(text, buf, len + 1);
        idp_wipe(buf, sizeof(buf));
    } else {
        if (!crop_scaled(g, gr->area.x0 - 1.5 * m, gr->area.y0 - 0.8 * m, gr->area.x1 + 4 * m,
                         gr->area.y1 + 0.8 * m, s, flip, &crop))
            return false;
        TessBaseAPISetImage(rd->api, crop.p, (int)crop.w, (int)crop.h, 1, (int)crop.w);
        TessBaseAPISetSourceResolution(rd->api, 300);
        char *t = TessBaseAPIGetUTF8Text(rd->api);
        if (t != NULL) {
            text = strdup(t);
            idp_wipe(t, strlen(t));
            TessDeleteText(t);
        }
    }
    if (text != NULL) {
        const bool parsed = parse_text(text, gr->n, &got);
        if (parsed && !flip)
            read_last_digit(rd, g, gr, s, &got);
        zone = parsed && plausible(&got);
        if (zone && (!*found || got.valid_score > best->valid_score)) {
            *best = got;
            memcpy(best->engine, "tesseract", 10);
            *found = true;
        }
        idp_wipe(text, strlen(text));
        free(text);
    }
    idp_mrz_wipe(&got);
    TessBaseAPIClear(rd->api);
    grey_free(&crop);
    return zone;
}

/* Reads one group with Tesseract (the fallback): true when a valid zone
 * was read. */
static bool tess_group(idp_mrz_reader *rd, const grey *use, const group *gr, idp_mrz *best,
                       bool *found)
{
    bool done = false;
    int levels;
    pthread_mutex_lock(&tess_lock);
    levels = tess_one_thread(rd->threads); /* the calling thread only, unless allowed */
    rd->api = tess_get();
    if (rd->api != NULL) {
        /* the other letter heights only for a group that reads as a zone */
        bool zone = read_group(rd, use, gr, READ_HEIGHTS[0], 0, best, found);
        done = *found && best->valid_score == 100;
        if (!zone && !done) /* nothing like a zone: upside down, or not one */
            zone = read_group(rd, use, gr, READ_HEIGHTS[0], 1, best, found);
        for (size_t k = 1; k < N_HEIGHTS && zone && !done; k++) {
            read_group(rd, use, gr, READ_HEIGHTS[k], 0, best, found);
            done = *found && best->valid_score == 100;
        }
    }
    rd->api = NULL;
    tess_threads_restore(levels);
    pthread_mutex_unlock(&tess_lock);
    return done;
}

/* The template reader's least mean correlation for print to be taken as
 * a zone (docs/mrz.md). */
#define OCRB_MIN_CONFIDENCE 0.70

/* When Tesseract reads a group the template reader did not validate. */
enum { TESS_NEVER, TESS_ZONES, TESS_ALWAYS };

/* Reads the groups of lines found in use, with the OCR-B template reader
 * first, Tesseract when that does not validate (TESS_ZONES: only for a
 * group the template reader takes for a zone); true when a valid zone was
 * read. */
static bool read_groups(idp_mrz_reader *rd, const grey *use, const box *found_lines, int n,
                        int max_groups, int tess, idp_mrz *best, bool *found)
{
    box cands[MAX_CANDS];
    group groups[MAX_GROUPS];
    memcpy(cands, found_lines, sizeof(box) * (size_t)n);
    const int ng = find_groups(cands, n, (int)use->w, groups);
    for (int i = 0; i < ng && i < max_groups; i++) {
        bool zone = false;
        for (int flip = 0; flip < 2 && !zone; flip++) {
            idp_mrz got;
            double conf = 0;
            if (idp_mrz_ocrb_read(use, &groups[i], flip, &got, &conf) &&
                conf >= OCRB_MIN_CONFIDENCE && plausible(&got)) {
                zone = true;
                if (!*found || got.valid_score > best->valid_score) {
                    *best = got;
                    *found = true;
                }
            }
            idp_mrz_wipe(&got);
        }
        if (*found && best->valid_score == 100)
            return true;
        if ((tess == TESS_ALWAYS || (tess == TESS_ZONES && zone)) &&
            tess_group(rd, use, &groups[i], best, found))
            return true;
    }
    return false;
}

/* Looks for the zone in g in the four rotations; stops at a valid one. */
static idp_status search(idp_ctx *ctx, idp_mrz_reader *rd, const grey *g, double min_share,
                         bool quick, idp_mrz *best, bool *found)
{
    box cands[MAX_CANDS];
    for (int q = 0; q < (quick ? 1 : 4); q++) {
        grey r = {0, 0, NULL};
        const grey *use = g;
        if (q == 2) /* upside down is read by flipping each group's crop */
            continue;
        if (q != 0) {
            if (!grey_rotate(g, q, &r))
                return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
            use = &r;
        }
        const int n = find_lines(use, (int)(use->w * min_share), cands);
        const bool done = read_groups(rd, use, cands, n, quick ? 1 : 3,
                                      quick ? TESS_ZONES : TESS_ALWAYS, best, found);
        grey_free(&r);
        if (done)
            return IDP_OK;
    }
    /* a zone tilted more than its lines can be told apart at (a page
     * photographed askew, no document found): sheared level, a degree at
     * a time, read by the template reader alone */
    for (int k = 1; k <= 14 && !quick; k++) {
        const double t = tan((k + 1) / 2 * (k % 2 ? 1.0 : -1.0) * 3.14159265358979 / 180);
        grey r = {0, 0, NULL};
        if (!idp_mrz_grey_shear(g, t, &r))
            return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
        const int n = find_lines(&r, (int)(r.w * min_share), cands);
        const bool done = read_groups(rd, &r, cands, n, 3, TESS_NEVER, best, found);
        grey_free(&r);
        if (done)
            break;
    }
    return IDP_OK;
}

idp_status idp_mrz_read(idp_ctx *ctx, idp_mrz_reader *rd, const idp_image *img,
                        const idp_document *doc, bool quick, idp_mrz *out, bool *found)
{
    idp_status st = IDP_OK;
    grey g = {0, 0, NULL};
    *found = false;
    memset(out, 0, sizeof(*out));
    rd->threads = idp_ctx_threads(ctx);
    if (doc != NULL && doc->found) {
        double wmm = 0, hmm = 0, ls, ss;
        idp_document_size_mm(doc, &wmm, &hmm);
        idp_quad_sides(doc->quad, &ls, &ss);
        uint32_t w, h;
        if (wmm > 0 && hmm > 0) {
            w = (uint32_t)(wmm * DOC_PX_PER_MM);
            h = (uint32_t)(hmm * DOC_PX_PER_MM);
        } else {
            const double f = 1000.0 / ls;
            w = (uint32_t)((doc->portrait ? ss : ls) * f);
            h = (uint32_t)((doc->portrait ? ls : ss) * f);
        }
        idp_image *flat = NULL;
        st = idp_warp_quad(ctx, img, doc->quad, w, h, &flat);
        if (st != IDP_OK)
            return st;
        const int ok = grey_from_image(flat, 4000, &g);
        idp_image_destroy(flat);
        if (!ok)
            return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
        st = search(ctx, rd, &g, 0.55, quick, out, found);
        grey_free(&g);
        if (st != IDP_OK || (*found && out->valid_score == 100) || quick)
            return st;
    }
    if (!grey_from_image(img, FRAME_SIDE, &g))
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
    st = search(ctx, rd, &g, 0.20, quick, out, found);
    grey_free(&g);
    return st;
}
