/* What is printed inside a quad, on the quad straightened to a small grey
 * copy: letters of an ID's size (relative to the document's short side),
 * smaller print, and periodic structure (a mesh, a tray's ridges, a
 * keyboard). An ID prints its fields at 1.5-3.5 mm on a 54 mm (card) or
 * 88 mm (passport page) short side: 2-7 % of it; an A4 letter prints at
 * ~2.5 mm on 210 mm, ~1 %. docs/detection.md gives the reasons for the
 * limits. */
#include "idp_evidence.h"
#include "idp_stats.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define CQC(q) ((const double(*)[2])(q))

#define INK_DIFF 20.0    /* ink: this much below the local mean... */
#define INK_RATIO 0.85   /* ...and below this share of it */
#define BG_RADIUS 0.025  /* local mean over a square of 2r+1, share of the long side */
#define LETTER_MIN 0.016 /* letter heights, share of the short side: ID print */
#define LETTER_MAX 0.08
#define SMALL_MIN 0.005 /* smaller: a letter's or a book's print */
#define STEEP_SHARE 100 /* sharpness: the steepest 1 / STEEP_SHARE of the copy */
#define EDGE_STEP 12.0  /* a step that counts for the periodic profile */
/* periodic structure counts when the profile's std is at least this share
 * of the rows: a mesh 0.33, a keyboard 0.19; a cover's grain, an MRZ 0.07-0.13 */
#define PERIODIC_SPREAD 0.16

/* m: the homography from the W x H copy to the quad, the quad's long
 * side along x */
static void copy_homography(const double q[4][2], int W, int H, double m[9])
{
    const double l01 = hypot(q[1][0] - q[0][0], q[1][1] - q[0][1]);
    const double l12 = hypot(q[2][0] - q[1][0], q[2][1] - q[1][1]);
    double r[4][2];
    for (int i = 0; i < 4; i++) {
        const int k = l01 >= l12 ? i : (i + 1) % 4;
        r[i][0] = q[k][0];
        r[i][1] = q[k][1];
    }
    idp_quad_homography(CQC(r), W, H, m);
}

float *idp_grey_warp(const idp_image *g, const double q[4][2], int W, int H)
{
    double m[9];
    copy_homography(q, W, H, m);
    float *img = malloc((size_t)W * (size_t)H * sizeof(float));
    if (img == NULL)
        return NULL;
    const uint32_t ch = g->channels;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            const double u = x + 0.5, v = y + 0.5;
            const double w = m[6] * u + m[7] * v + m[8];
            double X = (m[0] * u + m[1] * v + m[2]) / w - 0.5;
            double Y = (m[3] * u + m[4] * v + m[5]) / w - 0.5;
            X = X < 0 ? 0 : X > g->width - 1.001 ? g->width - 1.001 : X;
            Y = Y < 0 ? 0 : Y > g->height - 1.001 ? g->height - 1.001 : Y;
            const uint32_t xi = (uint32_t)X, yi = (uint32_t)Y;
            const double fx = X - xi, fy = Y - yi;
            const uint8_t *p = g->data + ((size_t)yi * g->width + xi) * ch;
            const uint32_t dx = xi + 1 < g->width ? ch : 0;
            const size_t dy = yi + 1 < g->height ? (size_t)g->width * ch : 0;
            double sum = 0;
            for (uint32_t c = 0; c < ch; c++) {
                const double top = p[c] + (p[dx + c] - p[c]) * fx;
                const double bot = p[dy + c] + (p[dy + dx + c] - p[dy + c]) * fx;
                sum += top + (bot - top) * fy;
            }
            img[y * W + x] = (float)(sum / ch);
        }
    return img;
}

/* Round 16: which pixels of the W x H copy of q show the photo (1) and
 * which lie past the frame's edge (0), where idp_grey_warp repeats the
 * edge's pixels: a quad running out of the frame holds nothing there.
 * *share: the share of the copy in view. NULL (all in view, or memory
 * short) when no pixel is out of view. */
