/* "Now" and "today" for the tool. Today is the seller's local day (TZ),
 * because an ID that expires today is valid until the seller's midnight and
 * the letter is dated the day the seller signs it. A fixed date (--date,
 * SOURCE_DATE_EPOCH) is a reproducible build: its UTC day, whatever the
 * machine's zone. IDPACK_NOW replaces the clock (a test hook). */
#include "tool.h"

#include "idp_build.h"
#include "idp_util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool tool_now(int64_t *out)
{
    const char *v = getenv("IDPACK_NOW");
    char *end;
    long long n;

    if (v == NULL || *v == '\0') {
        *out = (int64_t)time(NULL);
        return true;
    }
    if (tool_parse_time(v, out))
        return true;
    errno = 0;
    n = strtoll(v, &end, 10);
    if (errno != 0 || *end != '\0' || n < 0 || n > 253402300799LL)
        return false;
    *out = n;
    return true;
}

bool tool_date_fixed(const char *date_opt)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    return date_opt != NULL || (sde != NULL && *sde != '\0');
}

void tool_set_today(tool_build_req *bo, const char *date_opt, char day[IDP_DAY_LEN])
{
    char zone[64];

    if (tool_date_fixed(date_opt)) {
        bo->today = NULL; /* the UTC day of bo->date */
        return;
    }
    idp_local_day(bo->date, day, zone, sizeof(zone));
    bo->today = day;
}

void tool_today_of(const tool_build_req *bo, char day[IDP_DAY_LEN], char *zone, size_t size)
{
    if (bo->today == NULL) {
        idp_utc_day(bo->date, day);
        snprintf(zone, size, "UTC (fixed date)");
        return;
    }
    idp_local_day(bo->date, day, zone, size);
}

bool tool_today(const char *cmd, char day[IDP_DAY_LEN], char *zone, size_t size)
{
    int64_t t;

    if (!tool_request_date(cmd, NULL, &t))
        return false;
    if (tool_date_fixed(NULL)) {
        idp_utc_day(t, day);
        snprintf(zone, size, "UTC (fixed date)");
    } else {
        idp_local_day(t, day, zone, size);
    }
    return true;
}
