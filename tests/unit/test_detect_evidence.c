/* The finder's evidence and confidence (src/detect/idp_evidence.c) and
 * scans (idp_scan.c): clutter is no document, an inner box is never the
 * document, scans are the whole image, a clean card is surer than a faint
 * one. Scenes are drawn here (parametric, seeded); the real scans are read
 * from the corpus ($IDP_CORPUS/mrz). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_detect.h"
#include "idp_evidence.h"
#include "idp_load.h"
#include "testutil.h"
#include "testutil_ctx.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CQ(q) ((const double(*)[2])(q))

static uint64_t rng = 0x2545f4914f6cdd1du;

static double noise(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0 - 0.5;
}

static idp_image *canvas(uint32_t w, uint32_t h, const int rgb[3], double grain)
{
    idp_image *img = NULL;
    assert_int_equal(idp_image_create(ctx, w, h, 3, &img), IDP_OK);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++)
            for (int c = 0; c < 3; c++) {
                const double v = rgb[c] + grain * noise();
                img->data[((size_t)y * w + x) * 3 + (size_t)c] = (uint8_t)(v < 0     ? 0
                                                                           : v > 255 ? 255
                                                                                     : v);
            }
    return img;
}

/* Fills the quad q (convex, any order) with rgb plus a little noise. */
static void fill_quad(idp_image *img, const double q[4][2], const int rgb[3])
{
    double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
    for (int i = 0; i < 4; i++) {
        x0 = fmin(x0, q[i][0]);
        x1 = fmax(x1, q[i][0]);
        y0 = fmin(y0, q[i][1]);
        y1 = fmax(y1, q[i][1]);
    }
    for (long y = (long)fmax(0, y0); y < (long)fmin(img->height, y1 + 1); y++)
        for (long x = (long)fmax(0, x0); x < (long)fmin(img->width, x1 + 1); x++) {
            int pos = 0, neg = 0;
            for (int i = 0; i < 4; i++) {
                const double *a = q[i], *b = q[(i + 1) % 4];
                const double d = (b[0] - a[0]) * ((double)y + 0.5 - a[1]) -
                                 (b[1] - a[1]) * ((double)x + 0.5 - a[0]);
                pos += d > 0;
                neg += d < 0;
            }
            if (pos && neg)
                continue;
            for (int c = 0; c < 3; c++) {
                const double v = rgb[c] + 4 * noise();
                img->data[((size_t)y * img->width + (size_t)x) * 3 + (size_t)c] =
                    (uint8_t)(v < 0     ? 0
                              : v > 255 ? 255
                                        : v);
            }
        }
}

/* The rectangle at (x, y) of w x h turned by deg about its centre. */
static void rect(double q[4][2], double x, double y, double w, double h, double deg)
{
    const double cx = x + w / 2, cy = y + h / 2, a = deg * 3.14159265358979 / 180;
    const double px[4] = {-w / 2, w / 2, w / 2, -w / 2}, py[4] = {-h / 2, -h / 2, h / 2, h / 2};
    for (int i = 0; i < 4; i++) {
        q[i][0] = cx + px[i] * cos(a) - py[i] * sin(a);
        q[i][1] = cy + px[i] * sin(a) + py[i] * cos(a);
    }
}

/* A card's face inside the rectangle (x, y, w, h) turned by deg: a header
 * band, a portrait box, lines of letters, an MRZ; the portrait box's quad
 * into box when not NULL. */
