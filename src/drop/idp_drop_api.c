/* The drop driver's public calls (idp_drop.h): the sentences a caller
 * says itself, and the problems file as one object: the files dropped,
 * the details, the photos checked on their own, a failed build, the text
 * written next to the photos. Its words: idp_drop_problems.c. */
#include "idp_drop.h"

#include "idp_io.h"
#include "idp_policy.h"
#include "idp_wipe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void idp_drop_say(const char *lang, idp_drop_sentence which, const char *arg, char *buf,
                  size_t size)
{
    idp_drop_text tx;
    const char *tmpl;

    if (size == 0)
        return;
    idp_drop_text_get(lang, &tx);
    switch (which) {
    case IDP_DROP_SAY_COUNT:
        tmpl = tx.count;
        break;
    case IDP_DROP_SAY_REUSED:
        tmpl = tx.reused;
        break;
    case IDP_DROP_SAY_WRITTEN:
        tmpl = tx.written;
        break;
    case IDP_DROP_SAY_NOTIFY_OK:
        tmpl = tx.notify_ok;
        break;
    case IDP_DROP_SAY_NOTIFY_FAIL:
        tmpl = tx.notify_fail;
        break;
    case IDP_DROP_SAY_NOTIFY_PROFILE:
        tmpl = tx.notify_profile;
        break;
    default:
        buf[0] = '\0';
        return;
    }
    idp_drop_fill(buf, size, tmpl, arg);
}

idp_status idp_drop_problems_create(idp_ctx *ctx, const char *lang, const char *const *files,
                                    size_t n, idp_drop_problems **out)
{
    idp_drop_problems *p = malloc(sizeof(*p));

    *out = NULL;
    if (p == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
    idp_drop_problems_init(p, lang);
    if (files != NULL)
        idp_drop_problems_files(p, files, n);
    if (n > 2)
        idp_drop_problems_count(p, n);
    *out = p;
    return IDP_OK;
}

void idp_drop_problems_destroy(idp_drop_problems *p)
{
    if (p == NULL)
        return;
    idp_drop_problems_free(p);
    free(p);
}

/* Leaves out id_type and id_expiry from a list of missing fields: the
 * machine-readable zone gives them. Returns the count left. */
static size_t not_from_zone(const idp_field **missing, size_t n)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++)
        if (strcmp(missing[i]->key, "id_type") != 0 && strcmp(missing[i]->key, "id_expiry") != 0)
            missing[k++] = missing[i];
    return k;
}

idp_status idp_drop_problems_details(idp_drop_problems *p, idp_status loaded, const char *error,
                                     const idp_profile *profile, const idp_template *t, bool made,
                                     const char *profile_path, bool *edit)
{
    idp_status st = IDP_OK;

    *edit = false;
    if (error == NULL)
        error = "";
    if (loaded == IDP_E_NOTFOUND && profile == NULL) {
        /* made: a profile to fill in, opened in the seller's editor */
        idp_drop_problems_no_profile(p, made);
        *edit = made;
        st = IDP_E_NOTFOUND;
    } else if (profile == NULL) {
        idp_drop_problems_bad_details(p, error);
        *edit = true;
        st = loaded != IDP_OK ? loaded : IDP_E_USAGE;
    } else if (t == NULL) {
        /* the template: nothing the seller can edit */
        idp_drop_problems_fill(p, p->tx->other, error);
        return loaded != IDP_OK ? loaded : IDP_E_USAGE;
    } else {
        const idp_field *missing[32];
        size_t n = idp_profile_missing(profile, t, missing, 32);
        if (n > 32)
            n = 32;
        n = not_from_zone(missing, n);
        if (n > 0) {
            idp_drop_problems_missing(p, missing, n);
            *edit = true;
            st = IDP_E_FIELD;
        }
    }
    if (*edit) {
        idp_drop_problems_edit(p, profile_path);
        idp_drop_problems_printf(p, "\n");
    } else if (st == IDP_E_NOTFOUND) {
        /* The file could not be made: the command instead. */
        idp_drop_problems_printf(p, "idpack profile set full_name=\"...\" account_email=... "
                                    "id_type=id_card id_expiry=YYYY-MM-DD\n\n");
    }
    return st;
}

bool idp_drop_problems_check(idp_ctx *ctx, idp_drop_problems *p, const char *const *photos,
                             size_t n)
{
    idp_check_report *reports;
    idp_policy policy;
    bool failed;

    if (n > 2)
        n = 2;
    reports = calloc(n > 0 ? n : 1, sizeof(*reports));
    if (reports == NULL) {
        p->oom = true;
        return false;
    }
    idp_policy_default(&policy);
    for (size_t i = 0; i < n; i++) {
        /* The report says what failed, an unreadable photo included. */
        (void)idp_check_file(ctx, photos[i], &policy, &reports[i]);
        idp_ctx_clear(ctx);
    }
    if (n == 2)
        idp_check_duplicates(reports, n, &policy);
    failed = idp_drop_problems_photos(p, photos, reports, n);
    idp_free_wiped(reports, n * sizeof(*reports));
    return failed;
}

const char *idp_drop_problems_text(const idp_drop_problems *p, size_t *len)
{
    *len = 0;
    if (p->oom)
        return NULL;
    *len = p->len;
    return p->s != NULL ? p->s : "";
}

idp_status idp_drop_problems_write(idp_ctx *ctx, const idp_drop_problems *p, const char *path)
{
    size_t len;
    const char *text = idp_drop_problems_text(p, &len);

    if (text == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", path);
    return idp_write_atomic(ctx, path, text, len, true);
}
