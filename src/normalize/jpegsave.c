/* jpegsave: the libjpeg-turbo encoder glue. The setjmp/longjmp of
 * libjpeg's error handling stays inside this file.
 *
 * The output is a baseline sequential JPEG with a JFIF header and nothing
 * else: no EXIF, ICC, XMP, Adobe or comment markers are ever written.
 *
 * It goes to memory through a small destination manager of our own rather
 * than jpeg_mem_dest(): when libjpeg fails after jpeg_mem_dest() has grown
 * its buffer, the application's pointer is stale and the new buffer cannot
 * be freed. Ours owns its buffer, wipes the old one when growing (it holds
 * an ID photo) and frees it on any failure. */
#include "idp_jpegsave.h"

#include "idp_io.h"

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h> /* before jpeglib.h, which uses FILE */
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h> /* after jpeglib.h */

typedef struct save_err {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char msg[JMSG_LENGTH_MAX];
} save_err;

typedef struct save_dest {
    struct jpeg_destination_mgr pub;
    unsigned char *buf;
    size_t size; /* allocated */
    size_t used; /* valid bytes once finished */
    bool nomem;
} save_dest;

/* Everything that changes after setjmp lives here, behind a pointer that
 * does not, so nothing is clobbered by longjmp. */
typedef struct save_state {
    struct jpeg_compress_struct cinfo;
    save_err err;
    save_dest dest;
    bool created;
} save_state;

static void save_error_exit(j_common_ptr cinfo)
{
    save_err *err = (save_err *)cinfo->err;
    err->pub.format_message(cinfo, err->msg);
    longjmp(err->jump, 1);
}

static void save_output_message(j_common_ptr cinfo)
{
    (void)cinfo; /* the library never prints */
}

static void dest_init(j_compress_ptr cinfo)
{
    save_dest *d = (save_dest *)cinfo->dest;
    d->pub.next_output_byte = d->buf;
    d->pub.free_in_buffer = d->size;
}

/* The buffer is full: double it. */
static boolean dest_grow(j_compress_ptr cinfo)
{
    save_dest *d = (save_dest *)cinfo->dest;
    unsigned char *bigger = NULL;

    if (d->size > SIZE_MAX / 2 || (bigger = malloc(d->size * 2)) == NULL) {
        d->nomem = true;
        ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 99);
    }
    memcpy(bigger, d->buf, d->size);
    idp_free_wiped(d->buf, d->size);
    d->buf = bigger;
    d->pub.next_output_byte = d->buf + d->size;
    d->pub.free_in_buffer = d->size;
    d->size *= 2;
    return TRUE;
}

static void dest_term(j_compress_ptr cinfo)
{
    save_dest *d = (save_dest *)cinfo->dest;
    d->used = d->size - d->pub.free_in_buffer;
}

/* Runs libjpeg on s. Returns false if libjpeg failed (s->err.msg says why).
 * Nothing here is modified between setjmp and a longjmp but through s. */
static bool compress(save_state *s, const idp_image *img, int quality)
{
    size_t stride = idp_image_stride(img);

    if (setjmp(s->err.jump))
        return false;
    jpeg_create_compress(&s->cinfo);
    s->created = true;
    s->cinfo.dest = &s->dest.pub;
    s->cinfo.image_width = img->width;
    s->cinfo.image_height = img->height;
    s->cinfo.input_components = (int)img->channels;
    s->cinfo.in_color_space = img->channels == 3 ? JCS_RGB : JCS_GRAYSCALE;
    jpeg_set_defaults(&s->cinfo); /* baseline sequential, JFIF */
    jpeg_set_quality(&s->cinfo, quality, TRUE);
    s->cinfo.optimize_coding = FALSE;
    s->cinfo.dct_method = JDCT_ISLOW;
    s->cinfo.write_JFIF_header = TRUE;
    s->cinfo.write_Adobe_marker = FALSE;
    if (img->channels == 3) {
        /* 4:2:0, stated rather than trusted to the defaults. */
        s->cinfo.comp_info[0].h_samp_factor = 2;
        s->cinfo.comp_info[0].v_samp_factor = 2;
        for (int c = 1; c < 3; c++) {
            s->cinfo.comp_info[c].h_samp_factor = 1;
            s->cinfo.comp_info[c].v_samp_factor = 1;
        }
    }
    jpeg_start_compress(&s->cinfo, TRUE);
    while (s->cinfo.next_scanline < s->cinfo.image_height) {
        /* libjpeg does not write through the row pointer. */
        JSAMPROW row = (JSAMPROW)(uintptr_t)(img->data + (size_t)s->cinfo.next_scanline * stride);
        jpeg_write_scanlines(&s->cinfo, &row, 1);
    }
    jpeg_finish_compress(&s->cinfo);
    return true;
}

idp_status idp_jpeg_encode(idp_ctx *ctx, const idp_image *img, int quality, uint8_t **jpeg,
                           size_t *len)
{
    save_state *s;
    idp_status st = IDP_OK;

    *jpeg = NULL;
    *len = 0;
    if (quality < 1 || quality > 100)
        return idp_fail(ctx, IDP_E_USAGE, "JPEG quality %d is not between 1 and 100", quality);
    if (img->data == NULL || img->width == 0 || img->height == 0 ||
        (img->channels != 1 && img->channels != 3))
        return idp_fail(ctx, IDP_E_USAGE, "cannot encode a %ux%u image of %u channels", img->width,
                        img->height, img->channels);
    if (img->width > JPEG_MAX_DIMENSION || img->height > JPEG_MAX_DIMENSION)
        return idp_fail(ctx, IDP_E_LIMITS, "a %ux%u image is too large for JPEG", img->width,
                        img->height);
    s = calloc(1, sizeof(*s));
    if (s == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
    s->cinfo.err = jpeg_std_error(&s->err.pub);
    s->err.pub.error_exit = save_error_exit;
    s->err.pub.output_message = save_output_message;
    /* A first guess of the size (about 2 bits a pixel); it grows if needed. */
    {
        uint64_t guess = (uint64_t)img->width * img->height * img->channels / 12 + 65536;
        s->dest.size = (size_t)(guess < (1u << 26) ? guess : (1u << 26));
    }
    s->dest.buf = malloc(s->dest.size);
    if (s->dest.buf == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, "out of memory for the JPEG output");
        goto out;
    }
    s->dest.pub.init_destination = dest_init;
    s->dest.pub.empty_output_buffer = dest_grow;
    s->dest.pub.term_destination = dest_term;
    if (!compress(s, img, quality)) {
        if (s->dest.nomem)
            st = idp_fail(ctx, IDP_E_NOMEM, "out of memory for the JPEG output");
        else
            st = idp_fail(ctx, IDP_E_INTERNAL, "JPEG encoder: %s", s->err.msg);
        goto out;
    }
    *jpeg = s->dest.buf;
    *len = s->dest.used;
    s->dest.buf = NULL;
out:
    if (s->created)
        jpeg_destroy_compress(&s->cinfo);
    idp_free_wiped(s->dest.buf, s->dest.size);
    free(s);
    return st;
}
