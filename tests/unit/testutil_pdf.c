#include "testutil_pdf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "idp_font.h"
#include "testutil.h"

/* Text with every run of white space made one space. */
char *squeeze(const char *s)
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

void add_block(tletter *t, idp_block_kind kind, const char *label, const char *text)
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

tletter *new_letter(const char *title)
{
    tletter *t = calloc(1, sizeof(*t));
    assert_non_null(t);
    t->l.title = strdup(title);
    t->l.lang = strdup("it");
    return t;
}

void free_letter(tletter *t)
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
tletter *full_letter(void)
{
    tletter *t = new_letter("Richiesta di ripristino della verifica in due passaggi");
    add_block(t, IDP_BLOCK_TITLE, NULL, "Richiesta di ripristino della verifica in due passaggi");
    add_block(t, IDP_BLOCK_META, NULL, "Milano, 26 novembre 2026");
    add_block(t, IDP_BLOCK_META, NULL, "Riferimento: " REF);
    add_block(t, IDP_BLOCK_HEADING, NULL, "Chi scrive");
    add_block(t, IDP_BLOCK_FIELD, "Nome completo", NAME);
    add_block(t, IDP_BLOCK_FIELD, "Email dell'account", "lukasz.muller@example.com");
    add_block(t, IDP_BLOCK_FIELD, "ID venditore", "A1B2C3D4E5F6G7");
    add_block(t, IDP_BLOCK_HEADING, NULL, "Che cosa \xC3\xA8 successo");
    add_block(t, IDP_BLOCK_PARAGRAPH, NULL, LONG_PARAGRAPH);
    add_block(t, IDP_BLOCK_PARAGRAPH, NULL, "Parole accentate: " ITALIAN ".");
    add_block(t, IDP_BLOCK_HEADING, NULL, "Che cosa ho gi\xC3\xA0 provato");
    add_block(t, IDP_BLOCK_BULLET, NULL, "Ho controllato email e password, senza spazi incollati.");
    add_block(t, IDP_BLOCK_BULLET, NULL,
              "Ho cancellato i cookie e provato un altro browser e un altro dispositivo; ho usato "
              "soltanto l'ultimo codice ricevuto, come suggerito dalle pagine di aiuto di Amazon.");
    add_block(t, IDP_BLOCK_PARAGRAPH, NULL, "Dichiaro che le informazioni fornite sono vere.");
    add_block(t, IDP_BLOCK_SIGNATURE, NULL, NAME);
    return t;
}

fonts find_fonts(void)
{
    idp_ctx *ctx = tu_new_ctx();
    fonts f = {NULL, NULL};
    assert_int_equal(idp_font_find(ctx, "DejaVu Sans", 0, &f.regular), IDP_OK);
    assert_int_equal(idp_font_find(ctx, "DejaVu Sans", 1, &f.bold), IDP_OK);
    idp_ctx_destroy(ctx);
    return f;
}

void free_fonts(fonts *f)
{
    free(f->regular);
    free(f->bold);
}

idp_pdf_opts make_opts(const fonts *f, idp_paper paper)
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

uint8_t *build_ok(const idp_pdf_opts *o, const idp_letter *l, const idp_pdf_image *im, size_t n,
                  size_t *len)
{
    idp_ctx *ctx = tu_new_ctx();
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
const char *info_line(const char *info, const char *key)
{
    const char *p = strstr(info, key);
    if (p == NULL)
        fail_msg("pdfinfo does not show %s:\n%s", key, info);
    return p + strlen(key);
}
