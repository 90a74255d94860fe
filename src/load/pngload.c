/* pngload: the libpng wrapper. All setjmp/longjmp for PNG lives here:
 * decode_guarded() sets the jump point; what must be freed lives in a
 * png_job owned by the caller.
 *
 * Output: 8-bit RGB. Palette, low-bit grey and tRNS are expanded, 16-bit
 * samples scaled to 8 (png_set_scale_16: v * 255 / 65535, rounded), grey
 * copied to RGB, alpha composited on white by us. No gamma correction is
 * applied (gAMA is ignored, as browsers' "no colour management" mode and
 * the PngSuite reference data do).
 *
 * Warnings: libpng reports as errors (png_error) everything that loses
 * pixel data: CRC errors in critical chunks, truncated or missing IDAT,
 * zlib errors, bad filters, invalid IHDR. What it reports as warnings or
 * benign errors is about ancillary chunks it then ignores (bad CRC in a
 * text chunk, an unknown sRGB intent, a malformed iCCP, "Extra compressed
 * data" after a complete image); the pixels are complete, so those are
 * accepted. The exception is the user limits: libpng reports a side over
 * the limit as a warning followed by "Invalid IHDR data", which we turn
 * into IDP_E_LIMITS. */
#include "idp_codecs.h"
#include "idp_io.h"

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

/* Ancillary chunks larger than this are skipped by libpng (an iCCP or eXIf
 * from a phone is well under 1 MB). */
#define CHUNK_MALLOC_MAX (8u * 1024u * 1024u)
/* At most this many unknown/text/sPLT chunks are kept. */
#define CHUNK_CACHE_MAX 128u

typedef struct png_job {
    png_structp png;
    png_infop info;
    idp_ctx *ctx;
    const char *name;
    const uint8_t *buf;
    size_t len, pos;
    idp_status status;
    bool over_limit; /* libpng warned that a side exceeds the user limit */
    idp_image *img;  /* owned until handed to the caller */
    uint8_t *rgba;   /* row or whole-image buffer before compositing */
    size_t rgba_len;
    png_bytep *rows; /* row pointers for png_read_image */
} png_job;

static void on_error(png_structp png, png_const_charp msg)
{
    png_job *job = png_get_error_ptr(png);

    if (job->over_limit)
        job->status = idp_fail(job->ctx, IDP_E_LIMITS,
                               "%s: the PNG is larger than the limit of %u pixels per side",
                               job->name, idp_ctx_limits(job->ctx)->max_side);
    else if (strstr(msg, "memory") != NULL)
        job->status =
            idp_fail(job->ctx, IDP_E_NOMEM, "%s: out of memory decoding the PNG", job->name);
    else
        job->status = idp_fail(job->ctx, IDP_E_CORRUPT, "%s: corrupt PNG: %s", job->name, msg);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
    png_job *job = png_get_error_ptr(png);

    if (strstr(msg, "exceeds user limit") != NULL)
        job->over_limit = true;
}

static void on_read(png_structp png, png_bytep data, size_t n)
{
    png_job *job = png_get_io_ptr(png);

    if (n > job->len - job->pos)
        png_error(png, "the file is truncated");
    memcpy(data, job->buf + job->pos, n);
    job->pos += n;
}

static void describe(png_job *job, idp_image_info *info)
{
    png_structp png = job->png;
    png_infop pi = job->info;
    int ct = png_get_color_type(png, pi);

    info->stored_width = png_get_image_width(png, pi);
    info->stored_height = png_get_image_height(png, pi);
    info->bit_depth = png_get_bit_depth(png, pi);
    info->progressive = png_get_interlace_type(png, pi) != PNG_INTERLACE_NONE;
    switch (ct) {
    case PNG_COLOR_TYPE_GRAY:
        info->colour = IDP_SRC_GREY;
        break;
    case PNG_COLOR_TYPE_GRAY_ALPHA:
        info->colour = IDP_SRC_GREY_ALPHA;
        break;
    case PNG_COLOR_TYPE_PALETTE:
        info->colour = IDP_SRC_PALETTE;
        break;
    case PNG_COLOR_TYPE_RGB_ALPHA:
        info->colour = IDP_SRC_RGB_ALPHA;
        break;
    default:
        info->colour = IDP_SRC_RGB;
        break;
    }
    info->has_alpha = (ct & PNG_COLOR_MASK_ALPHA) != 0 || png_get_valid(png, pi, PNG_INFO_tRNS);
}

