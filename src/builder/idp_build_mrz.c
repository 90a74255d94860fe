/* The form against the machine-readable zone read from the photos. */
#include "idp_build_mrz.h"
#include "idp_tr.h"
#include "idp_date.h"

#include "idp_mrz_match.h"
#include "idp_value.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* A zone whose check digits are at least half right is a zone, not a
 * line of print taken for one: its code and name are trusted. */
#define TRUSTED_SCORE 50

static idp_status copy_form(idp_ctx *ctx, const idp_form *form, idp_form **out)
{
    idp_status st = idp_form_create(ctx, out);

    for (size_t i = 0; st == IDP_OK && i < idp_form_count(form); i++) {
        const char *key = idp_form_key(form, i);
        const char *origin = idp_form_origin(form, key);
        st = idp_form_set(ctx, *out, key, idp_form_get(form, key), origin != NULL ? origin : "", 0);
    }
    if (st != IDP_OK) {
        idp_form_destroy(*out);
        *out = NULL;
    }
    return st;
}

static bool has(const idp_form *form, const char *key)
{
    const char *v = idp_form_get(form, key);
    return v != NULL && *v != '\0';
}

idp_status idp_build_mrz_probe(idp_ctx *ctx, const idp_policy *policy, const idp_form *form,
                               size_t n_photos, idp_form **probe)
{
    idp_status st = IDP_OK;

    *probe = NULL;
    if (!policy->mrz_read || (has(form, IDP_MRZ_FIELD_TYPE) && has(form, IDP_MRZ_FIELD_EXPIRY)))
        return IDP_OK;
    st = copy_form(ctx, form, probe);
    if (st == IDP_OK && !has(form, IDP_MRZ_FIELD_TYPE))
        st = idp_form_set(ctx, *probe, IDP_MRZ_FIELD_TYPE, n_photos > 1 ? "id_card" : "passport",
                          "mrz", 1);
    if (st == IDP_OK && !has(form, IDP_MRZ_FIELD_EXPIRY))
        st = idp_form_set(ctx, *probe, IDP_MRZ_FIELD_EXPIRY, "2199-12-31", "mrz", 1);
    if (st != IDP_OK) {
        idp_form_destroy(*probe);
        *probe = NULL;
    }
    return st;
}

/* The id_type a document code says: P passport; A, C, I an ID card, or
 * a residence permit when the second letter is R (IR, AR, CR: the EU's
 * residence permit card); NULL for a visa and anything else. */
static const char *type_of_code(const char *code)
{
    if (code[0] == 'P')
        return "passport";
    if (code[0] == 'I' || code[0] == 'A' || code[0] == 'C')
        return code[1] == 'R' ? "residence_permit" : "id_card";
    return NULL;
}

/* Whether the form's id_type agrees with the zone's: an ID card and a
 * residence permit share their codes (several states print I< on both). */
static bool type_agrees(const char *form_type, const char *zone_type)
{
    bool form_card =
        strcmp(form_type, "id_card") == 0 || strcmp(form_type, "residence_permit") == 0;
    bool zone_card =
        strcmp(zone_type, "id_card") == 0 || strcmp(zone_type, "residence_permit") == 0;
    return strcmp(form_type, zone_type) == 0 || (form_card && zone_card);
}

typedef struct problems {
    char text[3072];
    size_t used;
    idp_status st;
} problems;

static void add(problems *p, idp_status st, const char *fmt, ...) IDP_PRINTF(3, 4);

static void add(problems *p, idp_status st, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (p->used + 2 >= sizeof(p->text))
        return;
    if (p->used > 0)
        p->text[p->used++] = '\n';
    va_start(ap, fmt);
    n = vsnprintf(p->text + p->used, sizeof(p->text) - p->used, fmt, ap);
    va_end(ap);
    if (n > 0)
        p->used +=
            (size_t)n < sizeof(p->text) - p->used ? (size_t)n : sizeof(p->text) - p->used - 1;
    if (p->st == IDP_OK || st == IDP_E_MISMATCH)
        p->st = st;
}

/* The photo showing the best zone, or -1. */
static int best_zone(const idp_build_mrz_in *in)
{
    int best = -1;

    for (size_t i = 0; i < in->n; i++)
        if (in->reports[i].has_mrz &&
            (best < 0 || in->reports[i].mrz.valid_score > in->reports[best].mrz.valid_score))
            best = (int)i;
    return best;
}

static bool expiry_valid(const idp_mrz *m, char iso[11])
{
    for (size_t i = 0; i < m->n_checks; i++)
        if (m->checks[i].id == IDP_MRZ_CHECK_EXPIRY)
            return m->checks[i].valid && idp_mrz_expiry_iso(m, iso);
    return false;
}

static bool check_swapped(const idp_build_mrz_in *in, const char *lang, problems *p)
{
    const idp_check_report *front = &in->reports[0], *back = &in->reports[1];

    if (in->n != 2 || !front->has_mrz || front->mrz.format != IDP_MRZ_TD1 ||
        front->mrz.valid_score < TRUSTED_SCORE || back->has_mrz)
        return false;
    add(p, IDP_E_MISMATCH,
        idp_tr(lang, "%s, given as the front, shows a machine-readable zone of three lines (the "
                     "back of an ID card) and %s shows none: the photos are probably swapped. "
                     "Give them the other way round"),
        in->paths[0], in->paths[1]);
    return true;
}

