/* idp_ctx: the library's context. It carries the limits for untrusted
 * input, the threads a call may use and the text of the last error. There
 * is no global state: every worker of a batch uses its own context.
 *
 * A public header of libidpack (docs/library.md): the declarations between
 * `#ifdef IDP_INTERNAL` and its `#endif` are the library's own, seen only
 * inside this tree and cut out of the installed header; everything else is
 * the API, each function marked IDP_API (the only symbols libidpack.so
 * exports). */
#ifndef IDP_CTX_H
#define IDP_CTX_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define IDP_WUR __attribute__((warn_unused_result))
#define IDP_NONNULL(...) __attribute__((nonnull(__VA_ARGS__)))
#define IDP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define IDP_WUR
#define IDP_NONNULL(...)
#define IDP_PRINTF(f, a)
#endif

#if defined(__GNUC__) || defined(__clang__)
#define IDP_API __attribute__((visibility("default")))
#else
#define IDP_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Every library call returns one of these. IDP_OK is zero. */
typedef enum idp_status {
    IDP_OK = 0,
    IDP_E_USAGE,    /* the caller passed something invalid */
    IDP_E_NOMEM,    /* out of memory */
    IDP_E_NOTFOUND, /* an input file does not exist */
    IDP_E_IO,       /* reading or writing failed */
    IDP_E_EXISTS,   /* the output exists and overwriting was not allowed */
    IDP_E_CREATE,   /* the output cannot be created */
    IDP_E_FORMAT,   /* not a supported format */
    IDP_E_CORRUPT,  /* corrupt or truncated data */
    IDP_E_LIMITS,   /* the input exceeds the configured limits */
    IDP_E_POLICY,   /* a policy file is invalid */
    IDP_E_INTERNAL, /* a bug */
    IDP_E_FIELD,    /* a form field is unknown, missing or malformed */
    IDP_E_EXPIRED,  /* the ID document has expired */
    IDP_E_GLYPH,    /* the font cannot draw a character of the text */
    IDP_E_REJECTED, /* a photo failed a check */
    IDP_E_MISMATCH, /* verify: a hash or the signature does not match */
    IDP_E_CRYPTO    /* a key or signature cannot be used */
} idp_status;

typedef struct idp_ctx idp_ctx;

#ifdef IDP_INTERNAL
/* Limits on untrusted input, checked before anything is allocated. */
typedef struct idp_limits {
    uint64_t max_file_bytes; /* default 50 MB */
    uint64_t max_pixels;     /* default 100 megapixels */
    uint32_t max_side;       /* default 30000 px */
    /* Memory one photo may take to decode, computed from its header before
     * any large allocation (docs/bad-input.md, "Memory budget"): the output
     * pixels, a progressive JPEG's coefficient buffers, an interlaced PNG's
     * whole image. A JPEG over it is read at a reduced scale, else refused.
     * Default IDP_DEFAULT_DECODE_BYTES; 0 means no budget. */
    uint64_t max_decode_bytes;
} idp_limits;

#define IDP_DEFAULT_DECODE_BYTES (192u * 1024u * 1024u)

/* Fills *limits with the defaults of PRODUCT.md. */
void idp_limits_default(idp_limits *limits) IDP_NONNULL(1);
#endif /* IDP_INTERNAL */

/* Creates a context with the default limits. The caller owns *out and
 * frees it with idp_ctx_destroy(). */
IDP_API idp_status idp_ctx_create(idp_ctx **out) IDP_WUR IDP_NONNULL(1);

/* Frees a context; NULL is allowed. */
IDP_API void idp_ctx_destroy(idp_ctx *ctx);

#ifdef IDP_INTERNAL
/* The limits in force (borrowed, valid while ctx lives). */
const idp_limits *idp_ctx_limits(const idp_ctx *ctx) IDP_NONNULL(1);
void idp_ctx_set_limits(idp_ctx *ctx, const idp_limits *limits) IDP_NONNULL(1, 2);
#endif /* IDP_INTERNAL */

/* The limits on untrusted input a context enforces, checked before
 * anything is allocated (docs/bad-input.md). Only appended to. */
typedef enum idp_limit {
    IDP_LIMIT_FILE_BYTES = 0, /* bytes of an input file (default 50 MB) */
    IDP_LIMIT_PIXELS,         /* pixels of a photo (default 100 megapixels) */
    IDP_LIMIT_SIDE,           /* pixels along a photo's side (default 30000, at most 2^32 - 1) */
    IDP_LIMIT_DECODE_BYTES    /* memory one photo may take to decode (default 192 MiB; 0: none) */
} idp_limit;

/* The limit in force on ctx; 0 for a limit this library does not know. */
IDP_API uint64_t idp_ctx_limit(const idp_ctx *ctx, idp_limit which) IDP_NONNULL(1);
/* Sets one limit. IDP_E_USAGE (ctx unchanged) for a limit this library
 * does not know, a value of 0 (but for IDP_LIMIT_DECODE_BYTES, where 0
 * means no budget) or a side over 2^32 - 1. */
