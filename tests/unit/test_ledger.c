/* The ledger: creating and opening, the life of a package (record, mark,
 * note, list, show), the 48-hour overdue boundary, refusals (unknown
 * reference, invalid status or change), migration of a version-1 file made
 * with the sqlite3 shell, a locked file, and four processes writing at
 * once. Files are inspected with SQLite directly, not through the ledger.
 * With IDP_TEST_LEDGER=postgresql (tests/pg_server.sh), the tests that do
 * not depend on SQLite's files run against a new database each on the
 * test's server, inspected with libpq. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_ctx.h"
#include "idp_ledger.h"
#include "testutil.h"

#include <libpq-fe.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define T0 INT64_C(1795651200) /* 2026-11-26T00:00:00Z */
#define HOUR INT64_C(3600)

static int run(const char *fmt, ...) IDP_PRINTF(1, 2);

/* Whether the tests run against PostgreSQL. */
static bool pg_mode(void)
{
    const char *e = getenv("IDP_TEST_LEDGER");
    return e != NULL && strcmp(e, "postgresql") == 0;
}

/* A new ledger file name in the test's folder; with PostgreSQL, the URI of
 * a new database named after it ("life.sqlite": life). */
static const char *new_path(const char *name)
{
    static char buf[8][4200];
    static unsigned next;
    char *p = buf[next++ % 8];
    if (pg_mode()) {
        char db[64];
        size_t n = strcspn(name, ".");
        snprintf(db, sizeof(db), "%.*s", (int)n, name);
        assert_int_equal(run("psql -q -X -c 'CREATE DATABASE %s' >/dev/null", db), 0);
        snprintf(p, sizeof(buf[0]), "postgresql://idpack@/%s?host=%s&port=%s", db,
                 getenv("IDP_PG_HOST"), getenv("IDP_PG_PORT"));
        return p;
    }
    snprintf(p, sizeof(buf[0]), "%s/%s", tu_tmpdir(), name);
    return p;
}

/* The first value of a query on a PostgreSQL ledger ("" for none). */
static const char *pg_query(const char *uri, const char *sql)
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
static long long query_int(const char *path, const char *sql)
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

static const char *query_text(const char *path, const char *sql)
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

static int run(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    int rc;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    rc = system(cmd);
    return rc == -1 ? -1 : (rc >> 8) & 0xff;
}

static idp_ledger_package pkg_of(const char *ref, const char *customer, int64_t created)
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

static void record(idp_ctx *ctx, idp_ledger *l, const char *ref, const char *customer,
                   int64_t created)
{
    idp_ledger_package p = pkg_of(ref, customer, created);
    idp_status st = idp_ledger_record(ctx, l, &p);
    if (st != IDP_OK)
        fail_msg("record %s: %s", ref, idp_ctx_error(ctx));
}

static idp_ledger *open_ok(idp_ctx *ctx, const char *path)
{
    idp_ledger *l = NULL;
    idp_status st = idp_ledger_open(ctx, path, &l);
    if (st != IDP_OK)
        fail_msg("open %s: %s", path, idp_ctx_error(ctx));
    return l;
}

static void test_create_open(void **state)
{
    const char *path = new_path("new.sqlite");
    idp_ctx *ctx = NULL;
    idp_ledger *l = NULL;
    struct stat sb;
    (void)state;

    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    l = open_ok(ctx, path);
    assert_string_equal(idp_ledger_path(l), path);
    idp_ledger_close(l);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(query_int(path, "PRAGMA user_version"), IDP_LEDGER_SCHEMA_VERSION);
    assert_string_equal(query_text(path, "PRAGMA journal_mode"), "wal");
    assert_int_equal(query_int(path, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
                                     " AND name IN ('packages', 'events')"),
                     2);
    /* Opening again changes nothing. */
    l = open_ok(ctx, path);
    idp_ledger_close(l);
    assert_int_equal(query_int(path, "PRAGMA user_version"), IDP_LEDGER_SCHEMA_VERSION);
    /* A looser file of ours is made private. */
    assert_int_equal(chmod(path, 0644), 0);
    l = open_ok(ctx, path);
    idp_ledger_close(l);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    idp_ledger_close(NULL);
    idp_ctx_destroy(ctx);
}

