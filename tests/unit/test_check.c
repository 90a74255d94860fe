/* The checks: names, pass/warn/fail on synthetic photos, the verdict,
 * duplicate pairing, load errors, and the plain-language messages. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_check.h"
#include "idp_measure.h"
#include "testutil.h"
#include "testutil_image.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static idp_ctx *ctx;
static idp_policy policy;

static int setup(void **state)
{
    (void)state;
    idp_policy_default(&policy);
    /* The synthetic frames below are tiles of colour whose borders can
     * happen to outline a card-shaped quad: these tests measure the whole
     * frame. test_generated_photos runs with the defaults (detection on),
     * test_detect.c tests the detection. */
    policy.detect = 0;
    return idp_ctx_create(&ctx) == IDP_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    idp_ctx_destroy(ctx);
    return 0;
}

static uint32_t rnd_state = 88172645u;
static uint32_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 17;
    rnd_state ^= rnd_state << 5;
    return rnd_state;
}

static uint8_t clamp(int v)
{
    return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
}

/* A photo-like RGB image: coloured tiles with fine detail and sensor-like
 * noise, luma spread around `level` by +-`spread`. `seed` changes the
 * layout so different seeds give different pictures. */
static idp_image *photo(uint32_t w, uint32_t h, int level, int spread, uint32_t seed)
{
    idp_image *img = NULL;
    assert_int_equal(idp_image_create(ctx, w, h, 3, &img), IDP_OK);
    rnd_state = 88172645u + seed * 7919u;
    for (uint32_t y = 0; y < h; y++) {
        for (uint32_t x = 0; x < w; x++) {
            uint8_t *p = img->data + ((size_t)y * w + x) * 3;
            uint32_t tx = x * 7 / w, ty = y * 5 / h;
            int tile = (int)((tx * 3 + ty * 5 + seed) % 4);
            int fine = ((x / 3 + y / 3) & 1) ? spread / 2 : -spread / 2;
            int n = (int)(rnd() % 7) - 3;
            int base = level + fine + n + (seed ? (int)((tx + ty * 2 + seed) % 3) * 8 - 8 : 0);
            int r = base, g = base, b = base;
            if (tile == 0)
                r += spread / 2, b -= spread / 2;
            else if (tile == 1)
                b += spread / 2, r -= spread / 2;
            else if (tile == 2)
                g += spread / 3;
            p[0] = clamp(r);
            p[1] = clamp(g);
            p[2] = clamp(b);
        }
    }
    return img;
}

static void run(const idp_image *img, const idp_image_info *info, idp_check_report *r)
{
    assert_int_equal(idp_check_image(ctx, img, info, &policy, r), IDP_OK);
}

static const idp_check_result *need(const idp_check_report *r, idp_check_id id)
{
    const idp_check_result *c = idp_report_find(r, id);
    if (c == NULL)
        fail_msg("check %s missing", idp_check_name(id));
    return c;
}

static void expect(const idp_check_report *r, idp_check_id id, idp_check_status st,
                   idp_check_reason reason)
{
    const idp_check_result *c = need(r, id);
    if (c->status != st || c->reason != reason)
        fail_msg("%s: status %s reason %d (value %g, limit %g), expected %s reason %d",
                 idp_check_name(id), idp_check_status_name(c->status), (int)c->reason, c->value,
                 c->limit, idp_check_status_name(st), (int)reason);
}

static void test_names(void **state)
{
    static const char *const want[IDP_CHECK_COUNT] = {
        "decode", "limits",     "resolution", "sharpness", "exposure", "glare",
        "colour", "screenshot", "duplicate",  "document",  "corners",  "expiry"};
    (void)state;
    for (int i = 0; i < IDP_CHECK_COUNT; i++)
        assert_string_equal(idp_check_name((idp_check_id)i), want[i]);
    assert_string_equal(idp_check_status_name(IDP_CHECK_PASS), "pass");
    assert_string_equal(idp_check_status_name(IDP_CHECK_WARN), "warn");
    assert_string_equal(idp_check_status_name(IDP_CHECK_FAIL), "fail");
    assert_string_equal(idp_verdict_name(IDP_VERDICT_PASS), "pass");
    assert_string_equal(idp_verdict_name(IDP_VERDICT_WARN), "warn");
    assert_string_equal(idp_verdict_name(IDP_VERDICT_FAIL), "fail");
    assert_string_equal(idp_verdict_name(IDP_VERDICT_ERROR), "error");
}

