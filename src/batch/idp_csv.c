/* The CSV of a batch, read as a stream with libcsv: a small chunk of the
 * file at a time, rows handed out one by one, so that memory stays the
 * same for ten rows or a hundred thousand. The caps (rows, cells, bytes of
 * a cell) are checked while reading, before anything grows past them. */
#include "idp_batch.h"
#include "idp_utf8.h"
#include "idp_batch_int.h"

#include "idp_io.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK 4096 /* bytes handed to libcsv at a time */

struct idp_csv_reader {
    char *name; /* for messages */
    int fd;     /* -1: reading from memory */
    const unsigned char *mem;
    size_t mem_len, mem_pos;
    struct csv_parser parser;
    bool parser_ready, started, eof;
    /* the row being read */
    char **cells;
    size_t n_cells, cap_cells;
    size_t n_seen;   /* cells of the row so far, stored or not */
    size_t too_long; /* as in idp_csv_row, for the row being read */
    bool too_many;
    bool cut; /* the cell being read went past the cap: its bytes were dropped */
    /* complete rows not handed out yet (a chunk may hold several) */
    idp_csv_row *queue;
    size_t q_head, q_len, q_cap;
    idp_csv_row current; /* the row last handed out; freed at the next call */
    bool have_header;
    char **header;
    size_t n_cols;
    size_t rows; /* data rows completed so far */
    /* a problem met inside a libcsv callback */
    idp_status cb_status;
    char cb_error[256];
};

