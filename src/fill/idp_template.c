/* Request templates (templates/<id>.<lang>.json, format in
 * docs/templates.md): loading with strict checks, and the accessors.
 * Validation of a form is in idp_template_validate.c, rendering of the
 * letter's blocks in idp_template_render.c. */
#include "idp_template_int.h"

#include "idp_date.h"
#include "idp_io.h"
#include "idp_value.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TPL_MAX_FILE (1024u * 1024u)
#define TEXT_MAX_CHARS 600 /* a TEXT value, in characters, unless max_length says less */

static const char *const kind_names[] = {"text", "email",     "phone",       "date",   "seller_id",
                                         "enum", "enum_list", "marketplace", "country"};
static const char *const block_names[] = {"title",  "meta",  "heading",  "paragraph",
                                          "bullet", "field", "signature"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- small helpers ---------------------------------------------------- */

static int is_key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static int is_key(const char *s)
{
    size_t n = 0;
    for (; s[n] != '\0'; n++)
        if (!is_key_char(s[n]))
            return 0;
    return n > 0 && n <= 64;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int idp_tpl_is_blank(const char *s)
{
    for (; *s != '\0'; s++)
        if (*s != ' ' && *s != '\t')
            return 0;
    return 1;
}

/* ---- placeholders: {key}, with {{ and }} for literal braces ----------- */

segment idp_tpl_next_segment(const char **pp)
{
    const char *p = *pp;
    segment seg = {SEG_END, p, 0};

    if (*p == '\0')
        return seg;
    if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
        seg.kind = SEG_TEXT;
        seg.n = 1;
        *pp = p + 2;
        return seg;
    }
    if (*p == '}') {
        seg.kind = SEG_ERROR;
        seg.s = "a '}' without '{' (write }} for a literal brace)";
        return seg;
    }
    if (*p == '{') {
        const char *q = p + 1;
        while (is_key_char(*q))
            q++;
        if (*q != '}' || q == p + 1) {
            seg.kind = SEG_ERROR;
            seg.s = "a '{' that does not start a {placeholder} (write {{ for a literal brace)";
            return seg;
        }
        seg.kind = SEG_PLACEHOLDER;
        seg.s = p + 1;
        seg.n = (size_t)(q - p - 1);
        *pp = q + 1;
        return seg;
    }
    seg.kind = SEG_TEXT;
    while (p[seg.n] != '\0' && p[seg.n] != '{' && p[seg.n] != '}')
        seg.n++;
    *pp = p + seg.n;
    return seg;
}

int idp_tpl_seg_is(const segment *seg, const char *name)
{
    return strlen(name) == seg->n && memcmp(seg->s, name, seg->n) == 0;
}

const idp_field *idp_tpl_find_field_n(const idp_template *t, const char *name, size_t n)
{
    for (size_t i = 0; i < t->n_fields; i++)
        if (strlen(t->fields[i].key) == n && memcmp(t->fields[i].key, name, n) == 0)
            return &t->fields[i];
    return NULL;
}

/* ---- value checks, shared by validation and template defaults --------- */

int idp_tpl_choice_index(const idp_field *f, const char *v, size_t n)
{
    for (size_t i = 0; i < f->n_choices; i++)
        if (strlen(f->choices[i]) == n && memcmp(f->choices[i], v, n) == 0)
            return (int)i;
    return -1;
}

/* ---- loading ---------------------------------------------------------- */

void idp_template_destroy(idp_template *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->n_fields; i++) {
        free((void *)(uintptr_t)t->fields[i].choices);
        free((void *)(uintptr_t)t->fields[i].choice_labels);
    }
    free(t->fields);
    free(t->max_chars);
    free(t->blocks);
    free(t->path);
    json_decref(t->root);
    free(t);
}

