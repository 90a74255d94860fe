#define _DEFAULT_SOURCE /* realpath() */
/* idpack window: the seller's page. Starts the loopback server, prints its
 * address (with this run's secret) first on standard output, opens the
 * browser on it, and stops on Ctrl-C, when the page has been closed for a
 * while, or after a long idle time; the private folder of the uploads is
 * wiped then. */
#include "window.h"
#include "idp_util.h"

#include "../tool/tool.h"
#include "../tool/tool_drop.h"
#include "../tool/tool_opts.h"
#include "../tool/tool_profile.h"
#include "../tool/tool_report.h"
#include "idp_drop.h"
#include "idp_profile.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <openssl/rand.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void window_help(void)
{
    printf("Usage: idpack window [OPTIONS] [FRONT [BACK]]\n"
           "\n"
           "Opens the seller's page in the web browser: drop the photos of the ID on it,\n"
           "see where idpack found the document, which corners are cut off and where the\n"
           "glare is, read every check in plain words, fill in (or load) your details,\n"
           "preview the letter and build the package with one button. The page works\n"
           "offline: a small web server on this computer only (127.0.0.1, a free port),\n"
           "answering only the address it prints, which carries a secret made for this\n"
           "run (opened with xdg-open when there is a graphical session). Photos given\n"
           "here are loaded at once (the desktop icon passes the photos dropped on it).\n"
           "The uploads are kept in a private folder that is wiped when the window\n"
           "stops: on Ctrl-C, %u s after the page is closed, or after %u minutes\n"
           "without use. The package is written next to the photos given, else in\n"
           "~/Documents (else ~), and recorded in the ledger.\n"
           "\n"
           "The first line on standard output is the page's address.\n"
           "\n"
           "Options:\n"
           "  --no-browser        only print the address, do not open the browser\n"
           "  --out-dir DIR       write the package in DIR\n"
           "  --lang LANG         the page's language: en or a translated one (it, ...;\n"
           "                      default: the profile's, else the browser's)\n"
           "  --date DATE         date of the request, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ\n"
           "  --ledger PATH       the ledger to record the package in\n"
           "  --no-ledger         do not record the package\n"
           "  --max-upload-mb N   largest photo accepted, in MiB (default %u)\n"
           "  --max-uploads N     photos accepted in one run (default %u)\n"
           "  --idle-timeout SEC  stop after SEC seconds without use (default %u)\n"
           "  --close-timeout SEC stop SEC seconds after the page is closed (default %u)\n"
           "  -h, --help          show this help\n"
           "\n"
           "Exit status: 0 the window was closed, 64 usage error, 66 a photo given does\n"
           "not exist, 73 the private folder or the server cannot be made.\n"
           "Security model and limits: docs/window.md.\n",
           WIN_CLOSED_S, WIN_IDLE_S / 60, WIN_MAX_UPLOAD_MB, WIN_MAX_UPLOADS, WIN_IDLE_S,
           WIN_CLOSED_S);
}

