/* idpack batch: one package per row of a CSV of customers, in parallel,
 * with a progress bar on a terminal and a report (JSON and CSV). */
#include "tool.h"

#include "idp_batch.h"
#include "idp_font.h"
#include "idp_ledger.h"
#include "idp_policy.h"
#include "idp_profile.h"
#include "idpack.h"
#include "tool_opts.h"
#include "tool_profile.h"
#include "tool_report.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_JOBS 256

typedef struct batch_cli {
    const char *csv, *out, *jobs, *ledger, *date, *policy, *lang_opt, *font, *shard, *agent;
    bool resume, no_ledger, json, allow_outside, help, mrz;
} batch_cli;

static void batch_help(void)
{
    fputs("Usage: idpack batch --csv FILE --out DIR [-j N] [--resume]\n"
          "                    [--ledger PATH | --no-ledger] [--json] [--allow-outside]\n"
          "                    [--date ISO-8601] [--policy FILE] [--lang LANG]\n"
          "                    [--font FILE] [--shard I/N] [--mrz] [--agent NAME]\n"
          "       idpack batch report DIR [--json] [--lang LANG]\n"
          "\n"
          "Builds one package per row of a CSV of customers, as 'idpack build' would,\n"
          "into DIR/<customer>/, several at a time, and writes DIR/report.json and\n"
          "DIR/report.csv with each row's result and, for failed rows, the reasons.\n"
          "A bad row never stops the others.\n"
          "\n"
          "CSV: UTF-8, a header row, one row per customer. Columns: customer (names the\n"
          "folder), front, back (photo paths relative to the CSV's folder), lang, and\n"
          "the request's fields: full_name, account_email, id_type, id_expiry (required),\n"
          "phone, new_phone, business_name, store_name, seller_id, marketplace, country,\n"
          "reason, steps_tried (optional; an empty cell leaves the field unset). An\n"
          "unknown or missing required column stops the whole batch.\n"
          "\n"
          "Options:\n"
          "  --csv FILE         the CSV of customers (required)\n"
          "  --out DIR          the folder for the packages and reports (required;\n"
          "                     created if missing)\n"
          "  -j, --jobs N       packages built at once (default: number of cores)\n"
          "  --resume           keep packages that verify, rebuild the rest, remove\n"
          "                     temporary folders left by an interrupted run\n"
          "  --ledger PATH      record each package in this ledger (default:\n"
          "                     $IDPACK_LEDGER, else $XDG_DATA_HOME/idpack/ledger.sqlite)\n"
          "  --no-ledger        do not record packages\n"
          "  --agent NAME       who records them in the ledger (default: $IDPACK_AGENT,\n"
          "                     else the login name)\n"
          "  --json             print the report as JSON on stdout\n"
          "  --allow-outside    accept photo paths outside the CSV's folder\n"
          "  --date DATE        date of the requests, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ\n"
          "                     (default: SOURCE_DATE_EPOCH, else now), the same for all\n"
          "  --policy FILE      check thresholds (see docs/checks.md)\n"
          "  --lang LANG        language of rows with an empty lang cell, and of the\n"
          "                     report's messages (default: the saved profile's lang,\n"
          "                     else from the locale, else en)\n"
          "  --font FILE        TrueType font for the letters (default: DejaVu Sans);\n"
          "                     one that draws the customers' scripts (CJK, ...)\n"
          "  --shard I/N        build only shard I of N (1 <= I <= N <= 1000): the rows\n"
          "                     whose customer label's SHA-256 falls in it, so that N\n"
          "                     machines can build one CSV into one shared DIR; each\n"
          "                     writes DIR/report-shard-I-of-N.json and .csv, and\n"
          "                     --resume works per shard\n"
          "  --mrz              read each ID's machine-readable zone (the default, and the\n"
          "                     policy's \"mrz\": {\"read\": 1}; {\"read\": 0} turns it off):\n"
          "                     the id_type and id_expiry columns may be left out or\n"
          "                     empty (taken from it); a row whose id_type, id_expiry\n"
          "                     or full_name is not the zone's fails (docs/mrz.md)\n"
          "  -h, --help         show this help\n"
          "\n"
          "'idpack batch report DIR' merges the shards' reports into DIR/report.json and\n"
          "DIR/report.csv once every shard has run, and prints the summary: exit 0 every\n"
          "row ok or skipped, 1 a row failed, 66 shards missing (it names them), 65 the\n"
          "shards do not agree (another N, another CSV), 73 a batch is still writing.\n"
          "See 'idpack batch report --help'.\n"
          "\n"
          "A progress bar is shown on stderr when it is a terminal.\n"
          "\n"
          "Exit status: 0 every row ok or skipped, 1 a row failed, 64 usage error,\n"
          "65 the CSV is unreadable or has an unknown or missing column, 66 the CSV is\n"
          "missing, 73 DIR cannot be created or written.\n"
          "\n"
          "Each row is built in a process of its own, stopped after\n"
          "$IDPACK_BATCH_ROW_SECONDS (default 120) seconds and limited to\n"
          "$IDPACK_BATCH_ROW_MIB (default 1024) MiB of memory: such a row fails, the\n"
          "others go on, and --resume tries it again.\n",
          stdout);
}

