/* The raw measurements on synthetic images whose answers are known. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_measure.h"
#include "testutil.h"
#include "testutil_ctx.h"

#include <math.h>
#include <string.h>

static idp_image *make(uint32_t w, uint32_t h, uint32_t ch)
{
    idp_image *img = NULL;
    assert_int_equal(idp_image_create(ctx, w, h, ch, &img), IDP_OK);
    return img;
}

static void fill(idp_image *img, uint8_t r, uint8_t g, uint8_t b)
{
    for (size_t i = 0; i < (size_t)img->width * img->height; i++) {
        uint8_t *p = img->data + i * img->channels;
        p[0] = r;
        if (img->channels == 3) {
            p[1] = g;
            p[2] = b;
        }
    }
}

static uint8_t *px(idp_image *img, uint32_t x, uint32_t y)
{
    return img->data + ((size_t)y * img->width + x) * img->channels;
}

/* A 1-pixel checkerboard of 0 and 255 (the sharpest possible image). */
static idp_image *checkerboard(uint32_t w, uint32_t h, uint32_t cell)
{
    idp_image *img = make(w, h, 1);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++)
            *px(img, x, y) = ((x / cell + y / cell) & 1) ? 255 : 0;
    return img;
}

/* A 3x3 box blur of a grey image (edges clamped). */
static idp_image *box_blur(idp_image *src)
{
    idp_image *dst = make(src->width, src->height, 1);
    for (uint32_t y = 0; y < src->height; y++)
        for (uint32_t x = 0; x < src->width; x++) {
            unsigned s = 0;
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++) {
                    int64_t xx = (int64_t)x + dx, yy = (int64_t)y + dy;
                    xx = xx < 0 ? 0 : xx >= src->width ? src->width - 1 : xx;
                    yy = yy < 0 ? 0 : yy >= src->height ? src->height - 1 : yy;
                    s += *px(src, (uint32_t)xx, (uint32_t)yy);
                }
            *px(dst, x, y) = (uint8_t)((s + 4) / 9);
        }
    return dst;
}

/* Deterministic pseudo-random bytes (xorshift). */
static uint32_t rnd_state = 2463534242u;
static uint8_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 17;
    rnd_state ^= rnd_state << 5;
    return (uint8_t)(rnd_state >> 24);
}

static void test_grey_luma(void **state)
{
    idp_image *rgb = make(4, 1, 3), *grey = NULL;
    (void)state;
    memcpy(rgb->data, (const uint8_t[]){255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255}, 12);
    assert_int_equal(idp_measure_grey(ctx, rgb, 1000, &grey), IDP_OK);
    assert_int_equal(grey->width, 4);
    assert_int_equal(grey->height, 1);
    assert_int_equal(grey->channels, 1);
    /* BT.601: 0.299 R + 0.587 G + 0.114 B */
    assert_int_equal(grey->data[0], 76);
    assert_int_equal(grey->data[1], 150);
    assert_int_equal(grey->data[2], 29);
    assert_int_equal(grey->data[3], 255);
    idp_image_destroy(grey);
    idp_image_destroy(rgb);
}

static void test_grey_never_enlarged(void **state)
{
    idp_image *rgb = make(120, 80, 3), *grey = NULL;
    (void)state;
    fill(rgb, 10, 20, 30);
    assert_int_equal(idp_measure_grey(ctx, rgb, 1000, &grey), IDP_OK);
    assert_int_equal(grey->width, 120);
    assert_int_equal(grey->height, 80);
    idp_image_destroy(grey);
    idp_image_destroy(rgb);
}

static void test_grey_area_average(void **state)
{
    idp_image *rgb = make(2000, 1000, 3), *grey = NULL;
    (void)state;
    /* columns alternate black and white: the half-size copy is mid grey */
    for (uint32_t y = 0; y < 1000; y++)
        for (uint32_t x = 0; x < 2000; x++)
            memset(px(rgb, x, y), (x & 1) ? 255 : 0, 3);
    assert_int_equal(idp_measure_grey(ctx, rgb, 1000, &grey), IDP_OK);
    assert_int_equal(grey->width, 1000);
    assert_int_equal(grey->height, 500);
    for (size_t i = 0; i < 1000u * 500u; i++)
        assert_in_range(grey->data[i], 127, 128);
    idp_image_destroy(grey);
    idp_image_destroy(rgb);
}

