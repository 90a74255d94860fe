#include "idp_image.h"

#include <stdlib.h>
#include <string.h>

idp_status idp_image_create(idp_ctx *ctx, uint32_t w, uint32_t h, uint32_t channels,
                            idp_image **out)
{
    const idp_limits *lim = idp_ctx_limits(ctx);
    idp_image *img;
    size_t row, total;

    *out = NULL;
    if (w == 0 || h == 0 || (channels != 1 && channels != 3))
        return idp_fail(ctx, IDP_E_USAGE, "invalid image size %ux%ux%u", w, h, channels);
    if (w > lim->max_side || h > lim->max_side || (uint64_t)w * h > lim->max_pixels)
        return idp_fail(ctx, IDP_E_LIMITS,
                        "image of %ux%u pixels exceeds the limits (%u px side, %llu pixels)", w,
                        h, lim->max_side, (unsigned long long)lim->max_pixels);
    if (!idp_mul_size(w, channels, &row) || !idp_mul_size(row, h, &total))
        return idp_fail(ctx, IDP_E_LIMITS, "image of %ux%u pixels is too large", w, h);
    img = calloc(1, sizeof(*img));
    if (img == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
    img->data = calloc(1, total);
    if (img->data == NULL) {
        free(img);
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory for a %ux%u image", w, h);
    }
    img->width = w;
    img->height = h;
    img->channels = channels;
    *out = img;
    return IDP_OK;
}

size_t idp_image_stride(const idp_image *img)
{
    return (size_t)img->width * img->channels;
}

void idp_image_destroy(idp_image *img)
{
    if (img == NULL)
        return;
    if (img->data != NULL) {
        volatile uint8_t *p = img->data;
        size_t n = idp_image_stride(img) * img->height;
        while (n--)
            *p++ = 0;
        free(img->data);
    }
    free(img);
}
