/* idp_batch: one package per row of a CSV of customers, built in parallel,
 * each row in a child process with its own context and form: a bad row
 * never stops or corrupts another. Never prints: progress and each row's
 * result go to callbacks. The pieces it is made of (reading the CSV with
 * libcsv, safe folder names, path containment, the reports as JSON and
 * CSV) are the library's own (IDP_INTERNAL). */
#ifndef IDP_BATCH_H
#define IDP_BATCH_H

#include "idp_ctx.h"
#include "idp_ledger.h"
#include "idp_policy.h"
#include "idp_reference.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Opaque to programs outside the library (they grow with every option):
 * the batch's options, its summary, a row's result, the progress, and the
 * result of merging shards' reports; made, set and read through the
 * functions below. */
typedef struct idp_batch_opts idp_batch_opts;
typedef struct idp_batch_report idp_batch_report;
typedef struct idp_batch_row idp_batch_row;
typedef struct idp_batch_progress idp_batch_progress;
typedef struct idp_batch_merge_result idp_batch_merge_result;

#define IDP_BATCH_NAME_MAX 80      /* bytes of a safe folder name, without NUL */
#define IDP_BATCH_SHARDS_MAX 1000u /* the most shards a CSV may be split into */

/* The caps on a batch's CSV, checked while it is read (before anything
 * grows past them). They keep the batch's memory bounded whatever the
 * file holds. More rows (or a header over the cell caps) is IDP_E_LIMITS;
 * a data row over the cell caps fails alone. */
#define IDP_CSV_MAX_ROWS 100000u /* data rows */
#define IDP_CSV_MAX_COLS 64u     /* cells of a row (the header included) */
#define IDP_CSV_MAX_CELL 16384u  /* bytes of one cell */

#ifdef IDP_INTERNAL
/* ---- The CSV table ---------------------------------------------------- */

typedef struct idp_csv_row {
    size_t n_cells;
    char **cells;    /* NUL-terminated UTF-8 */
    size_t too_long; /* 0, or the first cell (from 1) over IDP_CSV_MAX_CELL: kept empty */
    bool too_many;   /* more than IDP_CSV_MAX_COLS cells: those past it dropped */
} idp_csv_row;

typedef struct idp_csv_table {
    size_t n_cols;
    char **header;
    size_t n_rows; /* data rows, blank lines not counted */
    idp_csv_row *rows;
} idp_csv_table;

/* Over the caps above, a data row is handed out marked (too_long,
 * too_many) for the caller to refuse, without the excess in memory. */

/* A CSV read as a stream: a few KiB of the file at a time, one row handed
 * out at a time. RFC 4180 as libcsv reads it in strict mode: quoted
 * fields may hold commas, quotes doubled and newlines; CRLF or LF line
 * ends; spaces around unquoted fields trimmed. A UTF-8 byte-order mark is
 * ignored; a header line with ';' and no ',' makes ';' the separator (as
 * spreadsheets in many European locales save CSV). The first row is the
 * header; blank lines are skipped. Errors (naming the file): IDP_E_FORMAT
 * for malformed quoting, text that is not UTF-8 (naming the row), no
 * header, an empty or repeated header name, a path that is not a regular
 * file (a FIFO or socket: said without opening it); IDP_E_LIMITS past the
 * caps above; IDP_E_NOTFOUND for a missing file. Rows may have any number
 * of cells up to the cap (the caller decides about ragged rows). */
typedef struct idp_csv_reader idp_csv_reader;

/* Opens the file and reads its header. Caller closes *out. */
idp_status idp_csv_open(idp_ctx *ctx, const char *path, idp_csv_reader **out) IDP_WUR
    IDP_NONNULL(1, 2, 3);
/* The same over text in memory (borrowed until closed); name is for messages. */
idp_status idp_csv_open_mem(idp_ctx *ctx, const char *name, const void *data, size_t len,
                            idp_csv_reader **out) IDP_WUR IDP_NONNULL(1, 2, 5);
