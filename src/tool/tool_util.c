#define _GNU_SOURCE /* pipe2() */

#include "tool.h"
#include "idp_util.h"

#include "tool_report.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int tool_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "idpack %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nRun 'idpack %s --help' for usage.\n", cmd);
    return EXIT_USAGE;
}

int tool_opt_once(const char *cmd, const char **slot, const char *name, const char *value)
{
    if (*slot != NULL)
        return tool_usage_error(cmd, "--%s given twice", name);
    *slot = value;
    return 0;
}

int tool_opt_flag(const char *cmd, bool *flag, const char *name)
{
    if (*flag)
        return tool_usage_error(cmd, "--%s given twice", name);
    *flag = true;
    return 0;
}

void tool_error(const char *msg)
{
    tool_print_error(NULL, msg);
}

int tool_exit_for(idp_status st)
{
    switch (st) {
    case IDP_OK:
        return EXIT_OK;
    case IDP_E_USAGE:
        return EXIT_USAGE;
    case IDP_E_NOTFOUND:
        return EXIT_NOINPUT;
    case IDP_E_FORMAT:
    case IDP_E_CORRUPT:
    case IDP_E_LIMITS:
    case IDP_E_POLICY:
    case IDP_E_FIELD:
    case IDP_E_GLYPH:
    case IDP_E_CRYPTO:
        return EXIT_DATAERR;
    case IDP_E_EXPIRED:
    case IDP_E_REJECTED:
    case IDP_E_MISMATCH:
        return EXIT_REJECTED;
    case IDP_E_EXISTS:
    case IDP_E_CREATE:
        return EXIT_CANTCREAT;
    case IDP_E_IO:
        return EXIT_IOERR;
    case IDP_E_NOMEM:
    case IDP_E_INTERNAL:
        return EXIT_SOFTWARE;
    }
    return EXIT_SOFTWARE;
}

static const char *lang_of(const char *v)
{
    static const char *const langs[] = {"en", "it", "de", "fr", "es"};

    if (v == NULL || *v == '\0')
        return NULL;
    for (size_t i = 0; i < sizeof(langs) / sizeof(langs[0]); i++)
        if (strncmp(v, langs[i], 2) == 0 &&
            (v[2] == '\0' || v[2] == '_' || v[2] == '.' || v[2] == '-'))
            return langs[i];
    return NULL;
}

const char *tool_lang(const char *opt)
{
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};

    if (opt != NULL)
        return lang_of(opt);
    for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
        const char *v = getenv(vars[i]);
        if (v != NULL && *v != '\0')
            return lang_of(v) != NULL ? lang_of(v) : "en";
    }
    return "en";
}

bool tool_parse_u32(const char *s, unsigned long max, unsigned *out)
{
    char *end;
    unsigned long v;

    if (s == NULL || *s < '0' || *s > '9')
        return false;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno != 0 || *end != '\0' || v == 0 || v > max)
        return false;
    *out = (unsigned)v;
    return true;
}

bool tool_parse_time(const char *s, int64_t *out)
{
    return s != NULL && idp_time_parse_iso(s, out);
}

bool tool_request_date(const char *cmd, const char *opt, int64_t *out)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");

    if (opt != NULL) {
        if (!idp_time_parse_iso(opt, out)) {
            tool_usage_error(cmd, "--date '%s' is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)",
                             opt);
            return false;
        }
        return true;
    }
    if (sde != NULL && *sde != '\0') {
        char *end;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        if (errno != 0 || *end != '\0' || v < 0 || v > 253402300799LL) {
            fprintf(stderr, "idpack %s: SOURCE_DATE_EPOCH '%s' is not a Unix time\n", cmd, sde);
            return false;
        }
        *out = v;
        return true;
    }
    if (!tool_now(out)) {
        fprintf(stderr, "idpack %s: IDPACK_NOW is not a Unix time or YYYY-MM-DDTHH:MM:SSZ\n", cmd);
        return false;
    }
    return true;
}

char *tool_parent_dir(const char *path)
{
    size_t n = strlen(path);
    const char *slash;

    while (n > 1 && path[n - 1] == '/')
        n--;
    slash = n > 0 ? memrchr(path, '/', n) : NULL;
    if (slash == NULL)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

void tool_guard(const char *const *dirs, size_t n)
{
    pid_t parent = getpid(), child;
    int p[2];

    if (n == 0 || pipe2(p, O_CLOEXEC) != 0)
        return; /* no guardian: the next run still removes what is stale */
    fflush(stdout);
    fflush(stderr);
    child = fork();
    if (child < 0) {
        close(p[0]);
        close(p[1]);
        return;
    }
    if (child == 0) {
        static const int ignored[] = {SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE, SIGTSTP};
        char c;
        ssize_t r;

        close(p[1]);
        /* Out of the tool's process group, deaf to the terminal's signals:
         * Ctrl-C, or a kill of the whole group, ends the tool, not this. */
        (void)setpgid(0, 0);
        for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
            (void)signal(ignored[i], SIG_IGN);
        /* The only writer is the tool, which never writes: the read returns
         * (end of file) when the tool has ended, however it ended, and
         * every thread of it is gone. */
        do
            r = read(p[0], &c, 1);
        while (r < 0 && errno == EINTR);
        for (size_t i = 0; i < n; i++)
            (void)idp_remove_temporaries(dirs[i], NULL, (long)parent);
        _exit(0);
    }
    close(p[0]); /* p[1] stays open, unused, until the tool ends */
}

void tool_protect_output(const char *path)
{
    char *parent = tool_parent_dir(path), *base;
    size_t n = strlen(path);
    const char *slash;

    if (parent == NULL)
        return;
    while (n > 1 && path[n - 1] == '/')
        n--;
    slash = memrchr(path, '/', n);
    base = slash != NULL ? strndup(slash + 1, n - (size_t)(slash + 1 - path)) : strndup(path, n);
    if (base != NULL && base[0] != '\0')
        (void)idp_remove_temporaries(parent, base, 0);
    tool_guard((const char *const *)&parent, 1);
    free(base);
    free(parent);
}

const char *tool_error_text(idp_status st, const char *msg, const char *replace_opt, char *buf,
                            size_t size)
{
    if (st != IDP_E_EXISTS || replace_opt == NULL)
        return msg;
    snprintf(buf, size, "%s (use %s to replace it)", msg, replace_opt);
    return buf;
}

void tool_spawn_attr(posix_spawnattr_t *attr)
{
    static const int stops[] = {SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE};
    sigset_t none, dfl;

    sigemptyset(&none);
    sigemptyset(&dfl);
    for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++)
        sigaddset(&dfl, stops[i]);
    posix_spawnattr_init(attr);
    posix_spawnattr_setsigmask(attr, &none);
    posix_spawnattr_setsigdefault(attr, &dfl);
    posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
}
