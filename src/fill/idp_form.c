/* The values of a request's fields: a small ordered map key -> value with
 * the origin of each value, filled from form files (key = value lines or a
 * JSON object), --set arguments, profiles and CSV rows. Values are personal
 * data: wiped when replaced or freed. */
#include "idp_form.h"
#include "idp_utf8.h"

#include "idp_tr.h"
#include "idp_wipe.h"
#include "idp_io.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FORM_MAX_FIELDS 256
#define FORM_MAX_KEY 64
#define FORM_MAX_VALUE 4096
#define FORM_MAX_FILE (1024u * 1024u)

typedef struct form_entry {
    char *key;
    char *value;
    char *origin;
    unsigned stamp; /* which load_file call set it (0: a single set) */
} form_entry;

struct idp_form {
    form_entry *entries;
    size_t n, cap;
    unsigned stamp;
};

static char *dup_str(const char *s, size_t len)
{
    char *d = malloc(len + 1);
    if (d == NULL)
        return NULL;
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

/* A copy of s safe to print in a message: printable ASCII and UTF-8 kept,
 * control bytes as '?', at most 60 bytes (cut on a character boundary). */
static const char *printable(const char *s, char *buf, size_t size)
{
    size_t o = 0;
    for (size_t i = 0; s[i] != '\0' && o + 4 < size && i < 60; i++) {
        unsigned char c = (unsigned char)s[i];
        buf[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    o = idp_utf8_cut(buf, o); /* drop a trailing partial character */
    buf[o] = '\0';
    return buf;
}

/* Unicode 15 general categories Cf (format), Zl and Zp, less the
 * direction controls tested on their own. */
static int invisible(uint32_t cp)
{
    static const uint32_t ranges[][2] = {
        {0x00ad, 0x00ad},   {0x0600, 0x0605},   {0x06dd, 0x06dd},   {0x070f, 0x070f},
        {0x0890, 0x0891},   {0x08e2, 0x08e2},   {0x180e, 0x180e},   {0x200b, 0x200d},
        {0x2028, 0x2029},   {0x2060, 0x2064},   {0x206a, 0x206f},   {0xfeff, 0xfeff},
        {0xfff9, 0xfffb},   {0x110bd, 0x110bd}, {0x110cd, 0x110cd}, {0x13430, 0x1343f},
        {0x1bca0, 0x1bca3}, {0x1d173, 0x1d17a}, {0xe0001, 0xe0001}, {0xe0020, 0xe007f}};
    for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
        if (cp >= ranges[i][0] && cp <= ranges[i][1])
            return 1;
    return 0;
}

/* Checks that s[0..len) is valid UTF-8 (shortest forms, no surrogates, at
 * most U+10FFFF) with no control character but tab and newline, and no
 * bidirectional control (U+061C, U+200E, U+200F, U+202A-U+202E,
 * U+2066-U+2069). Returns NULL when fine, else what is wrong, with *at the
 * byte offset. */
const char *idp_text_problem(const char *s, size_t len, size_t *at)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        unsigned char c = p[i];
        size_t need;
        uint32_t cp = 0;

        *at = i;
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
                return c == 0 ? N_("contains a NUL byte") : N_("contains a control character");
            i++;
            continue;
        }
        need = idp_utf8_decode(p + i, len - i, &cp);
        if (need == 0) {
            bool lead = c >= 0xc2 && c <= 0xf4;
            return lead && len - i < idp_utf8_seq_len(c)
                       ? N_("is not valid UTF-8 (a character is cut short)")
                       : N_("is not valid UTF-8");
        }
        if (cp >= 0x80 && cp <= 0x9f)
            return N_("contains a control character");
        /* Direction controls draw nothing in the PDF yet reorder the text
         * a reader copies out of it: the letter would say one thing and
         * show another. */
        if (idp_utf8_bidi_control(cp))
            return N_("contains an invisible text-direction control");
        /* The other format characters (Unicode category Cf) and the line
         * and paragraph separators (Zl, Zp) draw nothing either: a name
         * with a zero-width space or a soft hyphen prints like another. */
        if (invisible(cp))
            return N_("contains an invisible character (a zero-width space, soft hyphen, "
                      "line separator or similar)");
        i += need;
    }
    return NULL;
}

