/* idp_build_record: a package recorded in the ledger, the one place every
 * driver does it (build, drop, window: a package just built; batch: its
 * rows, built now or found in place on --resume). The caller opens and
 * names the ledger; this fills the ledger's row from what the build
 * knows, makes the folder absolute and records it as the caller's agent. */
#ifndef IDP_BUILD_RECORD_H
#define IDP_BUILD_RECORD_H

#include "idp_build.h"
#include "idp_ctx.h"
#include "idp_ledger.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifdef IDP_INTERNAL
/* Records pkg (see idp_ledger_record) in ledger. pkg->folder may be
 * relative: its real absolute path is recorded (IDP_E_IO when it does not
 * exist). agent: who records it (1 to IDP_LEDGER_AGENT_MAX bytes of text
 * on one line, IDP_E_FIELD otherwise), kept on the handle for its later
 * events; NULL: the handle's own (idp_ledger_set_agent). if_new: only when
 * the ledger does not know pkg->reference yet (a package found in place,
 * `batch --resume`: its run may have been killed between writing and
 * recording it). The message of a failure is on ctx. */
idp_status idp_build_record_package(idp_ctx *ctx, idp_ledger *ledger, const char *agent,
                                    const idp_ledger_package *pkg, bool if_new) IDP_WUR
    IDP_NONNULL(1, 2, 4);
#endif /* IDP_INTERNAL */

/* Records the package a successful idp_build_package(opts) made (res) in
 * ledger, with status "prepared": its reference, the seller's account
 * e-mail, the letter's language, the folder (made absolute), the PDF's
 * hash and the request's date; no customer label. The same reference
 * again (a rebuild) updates its row and adds an event. agent: who records
 * it (1 to IDP_LEDGER_AGENT_MAX bytes of text on one line, IDP_E_FIELD
 * otherwise), kept on the handle; NULL: the handle's own
 * (idp_ledger_set_agent). */
IDP_API idp_status idp_build_record(idp_ctx *ctx, idp_ledger *ledger, const char *agent,
                                    const idp_build_opts *opts, const idp_build_result *res) IDP_WUR
    IDP_NONNULL(1, 2, 4, 5);

#ifdef __cplusplus
}
#endif

#endif
