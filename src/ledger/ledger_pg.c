/* The ledger on PostgreSQL (libpq): the connection, the schema and the
 * writes. Every write is one SERIALIZABLE transaction whose package row is
 * read FOR UPDATE; a serialization failure, a deadlock or two writers
 * inserting the same new reference at once make idp_ledger.c run it again
 * (l->retry). Every value is a parameter of PQexecParams; no SQL is built
 * from values. The URI given is kept only to reconnect (wiped when the
 * handle is freed); messages name it with its password masked, and quote
 * only the server's primary message (never its DETAIL, which may hold a
 * row's values). Reading is in ledger_pg_read.c. */
#include "ledger_pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Schema ----------------------------------------------------------- */

/* The steps that bring a database from schema version `from` to `to`; a
 * new database takes the first one, straight to the version SQLite
 * reached in three steps (the same tables and columns, in the same order).
 * Never edit a step once released: add one. */
static const struct {
    int from, to;
    const char *sql;
} pg_steps[] = {
    {0, 3,
     "CREATE TABLE idpack_schema (version integer NOT NULL);"
     "CREATE TABLE packages ("
     " reference text PRIMARY KEY NOT NULL,"
     " customer text,"
     " account_email text,"
     " lang text NOT NULL,"
     " folder text NOT NULL,"
     " pdf_sha256 text,"
     " created bigint NOT NULL,"
     " status text NOT NULL"
     "  CHECK (status IN ('prepared', 'submitted', 'resolved', 'rejected')),"
     " case_id text,"
     " updated bigint NOT NULL,"
     " submitted bigint);"
     "CREATE TABLE events ("
     " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
     " reference text NOT NULL REFERENCES packages(reference),"
     " at bigint NOT NULL,"
     " kind text NOT NULL,"
     " status text NOT NULL"
     "  CHECK (status IN ('prepared', 'submitted', 'resolved', 'rejected')),"
     " note text,"
     " case_id text,"
     " agent text);"
     "CREATE INDEX events_by_reference ON events(reference, at, id);"
     "CREATE INDEX events_by_agent ON events(agent, reference);"
     "CREATE INDEX packages_by_status ON packages(status, submitted);"
     "CREATE INDEX packages_by_customer ON packages(customer);"
     "INSERT INTO idpack_schema (version) VALUES (3);"},
};

/* Serialises schema changes between processes (pg_advisory_xact_lock):
 * "idpack" in ASCII. */
#define SCHEMA_LOCK "110429113590635"

/* ---- Errors ----------------------------------------------------------- */

/* The first line of libpq's connection message (no trailing newline). */
static void conn_message(PGconn *c, char *buf, size_t size)
{
    const char *m = c != NULL ? PQerrorMessage(c) : "out of memory";
    size_t n = strcspn(m, "\n");
    snprintf(buf, size, "%.*s", (int)(n < size ? n : size - 1), m);
}

