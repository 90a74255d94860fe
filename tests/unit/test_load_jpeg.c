/* JPEG loading: the libjpeg-turbo reference images (baseline, arithmetic,
 * progressive, CMYK, grey) against testorig.ppm, 12-bit refusal, DCT
 * scaling, and corrupt data refused. */
#include "idp_io.h"
#include "idp_load.h"
#include "testutil.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jpeglib.h>
#include <lcms2.h>

typedef struct ppm {
    unsigned w, h;
    unsigned char *rgb;
} ppm;

static const char *jpeg_path(const char *name)
{
    static char p[4096];
    snprintf(p, sizeof(p), "%s/jpeg/%s", tu_env("IDP_CORPUS"), name);
    return p;
}

/* The reference decode: a binary PPM with maxval 255. */
static ppm read_ppm(const char *path)
{
    ppm r = {0, 0, NULL};
    unsigned maxval;
    size_t n;
    FILE *f = fopen(path, "rb");

    assert_non_null(f);
    assert_int_equal(fscanf(f, "P6 %u %u %u", &r.w, &r.h, &maxval), 3);
    assert_int_equal(maxval, 255);
    assert_int_equal(fgetc(f), '\n');
    n = (size_t)r.w * r.h * 3;
    r.rgb = malloc(n);
    assert_non_null(r.rgb);
    assert_int_equal(fread(r.rgb, 1, n, f), n);
    fclose(f);
    return r;
}

/* Mean absolute difference and PSNR between an RGB image and a reference
 * (RGB, or its luma when grey is set). */
static void compare(const idp_image *img, const ppm *ref, int grey, double *mad, double *psnr)
{
    size_t n = (size_t)ref->w * ref->h, i;
    double sum = 0, sq = 0;
    int c;

    assert_int_equal(img->width, ref->w);
    assert_int_equal(img->height, ref->h);
    assert_int_equal(img->channels, 3);
    for (i = 0; i < n; i++) {
        const unsigned char *r = ref->rgb + i * 3;
        /* testgray.jpg was derived with Rec. 709 luma weights (ImageMagick's
         * grey): against them it is within 0.6 on average, against
         * Rec. 601 weights 5.8 (measured with djpeg too). */
        double y = 0.2126 * r[0] + 0.7152 * r[1] + 0.0722 * r[2];
        for (c = 0; c < 3; c++) {
            double d = (double)img->data[i * 3 + (size_t)c] - (grey ? y : (double)r[c]);
            sum += fabs(d);
            sq += d * d;
        }
    }
    *mad = sum / (double)(n * 3);
    *psnr = sq == 0 ? 99.0 : 10.0 * log10(255.0 * 255.0 / (sq / (double)(n * 3)));
}

static void check_close(const char *name, int grey, idp_source_colour colour)
{
    ppm ref = read_ppm(jpeg_path("testorig.ppm"));
    idp_image *img = NULL;
    idp_image_info info;
    idp_ctx *ctx;
    double mad, psnr;
    idp_status st;

    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    st = idp_load_file(ctx, jpeg_path(name), NULL, &img, &info);
    if (st != IDP_OK)
        fail_msg("%s: %s", name, idp_ctx_error(ctx));
    assert_int_equal(info.format, IDP_FORMAT_JPEG);
    assert_int_equal(info.colour, colour);
    assert_int_equal(info.bit_depth, 8);
    assert_int_equal(info.stored_width, 227);
    assert_int_equal(info.width, 227);
    assert_int_equal(info.height, 149);
    assert_int_equal(info.orientation, 1);
    compare(img, &ref, grey, &mad, &psnr);
    print_message("%-14s mean abs diff %.3f, PSNR %.1f dB\n", name, mad, psnr);
    assert_true(mad < 3.0);
    assert_true(psnr > 30.0);
    if (strcmp(name, "testimgari.jpg") == 0)
        assert_true(info.arithmetic);
    if (strcmp(name, "testprog.jpg") == 0)
        assert_true(info.progressive);
    idp_image_destroy(img);
    free(ref.rgb);
    idp_ctx_destroy(ctx);
}

