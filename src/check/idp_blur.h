/* idp_blur: how wide the photo's sharpest strong edges are spread, as a
 * Gaussian blur's sigma in pixels of the grey copy, so the sharpness check
 * can judge blur as a physical width on the document (docs/checks.md,
 * "sharpness"). Pure function, no policy. */
#ifndef IDP_BLUR_H
#define IDP_BLUR_H

#include "idp_image.h"

#include <stdint.h>

/* Fewer strong edges than this and the width is not told (NAN). */
#define IDP_BLUR_MIN_EDGES 24u

/* The edges are binned in this many directions of the gradient (modulo
 * 180 degrees, 45 degrees each, centred on 0, 45, 90, 135) and judged in
 * as many directions, each on two adjacent bins (within 45 degrees of
 * 22.5, 67.5, 112.5, 157.5): a hand's shake smears along one line, the
 * print across it becomes unreadable while the edges along it stay sharp
 * (docs/checks.md, "Round 15: hand shake"). A smear at any angle is within
 * 22.5 degrees of one direction's centre. */
#define IDP_BLUR_DIRS 4u

/* A direction is judged with at least this many edges: the rank of the
 * median of n samples has a standard error of sqrt(n) / 2, so with 50 its
 * 95 % interval (+-1.96 of it, +-7 ranks) lies between the 36th and the
 * 64th percentile of the direction's rises. A smear across a direction
 * moves all its rises, to 0.8 of the smear's length, so that interval
 * still reads it; on photos that must pass, the widest direction read on
 * 50 edges stays 1.8 times under the limit (docs/checks.md, "Round 16:
 * shake read on fewer edges"). Round 15 asked for 100 and missed thin
 * backs, whose print keeps 56-61 edges across the smear. */
#define IDP_BLUR_DIR_EDGES 50u

typedef struct idp_blur {
    /* The Gaussian-equivalent sigma (the 10-90 % rise / 2.563) of the
     * photo's blur: the larger of all_sigma_px and the widest direction's
     * (dir_sigma_px). In pixels of the image measured; NAN when fewer than
     * IDP_BLUR_MIN_EDGES edges were seen. */
    double sigma_px;
    /* The median of the strongest 1 % of the gradients, all directions
     * together (at most 2000 edges): the measure before round 15. */
    double all_sigma_px;
    /* Each direction's median: the edges of its two bins, each bin's own
     * strongest (a quarter of that 1 %, at most 500), whose step keeps at
     * least half the print's full contrast; NAN with fewer than
     * IDP_BLUR_DIR_EDGES of them. */
    double dir_sigma_px[IDP_BLUR_DIRS];
    uint32_t dir_edges[IDP_BLUR_DIRS]; /* edges each direction judged */
    uint32_t edges;                    /* strong edges measured, all directions together */
} idp_blur;

/* Measures grey (1 channel): the strongest gradients (each a local maximum
 * across its edge), each edge's profile read along its gradient from the
 * dark side's low to the bright side's high, and the 10-90 % rise of those
 * with a step of at least 24 levels; all directions together and in each
 * direction (above). */
void idp_measure_blur(const idp_image *grey, idp_blur *out) IDP_NONNULL(1, 2);

/* The sampling's own spread (px of the grey copy): a perfectly sharp step
 * area-averaged into pixels and read back bilinearly rises 10-90 % over
 * 0.8-1.6 px (sigma 0.31-0.62, 0.47 on average); sharp photos measure
 * 0.54-0.68. */
#define IDP_BLUR_SAMPLING_PX 0.5

/* The blur of the photo itself: sigma_px less the sampling's spread (in
 * quadrature, as Gaussian blurs add); 0 when within it, NAN stays NAN. */
double idp_blur_sharp_sigma(double sigma_px);

#endif
