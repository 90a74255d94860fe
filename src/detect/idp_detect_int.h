/* Internal to the document finder (idp_detect.c and the files split out
 * of it along its seams): its parameters, the working copy with its edges
 * and lines, and the candidate quads. Step numbers are those of
 * docs/detection.md, "Method". */
#ifndef IDP_DETECT_INT_H
#define IDP_DETECT_INT_H

#include "idp_detect.h"
#include "idp_math.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#define ID1_ASPECT (85.60 / 53.98)
#define ID3_ASPECT (125.0 / 88.0)

#define WORK_SIDE 640     /* long side of the working copy, at most */
#define N_THETA 180       /* Hough angle bins (1 degree) */
#define VOTE_SPREAD 2     /* an edge pixel votes within +-2 degrees of its gradient */
#define VOTE_SPREAD_MAX 5 /* a faint one, within its direction's noise, up to +-5 */
#define MAX_LINES 32      /* strongest lines kept */
#define VOTE_MIN 0.06     /* votes a line needs: this share of the copy's short side */
#define EDGE_ABS_MIN 28.0 /* Sobel magnitude (|gx|+|gy| scale) below which nothing is an edge */
#define ASPECT_TOL 0.10   /* |ln(aspect / nominal)| accepted */
#define SIDE_MIN_SUPPORT 0.55
#define WEAK_SIDE_SUPPORT 0.2 /* one side may be this faint, see try_quad */
#define DIR_BINS 72           /* gradient direction code: 5 degree bins over 360 */
/* a document with a side outside the frame (find_partial) */
#define PARTIAL_PARALLEL 12  /* degrees between its two cut sides, at most */
#define PARTIAL_SUPPORT 0.7  /* each of its three sides */
#define PARTIAL_END 0.15     /* looked at past each corner, share of the joining side */
#define PARTIAL_END_MAX 0.35 /* support allowed there */
#define PARTIAL_SEEN 0.35    /* share of the document's length in view, at least */
#define PARTIAL_EDGE 0.25    /* stretch seen up to the frame's edge, share of the joining side */
#define PARTIAL_INSIDE 0.02  /* a quad inside a U, share of its joining side (idp_partial.c) */
#define SCAN_COVER 0.70      /* a confident outline over this share of the frame is no scan's */
#define CONF_TIE 0.02        /* confidences this close are as sure */
#define CONF_SURE 0.90       /* judged no further: the best by edges holds */
/* a found corner's distance from the true one, 95th percentile, in the
 * copy's long sides (1,784 correct quads of 50 draws: 0.0066; round 27) */
#define EDGE_CORNER 0.0066
/* round 15: a quad whose least side contrast (noise units) is at least
 * twice CONTRAST_FULL (1.5, idp_evidence.c) is an outline against its
 * surface, never marked as a box inside a cut-off page: the cards of the
 * detect and portrait sets on wood, 4.6-11; the boxes printed on light
 * ID-3 pages (traced: tune 8023, 8026) have a side of the page's own
 * faint edge, 1.2-1.6, and print lines of 1.6-4.5 */
#define CUT_OUTLINE_CON 3.0
#define TOP_K 6 /* quads judged on the image */
/* Round 17 (docs/detection.md, "Round 17: front and back on a
 * tablecloth"): besides the TOP_K by score, the best by score of the
 * quads whose every side has support >= CLEAR_SIDE is judged when none of
 * them holds. A document's outline is an edge all round it; a rectangle
 * of a checked cloth's lines is broken where the checks' colour pairs
 * alternate along it and where the cloth waves, and, larger than a card
 * and as well supported on the whole, it outscores it: on the traced
 * misses the card's quad ranked 21st and 35th, and none of the quads
 * above it had its weakest side at 0.75 or more (the card's: 0.98, 0.88).
 * 0.8 is the line search's own level for clear sides (step 5: a faint
 * side only with the other three >= 0.8). */
#define CLEAR_SIDE 0.8
#define BAND_DEG 5        /* direction bands of the second look */
#define BAND_CAP 6        /* lines per band in the second look */
#define PATTERN_PEAKS 25  /* local maxima in a band: a surface pattern's (round 8) */
#define SECOND_CONF 0.50  /* confidence a second look's quad needs */
#define SECOND_LETTERS 35 /* and ID-sized letters inside it */
#define SECOND_SAME 0.70  /* IoU with a quad the first look refused: the same */
/* seen_conf of a quad refused only because a side of it is crossed by the
 * surface's pattern: not "the same object" refused outright (round 9) */
