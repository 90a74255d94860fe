/* The photo checks: the photo measured (the frame, the document found on
 * it) and each measurement judged (idp_judge.h), in the order of
 * idp_check_id; the duplicates across the photos of one job. */
#include "idp_check.h"

#include "idp_colour_check.h"
#include "idp_exposure.h"
#include "idp_glare.h"
#include "idp_imghash.h"
#include "idp_judge.h"
#include "idp_measure.h"
#include "idp_resize.h"
#include "idp_screen.h"

#include <math.h>
#include <pthread.h>
#include <string.h>

/* A quad as const (C11 does not convert double (*)[2] implicitly). */
#define CQ(q) ((const double(*)[2])(q))

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
        st = idp_judge_document(ctx, report, work, grey, w, h, policy, &docpx);
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

    idp_check_add(report, IDP_CHECK_DECODE, IDP_CHECK_PASS, IDP_REASON_OK, IDP_NO_VALUE,
                  IDP_NO_VALUE);
    idp_check_add(report, IDP_CHECK_LIMITS, IDP_CHECK_PASS, IDP_REASON_OK, (double)w * h / 1e6,
                  (double)lim->max_pixels / 1e6);
    idp_judge_low(report, IDP_CHECK_RESOLUTION, round(across), policy->resolution_fail,
                  policy->resolution_warn);
    idp_judge_low(report, IDP_CHECK_SHARPNESS, idp_measure_sharpness(measured),
                  policy->sharpness_fail,
                  docpx != NULL ? policy->sharpness_warn : policy->sharpness_frame_warn);
    st = idp_judge_blur(ctx, report, measured, grey, img, docpx != NULL ? across : 0, w, h, policy);
    if (st != IDP_OK)
        goto out;
    idp_judge_exposure(report, &e, &rd, policy);
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
    idp_judge_glare(report, glare.share, policy);
    if (docpx != NULL && idp_colour_too_dark(&colour, policy) &&
        idp_report_find(report, IDP_CHECK_EXPOSURE)->status == IDP_CHECK_PASS)
        idp_colour_on_document(report, work, w, h, &colour);
    idp_judge_colour(report, &colour, policy);
    idp_judge_screenshot(report, info, &screen, policy);
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
         * idp_judge_document scaled the outline */
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
        st = idp_judge_mrz(ctx, report, img, w, h);
        if (st != IDP_OK)
            goto out;
        idp_judge_glare(report, glare.share, policy); /* again, with the zone's size */
    }
    idp_check_verdict(report);
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
        idp_check_add(report, IDP_CHECK_LIMITS, IDP_CHECK_FAIL,
                      cost ? IDP_REASON_DECODE_COST : IDP_REASON_TOO_LARGE,
                      mp > 0 ? mp : IDP_NO_VALUE, (double)lim->max_pixels / 1e6);
    } else {
        idp_check_add(report, IDP_CHECK_DECODE, IDP_CHECK_FAIL, IDP_REASON_UNREADABLE, IDP_NO_VALUE,
                      IDP_NO_VALUE);
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
            c = idp_check_add(r, IDP_CHECK_DUPLICATE, IDP_CHECK_FAIL, best_reason, best,
                              best_limit);
            if (c != NULL)
                c->other = (int)other;
        } else {
            idp_check_add(r, IDP_CHECK_DUPLICATE, IDP_CHECK_PASS, IDP_REASON_OK, best, best_limit);
        }
        idp_check_verdict(r);
    }
}
