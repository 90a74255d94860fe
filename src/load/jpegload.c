/* jpegload: the libjpeg(-turbo) wrapper. All setjmp/longjmp for JPEG lives
 * here: decode_guarded() sets the jump point; everything that must be freed
 * lives in a jpeg_job owned by the caller, so nothing depends on local
 * variables surviving a longjmp.
 *
 * Policy: any libjpeg warning (corrupt data, premature end of file, extra
 * bytes) is an error, IDP_E_CORRUPT; a damaged ID photo must be noticed,
 * not passed on with grey blocks in it. The one exception is a malformed
 * ICC marker sequence: the profile is then dropped (as libjpeg does) and
 * the pixels, which are intact, are decoded. */
#include "idp_codecs.h"
#include "idp_colour.h"
#include "idp_exif.h"
#include "idp_orient.h"

#include <limits.h>
#include <setjmp.h>
#include <stdio.h> /* jpeglib.h needs FILE */
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

/* A progressive file can carry thousands of tiny scans, each a full pass
 * over the coefficients: cap them as libjpeg-turbo's TJPARAM_SCANLIMIT does. */
#define MAX_SCANS 500
/* Rows handed to jpeg_read_scanlines() per call. */
#define ROW_BATCH 16
/* Rows decoded per batch when turning 90 degrees: each output row then
 * receives this many pixels in a row per batch. */
#define TURN_BATCH 64

typedef struct jpeg_job {
    struct jpeg_error_mgr pub; /* first: libjpeg casts cinfo->err to us */
    jmp_buf jump;
    struct jpeg_decompress_struct cinfo;
    struct jpeg_progress_mgr progress;
    idp_ctx *ctx;
    const char *name;
    idp_status status;      /* set by the handlers before they jump */
    bool tolerate_warnings; /* while reading the ICC markers */
    bool created;           /* cinfo needs jpeg_destroy_decompress */
    idp_image *img;         /* owned until handed to the caller */
    idp_cmyk_xform *cmyk;
    int orientation; /* EXIF orientation applied while decoding (1: none) */
} jpeg_job;

static void job_fail(j_common_ptr cinfo, idp_status status)
{
    jpeg_job *job = (jpeg_job *)(void *)cinfo->err;
    char msg[JMSG_LENGTH_MAX];

    (*cinfo->err->format_message)(cinfo, msg);
    job->status = idp_fail(job->ctx, status, "%s: corrupt JPEG: %s", job->name, msg);
    longjmp(job->jump, 1);
}

static void on_error_exit(j_common_ptr cinfo)
{
    jpeg_job *job = (jpeg_job *)(void *)cinfo->err;
    int code = cinfo->err->msg_code;

    if (code == JERR_BAD_PRECISION) {
        job->status = idp_fail(job->ctx, IDP_E_FORMAT,
                               "%s: %d-bit JPEG is not supported (only 8-bit samples)", job->name,
                               cinfo->err->msg_parm.i[0]);
        longjmp(job->jump, 1);
    }
    if (code == JERR_OUT_OF_MEMORY) {
        job->status =
            idp_fail(job->ctx, IDP_E_NOMEM, "%s: out of memory decoding the JPEG", job->name);
        longjmp(job->jump, 1);
    }
    if (code == JERR_IMAGE_TOO_BIG) {
        job->status =
            idp_fail(job->ctx, IDP_E_LIMITS, "%s: the JPEG is too large to decode", job->name);
        longjmp(job->jump, 1);
    }
    job_fail(cinfo, IDP_E_CORRUPT);
}

static void on_emit_message(j_common_ptr cinfo, int level)
{
    jpeg_job *job = (jpeg_job *)(void *)cinfo->err;

    if (level >= 0)
        return; /* trace messages */
    cinfo->err->num_warnings++;
    if (job->tolerate_warnings)
        return;
    job_fail(cinfo, IDP_E_CORRUPT);
}

