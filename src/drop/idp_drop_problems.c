/* What idpack drop tells the seller when something is wrong: the words of
 * idpack-problems.txt, in English here and in every language of po/ (idp_drop.h). */
#include "idp_drop.h"

#include "idp_io.h"
#include "idp_tr.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- messages ----------------------------------------------------------- */

static const idp_drop_text text_en = {
    .failed = N_("idpack could not make your package from: {}\n"),
    .photo = N_("Photo"),
    .front = N_("front of the ID"),
    .back = N_("back of the ID"),
    .retake = N_("What to do: take the photo(s) named above again, then drop the photos on the "
                 "idpack icon again.\n"),
    .no_profile = N_("Your details are not saved yet: idpack has made the file for them, a line "
                     "for each detail.\n"),
    .missing = N_("Your saved details lack: {}.\n"),
    .bad_field = N_("One of your saved details is not valid: {}\n"),
    .expired = N_("Your ID expired on {}: Amazon does not accept an expired ID. Photograph a "
                  "valid document and write its expiry date as id_expiry in your details.\n"),
    .count = N_("Drop one photo (a passport) or two photos (front and back of an ID card) at a "
                "time; {} files were dropped.\n"),
    .other = N_("Something went wrong: {}\n"),
    .notify_ok = N_("Package ready: {}"),
    .notify_fail = N_("Something is wrong: read {}"),
    .written = N_("These problems are also written in {}\n"),
    .unreadable = N_("this file cannot be opened as a photo: save it again as JPEG or PNG, or "
                     "take the photo again"),
    .no_file = N_("this file does not exist (was it moved or renamed?): drop the photos again"),
    .too_large = N_("this file is too large to be a photo of an ID (over 50 MB or 100 megapixels): "
                    "take the photo again with the phone's normal camera settings"),
    .edit = N_("What to do: open {} (idpack opens it in your text editor; else open it with any "
               "text editor), write each detail after its '=' sign, save the file, then drop the "
               "photos on the idpack icon again.\n"),
    .notify_profile = N_("Your details are needed: write them in the file that opened ({}), save "
                         "it, then drop the photos again (more in idpack-problems.txt)"),
    .reused = N_("These photos and details already made this package; it is unchanged: {}\n"),
    .mismatch = N_("Your saved details do not match the machine-readable zone of your ID (the "
                   "lines of letters and <<< at the bottom):\n{}\nCorrect your details, or "
                   "photograph the ID the details are for.\n"),
};

void idp_drop_text_get(const char *lang, idp_drop_text *out)
{
    const char *cat = idp_tr_catalogue(lang); /* "it" for "it_IT.UTF-8" too */
#define TRANSLATE(name) out->name = idp_tr(cat, text_en.name);
    IDP_DROP_TEXT_FIELDS(TRANSLATE)
#undef TRANSLATE
}

void idp_drop_fill(char *buf, size_t size, const char *tmpl, const char *arg)
{
    const char *at = strstr(tmpl, "{}");

    if (at == NULL)
        snprintf(buf, size, "%s", tmpl);
    else
        snprintf(buf, size, "%.*s%s%s", (int)(at - tmpl), tmpl, arg, at + 2);
}

/* ---- a growing text ----------------------------------------------------- */

void idp_drop_problems_init(idp_drop_problems *p, const char *lang)
{
    memset(p, 0, sizeof(*p));
    idp_drop_text_get(lang, &p->text);
    p->tx = &p->text;
    p->lang = idp_tr_catalogue(lang) != NULL ? idp_tr_catalogue(lang) : "en";
}

void idp_drop_problems_free(idp_drop_problems *p)
{
    idp_free_wiped(p->s, p->cap);
    p->s = NULL;
    p->len = p->cap = 0;
}

void idp_drop_problems_printf(idp_drop_problems *p, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (p->oom)
        return;
    va_start(ap, fmt);
    n = vsnprintf(p->s != NULL ? p->s + p->len : NULL, p->s != NULL ? p->cap - p->len : 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        p->oom = true;
        return;
    }
    if (p->s == NULL || (size_t)n >= p->cap - p->len) {
        size_t cap = p->cap * 2 + (size_t)n + 256;
        char *grown = malloc(cap);
        if (grown == NULL) {
            p->oom = true;
            return;
        }
        if (p->s != NULL)
            memcpy(grown, p->s, p->len);
        idp_free_wiped(p->s, p->cap);
        p->s = grown;
        p->cap = cap;
        va_start(ap, fmt);
        n = vsnprintf(p->s + p->len, p->cap - p->len, fmt, ap);
        va_end(ap);
    }
    p->len += (size_t)n;
}

void idp_drop_problems_fill(idp_drop_problems *p, const char *tmpl, const char *arg)
{
    const char *at = strstr(tmpl, "{}");

    if (at == NULL)
        idp_drop_problems_printf(p, "%s", tmpl);
    else
        idp_drop_problems_printf(p, "%.*s%s%s", (int)(at - tmpl), tmpl, arg, at + 2);
}

/* ---- the problems ------------------------------------------------------- */

