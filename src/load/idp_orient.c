/* idp_orient: the eight EXIF orientations as pixel transforms.
 *
 * For each output pixel (ox, oy) of the upright image the source pixel
 * (sx, sy) of the stored w x h image is (TIFF/EXIF 2.3, tag 0x0112):
 *   1: ( ox,       oy      )     5: ( oy,       ox      )  transpose
 *   2: ( w-1-ox,   oy      )     6: ( oy,       h-1-ox  )  rotate 90 cw
 *   3: ( w-1-ox,   h-1-oy  )     7: ( w-1-oy,   h-1-ox  )  transverse
 *   4: ( ox,       h-1-oy  )     8: ( w-1-oy,   ox      )  rotate 90 ccw
 * Orientations 5-8 swap width and height. */
#include "idp_orient.h"

#include <stdbool.h>
#include <string.h>

#define TILE 64u /* keeps both source rows and output rows in cache for 5-8 */

void idp_orient_size(uint32_t w, uint32_t h, int orientation, uint32_t *ow, uint32_t *oh)
{
    bool swap = orientation >= 5 && orientation <= 8;

    *ow = swap ? h : w;
    *oh = swap ? w : h;
}

/* Orientations 1-4 keep rows as rows: copy or mirror whole rows. */
static void flip_rows(const idp_image *in, int o, idp_image *out)
{
    size_t stride = idp_image_stride(in), c = in->channels;
    uint32_t y, x;

    for (y = 0; y < in->height; y++) {
        uint32_t sy = (o == 3 || o == 4) ? in->height - 1 - y : y;
        const uint8_t *src = in->data + (size_t)sy * stride;
        uint8_t *dst = out->data + (size_t)y * stride;

        if (o == 1 || o == 4) {
            memcpy(dst, src, stride);
            continue;
        }
        for (x = 0; x < in->width; x++)
            memcpy(dst + (size_t)x * c, src + (size_t)(in->width - 1 - x) * c, c);
    }
}

/* Orientations 5-8: a transpose in cache-sized tiles. */
static void transpose_tiles(const idp_image *in, int o, idp_image *out)
{
    size_t in_stride = idp_image_stride(in), out_stride = idp_image_stride(out);
    size_t c = in->channels;
    uint32_t tx, ty, ox, oy, sx, sy;

    for (ty = 0; ty < out->height; ty += TILE) {
        uint32_t ty_end = out->height - ty < TILE ? out->height : ty + TILE;
        for (tx = 0; tx < out->width; tx += TILE) {
            uint32_t tx_end = out->width - tx < TILE ? out->width : tx + TILE;
            for (oy = ty; oy < ty_end; oy++) {
                uint8_t *dst = out->data + (size_t)oy * out_stride;
                for (ox = tx; ox < tx_end; ox++) {
                    idp_orient_source(o, in->width, in->height, ox, oy, &sx, &sy);
                    memcpy(dst + (size_t)ox * c, in->data + (size_t)sy * in_stride + sx * c, c);
                }
            }
        }
    }
}

idp_status idp_orient_apply(idp_ctx *ctx, const idp_image *in, int orientation, idp_image **out)
{
    idp_image *img = NULL;
    uint32_t ow, oh;
    idp_status st;

    *out = NULL;
    if (orientation < 1 || orientation > 8)
        orientation = 1;
    if (in->data == NULL || (in->channels != 1 && in->channels != 3))
        return idp_fail(ctx, IDP_E_USAGE, "cannot orient an image of %u channels", in->channels);
    idp_orient_size(in->width, in->height, orientation, &ow, &oh);
    st = idp_image_create(ctx, ow, oh, in->channels, &img);
    if (st != IDP_OK)
        return st;
    if (orientation <= 4)
        flip_rows(in, orientation, img);
    else
        transpose_tiles(in, orientation, img);
    *out = img;
    return IDP_OK;
}
