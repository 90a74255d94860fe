/* The batch driver: a CSV of customers in (libcsv), one package per row
 * out, built by worker threads. Rows are prepared in CSV order on the
 * calling thread (names, paths: cheap and deterministic), then workers
 * take them one at a time; each row has its own context and form, and its
 * result goes into its own slot of the report. */
#define _DEFAULT_SOURCE /* flock() */

#include "idp_batch.h"

#include "idp_build.h"
#include "idp_check.h"
#include "idp_form.h"
#include "idp_hash.h"
#include "idp_io.h"
#include "idp_package.h"
#include "idp_template.h"

#include <csv.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define REASON_MAX 1024
#define CUSTOMER_MAX 256 /* bytes of a customer label */

/* ---- CSV -------------------------------------------------------------- */

typedef struct csv_state {
    idp_csv_table *t;
    char **cells; /* the row being read */
    size_t n_cells, cap_cells;
    size_t cap_rows;
    bool have_header;
    bool bad_utf8, nomem;
    size_t bad_row; /* 0: header */
} csv_state;

/* Strict UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF), no NUL. */
static bool utf8_valid(const unsigned char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        unsigned c = s[i];
        size_t n;
        uint32_t cp;
        if (c == 0)
            return false;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (len - i <= n)
            return false;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3fu);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += n + 1;
    }
    return true;
}

static void free_cells(char **cells, size_t n)
{
    if (cells == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        if (cells[i] != NULL)
            idp_free_wiped(cells[i], strlen(cells[i]));
    free(cells);
}

static void csv_on_field(void *field, size_t len, void *data)
{
    csv_state *s = data;
    char *copy;

    if (s->nomem || s->bad_utf8)
        return;
    if (!utf8_valid(field, len)) {
        s->bad_utf8 = true;
        s->bad_row = s->have_header ? s->t->n_rows + 1 : 0;
        return;
    }
    if (s->n_cells == s->cap_cells) {
        size_t cap = s->cap_cells ? s->cap_cells * 2 : 16;
        char **c = cap > SIZE_MAX / sizeof(*c) ? NULL : realloc(s->cells, cap * sizeof(*c));
        if (c == NULL) {
            s->nomem = true;
            return;
        }
        s->cells = c;
        s->cap_cells = cap;
    }
    copy = malloc(len + 1);
    if (copy == NULL) {
        s->nomem = true;
        return;
    }
    if (len > 0)
        memcpy(copy, field, len);
    copy[len] = '\0';
    s->cells[s->n_cells++] = copy;
}

static void csv_on_row(int c, void *data)
{
    csv_state *s = data;
    bool blank = true;
    char **cells;

    (void)c;
    if (s->nomem || s->bad_utf8)
        goto drop;
    for (size_t i = 0; i < s->n_cells; i++)
        if (s->cells[i][0] != '\0')
            blank = false;
    if (blank) /* an empty line, or only separators: not a row */
        goto drop;
    cells = realloc(s->cells, s->n_cells * sizeof(*cells));
    if (cells == NULL)
        cells = s->cells;
    if (!s->have_header) {
        s->t->header = cells;
        s->t->n_cols = s->n_cells;
        s->have_header = true;
    } else {
        if (s->t->n_rows == s->cap_rows) {
            size_t cap = s->cap_rows ? s->cap_rows * 2 : 64;
            idp_csv_row *r =
                cap > SIZE_MAX / sizeof(*r) ? NULL : realloc(s->t->rows, cap * sizeof(*r));
            if (r == NULL) {
                s->nomem = true;
                s->cells = cells;
                goto drop;
            }
            s->t->rows = r;
            s->cap_rows = cap;
        }
        s->t->rows[s->t->n_rows].cells = cells;
        s->t->rows[s->t->n_rows].n_cells = s->n_cells;
        s->t->n_rows++;
    }
    s->cells = NULL;
    s->n_cells = s->cap_cells = 0;
    return;
drop:
    free_cells(s->cells, s->n_cells);
    s->cells = NULL;
    s->n_cells = s->cap_cells = 0;
}

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

idp_status idp_csv_parse(idp_ctx *ctx, const char *name, const void *data, size_t len,
                         idp_csv_table **out)
{
    const unsigned char *p = data;
    struct csv_parser parser;
    csv_state s;
    idp_status st = IDP_OK;
    bool parser_ready = false;

    *out = NULL;
    memset(&s, 0, sizeof(s));
    if (p == NULL && len != 0)
        return idp_fail(ctx, IDP_E_USAGE, "%s: no data", name);
    if (len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
        p += 3;
        len -= 3;
    }
    s.t = calloc(1, sizeof(*s.t));
    if (s.t == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", name);
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        st = idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", name);
        goto out;
    }
    parser_ready = true;
    /* libcsv grows its cell buffer by this much at a time (default 128
     * bytes: a 1 MB cell was 8000 copies) */
    csv_set_blk_size(&parser, 64 * 1024);
    csv_set_delim(&parser, sniff_delim(p, len));
    if ((len > 0 && csv_parse(&parser, p, len, csv_on_field, csv_on_row, &s) != len) ||
        csv_fini(&parser, csv_on_field, csv_on_row, &s) != 0) {
        int e = csv_error(&parser);
        if (e == CSV_ENOMEM || e == CSV_ETOOBIG)
            st = idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", name);
        else
            st = idp_fail(ctx, IDP_E_FORMAT,
                          "%s: malformed CSV after data row %zu: a quote inside an unquoted "
                          "field, text after a closing quote, or a quoted field never closed",
                          name, s.t->n_rows);
        goto out;
    }
    if (s.nomem) {
        st = idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", name);
        goto out;
    }
    if (s.bad_utf8) {
        if (s.bad_row == 0)
            st =
                idp_fail(ctx, IDP_E_FORMAT,
                         "%s: the header is not UTF-8 text (save the file as \"CSV UTF-8\")", name);
        else
            st = idp_fail(ctx, IDP_E_FORMAT,
                          "%s: data row %zu is not UTF-8 text (save the file as \"CSV UTF-8\")",
                          name, s.bad_row);
        goto out;
    }
    if (!s.have_header) {
        st = idp_fail(ctx, IDP_E_FORMAT, "%s: empty: no header row", name);
        goto out;
    }
    for (size_t i = 0; i < s.t->n_cols; i++) {
        if (s.t->header[i][0] == '\0') {
            st = idp_fail(ctx, IDP_E_FORMAT, "%s: column %zu of the header has no name", name,
                          i + 1);
            goto out;
        }
        for (size_t j = 0; j < i; j++)
            if (strcasecmp(s.t->header[i], s.t->header[j]) == 0) {
                st = idp_fail(ctx, IDP_E_FORMAT,
                              "%s: columns %zu and %zu of the header have the same name", name,
                              j + 1, i + 1);
                goto out;
            }
    }
    *out = s.t;
    s.t = NULL;
out:
    if (parser_ready)
        csv_free(&parser);
    free_cells(s.cells, s.n_cells);
    idp_csv_table_free(s.t);
    return st;
}

idp_status idp_csv_read(idp_ctx *ctx, const char *path, idp_csv_table **out)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    idp_status st;

    *out = NULL;
    st = idp_read_file(ctx, path, 0, &buf, &len);
    if (st == IDP_E_CORRUPT) /* empty file */
        return idp_fail(ctx, IDP_E_FORMAT, "%s: empty: no header row", path);
    if (st != IDP_OK)
        return st;
    st = idp_csv_parse(ctx, path, buf, len, out);
    idp_free_wiped(buf, len);
    return st;
}

