/* idp_glare: specular highlights (glare) on a grey copy of the document,
 * told apart from printed white, white card stock and the MRZ band.
 * docs/checks.md ("glare") gives the physics and every threshold. */
#ifndef IDP_GLARE_H
#define IDP_GLARE_H

#include "idp_ctx.h"
#include "idp_image.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Luma at or above which a pixel counts as saturated (clipped). */
#define IDP_GLARE_SAT 250

/* One connected saturated region big enough to judge. */
typedef struct idp_glare_blob {
    uint32_t area;           /* saturated pixels */
    uint32_t x0, y0, x1, y1; /* bounding box, inclusive */
    double compactness;      /* its outer border (holes filled) over that of a disc of
                              * the same area: 1 = a disc */
    double holes;            /* share of its filled area that is holes (print) */
    double inner_ink;        /* share of the middle of its filled area that is dark
                              * print (holes under mid-scale): light not added */
    double step;             /* IDP_GLARE_SAT minus the paper level 1 px out */
    double ramp;             /* how much further the paper falls out to depth px */
    double tail;             /* how much it falls from 4 px out to depth px */
    uint32_t depth;          /* px out to which the surroundings were measured */
    double contrast;         /* IDP_GLARE_SAT minus the mean luma depth px out */
    bool specular;           /* all three tests passed: counted as glare */
} idp_glare_blob;

#define IDP_GLARE_MAX_BLOBS 8

typedef struct idp_glare {
    double share;         /* share of the pixels inside specular blobs: the check's value */
    double saturated;     /* share of the pixels at luma >= IDP_GLARE_SAT, whatever they are */
    double paper_clipped; /* share of the light pixels (luma >= 128: paper, not ink) that are
                           * saturated, when over a quarter of all pixels are (else 0);
                           * past one half no region is counted */
    uint32_t n_judged;    /* saturated regions big enough to judge */
    uint32_t n_specular;  /* of which specular */
    size_t n_blobs;       /* the largest judged regions, largest first */
    idp_glare_blob blobs[IDP_GLARE_MAX_BLOBS];
} idp_glare;

/* Finds the saturated regions of grey (1 channel) and counts those that
 * look like a specular reflection: compact, a soft edge (a halo), markedly
 * brighter than their surroundings. Fills *out; IDP_E_NOMEM if the label
 * buffers cannot be allocated (then *out is zero). */
idp_status idp_measure_glare(idp_ctx *ctx, const idp_image *grey, idp_glare *out) IDP_WUR
    IDP_NONNULL(1, 2, 3);

#endif