/* Fails if obj has a key not in allowed (NULL-terminated). */
static idp_status only_keys(idp_ctx *ctx, const char *path, const char *where, json_t *obj,
                            const char *const *allowed)
{
    const char *key;
    json_t *v;

    json_object_foreach(obj, key, v)
    {
        size_t i = 0;
        (void)v;
        while (allowed[i] != NULL && strcmp(allowed[i], key) != 0)
            i++;
        if (allowed[i] == NULL)
            return idp_fail(ctx, IDP_E_FORMAT, "%s: %s: unknown key \"%s\"", path, where, key);
    }
    return IDP_OK;
}

/* obj[key] as a non-empty string, or an error (optional: NULL is fine). */
static idp_status get_string(idp_ctx *ctx, const char *path, const char *where, json_t *obj,
                             const char *key, int optional, const char **out)
{
    json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (v == NULL && optional)
        return IDP_OK;
    if (v == NULL)
        return idp_fail(ctx, IDP_E_FORMAT, "%s: %s: \"%s\" is missing", path, where, key);
    if (!json_is_string(v) || json_string_length(v) == 0)
        return idp_fail(ctx, IDP_E_FORMAT, "%s: %s: \"%s\" must be a non-empty string", path, where,
                        key);
    *out = json_string_value(v);
    return IDP_OK;
}

static idp_status check_date_format(idp_ctx *ctx, const char *path, const char *fmt)
{
    for (const char *p = fmt; *p != '\0'; p++) {
        if (*p != '%')
            continue;
        p++;
        if (*p == '\0' || strchr("deBmY%", *p) == NULL)
            return idp_fail(ctx, IDP_E_FORMAT,
                            "%s: date_format \"%s\": only %%d %%e %%m %%B %%Y and %%%% are known",
                            path, fmt);
    }
    return IDP_OK;
}

