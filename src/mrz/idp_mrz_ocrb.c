/* A reader of the machine-readable zone for its one typeface, OCR-B, that
 * uses what the format gives: a fixed pitch and a known number of
 * characters a line (30, 36 or 44). Each line's slope and centre are
 * fitted to its print, the line is cut into that many cells, each cell is
 * compared (normalised correlation, a few pixels of shift) with the
 * templates of the characters its field may hold, and where a check digit
 * fails, the runner-up characters that make it validate at the least cost
 * are taken. Method and measurements: docs/mrz.md. */
#include "idp_mrz_cells.h"
#include "idp_mrz_ocrb.h"
#include "idp_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TW IDP_OCRB_TW
#define TH IDP_OCRB_TH
#define TN (TW * TH)
/* the template row of the print's vertical centre (capitals, digits and
 * fillers together) */
#define CENTRE_ROW 10.8
/* strip margins, template pixels */
#define MX IDP_MRZ_MX
#define MY IDP_MRZ_MY
#define MAX_N 44

/* What a cell may hold. */
enum { A_ALPHA, A_DIGIT, A_CHECK, A_ALNUM, A_SEX };

static int allowed(int kind, char c)
{
    const bool digit = c >= '0' && c <= '9', letter = c >= 'A' && c <= 'Z';
    switch (kind) {
    case A_ALPHA:
        return letter || c == '<';
    case A_DIGIT:
    case A_CHECK:
        return digit || c == '<';
    case A_SEX:
        return c == 'M' || c == 'F' || c == 'X' || c == '<';
    default:
        return 1;
    }
}

/* The kind of cell (line, col) in a zone of n_lines x len; visa: the
 * document code is V (MRV-A, MRV-B: no personal number check digits). */
static int kind_at(int n_lines, int len, bool visa, int line, int col)
{
    if (n_lines == 3) {
        if (line == 0)
            return col < 5 ? A_ALPHA : col == 14 ? A_CHECK : A_ALNUM;
        if (line == 2)
            return A_ALPHA;
        if (col < 6 || (col >= 8 && col < 14))
            return A_DIGIT;
        if (col == 6 || col == 14 || col == 29)
            return A_CHECK;
        if (col == 7)
            return A_SEX;
        return col >= 15 && col < 18 ? A_ALPHA : A_ALNUM;
    }
    if (line == 0)
        return A_ALPHA;
    if (col == 9 || col == 19 || col == 27)
        return A_CHECK;
    if (col >= 10 && col < 13)
        return A_ALPHA;
    if ((col >= 13 && col < 19) || (col >= 21 && col < 27))
        return A_DIGIT;
    if (col == 20)
        return A_SEX;
    if (!visa && ((len == 44 && col >= 42) || (len == 36 && col == 35)))
        return A_CHECK;
    return A_ALNUM;
}

/* The geometry of one line: print centre y = c + m x, pitch p (image
 * pixels), the centre of the first cell at x = x0. */
typedef struct line_geom {
    double c, m, p, x0;
    double vf; /* the print's height to its pitch against OCR-B's (1: as drawn) */
} line_geom;

/* Otsu's threshold of the pixels of g in the box. */
static int otsu(const idp_mrz_grey *g, int x0, int y0, int x1, int y1)
{
    double hist[256] = {0}, total = 0, sum = 0;
    for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++) {
            hist[g->p[(size_t)y * g->w + (size_t)x]]++;
            total++;
        }
    for (int i = 0; i < 256; i++)
        sum += i * hist[i];
    double wb = 0, sb = 0, best = -1;
    int t = 128;
    for (int i = 0; i < 256; i++) {
        wb += hist[i];
        if (wb == 0 || wb == total)
            continue;
        sb += i * hist[i];
        const double mb = sb / wb, mf = (sum - sb) / (total - wb);
        const double between = wb * (total - wb) * (mb - mf) * (mb - mf);
        if (between > best) {
            best = between;
            t = i;
        }
    }
    return t;
}

/* Fits the line's centre and slope to its print: in each of 10 slices,
 * the run of rows with ink around the slice's inkiest row; a Theil-Sen
 * line through the runs' centres. */