static void test_open_errors(void **state)
{
    idp_ctx *ctx = NULL;
    idp_ledger *l = NULL;
    const char *missing = new_path("no-such-folder/ledger.sqlite");
    const char *text = new_path("notes.sqlite");
    const char *other = new_path("other.sqlite");
    const char *newer = new_path("newer.sqlite");
    FILE *f;
    (void)state;

    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(idp_ledger_open(ctx, missing, &l), IDP_E_CREATE);
    assert_null(l);
    assert_non_null(strstr(idp_ctx_error(ctx), missing));

    f = fopen(text, "w");
    assert_non_null(f);
    for (int i = 0; i < 200; i++)
        fputs("this is not a database, just some notes\n", f);
    fclose(f);
    assert_int_equal(idp_ledger_open(ctx, text, &l), IDP_E_CORRUPT);
    assert_null(l);
    assert_non_null(strstr(idp_ctx_error(ctx), text));

    assert_int_equal(run("sqlite3 '%s' 'CREATE TABLE recipes (name TEXT);'", other), 0);
    assert_int_equal(idp_ledger_open(ctx, other, &l), IDP_E_FORMAT);
    assert_non_null(strstr(idp_ctx_error(ctx), other));
    assert_non_null(strstr(idp_ctx_error(ctx), "not an idpack ledger"));
    assert_int_equal(query_int(other, "PRAGMA user_version"), 0); /* untouched */

    assert_int_equal(run("sqlite3 '%s' 'PRAGMA user_version = 99;'", newer), 0);
    assert_int_equal(idp_ledger_open(ctx, newer, &l), IDP_E_FORMAT);
    assert_non_null(strstr(idp_ctx_error(ctx), "99"));
    assert_int_equal(query_int(newer, "PRAGMA user_version"), 99);
    idp_ctx_destroy(ctx);
}

