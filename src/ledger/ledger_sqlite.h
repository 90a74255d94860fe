/* Inside the SQLite backend: what its connection file (ledger_sqlite.c)
 * and its reading file (ledger_sqlite_read.c) share. Not a public header. */
#ifndef IDP_LEDGER_SQLITE_H
#define IDP_LEDGER_SQLITE_H

#include "ledger_backend.h"

#include <sqlite3.h>

#define LEDGER_DB(l) ((sqlite3 *)(l)->db)

/* Records the SQLite failure rc of `what` on the ledger file. */
idp_status ledger_sqlite_fail(idp_ctx *ctx, const idp_ledger *l, int rc, const char *what);
/* Prepares sql; *st NULL and the failure recorded when it cannot. */
idp_status ledger_sqlite_prepare(idp_ctx *ctx, idp_ledger *l, const char *sql, sqlite3_stmt **st);
/* Binds s (NULL binds NULL); SQLite copies it. */
int ledger_sqlite_bind_text(sqlite3_stmt *st, int i, const char *s);

idp_status ledger_sqlite_list(idp_ctx *ctx, idp_ledger *l, const idp_ledger_filter *f,
                              int64_t cutoff, idp_ledger_list *list);
idp_status ledger_sqlite_show(idp_ctx *ctx, idp_ledger *l, const char *ref, int64_t cutoff,
                              idp_ledger_history *h);

#endif
