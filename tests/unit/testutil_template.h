/* The fixture and helpers of the template tests (test_template.c,
 * test_template_letter.c): setup() loads the English and Italian
 * 2fa-reset templates into en and it with an empty form; the helpers fill
 * the form, render the letter and look for blocks in it. */
#ifndef IDP_TESTUTIL_TEMPLATE_H
#define IDP_TESTUTIL_TEMPLATE_H

#include <stddef.h>

#include "idp_template.h"
#include "testutil_ctx.h"

/* The date the tests validate and render as of. */
#define TODAY "2026-11-26"

/* What setup() makes (and ctx, testutil_ctx.h) and teardown() frees;
 * letter is the last render()'s. */
extern idp_form *form;
extern idp_template *en, *it;
extern idp_letter *letter;

/* The templates/ folder of the source tree. */
const char *tpl_dir(void);
/* The cmocka fixture of every template test. */
int setup(void **state);
int teardown(void **state);
/* Fails the test unless the context's error mentions both needles
 * (needle2 may be NULL). */
void expect_error(const char *needle1, const char *needle2);
/* Sets a form field; fails the test when the form refuses it. */
void set(const char *key, const char *value);
/* The required fields, valid. */
void fill_required(void);
/* The text of the first block of kind containing needle, or NULL. */
const idp_block *find_block(const idp_letter *l, idp_block_kind kind, const char *needle);
/* find_block() that fails the test when there is no such block. */
const idp_block *must_find(const idp_letter *l, idp_block_kind kind, const char *needle);
/* How many blocks of kind the letter has. */
size_t count_kind(const idp_letter *l, idp_block_kind kind);
/* Whether a block's text or label contains needle. */
int letter_has(const idp_letter *l, const char *needle);
/* Validates the form against t and renders letter (as of TODAY); fails
 * the test on an error. */
void render(const idp_template *t);
/* Every field, with accents, ampersands and braces. */
void fill_all(void);
/* Writes the English template with id renamed to `id` and one substring
 * replaced, as <tmp>/<id>.en.json, and loads it (into en when it loads). */
idp_status load_variant(const char *id, const char *from, const char *to);
/* The 2fa-reset template in lang; fails the test if it does not load. */
idp_template *load_lang(const char *lang);

#endif
