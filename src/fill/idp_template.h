/* idp_template: request templates (templates/<id>.<lang>.json): the fields
 * a request declares (label, required, validation kind) and the letter
 * text with {placeholders}; validation of a form and rendering of the
 * letter. */
#ifndef IDP_TEMPLATE_H
#define IDP_TEMPLATE_H

#include "idp_ctx.h"
#include "idp_form.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum idp_field_kind {
    IDP_FIELD_TEXT = 0,
    IDP_FIELD_EMAIL,
    IDP_FIELD_PHONE,
    IDP_FIELD_DATE,        /* YYYY-MM-DD, a real calendar date */
    IDP_FIELD_SELLER_ID,   /* Amazon merchant token: A + 12-14 upper-case letters/digits */
    IDP_FIELD_ENUM,        /* one of choices */
    IDP_FIELD_ENUM_LIST,   /* comma-separated subset of choices */
    IDP_FIELD_MARKETPLACE, /* amazon.<tld> */
    IDP_FIELD_COUNTRY      /* ISO 3166-1 alpha-2 */
} idp_field_kind;

typedef struct idp_field {
    const char *key;   /* "full_name" */
    const char *label; /* in the template's language: "Full name" */
    bool required;
    idp_field_kind kind;
    size_t n_choices;
    const char *const *choices;       /* ENUM/ENUM_LIST values */
    const char *const *choice_labels; /* what the letter prints for each */
    const char *default_value;        /* NULL if none */
} idp_field;

typedef struct idp_template idp_template;

/* Loads <dir>/<id>.<lang>.json. Unknown placeholders, fields without a
 * kind, malformed JSON: IDP_E_FORMAT naming the file. Missing file:
 * IDP_E_NOTFOUND naming the language. Caller frees with
 * idp_template_destroy(). */
idp_status idp_template_load(idp_ctx *ctx, const char *dir, const char *id, const char *lang,
                             idp_template **out) IDP_WUR IDP_NONNULL(1, 2, 3, 4, 5);
void idp_template_destroy(idp_template *t);

const char *idp_template_id(const idp_template *t) IDP_NONNULL(1);
const char *idp_template_lang(const idp_template *t) IDP_NONNULL(1);
const char *idp_template_title(const idp_template *t) IDP_NONNULL(1);
size_t idp_template_field_count(const idp_template *t) IDP_NONNULL(1);
const idp_field *idp_template_field(const idp_template *t, size_t i) IDP_NONNULL(1);
const idp_field *idp_template_find_field(const idp_template *t, const char *key) IDP_NONNULL(1, 2);

/* Checks the form against the template: a key the template does not
 * declare, a required field missing or empty, a malformed value ->
 * IDP_E_FIELD with a message naming the field (and its label) and what is
 * wrong. An id_expiry (any DATE field named *_expiry) before today
 * (YYYY-MM-DD) -> IDP_E_EXPIRED, message says the ID has expired. */
idp_status idp_template_validate(idp_ctx *ctx, const idp_template *t, const idp_form *form,
                                 const char *today) IDP_WUR IDP_NONNULL(1, 2, 3, 4);

typedef enum idp_block_kind {
    IDP_BLOCK_TITLE = 0, /* the letter's title */
    IDP_BLOCK_META,      /* right-aligned or header lines: place, date, reference */
    IDP_BLOCK_HEADING,   /* a section heading */
    IDP_BLOCK_PARAGRAPH, /* flowing text */
    IDP_BLOCK_BULLET,    /* one bullet item */
    IDP_BLOCK_FIELD,     /* "Label: value" line (label and value separate) */
    IDP_BLOCK_SIGNATURE  /* signature line with the name under it */
} idp_block_kind;

typedef struct idp_block {
    idp_block_kind kind;
    char *label; /* FIELD: the label; else NULL */
    char *text;  /* UTF-8, placeholders filled */
} idp_block;

typedef struct idp_letter {
    char *title;
    char *lang;
    size_t n_blocks;
    idp_block *blocks;
} idp_letter;

/* Renders the letter with the form's values (defaults for unset optional
 * fields that have one; a paragraph or bullet whose placeholders are all
 * unset optional fields is left out). reference and date (YYYY-MM-DD,
 * printed in the language's format) are available as {reference} and
 * {date}. The form must have been validated. Caller frees *out with
 * idp_letter_destroy(). */
idp_status idp_template_render(idp_ctx *ctx, const idp_template *t, const idp_form *form,
                               const char *reference, const char *date, idp_letter **out) IDP_WUR
    IDP_NONNULL(1, 2, 3, 4, 5, 6);
void idp_letter_destroy(idp_letter *letter);

#endif