static idp_status collect_meta(png_job *job, idp_raw_meta *meta)
{
    png_charp icc_name;
    int compression;
    png_bytep icc = NULL, exif = NULL;
    png_uint_32 icc_len = 0, exif_len = 0;

    if (meta->icc == NULL &&
        png_get_iCCP(job->png, job->info, &icc_name, &compression, &icc, &icc_len) != 0 &&
        icc != NULL && icc_len > 0) {
        meta->icc = malloc(icc_len);
        if (meta->icc == NULL)
            return idp_fail(job->ctx, IDP_E_NOMEM, "%s: out of memory", job->name);
        memcpy(meta->icc, icc, icc_len);
        meta->icc_len = icc_len;
    }
    if (meta->exif == NULL && png_get_eXIf_1(job->png, job->info, &exif_len, &exif) != 0 &&
        exif != NULL && exif_len > 0) {
        meta->exif = malloc(exif_len);
        if (meta->exif == NULL)
            return idp_fail(job->ctx, IDP_E_NOMEM, "%s: out of memory", job->name);
        memcpy(meta->exif, exif, exif_len);
        meta->exif_len = exif_len;
    }
    return IDP_OK;
}

/* out = (v*a + 255*(255-a) + 127) / 255: straight alpha over white. */
static void composite_row(const uint8_t *rgba, uint8_t *rgb, uint32_t n)
{
    uint32_t i;

    for (i = 0; i < n; i++, rgba += 4, rgb += 3) {
        unsigned a = rgba[3], w = 255u * (255u - a) + 127u;
        rgb[0] = (uint8_t)((rgba[0] * a + w) / 255u);
        rgb[1] = (uint8_t)((rgba[1] * a + w) / 255u);
        rgb[2] = (uint8_t)((rgba[2] * a + w) / 255u);
    }
}

static idp_status read_pixels(png_job *job, bool alpha, bool interlaced)
{
    idp_image *img = job->img;
    size_t stride = idp_image_stride(img), rgba_stride, rows_bytes;
    uint32_t y, w = img->width, h = img->height;

    if (!alpha) {
        /* RGB: libpng writes straight into the image rows. */
        if (!idp_mul_size(h, sizeof(png_bytep), &rows_bytes))
            return idp_fail(job->ctx, IDP_E_LIMITS, "%s: image too large", job->name);
        job->rows = malloc(rows_bytes);
        if (job->rows == NULL)
            return idp_fail(job->ctx, IDP_E_NOMEM, "%s: out of memory", job->name);
        for (y = 0; y < h; y++)
            job->rows[y] = img->data + (size_t)y * stride;
        png_read_image(job->png, job->rows);
        return IDP_OK;
    }
    rgba_stride = (size_t)w * 4; /* checked by idp_check_dimensions */
    if (!interlaced) {
        /* One RGBA row at a time, composited into the image. */
        job->rgba_len = rgba_stride;
        job->rgba = malloc(job->rgba_len);
        if (job->rgba == NULL)
            return idp_fail(job->ctx, IDP_E_NOMEM, "%s: out of memory", job->name);
        for (y = 0; y < h; y++) {
            png_read_row(job->png, job->rgba, NULL);
            composite_row(job->rgba, img->data + (size_t)y * stride, w);
        }
        return IDP_OK;
    }
    /* Adam7 with alpha: the passes need the whole RGBA image. */
    if (!idp_mul_size(rgba_stride, h, &job->rgba_len) ||
        !idp_mul_size(h, sizeof(png_bytep), &rows_bytes))
        return idp_fail(job->ctx, IDP_E_LIMITS, "%s: image too large", job->name);
    job->rgba = malloc(job->rgba_len);
    job->rows = malloc(rows_bytes);
    if (job->rgba == NULL || job->rows == NULL)
        return idp_fail(job->ctx, IDP_E_NOMEM, "%s: out of memory", job->name);
    for (y = 0; y < h; y++)
        job->rows[y] = job->rgba + (size_t)y * rgba_stride;
    png_read_image(job->png, job->rows);
    for (y = 0; y < h; y++)
        composite_row(job->rows[y], img->data + (size_t)y * stride, w);
    return IDP_OK;
}

