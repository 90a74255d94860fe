/* Printing check reports, as text and as JSON. */
#include "tool_report.h"

#include "idp_load.h"

#include <math.h>
#include <string.h>

static const char *status_word(idp_check_status s, const char *lang)
{
    static const char *const en[] = {"ok", "warning", "FAIL"};
    static const char *const it[] = {"ok", "attenzione", "RIFIUTATA"};
    return strcmp(lang, "it") == 0 ? it[s] : en[s];
}

static const char *verdict_word(idp_verdict v, const char *lang)
{
    static const char *const en[] = {"looks good", "usable, with warnings", "would be rejected",
                                     "cannot be read"};
    static const char *const it[] = {"va bene", "utilizzabile, con avvisi", "verrebbe rifiutata",
                                     "illeggibile"};
    return strcmp(lang, "it") == 0 ? it[v] : en[v];
}

static json_t *num_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

json_t *tool_report_json(const char *file, const idp_check_report *r, const char *error,
                         const char *lang)
{
    json_t *img = json_object(), *checks = json_array();
    char msg[512];

    json_object_set_new(img, "file", json_string(file));
    json_object_set_new(img, "verdict", json_string(idp_verdict_name(r->verdict)));
    if (r->verdict == IDP_VERDICT_ERROR)
        json_object_set_new(img, "error", json_string(error));
    if (r->info.width > 0) {
        json_object_set_new(img, "width", json_integer(r->info.width));
        json_object_set_new(img, "height", json_integer(r->info.height));
    } else {
        json_object_set_new(img, "width", json_null());
        json_object_set_new(img, "height", json_null());
    }
    if (r->info.format != IDP_FORMAT_UNKNOWN)
        json_object_set_new(img, "format", json_string(idp_format_name(r->info.format)));
    for (size_t i = 0; i < r->n_checks; i++) {
        const idp_check_result *c = &r->checks[i];
        json_t *o = json_object();
        idp_check_describe(c, lang, msg, sizeof(msg));
        json_object_set_new(o, "id", json_string(idp_check_name(c->id)));
        json_object_set_new(o, "status", json_string(idp_check_status_name(c->status)));
        json_object_set_new(o, "value", num_or_null(c->value));
        json_object_set_new(o, "limit", num_or_null(c->limit));
        json_object_set_new(o, "message", json_string(msg));
        json_array_append_new(checks, o);
    }
    json_object_set_new(img, "checks", checks);
    if (idp_report_find(r, IDP_CHECK_DOCUMENT) != NULL) { /* detection ran */
        const idp_document *d = &r->document;
        json_t *doc = json_object(), *quad = json_array();
        json_object_set_new(doc, "found", json_boolean(d->found));
        json_object_set_new(doc, "kind", json_string(idp_doc_kind_name(d->kind)));
        for (int i = 0; d->found && i < 4; i++)
            json_array_append_new(quad, json_pack("[f,f]", round(d->quad[i][0] * 10) / 10,
                                                  round(d->quad[i][1] * 10) / 10));
        json_object_set_new(doc, "quad", d->found ? quad : json_null());
        if (!d->found)
            json_decref(quad);
        json_object_set_new(img, "document", doc);
    }
    return img;
}

void tool_report_text(FILE *f, const char *file, const idp_check_report *r, const char *error,
                      const char *lang)
{
    char msg[512];

    if (r->verdict == IDP_VERDICT_ERROR) {
        fprintf(f, "%s: %s\n  %s\n", file, verdict_word(r->verdict, lang), error);
        return;
    }
    fprintf(f, "%s (%ux%u): %s\n", file, r->info.width, r->info.height,
            verdict_word(r->verdict, lang));
    for (size_t i = 0; i < r->n_checks; i++) {
        const idp_check_result *c = &r->checks[i];
        idp_check_describe(c, lang, msg, sizeof(msg));
        fprintf(f, "  %-10s %-11s %s\n", status_word(c->status, lang), idp_check_name(c->id), msg);
    }
}