#define BATCH_REPORT (-2) /* parse_opts: the first operand is "report" */

/* idpack batch [OPTIONS] report [OPTIONS] DIR: the words of argv but the
 * subcommand (word, by its address), after "report", for cmd_batch_report,
 * which refuses the options that are not its own. */
static int run_report(int argc, char **orig, const char *word)
{
    static char sub[] = "report";
    char **args = calloc((size_t)argc + 1, sizeof(*args));
    int n = 0, rc;

    if (args == NULL) {
        tool_error("out of memory");
        return EXIT_SOFTWARE;
    }
    args[n++] = sub;
    for (int i = 1; i < argc; i++)
        if (orig[i] != word)
            args[n++] = orig[i];
    rc = cmd_batch_report(n, args);
    free(args);
    return rc;
}

static int parse_opts(int argc, char **argv, batch_cli *o)
{
    enum {
        O_CSV = 256,
        O_OUT,
        O_RESUME,
        O_LEDGER,
        O_NO_LEDGER,
        O_JSON,
        O_ALLOW,
        O_DATE,
        O_POLICY,
        O_LANG,
        O_FONT,
        O_SHARD,
        O_MRZ,
        O_AGENT
    };
    static const struct option longopts[] = {
        {"csv", required_argument, NULL, O_CSV},
        {"out", required_argument, NULL, O_OUT},
        {"jobs", required_argument, NULL, 'j'},
        {"resume", no_argument, NULL, O_RESUME},
        {"ledger", required_argument, NULL, O_LEDGER},
        {"no-ledger", no_argument, NULL, O_NO_LEDGER},
        {"json", no_argument, NULL, O_JSON},
        {"allow-outside", no_argument, NULL, O_ALLOW},
        {"date", required_argument, NULL, O_DATE},
        {"policy", required_argument, NULL, O_POLICY},
        {"lang", required_argument, NULL, O_LANG},
        {"font", required_argument, NULL, O_FONT},
        {"shard", required_argument, NULL, O_SHARD},
        {"mrz", no_argument, NULL, O_MRZ},
        {"agent", required_argument, NULL, O_AGENT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    tool_getopt g = TOOL_GETOPT("batch", argc, argv, "hj:", longopts);
    int c, rc = 0;

    memset(o, 0, sizeof(*o));
    while (rc == 0 && (c = tool_getopt_next(&g)) != -1) {
        switch (c) {
        case O_CSV:
            rc = tool_opt_once("batch", &o->csv, "csv", optarg);
            break;
        case O_OUT:
            rc = tool_opt_once("batch", &o->out, "out", optarg);
            break;
        case 'j':
            rc = tool_opt_once("batch", &o->jobs, "jobs", optarg);
            break;
        case O_LEDGER:
            rc = tool_opt_once("batch", &o->ledger, "ledger", optarg);
            break;
        case O_DATE:
            rc = tool_opt_once("batch", &o->date, "date", optarg);
            break;
        case O_POLICY:
            rc = tool_opt_once("batch", &o->policy, "policy", optarg);
            break;
        case O_LANG:
            rc = tool_opt_once("batch", &o->lang_opt, "lang", optarg);
            break;
        case O_FONT:
            rc = tool_opt_once("batch", &o->font, "font", optarg);
            break;
        case O_SHARD:
            rc = tool_opt_once("batch", &o->shard, "shard", optarg);
            break;
        case O_RESUME:
            rc = tool_opt_flag("batch", &o->resume, "resume");
            break;
        case O_NO_LEDGER:
            rc = tool_opt_flag("batch", &o->no_ledger, "no-ledger");
            break;
        case O_JSON:
            rc = tool_opt_flag("batch", &o->json, "json");
            break;
        case O_ALLOW:
            rc = tool_opt_flag("batch", &o->allow_outside, "allow-outside");
            break;
        case O_MRZ:
            rc = tool_opt_flag("batch", &o->mrz, "mrz");
            break;
        case O_AGENT:
            rc = tool_opt_once("batch", &o->agent, "agent", optarg);
            break;
        case 'h':
            o->help = true; /* report's help if "report" is the operand, else now */
            for (int i = 1; i < argc && o->help; i++)
                o->help = argv[i] == NULL || strcmp(argv[i], "report") != 0;
            if (o->help) {
                batch_help();
                return -1;
            }
            o->help = true;
            break;
        default:
            return EXIT_USAGE;
        }
    }
    if (rc != 0)
        return rc;
    if (optind < argc && strcmp(argv[optind], "report") == 0)
        return BATCH_REPORT; /* options before the subcommand: idpack batch --json report DIR */
    if (o->help) {
        batch_help();
        return -1;
    }
    if (optind < argc)
        return tool_usage_error("batch", "unexpected argument '%s'", argv[optind]);
    if (o->csv == NULL)
        return tool_usage_error("batch", "--csv FILE is required");
    if (o->out == NULL)
        return tool_usage_error("batch", "--out DIR is required");
    if (o->ledger != NULL && o->no_ledger)
        return tool_usage_error("batch", "--ledger and --no-ledger exclude each other");
    if (o->agent != NULL && o->no_ledger)
        return tool_usage_error("batch", "--agent and --no-ledger exclude each other");
    return tool_agent_check("batch", o->agent);
}

/* The progress bar: redrawn in place on stderr, at most 10 times a second
 * (and always for the last row). */
typedef struct bar {
    const char *lang;
    bool on, seen;
    double start, last;
    size_t done0; /* rows already settled at the first call (refused before any build) */
} bar;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void bar_draw(void *user, const idp_batch_progress *p)
{
    bar *b = user;
    double t = now_s();
    char eta[32] = "";
    char cells[31];
    size_t width = sizeof(cells) - 1, filled;

    const size_t done = idp_batch_progress_done(p), total = idp_batch_progress_total(p);

    if (!b->seen) {
        b->seen = true;
        b->done0 = done;
    }
    if (!b->on || (done < total && done > b->done0 && t - b->last < 0.1))
        return;
    b->last = t;
    filled = total ? done * width / total : width;
    for (size_t i = 0; i < width; i++)
        cells[i] = i < filled ? '#' : '.';
    cells[width] = '\0';
    if (done > b->done0 && done < total) {
        double left = (t - b->start) / (double)(done - b->done0) * (double)(total - done);
        unsigned s = (unsigned)(left + 0.5);
        if (s >= 3600)
            snprintf(eta, sizeof(eta), tool_tr(b->lang, "  ETA %uh%02um"), s / 3600, s / 60 % 60);
        else
            snprintf(eta, sizeof(eta), tool_tr(b->lang, "  ETA %um%02us"), s / 60, s % 60);
    }
    fprintf(stderr, tool_tr(b->lang, "\r[%s] %zu/%zu  ok %zu  failed %zu  skipped %zu%s\033[K"),
            cells, done, total, idp_batch_progress_ok(p), idp_batch_progress_failed(p),
            idp_batch_progress_skipped(p), eta);
    fflush(stderr);
}

/* Rows printed on stdout (failed, or built with warnings): the first
 * SHOWN_MAX; the rest are in the reports. */
#define SHOWN_MAX 200

typedef struct shown {
    const char *lang; /* of the lines */
    bool json, bar_on;
    size_t n, hidden;
} shown;

static void print_row(void *user, const idp_batch_row *row)
{
    shown *sh = user;
    const bool failed = idp_batch_row_status(row) == IDP_ROW_FAILED;
    const size_t n_warnings = idp_batch_row_warnings(row);

    if (sh->json || (!failed && n_warnings == 0))
        return;
    if (sh->n >= SHOWN_MAX) {
        sh->hidden++;
        return;
    }
    sh->n++;
    if (sh->bar_on) { /* the row's lines, then the bar again below them */
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    printf(tool_tr(sh->lang, "row %zu ("), idp_batch_row_number(row));
    tool_put_safe(stdout, idp_batch_row_customer(row)); /* as the CSV has it: any bytes */
    fputs(failed ? tool_tr(sh->lang, "): failed\n")
                 : tool_tr(sh->lang, "): built, with warnings\n"),
          stdout);
    for (size_t k = 0; failed && k < idp_batch_row_reasons(row); k++) {
        fputs("  ", stdout);
        tool_put_safe(stdout, idp_batch_row_reason(row, k));
        putchar('\n');
    }
    for (size_t k = 0; k < n_warnings; k++) {
        fputs(tool_tr(sh->lang, "  warning: "), stdout);
        tool_put_safe(stdout, idp_batch_row_warning(row, k));
        putchar('\n');
    }
}

static void print_summary(const char *out, const char *stem, const idp_batch_report *r,
                          const shown *sh)
{
    const char *l = sh->lang;
    const size_t n_rows = idp_batch_report_rows(r), stale = idp_batch_report_stale_removed(r);

    if (sh->hidden > 0)
        printf(tool_tr(l, "... and %zu more rows failed or warned: see the reports.\n"),
               sh->hidden);
    printf(n_rows == 1 ? tool_tr(l, "%zu row: %zu ok, %zu failed, %zu skipped; %zu built with "
                                    "warnings.\nReports: %s/%s.json, %s/%s.csv\n")
                       : tool_tr(l, "%zu rows: %zu ok, %zu failed, %zu skipped; %zu built with "
                                    "warnings.\nReports: %s/%s.json, %s/%s.csv\n"),
           n_rows, idp_batch_report_ok(r), idp_batch_report_failed(r), idp_batch_report_skipped(r),
           idp_batch_report_warned(r), out, stem, out, stem);
    if (stale > 0)
        printf(stale == 1
                   ? tool_tr(l, "Removed %zu temporary folder left by an interrupted run.\n")
                   : tool_tr(l, "Removed %zu temporary folders left by an interrupted run.\n"),
               stale);
}

/* Without --lang: the saved profile's language, as drop and profile speak
 * it, else the locale's (tool_lang). */
static const char *default_lang(void)
{
    return tool_default_lang("batch", false);
}

/* A limit from the environment: a positive number, else the default. */
static double env_limit(const char *name, double def)
{
    const char *v = getenv(name);
    char *end = NULL;
    double d;

    if (v == NULL || *v == '\0')
        return def;
    d = strtod(v, &end);
    return end != v && *end == '\0' && d > 0 && d < 1e9 ? d : def;
}

/* Copies DIR/<stem>.json to stdout. */
int tool_batch_cat_report(const char *out, const char *stem, const char *lang)
{
    char path[4096];
    char buf[65536];
    size_t n;
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s.json", out, stem);
    f = fopen(path, "rb");
    if (f == NULL) {
        tool_print_error("batch", tool_tr(lang, "the report cannot be read back"));
        return EXIT_IOERR;
    }
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        if (fwrite(buf, 1, n, stdout) != n)
            break;
    fclose(f);
    return EXIT_OK;
}

int cmd_batch(int argc, char **argv)
{
    char today[IDP_DAY_LEN], zone[64];
    batch_cli o;
    idp_batch_opts *bo = NULL;
    idp_batch_report *report = NULL;
    int64_t date;
    idp_policy *policy = NULL;
    idp_ctx *ctx = NULL;
    idp_ledger *ledger = NULL;
    char *font = NULL, *ledger_path = NULL;
    shown sh = {NULL, false, false, 0, 0};
    unsigned jobs = 0;
    const char *lang;
    bar progress = {NULL, false, false, 0, 0, 0};

    /* Workers allocate and free photo-sized buffers row after row: keep
     * them in the heap instead of mapping and unmapping each one, which
     * serialises the workers on the process's memory map. */
    (void)mallopt(M_MMAP_THRESHOLD, 64 << 20);
    (void)mallopt(M_TRIM_THRESHOLD, 256 << 20);
    idp_status st;
    int rc;
    unsigned shard_i = 0, shard_n = 0;
    int guard_fd = -1;
    char stem[48] = "report";

    if (argc >= 2 && strcmp(argv[1], "report") == 0)
        return cmd_batch_report(argc - 1, argv + 1);
    {
        /* parse_opts moves the operands to the front: keep the order given */
        char **orig = malloc(((size_t)argc + 1) * sizeof(*orig));
        if (orig == NULL) {
            tool_error("out of memory");
            return EXIT_SOFTWARE;
        }
        memcpy(orig, argv, ((size_t)argc + 1) * sizeof(*orig));
        rc = parse_opts(argc, argv, &o);
        if (rc == BATCH_REPORT) {
            rc = run_report(argc, orig, argv[optind]);
            free(orig);
            return rc;
        }
        free(orig);
        if (rc != 0)
            return rc < 0 ? EXIT_OK : rc;
    }
    if (o.jobs != NULL && !tool_parse_u32(o.jobs, MAX_JOBS, &jobs))
        return tool_usage_error("batch", "-j needs a number from 1 to %d, not '%s'", MAX_JOBS,
                                o.jobs);
    if (jobs == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (unsigned)n;
    }
    lang = o.lang_opt != NULL ? tool_lang(o.lang_opt) : default_lang();
    if (lang == NULL)
        return tool_usage_error("batch", "unknown language '%s' (use en, it, de, fr or es)",
                                o.lang_opt);
    if (o.shard != NULL) {
        if (!idp_batch_shard_parse(o.shard, &shard_i, &shard_n))
            return tool_usage_error(
                "batch",
                tool_tr(lang, "--shard needs I/N, shard I of N with 1 <= I <= N <= %u (such as "
                              "2/4), not '%s'"),
                IDP_BATCH_SHARDS_MAX, o.shard);
        idp_batch_shard_stem(shard_i, shard_n, stem, sizeof(stem));
    }
    if (!tool_request_date("batch", o.date, &date))
        return EXIT_USAGE;
    if (!tool_date_fixed(o.date))
        idp_local_day(date, today, zone, sizeof(zone));
    /* before the ledger is opened and the workers start */
    if (shard_n > 0)
        guard_fd = tool_shard_guard(o.out, stem); /* this shard's temporaries only */
    else
        tool_guard(&o.out, 1);
    if (idp_ctx_create(&ctx) != IDP_OK) {
        tool_error("out of memory");
        return EXIT_SOFTWARE;
    }
    if (idp_batch_opts_create(ctx, &bo) != IDP_OK ||
        idp_batch_report_create(ctx, &report) != IDP_OK) {
        tool_error("out of memory");
        rc = EXIT_SOFTWARE;
        goto out;
    }
    idp_batch_opts_set_date(bo, date, tool_date_fixed(o.date) ? NULL : today,
                            tool_date_fixed(o.date) ? NULL : zone);
    tool_apply_limits(ctx);
    idp_ctx_set_lang(ctx, lang); /* the errors of a policy, a font, the ledger, the CSV */
    sh.lang = lang;
    progress.lang = lang;
    st = idp_policy_create(ctx, &policy);
    if (st != IDP_OK) {
        tool_print_error("batch", idp_ctx_error(ctx));
        rc = tool_exit_for(st);
        goto out;
    }
    if (o.policy != NULL) {
        st = idp_policy_load(ctx, o.policy, policy);
        if (st != IDP_OK) {
            tool_print_error("batch", idp_ctx_error(ctx));
            rc = tool_exit_for(st);
            goto out;
        }
    }
    if (o.mrz)
        idp_policy_set_mrz_read(policy, true);
    /* The font every row would look up: once, here. A file given is only
     * checked for reading (each row's build loads it); the tool says why. */
    char font_error[8192] = "out of memory";
    if (o.font != NULL) {
        font = strdup(o.font);
        st = font != NULL ? IDP_OK : IDP_E_NOMEM;
        if (st == IDP_OK && access(o.font, R_OK) != 0) {
            st = IDP_E_NOTFOUND;
            snprintf(font_error, sizeof(font_error),
                     tool_tr(lang, "%s: the font cannot be read (give a readable TrueType "
                                   "file to --font)"),
                     o.font);
        }
    } else {
        char found[4096];
        st = idp_font_path(ctx, "DejaVu Sans", 0, found, sizeof(found));
        if (st == IDP_OK && (font = strdup(found)) == NULL)
            st = IDP_E_NOMEM;
    }
    if (st != IDP_OK) {
        tool_print_error("batch",
                         o.font != NULL || st == IDP_E_NOMEM ? font_error : idp_ctx_error(ctx));
        rc = tool_exit_for(st);
        goto out;
    }
    if (!o.no_ledger) {
        /* One connection for every worker: the library records under its
         * lock, one row at a time. */
        rc = tool_ledger_path("batch", o.ledger, true, &ledger_path);
        if (rc != EXIT_OK)
            goto out;
        st = tool_ledger_open(ctx, ledger_path, NULL, &ledger);
        if (st != IDP_OK) {
            tool_print_error("batch", idp_ctx_error(ctx));
            rc = tool_exit_for(st);
            goto out;
        }
    }
    idp_batch_opts_set_csv(bo, o.csv, o.out);
    idp_batch_opts_set_jobs(bo, jobs);
    idp_batch_opts_set_resume(bo, o.resume);
    idp_batch_opts_set_resume_name(bo, "--resume"); /* named in the rows' reasons */
    idp_batch_opts_set_allow_outside_name(bo, "--allow-outside");
    idp_batch_opts_set_allow_outside(bo, o.allow_outside);
    idp_batch_opts_set_template(bo, tool_templates_dir(), "2fa-reset");
    idp_batch_opts_set_lang(bo, lang);
    idp_batch_opts_set_font(bo, font);
    idp_batch_opts_set_policy(bo, policy);
    idp_batch_opts_set_tool_version(bo, IDPACK_VERSION_STRING);
    idp_batch_opts_set_ledger(bo, ledger, o.agent);
    progress.on = isatty(STDERR_FILENO) == 1;
    progress.start = now_s();
    idp_batch_opts_set_progress(bo, bar_draw, &progress);
    sh.json = o.json;
    sh.bar_on = progress.on;
    idp_batch_opts_set_on_row(bo, print_row, &sh);
    idp_batch_opts_set_row_limits(bo, env_limit("IDPACK_BATCH_ROW_SECONDS", 120),
                                  (uint64_t)(env_limit("IDPACK_BATCH_ROW_MIB", 1024) * 1048576.0));
    idp_batch_opts_set_shard(bo, shard_i, shard_n, tool_shard_guard_name, &guard_fd);
    st = idp_batch_run(ctx, bo, report);
    if (progress.on && st == IDP_OK)
        fputc('\n', stderr);
    if (st != IDP_OK) {
        tool_print_error("batch", idp_ctx_error(ctx));
        rc = tool_exit_for(st);
        goto out;
    }
    if (o.json) {
        rc = tool_batch_cat_report(o.out, stem, lang);
        if (rc != EXIT_OK)
            goto out;
    } else {
        print_summary(o.out, stem, report, &sh);
    }
    rc = idp_batch_report_failed(report) > 0 ? EXIT_REJECTED : EXIT_OK;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        tool_print_error("batch", tool_tr(lang, "standard output: write error (the reports are "
                                                "in DIR)"));
        rc = EXIT_IOERR;
        clearerr(stdout); /* said once here, not again by main */
    }
out:
    idp_batch_report_destroy(report);
    idp_batch_opts_destroy(bo);
    idp_ledger_close(ledger);
    free(ledger_path);
    free(font);
    idp_policy_destroy(policy);
    idp_ctx_destroy(ctx);
    return rc;
}
