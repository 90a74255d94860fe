/* The package folder, written atomically: every file goes into a private
 * temporary folder next to the target (same parent, so the same file
 * system), is fsynced, and the folder is renamed into place in one step.
 * A reader sees no package or the whole package, never half of one. */
#define _GNU_SOURCE /* renameat2(): RENAME_NOREPLACE, RENAME_EXCHANGE (glibc >= 2.28) */

#include "idp_package.h"

#include "idp_io.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PACKAGE_MAX_FILES 1000u
#define SUMS_NAME "SHA256SUMS"

/* Package file names: [a-z0-9._-]+ (not "." or ".."), or SHA256SUMS. */
static bool name_ok(const char *s)
{
    size_t i;

    if (s == NULL || s[0] == '\0' || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
        return false;
    if (strcmp(s, SUMS_NAME) == 0)
        return true;
    for (i = 0; s[i] != '\0'; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return false;
        if (i >= 255)
            return false;
    }
    return true;
}

static idp_status check_list(idp_ctx *ctx, const char *what, const idp_package_file *files,
                             size_t n)
{
    size_t i;

    if (n == 0 || n > PACKAGE_MAX_FILES)
        return idp_fail(ctx, IDP_E_USAGE, "%s: a package holds 1 to %u files, not %zu", what,
                        PACKAGE_MAX_FILES, n);
    for (i = 0; i < n; i++) {
        if (!name_ok(files[i].name))
            return idp_fail(ctx, IDP_E_USAGE,
                            "%s: invalid file name \"%s\" (only a-z 0-9 . _ - are allowed)", what,
                            files[i].name != NULL ? files[i].name : "(null)");
        if (files[i].data == NULL && files[i].len != 0)
            return idp_fail(ctx, IDP_E_USAGE, "%s: %s: no data", what, files[i].name);
    }
    return IDP_OK;
}

static int by_name(const void *a, const void *b)
{
    const idp_package_file *const *fa = a, *const *fb = b;
    return strcmp((*fa)->name, (*fb)->name);
}

idp_status idp_sha256sums_format(idp_ctx *ctx, const idp_package_file *files, size_t n, char **text,
                                 size_t *len)
{
    idp_status st;
    const idp_package_file **order = NULL;
    char *buf = NULL;
    size_t i, total = 0, pos = 0;

    *text = NULL;
    *len = 0;
    st = check_list(ctx, SUMS_NAME, files, n);
    if (st != IDP_OK)
        return st;
    order = calloc(n, sizeof(*order));
    if (order == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, SUMS_NAME ": out of memory");
    for (i = 0; i < n; i++) {
        if (strcmp(files[i].name, SUMS_NAME) == 0) {
            st = idp_fail(ctx, IDP_E_USAGE, SUMS_NAME ": cannot list itself");
            goto out;
        }
        order[i] = &files[i];
        /* hex, two spaces, name, newline; names are at most 256 bytes and
         * there are at most PACKAGE_MAX_FILES lines: no overflow. */
        total += 2 * IDP_SHA256_LEN + 2 + strlen(files[i].name) + 1;
    }
    qsort(order, n, sizeof(*order), by_name);
    for (i = 1; i < n; i++)
        if (strcmp(order[i - 1]->name, order[i]->name) == 0) {
            st = idp_fail(ctx, IDP_E_USAGE, SUMS_NAME ": %s is listed twice", order[i]->name);
            goto out;
        }
    buf = malloc(total + 1);
    if (buf == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, SUMS_NAME ": out of memory");
        goto out;
    }
    for (i = 0; i < n; i++) {
        uint8_t digest[IDP_SHA256_LEN];
        size_t nl = strlen(order[i]->name);
        st = idp_sha256(ctx, order[i]->data, order[i]->len, digest);
        if (st != IDP_OK)
            goto out;
        idp_hex(digest, IDP_SHA256_LEN, buf + pos);
        pos += 2 * IDP_SHA256_LEN;
        buf[pos++] = ' ';
        buf[pos++] = ' ';
        memcpy(buf + pos, order[i]->name, nl);
        pos += nl;
        buf[pos++] = '\n';
    }
    buf[pos] = '\0';
    *text = buf;
    *len = pos;
    buf = NULL;
out:
    free(buf);
    free(order);
    return st;
}

/* Removes the folder name (in pfd) and the files in it. Subfolders are
 * never descended into: a package has none, and then the final rmdir
 * fails. Returns 0, or -1 with errno set. */
static int remove_flat(int pfd, const char *name)
{
    int dfd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *d;
    struct dirent *e;

    if (dfd < 0)
        return -1;
    d = fdopendir(dfd);
    if (d == NULL) {
        close(dfd);
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        (void)unlinkat(dfd, e->d_name, 0);
    }
    closedir(d);
    return unlinkat(pfd, name, AT_REMOVEDIR);
}

