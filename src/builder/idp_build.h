/* idp_build: the whole flow of one request, from two photos and the
 * seller's details to a verified package folder:
 *   validate fields -> load, check, normalise each photo -> reference ->
 *   letter -> PDF -> manifest, SHA256SUMS, signature -> folder, atomically. */
#ifndef IDP_BUILD_H
#define IDP_BUILD_H

#include "idp_check.h"
#include "idp_ctx.h"
#include "idp_form.h"
#include "idp_policy.h"
#ifdef IDP_INTERNAL
#include "idp_pdf.h"
#include "idp_reference.h"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Both opaque to programs outside the library (they grow with every
 * option): made with idp_build_opts_create and idp_build_result_create,
 * set and read through the functions below. */
typedef struct idp_build_opts idp_build_opts;
typedef struct idp_build_result idp_build_result;

#ifdef IDP_INTERNAL
struct idp_build_opts {
    const char *front_path; /* required */
    const char *back_path;  /* NULL for a document without a back (passport) */
    const idp_form *form;   /* borrowed; validated here */
    const char *templates_dir;
    const char *template_id; /* "2fa-reset" */
    const char *lang;        /* "en", "it", ... */
    bool paper_set;          /* false: A4, or Letter for North American marketplaces */
    idp_paper paper;
    int64_t date;          /* Unix time of the request (UTC); sets every date in it */
    const char *font_path; /* NULL: DejaVu Sans via fontconfig */
    const char *sign_key;  /* Ed25519 private key PEM, or NULL */
    const char *out_dir;
    bool force;
    const idp_policy *policy; /* NULL: defaults */
    uint32_t max_side;        /* 0: 2000 */
    bool serial;              /* one photo after the other on the calling thread
                               * (batch workers already keep every core busy);
                               * default: front and back on two threads when
                               * the context allows two, idp_ctx_set_threads) */
    const char *tool_version;
    long temp_owner;   /* the process id the temporary folder is named after
                        * (0: this one); a batch's row processes give the
                        * batch's, whose guardian then removes it */
    const char *today; /* YYYY-MM-DD: the seller's day for the expiry check and
                        * the letter's date (idp_local_day of now); NULL: the
                        * UTC day of date (a fixed --date, SOURCE_DATE_EPOCH) */
};

struct idp_build_result {
    char reference[IDP_REFERENCE_LEN];
    char created[32];            /* ISO 8601 UTC */
    size_t n_photos;             /* 1 or 2 */
    idp_check_report reports[2]; /* front, back: also on a rejection */
    char pdf_sha256[IDP_SHA256_HEX];
    uint64_t total_bytes; /* of the files in the package */
    bool signed_manifest;
    idp_paper paper;
    char warning[512]; /* idp_build_result_warning */
};
#endif /* IDP_INTERNAL */

/* Options with the defaults: template "2fa-reset" in English, paper from
 * the marketplace (A4, or Letter for North American ones), the date now,
 * DejaVu Sans, no signature, the default policy, no replacing. The
 * caller owns *out and frees it with idp_build_opts_destroy(). Every
 * string and object given to a setter is borrowed: it must stay valid
 * until idp_build_package returns. */
IDP_API idp_status idp_build_opts_create(idp_ctx *ctx, idp_build_opts **out) IDP_WUR
    IDP_NONNULL(1, 2);
IDP_API void idp_build_opts_destroy(idp_build_opts *opts);

/* The photos: front required; back NULL for a passport (or a file of
 * two pages given as front). */
IDP_API void idp_build_opts_set_photos(idp_build_opts *opts, const char *front, const char *back)
    IDP_NONNULL(1, 2);
/* The seller's details (validated by idp_build_package). */
IDP_API void idp_build_opts_set_form(idp_build_opts *opts, const idp_form *form) IDP_NONNULL(1, 2);
/* The folder of the templates (an installed idpack's
 * PREFIX/share/idpack/templates), the template ("2fa-reset" when NULL) and
 * the letter's language ("en", "it", ...; "en" when NULL). */
IDP_API void idp_build_opts_set_template(idp_build_opts *opts, const char *templates_dir,
                                         const char *template_id, const char *lang)
    IDP_NONNULL(1, 2);
/* The package folder to create (its parent must exist); force: replace
 * an existing package there. */
IDP_API void idp_build_opts_set_out_dir(idp_build_opts *opts, const char *dir, bool force)
    IDP_NONNULL(1, 2);
/* The request's time (Unix time, UTC): the same inputs and time give the
 * same bytes. today (YYYY-MM-DD, may be NULL: the UTC day of t) is the
 * seller's day, for the expiry check and the letter's date. */
IDP_API void idp_build_opts_set_date(idp_build_opts *opts, int64_t t, const char *today)
    IDP_NONNULL(1);
