/* Glare regions carried back from the measured copy to the photo. */
#include "idp_glare_map.h"

/* The photo point of the copy's point (x, y). */
static void map_point(double x, double y, uint32_t mw, uint32_t mh, const double (*quad)[2],
                      uint32_t w, uint32_t h, double out[2])
{
    const double u = mw > 0 ? x / mw : 0, v = mh > 0 ? y / mh : 0;

    if (quad == NULL) {
        out[0] = u * w;
        out[1] = v * h;
        return;
    }
    for (int k = 0; k < 2; k++) {
        const double top = quad[0][k] + (quad[1][k] - quad[0][k]) * u;
        const double bottom = quad[3][k] + (quad[2][k] - quad[3][k]) * u;
        out[k] = top + (bottom - top) * v;
    }
}

size_t idp_glare_map(const idp_glare *g, uint32_t mw, uint32_t mh, const double (*quad)[2],
                     uint32_t w, uint32_t h, idp_glare_region *out, size_t max)
{
    size_t n = 0;

    for (size_t i = 0; i < g->n_blobs && i < IDP_GLARE_MAX_BLOBS && n < max; i++) {
        const idp_glare_blob *b = &g->blobs[i];
        /* the box's outer edges: pixel x1 ends at x1 + 1 */
        const double x0 = b->x0, y0 = b->y0, x1 = (double)b->x1 + 1, y1 = (double)b->y1 + 1;
        if (!b->specular)
            continue;
        map_point(x0, y0, mw, mh, quad, w, h, out[n].quad[0]);
        map_point(x1, y0, mw, mh, quad, w, h, out[n].quad[1]);
        map_point(x1, y1, mw, mh, quad, w, h, out[n].quad[2]);
        map_point(x0, y1, mw, mh, quad, w, h, out[n].quad[3]);
        n++;
    }
    return n;
}

double idp_glare_doc_area(bool found, idp_doc_kind kind, idp_mrz_format zone)
{
    const idp_doc_kind k = found && kind != IDP_DOC_UNKNOWN ? kind : IDP_DOC_ID1;
    const double w = idp_doc_width_mm(k);
    double area = w * w / idp_doc_aspect(k), least = 0;

    if (!found)
        return area;
    switch (zone) {
    case IDP_MRZ_TD2:
    case IDP_MRZ_MRVB:
        least = 105.0 * 74.0; /* ID-2 */
        break;
    case IDP_MRZ_MRVA:
        least = 120.0 * 80.0;
        break;
    case IDP_MRZ_TD3:
        least = 125.0 * 88.0; /* ID-3 */
        break;
    default: /* none, or TD1: an ID-1 card, the least there is */
        break;
    }
    return least > area ? least : area;
}
