/* The CSV's rows in a batch: its header bound to the letter's fields, the
 * checks every row gets before it has a name, and each row of pass 2
 * prepared for its build (folder name, duplicates, language, photo
 * paths). */
#define _GNU_SOURCE

#include "idp_batch.h"

#include "idp_batch_int.h"
#include "idp_form.h"
#include "idp_io.h"
#include "idp_template.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define CUSTOMER_MAX 256 /* bytes of a customer label */

/* What is wrong with a customer label, into out ("" when nothing): too
 * long, not plain text (control characters, line breaks, direction marks,
 * bytes that are not UTF-8). */
static void label_problem(const char *lang, const char *label, char *out, size_t size)
{
    const size_t len = strlen(label);
    const char *nl = memchr(label, '\n', len);
    const char *problem;
    size_t at = 0;

    out[0] = '\0';
    if (len > CUSTOMER_MAX) {
        snprintf(out, size, batch_tr(lang, "customer: too long (%zu bytes, at most %d)"), len,
                 CUSTOMER_MAX);
        return;
    }
    problem = idp_text_problem(label, len, &at);
    if (problem == NULL && nl != NULL) {
        problem = batch_tr(lang, "contains a line break");
        at = (size_t)(nl - label);
    }
    if (problem != NULL)
        snprintf(out, size, batch_tr(lang, "customer: %s (at byte %zu)"), batch_tr(lang, problem),
                 at + 1);
}

/* Whether the row's lang names a letter there is: a code of 2 to 8
 * letters whose template file exists (never an absolute path in the
 * reason, nor the code itself). */
static bool lang_ok(const idp_batch_opts *o, const char *template_id, const char *s)
{
    char path[PATH_MAX];
    size_t n = strlen(s);
    if (n < 2 || n > 8)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 'a' || s[i] > 'z')
            return false;
    snprintf(path, sizeof(path), "%s/%s.%s.json", o->templates_dir, template_id, s);
    return access(path, R_OK) == 0;
}

/* Whether a header cell looks like a column name (lower-case letters,
 * digits, _; at most 32), and so may be quoted in a message. */
