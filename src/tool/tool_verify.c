/* idpack verify: re-checks every hash of a package and its signature. */
#include "tool.h"

#include "idp_package.h"
#include "tool_opts.h"
#include "tool_report.h"

#include <jansson.h>
#include <string.h>

static void verify_help(void)
{
    fputs("Usage: idpack verify DIR [--pubkey PUB.pem] [--json]\n"
          "\n"
          "Checks a package folder made by 'idpack build': every file's SHA-256 against\n"
          "SHA256SUMS and manifest.json, that no file is missing or added, and, with\n"
          "--pubkey, the Ed25519 signature manifest.json.sig.\n"
          "\n"
          "Options:\n"
          "  --pubkey PUB.pem   verify the signature with this public key\n"
          "  --json             print the result as JSON\n"
          "  -h, --help         show this help\n"
          "\n"
          "Exit status: 0 everything matches, 1 a file differs, is missing or extra, or the\n"
          "signature does not verify, 66 DIR does not exist, 64 usage error.\n",
          stdout);
}

int cmd_verify(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"pubkey", required_argument, NULL, 'k'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *pubkey = NULL, *dir;
    bool json = false;
    idp_ctx *ctx = NULL;
    idp_verify_report *rep = NULL;
    const char *reference = NULL;
    size_t n_problems = 0;
    bool sig_checked = false, sig_ok = false;
    idp_status st;
    tool_getopt g = TOOL_GETOPT("verify", argc, argv, "h", longopts);
    int c, exit_code;

    while ((c = tool_getopt_next(&g)) != -1) {
        switch (c) {
        case 'k':
            if (pubkey != NULL)
                return tool_usage_error("verify", "--pubkey given twice");
            pubkey = optarg;
            break;
        case 'j':
            if (json)
                return tool_usage_error("verify", "--json given twice");
            json = true;
            break;
        case 'h':
            verify_help();
            return EXIT_OK;
        default:
            return EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return tool_usage_error("verify", "no package folder given");
    if (optind + 1 < argc)
        return tool_usage_error("verify", "one package folder at a time ('%s' is extra)",
                                argv[optind + 1]);
    dir = argv[optind];
    if (idp_ctx_create(&ctx) != IDP_OK) {
        tool_error("out of memory");
        return EXIT_SOFTWARE;
    }
    st = idp_verify_report_create(ctx, &rep);
    if (st == IDP_OK)
        st = idp_package_verify(ctx, dir, pubkey, rep);
    if (st != IDP_OK) {
        if (json) {
            json_t *root = json_pack("{s:o, s:s, s:o}", "package", tool_json_string(dir), "status",
                                     "error", "error", tool_json_string(idp_ctx_error(ctx)));
            json_dumpf(root, stdout, TOOL_JSON_FLAGS);
            fputc('\n', stdout);
            json_decref(root);
        }
        tool_error(idp_ctx_error(ctx));
        exit_code = tool_exit_for(st);
        goto out;
    }
    n_problems = idp_verify_report_problems(rep);
    reference = idp_verify_report_reference(rep);
    sig_checked = idp_verify_report_signature(rep, &sig_ok);
    exit_code = n_problems == 0 ? EXIT_OK : EXIT_REJECTED;
    if (json) {
        json_t *root = json_object(), *problems = json_array();
        json_object_set_new(root, "package", tool_json_string(dir));
        json_object_set_new(root, "status", json_string(n_problems == 0 ? "ok" : "mismatch"));
        json_object_set_new(root, "reference", reference ? json_string(reference) : json_null());
        json_object_set_new(root, "files_ok",
                            json_integer((json_int_t)idp_verify_report_files_ok(rep)));
        json_object_set_new(root, "signature",
                            json_string(!sig_checked ? "not checked"
                                        : sig_ok     ? "valid"
                                                     : "invalid"));
        for (size_t i = 0; i < n_problems; i++) {
            const char *file, *detail;
            idp_problem_kind kind = idp_verify_report_problem(rep, i, &file, &detail);
            json_array_append_new(problems,
                                  json_pack("{s:o, s:s, s:o}", "file", tool_json_string(file),
                                            "problem", idp_problem_kind_name(kind), "detail",
                                            tool_json_string(detail)));
        }
        json_object_set_new(root, "problems", problems);
        json_dumpf(root, stdout, TOOL_JSON_FLAGS);
        fputc('\n', stdout);
        json_decref(root);
    } else {
        for (size_t i = 0; i < n_problems; i++) {
            const char *file, *detail;
            idp_problem_kind kind = idp_verify_report_problem(rep, i, &file, &detail);
            tool_put_safe(stdout, dir);
            putchar('/');
            tool_put_safe(stdout, file);
            printf(": %s: ", idp_problem_kind_name(kind));
            tool_put_safe(stdout, detail);
            putchar('\n');
        }
        tool_put_safe(stdout, dir);
        if (n_problems == 0)
            printf(": OK, %zu files match%s (reference %s)\n", idp_verify_report_files_ok(rep),
                   !sig_checked ? ", signature not checked"
                   : sig_ok     ? ", signature valid"
                                : ", signature INVALID",
                   reference ? reference : "unknown");
        else
            printf(": %zu problem%s found\n", n_problems, n_problems == 1 ? "" : "s");
    }
out:
    idp_verify_report_destroy(rep);
    idp_ctx_destroy(ctx);
    return exit_code;
}
