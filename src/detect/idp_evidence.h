/* idp_evidence: whether a quad found by the line search is a document's
 * outline, measured on the image itself, and how sure that is; and
 * whether the image is a scan (the document fills it). Internal to
 * src/detect; the reasons for every threshold are in docs/detection.md. */
#ifndef IDP_EVIDENCE_H
#define IDP_EVIDENCE_H

#include "idp_detect.h"

#include <math.h>
#include <stdbool.h>

/* Channel c of g at the continuous point (x, y) (pixel centres at i + 0.5),
 * bilinear, clamped to the image. */
double idp_sample_bilinear(const idp_image *g, double x, double y, uint32_t c) IDP_NONNULL(1);

/* Whether (x, y) lies at least m px inside g. */
static inline bool idp_in_view(const idp_image *g, double x, double y, double m)
{
    return x >= m && y >= m && x <= g->width - m && y <= g->height - m;
}

/* The colour step across (x, y) along the unit normal (nx, ny) (the
 * normal's side minus the other), in the channel where it is largest,
 * over +-(1.5, 3) s: what every reading of a side's edge samples. */
double idp_step_across(const idp_image *g, double x, double y, double nx, double ny, double s)
    IDP_NONNULL(1);

/* The strongest idp_step_across within +-reach px (of s) along the
 * normal. */
double idp_step_near(const idp_image *g, double x, double y, double nx, double ny, double s,
                     int reach) IDP_NONNULL(1);

/* Round 18 (idp_runcross.c): whether a line going on past corner c of a
 * side ending at far (outward normal n, steps of polarity at least
 * min_step) is a surface's line meeting it there at a slight angle. */
bool idp_run_crosses(const idp_image *g, const double c[2], const double far[2], double nx,
                     double ny, int polarity, double min_step, double shortside)
    IDP_NONNULL(1, 2, 3);

/* The least colour step (levels) the refinement places an edge on
 * (idp_refine.c); the turned side's steps and a U's side beside its quad
 * are read against it too. */
#define IDP_STEP_MIN 4.0

/* Confidence at or above which the quad is returned as found. */
#define IDP_CONFIDENCE_MIN 0.40

/* A side supported along this share of its samples is fully supported
 * (the evidence's support factor is 1 from here: gaps for glare, a
 * finger, a rounded corner at 5 %). */
#define IDP_SUP_FULL 0.90

/* A quad as const (C11 does not convert double (*)[2] implicitly). */
#define CQD(q) ((const double(*)[2])(q))

/* Pixels of g per pixel of a 1000 px copy, at least 1: the scale the
 * evidence's distances (strips, offsets) are given in. */
static inline double idp_sample_scale(const idp_image *g)
{
    return fmax(1.0, (g->width > g->height ? g->width : g->height) / 1000.0);
}

typedef struct idp_evidence {
    double support[4];     /* share of each side (5..95 %) with a colour step across it */
    double contrast[4];    /* strips just inside vs just outside each side, in noise units */
    unsigned seen;         /* bit i: side i in view (at least 30 % of its samples) */
    int overruns;          /* side lines that go on past a corner (0..8; two at one corner
                            * only count as one, round 19) */
    int inner_lines;       /* full-length straight lines inside, parallel to a side */
    bool enclosed;         /* a supported parallel outline around every side in view */
    bool stops_short;      /* a side with an end outside the frame stops before the frame's edge */
    double confidence;     /* 0..1 */
    int crossed;           /* sides a surface pattern crosses (measured when confidence > 0) */
    unsigned crossed_mask; /* which: bit i for side quad[i] to quad[i + 1] */
    bool striped;        /* the inner lines are a page's printed stripes (one way, an ID's print) */
    unsigned short_mask; /* the sides that stop short (bit i as in crossed_mask) */
    unsigned sign_mask;  /* of those, the ones that reach the frame's edge with steps of the
                          * other sign only (round 25) */
    double others;       /* the factors besides the sides' own (corners, aspect, inner lines; 0
                          * when enclosed): round 13 */
    double rounded[4];   /* corner i: 0 square .. 1 rounded, -1 not measured (idp_corner_rounded) */
    double plane[4];     /* each side's contrast about a plane (measured with rounded) */
    bool lifted;         /* the corners rounded: contrast about a plane where larger (round 12) */
} idp_evidence;

/* Measures the evidence for quad (TL, TR, BR, BL, any winding) in img
 * (grey or RGB) of a document of nominal aspect error dmin (|ln ratio|),
 * into *ev. Cheap: a few thousand bilinear samples. */
