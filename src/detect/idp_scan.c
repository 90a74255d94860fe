/* Scans: the document fills the image, with or without a thin uniform
 * margin (a flatbed scan, a scanner app's crop). Its outline is the
 * frame's edge, which no line search finds, and the rectangles inside it
 * (a portrait box, bands) are what such a search would return. A phone
 * frame is 4:3 (1.333), 3:2 (1.5) or 16:9 (1.778): 6 % and more from
 * ID-3's 1.420 and ID-1's 1.586. An image whose own aspect, less its
 * margin, is within 4 % of a document's is taken for a scan of it. */
#include "idp_evidence.h"
#include "idp_trace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SCAN_TOL 0.04     /* |ln(aspect / nominal)| of the image less its margin */
#define MARGIN_MAX 0.08   /* a margin is at most this share of the side */
#define MARGIN_STD 3.0    /* a margin row's std (levels): a scanner's flat field (0-2) */
#define MARGIN_DRIFT 16.0 /* and its mean within this of the outermost row's */
#define MARGIN_STEP 10    /* a step (levels) across the document's edge... */
#define MARGIN_EDGE 0.8   /* ...along this share of it */
#define LID_SAME                                                                                   \
    32.0 /* levels: a flat field at the frame's edge of a border's level (light drift) */
#define MARGIN_LINE 4 /* px: a step this near the frame's edge is no margin */
#define BACKDROP_SPREAD                                                                            \
    4.0 /* levels: four sides' flat fields this close are one backdrop (a lid's, noise             \
         * averaged over 64 lines: < 1 level; a document's own paper at its edges: 10-35) */

/* A document running off the frame: one of its edges is in view. */
#define CUT_BAND 0.35      /* the edge lies within this share of the frame from a side */
#define CUT_STEP 24        /* levels across it: a card against a desk (print is finer) */
#define CUT_SAMPLES 64     /* sample lines across the side */
#define CUT_PEAKS 5        /* strongest steps kept per sample line (a desk's grain gives 2-4) */
#define CUT_TILT_MIN 1.0   /* degrees to the frame: a scanner or its app squares the print */
#define CUT_TILT_MAX 20.0  /* roughly parallel to the side it is near */
#define CUT_TILT_STEP 0.25 /* degrees per angle bin */
#define CUT_TOL 2.5        /* px of a sample from the line */
#define CUT_LEN 0.4        /* the edge runs along at least this share of the side... */
#define CUT_RAD 0.017453292519943295 /* radians per degree */
#define CUT_IN 0.03                  /* and the edge this far in from the side all along it */
#define CUT_END 0.1                  /* ...from the frame's edge to a corner this far inside it */

#define CQS(q) ((const double(*)[2])(q))

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
                return k > MARGIN_LINE ? k : 0; /* nearer: a line along the frame's
                                                 * edge (the glass's), no margin */
            if (sd > MARGIN_STD || fabs(mean - m0[c]) > MARGIN_DRIFT)
                return 0; /* content or shading: the document's own paper */
        }
    }
    return 0; /* uniform deeper than a margin: part of the document */
}

/* Level of channel c at (u along side s, v in from it): s = 0 top, 1
 * bottom, 2 left, 3 right. */
static int at_side(const idp_image *g, int s, uint32_t u, uint32_t v, uint32_t c)
{
    const uint32_t x = s < 2 ? u : (s == 2 ? v : g->width - 1 - v);
    const uint32_t y = s >= 2 ? u : (s == 0 ? v : g->height - 1 - v);
    return g->data[((size_t)y * g->width + x) * g->channels + c];
}

/* Whether a straight step edge near side s, tilted 1-20 degrees to it,
 * runs from the frame's edge along >= 40 % of the side and stops at a
 * point >= 10 % inside the frame: a document's edge ending at its corner,
 * the document running off the frame past the other end. A scan's print
 * is square to the frame (the frame is its edge), and its long lines
 * (bands, the MRZ) run across or stop short of the frame's edge. Found by
 * a Hough vote of the strongest steps of 64 sample lines across the
 * side's outer 35 %. */
