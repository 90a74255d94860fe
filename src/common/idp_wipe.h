/* idp_wipe: the one way personal data and secrets are erased before their
 * memory is given back (ID pixels, file contents, the seller's details,
 * keys): OPENSSL_cleanse underneath, which the compiler cannot drop as a
 * dead store. */
#ifndef IDP_WIPE_H
#define IDP_WIPE_H

#include <stddef.h>

/* Zeroes n bytes at p; NULL is fine. */
void idp_wipe(void *p, size_t n);

/* Zeroes len bytes at buf, then frees it (malloc'd); NULL is fine. */
void idp_free_wiped(void *buf, size_t len);

/* Zeroes the NUL-terminated string s (malloc'd), then frees it; NULL is
 * fine. */
void idp_free_wiped_str(char *s);

#endif
