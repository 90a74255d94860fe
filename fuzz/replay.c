/* A standalone main for the fuzz targets when they are not built for
 * libFuzzer: runs LLVMFuzzerTestOneInput once over every file given, and
 * over every file in every folder given (sorted by name, not recursive).
 * A folder that does not exist is skipped (regress/<what> may not exist
 * yet); a file that cannot be read is an error. A crash is a crash: the
 * sanitizers or the target abort. Prints one line per argument. */
#include "fuzz_util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define REPLAY_MAX_BYTES (16u * 1024u * 1024u)

/* Runs the target on one file, in a buffer of exactly its size so that
 * the sanitizers see any read past the end. Returns 0 on success. */
static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long size;
    int rc = -1;

    if (f == NULL) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
        (unsigned long)size > REPLAY_MAX_BYTES) {
        fprintf(stderr, "replay: %s: cannot size it, or over %u bytes\n", path, REPLAY_MAX_BYTES);
        goto out;
    }
    buf = malloc(size > 0 ? (size_t)size : 1);
    if (buf == NULL || (size > 0 && fread(buf, 1, (size_t)size, f) != (size_t)size)) {
        fprintf(stderr, "replay: %s: cannot read it\n", path);
        goto out;
    }
    (void)LLVMFuzzerTestOneInput(buf, (size_t)size);
    rc = 0;
out:
    free(buf);
    fclose(f);
    return rc;
}

static int regular_entry(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

static int replay_dir(const char *dir, size_t *count)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, regular_entry, alphasort), rc = 0;

    if (n < 0) {
        fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    for (int i = 0; i < n; i++) {
        char *path = fuzz_join(dir, names[i]->d_name);
        struct stat sb;
        if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
            if (replay_file(path) != 0)
                rc = -1;
            else
                (*count)++;
        }
        free(path);
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    int failed = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE-OR-FOLDER...\n", argv[0]);
        return 64;
    }
    for (int i = 1; i < argc; i++) {
        struct stat sb;
        size_t count = 0;

        if (stat(argv[i], &sb) != 0) {
            if (errno == ENOENT) {
                printf("%s: absent, skipped\n", argv[i]);
                continue;
            }
            fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
            failed = 1;
            continue;
        }
        if (S_ISDIR(sb.st_mode)) {
            if (replay_dir(argv[i], &count) != 0)
                failed = 1;
        } else if (replay_file(argv[i]) != 0) {
            failed = 1;
        } else {
            count = 1;
        }
        printf("%s: %zu inputs replayed\n", argv[i], count);
    }
    return failed;
}
