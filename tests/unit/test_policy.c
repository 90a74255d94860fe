/* Policy defaults and policy files: good, unknown keys, wrong types,
 * contradictions, missing file. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_imghash.h"
#include "idp_policy.h"
#include "testutil.h"
#include "testutil_ctx.h"

#include <stdio.h>
#include <string.h>

/* Writes text to a new file in the private temp dir; returns its path. */
static const char *write_policy(const char *name, const char *text)
{
    const char *path = tu_path(tu_tmpdir(), name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
    return path;
}

/* Loading text must fail with IDP_E_POLICY, name the file and mention
 * `needle`, and leave the policy untouched. */
static void expect_bad(const char *name, const char *text, const char *needle)
{
    idp_policy p, before;
    const char *path = write_policy(name, text);

    idp_policy_default(&p);
    before = p;
    idp_ctx_clear(ctx);
    assert_int_equal(idp_policy_load(ctx, path, &p), IDP_E_POLICY);
    if (strstr(idp_ctx_error(ctx), path) == NULL || strstr(idp_ctx_error(ctx), needle) == NULL)
        fail_msg("error \"%s\" should name %s and %s", idp_ctx_error(ctx), path, needle);
    assert_memory_equal(&p, &before, sizeof(p));
}

static void test_defaults(void **state)
{
    idp_policy p;
    (void)state;
    memset(&p, 0xff, sizeof(p));
    idp_policy_default(&p);
    assert_int_equal(p.measure_side, 1000);
    assert_true(p.resolution_fail == 506.0);
    assert_true(p.resolution_warn == 1011.0);
    assert_true(p.glare_warn == 0.01);
    assert_true(p.glare_fail == 0.027);
    assert_true(p.sharpness_blur_mm == 0.3);
    assert_int_equal(p.detect, 1);
    /* internally consistent */
    assert_true(p.sharpness_fail > 0 && p.sharpness_fail <= p.sharpness_warn);
    assert_true(p.sharpness_fail <= p.sharpness_frame_warn);
    assert_true(p.sharpness_frame_warn < p.sharpness_warn); /* the background dilutes it */
    assert_true(p.exposure_dark_fail <= p.exposure_dark_warn);
    assert_true(p.exposure_dark_warn < p.exposure_bright_warn);
    assert_true(p.exposure_bright_warn <= p.exposure_bright_fail);
    assert_true(p.shadow_clip_fail > 0 && p.shadow_clip_fail < 1);
    assert_true(p.colour_fail > 0 && p.colour_fail <= p.colour_warn && p.colour_warn < 0.01);
    assert_true(p.contrast_fail > 0 && p.contrast_fail <= p.contrast_warn);
    assert_true(p.contrast_warn < 255);
    assert_true(p.screenshot_flat_warn > 0 && p.screenshot_flat_warn < 1);
    assert_true(p.screenshot_noise > 0 && p.screenshot_noise < 1);
    assert_true(p.duplicate_max_distance > 0 && p.duplicate_max_distance < IDP_HASH_BITS / 2);
    assert_true(p.duplicate_frame_max_distance <= p.duplicate_max_distance);
}

static void test_good_file(void **state)
{
    idp_policy p, d;
    const char *path = write_policy(
        "good.json",
        "{\"resolution\":{\"fail\":400,\"warn\":900},"
        "\"sharpness\":{\"fail\":12.5,\"warn\":30,\"frame_warn\":20,\"blur_mm\":0.45},"
        "\"exposure\":{\"dark_fail\":20,\"bright_fail\":240,\"dark_warn\":50,"
        "\"bright_warn\":220,\"shadow_clip_fail\":0.4,\"contrast_fail\":30,\"contrast_warn\":60},"
        "\"glare\":{\"warn\":0.02,\"fail\":0.05},\"colour\":{\"fail\":0.001,\"warn\":0.002},"
        "\"screenshot\":{\"flat_warn\":0.5,\"noise\":0.1},\"duplicate\":{\"max_distance\":6},"
        "\"measure_side\":800}");
    (void)state;
    idp_policy_default(&p);
    assert_int_equal(idp_policy_load(ctx, path, &p), IDP_OK);
    assert_true(p.resolution_fail == 400 && p.resolution_warn == 900);
    assert_true(p.sharpness_fail == 12.5 && p.sharpness_warn == 30);
    assert_true(p.sharpness_frame_warn == 20);
    assert_true(p.sharpness_blur_mm == 0.45);
    assert_true(p.exposure_dark_fail == 20 && p.exposure_bright_fail == 240);
    assert_true(p.exposure_dark_warn == 50 && p.exposure_bright_warn == 220);
    assert_true(p.shadow_clip_fail == 0.4);
    assert_true(p.contrast_fail == 30 && p.contrast_warn == 60);
    assert_true(p.glare_warn == 0.02 && p.glare_fail == 0.05);
    assert_true(p.colour_fail == 0.001 && p.colour_warn == 0.002);
    assert_true(p.screenshot_flat_warn == 0.5 && p.screenshot_noise == 0.1);
    assert_int_equal(p.duplicate_max_distance, 6);
    assert_int_equal(p.measure_side, 800);

    /* a partial file overrides only what it names */
    path = write_policy("partial.json", "{\"glare\": {\"warn\": 0.02}}");
    idp_policy_default(&p);
    idp_policy_default(&d);
    assert_int_equal(idp_policy_load(ctx, path, &p), IDP_OK);
    assert_true(p.glare_warn == 0.02);
    p.glare_warn = d.glare_warn;
    assert_memory_equal(&p, &d, sizeof(p));

    /* an empty object changes nothing */
    path = write_policy("empty.json", "{}\n");
    assert_int_equal(idp_policy_load(ctx, path, &p), IDP_OK);
    assert_memory_equal(&p, &d, sizeof(p));
}

static void test_unknown_keys(void **state)
{
    (void)state;
    expect_bad("top.json", "{\"sharpnes\": {\"fail\": 10}}", "sharpnes");
    expect_bad("nested.json", "{\"glare\": {\"warn\": 0.01, \"max\": 0.2}}", "glare.max");
    expect_bad("dup.json", "{\"glare\": {\"warn\": 0.01, \"warn\": 0.02}}", "warn");
}

static void test_wrong_types(void **state)
{
    (void)state;
    expect_bad("str.json", "{\"sharpness\": {\"fail\": \"40\"}}", "sharpness.fail");
    expect_bad("sect.json", "{\"sharpness\": 40}", "sharpness");
    expect_bad("int.json", "{\"measure_side\": 1000.5}", "measure_side");
    expect_bad("dist.json", "{\"duplicate\": {\"max_distance\": true}}", "duplicate.max_distance");
    expect_bad("neg.json", "{\"glare\": {\"warn\": -0.1}}", "glare.warn");
    expect_bad("range.json", "{\"glare\": {\"fail\": 3}}", "glare.fail");
    expect_bad("side.json", "{\"measure_side\": 0}", "measure_side");
    /* colour limits are shares of the frame now, no longer a chroma spread */
    expect_bad("colour.json", "{\"colour\": {\"warn\": 2}}", "colour.warn");
    expect_bad("noise.json", "{\"screenshot\": {\"noise\": -1}}", "screenshot.noise");
    expect_bad("blur.json", "{\"sharpness\": {\"blur_mm\": 0}}", "sharpness.blur_mm");
    expect_bad("array.json", "[1, 2]", "object");
    expect_bad("syntax.json", "{\"glare\": {\"warn\": 0.01,}}", "line 1");
}

static void test_contradictions(void **state)
{
    (void)state;
    expect_bad("sharp.json", "{\"sharpness\": {\"fail\": 100, \"warn\": 50}}", "sharpness.fail");
    expect_bad("frame.json", "{\"sharpness\": {\"fail\": 500}}", "sharpness.frame_warn");
    expect_bad("res.json", "{\"resolution\": {\"fail\": 1200}}", "resolution.warn");
    expect_bad("glare.json", "{\"glare\": {\"warn\": 0.05, \"fail\": 0.02}}", "glare.warn");
    expect_bad("colour2.json", "{\"colour\": {\"fail\": 0.01}}", "colour.fail");
    expect_bad("dark.json", "{\"exposure\": {\"dark_fail\": 100, \"dark_warn\": 80}}",
               "exposure.dark_fail");
    expect_bad("bright.json", "{\"exposure\": {\"bright_warn\": 240, \"bright_fail\": 230}}",
               "exposure.bright_fail");
    expect_bad("cross.json", "{\"exposure\": {\"dark_warn\": 150, \"bright_warn\": 140}}",
               "exposure.dark_warn");
    expect_bad("contrast.json", "{\"exposure\": {\"contrast_fail\": 90, \"contrast_warn\": 60}}",
               "exposure.contrast_fail");
    expect_bad("contrast-range.json", "{\"exposure\": {\"contrast_warn\": 300}}",
               "exposure.contrast_warn");
}

static void test_missing_file(void **state)
{
    idp_policy p;
    const char *path = tu_path(tu_tmpdir(), "no-such-policy.json");
    (void)state;
    idp_policy_default(&p);
    assert_int_equal(idp_policy_load(ctx, path, &p), IDP_E_NOTFOUND);
    assert_non_null(strstr(idp_ctx_error(ctx), path));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),       cmocka_unit_test(test_good_file),
        cmocka_unit_test(test_unknown_keys),   cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_contradictions), cmocka_unit_test(test_missing_file),
    };
    return cmocka_run_group_tests(tests, tu_ctx_setup, tu_ctx_teardown);
}
