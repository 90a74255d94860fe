/* The Hough transform, the pick of the strongest lines and their polish
 * (step 3 of docs/detection.md, "Method"), split from idp_lines.c in
 * round 12: each edge pixel votes only near its own gradient direction,
 * the local maxima are picked strongest first, and each line is moved to
 * the least-squares fit of the edge pixels near it. */
#include "idp_detect_int.h"
#include "idp_trace.h"

#include <stdlib.h>
#include <string.h>

/* SSE2 (in every x86-64): the same results as the plain loops */
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#include <emmintrin.h>
#define HAVE_SSE2_PATH 1
#endif

/* One vote in row at r. No test (round 13; both were never true): r lies
 * within 1..nr - 1, since |rho| is at most the copy's diagonal d, off is
 * ceil(d) + 1 and nr 2 ceil(d) + 3; and a bin, the pixel centres within
 * half a pixel of one line across the copy, gets a vote from each of its
 * edges at most once (an edge votes once per direction, and its range of
 * at most 2 VOTE_SPREAD_MAX + 1 directions does not wrap onto itself):
 * each row of the copy holds at most 1 + 1 / |cos| of those centres, each
 * column 1 + 1 / |sin|, so a few thousand at most on a copy of at most
 * 1000 px a side, far below the counter's 65 535. */
static inline void vote(uint16_t *row, int r)
{
    row[r]++;
}

/* The votes of the edge pixel centred at (px, py) in directions lo..hi of
 * the tables: rho = px cos + py sin, bin (int)(rho + off + 0.5); two
 * directions at a time with SSE2, the same double operations in the same
 * order (no FMA), so the same bins. */
static inline void vote_range(uint16_t *const *rows, const double *c2, const double *s2, double px,
                              double py, int off, int lo, int hi)
{
    int i = lo;
#ifdef HAVE_SSE2_PATH
    const __m128d vx = _mm_set1_pd(px), vy = _mm_set1_pd(py), vo = _mm_set1_pd((double)off),
                  half = _mm_set1_pd(0.5);
    for (; i < hi; i += 2) {
        const __m128d rho =
            _mm_add_pd(_mm_mul_pd(vx, _mm_loadu_pd(c2 + i)), _mm_mul_pd(vy, _mm_loadu_pd(s2 + i)));
        const __m128i r = _mm_cvttpd_epi32(_mm_add_pd(_mm_add_pd(rho, vo), half));
        vote(rows[i], _mm_cvtsi128_si32(r));
        vote(rows[i + 1], _mm_cvtsi128_si32(_mm_shuffle_epi32(r, 1)));
    }
#endif
    for (; i <= hi; i++) {
        const double rho = px * c2[i] + py * s2[i];
        vote(rows[i], (int)(rho + off + 0.5)); /* rho + off > 0 */
    }
}

/* The votes: each edge pixel within its spread of its gradient's direction.
 * Round 12: the directions' cosines, sines and accumulator rows from tables
 * running VOTE_SPREAD_MAX past either end (no wrap per vote), no test a
 * vote (round 13: see vote), two votes at a time (vote_range), the magnitude read only
 * for a faint vote: the same double arithmetic, so the same votes. faint
 * with wk->votes VOTES_PLAIN: the accumulator holds the plain votes of
 * these edges already, and only the faint votes past VOTE_SPREAD are added
 * (counts, the same in any order: a cell, a 1 px strip, collects far
 * fewer than UINT16_MAX votes). */
