/* idp_colour: colour management with Little CMS (lcms2). */
#ifndef IDP_COLOUR_H
#define IDP_COLOUR_H

#include "idp_image.h"

#include <stdbool.h>

/* Converts an RGB image in place from the embedded ICC profile to sRGB.
 * *converted is false (and img untouched) when the profile is sRGB-like,
 * not an RGB profile, or unusable; that is not an error. The profile is
 * judged first (idp_icc_judge): when it is refused, *ignored is the static
 * reason and lcms never reads it; otherwise *ignored is NULL. */
idp_status idp_colour_to_srgb(idp_ctx *ctx, idp_image *img, const uint8_t *icc, size_t icc_len,
                              bool *converted, const char **ignored) IDP_WUR
    IDP_NONNULL(1, 2, 5, 6);

/* Converts 8-bit CMYK samples (4 per pixel, `inverted` as Adobe writes
 * them: 255 = no ink) of one row to RGB. With a CMYK ICC profile (icc may
 * be NULL) lcms does it; otherwise the plain formula. A profile refused by
 * idp_icc_judge is not used: *ignored is then its reason, else NULL. */
typedef struct idp_cmyk_xform idp_cmyk_xform;
idp_status idp_cmyk_xform_create(idp_ctx *ctx, const uint8_t *icc, size_t icc_len, bool inverted,
                                 idp_cmyk_xform **out, const char **ignored) IDP_WUR
    IDP_NONNULL(1, 5, 6);
void idp_cmyk_xform_row(const idp_cmyk_xform *x, const uint8_t *cmyk, uint8_t *rgb, uint32_t n);
bool idp_cmyk_xform_used_icc(const idp_cmyk_xform *x);
void idp_cmyk_xform_destroy(idp_cmyk_xform *x);

#endif
