/* Glare (specular highlights) and readability on synthetic grey documents
 * whose answers are known: a reflection over print is glare; printed
 * white, white card stock, the MRZ band and a white page are not. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_exposure.h"
#include "idp_glare.h"
#include "testutil.h"
#include "testutil_ctx.h"

#include <math.h>
#include <string.h>

#define W 800
#define H 500

static uint8_t *px(idp_image *g, uint32_t x, uint32_t y)
{
    return g->data + (size_t)y * g->width + x;
}

/* Print: "characters" (ink blocks 8 x 12 with a counter, 4 px apart) in
 * lines 24 px apart, over [x0, x1) x [y0, y1). */
static void print_text(idp_image *g, uint32_t x0, uint32_t y0, uint32_t x1, uint32_t y1,
                       uint8_t ink)
{
    for (uint32_t y = y0; y < y1; y++)
        for (uint32_t x = x0; x < x1; x++) {
            const uint32_t cx = (x - x0) % 12, cy = (y - y0) % 24;
            const bool stroke = cx < 8 && cy < 12 && !(cx >= 3 && cx < 5 && cy >= 3 && cy < 9);
            if (stroke)
                *px(g, x, y) = ink;
        }
}

/* A document: paper at `paper` with print over most of it. */
static idp_image *page(uint8_t paper)
{
    idp_image *g = NULL;
    assert_int_equal(idp_image_create(ctx, W, H, 1, &g), IDP_OK);
    memset(g->data, paper, (size_t)W * H);
    print_text(g, 30, 30, W - 30, H - 30, 40);
    return g;
}

/* A specular reflection: a Gaussian peak times full scale added to the
 * luma, clipped: the core saturates, the halo falls off softly. */
static void specular(idp_image *g, double cx, double cy, double sigma, double peak)
{
    for (uint32_t y = 0; y < H; y++)
        for (uint32_t x = 0; x < W; x++) {
            const double dx = x - cx, dy = y - cy;
            const double v = *px(g, x, y) + peak * exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
            *px(g, x, y) = (uint8_t)(v >= 255 ? 255 : lround(v));
        }
}

static idp_glare measure(const idp_image *g)
{
    idp_glare gl;
    assert_int_equal(idp_measure_glare(ctx, g, &gl), IDP_OK);
    return gl;
}

static void test_nothing_saturated(void **state)
{
    idp_image *g = page(200);
    idp_glare gl = measure(g);
    (void)state;
    assert_true(gl.share == 0.0 && gl.saturated == 0.0);
    assert_int_equal(gl.n_judged, 0);
    assert_int_equal(gl.n_blobs, 0);
    idp_image_destroy(g);
}

static void test_reflection_over_print(void **state)
{
    double last = 0;
    (void)state;
    /* three sizes: the share grows with the reflection, and nearly all
     * that is saturated is counted */
    for (int k = 0; k < 3; k++) {
        const double sigma = 12.0 + 14.0 * k;
        idp_image *g = page(200);
        idp_glare gl;
        specular(g, 420, 240, sigma, 600);
        gl = measure(g);
        assert_true(gl.saturated > 0.001);
        assert_true(gl.share > 0.8 * gl.saturated);
        assert_true(gl.share > last);
        assert_int_equal(gl.n_specular, 1);
        assert_true(gl.n_blobs >= 1 && gl.blobs[0].specular);
        assert_true(gl.blobs[0].contrast >= 20);
        assert_true(gl.blobs[0].compactness < 2.5); /* frayed by the print in its halo */
        /* where it is: around the centre of the reflection */
        assert_true(gl.blobs[0].x0 < 420 && gl.blobs[0].x1 > 420);
        assert_true(gl.blobs[0].y0 < 240 && gl.blobs[0].y1 > 240);
        last = gl.share;
        idp_image_destroy(g);
    }
}

static void test_reflection_on_white_card(void **state)
{
    /* a light card (236): the reflection is only ~15 levels above the
     * paper, but its halo still falls off over many pixels */
    idp_image *g = page(236);
    idp_glare gl;
    (void)state;
    specular(g, 400, 250, 30, 600);
    gl = measure(g);
    assert_true(gl.share > 0.01);
    idp_image_destroy(g);
}

