#include "idp_stats.h"

#include <stdlib.h>

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void idp_sort_doubles(double *v, size_t n)
{
    if (n > 1)
        qsort(v, n, sizeof(v[0]), cmp_double);
}

double idp_median(double *v, size_t n)
{
    if (n == 0)
        return 0;
    idp_sort_doubles(v, n);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double idp_quantile(double *v, size_t n, double q)
{
    if (n == 0)
        return 0;
    idp_sort_doubles(v, n);
    q = q < 0 ? 0 : q > 1 ? 1 : q;
    return v[(size_t)(q * (double)(n - 1) + 0.5)];
}

double idp_hist_percentile(const uint64_t hist[256], uint64_t n, double q)
{
    const double want = q * (double)n;
    uint64_t run = 0;

    for (unsigned v = 0; v < 256; v++) {
        run += hist[v];
        if ((double)run >= want)
            return (double)v;
    }
    return 255.0;
}
