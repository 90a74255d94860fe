/* idp_image: an 8-bit pixel buffer, rows packed without padding. */
#ifndef IDP_IMAGE_H
#define IDP_IMAGE_H

#include "idp_ctx.h"
#include "idp_wipe.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct idp_image {
    uint32_t width;
    uint32_t height;
    uint32_t channels; /* 1 (grey) or 3 (RGB); loaders always give 3 */
    uint8_t *data;     /* width * channels bytes per row, height rows */
} idp_image;

/* Allocates a w x h image of `channels` channels, contents zero. The size
 * is checked for overflow and against the ctx limits (pixels, side) before
 * allocating. The caller owns *out and frees it with idp_image_destroy(). */
idp_status idp_image_create(idp_ctx *ctx, uint32_t w, uint32_t h, uint32_t channels,
                            idp_image **out) IDP_WUR IDP_NONNULL(1, 5);

/* Bytes in one row (width * channels). */
size_t idp_image_stride(const idp_image *img) IDP_NONNULL(1);

/* malloc() for large buffers: from 2 MiB up, aligned, rounded up to whole
 * 2 MiB pages and marked for transparent huge pages (page faults on fresh
 * memory cost more than the decoding in a VM). zero: contents zeroed.
 * Free with free(). */
void *idp_large_alloc(size_t n, bool zero);

/* Wipes the pixels (ID photos are personal data) and frees; NULL is fine. */
void idp_image_destroy(idp_image *img);

#endif
