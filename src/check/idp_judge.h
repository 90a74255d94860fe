/* idp_judge: the checks' judgements. Each turns what was measured on one
 * photo into a result in its report, against the policy (docs/checks.md);
 * idp_check.c measures the photo and calls them in the order of
 * idp_check_id. */
#ifndef IDP_JUDGE_H
#define IDP_JUDGE_H

#include "idp_check.h"
#include "idp_colour_check.h"
#include "idp_exposure.h"
#include "idp_measure.h"
#include "idp_screen.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

/* A result with no measurement (JSON null). */
#define IDP_NO_VALUE ((double)NAN)

/* Adds (or replaces) the result of check id; results stay in id order.
 * NULL only when the report is full. */
idp_check_result *idp_check_add(idp_check_report *r, idp_check_id id, idp_check_status status,
                                idp_check_reason reason, double value, double limit);

/* The verdict from the results: the worst status (an error stays). */
void idp_check_verdict(idp_check_report *r);

/* Lower is worse: fail below fail_at, warn below warn_at. */
void idp_judge_low(idp_check_report *r, idp_check_id id, double value, double fail_at,
                   double warn_at);

/* exposure: whether the print can be read (idp_exposure.h). */
void idp_judge_exposure(idp_check_report *r, const idp_exposure *e, const idp_readability *rd,
                        const idp_policy *p);

/* glare: the glared share of the document (of the frame when none was
 * found), its limits scaled by the document's size. */
void idp_judge_glare(idp_check_report *r, double share, const idp_policy *p);

/* screenshot: camera data, else the screen's evidence in the pixels. */
void idp_judge_screenshot(idp_check_report *r, const idp_image_info *info,
                          const idp_screen_evidence *s, const idp_policy *p);

/* No colour seen, and too little of what was measured lit to show one. */
bool idp_colour_too_dark(const idp_colour_stats *c, const idp_policy *p);

/* colour: a colour photo, black and white, toned, or too dark to tell. */
void idp_judge_colour(idp_check_report *r, const idp_colour_stats *c, const idp_policy *p);

/* *colour replaced by the measure of the document's bounding box in work
 * (the report's quad at the full size w x h) when that box is lit. */
void idp_colour_on_document(const idp_check_report *r, const idp_image *work, uint32_t w,
                            uint32_t h, idp_colour_stats *colour);

/* sharpness: fails when the edges' blur is wider than the policy's. */
idp_status idp_judge_blur(idp_ctx *ctx, idp_check_report *r, const idp_image *measured,
                          const idp_image *grey, const idp_image *img, double across, uint32_t w,
                          uint32_t h, const idp_policy *p);

/* document and corners from r->document, as detected on img; the quad
 * scaled to the full size w x h; *measure: the document's pixels on grey
 * when found (NULL: measure the whole frame). */
idp_status idp_judge_document(idp_ctx *ctx, idp_check_report *r, const idp_image *img,
                              const idp_image *grey, uint32_t w, uint32_t h, const idp_policy *p,
                              idp_image **measure);

/* expiry: read from the machine-readable zone on img, when there is one. */
idp_status idp_judge_mrz(idp_ctx *ctx, idp_check_report *r, const idp_image *img, uint32_t w,
                         uint32_t h);

#endif
