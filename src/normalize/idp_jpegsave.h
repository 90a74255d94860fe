/* idp_jpegsave: encoding baseline JPEGs in memory with libjpeg-turbo,
 * with no metadata at all (no EXIF, ICC, XMP, comments: JFIF only). */
#ifndef IDP_JPEGSAVE_H
#define IDP_JPEGSAVE_H

#include "idp_image.h"

#include <stddef.h>
#include <stdint.h>

/* Encodes img (1 or 3 channels) at quality 1..100, 4:2:0 for colour,
 * optimised Huffman tables. The caller owns *jpeg (free()). */
idp_status idp_jpeg_encode(idp_ctx *ctx, const idp_image *img, int quality, uint8_t **jpeg,
                           size_t *len) IDP_WUR IDP_NONNULL(1, 2, 4, 5);

#endif
