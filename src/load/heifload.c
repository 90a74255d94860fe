/* heifload: the libheif wrapper (HEIC from iPhones, and HEIF/AVIF).
 *
 * The primary image is decoded to 8-bit RGB (10- and 12-bit images are
 * reduced by libheif), alpha composited on white. libheif applies the
 * file's irot/imir/clap transformations itself, so the size reported is
 * the displayed one and the EXIF orientation, which an iPhone also writes,
 * is never applied a second time (meta->orientation = 1). The colour
 * profile goes to idp_load's colour path: an ICC profile as it is, an nclx
 * description (primaries, transfer) as an ICC profile built by Little CMS.
 *
 * Limits: the header's size (ispe, and the size once transformed) is
 * checked against the ctx limits before anything is decoded, and libheif's
 * own size limit is set to the side limit. */
#include "idp_codecs.h"
#include "idp_io.h"

#include <libheif/heif.h>
#include <lcms2.h>
#include <stdlib.h>
#include <string.h>

/* An EXIF block larger than this is ignored (a phone writes ~ 2-60 KB). */
#define MAX_EXIF_BYTES (1u << 20)

bool idp_heif_sniff(const uint8_t *buf, size_t len)
{
    if (buf == NULL || len < 12 || memcmp(buf + 4, "ftyp", 4) != 0)
        return false;
    return heif_check_filetype(buf, len > 64 ? 64 : (int)len) != heif_filetype_no;
}

static idp_status heif_failed(idp_ctx *ctx, const char *name, struct heif_error err)
{
    const char *msg = err.message != NULL ? err.message : "unknown error";
    int n = (int)strnlen(msg, 512);

    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        n--; /* libheif ends some messages with a line break */
    /* libheif reports its size limit as a failed allocation. */
    if (err.subcode == heif_suberror_Security_limit_exceeded)
        return idp_fail(ctx, IDP_E_LIMITS, "%s: the HEIF image exceeds the limits: %.*s", name, n,
                        msg);
    if (err.code == heif_error_Memory_allocation_error)
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory decoding the HEIF image", name);
    if (err.code == heif_error_Unsupported_feature || err.code == heif_error_Unsupported_filetype)
        return idp_fail(ctx, IDP_E_FORMAT, "%s: unsupported HEIF image: %.*s", name, n, msg);
    return idp_fail(ctx, IDP_E_CORRUPT, "%s: corrupt HEIF image: %.*s", name, n, msg);
}

/* The EXIF block of the image: 4 bytes giving the offset of the TIFF
 * header, then the block (some writers keep "Exif\0\0" in front). */
