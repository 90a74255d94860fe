/* Is each corner of the found document seen, or only extrapolated from its
 * sides under a finger or an object? The detector's corners are the
 * crossings of the four side lines, so a covered corner is still "found";
 * here each side is read near each corner for the document's own outline:
 * a colour step across the side, as strong as along the middle of that
 * side, between the document's or the desk's colour and another.
 * Method, thresholds and measurements: docs/detection.md, "Covered
 * corners". */
#include "idp_detect.h"
#include "idp_trace.h"
#include "idp_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ID-1 corner radius (ISO/IEC 7810): the outline is round, not on the side
 * lines, within this distance of the corner. */
#define CORNER_RADIUS_MM 3.18
/* The stretch read next to each corner, along each side: from half the
 * corner radius (there the round outline is 0.13 radii, 0.4 mm, off the
 * line: inside the search) to STRETCH_MM from the corner. */
#define STRETCH_MM 9.0
/* The reference: the middle of the side, from REF_LO to REF_HI of its
 * length. */
#define REF_LO 0.30
#define REF_HI 0.70
#define REF_SAMPLES 9
/* A sample sees the outline when its contrast is at least this share of
 * the side's reference contrast, and at least CONTRAST_FLOOR. */
#define REF_SHARE 0.15
#define CONTRAST_FLOOR 0.10
/* A side whose reference contrast is below this cannot be judged (a white
 * card on a white desk): it is not evidence either way. */
#define REF_FLOOR 0.15
/* A corner is covered when a side next to it sees its outline on less than
 * this share of the stretch. */
#define SUPPORT_MIN IDP_CORNER_SUPPORT_MIN
/* ... and most of the samples that do not see it show something unlike
 * the document and the desk along the middle of both sides: colour
 * contrast to the nearest of them at least this. */
#define FOREIGN_MIN 0.08
/* ... or both sides that meet at the corner, each clearly seen along its
 * middle (reference >= REF_FLOOR), lose the outline on more than half of
 * the stretch next to it, whatever lies there: one thing over the corner
 * hides both sides at once, while a band of the document's print the
 * colour of the desk (or a stripe of the desk) weakens one side only. No
 * colour test: a finger the colour of the desk (skin on brown gingham)
 * is not foreign, yet the corner is gone. Measured (docs/detection.md,
 * "Round 8: covered and cut-off corners"): the greater support of the two
 * sides at a covered corner 0.00-0.33, at any corner of a good photo with
 * both sides judged 0.75-1.00. Round 21: a sample where the outline is
 * only faint (faint_outline) is not lost. */
#define BOTH_LOST 0.5
/* Luma offset in the contrast's denominator (levels): keeps dark scenes'
 * noise from becoming contrast. */
#define DARK_OFFSET 20.0
/* Profile across the side: half-width of the search for the step (mm, at
 * least 2 px: the refined quad is within about a pixel of the edge, the
 * round corner 0.4 mm off it), gap skipped on each side of the step (the
 * edge's blur), depth averaged on each side, and the half-length averaged
 * along the side. */
#define SEARCH_MM 0.6
#define GAP_MM 0.25
#define DEPTH_MM 0.8
#define ALONG_MM 0.5
#define PROFILE_MAX 160
/* Beyond the corner: a side that goes on past it, with the same step
 * between the same colours (each within MATCH_MAX of a pair read along
 * its middle), read every BEYOND_PITCH_MM up to the frame's edge. */
#define BEYOND_PITCH_MM 1.0
#define BEYOND_MAX 400
#define MATCH_MAX 0.15
/* Round 18: the perpendicular side of a corner where the outline turns is
 * seen on at least this share of the stretch next to it: the least of the
 * clean corners measured ("Covered corners": 0.83-1.00). */
#define TURN_SUPPORT 0.83

/* Mean colour (up to 3 channels) of the pixels at p + k * n + s * u for
 * s = -sh..sh, at each k of the profile; returns false when any point is
 * outside the image. */
