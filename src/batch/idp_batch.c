/* The batch driver: a CSV of customers in (read as a stream, twice),
 * one package per row out, each row built in a child process of its own
 * (at most `jobs` at a time) with a time and a memory limit, the results
 * written to the reports in CSV order as they come. Rows are prepared in
 * CSV order on the calling thread (names, paths: cheap and deterministic). */
#define _GNU_SOURCE /* flock(), pipe2() */

#include "idp_batch.h"

#include "idp_batch_int.h"
#include "idp_build_record.h"
#include "idp_hash.h"
#include "idp_io.h"
#include "idp_date.h"
#include "idp_form.h"
#include "idp_template.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CUSTOMER_MAX 256 /* bytes of a customer label */

/* ---- The run ---------------------------------------------------------- */

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
        snprintf(out, size, batch_tr(lang, "customer: %s (at byte %zu)"),
                 strcmp(lang, "it") == 0 ? idp_text_problem_it(problem) : problem, at + 1);
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
static idp_status bind_columns(idp_ctx *ctx, const char *csv, const char *const *header,
                               size_t n_cols, const idp_template *tmpl, int *kind,
                               const char **keys, bool mrz_read)
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
static idp_status csv_folder(idp_ctx *ctx, const char *csv, char **out)
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

/* mkdir -p, each missing folder mode 0700. */
static idp_status make_dirs(idp_ctx *ctx, const char *dir)
{
    char *p = strdup(dir);
    idp_status st = IDP_OK;
    size_t n;

    if (p == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, batch_tr(idp_ctx_lang(ctx), "out of memory"));
    n = strlen(p);
    for (size_t i = 1; i <= n && st == IDP_OK; i++) {
        if (p[i] != '/' && p[i] != '\0')
            continue;
        if (p[i - 1] == '/')
            continue;
        char save = p[i];
        p[i] = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST)
            st = idp_fail(ctx, IDP_E_CREATE, batch_tr(idp_ctx_lang(ctx), "%s: cannot create: %s"),
                          p, strerror(errno));
        p[i] = save;
    }
    free(p);
    return st;
}