/* The whole file is in memory: a chunk that declares more bytes than are
 * left is truncation, refused before libpng sees its length (libpng
 * allocates some chunks, eXIf among them, at their declared size before
 * reading them: a 300-byte file could make it allocate 2 GB). Walks the
 * chunks up to IEND, or up to the first IDAT when only the header is
 * read. The signature is left to libpng. */
static idp_status check_chunk_lengths(png_job *job, bool header_only)
{
    size_t pos = 8;

    while (job->len >= 8 && job->len - pos >= 8) {
        png_uint_32 n = png_get_uint_32(job->buf + pos);
        const uint8_t *type = job->buf + pos + 4;
        size_t left = job->len - pos - 8;

        if (header_only && memcmp(type, "IDAT", 4) == 0)
            break;
        if (n > PNG_UINT_31_MAX || (size_t)n > left || left - n < 4)
            return idp_fail(job->ctx, IDP_E_CORRUPT,
                            "%s: corrupt PNG: the file is truncated (a chunk declares %lu bytes, "
                            "%zu are left)",
                            job->name, (unsigned long)n, left);
        if (memcmp(type, "IEND", 4) == 0)
            break;
        pos += (size_t)n + 12;
    }
    return IDP_OK;
}

/* The memory the decode takes, from the header, against the budget
 * (idp_limits.max_decode_bytes): the RGB image (palette, 1-bit and grey
 * are expanded to it: 3 bytes a pixel whatever the file stores), the
 * whole RGBA image an interlaced file with alpha needs for its passes,
 * the row pointers and two rows at 16 bits. PNG has no reduced-scale
 * decoding: over the budget is a refusal. */
static idp_status check_budget(png_job *job, const idp_image_info *info)
{
    uint64_t budget = idp_ctx_limits(job->ctx)->max_decode_bytes;
    uint64_t w = info->stored_width, h = info->stored_height, need;

    if (budget == 0)
        return IDP_OK;
    need = w * h * 3 + h * sizeof(png_bytep) + 2 * w * 8;
    if (info->has_alpha && info->progressive)
        need += w * h * 4;
    if (need <= budget)
        return IDP_OK;
    return idp_fail(job->ctx, IDP_E_LIMITS,
                    "%s: decoding the %ux%u %sPNG needs %llu MiB, over the %llu MiB memory budget",
                    job->name, info->stored_width, info->stored_height,
                    info->has_alpha && info->progressive ? "interlaced " : "",
                    (unsigned long long)((need + (1u << 20) - 1) >> 20),
                    (unsigned long long)(budget >> 20));
}

