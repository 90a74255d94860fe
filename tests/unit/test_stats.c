/* The order statistics (idp_stats.c) and the canonical order's side
 * tracking (idp_det_canonical_order_side, idp_quad.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_detect_int.h"
#include "idp_stats.h"

#include <string.h>

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

/* Whether side k of q joins points a and b (either way). */
static bool side_joins(const double q[4][2], int k, const double a[2], const double b[2])
{
    const double *p = q[k], *r = q[(k + 1) % 4];
    const bool fwd = p[0] == a[0] && p[1] == a[1] && r[0] == b[0] && r[1] == b[1];
    const bool back = p[0] == b[0] && p[1] == b[1] && r[0] == a[0] && r[1] == a[1];
    return fwd || back;
}

static void test_canonical_side(void **state)
{
    (void)state;
    /* a card 300 x 190, tilted, as TL TR BR BL */
    const double card[4][2] = {{100, 120}, {398, 100}, {412, 290}, {112, 310}};
    for (int rev = 0; rev < 2; rev++)
        for (int start = 0; start < 4; start++)
            for (int side = 0; side < 4; side++) {
                double q[4][2];
                for (int i = 0; i < 4; i++) {
                    const int j = rev ? (start + 4 - i) % 4 : (start + i) % 4;
                    memcpy(q[i], card[j], sizeof(q[i]));
                }
                double a[2], b[2];
                memcpy(a, q[side], sizeof(a));
                memcpy(b, q[(side + 1) % 4], sizeof(b));
                const int k = idp_det_canonical_order_side(q, side);
                assert_true(k >= 0 && k < 4);
                assert_true(side_joins(CQ(q), k, a, b));
                /* and the order is the canonical one, whatever it started as */
                assert_memory_equal(q, card, sizeof(card));
            }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sort_and_median),
        cmocka_unit_test(test_quantile),
        cmocka_unit_test(test_hist_percentile),
        cmocka_unit_test(test_canonical_side),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
