/* EXIF orientation: the eight transforms on a tiny image, the EXIF
 * summary (orientation, camera, GPS) on blocks made with libexif, and the
 * exif-orientation corpus loaded upright. */
#include "idp_exif.h"
#include "idp_load.h"
#include "idp_orient.h"
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libexif/exif-data.h>

/* A 3x2 image whose pixel (x, y) holds the sample values 10*y + x + 1 (and
 * +100, +200 in the other channels), so every pixel is distinct. */
static idp_image *tiny(idp_ctx *ctx, uint32_t channels)
{
    idp_image *img = NULL;

    assert_int_equal(idp_image_create(ctx, 3, 2, channels, &img), IDP_OK);
    for (uint32_t y = 0; y < 2; y++)
        for (uint32_t x = 0; x < 3; x++)
            for (uint32_t c = 0; c < channels; c++)
                img->data[(y * 3 + x) * channels + c] = (uint8_t)(10 * y + x + 1 + 100 * c);
    return img;
}

static void test_orient_tiny(void **state)
{
    /* The upright image, written out, for each orientation: the stored
     * 3x2 image is
     *     1  2  3
     *    11 12 13
     * Orientation 6 means the stored image must turn 90 degrees clockwise,
     * 8 counter-clockwise; 2 and 4 mirror, 5 and 7 transpose. */
    static const struct {
        int o;
        uint32_t w, h;
        uint8_t px[6];
    } want[] = {
        {1, 3, 2, {1, 2, 3, 11, 12, 13}}, {2, 3, 2, {3, 2, 1, 13, 12, 11}},
        {3, 3, 2, {13, 12, 11, 3, 2, 1}}, {4, 3, 2, {11, 12, 13, 1, 2, 3}},
        {5, 2, 3, {1, 11, 2, 12, 3, 13}}, {6, 2, 3, {11, 1, 12, 2, 13, 3}},
        {7, 2, 3, {13, 3, 12, 2, 11, 1}}, {8, 2, 3, {3, 13, 2, 12, 1, 11}},
    };
    idp_ctx *ctx;

    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    for (uint32_t channels = 1; channels <= 3; channels += 2) {
        idp_image *in = tiny(ctx, channels);
        for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
            idp_image *out = NULL;
            uint32_t ow, oh;

            assert_int_equal(idp_orient_apply(ctx, in, want[i].o, &out), IDP_OK);
            idp_orient_size(3, 2, want[i].o, &ow, &oh);
            assert_int_equal(out->width, want[i].w);
            assert_int_equal(out->height, want[i].h);
            assert_int_equal(ow, want[i].w);
            assert_int_equal(oh, want[i].h);
            assert_int_equal(out->channels, channels);
            for (size_t p = 0; p < 6; p++)
                for (uint32_t c = 0; c < channels; c++)
                    if (out->data[p * channels + c] != want[i].px[p] + 100 * c)
                        fail_msg("orientation %d, %u channels: pixel %zu is %u, want %u", want[i].o,
                                 channels, p, out->data[p * channels + c], want[i].px[p] + 100 * c);
            idp_image_destroy(out);
        }
        /* Out-of-range values are a plain copy. */
        for (int o = -1; o <= 9; o += 10) {
            idp_image *out = NULL;
            assert_int_equal(idp_orient_apply(ctx, in, o, &out), IDP_OK);
            assert_int_equal(out->width, 3);
            assert_memory_equal(out->data, in->data, 6 * channels);
            idp_image_destroy(out);
        }
        idp_image_destroy(in);
    }
    idp_ctx_destroy(ctx);
}

/* --- EXIF blocks built with libexif. */

static void add_entry(ExifData *ed, ExifIfd ifd, ExifTag tag, ExifFormat fmt,
                      unsigned long components, const void *data, unsigned int size)
{
    ExifEntry *e = exif_entry_new();

    assert_non_null(e);
    e->tag = tag;
    e->format = fmt;
    e->components = components;
    e->size = size;
    e->data = malloc(size); /* freed by libexif's default allocator */
    assert_non_null(e->data);
    memcpy(e->data, data, size);
    exif_content_add_entry(ed->ifd[ifd], e);
    exif_entry_unref(e);
}

