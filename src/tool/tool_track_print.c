/* idpack track: printing packages and their events, as text and JSON
 * (docs/ledger.md). */
#include "tool.h"
#include "idp_util.h"

#include "idp_build.h"
#include "idp_ledger.h"
#include "tool_opts.h"
#include "tool_report.h"
#include "tool_track.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

json_t *track_json_time(bool has, int64_t t)
{
    char buf[32];
    if (!has)
        return json_null();
    idp_format_date(t, true, buf, sizeof(buf));
    return json_string(buf);
}

static json_t *json_str(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

/* Whole hours the customer has waited for Amazon's answer at as_of: since
 * the latest submission of a package still submitted, else none. */
static bool waiting_hours(const idp_ledger_entry *e, int64_t as_of, long long *hours)
{
    if (e->status != IDP_LEDGER_SUBMITTED || !e->has_submitted)
        return false;
    *hours = as_of > e->submitted ? (long long)((as_of - e->submitted) / 3600) : 0;
    return true;
}

json_t *track_entry_json(const idp_ledger_entry *e, int64_t as_of)
{
    long long hours;
    json_t *o = json_object();
    json_object_set_new(o, "reference", json_string(e->reference));
    json_object_set_new(o, "status", json_string(idp_ledger_status_name(e->status)));
    json_object_set_new(o, "customer", json_str(e->customer));
    json_object_set_new(o, "account_email", json_str(e->account_email));
    json_object_set_new(o, "lang", json_str(e->lang));
    json_object_set_new(o, "folder", json_str(e->folder));
    json_object_set_new(o, "pdf_sha256", json_str(e->pdf_sha256));
    json_object_set_new(o, "created", track_json_time(true, e->created));
    json_object_set_new(o, "submitted", track_json_time(e->has_submitted, e->submitted));
    json_object_set_new(o, "case_id", json_str(e->case_id));
    json_object_set_new(o, "updated", track_json_time(true, e->updated));
    json_object_set_new(o, "overdue", json_boolean(e->overdue));
    json_object_set_new(o, "waiting_hours",
                        waiting_hours(e, as_of, &hours) ? json_integer(hours) : json_null());
    return o;
}

void track_print_json(json_t *root)
{
    json_dumpf(root, stdout, TOOL_JSON_FLAGS);
    fputc('\n', stdout);
    json_decref(root);
}

/* Prints s with control characters (from a CSV, say) shown as '?', so a
 * label cannot move the terminal's cursor. */
void track_put_safe(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s != NULL ? s : "-"); *p != 0; p++)
        putchar(*p < 0x20 || *p == 0x7f ? '?' : *p);
}

void track_format_time(int64_t t, char *buf, size_t size)
{
    idp_format_date(t, true, buf, size);
}

void track_print_history(const idp_ledger_history *h, int64_t as_of)
{
    const idp_ledger_entry *e = &h->package;
    char t[32];

    printf("%s  %s", e->reference, idp_ledger_status_name(e->status));
    if (e->overdue)
        printf("  OVERDUE (submitted %lld h ago)", (long long)((as_of - e->submitted) / 3600));
    fputs("\n  customer       ", stdout);
    track_put_safe(e->customer);
    fputs("\n  account email  ", stdout);
    track_put_safe(e->account_email);
    fputs("\n  language       ", stdout);
    track_put_safe(e->lang);
    fputs("\n  folder         ", stdout);
    track_put_safe(e->folder);
    fputs("\n  request.pdf    sha256 ", stdout);
    track_put_safe(e->pdf_sha256);
    track_format_time(e->created, t, sizeof(t));
    printf("\n  created        %s\n", t);
    if (e->has_submitted) {
        track_format_time(e->submitted, t, sizeof(t));
        printf("  submitted      %s\n", t);
    }
    fputs("  case           ", stdout);
    track_put_safe(e->case_id);
    track_format_time(e->updated, t, sizeof(t));
    printf("\n  updated        %s\nEvents:\n", t);
    for (size_t i = 0; i < h->n_events; i++) {
        const idp_ledger_event *ev = &h->events[i];
        track_format_time(ev->at, t, sizeof(t));
        printf("  %s  %-9s", t, ev->kind);
        if (ev->case_id != NULL) {
            fputs("  case ", stdout);
            track_put_safe(ev->case_id);
        }
        if (ev->note != NULL) {
            fputs("  ", stdout);
            track_put_safe(ev->note);
        }
        if (ev->agent != NULL) {
            fputs("  by ", stdout);
            track_put_safe(ev->agent);
        }
        putchar('\n');
    }
}

json_t *track_history_json(const idp_ledger_history *h, int64_t as_of)
{
    json_t *root = json_object(), *events = json_array();
    json_object_set_new(root, "package", track_entry_json(&h->package, as_of));
    for (size_t i = 0; i < h->n_events; i++) {
        const idp_ledger_event *ev = &h->events[i];
        json_t *o = json_object();
        json_object_set_new(o, "at", track_json_time(true, ev->at));
        json_object_set_new(o, "kind", json_string(ev->kind));
        json_object_set_new(o, "status", json_string(idp_ledger_status_name(ev->status)));
        json_object_set_new(o, "case_id", json_str(ev->case_id));
        json_object_set_new(o, "note", json_str(ev->note));
        json_object_set_new(o, "agent", json_str(ev->agent));
        json_array_append_new(events, o);
    }
    json_object_set_new(root, "events", events);
    return root;
}
