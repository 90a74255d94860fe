/* Writing the ledger: the status changes allowed and refused, an unknown
 * reference, four processes writing at once, and one handle shared by
 * threads. Run on SQLite, and again on PostgreSQL as unit/test_ledger_writes_pg
 * (IDP_TEST_LEDGER=postgresql under tests/pg_server.sh: a new database each). */
#include "ledger_test.h"

#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

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
        cmocka_unit_test(test_transitions),
        cmocka_unit_test(test_unknown_reference),
        cmocka_unit_test(test_concurrent_writers),
        cmocka_unit_test(test_shared_by_threads),
    };
    /* PostgreSQL (tests/pg_server.sh): the same tests, on a new database each. */
    return cmocka_run_group_tests(tests, NULL, NULL);
}
