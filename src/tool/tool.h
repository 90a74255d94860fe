/* The idpack tool: parses options, prints, chooses exit codes. Everything
 * else is the library's. */
#ifndef IDP_TOOL_H
#define IDP_TOOL_H

#include "idp_build.h"
#include "idp_ctx.h"
#include "idp_util.h"

#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Exit codes (sysexits.h values; documented in docs/exit-codes.md). */
enum {
    EXIT_OK = 0,
    EXIT_REJECTED = 1, /* a check failed, a hash does not match */
    EXIT_USAGE = 64,
    EXIT_DATAERR = 65, /* bad input data */
    EXIT_NOINPUT = 66, /* missing input */
    EXIT_SOFTWARE = 70,
    EXIT_CANTCREAT = 73,
    EXIT_IOERR = 74
};

/* A subcommand: argv[0] is its name. */
typedef int (*tool_cmd_fn)(int argc, char **argv);

int cmd_check(int argc, char **argv);
int cmd_normalize(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_track(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_profile(int argc, char **argv);
int cmd_drop(int argc, char **argv);
int cmd_mrz(int argc, char **argv);
/* idpack batch report DIR (tool_batch_report.c), and DIR/<stem>.json to
 * stdout (tool_batch.c). */
int cmd_batch_report(int argc, char **argv);
int tool_batch_cat_report(const char *out, const char *stem, const char *lang);
/* The guardian of a batch shard writing into dir (tool_batch_guard.c): it
 * removes, once the batch has ended, the temporaries of the shard's
 * reports (stem.json, stem.csv) and of the folder names given to
 * tool_shard_guard_name (user: the int the first returned, -1 when no
 * guardian could be started). */
int tool_shard_guard(const char *dir, const char *stem);
void tool_shard_guard_name(void *user, const char *name);
int cmd_window(int argc, char **argv);

/* Marks an English message that is translated later (tool_tr, idp_tr) so
 * that xgettext finds it (its keyword N_, po/update-pot.sh); it is the
 * string itself. */
#define N_(s) s

/* A build as the tool asks for it: what it sets on the library's options
 * (idp_build_opts, opaque), kept here so that the tool reads back the
 * photos, folder and date it gave. Zeroed, then filled; the strings and
 * objects are borrowed. */
typedef struct tool_build_req {
    const char *front_path, *back_path; /* back: NULL for a passport */
    const idp_form *form;
    const char *templates_dir, *template_id, *lang;
    const char *paper; /* "a4" or "letter"; NULL: from the marketplace */
    int64_t date;      /* Unix time of the request */
    const char *today; /* YYYY-MM-DD, the seller's day; NULL: the UTC day of date */
    const char *font_path, *sign_key;
    const char *out_dir; /* NULL: none set (idp_build_opts_set_out_dir) */
    bool force;
    const idp_policy *policy; /* NULL: the defaults */
} tool_build_req;

/* The library's options for req (tool_build.c); the caller frees *out
 * with idp_build_opts_destroy. */
idp_status tool_build_opts(idp_ctx *ctx, const tool_build_req *req, idp_build_opts **out);
/* idp_build_package with the options of req. */
idp_status tool_build_package(idp_ctx *ctx, const tool_build_req *req, idp_build_result *res);

/* Runs a build whose options are filled and prints the outcome (text or
 * JSON); returns the exit code. Shared by build and demo. */
int tool_run_build(const char *cmd, tool_build_req *bo, const char *lang, bool json,
                   const char *policy_file, const char *font_opt);

/* Folders of the templates and the specimen photos (borrowed). */
const char *tool_templates_dir(void);
const char *tool_specimen_dir(void);

/* The request date: --date (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]Z) if
 * given, else SOURCE_DATE_EPOCH, else now. False (with a message on
 * stderr) if the value is malformed. */
bool tool_request_date(const char *cmd, const char *opt, int64_t *out);

/* Prints "idpack CMD: <reason>" and a hint to stderr; returns EXIT_USAGE. */
int tool_usage_error(const char *cmd, const char *fmt, ...) IDP_PRINTF(2, 3);

/* Prints "idpack: <message>" to stderr (the ctx error text). */
void tool_error(const char *msg);
/* A library error as the tool prints it: msg, and after IDP_E_EXISTS
 * ("already exists; replacing it must be asked for") the option that asks
 * for it, replace_opt ("--force"; NULL: the command has none), into buf. */
const char *tool_error_text(idp_status st, const char *msg, const char *replace_opt, char *buf,
                            size_t size);

/* The exit code for a library status. */
int tool_exit_for(idp_status st);

/* "en", "it", "de", "fr" or "es": from --lang if given (NULL if not),
 * else the locale (LC_ALL, LC_MESSAGES, LANG), else "en". Returns NULL for
 * an unknown --lang value. */
const char *tool_lang(const char *opt);

/* Records an option that may be given once: stores value in *slot, or
 * prints "idpack CMD: --NAME given twice" and returns EXIT_USAGE if it
 * was already set. Returns 0 otherwise. */
int tool_opt_once(const char *cmd, const char **slot, const char *name, const char *value);
/* The same for a flag. */
int tool_opt_flag(const char *cmd, bool *flag, const char *name);

/* Parses a positive integer option value; false if not one. */
bool tool_parse_u32(const char *s, unsigned long max, unsigned *out);

/* Parses a UTC time as --date takes it (YYYY-MM-DD, YYYY-MM-DDTHH:MMZ or
 * YYYY-MM-DDTHH:MM:SSZ) into Unix time; false if malformed. Prints
 * nothing. */
bool tool_parse_time(const char *s, int64_t *out);

/* The ledger file (see docs/ledger.md): opt (--ledger PATH) if not NULL,
 * else $IDPACK_LEDGER if set and not empty, else
 * $XDG_DATA_HOME/idpack/ledger.sqlite, with XDG_DATA_HOME ~/.local/share
 * when unset or not absolute. With create_dir, the default folder is
 * created (mode 0700) when missing; a path given by option or variable
 * is used as it is (its folder must exist). Returns EXIT_OK with *out a
 * path the caller frees, or, after printing "idpack CMD: reason", the
 * exit code. */
int tool_ledger_path(const char *cmd, const char *opt, bool create_dir, char **out);

/* Opens the ledger at path (its agent tool_ledger_agent(NULL)), records
 * the package a successful build made (idp_build_record, as agent when
 * not NULL) and closes it. The message of a failure is on ctx; nothing is
 * printed. */
idp_status tool_ledger_record(idp_ctx *ctx, const char *path, const char *agent,
                              const tool_build_req *bo, const idp_build_result *res);

/* --agent NAME as track takes it: NULL (not given) or 1 to
 * IDP_LEDGER_AGENT_MAX bytes of text on one line. EXIT_OK, or after a
 * message for cmd EXIT_USAGE (empty, too long) or EXIT_DATAERR (not one
 * line of text), as track answers. */
int tool_agent_check(const char *cmd, const char *agent);

/* Who the events this process records are made by: opt (--agent) when
 * given, else $IDPACK_AGENT, else $LOGNAME, else the user's login name
 * (getpwuid), else NULL. Borrowed. */
const char *tool_ledger_agent(const char *opt);

/* Opens the ledger at path (a file or a postgresql:// URI) for writing,
 * with tool_ledger_agent(agent) as the agent of its events. The message of
 * a failure is on ctx; nothing is printed. */
struct idp_ledger;
idp_status tool_ledger_open(idp_ctx *ctx, const char *path, const char *agent,
                            struct idp_ledger **out);

/* path as it may be printed (a URI's password masked); caller frees;
 * NULL when out of memory. */
char *tool_ledger_shown(const char *path);
/* The same as a JSON string (tool_json_string); NULL when out of memory. */
struct json_t;
struct json_t *tool_json_ledger(const char *path);

/* The folder a path is in ("." for a bare name); caller frees; NULL when
 * out of memory. */
char *tool_parent_dir(const char *path);

/* Starts the cleanup guardian of this run: a child process that waits for
 * the tool to end, however it ends (kill -9 included), then removes from
 * each folder of dirs the temporaries this process left there (see
 * idp_remove_temporaries): a killed command leaves nothing half-written.
 * It holds the read end of a pipe only the tool can close, and keeps the
 * tool's standard streams (so whoever reads them also waits for the
 * cleanup). Call before any thread starts; dirs are copied by fork. If the
 * guardian cannot start, the command still runs. */
void tool_guard(const char *const *dirs, size_t n);

/* Spawn attributes for a desktop program the tool starts (a browser, a
 * PDF viewer, a file manager): no signal blocked, and the stop signals
 * (SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE) at their defaults, whatever
 * the calling thread blocks or the tool ignores or inherited ignored, so
 * that Ctrl-C and kill stop that program as they would from the desktop.
 * Free with posix_spawnattr_destroy. */
void tool_spawn_attr(posix_spawnattr_t *attr);

/* Before writing the output path (a file or a package folder): removes the
 * stale temporaries of that name a killed run left next to it, then starts
 * the guardian for its folder. */
void tool_protect_output(const char *path);

/* Sets the limits the environment asks for on ctx: the memory budget per
 * photo from IDPACK_DECODE_MEMORY_MB (MiB); a malformed value is said on
 * stderr and the default kept. */
void tool_apply_limits(idp_ctx *ctx);
/* The tool's sentence en in language lang, from lang's catalogue (po/, through
 * idp_tr); en itself when lang has no catalogue or no translation of it. */
const char *tool_tr(const char *lang, const char *en) __attribute__((format_arg(2)));

/* Now, as Unix time: $IDPACK_NOW when set (a test hook: Unix seconds or
 * a time as --date takes it), else the clock. False if IDPACK_NOW is
 * malformed. */
bool tool_now(int64_t *out);

/* Whether the request's date is fixed (--date given or SOURCE_DATE_EPOCH
 * set): then "today" is its UTC day, else the local day of now. */
bool tool_date_fixed(const char *date_opt);

/* Sets bo->today for bo->date (already set): NULL for a fixed date, else
 * the local day (TZ) written into day[11], which must outlive bo. */
void tool_set_today(tool_build_req *bo, const char *date_opt, char day[11]);

/* Today for a command without a request date (check): as a build without
 * --date works it out, so that both judge an expiry against the same day:
 * the UTC day of SOURCE_DATE_EPOCH when set, else the local day (TZ) of
 * now ($IDPACK_NOW honoured). The zone it was read in goes to zone. False
 * (said on stderr) when SOURCE_DATE_EPOCH or IDPACK_NOW is malformed. */
bool tool_today(const char *cmd, char day[11], char *zone, size_t size);

/* The day a build used as today and the zone it was read in ("PST -0800",
 * "UTC (fixed date)"), for messages and JSON. */
void tool_today_of(const tool_build_req *bo, char day[11], char *zone, size_t size);

/* The command whose words tool_advice uses. */
typedef enum tool_surface {
    TOOL_SURFACE_BUILD,
    TOOL_SURFACE_DROP,
    TOOL_SURFACE_WINDOW
} tool_surface;

/* What the last error on ctx leaves to its caller (idp_ctx_advice) in the
 * words of surface, e.g. " (--back PHOTO)" for idpack build: a static
 * string in lang, "" when there is nothing to add. */
const char *tool_advice(const idp_ctx *ctx, tool_surface surface, const char *lang);
/* The error on ctx as surface prints it: with its advice, or after
 * IDP_E_EXISTS with replace_opt (tool_error_text); into buf or ctx's own. */
const char *tool_error_advice(const idp_ctx *ctx, idp_status st, const char *replace_opt,
                              tool_surface surface, const char *lang, char *buf, size_t size);

#endif
