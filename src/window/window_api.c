/* idpack window's answers to the page: the photos' checks with where the
 * document, its cut corners and the glare are; the form, field by field;
 * the letter; the profile; the build. Every value is checked by the
 * library as 'idpack build' checks it; messages never quote a value. */
#include "window.h"
#include "idp_util.h"

#include "../tool/tool.h"
#include "../tool/tool_drop.h"
#include "../tool/tool_opts.h"
#include "../tool/tool_report.h"
#include "idp_build.h"
#include "idp_ledger.h"
#include "idp_policy.h"
#include "idp_profile.h"
#include "idp_template.h"

#include <jansson.h>
#include <math.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define TEMPLATE_ID "2fa-reset"

static const char *const side_name[2] = {"front", "back"};
static char empty_body[] = "", empty_object[] = "{}";

void win_reply_error(win_reply *r, unsigned status, const char *msg)
{
    json_t *o = json_pack("{s:s}", "error", msg);
    r->status = status;
    r->type = "application/json";
    r->body = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
    json_decref(o);
    if (r->body == NULL) {
        r->body = empty_object;
        r->is_static = true;
    } else {
        r->is_static = false;
    }
    r->len = strlen(r->body);
}

/* Answers the JSON o (taken). */
static void reply_json(win_reply *r, unsigned status, json_t *o)
{
    char *s = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
    json_decref(o);
    if (s == NULL) {
        win_reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
        return;
    }
    r->status = status;
    r->type = "application/json";
    r->body = s;
    r->len = strlen(s);
    r->is_static = false;
}

const char *win_lang(const win_server *s, const char *query_lang, const char *accept)
{
    if (query_lang != NULL && tool_msg_lang(query_lang) != NULL)
        return tool_msg_lang(query_lang);
    if (s->o.lang != NULL && tool_msg_lang(s->o.lang) != NULL)
        return tool_msg_lang(s->o.lang);
    if (s->lang[0] != '\0')
        return tool_msg_lang(s->lang) != NULL ? tool_msg_lang(s->lang) : "en";
    /* the browser's first language we have: "it-IT,it;q=0.9,en;q=0.8" */
    for (const char *p = accept; p != NULL && *p != '\0';) {
        char one[16];
        size_t n = 0;
        while (*p == ' ' || *p == ',')
            p++;
        while (p[n] != '\0' && p[n] != ',' && p[n] != ';' && p[n] != ' ')
            n++;
        if (n > 0 && n < sizeof(one)) {
            for (size_t i = 0; i < n; i++) /* "IT-it": the tags are case-insensitive */
                one[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] - 'A' + 'a' : p[i]);
            one[n] = '\0';
            if (tool_msg_lang(one) != NULL)
                return tool_msg_lang(one);
        }
        p = strchr(p, ',');
    }
    return "en";
}

/* ---- photos ---------------------------------------------------------- */

static json_t *point(const double q[2])
{
    return json_pack("[f,f]", round(q[0] * 10) / 10, round(q[1] * 10) / 10);
}

/* What the page draws on the photo: the glare regions and the corners of
 * the document that are at the frame's edge or outside it. */
