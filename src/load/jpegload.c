/* jpegload: the libjpeg(-turbo) wrapper. All setjmp/longjmp for JPEG lives
 * here: decode_guarded() sets the jump point; everything that must be freed
 * lives in a jpeg_job owned by the caller, so nothing depends on local
 * variables surviving a longjmp.
 *
 * Policy: any libjpeg warning (corrupt data, premature end of file, extra
 * bytes) is an error, IDP_E_CORRUPT; a damaged ID photo must be noticed,
 * not passed on with grey blocks in it. A malformed ICC chunk sequence is
 * not a warning: the profile is then dropped (as libjpeg does) and the
 * pixels, which are intact, are decoded.
 *
 * Bounds (docs/bad-input.md): APPn/COM segments are read by our own marker
 * processor, which counts them (MAX_MARKERS) and keeps only the EXIF block
 * and the ICC chunks; the progress monitor counts scans and the blocks they
 * pass over; fit_budget() chooses the DCT scale within the memory budget
 * from the header, before jpeg_start_decompress() allocates anything. */
#include "idp_codecs.h"
#include "idp_colour.h"
#include "idp_exif.h"
#include "idp_icc.h"
#include "idp_io.h"
#include "idp_orient.h"

#include <limits.h>
#include <setjmp.h>
#include <stdio.h> /* jpeglib.h needs FILE */
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

/* A progressive file can carry thousands of tiny scans, each a full pass
 * over the coefficients: cap them as libjpeg-turbo's TJPARAM_SCANLIMIT does.
 * Encoders write 10 (libjpeg's default progression) to about 20 (mozjpeg);
 * 100 passes over the largest coefficient buffers the memory budget allows
 * take about a second. */
#define MAX_SCANS 100
/* And the scans may not pass over more blocks in all than this many times
 * the image's blocks: libjpeg's default progression passes about 5.5
 * times; a flood of repeated scans over a large image costs 20 ns a block
 * for each (100 scans of 81 megapixels: 2.7 s) and is refused early. */
#define MAX_SCAN_PASSES 16
/* APPn and COM segments counted while the header is read. A phone or camera
 * writes under 20 (JFIF, EXIF, XMP, ICC, MPF, maker data); an ICC profile at
 * the 4 MiB limit takes 65. More is a crafted file. */
#define MAX_MARKERS 128
/* An ICC profile is cut into at most 255 APP2 chunks. */
#define ICC_MAX_CHUNKS 255
#define ICC_CHUNK_HEADER 14 /* "ICC_PROFILE\0", sequence number, count */
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
    idp_status status; /* set by the handlers before they jump */
    bool created;      /* cinfo needs jpeg_destroy_decompress */
    idp_image *img;    /* owned until handed to the caller */
    idp_cmyk_xform *cmyk;
    int orientation;         /* EXIF orientation applied while decoding (1: none) */
    unsigned markers;        /* APPn and COM segments seen */
    int last_scan;           /* the scan the progress monitor last saw */
    uint64_t scanned_blocks; /* blocks of all the scans seen so far */
    uint64_t budget;         /* bytes the decoder may use (idp_limits.max_decode_bytes) */
    /* What the marker processor keeps: the first EXIF block and the ICC
     * profile's chunks (malloc()ed, ours). */
    uint8_t *exif;
    size_t exif_len;
    uint8_t *icc_chunk[ICC_MAX_CHUNKS + 1]; /* by sequence number, 1..255 */
    size_t icc_chunk_len[ICC_MAX_CHUNKS + 1];
    unsigned icc_count; /* the count the chunks declare, 0: none seen */
    size_t icc_total;
    const char *icc_dropped; /* why the ICC chunks were not kept, NULL if they were */
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
    if (code == JERR_NO_BACKING_STORE) {
        /* libjpeg wanted more than max_memory_to_use (the budget): it
         * would spill to a temporary file, which idpack never allows. */
        job->status = idp_fail(job->ctx, IDP_E_LIMITS,
                               "%s: the JPEG needs more memory to decode than the %llu MiB budget",
                               job->name, (unsigned long long)(job->budget >> 20));
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
    if (level >= 0)
        return; /* trace messages */
    cinfo->err->num_warnings++;
    job_fail(cinfo, IDP_E_CORRUPT);
}

/* Called before each step of the input: at the start of every scan it
 * counts the scan and the blocks it covers, and stops the decode once
 * either is over its cap, before the scan is decoded. */