/* ---- Safe names -------------------------------------------------------- */

/* Latin letters with diacritics: code point range -> ASCII. */
static const struct {
    uint32_t lo, hi;
    const char *ascii;
} fold_table[] = {
    {0xc0, 0xc5, "a"},      {0xc6, 0xc6, "ae"},   {0xc7, 0xc7, "c"},   {0xc8, 0xcb, "e"},
    {0xcc, 0xcf, "i"},      {0xd0, 0xd0, "d"},    {0xd1, 0xd1, "n"},   {0xd2, 0xd6, "o"},
    {0xd8, 0xd8, "o"},      {0xd9, 0xdc, "u"},    {0xdd, 0xdd, "y"},   {0xde, 0xde, "th"},
    {0xdf, 0xdf, "ss"},     {0xe0, 0xe5, "a"},    {0xe6, 0xe6, "ae"},  {0xe7, 0xe7, "c"},
    {0xe8, 0xeb, "e"},      {0xec, 0xef, "i"},    {0xf0, 0xf0, "d"},   {0xf1, 0xf1, "n"},
    {0xf2, 0xf6, "o"},      {0xf8, 0xf8, "o"},    {0xf9, 0xfc, "u"},   {0xfd, 0xfd, "y"},
    {0xfe, 0xfe, "th"},     {0xff, 0xff, "y"},    {0x100, 0x105, "a"}, {0x106, 0x10d, "c"},
    {0x10e, 0x111, "d"},    {0x112, 0x11b, "e"},  {0x11c, 0x123, "g"}, {0x124, 0x127, "h"},
    {0x128, 0x131, "i"},    {0x132, 0x133, "ij"}, {0x134, 0x135, "j"}, {0x136, 0x138, "k"},
    {0x139, 0x142, "l"},    {0x143, 0x14b, "n"},  {0x14c, 0x151, "o"}, {0x152, 0x153, "oe"},
    {0x154, 0x159, "r"},    {0x15a, 0x161, "s"},  {0x162, 0x167, "t"}, {0x168, 0x173, "u"},
    {0x174, 0x175, "w"},    {0x176, 0x178, "y"},  {0x179, 0x17e, "z"}, {0x17f, 0x17f, "s"},
    {0x1e9e, 0x1e9e, "ss"},
};

/* Decodes one UTF-8 character at s[*i]; an invalid byte gives U+FFFD. */
static uint32_t next_cp(const unsigned char *s, size_t *i)
{
    unsigned c = s[*i];
    size_t n = c < 0x80 ? 0 : c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
    uint32_t cp = n == 0 ? c : n == 1 ? (c & 0x1f) : n == 2 ? (c & 0x0f) : (c & 0x07);

    if (c >= 0x80 && n == 0) {
        (*i)++;
        return 0xfffd;
    }
    for (size_t k = 1; k <= n; k++) {
        if ((s[*i + k] & 0xc0) != 0x80) {
            *i += k;
            return 0xfffd;
        }
        cp = (cp << 6) | (s[*i + k] & 0x3fu);
    }
    *i += n + 1;
    return cp;
}

bool idp_batch_safe_name(const char *label, char *out, size_t size)
{
    const unsigned char *s = (const unsigned char *)label;
    size_t i = 0, n = 0, cap = size - 1 < IDP_BATCH_NAME_MAX ? size - 1 : IDP_BATCH_NAME_MAX;
    bool sep = false;

    if (size == 0)
        return false;
    out[0] = '\0';
    while (s[i] != '\0' && n < cap) {
        uint32_t cp = next_cp(s, &i);
        const char *a = NULL;
        char one[2] = {0, 0};

        if (cp >= 'A' && cp <= 'Z')
            cp += 'a' - 'A';
        if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || cp == '.' || cp == '_' ||
            cp == '-') {
            one[0] = (char)cp;
            a = one;
        } else {
            for (size_t k = 0; k < sizeof(fold_table) / sizeof(fold_table[0]); k++)
                if (cp >= fold_table[k].lo && cp <= fold_table[k].hi)
                    a = fold_table[k].ascii;
        }
        if (a == NULL) {
            sep = true; /* a space, punctuation, a letter we cannot fold */
            continue;
        }
        if (sep && n > 0 && out[n - 1] != '-') {
            if (n + 2 > cap)
                break; /* no room for the separator and a letter after it */
            out[n++] = '-';
        }
        sep = false;
        for (; *a != '\0' && n < cap; a++) {
            if (n == 0 && (*a == '.' || *a == '-'))
                continue; /* never a hidden name, never an option-like one */
            if (*a == '-' && n > 0 && out[n - 1] == '-')
                continue;
            out[n++] = *a;
        }
    }
    while (n > 0 && (out[n - 1] == '-' || out[n - 1] == '.'))
        n--;
    out[n] = '\0';
    if (n == 0 || strcmp(out, "report.json") == 0 || strcmp(out, "report.csv") == 0) {
        out[0] = '\0';
        return false;
    }
    return true;
}

