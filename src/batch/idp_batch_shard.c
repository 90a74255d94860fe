/* A batch split into shards (--shard I/N): which rows a shard builds, the
 * lock that keeps one run per shard, the names of its reports, and the
 * clean-up of its own stale temporaries only. Why a hash of the label and
 * not the row's position: docs/batch.md. */
#define _GNU_SOURCE /* flock() */

#include "idp_batch_int.h"
#include "idp_tr.h"

#include "idp_hash.h"
#include "idp_io.h"

#include <dirent.h>
#include <openssl/sha.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

bool idp_batch_shard_parse(const char *s, unsigned *index, unsigned *count)
{
    unsigned v[2] = {0, 0};
    const char *p = s;

    for (int k = 0; k < 2; k++) {
        const char *start = p;
        while (*p >= '0' && *p <= '9') {
            v[k] = v[k] * 10 + (unsigned)(*p - '0');
            if (v[k] > IDP_BATCH_SHARDS_MAX)
                return false;
            p++;
        }
        if (p == start || (*start == '0' && p - start > 1))
            return false;
        if (k == 0 && *p++ != '/')
            return false;
    }
    if (*p != '\0' || v[0] < 1 || v[0] > v[1])
        return false;
    *index = v[0];
    *count = v[1];
    return true;
}

unsigned idp_batch_shard_of(const char *customer, unsigned count)
{
    uint8_t d[SHA256_DIGEST_LENGTH];
    uint64_t h = 0;

    if (count <= 1)
        return 1;
    /* OpenSSL's one-shot SHA256() cannot fail: every run of every machine
     * puts the row in the same shard. */
    SHA256((const unsigned char *)customer, strlen(customer), d);
    for (int i = 0; i < 8; i++)
        h = (h << 8) | d[i];
    return (unsigned)(h % count) + 1;
}

void idp_batch_shard_stem(unsigned index, unsigned count, char *out, size_t size)
{
    snprintf(out, size, "report-shard-%u-of-%u", index, count);
}

bool batch_row_mine(const batch_run *b, const idp_csv_row *src)
{
    const idp_batch_opts *o = b->opts;
    const char *customer = "";

    if (o->shard_count == 0)
        return true;
    for (size_t c = 0; c < src->n_cells && c < b->n_cols; c++)
        if (b->col_kind[c] == COL_CUSTOMER) {
            customer = src->cells[c];
            break;
        }
    return idp_batch_shard_of(customer, o->shard_count) == o->shard_index;
}

/* Opens and locks path (created mode 0600), making sure the file locked
 * is the one at path: a run that ends removes it, and a run that opened
 * it just before must not go on with a lock nobody else sees. */
static idp_status lock_file(idp_ctx *ctx, const char *path, const char *what, int *out)
{
    for (int tries = 0; tries < 8; tries++) {
        struct stat a, b;
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
            return idp_fail(ctx, IDP_E_CREATE, "%s: cannot create its lock file: %s", what,
                            strerror(errno));
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int e = errno;
            close(fd);
            if (e == EWOULDBLOCK)
                return idp_fail(ctx, IDP_E_CREATE,
                                idp_tr(idp_ctx_lang(ctx),
                                       "%s: is already running into this folder: "
                                       "wait for it to end"),
                                what);
            return idp_fail(ctx, IDP_E_CREATE, "%s: cannot lock: %s", what, strerror(e));
        }
        if (fstat(fd, &a) == 0 && lstat(path, &b) == 0 && a.st_dev == b.st_dev &&
            a.st_ino == b.st_ino) {
            *out = fd;
            return IDP_OK;
        }
        close(fd); /* removed meanwhile by the run that held it: again */
    }
    return idp_fail(ctx, IDP_E_CREATE, "%s: its lock file keeps changing", what);
}

