/* A test shim (LD_PRELOAD) for test_build_swap.sh: just before the
 * package folder is renamed into place, moves its parent folder away and
 * puts a link to another folder in its place, as an attacker racing the
 * build would. IDP_SWAP_PARENT: the parent folder; IDP_SWAP_DECOY: where
 * the link points. Acts once. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

typedef int (*renameat2_fn)(int, const char *, int, const char *, unsigned int);

int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
              unsigned int flags)
{
    static int done;
    renameat2_fn real = (renameat2_fn)dlsym(RTLD_NEXT, "renameat2");
    const char *parent = getenv("IDP_SWAP_PARENT"), *decoy = getenv("IDP_SWAP_DECOY");

    if (!done && parent != NULL && decoy != NULL) {
        char moved[4096];
        done = 1;
        snprintf(moved, sizeof(moved), "%s.moved", parent);
        if (rename(parent, moved) != 0 || symlink(decoy, parent) != 0)
            perror("swapshim");
    }
    return real(olddirfd, oldpath, newdirfd, newpath, flags);
}