static idp_status collect_exif(idp_ctx *ctx, const char *name, const struct heif_image_handle *h,
                               idp_raw_meta *meta)
{
    heif_item_id id;
    uint8_t *raw = NULL;
    size_t n, skip;
    struct heif_error err;

    if (heif_image_handle_get_list_of_metadata_block_IDs(h, "Exif", &id, 1) < 1)
        return IDP_OK;
    n = heif_image_handle_get_metadata_size(h, id);
    if (n < 8 || n > MAX_EXIF_BYTES)
        return IDP_OK;
    raw = malloc(n);
    if (raw == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", name);
    err = heif_image_handle_get_metadata(h, id, raw);
    skip = 4 + (((size_t)raw[0] << 24) | ((size_t)raw[1] << 16) | ((size_t)raw[2] << 8) | raw[3]);
    if (err.code == heif_error_Ok && skip < n - 4) {
        if (n - skip > 6 && memcmp(raw + skip, "Exif\0\0", 6) == 0)
            skip += 6;
        meta->exif = malloc(n - skip);
        if (meta->exif == NULL) {
            idp_free_wiped(raw, n);
            return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", name);
        }
        memcpy(meta->exif, raw + skip, n - skip);
        meta->exif_len = n - skip;
    }
    idp_free_wiped(raw, n);
    return IDP_OK;
}

/* An nclx colour description as an ICC profile: its primaries and white
 * point with the sRGB tone curve (BT.709, sRGB and unspecified transfers;
 * HDR transfers, PQ and HLG, are not tone-mapped). NULL when the
 * primaries are BT.709/sRGB's or unspecified: nothing to convert. */
static idp_status nclx_to_icc(idp_ctx *ctx, const char *name,
                              const struct heif_color_profile_nclx *nclx, idp_raw_meta *meta)
{
    cmsContext lcms;
    cmsHPROFILE prof = NULL;
    cmsToneCurve *curve = NULL;
    cmsCIExyY white;
    cmsCIExyYTRIPLE prim;
    /* sRGB's curve, as lcms's type 4 parametric curve. */
    static const cmsFloat64Number srgb[5] = {2.4, 1.0 / 1.055, 0.055 / 1.055, 1.0 / 12.92, 0.04045};
    cmsToneCurve *curves[3];
    cmsUInt32Number size = 0;
    idp_status st = IDP_OK;

    if (nclx->color_primaries == heif_color_primaries_ITU_R_BT_709_5 ||
        nclx->color_primaries == heif_color_primaries_unspecified ||
        nclx->color_primary_red_x <= 0 || nclx->color_primary_white_y <= 0)
        return IDP_OK;
    lcms = cmsCreateContext(NULL, NULL);
    if (lcms == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory for colour management", name);
    white.x = (double)nclx->color_primary_white_x;
    white.y = (double)nclx->color_primary_white_y;
    white.Y = 1.0;
    prim.Red.x = (double)nclx->color_primary_red_x;
    prim.Red.y = (double)nclx->color_primary_red_y;
    prim.Red.Y = 1.0;
    prim.Green.x = (double)nclx->color_primary_green_x;
    prim.Green.y = (double)nclx->color_primary_green_y;
    prim.Green.Y = 1.0;
    prim.Blue.x = (double)nclx->color_primary_blue_x;
    prim.Blue.y = (double)nclx->color_primary_blue_y;
    prim.Blue.Y = 1.0;
    curve = cmsBuildParametricToneCurve(lcms, 4, srgb);
    if (curve != NULL) {
        curves[0] = curves[1] = curves[2] = curve;
        prof = cmsCreateRGBProfileTHR(lcms, &white, &prim, curves);
    }
    if (prof != NULL && cmsSaveProfileToMem(prof, NULL, &size) && size >= 128) {
        meta->icc = malloc(size);
        if (meta->icc == NULL)
            st = idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", name);
        else if (!cmsSaveProfileToMem(prof, meta->icc, &size)) {
            free(meta->icc);
            meta->icc = NULL;
        } else
            meta->icc_len = size;
    }
    if (prof != NULL)
        cmsCloseProfile(prof);
    if (curve != NULL)
        cmsFreeToneCurve(curve);
    cmsDeleteContext(lcms);
    return st;
}

static idp_status collect_colour(idp_ctx *ctx, const char *name, struct heif_image_handle *h,
                                 idp_raw_meta *meta)
{
    enum heif_color_profile_type type = heif_image_handle_get_color_profile_type(h);
    struct heif_color_profile_nclx *nclx = NULL;
    idp_status st = IDP_OK;
    size_t n;

    if (type == heif_color_profile_type_prof || type == heif_color_profile_type_rICC) {
        n = heif_image_handle_get_raw_color_profile_size(h);
        if (n < 128 || n > UINT32_MAX)
            return IDP_OK;
        meta->icc = malloc(n);
        if (meta->icc == NULL)
            return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", name);
        if (heif_image_handle_get_raw_color_profile(h, meta->icc).code != heif_error_Ok) {
            free(meta->icc);
            meta->icc = NULL;
            return IDP_OK;
        }
        meta->icc_len = n;
        return IDP_OK;
    }
    if (heif_image_handle_get_nclx_color_profile(h, &nclx).code == heif_error_Ok && nclx != NULL)
        st = nclx_to_icc(ctx, name, nclx, meta);
    heif_nclx_color_profile_free(nclx);
    return st;
}

/* Copies the interleaved RGB(A) plane into img, alpha over white. */
static void copy_pixels(const uint8_t *plane, int stride, bool alpha, idp_image *img)
{
    size_t out_stride = idp_image_stride(img);
    uint32_t x, y;

    for (y = 0; y < img->height; y++) {
        const uint8_t *s = plane + (size_t)y * (size_t)stride;
        uint8_t *d = img->data + (size_t)y * out_stride;
        if (!alpha) {
            memcpy(d, s, (size_t)img->width * 3);
            continue;
        }
        for (x = 0; x < img->width; x++, s += 4, d += 3) {
            unsigned a = s[3], w = 255u * (255u - a) + 127u;
            d[0] = (uint8_t)((s[0] * a + w) / 255u);
            d[1] = (uint8_t)((s[1] * a + w) / 255u);
            d[2] = (uint8_t)((s[2] * a + w) / 255u);
        }
    }
}

idp_status idp_heif_decode(idp_ctx *ctx, const char *name, const uint8_t *buf, size_t len,
                           bool header_only, bool no_orient, idp_image **out, idp_image_info *info,
                           idp_raw_meta *meta)
{
    const idp_limits *lim = idp_ctx_limits(ctx);
    struct heif_context *hc = NULL;
    struct heif_image_handle *h = NULL;
    struct heif_image *himg = NULL;
    struct heif_decoding_options *dopts = NULL;
    struct heif_error err;
    idp_image *img = NULL;
    const uint8_t *plane;
    int iw, ih, stride = 0;
    bool alpha;
    idp_status st = IDP_OK;

    if (out != NULL)
        *out = NULL;
    if (!header_only && out == NULL)
        return idp_fail(ctx, IDP_E_USAGE, "%s: no output image", name);
    hc = heif_context_alloc();
    if (hc == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", name);
    heif_context_set_maximum_image_size_limit(
        hc, lim->max_side > (uint32_t)INT32_MAX ? INT32_MAX : (int)lim->max_side);
    err = heif_context_read_from_memory_without_copy(hc, buf, len, NULL);
    if (err.code == heif_error_Ok)
        err = heif_context_get_primary_image_handle(hc, &h);
    if (err.code != heif_error_Ok) {
        st = heif_failed(ctx, name, err);
        goto out;
    }
    /* The coded size (ispe) and the size once turned: both within limits. */
    iw = heif_image_handle_get_ispe_width(h);
    ih = heif_image_handle_get_ispe_height(h);
    st = idp_check_dimensions(ctx, name, iw > 0 ? (uint32_t)iw : 0, ih > 0 ? (uint32_t)ih : 0);
    if (st != IDP_OK)
        goto out;
    if (!no_orient) {
        iw = heif_image_handle_get_width(h);
        ih = heif_image_handle_get_height(h);
        st = idp_check_dimensions(ctx, name, iw > 0 ? (uint32_t)iw : 0, ih > 0 ? (uint32_t)ih : 0);
        if (st != IDP_OK)
            goto out;
    }
    info->stored_width = (uint32_t)iw;
    info->stored_height = (uint32_t)ih;
    /* libheif's planes (up to 16 bits a sample, 4:4:4 at worst), its
     * interleaved RGBA image and our RGB copy: 10 bytes a pixel. */
    st = idp_check_budget(ctx, name, "HEIF image", (uint32_t)iw, (uint32_t)ih, 10.0);
    if (st != IDP_OK)
        goto out;
    info->bit_depth = heif_image_handle_get_luma_bits_per_pixel(h);
    alpha = heif_image_handle_has_alpha_channel(h) != 0;
    info->has_alpha = alpha;
    info->colour = alpha ? IDP_SRC_RGB_ALPHA : IDP_SRC_RGB;
    meta->orientation = 1; /* libheif turns the pixels; EXIF's is not used */
    st = collect_exif(ctx, name, h, meta);
    if (st == IDP_OK)
        st = collect_colour(ctx, name, h, meta);
    if (st != IDP_OK || header_only)
        goto out;

    dopts = heif_decoding_options_alloc();
    if (dopts == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", name);
        goto out;
    }
    dopts->ignore_transformations = no_orient ? 1 : 0;
    dopts->convert_hdr_to_8bit = 1;
    err = heif_decode_image(h, &himg, heif_colorspace_RGB,
                            alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB,
                            dopts);
    if (err.code != heif_error_Ok) {
        st = heif_failed(ctx, name, err);
        goto out;
    }
    plane = heif_image_get_plane_readonly(himg, heif_channel_interleaved, &stride);
    if (plane == NULL || heif_image_get_width(himg, heif_channel_interleaved) != iw ||
        heif_image_get_height(himg, heif_channel_interleaved) != ih ||
        heif_image_get_bits_per_pixel_range(himg, heif_channel_interleaved) != 8 ||
        stride < iw * (alpha ? 4 : 3)) {
        st =
            idp_fail(ctx, IDP_E_CORRUPT, "%s: corrupt HEIF image: unexpected decoded layout", name);
        goto out;
    }
    st = idp_image_create(ctx, (uint32_t)iw, (uint32_t)ih, 3, &img);
    if (st != IDP_OK)
        goto out;
    copy_pixels(plane, stride, alpha, img);
    *out = img;
    img = NULL;
out:
    idp_image_destroy(img);
    if (himg != NULL)
        heif_image_release(himg);
    heif_decoding_options_free(dopts);
    if (h != NULL)
        heif_image_handle_release(h);
    heif_context_free(hc);
    if (st != IDP_OK)
        idp_raw_meta_free(meta);
    return st;
}