void idp_quad_evidence(const idp_image *img, const double quad[4][2], double dmin, idp_evidence *ev)
    IDP_NONNULL(1, 2, 4);

/* idp_quad_evidence where a side running out of the frame that reaches
 * its edge with steps of the other sign only (ev->sign_mask) does not stop
 * short: the finder's last resort (round 25, docs/detection.md). */
void idp_quad_evidence_either_sign(const idp_image *img, const double quad[4][2], double dmin,
                                   idp_evidence *ev) IDP_NONNULL(1, 2, 4);

/* ev's confidence with the least support and contrast taken over the
 * sides not in skip (bit i: side quad[i] to quad[i + 1]), for a quad all
 * in view (round 10: a covered corner's two sides, idp_det_covered). */
double idp_evidence_without(const idp_evidence *ev, unsigned skip) IDP_NONNULL(1);

/* The confidence ev's quad would have on the sides not in skip alone
 * (their support, contrast and stopping short), from its other factors
 * (ev->others) even when the sides in skip gave it none: whether its
 * refusal lies on those sides (round 13, the same object in
 * idp_detect.c). The crossing test is not in it. */
double idp_evidence_on(const idp_evidence *ev, unsigned skip) IDP_NONNULL(1);

/* A side's step read where its edge is (idp_stepcon.c, round 17). */
typedef struct idp_step_read {
    int polarity;     /* +1: the outside lighter (the sign of the larger median) */
    double step;      /* median over the side of its largest step of that polarity (levels) */
    double opposite;  /* the same of the other polarity (a thin printed line has both) */
    double noise;     /* the quieter of noise_out, noise_in, at least SC_NOISE_MIN */
    double noise_out; /* median largest |step| on lines parallel to it outside */
    double noise_in;  /* ... and inside */
    double share;     /* samples with a step of its polarity at least twice the noise */
    double ratio;     /* step / noise */
} idp_step_read;

/* Reads side p0 -> p1 (n: its unit normal, pointing out of the document)
 * of img; false when too little of it is in view. */
bool idp_side_step_read(const idp_image *g, const double p0[2], const double p1[2],
                        const double n[2], idp_step_read *out) IDP_NONNULL(1, 2, 3, 4, 5);

/* Round 17: the contrast of the sides of quad in sides (bit i: quad[i] to
 * quad[i + 1]; the light look's light side) read as a step against the
 * noise beside it (idp_stepcon.c); ev (measured on quad) has its contrast
 * and confidence changed where such a side passes. */
void idp_evidence_light(const idp_image *img, const double quad[4][2], unsigned sides,
                        idp_evidence *ev) IDP_NONNULL(1, 2, 4);

/* Sets side i's contrast in ev to c and recomputes its confidence from
 * its factors, as idp_quad_evidence forms it (idp_evidence.c); a quad
 * with no confidence keeps none. */
void idp_evidence_set_contrast(idp_evidence *ev, int i, double c) IDP_NONNULL(1);

/* Side i of quad (quad[i] to quad[i + 1]): *support, its share with a
 * colour step across it (as in the evidence; -1 when out of view), and
 * which of its ends go on past their corner: bit 0 past quad[i], bit 1
 * past quad[i + 1]; steps beside the line on either side of it count as
 * texture here (the evidence's overruns ask for both sides). */
int idp_side_runs_on(const idp_image *img, const double quad[4][2], int i, double *support)
    IDP_NONNULL(1, 2, 4);

/* Corner k of quad (any winding) in img: how much the gap between the
 * vertex and a rounded corner's arc looks like the surface rather than the
 * document, 0..1 (about 1 rounded, 0 square); -1 when not measurable
 * (idp_rounded.c, round 12). */
double idp_corner_rounded(const idp_image *img, const double quad[4][2], int k) IDP_NONNULL(1, 2);

/* How many sides of quad a surface pattern crosses: its lines go on
 * inside the quad as outside it (idp_crossing.c). */
int idp_sides_crossed(const idp_image *img, const double quad[4][2]) IDP_NONNULL(1, 2);

/* The same as a mask: bit i set when side i (quad[i] to quad[i + 1]) is
 * crossed. */
unsigned idp_sides_crossed_mask(const idp_image *img, const double quad[4][2]) IDP_NONNULL(1, 2);

