/* idp_normalize: the photo that goes into the package: upright, sRGB,
 * alpha on white, no metadata, long side capped, baseline JPEG under the
 * byte budget. */
#ifndef IDP_NORMALIZE_H
#define IDP_NORMALIZE_H

#include "idp_detect.h"
#include "idp_image.h"
#include "idp_load.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct idp_normalize_opts {
    uint32_t max_side;  /* long side cap, default 2000; never upscaled */
    int quality;        /* starting JPEG quality, default 88 */
    uint64_t max_bytes; /* byte budget, default 9 000 000 (Amazon: 10 MB) */
    bool force;         /* replace an existing output */
    bool crop;          /* crop to the detected document and straighten it (default on,
                         * see docs/detection.md); no document: the whole frame */
} idp_normalize_opts;

typedef struct idp_normalize_result {
    uint32_t width; /* of the written JPEG */
    uint32_t height;
    size_t bytes;
    int quality; /* quality used */
    idp_image_info source;
    idp_document document; /* opts->crop: what was found, quad in source pixels */
} idp_normalize_result;

void idp_normalize_opts_default(idp_normalize_opts *opts) IDP_NONNULL(1);

/* Encodes an upright RGB image: resizes to fit max_side, then picks the
 * highest quality <= opts->quality that fits max_bytes (lowering quality,
 * then the size, if needed). The caller owns *jpeg (free()). */
idp_status idp_normalize_image(idp_ctx *ctx, const idp_image *img, const idp_normalize_opts *opts,
                               uint8_t **jpeg, size_t *len, idp_normalize_result *res) IDP_WUR
    IDP_NONNULL(1, 2, 3, 4, 5);

/* The margin of surface kept around a cropped document, as a share of its
 * short side (3 %: 1.6 mm around an ID-1 card, 2.6 mm around a passport
 * page), so its edges and rounded corners show whole. */
#define IDP_CROP_MARGIN 0.03

/* Replaces *img by the document doc found in it (quad in *img's pixels),
 * straightened to its true aspect with bilinear sampling, as many pixels
 * along its long side as its longer long edge has in *img; portrait (taller
 * than wide) when doc->portrait; with a margin of IDP_CROP_MARGIN of the
 * short side on every side (less, down to none, where the photo ends
 * sooner). doc->found false, or a corner outside *img (the document is cut
 * off): *img is left as it is. */
idp_status idp_crop_document(idp_ctx *ctx, idp_image **img, const idp_document *doc) IDP_WUR
    IDP_NONNULL(1, 2, 3);

/* The same; *doc_share (if not NULL) is the document's width over the
 * result's (1 without a margin or crop): its true width divided by it is
 * the result's true width. */
idp_status idp_crop_document_margin(idp_ctx *ctx, idp_image **img, const idp_document *doc,
                                    double *doc_share) IDP_WUR IDP_NONNULL(1, 2, 3);

/* Loads in_path (at the DCT scale the output needs), normalises it and
 * writes out_path atomically, mode 0600, refusing to replace an existing
 * file unless opts->force. res may be NULL. */
idp_status idp_normalize_file(idp_ctx *ctx, const char *in_path, const char *out_path,
                              const idp_normalize_opts *opts, idp_normalize_result *res) IDP_WUR
    IDP_NONNULL(1, 2, 3, 4);

#endif
