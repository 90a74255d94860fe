/* PDFs are read by the program idpack-pdf-render, started for each read
 * (src/load/idp_pdf_proto.h). Several threads reading PDFs while others
 * allocate: every read ends, with the right pixels (a fork of a threaded
 * caller that ran poppler could wait forever on a lock another thread
 * held, seen under AddressSanitizer as 80 s stalls); the program missing,
 * or answering in another version's words, is a clear error naming the
 * file; run by hand, it refuses. */
#define _GNU_SOURCE
#include "idp_ctx.h"
#include "idp_image.h"
#include "idp_load.h"
#include "testutil.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#define READERS 4
#define ROUNDS 4
#define CHURNERS 2

static uint8_t *pdf;
static size_t pdf_len;
static volatile int readers_done;

/* Two pages, 240 x 160 and 200 x 300 pixels (img2pdf keeps each JPEG as
 * its page's one image, read at its own size). */
static int make_pdf(void **state)
{
    const char *dir = tu_tmpdir();
    const char *a = tu_path(dir, "a.jpg"), *b = tu_path(dir, "b.jpg");
    size_t n = 0;
    uint8_t *j;

    (void)state;
    tu_need_tool("img2pdf");
    j = tu_make_jpeg(240, 160, TU_JPEG_GRADIENT, 90, &n);
    tu_write_file(a, j, n);
    free(j);
    j = tu_make_jpeg(200, 300, TU_JPEG_GRADIENT, 90, &n);
    tu_write_file(b, j, n);
    free(j);
    if (tu_run("img2pdf '%s' '%s' -o '%s'", a, b, tu_path(dir, "two.pdf")) != 0)
        return -1;
    pdf = tu_read_file(tu_path(dir, "two.pdf"), &pdf_len);
    return pdf != NULL ? 0 : -1;
}

static int free_pdf(void **state)
{
    (void)state;
    free(pdf);
    return 0;
}

typedef struct reader {
    int failures, wrong;
    char error[256];
} reader;

static void *read_pages(void *arg)
{
    reader *r = arg;
    idp_ctx *ctx = NULL;

    if (idp_ctx_create(&ctx) != IDP_OK) {
        r->failures++;
        return NULL;
    }
    for (int i = 0; i < ROUNDS * 2; i++) {
        idp_load_opts opts = {0};
        idp_image_info info;
        idp_image *img = NULL;
        opts.page = (uint32_t)(i % 2);
        if (idp_load_memory(ctx, "two.pdf", pdf, pdf_len, &opts, &img, &info) != IDP_OK) {
            r->failures++;
            snprintf(r->error, sizeof(r->error), "%s", idp_ctx_error(ctx));
            continue;
        }
        if (img->width != (i % 2 ? 200u : 240u) || img->height != (i % 2 ? 300u : 160u) ||
            info.pages != 2)
            r->wrong++;
        idp_image_destroy(img);
    }
    idp_ctx_destroy(ctx);
    return NULL;
}

/* Many small allocations freed in bursts, all the time, as the other
 * photo's checks do while a PDF is read: the allocator takes its locks
 * to refill and drain its caches. */
static void *churn(void *arg)
{
    void *p[256];
    unsigned long n = 0;

    (void)arg;
    while (!readers_done) {
        for (int i = 0; i < 256; i++, n++) {
            p[i] = malloc(16 + (n * 7919) % 16384);
            if (p[i] != NULL)
                memset(p[i], 1, 16);
        }
        for (int i = 0; i < 256; i++)
            free(p[i]);
    }
    return NULL;
}

static void test_threads_read_while_others_allocate(void **state)
{
    pthread_t rt[READERS], ct[CHURNERS];
    reader r[READERS];
    struct timespec t0, t1;

    (void)state;
    memset(r, 0, sizeof(r));
    readers_done = 0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < CHURNERS; i++)
        assert_int_equal(pthread_create(&ct[i], NULL, churn, NULL), 0);
    for (int i = 0; i < READERS; i++)
        assert_int_equal(pthread_create(&rt[i], NULL, read_pages, &r[i]), 0);
    for (int i = 0; i < READERS; i++)
        pthread_join(rt[i], NULL);
    readers_done = 1;
    for (int i = 0; i < CHURNERS; i++)
        pthread_join(ct[i], NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    for (int i = 0; i < READERS; i++) {
        if (r[i].failures != 0)
            fail_msg("reader %d: %d reads failed: %s", i, r[i].failures, r[i].error);
        assert_int_equal(r[i].wrong, 0);
    }
    /* 32 reads; each waits at most 20 s (80 under ASan) for a stalled
     * program: a stall would show as a failure above, and as time here. */
    print_message("%d reads in %.1f s\n", READERS * ROUNDS * 2,
                  (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
}

static void expect_error(const char *renderer, idp_status want, const char *words)
{
    const char *saved = getenv("IDPACK_PDF_RENDER");
    char *keep = saved != NULL ? strdup(saved) : NULL;
    idp_ctx *ctx = tu_new_ctx();
    idp_load_opts opts = {0};
    idp_image_info info;
    idp_image *img = NULL;

    assert_int_equal(setenv("IDPACK_PDF_RENDER", renderer, 1), 0);
    assert_int_equal(idp_load_memory(ctx, "scan.pdf", pdf, pdf_len, &opts, &img, &info), want);
    assert_null(img);
    assert_non_null(strstr(idp_ctx_error(ctx), "scan.pdf"));
    if (strstr(idp_ctx_error(ctx), words) == NULL)
        fail_msg("'%s' lacks '%s'", idp_ctx_error(ctx), words);
    if (keep != NULL)
        assert_int_equal(setenv("IDPACK_PDF_RENDER", keep, 1), 0);
    else
        unsetenv("IDPACK_PDF_RENDER");
    free(keep);
    idp_ctx_destroy(ctx);
}

static void test_missing_program(void **state)
{
    (void)state;
    expect_error(tu_path(tu_tmpdir(), "no-such-program"), IDP_E_INTERNAL,
                 "idpack-pdf-render is missing");
}

/* A program that answers with something else than this version's reply. */
static void test_other_version(void **state)
{
    const char *fake = tu_path(tu_tmpdir(), "fake-render");
    const char script[] = "#!/bin/sh\nhead -c 2000 /dev/zero >&3\n";

    (void)state;
    tu_write_file(fake, script, sizeof(script) - 1);
    assert_int_equal(chmod(fake, 0700), 0);
    expect_error(fake, IDP_E_INTERNAL, "another version of idpack");
}

/* Started by hand (no request on its input), the program says what it is
 * for and fails. */
static void test_run_by_hand(void **state)
{
    const char *prog = tu_env("IDPACK_PDF_RENDER");
    const char *err = tu_path(tu_tmpdir(), "err");
    size_t n = 0;
    char *text;

    (void)state;
    assert_int_equal(tu_run("'%s' </dev/null 3>/dev/null 2>'%s'", prog, err), 2);
    text = (char *)tu_read_file(err, &n);
    assert_non_null(text);
    assert_non_null(strstr(text, "is not run by hand"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_read_while_others_allocate),
        cmocka_unit_test(test_missing_program),
        cmocka_unit_test(test_other_version),
        cmocka_unit_test(test_run_by_hand),
    };
    return cmocka_run_group_tests(tests, make_pdf, free_pdf);
}