static idp_status decode_guarded(png_job *job, bool header_only, idp_image_info *info,
                                 idp_raw_meta *meta)
{
    const idp_limits *lim = idp_ctx_limits(job->ctx);
    png_structp png = job->png;
    png_infop pi = job->info;
    idp_status st;
    int ct, depth;
    bool alpha, interlaced;

    if (setjmp(png_jmpbuf(png)))
        return job->status != IDP_OK ? job->status : IDP_E_INTERNAL;

    png_set_user_limits(png, lim->max_side, lim->max_side);
    png_set_chunk_cache_max(png, CHUNK_CACHE_MAX);
    png_set_chunk_malloc_max(png, CHUNK_MALLOC_MAX);
    png_set_read_fn(png, job, on_read);
    /* IHDR is always the first chunk, at a fixed place: refuse a size bomb
     * from it at once, before libpng reads (and buffers) the chunks that
     * follow up to the first IDAT. libpng checks its CRC right after. */
    if (job->len >= 24 && memcmp(job->buf + 12, "IHDR", 4) == 0) {
        info->stored_width = png_get_uint_32(job->buf + 16);
        info->stored_height = png_get_uint_32(job->buf + 20);
        st = idp_check_dimensions(job->ctx, job->name, info->stored_width, info->stored_height);
        if (st != IDP_OK)
            return st;
    }
    st = check_chunk_lengths(job, header_only);
    if (st != IDP_OK)
        return st;
    png_read_info(png, pi);
    describe(job, info);
    st = idp_check_dimensions(job->ctx, job->name, info->stored_width, info->stored_height);
    if (st != IDP_OK)
        return st;
    st = collect_meta(job, meta);
    if (st != IDP_OK || header_only)
        return st;

    ct = png_get_color_type(png, pi);
    depth = png_get_bit_depth(png, pi);
    interlaced = info->progressive;
    st = check_budget(job, info);
    if (st != IDP_OK)
        return st;
    if (ct == PNG_COLOR_TYPE_PALETTE)
        png_set_palette_to_rgb(png);
    if ((ct & PNG_COLOR_MASK_COLOR) == 0 && depth < 8)
        png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_valid(png, pi, PNG_INFO_tRNS))
        png_set_tRNS_to_alpha(png);
    if (depth == 16)
        png_set_scale_16(png);
    if ((ct & PNG_COLOR_MASK_COLOR) == 0)
        png_set_gray_to_rgb(png);
    if (interlaced)
        (void)png_set_interlace_handling(png);
    png_read_update_info(png, pi);

    alpha = png_get_channels(png, pi) == 4;
    if (png_get_bit_depth(png, pi) != 8 || png_get_channels(png, pi) != (alpha ? 4 : 3) ||
        png_get_rowbytes(png, pi) != (size_t)info->stored_width * (alpha ? 4u : 3u))
        return idp_fail(job->ctx, IDP_E_INTERNAL, "%s: unexpected PNG row layout", job->name);
    st = idp_image_create(job->ctx, info->stored_width, info->stored_height, 3, &job->img);
    if (st != IDP_OK)
        return st;
    st = read_pixels(job, alpha, interlaced);
    if (st != IDP_OK)
        return st;
    /* Reads to IEND: a file cut after the image data is still truncated,
     * and an eXIf after IDAT is found here. */
    png_read_end(png, pi);
    return collect_meta(job, meta);
}

idp_status idp_png_decode(idp_ctx *ctx, const char *name, const uint8_t *buf, size_t len,
                          bool header_only, idp_image **out, idp_image_info *info,
                          idp_raw_meta *meta)
{
    png_job *job;
    idp_status st;

    if (out != NULL)
        *out = NULL;
    if (!header_only && out == NULL)
        return idp_fail(ctx, IDP_E_USAGE, "%s: no output image", name);
    job = calloc(1, sizeof(*job));
    if (job == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", name);
    job->ctx = ctx;
    job->name = name;
    job->buf = buf;
    job->len = len;
    job->status = IDP_OK;
    job->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, job, on_error, on_warning);
    if (job->png != NULL)
        job->info = png_create_info_struct(job->png);
    if (job->png == NULL || job->info == NULL)
        st = idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", name);
    else
        st = decode_guarded(job, header_only, info, meta);
    if (st == IDP_OK && !header_only) {
        *out = job->img;
        job->img = NULL;
    }
    if (job->png != NULL)
        png_destroy_read_struct(&job->png, job->info != NULL ? &job->info : NULL, NULL);
    idp_image_destroy(job->img);
    idp_free_wiped(job->rgba, job->rgba_len);
    free(job->rows);
    free(job);
    if (st != IDP_OK)
        idp_raw_meta_free(meta);
    return st;
}
