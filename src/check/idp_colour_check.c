/* Is the photo in colour? A black-and-white photo has no chroma; a sepia,
 * cyanotype or duotone print has chroma, but it is a function of luma:
 * every pixel of the same brightness has the same tint. A colour photo,
 * even of a mostly grey document, has somewhere a colour that its
 * brightness does not predict (a skin-tone portrait beside grey print of
 * the same luma, a red seal, a wooden desk around a grey card).
 *
 * So: sample the pixels on a grid; for each of 32 luma bands take the mean
 * chroma of its samples (the "tone curve"); count the samples whose chroma
 * is far from their band's. Two counts, the larger is the measure:
 * - smooth samples (luma within 6 levels of the neighbours 2 px away),
 *   against the smooth samples' tone curve, more than IDP_COLOUR_NOISE
 *   off: sensitive, for the colour of flat areas (a portrait's skin, a
 *   seal, a desk);
 * - every sample, against every sample's tone curve, more than 3 x
 *   IDP_COLOUR_NOISE off: JPEG halves the chroma resolution, so at an edge
 *   the chroma of a toned photo lags its luma by up to the tone's own
 *   chroma and looks like a second colour; 18 units is beyond what the
 *   toned photos measured reach (docs/checks.md), and counts the colour
 *   of fine print and guilloche that has no smooth area. */
#include "idp_colour_check.h"
#include "idp_math.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define BANDS 32        /* luma bands of 8 levels */
#define SMOOTH_LEVELS 6 /* a smooth sample: its neighbours within 6 levels */
#define MAX_SAMPLES 120000u
#define MIN_SMOOTH 1000u /* fewer smooth samples: no smooth share */
#define EDGE_FACTOR 3.0  /* any sample: 3 x IDP_COLOUR_NOISE from its band's chroma */
/* A channel this high is clipped (JPEG brings a clipped 255 back within
 * about 2 levels in flat areas): its chroma is no longer what the scene or
 * a toning gave it (a sepia white clips red first and turns yellow, the
 * synthetic sepia.jpg: 0.31 % of its smooth samples off, 0.005 % without
 * the clipped ones), so it is not measured. */
#define CLIPPED 253
#define LIT_BAND 4    /* luma >= 32: bright enough to show a colour (docs/checks.md) */
#define HUE_MIN_N 50u /* a band's mean chroma from at least 50 samples */
/* a band's mean chroma carries a hue when it is 3 units from neutral: the
 * mean of >= 50 samples is within about 1 unit of the true chroma (8-bit
 * rounding, JPEG quantisation; the grey photos measured: bands within
 * 0.1), which turns a 3-unit chroma by 20 degrees at most, 40 for two
 * bands */
#define HUE_MIN_CHROMA 3.0
#define HUE_APART 60.0 /* degrees: beyond the 40 that errors can turn two bands apart */
/* A toning's own hue drifts along its curve by at most TONE_DRIFT degrees
 * (the sepia and cyanotype photos measured: within 25 degrees of each
 * other, docs/checks.md), once the shoulder of the tone curve is left out:
 * a sample with a channel at NEAR_CLIP or above bends towards the clipped
 * channel's colour (a sepia white turns yellow as its red nears 255: 142
 * -> 165 degrees at luma 232-247). Two bands of such samples are of two
 * hues when they lie further apart than that drift and what the error of
 * each band's mean (HUE_ERR units, as above) can turn its hue: asin(1 /
 * chroma), 19.5 degrees at 3 units, 1.4 at 40. A maroon cover (100
 * degrees, 42 units) with gold print (152, 50) on a black desk: 52 degrees
 * apart, over 25 + 2.5. */
#define TONE_DRIFT 25.0
#define NEAR_CLIP 240
#define HUE_ERR 1.0

/* The tint of smooth blocks (docs/checks.md, "colour", "tinted blocks"):
 * blocks of 8 x 8 pixels, every pixel unclipped and lit, whose luma spans
 * at most 40 levels (no print edge, where JPEG's halved chroma lags the
 * luma), and whose mean chroma is more than 3 units from the mean chroma
 * their pixels' luma predicts. A block's mean holds 16 independent chroma
 * values (4:2:0), so its noise is the 6-unit floor / 4 = 1.5 units; 3 is
 * twice that. */
