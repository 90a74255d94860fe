/* The checks' names, and how their numbers are written in JSON (check
 * --json, manifest.json): rounded to what the measurement can tell apart,
 * so a value reads 2711.4, never 2711.4000000000001 (docs/exit-codes.md,
 * "Numbers"). */
#include "idp_check.h"

#include <math.h>

const char *idp_check_name(idp_check_id id)
{
    static const char *const names[IDP_CHECK_COUNT] = {
        "decode", "limits",     "resolution", "sharpness", "exposure", "glare",
        "colour", "screenshot", "duplicate",  "document",  "corners",  "expiry",
    };
    return (unsigned)id < IDP_CHECK_COUNT ? names[id] : "unknown";
}

const char *idp_check_status_name(idp_check_status status)
{
    switch (status) {
    case IDP_CHECK_PASS:
        return "pass";
    case IDP_CHECK_WARN:
        return "warn";
    case IDP_CHECK_FAIL:
        return "fail";
    }
    return "unknown";
}

const char *idp_verdict_name(idp_verdict verdict)
{
    switch (verdict) {
    case IDP_VERDICT_PASS:
        return "pass";
    case IDP_VERDICT_WARN:
        return "warn";
    case IDP_VERDICT_FAIL:
        return "fail";
    case IDP_VERDICT_ERROR:
        return "error";
    }
    return "unknown";
}

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