/* Folder names: the first row (in CSV order) giving a name keeps it. */
static int by_name_then_row(const void *a, const void *b)
{
    const name_ref *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c != 0 ? c : (x->row > y->row) - (x->row < y->row);
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
static bool row_name(const batch_run *b, const idp_csv_row *src, size_t row, idp_batch_row *r,
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

/* Pass 1: the whole CSV read once, checked (quoting, UTF-8, caps), and
 * the folder name of every row learnt. Keeps one name per row. */
static idp_status learn_names(idp_ctx *ctx, batch_run *b, size_t *total)
{
    idp_csv_reader *rd = NULL;
    const idp_csv_row *src;
    idp_status st;
    size_t row = 0, cap = 0, mine_rows = 0;
    char safe[IDP_BATCH_NAME_MAX + 1];
    bool mine;

    *total = 0;
    st = idp_csv_open(ctx, b->opts->csv_path, &rd);
    while (st == IDP_OK && (st = idp_csv_next(ctx, rd, &src)) == IDP_OK && src != NULL) {
        row++;
        mine = batch_row_mine(b, src);
        mine_rows += mine;
        if (!row_name(b, src, row, NULL, safe))
            continue;
        if (b->n_names == cap) {
            size_t c = cap ? cap * 2 : 256;
            name_ref *n = realloc(b->names, c * sizeof(*n));
            if (n == NULL) {
                st = idp_fail(ctx, IDP_E_NOMEM, batch_tr(idp_ctx_lang(ctx), "out of memory"));
                break;
            }
            b->names = n;
            cap = c;
        }
        b->names[b->n_names].name = strdup(safe);
        b->names[b->n_names].row = row;
        b->names[b->n_names].mine = mine;
        if (b->names[b->n_names].name == NULL) {
            st = idp_fail(ctx, IDP_E_NOMEM, batch_tr(idp_ctx_lang(ctx), "out of memory"));
            break;
        }
        b->n_names++;
    }
    idp_csv_close(rd);
    if (st != IDP_OK)
        return st;
    if (b->n_names > 1) /* qsort wants an array, even of none */
        qsort(b->names, b->n_names, sizeof(*b->names), by_name_then_row);
    b->csv_rows = row;
    *total = mine_rows; /* row, without --shard */
    return IDP_OK;
}

/* The first row that gives this name (0: none, the CSV changed). */
static size_t name_owner(const batch_run *b, const char *name)
{
    size_t lo = 0, hi = b->n_names;

    while (lo < hi) { /* the first entry >= name */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(b->names[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < b->n_names && strcmp(b->names[lo].name, name) == 0 ? b->names[lo].row : 0;
}

/* Pass 2, for one row: names, duplicates, language, photo paths. */
static idp_status prepare_row(idp_ctx *ctx, batch_run *b, slot *s, size_t row)
{
    const idp_batch_opts *o = b->opts;
    idp_batch_row *r = &s->row;
    const idp_csv_row *src = s->src;
    char safe[IDP_BATCH_NAME_MAX + 1], reason[IDP_BATCH_REASON_MAX];
    size_t owner, need;

    r->row = row;
    if (!row_name(b, src, row, r, safe))
        return r->customer == NULL || r->package == NULL ? IDP_E_NOMEM : IDP_OK;
    if (r->customer == NULL || r->package == NULL)
        return IDP_E_NOMEM;
    owner = name_owner(b, safe);
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
        idp_status st =
            idp_batch_resolve_path(ctx, b->csv_dir, cells[k], o->allow_outside, dest[k]);
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

/* ---- The ledger ---- */

/* "YYYY-MM-DDTHH:MM:SSZ" (as the manifest writes it) to Unix time. */
static bool parse_created(const char *s, int64_t *out)
{
    struct tm tm;
    int n = 0;

    memset(&tm, 0, sizeof(tm));
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec, &n) != 6 ||
        n != 20 || s[n] != '\0')
        return false;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    *out = (int64_t)timegm(&tm);
    return true;
}

/* Records a package in the ledger (idp_build_record_package): built now,
 * or found in place on --resume (then only if the ledger does not know it
 * yet, which is the case when a run was killed between writing it and
 * recording it). */
static void record(batch_run *b, idp_ctx *ctx, slot *s)
{
    const idp_batch_opts *o = b->opts;
    idp_batch_row *r = &s->row;
    idp_ledger_package lp;
    idp_status st;
    char *folder;
    char reason[IDP_BATCH_REASON_MAX];
    size_t need = strlen(b->abs_out) + strlen(r->package) + 2;

    folder = malloc(need);
    if (folder == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, batch_tr(idp_ctx_lang(ctx), "out of memory"));
        goto failed;
    }
    snprintf(folder, need, "%s/%s", b->abs_out, r->package);
    memset(&lp, 0, sizeof(lp));
    lp.created = o->date;
    if (r->status == IDP_ROW_SKIPPED && !parse_created(s->extra.created, &lp.created))
        lp.created = o->date;
    lp.reference = r->reference;
    lp.customer = r->customer;
    lp.account_email = s->extra.account_email;
    lp.lang = s->lang != NULL ? s->lang : o->default_lang;
    lp.folder = folder;
    lp.pdf_sha256 = s->extra.pdf_sha256;
    st = idp_build_record_package(ctx, o->ledger, o->agent, &lp, r->status == IDP_ROW_SKIPPED);
    free(folder);
    if (st == IDP_OK)
        return;
failed:
    snprintf(
        reason, sizeof(reason),
        batch_tr(idp_ctx_lang(ctx), "the package is in place but not recorded in the ledger: %s"),
        idp_ctx_error(ctx));
    {
        /* the ledger named by its file name, not its absolute path */
        char *dir = strdup(idp_ledger_path(o->ledger)), *slash;
        if (dir != NULL && !idp_ledger_is_uri(dir) && (slash = strrchr(dir, '/')) != NULL &&
            slash != dir) {
            *slash = '\0';
            batch_cut_prefix(reason, dir);
        }
        free(dir);
    }
    idp_ctx_clear(ctx);
    batch_row_fail(r, st, reason);
}

static void slot_clear(slot *s)
{
    idp_csv_row_free(s->src);
    idp_batch_row_clear(&s->row);
    if (s->extra.account_email != NULL)
        idp_free_wiped(s->extra.account_email, strlen(s->extra.account_email));
    free(s->front);
    free(s->back);
    free(s->out_path);
    free(s->buf);
    memset(s, 0, sizeof(*s));
    s->fd = -1;
}

/* Writes the finished rows at the head of the window, in CSV order. */
static idp_status emit(idp_ctx *ctx, batch_run *b)
{
    const idp_batch_opts *o = b->opts;

    while (b->head < b->tail) {
        slot *s = &b->slots[b->head % b->n_slots];
        idp_status st;
        if (!s->done)
            break;
        if (o->ledger != NULL && (s->row.status == IDP_ROW_OK || s->row.status == IDP_ROW_SKIPPED))
            record(b, ctx, s);
        st = idp_report_add(ctx, b->writer, &s->row);
        if (st != IDP_OK)
            return st;
        b->progress.done++;
        if (s->row.status == IDP_ROW_OK)
            b->progress.ok++, b->report->ok++;
        else if (s->row.status == IDP_ROW_SKIPPED)
            b->progress.skipped++, b->report->skipped++;
        else
            b->progress.failed++, b->report->failed++;
        if (s->row.status != IDP_ROW_FAILED && s->row.n_warnings > 0)
            b->report->warned++;
        b->report->n_rows++;
        if (o->on_row != NULL)
            o->on_row(o->row_user, &s->row);
        if (o->progress != NULL)
            o->progress(o->progress_user, &b->progress);
        slot_clear(s);
        b->head++;
    }
    return IDP_OK;
}

/* Pass 2: read, prepare, build, report. */
static idp_status run_rows(idp_ctx *ctx, batch_run *b)
{
    idp_csv_reader *rd = NULL;
    idp_status st;
    bool eof = false;
    size_t row = 0, taken = 0;

    st = idp_csv_open(ctx, b->opts->csv_path, &rd);
    while (st == IDP_OK) {
        /* fill the window */
        while (!eof && b->tail - b->head < b->n_slots) {
            const idp_csv_row *src;
            slot *s;
            st = idp_csv_next(ctx, rd, &src);
            if (st != IDP_OK)
                break;
            if (src == NULL || row >= b->csv_rows) {
                eof = true; /* (rows added since pass 1 are not built) */
                break;
            }
            if (!batch_row_mine(b, src)) {
                row++; /* another shard's */
                continue;
            }
            taken++;
            s = &b->slots[b->tail % b->n_slots];
            s->used = true;
            s->fd = -1;
            s->src = idp_csv_take(rd);
            if (s->src == NULL) {
                st = idp_fail(ctx, IDP_E_NOMEM, batch_tr(idp_ctx_lang(ctx), "out of memory"));
                break;
            }
            b->tail++;
            st = prepare_row(ctx, b, s, ++row);
            if (st != IDP_OK) {
                st = idp_fail(ctx, IDP_E_NOMEM, batch_tr(idp_ctx_lang(ctx), "out of memory"));
                break;
            }
            if (!s->ready)
                s->done = true;
        }
        if (st != IDP_OK)
            break;
        /* start rows, in order */
        for (size_t i = b->head; i < b->tail && b->running < b->opts->jobs && st == IDP_OK; i++) {
            slot *s = &b->slots[i % b->n_slots];
            if (s->ready && !s->running && !s->done)
                st = batch_spawn(ctx, b, s);
        }
        if (st != IDP_OK)
            break;
        st = emit(ctx, b);
        if (st != IDP_OK)
            break;
        if (eof && b->head == b->tail)
            break;
        batch_wait(b);
    }
    if (st == IDP_OK && row < b->csv_rows) {
        /* the CSV lost rows since pass 1: the missing ones are not reported */
        b->progress.total = taken;
    }
    /* a whole-batch error with rows running: stop them */
    for (size_t i = b->head; i < b->tail; i++) {
        slot *s = &b->slots[i % b->n_slots];
        if (s->running)
            batch_kill(b, s);
    }
    idp_csv_close(rd);
    return st;
}

idp_status idp_batch_run(idp_ctx *ctx, const idp_batch_opts *opts, idp_batch_report *report)
{
    idp_status st = IDP_OK;
    idp_csv_reader *rd = NULL;
    idp_template *tmpl = NULL;
    batch_run b;
    int dfd = -1;
    size_t total = 0;
    char saved_lang[4];

    memset(report, 0, sizeof(*report));
    memset(&b, 0, sizeof(b));
    b.shard_fd = -1;
    if (opts->shard_count > IDP_BATCH_SHARDS_MAX || opts->shard_index > opts->shard_count ||
        (opts->shard_count > 0 && opts->shard_index == 0))
        return idp_fail(ctx, IDP_E_USAGE, "batch: shard %u of %u: not a shard", opts->shard_index,
                        opts->shard_count);
    if (opts->csv_path == NULL || opts->out_dir == NULL || opts->templates_dir == NULL ||
        opts->default_lang == NULL || opts->jobs == 0)
        return idp_fail(ctx, IDP_E_USAGE,
                        "batch: csv_path, out_dir, templates_dir, "
                        "default_lang and jobs >= 1 are required");
    /* every message of the run (the reasons, a whole-batch error) in the
     * report's language; the caller's language back at the end */
    snprintf(saved_lang, sizeof(saved_lang), "%s", idp_ctx_lang(ctx));
    idp_ctx_set_lang(ctx, opts->default_lang);
    b.opts = opts;
    b.report = report;
    b.template_id = opts->template_id != NULL ? opts->template_id : "2fa-reset";
    b.csv_name = idp_basename(opts->csv_path);

    /* The header, the columns. */
    st = idp_csv_open(ctx, opts->csv_path, &rd);
    if (st != IDP_OK)
        goto out;
    {
        const char *const *header = idp_csv_header(rd, &b.n_cols);
        st = idp_template_load(ctx, opts->templates_dir, b.template_id, opts->default_lang, &tmpl);
        if (st != IDP_OK)
            goto out;
        b.col_kind = calloc(b.n_cols, sizeof(*b.col_kind));
        b.field_keys = calloc(b.n_cols, sizeof(*b.field_keys));
        if (b.col_kind == NULL || b.field_keys == NULL) {
            st = idp_fail(ctx, IDP_E_NOMEM, batch_tr(idp_ctx_lang(ctx), "out of memory"));
            goto out;
        }
        st = bind_columns(ctx, opts->csv_path, header, b.n_cols, tmpl, b.col_kind, b.field_keys,
                          opts->policy != NULL && opts->policy->mrz_read);
        if (st != IDP_OK)
            goto out;
    }
    idp_csv_close(rd);
    rd = NULL;
    st = csv_folder(ctx, opts->csv_path, &b.csv_dir);
    if (st != IDP_OK)
        goto out;
    /* Pass 1: the whole file checked before any work, the names learnt. */
    st = learn_names(ctx, &b, &total);
    if (st != IDP_OK)
        goto out;

    /* The output folder: created if missing, locked for this batch. */
    st = make_dirs(ctx, opts->out_dir);
    if (st != IDP_OK)
        goto out;
    dfd = open(opts->out_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        st = idp_fail(
            ctx, IDP_E_CREATE, batch_tr(idp_ctx_lang(ctx), "%s: cannot open: %s"), opts->out_dir,
            errno == ENOTDIR ? batch_tr(idp_ctx_lang(ctx), "not a folder") : strerror(errno));
        goto out;
    }
    if (access(opts->out_dir, W_OK | X_OK) != 0) {
        st =
            idp_fail(ctx, IDP_E_CREATE, batch_tr(idp_ctx_lang(ctx), "%s: cannot write into it: %s"),
                     opts->out_dir, strerror(errno));
        goto out;
    }
    /* Shards share the folder (each locks its own part below), a batch
     * without --shard has it alone. */
    if (flock(dfd, (opts->shard_count > 0 ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0) {
        st = idp_fail(ctx, IDP_E_CREATE, "%s: %s", opts->out_dir,
                      errno == EWOULDBLOCK
                          ? batch_tr(idp_ctx_lang(ctx), "another idpack batch is writing into it")
                          : strerror(errno));
        goto out;
    }
    b.abs_out = realpath(opts->out_dir, NULL);
    if (b.abs_out == NULL) {
        st = idp_fail(ctx, IDP_E_CREATE, batch_tr(idp_ctx_lang(ctx), "%s: cannot resolve: %s"),
                      opts->out_dir, strerror(errno));
        goto out;
    }
    /* What a killed run left (its guardian, if any, removes it at once;
     * a power cut leaves it for now). */
    if (opts->shard_count > 0) {
        st = batch_shard_begin(ctx, &b);
        if (st != IDP_OK)
            goto out;
        batch_shard_names(&b);
        report->stale_removed = batch_shard_clean(&b);
        st = idp_report_open_as(ctx, b.abs_out, b.shard_stem, b.shard_head, &b.writer);
    } else {
        report->stale_removed = idp_remove_temporaries(b.abs_out, NULL, 0);
        st = idp_report_open(ctx, b.abs_out, &b.writer);
    }
    if (st != IDP_OK)
        goto out;
    b.n_slots = (size_t)opts->jobs * 4 + 16;
    b.slots = calloc(b.n_slots, sizeof(*b.slots));
    if (b.slots == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, batch_tr(idp_ctx_lang(ctx), "out of memory"));
        goto out;
    }
    b.progress.total = total;
    if (opts->progress != NULL)
        opts->progress(opts->progress_user, &b.progress);
    st = run_rows(ctx, &b);
    if (st != IDP_OK)
        goto out;
    /* the day every row's expiry was judged against, as build --json says it */
    if (opts->today != NULL)
        snprintf(report->today, sizeof(report->today), "%s", opts->today);
    else
        idp_utc_day(opts->date, report->today);
    snprintf(report->today_zone, sizeof(report->today_zone), "%s",
             opts->today_zone != NULL ? opts->today_zone
             : opts->today == NULL    ? "UTC (fixed date)"
                                      : "local");
    st = idp_report_commit(ctx, b.writer, report);
    b.writer = NULL;
out:
    idp_report_abort(b.writer);
    batch_shard_end(&b, st == IDP_OK);
    for (size_t i = 0; b.slots != NULL && i < b.n_slots; i++)
        slot_clear(&b.slots[i]);
    free(b.slots);
    for (size_t i = 0; i < b.n_names; i++)
        free(b.names[i].name);
    free(b.names);
    if (dfd >= 0)
        close(dfd); /* releases the lock */
    idp_csv_close(rd);
    free(b.abs_out);
    free(b.col_kind);
    free(b.field_keys);
    free(b.csv_dir);
    idp_template_destroy(tmpl);
    idp_ctx_set_lang(ctx, saved_lang);
    return st;
}

static void free_list(char **l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(l[i]);
    free(l);
}

void idp_batch_row_clear(idp_batch_row *r)
{
    if (r == NULL)
        return;
    free(r->customer);
    free(r->package);
    free_list(r->reasons, r->n_reasons);
    free_list(r->warnings, r->n_warnings);
    memset(r, 0, sizeof(*r));
}

void idp_batch_report_free(idp_batch_report *report)
{
    if (report != NULL)
        memset(report, 0, sizeof(*report));
}

const char *idp_row_status_name(idp_row_status status)
{
    switch (status) {
    case IDP_ROW_OK:
        return "ok";
    case IDP_ROW_FAILED:
        return "failed";
    case IDP_ROW_SKIPPED:
        return "skipped";
    }
    return "failed";
}
