/* idp_policy: the thresholds of the photo checks. The defaults are the
 * calibrated values of docs/checks.md; a policy file (JSON) overrides any
 * of them. */
#ifndef IDP_POLICY_H
#define IDP_POLICY_H

#include "idp_ctx.h"

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Opaque to programs outside the library (it grows with every check):
 * idp_policy_create gives one with the defaults. */
typedef struct idp_policy idp_policy;

#ifdef IDP_INTERNAL
struct idp_policy {
    uint32_t measure_side; /* long side of the grey copy the checks measure */

    double resolution_fail; /* px across: fail below (150 DPI on ID-1) */
    double resolution_warn; /* px across: warn below (300 DPI on ID-1) */

    double sharpness_fail;       /* variance of the Laplacian: fail below */
    double sharpness_warn;       /* warn below, measured on the document found */
    double sharpness_frame_warn; /* warn below, measured on the whole frame (no document
                                  * found, or detection off): the background dilutes it */

    double exposure_dark_fail;   /* mean luma 0..255: fail below */
    double exposure_bright_fail; /* mean luma: fail above */
    double exposure_dark_warn;   /* mean luma: warn below */
    double exposure_bright_warn; /* mean luma: warn above */
    double shadow_clip_fail;     /* share of pixels with luma <= 5: fail above */
    double contrast_fail;        /* print spread (99th - 1st luma percentile): fail below */
    double contrast_warn;        /* print spread: warn below */

    double glare_warn; /* share of the document under specular highlights: warn above */
    double glare_fail; /* fail above */

    double colour_fail; /* share of the frame in a second colour: fail below (black and
                         * white, sepia: docs/checks.md) */
    double colour_warn; /* warn below (the same as colour_fail: no warn band) */

    double screenshot_flat_warn; /* share of perfectly flat blocks: "flat UI" above */
    double screenshot_noise;     /* grey levels: "no sensor noise" below, in the quietest
                                  * tenth of the unclipped blocks */

    uint32_t duplicate_max_distance;       /* hash bits (of 255) between the documents, or
                                            * between frames when a document is missing:
                                            * fail at or below */
    uint32_t duplicate_frame_max_distance; /* between the frames when both documents were
                                            * found: fail at or below (the same photo) */

    uint32_t detect;            /* 1: look for the document (checks document, corners); 0: the
                                 * whole frame is measured, as before detection existed */
    uint32_t document_required; /* 1: no document found fails `document` (build refuses
                                 * the photo); 0: it only warns (unusual documents) */
    double corners_margin;      /* corners: fail when a corner is nearer the frame's edge than
                                 * this share of its short side (or outside) */
    uint32_t mrz_read;          /* 1: read the machine-readable zone (the mrz result and the expiry
                                 * check); 0: do not (docs/mrz.md) */
    uint32_t mrz_name_match;    /* 1: build refuses a full_name that is not the zone's name
                                 * (compared the ICAO way); 0: the name is not compared */
    double sharpness_blur_mm;   /* the edges' blur (Gaussian sigma) in mm of the document:
                                 * fail above (docs/checks.md, "sharpness") */
};

/* Fills *policy with the calibrated defaults. */
void idp_policy_default(idp_policy *policy) IDP_NONNULL(1);
#endif /* IDP_INTERNAL */

/* A policy with the calibrated defaults. The caller owns *out and frees it
 * with idp_policy_destroy(). */
IDP_API idp_status idp_policy_create(idp_ctx *ctx, idp_policy **out) IDP_WUR IDP_NONNULL(1, 2);

/* Frees a policy; NULL is fine. */
IDP_API void idp_policy_destroy(idp_policy *policy);

/* Reads a JSON policy file and overrides the keys it names, e.g.
 * {"sharpness": {"fail": 40, "warn": 90}, "glare": {"warn": 0.02}}.
 * Unknown keys, wrong types and contradictory limits (fail above warn
 * where lower is worse, and so on) are errors naming the key. */
IDP_API idp_status idp_policy_load(idp_ctx *ctx, const char *path, idp_policy *policy) IDP_WUR
    IDP_NONNULL(1, 2, 3);

/* Whether checks read the machine-readable zone (the mrz result and the
 * expiry check; docs/mrz.md): on by default. */
IDP_API void idp_policy_set_mrz_read(idp_policy *policy, bool read) IDP_NONNULL(1);
IDP_API bool idp_policy_mrz_read(const idp_policy *policy) IDP_NONNULL(1);

/* The corners check fails when a corner is nearer the frame's edge than
 * this share of the photo's short side (or outside it). */
IDP_API double idp_policy_corners_margin(const idp_policy *policy) IDP_NONNULL(1);

#ifdef __cplusplus
}
#endif

#endif