static void test_good_photo(void **state)
{
    idp_image *img = photo(3000, 2000, 128, 80, 0);
    idp_image_info info = tu_camera_info(img);
    idp_check_report r;
    (void)state;
    run(img, &info, &r);
    for (size_t i = 0; i < r.n_checks; i++)
        if (r.checks[i].status != IDP_CHECK_PASS)
            fail_msg("%s: %s (value %g, limit %g)", idp_check_name(r.checks[i].id),
                     idp_check_status_name(r.checks[i].status), r.checks[i].value,
                     r.checks[i].limit);
    assert_int_equal(r.verdict, IDP_VERDICT_PASS);
    assert_int_equal(r.load_status, IDP_OK);
    /* every single-image check, in id order */
    assert_int_equal(r.n_checks, IDP_CHECK_SCREENSHOT + 1);
    for (size_t i = 0; i < r.n_checks; i++)
        assert_int_equal(r.checks[i].id, (idp_check_id)i);
    assert_null(idp_report_find(&r, IDP_CHECK_DUPLICATE));
    assert_true(need(&r, IDP_CHECK_RESOLUTION)->value == 3000.0);
    assert_true(fabs(need(&r, IDP_CHECK_LIMITS)->value - 6.0) < 1e-9);
    assert_true(need(&r, IDP_CHECK_SHARPNESS)->value >= policy.sharpness_warn);
    assert_true(r.has_phash);
    assert_int_equal(r.info.width, 3000);

    /* the resolution is that of the full-size photo (info), not of the
     * reduced-scale decode */
    info.width = 750;
    info.height = 500;
    run(img, &info, &r);
    expect(&r, IDP_CHECK_RESOLUTION, IDP_CHECK_WARN, IDP_REASON_LOW);
    assert_true(need(&r, IDP_CHECK_RESOLUTION)->value == 750.0);
    assert_true(need(&r, IDP_CHECK_RESOLUTION)->limit == policy.resolution_warn);
    assert_int_equal(r.verdict, IDP_VERDICT_WARN);
    info.width = 500;
    info.height = 400;
    run(img, &info, &r);
    expect(&r, IDP_CHECK_RESOLUTION, IDP_CHECK_FAIL, IDP_REASON_LOW);
    assert_true(need(&r, IDP_CHECK_RESOLUTION)->limit == policy.resolution_fail);
    assert_int_equal(r.verdict, IDP_VERDICT_FAIL);
    idp_image_destroy(img);
}

static void test_blur_and_flat(void **state)
{
    idp_image *img = NULL;
    idp_image_info info;
    idp_check_report r;
    (void)state;
    assert_int_equal(idp_image_create(ctx, 2000, 1500, 3, &img), IDP_OK);
    memset(img->data, 128, 2000u * 1500u * 3u);
    info = tu_camera_info(img);
    run(img, &info, &r);
    expect(&r, IDP_CHECK_SHARPNESS, IDP_CHECK_FAIL, IDP_REASON_LOW);
    assert_true(need(&r, IDP_CHECK_SHARPNESS)->value == 0.0);
    expect(&r, IDP_CHECK_COLOUR, IDP_CHECK_FAIL, IDP_REASON_GREY);
    assert_true(need(&r, IDP_CHECK_COLOUR)->limit == policy.colour_fail);
    /* nothing printed on it stands out: nothing can be read */
    expect(&r, IDP_CHECK_EXPOSURE, IDP_CHECK_FAIL, IDP_REASON_FAINT_BRIGHT);
    assert_true(need(&r, IDP_CHECK_EXPOSURE)->value == 0.0);
    /* camera data: a flat image is not called a screenshot */
    expect(&r, IDP_CHECK_SCREENSHOT, IDP_CHECK_PASS, IDP_REASON_OK);
    assert_int_equal(r.verdict, IDP_VERDICT_FAIL);
    /* without camera data, all-flat noiseless blocks look rendered */
    info.has_camera = false;
    run(img, &info, &r);
    expect(&r, IDP_CHECK_SCREENSHOT, IDP_CHECK_WARN, IDP_REASON_RENDERED);
    assert_true(need(&r, IDP_CHECK_SCREENSHOT)->value == 1.0);
    idp_image_destroy(img);
}

/* Paints a phone's status bar into rows [0, 4 %) of img: background bg,
 * a clock at the left, signal and battery at the right. */
static void status_bar(idp_image *img, uint8_t bg, uint8_t fg)
{
    const uint32_t w = img->width, h = img->height;
    for (uint32_t y = 0; y < h * 4 / 100; y++)
        for (uint32_t x = 0; x < w; x++) {
            const bool glyph = y > h / 100 && y < h * 3 / 100 &&
                               ((x > w / 20 && x < w / 5 && (x / 9) % 3 != 2) ||
                                (x > w * 4 / 5 && x < w * 19 / 20));
            memset(img->data + ((size_t)y * w + x) * 3, glyph ? fg : bg, 3);
        }
}