/* A reflection whose halo's top is broad and just under the level: the
 * lamp's image clips everything within 10 px (the print too), and around
 * it the halo lifts the paper to 248 and falls off over tens of pixels.
 * Over the 6 px the paper is read to first it falls ~4.5 levels, under
 * MIN_RAMP; read out to 24 px in 8 directions it falls by ~29 levels, most
 * of it past 4 px (docs/checks.md, "Round 33"). */
static void test_broad_halo_top(void **state)
{
    idp_image *g = page(195);
    idp_glare gl;
    (void)state;
    for (uint32_t y = 0; y < H; y++)
        for (uint32_t x = 0; x < W; x++) {
            const double dx = x - 400.0, dy = y - 250.0, d2 = dx * dx + dy * dy;
            const double core = 600 * exp(-pow(d2 / 100.0, 4));
            const double v = *px(g, x, y) + core + 58.4 * exp(-d2 / 1250.0);
            *px(g, x, y) = (uint8_t)(v >= 255 ? 255 : lround(v));
        }
    gl = measure(g);
    assert_true(gl.n_blobs >= 1);
    assert_true(gl.blobs[0].ramp < 5.0); /* the short reading alone refused it */
    assert_true(gl.blobs[0].contrast >= 20);
    assert_int_equal(gl.n_specular, 1);
    assert_true(gl.blobs[0].specular);
    assert_true(gl.share > 0.0005);
    idp_image_destroy(g);
}

static void test_mrz_band_is_not_glare(void **state)
{
    /* the bottom third white (255) with OCR lines on it, above it a tint,
     * below it the dark desk */
    idp_image *g = page(205);
    idp_glare gl;
    (void)state;
    for (uint32_t y = 330; y < 480; y++)
        memset(px(g, 0, y), 255, W);
    memset(px(g, 0, 480), 60, (size_t)W * 20);
    print_text(g, 40, 350, W - 40, 470, 30);
    gl = measure(g);
    assert_true(gl.saturated > 0.15);
    assert_true(gl.share == 0.0);
    assert_true(gl.n_judged >= 1 && !gl.blobs[0].specular);
    assert_true(gl.blobs[0].holes > 0.10); /* the characters */
    idp_image_destroy(g);
}

static void test_printed_white_is_not_glare(void **state)
{
    idp_image *g = page(200);
    idp_glare gl;
    (void)state;
    /* a blank white field with a sharp edge (a printed box) */
    for (uint32_t y = 100; y < 220; y++)
        memset(px(g, 200, y), 255, 300);
    /* a white field against a light tint (246): brighter, no fall-off */
    for (uint32_t y = 300; y < 420; y++) {
        memset(px(g, 100, y), 246, 600);
        memset(px(g, 200, y + 20 < 420 ? y : 300), 255, 200);
    }
    gl = measure(g);
    assert_true(gl.saturated > 0.05);
    assert_true(gl.share == 0.0);
    assert_int_equal(gl.n_specular, 0);
    idp_image_destroy(g);
}

static void test_white_page_is_not_glare(void **state)
{
    /* white card stock on a flatbed: saturated nearly everywhere the ink
     * is not; and a scan on white: a white margin around a darker page */
    idp_image *g = page(253);
    idp_glare gl;
    (void)state;
    gl = measure(g);
    assert_true(gl.saturated > 0.5);
    assert_true(gl.share == 0.0);
    memset(g->data, 255, (size_t)W * H);
    for (uint32_t y = 40; y < H - 40; y++)
        memset(px(g, 60, y), 190, W - 120);
    print_text(g, 80, 60, W - 80, H - 60, 30);
    gl = measure(g);
    assert_true(gl.saturated > 0.1);
    assert_true(gl.share == 0.0);
    idp_image_destroy(g);
}

/* A bright document: a tint (`tint`) with white fields (246) in bands, print
 * over the fields only (29 % of them): ink covers ~13 %. */
static idp_image *bright_form(uint8_t tint)
{
    idp_image *g = page(tint);
    memset(g->data, tint, (size_t)W * H);
    for (uint32_t y = 60; y < H - 60; y += 40) {
        for (uint32_t r = y; r < y + 18; r++)
            memset(px(g, 40, r), 246, W - 80);
        print_text(g, 40, y, W - 40, y + 18, 40);
    }
    return g;
}

