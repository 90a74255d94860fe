/* idp_manifest: manifest.json, what a package holds and how it was made.
 * Never ID numbers or image data. Serialised deterministically. */
#ifndef IDP_MANIFEST_H
#define IDP_MANIFEST_H

#include "idp_check.h"
#include "idp_ctx.h"
#include "idp_hash.h"

#include <stddef.h>
#include <stdint.h>

typedef struct idp_manifest_file {
    const char *name;
    uint64_t size;
    uint8_t sha256[IDP_SHA256_LEN];
} idp_manifest_file;

typedef struct idp_manifest_photo {
    const char *role;   /* "front" / "back" */
    const char *output; /* "id-front.jpg" */
    const idp_check_report *report;
} idp_manifest_photo;

typedef struct idp_manifest {
    const char *tool_version;
    const char *template_id;
    const char *lang;
    const char *reference;
    const char *created;     /* ISO 8601 UTC, e.g. "2026-11-26T00:00:00Z" */
    const char *paper;       /* "a4" / "letter" */
    const char *marketplace; /* may be NULL */
    size_t n_files;
    const idp_manifest_file *files;
    size_t n_photos;
    const idp_manifest_photo *photos;
} idp_manifest;

/* Serialises (JSON, 2-space indent, fixed key order, trailing newline).
 * Caller frees *json with free(). */
idp_status idp_manifest_serialize(idp_ctx *ctx, const idp_manifest *m, char **json,
                                  size_t *len) IDP_WUR IDP_NONNULL(1, 2, 3, 4);

#endif
