/* Printing check reports, as text and as JSON. */
#include "tool_report.h"
#include "idp_util.h"

#include "tool.h"
#include "tool_opts.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void tool_put_safe(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p != '\0') {
        uint32_t cp;
        size_t n = idp_utf8_decode_str((const char *)p, &cp);
        if (n == 0 || cp < 0x20 || cp == 0x7f) {
            fprintf(f, "\\x%02x", *p);
            p++;
        } else if ((cp >= 0x80 && cp <= 0x9f) || idp_utf8_bidi_control(cp)) {
            fprintf(f, "<U+%04X>", (unsigned)cp);
            p += n;
        } else {
            fwrite(p, 1, n, f);
            p += n;
        }
    }
}

void tool_print_error(const char *cmd, const char *msg)
{
    fputs("idpack", stderr);
    if (cmd != NULL)
        fprintf(stderr, " %s", cmd);
    fputs(": ", stderr);
    tool_put_safe(stderr, msg);
    fputc('\n', stderr);
}

json_t *tool_json_string(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), o = 0;
    unsigned char *fixed;
    json_t *j;

    j = json_string(s);
    if (j != NULL)
        return j;
    if (len > (SIZE_MAX - 1) / 3)
        return NULL;
    fixed = malloc(3 * len + 1); /* each byte at most becomes U+FFFD */
    if (fixed == NULL)
        return NULL;
    while (*p != '\0') {
        uint32_t cp;
        size_t n = idp_utf8_decode_str((const char *)p, &cp);
        if (n == 0) {
            memcpy(fixed + o, "\xef\xbf\xbd", 3);
            o += 3;
            p++;
        } else {
            memcpy(fixed + o, p, n);
            o += n;
            p += n;
        }
    }
    fixed[o] = '\0';
    j = json_string((const char *)fixed);
    free(fixed);
    return j;
}

static const char *status_word(idp_check_status s, const char *lang)
{
    static const char *const en[] = {N_("ok"), N_("warning"), N_("FAIL")};
    return idp_tr(lang, en[s]);
}

static const char *verdict_word(idp_verdict v, const char *lang)
{
    static const char *const en[] = {N_("looks good"), N_("usable, with warnings"),
                                     N_("would be rejected"), N_("cannot be read")};
    return idp_tr(lang, en[v]);
}

static json_t *num_or_null(double v, int decimals)
{
    return isfinite(v) ? json_real(tool_json_round(v, decimals)) : json_null();
}

/* The decimals a check's value and limit are given with: what the
 * measurement can tell apart (docs/exit-codes.md, "Numbers"). */
static int check_decimals(idp_check_id id, double v)
{
    return idp_check_decimals(id, v); /* the same as manifest.json's */
}

json_t *tool_document_json(const idp_document *d)
{
    json_t *doc = json_object();
    const bool found = idp_document_found(d);
    json_object_set_new(doc, "found", json_boolean(found));
    json_object_set_new(doc, "kind", json_string(idp_doc_kind_name(idp_document_kind(d))));
    json_object_set_new(doc, "upright",
                        found ? json_string(idp_upright_cue_name(idp_document_cue(d)))
                              : json_null());
    json_object_set_new(doc, "orientation",
                        found ? json_string(idp_document_portrait(d) ? "portrait" : "landscape")
                              : json_null());
    if (found) {
        json_t *quad = json_array();
        double q[4][2];
        idp_document_quad(d, q);
        for (int i = 0; i < 4; i++)
            json_array_append_new(
                quad, json_pack("[f,f]", tool_json_round(q[i][0], 1), tool_json_round(q[i][1], 1)));
        json_object_set_new(doc, "quad", quad);
    } else {
        json_object_set_new(doc, "quad", json_null());
    }
    json_object_set_new(doc, "confidence",
                        json_real(tool_json_round(idp_document_confidence(d), 2)));
    json_object_set_new(doc, "scan", json_boolean(idp_document_scan(d)));
    json_object_set_new(doc, "cut_off", json_boolean(idp_document_cut_off(d)));
    return doc;
}

json_t *tool_report_json(const char *file, const idp_check_report *r, const char *error,
                         const char *lang)
{
    json_t *img = json_object(), *checks = json_array();
    char msg[512];
    uint32_t width, height;

    json_object_set_new(img, "file", tool_json_string(file));
    json_object_set_new(img, "verdict", json_string(idp_verdict_name(idp_check_report_verdict(r))));
    if (idp_check_report_verdict(r) == IDP_VERDICT_ERROR)
        json_object_set_new(img, "error", tool_json_string(error));
    idp_check_report_size(r, &width, &height);
    if (width > 0) {
        json_object_set_new(img, "width", json_integer(width));
        json_object_set_new(img, "height", json_integer(height));
    } else {
        json_object_set_new(img, "width", json_null());
        json_object_set_new(img, "height", json_null());
    }
    if (idp_check_report_format(r) != NULL)
        json_object_set_new(img, "format", json_string(idp_check_report_format(r)));
    for (size_t i = 0; i < idp_check_report_count(r); i++) {
        const idp_check_result *c = idp_check_report_result(r, i);
        json_t *o = json_object();
        idp_check_describe(c, lang, msg, sizeof(msg));
        json_object_set_new(o, "id", json_string(idp_check_name(c->id)));
        json_object_set_new(o, "status", json_string(idp_check_status_name(c->status)));
        json_object_set_new(o, "value", num_or_null(c->value, check_decimals(c->id, c->value)));
        json_object_set_new(o, "limit", num_or_null(c->limit, check_decimals(c->id, c->limit)));
        json_object_set_new(o, "message", json_string(msg));
        json_array_append_new(checks, o);
    }
    json_object_set_new(img, "checks", checks);
    if (idp_check_report_icc_ignored(r) != NULL) /* why the embedded profile was not used */
        json_object_set_new(img, "icc_ignored", json_string(idp_check_report_icc_ignored(r)));
    if (idp_check_report_detection(r) != NULL) /* detection ran */
        json_object_set_new(img, "document", tool_document_json(idp_check_report_detection(r)));
    if (idp_check_report_mrz(r) != NULL)
        json_object_set_new(img, "mrz", tool_mrz_summary_json(idp_check_report_mrz(r)));
    return img;
}

