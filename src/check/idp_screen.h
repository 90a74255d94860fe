/* idp_screen: evidence in the pixels that a photo is a screenshot (a
 * rendered screen, not a camera's picture): status and navigation bars,
 * perfectly flat UI regions, no sensor noise. docs/checks.md, "screenshot".
 * Pure measurement on the grey copy, no policy. */
#ifndef IDP_SCREEN_H
#define IDP_SCREEN_H

#include "idp_image.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct idp_screen_evidence {
    /* A phone's status bar: the top band of the frame is one exact grey
     * level with small high-contrast glyphs (clock, signal, battery) at
     * both ends and nothing across the middle. */
    bool status_bar;
    /* A navigation bar or home indicator: the bottom band is one exact
     * grey level with a few small glyphs. */
    bool nav_bar;
    /* Share (0..1) of 8x8 blocks that are perfectly flat (all pixels
     * equal), clipped black or white included. */
    double flat;
    /* Noise in the quietest tenth of the unclipped 8x8 blocks (no pixel
     * at 0 or 255): the mean absolute difference of a pixel from the mean
     * of its 4 neighbours, in grey levels. 0 for rendered pixels; a camera
     * leaves sensor noise even after JPEG and denoising. NaN when fewer
     * than 20 blocks are unclipped. */
    double quiet_noise;
} idp_screen_evidence;

/* Measures grey (1 channel, the ~1000 px copy: area averaging keeps a flat
 * area exactly flat). */
void idp_measure_screen(const idp_image *grey, idp_screen_evidence *out) IDP_NONNULL(1, 2);

#endif
