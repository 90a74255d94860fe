/* Which way up is the document? The quad from detection has a long side
 * on top, but a card photographed upside down has it there too. Two cues
 * read the content of the straightened document (at most 4.2 px per mm):
 *
 * 1. The machine-readable zone (ICAO 9303: passports, the back of most ID
 *    cards): two or three lines of fixed-pitch characters, each across
 *    most of the document's width, evenly spaced and left-aligned with one
 *    another, always at the bottom.
 * 2. Failing that, the layout of the printed fields: an ID prints labels
 *    and values in left-aligned stacks, so stacked lines that share their
 *    left end are many and those that share only their right end few.
 *    Upside down, the two swap.
 *
 * Text lines are found as chains of dark connected components of letter
 * height (an adaptive threshold against the local mean). When neither cue
 * is clear the quad is left as it is and the answer says so. The method
 * and its limits are in docs/detection.md. */
#include "idp_detect.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define UP_PPM 4.2       /* pixels per mm of the straightened copy, at most */
#define UP_PPM_MIN 3.0   /* below this, letters are too small to read */
#define BG_RADIUS_MM 1.6 /* local mean over a square of 2r + 1 */
#define INK_DIFF 28      /* a pixel is ink this much below the local mean... */
#define INK_RATIO 0.80   /* ...and below this share of it */
#define CHAR_MIN_MM 0.9  /* letter heights accepted */
#define CHAR_MAX_MM 4.2
#define MAX_CHARS 4096
#define MAX_LINES 512

/* A quad as const (C11 does not convert double (*)[2] implicitly). */
#define CQ(q) ((const double(*)[2])(q))

#define MRZ_MIN_WIDTH 0.70     /* share of the document's width */
#define MRZ_BAND 0.42          /* the zone lies within this share of the height from an edge */
#define ALIGN_MIN 3            /* aligned pairs needed... */
#define ALIGN_RATIO 3          /* ...and this many times those of the other side */
#define ORIENT_CHAR_MAX_MM 9.0 /* letters up to a cover's title */
#define ORIENT_LINE 4          /* letters in a line that counts as text */
#define ORIENT_MIN 12          /* letters in such lines to call a document portrait... */
#define ORIENT_RATIO 2         /* ...and this many times those read as landscape */

const char *idp_upright_cue_name(idp_upright_cue cue)
{
    switch (cue) {
    case IDP_UPRIGHT_MRZ:
        return "mrz";
    case IDP_UPRIGHT_TEXT:
        return "text";
    case IDP_UPRIGHT_PHOTO:
        break;
    }
    return "photo";
}

typedef struct box {
    int x0, y0, x1, y1; /* inclusive */
    int n;              /* pixels, or letters for a line */
} box;

typedef struct reader {
    uint32_t w, h;
    double ppm;     /* pixels per mm */
    int light;      /* ink lighter than its surroundings (gold on a cover) */
    double hmax_mm; /* the tallest letter collect_chars kept */
    uint8_t *grey;
    uint32_t *sum;        /* integral image, (w + 1) x (h + 1) */
    int32_t *label;       /* union-find parents, -1 for background */
    box comps[MAX_CHARS]; /* every connected component of ink */
    int ncomps;
    box chars[MAX_CHARS]; /* those of a letter's size, in the reading's axes */
    int nchars;
    box lines[MAX_LINES];     /* n: letters */
    double line_h[MAX_LINES]; /* mean letter height */
    int nlines;
} reader;

static int32_t find_root(int32_t *p, int32_t i)
{
    while (p[i] != i) {
        p[i] = p[p[i]];
        i = p[i];
    }
    return i;
}

static void unite(int32_t *p, int32_t a, int32_t b)
{
    a = find_root(p, a);
    b = find_root(p, b);
    if (a < b)
        p[b] = a;
    else if (b < a)
        p[a] = b;
}

/* The straightened document in grey, w x h; scratch holds w x h x 3. */
static void straighten(const idp_image *img, const double quad[4][2], reader *rd, uint8_t *scratch)
{
    const size_t n = (size_t)rd->w * rd->h;
    if (img->channels == 1) {
        idp_warp_quad_into(img, quad, rd->w, rd->h, rd->grey);
        return;
    }
    idp_warp_quad_into(img, quad, rd->w, rd->h, scratch);
    const uint8_t *p = scratch;
    for (size_t i = 0; i < n; i++, p += 3)
        rd->grey[i] = (uint8_t)((77u * p[0] + 150u * p[1] + 29u * p[2] + 128u) >> 8);
}

