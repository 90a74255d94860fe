/* PNG loading: every PngSuite file, pixels against the reference JSON,
 * the corrupt x* files refused, and ICC profiles converted to sRGB. */
#include "idp_colour.h"
#include "idp_io.h"
#include "idp_load.h"
#include "testutil.h"

#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <lcms2.h>
#include <png.h>

/* The names of the PngSuite files, sorted. */
typedef struct name_list {
    char **names;
    size_t n;
} name_list;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_pngs(const char *dir, name_list *out)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t cap = 0;

    assert_non_null(d);
    out->names = NULL;
    out->n = 0;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".png") != 0)
            continue;
        if (out->n == cap) {
            cap = cap ? cap * 2 : 64;
            out->names = realloc(out->names, cap * sizeof(char *));
            assert_non_null(out->names);
        }
        out->names[out->n] = strdup(e->d_name);
        assert_non_null(out->names[out->n]);
        out->n++;
    }
    closedir(d);
    qsort(out->names, out->n, sizeof(char *), cmp_str);
}

static void free_names(name_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->names[i]);
    free(l->names);
}

static const char *png_dir(void)
{
    static char dir[4096];
    snprintf(dir, sizeof(dir), "%s/pngsuite/png", tu_env("IDP_CORPUS"));
    return dir;
}

/* Width and height from the IHDR chunk, which always starts at byte 16. */
static void ihdr_size(const char *path, uint32_t *w, uint32_t *h)
{
    unsigned char b[24];
    FILE *f = fopen(path, "rb");

    assert_non_null(f);
    assert_int_equal(fread(b, 1, sizeof(b), f), sizeof(b));
    fclose(f);
    *w = (uint32_t)b[16] << 24 | (uint32_t)b[17] << 16 | (uint32_t)b[18] << 8 | b[19];
    *h = (uint32_t)b[20] << 24 | (uint32_t)b[21] << 16 | (uint32_t)b[22] << 8 | b[23];
}

static void test_valid_files_decode(void **state)
{
    name_list l;
    size_t ok = 0;
    idp_ctx *ctx;

    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    list_pngs(png_dir(), &l);
    for (size_t i = 0; i < l.n; i++) {
        const char *path = tu_path(png_dir(), l.names[i]);
        idp_image *img = NULL;
        idp_image_info info;
        uint32_t w, h;
        idp_status st;

        if (l.names[i][0] == 'x')
            continue;
        ihdr_size(path, &w, &h);
        st = idp_load_file(ctx, path, NULL, &img, &info);
        if (st != IDP_OK)
            fail_msg("%s: %s (%s)", l.names[i], idp_status_name(st), idp_ctx_error(ctx));
        assert_non_null(img);
        assert_int_equal(info.format, IDP_FORMAT_PNG);
        assert_int_equal(info.stored_width, w);
        assert_int_equal(info.stored_height, h);
        assert_int_equal(img->width, w);
        assert_int_equal(img->height, h);
        assert_int_equal(img->channels, 3);
        idp_image_destroy(img);
        ok++;
    }
    print_message("PngSuite: %zu valid files decoded\n", ok);
    assert_int_equal(ok, 161); /* 175 files, 14 of them x* */
    free_names(&l);
    idp_ctx_destroy(ctx);
}

static void test_corrupt_files_refused(void **state)
{
    name_list l;
    size_t refused = 0;
    idp_ctx *ctx;

    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    list_pngs(png_dir(), &l);
    for (size_t i = 0; i < l.n; i++) {
        static idp_image sentinel;
        idp_image *img = &sentinel; /* must be reset to NULL */
        idp_status st;

        if (l.names[i][0] != 'x')
            continue;
        idp_ctx_clear(ctx);
        st = idp_load_file(ctx, tu_path(png_dir(), l.names[i]), NULL, &img, NULL);
        if (st == IDP_OK)
            fail_msg("%s was accepted", l.names[i]);
        assert_true(st == IDP_E_CORRUPT || st == IDP_E_FORMAT);
        assert_null(img);
        if (strstr(idp_ctx_error(ctx), l.names[i]) == NULL)
            fail_msg("%s: message does not name the file: %s", l.names[i], idp_ctx_error(ctx));
        print_message("  %s: %s\n", l.names[i], idp_ctx_error(ctx));
        refused++;
    }
    assert_int_equal(refused, 14);
    free_names(&l);
    idp_ctx_destroy(ctx);
}

/* Reference 8-bit sample: the JSON holds 16-bit values for 16-bit files
 * without a _to8 variant; reduce them as png_set_scale_16 does. */
static unsigned ref8(json_int_t v, int sixteen)
{
    return sixteen ? (unsigned)((v * 255 + 32767) / 65535) : (unsigned)v;
}

/* Files whose JSON is not compared: none. All 161 valid files have a
 * JSON (16-bit ones a _to8 variant, except basi4a16, basi6a16, basn4a16,
 * basn6a16 whose 16-bit values are reduced above), and all match within 1,
 * the gamma files (g03..g25) included: the reference applied no gamma
 * correction either. Add a name here only with the reason next to it. */
