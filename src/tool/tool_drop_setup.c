/* idpack drop beside the build: the package folder keyed by its inputs,
 * and the profile to fill in when none is saved. */
#include "idp_date.h"
#include "tool_drop.h"

#include "idp_hash.h"
#include "idp_io.h"
#include "idp_package.h"
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
        (uint64_t)sb.st_size > idp_ctx_limits(ctx)->max_file_bytes)
        return false;
    if (idp_sha256_file(ctx, path, d, NULL) != IDP_OK)
        return false;
    idp_hex(d, sizeof(d), hex);
    return true;
}

bool tool_drop_key(const idp_build_opts *bo, char key[9])
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
    idp_verify_report rep;
    bool ok = false;

    memset(&rep, 0, sizeof(rep));
    if (idp_ctx_create(&ctx) != IDP_OK)
        return false;
    if (idp_package_verify(ctx, dir, NULL, &rep) == IDP_OK && rep.n_problems == 0 &&
        rep.reference != NULL && strlen(rep.reference) < IDP_REFERENCE_LEN) {
        strcpy(ref, rep.reference);
        ok = true;
    }
    idp_verify_report_free(&rep);
    idp_ctx_destroy(ctx);
    return ok;
}

/* ---- the profile to fill in ------------------------------------------------ */

typedef struct template_text {
    const char *head, *required, *optional, *date, *one_of, *some_of, *country, *market, *lang;
} template_text;

static const template_text tt_en = {
    .head = "# idpack profile: your details for 'idpack drop' (photos dropped on the idpack\n"
            "# icon). Write each detail after its '=' sign, save this file, then drop the\n"
            "# photos again. Lines starting with '#' explain the line below them.\n"
            "# Keep this file private: it holds personal data.\n",
    .required = "required",
    .optional = "optional",
    .date = "YYYY-MM-DD",
    .one_of = "one of:",
    .some_of = "one or more of, separated by commas:",
    .country = "two-letter country code, e.g. IT",
    .market = "e.g. amazon.it",
    .lang = "# Language of the letter and of idpack's messages: en, it, de, fr or es\n",
};

static const template_text tt_it = {
    .head = "# Profilo di idpack: i tuoi dati per 'idpack drop' (le foto trascinate\n"
            "# sull'icona di idpack). Scrivi ogni dato dopo il suo segno '=', salva questo\n"
            "# file, poi trascina di nuovo le foto. Le righe che iniziano con '#' spiegano\n"
            "# la riga sotto. Tieni privato questo file: contiene dati personali.\n",
    .required = "obbligatorio",
    .optional = "facoltativo",
    .date = "AAAA-MM-GG",
    .one_of = "uno tra:",
    .some_of = "uno o più tra, separati da virgole:",
    .country = "codice del paese di due lettere, per esempio IT",
    .market = "per esempio amazon.it",
    .lang = "# Lingua della lettera e dei messaggi di idpack: en, it, de, fr o es\n",
};

/* Appends to *buf (grown as needed); false when out of memory. */
static bool append(char **buf, size_t *len, size_t *cap, const char *a, const char *b)
{
    size_t la = strlen(a), lb = b != NULL ? strlen(b) : 0;

    if (*len + la + lb + 1 > *cap) {
        size_t ncap = (*len + la + lb + 1) * 2;
        char *grown = realloc(*buf, ncap);
        if (grown == NULL)
            return false;
        *buf = grown;
        *cap = ncap;
    }
    memcpy(*buf + *len, a, la);
    if (lb > 0)
        memcpy(*buf + *len + la, b, lb);
    *len += la + lb;
    (*buf)[*len] = '\0';
    return true;
}

