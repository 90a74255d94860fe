/* idp_colour: embedded ICC profiles to sRGB, and CMYK to RGB, with Little
 * CMS. Each call uses its own lcms context, so batch workers share nothing. */
#include "idp_colour.h"

#include "idp_icc.h"

#include <lcms2.h>
#include <stdlib.h>

/* Relative colorimetric: in-gamut colours are kept exactly (what matters
 * for a document), out-of-gamut ones clipped; it is also the intent
 * ImageMagick and most tools use by default, so a CMYK file they made from
 * sRGB comes back within 3 levels on average (perceptual: 6.7, measured on
 * testorig.jpg through a SWOP profile). */
#define IDP_INTENT INTENT_RELATIVE_COLORIMETRIC

/* A profile is "sRGB-like" when converting this grid of colours through
 * it to sRGB moves no sample by more than SRGB_LIKE_TOLERANCE levels:
 * converting would change nothing visible, so the pixels are left alone. */
#define GRID_STEPS 7
#define GRID_PIXELS (GRID_STEPS * GRID_STEPS * GRID_STEPS)
#define SRGB_LIKE_TOLERANCE 2

struct idp_cmyk_xform {
    cmsContext lcms;
    cmsHTRANSFORM xform; /* NULL: the plain formula */
    bool inverted;
};

static void quiet_log(cmsContext id, cmsUInt32Number code, const char *text)
{
    /* The library never prints; an unusable profile is reported by the
     * NULL handle that follows. */
    (void)id;
    (void)code;
    (void)text;
}

static cmsContext new_context(void)
{
    cmsContext c = cmsCreateContext(NULL, NULL);

    if (c != NULL)
        cmsSetLogErrorHandlerTHR(c, quiet_log);
    return c;
}

static bool srgb_like(cmsHTRANSFORM xform)
{
    uint8_t in[GRID_PIXELS * 3], out[GRID_PIXELS * 3];
    size_t i = 0;
    int r, g, b;

    for (r = 0; r < GRID_STEPS; r++)
        for (g = 0; g < GRID_STEPS; g++)
            for (b = 0; b < GRID_STEPS; b++) {
                in[i++] = (uint8_t)(r * 255 / (GRID_STEPS - 1));
                in[i++] = (uint8_t)(g * 255 / (GRID_STEPS - 1));
                in[i++] = (uint8_t)(b * 255 / (GRID_STEPS - 1));
            }
    cmsDoTransform(xform, in, out, GRID_PIXELS);
    for (i = 0; i < sizeof(in); i++) {
        int d = (int)in[i] - (int)out[i];
        if (d > SRGB_LIKE_TOLERANCE || d < -SRGB_LIKE_TOLERANCE)
            return false;
    }
    return true;
}

idp_status idp_colour_to_srgb(idp_ctx *ctx, idp_image *img, const uint8_t *icc, size_t icc_len,
                              bool *converted, const char **ignored)
{
    cmsContext lcms = NULL;
    cmsHPROFILE src = NULL, srgb = NULL;
    cmsHTRANSFORM xform = NULL;
    idp_status st = IDP_OK;
    size_t stride;
    uint32_t y;

    *converted = false;
    *ignored = NULL;
    if (icc == NULL || img->channels != 3 || img->data == NULL)
        return IDP_OK;
    /* Judged before lcms sees a byte of it (idp_icc.h). */
    if (!idp_icc_judge(icc, icc_len, &icc_len, ignored))
        return IDP_OK;
    lcms = new_context();
    if (lcms == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory for colour management");
    src = cmsOpenProfileFromMemTHR(lcms, icc, (cmsUInt32Number)icc_len);
    if (src == NULL || cmsGetColorSpace(src) != cmsSigRgbData)
        goto out; /* unusable or not RGB: leave the pixels as they are */
    srgb = cmsCreate_sRGBProfileTHR(lcms);
    if (srgb == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, "out of memory for colour management");
        goto out;
    }
    xform = cmsCreateTransformTHR(lcms, src, TYPE_RGB_8, srgb, TYPE_RGB_8, IDP_INTENT, 0);
    if (xform == NULL || srgb_like(xform))
        goto out;
    stride = idp_image_stride(img);
    /* lcms converts in place when input and output formats match. */
    for (y = 0; y < img->height; y++) {
        uint8_t *row = img->data + (size_t)y * stride;
        cmsDoTransform(xform, row, row, img->width);
    }
    *converted = true;
out:
    if (xform != NULL)
        cmsDeleteTransform(xform);
    if (srgb != NULL)
        cmsCloseProfile(srgb);
    if (src != NULL)
        cmsCloseProfile(src);
    cmsDeleteContext(lcms);
    return st;
}

idp_status idp_cmyk_xform_create(idp_ctx *ctx, const uint8_t *icc, size_t icc_len, bool inverted,
                                 idp_cmyk_xform **out, const char **ignored)
{
    idp_cmyk_xform *x;
    cmsHPROFILE src = NULL, srgb = NULL;

    *out = NULL;
    *ignored = NULL;
    if (icc != NULL && !idp_icc_judge(icc, icc_len, &icc_len, ignored))
        icc = NULL; /* the plain formula, as without a profile */
    x = calloc(1, sizeof(*x));
    if (x == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
    x->inverted = inverted;
    if (icc != NULL) {
        x->lcms = new_context();
        if (x->lcms == NULL) {
            free(x);
            return idp_fail(ctx, IDP_E_NOMEM, "out of memory for colour management");
        }
        src = cmsOpenProfileFromMemTHR(x->lcms, icc, (cmsUInt32Number)icc_len);
        if (src != NULL && cmsGetColorSpace(src) == cmsSigCmykData)
            srgb = cmsCreate_sRGBProfileTHR(x->lcms);
        if (srgb != NULL)
            /* lcms counts ink (0 = none); Adobe's inverted samples are the
             * "reversed" flavour of the same layout. */
            x->xform = cmsCreateTransformTHR(x->lcms, src, inverted ? TYPE_CMYK_8_REV : TYPE_CMYK_8,
                                             srgb, TYPE_RGB_8, IDP_INTENT, 0);
        if (srgb != NULL)
            cmsCloseProfile(srgb);
        if (src != NULL)
            cmsCloseProfile(src);
    }
    *out = x;
    return IDP_OK;
}

void idp_cmyk_xform_row(const idp_cmyk_xform *x, const uint8_t *cmyk, uint8_t *rgb, uint32_t n)
{
    uint32_t i;

    if (x->xform != NULL) {
        cmsDoTransform(x->xform, cmyk, rgb, n);
        return;
    }
    /* No profile: R = (1-C)(1-K) and so on, with rounding. */
    for (i = 0; i < n; i++, cmyk += 4, rgb += 3) {
        unsigned c = cmyk[0], m = cmyk[1], y = cmyk[2], k = cmyk[3];
        if (!x->inverted) {
            c = 255 - c;
            m = 255 - m;
            y = 255 - y;
            k = 255 - k;
        }
        rgb[0] = (uint8_t)((c * k + 127) / 255);
        rgb[1] = (uint8_t)((m * k + 127) / 255);
        rgb[2] = (uint8_t)((y * k + 127) / 255);
    }
}

bool idp_cmyk_xform_used_icc(const idp_cmyk_xform *x)
{
    return x != NULL && x->xform != NULL;
}

void idp_cmyk_xform_destroy(idp_cmyk_xform *x)
{
    if (x == NULL)
        return;
    if (x->xform != NULL)
        cmsDeleteTransform(x->xform);
    if (x->lcms != NULL)
        cmsDeleteContext(x->lcms);
    free(x);
}