/* Ink: darker than the local mean by INK_DIFF and by 1 - INK_RATIO of it.
 * Each ink pixel starts as its own set; 8-connected neighbours unite. */
static void find_ink(reader *rd)
{
    const uint32_t w = rd->w, h = rd->h, sw = w + 1;
    int r = (int)lround(BG_RADIUS_MM * rd->ppm);
    if (r < 3)
        r = 3;
    memset(rd->sum, 0, sizeof(uint32_t) * sw);
    for (uint32_t y = 0; y < h; y++) {
        uint32_t run = 0;
        rd->sum[(size_t)(y + 1) * sw] = 0;
        for (uint32_t x = 0; x < w; x++) {
            run += rd->grey[(size_t)y * w + x];
            rd->sum[(size_t)(y + 1) * sw + x + 1] = rd->sum[(size_t)y * sw + x + 1] + run;
        }
    }
    for (uint32_t y = 0; y < h; y++) {
        const uint32_t ya = y > (uint32_t)r ? y - (uint32_t)r : 0;
        const uint32_t yb = y + (uint32_t)r + 1 < h ? y + (uint32_t)r + 1 : h;
        for (uint32_t x = 0; x < w; x++) {
            const uint32_t xa = x > (uint32_t)r ? x - (uint32_t)r : 0;
            const uint32_t xb = x + (uint32_t)r + 1 < w ? x + (uint32_t)r + 1 : w;
            const uint32_t sd = rd->sum[(size_t)yb * sw + xb] - rd->sum[(size_t)ya * sw + xb] -
                                rd->sum[(size_t)yb * sw + xa] + rd->sum[(size_t)ya * sw + xa];
            const uint32_t area = (yb - ya) * (xb - xa);
            uint32_t g = rd->grey[(size_t)y * w + x], s = sd;
            const size_t k = (size_t)y * w + x;
            if (rd->light) { /* the same test on the negative */
                g = 255 - g;
                s = 255 * area - sd;
            }
            /* g * area < mean * area and the two thresholds, in integers */
            const uint64_t ga = (uint64_t)g * area;
            const int ink = (uint64_t)s >= ga + (uint64_t)INK_DIFF * area &&
                            (double)ga <= INK_RATIO * (double)s;
            rd->label[k] = ink ? (int32_t)k : -1;
            if (!ink)
                continue;
            if (x > 0 && rd->label[k - 1] >= 0)
                unite(rd->label, (int32_t)k, (int32_t)(k - 1));
            if (y > 0) {
                const size_t u = k - w;
                if (rd->label[u] >= 0)
                    unite(rd->label, (int32_t)k, (int32_t)u);
                if (x > 0 && rd->label[u - 1] >= 0)
                    unite(rd->label, (int32_t)k, (int32_t)(u - 1));
                if (x + 1 < w && rd->label[u + 1] >= 0)
                    unite(rd->label, (int32_t)k, (int32_t)(u + 1));
            }
        }
    }
}

/* The connected components of ink, as boxes (rd->comps). */
static void collect_comps(reader *rd)
{
    const size_t n = (size_t)rd->w * rd->h;
    int32_t *p = rd->label;
    int nall = 0;
    /* every ink pixel straight to its root, the smallest index of its set,
     * so a root comes before its members in raster order */
    for (size_t k = 0; k < n; k++)
        if (p[k] >= 0)
            p[k] = find_root(p, (int32_t)k);
    /* a root's slot becomes -2 - its box (or -1 when there is no room) */
    for (size_t k = 0; k < n; k++) {
        int32_t b;
        if (p[k] == -1)
            continue;
        if (p[k] == (int32_t)k) {
            const int x = (int)(k % rd->w), y = (int)(k / rd->w);
            if (nall >= MAX_CHARS) {
                p[k] = -1;
                continue;
            }
            rd->comps[nall] = (box){x, y, x, y, 0};
            p[k] = -2 - nall;
            b = nall++;
        } else if (p[k] >= 0) {
            const int32_t code = p[p[k]];
            if (code == -1)
                continue;
            b = -2 - code;
        } else {
            continue;
        }
        box *c = &rd->comps[b];
        const int x = (int)(k % rd->w), y = (int)(k / rd->w);
        c->x0 = x < c->x0 ? x : c->x0;
        c->x1 = x > c->x1 ? x : c->x1;
        c->y1 = y; /* raster order: the last row seen is the lowest */
        c->n++;
    }
    rd->ncomps = nall;
}