static json_t *marks_json(const idp_check_report *r, const idp_policy *policy)
{
    json_t *m = json_object(), *glare = json_array(), *cut = json_array();
    const idp_check_result *corners = idp_report_find(r, IDP_CHECK_CORNERS);
    const idp_document *doc = idp_check_report_detection(r);
    double quad[4][2], covered[2];
    uint32_t width, height;

    idp_check_report_size(r, &width, &height);
    const double w = width, h = height;
    for (size_t i = 0; idp_check_report_glare_quad(r, i, quad); i++) {
        json_t *q = json_array();
        for (int k = 0; k < 4; k++)
            json_array_append_new(q, point(quad[k]));
        json_array_append_new(glare, q);
    }
    if (doc != NULL && idp_document_found(doc) && corners != NULL &&
        corners->status == IDP_CHECK_FAIL) {
        const double margin = idp_policy_corners_margin(policy) * (w < h ? w : h);
        idp_document_quad(doc, quad);
        for (int i = 0; i < 4; i++) {
            const double x = quad[i][0], y = quad[i][1];
            if (fmin(fmin(x, y), fmin(w - x, h - y)) < margin)
                json_array_append_new(cut, json_integer(i));
        }
        /* covered, not cut: the corner of the quad where the library found it */
        for (int i = 0; json_array_size(cut) == 0 && idp_check_report_covered(r, covered) && i < 4;
             i++)
            if (fabs(quad[i][0] - covered[0]) < 0.5 && fabs(quad[i][1] - covered[1]) < 0.5)
                json_array_append_new(cut, json_integer(i));
        if (json_array_size(cut) == 0) /* not told which: each corner is suspect */
            for (int i = 0; i < 4; i++)
                json_array_append_new(cut, json_integer(i));
    }
    json_object_set_new(m, "glare", glare);
    json_object_set_new(m, "corners", cut);
    return m;
}

static json_t *photos_json(const win_server *s, const char *lang)
{
    json_t *o = json_object();
    idp_check_report *rep[2] = {NULL, NULL};
    idp_policy *policy = NULL;
    idp_ctx *ctx = NULL;

    if (idp_ctx_create(&ctx) != IDP_OK || idp_policy_create(ctx, &policy) != IDP_OK ||
        idp_check_report_create(ctx, &rep[0]) != IDP_OK ||
        idp_check_report_create(ctx, &rep[1]) != IDP_OK)
        goto out;
    for (int i = 0; i < 2; i++)
        idp_check_report_copy(rep[i], s->photo[i].report);
    if (s->photo[0].present && s->photo[1].present &&
        idp_check_report_duplicates(ctx, rep, 2, policy) != IDP_OK)
        goto out; /* out of memory: not a wrong verdict, nothing */
    /* the verdicts count the duplicate check (idp_check_report_duplicates) */
    for (int i = 0; i < 2; i++) {
        const win_photo *p = &s->photo[i];
        json_t *j;
        if (!p->present) {
            json_object_set_new(o, side_name[i], json_null());
            continue;
        }
        j = json_object();
        json_object_set_new(j, "name", tool_json_string(p->name));
        json_object_set_new(j, "version", json_integer(p->version));
        json_object_set_new(j, "report", tool_report_json(p->name, rep[i], p->error, lang));
        json_object_set_new(j, "marks", marks_json(rep[i], policy));
        json_object_set_new(j, "thumb",
                            p->has_thumb ? json_pack("{s:i,s:i}", "width", (json_int_t)p->thumb_w,
                                                     "height", (json_int_t)p->thumb_h)
                                         : json_null());
        json_object_set_new(o, side_name[i], j);
    }
out:
    for (int i = 0; i < 2; i++)
        idp_check_report_destroy(rep[i]); /* wiped: the copies hold the zone read */
    idp_policy_destroy(policy);
    idp_ctx_destroy(ctx);
    return o;
}

/* ---- the form -------------------------------------------------------- */

static const char *kind_name(idp_field_kind k)
{
    static const char *const names[] = {"text", "email",     "phone",       "date",   "seller_id",
                                        "enum", "enum_list", "marketplace", "country"};
    return (size_t)k < sizeof(names) / sizeof(names[0]) ? names[k] : "text";
}

