/* idp_load: finds the format, runs the codec wrapper, then interprets the
 * metadata it collected (EXIF orientation and flags, ICC profile) and
 * turns the pixels upright. The codecs own all setjmp/longjmp. */
#include "idp_load.h"

#include "idp_codecs.h"
#include "idp_colour.h"
#include "idp_exif.h"
#include "idp_icc.h"
#include "idp_io.h"
#include "idp_orient.h"

#include <stdlib.h>
#include <string.h>

static const uint8_t png_magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

/* HEIF, TIFF, PDF: each codec file knows its own signature. */
static idp_format idp_detect_format_more(const uint8_t *buf, size_t len)
{
    if (idp_heif_sniff(buf, len))
        return IDP_FORMAT_HEIF;
    if (idp_tiff_sniff(buf, len))
        return IDP_FORMAT_TIFF;
    if (idp_pdf_sniff(buf, len))
        return IDP_FORMAT_PDF;
    return IDP_FORMAT_UNKNOWN;
}

idp_format idp_detect_format(const uint8_t *buf, size_t len)
{
    if (buf == NULL)
        return IDP_FORMAT_UNKNOWN;
    if (len >= 3 && buf[0] == 0xff && buf[1] == 0xd8 && buf[2] == 0xff)
        return IDP_FORMAT_JPEG;
    if (len >= sizeof(png_magic) && memcmp(buf, png_magic, sizeof(png_magic)) == 0)
        return IDP_FORMAT_PNG;
    return idp_detect_format_more(buf, len);
}

/* Most of the PNG signature but not all of it: a PNG damaged by a
 * text-mode transfer or a flipped bit, worth a clearer message. */
static bool damaged_png_signature(const uint8_t *buf, size_t len)
{
    size_t i, same = 0;

    if (len < sizeof(png_magic))
        return false;
    for (i = 0; i < sizeof(png_magic); i++)
        if (buf[i] == png_magic[i])
            same++;
    return same >= 5;
}

const char *idp_format_name(idp_format format)
{
    switch (format) {
    case IDP_FORMAT_JPEG:
        return "jpeg";
    case IDP_FORMAT_PNG:
        return "png";
    case IDP_FORMAT_HEIF:
        return "heif";
    case IDP_FORMAT_TIFF:
        return "tiff";
    case IDP_FORMAT_PDF:
        return "pdf";
    case IDP_FORMAT_UNKNOWN:
        break;
    }
    return "unknown";
}

void idp_raw_meta_free(idp_raw_meta *meta)
{
    if (meta == NULL)
        return;
    /* EXIF may hold GPS positions and serial numbers: personal data. */
    idp_free_wiped(meta->exif, meta->exif_len);
    free(meta->icc);
    memset(meta, 0, sizeof(*meta));
}

idp_status idp_check_dimensions(idp_ctx *ctx, const char *name, uint32_t w, uint32_t h)
{
    const idp_limits *lim = idp_ctx_limits(ctx);
    uint64_t pixels = (uint64_t)w * h; /* cannot overflow: both < 2^32 */
    size_t bytes;

    if (w == 0 || h == 0)
        return idp_fail(ctx, IDP_E_CORRUPT, "%s: the header gives an empty image (%ux%u)", name, w,
                        h);
    if (w > lim->max_side || h > lim->max_side)
        return idp_fail(ctx, IDP_E_LIMITS,
                        "%s: image of %ux%u pixels exceeds the limit of %u pixels per side", name,
                        w, h, lim->max_side);
    if (pixels > lim->max_pixels)
        return idp_fail(ctx, IDP_E_LIMITS,
                        "%s: image of %ux%u pixels (%llu) exceeds the limit of %llu pixels", name,
                        w, h, (unsigned long long)pixels, (unsigned long long)lim->max_pixels);
    /* RGBA is the largest buffer a codec asks for. */
    if (pixels > SIZE_MAX / 4 || !idp_mul_size((size_t)pixels, 4, &bytes))
        return idp_fail(ctx, IDP_E_LIMITS, "%s: image of %ux%u pixels is too large", name, w, h);
    return IDP_OK;
}

idp_status idp_check_budget(idp_ctx *ctx, const char *name, const char *what, uint32_t w,
                            uint32_t h, double bytes_per_pixel)
{
    const uint64_t budget = idp_ctx_limits(ctx)->max_decode_bytes;
    const double need = (double)w * h * bytes_per_pixel;

    if (budget == 0 || need <= (double)budget)
        return IDP_OK;
    return idp_fail(ctx, IDP_E_LIMITS,
                    "%s: decoding the %ux%u %s needs %.0f MiB, over the %llu MiB memory budget",
                    name, w, h, what, need / (1u << 20) + 0.5, (unsigned long long)(budget >> 20));
}