static void card(idp_image *img, double x, double y, double w, double h, double deg,
                 const int paper[3], double box[4][2])
{
    double q[4][2];
    const int band[3] = {60, 90, 150}, face[3] = {120, 100, 90}, ink[3] = {30, 30, 40};
    const double cx = x + w / 2, cy = y + h / 2, a = deg * 3.14159265358979 / 180;
    rect(q, x, y, w, h, deg);
    fill_quad(img, CQ(q), paper);
    /* parts in card units (0..1), turned with the card */
    const double parts[][4] = {{0, 0, 1, 0.16},         {0.05, 0.24, 0.27, 0.62}, /* band, photo */
                               {0.35, 0.26, 0.7, 0.3},  {0.35, 0.36, 0.6, 0.4},
                               {0.35, 0.46, 0.75, 0.5}, {0.35, 0.56, 0.55, 0.6},
                               {0.05, 0.74, 0.95, 0.8}, {0.05, 0.86, 0.95, 0.92}};
    for (size_t k = 0; k < sizeof(parts) / sizeof(parts[0]); k++) {
        double p[4][2];
        const double u0 = parts[k][0] * w - w / 2, v0 = parts[k][1] * h - h / 2;
        const double u1 = parts[k][2] * w - w / 2, v1 = parts[k][3] * h - h / 2;
        const double us[4] = {u0, u1, u1, u0}, vs[4] = {v0, v0, v1, v1};
        for (int i = 0; i < 4; i++) {
            p[i][0] = cx + us[i] * cos(a) - vs[i] * sin(a);
            p[i][1] = cy + us[i] * sin(a) + vs[i] * cos(a);
        }
        if (k < 2) {
            fill_quad(img, CQ(p), k == 0 ? band : face);
            if (k == 1 && box != NULL)
                memcpy(box, p, sizeof(p));
            continue;
        }
        /* a line of letters: blocks of 0.6 x 1 line height, 0.25 apart */
        const double lh = v1 - v0;
        for (double u = u0; u + 0.6 * lh <= u1; u += 0.85 * lh) {
            const double cu[4] = {u, u + 0.6 * lh, u + 0.6 * lh, u};
            for (int i = 0; i < 4; i++) {
                p[i][0] = cx + cu[i] * cos(a) - vs[i] * sin(a);
                p[i][1] = cy + cu[i] * sin(a) + vs[i] * cos(a);
            }
            fill_quad(img, CQ(p), ink);
        }
    }
}

static void find(idp_image *img, idp_document *doc)
{
    assert_int_equal(idp_detect_document(ctx, img, doc), IDP_OK);
    assert_true(doc->confidence >= 0 && doc->confidence <= 1);
}

/* A clean card is found; a faint one (paper 14 levels from the desk) is
 * less sure, found or not. */
static void test_confidence_order(void **state)
{
    (void)state;
    const int desk[3] = {110, 95, 80}, white[3] = {235, 232, 225}, faint[3] = {124, 109, 94};
    double q[4][2];
    idp_document clean, weak;
    idp_image *a = canvas(1200, 900, desk, 10);
    card(a, 300, 250, 600, 378, 8, white, NULL);
    find(a, &clean);
    idp_image *b = canvas(1200, 900, desk, 10);
    card(b, 300, 250, 600, 378, 8, faint, NULL);
    find(b, &weak);
    rect(q, 300, 250, 600, 378, 8);
    printf("  clean: found=%d conf=%.3f iou=%.3f; faint: found=%d conf=%.3f\n", clean.found,
           clean.confidence, clean.found ? idp_quad_iou(CQ(clean.quad), CQ(q)) : 0, weak.found,
           weak.confidence);
    assert_true(clean.found && !clean.scan);
    assert_true(idp_quad_iou(CQ(clean.quad), CQ(q)) >= 0.95);
    assert_true(clean.confidence > weak.confidence);
    idp_image_destroy(a);
    idp_image_destroy(b);
}

/* Rectangular clutter: a chair's mesh (a grid of strands in a frame of a
 * card's aspect) and a printer tray (parallel ridges) are no document. */
static void test_clutter(void **state)
{
    (void)state;
    const int wall[3] = {200, 200, 195}, dark[3] = {40, 40, 45}, tray[3] = {170, 172, 175},
              ridge[3] = {120, 122, 125};
    for (int scene = 0; scene < 2; scene++) {
        idp_image *img = canvas(1200, 900, wall, 6);
        double q[4][2];
        rect(q, 250, 200, 700, 470, 3);
        fill_quad(img, CQ(q), scene == 0 ? dark : tray);
        /* strands or ridges every 30 px, inside the frame */
        for (int k = 1; k < 23; k++) {
            double s[4][2];
            rect(s, 250 + k * 30, 200, 8, 470, 3);
            /* keep it inside: the rect is turned about its own centre */
            fill_quad(img, CQ(s), scene == 0 ? wall : ridge);
        }
        if (scene == 0)
            for (int k = 1; k < 15; k++) {
                double s[4][2];
                rect(s, 250, 200 + k * 30, 700, 8, 3);
                fill_quad(img, CQ(s), wall);
            }
        idp_document doc;
        find(img, &doc);
        printf("  %s: found=%d conf=%.3f\n", scene == 0 ? "mesh" : "tray", doc.found,
               doc.confidence);
        assert_false(doc.found);
        idp_image_destroy(img);
    }
}