static void test_baseline(void **state)
{
    (void)state;
    check_close("testorig.jpg", 0, IDP_SRC_RGB);
    check_close("testimgint.jpg", 0, IDP_SRC_RGB);
}

static void test_arithmetic(void **state)
{
    (void)state;
    check_close("testimgari.jpg", 0, IDP_SRC_RGB);
}

static void test_progressive(void **state)
{
    (void)state;
    check_close("testprog.jpg", 0, IDP_SRC_RGB);
}

static void test_cmyk_not_inverted(void **state)
{
    (void)state;
    check_close("testcmyk.jpg", 0, IDP_SRC_CMYK);
}

static void test_grey_is_luma(void **state)
{
    (void)state;
    check_close("testgray.jpg", 1, IDP_SRC_GREY);
}

static void test_12bit_refused(void **state)
{
    idp_image *img = NULL;
    idp_ctx *ctx;
    idp_status st;

    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    st = idp_load_file(ctx, jpeg_path("monkey12.jpg"), NULL, &img, NULL);
    print_message("monkey12.jpg: %s: %s\n", idp_status_name(st), idp_ctx_error(ctx));
    assert_int_not_equal(st, IDP_OK);
    assert_null(img);
    assert_non_null(strstr(idp_ctx_error(ctx), "12-bit"));
    assert_non_null(strstr(idp_ctx_error(ctx), "monkey12.jpg"));
    idp_ctx_destroy(ctx);
}

/* Loads testorig.jpg with min_side and returns the image and info. */
static idp_image *load_scaled(idp_ctx *ctx, uint32_t min_side, idp_image_info *info)
{
    idp_load_opts opts = {.min_side = min_side, .no_orient = false};
    idp_image *img = NULL;

    assert_int_equal(idp_load_file(ctx, jpeg_path("testorig.jpg"), &opts, &img, info), IDP_OK);
    return img;
}

static void test_dct_scaling(void **state)
{
    idp_image_info info;
    idp_image *img;
    idp_ctx *ctx;
    uint32_t sides[] = {1, 29, 30, 57, 100, 114, 115, 199, 200, 227, 5000};

    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    img = load_scaled(ctx, 114, &info);
    assert_int_equal(info.scale_num, 4);
    assert_int_equal(info.scale_denom, 8);
    assert_int_equal(img->width, 114); /* 227 * 4/8 = 113.5, rounded up */
    assert_int_equal(img->height, 75); /* 149 * 4/8 = 74.5, rounded up */
    assert_int_equal(info.width, 227); /* the full-resolution size */
    idp_image_destroy(img);

    /* For every min_side the decoded long side is >= min_side (or the
     * full size) and the next smaller scale would have been too small. */
    for (size_t i = 0; i < sizeof(sides) / sizeof(sides[0]); i++) {
        uint32_t want = sides[i] > 227 ? 227 : sides[i], smaller;
        img = load_scaled(ctx, sides[i], &info);
        assert_true(img->width >= want);
        assert_true(info.scale_denom > 0);
        assert_int_equal(img->width,
                         (227 * info.scale_num + info.scale_denom - 1) / info.scale_denom);
        if (info.scale_num > 1) {
            uint32_t num = info.scale_denom == 1 ? 7 : info.scale_num - 1;
            smaller = (227 * num + 7) / 8;
            assert_true(smaller < want);
        }
        idp_image_destroy(img);
    }
    img = load_scaled(ctx, 0, &info);
    assert_int_equal(info.scale_num, info.scale_denom);
    assert_int_equal(img->width, 227);
    idp_image_destroy(img);
    idp_ctx_destroy(ctx);
}

static void test_probe_reads_header_only(void **state)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    idp_image_info info;
    idp_ctx *ctx;

    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(idp_read_file(ctx, jpeg_path("testprog.jpg"), 0, &buf, &len), IDP_OK);
    assert_int_equal(idp_probe_memory(ctx, "testprog.jpg", buf, len, &info), IDP_OK);
    assert_int_equal(info.stored_width, 227);
    assert_int_equal(info.stored_height, 149);
    assert_true(info.progressive);
    assert_int_equal(info.file_bytes, len);
    idp_free_wiped(buf, len);
    idp_ctx_destroy(ctx);
}

