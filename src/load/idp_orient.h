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

/* Where upright pixel (ox, oy) of an image stored w x h under orientation
 * o comes from (the inverse of idp_orient_apply's mapping). Inline: the
 * loops that turn or sample whole images call it per pixel. */
static inline void idp_orient_source(int o, uint32_t w, uint32_t h, uint32_t ox, uint32_t oy,
                                     uint32_t *sx, uint32_t *sy)
{
    switch (o) {
    case 2:
        *sx = w - 1 - ox;
        *sy = oy;
        break;
    case 3:
        *sx = w - 1 - ox;
        *sy = h - 1 - oy;
        break;
    case 4:
        *sx = ox;
        *sy = h - 1 - oy;
        break;
    case 5:
        *sx = oy;
        *sy = ox;
        break;
    case 6:
        *sx = oy;
        *sy = h - 1 - ox;
        break;
    case 7:
        *sx = w - 1 - oy;
        *sy = h - 1 - ox;
        break;
    case 8:
        *sx = w - 1 - oy;
        *sy = ox;
        break;
    default:
        *sx = ox;
        *sy = oy;
        break;
    }
}

#endif