/* A card running off the right and the bottom of the frame: its portrait
 * box is a whole rectangle of a document's aspect in view, the card is
 * not. The box must not be returned. */
static void test_inner_box(void **state)
{
    (void)state;
    const int desk[3] = {90, 70, 55}, white[3] = {230, 228, 220};
    double box[4][2];
    idp_image *img = canvas(1200, 900, desk, 10);
    card(img, 420, 380, 1100, 694, 2, white, box);
    idp_document doc;
    find(img, &doc);
    const double iou = doc.found ? idp_quad_iou(CQ(doc.quad), CQ(box)) : 0;
    printf("  card off the frame: found=%d conf=%.3f iou with the portrait box %.3f\n", doc.found,
           doc.confidence, iou);
    assert_true(iou < 0.5);
    idp_image_destroy(img);
}

/* Scans: a card filling the image exactly (a scanner app's crop), and a
 * passport page with a white margin, are the whole image (less the
 * margin), not the portrait box inside. */
static void test_synthetic_scans(void **state)
{
    (void)state;
    const int paper[3] = {225, 230, 235}, white[3] = {250, 250, 250};
    for (int scene = 0; scene < 2; scene++) {
        const uint32_t w = scene == 0 ? 1012 : 1300, h = scene == 0 ? 638 : 956;
        idp_image *img = canvas(w, h, white, 1);
        const double m = scene == 0 ? 0 : 30;
        card(img, m, m, w - 2 * m, h - 2 * m, 0, paper, NULL);
        double q[4][2];
        rect(q, m, m, w - 2 * m, h - 2 * m, 0);
        idp_document doc;
        find(img, &doc);
        const double iou = doc.found ? idp_quad_iou(CQ(doc.quad), CQ(q)) : 0;
        printf("  scan %d: found=%d scan=%d kind=%s conf=%.3f iou=%.3f\n", scene, doc.found,
               doc.scan, idp_doc_kind_name(doc.kind), doc.confidence, iou);
        assert_true(doc.found && doc.scan);
        assert_true(iou >= 0.9);
        assert_int_equal(doc.kind, scene == 0 ? IDP_DOC_ID1 : IDP_DOC_ID3);
        idp_image_destroy(img);
    }
}

/* A gingham cloth: squares of side px, three tones (both dark, one, none). */
static idp_image *gingham(uint32_t w, uint32_t h, uint32_t side)
{
    const int base[3] = {0, 0, 0};
    idp_image *img = canvas(w, h, base, 0);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            const int k = (int)((x / side) % 2 + (y / side) % 2);
            const int rgb[3] = {230 - 70 * k, 235 - 60 * k, 225 - 80 * k};
            for (int c = 0; c < 3; c++) {
                const double v = rgb[c] + 6 * noise();
                img->data[((size_t)y * w + x) * 3 + (size_t)c] = (uint8_t)(v < 0 ? 0 : v);
            }
        }
    return img;
}

/* A surface pattern across a side (idp_crossing.c): a rectangle of the
 * cloth's own lines has its sides crossed; a card lying on the cloth has
 * none, nor does the card's outline grown by one row of squares on three
 * of its sides (only the grown one is the cloth's). */
