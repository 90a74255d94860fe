/* idpack drop: what runs when a seller drops photos on the idpack icon.
 * Front and back from the file names (else the order), the details from
 * the saved profile, the package next to the photos; when something is
 * wrong, idpack-problems.txt next to them says in plain words what to do,
 * in the profile's language. A desktop notification either way. Which
 * photo is the front and the problems file's words are the library's drop
 * driver (src/drop/idp_drop.h); here: the options, the files, the prints
 * and the notification. */
#include "tool.h"

#include "idp_build.h"
#include "idp_drop.h"
#include "idp_util.h"
#include "idp_ledger.h"
#include "idp_policy.h"
#include "idp_profile.h"
#include "idp_template.h"
#include "tool_drop.h"
#include "tool_opts.h"
#include "tool_profile.h"
#include "tool_report.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROBLEMS_FILE "idpack-problems.txt"

/* ---- the notification ----------------------------------------------------- */

/* Shows a desktop notification with notify-send when it is on PATH; waits
 * at most 3 s for it and ignores any failure. */
static void notify(const char *summary, const char *body, bool ok)
{
    char a0[] = "notify-send", a1[] = "--app-name=idpack", a2[] = "--icon=idpack",
         a3[] = "--urgency", normal[] = "normal", critical[] = "critical";
    char *args[] = {a0,
                    a1,
                    a2,
                    a3,
                    ok ? normal : critical,
                    (char *)(uintptr_t)summary,
                    (char *)(uintptr_t)body,
                    NULL};
    posix_spawn_file_actions_t fa;
    extern char **environ;
    pid_t pid;
    int status;

    if (posix_spawn_file_actions_init(&fa) != 0)
        return;
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    if (posix_spawnp(&pid, "notify-send", &fa, NULL, args, environ) == 0) {
        struct timespec nap = {0, 50 * 1000 * 1000};
        int i;
        for (i = 0; i < 60; i++) {
            if (waitpid(pid, &status, WNOHANG) != 0)
                break;
            nanosleep(&nap, NULL);
        }
        if (i == 60) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
        }
    }
    posix_spawn_file_actions_destroy(&fa);
}

static void dir_of(const char *path, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/');

    if (slash == NULL)
        snprintf(buf, size, ".");
    else if (slash == path)
        snprintf(buf, size, "/");
    else
        snprintf(buf, size, "%.*s", (int)(slash - path), path);
}

/* ---- the command ------------------------------------------------------------- */

static void drop_help(void)
{
    fputs("Usage: idpack drop [--date ISO-8601] [--no-notify] [--ledger PATH | --no-ledger]\n"
          "                   [--agent NAME] [--mrz] PHOTO [PHOTO]\n"
          "\n"
          "What runs when photos are dropped on the idpack icon: builds the package\n"
          "from one photo (a passport) or two (front and back of an ID card) and the\n"
          "details saved with 'idpack profile', in a folder next to the first photo named\n"
          "by the day and a key of the inputs (idpack-package-YYYY-MM-DD-KEY, KEY 8 hex\n"
          "digits of the SHA-256 of the photos, the details, the language and the day).\n"
          "The same photos and details dropped again the same day give the same folder:\n"
          "a package there that verifies is reported again, unchanged, not copied;\n"
          "nothing is ever replaced.\n"
          "\n"
          "Front and back come from the file names (front, fronte, recto, vorderseite,\n"
          "anverso; back, retro, verso, rückseite, reverso, as whole words: ID_fronte.jpg,\n"
          "retro-2.jpg), else from the order given. When a photo fails a check, the\n"
          "profile lacks a detail, the ID has expired or a file cannot be read, it writes\n"
          "idpack-problems.txt next to the photos in plain words, in the profile's\n"
          "language (lang), and writes no package; a later drop replaces that file, and a\n"
          "successful one removes it. With no profile saved, it writes one to fill in\n"
          "(every detail on its own line, empty) and opens it in the text editor\n"
          "(xdg-open); so it does with a profile that lacks a detail. A desktop\n"
          "notification (notify-send) says how it went. A new package is recorded in the\n"
          "ledger as prepared (see 'idpack track').\n"
          "\n"
          "Options:\n"
          "  --date DATE   date of the request, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ\n"
          "                (default: SOURCE_DATE_EPOCH, else now)\n"
          "  --no-notify   no desktop notification, no editor opened\n"
          "  --ledger PATH the ledger to record the package in (default:\n"
          "                $IDPACK_LEDGER, else $XDG_DATA_HOME/idpack/ledger.sqlite)\n"
          "  --no-ledger   do not record the package\n"
          "  --agent NAME  who records it in the ledger (default: $IDPACK_AGENT, else\n"
          "                the login name)\n"
          "  --mrz         read the ID's machine-readable zone (the default, always on\n"
          "                in drop): the profile may leave out id_type and id_expiry\n"
          "                (taken from it); an id_type, id_expiry or full_name that is\n"
          "                not the zone's is a problem; when only the order said which\n"
          "                photo is the front, the one showing an ID card's zone is\n"
          "                taken as the back (docs/mrz.md)\n"
          "  -h, --help    show this help\n"
          "\n"
          "Exit status: 0 package written, 1 a photo fails a check or the ID has expired,\n"
          "65 a detail or a photo is invalid, 66 no profile saved or a photo is missing,\n"
          "73 the package cannot be written, 64 usage error (no photo, or more than two),\n"
          "74 the package was written but could not be recorded in the ledger.\n",
          stdout);
}