/* The header's cells (borrowed from the reader). */
const char *const *idp_csv_header(const idp_csv_reader *r, size_t *n_cols) IDP_NONNULL(1, 2);
/* The next data row in *row (borrowed: valid until the next call), or
 * NULL at the end of the file. */
idp_status idp_csv_next(idp_ctx *ctx, idp_csv_reader *r, const idp_csv_row **row) IDP_WUR
    IDP_NONNULL(1, 2, 3);
/* Takes ownership of the row last handed out (free with idp_csv_row_free),
 * NULL when out of memory. */
idp_csv_row *idp_csv_take(idp_csv_reader *r) IDP_NONNULL(1);
void idp_csv_row_free(idp_csv_row *row);
/* Wipes the cells it holds and frees; NULL is fine. */
void idp_csv_close(idp_csv_reader *r);

/* The whole table at once, for small inputs: the same rules and caps.
 * Caller frees *out with idp_csv_table_free(). */
idp_status idp_csv_parse(idp_ctx *ctx, const char *name, const void *data, size_t len,
                         idp_csv_table **out) IDP_WUR IDP_NONNULL(1, 2, 5);
idp_status idp_csv_read(idp_ctx *ctx, const char *path, idp_csv_table **out) IDP_WUR
    IDP_NONNULL(1, 2, 3);

/* Wipes (the cells hold personal data) and frees; NULL is fine. */
void idp_csv_table_free(idp_csv_table *table);

/* ---- Names and paths -------------------------------------------------- */

/* Makes a folder name from a customer label: lower case, Latin accents
 * folded (é -> e, ß -> ss, Ł -> l, æ -> ae ...), every other run of
 * characters outside [a-z0-9._-] one '-', no leading or trailing '-' or
 * '.', at most IDP_BATCH_NAME_MAX bytes. False (out = "") when nothing
 * usable is left, or the name is reserved (report.json, report.csv, and
 * report-shard-*.json / .csv, the reports of shards).
 * size must be at least IDP_BATCH_NAME_MAX + 1. */
bool idp_batch_safe_name(const char *label, char *out, size_t size) IDP_NONNULL(1, 2);

/* Resolves an image path given in the CSV against base_dir (the CSV's
 * folder; absolute, as realpath() gives it). Unless allow_outside: an
 * absolute path is refused, and so is a path whose real location (after
 * "..", and symbolic links, resolved) is not inside base_dir: IDP_E_USAGE
 * with a message naming the path. A path that does not exist is
 * IDP_E_NOTFOUND. On success *out is the real path (caller frees). */
idp_status idp_batch_resolve_path(idp_ctx *ctx, const char *base_dir, const char *path,
                                  bool allow_outside, const char *allow_name, char **out) IDP_WUR
    IDP_NONNULL(1, 2, 3, 6);

/* ---- The batch -------------------------------------------------------- */

struct idp_batch_progress {
    size_t total, done, ok, failed, skipped;
};
#endif /* IDP_INTERNAL */

/* The rows of the batch (past the ones refused before any build), and of
 * them done so far: ok, failed, skipped (--resume). */
IDP_API size_t idp_batch_progress_total(const idp_batch_progress *p) IDP_NONNULL(1);
IDP_API size_t idp_batch_progress_done(const idp_batch_progress *p) IDP_NONNULL(1);
IDP_API size_t idp_batch_progress_ok(const idp_batch_progress *p) IDP_NONNULL(1);
IDP_API size_t idp_batch_progress_failed(const idp_batch_progress *p) IDP_NONNULL(1);
IDP_API size_t idp_batch_progress_skipped(const idp_batch_progress *p) IDP_NONNULL(1);

/* Called once before the first row and after each row, from the calling
 * thread (progress borrowed for the call). */
