/* The tracking ledger on SQLite. Every write is one BEGIN IMMEDIATE
 * transaction (retried while another process holds the write lock, up to
 * IDP_LEDGER_BUSY_MS), every value goes through a bound parameter of a
 * prepared statement, and the schema is brought up to date by numbered
 * migrations when the file is opened. */
#include "idp_ledger.h"

#include "idp_form.h"
#include "idp_reference.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct idp_ledger {
    sqlite3 *db;
    char *path;
    pthread_mutex_t lock; /* one operation at a time when a handle is shared by threads */
};

/* ---- Schema ----------------------------------------------------------- */

/* migrations[v] takes a file from schema version v to v + 1; version 0 is
 * an empty file. Never edit a step once released: add one. */
static const char *const migrations[IDP_LEDGER_SCHEMA_VERSION] = {
    /* 0 -> 1: the first schema. */
    "CREATE TABLE packages ("
    " reference TEXT PRIMARY KEY NOT NULL,"
    " customer TEXT,"
    " account_email TEXT,"
    " lang TEXT NOT NULL,"
    " folder TEXT NOT NULL,"
    " pdf_sha256 TEXT,"
    " created INTEGER NOT NULL,"
    " status TEXT NOT NULL"
    "  CHECK (status IN ('prepared', 'submitted', 'resolved', 'rejected')),"
    " case_id TEXT,"
    " updated INTEGER NOT NULL);"
    "CREATE TABLE events ("
    " id INTEGER PRIMARY KEY,"
    " reference TEXT NOT NULL REFERENCES packages(reference),"
    " at INTEGER NOT NULL,"
    " kind TEXT NOT NULL,"
    " status TEXT NOT NULL,"
    " note TEXT);"
    "PRAGMA user_version = 1;",
    /* 1 -> 2: the case id of each event, the time of the latest submission
     * (for overdue, filled from the events already there), indexes. */
    "ALTER TABLE events ADD COLUMN case_id TEXT;"
    "ALTER TABLE packages ADD COLUMN submitted INTEGER;"
    "UPDATE packages SET submitted = (SELECT max(e.at) FROM events e"
    " WHERE e.reference = packages.reference AND e.kind = 'submitted');"
    "CREATE INDEX events_by_reference ON events(reference, at, id);"
    "CREATE INDEX packages_by_status ON packages(status, submitted);"
    "PRAGMA user_version = 2;",
};

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

/* ---- Errors and waiting ----------------------------------------------- */

/* Records the SQLite failure rc of `what` on the ledger file. */
static idp_status db_fail(idp_ctx *ctx, const idp_ledger *l, int rc, const char *what)
{
    const char *msg = l->db != NULL ? sqlite3_errmsg(l->db) : sqlite3_errstr(rc);

    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return idp_fail(ctx, IDP_E_IO,
                        "%s: the ledger is locked by another process (waited %d s); try again",
                        l->path, IDP_LEDGER_BUSY_MS / 1000);
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
    case SQLITE_FORMAT:
        return idp_fail(ctx, IDP_E_CORRUPT, "%s: not an idpack ledger, or damaged (%s)", l->path,
                        msg);
    case SQLITE_CANTOPEN:
        return idp_fail(ctx, IDP_E_CREATE, "%s: cannot open the ledger (%s)", l->path, msg);
    case SQLITE_NOMEM:
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory (%s)", l->path, what);
    case SQLITE_ERROR:
        /* A file whose tables are not ours ("no such table"). */
        return idp_fail(ctx, IDP_E_CORRUPT, "%s: not an idpack ledger (%s: %s)", l->path, what,
                        msg);
    case SQLITE_CONSTRAINT:
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
        return idp_fail(ctx, IDP_E_INTERNAL, "%s: %s: %s", l->path, what, msg);
    default: {
        /* SQLITE_FULL, SQLITE_IOERR: the system's reason says more than
         * "disk I/O error" ("No space left on device"). */
        int e = l->db != NULL ? sqlite3_system_errno(l->db) : 0;
        if (e != 0)
            return idp_fail(ctx, IDP_E_IO, "%s: cannot %s (%s: %s)", l->path, what, msg,
                            strerror(e));
        return idp_fail(ctx, IDP_E_IO, "%s: cannot %s (%s)", l->path, what, msg);
    }
    }
}

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

