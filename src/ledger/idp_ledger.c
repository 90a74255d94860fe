/* The ledger's front: opening the right backend for a path or a URI, the
 * checks on what callers pass, the rules of status changes, and every
 * write as one transaction, retried while another writer's conflicting
 * transaction makes the backend ask for it (PostgreSQL) for up to
 * IDP_LEDGER_BUSY_MS. The statements themselves are in ledger_sqlite*.c
 * and ledger_pg*.c. */
#include "ledger_backend.h"
#include "idp_wipe.h"

#include "idp_form.h"
#include "idp_reference.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const status_names[] = {"prepared", "submitted", "resolved", "rejected"};

const char *idp_ledger_status_name(idp_ledger_status status)
{
    if ((unsigned)status >= sizeof(status_names) / sizeof(status_names[0]))
        return "?";
    return status_names[status];
}

bool idp_ledger_status_parse(const char *name, idp_ledger_status *out)
{
    for (size_t i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++) {
        if (strcmp(name, status_names[i]) == 0) {
            *out = (idp_ledger_status)i;
            return true;
        }
    }
    return false;
}

const char *idp_ledger_path(const idp_ledger *ledger)
{
    return ledger->path;
}

/* ---- URIs ------------------------------------------------------------- */

bool ledger_is_uri(const char *target)
{
    return strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0;
}

bool idp_ledger_is_uri(const char *target)
{
    return ledger_is_uri(target);
}

/* Whether the query parameter name p[0..n) names a password (password,
 * sslpassword: any name ending in "password"), read as libpq reads it:
 * percent-decoded ("pass%77ord" is "password"). */
static bool is_password_key(const char *p, size_t n)
{
    char key[64];
    size_t k = 0;

    for (size_t i = 0; i < n && k < sizeof(key) - 1; i++) {
        unsigned v;
        if (p[i] == '%' && i + 2 < n && sscanf(p + i + 1, "%2x", &v) == 1) {
            key[k++] = (char)v;
            i += 2;
        } else {
            key[k++] = p[i];
        }
    }
    key[k] = '\0';
    return k >= 8 && strcmp(key + k - 8, "password") == 0;
}

/* Appends n bytes of s to buf (as snprintf would have written them). */
static void put(char *buf, size_t size, size_t *w, const char *s, size_t n)
{
    if (*w < size)
        memcpy(buf + *w, s, n < size - *w ? n : size - *w);
    *w += n;
}

size_t idp_ledger_display_name(const char *target, char *buf, size_t size)
{
    size_t n = strlen(target), i, w = 0;
    const char *auth, *auth_end, *at = NULL, *colon = NULL;

    if (!ledger_is_uri(target)) {
        put(buf, size, &w, target, n);
        goto done;
    }
    /* The user information ends at the last '@' before the query: looked
     * for past a '/' too, so that a password holding a raw '/' is still
     * hidden (libpq would not read it as one; it must not be shown). */
    auth = strstr(target, "://") + 3;
    auth_end = auth + strcspn(auth, "?#");
    for (const char *p = auth; p < auth_end; p++)
        if (*p == '@')
            at = p;
    if (at != NULL)
        colon = memchr(auth, ':', (size_t)(at - auth));
    for (i = 0; i < n;) {
        const char *p = target + i;
        if (colon != NULL && p == colon) {
            put(buf, size, &w, ":***", 4);
            i = (size_t)(at - target);
            continue;
        }
        if (p > auth_end && (p[-1] == '?' || p[-1] == '&')) {
            size_t key = strcspn(p, "=&#");
            if (p[key] == '=' && is_password_key(p, key)) {
                put(buf, size, &w, p, key);
                put(buf, size, &w, "=***", 4);
                i += key + 1 + strcspn(p + key + 1, "&#");
                continue;
            }
        }
        put(buf, size, &w, target + i, 1);
        i++;
    }
done:
    if (size > 0)
        buf[w < size ? w : size - 1] = '\0';
    return w;
}

/* ---- Opening ---------------------------------------------------------- */