/* ---- Paths ------------------------------------------------------------ */

idp_status idp_batch_resolve_path(idp_ctx *ctx, const char *base_dir, const char *path,
                                  bool allow_outside, char **out)
{
    char *joined = NULL, *real = NULL;
    idp_status st = IDP_OK;
    size_t bl = strlen(base_dir), need;

    *out = NULL;
    if (path[0] == '\0')
        return idp_fail(ctx, IDP_E_USAGE, "empty path");
    if (path[0] == '/' && !allow_outside)
        return idp_fail(ctx, IDP_E_USAGE,
                        "%s: an absolute path; image paths must be relative to the CSV's "
                        "folder (or use --allow-outside)",
                        path);
    if (path[0] != '/' && !allow_outside) {
        /* Said before looking at the disk: "../x" leaves the folder even
         * when x does not exist. */
        long depth = 0;
        for (const char *c = path; *c != '\0';) {
            size_t n = strcspn(c, "/");
            if (n == 2 && c[0] == '.' && c[1] == '.')
                depth--;
            else if (n > 0 && !(n == 1 && c[0] == '.'))
                depth++;
            if (depth < 0)
                return idp_fail(ctx, IDP_E_USAGE,
                                "%s: leaves the CSV's folder; use --allow-outside to accept it",
                                path);
            c += n;
            c += *c == '/';
        }
    }
    if (path[0] == '/') {
        joined = strdup(path);
    } else {
        need = bl + strlen(path) + 2;
        joined = malloc(need);
        if (joined != NULL)
            snprintf(joined, need, "%s/%s", base_dir, path);
    }
    if (joined == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
    real = realpath(joined, NULL);
    if (real == NULL) {
        if (errno == ENOENT || errno == ENOTDIR)
            st = idp_fail(ctx, IDP_E_NOTFOUND, "%s: no such file", path);
        else if (errno == ENOMEM)
            st = idp_fail(ctx, IDP_E_NOMEM, "out of memory");
        else
            st = idp_fail(ctx, IDP_E_NOTFOUND, "%s: cannot be opened: %s", path, strerror(errno));
        goto out;
    }
    if (!allow_outside) {
        /* base_dir is "/" or a real path without a trailing slash. */
        bool root = bl == 1 && base_dir[0] == '/';
        if (!root && (strncmp(real, base_dir, bl) != 0 || real[bl] != '/')) {
            st = idp_fail(ctx, IDP_E_USAGE,
                          "%s: leaves the CSV's folder (through \"..\" or a link); "
                          "use --allow-outside to accept it",
                          path);
            goto out;
        }
    }
    *out = real;
    real = NULL;
out:
    free(real);
    free(joined);
    return st;
}

/* ---- The run ---------------------------------------------------------- */

enum { COL_CUSTOMER = -1, COL_FRONT = -2, COL_BACK = -3, COL_LANG = -4, COL_UNUSED = -5 };

typedef struct row_job {
    const idp_csv_row *src;
    char *front, *back; /* resolved; back may be NULL */
    const char *front_cell, *back_cell;
    const char *lang;
    char *out_path; /* out_dir/<package> */
    bool ready;     /* prepared without a problem: build it */
} row_job;

typedef struct batch_run {
    const idp_batch_opts *opts;
    const idp_csv_table *table;
    const char *csv_name;
    const int *col_kind; /* per column: COL_* or index into field_keys */
    const char *const *field_keys;
    const char *abs_out;
    const char *template_id;
    row_job *jobs;
    idp_batch_report *report;
    pthread_mutex_t lock;
    size_t next;
    idp_batch_progress progress;
} batch_run;

static idp_status add_text(char ***list, size_t *n, const char *fmt, ...) IDP_PRINTF(3, 4);
static idp_status add_text(char ***list, size_t *n, const char *fmt, ...)
{
    char buf[REASON_MAX], *copy, **l;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    copy = strdup(buf);
    l = realloc(*list, (*n + 1) * sizeof(*l));
    if (copy == NULL || l == NULL) {
        free(copy);
        if (l != NULL)
            *list = l;
        return IDP_E_NOMEM;
    }
    l[(*n)++] = copy;
    *list = l;
    return IDP_OK;
}

/* What is wrong with a customer label, into out ("" when nothing): too
 * long, not plain text (control characters, line breaks, direction marks,
 * bytes that are not UTF-8). */
static void label_problem(const char *label, char *out, size_t size)
{
    const size_t len = strlen(label);
    const char *nl = memchr(label, '\n', len);
    const char *problem;
    size_t at = 0;

    out[0] = '\0';
    if (len > CUSTOMER_MAX) {
        snprintf(out, size, "customer: too long (%zu bytes, at most %d)", len, CUSTOMER_MAX);
        return;
    }
    problem = idp_text_problem(label, len, &at);
    if (problem == NULL && nl != NULL) {
        problem = "contains a line break";
        at = (size_t)(nl - label);
    }
    if (problem != NULL)
        snprintf(out, size, "customer: %s (at byte %zu)", problem, at + 1);
}

/* One reason per line of text: a form's validation lists every bad field
 * on its own line, and each becomes a reason of the row. */
static void row_fail(idp_batch_row *r, idp_status why, const char *text)
{
    r->status = IDP_ROW_FAILED;
    r->error = why;
    for (;;) {
        const char *nl = strchr(text, '\n');
        int n = nl != NULL ? (int)(nl - text) : (int)strlen(text);
        (void)add_text(&r->reasons, &r->n_reasons, "%.*s", n, text);
        if (nl == NULL)
            break;
        text = nl + 1;
    }
}

static bool lang_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 8)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 'a' || s[i] > 'z')
            return false;
    return true;
}

typedef struct name_ref {
    const char *name;
    size_t index;
} name_ref;

static int by_name_then_index(const void *a, const void *b)
{
    const name_ref *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c != 0 ? c : (x->index > y->index) - (x->index < y->index);
}

/* Names, paths, duplicates: everything decided before any build, in CSV
 * order, so that the outcome does not depend on -j. */
