/* manifest.json through jansson: keys in a fixed order, 2-space indent, a
 * trailing newline, so the same package always gives the same bytes. It
 * holds what tracking needs and nothing personal: no names, no emails, no
 * ID numbers, no source paths (they often contain names), no image data. */
#include "idp_manifest.h"

#include <jansson.h>

#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define MANIFEST_FORMAT "idpack-manifest/1"
#define MANIFEST_MAX_ENTRIES 1000u
/* Measurements are rounded to what they mean (idp_check_decimals), then
 * printed with up to 15 significant digits: 2711.4, never 2711.40000001
 * nor 2711.39 (as check --json writes them). */
#define MANIFEST_REAL_DIGITS 15

/* Package file names: [a-z0-9._-]+, not "." or "..". */
static bool name_ok(const char *s)
{
    size_t i;

    if (s == NULL || s[0] == '\0' || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
        return false;
    for (i = 0; s[i] != '\0'; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return false;
        if (i >= 255)
            return false;
    }
    return true;
}

/* Adds key -> value to obj, taking value; NULL value means out of memory
 * (or a string that is not UTF-8). */
static bool put(json_t *obj, const char *key, json_t *value)
{
    return value != NULL && json_object_set_new(obj, key, value) == 0;
}

/* A check's finite number rounded to what it means, or null: JSON has no
 * NaN or infinity. */
static json_t *real_or_null(idp_check_id id, double v)
{
    return isfinite(v) ? json_real(idp_round_decimals(v, idp_check_decimals(id, v))) : json_null();
}

static idp_status add_files(idp_ctx *ctx, json_t *root, const idp_manifest *m)
{
    json_t *arr = json_array();
    size_t i;

    if (!put(root, "files", arr))
        return idp_fail(ctx, IDP_E_NOMEM, "manifest.json: out of memory");
    for (i = 0; i < m->n_files; i++) {
        const idp_manifest_file *f = &m->files[i];
        char hex[IDP_SHA256_HEX];
        json_t *o;

        if (!name_ok(f->name))
            return idp_fail(ctx, IDP_E_USAGE, "manifest.json: invalid file name \"%s\"",
                            f->name != NULL ? f->name : "(null)");
        if (f->size > (uint64_t)LLONG_MAX)
            return idp_fail(ctx, IDP_E_USAGE, "manifest.json: %s: size out of range", f->name);
        idp_hex(f->sha256, IDP_SHA256_LEN, hex);
        o = json_object();
        if (json_array_append_new(arr, o) != 0 || !put(o, "name", json_string(f->name)) ||
            !put(o, "size", json_integer((json_int_t)f->size)) ||
            !put(o, "sha256", json_string(hex)))
            return idp_fail(ctx, IDP_E_NOMEM, "manifest.json: out of memory");
    }
    return IDP_OK;
}

static idp_status add_photo(idp_ctx *ctx, json_t *arr, const idp_manifest_photo *p)
{
    const idp_check_report *r = p->report;
    json_t *o = json_object(), *checks;
    size_t i;

    if (json_array_append_new(arr, o) != 0)
        return idp_fail(ctx, IDP_E_NOMEM, "manifest.json: out of memory");
    if (p->role == NULL || r == NULL || !name_ok(p->output) ||
        r->n_checks > (size_t)IDP_CHECK_COUNT)
        return idp_fail(ctx, IDP_E_USAGE, "manifest.json: a photo entry is incomplete");
    checks = json_array();
    if (!put(o, "role", json_string(p->role)) || !put(o, "file", json_string(p->output)) ||
        !put(o, "verdict", json_string(idp_verdict_name(r->verdict))) ||
        !put(o, "width", json_integer(r->info.width)) ||
        !put(o, "height", json_integer(r->info.height)) || !put(o, "checks", checks))
        return idp_fail(ctx, IDP_E_NOMEM, "manifest.json: out of memory");
    for (i = 0; i < r->n_checks; i++) {
        const idp_check_result *c = &r->checks[i];
        json_t *co = json_object();
        if (json_array_append_new(checks, co) != 0 ||
            !put(co, "id", json_string(idp_check_name(c->id))) ||
            !put(co, "status", json_string(idp_check_status_name(c->status))) ||
            !put(co, "value", real_or_null(c->id, c->value)) ||
            !put(co, "limit", real_or_null(c->id, c->limit)))
            return idp_fail(ctx, IDP_E_NOMEM, "manifest.json: out of memory");
    }
    return IDP_OK;
}

idp_status idp_manifest_serialize(idp_ctx *ctx, const idp_manifest *m, char **json, size_t *len)
{
    idp_status st = IDP_OK;
    json_t *root = NULL, *photos;
    char *text = NULL, *buf;
    size_t n, i;

    *json = NULL;
    *len = 0;
    if (m->tool_version == NULL || m->template_id == NULL || m->lang == NULL ||
        m->reference == NULL || m->created == NULL || m->paper == NULL)
        return idp_fail(ctx, IDP_E_USAGE, "manifest.json: a required field is missing");
    if ((m->n_files > 0 && m->files == NULL) || (m->n_photos > 0 && m->photos == NULL) ||
        m->n_files > MANIFEST_MAX_ENTRIES || m->n_photos > MANIFEST_MAX_ENTRIES)
        return idp_fail(ctx, IDP_E_USAGE, "manifest.json: invalid file or photo list");
    root = json_object();
    if (root == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "manifest.json: out of memory");
    if (!put(root, "format", json_string(MANIFEST_FORMAT)) ||
        !put(root, "tool", json_string("idpack")) ||
        !put(root, "tool_version", json_string(m->tool_version)) ||
        !put(root, "template", json_string(m->template_id)) ||
        !put(root, "lang", json_string(m->lang)) ||
        !put(root, "reference", json_string(m->reference)) ||
        !put(root, "created", json_string(m->created)) ||
        !put(root, "paper", json_string(m->paper)) ||
        (m->marketplace != NULL && !put(root, "marketplace", json_string(m->marketplace)))) {
        st = idp_fail(ctx, IDP_E_USAGE, "manifest.json: a field is not valid UTF-8");
        goto out;
    }
    st = add_files(ctx, root, m);
    if (st != IDP_OK)
        goto out;
    photos = json_array();
    if (!put(root, "photos", photos)) {
        st = idp_fail(ctx, IDP_E_NOMEM, "manifest.json: out of memory");
        goto out;
    }
    for (i = 0; i < m->n_photos; i++) {
        st = add_photo(ctx, photos, &m->photos[i]);
        if (st != IDP_OK)
            goto out;
    }
    text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                JSON_REAL_PRECISION(MANIFEST_REAL_DIGITS));
    if (text == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, "manifest.json: out of memory");
        goto out;
    }
    n = strlen(text);
    buf = malloc(n + 2);
    if (buf == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, "manifest.json: out of memory");
        goto out;
    }
    memcpy(buf, text, n);
    buf[n] = '\n';
    buf[n + 1] = '\0';
    *json = buf;
    *len = n + 1;
out:
    free(text);
    json_decref(root);
    return st;
}
