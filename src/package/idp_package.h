/* idp_package: writing a package folder atomically, SHA256SUMS, and
 * verifying a package. */
#ifndef IDP_PACKAGE_H
#define IDP_PACKAGE_H

#include "idp_ctx.h"
#ifdef IDP_INTERNAL
#include "idp_hash.h"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifdef IDP_INTERNAL
typedef struct idp_package_file {
    const char *name; /* [a-z0-9._-]+, no slash */
    const uint8_t *data;
    size_t len;
} idp_package_file;

/* Creates the folder dir holding exactly these files, atomically: a
 * temporary folder (mode 0700) next to dir in the same parent, every file
 * mode 0600 written and fsynced, then renamed to dir. If dir exists:
 * IDP_E_EXISTS unless force, in which case the old folder is replaced (it
 * must look like a package: contain SHA256SUMS; anything else is refused).
 * On any failure nothing is left: no temporary folder, dir untouched. The
 * parent folder must exist (IDP_E_CREATE otherwise, naming it). */
idp_status idp_package_write(idp_ctx *ctx, const char *dir, const idp_package_file *files, size_t n,
                             bool force) IDP_WUR IDP_NONNULL(1, 2, 3);

/* The same, the temporary folder named after process owner (0: this
 * one). After the rename, the folder written (through the descriptors it
 * was written with) must be the one at the path dir: a folder renamed and
 * replaced (by a link, say) during the write is IDP_E_CREATE ("... changed
 * while the package was written"), and the package written into the
 * moved folder is removed again: nothing is reported as written that is
 * not at dir. */
idp_status idp_package_write_owned(idp_ctx *ctx, const char *dir, const idp_package_file *files,
                                   size_t n, bool force, long owner) IDP_WUR IDP_NONNULL(1, 2, 3);

/* SHA256SUMS text in coreutils format ("<hex>  <name>\n", sorted by name)
 * for the files; caller frees *text. */
idp_status idp_sha256sums_format(idp_ctx *ctx, const idp_package_file *files, size_t n, char **text,
                                 size_t *len) IDP_WUR IDP_NONNULL(1, 2, 4, 5);
#endif /* IDP_INTERNAL */

typedef enum idp_problem_kind {
    IDP_PROBLEM_CHANGED = 0, /* hash differs from SHA256SUMS / manifest */
    IDP_PROBLEM_MISSING,     /* listed but absent */
    IDP_PROBLEM_EXTRA,       /* present but not listed */
    IDP_PROBLEM_MALFORMED,   /* SHA256SUMS or manifest.json unreadable/inconsistent */
    IDP_PROBLEM_SIGNATURE    /* signature absent (when a key is given) or wrong */
} idp_problem_kind;

/* Opaque to programs outside the library: idp_verify_report_create gives
 * one, the idp_verify_report_* functions read it. */
typedef struct idp_verify_report idp_verify_report;

#ifdef IDP_INTERNAL
typedef struct idp_problem {
    idp_problem_kind kind;
    char *file;   /* the file concerned */
    char *detail; /* plain words */
} idp_problem;

struct idp_verify_report {
    size_t n_files_ok;
    bool signature_checked;
    bool signature_ok;
    char *reference; /* from the manifest, if readable */
    size_t n_problems;
    idp_problem *problems;
};
#endif /* IDP_INTERNAL */

/* Verifies every hash in dir/SHA256SUMS and dir/manifest.json (they must
 * agree), that no file is missing or extra, and, with pub_path (may be
 * NULL) or when manifest.json.sig exists, the signature (a .sig without a
 * key is reported as not checked, not as a problem). Returns IDP_OK when
 * the folder could be examined (then see report->n_problems), IDP_E_NOTFOUND
 * when dir is missing. Caller frees with idp_verify_report_free(). */
IDP_API idp_status idp_package_verify(idp_ctx *ctx, const char *dir, const char *pub_path,
                                      idp_verify_report *report) IDP_WUR IDP_NONNULL(1, 2, 4);
#ifdef IDP_INTERNAL
void idp_verify_report_free(idp_verify_report *report);
#endif
/* Makes OpenSSL wipe every block of memory it frees: decoding a PEM key
 * (idp_build_opts_set_sign_key), OpenSSL 3.0 frees intermediate copies of
 * the private key without wiping them. Process-wide, so for the program to
 * call once at start, before anything uses OpenSSL (the one call of the
 * library that touches the process, not a context); returns false (and
 * changes nothing) if OpenSSL has already allocated memory. */
IDP_API bool idp_sign_wipe_openssl_frees(void);

/* "changed", "missing", "extra", "malformed", "signature" (static). */
IDP_API const char *idp_problem_kind_name(idp_problem_kind kind);

/* An empty report for one idp_package_verify (a report is not reused:
 * create one per verify). The caller owns *out and frees it with
 * idp_verify_report_destroy(); NULL is fine there. */
IDP_API idp_status idp_verify_report_create(idp_ctx *ctx, idp_verify_report **out) IDP_WUR
    IDP_NONNULL(1, 2);
IDP_API void idp_verify_report_destroy(idp_verify_report *report);

/* How many problems were found: 0 means every hash (and the signature,
 * when checked) matched. Problem i's kind, with the file concerned and
 * what is wrong in plain words (borrowed, valid while the report lives;
 * i past the end gives IDP_PROBLEM_MALFORMED and NULLs). */
IDP_API size_t idp_verify_report_problems(const idp_verify_report *report) IDP_NONNULL(1);
IDP_API idp_problem_kind idp_verify_report_problem(const idp_verify_report *report, size_t i,
                                                   const char **file, const char **detail)
    IDP_NONNULL(1);
/* Files whose hashes matched; the reference the manifest names (NULL when
 * it could not be read); whether the signature was checked, and *ok (may
 * be NULL) whether it matched. */
IDP_API size_t idp_verify_report_files_ok(const idp_verify_report *report) IDP_NONNULL(1);
IDP_API const char *idp_verify_report_reference(const idp_verify_report *report) IDP_NONNULL(1);
IDP_API bool idp_verify_report_signature(const idp_verify_report *report, bool *ok) IDP_NONNULL(1);

#ifdef __cplusplus
}
#endif

#endif
