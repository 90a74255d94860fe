#define _DEFAULT_SOURCE 1 /* struct tm tm_zone */
#include "idp_date.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int idp_days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

bool idp_date_valid(int y, int m, int d)
{
    return y >= 1900 && y <= 2199 && m >= 1 && m <= 12 && d >= 1 && d <= idp_days_in_month(y, m);
}

void idp_date_format(int y, int m, int d, char day[IDP_DAY_LEN])
{
    snprintf(day, IDP_DAY_LEN, "%04d-%02d-%02d", y, m, d);
}

int64_t idp_days_from_civil(int64_t y, int m, int d)
{
    /* H. Hinnant's days_from_civil */
    unsigned um = (unsigned)m, ud = (unsigned)d;
    y -= um <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (um + (um > 2 ? (unsigned)-3 : 9)) + 2) / 5 + ud - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* YYYY-MM-DD at the start of s, any year, a real day: 1 with y, m, d. */
static int day_fields(const char *s, int *y, int *m, int *d)
{
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return 0;
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    *m = (s[5] - '0') * 10 + (s[6] - '0');
    *d = (s[8] - '0') * 10 + (s[9] - '0');
    return *m >= 1 && *m <= 12 && *d >= 1 && *d <= idp_days_in_month(*y, *m);
}

long idp_date_days_between(const char *a, const char *b)
{
    int ya, ma, da, yb, mb, db;

    if (!day_fields(a, &ya, &ma, &da) || !day_fields(b, &yb, &mb, &db))
        return 0;
    return (long)(idp_days_from_civil(yb, mb, db) - idp_days_from_civil(ya, ma, da));
}

/* Two digits at s, at most max: 1 with *v. */
static int two(const char *s, int max, int *v)
{
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return 0;
    *v = (s[0] - '0') * 10 + (s[1] - '0');
    return *v <= max;
}

bool idp_time_parse_iso(const char *s, int64_t *out)
{
    size_t len = strlen(s);
    int y, m, d, h = 0, mi = 0, sec = 0;

    if (len != 10 && len != 17 && len != 20)
        return false;
    if (!day_fields(s, &y, &m, &d) || y < 1970)
        return false;
    if (len > 10 && (s[10] != 'T' || !two(s + 11, 23, &h) || s[13] != ':' ||
                     !two(s + 14, 59, &mi) || s[len - 1] != 'Z'))
        return false;
    if (len == 20 && (s[16] != ':' || !two(s + 17, 59, &sec)))
        return false;
    *out = idp_days_from_civil(y, m, d) * 86400 + h * 3600 + mi * 60 + sec;
    return true;
}

void idp_format_date(int64_t t, bool with_time, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (gmtime_r(&tt, &tm) == NULL) {
        const char *zero = with_time ? "1970-01-01T00:00:00Z" : "1970-01-01";
        if ((size_t)snprintf(buf, size, "%s", zero) >= size && size > 0)
            buf[0] = '\0';
        return;
    }
    if (strftime(buf, size, with_time ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d", &tm) == 0 && size > 0)
        buf[0] = '\0'; /* too small: the contents would be undefined */
}

int idp_date_parse_iso(const char *s, int *y, int *m, int *d)
{
    if (strlen(s) != 10 || !day_fields(s, y, m, d))
        return 0;
    return idp_date_valid(*y, *m, *d);
}

static void day_of(const struct tm *tm, char day[IDP_DAY_LEN])
{
    unsigned y = (unsigned)(tm->tm_year + 1900) % 10000u, m = (unsigned)tm->tm_mon % 12u + 1u,
             d = (unsigned)tm->tm_mday % 32u;
    snprintf(day, IDP_DAY_LEN, "%04u-%02u-%02u", y, m, d);
}

void idp_utc_day(int64_t t, char day[IDP_DAY_LEN])
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (gmtime_r(&tt, &tm) == NULL) {
        snprintf(day, IDP_DAY_LEN, "1970-01-01");
        return;
    }
    day_of(&tm, day);
}

void idp_local_day(int64_t t, char day[IDP_DAY_LEN], char *zone, size_t zone_size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    char off[8];

    tzset();
    if (localtime_r(&tt, &tm) == NULL) {
        idp_utc_day(t, day);
        snprintf(zone, zone_size, "UTC");
        return;
    }
    day_of(&tm, day);
    if (strftime(off, sizeof(off), "%z", &tm) == 0)
        off[0] = '\0';
    snprintf(zone, zone_size, "%s%s%s", tm.tm_zone != NULL ? tm.tm_zone : "", off[0] ? " " : "",
             off);
}
