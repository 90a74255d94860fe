/* A side's step read against the noise beside it (docs/detection.md,
 * "Round 17: light documents judged"). The evidence's contrast
 * (idp_evidence.c) compares the strips 2-7 % of the short side inside and
 * outside a side, in units of their spread: a light card on a printed
 * letter or a white desk with print beside it differs from the paper by
 * a few levels while the letter's text, and the card's own print, spread
 * both strips by tens, so its real edge reads 0.4-0.8 where 1.5 is full.
 * Here the side is read where its edge is, as the light side was found
 * (idp_lightside.c): the step across it (1.5 and 3 px each way, the
 * channel where it is largest), along its whole length, against the same
 * step read on lines parallel to it just beside it (the surface beyond,
 * the document's margin within: the quieter one). */
#include "idp_evidence.h"
#include "idp_trace.h"
#include "idp_stats.h"

#include <stdlib.h>
#include <string.h>

#define SC_SAMPLES 40 /* along the side, over 5..95 % (the evidence's support) */
#define SC_REACH 2    /* each sample's step: the best within +-2 px (the support's reach) */
/* the lines beside it, this far out and in (px on the ~1000 px image):
 * past the side's own samples (SC_REACH + 3 px) and, as the light side's
 * rows, a soft drop shadow's 4-6 px */
#define SC_NEAR 6.0
#define SC_FAR 10.0
/* the noise level is never taken under this (levels): a flat field's
 * JPEG noise on the ~1000 px image reads 1-2 levels as a best-of-five
 * step */
#define SC_NOISE_MIN 2.0

/* the largest step of each sign within +-SC_REACH px of (x, y) */
static void steps_near(const idp_image *g, double x, double y, const double n[2], double s,
                       double *pos, double *neg)
{
    *pos = *neg = 0;
    for (int k = -SC_REACH; k <= SC_REACH; k++) {
        const double d = idp_step_across(g, x + k * s * n[0], y + k * s * n[1], n[0], n[1], s);
        *pos = fmax(*pos, d);
        *neg = fmax(*neg, -d);
    }
}

bool idp_side_step_read(const idp_image *g, const double p0[2], const double p1[2],
                        const double n[2], idp_step_read *out)
{
    memset(out, 0, sizeof(*out));
    const double s = idp_sample_scale(g);
    double pos[SC_SAMPLES], neg[SC_SAMPLES], beside[2][2 * SC_SAMPLES];
    int in = 0, nb[2] = {0, 0};
    for (int k = 0; k < SC_SAMPLES; k++) {
        const double t = 0.05 + 0.9 * (k + 0.5) / SC_SAMPLES;
        const double x = p0[0] + t * (p1[0] - p0[0]), y = p0[1] + t * (p1[1] - p0[1]);
        if (!idp_in_view(g, x, y, (SC_FAR + 5) * s))
            continue;
        steps_near(g, x, y, n, s, &pos[in], &neg[in]);
        in++;
        for (int w = 0; w < 2; w++) /* 0: outside, 1: inside */
            for (int r = 0; r < 2; r++) {
                const double off = (w == 0 ? 1 : -1) * (r == 0 ? SC_NEAR : SC_FAR) * s;
                double a, b;
                steps_near(g, x + off * n[0], y + off * n[1], n, s, &a, &b);
                beside[w][nb[w]++] = fmax(a, b);
            }
    }
    if (in < SC_SAMPLES * 3 / 10) /* the evidence's side in view */
        return false;
    double sp[SC_SAMPLES], sn[SC_SAMPLES];
    memcpy(sp, pos, sizeof(sp));
    memcpy(sn, neg, sizeof(sn));
    const double mp = idp_median(sp, (size_t)in), mn = idp_median(sn, (size_t)in);
    out->polarity = mp >= mn ? 1 : -1;
    out->step = fmax(mp, mn);
    out->opposite = fmin(mp, mn);
    const double qo = idp_median(beside[0], (size_t)nb[0]),
                 qi = idp_median(beside[1], (size_t)nb[1]);
    out->noise = fmax(SC_NOISE_MIN, fmin(qo, qi));
    out->noise_out = qo;
    out->noise_in = qi;
    int hit = 0;
    for (int k = 0; k < in; k++)
        hit += (out->polarity > 0 ? pos[k] : neg[k]) >= 2 * out->noise;
    out->share = (double)hit / in;
    out->ratio = out->step / out->noise;
    return true;
}

/* The light side of a light-look quad (the one side none of the U's
 * lines holds, found by its steps) whose strips do not tell it (contrast
 * under CONTRAST_FULL) is the document's edge by its step when
 * - the step's median along the side is at least SC_RATIO times the noise
 *   level beside it: the median |x| of normal noise is 0.674 sigma, so
 *   4 times it is 2.7 sigma, which a noise sample passes with p = 0.007
 *   and the median of 12 or more of them (30 % of the side in view) never;
 * - and the step holds along the side: at least SC_SHARE of its samples
 *   reach twice the noise with the side's polarity (LIGHT_SUPPORT, what
 *   the light side itself needs to be found): one straight step over the
 *   whole side, not a few strong pieces of print on a faint line.
 * Such a side's contrast is taken as full: what it would read if the
 * strips beside it were not spread by print. Only the light side: the
 * U's three sides are lines of the edge map, judged as any quad's; a box
 * printed near a page's edge (a passport page's portrait) closes U's
 * with a side on the page's edge, and its strips are all that refuse it
 * (docs/detection.md gives the readings). */
#define SC_RATIO 4.0
#define SC_SHARE 0.70
#define SC_CONTRAST_FULL 1.5 /* the evidence's CONTRAST_FULL */

void idp_evidence_light(const idp_image *img, const double quad[4][2], unsigned sides,
                        idp_evidence *ev)
{
    double cx = 0, cy = 0;
    for (int i = 0; i < 4; i++) {
        cx += quad[i][0] / 4;
        cy += quad[i][1] / 4;
    }
    for (int i = 0; i < 4; i++) {
        const double *p0 = quad[i], *p1 = quad[(i + 1) % 4];
        const double len = hypot(p1[0] - p0[0], p1[1] - p0[1]);
        double n[2] = {-(p1[1] - p0[1]) / len, (p1[0] - p0[0]) / len};
        if (n[0] * ((p0[0] + p1[0]) / 2 - cx) + n[1] * ((p0[1] + p1[1]) / 2 - cy) < 0) {
            n[0] = -n[0];
            n[1] = -n[1];
        }
        idp_step_read r;
        if (!(sides & (1u << i)) || ev->contrast[i] < 0 || ev->contrast[i] >= SC_CONTRAST_FULL ||
            !idp_side_step_read(img, p0, p1, n, &r))
            continue;
        const bool edge = r.ratio >= SC_RATIO && r.share >= SC_SHARE;
        IDP_TRACE(
            "detect: light step side %d edge %d con %.2f sup %.2f pol %d step %.1f opp %.1f noise "
            "%.1f (out %.1f in %.1f) share %.2f ratio %.2f\n",
            i, edge, ev->contrast[i], ev->support[i], r.polarity, r.step, r.opposite, r.noise,
            r.noise_out, r.noise_in, r.share, r.ratio);
        if (edge && ev->confidence > 0)
            idp_evidence_set_contrast(ev, i, SC_CONTRAST_FULL);
    }
}
