/* The public API of policies, limits, checks, detection, the
 * machine-readable zone, normalising and fonts, called through idpack.h as
 * a program outside the library calls it; what the getters give is
 * compared with the structs they wrap (this program sees them), and with
 * what the internal calls give on the same input. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_font.h"
#include "idp_load.h"
#include "idpack.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_limits(void **state)
{
    idp_ctx *ctx = NULL;
    idp_limits def;
    const idp_limit all[] = {IDP_LIMIT_FILE_BYTES, IDP_LIMIT_PIXELS, IDP_LIMIT_SIDE,
                             IDP_LIMIT_DECODE_BYTES};

    (void)state;
    idp_limits_default(&def);
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(idp_ctx_limit(ctx, IDP_LIMIT_FILE_BYTES), def.max_file_bytes);
    assert_int_equal(idp_ctx_limit(ctx, IDP_LIMIT_PIXELS), def.max_pixels);
    assert_int_equal(idp_ctx_limit(ctx, IDP_LIMIT_SIDE), def.max_side);
    assert_int_equal(idp_ctx_limit(ctx, IDP_LIMIT_DECODE_BYTES), def.max_decode_bytes);
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        assert_int_equal(idp_limit_default(all[i]), idp_ctx_limit(ctx, all[i]));

    /* each setter changes its own limit only, as the struct says */
    assert_int_equal(idp_ctx_set_limit(ctx, IDP_LIMIT_FILE_BYTES, 1234), IDP_OK);
    assert_int_equal(idp_ctx_limits(ctx)->max_file_bytes, 1234);
    assert_int_equal(idp_ctx_limits(ctx)->max_pixels, def.max_pixels);
    assert_int_equal(idp_ctx_set_limit(ctx, IDP_LIMIT_PIXELS, 5678), IDP_OK);
    assert_int_equal(idp_ctx_limits(ctx)->max_pixels, 5678);
    assert_int_equal(idp_ctx_set_limit(ctx, IDP_LIMIT_SIDE, 4000), IDP_OK);
    assert_int_equal(idp_ctx_limits(ctx)->max_side, 4000);
    assert_int_equal(idp_ctx_set_limit(ctx, IDP_LIMIT_DECODE_BYTES, 0), IDP_OK); /* no budget */
    assert_int_equal(idp_ctx_limits(ctx)->max_decode_bytes, 0);

    /* refused, nothing changed */
    assert_int_equal(idp_ctx_set_limit(ctx, IDP_LIMIT_SIDE, (uint64_t)UINT32_MAX + 1), IDP_E_USAGE);
    assert_int_equal(idp_ctx_limit(ctx, IDP_LIMIT_SIDE), 4000);
    assert_int_equal(idp_ctx_set_limit(ctx, IDP_LIMIT_PIXELS, 0), IDP_E_USAGE);
    assert_int_equal(idp_ctx_limit(ctx, IDP_LIMIT_PIXELS), 5678);
    assert_int_equal(idp_ctx_set_limit(ctx, (idp_limit)99, 1), IDP_E_USAGE);
    assert_non_null(strstr(idp_ctx_error(ctx), "unknown limit"));
    assert_int_equal(idp_ctx_limit(ctx, (idp_limit)99), 0);
    assert_int_equal(idp_limit_default((idp_limit)99), 0);

    /* the limit is the one a check applies: a 1-pixel side refuses sharp.jpg */
    {
        idp_policy *policy = NULL;
        idp_check_report *report = NULL;
        assert_int_equal(idp_ctx_set_limit(ctx, IDP_LIMIT_SIDE, 1), IDP_OK);
        assert_int_equal(idp_policy_create(ctx, &policy), IDP_OK);
        assert_int_equal(idp_check_report_create(ctx, &report), IDP_OK);
        assert_int_equal(
            idp_check_file(ctx, tu_path(tu_env("IDP_TESTIMG"), "sharp.jpg"), policy, report),
            IDP_E_LIMITS);
        assert_int_equal(idp_check_report_verdict(report), IDP_VERDICT_ERROR);
        idp_check_report_destroy(report);
        idp_policy_destroy(policy);
    }
    idp_ctx_destroy(ctx);
}

