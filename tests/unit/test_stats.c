/* The order statistics (idp_stats.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_stats.h"

static void test_sort_and_median(void **state)
{
    (void)state;
    double odd[] = {5, -1, 3, 3, 9};
    assert_true(idp_median(odd, 5) == 3);
    const double want[] = {-1, 3, 3, 5, 9};
    assert_memory_equal(odd, want, sizeof(want)); /* sorted in place */

    double even[] = {4, 1, 10, 2};
    assert_true(idp_median(even, 4) == 3); /* (2 + 4) / 2 */

    double one[] = {7};
    assert_true(idp_median(one, 1) == 7);
    assert_true(idp_median(NULL, 0) == 0);

    double v[] = {3, 2, 1};
    idp_sort_doubles(v, 3);
    assert_true(v[0] == 1 && v[1] == 2 && v[2] == 3);
}

static void test_quantile(void **state)
{
    (void)state;
    double v[21];
    for (int i = 0; i < 21; i++)
        v[i] = 20 - i; /* 20 .. 0, reversed */
    assert_true(idp_quantile(v, 21, 0) == 0);
    assert_true(idp_quantile(v, 21, 1) == 20);
    assert_true(idp_quantile(v, 21, 0.95) == 19); /* 0.95 * 20 = 19 */
    double w[] = {10, 20, 30, 40};
    assert_true(idp_quantile(w, 4, 0.5) == 30); /* 1.5 rounds up: index 2 */
    assert_true(idp_quantile(w, 4, 0.4) == 20); /* 1.2: index 1 */
    assert_true(idp_quantile(w, 4, -1) == 10);  /* clamped */
    assert_true(idp_quantile(w, 4, 2) == 40);   /* clamped */
    assert_true(idp_quantile(NULL, 0, 0.5) == 0);
}

static void test_hist_percentile(void **state)
{
    (void)state;
    uint64_t hist[256] = {0};
    hist[10] = 1;
    hist[50] = 98;
    hist[200] = 1;
    assert_true(idp_hist_percentile(hist, 100, 0.01) == 10);
    assert_true(idp_hist_percentile(hist, 100, 0.02) == 50);
    assert_true(idp_hist_percentile(hist, 100, 0.99) == 50);
    assert_true(idp_hist_percentile(hist, 100, 1.0) == 200);
    /* counts short of n: never reached */
    assert_true(idp_hist_percentile(hist, 1000, 0.5) == 255);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sort_and_median),
        cmocka_unit_test(test_quantile),
        cmocka_unit_test(test_hist_percentile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
