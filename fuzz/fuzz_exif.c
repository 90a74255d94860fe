/* fuzz_exif: a raw EXIF block (as found in a JPEG APP1 segment, with or
 * without "Exif\0\0", or a PNG eXIf chunk) through idp_exif_summarize,
 * then the orientation it gives applied to a small image. */
#include "fuzz_util.h"

#include "idp_exif.h"
#include "idp_orient.h"

#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    idp_exif_summary s;
    idp_ctx *ctx;
    idp_image *img = NULL, *up = NULL;
    uint32_t w, h;

    idp_exif_summarize(data, size, &s);
    if (s.orientation < 1 || s.orientation > 8) {
        fprintf(stderr, "fuzz_exif: orientation %d outside 1..8\n", s.orientation);
        abort();
    }
    ctx = fuzz_ctx();
    if (idp_image_create(ctx, 3, 2, 3, &img) != IDP_OK)
        abort();
    for (size_t i = 0; i < 3 * 2 * 3; i++)
        img->data[i] = (uint8_t)i;
    idp_orient_size(3, 2, s.orientation, &w, &h);
    if (idp_orient_apply(ctx, img, s.orientation, &up) != IDP_OK || up->width != w ||
        up->height != h || up->channels != 3) {
        fprintf(stderr, "fuzz_exif: orientation %d not applied\n", s.orientation);
        abort();
    }
    idp_image_destroy(up);
    idp_image_destroy(img);
    idp_ctx_destroy(ctx);
    return 0;
}