static void test_grey_fractional_scale(void **state)
{
    /* 1500x900 -> 1000x600 (2/3): a flat image stays exactly flat, a left
     * half black / right half white keeps its edge in the middle. */
    idp_image *rgb = make(1500, 900, 3), *grey = NULL;
    (void)state;
    for (uint32_t y = 0; y < 900; y++)
        for (uint32_t x = 0; x < 1500; x++)
            memset(px(rgb, x, y), x < 750 ? 40 : 200, 3);
    assert_int_equal(idp_measure_grey(ctx, rgb, 1000, &grey), IDP_OK);
    assert_int_equal(grey->width, 1000);
    assert_int_equal(grey->height, 600);
    for (uint32_t y = 0; y < 600; y++) {
        assert_int_equal(*px(grey, 0, y), 40);
        assert_int_equal(*px(grey, 499, y), 40);
        assert_int_equal(*px(grey, 500, y), 200);
        assert_int_equal(*px(grey, 999, y), 200);
    }
    idp_image_destroy(grey);
    /* portrait, odd sizes */
    idp_image_destroy(rgb);
    rgb = make(777, 2333, 3);
    fill(rgb, 90, 90, 90);
    assert_int_equal(idp_measure_grey(ctx, rgb, 1000, &grey), IDP_OK);
    assert_int_equal(grey->height, 1000);
    assert_int_equal(grey->width, 333);
    for (size_t i = 0; i < (size_t)grey->width * grey->height; i++)
        assert_int_equal(grey->data[i], 90);
    idp_image_destroy(grey);
    idp_image_destroy(rgb);
}

static void test_grey_extremes(void **state)
{
    /* very thin images, and a random one whose mean must survive */
    static const uint32_t sizes[][2] = {{5000, 3}, {3, 5000}, {1001, 1001}, {1999, 7}};
    (void)state;
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        const uint32_t w = sizes[i][0], h = sizes[i][1];
        idp_image *rgb = make(w, h, 3), *grey = NULL;
        double in = 0, outm = 0;
        for (size_t k = 0; k < (size_t)w * h; k++) {
            uint8_t *p = rgb->data + k * 3;
            p[0] = p[1] = p[2] = rnd();
            in += p[0];
        }
        assert_int_equal(idp_measure_grey(ctx, rgb, 1000, &grey), IDP_OK);
        assert_true(grey->width <= 1000 && grey->height <= 1000);
        assert_true(grey->width >= 1 && grey->height >= 1);
        assert_true(grey->width == 1000 || grey->height == 1000);
        for (size_t k = 0; k < (size_t)grey->width * grey->height; k++)
            outm += grey->data[k];
        in /= (double)w * h;
        outm /= (double)grey->width * grey->height;
        if (fabs(in - outm) > 1.0)
            fail_msg("%ux%u: mean %g became %g", w, h, in, outm);
        idp_image_destroy(grey);
        idp_image_destroy(rgb);
    }
}

static void test_sharpness(void **state)
{
    idp_image *flat = make(64, 64, 1), *cb = checkerboard(64, 64, 1),
              *cb4 = checkerboard(64, 64, 4);
    idp_image *blur, *blur2;
    double s_cb, s_cb4, s_blur, s_blur2;
    (void)state;
    fill(flat, 128, 0, 0);
    assert_true(idp_measure_sharpness(flat) == 0.0);
    /* every interior Laplacian of a 1-px checkerboard is +-1020 */
    s_cb = idp_measure_sharpness(cb);
    assert_true(fabs(s_cb - 1020.0 * 1020.0) < 1.0);
    s_cb4 = idp_measure_sharpness(cb4);
    blur = box_blur(cb4);
    blur2 = box_blur(blur);
    s_blur = idp_measure_sharpness(blur);
    s_blur2 = idp_measure_sharpness(blur2);
    assert_true(s_cb4 > 1000.0);
    assert_true(s_blur < s_cb4 / 2.0);
    assert_true(s_blur2 < s_blur);
    /* too small for a Laplacian */
    idp_image_destroy(flat);
    flat = make(2, 2, 1);
    assert_true(idp_measure_sharpness(flat) == 0.0);
    idp_image_destroy(flat);
    idp_image_destroy(cb);
    idp_image_destroy(cb4);
    idp_image_destroy(blur);
    idp_image_destroy(blur2);
}

