/* Round 18: whether a line going on past a document's corner is a line
 * of the surface that crosses the side there at a slight angle (a groove
 * between two planks meeting a page's edge at its corner), not the
 * side's own edge going on (docs/detection.md, "Round 18: striped wood").
 * idp_evidence.c's run-on test asks it. */
#include "idp_evidence.h"
#include "idp_trace.h"

/* A straight line of the surface that meets the side at corner c at an
 * angle lies outside the document along the side, its gap growing
 * towards the far corner; the side's own edge going on is the side's
 * line itself and has nothing outside it there but the surface. Tried:
 * lines through c whose gap at the far corner is CROSS_GAP_MIN px (on
 * the 1000 px copy) to WEDGE_REACH of the short side (round 12's wedge,
 * idp_quads.c: the surface's line beside a side), in steps of 1 px;
 * read only where the gap is CROSS_CLEAR px or more (the side's own
 * step is read up to 3 + 1 px out: idp_step_across's strip and idp_step_near's
 * reach). Such a line is there when a step of the side's polarity, at
 * least min_step, lies on it at RUN_SHARE of the places read (the same
 * share that says a line goes on past a corner), over at least a
 * quarter of the side, and better than on any line parallel to the
 * side outside it (CROSS_CLEAR px to WEDGE_REACH): a second edge of the
 * same thing beside the side (a book's cover over its pages) is parallel,
 * a surface's line meeting the side at its corner is not. */
#define CROSS_GAP_MIN 6.0 /* the first whole gap reading a quarter of the side past CROSS_CLEAR */
#define CROSS_CLEAR 4.0
#define CROSS_REACH 0.12 /* WEDGE_REACH (idp_quads.c) */
#define CROSS_NS 32
#define CROSS_SHARE 0.6 /* RUN_SHARE (idp_evidence.c) */

/* The share of CROSS_NS places along the side (c towards far), read
 * where the line through c with gap g0 at c and g1 at far lies CROSS_CLEAR
 * px or more outside, with a step of the polarity; -1 when under a
 * quarter of them are read. */
static double line_share(const idp_image *g, const double c[2], double ux, double uy, double len,
                         double nx, double ny, double g0, double g1, int polarity, double min_step)
{
    const double s = idp_sample_scale(g);
    int in = 0, hit = 0;
    for (int k = 0; k < CROSS_NS; k++) {
        const double t = len * (k + 0.5) / CROSS_NS, off = g0 + (g1 - g0) * t / len;
        if (off < CROSS_CLEAR)
            continue;
        const double x = c[0] + t * ux + off * s * nx, y = c[1] + t * uy + off * s * ny;
        if (!idp_in_view(g, x, y, 5 * s))
            continue;
        in++;
        const double st = idp_step_near(g, x, y, nx, ny, s, 1);
        hit += fabs(st) >= min_step && (st > 0) == (polarity > 0);
    }
    return in >= CROSS_NS / 4 ? (double)hit / in : -1;
}

bool idp_run_crosses(const idp_image *g, const double c[2], const double far[2], double nx,
                     double ny, int polarity, double min_step, double shortside)
{
    const double s = idp_sample_scale(g);
    const double dx = far[0] - c[0], dy = far[1] - c[1], len = hypot(dx, dy);
    const double reach = CROSS_REACH * shortside / s;
    if (len <= 0)
        return false;
    const double ux = dx / len, uy = dy / len;
    double tilted = -1, parallel = -1, at = 0;
    for (double gap = CROSS_GAP_MIN; gap <= reach; gap += 1) {
        const double t = line_share(g, c, ux, uy, len, nx, ny, 0, gap, polarity, min_step);
        if (t > tilted) {
            tilted = t;
            at = gap;
        }
    }
    for (double gap = CROSS_CLEAR; gap <= reach; gap += 1)
        parallel =
            fmax(parallel, line_share(g, c, ux, uy, len, nx, ny, gap, gap, polarity, min_step));
    IDP_TRACE("detect: run past %.0f,%.0f: across at gap %.0f %.2f, parallel %.2f\n", c[0], c[1],
              at, tilted, parallel);
    (void)at;
    return tilted >= CROSS_SHARE && tilted > parallel;
}
