/* The thresholds of the photo checks: calibrated defaults (the numbers and
 * why are in docs/checks.md) and a JSON policy file that overrides them. */
#include "idp_policy.h"

#include "idp_io.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

void idp_policy_default(idp_policy *p)
{
    memset(p, 0, sizeof(*p));
    p->measure_side = 1000;
    p->resolution_fail = 506;      /* ID-1 card at 150 DPI */
    p->resolution_warn = 1011;     /* ID-1 card at 300 DPI */
    p->sharpness_fail = 80;        /* blurred.jpg 24 (frame), 35 (document) */
    p->sharpness_warn = 800;       /* document: slightly-blurred.jpg 474; sharp 1297-2216 */
    p->sharpness_frame_warn = 400; /* frame: slightly-blurred.jpg 267; real photos 640-860 */
    p->exposure_dark_fail = 45;    /* dark.jpg 19 */
    p->exposure_bright_fail = 252; /* all but clipped: nothing left for the print */
    p->exposure_dark_warn = 75;    /* real photos 112-153 */
    p->exposure_bright_warn = 245; /* a white page with sparse print ~244 */
    p->shadow_clip_fail = 0.40;
    p->contrast_fail = 40;                /* dark.jpg 22, overexposed.jpg 11 */
    p->contrast_warn = 80;                /* ICAO PCS 0.6 on paper at 200+; real scans 151+ */
    p->glare_warn = 0.01;                 /* ~7 mm across on an ID-1 card: 2-3 characters */
    p->glare_fail = 0.027;                /* a 12.6 mm disc: a date field (12.5 x 1.9 mm) */
    p->colour_fail = 0.002;               /* toned photos <= 0.043 %; colour >= 0.96 % */
    p->colour_warn = 0.002;               /* no warn band by default */
    p->screenshot_flat_warn = 0.15;       /* screenshots 52-67 %; camera photos under 0.3 % */
    p->screenshot_noise = 0.02;           /* screenshots 0; camera photos >= 0.13, 0.014 at q60 */
    p->duplicate_max_distance = 48;       /* of 255: same side 1-28; front vs back 107-119 */
    p->duplicate_frame_max_distance = 24; /* same photo re-saved 0-15; front/back frames 99+ */
    p->detect = 1;                        /* find the document: docs/detection.md */
    p->document_required = 1;             /* Amazon wants the ID: a photo without one fails */
    p->corners_margin = 0.01;             /* 20 px on a 3000 x 2000 photo */
    p->mrz_read = 1;       /* the mrz result, the expiry check, the cross-check (docs/mrz.md) */
    p->mrz_name_match = 1; /* a name that is not the ID's stops the build */
    p->sharpness_blur_mm = 0.3; /* a 1.9 mm date keeps 10 % contrast at 2 cycles a letter */
}

/* One overridable number: its place in the file and in the struct. */
typedef enum field_kind { FIELD_DOUBLE, FIELD_UINT } field_kind;

typedef struct policy_field {
    const char *section; /* NULL: a top-level key */
    const char *key;
    size_t offset;
    field_kind kind;
    double min, max;
} policy_field;