static void on_progress(j_common_ptr cinfo)
{
    jpeg_job *job = (jpeg_job *)(void *)cinfo->err;
    j_decompress_ptr d = (j_decompress_ptr)(void *)cinfo;

    if (d->input_scan_number > MAX_SCANS) {
        job->status =
            idp_fail(job->ctx, IDP_E_LIMITS, "%s: progressive JPEG with more than %d scans refused",
                     job->name, MAX_SCANS);
        longjmp(job->jump, 1);
    }
}

static void describe(const struct jpeg_decompress_struct *c, idp_image_info *info)
{
    info->stored_width = c->image_width;
    info->stored_height = c->image_height;
    info->bit_depth = c->data_precision;
    info->progressive = c->progressive_mode != 0;
    info->arithmetic = c->arith_code != 0;
    switch (c->jpeg_color_space) {
    case JCS_GRAYSCALE:
        info->colour = IDP_SRC_GREY;
        break;
    case JCS_CMYK:
    case JCS_YCCK:
        info->colour = IDP_SRC_CMYK;
        break;
    default:
        info->colour = IDP_SRC_RGB;
        break;
    }
}

/* Copies the EXIF block (first APP1 starting "Exif\0\0") and the ICC
 * profile into meta. May longjmp (out of memory inside libjpeg). */
static idp_status collect_meta(jpeg_job *job, idp_raw_meta *meta)
{
    struct jpeg_decompress_struct *c = &job->cinfo;
    jpeg_saved_marker_ptr m;
    JOCTET *icc = NULL;
    unsigned int icc_len = 0;

    for (m = c->marker_list; m != NULL; m = m->next) {
        if (m->marker != JPEG_APP0 + 1 || m->data_length <= 6 ||
            memcmp(m->data, "Exif\0\0", 6) != 0)
            continue;
        meta->exif = malloc(m->data_length - 6);
        if (meta->exif == NULL)
            return idp_fail(job->ctx, IDP_E_NOMEM, "%s: out of memory", job->name);
        memcpy(meta->exif, m->data + 6, m->data_length - 6);
        meta->exif_len = m->data_length - 6;
        break;
    }
    job->tolerate_warnings = true;
    if (jpeg_read_icc_profile(c, &icc, &icc_len)) {
        meta->icc = icc; /* malloc()ed by libjpeg: ours to free() */
        meta->icc_len = icc_len;
    }
    job->tolerate_warnings = false;
    return IDP_OK;
}

/* The smallest scale n/8 whose decoded long side is still >= min_side. */
static void choose_scale(struct jpeg_decompress_struct *c, uint32_t min_side)
{
    unsigned int num;

    c->scale_denom = 8;
    for (num = 1; num <= 8; num++) {
        c->scale_num = num;
        jpeg_calc_output_dimensions(c);
        if ((c->output_width >= c->output_height ? c->output_width : c->output_height) >= min_side)
            return;
    }
    c->scale_num = 8;
    jpeg_calc_output_dimensions(c);
}

/* Where stored pixel (sx, sy) of the decoded w x h image goes in the
 * upright image (the inverse of the table in idp_orient.c). */
static inline void target_of(int o, JDIMENSION w, JDIMENSION h, JDIMENSION sx, JDIMENSION sy,
                             JDIMENSION *ox, JDIMENSION *oy)
{
    switch (o) {
    case 2:
        *ox = w - 1 - sx;
        *oy = sy;
        break;
    case 3:
        *ox = w - 1 - sx;
        *oy = h - 1 - sy;
        break;
    case 4:
        *ox = sx;
        *oy = h - 1 - sy;
        break;
    case 5:
        *ox = sy;
        *oy = sx;
        break;
    case 6:
        *ox = h - 1 - sy;
        *oy = sx;
        break;
    case 7:
        *ox = h - 1 - sy;
        *oy = w - 1 - sx;
        break;
    case 8:
        *ox = sy;
        *oy = w - 1 - sx;
        break;
    default:
        *ox = sx;
        *oy = sy;
        break;
    }
}

/* Places a batch of n decoded RGB rows, starting at stored row first,
 * into the upright image. Rows stay rows for 1-4; for 5-8 a stored row
 * becomes a column, so the loop runs along the output rows, each getting
 * n adjacent pixels. */
