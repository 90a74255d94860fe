/* Inside the batch: what the driver (idp_batch.c), its rows' preparation
 * (idp_batch_prepare.c), names (idp_batch_names.c), results
 * (idp_batch_emit.c) and the row builder (idp_batch_row.c) share. Not
 * installed. */
#ifndef IDP_BATCH_INT_H
#define IDP_BATCH_INT_H

#include "idp_batch.h"
#include "idp_hash.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define IDP_BATCH_REASON_MAX 1024

enum { COL_CUSTOMER = -1, COL_FRONT = -2, COL_BACK = -3, COL_LANG = -4, COL_UNUSED = -5 };

/* One row, as the row's process builds it. Everything borrowed. */
typedef struct batch_row_in {
    const idp_batch_opts *opts;
    const char *template_id;
    const idp_csv_row *src;
    size_t n_cols;
    const int *col_kind; /* per column: COL_* or index into field_keys */
    const char *const *field_keys;
    const char *csv_name;     /* for messages: "customers.csv row 7" */
    const char *csv_dir;      /* real, no trailing slash: cut from paths in reasons */
    const char *abs_out;      /* the same */
    const char *front, *back; /* resolved; back may be NULL */
    const char *front_cell, *back_cell;
    const char *lang; /* NULL: opts->default_lang */
    const char *out_path;
    long temp_owner;
} batch_row_in;

/* What the row's process sends back besides the row. */
typedef struct batch_row_extra {
    char pdf_sha256[IDP_SHA256_HEX]; /* "" when no package */
    char created[32];                /* of a package found in place */
    char *account_email;             /* for the ledger; wiped when freed */
} batch_row_extra;

/* Folder names: the first row (in CSV order) giving a name keeps it. */
typedef struct name_ref {
    char *name;
    size_t row;
    bool mine; /* the row is in this run's shard (always, without --shard) */
} name_ref;

typedef struct batch_run batch_run;

/* A row between being read and being written to the reports. */
typedef struct slot {
    bool used, ready, running, done;
    idp_csv_row *src;
    idp_batch_row row;
    batch_row_extra extra;
    char *front, *back, *out_path;
    const char *front_cell, *back_cell, *lang;
    pid_t pid;
    int fd;
    char *buf;
    size_t len, cap;
    double deadline;
    bool killed;
} slot;

struct batch_run {
    const idp_batch_opts *opts;
    const char *csv_name;
    char *csv_dir;
    char *abs_out;
    const char *template_id;
    size_t n_cols;
    int *col_kind;
    const char **field_keys;
    name_ref *names;
    size_t n_names;
    slot *slots; /* a window of rows, indexed by (row - 1) % n_slots */
    size_t n_slots;
    size_t head, tail; /* rows [head, tail) are in the window, counted from 0 */
    size_t running;
    idp_report_writer *writer;
    idp_batch_report *report;
    idp_batch_progress progress;
    /* --shard (idp_batch_shard.c) */
    size_t csv_rows;  /* data rows of the CSV, in pass 1 */
    int shard_fd;     /* the shard's lock file, or -1 */
    char *shard_lock; /* its path */
    char shard_stem[48];
    char *shard_head; /* the "shard" member of its report.json */
};

/* The shard parts of a run (idp_batch_shard.c). Whether a row is in this
 * run's shard (every row without --shard). */
bool batch_row_mine(const batch_run *b, const idp_csv_row *src);
/* After pass 1, with out_dir open: takes the shard's lock (one run per
 * shard at a time) and prepares its reports' names and "shard" member. */
idp_status batch_shard_begin(idp_ctx *ctx, batch_run *b) IDP_WUR;
/* Removes the stale temporaries of this shard's packages and reports only
 * (other shards may be writing theirs); returns how many. */
size_t batch_shard_clean(const batch_run *b);
/* Hands the shard's folder names to opts->shard_name. */
void batch_shard_names(const batch_run *b);
/* Releases the lock (removing its file after a whole run). */
void batch_shard_end(batch_run *b, bool whole);

/* The row processes (idp_batch_proc.c). Starts slot s's row in a child
 * process of its own. */
idp_status batch_spawn(idp_ctx *ctx, batch_run *b, slot *s) IDP_WUR;
/* Waits for a running row to finish or run out of time, and reaps it. */
void batch_wait(batch_run *b);
/* Kills a running row and reaps it (a whole-batch error). */
void batch_kill(batch_run *b, slot *s);

/* Builds (or, with --resume, accepts) the row's package: r's status,
 * reference, reasons and warnings are set. */
void batch_row_build(const batch_row_in *in, idp_ctx *ctx, idp_batch_row *r,
                     batch_row_extra *extra);

/* The result as text through the pipe, and back. */
char *batch_row_encode(const idp_batch_row *r, const batch_row_extra *extra);
bool batch_row_decode(const char *text, size_t len, idp_batch_row *r, batch_row_extra *extra);

/* Removes "<prefix>/" wherever it occurs in s (in place): reasons name
 * files relative to a folder the agent knows, never with absolute paths. */
void batch_cut_prefix(char *s, const char *prefix);

/* Appends a reason or warning (truncated to IDP_BATCH_REASON_MAX). */
idp_status batch_add_text(char ***list, size_t *n, const char *fmt, ...) IDP_PRINTF(3, 4);
void batch_row_fail(idp_batch_row *r, idp_status why, const char *text);
/* " (NAME)" for the caller's name of resuming (idp_batch_opts_set_resume_name),
 * or "": into buf, for the reasons that say to resume the batch. */
const char *batch_resume_words(const idp_batch_opts *o, char *buf, size_t size);

/* The batch's sentence en in lang: Italian from the catalogue in
 * idp_batch_i18n.c when lang is "it", else en itself. */
const char *batch_tr(const char *lang, const char *en) __attribute__((format_arg(2)));

/* The CSV's rows (idp_batch_prepare.c). Maps each header name to what it
 * is; unknown and missing columns are whole-batch errors. */
struct idp_template;
idp_status batch_bind_columns(idp_ctx *ctx, const char *csv, const char *const *header,
                              size_t n_cols, const struct idp_template *tmpl, int *kind,
                              const char **keys, bool mrz_read) IDP_WUR;
/* The folder the CSV is in, as realpath() gives it. */
idp_status batch_csv_folder(idp_ctx *ctx, const char *csv, char **out) IDP_WUR;
/* The checks every row gets before it has a name, then its name: in
 * pass 1 (r NULL: only the name) and pass 2 (r: the reasons too). */
bool batch_row_name(const batch_run *b, const idp_csv_row *src, size_t row, idp_batch_row *r,
                    char safe[IDP_BATCH_NAME_MAX + 1]);
/* Pass 2, for one row: names, duplicates, language, photo paths; s->ready
 * when it is to be built. IDP_E_NOMEM only. */
idp_status batch_prepare_row(idp_ctx *ctx, batch_run *b, slot *s, size_t row) IDP_WUR;

/* Folder names (idp_batch_names.c). Pass 1: the whole CSV read once,
 * checked, the folder name of every row learnt; *total: this run's rows. */
idp_status batch_learn_names(idp_ctx *ctx, batch_run *b, size_t *total) IDP_WUR;
/* The first row that gives this name (0: none, the CSV changed). */
size_t batch_name_owner(const batch_run *b, const char *name);

/* The finished rows (idp_batch_emit.c): recorded in the ledger and
 * written to the reports, in CSV order, from the head of the window. */
idp_status batch_emit(idp_ctx *ctx, batch_run *b) IDP_WUR;
void batch_slot_clear(slot *s);

#endif