static bool key_like(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

/* Maps each header name to what it is; unknown and missing columns are
 * whole-batch errors. */
idp_status batch_bind_columns(idp_ctx *ctx, const char *csv, const char *const *header,
                              size_t n_cols, const idp_template *tmpl, int *kind, const char **keys,
                              bool mrz_read)
{
    bool have_customer = false, have_front = false;
    char known[1024];
    size_t used;
    size_t nf = idp_template_field_count(tmpl);

    used = (size_t)snprintf(known, sizeof(known), "customer, front, back, lang");
    for (size_t f = 0; f < nf && used < sizeof(known); f++)
        used += (size_t)snprintf(known + used, sizeof(known) - used, ", %s",
                                 idp_template_field(tmpl, f)->key);
    for (size_t c = 0; c < n_cols; c++) {
        const char *h = header[c];
        kind[c] = COL_UNUSED;
        if (strcasecmp(h, "customer") == 0) {
            kind[c] = COL_CUSTOMER;
            have_customer = true;
        } else if (strcasecmp(h, "front") == 0) {
            kind[c] = COL_FRONT;
            have_front = true;
        } else if (strcasecmp(h, "back") == 0) {
            kind[c] = COL_BACK;
        } else if (strcasecmp(h, "lang") == 0) {
            kind[c] = COL_LANG;
        } else {
            for (size_t f = 0; f < nf; f++)
                if (strcasecmp(h, idp_template_field(tmpl, f)->key) == 0) {
                    keys[c] = idp_template_field(tmpl, f)->key;
                    kind[c] = (int)c;
                }
        }
        /* A header cell is quoted back only if it looks like a column
         * name: in a CSV without its header row it is a customer's data. */
        if (kind[c] == COL_UNUSED && key_like(h))
            return idp_fail(
                ctx, IDP_E_FORMAT,
                batch_tr(idp_ctx_lang(ctx), "%s: unknown column \"%s\" (the columns are: %s)"), csv,
                h, known);
        if (kind[c] == COL_UNUSED)
            return idp_fail(ctx, IDP_E_FORMAT,
                            batch_tr(idp_ctx_lang(ctx),
                                     "%s: column %zu of the header is not a known column name (the "
                                     "columns are: %s; is the header row missing?)"),
                            csv, c + 1, known);
    }
    if (!have_customer || !have_front)
        return idp_fail(ctx, IDP_E_FORMAT,
                        batch_tr(idp_ctx_lang(ctx), "%s: no \"%s\" column (the columns are: %s)"),
                        csv, !have_customer ? "customer" : "front", known);
    for (size_t f = 0; f < nf; f++) {
        const idp_field *fd = idp_template_field(tmpl, f);
        bool found = false;
        if (!fd->required ||
            (mrz_read && (strcmp(fd->key, "id_type") == 0 || strcmp(fd->key, "id_expiry") == 0)))
            continue; /* the machine-readable zone gives them (idp_build_mrz.h) */
        for (size_t c = 0; c < n_cols && !found; c++)
            found = strcasecmp(header[c], fd->key) == 0;
        if (!found)
            return idp_fail(ctx, IDP_E_FORMAT,
                            batch_tr(idp_ctx_lang(ctx),
                                     "%s: no \"%s\" column (%s is required; the columns are: %s)"),
                            csv, fd->key, fd->label, known);
    }
    return IDP_OK;
}

/* The folder the CSV is in, as realpath() gives it. */
idp_status batch_csv_folder(idp_ctx *ctx, const char *csv, char **out)
{
    char *real = realpath(csv, NULL), *slash;

    *out = NULL;
    if (real == NULL)
        return idp_fail(ctx, IDP_E_NOTFOUND,
                        batch_tr(idp_ctx_lang(ctx), "%s: cannot be resolved: %s"), csv,
                        strerror(errno));
    slash = strrchr(real, '/');
    if (slash == real)
        slash[1] = '\0';
    else if (slash != NULL)
        *slash = '\0';
    *out = real;
    return IDP_OK;
}

static const char *col_name(const batch_run *b, size_t c)
{
    if (c >= b->n_cols)
        return batch_tr(b->opts->default_lang, "past the header");
    switch (b->col_kind[c]) {
    case COL_CUSTOMER:
        return "customer";
    case COL_FRONT:
        return "front";
    case COL_BACK:
        return "back";
    case COL_LANG:
        return "lang";
    default:
        return b->col_kind[c] >= 0 ? b->field_keys[b->col_kind[c]] : "?";
    }
}

/* The checks every row gets before it has a name, then its name: in
 * pass 1 (r NULL: only the name) and pass 2 (r: the reasons too). */
bool batch_row_name(const batch_run *b, const idp_csv_row *src, size_t row, idp_batch_row *r,
                    char safe[IDP_BATCH_NAME_MAX + 1])
{
    const char *customer = "";
    char label_bad[128], reason[IDP_BATCH_REASON_MAX];

    for (size_t c = 0; c < src->n_cells && c < b->n_cols; c++)
        if (b->col_kind[c] == COL_CUSTOMER)
            customer = src->cells[c];
    label_problem(b->opts->default_lang, customer, label_bad, sizeof(label_bad));
    if (r != NULL) {
        /* the label goes into the reports and the ledger as it is: plain
         * text of a sane length; a bad one is left out, never quoted */
        r->customer = strdup(label_bad[0] != '\0' ? "" : customer);
        r->package = strdup("");
    }
    if (src->too_many) {
        snprintf(
            reason, sizeof(reason),
            batch_tr(b->opts->default_lang,
                     "the row has more than %u cells (the header has %zu columns): a missing line "
                     "break?"),
            IDP_CSV_MAX_COLS, b->n_cols);
        if (r != NULL)
            batch_row_fail(r, IDP_E_FORMAT, reason);
        return false;
    }
    if (src->n_cells != b->n_cols) {
        snprintf(
            reason, sizeof(reason),
            batch_tr(b->opts->default_lang,
                     "the row has %zu cells but the header has %zu columns (a missing or extra "
                     "separator, or an unquoted comma?)"),
            src->n_cells, b->n_cols);
        if (r != NULL)
            batch_row_fail(r, IDP_E_FORMAT, reason);
        return false;
    }
    if (src->too_long > 0) {
        snprintf(
            reason, sizeof(reason),
            batch_tr(b->opts->default_lang,
                     "%s row %zu: the value of %s (column %zu) is longer than %u bytes, the most a "
                     "cell may hold"),
            b->csv_name, row, col_name(b, src->too_long - 1), src->too_long, IDP_CSV_MAX_CELL);
        if (r != NULL)
            batch_row_fail(r, IDP_E_LIMITS, reason);
        return false;
    }
    if (customer[0] == '\0') {
        if (r != NULL)
            batch_row_fail(
                r, IDP_E_FIELD,
                batch_tr(b->opts->default_lang, "customer: empty (it names the package folder)"));
        return false;
    }
    if (label_bad[0] != '\0') {
        if (r != NULL)
            batch_row_fail(r, IDP_E_FIELD, label_bad);
        return false;
    }
    if (!idp_batch_safe_name(customer, safe, IDP_BATCH_NAME_MAX + 1)) {
        if (strcasecmp(customer, "report.json") == 0 || strcasecmp(customer, "report.csv") == 0) {
            if (r != NULL)
                batch_row_fail(r, IDP_E_FIELD,
                               batch_tr(b->opts->default_lang,
                                        "customer: gives a reserved folder name (report.json and "
                                        "report.csv are the reports)"));
            return false;
        }
        /* a label in another script (王, Ελένη): the row's number */
        snprintf(safe, IDP_BATCH_NAME_MAX + 1, "row-%zu", row);
    }
    return true;
}

/* Pass 2, for one row: names, duplicates, language, photo paths. */
idp_status batch_prepare_row(idp_ctx *ctx, batch_run *b, slot *s, size_t row)
{
    const idp_batch_opts *o = b->opts;
    idp_batch_row *r = &s->row;
    const idp_csv_row *src = s->src;
    char safe[IDP_BATCH_NAME_MAX + 1], reason[IDP_BATCH_REASON_MAX];
    size_t owner, need;

    r->row = row;
    if (!batch_row_name(b, src, row, r, safe))
        return r->customer == NULL || r->package == NULL ? IDP_E_NOMEM : IDP_OK;
    if (r->customer == NULL || r->package == NULL)
        return IDP_E_NOMEM;
    owner = batch_name_owner(b, safe);
    if (owner != row) {
        if (owner == 0)
            snprintf(reason, sizeof(reason),
                     batch_tr(idp_ctx_lang(ctx),
                              "the CSV changed while the batch ran: run the batch again"));
        else
            snprintf(reason, sizeof(reason),
                     batch_tr(idp_ctx_lang(ctx),
                              "customer: gives the folder name \"%s\", already used by row %zu"),
                     safe, owner);
        batch_row_fail(r, IDP_E_FIELD, reason);
        return IDP_OK;
    }
    free(r->package);
    r->package = strdup(safe);
    if (r->package == NULL)
        return IDP_E_NOMEM;
    for (size_t c = 0; c < src->n_cells; c++) {
        if (b->col_kind[c] == COL_FRONT)
            s->front_cell = src->cells[c];
        else if (b->col_kind[c] == COL_BACK && src->cells[c][0] != '\0')
            s->back_cell = src->cells[c];
        else if (b->col_kind[c] == COL_LANG && src->cells[c][0] != '\0')
            s->lang = src->cells[c];
    }
    if (s->lang != NULL && !lang_ok(o, b->template_id, s->lang)) {
        batch_row_fail(
            r, IDP_E_FIELD,
            batch_tr(o->default_lang, "lang: not a language of the letter (en, it, de, fr, es)"));
        return IDP_OK;
    }
    if (s->front_cell == NULL || s->front_cell[0] == '\0') {
        batch_row_fail(
            r, IDP_E_FIELD,
            batch_tr(idp_ctx_lang(ctx), "front: empty (the photo of the front of the ID)"));
        return IDP_OK;
    }
    const char *cells[2] = {s->front_cell, s->back_cell};
    char **dest[2] = {&s->front, &s->back};
    for (size_t k = 0; k < 2; k++) {
        if (cells[k] == NULL)
            continue;
        idp_status st = idp_batch_resolve_path(ctx, b->csv_dir, cells[k], o->allow_outside,
                                               o->allow_outside_name, dest[k]);
        if (st == IDP_E_NOMEM)
            return st;
        if (st != IDP_OK) {
            snprintf(reason, sizeof(reason),
                     k == 0 ? batch_tr(o->default_lang, "front photo: %s")
                            : batch_tr(o->default_lang, "back photo: %s"),
                     idp_ctx_error(ctx));
            idp_ctx_clear(ctx);
            batch_row_fail(r, st, reason);
            return IDP_OK;
        }
    }
    need = strlen(b->abs_out) + strlen(r->package) + 2;
    s->out_path = malloc(need);
    if (s->out_path == NULL)
        return IDP_E_NOMEM;
    snprintf(s->out_path, need, "%s/%s", b->abs_out, r->package);
    s->ready = true;
    return IDP_OK;
}