static idp_status ledger_open_any(idp_ctx *ctx, const char *target, bool readonly, idp_ledger **out)
{
    size_t shown = idp_ledger_display_name(target, NULL, 0) + 1;
    idp_ledger *l;
    idp_status s;

    *out = NULL;
    if (*target == '\0')
        return idp_fail(ctx, IDP_E_USAGE, "ledger: empty path");
    l = calloc(1, sizeof(*l));
    if (l != NULL && (l->path = malloc(shown)) != NULL)
        idp_ledger_display_name(target, l->path, shown);
    if (l == NULL || l->path == NULL) {
        free(l);
        return idp_fail(ctx, IDP_E_NOMEM, "ledger: out of memory");
    }
    if (pthread_mutex_init(&l->lock, NULL) != 0) {
        free(l->path);
        free(l);
        return idp_fail(ctx, IDP_E_NOMEM, "%s: cannot create a lock", target);
    }
    l->ops = ledger_is_uri(target) ? &ledger_pg_ops : &ledger_sqlite_ops;
    l->readonly = readonly;
    s = l->ops->open(ctx, l, target, readonly);
    if (s != IDP_OK) {
        idp_ledger_close(l);
        return s;
    }
    *out = l;
    return IDP_OK;
}

idp_status idp_ledger_open(idp_ctx *ctx, const char *path, idp_ledger **out)
{
    return ledger_open_any(ctx, path, false, out);
}

idp_status idp_ledger_open_readonly(idp_ctx *ctx, const char *path, idp_ledger **out)
{
    return ledger_open_any(ctx, path, true, out);
}

void idp_ledger_close(idp_ledger *ledger)
{
    if (ledger == NULL)
        return;
    ledger->ops->close(ledger);
    pthread_mutex_destroy(&ledger->lock);
    free(ledger->path);
    free(ledger->agent);
    idp_free_wiped_str(ledger->conninfo);
    free(ledger);
}

/* ---- Checks on what callers pass -------------------------------------- */

/* Plain text on one line: what a form field may hold (idp_text_problem:
 * valid UTF-8, no control character but tab, no direction mark), no line
 * break. */
static bool text_ok(const char *s)
{
    size_t at;

    return idp_text_problem(s, strlen(s), &at) == NULL && strchr(s, '\n') == NULL;
}

idp_status idp_ledger_set_agent(idp_ctx *ctx, idp_ledger *ledger, const char *agent)
{
    char *copy = NULL;
    size_t n;

    if (agent != NULL) {
        n = strlen(agent);
        if (n == 0 || n > IDP_LEDGER_AGENT_MAX || !text_ok(agent) || strchr(agent, '\t') != NULL)
            return idp_fail(ctx, IDP_E_FIELD,
                            "the agent's name must be 1 to %d bytes of text on one line",
                            IDP_LEDGER_AGENT_MAX);
        copy = strdup(agent);
        if (copy == NULL)
            return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
    }
    pthread_mutex_lock(&ledger->lock);
    free(ledger->agent);
    ledger->agent = copy;
    pthread_mutex_unlock(&ledger->lock);
    return IDP_OK;
}

static bool case_id_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > IDP_LEDGER_CASE_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}

static idp_status check_note(idp_ctx *ctx, const char *ref, const char *note)
{
    size_t n = strlen(note);
    if (n == 0)
        return idp_fail(ctx, IDP_E_FIELD, "%s: the note is empty", ref);
    if (n > IDP_LEDGER_NOTE_MAX)
        return idp_fail(ctx, IDP_E_FIELD, "%s: the note is longer than %d bytes (%zu)", ref,
                        IDP_LEDGER_NOTE_MAX, n);
    if (!text_ok(note))
        return idp_fail(ctx, IDP_E_FIELD,
                        "%s: the note is not UTF-8 text or holds control characters or "
                        "direction marks",
                        ref);
    return IDP_OK;
}

/* The canonical spelling of a reference (Crockford: case, O -> 0, I/L ->
 * 1), or the text as given when it is not one (it is then not found). */
static const char *canonical_ref(const char *ref, char buf[IDP_REFERENCE_LEN])
{
    return idp_reference_parse(ref, buf) ? buf : ref;
}

