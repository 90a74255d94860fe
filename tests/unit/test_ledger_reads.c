/* Reading the ledger: the status names, the life of a package (record,
 * mark, note, then list and show as an agent reads them), and the 48-hour
 * overdue boundary. Run on SQLite, and again on PostgreSQL as
 * unit/test_ledger_reads_pg (IDP_TEST_LEDGER=postgresql under
 * tests/pg_server.sh: a new database each). */
#include "ledger_test.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_life_of_a_package),
        cmocka_unit_test(test_overdue_boundary),
    };
    /* PostgreSQL (tests/pg_server.sh): the same tests, on a new database each. */
    return cmocka_run_group_tests(tests, NULL, NULL);
}
