/* `idpack batch report DIR`: the reports of a batch's shards
 * (report-shard-I-of-N.json) merged into one report.json and report.csv,
 * as a batch without shards writes them, through the same writer. The
 * shards are read as streams, a row at a time (each report holds one row
 * object per line, in CSV order): memory does not grow with the rows
 * beyond two bytes a row (which shard holds it). */
#define _GNU_SOURCE /* flock() */

#include "idp_batch_int.h"
#include "idp_tr.h"

#include "idp_io.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define LINE_MAX_BYTES (4u << 20) /* a row's line (its result is at most 1 MiB) */
#define SKELETON_MAX (64u << 10)  /* the rest of a report: the shard, the summary */

typedef struct shard_in {
    unsigned index;
    char name[64]; /* report-shard-I-of-N.json */
    FILE *f;
    size_t rows;
    char csv_sha256[IDP_SHA256_HEX];
    size_t csv_rows;
    char today[11];      /* the day its rows were judged against ("": not said) */
    char today_zone[64]; /* and its zone */
} shard_in;

typedef struct merge {
    idp_ctx *ctx;
    const char *dir;
    char *line; /* LINE_MAX_BYTES + 1 */
    shard_in *shards;
    unsigned count;
} merge;

/* "report-shard-I-of-N.json" -> I, N. */
static bool shard_file(const char *name, unsigned *index, unsigned *count)
{
    char spec[32];
    const char *of;
    size_t n = strlen(name);

    if (strncmp(name, "report-shard-", 13) != 0 || n < 13 + 5 + 5 ||
        strcmp(name + n - 5, ".json") != 0 || n - 18 >= sizeof(spec))
        return false;
    memcpy(spec, name + 13, n - 18);
    spec[n - 18] = '\0';
    of = strstr(spec, "-of-");
    if (of == NULL)
        return false;
    memmove(spec + (of - spec) + 1, of + 4, strlen(of + 4) + 1);
    spec[of - spec] = '/';
    return idp_batch_shard_parse(spec, index, count);
}

/* "2, 4-6, 9" into out. */
static void ranges(const unsigned *v, size_t n, char *out, size_t size)
{
    size_t used = 0;

    out[0] = '\0';
    for (size_t i = 0; i < n && used < size; i++) {
        size_t j = i;
        while (j + 1 < n && v[j + 1] == v[j] + 1)
            j++;
        if (j > i)
            used += (size_t)snprintf(out + used, size - used, "%s%u-%u", i ? ", " : "", v[i], v[j]);
        else
            used += (size_t)snprintf(out + used, size - used, "%s%u", i ? ", " : "", v[i]);
        i = j;
    }
}

static int by_count_index(const void *a, const void *b)
{
    const unsigned *x = a, *y = b;
    if (x[1] != y[1])
        return x[1] < y[1] ? -1 : 1;
    return (x[0] > y[0]) - (x[0] < y[0]);
}