static bool is_busy(int rc)
{
    return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
}

/* Runs constant SQL (no values), retrying while the file is busy: the
 * busy handler waits for most locks, but some (WAL recovery, a change of
 * journal mode) report SQLITE_BUSY at once. */
static idp_status exec_retry(idp_ctx *ctx, idp_ledger *l, const char *sql, const char *what)
{
    int64_t deadline = now_ms() + IDP_LEDGER_BUSY_MS;
    long pause = 2;
    int rc;

    while ((rc = sqlite3_exec(l->db, sql, NULL, NULL, NULL)) != SQLITE_OK) {
        if (!is_busy(rc) || now_ms() >= deadline)
            return db_fail(ctx, l, rc, what);
        sleep_ms(pause);
        pause = pause < 64 ? pause * 2 : 64;
    }
    return IDP_OK;
}

static idp_status begin(idp_ctx *ctx, idp_ledger *l)
{
    return exec_retry(ctx, l, "BEGIN IMMEDIATE", "start a transaction");
}

static idp_status commit(idp_ctx *ctx, idp_ledger *l)
{
    return exec_retry(ctx, l, "COMMIT", "commit");
}

static void rollback(idp_ledger *l)
{
    if (!sqlite3_get_autocommit(l->db))
        (void)sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
}

static idp_status prepare(idp_ctx *ctx, idp_ledger *l, const char *sql, sqlite3_stmt **st)
{
    int rc = sqlite3_prepare_v2(l->db, sql, -1, st, NULL);
    if (rc != SQLITE_OK) {
        *st = NULL;
        return db_fail(ctx, l, rc, "prepare a query");
    }
    return IDP_OK;
}

