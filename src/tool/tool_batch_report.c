/* idpack batch report DIR: the reports of a batch's shards merged into
 * DIR/report.json and DIR/report.csv, and the summary printed. */
#include "tool.h"

#include "idp_batch.h"
#include "tool_opts.h"
#include "tool_report.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static void report_help(void)
{
    fputs("Usage: idpack batch report DIR [--json] [--lang LANG]\n"
          "\n"
          "Merges the reports that the shards of a batch (idpack batch, option shard I/N)\n"
          "wrote into DIR, one per shard (DIR/report-shard-I-of-N.json), into\n"
          "DIR/report.json and DIR/report.csv, as one batch without shards would have\n"
          "written them: every row of the CSV once, in CSV order. Nothing is written\n"
          "unless every shard 1..N has its report and they agree: the same N, the same\n"
          "CSV (its SHA-256 and number of rows), each row in exactly one shard's report.\n"
          "\n"
          "Options:\n"
          "  --json             print the merged report.json on stdout (when shards are\n"
          "                     missing: {\"count\": N, \"missing\": [I, ...]})\n"
          "  --lang LANG        language of the messages (en, it; default: the locale)\n"
          "  -h, --help         show this help\n"
          "\n"
          "Exit status: 0 every row ok or skipped, 1 a row failed, 64 usage error,\n"
          "65 the shards do not agree (reports of different N or CSVs, a report not as\n"
          "idpack writes it), 66 DIR or some shards' reports are missing (named on\n"
          "stderr), 73 a batch is still writing into DIR or the reports cannot be\n"
          "written, 74 an I/O error.\n",
          stdout);
}

/* Every shard's report is open at once while merging: up to
 * IDP_BATCH_SHARDS_MAX files, over the usual soft limit of 1024. */
static void more_files(void)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < IDP_BATCH_SHARDS_MAX + 64) {
        rl.rlim_cur =
            rl.rlim_max < IDP_BATCH_SHARDS_MAX + 64 ? rl.rlim_max : IDP_BATCH_SHARDS_MAX + 64;
        (void)setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static void print_missing(const idp_batch_merge_result *res)
{
    json_t *o = json_object(), *a = json_array();

    for (size_t i = 0; a != NULL && i < idp_batch_merge_result_missing(res); i++)
        json_array_append_new(a, json_integer(idp_batch_merge_result_missing_shard(res, i)));
    json_object_set_new(o, "count", json_integer(idp_batch_merge_result_count(res)));
    json_object_set_new(o, "missing", a);
    json_dumpf(o, stdout, TOOL_JSON_FLAGS);
    putchar('\n');
    json_decref(o);
}

int cmd_batch_report(int argc, char **argv)
{
    enum { O_JSON = 256, O_LANG };
    static const struct option longopts[] = {
        {"json", no_argument, NULL, O_JSON},
        {"lang", required_argument, NULL, O_LANG},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    tool_getopt g = TOOL_GETOPT("batch report", argc, argv, "h", longopts);
    const char *lang_opt = NULL, *lang, *dir;
    bool json = false;
    idp_batch_merge_result *res = NULL;
    const idp_batch_report *sum;
    idp_ctx *ctx = NULL;
    idp_status st;
    int c, rc = 0;

    while (rc == 0 && (c = tool_getopt_next(&g)) != -1) {
        switch (c) {
        case O_JSON:
            rc = tool_opt_flag("batch report", &json, "json");
            break;
        case O_LANG:
            rc = tool_opt_once("batch report", &lang_opt, "lang", optarg);
            break;
        case 'h':
            report_help();
            return EXIT_OK;
        default:
            return EXIT_USAGE;
        }
    }
    if (rc != 0)
        return rc;
    lang = tool_msg_lang(lang_opt);
    if (lang == NULL)
        return tool_usage_error("batch report", "unknown language '%s' (use %s)", lang_opt,
                                tool_msg_langs());
    if (optind >= argc)
        return tool_usage_error(
            "batch report", "%s",
            tool_tr(lang, "the folder DIR is required: idpack batch report DIR"));
    if (optind + 1 < argc)
        return tool_usage_error("batch report", tool_tr(lang, "unexpected argument '%s'"),
                                argv[optind + 1]);
    dir = argv[optind];
    if (idp_ctx_create(&ctx) != IDP_OK) {
        tool_error("out of memory");
        return EXIT_SOFTWARE;
    }
    idp_ctx_set_lang(ctx, lang);
    if (idp_batch_merge_result_create(ctx, &res) != IDP_OK) {
        tool_error("out of memory");
        rc = EXIT_SOFTWARE;
        goto out;
    }
    more_files();
    st = idp_batch_merge(ctx, dir, res);
    if (st != IDP_OK) {
        tool_print_error("batch report", idp_ctx_error(ctx));
        if (st == IDP_E_NOTFOUND || st == IDP_E_FORMAT)
            fprintf(stderr, "%s\n",
                    tool_tr(lang, "A shard runs as: idpack batch CSV --shard I/N --out DIR (with "
                                  "--resume it finishes the rows a stopped run left)"));
        if (json && idp_batch_merge_result_missing(res) > 0)
            print_missing(res);
        rc = tool_exit_for(st);
        goto out;
    }
    sum = idp_batch_merge_result_summary(res);
    if (json) {
        rc = tool_batch_cat_report(dir, "report", lang);
        if (rc != EXIT_OK)
            goto out;
    } else {
        printf(tool_tr(lang, "Merged %u shards: %zu rows: %zu ok, %zu failed, %zu skipped; %zu "
                             "built with warnings.\nReports: %s/report.json, %s/report.csv\n"),
               idp_batch_merge_result_count(res), idp_batch_report_rows(sum),
               idp_batch_report_ok(sum), idp_batch_report_failed(sum),
               idp_batch_report_skipped(sum), idp_batch_report_warned(sum), dir, dir);
    }
    rc = idp_batch_report_failed(sum) > 0 ? EXIT_REJECTED : EXIT_OK;
out:
    idp_batch_merge_result_destroy(res);
    idp_ctx_destroy(ctx);
    return rc;
}