/* Keeps the components of a letter's size as rd->chars: heights of
 * printed text up to hmax_mm, not too thin (guilloche lines) and not too
 * wide for their height. transposed: read with x and y swapped, the
 * document turned by a quarter (and mirrored, which does not change how
 * letters chain into lines). */
static void collect_chars(reader *rd, bool transposed, double hmax_mm)
{
    const double hmin = CHAR_MIN_MM * rd->ppm, hmax = hmax_mm * rd->ppm;
    rd->hmax_mm = hmax_mm;
    rd->nchars = 0;
    for (int i = 0; i < rd->ncomps; i++) {
        box c = rd->comps[i];
        if (transposed)
            c = (box){c.y0, c.x0, c.y1, c.x1, c.n};
        const int bw = c.x1 - c.x0 + 1, bh = c.y1 - c.y0 + 1;
        if (bh < hmin || bh > hmax || bw > 12 * bh || c.n < 0.12 * bw * bh)
            continue;
        rd->chars[rd->nchars++] = c;
    }
}

static int cmp_x0(const void *a, const void *b)
{
    const box *p = a, *q = b;
    return (p->x0 > q->x0) - (p->x0 < q->x0);
}

/* Letters into lines: each joins its nearest neighbour to the right of
 * about its height, on about its centre line, at most 1.5 letter heights
 * away (a word space). */
static void collect_lines(reader *rd)
{
    int32_t parent[MAX_CHARS];
    int hsum[MAX_LINES];
    int line_index[MAX_CHARS];

    qsort(rd->chars, (size_t)rd->nchars, sizeof(box), cmp_x0);
    for (int i = 0; i < rd->nchars; i++)
        parent[i] = i;
    for (int a = 0; a < rd->nchars; a++) {
        const box *A = &rd->chars[a];
        const int ha = A->y1 - A->y0 + 1;
        const double cya = (A->y0 + A->y1) / 2.0;
        int best = -1, best_gap = 0;
        for (int b = a + 1; b < rd->nchars; b++) {
            const box *B = &rd->chars[b];
            const int hb = B->y1 - B->y0 + 1;
            const int hm = ha > hb ? ha : hb, hn = ha < hb ? ha : hb;
            const int gap = B->x0 - A->x1 - 1;
            if (B->x0 - A->x1 > 2 * (rd->hmax_mm * rd->ppm))
                break; /* sorted by x0: nothing further can be near */
            if (gap > 1.5 * hm || gap < -0.3 * hn || B->x0 <= A->x0)
                continue;
            if (fabs((B->y0 + B->y1) / 2.0 - cya) > 0.3 * hm || hm > 1.8 * hn)
                continue;
            if (best < 0 || gap < best_gap) {
                best = b;
                best_gap = gap;
            }
        }
        if (best >= 0)
            unite(parent, a, best);
    }
    rd->nlines = 0;
    for (int i = 0; i < rd->nchars; i++)
        line_index[i] = -1;
    for (int i = 0; i < rd->nchars; i++) {
        const int r = find_root(parent, i);
        int l = line_index[r];
        const box *c = &rd->chars[i];
        if (l < 0) {
            if (rd->nlines >= MAX_LINES)
                continue;
            l = line_index[r] = rd->nlines++;
            rd->lines[l] = (box){c->x0, c->y0, c->x1, c->y1, 0};
            hsum[l] = 0;
        }
        box *L = &rd->lines[l];
        L->x0 = c->x0 < L->x0 ? c->x0 : L->x0;
        L->y0 = c->y0 < L->y0 ? c->y0 : L->y0;
        L->x1 = c->x1 > L->x1 ? c->x1 : L->x1;
        L->y1 = c->y1 > L->y1 ? c->y1 : L->y1;
        L->n++;
        hsum[l] += c->y1 - c->y0 + 1;
    }
    for (int l = 0; l < rd->nlines; l++)
        rd->line_h[l] = (double)hsum[l] / rd->lines[l].n;
}

static double centre_y(const box *b)
{
    return (b->y0 + b->y1) / 2.0;
}

/* The machine-readable zone: +1 at the bottom, -1 at the top, 0 none or
 * both. Lines across MRZ_MIN_WIDTH of the width, of MRZ letter height
 * (OCR-B: about 2.3-2.6 mm), in pairs of equal height, one line pitch
 * apart and starting at the same x. */
