/* idpack check: measures ID photos and says, in plain words, what Amazon
 * would reject and what to do about it. */
#include "tool.h"

#include "idp_util.h"
#include "idp_check.h"
#include "idp_policy.h"
#include "tool_opts.h"
#include "tool_report.h"

#include <jansson.h>
#include <stdio.h>
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
          "IMAGE is a JPEG, PNG, HEIC/HEIF, TIFF or PDF file (found from its content);\n"
          "each page of a multi-page TIFF or PDF, and each of two documents scanned on\n"
          "one PDF page, is checked as a photo of its own ('FILE (page 2 of 2)').\n"
          "\n"
          "Options:\n"
          "  --json           print the results as JSON on stdout\n"
          "  --policy FILE    read check thresholds from a JSON policy file\n"
          "  --lang LANG      language of the messages: en, it, ... (default: the locale's)\n"
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
    tool_getopt g = TOOL_GETOPT("check", argc, argv, "h", longopts);
    const char *lang_opt = NULL;
    int c;

    memset(o, 0, sizeof(*o));
    while ((c = tool_getopt_next(&g)) != -1) {
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
        default:
            return EXIT_USAGE;
        }
    }
    o->lang = tool_msg_lang(lang_opt);
    if (o->lang == NULL)
        return tool_usage_error("check", "unknown language '%s': the messages are in %s", lang_opt,
                                tool_msg_langs());
    if (optind >= argc)
        return tool_usage_error("check", "no image given");
    return 0;
}

/* Makes room for `more` entries at index `at` (shifting what follows),
 * the arrays growing to hold `need`. */
static bool grow_entries(idp_check_report ***reports, char ***errors, const char ***files,
                         uint32_t **pages, size_t *cap, size_t need, size_t at, size_t more)
{
    size_t old_n = need - more;

    if (need > *cap) {
        idp_check_report **r = realloc(*reports, need * sizeof(**reports));
        if (r == NULL)
            return false;
        *reports = r;
        char **e = realloc(*errors, need * sizeof(**errors));
        if (e == NULL)
            return false;
        *errors = e;
        const char **f = realloc(*files, need * sizeof(**files));
        if (f == NULL)
            return false;
        *files = f;
        uint32_t *p = realloc(*pages, need * sizeof(**pages));
        if (p == NULL)
            return false;
        *pages = p;
        *cap = need;
    }
    memmove(*reports + at + more, *reports + at, (old_n - at) * sizeof(**reports));
    memmove(*errors + at + more, *errors + at, (old_n - at) * sizeof(**errors));
    memmove(*files + at + more, *files + at, (old_n - at) * sizeof(**files));
    memmove(*pages + at + more, *pages + at, (old_n - at) * sizeof(**pages));
    memset(*reports + at, 0, more * sizeof(**reports));
    memset(*errors + at, 0, more * sizeof(**errors));
    return true;
}