static uint8_t *frame_mask(const idp_image *g, const double q[4][2], int W, int H, double *share)
{
    *share = 1;
    bool out = false;
    for (int i = 0; i < 4; i++)
        out |= !(q[i][0] >= 0 && q[i][1] >= 0 && q[i][0] <= g->width && q[i][1] <= g->height);
    if (!out)
        return NULL; /* the frame is convex: the quad lies in it */
    double m[9];
    copy_homography(q, W, H, m);
    uint8_t *vis = malloc((size_t)W * (size_t)H);
    if (vis == NULL)
        return NULL;
    size_t n = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            const double u = x + 0.5, v = y + 0.5;
            const double w = m[6] * u + m[7] * v + m[8];
            const double X = (m[0] * u + m[1] * v + m[2]) / w;
            const double Y = (m[3] * u + m[4] * v + m[5]) / w;
            const bool in = X >= 0 && Y >= 0 && X <= g->width && Y <= g->height;
            vis[y * W + x] = in;
            n += in;
        }
    *share = (double)n / ((double)W * H);
    return vis;
}

static int32_t root(int32_t *p, int32_t i)
{
    while (p[i] != i) {
        p[i] = p[p[i]];
        i = p[i];
    }
    return i;
}

/* The strongest normalised autocorrelation of profile v (n values) at a
 * lag giving at least 6 periods. */
static double periodicity(const double *v, int n)
{
    double mean = 0, var = 0, best = 0;
    for (int i = 0; i < n; i++)
        mean += v[i] / n;
    for (int i = 0; i < n; i++)
        var += (v[i] - mean) * (v[i] - mean);
    if (var <= 1e-9)
        return 0;
    double prev = 1;
    for (int lag = 3; lag <= n / 6; lag++) {
        double s = 0;
        for (int i = 0; i + lag < n; i++)
            s += (v[i] - mean) * (v[i + lag] - mean);
        const double r = s / var * n / (n - lag);
        /* a peak past the first dip, not the slope of lag 0 */
        if (prev < r && r > best && lag > 3)
            best = r;
        prev = r;
    }
    return best;
}

/* Whether a dark component (box b: x0 y0 x1 y1, mean grey ink) is the
 * ground it lies on rather than print on it: print covers less than half
 * of its surroundings (a line of letters, its spacing), so most of the box
 * grown by the component's height on every side is lighter than the ink
 * by INK_DIFF; a dark cover between light letters is "ink" only against a
 * local mean the light strokes raised, and at most of its surroundings'
 * own level. On the negative (light print) the same with light for dark. */
static bool is_ground(const float *g, int W, int H, const int16_t *b, double ink)
{
    const int h = b[3] - b[1] + 1;
    const int x0 = b[0] - h < 0 ? 0 : b[0] - h, x1 = b[2] + h >= W ? W - 1 : b[2] + h;
    const int y0 = b[1] - h < 0 ? 0 : b[1] - h, y1 = b[3] + h >= H ? H - 1 : b[3] + h;
    long dark = 0, all = 0;
    for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++) {
            dark += (double)g[y * W + x] < ink + INK_DIFF;
            all++;
        }
    return 2 * dark >= all;
}

/* A letter's centre and height on the straightened copy. */
typedef struct letter_pos {
    double x, y, h;
} letter_pos;
#define POS_MAX 64 /* more letters than a cover's title holds */

/* The letters on the line of text that holds most of them, *first, and on
 * the line that holds most of the others, *second: a line is the centres
 * within the letters' median height of one line along either axis (the
 * lines of a card's fields are 1.5-2 heights apart). A cover's title is
 * one line; a document prints several (a card's fields, a passport
 * cover's state above its emblem and "PASSPORT" below it). */