static void on_progress(j_common_ptr cinfo)
{
    jpeg_job *job = (jpeg_job *)(void *)cinfo->err;
    j_decompress_ptr d = (j_decompress_ptr)(void *)cinfo;
    uint64_t all = 0;
    int ci;

    if (d->input_scan_number == job->last_scan)
        return;
    job->last_scan = d->input_scan_number;
    if (d->input_scan_number > MAX_SCANS) {
        job->status =
            idp_fail(job->ctx, IDP_E_LIMITS, "%s: progressive JPEG with more than %d scans refused",
                     job->name, MAX_SCANS);
        longjmp(job->jump, 1);
    }
    for (ci = 0; ci < d->comps_in_scan && ci < MAX_COMPS_IN_SCAN; ci++)
        job->scanned_blocks += (uint64_t)d->cur_comp_info[ci]->width_in_blocks *
                               d->cur_comp_info[ci]->height_in_blocks;
    for (ci = 0; ci < d->num_components; ci++)
        all += (uint64_t)d->comp_info[ci].width_in_blocks * d->comp_info[ci].height_in_blocks;
    if (job->scanned_blocks > all * MAX_SCAN_PASSES) {
        job->status = idp_fail(job->ctx, IDP_E_LIMITS,
                               "%s: JPEG whose %d scans pass over the image more than %d times "
                               "refused",
                               job->name, d->input_scan_number, MAX_SCAN_PASSES);
        longjmp(job->jump, 1);
    }
}

/* Fails the decode from inside a libjpeg callback. */
static void job_refuse(jpeg_job *job, idp_status status, const char *what)
{
    job->status = idp_fail(job->ctx, status, "%s: %s", job->name, what);
    longjmp(job->jump, 1);
}

/* Reads n bytes of the current marker segment into dst (NULL: skips
 * them). The source is jpeg_mem_src: at the end of the file it warns
 * (an error here: the file is truncated) and inserts an EOI. */
static void marker_bytes(j_decompress_ptr c, uint8_t *dst, size_t n)
{
    struct jpeg_source_mgr *src = c->src;

    while (n > 0) {
        size_t k;

        if (src->bytes_in_buffer == 0)
            (void)(*src->fill_input_buffer)(c);
        k = src->bytes_in_buffer < n ? src->bytes_in_buffer : n;
        if (dst != NULL) {
            memcpy(dst, src->next_input_byte, k);
            dst += k;
        }
        src->next_input_byte += k;
        src->bytes_in_buffer -= k;
        n -= k;
    }
}

static void drop_icc(jpeg_job *job, const char *why)
{
    unsigned i;

    for (i = 0; i <= ICC_MAX_CHUNKS; i++) {
        free(job->icc_chunk[i]);
        job->icc_chunk[i] = NULL;
        job->icc_chunk_len[i] = 0;
    }
    job->icc_total = 0;
    if (job->icc_dropped == NULL)
        job->icc_dropped = why;
}

/* Keeps one APP2 ICC chunk of len bytes (after its 14-byte header). */
static void keep_icc_chunk(j_decompress_ptr c, jpeg_job *job, unsigned seq, unsigned count,
                           size_t len)
{
    if (job->icc_dropped != NULL) {
        marker_bytes(c, NULL, len);
        return;
    }
    if (seq == 0 || count == 0 || seq > count || (job->icc_count != 0 && count != job->icc_count) ||
        job->icc_chunk[seq] != NULL) {
        /* As libjpeg's jpeg_read_icc_profile: the profile is dropped, the
         * pixels are decoded. */
        drop_icc(job, "its ICC chunks are numbered inconsistently");
        marker_bytes(c, NULL, len);
        return;
    }
    if (job->icc_total + len > IDP_ICC_MAX_BYTES) {
        drop_icc(job, "it is larger than 4 MiB");
        marker_bytes(c, NULL, len);
        return;
    }
    job->icc_count = count;
    job->icc_chunk[seq] = malloc(len > 0 ? len : 1);
    if (job->icc_chunk[seq] == NULL)
        job_refuse(job, IDP_E_NOMEM, "out of memory");
    marker_bytes(c, job->icc_chunk[seq], len);
    job->icc_chunk_len[seq] = len;
    job->icc_total += len;
}

