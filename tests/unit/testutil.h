/* Helpers shared by the unit tests: paths from the environment that CTest
 * sets, and a private temporary folder per test program. */
#ifndef IDP_TESTUTIL_H
#define IDP_TESTUTIL_H

#include <stddef.h>

/* The value of an environment variable CTest sets (IDP_CORPUS,
 * IDP_TESTIMG, IDP_SPECIMEN, IDP_SRC); aborts the test if unset. */
const char *tu_env(const char *name);

/* Joins dir and name into a static rotating buffer (8 slots). */
const char *tu_path(const char *dir, const char *name);

/* A new private folder under $TMPDIR (or /tmp), removed with its contents
 * at exit. */
const char *tu_tmpdir(void);

#endif
