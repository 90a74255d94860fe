/* Screenshot evidence from the pixels. A camera's picture is never exactly
 * flat: photon shot noise and read noise make neighbouring pixels differ
 * by a level or more even on a white wall, and JPEG and denoising lower
 * that noise without removing it; only clipping (pure black or white) is
 * flat. A rendered screen is exactly flat wherever the UI is a plain
 * colour, and a phone's screenshot has a status bar (clock at one end,
 * signal and battery at the other) and often a navigation bar or a home
 * indicator. */
#include "idp_screen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BAR_MIN 0.015     /* status bars are 2.6-5.6 % of a phone screen's height, navigation */
#define BAR_MAX 0.08      /* bars 2-5.5 %, home indicator areas 1.3-4 %: look at most 8 % in */
#define GLYPH_CONTRAST 48 /* grey levels from the bar's colour */
#define MODE_SHARE 0.5    /* at least half the band is exactly the bar's colour */
#define GLYPH_MAX 0.35    /* glyphs are small: at most this share of the band */
#define SPAN_MAX 0.6      /* and cover at most this share of its columns */
#define END_SHARE 0.3     /* the status bar's ends: the outer 30 % on each side */
#define MIN_BLOCKS 20
#define NOISE_BINS 4096

/* Share of row y of grey that is exactly level v. */
static double row_share(const idp_image *grey, uint32_t y, uint8_t v)
{
    const uint8_t *row = grey->data + (size_t)y * idp_image_stride(grey);
    uint32_t n = 0;

    for (uint32_t x = 0; x < grey->width; x++)
        n += (uint32_t)(row[x] == v);
    return (double)n / grey->width;
}

/* Whether the top (from_bottom 0) or bottom edge of grey is a bar: the
 * rows from the edge in which at least half the pixels are exactly the
 * level of the edge row's majority (at least BAR_MIN of the height, at
 * most BAR_MAX looked at: the app's header often has the bar's colour), with
 * small glyphs in them; *ends set when glyphs are at both ends. */
static int is_bar(const idp_image *grey, int from_bottom, int *ends)
{
    const uint32_t w = grey->width, h = grey->height;
    const size_t stride = idp_image_stride(grey);
    const uint32_t max_rows = (uint32_t)(BAR_MAX * h);
    uint32_t hist[256] = {0}, mode = 0, rows = 0, cols = 0, left = 0, right = 0;
    uint64_t glyphs = 0;
    const uint8_t *edge = grey->data + (size_t)(from_bottom ? h - 1 : 0) * stride;

    *ends = 0;
    if (w < 16 || max_rows < 3)
        return 0;
    for (uint32_t x = 0; x < w; x++)
        hist[edge[x]]++;
    for (uint32_t v = 1; v < 256; v++)
        if (hist[v] > hist[mode])
            mode = v;
    while (rows < max_rows &&
           row_share(grey, from_bottom ? h - 1 - rows : rows, (uint8_t)mode) >= MODE_SHARE)
        rows++;
    if (rows < BAR_MIN * h)
        return 0; /* too thin to hold a clock */
    for (uint32_t x = 0; x < w; x++) {
        uint32_t n = 0;
        for (uint32_t i = 0; i < rows; i++) {
            const uint32_t y = from_bottom ? h - 1 - i : i;
            const int d = (int)grey->data[(size_t)y * stride + x] - (int)mode;
            n += (uint32_t)(abs(d) >= GLYPH_CONTRAST);
        }
        glyphs += n;
        if (n > 0) {
            cols++;
            left += (uint32_t)(x < END_SHARE * w);
            right += (uint32_t)(x >= (1.0 - END_SHARE) * w);
        }
    }
    if (glyphs == 0 || (double)glyphs > GLYPH_MAX * (double)rows * w ||
        (double)cols > SPAN_MAX * (double)w)
        return 0;
    /* glyph columns over at least 1 % of the width at each end (a digit
     * of the clock is wider) */
    *ends = (double)left >= 0.01 * w && (double)right >= 0.01 * w && left >= 2 && right >= 2;
    return 1;
}

/* Sum over the interior 6x6 of an 8x8 block of |4p - its 4 neighbours|;
 * -1 if the block has a clipped pixel. */
static int32_t block_noise(const uint8_t *b, size_t stride, int *flat)
{
    uint8_t lo = 255, hi = 0;
    int32_t s = 0;

    for (uint32_t y = 0; y < 8; y++)
        for (uint32_t x = 0; x < 8; x++) {
            const uint8_t v = b[(size_t)y * stride + x];
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
    *flat = lo == hi;
    if (lo == 0 || hi == 255)
        return -1;
    for (uint32_t y = 1; y < 7; y++) {
        const uint8_t *r = b + (size_t)y * stride;
        for (uint32_t x = 1; x < 7; x++)
            s += abs(4 * r[x] - r[x - 1] - r[x + 1] - r[(ptrdiff_t)x - (ptrdiff_t)stride] -
                     r[x + stride]);
    }
    return s;
}

void idp_measure_screen(const idp_image *grey, idp_screen_evidence *out)
{
    const uint32_t w = grey->width, h = grey->height, bw = w / 8, bh = h / 8;
    const size_t stride = idp_image_stride(grey);
    uint32_t hist[NOISE_BINS];
    uint64_t flat = 0, unclipped = 0;
    int ends;

    memset(out, 0, sizeof(*out));
    out->quiet_noise = (double)NAN;
    if (grey->channels != 1 || bw == 0 || bh == 0)
        return;
    out->status_bar = is_bar(grey, 0, &ends) && ends;
    out->nav_bar = is_bar(grey, 1, &ends) != 0;
    memset(hist, 0, sizeof(hist));
    for (uint32_t by = 0; by < bh; by++) {
        for (uint32_t bx = 0; bx < bw; bx++) {
            int is_flat;
            const int32_t s = block_noise(grey->data + (size_t)by * 8 * stride + (size_t)bx * 8,
                                          stride, &is_flat);
            flat += (uint64_t)is_flat;
            if (s >= 0) {
                hist[s < NOISE_BINS ? s : NOISE_BINS - 1]++;
                unclipped++;
            }
        }
    }
    out->flat = (double)flat / ((double)bw * bh);
    if (unclipped >= MIN_BLOCKS) {
        /* the tenth percentile: the quietest tenth of the blocks */
        const uint64_t want = (unclipped + 9) / 10;
        uint64_t seen = 0;
        uint32_t v = 0;
        for (; v < NOISE_BINS; v++) {
            seen += hist[v];
            if (seen >= want)
                break;
        }
        out->quiet_noise = (double)v / (36.0 * 4.0);
    }
}
