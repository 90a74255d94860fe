/* idp_date: calendar days. "Today" for a seller is the day on the seller's
 * own calendar (an ID that expires today is still valid until the local
 * midnight), so the tool asks for the local day of "now" and the library
 * compares and prints days, never instants. */
#ifndef IDP_DATE_H
#define IDP_DATE_H

#include "idp_ctx.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IDP_DAY_LEN 11 /* "YYYY-MM-DD" and its NUL */

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

/* Parses a UTC time: YYYY-MM-DD (midnight), YYYY-MM-DDTHH:MMZ or
 * YYYY-MM-DDTHH:MM:SSZ, a real date with the year in 1970..9999. True
 * with *out the Unix time. */
bool idp_time_parse_iso(const char *s, int64_t *out) IDP_NONNULL(1, 2);

/* Formats Unix time t (UTC) as "YYYY-MM-DD" (day) or
 * "YYYY-MM-DDTHH:MM:SSZ" (with_time), as the manifest and the ledger write
 * it. */
void idp_format_date(int64_t t, bool with_time, char *buf, size_t size) IDP_NONNULL(3);

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
