/* idpack track: follow packages in the ledger, from prepared to submitted
 * to resolved or rejected, and see which are overdue. */
#include "tool.h"
#include "idp_util.h"

#include "idp_build.h"
#include "idp_ledger.h"
#include "idp_reference.h"
#include "tool_opts.h"
#include "tool_report.h"
#include "tool_track.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <time.h>

#define MAX_HOURS 87600u /* ten years */
/* How far --at may lie ahead of this computer's clock: another machine's
 * clock (the agent's phone, a colleague's laptop) may run a little fast. */
#define AT_SKEW_SECONDS 300

/* The options every subcommand may take; each accepts a subset. */
enum {
    T_LEDGER = 1u << 0,
    T_STATUS = 1u << 1,
    T_OVERDUE = 1u << 2,
    T_AS_OF = 1u << 3,
    T_HOURS = 1u << 4,
    T_JSON = 1u << 5,
    T_CASE = 1u << 6,
    T_NOTE = 1u << 7,
    T_AT = 1u << 8,
    T_AGENT = 1u << 9,
    T_CUSTOMER = 1u << 10,
    T_NEVER = 1u << 11,
    T_LANG = 1u << 12
};

typedef struct track_opts {
    const char *ledger, *status, *as_of, *hours, *case_id, *note, *at, *agent, *customer;
    const char *lang_opt, *lang; /* --lang; the messages' language */
    bool overdue, json, never_submitted;
    const char *sub;     /* the subcommand */
    const char *args[2]; /* its arguments */
    int n_args;
    const char *extra; /* the first argument beyond args */
    unsigned given;    /* the T_ bits of the options given */
    bool help;
    /* parsed */
    idp_ledger_status status_v;
    int64_t as_of_v, at_v;
    unsigned hours_v;
} track_opts;

static void track_help(void)
{
    fputs("Usage: idpack track list [--status S] [--overdue] [--never-submitted] [--agent NAME]\n"
          "                         [--customer LABEL] [--as-of TIME] [--hours N] [--json]\n"
          "       idpack track show REF [--as-of TIME] [--hours N] [--json]\n"
          "       idpack track mark REF submitted|resolved|rejected [--case ID] [--note TEXT]\n"
          "                         [--at TIME] [--agent NAME] [--json]\n"
          "       idpack track note REF TEXT [--at TIME] [--agent NAME] [--json]\n"
          "\n"
          "Follows the packages recorded in the ledger by 'idpack build' and 'idpack batch':\n"
          "prepared -> submitted (with Amazon's case id) -> resolved or rejected. A package\n"
          "is overdue when it was submitted more than 48 hours ago (--hours) without an\n"
          "answer. Every change is kept as an event with its time and text.\n"
          "\n"
          "Every subcommand takes --ledger PATH (default: $IDPACK_LEDGER, else\n"
          "$XDG_DATA_HOME/idpack/ledger.sqlite), --lang en|it (the language of its\n"
          "messages; default: the saved profile's, else the locale's) and --help.\n"
          "PATH may be a PostgreSQL\n"
          "URI (postgresql://USER@HOST/DB): a ledger shared by a team; keep its password\n"
          "in ~/.pgpass (PGPASSFILE), never in the URI (see docs/ledger.md).\n"
          "Each change records its agent: --agent NAME, else $IDPACK_AGENT, else the\n"
          "login name.\n"
          "TIME is YYYY-MM-DD, YYYY-MM-DDTHH:MMZ or YYYY-MM-DDTHH:MM:SSZ (UTC; default now);\n"
          "--at refuses a time more than 5 minutes ahead of this computer's clock.\n"
          "Options may come before or after the subcommand and its arguments.\n"
          "\n"
          "Exit status: 0 done, 64 usage error, 65 a malformed reference, case id or note,\n"
          "a change the status does not allow, or a damaged ledger, 66 the reference is not\n"
          "in the ledger, 73 the ledger cannot be created, 74 the ledger is locked or\n"
          "cannot be written, or its server cannot be reached.\n",
          stdout);
}

