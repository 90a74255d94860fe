/* The OCR-B template reader on zones drawn here from the templates
 * themselves, at another pitch than theirs, tilted and blurred: the lines
 * are cut into the right cells and read exactly (TD3 and TD1), upside
 * down too; a swapped pair of digits is not made to validate; a group
 * given up below the confidence the caller needs is read the same when it
 * reaches it, and print that is no zone is given up early; the AVX2 and
 * the plain dot products agree to the last bit; the shear
 * moves a pixel where it says. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_mrz_cells.h"
#include "idp_mrz_ocrb.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The template's ink at (u, v) in template pixels, bilinear, 0 outside. */
static double ink_at(int c, double u, double v)
{
    if (u < 0 || v < 0 || u >= IDP_OCRB_TW - 1 || v >= IDP_OCRB_TH - 1)
        return 0;
    const int iu = (int)u, iv = (int)v;
    const double fu = u - iu, fv = v - iv;
    const unsigned char *g = IDP_OCRB_GLYPHS[c];
    return (1 - fv) * ((1 - fu) * g[iv * IDP_OCRB_TW + iu] + fu * g[iv * IDP_OCRB_TW + iu + 1]) +
           fv * ((1 - fu) * g[(iv + 1) * IDP_OCRB_TW + iu] +
                 fu * g[(iv + 1) * IDP_OCRB_TW + iu + 1]);
}

/* Draws the lines at pitch px, the first line's top at (x0, y0), the
 * lines 2 pitches apart, tilted by slope; boxes of their ink into gr. */
static void draw(idp_mrz_grey *g, const char *const *lines, int n, double pitch, double x0,
                 double y0, double slope, idp_mrz_group *gr)
{
    const double s = pitch / IDP_OCRB_TW;
    memset(g->p, 225, (size_t)g->w * g->h);
    memset(gr, 0, sizeof(*gr));
    gr->n = n;
    for (int l = 0; l < n; l++) {
        idp_mrz_box b = {(int)g->w, (int)g->h, -1, -1, 0};
        const int len = (int)strlen(lines[l]);
        for (int y = 0; y < (int)g->h; y++)
            for (int x = 0; x < (int)g->w; x++) {
                const double top = y0 + l * 2 * pitch + slope * x;
                const double v = (y - top) / s, cu = (x - x0) / s;
                const int cell = (int)floor(cu / IDP_OCRB_TW);
                if (cell < 0 || cell >= len || v < 0 || v >= IDP_OCRB_TH)
                    continue;
                const int c = (int)(strchr(IDP_OCRB_CHARS, lines[l][cell]) - IDP_OCRB_CHARS);
                const double ink = ink_at(c, cu - cell * IDP_OCRB_TW, v);
                const double val = 225 - 0.8 * ink;
                if (val < g->p[(size_t)y * g->w + (size_t)x])
                    g->p[(size_t)y * g->w + (size_t)x] = (uint8_t)val;
                if (ink > 128) {
                    b.x0 = x < b.x0 ? x : b.x0;
                    b.x1 = x > b.x1 ? x : b.x1;
                    b.y0 = y < b.y0 ? y : b.y0;
                    b.y1 = y > b.y1 ? y : b.y1;
                    b.n++;
                }
            }
        gr->line[l] = b;
    }
    gr->area = gr->line[0];
    gr->area.x1 = gr->line[n - 1].x1 > gr->area.x1 ? gr->line[n - 1].x1 : gr->area.x1;
    gr->area.y1 = gr->line[n - 1].y1;
    gr->height = gr->line[0].y1 - gr->line[0].y0 + 1;
}

/* A 3 x 3 box blur. */
static void blur(idp_mrz_grey *g)
{
    uint8_t *o = malloc((size_t)g->w * g->h);
    assert_non_null(o);
    memcpy(o, g->p, (size_t)g->w * g->h);
    for (uint32_t y = 1; y + 1 < g->h; y++)
        for (uint32_t x = 1; x + 1 < g->w; x++) {
            int sum = 0;
            for (int j = -1; j <= 1; j++)
                for (int i = -1; i <= 1; i++)
                    sum += o[(y + (uint32_t)j) * g->w + x + (uint32_t)i];
            g->p[y * g->w + x] = (uint8_t)(sum / 9);
        }
    free(o);
}

static const char *const TD3[2] = {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                                   "L898902C36UTO7408122F1204159ZE184226B<<<<<10"};
static const char *const TD1[3] = {"I<UTOD231458907<<<<<<<<<<<<<<<",
                                   "7408122F1204159UTO<<<<<<<<<<<6",
                                   "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"};