static void text_lines(const letter_pos *p, int n, int *first, int *second)
{
    *first = *second = 0;
    if (n < 2)
        return;
    double hs[POS_MAX];
    for (int i = 0; i < n; i++)
        hs[i] = p[i].h;
    idp_sort_doubles(hs, (size_t)n);
    const double hm = hs[n / 2];
    bool used[POS_MAX] = {false};
    for (int pass = 0; pass < 2; pass++) {
        int best = 0, bi = -1, ba = 0;
        for (int axis = 0; axis < 2; axis++)
            for (int i = 0; i < n; i++) {
                if (used[i])
                    continue;
                const double c = axis == 0 ? p[i].y : p[i].x;
                int k = 0;
                for (int j = 0; j < n; j++)
                    k += !used[j] && fabs((axis == 0 ? p[j].y : p[j].x) - c) <= hm;
                if (k > best) {
                    best = k;
                    bi = i;
                    ba = axis;
                }
            }
        if (bi < 0)
            return;
        const double c = ba == 0 ? p[bi].y : p[bi].x;
        for (int j = 0; j < n; j++)
            if (fabs((ba == 0 ? p[j].y : p[j].x) - c) <= hm)
                used[j] = true;
        *(pass == 0 ? first : second) = best;
    }
}

/* Reads the print of g (W x H) darker than its surroundings into out's
 * counts, leaving lab as the ink's components (-1 off ink);
 * integ is scratch of (W + 1) x (H + 1). False when memory runs out. The
 * outer 3 % is left out. */
static bool read_print(const float *g, const uint8_t *vis, int W, int H, int32_t *lab,
                       uint32_t *integ, idp_content *out, int box[4], letter_pos *pos, int *npos)
{
    /* the local mean (an integral image) and ink; the outer 3 % left out */
#define IX(y, x) ((size_t)(y) * (size_t)(W + 1) + (size_t)(x))
    for (int x = 0; x <= W; x++)
        integ[IX(0, x)] = 0;
    for (int y = 0; y < H; y++) {
        uint32_t row = 0;
        integ[IX(y + 1, 0)] = 0;
        for (int x = 0; x < W; x++) {
            row += (uint32_t)g[y * W + x];
            integ[IX(y + 1, x + 1)] = integ[IX(y, x + 1)] + row;
        }
    }
    const int R = (int)(BG_RADIUS * W) + 1, bx = W * 3 / 100 + 1, by = H * 3 / 100 + 1;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            lab[y * W + x] = -1;
            if (x < bx || y < by || x >= W - bx || y >= H - by || (vis != NULL && !vis[y * W + x]))
                continue;
            const int x0 = x - R < 0 ? 0 : x - R, x1 = x + R + 1 > W ? W : x + R + 1;
            const int y0 = y - R < 0 ? 0 : y - R, y1 = y + R + 1 > H ? H : y + R + 1;
            const double s = (double)(integ[IX(y1, x1)] - integ[IX(y0, x1)] - integ[IX(y1, x0)] +
                                      integ[IX(y0, x0)]);
            const double mean = s / ((x1 - x0) * (y1 - y0));
            const double v = (double)g[y * W + x];
            if (v < mean - INK_DIFF && v < INK_RATIO * mean)
                lab[y * W + x] = y * W + x;
        }
    /* 8-connected components */
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            const int i = y * W + x;
            if (lab[i] < 0)
                continue;
            const int nb[4][2] = {{-1, 0}, {-1, -1}, {0, -1}, {1, -1}};
            for (int k = 0; k < 4; k++) {
                const int xx = x + nb[k][0], yy = y + nb[k][1];
                if (xx < 0 || yy < 0 || xx >= W || lab[yy * W + xx] < 0)
                    continue;
                const int32_t a = root(lab, i), b = root(lab, yy * W + xx);
                if (a != b)
                    lab[a > b ? a : b] = a > b ? b : a;
            }
        }
    {
        /* each component's box, by a compact number kept where the local
         * means were (no longer needed) */
        const size_t n = (size_t)W * (size_t)H;
        uint32_t nroots = 0;
        for (size_t i = 0; i < n; i++)
            if (lab[i] >= 0 && root(lab, (int32_t)i) == (int32_t)i)
                integ[i] = nroots++;
        int16_t *bb = malloc(((size_t)nroots + 1) * 4 * sizeof(int16_t));
        double *level = calloc((size_t)nroots + 1, 2 * sizeof(double));
        if (bb == NULL || level == NULL) {
            free(bb);
            free(level);
            return false;
        }
        for (uint32_t k = 0; k < nroots; k++) {
            bb[4 * k] = bb[4 * k + 1] = INT16_MAX;
            bb[4 * k + 2] = bb[4 * k + 3] = -1;
        }
        for (size_t i = 0; i < n; i++) {
            if (lab[i] < 0)
                continue;
            const size_t r = integ[root(lab, (int32_t)i)];
            level[2 * r] += (double)g[i];
            level[2 * r + 1] += 1;
            const int16_t x = (int16_t)(i % (size_t)W), y = (int16_t)(i / (size_t)W);
            if (x < bb[4 * r])
                bb[4 * r] = x;
            if (y < bb[4 * r + 1])
                bb[4 * r + 1] = y;
            if (x > bb[4 * r + 2])
                bb[4 * r + 2] = x;
            if (y > bb[4 * r + 3])
                bb[4 * r + 3] = y;
        }
        for (uint32_t k = 0; k < nroots; k++) {
            const double h = (bb[4 * k + 3] - bb[4 * k + 1] + 1) / (double)H;
            const double w = (bb[4 * k + 2] - bb[4 * k] + 1) / (double)H;
            if (w > 4 * h + 2.0 / H)
                continue; /* a rule or a merged word, not a letter */
            if (h >= SMALL_MIN && h <= LETTER_MAX &&
                is_ground(g, W, H, bb + 4 * k, level[2 * k] / level[2 * k + 1])) {
                out->ground++;
                continue;
            }
            if (h >= SMALL_MIN && h <= LETTER_MAX) {
                /* the print's extent */
                for (uint32_t i = 0; i < 2; i++) {
                    if (bb[4 * k + i] < box[i])
                        box[i] = bb[4 * k + i];
                    if (bb[4 * k + 2 + i] > box[2 + i])
                        box[2 + i] = bb[4 * k + 2 + i];
                }
            }
            if (h >= LETTER_MIN && h <= LETTER_MAX) {
                out->letters++;
                if (*npos < POS_MAX) {
                    pos[*npos].x = (bb[4 * k] + bb[4 * k + 2]) / 2.0;
                    pos[*npos].y = (bb[4 * k + 1] + bb[4 * k + 3]) / 2.0;
                    pos[*npos].h = bb[4 * k + 3] - bb[4 * k + 1] + 1;
                    (*npos)++;
                }
            } else if (h >= SMALL_MIN && h < LETTER_MIN)
                out->small++;
        }
        free(bb);
        free(level);
    }
    return true;
}