void idp_det_hough(work *wk, const double *cs, const double *sn, bool faint)
{
    const bool extra = faint && wk->votes == VOTES_PLAIN;
    enum { PAD = VOTE_SPREAD_MAX, NT = N_THETA + 1 + 2 * PAD }; /* t0 is 0..180 */
    const int off = wk->nr / 2;
    double c2[NT], s2[NT];
    uint16_t *rows[NT];
    for (int i = 0; i < NT; i++) {
        const int t = i < PAD              ? i - PAD + N_THETA
                      : i - PAD >= N_THETA ? i - PAD - N_THETA
                                           : i - PAD;
        c2[i] = cs[t];
        s2[i] = sn[t];
        rows[i] = wk->acc + (size_t)t * (size_t)wk->nr;
    }
    for (size_t j = 0; j < wk->nedges; j++) {
        const double px = wk->ex[j] + 0.5, py = wk->ey[j] + 0.5;
        double ang = (double)wk->ea[j];
        if (ang >= 180.0)
            ang -= 180.0;
        const int t0 = (int)(ang + 0.5);
        /* the direction of a gradient of magnitude m under noise of std s
         * across it is off by about s / m radians: a faint edge (a white
         * card on a light desk) votes within that, a strong one within
         * VOTE_SPREAD as before */
        int spread = VOTE_SPREAD;
        if (faint) {
            const float m = wk->mag[wk->edges[j]];
            if (m > 0) {
                const float err = wk->noise / m * (float)(180.0 / IDP_PI);
                spread = err >= VOTE_SPREAD_MAX ? VOTE_SPREAD_MAX
                         : err > VOTE_SPREAD    ? (int)(err + 0.5f)
                                                : VOTE_SPREAD;
            }
        }
        /* t0 + dt within -VOTE_SPREAD_MAX..N_THETA + VOTE_SPREAD_MAX */
        const int mid = t0 + PAD;
        if (!extra) {
            vote_range(rows, c2, s2, px, py, off, mid - spread, mid + spread);
        } else if (spread > VOTE_SPREAD) { /* those within VOTE_SPREAD are in */
            vote_range(rows, c2, s2, px, py, off, mid - spread, mid - VOTE_SPREAD - 1);
            vote_range(rows, c2, s2, px, py, off, mid + VOTE_SPREAD + 1, mid + spread);
        }
    }
    wk->votes = faint ? VOTES_FAINT : VOTES_PLAIN;
}

static int cmp_votes(const void *a, const void *b)
{
    const line *x = a, *y = b;
    return (y->votes > x->votes) - (y->votes < x->votes);
}

/* Whether c is within 4 degrees and 8 px of a line picked already. */
static int picked_already(const work *wk, const line *c)
{
    for (int j = 0; j < wk->nlines; j++)
        if (idp_det_same_line(c, &wk->lines[j]))
            return 1;
    return 0;
}

/* The first r in from..end - 1 whose votes are at least minv (>= 1), or end:
 * eight bins at a time with SSE2 (most of the accumulator is below the
 * floor; round 12), then the plain test. */
static int next_at_least(const uint16_t *row, int from, int end, int minv)
{
    int r = from;
#ifdef HAVE_SSE2_PATH
    const __m128i floor1 = _mm_set1_epi16((short)(minv - 1)), zero = _mm_setzero_si128();
    for (; r + 8 <= end; r += 8) {
        /* v - (minv - 1), saturated at 0: zero for each v below minv */
        const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(row + r));
        if (_mm_movemask_epi8(_mm_cmpeq_epi16(_mm_subs_epu16(v, floor1), zero)) != 0xffff)
            break;
    }
#endif
    while (r < end && row[r] < minv)
        r++;
    return r;
}

/* Local maxima of the accumulator, strongest first, with non-maximum
 * suppression in (theta, rho), at most band_cap per BAND_DEG band of
 * direction; with pattern_peaks > 0, none from a band holding that many
 * local maxima or more (a surface's pattern), their number into
 * *left_out. */