#define SEEN_CROSSED (-1.0)
/* seen_conf of a box refused as printed inside a document cut off by the
 * frame (a U holding round it, its outline going on past the box to the
 * frame's edge; round 24): the reason is where the box lies, so a later
 * look's quad over the same place is that box, whatever its sides */
#define SEEN_INSIDE_CUT (-2.0)
/* the same, the U round it holding for an ID's print inside (letters >=
 * SECOND_LETTERS, all the later looks ask) though not for the rest of
 * what it holds: the document is there, cut off (round 24) */
#define SEEN_INSIDE_PAGE (-3.0)
#define SEEN_INSIDE(c) ((c) == SEEN_INSIDE_CUT || (c) == SEEN_INSIDE_PAGE)
#define SAME_SIDE 0.03 /* a crossed side kept: within this share of the short side */
#define SCAN_SAME 0.90 /* an outline this close (IoU) to a scan's margin is the scan's */
#define AREA_MIN 0.04  /* share of the frame a quad covers, at least (step 4) */
/* the zoomed look for far cards (round 9): a copy of at most ZOOM_SIDE,
 * quads down to ZOOM_AREA_MIN of its frame, ZOOM_LETTERS letters inside */
#define ZOOM_SIDE 1000
#define ZOOM_AREA_MIN 0.01
#define ZOOM_LETTERS 35
/* its last pass (round 10): lines down to this share of its short side,
 * VOTE_MIN scaled to the smallest card each copy may hold (the square
 * root of ZOOM_AREA_MIN / AREA_MIN): 0.03, 22 votes in a 1000 x 750 copy */
#define ZOOM_VOTE_MIN (VOTE_MIN * 0.5)
#define SCAN_BORDER 0.08 /* a flatbed border is at most this share of a side (idp_scan.c) */

/* A quad as const (C11 does not convert double (*)[2] implicitly). */
#define CQ(q) ((const double(*)[2])(q))

static inline double dist2(const double a[2], const double b[2])
{
    return hypot(a[0] - b[0], a[1] - b[1]);
}

/* ------------------------------------------------------------------ */
/* quad geometry (idp_quad.c)                                           */

/* Signed area of polygon q (n vertices), positive for positive winding. */
double idp_det_area(const double q[][2], int n);

/* Orders a convex quad (any start, any winding) as TL, TR, BR, BL: positive
 * winding in image coordinates (clockwise on screen), TL->TR a long side,
 * pointing right (or straight down). */
void idp_det_canonical_order(double q[4][2]);

/* idp_det_canonical_order, and where side `side` of q (from q[side] to
 * q[side + 1]) is in the ordered quad. */
int idp_det_canonical_order_side(double q[4][2], int side);

/* The perspective-free aspect (>= 1) of q (TL, TR, BR, BL) seen with the
 * principal point at (cx, cy) in an image of long side long_px; 0 when it
 * cannot be told. */
double idp_det_true_aspect(const double q[4][2], double cx, double cy, double long_px);

/* A phone's focal length over the long side of its photo (a main camera of
 * 24-28 mm, 35 mm equivalent, on a 4:3 sensor: 0.69-0.81; the realistic
 * draws use 0.7-0.9), when the quad cannot tell it. */
#define PHONE_FOCAL 0.85

/* A document's plane seen from one side (idp_quad.c): c0-c1 the side in
 * view, u0 and u1 the image directions of the two sides leaving it, the
 * camera's principal point (cx, cy) and focal length f px. */
typedef struct idp_det_plane {
    double p0[3], b1[3]; /* the side's ends in space (camera frame, px) */
    double r1[3];        /* the two sides' direction in space, unit */
    double w;            /* the side's length in space */
    double cx, cy, f;
} idp_det_plane;

/* The plane through c0-c1 holding both sides' direction (the side in view
 * taken square to the line of sight); false when it cannot be told. */
