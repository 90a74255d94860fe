/* A template's letter rendered with a form's values: placeholders
 * filled, dates in the template's format, countries by name, optional
 * blocks left out, enum_list blocks repeated per choice. */
#include "idp_template_int.h"

#include "idp_date.h"
#include "idp_io.h"
#include "idp_value.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- rendering -------------------------------------------------------- */

typedef struct strbuf {
    char *s;
    size_t len, cap;
} strbuf;

static int sb_add(strbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 128;
        char *grown;
        while (cap < b->len + n + 1) {
            if (cap > SIZE_MAX / 2)
                return 0;
            cap *= 2;
        }
        grown = malloc(cap);
        if (grown == NULL)
            return 0;
        if (b->s != NULL)
            memcpy(grown, b->s, b->len);
        idp_free_wiped(b->s, b->cap); /* the text holds personal data */
        b->s = grown;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
    return 1;
}

static int sb_add_str(strbuf *b, const char *s)
{
    return sb_add(b, s, strlen(s));
}

static int format_date(const idp_template *t, const char *iso, strbuf *b)
{
    int y, m, d;
    char num[16];

    if (idp_value_date(iso, t->lang, &y, &m, &d) != 1)
        return sb_add_str(b, iso);
    for (const char *p = t->date_format; *p != '\0'; p++) {
        int ok = 1;
        if (*p != '%') {
            ok = sb_add(b, p, 1);
        } else {
            p++;
            switch (*p) {
            case 'd':
                snprintf(num, sizeof(num), "%02d", d);
                break;
            case 'e':
                snprintf(num, sizeof(num), "%d", d);
                break;
            case 'm':
                snprintf(num, sizeof(num), "%02d", m);
                break;
            case 'Y':
                snprintf(num, sizeof(num), "%04d", y);
                break;
            case 'B':
                snprintf(num, sizeof(num), "%s", "");
                ok = sb_add_str(b, t->months[m - 1]);
                break;
            default: /* '%', the only other one check_date_format lets through */
                snprintf(num, sizeof(num), "%%");
                break;
            }
            ok = ok && sb_add_str(b, num);
        }
        if (!ok)
            return 0;
    }
    return 1;
}

/* A phone number kept on one line: its spaces become no-break spaces
 * (U+00A0), which the PDF draws as spaces but never breaks at; its
 * dashes are not break points either (docs/pdf.md). */
static int add_unbroken(strbuf *b, const char *v)
{
    int ok = 1;

    for (const char *p = v; ok && *p != '\0'; p++)
        ok = *p == ' ' ? sb_add(b, "\xC2\xA0", 2) : sb_add(b, p, 1);
    return ok;
}

/* The value a field renders with: the form's, else its default, else NULL. */
static const char *value_of(const idp_field *f, const idp_form *form)
{
    const char *v = idp_form_get(form, f->key);
    if (v != NULL && !idp_tpl_is_blank(v))
        return v;
    return f->default_value;
}

typedef struct render_state {
    const idp_template *t;
    const idp_form *form;
    const char *reference, *date;
} render_state;

/* Fills text into b; list_item is the choice index used for the block's
 * enum_list placeholder. Returns IDP_OK, or IDP_E_FIELD for a value that
 * was not validated, IDP_E_NOMEM. */
static idp_status fill(idp_ctx *ctx, const render_state *rs, const char *text, int list_item,
                       strbuf *b)
{
    const char *p = text;
    segment seg = {SEG_END, text, 0};
    int ok = 1;

    while (ok && (seg = idp_tpl_next_segment(&p)).kind != SEG_END) {
        const idp_field *f;
        const char *v;
        if (seg.kind == SEG_TEXT) {
            ok = sb_add(b, seg.s, seg.n);
            continue;
        }
        if (idp_tpl_seg_is(&seg, "reference")) {
            ok = sb_add_str(b, rs->reference);
            continue;
        }
        if (idp_tpl_seg_is(&seg, "date")) {
            ok = format_date(rs->t, rs->date, b);
            continue;
        }
        f = idp_tpl_find_field_n(rs->t, seg.s, seg.n);
        v = f != NULL ? value_of(f, rs->form) : NULL;
        if (v == NULL)
            return idp_fail(ctx, IDP_E_FIELD, "%s: cannot fill {%.*s}: no value (validate first)",
                            rs->t->path, (int)seg.n, seg.s);
        if (f->kind == IDP_FIELD_ENUM) {
            int k = idp_tpl_choice_index(f, v, strlen(v));
            if (k < 0)
                return idp_fail(ctx, IDP_E_FIELD, "%s: the value is not a choice (validate first)",
                                f->key);
            ok = sb_add_str(b, f->choice_labels[k]);
        } else if (f->kind == IDP_FIELD_ENUM_LIST) {
            ok = list_item >= 0 && sb_add_str(b, f->choice_labels[list_item]);
        } else if (f->kind == IDP_FIELD_DATE) {
            ok = format_date(rs->t, v, b);
        } else if (f->kind == IDP_FIELD_PHONE) {
            ok = add_unbroken(b, v);
        } else if (f->kind == IDP_FIELD_COUNTRY && idp_country_name(v, rs->t->lang) != NULL) {
            ok = sb_add_str(b, idp_country_name(v, rs->t->lang));
        } else {
            ok = sb_add_str(b, v);
        }
    }
    if (seg.kind == SEG_ERROR)
        return idp_fail(ctx, IDP_E_INTERNAL, "%s: bad text passed the checks", rs->t->path);
    return ok ? IDP_OK : idp_fail(ctx, IDP_E_NOMEM, "out of memory rendering the letter");
}