static void test_exposure(void **state)
{
    idp_image *g = make(100, 100, 1);
    idp_exposure e;
    (void)state;
    fill(g, 3, 0, 0);
    idp_measure_exposure(g, &e);
    assert_true(fabs(e.mean_luma - 3.0) < 1e-9);
    assert_true(e.shadow_clip == 1.0);
    assert_true(e.highlight_clip == 0.0);
    /* half black, half white; the edges 5 and 250 count as clipped */
    for (uint32_t y = 0; y < 100; y++)
        for (uint32_t x = 0; x < 100; x++)
            *px(g, x, y) = x < 50 ? 5 : 250;
    idp_measure_exposure(g, &e);
    assert_true(fabs(e.mean_luma - 127.5) < 1e-9);
    assert_true(fabs(e.shadow_clip - 0.5) < 1e-9);
    assert_true(fabs(e.highlight_clip - 0.5) < 1e-9);
    /* 6 and 249 are not clipped */
    for (uint32_t y = 0; y < 100; y++)
        for (uint32_t x = 0; x < 100; x++)
            *px(g, x, y) = x < 25 ? 6 : 249;
    idp_measure_exposure(g, &e);
    assert_true(e.shadow_clip == 0.0);
    assert_true(e.highlight_clip == 0.0);
    idp_image_destroy(g);
}

static void test_colourfulness(void **state)
{
    idp_image *rgb = make(200, 100, 3);
    double c;
    (void)state;
    /* pure grey levels: no colour at all */
    for (uint32_t y = 0; y < 100; y++)
        for (uint32_t x = 0; x < 200; x++)
            memset(px(rgb, x, y), (int)(x + y) & 0xff, 3);
    assert_true(idp_measure_colourfulness(rgb) < 1e-9);
    /* a uniform colour cast is not colour either (sepia photocopy) */
    fill(rgb, 200, 150, 100);
    assert_true(idp_measure_colourfulness(rgb) < 1e-6);
    /* half saturated red, half saturated blue: large chroma spread */
    for (uint32_t y = 0; y < 100; y++)
        for (uint32_t x = 0; x < 200; x++)
            memcpy(px(rgb, x, y),
                   x < 100 ? (const uint8_t[]){220, 30, 30} : (const uint8_t[]){30, 30, 220}, 3);
    c = idp_measure_colourfulness(rgb);
    assert_true(c > 50.0);
    /* a grey image has no chroma */
    idp_image_destroy(rgb);
    rgb = make(10, 10, 1);
    assert_true(idp_measure_colourfulness(rgb) == 0.0);
    idp_image_destroy(rgb);
}

static void test_flatness(void **state)
{
    idp_image *g = make(64, 64, 1);
    (void)state;
    fill(g, 77, 0, 0);
    assert_true(idp_measure_flatness(g) == 1.0);
    for (size_t i = 0; i < 64u * 64u; i++)
        g->data[i] = rnd();
    assert_true(idp_measure_flatness(g) < 0.01);
    /* 16x16: one of the four blocks has a single different pixel */
    idp_image_destroy(g);
    g = make(20, 16, 1); /* the partial column of blocks is ignored */
    fill(g, 10, 0, 0);
    *px(g, 9, 9) = 11;
    *px(g, 19, 0) = 200;
    assert_true(fabs(idp_measure_flatness(g) - 0.75) < 1e-9);
    idp_image_destroy(g);
    g = make(7, 7, 1);
    assert_true(idp_measure_flatness(g) == 0.0);
    idp_image_destroy(g);
}

