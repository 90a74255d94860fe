/* build_package: builds the package a seller uploads to Amazon (request.pdf,
 * id-front.jpg, id-back.jpg, manifest.json, SHA256SUMS) with libidpack, as
 * `idpack build` does, then verifies it.
 *
 *   cc build_package.c $(pkg-config --cflags --libs idpack) -o build_package
 *   ./build_package TEMPLATES FORM OUT FRONT [BACK] [UNIX-TIME]
 *
 * TEMPLATES is the installed PREFIX/share/idpack/templates, FORM a form file
 * ("key = value" lines, see its sample-form.txt). The same inputs and
 * UNIX-TIME give byte-identical files. Exit status: 0 built and verified,
 * 1 a photo or a field was refused, 2 anything else. */
#include <idpack.h>

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    idp_ctx *ctx = NULL;
    idp_form *form = NULL;
    idp_build_opts *opts = NULL;
    idp_build_result *result = NULL;
    idp_verify_report *verify = NULL;
    idp_status st;
    int rc = 2;

    if (argc < 5 || argc > 7) {
        fprintf(stderr, "usage: %s TEMPLATES FORM OUT FRONT [BACK] [UNIX-TIME]\n", argv[0]);
        return 2;
    }
    if (idp_ctx_create(&ctx) != IDP_OK)
        return 2;
    idp_ctx_set_threads(ctx, 2); /* the front and the back at once */
    st = idp_form_create(ctx, &form);
    if (st == IDP_OK)
        st = idp_form_load_file(ctx, form, argv[2], 0);
    if (st == IDP_OK)
        st = idp_build_opts_create(ctx, &opts);
    if (st == IDP_OK)
        st = idp_build_result_create(ctx, &result);
    if (st != IDP_OK) {
        fprintf(stderr, "%s\n", idp_ctx_error(ctx));
        goto out;
    }
    idp_build_opts_set_template(opts, argv[1], "2fa-reset", "en");
    idp_build_opts_set_form(opts, form);
    idp_build_opts_set_out_dir(opts, argv[3], false);
    idp_build_opts_set_photos(opts, argv[4], argc > 5 && argv[5][0] != '\0' ? argv[5] : NULL);
    if (argc > 6)
        idp_build_opts_set_date(opts, strtoll(argv[6], NULL, 10), NULL);

    st = idp_build_package(ctx, opts, result);
    if (st != IDP_OK) {
        fprintf(stderr, "not built (%s): %s\n", idp_status_name(st), idp_ctx_error(ctx));
        /* a refused photo: which checks failed, and what to do */
        for (size_t i = 0; i < idp_build_result_photos(result); i++) {
            const idp_check_report *report = idp_build_result_report(result, i);
            for (size_t c = 0; report != NULL && c < idp_check_report_count(report); c++) {
                const idp_check_result *r = idp_check_report_result(report, c);
                char sentence[512];
                if (r->status != IDP_CHECK_FAIL)
                    continue;
                idp_check_describe(r, "en", sentence, sizeof(sentence));
                fprintf(stderr, "  photo %zu: %s\n", i + 1, sentence);
            }
        }
        rc = st == IDP_E_REJECTED || st == IDP_E_FIELD || st == IDP_E_EXPIRED ? 1 : 2;
        goto out;
    }
    printf("reference %s\ncreated %s\nrequest.pdf sha256 %s\n", idp_build_result_reference(result),
           idp_build_result_created(result), idp_build_result_pdf_sha256(result));

    if (idp_verify_report_create(ctx, &verify) != IDP_OK ||
        idp_package_verify(ctx, argv[3], NULL, verify) != IDP_OK) {
        fprintf(stderr, "%s\n", idp_ctx_error(ctx));
        goto out;
    }
    printf("verified %zu files, %zu problems\n", idp_verify_report_files_ok(verify),
           idp_verify_report_problems(verify));
    rc = idp_verify_report_problems(verify) == 0 ? 0 : 2;
out:
    idp_verify_report_destroy(verify);
    idp_build_result_destroy(result);
    idp_build_opts_destroy(opts);
    idp_form_destroy(form);
    idp_ctx_destroy(ctx);
    return rc;
}
