/* The photo checks: each turns one measurement into pass / warn / fail
 * against the policy, in the order of idp_check_id. */
#define _DEFAULT_SOURCE 1 /* localtime_r */
#include "idp_check.h"

#include "idp_date.h"
#include "idp_imghash.h"
#include "idp_blur.h"
#include "idp_colour_check.h"
#include "idp_docpixels.h"
#include "idp_exposure.h"
#include "idp_glare.h"
#include "idp_measure.h"
#include "idp_resize.h"
#include "idp_screen.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A quad as const (C11 does not convert double (*)[2] implicitly). */
#define CQ(q) ((const double(*)[2])(q))

/* A result with no measurement (JSON null). */
#define NO_VALUE ((double)NAN)

static size_t find_index(const idp_check_report *report, idp_check_id id)
{
    size_t i;

    for (i = 0; i < report->n_checks && i < IDP_CHECK_COUNT; i++)
        if (report->checks[i].id == id)
            break;
    return i;
}

const idp_check_result *idp_report_find(const idp_check_report *report, idp_check_id id)
{
    size_t i = find_index(report, id);

    return i < report->n_checks && i < IDP_CHECK_COUNT ? &report->checks[i] : NULL;
}

/* Adds (or replaces) the result of check id; results stay in id order. */
static idp_check_result *add_check(idp_check_report *r, idp_check_id id, idp_check_status status,
                                   idp_check_reason reason, double value, double limit)
{
    size_t at = find_index(r, id);
    idp_check_result *c;

    if (at < r->n_checks) {
        c = &r->checks[at];
    } else {
        at = r->n_checks;
        if (at >= IDP_CHECK_COUNT)
            return NULL;
        while (at > 0 && r->checks[at - 1].id > id) {
            r->checks[at] = r->checks[at - 1];
            at--;
        }
        c = &r->checks[at];
        r->n_checks++;
    }
    c->id = id;
    c->status = status;
    c->reason = reason;
    c->value = value;
    c->limit = limit;
    c->other = -1;
    return c;
}

static void update_verdict(idp_check_report *r)
{
    idp_verdict v = IDP_VERDICT_PASS;

    if (r->verdict == IDP_VERDICT_ERROR)
        return;
    for (size_t i = 0; i < r->n_checks; i++) {
        if (r->checks[i].status == IDP_CHECK_FAIL)
            v = IDP_VERDICT_FAIL;
        else if (r->checks[i].status == IDP_CHECK_WARN && v == IDP_VERDICT_PASS)
            v = IDP_VERDICT_WARN;
    }
    r->verdict = v;
}

/* Lower is worse: fail below fail_at, warn below warn_at. */
static void judge_low(idp_check_report *r, idp_check_id id, double value, double fail_at,
                      double warn_at)
{
    if (value < fail_at)
        add_check(r, id, IDP_CHECK_FAIL, IDP_REASON_LOW, value, fail_at);
    else if (value < warn_at)
        add_check(r, id, IDP_CHECK_WARN, IDP_REASON_LOW, value, warn_at);
    else
        add_check(r, id, IDP_CHECK_PASS, IDP_REASON_OK, value, warn_at);
}

/* The luma at which a legible document's lightest print shows it was lit
 * enough, however dark its mean: mid-scale (docs/checks.md, "Round 11: the
 * checks"). */
#define DARK_DOC_PAPER 128.0

/* Exposure judged on whether the print can be read (idp_exposure.h): the
 * mean only at its extremes, then the spread between ink and paper. */
