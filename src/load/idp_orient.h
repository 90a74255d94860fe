/* idp_orient: turning pixels upright according to EXIF orientation. */
#ifndef IDP_ORIENT_H
#define IDP_ORIENT_H

#include "idp_image.h"

/* Returns in *out a new image equal to `in` transformed as EXIF
 * orientation `orientation` (1..8) requires for upright display; for 1 (or
 * anything outside 2..8) *out is a copy. in is borrowed; the caller owns *out. */
idp_status idp_orient_apply(idp_ctx *ctx, const idp_image *in, int orientation,
                            idp_image **out) IDP_WUR IDP_NONNULL(1, 2, 4);

/* The upright size for a stored size and orientation. */
void idp_orient_size(uint32_t w, uint32_t h, int orientation, uint32_t *ow, uint32_t *oh)
    IDP_NONNULL(4, 5);

#endif
