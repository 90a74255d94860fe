/* idp_io: reading inputs whole, and writing outputs atomically. */
#ifndef IDP_IO_H
#define IDP_IO_H

#include "idp_ctx.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Reads the file at path into a new buffer. The size is checked against
 * max_bytes (from fstat, before allocating); 0 means the ctx limit
 * max_file_bytes. Missing file -> IDP_E_NOTFOUND, empty file -> IDP_E_CORRUPT,
 * too large -> IDP_E_LIMITS. The caller owns *buf and frees it with
 * idp_free_wiped(*buf, *len). */
idp_status idp_read_file(idp_ctx *ctx, const char *path, uint64_t max_bytes, uint8_t **buf,
                         size_t *len) IDP_WUR IDP_NONNULL(1, 2, 4, 5);

/* Writes len bytes to path atomically: a temporary file in the same
 * folder, mode 0600, fsync, then rename (and fsync of the folder). If path
 * exists and !force, fails with IDP_E_EXISTS and touches nothing. On any
 * failure the temporary file is removed and path is unchanged. */
idp_status idp_write_atomic(idp_ctx *ctx, const char *path, const void *data, size_t len,
                            bool force) IDP_WUR IDP_NONNULL(1, 2);

/* Zeroes and frees a buffer that held personal data; NULL is fine. */
void idp_free_wiped(void *buf, size_t len);

/* The last component of path (borrowed from path), for messages. */
const char *idp_basename(const char *path) IDP_NONNULL(1);

#endif
