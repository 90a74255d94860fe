/* What recording costs: idp_ledger_record, idp_ledger_mark and
 * idp_ledger_note on one open handle (as batch records), and open + record
 * + close (as build records), N times each on the ledger given (a new
 * SQLite file or an empty PostgreSQL database). Prints the median and the
 * 95th percentile of each, in milliseconds. Not a test: bench/ledger/run. */
#include "idp_ctx.h"
#include "idp_ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *what, double *t, int n)
{
    qsort(t, (size_t)n, sizeof(*t), cmp);
    printf("%-28s median %7.3f ms   p95 %7.3f ms   (%d)\n", what, t[n / 2], t[n * 95 / 100], n);
}

static int check(idp_status st, idp_ctx *ctx)
{
    if (st == IDP_OK)
        return 0;
    fprintf(stderr, "bench_ledger: %s\n", idp_ctx_error(ctx));
    exit(1);
}

int main(int argc, char **argv)
{
    int n = argc > 2 ? atoi(argv[2]) : 300;
    idp_ctx *ctx = NULL;
    idp_ledger *l = NULL;
    double *rec, *mark, *note, *whole;
    char ref[32];

    if (argc < 2 || n < 1 || n > 100000) {
        fprintf(stderr, "usage: bench_ledger LEDGER [N]\n");
        return 64;
    }
    rec = calloc((size_t)n, sizeof(double));
    mark = calloc((size_t)n, sizeof(double));
    note = calloc((size_t)n, sizeof(double));
    whole = calloc((size_t)n, sizeof(double));
    if (rec == NULL || mark == NULL || note == NULL || whole == NULL ||
        idp_ctx_create(&ctx) != IDP_OK)
        return 70;
    check(idp_ledger_open(ctx, argv[1], &l), ctx);
    check(idp_ledger_set_agent(ctx, l, "bench"), ctx);
    for (int i = 0; i < n; i++) {
        idp_ledger_package p = {
            .reference = ref,
            .customer = "Bench S.r.l.",
            .account_email = "bench@example.com",
            .lang = "en",
            .folder = "/srv/bench/package",
            .pdf_sha256 = "e5eacbc9d6f0a9c41b53c7a0f3b8e7f2d1c0b9a8f7e6d5c4b3a2918070605040",
            .created = 1795651200 + i};
        double t0;
        snprintf(ref, sizeof(ref), "IDP-%04d-%04d", i / 10000, i % 10000);
        t0 = now_ms();
        check(idp_ledger_record(ctx, l, &p), ctx);
        rec[i] = now_ms() - t0;
        t0 = now_ms();
        check(idp_ledger_mark(ctx, l, ref, IDP_LEDGER_SUBMITTED, "123", NULL, p.created), ctx);
        mark[i] = now_ms() - t0;
        t0 = now_ms();
        check(idp_ledger_note(ctx, l, ref, "a note", p.created), ctx);
        note[i] = now_ms() - t0;
    }
    idp_ledger_close(l);
    for (int i = 0; i < n; i++) {
        idp_ledger_package p = {
            .reference = ref, .lang = "en", .folder = "/srv/bench/b", .created = 1795651200};
        double t0 = now_ms();
        snprintf(ref, sizeof(ref), "IDP-%04d-%04d", 9, i % 10000);
        check(idp_ledger_open(ctx, argv[1], &l), ctx);
        check(idp_ledger_record(ctx, l, &p), ctx);
        idp_ledger_close(l);
        whole[i] = now_ms() - t0;
    }
    report("record (open handle)", rec, n);
    report("mark submitted", mark, n);
    report("note", note, n);
    report("open + record + close", whole, n);
    idp_ctx_destroy(ctx);
    free(rec);
    free(mark);
    free(note);
    free(whole);
    return 0;
}
