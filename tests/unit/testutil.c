#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char tu_dir[4096];

const char *tu_env(const char *name)
{
    const char *v = getenv(name);
    if (v == NULL || *v == '\0') {
        fprintf(stderr, "test environment variable %s is not set (run through ctest)\n", name);
        abort();
    }
    return v;
}

const char *tu_path(const char *dir, const char *name)
{
    static char slots[8][4096];
    static unsigned next;
    char *p = slots[next++ % 8];
    snprintf(p, sizeof(slots[0]), "%s/%s", dir, name);
    return p;
}

static void tu_cleanup(void)
{
    char cmd[4200];
    if (tu_dir[0] == '\0')
        return;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tu_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tu_dir);
}

const char *tu_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    if (tu_dir[0] != '\0')
        return tu_dir;
    snprintf(tu_dir, sizeof(tu_dir), "%s/idpack-test-XXXXXX", base ? base : "/tmp");
    if (mkdtemp(tu_dir) == NULL) {
        perror("mkdtemp");
        abort();
    }
    atexit(tu_cleanup);
    return tu_dir;
}
