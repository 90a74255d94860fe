/* idp_split_page: two documents on a scanned page are found and cut
 * apart; one is the page; anything else is unsure. Pages drawn here: an
 * A4 page at 100 DPI (3.94 px/mm), white, with grey card-sized blocks. */
#include "idp_ctx.h"
#include "idp_image.h"
#include "idp_load.h"
#include "idp_split.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define PPM (100.0 / 25.4)

static idp_image *page(idp_ctx *ctx)
{
    idp_image *img = NULL;

    assert_int_equal(idp_image_create(ctx, 827, 1169, 3, &img), IDP_OK);
    memset(img->data, 250, idp_image_stride(img) * img->height);
    return img;
}

/* A card of w x h mm at (x, y) mm: a grey block with a darker stripe. */
static void card(idp_image *img, double x, double y, double w, double h)
{
    uint32_t x0 = (uint32_t)(x * PPM), y0 = (uint32_t)(y * PPM);
    uint32_t x1 = (uint32_t)((x + w) * PPM), y1 = (uint32_t)((y + h) * PPM);

    for (uint32_t yy = y0; yy < y1; yy++)
        for (uint32_t xx = x0; xx < x1; xx++) {
            uint8_t *p = img->data + ((size_t)yy * img->width + xx) * 3;
            uint8_t v = (yy - y0) % 20 < 4 ? 40 : 160;
            p[0] = v;
            p[1] = v;
            p[2] = (uint8_t)(v + 20);
        }
}

static void test_two_above_each_other(void **state)
{
    idp_ctx *ctx = NULL;
    idp_rect r[2];
    unsigned n = 0;

    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    idp_image *img = page(ctx);
    card(img, 20, 20, 85.6, 54);
    card(img, 30, 120, 85.6, 54);
    assert_int_equal(idp_split_page(img, PPM, r, &n), IDP_SPLIT_TWO);
    assert_int_equal(n, 2);
    /* each part holds its card, with a margin, and not the other one */
    assert_true(r[0].x <= 20 * PPM && r[0].y <= 20 * PPM);
    assert_true(r[0].x + r[0].w >= 105 * PPM && r[0].y + r[0].h >= 74 * PPM);
    assert_true(r[0].y + r[0].h < 120 * PPM);
    assert_true(r[1].y > 74 * PPM && r[1].y <= 120 * PPM);
    assert_true(r[1].x + r[1].w >= 115 * PPM && r[1].y + r[1].h >= 174 * PPM);
    idp_image_destroy(img);
    idp_ctx_destroy(ctx);
}

static void test_two_side_by_side(void **state)
{
    idp_ctx *ctx = NULL;
    idp_rect r[2];
    unsigned n = 0;

    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    idp_image *img = page(ctx);
    /* portrait cards next to each other, offset in height */
    card(img, 10, 30, 54, 85.6);
    card(img, 90, 60, 54, 85.6);
    assert_int_equal(idp_split_page(img, PPM, r, &n), IDP_SPLIT_TWO);
    assert_true(r[0].x + r[0].w < 90 * PPM && r[1].x > 64 * PPM);
    idp_image_destroy(img);
    idp_ctx_destroy(ctx);
}

static void test_one_and_unsure(void **state)
{
    idp_ctx *ctx = NULL;
    idp_rect r[2];
    unsigned n = 0;

    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    idp_image *img = page(ctx);
    assert_int_equal(idp_split_page(img, PPM, r, &n), IDP_SPLIT_BLANK);
    card(img, 20, 20, 85.6, 54);
    assert_int_equal(idp_split_page(img, PPM, r, &n), IDP_SPLIT_ONE);
    /* a gap narrower than 4 mm does not split a card */
    memset(img->data + (size_t)(40 * PPM) * idp_image_stride(img), 250,
           (size_t)(3 * PPM) * idp_image_stride(img));
    assert_int_equal(idp_split_page(img, PPM, r, &n), IDP_SPLIT_ONE);
    /* a card and a small note: not two documents */
    card(img, 20, 120, 30, 10);
    assert_int_equal(idp_split_page(img, PPM, r, &n), IDP_SPLIT_UNSURE);
    /* three cards */
    card(img, 20, 200, 85.6, 54);
    assert_int_equal(idp_split_page(img, PPM, r, &n), IDP_SPLIT_UNSURE);
    assert_int_equal(n, 3);
    idp_image_destroy(img);
    idp_ctx_destroy(ctx);
}

static void test_detect_new_formats(void **state)
{
    static const uint8_t tiff_le[] = {'I', 'I', 42, 0, 8, 0, 0, 0};
    static const uint8_t tiff_be[] = {'M', 'M', 0, 42, 0, 0, 0, 8};
    static const uint8_t pdf[] = "junk\n%PDF-1.4\n";

    (void)state;
    assert_int_equal(idp_detect_format(tiff_le, sizeof(tiff_le)), IDP_FORMAT_TIFF);
    assert_int_equal(idp_detect_format(tiff_be, sizeof(tiff_be)), IDP_FORMAT_TIFF);
    assert_int_equal(idp_detect_format(tiff_le, 3), IDP_FORMAT_UNKNOWN);
    assert_int_equal(idp_detect_format(pdf, sizeof(pdf) - 1), IDP_FORMAT_PDF);
    assert_int_equal(idp_detect_format((const uint8_t *)"%PD", 3), IDP_FORMAT_UNKNOWN);
    assert_string_equal(idp_format_name(IDP_FORMAT_HEIF), "heif");
    assert_string_equal(idp_format_name(IDP_FORMAT_TIFF), "tiff");
    assert_string_equal(idp_format_name(IDP_FORMAT_PDF), "pdf");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_above_each_other),
        cmocka_unit_test(test_two_side_by_side),
        cmocka_unit_test(test_one_and_unsure),
        cmocka_unit_test(test_detect_new_formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