static bool field_lines(char **buf, size_t *len, size_t *cap, const idp_field *f,
                        const template_text *tt)
{
    const idp_field_kind kind = idp_field_kind_of(f);
    bool ok = append(buf, len, cap, "\n# ", idp_field_label(f)) &&
              append(buf, len, cap, " (", idp_field_required(f) ? tt->required : tt->optional) &&
              append(buf, len, cap, ")", NULL);

    switch (kind) {
    case IDP_FIELD_DATE:
        ok = ok && append(buf, len, cap, ": ", tt->date);
        break;
    case IDP_FIELD_COUNTRY:
        ok = ok && append(buf, len, cap, ": ", tt->country);
        break;
    case IDP_FIELD_MARKETPLACE:
        ok = ok && append(buf, len, cap, ": ", tt->market);
        break;
    case IDP_FIELD_ENUM:
    case IDP_FIELD_ENUM_LIST:
        ok = ok && append(buf, len, cap, ": ", kind == IDP_FIELD_ENUM ? tt->one_of : tt->some_of);
        for (size_t i = 0; ok && i < idp_field_choice_count(f); i++)
            ok = append(buf, len, cap, i ? ", " : " ", idp_field_choice(f, i));
        break;
    default:
        break;
    }
    return ok && append(buf, len, cap, "\n", idp_field_key(f)) &&
           append(buf, len, cap, " =\n", NULL);
}

/* Makes the missing folders of path's parent, mode 0700. */
static bool make_parents(const char *path)
{
    char dir[PATH_MAX];
    size_t n = strlen(path);

    if (n >= sizeof(dir))
        return false;
    memcpy(dir, path, n + 1);
    for (char *p = dir + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST)
            return false;
        *p = '/';
    }
    return true;
}

bool tool_drop_profile_template(const char *path, const char *lang, const char *msg_lang)
{
    const template_text *tt = strcmp(msg_lang, "it") == 0 ? &tt_it : &tt_en;
    idp_ctx *ctx = NULL;
    idp_template *tmpl = NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    struct stat sb;
    bool ok = false;

    if (lstat(path, &sb) == 0)
        return true; /* never replaced */
    if (idp_ctx_create(&ctx) != IDP_OK)
        return false;
    if (idp_template_load(ctx, tool_templates_dir(), "2fa-reset", lang, &tmpl) != IDP_OK) {
        tool_print_error("drop", idp_ctx_error(ctx));
        goto out;
    }
    ok = append(&buf, &len, &cap, tt->head, NULL) && append(&buf, &len, &cap, "\n", tt->lang) &&
         append(&buf, &len, &cap, "lang = ", lang) && append(&buf, &len, &cap, "\n", NULL);
    for (size_t i = 0; ok && i < idp_template_field_count(tmpl); i++)
        ok = field_lines(&buf, &len, &cap, idp_template_field(tmpl, i), tt);
    if (!ok) {
        tool_error("out of memory");
        goto out;
    }
    ok = false;
    if (!make_parents(path)) {
        fprintf(stderr, "idpack drop: cannot create the folder of %s: %s\n", path, strerror(errno));
        goto out;
    }
    if (idp_write_atomic(ctx, path, buf, len, false) != IDP_OK) {
        tool_print_error("drop", idp_ctx_error(ctx));
        goto out;
    }
    ok = true;
out:
    free(buf);
    idp_template_destroy(tmpl);
    idp_ctx_destroy(ctx);
    return ok;
}

void tool_drop_open(const char *path)
{
    char a0[] = "xdg-open";
    char *args[] = {a0, (char *)(uintptr_t)path, NULL};
    posix_spawn_file_actions_t fa;
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
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    if (posix_spawnp(&pid, "xdg-open", &fa, NULL, args, environ) == 0) {
        /* xdg-open returns once the editor has started; an editor that
         * keeps it waiting is left running, never killed. */
        struct timespec nap = {0, 50 * 1000 * 1000};
        for (int i = 0; i < 20 && waitpid(pid, &status, WNOHANG) == 0; i++)
            nanosleep(&nap, NULL);
    }
    posix_spawn_file_actions_destroy(&fa);
}