static bool profile_at(const idp_image *img, const double p[2], const double u[2],
                       const double n[2], int k0, int nk, int sh, double prof[][3])
{
    const uint32_t ch = img->channels >= 3 ? 3 : 1;
    const size_t stride = (size_t)img->width * img->channels;
    for (int k = 0; k < nk; k++) {
        double acc[3] = {0, 0, 0};
        for (int s = -sh; s <= sh; s++) {
            const double x = p[0] + (k0 + k) * n[0] + s * u[0];
            const double y = p[1] + (k0 + k) * n[1] + s * u[1];
            if (!(x >= 0 && y >= 0 && x < img->width && y < img->height))
                return false;
            const uint8_t *px = img->data + (size_t)y * stride + (size_t)x * img->channels;
            for (uint32_t c = 0; c < ch; c++)
                acc[c] += px[c];
        }
        for (uint32_t c = 0; c < 3; c++)
            prof[k][c] = acc[ch == 3 ? c : 0] / (2 * sh + 1);
    }
    return true;
}

typedef struct scale {
    int search, gap, depth, along;
} scale;

/* One reading across a side. */
typedef struct step {
    double contrast; /* -1: the profile leaves the image */
    int at;          /* where the strongest step is, px into the document */
    double in[3];    /* mean colour just inside and just outside the side */
    double out[3];
    double mean[3]; /* mean colour of the whole profile */
} step;

static double luma(const double c[3])
{
    return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
}

/* Colour difference of a and b (RMS over the channels) over their mean
 * luma + DARK_OFFSET: a contrast that a shadow over both leaves alone. */
static double colour_contrast(const double a[3], const double b[3])
{
    double d2 = 0;
    for (int c = 0; c < 3; c++)
        d2 += (a[c] - b[c]) * (a[c] - b[c]);
    return sqrt(d2 / 3.0) / (0.5 * (luma(a) + luma(b)) + DARK_OFFSET);
}

/* The strongest step across the side at p (u along the side, n into the
 * document) within +-search px: the colour contrast of the means over
 * depth px on each side of it, past the gap. */
static void step_at(const idp_image *img, const double p[2], const double u[2], const double n[2],
                    const scale *sc, step *st)
{
    double prof[PROFILE_MAX][3];
    const int reach = sc->search + sc->gap + sc->depth;
    const int nk = 2 * reach + 1;

    memset(st, 0, sizeof(*st));
    st->contrast = -1;
    if (nk > PROFILE_MAX || !profile_at(img, p, u, n, -reach, nk, sc->along, prof))
        return;
    for (int k = 0; k < nk; k++)
        for (int c = 0; c < 3; c++)
            st->mean[c] += prof[k][c] / nk;
    for (int o = -sc->search; o <= sc->search; o++) {
        double in[3] = {0, 0, 0}, out[3] = {0, 0, 0};
        for (int j = 0; j < sc->depth; j++) {
            const double *a = prof[reach + o + sc->gap + 1 + j];
            const double *b = prof[reach + o - sc->gap - 1 - j];
            for (int c = 0; c < 3; c++) {
                in[c] += a[c] / sc->depth;
                out[c] += b[c] / sc->depth;
            }
        }
        const double ct = colour_contrast(in, out);
        if (ct > st->contrast) {
            st->contrast = ct;
            st->at = o;
            memcpy(st->in, in, sizeof(in));
            memcpy(st->out, out, sizeof(out));
        }
    }
}

