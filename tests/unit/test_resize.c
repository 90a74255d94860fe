/* idp_resize: box-filter exactness against hand-computed block means and
 * against a floating-point area-averaging reference; idp_fit_size. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "idp_resize.h"
#include "testutil.h"

static idp_image *new_image(idp_ctx *ctx, uint32_t w, uint32_t h, uint32_t ch)
{
    idp_image *img = NULL;
    assert_int_equal(idp_image_create(ctx, w, h, ch, &img), IDP_OK);
    return img;
}

/* A deterministic pseudo-random byte sequence (xorshift), so failures
 * reproduce. */
static uint32_t rng_state = 2463534242u;
static uint8_t rnd8(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return (uint8_t)(rng_state >> 24);
}

/* Exact area averaging in double precision: the reference. */
static double ref_pixel(const idp_image *in, uint32_t w, uint32_t h, uint32_t x, uint32_t y,
                        uint32_t c)
{
    double sx = (double)in->width / w, sy = (double)in->height / h;
    double x0 = x * sx, x1 = (x + 1) * sx, y0 = y * sy, y1 = (y + 1) * sy;
    double sum = 0.0, area = 0.0;

    for (uint32_t j = (uint32_t)y0; j < in->height && j < y1; j++) {
        double oy = (j + 1.0 < y1 ? j + 1.0 : y1) - (j > y0 ? j : y0);
        if (oy <= 0.0)
            continue;
        for (uint32_t i = (uint32_t)x0; i < in->width && i < x1; i++) {
            double ox = (i + 1.0 < x1 ? i + 1.0 : x1) - (i > x0 ? i : x0);
            if (ox <= 0.0)
                continue;
            sum += ox * oy * in->data[((size_t)j * in->width + i) * in->channels + c];
            area += ox * oy;
        }
    }
    return sum / area;
}

static double image_mean(const idp_image *img, uint32_t c)
{
    double sum = 0.0;
    size_t n = (size_t)img->width * img->height;
    for (size_t i = 0; i < n; i++)
        sum += img->data[i * img->channels + c];
    return sum / (double)n;
}

/* Resizes a random image and compares every sample with the reference:
 * the fixed-point result must be within one level of the exact mean. */
static void check_against_reference(uint32_t iw, uint32_t ih, uint32_t ch, uint32_t w, uint32_t h)
{
    idp_ctx *ctx = tu_new_ctx();
    idp_image *in = new_image(ctx, iw, ih, ch), *out = NULL;
    double worst = 0.0;

    for (size_t i = 0; i < (size_t)iw * ih * ch; i++)
        in->data[i] = rnd8();
    assert_int_equal(idp_resize_down(ctx, in, w, h, &out), IDP_OK);
    assert_non_null(out);
    assert_int_equal(out->width, w);
    assert_int_equal(out->height, h);
    assert_int_equal(out->channels, ch);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++)
            for (uint32_t c = 0; c < ch; c++) {
                double want = ref_pixel(in, w, h, x, y, c);
                double got = out->data[((size_t)y * w + x) * ch + c];
                double d = got > want ? got - want : want - got;
                if (d > worst)
                    worst = d;
            }
    if (worst > 0.55) /* rounding (0.5) plus fixed-point error */
        fail_msg("%ux%ux%u -> %ux%u: a sample is %.3f levels off the exact mean", iw, ih, ch, w, h,
                 worst);
    idp_image_destroy(out);
    idp_image_destroy(in);
    idp_ctx_destroy(ctx);
}

static void test_block_means_grey(void **state)
{
    /* Each 2x2 block's mean is known; the last block's is 6.5 -> 7 (half
     * rounds up), the third's 101.25 -> 101. */
    static const uint8_t px[16] = {
        0,   2,   10, 20, /* */
        4,   6,   30, 40, /* */
        100, 101, 5,  6,  /* */
        102, 102, 7,  8,
    };
    idp_ctx *ctx = tu_new_ctx();
    idp_image *in = new_image(ctx, 4, 4, 1), *out = NULL;
    (void)state;

    memcpy(in->data, px, sizeof(px));
    assert_int_equal(idp_resize_down(ctx, in, 2, 2, &out), IDP_OK);
    assert_int_equal(out->width, 2);
    assert_int_equal(out->height, 2);
    assert_int_equal(out->channels, 1);
    assert_int_equal(out->data[0], 3);   /* (0+2+4+6)/4 */
    assert_int_equal(out->data[1], 25);  /* (10+20+30+40)/4 */
    assert_int_equal(out->data[2], 101); /* (100+101+102+102)/4 = 101.25 */
    assert_int_equal(out->data[3], 7);   /* (5+6+7+8)/4 = 6.5 */
    idp_image_destroy(out);
    idp_image_destroy(in);
    idp_ctx_destroy(ctx);
}