/* Whether the existing folder name (in pfd) may be replaced: a real folder
 * (not a link) holding SHA256SUMS and nothing but regular files. */
static idp_status check_replaceable(idp_ctx *ctx, int pfd, const char *name, const char *dir)
{
    idp_status st = IDP_OK;
    struct stat sb;
    struct dirent *e;
    DIR *d = NULL;
    size_t count = 0;
    int dfd;

    if (fstatat(pfd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(sb.st_mode))
        return idp_fail(ctx, IDP_E_EXISTS,
                        "%s: exists and is not a package folder; refusing to replace it", dir);
    dfd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0)
        return idp_fail(ctx, IDP_E_EXISTS,
                        "%s: exists and cannot be opened (%s); refusing "
                        "to replace it",
                        dir, strerror(errno));
    d = fdopendir(dfd);
    if (d == NULL) {
        close(dfd);
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", dir);
    }
    if (fstatat(dfd, SUMS_NAME, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode)) {
        st = idp_fail(ctx, IDP_E_EXISTS,
                      "%s: exists and does not look like a package (no " SUMS_NAME
                      "); refusing to replace it",
                      dir);
        goto out;
    }
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (++count > PACKAGE_MAX_FILES || fstatat(dfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(sb.st_mode)) {
            st = idp_fail(ctx, IDP_E_EXISTS,
                          "%s: exists and does not look like a package "
                          "(%s is not a plain file); refusing to replace it",
                          dir, e->d_name);
            goto out;
        }
    }
out:
    closedir(d);
    return st;
}

/* The status for an output that cannot be made: a full disk (or quota)
 * is an I/O error like a failed write, anything else IDP_E_CREATE. */
static idp_status create_status(int err)
{
    return err == ENOSPC || err == EDQUOT || err == EIO ? IDP_E_IO : IDP_E_CREATE;
}

/* Writes one file into the temporary folder: created exclusively, mode
 * 0600, never through a link, fsynced. */