static bool cut_edge(const idp_image *g, int s)
{
    const uint32_t len = s < 2 ? g->width : g->height, depth = s < 2 ? g->height : g->width;
    const int band = (int)(depth * CUT_BAND);
    if (band < 8)
        return false;
    double pv[CUT_SAMPLES][CUT_PEAKS];
    int np[CUT_SAMPLES];
    double pu[CUT_SAMPLES];
    for (int i = 0; i < CUT_SAMPLES; i++) {
        const uint32_t u = (uint32_t)((i + 0.5) * len / CUT_SAMPLES);
        int st[CUT_PEAKS];
        pu[i] = u;
        np[i] = 0;
        int prev = 0, cur = 0;
        for (int v = 2; v + 2 < band; v++) {
            int d = 0;
            for (uint32_t c = 0; c < g->channels; c++) {
                const int e = abs(at_side(g, s, u, (uint32_t)v + 2, c) -
                                  at_side(g, s, u, (uint32_t)v - 2, c));
                d = e > d ? e : d;
            }
            /* cur (at v - 1) a local maximum: keep the strongest */
            if (v > 2 && cur >= CUT_STEP && cur >= prev && cur > d) {
                int k; /* the slot it takes: a free one, or the weakest's */
                if (np[i] < CUT_PEAKS)
                    k = np[i]++;
                else
                    k = st[CUT_PEAKS - 1] >= cur ? -1 : CUT_PEAKS - 1;
                for (; k > 0 && st[k - 1] < cur; k--) {
                    st[k] = st[k - 1];
                    pv[i][k] = pv[i][k - 1];
                }
                if (k >= 0) {
                    st[k] = cur;
                    pv[i][k] = v - 1;
                }
            }
            prev = cur;
            cur = d;
        }
    }
    const int na = (int)(2 * CUT_TILT_MAX / CUT_TILT_STEP) + 1;
    const double reach = len * 0.5 * tan(CUT_TILT_MAX * CUT_RAD);
    const int nb = (int)((band + 2 * reach) / 2) + 2;
    int *acc = calloc((size_t)na * (size_t)nb, sizeof(int));
    if (!acc)
        return false;
    for (int a = 0; a < na; a++) {
        const double t = tan((-CUT_TILT_MAX + a * CUT_TILT_STEP) * CUT_RAD);
        for (int i = 0; i < CUT_SAMPLES; i++)
            for (int k = 0; k < np[i]; k++) {
                const int b = (int)((pv[i][k] - (pu[i] - len * 0.5) * t + reach) / 2);
                if (b >= 0 && b < nb)
                    acc[a * nb + b]++;
            }
    }
    bool cut = false;
    for (int a = 0; a < na && !cut; a++) {
        const double deg = -CUT_TILT_MAX + a * CUT_TILT_STEP;
        if (fabs(deg) < CUT_TILT_MIN)
            continue;
        const double t = tan(deg * CUT_RAD);
        for (int b = 0; b < nb && !cut; b++) {
            if (acc[a * nb + b] < CUT_LEN * CUT_SAMPLES * 0.5)
                continue;
            const double vc = b * 2.0 + 1.0 - reach;
            bool in[CUT_SAMPLES];
            for (int i = 0; i < CUT_SAMPLES; i++) {
                const double v = vc + (pu[i] - len * 0.5) * t;
                in[i] = false;
                for (int k = 0; k < np[i]; k++)
                    in[i] = in[i] || fabs(pv[i][k] - v) <= CUT_TOL;
            }
            /* the unbroken run from each end */
            for (int dir = 0; dir < 2 && !cut; dir++) {
                int run = 0;
                for (int j = 0; j < CUT_SAMPLES; j++) {
                    const int i = dir ? CUT_SAMPLES - 1 - j : j;
                    if (in[i])
                        run = j + 1;
                    else
                        break;
                }
                if (!in[dir ? CUT_SAMPLES - 1 : 0] || run < CUT_LEN * CUT_SAMPLES ||
                    run > (1 - CUT_END) * CUT_SAMPLES)
                    continue; /* not from the frame's edge to a corner inside */
                /* the line inside the frame along its run and on past its
                 * inner end (else it leaves across the side: a scan's
                 * own border, a little skewed) */
                const int e = dir ? CUT_SAMPLES - run : run - 1;
                const double past = pu[e] + (dir ? -1 : 1) * CUT_END * len;
                const double v0 = vc + (pu[dir ? CUT_SAMPLES - 1 : 0] - len * 0.5) * t;
                const double v1 = vc + (past - len * 0.5) * t;
                cut = fmin(v0, v1) >= CUT_IN * depth;
            }
        }
    }
    free(acc);
    return cut;
}

