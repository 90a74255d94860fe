/* Photos with known document corners, made by idp_mkphotos (--detect-set,
 * --portrait-set) for the detection tests (test_detect.c, test_portrait.c). */
#ifndef IDP_TESTUTIL_SHOTS_H
#define IDP_TESTUTIL_SHOTS_H

#include <stddef.h>

/* One line of the generator's detect.tsv. */
typedef struct shot {
    char file[64];
    char kind[8];
    char category[16];
    double quad[4][2]; /* TL, TR, BR, BL of the document, in pixels */
} shot;

/* Runs `idp_mkphotos SET DIR` ($IDP_MKPHOTOS) and reads the first max
 * lines of DIR/detect.tsv into shots. Returns how many were read, or 0 if
 * the generator or the file failed. */
size_t tu_make_shots(const char *set, const char *dir, shot *shots, size_t max);

#endif
