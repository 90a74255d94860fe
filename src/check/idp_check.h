/* idp_check: the photo checks of PRODUCT.md, each with a stable id, a
 * measured value, the limit it was judged against and a status. */
#ifndef IDP_CHECK_H
#define IDP_CHECK_H

#include "idp_ctx.h"
#include "idp_detect.h"
#include "idp_mrz.h"
#include "idp_policy.h"
#ifdef IDP_INTERNAL
#include "idp_glare_map.h"
#include "idp_image.h"
#include "idp_imghash.h"
#include "idp_load.h"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Stable ids, in the order they are reported. expiry is judged when a
 * machine-readable zone was read (its expiry date's check digit valid). */
typedef enum idp_check_id {
    IDP_CHECK_DECODE = 0,
    IDP_CHECK_LIMITS,
    IDP_CHECK_RESOLUTION,
    IDP_CHECK_SHARPNESS,
    IDP_CHECK_EXPOSURE,
    IDP_CHECK_GLARE,
    IDP_CHECK_COLOUR,
    IDP_CHECK_SCREENSHOT,
    IDP_CHECK_DUPLICATE,
    IDP_CHECK_DOCUMENT,
    IDP_CHECK_CORNERS,
    IDP_CHECK_EXPIRY,
    IDP_CHECK_COUNT
} idp_check_id;

typedef enum idp_check_status {
    IDP_CHECK_PASS = 0,
    IDP_CHECK_WARN,
    IDP_CHECK_FAIL
} idp_check_status;

typedef enum idp_verdict {
    IDP_VERDICT_PASS = 0,
    IDP_VERDICT_WARN,
    IDP_VERDICT_FAIL,
    IDP_VERDICT_ERROR /* unreadable or over the limits */
} idp_verdict;

/* Why a check did what it did; selects the message. */
typedef enum idp_check_reason {
    IDP_REASON_OK = 0,
    IDP_REASON_UNREADABLE,  /* decode: not an image / corrupt / truncated */
    IDP_REASON_TOO_LARGE,   /* limits */
    IDP_REASON_LOW,         /* value below a limit (resolution, sharpness, colour) */
    IDP_REASON_DARK,        /* exposure */
    IDP_REASON_BRIGHT,      /* exposure */
    IDP_REASON_SHADOWS,     /* exposure: clipped shadows */
    IDP_REASON_HIGH,        /* value above a limit (glare, screenshot flatness) */
    IDP_REASON_SCREEN_SIZE, /* screenshot: exact screen size, no camera data */
    IDP_REASON_SAME_AS,     /* duplicate: same photo as another (see `other`) */
    IDP_REASON_NOT_FOUND,   /* document: no card or page found (corners: so none seen) */
    IDP_REASON_CUT_OFF,     /* corners: a corner outside the frame or at its edge; document:
                             * what was found is print on a document the frame cuts off */
    IDP_REASON_COVERED,     /* corners: a corner hidden under a finger or an object (value:
                               share of the stretch next to it where the outline is seen) */
    IDP_REASON_SAME_SIDE,   /* duplicate: the same side of the document as another photo */
    IDP_REASON_GREY,        /* colour: black and white, no chroma */
    IDP_REASON_TONED,       /* colour: toned in one colour (sepia, cyanotype, duotone) */
    IDP_REASON_SCREEN_BARS, /* screenshot: a phone's status bar (with flat, noiseless pixels) */
    IDP_REASON_RENDERED,    /* screenshot: flat areas and no sensor noise, no camera data */
    IDP_REASON_FAINT_DARK,  /* exposure: print too faint to read, in a dark photo */
    /* exposure: print too faint to read, washed out */
    IDP_REASON_FAINT_BRIGHT,
    /* colour: too dark to tell colour (value: share of the frame bright enough) */
    IDP_REASON_COLOUR_DARK,
    /* limits: within the size limits, but decoding would cost more memory or time
     * than allowed (memory budget, a flood of scans) */
    IDP_REASON_DECODE_COST,
    /* expiry: the expiry date read in the machine-readable zone is past
     * (value: days from today to the expiry, negative) */
    IDP_REASON_EXPIRED,
    /* sharpness: the edges are spread wider than the smallest print allows
     * (value: the blur's sigma in mm of the document, or on the whole frame
     * the least it can be; limit: policy sharpness.blur_mm) */
    IDP_REASON_BLUR_WIDTH
} idp_check_reason;

/* One check's result. Its fields never change (docs/library.md, "ABI"):
 * what more is told about a check comes through new functions. */
typedef struct idp_check_result {
    idp_check_id id;
    idp_check_status status;
    idp_check_reason reason;
    double value; /* the measurement (unit per check, see docs/checks.md) */
    double limit; /* the limit judged against (the crossed one, else the warn one) */
    int other;    /* duplicate: index of the other image, else -1 */
} idp_check_result;

/* Opaque to programs outside the library (it grows with every check):
 * idp_check_report_create gives one, the idp_check_report_* functions
 * read it. */
typedef struct idp_check_report idp_check_report;

#ifdef IDP_INTERNAL
struct idp_check_report {
    idp_verdict verdict;
    idp_status load_status; /* IDP_OK, or why the photo could not be read */
    idp_image_info info;    /* width/height: upright full size */
    idp_hash256 phash;      /* hash of the whole frame (duplicate), idp_imghash.h */
    bool has_phash;
    idp_hash256 doc_hash; /* of the straightened document, when one was found */
    bool has_doc_hash;
    /* The document found (policy->detect), quad in pixels of the upright
     * full-size image; resolution, sharpness, exposure and glare are
     * measured on it when found. */
    idp_document document;
    size_t n_checks;
    idp_check_result checks[IDP_CHECK_COUNT];
    /* The machine-readable zone (policy->mrz_read), when one was found:
     * personal data, never to be written to disk (idp_mrz.h); its expiry
     * date judges the expiry check when its check digit validates. */
    bool has_mrz;
    idp_mrz mrz;
    /* Where the glare counted by the glare check is, on the photo (upright
     * full-size pixels): the largest specular regions, largest first. */
    size_t n_glare;
    idp_glare_region glare[IDP_GLARE_MAX_BLOBS];
    /* The corner the corners check found covered (IDP_REASON_COVERED), in
     * the same pixels; has_covered false otherwise. */
    bool has_covered;
    double covered[2];
};
#endif /* IDP_INTERNAL */

/* "decode", "limits", "sharpness", ... */
IDP_API const char *idp_check_name(idp_check_id id);
IDP_API const char *idp_check_status_name(idp_check_status status);
IDP_API const char *idp_verdict_name(idp_verdict verdict);

#ifdef IDP_INTERNAL
/* The long side the photo is decoded to, at least, before it is measured
 * (JPEG DCT scaling picks the smallest n/8 scale that keeps it): the
 * normalised output's default cap, so that idp_build_package measures the
 * very decode it normalises, or measure_side when that is larger. Every
 * path that measures a photo (check, build, drop, batch) decodes at this
 * side, so they see the same pixels and give the same values: a DCT-scaled
 * decode is a different low-pass from an area average, so a photo decoded
 * at another scale measures another sharpness. */
#define IDP_CHECK_DECODE_SIDE 2000u
uint32_t idp_check_decode_side(const idp_policy *policy) IDP_NONNULL(1);
#endif /* IDP_INTERNAL */

/* An empty report for idp_check_file. The caller owns *out and frees it
 * with idp_check_report_destroy(); one report may be reused. */
IDP_API idp_status idp_check_report_create(idp_ctx *ctx, idp_check_report **out) IDP_WUR
    IDP_NONNULL(1, 2);

/* Wipes (a report may hold what was read on the document) and frees; NULL
 * is fine. */
IDP_API void idp_check_report_destroy(idp_check_report *report);

/* The verdict: fail if a check failed, else warn if one warned, else
 * pass; error when the photo could not be read. */
IDP_API idp_verdict idp_check_report_verdict(const idp_check_report *report) IDP_NONNULL(1);

/* IDP_OK, or why the photo could not be read. */
IDP_API idp_status idp_check_report_load_status(const idp_check_report *report) IDP_NONNULL(1);

/* The checks run, in idp_check_id order: result i for i < count (borrowed,
 * valid while the report lives and is not reused), NULL past the end. */
IDP_API size_t idp_check_report_count(const idp_check_report *report) IDP_NONNULL(1);
IDP_API const idp_check_result *idp_check_report_result(const idp_check_report *report, size_t i)
    IDP_NONNULL(1);

/* The photo's full size once upright, in pixels (0 x 0 when unreadable). */
IDP_API void idp_check_report_size(const idp_check_report *report, uint32_t *width,
                                   uint32_t *height) IDP_NONNULL(1, 2, 3);

/* The document found in the photo: its kind ("id1": a card, "id3": a
 * passport page; static), or NULL when none was found. quad (may be NULL)
 * gets its corners, top-left, top-right, bottom-right, bottom-left of the
 * upright document, in pixels of the photo as idp_check_report_size gives
 * it; confidence (may be NULL) how sure the finder is, 0..1. */
IDP_API const char *idp_check_report_document(const idp_check_report *report, double quad[4][2],
                                              double *confidence) IDP_NONNULL(1);

/* Loads the photo at path (at the DCT scale of idp_check_decode_side; the
 * checks then measure a grey copy whose long side is
 * policy->measure_side) and runs every single-image
 * check. Returns IDP_OK when the photo was measured, whatever the verdict.
 * When the photo cannot be read, report->verdict is IDP_VERDICT_ERROR, the
 * decode (or limits) check is failed, the ctx error names the file and the
 * reason, and that status is returned; any other failure (memory running
 * out while measuring) leaves the verdict IDP_VERDICT_ERROR too. */
IDP_API idp_status idp_check_file(idp_ctx *ctx, const char *path, const idp_policy *policy,
                                  idp_check_report *report) IDP_NONNULL(1, 2, 3, 4);

/* The same for part `page` (0-based) of a file that holds several: a page
 * of a TIFF or PDF, or one of two documents on a scanned page.
 * report->info.pages says how many parts the file holds. */
IDP_API idp_status idp_check_file_page(idp_ctx *ctx, const char *path, uint32_t page,
                                       const idp_policy *policy, idp_check_report *report)
    IDP_NONNULL(1, 2, 4, 5);

#ifdef IDP_INTERNAL
/* Runs the single-image checks on pixels already loaded (upright RGB,
 * decoded with min_side = idp_check_decode_side(policy), as
 * idp_check_file does: another decode gives other values). info gives the
 * full-resolution size and metadata flags. */
idp_status idp_check_image(idp_ctx *ctx, const idp_image *img, const idp_image_info *info,
                           const idp_policy *policy, idp_check_report *report) IDP_WUR
    IDP_NONNULL(1, 2, 3, 4, 5);

/* Compares the perceptual hashes of n reports and adds a duplicate check
 * to each readable one: fail when another photo shows the same side of the
 * same document (or is the same photo). Two photos whose documents were
 * both found compare their documents' hashes, any other pair their
 * frames'. The value is the least distance to another photo (bits that
 * differ), `other` that photo's index. */
void idp_check_duplicates(idp_check_report *reports, size_t n, const idp_policy *policy)
    IDP_NONNULL(3);
#endif /* IDP_INTERNAL */

/* The result of check `id` in report, or NULL if it was not run. */
/* The duplicate check across the n reports (front and back, as checked
 * by idp_check_file), as idpack check adds it: each readable report gets
 * a duplicate result, failed when another photo shows the same side of
 * the same document; its `other` is that photo's index in reports. Fails
 * only when memory runs out. */
IDP_API idp_status idp_check_report_duplicates(idp_ctx *ctx, idp_check_report *const *reports,
                                               size_t n, const idp_policy *policy) IDP_WUR
    IDP_NONNULL(1, 4);

IDP_API const idp_check_result *idp_report_find(const idp_check_report *report, idp_check_id id)
    IDP_NONNULL(1);

/* Plain-language sentence for a result: what was found and what to do
 * ("The photo is blurred: hold the phone steady ..."). lang "en" or "it"
 * (anything else gives English). Writes at most size bytes, NUL-terminated. */
IDP_API void idp_check_describe(const idp_check_result *result, const char *lang, char *buf,
                                size_t size) IDP_NONNULL(1, 3);

/* The decimals a check's value or limit v is written with (idpack's JSON
 * and manifest.json): what the measurement can tell apart (pixels, bits,
 * days: 0; sharpness, megapixels: 1; shares: 3; colour: 4; exposure and
 * corners: 1 above 1, else 3). */
IDP_API int idp_check_decimals(idp_check_id id, double v);

/* Wipes what a report holds (the zone read on the document is personal
 * data) and leaves it empty, as idp_check_report_create gives it. */
IDP_API void idp_check_report_clear(idp_check_report *report) IDP_NONNULL(1);

/* How many parts the photo's file holds (pages of a TIFF or PDF, two
 * documents on a scanned page; idp_check_file_page reads one): 1 for a
 * plain photo, 0 when it could not be read. */
IDP_API uint32_t idp_check_report_pages(const idp_check_report *report) IDP_NONNULL(1);

/* The photo's format, "jpeg", "png", "heif", "tiff" or "pdf" (static), NULL
 * when it was not recognised. */
IDP_API const char *idp_check_report_format(const idp_check_report *report) IDP_NONNULL(1);

/* Why the photo's embedded colour profile was not used (static; its
 * colours were read as sRGB), NULL when there was none or it was used. */
IDP_API const char *idp_check_report_icc_ignored(const idp_check_report *report) IDP_NONNULL(1);

/* What the document finder found (idp_detect.h; borrowed from report,
 * found or not), NULL when it did not run (policy off, unreadable photo). */
IDP_API const idp_document *idp_check_report_detection(const idp_check_report *report)
    IDP_NONNULL(1);

/* Where the glare the glare check counted is on the photo: region i's
 * corners (TL, TR, BR, BL, in pixels of the photo as idp_check_report_size
 * gives it), largest first; false past the end. */
IDP_API size_t idp_check_report_glare_count(const idp_check_report *report) IDP_NONNULL(1);
IDP_API bool idp_check_report_glare_quad(const idp_check_report *report, size_t i,
                                         double quad[4][2]) IDP_NONNULL(1, 3);

/* The corner the corners check found covered (a finger, an object lying
 * on it; IDP_REASON_COVERED) into point, in the same pixels; false when
 * none was. */
IDP_API bool idp_check_report_covered(const idp_check_report *report, double point[2])
    IDP_NONNULL(1, 2);

/* The machine-readable zone read on the photo (idp_mrz.h; borrowed from
 * report, personal data), NULL when the policy does not read it or none
 * was found. */
IDP_API const idp_mrz *idp_check_report_mrz(const idp_check_report *report) IDP_NONNULL(1);

/* Makes dst (from idp_check_report_create) a copy of src, the zone read
 * included (personal data: wiped by idp_check_report_clear and _destroy);
 * dst's duplicate check can then be judged again without touching src
 * (idp_check_report_duplicates). */
IDP_API void idp_check_report_copy(idp_check_report *dst, const idp_check_report *src)
    IDP_NONNULL(1, 2);

#ifdef IDP_INTERNAL

/* v rounded to decimals places (half away from zero); v itself when it is
 * not finite or too large to scale exactly. Printed with 15 significant
 * digits (JSON_REAL_PRECISION(15)) it reads as rounded. */
double idp_round_decimals(double v, int decimals);
#endif /* IDP_INTERNAL */

#ifdef __cplusplus
}
#endif

#endif
