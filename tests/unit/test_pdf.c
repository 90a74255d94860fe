/* idp_pdf and idp_qr: the request PDF checked with the tools a reviewer
 * would use (qpdf, pdffonts, pdftotext, pdfimages, pdfinfo, pdftoppm +
 * zbarimg), byte-identical rebuilds, paper sizes, and the size and time of
 * a PDF of two large photos. test_pdf_text.c has the refusals and the text
 * layout. */
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

#include "idp_pdf.h"
#include "idp_qr.h"
#include "testutil.h"
#include "testutil_pdf.h"

static void test_qr(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    idp_qr *qr = NULL;
    (void)state;

    assert_int_equal(idp_qr_encode(ctx, REF, &qr), IDP_OK);
    assert_int_equal(qr->size, 21); /* version 1 */
    for (uint32_t i = 0; i < qr->size * qr->size; i++)
        assert_true(qr->modules[i] <= 1);
    /* The three finder patterns: a dark 7x7 ring with a dark 3x3 centre. */
    for (int k = 0; k < 3; k++) {
        uint32_t ox = k == 1 ? qr->size - 7 : 0, oy = k == 2 ? qr->size - 7 : 0;
        for (uint32_t y = 0; y < 7; y++) {
            for (uint32_t x = 0; x < 7; x++) {
                int ring = x == 0 || y == 0 || x == 6 || y == 6;
                int centre = x >= 2 && x <= 4 && y >= 2 && y <= 4;
                assert_int_equal(qr->modules[(oy + y) * qr->size + ox + x], ring || centre);
            }
        }
    }
    idp_qr_destroy(qr);
    qr = NULL;
    assert_int_equal(idp_qr_encode(ctx, "", &qr), IDP_E_USAGE);
    assert_null(qr);
    idp_qr_destroy(NULL);
    idp_ctx_destroy(ctx);
}

