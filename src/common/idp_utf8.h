/* idp_utf8: the one UTF-8 decoder. Strict (RFC 3629, Unicode table 3-7):
 * overlong forms, surrogates (U+D800..U+DFFF), code points above U+10FFFF,
 * stray continuation bytes and sequences cut short are not characters. */
#ifndef IDP_UTF8_H
#define IDP_UTF8_H

#include "idp_ctx.h"
#include "idp_util.h" /* idp_utf8_decode_str, idp_utf8_cut, idp_utf8_bidi_control */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The character at s, which has len bytes left: returns its length (1..4)
 * with its code point in *cp, or 0 when the bytes there are not one
 * well-formed character (or len is 0). A NUL byte is U+0000, length 1. */
size_t idp_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp) IDP_NONNULL(3);

/* The character at s[*i] of s[0..len), *i advanced past it; a byte that
 * starts no well-formed character gives U+FFFD and advances *i by one. */
uint32_t idp_utf8_next(const unsigned char *s, size_t len, size_t *i) IDP_NONNULL(3);

/* Whether s[0..len) is well-formed UTF-8; with allow_nul false, a NUL
 * byte makes it invalid too. *bad (may be NULL) gets the offset of the
 * first byte that is not part of a character. */
bool idp_utf8_valid(const char *s, size_t len, bool allow_nul, size_t *bad);

/* The number of characters in well-formed UTF-8 s (on other text, the
 * bytes that are not continuation bytes). */
size_t idp_utf8_count(const char *s) IDP_NONNULL(1);

/* The length of the character whose first byte is lead, in well-formed
 * text (1 for a byte that starts none). */
size_t idp_utf8_seq_len(unsigned char lead);

#endif