/* Whether a package may go from `from` to `to` (see the header). */
static bool transition_ok(idp_ledger_status from, idp_ledger_status to)
{
    switch (to) {
    case IDP_LEDGER_SUBMITTED:
        return from == IDP_LEDGER_PREPARED || from == IDP_LEDGER_SUBMITTED ||
               from == IDP_LEDGER_REJECTED;
    case IDP_LEDGER_RESOLVED:
    case IDP_LEDGER_REJECTED:
        return from == IDP_LEDGER_PREPARED || from == IDP_LEDGER_SUBMITTED;
    case IDP_LEDGER_PREPARED:
        return false;
    }
    return false;
}

/* ---- Transactions ----------------------------------------------------- */

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* What one write does inside its transaction. */
typedef struct write_op {
    const char *ref;
    const idp_ledger_package *pkg; /* record */
    idp_ledger_status to;          /* mark */
    const char *case_id, *note;
    int64_t at;
    idp_status (*body)(idp_ctx *ctx, idp_ledger *l, const struct write_op *op);
} write_op;

/* Runs op in one transaction under the handle's lock; a conflict the
 * backend marks as worth retrying (l->retry) starts it again after a
 * pause (2, 4 .. 64 ms, a little jitter) until IDP_LEDGER_BUSY_MS. */
static idp_status run_write(idp_ctx *ctx, idp_ledger *l, const write_op *op)
{
    int64_t deadline = now_ms() + IDP_LEDGER_BUSY_MS;
    long pause = 2;
    idp_status s;

    pthread_mutex_lock(&l->lock);
    for (;;) {
        l->retry = false;
        s = l->ops->begin_write(ctx, l);
        if (s == IDP_OK)
            s = op->body(ctx, l, op);
        if (s == IDP_OK)
            s = l->ops->commit(ctx, l);
        if (s == IDP_OK)
            break;
        l->ops->rollback(l);
        if (!l->retry || now_ms() >= deadline)
            break;
        idp_ctx_clear(ctx);
        sleep_ms(pause + (long)(now_ms() % 3));
        pause = pause < 64 ? pause * 2 : 64;
    }
    if (s != IDP_OK && l->retry)
        s = idp_fail(ctx, IDP_E_IO,
                     "%s: other writers kept changing the same package for %d s; try again",
                     l->path, IDP_LEDGER_BUSY_MS / 1000);
    l->retry = false;
    pthread_mutex_unlock(&l->lock);
    return s;
}

/* As find_status, but IDP_E_NOTFOUND naming the reference when absent. */
static idp_status current_status(idp_ctx *ctx, idp_ledger *l, const char *ref,
                                 idp_ledger_status *status)
{
    bool found;
    idp_status s = l->ops->find_status(ctx, l, ref, &found, status);
    if (s == IDP_OK && !found)
        s = idp_fail(ctx, IDP_E_NOTFOUND, "%s: no such package in the ledger %s", ref, l->path);
    return s;
}

/* ---- Writing ---------------------------------------------------------- */

static idp_status record_body(idp_ctx *ctx, idp_ledger *l, const write_op *op)
{
    idp_ledger_status status = IDP_LEDGER_PREPARED;
    bool exists;
    idp_status s = l->ops->find_status(ctx, l, op->ref, &exists, &status);

    if (s == IDP_OK)
        s = l->ops->put_package(ctx, l, op->pkg, op->ref, exists);
    if (s == IDP_OK)
        s = l->ops->add_event(ctx, l, op->ref, op->pkg->created, exists ? "rebuilt" : "prepared",
                              status, NULL, op->pkg->folder);
    return s;
}

idp_status idp_ledger_record(idp_ctx *ctx, idp_ledger *ledger, const idp_ledger_package *pkg)
{
    char buf[IDP_REFERENCE_LEN];
    write_op op = {.pkg = pkg, .body = record_body};

    if (pkg->reference == NULL || *pkg->reference == '\0' || pkg->folder == NULL ||
        pkg->lang == NULL)
        return idp_fail(ctx, IDP_E_USAGE,
                        "%s: a package needs a reference, a folder and a language to be recorded",
                        ledger->path);
    op.ref = canonical_ref(pkg->reference, buf);
    return run_write(ctx, ledger, &op);
}