/* The whole request: every tool's view of it. */
static void test_full_request(void **state)
{
    fonts f = find_fonts();
    tletter *t = full_letter();
    idp_pdf_opts o = make_opts(&f, IDP_PAPER_A4);
    idp_pdf_image im[2];
    size_t len, jlen[2];
    uint8_t *jpeg[2], *pdf;
    const char *dir = tu_tmpdir();
    char cmd[8192], path[4096], *out, *flat, *line;
    int n_jpeg = 0;
    (void)state;

    for (const char *tool = "qpdf pdffonts pdftotext pdfimages pdfinfo pdftoppm zbarimg"; *tool;) {
        char one[32];
        size_t k = strcspn(tool, " ");
        snprintf(one, sizeof(one), "%.*s", (int)k, tool);
        tu_need_tool(one);
        tool += k + (tool[k] == ' ');
    }
    jpeg[0] = tu_make_jpeg(642, 405, TU_JPEG_GRADIENT, 90, &jlen[0]);
    jpeg[1] = tu_make_jpeg(500, 700, TU_JPEG_GRADIENT, 90, &jlen[1]);
    memset(im, 0, sizeof(im));
    im[0] = (idp_pdf_image){jpeg[0], jlen[0], 642, 405, "Documento \xE2\x80\x94 fronte", 85.6};
    im[1] = (idp_pdf_image){jpeg[1], jlen[1], 500, 700, "Documento \xE2\x80\x94 retro", 0.0};
    pdf = build_ok(&o, &t->l, im, 2, &len);
    snprintf(path, sizeof(path), "%s/full.pdf", dir);
    tu_write_file(path, pdf, len);

    /* qpdf: no errors and no warnings (exit 3 would be warnings). */
    snprintf(cmd, sizeof(cmd), "qpdf --check '%s' >/dev/null 2>&1", path);
    assert_int_equal(system(cmd), 0);

    /* pdffonts: every font embedded; regular and bold both there. */
    snprintf(cmd, sizeof(cmd), "pdffonts '%s'", path);
    out = tu_capture(cmd);
    {
        int fonts_seen = 0;
        line = strtok(out, "\n");
        line = strtok(NULL, "\n"); /* the header and its rule */
        while ((line = strtok(NULL, "\n")) != NULL) {
            char *tok[32];
            int n = 0;
            /* Fields from the end: ... emb sub uni object gen. */
            for (char *p = line; *p != '\0' && n < 32;) {
                while (*p == ' ')
                    p++;
                if (*p == '\0')
                    break;
                tok[n++] = p;
                while (*p != '\0' && *p != ' ')
                    p++;
                if (*p == ' ')
                    *p++ = '\0';
            }
            assert_true(n >= 6);
            if (strcmp(tok[n - 5], "yes") != 0)
                fail_msg("font %s is not embedded", tok[0]);
            assert_string_equal(tok[n - 3], "yes"); /* has a ToUnicode map */
            fonts_seen++;
        }
        assert_int_equal(fonts_seen, 2);
    }
    free(out);

    /* pdftotext: the texts, accents exact; and no complaint about the
     * ToUnicode maps (libharu 2.3.0 writes them wrong; we rewrite them). */
    snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 '%s' - 2>'%s/pdftotext.err'", path, dir);
    out = tu_capture(cmd);
    flat = squeeze(out);
    assert_non_null(strstr(flat, NAME));
    assert_non_null(strstr(flat, ITALIAN));
    assert_non_null(strstr(flat, "Richiesta di ripristino della verifica in due passaggi"));
    assert_non_null(strstr(flat, "lukasz.muller@example.com"));
    assert_non_null(strstr(flat, "Documento \xE2\x80\x94 fronte"));
    assert_non_null(strstr(flat, "Documento \xE2\x80\x94 retro"));
    assert_non_null(strstr(flat, REF " 1/3"));
    assert_non_null(strstr(flat, REF " 3/3"));
    {
        char *body = squeeze(LONG_PARAGRAPH);
        assert_non_null(strstr(flat, body));
        free(body);
    }
    free(flat);
    free(out);
    /* The fields, label and value on one line. */
    snprintf(cmd, sizeof(cmd), "pdftotext -layout -enc UTF-8 '%s' -", path);
    out = tu_capture(cmd);
    flat = squeeze(out);
    if (strstr(flat, "Nome completo: " NAME) == NULL ||
        strstr(flat, "Email dell'account: lukasz.muller@example.com") == NULL)
        fail_msg("pdftotext -layout shows:\n%s", flat);
    free(flat);
    free(out);
    snprintf(cmd, sizeof(cmd), "%s/pdftotext.err", dir);
    {
        size_t elen = 0;
        FILE *e = fopen(cmd, "rb");
        assert_non_null(e);
        fseek(e, 0, SEEK_END);
        elen = (size_t)ftell(e);
        fclose(e);
        assert_int_equal(elen, 0);
    }

    /* pdfinfo: three A4 pages and the document info. */
    snprintf(cmd, sizeof(cmd), "pdfinfo -f 1 -l 3 '%s'", path);
    out = tu_capture(cmd);
    assert_int_equal(atoi(info_line(out, "Pages:")), 3);
    assert_non_null(strstr(out, "Page    1 size:  595.276 x 841.89 pts (A4)"));
    assert_non_null(strstr(out, "Page    3 size:  595.276 x 841.89 pts (A4)"));
    assert_non_null(strstr(out, "Title:           Richiesta di ripristino \xE2\x80\x94 verifica"));
    assert_non_null(strstr(out, "Creator:         idpack\n"));
    assert_non_null(strstr(out, "Producer:        idpack 0.1.0\n"));
    assert_non_null(strstr(out, "CreationDate:    Thu Nov 26 08:00:00 2026 UTC"));
    assert_non_null(strstr(out, "ModDate:         Thu Nov 26 08:00:00 2026 UTC"));
    free(out);

    /* pdfimages: both JPEGs as jpeg (DCT), at their pixel sizes, on pages
     * 2 and 3; the front at true size (642 px over 85.6 mm = 190.5 ppi). */
    snprintf(cmd, sizeof(cmd), "pdfimages -list '%s'", path);
    out = tu_capture(cmd);
    line = strtok(out, "\n");
    line = strtok(NULL, "\n");
    while ((line = strtok(NULL, "\n")) != NULL) {
        int page, num, w, h, ppi;
        char type[32], color[32], enc[32];
        int comp, bpc;
        assert_int_equal(sscanf(line, "%d %d %31s %d %d %31s %d %d %31s %*s %*s %*s %d", &page,
                                &num, type, &w, &h, color, &comp, &bpc, enc, &ppi),
                         10);
        assert_string_equal(type, "image");
        assert_string_equal(enc, "jpeg");
        assert_int_equal(page, n_jpeg + 2);
        assert_int_equal(w, (int)im[n_jpeg].width);
        assert_int_equal(h, (int)im[n_jpeg].height);
        if (n_jpeg == 0)
            assert_true(ppi >= 190 && ppi <= 191);
        n_jpeg++;
    }
    assert_int_equal(n_jpeg, 2);
    free(out);

    /* The JPEG streams are the input files, byte for byte. */
    snprintf(cmd, sizeof(cmd), "pdfimages -j '%s' '%s/img'", path, dir);
    free(tu_capture(cmd));
    for (int i = 0; i < 2; i++) {
        size_t elen;
        uint8_t *back;
        snprintf(cmd, sizeof(cmd), "%s/img-%03d.jpg", dir, i);
        back = tu_read_file(cmd, &elen);
        assert_int_equal(elen, jlen[i]);
        assert_memory_equal(back, jpeg[i], elen);
        free(back);
    }

    /* The QR code on page 1 reads back as the reference. */
    snprintf(cmd, sizeof(cmd),
             "pdftoppm -r 150 -f 1 -l 1 -png -singlefile '%s' '%s/page1' && "
             "zbarimg -q --raw '%s/page1.png' 2>/dev/null",
             path, dir, dir);
    out = tu_capture(cmd);
    assert_string_equal(out, REF "\n");
    free(out);

    free(pdf);
    free(jpeg[0]);
    free(jpeg[1]);
    free_letter(t);
    free_fonts(&f);
}

