#include "idp_ctx.h"
#include "idp_tr.h"
#include "idp_utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IDP_ERROR_MAX 4096 /* a list of problems, one per line (every bad field of a form) */
#define IDP_LINE_MAX 1024  /* a message of one line */

struct idp_ctx {
    idp_limits limits;
    char error[IDP_ERROR_MAX];
    char lang[16];     /* messages: "en" or the name of a catalogue (po/LANG.po) */
    char today[11];    /* YYYY-MM-DD, "" unset */
    unsigned threads;  /* a call may run this many at once (idp_ctx_set_threads) */
    idp_advice advice; /* what the caller may add to error (idp_ctx_advice) */
};

void idp_limits_default(idp_limits *limits)
{
    limits->max_file_bytes = 50u * 1000u * 1000u;
    limits->max_pixels = 100u * 1000u * 1000u;
    limits->max_side = 30000u;
    limits->max_decode_bytes = IDP_DEFAULT_DECODE_BYTES;
}

idp_status idp_ctx_create(idp_ctx **out)
{
    idp_ctx *ctx = calloc(1, sizeof(*ctx));

    *out = NULL;
    if (ctx == NULL)
        return IDP_E_NOMEM;
    idp_limits_default(&ctx->limits);
    memcpy(ctx->lang, "en", 3);
    ctx->threads = 1;
    *out = ctx;
    return IDP_OK;
}

void idp_ctx_destroy(idp_ctx *ctx)
{
    free(ctx);
}

const idp_limits *idp_ctx_limits(const idp_ctx *ctx)
{
    return &ctx->limits;
}

void idp_ctx_set_limits(idp_ctx *ctx, const idp_limits *limits)
{
    ctx->limits = *limits;
}

void idp_ctx_set_lang(idp_ctx *ctx, const char *lang)
{
    const char *cat = idp_tr_catalogue(lang);

    snprintf(ctx->lang, sizeof(ctx->lang), "%s",
             cat != NULL && strlen(cat) < sizeof(ctx->lang) ? cat : "en");
}

void idp_ctx_set_threads(idp_ctx *ctx, unsigned threads)
{
    ctx->threads = threads > 0 ? threads : 1;
}

unsigned idp_ctx_threads(const idp_ctx *ctx)
{
    return ctx->threads;
}

const char *idp_ctx_lang(const idp_ctx *ctx)
{
    return ctx->lang;
}

void idp_ctx_set_today(idp_ctx *ctx, const char *day)
{
    size_t n = day != NULL ? strlen(day) : 0;

    if (n == sizeof(ctx->today) - 1)
        memcpy(ctx->today, day, n + 1);
    else
        ctx->today[0] = '\0';
}

const char *idp_ctx_today(const idp_ctx *ctx)
{
    return ctx->today[0] != '\0' ? ctx->today : NULL;
}

const char *idp_ctx_error(const idp_ctx *ctx)
{
    return ctx->error;
}

void idp_ctx_clear(idp_ctx *ctx)
{
    ctx->error[0] = '\0';
    ctx->advice = IDP_ADVICE_NONE;
}

idp_advice idp_ctx_advice(const idp_ctx *ctx)
{
    return ctx->advice;
}

void idp_ctx_set_advice(idp_ctx *ctx, idp_advice advice)
{
    ctx->advice = advice;
}

/* Copies the first and the last bytes of a message of len bytes into
 * out[size], joined by "...", each cut on a UTF-8 character boundary. */
static void keep_ends(char *out, size_t size, const char *msg, size_t len)
{
    size_t head = (size - 4) / 2, tail = size - 4 - head, from = len - tail;

    head = idp_utf8_cut(msg, head);
    while (from < len && ((unsigned char)msg[from] & 0xc0) == 0x80)
        from++;
    memcpy(out, msg, head);
    memcpy(out + head, "...", 3);
    memcpy(out + head + 3, msg + from, len - from + 1);
}

idp_status idp_failv(idp_ctx *ctx, idp_status status, const char *fmt, va_list ap)
{
    va_list again;
    char *full;
    int n;

    ctx->advice = IDP_ADVICE_NONE;
    va_copy(again, ap);
    n = vsnprintf(ctx->error, sizeof(ctx->error), fmt, ap);
    if (n < 0) {
        snprintf(ctx->error, sizeof(ctx->error), "error %d", (int)status);
    } else if ((size_t)n >= IDP_LINE_MAX && (full = malloc((size_t)n + 1)) != NULL) {
        /* A message that long quotes a huge name: keep its end too, where
         * the problem is said, within a line's room (a list of several
         * lines has the whole buffer). Out of memory, the start alone
         * stays. */
        if (vsnprintf(full, (size_t)n + 1, fmt, again) == n) {
            size_t room = strchr(full, '\n') != NULL ? sizeof(ctx->error) : IDP_LINE_MAX;
            if ((size_t)n >= room)
                keep_ends(ctx->error, room, full, (size_t)n);
        }
        free(full);
    }
    va_end(again);
    return status;
}

idp_status idp_fail(idp_ctx *ctx, idp_status status, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    status = idp_failv(ctx, status, fmt, ap);
    va_end(ap);
    return status;
}

const char *idp_status_name(idp_status status)
{
    switch (status) {
    case IDP_OK:
        return "ok";
    case IDP_E_USAGE:
        return "usage";
    case IDP_E_NOMEM:
        return "nomem";
    case IDP_E_NOTFOUND:
        return "notfound";
    case IDP_E_IO:
        return "io";
    case IDP_E_EXISTS:
        return "exists";
    case IDP_E_CREATE:
        return "create";
    case IDP_E_FORMAT:
        return "format";
    case IDP_E_CORRUPT:
        return "corrupt";
    case IDP_E_LIMITS:
        return "limits";
    case IDP_E_POLICY:
        return "policy";
    case IDP_E_INTERNAL:
        return "internal";
    case IDP_E_FIELD:
        return "field";
    case IDP_E_EXPIRED:
        return "expired";
    case IDP_E_GLYPH:
        return "glyph";
    case IDP_E_REJECTED:
        return "rejected";
    case IDP_E_MISMATCH:
        return "mismatch";
    case IDP_E_CRYPTO:
        return "crypto";
    }
    return "unknown";
}

int idp_mul_size(size_t a, size_t b, size_t *out)
{
    if (a != 0 && b > SIZE_MAX / a)
        return 0;
    *out = a * b;
    return 1;
}