static void list_help(void)
{
    fputs("Usage: idpack track list [--status S] [--overdue] [--never-submitted]\n"
          "                         [--agent NAME] [--customer LABEL] [--as-of TIME]\n"
          "                         [--hours N] [--json] [--ledger PATH]\n"
          "\n"
          "Lists the packages in the ledger, oldest first; with --overdue, the one whose\n"
          "customer has waited longest first, with the hours waited.\n"
          "\n"
          "Options:\n"
          "  --status S      only packages with status S: prepared, submitted, resolved,\n"
          "                  rejected\n"
          "  --overdue       only packages submitted more than --hours hours before\n"
          "                  --as-of without an answer\n"
          "  --never-submitted  only packages prepared and never submitted\n"
          "  --agent NAME    only packages with a change made by agent NAME\n"
          "  --customer LABEL  only the packages of this customer (the CSV's label)\n"
          "  --as-of TIME    judge 'overdue' at this time (default: now)\n"
          "  --hours N       hours after which a submission is overdue (default 48)\n"
          "  --json          print {\"packages\":[...]} (see docs/ledger.md)\n"
          "  --ledger PATH   the ledger file or postgresql:// URI\n"
          "  --lang LANG     en, it, ...: the language of the messages (default: the saved\n"
          "                  profile's, else the locale's)\n"
          "  -h, --help      show this help\n",
          stdout);
}

static void show_help(void)
{
    fputs("Usage: idpack track show REF [--as-of TIME] [--hours N] [--json] [--ledger PATH]\n"
          "\n"
          "Shows a package (reference like IDP-7KQ2-9XHF) and all its events in order.\n"
          "\n"
          "Options:\n"
          "  --as-of TIME    judge 'overdue' at this time (default: now)\n"
          "  --hours N       hours after which a submission is overdue (default 48)\n"
          "  --json          print {\"package\":{...},\"events\":[...]}\n"
          "  --ledger PATH   the ledger file or postgresql:// URI\n"
          "  --lang LANG     en, it, ...: the language of the messages (default: the saved\n"
          "                  profile's, else the locale's)\n"
          "  -h, --help      show this help\n",
          stdout);
}

static void mark_help(void)
{
    fputs("Usage: idpack track mark REF submitted|resolved|rejected [--case ID] [--note TEXT]\n"
          "                         [--at TIME] [--json] [--ledger PATH]\n"
          "\n"
          "Records what happened to a package: submitted to Amazon (give the case id),\n"
          "resolved (the account is back) or rejected.\n"
          "Allowed: prepared, submitted or rejected -> submitted (a re-submission restarts\n"
          "the overdue clock); prepared or submitted -> resolved or rejected. A resolved\n"
          "package does not change any more: add a note instead.\n"
          "\n"
          "Options:\n"
          "  --case ID       Amazon's case id (letters, digits, '.', '_', '-')\n"
          "  --note TEXT     a note kept with the event (never ID numbers)\n"
          "  --at TIME       when it happened (default: now; not in the future)\n"
          "  --agent NAME    who made the change (default: $IDPACK_AGENT, else the\n"
          "                  login name)\n"
          "  --json          print the package and its events afterwards\n"
          "  --ledger PATH   the ledger file or postgresql:// URI\n"
          "  --lang LANG     en, it, ...: the language of the messages (default: the saved\n"
          "                  profile's, else the locale's)\n"
          "  -h, --help      show this help\n",
          stdout);
}

static void note_help(void)
{
    fputs("Usage: idpack track note REF TEXT [--at TIME] [--agent NAME] [--json]\n"
          "                         [--ledger PATH]\n"
          "\n"
          "Adds a note to a package's history; its status does not change. Put -- before\n"
          "a TEXT that starts with '-'. Never write ID numbers in notes.\n"
          "\n"
          "Options:\n"
          "  --at TIME       when (default: now; not in the future)\n"
          "  --agent NAME    who wrote it (default: $IDPACK_AGENT, else the login name)\n"
          "  --json          print the package and its events afterwards\n"
          "  --ledger PATH   the ledger file or postgresql:// URI\n"
          "  --lang LANG     en, it, ...: the language of the messages (default: the saved\n"
          "                  profile's, else the locale's)\n"
          "  -h, --help      show this help\n",
          stdout);
}

/* The options, with the bit each needs in a subcommand's `allowed`. */
static const struct {
    const char *name;
    unsigned bit;
} opt_bits[] = {
    {"ledger", T_LEDGER}, {"status", T_STATUS},     {"overdue", T_OVERDUE},
    {"as-of", T_AS_OF},   {"hours", T_HOURS},       {"json", T_JSON},
    {"case", T_CASE},     {"note", T_NOTE},         {"at", T_AT},
    {"agent", T_AGENT},   {"customer", T_CUSTOMER}, {"never-submitted", T_NEVER},
    {"lang", T_LANG},
};

