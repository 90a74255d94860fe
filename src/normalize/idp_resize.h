/* idp_resize: high-quality downscaling of 8-bit images. */
#ifndef IDP_RESIZE_H
#define IDP_RESIZE_H

#include "idp_image.h"

/* Returns in *out `in` resampled to w x h (both <= in's, neither 0) with an
 * area-averaging (box) filter, exact for integer ratios and correct for any
 * other. Same channel count. in is borrowed; the caller owns *out. */
idp_status idp_resize_down(idp_ctx *ctx, const idp_image *in, uint32_t w, uint32_t h,
                           idp_image **out) IDP_WUR IDP_NONNULL(1, 2, 5);

/* The same, in place: img becomes w x h (both <= its size, neither 0)
 * without a second pixel buffer, and the memory it no longer needs is
 * wiped and given back. Used where the original is not needed afterwards,
 * to keep peak memory at one image. On failure img is unchanged. */
idp_status idp_resize_down_inplace(idp_ctx *ctx, idp_image *img, uint32_t w, uint32_t h) IDP_WUR
    IDP_NONNULL(1, 2);

/* The size that fits max_side on the long side, keeping the aspect ratio,
 * never larger than w x h. */
void idp_fit_size(uint32_t w, uint32_t h, uint32_t max_side, uint32_t *ow, uint32_t *oh)
    IDP_NONNULL(4, 5);

#endif
