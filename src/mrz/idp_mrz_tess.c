/* Tesseract, the MRZ reader's fallback: a group of lines cut out, scaled
 * to a fixed letter height and read (LSTM, letters A-Z, digits and '<'
 * only), the text brought to its format's length and parsed
 * (idp_mrz_parse.c); one instance for the process, on the calling thread
 * unless the context allows Tesseract's team. docs/mrz.md. */
#include "idp_mrz.h"
#include "idp_mrz_ocrb.h"

#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <tesseract/capi.h>

/* The letter heights the zone is scaled to for Tesseract, tried in this
 * order until the check digits validate (docs/mrz.md: each one reads some
 * specimens the others do not). */
static const double READ_HEIGHTS[] = {30.0, 22.0, 40.0};
#define N_HEIGHTS (sizeof(READ_HEIGHTS) / sizeof(READ_HEIGHTS[0]))

#define WHITELIST "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"

typedef idp_mrz_grey grey;
typedef idp_mrz_box box;
typedef idp_mrz_group group;

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
    if (ow < 8 || oh < 8 || ow > 8000 || oh > 2000 || !idp_mrz_grey_alloc(out, ow, oh))
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

/* Tesseract drops the last character of a line after a long run of
 * fillers (TD1's second line, whose last cell is the composite check
 * digit, most of all). When the last cell of the line holding the
 * composite check was read as a filler but the line's print reaches the
 * zone's right end, that cell alone is read as a digit. */
static void read_last_digit(TessBaseAPI *api, const grey *g, const group *gr, double s, idp_mrz *m)
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
    TessBaseAPISetPageSegMode(api, PSM_SINGLE_CHAR);
    TessBaseAPISetVariable(api, "tessedit_char_whitelist", "0123456789");
    TessBaseAPISetImage(api, crop.p, (int)crop.w, (int)crop.h, 1, (int)crop.w);
    TessBaseAPISetSourceResolution(api, 300);
    char *t = TessBaseAPIGetUTF8Text(api);
    TessBaseAPISetVariable(api, "tessedit_char_whitelist", WHITELIST);
    TessBaseAPISetPageSegMode(api, PSM_SINGLE_BLOCK);
    idp_mrz_grey_free(&crop);
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
static bool read_group(TessBaseAPI *api, const grey *g, const group *gr, double height, int flip,
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
        TessBaseAPISetPageSegMode(api, PSM_SINGLE_LINE);
        for (int i = 0; i < gr->n; i++) {
            const box *b = &gr->line[i];
            const double hl = b->y1 - b->y0 + 1;
            if (!crop_scaled(g, gr->area.x0 - 1.5 * m, b->y0 - 0.35 * hl, gr->area.x1 + 4 * m,
                             b->y1 + 0.35 * hl, s, 0, &crop))
                continue;
            TessBaseAPISetImage(api, crop.p, (int)crop.w, (int)crop.h, 1, (int)crop.w);
            TessBaseAPISetSourceResolution(api, 300);
            char *t = TessBaseAPIGetUTF8Text(api);
            if (t != NULL) {
                for (const char *p = t; *p && len + 2 < sizeof(buf); p++)
                    if (*p != '\n')
                        buf[len++] = *p;
                buf[len++] = '\n';
                idp_wipe(t, strlen(t));
                TessDeleteText(t);
            }
            idp_mrz_grey_free(&crop);
        }
        buf[len] = '\0';
        TessBaseAPISetPageSegMode(api, PSM_SINGLE_BLOCK);
        text = malloc(len + 1);
        if (text != NULL)
            memcpy(text, buf, len + 1);
        idp_wipe(buf, sizeof(buf));
    } else {
        if (!crop_scaled(g, gr->area.x0 - 1.5 * m, gr->area.y0 - 0.8 * m, gr->area.x1 + 4 * m,
                         gr->area.y1 + 0.8 * m, s, flip, &crop))
            return false;
        TessBaseAPISetImage(api, crop.p, (int)crop.w, (int)crop.h, 1, (int)crop.w);
        TessBaseAPISetSourceResolution(api, 300);
        char *t = TessBaseAPIGetUTF8Text(api);
        if (t != NULL) {
            text = strdup(t);
            idp_wipe(t, strlen(t));
            TessDeleteText(t);
        }
    }
    if (text != NULL) {
        const bool parsed = parse_text(text, gr->n, &got);
        if (parsed && !flip)
            read_last_digit(api, g, gr, s, &got);
        zone = parsed && idp_mrz_plausible(&got);
        if (zone && (!*found || got.valid_score > best->valid_score)) {
            *best = got;
            memcpy(best->engine, "tesseract", 10);
            *found = true;
        }
        idp_wipe(text, strlen(text));
        free(text);
    }
    idp_mrz_wipe(&got);
    TessBaseAPIClear(api);
    idp_mrz_grey_free(&crop);
    return zone;
}

/* Reads one group with Tesseract (the fallback): true when a valid zone
 * was read. */
bool idp_mrz_tess_read(const grey *use, const group *gr, unsigned threads, idp_mrz *best,
                       bool *found)
{
    bool done = false;
    int levels;
    TessBaseAPI *api;
    pthread_mutex_lock(&tess_lock);
    levels = tess_one_thread(threads); /* the calling thread only, unless allowed */
    api = tess_get();
    if (api != NULL) {
        /* the other letter heights only for a group that reads as a zone */
        bool zone = read_group(api, use, gr, READ_HEIGHTS[0], 0, best, found);
        done = *found && best->valid_score == 100;
        if (!zone && !done) /* nothing like a zone: upside down, or not one */
            zone = read_group(api, use, gr, READ_HEIGHTS[0], 1, best, found);
        for (size_t k = 1; k < N_HEIGHTS && zone && !done; k++) {
            read_group(api, use, gr, READ_HEIGHTS[k], 0, best, found);
            done = *found && best->valid_score == 100;
        }
    }
    tess_threads_restore(levels);
    pthread_mutex_unlock(&tess_lock);
    return done;
}
