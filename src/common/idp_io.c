#define _GNU_SOURCE /* renameat2(), mkostemp() */

#include "idp_io.h"
#include "idp_wipe.h"

#include "idp_image.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TEMP_STALE_SECONDS 3600

const char *idp_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

bool idp_temp_name(const char *name, const char *target, long *pid)
{
    static const char *const marks[] = {".idpack-tmp-", ".idpack-old-"};
    size_t n = strlen(name), ml = strlen(marks[0]);

    *pid = 0;
    if (n < 1 + 1 + ml + 6 || name[0] != '.')
        return false;
    for (size_t k = n - 6; k < n; k++) /* the random part mkstemp/mkdtemp fill in */
        if (!((name[k] >= 'a' && name[k] <= 'z') || (name[k] >= 'A' && name[k] <= 'Z') ||
              (name[k] >= '0' && name[k] <= '9')))
            return false;
    for (size_t m = 0; m < 2; m++) {
        size_t at = n - 6 - ml, end = n - 6; /* legacy: ".<target><mark>XXXXXX" */
        long p = 0;
        if (strncmp(name + at, marks[m], ml) != 0) {
            /* ".<target><mark><pid>-XXXXXX" */
            size_t d = end - 1;
            if (name[d] != '-')
                continue;
            while (d > 0 && name[d - 1] >= '0' && name[d - 1] <= '9')
                d--;
            if (d == end - 1 || end - 1 - d > 10 || d < 1 + 1 + ml ||
                strncmp(name + d - ml, marks[m], ml) != 0)
                continue;
            for (size_t k = d; k < end - 1; k++)
                p = p * 10 + (name[k] - '0');
            if (p <= 0)
                continue;
            at = d - ml;
        }
        if (target != NULL && (strlen(target) != at - 1 || strncmp(name + 1, target, at - 1) != 0))
            return false;
        *pid = p;
        return true;
    }
    return false;
}

/* Whether a temporary made by pid at mtime is stale: its process is gone
 * (or unknown), or it is older than any write takes. */
static bool temp_stale(long pid, time_t mtime)
{
    time_t now = time(NULL);

    if (pid <= 0 || (kill((pid_t)pid, 0) != 0 && errno == ESRCH))
        return true;
    return now > mtime && now - mtime > TEMP_STALE_SECONDS;
}

/* Removes the folder name (in dfd) if it holds only plain files. */
static bool remove_flat_dir(int dfd, const char *name)
{
    int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    struct dirent *e;
    struct stat sb;
    DIR *d;

    if (fd < 0)
        return false;
    d = fdopendir(fd);
    if (d == NULL) {
        close(fd);
        return false;
    }
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (fstatat(fd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(sb.st_mode))
            (void)unlinkat(fd, e->d_name, 0);
    }
    closedir(d);
    return unlinkat(dfd, name, AT_REMOVEDIR) == 0;
}

