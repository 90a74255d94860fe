/* Inside the mrz module: the OCR-B template reader's matcher
 * (idp_mrz_cells.c), which idp_mrz_ocrb.c cuts the lines for. */
#ifndef IDP_MRZ_CELLS_H
#define IDP_MRZ_CELLS_H

#include "idp_mrz_ocrb.h"

#include <stdbool.h>
#include <stdint.h>

/* The strip's margins around its cells, template pixels. */
#define IDP_MRZ_MX IDP_OCRB_TW
#define IDP_MRZ_MY 6

/* A line's print as a strip of ink (255 = black) in template pixels:
 * column IDP_MRZ_MX + i * IDP_OCRB_TW is the left of cell i. */
typedef struct idp_mrz_strip {
    int w, h;
    int16_t *p; /* ink 0..255 */
} idp_mrz_strip;

/* What a search at +-1 px around (cx, cy) found, kept so that a search at
 * +-2 px around the same place does not match those 9 shifts again. */
typedef struct idp_mrz_near {
    int cx, cy, set;
    float sc[IDP_OCRB_N]; /* each character's best over the 9 shifts */
    float top[9];         /* each shift's best character's score; -2: not matched */
} idp_mrz_near;

/* Makes the zero-mean templates (once per process; safe from any thread). */
void idp_mrz_cells_init(void);

/* For the tests: the plain loops even where the processor has AVX2 (true),
 * or back to what it has (false). One thread, with no reading under way. */
void idp_mrz_cells_force_plain(bool plain);

/* How many windows the calling thread has correlated with the templates
 * so far (what the tests count the matcher's work by). */
unsigned long idp_mrz_cells_windows(void);

/* The best correlation of each character with cell i of st, over shifts
 * (cx +- rx, cy +- ry) around the cell's place; the shift of the best
 * character into *bx, *by. With near: a +-1 search is kept there, a +-2
 * search around the place kept takes its 9 inner shifts from there (the
 * same scores, the same shift chosen on a tie, as matched again). */
void idp_mrz_match_cell(const idp_mrz_strip *st, int i, int cx, int cy, int rx, int ry,
                        float sc[IDP_OCRB_N], int *bx, int *by, idp_mrz_near *near);

#endif