static bool fit_line(const idp_mrz_grey *g, const idp_mrz_box *b, line_geom *lg, double *height)
{
    enum { K = 10 };
    const int bw = b->x1 - b->x0 + 1;
    const int y0 = b->y0 > 0 ? b->y0 : 0, y1 = b->y1 < (int)g->h - 1 ? b->y1 : (int)g->h - 1;
    if (bw < 20 || y1 - y0 < 2 || y1 - y0 > 1000)
        return false;
    const int t = otsu(g, b->x0, y0, b->x1, y1);
    double xs[K], ys[K], hs[K];
    int n = 0, counts[1001];
    for (int k = 0; k < K; k++) {
        const int sx0 = b->x0 + bw * k / K, sx1 = b->x0 + bw * (k + 1) / K - 1;
        int peak = 0, py = 0;
        for (int y = y0; y <= y1; y++) {
            int c = 0;
            const uint8_t *row = g->p + (size_t)y * g->w;
            for (int x = sx0; x <= sx1; x++)
                c += row[x] <= t;
            counts[y - y0] = c;
            if (c > peak) {
                peak = c;
                py = y;
            }
        }
        if (peak < 2)
            continue;
        int top = py, bot = py;
        while (top > y0 && counts[top - 1 - y0] * 5 >= peak)
            top--;
        while (bot < y1 && counts[bot + 1 - y0] * 5 >= peak)
            bot++;
        xs[n] = (sx0 + sx1) / 2.0;
        ys[n] = (top + bot) / 2.0;
        hs[n] = bot - top + 1;
        n++;
    }
    if (n < 3)
        return false;
    double slopes[K * K];
    int ns = 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            slopes[ns++] = (ys[j] - ys[i]) / (xs[j] - xs[i]);
    idp_sort_doubles(slopes, (size_t)ns);
    lg->m = slopes[ns / 2];
    double cs[K];
    for (int i = 0; i < n; i++)
        cs[i] = ys[i] - lg->m * xs[i];
    idp_sort_doubles(cs, (size_t)n);
    lg->c = cs[n / 2];
    idp_sort_doubles(hs, (size_t)n);
    *height = hs[n / 2];
    return fabs(lg->m) < 0.2;
}

/* The pitch of the print along the fitted line, from the period of its
 * columns' ink (a lag near the letter height, refined at eight pitches
 * for precision); 0 when there is no clear period. */
static double period_pitch(const idp_mrz_grey *g, const idp_mrz_box *b, const line_geom *lg,
                           double height)
{
    const int x0 = b->x0, x1 = b->x1, n = x1 - x0 + 1;
    if (n < 40)
        return 0;
    const int t =
        otsu(g, b->x0, b->y0 > 0 ? b->y0 : 0, b->x1, b->y1 < (int)g->h - 1 ? b->y1 : (int)g->h - 1);
    double *f = malloc(sizeof(double) * (size_t)n), mean = 0;
    if (f == NULL)
        return 0;
    for (int i = 0; i < n; i++) {
        const int x = x0 + i;
        const double yc = lg->c + lg->m * x;
        int c = 0;
        for (int y = (int)(yc - height / 2); y <= (int)(yc + height / 2); y++)
            if (y >= 0 && y < (int)g->h)
                c += g->p[(size_t)y * g->w + (size_t)x] <= t;
        f[i] = c;
        mean += c;
    }
    mean /= n;
    for (int i = 0; i < n; i++)
        f[i] -= mean;
        /* R(lag), normalised by the overlap */
#define R(lag, out)                                                                                \
    do {                                                                                           \
        double r_ = 0;                                                                             \
        for (int i_ = 0; i_ + (lag) < n; i_++)                                                     \
            r_ += f[i_] * f[i_ + (lag)];                                                           \
        (out) = r_ / (n - (lag));                                                                  \
    } while (0)
    int lo = (int)(0.6 * height), hi = (int)(2.2 * height) + 1, best = 0;
    double rb = 0;
    lo = lo < 3 ? 3 : lo;
    for (int lag = lo; lag <= hi && lag < n / 4; lag++) {
        double r;
        R(lag, r);
        if (r > rb) {
            rb = r;
            best = lag;
        }
    }
    double p = 0;
    if (best > 0 && 8 * (best + 1) < n / 2) {
        int b8 = 0;
        double r8 = 0;
        for (int lag = 8 * best - 6; lag <= 8 * best + 6; lag++) {
            double r;
            R(lag, r);
            if (b8 == 0 || r > r8) {
                r8 = r;
                b8 = lag;
            }
        }
        p = b8 / 8.0;
    }
#undef R
    free(f);
    return p;
}

