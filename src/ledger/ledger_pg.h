/* Inside the PostgreSQL backend: what its connection file (ledger_pg.c)
 * and its reading file (ledger_pg_read.c) share. Not a public header. */
#ifndef IDP_LEDGER_PG_H
#define IDP_LEDGER_PG_H

#include "ledger_backend.h"

#include <libpq-fe.h>

#define LEDGER_CONN(l) ((PGconn *)(l)->db)

/* Runs sql with n text parameters (NULL: SQL NULL). On success *out (if
 * not NULL) is the result, which the caller PQclear()s; else the failure
 * of `what` is recorded (and l->retry set for a conflict). */
idp_status ledger_pg_exec(idp_ctx *ctx, idp_ledger *l, const char *sql, int n,
                          const char *const *params, const char *what, PGresult **out);
/* Reconnects a lost connection; IDP_E_IO when the server cannot be reached. */
idp_status ledger_pg_ensure(idp_ctx *ctx, idp_ledger *l);
/* Runs constant SQL (one or more statements, no values) and drops its
 * result; the failure of `what` recorded. */
idp_status ledger_pg_command(idp_ctx *ctx, idp_ledger *l, const char *sql, const char *what);

idp_status ledger_pg_list(idp_ctx *ctx, idp_ledger *l, const idp_ledger_filter *f, int64_t cutoff,
                          idp_ledger_list *list);
idp_status ledger_pg_show(idp_ctx *ctx, idp_ledger *l, const char *ref, int64_t cutoff,
                          idp_ledger_history *h);

#endif
