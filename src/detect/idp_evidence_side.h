/* idp_evidence_side: a side of a quad as idp_evidence reads it, and the
 * readings of the strips beside the sides and of the lines inside and
 * outside the quad (idp_evidence_strips.c), shared by idp_evidence.c.
 * Internal to src/detect; docs/detection.md gives the reasons for every
 * limit. */
#ifndef IDP_EVIDENCE_SIDE_H
#define IDP_EVIDENCE_SIDE_H

#include "idp_evidence.h"

#include <stdbool.h>

#define STEP_MIN 10.0     /* colour step (levels) that counts as an edge: > 3 sigma of JPEG noise */
#define CONTRAST_FULL 1.5 /* the least side's contrast for full confidence */

/* Side i of a quad, from corner i to corner i + 1. */
typedef struct idp_ev_side {
    double p0[2], p1[2];
    double ux, uy, nx, ny; /* along, outward */
    double len;
    int polarity;    /* sign of most steps */
    double strength; /* mean |step| of its supported samples */
    bool seen;
} idp_ev_side;

/* The four sides of q, each with its unit vector along it and its unit
 * normal pointing away from the quad's centre. */
void idp_ev_sides_of(const double q[4][2], idp_ev_side sd[4]);

/* The contrast of the strips just inside and just outside side d (2..7 %
 * of the short side from it): the largest over channels of |mean
 * difference| / pooled std, plus the texture's difference; -1 when the
 * outside is out of view. */
double idp_ev_side_contrast(const idp_image *g, const idp_ev_side *d, double shortside, double s)
    IDP_NONNULL(1, 2);

/* Full-length straight lines inside the straightened document, parallel
 * to its sides, counted per direction in per_dir; returns their sum. */
int idp_ev_inner_lines(const idp_image *g, const double q[4][2], double aspect, int per_dir[2])
    IDP_NONNULL(1, 2, 4);

/* Whether a supported line runs parallel to side d outside it with
 * printed content between: 1 such a line, 0 none, 2 the frame's edge
 * comes first. */
int idp_ev_outer_line(const idp_image *g, const idp_ev_side *d, double shortside, double s)
    IDP_NONNULL(1, 2);

/* Round 12: each side's contrast taken about a plane when every corner
 * measured is rounded (a light card on a light desk); sets ev->rounded,
 * ev->lifted, ev->plane and raises ev->contrast. */
void idp_ev_lift_contrast(const idp_image *img, const double quad[4][2], const idp_ev_side sd[4],
                          double ss, double s, idp_evidence *ev) IDP_NONNULL(1, 2, 3, 6);

#endif
