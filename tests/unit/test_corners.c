/* The corners check: a corner hidden under a finger or an object fails
 * with its own reason, a document cut by the frame fails as cut off, and
 * clean documents pass. On drawn scenes (idp_corners_view alone), on the
 * photos of tests/images/mkcorners.py (a finger, a coin, a pen or a flat
 * object of the desk's own colour over a corner of the idp_mkphotos
 * --detect-set photos, cut-off crops, controls)
 * and on the real scans of the corpus. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_check.h"
#include "idp_detect.h"
#include "idp_load.h"
#include "testutil.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 96

typedef struct row {
    char file[64];
    char expect[16]; /* pass, covered, cut, cut-found (corners.tsv); clean, cut (detect.tsv) */
} row;

static idp_ctx *ctx;
static const char *dir;
static bool have_photos; /* mkcorners.py ran (python3 with numpy and PIL) */
static row covered_rows[MAX_ROWS], detect_rows[MAX_ROWS];
static size_t n_covered, n_detect;

static size_t read_rows(const char *path, int file_col, int expect_col, row *rows)
{
    FILE *f = fopen(path, "r");
    char line[512];
    size_t n = 0;

    if (f == NULL)
        return 0;
    if (fgets(line, sizeof(line), f) == NULL) { /* header */
        fclose(f);
        return 0;
    }
    while (n < MAX_ROWS && fgets(line, sizeof(line), f) != NULL) {
        /* our own generators' tab-separated fields: no quoting */
        char *save = NULL, *tok = strtok_r(line, "\t\n", &save);
        for (int col = 0; tok != NULL; col++, tok = strtok_r(NULL, "\t\n", &save)) {
            if (col == file_col)
                snprintf(rows[n].file, sizeof(rows[n].file), "%s", tok);
            if (col == expect_col)
                snprintf(rows[n].expect, sizeof(rows[n].expect), "%s", tok);
        }
        n++;
    }
    fclose(f);
    return n;
}

static int setup(void **state)
{
    char cmd[4096];

    (void)state;
    if (idp_ctx_create(&ctx) != IDP_OK)
        return -1;
    dir = tu_tmpdir();
    snprintf(cmd, sizeof(cmd), "'%s' --detect-set '%s'", tu_env("IDP_MKPHOTOS"), dir);
    if (system(cmd) != 0)
        return -1;
    /* detect.tsv: file kind x0 .. y3 category */
    n_detect = read_rows(tu_path(dir, "detect.tsv"), 0, 10, detect_rows);
    /* the first python3 that has numpy and PIL (a pyenv shim may come
     * first on the PATH without them) */
    snprintf(cmd, sizeof(cmd),
             "for p in python3 /usr/bin/python3; do "
             "if $p -c 'import numpy, PIL' 2>/dev/null; then "
             "exec $p '%s/tests/images/mkcorners.py' '%s'; fi; done; exit 77",
             tu_env("IDP_SRC"), dir);
    const int rc = system(cmd);
    have_photos = rc == 0;
    if (have_photos)
        n_covered = read_rows(tu_path(dir, "corners.tsv"), 0, 1, covered_rows);
    else
        printf("  mkcorners.py did not run (python3 with numpy and PIL needed): %d\n", rc);
    return n_detect >= 20 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    idp_ctx_destroy(ctx);
    return 0;
}

/* A drawn scene: a desk of one colour with mild texture, a card of
 * another with rounded corners (radius 3.18 mm at 8 px/mm) and a blue
 * band along its top; the quad is the card's sharp corners. */
#define W 900
#define H 650
static const double card_q[4][2] = {{150, 120}, {835, 120}, {835, 552}, {150, 552}};

static void paint(idp_image *img, const uint8_t desk[3], const uint8_t card[3], bool run_off)
{
    const double r = 3.18 * 8.0, x0 = 150, y0 = 120, y1 = 552;
    const double x1 = run_off ? 5000 : 835;
    for (uint32_t y = 0; y < H; y++)
        for (uint32_t x = 0; x < W; x++) {
            const double px = x + 0.5, py = y + 0.5;
            bool in = px >= x0 && px < x1 && py >= y0 && py < y1;
            /* the round corners */
            const double cx = px < x0 + r ? x0 + r : (px > x1 - r ? x1 - r : px);
            const double cy = py < y0 + r ? y0 + r : (py > y1 - r ? y1 - r : py);
            if (in && hypot(px - cx, py - cy) > r)
                in = false;
            uint8_t *o = img->data + ((size_t)y * W + x) * 3;
            const int grain = (int)(6 * sin(y * 0.7) + 4 * sin(x * 0.13 + y * 0.05));
            for (int c = 0; c < 3; c++) {
                int v = in ? card[c] : desk[c] + grain;
                if (in && py < y0 + 60) /* the header band */
                    v = c == 2 ? 170 : (c == 1 ? 95 : 45);
                o[c] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
            }
        }
}

