#include "tool.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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

void tool_error(const char *msg)
{
    fprintf(stderr, "idpack: %s\n", msg);
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
    if (v == NULL || *v == '\0')
        return NULL;
    if (strncmp(v, "it", 2) == 0 && (v[2] == '\0' || v[2] == '_' || v[2] == '.' || v[2] == '-'))
        return "it";
    if (strncmp(v, "en", 2) == 0 && (v[2] == '\0' || v[2] == '_' || v[2] == '.' || v[2] == '-'))
        return "en";
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
