/* idp_ledger: the tracking ledger: one row per package and an event per
 * change, prepared -> submitted -> resolved | rejected, with overdue
 * requests flagged. A SQLite file (the default) or a PostgreSQL database
 * (a postgresql:// or postgres:// URI, shared by a team). Safe with
 * several processes writing at once (SQLite: WAL, busy timeout,
 * transactions; PostgreSQL: serializable transactions retried on
 * conflict). Never images or ID numbers. */
#ifndef IDP_LEDGER_H
#define IDP_LEDGER_H

#include "idp_ctx.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct idp_ledger idp_ledger;

/* Opens (creating it and its schema, or migrating an older schema) the
 * ledger at path; the parent folder must exist. File mode 0600. Caller
 * closes with idp_ledger_close(). Errors name the file.
 * A path starting postgresql:// or postgres:// is a libpq connection URI
 * (password, service, sslmode and the rest as libpq reads them, PGPASSFILE
 * included); the schema is created or migrated in that database. Errors
 * name the URI with its password masked, never the password. */
idp_status idp_ledger_open(idp_ctx *ctx, const char *path, idp_ledger **out) IDP_WUR
    IDP_NONNULL(1, 2, 3);

/* Opens an existing ledger only to read it (a file or folder the caller
 * cannot write: `track list` on a shared, read-only ledger): nothing is
 * created, switched or migrated; a ledger of another schema version is
 * IDP_E_FORMAT. In a folder where SQLite cannot create its shared-memory
 * file, the ledger is read as it is on disk at that moment. A PostgreSQL
 * database is read in read-only transactions; one without the ledger's
 * tables is IDP_E_NOTFOUND (nothing is created). */
idp_status idp_ledger_open_readonly(idp_ctx *ctx, const char *path, idp_ledger **out) IDP_WUR
    IDP_NONNULL(1, 2, 3);
void idp_ledger_close(idp_ledger *ledger);

/* What is recorded of a new package. customer may be NULL (single
 * builds); strings are borrowed. */
typedef struct idp_ledger_package {
    const char *reference;
    const char *customer;
    const char *account_email;
    const char *lang;
    const char *folder; /* absolute path of the package folder */
    const char *pdf_sha256;
    int64_t created; /* Unix time */
} idp_ledger_package;

/* Records a package with status "prepared" and a "prepared" event. The
 * same reference again (a rebuild, --force) updates the row and adds an
 * event; it never duplicates. */
idp_status idp_ledger_record(idp_ctx *ctx, idp_ledger *ledger,
                             const idp_ledger_package *pkg) IDP_WUR IDP_NONNULL(1, 2, 3);

/* ---- Everything below: tracking what happened to a recorded package --- */

/* The schema version this code writes (SQLite: PRAGMA user_version;
 * PostgreSQL: the table idpack_schema); older ledgers are migrated on
 * open, newer ones refused (IDP_E_FORMAT). */
#define IDP_LEDGER_SCHEMA_VERSION 3

/* How long a writer waits for another one to finish before giving up
 * (IDP_E_IO, "the ledger is locked"). */
#define IDP_LEDGER_BUSY_MS 5000

/* Hours after which a submitted package without an answer is overdue
 * (Amazon answers in 1-2 days). */
#define IDP_LEDGER_OVERDUE_HOURS 48u

/* Longest case id and note accepted, in bytes. */
#define IDP_LEDGER_CASE_MAX 64
#define IDP_LEDGER_NOTE_MAX 2000
/* Longest agent name, in bytes. */
#define IDP_LEDGER_AGENT_MAX 64

typedef enum idp_ledger_status {
    IDP_LEDGER_PREPARED = 0,
    IDP_LEDGER_SUBMITTED,
    IDP_LEDGER_RESOLVED,
    IDP_LEDGER_REJECTED
} idp_ledger_status;

/* "prepared", "submitted", "resolved", "rejected"; "?" for a value out of
 * range (static strings). */
const char *idp_ledger_status_name(idp_ledger_status status);

/* Parses one of those names (exact, lower case); false if it is none. */
bool idp_ledger_status_parse(const char *name, idp_ledger_status *out) IDP_NONNULL(1, 2);

/* Changes the status of the package `reference` to submitted, resolved or
 * rejected, at time `at` (Unix time), with an optional Amazon case id
 * ([A-Za-z0-9._-], at most IDP_LEDGER_CASE_MAX bytes; NULL keeps the one
 * recorded) and an optional note (UTF-8 text, no control characters but
 * tab, no direction marks, at most IDP_LEDGER_NOTE_MAX bytes; NULL for
 * none); adds an event.
 * Allowed: prepared|submitted|rejected -> submitted (a re-submission
 * restarts the overdue clock); prepared|submitted -> resolved|rejected
 * (an answer may be recorded without the submission; "submitted" then
 * stays unknown). Refused with IDP_E_USAGE: status prepared or out of
 * range, and any change of a resolved package or to the same final status
 * again (rejected -> rejected). Unknown reference: IDP_E_NOTFOUND naming
 * it. A malformed case id or note: IDP_E_FIELD. Strings are borrowed. */
