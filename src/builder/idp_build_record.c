/* Recording a package in the ledger (idp_build_record.h). */
#define _DEFAULT_SOURCE /* realpath() */
#include "idp_build_record.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

idp_status idp_build_record_package(idp_ctx *ctx, idp_ledger *ledger, const char *agent,
                                    const idp_ledger_package *pkg, bool if_new)
{
    char folder[PATH_MAX];
    idp_ledger_package abs = *pkg;
    idp_status st;

    if (agent != NULL) {
        st = idp_ledger_set_agent(ctx, ledger, agent);
        if (st != IDP_OK)
            return st;
    }
    if (if_new && pkg->reference != NULL) {
        idp_ledger_history *h = NULL;
        st = idp_ledger_show(ctx, ledger, pkg->reference, 0, 0, &h);
        idp_ledger_history_free(h);
        if (st == IDP_OK)
            return IDP_OK; /* known */
        if (st != IDP_E_NOTFOUND)
            return st;
        idp_ctx_clear(ctx);
    }
    if (pkg->folder == NULL || realpath(pkg->folder, folder) == NULL)
        return idp_fail(ctx, IDP_E_IO, "%s: %s", pkg->folder != NULL ? pkg->folder : "(none)",
                        strerror(errno));
    abs.folder = folder;
    return idp_ledger_record(ctx, ledger, &abs);
}

idp_status idp_build_record(idp_ctx *ctx, idp_ledger *ledger, const char *agent,
                            const idp_build_opts *opts, const idp_build_result *res)
{
    idp_ledger_package pkg;

    memset(&pkg, 0, sizeof(pkg));
    pkg.reference = res->reference;
    pkg.account_email = opts->form != NULL ? idp_form_get(opts->form, "account_email") : NULL;
    pkg.lang = opts->lang;
    pkg.folder = opts->out_dir;
    pkg.pdf_sha256 = res->pdf_sha256;
    pkg.created = opts->date;
    return idp_build_record_package(ctx, ledger, agent, &pkg, false);
}
