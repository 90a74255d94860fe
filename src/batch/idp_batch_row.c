/* One row of a batch, as its own process builds it: the form from the
 * row's cells, the package found in place (--resume) accepted only if it
 * is a real folder, verifies, and was built from this row, else a build;
 * the result sent back to the batch as JSON. */
#include "idp_batch_int.h"

#include "idp_build.h"
#include "idp_check.h"
#include "idp_form.h"
#include "idp_io.h"
#include "idp_package.h"
#include "idp_tr.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Removes "<prefix>/" wherever it occurs in s (in place): reasons name
 * files relative to the CSV's folder or the output folder, never with
 * the agent's absolute paths. */
void batch_cut_prefix(char *s, const char *prefix)
{
    size_t pl = prefix != NULL ? strlen(prefix) : 0;
    char *at;

    if (pl <= 1)
        return;
    while ((at = strstr(s, prefix)) != NULL && at[pl] == '/')
        memmove(at, at + pl + 1, strlen(at + pl + 1) + 1);
}

idp_status batch_add_text(char ***list, size_t *n, const char *fmt, ...)
{
    char buf[IDP_BATCH_REASON_MAX], *copy, **l;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    copy = strdup(buf);
    l = realloc(*list, (*n + 1) * sizeof(*l));
    if (copy == NULL || l == NULL) {
        free(copy);
        if (l != NULL)
            *list = l;
        return IDP_E_NOMEM;
    }
    l[(*n)++] = copy;
    *list = l;
    return IDP_OK;
}

/* One reason per line of text: a form's validation lists every bad field
 * on its own line, and each becomes a reason of the row. */
const char *batch_resume_words(const idp_batch_opts *o, char *buf, size_t size)
{
    if (o->resume_name == NULL || *o->resume_name == '\0')
        return "";
    snprintf(buf, size, " (%s)", o->resume_name);
    return buf;
}

void batch_row_fail(idp_batch_row *r, idp_status why, const char *text)
{
    r->status = IDP_ROW_FAILED;
    r->error = why;
    for (;;) {
        const char *nl = strchr(text, '\n');
        int n = nl != NULL ? (int)(nl - text) : (int)strlen(text);
        (void)batch_add_text(&r->reasons, &r->n_reasons, "%.*s", n, text);
        if (nl == NULL)
            break;
        text = nl + 1;
    }
}

static void describe_checks(const batch_row_in *in, idp_batch_row *r, const idp_build_result *res,
                            idp_check_status which)
{
    const char *lang = in->opts->default_lang;

    for (size_t p = 0; p < res->n_photos && p < 2; p++) {
        const idp_check_report *rep = &res->reports[p];
        for (size_t c = 0; c < rep->n_checks; c++) {
            char msg[IDP_BATCH_REASON_MAX / 2];
            if (rep->checks[c].status != which)
                continue;
            idp_check_describe(&rep->checks[c], lang, msg, sizeof(msg));
            (void)batch_add_text(
                which == IDP_CHECK_FAIL ? &r->reasons : &r->warnings,
                which == IDP_CHECK_FAIL ? &r->n_reasons : &r->n_warnings,
                which == IDP_CHECK_FAIL
                    ? (p == 0 ? batch_tr(lang, "front photo \"%s\" fails the %s check: %s")
                              : batch_tr(lang, "back photo \"%s\" fails the %s check: %s"))
                    : (p == 0 ? batch_tr(lang, "front photo \"%s\" warns on the %s check: %s")
                              : batch_tr(lang, "back photo \"%s\" warns on the %s check: %s")),
                p == 0 ? in->front_cell : in->back_cell, idp_check_name(rep->checks[c].id), msg);
        }
    }
}

/* A photo that could not be read, in the report's language when the
 * decoder's own words are English: what check says of such a file, after
 * the photo's CSV cell. False when no photo failed to load. */
