/* idp_split: the documents on one scanned page (a scanner's A4 page with
 * the front and the back of a card side by side or one above the other). */
#ifndef IDP_SPLIT_H
#define IDP_SPLIT_H

#include "idp_image.h"

typedef struct idp_rect {
    uint32_t x, y, w, h;
} idp_rect;

typedef enum idp_split_result {
    IDP_SPLIT_ONE = 0, /* one content region: the page is one document */
    IDP_SPLIT_TWO,     /* two document-shaped regions apart: parts[0], parts[1] */
    IDP_SPLIT_UNSURE,  /* several regions that are not two documents */
    IDP_SPLIT_BLANK    /* nothing on the page */
} idp_split_result;

/* Looks for content on a light background in a 1 mm grid: projects it on
 * each axis and splits at blank bands at least IDP_SPLIT_GAP_MM wide.
 * Exactly two regions, each at least IDP_SPLIT_MIN_MM on both sides and of
 * a document's aspect (1.15 to 2.0) are two documents, given in reading
 * order (top first, else left first) with a margin of blank around each;
 * *regions is the number of regions found along the axis split. px_per_mm:
 * the page's scale (300 DPI: 11.81). */
#define IDP_SPLIT_GAP_MM 4
#define IDP_SPLIT_MIN_MM 35
idp_split_result idp_split_page(const idp_image *page, double px_per_mm, idp_rect parts[2],
                                unsigned *regions) IDP_NONNULL(1, 3, 4);

#endif
