/* fuzz_csv: the batch CSV through idp_csv_parse, then what a batch does
 * with each row before building: a folder name from the customer cell and
 * the containment check of every other cell as an image path, against a
 * private temporary folder holding photos and a link that leaves it.
 * Nothing is written besides that folder, made once. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "fuzz_util.h"

#include "idp_batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PATHS 64 /* cells resolved per input: realpath() is a system call */

static char *base; /* the real path of the CSV's folder */

/* tmp/csv (the CSV's folder: front.jpg, sub/back.jpg, a link up -> ../outside)
 * and tmp/outside (secret.jpg). Paths cannot leave tmp: "../" beyond the
 * CSV's folder is refused before the disk is looked at, so every answer
 * depends on these files only. */
static void setup(void)
{
    char *top, *p;

    if (base != NULL)
        return;
    top = realpath(fuzz_tmpdir(), NULL);
    if (top == NULL)
        abort();
    base = fuzz_join(top, "csv");
    p = fuzz_join(top, "outside");
    if (mkdir(base, 0700) != 0 || mkdir(p, 0700) != 0)
        abort();
    free(p);
    p = fuzz_join(top, "outside/secret.jpg");
    fuzz_write_file(p, "x", 1);
    free(p);
    p = fuzz_join(base, "front.jpg");
    fuzz_write_file(p, "x", 1);
    free(p);
    p = fuzz_join(base, "sub");
    if (mkdir(p, 0700) != 0)
        abort();
    free(p);
    p = fuzz_join(base, "sub/back.jpg");
    fuzz_write_file(p, "x", 1);
    free(p);
    p = fuzz_join(base, "up");
    if (symlink("../outside", p) != 0)
        abort();
    free(p);
    free(top);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    idp_ctx *ctx;
    idp_csv_table *t = NULL;
    size_t resolved = 0;

    setup();
    ctx = fuzz_ctx();
    if (idp_csv_parse(ctx, "fuzz.csv", data, size, &t) != IDP_OK) {
        if (t != NULL || idp_ctx_error(ctx)[0] == '\0')
            abort();
        idp_ctx_destroy(ctx);
        return 0;
    }
    if (t == NULL || t->n_cols == 0)
        abort();
    for (size_t r = 0; r < t->n_rows; r++) {
        const idp_csv_row *row = &t->rows[r];
        char name[IDP_BATCH_NAME_MAX + 1];

        if (row->n_cells == 0)
            abort();
        if (idp_batch_safe_name(row->cells[0], name, sizeof(name)) &&
            (strlen(name) > IDP_BATCH_NAME_MAX ||
             strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789._-") != strlen(name) ||
             name[0] == '.' || name[0] == '-'))
            abort();
        for (size_t c = 1; c < row->n_cells && resolved < MAX_PATHS; c++, resolved++) {
            char *real = NULL;
            idp_status st = idp_batch_resolve_path(ctx, base, row->cells[c], false, NULL, &real);
            if (st == IDP_OK && (real == NULL || strncmp(real, base, strlen(base)) != 0 ||
                                 real[strlen(base)] != '/'))
                abort(); /* a path accepted outside the folder */
            free(real);
        }
    }
    idp_csv_table_free(t);
    idp_ctx_destroy(ctx);
    return 0;
}
