/* idp_normalize: the photo that goes into the package. The loader has
 * already made it upright 8-bit sRGB with alpha on white; here it is
 * fitted to the long-side cap (never upscaled) and encoded as a baseline
 * JPEG, lowering the quality and then the size until it fits the budget. */
#include "idp_normalize.h"

#include "idp_io.h"
#include "idp_jpegsave.h"
#include "idp_resize.h"

#include <math.h>
#include <string.h>
#include <sys/stat.h>

/* A quad as const (C11 does not convert double (*)[2] implicitly). */
#define CQ(q) ((const double(*)[2])(q))

/* Qualities tried, in order, below the requested one. */
static const int quality_steps[] = {80, 72, 64, 56, 50};

/* Each retry after the lowest quality shrinks the long side to 4/5. */
#define SHRINK_NUM 4u
#define SHRINK_DEN 5u
/* Below this long side, give up: a smaller photo of an ID is useless. */
#define MIN_LONG_SIDE 16u

void idp_normalize_opts_default(idp_normalize_opts *opts)
{
    opts->max_side = 2000;
    opts->quality = 88;
    opts->max_bytes = 9000000u;
    opts->force = false;
    opts->crop = true;
}

static idp_status check_opts(idp_ctx *ctx, const idp_normalize_opts *opts)
{
    if (opts->max_side == 0)
        return idp_fail(ctx, IDP_E_USAGE, "the long side cap must be at least 1 pixel");
    if (opts->quality < 1 || opts->quality > 100)
        return idp_fail(ctx, IDP_E_USAGE, "JPEG quality %d is not between 1 and 100",
                        opts->quality);
    if (opts->max_bytes == 0)
        return idp_fail(ctx, IDP_E_USAGE, "the byte budget must be at least 1 byte");
    return IDP_OK;
}

/* The quality to try after q, or 0 when there is none. */
static int next_quality(int q)
{
    for (size_t i = 0; i < sizeof(quality_steps) / sizeof(quality_steps[0]); i++)
        if (quality_steps[i] < q)
            return quality_steps[i];
    return 0;
}

/* Fits img to opts->max_side and encodes it within opts->max_bytes. name is
 * used in messages. Smaller sizes are always resampled from img itself. */
static idp_status encode_within(idp_ctx *ctx, const char *name, const idp_image *img,
                                const idp_normalize_opts *opts, uint8_t **jpeg, size_t *len,
                                idp_normalize_result *res)
{
    idp_status st = IDP_OK;
    idp_image *scaled = NULL;
    const idp_image *cur = img;
    uint8_t *buf = NULL;
    size_t n = 0;
    uint32_t w, h, cap = opts->max_side;
    int q = opts->quality;

    for (;;) {
        idp_fit_size(img->width, img->height, cap, &w, &h);
        if (w != cur->width || h != cur->height) {
            idp_image_destroy(scaled);
            scaled = NULL;
            cur = img;
            st = idp_resize_down(ctx, img, w, h, &scaled);
            if (st != IDP_OK)
                goto out;
            cur = scaled;
        }
        for (q = opts->quality; q > 0; q = next_quality(q)) {
            st = idp_jpeg_encode(ctx, cur, q, &buf, &n);
            if (st != IDP_OK)
                goto out;
            if (n <= opts->max_bytes)
                goto fits;
            idp_free_wiped(buf, n);
            buf = NULL;
        }
        /* Even the lowest quality is too big: shrink and start again. */
        cap = (w >= h ? w : h) * SHRINK_NUM / SHRINK_DEN;
        if (cap < MIN_LONG_SIDE) {
            st = idp_fail(ctx, IDP_E_LIMITS,
                          "%s: cannot make a JPEG under %llu bytes, even at %ux%u pixels", name,
                          (unsigned long long)opts->max_bytes, w, h);
            goto out;
        }
    }
fits:
    *jpeg = buf;
    *len = n;
    buf = NULL;
    if (res != NULL) {
        res->width = cur->width;
        res->height = cur->height;
        res->bytes = n;
        res->quality = q;
    }
out:
    idp_free_wiped(buf, n);
    idp_image_destroy(scaled);
    return st;
}