static idp_status write_one(idp_ctx *ctx, int tfd, const idp_package_file *f, const char *dir)
{
    idp_status st = IDP_OK;
    size_t done = 0;
    int fd = openat(tfd, f->name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

    if (fd < 0) {
        if (errno == EEXIST)
            return idp_fail(ctx, IDP_E_USAGE, "%s: %s is given twice", dir, f->name);
        return idp_fail(ctx, create_status(errno), "%s/%s: cannot create: %s", dir, f->name,
                        strerror(errno));
    }
    if (fchmod(fd, 0600) != 0) {
        st = idp_fail(ctx, IDP_E_IO, "%s/%s: cannot set permissions: %s", dir, f->name,
                      strerror(errno));
        goto out;
    }
    while (done < f->len) {
        ssize_t w = write(fd, f->data + done, f->len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            st = idp_fail(ctx, IDP_E_IO, "%s/%s: write error: %s", dir, f->name, strerror(errno));
            goto out;
        }
        done += (size_t)w;
    }
    if (fsync(fd) != 0) {
        st = idp_fail(ctx, IDP_E_IO, "%s/%s: cannot sync: %s", dir, f->name, strerror(errno));
        goto out;
    }
out:
    if (close(fd) != 0 && st == IDP_OK)
        st = idp_fail(ctx, IDP_E_IO, "%s/%s: write error: %s", dir, f->name, strerror(errno));
    return st;
}

/* Renames from -> to (both in pfd) only if `to` does not exist. With
 * renameat2(RENAME_NOREPLACE) this is atomic; on file systems without it
 * the check and the rename are two steps, and a folder created by someone
 * else in between (only an empty one: rename() cannot replace a non-empty
 * folder) would be replaced. */
static int rename_noreplace(int pfd, const char *from, const char *to)
{
    struct stat sb;

#ifdef RENAME_NOREPLACE
    if (renameat2(pfd, from, pfd, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != ENOSYS && errno != EINVAL)
        return -1;
#endif
    if (fstatat(pfd, to, &sb, AT_SYMLINK_NOFOLLOW) == 0) {
        errno = EEXIST;
        return -1;
    }
    return renameat(pfd, from, pfd, to);
}

/* Puts the new folder tmp in place of the existing package base. On
 * success the old package is at *old_name (in pfd), to be removed. */
static idp_status swap_in(idp_ctx *ctx, int pfd, const char *parent, char *tmp_path,
                          const char *base, const char *dir, long owner, char **old_path)
{
    const char *tmp_name = idp_basename(tmp_path);
    char *old;
    size_t n;

    *old_path = NULL;
#ifdef RENAME_EXCHANGE
    /* One atomic step: the new package appears where the old one was, and
     * the old one where the new one was built; no moment without either. */
    if (renameat2(pfd, tmp_name, pfd, base, RENAME_EXCHANGE) == 0) {
        *old_path = tmp_path;
        return IDP_OK;
    }
    if (errno != ENOSYS && errno != EINVAL)
        return idp_fail(ctx, IDP_E_CREATE, "%s: cannot replace: %s", dir, strerror(errno));
#endif
    /* Two steps: the old package is moved aside (onto a fresh empty folder,
     * which rename() may replace), then the new one is moved in. */
    n = strlen(parent) + strlen(base) + sizeof("/..idpack-old--XXXXXX") + 24;
    old = malloc(n);
    if (old == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", dir);
    snprintf(old, n, "%s/.%s.idpack-old-%ld-XXXXXX", parent, base, owner);
    if (mkdtemp(old) == NULL) {
        int e = errno;
        free(old);
        return idp_fail(ctx, create_status(e), "%s: cannot replace: %s", dir, strerror(e));
    }
    if (renameat(pfd, base, pfd, idp_basename(old)) != 0) {
        int e = errno;
        (void)unlinkat(pfd, idp_basename(old), AT_REMOVEDIR);
        free(old);
        return idp_fail(ctx, IDP_E_CREATE, "%s: cannot move the old package aside: %s", dir,
                        strerror(e));
    }
    if (renameat(pfd, tmp_name, pfd, base) != 0) {
        int e = errno;
        (void)renameat(pfd, idp_basename(old), pfd, base); /* put the old one back */
        free(old);
        return idp_fail(ctx, IDP_E_CREATE, "%s: cannot replace: %s", dir, strerror(e));
    }
    *old_path = old;
    return IDP_OK;
}

/* Splits dir (trailing slashes ignored) into its parent folder and last
 * component, both newly allocated. */
static idp_status split_dir(idp_ctx *ctx, const char *dir, char **parent, char **base)
{
    size_t n = strlen(dir);
    const char *slash;
    size_t bl;

    *parent = NULL;
    *base = NULL;
    while (n > 1 && dir[n - 1] == '/')
        n--;
    slash = n > 0 ? memrchr(dir, '/', n) : NULL;
    bl = slash != NULL ? n - (size_t)(slash - dir) - 1 : n;
    if (bl == 0 || (bl == 1 && dir[n - 1] == '.') ||
        (bl == 2 && dir[n - 1] == '.' && dir[n - 2] == '.'))
        return idp_fail(ctx, IDP_E_USAGE, "%s: not a usable package folder name", dir);
    *base = strndup(dir + n - bl, bl);
    if (slash == NULL)
        *parent = strdup(".");
    else if (slash == dir)
        *parent = strdup("/");
    else
        *parent = strndup(dir, (size_t)(slash - dir));
    if (*base == NULL || *parent == NULL) {
        free(*base);
        free(*parent);
        *base = *parent = NULL;
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", dir);
    }
    return IDP_OK;
}

/* Empties the folder open as tfd (the files a failed confirmation leaves). */
static void empty_fd(int tfd)
{
    int fd = dup(tfd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    struct dirent *e;

    if (d == NULL) {
        if (fd >= 0)
            close(fd);
        return;
    }
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            (void)unlinkat(tfd, e->d_name, 0);
    closedir(d);
}

/* Whether the folder written, open as tfd, is the one the path parent/base
 * names now (never following a link at the end). */
static bool confirm_written(int pfd, int tfd, const char *parent, const char *base, bool *in_pfd)
{
    struct stat want, at, via;
    size_t need = strlen(parent) + strlen(base) + 2;
    char *path = malloc(need);
    bool same;

    *in_pfd = false;
    if (path == NULL || fstat(tfd, &want) != 0) {
        free(path);
        return false;
    }
    *in_pfd = fstatat(pfd, base, &at, AT_SYMLINK_NOFOLLOW) == 0 && at.st_dev == want.st_dev &&
              at.st_ino == want.st_ino;
    snprintf(path, need, "%s/%s", parent, base);
    same = *in_pfd && lstat(path, &via) == 0 && S_ISDIR(via.st_mode) && via.st_dev == want.st_dev &&
           via.st_ino == want.st_ino;
    free(path);
    return same;
}

idp_status idp_package_write(idp_ctx *ctx, const char *dir, const idp_package_file *files, size_t n,
                             bool force)
{
    return idp_package_write_owned(ctx, dir, files, n, force, 0);
}

idp_status idp_package_write_owned(idp_ctx *ctx, const char *dir, const idp_package_file *files,
                                   size_t n, bool force, long owner)
{
    idp_status st;
    char *parent = NULL, *base = NULL, *tmp = NULL, *old = NULL;
    bool exists, tmp_made = false, installed = false;
    int pfd = -1, tfd = -1;
    struct stat sb;
    size_t i, tl;

    st = check_list(ctx, dir, files, n);
    if (st != IDP_OK)
        return st;
    st = split_dir(ctx, dir, &parent, &base);
    if (st != IDP_OK)
        return st;
    pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (pfd < 0) {
        st = idp_fail(ctx, IDP_E_CREATE, "%s: cannot create: the folder %s %s", dir, parent,
                      errno == ENOENT || errno == ENOTDIR ? "does not exist" : strerror(errno));
        goto out;
    }
    exists = fstatat(pfd, base, &sb, AT_SYMLINK_NOFOLLOW) == 0;
    if (!exists && errno != ENOENT) {
        st = idp_fail(ctx, IDP_E_CREATE, "%s: cannot create: %s", dir, strerror(errno));
        goto out;
    }
    if (exists && !force) {
        st = idp_fail(ctx, IDP_E_EXISTS, "%s: already exists; replacing it must be asked for", dir);
        goto out;
    }
    if (exists) {
        st = check_replaceable(ctx, pfd, base, dir);
        if (st != IDP_OK)
            goto out;
    }
    /* The temporary folder carries our process id: what a killed build
     * left is told from what a running one is writing (see
     * idp_remove_temporaries). */
    tl = strlen(parent) + strlen(base) + sizeof("/..idpack-tmp--XXXXXX") + 24;
    tmp = malloc(tl);
    if (tmp == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", dir);
        goto out;
    }
    if (owner <= 0)
        owner = (long)getpid();
    snprintf(tmp, tl, "%s/.%s.idpack-tmp-%ld-XXXXXX", parent, base, owner);
    if (mkdtemp(tmp) == NULL) {
        st = idp_fail(ctx, create_status(errno), "%s: cannot create: %s", dir, strerror(errno));
        goto out;
    }
    tmp_made = true;
    tfd = openat(pfd, idp_basename(tmp), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (tfd < 0 || fchmod(tfd, 0700) != 0) {
        st = idp_fail(ctx, IDP_E_CREATE, "%s: cannot create: %s", dir, strerror(errno));
        goto out;
    }
    for (i = 0; i < n; i++) {
        st = write_one(ctx, tfd, &files[i], dir);
        if (st != IDP_OK)
            goto out;
    }
    if (fsync(tfd) != 0) {
        st = idp_fail(ctx, IDP_E_IO, "%s: cannot sync: %s", dir, strerror(errno));
        goto out;
    }
    if (!exists) {
        if (rename_noreplace(pfd, idp_basename(tmp), base) != 0) {
            if (errno == EEXIST || errno == ENOTEMPTY)
                st = idp_fail(ctx, IDP_E_EXISTS,
                              "%s: already exists; replacing it must be asked for", dir);
            else
                st = idp_fail(ctx, IDP_E_CREATE, "%s: cannot create: %s", dir, strerror(errno));
            goto out;
        }
        installed = true;
    } else {
        st = swap_in(ctx, pfd, parent, tmp, base, dir, owner, &old);
        if (st != IDP_OK)
            goto out;
        installed = true;
        if (old == tmp)
            tmp = NULL; /* now names the old package; freed through old */
    }
    (void)fsync(pfd);
    if (old != NULL) {
        /* Check again before deleting: the folder that was swapped out must
         * still be the package that was checked above. */
        const char *old_name = idp_basename(old);
        idp_status cs = check_replaceable(ctx, pfd, old_name, old);
        if (cs != IDP_OK || remove_flat(pfd, old_name) != 0) {
            st = idp_fail(ctx, IDP_E_IO,
                          "%s: the new package is in place, but the old one "
                          "could not be removed: it is in %s",
                          dir, old);
            goto out;
        }
        (void)fsync(pfd);
    }
    {
        /* Confirmed through the descriptors written with: a parent folder
         * moved away and replaced (by a link, say) during the write means
         * the package is not where dir says. It is taken back, and the
         * build is not reported as written. */
        bool in_pfd;
        if (!confirm_written(pfd, tfd, parent, base, &in_pfd)) {
            empty_fd(tfd);
            if (in_pfd)
                (void)unlinkat(pfd, base, AT_REMOVEDIR);
            (void)fsync(pfd);
            st = idp_fail(ctx, IDP_E_CREATE,
                          "%s: the folder changed while the package was written (moved, or "
                          "replaced by a link): the package is not there and was removed; check "
                          "the folder and build again",
                          dir);
            goto out;
        }
    }
out:
    if (tfd >= 0)
        close(tfd);
    if (tmp_made && !installed && tmp != NULL)
        (void)remove_flat(pfd, idp_basename(tmp));
    if (pfd >= 0)
        close(pfd);
    free(old);
    free(tmp);
    free(parent);
    free(base);
    return st;
}
