/* Evidence that a quad is a document's outline, measured on the image the
 * quad was refined on (about 1000-2000 px), with sides' colour steps:
 *
 * - support: a colour step across each side along 90 % of it (the line
 *   search looks at the middle 80 % only, so a side that stops short of
 *   its corner passed there);
 * - corners: a document's side ends at its corner; a printed band, a
 *   piece of a longer sheet or a card's edge running on into the terminal
 *   under it has side lines that go on past the corners, with the same
 *   polarity;
 * - contrast: the strips just inside and just outside each side differ in
 *   colour or texture (a line drawn across a uniform surface does not);
 * - no periodic texture: a tray, a chair's mesh or a keyboard has many
 *   full-length straight lines inside, parallel to its sides; a card or a
 *   passport page one to three (the edges of its bands);
 * - not an inner rectangle: a supported outline parallel to every side in
 *   view (the others at the frame's edge), with printed content in the
 *   ring between, means the quad is a box inside a larger document (a
 *   portrait box, a band).
 *
 * The confidence is the product of one factor per test (docs/detection.md
 * gives the reasons for each limit). */
#include "idp_evidence.h"
#include "idp_evidence_side.h"
#include "idp_trace.h"
#include "idp_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SIDE_SAMPLES 40  /* along each side, over 5..95 % of it */
#define SUP_NONE 0.50    /* the weakest side: at most half supported gives no confidence */
#define RUN_FROM 0.03    /* past a corner: from 3 % ... */
#define RUN_TO 0.15      /* ... to 15 % of the short side */
#define RUN_SAMPLES 12   /* samples there */
#define EDGE_RUN 0.06    /* a cut side: followed 6 % of the short side in */
#define RUN_SHARE 0.6    /* share with a step of the side's polarity: the line goes on */
#define RUN_STRENGTH 0.5 /* ...of half the side's own step at least (the same edge going on) */
#define RUN_STEP_MIN 5.0 /* ...and at least this: a faint side (10-20 levels) going on is seen */
#define RUN_CONTRAST 0.4 /* ...more than 5-20 px beside it by this much (not texture) */
#define LINES_DOC 5.0    /* a document's bands have this many edges at most... */
#define LINES_NONE 10.0  /* ...a tray, a mesh, a keyboard this many and more */
/* round 29: a surface's period beside a line going on (a checked cloth's
 * rows), read out to this share of the short side, twice it to twice that */
#define BESIDE_PERIOD 0.15
/* Inner lines that are a page's printed stripes (round 9): all one way
 * (at most this many the other way: striped pages 0, outlines cut inside
 * such a page at a printed line 1, a gingham 5-16), with this many
 * ID-sized letters between them (SECOND_LETTERS: the least print of a
 * readable document) and a periodicity under this (striped pages
 * 0.24-0.31, the cloth's one-way rectangles with letters inside
 * 0.68-0.76); docs/detection.md, round 9 */
#define STRIPES_ACROSS 0
#define STRIPES_LETTERS 35
#define STRIPES_LETTERS_MAX 300 /* an ID prints 50-300; more: a page of text */
#define STRIPES_PERIODIC 0.50

/* a faint side's step on a quiet surface (step_needed, round 10): what the
 * surface 10 and 16 px outside the side (past a soft drop shadow, 4-6 px)
 * reaches on 5 % of its samples, at least 5 levels (RUN_STEP_MIN) */
#define BESIDE_NEAR 10.0
#define BESIDE_FAR 16.0
#define BESIDE_SHARE 0.05
#define STEP_QUIET 5.0

