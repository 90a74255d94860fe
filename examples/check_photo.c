/* check_photo: checks photos of an ID document (the front and the back)
 * with libidpack, as `idpack check` does, and says what to do about each
 * problem.
 *
 *   cc check_photo.c $(pkg-config --cflags --libs idpack) -o check_photo
 *   ./check_photo front.jpg back.jpg
 *
 * Exit status: 0 every photo passes (or only warns), 1 one fails, 2 one
 * cannot be read or something else went wrong. */
#include <idpack.h>

#include <stdio.h>
#include <stdlib.h>

static void print_report(const char *path, const idp_check_report *report)
{
    double quad[4][2], confidence;
    const char *kind = idp_check_report_document(report, quad, &confidence);
    uint32_t w, h;

    idp_check_report_size(report, &w, &h);
    printf("%s: %s\n  size %ux%u px", path, idp_verdict_name(idp_check_report_verdict(report)),
           (unsigned)w, (unsigned)h);
    if (kind != NULL)
        printf(", document %s at (%.0f,%.0f) (%.0f,%.0f) (%.0f,%.0f) (%.0f,%.0f), confidence %.2f",
               kind, quad[0][0], quad[0][1], quad[1][0], quad[1][1], quad[2][0], quad[2][1],
               quad[3][0], quad[3][1], confidence);
    printf("\n");
    for (size_t c = 0; c < idp_check_report_count(report); c++) {
        const idp_check_result *r = idp_check_report_result(report, c);
        char sentence[512];

        printf("  %-10s %-4s value %g limit %g\n", idp_check_name(r->id),
               idp_check_status_name(r->status), r->value, r->limit);
        if (r->status != IDP_CHECK_PASS) {
            idp_check_describe(r, "en", sentence, sizeof(sentence));
            printf("             %s\n", sentence);
        }
    }
}

int main(int argc, char **argv)
{
    const int n = argc - 1;
    idp_ctx *ctx = NULL;
    idp_policy *policy = NULL;
    idp_check_report **reports = NULL;
    int rc = 0;

    if (n < 1) {
        fprintf(stderr, "usage: %s PHOTO...\n", argv[0]);
        return 2;
    }
    printf("libidpack %s (built with %s)\n", idp_version(), IDPACK_VERSION_STRING);
    if (idp_ctx_create(&ctx) != IDP_OK)
        return 2;
    idp_ctx_set_threads(ctx, 2); /* one photo at a time: detection beside it */
    reports = calloc((size_t)n, sizeof(*reports));
    if (reports == NULL || idp_policy_create(ctx, &policy) != IDP_OK) {
        rc = 2;
        goto out;
    }
    for (int i = 0; i < n; i++) {
        idp_status st = idp_check_report_create(ctx, &reports[i]);
        if (st == IDP_OK)
            st = idp_check_file(ctx, argv[i + 1], policy, reports[i]);
        if (st != IDP_OK) /* the error names the file and the problem */
            fprintf(stderr, "%s: %s\n", idp_status_name(st), idp_ctx_error(ctx));
        if (reports[i] == NULL) {
            rc = 2;
            goto out;
        }
    }
    /* Front and back must not be the same side of the document. */
    if (idp_check_report_duplicates(ctx, reports, (size_t)n, policy) != IDP_OK) {
        fprintf(stderr, "%s\n", idp_ctx_error(ctx));
        rc = 2;
        goto out;
    }
    for (int i = 0; i < n; i++) {
        idp_verdict verdict = idp_check_report_verdict(reports[i]);

        print_report(argv[i + 1], reports[i]);
        if (verdict == IDP_VERDICT_ERROR)
            rc = 2;
        else if (verdict == IDP_VERDICT_FAIL && rc == 0)
            rc = 1;
    }
out:
    for (int i = 0; reports != NULL && i < n; i++)
        idp_check_report_destroy(reports[i]);
    free(reports);
    idp_policy_destroy(policy);
    idp_ctx_destroy(ctx);
    return rc;
}