static idp_status mark_body(idp_ctx *ctx, idp_ledger *l, const write_op *op)
{
    idp_ledger_status from;
    idp_status s = current_status(ctx, l, op->ref, &from);

    if (s != IDP_OK)
        return s;
    if (!transition_ok(from, op->to))
        return idp_fail(ctx, IDP_E_USAGE, "%s: cannot mark a %s package %s%s", op->ref,
                        idp_ledger_status_name(from), idp_ledger_status_name(op->to),
                        from == IDP_LEDGER_RESOLVED ? " (it is resolved: add a note instead)"
                        : from == op->to            ? " again"
                                                    : "");
    s = l->ops->set_status(ctx, l, op->ref, op->to, op->case_id, op->at);
    if (s == IDP_OK)
        s = l->ops->add_event(ctx, l, op->ref, op->at, idp_ledger_status_name(op->to), op->to,
                              op->case_id, op->note);
    return s;
}

idp_status idp_ledger_mark(idp_ctx *ctx, idp_ledger *ledger, const char *reference,
                           idp_ledger_status status, const char *case_id, const char *note,
                           int64_t at)
{
    char buf[IDP_REFERENCE_LEN];
    write_op op = {.to = status, .case_id = case_id, .note = note, .at = at, .body = mark_body};

    op.ref = canonical_ref(reference, buf);
    if (status != IDP_LEDGER_SUBMITTED && status != IDP_LEDGER_RESOLVED &&
        status != IDP_LEDGER_REJECTED)
        return idp_fail(ctx, IDP_E_USAGE,
                        "%s: invalid status '%s' (use submitted, resolved or rejected)", op.ref,
                        idp_ledger_status_name(status));
    if (case_id != NULL && !case_id_ok(case_id))
        return idp_fail(ctx, IDP_E_FIELD,
                        "%s: the case id must be 1 to %d letters, digits, '.', '_' or '-'", op.ref,
                        IDP_LEDGER_CASE_MAX);
    if (note != NULL) {
        idp_status ns = check_note(ctx, op.ref, note);
        if (ns != IDP_OK)
            return ns;
    }
    return run_write(ctx, ledger, &op);
}

static idp_status note_body(idp_ctx *ctx, idp_ledger *l, const write_op *op)
{
    idp_ledger_status status;
    idp_status s = current_status(ctx, l, op->ref, &status);

    if (s == IDP_OK)
        s = l->ops->touch(ctx, l, op->ref, op->at);
    if (s == IDP_OK)
        s = l->ops->add_event(ctx, l, op->ref, op->at, "note", status, NULL, op->note);
    return s;
}

idp_status idp_ledger_note(idp_ctx *ctx, idp_ledger *ledger, const char *reference,
                           const char *note, int64_t at)
{
    char buf[IDP_REFERENCE_LEN];
    write_op op = {.note = note, .at = at, .body = note_body};
    idp_status s;

    op.ref = canonical_ref(reference, buf);
    s = check_note(ctx, op.ref, note);
    if (s != IDP_OK)
        return s;
    return run_write(ctx, ledger, &op);
}

/* ---- Reading ---------------------------------------------------------- */

/* The time before which a submission is overdue as of as_of. */
static int64_t overdue_cutoff(int64_t as_of, unsigned hours)
{
    int64_t span = (int64_t)(hours == 0 ? IDP_LEDGER_OVERDUE_HOURS : hours) * 3600;
    return as_of < INT64_MIN + span ? INT64_MIN : as_of - span;
}

bool ledger_dup(const char *s, char **out)
{
    *out = NULL;
    if (s == NULL)
        return true;
    *out = strdup(s);
    return *out != NULL;
}

void ledger_entry_clear(idp_ledger_entry *e)
{
    free(e->reference);
    idp_free_wiped_str(e->customer);
    idp_free_wiped_str(e->account_email);
    free(e->lang);
    idp_free_wiped_str(e->folder);
    free(e->pdf_sha256);
    free(e->case_id);
    memset(e, 0, sizeof(*e));
}

/* Makes room for element n of an array of `size`-byte elements whose
 * capacity is 16, 32, 64 ...: it grows when n is 0 or a power of two. */
