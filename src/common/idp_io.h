/* idp_io: reading inputs whole, and writing outputs atomically. */
#ifndef IDP_IO_H
#define IDP_IO_H

#include "idp_ctx.h"
#include "idp_util.h" /* idp_write_atomic, idp_remove_temporaries, idp_basename */
#include "idp_wipe.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/* Reads the file at path into a new buffer. The size is checked against
 * max_bytes (from fstat, before allocating); 0 means the ctx limit
 * max_file_bytes. Missing file -> IDP_E_NOTFOUND, empty file -> IDP_E_CORRUPT,
 * too large -> IDP_E_LIMITS. The caller owns *buf and frees it with
 * idp_free_wiped(*buf, *len). */
idp_status idp_read_file(idp_ctx *ctx, const char *path, uint64_t max_bytes, uint8_t **buf,
                         size_t *len) IDP_WUR IDP_NONNULL(1, 2, 4, 5);

/* Whether name (a file name, no slash) is a temporary (idp_util.h), of the target
 * name target when it is not NULL. *pid is the process that made it, 0
 * for a name without one (made by an older version). */
bool idp_temp_name(const char *name, const char *target, long *pid) IDP_NONNULL(1, 3);

/* Opens path for reading, refusing what is not a regular file (a FIFO, a
 * device, a socket, a folder) without blocking on it: *fd (close it) and
 * its *sb on IDP_OK; on failure the message names path and *fd is -1. */
idp_status idp_open_regular(idp_ctx *ctx, const char *path, int *fd, struct stat *sb) IDP_WUR
    IDP_NONNULL(1, 2, 3, 4);

/* Writes all n bytes to fd (a pipe, a memory file), going on after a
 * signal; false when a write fails (errno says why) or writes nothing. */
bool idp_write_fd(int fd, const void *buf, size_t n);

#endif