/* The shard reports in the folder: one split, every shard of it. */
static idp_status find_shards(merge *m, idp_batch_merge_result *res)
{
    DIR *d = opendir(m->dir);
    struct dirent *e;
    unsigned(*found)[2] = NULL;
    size_t n = 0, cap = 0;
    idp_status st = IDP_OK;
    const char *lang = idp_ctx_lang(m->ctx);

    if (d == NULL)
        return idp_fail(m->ctx, errno == ENOENT ? IDP_E_NOTFOUND : IDP_E_CREATE, "%s: %s", m->dir,
                        errno == ENOENT ? (idp_tr(lang, "no such folder")) : strerror(errno));
    while ((e = readdir(d)) != NULL) {
        unsigned i, c;
        if (!shard_file(e->d_name, &i, &c))
            continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            void *p = nc > 1u << 20 ? NULL : realloc(found, nc * sizeof(*found));
            if (p == NULL) {
                st = idp_fail(m->ctx, IDP_E_NOMEM, "out of memory");
                goto out;
            }
            found = p;
            cap = nc;
        }
        found[n][0] = i;
        found[n][1] = c;
        n++;
    }
    if (n == 0) {
        st = idp_fail(m->ctx, IDP_E_NOTFOUND,
                      idp_tr(lang,
                             "%s: no shard reports (report-shard-I-of-N.json): run the batch's "
                             "shards with this folder as their output first"),
                      m->dir);
        goto out;
    }
    qsort(found, n, sizeof(*found), by_count_index);
    if (found[0][1] != found[n - 1][1]) {
        char list[256] = "";
        size_t used = 0;
        for (size_t k = 0; k < n && used < sizeof(list); k++)
            if (k == 0 || found[k][1] != found[k - 1][1])
                used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%u",
                                         k ? (idp_tr(lang, " and ")) : "", found[k][1]);
        st = idp_fail(m->ctx, IDP_E_FORMAT,
                      idp_tr(lang,
                             "%s: holds the reports of different splits (into %s shards): keep "
                             "one split's reports and remove the others"),
                      m->dir, list);
        goto out;
    }
    m->count = res->count = found[0][1];
    res->missing = calloc(m->count, sizeof(*res->missing));
    m->shards = calloc(m->count, sizeof(*m->shards));
    if (res->missing == NULL || m->shards == NULL) {
        st = idp_fail(m->ctx, IDP_E_NOMEM, "out of memory");
        goto out;
    }
    for (unsigned i = 1, k = 0; i <= m->count; i++) {
        if (k < n && found[k][0] == i)
            k++;
        else
            res->missing[res->n_missing++] = i;
    }
    if (res->n_missing > 0) {
        char list[512];
        ranges(res->missing, res->n_missing, list, sizeof(list));
        st = idp_fail(m->ctx, IDP_E_NOTFOUND,
                      idp_tr(lang,
                             "%s: the reports of shards %s of %u are missing: run those shards, "
                             "then merge again"),
                      m->dir, list, m->count);
        goto out;
    }
    for (unsigned i = 0; i < m->count; i++) {
        m->shards[i].index = i + 1;
        snprintf(m->shards[i].name, sizeof(m->shards[i].name), "report-shard-%u-of-%u.json", i + 1,
                 m->count);
    }
out:
    free(found);
    closedir(d);
    return st;
}

static idp_status not_ours(merge *m, const shard_in *s, const char *what)
{
    return idp_fail(m->ctx, IDP_E_FORMAT,
                    idp_tr(idp_ctx_lang(m->ctx),
                           "%s: not a report as a batch shard writes it (%s): resume that shard"),
                    s->name, what);
}

/* The next line of s into m->line (no line end); false at the end. */
static idp_status next_line(merge *m, shard_in *s, bool *got, size_t *len)
{
    *got = false;
    if (fgets(m->line, LINE_MAX_BYTES + 1, s->f) == NULL) {
        if (ferror(s->f))
            return idp_fail(m->ctx, IDP_E_IO, "%s: read error: %s", s->name, strerror(errno));
        return IDP_OK;
    }
    *len = strlen(m->line);
    if (*len > 0 && m->line[*len - 1] == '\n')
        m->line[--*len] = '\0';
    else if (!feof(s->f))
        return not_ours(m, s, "a line too long");
    *got = true;
    return IDP_OK;
}

static bool row_line(const char *line)
{
    return strncmp(line, "    {", 5) == 0;
}

