/* The ledger's public API, used as a program outside the tree would
 * (idpack.h only): a package built and recorded (idp_build_record), then
 * listed through a filter, marked, noted and shown, read through the
 * accessors of the opaque list, entries, history and events; the display
 * name of a URI; statuses and references. */
#define _DEFAULT_SOURCE /* realpath() */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idpack.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400
#define T0 1767312000 /* 2026-01-02T00:00:00Z */

static idp_ctx *ctx;
static idp_ledger *ledger;
static char ref[2][IDP_REFERENCE_LEN];

/* Builds a package dated t (with the store name store when not NULL) into
 * tmp/name and records it as agent. */
static void build_and_record(const char *name, int64_t t, const char *store, const char *agent,
                             char *out_ref)
{
    const char *img = tu_env("IDP_TESTIMG"), *src = tu_env("IDP_SRC");
    char templates[4096], form_path[4096], out[4096];
    idp_form *form = NULL;
    idp_build_opts *opts = NULL;
    idp_build_result *res = NULL;

    snprintf(templates, sizeof(templates), "%s/templates", src);
    snprintf(form_path, sizeof(form_path), "%s/templates/sample-form.txt", src);
    snprintf(out, sizeof(out), "%s/%s", tu_tmpdir(), name);
    assert_int_equal(idp_form_create(ctx, &form), IDP_OK);
    assert_int_equal(idp_form_load_file(ctx, form, form_path, 0), IDP_OK);
    if (store != NULL)
        assert_int_equal(idp_form_set(ctx, form, "store_name", store, "test", 1), IDP_OK);
    assert_int_equal(idp_build_opts_create(ctx, &opts), IDP_OK);
    idp_build_opts_set_template(opts, templates, NULL, "en");
    idp_build_opts_set_form(opts, form);
    idp_build_opts_set_photos(opts, tu_path(img, "sharp.jpg"), tu_path(img, "back.jpg"));
    idp_build_opts_set_date(opts, t, NULL);
    idp_build_opts_set_out_dir(opts, out, false);
    assert_int_equal(idp_build_result_create(ctx, &res), IDP_OK);
    assert_int_equal(idp_build_package(ctx, opts, res), IDP_OK);
    assert_int_equal(idp_build_record(ctx, ledger, agent, opts, res), IDP_OK);
    snprintf(out_ref, IDP_REFERENCE_LEN, "%s", idp_build_result_reference(res));
    idp_build_result_destroy(res);
    idp_build_opts_destroy(opts);
    idp_form_destroy(form);
}

static int setup(void **state)
{
    (void)state;
    if (idp_ctx_create(&ctx) != IDP_OK)
        return -1;
    if (idp_ledger_open(ctx, tu_path(tu_tmpdir(), "api.sqlite"), &ledger) != IDP_OK)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    idp_ledger_close(ledger);
    idp_ctx_destroy(ctx);
    return 0;
}

