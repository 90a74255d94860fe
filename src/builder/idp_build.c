#include "idp_build.h"
#include "idp_tr.h"

#include "idp_build_mrz.h"
#include "idp_date.h"
#include "idp_font.h"
#include "idp_hash.h"
#include "idp_io.h"
#include "idp_load.h"
#include "idp_manifest.h"
#include "idp_normalize.h"
#include "idp_package.h"
#include "idp_sign.h"
#include "idp_template.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* One photo: load at the scale the package needs, check, normalise. The
 * checks measure the decode idp_check_file measures (at
 * idp_check_decode_side), so build, check, drop and batch agree: with the
 * default cap that is the same decode, else the photo is decoded a second
 * time for the checks. Runs on its own thread with its own context. */
typedef struct photo_job {
    const char *path;
    uint32_t page; /* the part of the file (a 2-page TIFF or PDF's back) */
    const idp_policy *policy;
    uint32_t max_side;
    idp_ctx *ctx;
    idp_status st;
    idp_check_report *report;
    uint8_t *jpeg;
    size_t len;
    idp_normalize_result norm;
    double phys_width_mm; /* the document's, when it was found; else 0 */
} photo_job;

static void *photo_run(void *arg)
{
    photo_job *job = arg;
    idp_load_opts lopts = {0};
    idp_normalize_opts nopts;
    idp_image *img = NULL, *measured = NULL;
    idp_image_info info, minfo;
    const uint32_t check_side = idp_check_decode_side(job->policy);

    memset(&info, 0, sizeof(info));
    memset(&minfo, 0, sizeof(minfo));
    lopts.min_side = job->max_side;
    lopts.page = job->page;
    job->st = idp_load_file(job->ctx, job->path, &lopts, &img, &info);
    if (job->st != IDP_OK) {
        job->report->verdict = IDP_VERDICT_ERROR;
        job->report->load_status = job->st;
        job->report->info = info;
        goto out;
    }
    if (check_side != job->max_side) {
        lopts.min_side = check_side;
        job->st = idp_load_file(job->ctx, job->path, &lopts, &measured, &minfo);
        if (job->st != IDP_OK)
            goto out;
    }
    job->st = idp_check_image(job->ctx, measured != NULL ? measured : img,
                              measured != NULL ? &minfo : &info, job->policy, job->report);
    if (job->st != IDP_OK)
        goto out;
    if (job->report->document.found) { /* the PDF shows the document at its true size */
        idp_document d = job->report->document;
        idp_document_scale(&d, (double)img->width / job->report->info.width,
                           (double)img->height / job->report->info.height);
        double height_mm, share = 1.0;
        job->st = idp_crop_document_margin(job->ctx, &img, &d, &share);
        if (job->st != IDP_OK)
            goto out;
        idp_document_size_mm(&d, &job->phys_width_mm, &height_mm);
        if (job->phys_width_mm > 0.0 && share > 0.0)
            job->phys_width_mm /= share; /* the margin prints at the same scale */
    }
    idp_normalize_opts_default(&nopts);
    nopts.max_side = job->max_side;
    job->st = idp_normalize_image(job->ctx, img, &nopts, &job->jpeg, &job->len, &job->norm);
out:
    idp_image_destroy(measured);
    idp_image_destroy(img);
    return NULL;
}

/* How many photos the build takes: from the back, or from the front's
 * second page. */
static idp_status photo_parts(idp_ctx *ctx, const idp_build_opts *opts, size_t *n)
{
    const size_t files = opts->back_path != NULL ? 2 : 1;
    uint32_t parts = 0;

    *n = files;
    for (size_t i = 0; i < files; i++) {
        const char *path = i == 0 ? opts->front_path : opts->back_path;
        /* A photo that cannot be read is reported by its check, as
         * before: here it counts as one. */
        if (idp_count_parts(ctx, path, &parts) != IDP_OK || parts <= 1) {
            idp_ctx_clear(ctx);
            continue;
        }
        if (opts->back_path != NULL || parts > 2)
            return idp_fail(ctx, IDP_E_USAGE,
                            "%s: the file holds %u pages or documents: give the front and the "
                            "back as one file of two pages, or as two files of one page each",
                            path, parts);
        *n = 2;
    }
    return IDP_OK;
}