/* A fingertip: a skin-coloured disc of 17 mm shaded as a cylinder. */
static void finger(idp_image *img, double cx, double cy)
{
    const double rad = 8.5 * 8.0;
    for (uint32_t y = 0; y < H; y++)
        for (uint32_t x = 0; x < W; x++) {
            const double d = hypot(x + 0.5 - cx, y + 0.5 - cy);
            if (d > rad)
                continue;
            const double shade = 0.62 + 0.38 * sqrt(1 - (d / rad) * (d / rad));
            uint8_t *o = img->data + ((size_t)y * W + x) * 3;
            o[0] = (uint8_t)(222 * shade);
            o[1] = (uint8_t)(170 * shade);
            o[2] = (uint8_t)(140 * shade);
        }
}

static void test_drawn(void **state)
{
    const uint8_t wood[3] = {150, 95, 55}, white[3] = {236, 233, 226};
    idp_image *img = NULL;
    idp_document doc;
    idp_corner_view v;

    (void)state;
    assert_int_equal(idp_image_create(ctx, W, H, 3, &img), IDP_OK);
    memset(&doc, 0, sizeof(doc));
    doc.found = true;
    doc.kind = IDP_DOC_ID1;
    memcpy(doc.quad, card_q, sizeof(card_q));

    /* clean: every corner seen, none covered, no side going on */
    paint(img, wood, white, false);
    idp_corners_view(img, &doc, &v);
    for (int c = 0; c < 4; c++) {
        assert_true(v.support[c] >= 0.9);
        assert_false(v.covered[c]);
    }
    assert_int_equal(v.worst, -1);
    assert_false(v.runs_out);

    /* a fingertip over the bottom-right corner: that corner, only */
    finger(img, 835 - 20, 552 - 15);
    idp_corners_view(img, &doc, &v);
    assert_int_equal(v.worst, 2);
    assert_true(v.covered[2]);
    assert_false(v.covered[0] || v.covered[1] || v.covered[3]);
    assert_true(v.support[2] < IDP_CORNER_SUPPORT_MIN);

    /* white on white below the band (a scan's page on the scanner's
     * lid): the faint sides are no evidence of a finger */
    paint(img, white, white, false);
    idp_corners_view(img, &doc, &v);
    assert_int_equal(v.worst, -1);

    /* the card runs off the right of the frame and the quad is a box on
     * it: its top side goes on along the card's edge past its corner */
    paint(img, wood, white, true);
    const double box[4][2] = {{150, 120}, {420, 120}, {420, 400}, {150, 400}};
    memcpy(doc.quad, box, sizeof(box));
    idp_corners_view(img, &doc, &v);
    assert_true(v.runs_out);
    memcpy(doc.quad, card_q, sizeof(card_q));
    paint(img, wood, white, false);
    idp_corners_view(img, &doc, &v);
    assert_false(v.runs_out);
    idp_image_destroy(img);
}

static idp_status check(const char *path, idp_check_report *r)
{
    idp_policy policy;
    idp_policy_default(&policy);
    policy.detect = 1;
    return idp_check_file(ctx, path, &policy, r);
}

/* Every corner of every found quad at least margin inside the frame. */
static bool quad_inside(const idp_check_report *r)
{
    const double w = r->info.width, h = r->info.height;
    const double margin = 0.01 * (w < h ? w : h);
    for (int c = 0; c < 4; c++) {
        const double x = r->document.quad[c][0], y = r->document.quad[c][1];
        if (x < margin || y < margin || w - x < margin || h - y < margin)
            return false;
    }
    return true;
}

/* The generated photos: covered -> fail covered (cut off where the
 * occluder moved the outline to the frame), controls pass, cut -> fail. */