idp_status idp_ledger_mark(idp_ctx *ctx, idp_ledger *ledger, const char *reference,
                           idp_ledger_status status, const char *case_id, const char *note,
                           int64_t at) IDP_WUR IDP_NONNULL(1, 2, 3);

/* Adds a note event (text rules as for idp_ledger_mark; required, not
 * empty) at time `at`; the status does not change. Unknown reference:
 * IDP_E_NOTFOUND. */
idp_status idp_ledger_note(idp_ctx *ctx, idp_ledger *ledger, const char *reference,
                           const char *note, int64_t at) IDP_WUR IDP_NONNULL(1, 2, 3, 4);

/* One package as the ledger knows it. Every string is owned by the list
 * or history holding the entry; customer, account_email, case_id and
 * pdf_sha256 may be NULL. */
typedef struct idp_ledger_entry {
    char *reference;
    char *customer;
    char *account_email;
    char *lang;
    char *folder;
    char *pdf_sha256;
    char *case_id;
    idp_ledger_status status;
    int64_t created;
    bool has_submitted; /* false: never marked submitted */
    int64_t submitted;  /* time of the latest submission */
    int64_t updated;    /* time of the latest change */
    bool overdue;       /* as of the time given to list/show */
} idp_ledger_entry;

/* Which packages to list. */
typedef struct idp_ledger_filter {
    bool by_status; /* false: every status */
    idp_ledger_status status;
    bool overdue_only;
    int64_t as_of;          /* the time "overdue" is judged at (Unix time) */
    unsigned overdue_hours; /* 0: IDP_LEDGER_OVERDUE_HOURS */
    const char *agent;      /* not NULL: only packages with an event by this agent */
    const char *customer;   /* not NULL: only this customer label (exact) */
    bool never_submitted;   /* only packages still prepared (never submitted) */
} idp_ledger_filter;

/* Overdue: status submitted and submitted more than overdue_hours hours
 * before as_of (exactly overdue_hours is not yet overdue). */
typedef struct idp_ledger_list {
    size_t n;
    /* oldest created first, then by reference; with overdue_only, the
     * earliest submission (the longest wait) first, then by reference */
    idp_ledger_entry *entries;
} idp_ledger_list;

/* Lists the packages matching filter (NULL: all, overdue judged now).
 * Caller frees *out with idp_ledger_list_free(). */
idp_status idp_ledger_list_packages(idp_ctx *ctx, idp_ledger *ledger,
                                    const idp_ledger_filter *filter, idp_ledger_list **out) IDP_WUR
    IDP_NONNULL(1, 2, 4);
/* Wipes (e-mail addresses are personal data) and frees; NULL is fine. */
void idp_ledger_list_free(idp_ledger_list *list);

typedef struct idp_ledger_event {
    int64_t id; /* increasing in the order the events were recorded */
    int64_t at; /* Unix time the change happened (as given) */
    char *kind; /* "prepared", "rebuilt", "submitted", "resolved", "rejected", "note" */
    idp_ledger_status status; /* the package's status after the event */
    char *case_id;            /* may be NULL */
    char *note;               /* may be NULL: the user's text, or where a package was built */
    char *agent;              /* who made it; NULL for events before schema version 3 */
} idp_ledger_event;

typedef struct idp_ledger_history {
    idp_ledger_entry package;
    size_t n_events;
    idp_ledger_event *events; /* by time, then in recording order */
} idp_ledger_history;

/* The package `reference` and its events; overdue judged as of as_of
 * with overdue_hours (0: the default). Unknown reference:
 * IDP_E_NOTFOUND. Caller frees *out with idp_ledger_history_free(). */
idp_status idp_ledger_show(idp_ctx *ctx, idp_ledger *ledger, const char *reference, int64_t as_of,
                           unsigned overdue_hours, idp_ledger_history **out) IDP_WUR
    IDP_NONNULL(1, 2, 3, 6);
void idp_ledger_history_free(idp_ledger_history *history);

/* The path the ledger was opened with, or its URI with the password
 * masked (borrowed, for messages). */
const char *idp_ledger_path(const idp_ledger *ledger) IDP_NONNULL(1);

/* Who makes the changes recorded from now on through this handle (each
 * event keeps it): 1 to IDP_LEDGER_AGENT_MAX bytes of one-line UTF-8 text
 * (IDP_E_FIELD otherwise); NULL records none. Copied. */
idp_status idp_ledger_set_agent(idp_ctx *ctx, idp_ledger *ledger, const char *agent) IDP_WUR
    IDP_NONNULL(1, 2);

/* Whether target is a PostgreSQL URI (postgresql:// or postgres://). */
bool idp_ledger_is_uri(const char *target) IDP_NONNULL(1);

/* target as it may be shown: a path as it is, a URI with the value of
 * its password (user:PASSWORD@ and every password=... parameter) replaced
 * by "***". Caller frees; NULL when out of memory. */
char *idp_ledger_display_name(const char *target) IDP_NONNULL(1);

#endif
