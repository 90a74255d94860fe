/* Round 13 (docs/detection.md, "Round 13: sides on a printed border"): a
 * side of a judged quad on a line printed inside the page, parallel to its
 * edge (a passport page's border, a card's frame line), moved outward to
 * the page's own edge. A page's printed border lies INSIDE its edge, by a
 * few mm of blank paper; outside the edge lies the surface. So a side on
 * the border has paper, not the surface, just outside it, and the page's
 * edge is the parallel line further out where the paper ends and the
 * surface begins. The references are read along the quad's other three
 * sides: the surface just outside them, the document just inside them
 * (when those are the page's edges, its margin). Each colour sample is
 * called the document's or the surface's by its nearest reference leader
 * (a gingham cloth has two colours and their mix; a page its paper and
 * print). A side moves only when (b) just outside it is more the
 * document's than the surface's (DOC_SHARE), (c) a parallel line further
 * out, within BORDER_REACH of the short side, has the surface's colours
 * outside it (SURF_SHARE of the samples, each within SURF_NEAR of a
 * surface reference at the median) and more of the document's than the
 * surface's in the band it gives up, (a) the document and the surface
 * differ (REF_APART), and (d) that line, refined on the image, is
 * supported along the whole side (the evidence's full support) and goes
 * on past neither corner (a line of the surface goes on; the page's edge
 * stops at its corners). */
#include "idp_evidence.h"
#include "idp_trace.h"

#include <math.h>
#include <string.h>

#define BORDER_REACH 0.12 /* of the short side: round 11's snap reach, 6.5 mm on ID-1 */
#define BORDER_FROM 2.0   /* px (x scale): past the refinement's reach on the image */
#define BORDER_EDGE 1.5   /* px kept off a line when the colours beside it are read... */
#define BORDER_STRIP 6.0  /* ...out to this */
#define DOC_SHARE 0.5     /* just outside the side, the band: more the document's */
#define SURF_SHARE 0.8    /* outside the new line: the surface's, nearly all */
#define SURF_NEAR 12.0    /* levels: and the surface's own colours (median nearest) */
#define REF_APART 10.0    /* levels: the nearest surface sample to a document one, median */
#define NK 24             /* places along a side */
#define NJ 3              /* depths across a strip */
#define NREF (3 * NK * NJ)

#define NLEAD 48     /* leaders of each reference set, at most */
#define REF_LEAD 8.0 /* levels: a sample within this of a leader is its (a JPEG's noise, twice) */

typedef struct refs {
    float doc[NREF][3], surf[NREF][3];
    int nd, ns;
    /* the same, each set as its leaders (the first sample of each group
     * of samples within REF_LEAD): a cloth's checks repeat a few colours */
    float ldoc[NLEAD][3], lsurf[NLEAD][3];
    int nld, nls;
    uint32_t ch;
} refs;

static double cdist(const float a[3], const double b[3], uint32_t ch)
{
    double d = 0;
    for (uint32_t c = 0; c < ch; c++)
        d += ((double)a[c] - b[c]) * ((double)a[c] - b[c]);
    return d;
}

/* Whether colour v is nearer a document sample than a surface sample. */
static bool is_doc(const refs *r, const double v[3])
{
    double dd = HUGE_VAL, ds = HUGE_VAL;
    for (int k = 0; k < r->nld; k++) {
        const double e = cdist(r->ldoc[k], v, r->ch);
        dd = e < dd ? e : dd;
    }
    for (int k = 0; k < r->nls && ds > dd; k++) {
        const double e = cdist(r->lsurf[k], v, r->ch);
        ds = e < ds ? e : ds;
    }
    return dd < ds;
}

static void colour_at(const idp_image *g, double x, double y, double v[3])
{
    for (uint32_t c = 0; c < 3; c++)
        v[c] = c < g->channels ? idp_sample_bilinear(g, x, y, c) : 0;
}

static bool in_frame(const idp_image *g, double x, double y)
{
    return x >= 1 && y >= 1 && x <= g->width - 1.0 && y <= g->height - 1.0;
}

/* The side p0-p1 with its outward normal n. */
typedef struct bside {
    double p0[2], p1[2], nx, ny;
} bside;

