#include "testutil_shots.h"

#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

size_t tu_make_shots(const char *set, const char *dir, shot *shots, size_t max)
{
    char cmd[4096], line[512];
    size_t n = 0;
    FILE *f;

    snprintf(cmd, sizeof(cmd), "'%s' %s '%s'", tu_env("IDP_MKPHOTOS"), set, dir);
    if (system(cmd) != 0)
        return 0;
    f = fopen(tu_path(dir, "detect.tsv"), "r");
    if (f == NULL)
        return 0;
    if (fgets(line, sizeof(line), f) == NULL) { /* header */
        fclose(f);
        return 0;
    }
    while (n < max && fgets(line, sizeof(line), f) != NULL) {
        shot *s = &shots[n];
        /* our own generator's tab-separated numbers: no quoting, no escapes */
        if (sscanf(line, "%63s %7s %lf %lf %lf %lf %lf %lf %lf %lf %15s", s->file, s->kind,
                   &s->quad[0][0], &s->quad[0][1], &s->quad[1][0], &s->quad[1][1], &s->quad[2][0],
                   &s->quad[2][1], &s->quad[3][0], &s->quad[3][1], s->category) == 11)
            n++;
    }
    fclose(f);
    return n;
}
