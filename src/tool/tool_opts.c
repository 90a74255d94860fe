/* The command line every command shares: options in any position, the
 * language of the tool's messages, JSON numbers, the end of stdout. */
#include "tool_opts.h"

#include "tool.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The name of a long option as written, without "=VALUE". */
static int name_len(const char *arg)
{
    const char *eq = strchr(arg, '=');
    return eq != NULL ? (int)(eq - arg) : (int)strlen(arg);
}

int tool_getopt_next(tool_getopt *g)
{
    for (;;) {
        int at, c;
        const char *arg;

        if (!g->started) {
            /* '-': every operand comes back in order as option 1, so
             * options may follow operands without getopt's permutation
             * (which POSIXLY_CORRECT turns off); ':': a missing value is
             * told apart from an unknown option. */
            snprintf(g->optstring, sizeof(g->optstring), "-:%s", g->shortopts);
            g->n_operands = 0;
            g->started = true;
            opterr = 0;
            optind = 0; /* a full reset, also of a bundle left half read */
        }
        at = optind > 0 ? optind : 1; /* the element getopt reads now */
        c = getopt_long(g->argc, g->argv, g->optstring, g->longopts, NULL);
        if (c == 1) {
            /* An operand: kept in order at the front. Every slot up to
             * the one read is consumed, so none still to read is hit. */
            g->argv[1 + g->n_operands++] = optarg;
            continue;
        }
        if (c == -1) {
            /* After "--", argv[optind..] are operands too: the ones seen
             * before go just in front of them. */
            memmove(g->argv + optind - g->n_operands, g->argv + 1,
                    (size_t)g->n_operands * sizeof(*g->argv));
            optind -= g->n_operands;
            return -1;
        }
        if (c != '?' && c != ':')
            return c;
        arg = at < g->argc ? g->argv[at] : "";
        if (strncmp(arg, "--", 2) == 0) {
            if (c == ':')
                tool_usage_error(g->cmd, "option '%.*s' needs a value", name_len(arg), arg);
            else if (optopt != 0) /* known, but it takes no value */
                tool_usage_error(g->cmd, "option '%.*s' takes no value", name_len(arg), arg);
            else
                tool_usage_error(g->cmd, "unknown option '%.*s'", name_len(arg), arg);
        } else if (c == ':') {
            tool_usage_error(g->cmd, "option '-%c' needs a value", optopt);
        } else if (optopt > 0x20 && optopt < 0x7f) {
            tool_usage_error(g->cmd, "unknown option '-%c'", optopt);
        } else {
            tool_usage_error(g->cmd, "unknown option '%s'", arg);
        }
        return '?';
    }
}

/* The language of idpack's messages that v names ("it", "it_IT.UTF-8"):
 * English or a language the library has a catalogue for (po/LANG.po),
 * a static string; NULL for any other. */
static const char *msg_lang_of(const char *v)
{
    for (size_t i = 0; v != NULL && idp_tr_language(i) != NULL; i++) {
        const char *l = idp_tr_language(i);
        size_t n = strlen(l);
        if (strncmp(v, l, n) == 0 &&
            (v[n] == '\0' || v[n] == '_' || v[n] == '.' || v[n] == '-' || v[n] == '@'))
            return l;
    }
    return NULL;
}

bool tool_lang_translated(const char *lang)
{
    const char *l = msg_lang_of(lang);
    return l != NULL && strcmp(l, "en") != 0;
}

const char *tool_msg_langs(void)
{
    static char list[256];

    if (list[0] == '\0')
        for (size_t i = 0, at = 0; idp_tr_language(i) != NULL && at < sizeof(list); i++)
            at += (size_t)snprintf(list + at, sizeof(list) - at, "%s%s", i > 0 ? ", " : "",
                                   idp_tr_language(i));
    return list;
}

const char *tool_msg_lang(const char *opt)
{
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};

    if (opt != NULL)
        return msg_lang_of(opt);
    for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
        const char *v = getenv(vars[i]);
        if (v != NULL && *v != '\0')
            return msg_lang_of(v) != NULL ? msg_lang_of(v) : "en";
    }
    return "en";
}

double tool_json_round(double v, int decimals)
{
    double scale = pow(10.0, decimals);

    if (!isfinite(v) || fabs(v) * scale > 1e15)
        return v;
    return round(v * scale) / scale;
}

int tool_close_stdout(int rc)
{
    int err = 0;

    if (fflush(stdout) != 0)
        err = errno;
    if (ferror(stdout) && err == 0)
        err = -1; /* an earlier write failed; its errno is gone */
    if (fclose(stdout) != 0 && err == 0)
        err = errno;
    if (err == 0)
        return rc;
    if (err > 0)
        fprintf(stderr, "idpack: cannot write to standard output: %s\n", strerror(err));
    else
        fputs("idpack: cannot write to standard output: part of the output is lost\n", stderr);
    return EXIT_IOERR;
}