static void test_screenshot_evidence(void **state)
{
    idp_image *img = photo(1170, 2532, 128, 80, 0);
    idp_image_info info = tu_camera_info(img);
    idp_check_report r;
    (void)state;
    info.has_camera = false;
    /* a status bar over a camera photo (noisy, few flat blocks): warn */
    status_bar(img, 255, 0);
    run(img, &info, &r);
    expect(&r, IDP_CHECK_SCREENSHOT, IDP_CHECK_WARN, IDP_REASON_SCREEN_BARS);
    /* and with a flat UI over most of the screen: a screenshot, fail */
    for (uint32_t y = 2532 / 20; y < 2532 * 7 / 10; y++)
        memset(img->data + (size_t)y * 1170 * 3, 242, 1170u * 3u);
    run(img, &info, &r);
    expect(&r, IDP_CHECK_SCREENSHOT, IDP_CHECK_FAIL, IDP_REASON_SCREEN_BARS);
    assert_true(need(&r, IDP_CHECK_SCREENSHOT)->value > policy.screenshot_flat_warn);
    assert_int_equal(r.verdict, IDP_VERDICT_FAIL);
    /* dark mode too */
    status_bar(img, 0, 250);
    run(img, &info, &r);
    expect(&r, IDP_CHECK_SCREENSHOT, IDP_CHECK_FAIL, IDP_REASON_SCREEN_BARS);
    /* camera data: never a screenshot */
    info.has_camera = true;
    run(img, &info, &r);
    expect(&r, IDP_CHECK_SCREENSHOT, IDP_CHECK_PASS, IDP_REASON_OK);
    /* the policy's noise limit: 0 means no picture is ever noiseless */
    info.has_camera = false;
    policy.screenshot_noise = 0;
    run(img, &info, &r);
    expect(&r, IDP_CHECK_SCREENSHOT, IDP_CHECK_WARN, IDP_REASON_SCREEN_BARS);
    idp_policy_default(&policy);
    policy.detect = 0;
    idp_image_destroy(img);
}

static void test_exposure_and_glare(void **state)
{
    idp_image *img;
    idp_image_info info;
    idp_check_report r;
    (void)state;
    img = photo(1600, 1200, 22, 20, 0);
    info = tu_camera_info(img);
    run(img, &info, &r);
    expect(&r, IDP_CHECK_EXPOSURE, IDP_CHECK_FAIL, IDP_REASON_DARK);
    assert_true(need(&r, IDP_CHECK_EXPOSURE)->limit == policy.exposure_dark_fail);
    idp_image_destroy(img);

    /* dim, but the print still stands out: a warning about the light */
    img = photo(1600, 1200, (int)policy.exposure_dark_fail + 12, 80, 0);
    run(img, &info, &r);
    expect(&r, IDP_CHECK_EXPOSURE, IDP_CHECK_WARN, IDP_REASON_DARK);
    assert_int_equal(r.verdict, IDP_VERDICT_WARN);
    idp_image_destroy(img);

    /* a dark document with light print (a dark green passport cover with
     * gold lettering, tune seed 7301 good-portrait-doc-2: mean 43): dark,
     * but its print spans more than the 80 levels ICAO asks of OCR print,
     * so it can be read: not a failure (round 9; it failed before). Its
     * lightest print at 170, over mid-scale, shows the light was enough:
     * the dark mean is the cover's colour, no warning either (round 11; it
     * warned before). Print at 115 (still over 80 levels above the cover) is
     * lit too little to tell: a warning about the light. */
    img = photo(1600, 1200, 30, 10, 0);
    for (uint32_t y = 0; y < 1200; y++) /* lines of light print, 2 rows in 24 */
        if (y % 24 < 2)
            memset(img->data + (size_t)y * 1600 * 3, 170, 1600u * 3u);
    run(img, &info, &r);
    assert_true(need(&r, IDP_CHECK_EXPOSURE)->value < policy.exposure_dark_fail);
    expect(&r, IDP_CHECK_EXPOSURE, IDP_CHECK_PASS, IDP_REASON_OK);
    for (uint32_t y = 0; y < 1200; y++)
        if (y % 24 < 2)
            memset(img->data + (size_t)y * 1600 * 3, 115, 1600u * 3u);
    run(img, &info, &r);
    expect(&r, IDP_CHECK_EXPOSURE, IDP_CHECK_WARN, IDP_REASON_DARK);
    idp_image_destroy(img);

    /* washed out: mean 238 (no longer a failure by itself) but ink and
     * paper squeezed into a few dozen levels */
    img = photo(1600, 1200, 238, 14, 0);
    run(img, &info, &r);
    expect(&r, IDP_CHECK_EXPOSURE, IDP_CHECK_FAIL, IDP_REASON_FAINT_BRIGHT);
    assert_true(need(&r, IDP_CHECK_EXPOSURE)->value < policy.contrast_fail);
    assert_true(need(&r, IDP_CHECK_EXPOSURE)->limit == policy.contrast_fail);
    idp_image_destroy(img);

    /* all but clipped: the mean alone fails */
    img = photo(1600, 1200, 254, 0, 0);
    run(img, &info, &r);
    expect(&r, IDP_CHECK_EXPOSURE, IDP_CHECK_FAIL, IDP_REASON_BRIGHT);
    idp_image_destroy(img);

    /* a white document on a light desk: bright (mean over the old 205
     * warning) with contrasty print: readable */
    img = photo(1600, 1200, 228, 24, 0);
    for (uint32_t y = 0; y < 1200; y++) /* lines of ink, 2 rows in 24 */
        if (y % 24 < 2)
            memset(img->data + (size_t)y * 1600 * 3, 30, 1600u * 3u);
    run(img, &info, &r);
    assert_true(need(&r, IDP_CHECK_EXPOSURE)->value > 205);
    expect(&r, IDP_CHECK_EXPOSURE, IDP_CHECK_PASS, IDP_REASON_OK);
    idp_image_destroy(img);

    /* printed white is not glare: a sharp-edged white field over 6% */
    img = photo(1000, 1000, 128, 20, 0);
    for (uint32_t y = 0; y < 300; y++)
        for (uint32_t x = 0; x < 200; x++)
            memset(img->data + ((size_t)y * 1000 + x) * 3, 255, 3);
    run(img, &info, &r);
    expect(&r, IDP_CHECK_GLARE, IDP_CHECK_PASS, IDP_REASON_OK);
    idp_image_destroy(img);

    /* glare: a specular reflection (clipped core, Gaussian halo) over
     * about 2% then 6% of a good photo */
    for (int big = 0; big <= 1; big++) {
        const double sigma = big ? 77.0 : 44.7; /* clipped over ~10 sigma^2 px */
        img = photo(1000, 1000, 128, 20, 0);
        for (uint32_t y = 0; y < 1000; y++)
            for (uint32_t x = 0; x < 1000; x++) {
                const double dx = x - 600.0, dy = y - 450.0;
                const double add = 600.0 * exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
                uint8_t *p = img->data + ((size_t)y * 1000 + x) * 3;
                for (int c = 0; c < 3; c++)
                    p[c] = clamp((int)lround(p[c] + add));
            }
        run(img, &info, &r);
        if (big) {
            expect(&r, IDP_CHECK_GLARE, IDP_CHECK_FAIL, IDP_REASON_HIGH);
            assert_true(need(&r, IDP_CHECK_GLARE)->limit == policy.glare_fail);
            assert_int_equal(r.verdict, IDP_VERDICT_FAIL);
        } else {
            expect(&r, IDP_CHECK_GLARE, IDP_CHECK_WARN, IDP_REASON_HIGH);
            assert_true(fabs(need(&r, IDP_CHECK_GLARE)->value - 0.02) < 0.005);
            assert_true(need(&r, IDP_CHECK_GLARE)->limit == policy.glare_warn);
        }
        if (big)
            break; /* keep img for the black areas */
        idp_image_destroy(img);
    }

    /* large black areas */
    memset(img->data, 0, 1000u * 600u * 3u);
    run(img, &info, &r);
    expect(&r, IDP_CHECK_EXPOSURE, IDP_CHECK_FAIL, IDP_REASON_SHADOWS);
    idp_image_destroy(img);
}

