/* idp_detect: finds the document (an ID-1 card or an ID-3 passport page)
 * in a photo as a quadrilateral, on a small copy. Pure geometry, no
 * policy; the method and its accuracy are in docs/detection.md. */
#ifndef IDP_DETECT_H
#define IDP_DETECT_H

#include "idp_ctx.h"
#include "idp_image.h"

#include <stdbool.h>

typedef enum idp_doc_kind {
    IDP_DOC_UNKNOWN = 0,
    IDP_DOC_ID1, /* 85.60 x 53.98 mm, aspect 1.586 */
    IDP_DOC_ID3  /* 125 x 88 mm, aspect 1.420 */
} idp_doc_kind;

/* How the document's top was decided (see idp_document_upright). */
typedef enum idp_upright_cue {
    IDP_UPRIGHT_PHOTO = 0, /* no content cue: the way the photo holds it */
    IDP_UPRIGHT_MRZ,       /* the machine-readable zone is at the bottom */
    IDP_UPRIGHT_TEXT       /* the text lines are left-aligned */
} idp_upright_cue;

/* Coordinates are continuous pixel coordinates: pixel (i, j) covers
 * [i, i+1) x [j, j+1), its centre is (i + 0.5, j + 0.5). */
typedef struct idp_document {
    bool found;
    idp_doc_kind kind;       /* IDP_DOC_UNKNOWN when not found */
    double quad[4][2];       /* TL, TR, BR, BL of the upright document (see upright) */
    double aspect;           /* long / short side of the document, perspective removed */
    double score;            /* mean edge support of the four sides, 0..1 */
    idp_upright_cue upright; /* what decided which side is the top */
    double confidence;       /* 0..1, how sure the finder is (also set when not found) */
    bool scan;               /* the document fills the image: quad at the frame's edge */
} idp_document;

/* "id1", "id3" or "unknown". */
const char *idp_doc_kind_name(idp_doc_kind kind);

/* Physical width (long side) in mm of kind, or 0 for unknown. */
double idp_doc_width_mm(idp_doc_kind kind);

/* True aspect (long / short) of kind, or 0 for unknown. */
double idp_doc_aspect(idp_doc_kind kind);

/* Looks for the document in img (RGB, which finds edges that have colour
 * but little luma contrast, or grey). Works on a copy box-averaged to a
 * long side of at most 640 px and refines on img itself (so give it about
 * 1000-2000 px). Quad in img's pixels, turned upright by
 * idp_document_upright. Fills *doc (doc->found false when there is none). Fails only when memory
 * runs out (or img has 2 or 4 channels). */
idp_status idp_detect_document(idp_ctx *ctx, const idp_image *img, idp_document *doc) IDP_WUR
    IDP_NONNULL(1, 2, 3);

/* idp_detect_document without idp_document_upright: the outline alone
 * (TL->TR a long side, doc->upright IDP_UPRIGHT_PHOTO), for a caller that
 * reads which way up on another thread. */
idp_status idp_detect_outline(idp_ctx *ctx, const idp_image *img, idp_document *doc) IDP_WUR
    IDP_NONNULL(1, 2, 3);

/* "photo", "mrz" or "text". */
const char *idp_upright_cue_name(idp_upright_cue cue);

/* Decides which way up the found document (doc->found, a landscape quad
 * with TL->TR a long side) is from its content in img, the image the quad
 * is in: a machine-readable zone (two or three full-width lines of
 * fixed-pitch characters, ICAO 9303) belongs at the bottom; failing that,
 * stacked text lines of an ID share their left ends, not their right
 * ones. When the content says upside down, the corners are turned by two
 * (TL becomes the old BR). Sets doc->upright; IDP_UPRIGHT_PHOTO, the quad
 * untouched, when neither cue is clear (or the document is under 256 px
 * across). idp_detect_document calls it. Fails only when memory runs
 * out. */
idp_status idp_document_upright(idp_ctx *ctx, const idp_image *img, idp_document *doc) IDP_WUR
    IDP_NONNULL(1, 2, 3);

/* Scales the quad of doc by sx, sy (e.g. from the measured copy to the
 * full-size image). */
void idp_document_scale(idp_document *doc, double sx, double sy) IDP_NONNULL(1);

/* Intersection over union of two convex quads (any vertex order, either
 * winding), 0..1: how document-localisation benchmarks score a quad. */
double idp_quad_iou(const double a[4][2], const double b[4][2]) IDP_NONNULL(1, 2);

/* Length in pixels of the document's long side (the longer of its two
 * long edges) and short side. */
void idp_quad_sides(const double quad[4][2], double *long_side, double *short_side)
    IDP_NONNULL(1, 2, 3);

/* The 3x3 homography h (row-major) that maps the rectangle [0,w]x[0,h]
 * (0,0 -> TL, w,0 -> TR, w,h -> BR, 0,h -> BL) onto quad. */
void idp_quad_homography(const double quad[4][2], double w, double h, double m[9])
    IDP_NONNULL(1, 4);

/* A w x h image (channels of src) sampled bilinearly from src through the
 * quad: the document straightened to a rectangle. Caller owns *out. */
idp_status idp_warp_quad(idp_ctx *ctx, const idp_image *src, const double quad[4][2], uint32_t w,
                         uint32_t h, idp_image **out) IDP_WUR IDP_NONNULL(1, 2, 3, 6);

/* The same into dst, w x h x src->channels bytes, rows packed. */
void idp_warp_quad_into(const idp_image *src, const double quad[4][2], uint32_t w, uint32_t h,
                        uint8_t *dst) IDP_NONNULL(1, 2, 5);

#endif