static bool describe_unreadable(const batch_row_in *in, idp_batch_row *r,
                                const idp_build_result *res, idp_status st)
{
    const char *lang = in->opts->default_lang;
    char msg[IDP_BATCH_REASON_MAX / 2];

    for (size_t p = 0; p < res->n_photos && p < 2; p++) {
        const idp_check_report *rep = &res->reports[p];
        idp_check_result c;
        if (rep->verdict != IDP_VERDICT_ERROR || rep->load_status == IDP_OK ||
            rep->load_status == IDP_E_NOMEM || rep->load_status == IDP_E_INTERNAL)
            continue;
        memset(&c, 0, sizeof(c));
        c.id = rep->load_status == IDP_E_LIMITS ? IDP_CHECK_LIMITS : IDP_CHECK_DECODE;
        c.status = IDP_CHECK_FAIL;
        c.other = -1;
        for (size_t k = 0; k < rep->n_checks; k++)
            if (rep->checks[k].status == IDP_CHECK_FAIL)
                c = rep->checks[k]; /* the measured limit, when there is one */
        if (rep->load_status == IDP_E_NOTFOUND)
            snprintf(msg, sizeof(msg), "%s",
                     batch_tr(lang, "the file does not exist: check its name and folder"));
        else if (c.id == IDP_CHECK_LIMITS && c.limit <= 0)
            snprintf(msg, sizeof(msg), "%s",
                     batch_tr(lang, "the file is too large to check safely (too many pixels or "
                                    "bytes): send the photo at the phone's normal size, not an "
                                    "enlarged copy, a huge scan or a panorama"));
        else
            idp_check_describe(&c, lang, msg, sizeof(msg));
        r->status = IDP_ROW_FAILED;
        r->error = st;
        (void)batch_add_text(&r->reasons, &r->n_reasons,
                             p == 0 ? batch_tr(lang, "front photo \"%s\": %s")
                                    : batch_tr(lang, "back photo \"%s\": %s"),
                             p == 0 || in->back_cell == NULL ? in->front_cell : in->back_cell, msg);
    }
    return r->n_reasons > 0;
}

/* Whether the package at in->out_path was built from this row: its
 * reference is the one the row's fields, language and date give with the
 * package's own photos. */
static bool belongs(const batch_row_in *in, idp_ctx *ctx, const idp_build_opts *bo,
                    const char *reference)
{
    static const char *const names[] = {"id-front.jpg", "id-back.jpg"};
    uint8_t digests[2][IDP_SHA256_LEN];
    size_t n = in->back != NULL ? 2 : 1;
    char path[PATH_MAX], ref[IDP_REFERENCE_LEN];

    for (size_t i = 0; i < n; i++) {
        uint64_t size = 0;
        snprintf(path, sizeof(path), "%s/%s", in->out_path, names[i]);
        if (idp_sha256_file(ctx, path, digests[i], &size) != IDP_OK)
            return false;
    }
    if (idp_build_reference(ctx, bo, (const uint8_t(*)[IDP_SHA256_LEN])digests, n, ref) != IDP_OK)
        return false;
    return strcmp(ref, reference) == 0;
}

/* The SHA-256 of request.pdf and the created time of a package in place. */
static void found_extra(const batch_row_in *in, idp_ctx *ctx, batch_row_extra *extra)
{
    char path[PATH_MAX];
    uint8_t digest[IDP_SHA256_LEN];
    uint64_t size = 0;
    json_error_t jerr;
    json_t *m;
    const char *created;

    snprintf(path, sizeof(path), "%s/request.pdf", in->out_path);
    if (idp_sha256_file(ctx, path, digest, &size) == IDP_OK)
        idp_hex(digest, sizeof(digest), extra->pdf_sha256);
    snprintf(path, sizeof(path), "%s/manifest.json", in->out_path);
    m = json_load_file(path, 0, &jerr);
    created = json_string_value(json_object_get(m, "created"));
    if (created != NULL)
        snprintf(extra->created, sizeof(extra->created), "%s", created);
    json_decref(m);
}

/* The build's error on ctx, and how a CSV gives the photos where the
 * message leaves it to its caller (idp_ctx_advice), into buf. */
static const char *with_columns(const idp_ctx *ctx, char *buf, size_t size)
{
    static const char *const words[] = {
        "",
        N_(" (empty the row's back column)"),
        N_(" (the CSV's back column)"),
        N_(" (the CSV's front and back columns)"),
    };
    idp_advice a = idp_ctx_advice(ctx);

    if (a == IDP_ADVICE_NONE || (unsigned)a >= sizeof(words) / sizeof(words[0]))
        return idp_ctx_error(ctx);
    snprintf(buf, size, "%s%s", idp_ctx_error(ctx), batch_tr(idp_ctx_lang(ctx), words[a]));
    return buf;
}