static void test_names(void **state)
{
    idp_ledger_status s = IDP_LEDGER_PREPARED;
    char buf[IDP_REFERENCE_LEN], shown[64];
    const char *uri = "postgresql://ann:s3cret@db.example/idp?sslpassword=x&sslmode=require";
    const char *want = "postgresql://ann:***@db.example/idp?sslpassword=***&sslmode=require";

    (void)state;
    assert_string_equal(idp_ledger_status_name(IDP_LEDGER_REJECTED), "rejected");
    assert_string_equal(idp_ledger_status_name((idp_ledger_status)9), "?");
    assert_true(idp_ledger_status_parse("resolved", &s));
    assert_int_equal(s, IDP_LEDGER_RESOLVED);
    assert_false(idp_ledger_status_parse("Resolved", &s));
    assert_true(idp_reference_parse("idp-7kq2-9xhf", buf));
    assert_string_equal(buf, "IDP-7KQ2-9XHF");
    assert_true(idp_reference_parse("IDP-OOLI-9XHF", buf)); /* Crockford: O->0, I/L->1 */
    assert_string_equal(buf, "IDP-0011-9XHF");
    assert_false(idp_reference_parse("IDP-7KQ2-9XH", NULL));
    assert_false(idp_reference_parse("IDP-7KQ2-9XHU", NULL)); /* U is not base32 */
    assert_true(idp_ledger_is_uri(uri));
    assert_false(idp_ledger_is_uri("/var/lib/idpack/ledger.sqlite"));
    /* the whole name's length, whatever the buffer; cut like snprintf */
    assert_int_equal(idp_ledger_display_name(uri, NULL, 0), strlen(want));
    assert_int_equal(idp_ledger_display_name(uri, shown, sizeof(shown)), strlen(want));
    assert_int_equal(strlen(shown), sizeof(shown) - 1);
    assert_memory_equal(shown, want, sizeof(shown) - 1);
    {
        char whole[128];
        assert_int_equal(idp_ledger_display_name(uri, whole, sizeof(whole)), strlen(want));
        assert_string_equal(whole, want);
        assert_null(strstr(whole, "s3cret"));
        assert_int_equal(idp_ledger_display_name("a/b.sqlite", whole, 4), 10);
        assert_string_equal(whole, "a/b");
    }
    assert_string_equal(idp_ledger_path(ledger), tu_path(tu_tmpdir(), "api.sqlite"));
}

