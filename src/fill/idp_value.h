/* idp_value: what a field's value may be, by kind (docs/templates.md,
 * "Field kinds"), with the reason in the messages' language when it is
 * not; dates in the formats of the template's language; country names. */
#ifndef IDP_VALUE_H
#define IDP_VALUE_H

#include "idp_template.h"

#include <stddef.h>

/* Reads a date field's value in one of the formats the template's
 * language accepts (always YYYY-MM-DD; "it", "fr", "es": D/M/YYYY; "de":
 * D.M.YYYY; "en": D/M/YYYY or M/D/YYYY only when one reading alone is a
 * real date, or both give the same day). Returns 1 with *y, *m, *d, 0 when
 * it is no date, -1 when it is an ambiguous English date. */
int idp_value_date(const char *v, const char *tlang, int *y, int *m, int *d)
    IDP_NONNULL(1, 2, 3, 4, 5);

/* Checks v (non-empty) for field f of a template in language tlang, text
 * limited to max_chars characters. Returns 1 if good, else 0 with the
 * reason in why, in the messages' language lang (idp_tr; NULL English).
 * The reason never quotes the value: it may be personal data. */
int idp_value_ok(const idp_field *f, size_t max_chars, const char *v, const char *tlang,
                 const char *lang, char *why, size_t size) IDP_NONNULL(1, 3, 4, 6);

/* The name of the country with ISO 3166-1 alpha-2 code in language lang
 * (English for a language without names), or NULL for a code that is not
 * assigned. Generated from Debian's iso-codes: src/fill/idp_countries.c. */
const char *idp_country_name(const char *code, const char *lang) IDP_NONNULL(1, 2);

#endif
