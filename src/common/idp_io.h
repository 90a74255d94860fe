/* idp_io: reading inputs whole, and writing outputs atomically. */
#ifndef IDP_IO_H
#define IDP_IO_H

#include "idp_ctx.h"
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

/* Writes len bytes to path atomically: a temporary file in the same
 * folder, mode 0600, fsync, then rename (and fsync of the folder). If path
 * exists and !force, fails with IDP_E_EXISTS and touches nothing. On any
 * failure the temporary file is removed and path is unchanged. */
idp_status idp_write_atomic(idp_ctx *ctx, const char *path, const void *data, size_t len,
                            bool force) IDP_WUR IDP_NONNULL(1, 2);

/* Temporaries. idp_write_atomic and idp_package_write build their output
 * under a hidden name next to the target, ".<target>.idpack-tmp-<pid>-XXXXXX"
 * (and ".<target>.idpack-old-<pid>-XXXXXX" for a package being replaced),
 * <pid> being the process that made it, so that what a killed process
 * left can be told from what a running one is writing. */

/* Whether name (a file name, no slash) is such a temporary, of the target
 * name target when it is not NULL. *pid is the process that made it, 0
 * for a name without one (made by an older version). */
bool idp_temp_name(const char *name, const char *target, long *pid) IDP_NONNULL(1, 3);

/* Removes the temporaries in folder dir (of the target name target, when
 * not NULL): with pid > 0 those made by that process; with pid 0 the
 * stale ones: made by a process no longer running on this machine, or
 * without a process id, or older than an hour. A temporary folder goes
 * only if it holds nothing but plain files. Never follows links, never
 * fails (a folder that cannot be read is left alone); returns how many
 * were removed. */
size_t idp_remove_temporaries(const char *dir, const char *target, long pid) IDP_NONNULL(1);

/* Opens path for reading, refusing what is not a regular file (a FIFO, a
 * device, a socket, a folder) without blocking on it: *fd (close it) and
 * its *sb on IDP_OK; on failure the message names path and *fd is -1. */
idp_status idp_open_regular(idp_ctx *ctx, const char *path, int *fd, struct stat *sb) IDP_WUR
    IDP_NONNULL(1, 2, 3, 4);

/* The last component of path (borrowed from path), for messages. */
const char *idp_basename(const char *path) IDP_NONNULL(1);

#endif
