/* Quad geometry of the document finder: the kinds' sizes, areas, the
 * homography onto a rectangle, IoU by convex clipping, the corner order
 * (step 8 of docs/detection.md, "Method") and the perspective-free aspect
 * (step 4). */
#include "idp_detect_int.h"

#include <string.h>

const char *idp_doc_kind_name(idp_doc_kind kind)
{
    switch (kind) {
    case IDP_DOC_ID1:
        return "id1";
    case IDP_DOC_ID3:
        return "id3";
    case IDP_DOC_UNKNOWN:
        break;
    }
    return "unknown";
}

double idp_doc_width_mm(idp_doc_kind kind)
{
    return kind == IDP_DOC_ID1 ? 85.60 : kind == IDP_DOC_ID3 ? 125.0 : 0.0;
}

double idp_doc_aspect(idp_doc_kind kind)
{
    return kind == IDP_DOC_ID1 ? ID1_ASPECT : kind == IDP_DOC_ID3 ? ID3_ASPECT : 0.0;
}

/* ------------------------------------------------------------------ */
/* quad geometry                                                        */

double idp_det_area(const double q[][2], int n)
{
    double s = 0;
    for (int i = 0; i < n; i++) {
        const int j = (i + 1) % n;
        s += q[i][0] * q[j][1] - q[j][0] * q[i][1];
    }
    return 0.5 * s;
}

void idp_quad_sides(const double quad[4][2], double *long_side, double *short_side)
{
    const double e0 = dist2(quad[0], quad[1]), e1 = dist2(quad[1], quad[2]);
    const double e2 = dist2(quad[2], quad[3]), e3 = dist2(quad[3], quad[0]);
    const double a = e0 > e2 ? e0 : e2, b = e1 > e3 ? e1 : e3;
    *long_side = a > b ? a : b;
    *short_side = a > b ? b : a;
}

void idp_quad_homography(const double quad[4][2], double w, double h, double m[9])
{
    const double x0 = quad[0][0], y0 = quad[0][1], x1 = quad[1][0], y1 = quad[1][1];
    const double x2 = quad[2][0], y2 = quad[2][1], x3 = quad[3][0], y3 = quad[3][1];
    const double sx = x0 - x1 + x2 - x3, sy = y0 - y1 + y2 - y3;
    double a, b, c, d, e, f, g = 0, hh = 0;

    if (fabs(sx) < 1e-9 && fabs(sy) < 1e-9) {
        a = x1 - x0;
        b = x3 - x0;
        d = y1 - y0;
        e = y3 - y0;
    } else {
        const double dx1 = x1 - x2, dx2 = x3 - x2, dy1 = y1 - y2, dy2 = y3 - y2;
        const double den = dx1 * dy2 - dx2 * dy1;
        if (fabs(den) > 1e-12) {
            g = (sx * dy2 - dx2 * sy) / den;
            hh = (dx1 * sy - sx * dy1) / den;
        }
        a = x1 - x0 + g * x1;
        b = x3 - x0 + hh * x3;
        d = y1 - y0 + g * y1;
        e = y3 - y0 + hh * y3;
    }
    c = x0;
    f = y0;
    if (w <= 0)
        w = 1;
    if (h <= 0)
        h = 1;
    m[0] = a / w;
    m[1] = b / h;
    m[2] = c;
    m[3] = d / w;
    m[4] = e / h;
    m[5] = f;
    m[6] = g / w;
    m[7] = hh / h;
    m[8] = 1;
}

/* Clips convex polygon p (n vertices, positive winding) by the half-plane
 * left of edge a->b; returns the new vertex count. */
static int clip_edge(double (*p)[2], int n, const double a[2], const double b[2], double (*out)[2])
{
    int m = 0;
    for (int i = 0; i < n; i++) {
        const double *s = p[i], *t = p[(i + 1) % n];
        const double ds = (b[0] - a[0]) * (s[1] - a[1]) - (b[1] - a[1]) * (s[0] - a[0]);
        const double dt = (b[0] - a[0]) * (t[1] - a[1]) - (b[1] - a[1]) * (t[0] - a[0]);
        if (ds >= 0) {
            out[m][0] = s[0];
            out[m][1] = s[1];
            m++;
        }
        if ((ds >= 0) != (dt >= 0) && m < 15) {
            const double k = ds / (ds - dt);
            out[m][0] = s[0] + k * (t[0] - s[0]);
            out[m][1] = s[1] + k * (t[1] - s[1]);
            m++;
        }
    }
    return m;
}

static void positive_copy(const double q[4][2], double out[4][2])
{
    const int rev = idp_det_area(q, 4) < 0;
    for (int i = 0; i < 4; i++) {
        out[i][0] = q[rev ? 3 - i : i][0];
        out[i][1] = q[rev ? 3 - i : i][1];
    }
}