static void test_td3_tilted(void **state)
{
    idp_mrz_grey g = {1300, 220, NULL};
    idp_mrz_group gr;
    idp_mrz m;
    double conf = 0;
    (void)state;
    g.p = malloc((size_t)g.w * g.h);
    assert_non_null(g.p);
    draw(&g, TD3, 2, 26.0, 40.0, 40.0, 0.02, &gr);
    blur(&g);
    assert_true(idp_mrz_ocrb_read(&g, &gr, 0, 0.70, &m, &conf));
    assert_string_equal(m.lines[0], TD3[0]);
    assert_string_equal(m.lines[1], TD3[1]);
    assert_int_equal(m.valid_score, 100);
    assert_string_equal(m.engine, "ocrb");
    assert_true(conf > 0.8);
    idp_mrz_wipe(&m);
    free(g.p);
}

static void test_td1_upside_down(void **state)
{
    idp_mrz_grey g = {720, 200, NULL}, r = {720, 200, NULL};
    idp_mrz_group gr, rg;
    idp_mrz m;
    double conf = 0;
    (void)state;
    g.p = malloc((size_t)g.w * g.h);
    r.p = malloc((size_t)g.w * g.h);
    assert_non_null(g.p);
    assert_non_null(r.p);
    draw(&g, TD1, 3, 21.0, 30.0, 20.0, -0.01, &gr);
    /* the same zone turned half a turn: the boxes likewise */
    for (size_t i = 0; i < (size_t)g.w * g.h; i++)
        r.p[i] = g.p[(size_t)g.w * g.h - 1 - i];
    rg = gr;
    for (int l = 0; l < 3; l++) {
        const idp_mrz_box *b = &gr.line[2 - l];
        rg.line[l] = (idp_mrz_box){(int)g.w - 1 - b->x1, (int)g.h - 1 - b->y1, (int)g.w - 1 - b->x0,
                                   (int)g.h - 1 - b->y0, b->n};
    }
    rg.area = (idp_mrz_box){(int)g.w - 1 - gr.area.x1, (int)g.h - 1 - gr.area.y1,
                            (int)g.w - 1 - gr.area.x0, (int)g.h - 1 - gr.area.y0, 0};
    assert_true(idp_mrz_ocrb_read(&r, &rg, 1, 0.70, &m, &conf));
    for (int l = 0; l < 3; l++)
        assert_string_equal(m.lines[l], TD1[l]);
    assert_int_equal(m.valid_score, 100);
    idp_mrz_wipe(&m);
    /* as it stands, read the right way up, it is the same zone */
    assert_true(idp_mrz_ocrb_read(&g, &gr, 0, 0.70, &m, &conf));
    assert_string_equal(m.lines[1], TD1[1]);
    idp_mrz_wipe(&m);
    free(g.p);
    free(r.p);
}

static void test_swapped_digits_do_not_validate(void **state)
{
    const char *bad[2] = {TD3[0], "L898902C36UTO7480122F1204159ZE184226B<<<<<10"};
    idp_mrz_grey g = {1300, 220, NULL};
    idp_mrz_group gr;
    idp_mrz m;
    double conf = 0;
    (void)state;
    g.p = malloc((size_t)g.w * g.h);
    assert_non_null(g.p);
    draw(&g, bad, 2, 26.0, 40.0, 40.0, 0.0, &gr);
    blur(&g);
    assert_true(idp_mrz_ocrb_read(&g, &gr, 0, 0.70, &m, &conf));
    assert_string_equal(m.lines[1], bad[1]); /* read as printed, not "repaired" */
    assert_true(m.valid_score < 100);
    for (size_t i = 0; i < m.n_checks; i++)
        if (m.checks[i].id == IDP_MRZ_CHECK_BIRTH)
            assert_false(m.checks[i].valid);
    idp_mrz_wipe(&m);
    free(g.p);
}

/* Reads gr in g in full (need -1) and with need just below and just above
 * the confidence read: just below, the same reading, confidence and
 * repairs; just above, given up (false). */
static void same_when_reached(const idp_mrz_grey *g, const idp_mrz_group *gr, int n_lines)
{
    idp_mrz all, near;
    double conf = 0, c2 = 0;
    assert_true(idp_mrz_ocrb_read(g, gr, 0, -1, &all, &conf));
    assert_true(conf > 0.70);
    assert_true(idp_mrz_ocrb_read(g, gr, 0, conf - 1e-9, &near, &c2));
    assert_true(c2 == conf);
    for (int l = 0; l < n_lines; l++)
        assert_string_equal(near.lines[l], all.lines[l]);
    assert_int_equal(near.valid_score, all.valid_score);
    assert_int_equal(near.n_repairs, all.n_repairs);
    idp_mrz_wipe(&near);
    assert_false(idp_mrz_ocrb_read(g, gr, 0, conf + 1e-9, &near, &c2));
    idp_mrz_wipe(&near);
    idp_mrz_wipe(&all);
}