/* A URI as it may be printed: never its password. */
static void test_display_name(void **state)
{
    static const char *const cases[][2] = {
        {"/srv/ledger.sqlite", "/srv/ledger.sqlite"},
        {"postgresql://maria@db/idpack", "postgresql://maria@db/idpack"},
        {"postgresql://maria:s3cret@db:5432/idpack?sslmode=require",
         "postgresql://maria:***@db:5432/idpack?sslmode=require"},
        {"postgres://:s3cret@db/idpack", "postgres://:***@db/idpack"},
        {"postgresql://maria:s3@cr@et@db/idpack", "postgresql://maria:***@db/idpack"},
        {"postgresql://maria:s3/cret@db/idpack", "postgresql://maria:***@db/idpack"},
        {"postgresql:///idpack?host=/run/pg&password=s3cret&port=5433",
         "postgresql:///idpack?host=/run/pg&password=***&port=5433"},
        {"postgresql:///idpack?sslpassword=s3cret", "postgresql:///idpack?sslpassword=***"},
        {"postgresql:///idpack?pass%77ord=s3cret#x", "postgresql:///idpack?pass%77ord=***#x"},
        {"postgresql:///idpack?user=a&password=", "postgresql:///idpack?user=a&password=***"},
        {"postgresql://host/idpack?application_name=passwords",
         "postgresql://host/idpack?application_name=passwords"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *shown = idp_ledger_display_name(cases[i][0]);
        assert_non_null(shown);
        assert_string_equal(shown, cases[i][1]);
        assert_null(strstr(shown, "s3"));
        free(shown);
    }
    assert_true(idp_ledger_is_uri("postgres://x/y"));
    assert_false(idp_ledger_is_uri("postgresql:/x"));
    assert_false(idp_ledger_is_uri("./postgresql://x"));
}

static void test_status_names(void **state)
{
    idp_ledger_status s;
    (void)state;
    for (int i = IDP_LEDGER_PREPARED; i <= IDP_LEDGER_REJECTED; i++) {
        assert_true(idp_ledger_status_parse(idp_ledger_status_name((idp_ledger_status)i), &s));
        assert_int_equal(s, i);
    }
    assert_false(idp_ledger_status_parse("Submitted", &s));
    assert_false(idp_ledger_status_parse("answered", &s));
    assert_string_equal(idp_ledger_status_name((idp_ledger_status)9), "?");
}

static void test_life_of_a_package(void **state)
{
    const char *path = new_path("life.sqlite");
    idp_ctx *ctx = NULL;
    idp_ledger *l;
    idp_ledger_list *list = NULL;
    idp_ledger_history *h = NULL;
    idp_ledger_filter f;
    idp_ledger_package p;
    (void)state;

    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    l = open_ok(ctx, path);
    record(ctx, l, "IDP-BBBB-0002", "Bravo S.r.l.", T0 + 2 * HOUR);
    record(ctx, l, "IDP-AAAA-0001", "Alfa", T0 + 1 * HOUR);
    record(ctx, l, "IDP-CCCC-0003", NULL, T0 + 3 * HOUR);
    /* A rebuild of the same reference: one row, one more event, a new folder. */
    p = pkg_of("IDP-AAAA-0001", "Alfa", T0 + 1 * HOUR);
    p.folder = "/srv/packages/moved";
    assert_int_equal(idp_ledger_record(ctx, l, &p), IDP_OK);
    assert_int_equal(query_int(path, "SELECT count(*) FROM packages"), 3);

    assert_int_equal(idp_ledger_mark(ctx, l, "IDP-AAAA-0001", IDP_LEDGER_SUBMITTED, "12345678901",
                                     "sent from the agency portal", T0 + 5 * HOUR),
                     IDP_OK);
    assert_int_equal(
        idp_ledger_note(ctx, l, "IDP-AAAA-0001", "Amazon asked to wait", T0 + 30 * HOUR), IDP_OK);
    /* Lower case and Crockford's O for 0 name the same package. */
    assert_int_equal(
        idp_ledger_mark(ctx, l, "idp-aaaa-OOO1", IDP_LEDGER_RESOLVED, NULL, NULL, T0 + 40 * HOUR),
        IDP_OK);

    /* list: everything, oldest first */
    assert_int_equal(idp_ledger_list_packages(ctx, l, NULL, &list), IDP_OK);
    assert_int_equal(list->n, 3);
    assert_string_equal(list->entries[0].reference, "IDP-AAAA-0001");
    assert_string_equal(list->entries[1].reference, "IDP-BBBB-0002");
    assert_string_equal(list->entries[2].reference, "IDP-CCCC-0003");
    assert_int_equal(list->entries[0].status, IDP_LEDGER_RESOLVED);
    assert_string_equal(list->entries[0].case_id, "12345678901"); /* kept by resolved */
    assert_string_equal(list->entries[0].folder, "/srv/packages/moved");
    assert_true(list->entries[0].has_submitted);
    assert_int_equal(list->entries[0].submitted, T0 + 5 * HOUR);
    assert_int_equal(list->entries[0].updated, T0 + 40 * HOUR);
    assert_string_equal(list->entries[1].customer, "Bravo S.r.l.");
    assert_string_equal(list->entries[1].account_email, "seller@example.com");
    assert_string_equal(list->entries[1].lang, "it");
    assert_int_equal(list->entries[1].status, IDP_LEDGER_PREPARED);
    assert_false(list->entries[1].has_submitted);
    assert_null(list->entries[2].customer);
    assert_null(list->entries[2].case_id);
    idp_ledger_list_free(list);

    /* list by status */
    memset(&f, 0, sizeof(f));
    f.by_status = true;
    f.status = IDP_LEDGER_PREPARED;
    f.as_of = T0;
    assert_int_equal(idp_ledger_list_packages(ctx, l, &f, &list), IDP_OK);
    assert_int_equal(list->n, 2);
    assert_string_equal(list->entries[0].reference, "IDP-BBBB-0002");
    idp_ledger_list_free(list);
    f.status = IDP_LEDGER_REJECTED;
    assert_int_equal(idp_ledger_list_packages(ctx, l, &f, &list), IDP_OK);
    assert_int_equal(list->n, 0);
    idp_ledger_list_free(list);

    /* show: the package and its events in order, with their text */
    assert_int_equal(idp_ledger_show(ctx, l, "IDP-AAAA-0001", T0 + 100 * HOUR, 0, &h), IDP_OK);
    assert_string_equal(h->package.reference, "IDP-AAAA-0001");
    assert_int_equal(h->package.status, IDP_LEDGER_RESOLVED);
    assert_false(h->package.overdue);
    assert_int_equal(h->n_events, 5);
    assert_string_equal(h->events[0].kind, "prepared");
    assert_string_equal(h->events[0].note, "/srv/packages/x");
    assert_int_equal(h->events[0].at, T0 + HOUR);
    assert_string_equal(h->events[1].kind, "rebuilt");
    assert_string_equal(h->events[1].note, "/srv/packages/moved");
    assert_string_equal(h->events[2].kind, "submitted");
    assert_int_equal(h->events[2].status, IDP_LEDGER_SUBMITTED);
    assert_string_equal(h->events[2].case_id, "12345678901");
    assert_string_equal(h->events[2].note, "sent from the agency portal");
    assert_int_equal(h->events[2].at, T0 + 5 * HOUR);
    assert_string_equal(h->events[3].kind, "note");
    assert_int_equal(h->events[3].status, IDP_LEDGER_SUBMITTED);
    assert_string_equal(h->events[3].note, "Amazon asked to wait");
    assert_string_equal(h->events[4].kind, "resolved");
    assert_null(h->events[4].note);
    for (size_t i = 1; i < h->n_events; i++)
        assert_true(h->events[i].id > h->events[i - 1].id);
    idp_ledger_history_free(h);
    idp_ledger_history_free(NULL);
    idp_ledger_list_free(NULL);

    /* Every change is an event row; nothing else is stored. */
    assert_int_equal(query_int(path, "SELECT count(*) FROM events"), 7);
    assert_int_equal(
        query_int(path, "SELECT count(*) FROM events WHERE at IS NULL OR kind IS NULL"), 0);
    idp_ledger_close(l);
    idp_ctx_destroy(ctx);
}

static void test_transitions(void **state)
{
    const char *path = new_path("transitions.sqlite");
    idp_ctx *ctx = NULL;
    idp_ledger *l;
    const char *r = "IDP-DDDD-0004", *q = "IDP-EEEE-0005";
    (void)state;

    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    l = open_ok(ctx, path);
    record(ctx, l, r, NULL, T0);
    record(ctx, l, q, NULL, T0);

    /* invalid statuses */
    assert_int_equal(idp_ledger_mark(ctx, l, r, IDP_LEDGER_PREPARED, NULL, NULL, T0), IDP_E_USAGE);
    assert_non_null(strstr(idp_ctx_error(ctx), "prepared"));
    assert_int_equal(idp_ledger_mark(ctx, l, r, (idp_ledger_status)42, NULL, NULL, T0),
                     IDP_E_USAGE);
    assert_non_null(strstr(idp_ctx_error(ctx), r));
    /* malformed case ids and notes */
    assert_int_equal(idp_ledger_mark(ctx, l, r, IDP_LEDGER_SUBMITTED, "12 34", NULL, T0),
                     IDP_E_FIELD);
    assert_int_equal(idp_ledger_mark(ctx, l, r, IDP_LEDGER_SUBMITTED, "", NULL, T0), IDP_E_FIELD);
    assert_int_equal(idp_ledger_mark(ctx, l, r, IDP_LEDGER_SUBMITTED, NULL, "bell\a", T0),
                     IDP_E_FIELD);
    assert_int_equal(idp_ledger_note(ctx, l, r, "", T0), IDP_E_FIELD);
    assert_int_equal(idp_ledger_note(ctx, l, r, "bad \xc3\x28 utf-8", T0), IDP_E_FIELD);
    {
        char big[IDP_LEDGER_NOTE_MAX + 2];
        memset(big, 'x', sizeof(big) - 1);
        big[sizeof(big) - 1] = '\0';
        assert_int_equal(idp_ledger_note(ctx, l, r, big, T0), IDP_E_FIELD);
        big[IDP_LEDGER_NOTE_MAX] = '\0';
        assert_int_equal(idp_ledger_note(ctx, l, r, big, T0), IDP_OK);
    }
    assert_int_equal(idp_ledger_note(ctx, l, r, "Łukasz rang\tat 9", T0), IDP_OK);
    /* nothing above changed the status */
    assert_string_equal(query_text(path, "SELECT status FROM packages WHERE reference = "
                                         "'IDP-DDDD-0004'"),
                        "prepared");

    /* prepared -> rejected (an answer without the submission recorded) */
    assert_int_equal(idp_ledger_mark(ctx, l, q, IDP_LEDGER_REJECTED, NULL, NULL, T0 + HOUR),
                     IDP_OK);
    assert_int_equal(idp_ledger_mark(ctx, l, q, IDP_LEDGER_REJECTED, NULL, NULL, T0 + HOUR),
                     IDP_E_USAGE);
    /* rejected -> submitted (a re-submission) -> resolved, then final */
    assert_int_equal(idp_ledger_mark(ctx, l, q, IDP_LEDGER_SUBMITTED, "C-2", NULL, T0 + 2 * HOUR),
                     IDP_OK);
    assert_int_equal(idp_ledger_mark(ctx, l, q, IDP_LEDGER_SUBMITTED, "C-3", NULL, T0 + 3 * HOUR),
                     IDP_OK);
    assert_int_equal(query_int(path, "SELECT submitted FROM packages WHERE reference = "
                                     "'IDP-EEEE-0005'"),
                     T0 + 3 * HOUR);
    assert_int_equal(idp_ledger_mark(ctx, l, q, IDP_LEDGER_RESOLVED, NULL, NULL, T0 + 4 * HOUR),
                     IDP_OK);
    for (int s = IDP_LEDGER_SUBMITTED; s <= IDP_LEDGER_REJECTED; s++) {
        assert_int_equal(idp_ledger_mark(ctx, l, q, (idp_ledger_status)s, NULL, NULL, T0),
                         IDP_E_USAGE);
        assert_non_null(strstr(idp_ctx_error(ctx), "resolved"));
    }
    assert_string_equal(query_text(path, "SELECT status FROM packages WHERE reference = "
                                         "'IDP-EEEE-0005'"),
                        "resolved");
    assert_string_equal(query_text(path, "SELECT case_id FROM packages WHERE reference = "
                                         "'IDP-EEEE-0005'"),
                        "C-3");
    /* A refused change leaves no event. */
    assert_int_equal(query_int(path, "SELECT count(*) FROM events WHERE reference = "
                                     "'IDP-EEEE-0005'"),
                     5);
    idp_ledger_close(l);
    idp_ctx_destroy(ctx);
}

static void test_unknown_reference(void **state)
{
    const char *path = new_path("unknown.sqlite");
    idp_ctx *ctx = NULL;
    idp_ledger *l;
    idp_ledger_history *h = NULL;
    (void)state;

    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    l = open_ok(ctx, path);
    record(ctx, l, "IDP-FFFF-0006", NULL, T0);
    assert_int_equal(idp_ledger_mark(ctx, l, "IDP-ZZZZ-9999", IDP_LEDGER_SUBMITTED, NULL, NULL, T0),
                     IDP_E_NOTFOUND);
    assert_non_null(strstr(idp_ctx_error(ctx), "IDP-ZZZZ-9999"));
    assert_int_equal(idp_ledger_note(ctx, l, "IDP-ZZZZ-9998", "hello", T0), IDP_E_NOTFOUND);
    assert_non_null(strstr(idp_ctx_error(ctx), "IDP-ZZZZ-9998"));
    assert_int_equal(idp_ledger_show(ctx, l, "IDP-ZZZZ-9997", T0, 0, &h), IDP_E_NOTFOUND);
    assert_null(h);
    assert_non_null(strstr(idp_ctx_error(ctx), "IDP-ZZZZ-9997"));
    assert_int_equal(idp_ledger_show(ctx, l, "not a reference", T0, 0, &h), IDP_E_NOTFOUND);
    assert_int_equal(query_int(path, "SELECT count(*) FROM events"), 1);
    idp_ledger_close(l);
    idp_ctx_destroy(ctx);
}

/* Whether ref is overdue as of as_of with hours, through list and show. */
static bool overdue(idp_ctx *ctx, idp_ledger *l, const char *ref, int64_t as_of, unsigned hours)
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

static void test_overdue_boundary(void **state)
{
    const char *path = new_path("overdue.sqlite");
    idp_ctx *ctx = NULL;
    idp_ledger *l;
    const int64_t sub = T0 + 10 * HOUR;
    const char *s = "IDP-GGGG-0007", *p = "IDP-HHHH-0008", *r = "IDP-JJJJ-0009";
    (void)state;

    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    l = open_ok(ctx, path);
    record(ctx, l, s, NULL, T0);
    record(ctx, l, p, NULL, T0);
    record(ctx, l, r, NULL, T0);
    assert_int_equal(idp_ledger_mark(ctx, l, s, IDP_LEDGER_SUBMITTED, "1", NULL, sub), IDP_OK);
    assert_int_equal(idp_ledger_mark(ctx, l, r, IDP_LEDGER_SUBMITTED, "2", NULL, sub), IDP_OK);
    assert_int_equal(idp_ledger_mark(ctx, l, r, IDP_LEDGER_REJECTED, NULL, NULL, sub + HOUR),
                     IDP_OK);

    /* The default is 48 hours; exactly 48 hours is not yet overdue. */
    assert_false(overdue(ctx, l, s, sub, 0));
    assert_false(overdue(ctx, l, s, sub + 48 * HOUR - 1, 0));
    assert_false(overdue(ctx, l, s, sub + 48 * HOUR, 0));
    assert_true(overdue(ctx, l, s, sub + 48 * HOUR + 1, 0));
    assert_true(overdue(ctx, l, s, sub + 48 * HOUR + 1, IDP_LEDGER_OVERDUE_HOURS));
    /* configurable */
    assert_false(overdue(ctx, l, s, sub + 24 * HOUR, 24));
    assert_true(overdue(ctx, l, s, sub + 24 * HOUR + 1, 24));
    assert_false(overdue(ctx, l, s, sub + 48 * HOUR + 1, 72));
    /* Only submitted packages are ever overdue. */
    assert_false(overdue(ctx, l, p, sub + 1000 * HOUR, 0));
    assert_false(overdue(ctx, l, r, sub + 1000 * HOUR, 0));
    /* A re-submission restarts the clock; an answer stops it. */
    assert_int_equal(idp_ledger_mark(ctx, l, s, IDP_LEDGER_SUBMITTED, NULL, NULL, sub + 47 * HOUR),
                     IDP_OK);
    assert_false(overdue(ctx, l, s, sub + 60 * HOUR, 0));
    assert_true(overdue(ctx, l, s, sub + 96 * HOUR, 0));
    assert_int_equal(idp_ledger_mark(ctx, l, s, IDP_LEDGER_RESOLVED, NULL, NULL, sub + 97 * HOUR),
                     IDP_OK);
    assert_false(overdue(ctx, l, s, sub + 1000 * HOUR, 0));
    idp_ledger_close(l);
    idp_ctx_destroy(ctx);
}

/* Version 1 as it was released (frozen here on purpose: the test must not
 * follow the code's schema), with data, written by the sqlite3 shell. */
static const char v1_file[] =
    "PRAGMA journal_mode = WAL;\n"
    "CREATE TABLE packages (reference TEXT PRIMARY KEY NOT NULL, customer TEXT,"
    " account_email TEXT, lang TEXT NOT NULL, folder TEXT NOT NULL, pdf_sha256 TEXT,"
    " created INTEGER NOT NULL, status TEXT NOT NULL"
    " CHECK (status IN ('prepared', 'submitted', 'resolved', 'rejected')),"
    " case_id TEXT, updated INTEGER NOT NULL);\n"
    "CREATE TABLE events (id INTEGER PRIMARY KEY,"
    " reference TEXT NOT NULL REFERENCES packages(reference), at INTEGER NOT NULL,"
    " kind TEXT NOT NULL, status TEXT NOT NULL, note TEXT);\n"
    "INSERT INTO packages VALUES ('IDP-KKKK-0010', 'Kappa', 'k@example.com', 'de', '/p/k',"
    " 'aa', 1795651200, 'submitted', 'CASE-77', 1795680000);\n"
    "INSERT INTO packages VALUES ('IDP-MMMM-0011', NULL, 'm@example.com', 'en', '/p/m',"
    " 'bb', 1795654800, 'prepared', NULL, 1795654800);\n"
    "INSERT INTO events (reference, at, kind, status, note) VALUES"
    " ('IDP-KKKK-0010', 1795651200, 'prepared', 'prepared', '/p/k'),"
    " ('IDP-KKKK-0010', 1795662000, 'submitted', 'submitted', 'first try'),"
    " ('IDP-KKKK-0010', 1795680000, 'submitted', 'submitted', 'again'),"
    " ('IDP-MMMM-0011', 1795654800, 'prepared', 'prepared', '/p/m');\n"
    "PRAGMA user_version = 1;\n";

static void test_migration_from_v1(void **state)
{
    const char *path = new_path("v1.sqlite");
    const char *sql = new_path("v1.sql");
    idp_ctx *ctx = NULL;
    idp_ledger *l;
    idp_ledger_list *list = NULL;
    idp_ledger_history *h = NULL;
    FILE *f;
    (void)state;

    f = fopen(sql, "w");
    assert_non_null(f);
    fputs(v1_file, f);
    fclose(f);
    assert_int_equal(run("sqlite3 '%s' < '%s' > /dev/null", path, sql), 0);
    assert_int_equal(query_int(path, "PRAGMA user_version"), 1);
    assert_int_equal(query_int(path, "SELECT count(*) FROM pragma_table_info('events')"
                                     " WHERE name = 'case_id'"),
                     0);

    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    l = open_ok(ctx, path);
    assert_int_equal(query_int(path, "PRAGMA user_version"), IDP_LEDGER_SCHEMA_VERSION);
    assert_int_equal(query_int(path, "SELECT count(*) FROM pragma_table_info('events')"
                                     " WHERE name = 'case_id'"),
                     1);
    assert_int_equal(query_int(path, "SELECT count(*) FROM sqlite_schema WHERE type = 'index'"
                                     " AND name = 'events_by_reference'"),
                     1);
    /* v3: who made each event; the events from before keep none */
    assert_int_equal(query_int(path, "SELECT count(*) FROM events WHERE agent IS NULL"), 4);
    /* the data is kept */
    assert_int_equal(query_int(path, "SELECT count(*) FROM packages"), 2);
    assert_int_equal(query_int(path, "SELECT count(*) FROM events"), 4);
    assert_int_equal(idp_ledger_list_packages(ctx, l, NULL, &list), IDP_OK);
    assert_int_equal(list->n, 2);
    assert_string_equal(list->entries[0].reference, "IDP-KKKK-0010");
    assert_string_equal(list->entries[0].customer, "Kappa");
    assert_string_equal(list->entries[0].account_email, "k@example.com");
    assert_string_equal(list->entries[0].case_id, "CASE-77");
    assert_int_equal(list->entries[0].status, IDP_LEDGER_SUBMITTED);
    /* the time of the latest submission is filled from the old events */
    assert_true(list->entries[0].has_submitted);
    assert_int_equal(list->entries[0].submitted, 1795680000);
    assert_false(list->entries[1].has_submitted);
    idp_ledger_list_free(list);
    assert_true(overdue(ctx, l, "IDP-KKKK-0010", 1795680000 + 48 * HOUR + 1, 0));
    assert_false(overdue(ctx, l, "IDP-KKKK-0010", 1795680000 + 48 * HOUR, 0));
    /* and it takes version-2 writes */
    assert_int_equal(idp_ledger_mark(ctx, l, "IDP-KKKK-0010", IDP_LEDGER_RESOLVED, "CASE-78",
                                     "answered", 1795700000),
                     IDP_OK);
    assert_int_equal(idp_ledger_show(ctx, l, "IDP-KKKK-0010", 1795700000, 0, &h), IDP_OK);
    assert_int_equal(h->n_events, 4);
    assert_string_equal(h->events[1].note, "first try");
    assert_null(h->events[1].case_id);
    assert_string_equal(h->events[3].case_id, "CASE-78");
    idp_ledger_history_free(h);
    idp_ledger_close(l);
    /* Opening again does not migrate twice. */
    l = open_ok(ctx, path);
    idp_ledger_close(l);
    assert_int_equal(query_int(path, "SELECT count(*) FROM events"), 5);
    idp_ctx_destroy(ctx);
}

static void test_locked(void **state)
{
    const char *path = new_path("locked.sqlite");
    idp_ctx *ctx = NULL;
    idp_ledger *l;
    sqlite3 *db = NULL;
    idp_ledger_history *h = NULL;
    time_t t;
    (void)state;

    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    l = open_ok(ctx, path);
    record(ctx, l, "IDP-NNNN-0012", NULL, T0);
    /* Another writer holds the write lock and does not let go. */
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    t = time(NULL);
    assert_int_equal(idp_ledger_note(ctx, l, "IDP-NNNN-0012", "waiting", T0), IDP_E_IO);
    assert_true(time(NULL) - t >= IDP_LEDGER_BUSY_MS / 1000 - 1);
    assert_non_null(strstr(idp_ctx_error(ctx), path));
    assert_non_null(strstr(idp_ctx_error(ctx), "locked"));
    /* Readers are not blocked (WAL). */
    assert_int_equal(idp_ledger_show(ctx, l, "IDP-NNNN-0012", T0, 0, &h), IDP_OK);
    assert_int_equal(h->n_events, 1);
    idp_ledger_history_free(h);
    assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(idp_ledger_note(ctx, l, "IDP-NNNN-0012", "now it works", T0), IDP_OK);
    idp_ledger_close(l);
    idp_ctx_destroy(ctx);
}

#define WRITERS 4
#define PER_WRITER 50
#define SHARED_NOTES 10
#define SHARED_REF "IDP-0999-0000"

/* One writer process: its own connection, 50 packages recorded, each
 * marked submitted and given a note, one transaction at a time,
 * interleaved with the other writers. Exit status 0 if every call
 * succeeded. */
static int writer(const char *path, int w, int start_fd)
{
    idp_ctx *ctx = NULL;
    idp_ledger *l = NULL;
    char go, ref[32];
    int failures = 0;

    if (read(start_fd, &go, 1) < 0) /* wait until every writer exists */
        return 2;
    if (idp_ctx_create(&ctx) != IDP_OK)
        return 2;
    if (idp_ledger_open(ctx, path, &l) != IDP_OK) {
        fprintf(stderr, "writer %d: %s\n", w, idp_ctx_error(ctx));
        idp_ctx_destroy(ctx);
        return 1;
    }
    for (int i = 0; i < PER_WRITER + SHARED_NOTES; i++) {
        idp_ledger_package p;
        idp_status st;
        if (i >= PER_WRITER) {
            /* Every writer records and notes one same package too: the
             * same new reference inserted by four at once. */
            p = pkg_of(SHARED_REF, NULL, T0);
            st = i == PER_WRITER ? idp_ledger_record(ctx, l, &p) : IDP_OK;
            if (st == IDP_OK)
                st = idp_ledger_note(ctx, l, SHARED_REF, "everyone's", T0 + 3 * HOUR);
            if (st != IDP_OK) {
                fprintf(stderr, "writer %d, shared: %s\n", w, idp_ctx_error(ctx));
                failures++;
            }
            continue;
        }
        snprintf(ref, sizeof(ref), "IDP-%04d-%04d", w, i);
        p = pkg_of(ref, NULL, T0 + i);
        st = idp_ledger_record(ctx, l, &p);
        if (st == IDP_OK)
            st = idp_ledger_mark(ctx, l, ref, IDP_LEDGER_SUBMITTED, "123", NULL, T0 + HOUR + i);
        if (st == IDP_OK)
            st = idp_ledger_note(ctx, l, ref, "written by a concurrent writer", T0 + 2 * HOUR);
        if (st != IDP_OK) {
            fprintf(stderr, "writer %d, %s: %s\n", w, ref, idp_ctx_error(ctx));
            failures++;
        }
    }
    idp_ledger_close(l);
    idp_ctx_destroy(ctx);
    return failures == 0 ? 0 : 1;
}

static void test_concurrent_writers(void **state)
{
    const char *path = new_path("concurrent.sqlite"); /* new: they also race to create it */
    pid_t pids[WRITERS];
    int start[2];
    idp_ctx *ctx = NULL;
    idp_ledger *l;
    idp_ledger_list *list = NULL;
    (void)state;

    assert_int_equal(pipe(start), 0);
    for (int w = 0; w < WRITERS; w++) {
        pids[w] = fork();
        assert_true(pids[w] >= 0);
        if (pids[w] == 0) {
            close(start[1]);
            _exit(writer(path, w, start[0])); /* _exit: not the parent's atexit clean-up */
        }
    }
    close(start[0]);
    close(start[1]); /* every writer's read returns now: go */
    for (int w = 0; w < WRITERS; w++) {
        int status = 0;
        assert_int_equal(waitpid(pids[w], &status, 0), pids[w]);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }

    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    l = open_ok(ctx, path);
    assert_int_equal(idp_ledger_list_packages(ctx, l, NULL, &list), IDP_OK);
    assert_int_equal(list->n, WRITERS * PER_WRITER + 1);
    for (size_t i = 0; i < list->n; i++)
        if (strcmp(list->entries[i].reference, SHARED_REF) != 0)
            assert_int_equal(list->entries[i].status, IDP_LEDGER_SUBMITTED);
    idp_ledger_list_free(list);
    for (int w = 0; w < WRITERS; w++) {
        for (int i = 0; i < PER_WRITER; i++) {
            idp_ledger_history *h = NULL;
            char ref[32];
            snprintf(ref, sizeof(ref), "IDP-%04d-%04d", w, i);
            assert_int_equal(idp_ledger_show(ctx, l, ref, T0, 0, &h), IDP_OK);
            assert_int_equal(h->n_events, 3);
            assert_string_equal(h->events[0].kind, "prepared");
            assert_string_equal(h->events[1].kind, "submitted");
            assert_string_equal(h->events[2].kind, "note");
            idp_ledger_history_free(h);
        }
    }
    /* The shared package: one row, one prepared and three rebuilt events,
     * every note. */
    assert_int_equal(
        query_int(path, "SELECT count(*) FROM packages WHERE reference = '" SHARED_REF "'"), 1);
    assert_int_equal(query_int(path, "SELECT count(*) FROM events WHERE reference = '" SHARED_REF
                                     "' AND kind = 'prepared'"),
                     1);
    assert_int_equal(query_int(path, "SELECT count(*) FROM events WHERE reference = '" SHARED_REF
                                     "' AND kind = 'rebuilt'"),
                     WRITERS - 1);
    assert_int_equal(query_int(path, "SELECT count(*) FROM events WHERE reference = '" SHARED_REF
                                     "' AND kind = 'note'"),
                     WRITERS * SHARED_NOTES);
    assert_int_equal(query_int(path, "SELECT count(*) FROM events"),
                     WRITERS * PER_WRITER * 3 + WRITERS + WRITERS * SHARED_NOTES);
    assert_int_equal(query_int(path, SCHEMA_VERSION_SQL), IDP_LEDGER_SCHEMA_VERSION);
    idp_ledger_close(l);
    idp_ctx_destroy(ctx);
}

/* One handle shared by threads (as a batch's workers may): each call
 * holds the handle's lock, so transactions never interleave. */
typedef struct thread_job {
    idp_ledger *ledger;
    int t, failures;
} thread_job;

static void *thread_writer(void *arg)
{
    thread_job *job = arg;
    idp_ctx *ctx = NULL;
    char ref[32];

    if (idp_ctx_create(&ctx) != IDP_OK) {
        job->failures++;
        return NULL;
    }
    for (int i = 0; i < 25; i++) {
        idp_ledger_package p;
        snprintf(ref, sizeof(ref), "IDP-%04d-%04d", 10 + job->t, i);
        p = pkg_of(ref, "thread", T0 + i);
        if (idp_ledger_record(ctx, job->ledger, &p) != IDP_OK ||
            idp_ledger_mark(ctx, job->ledger, ref, IDP_LEDGER_SUBMITTED, NULL, NULL, T0 + HOUR) !=
                IDP_OK)
            job->failures++;
    }
    idp_ctx_destroy(ctx);
    return NULL;
}

static void test_shared_by_threads(void **state)
{
    const char *path = new_path("threads.sqlite");
    idp_ctx *ctx = NULL;
    idp_ledger *l;
    pthread_t th[4];
    thread_job jobs[4];
    (void)state;

    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    l = open_ok(ctx, path);
    for (int t = 0; t < 4; t++) {
        jobs[t] = (thread_job){.ledger = l, .t = t};
        assert_int_equal(pthread_create(&th[t], NULL, thread_writer, &jobs[t]), 0);
    }
    for (int t = 0; t < 4; t++) {
        assert_int_equal(pthread_join(th[t], NULL), 0);
        assert_int_equal(jobs[t].failures, 0);
    }
    assert_int_equal(query_int(path, "SELECT count(*) FROM packages WHERE status = 'submitted'"),
                     100);
    assert_int_equal(query_int(path, "SELECT count(*) FROM events"), 200);
    idp_ledger_close(l);
    idp_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_open),        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_status_names),       cmocka_unit_test(test_display_name),
        cmocka_unit_test(test_life_of_a_package),  cmocka_unit_test(test_transitions),
        cmocka_unit_test(test_unknown_reference),  cmocka_unit_test(test_overdue_boundary),
        cmocka_unit_test(test_migration_from_v1),  cmocka_unit_test(test_locked),
        cmocka_unit_test(test_concurrent_writers), cmocka_unit_test(test_shared_by_threads),
    };
    /* PostgreSQL: every test but those of SQLite's files. */
    const struct CMUnitTest pg_tests[] = {
        cmocka_unit_test(test_status_names),      cmocka_unit_test(test_life_of_a_package),
        cmocka_unit_test(test_transitions),       cmocka_unit_test(test_unknown_reference),
        cmocka_unit_test(test_overdue_boundary),  cmocka_unit_test(test_concurrent_writers),
        cmocka_unit_test(test_shared_by_threads),
    };
    if (pg_mode())
        return cmocka_run_group_tests(pg_tests, NULL, NULL);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