typedef void (*idp_batch_progress_fn)(void *user, const idp_batch_progress *progress);

typedef enum idp_row_status {
    IDP_ROW_OK = 0,
    IDP_ROW_FAILED,
    IDP_ROW_SKIPPED /* --resume: the package was already there and verifies */
} idp_row_status;

/* "ok", "failed", "skipped" (static). */
IDP_API const char *idp_row_status_name(idp_row_status status);

/* A row's result: its data row in the CSV (from 1; the header is not a
 * row), customer label, package folder under the output folder and
 * reference ("" when no package), status, the error it failed with
 * (IDP_OK otherwise), the reasons it failed (plain words: the field or
 * photo, and the check; paths relative to the CSV's folder or the output
 * folder) and the warnings of a package built. Strings are borrowed from
 * the row. */
IDP_API size_t idp_batch_row_number(const idp_batch_row *row) IDP_NONNULL(1);
IDP_API const char *idp_batch_row_customer(const idp_batch_row *row) IDP_NONNULL(1);
IDP_API const char *idp_batch_row_package(const idp_batch_row *row) IDP_NONNULL(1);
IDP_API const char *idp_batch_row_reference(const idp_batch_row *row) IDP_NONNULL(1);
IDP_API idp_row_status idp_batch_row_status(const idp_batch_row *row) IDP_NONNULL(1);
IDP_API idp_status idp_batch_row_error(const idp_batch_row *row) IDP_NONNULL(1);
IDP_API size_t idp_batch_row_reasons(const idp_batch_row *row) IDP_NONNULL(1);
IDP_API const char *idp_batch_row_reason(const idp_batch_row *row, size_t i) IDP_NONNULL(1);
IDP_API size_t idp_batch_row_warnings(const idp_batch_row *row) IDP_NONNULL(1);
IDP_API const char *idp_batch_row_warning(const idp_batch_row *row, size_t i) IDP_NONNULL(1);

/* Each row's result, in CSV order, once it is final (borrowed for the call). */
typedef void (*idp_batch_row_fn)(void *user, const idp_batch_row *row);

#ifdef IDP_INTERNAL
struct idp_batch_row {
    size_t row; /* data row of the CSV, counted from 1 (the header is not a row) */
    char *customer;
    char *package;                     /* folder name under out_dir; "" when no package */
    char reference[IDP_REFERENCE_LEN]; /* "" when no package */
    idp_row_status status;
    idp_status error; /* why it failed (IDP_OK otherwise) */
    size_t n_reasons;
    char **reasons; /* plain words: the field or photo, and the check; paths
                     * relative to the CSV's folder or the output folder */
    size_t n_warnings;
    char **warnings; /* checks that warned on a package that was built */
};