static idp_status prepare_rows(idp_ctx *ctx, batch_run *b, const char *csv_dir)
{
    const idp_batch_opts *o = b->opts;
    const idp_csv_table *t = b->table;
    name_ref *names = NULL;
    size_t n_names = 0;
    char reason[REASON_MAX];

    names = calloc(t->n_rows ? t->n_rows : 1, sizeof(*names));
    if (names == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
    for (size_t i = 0; i < t->n_rows; i++) {
        idp_batch_row *r = &b->report->rows[i];
        row_job *j = &b->jobs[i];
        const idp_csv_row *src = &t->rows[i];
        const char *customer = "";
        char safe[IDP_BATCH_NAME_MAX + 1], label_bad[128];

        r->row = i + 1;
        j->src = src;
        for (size_t c = 0; c < src->n_cells && c < t->n_cols; c++) {
            if (b->col_kind[c] == COL_CUSTOMER)
                customer = src->cells[c];
            else if (b->col_kind[c] == COL_FRONT)
                j->front_cell = src->cells[c];
            else if (b->col_kind[c] == COL_BACK && src->cells[c][0] != '\0')
                j->back_cell = src->cells[c];
            else if (b->col_kind[c] == COL_LANG && src->cells[c][0] != '\0')
                j->lang = src->cells[c];
        }
        /* the label goes into the reports and the ledger as it is: plain
         * text of a sane length; a bad one is left out, never quoted */
        label_problem(customer, label_bad, sizeof(label_bad));
        r->customer = strdup(label_bad[0] != '\0' ? "" : customer);
        r->package = strdup("");
        if (r->customer == NULL || r->package == NULL) {
            free(names);
            return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
        }
        if (src->n_cells != t->n_cols) {
            snprintf(reason, sizeof(reason),
                     "the row has %zu cells but the header has %zu columns (a missing or extra "
                     "separator, or an unquoted comma?)",
                     src->n_cells, t->n_cols);
            row_fail(r, IDP_E_FORMAT, reason);
            continue;
        }
        if (customer[0] == '\0') {
            row_fail(r, IDP_E_FIELD, "customer: empty (it names the package folder)");
            continue;
        }
        if (label_bad[0] != '\0') {
            row_fail(r, IDP_E_FIELD, label_bad);
            continue;
        }
        if (!idp_batch_safe_name(customer, safe, sizeof(safe))) {
            snprintf(reason, sizeof(reason),
                     "customer: gives no usable folder name (use letters a-z or digits; "
                     "report.json and report.csv are reserved)");
            row_fail(r, IDP_E_FIELD, reason);
            continue;
        }
        free(r->package);
        r->package = strdup(safe);
        if (r->package == NULL) {
            free(names);
            return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
        }
        names[n_names++] = (name_ref){r->package, i};
        j->ready = true;
    }

    /* Two rows with the same folder: the first keeps it. */
    qsort(names, n_names, sizeof(*names), by_name_then_index);
    for (size_t k = 0, first = 0; k < n_names; k++) {
        if (k == 0 || strcmp(names[k - 1].name, names[k].name) != 0) {
            first = k; /* the first row with this name: it keeps it */
            continue;
        }
        idp_batch_row *r = &b->report->rows[names[k].index];
        snprintf(reason, sizeof(reason),
                 "customer: gives the folder name \"%s\", already used by row %zu", names[k].name,
                 names[first].index + 1);
        b->jobs[names[k].index].ready = false;
        row_fail(r, IDP_E_FIELD, reason); /* r->package stays: names[] points to it */
    }
    free(names);

    for (size_t i = 0; i < t->n_rows; i++) {
        idp_batch_row *r = &b->report->rows[i];
        row_job *j = &b->jobs[i];
        size_t need;
        if (!j->ready)
            continue;
        j->ready = false;
        if (j->lang != NULL && !lang_ok(j->lang)) {
            snprintf(reason, sizeof(reason), "lang: not a language code (en, it, de, fr, es)");
            row_fail(r, IDP_E_FIELD, reason);
            continue;
        }
        if (j->front_cell == NULL || j->front_cell[0] == '\0') {
            row_fail(r, IDP_E_FIELD, "front: empty (the photo of the front of the ID)");
            continue;
        }
        const char *cells[2] = {j->front_cell, j->back_cell};
        char **dest[2] = {&j->front, &j->back};
        bool bad = false;
        for (size_t k = 0; k < 2 && !bad; k++) {
            if (cells[k] == NULL)
                continue;
            idp_status st =
                idp_batch_resolve_path(ctx, csv_dir, cells[k], o->allow_outside, dest[k]);
            if (st == IDP_E_NOMEM)
                return st;
            if (st != IDP_OK) {
                snprintf(reason, sizeof(reason), "%s photo: %s", k == 0 ? "front" : "back",
                         idp_ctx_error(ctx));
                row_fail(r, st, reason);
                bad = true;
            }
        }
        if (bad)
            continue;
        need = strlen(o->out_dir) + strlen(r->package) + 2;
        j->out_path = malloc(need);
        if (j->out_path == NULL)
            return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
        snprintf(j->out_path, need, "%s/%s", o->out_dir, r->package);
        j->ready = true;
    }
    return IDP_OK;
}

static void describe_checks(batch_run *b, idp_batch_row *r, const row_job *j,
                            const idp_build_result *res, idp_check_status which)
{
    const char *lang = b->opts->default_lang;

    for (size_t p = 0; p < res->n_photos && p < 2; p++) {
        const idp_check_report *rep = &res->reports[p];
        for (size_t c = 0; c < rep->n_checks; c++) {
            char msg[REASON_MAX / 2];
            if (rep->checks[c].status != which)
                continue;
            idp_check_describe(&rep->checks[c], lang, msg, sizeof(msg));
            (void)add_text(which == IDP_CHECK_FAIL ? &r->reasons : &r->warnings,
                           which == IDP_CHECK_FAIL ? &r->n_reasons : &r->n_warnings,
                           "%s photo \"%s\" %s the %s check: %s", p == 0 ? "front" : "back",
                           p == 0 ? j->front_cell : j->back_cell,
                           which == IDP_CHECK_FAIL ? "fails" : "warns on",
                           idp_check_name(rep->checks[c].id), msg);
        }
    }
}

static void ledger_failed(idp_batch_row *r, idp_ctx *ctx, idp_status st)
{
    char reason[REASON_MAX];
    snprintf(reason, sizeof(reason), "the package is in place but not recorded in the ledger: %s",
             idp_ctx_error(ctx));
    row_fail(r, st, reason);
}

/* "YYYY-MM-DDTHH:MM:SSZ" (as the manifest writes it) to Unix time. */
static bool parse_created(const char *s, int64_t *out)
{
    struct tm tm;
    int n = 0;

    memset(&tm, 0, sizeof(tm));
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec, &n) != 6 ||
        n != 20 || s[n] != '\0')
        return false;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    *out = (int64_t)timegm(&tm);
    return true;
}