static void test_photos(void **state)
{
    size_t covered = 0, covered_ok = 0;
    (void)state;
    if (!have_photos)
        skip();
    assert_true(n_covered >= 20);
    for (size_t i = 0; i < n_covered; i++) {
        const row *s = &covered_rows[i];
        idp_check_report r;
        assert_int_equal(check(tu_path(dir, s->file), &r), IDP_OK);
        const idp_check_result *cr = idp_report_find(&r, IDP_CHECK_CORNERS);
        printf("  %-22s %-8s found=%d corners=%s reason=%d value=%.2f\n", s->file, s->expect,
               r.document.found, cr ? idp_check_status_name(cr->status) : "-",
               cr ? (int)cr->reason : -1, cr ? cr->value : (double)NAN);
        if (strcmp(s->expect, "pass") == 0) {
            assert_non_null(cr);
            assert_int_equal(cr->status, IDP_CHECK_PASS);
        } else if (strcmp(s->expect, "covered") == 0) {
            covered++;
            assert_non_null(cr);
            assert_int_equal(cr->status, IDP_CHECK_FAIL);
            if (quad_inside(&r))
                assert_int_equal(cr->reason, IDP_REASON_COVERED);
            covered_ok += cr->reason == IDP_REASON_COVERED;
        } else if (strcmp(s->expect, "cut-found") == 0) {
            /* a side a little outside the frame, three in view (round 9):
             * found, and failed as cut off */
            assert_true(r.document.found);
            assert_non_null(cr);
            assert_int_equal(cr->status, IDP_CHECK_FAIL);
            assert_int_equal(cr->reason, IDP_REASON_CUT_OFF);
        } else { /* cut: found and failed as cut off, or not found */
            assert_int_not_equal(r.verdict, IDP_VERDICT_PASS);
            if (r.document.found) {
                assert_non_null(cr);
                assert_int_equal(cr->status, IDP_CHECK_FAIL);
                assert_int_equal(cr->reason, IDP_REASON_CUT_OFF);
            }
        }
    }
    printf("  %zu of %zu covered photos failed as covered\n", covered_ok, covered);
    /* 9 fingers, 3 coins, 2 pens, 2 objects of the desk's colour (round 8:
     * both sides of the corner lost, nothing foreign) */
    assert_true(covered >= 16);
}

/* The detect set: no clean document is called covered; the cut-off ones
 * fail as cut off. */
static void test_detect_set(void **state)
{
    (void)state;
    for (size_t i = 0; i < n_detect; i++) {
        const row *s = &detect_rows[i];
        idp_check_report r;
        if (strcmp(s->expect, "nocard") == 0)
            continue;
        assert_int_equal(check(tu_path(dir, s->file), &r), IDP_OK);
        const idp_check_result *cr = idp_report_find(&r, IDP_CHECK_CORNERS);
        assert_non_null(cr);
        if (strcmp(s->expect, "cut") == 0) {
            assert_int_equal(cr->status, IDP_CHECK_FAIL);
            assert_int_equal(cr->reason, IDP_REASON_CUT_OFF);
        } else {
            if (cr->status != IDP_CHECK_PASS)
                printf("  %s: corners %s reason %d\n", s->file, idp_check_status_name(cr->status),
                       (int)cr->reason);
            assert_int_equal(cr->status, IDP_CHECK_PASS);
        }
    }
}

/* The real scans and photos of the corpus: whatever is found, no corner
 * is called covered (none has a finger or an object on it). */
static void test_corpus(void **state)
{
    char sub[4096];
    struct dirent *e;
    size_t found = 0;
    (void)state;
    snprintf(sub, sizeof(sub), "%s/mrz", tu_env("IDP_CORPUS"));
    DIR *d = opendir(sub);
    if (d == NULL)
        skip();
    while ((e = readdir(d)) != NULL) {
        const char *dot = strrchr(e->d_name, '.');
        idp_check_report r;
        if (dot == NULL || (strcmp(dot, ".jpg") != 0 && strcmp(dot, ".png") != 0))
            continue;
        if (check(tu_path(sub, e->d_name), &r) != IDP_OK || !r.document.found)
            continue;
        found++;
        const idp_check_result *cr = idp_report_find(&r, IDP_CHECK_CORNERS);
        assert_non_null(cr);
        printf("  %-22s corners=%s reason=%d\n", e->d_name, idp_check_status_name(cr->status),
               (int)cr->reason);
        assert_int_not_equal(cr->reason, IDP_REASON_COVERED);
    }
    closedir(d);
    printf("  %zu corpus images with a document found\n", found);
}

/* Every reason has its own sentence: the covered one says what to do. */
static void test_message(void **state)
{
    idp_check_result res = {.id = IDP_CHECK_CORNERS,
                            .status = IDP_CHECK_FAIL,
                            .reason = IDP_REASON_COVERED,
                            .value = 0.1,
                            .limit = IDP_CORNER_SUPPORT_MIN,
                            .other = -1};
    char en[512], it[512], cut[512];
    (void)state;
    idp_check_describe(&res, "en", en, sizeof(en));
    idp_check_describe(&res, "it", it, sizeof(it));
    res.reason = IDP_REASON_CUT_OFF;
    idp_check_describe(&res, "en", cut, sizeof(cut));
    assert_non_null(strstr(en, "finger"));
    assert_non_null(strstr(it, "dit"));
    assert_string_not_equal(en, cut);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drawn),      cmocka_unit_test(test_photos),
        cmocka_unit_test(test_detect_set), cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_message),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
