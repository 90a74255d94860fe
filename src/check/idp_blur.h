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

typedef struct idp_blur {
    /* The Gaussian-equivalent sigma (the 10-90 % rise / 2.563) of the
     * median of the sharpest strong edges, in pixels of the image
     * measured; NAN when fewer than IDP_BLUR_MIN_EDGES edges were seen. */
    double sigma_px;
    uint32_t edges; /* strong edges whose rise was measured */
} idp_blur;

/* Measures grey (1 channel): the strongest gradients (at most ~1 % of the
 * pixels, at most 2000, each a local maximum across its edge), each edge's
 * profile read along its gradient from the dark side's low to the bright
 * side's high, and the 10-90 % rise of those with a step of at least 24
 * levels. */
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