idp_status idp_normalize_image(idp_ctx *ctx, const idp_image *img, const idp_normalize_opts *opts,
                               uint8_t **jpeg, size_t *len, idp_normalize_result *res)
{
    idp_status st;

    *jpeg = NULL;
    *len = 0;
    if (res != NULL)
        memset(res, 0, sizeof(*res));
    st = check_opts(ctx, opts);
    if (st != IDP_OK)
        return st;
    if (img->data == NULL || img->width == 0 || img->height == 0 ||
        (img->channels != 1 && img->channels != 3))
        return idp_fail(ctx, IDP_E_USAGE, "cannot normalise a %ux%u image of %u channels",
                        img->width, img->height, img->channels);
    return encode_within(ctx, "image", img, opts, jpeg, len, res);
}

/* The quad of the document grown by m pixels of the output on every side:
 * the corners of [-m, w+m] x [-m, h+m] through the document's homography. */
static void grow_quad(const double q[4][2], uint32_t w, uint32_t h, double m, double out[4][2])
{
    static const int sx[4] = {0, 1, 1, 0}, sy[4] = {0, 0, 1, 1};
    double hm[9];

    idp_quad_homography(q, w, h, hm);
    for (int i = 0; i < 4; i++) {
        double x = sx[i] ? w + m : -m, y = sy[i] ? h + m : -m;
        double d = hm[6] * x + hm[7] * y + hm[8];
        out[i][0] = (hm[0] * x + hm[1] * y + hm[2]) / d;
        out[i][1] = (hm[3] * x + hm[4] * y + hm[5]) / d;
    }
}

static int inside(const double q[4][2], uint32_t width, uint32_t height)
{
    for (int i = 0; i < 4; i++)
        if (!(q[i][0] >= 0 && q[i][1] >= 0 && q[i][0] <= width && q[i][1] <= height))
            return 0;
    return 1;
}

idp_status idp_crop_document_margin(idp_ctx *ctx, idp_image **img, const idp_document *doc,
                                    double *doc_share)
{
    idp_image *out = NULL;
    double ls, ss, q[4][2], g[4][2], m;
    idp_status st;

    if (doc_share != NULL)
        *doc_share = 1.0;
    if (!doc->found)
        return IDP_OK;
    memcpy(q, doc->quad, sizeof(q)); /* a copy: GCC's -Wstringop-overflow misreads the cast */
    for (int i = 0; i < 4; i++)      /* cut off: no pixels to make up, keep the frame */
        if (doc->quad[i][0] < 0 || doc->quad[i][1] < 0 || doc->quad[i][0] > (*img)->width ||
            doc->quad[i][1] > (*img)->height)
            return IDP_OK;
    idp_quad_sides(CQ(q), &ls, &ss);
    /* as many pixels along the long side as its longer edge has, the
     * short side at the kind's aspect; a portrait document (TL->TR a short
     * side) stands on its short side */
    const double aspect = idp_doc_aspect(doc->kind);
    const uint32_t along = (uint32_t)lround(ls);
    const uint32_t across = (uint32_t)lround(ls / (aspect > 0 ? aspect : ls / ss));
    const uint32_t w = doc->portrait ? across : along, h = doc->portrait ? along : across;
    if (w < 16 || h < 16)
        return IDP_OK;
    /* A margin of the surface around the document, so that a reviewer
     * sees its edges and rounded corners whole, not a cut (docs/checks.md):
     * IDP_CROP_MARGIN of the short side, less where the photo ends
     * sooner (never made-up pixels). */
    m = floor(IDP_CROP_MARGIN * (double)(w < h ? w : h));
    for (;;) {
        grow_quad(CQ(q), w, h, m, g);
        if (m < 1.0 || inside(CQ(g), (*img)->width, (*img)->height))
            break;
        m = floor(m * 0.75);
    }
    if (m < 1.0)
        memcpy(g, q, sizeof(g)), m = 0.0;
    st = idp_warp_quad(ctx, *img, CQ(g), w + 2 * (uint32_t)m, h + 2 * (uint32_t)m, &out);
    if (st != IDP_OK)
        return st;
    idp_image_destroy(*img);
    *img = out;
    if (doc_share != NULL)
        *doc_share = (double)w / (double)(w + 2 * (uint32_t)m);
    return IDP_OK;
}

