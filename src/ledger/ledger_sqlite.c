/* The ledger on SQLite: the file, its schema and the writes. Every write
 * is one BEGIN IMMEDIATE transaction (retried while another process holds
 * the write lock, up to IDP_LEDGER_BUSY_MS), every value goes through a
 * bound parameter of a prepared statement, and the schema is brought up
 * to date by numbered migrations when the file is opened. Reading is in
 * ledger_sqlite_read.c. */
#include "ledger_sqlite.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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
    /* 2 -> 3: who made each event (several agents on one ledger); the
     * events before it keep none. */
    "ALTER TABLE events ADD COLUMN agent TEXT;"
    "CREATE INDEX events_by_agent ON events(agent, reference);"
    "CREATE INDEX packages_by_customer ON packages(customer);"
    "PRAGMA user_version = 3;",
};

/* ---- Errors and waiting ----------------------------------------------- */

/* Records the SQLite failure rc of `what` on the ledger file. */
idp_status ledger_sqlite_fail(idp_ctx *ctx, const idp_ledger *l, int rc, const char *what)
{
    sqlite3 *db = LEDGER_DB(l);
    const char *msg = db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc);

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
        int e = db != NULL ? sqlite3_system_errno(db) : 0;
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

    while ((rc = sqlite3_exec(LEDGER_DB(l), sql, NULL, NULL, NULL)) != SQLITE_OK) {
        if (!is_busy(rc) || now_ms() >= deadline)
            return ledger_sqlite_fail(ctx, l, rc, what);
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
    if (l->db != NULL && !sqlite3_get_autocommit(LEDGER_DB(l)))
        (void)sqlite3_exec(LEDGER_DB(l), "ROLLBACK", NULL, NULL, NULL);
}

idp_status ledger_sqlite_prepare(idp_ctx *ctx, idp_ledger *l, const char *sql, sqlite3_stmt **st)
{
    int rc = sqlite3_prepare_v2(LEDGER_DB(l), sql, -1, st, NULL);
    if (rc != SQLITE_OK) {
        *st = NULL;
        return ledger_sqlite_fail(ctx, l, rc, "prepare a query");
    }
    return IDP_OK;
}

/* Binds s (NULL binds NULL); SQLite copies it. */
int ledger_sqlite_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

