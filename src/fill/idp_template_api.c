/* The public readers of a template's fields and of a rendered letter
 * (idp_template.h): the structs stay the library's own, so a field or a
 * block may gain members without breaking programs. */
#include "idp_template.h"

#include <stddef.h>

const char *idp_field_key(const idp_field *f)
{
    return f->key;
}

const char *idp_field_label(const idp_field *f)
{
    return f->label;
}

bool idp_field_required(const idp_field *f)
{
    return f->required;
}

idp_field_kind idp_field_kind_of(const idp_field *f)
{
    return f->kind;
}

const char *idp_field_default(const idp_field *f)
{
    return f->default_value;
}

size_t idp_field_choice_count(const idp_field *f)
{
    return f->choices != NULL ? f->n_choices : 0;
}

const char *idp_field_choice(const idp_field *f, size_t i)
{
    return i < idp_field_choice_count(f) ? f->choices[i] : NULL;
}

const char *idp_field_choice_label(const idp_field *f, size_t i)
{
    if (i >= idp_field_choice_count(f))
        return NULL;
    return f->choice_labels != NULL ? f->choice_labels[i] : f->choices[i];
}

size_t idp_letter_block_count(const idp_letter *letter)
{
    return letter->n_blocks;
}

idp_block_kind idp_letter_block_kind(const idp_letter *letter, size_t i)
{
    return i < letter->n_blocks ? letter->blocks[i].kind : IDP_BLOCK_PARAGRAPH;
}

const char *idp_letter_block_label(const idp_letter *letter, size_t i)
{
    return i < letter->n_blocks ? letter->blocks[i].label : NULL;
}

const char *idp_letter_block_text(const idp_letter *letter, size_t i)
{
    return i < letter->n_blocks ? letter->blocks[i].text : NULL;
}
