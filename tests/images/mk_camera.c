/* idp_mkphotos (see mkphotos.c): the scene (a document on a table, seen
 * through a homography) and the camera (exposure, glare, sensor noise). */

#include <stdlib.h>
#include <string.h>

#include "mkphotos.h"

/* ------------------------------------------------------------------ */
/* the scene: a card on a table, seen through a homography            */

/* Signed distance (mm) to a rounded w x h outline; negative inside. */
static double doc_sdf(double u, double v, double w, double h, double r)
{
    const double qx = fabs(u - w / 2) - (w / 2 - r);
    const double qy = fabs(v - h / 2) - (h / 2 - r);
    const double ox = qx > 0 ? qx : 0, oy = qy > 0 ? qy : 0;
    return sqrt(ox * ox + oy * oy) + fmin(fmax(qx, qy), 0.0) - r;
}

/* Projective map of the unit square onto quad q (Heckbert), inverted. */
static void quad_inverse(double q[4][2], double m[9])
{
    const double x0 = q[0][0], y0 = q[0][1], x1 = q[1][0], y1 = q[1][1];
    const double x2 = q[2][0], y2 = q[2][1], x3 = q[3][0], y3 = q[3][1];
    const double dx1 = x1 - x2, dx2 = x3 - x2, dx3 = x0 - x1 + x2 - x3;
    const double dy1 = y1 - y2, dy2 = y3 - y2, dy3 = y0 - y1 + y2 - y3;
    const double den = dx1 * dy2 - dx2 * dy1;
    const double g = (dx3 * dy2 - dx2 * dy3) / den, h = (dx1 * dy3 - dx3 * dy1) / den;
    const double a = x1 - x0 + g * x1, b = x3 - x0 + h * x3, c = x0;
    const double d = y1 - y0 + g * y1, e = y3 - y0 + h * y3, f = y0;
    /* adjugate of [[a b c][d e f][g h 1]] */
    m[0] = e - f * h;
    m[1] = c * h - b;
    m[2] = b * f - c * e;
    m[3] = f * g - d;
    m[4] = a - c * g;
    m[5] = c * d - a * f;
    m[6] = d * h - e * g;
    m[7] = b * g - a * h;
    m[8] = a * e - b * d;
}

