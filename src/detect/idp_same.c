/* Whether a quad of a later look is an object judged already (the
 * document finder's "same object" rules, docs/detection.md rounds 9, 13
 * and 21): a quad refused in an earlier look vetoes a later quad over the
 * same place when the reason for the refusal is in the later quad too;
 * the zoomed look's quad that leaves out the sides the coarse copy found
 * wanting is another outline. Split out of idp_detect.c, which judges. */
#include "idp_detect_int.h"
#include "idp_evidence.h"
#include "idp_trace.h"

/* a side's contrast for full confidence: idp_evidence.c's CONTRAST_FULL */
#define CONTRAST_FULL 1.5

/* The sides of quad a (bit i: a[i] to a[i + 1]) that quad q has too: a
 * side of q with both ends within SAME_SIDE of a's short side ss of the
 * side's line. */
static unsigned shared_sides(const double a4[4][2], const double q[4][2], double ss)
{
    unsigned mask = 0;
    for (int i = 0; i < 4; i++) {
        const double *a = a4[i], *b = a4[(i + 1) % 4];
        const double len = hypot(b[0] - a[0], b[1] - a[1]);
        for (int k = 0; k < 4 && len > 0; k++) {
            const double *c = q[k], *d = q[(k + 1) % 4];
            const double dc =
                fabs((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])) / len;
            const double dd =
                fabs((b[0] - a[0]) * (d[1] - a[1]) - (b[1] - a[1]) * (d[0] - a[0])) / len;
            if (dc <= SAME_SIDE * ss && dd <= SAME_SIDE * ss)
                mask |= 1u << i;
        }
    }
    return mask;
}

/* Whether a quad judged not sure enough (ev, its evidence) owes that to
 * sides q does not have (round 13): q shares at least two of its sides,
 * and on those, with its other factors, it would hold. Then q is another
 * outline of the same thing (a card's true side where a line inside it
 * or a finger's shadow was taken), judged on its own evidence. */
static bool refused_elsewhere(const idp_evidence *ev, const double seen[4][2], const double q[4][2])
{
    double ls, ss;
    idp_quad_sides(seen, &ls, &ss);
    const unsigned shared = shared_sides(seen, q, ss);
    const int n = (int)(shared & 1u) + (int)((shared >> 1) & 1u) + (int)((shared >> 2) & 1u) +
                  (int)((shared >> 3) & 1u);
    const double on = n >= 2 && n < 4 ? idp_evidence_on(ev, ~shared & 0xFu) : 0;
    IDP_TRACE("detect: refused on sides %x, on the shared %x %.3f\n", ~shared & 0xFu, shared, on);
    return on >= IDP_CONFIDENCE_MIN;
}

/* Whether the refusal of quad s, judged in an earlier look and refused,
 * is in quad q of a later look too, so that s vetoes q as the same object
 * (round 21: same_object and the zoomed look ask this one rule). A
 * refusal belongs where its reason lies. A surface pattern crossing a side
 * refuses that side, not the object (round 9): q without any crossed side
 * is another outline, judged on its own evidence (crossing is measured only
 * when the rest gave a confidence). When s is the coarse copy's and q the
 * zoomed look's (zoomed), q must also have every side of s that was not
 * crossed: the copy twice as fine draws lines the coarse one merged (a
 * gingham's single rows), so a quad off s on a sound side too is a
 * rectangle of the surface where s's look saw one, and s's judgement of
 * that place stands. A side stopping short refuses a side with an end
 * outside the frame that ends before the frame's edge: q with every corner
 * in view runs to no frame edge, so it is not q's; nor is a side short
 * only for the sign of its steps there (round 25). Enclosed by an outline,
 * inner lines, or refused on the sides q shares: the refusal stands;
 * refused on the sides q does not have: not (refused_elsewhere). */