/* Is the block left out (an optional field it uses has no value), and
 * which enum_list field does it expand (NULL if none)? */
static int block_skipped(const render_state *rs, const tpl_block *tb, const idp_field **list)
{
    const char *p = tb->text;
    segment seg;

    *list = NULL;
    if (tb->when != NULL) {
        const idp_field *gate = idp_tpl_find_field_n(rs->t, tb->when, tb->when_len);
        const char *gv = gate != NULL ? value_of(gate, rs->form) : NULL;
        if (gv == NULL && (tb->when_choice == NULL || !tb->when_neg))
            return 1; /* load checked that the field exists */
        if (tb->when_choice != NULL && gv != NULL &&
            (strcmp(gv, tb->when_choice) == 0) == tb->when_neg)
            return 1;
    }
    while ((seg = idp_tpl_next_segment(&p)).kind == SEG_TEXT || seg.kind == SEG_PLACEHOLDER) {
        const idp_field *f;
        if (seg.kind != SEG_PLACEHOLDER)
            continue;
        f = idp_tpl_find_field_n(rs->t, seg.s, seg.n);
        if (f == NULL)
            continue; /* reference, date */
        if (!f->required && value_of(f, rs->form) == NULL)
            return 1;
        if (f->kind == IDP_FIELD_ENUM_LIST)
            *list = f;
    }
    return 0;
}

static idp_status add_block(idp_ctx *ctx, const render_state *rs, const tpl_block *tb,
                            int list_item, idp_letter *letter, size_t *cap)
{
    idp_status st;
    strbuf b = {NULL, 0, 0};
    idp_block *nb;

    if (letter->n_blocks == *cap) {
        size_t want = *cap ? *cap * 2 : 32;
        idp_block *grown = realloc(letter->blocks, want * sizeof(*grown));
        if (grown == NULL)
            return idp_fail(ctx, IDP_E_NOMEM, "out of memory rendering the letter");
        letter->blocks = grown;
        *cap = want;
    }
    st = fill(ctx, rs, tb->text, list_item, &b);
    if (st == IDP_OK && b.s == NULL && !sb_add(&b, "", 0))
        st = idp_fail(ctx, IDP_E_NOMEM, "out of memory rendering the letter");
    if (st != IDP_OK) {
        idp_free_wiped(b.s, b.cap);
        return st;
    }
    nb = &letter->blocks[letter->n_blocks];
    nb->kind = tb->kind;
    nb->text = b.s;
    nb->label = NULL;
    if (tb->label != NULL && (nb->label = strdup(tb->label)) == NULL) {
        idp_free_wiped(b.s, b.cap);
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory rendering the letter");
    }
    letter->n_blocks++;
    return IDP_OK;
}

/* The choice indexes listed in an enum_list value, in the template's order. */
static void list_items(const idp_field *f, const char *v, unsigned char *chosen)
{
    const char *p = v;
    for (;;) {
        const char *comma = strchr(p, ','), *end = comma ? comma : p + strlen(p);
        int k;
        while (p < end && *p == ' ')
            p++;
        while (end > p && end[-1] == ' ')
            end--;
        k = idp_tpl_choice_index(f, p, (size_t)(end - p));
        if (k >= 0 && k < 256)
            chosen[k] = 1;
        if (comma == NULL)
            return;
        p = comma + 1;
    }
}

idp_status idp_template_render(idp_ctx *ctx, const idp_template *t, const idp_form *form,
                               const char *reference, const char *date, idp_letter **out)
{
    idp_status st = IDP_OK;
    render_state rs = {t, form, reference, date};
    idp_letter *letter;
    size_t cap = 0;
    int y, m, d;

    *out = NULL;
    if (!idp_date_parse_iso(date, &y, &m, &d))
        return idp_fail(ctx, IDP_E_USAGE, "the letter's date '%s' is not YYYY-MM-DD", date);
    letter = calloc(1, sizeof(*letter));
    if (letter == NULL || (letter->title = strdup(t->title)) == NULL ||
        (letter->lang = strdup(t->lang)) == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, "out of memory rendering the letter");
        goto out;
    }
    for (size_t i = 0; i < t->n_blocks && st == IDP_OK; i++) {
        const tpl_block *tb = &t->blocks[i];
        const idp_field *list;
        unsigned char chosen[256] = {0};

        if (block_skipped(&rs, tb, &list))
            continue;
        if (list == NULL) {
            st = add_block(ctx, &rs, tb, -1, letter, &cap);
            continue;
        }
        list_items(list, value_of(list, form), chosen);
        for (size_t k = 0; k < list->n_choices && k < 256 && st == IDP_OK; k++)
            if (chosen[k])
                st = add_block(ctx, &rs, tb, (int)k, letter, &cap);
    }
    if (st == IDP_OK) {
        *out = letter;
        letter = NULL;
    }
out:
    idp_letter_destroy(letter);
    return st;
}

void idp_letter_destroy(idp_letter *letter)
{
    if (letter == NULL)
        return;
    for (size_t i = 0; i < letter->n_blocks; i++) {
        free(letter->blocks[i].label);
        if (letter->blocks[i].text != NULL)
            idp_free_wiped(letter->blocks[i].text, strlen(letter->blocks[i].text));
    }
    free(letter->blocks);
    free(letter->title);
    free(letter->lang);
    free(letter);
}