static const char *const json_excluded[] = {NULL};

static int excluded(const char *stem)
{
    for (size_t i = 0; json_excluded[i] != NULL; i++)
        if (strcmp(stem, json_excluded[i]) == 0)
            return 1;
    return 0;
}

static void test_pixels_match_json(void **state)
{
    char json_dir[4096], stem[256], jpath[4600];
    name_list l;
    size_t compared = 0;
    idp_ctx *ctx;
    idp_load_opts opts = {.min_side = 0, .no_orient = true}; /* the JSON is in stored orientation */

    (void)state;
    snprintf(json_dir, sizeof(json_dir), "%s/pngsuite/json", tu_env("IDP_CORPUS"));
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    list_pngs(png_dir(), &l);
    for (size_t i = 0; i < l.n; i++) {
        idp_image *img = NULL;
        json_t *arr = NULL;
        json_error_t jerr;
        int sixteen = 0, worst = 0;
        FILE *f;

        if (l.names[i][0] == 'x')
            continue;
        snprintf(stem, sizeof(stem), "%.*s", (int)(strlen(l.names[i]) - 4), l.names[i]);
        if (excluded(stem))
            continue;
        snprintf(jpath, sizeof(jpath), "%s/%s_to8.json", json_dir, stem);
        if ((f = fopen(jpath, "r")) == NULL) {
            snprintf(jpath, sizeof(jpath), "%s/%s.json", json_dir, stem);
            if ((f = fopen(jpath, "r")) == NULL)
                continue;
        }
        fclose(f);
        arr = json_load_file(jpath, 0, &jerr);
        if (arr == NULL)
            fail_msg("%s: %s", jpath, jerr.text);
        assert_true(json_is_array(arr));
        assert_int_equal(idp_load_file(ctx, tu_path(png_dir(), l.names[i]), &opts, &img, NULL),
                         IDP_OK);
        assert_int_equal(json_array_size(arr), (size_t)img->width * img->height * 4);
        for (size_t k = 0; k < json_array_size(arr); k++)
            if (json_integer_value(json_array_get(arr, k)) > 255)
                sixteen = 1;
        for (size_t p = 0; p < (size_t)img->width * img->height; p++) {
            unsigned a = ref8(json_integer_value(json_array_get(arr, p * 4 + 3)), sixteen);
            for (size_t c = 0; c < 3; c++) {
                unsigned v = ref8(json_integer_value(json_array_get(arr, p * 4 + c)), sixteen);
                int want = (int)((v * a + 255u * (255u - a) + 127u) / 255u);
                int d = abs(want - (int)img->data[p * 3 + c]);
                if (d > worst)
                    worst = d;
            }
        }
        if (worst > 1)
            fail_msg("%s: pixels differ from %s by up to %d", l.names[i], jpath, worst);
        compared++;
        json_decref(arr);
        idp_image_destroy(img);
    }
    print_message("PngSuite: %zu files compared with their JSON\n", compared);
    assert_true(compared >= 150);
    free_names(&l);
    idp_ctx_destroy(ctx);
}

/* --- ICC profiles: a PNG written in memory with an iCCP chunk. */

typedef struct membuf {
    unsigned char *data;
    size_t len;
} membuf;

static void mem_write(png_structp png, png_bytep data, size_t n)
{
    membuf *m = png_get_io_ptr(png);
    m->data = realloc(m->data, m->len + n);
    if (m->data == NULL)
        png_error(png, "oom");
    memcpy(m->data + m->len, data, n);
    m->len += n;
}

static void mem_flush(png_structp png)
{
    (void)png;
}