void tool_report_text(FILE *f, const char *file, const idp_check_report *r, const char *error,
                      const char *lang)
{
    char msg[512];
    uint32_t width, height;

    tool_put_safe(f, file);
    if (idp_check_report_verdict(r) == IDP_VERDICT_ERROR) {
        fprintf(f, ": %s\n  ", verdict_word(idp_check_report_verdict(r), lang));
        if (tool_lang_translated(lang)) {
            /* In a language other than the decoder's English, the
             * reader's own words: what the decode or limits check says
             * about such a file. */
            idp_check_result c;
            memset(&c, 0, sizeof(c));
            c.id = idp_check_report_load_status(r) == IDP_E_LIMITS ? IDP_CHECK_LIMITS
                                                                   : IDP_CHECK_DECODE;
            c.status = IDP_CHECK_FAIL;
            c.other = -1;
            for (size_t i = 0; i < idp_check_report_count(r); i++)
                if (idp_check_report_result(r, i)->status == IDP_CHECK_FAIL)
                    c = *idp_check_report_result(r, i); /* the measured limit, when there is one */
            if (c.id == IDP_CHECK_LIMITS && c.limit <= 0) {
                fputs(tool_tr(lang, "the file is too large to check safely (too many pixels or "
                                    "bytes): send the photo at the phone's normal size, not an "
                                    "enlarged copy, a huge scan or a panorama"),
                      f);
            } else if (idp_check_report_load_status(r) == IDP_E_NOTFOUND) {
                fputs(tool_tr(lang, "the file does not exist: check its name and folder"), f);
            } else {
                idp_check_describe(&c, lang, msg, sizeof(msg));
                fputs(msg, f);
            }
            fputc('\n', f);
            return;
        }
        tool_put_safe(f, error);
        fputc('\n', f);
        /* what it costs to read, said in the seller's language too */
        if (idp_check_report_count(r) > 0 &&
            idp_check_report_result(r, 0)->reason == IDP_REASON_DECODE_COST) {
            idp_check_describe(idp_check_report_result(r, 0), lang, msg, sizeof(msg));
            fprintf(f, "  %s\n", msg);
        }
        return;
    }
    idp_check_report_size(r, &width, &height);
    fprintf(f, " (%ux%u): %s\n", width, height, verdict_word(idp_check_report_verdict(r), lang));
    for (size_t i = 0; i < idp_check_report_count(r); i++) {
        const idp_check_result *c = idp_check_report_result(r, i);
        idp_check_describe(c, lang, msg, sizeof(msg));
        fprintf(f, "  %-10s %-11s %s\n", status_word(c->status, lang), idp_check_name(c->id), msg);
    }
    if (idp_check_report_icc_ignored(r) != NULL)
        fputs(tool_tr(lang, "  note: the embedded colour profile was ignored (it cannot be read "
                            "safely): the colours are read as sRGB. If they look wrong, export "
                            "the photo again in sRGB.\n"),
              f);
    if (idp_check_report_mrz(r) != NULL)
        fprintf(f, "  %-10s %-11s %s %s, valid_score %d\n", "", "mrz",
                tool_tr(lang, "machine-readable zone"),
                idp_mrz_format_name(idp_mrz_format_of(idp_check_report_mrz(r))),
                idp_mrz_valid_score(idp_check_report_mrz(r)));
}

json_t *tool_mrz_summary_json(const idp_mrz *m)
{
    json_t *o = json_object(), *fields = json_object();
    char buf[24], date[11], sex[2] = {idp_mrz_sex(m), 0};
    json_object_set_new(o, "format", json_string(idp_mrz_format_name(idp_mrz_format_of(m))));
    json_object_set_new(o, "valid_score", json_integer(idp_mrz_valid_score(m)));
    json_object_set_new(o, "engine", json_string(idp_mrz_engine(m)));
    json_object_set_new(fields, "document_type",
                        json_string(idp_mrz_field(m, IDP_MRZ_DOCUMENT_TYPE)));
    json_object_set_new(fields, "issuing_state",
                        json_string(idp_mrz_field(m, IDP_MRZ_ISSUING_STATE)));
    json_object_set_new(fields, "surname", json_string(idp_mrz_field(m, IDP_MRZ_SURNAME)));
    json_object_set_new(fields, "given_names", json_string(idp_mrz_field(m, IDP_MRZ_GIVEN_NAMES)));
    idp_mrz_masked_number(m, buf, sizeof(buf));
    json_object_set_new(fields, "document_number", json_string(buf));
    json_object_set_new(fields, "nationality", json_string(idp_mrz_field(m, IDP_MRZ_NATIONALITY)));
    json_object_set_new(fields, "sex", json_string(sex));
    json_object_set_new(fields, "expiry_date",
                        idp_mrz_expiry_iso(m, date) ? json_string(date) : json_null());
    json_object_set_new(o, "fields", fields);
    return o;
}
