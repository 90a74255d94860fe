/* Limits and malformed input: size bombs refused from the header, fast
 * and without allocating; truncated, empty and non-image files refused
 * with the file named. */
#include "idp_io.h"
#include "idp_load.h"
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <cmocka.h>
#include <jpeglib.h>
#include <png.h>

typedef struct membuf {
    unsigned char *data;
    size_t len;
} membuf;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* A real 16x16 baseline JPEG whose SOF0 then claims w x h. */
static membuf jpeg_claiming(uint16_t w, uint16_t h)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr err;
    unsigned char *out = NULL, row[16 * 3];
    unsigned long outlen = 0;
    JSAMPROW rows[1] = {row};
    membuf m = {NULL, 0};
    size_t i;

    memset(row, 128, sizeof(row));
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &out, &outlen);
    c.image_width = 16;
    c.image_height = 16;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_start_compress(&c, TRUE);
    while (c.next_scanline < 16)
        (void)jpeg_write_scanlines(&c, rows, 1);
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    for (i = 2; i + 9 < outlen; i++)
        if (out[i] == 0xff && out[i + 1] == 0xc0)
            break;
    assert_true(i + 9 < outlen);
    /* FFC0, length(2), precision(1), height(2), width(2) */
    out[i + 5] = (unsigned char)(h >> 8);
    out[i + 6] = (unsigned char)h;
    out[i + 7] = (unsigned char)(w >> 8);
    out[i + 8] = (unsigned char)w;
    m.data = malloc(outlen);
    assert_non_null(m.data);
    memcpy(m.data, out, outlen);
    m.len = outlen;
    free(out);
    return m;
}

static void mem_write(png_structp png, png_bytep data, size_t n)
{
    membuf *m = png_get_io_ptr(png);
    unsigned char *p = realloc(m->data, m->len + n);
    if (p == NULL)
        png_error(png, "oom");
    m->data = p;
    memcpy(m->data + m->len, data, n);
    m->len += n;
}

static void mem_flush(png_structp png)
{
    (void)png;
}

/* Signature and IHDR (CRC computed by libpng) claiming w x h, followed by
 * an IEND: everything a reader sees before it would allocate. */
static membuf png_claiming(uint32_t w, uint32_t h)
{
    static const unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
    membuf m = {NULL, 0};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);

    assert_non_null(png);
    assert_non_null(info);
    if (setjmp(png_jmpbuf(png)))
        fail_msg("libpng refused to write the test header");
    png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
    png_set_write_fn(png, &m, mem_write, mem_flush);
    png_set_IHDR(png, info, w, h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    png_destroy_write_struct(&png, &info);
    m.data = realloc(m.data, m.len + sizeof(iend));
    assert_non_null(m.data);
    memcpy(m.data + m.len, iend, sizeof(iend));
    m.len += sizeof(iend);
    return m;
}

/* Probes and loads a bomb: both refused with IDP_E_LIMITS, quickly. */
static void check_bomb(const char *name, membuf m)
{
    idp_image_info info;
    idp_image *img = NULL;
    idp_ctx *ctx;
    long rss0 = peak_rss_kib();
    double t0, t_probe, t_load;

    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    t0 = now();
    assert_int_equal(idp_probe_memory(ctx, name, m.data, m.len, &info), IDP_E_LIMITS);
    t_probe = now() - t0;
    assert_non_null(strstr(idp_ctx_error(ctx), name));
    /* The claimed size is known, for the `limits` check to report. */
    assert_true(info.stored_width >= 20000);
    assert_true(info.stored_height >= 20000);
    t0 = now();
    assert_int_equal(idp_load_memory(ctx, name, m.data, m.len, NULL, &img, &info), IDP_E_LIMITS);
    t_load = now() - t0;
    assert_null(img);
    print_message("%s: refused in %.3f ms (probe), %.3f ms (load), peak RSS +%ld KiB: %s\n", name,
                  t_probe * 1e3, t_load * 1e3, peak_rss_kib() - rss0, idp_ctx_error(ctx));
    assert_true(t_probe < 1.0);
    assert_true(t_load < 1.0);
    assert_true(peak_rss_kib() - rss0 < 10 * 1024);
    free(m.data);
    idp_ctx_destroy(ctx);
}