static void test_screen_size(void **state)
{
    idp_image *img = photo(1170, 2532, 128, 80, 0);
    idp_image_info info = tu_camera_info(img);
    idp_check_report r;
    (void)state;
    run(img, &info, &r);
    expect(&r, IDP_CHECK_SCREENSHOT, IDP_CHECK_PASS, IDP_REASON_OK);
    /* a screen's size without EXIF, but sensor noise: a camera photo
     * whose EXIF a messaging app stripped */
    info.has_camera = false;
    run(img, &info, &r);
    expect(&r, IDP_CHECK_SCREENSHOT, IDP_CHECK_PASS, IDP_REASON_OK);
    assert_int_equal(r.verdict, IDP_VERDICT_PASS);
    /* noiseless parts (an eighth of the frame one exact grey, too little
     * to call it flat UI) at a screen's size: warn */
    for (uint32_t y = 0; y < 2532 / 8; y++)
        memset(img->data + (size_t)y * 1170 * 3, 200, 1170u * 3u);
    run(img, &info, &r);
    expect(&r, IDP_CHECK_SCREENSHOT, IDP_CHECK_WARN, IDP_REASON_SCREEN_SIZE);
    assert_true(need(&r, IDP_CHECK_SCREENSHOT)->value < policy.screenshot_flat_warn);
    assert_int_equal(r.verdict, IDP_VERDICT_WARN);
    /* the same, not a screen size: pass */
    info.width = 1171;
    run(img, &info, &r);
    expect(&r, IDP_CHECK_SCREENSHOT, IDP_CHECK_PASS, IDP_REASON_OK);
    idp_image_destroy(img);
}

static void test_policy_changes_outcome(void **state)
{
    idp_image *img = photo(2000, 1500, 128, 80, 0);
    idp_image_info info = tu_camera_info(img);
    idp_check_report r;
    idp_policy saved = policy;
    (void)state;
    policy.sharpness_fail = 1e6;
    policy.sharpness_warn = 1e6;
    run(img, &info, &r);
    expect(&r, IDP_CHECK_SHARPNESS, IDP_CHECK_FAIL, IDP_REASON_LOW);
    assert_true(need(&r, IDP_CHECK_SHARPNESS)->limit == 1e6);
    policy = saved;
    policy.resolution_fail = policy.resolution_warn = 2001;
    run(img, &info, &r);
    expect(&r, IDP_CHECK_RESOLUTION, IDP_CHECK_FAIL, IDP_REASON_LOW);
    policy = saved;
    idp_image_destroy(img);
}

