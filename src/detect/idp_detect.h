/* idp_detect: finds the document (an ID-1 card or an ID-3 passport page)
 * in a photo as a quadrilateral, on a small copy. Pure geometry, no
 * policy; the method and its accuracy are in docs/detection.md. */
#ifndef IDP_DETECT_H
#define IDP_DETECT_H

#include "idp_ctx.h"
#ifdef IDP_INTERNAL
#include "idp_image.h"
#endif

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

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

/* The document found in a photo (idp_check_report_detection,
 * idp_normalize_result_document): opaque to programs outside the library,
 * read through the idp_document_* functions below. */
typedef struct idp_document idp_document;

/* "id1", "id3" or "unknown" (static). */
IDP_API const char *idp_doc_kind_name(idp_doc_kind kind);
/* "photo", "mrz" or "text" (static). */
IDP_API const char *idp_upright_cue_name(idp_upright_cue cue);

/* Whether a document was found; its kind (IDP_DOC_UNKNOWN when none);
 * what decided its top; whether it stands on a short side (portrait);
 * its corners, top-left, top-right, bottom-right, bottom-left of the
 * upright document, in pixels of the photo (continuous coordinates: pixel
 * (i, j) covers [i, i+1) x [j, j+1)); how sure the finder is, 0..1 (also
 * when none was found); whether it fills the image (a scan). */
IDP_API bool idp_document_found(const idp_document *doc) IDP_NONNULL(1);
IDP_API idp_doc_kind idp_document_kind(const idp_document *doc) IDP_NONNULL(1);
IDP_API idp_upright_cue idp_document_cue(const idp_document *doc) IDP_NONNULL(1);
IDP_API bool idp_document_portrait(const idp_document *doc) IDP_NONNULL(1);
IDP_API void idp_document_quad(const idp_document *doc, double quad[4][2]) IDP_NONNULL(1, 2);
IDP_API double idp_document_confidence(const idp_document *doc) IDP_NONNULL(1);
IDP_API bool idp_document_scan(const idp_document *doc) IDP_NONNULL(1);
/* Not found, because what was found is a box printed on a document that
 * runs out of the photo (its outline goes on to the frame's edge): the
 * document is there, cut off, and its own outline cannot be given. */
IDP_API bool idp_document_cut_off(const idp_document *doc) IDP_NONNULL(1);

#ifdef IDP_INTERNAL
/* Coordinates are continuous pixel coordinates: pixel (i, j) covers
 * [i, i+1) x [j, j+1), its centre is (i + 0.5, j + 0.5). */
struct idp_document {
    bool found;
    idp_doc_kind kind;       /* IDP_DOC_UNKNOWN when not found */
    double quad[4][2];       /* TL, TR, BR, BL of the upright document (see upright) */
    double aspect;           /* long / short side of the document, perspective removed */
    double score;            /* mean edge support of the four sides, 0..1 */
    idp_upright_cue upright; /* what decided which side is the top */
    /* The upright document stands on a short side (a vertical card, a
     * passport's cover): TL->TR is a short side. False: landscape, TL->TR a
     * long side (the commonest layout, and the answer when unclear). */
    bool portrait;
    double confidence; /* 0..1, how sure the finder is (also set when not found: under
                        * 0.40, 0 for an outline refused for what it is) */
    bool scan;         /* the document fills the image: quad at the frame's edge */
    /* Not found: the box found lies on a document cut off by the frame
     * (round 24), so no quad is given; `document` and `corners` fail. */
    bool cut_off;
};

/* The long side, in pixels, of the copy the finder was calibrated on and
 * is given by idp_check_image and idp_normalize_file: the decoded photo
 * area-averaged to this size (never enlarged), whatever its decode scale,
 * so that check, build and normalize find the same quad. */
#define IDP_DETECT_WORK_SIDE 1000u

/* The upright document's physical width and height in mm (the short side
 * across when doc->portrait), 0 x 0 when not found or of unknown kind. */
void idp_document_size_mm(const idp_document *doc, double *width_mm, double *height_mm)
    IDP_NONNULL(1, 2, 3);

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

