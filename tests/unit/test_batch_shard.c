/* Shards of a batch: the I/N parser, the shard of a label (against
 * SHA-256 values computed by Python's hashlib), and the merge of shard
 * reports refusing what is missing, disagrees or is not as idpack writes
 * it, without writing anything then. */
#define _DEFAULT_SOURCE /* symlink() */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_batch.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_parse(void **state)
{
    static const struct {
        const char *s;
        unsigned i, n; /* 0: refused */
    } cases[] = {
        {"1/1", 1, 1},
        {"2/4", 2, 4},
        {"4/4", 4, 4},
        {"1000/1000", 1000, 1000},
        {"17/1000", 17, 1000},
        {"0/4", 0, 0},
        {"5/4", 0, 0},
        {"1/0", 0, 0},
        {"1/1001", 0, 0},
        {"01/4", 0, 0},
        {"1/04", 0, 0},
        {"2", 0, 0},
        {"/4", 0, 0},
        {"2/", 0, 0},
        {"", 0, 0},
        {" 2/4", 0, 0},
        {"2/4 ", 0, 0},
        {"+2/4", 0, 0},
        {"-2/4", 0, 0},
        {"2//4", 0, 0},
        {"2/4/4", 0, 0},
        {"a/b", 0, 0},
        {"99999999999999999999/4", 0, 0},
        {"2/99999999999999999999", 0, 0},
    };
    (void)state;
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        unsigned i = 77, n = 77;
        bool ok = idp_batch_shard_parse(cases[k].s, &i, &n);
        if (cases[k].n == 0) {
            if (ok)
                fail_msg("'%s' accepted", cases[k].s);
            assert_int_equal(i, 77); /* untouched */
        } else {
            if (!ok)
                fail_msg("'%s' refused", cases[k].s);
            assert_int_equal(i, cases[k].i);
            assert_int_equal(n, cases[k].n);
        }
    }
}

static void test_shard_of(void **state)
{
    unsigned seen[5] = {0};
    (void)state;
    /* int.from_bytes(hashlib.sha256(label.encode()).digest()[:8], "big") % n + 1 */
    assert_int_equal(idp_batch_shard_of("Customer 1", 3), 2);
    assert_int_equal(idp_batch_shard_of("Customer 3", 3), 3);
    assert_int_equal(idp_batch_shard_of("Blurry Bob", 3), 1);
    assert_int_equal(idp_batch_shard_of("", 2), 1);
    assert_int_equal(idp_batch_shard_of("Zo\xc3\xab \xc3\x9cnal", 7), 3);
    assert_int_equal(idp_batch_shard_of("\xe7\x8e\x8b\xe4\xbc\x9f", 1000), 201);
    assert_int_equal(idp_batch_shard_of("anything", 1), 1);
    for (int k = 0; k < 400; k++) {
        char label[32];
        unsigned s;
        snprintf(label, sizeof(label), "Client %d", k);
        s = idp_batch_shard_of(label, 4);
        assert_true(s >= 1 && s <= 4);
        assert_int_equal(s, idp_batch_shard_of(label, 4));
        seen[s]++;
    }
    for (int s = 1; s <= 4; s++) /* 100 expected each; 5 sigma is about 43 */
        assert_true(seen[s] > 57 && seen[s] < 143);
}

/* A shard report as the batch writes it: rows "r:status" of a CSV of rows. */
static void shard(const char *dir, unsigned i, unsigned n, const char *sha, unsigned csv_rows,
                  const unsigned *rows, size_t n_rows)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/report-shard-%u-of-%u.json", dir, i, n);
    f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f,
            "{\n  \"shard\": {\"index\": %u, \"count\": %u, \"csv_sha256\": \"%s\", "
            "\"csv_rows\": %u},\n  \"rows\": [",
            i, n, sha, csv_rows);
    for (size_t k = 0; k < n_rows; k++)
        fprintf(f,
                "%s\n    {\"row\": %u, \"customer\": \"C%u\", \"status\": \"ok\", \"package\": "
                "\"c%u\", \"reference\": \"IDP-AAAA-AAAA\", \"reasons\": []}",
                k ? "," : "", rows[k], rows[k], rows[k]);
    fprintf(f,
            "%s  ],\n  \"summary\": {\"total\": %zu, \"ok\": %zu, \"failed\": 0, \"skipped\": 0, "
            "\"warned\": 0}\n}\n",
            n_rows ? "\n" : "", n_rows, n_rows);
    fclose(f);
}