/* How sharp g's print is: the least step over 2 px (either axis) of the
 * steepest 1 % of its pixels, the outer 3 % left out. */
static double steepness(const float *g, const uint8_t *vis, int W, int H)
{
    const int bx = W * 3 / 100 + 1, by = H * 3 / 100 + 1;
    unsigned hist[256] = {0}, n = 0;
    for (int y = by; y < H - by; y++)
        for (int x = bx; x < W - bx; x++) {
            if (vis != NULL && !vis[y * W + x])
                continue;
            const float dx = fabsf(g[y * W + x + 1] - g[y * W + x - 1]);
            const float dy = fabsf(g[(y + 1) * W + x] - g[(y - 1) * W + x]);
            const float d = dx > dy ? dx : dy;
            hist[d > 255 ? 255 : (int)d]++;
            n++;
        }
    unsigned c = 0;
    for (int i = 255; i > 0; i--) {
        c += hist[i];
        if (c * STEEP_SHARE >= n)
            return i;
    }
    return 0;
}

/* The area of the print's box (x0 y0 x1 y1; none when x1 < x0) over the
 * W x H copy's part in view. */
static double box_share(const int box[4], int W, int H, double visible)
{
    if (box[2] < box[0] || visible <= 0)
        return 0;
    return (double)(box[2] - box[0] + 1) * (box[3] - box[1] + 1) / ((double)W * H * visible);
}

