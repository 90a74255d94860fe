#include "idp_io.h"

#include "idp_image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void idp_free_wiped(void *buf, size_t len)
{
    if (buf == NULL)
        return;
    idp_wipe(buf, len);
    free(buf);
}

const char *idp_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

idp_status idp_read_file(idp_ctx *ctx, const char *path, uint64_t max_bytes, uint8_t **buf,
                         size_t *len)
{
    idp_status st = IDP_OK;
    struct stat sb;
    uint8_t *data = NULL;
    size_t size, got = 0;
    int fd;

    *buf = NULL;
    *len = 0;
    if (max_bytes == 0)
        max_bytes = idp_ctx_limits(ctx)->max_file_bytes;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return idp_fail(ctx, IDP_E_NOTFOUND, "%s: no such file", path);
        return idp_fail(ctx, IDP_E_IO, "%s: cannot open: %s", path, strerror(errno));
    }
    if (fstat(fd, &sb) != 0) {
        st = idp_fail(ctx, IDP_E_IO, "%s: cannot stat: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(sb.st_mode)) {
        st = idp_fail(ctx, IDP_E_FORMAT, "%s: not a regular file", path);
        goto out;
    }
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

idp_status idp_write_atomic(idp_ctx *ctx, const char *path, const void *data, size_t len,
                            bool force)
{
    idp_status st = IDP_OK;
    char *dir = NULL, *tmp = NULL;
    size_t tmplen;
    int fd = -1, dfd;
    struct stat sb;

    if (!force && lstat(path, &sb) == 0)
        return idp_fail(ctx, IDP_E_EXISTS, "%s: already exists (use --force to replace it)", path);
    st = dir_of(ctx, path, &dir);
    if (st != IDP_OK)
        return st;
    tmplen = strlen(path) + sizeof(".idpack-tmp-XXXXXX") + 1;
    tmp = malloc(tmplen);
    if (tmp == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, "out of memory");
        goto out;
    }
    {
        /* The temporary file lives next to the target: same folder, same
         * file system, so rename() is atomic and nothing lands elsewhere. */
        const char *base = idp_basename(path);
        snprintf(tmp, tmplen, "%.*s.%s.idpack-tmp-XXXXXX", (int)(base - path), path, base);
    }
    fd = mkstemp(tmp);
    if (fd < 0) {
        st = idp_fail(ctx, IDP_E_CREATE, "%s: cannot create: %s", path, strerror(errno));
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
        /* link() refuses to replace: no window where another writer's file
         * created since the check above could be overwritten. */
        if (link(tmp, path) != 0) {
            if (errno == EEXIST)
                st = idp_fail(ctx, IDP_E_EXISTS, "%s: already exists (use --force to replace it)",
                              path);
            else
                st = idp_fail(ctx, IDP_E_CREATE, "%s: cannot create: %s", path, strerror(errno));
            goto out;
        }
        unlink(tmp);
    } else if (rename(tmp, path) != 0) {
        st = idp_fail(ctx, IDP_E_CREATE, "%s: cannot create: %s", path, strerror(errno));
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