static void judge_exposure(idp_check_report *r, const idp_exposure *e, const idp_readability *rd,
                           const idp_policy *p)
{
    const double m = e->mean_luma, c = rd->spread;
    /* faint print: in a dark photo more light helps, in a washed-out one less */
    const idp_check_reason faint = m < 128 ? IDP_REASON_FAINT_DARK : IDP_REASON_FAINT_BRIGHT;
    /* print that spans the contrast ICAO asks of OCR print can be read
     * however dark the document is (a dark cover with light print): the
     * mean then warns but does not fail (docs/checks.md, "exposure") */
    const bool legible = c >= p->contrast_warn;
    /* ... and when such a document's lightest print (the 99th percentile)
     * reaches mid-scale, the light was enough: its dark mean is its colour
     * (a passport cover: gold lettering at 145-159), not the light's (the
     * dark photos read 21-33 there); no warning (round 11) */
    const bool dark_colour = legible && rd->paper >= DARK_DOC_PAPER;

    if (m < p->exposure_dark_fail && !legible)
        add_check(r, IDP_CHECK_EXPOSURE, IDP_CHECK_FAIL, IDP_REASON_DARK, m, p->exposure_dark_fail);
    else if (m > p->exposure_bright_fail)
        add_check(r, IDP_CHECK_EXPOSURE, IDP_CHECK_FAIL, IDP_REASON_BRIGHT, m,
                  p->exposure_bright_fail);
    else if (e->shadow_clip > p->shadow_clip_fail)
        add_check(r, IDP_CHECK_EXPOSURE, IDP_CHECK_FAIL, IDP_REASON_SHADOWS, e->shadow_clip,
                  p->shadow_clip_fail);
    else if (c < p->contrast_fail)
        add_check(r, IDP_CHECK_EXPOSURE, IDP_CHECK_FAIL, faint, c, p->contrast_fail);
    else if (m < p->exposure_dark_warn && !dark_colour)
        add_check(r, IDP_CHECK_EXPOSURE, IDP_CHECK_WARN, IDP_REASON_DARK, m, p->exposure_dark_warn);
    else if (m > p->exposure_bright_warn)
        add_check(r, IDP_CHECK_EXPOSURE, IDP_CHECK_WARN, IDP_REASON_BRIGHT, m,
                  p->exposure_bright_warn);
    else if (c < p->contrast_warn)
        add_check(r, IDP_CHECK_EXPOSURE, IDP_CHECK_WARN, faint, c, p->contrast_warn);
    else /* the limit reported is the nearer of the two warn limits */
        add_check(r, IDP_CHECK_EXPOSURE, IDP_CHECK_PASS, IDP_REASON_OK, m,
                  m - p->exposure_dark_warn < p->exposure_bright_warn - m
                      ? p->exposure_dark_warn
                      : p->exposure_bright_warn);
}

/* The limits are shares of an ID-1 card (docs/checks.md, "glare"): what
 * a reflection hides is a physical area of print, so on a larger document
 * (an ID-3 page) the same area is a smaller share of it. */
static void judge_glare(idp_check_report *r, double share, const idp_policy *p)
{
    const double id1 = idp_glare_doc_area(true, IDP_DOC_ID1, IDP_MRZ_NONE);
    const double area = idp_glare_doc_area(r->document.found, r->document.kind,
                                           r->has_mrz ? r->mrz.format : IDP_MRZ_NONE);
    const double a = id1 / area, fail = p->glare_fail * a, warn = p->glare_warn * a;

    if (share > fail)
        add_check(r, IDP_CHECK_GLARE, IDP_CHECK_FAIL, IDP_REASON_HIGH, share, fail);
    else if (share > warn)
        add_check(r, IDP_CHECK_GLARE, IDP_CHECK_WARN, IDP_REASON_HIGH, share, warn);
    else
        add_check(r, IDP_CHECK_GLARE, IDP_CHECK_PASS, IDP_REASON_OK, share, warn);
}

/* docs/checks.md, "screenshot": camera data rules it out (a screenshot has
 * no exposure data); else the pixels decide: a status bar with flat,
 * noiseless pixels fails; one of: a status bar, flat and noiseless pixels,
 * a screen's exact size with noiseless pixels, warns. A screen size alone
 * (messaging apps strip EXIF from every camera photo) passes. */
static void judge_screenshot(idp_check_report *r, const idp_image_info *info,
                             const idp_screen_evidence *s, const idp_policy *p)
{
    const double lim = p->screenshot_flat_warn;
    const bool flat = s->flat > lim;
    const bool quiet = s->quiet_noise < p->screenshot_noise; /* NaN: false */

    if (info->has_camera)
        add_check(r, IDP_CHECK_SCREENSHOT, IDP_CHECK_PASS, IDP_REASON_OK, s->flat, lim);
    else if (s->status_bar && flat && quiet)
        add_check(r, IDP_CHECK_SCREENSHOT, IDP_CHECK_FAIL, IDP_REASON_SCREEN_BARS, s->flat, lim);
    else if (s->status_bar)
        add_check(r, IDP_CHECK_SCREENSHOT, IDP_CHECK_WARN, IDP_REASON_SCREEN_BARS, s->flat, lim);
    else if (flat && quiet)
        add_check(r, IDP_CHECK_SCREENSHOT, IDP_CHECK_WARN, IDP_REASON_RENDERED, s->flat, lim);
    else if (quiet && idp_is_screen_size(info->width, info->height))
        add_check(r, IDP_CHECK_SCREENSHOT, IDP_CHECK_WARN, IDP_REASON_SCREEN_SIZE, s->flat, lim);
    else
        add_check(r, IDP_CHECK_SCREENSHOT, IDP_CHECK_PASS, IDP_REASON_OK, s->flat, lim);
}

/* No colour seen, and too little of what was measured bright enough to
 * show one (luma >= 32 on under 5 % of it). */
static bool too_dark_to_tell(const idp_colour_stats *c, const idp_policy *p)
{
    return c->second < p->colour_fail && c->tint_share < IDP_COLOUR_TINT_MIN && c->samples > 0 &&
           c->lit < IDP_COLOUR_LIT_MIN;
}

