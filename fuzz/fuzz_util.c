/* Helpers shared by the fuzz targets (fuzz_util.h). Not library code: it
 * may print and abort. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "fuzz_util.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_dir[4096];

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    if (remove(path) != 0)
        fprintf(stderr, "fuzz: cannot remove %s: %s\n", path, strerror(errno));
    return 0;
}

static void remove_tmpdir(void)
{
    if (fuzz_dir[0] != '\0')
        (void)nftw(fuzz_dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *fuzz_tmpdir(void)
{
    const char *base = getenv("TMPDIR");

    if (fuzz_dir[0] != '\0')
        return fuzz_dir;
    if (base == NULL || base[0] == '\0')
        base = "/tmp";
    snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/idpack-fuzz-XXXXXX", base);
    if (mkdtemp(fuzz_dir) == NULL) {
        fprintf(stderr, "fuzz: cannot make a temporary folder in %s: %s\n", base, strerror(errno));
        abort();
    }
    atexit(remove_tmpdir);
    return fuzz_dir;
}

char *fuzz_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);

    if (p == NULL)
        abort();
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

void fuzz_write_file(const char *path, const void *data, size_t len)
{
    const unsigned char *p = data;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);

    if (fd < 0) {
        fprintf(stderr, "fuzz: cannot write %s: %s\n", path, strerror(errno));
        abort();
    }
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            fprintf(stderr, "fuzz: cannot write %s: %s\n", path, strerror(errno));
            abort();
        }
        p += n;
        len -= (size_t)n;
    }
    if (close(fd) != 0)
        abort();
}

idp_ctx *fuzz_ctx(void)
{
    idp_ctx *ctx = NULL;
    idp_limits lim;

    if (idp_ctx_create(&ctx) != IDP_OK)
        abort();
    idp_limits_default(&lim);
    lim.max_file_bytes = 4u * 1024u * 1024u;
    lim.max_pixels = 1024u * 1024u;
    lim.max_side = 4096;
    idp_ctx_set_limits(ctx, &lim);
    return ctx;
}

/* Aborts with a message: the fuzzer reports it as a crash. */
static void fuzz_bug(const char *what, uint32_t a, uint32_t b)
{
    fprintf(stderr, "fuzz: %s (%u vs %u)\n", what, a, b);
    abort();
}

void fuzz_load_image(const uint8_t *data, size_t size)
{
    idp_ctx *ctx = fuzz_ctx();
    idp_image_info probe, info;
    idp_load_opts opts = {0};
    idp_image *img = NULL;
    idp_status pst, st;

    pst = idp_probe_memory(ctx, "fuzz", data, size, &probe);
    switch (size % 3) {
    case 1:
        opts.min_side = 64; /* JPEG DCT scaling */
        break;
    case 2:
        opts.no_orient = true;
        break;
    default:
        break;
    }
    st = idp_load_memory(ctx, "fuzz", data, size, &opts, &img, &info);
    if (st == IDP_OK) {
        uint32_t w = opts.no_orient ? info.stored_width : info.width;
        uint32_t h = opts.no_orient ? info.stored_height : info.height;
        if (img == NULL || img->channels != 3 || img->data == NULL)
            fuzz_bug("load succeeded without an RGB image", 0, 0);
        if (info.scale_num == info.scale_denom) {
            if (img->width != w)
                fuzz_bug("width differs from the header", img->width, w);
            if (img->height != h)
                fuzz_bug("height differs from the header", img->height, h);
        } else if (img->width > w || img->height > h) {
            fuzz_bug("a reduced decode is larger than the header", img->width, w);
        }
        if (pst != IDP_OK)
            fuzz_bug("probe failed where the load succeeded", (uint32_t)pst, 0);
        if (probe.stored_width != info.stored_width || probe.stored_height != info.stored_height)
            fuzz_bug("probe and load disagree on the size", probe.stored_width, info.stored_width);
    } else if (img != NULL) {
        fuzz_bug("load failed but returned an image", (uint32_t)st, 0);
    } else if (idp_ctx_error(ctx)[0] == '\0') {
        fuzz_bug("load failed without an error message", (uint32_t)st, 0);
    }
    /* A file of several parts (TIFF, PDF): the second one too, and none
     * past the last. */
    if (st == IDP_OK && info.pages > 1) {
        idp_image_destroy(img);
        img = NULL;
        opts.page = 1;
        st = idp_load_memory(ctx, "fuzz", data, size, &opts, &img, &info);
        if (st == IDP_OK && (img == NULL || img->channels != 3))
            fuzz_bug("a second part loaded without an RGB image", (uint32_t)st, 0);
        idp_image_destroy(img);
        img = NULL;
        opts.page = info.pages > 1 ? info.pages : 2;
        if (idp_load_memory(ctx, "fuzz", data, size, &opts, &img, &info) == IDP_OK)
            fuzz_bug("a part past the last one loaded", opts.page, info.pages);
    }
    idp_image_destroy(img);
    idp_ctx_destroy(ctx);
}
