/* Scans: the document fills the image, with or without a thin uniform
 * margin (a flatbed scan, a scanner app's crop). Its outline is the
 * frame's edge, which no line search finds, and the rectangles inside it
 * (a portrait box, bands) are what such a search would return. A phone
 * frame is 4:3 (1.333), 3:2 (1.5) or 16:9 (1.778): 6 % and more from
 * ID-3's 1.420 and ID-1's 1.586. An image whose own aspect, less its
 * margin, is within 4 % of a document's is taken for a scan of it. */
#include "idp_evidence.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SCAN_TOL 0.04     /* |ln(aspect / nominal)| of the image less its margin */
#define MARGIN_MAX 0.08   /* a margin is at most this share of the side */
#define MARGIN_STD 3.0    /* a margin row's std (levels): a scanner's flat field (0-2) */
#define MARGIN_DRIFT 16.0 /* and its mean within this of the outermost row's */
#define MARGIN_STEP 10    /* a step (levels) across the document's edge... */
#define MARGIN_EDGE 0.8   /* ...along this share of it */

/* Mean and std of row (horizontal) or column k, channel c, sampled. */
static void line_stats(const idp_image *g, bool row, uint32_t k, uint32_t c, double *mean,
                       double *sd)
{
    const uint32_t n = row ? g->width : g->height;
    const uint32_t step = n / 200 + 1;
    double s = 0, s2 = 0;
    int cnt = 0;
    for (uint32_t i = 0; i < n; i += step) {
        const uint32_t x = row ? i : k, y = row ? k : i;
        const double v = g->data[((size_t)y * g->width + x) * g->channels + c];
        s += v;
        s2 += v * v;
        cnt++;
    }
    *mean = s / cnt;
    *sd = sqrt(fmax(0, s2 / cnt - *mean * *mean));
}

/* Whether lines a and b (rows or columns) differ by a step at most of
 * their length: a document's edge, not its content (a line of letters
 * steps at the letters only). */
static bool edge_row(const idp_image *g, bool row, uint32_t a, uint32_t b)
{
    const uint32_t n = row ? g->width : g->height;
    const uint32_t step = n / 200 + 1;
    int cnt = 0, hit = 0;
    for (uint32_t i = 0; i < n; i += step) {
        const size_t pa = row ? (size_t)a * g->width + i : (size_t)i * g->width + a;
        const size_t pb = row ? (size_t)b * g->width + i : (size_t)i * g->width + b;
        int best = 0;
        for (uint32_t c = 0; c < g->channels; c++) {
            const int d =
                abs((int)g->data[pa * g->channels + c] - (int)g->data[pb * g->channels + c]);
            best = d > best ? d : best;
        }
        hit += best >= MARGIN_STEP;
        cnt++;
    }
    return hit >= MARGIN_EDGE * cnt;
}

/* Rows or columns of uniform margin from one edge (from the end when
 * rev), 0 when the edge row itself has content. */
static uint32_t margin(const idp_image *g, bool row, bool rev)
{
    const uint32_t n = row ? g->height : g->width;
    const uint32_t lim = (uint32_t)(n * MARGIN_MAX);
    double m0[3] = {0};
    for (uint32_t k = 0; k <= lim; k++) {
        const uint32_t at = rev ? n - 1 - k : k;
        for (uint32_t c = 0; c < g->channels; c++) {
            double mean, sd;
            line_stats(g, row, at, c, &mean, &sd);
            if (k == 0)
                m0[c] = mean;
            /* the document's edge: a step along the whole row, over 3
             * rows (a scan is a little blurred) */
            if (k >= 1 && k + 2 < n &&
                edge_row(g, row, rev ? at + 1 : at - 1, rev ? at - 2 : at + 2))
                return k;
            if (sd > MARGIN_STD || fabs(mean - m0[c]) > MARGIN_DRIFT)
                return 0; /* content or shading: the document's own paper */
        }
    }
    return 0; /* uniform deeper than a margin: part of the document */
}

bool idp_scan_detect(const idp_image *img, double quad[4][2], idp_doc_kind *kind,
                     double *confidence, bool *margin_seen)
{
    *margin_seen = false;
    *kind = IDP_DOC_UNKNOWN;
    *confidence = 0;
    if (img->width < 64 || img->height < 64)
        return false;
    const uint32_t top = margin(img, true, false), bot = margin(img, true, true);
    const uint32_t left = margin(img, false, false), right = margin(img, false, true);
    const double x0 = left, y0 = top, x1 = img->width - (double)right,
                 y1 = img->height - (double)bot;
    const double w = x1 - x0, h = y1 - y0;
    *margin_seen = top + bot + left + right > 0;
    if (w < 32 || h < 32)
        return false;
    const double r = w > h ? w / h : h / w;
    const double d1 = fabs(log(r / idp_doc_aspect(IDP_DOC_ID1)));
    const double d3 = fabs(log(r / idp_doc_aspect(IDP_DOC_ID3)));
    const double d = fmin(d1, d3);
    if (d > SCAN_TOL)
        return false;
    *kind = d1 <= d3 ? IDP_DOC_ID1 : IDP_DOC_ID3;
    const double q[4][2] = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
    memcpy(quad, q, sizeof(q));
    *confidence = 1.0 - 0.5 * d / SCAN_TOL;
    return true;
}
