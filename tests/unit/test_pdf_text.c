/* idp_pdf: characters the font cannot draw refused, bad inputs, a letter
 * that overflows onto three pages without clipping, headings kept with what
 * follows them, and libharu 2.3.0's UTF-8 width measurement against
 * FreeType's advances. test_pdf.c has the request itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <fontconfig/fontconfig.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include <hpdf.h>

#include "idp_pdf.h"
#include "testutil.h"
#include "testutil_pdf.h"

/* Characters the font cannot draw are refused, named, never boxes. */
static void test_glyph_refused(void **state)
{
    fonts f = find_fonts();
    idp_pdf_opts o = make_opts(&f, IDP_PAPER_A4);
    idp_ctx *ctx = tu_new_ctx();
    uint8_t *pdf = NULL;
    size_t len = 0, jlen;
    uint8_t *jpeg = tu_make_jpeg(64, 48, TU_JPEG_GRADIENT, 90, &jlen);
    idp_pdf_image im = {jpeg, jlen, 64, 48, "Fronte \xE4\xB8\xAD", 0.0};
    tletter *t = full_letter();
    (void)state;

    /* A CJK character DejaVu Sans lacks. */
    add_block(t, IDP_BLOCK_PARAGRAPH, NULL, "Nome: \xE4\xB8\xAD\xE6\x96\x87");
    assert_int_equal(idp_pdf_build(ctx, &o, &t->l, NULL, 0, &pdf, &len), IDP_E_GLYPH);
    assert_null(pdf);
    assert_non_null(strstr(idp_ctx_error(ctx), "U+4E2D '\xE4\xB8\xAD'"));
    assert_non_null(strstr(idp_ctx_error(ctx), "DejaVu Sans"));
    free_letter(t);

    /* U+1F600 is in DejaVu Sans, but libharu 2.3.0 would drop it. */
    t = full_letter();
    add_block(t, IDP_BLOCK_FIELD, "Nota", "ok \xF0\x9F\x98\x80");
    assert_int_equal(idp_pdf_build(ctx, &o, &t->l, NULL, 0, &pdf, &len), IDP_E_GLYPH);
    assert_non_null(strstr(idp_ctx_error(ctx), "U+1F600"));
    assert_non_null(strstr(idp_ctx_error(ctx), "Nota"));
    free_letter(t);

    /* In a caption too. */
    t = full_letter();
    assert_int_equal(idp_pdf_build(ctx, &o, &t->l, &im, 1, &pdf, &len), IDP_E_GLYPH);
    assert_non_null(strstr(idp_ctx_error(ctx), "caption"));
    assert_null(pdf);
    assert_int_equal(len, 0);
    free_letter(t);
    free(jpeg);
    idp_ctx_destroy(ctx);
    free_fonts(&f);
}

/* libharu's failures come back through the longjmp as statuses, and
 * nothing leaks (the sanitizer build checks that). */