static void test_jpeg_bomb(void **state)
{
    (void)state;
    check_bomb("bomb65000.jpg", jpeg_claiming(65000, 65000));
    /* Sides within the 30000 limit, pixels (400 M) over it. */
    check_bomb("bomb20000.jpg", jpeg_claiming(20000, 20000));
}

static void test_png_bomb(void **state)
{
    (void)state;
    check_bomb("bomb100000.png", png_claiming(100000, 100000));
    check_bomb("bomb20000.png", png_claiming(20000, 20000));
}

static void test_limits_from_ctx(void **state)
{
    char path[4096];
    idp_limits lim;
    idp_image *img = NULL;
    idp_ctx *ctx;

    (void)state;
    snprintf(path, sizeof(path), "%s/jpeg/testorig.jpg", tu_env("IDP_CORPUS"));
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    idp_limits_default(&lim);
    lim.max_side = 226; /* testorig.jpg is 227x149 */
    idp_ctx_set_limits(ctx, &lim);
    assert_int_equal(idp_load_file(ctx, path, NULL, &img, NULL), IDP_E_LIMITS);
    assert_null(img);
    idp_limits_default(&lim);
    lim.max_pixels = 227 * 149 - 1;
    idp_ctx_set_limits(ctx, &lim);
    assert_int_equal(idp_load_file(ctx, path, NULL, &img, NULL), IDP_E_LIMITS);
    idp_limits_default(&lim);
    lim.max_file_bytes = 1000;
    idp_ctx_set_limits(ctx, &lim);
    assert_int_equal(idp_load_file(ctx, path, NULL, &img, NULL), IDP_E_LIMITS);
    assert_non_null(strstr(idp_ctx_error(ctx), "testorig.jpg"));
    idp_limits_default(&lim);
    lim.max_side = 227;
    lim.max_pixels = 227 * 149;
    idp_ctx_set_limits(ctx, &lim);
    assert_int_equal(idp_load_file(ctx, path, NULL, &img, NULL), IDP_OK);
    idp_image_destroy(img);
    idp_ctx_destroy(ctx);
}

static void test_check_dimensions(void **state)
{
    idp_limits lim;
    idp_ctx *ctx;

    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(idp_check_dimensions(ctx, "a", 30000, 3000), IDP_OK);
    assert_int_equal(idp_check_dimensions(ctx, "a", 30001, 1), IDP_E_LIMITS);
    assert_int_equal(idp_check_dimensions(ctx, "a", 1, 30001), IDP_E_LIMITS);
    assert_int_equal(idp_check_dimensions(ctx, "a", 10001, 10000), IDP_E_LIMITS);
    assert_int_equal(idp_check_dimensions(ctx, "a", 10000, 10000), IDP_OK);
    assert_int_equal(idp_check_dimensions(ctx, "a", 0, 10), IDP_E_CORRUPT);
    /* With the limits opened wide, the byte count still may not overflow. */
    lim.max_file_bytes = UINT64_MAX;
    lim.max_pixels = UINT64_MAX;
    lim.max_side = UINT32_MAX;
    idp_ctx_set_limits(ctx, &lim);
    assert_int_equal(idp_check_dimensions(ctx, "a", UINT32_MAX, UINT32_MAX), IDP_E_LIMITS);
    idp_ctx_destroy(ctx);
}