static void test_policy_setters(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    idp_policy *policy = NULL, def;

    (void)state;
    idp_policy_default(&def);
    assert_int_equal(idp_policy_create(ctx, &policy), IDP_OK);
    assert_int_equal(idp_policy_mrz_read(policy), def.mrz_read != 0);
    assert_true(idp_policy_corners_margin(policy) == def.corners_margin);
    idp_policy_set_mrz_read(policy, false);
    assert_false(idp_policy_mrz_read(policy));
    assert_int_equal(policy->mrz_read, 0);
    idp_policy_set_mrz_read(policy, true);
    assert_int_equal(policy->mrz_read, 1);
    idp_policy_destroy(policy);
    idp_ctx_destroy(ctx);
}

/* A photo checked through the public calls: the report's getters give what
 * the struct holds; the duplicate check over pointers is the internal one. */
static void test_check_report_getters(void **state)
{
    const char *photo = tu_path(tu_env("IDP_TESTIMG"), "sharp.jpg");
    const char *pass = tu_path(tu_env("IDP_CORPUS"), "mrz/100_pass-uto.jpg");
    idp_ctx *ctx = tu_new_ctx();
    idp_policy *policy = NULL;
    idp_check_report *a = NULL, *b = NULL, *c = NULL, *copy;
    const idp_document *doc;
    double quad[4][2];

    (void)state;
    assert_int_equal(idp_policy_create(ctx, &policy), IDP_OK);
    assert_int_equal(idp_check_report_create(ctx, &a), IDP_OK);
    assert_int_equal(idp_check_report_create(ctx, &b), IDP_OK);
    assert_int_equal(idp_check_report_create(ctx, &c), IDP_OK);
    assert_null(idp_check_report_detection(a)); /* nothing checked yet */
    assert_null(idp_check_report_mrz(a));
    assert_int_equal(idp_check_report_pages(a), 0);
    assert_null(idp_check_report_format(a));

    assert_int_equal(idp_check_file(ctx, photo, policy, a), IDP_OK);
    assert_int_equal(idp_check_file(ctx, photo, policy, b), IDP_OK);
    assert_int_equal(idp_check_report_pages(a), a->info.pages);
    assert_int_equal(idp_check_report_pages(a), 1);
    assert_string_equal(idp_check_report_format(a), idp_format_name(a->info.format));
    assert_string_equal(idp_check_report_format(a), "jpeg");
    assert_ptr_equal(idp_check_report_icc_ignored(a), a->info.icc_ignored);

    doc = idp_check_report_detection(a);
    assert_ptr_equal(doc, &a->document);
    assert_true(idp_document_found(doc));
    assert_int_equal(idp_document_kind(doc), a->document.kind);
    assert_string_equal(idp_doc_kind_name(idp_document_kind(doc)),
                        idp_check_report_document(a, NULL, NULL));
    assert_int_equal(idp_document_cue(doc), a->document.upright);
    assert_string_equal(idp_upright_cue_name(idp_document_cue(doc)),
                        idp_upright_cue_name(a->document.upright));
    assert_int_equal(idp_document_portrait(doc), a->document.portrait);
    assert_int_equal(idp_document_scan(doc), a->document.scan);
    assert_true(idp_document_confidence(doc) == a->document.confidence);
    idp_document_quad(doc, quad);
    assert_memory_equal(quad, a->document.quad, sizeof(quad));
    assert_int_equal(idp_check_decimals(IDP_CHECK_GLARE, 0.5), 3);
    assert_int_equal(idp_check_decimals(IDP_CHECK_RESOLUTION, 1000), 0);

    /* the same photo twice: the duplicate check over pointers fails both,
     * as the internal one does over a copy of the array */
    copy = malloc(2 * sizeof(*copy));
    assert_non_null(copy);
    copy[0] = *a;
    copy[1] = *b;
    {
        idp_check_report *both[2] = {a, b};
        assert_int_equal(idp_check_report_duplicates(ctx, both, 2, policy), IDP_OK);
    }
    idp_check_duplicates(copy, 2, policy);
    assert_int_equal(idp_report_find(a, IDP_CHECK_DUPLICATE)->status, IDP_CHECK_FAIL);
    assert_memory_equal(idp_report_find(a, IDP_CHECK_DUPLICATE),
                        idp_report_find(&copy[0], IDP_CHECK_DUPLICATE), sizeof(idp_check_result));
    assert_int_equal(idp_report_find(b, IDP_CHECK_DUPLICATE)->other, 0);
    free(copy);

    /* a passport read by check: the report's zone is the struct's */
    assert_int_equal(idp_check_file(ctx, pass, policy, c), IDP_OK);
    assert_true(c->has_mrz);
    assert_ptr_equal(idp_check_report_mrz(c), &c->mrz);
    assert_int_equal(idp_mrz_valid_score(idp_check_report_mrz(c)), c->mrz.valid_score);

    /* detection off: no detection to read */
    idp_check_report_clear(a);
    assert_null(idp_check_report_detection(a));
    assert_int_equal(idp_check_report_verdict(a), IDP_VERDICT_ERROR);
    assert_int_equal(idp_check_report_count(a), 0);
    policy->detect = 0;
    assert_int_equal(idp_check_file(ctx, photo, policy, a), IDP_OK);
    assert_null(idp_check_report_detection(a));
    /* mrz off: no zone */
    idp_policy_set_mrz_read(policy, false);
    assert_int_equal(idp_check_file(ctx, pass, policy, c), IDP_OK);
    assert_null(idp_check_report_mrz(c));

    /* clear wipes the zone */
    policy->detect = 1;
    idp_policy_set_mrz_read(policy, true);
    assert_int_equal(idp_check_file(ctx, pass, policy, c), IDP_OK);
    assert_non_null(idp_check_report_mrz(c));
    idp_check_report_clear(c);
    assert_null(idp_check_report_mrz(c));
    for (size_t i = 0; i < sizeof(c->mrz.document_number); i++)
        assert_int_equal(c->mrz.document_number[i], 0);

    idp_check_report_destroy(a);
    idp_check_report_destroy(b);
    idp_check_report_destroy(c);
    idp_policy_destroy(policy);
    idp_ctx_destroy(ctx);
}