/* Flags: 1 orientation, 2 Make, 4 ExposureTime, 8 GPS. */
static unsigned char *make_exif(int flags, ExifShort orientation, unsigned int *len)
{
    ExifData *ed = exif_data_new();
    unsigned char *buf = NULL;
    unsigned char s[2];

    assert_non_null(ed);
    exif_data_set_byte_order(ed, EXIF_BYTE_ORDER_MOTOROLA);
    exif_data_unset_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
    if (flags & 1) {
        exif_set_short(s, EXIF_BYTE_ORDER_MOTOROLA, orientation);
        add_entry(ed, EXIF_IFD_0, EXIF_TAG_ORIENTATION, EXIF_FORMAT_SHORT, 1, s, 2);
    }
    if (flags & 2)
        add_entry(ed, EXIF_IFD_0, EXIF_TAG_MAKE, EXIF_FORMAT_ASCII, 6, "Phone", 6);
    if (flags & 4) {
        unsigned char r[8];
        ExifRational v = {1, 125};
        exif_set_rational(r, EXIF_BYTE_ORDER_MOTOROLA, v);
        add_entry(ed, EXIF_IFD_EXIF, EXIF_TAG_EXPOSURE_TIME, EXIF_FORMAT_RATIONAL, 1, r, 8);
    }
    if (flags & 8)
        add_entry(ed, EXIF_IFD_GPS, (ExifTag)EXIF_TAG_GPS_LATITUDE_REF, EXIF_FORMAT_ASCII, 2, "N",
                  2);
    exif_data_save_data(ed, &buf, len);
    assert_non_null(buf);
    exif_data_unref(ed);
    return buf;
}

static void summarize_both(const unsigned char *buf, unsigned int len, idp_exif_summary *s)
{
    idp_exif_summary bare;

    /* With the "Exif\0\0" header (JPEG APP1 form) and without (PNG eXIf). */
    idp_exif_summarize(buf, len, s);
    idp_exif_summarize(buf + 6, len - 6, &bare);
    assert_int_equal(bare.orientation, s->orientation);
    assert_int_equal(bare.has_camera, s->has_camera);
    assert_int_equal(bare.has_gps, s->has_gps);
}

static void test_exif_summary(void **state)
{
    idp_exif_summary s;
    unsigned int len;
    unsigned char *buf;
    static const unsigned char garbage[40] = "Exif\0\0MM\0*\0\0\0\x08\xff\xff garbage ....";

    (void)state;
    for (ExifShort o = 0; o <= 9; o++) {
        buf = make_exif(1, o, &len);
        summarize_both(buf, len, &s);
        assert_int_equal(s.orientation, o >= 1 && o <= 8 ? o : 1);
        assert_false(s.has_camera);
        assert_false(s.has_gps);
        free(buf);
    }
    buf = make_exif(1 | 2, 6, &len);
    summarize_both(buf, len, &s);
    assert_int_equal(s.orientation, 6);
    assert_true(s.has_camera);
    assert_false(s.has_gps);
    free(buf);
    buf = make_exif(4, 0, &len);
    summarize_both(buf, len, &s);
    assert_true(s.has_camera);
    assert_int_equal(s.orientation, 1);
    free(buf);
    buf = make_exif(1 | 8, 3, &len);
    summarize_both(buf, len, &s);
    assert_true(s.has_gps);
    assert_false(s.has_camera);
    assert_int_equal(s.orientation, 3);
    free(buf);

    idp_exif_summarize(garbage, sizeof(garbage), &s);
    assert_int_equal(s.orientation, 1);
    assert_false(s.has_camera);
    assert_false(s.has_gps);
    idp_exif_summarize(garbage, 3, &s);
    assert_int_equal(s.orientation, 1);
    idp_exif_summarize(NULL, 0, &s);
    assert_int_equal(s.orientation, 1);
}

/* --- The corpus: every Landscape_N / Portrait_N loads upright. */

static idp_image *load_corpus(idp_ctx *ctx, const char *kind, int n, idp_image_info *info)
{
    char path[4096];
    idp_image *img = NULL;
    idp_status st;

    snprintf(path, sizeof(path), "%s/exif-orientation/%s_%d.jpg", tu_env("IDP_CORPUS"), kind, n);
    st = idp_load_file(ctx, path, NULL, &img, info);
    if (st != IDP_OK)
        fail_msg("%s: %s", path, idp_ctx_error(ctx));
    return img;
}

static double mean_abs_diff(const idp_image *a, const idp_image *b)
{
    size_t n = idp_image_stride(a) * a->height;
    double sum = 0;

    for (size_t i = 0; i < n; i++)
        sum += abs((int)a->data[i] - (int)b->data[i]);
    return sum / (double)n;
}

/* The corpus files were re-encoded once per orientation: the upright
 * decodes differ from _1 by JPEG noise only, measured 0.4-3.3 on average. */
#define UPRIGHT_MAX_DIFF 5.0