typedef idp_mrz_strip strip;

static bool sample_strip(const idp_mrz_grey *g, const line_geom *lg, int n, strip *st)
{
    const double s = TW / lg->p; /* template pixels per image pixel */
    const double norm = sqrt(1 + lg->m * lg->m), dx = 1 / norm, dy = lg->m / norm;
    st->w = n * TW + 2 * MX;
    st->h = TH + 2 * MY;
    st->p = malloc(sizeof(int16_t) * (size_t)st->w * (size_t)st->h);
    if (st->p == NULL)
        return false;
    /* the origin: the left edge of cell 0 on the centre line */
    const double ox = lg->x0 - lg->p / 2, oy = lg->c + lg->m * ox;
    for (int r = 0; r < st->h; r++) {
        const double v = (r - MY + 0.5 - CENTRE_ROW) / (s / lg->vf);
        for (int u = 0; u < st->w; u++) {
            const double a = (u - MX + 0.5) / s;
            double x = ox + a * dx - v * dy - 0.5, y = oy + a * dy + v * dx - 0.5;
            int16_t val = 0;
            if (x >= 0 && y >= 0 && x < g->w - 1 && y < g->h - 1) {
                const int ix = (int)x, iy = (int)y;
                const double fx = x - ix, fy = y - iy;
                const uint8_t *q = g->p + (size_t)iy * g->w + ix;
                val = (int16_t)(255.5 - ((1 - fy) * ((1 - fx) * q[0] + fx * q[1]) +
                                         fy * ((1 - fx) * q[g->w] + fx * q[g->w + 1])));
            }
            st->p[(size_t)r * (size_t)st->w + (size_t)u] = val;
        }
    }
    return true;
}

/* A cell's correlation is at most 1 (Cauchy-Schwarz; the margin covers
 * the templates' rounding to integers), and so is a line's mean. */
#define CELL_MAX 1.01
/* What read_line returns for a line it gave up: below any need. */
#define BELOW (-3.0)

/* Whether the line's mean can no longer reach need: the cells not read
 * yet counted at CELL_MAX, in whichever of the three runs of n cells
 * would read best. */
static bool cannot_reach(const double ub[MAX_N + 2], int n, double need)
{
    for (int o = 0; o <= 2; o++) {
        double sum = 0;
        for (int i = o; i < o + n; i++)
            sum += ub[i];
        if (sum >= need * n - 1e-9)
            return false;
    }
    return true;
}

static double best_score(const float sc[IDP_OCRB_N])
{
    float m = -1;
    for (int c = 0; c < IDP_OCRB_N; c++)
        m = sc[c] > m ? sc[c] : m;
    return (double)m;
}

/* Reads one line of n cells: every character's score for every cell into
 * sc. Returns the mean of the cells' best scores (-1 when the line cannot
 * be sampled). When the cells matched so far show that the mean cannot
 * reach need, the rest is not matched and BELOW is returned (sc is then
 * not filled). */
