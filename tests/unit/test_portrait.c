/* Portrait documents (idp_mkphotos --portrait-set: a vertical-format ID-1
 * card and a passport booklet's cover, upright and turned on a desk) come
 * out portrait: TL->TR a short side, TL the document's own where the
 * content says which end is up, and the crop tall, at the true aspect. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_detect.h"
#include "idp_load.h"
#include "idp_normalize.h"
#include "testutil.h"
#include "testutil_ctx.h"
#include "testutil_shots.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SHOTS 32
#define CQ(q) ((const double(*)[2])(q))

static const char *dir;
static shot shots[MAX_SHOTS];
static size_t n_shots;

static int setup(void **state)
{
    if (tu_ctx_setup(state) != 0)
        return -1;
    dir = tu_tmpdir();
    n_shots = tu_make_shots("--portrait-set", dir, shots, MAX_SHOTS);
    return n_shots >= 8 ? 0 : -1;
}

/* The turn (0-3) that brings the found corners nearest the true ones. */
static int quad_turn(const double found[4][2], const double truth[4][2])
{
    int best = 0;
    double best_d = -1;
    for (int t = 0; t < 4; t++) {
        double d = 0;
        for (int k = 0; k < 4; k++)
            d += hypot(found[(k + t) % 4][0] - truth[k][0], found[(k + t) % 4][1] - truth[k][1]);
        if (best_d < 0 || d < best_d) {
            best_d = d;
            best = t;
        }
    }
    return best;
}

static double edge(const double q[4][2], int a, int b)
{
    return hypot(q[b][0] - q[a][0], q[b][1] - q[a][1]);
}

/* Every vertical card: portrait, TL its own (its fields are left-aligned
 * stacks). Every cover found: portrait; which end is up only when the
 * photo holds it upright (no cue reads a cover's gold titles for that). */
static void test_portrait_set(void **state)
{
    size_t cards = 0, cards_right = 0, covers = 0, covers_found = 0, covers_portrait = 0;
    size_t cards_kind = 0;
    (void)state;
    for (size_t i = 0; i < n_shots; i++) {
        const shot *s = &shots[i];
        idp_load_opts opts = {.min_side = 1000};
        idp_image_info info;
        idp_image *img = NULL;
        idp_document doc;

        assert_int_equal(idp_load_file(ctx, tu_path(dir, s->file), &opts, &img, &info), IDP_OK);
        assert_int_equal(idp_detect_document(ctx, img, &doc), IDP_OK);
        idp_document_scale(&doc, (double)info.width / img->width,
                           (double)info.height / img->height);
        const double iou = doc.found ? idp_quad_iou(CQ(doc.quad), CQ(s->quad)) : 0.0;
        const int turn = doc.found ? quad_turn(CQ(doc.quad), CQ(s->quad)) : -1;
        /* portrait: the top edge (TL->TR) is the shorter pair */
        const bool tall = doc.found && edge(CQ(doc.quad), 0, 1) < 0.8 * edge(CQ(doc.quad), 1, 2);
        printf("  %-16s found=%d kind=%s iou=%.4f portrait=%d tall=%d upright=%s turn=%d\n",
               s->file, doc.found, idp_doc_kind_name(doc.kind), iou, doc.portrait, tall,
               idp_upright_cue_name(doc.upright), turn);
        assert_true(doc.portrait == tall);
        if (strcmp(s->category, "vcard") == 0) {
            cards++;
            /* IoU > 0.8: vcard-270 on the busy fabric is found without
             * its header band (as ID-3, IoU 0.86), still read right */
            cards_right += doc.found && iou > 0.8 && doc.portrait && turn == 0 &&
                           doc.upright != IDP_UPRIGHT_PHOTO;
            cards_kind += doc.found && iou > 0.95 && doc.kind == IDP_DOC_ID1;
        } else {
            covers++;
            covers_found += doc.found && iou > 0.9;
            covers_portrait += doc.found && iou > 0.9 && doc.portrait && turn % 2 == 0;
        }
        if (doc.found && strcmp(s->file, "vcard-0.jpg") == 0) {
            /* the crop: tall, at the true aspect */
            idp_document d = doc;
            idp_document_scale(&d, (double)img->width / info.width,
                               (double)img->height / info.height);
            double share = 0, dw, dh;
            assert_int_equal(idp_crop_document_margin(ctx, &img, &d, &share), IDP_OK);
            assert_true(img->height > img->width);
            /* the document inside its margin (the same on every side) */
            dw = img->width * share;
            dh = img->height - (img->width - dw);
            assert_true(share < 1.0);
            assert_true(fabs(dh / dw - 85.60 / 53.98) < 0.01);
        }
        idp_image_destroy(img);
    }
    printf("  vertical cards right %zu of %zu (%zu outlined right); covers found %zu of %zu, "
           "portrait %zu\n",
           cards_right, cards, cards_kind, covers_found, covers, covers_portrait);
    assert_true(cards >= 5 && covers >= 4);
    assert_int_equal(cards_right, cards);
    assert_true(cards_kind + 1 >= cards); /* the detector's misses, docs/detection.md */
    assert_int_equal(covers_portrait, covers_found);
    assert_true(covers_found + 1 >= covers); /* cover-tilt on the busy fabric: see detection.md */
}