#define TINT_BLOCK 8
#define TINT_RANGE 40
#define TINT_UNITS 3.0
#define TINT_MIN_BLOCKS 50u /* fewer lit smooth blocks measured: no share */
/* ... and at least 3 blocks tinted, an area, not one block: the toned
 * photos measured tint at most 0.61 % of their blocks (docs/checks.md), so
 * among the fewest blocks judged (50) they tint 0.3 on average; one
 * block then comes 26 % of the time (1.7 % of 50 is under one block), 3 or
 * more 0.4 % (Poisson). */
#define TINT_MIN_TINTED 3u

/* BT.601 luma in 16-bit fixed point. */
static inline int32_t luma(const uint8_t *p)
{
    return (int32_t)((19595u * p[0] + 38470u * p[1] + 7471u * p[2] + 32768u) >> 16);
}

typedef struct band {
    double cb, cr; /* sums, then means */
    uint64_t n;
} band;

/* One sample: its luma band, chroma (Cb, Cr times 256) and whether it is
 * smooth. */
typedef struct sample {
    int32_t cb, cr;
    uint32_t band;
    int smooth;
    int clipped;   /* a channel at CLIPPED or above */
    int near_clip; /* a channel at NEAR_CLIP or above */
} sample;

static inline sample sample_at(const idp_image *rgb, size_t stride, uint32_t x, uint32_t y)
{
    const uint8_t *p = rgb->data + (size_t)y * stride + (size_t)x * 3;
    const int32_t l = luma(p);
    sample s;
    int32_t d = 0, t;

    s.cb = -43 * p[0] - 85 * p[1] + 128 * p[2];
    s.cr = 128 * p[0] - 107 * p[1] - 21 * p[2];
    s.band = (uint32_t)l * BANDS / 256u;
    s.clipped = p[0] >= CLIPPED || p[1] >= CLIPPED || p[2] >= CLIPPED;
    s.near_clip = p[0] >= NEAR_CLIP || p[1] >= NEAR_CLIP || p[2] >= NEAR_CLIP;
    t = abs(luma(p - 6) - l);
    d = t > d ? t : d;
    t = abs(luma(p + 6) - l);
    d = t > d ? t : d;
    t = abs(luma(p - 2 * stride) - l);
    d = t > d ? t : d;
    t = abs(luma(p + 2 * stride) - l);
    d = t > d ? t : d;
    s.smooth = d <= SMOOTH_LEVELS;
    return s;
}

/* Toned photos give every band one hue (the toning's, more or less
 * saturated); a colour photo whose colours lie at different brightness (a
 * green cover with gold print on a grey desk) gives bands of different
 * hues. The share of the samples in bands whose hue is apart from the
 * hue of the most populous hued band: more than HUE_APART, or (tight)
 * more than TONE_DRIFT and the two bands' errors. */
static double band_hue_err(const band *b)
{
    const double c = hypot(b->cb, b->cr) / 256.0;
    return asin(fmin(1.0, HUE_ERR / c)) * 180.0 / IDP_PI;
}

static double hue_share(const band *all, uint64_t n, bool tight)
{
    int ref = -1;
    uint64_t apart = 0;
    double ref_hue = 0;

    for (int b = 0; b < BANDS; b++) {
        if (all[b].n < HUE_MIN_N || hypot(all[b].cb, all[b].cr) < HUE_MIN_CHROMA * 256.0)
            continue;
        if (ref < 0 || all[b].n > all[ref].n)
            ref = b;
    }
    if (ref < 0)
        return 0.0;
    ref_hue = atan2(all[ref].cr, all[ref].cb);
    const double ref_err = tight ? band_hue_err(&all[ref]) : 0.0;
    for (int b = 0; b < BANDS; b++) {
        if (all[b].n < HUE_MIN_N || hypot(all[b].cb, all[b].cr) < HUE_MIN_CHROMA * 256.0)
            continue;
        double d = fabs(atan2(all[b].cr, all[b].cb) - ref_hue);
        if (d > IDP_PI)
            d = 2 * IDP_PI - d;
        d *= 180.0 / IDP_PI;
        if (d > HUE_APART || (tight && d > TONE_DRIFT + ref_err + band_hue_err(&all[b])))
            apart += all[b].n;
    }
    return (double)apart / (double)n;
}