static void test_duplicates(void **state)
{
    idp_image *a = photo(2000, 1500, 128, 80, 1), *b = photo(2000, 1500, 128, 80, 2);
    idp_image *a_small = NULL;
    idp_image_info ia = tu_camera_info(a), ib = tu_camera_info(b), is;
    idp_check_report r[4];
    (void)state;
    /* a reduced copy of a (as a chat app would send) */
    assert_int_equal(idp_measure_grey(ctx, a, 600, &a_small), IDP_OK);
    is = tu_camera_info(a_small);
    run(a, &ia, &r[0]);
    run(b, &ib, &r[1]);
    run(a_small, &is, &r[2]);
    memset(&r[3], 0, sizeof(r[3]));
    r[3].verdict = IDP_VERDICT_ERROR;
    r[3].phash = r[0].phash; /* an unreadable photo is never compared */

    /* a single photo: nothing to compare */
    idp_check_duplicates(r, 1, &policy);
    assert_null(idp_report_find(&r[0], IDP_CHECK_DUPLICATE));

    /* front + back: both pass */
    idp_check_duplicates(r, 2, &policy);
    expect(&r[0], IDP_CHECK_DUPLICATE, IDP_CHECK_PASS, IDP_REASON_OK);
    expect(&r[1], IDP_CHECK_DUPLICATE, IDP_CHECK_PASS, IDP_REASON_OK);
    assert_true(need(&r[0], IDP_CHECK_DUPLICATE)->value > policy.duplicate_max_distance);
    assert_int_equal(need(&r[0], IDP_CHECK_DUPLICATE)->other, -1);
    assert_int_equal(r[0].n_checks, IDP_CHECK_DUPLICATE + 1);
    assert_int_equal(r[0].checks[r[0].n_checks - 1].id, IDP_CHECK_DUPLICATE);

    /* front, back, front again (reduced), an unreadable one */
    idp_check_duplicates(r, 4, &policy);
    expect(&r[0], IDP_CHECK_DUPLICATE, IDP_CHECK_FAIL, IDP_REASON_SAME_AS);
    expect(&r[2], IDP_CHECK_DUPLICATE, IDP_CHECK_FAIL, IDP_REASON_SAME_AS);
    expect(&r[1], IDP_CHECK_DUPLICATE, IDP_CHECK_PASS, IDP_REASON_OK);
    assert_int_equal(need(&r[0], IDP_CHECK_DUPLICATE)->other, 2);
    assert_int_equal(need(&r[2], IDP_CHECK_DUPLICATE)->other, 0);
    assert_true(need(&r[0], IDP_CHECK_DUPLICATE)->value <= policy.duplicate_max_distance);
    assert_int_equal(r[0].verdict, IDP_VERDICT_FAIL);
    assert_int_equal(r[2].verdict, IDP_VERDICT_FAIL);
    assert_int_equal(r[1].verdict, IDP_VERDICT_PASS);
    assert_int_equal(r[3].verdict, IDP_VERDICT_ERROR);
    assert_int_equal(r[3].n_checks, 0);
    /* run again: the check is replaced, not added twice */
    idp_check_duplicates(r, 4, &policy);
    assert_int_equal(r[0].n_checks, IDP_CHECK_DUPLICATE + 1);

    idp_image_destroy(a);
    idp_image_destroy(b);
    idp_image_destroy(a_small);
}

static void test_file_errors(void **state)
{
    idp_check_report r;
    const char *dir = tu_tmpdir();
    const char *missing = tu_path(dir, "missing.jpg");
    const char *text = tu_path(dir, "text.jpg");
    const char *big = tu_path(tu_env("IDP_CORPUS"), "exif-orientation/Landscape_1.jpg");
    idp_limits lim, saved;
    FILE *f;
    idp_status st;
    (void)state;

    st = idp_check_file(ctx, missing, &policy, &r);
    assert_int_not_equal(st, IDP_OK);
    assert_int_equal(r.verdict, IDP_VERDICT_ERROR);
    assert_int_equal(r.load_status, st);
    assert_int_equal(r.n_checks, 1);
    expect(&r, IDP_CHECK_DECODE, IDP_CHECK_FAIL, IDP_REASON_UNREADABLE);
    assert_non_null(strstr(idp_ctx_error(ctx), missing));

    f = fopen(text, "wb");
    assert_non_null(f);
    fputs("this is not a photo\n", f);
    fclose(f);
    st = idp_check_file(ctx, text, &policy, &r);
    assert_int_not_equal(st, IDP_OK);
    assert_int_equal(r.verdict, IDP_VERDICT_ERROR);
    expect(&r, IDP_CHECK_DECODE, IDP_CHECK_FAIL, IDP_REASON_UNREADABLE);
    assert_non_null(strstr(idp_ctx_error(ctx), text));

    /* over the pixel limit: the limits check fails */
    saved = *idp_ctx_limits(ctx);
    lim = saved;
    lim.max_pixels = 1000000;
    idp_ctx_set_limits(ctx, &lim);
    st = idp_check_file(ctx, big, &policy, &r);
    idp_ctx_set_limits(ctx, &saved);
    assert_int_equal(st, IDP_E_LIMITS);
    assert_int_equal(r.verdict, IDP_VERDICT_ERROR);
    expect(&r, IDP_CHECK_LIMITS, IDP_CHECK_FAIL, IDP_REASON_TOO_LARGE);
    assert_true(need(&r, IDP_CHECK_LIMITS)->limit == 1.0);
    assert_null(idp_report_find(&r, IDP_CHECK_SHARPNESS));
}