void batch_row_build(const batch_row_in *in, idp_ctx *ctx, idp_batch_row *r, batch_row_extra *extra)
{
    const idp_batch_opts *o = in->opts;
    idp_form *form = NULL;
    idp_build_opts bo;
    idp_build_result *res = NULL;
    idp_status st;
    char origin[PATH_MAX + 32], error[IDP_BATCH_REASON_MAX];
    bool force = false;
    struct stat sb;

    snprintf(origin, sizeof(origin), batch_tr(o->default_lang, "%s row %zu"), in->csv_name, r->row);
    idp_ctx_set_lang(ctx, o->default_lang != NULL ? o->default_lang : "en");
    res = calloc(1, sizeof(*res));
    if (res == NULL || idp_form_create(ctx, &form) != IDP_OK) {
        batch_row_fail(r, IDP_E_NOMEM, batch_tr(idp_ctx_lang(ctx), "out of memory"));
        goto out;
    }
    for (size_t c = 0; c < in->n_cols; c++) {
        if (in->col_kind[c] < 0 || in->src->cells[c][0] == '\0')
            continue; /* an empty cell leaves the field unset */
        st = idp_form_set(ctx, form, in->field_keys[in->col_kind[c]], in->src->cells[c], origin, 0);
        if (st != IDP_OK) {
            batch_row_fail(r, st, idp_ctx_error(ctx));
            goto out;
        }
    }
    memset(&bo, 0, sizeof(bo));
    bo.front_path = in->front;
    bo.back_path = in->back;
    bo.form = form;
    bo.templates_dir = o->templates_dir;
    bo.template_id = in->template_id;
    bo.lang = in->lang != NULL ? in->lang : o->default_lang;
    bo.date = o->date;
    bo.today = o->today;
    bo.font_path = o->font_path;
    bo.out_dir = in->out_path;
    bo.serial = true; /* the rows are the parallelism: one core each */
    bo.policy = o->policy;
    bo.tool_version = o->tool_version != NULL ? o->tool_version : "";
    bo.temp_owner = in->temp_owner;
    if (extra->account_email == NULL && idp_form_get(form, "account_email") != NULL)
        extra->account_email = strdup(idp_form_get(form, "account_email"));

    if (o->resume && lstat(in->out_path, &sb) == 0) {
        /* Accepted only if it is a real folder (a link is replaced, what
         * it points to untouched), verifies, and belongs to this row. */
        if (S_ISLNK(sb.st_mode)) {
            if (unlink(in->out_path) != 0) {
                batch_row_fail(
                    r, IDP_E_EXISTS,
                    batch_tr(idp_ctx_lang(ctx),
                             "the package's name is taken by a link that cannot be removed"));
                goto out;
            }
        } else {
            idp_verify_report vr;
            memset(&vr, 0, sizeof(vr));
            st = S_ISDIR(sb.st_mode) ? idp_package_verify(ctx, in->out_path, NULL, &vr)
                                     : IDP_E_FORMAT;
            if (st == IDP_OK && vr.n_problems == 0 && vr.reference != NULL &&
                belongs(in, ctx, &bo, vr.reference)) {
                r->status = IDP_ROW_SKIPPED;
                snprintf(r->reference, sizeof(r->reference), "%s", vr.reference);
                idp_verify_report_free(&vr);
                found_extra(in, ctx, extra);
                goto out;
            }
            idp_verify_report_free(&vr);
            idp_ctx_clear(ctx);
            force = true; /* stale, partial, changed or another row's: rebuild it */
        }
    }
    bo.force = force;
    st = idp_build_package(ctx, &bo, res);
    if (st == IDP_E_REJECTED) {
        r->status = IDP_ROW_FAILED;
        r->error = st;
        describe_checks(in, r, res, IDP_CHECK_FAIL);
        if (r->n_reasons == 0)
            (void)batch_add_text(&r->reasons, &r->n_reasons, "%s", idp_ctx_error(ctx));
        goto out;
    }
    if (st == IDP_E_EXISTS && !o->resume) {
        char reason[IDP_BATCH_REASON_MAX], name[64];
        snprintf(reason, sizeof(reason),
                 batch_tr(idp_ctx_lang(ctx),
                          "the folder %s already exists in the output folder: resume the batch%s "
                          "to keep packages that verify and rebuild the rest"),
                 r->package, batch_resume_words(o, name, sizeof(name)));
        batch_row_fail(r, st, reason);
        goto out;
    }
    if (st != IDP_OK) {
        /* In a language with a catalogue: the photo's problem in its
         * words, not the decoder's English */
        if (!(idp_tr_catalogue(idp_ctx_lang(ctx)) != NULL && describe_unreadable(in, r, res, st)))
            batch_row_fail(r, st, with_columns(ctx, error, sizeof(error)));
        goto out;
    }
    r->status = IDP_ROW_OK;
    memcpy(r->reference, res->reference, sizeof(r->reference));
    memcpy(extra->pdf_sha256, res->pdf_sha256, sizeof(extra->pdf_sha256));
    snprintf(extra->created, sizeof(extra->created), "%s", res->created);
    describe_checks(in, r, res, IDP_CHECK_WARN);
    if (res->warning[0] != '\0') /* a letter of the name read with doubt */
        (void)batch_add_text(&r->reasons, &r->n_reasons, "%s", res->warning);
out:
    for (size_t k = 0; k < r->n_reasons; k++) {
        batch_cut_prefix(r->reasons[k], in->abs_out);
        batch_cut_prefix(r->reasons[k], in->csv_dir);
        if (o->out_dir[0] == '/')
            batch_cut_prefix(r->reasons[k], o->out_dir);
    }
    for (size_t p = 0; res != NULL && p < 2; p++) /* the zones read hold personal data */
        idp_mrz_wipe(&res->reports[p].mrz);
    free(res);
    idp_form_destroy(form);
}