/* docs/checks.md, "colour": fail when no part of the frame carries a
 * colour its brightness does not predict, and no area carries a faint
 * tint it does not predict (tinted blocks); grey or toned by the spread;
 * only warn when too little of the frame is bright enough to show one
 * and the document, when found and well exposed, shows none either. */
static void judge_colour(idp_check_report *r, const idp_colour_stats *c, const idp_policy *p)
{
    const idp_check_reason mono = c->spread < IDP_COLOUR_GREY ? IDP_REASON_GREY : IDP_REASON_TONED;

    if (c->second < p->colour_fail && c->tint_share >= IDP_COLOUR_TINT_MIN)
        add_check(r, IDP_CHECK_COLOUR, IDP_CHECK_PASS, IDP_REASON_OK, c->tint_share,
                  IDP_COLOUR_TINT_MIN); /* a faint tint over an area: a colour photo */
    else if (too_dark_to_tell(c, p))
        add_check(r, IDP_CHECK_COLOUR, IDP_CHECK_WARN, IDP_REASON_COLOUR_DARK, c->lit,
                  IDP_COLOUR_LIT_MIN); /* too dark to tell: exposure says why */
    else if (c->second < p->colour_fail)
        add_check(r, IDP_CHECK_COLOUR, IDP_CHECK_FAIL, mono, c->second, p->colour_fail);
    else if (c->second < p->colour_warn)
        add_check(r, IDP_CHECK_COLOUR, IDP_CHECK_WARN, mono, c->second, p->colour_warn);
    else
        add_check(r, IDP_CHECK_COLOUR, IDP_CHECK_PASS, IDP_REASON_OK, c->second, p->colour_warn);
}

/* The blur width is read in pixels of the copy measured, where it has a
 * floor: the photos that must pass read 0.22-0.69 px of blur on the 1000 px
 * copy at any scale (upscaled specimens, the camera, JPEG, the sampling).
 * The copy resolves the 0.3 mm limit when that floor is at most half of it:
 * BLUR_PX_PER_MM pixels per mm of the document (an ID-1 card 394 px across,
 * ID-3 575). A smaller document is read again on the decode's pixels (2-2.4
 * times finer for a photo over 2000 px), at most IDP_DOCUMENT_FINE_SIDE px on the
 * photo's long side (docs/checks.md, "Round 10: the checks"). */
#define BLUR_PX_PER_MM (0.69 / 0.15)

/* The edges' blur in mm of the document (docs/checks.md, "sharpness"):
 * measured on measured, the document across `across` px of the full size
 * w x h (grey's scale: the copy measured), or, with no document (0), the
 * least it can be (an ID-1 card as wide as the frame); on img's pixels
 * when grey's are too coarse (above). Fails what the Laplacian let pass
 * when it is wider than the policy's. */
static idp_status judge_blur(idp_ctx *ctx, idp_check_report *r, const idp_image *measured,
                             const idp_image *grey, const idp_image *img, double across, uint32_t w,
                             uint32_t h, const idp_policy *p)
{
    const idp_check_result *c = idp_report_find(r, IDP_CHECK_SHARPNESS);
    const double mm = r->document.found ? idp_doc_width_mm(r->document.kind) : 85.6;
    const idp_image *m = measured;
    idp_image *fine = NULL;
    idp_status st = IDP_OK;
    double px_across = across * grey->width / w;
    idp_blur b;

    if (c == NULL || c->status == IDP_CHECK_FAIL)
        return IDP_OK;
    if (across <= 0)
        px_across = measured->width > measured->height ? measured->width : measured->height;
    else if (px_across < BLUR_PX_PER_MM * mm && img->width > grey->width) {
        idp_document on_img = r->document; /* full size: to img's pixels */
        double scale;
        idp_document_scale(&on_img, (double)img->width / w, (double)img->height / h);
        st = idp_document_fine(ctx, img, CQ(on_img.quad), &fine, &scale);
        if (st != IDP_OK)
            goto out;
        if (fine != NULL) {
            m = fine;
            px_across = across * img->width / w * scale;
        }
    }
    idp_measure_blur(m, &b);
    const double sigma_mm = idp_blur_sharp_sigma(b.sigma_px) * mm / px_across;
    if (sigma_mm > p->sharpness_blur_mm)
        add_check(r, IDP_CHECK_SHARPNESS, IDP_CHECK_FAIL, IDP_REASON_BLUR_WIDTH, sigma_mm,
                  p->sharpness_blur_mm);
out:
    idp_image_destroy(fine);
    return st;
}

/* document and corners from r->document, as detected on img; *measure set
 * to the document's pixels when found (NULL: measure the whole frame). */
