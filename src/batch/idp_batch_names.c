/* Folder names from customer labels, and photo paths held inside the
 * CSV's folder. */
#define _GNU_SOURCE

#include "idp_batch.h"
#include "idp_utf8.h"
#include "idp_batch_int.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* report-shard-*.json or .csv: the name of a shard's report. */
static bool shard_report_name(const char *name)
{
    size_t n = strlen(name);

    return strncmp(name, "report-shard-", 13) == 0 &&
           ((n > 5 && strcmp(name + n - 5, ".json") == 0) ||
            (n > 4 && strcmp(name + n - 4, ".csv") == 0));
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
        uint32_t cp = idp_utf8_next(s, i + strnlen(label + i, 4), &i);
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
    if (n == 0 || strcmp(out, "report.json") == 0 || strcmp(out, "report.csv") == 0 ||
        shard_report_name(out)) {
        out[0] = '\0';
        return false;
    }
    return true;
}

/* ---- Paths ------------------------------------------------------------ */

idp_status idp_batch_resolve_path(idp_ctx *ctx, const char *base_dir, const char *path,
                                  bool allow_outside, const char *allow_name, char **out)
{
    char *joined = NULL, *real = NULL, named[128] = "";
    idp_status st = IDP_OK;
    size_t bl = strlen(base_dir), need;

    if (allow_name != NULL && *allow_name != '\0')
        snprintf(named, sizeof(named), " (%s)", allow_name);

    *out = NULL;
    if (path[0] == '\0')
        return idp_fail(ctx, IDP_E_USAGE, batch_tr(idp_ctx_lang(ctx), "empty path"));
    if (path[0] == '/' && !allow_outside)
        return idp_fail(ctx, IDP_E_USAGE,
                        batch_tr(idp_ctx_lang(ctx),
                                 "%s: an absolute path; image paths must be relative to the CSV's "
                                 "folder (or allowed outside it%s)"),
                        path, named);
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
                return idp_fail(
                    ctx, IDP_E_USAGE,
                    batch_tr(idp_ctx_lang(ctx),
                             "%s: leaves the CSV's folder; allow photos outside it%s to accept it"),
                    path, named);
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
        return idp_fail(ctx, IDP_E_NOMEM, batch_tr(idp_ctx_lang(ctx), "out of memory"));
    real = realpath(joined, NULL);
    if (real == NULL) {
        if (errno == ENOENT || errno == ENOTDIR)
            st = idp_fail(ctx, IDP_E_NOTFOUND, batch_tr(idp_ctx_lang(ctx), "%s: no such file"),
                          path);
        else if (errno == ENOMEM)
            st = idp_fail(ctx, IDP_E_NOMEM, batch_tr(idp_ctx_lang(ctx), "out of memory"));
        else
            st = idp_fail(ctx, IDP_E_NOTFOUND,
                          batch_tr(idp_ctx_lang(ctx), "%s: cannot be opened: %s"), path,
                          strerror(errno));
        goto out;
    }
    if (!allow_outside) {
        /* base_dir is "/" or a real path without a trailing slash. */
        bool root = bl == 1 && base_dir[0] == '/';
        if (!root && (strncmp(real, base_dir, bl) != 0 || real[bl] != '/')) {
            st = idp_fail(ctx, IDP_E_USAGE,
                          batch_tr(idp_ctx_lang(ctx),
                                   "%s: leaves the CSV's folder (through \"..\" or a link); "
                                   "allow photos outside it%s to accept it"),
                          path, named);
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

/* ---- The folder names of a run ------------------------------------------ */

/* Folder names: the first row (in CSV order) giving a name keeps it. */
static int by_name_then_row(const void *a, const void *b)
{
    const name_ref *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c != 0 ? c : (x->row > y->row) - (x->row < y->row);
}

/* Pass 1: the whole CSV read once, checked (quoting, UTF-8, caps), and
 * the folder name of every row learnt. Keeps one name per row. */
idp_status batch_learn_names(idp_ctx *ctx, batch_run *b, size_t *total)
{
    idp_csv_reader *rd = NULL;
    const idp_csv_row *src;
    idp_status st;
    size_t row = 0, cap = 0, mine_rows = 0;
    char safe[IDP_BATCH_NAME_MAX + 1];
    bool mine;

    *total = 0;
    st = idp_csv_open(ctx, b->opts->csv_path, &rd);
    while (st == IDP_OK && (st = idp_csv_next(ctx, rd, &src)) == IDP_OK && src != NULL) {
        row++;
        mine = batch_row_mine(b, src);
        mine_rows += mine;
        if (!batch_row_name(b, src, row, NULL, safe))
            continue;
        if (b->n_names == cap) {
            size_t c = cap ? cap * 2 : 256;
            name_ref *n = realloc(b->names, c * sizeof(*n));
            if (n == NULL) {
                st = idp_fail(ctx, IDP_E_NOMEM, batch_tr(idp_ctx_lang(ctx), "out of memory"));
                break;
            }
            b->names = n;
            cap = c;
        }
        b->names[b->n_names].name = strdup(safe);
        b->names[b->n_names].row = row;
        b->names[b->n_names].mine = mine;
        if (b->names[b->n_names].name == NULL) {
            st = idp_fail(ctx, IDP_E_NOMEM, batch_tr(idp_ctx_lang(ctx), "out of memory"));
            break;
        }
        b->n_names++;
    }
    idp_csv_close(rd);
    if (st != IDP_OK)
        return st;
    if (b->n_names > 1) /* qsort wants an array, even of none */
        qsort(b->names, b->n_names, sizeof(*b->names), by_name_then_row);
    b->csv_rows = row;
    *total = mine_rows; /* row, without --shard */
    return IDP_OK;
}

/* The first row that gives this name (0: none, the CSV changed). */
size_t batch_name_owner(const batch_run *b, const char *name)
{
    size_t lo = 0, hi = b->n_names;

    while (lo < hi) { /* the first entry >= name */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(b->names[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < b->n_names && strcmp(b->names[lo].name, name) == 0 ? b->names[lo].row : 0;
}