/* The caption of a photo's page, in the letter's language: a passport's
 * one photo is its data page, any other ID's are its front and back (as
 * the letter says what is enclosed). */
static const char *caption(const char *lang, int back, bool passport)
{
    static const struct {
        const char *lang, *front, *back, *passport;
    } t[] = {
        {"en", "Identity document - front", "Identity document - back", "Passport - data page"},
        {"it", "Documento d'identità - fronte", "Documento d'identità - retro",
         "Passaporto - pagina dei dati"},
        {"de", "Ausweisdokument - Vorderseite", "Ausweisdokument - Rückseite",
         "Reisepass - Datenseite"},
        {"fr", "Pièce d'identité - recto", "Pièce d'identité - verso",
         "Passeport - page des données"},
        {"es", "Documento de identidad - anverso", "Documento de identidad - reverso",
         "Pasaporte - página de datos"},
    };
    size_t k = 0;
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (strcmp(t[i].lang, lang) == 0)
            k = i;
    return passport && !back ? t[k].passport : back ? t[k].back : t[k].front;
}

/* The photos a document needs: a passport its data page alone, every
 * other ID its front and back (Amazon asks for both sides). The letter
 * says what is enclosed from id_type, so the two must agree. */
static idp_status check_sides(idp_ctx *ctx, const idp_template *tmpl, const idp_form *form,
                              size_t n_photos)
{
    const char *type = idp_form_get(form, "id_type");
    const idp_field *f = idp_template_find_field(tmpl, "id_type");
    const char *label = type;
    const char *lang = idp_ctx_lang(ctx);
    idp_status st;

    if (type == NULL || f == NULL)
        return IDP_OK;
    for (size_t i = 0; i < f->n_choices; i++)
        if (strcmp(f->choices[i], type) == 0)
            label = f->choice_labels[i];
    /* Each message ends where its caller adds how its program gives a
     * photo (idp_ctx_advice). */
    if (strcmp(type, "passport") == 0 && n_photos > 1) {
        st = idp_fail(ctx, IDP_E_FIELD,
                      idp_tr(lang, "id_type is passport: a passport needs one photo only, its "
                                   "data page (the page with the photo). Correct id_type if the "
                                   "document is not a passport, or leave out the second photo"));
        idp_ctx_set_advice(ctx, IDP_ADVICE_LEAVE_OUT_BACK);
        return st;
    }
    if (strcmp(type, "passport") != 0 && n_photos < 2) {
        st = idp_fail(ctx, IDP_E_FIELD,
                      idp_tr(lang, "the back of the document (%s) is missing: Amazon asks for "
                                   "the front and the back of an ID card, driving licence or "
                                   "residence permit. For a passport set id_type=passport; "
                                   "otherwise photograph the back too and add it"),
                      label);
        idp_ctx_set_advice(ctx, IDP_ADVICE_ADD_BACK);
        return st;
    }
    return IDP_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The content digest behind the reference: everything that makes the
 * package what it is, in a canonical order. */
static idp_status content_digest(idp_ctx *ctx, const idp_build_opts *opts, const char *day,
                                 idp_paper paper, const uint8_t (*photos)[IDP_SHA256_LEN], size_t n,
                                 uint8_t digest[IDP_SHA256_LEN])
{
    idp_status st = IDP_OK;
    size_t nkeys = idp_form_count(opts->form), cap = 256, used = 0;
    const char **keys = NULL;
    char *buf = NULL;

    keys = calloc(nkeys ? nkeys : 1, sizeof(*keys));
    if (keys == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
    for (size_t i = 0; i < nkeys; i++)
        keys[i] = idp_form_key(opts->form, i);
    qsort(keys, nkeys, sizeof(*keys), cmp_str);
    for (size_t i = 0; i < nkeys; i++)
        cap += strlen(keys[i]) + strlen(idp_form_get(opts->form, keys[i])) + 2;
    cap += n * (IDP_SHA256_HEX + 1);
    buf = malloc(cap);
    if (buf == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, "out of memory");
        goto out;
    }
    used = (size_t)snprintf(buf, cap, "idpack-reference/1\n%s\n%s\n%s\n%s\n", opts->template_id,
                            opts->lang, day, paper == IDP_PAPER_LETTER ? "letter" : "a4");
    for (size_t i = 0; i < nkeys; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s=%s\n", keys[i],
                                 idp_form_get(opts->form, keys[i]));
    for (size_t i = 0; i < n; i++) {
        idp_hex(photos[i], IDP_SHA256_LEN, buf + used);
        used += IDP_SHA256_HEX - 1;
        buf[used++] = '\n';
    }
    st = idp_sha256(ctx, buf, used, digest);
out:
    idp_free_wiped(buf, cap);
    free(keys);
    return st;
}

static idp_status reject_message(idp_ctx *ctx, photo_job *jobs, size_t n)
{
    char msg[768];
    size_t used = 0;

    msg[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const idp_check_report *r = jobs[i].report;
        if (r->verdict != IDP_VERDICT_FAIL)
            continue;
        used += (size_t)snprintf(msg + used, sizeof(msg) - used, "%s%s fails", used ? "; " : "",
                                 jobs[i].path);
        for (size_t c = 0; c < r->n_checks && used < sizeof(msg); c++)
            if (r->checks[c].status == IDP_CHECK_FAIL)
                used += (size_t)snprintf(msg + used, sizeof(msg) - used, " %s",
                                         idp_check_name(r->checks[c].id));
        if (used >= sizeof(msg))
            break;
    }
    return idp_fail(ctx, IDP_E_REJECTED, "%s", msg);
}

static bool letter_marketplace(const char *m)
{
    return m != NULL && (strcmp(m, "amazon.com") == 0 || strcmp(m, "amazon.ca") == 0 ||
                         strcmp(m, "amazon.com.mx") == 0);
}

idp_status idp_build_package(idp_ctx *ctx, const idp_build_opts *opts, idp_build_result *result)
{
    idp_status st = IDP_OK;
    idp_template *tmpl = NULL;
    idp_letter *letter = NULL;
    idp_form *probe = NULL,
             *filled = NULL; /* the form before and after the zone (idp_build_mrz.h) */
    const idp_policy *policy;
    idp_policy defpolicy;
    photo_job jobs[2];
    size_t n = opts->back_path != NULL ? 2 : 1;
    char day[16], *font = NULL, *manifest_json = NULL, *sums = NULL, producer[64];
    uint8_t digest[IDP_SHA256_LEN], *pdf = NULL, sig[IDP_SIG_LEN];
    size_t pdf_len = 0, manifest_len = 0, sums_len = 0;
    idp_paper paper;
    pthread_t thread;
    bool thread_started = false;
    const bool two_threads = !opts->serial && idp_ctx_threads(ctx) >= 2;
    struct stat sb;

    memset(result, 0, sizeof(*result));
    memset(jobs, 0, sizeof(jobs));
    if (opts->today != NULL)
        snprintf(day, sizeof(day), "%s", opts->today);
    else
        idp_utc_day(opts->date, day);
    idp_format_date(opts->date, true, result->created, sizeof(result->created));
    result->n_photos = n;

    /* 0. An existing package is never replaced without force: say so
     * before any work (idp_package_write checks again, race-free). */
    if (!opts->force && lstat(opts->out_dir, &sb) == 0) {
        st = idp_fail(ctx, IDP_E_EXISTS, "%s: already exists; replacing it must be asked for",
                      opts->out_dir);
        goto out;
    }

    /* 1. The fields: cheap, so first. */
    st = idp_template_load(ctx, opts->templates_dir, opts->template_id, opts->lang, &tmpl);
    if (st != IDP_OK)
        goto out;
    if (opts->policy == NULL)
        idp_policy_default(&defpolicy);
    policy = opts->policy != NULL ? opts->policy : &defpolicy;
    /* Fields the zone may give have stand-ins until it is read. */
    st = idp_build_mrz_probe(ctx, policy, opts->form, n, &probe);
    if (st == IDP_OK)
        st = idp_template_validate(ctx, tmpl, probe != NULL ? probe : opts->form, day);
    /* How many photos: a file of two pages given alone is the front and
     * the back; with a back given, each file must be one photo. Then
     * whether the document's type wants that many (when the zone is read,
     * after it: the zone may say the type). */
    if (st == IDP_OK)
        st = photo_parts(ctx, opts, &n);
    if (st == IDP_OK && !policy->mrz_read)
        st = check_sides(ctx, tmpl, opts->form, n);
    if (st != IDP_OK)
        goto out;
    if (opts->font_path != NULL) {
        font = strdup(opts->font_path);
        if (font == NULL) {
            st = idp_fail(ctx, IDP_E_NOMEM, "out of memory");
            goto out;
        }
    } else {
        st = idp_font_find(ctx, "DejaVu Sans", 0, &font);
        if (st != IDP_OK)
            goto out;
    }
    /* One font embedded, headings stroked to look bold: loading and
     * compressing a second 700 KB face costs more than decoding a photo. */
    for (size_t i = 0; i < idp_form_count(opts->form); i++) {
        const char *key = idp_form_key(opts->form, i);
        st = idp_font_check_text(ctx, font, idp_form_get(opts->form, key), key);
        if (st != IDP_OK)
            goto out;
    }

    /* 2. The photos, in parallel: decoding is most of the time. */
    result->n_photos = n;
    for (size_t i = 0; i < n; i++) {
        jobs[i].path = i == 0 || opts->back_path == NULL ? opts->front_path : opts->back_path;
        jobs[i].page = i == 1 && opts->back_path == NULL ? 1 : 0;
        jobs[i].policy = policy;
        jobs[i].max_side = opts->max_side ? opts->max_side : 2000;
        jobs[i].report = &result->reports[i];
        st = idp_ctx_create(&jobs[i].ctx);
        if (st != IDP_OK) {
            st = idp_fail(ctx, IDP_E_NOMEM, "out of memory");
            goto out;
        }
        idp_ctx_set_limits(jobs[i].ctx, idp_ctx_limits(ctx));
        idp_ctx_set_lang(jobs[i].ctx, idp_ctx_lang(ctx));
        idp_ctx_set_today(jobs[i].ctx, day); /* the MRZ's expiry: the form's day */
        /* The threads ctx allows: two photos share them, one each at least. */
        idp_ctx_set_threads(jobs[i].ctx, n == 2 && two_threads ? idp_ctx_threads(ctx) / 2
                                                               : idp_ctx_threads(ctx));
    }
    if (n == 2 && two_threads && pthread_create(&thread, NULL, photo_run, &jobs[1]) == 0)
        thread_started = true;
    photo_run(&jobs[0]);
    if (n == 2) {
        if (thread_started)
            pthread_join(thread, NULL);
        else
            photo_run(&jobs[1]);
    }
    for (size_t i = 0; i < n; i++) {
        if (jobs[i].st != IDP_OK) {
            st = idp_fail(ctx, jobs[i].st, "%s", idp_ctx_error(jobs[i].ctx));
            goto out;
        }
    }
    if (n == 2)
        idp_check_duplicates(result->reports, n, jobs[0].policy);
    for (size_t i = 0; i < n; i++) {
        if (result->reports[i].verdict == IDP_VERDICT_FAIL) {
            st = reject_message(ctx, jobs, n);
            goto out;
        }
    }
    if (policy->mrz_read) { /* the form against the zone, then as filled from it */
        const idp_build_mrz_in in = {policy,
                                     opts->form,
                                     opts->lang,
                                     result->reports,
                                     n,
                                     {jobs[0].path, n == 2 ? jobs[1].path : NULL},
                                     result->warning,
                                     sizeof(result->warning)};
        st = idp_build_mrz_cross(ctx, &in, &filled);
        if (st == IDP_OK)
            st = idp_template_validate(ctx, tmpl, filled, day);
        if (st == IDP_OK)
            st = check_sides(ctx, tmpl, filled, n);
        if (st != IDP_OK)
            goto out;
    }

    /* 3. Reference, letter, PDF. */
    paper = opts->paper_set                                               ? opts->paper
            : letter_marketplace(idp_form_get(opts->form, "marketplace")) ? IDP_PAPER_LETTER
                                                                          : IDP_PAPER_A4;
    result->paper = paper;
    {
        uint8_t photo_digests[2][IDP_SHA256_LEN];
        for (size_t i = 0; i < n && st == IDP_OK; i++)
            st = idp_sha256(ctx, jobs[i].jpeg, jobs[i].len, photo_digests[i]);
        if (st == IDP_OK)
            st = content_digest(ctx, opts, day, paper,
                                (const uint8_t(*)[IDP_SHA256_LEN])photo_digests, n, digest);
    }
    if (st != IDP_OK)
        goto out;
    idp_reference_from_digest(digest, result->reference);
    /* The reference above is of the form as given (idp_build_reference
     * gives it again): what the zone filled in follows from the photos,
     * whose digests it holds. The letter says what was filled. */
    st = idp_template_render(ctx, tmpl, filled != NULL ? filled : opts->form, result->reference,
                             day, &letter);
    if (st != IDP_OK)
        goto out;
    snprintf(producer, sizeof(producer), "idpack %s", opts->tool_version);
    {
        idp_pdf_image images[2];
        idp_pdf_opts popts;
        const char *type = idp_form_get(opts->form, "id_type");
        const bool passport = type != NULL && strcmp(type, "passport") == 0;
        memset(images, 0, sizeof(images));
        memset(&popts, 0, sizeof(popts));
        for (size_t i = 0; i < n; i++) {
            images[i].jpeg = jobs[i].jpeg;
            images[i].len = jobs[i].len;
            images[i].width = jobs[i].norm.width;
            images[i].height = jobs[i].norm.height;
            images[i].caption = caption(opts->lang, (int)i, passport);
            images[i].phys_width_mm = jobs[i].phys_width_mm;
        }
        popts.paper = paper;
        popts.font_path = font;
        popts.title = letter->title;
        popts.producer = producer;
        popts.created = opts->date;
        popts.reference = result->reference;
        st = idp_pdf_build(ctx, &popts, letter, images, n, &pdf, &pdf_len);
        if (st != IDP_OK)
            goto out;
    }

    /* 4. Manifest, sums, signature, folder. */
    {
        static const char *const names[] = {"id-front.jpg", "id-back.jpg"};
        static const char *const roles[] = {"front", "back"};
        idp_package_file files[6];
        idp_manifest_file mfiles[3];
        idp_manifest_photo photos[2];
        idp_manifest m;
        size_t nf = 0;
        char hex[IDP_SHA256_HEX];

        files[nf++] = (idp_package_file){"request.pdf", pdf, pdf_len};
        for (size_t i = 0; i < n; i++) {
            files[nf++] = (idp_package_file){names[i], jobs[i].jpeg, jobs[i].len};
            photos[i] = (idp_manifest_photo){roles[i], names[i], &result->reports[i]};
        }
        for (size_t i = 0; i < nf; i++) {
            mfiles[i].name = files[i].name;
            mfiles[i].size = files[i].len;
            st = idp_sha256(ctx, files[i].data, files[i].len, mfiles[i].sha256);
            if (st != IDP_OK)
                goto out;
        }
        idp_hex(mfiles[0].sha256, IDP_SHA256_LEN, hex);
        memcpy(result->pdf_sha256, hex, sizeof(hex));
        memset(&m, 0, sizeof(m));
        m.tool_version = opts->tool_version;
        m.template_id = opts->template_id;
        m.lang = opts->lang;
        m.reference = result->reference;
        m.created = result->created;
        m.paper = paper == IDP_PAPER_LETTER ? "letter" : "a4";
        m.marketplace = idp_form_get(opts->form, "marketplace");
        m.n_files = nf;
        m.files = mfiles;
        m.n_photos = n;
        m.photos = photos;
        st = idp_manifest_serialize(ctx, &m, &manifest_json, &manifest_len);
        if (st != IDP_OK)
            goto out;
        files[nf++] =
            (idp_package_file){"manifest.json", (const uint8_t *)manifest_json, manifest_len};
        st = idp_sha256sums_format(ctx, files, nf, &sums, &sums_len);
        if (st != IDP_OK)
            goto out;
        files[nf++] = (idp_package_file){"SHA256SUMS", (const uint8_t *)sums, sums_len};
        if (opts->sign_key != NULL) {
            st = idp_sign_ed25519(ctx, opts->sign_key, (const uint8_t *)manifest_json, manifest_len,
                                  sig);
            if (st != IDP_OK)
                goto out;
            files[nf++] = (idp_package_file){"manifest.json.sig", sig, sizeof(sig)};
            result->signed_manifest = true;
        }
        for (size_t i = 0; i < nf; i++)
            result->total_bytes += files[i].len;
        st = idp_package_write_owned(ctx, opts->out_dir, files, nf, opts->force, opts->temp_owner);
    }
out:
    for (size_t i = 0; i < 2; i++) {
        idp_free_wiped(jobs[i].jpeg, jobs[i].len);
        idp_ctx_destroy(jobs[i].ctx);
    }
    idp_free_wiped(pdf, pdf_len);
    free(manifest_json);
    free(sums);
    free(font);
    idp_letter_destroy(letter);
    idp_form_destroy(filled);
    idp_form_destroy(probe);
    idp_template_destroy(tmpl);
    return st;
}

idp_status idp_build_reference(idp_ctx *ctx, const idp_build_opts *opts,
                               const uint8_t (*photos)[IDP_SHA256_LEN], size_t n,
                               char reference[IDP_REFERENCE_LEN])
{
    idp_template *tmpl = NULL;
    idp_form *probe = NULL;
    idp_policy defpolicy;
    uint8_t digest[IDP_SHA256_LEN];
    char day[16];
    idp_paper paper;
    idp_status st;

    reference[0] = '\0';
    if (n < 1 || n > 2)
        return idp_fail(ctx, IDP_E_USAGE, "a package has one or two photos");
    idp_format_date(opts->date, false, day, sizeof(day));
    /* the fields as the build sees them: validated by the same template,
     * with the same stand-ins for what the zone gives */
    if (opts->policy == NULL)
        idp_policy_default(&defpolicy);
    st = idp_template_load(ctx, opts->templates_dir, opts->template_id, opts->lang, &tmpl);
    if (st == IDP_OK)
        st = idp_build_mrz_probe(ctx, opts->policy != NULL ? opts->policy : &defpolicy, opts->form,
                                 n, &probe);
    if (st == IDP_OK)
        st = idp_template_validate(ctx, tmpl, probe != NULL ? probe : opts->form, day);
    idp_form_destroy(probe);
    idp_template_destroy(tmpl);
    if (st != IDP_OK)
        return st;
    paper = opts->paper_set                                               ? opts->paper
            : letter_marketplace(idp_form_get(opts->form, "marketplace")) ? IDP_PAPER_LETTER
                                                                          : IDP_PAPER_A4;
    st = content_digest(ctx, opts, day, paper, photos, n, digest);
    if (st == IDP_OK)
        idp_reference_from_digest(digest, reference);
    return st;
}