static void test_record_list_mark_show(void **state)
{
    idp_ledger_filter *f = NULL;
    idp_ledger_list *list = NULL;
    idp_ledger_history *h = NULL;
    const idp_ledger_entry *e;
    const idp_ledger_event *ev;
    int64_t at = -1;
    size_t n_pkgs;

    (void)state;
    build_and_record("pa", T0, NULL, "alice", ref[0]);
    /* b, created later, gets a reference that sorts before a's (the store
     * name changes it): so that a list by reference is not the list by
     * creation (the same wait below) */
    for (int i = 0; i < 16; i++) {
        char name[16], store[32];
        snprintf(name, sizeof(name), "pb%d", i);
        snprintf(store, sizeof(store), "Store %d", i);
        build_and_record(name, T0 + DAY, store, "carol", ref[1]); /* carol from now on */
        if (strcmp(ref[1], ref[0]) < 0)
            break;
    }
    assert_true(strcmp(ref[1], ref[0]) < 0);

    /* every package, oldest first */
    assert_int_equal(idp_ledger_list_packages(ctx, ledger, NULL, &list), IDP_OK);
    n_pkgs = idp_ledger_list_count(list);
    assert_true(n_pkgs >= 2);
    e = idp_ledger_list_entry(list, 0);
    assert_string_equal(idp_ledger_entry_reference(e), ref[0]);
    assert_string_equal(idp_ledger_entry_reference(idp_ledger_list_entry(list, n_pkgs - 1)),
                        ref[1]);
    assert_null(idp_ledger_list_entry(list, n_pkgs));
    assert_int_equal(idp_ledger_entry_status(e), IDP_LEDGER_PREPARED);
    assert_int_equal(idp_ledger_entry_created(e), T0);
    assert_false(idp_ledger_entry_submitted(e, &at));
    assert_false(idp_ledger_entry_overdue(e));
    assert_null(idp_ledger_entry_customer(e)); /* single builds have no label */
    assert_null(idp_ledger_entry_case_id(e));
    assert_string_equal(idp_ledger_entry_lang(e), "en");
    assert_non_null(strchr(idp_ledger_entry_account_email(e), '@'));
    assert_int_equal(strlen(idp_ledger_entry_pdf_sha256(e)), 64);
    {
        char real[4096];
        assert_non_null(realpath(tu_path(tu_tmpdir(), "pa"), real));
        assert_string_equal(idp_ledger_entry_folder(e), real);
    }
    idp_ledger_list_free(list);

    /* b submitted before a: b has waited longest */
    assert_int_equal(
        idp_ledger_mark(ctx, ledger, ref[1], IDP_LEDGER_SUBMITTED, "CASE-1", NULL, T0 + 2 * DAY),
        IDP_OK);
    assert_int_equal(idp_ledger_mark(ctx, ledger, ref[0], IDP_LEDGER_SUBMITTED, "CASE-2",
                                     "sent with the form", T0 + 3 * DAY),
                     IDP_OK);
    assert_int_equal(idp_ledger_mark(ctx, ledger, ref[0], IDP_LEDGER_PREPARED, NULL, NULL, T0),
                     IDP_E_USAGE);
    assert_int_equal(idp_ledger_note(ctx, ledger, "IDP-0000-0000", "x", T0), IDP_E_NOTFOUND);

    assert_int_equal(idp_ledger_filter_create(ctx, &f), IDP_OK);
    idp_ledger_filter_set_overdue_only(f, true);
    /* 48 hours exactly after a's submission: only b is overdue */
    idp_ledger_filter_set_as_of(f, T0 + 5 * DAY, 0);
    assert_int_equal(idp_ledger_list_packages(ctx, ledger, f, &list), IDP_OK);
    assert_int_equal(idp_ledger_list_count(list), 1);
    assert_string_equal(idp_ledger_entry_reference(idp_ledger_list_entry(list, 0)), ref[1]);
    idp_ledger_list_free(list);
    /* a day later both, the longest wait first although b was created later */
    idp_ledger_filter_set_as_of(f, T0 + 6 * DAY, 0);
    assert_int_equal(idp_ledger_list_packages(ctx, ledger, f, &list), IDP_OK);
    assert_int_equal(idp_ledger_list_count(list), 2);
    e = idp_ledger_list_entry(list, 0);
    assert_string_equal(idp_ledger_entry_reference(e), ref[1]);
    assert_true(idp_ledger_entry_overdue(e));
    assert_true(idp_ledger_entry_submitted(e, &at));
    assert_int_equal(at, T0 + 2 * DAY);
    assert_string_equal(idp_ledger_entry_case_id(e), "CASE-1");
    assert_string_equal(idp_ledger_entry_reference(idp_ledger_list_entry(list, 1)), ref[0]);
    idp_ledger_list_free(list);
    /* with 200 hours, neither */
    idp_ledger_filter_set_as_of(f, T0 + 6 * DAY, 200);
    assert_int_equal(idp_ledger_list_packages(ctx, ledger, f, &list), IDP_OK);
    assert_int_equal(idp_ledger_list_count(list), 0);
    idp_ledger_list_free(list);
    /* by status and agent */
    idp_ledger_filter_set_overdue_only(f, false);
    idp_ledger_filter_set_status(f, IDP_LEDGER_SUBMITTED);
    idp_ledger_filter_set_agent(f, "alice");
    assert_int_equal(idp_ledger_list_packages(ctx, ledger, f, &list), IDP_OK);
    assert_int_equal(idp_ledger_list_count(list), 1);
    assert_string_equal(idp_ledger_entry_reference(idp_ledger_list_entry(list, 0)), ref[0]);
    idp_ledger_list_free(list);
    idp_ledger_filter_set_agent(f, NULL);
    idp_ledger_filter_set_customer(f, "nobody");
    assert_int_equal(idp_ledger_list_packages(ctx, ledger, f, &list), IDP_OK);
    assert_int_equal(idp_ledger_list_count(list), 0);
    idp_ledger_list_free(list);
    idp_ledger_filter_destroy(f);
    idp_ledger_filter_destroy(NULL);

    /* a's history: prepared by alice, submitted and noted by carol (kept on the handle) */
    assert_int_equal(idp_ledger_note(ctx, ledger, ref[0], "asked for the back", T0 + 4 * DAY),
                     IDP_OK);
    assert_int_equal(idp_ledger_show(ctx, ledger, ref[0], T0 + 4 * DAY, 0, &h), IDP_OK);
    e = idp_ledger_history_package(h);
    assert_string_equal(idp_ledger_entry_reference(e), ref[0]);
    assert_int_equal(idp_ledger_entry_status(e), IDP_LEDGER_SUBMITTED);
    assert_int_equal(idp_ledger_entry_updated(e), T0 + 4 * DAY);
    assert_false(idp_ledger_entry_overdue(e));
    assert_int_equal(idp_ledger_history_count(h), 3);
    assert_null(idp_ledger_history_event(h, 3));
    ev = idp_ledger_history_event(h, 0);
    assert_string_equal(idp_ledger_event_kind(ev), "prepared");
    assert_int_equal(idp_ledger_event_at(ev), T0);
    assert_int_equal(idp_ledger_event_status(ev), IDP_LEDGER_PREPARED);
    assert_string_equal(idp_ledger_event_agent(ev), "alice");
    ev = idp_ledger_history_event(h, 1);
    assert_string_equal(idp_ledger_event_kind(ev), "submitted");
    assert_string_equal(idp_ledger_event_case_id(ev), "CASE-2");
    assert_string_equal(idp_ledger_event_note(ev), "sent with the form");
    assert_string_equal(idp_ledger_event_agent(ev), "carol");
    ev = idp_ledger_history_event(h, 2);
    assert_string_equal(idp_ledger_event_kind(ev), "note");
    assert_int_equal(idp_ledger_event_status(ev), IDP_LEDGER_SUBMITTED);
    assert_string_equal(idp_ledger_event_note(ev), "asked for the back");
    assert_null(idp_ledger_event_case_id(ev));
    idp_ledger_history_free(h);
    assert_int_equal(idp_ledger_show(ctx, ledger, "IDP-0000-0000", T0, 0, &h), IDP_E_NOTFOUND);
    assert_null(h);

    /* both submitted again at the same time: the same wait, by reference */
    for (int i = 0; i < 2; i++)
        assert_int_equal(
            idp_ledger_mark(ctx, ledger, ref[i], IDP_LEDGER_SUBMITTED, NULL, NULL, T0 + 7 * DAY),
            IDP_OK);
    assert_int_equal(idp_ledger_filter_create(ctx, &f), IDP_OK);
    idp_ledger_filter_set_overdue_only(f, true);
    idp_ledger_filter_set_as_of(f, T0 + 10 * DAY, 0);
    assert_int_equal(idp_ledger_list_packages(ctx, ledger, f, &list), IDP_OK);
    assert_int_equal(idp_ledger_list_count(list), 2);
    assert_string_equal(idp_ledger_entry_reference(idp_ledger_list_entry(list, 0)), ref[1]);
    assert_string_equal(idp_ledger_entry_reference(idp_ledger_list_entry(list, 1)), ref[0]);
    idp_ledger_list_free(list);
    idp_ledger_filter_destroy(f);
}

static void test_agent_and_readonly(void **state)
{
    idp_ledger *ro = NULL;
    idp_ledger_list *list = NULL;

    (void)state;
    assert_int_equal(idp_ledger_set_agent(ctx, ledger, ""), IDP_E_FIELD);
    assert_int_equal(idp_ledger_set_agent(ctx, ledger, "bob\nx"), IDP_E_FIELD);
    assert_int_equal(idp_ledger_set_agent(ctx, ledger, "bob"), IDP_OK);
    assert_int_equal(idp_ledger_open_readonly(ctx, tu_path(tu_tmpdir(), "api.sqlite"), &ro),
                     IDP_OK);
    assert_int_equal(idp_ledger_list_packages(ctx, ro, NULL, &list), IDP_OK);
    assert_true(idp_ledger_list_count(list) >= 2);
    idp_ledger_list_free(list);
    idp_ledger_list_free(NULL);
    idp_ledger_history_free(NULL);
    idp_ledger_close(ro);
    idp_ledger_close(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_record_list_mark_show),
        cmocka_unit_test(test_agent_and_readonly),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