double idp_quad_iou(const double a[4][2], const double b[4][2])
{
    double pa[4][2], pb[4][2], buf1[16][2], buf2[16][2];
    int n = 4;

    positive_copy(a, pa);
    positive_copy(b, pb);
    memcpy(buf1, pa, sizeof(pa));
    for (int i = 0; i < 4 && n > 0; i++) {
        n = clip_edge(buf1, n, pb[i], pb[(i + 1) % 4], buf2);
        memcpy(buf1, buf2, sizeof(buf2));
    }
    const double ai = n >= 3 ? fabs(idp_det_area(CQ(buf1), n)) : 0.0;
    const double aa = fabs(idp_det_area(CQ(pa), 4)), ab = fabs(idp_det_area(CQ(pb), 4));
    const double u = aa + ab - ai;
    return u > 0 ? ai / u : 0.0;
}

void idp_document_scale(idp_document *doc, double sx, double sy)
{
    for (int i = 0; i < 4; i++) {
        doc->quad[i][0] *= sx;
        doc->quad[i][1] *= sy;
    }
}

/* Orders a convex quad (any start, any winding) as TL, TR, BR, BL: positive
 * winding in image coordinates (clockwise on screen), TL->TR a long side,
 * pointing right (or straight down). */
void idp_det_canonical_order(double q[4][2])
{
    (void)idp_det_canonical_order_side(q, 0);
}

int idp_det_canonical_order_side(double q[4][2], int side)
{
    double p[4][2];
    const int rev = idp_det_area(CQ(q), 4) < 0;
    positive_copy(CQ(q), p);
    /* side i joins q[i] and q[i + 1]; reversed, p[3 - i] and p[2 - i] */
    if (rev)
        side = (6 - side) % 4;
    const double l02 = dist2(p[0], p[1]) + dist2(p[2], p[3]);
    const double l13 = dist2(p[1], p[2]) + dist2(p[3], p[0]);
    int s = l13 > l02 ? 1 : 0;
    const double dx = p[(s + 1) % 4][0] - p[s][0], dy = p[(s + 1) % 4][1] - p[s][1];
    if (!(dx > 0 || (dx == 0 && dy > 0)))
        s += 2;
    for (int i = 0; i < 4; i++) {
        q[i][0] = p[(s + i) % 4][0];
        q[i][1] = p[(s + i) % 4][1];
    }
    return (side - s + 4) % 4; /* q[k] is p[s + k] */
}

static void cross3(const double a[3], const double b[3], double out[3])
{
    out[0] = a[1] * b[2] - a[2] * b[1];
    out[1] = a[2] * b[0] - a[0] * b[2];
    out[2] = a[0] * b[1] - a[1] * b[0];
}

static double dot3(const double a[3], const double b[3])
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/* The true width/height of the rectangle seen as q (TL, TR, BR, BL), with
 * the principal point at (cx, cy): Zhang and He, "Whiteboard scanning and
 * image enhancement" (2007). The focal length comes from the quad when the
 * perspective is strong enough to tell it, else a phone-like nominal one
 * (it hardly matters then). */
static double true_aspect_f(const double q[4][2], double cx, double cy, double long_px,
                            double fixed_f)
{
    const double m1[3] = {q[0][0] - cx, q[0][1] - cy, 1}, m2[3] = {q[1][0] - cx, q[1][1] - cy, 1};
    const double m3[3] = {q[3][0] - cx, q[3][1] - cy, 1}, m4[3] = {q[2][0] - cx, q[2][1] - cy, 1};
    double c14[3], n2[3], n3[3];
    cross3(m1, m4, c14);
    const double d2 = dot3(c14, m3), d3 = dot3(c14, m2);
    double c24[3], c34[3];
    cross3(m2, m4, c24);
    cross3(m3, m4, c34);
    const double e2 = dot3(c24, m3), e3 = dot3(c34, m2);
    if (fabs(e2) < 1e-12 || fabs(e3) < 1e-12)
        return 0;
    const double k2 = d2 / e2, k3 = d3 / e3;
    for (int i = 0; i < 3; i++) {
        n2[i] = k2 * m2[i] - m1[i];
        n3[i] = k3 * m3[i] - m1[i];
    }
    double f2 = fixed_f * fixed_f * long_px * long_px;
    if (fixed_f <= 0 && fabs(n2[2] * n3[2]) > 1e-9) {
        f2 = PHONE_FOCAL * long_px * PHONE_FOCAL * long_px;
        const double est = -(n2[0] * n3[0] + n2[1] * n3[1]) / (n2[2] * n3[2]);
        if (est > 0.16 * long_px * long_px && est < 9.0 * long_px * long_px)
            f2 = est;
    }
    const double a2 = (n2[0] * n2[0] + n2[1] * n2[1]) / f2 + n2[2] * n2[2];
    const double a3 = (n3[0] * n3[0] + n3[1] * n3[1]) / f2 + n3[2] * n3[2];
    if (a3 <= 0 || a2 <= 0)
        return 0;
    const double r = sqrt(a2 / a3);
    return r >= 1 ? r : 1 / r;
}