static void test_corrupt_data_is_an_error(void **state)
{
    uint8_t *buf = NULL, *bad;
    size_t len = 0, i;
    idp_image *img = NULL;
    idp_ctx *ctx;
    idp_status st;

    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(idp_read_file(ctx, jpeg_path("testorig.jpg"), 0, &buf, &len), IDP_OK);
    /* Cut in half: libjpeg warns "premature end", which must be an error. */
    st = idp_load_memory(ctx, "half.jpg", buf, len / 2, NULL, &img, NULL);
    print_message("half.jpg: %s\n", idp_ctx_error(ctx));
    assert_int_equal(st, IDP_E_CORRUPT);
    assert_null(img);
    assert_non_null(strstr(idp_ctx_error(ctx), "half.jpg"));
    /* Only the EOI marker missing. */
    assert_int_equal(idp_load_memory(ctx, "noeoi.jpg", buf, len - 2, NULL, &img, NULL),
                     IDP_E_CORRUPT);
    /* Garbage in the entropy-coded data (bytes that are not markers). */
    bad = malloc(len);
    assert_non_null(bad);
    memcpy(bad, buf, len);
    for (i = len / 2; i < len / 2 + 64; i++)
        bad[i] = (uint8_t)(i * 37u % 251u == 0xff ? 0 : i * 37u % 251u);
    st = idp_load_memory(ctx, "garbled.jpg", bad, len, NULL, &img, NULL);
    print_message("garbled.jpg: %s\n", idp_ctx_error(ctx));
    assert_int_equal(st, IDP_E_CORRUPT);
    assert_null(img);
    free(bad);
    idp_free_wiped(buf, len);
    idp_ctx_destroy(ctx);
}

/* Encodes w x h pixels (3 or 4 components in `space`) as a JPEG in memory,
 * with an optional ICC profile and Adobe marker. */
static unsigned char *encode(unsigned char *px, unsigned w, unsigned h, int comps,
                             J_COLOR_SPACE space, int adobe, const void *icc, size_t icc_len,
                             unsigned long *len)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr err;
    unsigned char *out = NULL;

    *len = 0;
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &out, len);
    c.image_width = w;
    c.image_height = h;
    c.input_components = comps;
    c.in_color_space = space;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 95, TRUE);
    if (space == JCS_CMYK) {
        jpeg_set_colorspace(&c, JCS_CMYK);
        c.write_Adobe_marker = adobe ? TRUE : FALSE;
    }
    jpeg_start_compress(&c, TRUE);
    if (icc != NULL)
        jpeg_write_icc_profile(&c, icc, (unsigned int)icc_len);
    while (c.next_scanline < h) {
        JSAMPROW row = px + (size_t)c.next_scanline * w * (size_t)comps;
        (void)jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    return out;
}

static void check_decode(const char *name, const unsigned char *jpg, unsigned long len,
                         const ppm *ref, int want_converted)
{
    idp_image *img = NULL;
    idp_image_info info;
    idp_ctx *ctx;
    double mad, psnr;

    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    if (idp_load_memory(ctx, name, jpg, len, NULL, &img, &info) != IDP_OK)
        fail_msg("%s: %s", name, idp_ctx_error(ctx));
    assert_int_equal(info.icc_converted, want_converted);
    compare(img, ref, 0, &mad, &psnr);
    print_message("%-22s mean abs diff %.3f, PSNR %.1f dB\n", name, mad, psnr);
    assert_true(mad < 3.0);
    idp_image_destroy(img);
    idp_ctx_destroy(ctx);
}

/* CMYK written by us from testorig.ppm (K = 0, C = 255 - R ...): plain
 * samples without an Adobe marker, inverted samples with one. Both must
 * come back as the original colours. */
