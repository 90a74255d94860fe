/* Readability: a photo can be read when its print stands out from its
 * paper, whatever the mean brightness. A white document on a light desk is
 * bright (mean luma ~215) and perfectly legible; a dark photo (mean ~20)
 * or a washed-out one (mean ~240) squeezes ink and paper into a few dozen
 * levels. The spread between the 1st and 99th luma percentiles measures
 * that directly, one histogram over the grey copy. */
#include "idp_exposure.h"
#include "idp_stats.h"

#include <string.h>

void idp_measure_readability(const idp_image *grey, idp_readability *out)
{
    const size_t n = (size_t)grey->width * grey->height * grey->channels;
    uint64_t hist[256] = {0};

    memset(out, 0, sizeof(*out));
    if (n == 0)
        return;
    for (size_t i = 0; i < n; i++)
        hist[grey->data[i]]++;
    out->ink = idp_hist_percentile(hist, n, IDP_EXPOSURE_INK_PCT);
    out->paper = idp_hist_percentile(hist, n, IDP_EXPOSURE_PAPER_PCT);
    out->spread = out->paper - out->ink;
}
