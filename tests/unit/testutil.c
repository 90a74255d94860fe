#include "testutil.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jpeglib.h>

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

idp_ctx *tu_new_ctx(void)
{
    idp_ctx *ctx = NULL;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    return ctx;
}

int tu_run(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    int rc;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    rc = system(cmd);
    return rc == -1 ? -1 : (rc >> 8) & 0xff;
}

void tu_need_tool(const char *tool)
{
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
    if (system(cmd) != 0)
        fail_msg("the test needs %s, which is not installed", tool);
}

char *tu_capture(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    size_t cap = 4096, n = 0, got;
    char *out = malloc(cap);

    assert_non_null(p);
    assert_non_null(out);
    while ((got = fread(out + n, 1, cap - n - 1, p)) > 0) {
        n += got;
        if (cap - n < 2) {
            cap *= 2;
            out = realloc(out, cap);
            assert_non_null(out);
        }
    }
    out[n] = '\0';
    if (pclose(p) != 0)
        fail_msg("command failed: %s\n%s", cmd, out);
    return out;
}

void tu_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

uint8_t *tu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long n;

    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n > 0);
    rewind(f);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    if (len != NULL)
        *len = (size_t)n;
    return buf;
}

int tu_count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

int tu_ed25519_pair(const char *key, const char *pub)
{
    if (tu_run("openssl genpkey -algorithm ed25519 -out '%s' 2>/dev/null", key) != 0 ||
        tu_run("openssl pkey -in '%s' -pubout -out '%s' 2>/dev/null", key, pub) != 0)
        return -1;
    return 0;
}

uint8_t *tu_make_jpeg(uint32_t w, uint32_t h, tu_jpeg_kind kind, int quality, size_t *len)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr err;
    unsigned char *buf = NULL, *row = malloc((size_t)w * 3);
    unsigned long size = 0;
    uint32_t rng = 12345u;

    assert_non_null(row);
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &buf, &size);
    c.image_width = w;
    c.image_height = h;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, quality, TRUE);
    jpeg_start_compress(&c, TRUE);
    for (uint32_t y = 0; y < h; y++) {
        if (kind == TU_JPEG_NOISE) {
            for (uint32_t x = 0; x < w * 3; x++) {
                rng ^= rng << 13;
                rng ^= rng >> 17;
                rng ^= rng << 5;
                row[x] = (unsigned char)rng;
            }
            jpeg_write_scanlines(&c, &row, 1);
            continue;
        }
        for (uint32_t x = 0; x < w; x++) {
            unsigned n = 0;
            if (kind == TU_JPEG_GRADIENT_NOISY) {
                rng ^= rng << 13;
                rng ^= rng >> 17;
                rng ^= rng << 5;
                n = rng & 63u;
            }
            row[x * 3 + 0] = (unsigned char)((x * 255u / w + n) & 255u);
            row[x * 3 + 1] = (unsigned char)((y * 255u / h + n) & 255u);
            row[x * 3 + 2] = (unsigned char)(((x + y) & 64u ? 200u : 40u) + n / 2);
        }
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(row);
    *len = size;
    return buf;
}