static void test_file_real_photo(void **state)
{
    idp_check_report r;
    const char *corpus = tu_env("IDP_CORPUS");
    (void)state;
    /* real camera photos: readable, full-size resolution, sharp */
    assert_int_equal(
        idp_check_file(ctx, tu_path(corpus, "exif-orientation/Portrait_6.jpg"), &policy, &r),
        IDP_OK);
    assert_int_not_equal(r.verdict, IDP_VERDICT_ERROR);
    assert_true(r.verdict != IDP_VERDICT_FAIL);
    assert_int_equal(r.info.width, 1200);
    assert_int_equal(r.info.height, 1800);
    assert_true(need(&r, IDP_CHECK_RESOLUTION)->value == 1800.0);
    expect(&r, IDP_CHECK_SHARPNESS, IDP_CHECK_PASS, IDP_REASON_OK);
    expect(&r, IDP_CHECK_DECODE, IDP_CHECK_PASS, IDP_REASON_OK);
    assert_true(r.has_phash);
}

/* The generated test photos (tests/images): the reason behind each
 * decision, which the JSON output does not show. */
static void test_generated_photos(void **state)
{
    static const struct {
        const char *file;
        idp_check_id id;
        idp_check_status status;
        idp_check_reason reason;
    } cases[] = {
        {"dark.jpg", IDP_CHECK_EXPOSURE, IDP_CHECK_FAIL, IDP_REASON_DARK},
        {"overexposed.jpg", IDP_CHECK_EXPOSURE, IDP_CHECK_FAIL, IDP_REASON_FAINT_BRIGHT},
        {"glare.jpg", IDP_CHECK_GLARE, IDP_CHECK_FAIL, IDP_REASON_HIGH},
        {"glare-small.jpg", IDP_CHECK_GLARE, IDP_CHECK_WARN, IDP_REASON_HIGH},
        {"bw.jpg", IDP_CHECK_COLOUR, IDP_CHECK_FAIL, IDP_REASON_GREY},
        {"grey.png", IDP_CHECK_COLOUR, IDP_CHECK_FAIL, IDP_REASON_GREY},
        {"sharp.jpg", IDP_CHECK_COLOUR, IDP_CHECK_PASS, IDP_REASON_OK},
        {"screenshot.png", IDP_CHECK_SCREENSHOT, IDP_CHECK_FAIL, IDP_REASON_SCREEN_BARS},
        {"sharp.jpg", IDP_CHECK_SCREENSHOT, IDP_CHECK_PASS, IDP_REASON_OK},
        {"blurred.jpg", IDP_CHECK_SHARPNESS, IDP_CHECK_FAIL, IDP_REASON_LOW},
        {"slightly-blurred.jpg", IDP_CHECK_SHARPNESS, IDP_CHECK_WARN, IDP_REASON_LOW},
        {"sharp.jpg", IDP_CHECK_DOCUMENT, IDP_CHECK_PASS, IDP_REASON_OK},
        {"sharp.jpg", IDP_CHECK_CORNERS, IDP_CHECK_PASS, IDP_REASON_OK},
        {"tiny.jpg", IDP_CHECK_RESOLUTION, IDP_CHECK_FAIL, IDP_REASON_LOW},
        {"rotated6.jpg", IDP_CHECK_SCREENSHOT, IDP_CHECK_PASS, IDP_REASON_OK},
        {"bomb.png", IDP_CHECK_LIMITS, IDP_CHECK_FAIL, IDP_REASON_TOO_LARGE},
        {"truncated.jpg", IDP_CHECK_DECODE, IDP_CHECK_FAIL, IDP_REASON_UNREADABLE},
    };
    const char *dir = tu_env("IDP_TESTIMG");
    idp_check_report r[3];
    idp_policy def, frame;
    (void)state;
    idp_policy_default(&def); /* detection on: measured on the document */
    assert_int_equal(def.detect, 1);
    /* the zone is read by default; the generated fronts carry none, so
     * the counts below have no expiry check */
    assert_int_equal(def.mrz_read, 1);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        idp_status st = idp_check_file(ctx, tu_path(dir, cases[i].file), &def, &r[0]);
        if (cases[i].id == IDP_CHECK_DECODE || cases[i].id == IDP_CHECK_LIMITS)
            assert_int_not_equal(st, IDP_OK);
        else if (st != IDP_OK)
            fail_msg("%s: %s", cases[i].file, idp_ctx_error(ctx));
        expect(&r[0], cases[i].id, cases[i].status, cases[i].reason);
    }
    /* sharpness is measured on the document, against its own limit; on the
     * whole frame (detection off, or no document) against frame_warn */
    assert_int_equal(idp_check_file(ctx, tu_path(dir, "sharp.jpg"), &def, &r[0]), IDP_OK);
    assert_int_equal(r[0].n_checks, IDP_CHECK_CORNERS); /* decode..corners but duplicate */
    assert_true(r[0].document.found);
    assert_true(need(&r[0], IDP_CHECK_SHARPNESS)->limit == def.sharpness_warn);
    assert_true(need(&r[0], IDP_CHECK_RESOLUTION)->value < r[0].info.width);
    frame = def;
    frame.detect = 0;
    assert_int_equal(idp_check_file(ctx, tu_path(dir, "sharp.jpg"), &frame, &r[1]), IDP_OK);
    assert_int_equal(r[1].n_checks, IDP_CHECK_SCREENSHOT + 1);
    assert_true(need(&r[1], IDP_CHECK_SHARPNESS)->limit == def.sharpness_frame_warn);
    assert_true(need(&r[1], IDP_CHECK_RESOLUTION)->value == r[1].info.width);
    /* the background dilutes the frame's measure */
    assert_true(need(&r[0], IDP_CHECK_SHARPNESS)->value > need(&r[1], IDP_CHECK_SHARPNESS)->value);
    assert_int_equal(idp_check_file(ctx, tu_path(dir, "slightly-blurred.jpg"), &frame, &r[1]),
                     IDP_OK);
    expect(&r[1], IDP_CHECK_SHARPNESS, IDP_CHECK_WARN, IDP_REASON_LOW);

    /* rotated with EXIF 6: measured upright, full size */
    assert_int_equal(idp_check_file(ctx, tu_path(dir, "rotated6.jpg"), &policy, &r[0]), IDP_OK);
    assert_true(r[0].info.has_camera);
    assert_int_equal(r[0].info.width, 3000);
    assert_int_equal(r[0].info.height, 2000);

    /* front, back, and the front re-encoded smaller: on the frames
     * (detection off), the same photo */
    assert_int_equal(idp_check_file(ctx, tu_path(dir, "sharp.jpg"), &policy, &r[0]), IDP_OK);
    assert_int_equal(idp_check_file(ctx, tu_path(dir, "back.jpg"), &policy, &r[1]), IDP_OK);
    assert_int_equal(idp_check_file(ctx, tu_path(dir, "front-copy.jpg"), &policy, &r[2]), IDP_OK);
    assert_false(r[0].has_doc_hash || r[1].has_doc_hash || r[2].has_doc_hash);
    idp_check_duplicates(r, 3, &policy);
    expect(&r[0], IDP_CHECK_DUPLICATE, IDP_CHECK_FAIL, IDP_REASON_SAME_AS);
    expect(&r[1], IDP_CHECK_DUPLICATE, IDP_CHECK_PASS, IDP_REASON_OK);
    expect(&r[2], IDP_CHECK_DUPLICATE, IDP_CHECK_FAIL, IDP_REASON_SAME_AS);
    /* with the documents found, their hashes decide: the same side */
    assert_int_equal(idp_check_file(ctx, tu_path(dir, "sharp.jpg"), &def, &r[0]), IDP_OK);
    assert_int_equal(idp_check_file(ctx, tu_path(dir, "back.jpg"), &def, &r[1]), IDP_OK);
    assert_int_equal(idp_check_file(ctx, tu_path(dir, "front-copy.jpg"), &def, &r[2]), IDP_OK);
    idp_check_duplicates(r, 3, &def);
    assert_true(r[0].has_doc_hash && r[1].has_doc_hash && r[2].has_doc_hash);
    expect(&r[0], IDP_CHECK_DUPLICATE, IDP_CHECK_FAIL, IDP_REASON_SAME_SIDE);
    expect(&r[1], IDP_CHECK_DUPLICATE, IDP_CHECK_PASS, IDP_REASON_OK);
    expect(&r[2], IDP_CHECK_DUPLICATE, IDP_CHECK_FAIL, IDP_REASON_SAME_SIDE);
    assert_int_equal(need(&r[0], IDP_CHECK_DUPLICATE)->other, 2);
    assert_int_equal(need(&r[2], IDP_CHECK_DUPLICATE)->other, 0);
}