static json_t *fields_json(const idp_template *t, const idp_profile *p)
{
    json_t *a = json_array();
    for (size_t i = 0; i < idp_template_field_count(t); i++) {
        const idp_field *f = idp_template_field(t, i);
        const char *v = p != NULL ? idp_form_get(idp_profile_form(p), idp_field_key(f)) : NULL;
        json_t *o = json_object(), *ch = json_array();
        json_object_set_new(o, "key", json_string(idp_field_key(f)));
        json_object_set_new(o, "label", json_string(idp_field_label(f)));
        json_object_set_new(o, "required", json_boolean(idp_field_required(f)));
        json_object_set_new(o, "kind", json_string(kind_name(idp_field_kind_of(f))));
        for (size_t k = 0; k < idp_field_choice_count(f); k++)
            json_array_append_new(ch, json_pack("{s:s,s:s}", "value", idp_field_choice(f, k),
                                                "label", idp_field_choice_label(f, k)));
        json_object_set_new(o, "choices", ch);
        json_object_set_new(o, "value", v != NULL ? tool_json_string(v) : json_string(""));
        json_array_append_new(a, o);
    }
    return a;
}

/* The form of the values the page sent ({"key": "value", ...}); empty
 * values are left out. NULL with the reason in ctx. */
static idp_form *form_of(idp_ctx *ctx, json_t *values)
{
    idp_form *form = NULL;
    const char *key;
    json_t *v;

    if (idp_form_create(ctx, &form) != IDP_OK)
        return NULL;
    json_object_foreach(values, key, v)
    {
        if (!json_is_string(v) || json_string_length(v) == 0)
            continue;
        if (idp_form_set(ctx, form, key, json_string_value(v), "window", 1) != IDP_OK) {
            idp_form_destroy(form);
            return NULL;
        }
    }
    return form;
}

static json_t *parse_body(const char *body, size_t len, const char *member)
{
    json_t *root, *m;
    if (body == NULL)
        return NULL;
    root = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
    if (member == NULL || root == NULL)
        return root;
    m = json_object_get(root, member);
    if (!json_is_object(m)) {
        json_decref(root);
        return NULL;
    }
    json_incref(m);
    json_decref(root);
    return m;
}

static void api_state(win_server *s, const char *lang, win_reply *r)
{
    idp_ctx *ctx = NULL;
    idp_template *t = NULL;
    idp_profile *p = NULL;
    json_t *o = json_object();

    if (idp_ctx_create(&ctx) != IDP_OK) {
        win_reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
        return;
    }
    idp_ctx_set_lang(ctx, lang);
    json_object_set_new(o, "lang", json_string(lang));
    json_object_set_new(o, "langs", win_langs_json());
    json_object_set_new(o, "photos", photos_json(s, lang));
    if (idp_profile_load(ctx, s->profile_path, &p) != IDP_OK)
        p = NULL;
    json_object_set_new(o, "profile", json_boolean(p != NULL));
    if (idp_template_load(ctx, tool_templates_dir(), TEMPLATE_ID, lang, &t) == IDP_OK)
        json_object_set_new(o, "fields", fields_json(t, p));
    else
        json_object_set_new(o, "fields", json_array());
    json_object_set_new(o, "max_upload_mb",
                        json_integer((json_int_t)(s->o.max_upload / (1024 * 1024))));
    json_object_set_new(o, "out_dir", tool_json_string(s->out_base));
    json_object_set_new(o, "today", json_string(s->today));
    if (s->built)
        json_object_set_new(o, "built",
                            json_pack("{s:s,s:o}", "reference", s->pkg_ref, "folder",
                                      tool_json_string(s->pkg_dir)));
    idp_template_destroy(t);
    idp_profile_destroy(p);
    idp_ctx_destroy(ctx);
    reply_json(r, MHD_HTTP_OK, o);
}