bool idp_det_plane_of(const double c0[2], const double c1[2], const double u0[2],
                      const double u1[2], double cx, double cy, double f, idp_det_plane *pl);

/* The far corners e0 (from c0) and e1 (from c1) of the rectangle whose two
 * sides are ratio times the side in view's length in that plane; false
 * when one would lie behind the camera. */
bool idp_det_plane_far(const idp_det_plane *pl, double ratio, double e0[2], double e1[2]);

/* ------------------------------------------------------------------ */
/* edges and lines (idp_lines.c)                                        */

/* ------------------------------------------------------------------ */
/* edges and lines                                                      */

typedef struct line {
    double nx, ny, rho; /* n . p = rho */
    double theta;       /* degrees, 0..180 */
    int votes;
} line;

typedef struct work {
    uint32_t w, h;
    uint32_t ch;       /* channels of the working copy (1 or 3) */
    uint8_t *px;       /* the working copy: ch planes of w x h */
    uint32_t *best;    /* one row: the strongest squared gradient so far */
    uint8_t *edge;     /* 0: no edge, else 1 + direction code (DIR_BINS over 360 degrees) */
    uint32_t *edges;   /* where the edge pixels are (y * w + x) */
    uint16_t *ex, *ey; /* the same as x and y (the working copy is at most WORK_SIDE) */
    float *ea;         /* and the gradient's direction, degrees 0..360 */
    uint32_t *order;   /* edge pixels (x | y << 16) sorted by axis, then cell (polish_lines) */
    uint32_t *cstart;  /* where each (axis, cell) run starts in order: AXES x cells + 1 */
    /* POLISH_CELL px cells across the copy, in all */
    uint32_t cellw, cells;
    size_t nedges;
    float noise;   /* gradient noise: per-component std estimated from the median magnitude */
    uint16_t *mag; /* |gradient| (at most 4 * 255 * sqrt 2) */
    int16_t *gx, *gy;
    uint16_t *acc; /* Hough votes (far from 65 535: idp_hough.c's vote) */
    size_t cap_edges;
    int nr; /* rho bins */
    line lines[MAX_LINES];
    int nlines;
    uint32_t along;  /* lines of a pattern's bands (the look past a pattern): bit per line */
    double area_min; /* share of the frame a quad covers, at least (step 4) */
    double edge_min; /* Sobel magnitude below which nothing is an edge (step 2) */
    double vote_min; /* votes a line needs, as a share of the copy's short side (step 3) */
    uint8_t *memo;   /* per (line, line, line): hits + 1 (0: not yet measured), in-frame
                      * samples, samples; exact, and a quarter of the floats' memory */
    void *block;     /* all of the above, one allocation (page faults are dear in a VM) */
    size_t block_size, pixel_bytes; /* the first pixel_bytes are pixel data, wiped */
    size_t zero_from;               /* acc and memo, from here on, start zeroed */
    /* what acc holds (round 12: the faint revote adds to the plain votes) */
    enum { VOTES_NONE, VOTES_PLAIN, VOTES_FAINT } votes;
    /* the last pick again (repick, revote, pattern) gave the lines there
     * were, to the bit: the memo kept, and a search on them would be the
     * last one's (round 13) */
    bool same_pick;
} work;

/* The line polish's index (round 12): the edges by the axis of their
 * gradient (either way round, AXES of them) and by POLISH_CELL px cell. */
enum { AXES = DIR_BINS / 2, POLISH_CELL = 32 };

/* Step 3 (idp_hough.c): the votes of wk's edges into wk->acc (faint: each
 * within its direction's noise; onto the plain votes when wk->votes says
 * they are in); the strongest lines into wk->lines; the edges indexed for
 * the polish (once per copy); the lines polished. cs, sn: the N_THETA
 * directions' cosines and sines. */
void idp_det_hough(work *wk, const double *cs, const double *sn, bool faint);
idp_status idp_det_pick_lines(idp_ctx *ctx, work *wk, const double *cs, const double *sn,
                              int band_cap, int pattern_peaks, int *left_out);
void idp_det_index_edges(work *wk);
void idp_det_polish_lines(work *wk);

/* Steps 1-3 on img: lays out and allocates wk's block (wk zeroed by the
 * caller), makes the working copy at integer factor *f, finds the edges
 * and the lines. *searched is false when there is nothing to search (the
 * copy too small, no edge). Fails only when memory runs out. */