/* Parses every option of track, wherever it stands (before or after the
 * subcommand and its arguments): the first operand is the subcommand, the
 * others its arguments. Returns 0 or an exit code. */
static int parse_opts(int argc, char **argv, track_opts *o)
{
    static const struct option longopts[] = {
        {"ledger", required_argument, NULL, 'L'},
        {"status", required_argument, NULL, 'S'},
        {"overdue", no_argument, NULL, 'O'},
        {"as-of", required_argument, NULL, 'A'},
        {"hours", required_argument, NULL, 'H'},
        {"json", no_argument, NULL, 'J'},
        {"case", required_argument, NULL, 'C'},
        {"note", required_argument, NULL, 'N'},
        {"at", required_argument, NULL, 'T'},
        {"agent", required_argument, NULL, 'G'},
        {"customer", required_argument, NULL, 'U'},
        {"never-submitted", no_argument, NULL, 'V'},
        {"lang", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *cmd = "track";
    tool_getopt g = TOOL_GETOPT(cmd, argc, argv, "h", longopts);
    int c, rc = 0;

    memset(o, 0, sizeof(*o));
    while (rc == 0 && (c = tool_getopt_next(&g)) != -1) {
        switch (c) {
        case 'L':
            rc = tool_opt_once(cmd, &o->ledger, "ledger", optarg);
            o->given |= T_LEDGER;
            break;
        case 'S':
            rc = tool_opt_once(cmd, &o->status, "status", optarg);
            o->given |= T_STATUS;
            break;
        case 'A':
            rc = tool_opt_once(cmd, &o->as_of, "as-of", optarg);
            o->given |= T_AS_OF;
            break;
        case 'H':
            rc = tool_opt_once(cmd, &o->hours, "hours", optarg);
            o->given |= T_HOURS;
            break;
        case 'C':
            rc = tool_opt_once(cmd, &o->case_id, "case", optarg);
            o->given |= T_CASE;
            break;
        case 'N':
            rc = tool_opt_once(cmd, &o->note, "note", optarg);
            o->given |= T_NOTE;
            break;
        case 'T':
            rc = tool_opt_once(cmd, &o->at, "at", optarg);
            o->given |= T_AT;
            break;
        case 'G':
            rc = tool_opt_once(cmd, &o->agent, "agent", optarg);
            o->given |= T_AGENT;
            break;
        case 'U':
            rc = tool_opt_once(cmd, &o->customer, "customer", optarg);
            o->given |= T_CUSTOMER;
            break;
        case 'l':
            rc = tool_opt_once(cmd, &o->lang_opt, "lang", optarg);
            o->given |= T_LANG;
            break;
        case 'V':
            rc = tool_opt_flag(cmd, &o->never_submitted, "never-submitted");
            o->given |= T_NEVER;
            break;
        case 'O':
            rc = tool_opt_flag(cmd, &o->overdue, "overdue");
            o->given |= T_OVERDUE;
            break;
        case 'J':
            rc = tool_opt_flag(cmd, &o->json, "json");
            o->given |= T_JSON;
            break;
        case 'h':
            o->help = true;
            break;
        default:
            return EXIT_USAGE;
        }
    }
    if (rc != 0)
        return rc;
    for (int i = optind; i < argc; i++) {
        if (o->sub == NULL)
            o->sub = argv[i];
        else if (o->n_args < (int)(sizeof(o->args) / sizeof(o->args[0])))
            o->args[o->n_args++] = argv[i];
        else if (o->extra == NULL)
            o->extra = argv[i];
    }
    return 0;
}

/* Checks the options and arguments against what the subcommand cmd takes
 * (the options in `allowed`, n_args arguments) and parses their values.
 * Returns 0 or an exit code. */
static int check_opts(const char *cmd, unsigned allowed, int n_args, const char *args_wanted,
                      track_opts *o)
{
    int64_t now = (int64_t)time(NULL);

    for (size_t i = 0; i < sizeof(opt_bits) / sizeof(opt_bits[0]); i++)
        if ((o->given & opt_bits[i].bit) && !(allowed & opt_bits[i].bit))
            return tool_usage_error(cmd, "--%s does not apply here", opt_bits[i].name);
    if (o->n_args > n_args || o->extra != NULL)
        return tool_usage_error(cmd, "unexpected argument '%s'",
                                o->n_args > n_args ? o->args[n_args] : o->extra);
    if (o->n_args < n_args)
        return tool_usage_error(cmd, "give %s", args_wanted);
    if (o->ledger != NULL && *o->ledger == '\0')
        return tool_usage_error(cmd, "--ledger needs a file name or a postgresql:// URI");
    if (o->agent != NULL && (*o->agent == '\0' || strlen(o->agent) > IDP_LEDGER_AGENT_MAX))
        return tool_usage_error(cmd, "--agent needs a name of 1 to %d bytes", IDP_LEDGER_AGENT_MAX);
    if (o->customer != NULL && *o->customer == '\0')
        return tool_usage_error(cmd, "--customer needs a customer's label");
    if (o->never_submitted && (o->overdue || o->status != NULL))
        return tool_usage_error(cmd, "--never-submitted goes with neither --overdue nor --status");
    if (o->status != NULL && !idp_ledger_status_parse(o->status, &o->status_v))
        return tool_usage_error(
            cmd, "--status must be prepared, submitted, resolved or rejected, not '%s'", o->status);
    o->lang = o->lang_opt != NULL ? tool_msg_lang(o->lang_opt) : tool_default_lang(cmd, true);
    if (o->lang == NULL)
        return tool_usage_error(cmd, "unknown language '%s': the messages are in %s", o->lang_opt,
                                tool_msg_langs());
    o->hours_v = IDP_LEDGER_OVERDUE_HOURS;
    if (o->hours != NULL && !tool_parse_u32(o->hours, MAX_HOURS, &o->hours_v))
        return tool_usage_error(cmd, "--hours must be a whole number of hours from 1 to %u",
                                MAX_HOURS);
    o->as_of_v = o->at_v = now;
    if (o->as_of != NULL && !tool_parse_time(o->as_of, &o->as_of_v))
        return tool_usage_error(cmd,
                                "--as-of '%s' is not a time (YYYY-MM-DD or "
                                "YYYY-MM-DDTHH:MM:SSZ)",
                                o->as_of);
    if (o->at != NULL && !tool_parse_time(o->at, &o->at_v))
        return tool_usage_error(cmd,
                                "--at '%s' is not a time (YYYY-MM-DD or "
                                "YYYY-MM-DDTHH:MM:SSZ)",
                                o->at);
    if (o->at != NULL && o->at_v > now + AT_SKEW_SECONDS)
        return tool_usage_error(cmd,
                                "--at '%s' is in the future (UTC): give when it happened, "
                                "or leave --at out for now",
                                o->at);
    return 0;
}

/* The canonical reference in out; exit 65 with a message if malformed. */
static int parse_ref(const char *cmd, const char *lang, const char *s, char out[IDP_REFERENCE_LEN])
{
    if (!idp_reference_parse(s, out)) {
        fprintf(stderr,
                tool_tr(lang, "idpack %s: '%s' is not a package reference (like IDP-7KQ2-9XHF)\n"),
                cmd, s);
        return EXIT_DATAERR;
    }
    return 0;
}

/* Whether the ledger file and its folder can be written (SQLite writes
 * its journal next to it). */
static bool ledger_writable(const char *path)
{
    char *dir = strdup(path), *slash;
    bool ok;

    if (dir == NULL)
        return true;
    slash = strrchr(dir, '/');
    if (slash == NULL)
        strcpy(dir, ".");
    else if (slash == dir)
        slash[1] = '\0';
    else
        *slash = '\0';
    ok = access(path, W_OK) == 0 && access(dir, W_OK) == 0;
    free(dir);
    return ok;
}

/* Opens the ledger at path (a file or a URI). When it does not exist,
 * *out stays NULL and *missing is set (no file is created). For writing
 * (mark, note) its events record agent (NULL: the default), and a
 * PostgreSQL database gets the ledger's schema if it has none yet. */
static int open_ledger(const char *cmd, idp_ctx *ctx, const char *path, bool write,
                       const char *agent, bool *missing, idp_ledger **out)
{
    bool uri = idp_ledger_is_uri(path);
    struct stat sb;
    idp_status st;

    *out = NULL;
    *missing = false;
    if (!uri && stat(path, &sb) != 0 && errno == ENOENT) {
        *missing = true;
        return 0;
    }
    if (uri ? !write : !ledger_writable(path))
        st = idp_ledger_open_readonly(ctx, path, out); /* list, show: reading is enough */
    else if (write)
        st = tool_ledger_open(ctx, path, agent, out);
    else
        st = idp_ledger_open(ctx, path, out);
    if (uri && st == IDP_E_NOTFOUND) {
        idp_ctx_clear(ctx); /* a database without a ledger yet */
        *missing = true;
        return 0;
    }
    if (st != IDP_OK) {
        tool_print_error(cmd, idp_ctx_error(ctx));
        return tool_exit_for(st);
    }
    return 0;
}

/* ---- Subcommands ------------------------------------------------------ */

static int track_list(const char *cmd, const track_opts *opts)
{
    const track_opts o = *opts;
    idp_ctx *ctx = NULL;
    idp_ledger *ledger = NULL;
    idp_ledger_list *list = NULL;
    idp_ledger_filter *filter = NULL;
    size_t n = 0;
    char *path = NULL, *shown = NULL;
    bool missing;
    int rc;

    rc = tool_ledger_path(cmd, o.ledger, false, &path);
    if (rc != 0)
        return rc;
    if (idp_ctx_create(&ctx) != IDP_OK) {
        tool_error("out of memory");
        rc = EXIT_SOFTWARE;
        goto out;
    }
    idp_ctx_set_lang(ctx, o.lang);
    rc = open_ledger(cmd, ctx, path, false, NULL, &missing, &ledger);
    if (rc != 0)
        goto out;
    shown = tool_ledger_shown(path);
    if (shown == NULL) {
        tool_error("out of memory");
        rc = EXIT_SOFTWARE;
        goto out;
    }
    if (idp_ledger_filter_create(ctx, &filter) != IDP_OK) {
        tool_error("out of memory");
        rc = EXIT_SOFTWARE;
        goto out;
    }
    idp_ledger_filter_set_agent(filter, o.agent);
    idp_ledger_filter_set_customer(filter, o.customer);
    idp_ledger_filter_set_never_submitted(filter, o.never_submitted);
    if (o.status != NULL)
        idp_ledger_filter_set_status(filter, o.status_v);
    /* The customer who has waited longest comes first. */
    idp_ledger_filter_set_overdue_only(filter, o.overdue);
    idp_ledger_filter_set_as_of(filter, o.as_of_v, o.hours_v);
    if (ledger != NULL) {
        idp_status st = idp_ledger_list_packages(ctx, ledger, filter, &list);
        if (st != IDP_OK) {
            tool_print_error(cmd, idp_ctx_error(ctx));
            rc = tool_exit_for(st);
            goto out;
        }
        n = idp_ledger_list_count(list);
    }
    if (o.json) {
        json_t *root = json_object(), *pkgs = json_array();
        json_object_set_new(root, "ledger", json_string(shown));
        json_object_set_new(root, "as_of", track_json_time(true, o.as_of_v));
        json_object_set_new(root, "overdue_hours", json_integer(o.hours_v));
        for (size_t i = 0; i < n; i++)
            json_array_append_new(pkgs,
                                  track_entry_json(idp_ledger_list_entry(list, i), o.as_of_v));
        json_object_set_new(root, "packages", pkgs);
        track_print_json(root);
    } else if (n == 0) {
        const bool filtered = o.status != NULL || o.overdue || o.never_submitted ||
                              o.agent != NULL || o.customer != NULL;
        if (missing)
            printf(filtered ? tool_tr(o.lang, "No packages match in the ledger %s (it does not "
                                              "exist yet).\n")
                            : tool_tr(o.lang, "No packages in the ledger %s (it does not exist "
                                              "yet).\n"),
                   shown);
        else
            printf(filtered ? tool_tr(o.lang, "No packages match in the ledger %s.\n")
                            : tool_tr(o.lang, "No packages in the ledger %s.\n"),
                   shown);
    } else {
        /* the headings padded to the columns' widths, in the language */
        printf("%-13s  %-9s  %-10s  %-17s  %-12s  %s\n", tool_tr(o.lang, "REFERENCE"),
               tool_tr(o.lang, "STATUS"), tool_tr(o.lang, "CREATED"), tool_tr(o.lang, "SUBMITTED"),
               tool_tr(o.lang, "CASE"), tool_tr(o.lang, "CUSTOMER / ACCOUNT"));
        for (size_t i = 0; i < n; i++) {
            const idp_ledger_entry *e = idp_ledger_list_entry(list, i);
            const char *case_id = idp_ledger_entry_case_id(e);
            const char *customer = idp_ledger_entry_customer(e);
            char created[32], submitted[32] = "-";
            int64_t sub_at;
            idp_format_date(idp_ledger_entry_created(e), false, created, sizeof(created));
            if (idp_ledger_entry_submitted(e, &sub_at)) {
                track_format_time(sub_at, submitted, sizeof(submitted));
                submitted[16] = 'Z'; /* minutes are enough here */
                submitted[17] = '\0';
            }
            printf("%-13s  %-9s  %-10s  %-17s  ", idp_ledger_entry_reference(e),
                   idp_ledger_status_name(idp_ledger_entry_status(e)), created, submitted);
            track_put_safe(case_id);
            if (case_id == NULL || strlen(case_id) < 12)
                printf("%*s", 12 - (int)(case_id != NULL ? strlen(case_id) : 1), "");
            fputs("  ", stdout);
            if (customer != NULL) {
                track_put_safe(customer);
                fputs(" / ", stdout);
            }
            track_put_safe(idp_ledger_entry_account_email(e));
            if (idp_ledger_entry_overdue(e))
                printf(tool_tr(o.lang, "  OVERDUE %lld h"),
                       (long long)((o.as_of_v - sub_at) / 3600));
            putchar('\n');
        }
    }
    rc = EXIT_OK;
out:
    idp_ledger_list_free(list);
    idp_ledger_filter_destroy(filter);
    idp_ledger_close(ledger);
    idp_ctx_destroy(ctx);
    free(shown);
    free(path);
    return rc;
}

/* Shows ref (as show, or after a change with --json). */
static int show_ref(const char *cmd, idp_ctx *ctx, idp_ledger *ledger, const char *ref,
                    const track_opts *o, bool text)
{
    idp_ledger_history *h = NULL;
    idp_status st = idp_ledger_show(ctx, ledger, ref, o->as_of_v, o->hours_v, &h);

    if (st != IDP_OK) {
        tool_print_error(cmd, idp_ctx_error(ctx));
        return tool_exit_for(st);
    }
    if (o->json)
        track_print_json(track_history_json(h, o->as_of_v));
    else if (text)
        track_print_history(h, o->as_of_v, o->lang);
    idp_ledger_history_free(h);
    return EXIT_OK;
}

/* The common part of show, mark and note: options, reference, ledger. */
typedef int (*ref_action)(const char *cmd, idp_ctx *ctx, idp_ledger *ledger, const char *ref,
                          const track_opts *o);

static int with_ref(const char *cmd, const track_opts *opts, ref_action action)
{
    track_opts o = *opts; /* mark parses its status into it */
    idp_ctx *ctx = NULL;
    idp_ledger *ledger = NULL;
    char ref[IDP_REFERENCE_LEN];
    char *path = NULL;
    bool missing;
    int rc;

    if (strcmp(cmd, "track mark") == 0 && !idp_ledger_status_parse(o.args[1], &o.status_v))
        return tool_usage_error(cmd,
                                "the status must be submitted, resolved or rejected, "
                                "not '%s'",
                                o.args[1]);
    if (strcmp(cmd, "track mark") == 0 && o.status_v == IDP_LEDGER_PREPARED)
        return tool_usage_error(cmd, "a package cannot be marked prepared again (use "
                                     "submitted, resolved or rejected)");
    rc = parse_ref(cmd, o.lang, o.args[0], ref);
    if (rc != 0)
        return rc;
    rc = tool_ledger_path(cmd, o.ledger, false, &path);
    if (rc != 0)
        return rc;
    if (idp_ctx_create(&ctx) != IDP_OK) {
        tool_error("out of memory");
        rc = EXIT_SOFTWARE;
        goto out;
    }
    idp_ctx_set_lang(ctx, o.lang);
    rc = open_ledger(cmd, ctx, path, strcmp(cmd, "track show") != 0, o.agent, &missing, &ledger);
    if (rc != 0)
        goto out;
    if (missing) {
        char *shown = tool_ledger_shown(path);
        fprintf(
            stderr,
            tool_tr(o.lang, "idpack %s: %s: no such package: the ledger %s does not exist yet\n"),
            cmd, ref, shown != NULL ? shown : "?");
        free(shown);
        rc = EXIT_NOINPUT;
        goto out;
    }
    rc = action(cmd, ctx, ledger, ref, &o);
out:
    idp_ledger_close(ledger);
    idp_ctx_destroy(ctx);
    free(path);
    return rc;
}

static int show_action(const char *cmd, idp_ctx *ctx, idp_ledger *ledger, const char *ref,
                       const track_opts *o)
{
    return show_ref(cmd, ctx, ledger, ref, o, true);
}

static int mark_action(const char *cmd, idp_ctx *ctx, idp_ledger *ledger, const char *ref,
                       const track_opts *o)
{
    idp_status st = idp_ledger_mark(ctx, ledger, ref, o->status_v, o->case_id, o->note, o->at_v);
    char t[32];

    if (st != IDP_OK) {
        tool_print_error(cmd, idp_ctx_error(ctx));
        /* A change the status does not allow is bad data, not bad usage. */
        return st == IDP_E_USAGE ? EXIT_DATAERR : tool_exit_for(st);
    }
    if (o->json)
        return show_ref(cmd, ctx, ledger, ref, o, false);
    track_format_time(o->at_v, t, sizeof(t));
    printf(tool_tr(o->lang, "%s: %s at %s"), ref, idp_ledger_status_name(o->status_v), t);
    if (o->case_id != NULL)
        printf(tool_tr(o->lang, " (case %s)"), o->case_id);
    putchar('\n');
    return EXIT_OK;
}

static int note_action(const char *cmd, idp_ctx *ctx, idp_ledger *ledger, const char *ref,
                       const track_opts *o)
{
    idp_status st = idp_ledger_note(ctx, ledger, ref, o->args[1], o->at_v);
    char t[32];

    if (st != IDP_OK) {
        tool_print_error(cmd, idp_ctx_error(ctx));
        return tool_exit_for(st);
    }
    if (o->json)
        return show_ref(cmd, ctx, ledger, ref, o, false);
    track_format_time(o->at_v, t, sizeof(t));
    printf(tool_tr(o->lang, "%s: note added at %s\n"), ref, t);
    return EXIT_OK;
}

int cmd_track(int argc, char **argv)
{
    static const struct {
        const char *name, *cmd;
        unsigned allowed;
        int n_args;
        const char *args_wanted;
        void (*help)(void);
        ref_action action; /* NULL: list */
    } subs[] = {
        {"list", "track list",
         T_STATUS | T_OVERDUE | T_AS_OF | T_HOURS | T_JSON | T_AGENT | T_CUSTOMER | T_NEVER, 0, "",
         list_help, NULL},
        {"show", "track show", T_AS_OF | T_HOURS | T_JSON, 1, "a package reference", show_help,
         show_action},
        {"mark", "track mark", T_CASE | T_NOTE | T_AT | T_JSON | T_AGENT, 2,
         "a package reference and a status (submitted, resolved, rejected)", mark_help,
         mark_action},
        {"note", "track note", T_AT | T_JSON | T_AGENT, 2,
         "a package reference and the note's text", note_help, note_action},
    };
    track_opts o;
    int rc = parse_opts(argc, argv, &o);

    if (rc != 0)
        return rc;
    if (o.sub == NULL && !o.help)
        return tool_usage_error("track", "give a subcommand: list, show, mark or note");
    if (o.sub == NULL || strcmp(o.sub, "help") == 0) {
        track_help();
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
        if (strcmp(o.sub, subs[i].name) != 0)
            continue;
        if (o.help) {
            subs[i].help();
            return EXIT_OK;
        }
        rc = check_opts(subs[i].cmd, subs[i].allowed | T_LEDGER | T_LANG, subs[i].n_args,
                        subs[i].args_wanted, &o);
        if (rc != 0)
            return rc;
        return subs[i].action != NULL ? with_ref(subs[i].cmd, &o, subs[i].action)
                                      : track_list(subs[i].cmd, &o);
    }
    return tool_usage_error("track", "unknown subcommand '%s' (use list, show, mark or note)",
                            o.sub);
}