/* Binds s (NULL binds NULL); SQLite copies it. */
static int bind_text(sqlite3_stmt *st, int i, const char *s)
{
    return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

/* Steps a statement that returns no row. */
static idp_status step_done(idp_ctx *ctx, idp_ledger *l, sqlite3_stmt *st, int bind_rc,
                            const char *what)
{
    int rc = bind_rc != SQLITE_OK ? bind_rc : sqlite3_step(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_fail(ctx, l, rc, what);
    return IDP_OK;
}

/* ---- Opening and migrating -------------------------------------------- */

static idp_status read_user_version(idp_ctx *ctx, idp_ledger *l, int *version)
{
    sqlite3_stmt *st = NULL;
    idp_status s = prepare(ctx, l, "PRAGMA user_version", &st);
    int rc;

    if (s != IDP_OK)
        goto out;
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        s = db_fail(ctx, l, rc, "read the schema version");
        goto out;
    }
    *version = sqlite3_column_int(st, 0);
out:
    sqlite3_finalize(st);
    return s;
}

static idp_status count_tables(idp_ctx *ctx, idp_ledger *l, int *n)
{
    sqlite3_stmt *st = NULL;
    idp_status s = prepare(ctx, l, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'", &st);
    int rc;

    if (s != IDP_OK)
        goto out;
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        s = db_fail(ctx, l, rc, "read the schema");
        goto out;
    }
    *n = sqlite3_column_int(st, 0);
out:
    sqlite3_finalize(st);
    return s;
}

/* Brings the schema to IDP_LEDGER_SCHEMA_VERSION, in one transaction so
 * that several processes opening a new file at once create it once. */
static idp_status migrate(idp_ctx *ctx, idp_ledger *l)
{
    int version = 0, tables = 0, rc;
    idp_status s;

    s = read_user_version(ctx, l, &version);
    if (s != IDP_OK || version == IDP_LEDGER_SCHEMA_VERSION)
        return s;
    if (version > IDP_LEDGER_SCHEMA_VERSION || version < 0)
        return idp_fail(ctx, IDP_E_FORMAT,
                        "%s: ledger schema version %d is newer than this idpack knows (%d)",
                        l->path, version, IDP_LEDGER_SCHEMA_VERSION);
    s = begin(ctx, l);
    if (s != IDP_OK)
        return s;
    s = read_user_version(ctx, l, &version); /* another process may have done it */
    if (s != IDP_OK)
        goto out;
    if (version == 0) {
        s = count_tables(ctx, l, &tables);
        if (s != IDP_OK)
            goto out;
        if (tables != 0) {
            s = idp_fail(ctx, IDP_E_FORMAT,
                         "%s: not an idpack ledger (a database of %d other table%s)", l->path,
                         tables, tables == 1 ? "" : "s");
            goto out;
        }
    }
    for (; version >= 0 && version < IDP_LEDGER_SCHEMA_VERSION; version++) {
        rc = sqlite3_exec(l->db, migrations[version], NULL, NULL, NULL);
        if (rc != SQLITE_OK) {
            s = db_fail(ctx, l, rc, version == 0 ? "create the schema" : "migrate the schema");
            goto out;
        }
    }
    s = commit(ctx, l);
out:
    if (s != IDP_OK)
        rollback(l);
    return s;
}

/* Creates the file with mode 0600 before SQLite sees it (SQLite would use
 * 0644 less the umask), and tightens an existing file of ours. Its WAL and
 * shared-memory files take the mode of the database file. */
static idp_status create_file(idp_ctx *ctx, const char *path)
{
    struct stat sb;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    idp_status s = IDP_OK;

    if (fd < 0)
        return idp_fail(ctx, IDP_E_CREATE, "%s: cannot open or create the ledger: %s%s", path,
                        strerror(errno), errno == ENOENT ? " (its folder does not exist)" : "");
    if (fstat(fd, &sb) != 0) {
        s = idp_fail(ctx, IDP_E_IO, "%s: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(sb.st_mode)) {
        s = idp_fail(ctx, IDP_E_CREATE, "%s: not a regular file", path);
        goto out;
    }
    if ((sb.st_mode & 077) != 0 && sb.st_uid == geteuid() && fchmod(fd, 0600) != 0) {
        s = idp_fail(ctx, IDP_E_IO, "%s: cannot make it private (mode 0600): %s", path,
                     strerror(errno));
        goto out;
    }
out:
    close(fd);
    return s;
}

/* A handle for path with its lock, no connection yet. */
static idp_status ledger_new(idp_ctx *ctx, const char *path, idp_ledger **out)
{
    idp_ledger *l;

    if (*path == '\0')
        return idp_fail(ctx, IDP_E_USAGE, "ledger: empty path");
    l = calloc(1, sizeof(*l));
    if (l == NULL || (l->path = strdup(path)) == NULL) {
        free(l);
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", path);
    }
    if (pthread_mutex_init(&l->lock, NULL) != 0) {
        free(l->path);
        free(l);
        return idp_fail(ctx, IDP_E_NOMEM, "%s: cannot create a lock", path);
    }
    *out = l;
    return IDP_OK;
}

/* What every connection gets: extended codes, the busy wait, and no code
 * from the schema (the file may come from anywhere). */
static void set_up_connection(idp_ledger *l)
{
    sqlite3_extended_result_codes(l->db, 1);
    sqlite3_busy_timeout(l->db, IDP_LEDGER_BUSY_MS);
    (void)sqlite3_db_config(l->db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
    (void)sqlite3_db_config(l->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
}

idp_status idp_ledger_open(idp_ctx *ctx, const char *path, idp_ledger **out)
{
    idp_ledger *l = NULL;
    sqlite3_stmt *st = NULL;
    idp_status s;
    int rc;

    *out = NULL;
    s = ledger_new(ctx, path, &l);
    if (s != IDP_OK)
        return s;
    s = create_file(ctx, path);
    if (s != IDP_OK)
        goto out;
    rc = sqlite3_open_v2(path, &l->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        s = db_fail(ctx, l, rc, "open");
        goto out;
    }
    set_up_connection(l);
    /* WAL: readers never wait for the writer; the mode is kept in the file. */
    s = prepare(ctx, l, "PRAGMA journal_mode = WAL", &st);
    if (s != IDP_OK)
        goto out;
    {
        int64_t deadline = now_ms() + IDP_LEDGER_BUSY_MS;
        while ((rc = sqlite3_step(st)) != SQLITE_ROW) {
            if (!is_busy(rc) || now_ms() >= deadline) {
                s = db_fail(ctx, l, rc, "switch to WAL mode");
                goto out;
            }
            sqlite3_reset(st);
            sleep_ms(5);
        }
    }
    sqlite3_finalize(st);
    st = NULL;
    s = exec_retry(ctx, l, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON",
                   "set up the connection");
    if (s != IDP_OK)
        goto out;
    s = migrate(ctx, l);
    if (s != IDP_OK)
        goto out;
    *out = l;
    l = NULL;
out:
    sqlite3_finalize(st);
    idp_ledger_close(l);
    return s;
}

/* Opens read-only, with flags and, for a URI, the text to open. */
static int open_ro(idp_ledger *l, const char *path, bool immutable)
{
    int rc;

    if (!immutable)
        return sqlite3_open_v2(path, &l->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
    /* file: URI with the path's special characters escaped */
    {
        size_t n = strlen(path);
        char *u = malloc(n * 3 + 32), *w;
        if (u == NULL)
            return SQLITE_NOMEM;
        w = u + sprintf(u, "file:");
        for (const unsigned char *c = (const unsigned char *)path; *c != '\0'; c++)
            w += *c == '?' || *c == '#' || *c == '%' ? sprintf(w, "%%%02X", *c)
                                                     : sprintf(w, "%c", *c);
        sprintf(w, "?immutable=1");
        rc = sqlite3_open_v2(u, &l->db,
                             SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, NULL);
        free(u);
    }
    return rc;
}

idp_status idp_ledger_open_readonly(idp_ctx *ctx, const char *path, idp_ledger **out)
{
    idp_ledger *l = NULL;
    idp_status s = IDP_OK;
    int rc, version = 0;

    *out = NULL;
    s = ledger_new(ctx, path, &l);
    if (s != IDP_OK)
        return s;
    /* Read-only first; a WAL ledger in a folder we cannot write (no -shm
     * to create) is then read as immutable: what is in the file now. */
    for (int attempt = 0; attempt < 2; attempt++) {
        sqlite3_close_v2(l->db);
        l->db = NULL;
        rc = open_ro(l, path, attempt == 1);
        if (rc == SQLITE_OK) {
            set_up_connection(l);
            idp_ctx_clear(ctx);
            s = read_user_version(ctx, l, &version);
            if (s == IDP_OK)
                break;
        } else {
            s = db_fail(ctx, l, rc, "open");
        }
    }
    if (s != IDP_OK)
        goto out;
    if (version != IDP_LEDGER_SCHEMA_VERSION) {
        s = idp_fail(ctx, IDP_E_FORMAT,
                     "%s: ledger schema version %d, this idpack reads %d: open it once with "
                     "write access to upgrade it",
                     path, version, IDP_LEDGER_SCHEMA_VERSION);
        goto out;
    }
    *out = l;
    l = NULL;
out:
    idp_ledger_close(l);
    return s;
}

void idp_ledger_close(idp_ledger *ledger)
{
    if (ledger == NULL)
        return;
    sqlite3_close_v2(ledger->db);
    pthread_mutex_destroy(&ledger->lock);
    free(ledger->path);
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

/* ---- Writing ---------------------------------------------------------- */

/* The status of reference inside the current transaction; *found false
 * when the ledger does not hold it. */
static idp_status find_status(idp_ctx *ctx, idp_ledger *l, const char *ref, bool *found,
                              idp_ledger_status *status)
{
    sqlite3_stmt *st = NULL;
    idp_status s = prepare(ctx, l, "SELECT status FROM packages WHERE reference = ?1", &st);
    int rc;

    *found = false;
    if (s != IDP_OK)
        goto out;
    rc = bind_text(st, 1, ref);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        goto out;
    if (rc != SQLITE_ROW) {
        s = db_fail(ctx, l, rc, "read a package");
        goto out;
    }
    if (!idp_ledger_status_parse((const char *)sqlite3_column_text(st, 0), status))
        s = idp_fail(ctx, IDP_E_CORRUPT, "%s: package %s has an unknown status", l->path, ref);
    else
        *found = true;
out:
    sqlite3_finalize(st);
    return s;
}

/* As find_status, but IDP_E_NOTFOUND naming the reference when absent. */
static idp_status current_status(idp_ctx *ctx, idp_ledger *l, const char *ref,
                                 idp_ledger_status *status)
{
    bool found;
    idp_status s = find_status(ctx, l, ref, &found, status);
    if (s == IDP_OK && !found)
        s = idp_fail(ctx, IDP_E_NOTFOUND, "%s: no such package in the ledger %s", ref, l->path);
    return s;
}

static idp_status add_event(idp_ctx *ctx, idp_ledger *l, const char *ref, int64_t at,
                            const char *kind, idp_ledger_status status, const char *case_id,
                            const char *note)
{
    sqlite3_stmt *st = NULL;
    idp_status s = prepare(ctx, l,
                           "INSERT INTO events (reference, at, kind, status, case_id, note)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                           &st);
    int rc;

    if (s != IDP_OK)
        goto out;
    rc = bind_text(st, 1, ref);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 2, at);
    if (rc == SQLITE_OK)
        rc = bind_text(st, 3, kind);
    if (rc == SQLITE_OK)
        rc = bind_text(st, 4, idp_ledger_status_name(status));
    if (rc == SQLITE_OK)
        rc = bind_text(st, 5, case_id);
    if (rc == SQLITE_OK)
        rc = bind_text(st, 6, note);
    s = step_done(ctx, l, st, rc, "add an event");
out:
    sqlite3_finalize(st);
    return s;
}

static idp_status record_locked(idp_ctx *ctx, idp_ledger *l, const idp_ledger_package *pkg,
                                const char *ref)
{
    static const char insert_sql[] =
        "INSERT INTO packages (reference, customer, account_email, lang, folder, pdf_sha256,"
        " created, status, case_id, updated, submitted)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'prepared', NULL, ?7, NULL)";
    static const char update_sql[] =
        "UPDATE packages SET customer = ?2, account_email = ?3, lang = ?4, folder = ?5,"
        " pdf_sha256 = ?6, created = ?7, updated = max(updated, ?7) WHERE reference = ?1";
    idp_ledger_status status = IDP_LEDGER_PREPARED;
    sqlite3_stmt *st = NULL;
    bool exists;
    idp_status s;
    int rc;

    s = find_status(ctx, l, ref, &exists, &status);
    if (s != IDP_OK)
        return s;
    s = prepare(ctx, l, exists ? update_sql : insert_sql, &st);
    if (s != IDP_OK)
        goto out;
    rc = bind_text(st, 1, ref);
    if (rc == SQLITE_OK)
        rc = bind_text(st, 2, pkg->customer);
    if (rc == SQLITE_OK)
        rc = bind_text(st, 3, pkg->account_email);
    if (rc == SQLITE_OK)
        rc = bind_text(st, 4, pkg->lang);
    if (rc == SQLITE_OK)
        rc = bind_text(st, 5, pkg->folder);
    if (rc == SQLITE_OK)
        rc = bind_text(st, 6, pkg->pdf_sha256);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 7, pkg->created);
    s = step_done(ctx, l, st, rc, "record a package");
    if (s != IDP_OK)
        goto out;
    s = add_event(ctx, l, ref, pkg->created, exists ? "rebuilt" : "prepared", status, NULL,
                  pkg->folder);
out:
    sqlite3_finalize(st);
    return s;
}

idp_status idp_ledger_record(idp_ctx *ctx, idp_ledger *ledger, const idp_ledger_package *pkg)
{
    char buf[IDP_REFERENCE_LEN];
    const char *ref;
    idp_status s;

    if (pkg->reference == NULL || *pkg->reference == '\0' || pkg->folder == NULL ||
        pkg->lang == NULL)
        return idp_fail(ctx, IDP_E_USAGE,
                        "%s: a package needs a reference, a folder and a language to be recorded",
                        ledger->path);
    ref = canonical_ref(pkg->reference, buf);
    pthread_mutex_lock(&ledger->lock);
    s = begin(ctx, ledger);
    if (s == IDP_OK)
        s = record_locked(ctx, ledger, pkg, ref);
    if (s == IDP_OK)
        s = commit(ctx, ledger);
    if (s != IDP_OK)
        rollback(ledger);
    pthread_mutex_unlock(&ledger->lock);
    return s;
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

static idp_status mark_locked(idp_ctx *ctx, idp_ledger *l, const char *ref, idp_ledger_status to,
                              const char *case_id, const char *note, int64_t at)
{
    static const char sql[] = "UPDATE packages SET status = ?2, case_id = coalesce(?3, case_id),"
                              " submitted = CASE WHEN ?2 = 'submitted' THEN ?4 ELSE submitted END,"
                              " updated = max(updated, ?4) WHERE reference = ?1";
    idp_ledger_status from;
    sqlite3_stmt *st = NULL;
    idp_status s;
    int rc;

    s = current_status(ctx, l, ref, &from);
    if (s != IDP_OK)
        return s;
    if (!transition_ok(from, to))
        return idp_fail(ctx, IDP_E_USAGE, "%s: cannot mark a %s package %s%s", ref,
                        idp_ledger_status_name(from), idp_ledger_status_name(to),
                        from == IDP_LEDGER_RESOLVED ? " (it is resolved: add a note instead)"
                        : from == to                ? " again"
                                                    : "");
    s = prepare(ctx, l, sql, &st);
    if (s != IDP_OK)
        goto out;
    rc = bind_text(st, 1, ref);
    if (rc == SQLITE_OK)
        rc = bind_text(st, 2, idp_ledger_status_name(to));
    if (rc == SQLITE_OK)
        rc = bind_text(st, 3, case_id);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 4, at);
    s = step_done(ctx, l, st, rc, "change a status");
    if (s != IDP_OK)
        goto out;
    s = add_event(ctx, l, ref, at, idp_ledger_status_name(to), to, case_id, note);
out:
    sqlite3_finalize(st);
    return s;
}

idp_status idp_ledger_mark(idp_ctx *ctx, idp_ledger *ledger, const char *reference,
                           idp_ledger_status status, const char *case_id, const char *note,
                           int64_t at)
{
    char buf[IDP_REFERENCE_LEN];
    const char *ref = canonical_ref(reference, buf);
    idp_status s;

    if (status != IDP_LEDGER_SUBMITTED && status != IDP_LEDGER_RESOLVED &&
        status != IDP_LEDGER_REJECTED)
        return idp_fail(ctx, IDP_E_USAGE,
                        "%s: invalid status '%s' (use submitted, resolved or rejected)", ref,
                        idp_ledger_status_name(status));
    if (case_id != NULL && !case_id_ok(case_id))
        return idp_fail(ctx, IDP_E_FIELD,
                        "%s: the case id must be 1 to %d letters, digits, '.', '_' or '-'", ref,
                        IDP_LEDGER_CASE_MAX);
    if (note != NULL) {
        idp_status ns = check_note(ctx, ref, note);
        if (ns != IDP_OK)
            return ns;
    }
    pthread_mutex_lock(&ledger->lock);
    s = begin(ctx, ledger);
    if (s == IDP_OK)
        s = mark_locked(ctx, ledger, ref, status, case_id, note, at);
    if (s == IDP_OK)
        s = commit(ctx, ledger);
    if (s != IDP_OK)
        rollback(ledger);
    pthread_mutex_unlock(&ledger->lock);
    return s;
}

static idp_status note_locked(idp_ctx *ctx, idp_ledger *l, const char *ref, const char *note,
                              int64_t at)
{
    idp_ledger_status status;
    sqlite3_stmt *st = NULL;
    idp_status s;
    int rc;

    s = current_status(ctx, l, ref, &status);
    if (s != IDP_OK)
        return s;
    s = prepare(ctx, l, "UPDATE packages SET updated = max(updated, ?2) WHERE reference = ?1", &st);
    if (s != IDP_OK)
        goto out;
    rc = bind_text(st, 1, ref);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 2, at);
    s = step_done(ctx, l, st, rc, "add a note");
    if (s != IDP_OK)
        goto out;
    s = add_event(ctx, l, ref, at, "note", status, NULL, note);
out:
    sqlite3_finalize(st);
    return s;
}

idp_status idp_ledger_note(idp_ctx *ctx, idp_ledger *ledger, const char *reference,
                           const char *note, int64_t at)
{
    char buf[IDP_REFERENCE_LEN];
    const char *ref = canonical_ref(reference, buf);
    idp_status s = check_note(ctx, ref, note);

    if (s != IDP_OK)
        return s;
    pthread_mutex_lock(&ledger->lock);
    s = begin(ctx, ledger);
    if (s == IDP_OK)
        s = note_locked(ctx, ledger, ref, note, at);
    if (s == IDP_OK)
        s = commit(ctx, ledger);
    if (s != IDP_OK)
        rollback(ledger);
    pthread_mutex_unlock(&ledger->lock);
    return s;
}

/* ---- Reading ---------------------------------------------------------- */

#define PACKAGE_COLUMNS                                                                            \
    "reference, customer, account_email, lang, folder, pdf_sha256, case_id, status, created,"      \
    " submitted, updated"

/* The time before which a submission is overdue as of as_of. */
static int64_t overdue_cutoff(int64_t as_of, unsigned hours)
{
    int64_t span = (int64_t)(hours == 0 ? IDP_LEDGER_OVERDUE_HOURS : hours) * 3600;
    return as_of < INT64_MIN + span ? INT64_MIN : as_of - span;
}

static void free_wiped_str(char *s)
{
    if (s != NULL)
        memset(s, 0, strlen(s));
    free(s);
}

static void entry_clear(idp_ledger_entry *e)
{
    free(e->reference);
    free_wiped_str(e->customer);
    free_wiped_str(e->account_email);
    free(e->lang);
    free_wiped_str(e->folder);
    free(e->pdf_sha256);
    free(e->case_id);
    memset(e, 0, sizeof(*e));
}

/* A copy of text column i (NULL stays NULL); false when out of memory. */
static bool column_dup(sqlite3_stmt *st, int i, char **out)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    *out = NULL;
    if (t == NULL)
        return sqlite3_column_type(st, i) == SQLITE_NULL;
    *out = strdup((const char *)t);
    return *out != NULL;
}

static idp_status entry_from_row(idp_ctx *ctx, idp_ledger *l, sqlite3_stmt *st, int64_t cutoff,
                                 idp_ledger_entry *e)
{
    const char *status = (const char *)sqlite3_column_text(st, 7);

    memset(e, 0, sizeof(*e));
    if (!column_dup(st, 0, &e->reference) || !column_dup(st, 1, &e->customer) ||
        !column_dup(st, 2, &e->account_email) || !column_dup(st, 3, &e->lang) ||
        !column_dup(st, 4, &e->folder) || !column_dup(st, 5, &e->pdf_sha256) ||
        !column_dup(st, 6, &e->case_id)) {
        entry_clear(e);
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", l->path);
    }
    if (e->reference == NULL || e->lang == NULL || e->folder == NULL || status == NULL ||
        !idp_ledger_status_parse(status, &e->status)) {
        entry_clear(e);
        return idp_fail(ctx, IDP_E_CORRUPT, "%s: a package row is damaged", l->path);
    }
    e->created = sqlite3_column_int64(st, 8);
    e->has_submitted = sqlite3_column_type(st, 9) != SQLITE_NULL;
    e->submitted = e->has_submitted ? sqlite3_column_int64(st, 9) : 0;
    e->updated = sqlite3_column_int64(st, 10);
    e->overdue = e->status == IDP_LEDGER_SUBMITTED && e->has_submitted && e->submitted < cutoff;
    return IDP_OK;
}

static idp_status list_locked(idp_ctx *ctx, idp_ledger *l, const idp_ledger_filter *f,
                              idp_ledger_list *list)
{
    static const char sql[] = "SELECT " PACKAGE_COLUMNS " FROM packages"
                              " WHERE (?1 IS NULL OR status = ?1)"
                              " AND (?2 = 0 OR (status = 'submitted' AND submitted < ?3))"
                              " ORDER BY created, reference";
    int64_t cutoff = overdue_cutoff(f->as_of, f->overdue_hours);
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    idp_status s;
    int rc;

    s = prepare(ctx, l, sql, &st);
    if (s != IDP_OK)
        goto out;
    rc = bind_text(st, 1, f->by_status ? idp_ledger_status_name(f->status) : NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int(st, 2, f->overdue_only ? 1 : 0);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 3, cutoff);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (list->n == cap) {
            size_t ncap = cap == 0 ? 16 : cap * 2, bytes;
            idp_ledger_entry *n;
            if (!idp_mul_size(ncap, sizeof(*n), &bytes) ||
                (n = realloc(list->entries, bytes)) == NULL) {
                s = idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", l->path);
                goto out;
            }
            list->entries = n;
            cap = ncap;
        }
        s = entry_from_row(ctx, l, st, cutoff, &list->entries[list->n]);
        if (s != IDP_OK)
            goto out;
        list->n++;
        rc = SQLITE_OK;
    }
    if (rc != SQLITE_DONE)
        s = db_fail(ctx, l, rc, "list the packages");
out:
    sqlite3_finalize(st);
    return s;
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
    s = list_locked(ctx, ledger, filter, list);
    pthread_mutex_unlock(&ledger->lock);
    if (s != IDP_OK) {
        idp_ledger_list_free(list);
        return s;
    }
    *out = list;
    return IDP_OK;
}

void idp_ledger_list_free(idp_ledger_list *list)
{
    if (list == NULL)
        return;
    for (size_t i = 0; i < list->n; i++)
        entry_clear(&list->entries[i]);
    free(list->entries);
    free(list);
}

static idp_status events_locked(idp_ctx *ctx, idp_ledger *l, const char *ref, idp_ledger_history *h)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    idp_status s;
    int rc;

    s = prepare(ctx, l,
                "SELECT id, at, kind, status, case_id, note FROM events WHERE reference = ?1"
                " ORDER BY at, id",
                &st);
    if (s != IDP_OK)
        goto out;
    rc = bind_text(st, 1, ref);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        idp_ledger_event *ev;
        const char *status = (const char *)sqlite3_column_text(st, 3);
        if (h->n_events == cap) {
            size_t ncap = cap == 0 ? 8 : cap * 2, bytes;
            idp_ledger_event *n;
            if (!idp_mul_size(ncap, sizeof(*n), &bytes) ||
                (n = realloc(h->events, bytes)) == NULL) {
                s = idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", l->path);
                goto out;
            }
            h->events = n;
            cap = ncap;
        }
        ev = &h->events[h->n_events];
        memset(ev, 0, sizeof(*ev));
        h->n_events++;
        ev->id = sqlite3_column_int64(st, 0);
        ev->at = sqlite3_column_int64(st, 1);
        if (!column_dup(st, 2, &ev->kind) || !column_dup(st, 4, &ev->case_id) ||
            !column_dup(st, 5, &ev->note)) {
            s = idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", l->path);
            goto out;
        }
        if (ev->kind == NULL || status == NULL || !idp_ledger_status_parse(status, &ev->status)) {
            s = idp_fail(ctx, IDP_E_CORRUPT, "%s: an event of %s is damaged", l->path, ref);
            goto out;
        }
        rc = SQLITE_OK;
    }
    if (rc != SQLITE_DONE)
        s = db_fail(ctx, l, rc, "read the events");
out:
    sqlite3_finalize(st);
    return s;
}