static idp_status judge_document(idp_ctx *ctx, idp_check_report *r, const idp_image *img,
                                 const idp_image *grey, uint32_t w, uint32_t h, const idp_policy *p,
                                 idp_image **measure)
{
    idp_document *doc = &r->document, on_grey, on_img;
    idp_status st;

    *measure = NULL;
    if (!doc->found) { /* a photo for Amazon without an ID in it is no use */
        const idp_check_status missing = p->document_required ? IDP_CHECK_FAIL : IDP_CHECK_WARN;
        /* what was found is print on a document the frame cuts off
         * (docs/detection.md, round 24): the document is there, cut off */
        add_check(r, IDP_CHECK_DOCUMENT, missing,
                  doc->cut_off ? IDP_REASON_CUT_OFF : IDP_REASON_NOT_FOUND, NO_VALUE, NO_VALUE);
        /* corners asks that all four be seen; with no document found none
         * was (docs/checks.md, "Round 26: corners when nothing is found"):
         * not "cut off", which an empty desk is not, but not seen, as
         * severe as the missing document */
        if (doc->cut_off)
            add_check(r, IDP_CHECK_CORNERS, IDP_CHECK_FAIL, IDP_REASON_CUT_OFF, NO_VALUE, NO_VALUE);
        else
            add_check(r, IDP_CHECK_CORNERS, missing, IDP_REASON_NOT_FOUND, NO_VALUE, NO_VALUE);
        return IDP_OK;
    }
    on_img = *doc;
    on_grey = *doc;
    idp_document_scale(&on_grey, (double)grey->width / img->width,
                       (double)grey->height / img->height);
    st = idp_document_pixels(ctx, grey, CQ(on_grey.quad), measure);
    if (st != IDP_OK)
        return st;
    /* straight from the image's pixels to the full size, as
     * idp_normalize_file does: the same crop from the same numbers */
    idp_document_scale(doc, (double)w / img->width, (double)h / img->height);
    add_check(r, IDP_CHECK_DOCUMENT, IDP_CHECK_PASS, IDP_REASON_OK, doc->aspect,
              idp_doc_aspect(doc->kind));
    /* corners: the least distance of a corner to the frame's edge */
    const double margin = p->corners_margin * (w < h ? w : h);
    double least = HUGE_VAL;
    for (int i = 0; i < 4; i++) {
        const double x = doc->quad[i][0], y = doc->quad[i][1];
        least = fmin(least, fmin(fmin(x, y), fmin((double)w - x, (double)h - y)));
    }
    if (doc->scan) { /* the document is the whole image: its edges are the frame's */
        add_check(r, IDP_CHECK_CORNERS, IDP_CHECK_PASS, IDP_REASON_OK, least, margin);
        return IDP_OK;
    }
    if (least < margin) {
        add_check(r, IDP_CHECK_CORNERS, IDP_CHECK_FAIL, IDP_REASON_CUT_OFF, least, margin);
        return IDP_OK;
    }
    /* inside the frame: is each corner seen, or hidden under a finger or
     * an object (on img, in colour: skin on a card is a colour step)? A
     * side that goes on past a corner to the frame's edge: what was found
     * is a box printed on a document that runs out of the photo. */
    idp_corner_view view;
    idp_corners_view(img, &on_img, &view);
    if (view.runs_out)
        add_check(r, IDP_CHECK_CORNERS, IDP_CHECK_FAIL, IDP_REASON_CUT_OFF, least, margin);
    else if (view.worst >= 0) {
        add_check(r, IDP_CHECK_CORNERS, IDP_CHECK_FAIL, IDP_REASON_COVERED,
                  view.support[view.worst], IDP_CORNER_SUPPORT_MIN);
        r->has_covered = true; /* doc is on_img's quad at full size, in its order */
        r->covered[0] = doc->quad[view.worst][0];
        r->covered[1] = doc->quad[view.worst][1];
    } else
        add_check(r, IDP_CHECK_CORNERS, IDP_CHECK_PASS, IDP_REASON_OK, least, margin);
    return IDP_OK;
}

/* Document detection on a thread of its own, while the frame is measured,
 * when the caller's context allows two threads: on two cores that hides
 * the measurements behind it. Then, while the
 * document's pixels are measured (none of it depends on which way up the
 * document is), the same thread context reads which way up it is. */
typedef struct detect_job {
    idp_ctx *ctx; /* its own: a context is not shared between threads */
    const idp_image *img;
    idp_document doc;
    bool upright; /* the second step: idp_document_upright on doc */
    idp_status st;
} detect_job;

static void job_run(detect_job *job, idp_ctx *ctx)
{
    if (job->upright)
        job->st = idp_document_upright(ctx, job->img, &job->doc);
    else /* in colour: idp_detect.h */
        job->st = idp_detect_outline(ctx, job->img, &job->doc);
}

