/* The ledger's file and schema (SQLite): creating and opening (mode 0600,
 * WAL, the tables), refusals (a missing folder, a text file, another
 * application's database, a newer schema), the names a URI is shown by
 * (never its password), migration of a version-1 file made with the
 * sqlite3 shell, and a file another writer keeps locked. Files are
 * inspected with SQLite directly. PostgreSQL's schema:
 * tests/cli/test_ledger_pg.sh. */
#include "ledger_test.h"

#include <sys/stat.h>
#include <time.h>

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

    assert_int_equal(tu_run("sqlite3 '%s' 'CREATE TABLE recipes (name TEXT);'", other), 0);
    assert_int_equal(idp_ledger_open(ctx, other, &l), IDP_E_FORMAT);
    assert_non_null(strstr(idp_ctx_error(ctx), other));
    assert_non_null(strstr(idp_ctx_error(ctx), "not an idpack ledger"));
    assert_int_equal(query_int(other, "PRAGMA user_version"), 0); /* untouched */

    assert_int_equal(tu_run("sqlite3 '%s' 'PRAGMA user_version = 99;'", newer), 0);
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
        char shown[128];
        assert_int_equal(idp_ledger_display_name(cases[i][0], shown, sizeof(shown)),
                         strlen(cases[i][1]));
        assert_string_equal(shown, cases[i][1]);
        assert_null(strstr(shown, "s3"));
    }
    assert_true(idp_ledger_is_uri("postgres://x/y"));
    assert_false(idp_ledger_is_uri("postgresql:/x"));
    assert_false(idp_ledger_is_uri("./postgresql://x"));
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
    assert_int_equal(tu_run("sqlite3 '%s' < '%s' > /dev/null", path, sql), 0);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_open),  cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_display_name), cmocka_unit_test(test_migration_from_v1),
        cmocka_unit_test(test_locked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