/* {"key","value"} -> {"ok", "message"?}: the check 'idpack build' makes. */
static void api_field(win_server *s, const char *lang, const char *body, size_t len, win_reply *r)
{
    json_t *in = parse_body(body, len, NULL), *out;
    const char *key = json_string_value(json_object_get(in, "key"));
    const char *value = json_string_value(json_object_get(in, "value"));
    idp_ctx *ctx = NULL;
    idp_template *t = NULL;
    idp_profile *p = NULL;
    const idp_field *f;
    idp_status st;

    if (key == NULL || value == NULL) {
        json_decref(in);
        win_reply_error(r, MHD_HTTP_BAD_REQUEST, "expected {\"key\": ..., \"value\": ...}");
        return;
    }
    if (idp_ctx_create(&ctx) != IDP_OK || (idp_ctx_set_lang(ctx, lang), 0) ||
        idp_template_load(ctx, tool_templates_dir(), TEMPLATE_ID, lang, &t) != IDP_OK ||
        idp_profile_create(ctx, &p) != IDP_OK) {
        win_reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR,
                        ctx != NULL ? idp_ctx_error(ctx) : "out of memory");
        goto out;
    }
    f = idp_template_find_field(t, key);
    if (f == NULL) {
        win_reply_error(r, MHD_HTTP_BAD_REQUEST, "unknown field");
        goto out;
    }
    if (value[0] == '\0') {
        out = idp_field_required(f)
                  ? json_pack("{s:b,s:s}", "ok", 0, "message", idp_tr(lang, "Needed: fill it in."))
                  : json_pack("{s:b}", "ok", 1);
    } else {
        st = idp_profile_set(ctx, p, t, key, value, idp_field_label(f), s->today);
        out = st == IDP_OK ? json_pack("{s:b}", "ok", 1)
                           : json_pack("{s:b,s:s}", "ok", 0, "message", idp_ctx_error(ctx));
    }
    reply_json(r, MHD_HTTP_OK, out);
out:
    json_decref(in);
    idp_profile_destroy(p);
    idp_template_destroy(t);
    idp_ctx_destroy(ctx);
}

static const char *block_kind(idp_block_kind k)
{
    static const char *const names[] = {"title",  "meta",  "heading",  "paragraph",
                                        "bullet", "field", "signature"};
    return (size_t)k < sizeof(names) / sizeof(names[0]) ? names[k] : "paragraph";
}

/* {"values"} -> {"ok", "blocks"} or {"ok": false, "message"}. */
static void api_letter(win_server *s, const char *lang, const char *body, size_t len, win_reply *r)
{
    json_t *values = parse_body(body, len, "values"), *out = NULL;
    idp_ctx *ctx = NULL;
    idp_template *t = NULL;
    idp_form *form = NULL;
    idp_letter *letter = NULL;

    if (values == NULL) {
        win_reply_error(r, MHD_HTTP_BAD_REQUEST, "expected {\"values\": {...}}");
        return;
    }
    if (idp_ctx_create(&ctx) != IDP_OK) {
        win_reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
        goto out;
    }
    idp_ctx_set_lang(ctx, lang);
    if (idp_template_load(ctx, tool_templates_dir(), TEMPLATE_ID, lang, &t) != IDP_OK) {
        win_reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, idp_ctx_error(ctx));
        goto out;
    }
    form = form_of(ctx, values);
    if (form == NULL || idp_template_validate(ctx, t, form, s->today) != IDP_OK ||
        idp_template_render(ctx, t, form, idp_tr(lang, "(given when the package is built)"),
                            s->today, &letter) != IDP_OK) {
        out = json_pack("{s:b,s:s}", "ok", 0, "message", idp_ctx_error(ctx));
    } else {
        json_t *blocks = json_array();
        for (size_t i = 0; i < idp_letter_block_count(letter); i++) {
            const char *label = idp_letter_block_label(letter, i);
            json_t *o = json_pack("{s:s,s:o}", "kind", block_kind(idp_letter_block_kind(letter, i)),
                                  "text", tool_json_string(idp_letter_block_text(letter, i)));
            if (label != NULL)
                json_object_set_new(o, "label", tool_json_string(label));
            json_array_append_new(blocks, o);
        }
        out = json_pack("{s:b,s:o}", "ok", 1, "blocks", blocks);
    }
    reply_json(r, MHD_HTTP_OK, out);
out:
    idp_letter_destroy(letter);
    idp_form_destroy(form);
    idp_template_destroy(t);
    idp_ctx_destroy(ctx);
    json_decref(values);
}

