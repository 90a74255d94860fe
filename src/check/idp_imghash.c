/* The duplicate check's hash: a DCT sign hash (pHash family) of the
 * straightened document. Why these sizes: docs/checks.md, duplicate. */
#include "idp_imghash.h"

#include "idp_detect.h"
#include "idp_math.h"

#include <math.h>
#include <string.h>

#define WARP 256 /* the quad is sampled on WARP x WARP points ... */
#define GRID 32  /* ... then area-averaged to GRID x GRID cells */
#define FREQ 16  /* the FREQ x FREQ lowest frequencies are kept */

#if defined(__GNUC__) || defined(__clang__)
#define POPCOUNT64(x) ((unsigned)__builtin_popcountll(x))
#else
static unsigned POPCOUNT64(uint64_t x)
{
    unsigned n = 0;
    for (; x != 0; x &= x - 1)
        n++;
    return n;
}
#endif

static double side(const double a[2], const double b[2])
{
    return hypot(b[0] - a[0], b[1] - a[1]);
}

idp_status idp_hash_quad(idp_ctx *ctx, const idp_image *grey, const double quad[4][2],
                         idp_hash256 *out)
{
    double q[4][2], cell[GRID][GRID], rows[GRID][FREQ], cs[FREQ][GRID];
    idp_image *warped = NULL;
    idp_status st;
    const int f = WARP / GRID;

    memset(out, 0, sizeof(*out));
    /* landscape: TL->TR along a long side (a portrait quad turned a
     * quarter clockwise, its BL becoming TL) */
    if (side(quad[0], quad[1]) + side(quad[2], quad[3]) <
        side(quad[1], quad[2]) + side(quad[3], quad[0])) {
        for (int i = 0; i < 4; i++)
            memcpy(q[i], quad[(i + 3) % 4], sizeof(q[i]));
    } else {
        memcpy(q, quad, sizeof(q));
    }
    st = idp_warp_quad(ctx, grey, (const double(*)[2])q, WARP, WARP, &warped);
    if (st != IDP_OK)
        return st;
    for (int y = 0; y < GRID; y++)
        for (int x = 0; x < GRID; x++) {
            unsigned sum = 0;
            for (int j = 0; j < f; j++) {
                const uint8_t *p = warped->data + (size_t)(y * f + j) * WARP + (size_t)(x * f);
                for (int i = 0; i < f; i++)
                    sum += p[i];
            }
            cell[y][x] = sum / (double)(f * f);
        }
    idp_image_destroy(warped);
    /* DCT-II, separable; only the lowest FREQ frequencies each way */
    for (int u = 0; u < FREQ; u++)
        for (int x = 0; x < GRID; x++)
            cs[u][x] = cos(IDP_PI * (2 * x + 1) * u / (2.0 * GRID));
    for (int y = 0; y < GRID; y++)
        for (int u = 0; u < FREQ; u++) {
            double s = 0;
            for (int x = 0; x < GRID; x++)
                s += cell[y][x] * cs[u][x];
            rows[y][u] = s;
        }
    for (int v = 0; v < FREQ; v++)
        for (int u = 0; u < FREQ; u++) {
            double s = 0;
            const unsigned bit = (unsigned)(v * FREQ + u) - 1;
            if (u == 0 && v == 0) /* the mean: exposure, not content */
                continue;
            for (int y = 0; y < GRID; y++)
                s += rows[y][u] * cs[v][y];
            if (s > 0)
                out->w[bit / 64] |= (uint64_t)1 << (bit % 64);
        }
    return IDP_OK;
}

idp_status idp_hash_frame(idp_ctx *ctx, const idp_image *grey, idp_hash256 *out)
{
    const double w = grey->width, h = grey->height;
    const double q[4][2] = {{0, 0}, {w, 0}, {w, h}, {0, h}};

    return idp_hash_quad(ctx, grey, q, out);
}

unsigned idp_hash_distance(const idp_hash256 *a, const idp_hash256 *b)
{
    uint64_t odd[4] = {0, 0, 0, 0};
    unsigned same = 0, turned = 0;

    for (unsigned bit = 0; bit < IDP_HASH_BITS; bit++) {
        const unsigned k = bit + 1, u = k % FREQ, v = k / FREQ;
        if ((u + v) % 2 == 1)
            odd[bit / 64] |= (uint64_t)1 << (bit % 64);
    }
    for (int i = 0; i < 4; i++) {
        same += POPCOUNT64(a->w[i] ^ b->w[i]);
        turned += POPCOUNT64(a->w[i] ^ b->w[i] ^ odd[i]);
    }
    return same < turned ? same : turned;
}
