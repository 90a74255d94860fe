/* The U's of the line list: two roughly parallel lines and a third
 * joining them, the shape a document shows when one of its sides is cut
 * off by the frame (idp_partial.c), covered, or too faint for the line
 * search (idp_closing.c, idp_lightside.c). One enumeration, in one order,
 * for all three. */
#include "idp_detect_int.h"

bool idp_det_next_u(const work *wk, double min_angle, double margin, idp_u *u)
{
    const int n = wk->nlines;
    int i = u->i, j = u->j, k = u->k + 1;
    if (i < 0) {
        i = 0;
        j = 1;
        k = 0;
    }
    for (; i < n; i++, j = i + 1, k = 0)
        for (; j < n; j++, k = 0) {
            const line *li = &wk->lines[i], *lj = &wk->lines[j];
            if (idp_det_angle_between(li, lj) > PARTIAL_PARALLEL)
                continue;
            for (; k < n; k++) {
                const line *lk = &wk->lines[k];
                if (k == i || k == j || idp_det_angle_between(lk, li) < min_angle ||
                    idp_det_angle_between(lk, lj) < min_angle)
                    continue;
                double *c1 = u->c1, *c2 = u->c2;
                if (!idp_det_intersect(li, lk, c1) || !idp_det_intersect(lj, lk, c2) ||
                    c1[0] < margin || c1[1] < margin || c1[0] > wk->w - margin ||
                    c1[1] > wk->h - margin || c2[0] < margin || c2[1] < margin ||
                    c2[0] > wk->w - margin || c2[1] > wk->h - margin)
                    continue;
                u->i = i;
                u->j = j;
                u->k = k;
                return true;
            }
        }
    u->i = n;
    return false;
}

void idp_det_along(const line *l, const line *k, int s, double u[2])
{
    u[0] = -l->ny;
    u[1] = l->nx;
    if ((u[0] * k->nx + u[1] * k->ny) * s < 0) {
        u[0] = -u[0];
        u[1] = -u[1];
    }
}
