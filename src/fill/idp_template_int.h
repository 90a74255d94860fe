/* Inside the templates: what loading (idp_template.c), validation
 * (idp_template_validate.c) and rendering (idp_template_render.c) share.
 * Not installed. */
#ifndef IDP_TEMPLATE_INT_H
#define IDP_TEMPLATE_INT_H

#include "idp_template.h"

#include <jansson.h>
#include <stddef.h>

typedef struct tpl_block {
    idp_block_kind kind;
    const char *label; /* FIELD only */
    const char *text;
    const char *when;        /* NULL, or "key" (the field has a value), "key=choice" or
                              * "key!=choice" (an enum field has, has not, that value) */
    size_t when_len;         /* the key's length in when */
    const char *when_choice; /* NULL, or the choice after = or != */
    int when_neg;            /* != */
} tpl_block;

struct idp_template {
    json_t *root; /* owns every string the template hands out */
    char *path;
    const char *id, *lang, *title, *date_format;
    const char *months[12];
    size_t n_fields;
    idp_field *fields;
    size_t *max_chars; /* per field: the TEXT length limit */
    size_t n_blocks;
    tpl_block *blocks;
};

/* ---- placeholders: {key}, with {{ and }} for literal braces ----------- */

typedef enum seg_kind { SEG_END, SEG_TEXT, SEG_PLACEHOLDER, SEG_ERROR } seg_kind;

typedef struct segment {
    seg_kind kind;
    const char *s; /* TEXT: the literal; PLACEHOLDER: the name; ERROR: what */
    size_t n;
} segment;

/* The next piece of a template text at *pp (advanced past it). */
segment idp_tpl_next_segment(const char **pp);
/* Whether a placeholder segment names name. */
int idp_tpl_seg_is(const segment *seg, const char *name);
/* The field whose key is the n bytes at name, or NULL. */
const idp_field *idp_tpl_find_field_n(const idp_template *t, const char *name, size_t n);
/* The index of the choice of f spelt by the n bytes at v, or -1. */
int idp_tpl_choice_index(const idp_field *f, const char *v, size_t n);
/* Whether s holds only spaces and tabs (an unset value). */
int idp_tpl_is_blank(const char *s);

#endif