/* idp_mrz_read_file: the zone of a passport photo, read through the
 * getters; each getter gives the struct's field; a photo without a zone,
 * one that does not exist. */
static void test_mrz_read_file(void **state)
{
    const char *pass = tu_path(tu_env("IDP_CORPUS"), "mrz/100_pass-uto.jpg");
    idp_ctx *ctx = tu_new_ctx();
    idp_mrz *m = NULL;
    bool found = false;
    char buf[24], date[11], digit, expected, from, to;
    const char *why;
    idp_mrz_check_id id;
    bool valid;
    int line, col;
    size_t n;

    (void)state;
    assert_int_equal(idp_mrz_create(ctx, &m), IDP_OK);
    assert_int_equal(idp_mrz_format_of(m), IDP_MRZ_NONE);
    assert_int_equal(idp_mrz_line_count(m), 0);
    assert_null(idp_mrz_line(m, 0));

    assert_int_equal(idp_mrz_read_file(ctx, pass, m, &found), IDP_OK);
    assert_true(found);
    assert_int_equal(idp_mrz_format_of(m), m->format);
    assert_int_equal(idp_mrz_format_of(m), IDP_MRZ_TD3); /* a passport */
    assert_string_equal(idp_mrz_format_name(idp_mrz_format_of(m)), "TD3");
    assert_int_equal(idp_mrz_valid_score(m), 100); /* the corpus file's name says 100 */
    assert_string_equal(idp_mrz_engine(m), m->engine);
    assert_int_equal(idp_mrz_line_count(m), 2);
    for (size_t i = 0; i < idp_mrz_line_count(m); i++) {
        assert_string_equal(idp_mrz_line(m, i), m->lines[i]);
        assert_int_equal(strlen(idp_mrz_line(m, i)), 44);
    }
    assert_null(idp_mrz_line(m, 2));
    assert_string_equal(idp_mrz_field(m, IDP_MRZ_DOCUMENT_TYPE), m->document_type);
    assert_string_equal(idp_mrz_field(m, IDP_MRZ_ISSUING_STATE), m->issuing_state);
    assert_string_equal(idp_mrz_field(m, IDP_MRZ_SURNAME), m->surname);
    assert_string_equal(idp_mrz_field(m, IDP_MRZ_GIVEN_NAMES), m->given_names);
    assert_string_equal(idp_mrz_field(m, IDP_MRZ_DOCUMENT_NUMBER), m->document_number);
    assert_string_equal(idp_mrz_field(m, IDP_MRZ_NATIONALITY), m->nationality);
    assert_string_equal(idp_mrz_field(m, IDP_MRZ_BIRTH_DATE), m->birth_date);
    assert_string_equal(idp_mrz_field(m, IDP_MRZ_EXPIRY_DATE), m->expiry_date);
    assert_string_equal(idp_mrz_field(m, IDP_MRZ_OPTIONAL_DATA), m->optional_data);
    assert_string_equal(idp_mrz_field(m, IDP_MRZ_OPTIONAL_DATA_2), m->optional_data2);
    assert_string_equal(idp_mrz_field(m, (idp_mrz_field_id)99), "");
    assert_int_equal(idp_mrz_sex(m), m->sex);
    /* the printed line holds the number where ICAO puts it (TD3: line 2, 0..8) */
    assert_memory_equal(idp_mrz_line(m, 1), idp_mrz_field(m, IDP_MRZ_DOCUMENT_NUMBER),
                        strlen(idp_mrz_field(m, IDP_MRZ_DOCUMENT_NUMBER)));
    assert_true(idp_mrz_expiry_iso(m, date));
    assert_memory_equal(date + 2, m->expiry_date, 2); /* YY */
    idp_mrz_masked_number(m, buf, sizeof(buf));
    assert_int_equal(strlen(buf), strlen(m->document_number));
    assert_int_equal(buf[0], '*');

    n = idp_mrz_check_count(m);
    assert_int_equal(n, m->n_checks);
    assert_true(n >= 4);
    for (size_t i = 0; i < n; i++) {
        assert_true(idp_mrz_check_at(m, i, &id, &digit, &expected, &valid));
        assert_int_equal(id, m->checks[i].id);
        assert_int_equal(digit, m->checks[i].digit);
        assert_int_equal(expected, m->checks[i].expected);
        assert_true(valid); /* valid score 100 */
        assert_int_equal(digit, expected);
    }
    assert_false(idp_mrz_check_at(m, n, &id, NULL, NULL, NULL));
    assert_true(idp_mrz_check_at(m, 0, NULL, NULL, NULL, NULL));
    for (size_t i = 0; i < idp_mrz_repair_count(m); i++) {
        assert_true(idp_mrz_repair_at(m, i, &line, &col, &from, &to, &why));
        assert_int_equal(line, m->repairs[i].line);
        assert_int_equal(col, m->repairs[i].col);
        assert_int_equal(to, idp_mrz_line(m, (size_t)line)[col]); /* the line holds the repair */
        assert_ptr_equal(why, m->repairs[i].why);
        assert_int_equal(from, m->repairs[i].from);
    }
    assert_false(idp_mrz_repair_at(m, idp_mrz_repair_count(m), NULL, NULL, NULL, NULL, NULL));

    /* a photo with no zone: found false, IDP_OK; the zone read before is wiped */
    assert_int_equal(idp_mrz_read_file(ctx, tu_path(tu_env("IDP_TESTIMG"), "sharp.jpg"), m, &found),
                     IDP_OK);
    assert_false(found);
    assert_string_equal(idp_mrz_field(m, IDP_MRZ_DOCUMENT_NUMBER), "");
    /* a missing one: the load's status, the error naming it */
    assert_int_equal(idp_mrz_read_file(ctx, tu_path(tu_tmpdir(), "none.jpg"), m, &found),
                     IDP_E_NOTFOUND);
    assert_false(found);
    assert_non_null(strstr(idp_ctx_error(ctx), "none.jpg"));
    idp_mrz_destroy(m);
    idp_mrz_destroy(NULL);
    idp_ctx_destroy(ctx);
}