static void test_pattern_crossed(void **state)
{
    (void)state;
    idp_image *img = gingham(1000, 750, 24);
    double q[4][2];
    rect(q, 240, 192, 384, 240, 0); /* 16 x 10 squares, on the lines */
    const int on_grid = idp_sides_crossed(img, CQ(q));
    const int paper[3] = {236, 226, 214};
    card(img, 560, 420, 300, 189, 8, paper, NULL);
    double c[4][2];
    rect(c, 560, 420, 300, 189, 8);
    const int on_card = idp_sides_crossed(img, CQ(c));
    idp_document doc;
    find(img, &doc);
    const double iou_grid = doc.found ? idp_quad_iou(CQ(doc.quad), CQ(q)) : 0;
    printf("  crossed: grid %d, card %d; found=%d conf=%.3f iou(card)=%.3f iou(grid)=%.3f\n",
           on_grid, on_card, doc.found, doc.confidence,
           doc.found ? idp_quad_iou(CQ(doc.quad), CQ(c)) : 0, iou_grid);
    assert_true(on_grid >= 3);
    assert_int_equal(on_card, 0);
    assert_true(iou_grid < 0.5); /* the cloth's rectangle is never the document */
    idp_image_destroy(img);
}

/* A card laid 1 degree askew in a flatbed's white border (idp_margin.c):
 * each side of the border ends at a line of the card's tilt, and the scan
 * is the card, not the frame with its border. */
static void test_skewed_scan(void **state)
{
    (void)state;
    const int paper[3] = {214, 222, 226}, white[3] = {252, 252, 252};
    const uint32_t w = 1100, h = 720;
    idp_image *img = canvas(w, h, white, 2);
    const double cw = 1000, ch = 1000 / 1.586;
    double q[4][2];
    rect(q, (w - cw) / 2, (h - ch) / 2, cw, ch, 1.0);
    card(img, (w - cw) / 2, (h - ch) / 2, cw, ch, 1.0, paper, NULL);
    double a, b;
    const bool top = idp_margin_edge(img, 0, &a, &b);
    printf("  skewed scan: top edge %d at %.1f px, slope %.4f (card: %.1f, %.4f)\n", top, a, b,
           (q[0][1] + q[1][1]) / 2, tan(1.0 * 3.14159265358979 / 180));
    assert_true(top);
    assert_true(fabs(b - tan(1.0 * 3.14159265358979 / 180)) < 0.003);
    assert_true(fabs(a - (q[0][1] + q[1][1]) / 2) < 1.5);
    idp_document doc;
    find(img, &doc);
    const double iou = doc.found ? idp_quad_iou(CQ(doc.quad), CQ(q)) : 0;
    printf("  skewed scan: found=%d scan=%d conf=%.3f iou=%.3f\n", doc.found, doc.scan,
           doc.confidence, iou);
    assert_true(doc.found);
    assert_true(iou >= 0.95);
    /* a scan without a margin (the card's own print at the frame's edge) has no such edge */
    idp_image *crop = canvas(1012, 638, white, 1);
    card(crop, 0, 0, 1012, 638, 0, paper, NULL);
    for (int side = 0; side < 4; side++)
        assert_false(idp_margin_edge(crop, side, &a, &b));
    idp_image_destroy(crop);
    idp_image_destroy(img);
}

/* The real scans of the corpus: each is recognised as a scan (or its
 * visible outline) covering the image, IoU >= 0.9 with the frame. */
static void test_corpus_scans(void **state)
{
    static const char *const names[] = {"100_id-mac.jpg",   "100_id-si.jpg",     "100_pass-bdr.jpg",
                                        "100_pass-cze.jpg", "100_visa-polx.jpg", "24_pass-egy.jpg",
                                        "27_pass-gbr.jpg",  "43_pass-fra.jpg",   "53_id-d.jpg",
                                        "98_pass-nld.jpg",  "100_pass-fin.png",  "100_pass-isl.png",
                                        "62_pass-pol.png"};
    (void)state;
    size_t good = 0;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char path[1024];
        snprintf(path, sizeof(path), "%s/mrz/%s", tu_env("IDP_CORPUS"), names[i]);
        idp_load_opts opts = {.min_side = 1000};
        idp_image_info info;
        idp_image *img = NULL;
        assert_int_equal(idp_load_file(ctx, path, &opts, &img, &info), IDP_OK);
        idp_document doc;
        find(img, &doc);
        const double W = img->width, H = img->height;
        const double frame[4][2] = {{0, 0}, {W, 0}, {W, H}, {0, H}};
        const double iou = doc.found ? idp_quad_iou(CQ(doc.quad), frame) : 0;
        printf("  %-20s found=%d scan=%d conf=%.3f iou=%.3f\n", names[i], doc.found, doc.scan,
               doc.confidence, iou);
        good += iou >= 0.9;
        idp_image_destroy(img);
    }
    assert_int_equal(good, sizeof(names) / sizeof(names[0]));
}

