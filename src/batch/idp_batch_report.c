/* The batch's reports, written as the rows finish: report.json (one row
 * object per line, then the summary) and report.csv (spreadsheet-safe),
 * each into a temporary next to its final name, renamed at the end. */
#define _GNU_SOURCE /* mkostemp() */

#include "idp_batch.h"
#include "idp_utf8.h"
#include "idp_batch_int.h"

#include "idp_io.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct idp_report_writer {
    char *name[2]; /* report.json, report.csv (or a shard's names) */
    char *path[2]; /* final names */
    char *tmp[2];
    FILE *f[2];
    size_t rows;
    bool failed; /* a write failed: said at once, and at commit */
    int err;
    int which; /* the report that failed */
};

/* The write that failed, naming the report (the previous one stays whole). */
static idp_status write_failed(idp_ctx *ctx, const idp_report_writer *w)
{
    int e = w->err;
    return idp_fail(
        ctx, e == ENOSPC || e == EDQUOT || e == EIO ? IDP_E_IO : IDP_E_CREATE,
        batch_tr(idp_ctx_lang(ctx),
                 "%s: write error: %s (the reports of an earlier run, if any, are left as "
                 "they were)"),
        w->name[w->which], strerror(e));
}

void idp_report_abort(idp_report_writer *w)
{
    if (w == NULL)
        return;
    for (int k = 0; k < 2; k++) {
        if (w->f[k] != NULL)
            fclose(w->f[k]);
        if (w->tmp[k] != NULL)
            (void)unlink(w->tmp[k]);
        free(w->tmp[k]);
        free(w->path[k]);
        free(w->name[k]);
    }
    free(w);
}

static void put(idp_report_writer *w, int k, const char *s, size_t n)
{
    if (!w->failed && fwrite(s, 1, n, w->f[k]) != n) {
        w->failed = true;
        w->err = errno;
        w->which = k;
    }
}

static void puts_k(idp_report_writer *w, int k, const char *s)
{
    put(w, k, s, strlen(s));
}

idp_status idp_report_open(idp_ctx *ctx, const char *dir, idp_report_writer **out)
{
    return idp_report_open_as(ctx, dir, "report", NULL, out);
}

idp_status idp_report_open_as(idp_ctx *ctx, const char *dir, const char *stem, const char *head,
                              idp_report_writer **out)
{
    idp_report_writer *w = calloc(1, sizeof(*w));
    idp_status st = IDP_OK;

    *out = NULL;
    if (w == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, batch_tr(idp_ctx_lang(ctx), "out of memory"));
    for (int k = 0; k < 2; k++) {
        size_t need = strlen(dir) + strlen(stem) + 64;
        int fd;
        w->name[k] = malloc(need);
        w->path[k] = malloc(need);
        w->tmp[k] = malloc(need);
        if (w->name[k] == NULL || w->path[k] == NULL || w->tmp[k] == NULL) {
            st = idp_fail(ctx, IDP_E_NOMEM, batch_tr(idp_ctx_lang(ctx), "out of memory"));
            goto fail;
        }
        snprintf(w->name[k], need, "%s.%s", stem, k == 0 ? "json" : "csv");
        snprintf(w->path[k], need, "%s/%s", dir, w->name[k]);
        /* a temporary idp_remove_temporaries knows (and the guardian
         * removes if the batch is killed) */
        snprintf(w->tmp[k], need, "%s/.%s.idpack-tmp-%ld-XXXXXX", dir, w->name[k], (long)getpid());
        fd = mkostemp(w->tmp[k], O_CLOEXEC);
        if (fd < 0) {
            int e = errno;
            free(w->tmp[k]);
            w->tmp[k] = NULL;
            st = idp_fail(ctx, e == ENOSPC || e == EDQUOT ? IDP_E_IO : IDP_E_CREATE,
                          batch_tr(idp_ctx_lang(ctx), "%s: cannot create: %s"), w->name[k],
                          strerror(e));
            goto fail;
        }
        (void)fchmod(fd, 0600);
        w->f[k] = fdopen(fd, "w");
        if (w->f[k] == NULL) {
            close(fd);
            st = idp_fail(ctx, IDP_E_NOMEM, batch_tr(idp_ctx_lang(ctx), "out of memory"));
            goto fail;
        }
    }
    puts_k(w, 0, "{\n");
    if (head != NULL) {
        puts_k(w, 0, "  ");
        puts_k(w, 0, head);
        puts_k(w, 0, ",\n");
    }
    puts_k(w, 0, "  \"rows\": [");
    /* a byte-order mark, so that spreadsheets read UTF-8; every field quoted */
    puts_k(w, 1,
           "\xef\xbb\xbf\"row\",\"customer\",\"status\",\"package\",\"reference\","
           "\"reasons\",\"warnings\"\r\n");
    *out = w;
    return IDP_OK;
fail:
    idp_report_abort(w);
    return st;
}

