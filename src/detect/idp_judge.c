/* The last step of the document finder (docs/detection.md): the winner of
 * the looks given as the document when its evidence holds, else a scan
 * when the image is one, else nothing (or a document marked cut off). */
#include "idp_detect_int.h"
#include "idp_evidence.h"
#include "idp_trace.h"

#include <math.h>
#include <string.h>

/* Whether a corner of q lies inside img nearer one edge of it than
 * EDGE_CORNER of its long side, and not at a corner of img (a crop's
 * outline is the frame). A corner is where two seen sides meet; one this
 * near the edge is within the corners' own error of it (the 95th
 * percentile of a found corner's distance from the true one), so the
 * frame may as well have cut a side running on past it: the corner is
 * the frame's, not seen (docs/detection.md, round 27). */
static bool corner_on_edge(const idp_image *img, const double q[4][2])
{
    const double w = img->width, h = img->height;
    const double near = EDGE_CORNER * (w > h ? w : h);
    for (int i = 0; i < 4; i++) {
        const double x = q[i][0], y = q[i][1];
        if (x < 0 || y < 0 || x > w || y > h)
            continue; /* beyond the frame: a side cut off, judged as such */
        const double dx = fmin(x, w - x), dy = fmin(y, h - y);
        if (fmin(dx, dy) < near && fmax(dx, dy) >= near)
            return true;
    }
    return false;
}

/* Found or not: the outline when its evidence holds (doc->confidence set
 * by the caller), else a scan when the image is one. An outline whose
 * evidence holds but which is refused here for what it is (a box inside a
 * scan, a box on a page the frame cuts off, a corner on the frame's edge)
 * vouches for no document: the confidence given is 0, not the refused
 * outline's (a reader of the JSON takes 0.40 and over for a quad found).
 * A scan without a margin has its outline at the frame's edge, so any
 * outline found inside it is an inner box unless it covers most of the
 * image; with a margin too: the margin is at most 8 % of each side, so the document's own
 * outline covers most of the rectangle inside it, and an outline over
 * less than SCAN_COVER of it is a box printed on the document (the
 * laminated window of a passport's data page). An outline of the second
 * look (second) never wins over a scan: a weaker search for documents on
 * a textured surface, where a scan has none. */
void idp_det_judge(const idp_image *img, const candidate *best, bool second, idp_document *doc)
{
    const bool outline = best->score > 0 && doc->confidence >= IDP_CONFIDENCE_MIN;
    double sq[4][2], sconf;
    idp_doc_kind skind;
    bool margin, unsure;
    bool is_scan = idp_scan_detect(img, sq, &skind, &sconf, &margin, &unsure);
    if (is_scan) { /* a document's print, not a photo or a page cropped to its shape */
        idp_content content;
        double ls, ss;
        idp_quad_sides(CQ(sq), &ls, &ss);
        idp_quad_content(img, CQ(sq), ls / ss, &content);
        sconf *= idp_content_factor(&content);
        is_scan = sconf >= IDP_CONFIDENCE_MIN;
        IDP_TRACE("detect: scan candidate margin %d letters %d small %d periodic %.2f "
                  "lines %.2f sharp %.0f conf %.3f\n",
                  margin, content.letters, content.small, content.periodic, content.lines,
                  content.sharp, sconf);
    }
    /* an outline of the second look (a weaker search) never beats a scan */
    if (is_scan &&
        !(outline && !second &&
          fabs(idp_det_area(CQ(best->q), 4)) >= SCAN_COVER * fabs(idp_det_area(CQ(sq), 4)))) {
        idp_det_canonical_order(sq);
        doc->found = true;
        doc->scan = true;
        doc->kind = skind;
        memcpy(doc->quad, sq, sizeof(sq));
        double ls, ss;
        idp_quad_sides(CQ(sq), &ls, &ss);
        doc->aspect = ls / ss;
        doc->score = 0;
        doc->confidence = sconf;
        return;
    }
    if (!outline) {
        if (doc->confidence >= IDP_CONFIDENCE_MIN) /* held, but no quad to give */
            doc->confidence = 0;
        return;
    }
    /* a flatbed scan whose document's edge was not found on a side: its
     * document fills the frame less a border of at most 8 % a side, so a
     * smaller outline is a box printed on it (the portrait's) */
    if (unsure && fabs(idp_det_area(CQ(best->q), 4)) < SCAN_COVER * (1 - 2 * SCAN_BORDER) *
                                                           (1 - 2 * SCAN_BORDER) *
                                                           (double)img->width * img->height) {
        IDP_TRACE("detect: an outline inside a flatbed scan whose edge was not found\n");
        doc->confidence = 0;
        return;
    }
    /* a box printed on a document the frame cuts off (round 15's test,
     * round 24): not the document's outline, so no quad is given; the
     * document is marked cut off (`document` and `corners` fail) */
    if (best->cut_inside) {
        IDP_TRACE("detect: the winner is a box on a page cut off by the frame: no quad\n");
        doc->cut_off = true;
        doc->confidence = 0;
        return;
    }
    if (!is_scan && corner_on_edge(img, CQ(best->q))) {
        IDP_TRACE("detect: the winner has a corner on the frame's edge: no quad\n");
        doc->confidence = 0;
        return;
    }
    doc->found = true;
    doc->kind = best->kind;
    double q[4][2]; /* a side on a surface's line across the edge moved (round 18) */
    memcpy(q, best->q, sizeof(q));
    if (idp_quad_turned_sides(img, q, fabs(log(best->aspect / idp_doc_aspect(best->kind)))))
        idp_det_canonical_order(q);
    memcpy(doc->quad, q, sizeof(q));
    const uint32_t longside = img->width > img->height ? img->width : img->height;
    const double r = idp_det_true_aspect(CQ(q), img->width / 2.0, img->height / 2.0, longside);
    doc->aspect = r >= 1 ? r : (r > 0 ? 1 / r : best->aspect);
    doc->score = best->support;
    /* the outline of a scan with a margin is the scan's document */
    doc->scan = is_scan && idp_quad_iou(CQ(q), CQ(sq)) >= SCAN_SAME;
#ifdef IDP_DETECT_TRACE
    {
        /* the content read of the winner, whichever look found it */
        idp_content c;
        double ls, ss;
        idp_quad_sides(CQ(best->q), &ls, &ss);
        idp_quad_content(img, CQ(best->q), ls / ss, &c);
        IDP_TRACE("detect: winner content letters %d small %d light %d periodic %.2f lines %.2f "
                  "text lines %d %d sharp %.0f visible %.2f spread %.3f factor %.2f conf %.3f\n",
                  c.letters, c.small, c.light, c.periodic, c.lines, c.line1, c.line2, c.sharp,
                  c.visible, c.spread, idp_content_factor_kind(&c, best->kind), doc->confidence);
    }
#endif
}