static void test_dhash(void **state)
{
    idp_image *g = make(90, 80, 1), *small = NULL, *rgb = make(900, 800, 3);
    uint64_t h1, h2;
    (void)state;
    fill(g, 100, 0, 0);
    assert_true(idp_measure_dhash(g) == 0);
    /* brighter to the right: no left-brighter pair */
    for (uint32_t y = 0; y < 80; y++)
        for (uint32_t x = 0; x < 90; x++)
            *px(g, x, y) = (uint8_t)(x * 2);
    assert_true(idp_measure_dhash(g) == 0);
    for (uint32_t y = 0; y < 80; y++)
        for (uint32_t x = 0; x < 90; x++)
            *px(g, x, y) = (uint8_t)(200 - x * 2);
    assert_true(idp_measure_dhash(g) == UINT64_MAX);
    assert_int_equal(idp_hamming64(0, UINT64_MAX), 64);
    assert_int_equal(idp_hamming64(0x5, 0x6), 2);
    assert_int_equal(idp_hamming64(42, 42), 0);
    /* blobs: the hash survives downscaling, a different picture differs */
    for (uint32_t y = 0; y < 800; y++)
        for (uint32_t x = 0; x < 900; x++)
            memset(px(rgb, x, y), (int)(128 + 100 * sin(x / 60.0) * cos(y / 45.0) + (rnd() & 7)),
                   3);
    idp_image_destroy(g);
    g = NULL;
    assert_int_equal(idp_measure_grey(ctx, rgb, 1000, &g), IDP_OK);
    assert_int_equal(idp_measure_grey(ctx, rgb, 300, &small), IDP_OK);
    h1 = idp_measure_dhash(g);
    h2 = idp_measure_dhash(small);
    assert_true(idp_hamming64(h1, h2) <= 4);
    assert_true(h1 != 0 && h1 != UINT64_MAX);
    idp_image_destroy(small);
    small = NULL;
    for (uint32_t y = 0; y < 800; y++)
        for (uint32_t x = 0; x < 900; x++)
            memset(px(rgb, x, y), (int)(128 + 100 * cos(x / 37.0) * sin(y / 71.0)), 3);
    assert_int_equal(idp_measure_grey(ctx, rgb, 1000, &small), IDP_OK);
    assert_true(idp_hamming64(h1, idp_measure_dhash(small)) > 16);
    idp_image_destroy(small);
    idp_image_destroy(g);
    idp_image_destroy(rgb);
}

static void test_screen_sizes(void **state)
{
    static const uint32_t screens[][2] = {
        {750, 1334},  {828, 1792},  {1125, 2436}, {1170, 2532}, {1179, 2556},
        {1242, 2688}, {1284, 2778}, {1290, 2796}, {720, 1280},  {1080, 1920},
        {1080, 2340}, {1080, 2400}, {1440, 2560}, {1440, 3200}, {1366, 768},
        {1920, 1080}, {2560, 1440}, {2880, 1800}, {3840, 2160},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(screens) / sizeof(screens[0]); i++) {
        assert_true(idp_is_screen_size(screens[i][0], screens[i][1]));
        assert_true(idp_is_screen_size(screens[i][1], screens[i][0]));
    }
    /* camera sensor sizes are not screens */
    assert_false(idp_is_screen_size(4032, 3024));
    assert_false(idp_is_screen_size(4000, 3000));
    assert_false(idp_is_screen_size(1800, 1200));
    assert_false(idp_is_screen_size(1170, 2533));
    assert_false(idp_is_screen_size(0, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grey_luma),         cmocka_unit_test(test_grey_never_enlarged),
        cmocka_unit_test(test_grey_area_average), cmocka_unit_test(test_grey_fractional_scale),
        cmocka_unit_test(test_grey_extremes),     cmocka_unit_test(test_sharpness),
        cmocka_unit_test(test_exposure),          cmocka_unit_test(test_colourfulness),
        cmocka_unit_test(test_flatness),          cmocka_unit_test(test_dhash),
        cmocka_unit_test(test_screen_sizes),
    };
    return cmocka_run_group_tests(tests, tu_ctx_setup, tu_ctx_teardown);
}