idp_status idp_crop_document(idp_ctx *ctx, idp_image **img, const idp_document *doc)
{
    return idp_crop_document_margin(ctx, img, doc, NULL);
}

idp_status idp_normalize_file(idp_ctx *ctx, const char *in_path, const char *out_path,
                              const idp_normalize_opts *opts, idp_normalize_result *res)
{
    idp_status st;
    idp_load_opts lopts = {0};
    idp_image_info info;
    idp_normalize_result r;
    idp_image *img = NULL;
    uint8_t *jpeg = NULL;
    size_t len = 0;
    uint32_t w, h, img_w, img_h;
    struct stat sb;

    memset(&info, 0, sizeof(info));
    memset(&r, 0, sizeof(r));
    if (res != NULL)
        memset(res, 0, sizeof(*res));
    st = check_opts(ctx, opts);
    if (st != IDP_OK)
        return st;
    /* Refuse early, before the work of decoding; idp_write_atomic checks
     * again at the moment of writing. */
    if (!opts->force && lstat(out_path, &sb) == 0)
        return idp_fail(ctx, IDP_E_EXISTS, "%s: already exists; replacing it must be asked for",
                        out_path);

    /* Decode at the smallest DCT scale that still covers the output. A
     * document cropped out of it is smaller than the cap; a larger decode
     * would cost four times the pixels for detail beyond 300 DPI. */
    lopts.min_side = opts->max_side;
    st = idp_load_file(ctx, in_path, &lopts, &img, &info);
    if (st != IDP_OK)
        goto out;
    img_w = img->width;
    img_h = img->height;
    r.source = info;
    if (opts->crop) {
        idp_document d;
        idp_image *work = NULL;
        uint32_t ww, wh;
        /* found on the copy idp_check_image finds it on (IDP_DETECT_WORK_SIDE),
         * so the crop here and in the package is the same */
        idp_fit_size(img_w, img_h, IDP_DETECT_WORK_SIDE, &ww, &wh);
        if (ww < img_w || wh < img_h) {
            st = idp_resize_down(ctx, img, ww, wh, &work);
            if (st != IDP_OK)
                goto out;
        } else {
            ww = img_w;
            wh = img_h;
        }
        st = idp_detect_document(ctx, work != NULL ? work : img, &r.document);
        idp_image_destroy(work);
        if (st != IDP_OK)
            goto out;
        /* to the full size and back, as idp_check_image and
         * idp_build_package do: the package gets these very bytes */
        idp_document_scale(&r.document, (double)info.width / ww, (double)info.height / wh);
        d = r.document;
        idp_document_scale(&d, (double)img_w / info.width, (double)img_h / info.height);
        st = idp_crop_document(ctx, &img, &d);
        if (st != IDP_OK)
            goto out;
    }

    /* Resize in place rather than in encode_within: no second image, so
     * the peak memory stays one decoded image. */
    idp_fit_size(img->width, img->height, opts->max_side, &w, &h);
    st = idp_resize_down_inplace(ctx, img, w, h);
    if (st != IDP_OK)
        goto out;
    st = encode_within(ctx, in_path, img, opts, &jpeg, &len, &r);
    if (st != IDP_OK)
        goto out;
    idp_image_destroy(img);
    img = NULL;

    st = idp_write_atomic(ctx, out_path, jpeg, len, opts->force);
    if (st != IDP_OK)
        goto out;
    if (res != NULL)
        *res = r;
out:
    idp_free_wiped(jpeg, len);
    idp_image_destroy(img);
    return st;
}
