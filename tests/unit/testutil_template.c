#include "testutil_template.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

idp_form *form;
idp_template *en, *it;
idp_letter *letter;

const char *tpl_dir(void)
{
    return tu_path(tu_env("IDP_SRC"), "templates");
}

int setup(void **state)
{
    (void)state;
    if (idp_ctx_create(&ctx) != IDP_OK || idp_form_create(ctx, &form) != IDP_OK)
        return -1;
    if (idp_template_load(ctx, tpl_dir(), "2fa-reset", "en", &en) != IDP_OK ||
        idp_template_load(ctx, tpl_dir(), "2fa-reset", "it", &it) != IDP_OK) {
        fprintf(stderr, "%s\n", idp_ctx_error(ctx));
        return -1;
    }
    return 0;
}

int teardown(void **state)
{
    (void)state;
    idp_letter_destroy(letter);
    idp_template_destroy(en);
    idp_template_destroy(it);
    idp_form_destroy(form);
    idp_ctx_destroy(ctx);
    letter = NULL;
    en = it = NULL;
    form = NULL;
    return 0;
}

void expect_error(const char *needle1, const char *needle2)
{
    const char *e = idp_ctx_error(ctx);
    if (strstr(e, needle1) == NULL || (needle2 != NULL && strstr(e, needle2) == NULL))
        fail_msg("error \"%s\" should mention \"%s\" and \"%s\"", e, needle1,
                 needle2 ? needle2 : "");
}

void set(const char *key, const char *value)
{
    if (idp_form_set(ctx, form, key, value, "test", 1) != IDP_OK)
        fail_msg("set %s: %s", key, idp_ctx_error(ctx));
}

/* The required fields, valid. */
void fill_required(void)
{
    set("full_name", "Erika Mustermann");
    set("account_email", "erika.mustermann@example.com");
    set("id_type", "id_card");
    set("id_expiry", "2031-05-31");
}

/* The text of the first block of kind containing needle, or NULL. */
const idp_block *find_block(const idp_letter *l, idp_block_kind kind, const char *needle)
{
    for (size_t i = 0; i < l->n_blocks; i++)
        if (l->blocks[i].kind == kind && strstr(l->blocks[i].text, needle) != NULL)
            return &l->blocks[i];
    return NULL;
}

/* find_block() that fails the test when there is no such block. */
const idp_block *must_find(const idp_letter *l, idp_block_kind kind, const char *needle)
{
    const idp_block *b = find_block(l, kind, needle);
    if (b == NULL) {
        fail_msg("no block of kind %d with \"%s\"", (int)kind, needle);
        abort();
    }
    return b;
}

size_t count_kind(const idp_letter *l, idp_block_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n_blocks; i++)
        n += l->blocks[i].kind == kind;
    return n;
}

int letter_has(const idp_letter *l, const char *needle)
{
    for (size_t i = 0; i < l->n_blocks; i++)
        if (strstr(l->blocks[i].text, needle) != NULL ||
            (l->blocks[i].label != NULL && strstr(l->blocks[i].label, needle) != NULL))
            return 1;
    return 0;
}

void render(const idp_template *t)
{
    idp_letter_destroy(letter);
    letter = NULL;
    if (idp_template_validate(ctx, t, form, TODAY) != IDP_OK ||
        idp_template_render(ctx, t, form, "IDP-7KQ2-9XHF", TODAY, &letter) != IDP_OK)
        fail_msg("%s", idp_ctx_error(ctx));
}

void fill_all(void)
{
    set("full_name", "Łukasz Żółć");
    set("account_email", "lukasz@example.com");
    set("id_type", "id_card");
    set("id_expiry", "2031-05-31");
    set("phone", "+48 22 123 45 67");
    set("business_name", "Müller & Società");
    set("store_name", "Straße {x}");
    set("seller_id", "A1B2C3D4E5F6G7");
    set("marketplace", "amazon.it");
    set("country", "IT");
    set("steps_tried", "other_browser_device,email_password_checked");
}

/* Writes the English template with id renamed to `id` and one substring
 * replaced, as <tmp>/<id>.en.json, and loads it. */
idp_status load_variant(const char *id, const char *from, const char *to)
{
    char *src = (char *)tu_read_file(tu_path(tpl_dir(), "2fa-reset.en.json"), NULL);
    char idline[128];
    const char *hit = strstr(src, from);
    FILE *f;
    idp_template *t = NULL;
    idp_status st;
    char name[128];

    if (hit == NULL)
        fail_msg("'%s' not in the English template", from);
    snprintf(name, sizeof(name), "%s.en.json", id);
    snprintf(idline, sizeof(idline), "\"id\": \"%s\"", id);
    f = fopen(tu_path(tu_tmpdir(), name), "wb");
    assert_non_null(f);
    {
        const char *idpos = strstr(src, "\"id\": \"2fa-reset\"");
        const char *p = src;
        assert_non_null(idpos);
        /* copy with both substitutions (the id line comes first) */
        assert_true(idpos < hit || strcmp(from, "\"id\": \"2fa-reset\"") == 0);
        if (idpos < hit) {
            fwrite(p, 1, (size_t)(idpos - p), f);
            fputs(idline, f);
            p = idpos + strlen("\"id\": \"2fa-reset\"");
        }
        fwrite(p, 1, (size_t)(hit - p), f);
        fputs(to, f);
        fputs(hit + strlen(from), f);
    }
    assert_int_equal(fclose(f), 0);
    free(src);
    idp_ctx_clear(ctx);
    st = idp_template_load(ctx, tu_tmpdir(), id, "en", &t);
    if (st == IDP_OK) {
        /* keep it for the caller's render checks */
        idp_template_destroy(en);
        en = t;
    }
    return st;
}

idp_template *load_lang(const char *lang)
{
    idp_template *t = NULL;
    if (idp_template_load(ctx, tpl_dir(), "2fa-reset", lang, &t) != IDP_OK)
        fail_msg("%s: %s", lang, idp_ctx_error(ctx));
    return t;
}
