/* The ledger's public accessors: its lists, entries, histories and events
 * are opaque to programs outside the library (docs/library.md), read
 * through these; and the filter a program makes and sets. */
#include "idp_ledger.h"

#include <stdlib.h>
#include <time.h>

/* ---- Entries ---------------------------------------------------------- */

const char *idp_ledger_entry_reference(const idp_ledger_entry *e)
{
    return e->reference;
}

const char *idp_ledger_entry_customer(const idp_ledger_entry *e)
{
    return e->customer;
}

const char *idp_ledger_entry_account_email(const idp_ledger_entry *e)
{
    return e->account_email;
}

const char *idp_ledger_entry_lang(const idp_ledger_entry *e)
{
    return e->lang;
}

const char *idp_ledger_entry_folder(const idp_ledger_entry *e)
{
    return e->folder;
}

const char *idp_ledger_entry_pdf_sha256(const idp_ledger_entry *e)
{
    return e->pdf_sha256;
}

const char *idp_ledger_entry_case_id(const idp_ledger_entry *e)
{
    return e->case_id;
}

idp_ledger_status idp_ledger_entry_status(const idp_ledger_entry *e)
{
    return e->status;
}

int64_t idp_ledger_entry_created(const idp_ledger_entry *e)
{
    return e->created;
}

int64_t idp_ledger_entry_updated(const idp_ledger_entry *e)
{
    return e->updated;
}

bool idp_ledger_entry_submitted(const idp_ledger_entry *e, int64_t *at)
{
    if (at != NULL)
        *at = e->has_submitted ? e->submitted : 0;
    return e->has_submitted;
}

bool idp_ledger_entry_overdue(const idp_ledger_entry *e)
{
    return e->overdue;
}

/* ---- Lists and histories ---------------------------------------------- */

size_t idp_ledger_list_count(const idp_ledger_list *list)
{
    return list->n;
}

const idp_ledger_entry *idp_ledger_list_entry(const idp_ledger_list *list, size_t i)
{
    return i < list->n ? &list->entries[i] : NULL;
}

const idp_ledger_entry *idp_ledger_history_package(const idp_ledger_history *history)
{
    return &history->package;
}

size_t idp_ledger_history_count(const idp_ledger_history *history)
{
    return history->n_events;
}

const idp_ledger_event *idp_ledger_history_event(const idp_ledger_history *history, size_t i)
{
    return i < history->n_events ? &history->events[i] : NULL;
}

int64_t idp_ledger_event_at(const idp_ledger_event *ev)
{
    return ev->at;
}

const char *idp_ledger_event_kind(const idp_ledger_event *ev)
{
    return ev->kind;
}

idp_ledger_status idp_ledger_event_status(const idp_ledger_event *ev)
{
    return ev->status;
}

const char *idp_ledger_event_case_id(const idp_ledger_event *ev)
{
    return ev->case_id;
}

const char *idp_ledger_event_note(const idp_ledger_event *ev)
{
    return ev->note;
}

const char *idp_ledger_event_agent(const idp_ledger_event *ev)
{
    return ev->agent;
}

/* ---- The filter ------------------------------------------------------- */

idp_status idp_ledger_filter_create(idp_ctx *ctx, idp_ledger_filter **out)
{
    idp_ledger_filter *f = calloc(1, sizeof(*f));

    *out = NULL;
    if (f == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "ledger: out of memory");
    f->as_of = (int64_t)time(NULL);
    f->overdue_hours = IDP_LEDGER_OVERDUE_HOURS;
    *out = f;
    return IDP_OK;
}

void idp_ledger_filter_destroy(idp_ledger_filter *filter)
{
    free(filter);
}

void idp_ledger_filter_set_status(idp_ledger_filter *filter, idp_ledger_status status)
{
    filter->by_status = true;
    filter->status = status;
}

void idp_ledger_filter_set_as_of(idp_ledger_filter *filter, int64_t as_of, unsigned overdue_hours)
{
    filter->as_of = as_of;
    filter->overdue_hours = overdue_hours;
}

void idp_ledger_filter_set_overdue_only(idp_ledger_filter *filter, bool on)
{
    filter->overdue_only = on;
}

void idp_ledger_filter_set_never_submitted(idp_ledger_filter *filter, bool on)
{
    filter->never_submitted = on;
}

void idp_ledger_filter_set_agent(idp_ledger_filter *filter, const char *agent)
{
    filter->agent = agent;
}

void idp_ledger_filter_set_customer(idp_ledger_filter *filter, const char *customer)
{
    filter->customer = customer;
}