void idp_quad_content(const idp_image *img, const double quad[4][2], double aspect,
                      idp_content *out)
{
    memset(out, 0, sizeof(*out));
    int box[4] = {INT16_MAX, INT16_MAX, -1, -1}; /* the print's extent: x0 y0 x1 y1 */
    const int W = CONTENT_W, H = (int)(CONTENT_W / aspect);
    float *g = idp_grey_warp(img, quad, W, H);
    uint8_t *vis = frame_mask(img, quad, W, H, &out->visible);
    int32_t *lab = malloc((size_t)W * (size_t)H * sizeof(int32_t));
    uint32_t *integ = malloc((size_t)(W + 1) * (size_t)(H + 1) * sizeof(uint32_t));
    double *prof = malloc((size_t)(W > H ? W : H) * sizeof(double));
    if (g == NULL || lab == NULL || integ == NULL || prof == NULL)
        goto out;
    const int bx = W * 3 / 100 + 1, by = H * 3 / 100 + 1;
    letter_pos pos[POS_MAX];
    int npos = 0;
    out->sharp = steepness(g, vis, W, H);
    if (!read_print(g, vis, W, H, lab, integ, out, box, pos, &npos))
        goto out;
    out->spread = box_share(box, W, H, out->visible);
    {
        /* rows of ink, in each half: the lines of a page of text */
        double least = 1e9;
        for (int half = 0; half < 2; half++) {
            const int x0 = half == 0 ? bx : W / 2, x1 = half == 0 ? W / 2 : W - bx;
            for (int y = 0; y < H; y++) {
                double s = 0;
                for (int x = x0; x < x1; x++)
                    s += lab[y * W + x] >= 0;
                prof[y] = s;
            }
            const double p = periodicity(prof + by, H - 2 * by);
            least = p < least ? p : least;
        }
        out->lines = least;
    }
    /* periodic strong steps along either axis, in each half of the
     * document across it: a mesh, a tray's slots or a keyboard's keys
     * repeat all over; an ID's monospaced MRZ, or a band of regular
     * rules, repeats in a part of it only (the MRZ is the bottom quarter
     * of a card's back) */
    for (int dir = 0; dir < 2; dir++) {
        const int n = dir == 0 ? W : H, m = dir == 0 ? H : W;
        double least = 1e9;
        for (int half = 0; half < 2; half++) {
            const int b0 = half == 0 ? m / 20 : m / 2, b1 = half == 0 ? m / 2 : m - m / 20;
            for (int a = 1; a + 1 < n; a++) {
                double s = 0;
                for (int b = b0; b < b1; b++) {
                    const float d = dir == 0 ? g[b * W + a + 1] - g[b * W + a - 1]
                                             : g[(a + 1) * W + b] - g[(a - 1) * W + b];
                    s += fabsf(d) >= (float)EDGE_STEP;
                }
                prof[a - 1] = s;
            }
            /* strong structure: its steps cross a good share of the
             * document at each period (the profile's spread) */
            double mu = 0, va = 0;
            for (int i = 0; i < n - 2; i++)
                mu += prof[i] / (n - 2);
            for (int i = 0; i < n - 2; i++)
                va += (prof[i] - mu) * (prof[i] - mu) / (n - 2);
            const double p = sqrt(va) >= PERIODIC_SPREAD * (b1 - b0) ? periodicity(prof, n - 2) : 0;
            least = p < least ? p : least;
        }
        if (least > out->periodic)
            out->periodic = least;
    }
    {
        /* light print on a dark ground (a passport cover's gilt title, a
         * card's white letters on its band): the same reading on the
         * negative, its letters counted with the dark ones */
        for (size_t i = 0; i < (size_t)W * (size_t)H; i++)
            g[i] = 255.0f - g[i];
        idp_content neg;
        memset(&neg, 0, sizeof(neg));
        if (!read_print(g, vis, W, H, lab, integ, &neg, box, pos, &npos))
            goto out;
        out->light = neg.letters + neg.small;
        out->letters += neg.letters;
        out->small += neg.small;
        out->ground += neg.ground;
        text_lines(pos, npos, &out->line1, &out->line2);
        out->spread = box_share(box, W, H, out->visible);
    }
out:
    free(g);
    free(vis);
    free(lab);
    free(integ);
    free(prof);
}