static int mrz_cue(const reader *rd, int *is_mrz)
{
    int cand[MAX_LINES], nc = 0, top = 0, bottom = 0;
    for (int l = 0; l < rd->nlines; l++) {
        const box *L = &rd->lines[l];
        const double hmm = rd->line_h[l] / rd->ppm;
        is_mrz[l] = 0;
        if (L->x1 - L->x0 + 1 >= MRZ_MIN_WIDTH * rd->w && L->n >= 8 && hmm >= 1.5 && hmm <= 3.6)
            cand[nc++] = l;
    }
    for (int i = 0; i < nc; i++)
        for (int j = 0; j < nc; j++) {
            const box *A = &rd->lines[cand[i]], *B = &rd->lines[cand[j]];
            const double ha = rd->line_h[cand[i]], hb = rd->line_h[cand[j]];
            const double hm = ha > hb ? ha : hb, pitch = centre_y(B) - centre_y(A);
            if (fabs(ha - hb) > 0.3 * hm || pitch < 1.1 * hm || pitch > 2.3 * hm)
                continue;
            if (abs(A->x0 - B->x0) > rd->ppm * 1.0 && abs(A->x1 - B->x1) > rd->ppm * 1.0)
                continue;
            is_mrz[cand[i]] = is_mrz[cand[j]] = 1;
            if (A->y0 >= (1.0 - MRZ_BAND) * rd->h)
                bottom++;
            else if (B->y1 <= MRZ_BAND * rd->h)
                top++;
        }
    return bottom > 0 && top == 0 ? 1 : top > 0 && bottom == 0 ? -1 : 0;
}

/* Stacked lines (one just above the other) that share their left end
 * against those that share their right end: +1 left-aligned, -1 right-
 * aligned (upside down), 0 unclear. */
static int layout_cue(const reader *rd, const int *is_mrz)
{
    const double tol = fmax(1.5, 0.35 * rd->ppm);
    int left = 0, right = 0;
    for (int i = 0; i < rd->nlines; i++) {
        const box *A = &rd->lines[i];
        if (is_mrz[i] || A->n < 3 || A->x1 - A->x0 + 1 >= MRZ_MIN_WIDTH * rd->w)
            continue;
        for (int j = 0; j < rd->nlines; j++) {
            const box *B = &rd->lines[j];
            if (j == i || is_mrz[j] || B->n < 3 || B->x1 - B->x0 + 1 >= MRZ_MIN_WIDTH * rd->w)
                continue;
            const double hm = fmax(rd->line_h[i], rd->line_h[j]);
            const int gap = B->y0 - A->y1; /* B below A */
            if (gap < 0 || gap > 1.5 * hm)
                continue;
            const int l = abs(A->x0 - B->x0) <= tol, r = abs(A->x1 - B->x1) <= tol;
            left += l && !r;
            right += r && !l;
        }
    }
    if (left >= ALIGN_MIN && left >= ALIGN_RATIO * right)
        return 1;
    if (right >= ALIGN_MIN && right >= ALIGN_RATIO * left)
        return -1;
    return 0;
}

/* Letters in text lines: those in lines of at least ORIENT_LINE letters,
 * read with the document's long side across (or, transposed, its short
 * side). */
static int chained_letters(reader *rd, bool transposed)
{
    int n = 0;
    collect_chars(rd, transposed, ORIENT_CHAR_MAX_MM);
    collect_lines(rd);
    for (int l = 0; l < rd->nlines; l++)
        if (rd->lines[l].n >= ORIENT_LINE)
            n += rd->lines[l].n;
    return n;
}

/* The document's reading, w x h pixels at ppm, straightened from quad. */
static void read_ink(const idp_image *img, const double quad[4][2], reader *rd, uint8_t *scratch)
{
    straighten(img, quad, rd, scratch);
    find_ink(rd);
    collect_comps(rd);
}

/* Turns the corners by k (TL becomes the old corner k). */
static void turn_quad(double quad[4][2], int k)
{
    double q[4][2];
    memcpy(q, quad, sizeof(q));
    for (int i = 0; i < 4; i++) {
        quad[i][0] = q[(i + k) % 4][0];
        quad[i][1] = q[(i + k) % 4][1];
    }
}

void idp_document_size_mm(const idp_document *doc, double *width_mm, double *height_mm)
{
    const double l = doc->found ? idp_doc_width_mm(doc->kind) : 0.0;
    const double a = doc->found ? idp_doc_aspect(doc->kind) : 0.0;
    /* the short sides as ISO/IEC 7810 and ICAO 9303 give them */
    const double sh = doc->kind == IDP_DOC_ID1 ? 53.98 : doc->kind == IDP_DOC_ID3 ? 88.0 : 0.0;
    if (l <= 0 || a <= 0) {
        *width_mm = *height_mm = 0;
        return;
    }
    *width_mm = doc->portrait ? sh : l;
    *height_mm = doc->portrait ? l : sh;
}