static double read_line(const idp_mrz_grey *g, const idp_mrz_box *b, int n, int anchor,
                        float sc[MAX_N][IDP_OCRB_N], double need)
{
    line_geom lg;
    double height;
    if (!fit_line(g, b, &lg, &height))
        return -1;
    /* the print from its first to its last ink: n - 1 pitches and one
     * character's ink (0.69 of a pitch, centred in its cell) */
    lg.p = (b->x1 - b->x0 + 1) / (n - 1 + 0.69);
    lg.x0 = b->x0 + 0.345 * lg.p;
    if (anchor != 0) {
        /* the box is not the whole line (a glare, a dark edge): the pitch
         * from the print's period, the line from one end of the box */
        const double pp = period_pitch(g, b, &lg, height);
        if (pp <= 0 || fabs(pp - lg.p) < 0.03 * lg.p)
            return -1;
        lg.p = pp;
        lg.x0 = anchor < 0 ? b->x0 + 0.345 * pp : b->x1 - 0.345 * pp - (n - 1) * pp;
    }
    if (lg.p < 2 || height > 2.5 * lg.p || height < 0.4 * lg.p)
        return -1;
    /* a page seen at a slant is foreshortened across its lines: the
     * height of the print measured against the pitch (0.97 of it in the
     * photos measured, docs/mrz.md) when it is far from that */
    lg.vf = height / lg.p / 0.97;
    if (fabs(lg.vf - 1) < 0.15)
        lg.vf = 1;
    /* one cell more either side: a box that missed a thin first
     * character, or took in a mark after the last, is one cell off */
    const int nn = n + 2;
    strip st;
    lg.x0 -= lg.p;
    if (!sample_strip(g, &lg, nn, &st))
        return -1;
    float all[MAX_N + 2][IDP_OCRB_N], best[MAX_N + 2];
    int dxs[MAX_N + 2], dys[MAX_N + 2];
    /* first pass, on every third cell: a quarter pitch either way */
    for (int i = 0; i < nn; i++) {
        best[i] = -1;
        if (i % 3 != 1)
            continue;
        idp_mrz_match_cell(&st, i, 0, 0, TW / 4, 3, all[i], &dxs[i], &dys[i], NULL);
        for (int c = 0; c < IDP_OCRB_N; c++)
            best[i] = all[i][c] > best[i] ? all[i][c] : best[i];
    }
    /* the cells' places fitted (least squares on the confident cells),
     * then each cell matched again near its fitted place */
    double sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0, sxv = 0, w = 0;
    for (int i = 0; i < nn; i++)
        if (best[i] > 0.6f) {
            sx += i;
            sxx += (double)i * i;
            sy += dxs[i];
            sxy += (double)i * dxs[i];
            syy += dys[i];
            sxv += (double)i * dys[i];
            w++;
        }
    /* each cell's best so far, CELL_MAX for one not matched yet */
    double ub[MAX_N + 2];
    for (int i = 0; i < nn; i++)
        ub[i] = CELL_MAX;
    bool given_up = false;
    if (w >= n / 9.0) {
        const double den = w * sxx - sx * sx;
        const double bx = den > 0 ? (w * sxy - sx * sy) / den : 0, ax = (sy - bx * sx) / w;
        const double by = den > 0 ? (w * sxv - sx * syy) / den : 0, ay = (syy - by * sx) / w;
        for (int i = 0; i < nn && !given_up; i++) {
            int cx = (int)lround(ax + bx * i), cy = (int)lround(ay + by * i);
            cx = cx < -MX + 2 ? -MX + 2 : cx > MX - 2 ? MX - 2 : cx;
            cy = cy < -MY + 1 ? -MY + 1 : cy > MY - 1 ? MY - 1 : cy;
            idp_mrz_near near = {0, 0, 0, {0}, {0}};
            idp_mrz_match_cell(&st, i, cx, cy, 1, 1, all[i], &dxs[i], &dys[i], &near);
            float m = -1;
            for (int c = 0; c < IDP_OCRB_N; c++)
                m = all[i][c] > m ? all[i][c] : m;
            if (m < 0.9f) /* a cell off the fitted line (a curved page) */
                idp_mrz_match_cell(&st, i, cx, cy, 2, 2, all[i], &dxs[i], &dys[i], &near);
            ub[i] = best_score(all[i]);
            given_up = cannot_reach(ub, n, need);
        }
    } else {
        /* every cell a quarter pitch either way (the first pass's cells
         * were matched so already) */
        for (int i = 1; i < nn; i += 3)
            ub[i] = (double)best[i];
        for (int i = 0; i < nn && !given_up; i++)
            if (i % 3 != 1) {
                idp_mrz_match_cell(&st, i, 0, 0, TW / 4, 3, all[i], &dxs[i], &dys[i], NULL);
                ub[i] = best_score(all[i]);
                given_up = cannot_reach(ub, n, need);
            }
    }
    free(st.p);
    if (given_up)
        return BELOW;
    for (int i = 0; i < nn; i++) {
        best[i] = -1;
        for (int c = 0; c < IDP_OCRB_N; c++)
            best[i] = all[i][c] > best[i] ? all[i][c] : best[i];
    }
    /* the n cells in a row that read best */
    int first = 1;
    double sum_best = 0;
    for (int i = 1; i <= n; i++)
        sum_best += (double)best[i];
    for (int o = 0; o <= 2; o += 2) {
        double sum = 0;
        for (int i = o; i < o + n; i++)
            sum += (double)best[i];
        if (sum > sum_best + 0.2) { /* one cell clearly better read */
            sum_best = sum;
            first = o;
        }
    }
    memcpy(sc, all[first], sizeof(float) * (size_t)n * IDP_OCRB_N);
    return sum_best / n;
}