/* Records a package in the ledger: built now (res), or found on --resume
 * (res NULL: recorded only if the ledger does not know it yet, which is
 * the case when a run was killed between writing it and recording it).
 * Called with the batch's lock held. */
static idp_status record(batch_run *b, idp_ctx *ctx, const idp_batch_row *r, const idp_form *form,
                         const char *lang, const idp_build_result *res)
{
    idp_ledger_package lp;
    idp_ledger_history *h = NULL;
    idp_status st;
    char *folder = NULL, pdf_hex[IDP_SHA256_HEX];
    json_t *manifest = NULL;
    size_t need = strlen(b->abs_out) + strlen(r->package) + sizeof("//manifest.json");

    memset(&lp, 0, sizeof(lp));
    lp.created = b->opts->date;
    if (res == NULL) {
        st = idp_ledger_show(ctx, b->opts->ledger, r->reference, 0, 0, &h);
        idp_ledger_history_free(h);
        if (st != IDP_E_NOTFOUND)
            return st; /* known (IDP_OK), or the ledger failed */
        idp_ctx_clear(ctx);
    }
    folder = malloc(need);
    if (folder == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
    if (res != NULL) {
        memcpy(pdf_hex, res->pdf_sha256, sizeof(pdf_hex));
    } else {
        uint8_t digest[IDP_SHA256_LEN];
        uint64_t size = 0;
        json_error_t jerr;
        const char *created;
        snprintf(folder, need, "%s/%s/request.pdf", b->abs_out, r->package);
        st = idp_sha256_file(ctx, folder, digest, &size);
        if (st != IDP_OK)
            goto out;
        idp_hex(digest, sizeof(digest), pdf_hex);
        snprintf(folder, need, "%s/%s/manifest.json", b->abs_out, r->package);
        manifest = json_load_file(folder, 0, &jerr);
        created = json_string_value(json_object_get(manifest, "created"));
        if (created != NULL && !parse_created(created, &lp.created))
            lp.created = b->opts->date;
    }
    snprintf(folder, need, "%s/%s", b->abs_out, r->package);
    lp.reference = r->reference;
    lp.customer = r->customer;
    lp.account_email = idp_form_get(form, "account_email");
    lp.lang = lang;
    lp.folder = folder;
    lp.pdf_sha256 = pdf_hex;
    st = idp_ledger_record(ctx, b->opts->ledger, &lp);
out:
    json_decref(manifest);
    free(folder);
    return st;
}

static void build_row(batch_run *b, size_t i, idp_ctx *ctx)
{
    const idp_batch_opts *o = b->opts;
    const idp_csv_table *t = b->table;
    idp_batch_row *r = &b->report->rows[i];
    row_job *j = &b->jobs[i];
    idp_form *form = NULL;
    idp_build_opts bo;
    idp_build_result *res = NULL;
    idp_status st;
    char origin[PATH_MAX + 32];
    bool force = false;
    struct stat sb;

    snprintf(origin, sizeof(origin), "%s row %zu", b->csv_name, r->row);
    idp_ctx_set_lang(ctx, o->default_lang != NULL ? o->default_lang : "en");
    res = calloc(1, sizeof(*res));
    if (res == NULL || idp_form_create(ctx, &form) != IDP_OK) {
        row_fail(r, IDP_E_NOMEM, "out of memory");
        goto out;
    }
    for (size_t c = 0; c < t->n_cols; c++) {
        if (b->col_kind[c] < 0 || j->src->cells[c][0] == '\0')
            continue; /* an empty cell leaves the field unset */
        st = idp_form_set(ctx, form, b->field_keys[b->col_kind[c]], j->src->cells[c], origin, 0);
        if (st != IDP_OK) {
            row_fail(r, st, idp_ctx_error(ctx));
            goto out;
        }
    }
    if (o->resume && lstat(j->out_path, &sb) == 0) {
        idp_verify_report vr;
        memset(&vr, 0, sizeof(vr));
        st = idp_package_verify(ctx, j->out_path, NULL, &vr);
        if (st == IDP_OK && vr.n_problems == 0 && vr.reference != NULL) {
            r->status = IDP_ROW_SKIPPED;
            snprintf(r->reference, sizeof(r->reference), "%s", vr.reference);
            idp_verify_report_free(&vr);
            if (o->ledger != NULL) {
                pthread_mutex_lock(&b->lock);
                st = record(b, ctx, r, form, j->lang != NULL ? j->lang : o->default_lang, NULL);
                pthread_mutex_unlock(&b->lock);
                if (st != IDP_OK)
                    ledger_failed(r, ctx, st);
            }
            goto out;
        }
        idp_verify_report_free(&vr);
        idp_ctx_clear(ctx);
        force = true; /* stale, partial or changed: rebuild it */
    }
    memset(&bo, 0, sizeof(bo));
    bo.front_path = j->front;
    bo.back_path = j->back;
    bo.form = form;
    bo.templates_dir = o->templates_dir;
    bo.template_id = b->template_id;
    bo.lang = j->lang != NULL ? j->lang : o->default_lang;
    bo.date = o->date;
    bo.today = o->today;
    bo.font_path = o->font_path;
    bo.out_dir = j->out_path;
    bo.force = force;
    bo.serial = true; /* the workers are the parallelism: one core each */
    bo.policy = o->policy;
    bo.tool_version = o->tool_version != NULL ? o->tool_version : "";
    st = idp_build_package(ctx, &bo, res);
    if (st == IDP_E_REJECTED) {
        r->status = IDP_ROW_FAILED;
        r->error = st;
        describe_checks(b, r, j, res, IDP_CHECK_FAIL);
        if (r->n_reasons == 0)
            (void)add_text(&r->reasons, &r->n_reasons, "%s", idp_ctx_error(ctx));
        goto out;
    }
    if (st == IDP_E_EXISTS && !o->resume) {
        char reason[REASON_MAX];
        snprintf(reason, sizeof(reason),
                 "the folder %s already exists: run with --resume to keep packages that verify "
                 "and rebuild the rest",
                 j->out_path);
        row_fail(r, st, reason);
        goto out;
    }
    if (st != IDP_OK) {
        row_fail(r, st, idp_ctx_error(ctx));
        goto out;
    }
    r->status = IDP_ROW_OK;
    memcpy(r->reference, res->reference, sizeof(r->reference));
    describe_checks(b, r, j, res, IDP_CHECK_WARN);
    if (o->ledger != NULL) {
        pthread_mutex_lock(&b->lock);
        st = record(b, ctx, r, form, bo.lang, res);
        pthread_mutex_unlock(&b->lock);
        if (st != IDP_OK)
            ledger_failed(r, ctx, st);
    }
out:
    free(res);
    idp_form_destroy(form);
}

static void *worker(void *arg)
{
    batch_run *b = arg;

    for (;;) {
        size_t i;
        idp_ctx *ctx = NULL;
        idp_batch_row *r;

        pthread_mutex_lock(&b->lock);
        i = b->next;
        while (i < b->table->n_rows && !b->jobs[i].ready)
            i++;
        b->next = i + 1;
        pthread_mutex_unlock(&b->lock);
        if (i >= b->table->n_rows)
            break;
        r = &b->report->rows[i];
        if (idp_ctx_create(&ctx) != IDP_OK)
            row_fail(r, IDP_E_NOMEM, "out of memory");
        else
            build_row(b, i, ctx);
        idp_ctx_destroy(ctx);

        pthread_mutex_lock(&b->lock);
        b->progress.done++;
        if (r->status == IDP_ROW_OK)
            b->progress.ok++;
        else if (r->status == IDP_ROW_SKIPPED)
            b->progress.skipped++;
        else
            b->progress.failed++;
        if (b->opts->progress != NULL)
            b->opts->progress(b->opts->progress_user, &b->progress);
        pthread_mutex_unlock(&b->lock);
    }
    return NULL;
}

/* Whether a header cell looks like a column name (lower-case letters,
 * digits, _; at most 32), and so may be quoted in a message. */
static bool key_like(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

/* Maps each header name to what it is; unknown and missing columns are
 * whole-batch errors. */
static idp_status bind_columns(idp_ctx *ctx, const char *csv, const idp_csv_table *t,
                               const idp_template *tmpl, int *kind, const char **keys)
{
    bool have_customer = false, have_front = false;
    char known[1024];
    size_t used;
    size_t nf = idp_template_field_count(tmpl);

    used = (size_t)snprintf(known, sizeof(known), "customer, front, back, lang");
    for (size_t f = 0; f < nf && used < sizeof(known); f++)
        used += (size_t)snprintf(known + used, sizeof(known) - used, ", %s",
                                 idp_template_field(tmpl, f)->key);
    for (size_t c = 0; c < t->n_cols; c++) {
        const char *h = t->header[c];
        kind[c] = COL_UNUSED;
        if (strcasecmp(h, "customer") == 0) {
            kind[c] = COL_CUSTOMER;
            have_customer = true;
        } else if (strcasecmp(h, "front") == 0) {
            kind[c] = COL_FRONT;
            have_front = true;
        } else if (strcasecmp(h, "back") == 0) {
            kind[c] = COL_BACK;
        } else if (strcasecmp(h, "lang") == 0) {
            kind[c] = COL_LANG;
        } else {
            for (size_t f = 0; f < nf; f++)
                if (strcasecmp(h, idp_template_field(tmpl, f)->key) == 0) {
                    keys[c] = idp_template_field(tmpl, f)->key;
                    kind[c] = (int)c;
                }
        }
        /* A header cell is quoted back only if it looks like a column
         * name: in a CSV without its header row it is a customer's data. */
        if (kind[c] == COL_UNUSED && key_like(h))
            return idp_fail(ctx, IDP_E_FORMAT, "%s: unknown column \"%s\" (the columns are: %s)",
                            csv, h, known);
        if (kind[c] == COL_UNUSED)
            return idp_fail(ctx, IDP_E_FORMAT,
                            "%s: column %zu of the header is not a known column name (the "
                            "columns are: %s; is the header row missing?)",
                            csv, c + 1, known);
    }
    if (!have_customer || !have_front)
        return idp_fail(ctx, IDP_E_FORMAT, "%s: no \"%s\" column (the columns are: %s)", csv,
                        !have_customer ? "customer" : "front", known);
    for (size_t f = 0; f < nf; f++) {
        const idp_field *fd = idp_template_field(tmpl, f);
        bool found = false;
        if (!fd->required)
            continue;
        for (size_t c = 0; c < t->n_cols && !found; c++)
            found = strcasecmp(t->header[c], fd->key) == 0;
        if (!found)
            return idp_fail(ctx, IDP_E_FORMAT,
                            "%s: no \"%s\" column (%s is required; the columns are: %s)", csv,
                            fd->key, fd->label, known);
    }
    return IDP_OK;
}

/* The folder the CSV is in, as realpath() gives it. */
static idp_status csv_folder(idp_ctx *ctx, const char *csv, char **out)
{
    char *real = realpath(csv, NULL), *slash;

    *out = NULL;
    if (real == NULL)
        return idp_fail(ctx, IDP_E_NOTFOUND, "%s: cannot be resolved: %s", csv, strerror(errno));
    slash = strrchr(real, '/');
    if (slash == real)
        slash[1] = '\0';
    else if (slash != NULL)
        *slash = '\0';
    *out = real;
    return IDP_OK;
}

idp_status idp_batch_run(idp_ctx *ctx, const idp_batch_opts *opts, idp_batch_report *report)
{
    idp_status st = IDP_OK;
    idp_csv_table *table = NULL;
    idp_template *tmpl = NULL;
    char *csv_dir = NULL, *abs_out = NULL;
    int *kind = NULL, dfd = -1;
    const char **keys = NULL;
    batch_run b;
    pthread_t *threads = NULL;
    size_t started = 0;
    bool lock_ready = false;

    memset(report, 0, sizeof(*report));
    memset(&b, 0, sizeof(b));
    if (opts->csv_path == NULL || opts->out_dir == NULL || opts->templates_dir == NULL ||
        opts->default_lang == NULL || opts->jobs == 0)
        return idp_fail(ctx, IDP_E_USAGE,
                        "batch: csv_path, out_dir, templates_dir, "
                        "default_lang and jobs >= 1 are required");
    b.opts = opts;
    b.template_id = opts->template_id != NULL ? opts->template_id : "2fa-reset";
    b.csv_name = idp_basename(opts->csv_path);

    st = idp_csv_read(ctx, opts->csv_path, &table);
    if (st != IDP_OK)
        goto out;
    st = csv_folder(ctx, opts->csv_path, &csv_dir);
    if (st != IDP_OK)
        goto out;
    st = idp_template_load(ctx, opts->templates_dir, b.template_id, opts->default_lang, &tmpl);
    if (st != IDP_OK)
        goto out;
    kind = calloc(table->n_cols, sizeof(*kind));
    keys = calloc(table->n_cols, sizeof(*keys));
    if (kind == NULL || keys == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, "out of memory");
        goto out;
    }
    st = bind_columns(ctx, opts->csv_path, table, tmpl, kind, keys);
    if (st != IDP_OK)
        goto out;

    /* The output folder: created if missing, locked for this batch. */
    if (mkdir(opts->out_dir, 0700) != 0 && errno != EEXIST) {
        st = idp_fail(ctx, IDP_E_CREATE, "%s: cannot create: %s", opts->out_dir, strerror(errno));
        goto out;
    }
    dfd = open(opts->out_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        st = idp_fail(ctx, IDP_E_CREATE, "%s: cannot open: %s", opts->out_dir,
                      errno == ENOTDIR ? "not a folder" : strerror(errno));
        goto out;
    }
    if (access(opts->out_dir, W_OK | X_OK) != 0) {
        st = idp_fail(ctx, IDP_E_CREATE, "%s: cannot write into it: %s", opts->out_dir,
                      strerror(errno));
        goto out;
    }
    if (flock(dfd, LOCK_EX | LOCK_NB) != 0) {
        st = idp_fail(ctx, IDP_E_CREATE, "%s: %s", opts->out_dir,
                      errno == EWOULDBLOCK ? "another idpack batch is writing into it"
                                           : strerror(errno));
        goto out;
    }
    abs_out = realpath(opts->out_dir, NULL);
    if (abs_out == NULL) {
        st = idp_fail(ctx, IDP_E_CREATE, "%s: cannot resolve: %s", opts->out_dir, strerror(errno));
        goto out;
    }

    report->n_rows = table->n_rows;
    report->rows = calloc(table->n_rows ? table->n_rows : 1, sizeof(*report->rows));
    b.jobs = calloc(table->n_rows ? table->n_rows : 1, sizeof(*b.jobs));
    if (report->rows == NULL || b.jobs == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, "out of memory");
        goto out;
    }
    b.table = table;
    b.col_kind = kind;
    b.field_keys = keys;
    b.abs_out = abs_out;
    b.report = report;
    st = prepare_rows(ctx, &b, csv_dir);
    if (st != IDP_OK)
        goto out;
    idp_ctx_clear(ctx);
    /* What a killed run left (its guardian, if any, removes it at once;
     * a power cut leaves it for now). */
    report->stale_removed = idp_remove_temporaries(abs_out, NULL, 0);

    /* The workers. */
    if (pthread_mutex_init(&b.lock, NULL) != 0) {
        st = idp_fail(ctx, IDP_E_NOMEM, "cannot create a lock");
        goto out;
    }
    lock_ready = true;
    b.progress.total = table->n_rows;
    for (size_t i = 0; i < table->n_rows; i++)
        if (!b.jobs[i].ready) {
            b.progress.done++;
            b.progress.failed++;
        }
    if (opts->progress != NULL)
        opts->progress(opts->progress_user, &b.progress);
    {
        size_t todo = table->n_rows - b.progress.done;
        size_t nthreads = opts->jobs < todo ? opts->jobs : todo;
        if (nthreads > 1) {
            threads = calloc(nthreads - 1, sizeof(*threads));
            for (size_t k = 0; threads != NULL && k + 1 < nthreads; k++) {
                if (pthread_create(&threads[k], NULL, worker, &b) != 0)
                    break; /* fewer workers: the rows still all get done */
                started++;
            }
        }
        worker(&b);
        for (size_t k = 0; k < started; k++)
            pthread_join(threads[k], NULL);
    }
    for (size_t i = 0; i < report->n_rows; i++) {
        if (report->rows[i].status == IDP_ROW_OK)
            report->ok++;
        else if (report->rows[i].status == IDP_ROW_SKIPPED)
            report->skipped++;
        else
            report->failed++;
    }
out:
    if (lock_ready)
        pthread_mutex_destroy(&b.lock);
    if (b.jobs != NULL)
        for (size_t i = 0; i < table->n_rows; i++) {
            free(b.jobs[i].front);
            free(b.jobs[i].back);
            free(b.jobs[i].out_path);
        }
    free(b.jobs);
    free(threads);
    if (dfd >= 0)
        close(dfd); /* releases the lock */
    free(abs_out);
    free(kind);
    free(keys);
    free(csv_dir);
    idp_template_destroy(tmpl);
    idp_csv_table_free(table);
    return st;
}

