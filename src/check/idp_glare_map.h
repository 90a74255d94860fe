/* idp_glare_map: where the glare the check counted is on the photo, for a
 * caller that marks it (idpack window): each specular region's bounding
 * box, measured on the straightened document (or the frame's grey copy),
 * carried back to the photo's upright full-size pixels. */
#ifndef IDP_GLARE_MAP_H
#define IDP_GLARE_MAP_H

#include "idp_detect.h"
#include "idp_glare.h"
#include "idp_mrz.h"

#include <stdbool.h>

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

/* The area in mm^2 of the document the glare limits are shares of
 * (docs/checks.md, "glare"): the found document's kind (an ID-1 card when
 * none is found), or the least size its machine-readable zone allows when
 * that is larger (zone: IDP_MRZ_NONE when none was read). The zone's lines
 * (ICAO 9303 parts 4-7: 2 x 36 characters are printed on ID-2 documents
 * and MRV-B visas, 2 x 44 on ID-3 pages and MRV-A visas) can lose
 * characters to a reader but never gain any, so a zone longer than the
 * kind allows means a larger document than the outline says; never a
 * smaller one: the outline may be right (round 9). */
double idp_glare_doc_area(bool found, idp_doc_kind kind, idp_mrz_format zone);

#endif
