/* What the ledger's unit tests share (test_ledger_schema.c,
 * test_ledger_writes.c, test_ledger_reads.c): new ledgers (a file in the
 * test's folder, or with IDP_TEST_LEDGER=postgresql a new database on the
 * server tests/pg_server.sh started), queries that inspect them by the
 * backend's own means (SQLite, libpq), not through the ledger, and small
 * steps every test takes. Static inline: each test program uses some. */
#ifndef IDP_LEDGER_TEST_H
#define IDP_LEDGER_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_ctx.h"
#include "idp_ledger.h"
#include "testutil.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 INT64_C(1795651200) /* 2026-11-26T00:00:00Z */
#define HOUR INT64_C(3600)

/* Whether the tests run against PostgreSQL. */
static inline bool pg_mode(void)
{
    const char *e = getenv("IDP_TEST_LEDGER");
    return e != NULL && strcmp(e, "postgresql") == 0;
}

/* A new ledger file name in the test's folder; with PostgreSQL, the URI of
 * a new database named after it ("life.sqlite": life). */
static inline const char *new_path(const char *name)
{
    static char buf[8][4200];
    static unsigned next;
    char *p = buf[next++ % 8];
    if (pg_mode()) {
        char db[64];
        size_t n = strcspn(name, ".");
        snprintf(db, sizeof(db), "%.*s", (int)n, name);
        assert_int_equal(tu_run("psql -q -X -c 'CREATE DATABASE %s' >/dev/null", db), 0);
        snprintf(p, sizeof(buf[0]), "postgresql://idpack@/%s?host=%s&port=%s", db,
                 getenv("IDP_PG_HOST"), getenv("IDP_PG_PORT"));
        return p;
    }
    snprintf(p, sizeof(buf[0]), "%s/%s", tu_tmpdir(), name);
    return p;
}

/* The first value of a query on a PostgreSQL ledger ("" for none). */
static inline const char *pg_query(const char *uri, const char *sql)
{
    static char out[256];
    PGconn *c = PQconnectdb(uri);
    PGresult *res;
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    res = PQexec(c, sql);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        fail_msg("%s: %s", sql, PQresultErrorMessage(res));
    snprintf(out, sizeof(out), "%s", PQntuples(res) > 0 ? PQgetvalue(res, 0, 0) : "");
    PQclear(res);
    PQfinish(c);
    return out;
}

/* The schema version, read by each backend's own means. */
#define SCHEMA_VERSION_SQL (pg_mode() ? "SELECT version FROM idpack_schema" : "PRAGMA user_version")

/* The integer a one-value query returns on the file, through SQLite. */
static inline long long query_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (pg_mode())
        return strtoll(pg_query(path, sql), NULL, 10);
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static inline const char *query_text(const char *path, const char *sql)
{
    static char out[256];
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    out[0] = '\0';
    if (pg_mode())
        return pg_query(path, sql);
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
        snprintf(out, sizeof(out), "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

static inline idp_ledger_package pkg_of(const char *ref, const char *customer, int64_t created)
{
    idp_ledger_package p = {
        .reference = ref,
        .customer = customer,
        .account_email = "seller@example.com",
        .lang = "it",
        .folder = "/srv/packages/x",
        .pdf_sha256 = "e5eacbc9d6f0a9c41b53c7a0f3b8e7f2d1c0b9a8f7e6d5c4b3a2918070605040",
        .created = created,
    };
    return p;
}

static inline void record(idp_ctx *ctx, idp_ledger *l, const char *ref, const char *customer,
                          int64_t created)
{
    idp_ledger_package p = pkg_of(ref, customer, created);
    idp_status st = idp_ledger_record(ctx, l, &p);
    if (st != IDP_OK)
        fail_msg("record %s: %s", ref, idp_ctx_error(ctx));
}

static inline idp_ledger *open_ok(idp_ctx *ctx, const char *path)
{
    idp_ledger *l = NULL;
    idp_status st = idp_ledger_open(ctx, path, &l);
    if (st != IDP_OK)
        fail_msg("open %s: %s", path, idp_ctx_error(ctx));
    return l;
}

/* Whether ref is overdue as of as_of with hours, through list and show. */
static inline bool overdue(idp_ctx *ctx, idp_ledger *l, const char *ref, int64_t as_of,
                           unsigned hours)
{
    idp_ledger_list *list = NULL;
    idp_ledger_history *h = NULL;
    idp_ledger_filter f = {.overdue_only = true, .as_of = as_of, .overdue_hours = hours};
    bool in_list = false, shown;

    assert_int_equal(idp_ledger_list_packages(ctx, l, &f, &list), IDP_OK);
    for (size_t i = 0; i < list->n; i++) {
        assert_true(list->entries[i].overdue);
        if (strcmp(list->entries[i].reference, ref) == 0)
            in_list = true;
    }
    idp_ledger_list_free(list);
    assert_int_equal(idp_ledger_show(ctx, l, ref, as_of, hours, &h), IDP_OK);
    shown = h->package.overdue;
    idp_ledger_history_free(h);
    assert_int_equal(in_list, shown);
    return shown;
}

#endif
