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

/* The edges are judged in this many directions of the gradient (modulo
 * 180 degrees, 45 degrees each): a hand's shake smears along one line, and
 * the print across it becomes unreadable while the edges along it stay
 * sharp (docs/checks.md, "Round 15: hand shake"). */
#define IDP_BLUR_DIRS 4u

/* A direction is judged with at least this many edges: the rank of the
 * median of n samples has a standard error of sqrt(n) / 2, so with 100 its
 * 95 % interval (+-1.96 of it, +-10 ranks) lies between the 40th and the
 * 60th percentile of the direction's rises. */
#define IDP_BLUR_DIR_EDGES 100u

typedef struct idp_blur {
    /* The Gaussian-equivalent sigma (the 10-90 % rise / 2.563) of the
     * widest direction: the largest median of a direction with at least
     * IDP_BLUR_DIR_EDGES edges; with no such direction, the median of all
     * edges (all_sigma_px). In pixels of the image measured; NAN when
     * fewer than IDP_BLUR_MIN_EDGES edges were seen. */
    double sigma_px;
    double all_sigma_px;                /* the median of all directions together */
    double dir_sigma_px[IDP_BLUR_DIRS]; /* each direction's (0: gradient along x,
                                           then every 45 degrees); NAN when too few */
    uint32_t dir_edges[IDP_BLUR_DIRS];  /* edges measured in each direction */
    uint32_t edges;                     /* strong edges whose rise was measured */
} idp_blur;

/* Measures grey (1 channel): in each direction of the gradient the
 * strongest of its gradients (at most ~1 % of the pixels, at most 500,
 * each a local maximum across its edge), each edge's profile read along
 * its gradient from the dark side's low to the bright side's high, and the
 * 10-90 % rise of those with a step of at least 24 levels. */
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