static int cmp_int(const void *a, const void *b)
{
    const int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* What the middle of a side looks like: the document's colours just inside
 * it and the desk's just outside, at each reference sample. */
typedef struct side_ref {
    int n;
    double colour[2 * REF_SAMPLES][3];
} side_ref;

/* Reads side a -> b of the quad (n: into the document): its reference
 * contrast and colours, and the samples next to each end. */
static void read_side(const idp_image *img, const double a[2], const double b[2],
                      const double centre[2], double ppm, const scale *sc, side_ref *sr,
                      idp_corner_side *at_a, idp_corner_side *at_b)
{
    const double dx = b[0] - a[0], dy = b[1] - a[1];
    const double len = hypot(dx, dy);
    double u[2], n[2], ref[REF_SAMPLES];
    int nref = 0, refo[REF_SAMPLES];
    step st;

    sr->n = 0;
    for (int e = 0; e < 2; e++) {
        idp_corner_side *cs = e == 0 ? at_a : at_b;
        cs->ref = -1;
        cs->beyond_near = cs->beyond_all = -1;
        cs->support = -1;
        cs->ref_offset = 0;
        for (int i = 0; i < IDP_CORNER_SAMPLES; i++) {
            cs->contrast[i] = -1;
            cs->offset[i] = 0;
            cs->foreign[i] = -1;
        }
    }
    if (len < 8)
        return;
    u[0] = dx / len;
    u[1] = dy / len;
    n[0] = -u[1];
    n[1] = u[0];
    const double mx = 0.5 * (a[0] + b[0]) - centre[0], my = 0.5 * (a[1] + b[1]) - centre[1];
    if (n[0] * mx + n[1] * my > 0) { /* point n inwards */
        n[0] = -n[0];
        n[1] = -n[1];
    }
    for (int i = 0; i < REF_SAMPLES; i++) {
        const double t = REF_LO + (REF_HI - REF_LO) * i / (REF_SAMPLES - 1);
        const double p[2] = {a[0] + t * dx, a[1] + t * dy};
        step_at(img, p, u, n, sc, &st);
        if (st.contrast < 0)
            continue;
        refo[nref] = st.at;
        ref[nref++] = st.contrast;
        memcpy(sr->colour[sr->n++], st.in, sizeof(st.in));
        memcpy(sr->colour[sr->n++], st.out, sizeof(st.out));
    }
    if (nref < 3)
        return;
    idp_sort_doubles(ref, (size_t)nref);
    qsort(refo, (size_t)nref, sizeof(refo[0]), cmp_int);

    /* the stretch: from half the corner radius to STRETCH_MM, at most a
     * quarter of the side (a far-off side in perspective is short) */
    const double d0 = 0.5 * CORNER_RADIUS_MM * ppm;
    const double d1 = fmin(STRETCH_MM * ppm, 0.25 * len);
    for (int e = 0; e < 2; e++) {
        idp_corner_side *cs = e == 0 ? at_a : at_b;
        cs->ref = ref[nref / 2];
        cs->ref_offset = refo[nref / 2];
        for (int i = 0; i < IDP_CORNER_SAMPLES; i++) {
            const double d = d0 + (d1 - d0) * i / (IDP_CORNER_SAMPLES - 1);
            const double t = e == 0 ? d / len : 1.0 - d / len;
            const double p[2] = {a[0] + t * dx, a[1] + t * dy};
            step_at(img, p, u, n, sc, &st);
            cs->contrast[i] = st.contrast;
            cs->offset[i] = st.at;
            if (st.contrast >= 0) {
                memcpy(cs->colour[i], st.mean, sizeof(st.mean));
                memcpy(cs->in[i], st.in, sizeof(st.in));
                memcpy(cs->out[i], st.out, sizeof(st.out));
            }
        }
        /* beyond the corner, on to the frame's edge: does the side go on
         * (the same step between the same colours)? */
        const double *c0 = e == 0 ? a : b;
        const double dir = e == 0 ? -1.0 : 1.0, pitch = fmax(2.0, BEYOND_PITCH_MM * ppm);
        int near_n = 0, near_on = 0, all_n = 0, all_on = 0;
        for (double d = CORNER_RADIUS_MM * ppm; all_n < BEYOND_MAX; d += pitch) {
            const double p[2] = {c0[0] + dir * d * u[0], c0[1] + dir * d * u[1]};
            step_at(img, p, u, n, sc, &st);
            if (st.contrast < 0)
                break;
            bool on = false;
            if (st.contrast >= CONTRAST_FLOOR && st.contrast >= REF_SHARE * cs->ref)
                for (int k = 0; k + 1 < sr->n && !on; k += 2)
                    on = colour_contrast(st.in, sr->colour[k]) < MATCH_MAX &&
                         colour_contrast(st.out, sr->colour[k + 1]) < MATCH_MAX;
            all_n++;
            all_on += on;
            if (d <= STRETCH_MM * ppm) {
                near_n++;
                near_on += on;
            }
        }
        cs->beyond_near = near_n > 0 ? (double)near_on / near_n : -1;
        cs->beyond_all = all_n > 0 ? (double)all_on / all_n : -1;
    }
}

/* The colour contrast of colour to the nearest reference colour read along
 * the middle of the two sides r0 and r1: of the document's (which 0: the
 * even entries, the in colour of each pair), of the desk's (1: the odd
 * entries, the out colours) or of either (-1). */
static double nearest_ref(const side_ref *r0, const side_ref *r1, const double colour[3], int which)
{
    double best = HUGE_VAL;
    for (int k = 0; k < r0->n + r1->n; k++) {
        if (which >= 0 && k % 2 != which)
            continue;
        const double *rc = k < r0->n ? r0->colour[k] : r1->colour[k - r0->n];
        best = fmin(best, colour_contrast(colour, rc));
    }
    return best;
}

/* Round 20: what the step at sample i separates. doc: the colour contrast
 * of the colour just inside it to the nearest colour of the document read
 * along the middle of the two sides at the corner (the in colours of
 * their pairs); desk: of the colour just outside it to the nearest colour
 * of the desk read there (the out colours). The step is the outline only
 * when doc or desk is less than the step's own contrast: one of its two
 * colours is nearer the document's or the desk's than the colour across
 * the step. A finger's shading or its nail's edge over the side is a step
 * within the finger, skin on both sides, each nearer the other than the
 * document or the desk. No constant: the step's own contrast is the
 * yardstick. Measured (docs/detection.md, "Round 20: a finger over a
 * corner"): the lesser of doc and desk over the contrast, on the samples
 * that see the outline by contrast, at most 0.70 at every corner of the
 * good photos (10,323 samples), median 1.5 under the fingers. */
static void known_apart(const idp_corner_side *cs, int i, const side_ref *r0, const side_ref *r1,
                        double *doc, double *desk)
{
    *doc = nearest_ref(r0, r1, cs->in[i], 0);
    *desk = nearest_ref(r0, r1, cs->out[i], 1);
}

/* Round 21: a sample too faint to see the outline by contrast (below
 * CONTRAST_FLOOR or REF_SHARE of the reference) whose step still lies
 * between the document and the desk: the colour just inside it nearer a
 * colour of the document read along the middle of the two sides than the
 * colour across the step, and the colour just outside it nearer a colour
 * of the desk read there. The outline is there, only as faint as the
 * document is like the desk (a white card on white paper). Anything over
 * the corner puts its own colour on the inside: a finger or a disc of the
 * desk's colour is not the document's. The yardstick is known_apart's,
 * both colours instead of either. Measured (docs/detection.md, "Round 21:
 * a corner that is only the desk"): none of the unseen samples at the
 * covered corners (the colour inside 0.15-0.79 from the document's), all
 * 20 at the white card on white paper. */
static bool faint_outline(const idp_corner_side *cs, int i, const side_ref *r0, const side_ref *r1)
{
    double doc, desk;
    known_apart(cs, i, r0, r1, &doc, &desk);
    return doc < cs->contrast[i] && desk < cs->contrast[i];
}

/* Judges one side next to a corner: its support, and how foreign (unlike
 * the document and the desk along the middle of either side) what lies
 * where the outline is not seen. True when it shows the corner covered.
 * held: the share of the stretch where the outline is seen or faint
 * (faint_outline), -1 when the side is not judged. */
static bool judge_side(idp_corner_side *cs, const side_ref *r0, const side_ref *r1, int corner,
                       int j, double *held)
{
    (void)corner; /* both for the trace only */
    (void)j;
    int seen = 0, read = 0, unseen_foreign = 0, one_thing = 0, faint = 0;

    *held = -1;

    if (cs->ref < 0)
        return false;
    for (int i = 0; i < IDP_CORNER_SAMPLES; i++) {
        const double c = cs->contrast[i];
        if (c < 0)
            continue;
        read++;
        if (c >= CONTRAST_FLOOR && c >= REF_SHARE * cs->ref) {
            double doc, desk;
            known_apart(cs, i, r0, r1, &doc, &desk);
            IDP_TRACE("corners: sample %d %d %d c %.3f ref %.3f doc %.3f desk %.3f\n", corner, j, i,
                      c, cs->ref, doc, desk);
            if (doc < c || desk < c) {
                seen++;
                continue;
            }
            one_thing++;
        } else if (faint_outline(cs, i, r0, r1)) {
            faint++;
        }
        const double near = nearest_ref(r0, r1, cs->colour[i], -1);
        cs->foreign[i] = near;
        IDP_TRACE("corners: unseen %d %d %d c %.3f at %d/%d ref %.3f near %.3f mdoc %.3f "
                  "mdesk %.3f in-doc %.3f out-desk %.3f\n",
                  corner, j, i, c, cs->offset[i], cs->ref_offset, cs->ref, near,
                  nearest_ref(r0, r1, cs->colour[i], 0), nearest_ref(r0, r1, cs->colour[i], 1),
                  nearest_ref(r0, r1, cs->in[i], 0), nearest_ref(r0, r1, cs->out[i], 1));
        if (near >= FOREIGN_MIN)
            unseen_foreign++;
    }
    if (cs->ref < REF_FLOOR || read < IDP_CORNER_SAMPLES / 2)
        return false;
    cs->support = (double)seen / read;
    *held = (double)(seen + faint) / read;
    IDP_TRACE("corners: side %d %d support %.2f (%d of %d seen, %d steps within one thing, "
              "%d faint)\n",
              corner, j, cs->support, seen, read, one_thing, faint);
    /* most of what is missing is something else lying there, not the
     * document or the desk (a faint outline: white on a white scanner) */
    return *held < SUPPORT_MIN && 2 * unseen_foreign >= read - seen;
}

/* How far the desk along the middle of side o is from the desk along the
 * middle of side r: for each colour read just outside o (the out colour
 * of each of its pairs), the colour contrast to the nearest read just
 * outside r; the median over o's. */
static double desk_apart(const side_ref *o, const side_ref *r)
{
    double d[REF_SAMPLES];
    int n = 0;
    for (int k = 1; k < o->n && n < REF_SAMPLES; k += 2) {
        double near = HUGE_VAL;
        for (int m = 1; m < r->n; m += 2)
            near = fmin(near, colour_contrast(o->colour[k], r->colour[m]));
        d[n++] = near;
    }
    if (n == 0)
        return HUGE_VAL;
    idp_sort_doubles(d, (size_t)n);
    return d[n / 2];
}

/* Round 18: the outline turns at this corner, so a line that goes on past
 * it along one side is the desk's, not a larger document's. The corner's
 * other side ps (its middle: pref; the running side's middle: rref) is
 * clearly seen (reference >= REF_FLOOR) on the stretch up to the corner
 * (>= TURN_SUPPORT), does not itself go on past it, and has the same desk
 * outside it as the running side has along its middle: one surface all
 * round the corner. A box printed on a larger document that runs out of
 * the photo has that document, not the desk, outside its other side, and
 * a cut-off card's side that runs out has no clean corner to turn at.
 * Reasons and measurements: docs/detection.md, "Round 18: front and back
 * on a tablecloth". */
static bool outline_turns(const idp_corner_side *ps, const side_ref *pref, const side_ref *rref)
{
    if (ps->ref < REF_FLOOR || ps->support < TURN_SUPPORT)
        return false;
    if (ps->beyond_near >= SUPPORT_MIN)
        return false;
    return desk_apart(pref, rref) < MATCH_MAX;
}

static int px_at_least(double v, int least)
{
    const int r = (int)lround(v);
    return r > least ? r : least;
}

void idp_corners_view(const idp_image *img, const idp_document *doc, idp_corner_view *view)
{
    double ls, ss, centre[2] = {0, 0};
    side_ref refs[4];

    memset(view, 0, sizeof(*view));
    view->worst = -1;
    view->least = 1.0;
    for (int c = 0; c < 4; c++)
        view->support[c] = -1;
    if (!doc->found)
        return;
    idp_quad_sides(doc->quad, &ls, &ss);
    const double width_mm = doc->kind != IDP_DOC_UNKNOWN ? idp_doc_width_mm(doc->kind) : 85.60;
    const double ppm = ls / width_mm;
    /* a quad too large for the profile (or not finite) is not read */
    if (!(ppm > 0) || ppm * (SEARCH_MM + GAP_MM + DEPTH_MM) > 0.4 * PROFILE_MAX)
        return;
    const scale sc = {px_at_least(SEARCH_MM * ppm, 2), px_at_least(GAP_MM * ppm, 1),
                      px_at_least(DEPTH_MM * ppm, 2), px_at_least(ALONG_MM * ppm, 1)};
    for (int c = 0; c < 4; c++) {
        centre[0] += 0.25 * doc->quad[c][0];
        centre[1] += 0.25 * doc->quad[c][1];
    }
    /* side k runs from corner k to corner k+1: it is side 0 (the next) of
     * corner k and side 1 (the previous) of corner k+1 */
    for (int k = 0; k < 4; k++) {
        const int k1 = (k + 1) % 4;
        read_side(img, doc->quad[k], doc->quad[k1], centre, ppm, &sc, &refs[k], &view->side[k][0],
                  &view->side[k1][1]);
    }
    for (int c = 0; c < 4; c++) {
        /* the sides meeting at corner c: side c and side c - 1 */
        const side_ref *r0 = &refs[c], *r1 = &refs[(c + 3) % 4];
        double s = -1, held[2];
        bool covered = false;
        for (int j = 0; j < 2; j++) {
            covered |= judge_side(&view->side[c][j], r0, r1, c, j, &held[j]);
            const double v = view->side[c][j].support;
            if (v >= 0 && (s < 0 || v < s))
                s = v;
        }
        if (held[0] >= 0 && held[1] >= 0 && held[0] < BOTH_LOST && held[1] < BOTH_LOST)
            covered = true; /* both sides lost at once: one thing over the corner */
        view->support[c] = s;
        view->covered[c] = covered;
        for (int j = 0; j < 2; j++) {
            const idp_corner_side *cs = &view->side[c][j];
            /* side j is side c (j = 0) or side c - 1 (j = 1); the other
             * side at this corner is the other one */
            const side_ref *own = j == 0 ? r0 : r1, *other = j == 0 ? r1 : r0;
            if (cs->ref >= REF_FLOOR && cs->beyond_near >= SUPPORT_MIN &&
                cs->beyond_all >= SUPPORT_MIN && !outline_turns(&view->side[c][1 - j], other, own))
                view->runs_out = true;
        }
        IDP_TRACE("corners: corner %d support %.2f %.2f ref %.2f %.2f beyond %.2f/%.2f "
                  "%.2f/%.2f desk apart %.3f %.3f covered %d\n",
                  c, view->side[c][0].support, view->side[c][1].support, view->side[c][0].ref,
                  view->side[c][1].ref, view->side[c][0].beyond_near, view->side[c][0].beyond_all,
                  view->side[c][1].beyond_near, view->side[c][1].beyond_all, desk_apart(r1, r0),
                  desk_apart(r0, r1), covered);
        if (s >= 0 && s < view->least)
            view->least = s;
        if (covered && (view->worst < 0 || s < view->support[view->worst]))
            view->worst = c;
    }
}