static idp_status load_choices(idp_ctx *ctx, const char *path, const char *where, json_t *obj,
                               idp_field *f)
{
    const char **values, **labels;
    const char *key;
    json_t *v;
    size_t n = json_object_size(obj), i = 0;

    if (!json_is_object(obj) || n == 0 || n > 256)
        return idp_fail(ctx, IDP_E_FORMAT,
                        "%s: %s: \"choices\" must be an object of 1 to 256 value: label pairs",
                        path, where);
    values = calloc(n, sizeof(*values));
    labels = calloc(n, sizeof(*labels));
    f->choices = values;
    f->choice_labels = labels;
    if (values == NULL || labels == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", path);
    json_object_foreach(obj, key, v)
    {
        if (!is_key(key))
            return idp_fail(ctx, IDP_E_FORMAT,
                            "%s: %s: choice \"%s\" must be lower-case letters, digits and _", path,
                            where, key);
        if (!json_is_string(v) || json_string_length(v) == 0)
            return idp_fail(ctx, IDP_E_FORMAT,
                            "%s: %s: the label of choice \"%s\" must be a non-empty string", path,
                            where, key);
        values[i] = key;
        labels[i] = json_string_value(v);
        i++;
    }
    f->n_choices = i;
    return IDP_OK;
}

static idp_status load_field(idp_ctx *ctx, idp_template *t, size_t index, json_t *obj)
{
    static const char *const allowed[] = {"key",     "label",   "kind",       "required",
                                          "choices", "default", "max_length", NULL};
    idp_status st;
    idp_field *f = &t->fields[index];
    char where[96], why[768];
    const char *kind;
    json_t *req, *choices, *max;
    size_t k;

    snprintf(where, sizeof(where), "field %zu", index + 1);
    if (!json_is_object(obj))
        return idp_fail(ctx, IDP_E_FORMAT, "%s: %s must be an object", t->path, where);
    if ((st = get_string(ctx, t->path, where, obj, "key", 0, &f->key)) != IDP_OK)
        return st;
    snprintf(where, sizeof(where), "field \"%s\"", f->key);
    if (!is_key(f->key))
        return idp_fail(ctx, IDP_E_FORMAT, "%s: %s: a key is lower-case letters, digits and _",
                        t->path, where);
    if (strcmp(f->key, "reference") == 0 || strcmp(f->key, "date") == 0)
        return idp_fail(ctx, IDP_E_FORMAT, "%s: %s: the name is reserved for the placeholder",
                        t->path, where);
    if (idp_tpl_find_field_n(t, f->key, strlen(f->key)) != f)
        return idp_fail(ctx, IDP_E_FORMAT, "%s: %s is declared twice", t->path, where);
    if ((st = only_keys(ctx, t->path, where, obj, allowed)) != IDP_OK)
        return st;
    if ((st = get_string(ctx, t->path, where, obj, "label", 0, &f->label)) != IDP_OK)
        return st;
    if (json_object_get(obj, "kind") == NULL)
        return idp_fail(ctx, IDP_E_FORMAT, "%s: %s has no \"kind\"", t->path, where);
    if ((st = get_string(ctx, t->path, where, obj, "kind", 0, &kind)) != IDP_OK)
        return st;
    for (k = 0; k < COUNT(kind_names) && strcmp(kind, kind_names[k]) != 0; k++)
        ;
    if (k == COUNT(kind_names))
        return idp_fail(ctx, IDP_E_FORMAT,
                        "%s: %s: unknown kind \"%s\" (text, email, phone, date, seller_id, enum, "
                        "enum_list, marketplace, country)",
                        t->path, where, kind);
    f->kind = (idp_field_kind)k;
    req = json_object_get(obj, "required");
    if (req != NULL && !json_is_boolean(req))
        return idp_fail(ctx, IDP_E_FORMAT, "%s: %s: \"required\" must be true or false", t->path,
                        where);
    f->required = req != NULL && json_is_true(req);
    choices = json_object_get(obj, "choices");
    if (f->kind == IDP_FIELD_ENUM || f->kind == IDP_FIELD_ENUM_LIST) {
        if (choices == NULL)
            return idp_fail(ctx, IDP_E_FORMAT, "%s: %s: an %s field needs \"choices\"", t->path,
                            where, kind);
        if ((st = load_choices(ctx, t->path, where, choices, f)) != IDP_OK)
            return st;
    } else if (choices != NULL) {
        return idp_fail(ctx, IDP_E_FORMAT, "%s: %s: only enum and enum_list fields have choices",
                        t->path, where);
    }
    if ((st = get_string(ctx, t->path, where, obj, "default", 1, &f->default_value)) != IDP_OK)
        return st;
    if (f->default_value != NULL && f->required)
        return idp_fail(ctx, IDP_E_FORMAT, "%s: %s: a required field cannot have a default",
                        t->path, where);
    max = json_object_get(obj, "max_length");
    t->max_chars[index] = TEXT_MAX_CHARS;
    if (max != NULL && f->kind != IDP_FIELD_TEXT)
        return idp_fail(ctx, IDP_E_FORMAT, "%s: %s: only text fields have a max_length", t->path,
                        where);
    if (max != NULL && (!json_is_integer(max) || json_integer_value(max) < 1 ||
                        json_integer_value(max) > TEXT_MAX_CHARS))
        return idp_fail(ctx, IDP_E_FORMAT, "%s: %s: max_length must be a whole number from 1 to %d",
                        t->path, where, TEXT_MAX_CHARS);
    if (max != NULL)
        t->max_chars[index] = (size_t)json_integer_value(max);
    if (f->default_value != NULL &&
        !idp_value_ok(f, t->max_chars[index], f->default_value, t->lang, NULL, why, sizeof(why)))
        return idp_fail(ctx, IDP_E_FORMAT, "%s: %s: bad default: %s", t->path, where, why);
    return IDP_OK;
}

/* Checks every {placeholder} of text; counts enum_list placeholders. */
static idp_status check_text(idp_ctx *ctx, const idp_template *t, const char *where,
                             const char *text, size_t *n_lists)
{
    const char *p = text;
    segment seg;

    while ((seg = idp_tpl_next_segment(&p)).kind != SEG_END) {
        const idp_field *f;
        if (seg.kind == SEG_ERROR)
            return idp_fail(ctx, IDP_E_FORMAT, "%s: %s: %s", t->path, where, seg.s);
        if (seg.kind != SEG_PLACEHOLDER || idp_tpl_seg_is(&seg, "reference") ||
            idp_tpl_seg_is(&seg, "date"))
            continue;
        f = idp_tpl_find_field_n(t, seg.s, seg.n);
        if (f == NULL)
            return idp_fail(ctx, IDP_E_FORMAT,
                            "%s: %s: unknown placeholder {%.*s} (not a declared field, "
                            "{reference} or {date})",
                            t->path, where, (int)seg.n, seg.s);
        if (f->kind == IDP_FIELD_ENUM_LIST)
            (*n_lists)++;
    }
    return IDP_OK;
}

static idp_status load_block(idp_ctx *ctx, idp_template *t, size_t index, json_t *obj)
{
    static const char *const allowed[] = {"kind", "text", "label", "when", NULL};
    idp_status st;
    tpl_block *b = &t->blocks[index];
    char where[64];
    const char *kind;
    size_t k, n_lists = 0;

    snprintf(where, sizeof(where), "letter block %zu", index + 1);
    if (!json_is_object(obj))
        return idp_fail(ctx, IDP_E_FORMAT, "%s: %s must be an object", t->path, where);
    if ((st = only_keys(ctx, t->path, where, obj, allowed)) != IDP_OK)
        return st;
    if ((st = get_string(ctx, t->path, where, obj, "kind", 0, &kind)) != IDP_OK)
        return st;
    for (k = 0; k < COUNT(block_names) && strcmp(kind, block_names[k]) != 0; k++)
        ;
    if (k == COUNT(block_names))
        return idp_fail(ctx, IDP_E_FORMAT,
                        "%s: %s: unknown kind \"%s\" (title, meta, heading, paragraph, bullet, "
                        "field, signature)",
                        t->path, where, kind);
    b->kind = (idp_block_kind)k;
    if ((st = get_string(ctx, t->path, where, obj, "text", 0, &b->text)) != IDP_OK)
        return st;
    if ((st = get_string(ctx, t->path, where, obj, "label", 1, &b->label)) != IDP_OK)
        return st;
    if ((b->kind == IDP_BLOCK_FIELD) != (b->label != NULL))
        return idp_fail(ctx, IDP_E_FORMAT, "%s: %s: %s", t->path, where,
                        b->label == NULL ? "a field block needs a \"label\""
                                         : "only field blocks have a \"label\"");
    if ((st = get_string(ctx, t->path, where, obj, "when", 1, &b->when)) != IDP_OK)
        return st;
    if (b->when != NULL) {
        const char *eq = strchr(b->when, '=');
        const idp_field *gate;
        b->when_len = eq != NULL ? (size_t)(eq - b->when) : strlen(b->when);
        if (eq != NULL && eq > b->when && eq[-1] == '!') {
            b->when_neg = 1;
            b->when_len--;
        }
        b->when_choice = eq != NULL ? eq + 1 : NULL;
        gate = idp_tpl_find_field_n(t, b->when, b->when_len);
        if (gate == NULL)
            return idp_fail(ctx, IDP_E_FORMAT, "%s: %s: \"when\" names an unknown field \"%s\"",
                            t->path, where, b->when);
        if (b->when_choice != NULL &&
            (gate->kind != IDP_FIELD_ENUM ||
             idp_tpl_choice_index(gate, b->when_choice, strlen(b->when_choice)) < 0))
            return idp_fail(ctx, IDP_E_FORMAT,
                            "%s: %s: \"when\": \"%s\" is not an enum field and one of its "
                            "choices",
                            t->path, where, b->when);
    }
    if ((st = check_text(ctx, t, where, b->text, &n_lists)) != IDP_OK)
        return st;
    if (n_lists > 0 && (b->kind != IDP_BLOCK_BULLET || n_lists > 1))
        return idp_fail(ctx, IDP_E_FORMAT,
                        "%s: %s: a list field (enum_list) can only be used in a bullet block, "
                        "once",
                        t->path, where);
    return IDP_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "en, it" : the languages of template id found in dir. */
static void available_langs(const char *dir, const char *id, char *buf, size_t size)
{
    char *langs[32];
    size_t n = 0, o = 0, idlen = strlen(id);
    DIR *d = opendir(dir);
    struct dirent *e;

    buf[0] = '\0';
    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL && n < COUNT(langs)) {
        size_t len = strlen(e->d_name);
        if (len > idlen + 6 && strncmp(e->d_name, id, idlen) == 0 && e->d_name[idlen] == '.' &&
            strcmp(e->d_name + len - 5, ".json") == 0) {
            size_t ll = len - idlen - 6;
            langs[n] = malloc(ll + 1);
            if (langs[n] == NULL)
                break;
            memcpy(langs[n], e->d_name + idlen + 1, ll);
            langs[n][ll] = '\0';
            n++;
        }
    }
    closedir(d);
    qsort(langs, n, sizeof(langs[0]), cmp_str);
    for (size_t i = 0; i < n; i++) {
        int w = o < size ? snprintf(buf + o, size - o, "%s%s", i ? ", " : "", langs[i]) : 0;
        if (w > 0)
            o += (size_t)w;
        free(langs[i]);
    }
}

static int lang_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 3)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 'a' || s[i] > 'z')
            return 0;
    return 1;
}

