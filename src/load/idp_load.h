/* idp_load: decoding photos (JPEG, PNG, HEIF, TIFF, PDF) into upright 8-bit sRGB pixels.
 *
 * The format is found from the content, never the file name. Limits (file
 * size, pixels, side) are checked from the header before any pixel memory
 * is allocated. Truncated or corrupt data is an error, never a warning. */
#ifndef IDP_LOAD_H
#define IDP_LOAD_H

#include "idp_ctx.h"
#include "idp_image.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum idp_format {
    IDP_FORMAT_UNKNOWN = 0,
    IDP_FORMAT_JPEG,
    IDP_FORMAT_PNG,
    IDP_FORMAT_HEIF, /* HEIC/HEIF (iPhones), through libheif */
    IDP_FORMAT_TIFF, /* scanners, through libtiff */
    IDP_FORMAT_PDF   /* scanner apps, through poppler */
} idp_format;

/* The colour model stored in the file. */
typedef enum idp_source_colour {
    IDP_SRC_GREY = 0,
    IDP_SRC_GREY_ALPHA,
    IDP_SRC_RGB,
    IDP_SRC_RGB_ALPHA,
    IDP_SRC_PALETTE,
    IDP_SRC_CMYK, /* includes YCCK and Adobe inverted CMYK */
} idp_source_colour;

typedef struct idp_load_opts {
    /* 0: decode at full size. Otherwise the decoder may reduce the scale
     * (JPEG DCT scaling) as long as the long side of the decoded image
     * stays >= min_side. The result is never resampled by the loader. */
    uint32_t min_side;
    /* Apply the EXIF orientation so the pixels are upright (default on). */
    bool no_orient;
    /* Which part of a file that holds several (0 = the first): a page of
     * a multi-page TIFF or PDF, or one of the two documents found on a
     * single scanned PDF page. info->pages says how many there are. */
    uint32_t page;
} idp_load_opts;

typedef struct idp_image_info {
    idp_format format;
    uint64_t file_bytes;
    uint32_t stored_width; /* as in the file header */
    uint32_t stored_height;
    uint32_t width; /* full-resolution size once upright (swapped for 5-8) */
    uint32_t height;
    int orientation; /* EXIF orientation 1..8 found (1 when absent/invalid) */
    int bit_depth;   /* bits per sample in the file (8, 12, 16, 1, 2, 4) */
    idp_source_colour colour;
    bool has_alpha;     /* alpha channel or tRNS: composited on white */
    bool progressive;   /* JPEG progressive, or PNG Adam7 interlaced */
    bool arithmetic;    /* JPEG arithmetic coding */
    bool has_exif;      /* an EXIF block was present */
    bool has_camera;    /* EXIF names a camera (Make or Model) or exposure */
    bool has_gps;       /* EXIF carries GPS tags */
    bool has_icc;       /* an embedded ICC profile was present */
    bool icc_converted; /* pixels were converted from it to sRGB */
    uint32_t scale_num; /* DCT scaling used: decoded = stored * num / denom */
    uint32_t scale_denom;
    /* The embedded ICC profile was ignored (sRGB assumed, or the plain
     * CMYK formula) because it is over the bounds idpack judges before
     * Little CMS reads it: a static English phrase saying why ("it has
     * multi-process elements, ..."), NULL otherwise (idp_icc.h). */
    const char *icc_ignored;
    uint32_t pages; /* parts the file holds (see idp_load_opts.page); 1 for JPEG, PNG, HEIF */
    uint32_t page;  /* the part loaded */
} idp_image_info;

/* Which format the bytes hold (magic numbers only). */
idp_format idp_detect_format(const uint8_t *buf, size_t len);
const char *idp_format_name(idp_format format);

/* Loads the photo at path: reads it (size limit first), decodes, converts
 * to 8-bit sRGB RGB (3 channels; alpha composited on white; an embedded ICC
 * profile converted; CMYK converted), applies the EXIF orientation. opts may
 * be NULL for the defaults. On success the caller owns *out (free with
 * idp_image_destroy); info (may be NULL) is filled on success and as far as
 * known on failure. Errors name path. */
idp_status idp_load_file(idp_ctx *ctx, const char *path, const idp_load_opts *opts, idp_image **out,
                         idp_image_info *info) IDP_WUR IDP_NONNULL(1, 2, 4);

/* The same from memory; name is used in messages. buf is borrowed. */
idp_status idp_load_memory(idp_ctx *ctx, const char *name, const uint8_t *buf, size_t len,
                           const idp_load_opts *opts, idp_image **out, idp_image_info *info) IDP_WUR
    IDP_NONNULL(1, 2, 3, 6);

/* Reads only the header and metadata: fills info (sizes, orientation,
 * EXIF flags) and checks the limits, without decoding pixels. */
idp_status idp_probe_memory(idp_ctx *ctx, const char *name, const uint8_t *buf, size_t len,
                            idp_image_info *info) IDP_WUR IDP_NONNULL(1, 2, 3, 5);

/* How many parts (pages, or documents on one scanned page) the photo file
 * at path holds: 1 for JPEG, PNG and HEIF. Reads only headers, except for
 * a one-page PDF, which is rendered to look for two documents on it. */
idp_status idp_count_parts(idp_ctx *ctx, const char *path, uint32_t *parts) IDP_WUR
    IDP_NONNULL(1, 2, 3);

/* Checks a header size against the ctx limits; used by the codecs. */
idp_status idp_check_dimensions(idp_ctx *ctx, const char *name, uint32_t w, uint32_t h) IDP_WUR
    IDP_NONNULL(1, 2);

/* Whether decoding a w x h image of kind `what` ("HEIF image", ...) at
 * bytes_per_pixel (its decoder's buffers and the RGB output together) fits
 * the memory budget (idp_limits.max_decode_bytes); IDP_E_LIMITS saying so
 * otherwise. For the decoders that cannot read at a reduced scale. */
idp_status idp_check_budget(idp_ctx *ctx, const char *name, const char *what, uint32_t w,
                            uint32_t h, double bytes_per_pixel) IDP_WUR;

#endif
