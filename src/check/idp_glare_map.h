/* idp_glare_map: where the glare the check counted is on the photo, for a
 * caller that marks it (idpack window): each specular region's bounding
 * box, measured on the straightened document (or the frame's grey copy),
 * carried back to the photo's upright full-size pixels. */
#ifndef IDP_GLARE_MAP_H
#define IDP_GLARE_MAP_H

#include "idp_glare.h"

#include <stddef.h>
#include <stdint.h>

/* One glare region on the photo: the four corners of its box (TL, TR, BR,
 * BL on the measured copy), in upright full-size pixels. */
typedef struct idp_glare_region {
    double quad[4][2];
} idp_glare_region;

/* Maps the specular blobs of g, measured on a copy mw x mh, to the photo
 * (w x h, upright full size). quad (TL, TR, BR, BL in photo pixels) is the
 * document the copy was straightened from, or NULL when the copy is the
 * whole frame scaled. The straightened copy is mapped bilinearly over the
 * quad: exact for a document seen square on, a few pixels off under a
 * strong perspective (enough to mark a region). Writes at most max regions
 * and returns how many it wrote. */
size_t idp_glare_map(const idp_glare *g, uint32_t mw, uint32_t mh, const double (*quad)[2],
                     uint32_t w, uint32_t h, idp_glare_region *out, size_t max);

#endif