void idp_report_csv_cell(const char *in, char *out, size_t size)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t n = 0, i = 0;

    if (size == 0)
        return;
    out[0] = '\0';
    if (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
        if (size < 2)
            return;
        out[n++] = '\'';
    }
    while (s[i] != '\0') {
        char esc[16];
        size_t len = 0, step = 1;
        unsigned c = s[i];
        esc[0] = '\0';
        if (c < 0x20 || c == 0x7f) {
            if (c == '\n')
                len = (size_t)snprintf(esc, sizeof(esc), "\\n");
            else if (c == '\r')
                len = (size_t)snprintf(esc, sizeof(esc), "\\r");
            else if (c == '\t')
                len = (size_t)snprintf(esc, sizeof(esc), "\\t");
            else
                len = (size_t)snprintf(esc, sizeof(esc), "\\x%02x", c);
        } else if (c >= 0xc0) {
            uint32_t cp = 0;
            size_t k = idp_utf8_decode_str((const char *)s + i, &cp);
            bool whole = k > 0;
            step = whole ? k : 1;
            if (whole && idp_utf8_bidi_control(cp))
                len = (size_t)snprintf(esc, sizeof(esc), "\\u%04X", (unsigned)cp);
            else
                len = 0;
        }
        if (len > 0) {
            if (n + len >= size)
                break;
            memcpy(out + n, esc, len);
        } else {
            if (n + step >= size)
                break;
            memcpy(out + n, s + i, step);
            len = step;
        }
        n += len;
        i += step;
    }
    out[n] = '\0';
}

/* One report.csv field: made safe, quoted by libcsv (quotes doubled). */
static void csv_field(idp_report_writer *w, const char *s, const char *sep)
{
    char cell[8192];
    size_t n, need;
    char *q;

    idp_report_csv_cell(s, cell, sizeof(cell));
    n = strlen(cell);
    need = csv_write(NULL, 0, cell, n);
    q = malloc(need ? need : 1);
    if (q == NULL) {
        w->failed = true;
        w->err = ENOMEM;
        w->which = 1;
        return;
    }
    csv_write(q, need, cell, n);
    put(w, 1, q, need);
    puts_k(w, 1, sep);
    free(q);
}

static char *joined(char **l, size_t n)
{
    size_t need = 1;
    char *s;

    for (size_t i = 0; i < n; i++)
        need += strlen(l[i]) + 2;
    s = malloc(need);
    if (s == NULL)
        return NULL;
    s[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            strcat(s, "; ");
        strcat(s, l[i]);
    }
    return s;
}

static json_t *string_array(char **l, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < n; i++)
        json_array_append_new(a, json_string(l[i]));
    return a;
}

