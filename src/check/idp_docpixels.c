/* The document's pixels the checks measure: on the grey copy, or again
 * on the decode's own pixels where the copy is too coarse for the blur
 * width (docs/checks.md, "Round 10: the checks"). */
#include "idp_docpixels.h"

#include "idp_detect.h"
#include "idp_measure.h"

#include <math.h>
#include <string.h>

/* A quad as const (C11 does not convert double (*)[2] implicitly). */
#define CQ(q) ((const double(*)[2])(q))

/* The document part of the grey copy to measure: the axis-aligned
 * rectangle inside the quad (exact pixels, so sharpness keeps its scale)
 * when it covers most of the document, else the quad straightened. */
idp_status idp_document_pixels(idp_ctx *ctx, const idp_image *grey, const double q[4][2],
                               idp_image **out)
{
    double xs[4], ys[4], ls, ss;
    idp_image *crop = NULL;
    idp_status st;

    *out = NULL;
    for (int i = 0; i < 4; i++) {
        xs[i] = q[i][0];
        ys[i] = q[i][1];
    }
    for (int i = 1; i < 4; i++) /* insertion sort, 4 values */
        for (int j = i; j > 0 && xs[j - 1] > xs[j]; j--) {
            const double t = xs[j];
            xs[j] = xs[j - 1];
            xs[j - 1] = t;
        }
    for (int i = 1; i < 4; i++)
        for (int j = i; j > 0 && ys[j - 1] > ys[j]; j--) {
            const double t = ys[j];
            ys[j] = ys[j - 1];
            ys[j - 1] = t;
        }
    idp_quad_sides(q, &ls, &ss);
    double x0 = fmax(xs[1], 0), x1 = fmin(xs[2], grey->width);
    double y0 = fmax(ys[1], 0), y1 = fmin(ys[2], grey->height);
    const double inset = 0.02 * ss;
    x0 += inset;
    x1 -= inset;
    y0 += inset;
    y1 -= inset;
    if (x1 - x0 >= 16 && y1 - y0 >= 16 && (x1 - x0) * (y1 - y0) >= 0.6 * ls * ss) {
        const uint32_t cx = (uint32_t)ceil(x0), cy = (uint32_t)ceil(y0);
        const uint32_t cw = (uint32_t)floor(x1) - cx, ch = (uint32_t)floor(y1) - cy;
        st = idp_image_create(ctx, cw, ch, 1, &crop);
        if (st != IDP_OK)
            return st;
        for (uint32_t y = 0; y < ch; y++)
            memcpy(crop->data + (size_t)y * cw, grey->data + (size_t)(cy + y) * grey->width + cx,
                   cw);
        *out = crop;
        return IDP_OK;
    }
    if (ls < 16 || ss < 16)
        return IDP_OK;
    return idp_warp_quad(ctx, grey, q, (uint32_t)ls, (uint32_t)ss, out);
}

/* The document at quad (img's pixels) in grey from img's own pixels: the
 * quad's bounding box cut out, turned grey (at most IDP_DOCUMENT_FINE_SIDE /
 * img's long side of its size) and measured as on the copy. *scale: the
 * result's pixels per img pixel; *out NULL when too small. */
idp_status idp_document_fine(idp_ctx *ctx, const idp_image *img, const double quad[4][2],
                             idp_image **out, double *scale)
{
    const uint32_t longest = img->width > img->height ? img->width : img->height;
    double x0 = img->width, y0 = img->height, x1 = 0, y1 = 0, q[4][2];
    idp_image *box = NULL, *grey = NULL;
    idp_status st;

    *out = NULL;
    *scale = 1.0;
    for (int i = 0; i < 4; i++) {
        x0 = fmin(x0, quad[i][0]);
        y0 = fmin(y0, quad[i][1]);
        x1 = fmax(x1, quad[i][0]);
        y1 = fmax(y1, quad[i][1]);
    }
    const uint32_t bx = (uint32_t)fmax(0, floor(x0)), by = (uint32_t)fmax(0, floor(y0));
    const uint32_t ex = (uint32_t)fmin(img->width, ceil(x1)),
                   ey = (uint32_t)fmin(img->height, ceil(y1));
    if (ex < bx + 16 || ey < by + 16)
        return IDP_OK;
    st = idp_image_create(ctx, ex - bx, ey - by, img->channels, &box);
    if (st != IDP_OK)
        return st;
    for (uint32_t y = by; y < ey; y++)
        memcpy(box->data + (size_t)(y - by) * idp_image_stride(box),
               img->data + (size_t)y * idp_image_stride(img) + (size_t)bx * img->channels,
               (size_t)(ex - bx) * img->channels);
    const uint32_t box_long = box->width > box->height ? box->width : box->height;
    const uint32_t side = longest > IDP_DOCUMENT_FINE_SIDE
                              ? (uint32_t)ceil((double)box_long * IDP_DOCUMENT_FINE_SIDE / longest)
                              : 0;
    st = idp_measure_grey(ctx, box, side, &grey);
    if (st == IDP_OK) {
        *scale = (double)grey->width / box->width;
        for (int i = 0; i < 4; i++) {
            q[i][0] = (quad[i][0] - bx) * *scale;
            q[i][1] = (quad[i][1] - by) * *scale;
        }
        st = idp_document_pixels(ctx, grey, CQ(q), out);
    }
    idp_image_destroy(box);
    idp_image_destroy(grey);
    return st;
}