struct idp_batch_opts {
    const char *csv_path;
    const char *out_dir;       /* created with its missing parents (mode 0700) */
    unsigned jobs;             /* rows built at once, >= 1 */
    bool resume;               /* skip rows whose package verifies; rebuild the rest */
    bool allow_outside;        /* accept image paths outside the CSV's folder */
    const char *templates_dir; /* required */
    const char *template_id;   /* NULL: "2fa-reset" */
    const char *default_lang;  /* rows with an empty lang; and the report's messages */
    int64_t date;              /* the request date, the same for every row */
    const char *font_path;     /* NULL: DejaVu Sans via fontconfig (looked up per row) */
    const idp_policy *policy;  /* NULL: defaults */
    const char *tool_version;
    idp_ledger *ledger;             /* borrowed; NULL: not recorded */
    idp_batch_progress_fn progress; /* may be NULL */
    void *progress_user;
    idp_batch_row_fn on_row; /* may be NULL */
    void *row_user;
    /* Each row is built in a child process of its own, so that a photo
     * that takes too long or too much memory costs its row only: */
    double row_seconds;     /* wall-clock limit per row (0: none); then killed */
    uint64_t row_bytes;     /* memory (address space) a row may add (0: none) */
    const char *today;      /* YYYY-MM-DD the seller's day (idp_build_opts.today); NULL:
                             * the UTC day of date */
    const char *today_zone; /* the zone today was read in ("CET +0100"), for
                             * report.json; NULL: "UTC (fixed date)" when
                             * today is NULL, else "local" */
    /* --shard I/N: build only the rows whose customer label falls in
     * shard shard_index (1..shard_count) of shard_count, into reports of
     * their own (report-shard-I-of-N.json/.csv), so that N runs, on as
     * many machines, can share out_dir (docs/batch.md). 0/0: every row. */
    unsigned shard_index, shard_count;
    /* With a shard: called once per folder name of the shard's rows, after
     * the CSV is checked and before anything is written, so that the
     * caller's clean-up after a crash can keep to this shard's
     * temporaries (other shards may be writing theirs). May be NULL. */
    void (*shard_name)(void *user, const char *name);
    void *shard_name_user;
    /* Who records the rows' packages in ledger (idp_build_record_package);
     * NULL: the ledger handle's own agent. */
    const char *agent;
    /* How the caller's program asks to resume a batch ("--resume"), named
     * in the reasons that say to resume; NULL: none named. Borrowed. */
    const char *resume_name;
    const char *allow_outside_name; /* idp_batch_opts_set_allow_outside_name */
};

struct idp_batch_report {
    size_t n_rows;
    size_t ok, failed, skipped;
    size_t warned;        /* rows built with warnings */
    size_t stale_removed; /* temporaries a killed run left in out_dir, removed */
    char today[11];       /* YYYY-MM-DD the expiry was judged against ("": not said) */
    char today_zone[64];  /* and the zone it was read in */
};
#endif /* IDP_INTERNAL */

/* The batch's options: made by idp_batch_opts_create with one job, the
 * template "2fa-reset", the default policy, DejaVu Sans, no ledger, no
 * limit per row and every row (no shard); the setters below change them.
 * Strings and objects given are borrowed until idp_batch_run returns. */
IDP_API idp_status idp_batch_opts_create(idp_ctx *ctx, idp_batch_opts **out) IDP_WUR
    IDP_NONNULL(1, 2);
IDP_API void idp_batch_opts_destroy(idp_batch_opts *opts);
/* The CSV of customers and the folder for the packages and reports
 * (created with its missing parents, mode 0700). Required. */
IDP_API void idp_batch_opts_set_csv(idp_batch_opts *opts, const char *csv_path, const char *out_dir)
    IDP_NONNULL(1, 2, 3);
/* The templates' folder (required) and the template (NULL: "2fa-reset"). */
IDP_API void idp_batch_opts_set_template(idp_batch_opts *opts, const char *templates_dir,
                                         const char *template_id) IDP_NONNULL(1, 2);
/* Rows built at once (0 counts as 1). */
IDP_API void idp_batch_opts_set_jobs(idp_batch_opts *opts, unsigned jobs) IDP_NONNULL(1);
/* resume: skip rows whose package verifies, rebuild the rest;
 * allow_outside: accept photo paths outside the CSV's folder. */
IDP_API void idp_batch_opts_set_resume(idp_batch_opts *opts, bool resume) IDP_NONNULL(1);
IDP_API void idp_batch_opts_set_allow_outside(idp_batch_opts *opts, bool allow) IDP_NONNULL(1);
/* The language of rows with an empty lang cell and of the reports'
 * messages (NULL: English). */
IDP_API void idp_batch_opts_set_lang(idp_batch_opts *opts, const char *lang) IDP_NONNULL(1);
/* The request date t (Unix time), the same for every row, and the
 * seller's day (YYYY-MM-DD) expiry dates are judged against with the zone
 * it was read in ("CET +0100", for report.json); today NULL: the UTC day
 * of t (zone "UTC (fixed date)"); zone NULL with today: "local". */