/* Real camera photos with no document: nothing found. */
static void test_corpus_nodoc(void **state)
{
    static const char *const names[] = {"Landscape_1.jpg", "Portrait_1.jpg"};
    (void)state;
    for (size_t i = 0; i < 2; i++) {
        char path[1024];
        snprintf(path, sizeof(path), "%s/exif-orientation/%s", tu_env("IDP_CORPUS"), names[i]);
        idp_load_opts opts = {.min_side = 1000};
        idp_image_info info;
        idp_image *img = NULL;
        assert_int_equal(idp_load_file(ctx, path, &opts, &img, &info), IDP_OK);
        idp_document doc;
        find(img, &doc);
        assert_false(doc.found);
        idp_image_destroy(img);
    }
}

/* A page running out of the frame on the right, a dark band printed along
 * its top border where the frame cuts it (a visa's or a passport page's
 * header): the top side's steps there have the other sign than along the
 * paper. The side reaches the frame's edge all the same; the evidence
 * calls it short only for the sign (sign_mask), and the either-sign
 * evidence (the finder's last resort, round 25) takes the page. Without
 * the band the side reaches the frame with its own sign; with the page's
 * corner in view (desk between it and the frame, a quad put past it) no
 * sign reaches it, and neither evidence takes the quad. */
static void test_cut_edge_sign(void **state)
{
    (void)state;
    const int desk[3] = {188, 186, 182}, paper[3] = {232, 232, 226}, band[3] = {60, 90, 150};
    double page[4][2], head[4][2];
    rect(page, 500, 250, 600, 422, 0); /* ID-3's aspect, x 500-1100 of a 1000 px frame */
    for (int scene = 0; scene < 3; scene++) {
        idp_image *img = canvas(1000, 750, desk, 6);
        fill_quad(img, CQ(page), paper);
        if (scene > 0) {
            rect(head, 880, 250, 220, 40, 0);
            fill_quad(img, CQ(head), band);
        }
        idp_evidence ev, either;
        if (scene == 2) {
            /* the page's corner in view at x 940: the line runs on over the
             * desk to the frame, no step there */
            rect(page, 500, 250, 440, 422, 0);
            idp_image_destroy(img);
            img = canvas(1000, 750, desk, 6);
            fill_quad(img, CQ(page), paper);
            const double out[4][2] = {{500, 250}, {1100, 250}, {1100, 672}, {500, 672}};
            memcpy(page, out, sizeof(out));
        }
        idp_quad_evidence(img, CQ(page), 0, &ev);
        idp_quad_evidence_either_sign(img, CQ(page), 0, &either);
        printf("  scene %d: short %d mask %x sign %x conf %.3f; either short %d conf %.3f\n", scene,
               ev.stops_short, ev.short_mask, ev.sign_mask, ev.confidence, either.stops_short,
               either.confidence);
        if (scene == 0) {
            assert_false(ev.stops_short);
            assert_true(ev.confidence >= IDP_CONFIDENCE_MIN);
        } else if (scene == 1) {
            assert_true(ev.stops_short);
            assert_true(ev.short_mask == 1u && ev.sign_mask == 1u); /* the top side */
            assert_true(ev.confidence == 0);
            assert_false(either.stops_short);
            assert_true(either.confidence >= IDP_CONFIDENCE_MIN);
        } else {
            assert_true(ev.stops_short && either.stops_short);
            assert_true(ev.sign_mask == 0 && either.confidence == 0);
        }
        idp_image_destroy(img);
    }
}

/* Round 28: the print's extent. A card lying in one corner of a larger
 * rectangle of the surface (a tablecloth's lines around it): read on the
 * larger quad, the card's print is legible but covers a tenth of it, and
 * the content factor is that of a quad holding something smaller (0.25);
 * read on the card's own quad, the print runs from margin to margin. */
