/* The normalising options and result as programs outside the library see
 * them: opaque, made, set and read through these functions
 * (docs/library.md). */
#include "idp_normalize.h"
#include "idp_wipe.h"

#include <stdlib.h>

idp_status idp_normalize_opts_create(idp_ctx *ctx, idp_normalize_opts **out)
{
    *out = calloc(1, sizeof(**out));
    if (*out == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
    idp_normalize_opts_default(*out);
    return IDP_OK;
}

void idp_normalize_opts_destroy(idp_normalize_opts *opts)
{
    free(opts);
}

void idp_normalize_opts_set_max_side(idp_normalize_opts *opts, uint32_t max_side)
{
    opts->max_side = max_side;
}

void idp_normalize_opts_set_quality(idp_normalize_opts *opts, int quality)
{
    opts->quality = quality;
}

void idp_normalize_opts_set_max_bytes(idp_normalize_opts *opts, uint64_t max_bytes)
{
    opts->max_bytes = max_bytes;
}

void idp_normalize_opts_set_force(idp_normalize_opts *opts, bool force)
{
    opts->force = force;
}

void idp_normalize_opts_set_crop(idp_normalize_opts *opts, bool crop)
{
    opts->crop = crop;
}

bool idp_normalize_opts_crop(const idp_normalize_opts *opts)
{
    return opts->crop;
}

idp_status idp_normalize_result_create(idp_ctx *ctx, idp_normalize_result **out)
{
    *out = calloc(1, sizeof(**out));
    if (*out == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
    return IDP_OK;
}

void idp_normalize_result_destroy(idp_normalize_result *res)
{
    if (res == NULL)
        return;
    idp_wipe(res, sizeof(*res));
    free(res);
}

void idp_normalize_result_size(const idp_normalize_result *res, uint32_t *width, uint32_t *height)
{
    *width = res->width;
    *height = res->height;
}

size_t idp_normalize_result_bytes(const idp_normalize_result *res)
{
    return res->bytes;
}

int idp_normalize_result_quality(const idp_normalize_result *res)
{
    return res->quality;
}

void idp_normalize_result_source(const idp_normalize_result *res, uint32_t *width, uint32_t *height,
                                 int *orientation)
{
    *width = res->source.width;
    *height = res->source.height;
    *orientation = (int)res->source.orientation;
}

const char *idp_normalize_result_format(const idp_normalize_result *res)
{
    return idp_format_name(res->source.format);
}

const idp_document *idp_normalize_result_document(const idp_normalize_result *res)
{
    return &res->document;
}
