/* idp_jpeg_encode and idp_normalize: the JPEG is baseline, 4:2:0, JFIF
 * only (decoded back with libjpeg and its markers scanned), the size is
 * capped and never enlarged, the byte budget lowers the quality and then
 * the size, and files are written safely. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <jpeglib.h>

#include "idp_io.h"
#include "idp_jpegsave.h"
#include "idp_normalize.h"
#include "testutil.h"

/* Smooth colour ramps: JPEG reproduces them closely. */
static idp_image *gradient(idp_ctx *ctx, uint32_t w, uint32_t h, uint32_t ch)
{
    idp_image *img = NULL;
    assert_int_equal(idp_image_create(ctx, w, h, ch, &img), IDP_OK);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            uint8_t *p = img->data + ((size_t)y * w + x) * ch;
            p[0] = (uint8_t)(x * 255 / w);
            if (ch == 3) {
                p[1] = (uint8_t)(y * 255 / h);
                p[2] = (uint8_t)(255 - (x + y) * 255 / (w + h));
            }
        }
    return img;
}

/* Pseudo-random noise: expensive to compress, so it exercises the budget. */
static idp_image *noise(idp_ctx *ctx, uint32_t w, uint32_t h)
{
    uint32_t s = 88172645u;
    idp_image *img = NULL;
    assert_int_equal(idp_image_create(ctx, w, h, 3, &img), IDP_OK);
    for (size_t i = 0; i < (size_t)w * h * 3; i++) {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        img->data[i] = (uint8_t)(s >> 24);
    }
    return img;
}

/* What the markers before the first scan say. */
typedef struct markers {
    bool ok;        /* the segment structure is sound up to SOS */
    bool seen[256]; /* marker codes found */
} markers;

static markers scan_markers(const uint8_t *b, size_t n)
{
    markers m;
    size_t i = 2;

    memset(&m, 0, sizeof(m));
    if (n < 4 || b[0] != 0xFF || b[1] != 0xD8)
        return m;
    while (i + 4 <= n) {
        uint8_t code;
        size_t seglen;
        if (b[i] != 0xFF)
            return m;
        code = b[i + 1];
        m.seen[code] = true;
        seglen = ((size_t)b[i + 2] << 8) | b[i + 3];
        if (seglen < 2 || i + 2 + seglen > n)
            return m;
        if (code == 0xDA) { /* SOS: entropy-coded data follows */
            m.ok = true;
            break;
        }
        i += 2 + seglen;
    }
    /* and the file ends with EOI */
    m.ok = m.ok && b[n - 2] == 0xFF && b[n - 1] == 0xD9;
    return m;
}

/* What libjpeg says about the JPEG, and its pixels. libjpeg's default
 * error handler exits on a corrupt file, which fails the test. */
typedef struct decoded {
    uint32_t width, height;
    int components;
    bool progressive;
    bool jfif, adobe;
    int h_samp[3], v_samp[3];
    J_COLOR_SPACE colour;
    int saved_markers; /* APPn and COM kept by jpeg_save_markers */
    int saved_non_app0;
    uint8_t *pixels;
} decoded;

static decoded decode(const uint8_t *buf, size_t len)
{
    struct jpeg_decompress_struct cinfo;
    struct jpeg_error_mgr jerr;
    decoded d;

    memset(&d, 0, sizeof(d));
    cinfo.err = jpeg_std_error(&jerr);
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, buf, (unsigned long)len);
    jpeg_save_markers(&cinfo, JPEG_COM, 0xFFFF);
    for (int k = 0; k < 16; k++)
        jpeg_save_markers(&cinfo, JPEG_APP0 + k, 0xFFFF);
    assert_int_equal(jpeg_read_header(&cinfo, TRUE), JPEG_HEADER_OK);
    for (jpeg_saved_marker_ptr mk = cinfo.marker_list; mk != NULL; mk = mk->next) {
        d.saved_markers++;
        if (mk->marker != JPEG_APP0)
            d.saved_non_app0++;
    }
    d.width = cinfo.image_width;
    d.height = cinfo.image_height;
    d.components = cinfo.num_components;
    d.progressive = cinfo.progressive_mode != 0;
    d.jfif = cinfo.saw_JFIF_marker != 0;
    d.adobe = cinfo.saw_Adobe_marker != 0;
    d.colour = cinfo.jpeg_color_space;
    for (int c = 0; c < cinfo.num_components && c < 3; c++) {
        d.h_samp[c] = cinfo.comp_info[c].h_samp_factor;
        d.v_samp[c] = cinfo.comp_info[c].v_samp_factor;
    }
    jpeg_start_decompress(&cinfo);
    d.pixels =
        malloc((size_t)cinfo.output_width * cinfo.output_height * (size_t)cinfo.output_components);
    assert_non_null(d.pixels);
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = d.pixels + (size_t)cinfo.output_scanline * cinfo.output_width *
                                      (size_t)cinfo.output_components;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return d;
}

