/* idp_batch: one package per row of a CSV of customers, built in parallel
 * by worker threads, each row on its own context and form: a bad row never
 * stops or corrupts another. Also the pieces it is made of, usable alone:
 * reading the CSV (libcsv), safe folder names, path containment, and the
 * report (JSON and CSV). Never prints: progress goes to a callback. */
#ifndef IDP_BATCH_H
#define IDP_BATCH_H

#include "idp_ctx.h"
#include "idp_ledger.h"
#include "idp_policy.h"
#include "idp_reference.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- The CSV table ---------------------------------------------------- */

typedef struct idp_csv_row {
    size_t n_cells;
    char **cells; /* NUL-terminated UTF-8 */
} idp_csv_row;

typedef struct idp_csv_table {
    size_t n_cols;
    char **header;
    size_t n_rows; /* data rows, blank lines not counted */
    idp_csv_row *rows;
} idp_csv_table;

/* Parses CSV text (RFC 4180 as libcsv reads it in strict mode: quoted
 * fields may hold commas, quotes doubled and newlines; CRLF or LF line
 * ends; spaces around unquoted fields trimmed). A UTF-8 byte-order mark is
 * ignored; a header line with ';' and no ',' makes ';' the separator (as
 * spreadsheets in many European locales save CSV). The first row is the
 * header; blank lines are skipped. Errors (IDP_E_FORMAT, naming `name`):
 * malformed quoting, text that is not UTF-8 (naming the row), no header,
 * an empty or repeated header name. Rows may have any number of cells
 * (the caller decides about ragged rows). Caller frees *out with
 * idp_csv_table_free(). */
idp_status idp_csv_parse(idp_ctx *ctx, const char *name, const void *data, size_t len,
                         idp_csv_table **out) IDP_WUR IDP_NONNULL(1, 2, 5);

/* Reads the file (at most the ctx's max_file_bytes) and parses it.
 * Missing file: IDP_E_NOTFOUND. */
idp_status idp_csv_read(idp_ctx *ctx, const char *path, idp_csv_table **out) IDP_WUR
    IDP_NONNULL(1, 2, 3);

/* Wipes (the cells hold personal data) and frees; NULL is fine. */
void idp_csv_table_free(idp_csv_table *table);

/* ---- Names and paths -------------------------------------------------- */

#define IDP_BATCH_NAME_MAX 80 /* bytes of a safe folder name, without NUL */

/* Makes a folder name from a customer label: lower case, Latin accents
 * folded (é -> e, ß -> ss, Ł -> l, æ -> ae ...), every other run of
 * characters outside [a-z0-9._-] one '-', no leading or trailing '-' or
 * '.', at most IDP_BATCH_NAME_MAX bytes. False (out = "") when nothing
 * usable is left, or the name is reserved (report.json, report.csv).
 * size must be at least IDP_BATCH_NAME_MAX + 1. */
bool idp_batch_safe_name(const char *label, char *out, size_t size) IDP_NONNULL(1, 2);

/* Resolves an image path given in the CSV against base_dir (the CSV's
 * folder; absolute, as realpath() gives it). Unless allow_outside: an
 * absolute path is refused, and so is a path whose real location (after
 * "..", and symbolic links, resolved) is not inside base_dir: IDP_E_USAGE
 * with a message naming the path. A path that does not exist is
 * IDP_E_NOTFOUND. On success *out is the real path (caller frees). */
idp_status idp_batch_resolve_path(idp_ctx *ctx, const char *base_dir, const char *path,
                                  bool allow_outside, char **out) IDP_WUR IDP_NONNULL(1, 2, 3, 5);

/* ---- The batch -------------------------------------------------------- */

typedef struct idp_batch_progress {
    size_t total, done, ok, failed, skipped;
} idp_batch_progress;

/* Called once before the first row and after each row, from the calling
 * thread or a worker, never two at a time. */
typedef void (*idp_batch_progress_fn)(void *user, const idp_batch_progress *progress);