static void free_list(char **l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(l[i]);
    free(l);
}

void idp_batch_report_free(idp_batch_report *report)
{
    if (report == NULL)
        return;
    for (size_t i = 0; i < report->n_rows; i++) {
        free(report->rows[i].customer);
        free(report->rows[i].package);
        free_list(report->rows[i].reasons, report->rows[i].n_reasons);
        free_list(report->rows[i].warnings, report->rows[i].n_warnings);
    }
    free(report->rows);
    memset(report, 0, sizeof(*report));
}

const char *idp_row_status_name(idp_row_status status)
{
    switch (status) {
    case IDP_ROW_OK:
        return "ok";
    case IDP_ROW_FAILED:
        return "failed";
    case IDP_ROW_SKIPPED:
        return "skipped";
    }
    return "failed";
}

/* ---- Reports ---------------------------------------------------------- */

static json_t *string_array(char **l, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < n; i++)
        json_array_append_new(a, json_string(l[i]));
    return a;
}

idp_status idp_batch_report_json(idp_ctx *ctx, const idp_batch_report *report, char **text,
                                 size_t *len)
{
    json_t *root = json_object(), *rows = json_array(), *sum = json_object();
    idp_status st = IDP_OK;
    int bad = root == NULL || rows == NULL || sum == NULL;

    *text = NULL;
    *len = 0;
    for (size_t i = 0; !bad && i < report->n_rows; i++) {
        const idp_batch_row *r = &report->rows[i];
        json_t *o = json_object();
        bad |= o == NULL;
        bad |= json_object_set_new(o, "row", json_integer((json_int_t)r->row));
        bad |= json_object_set_new(o, "customer", json_string(r->customer));
        bad |= json_object_set_new(o, "status", json_string(idp_row_status_name(r->status)));
        bad |= json_object_set_new(o, "package",
                                   json_string(r->status == IDP_ROW_FAILED ? "" : r->package));
        bad |= json_object_set_new(o, "reference", json_string(r->reference));
        bad |= json_object_set_new(o, "reasons", string_array(r->reasons, r->n_reasons));
        if (r->n_warnings > 0)
            bad |= json_object_set_new(o, "warnings", string_array(r->warnings, r->n_warnings));
        bad |= json_array_append_new(rows, o);
    }
    bad |= json_object_set_new(sum, "total", json_integer((json_int_t)report->n_rows));
    bad |= json_object_set_new(sum, "ok", json_integer((json_int_t)report->ok));
    bad |= json_object_set_new(sum, "failed", json_integer((json_int_t)report->failed));
    bad |= json_object_set_new(sum, "skipped", json_integer((json_int_t)report->skipped));
    bad |= json_object_set_new(root, "rows", rows);
    rows = NULL;
    bad |= json_object_set_new(root, "summary", sum);
    sum = NULL;
    if (!bad)
        *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (*text == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, "report.json: out of memory (or text that is not UTF-8)");
    } else {
        /* json_dumps gives no final newline; room for it was not asked,
         * so grow by one byte. */
        size_t n = strlen(*text);
        char *t = realloc(*text, n + 2);
        if (t == NULL) {
            free(*text);
            *text = NULL;
            st = idp_fail(ctx, IDP_E_NOMEM, "report.json: out of memory");
        } else {
            t[n] = '\n';
            t[n + 1] = '\0';
            *text = t;
            *len = n + 1;
        }
    }
    json_decref(rows);
    json_decref(sum);
    json_decref(root);
    return st;
}