static const char SHA_A[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
static const char SHA_B[] = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

static idp_status merge(const char *dir, idp_batch_merge_result *res)
{
    idp_ctx *ctx = NULL;
    idp_status st;
    char path[512];
    struct stat sb;

    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    st = idp_batch_merge(ctx, dir, res);
    if (st != IDP_OK) { /* nothing written */
        snprintf(path, sizeof(path), "%s/report.json", dir);
        assert_int_not_equal(stat(path, &sb), 0);
        snprintf(path, sizeof(path), "%s/report.csv", dir);
        assert_int_not_equal(stat(path, &sb), 0);
        assert_true(idp_ctx_error(ctx)[0] != '\0');
    }
    idp_ctx_destroy(ctx);
    return st;
}

static char *fresh(void)
{
    static int k;
    char *d = malloc(600);
    assert_non_null(d);
    snprintf(d, 600, "%s/m%d", tu_tmpdir(), k++);
    assert_int_equal(mkdir(d, 0700), 0);
    return d;
}

static void rm_dir(char *d)
{
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
    assert_int_equal(system(cmd), 0);
    free(d);
}

static void test_merge(void **state)
{
    static const unsigned odd[] = {1, 3, 5}, even[] = {2, 4}, two_four_five[] = {2, 4, 5},
                          rev[] = {4, 2};
    idp_batch_merge_result res;
    char *d;
    char path[512];
    FILE *f;
    (void)state;

    /* whole and agreeing */
    d = fresh();
    shard(d, 1, 2, SHA_A, 5, odd, 3);
    shard(d, 2, 2, SHA_A, 5, even, 2);
    assert_int_equal(merge(d, &res), IDP_OK);
    assert_int_equal(res.count, 2);
    assert_int_equal(res.sum.n_rows, 5);
    assert_int_equal(res.sum.ok, 5);
    idp_batch_merge_result_free(&res);

    /* a shard missing: named */
    snprintf(path, sizeof(path), "%s/report.json", d);
    unlink(path);
    snprintf(path, sizeof(path), "%s/report.csv", d);
    unlink(path);
    shard(d, 1, 5, SHA_A, 5, odd, 0);
    snprintf(path, sizeof(path), "%s/report-shard-1-of-2.json", d);
    unlink(path);
    snprintf(path, sizeof(path), "%s/report-shard-2-of-2.json", d);
    unlink(path);
    shard(d, 3, 5, SHA_A, 5, odd, 0);
    assert_int_equal(merge(d, &res), IDP_E_NOTFOUND);
    assert_int_equal(res.n_missing, 3);
    assert_int_equal(res.missing[0], 2);
    assert_int_equal(res.missing[1], 4);
    assert_int_equal(res.missing[2], 5);
    idp_batch_merge_result_free(&res);
    rm_dir(d);

    /* different CSVs; a row in two shards; a row in none; rows out of order */
    d = fresh();
    shard(d, 1, 2, SHA_A, 5, odd, 3);
    shard(d, 2, 2, SHA_B, 5, even, 2);
    assert_int_equal(merge(d, &res), IDP_E_FORMAT);
    idp_batch_merge_result_free(&res);
    shard(d, 2, 2, SHA_A, 5, two_four_five, 3);
    assert_int_equal(merge(d, &res), IDP_E_FORMAT);
    idp_batch_merge_result_free(&res);
    shard(d, 2, 2, SHA_A, 6, even, 2);
    shard(d, 1, 2, SHA_A, 6, odd, 3);
    assert_int_equal(merge(d, &res), IDP_E_FORMAT); /* row 6 in none */
    idp_batch_merge_result_free(&res);
    shard(d, 1, 2, SHA_A, 5, odd, 3);
    shard(d, 2, 2, SHA_A, 5, rev, 2);
    assert_int_equal(merge(d, &res), IDP_E_FORMAT);
    idp_batch_merge_result_free(&res);

    /* not a report: garbage, a link, a folder, a FIFO; a row past the CSV */
    snprintf(path, sizeof(path), "%s/report-shard-2-of-2.json", d);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"rows\": [\n    {\"row\": 2,\n  ]}\n", f);
    fclose(f);
    assert_int_equal(merge(d, &res), IDP_E_FORMAT);
    idp_batch_merge_result_free(&res);
    unlink(path);
    assert_int_equal(symlink("report-shard-1-of-2.json", path), 0);
    assert_int_equal(merge(d, &res), IDP_E_FORMAT);
    idp_batch_merge_result_free(&res);
    unlink(path);
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(merge(d, &res), IDP_E_FORMAT);
    idp_batch_merge_result_free(&res);
    rmdir(path);
    assert_int_equal(mkfifo(path, 0600), 0); /* no writer: refused at once, never read */
    assert_int_equal(merge(d, &res), IDP_E_FORMAT);
    idp_batch_merge_result_free(&res);
    unlink(path);
    shard(d, 2, 2, SHA_A, 3, even, 2); /* row 4 of a CSV of 3 */
    shard(d, 1, 2, SHA_A, 3, odd, 2);
    assert_int_equal(merge(d, &res), IDP_E_FORMAT);
    idp_batch_merge_result_free(&res);
    rm_dir(d);

    /* an empty folder, a missing one */
    d = fresh();
    assert_int_equal(merge(d, &res), IDP_E_NOTFOUND);
    idp_batch_merge_result_free(&res);
    rm_dir(d);
    assert_int_equal(merge("/nonexistent/idp-shards", &res), IDP_E_NOTFOUND);
    idp_batch_merge_result_free(&res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_shard_of),
        cmocka_unit_test(test_merge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
