/* idp_pdf and idp_qr: the request PDF checked with the tools a reviewer
 * would use (qpdf, pdffonts, pdftotext, pdfimages, pdfinfo, pdftoppm +
 * zbarimg), byte-identical rebuilds, paper sizes, refused characters, a
 * letter that overflows onto three pages without clipping, and libharu
 * 2.3.0's UTF-8 width measurement against FreeType's advances. */
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

#include <jpeglib.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include <hpdf.h>

#include "idp_font.h"
#include "idp_pdf.h"
#include "idp_qr.h"
#include "testutil.h"

#define REF "IDP-7KQ2-9XHF"
#define NAME                                                                                       \
    "\xC5\x81ukasz \xC5\xBB\xC3\xB3\xC5\x82\xC4\x87 M\xC3\xBCller \xE2\x80\x94 Societ\xC3\xA0"
#define ITALIAN "perch\xC3\xA9 \xC3\xA8 gi\xC3\xA0 cos\xC3\xAC, pi\xC3\xB9 citt\xC3\xA0, l\xC3\xAC"
#define CREATED 1795680000 /* 2026-11-26T08:00:00Z */
#define MARGIN 56.69

/* A long accented paragraph: it must wrap inside the margins. */
#define LONG_PARAGRAPH                                                                             \
    "Io sottoscritto " NAME                                                                        \
    ", titolare dell'account venditore, dichiaro che non posso pi\xC3\xB9 "                        \
    "accedere perch\xC3\xA9 il dispositivo della verifica in due passaggi \xC3\xA8 andato "        \
    "perduto; ho gi\xC3\xA0 verificato l'indirizzo email, cancellato i cookie, provato un altro "  \
    "browser e un altro dispositivo, usato solo l'ultimo codice ricevuto e reimpostato la "        \
    "password, cos\xC3\xAC come indicato nelle pagine di aiuto. \xC3\x80 tal fine allego il mio "  \
    "documento d'identit\xC3\xA0 (fronte e retro), gi\xC3\xA0 verificato, con la massima "         \
    "cortesia: \xC3\xA9\xC3\xA8\xC3\xA0\xC3\xB2\xC3\xB9\xC3\xAC \xC3\x89\xC3\x88\xC3\x80"          \
    "\xC3\x92\xC3\x99\xC3\x8C \xC3\x9F\xC3\xB8\xC3\xA5 \xC5\x81\xC5\x82\xC5\xBB\xC5\xBC."

/* ---- helpers --------------------------------------------------------- */

static idp_ctx *new_ctx(void)
{
    idp_ctx *ctx = NULL;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    return ctx;
}

static void need_tool(const char *tool)
{
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
    if (system(cmd) != 0)
        fail_msg("the test needs %s, which is not installed", tool);
}

/* All a command prints on stdout; the test fails if it exits non-zero. */
static char *capture(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    size_t cap = 4096, n = 0, got;
    char *out = malloc(cap);

    assert_non_null(p);
    assert_non_null(out);
    while ((got = fread(out + n, 1, cap - n - 1, p)) > 0) {
        n += got;
        if (cap - n < 2) {
            cap *= 2;
            out = realloc(out, cap);
            assert_non_null(out);
        }
    }
    out[n] = '\0';
    if (pclose(p) != 0)
        fail_msg("command failed: %s\n%s", cmd, out);
    return out;
}

/* Text with every run of white space made one space. */
static char *squeeze(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    int blank = 0;

    assert_non_null(out);
    for (; *s != '\0'; s++) {
        if (*s == ' ' || *s == '\n' || *s == '\f' || *s == '\t' || *s == '\r') {
            blank = 1;
            continue;
        }
        if (blank && o != out)
            *o++ = ' ';
        blank = 0;
        *o++ = *s;
    }
    *o = '\0';
    return out;
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long n;

    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n > 0);
    rewind(f);
    buf = malloc((size_t)n);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* A baseline JPEG of w x h: a gradient, plus noise when noisy (to make a
 * large file). */
static uint8_t *make_jpeg(uint32_t w, uint32_t h, int noisy, size_t *len)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr err;
    unsigned char *buf = NULL, *row = malloc((size_t)w * 3);
    unsigned long size = 0;
    uint32_t rng = 12345u;

    assert_non_null(row);
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &buf, &size);
    c.image_width = w;
    c.image_height = h;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 90, TRUE);
    jpeg_start_compress(&c, TRUE);
    for (uint32_t y = 0; y < h; y++) {
        for (uint32_t x = 0; x < w; x++) {
            unsigned n = 0;
            if (noisy) {
                rng ^= rng << 13;
                rng ^= rng >> 17;
                rng ^= rng << 5;
                n = rng & 63u;
            }
            row[x * 3 + 0] = (unsigned char)((x * 255u / w + n) & 255u);
            row[x * 3 + 1] = (unsigned char)((y * 255u / h + n) & 255u);
            row[x * 3 + 2] = (unsigned char)(((x + y) & 64u ? 200u : 40u) + n / 2);
        }
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(row);
    *len = size;
    return buf;
}

