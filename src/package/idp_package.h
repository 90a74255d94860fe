/* idp_package: writing a package folder atomically, SHA256SUMS, and
 * verifying a package. */
#ifndef IDP_PACKAGE_H
#define IDP_PACKAGE_H

#include "idp_ctx.h"
#include "idp_hash.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

typedef enum idp_problem_kind {
    IDP_PROBLEM_CHANGED = 0, /* hash differs from SHA256SUMS / manifest */
    IDP_PROBLEM_MISSING,     /* listed but absent */
    IDP_PROBLEM_EXTRA,       /* present but not listed */
    IDP_PROBLEM_MALFORMED,   /* SHA256SUMS or manifest.json unreadable/inconsistent */
    IDP_PROBLEM_SIGNATURE    /* signature absent (when a key is given) or wrong */
} idp_problem_kind;

typedef struct idp_problem {
    idp_problem_kind kind;
    char *file;   /* the file concerned */
    char *detail; /* plain words */
} idp_problem;

typedef struct idp_verify_report {
    size_t n_files_ok;
    bool signature_checked;
    bool signature_ok;
    char *reference; /* from the manifest, if readable */
    size_t n_problems;
    idp_problem *problems;
} idp_verify_report;

/* Verifies every hash in dir/SHA256SUMS and dir/manifest.json (they must
 * agree), that no file is missing or extra, and, with pub_path (may be
 * NULL) or when manifest.json.sig exists, the signature (a .sig without a
 * key is reported as not checked, not as a problem). Returns IDP_OK when
 * the folder could be examined (then see report->n_problems), IDP_E_NOTFOUND
 * when dir is missing. Caller frees with idp_verify_report_free(). */
idp_status idp_package_verify(idp_ctx *ctx, const char *dir, const char *pub_path,
                              idp_verify_report *report) IDP_WUR IDP_NONNULL(1, 2, 4);
void idp_verify_report_free(idp_verify_report *report);
const char *idp_problem_kind_name(idp_problem_kind kind);

#endif
