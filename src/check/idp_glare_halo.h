/* idp_glare_halo: the surroundings of one saturated region (its rings,
 * holes, border and the print in its middle) and its solid core, read for
 * idp_glare.c's tests. Internal to src/check/. docs/checks.md ("glare").
 */
#ifndef IDP_GLARE_HALO_H
#define IDP_GLARE_HALO_H

#include "idp_image.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The deepest ring read around a core (px): docs/checks.md, a core's
 * halo read out to one core radius, up to this. */
#define RING_MAX 48u

/* Mid-scale luma, where ink ends and paper begins: print is darker than
 * it, paper, tint and a light desk are at it or lighter (idp_glare.c's
 * light pixels, the dark print under a region's middle here). */
#define MID_SCALE 128

/* The directions a region's surroundings are read in, one sector of 45
 * degrees each around its centroid, and how far out (px): the deepest
 * ring read around a whole region (RING_BLOB in idp_glare.c). docs/checks.md,
 * "Round 19: a halo read per direction". */
#define SECTORS 8u
#define SECTOR_DEPTH 24u
/* The counters idp_glare_ring needs to read the sectors. */
#define SECTOR_HIST (SECTORS * (SECTOR_DEPTH + 1) * 256u)

/* One 8-connected region of saturated pixels: label (1, 2, ...), area
 * and bounding box (inclusive). */
typedef struct region {
    uint32_t label, area;
    uint32_t x0, y0, x1, y1;
} region;

/* A horizontal run of saturated pixels, [x0, x1] on row y. */
typedef struct sat_run {
    uint32_t y, x0, x1;
    uint32_t parent; /* union-find over runs */
} sat_run;

/* What a region's outer surroundings look like (its holes filled: print
 * inside a white field is the field's, not its surroundings). */
typedef struct ring {
    uint32_t outer;                       /* border steps to the outside (not into holes) */
    uint32_t edge;                        /* border steps onto the image's edge */
    uint32_t holes;                       /* pixels of its holes */
    uint32_t depth;                       /* rings measured: 1..depth */
    double paper1, paper2, paper4, paper; /* 75th percentile of luma 1, 2, 4, depth px out */
    double mean;                          /* mean luma depth px out */
    double mean_lit;                      /* ... of its pixels under IDP_GLARE_SAT (NAN: none) */
    double print_at[RING_MAX + 1];        /* 25th percentile of luma d px out (d >= 1) */
    double inner_ink;                     /* share of holes in the middle of the filled
                                           * region (NAN: not measured) */
    double sector_ramp[SECTORS];          /* per sector: 75th percentile 2 px out minus
                                           * depth px out (NAN: not read, or no pixels) */
    double sector_tail[SECTORS];          /* ... 4 px out minus depth px out */
} ring;

/* Fills in *rg for region r out to depth px (<= RING_MAX; core: NULL, or a
 * mask over r's bounding box: then only the region's pixels in it are the
 * blob, the rest of the region is its surroundings like any other pixel).
 * runs carry their region's label in `parent`. mark and dist (w*h) are
 * all zero on entry and left so; queue holds w*h indices; hist holds
 * (RING_MAX + 1) * 256 counters. sect: NULL, or SECTOR_HIST counters and
 * depth <= SECTOR_DEPTH: then the sectors are read too, around the blob's
 * centroid (the region's, or the core's). All borrowed. */
void idp_glare_ring(const idp_image *g, const sat_run *runs, size_t n_runs, uint8_t *mark,
                    uint8_t *dist, uint32_t *queue, uint32_t *hist, const region *r,
                    const uint8_t *core, uint32_t depth, uint32_t *sect, ring *rg);

/* The solid core of region r: its opening by a diamond of radius half the
 * largest it holds (dt: a bounding box of scratch; core gets 1 on the
 * opened pixels). Returns the core's pixels (0: thinner than 4 px). */
uint32_t idp_glare_open_core(const sat_run *runs, size_t n_runs, const region *r, uint16_t *dt,
                             uint8_t *core);

#endif
