/* idp_date: calendar days. "Today" for a seller is the day on the seller's
 * own calendar (an ID that expires today is still valid until the local
 * midnight), so the tool asks for the local day of "now" and the library
 * compares and prints days, never instants. */
#ifndef IDP_DATE_H
#define IDP_DATE_H

#include "idp_ctx.h"
#include "idp_util.h" /* IDP_DAY_LEN, idp_local_day, idp_utc_day, idp_time_parse_iso, idp_format_date */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Days in month m (1..12) of year y (Gregorian leap years). */
int idp_days_in_month(int y, int m);

/* Whether y-m-d is a real calendar date with the year in 1900..2199 (the
 * years an ID, a letter or a birth date can have). */
bool idp_date_valid(int y, int m, int d);

/* y-m-d (a real date, as idp_date_valid says) as YYYY-MM-DD. */
void idp_date_format(int y, int m, int d, char day[IDP_DAY_LEN]) IDP_NONNULL(4);

/* Days since 1970-01-01 of the proleptic Gregorian date y-m-d (m 1..12). */
int64_t idp_days_from_civil(int64_t y, int m, int d);

/* Days from day a to day b (YYYY-MM-DD each, as idp_date_parse_iso
 * reads them but any year): b - a, 0 if either is not a date. */
long idp_date_days_between(const char *a, const char *b) IDP_NONNULL(1, 2);

/* Parses YYYY-MM-DD, a real calendar date with the year in 1900..2199.
 * Returns 1 with *y, *m, *d set, else 0. */
int idp_date_parse_iso(const char *s, int *y, int *m, int *d) IDP_NONNULL(1, 2, 3, 4);

#endif