/* The aspect with the focal length from the quad or with a phone-like
 * nominal one (PHONE_FOCAL x the long side), whichever is nearer a document's:
 * when the quad is nearly a parallelogram, noise decides the estimate. */
double idp_det_true_aspect(const double q[4][2], double cx, double cy, double long_px)
{
    static const double fs[] = {0, PHONE_FOCAL};
    double best = 0, bestd = HUGE_VAL;
    for (size_t i = 0; i < sizeof(fs) / sizeof(fs[0]); i++) {
        const double r = true_aspect_f(q, cx, cy, long_px, fs[i]);
        if (r <= 0)
            continue;
        const double d = fmin(fabs(log(r / ID1_ASPECT)), fabs(log(r / ID3_ASPECT)));
        if (d < bestd) {
            bestd = d;
            best = r;
        }
    }
    return best;
}

/* The far side of a rectangle seen from one side: c0 and c1 are the ends of
 * the side seen (b), u0 and u1 the image directions of the two sides
 * leaving it (away from b). The camera: principal point (cx, cy), focal
 * length f (px). The two sides' lines meet at the image of their direction
 * r1 in space (the cross product of the planes through the camera and each
 * line). b's own vanishing point cannot be read from one line, so b is
 * taken square to the line of sight (parallel to the image plane): the
 * document's plane holds r1 and b's image direction. b's ends are put on
 * that plane; idp_det_plane_far lays off ratio x |b| along r1 from them
 * and projects back. False when the geometry is degenerate (the sides'
 * lines one line). */
bool idp_det_plane_of(const double c0[2], const double c1[2], const double u0[2],
                      const double u1[2], double cx, double cy, double f, idp_det_plane *pl)
{
    const double p0[3] = {c0[0] - cx, c0[1] - cy, f}, p1[3] = {c1[0] - cx, c1[1] - cy, f};
    const double q0[3] = {p0[0] + u0[0], p0[1] + u0[1], f};
    const double q1[3] = {p1[0] + u1[0], p1[1] + u1[1], f};
    double m0[3], m1[3], r1[3], n[3];
    cross3(p0, q0, m0);
    cross3(p1, q1, m1);
    cross3(m0, m1, r1);
    const double nr = sqrt(dot3(r1, r1));
    if (!(nr > 1e-12 * sqrt(dot3(m0, m0) * dot3(m1, m1))))
        return false;
    for (int i = 0; i < 3; i++)
        r1[i] /= nr;
    /* r1 points the way the sides leave b: a small step along it from c0
     * moves c0's image along u0 */
    const double t = 1e-3 * sqrt(dot3(p0, p0));
    const double s[3] = {p0[0] + t * r1[0], p0[1] + t * r1[1], p0[2] + t * r1[2]};
    if (!(s[2] > 0))
        return false;
    if ((s[0] * f / s[2] - p0[0]) * u0[0] + (s[1] * f / s[2] - p0[1]) * u0[1] < 0)
        for (int i = 0; i < 3; i++)
            r1[i] = -r1[i];
    const double r2[3] = {c1[0] - c0[0], c1[1] - c0[1], 0};
    cross3(r1, r2, n);
    const double np0 = dot3(n, p0), np1 = dot3(n, p1);
    if (fabs(np1) < 1e-12 * sqrt(dot3(n, n) * dot3(p1, p1)))
        return false;
    double w = 0;
    for (int i = 0; i < 3; i++) {
        pl->p0[i] = p0[i];
        pl->b1[i] = p1[i] * np0 / np1; /* c1 on the plane through p0 */
        pl->r1[i] = r1[i];
        w += (pl->b1[i] - p0[i]) * (pl->b1[i] - p0[i]);
    }
    pl->w = sqrt(w);
    pl->cx = cx;
    pl->cy = cy;
    pl->f = f;
    return true;
}

bool idp_det_plane_far(const idp_det_plane *pl, double ratio, double e0[2], double e1[2])
{
    const double len = ratio * pl->w;
    double f0[3], f1[3];
    for (int i = 0; i < 3; i++) {
        f0[i] = pl->p0[i] + len * pl->r1[i];
        f1[i] = pl->b1[i] + len * pl->r1[i];
    }
    if (!(f0[2] > 1e-9 * pl->f && f1[2] > 1e-9 * pl->f))
        return false; /* behind the camera */
    e0[0] = pl->cx + pl->f * f0[0] / f0[2];
    e0[1] = pl->cy + pl->f * f0[1] / f0[2];
    e1[0] = pl->cx + pl->f * f1[0] / f1[2];
    e1[1] = pl->cy + pl->f * f1[1] / f1[2];
    return true;
}