img *render(const scene *sc)
{
    const int W = sc->w, H = sc->h;
    const double base = fmin((double)W, 1.5 * H);
    const double su = 3000.0 / base; /* scene units per pixel */
    const double cw = sc->width * base, ch = cw * CARD_H / CARD_W;
    const double cx = sc->cx * W, cy = sc->cy * H;
    const double ca = cos(sc->angle), sa = sin(sc->angle);
    const double k = sc->keystone;
    const double corner[4][2] = {
        {-0.5 * (1 - k), -0.5}, {0.5 * (1 - k), -0.5}, {0.5, 0.5}, {-0.5, 0.5}};
    double q[4][2];
    for (int i = 0; i < 4; i++) {
        const double px = corner[i][0] * cw, py = corner[i][1] * ch;
        q[i][0] = cx + px * ca - py * sa;
        q[i][1] = cy + px * sa + py * ca;
    }
    double DW = sc->page ? PAGE_W : CARD_W, DH = sc->page ? PAGE_H : CARD_H;
    double DR = sc->page ? PAGE_R : CARD_R;
    if (sc->doc_w > 0) {
        DW = sc->doc_w;
        DH = sc->doc_h;
        DR = sc->doc_r;
    }
    double mmpp = CARD_W / cw; /* mm per pixel, roughly */
    if (sc->use_quad) {
        memcpy(q, sc->quad, sizeof(q));
        mmpp = DW / hypot(q[1][0] - q[0][0], q[1][1] - q[0][1]);
    }
    double m[9];
    quad_inverse(q, m);

    /* the table, on a coarse grid (it is smooth), bilinear in between */
    const int gs = 4, gw = W / gs + 2, gh = H / gs + 2;
    float *grid = xmalloc((size_t)gw * (size_t)gh * 3 * sizeof(float));
    const rgb wood = {150, 102, 62}, cloth = {78, 92, 112};
    static const rgb busy[5] = {
        {190, 60, 50}, {240, 226, 200}, {40, 90, 60}, {210, 170, 60}, {30, 40, 80}};
    for (int gy = 0; gy < gh; gy++)
        for (int gx = 0; gx < gw; gx++) {
            const double X = gx * gs * su, Y = gy * gs * su;
            rgb c;
            if (sc->cloth == 2) { /* busy: a printed fabric of blotches and stripes */
                const double n = fbm(X * 0.006, Y * 0.006, sc->seed + 29);
                c = busy[(int)(n * 13.0) % 5];
                if (fmod(fabs(X * 0.7 + Y * 0.45), 160.0) < 28.0)
                    c = (rgb){c.r * 0.55, c.g * 0.55, c.b * 0.55};
            } else if (sc->cloth == 3) { /* plain dark desk */
                const double f = 0.95 + 0.1 * fbm(X * 0.001, Y * 0.001, sc->seed + 31);
                c = (rgb){52 * f, 54 * f, 60 * f};
            } else if (sc->cloth == 4) { /* plain light desk */
                const double f = 0.95 + 0.1 * fbm(X * 0.001, Y * 0.001, sc->seed + 37);
                c = (rgb){186 * f, 180 * f, 170 * f};
            } else if (!sc->cloth) {
                const double warp = fbm(X * 0.0015, Y * 0.006, sc->seed + 11) * 60.0;
                const double rings = sin((Y + warp) * 0.085);
                const double blot = fbm(X * 0.004, Y * 0.02, sc->seed + 17);
                const double f = 0.80 + 0.08 * rings + 0.22 * blot;
                c = (rgb){wood.r * f, wood.g * f, wood.b * f * 0.95};
            } else {
                const double blot = fbm(X * 0.002, Y * 0.002, sc->seed + 23);
                const double f = 0.82 + 0.3 * blot;
                c = (rgb){cloth.r * f, cloth.g * f, cloth.b * f};
            }
            float *g = grid + ((size_t)gy * (size_t)gw + (size_t)gx) * 3;
            g[0] = (float)c.r;
            g[1] = (float)c.g;
            g[2] = (float)c.b;
        }
    /* per-row/column fine structure: wood fibres or cloth weave */
    double *fx = xmalloc((size_t)W * sizeof(double)), *fy = xmalloc((size_t)H * sizeof(double));
    for (int x = 0; x < W; x++)
        fx[x] = sc->cloth ? sin(x * su * 0.75) : 0.0;
    for (int y = 0; y < H; y++)
        fy[y] = sc->cloth ? sin(y * su * 0.75)
                          : 0.06 * (hash2(0, (int32_t)(y * su / 3.0), sc->seed) - 0.5);

    img *out = img_new(W, H, 3);
    for (int y = 0; y < H; y++) {
        const double py = y + 0.5;
        const int gy = y / gs;
        const double ty = (double)(y % gs) / gs;
        for (int x = 0; x < W; x++) {
            const double px = x + 0.5;
            const double den = m[6] * px + m[7] * py + m[8];
            const double u = (m[0] * px + m[1] * py + m[2]) / den * DW;
            const double v = (m[3] * px + m[4] * py + m[5]) / den * DH;
            const double sdf = sc->no_card ? 1e9 : doc_sdf(u, v, DW, DH, DR);
            const double cov = clampd(0.5 - sdf / mmpp, 0, 1);
            rgb col = {0, 0, 0};
            if (cov < 1) {
                const int gx = x / gs;
                const double tx = (double)(x % gs) / gs;
                const float *g00 = grid + ((size_t)gy * (size_t)gw + (size_t)gx) * 3;
                const float *g10 = g00 + 3, *g01 = g00 + (size_t)gw * 3, *g11 = g01 + 3;
                double c3[3];
                for (int i = 0; i < 3; i++) {
                    const double top = (double)g00[i] + ((double)g10[i] - (double)g00[i]) * tx;
                    const double bot = (double)g01[i] + ((double)g11[i] - (double)g01[i]) * tx;
                    c3[i] = top + (bot - top) * ty;
                }
                double fine = sc->cloth == 1   ? 1.0 + 0.05 * fx[x] * fy[y]
                              : sc->cloth == 0 ? 1.0 + fy[y]
                                               : 1.0;
                /* the card's soft shadow, cast down and to the right */
                const double sh =
                    sc->no_card
                        ? 1.0
                        : 1.0 - 0.45 * (1.0 - smoothstep(-2.5, 2.5,
                                                         doc_sdf(u - 1.4, v - 1.8, DW, DH, DR)));
                fine *= sh;
                col = (rgb){c3[0] * fine, c3[1] * fine, c3[2] * fine};
            }
            if (cov > 0) {
                const rgb cc = card_colour(sc->d, u, v, sc->specimen);
                col = mix(col, cc, cov);
            }
            /* light falls off away from the upper left */
            const double nx = px / W - 0.35, ny = py / H - 0.3;
            double light = 1.0 - 0.16 * (nx * nx + ny * ny);
            if (sc->shadow > 0) /* e.g. the phone's shadow: a hard edge across the lower left */
                light *= 1.0 - sc->shadow * smoothstep(-0.01, 0.01, py / H - 0.45 - 0.6 * px / W);
            uint8_t *o = out->px + ((size_t)y * (size_t)W + (size_t)x) * 3;
            o[0] = to_u8(col.r * light);
            o[1] = to_u8(col.g * light);
            o[2] = to_u8(col.b * light);
        }
    }
    free(fx);
    free(fy);
    free(grid);
    img_soften(out);
    return out;
}

