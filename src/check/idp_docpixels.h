/* idp_docpixels: the document's pixels for the checks' measurements. */
#ifndef IDP_DOCPIXELS_H
#define IDP_DOCPIXELS_H

#include "idp_ctx.h"
#include "idp_image.h"

/* The fine copy's long side at most (idp_document_fine). */
#define IDP_DOCUMENT_FINE_SIDE 4000u

/* The document part of grey to measure (q in grey's pixels): the
 * axis-aligned rectangle inside the quad when it covers most of the
 * document, else the quad straightened; *out NULL when too small. Caller
 * owns *out. */
idp_status idp_document_pixels(idp_ctx *ctx, const idp_image *grey, const double q[4][2],
                               idp_image **out) IDP_WUR IDP_NONNULL(1, 2, 3, 4);

/* The same document in grey from img's own pixels (quad in img's pixels,
 * img grey or RGB), at most IDP_DOCUMENT_FINE_SIDE / img's long side of
 * its size; *scale: its pixels per img pixel; *out NULL when too small.
 * Caller owns *out. */
idp_status idp_document_fine(idp_ctx *ctx, const idp_image *img, const double quad[4][2],
                             idp_image **out, double *scale) IDP_WUR IDP_NONNULL(1, 2, 3, 4, 5);

#endif