static void *detect_run(void *arg)
{
    detect_job *job = arg;
    job_run(job, job->ctx);
    return NULL;
}

/* Runs the job's next step on a thread of its own; where there is no
 * thread, here and now (on the job's context, or ctx if it has none). */
static bool job_start(idp_ctx *ctx, detect_job *job, pthread_t *thread)
{
    if (job->ctx != NULL && pthread_create(thread, NULL, detect_run, job) == 0)
        return true;
    job_run(job, job->ctx != NULL ? job->ctx : ctx);
    return false;
}

/* The job's status in ctx (its message copied from the job's context). */
static idp_status job_status(idp_ctx *ctx, const detect_job *job)
{
    if (job->st == IDP_OK || job->ctx == NULL)
        return job->st;
    return idp_fail(ctx, job->st, "%s", idp_ctx_error(job->ctx));
}

/* The measurements of the whole frame (they do not depend on the
 * document): the grey copy (from img) and what is measured on it, and the
 * colour of work, the working copy (see working_copy). */
static idp_status measure_frame(idp_ctx *ctx, const idp_image *img, const idp_image *work,
                                const idp_policy *policy, idp_image **grey,
                                idp_colour_stats *colour, idp_screen_evidence *screen,
                                idp_hash256 *phash)
{
    idp_status st = idp_measure_grey(ctx, img, policy->measure_side, grey);
    if (st != IDP_OK)
        return st;
    idp_measure_colour(work, colour); /* grey pixels (1 channel) measure 0 */
    idp_measure_screen(*grey, screen);
    return idp_hash_frame(ctx, *grey, phash);
}

/* Too little of the frame is lit to tell colour from black and white, but
 * the document is found and well exposed (a card on a dark desk): its
 * colour is read where the light is, on the document's bounding box in
 * work, and judged as the frame's would be (docs/checks.md, "colour"),
 * when at least IDP_COLOUR_LIT_MIN of the box is lit; else the frame's
 * measure stands (too dark to tell). */
static void colour_on_document(const idp_check_report *r, const idp_image *work, uint32_t w,
                               uint32_t h, idp_colour_stats *colour)
{
    const double kx = (double)work->width / w, ky = (double)work->height / h;
    double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
    idp_colour_box box;
    idp_colour_stats on_box;

    for (int i = 0; i < 4; i++) {
        const double x = r->document.quad[i][0] * kx, y = r->document.quad[i][1] * ky;
        lo[0] = fmin(lo[0], x);
        hi[0] = fmax(hi[0], x);
        lo[1] = fmin(lo[1], y);
        hi[1] = fmax(hi[1], y);
    }
    box.x0 = (uint32_t)fmax(0.0, floor(lo[0]));
    box.y0 = (uint32_t)fmax(0.0, floor(lo[1]));
    box.x1 = (uint32_t)fmin((double)work->width, fmax(0.0, ceil(hi[0])));
    box.y1 = (uint32_t)fmin((double)work->height, fmax(0.0, ceil(hi[1])));
    idp_measure_colour_box(work, &box, &on_box);
    if (on_box.samples > 0 && on_box.lit >= IDP_COLOUR_LIT_MIN)
        *colour = on_box;
}

/* The duplicate hash of the document, upright and straightened: its quad
 * (full size, w x h) on the grey copy. */
static idp_status hash_document(idp_ctx *ctx, idp_check_report *r, const idp_image *grey,
                                uint32_t w, uint32_t h)
{
    idp_document on_grey = r->document;
    idp_status st;

    idp_document_scale(&on_grey, (double)grey->width / w, (double)grey->height / h);
    st = idp_hash_quad(ctx, grey, CQ(on_grey.quad), &r->doc_hash);
    r->has_doc_hash = st == IDP_OK;
    return st;
}

/* The copy the document is looked for and read on, and colour measured
 * on: img area-averaged to IDP_DETECT_WORK_SIDE (1000 px) on its long side
 * (never enlarged), whatever scale the photo was decoded at. The
 * finder, the corner test, the orientation step and the colour measure
 * were calibrated on photos of that size; on the 2000 px decode the checks
 * share with build they would see another picture (finer grain, letters
 * twice as many pixels tall) and take twice the time. *work is img itself
 * or *owned (the caller destroys it). */
static idp_status working_copy(idp_ctx *ctx, const idp_image *img, const idp_image **work,
                               idp_image **owned)
{
    uint32_t w, h;

    *work = img;
    *owned = NULL;
    idp_fit_size(img->width, img->height, IDP_DETECT_WORK_SIDE, &w, &h);
    if (w >= img->width && h >= img->height)
        return IDP_OK;
    idp_status st = idp_resize_down(ctx, img, w ? w : 1, h ? h : 1, owned);
    if (st == IDP_OK)
        *work = *owned;
    return st;
}

