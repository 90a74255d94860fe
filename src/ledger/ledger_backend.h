/* Inside the ledger: the handle shared by the two backends (SQLite,
 * PostgreSQL) and what each backend provides. idp_ledger.c holds the
 * rules (which status change is allowed, what a note may hold) and the
 * transactions' retry loop; a backend only runs statements. Not a public
 * header. */
#ifndef IDP_LEDGER_BACKEND_H
#define IDP_LEDGER_BACKEND_H

#include "idp_ledger.h"

#include <pthread.h>

struct ledger_ops;

struct idp_ledger {
    const struct ledger_ops *ops;
    void *db;       /* sqlite3 * or PGconn * */
    char *path;     /* for messages: the file, or the URI with its password masked */
    char *agent;    /* recorded with every event; NULL: none */
    char *conninfo; /* PostgreSQL: the URI as given (reconnecting); wiped when freed */
    bool retry;     /* set by a backend: the failure is a conflict worth retrying */
    bool readonly;
    pthread_mutex_t lock; /* one operation at a time when a handle is shared by threads */
};

/* One backend. Every function but open and close runs with the handle's
 * lock held; the write primitives run inside begin_write .. commit. A
 * failure is recorded on ctx (naming l->path); a conflict that a new
 * transaction may not meet (PostgreSQL's serialization failures, a
 * deadlock, two writers inserting the same reference) also sets
 * l->retry. */
typedef struct ledger_ops {
    /* Connects (l->path, l->conninfo set), creates or migrates the schema
     * unless readonly, checks its version. */
    idp_status (*open)(idp_ctx *ctx, idp_ledger *l, const char *target, bool readonly);
    void (*close)(idp_ledger *l);
    idp_status (*begin_write)(idp_ctx *ctx, idp_ledger *l);
    idp_status (*commit)(idp_ctx *ctx, idp_ledger *l);
    void (*rollback)(idp_ledger *l);
    /* The status of ref in the transaction (locked until it ends); *found
     * false when absent. */
    idp_status (*find_status)(idp_ctx *ctx, idp_ledger *l, const char *ref, bool *found,
                              idp_ledger_status *status);
    /* Inserts a new package row (status prepared) or updates the one there. */
    idp_status (*put_package)(idp_ctx *ctx, idp_ledger *l, const idp_ledger_package *pkg,
                              const char *ref, bool exists);
    /* Sets status `to` (submitted: the submission time too), the case id
     * when not NULL, and updated = max(updated, at). */
    idp_status (*set_status)(idp_ctx *ctx, idp_ledger *l, const char *ref, idp_ledger_status to,
                             const char *case_id, int64_t at);
    /* updated = max(updated, at). */
    idp_status (*touch)(idp_ctx *ctx, idp_ledger *l, const char *ref, int64_t at);
    /* Adds an event made by l->agent. */
    idp_status (*add_event)(idp_ctx *ctx, idp_ledger *l, const char *ref, int64_t at,
                            const char *kind, idp_ledger_status status, const char *case_id,
                            const char *note);
    /* Appends the matching packages to list (ordered by created, then
     * reference; overdue ones by submission time when overdue_only). */
    idp_status (*list)(idp_ctx *ctx, idp_ledger *l, const idp_ledger_filter *f, int64_t cutoff,
                       idp_ledger_list *list);
    /* Fills h in one read transaction; IDP_E_NOTFOUND for an unknown ref. */
    idp_status (*show)(idp_ctx *ctx, idp_ledger *l, const char *ref, int64_t cutoff,
                       idp_ledger_history *h);
} ledger_ops;

extern const ledger_ops ledger_sqlite_ops;
extern const ledger_ops ledger_pg_ops;

/* ---- Shared by the backends (idp_ledger.c) ---------------------------- */

/* The next free entry of list (grown as needed, zeroed); NULL and
 * IDP_E_NOMEM recorded when out of memory. */
idp_ledger_entry *ledger_list_push(idp_ctx *ctx, idp_ledger *l, idp_ledger_list *list);
/* The same for the events of h. */
idp_ledger_event *ledger_history_push(idp_ctx *ctx, idp_ledger *l, idp_ledger_history *h);
/* Frees (wiping personal data) what e holds and zeroes it. */
void ledger_entry_clear(idp_ledger_entry *e);
/* strdup that records IDP_E_NOMEM; NULL in stays NULL (true). */
bool ledger_dup(const char *s, char **out);

/* Whether a URI names a PostgreSQL server (postgresql:// or postgres://). */
bool ledger_is_uri(const char *target);

#endif