/* read_line with the pitch from the box's width; when that reads poorly,
 * with the pitch from the print's period from either end of the box.
 * Below need, the value returned is only known to be below need: a read
 * is given up early only where that cannot change which reads are made
 * (a first read that would read 0.75 or more is never given up). */
static double read_line_best(const idp_mrz_grey *g, const idp_mrz_box *b, int n,
                             float sc[MAX_N][IDP_OCRB_N], double need)
{
    float tmp[MAX_N][IDP_OCRB_N];
    const double early = need < 0.75 ? need : 0.75;
    double c = read_line(g, b, n, 0, sc, early);
    for (int anchor = -1; anchor <= 1 && c < 0.75; anchor += 2) {
        const double a = read_line(g, b, n, anchor, tmp, anchor < 0 ? early : need);
        if (a > c) {
            c = a;
            memcpy(sc, tmp, sizeof(tmp));
        }
    }
    return c;
}

/* The best character of kind k in a cell's scores. */
static int best_of(const float *sc, int k, int skip)
{
    int b = -1;
    for (int c = 0; c < IDP_OCRB_N; c++)
        if (c != skip && allowed(k, IDP_OCRB_CHARS[c]) && (b < 0 || sc[c] > sc[b]))
            b = c;
    return b;
}

typedef struct alt {
    int line, col;
    char to;
    float cost;
} alt;

static int cmp_alt(const void *a, const void *b)
{
    const alt *x = a, *y = b;
    return x->cost < y->cost ? -1 : x->cost > y->cost;
}

static int score_of(char lines[3][MAX_N + 1], int n_lines)
{
    const char *ptrs[3] = {lines[0], lines[1], lines[2]};
    idp_mrz m;
    const int s = idp_mrz_parse(ptrs, n_lines, &m) ? m.valid_score : -1;
    idp_mrz_wipe(&m);
    return s;
}

/* Where check digits fail: the runner-up characters (within 0.25 of the
 * chosen one's score), one or two at a time, cheapest first; a change is
 * kept when more check digits validate. The changes into rep. */