typedef struct idp_batch_opts {
    const char *csv_path;
    const char *out_dir;       /* created (mode 0700) if missing; its parent must exist */
    unsigned jobs;             /* worker threads, >= 1 */
    bool resume;               /* skip rows whose package verifies; rebuild the rest */
    bool allow_outside;        /* accept image paths outside the CSV's folder */
    const char *templates_dir; /* required */
    const char *template_id;   /* NULL: "2fa-reset" */
    const char *default_lang;  /* rows with an empty lang; and the report's messages */
    int64_t date;              /* the request date, the same for every row */
    const char *font_path;     /* NULL: DejaVu Sans via fontconfig (looked up per row) */
    const idp_policy *policy;  /* NULL: defaults */
    const char *tool_version;
    idp_ledger *ledger;             /* borrowed; NULL: not recorded. Used by one worker at a time */
    idp_batch_progress_fn progress; /* may be NULL */
    void *progress_user;
    const char *today; /* YYYY-MM-DD the seller's day (idp_build_opts.today); NULL:
                        * the UTC day of date */
} idp_batch_opts;

typedef enum idp_row_status {
    IDP_ROW_OK = 0,
    IDP_ROW_FAILED,
    IDP_ROW_SKIPPED /* --resume: the package was already there and verifies */
} idp_row_status;

typedef struct idp_batch_row {
    size_t row; /* data row of the CSV, counted from 1 (the header is not a row) */
    char *customer;
    char *package;                     /* folder name under out_dir; "" when no package */
    char reference[IDP_REFERENCE_LEN]; /* "" when no package */
    idp_row_status status;
    idp_status error; /* why it failed (IDP_OK otherwise) */
    size_t n_reasons;
    char **reasons; /* plain words: the field or photo, and the check */
    size_t n_warnings;
    char **warnings; /* checks that warned on a package that was built */
} idp_batch_row;

typedef struct idp_batch_report {
    size_t n_rows;
    idp_batch_row *rows; /* in CSV order */
    size_t ok, failed, skipped;
    size_t stale_removed; /* temporaries a killed run left in out_dir, removed */
} idp_batch_report;

/* Runs the batch. Returns IDP_OK when every row was attempted (see
 * report: rows may have failed), or a whole-batch error, with nothing
 * built: IDP_E_NOTFOUND (no CSV), IDP_E_FORMAT (unreadable CSV, a required
 * column missing, an unknown column), IDP_E_CREATE (out_dir cannot be
 * created or is in use by another batch), IDP_E_USAGE, IDP_E_NOMEM.
 * Required columns: customer, front and the template's required fields;
 * optional: back, lang and the template's other fields. Caller frees the
 * report with idp_batch_report_free() (also after a failure). */
idp_status idp_batch_run(idp_ctx *ctx, const idp_batch_opts *opts, idp_batch_report *report) IDP_WUR
    IDP_NONNULL(1, 2, 3);
void idp_batch_report_free(idp_batch_report *report);

const char *idp_row_status_name(idp_row_status status);

/* The report as JSON ({"rows":[...],"summary":{...}}, 2-space indent,
 * final newline) or CSV (header row,customer,status,package,reference,
 * reasons; reasons joined with "; "). Caller frees *text. */
idp_status idp_batch_report_json(idp_ctx *ctx, const idp_batch_report *report, char **text,
                                 size_t *len) IDP_WUR IDP_NONNULL(1, 2, 3, 4);
idp_status idp_batch_report_csv(idp_ctx *ctx, const idp_batch_report *report, char **text,
                                size_t *len) IDP_WUR IDP_NONNULL(1, 2, 3, 4);

/* Writes dir/report.json and dir/report.csv atomically, mode 0600,
 * replacing earlier ones. */
idp_status idp_batch_write_reports(idp_ctx *ctx, const char *dir,
                                   const idp_batch_report *report) IDP_WUR IDP_NONNULL(1, 2, 3);

#endif
