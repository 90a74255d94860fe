/* ICC profiles judged before Little CMS reads them (idp_icc.h): profiles
 * as lcms writes them (matrix/TRC, lut16 and lutAtoB tables, RGB and CMYK)
 * pass; crafted ones (multi-process elements, D2Bx pipelines, sizes and
 * tags outside the data, oversized tables) are refused in microseconds,
 * and a photo carrying one is loaded as if it had no profile. */
#include "idp_colour.h"
#include "idp_icc.h"
#include "idp_image.h"
#include "idp_load.h"
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <lcms2.h>

static uint8_t *save(cmsHPROFILE p, size_t *len)
{
    cmsUInt32Number n = 0;
    uint8_t *buf;

    assert_true(cmsSaveProfileToMem(p, NULL, &n));
    buf = malloc(n);
    assert_non_null(buf);
    assert_true(cmsSaveProfileToMem(p, buf, &n));
    *len = n;
    return buf;
}

/* Display P3 as a matrix/TRC profile. */
static cmsHPROFILE p3_profile(void)
{
    cmsCIExyY d65 = {0.3127, 0.3290, 1.0};
    cmsCIExyYTRIPLE prim = {{0.680, 0.320, 1.0}, {0.265, 0.690, 1.0}, {0.150, 0.060, 1.0}};
    cmsToneCurve *c = cmsBuildGamma(NULL, 2.2);
    cmsToneCurve *trc[3] = {c, c, c};
    cmsHPROFILE p = cmsCreateRGBProfile(&d65, &prim, trc);

    cmsFreeToneCurve(c);
    assert_non_null(p);
    return p;
}

/* A profile whose A2B0 is a CLUT of grid^in points (in: 3 RGB, 4 CMYK),
 * written by lcms as version 2 (lut16, mft2) or 4 (lutAtoB, mAB). */