static void test_given_up_below_need(void **state)
{
    idp_mrz_grey g = {1300, 220, NULL};
    idp_mrz_group gr;
    idp_mrz m;
    double conf = 0;
    (void)state;
    g.p = malloc((size_t)g.w * g.h);
    assert_non_null(g.p);
    /* zones: TD3 (two lines, 44 or 36 cells), TD1 (three), blurred so
     * that they read below 1 */
    draw(&g, TD3, 2, 26.0, 40.0, 40.0, 0.02, &gr);
    blur(&g);
    blur(&g);
    same_when_reached(&g, &gr, 2);
    draw(&g, TD1, 3, 30.0, 40.0, 20.0, -0.01, &gr);
    blur(&g);
    blur(&g);
    same_when_reached(&g, &gr, 3);
    /* print that is no zone, in the zone's boxes: every cell a bar code's
     * random bars, a pixel to four wide */
    draw(&g, TD3, 2, 26.0, 40.0, 40.0, 0.0, &gr);
    memset(g.p, 225, (size_t)g.w * g.h);
    srand(7);
    for (int l = 0; l < 2; l++) {
        const idp_mrz_box *b = &gr.line[l];
        for (int x = b->x0; x <= b->x1;) {
            const int bar = 1 + rand() % 4, space = 1 + rand() % 4;
            for (int y = b->y0; y <= b->y1; y++)
                for (int k = 0; k < bar && x + k <= b->x1; k++)
                    g.p[(size_t)y * g.w + (size_t)(x + k)] = 40;
            x += bar + space;
        }
    }
    const unsigned long w0 = idp_mrz_cells_windows();
    const bool read = idp_mrz_ocrb_read(&g, &gr, 0, -1, &m, &conf);
    const unsigned long full = idp_mrz_cells_windows() - w0;
    assert_true(!read || conf < 0.70);
    idp_mrz_wipe(&m);
    assert_false(idp_mrz_ocrb_read(&g, &gr, 0, 0.70, &m, &conf));
    const unsigned long early = idp_mrz_cells_windows() - w0 - full;
    idp_mrz_wipe(&m);
    /* the second line gives up part way (measured: 77 % of the windows) */
    assert_true(early > 0);
    assert_true(early * 10 < full * 9);
    free(g.p);
}

/* The AVX2 dot products and the plain loops give the same scores: the
 * same confidence to the last bit, on a zone and on print that is none. */
static void test_plain_and_simd_agree(void **state)
{
    idp_mrz_grey g = {1300, 220, NULL};
    idp_mrz_group gr;
    idp_mrz a, b;
    double ca = 0, cb = 0;
    (void)state;
    g.p = malloc((size_t)g.w * g.h);
    assert_non_null(g.p);
    draw(&g, TD3, 2, 26.0, 40.0, 40.0, 0.02, &gr);
    blur(&g);
    blur(&g);
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) /* stripes of the ink wiped: other scores */
            for (uint32_t y = 0; y < g.h; y++)
                for (uint32_t x = (uint32_t)(y * 7 % 13); x < g.w; x += 13)
                    memset(g.p + (size_t)y * g.w + x, 225, x + 6 < g.w ? 6 : g.w - x);
        const bool ra = idp_mrz_ocrb_read(&g, &gr, 0, -1, &a, &ca);
        idp_mrz_cells_force_plain(true);
        const bool rb = idp_mrz_ocrb_read(&g, &gr, 0, -1, &b, &cb);
        idp_mrz_cells_force_plain(false);
        assert_int_equal(ra, rb);
        assert_true(ca == cb);
        assert_true(pass == 1 || ca > 0.70);
        if (ra)
            for (int l = 0; l < 2; l++)
                assert_string_equal(a.lines[l], b.lines[l]);
        idp_mrz_wipe(&a);
        idp_mrz_wipe(&b);
    }
    free(g.p);
}

static void test_shear(void **state)
{
    idp_mrz_grey g = {100, 50, NULL}, out = {0, 0, NULL};
    (void)state;
    g.p = malloc(100 * 50);
    assert_non_null(g.p);
    memset(g.p, 200, 100 * 50);
    g.p[30 * 100 + 80] = 0; /* a dark pixel at (80, 30) */
    assert_true(idp_mrz_grey_shear(&g, 0.1, &out));
    assert_int_equal(out.w, 100);
    assert_int_equal(out.h, 60);
    /* t > 0: a pixel at x moves up by t x, the whole shifted down by t w */
    assert_true(out.p[(30 - 8 + 10) * 100 + 80] < 50);
    free(out.p);
    assert_true(idp_mrz_grey_shear(&g, -0.1, &out));
    assert_int_equal(out.h, 60);
    assert_true(out.p[(30 + 8) * 100 + 80] < 50);
    free(out.p);
    free(g.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_td3_tilted),
        cmocka_unit_test(test_td1_upside_down),
        cmocka_unit_test(test_swapped_digits_do_not_validate),
        cmocka_unit_test(test_given_up_below_need),
        cmocka_unit_test(test_plain_and_simd_agree),
        cmocka_unit_test(test_shear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