/* The share of the lit smooth blocks whose mean chroma is TINT_UNITS
 * from what their pixels' luma predicts (the bands' mean chroma, all). */
static double tint_share(const idp_image *rgb, size_t stride, const idp_colour_box *box,
                         const band *all, uint32_t *lit_blocks)
{
    const double lim = TINT_UNITS * 256.0 * TINT_BLOCK * TINT_BLOCK;
    uint32_t lit = 0, tinted = 0;

    /* every other block across and down: a quarter of the pixels read */
    for (uint32_t by = box->y0; by + TINT_BLOCK <= box->y1; by += 2 * TINT_BLOCK) {
        for (uint32_t bx = box->x0; bx + TINT_BLOCK <= box->x1; bx += 2 * TINT_BLOCK) {
            double dcb = 0, dcr = 0;
            int32_t lo = 255, hi = 0;
            int ok = 1;
            for (uint32_t y = by; ok && y < by + TINT_BLOCK; y++) {
                const uint8_t *p = rgb->data + (size_t)y * stride + (size_t)bx * 3;
                for (uint32_t x = 0; x < TINT_BLOCK; x++, p += 3) {
                    const int32_t l = luma(p);
                    const uint32_t b = (uint32_t)l * BANDS / 256u;
                    if (b < LIT_BAND || p[0] >= CLIPPED || p[1] >= CLIPPED || p[2] >= CLIPPED) {
                        ok = 0;
                        break;
                    }
                    lo = l < lo ? l : lo;
                    hi = l > hi ? l : hi;
                    dcb += (-43 * p[0] - 85 * p[1] + 128 * p[2]) - all[b].cb;
                    dcr += (128 * p[0] - 107 * p[1] - 21 * p[2]) - all[b].cr;
                }
            }
            if (!ok || hi - lo > TINT_RANGE)
                continue;
            lit++;
            tinted += dcb * dcb + dcr * dcr > lim * lim;
        }
    }
    *lit_blocks = lit;
    return lit >= TINT_MIN_BLOCKS && tinted >= TINT_MIN_TINTED ? (double)tinted / (double)lit : 0.0;
}

/* The measure over box; at_floor: with next to nothing smooth, every
 * sample judged at the noise floor (see below). */