/* The seller's day (YYYY-MM-DD) the expiry is judged against: the one
 * the caller set on ctx (idp_ctx_set_today), else the local day of now. */
static void seller_today(const idp_ctx *ctx, char iso[11])
{
    char zone[32];

    if (idp_ctx_today(ctx) != NULL)
        memcpy(iso, idp_ctx_today(ctx), 11);
    else
        idp_local_day((int64_t)time(NULL), iso, zone, sizeof(zone));
}

/* Reads the machine-readable zone on the decoded photo (the document
 * straightened through its quad, scaled from the full size w x h to img)
 * and judges expiry from it. No zone, or an expiry whose check digit does
 * not validate: no expiry check. */
static idp_status judge_mrz(idp_ctx *ctx, idp_check_report *r, const idp_image *img, uint32_t w,
                            uint32_t h)
{
    idp_mrz_reader *rd = NULL;
    idp_document doc = r->document;
    char expiry[11], today[11];
    bool found = false;
    idp_status st = idp_mrz_reader_create(ctx, &rd);
    if (st != IDP_OK) /* no OCR model installed: the photo is still checked */
        return IDP_OK;
    idp_document_scale(&doc, (double)img->width / w, (double)img->height / h);
    st = idp_mrz_read(ctx, rd, img, &doc, true, &r->mrz, &found);
    idp_mrz_reader_destroy(rd);
    if (st != IDP_OK || !found) {
        idp_mrz_wipe(&r->mrz);
        return st;
    }
    r->has_mrz = true;
    for (size_t i = 0; i < r->mrz.n_checks; i++) {
        const idp_mrz_check *c = &r->mrz.checks[i];
        if (c->id != IDP_MRZ_CHECK_EXPIRY || !c->valid || !idp_mrz_expiry_iso(&r->mrz, expiry))
            continue;
        seller_today(ctx, today);
        const long days = idp_date_days_between(today, expiry);
        if (days < 0)
            add_check(r, IDP_CHECK_EXPIRY, IDP_CHECK_FAIL, IDP_REASON_EXPIRED, (double)days, 0);
        else
            add_check(r, IDP_CHECK_EXPIRY, IDP_CHECK_PASS, IDP_REASON_OK, (double)days, 0);
    }
    return IDP_OK;
}