IDP_API idp_status idp_ctx_set_limit(idp_ctx *ctx, idp_limit which, uint64_t value) IDP_NONNULL(1);
/* The default of a limit (what idp_ctx_create sets); 0 when unknown. */
IDP_API uint64_t idp_limit_default(idp_limit which);

/* The language of the messages the library writes on ctx: any language
 * idpack has a catalogue for (po/LANG.po; "it" Italian), given as "it",
 * "it_IT" or "it_IT.UTF-8", gives its translations where a message has
 * one; anything else English (the default). */
IDP_API void idp_ctx_set_lang(idp_ctx *ctx, const char *lang) IDP_NONNULL(1, 2);
/* "en" or the catalogue's name ("it"): a string owned by ctx. */
IDP_API const char *idp_ctx_lang(const idp_ctx *ctx) IDP_NONNULL(1);
#ifdef IDP_INTERNAL
#endif

/* How many threads a call made with ctx may run at once, the calling one
 * included: 1 (the default) does all the work on the calling thread; 2
 * lets idp_check_file find the document on a second thread while the
 * frame is measured, and idp_build_package check the back photo on one
 * while the front is checked (from 4, each photo's check on two). A
 * program that runs calls in parallel itself (one per core) keeps 1. 0 is
 * taken as 1. */
IDP_API void idp_ctx_set_threads(idp_ctx *ctx, unsigned threads) IDP_NONNULL(1);
IDP_API unsigned idp_ctx_threads(const idp_ctx *ctx) IDP_NONNULL(1);

/* The seller's day, YYYY-MM-DD, that checks on ctx judge an expiry
 * against (the MRZ's expiry in idp_check): the caller works it out once
 * (the seller's local calendar day; a fixed day in tests) and every
 * check, build and batch row uses the same one. Anything but ten
 * characters (NULL included) unsets it; unset, the library takes the
 * local day of the clock. idp_ctx_today() gives NULL when unset. */
IDP_API void idp_ctx_set_today(idp_ctx *ctx, const char *day) IDP_NONNULL(1);
IDP_API const char *idp_ctx_today(const idp_ctx *ctx) IDP_NONNULL(1);

/* The text of the last error, "" if none (borrowed, valid until the next
 * call that fails or idp_ctx_clear()). It names the file and the problem. */
IDP_API const char *idp_ctx_error(const idp_ctx *ctx) IDP_NONNULL(1);
IDP_API void idp_ctx_clear(idp_ctx *ctx) IDP_NONNULL(1);

/* What the last error leaves to the caller to add: how its program gives
 * photos (an option, a CSV's column, a file's name), which the library
 * does not know. The message on ctx ends where that advice goes, e.g.
 * "... add it" to which idpack build adds " (--back PHOTO)". Set with
 * the error, IDP_ADVICE_NONE after any other error or idp_ctx_clear(). */
typedef enum idp_advice {
    IDP_ADVICE_NONE = 0,
    IDP_ADVICE_LEAVE_OUT_BACK, /* a passport given two photos: leave out the second */
    IDP_ADVICE_ADD_BACK,       /* an ID card, licence or permit given one: add its back */
    IDP_ADVICE_SWAP_PHOTOS,    /* the front given as the back: give them the other way round */
} idp_advice;
IDP_API idp_advice idp_ctx_advice(const idp_ctx *ctx) IDP_NONNULL(1);
#ifdef IDP_INTERNAL
/* After idp_fail: what the caller may add to its message (idp_ctx_advice). */
void idp_ctx_set_advice(idp_ctx *ctx, idp_advice advice) IDP_NONNULL(1);
#endif

#ifdef IDP_INTERNAL

/* Records an error where it is detected and returns status, so code can
 * write `return idp_fail(ctx, IDP_E_CORRUPT, "%s: truncated", name);`.
 * Callers that receive a failure pass it up without a second message. */
idp_status idp_fail(idp_ctx *ctx, idp_status status, const char *fmt, ...) IDP_PRINTF(3, 4)
    IDP_NONNULL(1, 3);
idp_status idp_failv(idp_ctx *ctx, idp_status status, const char *fmt, va_list ap) IDP_PRINTF(3, 0)
    IDP_NONNULL(1, 3);
#endif /* IDP_INTERNAL */

/* A short stable name for a status ("corrupt", "limits", ...). */
IDP_API const char *idp_status_name(idp_status status);

#ifdef IDP_INTERNAL
/* Overflow-safe a*b; returns 0 and leaves *out unset on overflow. */
int idp_mul_size(size_t a, size_t b, size_t *out) IDP_NONNULL(3);
#endif /* IDP_INTERNAL */

#ifdef __cplusplus
}
#endif

#endif
