/* idp_util: the small utilities a program around libidpack needs to behave
 * as idpack does: the seller's day, the atomic write of an output file and
 * the clean-up of what a killed write left, erasing personal data, SHA-256,
 * the checks of UTF-8 text before it is shown, and the translation of
 * idpack's own messages.
 *
 * A public header of libidpack (docs/library.md, "Utilities"). The
 * library's own headers (idp_date.h, idp_io.h, idp_wipe.h, idp_hash.h,
 * idp_utf8.h, idp_tr.h) include it: each function here is declared once. */
#ifndef IDP_UTIL_H
#define IDP_UTIL_H

#include "idp_ctx.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define IDP_FORMAT_ARG(n) __attribute__((format_arg(n)))
#else
#define IDP_FORMAT_ARG(n)
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Days. "Today" for a seller is the day on the seller's own calendar: an
 * ID that expires today is valid until the seller's midnight, and the
 * letter is dated the day the seller signs it. So a program works out
 * today once, as idp_local_day of the clock (the TZ environment variable,
 * else /etc/localtime), gives it to idp_ctx_set_today, and uses the same
 * day for the whole run. A reproducible build from a fixed time (the
 * tool's --date or SOURCE_DATE_EPOCH) takes that time's UTC day instead,
 * idp_utc_day, so that every machine gives the same bytes. */

#define IDP_DAY_LEN 11 /* "YYYY-MM-DD" and its NUL */

/* The day of Unix time t in the local time zone, as YYYY-MM-DD in day[],
 * and the zone used in zone[] ("CET +0100"; zone_size bytes at most, cut
 * if longer). Falls back to UTC when the local time cannot be worked out
 * (zone then says "UTC"). */
IDP_API void idp_local_day(int64_t t, char day[IDP_DAY_LEN], char *zone, size_t zone_size)
    IDP_NONNULL(2, 3);

/* The UTC day of Unix time t, as YYYY-MM-DD. */
IDP_API void idp_utc_day(int64_t t, char day[IDP_DAY_LEN]) IDP_NONNULL(2);

/* Parses a UTC time: YYYY-MM-DD (midnight), YYYY-MM-DDTHH:MMZ or
 * YYYY-MM-DDTHH:MM:SSZ, a real date with the year in 1970..9999. True
 * with *out the Unix time; false (and *out untouched) for anything else. */
IDP_API bool idp_time_parse_iso(const char *s, int64_t *out) IDP_NONNULL(1, 2);

/* Formats Unix time t (UTC) as "YYYY-MM-DD" (day) or
 * "YYYY-MM-DDTHH:MM:SSZ" (with_time), as the manifest and the ledger
 * write it, into buf of size bytes ("" when it does not fit). */
IDP_API void idp_format_date(int64_t t, bool with_time, char *buf, size_t size) IDP_NONNULL(3);

/* Output files. */

/* Writes len bytes to path atomically: a temporary file in the same
 * folder, mode 0600, fsync, then rename (and fsync of the folder). If path
 * exists and !force, fails with IDP_E_EXISTS and touches nothing. On any
 * failure the temporary file is removed, path is unchanged and
 * idp_ctx_error names path and the problem. */
IDP_API idp_status idp_write_atomic(idp_ctx *ctx, const char *path, const void *data, size_t len,
                                    bool force) IDP_WUR IDP_NONNULL(1, 2);

/* Temporaries. idp_write_atomic, and idp_build_package for the package's
 * folder, build their output under a hidden name next to the target,
 * ".<target>.idpack-tmp-<pid>-XXXXXX" (and ".<target>.idpack-old-<pid>-XXXXXX"
 * for a package being replaced), <pid> being the process that made it,
 * so that what a killed process left can be told from what a running one
 * is writing.
 *
 * Removes the temporaries in folder dir (of the target name target, when
 * not NULL): with pid > 0 those made by that process; with pid 0 the
 * stale ones: made by a process no longer running on this machine, or
 * without a process id, or older than an hour. A temporary folder goes
 * only if it holds nothing but plain files. Never follows links, never
 * fails (a folder that cannot be read is left alone); returns how many
 * were removed. */
IDP_API size_t idp_remove_temporaries(const char *dir, const char *target, long pid) IDP_NONNULL(1);

/* The last component of path (borrowed from path: what follows its last
 * '/', all of it without one), as messages name a file or a folder. */
IDP_API const char *idp_basename(const char *path) IDP_NONNULL(1);

/* Erasing: the one way personal data and secrets are erased before their
 * memory is given back (OPENSSL_cleanse underneath, which the compiler
 * cannot drop as a dead store). */

/* Zeroes n bytes at p; NULL is fine. */
IDP_API void idp_wipe(void *p, size_t n);

/* Zeroes len bytes at buf, then frees it (malloc'd); NULL is fine. */
IDP_API void idp_free_wiped(void *buf, size_t len);

/* SHA-256 (OpenSSL's EVP interface), as the package's SHA256SUMS lists it. */

#define IDP_SHA256_LEN 32
#define IDP_SHA256_HEX 65 /* 64 hex digits and NUL */

/* The hash of len bytes at data (NULL only with len 0). */
IDP_API idp_status idp_sha256(idp_ctx *ctx, const void *data, size_t len,
                              uint8_t out[IDP_SHA256_LEN]) IDP_WUR IDP_NONNULL(1, 4);

/* The hash of the file at path, read in chunks (never whole); *size (if
 * size is not NULL) gets its length. Only a regular file is read (a FIFO
 * or a device is refused without blocking); errors name the file. */
IDP_API idp_status idp_sha256_file(idp_ctx *ctx, const char *path, uint8_t out[IDP_SHA256_LEN],
                                   uint64_t *size) IDP_WUR IDP_NONNULL(1, 2, 3);

/* Lower-case hex of n bytes into out (2n+1 bytes, NUL-terminated). */
IDP_API void idp_hex(const uint8_t *bytes, size_t n, char *out) IDP_NONNULL(1, 3);

/* UTF-8: strict (RFC 3629, Unicode table 3-7): overlong forms, surrogates
 * (U+D800..U+DFFF), code points above U+10FFFF, stray continuation bytes
 * and sequences cut short are not characters. */

/* The character at s in a NUL-terminated string: returns its length
 * (1..4) with its code point in *cp, or 0 when the bytes there are not one
 * well-formed character. A NUL byte is U+0000, length 1. */
IDP_API size_t idp_utf8_decode_str(const char *s, uint32_t *cp) IDP_NONNULL(1, 2);

/* The longest prefix of s[0..n) (n within s) that does not end inside a
 * character: n itself, or less by the bytes of a character cut short. */
IDP_API size_t idp_utf8_cut(const char *s, size_t n) IDP_NONNULL(1);

/* Whether cp is a bidirectional control (U+061C, U+200E-F, U+202A-E,
 * U+2066-9), which turns the text around it when shown: text from a
 * file or a form is shown with these replaced. */
IDP_API bool idp_utf8_bidi_control(uint32_t cp);

/* Translations of idpack's own messages (those of the library and of the
 * tool): the English text is the key; each language's text comes from its
 * gettext catalogue po/LANG.po, built into the library (no file is read at
 * run time). docs/translating.md says how to add one.
 *
 * en in language lang ("it", ...): the catalogue's text, or en itself when
 * lang is NULL, English, a language without a catalogue, or the message
 * has no translation. The result is en or a static string. */
IDP_API const char *idp_tr(const char *lang, const char *en) IDP_NONNULL(2) IDP_FORMAT_ARG(2);

/* The languages idpack's messages are in: i = 0 is "en" (the messages'
 * own language), then each catalogue's name ("it" for po/it.po), in the
 * catalogues' order; NULL when i is past the last. A static string. */
IDP_API const char *idp_tr_language(size_t i);

#ifdef __cplusplus
}
#endif

#endif