/* Records the failure of `what` with result res (may be NULL). */
static idp_status pg_fail(idp_ctx *ctx, idp_ledger *l, PGresult *res, const char *what)
{
    PGconn *c = LEDGER_CONN(l);
    const char *state = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *primary = res != NULL ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    char msg[512];

    if (primary != NULL)
        snprintf(msg, sizeof(msg), "%s", primary);
    else
        conn_message(c, msg, sizeof(msg));
    if (c == NULL || PQstatus(c) == CONNECTION_BAD ||
        (state != NULL && strncmp(state, "08", 2) == 0))
        return idp_fail(ctx, IDP_E_IO,
                        "%s: lost the connection to the ledger's server while trying to %s (%s); "
                        "the change was not recorded unless `idpack track show` lists it: "
                        "try again when the server is back",
                        l->path, what, msg);
    if (state == NULL)
        return idp_fail(ctx, IDP_E_IO, "%s: cannot %s (%s)", l->path, what, msg);
    if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "23505") == 0) {
        l->retry = true; /* a conflict with another writer */
        return idp_fail(ctx, IDP_E_IO, "%s: cannot %s (%s)", l->path, what, msg);
    }
    if (strcmp(state, "55P03") == 0)
        return idp_fail(ctx, IDP_E_IO,
                        "%s: the ledger is locked by another writer (waited %d s); try again",
                        l->path, IDP_LEDGER_BUSY_MS / 1000);
    if (strncmp(state, "42P01", 5) == 0 || strncmp(state, "42703", 5) == 0)
        return idp_fail(ctx, IDP_E_CORRUPT, "%s: not an idpack ledger (%s: %s)", l->path, what,
                        msg);
    if (strncmp(state, "22", 2) == 0)
        return idp_fail(ctx, IDP_E_FIELD, "%s: the server refuses a value (%s: %s)", l->path, what,
                        msg);
    if (strncmp(state, "53", 2) == 0 && strcmp(state, "53100") != 0)
        return idp_fail(ctx, IDP_E_NOMEM, "%s: the server is out of resources (%s: %s)", l->path,
                        what, msg);
    /* 25006 read-only transaction, 42501 permission denied, 53100 disk
     * full, the rest: the ledger cannot be written. */
    return idp_fail(ctx, IDP_E_IO, "%s: cannot %s (%s)", l->path, what, msg);
}

/* ---- Connecting ------------------------------------------------------- */

/* What every connection runs first: UTF-8, how long to wait for a lock,
 * and a bound on a statement. */
static idp_status set_up_session(idp_ctx *ctx, idp_ledger *l)
{
    static const char sql[] = "SET lock_timeout = 5000; SET statement_timeout = 60000;"
                              " SET idle_in_transaction_session_timeout = 60000";
    PGconn *c = LEDGER_CONN(l);
    PGresult *res;
    idp_status s = IDP_OK;

    if (PQsetClientEncoding(c, "UTF8") != 0)
        return pg_fail(ctx, l, NULL, "set the encoding");
    res = PQexec(c, l->readonly ? "SET default_transaction_read_only = on" : sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        s = pg_fail(ctx, l, res, "set up the connection");
    PQclear(res);
    return s;
}

static idp_status connect_db(idp_ctx *ctx, idp_ledger *l)
{
    /* Defaults first: the URI's own values come later and win. */
    static const char *const keys[] = {"connect_timeout",
                                       "application_name",
                                       "keepalives_idle",
                                       "keepalives_interval",
                                       "keepalives_count",
                                       "dbname",
                                       NULL};
    const char *values[] = {"10", "idpack", "30", "10", "3", l->conninfo, NULL};
    char msg[512];
    PGconn *c = PQconnectdbParams(keys, values, 1);

    l->db = c;
    if (c == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", l->path);
    if (PQstatus(c) != CONNECTION_OK) {
        conn_message(c, msg, sizeof(msg));
        return idp_fail(ctx, IDP_E_IO, "%s: cannot connect to the ledger's server (%s)", l->path,
                        msg);
    }
    return set_up_session(ctx, l);
}

idp_status ledger_pg_ensure(idp_ctx *ctx, idp_ledger *l)
{
    PGconn *c = LEDGER_CONN(l);
    char msg[512];

    if (c != NULL && PQstatus(c) == CONNECTION_OK)
        return IDP_OK;
    if (c == NULL)
        return connect_db(ctx, l);
    PQreset(c);
    if (PQstatus(c) != CONNECTION_OK) {
        conn_message(c, msg, sizeof(msg));
        return idp_fail(
            ctx, IDP_E_IO,
            "%s: cannot reconnect to the ledger's server (%s); try again when the server is back",
            l->path, msg);
    }
    return set_up_session(ctx, l);
}

idp_status ledger_pg_exec(idp_ctx *ctx, idp_ledger *l, const char *sql, int n,
                          const char *const *params, const char *what, PGresult **out)
{
    PGresult *res = PQexecParams(LEDGER_CONN(l), sql, n, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);
    idp_status s = IDP_OK;

    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK)
        s = pg_fail(ctx, l, res, what);
    if (s == IDP_OK && out != NULL)
        *out = res;
    else
        PQclear(res);
    return s;
}

idp_status ledger_pg_command(idp_ctx *ctx, idp_ledger *l, const char *sql, const char *what)
{
    /* PQexec: constant SQL, possibly several statements (the schema). */
    PGresult *res = PQexec(LEDGER_CONN(l), sql);
    ExecStatusType st = PQresultStatus(res);
    idp_status s = IDP_OK;

    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK)
        s = pg_fail(ctx, l, res, what);
    PQclear(res);
    return s;
}

