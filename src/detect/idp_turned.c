/* Round 18: a side of the returned outline on a surface's line that
 * crosses the document's edge at a slight angle, moved onto the edge
 * (docs/detection.md, "Round 18: quads just off the document"). */
#include "idp_detect_int.h"
#include "idp_evidence.h"
#include "idp_trace.h"

#include <math.h>
#include <string.h>

/* A side of the outline may lie on a line of the surface (a gingham row)
 * that crosses the document's edge at a slight angle: one end inside the
 * document, the other out on the surface. Round 12 moves such a side onto
 * another of the finder's lines; the look past a pattern leaves out the
 * direction bands the surface's rows fill, the edge's among them, so there
 * may be none. The edge is then read on the image itself: at each of
 * TURN_SAMPLES points along the side's middle (the refinement's 12-88 %),
 * the strongest colour step across it within TURN_REACH of the short side
 * either way. A long side off by d costs the quad about d / short side of
 * its IoU, so a side that alone keeps a quad under the 0.9 a quad must
 * reach is off by 10 % of the short side or more at an end; TURN_REACH
 * looks that far and a little more: round 11's SNAP_REACH, 6.5 mm on an
 * ID-1 card (the turned sides traced were 5-14 % off at the corners, up to
 * 12 % at the last samples; a side turned further is not read). The edge is
 * the line through the most of those steps (within TURN_TOL); it must hold
 * more than half of the samples in view (the surface's steps win where the
 * cloth beside the edge has the document's tone: half of a gingham's
 * squares; more than half, so that no other line can hold as many), and it
 * must cross the side with both ends at least TURN_MIN off it, one in and
 * one out: a printed line is parallel to the edge (round 12's reason), so a
 * line parallel to the side, or one end only moved, is print or the side
 * itself and not this. TURN_MIN is round 12's 2 px gap. The side moves onto
 * that line only when the quad's evidence holds at least as well as before:
 * the move may not make the outline less a document's; a quad whose edge
 * evidence alone is 0 (found through another reading: a covered corner, a
 * light side) has nothing to hold, and is left as it is.
 */
#define TURN_SAMPLES 48
#define TURN_REACH 0.12 /* of the short side, either way */
#define TURN_TOL 1.5    /* px (1000 px copy) off the line: a step's sub-pixel error and 1 px */
#define TURN_MIN 2.0    /* px (1000 px copy): round 12's least gap difference */
#define TURN_OFF_MAX 256

/* The strongest colour step across side p0-p1 (unit normal n) at t, in
 * [-reach, reach] (px), every s px (1 px of the 1000 px copy: the line
 * fit's tolerance is 1.5 px), between profile points s px apart; false
 * when none reaches IDP_STEP_MIN or the search leaves the image. */
static bool strongest_step(const idp_image *g, const double p0[2], const double p1[2],
                           const double n[2], double t, double reach, double s, double *off)
{
    const double x = p0[0] + t * (p1[0] - p0[0]), y = p0[1] + t * (p1[1] - p0[1]);
    const int nk = (int)(2 * reach / s) + 1;
    if (nk > TURN_OFF_MAX || nk < 3 || g->channels > 4)
        return false;
    double prev[4] = {0, 0, 0, 0}, best = 0;
    int kb = -1;
    for (int k = 0; k <= nk; k++) { /* profile point k at -reach + (k - 0.5) s */
        const double o = -reach + (k - 0.5) * s;
        double gv = 0;
        for (uint32_t c = 0; c < g->channels; c++) {
            const double v = idp_sample_bilinear(g, x + o * n[0], y + o * n[1], c);
            if (k > 0)
                gv = fmax(gv, fabs(v - prev[c]));
            prev[c] = v;
        }
        if (k > 0 && gv > best) {
            best = gv;
            kb = k - 1;
        }
    }
    if (kb < 0 || best < IDP_STEP_MIN)
        return false;
    *off = -reach + kb * s;
    return true;
}

/* The line through the most points (t[i], o[i]) within tol: o = a + b t,
 * tried through every pair of points; its inliers' least-squares line
 * into *a, *b. Returns the inliers. */
static int best_line(const double *t, const double *o, int n, double tol, double *a, double *b)
{
    int most = 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            if (t[j] - t[i] < 1e-9)
                continue;
            const double bb = (o[j] - o[i]) / (t[j] - t[i]), aa = o[i] - bb * t[i];
            int in = 0;
            for (int k = 0; k < n; k++)
                in += fabs(o[k] - (aa + bb * t[k])) <= tol;
            if (in > most) {
                most = in;
                *a = aa;
                *b = bb;
            }
        }
    if (most < 2)
        return 0;
    double st = 0, so = 0, stt = 0, sto = 0;
    int m = 0;
    const double a0 = *a, b0 = *b;
    for (int k = 0; k < n; k++)
        if (fabs(o[k] - (a0 + b0 * t[k])) <= tol) {
            st += t[k];
            so += o[k];
            stt += t[k] * t[k];
            sto += t[k] * o[k];
            m++;
        }
    const double den = m * stt - st * st;
    if (den > 1e-12) {
        *b = (m * sto - st * so) / den;
        *a = (so - *b * st) / m;
    }
    return most;
}