/* A w x h RGB PNG filled with one colour, with an optional iCCP. */
static membuf make_png(uint32_t w, uint32_t h, const uint8_t rgb[3], const void *icc,
                       size_t icc_len)
{
    membuf m = {NULL, 0};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    unsigned char *row = malloc((size_t)w * 3);

    assert_non_null(png);
    assert_non_null(info);
    assert_non_null(row);
    for (uint32_t x = 0; x < w; x++)
        memcpy(row + (size_t)x * 3, rgb, 3);
    if (setjmp(png_jmpbuf(png)))
        fail_msg("libpng failed writing the test PNG");
    png_set_write_fn(png, &m, mem_write, mem_flush);
    png_set_IHDR(png, info, w, h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (icc != NULL)
        png_set_iCCP(png, info, "test", 0, icc, (png_uint_32)icc_len);
    png_write_info(png, info);
    for (uint32_t y = 0; y < h; y++)
        png_write_row(png, row);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(row);
    return m;
}

/* An ICC profile in memory: sRGB, or Display P3 (P3 primaries, D65, the
 * sRGB tone curve), made by lcms. */
static void *make_profile(int p3, size_t *len)
{
    cmsHPROFILE prof;
    cmsUInt32Number n = 0;
    void *mem;

    if (p3) {
        cmsCIExyY d65 = {0.3127, 0.3290, 1.0};
        cmsCIExyYTRIPLE prim = {{0.680, 0.320, 1.0}, {0.265, 0.690, 1.0}, {0.150, 0.060, 1.0}};
        cmsFloat64Number params[5] = {2.4, 1.0 / 1.055, 0.055 / 1.055, 1.0 / 12.92, 0.04045};
        cmsToneCurve *curve = cmsBuildParametricToneCurve(NULL, 4, params);
        cmsToneCurve *curves[3] = {curve, curve, curve};
        prof = cmsCreateRGBProfile(&d65, &prim, curves);
        cmsFreeToneCurve(curve);
    } else {
        prof = cmsCreate_sRGBProfile();
    }
    assert_non_null(prof);
    assert_true(cmsSaveProfileToMem(prof, NULL, &n));
    mem = malloc(n);
    assert_non_null(mem);
    assert_true(cmsSaveProfileToMem(prof, mem, &n));
    cmsCloseProfile(prof);
    *len = n;
    return mem;
}

static void test_icc_display_p3_converted(void **state)
{
    const uint8_t colour[3] = {200, 120, 60};
    size_t icc_len;
    void *icc = make_profile(1, &icc_len);
    membuf png = make_png(8, 4, colour, icc, icc_len);
    idp_image *img = NULL;
    idp_image_info info;
    idp_ctx *ctx;

    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(idp_load_memory(ctx, "p3.png", png.data, png.len, NULL, &img, &info), IDP_OK);
    assert_true(info.has_icc);
    assert_true(info.icc_converted);
    /* P3 is wider than sRGB: an orange in P3 is a more saturated orange
     * in sRGB (more red, less blue). */
    print_message("P3 (200,120,60) -> sRGB (%u,%u,%u)\n", img->data[0], img->data[1], img->data[2]);
    assert_true(img->data[0] > colour[0] + 5);
    assert_true(img->data[2] + 5 < colour[2]);
    idp_image_destroy(img);
    free(png.data);
    free(icc);
    idp_ctx_destroy(ctx);
}

static void test_icc_srgb_left_alone(void **state)
{
    const uint8_t colour[3] = {200, 120, 60};
    size_t icc_len;
    void *icc = make_profile(0, &icc_len);
    membuf png = make_png(8, 4, colour, icc, icc_len);
    idp_image *img = NULL;
    idp_image_info info;
    idp_ctx *ctx;

    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(idp_load_memory(ctx, "srgb.png", png.data, png.len, NULL, &img, &info),
                     IDP_OK);
    assert_true(info.has_icc);
    assert_false(info.icc_converted);
    assert_memory_equal(img->data, colour, 3);
    idp_image_destroy(img);
    free(png.data);
    free(icc);
    idp_ctx_destroy(ctx);
}

static void test_truncated_png(void **state)
{
    const uint8_t colour[3] = {10, 20, 30};
    membuf png = make_png(64, 64, colour, NULL, 0);
    idp_image *img = NULL;
    idp_ctx *ctx;
    size_t cut[] = {png.len / 2, png.len - 12 /* no IEND */, 20 /* inside IHDR */};

    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(idp_load_memory(ctx, "whole.png", png.data, png.len, NULL, &img, NULL),
                     IDP_OK);
    idp_image_destroy(img);
    for (size_t i = 0; i < sizeof(cut) / sizeof(cut[0]); i++) {
        img = NULL;
        assert_int_equal(idp_load_memory(ctx, "cut.png", png.data, cut[i], NULL, &img, NULL),
                         IDP_E_CORRUPT);
        assert_null(img);
        assert_non_null(strstr(idp_ctx_error(ctx), "cut.png"));
    }
    free(png.data);
    idp_ctx_destroy(ctx);
}

/* A chunk declaring more bytes than the file has left (found by fuzzing:
 * an eXIf chunk of 2 GB in a 289-byte file made libpng allocate 2 GB) is
 * refused as truncated before libpng reads it, by the probe as well. */
static void test_chunk_longer_than_file(void **state)
{
    const char *path = tu_path(tu_env("IDP_SRC"), "fuzz/regress/png/exif-chunk-2gb.png");
    idp_image *img = NULL;
    idp_image_info info;
    uint8_t *buf = NULL;
    size_t len = 0;
    idp_ctx *ctx;

    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(idp_load_file(ctx, path, NULL, &img, NULL), IDP_E_CORRUPT);
    assert_null(img);
    assert_non_null(strstr(idp_ctx_error(ctx), "exif-chunk-2gb.png"));
    assert_non_null(strstr(idp_ctx_error(ctx), "truncated"));
    assert_int_equal(idp_read_file(ctx, path, 0, &buf, &len), IDP_OK);
    assert_true(len < 1000);
    assert_int_equal(idp_probe_memory(ctx, "probe.png", buf, len, &info), IDP_E_CORRUPT);
    idp_free_wiped(buf, len);
    idp_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_files_decode),
        cmocka_unit_test(test_corrupt_files_refused),
        cmocka_unit_test(test_pixels_match_json),
        cmocka_unit_test(test_icc_display_p3_converted),
        cmocka_unit_test(test_icc_srgb_left_alone),
        cmocka_unit_test(test_truncated_png),
        cmocka_unit_test(test_chunk_longer_than_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