static void test_bad_inputs(void **state)
{
    fonts f = find_fonts();
    idp_pdf_opts o = make_opts(&f, IDP_PAPER_A4);
    idp_ctx *ctx = tu_new_ctx();
    tletter *t = full_letter();
    static const uint8_t junk[] = "this is not a JPEG file, not at all, not even close";
    size_t jlen, len = 0;
    uint8_t *jpeg = tu_make_jpeg(64, 48, TU_JPEG_GRADIENT, 90, &jlen), *pdf = NULL;
    idp_pdf_image im = {junk, sizeof(junk), 64, 48, "Retro", 0.0};
    (void)state;

    if (idp_pdf_build(ctx, &o, &t->l, &im, 1, &pdf, &len) != IDP_E_FORMAT)
        fail_msg("junk JPEG: %s", idp_ctx_error(ctx));
    assert_non_null(strstr(idp_ctx_error(ctx), "Retro"));
    assert_null(pdf);

    /* Starts like a JPEG, but no frame header: libharu finds nothing. */
    {
        static const uint8_t soi_only[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00,
                                           0x04, 0x00, 0x00, 0xFF, 0xD9};
        im = (idp_pdf_image){soi_only, sizeof(soi_only), 64, 48, "Retro", 0.0};
        if (idp_pdf_build(ctx, &o, &t->l, &im, 1, &pdf, &len) != IDP_E_FORMAT)
            fail_msg("header-only JPEG: %s", idp_ctx_error(ctx));
        assert_null(pdf);
    }

    /* Pixel sizes that do not match the JPEG's. */
    im = (idp_pdf_image){jpeg, jlen, 65, 48, "Retro", 0.0};
    assert_int_equal(idp_pdf_build(ctx, &o, &t->l, &im, 1, &pdf, &len), IDP_E_USAGE);
    assert_non_null(strstr(idp_ctx_error(ctx), "64x48"));

    /* A font file that is not there. */
    o.font_path = "/nonexistent/idpack/DejaVuSans.ttf";
    o.bold_font_path = NULL;
    assert_int_equal(idp_pdf_build(ctx, &o, &t->l, NULL, 0, &pdf, &len), IDP_E_NOTFOUND);
    assert_null(pdf);

    /* No bold face given: the regular one does both. */
    o = make_opts(&f, IDP_PAPER_A4);
    o.bold_font_path = NULL;
    im = (idp_pdf_image){jpeg, jlen, 64, 48, "Retro", 0.0};
    assert_int_equal(idp_pdf_build(ctx, &o, &t->l, &im, 1, &pdf, &len), IDP_OK);
    assert_non_null(pdf);
    free(pdf);

    /* A font fontconfig reads but libharu cannot embed (OpenType CFF):
     * libharu's error handler longjmps back and the status says so. */
    {
        char otf[4096];
        /* one that draws everything the letter holds (the title's dash):
         * OCR B, installed for the MRZ reader, fails earlier on a glyph */
        FILE *p = popen("fc-list --format '%{file}\\n' ':charset=2014' | grep -m1 '\\.otf$'", "r");
        assert_non_null(p);
        if (fgets(otf, sizeof(otf), p) == NULL)
            otf[0] = '\0';
        pclose(p);
        otf[strcspn(otf, "\n")] = '\0';
        if (otf[0] != '\0') {
            tletter *ascii = new_letter("Request");
            add_block(ascii, IDP_BLOCK_PARAGRAPH, NULL, "Plain ASCII text.");
            o.font_path = otf;
            if (idp_pdf_build(ctx, &o, &ascii->l, &im, 1, &pdf, &len) != IDP_E_FORMAT)
                fail_msg("OpenType font %s: %s", otf, idp_ctx_error(ctx));
            assert_non_null(strstr(idp_ctx_error(ctx), "libharu error"));
            assert_non_null(strstr(idp_ctx_error(ctx), otf));
            assert_null(pdf);
            free_letter(ascii);
            o.font_path = f.regular;
        } else {
            print_message("no OpenType font installed: libharu's error path not exercised\n");
        }
    }

    o.paper = (idp_paper)7;
    assert_int_equal(idp_pdf_build(ctx, &o, &t->l, NULL, 0, &pdf, &len), IDP_E_USAGE);
    free(jpeg);
    free_letter(t);
    idp_ctx_destroy(ctx);
    free_fonts(&f);
}

/* A letter too long for one page flows onto three, nothing clipped: every
 * paragraph once and in order, every word inside the margins (but the
 * footers), nothing under the QR code. */