static void side_of(const double q[4][2], int i, bside *d)
{
    const int j = (i + 1) % 4;
    double cx = 0, cy = 0;
    for (int k = 0; k < 4; k++) {
        cx += q[k][0] / 4;
        cy += q[k][1] / 4;
    }
    memcpy(d->p0, q[i], sizeof(d->p0));
    memcpy(d->p1, q[j], sizeof(d->p1));
    const double dx = d->p1[0] - d->p0[0], dy = d->p1[1] - d->p0[1], len = hypot(dx, dy);
    d->nx = -dy / len;
    d->ny = dx / len;
    if (d->nx * (cx - d->p0[0]) + d->ny * (cy - d->p0[1]) > 0) {
        d->nx = -d->nx;
        d->ny = -d->ny;
    }
}

/* The samples of the strip from offset a to b (px along the outward
 * normal) beside side d, at NK places over 10-90 % of it, NJ depths:
 * into out (may be NULL), their number returned; with r, the share of
 * them that are the document's into *doc_share. */
static double nearest(const float (*set)[3], int n, const double v[3], uint32_t ch)
{
    double m = HUGE_VAL;
    for (int k = 0; k < n; k++) {
        const double e = cdist(set[k], v, ch);
        m = e < m ? e : m;
    }
    return sqrt(m);
}

static double median(double *d, int n)
{
    const int h = n / 2; /* partial selection */
    for (int a = 0; a <= h && a < n; a++)
        for (int b = a + 1; b < n; b++)
            if (d[b] < d[a]) {
                const double t = d[a];
                d[a] = d[b];
                d[b] = t;
            }
    return n > 0 ? d[h] : HUGE_VAL;
}

/* As strip, the median distance of the samples to the nearest of set
 * (n of them). */
static double strip_near(const idp_image *g, const bside *d, double a, double b,
                         const float (*set)[3], int nset, uint32_t ch)
{
    double dist[NK * NJ];
    int n = 0;
    for (int k = 0; k < NK; k++) {
        const double t = 0.1 + 0.8 * (k + 0.5) / NK;
        const double x = d->p0[0] + t * (d->p1[0] - d->p0[0]);
        const double y = d->p0[1] + t * (d->p1[1] - d->p0[1]);
        for (int j = 0; j < NJ; j++) {
            const double o = a + (b - a) * (j + 0.5) / NJ;
            const double px = x + o * d->nx, py = y + o * d->ny;
            if (!in_frame(g, px, py))
                continue;
            double v[3];
            colour_at(g, px, py, v);
            dist[n++] = nearest(set, nset, v, ch);
        }
    }
    return median(dist, n);
}

static int strip(const idp_image *g, const bside *d, double a, double b, float (*out)[3],
                 const refs *r, double *doc_share)
{
    int n = 0, nd = 0;
    for (int k = 0; k < NK; k++) {
        const double t = 0.1 + 0.8 * (k + 0.5) / NK;
        const double x = d->p0[0] + t * (d->p1[0] - d->p0[0]);
        const double y = d->p0[1] + t * (d->p1[1] - d->p0[1]);
        for (int j = 0; j < NJ; j++) {
            const double o = a + (b - a) * (j + 0.5) / NJ;
            const double px = x + o * d->nx, py = y + o * d->ny;
            if (!in_frame(g, px, py))
                continue;
            double v[3];
            colour_at(g, px, py, v);
            if (out != NULL)
                for (int c = 0; c < 3; c++)
                    out[n][c] = (float)v[c];
            if (r != NULL)
                nd += is_doc(r, v);
            n++;
        }
    }
    if (doc_share != NULL)
        *doc_share = n > 0 ? (double)nd / n : 0;
    return n;
}

/* The median over the document's samples of the distance to the nearest
 * surface sample (levels). */
static double refs_apart(const refs *r)
{
    double d[NREF];
    for (int k = 0; k < r->nd; k++) {
        const double v[3] = {r->doc[k][0], r->doc[k][1], r->doc[k][2]};
        double m = HUGE_VAL;
        for (int l = 0; l < r->ns; l++) {
            const double e = cdist(r->surf[l], v, r->ch);
            m = e < m ? e : m;
        }
        d[k] = sqrt(m);
    }
    /* partial selection of the median */
    const int h = r->nd / 2;
    for (int a = 0; a <= h; a++)
        for (int b = a + 1; b < r->nd; b++)
            if (d[b] < d[a]) {
                const double t = d[a];
                d[a] = d[b];
                d[b] = t;
            }
    return r->nd > 0 ? d[h] : 0;
}