idp_status idp_det_find_lines(idp_ctx *ctx, const idp_image *img, work *wk, uint32_t *f,
                              bool *searched);

/* Steps 1-3 as idp_det_find_lines, on a copy of at most ZOOM_SIDE (twice
 * as fine on the check's 1000 px copy), quads down to ZOOM_AREA_MIN of
 * the frame: the zoomed look for far cards (docs/detection.md "Round 9").
 * *f: the factor of the copy searched before, and the new one; when the
 * new copy would be no finer, nothing is done (*searched false). */
idp_status idp_det_zoom_lines(idp_ctx *ctx, const idp_image *img, work *wk, uint32_t *f,
                              bool *searched);

/* Step 3 again on the same votes, at most band_cap lines per BAND_DEG
 * band of direction (the second look, docs/detection.md "Round 5"); the
 * memo of side supports is cleared. */
idp_status idp_det_repick_lines(idp_ctx *ctx, work *wk, int band_cap);

/* Steps 3 again with the faint vote (the look for faint outlines,
 * docs/detection.md "Round 6"): the accumulator cleared, each edge pixel
 * voting within its direction's noise (VOTE_SPREAD to VOTE_SPREAD_MAX
 * degrees), the lines picked and polished; the memo is cleared. */
idp_status idp_det_revote_lines(idp_ctx *ctx, work *wk);

/* Step 3 again on the same votes, leaving out the bands of direction that
 * hold PATTERN_PEAKS local maxima or more (a tablecloth's or a grid's
 * families of parallel lines: the look past a pattern, docs/detection.md
 * "Round 8"); their number into *left_out (0: no pattern, nothing to look
 * past). The memo of side supports is cleared. */
idp_status idp_det_pattern_lines(idp_ctx *ctx, work *wk, int *left_out);

/* Frees wk's block (its pixel data wiped first). */
void idp_det_work_free(work *wk);

/* ------------------------------------------------------------------ */
/* quad search and scoring (idp_quads.c)                                */

typedef struct candidate {
    double score;
    double q[4][2];
    double support;
    double weakest; /* the least support of a side */
    double aspect;
    idp_doc_kind kind;
    int lines[4];    /* a1, a2, b1, b2 */
    double c[4][2];  /* corners in the lines' order: a1b1, a1b2, a2b2, a2b1 */
    bool cut_inside; /* a box inside a page cut off by the frame (round 15) */
    int closed_side; /* the side of q the light look closed its U with
                        (idp_det_light_sides; read only on its quads) */
} candidate;

/* The TOP_K best quads so far, by score: the evidence on the image
 * chooses among them (the best outline by edges alone may be a band or a
 * box inside the document, or run along wood grain). */
typedef struct ranking {
    candidate c[TOP_K + 1]; /* room for the clear one, judged last */
    int n;
    candidate clear; /* the best by score with every side >= CLEAR_SIDE */
    bool has_clear;
} ranking;

/* Step 4-5: every quad of two roughly parallel pairs of wk's lines, the
 * TOP_K best by score into *best, and the best clear one (CLEAR_SIDE). */
void idp_det_find_quads(work *wk, ranking *best);

/* Whether best (edge evidence ev_conf, before its content; confidence
 * conf with its content c) is a sure outline on a photo too dark to show
 * print (idp_soft.c, round 17): a later look holds it to the first
 * look's bar instead of asking for an ID's letters. */
struct idp_content;
bool idp_det_soft_sure(const idp_image *img, const candidate *best, double ev_conf, double conf,
                       const struct idp_content *c);

/* Round 18: a side of the returned quad q on a surface's line crossing
 * the document's edge at a slight angle moved onto the edge, side by
 * side, each move kept when the evidence (aspect error dmin) holds at
 * least as well (idp_turned.c). True when a side moved. */
bool idp_quad_turned_sides(const idp_image *g, double q[4][2], double dmin);

/* Step 6: grows *best to its outermost outline. */
void idp_det_grow_outward(work *wk, candidate *best);