static void check_truncated(const char *rel, const char *name)
{
    char path[4096];
    uint8_t *buf = NULL;
    size_t len = 0;
    idp_image *img = NULL;
    idp_ctx *ctx;

    snprintf(path, sizeof(path), "%s/%s", tu_env("IDP_CORPUS"), rel);
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(idp_read_file(ctx, path, 0, &buf, &len), IDP_OK);
    assert_int_equal(idp_load_memory(ctx, name, buf, len, NULL, &img, NULL), IDP_OK);
    idp_image_destroy(img);
    img = NULL;
    assert_int_equal(idp_load_memory(ctx, name, buf, len / 2, NULL, &img, NULL), IDP_E_CORRUPT);
    assert_null(img);
    assert_non_null(strstr(idp_ctx_error(ctx), name));
    print_message("%s cut in half: %s\n", name, idp_ctx_error(ctx));
    idp_free_wiped(buf, len);
    idp_ctx_destroy(ctx);
}

static void test_truncated(void **state)
{
    (void)state;
    check_truncated("jpeg/testorig.jpg", "half-testorig.jpg");
    check_truncated("jpeg/testprog.jpg", "half-testprog.jpg");
    check_truncated("pngsuite/png/basn2c08.png", "half-basn2c08.png");
    check_truncated("pngsuite/png/basi6a08.png", "half-basi6a08.png");
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    if (text[0] != '\0')
        assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

static void test_empty_and_text_files(void **state)
{
    const char *empty = tu_path(tu_tmpdir(), "empty.jpg");
    const char *text = tu_path(tu_tmpdir(), "notes.jpg");
    idp_image *img = NULL;
    idp_ctx *ctx;
    idp_status st;

    (void)state;
    write_file(empty, "");
    write_file(text, "This is not a photo, just some text.\n");
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    st = idp_load_file(ctx, empty, NULL, &img, NULL);
    assert_true(st == IDP_E_CORRUPT || st == IDP_E_FORMAT);
    assert_null(img);
    assert_non_null(strstr(idp_ctx_error(ctx), "empty.jpg"));
    print_message("%s\n", idp_ctx_error(ctx));
    st = idp_load_file(ctx, text, NULL, &img, NULL);
    assert_int_equal(st, IDP_E_FORMAT);
    assert_null(img);
    assert_non_null(strstr(idp_ctx_error(ctx), "notes.jpg"));
    print_message("%s\n", idp_ctx_error(ctx));
    assert_int_equal(idp_load_memory(ctx, "mem.jpg", (const uint8_t *)"", 0, NULL, &img, NULL),
                     IDP_E_CORRUPT);
    assert_int_equal(
        idp_load_memory(ctx, "ff.jpg", (const uint8_t *)"\xff\xd8\xff", 3, NULL, &img, NULL),
        IDP_E_CORRUPT);
    assert_non_null(strstr(idp_ctx_error(ctx), "ff.jpg"));
    idp_ctx_destroy(ctx);
}

static void test_detect_format(void **state)
{
    static const uint8_t png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    static const uint8_t jpg_sig[4] = {0xff, 0xd8, 0xff, 0xe0};

    (void)state;
    assert_int_equal(idp_detect_format(png_sig, 8), IDP_FORMAT_PNG);
    assert_int_equal(idp_detect_format(png_sig, 7), IDP_FORMAT_UNKNOWN);
    assert_int_equal(idp_detect_format(jpg_sig, 4), IDP_FORMAT_JPEG);
    assert_int_equal(idp_detect_format(jpg_sig, 2), IDP_FORMAT_UNKNOWN);
    assert_int_equal(idp_detect_format((const uint8_t *)"GIF89a", 6), IDP_FORMAT_UNKNOWN);
    assert_string_equal(idp_format_name(IDP_FORMAT_JPEG), "jpeg");
    assert_string_equal(idp_format_name(IDP_FORMAT_PNG), "png");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jpeg_bomb),       cmocka_unit_test(test_png_bomb),
        cmocka_unit_test(test_limits_from_ctx), cmocka_unit_test(test_check_dimensions),
        cmocka_unit_test(test_truncated),       cmocka_unit_test(test_empty_and_text_files),
        cmocka_unit_test(test_detect_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
