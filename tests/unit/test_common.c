/* The common room: context errors, image allocation limits, atomic writes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_ctx.h"
#include "idp_image.h"
#include "idp_io.h"
#include "testutil.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>

static void test_fail_records_message(void **state)
{
    idp_ctx *ctx;
    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_string_equal(idp_ctx_error(ctx), "");
    assert_int_equal(idp_fail(ctx, IDP_E_CORRUPT, "%s: truncated", "a.jpg"), IDP_E_CORRUPT);
    assert_string_equal(idp_ctx_error(ctx), "a.jpg: truncated");
    idp_ctx_clear(ctx);
    assert_string_equal(idp_ctx_error(ctx), "");
    idp_ctx_destroy(ctx);
    idp_ctx_destroy(NULL);
}

static void test_image_limits(void **state)
{
    idp_ctx *ctx;
    idp_image *img = NULL;
    idp_limits lim;
    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(idp_image_create(ctx, 100000, 100000, 3, &img), IDP_E_LIMITS);
    assert_null(img);
    assert_non_null(strstr(idp_ctx_error(ctx), "100000x100000"));
    assert_int_equal(idp_image_create(ctx, 0, 10, 3, &img), IDP_E_USAGE);
    idp_limits_default(&lim);
    lim.max_pixels = 99;
    idp_ctx_set_limits(ctx, &lim);
    assert_int_equal(idp_image_create(ctx, 10, 10, 1, &img), IDP_E_LIMITS);
    lim.max_pixels = 100;
    idp_ctx_set_limits(ctx, &lim);
    assert_int_equal(idp_image_create(ctx, 10, 10, 3, &img), IDP_OK);
    assert_int_equal(idp_image_stride(img), 30);
    assert_int_equal(img->data[299], 0);
    idp_image_destroy(img);
    idp_image_destroy(NULL);
    idp_ctx_destroy(ctx);
}

static void test_write_atomic(void **state)
{
    idp_ctx *ctx;
    const char *dir = tu_tmpdir();
    const char *path = tu_path(dir, "out.bin");
    uint8_t *buf;
    size_t len;
    struct stat sb;
    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(idp_write_atomic(ctx, path, "hello", 5, false), IDP_OK);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    /* no overwrite without force, and the old content stays */
    assert_int_equal(idp_write_atomic(ctx, path, "other", 5, false), IDP_E_EXISTS);
    assert_non_null(strstr(idp_ctx_error(ctx), "out.bin"));
    assert_int_equal(idp_read_file(ctx, path, 0, &buf, &len), IDP_OK);
    assert_int_equal(len, 5);
    assert_memory_equal(buf, "hello", 5);
    idp_free_wiped(buf, len);
    assert_int_equal(idp_write_atomic(ctx, path, "other!", 6, true), IDP_OK);
    assert_int_equal(idp_read_file(ctx, path, 0, &buf, &len), IDP_OK);
    assert_int_equal(len, 6);
    idp_free_wiped(buf, len);
    /* a size limit refuses before reading */
    assert_int_equal(idp_read_file(ctx, path, 5, &buf, &len), IDP_E_LIMITS);
    assert_null(buf);
    /* no temporary file is left behind */
    assert_int_equal(tu_count_entries(dir), 1);
    /* a folder that does not exist */
    assert_int_equal(idp_write_atomic(ctx, tu_path(dir, "nope/x.bin"), "x", 1, false),
                     IDP_E_CREATE);
    assert_int_equal(idp_read_file(ctx, tu_path(dir, "missing"), 0, &buf, &len), IDP_E_NOTFOUND);
    assert_non_null(strstr(idp_ctx_error(ctx), "missing"));
    idp_ctx_destroy(ctx);
}

static void test_mul_size(void **state)
{
    size_t r = 0;
    (void)state;
    assert_true(idp_mul_size(1000, 1000, &r));
    assert_int_equal(r, 1000000);
    assert_false(idp_mul_size(SIZE_MAX / 2, 3, &r));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fail_records_message),
        cmocka_unit_test(test_image_limits),
        cmocka_unit_test(test_write_atomic),
        cmocka_unit_test(test_mul_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