static idp_status check_type(idp_ctx *ctx, const idp_build_mrz_in *in, const idp_mrz *z,
                             const char *path, idp_form *filled, problems *p)
{
    const char *lang = idp_ctx_lang(ctx);
    const char *zone_type = z != NULL ? type_of_code(z->document_type) : NULL;
    const char *form_type = idp_form_get(in->form, IDP_MRZ_FIELD_TYPE);

    if (zone_type == NULL)
        return IDP_OK;
    if (form_type == NULL || *form_type == '\0')
        return idp_form_set(ctx, filled, IDP_MRZ_FIELD_TYPE, zone_type,
                            idp_tr(lang, "the machine-readable zone"), 1);
    if (!type_agrees(form_type, zone_type))
        add(p, IDP_E_MISMATCH,
            idp_tr(lang,
                   "id_type is %s, but the machine-readable zone of %s says %s (document code "
                   "%s): set id_type=%s, or leave id_type out and idpack takes it from the zone"),
            form_type, path, zone_type, z->document_type, zone_type);
    return IDP_OK;
}

static idp_status check_expiry(idp_ctx *ctx, const idp_build_mrz_in *in, const idp_mrz *z,
                               const char *path, idp_form *filled, problems *p)
{
    const char *lang = idp_ctx_lang(ctx);
    const char *form_expiry = idp_form_get(in->form, IDP_MRZ_FIELD_EXPIRY);
    char iso[11], given[16];
    int y, m, d;

    if (z == NULL || !expiry_valid(z, iso))
        return IDP_OK;
    if (form_expiry == NULL || *form_expiry == '\0')
        return idp_form_set(ctx, filled, IDP_MRZ_FIELD_EXPIRY, iso,
                            idp_tr(lang, "the machine-readable zone"), 1);
    if (idp_value_date(form_expiry, in->tlang, &y, &m, &d) != 1)
        return IDP_OK; /* the validation says what is wrong with it */
    idp_date_format(y, m, d, given);
    if (strcmp(given, iso) != 0)
        add(p, IDP_E_MISMATCH,
            idp_tr(lang,
                   "id_expiry is not the expiry date in the machine-readable zone of %s, %s: set "
                   "id_expiry=%s, or leave id_expiry out and idpack takes it from the zone"),
            path, iso, iso);
    return IDP_OK;
}

static void check_name(const idp_build_mrz_in *in, const char *lang, const idp_mrz *z,
                       const char *path, problems *p)
{
    const char *name = idp_form_get(in->form, "full_name");
    char icao[160], surname[48], given[48];
    bool truncated;
    idp_name_match m;

    if (z == NULL || name == NULL || !in->policy->mrz_name_match ||
        !idp_mrz_name_parts(z, surname, given, &truncated))
        return;
    m = idp_mrz_name_compare(z, name);
    if (m == IDP_NAME_MISREAD && in->warning != NULL && in->warning_size > 0)
        snprintf(in->warning, in->warning_size,
                 idp_tr(lang, "one letter of the name on the ID (the machine-readable zone of %s) "
                              "could not be read with certainty: check that full_name is spelt "
                              "exactly as on the ID"),
                 path);
    if (m != IDP_NAME_DIFFERENT)
        return;
    idp_name_icao(name, icao, sizeof(icao));
    add(p, IDP_E_MISMATCH,
        idp_tr(lang,
               "full_name \"%s\" (%s, as an ID writes it) is not the name in the machine-readable "
               "zone of %s: surname %s, given names %s. Write full_name as it is on the ID or, if "
               "the difference is expected, use a policy holding {\"mrz\": {\"name_match\": 0}}"),
        name, icao, path, surname, given[0] != '\0' ? given : "-");
}

idp_status idp_build_mrz_cross(idp_ctx *ctx, const idp_build_mrz_in *in, idp_form **filled)
{
    const char *lang = idp_ctx_lang(ctx);
    bool swapped;
    problems p;
    idp_status st;
    const idp_mrz *z = NULL, *trusted = NULL;
    const char *path = "";
    int b = best_zone(in);

    memset(&p, 0, sizeof(p));
    *filled = NULL;
    if (in->warning != NULL && in->warning_size > 0)
        in->warning[0] = '\0';
    if (b >= 0) {
        z = &in->reports[b].mrz;
        path = in->paths[b] != NULL ? in->paths[b] : "";
        if (z->valid_score >= TRUSTED_SCORE)
            trusted = z;
    }
    st = copy_form(ctx, in->form, filled);
    if (st != IDP_OK)
        return st;
    st = check_type(ctx, in, trusted, path, *filled, &p);
    if (st == IDP_OK)
        st = check_expiry(ctx, in, z, path, *filled, &p);
    if (st != IDP_OK)
        goto fail;
    check_name(in, lang, trusted, path, &p);
    if (!has(*filled, IDP_MRZ_FIELD_TYPE))
        add(&p, IDP_E_FIELD,
            idp_tr(lang,
                   "id_type is missing and the photos show no machine-readable zone that tells "
                   "the document's type: add id_type (passport, id_card, driving_licence or "
                   "residence_permit)"));
    if (!has(*filled, IDP_MRZ_FIELD_EXPIRY))
        add(&p, IDP_E_FIELD,
            idp_tr(lang,
                   "id_expiry is missing and no machine-readable zone with a valid expiry date "
                   "was read from the photos: add id_expiry=YYYY-MM-DD (the date the ID is valid "
                   "until)"));
    /* last: its caller adds how its program gives the photos */
    swapped = check_swapped(in, lang, &p);
    if (p.st == IDP_OK)
        return IDP_OK;
    st = idp_fail(ctx, p.st, "%s", p.text);
    if (swapped)
        idp_ctx_set_advice(ctx, IDP_ADVICE_SWAP_PHOTOS);
fail:
    idp_form_destroy(*filled);
    *filled = NULL;
    return st;
}
