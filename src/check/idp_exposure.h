/* idp_exposure: whether the print of the document can be read, from the
 * spread of its luma. docs/checks.md ("exposure") gives the limits. */
#ifndef IDP_EXPOSURE_H
#define IDP_EXPOSURE_H

#include "idp_image.h"

/* The luma percentiles that stand for the ink and the paper: the 1st and
 * the 99th. Ink covers a few percent of a document (the sparse print of a
 * white page ~3 %, a card 10-30 %), so the 1st percentile is ink; the 99th
 * is the paper or the card's lightest tint, not a stray noisy pixel. */
#define IDP_EXPOSURE_INK_PCT 0.01
#define IDP_EXPOSURE_PAPER_PCT 0.99

typedef struct idp_readability {
    double ink;    /* luma at the 1st percentile */
    double paper;  /* luma at the 99th percentile */
    double spread; /* paper - ink: the contrast print can have in this photo */
} idp_readability;

/* Measures the print's luma spread over grey (1 channel). */
void idp_measure_readability(const idp_image *grey, idp_readability *out) IDP_NONNULL(1, 2);

#endif