typedef struct textbuf {
    char *p;
    size_t len, cap;
    bool nomem;
} textbuf;

static void tb_append(textbuf *tb, const char *s, size_t n)
{
    if (tb->nomem)
        return;
    if (tb->len + n + 1 > tb->cap) {
        size_t cap = tb->cap ? tb->cap : 1024;
        char *p;
        while (cap < tb->len + n + 1)
            cap *= 2;
        p = realloc(tb->p, cap);
        if (p == NULL) {
            tb->nomem = true;
            return;
        }
        tb->p = p;
        tb->cap = cap;
    }
    memcpy(tb->p + tb->len, s, n);
    tb->len += n;
    tb->p[tb->len] = '\0';
}

/* One field, quoted by libcsv (quotes doubled), then sep. */
static void tb_field(textbuf *tb, const char *s, const char *sep)
{
    size_t n = strlen(s), need = csv_write(NULL, 0, s, n);
    char *q = malloc(need ? need : 1);

    if (q == NULL) {
        tb->nomem = true;
        return;
    }
    csv_write(q, need, s, n);
    tb_append(tb, q, need);
    tb_append(tb, sep, strlen(sep));
    free(q);
}

idp_status idp_batch_report_csv(idp_ctx *ctx, const idp_batch_report *report, char **text,
                                size_t *len)
{
    textbuf tb = {NULL, 0, 0, false};

    *text = NULL;
    *len = 0;
    tb_append(&tb, "row,customer,status,package,reference,reasons\r\n", 47);
    for (size_t i = 0; i < report->n_rows; i++) {
        const idp_batch_row *r = &report->rows[i];
        textbuf reasons = {NULL, 0, 0, false};
        char num[32];
        snprintf(num, sizeof(num), "%zu", r->row);
        tb_field(&tb, num, ",");
        tb_field(&tb, r->customer, ",");
        tb_field(&tb, idp_row_status_name(r->status), ",");
        tb_field(&tb, r->status == IDP_ROW_FAILED ? "" : r->package, ",");
        tb_field(&tb, r->reference, ",");
        tb_append(&reasons, "", 0);
        for (size_t k = 0; k < r->n_reasons; k++) {
            if (k > 0)
                tb_append(&reasons, "; ", 2);
            tb_append(&reasons, r->reasons[k], strlen(r->reasons[k]));
        }
        tb.nomem |= reasons.nomem;
        tb_field(&tb, reasons.p != NULL ? reasons.p : "", "\r\n");
        free(reasons.p);
    }
    if (tb.nomem) {
        free(tb.p);
        return idp_fail(ctx, IDP_E_NOMEM, "report.csv: out of memory");
    }
    *text = tb.p;
    *len = tb.len;
    return IDP_OK;
}

idp_status idp_batch_write_reports(idp_ctx *ctx, const char *dir, const idp_batch_report *report)
{
    static const char *const names[] = {"report.json", "report.csv"};
    idp_status st = IDP_OK;

    for (size_t k = 0; k < 2 && st == IDP_OK; k++) {
        char *text = NULL, *path;
        size_t len = 0, need = strlen(dir) + strlen(names[k]) + 2;
        st = k == 0 ? idp_batch_report_json(ctx, report, &text, &len)
                    : idp_batch_report_csv(ctx, report, &text, &len);
        if (st != IDP_OK)
            break;
        path = malloc(need);
        if (path == NULL) {
            free(text);
            return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
        }
        snprintf(path, need, "%s/%s", dir, names[k]);
        st = idp_write_atomic(ctx, path, text, len, true);
        free(path);
        free(text);
    }
    return st;
}