static json_t *string_array(char **l, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < n; i++)
        json_array_append_new(a, json_string(l[i]));
    return a;
}

char *batch_row_encode(const idp_batch_row *r, const batch_row_extra *extra)
{
    json_t *o = json_object();
    char *text = NULL;
    int bad = o == NULL;

    bad |= json_object_set_new(o, "status", json_integer(r->status));
    bad |= json_object_set_new(o, "error", json_integer(r->error));
    bad |= json_object_set_new(o, "reference", json_string(r->reference));
    bad |= json_object_set_new(o, "reasons", string_array(r->reasons, r->n_reasons));
    bad |= json_object_set_new(o, "warnings", string_array(r->warnings, r->n_warnings));
    bad |= json_object_set_new(o, "pdf", json_string(extra->pdf_sha256));
    bad |= json_object_set_new(o, "created", json_string(extra->created));
    if (extra->account_email != NULL)
        bad |= json_object_set_new(o, "email", json_string(extra->account_email));
    if (!bad)
        text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return text;
}

static bool take_list(json_t *a, char ***list, size_t *n)
{
    size_t i;
    json_t *v;

    if (!json_is_array(a) || json_array_size(a) > 256)
        return false;
    json_array_foreach(a, i, v)
    {
        if (!json_is_string(v) || batch_add_text(list, n, "%s", json_string_value(v)) != IDP_OK)
            return false;
    }
    return true;
}

bool batch_row_decode(const char *text, size_t len, idp_batch_row *r, batch_row_extra *extra)
{
    json_error_t jerr;
    json_t *o = json_loadb(text, len, 0, &jerr);
    const char *ref, *pdf, *created, *email;
    json_int_t status, error;
    bool ok;

    if (o == NULL)
        return false;
    status = json_integer_value(json_object_get(o, "status"));
    error = json_integer_value(json_object_get(o, "error"));
    ref = json_string_value(json_object_get(o, "reference"));
    pdf = json_string_value(json_object_get(o, "pdf"));
    created = json_string_value(json_object_get(o, "created"));
    email = json_string_value(json_object_get(o, "email"));
    ok = status >= IDP_ROW_OK && status <= IDP_ROW_SKIPPED && ref != NULL &&
         strlen(ref) < sizeof(r->reference) && pdf != NULL &&
         strlen(pdf) < sizeof(extra->pdf_sha256) && created != NULL &&
         strlen(created) < sizeof(extra->created) &&
         take_list(json_object_get(o, "reasons"), &r->reasons, &r->n_reasons) &&
         take_list(json_object_get(o, "warnings"), &r->warnings, &r->n_warnings);
    if (ok) {
        r->status = (idp_row_status)status;
        r->error = (idp_status)error;
        snprintf(r->reference, sizeof(r->reference), "%s", ref);
        snprintf(extra->pdf_sha256, sizeof(extra->pdf_sha256), "%s", pdf);
        snprintf(extra->created, sizeof(extra->created), "%s", created);
        if (email != NULL) {
            extra->account_email = strdup(email);
            ok = extra->account_email != NULL;
        }
    }
    json_decref(o);
    return ok;
}