/* "a4" or "letter"; NULL: from the marketplace. IDP_E_USAGE otherwise. */
IDP_API idp_status idp_build_opts_set_paper(idp_ctx *ctx, idp_build_opts *opts,
                                            const char *paper) IDP_WUR IDP_NONNULL(1, 2);
/* A TrueType file for the letter (NULL: DejaVu Sans through fontconfig). */
IDP_API void idp_build_opts_set_font(idp_build_opts *opts, const char *font_path) IDP_NONNULL(1);
/* An Ed25519 private key (PEM) to sign manifest.json with, or NULL. */
IDP_API void idp_build_opts_set_sign_key(idp_build_opts *opts, const char *key_path) IDP_NONNULL(1);
/* The check thresholds (NULL: the defaults). */
IDP_API void idp_build_opts_set_policy(idp_build_opts *opts, const idp_policy *policy)
    IDP_NONNULL(1);

/* An empty result; the caller owns *out and frees it with
 * idp_build_result_destroy() (which wipes it). */
IDP_API idp_status idp_build_result_create(idp_ctx *ctx, idp_build_result **out) IDP_WUR
    IDP_NONNULL(1, 2);
IDP_API void idp_build_result_destroy(idp_build_result *result);
/* The package's reference ("IDP-7KQ2-9XHF"), its time (ISO 8601 UTC) and
 * the SHA-256 of request.pdf (hex): borrowed, valid while result lives;
 * "" before a successful build. */
IDP_API const char *idp_build_result_reference(const idp_build_result *result) IDP_NONNULL(1);
IDP_API const char *idp_build_result_created(const idp_build_result *result) IDP_NONNULL(1);
IDP_API const char *idp_build_result_pdf_sha256(const idp_build_result *result) IDP_NONNULL(1);
/* A warning for the seller about a package that was built, in the ctx's
 * language, "" when none: one letter of the name in the ID's
 * machine-readable zone matched the form's only as a letter the reader
 * may have misread (docs/mrz.md, "Misread letters"). Borrowed, valid while
 * result lives. */
IDP_API const char *idp_build_result_warning(const idp_build_result *result) IDP_NONNULL(1);
/* The photos' check reports (0 the front, 1 the back), also after a
 * rejection (IDP_E_REJECTED): borrowed; NULL for i >= the photos built. */
IDP_API size_t idp_build_result_photos(const idp_build_result *result) IDP_NONNULL(1);
IDP_API const idp_check_report *idp_build_result_report(const idp_build_result *result, size_t i)
    IDP_NONNULL(1);
/* The package's paper ("a4" or "letter"; "" before a successful build),
 * the bytes of its files together, and whether manifest.json is signed
 * (manifest.json.sig, idp_build_opts_set_sign_key). */
IDP_API const char *idp_build_result_paper(const idp_build_result *result) IDP_NONNULL(1);
IDP_API uint64_t idp_build_result_bytes(const idp_build_result *result) IDP_NONNULL(1);
IDP_API bool idp_build_result_signed(const idp_build_result *result) IDP_NONNULL(1);

/* Builds the package. Returns IDP_OK, or: IDP_E_FIELD (a field is unknown,
 * missing or malformed; an ID card, driving licence or residence permit
 * without back_path; a passport with one), IDP_E_EXPIRED (the ID has expired),
 * IDP_E_REJECTED (a photo fails a check: see result->reports), with
 * policy->mrz_read IDP_E_MISMATCH (the form contradicts the ID's
 * machine-readable zone, or the front and back look swapped:
 * idp_build_mrz.h; id_type and id_expiry may be left out then), the load
 * status of an unreadable photo, IDP_E_GLYPH, IDP_E_EXISTS, IDP_E_CREATE,
 * IDP_E_CRYPTO, ... with the ctx error naming the field or file. Nothing
 * is created unless it returns IDP_OK. */
IDP_API idp_status idp_build_package(idp_ctx *ctx, const idp_build_opts *opts,
                                     idp_build_result *result) IDP_WUR IDP_NONNULL(1, 2, 3);

#ifdef IDP_INTERNAL
/* The reference idp_build_package would give for these fields (validated
 * as it does), date, language, paper, and the SHA-256 of the package's
 * photos (id-front.jpg, then id-back.jpg): how `batch --resume` tells
 * that a package found in place belongs to its row. */
idp_status idp_build_reference(idp_ctx *ctx, const idp_build_opts *opts,
                               const uint8_t (*photos)[IDP_SHA256_LEN], size_t n,
                               char reference[IDP_REFERENCE_LEN]) IDP_WUR IDP_NONNULL(1, 2, 3, 5);

/* idp_format_date (Unix time as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ) is in
 * idp_date.h. */
#endif /* IDP_INTERNAL */

#ifdef __cplusplus
}
#endif

#endif
