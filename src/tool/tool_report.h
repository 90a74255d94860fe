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
/* The "document" object of check and normalize --json: found, kind,
 * upright (what decided the top: "mrz", "text" or "photo"; null when not
 * found) and quad (TL, TR, BR, BL, 0.1 px; null when not found). */
json_t *tool_document_json(const idp_document *d);

/* The machine-readable zone as check reports it: format, valid_score and
 * the fields, the document number masked but for its last three
 * characters; never the lines. */
json_t *tool_mrz_summary_json(const idp_mrz *m);

json_t *tool_report_json(const char *file, const idp_check_report *r, const char *error,
                         const char *lang);

/* Writes s to f with what a terminal would act on made visible: control
 * characters (C0 including newline and tab, DEL, C1) and bytes that are
 * not UTF-8 as \xNN, bidirectional controls (U+061C, U+200E, U+200F,
 * U+202A-U+202E, U+2066-U+2069) as <U+XXXX>. File names and messages that
 * quote them go through it: a name cannot move the cursor, clear the
 * screen or reverse the text around it. */
void tool_put_safe(FILE *f, const char *s);

/* Prints "idpack CMD: MSG" (or "idpack: MSG" when cmd is NULL) and a
 * newline to stderr, MSG through tool_put_safe. */
void tool_print_error(const char *cmd, const char *msg);

/* A JSON string of s (a new reference, NULL only when out of memory):
 * jansson refuses text that is not UTF-8, so each byte that is not is
 * replaced by U+FFFD and a file name with such bytes still has its key. */
json_t *tool_json_string(const char *s);

#endif