static double mean_abs_diff(const uint8_t *a, const uint8_t *b, size_t n)
{
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += a[i] > b[i] ? a[i] - b[i] : b[i] - a[i];
    return sum / (double)n;
}

static void test_encode_rgb_baseline(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    idp_image *img = gradient(ctx, 321, 243, 3); /* not a multiple of the MCU */
    uint8_t *jpeg = NULL;
    size_t len = 0;
    markers m;
    decoded d;
    (void)state;

    assert_int_equal(idp_jpeg_encode(ctx, img, 88, &jpeg, &len), IDP_OK);
    assert_non_null(jpeg);
    assert_true(len > 100);
    m = scan_markers(jpeg, len);
    assert_true(m.ok);
    assert_true(m.seen[0xC0]);  /* SOF0: baseline */
    assert_false(m.seen[0xC2]); /* SOF2: progressive */
    assert_false(m.seen[0xC1]); /* SOF1: extended */
    assert_true(m.seen[0xE0]);  /* APP0: JFIF */
    for (int k = 0xE1; k <= 0xEF; k++)
        if (m.seen[k])
            fail_msg("APP%d marker (0x%02X) written", k - 0xE0, k);
    assert_false(m.seen[0xFE]); /* COM */

    d = decode(jpeg, len);
    assert_int_equal(d.width, 321);
    assert_int_equal(d.height, 243);
    assert_int_equal(d.components, 3);
    assert_false(d.progressive);
    assert_true(d.jfif);
    assert_false(d.adobe);
    assert_int_equal(d.colour, JCS_YCbCr);
    assert_int_equal(d.h_samp[0], 2); /* 4:2:0 */
    assert_int_equal(d.v_samp[0], 2);
    assert_int_equal(d.h_samp[1], 1);
    assert_int_equal(d.v_samp[1], 1);
    assert_int_equal(d.h_samp[2], 1);
    assert_int_equal(d.v_samp[2], 1);
    assert_int_equal(d.saved_markers, 1); /* the JFIF APP0 only */
    assert_int_equal(d.saved_non_app0, 0);
    if (mean_abs_diff(d.pixels, img->data, (size_t)321 * 243 * 3) > 2.0)
        fail_msg("decoded pixels differ from the source by %.2f on average",
                 mean_abs_diff(d.pixels, img->data, (size_t)321 * 243 * 3));
    free(d.pixels);
    free(jpeg);
    idp_image_destroy(img);
    idp_ctx_destroy(ctx);
}

static void test_encode_grey(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    idp_image *img = gradient(ctx, 64, 40, 1);
    uint8_t *jpeg = NULL;
    size_t len = 0;
    markers m;
    decoded d;
    (void)state;

    assert_int_equal(idp_jpeg_encode(ctx, img, 90, &jpeg, &len), IDP_OK);
    m = scan_markers(jpeg, len);
    assert_true(m.ok);
    assert_true(m.seen[0xC0]);
    d = decode(jpeg, len);
    assert_int_equal(d.width, 64);
    assert_int_equal(d.height, 40);
    assert_int_equal(d.components, 1);
    assert_int_equal(d.colour, JCS_GRAYSCALE);
    assert_false(d.progressive);
    assert_int_equal(d.saved_non_app0, 0);
    assert_true(mean_abs_diff(d.pixels, img->data, (size_t)64 * 40) < 2.0);
    free(d.pixels);
    free(jpeg);
    idp_image_destroy(img);
    idp_ctx_destroy(ctx);
}

