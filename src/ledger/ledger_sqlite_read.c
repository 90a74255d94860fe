/* The ledger on SQLite: reading packages and their events. */
#include "ledger_sqlite.h"

#include <stdlib.h>
#include <string.h>

#define PACKAGE_COLUMNS                                                                            \
    "reference, customer, account_email, lang, folder, pdf_sha256, case_id, status, created,"      \
    " submitted, updated"

/* A copy of text column i (NULL stays NULL); false when out of memory. */
static bool column_dup(sqlite3_stmt *st, int i, char **out)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    *out = NULL;
    if (t == NULL)
        return sqlite3_column_type(st, i) == SQLITE_NULL;
    *out = strdup((const char *)t);
    return *out != NULL;
}

static idp_status entry_from_row(idp_ctx *ctx, idp_ledger *l, sqlite3_stmt *st, int64_t cutoff,
                                 idp_ledger_entry *e)
{
    const char *status = (const char *)sqlite3_column_text(st, 7);

    memset(e, 0, sizeof(*e));
    if (!column_dup(st, 0, &e->reference) || !column_dup(st, 1, &e->customer) ||
        !column_dup(st, 2, &e->account_email) || !column_dup(st, 3, &e->lang) ||
        !column_dup(st, 4, &e->folder) || !column_dup(st, 5, &e->pdf_sha256) ||
        !column_dup(st, 6, &e->case_id)) {
        ledger_entry_clear(e);
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", l->path);
    }
    if (e->reference == NULL || e->lang == NULL || e->folder == NULL || status == NULL ||
        !idp_ledger_status_parse(status, &e->status)) {
        ledger_entry_clear(e);
        return idp_fail(ctx, IDP_E_CORRUPT, "%s: a package row is damaged", l->path);
    }
    e->created = sqlite3_column_int64(st, 8);
    e->has_submitted = sqlite3_column_type(st, 9) != SQLITE_NULL;
    e->submitted = e->has_submitted ? sqlite3_column_int64(st, 9) : 0;
    e->updated = sqlite3_column_int64(st, 10);
    e->overdue = e->status == IDP_LEDGER_SUBMITTED && e->has_submitted && e->submitted < cutoff;
    return IDP_OK;
}

idp_status ledger_sqlite_list(idp_ctx *ctx, idp_ledger *l, const idp_ledger_filter *f,
                              int64_t cutoff, idp_ledger_list *list)
{
    static const char sql[] =
        "SELECT " PACKAGE_COLUMNS " FROM packages p"
        " WHERE (?1 IS NULL OR status = ?1)"
        " AND (?2 = 0 OR (status = 'submitted' AND submitted < ?3))"
        " AND (?4 IS NULL OR customer = ?4)"
        " AND (?5 = 0 OR (status = 'prepared' AND submitted IS NULL))"
        " AND (?6 IS NULL OR EXISTS (SELECT 1 FROM events e"
        "  WHERE e.reference = p.reference AND e.agent = ?6))"
        " ORDER BY CASE WHEN ?2 = 0 THEN 0 ELSE submitted END, created, reference";
    sqlite3_stmt *st = NULL;
    idp_ledger_entry *e;
    idp_status s;
    int rc;

    s = ledger_sqlite_prepare(ctx, l, sql, &st);
    if (s != IDP_OK)
        goto out;
    rc = ledger_sqlite_bind_text(st, 1, f->by_status ? idp_ledger_status_name(f->status) : NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int(st, 2, f->overdue_only ? 1 : 0);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 3, cutoff);
    if (rc == SQLITE_OK)
        rc = ledger_sqlite_bind_text(st, 4, f->customer);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int(st, 5, f->never_submitted ? 1 : 0);
    if (rc == SQLITE_OK)
        rc = ledger_sqlite_bind_text(st, 6, f->agent);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((e = ledger_list_push(ctx, l, list)) == NULL) {
            s = IDP_E_NOMEM;
            goto out;
        }
        s = entry_from_row(ctx, l, st, cutoff, e);
        if (s != IDP_OK)
            goto out;
        rc = SQLITE_OK;
    }
    if (rc != SQLITE_DONE)
        s = ledger_sqlite_fail(ctx, l, rc, "list the packages");
out:
    sqlite3_finalize(st);
    return s;
}

static idp_status read_events(idp_ctx *ctx, idp_ledger *l, const char *ref, idp_ledger_history *h)
{
    sqlite3_stmt *st = NULL;
    idp_status s;
    int rc;

    s = ledger_sqlite_prepare(ctx, l,
                              "SELECT id, at, kind, status, case_id, note, agent FROM events"
                              " WHERE reference = ?1 ORDER BY at, id",
                              &st);
    if (s != IDP_OK)
        goto out;
    rc = ledger_sqlite_bind_text(st, 1, ref);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *status = (const char *)sqlite3_column_text(st, 3);
        idp_ledger_event *ev = ledger_history_push(ctx, l, h);
        if (ev == NULL) {
            s = IDP_E_NOMEM;
            goto out;
        }
        ev->id = sqlite3_column_int64(st, 0);
        ev->at = sqlite3_column_int64(st, 1);
        if (!column_dup(st, 2, &ev->kind) || !column_dup(st, 4, &ev->case_id) ||
            !column_dup(st, 5, &ev->note) || !column_dup(st, 6, &ev->agent)) {
            s = idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", l->path);
            goto out;
        }
        if (ev->kind == NULL || status == NULL || !idp_ledger_status_parse(status, &ev->status)) {
            s = idp_fail(ctx, IDP_E_CORRUPT, "%s: an event of %s is damaged", l->path, ref);
            goto out;
        }
        rc = SQLITE_OK;
    }
    if (rc != SQLITE_DONE)
        s = ledger_sqlite_fail(ctx, l, rc, "read the events");
out:
    sqlite3_finalize(st);
    return s;
}

idp_status ledger_sqlite_show(idp_ctx *ctx, idp_ledger *l, const char *ref, int64_t cutoff,
                              idp_ledger_history *h)
{
    sqlite3 *db = LEDGER_DB(l);
    sqlite3_stmt *st = NULL;
    idp_status s;
    int rc;

    /* One read transaction: the package and its events agree. */
    rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return ledger_sqlite_fail(ctx, l, rc, "start reading");
    s = ledger_sqlite_prepare(ctx, l,
                              "SELECT " PACKAGE_COLUMNS " FROM packages WHERE reference = ?1", &st);
    if (s != IDP_OK)
        goto out;
    rc = ledger_sqlite_bind_text(st, 1, ref);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        s = idp_fail(ctx, IDP_E_NOTFOUND, "%s: no such package in the ledger %s", ref, l->path);
        goto out;
    }
    if (rc != SQLITE_ROW) {
        s = ledger_sqlite_fail(ctx, l, rc, "read a package");
        goto out;
    }
    s = entry_from_row(ctx, l, st, cutoff, &h->package);
    if (s != IDP_OK)
        goto out;
    s = read_events(ctx, l, ref, h);
out:
    sqlite3_finalize(st);
    if (!sqlite3_get_autocommit(db))
        (void)sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return s;
}