/* libjpeg's processor for every APPn and COM segment: counts them while
 * the header is read (a flood is refused at the MAX_MARKERS + 1st, before
 * the rest of the file is looked at), keeps the first EXIF block and the
 * ICC chunks, notes JFIF and Adobe as libjpeg does, and skips the rest.
 * (jpeg_save_markers would keep every segment on a list it walks to the
 * end for each new one: 100 000 empty APP1 took 12.8 s.) */
static boolean on_marker(j_decompress_ptr c)
{
    jpeg_job *job = (jpeg_job *)(void *)c->err;
    int marker = c->unread_marker;
    uint8_t head[ICC_CHUNK_HEADER];
    size_t len, got;

    marker_bytes(c, head, 2);
    len = (size_t)head[0] << 8 | head[1];
    if (len < 2)
        job_refuse(job, IDP_E_CORRUPT, "corrupt JPEG: a marker segment is shorter than its length");
    len -= 2;
    if (++job->markers > MAX_MARKERS) {
        job->status = idp_fail(job->ctx, IDP_E_CORRUPT,
                               "%s: corrupt JPEG: more than %d metadata segments (APPn, COM); "
                               "a camera writes fewer than 20",
                               job->name, MAX_MARKERS);
        longjmp(job->jump, 1);
    }
    got = len < sizeof(head) ? len : sizeof(head);
    marker_bytes(c, head, got);
    len -= got;
    if (marker == JPEG_APP0 + 1 && job->exif == NULL && got >= 6 &&
        memcmp(head, "Exif\0\0", 6) == 0 && got + len > 6) {
        job->exif_len = got - 6 + len;
        job->exif = malloc(job->exif_len);
        if (job->exif == NULL)
            job_refuse(job, IDP_E_NOMEM, "out of memory");
        memcpy(job->exif, head + 6, got - 6);
        marker_bytes(c, job->exif + got - 6, len);
        return TRUE;
    }
    if (marker == JPEG_APP0 + 2 && got == ICC_CHUNK_HEADER &&
        memcmp(head, "ICC_PROFILE\0", 12) == 0) {
        keep_icc_chunk(c, job, head[12], head[13], len);
        return TRUE;
    }
    if (marker == JPEG_APP0 && got == ICC_CHUNK_HEADER && memcmp(head, "JFIF\0", 5) == 0) {
        c->saw_JFIF_marker = TRUE;
        c->JFIF_major_version = head[5];
        c->JFIF_minor_version = head[6];
        c->density_unit = head[7];
        c->X_density = (UINT16)(head[8] << 8 | head[9]);
        c->Y_density = (UINT16)(head[10] << 8 | head[11]);
    } else if (marker == JPEG_APP0 + 14 && got >= 12 && memcmp(head, "Adobe", 5) == 0) {
        c->saw_Adobe_marker = TRUE;
        c->Adobe_transform = head[11];
    }
    marker_bytes(c, NULL, len);
    return TRUE;
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

/* Hands the EXIF block and the ICC profile (its chunks joined in order)
 * the marker processor kept to meta. */
static idp_status collect_meta(jpeg_job *job, idp_raw_meta *meta)
{
    unsigned i;
    size_t at = 0;

    meta->exif = job->exif;
    meta->exif_len = job->exif_len;
    job->exif = NULL;
    job->exif_len = 0;
    for (i = 1; i <= job->icc_count && job->icc_dropped == NULL; i++)
        if (job->icc_chunk[i] == NULL)
            drop_icc(job, "its ICC chunks are incomplete");
    meta->icc_ignored = job->icc_dropped;
    if (job->icc_count == 0 || job->icc_dropped != NULL || job->icc_total == 0)
        return IDP_OK;
    meta->icc = malloc(job->icc_total);
    if (meta->icc == NULL)
        return idp_fail(job->ctx, IDP_E_NOMEM, "%s: out of memory", job->name);
    for (i = 1; i <= job->icc_count; i++) {
        memcpy(meta->icc + at, job->icc_chunk[i], job->icc_chunk_len[i]);
        at += job->icc_chunk_len[i];
    }
    meta->icc_len = at;
    drop_icc(job, NULL);
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

/* The whole-image coefficient buffers libjpeg keeps for a file of
 * several scans (progressive, or one component per scan): 64 coefficients
 * of 2 bytes per block, each component rounded up to whole MCUs, at full
 * size whatever the output scale (jdcoefct.c). 0 for a single-scan file,
 * decoded row by row. */
static uint64_t coefficient_bytes(const struct jpeg_decompress_struct *c)
{
    uint64_t total = 0;
    int ci;

    if (!c->progressive_mode && c->comps_in_scan >= c->num_components)
        return 0;
    for (ci = 0; ci < c->num_components; ci++) {
        const jpeg_component_info *comp = &c->comp_info[ci];
        uint64_t hs = (uint64_t)comp->h_samp_factor, vs = (uint64_t)comp->v_samp_factor;
        uint64_t bw = (comp->width_in_blocks + hs - 1) / hs * hs;
        uint64_t bh = (comp->height_in_blocks + vs - 1) / vs * vs;
        total += bw * bh * DCTSIZE2 * sizeof(JCOEF);
    }
    return total;
}

/* libjpeg's own working memory besides the coefficients: tables, the
 * entropy decoder, and a few iMCU rows of every component for the IDCT,
 * upsampling and colour conversion (at most 2 x 16 rows of full width). */
static uint64_t work_bytes(const struct jpeg_decompress_struct *c)
{
    return 512u * 1024u + (uint64_t)48 * c->image_width * (uint64_t)c->num_components;
}

/* The RGB image at the output size set in c, and a batch of rows. */
static uint64_t output_bytes(const struct jpeg_decompress_struct *c)
{
    return (uint64_t)c->output_width * c->output_height * 3 +
           (uint64_t)c->output_width * 7 * TURN_BATCH;
}

/* Keeps the decode within the memory budget, decided from the header:
 * when the output at the scale asked for does not fit beside the
 * coefficient buffers, a smaller DCT scale is chosen; when even 1/8 does
 * not fit, or the coefficients alone do not, the photo is refused. libjpeg
 * is told the same budget (max_memory_to_use), so it can never allocate
 * more for its buffers either (it refuses instead of spilling to disk). */
static idp_status fit_budget(jpeg_job *job)
{
    struct jpeg_decompress_struct *c = &job->cinfo;
    uint64_t coef, budget = job->budget; /* coef: with libjpeg's working memory */
    unsigned int num;

    if (budget == 0)
        return IDP_OK;
    jpeg_calc_output_dimensions(c);
    coef = coefficient_bytes(c) + work_bytes(c);
    if (coef < budget && output_bytes(c) <= budget - coef)
        goto fits;
    if (coef < budget) {
        /* The same scale as asked, in eighths, then smaller. */
        num = (c->scale_num * 8 + c->scale_denom - 1) / c->scale_denom;
        c->scale_denom = 8;
        while (num > 1) {
            c->scale_num = --num;
            jpeg_calc_output_dimensions(c);
            if (output_bytes(c) <= budget - coef)
                goto fits;
        }
    }
    return idp_fail(
        job->ctx, IDP_E_LIMITS,
        "%s: decoding the JPEG needs %llu MiB (%llu MiB for the coefficients of its "
        "%s), over the %llu MiB memory budget even at 1/8 scale",
        job->name, (unsigned long long)((coef + output_bytes(c) + (1u << 20) - 1) >> 20),
        (unsigned long long)((coefficient_bytes(c) + (1u << 20) - 1) >> 20),
        c->progressive_mode ? "progressive scans" : "scans", (unsigned long long)(budget >> 20));
fits:
    c->mem->max_memory_to_use =
        (long)(budget - output_bytes(c) > LONG_MAX ? LONG_MAX : budget - output_bytes(c));
    return IDP_OK;
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
    int k;

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
    for (k = 0; k < 16; k++)
        jpeg_set_marker_processor(c, JPEG_APP0 + k, on_marker);
    jpeg_set_marker_processor(c, JPEG_COM, on_marker);
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
        const char *ignored = NULL;
        st = idp_cmyk_xform_create(job->ctx, meta->icc, meta->icc_len, c->saw_Adobe_marker != 0,
                                   &job->cmyk, &ignored);
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
    st = fit_budget(job);
    if (st != IDP_OK)
        return st;
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
    job->budget = idp_ctx_limits(ctx)->max_decode_bytes;
    st = decode_guarded(job, buf, len, min_side, header_only, info, meta);
    if (st == IDP_OK && !header_only) {
        *out = job->img;
        job->img = NULL;
    }
    if (job->created)
        jpeg_destroy_decompress(&job->cinfo);
    idp_image_destroy(job->img);
    idp_cmyk_xform_destroy(job->cmyk);
    idp_free_wiped(job->exif, job->exif_len);
    drop_icc(job, NULL);
    free(job);
    if (st != IDP_OK)
        idp_raw_meta_free(meta);
    return st;
}
