/* The duplicate check's hash (idp_imghash) on drawn images whose answers
 * are known: the same picture turned, re-ordered or resized hashes the
 * same; another picture does not. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_imghash.h"
#include "idp_measure.h"
#include "testutil.h"
#include "testutil_ctx.h"

#include <string.h>

/* A w x h grey picture: bright with dark blocks laid out by seed (a
 * made-up "card": where the blocks are is the content). */
static idp_image *picture(uint32_t w, uint32_t h, uint32_t seed)
{
    idp_image *img = NULL;
    uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
    assert_int_equal(idp_image_create(ctx, w, h, 1, &img), IDP_OK);
    memset(img->data, 200, (size_t)w * h);
    for (int k = 0; k < 12; k++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        const uint32_t bx = (uint32_t)(s % (w * 3 / 4)), by = (uint32_t)((s >> 20) % (h * 3 / 4));
        const uint32_t bw = w / 8 + (uint32_t)((s >> 40) % (w / 6)), bh = h / 10;
        for (uint32_t y = by; y < by + bh && y < h; y++)
            memset(img->data + (size_t)y * w + bx, 40 + 10 * k, bw < w - bx ? bw : w - bx);
    }
    return img;
}

/* img turned half a turn */
static idp_image *turned(const idp_image *img)
{
    idp_image *out = NULL;
    const size_t n = (size_t)img->width * img->height;
    assert_int_equal(idp_image_create(ctx, img->width, img->height, 1, &out), IDP_OK);
    for (size_t i = 0; i < n; i++)
        out->data[i] = img->data[n - 1 - i];
    return out;
}

/* img turned a quarter clockwise */
static idp_image *quarter(const idp_image *img)
{
    idp_image *out = NULL;
    const uint32_t w = img->width, h = img->height;
    assert_int_equal(idp_image_create(ctx, h, w, 1, &out), IDP_OK);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) /* (x, y) goes to (h - 1 - y, x) */
            out->data[(size_t)x * h + (h - 1 - y)] = img->data[(size_t)y * w + x];
    return out;
}

static unsigned frame_distance(const idp_image *a, const idp_image *b)
{
    idp_hash256 ha, hb;
    assert_int_equal(idp_hash_frame(ctx, a, &ha), IDP_OK);
    assert_int_equal(idp_hash_frame(ctx, b, &hb), IDP_OK);
    return idp_hash_distance(&ha, &hb);
}

static void test_same_and_other(void **state)
{
    idp_image *a = picture(800, 500, 1), *b = picture(800, 500, 2), *small = NULL;
    idp_hash256 h;
    (void)state;
    assert_int_equal(idp_hash_frame(ctx, a, &h), IDP_OK);
    assert_int_equal(idp_hash_distance(&h, &h), 0);
    /* the mean is not hashed: bit 255 never set, and some bits are set */
    assert_int_equal(h.w[3] >> 63, 0);
    assert_true((h.w[0] | h.w[1] | h.w[2] | h.w[3]) != 0);
    /* the same picture at 60 %: a few bits at most */
    assert_int_equal(idp_measure_grey(ctx, a, 480, &small), IDP_OK);
    assert_true(frame_distance(a, small) <= 8);
    /* another picture: far (about half the bits) */
    assert_true(frame_distance(a, b) > 64);
    idp_image_destroy(a);
    idp_image_destroy(b);
    idp_image_destroy(small);
}

static void test_turned(void **state)
{
    idp_image *a = picture(800, 500, 3), *t = turned(a), *q = quarter(a), *b = picture(800, 500, 4);
    (void)state;
    /* half a turn: the distance compares both ways up */
    assert_true(frame_distance(a, t) <= 2);
    /* a quarter: a portrait frame is hashed turned to landscape */
    assert_true(frame_distance(a, q) <= 2);
    /* and turning does not bring another picture near */
    assert_true(frame_distance(t, b) > 64);
    idp_image_destroy(a);
    idp_image_destroy(t);
    idp_image_destroy(q);
    idp_image_destroy(b);
}

static void test_quad(void **state)
{
    /* a picture pasted into a bigger frame; the quad around it hashes
     * as the picture, from whichever corner the quad starts */
    idp_image *a = picture(400, 250, 5), *frame = NULL;
    idp_hash256 ha, hq, hr;
    const double q[4][2] = {{100, 80}, {500, 80}, {500, 330}, {100, 330}};
    const double r[4][2] = {{100, 330}, {100, 80}, {500, 80}, {500, 330}}; /* TL->TR short */
    (void)state;
    assert_int_equal(idp_image_create(ctx, 640, 480, 1, &frame), IDP_OK);
    memset(frame->data, 90, (size_t)640 * 480);
    for (uint32_t y = 0; y < 250; y++)
        memcpy(frame->data + (size_t)(80 + y) * 640 + 100, a->data + (size_t)y * 400, 400);
    assert_int_equal(idp_hash_frame(ctx, a, &ha), IDP_OK);
    assert_int_equal(idp_hash_quad(ctx, frame, q, &hq), IDP_OK);
    assert_int_equal(idp_hash_quad(ctx, frame, r, &hr), IDP_OK);
    assert_true(idp_hash_distance(&ha, &hq) <= 4);
    assert_true(idp_hash_distance(&hq, &hr) <= 2);
    /* the whole frame (the table around) is not the picture */
    {
        idp_hash256 hf;
        assert_int_equal(idp_hash_frame(ctx, frame, &hf), IDP_OK);
        assert_true(idp_hash_distance(&hf, &hq) > 8);
    }
    idp_image_destroy(a);
    idp_image_destroy(frame);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_and_other),
        cmocka_unit_test(test_turned),
        cmocka_unit_test(test_quad),
    };
    return cmocka_run_group_tests(tests, tu_ctx_setup, tu_ctx_teardown);
}
