/* The seller's saved profile: request fields and a language in a
 * "key = value" file, checked field by field with the template's own
 * validation so `profile set` says exactly what `build` would. */
#include "idp_profile.h"
#include "idp_tr.h"

#include "idp_io.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct idp_profile {
    idp_form *form;
    char lang[3]; /* "" when unset */
};

static const char *const langs[] = {"en", "it", "de", "fr", "es"};

static int lang_ok(const char *v)
{
    for (size_t i = 0; i < sizeof(langs) / sizeof(langs[0]); i++)
        if (strcmp(v, langs[i]) == 0)
            return 1;
    return 0;
}

idp_status idp_profile_create(idp_ctx *ctx, idp_profile **out)
{
    idp_status st;

    *out = calloc(1, sizeof(**out));
    if (*out == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory creating a profile");
    st = idp_form_create(ctx, &(*out)->form);
    if (st != IDP_OK) {
        free(*out);
        *out = NULL;
    }
    return st;
}

void idp_profile_destroy(idp_profile *p)
{
    if (p == NULL)
        return;
    idp_form_destroy(p->form);
    free(p);
}

const idp_form *idp_profile_form(const idp_profile *p)
{
    return p->form;
}

const char *idp_profile_lang(const idp_profile *p)
{
    return p->lang[0] != '\0' ? p->lang : NULL;
}

/* A copy of src without key (NULL: all of it), origins kept. */
static idp_status copy_without(idp_ctx *ctx, const idp_form *src, const char *key, idp_form **out)
{
    idp_status st = idp_form_create(ctx, out);

    for (size_t i = 0; st == IDP_OK && i < idp_form_count(src); i++) {
        const char *k = idp_form_key(src, i);
        const char *origin = idp_form_origin(src, k);
        if (key != NULL && strcmp(k, key) == 0)
            continue;
        st = idp_form_set(ctx, *out, k, idp_form_get(src, k), origin != NULL ? origin : "profile",
                          0);
    }
    if (st != IDP_OK) {
        idp_form_destroy(*out);
        *out = NULL;
    }
    return st;
}

idp_status idp_profile_load(idp_ctx *ctx, const char *path, idp_profile **out)
{
    idp_status st;
    idp_form *raw = NULL;
    idp_profile *p = NULL;
    const char *lang;
    struct stat sb;

    *out = NULL;
    if (stat(path, &sb) != 0 && errno == ENOENT)
        return idp_fail(ctx, IDP_E_NOTFOUND, "%s: no saved profile", path);
    st = idp_form_create(ctx, &raw);
    if (st != IDP_OK)
        goto out;
    st = idp_form_load_file(ctx, raw, path, 0);
    if (st != IDP_OK)
        goto out;
    p = calloc(1, sizeof(*p));
    if (p == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", path);
        goto out;
    }
    lang = idp_form_get(raw, IDP_PROFILE_LANG_KEY);
    if (lang != NULL && *lang != '\0') {
        if (!lang_ok(lang)) {
            const char *origin = idp_form_origin(raw, IDP_PROFILE_LANG_KEY);
            st = idp_fail(ctx, IDP_E_FIELD, "%s: lang must be en, it, de, fr or es",
                          origin != NULL ? origin : path);
            goto out;
        }
        memcpy(p->lang, lang, 3);
    }
    st = copy_without(ctx, raw, IDP_PROFILE_LANG_KEY, &p->form);
    if (st != IDP_OK)
        goto out;
    *out = p;
    p = NULL;
out:
    idp_profile_destroy(p);
    idp_form_destroy(raw);
    return st;
}

/* A value every validation of f accepts, standing in for the other
 * required fields while one value is checked alone. */
static const char *filler(const idp_field *f)
{
    switch (f->kind) {
    case IDP_FIELD_TEXT:
        return "x";
    case IDP_FIELD_EMAIL:
        return "seller@example.com";
    case IDP_FIELD_PHONE:
        return "+39 02 1234 5678";
    case IDP_FIELD_DATE:
        return "2199-12-31";
    case IDP_FIELD_SELLER_ID:
        return "A1B2C3D4E5F6G7";
    case IDP_FIELD_ENUM:
    case IDP_FIELD_ENUM_LIST:
        return f->n_choices > 0 ? f->choices[0] : "x";
    case IDP_FIELD_MARKETPLACE:
        return "amazon.com";
    case IDP_FIELD_COUNTRY:
        return "IT";
    }
    return "x";
}

/* Validates key = value alone, with the template's own checks: a form of
 * that value and stand-ins for the other required fields. */
static idp_status check_value(idp_ctx *ctx, const idp_template *t, const char *key,
                              const char *value, const char *origin, const char *today)
{
    idp_form *probe = NULL;
    idp_status st = idp_form_create(ctx, &probe);

    for (size_t i = 0; st == IDP_OK && i < idp_template_field_count(t); i++) {
        const idp_field *f = idp_template_field(t, i);
        if (f->required && strcmp(f->key, key) != 0)
            st = idp_form_set(ctx, probe, f->key, filler(f), "profile", 0);
    }
    if (st == IDP_OK)
        st = idp_form_set(ctx, probe, key, value, origin, 0);
    if (st == IDP_OK)
        st = idp_template_validate(ctx, t, probe, today);
    idp_form_destroy(probe);
    return st;
}

idp_status idp_profile_set(idp_ctx *ctx, idp_profile *p, const idp_template *t, const char *key,
                           const char *value, const char *origin, const char *today)
{
    idp_status st;

    if (*value == '\0')
        return idp_profile_unset(ctx, p, key);
    if (strcmp(key, IDP_PROFILE_LANG_KEY) == 0) {
        if (!lang_ok(value))
            return idp_fail(ctx, IDP_E_FIELD,
                            idp_tr(idp_ctx_lang(ctx), "%s: lang must be en, it, de, fr or es"),
                            origin);
        memcpy(p->lang, value, 3);
        return IDP_OK;
    }
    st = check_value(ctx, t, key, value, origin, today);
    if (st != IDP_OK)
        return st;
    return idp_form_set(ctx, p->form, key, value, origin, 1);
}

idp_status idp_profile_unset(idp_ctx *ctx, idp_profile *p, const char *key)
{
    idp_form *rest = NULL;
    idp_status st;

    if (strcmp(key, IDP_PROFILE_LANG_KEY) == 0) {
        p->lang[0] = '\0';
        return IDP_OK;
    }
    if (idp_form_get(p->form, key) == NULL)
        return IDP_OK;
    st = copy_without(ctx, p->form, key, &rest);
    if (st != IDP_OK)
        return st;
    idp_form_destroy(p->form);
    p->form = rest;
    return IDP_OK;
}

/* Creates the missing folders above the last '/' of path, mode 0700. */
static idp_status make_parents(idp_ctx *ctx, const char *path)
{
    size_t len = strlen(path);
    char *dir = malloc(len + 1);
    idp_status st = IDP_OK;

    if (dir == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", path);
    memcpy(dir, path, len + 1);
    for (size_t i = 1; i < len; i++) {
        if (dir[i] != '/' || dir[i - 1] == '/')
            continue;
        dir[i] = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
            st = idp_fail(ctx, IDP_E_CREATE, "%s: cannot create the folder: %s", dir,
                          strerror(errno));
            goto out;
        }
        dir[i] = '/';
    }
out:
    free(dir);
    return st;
}

static const char header[] =
    "# idpack profile: the seller's details used by 'idpack drop'.\n"
    "# Change it with 'idpack profile set KEY=VALUE'; it holds personal data.\n";

idp_status idp_profile_save(idp_ctx *ctx, const idp_profile *p, const char *path)
{
    idp_status st;
    size_t cap = sizeof(header) + 16, used = 0;
    char *text = NULL;

    for (size_t i = 0; i < idp_form_count(p->form); i++) {
        const char *k = idp_form_key(p->form, i), *v = idp_form_get(p->form, k);
        if (strchr(v, '\n') != NULL)
            return idp_fail(ctx, IDP_E_FIELD, "%s: the value of %s must be on one line", path, k);
        cap += strlen(k) + strlen(v) + 4; /* bounded: at most 256 fields of 4 KB */
    }
    text = malloc(cap);
    if (text == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", path);
    used = (size_t)snprintf(text, cap, "%s", header);
    if (p->lang[0] != '\0')
        used +=
            (size_t)snprintf(text + used, cap - used, "%s = %s\n", IDP_PROFILE_LANG_KEY, p->lang);
    for (size_t i = 0; i < idp_form_count(p->form) && used < cap; i++) {
        const char *k = idp_form_key(p->form, i);
        used += (size_t)snprintf(text + used, cap - used, "%s = %s\n", k, idp_form_get(p->form, k));
    }
    if (used >= cap) {
        st = idp_fail(ctx, IDP_E_INTERNAL, "%s: profile text miscounted", path);
        goto out;
    }
    st = make_parents(ctx, path);
    if (st != IDP_OK)
        goto out;
    st = idp_write_atomic(ctx, path, text, used, true);
out:
    idp_free_wiped(text, cap);
    return st;
}

/* ---- a profile to fill in ------------------------------------------------ */

/* What the comments of a profile to fill in say, in English (idp_tr). */
static const struct {
    const char *head, *lang, *required, *optional, *date, *one_of, *some_of, *country, *market;
} blank_en = {
    .head = N_("# idpack profile: your details for 'idpack drop' (photos dropped on the idpack\n"
               "# icon). Write each detail after its '=' sign, save this file, then drop the\n"
               "# photos again. Lines starting with '#' explain the line below them.\n"
               "# Keep this file private: it holds personal data.\n"),
    .lang = N_("# Language of the letter and of idpack's messages: en, it, de, fr or es\n"),
    .required = N_("required"),
    .optional = N_("optional"),
    .date = N_("YYYY-MM-DD"),
    .one_of = N_("one of:"),
    .some_of = N_("one or more of, separated by commas:"),
    .country = N_("two-letter country code, e.g. IT"),
    .market = N_("e.g. amazon.it"),
};

/* Appends a then b (NULL: nothing) to text[*used..cap); false when it
 * does not fit. */
static bool put(char *text, size_t cap, size_t *used, const char *a, const char *b)
{
    int n = snprintf(text + *used, cap - *used, "%s%s", a, b != NULL ? b : "");

    if (n < 0 || (size_t)n >= cap - *used)
        return false;
    *used += (size_t)n;
    return true;
}

/* The comment and the empty line of field f. */
static bool blank_field(char *text, size_t cap, size_t *used, const idp_field *f, const char *lang)
{
    const char *hint = NULL;
    bool ok = put(text, cap, used, "\n# ", f->label) &&
              put(text, cap, used, " (",
                  idp_tr(lang, f->required ? blank_en.required : blank_en.optional)) &&
              put(text, cap, used, ")", NULL);

    switch (f->kind) {
    case IDP_FIELD_DATE:
        hint = blank_en.date;
        break;
    case IDP_FIELD_COUNTRY:
        hint = blank_en.country;
        break;
    case IDP_FIELD_MARKETPLACE:
        hint = blank_en.market;
        break;
    case IDP_FIELD_ENUM:
        hint = blank_en.one_of;
        break;
    case IDP_FIELD_ENUM_LIST:
        hint = blank_en.some_of;
        break;
    default:
        break;
    }
    if (hint != NULL)
        ok = ok && put(text, cap, used, ": ", idp_tr(lang, hint));
    if (f->kind == IDP_FIELD_ENUM || f->kind == IDP_FIELD_ENUM_LIST)
        for (size_t i = 0; ok && i < f->n_choices; i++)
            ok = put(text, cap, used, i ? ", " : " ", f->choices[i]);
    return ok && put(text, cap, used, "\n", f->key) && put(text, cap, used, " =\n", NULL);
}

idp_status idp_profile_write_blank(idp_ctx *ctx, const idp_template *t, const char *path)
{
    const char *lang = idp_template_lang(t);
    size_t cap = 4096, used = 0;
    char *text;
    struct stat sb;
    idp_status st;
    bool ok;

    if (lstat(path, &sb) == 0)
        return idp_fail(ctx, IDP_E_EXISTS, "%s: exists; it is never replaced", path);
    /* Bounded: the template's fields and choices, each at most a line. */
    for (size_t i = 0; i < idp_template_field_count(t); i++) {
        const idp_field *f = idp_template_field(t, i);
        cap += strlen(f->key) + strlen(f->label) + 512;
        for (size_t k = 0; k < f->n_choices; k++)
            cap += strlen(f->choices[k]) + 2;
    }
    text = malloc(cap);
    if (text == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", path);
    ok = put(text, cap, &used, idp_tr(lang, blank_en.head), NULL) &&
         put(text, cap, &used, "\n", idp_tr(lang, blank_en.lang)) &&
         put(text, cap, &used, "lang = ", lang) && put(text, cap, &used, "\n", NULL);
    for (size_t i = 0; ok && i < idp_template_field_count(t); i++)
        ok = blank_field(text, cap, &used, idp_template_field(t, i), lang);
    if (!ok) {
        st = idp_fail(ctx, IDP_E_INTERNAL, "%s: profile text miscounted", path);
        goto out;
    }
    st = make_parents(ctx, path);
    if (st == IDP_OK)
        st = idp_write_atomic(ctx, path, text, used, false);
out:
    free(text);
    return st;
}

size_t idp_profile_missing(const idp_profile *p, const idp_template *t, const idp_field **missing,
                           size_t max)
{
    size_t n = 0;

    for (size_t i = 0; i < idp_template_field_count(t); i++) {
        const idp_field *f = idp_template_field(t, i);
        const char *v = idp_form_get(p->form, f->key);
        int blank = 1;
        if (!f->required)
            continue;
        for (const char *c = v; c != NULL && *c != '\0'; c++)
            if (*c != ' ' && *c != '\t')
                blank = 0;
        if (!blank)
            continue;
        if (n < max && missing != NULL)
            missing[n] = f;
        n++;
    }
    return n;
}