/* ------------------------------------------------------------------ */
/* the camera: exposure, glare, sensor noise                          */

static double glare_add(double dx, double dy, double r)
{
    const double d2 = (dx * dx) / (1.3 * 1.3) + dy * dy;
    const double rr = d2 / (r * r);
    if (rr > 16.0)
        return 0.0;
    return rr < 1.0 ? 400.0 : 400.0 * exp(-(sqrt(rr) - 1.0) * 3.0);
}

/* Radius of the glare blob whose clipped (luma >= 250) share is g->share. */
static double glare_radius(const img *src, const glare *g)
{
    const double cx = g->cx * src->w, cy = g->cy * src->h;
    double lo = 1, hi = src->w;
    for (int it = 0; it < 24; it++) {
        const double r = 0.5 * (lo + hi);
        size_t clipped = 0, total = 0;
        for (int y = 2; y < src->h; y += 4)
            for (int x = 2; x < src->w; x += 4) {
                const uint8_t *p = src->px + ((size_t)y * (size_t)src->w + (size_t)x) * 3;
                total++;
                if (luma(p) + glare_add(x - cx, y - cy, r) >= 250.0)
                    clipped++;
            }
        if ((double)clipped / (double)total < g->share)
            lo = r;
        else
            hi = r;
    }
    return 0.5 * (lo + hi);
}

/* A photo from a clean render: exposure, glare, noise (luma sigma). */
img *camera(const img *src, tone t, const glare *g, double sigma, uint64_t seed)
{
    img *out = img_new(src->w, src->h, t == TONE_GREY ? 1 : 3);
    double r = 0, gcx = 0, gcy = 0;
    if (g && g->share > 0) {
        r = glare_radius(src, g);
        gcx = g->cx * src->w;
        gcy = g->cy * src->h;
    }
    /* one 64-bit draw per pixel: luma noise from three 12-bit uniforms
     * (Irwin-Hall, close to gaussian), chroma noise from three bytes */
    const double nscale = sigma / 2048.0, cscale = sigma / 256.0;
    const int dark = t == TONE_DARK, bright = t == TONE_BRIGHT, grey = t == TONE_GREY;
    uint64_t st = seed;
    for (int y = 0; y < src->h; y++)
        for (int x = 0; x < src->w; x++) {
            const size_t i = (size_t)y * (size_t)src->w + (size_t)x;
            const uint8_t *p = src->px + i * 3;
            const double Y = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
            double c0 = p[0], c1 = p[1], c2 = p[2];
            if (dark || bright) {
                const double Yn = dark ? 4.0 + Y * 0.11 : 232.0 + 12.0 * (Y / 230.0);
                const double s = dark ? 0.3 : 0.35;
                c0 = Yn + (c0 - Y) * s;
                c1 = Yn + (c1 - Y) * s;
                c2 = Yn + (c2 - Y) * s;
            }
            const double add = r > 0 ? glare_add(x - gcx, y - gcy, r) : 0.0;
            const uint64_t rnd = splitmix64(&st);
            const double n =
                ((double)((rnd & 0xFFFu) + ((rnd >> 12) & 0xFFFu) + ((rnd >> 24) & 0xFFFu)) -
                 6142.5) *
                nscale;
            /* clipped: the sensor's full well, still a little noisy */
            const double clip = 255.0 - fabs(n) * 0.6;
            if (grey) {
                const double v = Y + add;
                out->px[i] = to_u8(v >= 255.0 ? clip : v + n);
                continue;
            }
            uint8_t *o = out->px + i * 3;
            double v = c0 + add;
            v = v >= 255.0 ? clip : v + n + ((double)((rnd >> 40) & 0xFFu) - 127.5) * cscale;
            o[0] = (uint8_t)(v <= 0.0 ? 0 : (v >= 255.0 ? 255 : (int)(v + 0.5)));
            v = c1 + add;
            v = v >= 255.0 ? clip : v + n + ((double)((rnd >> 48) & 0xFFu) - 127.5) * cscale;
            o[1] = (uint8_t)(v <= 0.0 ? 0 : (v >= 255.0 ? 255 : (int)(v + 0.5)));
            v = c2 + add;
            v = v >= 255.0 ? clip : v + n + ((double)((rnd >> 56) & 0xFFu) - 127.5) * cscale;
            o[2] = (uint8_t)(v <= 0.0 ? 0 : (v >= 255.0 ? 255 : (int)(v + 0.5)));
        }
    return out;
}

/* A grey image as 3 equal channels (a black-and-white photo). */
img *grey_to_rgb(const img *g)
{
    img *out = img_new(g->w, g->h, 3);
    for (size_t i = 0; i < (size_t)g->w * (size_t)g->h; i++)
        out->px[i * 3] = out->px[i * 3 + 1] = out->px[i * 3 + 2] = g->px[i];
    return out;
}