idp_status idp_check_image(idp_ctx *ctx, const idp_image *img, const idp_image_info *info,
                           const idp_policy *policy, idp_check_report *report)
{
    const idp_limits *lim = idp_ctx_limits(ctx);
    idp_image *grey = NULL, *docpx = NULL, *owned = NULL;
    const idp_image *measured, *work = img;
    idp_exposure e;
    idp_colour_stats colour;
    idp_screen_evidence screen;
    idp_readability rd;
    idp_glare glare;
    double across;
    idp_hash256 phash;
    uint32_t w = info->width ? info->width : img->width;
    uint32_t h = info->height ? info->height : img->height;
    detect_job job;
    pthread_t thread;
    bool threaded = false, upright_running = false;
    idp_status st;

    memset(report, 0, sizeof(*report));
    memset(&job, 0, sizeof(job));
    memset(&phash, 0, sizeof(phash));
    memset(&colour, 0, sizeof(colour));
    memset(&screen, 0, sizeof(screen));
    report->info = *info;
    report->info.width = w;
    report->info.height = h;
    report->load_status = IDP_OK;
    st = working_copy(ctx, img, &work, &owned);
    if (st != IDP_OK)
        goto out;
    if (policy->detect) {
        job.img = work;
        /* a thread of its own only when ctx allows two (idp_ctx_set_threads);
         * else job.ctx stays NULL and the job runs here */
        if (idp_ctx_threads(ctx) >= 2 && idp_ctx_create(&job.ctx) == IDP_OK)
            idp_ctx_set_limits(job.ctx, lim);
        threaded = job_start(ctx, &job, &thread);
    }
    st = measure_frame(ctx, img, work, policy, &grey, &colour, &screen, &phash);
    if (policy->detect) {
        if (threaded)
            pthread_join(thread, NULL);
        if (st == IDP_OK)
            st = job_status(ctx, &job);
        report->document = job.doc;
        if (st == IDP_OK && job.doc.found) { /* which way up, while the pixels are measured */
            job.upright = true;
            threaded = job_start(ctx, &job, &thread);
            upright_running = true;
        }
    }
    if (st != IDP_OK)
        goto out;
    if (policy->detect) {
        st = judge_document(ctx, report, work, grey, w, h, policy, &docpx);
        if (st != IDP_OK)
            goto out;
    }
    measured = docpx != NULL ? docpx : grey;
    idp_measure_exposure(measured, &e);
    idp_measure_readability(measured, &rd);
    st = idp_measure_glare(ctx, measured, &glare);
    if (st != IDP_OK)
        goto out;
    report->n_glare = idp_glare_map(&glare, measured->width, measured->height,
                                    docpx != NULL ? CQ(report->document.quad) : NULL, w, h,
                                    report->glare, IDP_GLARE_MAX_BLOBS);
    across = w > h ? w : h;
    if (docpx != NULL) { /* pixels across the straightened document */
        double ss;
        idp_quad_sides(CQ(report->document.quad), &across, &ss);
    }

    add_check(report, IDP_CHECK_DECODE, IDP_CHECK_PASS, IDP_REASON_OK, NO_VALUE, NO_VALUE);
    add_check(report, IDP_CHECK_LIMITS, IDP_CHECK_PASS, IDP_REASON_OK, (double)w * h / 1e6,
              (double)lim->max_pixels / 1e6);
    judge_low(report, IDP_CHECK_RESOLUTION, round(across), policy->resolution_fail,
              policy->resolution_warn);
    judge_low(report, IDP_CHECK_SHARPNESS, idp_measure_sharpness(measured), policy->sharpness_fail,
              docpx != NULL ? policy->sharpness_warn : policy->sharpness_frame_warn);
    st = judge_blur(ctx, report, measured, grey, img, docpx != NULL ? across : 0, w, h, policy);
    if (st != IDP_OK)
        goto out;
    judge_exposure(report, &e, &rd, policy);
    if (docpx != NULL) { /* the share of the document, not of the rectangle measured */
        idp_document on_grey = report->document;
        idp_document_scale(&on_grey, (double)grey->width / w, (double)grey->height / h);
        double qa = 0; /* shoelace */
        for (int i = 0; i < 4; i++)
            qa += 0.5 * (on_grey.quad[i][0] * on_grey.quad[(i + 1) % 4][1] -
                         on_grey.quad[(i + 1) % 4][0] * on_grey.quad[i][1]);
        qa = fabs(qa);
        if (qa > 0)
            glare.share *= (double)docpx->width * docpx->height / qa;
    }
    judge_glare(report, glare.share, policy);
    if (docpx != NULL && too_dark_to_tell(&colour, policy) &&
        idp_report_find(report, IDP_CHECK_EXPOSURE)->status == IDP_CHECK_PASS)
        colour_on_document(report, work, w, h, &colour);
    judge_colour(report, &colour, policy);
    judge_screenshot(report, info, &screen, policy);
    report->phash = phash;
    report->has_phash = true;
    if (upright_running) {
        upright_running = false;
        if (threaded)
            pthread_join(thread, NULL);
        st = job_status(ctx, &job);
        if (st != IDP_OK)
            goto out;
        /* its quad (in img's pixels, maybe turned) to the full size, as
         * judge_document scaled the outline */
        report->document.upright = job.doc.upright;
        report->document.portrait = job.doc.portrait;
        memcpy(report->document.quad, job.doc.quad, sizeof(job.doc.quad));
        idp_document_scale(&report->document, (double)w / work->width, (double)h / work->height);
    }
    if (docpx != NULL) {
        st = hash_document(ctx, report, grey, w, h);
        if (st != IDP_OK)
            goto out;
    }
    if (policy->mrz_read) {
        st = judge_mrz(ctx, report, img, w, h);
        if (st != IDP_OK)
            goto out;
        judge_glare(report, glare.share, policy); /* again, with the zone's size */
    }
    update_verdict(report);
out:
    if (st != IDP_OK) { /* the photo could not be measured (memory, as a rule) */
        report->verdict = IDP_VERDICT_ERROR;
        report->load_status = st;
    }
    if (upright_running && threaded) /* an error on the way: its answer is not needed */
        pthread_join(thread, NULL);
    idp_ctx_destroy(job.ctx);
    idp_image_destroy(docpx);
    idp_image_destroy(grey);
    idp_image_destroy(owned);
    return st;
}

uint32_t idp_check_decode_side(const idp_policy *policy)
{
    return policy->measure_side > IDP_CHECK_DECODE_SIDE ? policy->measure_side
                                                        : IDP_CHECK_DECODE_SIDE;
}

idp_status idp_check_file(idp_ctx *ctx, const char *path, const idp_policy *policy,
                          idp_check_report *report)
{
    return idp_check_file_page(ctx, path, 0, policy, report);
}