static void test_encode_quality(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    idp_image *img = noise(ctx, 96, 64);
    uint8_t *lo = NULL, *hi = NULL, *bad = NULL;
    size_t nlo = 0, nhi = 0, nbad = 0;
    (void)state;

    assert_int_equal(idp_jpeg_encode(ctx, img, 40, &lo, &nlo), IDP_OK);
    assert_int_equal(idp_jpeg_encode(ctx, img, 95, &hi, &nhi), IDP_OK);
    assert_true(nlo < nhi);
    assert_int_equal(idp_jpeg_encode(ctx, img, 0, &bad, &nbad), IDP_E_USAGE);
    assert_null(bad);
    assert_int_equal(idp_jpeg_encode(ctx, img, 101, &bad, &nbad), IDP_E_USAGE);
    assert_null(bad);
    assert_int_equal(nbad, 0);
    free(lo);
    free(hi);
    idp_image_destroy(img);
    idp_ctx_destroy(ctx);
}

/* Normalises img with opts and checks the result agrees with itself. */
static void normalise_ok(idp_ctx *ctx, const idp_image *img, const idp_normalize_opts *o,
                         uint32_t want_w, uint32_t want_h, idp_normalize_result *res)
{
    uint8_t *jpeg = NULL;
    size_t len = 0;
    decoded d;

    if (idp_normalize_image(ctx, img, o, &jpeg, &len, res) != IDP_OK)
        fail_msg("normalise failed: %s", idp_ctx_error(ctx));
    assert_int_equal(res->width, want_w);
    assert_int_equal(res->height, want_h);
    assert_int_equal(res->bytes, len);
    assert_true(len <= o->max_bytes);
    d = decode(jpeg, len);
    assert_int_equal(d.width, want_w);
    assert_int_equal(d.height, want_h);
    assert_false(d.progressive);
    free(d.pixels);
    free(jpeg);
}

static void test_fit_and_never_upscale(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    idp_normalize_opts o;
    idp_normalize_result res;
    idp_image *wide = gradient(ctx, 3000, 1000, 3), *tall = gradient(ctx, 1000, 3000, 3);
    idp_image *small = gradient(ctx, 120, 80, 3);
    (void)state;

    idp_normalize_opts_default(&o);
    assert_int_equal(o.max_side, 2000);
    assert_int_equal(o.quality, 88);
    assert_int_equal(o.max_bytes, 9000000u);
    assert_false(o.force);
    normalise_ok(ctx, wide, &o, 2000, 667, &res);
    assert_int_equal(res.quality, 88);
    normalise_ok(ctx, tall, &o, 667, 2000, &res);
    normalise_ok(ctx, small, &o, 120, 80, &res); /* never upscaled */
    o.max_side = 500;
    o.quality = 70;
    normalise_ok(ctx, wide, &o, 500, 167, &res);
    assert_int_equal(res.quality, 70);
    o.max_side = 120;
    normalise_ok(ctx, small, &o, 120, 80, &res); /* exactly the cap: untouched */
    idp_image_destroy(wide);
    idp_image_destroy(tall);
    idp_image_destroy(small);
    idp_ctx_destroy(ctx);
}

static size_t encoded_size(idp_ctx *ctx, const idp_image *img, int q)
{
    uint8_t *jpeg = NULL;
    size_t len = 0;
    assert_int_equal(idp_jpeg_encode(ctx, img, q, &jpeg, &len), IDP_OK);
    free(jpeg);
    return len;
}

static void test_budget_lowers_quality(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    idp_image *img = noise(ctx, 400, 300);
    idp_normalize_opts o;
    idp_normalize_result res;
    size_t n88 = encoded_size(ctx, img, 88), n80 = encoded_size(ctx, img, 80);
    size_t n72 = encoded_size(ctx, img, 72), n64 = encoded_size(ctx, img, 64);
    (void)state;

    assert_true(n88 > n80 && n80 > n72 && n72 > n64);
    idp_normalize_opts_default(&o);
    o.max_bytes = n88; /* just fits */
    normalise_ok(ctx, img, &o, 400, 300, &res);
    assert_int_equal(res.quality, 88);
    assert_int_equal(res.bytes, n88);
    o.max_bytes = n72; /* 88 and 80 are too big */
    normalise_ok(ctx, img, &o, 400, 300, &res);
    assert_int_equal(res.quality, 72);
    assert_int_equal(res.bytes, n72);
    o.max_bytes = n72 - 1;
    normalise_ok(ctx, img, &o, 400, 300, &res);
    assert_int_equal(res.quality, 64);
    idp_image_destroy(img);
    idp_ctx_destroy(ctx);
}

