/* idp_pdf: the request PDF, with libharu: page 1 the letter (with the
 * reference and its QR code), then one page per ID image. Deterministic:
 * the same inputs give the same bytes. */
#ifndef IDP_PDF_H
#define IDP_PDF_H

#include "idp_ctx.h"
#include "idp_template.h"

#include <stddef.h>
#include <stdint.h>

typedef enum idp_paper { IDP_PAPER_A4 = 0, IDP_PAPER_LETTER } idp_paper;

typedef struct idp_pdf_image {
    const uint8_t *jpeg; /* a baseline JPEG, embedded as it is (DCTDecode) */
    size_t len;
    uint32_t width; /* pixels */
    uint32_t height;
    const char *caption;  /* "ID front", in the letter's language */
    double phys_width_mm; /* true physical width; 0 = fit the page */
} idp_pdf_image;

typedef struct idp_pdf_opts {
    idp_paper paper;
    const char *font_path;      /* regular TTF; embedded */
    const char *bold_font_path; /* NULL: the regular one, stroked to look bold */
    const char *title;          /* document info Title */
    const char *producer;       /* document info Producer, e.g. "idpack 0.1.0" */
    int64_t created;            /* Unix time for CreationDate/ModDate (UTC) */
    const char *reference;      /* printed on page 1 and encoded in the QR code */
} idp_pdf_opts;

/* Builds the PDF in memory. Every text is checked against the font first
 * (IDP_E_GLYPH naming the character). images are borrowed. Caller frees
 * *pdf with free(). */
idp_status idp_pdf_build(idp_ctx *ctx, const idp_pdf_opts *opts, const idp_letter *letter,
                         const idp_pdf_image *images, size_t n_images, uint8_t **pdf,
                         size_t *len) IDP_WUR IDP_NONNULL(1, 2, 3, 6, 7);

#endif