static void test_overflow(void **state)
{
    fonts f = find_fonts();
    idp_pdf_opts o = make_opts(&f, IDP_PAPER_A4);
    tletter *t = new_letter("Una lettera lunga");
    const char *dir = tu_tmpdir();
    char path[4096], cmd[8400], text[2048], *out, *flat, *p;
    uint8_t *pdf;
    size_t len;
    int page = 0, pages, words = 0;
    double pw = 0, ph = 0;
    const double qr_side = 21 * 2.8;
    (void)state;

    tu_need_tool("pdftotext");
    tu_need_tool("pdfinfo");
    add_block(t, IDP_BLOCK_TITLE, NULL,
              "Una lettera lunga, con un titolo che va a capo perch\xC3\xA9 "
              "non sta accanto al codice QR");
    for (int i = 1; i <= 19; i++) {
        snprintf(text, sizeof(text), "[P%02d] %s", i, LONG_PARAGRAPH);
        add_block(t, i % 5 == 0 ? IDP_BLOCK_BULLET : IDP_BLOCK_PARAGRAPH, NULL, text);
        if (i % 6 == 0)
            add_block(t, IDP_BLOCK_HEADING, NULL, "Sezione successiva");
    }
    add_block(
        t, IDP_BLOCK_FIELD, "Un'etichetta molto lunga che deve andare a capo nella sua colonna",
        "supercalifragilistichespiralidoso-parola-senza-spazi-lunghissima-che-non-entra-in-una-"
        "riga-e-va-spezzata-fra-due-caratteri-qualsiasi-senza-uscire-dal-margine");
    add_block(t, IDP_BLOCK_SIGNATURE, NULL, NAME);
    pdf = build_ok(&o, &t->l, NULL, 0, &len);
    snprintf(path, sizeof(path), "%s/long.pdf", dir);
    tu_write_file(path, pdf, len);

    snprintf(cmd, sizeof(cmd), "pdfinfo '%s'", path);
    out = tu_capture(cmd);
    pages = atoi(info_line(out, "Pages:"));
    free(out);
    assert_int_equal(pages, 3);

    snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 '%s' -", path);
    out = tu_capture(cmd);
    flat = squeeze(out);
    p = flat;
    for (int i = 1; i <= 19; i++) {
        char tag[16], *hit;
        snprintf(tag, sizeof(tag), "[P%02d]", i);
        hit = strstr(p, tag);
        if (hit == NULL)
            fail_msg("%s is missing or out of order", tag);
        assert_null(strstr(hit + 1, tag));
        p = hit + 1;
    }
    assert_non_null(strstr(flat, NAME));
    assert_non_null(strstr(flat, "supercalifragilistichespiralidoso"));
    assert_non_null(strstr(flat, REF " 3/3"));
    free(flat);
    free(out);

    /* Word boxes: inside the margins, the QR corner kept clear. */
    snprintf(cmd, sizeof(cmd), "pdftotext -bbox -enc UTF-8 '%s' -", path);
    out = tu_capture(cmd);
    for (char *l = strtok(out, "\n"); l != NULL; l = strtok(NULL, "\n")) {
        double x0, y0, x1, y1;
        char word[512];
        if (sscanf(l, " <page width=\"%lf\" height=\"%lf\"", &pw, &ph) == 2) {
            page++;
            continue;
        }
        if (sscanf(l, " <word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\">%511[^<]", &x0,
                   &y0, &x1, &y1, word) != 5)
            continue;
        words++;
        if (x0 < MARGIN - 0.5 || x1 > pw - MARGIN + 0.5)
            fail_msg("page %d: \"%s\" spans x %.1f..%.1f, outside the margins", page, word, x0, x1);
        if (y1 > ph - MARGIN + 1.0) {
            /* Only the footer lives in the bottom margin. */
            int a, b;
            if (strcmp(word, REF) != 0 && sscanf(word, "%d/%d", &a, &b) != 2)
                fail_msg("page %d: \"%s\" is in the bottom margin", page, word);
            continue;
        }
        if (y0 < MARGIN - 3.0)
            fail_msg("page %d: \"%s\" is in the top margin", page, word);
        if (page == 1 && y0 < MARGIN + qr_side && strcmp(word, REF) != 0 &&
            x1 > pw - MARGIN - qr_side)
            fail_msg("\"%s\" runs under the QR code", word);
    }
    assert_int_equal(page, 3);
    assert_true(words > 1500);
    free(out);
    free(pdf);
    free_letter(t);
    free_fonts(&f);
}

/* Around the page break, for every length: the closing line is never left
 * behind on a page of its own, the signature stays whole, the page count
 * only grows with the text. */
