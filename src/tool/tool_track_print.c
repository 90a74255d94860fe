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
    int64_t at;

    if (idp_ledger_entry_status(e) != IDP_LEDGER_SUBMITTED || !idp_ledger_entry_submitted(e, &at))
        return false;
    *hours = as_of > at ? (long long)((as_of - at) / 3600) : 0;
    return true;
}

json_t *track_entry_json(const idp_ledger_entry *e, int64_t as_of)
{
    long long hours;
    int64_t sub_at;
    bool submitted = idp_ledger_entry_submitted(e, &sub_at);
    json_t *o = json_object();
    json_object_set_new(o, "reference", json_string(idp_ledger_entry_reference(e)));
    json_object_set_new(o, "status",
                        json_string(idp_ledger_status_name(idp_ledger_entry_status(e))));
    json_object_set_new(o, "customer", json_str(idp_ledger_entry_customer(e)));
    json_object_set_new(o, "account_email", json_str(idp_ledger_entry_account_email(e)));
    json_object_set_new(o, "lang", json_str(idp_ledger_entry_lang(e)));
    json_object_set_new(o, "folder", json_str(idp_ledger_entry_folder(e)));
    json_object_set_new(o, "pdf_sha256", json_str(idp_ledger_entry_pdf_sha256(e)));
    json_object_set_new(o, "created", track_json_time(true, idp_ledger_entry_created(e)));
    json_object_set_new(o, "submitted", track_json_time(submitted, sub_at));
    json_object_set_new(o, "case_id", json_str(idp_ledger_entry_case_id(e)));
    json_object_set_new(o, "updated", track_json_time(true, idp_ledger_entry_updated(e)));
    json_object_set_new(o, "overdue", json_boolean(idp_ledger_entry_overdue(e)));
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

/* A label of `track show`, padded to 15 columns (labels in UTF-8 count
 * their characters, not their bytes). */
static void label(const char *lang, const char *en)
{
    const char *l = tool_tr(lang, en);
    size_t n = 0;

    for (const char *p = l; *p != '\0'; p++)
        n += ((unsigned char)*p & 0xc0) != 0x80;
    printf("  %s%*s", l, n < 15 ? (int)(15 - n) : 1, "");
}

void track_print_history(const idp_ledger_history *h, int64_t as_of, const char *lang)
{
    const idp_ledger_entry *e = idp_ledger_history_package(h);
    int64_t sub_at;
    bool submitted = idp_ledger_entry_submitted(e, &sub_at);
    char t[32];

    printf("%s  %s", idp_ledger_entry_reference(e),
           idp_ledger_status_name(idp_ledger_entry_status(e)));
    if (idp_ledger_entry_overdue(e))
        printf(tool_tr(lang, "  OVERDUE (submitted %lld h ago)"),
               (long long)((as_of - sub_at) / 3600));
    putchar('\n');
    label(lang, N_("customer"));
    track_put_safe(idp_ledger_entry_customer(e));
    putchar('\n');
    label(lang, N_("account email"));
    track_put_safe(idp_ledger_entry_account_email(e));
    putchar('\n');
    label(lang, N_("language"));
    track_put_safe(idp_ledger_entry_lang(e));
    putchar('\n');
    label(lang, N_("folder"));
    track_put_safe(idp_ledger_entry_folder(e));
    putchar('\n');
    label(lang, N_("request.pdf"));
    fputs("sha256 ", stdout);
    track_put_safe(idp_ledger_entry_pdf_sha256(e));
    putchar('\n');
    track_format_time(idp_ledger_entry_created(e), t, sizeof(t));
    label(lang, N_("created"));
    printf("%s\n", t);
    if (submitted) {
        track_format_time(sub_at, t, sizeof(t));
        label(lang, N_("submitted"));
        printf("%s\n", t);
    }
    label(lang, N_("case"));
    track_put_safe(idp_ledger_entry_case_id(e));
    putchar('\n');
    track_format_time(idp_ledger_entry_updated(e), t, sizeof(t));
    label(lang, N_("updated"));
    printf("%s\n%s\n", t, tool_tr(lang, "Events:"));
    for (size_t i = 0; i < idp_ledger_history_count(h); i++) {
        const idp_ledger_event *ev = idp_ledger_history_event(h, i);
        const char *case_id = idp_ledger_event_case_id(ev), *note = idp_ledger_event_note(ev),
                   *agent = idp_ledger_event_agent(ev);
        track_format_time(idp_ledger_event_at(ev), t, sizeof(t));
        printf("  %s  %-9s", t, idp_ledger_event_kind(ev));
        if (case_id != NULL) {
            fputs(tool_tr(lang, "  case "), stdout);
            track_put_safe(case_id);
        }
        if (note != NULL) {
            fputs("  ", stdout);
            track_put_safe(note);
        }
        if (agent != NULL) {
            fputs(tool_tr(lang, "  by "), stdout);
            track_put_safe(agent);
        }
        putchar('\n');
    }
}

json_t *track_history_json(const idp_ledger_history *h, int64_t as_of)
{
    json_t *root = json_object(), *events = json_array();
    json_object_set_new(root, "package", track_entry_json(idp_ledger_history_package(h), as_of));
    for (size_t i = 0; i < idp_ledger_history_count(h); i++) {
        const idp_ledger_event *ev = idp_ledger_history_event(h, i);
        json_t *o = json_object();
        json_object_set_new(o, "at", track_json_time(true, idp_ledger_event_at(ev)));
        json_object_set_new(o, "kind", json_string(idp_ledger_event_kind(ev)));
        json_object_set_new(o, "status",
                            json_string(idp_ledger_status_name(idp_ledger_event_status(ev))));
        json_object_set_new(o, "case_id", json_str(idp_ledger_event_case_id(ev)));
        json_object_set_new(o, "note", json_str(idp_ledger_event_note(ev)));
        json_object_set_new(o, "agent", json_str(idp_ledger_event_agent(ev)));
        json_array_append_new(events, o);
    }
    json_object_set_new(root, "events", events);
    return root;
}