size_t idp_remove_temporaries(const char *dir, const char *target, long pid)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), fd;
    size_t removed = 0;
    struct dirent *e;
    struct stat sb;
    DIR *d;

    if (dfd < 0)
        return 0;
    fd = dup(dfd); /* closedir() closes the one it reads */
    d = fd >= 0 ? fdopendir(fd) : NULL;
    if (d == NULL) {
        if (fd >= 0)
            close(fd);
        close(dfd);
        return 0;
    }
    while ((e = readdir(d)) != NULL) {
        long owner;
        if (!idp_temp_name(e->d_name, target, &owner) ||
            fstatat(dfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        if (pid > 0 ? owner != pid : !temp_stale(owner, sb.st_mtime))
            continue;
        if (S_ISDIR(sb.st_mode) ? remove_flat_dir(dfd, e->d_name)
                                : (S_ISREG(sb.st_mode) && unlinkat(dfd, e->d_name, 0) == 0))
            removed++;
    }
    closedir(d);
    if (removed > 0)
        (void)fsync(dfd);
    close(dfd);
    return removed;
}

idp_status idp_open_regular(idp_ctx *ctx, const char *path, int *fd_out, struct stat *sb_out)
{
    idp_status st = IDP_OK;
    struct stat sb;
    int fd;

    *fd_out = -1;
    /* O_NONBLOCK: a FIFO would block open() until a writer comes; it is
     * refused below as not a regular file instead (for a regular file the
     * flag changes nothing) */
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        int err = errno;
        if (err == ENOENT)
            return idp_fail(ctx, IDP_E_NOTFOUND, "%s: no such file", path);
        /* A socket cannot be opened at all (ENXIO); say what it is. */
        if ((err == ENXIO || err == EOPNOTSUPP) && stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
            return idp_fail(ctx, IDP_E_FORMAT, "%s: not a regular file", path);
        errno = err;
        return idp_fail(ctx, IDP_E_IO, "%s: cannot open: %s", path, strerror(errno));
    }
    if (fstat(fd, &sb) != 0)
        st = idp_fail(ctx, IDP_E_IO, "%s: cannot stat: %s", path, strerror(errno));
    else if (!S_ISREG(sb.st_mode))
        st = idp_fail(ctx, IDP_E_FORMAT, "%s: not a regular file", path);
    if (st != IDP_OK) {
        close(fd);
        return st;
    }
    *fd_out = fd;
    *sb_out = sb;
    return IDP_OK;
}

idp_status idp_read_file(idp_ctx *ctx, const char *path, uint64_t max_bytes, uint8_t **buf,
                         size_t *len)
{
    idp_status st = IDP_OK;
    struct stat sb;
    uint8_t *data = NULL;
    size_t size = 0, got = 0;
    int fd;

    *buf = NULL;
    *len = 0;
    if (max_bytes == 0)
        max_bytes = idp_ctx_limits(ctx)->max_file_bytes;
    st = idp_open_regular(ctx, path, &fd, &sb);
    if (st != IDP_OK)
        return st;
    if (sb.st_size == 0) {
        st = idp_fail(ctx, IDP_E_CORRUPT, "%s: the file is empty", path);
        goto out;
    }
    if ((uint64_t)sb.st_size > max_bytes || (uint64_t)sb.st_size > SIZE_MAX) {
        st = idp_fail(ctx, IDP_E_LIMITS, "%s: file of %lld bytes exceeds the %llu byte limit", path,
                      (long long)sb.st_size, (unsigned long long)max_bytes);
        goto out;
    }
    size = (size_t)sb.st_size;
    data = idp_large_alloc(size, false);
    if (data == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", path);
        goto out;
    }
    while (got < size) {
        ssize_t n = read(fd, data + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            st = idp_fail(ctx, IDP_E_IO, "%s: read error: %s", path, strerror(errno));
            goto out;
        }
        if (n == 0)
            break; /* the file shrank while reading */
        got += (size_t)n;
    }
    *buf = data;
    *len = got;
    data = NULL;
out:
    idp_free_wiped(data, size);
    close(fd);
    return st;
}

static idp_status dir_of(idp_ctx *ctx, const char *path, char **dir)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash == NULL ? 1 : (slash == path ? 1 : (size_t)(slash - path));

    *dir = malloc(n + 1);
    if (*dir == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
    if (slash == NULL)
        memcpy(*dir, ".", 2);
    else {
        memcpy(*dir, slash == path ? "/" : path, n);
        (*dir)[n] = '\0';
    }
    return IDP_OK;
}

/* The status for an output that cannot be made: a full disk (or quota)
 * is an I/O error like a failed write, anything else IDP_E_CREATE. */
static idp_status create_status(int err)
{
    return err == ENOSPC || err == EDQUOT || err == EIO ? IDP_E_IO : IDP_E_CREATE;
}

idp_status idp_write_atomic(idp_ctx *ctx, const char *path, const void *data, size_t len,
                            bool force)
{
    idp_status st = IDP_OK;
    char *dir = NULL, *tmp = NULL;
    size_t tmplen;
    int fd = -1, dfd;
    struct stat sb;

    if (!force && lstat(path, &sb) == 0)
        return idp_fail(ctx, IDP_E_EXISTS, "%s: already exists; replacing it must be asked for",
                        path);
    st = dir_of(ctx, path, &dir);
    if (st != IDP_OK)
        return st;
    tmplen = strlen(path) + sizeof(".idpack-tmp--XXXXXX") + 24;
    tmp = malloc(tmplen);
    if (tmp == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, "out of memory");
        goto out;
    }
    {
        /* The temporary file lives next to the target: same folder, same
         * file system, so rename() is atomic and nothing lands elsewhere;
         * it carries our process id (see idp_remove_temporaries). */
        const char *base = idp_basename(path);
        snprintf(tmp, tmplen, "%.*s.%s.idpack-tmp-%ld-XXXXXX", (int)(base - path), path, base,
                 (long)getpid());
    }
    fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        st = idp_fail(ctx, create_status(errno), "%s: cannot create: %s", path, strerror(errno));
        goto out;
    }
    if (fchmod(fd, 0600) != 0) {
        st = idp_fail(ctx, IDP_E_IO, "%s: cannot set permissions: %s", path, strerror(errno));
        goto out;
    }
    {
        const unsigned char *p = data;
        size_t done = 0;
        while (done < len) {
            ssize_t n = write(fd, p + done, len - done);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                st = idp_fail(ctx, IDP_E_IO, "%s: write error: %s", path, strerror(errno));
                goto out;
            }
            done += (size_t)n;
        }
    }
    if (fsync(fd) != 0) {
        st = idp_fail(ctx, IDP_E_IO, "%s: cannot sync: %s", path, strerror(errno));
        goto out;
    }
    if (close(fd) != 0) {
        fd = -1;
        st = idp_fail(ctx, IDP_E_IO, "%s: write error: %s", path, strerror(errno));
        goto out;
    }
    fd = -1;
    if (!force) {
        /* Refuse to replace: no window where another writer's file created
         * since the check above could be overwritten. renameat2() does it
         * in one step; where it is missing, link() then unlink(). */
        int r = -1;
#ifdef RENAME_NOREPLACE
        r = renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE);
        if (r != 0 && errno != ENOSYS && errno != EINVAL)
            r = -2;
#endif
        if (r == -1) {
            r = link(tmp, path);
            if (r == 0)
                (void)unlink(tmp);
        }
        if (r != 0) {
            if (errno == EEXIST)
                st = idp_fail(ctx, IDP_E_EXISTS,
                              "%s: already exists; replacing it must be asked for", path);
            else
                st = idp_fail(ctx, create_status(errno), "%s: cannot create: %s", path,
                              strerror(errno));
            goto out;
        }
    } else if (rename(tmp, path) != 0) {
        st = idp_fail(ctx, create_status(errno), "%s: cannot create: %s", path, strerror(errno));
        goto out;
    }
    free(tmp);
    tmp = NULL;
    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
out:
    if (fd >= 0)
        close(fd);
    if (tmp != NULL) {
        unlink(tmp);
        free(tmp);
    }
    free(dir);
    return st;
}

bool idp_write_fd(int fd, const void *buf, size_t n)
{
    const uint8_t *b = buf;

    while (n > 0) {
        ssize_t k = write(fd, b, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        b += k;
        n -= (size_t)k;
    }
    return true;
}