static void test_print_spread(void **state)
{
    (void)state;
    const int desk[3] = {150, 150, 150}, paper[3] = {235, 232, 225};
    idp_image *img = canvas(1400, 900, desk, 6);
    card(img, 860, 560, 428, 270, 0, paper, NULL);
    double big[4][2], own[4][2];
    rect(big, 40, 40, 1300, 820, 0);
    rect(own, 860, 560, 428, 270, 0);
    idp_content c;
    idp_quad_content(img, CQ(big), 1300.0 / 820.0, &c);
    print_message("larger quad: print %d spread %.3f\n", c.letters + c.small, c.spread);
    assert_true(c.letters + c.small >= 20);
    assert_true(c.spread > 0 && c.spread < 0.15);
    assert_true(idp_content_factor(&c) == 0.25);
    idp_quad_content(img, CQ(own), 428.0 / 270.0, &c);
    print_message("the card: print %d spread %.3f\n", c.letters + c.small, c.spread);
    assert_true(c.spread >= 0.5);
    assert_true(idp_content_factor(&c) > 0.25);
    idp_image_destroy(img);
}

/* Round 29: a side along a row of a striped surface. A card's top edge
 * lies on a boundary between two bands of a cloth (dark above, light
 * below, as the card's paper against the band above it), so the side's
 * line goes on past both top corners. The cloth's next boundaries of the
 * same sign lie a whole period (36 px) and two beside it on either side:
 * texture, not a longer sheet's edge going on. The same card under a
 * single long line (the edge of a dark mat above it, a plain desk below),
 * or under a line with one more of its sign 36 px beside it each way and
 * none further (not a period), does run on. */
static void test_run_beside_period(void **state)
{
    (void)state;
    const int dark[3] = {90, 70, 110}, light[3] = {175, 165, 150}, paper[3] = {235, 232, 225};
    for (int scene = 0; scene < 3; scene++) {
        idp_image *img = canvas(1000, 750, light, 6);
        /* dark bands [y0, y1): every 36 px, one ending at the card's top
         * (y 300); one mat; a mat and two bands */
        double bands[20][2];
        int n = 0;
        if (scene == 0)
            for (int y0 = 30; y0 < 750; y0 += 36, n++) {
                bands[n][0] = y0;
                bands[n][1] = y0 + 18;
            }
        else {
            bands[n][0] = 0;
            bands[n++][1] = scene == 1 ? 300 : 264;
        }
        if (scene == 2) {
            bands[n][0] = 282;
            bands[n++][1] = 300;
            bands[n][0] = 318;
            bands[n++][1] = 336;
        }
        for (int k = 0; k < n; k++) {
            double band[4][2];
            rect(band, 0, bands[k][0], 1000, bands[k][1] - bands[k][0], 0);
            fill_quad(img, CQ(band), dark);
        }
        card(img, 300, 300, 428, 270, 0, paper, NULL);
        double q[4][2];
        rect(q, 300, 300, 428, 270, 0);
        idp_evidence ev;
        idp_quad_evidence(img, CQ(q), 0, &ev);
        print_message("scene %d: over %d conf %.3f\n", scene, ev.overruns, ev.confidence);
        if (scene == 0) {
            assert_int_equal(ev.overruns, 0);
            assert_true(ev.confidence >= IDP_CONFIDENCE_MIN);
        } else {
            assert_true(ev.overruns >= 2);
        }
        idp_image_destroy(img);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_confidence_order),  cmocka_unit_test(test_clutter),
        cmocka_unit_test(test_inner_box),         cmocka_unit_test(test_synthetic_scans),
        cmocka_unit_test(test_corpus_scans),      cmocka_unit_test(test_corpus_nodoc),
        cmocka_unit_test(test_pattern_crossed),   cmocka_unit_test(test_skewed_scan),
        cmocka_unit_test(test_cut_edge_sign),     cmocka_unit_test(test_print_spread),
        cmocka_unit_test(test_run_beside_period),
    };
    return cmocka_run_group_tests(tests, tu_ctx_setup, tu_ctx_teardown);
}