idp_status idp_det_pick_lines(idp_ctx *ctx, work *wk, const double *cs, const double *sn,
                              int band_cap, int pattern_peaks, int *left_out)
{
    int in_band[N_THETA / BAND_DEG + 1] = {0};
    const int nr = wk->nr, off = nr / 2;
    const uint32_t minside = wk->w < wk->h ? wk->w : wk->h;
    const int minv = (int)(wk->vote_min * minside) > 12 ? (int)(wk->vote_min * minside) : 12;
    size_t cap = 256, n = 0;
    line *cand = malloc(cap * sizeof(*cand));
    if (cand == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "document detection: out of memory");
    for (int t = 0; t < N_THETA; t++)
        for (int r = next_at_least(wk->acc + (size_t)t * (size_t)nr, 1, nr - 1, minv); r + 1 < nr;
             r = next_at_least(wk->acc + (size_t)t * (size_t)nr, r + 1, nr - 1, minv)) {
            const int v = wk->acc[(size_t)t * (size_t)nr + (size_t)r];
            int is_max = 1;
            for (int dt = -1; dt <= 1 && is_max; dt++) {
                const int tt = t + dt;
                if (tt < 0 || tt >= N_THETA)
                    continue;
                for (int dr = -1; dr <= 1; dr++) {
                    if (dt == 0 && dr == 0)
                        continue;
                    const int u = wk->acc[(size_t)tt * (size_t)nr + (size_t)(r + dr)];
                    if (u > v || (u == v && (dt < 0 || (dt == 0 && dr < 0)))) {
                        is_max = 0;
                        break;
                    }
                }
            }
            if (!is_max)
                continue;
            if (n == cap) {
                line *bigger = realloc(cand, 2 * cap * sizeof(*cand));
                if (bigger == NULL) {
                    free(cand);
                    return idp_fail(ctx, IDP_E_NOMEM, "document detection: out of memory");
                }
                cand = bigger;
                cap *= 2;
            }
            cand[n].theta = t;
            cand[n].nx = cs[t];
            cand[n].ny = sn[t];
            cand[n].rho = r - off;
            cand[n].votes = v;
            n++;
        }
    qsort(cand, n, sizeof(*cand), cmp_votes);
    /* a pattern's maxima counted above VOTE_MIN, the floor PATTERN_PEAKS
     * was measured with, whatever the copy's own floor (round 10) */
    int peaks[N_THETA / BAND_DEG + 1] = {0};
    for (size_t i = 0; i < n; i++)
        if (cand[i].votes >= VOTE_MIN * minside)
            peaks[(int)cand[i].theta / BAND_DEG]++;
    for (int b = 0; b < N_THETA / BAND_DEG; b++)
        if (peaks[b] > 0)
            IDP_TRACE("detect: band %d peaks %d\n", b * BAND_DEG, peaks[b]);
    if (left_out != NULL) {
        *left_out = 0;
        for (int b = 0; b < N_THETA / BAND_DEG && pattern_peaks > 0; b++)
            *left_out += peaks[b] >= pattern_peaks;
    }
    wk->nlines = 0;
    wk->along = 0;
    for (size_t i = 0; i < n && wk->nlines < MAX_LINES; i++) {
        const int dup = picked_already(wk, &cand[i]);
        const int band = (int)cand[i].theta / BAND_DEG;
        if (pattern_peaks > 0 && peaks[band] >= pattern_peaks)
            continue;
        if (!dup && in_band[band] < band_cap) {
            in_band[band]++;
            wk->lines[wk->nlines++] = cand[i];
        }
    }
    /* then the strongest lines of the pattern's bands, flagged in
     * wk->along: a card lying along the pattern has two sides there
     * (round 10; a quad takes at most one pair of them) */
    for (size_t i = 0; i < n && pattern_peaks > 0 && wk->nlines < MAX_LINES; i++) {
        const int band = (int)cand[i].theta / BAND_DEG;
        if (peaks[band] < pattern_peaks || in_band[band] >= band_cap ||
            picked_already(wk, &cand[i]))
            continue;
        in_band[band]++;
        wk->along |= 1u << wk->nlines;
        wk->lines[wk->nlines++] = cand[i];
    }
    free(cand);
    return IDP_OK;
}

/* Sorts the edge pixels into wk->order by the axis of their gradient,
 * then by cell (a counting sort; within a run, in raster order), packed as
 * x | y << 16: the line polish visits only the runs of its own and the
 * neighbouring axes in the cells its band crosses (round 12: it visited
 * every edge of those axes, 1.7 M on a 12 MP photo, 2 % of them near the
 * line). The same edges are summed as before, and their sums are exact in
 * any order (half-integer coordinates), so the same fit. */