static bool make_room(void **items, size_t n, size_t size)
{
    size_t bytes;
    void *p;

    if (n != 0 && (n < 16 || (n & (n - 1)) != 0))
        return true;
    if (!idp_mul_size(n == 0 ? 16 : n * 2, size, &bytes) || (p = realloc(*items, bytes)) == NULL)
        return false;
    *items = p;
    return true;
}

idp_ledger_entry *ledger_list_push(idp_ctx *ctx, idp_ledger *l, idp_ledger_list *list)
{
    void *items = list->entries;
    idp_ledger_entry *e;

    if (!make_room(&items, list->n, sizeof(*e))) {
        idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", l->path);
        return NULL;
    }
    list->entries = items;
    e = &list->entries[list->n++];
    memset(e, 0, sizeof(*e));
    return e;
}

idp_ledger_event *ledger_history_push(idp_ctx *ctx, idp_ledger *l, idp_ledger_history *h)
{
    void *items = h->events;
    idp_ledger_event *ev;

    if (!make_room(&items, h->n_events, sizeof(*ev))) {
        idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", l->path);
        return NULL;
    }
    h->events = items;
    ev = &h->events[h->n_events++];
    memset(ev, 0, sizeof(*ev));
    return ev;
}

/* Longest wait first: the earliest submission; then by reference. */
static int by_wait(const void *a, const void *b)
{
    const idp_ledger_entry *x = a, *y = b;

    if (x->submitted != y->submitted)
        return x->submitted < y->submitted ? -1 : 1;
    return strcmp(x->reference, y->reference);
}

idp_status idp_ledger_list_packages(idp_ctx *ctx, idp_ledger *ledger,
                                    const idp_ledger_filter *filter, idp_ledger_list **out)
{
    idp_ledger_filter all = {.as_of = (int64_t)time(NULL)};
    idp_ledger_list *list;
    idp_status s;

    *out = NULL;
    if (filter == NULL)
        filter = &all;
    if (filter->by_status && (unsigned)filter->status > IDP_LEDGER_REJECTED)
        return idp_fail(ctx, IDP_E_USAGE, "%s: invalid status filter", ledger->path);
    list = calloc(1, sizeof(*list));
    if (list == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", ledger->path);
    pthread_mutex_lock(&ledger->lock);
    s = ledger->ops->list(ctx, ledger, filter, overdue_cutoff(filter->as_of, filter->overdue_hours),
                          list);
    pthread_mutex_unlock(&ledger->lock);
    if (s != IDP_OK) {
        idp_ledger_list_free(list);
        return s;
    }
    /* The customer who has waited longest comes first. */
    if (filter->overdue_only && list->n > 1)
        qsort(list->entries, list->n, sizeof(list->entries[0]), by_wait);
    *out = list;
    return IDP_OK;
}

void idp_ledger_list_free(idp_ledger_list *list)
{
    if (list == NULL)
        return;
    for (size_t i = 0; i < list->n; i++)
        ledger_entry_clear(&list->entries[i]);
    free(list->entries);
    free(list);
}

idp_status idp_ledger_show(idp_ctx *ctx, idp_ledger *ledger, const char *reference, int64_t as_of,
                           unsigned overdue_hours, idp_ledger_history **out)
{
    char buf[IDP_REFERENCE_LEN];
    const char *ref = canonical_ref(reference, buf);
    idp_ledger_history *h;
    idp_status s;

    *out = NULL;
    h = calloc(1, sizeof(*h));
    if (h == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", ledger->path);
    pthread_mutex_lock(&ledger->lock);
    s = ledger->ops->show(ctx, ledger, ref, overdue_cutoff(as_of, overdue_hours), h);
    pthread_mutex_unlock(&ledger->lock);
    if (s != IDP_OK) {
        idp_ledger_history_free(h);
        return s;
    }
    *out = h;
    return IDP_OK;
}

void idp_ledger_history_free(idp_ledger_history *history)
{
    if (history == NULL)
        return;
    ledger_entry_clear(&history->package);
    for (size_t i = 0; i < history->n_events; i++) {
        free(history->events[i].kind);
        free(history->events[i].case_id);
        idp_free_wiped_str(history->events[i].note);
        free(history->events[i].agent);
    }
    free(history->events);
    free(history);
}