static int resolve(char lines[3][MAX_N + 1], int n_lines, int len, float sc[3][MAX_N][IDP_OCRB_N],
                   int kinds[3][MAX_N], alt *rep, int max_rep)
{
    alt alts[3 * MAX_N];
    int na = 0, nrep = 0, score = score_of(lines, n_lines);
    for (int l = 0; l < n_lines; l++)
        for (int i = 0; i < len; i++) {
            const int chosen = (int)(strchr(IDP_OCRB_CHARS, lines[l][i]) - IDP_OCRB_CHARS);
            const int second = best_of(sc[l][i], kinds[l][i], chosen);
            if (second < 0)
                continue;
            const float cost = sc[l][i][chosen] - sc[l][i][second];
            if (cost < 0.15f)
                alts[na++] = (alt){l, i, IDP_OCRB_CHARS[second], cost};
        }
    qsort(alts, (size_t)na, sizeof(alt), cmp_alt);
    if (na > 12)
        na = 12;
    bool improved = true;
    while (improved && score >= 0 && score < 100) {
        improved = false;
        for (int a = 0; a < na && !improved; a++) {
            char *p = &lines[alts[a].line][alts[a].col], was = *p;
            if (was == alts[a].to)
                continue;
            *p = alts[a].to;
            const int s = score_of(lines, n_lines);
            if (s > score) {
                score = s;
                improved = true;
                if (nrep < max_rep)
                    rep[nrep++] = (alt){alts[a].line, alts[a].col, was, 0};
            } else {
                *p = was;
            }
        }
        for (int a = 0; a < na && !improved; a++)
            for (int b2 = a + 1; b2 < na && !improved; b2++) {
                char *p = &lines[alts[a].line][alts[a].col], wp = *p;
                char *q = &lines[alts[b2].line][alts[b2].col], wq = *q;
                if (p == q || wp == alts[a].to || wq == alts[b2].to)
                    continue;
                *p = alts[a].to;
                *q = alts[b2].to;
                const int s = score_of(lines, n_lines);
                if (s > score) {
                    score = s;
                    improved = true;
                    if (nrep + 1 < max_rep) {
                        rep[nrep++] = (alt){alts[a].line, alts[a].col, wp, 0};
                        rep[nrep++] = (alt){alts[b2].line, alts[b2].col, wq, 0};
                    }
                } else {
                    *p = wp;
                    *q = wq;
                }
            }
    }
    return nrep;
}

static int char_index(char c)
{
    const char *p = strchr(IDP_OCRB_CHARS, c);
    return p != NULL && c != '\0' ? (int)(p - IDP_OCRB_CHARS) : 0;
}

/* A state or nationality read as no known code: the known code whose
 * letters score best, when it scores within 0.3 of what was read (three
 * cells together). Returns the number of cells changed, their former
 * characters in from[]. */
static int snap_code(char *cells, float sc[][IDP_OCRB_N], char from[3])
{
    for (int i = 0; i < IDP_MRZ_N_CODES; i++)
        if (memcmp(IDP_MRZ_CODES[i], cells, 3) == 0)
            return 0;
    float now = 0, best = -10;
    int bi = -1;
    for (int k = 0; k < 3; k++)
        now += sc[k][char_index(cells[k])];
    for (int i = 0; i < IDP_MRZ_N_CODES; i++) {
        float sum = 0;
        for (int k = 0; k < 3; k++)
            sum += sc[k][char_index(IDP_MRZ_CODES[i][k])];
        if (sum > best) {
            best = sum;
            bi = i;
        }
    }
    if (bi < 0 || best < now - 0.3f)
        return 0;
    int n = 0;
    for (int k = 0; k < 3; k++) {
        from[k] = cells[k];
        n += cells[k] != IDP_MRZ_CODES[bi][k];
        cells[k] = IDP_MRZ_CODES[bi][k];
    }
    return n;
}

static void add_repair(idp_mrz *m, int line, int col, char from, char to, const char *why)
{
    if (m->n_repairs >= IDP_MRZ_MAX_REPAIRS || from == to)
        return;
    idp_mrz_repair *r = &m->repairs[m->n_repairs++];
    r->line = line;
    r->col = col;
    r->from = from;
    r->to = to;
    r->why = why;
}

/* The group turned half a turn: its area cut out and rotated, the lines'
 * boxes likewise, the top line first again. */
static bool flip_group(const idp_mrz_grey *g, const idp_mrz_group *gr, idp_mrz_grey *out,
                       idp_mrz_group *fg)
{
    const int m = (int)(2 * gr->height) + 4;
    const int x0 = gr->area.x0 - m < 0 ? 0 : gr->area.x0 - m,
              y0 = gr->area.y0 - m < 0 ? 0 : gr->area.y0 - m;
    const int x1 = gr->area.x1 + m >= (int)g->w ? (int)g->w - 1 : gr->area.x1 + m,
              y1 = gr->area.y1 + m >= (int)g->h ? (int)g->h - 1 : gr->area.y1 + m;
    out->w = (uint32_t)(x1 - x0 + 1);
    out->h = (uint32_t)(y1 - y0 + 1);
    out->p = malloc((size_t)out->w * out->h);
    if (out->p == NULL)
        return false;
    for (uint32_t y = 0; y < out->h; y++)
        for (uint32_t x = 0; x < out->w; x++)
            out->p[(size_t)y * out->w + x] =
                g->p[(size_t)(y1 - (int)y) * g->w + (size_t)(x1 - (int)x)];
    *fg = *gr;
    for (int i = 0; i < gr->n; i++) {
        const idp_mrz_box *b = &gr->line[gr->n - 1 - i];
        idp_mrz_box *f = &fg->line[i];
        f->x0 = x1 - b->x1;
        f->x1 = x1 - b->x0;
        f->y0 = y1 - b->y1;
        f->y1 = y1 - b->y0;
        f->n = b->n;
    }
    return true;
}