static bool crossing(const double a[2], const double b[2], const double c[2], const double d[2],
                     double p[2])
{
    const double r[2] = {b[0] - a[0], b[1] - a[1]}, s[2] = {d[0] - c[0], d[1] - c[1]};
    const double den = r[0] * s[1] - r[1] * s[0];
    if (fabs(den) < 1e-9)
        return false;
    const double u = ((c[0] - a[0]) * s[1] - (c[1] - a[1]) * s[0]) / den;
    p[0] = a[0] + u * r[0];
    p[1] = a[1] + u * r[1];
    return true;
}

bool idp_quad_turned_sides(const idp_image *g, double q[4][2], double dmin)
{
    const double s = idp_sample_scale(g);
    double ls, ss;
    idp_quad_sides(CQD(q), &ls, &ss);
    const double reach = TURN_REACH * ss;
    double cx = 0, cy = 0;
    for (int i = 0; i < 4; i++) {
        cx += q[i][0] / 4;
        cy += q[i][1] / 4;
    }
    idp_evidence ev;
    bool measured = false; /* ev: the evidence of q, read when first needed */
    bool moved = false;
    for (int i = 0; i < 4; i++) {
        const int b = (i + 1) % 4;
        const double p0[2] = {q[i][0], q[i][1]}, p1[2] = {q[b][0], q[b][1]};
        const double len = hypot(p1[0] - p0[0], p1[1] - p0[1]);
        if (len <= 0)
            continue;
        double n[2] = {-(p1[1] - p0[1]) / len, (p1[0] - p0[0]) / len};
        if (n[0] * (cx - p0[0]) + n[1] * (cy - p0[1]) < 0) { /* inward */
            n[0] = -n[0];
            n[1] = -n[1];
        }
        double t[TURN_SAMPLES], o[TURN_SAMPLES];
        int nt = 0, inview = 0;
        for (int k = 0; k < TURN_SAMPLES; k++) {
            const double tk = 0.12 + 0.76 * (k + 0.5) / TURN_SAMPLES;
            const double x = p0[0] + tk * (p1[0] - p0[0]), y = p0[1] + tk * (p1[1] - p0[1]);
            if (x - reach - 2 * s < 0 || y - reach - 2 * s < 0 || x + reach + 2 * s > g->width ||
                y + reach + 2 * s > g->height)
                continue;
            inview++;
            if (strongest_step(g, p0, p1, n, tk, reach, s, &o[nt])) {
                t[nt] = tk;
                nt++;
            }
        }
        if (inview < TURN_SAMPLES / 2)
            continue; /* too little of it in view to read */
        double a = 0, bb = 0;
        const int in = best_line(t, o, nt, TURN_TOL * s, &a, &bb);
        if (2 * in <= inview)
            continue;
        const double o0 = a + bb * 0.12, o1 = a + bb * 0.88;
        if (!(o0 * o1 < 0 && fabs(o0) >= TURN_MIN * s && fabs(o1) >= TURN_MIN * s))
            continue; /* not a line crossing the side */
        /* the new line through its points at t = 0 and 1; the corners
         * where it meets the neighbouring sides */
        const double e0[2] = {p0[0] + a * n[0], p0[1] + a * n[1]};
        const double e1[2] = {p1[0] + (a + bb) * n[0], p1[1] + (a + bb) * n[1]};
        double r[4][2];
        memcpy(r, q, sizeof(r));
        const int pa = (i + 3) % 4, nb = (b + 1) % 4;
        if (!crossing(q[pa], q[i], e0, e1, r[i]) || !crossing(e0, e1, q[b], q[nb], r[b]))
            continue;
        if (!measured) {
            idp_quad_evidence(g, CQD(q), dmin, &ev);
            measured = true;
        }
        idp_evidence ev2;
        idp_quad_evidence(g, CQD(r), dmin, &ev2);
        IDP_TRACE("detect: turned side %d: %d of %d in view on a line %.1f .. %.1f px, conf "
                  "%.3f -> %.3f\n",
                  i, in, inview, o0, o1, ev.confidence, ev2.confidence);
        if (ev.confidence <= 0 || ev2.confidence < ev.confidence)
            continue; /* no evidence to hold (a covered corner's, a light side's) */
        memcpy(q, r, sizeof(r));
        ev = ev2;
        moved = true;
    }
    return moved;
}
