/* Printing check reports: shared by check, build and demo. */
#ifndef IDP_TOOL_REPORT_H
#define IDP_TOOL_REPORT_H

#include "idp_check.h"

#include <jansson.h>
#include <stdio.h>

/* One line per check of a report, to f ("  FAIL  sharpness  The photo..."). */
void tool_report_text(FILE *f, const char *file, const idp_check_report *r, const char *error,
                      const char *lang);

/* The JSON object of a report ({"file","verdict","error"?,"width",...}). */
json_t *tool_report_json(const char *file, const idp_check_report *r, const char *error,
                         const char *lang);

#endif