/* clang-format off */
#define F(sec, key, member, kind, lo, hi) {sec, key, offsetof(idp_policy, member), kind, lo, hi}
static const policy_field fields[] = {
    F(NULL, "measure_side", measure_side, FIELD_UINT, 64, 8192),
    F("resolution", "fail", resolution_fail, FIELD_DOUBLE, 0, 100000),
    F("resolution", "warn", resolution_warn, FIELD_DOUBLE, 0, 100000),
    F("sharpness", "fail", sharpness_fail, FIELD_DOUBLE, 0, 1e6),
    F("sharpness", "warn", sharpness_warn, FIELD_DOUBLE, 0, 1e6),
    F("sharpness", "frame_warn", sharpness_frame_warn, FIELD_DOUBLE, 0, 1e6),
    F("exposure", "dark_fail", exposure_dark_fail, FIELD_DOUBLE, 0, 255),
    F("exposure", "bright_fail", exposure_bright_fail, FIELD_DOUBLE, 0, 255),
    F("exposure", "dark_warn", exposure_dark_warn, FIELD_DOUBLE, 0, 255),
    F("exposure", "bright_warn", exposure_bright_warn, FIELD_DOUBLE, 0, 255),
    F("exposure", "shadow_clip_fail", shadow_clip_fail, FIELD_DOUBLE, 0, 1),
    F("exposure", "contrast_fail", contrast_fail, FIELD_DOUBLE, 0, 255),
    F("exposure", "contrast_warn", contrast_warn, FIELD_DOUBLE, 0, 255),
    F("glare", "warn", glare_warn, FIELD_DOUBLE, 0, 1),
    F("glare", "fail", glare_fail, FIELD_DOUBLE, 0, 1),
    F("colour", "fail", colour_fail, FIELD_DOUBLE, 0, 1),
    F("colour", "warn", colour_warn, FIELD_DOUBLE, 0, 1),
    F("screenshot", "flat_warn", screenshot_flat_warn, FIELD_DOUBLE, 0, 1),
    F("screenshot", "noise", screenshot_noise, FIELD_DOUBLE, 0, 10),
    F("duplicate", "max_distance", duplicate_max_distance, FIELD_UINT, 0, 255),
    F("duplicate", "frame_max_distance", duplicate_frame_max_distance, FIELD_UINT, 0, 255),
    F("document", "detect", detect, FIELD_UINT, 0, 1),
    F("document", "required", document_required, FIELD_UINT, 0, 1),
    F("corners", "margin", corners_margin, FIELD_DOUBLE, 0, 0.25),
    F("mrz", "read", mrz_read, FIELD_UINT, 0, 1),
    F("mrz", "name_match", mrz_name_match, FIELD_UINT, 0, 1),
    F("sharpness", "blur_mm", sharpness_blur_mm, FIELD_DOUBLE, 0.01, 100),
};
#undef F
/* clang-format on */
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

#define POLICY_MAX_FILE (64u * 1024u) /* a policy is a few hundred bytes */

static const policy_field *find_field(const char *section, const char *key)
{
    for (size_t i = 0; i < N_FIELDS; i++) {
        const policy_field *f = &fields[i];
        if ((section == NULL) != (f->section == NULL))
            continue;
        if (section != NULL && strcmp(section, f->section) != 0)
            continue;
        if (strcmp(key, f->key) == 0)
            return f;
    }
    return NULL;
}

static int is_section(const char *name)
{
    for (size_t i = 0; i < N_FIELDS; i++)
        if (fields[i].section != NULL && strcmp(fields[i].section, name) == 0)
            return 1;
    return 0;
}

/* "sharpness.fail" or "measure_side" into buf. */
static const char *key_name(const policy_field *f, char *buf, size_t size)
{
    if (f->section != NULL)
        snprintf(buf, size, "%s.%s", f->section, f->key);
    else
        snprintf(buf, size, "%s", f->key);
    return buf;
}

static idp_status set_field(idp_ctx *ctx, const char *path, const policy_field *f, const json_t *v,
                            idp_policy *p)
{
    char name[64];
    double d;

    key_name(f, name, sizeof(name));
    if (f->kind == FIELD_UINT) {
        json_int_t i;
        if (!json_is_integer(v))
            return idp_fail(ctx, IDP_E_POLICY, "%s: %s must be a whole number", path, name);
        i = json_integer_value(v);
        if ((double)i < f->min || (double)i > f->max)
            return idp_fail(ctx, IDP_E_POLICY, "%s: %s is %lld, must be between %g and %g", path,
                            name, (long long)i, f->min, f->max);
        *(uint32_t *)(void *)((char *)p + f->offset) = (uint32_t)i;
        return IDP_OK;
    }
    if (!json_is_number(v))
        return idp_fail(ctx, IDP_E_POLICY, "%s: %s must be a number", path, name);
    d = json_number_value(v);
    if (!isfinite(d) || d < f->min || d > f->max)
        return idp_fail(ctx, IDP_E_POLICY, "%s: %s is %g, must be between %g and %g", path, name, d,
                        f->min, f->max);
    *(double *)(void *)((char *)p + f->offset) = d;
    return IDP_OK;
}

