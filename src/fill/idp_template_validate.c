/* A form checked against a template's fields: unknown keys, missing
 * required fields, malformed values and an expired ID, every problem at
 * once (docs/templates.md). */
#include "idp_template_int.h"
#include "idp_tr.h"

#include "idp_date.h"
#include "idp_value.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- validation ------------------------------------------------------- */

/* "form.txt:3: " or "" when the form does not know where key came from. */
static void origin_prefix(const idp_form *form, const char *key, char *buf, size_t size)
{
    const char *o = idp_form_origin(form, key);
    snprintf(buf, size, "%s%s", o != NULL ? o : "", o != NULL ? ": " : "");
}

/* Appends one problem to the list (one per line); a list that no longer
 * fits ends with "..." rather than a cut line. */
static void add_problem(char *buf, size_t size, int *n, const char *fmt, ...) IDP_PRINTF(4, 5);
static void add_problem(char *buf, size_t size, int *n, const char *fmt, ...)
{
    size_t o = strlen(buf);
    char line[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    (*n)++;
    if (o + strlen(line) + 6 >= size) {
        if (o + 5 < size && (o < 4 || strcmp(buf + o - 4, "\n...") != 0))
            snprintf(buf + o, size - o, "\n...");
        return;
    }
    snprintf(buf + o, size - o, "%s%s", o > 0 ? "\n" : "", line);
}

/* Is field f a date whose key ends in _expiry? */
static int is_expiry(const idp_field *f)
{
    size_t kl = strlen(f->key);
    return f->kind == IDP_FIELD_DATE && kl >= 7 && strcmp(f->key + kl - 7, "_expiry") == 0;
}

idp_status idp_template_validate(idp_ctx *ctx, const idp_template *t, const idp_form *form,
                                 const char *today)
{
    char where[600], why[768], msg[3800];
    int y, m, d, n_field = 0, n_expired = 0;
    const char *lang = idp_ctx_lang(ctx);

    if (!idp_date_parse_iso(today, &y, &m, &d))
        return idp_fail(ctx, IDP_E_USAGE, "today's date '%s' is not YYYY-MM-DD", today);
    msg[0] = '\0';
    for (size_t i = 0; i < idp_form_count(form); i++) {
        const char *key = idp_form_key(form, i);
        char keys[512];
        size_t o = 0;
        if (idp_template_find_field(t, key) != NULL)
            continue;
        keys[0] = '\0';
        for (size_t k = 0; k < t->n_fields && o < sizeof(keys); k++) {
            int w = snprintf(keys + o, sizeof(keys) - o, "%s%s", k ? ", " : "", t->fields[k].key);
            if (w > 0)
                o += (size_t)w;
        }
        origin_prefix(form, key, where, sizeof(where));
        add_problem(msg, sizeof(msg), &n_field,
                    idp_tr(lang, "%sunknown field '%s' (the %s template has %s)"), where, key,
                    t->id, keys);
    }
    for (size_t i = 0; i < t->n_fields; i++) {
        const idp_field *f = &t->fields[i];
        const char *v = idp_form_get(form, f->key);
        char iso[IDP_DAY_LEN];
        if (v == NULL || idp_tpl_is_blank(v)) {
            if (f->required)
                add_problem(msg, sizeof(msg), &n_field,
                            idp_tr(lang, "%s (%s) is required but missing"), f->key, f->label);
            continue;
        }
        origin_prefix(form, f->key, where, sizeof(where));
        if (!idp_value_ok(f, t->max_chars[i], v, t->lang, lang, why, sizeof(why))) {
            add_problem(msg, sizeof(msg), &n_field, "%s%s (%s): %s", where, f->key, f->label, why);
            continue;
        }
        if (!is_expiry(f) || idp_value_date(v, t->lang, &y, &m, &d) != 1)
            continue;
        idp_date_format(y, m, d, iso);
        if (strcmp(iso, today) >= 0)
            continue;
        add_problem(msg, sizeof(msg), &n_expired,
                    idp_tr(lang,
                           "%s%s (%s): the ID has expired (the date is before today, %s); Amazon "
                           "does not accept an expired ID, please use a valid document"),
                    where, f->key, f->label, today);
    }
    if (n_field > 0)
        return idp_fail(ctx, IDP_E_FIELD, "%s", msg);
    if (n_expired > 0)
        return idp_fail(ctx, IDP_E_EXPIRED, "%s", msg);
    return IDP_OK;
}
