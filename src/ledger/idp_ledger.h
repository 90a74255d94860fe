/* idp_ledger: the tracking ledger (SQLite): one row per package and an
 * event per change, prepared -> submitted -> resolved | rejected, with
 * overdue requests flagged. Safe with several processes writing at once
 * (WAL, busy timeout, transactions). Never images or ID numbers. */
#ifndef IDP_LEDGER_H
#define IDP_LEDGER_H

#include "idp_ctx.h"

#include <stddef.h>
#include <stdint.h>

typedef struct idp_ledger idp_ledger;

/* Opens (creating it and its schema, or migrating an older schema) the
 * ledger at path; the parent folder must exist. File mode 0600. Caller
 * closes with idp_ledger_close(). Errors name the file. */
idp_status idp_ledger_open(idp_ctx *ctx, const char *path, idp_ledger **out) IDP_WUR
    IDP_NONNULL(1, 2, 3);
void idp_ledger_close(idp_ledger *ledger);

/* What is recorded of a new package. customer may be NULL (single
 * builds); strings are borrowed. */
typedef struct idp_ledger_package {
    const char *reference;
    const char *customer;
    const char *account_email;
    const char *lang;
    const char *folder; /* absolute path of the package folder */
    const char *pdf_sha256;
    int64_t created; /* Unix time */
} idp_ledger_package;

/* Records a package with status "prepared" and a "prepared" event. The
 * same reference again (a rebuild, --force) updates the row and adds an
 * event; it never duplicates. */
idp_status idp_ledger_record(idp_ctx *ctx, idp_ledger *ledger, const idp_ledger_package *pkg)
    IDP_WUR IDP_NONNULL(1, 2, 3);

#endif