bool idp_det_refusal_shared(const idp_image *img, const double s[4][2], const double q[4][2],
                            bool zoomed)
{
    idp_evidence ev;
    idp_quad_evidence(img, s, 0, &ev);
    double ls, ss;
    idp_quad_sides(s, &ls, &ss);
    const unsigned shared = shared_sides(s, q, ss);
    bool cut = false;
    for (int k = 0; k < 4; k++)
        cut = cut || !idp_in_view(img, q[k][0], q[k][1], 0);
    if (!cut)
        ev.short_mask = 0;
    /* a side short only for the sign of its steps at the frame's edge
     * (round 25: a page's border print or a surface's line, by chance)
     * does not carry to another look's outline: q is judged on its own */
    ev.short_mask &= ~ev.sign_mask;
    const bool kept = ev.enclosed || ((ev.crossed_mask | ev.short_mask) & shared) != 0 ||
                      (ev.crossed_mask != 0 && zoomed && (ev.crossed_mask | shared) != 0xFu) ||
                      (ev.crossed_mask == 0 && !refused_elsewhere(&ev, s, q));
    IDP_TRACE("detect: refused quad crossed %x short %x shared %x kept %d\n", ev.crossed_mask,
              ev.short_mask, shared, kept);
    return kept;
}

/* Whether quad q of a later look is the same object as a quad judged in
 * any look and refused outright (evidence 0: inner lines, enclosed,
 * crossed, cut short): a few px of outline do not change what the object
 * is, so the refusal stands (IoU >= SECOND_SAME) when its reason is in q
 * too (refusal_shared). */
double idp_det_same_object(const idp_image *img, const double q[4][2], const double (*seen)[4][2],
                           const double *seen_conf, int n)
{
    double same = 0;
    for (int j = 0; j < n; j++) {
        if (seen_conf[j] > 0)
            continue;
        const double iou = idp_quad_iou(q, seen[j]);
        if (iou < SECOND_SAME || iou <= same)
            continue;
        /* a box inside a cut-off outline: refused for where it lies */
        const bool kept =
            SEEN_INSIDE(seen_conf[j]) || idp_det_refusal_shared(img, seen[j], q, false);
        IDP_TRACE("detect: refused quad %d IoU %.2f kept %d\n", j, iou, kept);
        if (kept)
            same = iou;
    }
    return same;
}

/* Whether quad q of the zoomed look is another outline than s, a quad the
 * coarse copy judged (not refused outright) and found wanting for some of
 * its sides only (round 13): s's sides short of full support or contrast
 * (IDP_SUP_FULL, CONTRAST_FULL) are where its outline was off (a
 * card's back on grained wood: a side on the grain beside the card, and
 * the side it cuts run on past the card's corner), s without them would
 * hold (IDP_CONFIDENCE_MIN), and q has none of them.
 * A quad judged low for what it holds (its print, inner lines) or with
 * all its sides sound keeps the coarse copy's judgement. */
bool idp_det_other_outline(const idp_image *img, const double q[4][2], const double s[4][2])
{
    idp_evidence ev;
    idp_quad_evidence(img, s, 0, &ev);
    if (ev.confidence <= 0)
        return false;
    double ls, ss;
    idp_quad_sides(s, &ls, &ss);
    unsigned weak = 0;
    for (int i = 0; i < 4; i++)
        if (((ev.seen & (1u << i)) && ev.support[i] < IDP_SUP_FULL) ||
            (ev.contrast[i] >= 0 && ev.contrast[i] < CONTRAST_FULL))
            weak |= 1u << i;
    if (weak == 0 || idp_evidence_without(&ev, weak) < IDP_CONFIDENCE_MIN)
        return false;
    /* a weak side kept: one of q's sides with both ends near its ends
     * (its support and contrast are measured between its corners: the
     * same line with a corner moved is another segment) */
    const double near = SAME_SIDE * ss;
    for (int i = 0; i < 4; i++) {
        if (!(weak & (1u << i)))
            continue;
        const double *a = s[i], *b = s[(i + 1) % 4];
        for (int k = 0; k < 4; k++) {
            const double *c = q[k], *d = q[(k + 1) % 4];
            if ((hypot(c[0] - a[0], c[1] - a[1]) <= near &&
                 hypot(d[0] - b[0], d[1] - b[1]) <= near) ||
                (hypot(c[0] - b[0], c[1] - b[1]) <= near &&
                 hypot(d[0] - a[0], d[1] - a[1]) <= near))
                return false;
        }
    }
    IDP_TRACE("detect: coarse quad weak sides %x left: another outline\n", weak);
    return true;
}
