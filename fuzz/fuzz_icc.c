/* fuzz_icc: an embedded colour profile, as a JPEG's APP2 chunks or a PNG's
 * iCCP give it, through the judge (idp_icc_judge) and, when it passes,
 * Little CMS: the RGB to sRGB conversion of a small image and the CMYK to
 * RGB transform. A profile the judge refuses must be reported as ignored
 * and leave the pixels untouched; any input that takes seconds here (a
 * libFuzzer timeout) is a bound the judge is missing. */
#include "fuzz_util.h"

#include "idp_colour.h"
#include "idp_icc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIDE 16

static void bug(const char *what)
{
    fprintf(stderr, "fuzz_icc: %s\n", what);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    idp_ctx *ctx = fuzz_ctx();
    idp_image *img = NULL;
    idp_cmyk_xform *x = NULL;
    const char *why = NULL, *ignored = NULL;
    size_t use = 0, i;
    bool ok, converted = false;
    uint8_t cmyk[SIDE * 4], rgb[SIDE * 3];

    ok = idp_icc_judge(data, size, &use, &why);
    if (ok && (why != NULL || use > size || use < 132))
        bug("accepted with a reason, or a length outside the data");
    if (!ok && (why == NULL || use != 0))
        bug("refused without a reason");
    if (idp_image_create(ctx, SIDE, SIDE, 3, &img) != IDP_OK)
        abort();
    for (i = 0; i < (size_t)SIDE * SIDE * 3; i++)
        img->data[i] = (uint8_t)(i * 7);
    if (idp_colour_to_srgb(ctx, img, data, size, &converted, &ignored) != IDP_OK)
        bug("the conversion failed");
    if (!ok) {
        if (ignored == NULL || converted)
            bug("a refused profile was used");
        for (i = 0; i < (size_t)SIDE * SIDE * 3; i++)
            if (img->data[i] != (uint8_t)(i * 7))
                bug("a refused profile changed the pixels");
    }
    if (idp_cmyk_xform_create(ctx, data, size, size % 2 == 1, &x, &ignored) != IDP_OK)
        bug("the CMYK transform failed");
    if (!ok && (ignored == NULL || idp_cmyk_xform_used_icc(x)))
        bug("a refused CMYK profile was used");
    for (i = 0; i < sizeof(cmyk); i++)
        cmyk[i] = (uint8_t)(i * 17);
    idp_cmyk_xform_row(x, cmyk, rgb, SIDE);
    idp_cmyk_xform_destroy(x);
    idp_image_destroy(img);
    idp_ctx_destroy(ctx);
    return 0;
}