/* {"values"} -> saved as the profile (with the page's language). */
static void api_profile(win_server *s, const char *lang, const char *body, size_t len, win_reply *r)
{
    json_t *values = parse_body(body, len, "values"), *out;
    idp_ctx *ctx = NULL;
    idp_template *t = NULL;
    idp_profile *p = NULL;
    idp_status st;

    if (values == NULL) {
        win_reply_error(r, MHD_HTTP_BAD_REQUEST, "expected {\"values\": {...}}");
        return;
    }
    if (idp_ctx_create(&ctx) != IDP_OK) {
        win_reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
        goto out;
    }
    idp_ctx_set_lang(ctx, lang);
    st = idp_template_load(ctx, tool_templates_dir(), TEMPLATE_ID, lang, &t);
    if (st == IDP_OK) {
        st = idp_profile_load(ctx, s->profile_path, &p);
        if (st == IDP_E_NOTFOUND)
            st = idp_profile_create(ctx, &p);
    }
    for (size_t i = 0; st == IDP_OK && i < idp_template_field_count(t); i++) {
        const idp_field *f = idp_template_field(t, i);
        const char *v = json_string_value(json_object_get(values, idp_field_key(f)));
        st = idp_profile_set(ctx, p, t, idp_field_key(f), v != NULL ? v : "", idp_field_label(f),
                             s->today);
    }
    if (st == IDP_OK)
        st = idp_profile_set(ctx, p, t, IDP_PROFILE_LANG_KEY, lang, "window", s->today);
    if (st == IDP_OK)
        st = idp_profile_save(ctx, p, s->profile_path);
    if (st == IDP_OK) {
        snprintf(s->lang, sizeof(s->lang), "%s", lang);
        out = json_pack("{s:b,s:o}", "ok", 1, "path", tool_json_string(s->profile_path));
    } else {
        out = json_pack("{s:b,s:s}", "ok", 0, "message", idp_ctx_error(ctx));
    }
    reply_json(r, MHD_HTTP_OK, out);
out:
    idp_profile_destroy(p);
    idp_template_destroy(t);
    idp_ctx_destroy(ctx);
    json_decref(values);
}

/* ---- the build ------------------------------------------------------- */

/* Into out_base/idpack-package-DAY-KEY as idpack drop names it; the same
 * photos and details again give the package already there (*reused set: it
 * was recorded in the ledger when it was built). The package's reference
 * goes to ref. */
static idp_status build_keyed(win_server *s, idp_ctx *ctx, tool_build_req *bo,
                              idp_build_result *res, char *out, size_t size,
                              char ref[IDP_REFERENCE_LEN], bool *reused)
{
    char day[IDP_DAY_LEN], key[9];
    idp_status st = IDP_E_EXISTS;
    struct stat sb;
    bool keyed = tool_drop_key(bo, key);

    *reused = false;
    snprintf(day, sizeof(day), "%s", s->today);
    for (unsigned k = 1; k < 1000 && st == IDP_E_EXISTS; k++) {
        int n = snprintf(out, size, "%s/idpack-package-%s%s%s", s->out_base, day, keyed ? "-" : "",
                         keyed ? key : "");
        if (k > 1 && n > 0 && (size_t)n < size)
            snprintf(out + n, size - (size_t)n, "-%u", k);
        if (lstat(out, &sb) == 0) {
            if (keyed && S_ISDIR(sb.st_mode) && tool_drop_verifies(out, ref)) {
                *reused = true;
                return IDP_OK;
            }
            continue;
        }
        bo->out_dir = out;
        st = tool_build_package(ctx, bo, res);
    }
    if (st == IDP_OK)
        snprintf(ref, IDP_REFERENCE_LEN, "%s", idp_build_result_reference(res));
    return st;
}

