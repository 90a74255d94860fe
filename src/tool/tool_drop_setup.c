/* idpack drop beside the build: the package folder keyed by its inputs,
 * and the profile to fill in when none is saved. */
#include "idp_util.h"
#include "tool_drop.h"

#include "idp_package.h"
#include "idp_profile.h"
#include "idp_template.h"
#include "tool.h"
#include "tool_report.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The photo's SHA-256 in hex, or "-" for none. */
static bool photo_hash(idp_ctx *ctx, const char *path, char hex[IDP_SHA256_HEX])
{
    uint8_t d[IDP_SHA256_LEN];
    struct stat sb;

    if (path == NULL) {
        strcpy(hex, "-");
        return true;
    }
    /* Over the limit, the build refuses it before reading it: so here. */
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) ||
        (uint64_t)sb.st_size > idp_ctx_limit(ctx, IDP_LIMIT_FILE_BYTES))
        return false;
    if (idp_sha256_file(ctx, path, d, NULL) != IDP_OK)
        return false;
    idp_hex(d, sizeof(d), hex);
    return true;
}

bool tool_drop_key(const tool_build_req *bo, char key[9])
{
    idp_ctx *ctx = NULL;
    size_t n = idp_form_count(bo->form), cap = 512, used;
    const char **keys = NULL;
    char front[IDP_SHA256_HEX], back[IDP_SHA256_HEX], day[16], *buf = NULL;
    uint8_t d[IDP_SHA256_LEN];
    char hex[IDP_SHA256_HEX];
    bool done = false;

    if (idp_ctx_create(&ctx) != IDP_OK)
        return false;
    if (!photo_hash(ctx, bo->front_path, front) || !photo_hash(ctx, bo->back_path, back))
        goto out;
    keys = calloc(n ? n : 1, sizeof(*keys));
    if (keys == NULL)
        goto out;
    for (size_t i = 0; i < n; i++) {
        keys[i] = idp_form_key(bo->form, i);
        cap += strlen(keys[i]) + strlen(idp_form_get(bo->form, keys[i])) + 2;
    }
    qsort(keys, n, sizeof(*keys), cmp_str);
    cap += strlen(bo->template_id) + strlen(bo->lang);
    buf = malloc(cap);
    if (buf == NULL)
        goto out;
    if (bo->today != NULL)
        snprintf(day, sizeof(day), "%s", bo->today);
    else
        idp_utc_day(bo->date, day);
    used = (size_t)snprintf(buf, cap, "idpack-drop/1\n%s\n%s\n%s\n%s\n%s\n", bo->template_id,
                            bo->lang, day, front, back);
    for (size_t i = 0; i < n; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s=%s\n", keys[i],
                                 idp_form_get(bo->form, keys[i]));
    if (idp_sha256(ctx, buf, used, d) != IDP_OK)
        goto out;
    idp_hex(d, sizeof(d), hex);
    memcpy(key, hex, 8);
    key[8] = '\0';
    done = true;
out:
    idp_free_wiped(buf, cap);
    free(keys);
    idp_ctx_destroy(ctx);
    return done;
}

bool tool_drop_verifies(const char *dir, char ref[IDP_REFERENCE_LEN])
{
    idp_ctx *ctx = NULL;
    idp_verify_report *rep = NULL;
    const char *reference;
    bool ok = false;

    if (idp_ctx_create(&ctx) != IDP_OK)
        return false;
    if (idp_verify_report_create(ctx, &rep) == IDP_OK &&
        idp_package_verify(ctx, dir, NULL, rep) == IDP_OK && idp_verify_report_problems(rep) == 0 &&
        (reference = idp_verify_report_reference(rep)) != NULL &&
        strlen(reference) < IDP_REFERENCE_LEN) {
        strcpy(ref, reference);
        ok = true;
    }
    idp_verify_report_destroy(rep);
    idp_ctx_destroy(ctx);
    return ok;
}

/* ---- the profile to fill in ------------------------------------------------ */

bool tool_drop_profile_template(const char *path, const char *lang)
{
    idp_ctx *ctx = NULL;
    idp_template *tmpl = NULL;
    struct stat sb;
    bool ok = false;

    if (lstat(path, &sb) == 0)
        return true; /* never replaced */
    if (idp_ctx_create(&ctx) != IDP_OK)
        return false;
    if (idp_template_load(ctx, tool_templates_dir(), "2fa-reset", lang, &tmpl) != IDP_OK ||
        idp_profile_write_blank(ctx, tmpl, path) != IDP_OK)
        tool_print_error("drop", idp_ctx_error(ctx));
    else
        ok = true;
    idp_template_destroy(tmpl);
    idp_ctx_destroy(ctx);
    return ok;
}

void tool_drop_open(const char *path)
{
    char a0[] = "xdg-open";
    char *args[] = {a0, (char *)(uintptr_t)path, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    extern char **environ;
    pid_t pid;
    int status;

    /* Without a graphical session xdg-open would start a terminal program
     * that has no terminal: the problems file says where the file is. */
    if ((getenv("DISPLAY") == NULL || *getenv("DISPLAY") == '\0') &&
        (getenv("WAYLAND_DISPLAY") == NULL || *getenv("WAYLAND_DISPLAY") == '\0'))
        return;
    if (posix_spawn_file_actions_init(&fa) != 0)
        return;
    /* the caller's thread may block the stop signals (the window's do) */
    tool_spawn_attr(&attr);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    if (posix_spawnp(&pid, "xdg-open", &fa, &attr, args, environ) == 0) {
        /* xdg-open returns once the editor has started; an editor that
         * keeps it waiting is left running, never killed. */
        struct timespec nap = {0, 50 * 1000 * 1000};
        for (int i = 0; i < 20 && waitpid(pid, &status, WNOHANG) == 0; i++)
            nanosleep(&nap, NULL);
    }
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
}