/* The schema version of the database: -1 when it has no idpack_schema
 * table; *others set when it holds a table named packages or events
 * (someone else's). */
static idp_status read_version(idp_ctx *ctx, idp_ledger *l, int *version, bool *others)
{
    PGresult *res = NULL;
    bool has;
    idp_status s =
        ledger_pg_exec(ctx, l,
                       "SELECT to_regclass('idpack_schema') IS NOT NULL,"
                       " to_regclass('packages') IS NOT NULL OR to_regclass('events') IS NOT NULL",
                       0, NULL, "read the schema", &res);

    if (s != IDP_OK)
        return s;
    has = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    *others = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
    PQclear(res);
    *version = -1;
    if (!has)
        return IDP_OK;
    s = ledger_pg_exec(ctx, l, "SELECT coalesce(max(version), 0) FROM idpack_schema", 0, NULL,
                       "read the schema version", &res);
    if (s != IDP_OK)
        return s;
    *version = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    return IDP_OK;
}

static idp_status refuse_version(idp_ctx *ctx, idp_ledger *l, int version, bool others)
{
    if (version < 0 && others)
        return idp_fail(ctx, IDP_E_FORMAT,
                        "%s: not an idpack ledger (the database has other tables named packages "
                        "or events; give idpack a database or schema of its own)",
                        l->path);
    return idp_fail(ctx, IDP_E_FORMAT,
                    "%s: ledger schema version %d is newer than this idpack knows (%d)", l->path,
                    version, IDP_LEDGER_SCHEMA_VERSION);
}

/* Brings the schema to IDP_LEDGER_SCHEMA_VERSION in one transaction,
 * holding an advisory lock so that processes opening a new database at
 * once create it once. The lock is the session's, taken before the
 * transaction: the version read after waiting for it then sees the tables
 * another process has just committed (inside one transaction the catalog
 * could still show the state from before the wait). */
static idp_status migrate(idp_ctx *ctx, idp_ledger *l)
{
    int version;
    bool others;
    idp_status s = read_version(ctx, l, &version, &others);

    if (s != IDP_OK || version == IDP_LEDGER_SCHEMA_VERSION)
        return s;
    /* Other tables without idpack_schema are judged only under the lock:
     * the two lookups of read_version can fall on either side of another
     * process committing a new schema (packages seen, idpack_schema not). */
    if (version > IDP_LEDGER_SCHEMA_VERSION)
        return refuse_version(ctx, l, version, others);
    s = ledger_pg_command(ctx, l, "SELECT pg_advisory_lock(" SCHEMA_LOCK ")", "lock the schema");
    if (s != IDP_OK)
        return s;
    s = read_version(ctx, l, &version, &others); /* another process may have done it */
    if (s == IDP_OK && (version > IDP_LEDGER_SCHEMA_VERSION || (version < 0 && others)))
        s = refuse_version(ctx, l, version, others);
    if (s == IDP_OK && version != IDP_LEDGER_SCHEMA_VERSION) {
        s = ledger_pg_command(ctx, l, "BEGIN", "start a transaction");
        if (version < 0)
            version = 0;
        for (size_t i = 0; s == IDP_OK && i < sizeof(pg_steps) / sizeof(pg_steps[0]); i++) {
            if (pg_steps[i].from != version)
                continue;
            s = ledger_pg_command(ctx, l, pg_steps[i].sql,
                                  version == 0 ? "create the schema" : "migrate the schema");
            version = pg_steps[i].to;
        }
        if (s == IDP_OK && version != IDP_LEDGER_SCHEMA_VERSION)
            s = idp_fail(ctx, IDP_E_INTERNAL, "%s: no migration from schema version %d", l->path,
                         version);
        if (s == IDP_OK)
            s = ledger_pg_command(ctx, l, "COMMIT", "commit the schema");
        if (s != IDP_OK && PQstatus(LEDGER_CONN(l)) == CONNECTION_OK)
            PQclear(PQexec(LEDGER_CONN(l), "ROLLBACK"));
    }
    if (PQstatus(LEDGER_CONN(l)) == CONNECTION_OK)
        PQclear(PQexec(LEDGER_CONN(l), "SELECT pg_advisory_unlock(" SCHEMA_LOCK ")"));
    return s;
}

