/* The document straightened: a bilinear warp of the quad onto a
 * rectangle, for the crop (idp_normalize), the document's measurements
 * (idp_check) and the orientation step (idp_upright). */
#include "idp_detect.h"

idp_status idp_warp_quad(idp_ctx *ctx, const idp_image *src, const double quad[4][2], uint32_t w,
                         uint32_t h, idp_image **out)
{
    idp_image *img = NULL;
    idp_status st;

    *out = NULL;
    st = idp_image_create(ctx, w, h, src->channels, &img);
    if (st != IDP_OK)
        return st;
    idp_warp_quad_into(src, quad, w, h, img->data);
    *out = img;
    return IDP_OK;
}

#if defined(__GNUC__) || defined(__clang__)
#define IDP_INLINE static inline __attribute__((always_inline))
#else
#define IDP_INLINE static inline
#endif

/* One output row of the warp; ch is a constant where it is inlined, so the
 * channel loop unrolls. Source coordinates in fixed point (1/1024 px):
 * one conversion per axis, the bilinear weights are its low bits. */
IDP_INLINE void warp_row(const idp_image *src, const double m[9], double Y, uint32_t w, uint32_t ch,
                         uint8_t *o)
{
    const size_t ss = idp_image_stride(src);
    const double xmax = (src->width - 1.0) * 1024.0, ymax = (src->height - 1.0) * 1024.0;
    /* the homography's terms are linear along a row: added up, not
     * multiplied out, with one division per pixel */
    double nx = m[0] * 0.5 + m[1] * Y + m[2], ny = m[3] * 0.5 + m[4] * Y + m[5];
    double den = m[6] * 0.5 + m[7] * Y + m[8];
    for (uint32_t i = 0; i < w; i++, nx += m[0], ny += m[3], den += m[6], o += ch) {
        const double r = 1024.0 / den;
        /* pixel centres at +0.5; rounded to the nearest 1/1024 */
        double x = nx * r - 511.5, y = ny * r - 511.5;
        x = x < 0 ? 0 : x > xmax ? xmax : x;
        y = y < 0 ? 0 : y > ymax ? ymax : y;
        const uint32_t X = (uint32_t)x, Yf = (uint32_t)y;
        const uint32_t xi = X >> 10, yi = Yf >> 10, fx = X & 1023u, fy = Yf & 1023u;
        const uint8_t *p = src->data + (size_t)yi * ss + (size_t)xi * ch;
        const size_t dx = xi + 1 < src->width ? ch : 0, dy = yi + 1 < src->height ? ss : 0;
        /* weights of the four neighbours, summing to 1 << 20 */
        const uint32_t w11 = fx * fy, w10 = (fx << 10) - w11, w01 = (fy << 10) - w11;
        const uint32_t w00 = (1u << 20) - w10 - w01 - w11;
        const uint8_t *q = p + dy;
        if (ch == 3) {
            o[0] =
                (uint8_t)((p[0] * w00 + p[dx] * w10 + q[0] * w01 + q[dx] * w11 + (1u << 19)) >> 20);
            o[1] = (uint8_t)((p[1] * w00 + p[dx + 1] * w10 + q[1] * w01 + q[dx + 1] * w11 +
                              (1u << 19)) >>
                             20);
            o[2] = (uint8_t)((p[2] * w00 + p[dx + 2] * w10 + q[2] * w01 + q[dx + 2] * w11 +
                              (1u << 19)) >>
                             20);
        } else {
            for (uint32_t c = 0; c < ch; c++)
                o[c] = (uint8_t)((p[c] * w00 + p[c + dx] * w10 + q[c] * w01 + q[c + dx] * w11 +
                                  (1u << 19)) >>
                                 20);
        }
    }
}

void idp_warp_quad_into(const idp_image *src, const double quad[4][2], uint32_t w, uint32_t h,
                        uint8_t *dst)
{
    double m[9];
    idp_quad_homography(quad, w, h, m);
    const uint32_t ch = src->channels;
    const size_t os = (size_t)w * ch;
    for (uint32_t j = 0; j < h; j++) {
        uint8_t *o = dst + (size_t)j * os;
        if (ch == 3)
            warp_row(src, m, j + 0.5, w, 3, o);
        else if (ch == 1)
            warp_row(src, m, j + 0.5, w, 1, o);
        else
            warp_row(src, m, j + 0.5, w, ch, o);
    }
}
