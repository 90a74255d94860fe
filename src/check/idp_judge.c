/* The checks' judgements (idp_judge.h): each turns one measurement into
 * pass / warn / fail against the policy. */
#include "idp_judge.h"

#include "idp_blur.h"
#include "idp_date.h"
#include "idp_docpixels.h"
#include "idp_glare.h"

#include <math.h>
#include <string.h>
#include <time.h>

/* A quad as const (C11 does not convert double (*)[2] implicitly). */
#define CQ(q) ((const double(*)[2])(q))

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
idp_check_result *idp_check_add(idp_check_report *r, idp_check_id id, idp_check_status status,
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

void idp_check_verdict(idp_check_report *r)
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
void idp_judge_low(idp_check_report *r, idp_check_id id, double value, double fail_at,
                   double warn_at)
{
    if (value < fail_at)
        idp_check_add(r, id, IDP_CHECK_FAIL, IDP_REASON_LOW, value, fail_at);
    else if (value < warn_at)
        idp_check_add(r, id, IDP_CHECK_WARN, IDP_REASON_LOW, value, warn_at);
    else
        idp_check_add(r, id, IDP_CHECK_PASS, IDP_REASON_OK, value, warn_at);
}

/* The luma at which a legible document's lightest print shows it was lit
 * enough, however dark its mean: mid-scale (docs/checks.md, "Round 11: the
 * checks"). */
#define DARK_DOC_PAPER 128.0

/* Exposure judged on whether the print can be read (idp_exposure.h): the
 * mean only at its extremes, then the spread between ink and paper. */
void idp_judge_exposure(idp_check_report *r, const idp_exposure *e, const idp_readability *rd,
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
        idp_check_add(r, IDP_CHECK_EXPOSURE, IDP_CHECK_FAIL, IDP_REASON_DARK, m,
                      p->exposure_dark_fail);
    else if (m > p->exposure_bright_fail)
        idp_check_add(r, IDP_CHECK_EXPOSURE, IDP_CHECK_FAIL, IDP_REASON_BRIGHT, m,
                      p->exposure_bright_fail);
    else if (e->shadow_clip > p->shadow_clip_fail)
        idp_check_add(r, IDP_CHECK_EXPOSURE, IDP_CHECK_FAIL, IDP_REASON_SHADOWS, e->shadow_clip,
                      p->shadow_clip_fail);
    else if (c < p->contrast_fail)
        idp_check_add(r, IDP_CHECK_EXPOSURE, IDP_CHECK_FAIL, faint, c, p->contrast_fail);
    else if (m < p->exposure_dark_warn && !dark_colour)
        idp_check_add(r, IDP_CHECK_EXPOSURE, IDP_CHECK_WARN, IDP_REASON_DARK, m,
                      p->exposure_dark_warn);
    else if (m > p->exposure_bright_warn)
        idp_check_add(r, IDP_CHECK_EXPOSURE, IDP_CHECK_WARN, IDP_REASON_BRIGHT, m,
                      p->exposure_bright_warn);
    else if (c < p->contrast_warn)
        idp_check_add(r, IDP_CHECK_EXPOSURE, IDP_CHECK_WARN, faint, c, p->contrast_warn);
    else /* the limit reported is the nearer of the two warn limits */
        idp_check_add(r, IDP_CHECK_EXPOSURE, IDP_CHECK_PASS, IDP_REASON_OK, m,
                      m - p->exposure_dark_warn < p->exposure_bright_warn - m
                          ? p->exposure_dark_warn
                          : p->exposure_bright_warn);
}

/* The limits are shares of an ID-1 card (docs/checks.md, "glare"): what
 * a reflection hides is a physical area of print, so on a larger document
 * (an ID-3 page) the same area is a smaller share of it. */
void idp_judge_glare(idp_check_report *r, double share, const idp_policy *p)
{
    const double id1 = idp_glare_doc_area(true, IDP_DOC_ID1, IDP_MRZ_NONE);
    const double area = idp_glare_doc_area(r->document.found, r->document.kind,
                                           r->has_mrz ? r->mrz.format : IDP_MRZ_NONE);
    const double a = id1 / area, fail = p->glare_fail * a, warn = p->glare_warn * a;

    if (share > fail)
        idp_check_add(r, IDP_CHECK_GLARE, IDP_CHECK_FAIL, IDP_REASON_HIGH, share, fail);
    else if (share > warn)
        idp_check_add(r, IDP_CHECK_GLARE, IDP_CHECK_WARN, IDP_REASON_HIGH, share, warn);
    else
        idp_check_add(r, IDP_CHECK_GLARE, IDP_CHECK_PASS, IDP_REASON_OK, share, warn);
}

/* docs/checks.md, "screenshot": camera data rules it out (a screenshot has
 * no exposure data); else the pixels decide: a status bar with flat,
 * noiseless pixels fails; one of: a status bar, flat and noiseless pixels,
 * a screen's exact size with noiseless pixels, warns. A screen size alone
 * (messaging apps strip EXIF from every camera photo) passes. */
void idp_judge_screenshot(idp_check_report *r, const idp_image_info *info,
                          const idp_screen_evidence *s, const idp_policy *p)
{
    const double lim = p->screenshot_flat_warn;
    const bool flat = s->flat > lim;
    const bool quiet = s->quiet_noise < p->screenshot_noise; /* NaN: false */

    if (info->has_camera)
        idp_check_add(r, IDP_CHECK_SCREENSHOT, IDP_CHECK_PASS, IDP_REASON_OK, s->flat, lim);
    else if (s->status_bar && flat && quiet)
        idp_check_add(r, IDP_CHECK_SCREENSHOT, IDP_CHECK_FAIL, IDP_REASON_SCREEN_BARS, s->flat,
                      lim);
    else if (s->status_bar)
        idp_check_add(r, IDP_CHECK_SCREENSHOT, IDP_CHECK_WARN, IDP_REASON_SCREEN_BARS, s->flat,
                      lim);
    else if (flat && quiet)
        idp_check_add(r, IDP_CHECK_SCREENSHOT, IDP_CHECK_WARN, IDP_REASON_RENDERED, s->flat, lim);
    else if (quiet && idp_is_screen_size(info->width, info->height))
        idp_check_add(r, IDP_CHECK_SCREENSHOT, IDP_CHECK_WARN, IDP_REASON_SCREEN_SIZE, s->flat,
                      lim);
    else
        idp_check_add(r, IDP_CHECK_SCREENSHOT, IDP_CHECK_PASS, IDP_REASON_OK, s->flat, lim);
}

/* No colour seen, and too little of what was measured bright enough to
 * show one (luma >= 32 on under 5 % of it). */
bool idp_colour_too_dark(const idp_colour_stats *c, const idp_policy *p)
{
    return c->second < p->colour_fail && c->tint_share < IDP_COLOUR_TINT_MIN && c->samples > 0 &&
           c->lit < IDP_COLOUR_LIT_MIN;
}

/* docs/checks.md, "colour": fail when no part of the frame carries a
 * colour its brightness does not predict, and no area carries a faint
 * tint it does not predict (tinted blocks); grey or toned by the spread;
 * only warn when too little of the frame is bright enough to show one
 * and the document, when found and well exposed, shows none either. */
void idp_judge_colour(idp_check_report *r, const idp_colour_stats *c, const idp_policy *p)
{
    const idp_check_reason mono = c->spread < IDP_COLOUR_GREY ? IDP_REASON_GREY : IDP_REASON_TONED;

    if (c->second < p->colour_fail && c->tint_share >= IDP_COLOUR_TINT_MIN)
        idp_check_add(r, IDP_CHECK_COLOUR, IDP_CHECK_PASS, IDP_REASON_OK, c->tint_share,
                      IDP_COLOUR_TINT_MIN); /* a faint tint over an area: a colour photo */
    else if (idp_colour_too_dark(c, p))
        idp_check_add(r, IDP_CHECK_COLOUR, IDP_CHECK_WARN, IDP_REASON_COLOUR_DARK, c->lit,
                      IDP_COLOUR_LIT_MIN); /* too dark to tell: exposure says why */
    else if (c->second < p->colour_fail)
        idp_check_add(r, IDP_CHECK_COLOUR, IDP_CHECK_FAIL, mono, c->second, p->colour_fail);
    else if (c->second < p->colour_warn)
        idp_check_add(r, IDP_CHECK_COLOUR, IDP_CHECK_WARN, mono, c->second, p->colour_warn);
    else
        idp_check_add(r, IDP_CHECK_COLOUR, IDP_CHECK_PASS, IDP_REASON_OK, c->second,
                      p->colour_warn);
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
idp_status idp_judge_blur(idp_ctx *ctx, idp_check_report *r, const idp_image *measured,
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
        idp_check_add(r, IDP_CHECK_SHARPNESS, IDP_CHECK_FAIL, IDP_REASON_BLUR_WIDTH, sigma_mm,
                      p->sharpness_blur_mm);
out:
    idp_image_destroy(fine);
    return st;
}

/* document and corners from r->document, as detected on img; *measure set
 * to the document's pixels when found (NULL: measure the whole frame). */
idp_status idp_judge_document(idp_ctx *ctx, idp_check_report *r, const idp_image *img,
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
        idp_check_add(r, IDP_CHECK_DOCUMENT, missing,
                      doc->cut_off ? IDP_REASON_CUT_OFF : IDP_REASON_NOT_FOUND, IDP_NO_VALUE,
                      IDP_NO_VALUE);
        /* corners asks that all four be seen; with no document found none
         * was (docs/checks.md, "Round 26: corners when nothing is found"):
         * not "cut off", which an empty desk is not, but not seen, as
         * severe as the missing document */
        if (doc->cut_off)
            idp_check_add(r, IDP_CHECK_CORNERS, IDP_CHECK_FAIL, IDP_REASON_CUT_OFF, IDP_NO_VALUE,
                          IDP_NO_VALUE);
        else
            idp_check_add(r, IDP_CHECK_CORNERS, missing, IDP_REASON_NOT_FOUND, IDP_NO_VALUE,
                          IDP_NO_VALUE);
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
    idp_check_add(r, IDP_CHECK_DOCUMENT, IDP_CHECK_PASS, IDP_REASON_OK, doc->aspect,
                  idp_doc_aspect(doc->kind));
    /* corners: the least distance of a corner to the frame's edge */
    const double margin = p->corners_margin * (w < h ? w : h);
    double least = HUGE_VAL;
    for (int i = 0; i < 4; i++) {
        const double x = doc->quad[i][0], y = doc->quad[i][1];
        least = fmin(least, fmin(fmin(x, y), fmin((double)w - x, (double)h - y)));
    }
    if (doc->scan) { /* the document is the whole image: its edges are the frame's */
        idp_check_add(r, IDP_CHECK_CORNERS, IDP_CHECK_PASS, IDP_REASON_OK, least, margin);
        return IDP_OK;
    }
    if (least < margin) {
        idp_check_add(r, IDP_CHECK_CORNERS, IDP_CHECK_FAIL, IDP_REASON_CUT_OFF, least, margin);
        return IDP_OK;
    }
    /* inside the frame: is each corner seen, or hidden under a finger or
     * an object (on img, in colour: skin on a card is a colour step)? A
     * side that goes on past a corner to the frame's edge: what was found
     * is a box printed on a document that runs out of the photo. */
    idp_corner_view view;
    idp_corners_view(img, &on_img, &view);
    if (view.runs_out)
        idp_check_add(r, IDP_CHECK_CORNERS, IDP_CHECK_FAIL, IDP_REASON_CUT_OFF, least, margin);
    else if (view.worst >= 0) {
        idp_check_add(r, IDP_CHECK_CORNERS, IDP_CHECK_FAIL, IDP_REASON_COVERED,
                      view.support[view.worst], IDP_CORNER_SUPPORT_MIN);
        r->has_covered = true; /* doc is on_img's quad at full size, in its order */
        r->covered[0] = doc->quad[view.worst][0];
        r->covered[1] = doc->quad[view.worst][1];
    } else
        idp_check_add(r, IDP_CHECK_CORNERS, IDP_CHECK_PASS, IDP_REASON_OK, least, margin);
    return IDP_OK;
}

/* Too little of the frame is lit to tell colour from black and white, but
 * the document is found and well exposed (a card on a dark desk): its
 * colour is read where the light is, on the document's bounding box in
 * work, and judged as the frame's would be (docs/checks.md, "colour"),
 * when at least IDP_COLOUR_LIT_MIN of the box is lit; else the frame's
 * measure stands (too dark to tell). */
void idp_colour_on_document(const idp_check_report *r, const idp_image *work, uint32_t w,
                            uint32_t h, idp_colour_stats *colour)
{
    const double kx = (double)work->width / w, ky = (double)work->height / h;
    double lo[2] = {HUGE_VAL, HUGE_VAL}, hi[2] = {-HUGE_VAL, -HUGE_VAL};
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
idp_status idp_judge_mrz(idp_ctx *ctx, idp_check_report *r, const idp_image *img, uint32_t w,
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
            idp_check_add(r, IDP_CHECK_EXPIRY, IDP_CHECK_FAIL, IDP_REASON_EXPIRED, (double)days, 0);
        else
            idp_check_add(r, IDP_CHECK_EXPIRY, IDP_CHECK_PASS, IDP_REASON_OK, (double)days, 0);
    }
    return IDP_OK;
}
