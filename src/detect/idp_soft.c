/* Round 17: whether a later look's quad is a sure outline on a photo
 * too dark to show print (docs/detection.md, "Round 17: blurred and dark
 * documents"); idp_detect.c's looks ask it of their winners. */
#include "idp_detect_int.h"
#include "idp_evidence.h"
#include "idp_stats.h"
#include "idp_trace.h"

#include <stdint.h>
#include <stdlib.h>

/* Round 17: a later look's quad on a soft photo (blurred, dark). The
 * later looks want an ID's print inside (SECOND_LETTERS); where the photo
 * cannot show print none is read. Soft: the steepest 1 % of the steps over
 * 2 px, inside the quad and around it, under SOFT_STEEP levels
 * (idp_content_factor.c's SHARP_LEGIBLE: sharp, an ID shows its print).
 * Around it: the quad grown by SOFT_RING of its size about its centre,
 * its own outline and the surface beside it: a plain object (a box, a
 * book) on a sharp photo has a sharp outline and surface (57 and more
 * around the no-document sets' quads), a dark card 11-17, the blurred
 * card taken 17-18. Such a quad is held to the first
 * look's bar instead: a sure outline (edge evidence CONF_SURE), all four
 * sides seen in the frame, and its confidence with its content
 * (IDP_CONFIDENCE_MIN; a mesh's, a page's, a title's refusal stands).
 * Soft because it is dark, not because it is blurred: the document's
 * levels span (1st to 99th percentile) under SOFT_RANGE = 2 x SOFT_STEEP.
 * A sharp edge rises in a pixel or two, so its 2 px step is most of the
 * range; with a range of 80 or more and no step of 40 the edges rise over
 * more than 4 px: a blur, which places the outline only to within its
 * width (2-3 % of the side on the blurred photos taken: IoU 0.89 and
 * 0.92 there, the 0.9 a quad must reach), and a quad that may be wrong
 * is worse than none. 80 is also `exposure`'s warn bar on the spread.
 * docs/detection.md, "Round 17: blurred and dark documents". */
#define SOFT_STEEP 40.0
#define SOFT_RING 0.5
#define SOFT_RANGE (2 * SOFT_STEEP)
#define RANGE_W 128 /* the copy the range is read on */
#define RANGE_H 80
/* the range's ends, the percentiles `exposure` reads its spread between
 * (src/check/idp_exposure.h), so that both read a document's levels the
 * same way */
#define RANGE_LO 0.01
#define RANGE_HI 0.99

/* The spread of q's grey levels on img, 1st to 99th percentile (levels;
 * 255 when memory runs out: not dark). */
static double level_range(const idp_image *img, const double q[4][2])
{
    float *g = idp_grey_warp(img, q, RANGE_W, RANGE_H);
    if (g == NULL)
        return 255;
    uint64_t hist[256] = {0};
    const int n = RANGE_W * RANGE_H;
    for (int i = 0; i < n; i++) {
        const float v = g[i] < 0 ? 0 : g[i] > 255 ? 255 : g[i];
        hist[(int)v]++;
    }
    free(g);
    return idp_hist_percentile(hist, (uint64_t)n, RANGE_HI) -
           idp_hist_percentile(hist, (uint64_t)n, RANGE_LO);
}

/* Whether best (edge evidence ev_conf, confidence conf with its content
 * c) is a sure outline on a soft photo (above). */
bool idp_det_soft_sure(const idp_image *img, const candidate *best, double ev_conf, double conf,
                       const idp_content *c)
{
    if (best->score <= 0 || best->lines[3] < 0 || ev_conf < CONF_SURE ||
        conf < IDP_CONFIDENCE_MIN || c->sharp >= SOFT_STEEP || c->visible < 1)
        return false;
    const double range = level_range(img, CQ(best->q));
    IDP_TRACE("detect: soft quad: range %.0f\n", range);
    if (range >= SOFT_RANGE)
        return false;
    double cx = 0, cy = 0, g[4][2];
    for (int i = 0; i < 4; i++) {
        cx += best->q[i][0] / 4;
        cy += best->q[i][1] / 4;
    }
    for (int i = 0; i < 4; i++) {
        g[i][0] = cx + (best->q[i][0] - cx) * (1 + SOFT_RING);
        g[i][1] = cy + (best->q[i][1] - cy) * (1 + SOFT_RING);
    }
    double ls, ss;
    idp_quad_sides(CQ(best->q), &ls, &ss);
    idp_content around;
    idp_quad_content(img, CQ(g), ls / ss, &around);
    IDP_TRACE("detect: soft quad: sharp %.0f around %.0f\n", c->sharp, around.sharp);
    return around.sharp < SOFT_STEEP;
}
