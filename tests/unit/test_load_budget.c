/* The memory budget per photo (idp_limits.max_decode_bytes), decided from
 * the header: a JPEG over it is read at a smaller DCT scale, or refused
 * when even 1/8 does not fit; a progressive JPEG's coefficient buffers
 * count at full size; an interlaced PNG with alpha counts its whole RGBA
 * image. */
#include "idp_load.h"
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static idp_status load(const char *rel, uint64_t budget, uint32_t min_side, idp_image **img,
                       idp_image_info *info, idp_ctx **ctxp)
{
    char path[4096];
    idp_limits lim;
    idp_load_opts opts = {.min_side = min_side};
    idp_ctx *ctx;

    snprintf(path, sizeof(path), "%s/%s", tu_env("IDP_CORPUS"), rel);
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    idp_limits_default(&lim);
    lim.max_decode_bytes = budget;
    idp_ctx_set_limits(ctx, &lim);
    *ctxp = ctx;
    return idp_load_file(ctx, path, &opts, img, info);
}

/* testorig.jpg is 227x149, baseline: the RGB image and a batch of rows
 * (64 rows of 7 bytes a pixel) count, and libjpeg's working memory
 * (512 KiB + 48 bytes a column and component: 556 976 bytes). At full size
 * that is 760 KB; 700 KiB first fits at 6/8 (691 040). */
static void test_jpeg_reduced_scale(void **state)
{
    idp_image *img = NULL;
    idp_image_info info;
    idp_ctx *ctx;

    (void)state;
    assert_int_equal(load("jpeg/testorig.jpg", 0, 0, &img, &info, &ctx), IDP_OK);
    assert_int_equal(img->width, 227);
    idp_image_destroy(img);
    idp_ctx_destroy(ctx);
    assert_int_equal(load("jpeg/testorig.jpg", 700 * 1024, 0, &img, &info, &ctx), IDP_OK);
    assert_int_equal(info.scale_num, 6);
    assert_int_equal(info.scale_denom, 8);
    assert_int_equal(img->width, 171);
    assert_int_equal(info.width, 227); /* the size in the file is still said */
    idp_image_destroy(img);
    idp_ctx_destroy(ctx);
    /* a scale asked for (min_side) that already fits is kept */
    assert_int_equal(load("jpeg/testorig.jpg", 700 * 1024, 40, &img, &info, &ctx), IDP_OK);
    assert_int_equal(info.scale_num, 2);
    idp_image_destroy(img);
    idp_ctx_destroy(ctx);
    /* even 1/8 (29x19 and its rows: 571 621 bytes in all) does not fit in 550 KiB */
    assert_int_equal(load("jpeg/testorig.jpg", 550 * 1024, 0, &img, &info, &ctx), IDP_E_LIMITS);
    assert_null(img);
    assert_non_null(strstr(idp_ctx_error(ctx), "testorig.jpg: decoding the JPEG needs"));
    assert_non_null(strstr(idp_ctx_error(ctx), "memory budget"));
    idp_ctx_destroy(ctx);
}

/* testprog.jpg, progressive 227x149 4:2:0: 30x20 luma blocks and 15x10 of
 * each chroma (rounded to whole MCUs), 128 bytes each: 115 200 bytes of
 * coefficients at any scale, and 556 976 of working memory. */
static void test_progressive_coefficients(void **state)
{
    idp_image *img = NULL;
    idp_image_info info;
    idp_ctx *ctx;

    (void)state;
    assert_int_equal(load("jpeg/testprog.jpg", 650 * 1024, 0, &img, &info, &ctx), IDP_E_LIMITS);
    assert_non_null(strstr(idp_ctx_error(ctx), "coefficients of its progressive scans"));
    idp_ctx_destroy(ctx);
    /* 800 KiB leaves 147 024 bytes beside them and libjpeg's working
     * memory: 6/8 (171x112, 134 064) fits, 7/8 not */
    assert_int_equal(load("jpeg/testprog.jpg", 800 * 1024, 0, &img, &info, &ctx), IDP_OK);
    assert_true(info.progressive);
    assert_int_equal(info.scale_num, 6);
    assert_int_equal(img->width, 171);
    idp_image_destroy(img);
    idp_ctx_destroy(ctx);
}

/* basi6a08.png: 32x32 RGBA, Adam7: 3072 (RGB) + 4096 (RGBA) + 256 (row
 * pointers) + 512 (two 16-bit rows) = 7936 bytes; basn6a08.png, the same
 * image not interlaced, needs 3840. */
static void test_png_budget(void **state)
{
    idp_image *img = NULL;
    idp_image_info info;
    idp_ctx *ctx;

    (void)state;
    assert_int_equal(load("pngsuite/png/basi6a08.png", 7935, 0, &img, &info, &ctx), IDP_E_LIMITS);
    assert_non_null(strstr(idp_ctx_error(ctx), "32x32 interlaced PNG needs"));
    idp_ctx_destroy(ctx);
    assert_int_equal(load("pngsuite/png/basi6a08.png", 7936, 0, &img, &info, &ctx), IDP_OK);
    idp_image_destroy(img);
    idp_ctx_destroy(ctx);
    assert_int_equal(load("pngsuite/png/basn6a08.png", 7935, 0, &img, &info, &ctx), IDP_OK);
    idp_image_destroy(img);
    idp_ctx_destroy(ctx);
    assert_int_equal(load("pngsuite/png/basn6a08.png", 3839, 0, &img, &info, &ctx), IDP_E_LIMITS);
    idp_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jpeg_reduced_scale),
        cmocka_unit_test(test_progressive_coefficients),
        cmocka_unit_test(test_png_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