void idp_drop_problems_files(idp_drop_problems *p, const char *const *files, size_t n)
{
    idp_drop_problems names;

    idp_drop_problems_init(&names, p->lang);
    for (size_t i = 0; i < n; i++)
        idp_drop_problems_printf(&names, "%s%s", i ? ", " : "", idp_basename(files[i]));
    idp_drop_problems_fill(p, p->tx->failed, names.s != NULL ? names.s : "");
    idp_drop_problems_printf(p, "\n");
    p->oom |= names.oom;
    idp_drop_problems_free(&names);
}

void idp_drop_problems_count(idp_drop_problems *p, size_t n)
{
    char count[32];

    snprintf(count, sizeof(count), "%zu", n);
    idp_drop_problems_fill(p, p->tx->count, count);
}

void idp_drop_problems_no_profile(idp_drop_problems *p, bool made)
{
    if (made)
        idp_drop_problems_printf(p, "%s", p->tx->no_profile);
}

void idp_drop_problems_bad_details(idp_drop_problems *p, const char *error)
{
    idp_drop_problems_fill(p, p->tx->bad_field, error);
}

void idp_drop_problems_missing(idp_drop_problems *p, const idp_field *const *missing, size_t n)
{
    idp_drop_problems names;

    idp_drop_problems_init(&names, p->lang);
    for (size_t i = 0; i < n; i++)
        idp_drop_problems_printf(&names, "%s%s (%s)", i ? ", " : "", missing[i]->key,
                                 missing[i]->label);
    idp_drop_problems_fill(p, p->tx->missing, names.s != NULL ? names.s : "");
    p->oom |= names.oom;
    idp_drop_problems_free(&names);
}

void idp_drop_problems_edit(idp_drop_problems *p, const char *profile_path)
{
    idp_drop_problems_fill(p, p->tx->edit, profile_path);
}

/* The failed checks of one photo, one line each. */
static void photo_problems(idp_drop_problems *p, const char *path, bool back,
                           const idp_check_report *r)
{
    const idp_drop_text *tx = p->tx;
    char msg[512];
    bool header = false;
    /* a file that is not there: said so, not "cannot be read as a photo" */
    const bool no_file = r->verdict == IDP_VERDICT_ERROR && r->load_status == IDP_E_NOTFOUND;

    for (size_t i = 0; i < r->n_checks; i++) {
        if (r->checks[i].status != IDP_CHECK_FAIL ||
            (no_file && r->checks[i].id == IDP_CHECK_DECODE))
            continue;
        if (!header)
            idp_drop_problems_printf(p, "%s \"%s\" (%s):\n", tx->photo, idp_basename(path),
                                     back ? tx->back : tx->front);
        header = true;
        idp_check_describe(&r->checks[i], p->lang, msg, sizeof(msg));
        idp_drop_problems_printf(p, "  - %s\n", msg);
    }
    if ((!header || no_file) && r->verdict == IDP_VERDICT_ERROR) {
        if (!header)
            idp_drop_problems_printf(p, "%s \"%s\" (%s):\n", tx->photo, idp_basename(path),
                                     back ? tx->back : tx->front);
        idp_drop_problems_printf(p, "  - %s\n",
                                 r->load_status == IDP_E_NOTFOUND ? tx->no_file
                                 : r->load_status == IDP_E_LIMITS ? tx->too_large
                                                                  : tx->unreadable);
    }
}

bool idp_drop_problems_photos(idp_drop_problems *p, const char *const *photos,
                              const idp_check_report *reports, size_t n)
{
    bool failed = false;

    for (size_t i = 0; i < n; i++) {
        photo_problems(p, photos[i], i == 1, &reports[i]);
        failed |= reports[i].verdict == IDP_VERDICT_FAIL || reports[i].verdict == IDP_VERDICT_ERROR;
    }
    if (failed)
        idp_drop_problems_printf(p, "\n%s", p->tx->retake);
    return failed;
}

bool idp_drop_problems_build(idp_drop_problems *p, idp_status st, const idp_build_result *res,
                             const char *error, const char *expiry, const char *profile_path,
                             const char *const photos[2])
{
    const idp_drop_text *tx = p->tx;
    bool failed = false;

    for (size_t i = 0; i < res->n_photos && i < 2; i++)
        failed |= res->reports[i].verdict == IDP_VERDICT_FAIL ||
                  res->reports[i].verdict == IDP_VERDICT_ERROR;
    if (st == IDP_E_EXPIRED && expiry != NULL) {
        idp_drop_problems_fill(p, tx->expired, expiry);
        idp_drop_problems_fill(p, tx->edit, profile_path);
        return true;
    }
    if (idp_drop_zone_swapped(st, res)) {
        idp_drop_problems_printf(p, "%s\n", error); /* front and back swapped: says so */
        return false;
    }
    if (st == IDP_E_MISMATCH) { /* the details against the ID's zone (--mrz) */
        idp_drop_problems_fill(p, tx->mismatch, error);
        idp_drop_problems_fill(p, tx->edit, profile_path);
        return true;
    }
    if (st == IDP_E_FIELD || st == IDP_E_GLYPH || st == IDP_E_EXPIRED) {
        idp_drop_problems_fill(p, tx->bad_field, error);
        idp_drop_problems_fill(p, tx->edit, profile_path);
        return true;
    }
    if (failed) {
        idp_drop_problems_photos(p, photos, res->reports, res->n_photos < 2 ? res->n_photos : 2);
        return false;
    }
    idp_drop_problems_fill(p, tx->other, error);
    return false;
}