/* The aspect of quad q (canonical order, wk's pixels) seen without
 * perspective, about the principal point (frame's centre or the quad's)
 * that brings it nearer a document's; the nearer kind and |ln(aspect /
 * its nominal)|. False when no aspect can be told (idp_quads.c). */
bool idp_det_doc_fit(const work *wk, const double q[4][2], double *aspect, idp_doc_kind *kind,
                     double *dmin);

/* Round 26: the outline beyond a band printed along a side of in (a
 * quad of four lines, wk's pixels), the side found by its edges where the
 * line search kept no line; into *out (its corners in in's order), true
 * when found (idp_band.c). */
bool idp_det_band_beyond(const work *wk, const candidate *in, candidate *out);
/* The same for the winner *best of a look (its confidence *conf), the
 * outline found refined on img (f: img's pixels per wk's) and judged by
 * the evidence as any quad is: when it holds, it replaces *best (the
 * outermost outline wins), *conf and *least_con (its least side contrast)
 * are its, and true is returned. */
bool idp_det_band_outline(const work *wk, const idp_image *img, uint32_t f, candidate *best,
                          double *conf, double *least_con);

/* The finder's answer (idp_judge.c): *best (the winner of the looks, in
 * img's pixels; second: found by a later look) given as doc's outline when
 * doc->confidence (set by the caller) holds, else a scan when img is one,
 * else nothing found or the document marked cut off. */
void idp_det_judge(const idp_image *img, const candidate *best, bool second, idp_document *doc);

/* Round 22: whether an outline goes on from b to c past its side a -> b
 * (on one line): the stretch separates colours as the side does
 * (idp_quads.c); the side's own step (levels) into *side_step when not
 * NULL. */
bool idp_det_outline_goes_on(const work *wk, const double a[2], const double b[2],
                             const double c[2], double *side_step);

/* Helpers of the quad search shared with idp_partial.c: the crossing of
 * two lines into p (0: parallel), the angle between two lines (degrees,
 * 0-90), and the share of segment p0-p1's in-frame middle with an edge
 * along it (polar: of one polarity only; *inframe: the share of it inside
 * the frame; counts: hits + 1, in-frame and all samples, or NULL). */
int idp_det_intersect(const line *a, const line *b, double p[2]);
double idp_det_angle_between(const line *a, const line *b);
/* The "same object" rules of the later looks (idp_same.c): whether the
 * refusal of quad s (judged and refused in an earlier look; zoomed: s is
 * the coarse copy's, q the zoomed look's) is in quad q too; the largest
 * IoU of q with a quad of seen (n of them, seen_conf their confidences)
 * refused for a reason q shares (0: none); whether q of the zoomed look
 * is another outline than s, a quad the coarse copy found wanting on
 * some sides only. */
bool idp_det_refusal_shared(const idp_image *img, const double s[4][2], const double q[4][2],
                            bool zoomed);
double idp_det_same_object(const idp_image *img, const double q[4][2], const double (*seen)[4][2],
                           const double *seen_conf, int n);
bool idp_det_other_outline(const idp_image *img, const double q[4][2], const double s[4][2]);
/* Whether p lies inside q or on a side of it (within 1 px). */
bool idp_det_inside_quad(const double q[4][2], const double p[2]);

/* A U of wk's lines (idp_u.c): lines i < j within PARTIAL_PARALLEL of
 * each other, k at least a given angle to both, crossing them at c1 (on
 * i) and c2 (on j). */
typedef struct idp_u {
    int i, j, k;
    double c1[2], c2[2];
} idp_u;
#define IDP_U_FIRST ((idp_u){.i = -1, .j = 0, .k = 0})

/* The next U after *u (IDP_U_FIRST: the first) into *u, in the order
 * i, then j, then k: k at least min_angle degrees to both i and j, both
 * crossings at least margin px inside the frame. False when there is no
 * other. */
bool idp_det_next_u(const work *wk, double min_angle, double margin, idp_u *u);

/* The unit vector along line l pointing to side s (+1 or -1) of line
 * k's normal. */
void idp_det_along(const line *l, const line *k, int s, double u[2]);

/* Whether c is within 4 degrees and 8 px of k: the same line to the line
 * pick's non-maximum suppression (near 0 / 180 degrees the same line has
 * rho negated). */
