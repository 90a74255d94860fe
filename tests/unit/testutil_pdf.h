/* Helpers of the idp_pdf tests (test_pdf.c, test_pdf_text.c): a letter
 * built by hand (idp_template is another module), the fonts, the options
 * and a build that must succeed. */
#ifndef IDP_TESTUTIL_PDF_H
#define IDP_TESTUTIL_PDF_H

#include <stddef.h>
#include <stdint.h>

#include "idp_pdf.h"

/* The values of the letters and options the tests build. */
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

/* A letter built by hand (idp_template is another module). */
typedef struct tletter {
    idp_letter l;
    idp_block blocks[128];
} tletter;

typedef struct fonts {
    char *regular, *bold;
} fonts;

/* Text with every run of white space made one space. */
char *squeeze(const char *s);
/* Appends a block (label may be NULL) to t. */
void add_block(tletter *t, idp_block_kind kind, const char *label, const char *text);
/* An empty Italian letter titled title; free_letter() frees it. */
tletter *new_letter(const char *title);
void free_letter(tletter *t);
/* The letter of most tests: every kind of block, Italian and Polish. */
tletter *full_letter(void);
/* DejaVu Sans, regular and bold, found through fontconfig. */
fonts find_fonts(void);
void free_fonts(fonts *f);
/* The options of most tests: the fonts, REF, CREATED, a title. */
idp_pdf_opts make_opts(const fonts *f, idp_paper paper);
/* idp_pdf_build() that fails the test unless it gives a PDF. */
uint8_t *build_ok(const idp_pdf_opts *o, const idp_letter *l, const idp_pdf_image *im, size_t n,
                  size_t *len);
/* The number after "key:" on pdfinfo's output. */
const char *info_line(const char *info, const char *key);

#endif