/* A letter built by hand (idp_template is another module). */
typedef struct tletter {
    idp_letter l;
    idp_block blocks[128];
} tletter;

static void add(tletter *t, idp_block_kind kind, const char *label, const char *text)
{
    idp_block *b;
    assert_true(t->l.n_blocks < 128);
    b = &t->blocks[t->l.n_blocks++];
    b->kind = kind;
    b->label = label != NULL ? strdup(label) : NULL;
    b->text = strdup(text);
    assert_non_null(b->text);
    t->l.blocks = t->blocks;
}

static tletter *new_letter(const char *title)
{
    tletter *t = calloc(1, sizeof(*t));
    assert_non_null(t);
    t->l.title = strdup(title);
    t->l.lang = strdup("it");
    return t;
}

static void free_letter(tletter *t)
{
    for (size_t i = 0; i < t->l.n_blocks; i++) {
        free(t->blocks[i].label);
        free(t->blocks[i].text);
    }
    free(t->l.title);
    free(t->l.lang);
    free(t);
}

/* The letter of most tests: every kind of block, Italian and Polish. */
static tletter *full_letter(void)
{
    tletter *t = new_letter("Richiesta di ripristino della verifica in due passaggi");
    add(t, IDP_BLOCK_TITLE, NULL, "Richiesta di ripristino della verifica in due passaggi");
    add(t, IDP_BLOCK_META, NULL, "Milano, 26 novembre 2026");
    add(t, IDP_BLOCK_META, NULL, "Riferimento: " REF);
    add(t, IDP_BLOCK_HEADING, NULL, "Chi scrive");
    add(t, IDP_BLOCK_FIELD, "Nome completo", NAME);
    add(t, IDP_BLOCK_FIELD, "Email dell'account", "lukasz.muller@example.com");
    add(t, IDP_BLOCK_FIELD, "ID venditore", "A1B2C3D4E5F6G7");
    add(t, IDP_BLOCK_HEADING, NULL, "Che cosa \xC3\xA8 successo");
    add(t, IDP_BLOCK_PARAGRAPH, NULL, LONG_PARAGRAPH);
    add(t, IDP_BLOCK_PARAGRAPH, NULL, "Parole accentate: " ITALIAN ".");
    add(t, IDP_BLOCK_HEADING, NULL, "Che cosa ho gi\xC3\xA0 provato");
    add(t, IDP_BLOCK_BULLET, NULL, "Ho controllato email e password, senza spazi incollati.");
    add(t, IDP_BLOCK_BULLET, NULL,
        "Ho cancellato i cookie e provato un altro browser e un altro dispositivo; ho usato "
        "soltanto l'ultimo codice ricevuto, come suggerito dalle pagine di aiuto di Amazon.");
    add(t, IDP_BLOCK_PARAGRAPH, NULL, "Dichiaro che le informazioni fornite sono vere.");
    add(t, IDP_BLOCK_SIGNATURE, NULL, NAME);
    return t;
}

typedef struct fonts {
    char *regular, *bold;
} fonts;

static fonts find_fonts(void)
{
    idp_ctx *ctx = new_ctx();
    fonts f = {NULL, NULL};
    assert_int_equal(idp_font_find(ctx, "DejaVu Sans", 0, &f.regular), IDP_OK);
    assert_int_equal(idp_font_find(ctx, "DejaVu Sans", 1, &f.bold), IDP_OK);
    idp_ctx_destroy(ctx);
    return f;
}

static void free_fonts(fonts *f)
{
    free(f->regular);
    free(f->bold);
}

static idp_pdf_opts make_opts(const fonts *f, idp_paper paper)
{
    idp_pdf_opts o;
    memset(&o, 0, sizeof(o));
    o.paper = paper;
    o.font_path = f->regular;
    o.bold_font_path = f->bold;
    o.title = "Richiesta di ripristino \xE2\x80\x94 verifica in due passaggi";
    o.producer = "idpack 0.1.0";
    o.created = CREATED;
    o.reference = REF;
    return o;
}