/* Steps a statement that returns no row. */
static idp_status step_done(idp_ctx *ctx, idp_ledger *l, sqlite3_stmt *st, int bind_rc,
                            const char *what)
{
    int rc = bind_rc != SQLITE_OK ? bind_rc : sqlite3_step(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return ledger_sqlite_fail(ctx, l, rc, what);
    return IDP_OK;
}

/* ---- Opening and migrating -------------------------------------------- */

static idp_status read_user_version(idp_ctx *ctx, idp_ledger *l, int *version)
{
    sqlite3_stmt *st = NULL;
    idp_status s = ledger_sqlite_prepare(ctx, l, "PRAGMA user_version", &st);
    int rc;

    if (s != IDP_OK)
        goto out;
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        s = ledger_sqlite_fail(ctx, l, rc, "read the schema version");
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
    idp_status s = ledger_sqlite_prepare(
        ctx, l, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'", &st);
    int rc;

    if (s != IDP_OK)
        goto out;
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        s = ledger_sqlite_fail(ctx, l, rc, "read the schema");
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
        rc = sqlite3_exec(LEDGER_DB(l), migrations[version], NULL, NULL, NULL);
        if (rc != SQLITE_OK) {
            s = ledger_sqlite_fail(ctx, l, rc,
                                   version == 0 ? "create the schema" : "migrate the schema");
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

/* What every connection gets: extended codes, the busy wait, and no code
 * from the schema (the file may come from anywhere). */
static void set_up_connection(sqlite3 *db)
{
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, IDP_LEDGER_BUSY_MS);
    (void)sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
    (void)sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
}

/* Opens sqlite3 handle *db (set even when it fails, to read the error). */
static int open_db(const char *name, int flags, idp_ledger *l)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(name, &db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    l->db = db;
    return rc;
}

static void close_db(idp_ledger *l)
{
    sqlite3_close_v2(LEDGER_DB(l));
    l->db = NULL;
}

static idp_status open_rw(idp_ctx *ctx, idp_ledger *l, const char *path)
{
    sqlite3_stmt *st = NULL;
    idp_status s;
    int rc;

    s = create_file(ctx, path);
    if (s != IDP_OK)
        return s;
    rc = open_db(path, SQLITE_OPEN_READWRITE, l);
    if (rc != SQLITE_OK)
        return ledger_sqlite_fail(ctx, l, rc, "open");
    set_up_connection(LEDGER_DB(l));
    /* WAL: readers never wait for the writer; the mode is kept in the file. */
    s = ledger_sqlite_prepare(ctx, l, "PRAGMA journal_mode = WAL", &st);
    if (s != IDP_OK)
        goto out;
    {
        int64_t deadline = now_ms() + IDP_LEDGER_BUSY_MS;
        while ((rc = sqlite3_step(st)) != SQLITE_ROW) {
            if (!is_busy(rc) || now_ms() >= deadline) {
                s = ledger_sqlite_fail(ctx, l, rc, "switch to WAL mode");
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
out:
    sqlite3_finalize(st);
    return s;
}

/* Opens read-only; immutable: as a file: URI with ?immutable=1. */
static int open_ro_db(idp_ledger *l, const char *path, bool immutable)
{
    int rc;

    if (!immutable)
        return open_db(path, SQLITE_OPEN_READONLY, l);
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
        rc = open_db(u, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, l);
        free(u);
    }
    return rc;
}

static idp_status open_ro(idp_ctx *ctx, idp_ledger *l, const char *path)
{
    idp_status s = IDP_OK;
    int rc, version = 0;

    /* Read-only first; a WAL ledger in a folder we cannot write (no -shm
     * to create) is then read as immutable: what is in the file now. */
    for (int attempt = 0; attempt < 2; attempt++) {
        close_db(l);
        rc = open_ro_db(l, path, attempt == 1);
        if (rc == SQLITE_OK) {
            set_up_connection(LEDGER_DB(l));
            idp_ctx_clear(ctx);
            s = read_user_version(ctx, l, &version);
            if (s == IDP_OK)
                break;
        } else {
            s = ledger_sqlite_fail(ctx, l, rc, "open");
        }
    }
    if (s != IDP_OK)
        return s;
    if (version != IDP_LEDGER_SCHEMA_VERSION)
        return idp_fail(ctx, IDP_E_FORMAT,
                        "%s: ledger schema version %d, this idpack reads %d: open it once with "
                        "write access to upgrade it",
                        path, version, IDP_LEDGER_SCHEMA_VERSION);
    return IDP_OK;
}

static idp_status sqlite_open(idp_ctx *ctx, idp_ledger *l, const char *path, bool readonly)
{
    return readonly ? open_ro(ctx, l, path) : open_rw(ctx, l, path);
}

/* ---- Writing ---------------------------------------------------------- */

/* The status of reference inside the current transaction; *found false
 * when the ledger does not hold it. */
static idp_status find_status(idp_ctx *ctx, idp_ledger *l, const char *ref, bool *found,
                              idp_ledger_status *status)
{
    sqlite3_stmt *st = NULL;
    idp_status s =
        ledger_sqlite_prepare(ctx, l, "SELECT status FROM packages WHERE reference = ?1", &st);
    int rc;

    *found = false;
    if (s != IDP_OK)
        goto out;
    rc = ledger_sqlite_bind_text(st, 1, ref);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        goto out;
    if (rc != SQLITE_ROW) {
        s = ledger_sqlite_fail(ctx, l, rc, "read a package");
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

static idp_status add_event(idp_ctx *ctx, idp_ledger *l, const char *ref, int64_t at,
                            const char *kind, idp_ledger_status status, const char *case_id,
                            const char *note)
{
    sqlite3_stmt *st = NULL;
    idp_status s = ledger_sqlite_prepare(
        ctx, l,
        "INSERT INTO events (reference, at, kind, status, case_id, note, agent)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        &st);
    int rc;

    if (s != IDP_OK)
        goto out;
    rc = ledger_sqlite_bind_text(st, 1, ref);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 2, at);
    if (rc == SQLITE_OK)
        rc = ledger_sqlite_bind_text(st, 3, kind);
    if (rc == SQLITE_OK)
        rc = ledger_sqlite_bind_text(st, 4, idp_ledger_status_name(status));
    if (rc == SQLITE_OK)
        rc = ledger_sqlite_bind_text(st, 5, case_id);
    if (rc == SQLITE_OK)
        rc = ledger_sqlite_bind_text(st, 6, note);
    if (rc == SQLITE_OK)
        rc = ledger_sqlite_bind_text(st, 7, l->agent);
    s = step_done(ctx, l, st, rc, "add an event");
out:
    sqlite3_finalize(st);
    return s;
}

static idp_status put_package(idp_ctx *ctx, idp_ledger *l, const idp_ledger_package *pkg,
                              const char *ref, bool exists)
{
    static const char insert_sql[] =
        "INSERT INTO packages (reference, customer, account_email, lang, folder, pdf_sha256,"
        " created, status, case_id, updated, submitted)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'prepared', NULL, ?7, NULL)";
    static const char update_sql[] =
        "UPDATE packages SET customer = ?2, account_email = ?3, lang = ?4, folder = ?5,"
        " pdf_sha256 = ?6, created = ?7, updated = max(updated, ?7) WHERE reference = ?1";
    sqlite3_stmt *st = NULL;
    idp_status s;
    int rc;

    s = ledger_sqlite_prepare(ctx, l, exists ? update_sql : insert_sql, &st);
    if (s != IDP_OK)
        goto out;
    rc = ledger_sqlite_bind_text(st, 1, ref);
    if (rc == SQLITE_OK)
        rc = ledger_sqlite_bind_text(st, 2, pkg->customer);
    if (rc == SQLITE_OK)
        rc = ledger_sqlite_bind_text(st, 3, pkg->account_email);
    if (rc == SQLITE_OK)
        rc = ledger_sqlite_bind_text(st, 4, pkg->lang);
    if (rc == SQLITE_OK)
        rc = ledger_sqlite_bind_text(st, 5, pkg->folder);
    if (rc == SQLITE_OK)
        rc = ledger_sqlite_bind_text(st, 6, pkg->pdf_sha256);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 7, pkg->created);
    s = step_done(ctx, l, st, rc, "record a package");
out:
    sqlite3_finalize(st);
    return s;
}

static idp_status set_status(idp_ctx *ctx, idp_ledger *l, const char *ref, idp_ledger_status to,
                             const char *case_id, int64_t at)
{
    static const char sql[] = "UPDATE packages SET status = ?2, case_id = coalesce(?3, case_id),"
                              " submitted = CASE WHEN ?2 = 'submitted' THEN ?4 ELSE submitted END,"
                              " updated = max(updated, ?4) WHERE reference = ?1";
    sqlite3_stmt *st = NULL;
    idp_status s = ledger_sqlite_prepare(ctx, l, sql, &st);
    int rc;

    if (s != IDP_OK)
        goto out;
    rc = ledger_sqlite_bind_text(st, 1, ref);
    if (rc == SQLITE_OK)
        rc = ledger_sqlite_bind_text(st, 2, idp_ledger_status_name(to));
    if (rc == SQLITE_OK)
        rc = ledger_sqlite_bind_text(st, 3, case_id);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 4, at);
    s = step_done(ctx, l, st, rc, "change a status");
out:
    sqlite3_finalize(st);
    return s;
}

static idp_status touch(idp_ctx *ctx, idp_ledger *l, const char *ref, int64_t at)
{
    sqlite3_stmt *st = NULL;
    idp_status s = ledger_sqlite_prepare(
        ctx, l, "UPDATE packages SET updated = max(updated, ?2) WHERE reference = ?1", &st);
    int rc;

    if (s != IDP_OK)
        goto out;
    rc = ledger_sqlite_bind_text(st, 1, ref);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 2, at);
    s = step_done(ctx, l, st, rc, "add a note");
out:
    sqlite3_finalize(st);
    return s;
}

const ledger_ops ledger_sqlite_ops = {
    .open = sqlite_open,
    .close = close_db,
    .begin_write = begin,
    .commit = commit,
    .rollback = rollback,
    .find_status = find_status,
    .put_package = put_package,
    .set_status = set_status,
    .touch = touch,
    .add_event = add_event,
    .list = ledger_sqlite_list,
    .show = ledger_sqlite_show,
};
