/* idp_mrz_match: a name as the seller writes it compared with the name in
 * a machine-readable zone, the ICAO 9303 way (part 3, section 6): letters
 * transliterated to A-Z (Müller -> MUELLER or MULLER, Łukasz -> LUKASZ,
 * ß -> SS, Cyrillic by the ICAO table), hyphens, spaces, commas and
 * apostrophes as fillers, the order of surnames and given names free, a
 * name the zone cut short at the end of its field accepted as a prefix.
 * Pure: no I/O, no allocation. See docs/mrz.md. */
#ifndef IDP_MRZ_MATCH_H
#define IDP_MRZ_MATCH_H

#include "idp_ctx.h"
#include "idp_mrz.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum idp_name_match {
    IDP_NAME_MATCH = 0, /* the same name */
    IDP_NAME_DIFFERENT, /* not the same name */
    IDP_NAME_UNKNOWN,   /* not comparable: a letter with no ICAO transliteration
                         * (Greek, Arabic, CJK ...), no name in the zone, too many parts */
    IDP_NAME_MISREAD    /* the same name if letters of the zone were misread: at most
                         * one a word of four letters or more, each a letter the reader
                         * is measured to make of the name's (docs/mrz.md, "Misread letters") */
} idp_name_match;

/* Compares full_name (UTF-8) with the zone's surname and given names
 * (A-Z, words separated by spaces, as idp_mrz holds them). truncated: the
 * zone's name field is full, so its last word may be cut short and names
 * after it left out. misread: when the names differ, IDP_NAME_MISREAD if
 * they are the same but for misread letters (see the enum), rather than
 * IDP_NAME_DIFFERENT. */
idp_name_match idp_name_compare(const char *full_name, const char *surname, const char *given,
                                bool truncated, bool misread) IDP_NONNULL(1, 2, 3);

/* The zone's name from its line, as the comparison takes it: up to the
 * first run of three fillers (the fillers after a name, which a reader
 * may take for letters, are not part of it), the surname before "<<", the
 * given names after it, words separated by a space. *truncated: the
 * field is full to its end (the name may have been cut). False when the
 * zone has no name field. */
bool idp_mrz_name_parts(const idp_mrz *mrz, char surname[48], char given[48], bool *truncated)
    IDP_NONNULL(1, 2, 3, 4);

/* idp_name_compare on the name of idp_mrz_name_parts; misread letters
 * allowed when the template reader read the zone (engine "ocrb"). */
idp_name_match idp_mrz_name_compare(const idp_mrz *mrz, const char *full_name) IDP_NONNULL(1, 2);

/* full_name as a zone would write it (first transliteration of each
 * letter, words separated by one space) into buf; letters with no
 * transliteration become '?'. For messages. */
void idp_name_icao(const char *full_name, char *buf, size_t size) IDP_NONNULL(1, 2);

#endif
