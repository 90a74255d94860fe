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

#ifdef __cplusplus
extern "C" {
#endif

/* Opaque to programs outside the library, as are the list, the entries,
 * the history and its events, and the filter below (they grow with the
 * schema): read and set through the functions of this header. */
typedef struct idp_ledger idp_ledger;
typedef struct idp_ledger_entry idp_ledger_entry;
typedef struct idp_ledger_event idp_ledger_event;
typedef struct idp_ledger_list idp_ledger_list;
typedef struct idp_ledger_history idp_ledger_history;
typedef struct idp_ledger_filter idp_ledger_filter;

/* Opens (creating it and its schema, or migrating an older schema) the
 * ledger at path; the parent folder must exist. File mode 0600. Caller
 * closes with idp_ledger_close(). Errors name the file.
 * A path starting postgresql:// or postgres:// is a libpq connection URI
 * (password, service, sslmode and the rest as libpq reads them, PGPASSFILE
 * included); the schema is created or migrated in that database. Errors
 * name the URI with its password masked, never the password. */
IDP_API idp_status idp_ledger_open(idp_ctx *ctx, const char *path, idp_ledger **out) IDP_WUR
    IDP_NONNULL(1, 2, 3);

/* Opens an existing ledger only to read it (a file or folder the caller
 * cannot write: `track list` on a shared, read-only ledger): nothing is
 * created, switched or migrated; a ledger of another schema version is
 * IDP_E_FORMAT. In a folder where SQLite cannot create its shared-memory
 * file, the ledger is read as it is on disk at that moment. A PostgreSQL
 * database is read in read-only transactions; one without the ledger's
 * tables is IDP_E_NOTFOUND (nothing is created). */
IDP_API idp_status idp_ledger_open_readonly(idp_ctx *ctx, const char *path,
                                            idp_ledger **out) IDP_WUR IDP_NONNULL(1, 2, 3);
/* Closes the connection or file and frees; NULL is fine. */
IDP_API void idp_ledger_close(idp_ledger *ledger);
/* A package is recorded once built: idp_build_record (idp_build_record.h). */

#ifdef IDP_INTERNAL

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
#endif /* IDP_INTERNAL */

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
IDP_API const char *idp_ledger_status_name(idp_ledger_status status);

/* Parses one of those names (exact, lower case); false if it is none. */
IDP_API bool idp_ledger_status_parse(const char *name, idp_ledger_status *out) IDP_NONNULL(1, 2);

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
IDP_API idp_status idp_ledger_mark(idp_ctx *ctx, idp_ledger *ledger, const char *reference,
                                   idp_ledger_status status, const char *case_id, const char *note,
                                   int64_t at) IDP_WUR IDP_NONNULL(1, 2, 3);

/* Adds a note event (text rules as for idp_ledger_mark; required, not
 * empty) at time `at`; the status does not change. Unknown reference:
 * IDP_E_NOTFOUND. */
IDP_API idp_status idp_ledger_note(idp_ctx *ctx, idp_ledger *ledger, const char *reference,
                                   const char *note, int64_t at) IDP_WUR IDP_NONNULL(1, 2, 3, 4);

/* One package as the ledger knows it (an entry of a list or a history's
 * package). Every string is owned by the list or history holding the
 * entry; customer, account_email, case_id and pdf_sha256 may be NULL. */
IDP_API const char *idp_ledger_entry_reference(const idp_ledger_entry *e) IDP_NONNULL(1);
IDP_API const char *idp_ledger_entry_customer(const idp_ledger_entry *e) IDP_NONNULL(1);
IDP_API const char *idp_ledger_entry_account_email(const idp_ledger_entry *e) IDP_NONNULL(1);
IDP_API const char *idp_ledger_entry_lang(const idp_ledger_entry *e) IDP_NONNULL(1);
/* The absolute path of the package's folder. */
IDP_API const char *idp_ledger_entry_folder(const idp_ledger_entry *e) IDP_NONNULL(1);
/* request.pdf's SHA-256 in hex. */
IDP_API const char *idp_ledger_entry_pdf_sha256(const idp_ledger_entry *e) IDP_NONNULL(1);
/* Amazon's case id, once given. */
IDP_API const char *idp_ledger_entry_case_id(const idp_ledger_entry *e) IDP_NONNULL(1);
IDP_API idp_ledger_status idp_ledger_entry_status(const idp_ledger_entry *e) IDP_NONNULL(1);
/* Unix times: recorded; the latest change. */
IDP_API int64_t idp_ledger_entry_created(const idp_ledger_entry *e) IDP_NONNULL(1);
IDP_API int64_t idp_ledger_entry_updated(const idp_ledger_entry *e) IDP_NONNULL(1);
/* False when the package was never marked submitted; else true with *at
 * the time of its latest submission (at may be NULL). */
IDP_API bool idp_ledger_entry_submitted(const idp_ledger_entry *e, int64_t *at) IDP_NONNULL(1);
/* Overdue as of the time given to the list or show call. */
IDP_API bool idp_ledger_entry_overdue(const idp_ledger_entry *e) IDP_NONNULL(1);

#ifdef IDP_INTERNAL
struct idp_ledger_entry {
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
};

/* Which packages to list (idp_ledger_filter_create and its setters). */
struct idp_ledger_filter {
    bool by_status; /* false: every status */
    idp_ledger_status status;
    bool overdue_only;
    int64_t as_of;          /* the time "overdue" is judged at (Unix time) */
    unsigned overdue_hours; /* 0: IDP_LEDGER_OVERDUE_HOURS */
    const char *agent;      /* not NULL: only packages with an event by this agent */
    const char *customer;   /* not NULL: only this customer label (exact) */
    bool never_submitted;   /* only packages still prepared (never submitted) */
};

struct idp_ledger_list {
    size_t n;
    /* oldest created first, then by reference; with overdue_only, the
     * earliest submission (the longest wait) first, then by reference */
    idp_ledger_entry *entries;
};
#endif /* IDP_INTERNAL */

/* Which packages idp_ledger_list_packages lists: made by
 * idp_ledger_filter_create with every package, overdue judged now after
 * IDP_LEDGER_OVERDUE_HOURS; the setters narrow it. Strings are borrowed
 * until the list call returns. */
IDP_API idp_status idp_ledger_filter_create(idp_ctx *ctx, idp_ledger_filter **out) IDP_WUR
    IDP_NONNULL(1, 2);
IDP_API void idp_ledger_filter_destroy(idp_ledger_filter *filter);
/* Only packages with this status. */
IDP_API void idp_ledger_filter_set_status(idp_ledger_filter *filter, idp_ledger_status status)
    IDP_NONNULL(1);
/* The time (Unix) overdue is judged at, and the hours after which a
 * submission is overdue (0: IDP_LEDGER_OVERDUE_HOURS). */
IDP_API void idp_ledger_filter_set_as_of(idp_ledger_filter *filter, int64_t as_of,
                                         unsigned overdue_hours) IDP_NONNULL(1);
/* Only overdue packages (then listed longest wait first). */
IDP_API void idp_ledger_filter_set_overdue_only(idp_ledger_filter *filter, bool on) IDP_NONNULL(1);
/* Only packages still prepared, never submitted. */
IDP_API void idp_ledger_filter_set_never_submitted(idp_ledger_filter *filter, bool on)
    IDP_NONNULL(1);
/* Only packages with an event by this agent (NULL: any). */
IDP_API void idp_ledger_filter_set_agent(idp_ledger_filter *filter, const char *agent)
    IDP_NONNULL(1);
/* Only this customer label, exactly (NULL: any). */
IDP_API void idp_ledger_filter_set_customer(idp_ledger_filter *filter, const char *customer)
    IDP_NONNULL(1);

/* Lists the packages matching filter (NULL: all, overdue judged now).
 * Overdue: status submitted and submitted more than overdue_hours hours
 * before as_of (exactly overdue_hours is not yet overdue). The order:
 * oldest created first, then by reference; with overdue_only, the earliest
 * submission (the longest wait) first, then by reference. Caller frees
 * *out with idp_ledger_list_free(). */
IDP_API idp_status idp_ledger_list_packages(idp_ctx *ctx, idp_ledger *ledger,
                                            const idp_ledger_filter *filter,
                                            idp_ledger_list **out) IDP_WUR IDP_NONNULL(1, 2, 4);
/* Wipes (e-mail addresses are personal data) and frees; NULL is fine. */
IDP_API void idp_ledger_list_free(idp_ledger_list *list);
/* The number of packages listed, and the i-th (borrowed from the list). */
IDP_API size_t idp_ledger_list_count(const idp_ledger_list *list) IDP_NONNULL(1);
IDP_API const idp_ledger_entry *idp_ledger_list_entry(const idp_ledger_list *list, size_t i)
    IDP_NONNULL(1);

#ifdef IDP_INTERNAL
struct idp_ledger_event {
    int64_t id; /* increasing in the order the events were recorded */
    int64_t at; /* Unix time the change happened (as given) */
    char *kind; /* "prepared", "rebuilt", "submitted", "resolved", "rejected", "note" */
    idp_ledger_status status; /* the package's status after the event */
    char *case_id;            /* may be NULL */
    char *note;               /* may be NULL: the user's text, or where a package was built */
    char *agent;              /* who made it; NULL for events before schema version 3 */
};

struct idp_ledger_history {
    idp_ledger_entry package;
    size_t n_events;
    idp_ledger_event *events; /* by time, then in recording order */
};
#endif /* IDP_INTERNAL */

/* The package `reference` and its events; overdue judged as of as_of
 * with overdue_hours (0: the default). Unknown reference:
 * IDP_E_NOTFOUND. Caller frees *out with idp_ledger_history_free(). */
IDP_API idp_status idp_ledger_show(idp_ctx *ctx, idp_ledger *ledger, const char *reference,
                                   int64_t as_of, unsigned overdue_hours,
                                   idp_ledger_history **out) IDP_WUR IDP_NONNULL(1, 2, 3, 6);
/* Wipes and frees; NULL is fine. */
IDP_API void idp_ledger_history_free(idp_ledger_history *history);
/* The package (borrowed from the history). */
IDP_API const idp_ledger_entry *idp_ledger_history_package(const idp_ledger_history *history)
    IDP_NONNULL(1);
/* Its events, by time then in recording order, and the i-th (borrowed). */
IDP_API size_t idp_ledger_history_count(const idp_ledger_history *history) IDP_NONNULL(1);
IDP_API const idp_ledger_event *idp_ledger_history_event(const idp_ledger_history *history,
                                                         size_t i) IDP_NONNULL(1);
/* An event: when (Unix time, as given), what ("prepared", "rebuilt",
 * "submitted", "resolved", "rejected", "note"), the package's status after
 * it, its case id, its note (the user's text, or where a package was
 * built) and who made it (NULL for events before schema version 3). The
 * last three may be NULL. */
IDP_API int64_t idp_ledger_event_at(const idp_ledger_event *ev) IDP_NONNULL(1);
IDP_API const char *idp_ledger_event_kind(const idp_ledger_event *ev) IDP_NONNULL(1);
IDP_API idp_ledger_status idp_ledger_event_status(const idp_ledger_event *ev) IDP_NONNULL(1);
IDP_API const char *idp_ledger_event_case_id(const idp_ledger_event *ev) IDP_NONNULL(1);
IDP_API const char *idp_ledger_event_note(const idp_ledger_event *ev) IDP_NONNULL(1);
IDP_API const char *idp_ledger_event_agent(const idp_ledger_event *ev) IDP_NONNULL(1);

/* The path the ledger was opened with, or its URI with the password
 * masked (borrowed, for messages). */
IDP_API const char *idp_ledger_path(const idp_ledger *ledger) IDP_NONNULL(1);

/* Who makes the changes recorded from now on through this handle (each
 * event keeps it): 1 to IDP_LEDGER_AGENT_MAX bytes of one-line UTF-8 text
 * (IDP_E_FIELD otherwise); NULL records none. Copied. */
IDP_API idp_status idp_ledger_set_agent(idp_ctx *ctx, idp_ledger *ledger, const char *agent) IDP_WUR
    IDP_NONNULL(1, 2);

/* Whether target is a PostgreSQL URI (postgresql:// or postgres://). */
IDP_API bool idp_ledger_is_uri(const char *target) IDP_NONNULL(1);

/* target as it may be shown: a path as it is, a URI with the value of
 * its password (user:PASSWORD@ and every password=... parameter) replaced
 * by "***". Written into buf as snprintf does (cut to size - 1 bytes and
 * NUL-terminated when size > 0; buf may be NULL when size is 0); returns
 * the length of the whole name, so a caller may size buf with a first
 * call. */
IDP_API size_t idp_ledger_display_name(const char *target, char *buf, size_t size) IDP_NONNULL(1);

#ifdef __cplusplus
}
#endif

#endif