static void test_budget_shrinks(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    idp_image *img = noise(ctx, 400, 300);
    idp_normalize_opts o;
    idp_normalize_result res;
    uint8_t *jpeg = NULL;
    size_t len = 0, n50 = encoded_size(ctx, img, 50);
    decoded d;
    (void)state;

    idp_normalize_opts_default(&o);
    o.max_bytes = n50 / 2; /* even the lowest quality is too big at 400x300 */
    if (idp_normalize_image(ctx, img, &o, &jpeg, &len, &res) != IDP_OK)
        fail_msg("normalise failed: %s", idp_ctx_error(ctx));
    assert_true(len <= o.max_bytes);
    assert_int_equal(res.bytes, len);
    assert_true(res.width < 400);
    assert_true(res.height < 300);
    /* the aspect ratio is kept: h = w * 3/4 within rounding */
    assert_true(res.height * 4 + 4 >= res.width * 3 && res.height * 4 <= res.width * 3 + 4);
    assert_true(res.quality >= 50 && res.quality <= 88);
    d = decode(jpeg, len);
    assert_int_equal(d.width, res.width);
    assert_int_equal(d.height, res.height);
    free(d.pixels);
    free(jpeg);
    idp_image_destroy(img);
    idp_ctx_destroy(ctx);
}

static void test_budget_impossible(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    idp_image *img = noise(ctx, 64, 48);
    idp_normalize_opts o;
    idp_normalize_result res;
    uint8_t *jpeg = NULL;
    size_t len = 0;
    (void)state;

    idp_normalize_opts_default(&o);
    o.max_bytes = 50; /* smaller than any JPEG's headers */
    assert_int_equal(idp_normalize_image(ctx, img, &o, &jpeg, &len, &res), IDP_E_LIMITS);
    assert_null(jpeg);
    assert_int_equal(len, 0);
    assert_non_null(strstr(idp_ctx_error(ctx), "50 bytes"));
    idp_image_destroy(img);
    idp_ctx_destroy(ctx);
}

static void test_invalid_opts(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    idp_image *img = gradient(ctx, 16, 16, 3);
    idp_normalize_opts o;
    uint8_t *jpeg = NULL;
    size_t len = 0;
    (void)state;

    idp_normalize_opts_default(&o);
    o.quality = 0;
    assert_int_equal(idp_normalize_image(ctx, img, &o, &jpeg, &len, NULL), IDP_E_USAGE);
    o.quality = 101;
    assert_int_equal(idp_normalize_image(ctx, img, &o, &jpeg, &len, NULL), IDP_E_USAGE);
    idp_normalize_opts_default(&o);
    o.max_side = 0;
    assert_int_equal(idp_normalize_image(ctx, img, &o, &jpeg, &len, NULL), IDP_E_USAGE);
    idp_normalize_opts_default(&o);
    o.max_bytes = 0;
    assert_int_equal(idp_normalize_image(ctx, img, &o, &jpeg, &len, NULL), IDP_E_USAGE);
    assert_null(jpeg);
    /* res may be NULL on success too */
    idp_normalize_opts_default(&o);
    assert_int_equal(idp_normalize_image(ctx, img, &o, &jpeg, &len, NULL), IDP_OK);
    assert_non_null(jpeg);
    free(jpeg);
    idp_image_destroy(img);
    idp_ctx_destroy(ctx);
}

static bool read_all(const char *path, char *buf, size_t cap, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return false;
    *n = fread(buf, 1, cap, f);
    fclose(f);
    return true;
}

