/* The ledger's file for build, batch and track: --ledger PATH, else
 * $IDPACK_LEDGER, else the XDG data folder (see docs/ledger.md), or a
 * postgresql:// URI; the agent recorded with each event; and opening the
 * ledger to record a package just built (idp_build_record). */
#include "tool.h"

#include "idp_build_record.h"
#include "idp_form.h"
#include "idp_ledger.h"
#include "tool_report.h"

#include <jansson.h>

#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Creates dir and its missing parents, each mode 0700. */
static int make_dirs(const char *cmd, char *dir)
{
    struct stat sb;

    for (char *p = dir + 1;; p++) {
        char saved = *p;
        if (saved != '/' && saved != '\0')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
            fprintf(stderr, "idpack %s: cannot create the ledger's folder %s: %s\n", cmd, dir,
                    strerror(errno));
            *p = saved;
            return EXIT_CANTCREAT;
        }
        *p = saved;
        if (saved == '\0')
            break;
    }
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        fprintf(stderr, "idpack %s: the ledger's folder %s is not a folder\n", cmd, dir);
        return EXIT_CANTCREAT;
    }
    return EXIT_OK;
}

int tool_ledger_path(const char *cmd, const char *opt, bool create_dir, char **out)
{
    const char *env = getenv("IDPACK_LEDGER");
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    char *dir = NULL, *path = NULL;
    size_t len;
    int rc;

    *out = NULL;
    if (opt != NULL && *opt == '\0') {
        fprintf(stderr, "idpack %s: --ledger needs a file name or a postgresql:// URI\n", cmd);
        return EXIT_USAGE;
    }
    if (opt != NULL || (env != NULL && *env != '\0')) {
        *out = strdup(opt != NULL ? opt : env);
        if (*out == NULL) {
            tool_error("out of memory");
            return EXIT_SOFTWARE;
        }
        return EXIT_OK;
    }
    if (home == NULL || home[0] != '/') {
        struct passwd *pw = getpwuid(getuid());
        home = pw != NULL ? pw->pw_dir : NULL;
    }
    /* The XDG spec: a relative XDG_DATA_HOME is invalid and ignored. */
    if (xdg != NULL && xdg[0] == '/') {
        len = strlen(xdg) + sizeof("/idpack");
        dir = malloc(len);
        if (dir != NULL)
            snprintf(dir, len, "%s/idpack", xdg);
    } else if (home != NULL && home[0] == '/') {
        len = strlen(home) + sizeof("/.local/share/idpack");
        dir = malloc(len);
        if (dir != NULL)
            snprintf(dir, len, "%s/.local/share/idpack", home);
    } else {
        fprintf(stderr,
                "idpack %s: no folder for the ledger: set XDG_DATA_HOME or HOME, or give "
                "--ledger PATH\n",
                cmd);
        return EXIT_CANTCREAT;
    }
    if (dir == NULL) {
        tool_error("out of memory");
        return EXIT_SOFTWARE;
    }
    if (create_dir) {
        rc = make_dirs(cmd, dir);
        if (rc != EXIT_OK) {
            free(dir);
            return rc;
        }
    }
    len = strlen(dir) + sizeof("/ledger.sqlite");
    path = malloc(len);
    if (path == NULL) {
        free(dir);
        tool_error("out of memory");
        return EXIT_SOFTWARE;
    }
    snprintf(path, len, "%s/ledger.sqlite", dir);
    free(dir);
    *out = path;
    return EXIT_OK;
}

const char *tool_ledger_agent(const char *opt)
{
    const char *env = getenv("IDPACK_AGENT");
    struct passwd *pw;

    if (opt != NULL)
        return opt;
    if (env != NULL && *env != '\0')
        return env;
    env = getenv("LOGNAME");
    if (env != NULL && *env != '\0')
        return env;
    pw = getpwuid(getuid());
    return pw != NULL && pw->pw_name != NULL && *pw->pw_name != '\0' ? pw->pw_name : NULL;
}

idp_status tool_ledger_open(idp_ctx *ctx, const char *path, const char *agent, idp_ledger **out)
{
    idp_status st = idp_ledger_open(ctx, path, out);
    const char *who = tool_ledger_agent(agent);

    if (st == IDP_OK && who != NULL) {
        st = idp_ledger_set_agent(ctx, *out, who);
        if (st != IDP_OK && agent == NULL) {
            /* A login name the ledger cannot hold is not worth a failure. */
            idp_ctx_clear(ctx);
            st = IDP_OK;
        }
    }
    if (st != IDP_OK) {
        idp_ledger_close(*out);
        *out = NULL;
    }
    return st;
}

char *tool_ledger_shown(const char *path)
{
    size_t n = idp_ledger_display_name(path, NULL, 0) + 1;
    char *shown = malloc(n);

    if (shown != NULL)
        idp_ledger_display_name(path, shown, n);
    return shown;
}

json_t *tool_json_ledger(const char *path)
{
    char *shown = tool_ledger_shown(path);
    json_t *j = shown != NULL ? tool_json_string(shown) : NULL;

    free(shown);
    return j;
}

idp_status tool_ledger_record(idp_ctx *ctx, const char *path, const char *agent,
                              const tool_build_req *bo, const idp_build_result *res)
{
    idp_ledger *ledger = NULL;
    idp_build_opts *opts = NULL;
    idp_status st = tool_build_opts(ctx, bo, &opts);

    if (st == IDP_OK)
        st = tool_ledger_open(ctx, path, NULL, &ledger);
    if (st == IDP_OK)
        st = idp_build_record(ctx, ledger, agent, opts, res);
    idp_ledger_close(ledger);
    idp_build_opts_destroy(opts);
    return st;
}

int tool_agent_check(const char *cmd, const char *agent)
{
    size_t n, at;

    if (agent == NULL)
        return EXIT_OK;
    n = strlen(agent);
    if (n == 0 || n > IDP_LEDGER_AGENT_MAX)
        return tool_usage_error(cmd, "--agent needs a name of 1 to %d bytes", IDP_LEDGER_AGENT_MAX);
    /* The ledger's own rule (idp_ledger_set_agent), before anything is built. */
    if (idp_text_problem(agent, n, &at) != NULL || strpbrk(agent, "\t\n") != NULL) {
        fprintf(stderr, "idpack %s: the agent's name must be 1 to %d bytes of text on one line\n",
                cmd, IDP_LEDGER_AGENT_MAX);
        return EXIT_DATAERR;
    }
    return EXIT_OK;
}