static void test_clipped_form_is_not_glare(void **state)
{
    /* a bright form overexposed, no reflection: the white fields and a
     * blank white area joined to them clip, the print around it starts at
     * once (the region's solid core is the blank area: compact, with 60+
     * levels of contrast, but its edge is a step) */
    idp_image *g = bright_form(210);
    idp_glare gl;
    (void)state;
    for (size_t i = 0; i < (size_t)W * H; i++)
        g->data[i] = (uint8_t)(g->data[i] >= 240 ? 255 : g->data[i]);
    for (uint32_t y = 180; y < 320; y++)
        memset(px(g, 340, y), 255, 160);
    gl = measure(g);
    assert_true(gl.saturated > 0.05);
    assert_true(gl.share == 0.0);
    assert_int_equal(gl.n_specular, 0);
    idp_image_destroy(g);
}

/* A card laid out as a drawn ID: a dark header band across the top, a
 * portrait (150) on the left, print in a column of fields on the right
 * (ink 40), paper `paper(x)` along x. */
static idp_image *card_layout(double paper0, double paper_slope)
{
    idp_image *g = NULL;
    assert_int_equal(idp_image_create(ctx, W, H, 1, &g), IDP_OK);
    for (uint32_t y = 0; y < H; y++)
        for (uint32_t x = 0; x < W; x++) {
            const double v = paper0 + paper_slope * x;
            *px(g, x, y) = (uint8_t)(v >= 255 ? 255 : floor(v));
        }
    for (uint32_t y = 0; y < 70; y++)
        memset(px(g, 0, y), 75, W);
    for (uint32_t y = 70; y < 480; y++)
        memset(px(g, 225, y), 150, 200);
    print_text(g, 460, 100, 760, 470, 40);
    return g;
}

static void test_overexposed_card_is_not_glare(void **state)
{
    /* round 12 (tune 7647 white-doc-light-desk-0): a white card lit
     * unevenly, its paper rising from 228 to 268 across it, clips from
     * x = 440 to its right edge. The rings out of that region cross the
     * header band and the portrait, so its paper seems to fall off like a
     * halo's (ramp ~100) and it is far brighter than around it: every test
     * of the region's surroundings passes, and it was counted (29 %). Its
     * print stays dark in its middle: clipped paper, not a reflection,
     * whose middle clips the ink too. */
    idp_image *g = card_layout(228, 40.0 / W);
    idp_glare gl;
    (void)state;
    gl = measure(g);
    assert_true(gl.saturated > 0.25);
    assert_true(gl.share == 0.0);
    assert_int_equal(gl.n_specular, 0);
    assert_true(gl.n_blobs >= 1 && gl.blobs[0].inner_ink > 0.1);
    assert_true(gl.blobs[0].contrast >= 20 && gl.blobs[0].ramp >= 5); /* a halo's, seemingly */
    idp_image_destroy(g);
    /* the same card evenly lit with a lamp's reflection over the fields:
     * glare, its middle hides the print */
    g = card_layout(200, 0);
    specular(g, 610, 285, 40, 600);
    gl = measure(g);
    assert_true(gl.share > 0.05);
    assert_true(gl.n_blobs >= 1 && gl.blobs[0].specular && gl.blobs[0].inner_ink == 0.0);
    idp_image_destroy(g);
}

/* A white card filling the copy but a margin of desk DESK px wide, lit by one
 * light: the desk falls off away from the card (from 235 at its edge, 1.5
 * levels a pixel); the card's paper at `paper`, a dark header band across
 * its top, a portrait (150) down its left side, a column of print (ink 40)
 * beside the portrait, its right half blank. */
