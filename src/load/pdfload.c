/* pdfload: scanned documents in a PDF.
 *
 * poppler (through poppler-glib and cairo) runs in its own program,
 * idpack-pdf-render (pdfrender.c), started for each read with
 * posix_spawn; idp_pdf_proto.h says why and what the two say to each
 * other. Here: the PDF is recognised, checked for truncation, handed over
 * with the caller's limits, and the part's size or pixels read back
 * within a wall-clock limit; what that program finds wrong comes back as
 * the caller's error.
 *
 * Where the program is: $IDPACK_PDF_RENDER when set (tests, unusual
 * layouts; ignored in set-user-ID programs); else beside the library or
 * the program that links it (a build tree), or where the install puts it
 * relative to that library or program (the install is relocatable); else
 * the install path this library was built for. */
#define _GNU_SOURCE /* pipe2, memfd_create, dladdr, secure_getenv */
#include "idp_codecs.h"
#include "idp_io.h"
#include "idp_pdf_proto.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Where the install puts the program: an absolute path, and the same
 * relative to the library's folder and to the tool's (CMakeLists.txt). */
#ifndef IDP_PDF_RENDER_PATH
#define IDP_PDF_RENDER_PATH "/usr/local/libexec/idpack/" IDP_PDF_RENDER_NAME
#endif
#ifndef IDP_PDF_RENDER_FROM_LIB
#define IDP_PDF_RENDER_FROM_LIB "../libexec/idpack"
#endif
#ifndef IDP_PDF_RENDER_FROM_BIN
#define IDP_PDF_RENDER_FROM_BIN "../libexec/idpack"
#endif

bool idp_pdf_sniff(const uint8_t *buf, size_t len)
{
    size_t i, n = len < 1024 ? len : 1024;

    /* The header may follow up to 1 KB of junk (PDF 1.7, annex H). */
    for (i = 0; buf != NULL && i + 5 <= n; i++)
        if (memcmp(buf + i, "%PDF-", 5) == 0)
            return true;
    return false;
}

/* A complete PDF ends with %%EOF (give or take a line end and some
 * trailing junk): poppler reconstructs a cut file and draws what is left
 * of it, so truncation must be noticed here. */
static bool ends_with_eof(const uint8_t *buf, size_t len)
{
    size_t from = len > 1024 ? len - 1024 : 0, i;

    for (i = len >= 5 ? len - 5 + 1 : 0; i-- > from;)
        if (memcmp(buf + i, "%%EOF", 5) == 0)
            return true;
    return false;
}