/* Whether libpq can parse the URI. Its own message is not shown: for a
 * malformed URI it may quote the URI, or the part it could not decode,
 * password included. */
static idp_status check_uri(idp_ctx *ctx, idp_ledger *l, const char *target)
{
    char *err = NULL;
    PQconninfoOption *opts = PQconninfoParse(target, &err);

    if (opts != NULL) {
        PQconninfoFree(opts);
        return IDP_OK;
    }
    if (err == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", l->path);
    PQfreemem(err);
    return idp_fail(ctx, IDP_E_USAGE,
                    "%s: not a PostgreSQL URI libpq can read (a character to percent-encode, a "
                    "misspelt parameter?): see docs/ledger.md for its forms",
                    l->path);
}

static idp_status pg_open(idp_ctx *ctx, idp_ledger *l, const char *target, bool readonly)
{
    int version;
    bool others;
    idp_status s = check_uri(ctx, l, target);

    if (s != IDP_OK)
        return s;
    l->conninfo = strdup(target);
    if (l->conninfo == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", l->path);
    s = connect_db(ctx, l);
    if (s != IDP_OK)
        return s;
    if (!readonly)
        return migrate(ctx, l);
    s = read_version(ctx, l, &version, &others);
    if (s != IDP_OK)
        return s;
    if (version < 0 && !others)
        return idp_fail(ctx, IDP_E_NOTFOUND, "%s: the database holds no idpack ledger yet",
                        l->path);
    if (version != IDP_LEDGER_SCHEMA_VERSION)
        return version > IDP_LEDGER_SCHEMA_VERSION || version < 0
                   ? refuse_version(ctx, l, version, others)
                   : idp_fail(ctx, IDP_E_FORMAT,
                              "%s: ledger schema version %d, this idpack reads %d: open it once "
                              "with write access to upgrade it",
                              l->path, version, IDP_LEDGER_SCHEMA_VERSION);
    return IDP_OK;
}

static void pg_close(idp_ledger *l)
{
    PQfinish(LEDGER_CONN(l));
    l->db = NULL;
}

/* ---- Transactions and writes ------------------------------------------ */

static idp_status pg_begin(idp_ctx *ctx, idp_ledger *l)
{
    idp_status s = ledger_pg_ensure(ctx, l);
    if (s != IDP_OK)
        return s;
    return ledger_pg_command(ctx, l, "BEGIN ISOLATION LEVEL SERIALIZABLE", "start a transaction");
}

static idp_status pg_commit(idp_ctx *ctx, idp_ledger *l)
{
    return ledger_pg_command(ctx, l, "COMMIT", "commit");
}

static void pg_rollback(idp_ledger *l)
{
    PGconn *c = LEDGER_CONN(l);
    if (c != NULL && PQstatus(c) == CONNECTION_OK && PQtransactionStatus(c) != PQTRANS_IDLE)
        PQclear(PQexec(c, "ROLLBACK"));
}

static idp_status pg_find_status(idp_ctx *ctx, idp_ledger *l, const char *ref, bool *found,
                                 idp_ledger_status *status)
{
    const char *p[] = {ref};
    PGresult *res = NULL;
    idp_status s = ledger_pg_exec(ctx, l,
                                  "SELECT status FROM packages WHERE reference = $1"
                                  " FOR UPDATE",
                                  1, p, "read a package", &res);

    *found = false;
    if (s != IDP_OK)
        return s;
    if (PQntuples(res) == 1) {
        if (!idp_ledger_status_parse(PQgetvalue(res, 0, 0), status))
            s = idp_fail(ctx, IDP_E_CORRUPT, "%s: package %s has an unknown status", l->path, ref);
        else
            *found = true;
    }
    PQclear(res);
    return s;
}

/* Runs a statement that returns no row. */
static idp_status run(idp_ctx *ctx, idp_ledger *l, const char *sql, int n, const char *const *p,
                      const char *what)
{
    return ledger_pg_exec(ctx, l, sql, n, p, what, NULL);
}

static idp_status pg_put_package(idp_ctx *ctx, idp_ledger *l, const idp_ledger_package *pkg,
                                 const char *ref, bool exists)
{
    static const char insert_sql[] =
        "INSERT INTO packages (reference, customer, account_email, lang, folder, pdf_sha256,"
        " created, status, case_id, updated, submitted)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7::bigint, 'prepared', NULL, $7::bigint, NULL)";
    static const char update_sql[] =
        "UPDATE packages SET customer = $2, account_email = $3, lang = $4, folder = $5,"
        " pdf_sha256 = $6, created = $7::bigint, updated = greatest(updated, $7::bigint)"
        " WHERE reference = $1";
    char created[24];
    const char *p[] = {
        ref, pkg->customer, pkg->account_email, pkg->lang, pkg->folder, pkg->pdf_sha256, created};

    snprintf(created, sizeof(created), "%lld", (long long)pkg->created);
    return run(ctx, l, exists ? update_sql : insert_sql, 7, p, "record a package");
}

static idp_status pg_set_status(idp_ctx *ctx, idp_ledger *l, const char *ref, idp_ledger_status to,
                                const char *case_id, int64_t at)
{
    static const char sql[] =
        "UPDATE packages SET status = $2, case_id = coalesce($3, case_id),"
        " submitted = CASE WHEN $2 = 'submitted' THEN $4::bigint ELSE submitted END,"
        " updated = greatest(updated, $4::bigint) WHERE reference = $1";
    char t[24];
    const char *p[] = {ref, idp_ledger_status_name(to), case_id, t};

    snprintf(t, sizeof(t), "%lld", (long long)at);
    return run(ctx, l, sql, 4, p, "change a status");
}

static idp_status pg_touch(idp_ctx *ctx, idp_ledger *l, const char *ref, int64_t at)
{
    char t[24];
    const char *p[] = {ref, t};

    snprintf(t, sizeof(t), "%lld", (long long)at);
    return run(ctx, l,
               "UPDATE packages SET updated = greatest(updated, $2::bigint) WHERE reference = $1",
               2, p, "add a note");
}

static idp_status pg_add_event(idp_ctx *ctx, idp_ledger *l, const char *ref, int64_t at,
                               const char *kind, idp_ledger_status status, const char *case_id,
                               const char *note)
{
    char t[24];
    const char *p[] = {ref, t, kind, idp_ledger_status_name(status), case_id, note, l->agent};

    snprintf(t, sizeof(t), "%lld", (long long)at);
    return run(ctx, l,
               "INSERT INTO events (reference, at, kind, status, case_id, note, agent)"
               " VALUES ($1, $2::bigint, $3, $4, $5, $6, $7)",
               7, p, "add an event");
}

const ledger_ops ledger_pg_ops = {
    .open = pg_open,
    .close = pg_close,
    .begin_write = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .find_status = pg_find_status,
    .put_package = pg_put_package,
    .set_status = pg_set_status,
    .touch = pg_touch,
    .add_event = pg_add_event,
    .list = ledger_pg_list,
    .show = ledger_pg_show,
};