static void test_keep_closing(void **state)
{
    fonts f = find_fonts();
    idp_pdf_opts o = make_opts(&f, IDP_PAPER_LETTER);
    const char *dir = tu_tmpdir();
    char path[4096], cmd[8400], line[64], *out;
    int last_pages = 1, saw_two = 0, saw_three = 0;
    (void)state;

    tu_need_tool("pdftotext");
    tu_need_tool("pdfinfo");
    /* Around the end of page 1 (where a tighter spacing keeps the letter
     * on one page) and of page 2 (where only moving the closing line
     * keeps it with the signature). */
    for (int k = 26; k <= 70; k = k == 38 ? 58 : k + 1) {
        tletter *t = new_letter("Lettera");
        uint8_t *pdf;
        size_t len;
        int pages;
        add_block(t, IDP_BLOCK_TITLE, NULL, "Lettera");
        for (int i = 0; i < k; i++) {
            snprintf(line, sizeof(line), "Riga %d.", i + 1);
            add_block(t, IDP_BLOCK_PARAGRAPH, NULL, line);
        }
        add_block(t, IDP_BLOCK_PARAGRAPH, NULL, "Cordiali saluti,");
        add_block(t, IDP_BLOCK_SIGNATURE, NULL, NAME);
        pdf = build_ok(&o, &t->l, NULL, 0, &len);
        snprintf(path, sizeof(path), "%s/closing.pdf", dir);
        tu_write_file(path, pdf, len);
        snprintf(cmd, sizeof(cmd), "pdfinfo '%s'", path);
        out = tu_capture(cmd);
        pages = atoi(info_line(out, "Pages:"));
        free(out);
        assert_true(pages >= last_pages);
        last_pages = pages;
        saw_two |= pages == 2;
        saw_three |= pages == 3;
        snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 -f %d -l %d '%s' -", pages, pages, path);
        out = tu_capture(cmd);
        if (strstr(out, "Cordiali saluti,") == NULL || strstr(out, NAME) == NULL)
            fail_msg("%d lines: the last page holds:\n%s", k, out);
        free(out);
        free(pdf);
        free_letter(t);
    }
    assert_true(saw_two);
    assert_true(saw_three);
    free_fonts(&f);
}

/* libharu 2.3.0 measures UTF-8 per character, with the font's advances:
 * compared with FreeType's, glyph by glyph, on a long accented text. */
static void test_utf8_measure(void **state)
{
    fonts f = find_fonts();
    const char *text = LONG_PARAGRAPH;
    const unsigned char *s = (const unsigned char *)text;
    FT_Library ft;
    FT_Face face;
    HPDF_Doc doc;
    HPDF_Font font;
    HPDF_TextWidth tw;
    unsigned long expect = 0, chars = 0;
    (void)state;

    assert_int_equal(FT_Init_FreeType(&ft), 0);
    assert_int_equal(FT_New_Face(ft, f.regular, 0, &face), 0);
    for (size_t i = 0; s[i] != '\0';) {
        uint32_t cp;
        size_t n = s[i] < 0x80 ? 1 : s[i] < 0xE0 ? 2 : s[i] < 0xF0 ? 3 : 4;
        cp = n == 1 ? s[i] : (uint32_t)(s[i] & (0x7F >> n));
        for (size_t k = 1; k < n; k++)
            cp = (cp << 6) | (s[i + k] & 0x3Fu);
        i += n;
        assert_int_equal(FT_Load_Char(face, cp, FT_LOAD_NO_SCALE), 0);
        assert_true(FT_Get_Char_Index(face, cp) != 0);
        expect += (unsigned long)face->glyph->advance.x * 1000ul / face->units_per_EM;
        chars++;
    }
    doc = HPDF_New(NULL, NULL);
    assert_non_null(doc);
    assert_int_equal(HPDF_UseUTFEncodings(doc), HPDF_OK);
    font = HPDF_GetFont(doc, HPDF_LoadTTFontFromFile(doc, f.regular, HPDF_TRUE), "UTF-8");
    assert_non_null(font);
    tw = HPDF_Font_TextWidth(font, (const HPDF_BYTE *)text, (HPDF_UINT)strlen(text));
    assert_int_equal(tw.numchars, chars);
    assert_int_equal(tw.width, expect);
    assert_true(strlen(text) > chars + 30); /* many multi-byte characters */
    HPDF_Free(doc);
    FT_Done_Face(face);
    FT_Done_FreeType(ft);
    free_fonts(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_glyph_refused), cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_overflow),      cmocka_unit_test(test_keep_closing),
        cmocka_unit_test(test_utf8_measure),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    /* fontconfig's configuration lives until FcFini(); the library never
     * calls it (it is process-wide), the program does, at its end. */
    FcFini();
    return failed;
}