idp_status idp_check_file_page(idp_ctx *ctx, const char *path, uint32_t page,
                               const idp_policy *policy, idp_check_report *report)
{
    idp_load_opts opts;
    idp_image_info info;
    idp_image *img = NULL;
    idp_status st;

    memset(&opts, 0, sizeof(opts));
    memset(&info, 0, sizeof(info));
    opts.min_side = idp_check_decode_side(policy);
    opts.page = page;
    st = idp_load_file(ctx, path, &opts, &img, &info);
    if (st == IDP_OK) {
        st = idp_check_image(ctx, img, &info, policy, report);
        goto out;
    }
    memset(report, 0, sizeof(*report));
    report->info = info;
    report->load_status = st;
    report->verdict = IDP_VERDICT_ERROR;
    if (st == IDP_E_LIMITS) {
        const idp_limits *lim = idp_ctx_limits(ctx);
        const double mp = (double)info.stored_width * info.stored_height / 1e6;
        /* Within the size limits yet refused: what decoding would cost. */
        bool cost = info.stored_width > 0 && info.stored_width <= lim->max_side &&
                    info.stored_height <= lim->max_side && mp * 1e6 <= (double)lim->max_pixels &&
                    info.file_bytes <= lim->max_file_bytes;
        add_check(report, IDP_CHECK_LIMITS, IDP_CHECK_FAIL,
                  cost ? IDP_REASON_DECODE_COST : IDP_REASON_TOO_LARGE, mp > 0 ? mp : NO_VALUE,
                  (double)lim->max_pixels / 1e6);
    } else {
        add_check(report, IDP_CHECK_DECODE, IDP_CHECK_FAIL, IDP_REASON_UNREADABLE, NO_VALUE,
                  NO_VALUE);
    }
out:
    if (st != IDP_OK) /* failed while measuring (out of memory): no verdict */
        report->verdict = IDP_VERDICT_ERROR;
    idp_image_destroy(img);
    return st;
}

/* Whether photos a and b are the same side of the document, and the
 * distance (bits that differ) and limit that decided it. When both
 * documents were found, their hashes are compared (the table around them
 * does not count), and the frames too with a stricter limit: a frame that
 * near is the same photo re-saved, whatever the detection made of it. When
 * one or neither was found, the frames are compared, and the document of
 * one with the frame of the other (a scan is the document). */
static bool pair_same(const idp_check_report *a, const idp_check_report *b, const idp_policy *p,
                      unsigned *distance, unsigned *limit, idp_check_reason *reason)
{
    const unsigned frames = idp_hash_distance(&a->phash, &b->phash);

    if (a->has_doc_hash && b->has_doc_hash) {
        const unsigned docs = idp_hash_distance(&a->doc_hash, &b->doc_hash);
        if (docs > p->duplicate_max_distance && frames <= p->duplicate_frame_max_distance) {
            *distance = frames;
            *limit = p->duplicate_frame_max_distance;
            *reason = IDP_REASON_SAME_AS;
            return true;
        }
        *distance = docs;
        *limit = p->duplicate_max_distance;
        *reason = IDP_REASON_SAME_SIDE;
        return docs <= p->duplicate_max_distance;
    }
    *distance = frames;
    *limit = p->duplicate_max_distance;
    *reason = IDP_REASON_SAME_AS;
    if (a->has_doc_hash || b->has_doc_hash) {
        const unsigned cross = a->has_doc_hash ? idp_hash_distance(&a->doc_hash, &b->phash)
                                               : idp_hash_distance(&a->phash, &b->doc_hash);
        if (cross < frames) {
            *distance = cross;
            *reason = IDP_REASON_SAME_SIDE;
        }
    }
    return *distance <= *limit;
}

void idp_check_duplicates(idp_check_report *reports, size_t n, const idp_policy *policy)
{
    if (reports == NULL || n < 2)
        return;
    for (size_t i = 0; i < n; i++) {
        idp_check_report *r = &reports[i];
        unsigned best = 0, best_limit = 0;
        idp_check_reason best_reason = IDP_REASON_OK;
        bool found = false, best_same = false;
        size_t other = 0;
        idp_check_result *c;

        if (r->verdict == IDP_VERDICT_ERROR || !r->has_phash)
            continue;
        for (size_t j = 0; j < n; j++) {
            unsigned d, lim;
            idp_check_reason why;
            bool same;
            if (j == i || reports[j].verdict == IDP_VERDICT_ERROR || !reports[j].has_phash)
                continue;
            same = pair_same(r, &reports[j], policy, &d, &lim, &why);
            /* a photo it is the same as first, then the nearest */
            if (!found || (same && !best_same) || (same == best_same && d < best)) {
                found = true;
                best = d;
                best_limit = lim;
                best_reason = why;
                best_same = same;
                other = j;
            }
        }
        if (!found) /* no other readable photo to compare with */
            continue;
        if (best_same) {
            c = add_check(r, IDP_CHECK_DUPLICATE, IDP_CHECK_FAIL, best_reason, best, best_limit);
            if (c != NULL)
                c->other = (int)other;
        } else {
            add_check(r, IDP_CHECK_DUPLICATE, IDP_CHECK_PASS, IDP_REASON_OK, best, best_limit);
        }
        update_verdict(r);
    }
}
