/* idpack window's private folder: the uploaded photos and their
 * thumbnails, mode 0700, named as a temporary of this process (so the
 * cleanup guardian removes it after a kill -9), wiped when the server
 * stops. A name the seller's browser sends is only shown, never used in
 * a path: files are front, back, upload-N and thumb-*.jpg. */
#include "window.h"
#include "idp_util.h"

#include "idp_check.h"
#include "idp_normalize.h"
#include "idp_policy.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const side_name[2] = {"front", "back"};

bool win_store_open(win_server *s)
{
    const char *base = getenv("XDG_RUNTIME_DIR");
    struct stat sb;
    int n;

    if (base == NULL || base[0] != '/' || stat(base, &sb) != 0 || !S_ISDIR(sb.st_mode) ||
        access(base, W_OK) != 0)
        base = getenv("TMPDIR");
    if (base == NULL || base[0] != '/' || stat(base, &sb) != 0 || !S_ISDIR(sb.st_mode) ||
        access(base, W_OK) != 0)
        base = "/tmp";
    snprintf(s->runtime_dir, sizeof(s->runtime_dir), "%s", base);
    n = snprintf(s->dir, sizeof(s->dir), "%s/.window.idpack-tmp-%ld-XXXXXX", base, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof(s->dir) || mkdtemp(s->dir) == NULL) {
        fprintf(stderr, "idpack window: cannot make a private folder in %s: %s\n", base,
                strerror(errno));
        s->dir[0] = '\0';
        return false;
    }
    (void)chmod(s->dir, 0700); /* mkdtemp makes it 0700 already */
    return true;
}

void win_store_wipe(win_server *s)
{
    DIR *d;
    struct dirent *e;
    int fd;

    if (s->dir[0] == '\0')
        return;
    fd = open(s->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0 && (d = fdopendir(fd)) != NULL) {
        while ((e = readdir(d)) != NULL)
            if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
                (void)unlinkat(fd, e->d_name, 0);
        closedir(d);
    } else if (fd >= 0) {
        close(fd);
    }
    if (rmdir(s->dir) != 0)
        fprintf(stderr, "idpack window: cannot remove %s: %s\n", s->dir, strerror(errno));
    s->dir[0] = '\0';
}

int win_store_new_upload(win_server *s, char *path, size_t size)
{
    int n = snprintf(path, size, "%s/upload-%u", s->dir, ++s->seq);
    if (n < 0 || (size_t)n >= size) {
        path[0] = '\0';
        return -1;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        path[0] = '\0';
    return fd;
}

void win_store_thumb_path(const win_server *s, int side, char *path, size_t size)
{
    snprintf(path, size, "%s/thumb-%s-%u.jpg", s->dir, side_name[side], s->photo[side].version);
}

/* Keeps at most WIN_NAME_MAX bytes of name, whole UTF-8 characters, no
 * control characters, bidirectional controls or path: the name is only
 * shown. */
static void keep_name(char *dst, size_t size, const char *name)
{
    const char *base = strrchr(name, '/');
    size_t o = 0;

    if (base != NULL && base[1] != '\0')
        name = base + 1;
    for (size_t i = 0; name[i] != '\0' && o + 5 < size && o < WIN_NAME_MAX; i++) {
        const unsigned char *u = (const unsigned char *)name + i;
        uint32_t cp;
        size_t n = idp_utf8_decode_str(name + i, &cp);
        /* bidirectional controls would turn the text around them on the page */
        if (n > 0 && idp_utf8_bidi_control(cp)) {
            dst[o++] = '_';
            i += n - 1;
            continue;
        }
        dst[o++] = (char)(u[0] < 0x20 || u[0] == 0x7f ? '_' : u[0]);
    }
    /* do not end inside a UTF-8 character */
    o = idp_utf8_cut(dst, o);
    dst[o] = '\0';
}

static void remove_thumb(win_server *s, int side)
{
    char path[PATH_MAX + 64];
    if (!s->photo[side].has_thumb)
        return;
    win_store_thumb_path(s, side, path, sizeof(path));
    unlink(path);
    s->photo[side].has_thumb = false;
}

/* Checks the photo and draws its thumbnail (upright, no metadata, long
 * side 900 px: what a browser shows whatever the format). */
static void check_photo(win_server *s, int side)
{
    win_photo *p = &s->photo[side];
    idp_policy *policy = NULL;
    idp_ctx *ctx = NULL;
    idp_normalize_opts *no = NULL;
    idp_normalize_result *nr = NULL;
    char thumb[PATH_MAX + 64];

    p->error[0] = '\0';
    idp_check_report_clear(p->report); /* verdict "error" until checked */
    if (idp_ctx_create(&ctx) != IDP_OK) {
        snprintf(p->error, sizeof(p->error), "out of memory");
        return;
    }
    if (idp_policy_create(ctx, &policy) != IDP_OK ||
        idp_check_file(ctx, p->path, policy, p->report) != IDP_OK) {
        /* the report says "error" (idp_check_file) */
        snprintf(p->error, sizeof(p->error), "%s", idp_ctx_error(ctx));
        goto out;
    }
    if (idp_normalize_opts_create(ctx, &no) != IDP_OK ||
        idp_normalize_result_create(ctx, &nr) != IDP_OK)
        goto out; /* no thumbnail */
    idp_normalize_opts_set_max_side(no, 900);
    idp_normalize_opts_set_quality(no, 82);
    idp_normalize_opts_set_crop(no, false);
    idp_normalize_opts_set_force(no, true);
    win_store_thumb_path(s, side, thumb, sizeof(thumb));
    if (idp_normalize_file(ctx, p->path, thumb, no, nr) == IDP_OK) {
        p->has_thumb = true;
        idp_normalize_result_size(nr, &p->thumb_w, &p->thumb_h);
    }
out:
    idp_normalize_result_destroy(nr);
    idp_normalize_opts_destroy(no);
    idp_policy_destroy(policy);
    idp_ctx_destroy(ctx);
}

void win_store_photo(win_server *s, int side, const char *tmp, const char *name)
{
    win_photo *p = &s->photo[side];
    char path[PATH_MAX + 16];

    remove_thumb(s, side);
    snprintf(path, sizeof(path), "%s/%s", s->dir, side_name[side]);
    if (rename(tmp, path) != 0) {
        unlink(tmp);
        win_store_remove(s, side);
        return;
    }
    memset(p, 0, offsetof(win_photo, version));
    p->version++;
    p->present = true;
    keep_name(p->name, sizeof(p->name), name);
    snprintf(p->path, sizeof(p->path), "%s", path);
    s->built = false;
    check_photo(s, side);
}

void win_store_cli_photo(win_server *s, int side, const char *path)
{
    win_photo *p = &s->photo[side];

    remove_thumb(s, side);
    memset(p, 0, offsetof(win_photo, version));
    p->version++;
    p->present = true;
    keep_name(p->name, sizeof(p->name), path);
    snprintf(p->path, sizeof(p->path), "%s", path);
    check_photo(s, side);
}

void win_store_remove(win_server *s, int side)
{
    win_photo *p = &s->photo[side];
    char path[PATH_MAX + 16];

    remove_thumb(s, side);
    if (p->present && strncmp(p->path, s->dir, strlen(s->dir)) == 0) {
        snprintf(path, sizeof(path), "%s/%s", s->dir, side_name[side]);
        unlink(path);
    }
    memset(p, 0, offsetof(win_photo, version));
    p->version++;
    s->built = false;
}
