/* Helpers shared by the fuzz targets: a private temporary folder per
 * process (for the parsers that only read from a path), writing an input
 * there, and the tight limits every target decodes with. */
#ifndef IDP_FUZZ_UTIL_H
#define IDP_FUZZ_UTIL_H

#include "idp_ctx.h"
#include "idp_image.h"
#include "idp_load.h"

#include <stddef.h>
#include <stdint.h>

/* The libFuzzer entry point each target defines. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A new private folder (mode 0700) under $TMPDIR or /tmp, made on the first
 * call and removed with everything in it when the process exits. Aborts if
 * it cannot be made: the target cannot run without it. */
const char *fuzz_tmpdir(void);

/* dir/name into a new buffer the caller frees; aborts when out of memory. */
char *fuzz_join(const char *dir, const char *name);

/* Replaces the file at path with len bytes of data (truncating it); aborts
 * on failure. */
void fuzz_write_file(const char *path, const void *data, size_t len);

/* A context with limits small enough that no input can exhaust memory or
 * time: 4 MiB files, 1 megapixel, 4096 px per side. Aborts on failure;
 * free with idp_ctx_destroy(). */
idp_ctx *fuzz_ctx(void);

/* The photo loader as the tool uses it: probe, then a full load with
 * options chosen from the input's length (full size and upright, reduced
 * scale, or stored orientation), checking that the result agrees with
 * what the probe said. Aborts on an inconsistency. */
void fuzz_load_image(const uint8_t *data, size_t size);

#endif
