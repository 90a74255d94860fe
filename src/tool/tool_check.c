/* idpack check: measures ID photos and says, in plain words, what Amazon
 * would reject and what to do about it. */
#include "tool.h"

#include "idp_check.h"
#include "idp_policy.h"
#include "tool_report.h"

#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

typedef struct check_opts {
    bool json;
    const char *policy_file;
    const char *lang;
} check_opts;

static void check_help(void)
{
    fputs("Usage: idpack check [--json] [--policy FILE] [--lang en|it] IMAGE...\n"
          "\n"
          "Checks photos of an ID document against what Amazon accepts: readable, within\n"
          "the size limits, enough resolution, sharp, well exposed, no glare, in colour,\n"
          "not a screenshot, and (with two or more photos) not the same photo twice.\n"
          "Each check passes, warns or fails; a photo fails if any check fails.\n"
          "\n"
          "Options:\n"
          "  --json           print the results as JSON on stdout\n"
          "  --policy FILE    read check thresholds from a JSON policy file\n"
          "  --lang LANG      language of the messages: en or it (default: from the locale)\n"
          "  -h, --help       show this help\n"
          "\n"
          "Exit status: 0 no photo fails, 1 a photo fails a check, 65 a photo cannot be\n"
          "read (corrupt, not an image, over the limits), 66 a photo does not exist,\n"
          "64 usage error.\n",
          stdout);
}

static int parse_opts(int argc, char **argv, check_opts *o)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'j'},
        {"policy", required_argument, NULL, 'p'},
        {"lang", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *lang_opt = NULL;
    int c;

    memset(o, 0, sizeof(*o));
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'j':
            if (o->json)
                return tool_usage_error("check", "--json given twice");
            o->json = true;
            break;
        case 'p':
            if (o->policy_file != NULL)
                return tool_usage_error("check", "--policy given twice");
            o->policy_file = optarg;
            break;
        case 'l':
            if (lang_opt != NULL)
                return tool_usage_error("check", "--lang given twice");
            lang_opt = optarg;
            break;
        case 'h':
            check_help();
            return -1;
        case ':':
            return tool_usage_error("check", "option %s needs a value", argv[optind - 1]);
        default:
            return tool_usage_error("check", "unknown option '%s'", argv[optind - 1]);
        }
    }
    o->lang = tool_lang(lang_opt);
    if (o->lang == NULL)
        return tool_usage_error("check", "unknown language '%s' (use en, it, de, fr or es)",
                                lang_opt);
    if (optind >= argc)
        return tool_usage_error("check", "no image given");
    return 0;
}

int cmd_check(int argc, char **argv)
{
    check_opts o;
    idp_policy policy;
    idp_ctx *ctx = NULL;
    idp_check_report *reports = NULL;
    char **errors = NULL;
    size_t n;
    int rc, exit_code = EXIT_OK;
    bool any_missing = false, any_error = false, any_fail = false;

    rc = parse_opts(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    n = (size_t)(argc - optind);
    if (idp_ctx_create(&ctx) != IDP_OK) {
        tool_error("out of memory");
        return EXIT_SOFTWARE;
    }
    idp_policy_default(&policy);
    if (o.policy_file != NULL) {
        idp_status st = idp_policy_load(ctx, o.policy_file, &policy);
        if (st != IDP_OK) {
            tool_error(idp_ctx_error(ctx));
            exit_code = st == IDP_E_POLICY ? EXIT_DATAERR : tool_exit_for(st);
            goto out;
        }
    }
    reports = calloc(n, sizeof(*reports));
    errors = calloc(n, sizeof(*errors));
    if (reports == NULL || errors == NULL) {
        tool_error("out of memory");
        exit_code = EXIT_SOFTWARE;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const char *file = argv[optind + (int)i];
        idp_status st;

        idp_ctx_clear(ctx);
        st = idp_check_file(ctx, file, &policy, &reports[i]);
        if (st != IDP_OK) {
            errors[i] = strdup(idp_ctx_error(ctx));
            if (errors[i] == NULL) {
                tool_error("out of memory");
                exit_code = EXIT_SOFTWARE;
                goto out;
            }
            if (st == IDP_E_NOTFOUND)
                any_missing = true;
            else if (st == IDP_E_NOMEM || st == IDP_E_INTERNAL || st == IDP_E_IO)
                exit_code = tool_exit_for(st);
            reports[i].verdict = IDP_VERDICT_ERROR;
        }
    }
    if (n > 1)
        idp_check_duplicates(reports, n, &policy);
    for (size_t i = 0; i < n; i++) {
        if (reports[i].verdict == IDP_VERDICT_ERROR)
            any_error = true;
        else if (reports[i].verdict == IDP_VERDICT_FAIL)
            any_fail = true;
    }
    if (o.json) {
        json_t *root = json_object(), *images = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(images, tool_report_json(argv[optind + (int)i], &reports[i],
                                                           errors[i] ? errors[i] : "", o.lang));
        json_object_set_new(root, "images", images);
        if (json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
            exit_code = EXIT_IOERR;
        fputc('\n', stdout);
        json_decref(root);
    } else {
        for (size_t i = 0; i < n; i++)
            tool_report_text(stdout, argv[optind + (int)i], &reports[i], errors[i] ? errors[i] : "",
                             o.lang);
    }
    if (exit_code == EXIT_OK) {
        if (any_missing)
            exit_code = EXIT_NOINPUT;
        else if (any_error)
            exit_code = EXIT_DATAERR;
        else if (any_fail)
            exit_code = EXIT_REJECTED;
    }
    if (fflush(stdout) != 0 && exit_code == EXIT_OK)
        exit_code = EXIT_IOERR;
out:
    if (errors != NULL)
        for (size_t i = 0; i < n; i++)
            free(errors[i]);
    free(errors);
    for (size_t i = 0; reports != NULL && i < n; i++)
        idp_mrz_wipe(&reports[i].mrz); /* personal data */
    free(reports);
    idp_ctx_destroy(ctx);
    return exit_code;
}