static void place_rows(jpeg_job *job, JSAMPARRAY rows, JDIMENSION first, JDIMENSION n)
{
    struct jpeg_decompress_struct *c = &job->cinfo;
    idp_image *img = job->img;
    size_t stride = idp_image_stride(img);
    JDIMENSION w = c->output_width, h = c->output_height, i, sx, ox, oy;
    int o = job->orientation;

    if (o <= 4) {
        for (i = 0; i < n; i++) {
            target_of(o, w, h, 0, first + i, &ox, &oy);
            uint8_t *dst = img->data + (size_t)oy * stride;
            if (o == 2 || o == 3)
                for (sx = 0; sx < w; sx++)
                    memcpy(dst + (size_t)(w - 1 - sx) * 3, rows[i] + (size_t)sx * 3, 3);
            else
                memcpy(dst, rows[i], (size_t)w * 3);
        }
        return;
    }
    for (sx = 0; sx < w; sx++) {
        const size_t from = (size_t)sx * 3;
        uint8_t *dst;

        /* Along the batch, ox runs up (5, 8) or down (6, 7) one by one. */
        target_of(o, w, h, sx, first, &ox, &oy);
        dst = img->data + (size_t)oy * stride + (size_t)ox * 3;
        if (o == 5 || o == 8) {
            for (i = 0; i < n; i++, dst += 3)
                memcpy(dst, rows[i] + from, 3);
        } else {
            for (i = 0; i < n; i++, dst -= 3)
                memcpy(dst, rows[i] + from, 3);
        }
    }
}

/* Decodes through a row batch: CMYK (converted to RGB per row) and any
 * image turned while decoding. */
static void read_batched(jpeg_job *job)
{
    struct jpeg_decompress_struct *c = &job->cinfo;
    JDIMENSION batch = job->orientation >= 5 ? TURN_BATCH : ROW_BATCH, i;
    bool cmyk = c->out_color_space == JCS_CMYK;
    JSAMPARRAY rows = (*c->mem->alloc_sarray)((j_common_ptr)c, JPOOL_IMAGE,
                                              c->output_width * (cmyk ? 4 : 3), batch);
    JSAMPARRAY rgb = rows;

    if (cmyk)
        rgb = (*c->mem->alloc_sarray)((j_common_ptr)c, JPOOL_IMAGE, c->output_width * 3, batch);
    while (c->output_scanline < c->output_height) {
        JDIMENSION first = c->output_scanline, got = 0;

        /* libjpeg returns at most one iMCU row group per call: fill the
         * batch so a 90 degree turn writes long runs. */
        while (got < batch && c->output_scanline < c->output_height)
            got += jpeg_read_scanlines(c, rows + got, batch - got);
        if (cmyk)
            for (i = 0; i < got; i++)
                idp_cmyk_xform_row(job->cmyk, rows[i], rgb[i], c->output_width);
        place_rows(job, rgb, first, got);
    }
}

/* RGB and grey in stored orientation: libjpeg writes straight into the
 * image rows. */
static void read_direct(jpeg_job *job)
{
    struct jpeg_decompress_struct *c = &job->cinfo;
    idp_image *img = job->img;
    size_t stride = idp_image_stride(img);
    JSAMPROW rows[ROW_BATCH];

    while (c->output_scanline < c->output_height) {
        JDIMENSION first = c->output_scanline, i, n = c->output_height - first;

        if (n > ROW_BATCH)
            n = ROW_BATCH;
        for (i = 0; i < n; i++)
            rows[i] = img->data + (size_t)(first + i) * stride;
        (void)jpeg_read_scanlines(c, rows, n);
    }
}