IDP_API void idp_batch_opts_set_date(idp_batch_opts *opts, int64_t t, const char *today,
                                     const char *zone) IDP_NONNULL(1);
/* A TrueType font for the letters (NULL: DejaVu Sans, looked up per row). */
IDP_API void idp_batch_opts_set_font(idp_batch_opts *opts, const char *font_path) IDP_NONNULL(1);
/* The check thresholds (NULL: the defaults). */
IDP_API void idp_batch_opts_set_policy(idp_batch_opts *opts, const idp_policy *policy)
    IDP_NONNULL(1);
/* The version written in each package's manifest and the reports. */
IDP_API void idp_batch_opts_set_tool_version(idp_batch_opts *opts, const char *version)
    IDP_NONNULL(1);
/* Record each package built in ledger (NULL: not recorded), as agent
 * (NULL: the handle's own, idp_ledger_set_agent). The library records
 * under the handle's lock, one row at a time. */
IDP_API void idp_batch_opts_set_ledger(idp_batch_opts *opts, idp_ledger *ledger, const char *agent)
    IDP_NONNULL(1);
/* Called with the progress (may be NULL), and with each row's result in
 * CSV order (may be NULL), from the calling thread. */
IDP_API void idp_batch_opts_set_progress(idp_batch_opts *opts, idp_batch_progress_fn fn, void *user)
    IDP_NONNULL(1);
IDP_API void idp_batch_opts_set_on_row(idp_batch_opts *opts, idp_batch_row_fn fn, void *user)
    IDP_NONNULL(1);
/* Each row is built in a child process of its own: killed after seconds
 * of wall-clock time (0: no limit), and allowed to add at most bytes of
 * address space (0: no limit); such a row fails, the others go on. */
IDP_API void idp_batch_opts_set_row_limits(idp_batch_opts *opts, double seconds, uint64_t bytes)
    IDP_NONNULL(1);
/* Build only shard index (1..count) of count (idp_batch_shard_parse),
 * into reports of its own (report-shard-I-of-N.json/.csv), so that count
 * runs, on as many machines, can share the output folder; 0, 0: every
 * row. name, when not NULL, is called once per folder name of the shard's
 * rows, after the CSV is checked and before anything is written (so that
 * a clean-up after a crash may keep to this shard's temporaries). */
IDP_API void idp_batch_opts_set_shard(idp_batch_opts *opts, unsigned index, unsigned count,
                                      void (*name)(void *user, const char *folder), void *user)
    IDP_NONNULL(1);
/* How the caller's program asks to resume a batch (idpack batch gives
 * "--resume"): the reasons that say to resume the batch name it in
 * brackets ("resume the batch (--resume) to try it again"). NULL (the
 * default): none named. Borrowed: it must outlive the run. */
IDP_API void idp_batch_opts_set_resume_name(idp_batch_opts *opts, const char *name) IDP_NONNULL(1);
/* How the caller's program allows photos outside the CSV's folder
 * (idpack batch gives "--allow-outside"): the reasons of a row whose photo
 * leaves the folder name it in brackets ("allow photos outside it
 * (--allow-outside) to accept it"). NULL (the default): none named.
 * Borrowed: it must outlive the run. */
IDP_API void idp_batch_opts_set_allow_outside_name(idp_batch_opts *opts, const char *name)
    IDP_NONNULL(1);

/* A batch's summary (filled by idp_batch_run, or the merged one of
 * idp_batch_merge): rows in the CSV, ok, failed, skipped, built with
 * warnings, the temporaries a killed run left in the output folder and
 * removed, and the day expiry dates were judged against ("": not said)
 * with its zone (borrowed). */
IDP_API idp_status idp_batch_report_create(idp_ctx *ctx, idp_batch_report **out) IDP_WUR
    IDP_NONNULL(1, 2);
