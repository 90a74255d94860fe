/* idp_build: the whole flow of one request, from two photos and the
 * seller's details to a verified package folder:
 *   validate fields -> load, check, normalise each photo -> reference ->
 *   letter -> PDF -> manifest, SHA256SUMS, signature -> folder, atomically. */
#ifndef IDP_BUILD_H
#define IDP_BUILD_H

#include "idp_check.h"
#include "idp_ctx.h"
#include "idp_form.h"
#include "idp_pdf.h"
#include "idp_policy.h"
#include "idp_reference.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct idp_build_opts {
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
                               * default: front and back on two threads */
    const char *tool_version;
    long temp_owner;   /* the process id the temporary folder is named after
                        * (0: this one); a batch's row processes give the
                        * batch's, whose guardian then removes it */
    const char *today; /* YYYY-MM-DD: the seller's day for the expiry check and
                        * the letter's date (idp_local_day of now); NULL: the
                        * UTC day of date (a fixed --date, SOURCE_DATE_EPOCH) */
} idp_build_opts;

typedef struct idp_build_result {
    char reference[IDP_REFERENCE_LEN];
    char created[32];            /* ISO 8601 UTC */
    size_t n_photos;             /* 1 or 2 */
    idp_check_report reports[2]; /* front, back: also on a rejection */
    char pdf_sha256[IDP_SHA256_HEX];
    uint64_t total_bytes; /* of the files in the package */
    bool signed_manifest;
    idp_paper paper;
} idp_build_result;

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
idp_status idp_build_package(idp_ctx *ctx, const idp_build_opts *opts,
                             idp_build_result *result) IDP_WUR IDP_NONNULL(1, 2, 3);

/* The reference idp_build_package would give for these fields (validated
 * as it does), date, language, paper, and the SHA-256 of the package's
 * photos (id-front.jpg, then id-back.jpg): how `batch --resume` tells
 * that a package found in place belongs to its row. */
idp_status idp_build_reference(idp_ctx *ctx, const idp_build_opts *opts,
                               const uint8_t (*photos)[IDP_SHA256_LEN], size_t n,
                               char reference[IDP_REFERENCE_LEN]) IDP_WUR IDP_NONNULL(1, 2, 3, 5);

/* Formats Unix time t as "YYYY-MM-DD" (day) or "YYYY-MM-DDTHH:MM:SSZ". */
void idp_format_date(int64_t t, bool with_time, char *buf, size_t size) IDP_NONNULL(3);

#endif
