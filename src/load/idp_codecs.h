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
    /* The orientation the container itself states, 1..8 (a TIFF's
     * Orientation tag; 1 for a HEIF whose irot/imir libheif applied):
     * it then replaces the EXIF orientation, which must not be applied a
     * second time. 0: use the EXIF orientation. */
    int orientation;
    /* Camera or GPS data the container names outside an EXIF block (a
     * TIFF's Make/Model tags, its GPS IFD). */
    bool has_camera;
    bool has_gps;
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

/* Whether buf starts like a file of that format. */
bool idp_heif_sniff(const uint8_t *buf, size_t len);
bool idp_tiff_sniff(const uint8_t *buf, size_t len);
bool idp_pdf_sniff(const uint8_t *buf, size_t len);

/* HEIC/HEIF (heifload.c): the primary image, with its irot/imir
 * transformations applied by libheif unless no_orient. */
idp_status idp_heif_decode(idp_ctx *ctx, const char *name, const uint8_t *buf, size_t len,
                           bool header_only, bool no_orient, idp_image **out, idp_image_info *info,
                           idp_raw_meta *meta) IDP_WUR;
/* TIFF (tiffload.c): directory `page` (info->pages: how many). */
idp_status idp_tiff_decode(idp_ctx *ctx, const char *name, const uint8_t *buf, size_t len,
                           uint32_t page, bool header_only, idp_image **out, idp_image_info *info,
                           idp_raw_meta *meta) IDP_WUR;
/* PDF (pdfload.c): part `page`: a page, or one of the two documents found
 * on a single page (info->pages: how many parts). */
idp_status idp_pdf_decode(idp_ctx *ctx, const char *name, const uint8_t *buf, size_t len,
                          uint32_t page, bool header_only, idp_image **out, idp_image_info *info,
                          idp_raw_meta *meta) IDP_WUR;

#endif
