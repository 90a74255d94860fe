/* idp_date: calendar days. "Today" for a seller is the day on the seller's
 * own calendar (an ID that expires today is still valid until the local
 * midnight), so the tool asks for the local day of "now" and the library
 * compares and prints days, never instants. */
#ifndef IDP_DATE_H
#define IDP_DATE_H

#include "idp_ctx.h"

#include <stddef.h>
#include <stdint.h>

#define IDP_DAY_LEN 11 /* "YYYY-MM-DD" and its NUL */

/* Days in month m (1..12) of year y (Gregorian leap years). */
int idp_days_in_month(int y, int m);

/* Parses YYYY-MM-DD, a real calendar date with the year in 1900..2199.
 * Returns 1 with *y, *m, *d set, else 0. */
int idp_date_parse_iso(const char *s, int *y, int *m, int *d) IDP_NONNULL(1, 2, 3, 4);

/* The day of Unix time t in the local time zone (localtime_r: the TZ
 * environment variable, else /etc/localtime), as YYYY-MM-DD in day[], and
 * the zone used in zone[] ("CET +0100"). Falls back to UTC when the
 * local time cannot be worked out (zone then says "UTC"). */
void idp_local_day(int64_t t, char day[IDP_DAY_LEN], char *zone, size_t zone_size)
    IDP_NONNULL(2, 3);

/* The UTC day of Unix time t, as YYYY-MM-DD. */
void idp_utc_day(int64_t t, char day[IDP_DAY_LEN]) IDP_NONNULL(2);

#endif