/* The options' fields (not their bytes: padding is not a value). */
static void assert_opts_equal(const idp_normalize_opts *a, const idp_normalize_opts *b)
{
    assert_int_equal(a->max_side, b->max_side);
    assert_int_equal(a->quality, b->quality);
    assert_int_equal(a->max_bytes, b->max_bytes);
    assert_int_equal(a->force, b->force);
    assert_int_equal(a->crop, b->crop);
}

/* Normalising through the opaque options and result: the written JPEG is
 * the one the internal call with the same struct writes, byte for byte. */
static void test_normalize_api(void **state)
{
    const char *photo = tu_path(tu_env("IDP_TESTIMG"), "rotated6.jpg");
    const char *dir = tu_tmpdir();
    char out1[512], out2[512];
    idp_ctx *ctx = tu_new_ctx();
    idp_normalize_opts *opts = NULL, plain;
    idp_normalize_result *res = NULL, want;
    uint32_t w, h, sw, sh;
    int orientation;
    uint8_t *a, *b;
    size_t la, lb;
    double quad[4][2];

    (void)state;
    snprintf(out1, sizeof(out1), "%s/api.jpg", dir);
    snprintf(out2, sizeof(out2), "%s/internal.jpg", dir);
    assert_int_equal(idp_normalize_opts_create(ctx, &opts), IDP_OK);
    assert_int_equal(idp_normalize_result_create(ctx, &res), IDP_OK);
    idp_normalize_opts_default(&plain);
    assert_opts_equal(opts, &plain); /* the defaults */
    assert_true(idp_normalize_opts_crop(opts));
    idp_normalize_opts_set_max_side(opts, 800);
    idp_normalize_opts_set_quality(opts, 80);
    idp_normalize_opts_set_max_bytes(opts, 500000);
    idp_normalize_opts_set_crop(opts, false);
    assert_false(idp_normalize_opts_crop(opts));
    plain.max_side = 800;
    plain.quality = 80;
    plain.max_bytes = 500000;
    plain.crop = false;
    assert_opts_equal(opts, &plain);

    assert_int_equal(idp_normalize_file(ctx, photo, out1, opts, res), IDP_OK);
    assert_int_equal(idp_normalize_file(ctx, photo, out2, &plain, &want), IDP_OK);
    a = tu_read_file(out1, &la);
    b = tu_read_file(out2, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    free(a);
    free(b);
    idp_normalize_result_size(res, &w, &h);
    assert_int_equal(w, want.width);
    assert_int_equal(h, want.height);
    assert_true(w <= 800 && h <= 800 && (w == 800 || h == 800));
    assert_int_equal(idp_normalize_result_bytes(res), la);
    assert_int_equal(idp_normalize_result_quality(res), want.quality);
    idp_normalize_result_source(res, &sw, &sh, &orientation);
    assert_int_equal(sw, want.source.width);
    assert_int_equal(sh, want.source.height);
    assert_int_equal(orientation, 6); /* the file's EXIF orientation */
    assert_string_equal(idp_normalize_result_format(res), "jpeg");

    /* an existing output: refused unless forced */
    assert_int_equal(idp_normalize_file(ctx, photo, out1, opts, res), IDP_E_EXISTS);
    idp_normalize_opts_set_force(opts, true);
    idp_normalize_opts_set_crop(opts, true);
    assert_int_equal(idp_normalize_file(ctx, photo, out1, opts, res), IDP_OK);
    assert_ptr_equal(idp_normalize_result_document(res), &res->document);
    assert_true(idp_document_found(idp_normalize_result_document(res)));
    idp_document_quad(idp_normalize_result_document(res), quad);
    assert_memory_equal(quad, res->document.quad, sizeof(quad));
    /* a quality out of range: the call refuses it */
    idp_normalize_opts_set_quality(opts, 0);
    assert_int_equal(idp_normalize_file(ctx, photo, out1, opts, res), IDP_E_USAGE);
    idp_normalize_result_destroy(res);
    idp_normalize_opts_destroy(opts);
    idp_normalize_result_destroy(NULL);
    idp_normalize_opts_destroy(NULL);
    idp_ctx_destroy(ctx);
}

/* The glare regions and the covered corner, as the struct holds them. */
static void test_check_report_marks(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    idp_policy *policy = NULL;
    idp_check_report *r = NULL;
    double quad[4][2], point[2] = {-1, -1};
    size_t n;

    (void)state;
    assert_int_equal(idp_policy_create(ctx, &policy), IDP_OK);
    assert_int_equal(idp_check_report_create(ctx, &r), IDP_OK);
    assert_int_equal(idp_check_report_glare_count(r), 0);
    assert_false(idp_check_report_glare_quad(r, 0, quad));
    assert_int_equal(idp_check_file(ctx, tu_path(tu_env("IDP_TESTIMG"), "glare.jpg"), policy, r),
                     IDP_OK);
    n = idp_check_report_glare_count(r);
    assert_int_equal(n, r->n_glare);
    assert_true(n >= 1); /* the generated photo has a highlight */
    for (size_t i = 0; i < n; i++) {
        assert_true(idp_check_report_glare_quad(r, i, quad));
        assert_memory_equal(quad, r->glare[i].quad, sizeof(quad));
    }
    assert_false(idp_check_report_glare_quad(r, n, quad));
    assert_int_equal(idp_check_report_covered(r, point), r->has_covered);
    r->has_covered = true; /* the getter gives what the struct holds */
    r->covered[0] = 12.5;
    r->covered[1] = 34.5;
    assert_true(idp_check_report_covered(r, point));
    assert_true(point[0] == 12.5 && point[1] == 34.5);
    idp_check_report_destroy(r);
    idp_policy_destroy(policy);
    idp_ctx_destroy(ctx);
}

static void test_font_path(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    char buf[4096], tiny[4], *want = NULL;

    (void)state;
    assert_int_equal(idp_font_path(ctx, "DejaVu Sans", 0, buf, sizeof(buf)), IDP_OK);
    assert_int_equal(idp_font_find(ctx, "DejaVu Sans", 0, &want), IDP_OK);
    assert_string_equal(buf, want);
    assert_int_equal(access(buf, R_OK), 0);
    free(want);
    assert_int_equal(idp_font_path(ctx, "DejaVu Sans", 0, tiny, sizeof(tiny)), IDP_E_USAGE);
    assert_string_equal(tiny, "");
    assert_int_equal(idp_font_path(ctx, "No Such Family idpack", 0, buf, sizeof(buf)),
                     IDP_E_NOTFOUND);
    assert_non_null(strstr(idp_ctx_error(ctx), "No Such Family idpack"));
    idp_ctx_destroy(ctx);
}

static void test_form_and_text(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    idp_form *form = NULL;
    size_t at = 99;

    (void)state;
    assert_null(idp_text_problem("Anna Rossi", 10, &at));
    assert_non_null(idp_text_problem("Anna\x01", 5, &at));
    assert_int_equal(at, 4);
    assert_non_null(idp_text_problem("ab\xff", 3, &at));
    assert_int_equal(at, 2);
    assert_int_equal(idp_form_create(ctx, &form), IDP_OK);
    assert_int_equal(idp_form_set_arg_from(ctx, form, "full_name=Anna Rossi", "--set"), IDP_OK);
    assert_int_not_equal(idp_form_set_arg_from(ctx, form, "no equals sign", "--my-option"), IDP_OK);
    assert_non_null(strstr(idp_ctx_error(ctx), "--my-option"));
    idp_form_destroy(form);
    idp_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_policy_setters),
        cmocka_unit_test(test_check_report_getters),
        cmocka_unit_test(test_check_report_marks),
        cmocka_unit_test(test_mrz_read_file),
        cmocka_unit_test(test_normalize_api),
        cmocka_unit_test(test_font_path),
        cmocka_unit_test(test_form_and_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