static void test_block_means_rgb(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    idp_image *in = new_image(ctx, 4, 4, 3), *out = NULL;
    (void)state;

    /* R = 16 * x + y, G = 255 - R, B = a checkerboard 0/200. */
    for (uint32_t y = 0; y < 4; y++)
        for (uint32_t x = 0; x < 4; x++) {
            uint8_t *p = in->data + (y * 4 + x) * 3;
            p[0] = (uint8_t)(16 * x + y);
            p[1] = (uint8_t)(255 - p[0]);
            p[2] = (uint8_t)(((x + y) & 1) ? 200 : 0);
        }
    assert_int_equal(idp_resize_down(ctx, in, 2, 2, &out), IDP_OK);
    assert_int_equal(out->channels, 3);
    for (uint32_t by = 0; by < 2; by++)
        for (uint32_t bx = 0; bx < 2; bx++) {
            const uint8_t *p = out->data + (by * 2 + bx) * 3;
            /* mean of R over the block: 16*(2bx+0.5) + (2by+0.5) */
            double r = 16.0 * (2 * bx + 0.5) + (2 * by + 0.5);
            assert_int_equal(p[0], (int)(r + 0.5));
            assert_int_equal(p[1], (int)(255.0 - r + 0.5));
            assert_int_equal(p[2], 100);
        }
    idp_image_destroy(out);
    idp_image_destroy(in);
    idp_ctx_destroy(ctx);
}

static void test_three_to_two_keeps_mean(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    (void)state;

    for (uint32_t ch = 1; ch <= 3; ch += 2) {
        idp_image *in = new_image(ctx, 300, 150, ch), *out = NULL;
        for (size_t i = 0; i < (size_t)300 * 150 * ch; i++)
            in->data[i] = rnd8();
        assert_int_equal(idp_resize_down(ctx, in, 200, 100, &out), IDP_OK);
        for (uint32_t c = 0; c < ch; c++) {
            double a = image_mean(in, c), b = image_mean(out, c);
            if (a - b > 0.05 || b - a > 0.05)
                fail_msg("3->2 on %u channels: mean %.3f became %.3f", ch, a, b);
        }
        idp_image_destroy(out);
        idp_image_destroy(in);
    }
    /* 3x2 -> 2x2 by hand: output x=0 covers source 0 fully and half of 1. */
    {
        static const uint8_t px[6] = {30, 90, 150, 30, 90, 150};
        idp_image *in = new_image(ctx, 3, 2, 1), *out = NULL;
        memcpy(in->data, px, sizeof(px));
        assert_int_equal(idp_resize_down(ctx, in, 2, 1, &out), IDP_OK);
        assert_int_equal(out->data[0], 50);  /* (30 + 90/2) / 1.5 */
        assert_int_equal(out->data[1], 130); /* (90/2 + 150) / 1.5 */
        idp_image_destroy(out);
        idp_image_destroy(in);
    }
    idp_ctx_destroy(ctx);
}

static void test_matches_reference(void **state)
{
    (void)state;
    check_against_reference(9, 7, 1, 4, 3);
    check_against_reference(37, 23, 3, 10, 7);
    check_against_reference(64, 48, 3, 63, 47); /* close to 1: like 2016 -> 2000 */
    check_against_reference(101, 3, 1, 7, 2);
    check_against_reference(50, 40, 3, 50, 40); /* same size: a copy */
    check_against_reference(40, 50, 3, 1, 1);   /* everything into one pixel */
    check_against_reference(1000, 2, 3, 3, 1);
}

static void test_flat_stays_flat(void **state)
{
    static const uint32_t sizes[][4] = {{97, 61, 13, 11}, {200, 199, 199, 3}, {7, 7, 5, 2}};
    idp_ctx *ctx = tu_new_ctx();
    (void)state;

    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        idp_image *in = new_image(ctx, sizes[s][0], sizes[s][1], 3), *out = NULL;
        for (size_t i = 0; i < (size_t)sizes[s][0] * sizes[s][1]; i++) {
            in->data[i * 3] = 255;
            in->data[i * 3 + 1] = 1;
            in->data[i * 3 + 2] = 128;
        }
        assert_int_equal(idp_resize_down(ctx, in, sizes[s][2], sizes[s][3], &out), IDP_OK);
        for (size_t i = 0; i < (size_t)sizes[s][2] * sizes[s][3]; i++) {
            assert_int_equal(out->data[i * 3], 255);
            assert_int_equal(out->data[i * 3 + 1], 1);
            assert_int_equal(out->data[i * 3 + 2], 128);
        }
        idp_image_destroy(out);
        idp_image_destroy(in);
    }
    idp_ctx_destroy(ctx);
}