typedef struct bline {
    double nx, ny, rho;
} bline;

static void line_through(const double a[2], const double b[2], bline *l)
{
    const double len = hypot(b[0] - a[0], b[1] - a[1]);
    l->nx = -(b[1] - a[1]) / len;
    l->ny = (b[0] - a[0]) / len;
    l->rho = l->nx * a[0] + l->ny * a[1];
}

static bool cross(const bline *a, const bline *b, double p[2])
{
    const double det = a->nx * b->ny - a->ny * b->nx;
    if (fabs(det) < 1e-6)
        return false;
    p[0] = (a->rho * b->ny - a->ny * b->rho) / det;
    p[1] = (a->nx * b->rho - a->rho * b->nx) / det;
    return true;
}

/* q with side i's line moved out by o px (parallel), its corners on the
 * neighbouring sides' lines, into r. */
static bool moved_out(const double q[4][2], int i, const bside *d, double o, double r[4][2])
{
    const int a = (i + 3) % 4, b = (i + 1) % 4, c = (i + 2) % 4;
    bline prev, next, side;
    line_through(q[a], q[i], &prev);
    line_through(q[b], q[c], &next);
    const double e0[2] = {d->p0[0] + o * d->nx, d->p0[1] + o * d->ny};
    const double e1[2] = {d->p1[0] + o * d->nx, d->p1[1] + o * d->ny};
    line_through(e0, e1, &side);
    memcpy(r, q, 4 * sizeof(r[0]));
    return cross(&prev, &side, r[i]) && cross(&side, &next, r[b]);
}

/* The leaders of set (n samples) into lead, their number returned. */
static int leaders(const float (*set)[3], int n, float (*lead)[3], uint32_t ch)
{
    int m = 0;
    for (int k = 0; k < n && m < NLEAD; k++) {
        const double v[3] = {set[k][0], set[k][1], set[k][2]};
        bool near = false;
        for (int l = 0; l < m && !near; l++)
            near = cdist(lead[l], v, ch) < REF_LEAD * REF_LEAD;
        if (!near)
            memcpy(lead[m++], set[k], sizeof(lead[0]));
    }
    return m;
}

/* The profile of side d: at NK places along it (10-90 %), each px
 * (x scale) out from the side to nk px, called the document's (1), the
 * surface's (0) or out of the frame (-1); cum[k][o]: the document's among
 * the first o offsets at place k, in[k][o] the ones in the frame. */
enum { MAXO = 160 };
typedef struct profile {
    int8_t cls[NK][MAXO];
    int n; /* offsets classified */
} profile;

static void classify(const idp_image *g, const bside *d, const refs *r, double s, int from, int to,
                     profile *p)
{
    for (int k = 0; k < NK; k++) {
        const double t = 0.1 + 0.8 * (k + 0.5) / NK;
        const double x = d->p0[0] + t * (d->p1[0] - d->p0[0]);
        const double y = d->p0[1] + t * (d->p1[1] - d->p0[1]);
        for (int o = from; o < to; o++) {
            const double px = x + o * s * d->nx, py = y + o * s * d->ny;
            if (!in_frame(g, px, py)) {
                p->cls[k][o] = -1;
                continue;
            }
            double v[3];
            colour_at(g, px, py, v);
            p->cls[k][o] = is_doc(r, v) ? 1 : 0;
        }
    }
    if (to > p->n)
        p->n = to;
}

/* The document's share of the profile's offsets a to b (inclusive); the
 * samples in the frame into *n. */
static double share(const profile *p, int a, int b, int *n)
{
    int in = 0, doc = 0;
    for (int k = 0; k < NK; k++)
        for (int o = a; o <= b; o++) {
            in += p->cls[k][o] >= 0;
            doc += p->cls[k][o] == 1;
        }
    *n = in;
    return in > 0 ? (double)doc / in : 0;
}