bool idp_scan_detect(const idp_image *img, double quad[4][2], idp_doc_kind *kind,
                     double *confidence, bool *margin_seen, bool *unsure)
{
    *margin_seen = false;
    *unsure = false;
    *kind = IDP_DOC_UNKNOWN;
    *confidence = 0;
    if (img->width < 64 || img->height < 64)
        return false;
    /* each side's line v = a + b (u - len / 2): a margin of whole rows,
     * else a margin whose inner edge is a little tilted, else the frame */
    double la[4], lb[4];
    *margin_seen = false;
    for (int s = 0; s < 4; s++) {
        const uint32_t m = margin(img, s < 2, s == 1 || s == 3);
        la[s] = m;
        lb[s] = 0;
        if (m == 0 && !idp_margin_edge(img, s, &la[s], &lb[s]))
            la[s] = lb[s] = 0;
        *margin_seen = *margin_seen || la[s] > 0 || lb[s] != 0;
        IDP_TRACE("scan: side %d margin %u line %.1f %+.4f\n", s, m, la[s], lb[s]);
    }
    /* a flatbed's border surrounds the document: where it is seen on
     * some sides, a side left at the frame's edge whose outer strip is
     * the same flat field is one whose edge was not found (a shadow, a
     * faint paper edge), not the document's edge: no outline rather than
     * a wrong one (the frame's edge put the border inside the quad) */
    int bordered = 0;
    double lid[4], lid_deep;
    for (int s = 0; s < 4; s++) {
        bordered += la[s] > 0 || lb[s] != 0;
        lid[s] = -1;
        if (la[s] > 0 || lb[s] != 0)
            idp_margin_flat(img, s, &lid[s], &lid_deep); /* the border's level there */
    }
    /* no border's edge found anywhere, yet every side starts with a flat
     * field, all four of one level: a backdrop all round (a lid cropped
     * wider than a border), the document inside it; a document filling
     * the frame shows its own paper and print at its edges, of levels that
     * differ side to side (the corpus's scans: 10-35 levels apart) */
    if (bordered == 0) {
        double lo = 256, hi = -1;
        for (int s = 0; s < 4; s++) {
            double level, deep;
            idp_margin_flat(img, s, &level, &deep);
            level = level >= 0 ? level : deep;
            lo = level >= 0 ? fmin(lo, level) : -1;
            hi = fmax(hi, level);
            if (lo < 0)
                break;
        }
        if (lo >= 0 && hi - lo <= BACKDROP_SPREAD) {
            IDP_TRACE("scan: a backdrop of one level all round (%.1f-%.1f)\n", lo, hi);
            return false;
        }
    }
    if (bordered > 0 && bordered < 4)
        for (int s = 0; s < 4; s++) {
            double level, deep;
            if (la[s] != 0 || lb[s] != 0)
                continue;
            /* no flat field at the frame's edge: the lamp shades the lid
             * there (lit: 213 against 254 on the other sides), so the
             * side walked again finds the border's edge where the first
             * walk, through 75 % of the lines, did not; else the frame's
             * edge, as before */
            const bool flat = idp_margin_flat(img, s, &level, &deep);
            bool same = false; /* the level of a border seen (the lid's light drifts) */
            for (int o = 0; o < 4; o++)
                same = same || (lid[o] >= 0 && fabs(lid[o] - (flat ? level : deep)) <= LID_SAME);
            /* a flat field of the border's level running on past any
             * border's depth (8 %): the lid, cropped wider on this side,
             * with the document's faint edge somewhere in it (a white
             * card's band on a white lid); its edge was not found, and
             * the frame's edge would put a strip of lid in the quad. Not
             * a scan then; and not unsure either: a border this deep
             * says nothing of how much of the frame the document fills,
             * so an outline found inside stands on its own evidence */
            if (!flat && deep >= 0 && same) {
                IDP_TRACE("scan: side %d at the frame's edge is a flat border deeper than 8 %%\n",
                          s);
                return false;
            }
            if (!flat) {
                if (idp_margin_edge_behind(img, s, &la[s], &lb[s]))
                    IDP_TRACE("scan: side %d line %.1f %+.4f behind a shaded border\n", s, la[s],
                              lb[s]);
                else
                    la[s] = lb[s] = 0;
                continue;
            }
            /* a line along the frame's edge (the glass's) stops the walk
             * at once, before the border: walked again from past it. Only
             * here, where the border seen on the other sides says that
             * the flat field behind the line is the lid (on a document
             * cropped at its edge, the line is its own border line and
             * the field its paper: 100_visa-polx, 98_pass-nld) */
            if (same && idp_margin_edge_behind(img, s, &la[s], &lb[s])) {
                IDP_TRACE("scan: side %d line %.1f %+.4f behind a line at the frame's edge\n", s,
                          la[s], lb[s]);
                continue;
            }
            la[s] = lb[s] = 0;
            if (same) {
                IDP_TRACE("scan: side %d at the frame's edge is a flat border\n", s);
                *unsure = true;
                return false;
            }
        }
    /* the corners: top/bottom y = f(x), left/right x = f(y), solved by
     * a few rounds of substitution (the tilts are under 3 degrees) */
    const double W = img->width, H = img->height;
    double q[4][2];
    for (int k = 0; k < 4; k++) {
        const int ys = k < 2 ? 0 : 1, xs = k == 0 || k == 3 ? 2 : 3;
        double x = xs == 2 ? 0 : W, y = ys == 0 ? 0 : H;
        for (int it = 0; it < 4; it++) {
            const double vy = la[ys] + lb[ys] * (x - W / 2), vx = la[xs] + lb[xs] * (y - H / 2);
            y = ys == 0 ? vy : H - vy;
            x = xs == 2 ? vx : W - vx;
        }
        q[k][0] = x;
        q[k][1] = y;
    }
    double w, h;
    idp_quad_sides(CQS(q), &w, &h);
    if (h < 32)
        return false;
    const double r = w / h;
    const double d1 = fabs(log(r / idp_doc_aspect(IDP_DOC_ID1)));
    const double d3 = fabs(log(r / idp_doc_aspect(IDP_DOC_ID3)));
    const double d = fmin(d1, d3);
    if (d > SCAN_TOL)
        return false;
    for (int side = 0; side < 4; side++)
        if (cut_edge(img, side))
            return false; /* a document's edge ends inside: it runs off the frame */
    *kind = d1 <= d3 ? IDP_DOC_ID1 : IDP_DOC_ID3;
    memcpy(quad, q, sizeof(q));
    *confidence = 1.0 - 0.5 * d / SCAN_TOL;
    return true;
}
