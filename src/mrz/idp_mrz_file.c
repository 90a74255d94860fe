/* The machine-readable zone as programs outside the library read it: one
 * call reads the zone of a photo file (load, find the document, read), and
 * the zone is opaque, read through these functions (docs/library.md). */
#include "idp_detect.h"
#include "idp_load.h"
#include "idp_mrz.h"
#include "idp_resize.h"

#include <stdlib.h>
#include <string.h>

idp_status idp_mrz_create(idp_ctx *ctx, idp_mrz **out)
{
    *out = calloc(1, sizeof(**out));
    if (*out == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
    return IDP_OK;
}

void idp_mrz_destroy(idp_mrz *mrz)
{
    if (mrz == NULL)
        return;
    idp_mrz_wipe(mrz); /* personal data */
    free(mrz);
}

/* Loads path as check does (decoded to about 2000 px), finds the document
 * on a 1000 px copy and reads the zone. */
idp_status idp_mrz_read_file(idp_ctx *ctx, const char *path, idp_mrz *out, bool *found)
{
    idp_load_opts lo;
    idp_image *img = NULL, *work = NULL;
    idp_mrz_reader *rd = NULL;
    idp_document doc;
    uint32_t w, h;
    idp_status st;

    memset(&lo, 0, sizeof(lo));
    lo.min_side = 2000;
    *found = false;
    idp_mrz_wipe(out);
    st = idp_mrz_reader_create(ctx, &rd);
    if (st == IDP_OK)
        st = idp_load_file(ctx, path, &lo, &img, NULL);
    if (st == IDP_OK) {
        idp_fit_size(img->width, img->height, IDP_DETECT_WORK_SIDE, &w, &h);
        if (w < img->width || h < img->height)
            st = idp_resize_down(ctx, img, w ? w : 1, h ? h : 1, &work);
    }
    if (st == IDP_OK)
        st = idp_detect_document(ctx, work != NULL ? work : img, &doc);
    if (st == IDP_OK) {
        if (work != NULL)
            idp_document_scale(&doc, (double)img->width / work->width,
                               (double)img->height / work->height);
        st = idp_mrz_read(ctx, rd, img, &doc, false, out, found);
    }
    idp_image_destroy(work);
    idp_image_destroy(img);
    idp_mrz_reader_destroy(rd);
    return st;
}

idp_mrz_format idp_mrz_format_of(const idp_mrz *mrz)
{
    return mrz->format;
}

int idp_mrz_valid_score(const idp_mrz *mrz)
{
    return mrz->valid_score;
}

const char *idp_mrz_engine(const idp_mrz *mrz)
{
    return mrz->engine;
}

size_t idp_mrz_line_count(const idp_mrz *mrz)
{
    return mrz->n_lines > 0 ? (size_t)mrz->n_lines : 0;
}

const char *idp_mrz_line(const idp_mrz *mrz, size_t i)
{
    return i < idp_mrz_line_count(mrz) ? mrz->lines[i] : NULL;
}

const char *idp_mrz_field(const idp_mrz *mrz, idp_mrz_field_id id)
{
    switch (id) {
    case IDP_MRZ_DOCUMENT_TYPE:
        return mrz->document_type;
    case IDP_MRZ_ISSUING_STATE:
        return mrz->issuing_state;
    case IDP_MRZ_SURNAME:
        return mrz->surname;
    case IDP_MRZ_GIVEN_NAMES:
        return mrz->given_names;
    case IDP_MRZ_DOCUMENT_NUMBER:
        return mrz->document_number;
    case IDP_MRZ_NATIONALITY:
        return mrz->nationality;
    case IDP_MRZ_BIRTH_DATE:
        return mrz->birth_date;
    case IDP_MRZ_EXPIRY_DATE:
        return mrz->expiry_date;
    case IDP_MRZ_OPTIONAL_DATA:
        return mrz->optional_data;
    case IDP_MRZ_OPTIONAL_DATA_2:
        return mrz->optional_data2;
    }
    return "";
}

char idp_mrz_sex(const idp_mrz *mrz)
{
    return mrz->sex;
}

size_t idp_mrz_check_count(const idp_mrz *mrz)
{
    return mrz->n_checks;
}

bool idp_mrz_check_at(const idp_mrz *mrz, size_t i, idp_mrz_check_id *id, char *digit,
                      char *expected, bool *valid)
{
    const idp_mrz_check *c = i < mrz->n_checks ? &mrz->checks[i] : NULL;

    if (c == NULL)
        return false;
    if (id != NULL)
        *id = c->id;
    if (digit != NULL)
        *digit = c->digit;
    if (expected != NULL)
        *expected = c->expected;
    if (valid != NULL)
        *valid = c->valid;
    return true;
}

size_t idp_mrz_repair_count(const idp_mrz *mrz)
{
    return mrz->n_repairs;
}

bool idp_mrz_repair_at(const idp_mrz *mrz, size_t i, int *line, int *col, char *from, char *to,
                       const char **why)
{
    const idp_mrz_repair *r = i < mrz->n_repairs ? &mrz->repairs[i] : NULL;

    if (r == NULL)
        return false;
    if (line != NULL)
        *line = r->line;
    if (col != NULL)
        *col = r->col;
    if (from != NULL)
        *from = r->from;
    if (to != NULL)
        *to = r->to;
    if (why != NULL)
        *why = r->why;
    return true;
}
