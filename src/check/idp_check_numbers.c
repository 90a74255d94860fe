/* How a check's numbers are written in JSON (check --json, manifest.json):
 * rounded to what the measurement can tell apart, so a value reads
 * 2711.4, never 2711.4000000000001 (docs/exit-codes.md, "Numbers"). */
#include "idp_check.h"

#include <math.h>

int idp_check_decimals(idp_check_id id, double v)
{
    switch (id) {
    case IDP_CHECK_RESOLUTION: /* pixels */
    case IDP_CHECK_DUPLICATE:  /* bits */
    case IDP_CHECK_EXPIRY:     /* days */
        return 0;
    case IDP_CHECK_LIMITS: /* megapixels */
        return 1;
    case IDP_CHECK_SHARPNESS: /* grey levels squared, or a blur in mm (0.3) */
        return fabs(v) < 1 ? 3 : 1;
    case IDP_CHECK_COLOUR: /* a share whose limit is 0.002 */
        return 4;
    case IDP_CHECK_EXPOSURE: /* luma 0-255, or a share */
    case IDP_CHECK_CORNERS:  /* pixels, or a share */
        return fabs(v) > 1 ? 1 : 3;
    default: /* shares 0-1, an aspect */
        return 3;
    }
}

double idp_round_decimals(double v, int decimals)
{
    double scale = pow(10.0, decimals);

    if (!isfinite(v) || fabs(v) * scale > 1e15)
        return v;
    return round(v * scale) / scale;
}