/* Reads n bytes, waiting until the deadline (CLOCK_MONOTONIC ms). */
static bool read_all(int fd, void *p, size_t n, int64_t deadline)
{
    uint8_t *b = p;

    while (n > 0) {
        struct pollfd pfd = {fd, POLLIN, 0};
        struct timespec now;
        int64_t left;
        ssize_t k;

        clock_gettime(CLOCK_MONOTONIC, &now);
        left = deadline - ((int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000);
        if (left <= 0)
            return false;
        k = poll(&pfd, 1, (int)left);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        k = read(fd, b, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        b += k;
        n -= (size_t)k;
    }
    return true;
}

static bool runnable(char *out, size_t n, const char *dir, const char *sub)
{
    int k = sub != NULL ? snprintf(out, n, "%s/%s/%s", dir, sub, IDP_PDF_RENDER_NAME)
                        : snprintf(out, n, "%s/%s", dir, IDP_PDF_RENDER_NAME);
    return k > 0 && (size_t)k < n && access(out, X_OK) == 0;
}

/* The rendering program's path into out (PATH_MAX bytes); false if it is
 * nowhere (out then holds the install path, for the message). */
static bool find_renderer(char *out)
{
    const char *env = secure_getenv("IDPACK_PDF_RENDER");
    char self[PATH_MAX], dir[PATH_MAX];
    Dl_info dl;
    char *slash;

    if (env != NULL && env[0] != '\0') {
        snprintf(out, PATH_MAX, "%s", env);
        return access(out, X_OK) == 0;
    }
    /* The object this code is in: libidpack.so, or the program that
     * linked the static library (dladdr names a program by how it was
     * started, so it is asked of the kernel instead). */
    if (dladdr((void *)(uintptr_t)idp_pdf_sniff, &dl) != 0 && dl.dli_fname != NULL &&
        strchr(dl.dli_fname, '/') != NULL && realpath(dl.dli_fname, self) != NULL) {
        /* realpath resolved: self is absolute */
    } else {
        ssize_t k = readlink("/proc/self/exe", self, sizeof(self) - 1);
        self[k > 0 ? k : 0] = '\0';
    }
    snprintf(dir, sizeof(dir), "%s", self);
    slash = strrchr(dir, '/');
    if (slash != NULL && slash != dir) {
        *slash = '\0';
        if (runnable(out, PATH_MAX, dir, NULL) ||
            runnable(out, PATH_MAX, dir, IDP_PDF_RENDER_FROM_LIB) ||
            runnable(out, PATH_MAX, dir, IDP_PDF_RENDER_FROM_BIN))
            return true;
    }
    snprintf(out, PATH_MAX, "%s", IDP_PDF_RENDER_PATH);
    return access(out, X_OK) == 0;
}

/* fd moved to 10 or above (close-on-exec), so that the child's dup2 onto
 * 0 and 3 can never overwrite the other one. */
static int high_fd(int fd)
{
    int h;

    if (fd < 0 || fd >= 10)
        return fd;
    h = fcntl(fd, F_DUPFD_CLOEXEC, 10);
    close(fd);
    return h;
}

/* The request into a memory file the program maps: -1 on failure. */
static int request_file(const char *name, const uint8_t *buf, size_t len, uint32_t page,
                        bool header_only, const idp_limits *lim)
{
    idp_pdf_request q;
    size_t name_len = strlen(name) < 4096 ? strlen(name) : 4096;
    int fd = memfd_create("idpack-pdf", MFD_CLOEXEC);

    if (fd < 0)
        return -1;
    memset(&q, 0, sizeof(q));
    q.magic = IDP_PDF_MAGIC;
    q.version = IDP_PDF_PROTO_VERSION;
    q.page = page;
    q.header_only = header_only ? 1 : 0;
    q.max_pixels = lim->max_pixels;
    q.max_side = lim->max_side;
    q.name_len = (uint32_t)name_len;
    q.pdf_len = len;
    if (!idp_write_fd(fd, &q, sizeof(q)) || !idp_write_fd(fd, name, name_len) ||
        !idp_write_fd(fd, buf, len)) {
        close(fd);
        return -1;
    }
    return high_fd(fd);
}

/* Starts the program with the request on fd 0 and the reply pipe on 3. */
static int spawn(const char *path, int req, int reply, pid_t *pid)
{
    posix_spawn_file_actions_t fa;
    char *argv[2];
    int rc;

    argv[0] = (char *)(uintptr_t)IDP_PDF_RENDER_NAME;
    argv[1] = NULL;
    rc = posix_spawn_file_actions_init(&fa);
    if (rc != 0)
        return rc;
    rc = posix_spawn_file_actions_adddup2(&fa, req, 0);
    if (rc == 0)
        rc = posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    if (rc == 0)
        rc = posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(&fa, reply, IDP_PDF_REPLY_FD);
    if (rc == 0)
        rc = posix_spawn(pid, path, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    return rc;
}

idp_status idp_pdf_decode(idp_ctx *ctx, const char *name, const uint8_t *buf, size_t len,
                          uint32_t page, bool header_only, idp_image **out, idp_image_info *info,
                          idp_raw_meta *meta)
{
    struct timespec now;
    int64_t deadline;
    int fds[2] = {-1, -1}, req = -1, wstatus = 0, rc;
    char path[PATH_MAX];
    pid_t pid = -1;
    idp_pdf_reply reply;
    idp_image *img = NULL;
    idp_status st = IDP_OK;

    if (out != NULL)
        *out = NULL;
    if (!header_only && out == NULL)
        return idp_fail(ctx, IDP_E_USAGE, "%s: no output image", name);
    meta->orientation = 1; /* the pixels are as the page shows them */
    if (!ends_with_eof(buf, len))
        return idp_fail(ctx, IDP_E_CORRUPT,
                        "%s: corrupt PDF: the file is truncated (no %%%%EOF at its end)", name);
    if (!find_renderer(path))
        return idp_fail(ctx, IDP_E_INTERNAL,
                        "%s: cannot read PDFs: the program %s is missing (not at %s): reinstall "
                        "idpack",
                        name, IDP_PDF_RENDER_NAME, path);
    req = request_file(name, buf, len, page, header_only, idp_ctx_limits(ctx));
    if (req < 0 || pipe2(fds, O_CLOEXEC) != 0 || (fds[1] = high_fd(fds[1])) < 0) {
        st = idp_fail(ctx, errno == ENOMEM ? IDP_E_NOMEM : IDP_E_IO,
                      "%s: cannot start reading the PDF: %s", name, strerror(errno));
        goto out;
    }
    rc = spawn(path, req, fds[1], &pid);
    close(fds[1]);
    fds[1] = -1;
    close(req);
    req = -1;
    if (rc != 0) {
        pid = -1;
        st = idp_fail(ctx, rc == ENOMEM || rc == EAGAIN ? IDP_E_NOMEM : IDP_E_INTERNAL,
                      "%s: cannot start the PDF reader %s: %s", name, path, strerror(rc));
        goto out;
    }
    clock_gettime(CLOCK_MONOTONIC, &now);
    deadline = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000 + IDP_PDF_MAX_WAIT_MS;
    if (!read_all(fds[0], &reply, sizeof(reply), deadline)) {
        st = idp_fail(ctx, IDP_E_LIMITS,
                      "%s: the PDF could not be rendered within the limits (%d s, %d MB): it is "
                      "damaged or too complex; export the scan again as JPEG or PDF",
                      name, IDP_PDF_MAX_SECONDS, IDP_PDF_MAX_MB);
        goto out;
    }
    if (reply.magic != IDP_PDF_MAGIC || reply.version != IDP_PDF_PROTO_VERSION) {
        st = idp_fail(ctx, IDP_E_INTERNAL,
                      "%s: the PDF reader %s is from another version of idpack: reinstall idpack",
                      name, path);
        goto out;
    }
    reply.error[sizeof(reply.error) - 1] = '\0';
    info->pages = reply.pages > 0 ? reply.pages : 1;
    info->page = page;
    if (reply.status != IDP_OK) {
        st = idp_fail(ctx, (idp_status)reply.status, "%s", reply.error);
        goto out;
    }
    info->stored_width = reply.width;
    info->stored_height = reply.height;
    info->bit_depth = 8;
    info->colour = IDP_SRC_RGB;
    st = idp_check_dimensions(ctx, name, reply.width, reply.height);
    if (st == IDP_OK) /* the RGB output; the rendering's own memory is the program's */
        st = idp_check_budget(ctx, name, "PDF page", reply.width, reply.height, 3.0);
    if (st != IDP_OK || header_only)
        goto out;
    st = idp_image_create(ctx, reply.width, reply.height, 3, &img);
    if (st != IDP_OK)
        goto out;
    if (!read_all(fds[0], img->data, idp_image_stride(img) * img->height, deadline)) {
        st = idp_fail(ctx, IDP_E_LIMITS,
                      "%s: the PDF could not be rendered within the limits (%d s, %d MB): it is "
                      "damaged or too complex; export the scan again as JPEG or PDF",
                      name, IDP_PDF_MAX_SECONDS, IDP_PDF_MAX_MB);
        goto out;
    }
    *out = img;
    img = NULL;
out:
    if (fds[0] >= 0)
        close(fds[0]);
    if (fds[1] >= 0)
        close(fds[1]);
    if (req >= 0)
        close(req);
    if (pid > 0) {
        if (kill(pid, SIGKILL) != 0 && errno != ESRCH) {
            /* nothing else to do: waitpid below reaps it either way */
        }
        while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
            ;
    }
    idp_image_destroy(img);
    if (st != IDP_OK)
        idp_raw_meta_free(meta);
    return st;
}