static void check_set(const char *kind, uint32_t w, uint32_t h)
{
    idp_image_info info;
    idp_image *ref, *img;
    idp_ctx *ctx;

    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    ref = load_corpus(ctx, kind, 1, &info);
    assert_int_equal(ref->width, w);
    assert_int_equal(ref->height, h);
    for (int n = 0; n <= 8; n++) {
        double d;
        img = load_corpus(ctx, kind, n, &info);
        assert_int_equal(info.orientation, n == 0 ? 1 : n);
        assert_true(info.has_exif);
        assert_int_equal(img->width, w);
        assert_int_equal(img->height, h);
        assert_int_equal(info.width, w);
        assert_int_equal(info.height, h);
        d = mean_abs_diff(img, ref);
        print_message("%s_%d: orientation %d, mean abs diff to _1: %.2f\n", kind, n,
                      info.orientation, d);
        assert_true(d < UPRIGHT_MAX_DIFF);
        idp_image_destroy(img);
    }
    /* The control: left as stored, 2-4 are far from _1, so the threshold
     * above does tell a right orientation from a wrong one. */
    for (int n = 2; n <= 4; n++) {
        char path[4096];
        idp_load_opts opts = {.min_side = 0, .no_orient = true};
        double d;
        img = NULL;
        snprintf(path, sizeof(path), "%s/exif-orientation/%s_%d.jpg", tu_env("IDP_CORPUS"), kind,
                 n);
        assert_int_equal(idp_load_file(ctx, path, &opts, &img, &info), IDP_OK);
        d = mean_abs_diff(img, ref);
        print_message("%s_%d as stored: mean abs diff to _1: %.2f\n", kind, n, d);
        assert_true(d > 4 * UPRIGHT_MAX_DIFF);
        idp_image_destroy(img);
    }
    idp_image_destroy(ref);
    idp_ctx_destroy(ctx);
}

static void test_landscape(void **state)
{
    (void)state;
    check_set("Landscape", 1800, 1200);
}

static void test_portrait(void **state)
{
    (void)state;
    check_set("Portrait", 1200, 1800);
}

static void test_no_orient_keeps_stored(void **state)
{
    char path[4096];
    idp_load_opts opts = {.min_side = 0, .no_orient = true};
    idp_image_info info;
    idp_image *img = NULL, *ref;
    idp_ctx *ctx;

    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    ref = load_corpus(ctx, "Landscape", 1, &info);
    snprintf(path, sizeof(path), "%s/exif-orientation/Landscape_6.jpg", tu_env("IDP_CORPUS"));
    assert_int_equal(idp_load_file(ctx, path, &opts, &img, &info), IDP_OK);
    assert_int_equal(info.orientation, 6);
    assert_int_equal(img->width, info.stored_width);
    assert_int_equal(img->height, info.stored_height);
    assert_int_equal(img->width, 1200); /* stored turned: upright is 1800 wide */
    assert_int_equal(info.width, 1800);
    idp_image_destroy(img);
    idp_image_destroy(ref);
    idp_ctx_destroy(ctx);
}

/* The JPEG decoder turns the pixels while decoding; that must give exactly
 * what idp_orient_apply gives on the stored decode, at full and at reduced
 * DCT scale. */
static void test_decode_turn_matches_orient_apply(void **state)
{
    static const char *const kinds[] = {"Landscape", "Portrait"};
    idp_ctx *ctx;

    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    for (size_t k = 0; k < 2; k++)
        for (int n = 2; n <= 8; n++)
            for (uint32_t min_side = 0; min_side <= 900; min_side += 900) {
                char path[4096];
                idp_load_opts stored = {.min_side = min_side, .no_orient = true},
                              upright = {.min_side = min_side, .no_orient = false};
                idp_image *a = NULL, *b = NULL, *c = NULL;
                idp_image_info info;

                snprintf(path, sizeof(path), "%s/exif-orientation/%s_%d.jpg", tu_env("IDP_CORPUS"),
                         kinds[k], n);
                assert_int_equal(idp_load_file(ctx, path, &stored, &a, &info), IDP_OK);
                assert_int_equal(idp_load_file(ctx, path, &upright, &b, &info), IDP_OK);
                assert_int_equal(idp_orient_apply(ctx, a, n, &c), IDP_OK);
                assert_int_equal(b->width, c->width);
                assert_int_equal(b->height, c->height);
                assert_int_equal((b->width > b->height ? b->width : b->height),
                                 min_side ? 900 : 1800);
                assert_memory_equal(b->data, c->data, idp_image_stride(b) * b->height);
                idp_image_destroy(a);
                idp_image_destroy(b);
                idp_image_destroy(c);
            }
    idp_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_orient_tiny),
        cmocka_unit_test(test_exif_summary),
        cmocka_unit_test(test_landscape),
        cmocka_unit_test(test_portrait),
        cmocka_unit_test(test_no_orient_keeps_stored),
        cmocka_unit_test(test_decode_turn_matches_orient_apply),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
