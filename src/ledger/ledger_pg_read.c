/* The ledger on PostgreSQL: reading packages and their events. */
#include "ledger_pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PACKAGE_COLUMNS                                                                            \
    "reference, customer, account_email, lang, folder, pdf_sha256, case_id, status, created,"      \
    " submitted, updated"

/* A copy of field (row, col) (SQL NULL stays NULL); false when out of memory. */
static bool field_dup(const PGresult *res, int row, int col, char **out)
{
    return ledger_dup(PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col), out);
}

static int64_t field_int(const PGresult *res, int row, int col)
{
    return (int64_t)strtoll(PQgetvalue(res, row, col), NULL, 10);
}

static idp_status entry_from_row(idp_ctx *ctx, idp_ledger *l, const PGresult *res, int row,
                                 int64_t cutoff, idp_ledger_entry *e)
{
    memset(e, 0, sizeof(*e));
    if (!field_dup(res, row, 0, &e->reference) || !field_dup(res, row, 1, &e->customer) ||
        !field_dup(res, row, 2, &e->account_email) || !field_dup(res, row, 3, &e->lang) ||
        !field_dup(res, row, 4, &e->folder) || !field_dup(res, row, 5, &e->pdf_sha256) ||
        !field_dup(res, row, 6, &e->case_id)) {
        ledger_entry_clear(e);
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", l->path);
    }
    if (e->reference == NULL || e->lang == NULL || e->folder == NULL || PQgetisnull(res, row, 7) ||
        !idp_ledger_status_parse(PQgetvalue(res, row, 7), &e->status)) {
        ledger_entry_clear(e);
        return idp_fail(ctx, IDP_E_CORRUPT, "%s: a package row is damaged", l->path);
    }
    e->created = field_int(res, row, 8);
    e->has_submitted = !PQgetisnull(res, row, 9);
    e->submitted = e->has_submitted ? field_int(res, row, 9) : 0;
    e->updated = field_int(res, row, 10);
    e->overdue = e->status == IDP_LEDGER_SUBMITTED && e->has_submitted && e->submitted < cutoff;
    return IDP_OK;
}

idp_status ledger_pg_list(idp_ctx *ctx, idp_ledger *l, const idp_ledger_filter *f, int64_t cutoff,
                          idp_ledger_list *list)
{
    static const char sql[] =
        "SELECT " PACKAGE_COLUMNS " FROM packages p"
        " WHERE ($1::text IS NULL OR status = $1::text)"
        " AND ($2::int = 0 OR (status = 'submitted' AND submitted < $3::bigint))"
        " AND ($4::text IS NULL OR customer = $4::text)"
        " AND ($5::int = 0 OR (status = 'prepared' AND submitted IS NULL))"
        " AND ($6::text IS NULL OR EXISTS (SELECT 1 FROM events e"
        "  WHERE e.reference = p.reference AND e.agent = $6::text))"
        " ORDER BY CASE WHEN $2::int = 0 THEN 0 ELSE submitted END, created, reference";
    char co[24];
    const char *p[] = {f->by_status ? idp_ledger_status_name(f->status) : NULL,
                       f->overdue_only ? "1" : "0",
                       co,
                       f->customer,
                       f->never_submitted ? "1" : "0",
                       f->agent};
    PGresult *res = NULL;
    idp_status s;

    snprintf(co, sizeof(co), "%lld", (long long)cutoff);
    s = ledger_pg_ensure(ctx, l);
    if (s == IDP_OK)
        s = ledger_pg_exec(ctx, l, sql, 6, p, "list the packages", &res);
    for (int i = 0; s == IDP_OK && i < PQntuples(res); i++) {
        idp_ledger_entry *e = ledger_list_push(ctx, l, list);
        s = e == NULL ? IDP_E_NOMEM : entry_from_row(ctx, l, res, i, cutoff, e);
    }
    PQclear(res);
    return s;
}

static idp_status read_events(idp_ctx *ctx, idp_ledger *l, const char *ref, idp_ledger_history *h)
{
    const char *p[] = {ref};
    PGresult *res = NULL;
    idp_status s = ledger_pg_exec(ctx, l,
                                  "SELECT id, at, kind, status, case_id, note, agent FROM events"
                                  " WHERE reference = $1 ORDER BY at, id",
                                  1, p, "read the events", &res);

    for (int i = 0; s == IDP_OK && i < PQntuples(res); i++) {
        idp_ledger_event *ev = ledger_history_push(ctx, l, h);
        if (ev == NULL) {
            s = IDP_E_NOMEM;
            break;
        }
        ev->id = field_int(res, i, 0);
        ev->at = field_int(res, i, 1);
        if (!field_dup(res, i, 2, &ev->kind) || !field_dup(res, i, 4, &ev->case_id) ||
            !field_dup(res, i, 5, &ev->note) || !field_dup(res, i, 6, &ev->agent)) {
            s = idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", l->path);
            break;
        }
        if (ev->kind == NULL || PQgetisnull(res, i, 3) ||
            !idp_ledger_status_parse(PQgetvalue(res, i, 3), &ev->status))
            s = idp_fail(ctx, IDP_E_CORRUPT, "%s: an event of %s is damaged", l->path, ref);
    }
    PQclear(res);
    return s;
}

idp_status ledger_pg_show(idp_ctx *ctx, idp_ledger *l, const char *ref, int64_t cutoff,
                          idp_ledger_history *h)
{
    const char *p[] = {ref};
    PGresult *res = NULL;
    idp_status s = ledger_pg_ensure(ctx, l);

    /* One snapshot: the package and its events agree. */
    if (s == IDP_OK)
        s = ledger_pg_command(ctx, l, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                              "start reading");
    if (s == IDP_OK)
        s = ledger_pg_exec(ctx, l, "SELECT " PACKAGE_COLUMNS " FROM packages WHERE reference = $1",
                           1, p, "read a package", &res);
    if (s == IDP_OK && PQntuples(res) == 0)
        s = idp_fail(ctx, IDP_E_NOTFOUND, "%s: no such package in the ledger %s", ref, l->path);
    if (s == IDP_OK)
        s = entry_from_row(ctx, l, res, 0, cutoff, &h->package);
    if (s == IDP_OK)
        s = read_events(ctx, l, ref, h);
    PQclear(res);
    if (PQstatus(LEDGER_CONN(l)) == CONNECTION_OK &&
        PQtransactionStatus(LEDGER_CONN(l)) != PQTRANS_IDLE)
        PQclear(PQexec(LEDGER_CONN(l), "ROLLBACK"));
    return s;
}