bool idp_mrz_ocrb_read(const idp_mrz_grey *g, const idp_mrz_group *gr, int flip, double need,
                       idp_mrz *out, double *confidence)
{
    float(*scores)[MAX_N][IDP_OCRB_N] = malloc(sizeof(float) * 2 * 3 * MAX_N * IDP_OCRB_N);
    idp_mrz_grey fg = {0, 0, NULL};
    idp_mrz_group fgr;
    char lines[3][MAX_N + 1];
    int kinds[3][MAX_N];
    bool ok = false;
    *confidence = 0;
    memset(out, 0, sizeof(*out));
    if (scores == NULL || gr->n < 2 || gr->n > 3)
        goto done;
    idp_mrz_cells_init();
    if (flip) {
        if (!flip_group(g, gr, &fg, &fgr))
            goto done;
        g = &fg;
        gr = &fgr;
    }
    /* the number of cells: TD1 30; two lines 44 or 36, whichever reads
     * closer to OCR-B */
    const int n_lines = gr->n;
    int len = 30;
    double conf = 0;
    float(*sc3)[MAX_N][IDP_OCRB_N] = scores;
    /* a group that cannot reach need is given up as soon as its lines
     * read so far show it: each line yet to read counted at CELL_MAX */
    if (n_lines == 3) {
        double sum = 0;
        for (int l = 0; l < 3; l++) {
            const double line_need = 3 * need - sum - (2 - l) * CELL_MAX;
            const double c = read_line_best(g, &gr->line[l], 30, sc3[l], line_need);
            if (c < 0 || c < line_need)
                goto done;
            sum += c;
            conf += c / 3;
        }
    } else {
        float(*alt3)[MAX_N][IDP_OCRB_N] = scores + 3;
        double c44 = 0, c36 = -2;
        /* below 0.6 at 44 cells the 36 are read anyway: the 44 are given
         * up only below that */
        const double need44 = need < 0.6 ? need : 0.6;
        bool below44 = false, below36 = false;
        for (int l = 0; l < 2 && !below44; l++) {
            const double line_need = 2 * need44 - (l == 0 ? CELL_MAX : 2 * c44);
            const double c = read_line_best(g, &gr->line[l], 44, sc3[l], line_need);
            below44 = c < line_need;
            c44 += c / 2;
        }
        /* a passport (document code P) is TD3 */
        if (below44 || IDP_OCRB_CHARS[best_of(sc3[0][0], A_ALPHA, -1)] != 'P' || c44 < 0.6) {
            c36 = 0;
            for (int l = 0; l < 2 && !below36; l++) {
                const double line_need = 2 * need - (l == 0 ? CELL_MAX : 2 * c36);
                const double c = read_line_best(g, &gr->line[l], 36, alt3[l], line_need);
                below36 = c < line_need;
                c36 += c / 2;
            }
        }
        /* one count below need: the other decides, when it reaches need */
        if ((below44 && (below36 || c36 < need)) || (below36 && c44 < need))
            goto done;
        if (below36)
            c36 = -2;
        if (c44 < 0 && c36 < 0)
            goto done;
        len = !below44 && c44 >= c36 ? 44 : 36;
        conf = len == 44 ? c44 : c36;
        if (len == 36)
            sc3 = alt3;
    }
    if (conf < need)
        goto done;
    /* each cell: the best character its field may hold; the document
     * code (first cell) first, as it tells a visa */
    const int b0 = best_of(sc3[0][0], A_ALPHA, -1);
    const bool visa = n_lines == 2 && IDP_OCRB_CHARS[b0] == 'V';
    for (int l = 0; l < n_lines; l++) {
        for (int i = 0; i < len; i++) {
            kinds[l][i] = kind_at(n_lines, len, visa, l, i);
            lines[l][i] = IDP_OCRB_CHARS[best_of(sc3[l][i], kinds[l][i], -1)];
            if (kinds[l][i] == A_ALNUM) {
                /* numbers are mostly digits: a letter that looks like a
                 * digit scoring nearly as well gives way to it */
                static const char look[] = "OIQDSBZG", like[] = "01005826";
                const char *q = strchr(look, lines[l][i]);
                if (q != NULL && lines[l][i] != '\0') {
                    const int d = like[q - look] - '0',
                              c = (int)(strchr(IDP_OCRB_CHARS, lines[l][i]) - IDP_OCRB_CHARS);
                    if (sc3[l][i][d] >= sc3[l][i][c] - 0.06f)
                        lines[l][i] = like[q - look];
                }
            }
        }
        lines[l][len] = '\0';
    }
    /* the issuing state and the nationality: known codes */
    const int code_at[2][2] = {{0, 2}, {1, n_lines == 3 ? 15 : 10}};
    char code_from[2][3];
    int code_changed[2];
    for (int k = 0; k < 2; k++)
        code_changed[k] = snap_code(&lines[code_at[k][0]][code_at[k][1]],
                                    &sc3[code_at[k][0]][code_at[k][1]], code_from[k]);
    alt rep[16];
    const int nrep = resolve(lines, n_lines, len, sc3, kinds, rep, 16);
    const char *ptrs[3] = {lines[0], lines[1], lines[2]};
    if (!idp_mrz_parse(ptrs, n_lines, out))
        goto done;
    /* what the field's kind and the check digits decided, said */
    for (int l = 0; l < n_lines; l++)
        for (int i = 0; i < len; i++) {
            const int k = kinds[l][i];
            const char any = IDP_OCRB_CHARS[best_of(sc3[l][i], A_ALNUM, -1)],
                       kind_best = IDP_OCRB_CHARS[best_of(sc3[l][i], k, -1)];
            if (k != A_ALNUM && lines[l][i] == kind_best && any != kind_best)
                add_repair(out, l, i, any, kind_best,
                           k == A_ALPHA || k == A_SEX ? "letter" : "digit");
        }
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < 3 && code_changed[k]; i++)
            add_repair(out, code_at[k][0], code_at[k][1] + i, code_from[k][i],
                       lines[code_at[k][0]][code_at[k][1] + i], "code");
    for (int r = 0; r < nrep; r++)
        add_repair(out, rep[r].line, rep[r].col, rep[r].to, lines[rep[r].line][rep[r].col],
                   "check");
    memcpy(out->engine, "ocrb", 5);
    *confidence = conf;
    ok = true;