static void record(win_server *s, idp_ctx *ctx, const tool_build_req *bo,
                   const idp_build_result *res, json_t *out)
{
    char *path = NULL;

    if (s->o.no_ledger)
        return;
    if (tool_ledger_path("window", s->o.ledger, true, &path) != EXIT_OK) {
        json_object_set_new(out, "ledger_error", json_string("no ledger"));
        return;
    }
    if (tool_ledger_record(ctx, path, NULL, bo, res) != IDP_OK)
        json_object_set_new(out, "ledger_error", json_string(idp_ctx_error(ctx)));
    free(path);
}

static json_t *problems_of(const idp_build_result *res, const char *lang)
{
    json_t *a = json_array();
    char msg[512];
    for (size_t i = 0; i < idp_build_result_photos(res) && i < 2; i++)
        for (size_t k = 0; k < idp_check_report_count(idp_build_result_report(res, i)); k++) {
            const idp_check_result *c = idp_check_report_result(idp_build_result_report(res, i), k);
            if (c->status != IDP_CHECK_FAIL)
                continue;
            idp_check_describe(c, lang, msg, sizeof(msg));
            json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "side", side_name[i], "check",
                                               idp_check_name(c->id), "message", msg));
        }
    return a;
}

static void api_build(win_server *s, const char *lang, const char *body, size_t len, win_reply *r)
{
    json_t *values = parse_body(body, len, "values"), *out = NULL;
    idp_ctx *ctx = NULL;
    idp_form *form = NULL;
    tool_build_req bo;
    idp_build_result *res = NULL;
    idp_policy *policy = NULL;
    char dir[PATH_MAX + 64], ref[IDP_REFERENCE_LEN] = "";
    idp_status st;
    bool reused = false;

    if (values == NULL) {
        win_reply_error(r, MHD_HTTP_BAD_REQUEST, "expected {\"values\": {...}}");
        return;
    }
    if (idp_ctx_create(&ctx) != IDP_OK || idp_build_result_create(ctx, &res) != IDP_OK) {
        win_reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
        goto out;
    }
    idp_ctx_set_lang(ctx, lang);
    tool_apply_limits(ctx);
    if (!s->photo[0].present) {
        out = json_pack("{s:b,s:s}", "ok", 0, "message",
                        idp_tr(lang, "Add the photo of the front of your ID first."));
        goto answer;
    }
    form = form_of(ctx, values);
    if (form == NULL) {
        out = json_pack("{s:b,s:s}", "ok", 0, "message", idp_ctx_error(ctx));
        goto answer;
    }
    memset(&bo, 0, sizeof(bo));
    if (idp_policy_create(ctx, &policy) != IDP_OK) {
        out = json_pack("{s:b,s:s}", "ok", 0, "message", idp_ctx_error(ctx));
        goto answer;
    }
    bo.front_path = s->photo[0].path;
    bo.back_path = s->photo[1].present ? s->photo[1].path : NULL;
    bo.form = form;
    bo.templates_dir = tool_templates_dir();
    bo.template_id = TEMPLATE_ID;
    bo.lang = lang;
    bo.policy = policy;
    bo.date = s->date;
    bo.today = s->date_fixed ? NULL : s->today;
    st = build_keyed(s, ctx, &bo, res, dir, sizeof(dir), ref, &reused);
    if (st == IDP_OK) {
        char pdf[PATH_MAX + 80];
        snprintf(pdf, sizeof(pdf), "%s/request.pdf", dir);
        s->built = true;
        snprintf(s->pkg_dir, sizeof(s->pkg_dir), "%s", dir);
        snprintf(s->pkg_ref, sizeof(s->pkg_ref), "%s", ref);
        out = json_pack("{s:b,s:s,s:o,s:o}", "ok", 1, "reference", ref, "folder",
                        tool_json_string(dir), "pdf", tool_json_string(pdf));
        /* what the seller should check although it was built (a letter of
         * the name read with doubt), as build --json's "warnings" */
        json_object_set_new(out, "warnings", json_array());
        if (*idp_build_result_warning(res) != '\0')
            json_array_append_new(json_object_get(out, "warnings"),
                                  tool_json_string(idp_build_result_warning(res)));
        if (!reused)
            record(s, ctx, &bo, res, out);
    } else if (st == IDP_E_REJECTED) {
        out = json_pack("{s:b,s:s,s:o}", "ok", 0, "message",
                        idp_tr(lang,
                               "The package was not built: Amazon would reject a photo. Take it "
                               "again and drop it here."),
                        "problems", problems_of(res, lang));
    } else {
        char advised[4096 + 128]; /* the error, and how the window gives a photo */
        out = json_pack(
            "{s:b,s:s}", "ok", 0, "message",
            tool_error_advice(ctx, st, NULL, TOOL_SURFACE_WINDOW, lang, advised, sizeof(advised)));
    }
answer:
    reply_json(r, MHD_HTTP_OK, out);
out:
    idp_build_result_destroy(res);
    idp_form_destroy(form);
    idp_policy_destroy(policy);
    idp_ctx_destroy(ctx);
    json_decref(values);
}