#define DESK 24u
static idp_image *card_on_lit_desk(uint8_t paper)
{
    idp_image *g = NULL;
    assert_int_equal(idp_image_create(ctx, W, H, 1, &g), IDP_OK);
    for (uint32_t y = 0; y < H; y++)
        for (uint32_t x = 0; x < W; x++) {
            const double dx =
                x < DESK ? (double)(DESK - x) : (x >= W - DESK ? x - (W - DESK - 1.0) : 0);
            const double dy =
                y < DESK ? (double)(DESK - y) : (y >= H - DESK ? y - (H - DESK - 1.0) : 0);
            const double d = dx > dy ? dx : dy;
            *px(g, x, y) = d > 0 ? (uint8_t)lround(235 - 1.5 * d) : paper;
        }
    for (uint32_t y = DESK; y < DESK + 50; y++)
        memset(px(g, DESK, y), 75, W - 2 * DESK);
    for (uint32_t y = DESK + 50; y < H - DESK; y++)
        memset(px(g, DESK, y), 150, 150);
    print_text(g, DESK + 170, DESK + 70, DESK + 280, H - DESK - 20, 40);
    return g;
}

static void test_clipped_paper_is_not_glare(void **state)
{
    /* tune 9136 white-doc-light-desk-0: a white card exposed so bright that
     * all its paper clips, on a light desk that darkens away from it. The
     * clipped region is the card's paper; its rings run over the desk,
     * falling like a halo, and over the header band; the middle of the
     * region is the card's blank right half, with no print to stay dark.
     * Every test of a reflection passes (round 33 counted it); what tells is
     * that no paper is below the level: most of the light pixels clip. */
    idp_image *g = card_on_lit_desk(255);
    idp_glare gl;
    (void)state;
    gl = measure(g);
    assert_true(gl.paper_clipped > 0.5);
    assert_true(gl.share == 0.0);
    assert_int_equal(gl.n_specular, 0);
    assert_true(gl.n_blobs >= 1 && gl.blobs[0].inner_ink == 0.0);
    assert_true(gl.blobs[0].contrast >= 20 && gl.blobs[0].ramp >= 5); /* a halo's, seemingly */
    idp_image_destroy(g);
    /* the same card exposed right (paper 215) with a lamp's reflection on
     * its blank half: the paper around it is below the level, it counts */
    g = card_on_lit_desk(215);
    specular(g, 580, 250, 30, 600);
    gl = measure(g);
    assert_true(gl.paper_clipped < 0.5);
    assert_true(gl.share > 0.02);
    assert_true(gl.n_blobs >= 1 && gl.blobs[0].specular);
    idp_image_destroy(g);
}

static void test_reflection_on_dark_card(void **state)
{
    /* a dark card (paper 60, print 40) with a lamp's reflection: the light
     * pixels are the reflection and its halo, over half of them clipped,
     * but they are a few hundredths of the copy, not a document's paper:
     * glare */
    idp_image *g = page(60);
    idp_glare gl;
    size_t light = 0, sat = 0;
    (void)state;
    specular(g, 400, 250, 40, 600);
    for (size_t i = 0; i < (size_t)W * H; i++) {
        light += g->data[i] >= 128;
        sat += g->data[i] >= IDP_GLARE_SAT;
    }
    assert_true(sat > light / 2); /* a majority of the light pixels clip */
    gl = measure(g);
    assert_true(gl.saturated < 0.05);
    assert_true(gl.share > 0.02);
    assert_true(gl.n_blobs >= 1 && gl.blobs[0].specular);
    idp_image_destroy(g);
}

/* The blurred image (Gaussian, sigma 10) of a lamp shaped as a ring from
 * radius 30 to 70 round (400, 250) with a gap of +-50 degrees on its
 * right: a C, as a portrait's white background is cut by the head, added
 * to the page times `peak`; n_bars white bars (246, 3 px) across it that
 * its halo lifts past the level, fraying its region. */
