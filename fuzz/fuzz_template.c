/* fuzz_template: request templates (<id>.<lang>.json) through
 * idp_template_load. The input is written, under the id and language it
 * declares, to a private temporary folder. A template that loads is then
 * used as a build uses it: validated against a form of stand-in values for
 * its own fields and against the sample form, and rendered when valid. */
#include "fuzz_util.h"

#include "idp_form.h"
#include "idp_template.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TODAY "2026-11-26"

static char *tpl_dir;
static idp_form *sample; /* templates/sample-form.txt, kept for the process */

static void setup(void)
{
    idp_ctx *ctx;

    if (tpl_dir != NULL)
        return;
    tpl_dir = fuzz_join(fuzz_tmpdir(), "templates");
    ctx = fuzz_ctx();
    if (mkdir(tpl_dir, 0700) != 0 || idp_form_create(ctx, &sample) != IDP_OK ||
        idp_form_load_file(ctx, sample, IDP_FUZZ_SOURCE_DIR "/templates/sample-form.txt", 0) !=
            IDP_OK)
        abort();
    idp_ctx_destroy(ctx);
}

/* The value of key in the input if it is a short plain name, else dflt. */
static void declared(json_t *root, const char *key, const char *dflt, char *out, size_t size)
{
    const char *v = json_string_value(json_object_get(root, key));
    size_t n = v != NULL ? strlen(v) : 0;

    snprintf(out, size, "%s", dflt);
    if (n == 0 || n >= size || strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789-") != n)
        return;
    memcpy(out, v, n + 1);
}

/* A value the field's kind accepts. */
static const char *stand_in(const idp_field *f)
{
    switch (f->kind) {
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
        return f->n_choices > 0 ? f->choices[f->n_choices - 1] : "x";
    case IDP_FIELD_MARKETPLACE:
        return "amazon.it";
    case IDP_FIELD_COUNTRY:
        return "IT";
    case IDP_FIELD_TEXT:
        break;
    }
    return "Zoë Ł. Straße";
}

static void validate_render(idp_ctx *ctx, const idp_template *t, const idp_form *form)
{
    idp_letter *letter = NULL;

    if (idp_template_validate(ctx, t, form, TODAY) != IDP_OK)
        return;
    if (idp_template_render(ctx, t, form, "IDP-7KQ2-9XHF", TODAY, &letter) == IDP_OK) {
        if (letter == NULL || letter->title == NULL)
            abort();
        for (size_t i = 0; i < letter->n_blocks; i++)
            if (letter->blocks[i].text == NULL)
                abort();
    }
    idp_letter_destroy(letter);
}

static void use_template(idp_ctx *ctx, const idp_template *t)
{
    idp_form *form = NULL;
    size_t n = idp_template_field_count(t);

    for (size_t i = 0; i < n; i++) {
        const idp_field *f = idp_template_field(t, i);
        if (f == NULL || idp_template_find_field(t, f->key) != f)
            abort();
    }
    if (idp_form_create(ctx, &form) != IDP_OK)
        abort();
    for (size_t i = 0; i < n; i++) {
        const idp_field *f = idp_template_field(t, i);
        if (idp_form_set(ctx, form, f->key, stand_in(f), "fuzz", 0) != IDP_OK)
            continue; /* a key the form refuses: validation reports it */
    }
    validate_render(ctx, t, form);
    idp_form_destroy(form);
    validate_render(ctx, t, sample);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char id[65], lang[4], name[80];
    json_t *root;
    idp_ctx *ctx;
    idp_template *t = NULL;
    char *path;

    setup();
    root = json_loadb((const char *)data, size, 0, NULL);
    declared(root, "id", "2fa-reset", id, sizeof(id));
    declared(root, "lang", "en", lang, sizeof(lang));
    json_decref(root);
    snprintf(name, sizeof(name), "%s.%s.json", id, lang);
    path = fuzz_join(tpl_dir, name);
    fuzz_write_file(path, data, size);

    ctx = fuzz_ctx();
    if (idp_template_load(ctx, tpl_dir, id, lang, &t) == IDP_OK) {
        if (strcmp(idp_template_id(t), id) != 0 || strcmp(idp_template_lang(t), lang) != 0 ||
            idp_template_title(t) == NULL)
            abort();
        use_template(ctx, t);
    }
    idp_template_destroy(t);
    idp_ctx_destroy(ctx);
    unlink(path);
    free(path);
    return 0;
}