IDP_API void idp_batch_report_destroy(idp_batch_report *report);
IDP_API size_t idp_batch_report_rows(const idp_batch_report *report) IDP_NONNULL(1);
IDP_API size_t idp_batch_report_ok(const idp_batch_report *report) IDP_NONNULL(1);
IDP_API size_t idp_batch_report_failed(const idp_batch_report *report) IDP_NONNULL(1);
IDP_API size_t idp_batch_report_skipped(const idp_batch_report *report) IDP_NONNULL(1);
IDP_API size_t idp_batch_report_warned(const idp_batch_report *report) IDP_NONNULL(1);
IDP_API size_t idp_batch_report_stale_removed(const idp_batch_report *report) IDP_NONNULL(1);
IDP_API const char *idp_batch_report_today(const idp_batch_report *report) IDP_NONNULL(1);
IDP_API const char *idp_batch_report_today_zone(const idp_batch_report *report) IDP_NONNULL(1);

/* Runs the batch: the CSV is read twice as a stream (first to check it
 * whole and learn the folder names, then to build), rows are built in
 * child processes, at most the jobs set at a time, and their results
 * written to out_dir/report.json and out_dir/report.csv as they finish,
 * in CSV order (temporaries renamed into place at the end, mode 0600).
 * Memory does not grow with the number of rows beyond a folder name each.
 * Returns IDP_OK when every row was attempted (see report: rows may have
 * failed), or a whole-batch error, with nothing built: IDP_E_NOTFOUND (no
 * CSV), IDP_E_FORMAT (unreadable CSV, not a regular file, a required
 * column missing, an unknown column), IDP_E_LIMITS (over the caps),
 * IDP_E_CREATE (out_dir cannot be created or is in use by another batch;
 * the reports cannot be written), IDP_E_USAGE, IDP_E_NOMEM.
 * Required columns: customer, front and the template's required fields;
 * optional: back, lang and the template's other fields. */
IDP_API idp_status idp_batch_run(idp_ctx *ctx, const idp_batch_opts *opts,
                                 idp_batch_report *report) IDP_WUR IDP_NONNULL(1, 2, 3);
#ifdef IDP_INTERNAL
/* Frees what a row holds (not the row itself); NULL is fine. */
void idp_batch_row_clear(idp_batch_row *row);
void idp_batch_report_free(idp_batch_report *report);
#endif /* IDP_INTERNAL */

/* ---- Shards (idp_batch_shard.c, idp_batch_merge.c) -------------------- */

/* Parses "I/N" (decimal, 1 <= I <= N <= IDP_BATCH_SHARDS_MAX, nothing
 * else: no sign, no space, no leading zero). */
IDP_API bool idp_batch_shard_parse(const char *s, unsigned *index, unsigned *count)
    IDP_NONNULL(1, 2, 3);

/* The file names of shard index of count: "report-shard-I-of-N" (size >= 32). */
IDP_API void idp_batch_shard_stem(unsigned index, unsigned count, char *out, size_t size)
    IDP_NONNULL(3);

#ifdef IDP_INTERNAL
/* The shard (1..count) of a row: the first 8 bytes of the SHA-256 of its
 * customer label as the CSV holds it, big-endian, modulo count, plus 1.
 * It depends on the label only: editing, adding or removing other rows
 * never moves a customer to another shard. */
unsigned idp_batch_shard_of(const char *customer, unsigned count) IDP_NONNULL(1);

struct idp_batch_merge_result {
    unsigned count;       /* N of the shards found */
    size_t n_missing;     /* shards of 1..count without a report */
    unsigned *missing;    /* their indexes, ascending (caller frees with the result) */
    idp_batch_report sum; /* the merged summary */
};
#endif /* IDP_INTERNAL */

/* What idp_batch_merge found: N of the shards' reports, the shards of
 * 1..N without a report (their indexes, ascending), and the merged
 * summary (borrowed from the result). A result is filled by one merge. */
