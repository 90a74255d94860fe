/* fuzz_form: the form file ("key = value" lines, or a JSON object when
 * the name ends in .json) and the saved profile, as idpack reads them from
 * a path: the input is written to form.txt and form.json in a private
 * temporary folder and loaded both ways. Each form is then checked against
 * the English 2fa-reset template, and a form that passes is rendered; each
 * value also goes through idp_profile_set, as `idpack profile --set` does. */
#include "fuzz_util.h"

#include "idp_form.h"
#include "idp_profile.h"
#include "idp_template.h"

#include <stdlib.h>
#include <string.h>

#define TODAY "2026-11-26"

static char *txt_path, *json_path;
static idp_template *tpl; /* loaded once, kept for the whole process */

static void setup(void)
{
    idp_ctx *ctx;

    if (txt_path != NULL)
        return;
    txt_path = fuzz_join(fuzz_tmpdir(), "form.txt");
    json_path = fuzz_join(fuzz_tmpdir(), "form.json");
    ctx = fuzz_ctx();
    if (idp_template_load(ctx, IDP_FUZZ_SOURCE_DIR "/templates", "2fa-reset", "en", &tpl) != IDP_OK)
        abort();
    idp_ctx_destroy(ctx);
}

/* Validates and, when valid, renders. */
static void use_form(idp_ctx *ctx, const idp_form *form)
{
    idp_letter *letter = NULL;

    if (idp_template_validate(ctx, tpl, form, TODAY) == IDP_OK) {
        if (idp_template_render(ctx, tpl, form, "IDP-7KQ2-9XHF", TODAY, &letter) == IDP_OK &&
            letter == NULL)
            abort();
        idp_letter_destroy(letter);
    }
}

/* Each value of form through idp_profile_set on a new profile. */
static void set_each(idp_ctx *ctx, const idp_form *form)
{
    idp_profile *p = NULL;
    const idp_field *missing[32];

    if (idp_profile_create(ctx, &p) != IDP_OK)
        abort();
    for (size_t i = 0; i < idp_form_count(form) && i < 64; i++) {
        const char *key = idp_form_key(form, i);
        idp_status st = idp_profile_set(ctx, p, tpl, key, idp_form_get(form, key), "--set", TODAY);
        if (st == IDP_OK && idp_form_get(idp_profile_form(p), key) == NULL &&
            *idp_form_get(form, key) != '\0' && strcmp(key, "lang") != 0)
            abort(); /* a value accepted but not kept */
    }
    if (idp_profile_missing(p, tpl, missing, 32) > idp_template_field_count(tpl))
        abort();
    if (idp_profile_unset(ctx, p, "full_name") != IDP_OK ||
        idp_form_get(idp_profile_form(p), "full_name") != NULL)
        abort();
    idp_profile_destroy(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    idp_ctx *ctx;
    idp_form *form = NULL;
    idp_profile *profile = NULL;
    char *arg;

    setup();
    ctx = fuzz_ctx();
    fuzz_write_file(txt_path, data, size);
    fuzz_write_file(json_path, data, size);

    /* A value given with --set first: the file must not override it. */
    if (idp_form_create(ctx, &form) != IDP_OK ||
        idp_form_set_arg(ctx, form, "full_name=Erika Mustermann") != IDP_OK)
        abort();
    if (idp_form_load_file(ctx, form, txt_path, 0) == IDP_OK) {
        if (strcmp(idp_form_get(form, "full_name"), "Erika Mustermann") != 0)
            abort();
        use_form(ctx, form);
        set_each(ctx, form);
    }
    idp_form_destroy(form);
    form = NULL;

    if (idp_form_create(ctx, &form) != IDP_OK)
        abort();
    if (idp_form_load_file(ctx, form, json_path, 1) == IDP_OK) {
        use_form(ctx, form);
        set_each(ctx, form);
    }
    idp_form_destroy(form);

    if (idp_profile_load(ctx, txt_path, &profile) == IDP_OK) {
        const char *lang = idp_profile_lang(profile);
        if (lang != NULL && strlen(lang) != 2)
            abort();
        use_form(ctx, idp_profile_form(profile));
    }
    idp_profile_destroy(profile);

    /* The whole input as one --set argument. */
    arg = malloc(size + 1);
    if (arg == NULL)
        abort();
    memcpy(arg, data, size);
    arg[size] = '\0';
    if (idp_form_create(ctx, &form) != IDP_OK)
        abort();
    if (idp_form_set_arg(ctx, form, arg) == IDP_OK && idp_form_count(form) != 1)
        abort();
    idp_form_destroy(form);
    free(arg);
    idp_ctx_destroy(ctx);
    return 0;
}