idp_status batch_shard_begin(idp_ctx *ctx, batch_run *b)
{
    const idp_batch_opts *o = b->opts;
    uint8_t d[IDP_SHA256_LEN];
    char hex[IDP_SHA256_HEX], what[64];
    uint64_t size = 0;
    size_t need;
    idp_status st;

    idp_batch_shard_stem(o->shard_index, o->shard_count, b->shard_stem, sizeof(b->shard_stem));
    snprintf(what, sizeof(what), "shard %u/%u", o->shard_index, o->shard_count);
    need = strlen(b->abs_out) + strlen(b->shard_stem) + 8;
    b->shard_lock = malloc(need);
    if (b->shard_lock == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
    snprintf(b->shard_lock, need, "%s/.%s.lock", b->abs_out, b->shard_stem);
    st = lock_file(ctx, b->shard_lock, what, &b->shard_fd);
    if (st != IDP_OK)
        return st;
    /* The CSV the shard was cut from, so that the merge can tell that
     * every shard had the same one. */
    st = idp_sha256_file(ctx, o->csv_path, d, &size);
    if (st != IDP_OK)
        return st;
    idp_hex(d, sizeof(d), hex);
    need = 160 + strlen(hex);
    b->shard_head = malloc(need);
    if (b->shard_head == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
    snprintf(b->shard_head, need,
             "\"shard\": {\"index\": %u, \"count\": %u, \"csv_sha256\": \"%s\", \"csv_rows\": %zu}",
             o->shard_index, o->shard_count, hex, b->csv_rows);
    return IDP_OK;
}

/* The first entry of b->names giving name: the row that owns it. */
static const name_ref *owner(const batch_run *b, const char *name, size_t len)
{
    size_t lo = 0, hi = b->n_names;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strncmp(b->names[mid].name, name, len);
        if (c == 0 && b->names[mid].name[len] != '\0')
            c = 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < b->n_names && strncmp(b->names[lo].name, name, len) == 0 &&
        b->names[lo].name[len] == '\0')
        return &b->names[lo];
    return NULL;
}

size_t batch_shard_clean(const batch_run *b)
{
    static const char *const kinds[] = {".idpack-tmp-", ".idpack-old-"};
    size_t removed = 0;
    DIR *dir = opendir(b->abs_out);
    struct dirent *e;
    char mine[2][64];

    if (dir == NULL)
        return 0;
    snprintf(mine[0], sizeof(mine[0]), "%s.json", b->shard_stem);
    snprintf(mine[1], sizeof(mine[1]), "%s.csv", b->shard_stem);
    while ((e = readdir(dir)) != NULL) {
        const char *n = e->d_name, *at = NULL;
        char target[IDP_BATCH_NAME_MAX + 8];
        size_t len;
        long pid = 0;
        const name_ref *r;

        if (n[0] != '.')
            continue;
        for (size_t k = 0; k < 2; k++) {
            const char *p = strstr(n + 1, kinds[k]);
            if (p != NULL && (at == NULL || p > at))
                at = p;
        }
        len = at != NULL ? (size_t)(at - n - 1) : 0;
        if (len == 0 || len >= sizeof(target))
            continue;
        memcpy(target, n + 1, len);
        target[len] = '\0';
        if (!idp_temp_name(n, target, &pid))
            continue;
        r = owner(b, target, len);
        if ((r != NULL && r->mine) || strcmp(target, mine[0]) == 0 || strcmp(target, mine[1]) == 0)
            removed += idp_remove_temporaries(b->abs_out, target, 0);
    }
    closedir(dir);
    return removed;
}

void batch_shard_names(const batch_run *b)
{
    const idp_batch_opts *o = b->opts;

    for (size_t i = 0; o->shard_name != NULL && i < b->n_names; i++)
        if (b->names[i].mine)
            o->shard_name(o->shard_name_user, b->names[i].name);
}

void batch_shard_end(batch_run *b, bool whole)
{
    if (b->shard_fd >= 0) {
        if (whole && b->shard_lock != NULL)
            (void)unlink(b->shard_lock); /* under the lock: see lock_file() */
        close(b->shard_fd);
    }
    b->shard_fd = -1;
    free(b->shard_lock);
    b->shard_lock = NULL;
    free(b->shard_head);
    b->shard_head = NULL;
}