static idp_status decode_guarded(jpeg_job *job, const uint8_t *buf, size_t len, uint32_t min_side,
                                 bool header_only, idp_image_info *info, idp_raw_meta *meta)
{
    struct jpeg_decompress_struct *c = &job->cinfo;
    uint32_t w, h;
    idp_status st;

    if (setjmp(job->jump))
        return job->status != IDP_OK ? job->status : IDP_E_INTERNAL;

    c->err = jpeg_std_error(&job->pub);
    job->pub.error_exit = on_error_exit;
    job->pub.emit_message = on_emit_message;
    jpeg_create_decompress(c);
    job->created = true;
    job->progress.progress_monitor = on_progress;
    c->progress = &job->progress;
    jpeg_mem_src(c, buf, (unsigned long)len);
    jpeg_save_markers(c, JPEG_APP0 + 1, 0xffff);
    jpeg_save_markers(c, JPEG_APP0 + 2, 0xffff);
    if (jpeg_read_header(c, TRUE) != JPEG_HEADER_OK)
        return idp_fail(job->ctx, IDP_E_CORRUPT, "%s: the JPEG holds no image", job->name);
    describe(c, info);
    st = idp_check_dimensions(job->ctx, job->name, c->image_width, c->image_height);
    if (st != IDP_OK)
        return st;
    st = collect_meta(job, meta);
    if (st != IDP_OK || header_only)
        return st;
    if (meta->may_orient && meta->exif != NULL) {
        idp_exif_summary exif;
        idp_exif_summarize(meta->exif, meta->exif_len, &exif);
        job->orientation = exif.orientation;
    }

    if (info->colour == IDP_SRC_CMYK) {
        c->out_color_space = JCS_CMYK;
        /* Adobe (Photoshop) writes CMYK/YCCK inverted, 255 = no ink. */
        st = idp_cmyk_xform_create(job->ctx, meta->icc, meta->icc_len, c->saw_Adobe_marker != 0,
                                   &job->cmyk);
        if (st != IDP_OK)
            return st;
        info->icc_converted = idp_cmyk_xform_used_icc(job->cmyk);
    } else {
        /* libjpeg-turbo expands grey to RGB itself. */
        c->out_color_space = JCS_RGB;
    }
    c->dct_method = JDCT_ISLOW;
    c->scale_num = 1;
    c->scale_denom = 1;
    if (min_side > 0)
        choose_scale(c, min_side);
    info->scale_num = c->scale_num;
    info->scale_denom = c->scale_denom;
    if (info->scale_num == info->scale_denom)
        info->scale_num = info->scale_denom = 1;

    (void)jpeg_start_decompress(c);
    if (c->output_components != (info->colour == IDP_SRC_CMYK ? 4 : 3))
        return idp_fail(job->ctx, IDP_E_INTERNAL, "%s: unexpected %d output components", job->name,
                        c->output_components);
    idp_orient_size(c->output_width, c->output_height, job->orientation, &w, &h);
    st = idp_image_create(job->ctx, w, h, 3, &job->img);
    if (st != IDP_OK)
        return st;
    if (info->colour == IDP_SRC_CMYK || job->orientation != 1)
        read_batched(job);
    else
        read_direct(job);
    /* Reads up to EOI, so damage after the last scan is noticed too. */
    (void)jpeg_finish_decompress(c);
    meta->oriented = job->orientation != 1 ? job->orientation : 0;
    return IDP_OK;
}

idp_status idp_jpeg_decode(idp_ctx *ctx, const char *name, const uint8_t *buf, size_t len,
                           uint32_t min_side, bool header_only, idp_image **out,
                           idp_image_info *info, idp_raw_meta *meta)
{
    jpeg_job *job;
    idp_status st;

    if (out != NULL)
        *out = NULL;
    if (len > ULONG_MAX)
        return idp_fail(ctx, IDP_E_LIMITS, "%s: file too large", name);
    if (!header_only && out == NULL)
        return idp_fail(ctx, IDP_E_USAGE, "%s: no output image", name);
    job = calloc(1, sizeof(*job));
    if (job == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", name);
    job->ctx = ctx;
    job->name = name;
    job->status = IDP_OK;
    job->orientation = 1;
    st = decode_guarded(job, buf, len, min_side, header_only, info, meta);
    if (st == IDP_OK && !header_only) {
        *out = job->img;
        job->img = NULL;
    }
    if (job->created)
        jpeg_destroy_decompress(&job->cinfo);
    idp_image_destroy(job->img);
    idp_cmyk_xform_destroy(job->cmyk);
    free(job);
    if (st != IDP_OK)
        idp_raw_meta_free(meta);
    return st;
}