static void test_file_refuses_existing(void **state)
{
    const char *dir = tu_tmpdir();
    const char *out = tu_path(dir, "exists.jpg");
    const char *in = tu_path(tu_env("IDP_CORPUS"), "exif-orientation/Landscape_1.jpg");
    idp_ctx *ctx = tu_new_ctx();
    idp_normalize_opts o;
    idp_normalize_result res;
    char buf[16];
    size_t n = 0;
    FILE *f;
    (void)state;

    f = fopen(out, "wb");
    assert_non_null(f);
    fputs("keep me", f);
    fclose(f);
    idp_normalize_opts_default(&o);
    assert_int_equal(idp_normalize_file(ctx, in, out, &o, &res), IDP_E_EXISTS);
    assert_non_null(strstr(idp_ctx_error(ctx), "exists.jpg"));
    assert_true(read_all(out, buf, sizeof(buf), &n));
    assert_int_equal(n, 7);
    assert_memory_equal(buf, "keep me", 7);
    idp_ctx_destroy(ctx);
}

/* End to end through the loader: an EXIF-rotated corpus photo. */
static void test_file_roundtrip(void **state)
{
    const char *dir = tu_tmpdir();
    const char *out = tu_path(dir, "landscape6.jpg");
    const char *in = tu_path(tu_env("IDP_CORPUS"), "exif-orientation/Landscape_6.jpg");
    idp_ctx *ctx = tu_new_ctx();
    idp_normalize_opts o;
    idp_normalize_result res;
    uint8_t *buf = NULL;
    size_t len = 0;
    struct stat sb;
    markers m;
    decoded d;
    (void)state;

    idp_normalize_opts_default(&o);
    if (idp_normalize_file(ctx, in, out, &o, &res) != IDP_OK)
        fail_msg("normalise %s: %s", in, idp_ctx_error(ctx));
    assert_int_equal(res.width, 1800); /* stored 1200x1800, orientation 6 */
    assert_int_equal(res.height, 1200);
    assert_int_equal(res.quality, 88);
    assert_int_equal(res.source.orientation, 6);
    assert_int_equal(res.source.width, 1800);
    assert_int_equal(res.source.format, IDP_FORMAT_JPEG);
    assert_int_equal(stat(out, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal((size_t)sb.st_size, res.bytes);
    assert_int_equal(idp_read_file(ctx, out, 0, &buf, &len), IDP_OK);
    m = scan_markers(buf, len);
    assert_true(m.ok);
    assert_false(m.seen[0xE1]);
    assert_false(m.seen[0xE2]);
    d = decode(buf, len);
    assert_int_equal(d.width, 1800);
    assert_int_equal(d.height, 1200);
    free(d.pixels);
    idp_free_wiped(buf, len);

    /* Again without force: refused. With force: replaced. */
    assert_int_equal(idp_normalize_file(ctx, in, out, &o, &res), IDP_E_EXISTS);
    o.force = true;
    assert_int_equal(idp_normalize_file(ctx, in, out, &o, &res), IDP_OK);
    idp_ctx_destroy(ctx);
}

static void test_file_missing_input(void **state)
{
    const char *dir = tu_tmpdir();
    const char *out = tu_path(dir, "never.jpg");
    const char *in = tu_path(dir, "no-such-photo.jpg");
    idp_ctx *ctx = tu_new_ctx();
    idp_normalize_opts o;
    struct stat sb;
    (void)state;

    idp_normalize_opts_default(&o);
    assert_int_equal(idp_normalize_file(ctx, in, out, &o, NULL), IDP_E_NOTFOUND);
    assert_non_null(strstr(idp_ctx_error(ctx), "no-such-photo.jpg"));
    assert_int_not_equal(stat(out, &sb), 0);
    idp_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_rgb_baseline),   cmocka_unit_test(test_encode_grey),
        cmocka_unit_test(test_encode_quality),        cmocka_unit_test(test_fit_and_never_upscale),
        cmocka_unit_test(test_budget_lowers_quality), cmocka_unit_test(test_budget_shrinks),
        cmocka_unit_test(test_budget_impossible),     cmocka_unit_test(test_invalid_opts),
        cmocka_unit_test(test_file_refuses_existing), cmocka_unit_test(test_file_roundtrip),
        cmocka_unit_test(test_file_missing_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