static int id_ok(const char *s)
{
    size_t n = 0;
    for (; s[n] != '\0'; n++)
        if (!((s[n] >= 'a' && s[n] <= 'z') || is_digit(s[n]) || s[n] == '-'))
            return 0;
    return n > 0 && n <= 64;
}

static idp_status parse_template(idp_ctx *ctx, idp_template *t, const char *id, const char *lang)
{
    static const char *const allowed[] = {"id",     "lang",   "title",  "date_format",
                                          "months", "fields", "letter", NULL};
    idp_status st;
    json_t *root = t->root, *months, *fields, *letter, *v;
    size_t i;

    if (!json_is_object(root))
        return idp_fail(ctx, IDP_E_FORMAT, "%s: a template must be a JSON object", t->path);
    if ((st = only_keys(ctx, t->path, "template", root, allowed)) != IDP_OK)
        return st;
    if ((st = get_string(ctx, t->path, "template", root, "id", 0, &t->id)) != IDP_OK ||
        (st = get_string(ctx, t->path, "template", root, "lang", 0, &t->lang)) != IDP_OK ||
        (st = get_string(ctx, t->path, "template", root, "title", 0, &t->title)) != IDP_OK ||
        (st = get_string(ctx, t->path, "template", root, "date_format", 0, &t->date_format)) !=
            IDP_OK)
        return st;
    if (strcmp(t->id, id) != 0 || strcmp(t->lang, lang) != 0)
        return idp_fail(ctx, IDP_E_FORMAT, "%s: declares id \"%s\" and lang \"%s\", not %s/%s",
                        t->path, t->id, t->lang, id, lang);
    if ((st = check_date_format(ctx, t->path, t->date_format)) != IDP_OK)
        return st;
    months = json_object_get(root, "months");
    if (!json_is_array(months) || json_array_size(months) != 12)
        return idp_fail(ctx, IDP_E_FORMAT, "%s: \"months\" must be the 12 month names", t->path);
    json_array_foreach(months, i, v)
    {
        if (!json_is_string(v) || json_string_length(v) == 0)
            return idp_fail(ctx, IDP_E_FORMAT, "%s: month %zu must be a non-empty string", t->path,
                            i + 1);
        t->months[i] = json_string_value(v);
    }
    fields = json_object_get(root, "fields");
    letter = json_object_get(root, "letter");
    if (!json_is_array(fields) || json_array_size(fields) == 0)
        return idp_fail(ctx, IDP_E_FORMAT, "%s: \"fields\" must be a non-empty array", t->path);
    if (!json_is_array(letter) || json_array_size(letter) == 0)
        return idp_fail(ctx, IDP_E_FORMAT, "%s: \"letter\" must be a non-empty array", t->path);
    t->fields = calloc(json_array_size(fields), sizeof(*t->fields));
    t->max_chars = calloc(json_array_size(fields), sizeof(*t->max_chars));
    t->blocks = calloc(json_array_size(letter), sizeof(*t->blocks));
    if (t->fields == NULL || t->max_chars == NULL || t->blocks == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", t->path);
    json_array_foreach(fields, i, v)
    {
        t->n_fields = i + 1; /* so destroy frees what load_field allocated */
        if ((st = load_field(ctx, t, i, v)) != IDP_OK)
            return st;
    }
    json_array_foreach(letter, i, v)
    {
        if ((st = load_block(ctx, t, i, v)) != IDP_OK)
            return st;
        t->n_blocks = i + 1;
    }
    return IDP_OK;
}

idp_status idp_template_load(idp_ctx *ctx, const char *dir, const char *id, const char *lang,
                             idp_template **out)
{
    idp_status st;
    idp_template *t = NULL;
    uint8_t *buf = NULL;
    size_t len = 0, plen;
    json_error_t err;
    struct stat sb;

    *out = NULL;
    if (!id_ok(id))
        return idp_fail(ctx, IDP_E_USAGE, "'%s' is not a template name", id);
    if (!lang_ok(lang))
        return idp_fail(ctx, IDP_E_USAGE, "'%s' is not a language code (en, it, de, fr, es)", lang);
    t = calloc(1, sizeof(*t));
    plen = strlen(dir) + strlen(id) + strlen(lang) + 8;
    if (t == NULL || (t->path = malloc(plen)) == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, "out of memory loading a template");
        goto out;
    }
    snprintf(t->path, plen, "%s/%s.%s.json", dir, id, lang);
    if (stat(t->path, &sb) != 0 && errno == ENOENT) {
        char langs[256];
        available_langs(dir, id, langs, sizeof(langs));
        st = idp_fail(ctx, IDP_E_NOTFOUND, "no %s template in language '%s' (%s missing%s%s)", id,
                      lang, t->path, langs[0] ? "; available: " : "", langs);
        goto out;
    }
    if ((st = idp_read_file(ctx, t->path, TPL_MAX_FILE, &buf, &len)) != IDP_OK)
        goto out;
    t->root = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &err);
    if (t->root == NULL) {
        st = idp_fail(ctx, IDP_E_FORMAT, "%s:%d: not valid JSON: %s", t->path, err.line, err.text);
        goto out;
    }
    if ((st = parse_template(ctx, t, id, lang)) != IDP_OK)
        goto out;
    *out = t;
    t = NULL;
out:
    free(buf);
    idp_template_destroy(t);
    return st;
}

const char *idp_template_id(const idp_template *t)
{
    return t->id;
}

const char *idp_template_lang(const idp_template *t)
{
    return t->lang;
}

const char *idp_template_title(const idp_template *t)
{
    return t->title;
}

size_t idp_template_field_count(const idp_template *t)
{
    return t->n_fields;
}

const idp_field *idp_template_field(const idp_template *t, size_t i)
{
    return i < t->n_fields ? &t->fields[i] : NULL;
}

const idp_field *idp_template_find_field(const idp_template *t, const char *key)
{
    return idp_tpl_find_field_n(t, key, strlen(key));
}
