/* Verifying a package folder: SHA256SUMS (strictly parsed), every file it
 * lists, nothing extra, manifest.json agreeing with both, and the Ed25519
 * signature of manifest.json when a key is given. Every problem found is
 * reported, not just the first. Nothing is followed through a link. */
#include "idp_package.h"

#include "idp_io.h"
#include "idp_reference.h"
#include "idp_sign.h"

#include <jansson.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SUMS_NAME "SHA256SUMS"
#define MANIFEST_NAME "manifest.json"
#define SIG_NAME "manifest.json.sig"
#define MANIFEST_FORMAT "idpack-manifest/1"
#define SUMS_MAX_BYTES (1000u * 1000u)
#define MANIFEST_MAX_BYTES (1000u * 1000u)
#define MAX_LINES 1000u
#define MAX_PROBLEMS 200u
#define SIG_MAX_BYTES 1024u

/* One file named by SHA256SUMS, and what was found about it. */
typedef struct entry {
    char name[256];
    uint8_t listed[IDP_SHA256_LEN]; /* from SHA256SUMS */
    uint8_t actual[IDP_SHA256_LEN];
    uint64_t size;
    bool hashed; /* actual and size are known, and match SHA256SUMS */
    bool in_manifest;
} entry;

typedef struct verifier {
    idp_ctx *ctx;
    const char *dir;
    int dfd;
    idp_verify_report *r;
    entry *entries;
    size_t n_entries;
    bool truncated; /* problems or folder entries beyond the bounds were skipped */
    bool closing;   /* the final "too many problems" notice may take one more slot */
} verifier;

