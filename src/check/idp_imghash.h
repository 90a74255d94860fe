/* idp_imghash: the perceptual hash behind the duplicate check, of the
 * straightened document (or of the whole frame when no document was
 * found). Pure functions of a grey image and a quad, no policy. */
#ifndef IDP_IMGHASH_H
#define IDP_IMGHASH_H

#include "idp_image.h"

#include <stdint.h>

/* Bits in a hash: the signs of the 16 x 16 lowest 2-D DCT frequencies of
 * a 32 x 32 area average, but the mean (the DC term, exposure only). */
#define IDP_HASH_BITS 255u

typedef struct idp_hash256 {
    uint64_t w[4]; /* bit v * 16 + u - 1: sign of frequency (u across, v down) */
} idp_hash256;

/* The hash of the part of grey inside quad (TL, TR, BR, BL in grey's
 * pixels), straightened: the quad is warped to a square, area-averaged to
 * 32 x 32, and its DCT's signs kept. A portrait quad (TL->TR the short
 * side) is first turned a quarter clockwise (TL <- BL), so every document
 * is hashed lying landscape, long side across, however the quad was
 * ordered; which of its two landscape ways up is left to
 * idp_hash_distance. Fails only when memory runs out. */
idp_status idp_hash_quad(idp_ctx *ctx, const idp_image *grey, const double quad[4][2],
                         idp_hash256 *out) IDP_WUR IDP_NONNULL(1, 2, 3, 4);

/* idp_hash_quad of the whole of grey. */
idp_status idp_hash_frame(idp_ctx *ctx, const idp_image *grey, idp_hash256 *out) IDP_WUR
    IDP_NONNULL(1, 2, 3);

/* Bits that differ between a and b, the lesser of a against b as it is
 * and against b turned half a turn (a 180-degree turn flips the sign of
 * every frequency with u + v odd, so no pixel is needed): the same side of
 * a document read upside down in one photo is still the same side.
 * 0..IDP_HASH_BITS. */
unsigned idp_hash_distance(const idp_hash256 *a, const idp_hash256 *b) IDP_NONNULL(1, 2);

#endif
