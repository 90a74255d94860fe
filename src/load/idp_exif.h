/* idp_exif: what idpack needs to know from an EXIF block (via libexif). */
#ifndef IDP_EXIF_H
#define IDP_EXIF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct idp_exif_summary {
    int orientation; /* 1..8; 0, absent or garbage give 1 */
    bool has_camera; /* Make, Model, ExposureTime or FNumber present */
    bool has_gps;    /* any GPS tag */
} idp_exif_summary;

/* Parses an EXIF block as found in a JPEG APP1 segment or a PNG eXIf
 * chunk (with or without the "Exif\0\0" prefix). Never fails: unreadable
 * data gives the defaults (orientation 1, nothing present). */
void idp_exif_summarize(const uint8_t *data, size_t len, idp_exif_summary *out);

#endif