/* The same inputs give the same bytes; another date gives other bytes. */
static void test_deterministic(void **state)
{
    fonts f = find_fonts();
    tletter *t = full_letter();
    idp_pdf_opts o = make_opts(&f, IDP_PAPER_A4);
    idp_pdf_image im;
    size_t jlen, len1, len2, len3;
    uint8_t *jpeg = tu_make_jpeg(300, 200, TU_JPEG_GRADIENT_NOISY, 90, &jlen), *a, *b, *c;
    (void)state;

    im = (idp_pdf_image){jpeg, jlen, 300, 200, "Fronte", 0.0};
    a = build_ok(&o, &t->l, &im, 1, &len1);
    b = build_ok(&o, &t->l, &im, 1, &len2);
    assert_int_equal(len1, len2);
    assert_memory_equal(a, b, len1);
    o.created += 86400;
    c = build_ok(&o, &t->l, &im, 1, &len3);
    assert_true(len3 != len1 || memcmp(a, c, len1) != 0);
    /* No trailer /ID, which libharu would derive from the clock. */
    {
        const char *needle = "/ID";
        int found = 0;
        for (size_t i = 0; i + 3 <= len1 && !found; i++)
            found = memcmp(a + i, needle, 3) == 0 && (a[i + 3] == ' ' || a[i + 3] == '[');
        assert_false(found);
    }
    free(a);
    free(b);
    free(c);
    free(jpeg);
    free_letter(t);
    free_fonts(&f);
}

static void test_paper_sizes(void **state)
{
    fonts f = find_fonts();
    tletter *t = full_letter();
    const char *dir = tu_tmpdir();
    char path[4096], cmd[8400], *out;
    uint8_t *pdf;
    size_t len;
    (void)state;

    tu_need_tool("pdfinfo");
    for (int paper = 0; paper < 2; paper++) {
        idp_pdf_opts o = make_opts(&f, paper ? IDP_PAPER_LETTER : IDP_PAPER_A4);
        pdf = build_ok(&o, &t->l, NULL, 0, &len);
        snprintf(path, sizeof(path), "%s/paper%d.pdf", dir, paper);
        tu_write_file(path, pdf, len);
        snprintf(cmd, sizeof(cmd), "pdfinfo '%s'", path);
        out = tu_capture(cmd);
        if (paper)
            assert_non_null(strstr(out, "Page size:       612 x 792 pts (letter)"));
        else
            assert_non_null(strstr(out, "Page size:       595.276 x 841.89 pts (A4)"));
        free(out);
        free(pdf);
    }
    free_letter(t);
    free_fonts(&f);
}

/* Two ~1 MB photos: the PDF is the photos plus little, built quickly. */
static void test_size_and_time(void **state)
{
    fonts f = find_fonts();
    tletter *t = full_letter();
    idp_pdf_opts o = make_opts(&f, IDP_PAPER_A4);
    idp_pdf_image im[2];
    size_t jlen[2], len;
    uint8_t *jpeg[2], *pdf;
    struct timespec t0, t1;
    double ms;
    (void)state;

    jpeg[0] = tu_make_jpeg(1600, 1000, TU_JPEG_GRADIENT_NOISY, 90, &jlen[0]);
    jpeg[1] = tu_make_jpeg(1600, 1000, TU_JPEG_GRADIENT_NOISY, 90, &jlen[1]);
    im[0] = (idp_pdf_image){jpeg[0], jlen[0], 1600, 1000, "Fronte", 85.6};
    im[1] = (idp_pdf_image){jpeg[1], jlen[1], 1600, 1000, "Retro", 85.6};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pdf = build_ok(&o, &t->l, im, 2, &len);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    print_message("JPEGs %zu + %zu bytes -> PDF %zu bytes (%zu of overhead) in %.1f ms\n", jlen[0],
                  jlen[1], len, len - jlen[0] - jlen[1], ms);
    assert_true(jlen[0] > 900000 && jlen[1] > 900000);
    assert_true(len > jlen[0] + jlen[1]);
    assert_true(len < jlen[0] + jlen[1] + 400000);
    free(pdf);
    free(jpeg[0]);
    free(jpeg[1]);
    free_letter(t);
    free_fonts(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qr),
        cmocka_unit_test(test_full_request),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_paper_sizes),
        cmocka_unit_test(test_size_and_time),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    /* fontconfig's configuration lives until FcFini(); the library never
     * calls it (it is process-wide), the program does, at its end. */
    FcFini();
    return failed;
}
