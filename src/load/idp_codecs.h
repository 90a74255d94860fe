/* Internal: the codec glue behind idp_load. Each wrapper keeps its
 * setjmp/longjmp inside its own file. Both produce 8-bit RGB in stored
 * orientation (not yet rotated; unless meta->may_orient, see below), alpha
 * composited on white, and collect the raw EXIF and ICC blocks for
 * idp_load to interpret. */
#ifndef IDP_CODECS_H
#define IDP_CODECS_H

#include "idp_load.h"

typedef struct idp_raw_meta {
    uint8_t *exif; /* raw TIFF/EXIF block ("Exif\0\0" header stripped) */
    size_t exif_len;
    uint8_t *icc; /* ICC profile bytes */
    size_t icc_len;
    /* in: the codec may turn the pixels upright itself while decoding
     * (saves a second full-size buffer); out: the EXIF orientation it
     * applied, 0 if the pixels are in stored orientation. */
    bool may_orient;
    int oriented;
    /* Why an embedded profile was dropped while reading (static English
     * text), NULL if none was. */
    const char *icc_ignored;
} idp_raw_meta;

void idp_raw_meta_free(idp_raw_meta *meta);

/* header_only: fill info and meta, check limits, decode nothing.
 * *out is set only when !header_only. min_side as in idp_load_opts.
 * For CMYK JPEGs the wrapper converts to RGB itself, using meta->icc when
 * it is a CMYK profile (then info->icc_converted is set). */
idp_status idp_jpeg_decode(idp_ctx *ctx, const char *name, const uint8_t *buf, size_t len,
                           uint32_t min_side, bool header_only, idp_image **out,
                           idp_image_info *info, idp_raw_meta *meta) IDP_WUR;
idp_status idp_png_decode(idp_ctx *ctx, const char *name, const uint8_t *buf, size_t len,
                          bool header_only, idp_image **out, idp_image_info *info,
                          idp_raw_meta *meta) IDP_WUR;

#endif
