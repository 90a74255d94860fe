/* idp_template: request templates (templates/<id>.<lang>.json): the fields
 * a request declares (label, required, validation kind) and the letter
 * text with {placeholders}; validation of a form and rendering of the
 * letter.
 *
 * A public header of libidpack (docs/library.md): the declarations between
 * `#ifdef IDP_INTERNAL` and its `#endif` are the library's own. */
#ifndef IDP_TEMPLATE_H
#define IDP_TEMPLATE_H

#include "idp_ctx.h"
#include "idp_form.h"

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How a field's value is checked. Values are only ever appended. */
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

/* A field a template declares; opaque to programs outside the library
 * (read through idp_field_key and the others below). Borrowed from its
 * template: valid while the template lives. */
typedef struct idp_field idp_field;
typedef struct idp_template idp_template;

#ifdef IDP_INTERNAL
struct idp_field {
    const char *key;   /* "full_name" */
    const char *label; /* in the template's language: "Full name" */
    bool required;
    idp_field_kind kind;
    size_t n_choices;
    const char *const *choices;       /* ENUM/ENUM_LIST values */
    const char *const *choice_labels; /* what the letter prints for each */
    const char *default_value;        /* NULL if none */
};
#endif /* IDP_INTERNAL */

/* The field's key ("full_name") and its label in the template's language
 * ("Full name"). */
IDP_API const char *idp_field_key(const idp_field *f) IDP_NONNULL(1);
IDP_API const char *idp_field_label(const idp_field *f) IDP_NONNULL(1);
/* Whether a request needs it. */
IDP_API bool idp_field_required(const idp_field *f) IDP_NONNULL(1);
/* How its value is checked. */
IDP_API idp_field_kind idp_field_kind_of(const idp_field *f) IDP_NONNULL(1);
/* The value an unset optional field takes in the letter, or NULL. */
IDP_API const char *idp_field_default(const idp_field *f) IDP_NONNULL(1);
/* An ENUM or ENUM_LIST field's allowed values (0 for other kinds), the
 * i-th value and what the letter prints for it (the value itself when the
 * template gives no label); NULL for i >= the count. */
IDP_API size_t idp_field_choice_count(const idp_field *f) IDP_NONNULL(1);
IDP_API const char *idp_field_choice(const idp_field *f, size_t i) IDP_NONNULL(1);
IDP_API const char *idp_field_choice_label(const idp_field *f, size_t i) IDP_NONNULL(1);

/* Loads <dir>/<id>.<lang>.json. Unknown placeholders, fields without a
 * kind, malformed JSON: IDP_E_FORMAT naming the file. Missing file:
 * IDP_E_NOTFOUND naming the language. Caller frees with
 * idp_template_destroy(). */
IDP_API idp_status idp_template_load(idp_ctx *ctx, const char *dir, const char *id,
                                     const char *lang, idp_template **out) IDP_WUR
    IDP_NONNULL(1, 2, 3, 4, 5);
/* Frees; NULL is fine. */
IDP_API void idp_template_destroy(idp_template *t);

/* The template's id ("2fa-reset"), language ("en") and the letter's title. */
IDP_API const char *idp_template_id(const idp_template *t) IDP_NONNULL(1);
IDP_API const char *idp_template_lang(const idp_template *t) IDP_NONNULL(1);
IDP_API const char *idp_template_title(const idp_template *t) IDP_NONNULL(1);
/* The fields in the template's order; NULL for i >= the count. */
IDP_API size_t idp_template_field_count(const idp_template *t) IDP_NONNULL(1);
IDP_API const idp_field *idp_template_field(const idp_template *t, size_t i) IDP_NONNULL(1);
/* The field named key, or NULL. */
IDP_API const idp_field *idp_template_find_field(const idp_template *t, const char *key)
    IDP_NONNULL(1, 2);

/* Checks the form against the template: a key the template does not
 * declare, a required field missing or empty, a malformed value ->
 * IDP_E_FIELD with a message naming the field (and its label) and what is
 * wrong. An id_expiry (any DATE field named *_expiry) before today
 * (YYYY-MM-DD) -> IDP_E_EXPIRED, message says the ID has expired. */
IDP_API idp_status idp_template_validate(idp_ctx *ctx, const idp_template *t, const idp_form *form,
                                         const char *today) IDP_WUR IDP_NONNULL(1, 2, 3, 4);

/* The kind of a block of the letter. Values are only ever appended. */
typedef enum idp_block_kind {
    IDP_BLOCK_TITLE = 0, /* the letter's title */
    IDP_BLOCK_META,      /* right-aligned or header lines: place, date, reference */
    IDP_BLOCK_HEADING,   /* a section heading */
    IDP_BLOCK_PARAGRAPH, /* flowing text */
    IDP_BLOCK_BULLET,    /* one bullet item */
    IDP_BLOCK_FIELD,     /* "Label: value" line (label and value separate) */
    IDP_BLOCK_SIGNATURE  /* signature line with the name under it */
} idp_block_kind;

/* A rendered letter: opaque to programs outside the library, read
 * through idp_letter_block_count and the others below. */
typedef struct idp_letter idp_letter;

#ifdef IDP_INTERNAL
typedef struct idp_block {
    idp_block_kind kind;
    char *label; /* FIELD: the label; else NULL */
    char *text;  /* UTF-8, placeholders filled */
} idp_block;

struct idp_letter {
    char *title;
    char *lang;
    size_t n_blocks;
    idp_block *blocks;
};
#endif /* IDP_INTERNAL */

/* Renders the letter with the form's values (defaults for unset optional
 * fields that have one; a paragraph or bullet whose placeholders are all
 * unset optional fields is left out). reference and date (YYYY-MM-DD,
 * printed in the language's format) are available as {reference} and
 * {date}. The form must have been validated. Caller frees *out with
 * idp_letter_destroy(). */
IDP_API idp_status idp_template_render(idp_ctx *ctx, const idp_template *t, const idp_form *form,
                                       const char *reference, const char *date,
                                       idp_letter **out) IDP_WUR IDP_NONNULL(1, 2, 3, 4, 5, 6);
/* Wipes (the letter quotes the seller's details) and frees; NULL is fine. */
IDP_API void idp_letter_destroy(idp_letter *letter);

/* The letter's blocks in reading order: their count, and the i-th one's
 * kind, label (a FIELD block's, else NULL) and UTF-8 text (borrowed from
 * the letter; NULL for i >= the count; the kind IDP_BLOCK_PARAGRAPH). */
IDP_API size_t idp_letter_block_count(const idp_letter *letter) IDP_NONNULL(1);
IDP_API idp_block_kind idp_letter_block_kind(const idp_letter *letter, size_t i) IDP_NONNULL(1);
IDP_API const char *idp_letter_block_label(const idp_letter *letter, size_t i) IDP_NONNULL(1);
IDP_API const char *idp_letter_block_text(const idp_letter *letter, size_t i) IDP_NONNULL(1);

#ifdef __cplusplus
}
#endif

#endif