static inline bool idp_det_same_line(const line *c, const line *k)
{
    double dt = fabs(c->theta - k->theta), dr = fabs(c->rho - k->rho);
    if (dt > 90) {
        dt = 180 - dt;
        dr = fabs(c->rho + k->rho);
    }
    return dt < 4 && dr < 8;
}
double idp_det_edge_support(const work *wk, const double p0[2], const double p1[2], double *inframe,
                            uint8_t counts[3], bool polar);
/* The support of line a between its crossings p0 and p1 with lines b and
 * c, memoised as the quad search's (round 12: idp_closing.c's U). */
double idp_det_memo_support(work *wk, int a, int b, int c, const double p0[2], const double p1[2],
                            double *inframe);

/* ------------------------------------------------------------------ */
/* a side outside the frame (idp_partial.c)                             */

/* Step 6, a side outside the frame: the best three-sided document into
 * *best when it beats best->score. */
void idp_det_find_partial(work *wk, candidate *best);
/* The same, keeping only a U that encloses one of the nq quads q (round
 * 11, a box printed on a document cut off by the frame); and whether the
 * U u (a three-sided candidate) encloses quad q. Both on wk's copy. */
void idp_det_find_partial_around(work *wk, const double (*q)[4][2], int nq, candidate *best);
bool idp_det_partial_encloses(const candidate *u, const double q[4][2]);

/* Round 22: whether the U's outline goes on past q inside it, up to the
 * frame: not every one of its parallel sides read there stops
 * (idp_det_outline_goes_on; idp_partial.c). */
bool idp_det_partial_goes_on(const work *wk, const candidate *u, const double q[4][2]);

/* Round 15: whether quad box (wk's copy) is a box printed on a document
 * cut off by the frame: a U of wk's lines (found as
 * idp_det_find_partial_around finds it) encloses it, and both its
 * parallel sides are seen on their last stretch up to the frame's edge. */
bool idp_det_cut_around(work *wk, const double box[4][2]);

/* ------------------------------------------------------------------ */
/* a side the line search missed (idp_closing.c)                        */

/* Round 12: each U of three of wk's lines (two roughly parallel, one
 * joining them) closed by a fourth side found along the edges where a
 * document's aspect puts it, that side made a line of wk's list in place
 * of its weakest; returns how many (0: none, the list unchanged). The
 * memo of side supports is cleared when any. */
int idp_det_close_sides(work *wk);

/* ------------------------------------------------------------------ */
/* the light side (idp_lightside.c)                                     */
/* Round 16: each U of three of wk's lines (two roughly parallel, one
 * joining them, each on the edge map) closed by a fourth side found by
 * its colour steps on the working copy, in the band a document's aspect
 * puts it in, a step counting above what the surface beside the side
 * reaches; the quads (wk's copy, lines[3] = -1) into out, the max best
 * by score; returns how many. */
int idp_det_light_sides(const work *wk, candidate *out, int max);
/* A corner under a finger or an object (round 10): the other three
 * corners seen as `corners` sees a corner (both sides on at least this
 * share of their stretch next to it) */
#define COVER_CLEAR IDP_CORNER_SUPPORT_MIN
struct idp_evidence;
/* The confidence of quad q (img's pixels) judged with the two sides at
 * its one covered corner left out; ev's own when it has no such corner
 * or is sure or refused already (idp_partial.c). */
double idp_det_covered(const idp_image *img, const double q[4][2], idp_doc_kind kind,
                       const struct idp_evidence *ev);

/* The finder's last resort (round 25): the surest U (three sides seen)
 * refused only because a side running out of the frame reaches its edge
 * with steps of the other sign (idp_evidence.h, sign_mask), judged with
 * either sign and its content; the finder takes it when no look finds
 * anything else (docs/detection.md, "Round 25"). */
typedef struct idp_det_last_resort {
    candidate c; /* on the image */
    double conf; /* with its content; 0: none */
    int letters; /* ID-sized letters read inside */
} idp_det_last_resort;

/* Judges c (on img, aspect error dmin) with either sign and keeps it in
 * *lr when surer than what *lr holds (idp_partial.c). */
void idp_det_other_sign(const idp_image *img, const candidate *c, double dmin,
                        idp_det_last_resort *lr);

#endif