static uint8_t *build_ok(const idp_pdf_opts *o, const idp_letter *l, const idp_pdf_image *im,
                         size_t n, size_t *len)
{
    idp_ctx *ctx = new_ctx();
    uint8_t *pdf = NULL;
    idp_status st = idp_pdf_build(ctx, o, l, im, n, &pdf, len);
    if (st != IDP_OK)
        fail_msg("idp_pdf_build: %s", idp_ctx_error(ctx));
    assert_non_null(pdf);
    assert_true(*len > 1000);
    assert_memory_equal(pdf, "%PDF-", 5);
    idp_ctx_destroy(ctx);
    return pdf;
}

/* The number after "key:" on pdfinfo's output. */
static const char *info_line(const char *info, const char *key)
{
    const char *p = strstr(info, key);
    if (p == NULL)
        fail_msg("pdfinfo does not show %s:\n%s", key, info);
    return p + strlen(key);
}

/* ---- tests ----------------------------------------------------------- */

static void test_qr(void **state)
{
    idp_ctx *ctx = new_ctx();
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
        need_tool(one);
        tool += k + (tool[k] == ' ');
    }
    jpeg[0] = make_jpeg(642, 405, 0, &jlen[0]);
    jpeg[1] = make_jpeg(500, 700, 0, &jlen[1]);
    memset(im, 0, sizeof(im));
    im[0] = (idp_pdf_image){jpeg[0], jlen[0], 642, 405, "Documento \xE2\x80\x94 fronte", 85.6};
    im[1] = (idp_pdf_image){jpeg[1], jlen[1], 500, 700, "Documento \xE2\x80\x94 retro", 0.0};
    pdf = build_ok(&o, &t->l, im, 2, &len);
    snprintf(path, sizeof(path), "%s/full.pdf", dir);
    write_file(path, pdf, len);

    /* qpdf: no errors and no warnings (exit 3 would be warnings). */
    snprintf(cmd, sizeof(cmd), "qpdf --check '%s' >/dev/null 2>&1", path);
    assert_int_equal(system(cmd), 0);

    /* pdffonts: every font embedded; regular and bold both there. */
    snprintf(cmd, sizeof(cmd), "pdffonts '%s'", path);
    out = capture(cmd);
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
    out = capture(cmd);
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
    out = capture(cmd);
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
    out = capture(cmd);
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
    out = capture(cmd);
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
    free(capture(cmd));
    for (int i = 0; i < 2; i++) {
        size_t elen;
        uint8_t *back;
        snprintf(cmd, sizeof(cmd), "%s/img-%03d.jpg", dir, i);
        back = read_all(cmd, &elen);
        assert_int_equal(elen, jlen[i]);
        assert_memory_equal(back, jpeg[i], elen);
        free(back);
    }

    /* The QR code on page 1 reads back as the reference. */
    snprintf(cmd, sizeof(cmd),
             "pdftoppm -r 150 -f 1 -l 1 -png -singlefile '%s' '%s/page1' && "
             "zbarimg -q --raw '%s/page1.png' 2>/dev/null",
             path, dir, dir);
    out = capture(cmd);
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
    uint8_t *jpeg = make_jpeg(300, 200, 1, &jlen), *a, *b, *c;
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

    need_tool("pdfinfo");
    for (int paper = 0; paper < 2; paper++) {
        idp_pdf_opts o = make_opts(&f, paper ? IDP_PAPER_LETTER : IDP_PAPER_A4);
        pdf = build_ok(&o, &t->l, NULL, 0, &len);
        snprintf(path, sizeof(path), "%s/paper%d.pdf", dir, paper);
        write_file(path, pdf, len);
        snprintf(cmd, sizeof(cmd), "pdfinfo '%s'", path);
        out = capture(cmd);
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

/* Characters the font cannot draw are refused, named, never boxes. */
static void test_glyph_refused(void **state)
{
    fonts f = find_fonts();
    idp_pdf_opts o = make_opts(&f, IDP_PAPER_A4);
    idp_ctx *ctx = new_ctx();
    uint8_t *pdf = NULL;
    size_t len = 0, jlen;
    uint8_t *jpeg = make_jpeg(64, 48, 0, &jlen);
    idp_pdf_image im = {jpeg, jlen, 64, 48, "Fronte \xE4\xB8\xAD", 0.0};
    tletter *t = full_letter();
    (void)state;

    /* A CJK character DejaVu Sans lacks. */
    add(t, IDP_BLOCK_PARAGRAPH, NULL, "Nome: \xE4\xB8\xAD\xE6\x96\x87");
    assert_int_equal(idp_pdf_build(ctx, &o, &t->l, NULL, 0, &pdf, &len), IDP_E_GLYPH);
    assert_null(pdf);
    assert_non_null(strstr(idp_ctx_error(ctx), "U+4E2D '\xE4\xB8\xAD'"));
    assert_non_null(strstr(idp_ctx_error(ctx), "DejaVu Sans"));
    free_letter(t);

    /* U+1F600 is in DejaVu Sans, but libharu 2.3.0 would drop it. */
    t = full_letter();
    add(t, IDP_BLOCK_FIELD, "Nota", "ok \xF0\x9F\x98\x80");
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
    idp_ctx *ctx = new_ctx();
    tletter *t = full_letter();
    static const uint8_t junk[] = "this is not a JPEG file, not at all, not even close";
    size_t jlen, len = 0;
    uint8_t *jpeg = make_jpeg(64, 48, 0, &jlen), *pdf = NULL;
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
            add(ascii, IDP_BLOCK_PARAGRAPH, NULL, "Plain ASCII text.");
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

    need_tool("pdftotext");
    need_tool("pdfinfo");
    add(t, IDP_BLOCK_TITLE, NULL,
        "Una lettera lunga, con un titolo che va a capo perch\xC3\xA9 "
        "non sta accanto al codice QR");
    for (int i = 1; i <= 19; i++) {
        snprintf(text, sizeof(text), "[P%02d] %s", i, LONG_PARAGRAPH);
        add(t, i % 5 == 0 ? IDP_BLOCK_BULLET : IDP_BLOCK_PARAGRAPH, NULL, text);
        if (i % 6 == 0)
            add(t, IDP_BLOCK_HEADING, NULL, "Sezione successiva");
    }
    add(t, IDP_BLOCK_FIELD, "Un'etichetta molto lunga che deve andare a capo nella sua colonna",
        "supercalifragilistichespiralidoso-parola-senza-spazi-lunghissima-che-non-entra-in-una-"
        "riga-e-va-spezzata-fra-due-caratteri-qualsiasi-senza-uscire-dal-margine");
    add(t, IDP_BLOCK_SIGNATURE, NULL, NAME);
    pdf = build_ok(&o, &t->l, NULL, 0, &len);
    snprintf(path, sizeof(path), "%s/long.pdf", dir);
    write_file(path, pdf, len);

    snprintf(cmd, sizeof(cmd), "pdfinfo '%s'", path);
    out = capture(cmd);
    pages = atoi(info_line(out, "Pages:"));
    free(out);
    assert_int_equal(pages, 3);

    snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 '%s' -", path);
    out = capture(cmd);
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
    out = capture(cmd);
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

    need_tool("pdftotext");
    need_tool("pdfinfo");
    /* Around the end of page 1 (where a tighter spacing keeps the letter
     * on one page) and of page 2 (where only moving the closing line
     * keeps it with the signature). */
    for (int k = 26; k <= 70; k = k == 38 ? 58 : k + 1) {
        tletter *t = new_letter("Lettera");
        uint8_t *pdf;
        size_t len;
        int pages;
        add(t, IDP_BLOCK_TITLE, NULL, "Lettera");
        for (int i = 0; i < k; i++) {
            snprintf(line, sizeof(line), "Riga %d.", i + 1);
            add(t, IDP_BLOCK_PARAGRAPH, NULL, line);
        }
        add(t, IDP_BLOCK_PARAGRAPH, NULL, "Cordiali saluti,");
        add(t, IDP_BLOCK_SIGNATURE, NULL, NAME);
        pdf = build_ok(&o, &t->l, NULL, 0, &len);
        snprintf(path, sizeof(path), "%s/closing.pdf", dir);
        write_file(path, pdf, len);
        snprintf(cmd, sizeof(cmd), "pdfinfo '%s'", path);
        out = capture(cmd);
        pages = atoi(info_line(out, "Pages:"));
        free(out);
        assert_true(pages >= last_pages);
        last_pages = pages;
        saw_two |= pages == 2;
        saw_three |= pages == 3;
        snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 -f %d -l %d '%s' -", pages, pages, path);
        out = capture(cmd);
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

    jpeg[0] = make_jpeg(1600, 1000, 1, &jlen[0]);
    jpeg[1] = make_jpeg(1600, 1000, 1, &jlen[1]);
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
        cmocka_unit_test(test_glyph_refused),
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_overflow),
        cmocka_unit_test(test_keep_closing),
        cmocka_unit_test(test_utf8_measure),
        cmocka_unit_test(test_size_and_time),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    /* fontconfig's configuration lives until FcFini(); the library never
     * calls it (it is process-wide), the program does, at its end. */
    FcFini();
    return failed;
}