static idp_status show_locked(idp_ctx *ctx, idp_ledger *l, const char *ref, int64_t cutoff,
                              idp_ledger_history *h)
{
    sqlite3_stmt *st = NULL;
    idp_status s;
    int rc;

    /* One read transaction: the package and its events agree. */
    rc = sqlite3_exec(l->db, "BEGIN", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return db_fail(ctx, l, rc, "start reading");
    s = prepare(ctx, l, "SELECT " PACKAGE_COLUMNS " FROM packages WHERE reference = ?1", &st);
    if (s != IDP_OK)
        goto out;
    rc = bind_text(st, 1, ref);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        s = idp_fail(ctx, IDP_E_NOTFOUND, "%s: no such package in the ledger %s", ref, l->path);
        goto out;
    }
    if (rc != SQLITE_ROW) {
        s = db_fail(ctx, l, rc, "read a package");
        goto out;
    }
    s = entry_from_row(ctx, l, st, cutoff, &h->package);
    if (s != IDP_OK)
        goto out;
    s = events_locked(ctx, l, ref, h);
out:
    sqlite3_finalize(st);
    rollback(l);
    return s;
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
    s = show_locked(ctx, ledger, ref, overdue_cutoff(as_of, overdue_hours), h);
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
    entry_clear(&history->package);
    for (size_t i = 0; i < history->n_events; i++) {
        free(history->events[i].kind);
        free(history->events[i].case_id);
        free_wiped_str(history->events[i].note);
    }
    free(history->events);
    free(history);
}
