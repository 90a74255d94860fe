/* idp_measure: the raw measurements behind the checks, on a grey or RGB
 * copy. Pure functions, no policy. */
#ifndef IDP_MEASURE_H
#define IDP_MEASURE_H

#include "idp_image.h"

#include <stdint.h>

/* A grey (luma, BT.601) copy of an RGB image, area-averaged down so its
 * long side is at most max_side (never enlarged). Caller owns *out. */
idp_status idp_measure_grey(idp_ctx *ctx, const idp_image *rgb, uint32_t max_side,
                            idp_image **out) IDP_WUR IDP_NONNULL(1, 2, 4);

/* Variance of the 4-neighbour Laplacian over the grey image. */
double idp_measure_sharpness(const idp_image *grey) IDP_NONNULL(1);

typedef struct idp_exposure {
    double mean_luma;      /* 0..255 */
    double shadow_clip;    /* share of pixels with luma <= 5 */
    double highlight_clip; /* share of pixels with luma >= 250 */
} idp_exposure;
void idp_measure_exposure(const idp_image *grey, idp_exposure *out) IDP_NONNULL(1, 2);

/* Chroma spread of an RGB image, in Cb/Cr units: the RMS distance of the
 * pixels' chroma from the image's mean chroma (so a uniform colour cast on
 * a black-and-white copy still measures about 0). 0 for a grey image. */
double idp_measure_colourfulness(const idp_image *rgb) IDP_NONNULL(1);

/* Share (0..1) of 8x8 blocks of the grey image that are perfectly flat
 * (all pixels equal): camera sensors are never that clean, UIs are. */
double idp_measure_flatness(const idp_image *grey) IDP_NONNULL(1);

/* 64-bit difference hash of the grey image (9x8 area average). */
uint64_t idp_measure_dhash(const idp_image *grey) IDP_NONNULL(1);
unsigned idp_hamming64(uint64_t a, uint64_t b);

/* Whether w x h (either way round) is a common phone/desktop screen size. */
int idp_is_screen_size(uint32_t w, uint32_t h);

#endif