static void test_refuses_upscale_and_zero(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    idp_image *in = new_image(ctx, 10, 10, 3), *out = NULL;
    (void)state;

    assert_int_equal(idp_resize_down(ctx, in, 11, 10, &out), IDP_E_USAGE);
    assert_null(out);
    assert_int_equal(idp_resize_down(ctx, in, 10, 11, &out), IDP_E_USAGE);
    assert_int_equal(idp_resize_down(ctx, in, 0, 5, &out), IDP_E_USAGE);
    assert_int_equal(idp_resize_down(ctx, in, 5, 0, &out), IDP_E_USAGE);
    assert_null(out);
    assert_true(strlen(idp_ctx_error(ctx)) > 0);
    idp_image_destroy(in);
    idp_ctx_destroy(ctx);
}

/* In place gives exactly what the copying version gives. */
static void test_inplace_matches(void **state)
{
    static const uint32_t t[][5] = {
        {64, 48, 3, 63, 47}, {2016, 12, 3, 2000, 11}, {37, 23, 1, 10, 7},
        {50, 40, 3, 25, 20}, {9, 7, 1, 9, 3},         {300, 200, 3, 1, 1},
    };
    idp_ctx *ctx = tu_new_ctx();
    (void)state;

    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        idp_image *in = new_image(ctx, t[i][0], t[i][1], t[i][2]), *ref = NULL;
        for (size_t k = 0; k < (size_t)t[i][0] * t[i][1] * t[i][2]; k++)
            in->data[k] = rnd8();
        assert_int_equal(idp_resize_down(ctx, in, t[i][3], t[i][4], &ref), IDP_OK);
        assert_int_equal(idp_resize_down_inplace(ctx, in, t[i][3], t[i][4]), IDP_OK);
        assert_int_equal(in->width, t[i][3]);
        assert_int_equal(in->height, t[i][4]);
        assert_int_equal(in->channels, t[i][2]);
        assert_memory_equal(in->data, ref->data, (size_t)t[i][3] * t[i][4] * t[i][2]);
        idp_image_destroy(ref);
        idp_image_destroy(in);
    }
    {
        idp_image *in = new_image(ctx, 10, 10, 3);
        in->data[0] = 77;
        assert_int_equal(idp_resize_down_inplace(ctx, in, 10, 10), IDP_OK); /* no-op */
        assert_int_equal(in->data[0], 77);
        assert_int_equal(idp_resize_down_inplace(ctx, in, 11, 10), IDP_E_USAGE);
        assert_int_equal(in->width, 10);
        idp_image_destroy(in);
    }
    idp_ctx_destroy(ctx);
}

static void test_fit_size(void **state)
{
    static const struct {
        uint32_t w, h, max, ow, oh;
    } t[] = {
        {4000, 3000, 2000, 2000, 1500},                                 /* 12 MP 4:3 */
        {3000, 4000, 2000, 1500, 2000},                                 /* portrait */
        {4032, 3024, 2000, 2000, 1500}, {4080, 3072, 2000, 2000, 1506}, /* 1505.88 rounds up */
        {1800, 1200, 2000, 1800, 1200},                                 /* smaller: unchanged */
        {1000, 500, 2000, 1000, 500},                                   /* never upscaled */
        {2000, 2000, 2000, 2000, 2000}, {2001, 2001, 2000, 2000, 2000},
        {5000, 5000, 100, 100, 100},    {3, 2, 2, 2, 1}, /* 1.33 -> 1 */
        {10000, 3, 2000, 2000, 1},                       /* 0.6 -> 1 */
        {10000, 1, 2000, 2000, 1},                       /* 0.2 -> at least 1 */
        {1, 10000, 2000, 1, 2000},      {6000, 4000, 1, 1, 1},
    };
    (void)state;

    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        uint32_t ow = 0, oh = 0;
        idp_fit_size(t[i].w, t[i].h, t[i].max, &ow, &oh);
        if (ow != t[i].ow || oh != t[i].oh)
            fail_msg("fit %ux%u into %u: got %ux%u, expected %ux%u", t[i].w, t[i].h, t[i].max, ow,
                     oh, t[i].ow, t[i].oh);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_block_means_grey),
        cmocka_unit_test(test_block_means_rgb),
        cmocka_unit_test(test_three_to_two_keeps_mean),
        cmocka_unit_test(test_matches_reference),
        cmocka_unit_test(test_flat_stays_flat),
        cmocka_unit_test(test_refuses_upscale_and_zero),
        cmocka_unit_test(test_inplace_matches),
        cmocka_unit_test(test_fit_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