/* Limits that contradict each other, whichever of them the file set. */
static idp_status check_order(idp_ctx *ctx, const char *path, const idp_policy *p)
{
    static const struct {
        const char *lo_name, *hi_name;
        size_t lo, hi;
        int strict;
    } order[] = {
        {"resolution.fail", "resolution.warn", offsetof(idp_policy, resolution_fail),
         offsetof(idp_policy, resolution_warn), 0},
        {"sharpness.fail", "sharpness.warn", offsetof(idp_policy, sharpness_fail),
         offsetof(idp_policy, sharpness_warn), 0},
        {"sharpness.fail", "sharpness.frame_warn", offsetof(idp_policy, sharpness_fail),
         offsetof(idp_policy, sharpness_frame_warn), 0},
        {"exposure.dark_fail", "exposure.dark_warn", offsetof(idp_policy, exposure_dark_fail),
         offsetof(idp_policy, exposure_dark_warn), 0},
        {"exposure.dark_warn", "exposure.bright_warn", offsetof(idp_policy, exposure_dark_warn),
         offsetof(idp_policy, exposure_bright_warn), 1},
        {"exposure.bright_warn", "exposure.bright_fail", offsetof(idp_policy, exposure_bright_warn),
         offsetof(idp_policy, exposure_bright_fail), 0},
        {"exposure.contrast_fail", "exposure.contrast_warn", offsetof(idp_policy, contrast_fail),
         offsetof(idp_policy, contrast_warn), 0},
        {"glare.warn", "glare.fail", offsetof(idp_policy, glare_warn),
         offsetof(idp_policy, glare_fail), 0},
        {"colour.fail", "colour.warn", offsetof(idp_policy, colour_fail),
         offsetof(idp_policy, colour_warn), 0},
    };
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        const double lo = *(const double *)(const void *)((const char *)p + order[i].lo);
        const double hi = *(const double *)(const void *)((const char *)p + order[i].hi);
        if (order[i].strict ? lo >= hi : lo > hi)
            return idp_fail(ctx, IDP_E_POLICY, "%s: %s (%g) must be %s %s (%g)", path,
                            order[i].lo_name, lo, order[i].strict ? "below" : "at most",
                            order[i].hi_name, hi);
    }
    return IDP_OK;
}

idp_status idp_policy_load(idp_ctx *ctx, const char *path, idp_policy *policy)
{
    idp_policy p = *policy;
    json_error_t jerr;
    json_t *root = NULL;
    uint8_t *buf = NULL;
    size_t len = 0;
    const char *top;
    json_t *tv;
    idp_status st = IDP_OK;

    /* a regular file of at most 64 KiB (never a FIFO or a device) */
    st = idp_read_file(ctx, path, POLICY_MAX_FILE, &buf, &len);
    if (st != IDP_OK)
        goto out;
    root = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        st = idp_fail(ctx, IDP_E_POLICY, "%s: line %d: %s", path, jerr.line, jerr.text);
        goto out;
    }
    if (!json_is_object(root)) {
        st = idp_fail(ctx, IDP_E_POLICY, "%s: a policy must be a JSON object", path);
        goto out;
    }
    json_object_foreach(root, top, tv)
    {
        const policy_field *fld = find_field(NULL, top);
        const char *key;
        json_t *v;

        if (fld != NULL) {
            st = set_field(ctx, path, fld, tv, &p);
            if (st != IDP_OK)
                goto out;
            continue;
        }
        if (!is_section(top)) {
            st = idp_fail(ctx, IDP_E_POLICY, "%s: unknown key \"%s\"", path, top);
            goto out;
        }
        if (!json_is_object(tv)) {
            st = idp_fail(ctx, IDP_E_POLICY, "%s: %s must be an object such as {\"warn\": ...}",
                          path, top);
            goto out;
        }
        json_object_foreach(tv, key, v)
        {
            fld = find_field(top, key);
            if (fld == NULL) {
                st = idp_fail(ctx, IDP_E_POLICY, "%s: unknown key \"%s.%s\"", path, top, key);
                goto out;
            }
            st = set_field(ctx, path, fld, v, &p);
            if (st != IDP_OK)
                goto out;
        }
    }
    st = check_order(ctx, path, &p);
    if (st != IDP_OK)
        goto out;
    *policy = p;
out:
    json_decref(root);
    idp_free_wiped(buf, len);
    return st;
}