/* Answers the file at path (opened now, under the lock; sent later). */
static void reply_file(win_reply *r, const char *path, const char *type)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat sb;

    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        if (fd >= 0)
            close(fd);
        win_reply_error(r, MHD_HTTP_NOT_FOUND, "not found");
        return;
    }
    r->status = MHD_HTTP_OK;
    r->type = type;
    r->has_fd = true;
    r->fd = fd;
    r->fd_size = (uint64_t)sb.st_size;
    r->body = empty_body;
    r->is_static = true;
}

void win_api(win_server *s, const char *method, const char *url, const char *lang,
             const char *side_arg, const char *what_arg, const char *body, size_t len, win_reply *r)
{
    const bool get = strcmp(method, "POST") != 0;
    int side = side_arg == NULL                 ? -1
               : strcmp(side_arg, "front") == 0 ? 0
               : strcmp(side_arg, "back") == 0  ? 1
                                                : -1;

    memset(r, 0, sizeof(*r));
    if (get && strcmp(url, "/api/state") == 0) {
        api_state(s, lang, r);
    } else if (get && strcmp(url, "/api/texts") == 0) {
        reply_json(r, MHD_HTTP_OK, win_texts_json(lang));
    } else if (get && strcmp(url, "/api/thumb") == 0 && side >= 0 && s->photo[side].has_thumb) {
        char path[PATH_MAX + 64];
        win_store_thumb_path(s, side, path, sizeof(path));
        reply_file(r, path, "image/jpeg");
    } else if (get && strcmp(url, "/api/pdf") == 0 && s->built) {
        char path[PATH_MAX + 80];
        snprintf(path, sizeof(path), "%s/request.pdf", s->pkg_dir);
        reply_file(r, path, "application/pdf");
    } else if (!get && strcmp(url, "/api/remove") == 0 && side >= 0) {
        win_store_remove(s, side);
        api_state(s, lang, r);
    } else if (!get && strcmp(url, "/api/field") == 0) {
        api_field(s, lang, body, len, r);
    } else if (!get && strcmp(url, "/api/letter") == 0) {
        api_letter(s, lang, body, len, r);
    } else if (!get && strcmp(url, "/api/profile") == 0) {
        api_profile(s, lang, body, len, r);
    } else if (!get && strcmp(url, "/api/build") == 0) {
        api_build(s, lang, body, len, r);
    } else if (!get && strcmp(url, "/api/open") == 0 && s->built && what_arg != NULL &&
               (strcmp(what_arg, "pdf") == 0 || strcmp(what_arg, "folder") == 0)) {
        char path[PATH_MAX + 80];
        snprintf(path, sizeof(path), "%s%s", s->pkg_dir,
                 strcmp(what_arg, "pdf") == 0 ? "/request.pdf" : "");
        tool_drop_open(path);
        reply_json(r, MHD_HTTP_OK, json_pack("{s:b}", "ok", 1));
    } else {
        win_reply_error(r, MHD_HTTP_NOT_FOUND, "not found");
    }
}
