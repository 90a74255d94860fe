/* fuzz_manifest: manifest.json and SHA256SUMS as `idpack verify` reads them
 * (idp_package_verify), in a package folder made once per process in a
 * private temporary folder and rewritten for each input.
 *
 * The input is manifest.json. If it holds a line "#SHA256SUMS", what
 * follows that line is SHA256SUMS; otherwise SHA256SUMS is made with the
 * true hashes of the package's files (the manifest included), so that the
 * fuzzer reaches the comparison of the manifest with the files. Inputs of
 * odd length are verified with a public key (the folder holds a signature
 * that does not match it). */
#include "fuzz_util.h"

#include "idp_hash.h"
#include "idp_package.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SEPARATOR "\n#SHA256SUMS\n"

/* An Ed25519 public key made for this target (its private key was not
 * kept): no signature verifies with it. */
static const char pub_pem[] = "-----BEGIN PUBLIC KEY-----\n"
                              "MCowBQYDK2VwAyEAUcBmzwSEoItCh9T8iqaQuoDO2jU+HYZ0s9JuHkiS4Rc=\n"
                              "-----END PUBLIC KEY-----\n";
static const char pdf[] = "%PDF-1.4\n% fuzz\n";
static const char jpg[] = "\xff\xd8\xff\xd9";

static char *pkg, *manifest_path, *sums_path, *key_path;

static void setup(void)
{
    char *p;
    uint8_t sig[64];

    if (pkg != NULL)
        return;
    pkg = fuzz_join(fuzz_tmpdir(), "package");
    if (mkdir(pkg, 0700) != 0)
        abort();
    manifest_path = fuzz_join(pkg, "manifest.json");
    sums_path = fuzz_join(pkg, "SHA256SUMS");
    key_path = fuzz_join(fuzz_tmpdir(), "key.pub");
    fuzz_write_file(key_path, pub_pem, sizeof(pub_pem) - 1);
    p = fuzz_join(pkg, "request.pdf");
    fuzz_write_file(p, pdf, sizeof(pdf) - 1);
    free(p);
    p = fuzz_join(pkg, "id-front.jpg");
    fuzz_write_file(p, jpg, sizeof(jpg) - 1);
    free(p);
    memset(sig, 0x5a, sizeof(sig));
    p = fuzz_join(pkg, "manifest.json.sig");
    fuzz_write_file(p, sig, sizeof(sig));
    free(p);
}

/* One "<hex>  <name>\n" line for data into out (at least 64 + 2 + 32). */
static size_t sums_line(idp_ctx *ctx, const char *name, const void *data, size_t len, char *out)
{
    uint8_t d[IDP_SHA256_LEN];
    char hex[IDP_SHA256_HEX];

    if (idp_sha256(ctx, data, len, d) != IDP_OK)
        abort();
    idp_hex(d, sizeof(d), hex);
    return (size_t)sprintf(out, "%s  %s\n", hex, name);
}

static const uint8_t *find_separator(const uint8_t *data, size_t size)
{
    size_t n = sizeof(SEPARATOR) - 1;

    for (size_t i = 0; i + n <= size; i++)
        if (memcmp(data + i, SEPARATOR, n) == 0)
            return data + i;
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *sep;
    idp_ctx *ctx;
    idp_verify_report r;
    idp_status st;

    setup();
    ctx = fuzz_ctx();
    sep = find_separator(data, size);
    if (sep != NULL) {
        size_t mlen = (size_t)(sep - data), skip = sizeof(SEPARATOR) - 1;
        fuzz_write_file(manifest_path, data, mlen);
        fuzz_write_file(sums_path, sep + skip, size - mlen - skip);
    } else {
        char sums[3 * 128];
        size_t n = 0;
        fuzz_write_file(manifest_path, data, size);
        n += sums_line(ctx, "id-front.jpg", jpg, sizeof(jpg) - 1, sums + n);
        n += sums_line(ctx, "manifest.json", data, size, sums + n);
        n += sums_line(ctx, "request.pdf", pdf, sizeof(pdf) - 1, sums + n);
        fuzz_write_file(sums_path, sums, n);
    }
    st = idp_package_verify(ctx, pkg, size % 2 == 1 ? key_path : NULL, &r);
    if (st == IDP_OK) {
        if (r.n_problems > 201 || (r.n_problems > 0 && r.problems == NULL))
            abort();
        for (size_t i = 0; i < r.n_problems; i++)
            if (r.problems[i].file == NULL || r.problems[i].detail == NULL)
                abort();
        if (r.n_problems == 0 && (size % 2 == 1 || r.n_files_ok != 3))
            abort(); /* the signature never verifies; three files are listed */
    } else if (r.n_problems != 0 || r.problems != NULL) {
        abort();
    }
    idp_verify_report_free(&r);
    idp_ctx_destroy(ctx);
    return 0;
}