/* A row's line, parsed (the comma that separates it from the next cut). */
static json_t *row_json(merge *m, const shard_in *s, size_t len, json_int_t *row)
{
    json_error_t jerr;
    json_t *o;

    if (len > 0 && m->line[len - 1] == ',')
        m->line[--len] = '\0';
    o = json_loadb(m->line, len, 0, &jerr);
    *row = json_integer_value(json_object_get(o, "row"));
    if (!json_is_object(o) || !json_is_integer(json_object_get(o, "row")) || *row < 1 ||
        *row > (json_int_t)s->csv_rows) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* A shard's "today" ({"date": "YYYY-MM-DD", "zone": "..."}), if it has
 * one, into s; false when it is there but not as a batch writes it. */
static bool read_today(shard_in *s, const json_t *t)
{
    const char *date = json_string_value(json_object_get(t, "date"));
    const char *zone = json_string_value(json_object_get(t, "zone"));
    int y, mo, d, n = 0;

    if (t == NULL)
        return true;
    if (date == NULL || zone == NULL || strlen(date) != 10 ||
        strlen(zone) >= sizeof(s->today_zone) ||
        sscanf(date, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10 || mo < 1 || mo > 12 ||
        d < 1 || d > 31)
        return false;
    memcpy(s->today, date, sizeof(s->today));
    snprintf(s->today_zone, sizeof(s->today_zone), "%s", zone);
    return true;
}

/* Pass 1 over one shard: the skeleton (every line but the rows) parsed
 * for the shard's identity and summary, the rows counted. */
static idp_status read_head(merge *m, shard_in *s)
{
    char *skel = malloc(SKELETON_MAX + 1);
    size_t used = 0, len = 0;
    bool got;
    idp_status st = IDP_OK;
    json_t *doc = NULL, *sh, *sum, *rows;
    json_error_t jerr;
    const char *hex;
    char path[4096];
    struct stat sb;
    int fd;

    if (skel == NULL)
        return idp_fail(m->ctx, IDP_E_NOMEM, "out of memory");
    snprintf(path, sizeof(path), "%s/%s", m->dir, s->name);
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        free(skel);
        if (e == ELOOP)
            return not_ours(m, s, "a symbolic link");
        if (e == EMFILE)
            return idp_fail(m->ctx, IDP_E_IO,
                            "%s: too many files open at once (%u shards): raise the limit "
                            "(ulimit -n)",
                            s->name, m->count);
        return fd < 0 ? idp_fail(m->ctx, IDP_E_IO, "%s: cannot be read: %s", s->name, strerror(e))
                      : not_ours(m, s, "not a regular file");
    }
    s->f = fdopen(fd, "r");
    if (s->f == NULL) {
        close(fd);
        free(skel);
        return idp_fail(m->ctx, IDP_E_NOMEM, "out of memory");
    }
    s->csv_rows = IDP_CSV_MAX_ROWS; /* until the skeleton is read: bounds row numbers */
    for (;;) {
        st = next_line(m, s, &got, &len);
        if (st != IDP_OK || !got)
            break;
        if (row_line(m->line)) {
            s->rows++;
            continue;
        }
        if (used + len + 1 > SKELETON_MAX) {
            st = not_ours(m, s, "too long");
            break;
        }
        memcpy(skel + used, m->line, len);
        used += len;
        skel[used++] = '\n';
    }
    if (st == IDP_OK) {
        doc = json_loadb(skel, used, 0, &jerr);
        sh = json_object_get(doc, "shard");
        sum = json_object_get(doc, "summary");
        rows = json_object_get(doc, "rows");
        hex = json_string_value(json_object_get(sh, "csv_sha256"));
        if (doc == NULL || !json_is_array(rows) || json_array_size(rows) != 0 ||
            !json_is_object(sh) || hex == NULL || strlen(hex) != IDP_SHA256_HEX - 1 ||
            !json_is_integer(json_object_get(sh, "csv_rows")) ||
            !json_is_integer(json_object_get(sum, "total")))
            st = not_ours(m, s, "no shard or summary");
        else if (json_integer_value(json_object_get(sh, "index")) != (json_int_t)s->index ||
                 json_integer_value(json_object_get(sh, "count")) != (json_int_t)m->count)
            st = not_ours(m, s, "its shard is not the one its name says");
        else if (json_integer_value(json_object_get(sum, "total")) != (json_int_t)s->rows)
            st = not_ours(m, s, "its summary does not count its rows");
        else if (json_integer_value(json_object_get(sh, "csv_rows")) < 0 ||
                 json_integer_value(json_object_get(sh, "csv_rows")) > IDP_CSV_MAX_ROWS)
            st = not_ours(m, s, "more rows than a CSV may have");
        else if (!read_today(s, json_object_get(doc, "today")))
            st = not_ours(m, s, "its today is not a day");
        if (st == IDP_OK) {
            memcpy(s->csv_sha256, hex, IDP_SHA256_HEX);
            s->csv_rows = (size_t)json_integer_value(json_object_get(sh, "csv_rows"));
        }
    }
    json_decref(doc);
    free(skel);
    return st;
}

/* Pass 1b over one shard: its rows, in order, each in no other shard. */
static idp_status own_rows(merge *m, shard_in *s, uint16_t *owner)
{
    bool got;
    size_t len = 0;
    json_int_t prev = 0, row;
    idp_status st;

    rewind(s->f);
    while ((st = next_line(m, s, &got, &len)) == IDP_OK && got) {
        json_t *o;
        if (!row_line(m->line))
            continue;
        o = row_json(m, s, len, &row);
        json_decref(o);
        if (o == NULL || row <= prev)
            return not_ours(m, s, "a row out of order or past the CSV's rows");
        if (owner[row] != 0)
            return idp_fail(m->ctx, IDP_E_FORMAT,
                            idp_tr(idp_ctx_lang(m->ctx),
                                   "row %lld is in the reports of shards %u and %u: were they "
                                   "split from different CSVs?"),
                            (long long)row, owner[row], s->index);
        owner[row] = (uint16_t)s->index;
        prev = row;
    }
    if (st == IDP_OK)
        rewind(s->f);
    return st;
}

static idp_status take_row(merge *m, json_t *o, idp_batch_row *r, const shard_in *s)
{
    const char *customer = json_string_value(json_object_get(o, "customer"));
    const char *status = json_string_value(json_object_get(o, "status"));
    const char *package = json_string_value(json_object_get(o, "package"));
    const char *ref = json_string_value(json_object_get(o, "reference"));
    json_t *lists[2] = {json_object_get(o, "reasons"), json_object_get(o, "warnings")};
    char ***dest[2] = {&r->reasons, &r->warnings};
    size_t *dn[2] = {&r->n_reasons, &r->n_warnings};

    if (customer == NULL || status == NULL || package == NULL || ref == NULL ||
        strlen(package) > IDP_BATCH_NAME_MAX || strlen(ref) >= sizeof(r->reference) ||
        !json_is_array(lists[0]) || (lists[1] != NULL && !json_is_array(lists[1])))
        return not_ours(m, s, "a row without its fields");
    if (strcmp(status, "ok") == 0)
        r->status = IDP_ROW_OK;
    else if (strcmp(status, "skipped") == 0)
        r->status = IDP_ROW_SKIPPED;
    else if (strcmp(status, "failed") == 0)
        r->status = IDP_ROW_FAILED;
    else
        return not_ours(m, s, "a row's status is not ok, failed or skipped");
    r->customer = strdup(customer);
    r->package = strdup(package);
    if (r->customer == NULL || r->package == NULL)
        return idp_fail(m->ctx, IDP_E_NOMEM, "out of memory");
    snprintf(r->reference, sizeof(r->reference), "%s", ref);
    for (int k = 0; k < 2; k++) {
        size_t i;
        json_t *v;
        if (json_array_size(lists[k]) > 256)
            return not_ours(m, s, "a row with too many reasons");
        json_array_foreach(lists[k], i, v)
        {
            if (!json_is_string(v))
                return not_ours(m, s, "a reason that is not text");
            if (batch_add_text(dest[k], dn[k], "%s", json_string_value(v)) != IDP_OK)
                return idp_fail(m->ctx, IDP_E_NOMEM, "out of memory");
        }
    }
    return IDP_OK;
}

/* Pass 2: the rows in CSV order, each from the shard that holds it. */
static idp_status write_merged(merge *m, const uint16_t *owner, size_t csv_rows,
                               idp_batch_report *sum)
{
    idp_report_writer *w = NULL;
    idp_status st = idp_report_open(m->ctx, m->dir, &w);

    for (size_t row = 1; st == IDP_OK && row <= csv_rows; row++) {
        shard_in *s = &m->shards[owner[row] - 1];
        idp_batch_row r;
        json_int_t n;
        json_t *o = NULL;
        bool got;
        size_t len = 0;

        while ((st = next_line(m, s, &got, &len)) == IDP_OK && got && !row_line(m->line))
            ;
        if (st != IDP_OK)
            break;
        if (!got || (o = row_json(m, s, len, &n)) == NULL || n != (json_int_t)row) {
            json_decref(o);
            st = not_ours(m, s, "changed while it was merged");
            break;
        }
        memset(&r, 0, sizeof(r));
        r.row = row;
        st = take_row(m, o, &r, s);
        json_decref(o);
        if (st == IDP_OK)
            st = idp_report_add(m->ctx, w, &r);
        if (st == IDP_OK) {
            sum->n_rows++;
            if (r.status == IDP_ROW_OK)
                sum->ok++;
            else if (r.status == IDP_ROW_SKIPPED)
                sum->skipped++;
            else
                sum->failed++;
            if (r.status != IDP_ROW_FAILED && r.n_warnings > 0)
                sum->warned++;
        }
        idp_batch_row_clear(&r);
    }
    if (st != IDP_OK) {
        idp_report_abort(w);
        return st;
    }
    return idp_report_commit(m->ctx, w, sum);
}

idp_status idp_batch_merge(idp_ctx *ctx, const char *dir, idp_batch_merge_result *res)
{
    merge m;
    uint16_t *owner = NULL;
    idp_status st;
    int dfd;
    size_t csv_rows = 0;
    const char *lang = idp_ctx_lang(ctx);

    memset(res, 0, sizeof(*res));
    memset(&m, 0, sizeof(m));
    m.ctx = ctx;
    m.dir = dir;
    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return idp_fail(ctx, errno == ENOENT ? IDP_E_NOTFOUND : IDP_E_CREATE, "%s: %s", dir,
                        errno == ENOENT    ? (idp_tr(lang, "no such folder"))
                        : errno == ENOTDIR ? (idp_tr(lang, "not a folder"))
                                           : strerror(errno));
    /* No shard (nor a batch) may be writing while the reports are read. */
    if (flock(dfd, LOCK_EX | LOCK_NB) != 0) {
        st = idp_fail(ctx, IDP_E_CREATE, "%s: %s", dir,
                      errno != EWOULDBLOCK
                          ? strerror(errno)
                          : idp_tr(lang, "a batch is still writing into it: wait for it to end"));
        goto out;
    }
    st = find_shards(&m, res);
    if (st != IDP_OK)
        goto out;
    m.line = malloc(LINE_MAX_BYTES + 1);
    if (m.line == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, "out of memory");
        goto out;
    }
    for (unsigned i = 0; i < m.count && st == IDP_OK; i++) {
        st = read_head(&m, &m.shards[i]);
        if (st == IDP_OK && i > 0 &&
            (strcmp(m.shards[i].csv_sha256, m.shards[0].csv_sha256) != 0 ||
             m.shards[i].csv_rows != m.shards[0].csv_rows))
            st = idp_fail(ctx, IDP_E_FORMAT,
                          idp_tr(lang, "%s: shards 1 and %u were built from different CSVs (their "
                                       "SHA-256 differs): run every shard on the same CSV"),
                          dir, i + 1);
    }
    if (st != IDP_OK)
        goto out;
    csv_rows = m.shards[0].csv_rows;
    owner = calloc(csv_rows + 1, sizeof(*owner));
    if (owner == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, "out of memory");
        goto out;
    }
    for (unsigned i = 0; i < m.count && st == IDP_OK; i++)
        st = own_rows(&m, &m.shards[i], owner);
    /* today as an unsplit batch says it, when every shard judged its rows
     * against the same day in the same zone; else no one day is true of
     * every row (each shard's report keeps its own). */
    {
        bool same = m.count > 0 && m.shards[0].today[0] != '\0';
        for (unsigned i = 1; same && i < m.count; i++)
            same = strcmp(m.shards[i].today, m.shards[0].today) == 0 &&
                   strcmp(m.shards[i].today_zone, m.shards[0].today_zone) == 0;
        if (same) {
            memcpy(res->sum.today, m.shards[0].today, sizeof(res->sum.today));
            memcpy(res->sum.today_zone, m.shards[0].today_zone, sizeof(res->sum.today_zone));
        }
    }
    for (size_t row = 1; st == IDP_OK && row <= csv_rows; row++)
        if (owner[row] == 0)
            st =
                idp_fail(ctx, IDP_E_FORMAT,
                         idp_tr(lang, "%s: row %zu of the CSV is in no shard's report (did the CSV "
                                      "change while a shard ran?): resume the shards"),
                         dir, row);
    if (st == IDP_OK)
        st = write_merged(&m, owner, csv_rows, &res->sum);
out:
    for (unsigned i = 0; m.shards != NULL && i < m.count; i++)
        if (m.shards[i].f != NULL)
            fclose(m.shards[i].f);
    free(m.shards);
    free(m.line);
    free(owner);
    close(dfd);
    return st;
}

void idp_batch_merge_result_free(idp_batch_merge_result *res)
{
    if (res == NULL)
        return;
    free(res->missing);
    memset(res, 0, sizeof(*res));
}