static int parse_opts(int argc, char **argv, win_opts *o)
{
    enum {
        O_NO_BROWSER = 256,
        O_OUT_DIR,
        O_LANG,
        O_DATE,
        O_LEDGER,
        O_NO_LEDGER,
        O_MAX_MB,
        O_MAX_N,
        O_IDLE,
        O_CLOSE
    };
    static const struct option longopts[] = {
        {"no-browser", no_argument, NULL, O_NO_BROWSER},
        {"out-dir", required_argument, NULL, O_OUT_DIR},
        {"lang", required_argument, NULL, O_LANG},
        {"date", required_argument, NULL, O_DATE},
        {"ledger", required_argument, NULL, O_LEDGER},
        {"no-ledger", no_argument, NULL, O_NO_LEDGER},
        {"max-upload-mb", required_argument, NULL, O_MAX_MB},
        {"max-uploads", required_argument, NULL, O_MAX_N},
        {"idle-timeout", required_argument, NULL, O_IDLE},
        {"close-timeout", required_argument, NULL, O_CLOSE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    tool_getopt g = TOOL_GETOPT("window", argc, argv, "h", longopts);
    const char *mb = NULL, *n = NULL, *idle = NULL, *close_s = NULL;
    unsigned v;
    int c, rc = 0;

    memset(o, 0, sizeof(*o));
    while (rc == 0 && (c = tool_getopt_next(&g)) != -1) {
        switch (c) {
        case O_NO_BROWSER:
            rc = tool_opt_flag("window", &o->no_browser, "no-browser");
            break;
        case O_OUT_DIR:
            rc = tool_opt_once("window", &o->out_dir, "out-dir", optarg);
            break;
        case O_LANG:
            rc = tool_opt_once("window", &o->lang, "lang", optarg);
            break;
        case O_DATE:
            rc = tool_opt_once("window", &o->date, "date", optarg);
            break;
        case O_LEDGER:
            rc = tool_opt_once("window", &o->ledger, "ledger", optarg);
            break;
        case O_NO_LEDGER:
            rc = tool_opt_flag("window", &o->no_ledger, "no-ledger");
            break;
        case O_MAX_MB:
            rc = tool_opt_once("window", &mb, "max-upload-mb", optarg);
            break;
        case O_MAX_N:
            rc = tool_opt_once("window", &n, "max-uploads", optarg);
            break;
        case O_IDLE:
            rc = tool_opt_once("window", &idle, "idle-timeout", optarg);
            break;
        case O_CLOSE:
            rc = tool_opt_once("window", &close_s, "close-timeout", optarg);
            break;
        case 'h':
            window_help();
            return -1;
        default:
            return EXIT_USAGE;
        }
    }
    if (rc != 0)
        return rc;
    if (o->lang != NULL && tool_msg_lang(o->lang) == NULL)
        return tool_usage_error("window", "--lang must be one of %s", tool_msg_langs());
    if (o->ledger != NULL && o->no_ledger)
        return tool_usage_error("window", "--ledger and --no-ledger exclude each other");
    o->max_upload = (uint64_t)WIN_MAX_UPLOAD_MB * 1024 * 1024;
    if (mb != NULL) {
        if (!tool_parse_u32(mb, 50, &v))
            return tool_usage_error("window", "--max-upload-mb must be 1 to 50");
        o->max_upload = (uint64_t)v * 1024 * 1024;
    }
    o->max_uploads = WIN_MAX_UPLOADS;
    if (n != NULL && !tool_parse_u32(n, 10000, &o->max_uploads))
        return tool_usage_error("window", "--max-uploads must be 1 to 10000");
    o->idle_s = WIN_IDLE_S;
    if (idle != NULL && !tool_parse_u32(idle, 86400, &o->idle_s))
        return tool_usage_error("window", "--idle-timeout must be 1 to 86400 seconds");
    o->closed_s = WIN_CLOSED_S;
    if (close_s != NULL && !tool_parse_u32(close_s, 86400, &o->closed_s))
        return tool_usage_error("window", "--close-timeout must be 1 to 86400 seconds");
    return 0;
}

/* Where the package goes: --out-dir, else the folder of the first photo
 * given, else ~/Documents, else ~, else the current folder. */
static bool pick_out_dir(win_server *s, const char *first_photo)
{
    char buf[PATH_MAX];
    const char *home = getenv("HOME");
    struct stat sb;

    if (s->o.out_dir != NULL) {
        if (realpath(s->o.out_dir, s->out_base) == NULL || stat(s->out_base, &sb) != 0 ||
            !S_ISDIR(sb.st_mode)) {
            fprintf(stderr, "idpack window: %s: not a folder\n", s->o.out_dir);
            return false;
        }
        return true;
    }
    if (first_photo != NULL) {
        char *dir = tool_parent_dir(first_photo);
        bool ok = dir != NULL && realpath(dir, s->out_base) != NULL;
        free(dir);
        if (ok)
            return true;
    }
    if (home != NULL && home[0] == '/') {
        snprintf(buf, sizeof(buf), "%s/Documents", home);
        if (stat(buf, &sb) == 0 && S_ISDIR(sb.st_mode) && access(buf, W_OK) == 0) {
            snprintf(s->out_base, sizeof(s->out_base), "%s", buf);
            return true;
        }
        snprintf(s->out_base, sizeof(s->out_base), "%s", home);
        return true;
    }
    return getcwd(s->out_base, sizeof(s->out_base)) != NULL;
}

static bool make_token(win_server *s)
{
    unsigned char raw[WIN_TOKEN_HEX / 2];
    if (RAND_bytes(raw, sizeof(raw)) != 1)
        return false;
    for (size_t i = 0; i < sizeof(raw); i++)
        snprintf(s->token + 2 * i, 3, "%02x", raw[i]);
    idp_wipe(raw, sizeof(raw));
    return true;
}

/* Opens the page with xdg-open, not waited for (reaped in the loop). The
 * address with the secret is not given on its command line, which every
 * local user can read (ps): a launch file in the private folder (0600)
 * redirects to it, as Jupyter does. */
static pid_t open_browser(const win_server *s, const char *url)
{
    char path[PATH_MAX + 32], page[512];
    char a0[] = "xdg-open";
    char *args[] = {a0, path, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    idp_ctx *ctx = NULL;
    pid_t pid;
    int n, rc;

    snprintf(path, sizeof(path), "%s/open.html", s->dir);
    n = snprintf(page, sizeof(page),
                 "<!doctype html>\n<meta charset=\"utf-8\">\n"
                 "<meta http-equiv=\"refresh\" content=\"0;url=%s\">\n"
                 "<title>idpack</title>\n<p><a href=\"%s\">idpack</a></p>\n",
                 url, url);
    if (n < 0 || (size_t)n >= sizeof(page) || idp_ctx_create(&ctx) != IDP_OK)
        return -1;
    if (idp_write_atomic(ctx, path, page, (size_t)n, true) != IDP_OK) {
        idp_ctx_destroy(ctx);
        return -1;
    }
    idp_ctx_destroy(ctx);
    /* started as from the desktop, whatever the window blocks for its loop */
    tool_spawn_attr(&attr);
    posix_spawn_file_actions_init(&fa);
    /* its chatter does not go where our address goes */
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    rc = posix_spawnp(&pid, "xdg-open", &fa, &attr, args, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    return rc == 0 ? pid : -1;
}

/* Which stop condition holds now, or NULL. */
static const char *why_stop(win_server *s)
{
    time_t now = time(NULL);
    const char *why = NULL;

    pthread_mutex_lock(&s->clock);
    if (now - s->last_action >= (time_t)s->o.idle_s)
        why = "no use for a long time";
    else if (s->page_seen && now - s->last_beat >= (time_t)s->o.closed_s)
        why = "the page was closed";
    else if (s->bye_at != 0 && now - s->bye_at >= (time_t)WIN_BYE_S)
        why = "the page was closed";
    pthread_mutex_unlock(&s->clock);
    return why;
}

int cmd_window(int argc, char **argv)
{
    win_server *s;
    struct MHD_Daemon *d = NULL;
    idp_ctx *ctx = NULL;
    idp_profile *profile = NULL;
    sigset_t set;
    char url[128];
    const char *photos[2] = {NULL, NULL}, *why = NULL;
    size_t n_photos;
    pid_t browser = -1;
    int rc, exit_code = EXIT_OK;

    /* The signals that stop the window are taken by this thread only, in
     * its loop below. They are blocked before anything else: a signal sent
     * while the window starts waits for the loop instead of being lost. A
     * blocked signal is kept pending even where the window was started with
     * it ignored (a background job of a script starts with SIGINT ignored),
     * and every thread started later inherits the mask. */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    s = calloc(1, sizeof(*s));
    if (s == NULL) {
        tool_error("out of memory");
        return EXIT_SOFTWARE;
    }
    rc = parse_opts(argc, argv, &s->o);
    if (rc != 0) {
        free(s);
        return rc < 0 ? EXIT_OK : rc;
    }
    n_photos = (size_t)(argc - optind);
    if (n_photos > 2) {
        free(s);
        return tool_usage_error("window", "give at most two photos (front and back)");
    }
    for (size_t i = 0; i < n_photos; i++) {
        struct stat sb;
        photos[i] = argv[optind + (int)i];
        if (stat(photos[i], &sb) != 0 || !S_ISREG(sb.st_mode)) {
            fputs("idpack window: ", stderr);
            tool_put_safe(stderr, photos[i]);
            fputs(": no such file: check the name and the folder\n", stderr);
            free(s);
            return EXIT_NOINPUT;
        }
    }
    if (n_photos == 2) /* front and back from the names, as idpack drop does */
        idp_drop_order(photos);
    if (!tool_request_date("window", s->o.date, &s->date)) {
        free(s);
        return EXIT_USAGE;
    }
    s->date_fixed = tool_date_fixed(s->o.date);
    if (s->date_fixed) {
        idp_utc_day(s->date, s->today);
    } else {
        char zone[64];
        idp_local_day(s->date, s->today, zone, sizeof(zone));
    }
    if (!tool_profile_path("window", s->profile_path, sizeof(s->profile_path)) ||
        !pick_out_dir(s, photos[0])) {
        free(s);
        return EXIT_USAGE;
    }
    if (idp_ctx_create(&ctx) == IDP_OK &&
        idp_profile_load(ctx, s->profile_path, &profile) == IDP_OK &&
        idp_profile_lang(profile) != NULL)
        snprintf(s->lang, sizeof(s->lang), "%s", idp_profile_lang(profile));
    idp_profile_destroy(profile);
    idp_ctx_destroy(ctx);

    pthread_mutex_init(&s->lock, NULL);
    pthread_mutex_init(&s->clock, NULL);
    s->last_action = s->last_beat = time(NULL);
    ctx = NULL;
    if (idp_ctx_create(&ctx) != IDP_OK ||
        idp_check_report_create(ctx, &s->photo[0].report) != IDP_OK ||
        idp_check_report_create(ctx, &s->photo[1].report) != IDP_OK) {
        idp_ctx_destroy(ctx);
        tool_error("out of memory");
        exit_code = EXIT_SOFTWARE;
        goto out;
    }
    idp_ctx_destroy(ctx);
    if (!make_token(s)) {
        tool_error("cannot make a random secret (OpenSSL RAND_bytes)");
        exit_code = EXIT_SOFTWARE;
        goto out;
    }
    if (!win_store_open(s)) {
        exit_code = EXIT_CANTCREAT;
        goto out;
    }
    {
        /* a kill -9 leaves neither the uploads nor a half-written package */
        const char *guarded[2] = {s->runtime_dir, s->out_base};
        tool_guard(guarded, 2);
    }
    signal(SIGPIPE, SIG_IGN);
    d = win_http_start(s);
    if (d == NULL) {
        tool_error("cannot start the web server on 127.0.0.1");
        exit_code = EXIT_CANTCREAT;
        goto out;
    }
    snprintf(url, sizeof(url), "http://127.0.0.1:%u/?token=%s", s->port, s->token);
    printf("%s\n", url);
    fflush(stdout);
    fprintf(stderr, "idpack window: the page is at the address above (this computer only). Ctrl-C "
                    "stops it.\n");
    if (!s->o.no_browser) {
        const char *x11 = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
        /* without a graphical session xdg-open would start a text browser
         * on this terminal */
        bool desktop = (x11 != NULL && *x11 != '\0') || (wl != NULL && *wl != '\0');
        browser = desktop ? open_browser(s, url) : -1;
        if (!desktop)
            fputs("idpack window: no graphical session (DISPLAY, WAYLAND_DISPLAY): open the "
                  "address above in a browser\n",
                  stderr);
        else if (browser < 0)
            fputs("idpack window: cannot start the browser (xdg-open): open the address above "
                  "in it\n",
                  stderr);
    }
    if (n_photos > 0) {
        pthread_mutex_lock(&s->lock);
        for (size_t i = 0; i < n_photos; i++)
            win_store_cli_photo(s, (int)i, photos[i]);
        pthread_mutex_unlock(&s->lock);
    }
    while (why == NULL) {
        struct timespec one = {1, 0};
        int sig = sigtimedwait(&set, NULL, &one);
        if (sig > 0)
            why = sig == SIGINT ? "Ctrl-C" : "a signal";
        else
            why = why_stop(s);
        if (browser > 0 && waitpid(browser, NULL, WNOHANG) == browser)
            browser = -1;
    }
    fprintf(stderr, "idpack window: stopped (%s); the uploaded photos are deleted.\n", why);
out:
    if (d != NULL)
        MHD_stop_daemon(d);
    win_store_wipe(s);
    for (int i = 0; i < 2; i++)
        idp_check_report_destroy(s->photo[i].report); /* wiped */
    idp_wipe(s->token, sizeof(s->token));
    pthread_mutex_destroy(&s->lock);
    pthread_mutex_destroy(&s->clock);
    free(s);
    return exit_code;
}
