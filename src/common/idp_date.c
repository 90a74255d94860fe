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

int idp_date_parse_iso(const char *s, int *y, int *m, int *d)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    *m = (s[5] - '0') * 10 + (s[6] - '0');
    *d = (s[8] - '0') * 10 + (s[9] - '0');
    return *y >= 1900 && *y <= 2199 && *m >= 1 && *m <= 12 && *d >= 1 &&
           *d <= idp_days_in_month(*y, *m);
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
