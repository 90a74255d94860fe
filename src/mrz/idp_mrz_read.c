/* Finding and reading the machine-readable zone in a photo: the
 * straightened document when it was found, else the whole photo, in its
 * rotations; the groups of lines found (idp_mrz_find.c) are read by the
 * OCR-B template reader (idp_mrz_ocrb.c), Tesseract (idp_mrz_tess.c) when
 * that does not validate; a tilted zone is sheared level. Method and
 * measurements: docs/mrz.md. */
#include "idp_mrz.h"
#include "idp_math.h"
#include "idp_mrz_ocrb.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Pixels per mm the document is straightened to: an MRZ letter (2.3 mm
 * high, 2.54 mm pitch) is then about 20 px high. */
#define DOC_PX_PER_MM 8.0
/* The whole image is searched on a copy of at most this long side. */
#define FRAME_SIDE 1200u
struct idp_mrz_reader {
    unsigned threads; /* what the ctx of the read allows (idp_ctx_threads) */
};

idp_status idp_mrz_reader_create(idp_ctx *ctx, idp_mrz_reader **out)
{
    *out = calloc(1, sizeof(**out));
    if (*out == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
    return IDP_OK;
}

void idp_mrz_reader_destroy(idp_mrz_reader *rd)
{
    free(rd);
}

typedef idp_mrz_grey grey;
typedef idp_mrz_box box;
typedef idp_mrz_group group;

/* A reading of print that is not a zone (or of a zone upside down) may
 * still get a check digit right by chance: a zone starts with a document
 * code (P, I, A, C or V), and its issuing state is letters. */
bool idp_mrz_plausible(const idp_mrz *m)
{
    const char c = m->lines[0][0];
    if (c != 'P' && c != 'I' && c != 'A' && c != 'C' && c != 'V')
        return false;
    for (int i = 2; i < 5; i++) {
        const char s = m->lines[0][i];
        if (!((s >= 'A' && s <= 'Z') || s == '<'))
            return false;
    }
    return true;
}

/* The template reader's least mean correlation for print to be taken as
 * a zone (docs/mrz.md). */
#define OCRB_MIN_CONFIDENCE 0.70

/* When Tesseract reads a group the template reader did not validate. */
enum { TESS_NEVER, TESS_ZONES, TESS_ALWAYS };

/* Reads the groups of lines found in use, with the OCR-B template reader
 * first, Tesseract when that does not validate (TESS_ZONES: only for a
 * group the template reader takes for a zone); true when a valid zone was
 * read. */
static bool read_groups(idp_mrz_reader *rd, const grey *use, const box *found_lines, int n,
                        int max_groups, int tess, idp_mrz *best, bool *found)
{
    box cands[IDP_MRZ_MAX_CANDS];
    group groups[IDP_MRZ_MAX_GROUPS];
    memcpy(cands, found_lines, sizeof(box) * (size_t)n);
    const int ng = idp_mrz_find_groups(cands, n, (int)use->w, groups);
    for (int i = 0; i < ng && i < max_groups; i++) {
        bool zone = false;
        for (int flip = 0; flip < 2 && !zone; flip++) {
            idp_mrz got;
            double conf = 0;
            if (idp_mrz_ocrb_read(use, &groups[i], flip, OCRB_MIN_CONFIDENCE, &got, &conf) &&
                conf >= OCRB_MIN_CONFIDENCE && idp_mrz_plausible(&got)) {
                zone = true;
                if (!*found || got.valid_score > best->valid_score) {
                    *best = got;
                    *found = true;
                }
            }
            idp_mrz_wipe(&got);
        }
        if (*found && best->valid_score == 100)
            return true;
        if ((tess == TESS_ALWAYS || (tess == TESS_ZONES && zone)) &&
            idp_mrz_tess_read(use, &groups[i], rd->threads, best, found))
            return true;
    }
    return false;
}

/* Looks for the zone in g in the four rotations; stops at a valid one.
 * The line finder's memory is kept from one rotation or shear to the
 * next. */
static idp_status search(idp_ctx *ctx, idp_mrz_reader *rd, const grey *g, double min_share,
                         bool quick, idp_mrz *best, bool *found)
{
    box cands[IDP_MRZ_MAX_CANDS];
    idp_mrz_lines_work work = {0};
    idp_status st = IDP_OK;
    bool done = false;
    for (int q = 0; q < (quick ? 1 : 4) && !done; q++) {
        grey r = {0, 0, NULL};
        const grey *use = g;
        if (q == 2) /* upside down is read by flipping each group's crop */
            continue;
        if (q != 0) {
            if (!idp_mrz_grey_rotate(g, q, &r)) {
                st = idp_fail(ctx, IDP_E_NOMEM, "out of memory");
                break;
            }
            use = &r;
        }
        const int n = idp_mrz_find_lines(use, (int)(use->w * min_share), cands, &work);
        done = read_groups(rd, use, cands, n, quick ? 1 : 3, quick ? TESS_ZONES : TESS_ALWAYS, best,
                           found);
        idp_mrz_grey_free(&r);
    }
    /* a zone tilted more than its lines can be told apart at (a page
     * photographed askew, no document found): sheared level, a degree at
     * a time, read by the template reader alone */
    for (int k = 1; k <= 14 && !quick && !done && st == IDP_OK; k++) {
        const double t = tan((k + 1) / 2 * (k % 2 ? 1.0 : -1.0) * IDP_PI / 180);
        grey r = {0, 0, NULL};
        if (!idp_mrz_grey_shear(g, t, &r)) {
            st = idp_fail(ctx, IDP_E_NOMEM, "out of memory");
            break;
        }
        const int n = idp_mrz_find_lines(&r, (int)(r.w * min_share), cands, &work);
        done = read_groups(rd, &r, cands, n, 3, TESS_NEVER, best, found);
        idp_mrz_grey_free(&r);
    }
    idp_mrz_lines_work_free(&work);
    return st;
}

idp_status idp_mrz_read(idp_ctx *ctx, idp_mrz_reader *rd, const idp_image *img,
                        const idp_document *doc, bool quick, idp_mrz *out, bool *found)
{
    idp_status st = IDP_OK;
    grey g = {0, 0, NULL};
    *found = false;
    memset(out, 0, sizeof(*out));
    rd->threads = idp_ctx_threads(ctx);
    if (doc != NULL && doc->found) {
        double wmm = 0, hmm = 0, ls, ss;
        idp_document_size_mm(doc, &wmm, &hmm);
        idp_quad_sides(doc->quad, &ls, &ss);
        uint32_t w, h;
        if (wmm > 0 && hmm > 0) {
            w = (uint32_t)(wmm * DOC_PX_PER_MM);
            h = (uint32_t)(hmm * DOC_PX_PER_MM);
        } else {
            const double f = 1000.0 / ls;
            w = (uint32_t)((doc->portrait ? ss : ls) * f);
            h = (uint32_t)((doc->portrait ? ls : ss) * f);
        }
        idp_image *flat = NULL;
        st = idp_warp_quad(ctx, img, doc->quad, w, h, &flat);
        if (st != IDP_OK)
            return st;
        const int ok = idp_mrz_grey_from_image(flat, 4000, &g);
        idp_image_destroy(flat);
        if (!ok)
            return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
        st = search(ctx, rd, &g, 0.55, quick, out, found);
        idp_mrz_grey_free(&g);
        if (st != IDP_OK || (*found && out->valid_score == 100) || quick)
            return st;
    }
    if (!idp_mrz_grey_from_image(img, FRAME_SIDE, &g))
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
    st = search(ctx, rd, &g, 0.20, quick, out, found);
    idp_mrz_grey_free(&g);
    return st;
}
