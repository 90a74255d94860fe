/* Tesseract, the MRZ reader's fallback, runs on the calling thread when
 * the context allows one thread (docs/library.md, "Threads"): its OpenMP
 * team of four is not started. Counted in /proc/self/task after the read
 * (libgomp keeps a team's threads once started, until the process ends);
 * then, allowed four, the same read starts them: the count can fail. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_detect.h"
#include "idp_load.h"
#include "idp_mrz.h"
#include "testutil.h"

#include <dirent.h>
#include <string.h>

static int tasks(void)
{
    DIR *d = opendir("/proc/self/task");
    struct dirent *e;
    int n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

/* Reads the Czech passport of PassportEye's images, which only Tesseract
 * validates (docs/mrz.md), with ctx allowing threads. */
static void read_cze(idp_ctx *ctx, unsigned threads)
{
    const char *path = tu_path(tu_env("IDP_CORPUS"), "mrz/100_pass-cze.jpg");
    idp_load_opts opts = {.min_side = 2000};
    idp_image_info info;
    idp_image *img = NULL;
    idp_mrz_reader *rd = NULL;
    idp_document doc;
    idp_mrz mrz;
    bool found = false;

    idp_ctx_set_threads(ctx, threads);
    assert_int_equal(idp_load_file(ctx, path, &opts, &img, &info), IDP_OK);
    assert_int_equal(idp_detect_document(ctx, img, &doc), IDP_OK);
    assert_int_equal(idp_mrz_reader_create(ctx, &rd), IDP_OK);
    assert_int_equal(idp_mrz_read(ctx, rd, img, &doc, false, &mrz, &found), IDP_OK);
    assert_true(found);
    assert_string_equal(mrz.engine, "tesseract"); /* Tesseract did run */
    assert_int_equal(mrz.valid_score, 100);
    idp_mrz_wipe(&mrz);
    idp_mrz_reader_destroy(rd);
    idp_image_destroy(img);
}

static void test_tesseract_threads(void **state)
{
    idp_ctx *ctx = NULL;
    (void)state;

    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(tasks(), 1);
    read_cze(ctx, 1);
    assert_int_equal(tasks(), 1);
    read_cze(ctx, 4); /* allowed: Tesseract's own team */
    assert_true(tasks() > 1);
    idp_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tesseract_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