typedef struct drop_opts {
    const char *date, *ledger, *agent;
    bool no_notify, no_ledger, mrz;
} drop_opts;

/* The package these photos and details already made: said as a new one
 * is, on stdout and in the notification; a stale problems file goes. */
static void report_reused(const drop_opts *o, const char *lang, const char *out_dir,
                          const char *problems_path, const char *reference,
                          const char *const photos[2])
{
    char line[PATH_MAX + 256];

    if (unlink(problems_path) != 0 && errno != ENOENT)
        fprintf(stderr, "idpack drop: %s: cannot remove: %s\n", problems_path, strerror(errno));
    idp_drop_say(lang, IDP_DROP_SAY_REUSED, out_dir, line, sizeof(line));
    fputs(line, stdout);
    printf(tool_tr(lang, "  reference  %s\n  front      %s\n"), reference, photos[0]);
    if (photos[1] != NULL)
        printf(tool_tr(lang, "  back       %s\n"), photos[1]);
    if (!o->no_notify) {
        idp_drop_say(lang, IDP_DROP_SAY_NOTIFY_OK, idp_basename(out_dir), line, sizeof(line));
        notify("idpack", line, true);
    }
}

static int parse_opts(int argc, char **argv, drop_opts *o)
{
    enum { O_DATE = 256, O_NO_NOTIFY, O_LEDGER, O_NO_LEDGER, O_MRZ, O_AGENT };
    static const struct option longopts[] = {
        {"date", required_argument, NULL, O_DATE},
        {"no-notify", no_argument, NULL, O_NO_NOTIFY},
        {"ledger", required_argument, NULL, O_LEDGER},
        {"no-ledger", no_argument, NULL, O_NO_LEDGER},
        {"mrz", no_argument, NULL, O_MRZ},
        {"agent", required_argument, NULL, O_AGENT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    tool_getopt g = TOOL_GETOPT("drop", argc, argv, "h", longopts);
    int c;

    memset(o, 0, sizeof(*o));
    while ((c = tool_getopt_next(&g)) != -1) {
        switch (c) {
        case O_DATE:
            if (o->date != NULL)
                return tool_usage_error("drop", "--date given twice");
            o->date = optarg;
            break;
        case O_NO_NOTIFY:
            if (o->no_notify)
                return tool_usage_error("drop", "--no-notify given twice");
            o->no_notify = true;
            break;
        case O_LEDGER:
            if (o->ledger != NULL)
                return tool_usage_error("drop", "--ledger given twice");
            if (*optarg == '\0')
                return tool_usage_error("drop", "--ledger needs a file name");
            o->ledger = optarg;
            break;
        case O_NO_LEDGER:
            if (o->no_ledger)
                return tool_usage_error("drop", "--no-ledger given twice");
            o->no_ledger = true;
            break;
        case O_AGENT:
            if (o->agent != NULL)
                return tool_usage_error("drop", "--agent given twice");
            o->agent = optarg;
            break;
        case O_MRZ:
            if (o->mrz)
                return tool_usage_error("drop", "--mrz given twice");
            o->mrz = true;
            break;
        case 'h':
            drop_help();
            return -1;
        default:
            return EXIT_USAGE;
        }
    }
    if (o->ledger != NULL && o->no_ledger)
        return tool_usage_error("drop", "--ledger and --no-ledger exclude each other");
    if (o->agent != NULL && o->no_ledger)
        return tool_usage_error("drop", "--agent and --no-ledger exclude each other");
    return tool_agent_check("drop", o->agent);
}

/* Builds into DIR/idpack-package-DAY-KEY, the folder of these inputs
 * (tool_drop_key). When a package that verifies is already there, the
 * same photos and details made it: it is the result, unchanged, *reused
 * is set and its reference is in reused_ref. A name taken by anything
 * else: -2, -3, ...; nothing is ever replaced. */
static idp_status build_keyed(idp_ctx *ctx, tool_build_req *bo, const char *dir,
                              idp_build_result *res, char *out, size_t size, bool *reused,
                              char reused_ref[IDP_REFERENCE_LEN])
{
    char day[16], key[9];
    idp_status st = IDP_E_EXISTS;
    struct stat sb;
    /* No key when a photo cannot be read: the build says why. */
    bool keyed = tool_drop_key(bo, key);

    *reused = false;
    if (bo->today != NULL)
        snprintf(day, sizeof(day), "%s", bo->today);
    else
        idp_utc_day(bo->date, day);
    for (unsigned k = 1; k < 1000 && st == IDP_E_EXISTS; k++) {
        int n = snprintf(out, size, "%s/idpack-package-%s%s%s", dir, day, keyed ? "-" : "",
                         keyed ? key : "");
        if (k > 1)
            snprintf(out + n, size - (size_t)n, "-%u", k);
        if (lstat(out, &sb) == 0) {
            if (keyed && S_ISDIR(sb.st_mode) && tool_drop_verifies(out, reused_ref)) {
                *reused = true;
                return IDP_OK;
            }
            continue;
        }
        bo->out_dir = out;
        st = tool_build_package(ctx, bo, res);
    }
    return st;
}

/* Records the package in the ledger (unless --no-ledger). The package
 * stays if that fails: says so and returns EXIT_IOERR, as build does. */
static int record(idp_ctx *ctx, const drop_opts *o, const tool_build_req *bo,
                  const idp_build_result *res)
{
    char *path = NULL;
    int rc;

    if (o->no_ledger)
        return EXIT_OK;
    rc = tool_ledger_path("drop", o->ledger, true, &path);
    if (rc != EXIT_OK)
        return EXIT_IOERR;
    if (tool_ledger_record(ctx, path, o->agent, bo, res) != IDP_OK) {
        fprintf(
            stderr,
            tool_tr(bo->lang,
                    "idpack drop: the package is written, but not recorded in the ledger: %s\n"),
            idp_ctx_error(ctx));
        rc = EXIT_IOERR;
    }
    free(path);
    return rc;
}

int cmd_drop(int argc, char **argv)
{
    char today[IDP_DAY_LEN];
    drop_opts o;
    char profile_path[PATH_MAX], dir[PATH_MAX], out_dir[PATH_MAX + 64],
        problems_path[PATH_MAX + 64];
    const char *photos[2] = {NULL, NULL}, *lang, *expiry, *text;
    idp_ctx *ctx = NULL;
    idp_profile *profile = NULL;
    idp_template *tmpl = NULL;
    tool_build_req bo;
    idp_build_result *res = NULL;
    char reused_ref[IDP_REFERENCE_LEN] = "";
    idp_policy *policy = NULL;
    idp_drop_problems *pb = NULL;
    size_t n_files, text_len;
    bool reused, made = false, edit_profile = false;
    idp_status st;
    int rc, exit_code = EXIT_OK;

    rc = parse_opts(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    n_files = (size_t)(argc - optind);
    memset(&bo, 0, sizeof(bo));
    if (!tool_request_date("drop", o.date, &bo.date))
        return EXIT_USAGE;
    tool_set_today(&bo, o.date, today);
    if (!tool_profile_path("drop", profile_path, sizeof(profile_path)))
        return EXIT_USAGE;
    if (idp_ctx_create(&ctx) != IDP_OK || idp_build_result_create(ctx, &res) != IDP_OK) {
        idp_ctx_destroy(ctx);
        tool_error("out of memory");
        return EXIT_SOFTWARE;
    }
    tool_apply_limits(ctx);
    st = idp_profile_load(ctx, profile_path, &profile);
    lang = profile != NULL && idp_profile_lang(profile) != NULL ? idp_profile_lang(profile)
                                                                : tool_lang(NULL);
    idp_ctx_set_lang(ctx, lang);
    if (n_files == 0) {
        char body[256];
        fputs("idpack drop: no photo given\nRun 'idpack drop --help' for usage.\n", stderr);
        if (!o.no_notify) {
            idp_drop_say(lang, IDP_DROP_SAY_COUNT, "0", body, sizeof(body));
            notify("idpack", body, false);
        }
        exit_code = EXIT_USAGE;
        goto out;
    }
    dir_of(argv[optind], dir, sizeof(dir));
    snprintf(problems_path, sizeof(problems_path), "%s/%s", dir, PROBLEMS_FILE);
    {
        /* The package and the problems file both go into dir. */
        const char *guarded = dir;
        (void)idp_remove_temporaries(dir, NULL, 0);
        tool_guard(&guarded, 1);
    }
    if (idp_drop_problems_create(ctx, lang, (const char *const *)(argv + optind), n_files, &pb) !=
        IDP_OK) {
        tool_error("out of memory");
        exit_code = EXIT_SOFTWARE;
        goto out;
    }
    if (n_files > 2) {
        exit_code = EXIT_USAGE;
        goto problems;
    }
    photos[0] = argv[optind];
    photos[1] = n_files == 2 ? argv[optind + 1] : NULL;
    idp_drop_order(photos);

    /* The details: a missing or partial profile stops here, but the photos
     * are still checked so every problem is told at once. */
    if (st == IDP_E_NOTFOUND) /* a profile to fill in, opened in the seller's text editor */
        made = tool_drop_profile_template(profile_path, lang);
    else if (st == IDP_OK)
        st = idp_template_load(ctx, tool_templates_dir(), "2fa-reset", lang, &tmpl);
    st = idp_drop_problems_details(pb, st, idp_ctx_error(ctx), profile, tmpl, made, profile_path,
                                   &edit_profile);
    if (st != IDP_OK) {
        exit_code = tool_exit_for(st);
        if (profile != NULL && tmpl == NULL)
            goto problems;           /* the template: no photo is checked */
        idp_ctx_set_threads(ctx, 2); /* as idpack check does */
        (void)idp_drop_problems_check(ctx, pb, photos, n_files);
        goto problems;
    }

    /* The build. */
    st = idp_policy_create(ctx, &policy);
    if (st != IDP_OK) {
        tool_print_error("drop", idp_ctx_error(ctx));
        exit_code = EXIT_SOFTWARE;
        goto out;
    }
    idp_policy_set_mrz_read(policy, true); /* the default; --mrz says so too */
    bo.front_path = photos[0];
    bo.back_path = photos[1];
    bo.form = idp_profile_form(profile);
    bo.templates_dir = tool_templates_dir();
    bo.template_id = "2fa-reset";
    bo.lang = lang;
    bo.policy = policy;
    st = build_keyed(ctx, &bo, dir, res, out_dir, sizeof(out_dir), &reused, reused_ref);
    if (idp_drop_swap_by_zone(st, res, photos)) {
        /* Only the order said which is the front; the zone says the
         * other way round: so be it. */
        const char *first = photos[0];
        photos[0] = photos[1];
        photos[1] = first;
        bo.front_path = photos[0];
        bo.back_path = photos[1];
        idp_ctx_clear(ctx);
        idp_build_result_destroy(res); /* an empty one for the second build */
        res = NULL;
        if (idp_build_result_create(ctx, &res) != IDP_OK) {
            tool_error("out of memory");
            exit_code = EXIT_SOFTWARE;
            goto out;
        }
        st = build_keyed(ctx, &bo, dir, res, out_dir, sizeof(out_dir), &reused, reused_ref);
    }
    if (st == IDP_OK && reused) {
        report_reused(&o, lang, out_dir, problems_path, reused_ref, photos);
        goto out;
    }
    exit_code = tool_exit_for(st);
    if (st == IDP_OK) {
        char body[PATH_MAX + 128];
        if (unlink(problems_path) != 0 && errno != ENOENT)
            fprintf(stderr, "idpack drop: %s: cannot remove: %s\n", problems_path, strerror(errno));
        exit_code = record(ctx, &o, &bo, res);
        printf(tool_tr(lang, "Package written: %s\n  reference  %s\n  front      %s\n"), out_dir,
               idp_build_result_reference(res), photos[0]);
        if (photos[1] != NULL)
            printf(tool_tr(lang, "  back       %s\n"), photos[1]);
        for (size_t i = 0; i < idp_build_result_photos(res); i++)
            if (idp_check_report_verdict(idp_build_result_report(res, i)) == IDP_VERDICT_WARN)
                tool_report_text(stdout, photos[i], idp_build_result_report(res, i), "", lang);
        if (idp_build_result_warning(res)[0] != '\0')
            printf("%s: %s\n", tool_tr(lang, "Warning"), idp_build_result_warning(res));
        if (!o.no_notify) {
            idp_drop_say(lang, IDP_DROP_SAY_NOTIFY_OK, idp_basename(out_dir), body, sizeof(body));
            notify("idpack", body, true);
        }
        goto out;
    }
    expiry = idp_form_get(idp_profile_form(profile), "id_expiry");
    char advised[4096 + 128]; /* the error, and how drop gives a photo (tool_advice) */
    edit_profile = idp_drop_problems_build(
        pb, st, res,
        tool_error_advice(ctx, st, NULL, TOOL_SURFACE_DROP, lang, advised, sizeof(advised)), expiry,
        profile_path, photos);

problems:
    text = idp_drop_problems_text(pb, &text_len);
    if (text == NULL) {
        tool_error("out of memory");
        exit_code = EXIT_SOFTWARE;
        goto out;
    }
    fwrite(text, 1, text_len, stderr);
    idp_ctx_clear(ctx);
    if (idp_drop_problems_write(ctx, pb, problems_path) == IDP_OK) {
        char line[PATH_MAX + 128];
        idp_drop_say(lang, IDP_DROP_SAY_WRITTEN, problems_path, line, sizeof(line));
        fputs(line, stderr);
    } else
        tool_print_error("drop", idp_ctx_error(ctx));
    if (!o.no_notify) {
        char body[PATH_MAX + 256];
        if (edit_profile)
            idp_drop_say(lang, IDP_DROP_SAY_NOTIFY_PROFILE, profile_path, body, sizeof(body));
        else
            idp_drop_say(lang, IDP_DROP_SAY_NOTIFY_FAIL, PROBLEMS_FILE, body, sizeof(body));
        notify("idpack", body, false);
        if (edit_profile)
            tool_drop_open(profile_path);
    }
out:
    idp_build_result_destroy(res);
    idp_drop_problems_destroy(pb);
    idp_template_destroy(tmpl);
    idp_profile_destroy(profile);
    idp_policy_destroy(policy);
    idp_ctx_destroy(ctx);
    return exit_code;
}
