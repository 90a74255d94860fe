/* idp_normalize: the photo that goes into the package: upright, sRGB,
 * alpha on white, no metadata, long side capped, baseline JPEG under the
 * byte budget. */
#ifndef IDP_NORMALIZE_H
#define IDP_NORMALIZE_H

#include "idp_ctx.h"
#include "idp_detect.h"
#ifdef IDP_INTERNAL
#include "idp_image.h"
#include "idp_load.h"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How to normalise, and what was written: opaque to programs outside the
 * library (made by the _create functions, set and read through the ones
 * below; docs/library.md). */
typedef struct idp_normalize_opts idp_normalize_opts;
typedef struct idp_normalize_result idp_normalize_result;

/* Options with the defaults: long side capped at 2000 px, JPEG quality 88
 * to start from, a budget of 9 000 000 bytes, an existing output kept,
 * the document cropped and straightened. The caller owns *out and frees it
 * with idp_normalize_opts_destroy(); NULL is fine there. */
IDP_API idp_status idp_normalize_opts_create(idp_ctx *ctx, idp_normalize_opts **out) IDP_WUR
    IDP_NONNULL(1, 2);
IDP_API void idp_normalize_opts_destroy(idp_normalize_opts *opts);
/* The long side's cap in pixels (never upscaled), the quality to start
 * from (1..100, lowered until the budget is met), the budget in bytes,
 * whether an existing output is replaced, whether the photo is cropped to
 * the document found and straightened (no document: the whole frame). A
 * cap or budget of 0 or a quality outside 1..100: idp_normalize_file
 * fails with IDP_E_USAGE. */
IDP_API void idp_normalize_opts_set_max_side(idp_normalize_opts *opts, uint32_t max_side)
    IDP_NONNULL(1);
IDP_API void idp_normalize_opts_set_quality(idp_normalize_opts *opts, int quality) IDP_NONNULL(1);
IDP_API void idp_normalize_opts_set_max_bytes(idp_normalize_opts *opts, uint64_t max_bytes)
    IDP_NONNULL(1);
IDP_API void idp_normalize_opts_set_force(idp_normalize_opts *opts, bool force) IDP_NONNULL(1);
IDP_API void idp_normalize_opts_set_crop(idp_normalize_opts *opts, bool crop) IDP_NONNULL(1);
IDP_API bool idp_normalize_opts_crop(const idp_normalize_opts *opts) IDP_NONNULL(1);

/* An empty result for idp_normalize_file. The caller owns *out and frees
 * it with idp_normalize_result_destroy(); NULL is fine there. */
IDP_API idp_status idp_normalize_result_create(idp_ctx *ctx, idp_normalize_result **out) IDP_WUR
    IDP_NONNULL(1, 2);
IDP_API void idp_normalize_result_destroy(idp_normalize_result *res);
/* The JPEG written: its size in pixels, its bytes, the quality used. */
IDP_API void idp_normalize_result_size(const idp_normalize_result *res, uint32_t *width,
                                       uint32_t *height) IDP_NONNULL(1, 2, 3);
IDP_API size_t idp_normalize_result_bytes(const idp_normalize_result *res) IDP_NONNULL(1);
IDP_API int idp_normalize_result_quality(const idp_normalize_result *res) IDP_NONNULL(1);
/* The photo it came from: its stored size, its EXIF orientation (1..8, 1
 * when none), its format ("jpeg", "png", "heif", "tiff", "pdf" or
 * "unknown"; static). */
IDP_API void idp_normalize_result_source(const idp_normalize_result *res, uint32_t *width,
                                         uint32_t *height, int *orientation)
    IDP_NONNULL(1, 2, 3, 4);
IDP_API const char *idp_normalize_result_format(const idp_normalize_result *res) IDP_NONNULL(1);
/* With crop, the document found (idp_detect.h; quad in the source photo's
 * upright pixels; borrowed from res). */
IDP_API const idp_document *idp_normalize_result_document(const idp_normalize_result *res)
    IDP_NONNULL(1);

/* Loads in_path (at the DCT scale the output needs), normalises it and
 * writes out_path atomically, mode 0600, refusing to replace an existing
 * file (IDP_E_EXISTS) unless the options force it. res may be NULL. */
IDP_API idp_status idp_normalize_file(idp_ctx *ctx, const char *in_path, const char *out_path,
                                      const idp_normalize_opts *opts,
                                      idp_normalize_result *res) IDP_WUR IDP_NONNULL(1, 2, 3, 4);

#ifdef IDP_INTERNAL
struct idp_normalize_opts {
    uint32_t max_side;  /* long side cap, default 2000; never upscaled */
    int quality;        /* starting JPEG quality, default 88 */
    uint64_t max_bytes; /* byte budget, default 9 000 000 (Amazon: 10 MB) */
    bool force;         /* replace an existing output */
    bool crop;          /* crop to the detected document and straighten it (default on,
                         * see docs/detection.md); no document: the whole frame */
};

struct idp_normalize_result {
    uint32_t width; /* of the written JPEG */
    uint32_t height;
    size_t bytes;
    int quality; /* quality used */
    idp_image_info source;
    idp_document document; /* opts->crop: what was found, quad in source pixels */
};

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

#endif /* IDP_INTERNAL */

#ifdef __cplusplus
}
#endif

#endif
