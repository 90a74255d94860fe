/* idp_stats: the order statistics the checks and the finder read from
 * their samples: a sort, a median, a quantile, and a percentile of an
 * 8-bit histogram. Internal to libidpack. */
#ifndef IDP_STATS_H
#define IDP_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Sorts v[0..n) ascending, in place. */
void idp_sort_doubles(double *v, size_t n);

/* The median of v[0..n) (sorted in place): the middle value, or the mean
 * of the two middle values when n is even; 0 when n is 0. */
double idp_median(double *v, size_t n);

/* The value of v[0..n) (sorted in place) at share q of the way from the
 * smallest to the largest: v[round(q * (n - 1))], q in [0, 1]; 0 when n
 * is 0. */
double idp_quantile(double *v, size_t n, double q);

/* The level (0-255) at which the cumulative count of hist first reaches
 * share q of n: the q-th percentile of the n samples counted; 255 when it
 * never does. */
double idp_hist_percentile(const uint64_t hist[256], uint64_t n, double q);

#endif