static void test_cmyk_plain_and_inverted(void **state)
{
    ppm ref = read_ppm(jpeg_path("testorig.ppm"));
    size_t n = (size_t)ref.w * ref.h;
    unsigned char *cmyk = malloc(n * 4), *jpg;
    unsigned long len;

    (void)state;
    assert_non_null(cmyk);
    for (int inverted = 0; inverted <= 1; inverted++) {
        for (size_t i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                unsigned char ink = (unsigned char)(255 - ref.rgb[i * 3 + (size_t)c]);
                cmyk[i * 4 + (size_t)c] = inverted ? (unsigned char)(255 - ink) : ink;
            }
            cmyk[i * 4 + 3] = inverted ? 255 : 0;
        }
        jpg = encode(cmyk, ref.w, ref.h, 4, JCS_CMYK, inverted, NULL, 0, &len);
        check_decode(inverted ? "cmyk-adobe-inverted" : "cmyk-plain", jpg, len, &ref, 0);
        free(jpg);
    }
    free(cmyk);
    free(ref.rgb);
}

/* testorig.ppm converted to Display P3 and stored with a P3 profile must
 * be converted back to (nearly) the original sRGB values; the P3 samples
 * themselves are far from them. */
static void test_display_p3_jpeg_converted(void **state)
{
    ppm ref = read_ppm(jpeg_path("testorig.ppm"));
    size_t n = (size_t)ref.w * ref.h;
    cmsCIExyY d65 = {0.3127, 0.3290, 1.0};
    cmsCIExyYTRIPLE prim = {{0.680, 0.320, 1.0}, {0.265, 0.690, 1.0}, {0.150, 0.060, 1.0}};
    cmsFloat64Number params[5] = {2.4, 1.0 / 1.055, 0.055 / 1.055, 1.0 / 12.92, 0.04045};
    cmsToneCurve *curve = cmsBuildParametricToneCurve(NULL, 4, params);
    cmsToneCurve *curves[3] = {curve, curve, curve};
    cmsHPROFILE p3 = cmsCreateRGBProfile(&d65, &prim, curves);
    cmsHPROFILE srgb = cmsCreate_sRGBProfile();
    cmsHTRANSFORM x;
    cmsUInt32Number icc_len = 0;
    unsigned char *p3px = malloc(n * 3), *jpg, *icc;
    unsigned long len;
    double sum = 0;

    (void)state;
    assert_non_null(p3);
    assert_non_null(p3px);
    x = cmsCreateTransform(srgb, TYPE_RGB_8, p3, TYPE_RGB_8, INTENT_RELATIVE_COLORIMETRIC, 0);
    assert_non_null(x);
    cmsDoTransform(x, ref.rgb, p3px, (cmsUInt32Number)n);
    for (size_t i = 0; i < n * 3; i++)
        sum += abs((int)p3px[i] - (int)ref.rgb[i]);
    print_message("P3 samples vs sRGB: mean abs diff %.2f\n", sum / (double)(n * 3));
    assert_true(sum / (double)(n * 3) > 4.0); /* measured 5.4 */
    assert_true(cmsSaveProfileToMem(p3, NULL, &icc_len));
    icc = malloc(icc_len);
    assert_non_null(icc);
    assert_true(cmsSaveProfileToMem(p3, icc, &icc_len));
    jpg = encode(p3px, ref.w, ref.h, 3, JCS_RGB, 0, icc, icc_len, &len);
    check_decode("display-p3.jpg", jpg, len, &ref, 1);
    free(jpg);
    free(icc);
    free(p3px);
    cmsDeleteTransform(x);
    cmsCloseProfile(p3);
    cmsCloseProfile(srgb);
    cmsFreeToneCurve(curve);
    free(ref.rgb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_baseline),
        cmocka_unit_test(test_arithmetic),
        cmocka_unit_test(test_progressive),
        cmocka_unit_test(test_cmyk_not_inverted),
        cmocka_unit_test(test_grey_is_luma),
        cmocka_unit_test(test_12bit_refused),
        cmocka_unit_test(test_dct_scaling),
        cmocka_unit_test(test_probe_reads_header_only),
        cmocka_unit_test(test_corrupt_data_is_an_error),
        cmocka_unit_test(test_cmyk_plain_and_inverted),
        cmocka_unit_test(test_display_p3_jpeg_converted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