/* The physical size of the upright document: the short side across when
 * portrait. */
static void test_size_mm(void **state)
{
    idp_document d;
    double w, h;
    (void)state;
    memset(&d, 0, sizeof(d));
    idp_document_size_mm(&d, &w, &h);
    assert_true(w == 0 && h == 0);
    d.found = true;
    d.kind = IDP_DOC_ID1;
    idp_document_size_mm(&d, &w, &h);
    assert_true(fabs(w - 85.60) < 1e-9 && fabs(h - 53.98) < 1e-9);
    d.portrait = true;
    idp_document_size_mm(&d, &w, &h);
    assert_true(fabs(w - 53.98) < 1e-9 && fabs(h - 85.60) < 1e-9);
    d.kind = IDP_DOC_ID3;
    idp_document_size_mm(&d, &w, &h);
    assert_true(fabs(w - 88.0) < 1e-9 && fabs(h - 125.0) < 1e-9);
}

/* A portrait quad is warped onto a tall rectangle, a landscape one onto a
 * wide one: the same four corners, turned by one, give the crop turned. */
static void test_crop_shape(void **state)
{
    idp_image *src = NULL, *img = NULL;
    idp_document d;
    (void)state;
    assert_int_equal(idp_image_create(ctx, 400, 400, 1, &src), IDP_OK);
    memset(src->data, 128, 400u * 400u);
    memset(&d, 0, sizeof(d));
    d.found = true;
    d.kind = IDP_DOC_ID1;
    const double land[4][2] = {{41, 100}, {358, 100}, {358, 300}, {41, 300}};
    memcpy(d.quad, land, sizeof(land));
    assert_int_equal(idp_image_create(ctx, 400, 400, 1, &img), IDP_OK);
    memcpy(img->data, src->data, 400u * 400u);
    assert_int_equal(idp_crop_document(ctx, &img, &d), IDP_OK);
    /* 317 x 200 and a margin of 3 % of the short side, 6 px, all round */
    assert_int_equal(img->width, 317 + 12);
    assert_int_equal(img->height, 200 + 12);
    idp_image_destroy(img);
    /* the same card standing up: TL->TR the short side */
    const double port[4][2] = {{100, 41}, {300, 41}, {300, 358}, {100, 358}};
    memcpy(d.quad, port, sizeof(port));
    d.portrait = true;
    img = src;
    assert_int_equal(idp_crop_document(ctx, &img, &d), IDP_OK);
    assert_int_equal(img->width, 200 + 12);
    assert_int_equal(img->height, 317 + 12);
    idp_image_destroy(img);
}

/* The margin is the surface around the card, the same on every side, and
 * shrinks where the photo ends: never made-up pixels. */
static void test_crop_margin(void **state)
{
    idp_image *img = NULL;
    idp_document d;
    double share = 0;
    (void)state;
    assert_int_equal(idp_image_create(ctx, 400, 400, 1, &img), IDP_OK);
    memset(img->data, 30, 400u * 400u); /* the desk */
    for (uint32_t y = 100; y < 300; y++)
        memset(img->data + y * 400u + 41, 220, 317); /* the card */
    memset(&d, 0, sizeof(d));
    d.found = true;
    d.kind = IDP_DOC_ID1;
    const double land[4][2] = {{41, 100}, {358, 100}, {358, 300}, {41, 300}};
    memcpy(d.quad, land, sizeof(land));
    assert_int_equal(idp_crop_document_margin(ctx, &img, &d, &share), IDP_OK);
    assert_int_equal(img->width, 329);
    assert_true(fabs(share - 317.0 / 329.0) < 1e-9);
    /* the outer 5 px are the desk, the centre and just inside the margin the card */
    assert_true(img->data[2 * img->width + 2] < 60);
    assert_true(img->data[(img->height - 3) * img->width + img->width - 3] < 60);
    assert_true(img->data[(img->height / 2) * img->width + 3] < 60);
    assert_true(img->data[(img->height / 2) * img->width + 9] > 190);
    assert_true(img->data[9 * img->width + img->width / 2] > 190);
    idp_image_destroy(img);

    /* the card touching the frame's left edge: no room, no margin */
    assert_int_equal(idp_image_create(ctx, 400, 400, 1, &img), IDP_OK);
    memset(img->data, 128, 400u * 400u);
    const double edge[4][2] = {{0, 100}, {317, 100}, {317, 300}, {0, 300}};
    memcpy(d.quad, edge, sizeof(edge));
    assert_int_equal(idp_crop_document_margin(ctx, &img, &d, &share), IDP_OK);
    assert_int_equal(img->width, 317);
    assert_int_equal(img->height, 200);
    assert_true(share == 1.0);
    idp_image_destroy(img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_portrait_set),
        cmocka_unit_test(test_size_mm),
        cmocka_unit_test(test_crop_shape),
        cmocka_unit_test(test_crop_margin),
    };
    return cmocka_run_group_tests(tests, setup, tu_ctx_teardown);
}