idp_status idp_report_add(idp_ctx *ctx, idp_report_writer *w, const idp_batch_row *r)
{
    json_t *o = json_object();
    char *text = NULL, num[32], *reasons, *warnings;
    int bad = o == NULL;

    bad |= json_object_set_new(o, "row", json_integer((json_int_t)r->row));
    bad |= json_object_set_new(o, "customer", json_string(r->customer));
    bad |= json_object_set_new(o, "status", json_string(idp_row_status_name(r->status)));
    bad |= json_object_set_new(o, "package",
                               json_string(r->status == IDP_ROW_FAILED ? "" : r->package));
    bad |= json_object_set_new(o, "reference", json_string(r->reference));
    bad |= json_object_set_new(o, "reasons", string_array(r->reasons, r->n_reasons));
    if (r->n_warnings > 0)
        bad |= json_object_set_new(o, "warnings", string_array(r->warnings, r->n_warnings));
    if (!bad)
        text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (text == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "report.json: out of memory");
    puts_k(w, 0, w->rows == 0 ? "\n    " : ",\n    ");
    puts_k(w, 0, text);
    free(text);

    reasons = joined(r->reasons, r->n_reasons);
    warnings = joined(r->warnings, r->n_warnings);
    if (reasons == NULL || warnings == NULL) {
        free(reasons);
        free(warnings);
        return idp_fail(ctx, IDP_E_NOMEM, "report.csv: out of memory");
    }
    snprintf(num, sizeof(num), "%zu", r->row);
    csv_field(w, num, ",");
    csv_field(w, r->customer, ",");
    csv_field(w, idp_row_status_name(r->status), ",");
    csv_field(w, r->status == IDP_ROW_FAILED ? "" : r->package, ",");
    csv_field(w, r->reference, ",");
    csv_field(w, reasons, ",");
    csv_field(w, warnings, "\r\n");
    free(reasons);
    free(warnings);
    w->rows++;
    if (w->failed)
        return write_failed(ctx, w);
    return IDP_OK;
}

idp_status idp_report_commit(idp_ctx *ctx, idp_report_writer *w, const idp_batch_report *sum)
{
    char buf[256];
    idp_status st = IDP_OK;

    snprintf(buf, sizeof(buf), "%s  ],\n", w->rows > 0 ? "\n" : "");
    puts_k(w, 0, buf);
    if (sum->today[0] != '\0') { /* the seller's day, as build --json says it */
        json_t *t = json_pack("{s:s, s:s}", "date", sum->today, "zone", sum->today_zone);
        char *text = t != NULL ? json_dumps(t, JSON_PRESERVE_ORDER) : NULL;
        json_decref(t);
        if (text == NULL) {
            idp_report_abort(w);
            return idp_fail(ctx, IDP_E_NOMEM, "report.json: out of memory");
        }
        puts_k(w, 0, "  \"today\": ");
        puts_k(w, 0, text);
        puts_k(w, 0, ",\n");
        free(text);
    }
    snprintf(buf, sizeof(buf),
             "  \"summary\": {\"total\": %zu, \"ok\": %zu, \"failed\": %zu, "
             "\"skipped\": %zu, \"warned\": %zu}\n}\n",
             sum->n_rows, sum->ok, sum->failed, sum->skipped, sum->warned);
    puts_k(w, 0, buf);
    for (int k = 0; k < 2 && !w->failed; k++) {
        if (fflush(w->f[k]) != 0 || fsync(fileno(w->f[k])) != 0) {
            w->failed = true;
            w->err = errno;
            w->which = k;
        }
    }
    for (int k = 0; k < 2 && !w->failed; k++) {
        int rc = fclose(w->f[k]);
        w->f[k] = NULL;
        if (rc != 0 || rename(w->tmp[k], w->path[k]) != 0) {
            w->failed = true;
            w->err = errno;
            w->which = k;
            break;
        }
        free(w->tmp[k]);
        w->tmp[k] = NULL;
    }
    if (w->failed)
        st = write_failed(ctx, w);
    idp_report_abort(w); /* frees; the renamed files are not temporaries any more */
    return st;
}
