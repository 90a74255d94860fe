/* idp_colour_check: is the photo in colour, or black and white / toned
 * in one colour (sepia, cyanotype, a duotone)? docs/checks.md, "colour".
 * Pure measurement on the decoded RGB pixels, no policy. */
#ifndef IDP_COLOUR_CHECK_H
#define IDP_COLOUR_CHECK_H

#include "idp_image.h"

#include <stdint.h>

typedef struct idp_colour_stats {
    /* RMS distance of the samples' (Cb, Cr) from the photo's mean chroma,
     * in Cb/Cr units: about 0 for a grey photo, even with a uniform colour
     * cast. */
    double spread;
    /* RMS over the samples of the chroma their luma predicts (the mean
     * chroma of their luma band), measured from the mean chroma: how
     * strongly a monochrome photo is toned (sepia about 4-10, grey 0). */
    double tone;
    /* Share (0..1) of the smooth samples whose chroma is more than
     * IDP_COLOUR_NOISE from what their luma predicts (0 when fewer than
     * 1000 or 5 % of the samples are smooth). */
    double smooth_share;
    /* Share (0..1) of all samples whose chroma is more than 3 x
     * IDP_COLOUR_NOISE from what their luma predicts (1 x when next to
     * nothing is smooth). */
    double edge_share;
    /* The larger of the two: the part of the frame that carries a second
     * colour. 0 for black and white, sepia or any one-colour toning; a
     * colour photo of a grey document with a skin-tone portrait and a red
     * seal 1.9 %. */
    double second;
    uint32_t samples; /* samples measured (clipped ones, a channel >= 253, are not) */
    /* Share (0..1) of the samples in luma bands whose mean chroma has a hue
     * more than 60 degrees from the most populous hued band's (a band is
     * hued when its mean chroma is 3 units from neutral), or, leaving out
     * the samples near clipping, more than a toning's own drift (25
     * degrees) and what each band's error can turn its hue. */
    double hue_share;
    /* Share (0..1) of the samples with luma >= 32, bright enough to show a
     * colour above the noise floor. */
    double lit;
    /* Share (0..1) of the lit smooth 8 x 8 blocks (every pixel at luma
     * >= 32 and unclipped, luma within 40 levels; every other block across
     * and down is measured) whose mean chroma is more than 3 units from
     * what their luma predicts: a faint tint over an area (a card's pale
     * guilloche) that no single sample shows above the noise. 0 when fewer
     * than 50 such blocks are measured. */
    double tint_share;
    uint32_t tint_blocks; /* the lit smooth blocks measured */
} idp_colour_stats;

/* Chroma distance (Cb/Cr units) a sample must be from its luma band's
 * chroma to count as a second colour: above the chroma noise JPEG and a
 * sensor leave in smooth areas (docs/checks.md). */
#define IDP_COLOUR_NOISE 6.0

/* Below this share of samples bright enough to show a colour (luma >= 32),
 * the photo is too dark to tell colour from black and white. */
#define IDP_COLOUR_LIT_MIN 0.05

/* A photo whose second colour is under the fail limit is still in colour
 * when at least this share of its lit smooth blocks is tinted
 * (docs/checks.md, "colour", "tinted blocks"). */
#define IDP_COLOUR_TINT_MIN 0.017

/* A monochrome photo whose spread is below this is black and white (grey,
 * maybe with a uniform cast); above, toned (sepia and the like). */
#define IDP_COLOUR_GREY 2.0

/* Samples rgb (3 channels; anything else measures 0) on a grid of at most
 * about 120 000 points. */
void idp_measure_colour(const idp_image *rgb, idp_colour_stats *out) IDP_NONNULL(1, 2);

/* A box of pixels: x0 <= x < x1, y0 <= y < y1. */
typedef struct idp_colour_box {
    uint32_t x0, y0, x1, y1;
} idp_colour_box;

/* idp_measure_colour on the pixels of box only (clipped to rgb; a box
 * under 5 px either way measures 0), a document's: shares are then shares
 * of the box, and edges are judged at 3 x IDP_COLOUR_NOISE however little
 * is smooth (a document is fine print all over). */
void idp_measure_colour_box(const idp_image *rgb, const idp_colour_box *box, idp_colour_stats *out)
    IDP_NONNULL(1, 2, 3);

#endif
