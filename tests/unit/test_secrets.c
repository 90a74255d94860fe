/* Private key material does not outlive a signature: after
 * idp_sign_ed25519 the process memory (every readable and writable
 * mapping, read through /proc/self/mem) holds neither the raw Ed25519
 * private key nor the key-specific part of its PEM text. The key is made
 * by `openssl genpkey` in another process; this program only ever holds it
 * XOR-masked, so its own copies cannot be found. A first scan of a plain
 * copy proves the scanner finds what it looks for. Like the tool, the
 * program first makes OpenSSL wipe what it frees: OpenSSL 3.0's PKCS#8
 * decoding frees a copy of the key unwiped (without that call the second
 * test fails). The scan covers the stack too: OpenSSL's frames leave the
 * key there, which idp_sign_ed25519 wipes before it returns. */
#define _GNU_SOURCE /* MAP_ANONYMOUS, memmem */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_ctx.h"
#include "idp_image.h"
#include "idp_package.h"
#include "idp_sign.h"
#include "testutil.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MASK 0x5a
#define CHUNK (1u << 20)

static uint8_t raw_masked[32]; /* the private key, XOR MASK */
static uint8_t pem_masked[40]; /* 40 key-specific base64 characters of the PEM, XOR MASK */
static char key_path[4200];

/* Reads at most size bytes of path with read(2) (no stdio buffer keeps a
 * copy) and masks them at once. Returns the count. */
static size_t read_masked(const char *path, off_t at, uint8_t *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n;
    assert_true(fd >= 0);
    n = pread(fd, buf, size, at);
    close(fd);
    assert_true(n > 0);
    for (ssize_t i = 0; i < n; i++)
        buf[i] ^= MASK;
    return (size_t)n;
}

static int setup(void **state)
{
    const char *dir = tu_tmpdir();
    char der[4200], cmd[3 * 4200 + 200];
    uint8_t pem[200];
    size_t n, line;

    (void)state;
    snprintf(key_path, sizeof(key_path), "%s/key.pem", dir);
    snprintf(der, sizeof(der), "%s/key.der", dir);
    snprintf(cmd, sizeof(cmd),
             "openssl genpkey -algorithm ed25519 -out '%s' && openssl pkey -in '%s' -outform DER "
             "-out '%s'",
             key_path, key_path, der);
    if (system(cmd) != 0)
        return -1;
    /* PKCS#8 DER of an Ed25519 key: 16 bytes of header, then the key. */
    if (read_masked(der, 16, raw_masked, sizeof(raw_masked)) != sizeof(raw_masked))
        return -1;
    unlink(der);
    /* "-----BEGIN PRIVATE KEY-----\n" then 64 base64 characters, the first
     * 22 the same for every Ed25519 key: take 40 after them. */
    n = read_masked(key_path, 0, pem, sizeof(pem));
    line = strlen("-----BEGIN PRIVATE KEY-----\n");
    if (n < line + 22 + sizeof(pem_masked))
        return -1;
    memcpy(pem_masked, pem + line + 22, sizeof(pem_masked));
    idp_wipe(pem, sizeof(pem));
    return 0;
}

/* Counts the places in this process's writable memory that hold the
 * unmasked needle (given masked). The buffer it reads into is left out. */
static size_t scan(const uint8_t *masked, size_t n)
{
    FILE *maps = fopen("/proc/self/maps", "r");
    int mem = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
    uint8_t *chunk =
        mmap(NULL, CHUNK + n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uintptr_t skip_lo = (uintptr_t)chunk, skip_hi = skip_lo + CHUNK + n;
    char line[512];
    size_t hits = 0;

    assert_non_null(maps);
    assert_true(mem >= 0);
    assert_true(chunk != MAP_FAILED);
    while (fgets(line, sizeof(line), maps) != NULL) {
        uintptr_t lo, hi;
        char perms[8];
        if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %7s", &lo, &hi, perms) != 3 ||
            perms[0] != 'r' || perms[1] != 'w' || hi - lo > (1u << 30))
            continue;
        for (uintptr_t at = lo; at < hi; at += CHUNK) {
            size_t len = hi - at < CHUNK + n - 1 ? hi - at : CHUNK + n - 1;
            ssize_t got;
            if (at + len > skip_lo && at < skip_hi)
                continue; /* our own buffer */
            got = pread(mem, chunk, len, (off_t)at);
            if (got <= 0)
                break;
            for (ssize_t i = 0; i < got; i++)
                chunk[i] ^= MASK; /* so the needle is compared masked */
            for (const uint8_t *p = chunk; (size_t)got >= n && p <= chunk + got - n; p++) {
                p = memchr(p, masked[0], (size_t)(chunk + got - n - p) + 1);
                if (p == NULL)
                    break;
                if (memcmp(p, masked, n) == 0) {
                    hits++;
                    if (getenv("IDP_SECRETS_WHERE") != NULL) /* to find a leak */
                        fprintf(stderr, "found at %#" PRIxPTR " in %s", at + (uintptr_t)(p - chunk),
                                line);
                }
            }
        }
    }
    idp_wipe(chunk, CHUNK + n);
    munmap(chunk, CHUNK + n);
    close(mem);
    fclose(maps);
    return hits;
}

/* The scanner finds a plain copy on the heap, and no longer once wiped. */
static void test_scanner_finds_a_copy(void **state)
{
    uint8_t *copy = malloc(sizeof(raw_masked));
    (void)state;
    assert_non_null(copy);
    assert_int_equal(scan(raw_masked, sizeof(raw_masked)), 0);
    for (size_t i = 0; i < sizeof(raw_masked); i++)
        copy[i] = raw_masked[i] ^ MASK;
    assert_true(scan(raw_masked, sizeof(raw_masked)) >= 1);
    idp_wipe(copy, sizeof(raw_masked));
    free(copy);
    assert_int_equal(scan(raw_masked, sizeof(raw_masked)), 0);
}

/* After signing (which reads, decodes and uses the key), no trace. */
static void test_sign_leaves_no_key(void **state)
{
    static const uint8_t msg[] = "{\"format\": \"idpack-manifest/1\"}\n";
    uint8_t sig[IDP_SIG_LEN];
    idp_ctx *ctx = NULL;

    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    for (int i = 0; i < 3; i++)
        assert_int_equal(idp_sign_ed25519(ctx, key_path, msg, sizeof(msg) - 1, sig), IDP_OK);
    idp_ctx_destroy(ctx);
    assert_int_equal(scan(raw_masked, sizeof(raw_masked)), 0);
    assert_int_equal(scan(pem_masked, sizeof(pem_masked)), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scanner_finds_a_copy),
        cmocka_unit_test(test_sign_leaves_no_key),
    };
    /* as the tool does first thing: without it OpenSSL 3.0 leaves a copy */
    if (!idp_sign_wipe_openssl_frees()) {
        fputs("OpenSSL was used before main\n", stderr);
        return 1;
    }
    return cmocka_run_group_tests(tests, setup, NULL);
}
