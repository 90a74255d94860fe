/* idpack track: what its command file and its printing file share. */
#ifndef IDP_TOOL_TRACK_H
#define IDP_TOOL_TRACK_H

#include "idp_ledger.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A time as 2026-11-26T10:00:00Z, or JSON null when !has. */
json_t *track_json_time(bool has, int64_t t);
/* A package as in `track list --json`; waiting hours judged at as_of. */
json_t *track_entry_json(const idp_ledger_entry *e, int64_t as_of);
/* {"package": ..., "events": [...]} */
json_t *track_history_json(const idp_ledger_history *h, int64_t as_of);
/* Prints root on stdout and frees it. */
void track_print_json(json_t *root);
/* Prints s ("-" for NULL) with control characters shown as '?'. */
void track_put_safe(const char *s);
void track_format_time(int64_t t, char *buf, size_t size);
/* `track show` as text, its words in lang (tool_tr). */
void track_print_history(const idp_ledger_history *h, int64_t as_of, const char *lang);

#endif