static bool name_ok(const char *s, size_t n)
{
    size_t i;

    if (n == 0 || n > 255 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
        return false;
    if (n == sizeof(SUMS_NAME) - 1 && memcmp(s, SUMS_NAME, n) == 0)
        return true;
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}

const char *idp_problem_kind_name(idp_problem_kind kind)
{
    switch (kind) {
    case IDP_PROBLEM_CHANGED:
        return "changed";
    case IDP_PROBLEM_MISSING:
        return "missing";
    case IDP_PROBLEM_EXTRA:
        return "extra";
    case IDP_PROBLEM_MALFORMED:
        return "malformed";
    case IDP_PROBLEM_SIGNATURE:
        return "signature";
    }
    return "unknown";
}

void idp_verify_report_free(idp_verify_report *report)
{
    size_t i;

    if (report == NULL)
        return;
    for (i = 0; i < report->n_problems; i++) {
        free(report->problems[i].file);
        free(report->problems[i].detail);
    }
    free(report->problems);
    free(report->reference);
    memset(report, 0, sizeof(*report));
}

/* Records a problem. Only running out of memory fails. */
static idp_status problem(verifier *v, idp_problem_kind kind, const char *file, const char *fmt,
                          ...) IDP_PRINTF(4, 5);
static idp_status problem(verifier *v, idp_problem_kind kind, const char *file, const char *fmt,
                          ...)
{
    idp_verify_report *r = v->r;
    idp_problem *p;
    char detail[512];
    va_list ap;

    if (r->n_problems >= MAX_PROBLEMS + (v->closing ? 1u : 0u)) {
        v->truncated = true;
        return IDP_OK;
    }
    if (r->n_problems % 16 == 0) {
        idp_problem *np = realloc(r->problems, (r->n_problems + 16) * sizeof(*np));
        if (np == NULL)
            return idp_fail(v->ctx, IDP_E_NOMEM, "%s: out of memory", v->dir);
        r->problems = np;
    }
    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    p = &r->problems[r->n_problems];
    p->kind = kind;
    p->file = strdup(file);
    p->detail = strdup(detail);
    if (p->file == NULL || p->detail == NULL) {
        free(p->file);
        free(p->detail);
        return idp_fail(v->ctx, IDP_E_NOMEM, "%s: out of memory", v->dir);
    }
    r->n_problems++;
    return IDP_OK;
}

/* Reads the regular file name in the package (not through a link) whole,
 * up to max bytes. *found is false when it does not exist; *why is set
 * (and *buf NULL) when it exists but cannot be used. */
static idp_status read_member(verifier *v, const char *name, size_t max, uint8_t **buf, size_t *len,
                              bool *found, const char **why)
{
    idp_status st = IDP_OK;
    struct stat sb;
    uint8_t *data = NULL;
    size_t got = 0;
    int fd;

    *buf = NULL;
    *len = 0;
    *found = true;
    *why = NULL;
    fd = openat(v->dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            *found = false;
        else if (errno == ELOOP)
            *why = "is a symbolic link (a package holds only plain files)";
        else
            return idp_fail(v->ctx, IDP_E_IO, "%s/%s: cannot open: %s", v->dir, name,
                            strerror(errno));
        return IDP_OK;
    }
    if (fstat(fd, &sb) != 0) {
        st = idp_fail(v->ctx, IDP_E_IO, "%s/%s: cannot stat: %s", v->dir, name, strerror(errno));
        goto out;
    }
    if (!S_ISREG(sb.st_mode)) {
        *why = "is not a plain file";
        goto out;
    }
    if ((uint64_t)sb.st_size > max) {
        *why = "is too large";
        goto out;
    }
    data = malloc((size_t)sb.st_size + 1);
    if (data == NULL) {
        st = idp_fail(v->ctx, IDP_E_NOMEM, "%s/%s: out of memory", v->dir, name);
        goto out;
    }
    for (;;) {
        ssize_t n = read(fd, data + got, (size_t)sb.st_size + 1 - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            st = idp_fail(v->ctx, IDP_E_IO, "%s/%s: read error: %s", v->dir, name, strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        got += (size_t)n;
        if (got > (size_t)sb.st_size) {
            *why = "grew while being read";
            goto out;
        }
    }
    data[got] = '\0';
    *buf = data;
    *len = got;
    data = NULL;
out:
    free(data);
    close(fd);
    return st;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1; /* upper case included: idpack writes lower-case hex only */
}

static bool parse_hex(const char *s, uint8_t out[IDP_SHA256_LEN])
{
    for (size_t i = 0; i < IDP_SHA256_LEN; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

static entry *find_entry(verifier *v, const char *name)
{
    for (size_t i = 0; i < v->n_entries; i++)
        if (strcmp(v->entries[i].name, name) == 0)
            return &v->entries[i];
    return NULL;
}

/* Parses SHA256SUMS strictly: every line is 64 hex digits, two spaces and
 * a package file name. Returns IDP_OK with *usable false (and a problem
 * recorded) when it is missing or malformed. */
static idp_status read_sums(verifier *v, bool *usable)
{
    idp_status st;
    uint8_t *buf = NULL;
    size_t len, pos = 0, line = 0, lines = 0;
    bool found;
    const char *why;

    *usable = false;
    st = read_member(v, SUMS_NAME, SUMS_MAX_BYTES, &buf, &len, &found, &why);
    if (st != IDP_OK)
        return st;
    if (!found)
        return problem(v, IDP_PROBLEM_MISSING, SUMS_NAME, "the list of hashes is missing");
    if (why != NULL)
        return problem(v, IDP_PROBLEM_MALFORMED, SUMS_NAME, "%s", why);
    for (size_t i = 0; i < len; i++)
        lines += buf[i] == '\n';
    if (lines > MAX_LINES || len == 0) {
        if (len == 0)
            st = problem(v, IDP_PROBLEM_MALFORMED, SUMS_NAME, "is empty");
        else
            st = problem(v, IDP_PROBLEM_MALFORMED, SUMS_NAME, "has more than %u lines", MAX_LINES);
        goto out;
    }
    /* Byte for byte as idpack writes it: each rule said on its own. */
    if (buf[len - 1] != '\n') {
        st = problem(v, IDP_PROBLEM_MALFORMED, SUMS_NAME,
                     "the last line has no final newline (idpack ends every line with one)");
        goto out;
    }
    {
        const uint8_t *cr = memchr(buf, '\r', len);
        if (cr != NULL) {
            size_t at = 1;
            for (const uint8_t *c = buf; c < cr; c++)
                at += *c == '\n';
            st = problem(v, IDP_PROBLEM_MALFORMED, SUMS_NAME,
                         "line %zu ends with CR LF (idpack ends lines with LF only)", at);
            goto out;
        }
    }
    v->entries = calloc(lines, sizeof(*v->entries));
    if (v->entries == NULL) {
        st = idp_fail(v->ctx, IDP_E_NOMEM, "%s: out of memory", v->dir);
        goto out;
    }
    while (pos < len) {
        const char *s = (const char *)buf + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t ll = nl != NULL ? (size_t)(nl - s) : len - pos;
        size_t nn = ll > 66 ? ll - 66 : 0;
        entry *e;

        line++;
        pos += ll + 1;
        if (ll < 67 || s[64] != ' ' || s[65] != ' ' || !name_ok(s + 66, nn) ||
            memchr(s, '\0', ll) != NULL) {
            st = problem(v, IDP_PROBLEM_MALFORMED, SUMS_NAME,
                         "line %zu is not \"<64 hex digits>  <file name>\"", line);
            goto out;
        }
        e = &v->entries[v->n_entries];
        if (!parse_hex(s, e->listed)) {
            bool upper = false;
            for (size_t k = 0; k < 64; k++)
                upper |= s[k] >= 'A' && s[k] <= 'F';
            st = problem(v, IDP_PROBLEM_MALFORMED, SUMS_NAME,
                         upper ? "line %zu: the hash has upper-case hex digits (idpack writes "
                                 "lower case)"
                               : "line %zu: the hash is not 64 hex digits",
                         line);
            goto out;
        }
        memcpy(e->name, s + 66, nn);
        e->name[nn] = '\0';
        if (v->n_entries > 0 && strcmp(v->entries[v->n_entries - 1].name, e->name) > 0) {
            st = problem(v, IDP_PROBLEM_MALFORMED, SUMS_NAME,
                         "line %zu: %s is out of order (idpack sorts the lines by file name)", line,
                         e->name);
            goto out;
        }
        if (strcmp(e->name, SUMS_NAME) == 0 || find_entry(v, e->name) != NULL) {
            st =
                problem(v, IDP_PROBLEM_MALFORMED, SUMS_NAME, "line %zu: %s %s", line, e->name,
                        strcmp(e->name, SUMS_NAME) == 0 ? "cannot list itself" : "is listed twice");
            goto out;
        }
        v->n_entries++;
    }
    if (find_entry(v, MANIFEST_NAME) == NULL) {
        st = problem(v, IDP_PROBLEM_MALFORMED, SUMS_NAME, "does not list " MANIFEST_NAME);
        goto out;
    }
    *usable = true;
out:
    free(buf);
    return st;
}

/* Hashes each listed file and compares it with SHA256SUMS. */
static idp_status check_listed(verifier *v)
{
    idp_status st = IDP_OK;
    size_t plen = strlen(v->dir) + 258;
    char *path = malloc(plen);

    if (path == NULL)
        return idp_fail(v->ctx, IDP_E_NOMEM, "%s: out of memory", v->dir);
    for (size_t i = 0; i < v->n_entries && st == IDP_OK; i++) {
        entry *e = &v->entries[i];
        struct stat sb;

        if (fstatat(v->dfd, e->name, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno == ENOENT)
                st = problem(v, IDP_PROBLEM_MISSING, e->name,
                             "listed in " SUMS_NAME " but not in the folder");
            else
                st = idp_fail(v->ctx, IDP_E_IO, "%s/%s: cannot stat: %s", v->dir, e->name,
                              strerror(errno));
            continue;
        }
        if (S_ISLNK(sb.st_mode) || !S_ISREG(sb.st_mode)) {
            st = problem(v, IDP_PROBLEM_CHANGED, e->name, "%s",
                         S_ISLNK(sb.st_mode) ? "is a symbolic link, not the file listed"
                                             : "is not a plain file");
            continue;
        }
        /* Checked just above not to be a link; idp_sha256_file also refuses
         * anything but a regular file. */
        snprintf(path, plen, "%s/%s", v->dir, e->name);
        st = idp_sha256_file(v->ctx, path, e->actual, &e->size);
        if (st == IDP_E_NOTFOUND) {
            st = problem(v, IDP_PROBLEM_MISSING, e->name, "disappeared while being checked");
            continue;
        }
        if (st != IDP_OK)
            break;
        if (memcmp(e->actual, e->listed, IDP_SHA256_LEN) != 0)
            st = problem(v, IDP_PROBLEM_CHANGED, e->name,
                         "its SHA-256 differs from the one in " SUMS_NAME);
        else {
            e->hashed = true;
            v->r->n_files_ok++;
        }
    }
    free(path);
    return st;
}

static int by_file(const void *a, const void *b)
{
    return strcmp(((const idp_problem *)a)->file, ((const idp_problem *)b)->file);
}

/* Every entry of the folder must be listed, except SHA256SUMS itself and
 * the signature. Reported by name (readdir's order is the file system's). */
static idp_status check_extra(verifier *v)
{
    idp_status st = IDP_OK;
    size_t first = v->r->n_problems;
    int fd = dup(v->dfd);
    DIR *d;
    struct dirent *e;
    size_t seen = 0;

    if (fd < 0)
        return idp_fail(v->ctx, IDP_E_IO, "%s: cannot list: %s", v->dir, strerror(errno));
    d = fdopendir(fd);
    if (d == NULL) {
        close(fd);
        return idp_fail(v->ctx, IDP_E_IO, "%s: cannot list: %s", v->dir, strerror(errno));
    }
    rewinddir(d);
    while (st == IDP_OK && (e = readdir(d)) != NULL) {
        struct stat sb;
        const char *kind = "a file";

        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
            find_entry(v, e->d_name) != NULL)
            continue;
        if (++seen > MAX_LINES) {
            v->truncated = true;
            break;
        }
        if (fstatat(v->dfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0) {
            if (S_ISLNK(sb.st_mode))
                kind = "a symbolic link";
            else if (S_ISDIR(sb.st_mode))
                kind = "a folder";
            else if (!S_ISREG(sb.st_mode))
                kind = "a special file";
        }
        if (strcmp(e->d_name, SUMS_NAME) == 0 || strcmp(e->d_name, SIG_NAME) == 0) {
            if (strcmp(kind, "a file") != 0)
                st = problem(v,
                             strcmp(e->d_name, SIG_NAME) == 0 ? IDP_PROBLEM_SIGNATURE
                                                              : IDP_PROBLEM_MALFORMED,
                             e->d_name, "is %s, not a plain file", kind);
            continue;
        }
        st = problem(v, IDP_PROBLEM_EXTRA, e->d_name, "%s not listed in " SUMS_NAME, kind);
    }
    closedir(d);
    if (v->r->n_problems > first)
        qsort(v->r->problems + first, v->r->n_problems - first, sizeof(idp_problem), by_file);
    return st;
}

/* manifest.json: its file list must agree with SHA256SUMS and the files. */
static idp_status check_manifest(verifier *v, const uint8_t *text, size_t len)
{
    idp_status st = IDP_OK;
    json_error_t jerr;
    json_t *root = json_loadb((const char *)text, len, JSON_REJECT_DUPLICATES, &jerr);
    json_t *files, *item;
    const char *format = NULL, *ref = NULL;
    size_t i;

    if (root == NULL || !json_is_object(root))
        return problem(v, IDP_PROBLEM_MALFORMED, MANIFEST_NAME, "is not valid JSON (line %d)",
                       jerr.line);
    format = json_string_value(json_object_get(root, "format"));
    ref = json_string_value(json_object_get(root, "reference"));
    files = json_object_get(root, "files");
    if (format == NULL || strcmp(format, MANIFEST_FORMAT) != 0) {
        st = problem(v, IDP_PROBLEM_MALFORMED, MANIFEST_NAME,
                     "is not an " MANIFEST_FORMAT " manifest");
        goto out;
    }
    if (ref != NULL) {
        char norm[IDP_REFERENCE_LEN];
        if (idp_reference_parse(ref, norm)) {
            v->r->reference = strdup(norm);
            if (v->r->reference == NULL) {
                st = idp_fail(v->ctx, IDP_E_NOMEM, "%s: out of memory", v->dir);
                goto out;
            }
        } else
            st = problem(v, IDP_PROBLEM_MALFORMED, MANIFEST_NAME,
                         "the reference is not well-formed");
    }
    if (!json_is_array(files) || json_array_size(files) > MAX_LINES) {
        st = problem(v, IDP_PROBLEM_MALFORMED, MANIFEST_NAME, "has no valid \"files\" list");
        goto out;
    }
    json_array_foreach(files, i, item)
    {
        const char *name = json_string_value(json_object_get(item, "name"));
        const char *hex = json_string_value(json_object_get(item, "sha256"));
        json_t *size = json_object_get(item, "size");
        uint8_t digest[IDP_SHA256_LEN];
        entry *e;

        if (st != IDP_OK)
            break;
        if (name == NULL || !name_ok(name, strlen(name)) || hex == NULL || strlen(hex) != 64 ||
            !parse_hex(hex, digest) || !json_is_integer(size) || json_integer_value(size) < 0) {
            st = problem(v, IDP_PROBLEM_MALFORMED, MANIFEST_NAME,
                         "entry %zu of \"files\" is "
                         "not {name, size, sha256}",
                         i + 1);
            continue;
        }
        e = find_entry(v, name);
        if (strcmp(name, MANIFEST_NAME) == 0 || strcmp(name, SUMS_NAME) == 0 ||
            strcmp(name, SIG_NAME) == 0) {
            st = problem(v, IDP_PROBLEM_MALFORMED, MANIFEST_NAME,
                         "lists %s, which it cannot "
                         "describe",
                         name);
            continue;
        }
        if (e == NULL) {
            st = problem(v, IDP_PROBLEM_MALFORMED, name,
                         "listed in " MANIFEST_NAME " but not in " SUMS_NAME);
            continue;
        }
        if (e->in_manifest) {
            st = problem(v, IDP_PROBLEM_MALFORMED, MANIFEST_NAME, "lists %s twice", name);
            continue;
        }
        e->in_manifest = true;
        if (!e->hashed)
            continue; /* already reported as missing or changed */
        if (memcmp(digest, e->actual, IDP_SHA256_LEN) != 0)
            st = problem(v, IDP_PROBLEM_CHANGED, name,
                         "its SHA-256 differs from the one in " MANIFEST_NAME);
        else if ((uint64_t)json_integer_value(size) != e->size)
            st = problem(v, IDP_PROBLEM_CHANGED, name,
                         "its size differs from the one in " MANIFEST_NAME);
    }
    for (i = 0; i < v->n_entries && st == IDP_OK; i++) {
        const char *name = v->entries[i].name;
        if (!v->entries[i].in_manifest && strcmp(name, MANIFEST_NAME) != 0 &&
            strcmp(name, SIG_NAME) != 0)
            st = problem(v, IDP_PROBLEM_MALFORMED, name,
                         "listed in " SUMS_NAME " but not in " MANIFEST_NAME);
    }
out:
    json_decref(root);
    return st;
}

/* The signature of manifest.json, with the key at pub_path. */
static idp_status check_signature(verifier *v, const char *pub_path, const uint8_t *manifest,
                                  size_t mlen)
{
    idp_status st;
    uint8_t *sig = NULL;
    size_t slen;
    bool found;
    const char *why;

    v->r->signature_checked = true;
    st = read_member(v, SIG_NAME, SIG_MAX_BYTES, &sig, &slen, &found, &why);
    if (st != IDP_OK)
        return st;
    if (!found) {
        st = problem(v, IDP_PROBLEM_SIGNATURE, SIG_NAME,
                     "a key was given but the package is "
                     "not signed (no " SIG_NAME ")");
        goto out;
    }
    if (why != NULL) {
        st = problem(v, IDP_PROBLEM_SIGNATURE, SIG_NAME, "%s", why);
        goto out;
    }
    if (manifest == NULL) {
        st = problem(v, IDP_PROBLEM_SIGNATURE, SIG_NAME,
                     "there is no readable " MANIFEST_NAME " to verify");
        goto out;
    }
    st = idp_verify_ed25519(v->ctx, pub_path, manifest, mlen, sig, slen);
    if (st == IDP_OK)
        v->r->signature_ok = true;
    else if (st == IDP_E_MISMATCH) {
        idp_ctx_clear(v->ctx);
        st = problem(v, IDP_PROBLEM_SIGNATURE, SIG_NAME,
                     "does not verify: " MANIFEST_NAME " was changed or signed with another key");
    }
out:
    free(sig);
    return st;
}

idp_status idp_package_verify(idp_ctx *ctx, const char *dir, const char *pub_path,
                              idp_verify_report *report)
{
    idp_status st;
    verifier v = {ctx, dir, -1, report, NULL, 0, false, false};
    uint8_t *manifest = NULL;
    size_t mlen = 0;
    bool usable = false, found;
    const char *why;

    memset(report, 0, sizeof(*report));
    v.dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (v.dfd < 0) {
        if (errno == ENOENT)
            return idp_fail(ctx, IDP_E_NOTFOUND, "%s: no such folder", dir);
        if (errno == ENOTDIR)
            return idp_fail(ctx, IDP_E_FORMAT, "%s: not a folder", dir);
        return idp_fail(ctx, IDP_E_IO, "%s: cannot open: %s", dir, strerror(errno));
    }
    st = read_sums(&v, &usable);
    if (st == IDP_OK && usable)
        st = check_listed(&v);
    if (st == IDP_OK && usable)
        st = check_extra(&v);
    if (st == IDP_OK)
        st = read_member(&v, MANIFEST_NAME, MANIFEST_MAX_BYTES, &manifest, &mlen, &found, &why);
    if (st == IDP_OK && usable) {
        if (manifest != NULL)
            st = check_manifest(&v, manifest, mlen);
        else if (why != NULL) {
            const entry *e = find_entry(&v, MANIFEST_NAME);
            if (e != NULL && e->hashed)
                st = problem(&v, IDP_PROBLEM_MALFORMED, MANIFEST_NAME, "%s", why);
        }
        /* else missing, a link, ...: already reported by check_listed */
    }
    if (st == IDP_OK && pub_path != NULL)
        st = check_signature(&v, pub_path, manifest, mlen);
    v.closing = true;
    if (st == IDP_OK && v.truncated)
        st = problem(&v, IDP_PROBLEM_MALFORMED, ".",
                     "too many problems: only the first are "
                     "listed");
    free(manifest);
    free(v.entries);
    close(v.dfd);
    if (st != IDP_OK)
        idp_verify_report_free(report);
    return st;
}