static double clamp01(double v)
{
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

double idp_sample_bilinear(const idp_image *g, double x, double y, uint32_t c)
{
    /* continuous coordinates: pixel centres at i + 0.5 */
    x -= 0.5;
    y -= 0.5;
    if (x < 0)
        x = 0;
    if (y < 0)
        y = 0;
    if (x > g->width - 1.001)
        x = g->width - 1.001;
    if (y > g->height - 1.001)
        y = g->height - 1.001;
    const uint32_t xi = (uint32_t)x, yi = (uint32_t)y;
    const double fx = x - xi, fy = y - yi;
    const uint32_t ch = g->channels;
    const uint8_t *p = g->data + ((size_t)yi * g->width + xi) * ch + c;
    const uint32_t dx = xi + 1 < g->width ? ch : 0;
    const size_t dy = yi + 1 < g->height ? (size_t)g->width * ch : 0;
    const double top = p[0] + (p[dx] - p[0]) * fx;
    const double bot = p[dy] + (p[dy + dx] - p[dy]) * fx;
    return top + (bot - top) * fy;
}

double idp_step_across(const idp_image *g, double x, double y, double nx, double ny, double s)
{
    double best = 0;
    for (uint32_t c = 0; c < g->channels; c++) {
        const double o = idp_sample_bilinear(g, x + 1.5 * s * nx, y + 1.5 * s * ny, c) +
                         idp_sample_bilinear(g, x + 3 * s * nx, y + 3 * s * ny, c);
        const double i = idp_sample_bilinear(g, x - 1.5 * s * nx, y - 1.5 * s * ny, c) +
                         idp_sample_bilinear(g, x - 3 * s * nx, y - 3 * s * ny, c);
        const double d = (o - i) / 2;
        if (fabs(d) > fabs(best))
            best = d;
    }
    return best;
}

double idp_step_near(const idp_image *g, double x, double y, double nx, double ny, double s,
                     int reach)
{
    double best = 0;
    for (int k = -reach; k <= reach; k++) {
        const double d = idp_step_across(g, x + k * s * nx, y + k * s * ny, nx, ny, s);
        if (fabs(d) > fabs(best))
            best = d;
    }
    return best;
}

void idp_ev_sides_of(const double q[4][2], idp_ev_side sd[4])
{
    double cx = 0, cy = 0;
    for (int i = 0; i < 4; i++) {
        cx += q[i][0] / 4;
        cy += q[i][1] / 4;
    }
    for (int i = 0; i < 4; i++) {
        idp_ev_side *d = &sd[i];
        memcpy(d->p0, q[i], sizeof(d->p0));
        memcpy(d->p1, q[(i + 1) % 4], sizeof(d->p1));
        const double dx = d->p1[0] - d->p0[0], dy = d->p1[1] - d->p0[1];
        d->len = hypot(dx, dy);
        d->ux = dx / d->len;
        d->uy = dy / d->len;
        d->nx = -d->uy;
        d->ny = d->ux;
        const double mx = (d->p0[0] + d->p1[0]) / 2 - cx, my = (d->p0[1] + d->p1[1]) / 2 - cy;
        if (d->nx * mx + d->ny * my < 0) {
            d->nx = -d->nx;
            d->ny = -d->ny;
        }
    }
}

/* The outline's edge factors: the least support over the sides in view
 * and the least contrast over those measured (no contrast measured counts
 * 0.75), leaving out the sides in skip (bit i: side quad[i] to
 * quad[i + 1]). */
static double edge_factor(const idp_evidence *ev, unsigned skip)
{
    double wmin = 1, cmin = 1e9;
    for (int i = 0; i < 4; i++) {
        if (skip & (1u << i))
            continue;
        if (ev->seen & (1u << i))
            wmin = fmin(wmin, ev->support[i]);
        if (ev->contrast[i] >= 0)
            cmin = fmin(cmin, ev->contrast[i]);
    }
    return clamp01((wmin - SUP_NONE) / (IDP_SUP_FULL - SUP_NONE)) *
           (cmin < 1e9 ? clamp01(cmin / CONTRAST_FULL) : 0.75);
}

/* The confidence from its factors: the factors besides the sides' own
 * (others) times the edge factor, none when an outline encloses it, a
 * side stops short or a surface pattern crosses a side. */
static double composed(const idp_evidence *ev)
{
    return ev->enclosed || ev->stops_short || ev->crossed > 0 ? 0 : ev->others * edge_factor(ev, 0);
}

/* The step a side's sample needs to count: STEP_MIN, or less on a quiet
 * surface, what the surface just outside the side (BESIDE_NEAR and
 * BESIDE_FAR px out, past a soft drop shadow) reaches on at most
 * BESIDE_SHARE of its samples, at least STEP_QUIET (round 10). */
static double step_needed(const idp_image *g, const idp_ev_side *d, double s)
{
    double v[2 * SIDE_SAMPLES];
    int n = 0;
    for (int k = 0; k < SIDE_SAMPLES; k++) {
        const double t = 0.05 + 0.9 * (k + 0.5) / SIDE_SAMPLES;
        const double x = d->p0[0] + t * (d->p1[0] - d->p0[0]);
        const double y = d->p0[1] + t * (d->p1[1] - d->p0[1]);
        for (int o = 0; o < 2; o++) {
            const double off = (o == 0 ? BESIDE_NEAR : BESIDE_FAR) * s;
            const double xo = x + off * d->nx, yo = y + off * d->ny;
            if (idp_in_view(g, xo, yo, 5 * s))
                v[n++] = fabs(idp_step_near(g, xo, yo, d->nx, d->ny, s, 2));
        }
    }
    if (n < SIDE_SAMPLES)
        return STEP_MIN; /* the outside mostly out of view: nothing to compare with */
    const double q = idp_quantile(v, (size_t)n, 1 - BESIDE_SHARE);
    return fmin(STEP_MIN, fmax(STEP_QUIET, q));
}

static double side_support(const idp_image *g, idp_ev_side *d, double s)
{
    int in = 0, hit = 0, pos = 0;
    double sum = 0, steps[SIDE_SAMPLES];
    for (int k = 0; k < SIDE_SAMPLES; k++) {
        const double t = 0.05 + 0.9 * (k + 0.5) / SIDE_SAMPLES;
        const double x = d->p0[0] + t * (d->p1[0] - d->p0[0]);
        const double y = d->p0[1] + t * (d->p1[1] - d->p0[1]);
        if (!idp_in_view(g, x, y, 5 * s))
            continue;
        steps[in++] = idp_step_near(g, x, y, d->nx, d->ny, s, 2);
    }
    /* a faint side (a white card on a light desk, 5-10 levels): measured
     * against the surface beside it, only when the fixed level would not
     * give it full support */
    double need = STEP_MIN;
    int strong = 0;
    for (int k = 0; k < in; k++)
        strong += fabs(steps[k]) >= STEP_MIN;
    if (in > 0 && strong < IDP_SUP_FULL * in)
        need = step_needed(g, d, s);
    for (int k = 0; k < in; k++)
        if (fabs(steps[k]) >= need) {
            hit++;
            pos += steps[k] > 0;
            sum += fabs(steps[k]);
        }
    IDP_TRACE("detect: side step needed %.1f support %d -> %d of %d\n", need, strong, hit, in);
    d->seen = in >= SIDE_SAMPLES * 3 / 10;
    d->polarity = 2 * pos >= hit ? 1 : -1;
    d->strength = hit > 0 ? sum / hit : 0;
    return d->seen ? (double)hit / in : -1;
}

/* Share of samples past corner c along u, offset by off px across the
 * side, with a step of the side's polarity; -1 when too few are in view.
 * near (may be NULL): the same share over the nearer half of the samples
 * (-1 when too few of those are in view). */
static double run_share(const idp_image *g, const idp_ev_side *d, const double c[2], double ux,
                        double uy, double shortside, double s, double off, double *near)
{
    int in = 0, hit = 0, in_near = 0, hit_near = 0;
    const double min = fmax(RUN_STEP_MIN, RUN_STRENGTH * d->strength);
    for (int k = 0; k < RUN_SAMPLES; k++) {
        const double a = shortside * (RUN_FROM + (RUN_TO - RUN_FROM) * (k + 0.5) / RUN_SAMPLES);
        const double x = c[0] + a * ux + off * d->nx, y = c[1] + a * uy + off * d->ny;
        if (!idp_in_view(g, x, y, 5 * s))
            continue;
        in++;
        const double st = idp_step_near(g, x, y, d->nx, d->ny, s, 1);
        const bool h = fabs(st) >= min && (st > 0) == (d->polarity > 0);
        hit += h;
        if (k < RUN_SAMPLES / 2) {
            in_near++;
            hit_near += h;
        }
    }
    if (near != NULL)
        *near = in_near >= RUN_SAMPLES / 4 ? (double)hit_near / in_near : -1;
    return in >= RUN_SAMPLES / 2 ? (double)hit / in : -1;
}

/* For a side with an end outside the frame (a cut-off document): whether
 * it runs on to the frame's edge. Samples from 5 px to EDGE_RUN of the
 * short side in from where its line leaves the frame; steps on at least
 * half of them. When not, the document's corner is in view and the quad
 * that puts it outside is wrong (a scan's card in a white border whose
 * fourth side the line search missed: no step there at all). REACH_SIGN:
 * steps of the side's sign; REACH_OTHER_SIGN: only of the other sign
 * (round 25). A page's edge is lighter than the desk along its paper and
 * darker along a coloured band printed at its border, so one edge's sign
 * can change along it (six cut-off pages of the phone draws, every sample
 * near the frame a step of 14-35 levels against the side's sign); but a
 * stripe of the surface the line runs on along has either sign by chance
 * (the grain past a card's corner, a wood's lines round a card), so the
 * other sign is weaker evidence: the finder takes such a side only when
 * nothing else is found (docs/detection.md, "Round 25"). */
enum { REACH_SHORT, REACH_SIGN, REACH_OTHER_SIGN };
static int reaches_frame(const idp_image *g, const idp_ev_side *d, double shortside, double s)
{
    const bool in0 = idp_in_view(g, d->p0[0], d->p0[1], 0),
               in1 = idp_in_view(g, d->p1[0], d->p1[1], 0);
    if (in0 == in1)
        return REACH_SIGN; /* both ends in view (or neither): nothing to test */
    /* the in-frame end a, the direction u towards the out end */
    const double *a = in0 ? d->p0 : d->p1;
    const double ux = in0 ? d->ux : -d->ux, uy = in0 ? d->uy : -d->uy;
    double lo = 0, hi = d->len; /* bisect the exit */
    for (int it = 0; it < 30; it++) {
        const double m = (lo + hi) / 2;
        if (idp_in_view(g, a[0] + m * ux, a[1] + m * uy, 0))
            lo = m;
        else
            hi = m;
    }
    const double from = 5 * s, to = EDGE_RUN * shortside;
    if (to <= from || lo < to)
        return REACH_SIGN;
    int in = 0, pos = 0, neg = 0;
    for (int k = 0; k < RUN_SAMPLES; k++) {
        const double back = from + (to - from) * (k + 0.5) / RUN_SAMPLES;
        const double x = a[0] + (lo - back) * ux, y = a[1] + (lo - back) * uy;
        if (!idp_in_view(g, x, y, 4 * s))
            continue;
        in++;
        const double st = idp_step_near(g, x, y, d->nx, d->ny, s, 2);
        pos += st >= STEP_MIN;
        neg += st <= -STEP_MIN;
    }
    IDP_TRACE("detect: reaches frame: in %d steps %d + %d - (side's sign %d)\n", in, pos, neg,
              d->polarity);
    if (in < RUN_SAMPLES / 2 || 2 * (d->polarity > 0 ? pos : neg) >= in)
        return REACH_SIGN;
    return 2 * (d->polarity > 0 ? neg : pos) >= in ? REACH_OTHER_SIGN : REACH_SHORT;
}

/* the most of v[k - tol .. k + tol] (those in 0..n-1) */
static double best_near(const double *v, int n, int k, int tol)
{
    double b = 0;
    for (int j = k - tol; j <= k + tol; j++)
        if (j >= 0 && j < n)
            b = fmax(b, v[j]);
    return b;
}

/* Round 29: the share of a surface's period beside a run: steps of the
 * side's sign on lines at one distance on both sides of it and at twice
 * that distance on both sides, the distance from past runs_on's 20 px out
 * to BESIDE_PERIOD of the short side (a checked cloth's next row of the
 * same sign lies a whole period, two checks, away). Four lines at a
 * period's places are a period: a busy surface (a photo behind the
 * document, wood's grain) has a line at some distance on each side of
 * most lines, rarely at twice it as well. The offsets are 2 px apart
 * (x s); one period's place is matched within an offset either way, twice
 * it within two (the cloth's rows wave). */
static double beside_period(const idp_image *g, const idp_ev_side *d, const double c[2], double ux,
                            double uy, double shortside, double s)
{
    enum { MAX_OFF = 192 };
    double pos[MAX_OFF], neg[MAX_OFF];
    int n = 0;
    for (double o = 22.0 * s; n < MAX_OFF && o <= 2 * BESIDE_PERIOD * shortside;
         o += 2.0 * s, n++) {
        pos[n] = run_share(g, d, c, ux, uy, shortside, s, o, NULL);
        neg[n] = run_share(g, d, c, ux, uy, shortside, s, -o, NULL);
    }
    /* offset k is 22 + 2k px (x s); twice it is 11 + 2k */
    double best = 0;
    for (int k = 0; 11 + 2 * k - 2 < n; k++) {
        double v = fmin(pos[k], best_near(neg, n, k, 1));
        v = fmin(v, fmin(best_near(pos, n, 11 + 2 * k, 2), best_near(neg, n, 11 + 2 * k, 2)));
        best = fmax(best, v);
    }
    return best;
}

/* Whether side d's line goes on past its end at corner c, along u: a
 * line there, not texture (which has as many steps beside the line).
 * one_sided: steps beside the line on one side only do not make it
 * texture when the line steps from the corner on (the evidence);
 * otherwise steps on either side do (the snap, which moves a side off a
 * surface's line: a line with print on one side of it is more often the
 * document's own edge going on past a quad cut short at a printed line,
 * which moving the side cannot mend). */
static bool runs_on(const idp_image *g, const idp_ev_side *d, const double c[2], double ux,
                    double uy, double shortside, double s, bool one_sided, bool *unread)
{
    double near;
    const double on = run_share(g, d, c, ux, uy, shortside, s, 0, &near);
    if (unread != NULL) /* too little of the run in view to read (the frame's edge near) */
        *unread = on < 0;
    if (on < RUN_SHARE)
        return false;
    /* parallel texture (wood grain, stripes) has steps beside the line
     * too, at one offset or another up to a stripe's period, and on both
     * of its sides: a surface's texture runs under the line. Steps on one
     * side only are not texture: a page going on past a printed line has
     * its print (an MRZ, text lines along its edge) inside its edge and the
     * surface outside it, and a card's drop shadow lies on one side. */
    double off_pos = 0, off_neg = 0;
    for (int k = 1; k <= 4; k++) {
        off_pos =
            fmax(off_pos, run_share(g, d, c, ux, uy, shortside, s, (4.0 + 4.0 * k) * s, NULL));
        off_neg =
            fmax(off_neg, run_share(g, d, c, ux, uy, shortside, s, -(4.0 + 4.0 * k) * s, NULL));
    }
    /* round 29: a checked cloth's next row of the same sign */
    const double period = one_sided ? beside_period(g, d, c, ux, uy, shortside, s) : 0;
    /* ...but only for the side's own edge going on, which steps from the
     * corner on, over the run's nearer half as densely as over all of it
     * (RUN_SHARE). Another object's edge that meets the line further on
     * (a key of a keyboard past a card's corner, crossing the line at a
     * slant) steps over a stretch of the run away from the corner, and is
     * seen beside the line too, shifted along it: texture, as before. */
    const bool from_corner = near >= RUN_SHARE;
    IDP_TRACE("detect: runs on past %.0f,%.0f: on %.2f near %.2f beside out %.2f in %.2f "
              "period %.2f\n",
              c[0], c[1], on, near, off_pos, off_neg, period);
    if (on - fmax(period,
                  one_sided && from_corner ? fmin(off_pos, off_neg) : fmax(off_pos, off_neg)) <
        RUN_CONTRAST)
        return false;
    /* round 18: a surface's line meeting the side at the corner, with the
     * surface on both sides of it past the corner (a document going on
     * past a printed line has its print on one) */
    return !one_sided || on - fmax(off_pos, off_neg) < RUN_CONTRAST ||
           !idp_run_crosses(g, c, c == d->p0 ? d->p1 : d->p0, d->nx, d->ny, d->polarity,
                            fmax(RUN_STEP_MIN, RUN_STRENGTH * d->strength), shortside);
}

int idp_side_runs_on(const idp_image *img, const double quad[4][2], int i, double *support)
{
    const double s = idp_sample_scale(img);
    idp_ev_side sd[4];
    idp_ev_sides_of(quad, sd);
    double ls, ss;
    idp_quad_sides(quad, &ls, &ss);
    idp_ev_side *d = &sd[i];
    *support = side_support(img, d, s);
    if (!d->seen)
        return 0;
    return (runs_on(img, d, d->p0, -d->ux, -d->uy, ss, s, false, NULL) ? 1 : 0) |
           (runs_on(img, d, d->p1, d->ux, d->uy, ss, s, false, NULL) ? 2 : 0);
}

static void evidence(const idp_image *img, const double quad[4][2], double dmin, bool either_sign,
                     idp_evidence *ev)
{
    memset(ev, 0, sizeof(*ev));
    for (int i = 0; i < 4; i++)
        ev->rounded[i] = ev->plane[i] = -1;
    const double s = idp_sample_scale(img);
    idp_ev_side sd[4];
    idp_ev_sides_of(quad, sd);
    double ls, ss;
    idp_quad_sides(quad, &ls, &ss);
    int nseen = 0;
    for (int i = 0; i < 4; i++) {
        ev->support[i] = side_support(img, &sd[i], s);
        ev->contrast[i] = sd[i].seen ? idp_ev_side_contrast(img, &sd[i], ss, s) : -1;
        if (sd[i].seen) {
            nseen++;
            ev->seen |= 1u << i;
        }
    }
    if (nseen < 3)
        return; /* confidence 0: too little of it in view */
    idp_ev_lift_contrast(img, quad, sd, ss, s, ev);
    int at[4] = {0, 0, 0, 0}; /* lines going on past corner k (quad[k]) */
    for (int i = 0; i < 4; i++) {
        if (!sd[i].seen)
            continue;
        /* round 27: a side going on past one end whose other end is too
         * near the frame's edge to read lies on a line across the frame
         * (the border of a photo shown in a screenshot): read as going on
         * past both */
        bool un0, un1;
        const bool on0 = runs_on(img, &sd[i], sd[i].p0, -sd[i].ux, -sd[i].uy, ss, s, true, &un0);
        const bool on1 = runs_on(img, &sd[i], sd[i].p1, sd[i].ux, sd[i].uy, ss, s, true, &un1);
        at[i] += on0 || (on1 && un0);
        at[(i + 1) & 3] += on1 || (on0 && un1);
        if ((on1 && un0) || (on0 && un1))
            IDP_TRACE("detect: side %d goes on past one end, the other too near the frame's edge "
                      "to read\n",
                      i);
    }
    ev->overruns = at[0] + at[1] + at[2] + at[3];
    /* round 19: both lines going on past one corner and nothing past the
     * other three, every side in view (all eight ends read), is a corner
     * laid on a crossing of a grid (a card on a gingham): one coincidence,
     * read as one line going on. A rectangle of the grid's own lines
     * crosses at every corner (docs/detection.md, round 19). */
    if (ev->overruns == 2 && ev->seen == 0xFu &&
        (at[0] == 2 || at[1] == 2 || at[2] == 2 || at[3] == 2)) {
        IDP_TRACE("detect: lines cross past one corner only: over 2 read as 1\n");
        ev->overruns = 1;
    }
    int per_dir[2];
    ev->inner_lines = idp_ev_inner_lines(img, quad, ls / ss, per_dir);
    int outer = 0, open = 0;
    for (int i = 0; i < 4; i++) {
        const int o = sd[i].seen ? idp_ev_outer_line(img, &sd[i], ss, s) : 2;
        outer += o == 1;
        open += o == 0;
    }
    ev->enclosed = outer >= 2 && open == 0;
    for (int i = 0; i < 4; i++) {
        const int r = sd[i].seen ? reaches_frame(img, &sd[i], ss, s) : REACH_SIGN;
        if (r == REACH_SIGN || (r == REACH_OTHER_SIGN && either_sign))
            continue;
        ev->stops_short = true;
        ev->short_mask |= 1u << i;
        if (r == REACH_OTHER_SIGN)
            ev->sign_mask |= 1u << i;
    }

    const double f_corner = clamp01(1.0 - 0.3 * ev->overruns);
    double f_lines = clamp01((LINES_NONE - ev->inner_lines) / (LINES_NONE - LINES_DOC));
    const double f_aspect = clamp01(1.0 - 0.5 * dmin / 0.10);
    const double f_rest = edge_factor(ev, 0) * f_corner * f_aspect;
    /* stripes printed across a page (the Dutch passport's data page):
     * many lines, all one way, with an ID's print between them; a tray's
     * or a cloth's lines come with a periodic structure and no such print,
     * a gingham's run both ways (round 9) */
    const int minor = per_dir[0] < per_dir[1] ? per_dir[0] : per_dir[1];
    if (f_lines < 1 && minor <= STRIPES_ACROSS && f_rest * f_lines < IDP_CONFIDENCE_MIN &&
        f_rest >= IDP_CONFIDENCE_MIN && outer == 0 && !ev->stops_short) {
        idp_content c;
        idp_quad_content(img, quad, ls / ss, &c);
        ev->striped = c.letters >= STRIPES_LETTERS && c.letters <= STRIPES_LETTERS_MAX &&
                      c.periodic < STRIPES_PERIODIC;
        IDP_TRACE("detect: inner lines %d + %d letters %d periodic %.2f striped %d\n", per_dir[0],
                  per_dir[1], c.letters, c.periodic, ev->striped);
        if (ev->striped)
            f_lines = clamp01((LINES_NONE - minor) / (LINES_NONE - LINES_DOC));
    }
    ev->others = ev->enclosed ? 0 : f_corner * f_aspect * f_lines;
    ev->confidence = composed(ev);
    /* a side along a line of the surface's pattern is not the document's */
    if (ev->confidence > 0) {
        ev->crossed_mask = idp_sides_crossed_mask(img, quad);
        ev->crossed = (int)(ev->crossed_mask & 1u) + (int)((ev->crossed_mask >> 1) & 1u) +
                      (int)((ev->crossed_mask >> 2) & 1u) + (int)((ev->crossed_mask >> 3) & 1u);
        if (ev->crossed > 0)
            ev->confidence = 0;
    }
}

void idp_quad_evidence(const idp_image *img, const double quad[4][2], double dmin, idp_evidence *ev)
{
    evidence(img, quad, dmin, false, ev);
}

void idp_quad_evidence_either_sign(const idp_image *img, const double quad[4][2], double dmin,
                                   idp_evidence *ev)
{
    evidence(img, quad, dmin, true, ev);
}

/* Round 10 hook (idp_det_covered, idp_partial.c): ev's confidence with
 * the least support and the least contrast taken over the sides not in
 * skip (bit i: side quad[i] to quad[i + 1]) instead of all four, the
 * other factors as they were. For a quad all in view whose corner is
 * covered: the thing lying there is over its two sides' strips. */
double idp_evidence_without(const idp_evidence *ev, unsigned skip)
{
    const double f_all = edge_factor(ev, 0), f_kept = edge_factor(ev, skip);
    return f_all > 0 ? ev->confidence * f_kept / f_all : ev->confidence;
}

double idp_evidence_on(const idp_evidence *ev, unsigned skip)
{
    return ev->short_mask & ~skip & 0xFu ? 0 : ev->others * edge_factor(ev, skip);
}

void idp_evidence_set_contrast(idp_evidence *ev, int i, double c)
{
    ev->contrast[i] = c;
    /* the crossing test was measured only on a quad with a confidence:
     * one that had none keeps none */
    if (ev->confidence > 0)
        ev->confidence = composed(ev);
}