idp_status idp_document_upright(idp_ctx *ctx, const idp_image *img, idp_document *doc)
{
    double ls, ss;
    int is_mrz[MAX_LINES], dir = 0;

    doc->upright = IDP_UPRIGHT_PHOTO;
    doc->portrait = false;
    if (!doc->found || doc->kind == IDP_DOC_UNKNOWN)
        return IDP_OK;
    if (img->channels != 1 && img->channels != 3)
        return idp_fail(ctx, IDP_E_USAGE, "document orientation: needs a grey or RGB image");
    idp_quad_sides(CQ(doc->quad), &ls, &ss);
    const double width_mm = idp_doc_width_mm(doc->kind);
    if (ls < UP_PPM_MIN * width_mm)
        return IDP_OK;
    const uint32_t w = (uint32_t)fmin(ls, UP_PPM * width_mm);
    const uint32_t h = (uint32_t)lround(w / idp_doc_aspect(doc->kind));
    const size_t n = (size_t)w * h;
    /* one block: the reader, the grey copy, the integral image and a
     * scratch area (the warped colour rows, then the labels). At least
     * 2 MiB, so idp_large_alloc gives it whole huge pages: one page fault
     * instead of hundreds of 4 KiB ones, which cost more than the work.
     * Read as portrait, the same pixels are h x w. */
    const size_t at_grey = (sizeof(reader) + 63) / 64 * 64;
    const size_t at_sum = at_grey + (n + 63) / 64 * 64;
    const size_t at_scratch = at_sum + sizeof(uint32_t) * (w + 1) * (h + 1);
    const size_t scratch = 3 * n > sizeof(int32_t) * n ? 3 * n : sizeof(int32_t) * n;
    size_t total = (at_scratch + scratch + 63) / 64 * 64;
    if (total < ((size_t)2 << 20))
        total = (size_t)2 << 20;
    uint8_t *block = idp_large_alloc(total, false);
    if (block == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "document orientation: out of memory");
    reader *rd = (reader *)(void *)block;
    memset(rd, 0, sizeof(*rd));
    rd->w = w;
    rd->h = h;
    rd->ppm = w / width_mm;
    rd->grey = block + at_grey;
    rd->sum = (uint32_t *)(void *)(block + at_sum);
    rd->label = (int32_t *)(void *)(block + at_scratch);
    read_ink(img, CQ(doc->quad), rd, block + at_scratch);

    /* Landscape or portrait: letters chain into lines along the reading
     * direction only. Dark ink first; too few letters in lines either
     * way, light ink (gold letters on a passport's cover). */
    int land = chained_letters(rd, false), port = chained_letters(rd, true);
    if (land < ORIENT_MIN && port < ORIENT_MIN) {
        rd->light = 1;
        find_ink(rd);
        collect_comps(rd);
        const int land_l = chained_letters(rd, false), port_l = chained_letters(rd, true);
        if (land_l + port_l > land + port) {
            land = land_l;
            port = port_l;
        } else {
            rd->light = 0;
        }
    }
    if (port >= ORIENT_MIN && port >= ORIENT_RATIO * land) {
        /* portrait: the landscape quad's left side becomes the top, and
         * the document is read again that way up */
        doc->portrait = true;
        turn_quad(doc->quad, 3);
        rd->w = h;
        rd->h = w;
        read_ink(img, CQ(doc->quad), rd, block + at_scratch);
    }
    collect_chars(rd, false, CHAR_MAX_MM);
    collect_lines(rd);
    dir = mrz_cue(rd, is_mrz);
    if (dir != 0) {
        doc->upright = IDP_UPRIGHT_MRZ;
    } else {
        dir = layout_cue(rd, is_mrz);
        if (dir != 0)
            doc->upright = IDP_UPRIGHT_TEXT;
    }
    if (dir == 0 && doc->portrait) {
        /* no cue for which end is up: the top is the side nearer the
         * photo's top, as canonical ordering does for a landscape quad */
        const double dx = doc->quad[1][0] - doc->quad[0][0];
        const double dy = doc->quad[1][1] - doc->quad[0][1];
        if (!(dx > 0 || (dx == 0 && dy > 0)))
            dir = -1;
    }
    if (dir < 0)
        turn_quad(doc->quad, 2);
    /* the document's pixels and what was read from them */
    idp_wipe(block, at_scratch + scratch);
    free(block);
    return IDP_OK;
}