bool idp_quad_unborder(const idp_image *g, double q[4][2])
{
    const double s = idp_sample_scale(g);
    double ls, ss;
    idp_quad_sides(CQD(q), &ls, &ss);
    /* offsets (px, x scale): the strips beside a line at o, the reach */
    const int e0 = (int)ceil(BORDER_EDGE), e1 = (int)BORDER_STRIP;
    int reach = (int)(BORDER_REACH * ss / s);
    if (reach + e1 >= MAXO)
        reach = MAXO - 1 - e1;
    bool moved = false;
    for (int i = 0; i < 4; i++) {
        bside d;
        side_of(CQD(q), i, &d);
        /* the references along the other three sides */
        refs r;
        r.ch = g->channels < 3 ? g->channels : 3;
        r.nd = r.ns = 0;
        for (int k = 1; k < 4; k++) {
            bside o;
            side_of(CQD(q), (i + k) % 4, &o);
            r.ns += strip(g, &o, BORDER_EDGE * s, BORDER_STRIP * s, r.surf + r.ns, NULL, NULL);
            r.nd += strip(g, &o, -BORDER_STRIP * s, -BORDER_EDGE * s, r.doc + r.nd, NULL, NULL);
        }
        if (r.nd < NK || r.ns < NK)
            continue;
        r.nld = leaders((const float(*)[3])r.doc, r.nd, r.ldoc, r.ch);
        r.nls = leaders((const float(*)[3])r.surf, r.ns, r.lsurf, r.ch);
        /* (b) first, cheaply: just outside the side */
        profile p;
        p.n = 0;
        classify(g, &d, &r, s, e0, e1 + 1, &p);
        int n;
        const double out_doc = share(&p, e0, e1, &n);
        if (n < NK)
            continue;
        if (out_doc <= DOC_SHARE) {
            if (out_doc >= 0.5)
                IDP_TRACE("detect: border side %d outside doc %.2f\n", i, out_doc);
            continue;
        }
        /* (c) the first offset out where the surface begins: its colours
         * outside the line, the document's in the band given up */
        classify(g, &d, &r, s, 0, e0, &p);
        p.n = e1 + 1;
        double found = -1;
        for (int o = (int)BORDER_FROM; o <= reach; o++) {
            if (o + e1 + 1 > p.n) /* classified as the search goes out */
                classify(g, &d, &r, s, p.n, o + e1 + 1, &p);
            int no, nb;
            const double sh = share(&p, o + e0, o + e1, &no);
            if (no < NK || 1 - sh < SURF_SHARE)
                continue;
            const double band = share(&p, 1, o - 1, &nb);
            const double near = strip_near(g, &d, (o + BORDER_EDGE) * s, (o + BORDER_STRIP) * s,
                                           (const float(*)[3])r.surf, r.ns, r.ch);
            IDP_TRACE("detect: border side %d offset %d outside surface %.2f near %.1f band "
                      "doc %.2f\n",
                      i, o, 1 - sh, near, band);
            if (band > DOC_SHARE && near <= SURF_NEAR)
                found = o * s;
            break;
        }
        if (found < 0)
            continue;
        /* (a) the document and the surface differ */
        const double apart = refs_apart(&r);
        IDP_TRACE("detect: border side %d outside doc %.2f apart %.1f\n", i, out_doc, apart);
        if (apart < REF_APART)
            continue;
        double nq[4][2];
        if (!moved_out(CQD(q), i, &d, found, nq))
            continue;
        /* (d) the edge itself, by the refinement's search (the other
         * sides' lines stay: idp_quad_refine moves none of them far) */
        double f[4][2];
        memcpy(f, nq, sizeof(f));
        idp_quad_refine(g, f, s);
        bool kept = true;
        for (int k = 0; k < 4; k++)
            kept = kept && hypot(f[k][0] - nq[k][0], f[k][1] - nq[k][1]) <= 2 * s + 1;
        if (kept)
            memcpy(nq, f, sizeof(nq));
        double sup;
        const int runs = idp_side_runs_on(g, CQD(nq), i, &sup);
        IDP_TRACE("detect: border side %d moved out %.0f support %.2f runs on %d\n", i, found, sup,
                  runs);
        if (sup < IDP_SUP_FULL || runs != 0)
            continue;
        memcpy(q, nq, sizeof(nq));
        moved = true;
    }
    return moved;
}
