/* idp_pdf_int: what the PDF's two halves share: the libharu glue
 * (idp_pdf.c: the document, its fonts, images, errors and allocator) and
 * the layout (idp_pdf_layout.c: the letter's lines and pages, the QR code,
 * the image pages). Private to src/pdf. */
#ifndef IDP_PDF_INT_H
#define IDP_PDF_INT_H

#include "idp_pdf.h"
#include "idp_qr.h"

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

/* Everything render() changes lives here, behind a pointer that does not
 * change, so nothing is clobbered by the longjmp. */
/* A font as the layout uses it: a face, and whether to stroke it so a
 * regular face reads as bold (when no bold face is embedded). */
typedef struct face {
    HPDF_Font f;
    bool stroke;
} face;

typedef struct pdf_state {
    jmp_buf jump;
    HPDF_STATUS error;
    HPDF_STATUS detail;
    const char *doing; /* what libharu was doing, for the message */
    HPDF_Doc doc;
    face font, bold; /* bold: its own face, or the regular one stroked */
    uint8_t *out;    /* the PDF, malloc'd */
    size_t out_len;
} pdf_state;

/* Lays the letter out (dry runs choose its spacing and type scale, and
 * count the pages), then draws it and one page per image on s->doc.
 * loaded[i] is images[i] as libharu loaded it; linebuf holds the longest
 * text plus its NUL. libharu's errors longjmp out of here to render(). */
void idp_pdf_lay_out(pdf_state *s, idp_ctx *ctx, const idp_pdf_opts *opts, const idp_letter *letter,
                     const idp_pdf_image *images, const HPDF_Image *loaded, size_t n_images,
                     const idp_qr *qr, char *linebuf);

#endif