static void test_describe(void **state)
{
    static const char *const langs[] = {"en", "it", NULL, "de"};
    idp_check_result c;
    char buf[512], small[10];
    (void)state;
    memset(&c, 0, sizeof(c));
    c.other = 1;
    for (int id = 0; id < IDP_CHECK_COUNT; id++)
        for (int st = IDP_CHECK_PASS; st <= IDP_CHECK_FAIL; st++)
            for (int rs = IDP_REASON_OK; rs <= IDP_REASON_SAME_SIDE; rs++)
                for (size_t l = 0; l < sizeof(langs) / sizeof(langs[0]); l++) {
                    c.id = (idp_check_id)id;
                    c.status = (idp_check_status)st;
                    c.reason = (idp_check_reason)rs;
                    c.value = 12;
                    c.limit = 40;
                    memset(buf, 'x', sizeof(buf));
                    idp_check_describe(&c, langs[l], buf, sizeof(buf));
                    if (strlen(buf) < 3 || strchr(buf, '{') != NULL)
                        fail_msg("%s/%d/%d: \"%s\"", idp_check_name(c.id), st, rs, buf);
                    c.value = c.limit = NAN; /* no measurement: no crash */
                    idp_check_describe(&c, langs[l], buf, sizeof(buf));
                    assert_true(strlen(buf) > 0);
                }

    c.id = IDP_CHECK_SHARPNESS;
    c.status = IDP_CHECK_FAIL;
    c.reason = IDP_REASON_LOW;
    c.value = 12.3;
    c.limit = 40;
    idp_check_describe(&c, "en", buf, sizeof(buf));
    assert_string_equal(buf, "The photo is blurred (sharpness 12, needs 40): hold the phone "
                             "steady, tap to focus on the card, and retake it in good light.");
    idp_check_describe(&c, "it", buf, sizeof(buf));
    assert_string_equal(buf, "La foto è sfocata (nitidezza 12, serve 40): tieni fermo il "
                             "telefono, tocca la tessera per mettere a fuoco e scatta di nuovo "
                             "con buona luce.");
    c.status = IDP_CHECK_PASS;
    c.reason = IDP_REASON_OK;
    idp_check_describe(&c, "en", buf, sizeof(buf));
    assert_string_equal(buf, "Sharp enough.");

    /* two photos of the same side of the document */
    c.id = IDP_CHECK_DUPLICATE;
    c.status = IDP_CHECK_FAIL;
    c.reason = IDP_REASON_SAME_SIDE;
    c.value = 3;
    c.limit = 48;
    c.other = 0;
    idp_check_describe(&c, "en", buf, sizeof(buf));
    assert_non_null(strstr(buf, "same side of the document as photo 1 (difference 3, at most 48)"));
    idp_check_describe(&c, "it", buf, sizeof(buf));
    assert_non_null(strstr(buf, "stesso lato del documento della foto 1"));

    /* shares are written as percentages, with a decimal comma in Italian */
    c.id = IDP_CHECK_GLARE;
    c.status = IDP_CHECK_FAIL;
    c.reason = IDP_REASON_HIGH;
    c.value = 0.042;
    c.limit = 0.03;
    idp_check_describe(&c, "en", buf, sizeof(buf));
    assert_non_null(strstr(buf, "4.2%"));
    assert_non_null(strstr(buf, "3%"));
    idp_check_describe(&c, "it", buf, sizeof(buf));
    assert_non_null(strstr(buf, "4,2%"));

    /* the other photo is named by its 1-based number */
    c.id = IDP_CHECK_DUPLICATE;
    c.reason = IDP_REASON_SAME_AS;
    c.value = 3;
    c.limit = 10;
    c.other = 0;
    idp_check_describe(&c, "en", buf, sizeof(buf));
    assert_non_null(strstr(buf, "photo 1"));
    assert_non_null(strstr(buf, "difference 3"));

    /* different messages for different reasons */
    c.id = IDP_CHECK_EXPOSURE;
    c.reason = IDP_REASON_DARK;
    c.value = 20;
    idp_check_describe(&c, "en", buf, sizeof(buf));
    assert_non_null(strstr(buf, "dark"));
    c.reason = IDP_REASON_BRIGHT;
    c.value = 240;
    idp_check_describe(&c, "en", buf, sizeof(buf));
    assert_non_null(strstr(buf, "overexposed"));

    /* a small buffer: cut short, terminated, no half UTF-8 character */
    c.id = IDP_CHECK_SHARPNESS;
    c.reason = IDP_REASON_LOW;
    idp_check_describe(&c, "it", small, sizeof(small));
    assert_true(strlen(small) < sizeof(small));
    assert_string_equal(small, "La foto ");
    small[0] = 'Q';
    idp_check_describe(&c, "it", small, 0);
    assert_int_equal(small[0], 'Q');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_good_photo),
        cmocka_unit_test(test_blur_and_flat),
        cmocka_unit_test(test_exposure_and_glare),
        cmocka_unit_test(test_screen_size),
        cmocka_unit_test(test_policy_changes_outcome),
        cmocka_unit_test(test_screenshot_evidence),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_file_errors),
        cmocka_unit_test(test_file_real_photo),
        cmocka_unit_test(test_generated_photos),
        cmocka_unit_test(test_describe),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