IDP_API idp_status idp_batch_merge_result_create(idp_ctx *ctx, idp_batch_merge_result **out) IDP_WUR
    IDP_NONNULL(1, 2);
IDP_API void idp_batch_merge_result_destroy(idp_batch_merge_result *res);
IDP_API unsigned idp_batch_merge_result_count(const idp_batch_merge_result *res) IDP_NONNULL(1);
IDP_API size_t idp_batch_merge_result_missing(const idp_batch_merge_result *res) IDP_NONNULL(1);
IDP_API unsigned idp_batch_merge_result_missing_shard(const idp_batch_merge_result *res, size_t i)
    IDP_NONNULL(1);
IDP_API const idp_batch_report *idp_batch_merge_result_summary(const idp_batch_merge_result *res)
    IDP_NONNULL(1);

/* Merges the shard reports in dir (report-shard-I-of-N.json) into
 * dir/report.json and dir/report.csv, the shape a batch without shards
 * writes, rows in CSV order. Nothing is written unless every shard of 1..N
 * is there and they agree (one N, the same CSV by its SHA-256 and rows,
 * every row in exactly one report). Errors: IDP_E_NOTFOUND (no shard
 * report; shards missing: the result lists them), IDP_E_FORMAT (reports
 * of different splits or CSVs, a report not as idpack writes it),
 * IDP_E_CREATE (a batch is writing into dir; the reports cannot be
 * written), IDP_E_IO, IDP_E_NOMEM. res: made by
 * idp_batch_merge_result_create, freed with idp_batch_merge_result_destroy. */
IDP_API idp_status idp_batch_merge(idp_ctx *ctx, const char *dir,
                                   idp_batch_merge_result *res) IDP_WUR IDP_NONNULL(1, 2, 3);

#ifdef IDP_INTERNAL
void idp_batch_merge_result_free(idp_batch_merge_result *res);

/* ---- The reports, written as a stream --------------------------------- */

typedef struct idp_report_writer idp_report_writer;

/* Starts dir/report.json and dir/report.csv as temporaries in dir. */
idp_status idp_report_open(idp_ctx *ctx, const char *dir, idp_report_writer **out) IDP_WUR
    IDP_NONNULL(1, 2, 3);
/* The same with other names, dir/<stem>.json and dir/<stem>.csv; head,
 * when not NULL, is JSON members ("\"shard\": {...}") written first in
 * the JSON object. */
idp_status idp_report_open_as(idp_ctx *ctx, const char *dir, const char *stem, const char *head,
                              idp_report_writer **out) IDP_WUR IDP_NONNULL(1, 2, 3, 5);
/* Appends one row to both. */
idp_status idp_report_add(idp_ctx *ctx, idp_report_writer *w, const idp_batch_row *row) IDP_WUR
    IDP_NONNULL(1, 2, 3);
/* Writes the summary, syncs, and renames both into place (replacing
 * earlier ones); frees w in every case. */
idp_status idp_report_commit(idp_ctx *ctx, idp_report_writer *w,
                             const idp_batch_report *summary) IDP_WUR IDP_NONNULL(1, 2, 3);
/* Removes the temporaries and frees; NULL is fine. */
void idp_report_abort(idp_report_writer *w);

/* A cell as report.csv writes it, before quoting: a cell a spreadsheet
 * would read as a formula (first character = + - @, tab or CR) gets a
 * leading ' (as OWASP advises); control characters become \n, \r, \t or
 * \xNN, and the invisible direction controls (U+200E, U+200F, U+061C,
 * U+202A-U+202E, U+2066-U+2069) \u followed by the code point. Truncated
 * to size - 1 bytes at a character boundary. */
void idp_report_csv_cell(const char *in, char *out, size_t size) IDP_NONNULL(1, 2);
#endif /* IDP_INTERNAL */

#ifdef __cplusplus
}
#endif

#endif