static cmsHPROFILE clut_profile(int in, unsigned grid, double version)
{
    cmsHPROFILE p = cmsCreateProfilePlaceholder(NULL);
    cmsPipeline *lut = cmsPipelineAlloc(NULL, (cmsUInt32Number)in, 3);
    cmsStage *clut = cmsStageAllocCLut16bit(NULL, grid, (cmsUInt32Number)in, 3, NULL);

    assert_non_null(p);
    cmsSetProfileVersion(p, version);
    cmsSetDeviceClass(p, in == 4 ? cmsSigOutputClass : cmsSigInputClass);
    cmsSetColorSpace(p, in == 4 ? cmsSigCmykData : cmsSigRgbData);
    cmsSetPCS(p, cmsSigLabData);
    /* lutAtoB wants A curves before a CLUT and B curves at the end. */
    assert_true(cmsPipelineInsertStage(lut, cmsAT_END,
                                       cmsStageAllocToneCurves(NULL, (cmsUInt32Number)in, NULL)));
    assert_true(cmsPipelineInsertStage(lut, cmsAT_END, clut));
    assert_true(cmsPipelineInsertStage(lut, cmsAT_END, cmsStageAllocToneCurves(NULL, 3, NULL)));
    assert_true(cmsWriteTag(p, cmsSigAToB0Tag, lut));
    assert_true(cmsWriteTag(p, cmsSigMediaWhitePointTag, cmsD50_XYZ()));
    cmsPipelineFree(lut);
    return p;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Appends tag sig (data d of n bytes) to a profile made by lcms: the tag
 * table is rebuilt one entry longer, the data added at the end. */
static uint8_t *add_tag(const uint8_t *icc, size_t len, const char *sig, const uint8_t *d, size_t n,
                        size_t *out_len)
{
    uint32_t count =
        (uint32_t)icc[128] << 24 | (uint32_t)icc[129] << 16 | (uint32_t)icc[130] << 8 | icc[131];
    size_t table_end = 132 + 12 * (size_t)count, total = len + 12 + n + 4, at;
    uint8_t *o = calloc(1, total);
    uint32_t i;

    assert_non_null(o);
    memcpy(o, icc, table_end);
    memcpy(o + table_end + 12, icc + table_end, len - table_end);
    for (i = 0; i < count; i++) { /* every offset moves by one entry */
        uint8_t *e = o + 132 + 12 * i + 4;
        put32(e, ((uint32_t)e[0] << 24 | (uint32_t)e[1] << 16 | (uint32_t)e[2] << 8 | e[3]) + 12);
    }
    memcpy(o + table_end, sig, 4);
    at = (len + 12 + 3) / 4 * 4;
    put32(o + table_end + 4, (uint32_t)at);
    put32(o + table_end + 8, (uint32_t)n);
    memcpy(o + at, d, n);
    total = at + n;
    put32(o, (uint32_t)total);
    put32(o + 128, count + 1);
    *out_len = total;
    return o;
}

/* An mpet tag of n elements whose position table points every one at the
 * same 3x3 matrix element (the probe's profile). */
static uint8_t *mpet_tag(uint32_t n, size_t *len)
{
    size_t elem = 12 + 12 * 4, total = 16 + 8 * (size_t)n + elem;
    uint8_t *t = calloc(1, total);
    uint32_t i;

    assert_non_null(t);
    memcpy(t, "mpet", 4);
    t[9] = 3;  /* in */
    t[11] = 3; /* out */
    put32(t + 12, n);
    for (i = 0; i < n; i++) {
        put32(t + 16 + 8 * i, (uint32_t)(16 + 8 * n));
        put32(t + 20 + 8 * i, (uint32_t)elem);
    }
    memcpy(t + 16 + 8 * n, "matf", 4);
    t[16 + 8 * n + 9] = 3;
    t[16 + 8 * n + 11] = 3;
    *len = total;
    return t;
}

static bool judged(const uint8_t *icc, size_t len, const char **why)
{
    size_t use = 0;
    bool ok = idp_icc_judge(icc, len, &use, why);

    if (ok)
        assert_true(use <= len);
    return ok;
}

static void test_real_profiles_pass(void **state)
{
    cmsHPROFILE ps[6];
    size_t i, len, use;
    const char *why;

    (void)state;
    ps[0] = p3_profile();
    ps[1] = cmsCreate_sRGBProfile();
    ps[2] = clut_profile(3, 17, 2.1);
    ps[3] = clut_profile(3, 33, 4.3);
    ps[4] = clut_profile(4, 17, 2.1);
    ps[5] = clut_profile(4, 17, 4.3);
    for (i = 0; i < 6; i++) {
        uint8_t *icc = save(ps[i], &len);
        why = "unset";
        assert_true(idp_icc_judge(icc, len, &use, &why));
        assert_null(why);
        assert_int_equal(use, len);
        /* Padding after the declared size is cut, never given to lcms. */
        uint8_t *padded = calloc(1, len + 100);
        memcpy(padded, icc, len);
        assert_true(idp_icc_judge(padded, len + 100, &use, &why));
        assert_int_equal(use, len);
        free(padded);
        free(icc);
        cmsCloseProfile(ps[i]);
    }
}

static void test_crafted_profiles_refused(void **state)
{
    cmsHPROFILE p = p3_profile();
    size_t len, tl, bl;
    uint8_t *icc = save(p, &len), *bad, *tag;
    const char *why = NULL;

    (void)state;
    /* mpet under D2B0 (the probe), and under an A2B0 */
    tag = mpet_tag(20000, &tl);
    bad = add_tag(icc, len, "D2B0", tag, tl, &bl);
    assert_false(judged(bad, bl, &why));
    assert_non_null(strstr(why, "D2Bx"));
    free(bad);
    bad = add_tag(icc, len, "A2B0", tag, tl, &bl);
    assert_false(judged(bad, bl, &why));
    assert_non_null(strstr(why, "multi-process"));
    free(bad);
    free(tag);
    /* declared size beyond the data */
    bad = malloc(len);
    memcpy(bad, icc, len);
    put32(bad, (uint32_t)len + 1);
    assert_false(judged(bad, len, &why));
    assert_non_null(strstr(why, "declares more"));
    /* a tag running past the end */
    put32(bad, (uint32_t)len);
    put32(bad + 132 + 8, (uint32_t)len);
    assert_false(judged(bad, len, &why));
    assert_non_null(strstr(why, "outside"));
    /* too many tags */
    memcpy(bad, icc, len);
    put32(bad + 128, 101);
    assert_false(judged(bad, len, &why));
    /* no 'acsp' */
    memcpy(bad, icc, len);
    bad[36] = 'x';
    assert_false(judged(bad, len, &why));
    /* too short */
    assert_false(judged(icc, 100, &why));
    free(bad);
    /* a lut16 declaring a 255^3 grid in a 64-byte table */
    {
        uint8_t lut[52 + 64] = {'m', 'f', 't', '2'};
        lut[8] = 3;
        lut[9] = 3;
        lut[10] = 255;
        lut[49] = 2; /* 2 input entries */
        lut[51] = 2; /* 2 output entries */
        bad = add_tag(icc, len, "A2B0", lut, sizeof(lut), &bl);
        assert_false(judged(bad, bl, &why));
        assert_non_null(strstr(why, "larger than its tag"));
        free(bad);
    }
    free(icc);
    cmsCloseProfile(p);
}

/* A photo with the probe's profile loads in milliseconds as if it had
 * none, and says the profile was ignored. */
static void test_photo_with_mpet_profile(void **state)
{
    cmsHPROFILE p = p3_profile();
    size_t len, tl, bl;
    uint8_t *icc = save(p, &len), *tag = mpet_tag(30000, &tl);
    uint8_t *bad = add_tag(icc, len, "D2B1", tag, tl, &bl);
    idp_ctx *ctx = NULL;
    idp_image *img = NULL;
    bool converted = true;
    const char *ignored = NULL;
    struct timespec t0, t1;
    double ms;

    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(idp_image_create(ctx, 64, 48, 3, &img), IDP_OK);
    memset(img->data, 90, idp_image_stride(img) * img->height);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(idp_colour_to_srgb(ctx, img, bad, bl, &converted, &ignored), IDP_OK);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    assert_false(converted);
    assert_non_null(ignored);
    assert_true(img->data[0] == 90 && img->data[64 * 3 - 1] == 90);
    assert_true(ms < 50.0);
    /* the same profile without the D2B1 tag is converted */
    assert_int_equal(idp_colour_to_srgb(ctx, img, icc, len, &converted, &ignored), IDP_OK);
    assert_true(converted);
    assert_null(ignored);
    idp_image_destroy(img);
    idp_ctx_destroy(ctx);
    free(bad);
    free(tag);
    free(icc);
    cmsCloseProfile(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_profiles_pass),
        cmocka_unit_test(test_crafted_profiles_refused),
        cmocka_unit_test(test_photo_with_mpet_profile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
