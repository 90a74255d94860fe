/* idp_build_mrz: the request's fields cross-checked against the
 * machine-readable zone read from its photos (docs/mrz.md, "Cross-check"):
 * id_type and id_expiry filled from the zone where the form leaves them
 * out; an id_type, id_expiry or full_name the zone contradicts refused
 * with the zone's answer; an ID card's back given as the front reported.
 * Used by idp_build_package; not installed. Never writes anything: the
 * zone's lines and document number stay in memory. */
#ifndef IDP_BUILD_MRZ_H
#define IDP_BUILD_MRZ_H

#include "idp_check.h"
#include "idp_ctx.h"
#include "idp_form.h"
#include "idp_policy.h"

#include <stdbool.h>
#include <stddef.h>

/* The fields a zone can give. */
#define IDP_MRZ_FIELD_TYPE "id_type"
#define IDP_MRZ_FIELD_EXPIRY "id_expiry"

/* For the validation before the photos are read: when policy reads the
 * zone and form leaves out id_type or id_expiry, *probe is a copy of form
 * with stand-ins for them (a day far ahead; passport for one photo,
 * id_card for two), to be validated instead of form; else *probe is NULL
 * and form is validated as it is. Caller destroys *probe. */
idp_status idp_build_mrz_probe(idp_ctx *ctx, const idp_policy *policy, const idp_form *form,
                               size_t n_photos, idp_form **probe) IDP_WUR IDP_NONNULL(1, 2, 3, 5);

typedef struct idp_build_mrz_in {
    const idp_policy *policy;
    const idp_form *form;
    const char *tlang;               /* the template's language: how id_expiry is written */
    const idp_check_report *reports; /* n photos, checked (has_mrz where a zone was read) */
    size_t n;                        /* 1 or 2 */
    const char *paths[2];            /* the photos, for messages */
    /* Out: a warning for the seller, in the ctx's language, "" when none:
     * the name matched but for a letter of the zone the reader may have
     * misread (IDP_NAME_MISREAD). NULL: not wanted. */
    char *warning;
    size_t warning_size;
} idp_build_mrz_in;

/* After the photos were checked, when policy->mrz_read: *filled is a copy
 * of the form with id_type and id_expiry from the zone where the form
 * leaves them out (caller destroys it). Fails, with every problem on its
 * own line of the ctx error, in the ctx's language:
 *   IDP_E_MISMATCH  the form's id_type or id_expiry is not the zone's (the
 *                   message names the zone's), full_name is not the
 *                   zone's name (both spellings shown; unless
 *                   policy->mrz_name_match is 0), or the front shows an
 *                   ID card's zone (TD1) and the back none: swapped;
 *   IDP_E_FIELD     id_type or id_expiry left out and no zone gave it.
 * A name that matches but for a letter the reader may have misread is not
 * a failure: in->warning says so. The zone's lines and document number
 * are never in a message. */
idp_status idp_build_mrz_cross(idp_ctx *ctx, const idp_build_mrz_in *in, idp_form **filled) IDP_WUR
    IDP_NONNULL(1, 2, 3);

#endif