done:
    idp_wipe(lines, sizeof(lines));
    if (scores != NULL)
        idp_wipe(scores, sizeof(float) * 2 * 3 * MAX_N * IDP_OCRB_N);
    free(scores);
    free(fg.p);
    return ok;
}

bool idp_mrz_grey_shear(const idp_mrz_grey *g, double t, idp_mrz_grey *out)
{
    const double span = fabs(t) * g->w;
    out->w = g->w;
    out->h = g->h + (uint32_t)ceil(span);
    out->p = malloc((size_t)out->w * out->h);
    if (out->p == NULL)
        return false;
    for (uint32_t x = 0; x < out->w; x++) {
        const double d = t * x - (t > 0 ? span : 0); /* out row y is g row y + d */
        for (uint32_t y = 0; y < out->h; y++) {
            double sy = y + d;
            sy = sy < 0 ? 0 : sy > g->h - 1 ? g->h - 1 : sy;
            const uint32_t iy = (uint32_t)sy, iy1 = iy + 1 < g->h ? iy + 1 : iy;
            const double f = sy - iy;
            out->p[(size_t)y * out->w + x] = (uint8_t)((1 - f) * g->p[(size_t)iy * g->w + x] +
                                                       f * g->p[(size_t)iy1 * g->w + x] + 0.5);
        }
    }
    return true;
}