static int key_ok(const char *key)
{
    size_t n = 0;
    for (; key[n] != '\0'; n++) {
        char c = key[n];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return 0;
    }
    return n > 0 && n <= FORM_MAX_KEY;
}

static form_entry *find(const idp_form *form, const char *key)
{
    for (size_t i = 0; i < form->n; i++)
        if (strcmp(form->entries[i].key, key) == 0)
            return &form->entries[i];
    return NULL;
}

idp_status idp_form_create(idp_ctx *ctx, idp_form **out)
{
    *out = calloc(1, sizeof(**out));
    if (*out == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory creating a form");
    return IDP_OK;
}

void idp_form_destroy(idp_form *form)
{
    if (form == NULL)
        return;
    for (size_t i = 0; i < form->n; i++) {
        free(form->entries[i].key);
        idp_free_wiped_str(form->entries[i].value);
        free(form->entries[i].origin);
    }
    free(form->entries);
    free(form);
}

/* Sets key (already checked) with the stamp of the source: a key set
 * earlier by the same source is a duplicate; one set by an earlier source
 * is replaced only if replace, else kept. */
static idp_status set_stamped(idp_ctx *ctx, idp_form *form, const char *key, const char *value,
                              const char *origin, int replace, unsigned stamp)
{
    char shown[80];
    size_t at = 0, vlen = strlen(value);
    const char *problem;
    form_entry *e;
    char *v = NULL, *o = NULL;

    if (!key_ok(key))
        return idp_fail(ctx, IDP_E_FIELD,
                        "%s: '%s' is not a field name (lower-case letters, digits and _)", origin,
                        printable(key, shown, sizeof(shown)));
    if (vlen > FORM_MAX_VALUE)
        return idp_fail(ctx, IDP_E_FIELD, "%s: the value of %s is too long (%zu bytes, at most %d)",
                        origin, key, vlen, FORM_MAX_VALUE);
    problem = idp_text_problem(value, vlen, &at);
    if (problem != NULL)
        return idp_fail(ctx, IDP_E_FIELD,
                        idp_tr(idp_ctx_lang(ctx),
                               "%s: the value of %s %s (at byte %zu): type it again or "
                               "paste it as plain text"),
                        origin, key, idp_tr(idp_ctx_lang(ctx), problem), at + 1);
    e = find(form, key);
    if (e != NULL && ((stamp != 0 && e->stamp == stamp) || (stamp == 0 && !replace)))
        return idp_fail(ctx, IDP_E_FIELD, "%s: %s is set twice (first at %s)", origin, key,
                        e->origin);
    if (e != NULL && stamp != 0 && e->stamp != stamp && !replace)
        return IDP_OK; /* an earlier source wins */
    if (e == NULL && form->n >= FORM_MAX_FIELDS)
        return idp_fail(ctx, IDP_E_FIELD, "%s: too many fields (at most %d)", origin,
                        FORM_MAX_FIELDS);
    v = dup_str(value, vlen);
    o = dup_str(origin, strlen(origin));
    if (v == NULL || o == NULL)
        goto nomem;
    if (e != NULL) {
        idp_free_wiped_str(e->value);
        free(e->origin);
        e->value = v;
        e->origin = o;
        e->stamp = stamp;
        return IDP_OK;
    }
    if (form->n == form->cap) {
        size_t cap = form->cap ? form->cap * 2 : 16;
        form_entry *grown = realloc(form->entries, cap * sizeof(*grown));
        if (grown == NULL)
            goto nomem;
        form->entries = grown;
        form->cap = cap;
    }
    e = &form->entries[form->n];
    e->key = dup_str(key, strlen(key));
    if (e->key == NULL)
        goto nomem;
    e->value = v;
    e->origin = o;
    e->stamp = stamp;
    form->n++;
    return IDP_OK;
nomem:
    idp_free_wiped_str(v);
    free(o);
    return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", origin);
}

idp_status idp_form_set(idp_ctx *ctx, idp_form *form, const char *key, const char *value,
                        const char *origin, int replace)
{
    return set_stamped(ctx, form, key, value, origin, replace, 0);
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Trims blanks around s[0..len) in place; returns the start, *len updated
 * and the end NUL-terminated. */
static char *trim(char *s, size_t *len)
{
    size_t n = *len;
    while (n > 0 && is_blank(*s)) {
        s++;
        n--;
    }
    while (n > 0 && is_blank(s[n - 1]))
        n--;
    s[n] = '\0';
    *len = n;
    return s;
}

idp_status idp_form_set_arg_from(idp_ctx *ctx, idp_form *form, const char *arg, const char *origin)
{
    idp_status st;
    size_t len = strlen(arg), klen, vlen;
    const char *eq = strchr(arg, '=');
    char *copy, *key, *value;

    /* The argument is not quoted back: without its '=' it may be a bare
     * value (a name, an email), and values never go into messages. */
    if (eq == NULL)
        return idp_fail(ctx, IDP_E_FIELD, "%s: expected KEY=VALUE (the argument has no '=')",
                        origin);
    copy = dup_str(arg, len);
    if (copy == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", origin);
    klen = (size_t)(eq - arg);
    vlen = len - klen - 1;
    copy[klen] = '\0';
    key = trim(copy, &klen);
    value = trim(copy + (eq - arg) + 1, &vlen);
    if (klen == 0)
        st = idp_fail(ctx, IDP_E_FIELD, "%s: expected KEY=VALUE (the key is empty)", origin);
    else
        st = idp_form_set(ctx, form, key, value, origin, 0);
    idp_free_wiped(copy, len);
    return st;
}

idp_status idp_form_set_arg(idp_ctx *ctx, idp_form *form, const char *arg)
{
    return idp_form_set_arg_from(ctx, form, arg, "argument");
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static idp_status load_lines(idp_ctx *ctx, idp_form *form, const char *path, char *text, size_t len,
                             int replace, unsigned stamp)
{
    idp_status st = IDP_OK;
    size_t cap = strlen(path) + 24, pos = 0, lineno = 0;
    char *origin = malloc(cap);

    if (origin == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", path);
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        pos = 3; /* a UTF-8 byte-order mark */
    while (pos < len && st == IDP_OK) {
        char *line = text + pos, *nl = memchr(line, '\n', len - pos);
        size_t llen = nl != NULL ? (size_t)(nl - line) : len - pos, klen, vlen;
        char *eq, *key, *value;

        pos += llen + 1;
        lineno++;
        snprintf(origin, cap, "%s:%zu", path, lineno);
        line = trim(line, &llen);
        if (llen == 0 || line[0] == '#')
            continue;
        if (memchr(line, '\0', llen) != NULL) {
            st = idp_fail(ctx, IDP_E_FIELD, "%s: contains a NUL byte", origin);
            break;
        }
        eq = strchr(line, '=');
        if (eq == NULL || eq == line) {
            st = idp_fail(ctx, IDP_E_FIELD, "%s: expected 'key = value'%s", origin,
                          eq == NULL ? " (no '=' on the line)" : " (the key is empty)");
            break;
        }
        klen = (size_t)(eq - line);
        vlen = llen - klen - 1;
        key = trim(line, &klen);
        value = trim(eq + 1, &vlen);
        st = set_stamped(ctx, form, key, value, origin, replace, stamp);
    }
    free(origin);
    return st;
}

/* A JSON value: a string, or an array of strings joined with ','. */
static idp_status json_value(idp_ctx *ctx, const char *path, const char *key, json_t *v, char **out)
{
    size_t total = 1, i;
    json_t *item;

    *out = NULL;
    if (json_is_string(v)) {
        *out = dup_str(json_string_value(v), json_string_length(v));
        return *out != NULL ? IDP_OK : idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", path);
    }
    if (!json_is_array(v))
        return idp_fail(ctx, IDP_E_FIELD, "%s: the value of %s must be a string", path, key);
    json_array_foreach(v, i, item)
    {
        if (!json_is_string(item))
            return idp_fail(ctx, IDP_E_FIELD, "%s: the list %s must hold only strings", path, key);
        total += json_string_length(item) + 1;
        if (total > FORM_MAX_VALUE + 2)
            return idp_fail(ctx, IDP_E_FIELD, "%s: the value of %s is too long", path, key);
    }
    *out = calloc(1, total);
    if (*out == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", path);
    json_array_foreach(v, i, item)
    {
        if (i > 0)
            strcat(*out, ",");
        strcat(*out, json_string_value(item));
    }
    return IDP_OK;
}

/* Zeroes the strings jansson holds (personal data) before they are freed:
 * they are jansson's own heap buffers, so writing to them is fine. */
static void wipe_json_string(json_t *v)
{
    if (json_is_string(v))
        idp_wipe((void *)(uintptr_t)json_string_value(v), json_string_length(v));
}

static void wipe_json(json_t *root)
{
    const char *key;
    json_t *v, *item;
    size_t i;

    json_object_foreach(root, key, v)
    {
        wipe_json_string(v);
        if (!json_is_array(v))
            continue;
        json_array_foreach(v, i, item)
        {
            wipe_json_string(item);
        }
    }
}

static idp_status load_json(idp_ctx *ctx, idp_form *form, const char *path, const char *text,
                            size_t len, int replace, unsigned stamp)
{
    idp_status st = IDP_OK;
    json_error_t err;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err), *v;
    const char *key;

    if (root == NULL) {
        /* jansson ends its text with " near '<the text read>'": that may
         * be a value (personal data), so it is cut off. */
        char *near = strstr(err.text, " near '");
        if (near != NULL)
            *near = '\0';
        st = idp_fail(ctx, IDP_E_FIELD, "%s:%d:%d: not valid JSON: %s", path, err.line, err.column,
                      err.text);
        idp_wipe(&err, sizeof(err));
        return st;
    }
    if (!json_is_object(root)) {
        st = idp_fail(ctx, IDP_E_FIELD,
                      "%s: a JSON form must be an object of \"key\": \"value\" pairs", path);
        goto out;
    }
    json_object_foreach(root, key, v)
    {
        char *value = NULL, *trimmed;
        size_t vlen;
        st = json_value(ctx, path, key, v, &value);
        if (st != IDP_OK)
            goto out;
        vlen = strlen(value);
        trimmed = trim(value, &vlen);
        st = set_stamped(ctx, form, key, trimmed, path, replace, stamp);
        idp_free_wiped_str(value);
        if (st != IDP_OK)
            goto out;
    }
out:
    wipe_json(root);
    json_decref(root);
    return st;
}

idp_status idp_form_load_file(idp_ctx *ctx, idp_form *form, const char *path, int replace)
{
    idp_status st;
    uint8_t *buf = NULL;
    size_t len = 0;
    char *text = NULL;
    unsigned stamp = ++form->stamp;

    if (stamp == 0)
        stamp = ++form->stamp;
    st = idp_read_file(ctx, path, FORM_MAX_FILE, &buf, &len);
    if (st != IDP_OK)
        return st;
    text = malloc(len + 1);
    if (text == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", path);
        goto out;
    }
    memcpy(text, buf, len);
    text[len] = '\0';
    if (ends_with(path, ".json") || ends_with(path, ".JSON"))
        st = load_json(ctx, form, path, text, len, replace, stamp);
    else
        st = load_lines(ctx, form, path, text, len, replace, stamp);
out:
    idp_free_wiped(text, len + 1);
    idp_free_wiped(buf, len);
    return st;
}

const char *idp_form_get(const idp_form *form, const char *key)
{
    const form_entry *e = find(form, key);
    return e != NULL ? e->value : NULL;
}

const char *idp_form_origin(const idp_form *form, const char *key)
{
    const form_entry *e = find(form, key);
    return e != NULL ? e->origin : NULL;
}

size_t idp_form_count(const idp_form *form)
{
    return form->n;
}

const char *idp_form_key(const idp_form *form, size_t i)
{
    return i < form->n ? form->entries[i].key : NULL;
}