static void measure(const idp_image *rgb, const idp_colour_box *box, bool at_floor,
                    idp_colour_stats *out)
{
    const uint32_t x0 = box->x0, y0 = box->y0;
    const uint32_t x1 = box->x1 < rgb->width ? box->x1 : rgb->width;
    const uint32_t y1 = box->y1 < rgb->height ? box->y1 : rgb->height;
    const idp_colour_box in = {x0, y0, x1, y1};
    const size_t stride = idp_image_stride(rgb);
    band smooth[BANDS], all[BANDS], toned[BANDS]; /* toned: no sample near clipping */
    const band *use;
    double scb = 0, scr = 0, s2 = 0;
    uint64_t n = 0, n_smooth = 0, off = 0, lit = 0, n_frame = 0;
    uint32_t step = 1;

    memset(out, 0, sizeof(*out));
    if (rgb->channels != 3 || x0 > x1 || y0 > y1 || x1 - x0 < 5 || y1 - y0 < 5)
        return;
    memset(smooth, 0, sizeof(smooth));
    memset(all, 0, sizeof(all));
    memset(toned, 0, sizeof(toned));
    while ((uint64_t)((x1 - x0 - 4 + step - 1) / step) * ((y1 - y0 - 4 + step - 1) / step) >
           MAX_SAMPLES)
        step++;
    for (uint32_t y = y0 + 2; y + 2 < y1; y += step) {
        for (uint32_t x = x0 + 2; x + 2 < x1; x += step) {
            const sample s = sample_at(rgb, stride, x, y);
            lit += s.band >= LIT_BAND;
            n_frame++;
            if (s.clipped)
                continue;
            all[s.band].cb += s.cb;
            all[s.band].cr += s.cr;
            all[s.band].n++;
            if (!s.near_clip) {
                toned[s.band].cb += s.cb;
                toned[s.band].cr += s.cr;
                toned[s.band].n++;
            }
            if (s.smooth) {
                smooth[s.band].cb += s.cb;
                smooth[s.band].cr += s.cr;
                smooth[s.band].n++;
                n_smooth++;
            }
            scb += s.cb;
            scr += s.cr;
            s2 += (double)s.cb * s.cb + (double)s.cr * s.cr;
            n++;
        }
    }
    out->lit = n_frame > 0 ? (double)lit / (double)n_frame : 0.0;
    if (n == 0)
        return;
    for (uint32_t b = 0; b < BANDS; b++) {
        if (smooth[b].n > 0) {
            smooth[b].cb /= (double)smooth[b].n;
            smooth[b].cr /= (double)smooth[b].n;
        }
        if (all[b].n > 0) {
            all[b].cb /= (double)all[b].n;
            all[b].cr /= (double)all[b].n;
        }
        if (toned[b].n > 0) {
            toned[b].cb /= (double)toned[b].n;
            toned[b].cr /= (double)toned[b].n;
        }
    }
    use = n_smooth >= MIN_SMOOTH ? smooth : all; /* for the tone */
    {
        const double mcb = scb / (double)n, mcr = scr / (double)n;
        const double var = s2 / (double)n - mcb * mcb - mcr * mcr;
        double tone = 0;
        uint64_t tn = 0;
        out->spread = var > 0 ? sqrt(var) / 256.0 : 0.0;
        for (uint32_t b = 0; b < BANDS; b++) {
            const double dcb = use[b].cb - mcb, dcr = use[b].cr - mcr;
            tone += (double)use[b].n * (dcb * dcb + dcr * dcr);
            tn += use[b].n;
        }
        out->tone = tn > 0 ? sqrt(tone / (double)tn) / 256.0 : 0.0;
    }
    {
        const double lim = IDP_COLOUR_NOISE * 256.0, lim2 = lim * lim;
        /* next to nothing smooth (fine print all over, heavy noise): no
         * smooth share, so every sample is judged at the noise floor
         * (at_floor; a document's box: idp_measure_colour_box) */
        const int few = n_smooth < MIN_SMOOTH || n_smooth < n / 20;
        const double edge2 = few && at_floor ? lim2 : EDGE_FACTOR * EDGE_FACTOR * lim2;
        uint64_t off_any = 0;
        for (uint32_t y = y0 + 2; y + 2 < y1; y += step) {
            for (uint32_t x = x0 + 2; x + 2 < x1; x += step) {
                const sample s = sample_at(rgb, stride, x, y);
                if (s.clipped)
                    continue;
                double dcb = s.cb - all[s.band].cb, dcr = s.cr - all[s.band].cr;
                off_any += dcb * dcb + dcr * dcr > edge2;
                if (!s.smooth)
                    continue;
                dcb = s.cb - smooth[s.band].cb;
                dcr = s.cr - smooth[s.band].cr;
                off += dcb * dcb + dcr * dcr > lim2;
            }
        }
        out->smooth_share = few ? 0.0 : (double)off / (double)n_smooth;
        out->edge_share = (double)off_any / (double)n;
    }
    out->hue_share = fmax(hue_share(all, n, false), hue_share(toned, n, true));
    out->second = fmax(fmax(out->smooth_share, out->edge_share), out->hue_share);
    out->samples = (uint32_t)n;
    out->tint_share = tint_share(rgb, stride, &in, all, &out->tint_blocks);
}

void idp_measure_colour(const idp_image *rgb, idp_colour_stats *out)
{
    const idp_colour_box all = {0, 0, rgb->width, rgb->height};
    measure(rgb, &all, true, out);
}

/* A document is fine print all over, under 5 % of its samples smooth:
 * judged at the noise floor, a toned photo's print edges, where JPEG's
 * halved chroma lags the luma, would read as a second colour (the toned
 * documents of docs/checks.md, "Round 27": 2.1-3.2 %), so every sample is
 * judged at 3 x the floor however little is smooth. */
void idp_measure_colour_box(const idp_image *rgb, const idp_colour_box *box, idp_colour_stats *out)
{
    measure(rgb, box, false, out);
}