/* Decides which way up the found document (doc->found, a landscape quad
 * with TL->TR a long side) is from its content in img, the image the quad
 * is in. First landscape or portrait: text lines run along the reading
 * direction, so the document is read both ways and is portrait when
 * letters chain into lines clearly better with a short side on top (then
 * the corners are turned by one: TL->TR becomes a short side and
 * doc->portrait is set). Then which end is up: a machine-readable zone
 * (two or three full-width lines of fixed-pitch characters, ICAO 9303)
 * belongs at the bottom; failing that, stacked text lines of an ID share
 * their left ends, not their right ones. When the content says upside
 * down, the corners are turned by two (TL becomes the old BR). Sets
 * doc->upright; IDP_UPRIGHT_PHOTO when neither cue is clear (the quad as
 * the photo holds it, or for a portrait document its top the side nearer
 * the photo's top), or when the document is under 3 px per mm: then the
 * quad is untouched and landscape. idp_detect_document calls it. Fails
 * only when memory runs out. */
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

/* Covered corners (src/detect/idp_corners.c). Samples read next to a
 * corner along each of its two sides. */
#define IDP_CORNER_SAMPLES 12
/* A side sees the outline next to a corner on less than this share of the
 * stretch: the corner may be covered (see idp_corners_view). */
#define IDP_CORNER_SUPPORT_MIN 0.60

typedef struct idp_corner_side {
    double ref;     /* contrast of the outline along the middle of the side; -1 not read */
    double support; /* share of the samples that see the outline, 0..1; -1 not judged */
    /* contrast of the step across the side at IDP_CORNER_SAMPLES points
     * from half the corner radius to 9 mm from the corner (-1 off the
     * image) */
    double contrast[IDP_CORNER_SAMPLES];
    int offset[IDP_CORNER_SAMPLES]; /* where the step is, px from the side into the document */
    int ref_offset;                 /* where it is along the middle of the side (median) */
    /* mean colour across the side at each sample, and for samples that do
     * not see the outline its colour contrast to the nearest colour of the
     * document or the desk along the middle of the two sides (-1: seen) */
    double colour[IDP_CORNER_SAMPLES][3];
    double foreign[IDP_CORNER_SAMPLES];
    /* mean colour just inside and just outside the step at each sample */
    double in[IDP_CORNER_SAMPLES][3], out[IDP_CORNER_SAMPLES][3];
    /* share of the samples past the corner, in its first 9 mm and all the
     * way to the frame's edge, where the side goes on (-1: none read) */
    double beyond_near, beyond_all;
} idp_corner_side;

typedef struct idp_corner_view {
    /* per corner (the quad's order): the lesser support of its two sides,
     * -1 when neither could be judged (no contrast along the sides) */
    double support[4];
    bool covered[4];            /* the outline is hidden next to it by something lying there */
    idp_corner_side side[4][2]; /* [corner][0: towards the next corner, 1: the previous] */
    double least;               /* least judged support (1 when none was judged) */
    int worst;                  /* the covered corner with the least support, -1 none */
    /* a side goes on past a corner all the way to the frame's edge, as
     * along its middle (on >= IDP_CORNER_SUPPORT_MIN of the samples, near
     * the corner and all the way): the quad is part of a larger document
     * (a box printed on it) that runs out of the photo; not where the
     * outline turns at that corner, the desk all round it (round 18) */
    bool runs_out;
} idp_corner_view;

/* Decides for each corner of doc (found, quad in img's pixels; img RGB or
 * grey, the ~1000 px copy the checks load) whether the document's own
 * outline is seen next to it: along each side that meets there, from half
 * the ID-1 corner radius to 9 mm from the corner, a colour step across the
 * side at least 0.4 times as strong as along the middle of that side.
 * A corner where a side sees it on less than IDP_CORNER_SUPPORT_MIN of
 * that stretch is covered (a finger, a coin, a pen) when, besides, most
 * of what is there instead is unlike the document and the desk along the
 * sides' middles; so is one where both sides see it on less than half,
 * whatever lies there (one thing over the corner hides both). Also reads each side past each corner
 * up to the frame's edge (view->runs_out). Pure: reads img, no allocation. */
void idp_corners_view(const idp_image *img, const idp_document *doc, idp_corner_view *view)
    IDP_NONNULL(1, 2, 3);
#endif /* IDP_INTERNAL */

#ifdef __cplusplus
}
#endif

#endif