static void c_shaped_light(idp_image *g, double peak, int n_bars)
{
    static double m[H][W], t[H][W];
    double k[61], ks = 0;
    for (int i = 0; i < 61; i++)
        ks += k[i] = exp(-(i - 30) * (i - 30) / 200.0);
    for (int b = 0; b < n_bars; b++)
        for (uint32_t y = 150 + (uint32_t)b * (200u / (uint32_t)n_bars), e = y + 3; y < e; y++)
            memset(px(g, 250, y), 246, 300);
    for (uint32_t y = 0; y < H; y++)
        for (uint32_t x = 0; x < W; x++) {
            const double dx = x - 400.0, dy = y - 250.0, r = hypot(dx, dy);
            m[y][x] = r >= 30 && r <= 70 && fabs(atan2(dy, dx)) * 180 / 3.14159265358979 > 50;
        }
    for (uint32_t y = 0; y < H; y++)
        for (uint32_t x = 30; x + 30 < W; x++) {
            double v = 0;
            for (int i = 0; i < 61; i++)
                v += k[i] * m[y][x + (uint32_t)i - 30];
            t[y][x] = v / ks;
        }
    for (uint32_t y = 30; y + 30 < H; y++)
        for (uint32_t x = 0; x < W; x++) {
            double v = 0;
            for (int i = 0; i < 61; i++)
                v += k[i] * t[y + (uint32_t)i - 30][x];
            v = *px(g, x, y) + peak * v / ks;
            *px(g, x, y) = (uint8_t)(v >= 255 ? 255 : lround(v));
        }
}

static void test_frayed_core_must_be_an_ellipse(void **state)
{
    /* round 11: a region frayed by white print passes when the paper
     * around it falls off as a halo's and its solid core is a lamp's
     * image, an ellipse (border <= 1.5 x a disc's). A C-shaped light (the
     * white background of a portrait cut by the head, under a broad sheen)
     * frayed by white bars: soft paper around it, but its core is a C
     * (~1.9): not counted. The same light without the bars is one soft
     * compact region, judged as a whole: counted. */
    idp_image *g = page(200);
    idp_glare gl;
    (void)state;
    c_shaped_light(g, 300, 12);
    gl = measure(g);
    assert_true(gl.saturated > 0.02);
    size_t big = 0; /* the C's region (the blobs list the counted ones first) */
    for (size_t i = 1; i < gl.n_blobs; i++)
        big = gl.blobs[i].area > gl.blobs[big].area ? i : big;
    assert_true(gl.n_blobs >= 1 && gl.blobs[big].area > 10000 && !gl.blobs[big].specular);
    assert_true(gl.blobs[big].compactness > 3.0 && gl.blobs[big].ramp >= 5 &&
                gl.blobs[big].contrast >= 20); /* frayed, a halo's paper */
    assert_true(gl.share < 0.002);             /* a bar's piece (235 px) may count */
    idp_image_destroy(g);
    g = page(200);
    c_shaped_light(g, 300, 0);
    gl = measure(g);
    assert_true(gl.share > 0.02);
    assert_true(gl.n_blobs >= 1 && gl.blobs[0].specular && gl.blobs[0].compactness <= 3.0);
    idp_image_destroy(g);
}

static void test_readability(void **state)
{
    idp_image *g = page(200);
    idp_readability rd;
    (void)state;
    idp_measure_readability(g, &rd);
    assert_true(rd.ink == 40 && rd.paper == 200);
    assert_true(rd.spread == 160);
    /* the same page in a dark photo: a tenth of the levels */
    for (size_t i = 0; i < (size_t)W * H; i++)
        g->data[i] = (uint8_t)(g->data[i] / 10);
    idp_measure_readability(g, &rd);
    assert_true(rd.spread == 16);
    /* washed out: everything squeezed towards white */
    for (size_t i = 0; i < (size_t)W * H; i++)
        g->data[i] = (uint8_t)(232 + g->data[i] / 2);
    idp_measure_readability(g, &rd);
    assert_true(rd.spread == 8);
    idp_image_destroy(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nothing_saturated),
        cmocka_unit_test(test_reflection_over_print),
        cmocka_unit_test(test_reflection_on_white_card),
        cmocka_unit_test(test_broad_halo_top),
        cmocka_unit_test(test_mrz_band_is_not_glare),
        cmocka_unit_test(test_printed_white_is_not_glare),
        cmocka_unit_test(test_white_page_is_not_glare),
        cmocka_unit_test(test_clipped_form_is_not_glare),
        cmocka_unit_test(test_overexposed_card_is_not_glare),
        cmocka_unit_test(test_clipped_paper_is_not_glare),
        cmocka_unit_test(test_reflection_on_dark_card),
        cmocka_unit_test(test_frayed_core_must_be_an_ellipse),
        cmocka_unit_test(test_readability),
    };
    return cmocka_run_group_tests(tests, tu_ctx_setup, tu_ctx_teardown);
}