int cmd_check(int argc, char **argv)
{
    check_opts o;
    idp_policy *policy = NULL;
    idp_ctx *ctx = NULL;
    idp_check_report **reports = NULL;
    char **errors = NULL;
    const char **files = NULL;
    uint32_t *pages = NULL;
    size_t n, cap;
    char today[IDP_DAY_LEN], zone[64];
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
    tool_apply_limits(ctx);
    /* the day the MRZ's expiry is judged against: the one build takes */
    if (!tool_today("check", today, zone, sizeof(zone))) {
        exit_code = EXIT_USAGE;
        goto out;
    }
    idp_ctx_set_today(ctx, today);
    idp_ctx_set_threads(ctx, 2); /* one photo at a time: detection beside it (library.md) */
    if (idp_policy_create(ctx, &policy) != IDP_OK) {
        tool_error("out of memory");
        exit_code = EXIT_SOFTWARE;
        goto out;
    }
    if (o.policy_file != NULL) {
        idp_status st = idp_policy_load(ctx, o.policy_file, policy);
        if (st != IDP_OK) {
            tool_error(idp_ctx_error(ctx));
            exit_code = st == IDP_E_POLICY ? EXIT_DATAERR : tool_exit_for(st);
            goto out;
        }
    }
    /* One entry per photo: a file holding several parts (a multi-page TIFF
     * or PDF, two documents on one scanned page) gives one per part. */
    cap = n > 0 ? n : 1;
    reports = calloc(cap, sizeof(*reports));
    errors = calloc(cap, sizeof(*errors));
    files = calloc(cap, sizeof(*files));
    pages = calloc(cap, sizeof(*pages));
    if (reports == NULL || errors == NULL || files == NULL || pages == NULL) {
        tool_error("out of memory");
        exit_code = EXIT_SOFTWARE;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        files[i] = argv[optind + (int)i];
        pages[i] = 0;
    }
    for (size_t i = 0; i < n; i++) {
        const char *file = files[i];
        idp_status st;

        idp_ctx_clear(ctx);
        if (reports[i] == NULL && idp_check_report_create(ctx, &reports[i]) != IDP_OK) {
            tool_error("out of memory");
            exit_code = EXIT_SOFTWARE;
            goto out;
        }
        st = idp_check_file_page(ctx, file, pages[i], policy, reports[i]);
        if (pages[i] == 0 && idp_check_report_pages(reports[i]) > 1) {
            size_t more = idp_check_report_pages(reports[i]) - 1;
            if (!grow_entries(&reports, &errors, &files, &pages, &cap, n + more, i + 1, more)) {
                tool_error("out of memory");
                exit_code = EXIT_SOFTWARE;
                goto out;
            }
            for (size_t k = 1; k <= more; k++) {
                files[i + k] = file;
                pages[i + k] = (uint32_t)k;
            }
            n += more;
        }
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
            /* the verdict is error (idp_check_file_page) */
        }
    }
    if (n > 1 && idp_check_report_duplicates(ctx, reports, n, policy) != IDP_OK) {
        tool_error("out of memory");
        exit_code = EXIT_SOFTWARE;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if (idp_check_report_verdict(reports[i]) == IDP_VERDICT_ERROR)
            any_error = true;
        else if (idp_check_report_verdict(reports[i]) == IDP_VERDICT_FAIL)
            any_fail = true;
    }
    if (o.json) {
        json_t *root = json_object(), *images = json_array();
        for (size_t i = 0; i < n; i++) {
            json_t *img =
                tool_report_json(files[i], reports[i], errors[i] ? errors[i] : "", o.lang);
            if (img != NULL && idp_check_report_pages(reports[i]) > 1) {
                json_object_set_new(img, "page", json_integer((json_int_t)pages[i] + 1));
                json_object_set_new(img, "pages",
                                    json_integer((json_int_t)idp_check_report_pages(reports[i])));
            }
            json_array_append_new(images, img);
        }
        json_object_set_new(root, "images", images);
        json_object_set_new(root, "today", json_pack("{s:s, s:s}", "date", today, "zone", zone));
        if (json_dumpf(root, stdout, TOOL_JSON_FLAGS) != 0)
            exit_code = EXIT_IOERR;
        fputc('\n', stdout);
        json_decref(root);
    } else {
        for (size_t i = 0; i < n; i++) {
            char label[64];
            char *name = NULL;
            if (idp_check_report_pages(reports[i]) > 1) {
                snprintf(label, sizeof(label), tool_tr(o.lang, " (page %u of %u)"), pages[i] + 1,
                         idp_check_report_pages(reports[i]));
                name = malloc(strlen(files[i]) + strlen(label) + 1);
                if (name != NULL) {
                    strcpy(name, files[i]);
                    strcat(name, label);
                }
            }
            tool_report_text(stdout, name != NULL ? name : files[i], reports[i],
                             errors[i] ? errors[i] : "", o.lang);
            free(name);
        }
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
        idp_check_report_destroy(reports[i]); /* wiped: personal data */
    free(reports);
    idp_policy_destroy(policy);
    free(files);
    free(pages);
    idp_ctx_destroy(ctx);
    return exit_code;
}
