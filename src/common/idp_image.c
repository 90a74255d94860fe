/* madvise(MADV_HUGEPAGE) is a Linux extension. */
#define _DEFAULT_SOURCE 1

#include "idp_image.h"
#include "idp_wipe.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Large pixel buffers are 2 MiB aligned and marked for transparent huge
 * pages: a 12 MP decode otherwise spends a third of its time in page
 * faults on the fresh buffer. */
#define IDP_HUGE_ALIGN ((size_t)2 << 20)

void *idp_large_alloc(size_t total, bool zero)
{
    void *p = NULL;
    size_t whole;

    if (total < IDP_HUGE_ALIGN)
        return zero ? calloc(1, total) : malloc(total);
    /* Whole huge pages: a tail in 4 KiB pages is hundreds of faults (a
     * 3.3 MB buffer took 10 ms to use instead of 6). */
    if (total > SIZE_MAX - IDP_HUGE_ALIGN)
        return NULL;
    whole = (total + IDP_HUGE_ALIGN - 1) / IDP_HUGE_ALIGN * IDP_HUGE_ALIGN;
    if (posix_memalign(&p, IDP_HUGE_ALIGN, whole) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    (void)madvise(p, whole, MADV_HUGEPAGE);
#endif
    if (zero)
        memset(p, 0, total);
    return p;
}

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
                        "image of %ux%u pixels exceeds the limits (%u px side, %llu pixels)", w, h,
                        lim->max_side, (unsigned long long)lim->max_pixels);
    if (!idp_mul_size(w, channels, &row) || !idp_mul_size(row, h, &total))
        return idp_fail(ctx, IDP_E_LIMITS, "image of %ux%u pixels is too large", w, h);
    img = calloc(1, sizeof(*img));
    if (img == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
    img->data = idp_large_alloc(total, true);
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
        idp_wipe(img->data, idp_image_stride(img) * img->height);
        free(img->data);
    }
    free(img);
}