void idp_det_index_edges(work *wk)
{
    uint32_t *start = wk->cstart;
    const size_t nkeys = (size_t)AXES * wk->cells;
    /* each edge code's first key (its axis' run of cells), from a table
     * (round 13: a division per edge and pass) */
    size_t first[DIR_BINS + 1];
    first[0] = 0; /* no edge: not in the list */
    for (int e = 1; e <= DIR_BINS; e++)
        first[e] = (size_t)((e - 1) % AXES) * wk->cells;
    memset(start, 0, (nkeys + 1) * sizeof(*start));
    for (size_t j = 0; j < wk->nedges; j++) {
        const size_t cell = (size_t)(wk->ey[j] / POLISH_CELL) * wk->cellw + wk->ex[j] / POLISH_CELL;
        start[first[wk->edge[wk->edges[j]]] + cell + 1]++;
    }
    for (size_t k = 0; k < nkeys; k++)
        start[k + 1] += start[k];
    for (size_t j = 0; j < wk->nedges; j++) {
        const size_t cell = (size_t)(wk->ey[j] / POLISH_CELL) * wk->cellw + wk->ex[j] / POLISH_CELL;
        const size_t key = first[wk->edge[wk->edges[j]]] + cell;
        wk->order[start[key]++] = (uint32_t)wk->ex[j] | (uint32_t)wk->ey[j] << 16;
    }
    /* each start moved to its run's end, the next run's start: back by one */
    for (size_t k = nkeys; k > 0; k--)
        start[k] = start[k - 1];
    start[0] = 0;
}

/* Moves each line to the least-squares fit of the edge pixels within 2 px
 * of it whose gradient is normal to it: the Hough bins are 1 degree and
 * 1 px, too coarse for a 500 px side. */
void idp_det_polish_lines(work *wk)
{
    const uint32_t *start = wk->cstart;
    const uint32_t cw = wk->cellw, ncells = wk->cells;
    for (int i = 0; i < wk->nlines; i++) {
        line *l = &wk->lines[i];
        double sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0, n = 0;
        double ang = atan2(l->ny, l->nx) * 180.0 / IDP_PI;
        if (ang < 0)
            ang += 360.0;
        const int code = (int)(ang / (360.0 / DIR_BINS) + 0.5) % DIR_BINS;
        /* a cell's pixel centres lie within (|nx| + |ny|) (POLISH_CELL - 1) / 2
         * of its middle's distance to the line; a px more for rounding */
        const double reach = 2.0 + (fabs(l->nx) + fabs(l->ny)) * (POLISH_CELL - 1) * 0.5 + 1.0;
        for (uint32_t c = 0; c < ncells; c++) {
            const double mx = (c % cw) * (double)POLISH_CELL + POLISH_CELL * 0.5;
            const double my = (c / cw) * (double)POLISH_CELL + POLISH_CELL * 0.5;
            if (fabs(l->nx * mx + l->ny * my - l->rho) > reach)
                continue;
            for (int da = -2; da <= 2; da++) { /* within 2 codes, either way round */
                const int axis = ((code + da) % AXES + AXES) % AXES;
                const size_t key = (size_t)axis * ncells + c;
                for (uint32_t o = start[key]; o < start[key + 1]; o++) {
                    const double px = (wk->order[o] & 0xffff) + 0.5,
                                 py = (wk->order[o] >> 16) + 0.5;
                    if (fabs(l->nx * px + l->ny * py - l->rho) > 2.0)
                        continue;
                    sx += px;
                    sy += py;
                    sxx += px * px;
                    sxy += px * py;
                    syy += py * py;
                    n++;
                }
            }
        }
        if (n < 10)
            continue;
        const double mx = sx / n, my = sy / n;
        const double cxx = sxx / n - mx * mx, cxy = sxy / n - mx * my, cyy = syy / n - my * my;
        const double th = 0.5 * atan2(2 * cxy, cxx - cyy);
        double nx = -sin(th), ny = cos(th);
        if (nx * l->nx + ny * l->ny < 0) {
            nx = -nx;
            ny = -ny;
        }
        if (nx * l->nx + ny * l->ny < 0.995) /* more than ~6 degrees: keep the Hough line */
            continue;
        l->nx = nx;
        l->ny = ny;
        l->rho = nx * mx + ny * my;
    }
}
