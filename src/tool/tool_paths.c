/* Where the templates and the specimen photos are: an environment
 * variable, else next to the installed binary (PREFIX/share/idpack), else
 * the build tree. */
#include "tool.h"

#include "tool_config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static const char *data_dir(const char *env, const char *sub, const char *build_dir, char *buf,
                            size_t size)
{
    const char *v = getenv(env);
    char exe[PATH_MAX];
    ssize_t n;

    if (v != NULL && *v != '\0')
        return v;
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        char *slash;
        exe[n] = '\0';
        slash = strrchr(exe, '/');
        if (slash != NULL) {
            *slash = '\0';
            slash = strrchr(exe, '/');
            if (slash != NULL) {
                *slash = '\0';
                snprintf(buf, size, "%s/%s/%s", exe, IDP_INSTALL_DATADIR_REL, sub);
                if (is_dir(buf))
                    return buf;
            }
        }
    }
    return build_dir;
}

const char *tool_templates_dir(void)
{
    static char buf[PATH_MAX + 64];
    return data_dir("IDPACK_TEMPLATES", "templates", IDP_BUILD_TEMPLATES, buf, sizeof(buf));
}

const char *tool_specimen_dir(void)
{
    static char buf[PATH_MAX + 64];
    return data_dir("IDPACK_SPECIMEN", "specimen", IDP_BUILD_SPECIMEN, buf, sizeof(buf));
}