static void free_cells(char **cells, size_t n)
{
    if (cells == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        if (cells[i] != NULL)
            idp_free_wiped(cells[i], strlen(cells[i]));
    free(cells);
}

/* The data row being read, counted from 1 (0: the header). */
static size_t row_now(const idp_csv_reader *r)
{
    return r->have_header ? r->rows + 1 : 0;
}

static void cb_fail(idp_csv_reader *r, idp_status st, const char *text)
{
    if (r->cb_status != IDP_OK)
        return;
    r->cb_status = st;
    snprintf(r->cb_error, sizeof(r->cb_error), "%s", text);
}

static void on_field(void *field, size_t len, void *data)
{
    idp_csv_reader *r = data;
    char msg[200], *copy;
    bool over = len > IDP_CSV_MAX_CELL || r->cut;

    if (r->cb_status != IDP_OK)
        return;
    r->cut = false;
    r->n_seen++;
    if (over || r->n_seen > IDP_CSV_MAX_COLS) {
        if (!r->have_header) { /* the header: the whole file is unusable */
            if (over)
                snprintf(msg, sizeof(msg), "a cell of more than %u bytes", IDP_CSV_MAX_CELL);
            else
                snprintf(msg, sizeof(msg), "more than %u cells", IDP_CSV_MAX_COLS);
            cb_fail(r, IDP_E_LIMITS, msg);
            return;
        }
        if (r->n_seen > IDP_CSV_MAX_COLS) {
            r->too_many = true; /* counted, not kept */
            return;
        }
        if (r->too_long == 0)
            r->too_long = r->n_seen;
        len = 0; /* kept empty */
    } else if (!idp_utf8_valid((const char *)field, len, false, NULL)) {
        cb_fail(r, IDP_E_FORMAT, "");
        return;
    }
    if (r->n_cells == r->cap_cells) {
        size_t cap = r->cap_cells ? r->cap_cells * 2 : 16;
        char **c = realloc(r->cells, cap * sizeof(*c));
        if (c == NULL) {
            cb_fail(r, IDP_E_NOMEM, "out of memory");
            return;
        }
        r->cells = c;
        r->cap_cells = cap;
    }
    copy = malloc(len + 1);
    if (copy == NULL) {
        cb_fail(r, IDP_E_NOMEM, "out of memory");
        return;
    }
    if (len > 0)
        memcpy(copy, field, len);
    copy[len] = '\0';
    r->cells[r->n_cells++] = copy;
}

static void drop_row(idp_csv_reader *r)
{
    free_cells(r->cells, r->n_cells);
    r->cells = NULL;
    r->n_cells = r->cap_cells = r->n_seen = r->too_long = 0;
    r->too_many = false;
}

static void on_row(int c, void *data)
{
    idp_csv_reader *r = data;
    bool blank = true;

    (void)c;
    if (r->cb_status != IDP_OK) {
        drop_row(r);
        return;
    }
    for (size_t i = 0; i < r->n_cells; i++)
        if (r->cells[i][0] != '\0')
            blank = false;
    if (blank) { /* an empty line, or only separators: not a row */
        drop_row(r);
        return;
    }
    if (!r->have_header) {
        r->header = r->cells;
        r->n_cols = r->n_cells;
        r->have_header = true;
        r->cells = NULL;
        drop_row(r);
        return;
    }
    if (r->rows >= IDP_CSV_MAX_ROWS) {
        cb_fail(r, IDP_E_LIMITS, "rows");
        drop_row(r);
        return;
    }
    if (r->q_head + r->q_len == r->q_cap) {
        if (r->q_head > 0) {
            memmove(r->queue, r->queue + r->q_head, r->q_len * sizeof(*r->queue));
            r->q_head = 0;
        } else {
            size_t cap = r->q_cap ? r->q_cap * 2 : 64;
            idp_csv_row *q = realloc(r->queue, cap * sizeof(*q));
            if (q == NULL) {
                cb_fail(r, IDP_E_NOMEM, "out of memory");
                drop_row(r);
                return;
            }
            r->queue = q;
            r->q_cap = cap;
        }
    }
    r->queue[r->q_head + r->q_len++] =
        (idp_csv_row){r->n_cells, r->cells, r->too_long, r->too_many};
    r->rows++;
    r->cells = NULL;
    drop_row(r);
}

/* ';' when the header line has semicolons and no comma, else ','. */
static unsigned char sniff_delim(const unsigned char *p, size_t len)
{
    size_t commas = 0, semis = 0;
    bool quoted = false;

    for (size_t i = 0; i < len; i++) {
        if (p[i] == '"')
            quoted = !quoted;
        else if (!quoted && (p[i] == '\n' || p[i] == '\r'))
            break;
        else if (!quoted && p[i] == ',')
            commas++;
        else if (!quoted && p[i] == ';')
            semis++;
    }
    return commas == 0 && semis > 0 ? ';' : ',';
}

/* The error met in a callback, said with the file and the row. */
static idp_status say_cb(idp_ctx *ctx, idp_csv_reader *r)
{
    size_t row = row_now(r);
    char what[sizeof(r->cb_error)];

    /* what was over a cap, in the context's language */
    if (strncmp(r->cb_error, "a cell", 6) == 0)
        snprintf(what, sizeof(what), batch_tr(idp_ctx_lang(ctx), "a cell of more than %u bytes"),
                 IDP_CSV_MAX_CELL);
    else if (strncmp(r->cb_error, "more than", 9) == 0)
        snprintf(what, sizeof(what), batch_tr(idp_ctx_lang(ctx), "more than %u cells"),
                 IDP_CSV_MAX_COLS);
    else
        snprintf(what, sizeof(what), "%s", r->cb_error);

    if (r->cb_status == IDP_E_NOMEM)
        return idp_fail(ctx, IDP_E_NOMEM, batch_tr(idp_ctx_lang(ctx), "%s: out of memory"),
                        r->name);
    if (r->cb_status == IDP_E_FORMAT) {
        if (row == 0)
            return idp_fail(
                ctx, IDP_E_FORMAT,
                batch_tr(idp_ctx_lang(ctx),
                         "%s: the header is not UTF-8 text (save the file as \"CSV UTF-8\")"),
                r->name);
        return idp_fail(
            ctx, IDP_E_FORMAT,
            batch_tr(idp_ctx_lang(ctx),
                     "%s: data row %zu is not UTF-8 text (save the file as \"CSV UTF-8\")"),
            r->name, row);
    }
    if (strcmp(r->cb_error, "rows") == 0)
        return idp_fail(
            ctx, IDP_E_LIMITS,
            batch_tr(idp_ctx_lang(ctx),
                     "%s: more than %u data rows, the most one batch takes: split the file "
                     "into several CSVs"),
            r->name, IDP_CSV_MAX_ROWS);
    if (row == 0)
        return idp_fail(
            ctx, r->cb_status,
            batch_tr(idp_ctx_lang(ctx),
                     "%s: the header has %s: over the batch's limits (at most %u cells of at "
                     "most %u bytes)"),
            r->name, what, IDP_CSV_MAX_COLS, IDP_CSV_MAX_CELL);
    return idp_fail(
        ctx, r->cb_status,
        batch_tr(idp_ctx_lang(ctx),
                 "%s: data row %zu has %s: over the batch's limits (at most %u cells of at "
                 "most %u bytes in a row; shorten the cell)"),
        r->name, row, what, IDP_CSV_MAX_COLS, IDP_CSV_MAX_CELL);
}

/* Reads more of the input into the parser. *more is false at the end. */
static idp_status feed(idp_ctx *ctx, idp_csv_reader *r)
{
    unsigned char buf[CHUNK];
    const unsigned char *p;
    size_t n;

    if (r->fd >= 0) {
        ssize_t got;
        do
            got = read(r->fd, buf, sizeof(buf));
        while (got < 0 && errno == EINTR);
        if (got < 0)
            return idp_fail(ctx, IDP_E_IO, batch_tr(idp_ctx_lang(ctx), "%s: read error: %s"),
                            r->name, strerror(errno));
        p = buf;
        n = (size_t)got;
    } else {
        n = r->mem_len - r->mem_pos < CHUNK ? r->mem_len - r->mem_pos : CHUNK;
        p = r->mem + r->mem_pos;
        r->mem_pos += n;
    }
    if (!r->started) {
        r->started = true;
        if (n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
            p += 3; /* a byte-order mark: spreadsheets write one */
            n -= 3;
        }
        csv_set_delim(&r->parser, sniff_delim(p, n));
    }
    if (n == 0) {
        r->eof = true;
        if (csv_fini(&r->parser, on_field, on_row, r) != 0)
            goto malformed;
    } else if (csv_parse(&r->parser, p, n, on_field, on_row, r) != n) {
        goto malformed;
    }
    if (r->cb_status != IDP_OK)
        return say_cb(ctx, r);
    /* libcsv keeps an unfinished cell in its own buffer: bounded here. A
     * cell past the cap is marked cut and its bytes dropped (all but the
     * trailing spaces libcsv still counts on, which are spaces). */
    if (r->parser.entry_pos > IDP_CSV_MAX_CELL) {
        if (!r->have_header) {
            char msg[64];
            snprintf(msg, sizeof(msg), "a cell of more than %u bytes", IDP_CSV_MAX_CELL);
            cb_fail(r, IDP_E_LIMITS, msg);
            return say_cb(ctx, r);
        }
        r->cut = true;
        memset(r->parser.entry_buf, ' ', r->parser.spaces);
        r->parser.entry_pos = r->parser.spaces;
    }
    return IDP_OK;
malformed:
    if (r->cb_status != IDP_OK)
        return say_cb(ctx, r);
    if (csv_error(&r->parser) == CSV_ENOMEM || csv_error(&r->parser) == CSV_ETOOBIG)
        return idp_fail(ctx, IDP_E_NOMEM, batch_tr(idp_ctx_lang(ctx), "%s: out of memory"),
                        r->name);
    return idp_fail(
        ctx, IDP_E_FORMAT,
        batch_tr(idp_ctx_lang(ctx),
                 "%s: malformed CSV after data row %zu: a quote inside an unquoted field, "
                 "text after a closing quote, or a quoted field never closed"),
        r->name, r->rows);
}

/* Reads until the header is known; checks its names. */
static idp_status read_header(idp_ctx *ctx, idp_csv_reader *r)
{
    idp_status st = IDP_OK;

    while (!r->have_header && !r->eof && st == IDP_OK)
        st = feed(ctx, r);
    if (st != IDP_OK)
        return st;
    if (!r->have_header)
        return idp_fail(ctx, IDP_E_FORMAT, batch_tr(idp_ctx_lang(ctx), "%s: empty: no header row"),
                        r->name);
    for (size_t i = 0; i < r->n_cols; i++) {
        if (r->header[i][0] == '\0')
            return idp_fail(ctx, IDP_E_FORMAT,
                            batch_tr(idp_ctx_lang(ctx), "%s: column %zu of the header has no name"),
                            r->name, i + 1);
        for (size_t j = 0; j < i; j++)
            if (strcasecmp(r->header[i], r->header[j]) == 0)
                return idp_fail(
                    ctx, IDP_E_FORMAT,
                    batch_tr(idp_ctx_lang(ctx),
                             "%s: columns %zu and %zu of the header have the same name"),
                    r->name, j + 1, i + 1);
    }
    return IDP_OK;
}

static idp_status reader_new(idp_ctx *ctx, const char *name, idp_csv_reader **out)
{
    idp_csv_reader *r = calloc(1, sizeof(*r));

    *out = NULL;
    if (r == NULL || (r->name = strdup(name)) == NULL) {
        free(r);
        return idp_fail(ctx, IDP_E_NOMEM, batch_tr(idp_ctx_lang(ctx), "%s: out of memory"), name);
    }
    r->fd = -1;
    if (csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        free(r->name);
        free(r);
        return idp_fail(ctx, IDP_E_NOMEM, batch_tr(idp_ctx_lang(ctx), "%s: out of memory"), name);
    }
    r->parser_ready = true;
    csv_set_blk_size(&r->parser, CHUNK);
    *out = r;
    return IDP_OK;
}

idp_status idp_csv_open(idp_ctx *ctx, const char *path, idp_csv_reader **out)
{
    idp_csv_reader *r = NULL;
    struct stat sb;
    idp_status st;

    *out = NULL;
    /* Said before opening: open() of a FIFO waits for a writer, of a
     * socket fails with a puzzling error. */
    if (stat(path, &sb) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return idp_fail(ctx, IDP_E_NOTFOUND, batch_tr(idp_ctx_lang(ctx), "%s: no such file"),
                            path);
        return idp_fail(ctx, IDP_E_IO, batch_tr(idp_ctx_lang(ctx), "%s: cannot open: %s"), path,
                        strerror(errno));
    }
    if (!S_ISREG(sb.st_mode))
        return idp_fail(ctx, IDP_E_FORMAT, batch_tr(idp_ctx_lang(ctx), "%s: not a regular file"),
                        path);
    st = reader_new(ctx, path, &r);
    if (st != IDP_OK)
        return st;
    r->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (r->fd < 0) {
        st = errno == ENOENT
                 ? idp_fail(ctx, IDP_E_NOTFOUND, batch_tr(idp_ctx_lang(ctx), "%s: no such file"),
                            path)
                 : idp_fail(ctx, IDP_E_IO, batch_tr(idp_ctx_lang(ctx), "%s: cannot open: %s"), path,
                            strerror(errno));
        goto fail;
    }
    if (fstat(r->fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        st = idp_fail(ctx, IDP_E_FORMAT, batch_tr(idp_ctx_lang(ctx), "%s: not a regular file"),
                      path);
        goto fail;
    }
    (void)fcntl(r->fd, F_SETFL, 0); /* back to blocking reads */
    st = read_header(ctx, r);
    if (st != IDP_OK)
        goto fail;
    *out = r;
    return IDP_OK;
fail:
    idp_csv_close(r);
    return st;
}

idp_status idp_csv_open_mem(idp_ctx *ctx, const char *name, const void *data, size_t len,
                            idp_csv_reader **out)
{
    idp_csv_reader *r = NULL;
    idp_status st;

    *out = NULL;
    if (data == NULL && len != 0)
        return idp_fail(ctx, IDP_E_USAGE, batch_tr(idp_ctx_lang(ctx), "%s: no data"), name);
    st = reader_new(ctx, name, &r);
    if (st != IDP_OK)
        return st;
    r->mem = data;
    r->mem_len = len;
    st = read_header(ctx, r);
    if (st != IDP_OK) {
        idp_csv_close(r);
        return st;
    }
    *out = r;
    return IDP_OK;
}

const char *const *idp_csv_header(const idp_csv_reader *r, size_t *n_cols)
{
    *n_cols = r->n_cols;
    return (const char *const *)r->header;
}

idp_status idp_csv_next(idp_ctx *ctx, idp_csv_reader *r, const idp_csv_row **row)
{
    idp_status st = IDP_OK;

    *row = NULL;
    free_cells(r->current.cells, r->current.n_cells);
    r->current = (idp_csv_row){0, NULL, 0, false};
    while (r->q_len == 0 && !r->eof && st == IDP_OK)
        st = feed(ctx, r);
    if (st != IDP_OK)
        return st;
    if (r->q_len == 0)
        return IDP_OK; /* the end */
    r->current = r->queue[r->q_head++];
    r->q_len--;
    if (r->q_len == 0)
        r->q_head = 0;
    *row = &r->current;
    return IDP_OK;
}

idp_csv_row *idp_csv_take(idp_csv_reader *r)
{
    idp_csv_row *copy = malloc(sizeof(*copy));

    if (copy == NULL || r->current.cells == NULL) {
        free(copy);
        return NULL;
    }
    *copy = r->current;
    r->current = (idp_csv_row){0, NULL, 0, false};
    return copy;
}

void idp_csv_row_free(idp_csv_row *row)
{
    if (row == NULL)
        return;
    free_cells(row->cells, row->n_cells);
    free(row);
}

void idp_csv_close(idp_csv_reader *r)
{
    if (r == NULL)
        return;
    if (r->parser_ready)
        csv_free(&r->parser);
    if (r->fd >= 0)
        close(r->fd);
    free_cells(r->cells, r->n_cells);
    free_cells(r->header, r->n_cols);
    free_cells(r->current.cells, r->current.n_cells);
    for (size_t i = 0; i < r->q_len; i++)
        free_cells(r->queue[r->q_head + i].cells, r->queue[r->q_head + i].n_cells);
    free(r->queue);
    free(r->name);
    free(r);
}

/* ---- The whole table at once (small inputs, tests) --------------------- */

void idp_csv_table_free(idp_csv_table *t)
{
    if (t == NULL)
        return;
    free_cells(t->header, t->n_cols);
    for (size_t i = 0; i < t->n_rows; i++)
        free_cells(t->rows[i].cells, t->rows[i].n_cells);
    free(t->rows);
    free(t);
}

static idp_status table_from(idp_ctx *ctx, idp_csv_reader *r, idp_csv_table **out)
{
    idp_csv_table *t = calloc(1, sizeof(*t));
    size_t cap = 0;
    const idp_csv_row *row;
    idp_status st;

    if (t == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, batch_tr(idp_ctx_lang(ctx), "out of memory"));
    t->header = r->header;
    t->n_cols = r->n_cols;
    r->header = NULL;
    r->n_cols = 0;
    while ((st = idp_csv_next(ctx, r, &row)) == IDP_OK && row != NULL) {
        if (t->n_rows == cap) {
            size_t c = cap ? cap * 2 : 16;
            idp_csv_row *rows = realloc(t->rows, c * sizeof(*rows));
            if (rows == NULL) {
                st = idp_fail(ctx, IDP_E_NOMEM, batch_tr(idp_ctx_lang(ctx), "out of memory"));
                break;
            }
            t->rows = rows;
            cap = c;
        }
        t->rows[t->n_rows++] = r->current;
        r->current = (idp_csv_row){0, NULL, 0, false};
    }
    if (st != IDP_OK) {
        idp_csv_table_free(t);
        return st;
    }
    *out = t;
    return IDP_OK;
}

idp_status idp_csv_parse(idp_ctx *ctx, const char *name, const void *data, size_t len,
                         idp_csv_table **out)
{
    idp_csv_reader *r = NULL;
    idp_status st;

    *out = NULL;
    st = idp_csv_open_mem(ctx, name, data, len, &r);
    if (st == IDP_OK)
        st = table_from(ctx, r, out);
    idp_csv_close(r);
    return st;
}

idp_status idp_csv_read(idp_ctx *ctx, const char *path, idp_csv_table **out)
{
    idp_csv_reader *r = NULL;
    idp_status st;

    *out = NULL;
    st = idp_csv_open(ctx, path, &r);
    if (st == IDP_OK)
        st = table_from(ctx, r, out);
    idp_csv_close(r);
    return st;
}