/* Whether img is a scan: its own aspect, less a thin uniform margin, is
 * within 4 % of a document's. Fills quad (the image less the margin),
 * *kind and *confidence (from the aspect fit) when so; *margin_seen
 * whether any margin was taken off; *unsure when it is a flatbed scan
 * (a border on some sides) whose document's edge was not found on
 * another side: no outline of it, and none much smaller either. */
bool idp_scan_detect(const idp_image *img, double quad[4][2], idp_doc_kind *kind,
                     double *confidence, bool *margin_seen, bool *unsure)
    IDP_NONNULL(1, 2, 3, 4, 5, 6);

/* Side s of img (0 top, 1 bottom, 2 left, 3 right) has a flat margin
 * whose inner edge is a straight line tilted at most 3 degrees: v = *a +
 * *b (u - len / 2), v in from the side, u along it (idp_margin.c). */
bool idp_margin_edge(const idp_image *img, int s, double *a, double *b) IDP_NONNULL(1, 3, 4);

/* The same, walked in from past a line along the frame's edge (the
 * glass's, up to 4 px) where there is one: for a side of a flatbed scan
 * whose border is seen on the other sides (idp_scan.c). */
bool idp_margin_edge_behind(const idp_image *img, int s, double *a, double *b) IDP_NONNULL(1, 3, 4);

/* Side s of img starts with a flat field (a scanner's lid or an app's
 * fill, not a document's print) at least 1 % of the frame and 6 px deep,
 * ending within 8 % of the frame, along most of its length (idp_margin.c);
 * *level: the mean level of the flat parts (-1 when none). *deep: the
 * level of a field that instead runs flat past 8 % along most of the side
 * (a page, the document's own paper, or a lid wider than a border), -1
 * when it does not. */
bool idp_margin_flat(const idp_image *img, int s, double *level, double *deep) IDP_NONNULL(1, 3, 4);

/* What is printed inside a quad (see idp_content.c). */
#define CONTENT_W 320 /* the straightened copy's width: ID print 5-13 px, an A4 letter's 2-3 */

typedef struct idp_content {
    int letters;      /* dark components of an ID letter's height (1.6-8 % of the short side) */
    int small;        /* of smaller print (0.5-1.6 %) */
    double sharp;     /* the steepest 1 % of the copy's steps over 2 px, at least (levels) */
    int ground;       /* components at their surroundings' own level: no print */
    int light;        /* of the letters and small print, those lighter than their ground */
    double periodic;  /* autocorrelation of the strong steps' profile, at >= 6 periods */
    double lines;     /* periodicity of the ink rows, the lesser of the two halves */
    int line1, line2; /* letters (of the first 64) on the fullest line of text, on the next */
    double visible;   /* share of the quad in the frame (round 16); the rest is not read */
    double spread;    /* the print's box over the copy's part in view (0 with no print) */
} idp_content;

void idp_quad_content(const idp_image *img, const double quad[4][2], double aspect,
                      idp_content *out) IDP_NONNULL(1, 2, 4);

/* The factor (0..1) by which c changes the confidence: 0 for periodic
 * structure, low for small print only, 1 with a dozen ID-sized letters. */
double idp_content_factor(const idp_content *c) IDP_NONNULL(1);

/* idp_content_factor for a quad of that kind: an ID-1 quad whose copy is
 * sharp and holds too little print for an ID card's side (a bank card's
 * few fields) is judged as little print (round 16). */
double idp_content_factor_kind(const idp_content *c, idp_doc_kind kind) IDP_NONNULL(1);

/* The quad straightened to W x H grey values (long side along x), or NULL
 * when memory runs out; the caller frees it. */
float *idp_grey_warp(const idp_image *g, const double q[4][2], int W, int H) IDP_NONNULL(1, 2);

/* Re-fits each side of q on img (the strongest colour step across it,
 * sub-pixel), the corners the new lines' crossings; q is left as it was
 * when a side finds too few edge points or a corner would move more than
 * 3 * scale + 3 px (idp_refine.c). */
void idp_quad_refine(const idp_image *img, double q[4][2], double scale) IDP_NONNULL(1, 2);

/* A side of q whose line goes on past a corner (a plank's groove, a
 * cloth's stripe beside the card) moved inward to the line that best
 * separates the surface from the document, when that line is supported
 * along the whole side and stops at both corners (idp_refine.c, round
 * 11). Returns whether a side moved. */
bool idp_quad_snap(const idp_image *img, double q[4][2]) IDP_NONNULL(1, 2);

#endif
