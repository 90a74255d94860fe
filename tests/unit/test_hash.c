/* SHA-256 (known vectors, files against coreutils sha256sum) and the
 * package reference (Crockford base32 of the first 40 bits). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_ctx.h"
#include "idp_hash.h"
#include "idp_reference.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* FIPS 180-2 test vectors. */
static void test_sha256_vectors(void **state)
{
    idp_ctx *ctx;
    uint8_t d[IDP_SHA256_LEN];
    char hex[IDP_SHA256_HEX];
    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(idp_sha256(ctx, "abc", 3, d), IDP_OK);
    idp_hex(d, sizeof(d), hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_int_equal(idp_sha256(ctx, "", 0, d), IDP_OK);
    idp_hex(d, sizeof(d), hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_int_equal(idp_sha256(ctx, NULL, 0, d), IDP_OK);
    idp_hex(d, sizeof(d), hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    {
        const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        assert_int_equal(idp_sha256(ctx, m, strlen(m), d), IDP_OK);
        idp_hex(d, sizeof(d), hex);
        assert_string_equal(hex,
                            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    }
    idp_ctx_destroy(ctx);
}

static void test_hex(void **state)
{
    const uint8_t b[] = {0x00, 0x0f, 0xa5, 0xff};
    char out[9];
    (void)state;
    idp_hex(b, sizeof(b), out);
    assert_string_equal(out, "000fa5ff");
    idp_hex(b, 0, out);
    assert_string_equal(out, "");
}

/* Writes n pseudo-random bytes to path. */
static void write_bytes(const char *path, size_t n, uint32_t seed)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        assert_int_not_equal(fputc((int)(seed >> 24), f), EOF);
    }
    assert_int_equal(fclose(f), 0);
}

/* The hex digest coreutils gives for path. */
static void coreutils_sha256(const char *path, char out[IDP_SHA256_HEX])
{
    char cmd[4300];
    FILE *p;
    snprintf(cmd, sizeof(cmd), "sha256sum '%s'", path);
    p = popen(cmd, "r");
    assert_non_null(p);
    assert_int_equal(fscanf(p, "%64s", out), 1);
    assert_int_equal(pclose(p), 0);
    assert_int_equal(strlen(out), 64);
}

static void test_file_matches_sha256sum(void **state)
{
    /* Sizes around the 64 KiB chunk: none, one byte, exactly one chunk,
     * one more, several chunks and a tail. */
    static const size_t sizes[] = {0, 1, 65536, 65537, 300001};
    idp_ctx *ctx;
    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        const char *path = tu_path(tu_tmpdir(), "data.bin");
        uint8_t d[IDP_SHA256_LEN];
        char ours[IDP_SHA256_HEX], theirs[IDP_SHA256_HEX];
        uint64_t size = 12345;
        write_bytes(path, sizes[i], (uint32_t)i + 7u);
        assert_int_equal(idp_sha256_file(ctx, path, d, &size), IDP_OK);
        assert_int_equal(size, sizes[i]);
        idp_hex(d, sizeof(d), ours);
        coreutils_sha256(path, theirs);
        assert_string_equal(ours, theirs);
        /* the size is optional */
        uint8_t d2[IDP_SHA256_LEN];
        assert_int_equal(idp_sha256_file(ctx, path, d2, NULL), IDP_OK);
        assert_memory_equal(d, d2, sizeof(d));
    }
    idp_ctx_destroy(ctx);
}

static void test_file_errors(void **state)
{
    idp_ctx *ctx;
    uint8_t d[IDP_SHA256_LEN];
    uint64_t size;
    const char *fifo = tu_path(tu_tmpdir(), "fifo");
    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(idp_sha256_file(ctx, tu_path(tu_tmpdir(), "absent.pdf"), d, &size),
                     IDP_E_NOTFOUND);
    assert_non_null(strstr(idp_ctx_error(ctx), "absent.pdf"));
    assert_int_equal(idp_sha256_file(ctx, tu_tmpdir(), d, &size), IDP_E_FORMAT);
    /* A FIFO must be refused, not block forever waiting for a writer. */
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(idp_sha256_file(ctx, fifo, d, &size), IDP_E_FORMAT);
    assert_non_null(strstr(idp_ctx_error(ctx), "fifo"));
    idp_ctx_destroy(ctx);
}

static void digest_with(uint8_t d[IDP_SHA256_LEN], const uint8_t first[5])
{
    memset(d, 0xee, IDP_SHA256_LEN);
    memcpy(d, first, 5);
}

/* Each vector spells eight consecutive Crockford values (worked out by
 * hand from the bit patterns), so every symbol of the alphabet is seen. */
static void test_reference_from_digest(void **state)
{
    static const struct {
        uint8_t first[5];
        const char *ref;
    } v[] = {
        {{0x00, 0x00, 0x00, 0x00, 0x00}, "IDP-0000-0000"},
        {{0x00, 0x44, 0x32, 0x14, 0xc7}, "IDP-0123-4567"},
        {{0x42, 0x54, 0xb6, 0x35, 0xcf}, "IDP-89AB-CDEF"},
        {{0x84, 0x65, 0x3a, 0x56, 0xd7}, "IDP-GHJK-MNPQ"},
        {{0xc6, 0x75, 0xbe, 0x77, 0xdf}, "IDP-RSTV-WXYZ"},
        {{0xff, 0xff, 0xff, 0xff, 0xff}, "IDP-ZZZZ-ZZZZ"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        uint8_t d[IDP_SHA256_LEN];
        char ref[IDP_REFERENCE_LEN];
        digest_with(d, v[i].first);
        idp_reference_from_digest(d, ref);
        assert_string_equal(ref, v[i].ref);
        assert_int_equal(strlen(ref), IDP_REFERENCE_LEN - 1);
    }
    {
        /* Only the first 40 bits count. */
        uint8_t a[IDP_SHA256_LEN], b[IDP_SHA256_LEN];
        char ra[IDP_REFERENCE_LEN], rb[IDP_REFERENCE_LEN];
        digest_with(a, v[1].first);
        digest_with(b, v[1].first);
        b[5] ^= 0xff;
        b[31] ^= 0xff;
        idp_reference_from_digest(a, ra);
        idp_reference_from_digest(b, rb);
        assert_string_equal(ra, rb);
        b[4] ^= 0x01;
        idp_reference_from_digest(b, rb);
        assert_string_not_equal(ra, rb);
    }
}

static void test_reference_parse(void **state)
{
    static const struct {
        const char *in;
        const char *norm; /* NULL: refused */
    } v[] = {
        {"IDP-7KQ2-9XHF", "IDP-7KQ2-9XHF"},
        {"idp-7kq2-9xhf", "IDP-7KQ2-9XHF"},
        {"IDP7KQ29XHF", "IDP-7KQ2-9XHF"},
        {"IDP-7KQ29XHF", "IDP-7KQ2-9XHF"},
        {"IDP7KQ2-9XHF", "IDP-7KQ2-9XHF"},
        {"IDP-O1IL-oil0", "IDP-0111-0110"},
        {"IDP-7KQ2-9XH", NULL},
        {"IDP-7KQ2-9XHFF", NULL},
        {"IDP-7KQU-9XHF", NULL},
        {"IDP--7KQ2-9XHF", NULL},
        {"IDP-7KQ2--9XHF", NULL},
        {"IDP-7K-Q29XHF", NULL},
        {"IDP-7KQ2 9XHF", NULL},
        {" IDP-7KQ2-9XHF", NULL},
        {"IDP-7KQ2-9XHF ", NULL},
        {"7KQ2-9XHF", NULL},
        {"XYZ-7KQ2-9XHF", NULL},
        {"", NULL},
        {"IDP", NULL},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        char out[IDP_REFERENCE_LEN] = "untouched";
        bool ok = idp_reference_parse(v[i].in, out);
        if (v[i].norm == NULL) {
            if (ok)
                fail_msg("\"%s\" was accepted", v[i].in);
        } else {
            if (!ok)
                fail_msg("\"%s\" was refused", v[i].in);
            assert_string_equal(out, v[i].norm);
            assert_true(idp_reference_parse(v[i].in, NULL));
        }
    }
}

/* Every reference made from a digest parses back to itself. */
static void test_reference_round_trip(void **state)
{
    idp_ctx *ctx;
    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    for (uint32_t i = 0; i < 200; i++) {
        uint8_t d[IDP_SHA256_LEN];
        char ref[IDP_REFERENCE_LEN], back[IDP_REFERENCE_LEN];
        assert_int_equal(idp_sha256(ctx, &i, sizeof(i), d), IDP_OK);
        idp_reference_from_digest(d, ref);
        assert_true(idp_reference_parse(ref, back));
        assert_string_equal(ref, back);
        assert_null(strpbrk(ref + 3, "ILOU"));
    }
    idp_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_vectors),         cmocka_unit_test(test_hex),
        cmocka_unit_test(test_file_matches_sha256sum), cmocka_unit_test(test_file_errors),
        cmocka_unit_test(test_reference_from_digest),  cmocka_unit_test(test_reference_parse),
        cmocka_unit_test(test_reference_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
