/* Helpers shared by the unit tests: paths from the environment that CTest
 * sets, a private temporary folder per test program, files, shell commands
 * and generated JPEGs. The helpers that check (tu_write_file, tu_read_file,
 * tu_capture, tu_need_tool, tu_new_ctx, tu_make_jpeg) fail the running
 * cmocka test on error. */
#ifndef IDP_TESTUTIL_H
#define IDP_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "idp_ctx.h"

/* The value of an environment variable CTest sets (IDP_CORPUS,
 * IDP_TESTIMG, IDP_SPECIMEN, IDP_SRC); aborts the test if unset. */
const char *tu_env(const char *name);

/* Joins dir and name into a static rotating buffer (8 slots). */
const char *tu_path(const char *dir, const char *name);

/* A new private folder under $TMPDIR (or /tmp), removed with its contents
 * at exit. */
const char *tu_tmpdir(void);

/* A new library context. */
idp_ctx *tu_new_ctx(void);

/* Runs a shell command built from fmt; returns its exit status (-1 if it
 * could not run). */
int tu_run(const char *fmt, ...) IDP_PRINTF(1, 2);

/* Fails the test when tool is not on PATH. */
void tu_need_tool(const char *tool);

/* All a command prints on stdout (free it); the test fails if the command
 * exits non-zero. */
char *tu_capture(const char *cmd);

/* Writes len bytes to path (created or truncated). */
void tu_write_file(const char *path, const void *data, size_t len);

/* The whole of a non-empty file, with a '\0' after its last byte (free
 * it); its size in *len when len is not NULL. */
uint8_t *tu_read_file(const char *path, size_t *len);

/* The number of entries in a folder, "." and ".." left out. */
int tu_count_entries(const char *dir);

/* A new Ed25519 key pair made with openssl: the private key in PEM at
 * key, its public key at pub. Returns 0, or -1 if openssl failed. */
int tu_ed25519_pair(const char *key, const char *pub);

/* What a generated JPEG shows. */
typedef enum tu_jpeg_kind {
    TU_JPEG_GRADIENT,       /* smooth gradients and bands */
    TU_JPEG_GRADIENT_NOISY, /* the same with noise: a large file */
    TU_JPEG_NOISE           /* noise only: the largest */
} tu_jpeg_kind;

/* A baseline 8-bit RGB JPEG of w x h at quality (libjpeg's malloc'ed
 * buffer: free it); its size in *len. Deterministic. */
uint8_t *tu_make_jpeg(uint32_t w, uint32_t h, tu_jpeg_kind kind, int quality, size_t *len);

#endif