/* Decodes (or with header_only just probes) and interprets the metadata. */
static idp_status load_common(idp_ctx *ctx, const char *name, const uint8_t *buf, size_t len,
                              const idp_load_opts *opts, bool header_only, idp_image **out,
                              idp_image_info *info)
{
    static const idp_load_opts defaults = {0};
    const idp_limits *lim = idp_ctx_limits(ctx);
    idp_raw_meta meta = {NULL, 0, NULL, 0, false, 0, NULL, 0, false, false};
    idp_image *img = NULL, *upright = NULL;
    idp_exif_summary exif = {1, false, false};
    idp_status st = IDP_OK;

    if (opts == NULL)
        opts = &defaults;
    memset(info, 0, sizeof(*info));
    info->file_bytes = len;
    info->orientation = 1;
    info->scale_num = 1;
    info->scale_denom = 1;
    info->pages = 1;
    if (out != NULL)
        *out = NULL;

    if (len == 0) {
        st = idp_fail(ctx, IDP_E_CORRUPT, "%s: the file is empty", name);
        goto out;
    }
    if ((uint64_t)len > lim->max_file_bytes) {
        st = idp_fail(ctx, IDP_E_LIMITS, "%s: file of %zu bytes exceeds the %llu byte limit", name,
                      len, (unsigned long long)lim->max_file_bytes);
        goto out;
    }
    meta.may_orient = !opts->no_orient && !header_only;
    info->format = idp_detect_format(buf, len);
    switch (info->format) {
    case IDP_FORMAT_JPEG:
        st = idp_jpeg_decode(ctx, name, buf, len, opts->min_side, header_only,
                             header_only ? NULL : &img, info, &meta);
        break;
    case IDP_FORMAT_PNG:
        st = idp_png_decode(ctx, name, buf, len, header_only, header_only ? NULL : &img, info,
                            &meta);
        break;
    case IDP_FORMAT_HEIF:
        st = idp_heif_decode(ctx, name, buf, len, header_only, opts->no_orient,
                             header_only ? NULL : &img, info, &meta);
        break;
    case IDP_FORMAT_TIFF:
        st = idp_tiff_decode(ctx, name, buf, len, opts->page, header_only,
                             header_only ? NULL : &img, info, &meta);
        break;
    case IDP_FORMAT_PDF:
        st = idp_pdf_decode(ctx, name, buf, len, opts->page, header_only, header_only ? NULL : &img,
                            info, &meta);
        break;
    case IDP_FORMAT_UNKNOWN:
        if (damaged_png_signature(buf, len))
            st = idp_fail(ctx, IDP_E_CORRUPT,
                          "%s: damaged PNG signature (was the file copied in text mode?)", name);
        else
            st = idp_fail(ctx, IDP_E_FORMAT, "%s: not a JPEG, PNG, HEIC, TIFF or PDF file", name);
        break;
    }
    if (st != IDP_OK)
        goto out;
    if (opts->page >= info->pages) {
        st = idp_fail(ctx, IDP_E_USAGE, "%s: there is no page %u (the file has %u)", name,
                      opts->page + 1, info->pages);
        goto out;
    }

    if (meta.exif != NULL) {
        info->has_exif = true;
        idp_exif_summarize(meta.exif, meta.exif_len, &exif);
    }
    if (meta.orientation >= 1 && meta.orientation <= 8)
        exif.orientation = meta.orientation;
    info->orientation = exif.orientation;
    info->has_camera = exif.has_camera || meta.has_camera;
    info->has_gps = exif.has_gps || meta.has_gps;
    info->has_icc = meta.icc != NULL || meta.icc_ignored != NULL;
    info->icc_ignored = meta.icc_ignored;
    if (meta.icc != NULL) {
        size_t use_len;
        const char *why = NULL;
        /* Judged here too for a probe and for PNG; the colour functions
         * judge again before lcms reads it. */
        if (!idp_icc_judge(meta.icc, meta.icc_len, &use_len, &why))
            info->icc_ignored = why;
    }
    idp_orient_size(info->stored_width, info->stored_height, info->orientation, &info->width,
                    &info->height);
    if (header_only)
        goto out;

    if (meta.icc != NULL && !info->icc_converted && info->colour != IDP_SRC_CMYK) {
        bool converted = false;
        const char *ignored = NULL;
        st = idp_colour_to_srgb(ctx, img, meta.icc, meta.icc_len, &converted, &ignored);
        if (st != IDP_OK)
            goto out;
        info->icc_converted = converted;
    }
    if (!opts->no_orient && info->orientation != 1 && meta.oriented != info->orientation) {
        st = idp_orient_apply(ctx, img, info->orientation, &upright);
        if (st != IDP_OK)
            goto out;
        idp_image_destroy(img);
        img = upright;
        upright = NULL;
    }
    *out = img;
    img = NULL;
out:
    idp_image_destroy(img);
    idp_image_destroy(upright);
    idp_raw_meta_free(&meta);
    return st;
}

idp_status idp_load_memory(idp_ctx *ctx, const char *name, const uint8_t *buf, size_t len,
                           const idp_load_opts *opts, idp_image **out, idp_image_info *info)
{
    idp_image_info local;

    return load_common(ctx, name, buf, len, opts, false, out, info != NULL ? info : &local);
}

idp_status idp_probe_memory(idp_ctx *ctx, const char *name, const uint8_t *buf, size_t len,
                            idp_image_info *info)
{
    return load_common(ctx, name, buf, len, NULL, true, NULL, info);
}

idp_status idp_load_file(idp_ctx *ctx, const char *path, const idp_load_opts *opts, idp_image **out,
                         idp_image_info *info)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    idp_status st;

    *out = NULL;
    if (info != NULL)
        memset(info, 0, sizeof(*info));
    st = idp_read_file(ctx, path, 0, &buf, &len);
    if (st == IDP_OK)
        st = idp_load_memory(ctx, path, buf, len, opts, out, info);
    idp_free_wiped(buf, len);
    return st;
}

idp_status idp_count_parts(idp_ctx *ctx, const char *path, uint32_t *parts)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    idp_image_info info;
    idp_status st;

    *parts = 0;
    st = idp_read_file(ctx, path, 0, &buf, &len);
    if (st == IDP_OK)
        st = idp_probe_memory(ctx, path, buf, len, &info);
    if (st == IDP_OK)
        *parts = info.pages;
    idp_free_wiped(buf, len);
    return st;
}
