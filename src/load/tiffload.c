/* tiffload: the libtiff wrapper (scanners). One directory (page) of the
 * file is read from memory into 8-bit RGB.
 *
 * Every variant libtiff's RGBA interface reads goes through it: RGB and
 * grey of 1 to 16 bits, bilevel, palette, YCbCr (subsampled, JPEG-in-TIFF,
 * which libtiff turns to RGB itself), LAB, with any compression libtiff
 * has (none, LZW, Deflate, PackBits, JPEG, CCITT ...), stripped or tiled,
 * in bands of rows so no full-size RGBA copy is ever made. 8-bit CMYK is
 * read as its samples and converted through its ICC profile when it has
 * one, else with the plain formula (idp_colour). The Orientation tag is
 * passed on to idp_load, which turns the pixels as for EXIF.
 *
 * Errors: libtiff's error handler (per handle, never the global one that
 * prints) keeps the first message; a read that fails is IDP_E_CORRUPT.
 * Limits: the directory count is capped, the size is checked against the
 * ctx limits before anything is allocated, and no single libtiff
 * allocation (a strip, a tile) may exceed MAX_ALLOC. */
#include "idp_codecs.h"
#include "idp_colour.h"
#include "idp_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

/* A photo file of more pages than this is refused: front, back, and some
 * room for a scanner that adds a blank or a cover page. */
#define MAX_PAGES 16u
/* The most libtiff may allocate at once (one strip or tile buffer). */
#define MAX_ALLOC (256u << 20)
/* Rows are converted in bands of about this many RGBA bytes. */
#define BAND_BYTES (32u << 20)

typedef struct tiff_job {
    idp_ctx *ctx;
    const char *name;
    const uint8_t *buf;
    size_t len;
    toff_t pos;
    char error[256]; /* libtiff's first error message */
} tiff_job;

bool idp_tiff_sniff(const uint8_t *buf, size_t len)
{
    if (buf == NULL || len < 4)
        return false;
    return (buf[0] == 'I' && buf[1] == 'I' && (buf[2] == 42 || buf[2] == 43) && buf[3] == 0) ||
           (buf[0] == 'M' && buf[1] == 'M' && buf[2] == 0 && (buf[3] == 42 || buf[3] == 43));
}

static tmsize_t on_read(thandle_t h, void *dst, tmsize_t n)
{
    tiff_job *job = (tiff_job *)h;
    size_t left = job->pos < job->len ? job->len - (size_t)job->pos : 0;

    if (n < 0)
        return 0;
    if ((size_t)n > left)
        n = (tmsize_t)left;
    memcpy(dst, job->buf + job->pos, (size_t)n);
    job->pos += (toff_t)n;
    return n;
}

static tmsize_t on_write(thandle_t h, void *src, tmsize_t n)
{
    (void)h;
    (void)src;
    (void)n;
    return -1;
}

static toff_t on_seek(thandle_t h, toff_t off, int whence)
{
    tiff_job *job = (tiff_job *)h;
    toff_t base = whence == SEEK_CUR ? job->pos : whence == SEEK_END ? (toff_t)job->len : 0;

    if (off > UINT64_MAX - base)
        return (toff_t)-1;
    job->pos = base + off;
    return job->pos;
}

static int on_close(thandle_t h)
{
    (void)h;
    return 0;
}

static toff_t on_size(thandle_t h)
{
    return (toff_t)((tiff_job *)h)->len;
}

/* The file is in memory already: libtiff reads uncompressed strips from it
 * without a copy. */
static int on_map(thandle_t h, void **base, toff_t *size)
{
    tiff_job *job = (tiff_job *)h;

    *base = (void *)(uintptr_t)job->buf;
    *size = (toff_t)job->len;
    return 1;
}

static void on_unmap(thandle_t h, void *base, toff_t size)
{
    (void)h;
    (void)base;
    (void)size;
}

/* libtiff's error handler: fmt is a printf format (checked as one) */
static int on_error(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap)
    IDP_PRINTF(4, 0);
static int on_error(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap)
{
    tiff_job *job = user;

    (void)tif;
    (void)module;
    if (job != NULL && job->error[0] == '\0')
        vsnprintf(job->error, sizeof(job->error), fmt, ap);
    return 1; /* handled: the global handler, which prints, is not called */
}

static int on_warning(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap)
{
    /* Unknown tags and the like: the pixels are not affected. */
    (void)tif;
    (void)user;
    (void)module;
    (void)fmt;
    (void)ap;
    return 1;
}

static idp_status corrupt(tiff_job *job, const char *what)
{
    if (strstr(job->error, "emory") != NULL || strstr(job->error, "alloc") != NULL)
        return idp_fail(job->ctx, IDP_E_LIMITS, "%s: the TIFF needs too much memory: %s", job->name,
                        job->error);
    return idp_fail(job->ctx, IDP_E_CORRUPT, "%s: corrupt TIFF: %s", job->name,
                    job->error[0] != '\0' ? job->error : what);
}

static void describe(TIFF *tif, idp_image_info *info, uint16_t photometric, uint16_t spp)
{
    uint16_t bps = 1, extra = 0, *extra_types = NULL;

    TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bps);
    TIFFGetFieldDefaulted(tif, TIFFTAG_EXTRASAMPLES, &extra, &extra_types);
    info->bit_depth = bps;
    info->has_alpha =
        extra > 0 && extra_types != NULL &&
        (extra_types[0] == EXTRASAMPLE_ASSOCALPHA || extra_types[0] == EXTRASAMPLE_UNASSALPHA);
    switch (photometric) {
    case PHOTOMETRIC_MINISWHITE:
    case PHOTOMETRIC_MINISBLACK:
        info->colour = info->has_alpha ? IDP_SRC_GREY_ALPHA : IDP_SRC_GREY;
        break;
    case PHOTOMETRIC_PALETTE:
        info->colour = IDP_SRC_PALETTE;
        break;
    case PHOTOMETRIC_SEPARATED:
        info->colour = IDP_SRC_CMYK;
        break;
    default:
        info->colour = info->has_alpha && spp >= 4 ? IDP_SRC_RGB_ALPHA : IDP_SRC_RGB;
        break;
    }
}

/* Make/Model name a device; the EXIF and GPS IFDs are camera data. */
static void collect_meta(tiff_job *job, TIFF *tif, idp_raw_meta *meta, idp_image_info *info)
{
    const char *s = NULL;
    uint32_t icc_len = 0;
    void *icc = NULL;
    toff_t off = 0;

    if ((TIFFGetField(tif, TIFFTAG_MAKE, &s) && s != NULL && s[0] != '\0') ||
        (TIFFGetField(tif, TIFFTAG_MODEL, &s) && s != NULL && s[0] != '\0'))
        meta->has_camera = true;
    if (TIFFGetField(tif, TIFFTAG_EXIFIFD, &off) && off != 0)
        info->has_exif = true;
    if (TIFFGetField(tif, TIFFTAG_GPSIFD, &off) && off != 0)
        meta->has_gps = true;
    if (TIFFGetField(tif, TIFFTAG_ICCPROFILE, &icc_len, &icc) && icc != NULL && icc_len >= 128) {
        meta->icc = malloc(icc_len);
        if (meta->icc != NULL) {
            memcpy(meta->icc, icc, icc_len);
            meta->icc_len = icc_len;
        }
    }
    (void)job;
}

/* 8-bit contiguous CMYK: its samples, strip by strip or tile by tile, to
 * RGB through x. */
static idp_status read_cmyk(tiff_job *job, TIFF *tif, uint16_t spp, const idp_cmyk_xform *x,
                            idp_image *img)
{
    const uint32_t w = img->width, h = img->height;
    const size_t stride = idp_image_stride(img);
    tmsize_t bsize = TIFFIsTiled(tif) ? TIFFTileSize(tif) : TIFFStripSize(tif);
    uint8_t *block = NULL, *cmyk = NULL;
    uint32_t bw = w, bh = 0, bx, by, y, i;
    idp_status st = IDP_OK;

    if (TIFFIsTiled(tif)) {
        TIFFGetField(tif, TIFFTAG_TILEWIDTH, &bw);
        TIFFGetField(tif, TIFFTAG_TILELENGTH, &bh);
    } else {
        TIFFGetFieldDefaulted(tif, TIFFTAG_ROWSPERSTRIP, &bh);
        if (bh > h)
            bh = h;
    }
    if (bsize <= 0 || (uint64_t)bsize > MAX_ALLOC || bw == 0 || bh == 0 ||
        (uint64_t)bw * bh * spp > (uint64_t)bsize)
        return corrupt(job, "bad strip or tile size");
    block = malloc((size_t)bsize);
    cmyk = malloc((size_t)bw * 4);
    if (block == NULL || cmyk == NULL) {
        st = idp_fail(job->ctx, IDP_E_NOMEM, "%s: out of memory", job->name);
        goto out;
    }
    for (by = 0; by < h; by += bh) {
        for (bx = 0; bx < w; bx += bw) {
            uint32_t n = w - bx < bw ? w - bx : bw;
            tmsize_t got =
                TIFFIsTiled(tif)
                    ? TIFFReadEncodedTile(tif, TIFFComputeTile(tif, bx, by, 0, 0), block, bsize)
                    : TIFFReadEncodedStrip(tif, TIFFComputeStrip(tif, by, 0), block, bsize);
            if (got < 0) {
                st = corrupt(job, "cannot read the image data");
                goto out;
            }
            for (y = by; y < h && y < by + bh; y++) {
                const uint8_t *src = block + (size_t)(y - by) * bw * spp;
                if ((size_t)(src - block) + (size_t)n * spp > (size_t)got) {
                    st = corrupt(job, "the image data is truncated");
                    goto out;
                }
                for (i = 0; i < n; i++)
                    memcpy(cmyk + (size_t)i * 4, src + (size_t)i * spp, 4);
                idp_cmyk_xform_row(x, cmyk, img->data + (size_t)y * stride + (size_t)bx * 3, n);
            }
        }
    }
out:
    idp_free_wiped(block, block != NULL ? (size_t)bsize : 0);
    idp_free_wiped(cmyk, cmyk != NULL ? (size_t)bw * 4 : 0);
    return st;
}

/* Everything else: libtiff's RGBA interface, a band of rows at a time, in
 * stored orientation (req_orientation = the file's: no flip). */
static idp_status read_rgba(tiff_job *job, TIFF *tif, idp_image *img)
{
    TIFFRGBAImage rgba;
    char emsg[1024] = "";
    const uint32_t w = img->width, h = img->height;
    const size_t stride = idp_image_stride(img);
    uint32_t block = 0, band, y, i, n;
    uint32_t *raster = NULL;
    size_t raster_len = 0;
    idp_status st = IDP_OK;

    if (!TIFFRGBAImageOK(tif, emsg))
        return idp_fail(job->ctx, IDP_E_FORMAT, "%s: unsupported TIFF: %s", job->name, emsg);
    if (!TIFFRGBAImageBegin(&rgba, tif, 1, emsg))
        return job->error[0] != '\0'
                   ? corrupt(job, emsg)
                   : idp_fail(job->ctx, IDP_E_FORMAT, "%s: unsupported TIFF: %s", job->name, emsg);
    rgba.req_orientation = rgba.orientation;
    if (TIFFIsTiled(tif))
        TIFFGetField(tif, TIFFTAG_TILELENGTH, &block);
    else
        TIFFGetFieldDefaulted(tif, TIFFTAG_ROWSPERSTRIP, &block);
    if (block == 0 || block > h)
        block = h;
    /* Whole strips or tiles per band, as many as fit BAND_BYTES. */
    band = (uint32_t)(BAND_BYTES / ((size_t)w * 4));
    band = band > block ? band - band % block : block;
    if (band > h)
        band = h;
    if (!idp_mul_size((size_t)w * 4, band, &raster_len)) {
        st = idp_fail(job->ctx, IDP_E_LIMITS, "%s: image too large", job->name);
        goto out;
    }
    raster = malloc(raster_len);
    if (raster == NULL) {
        st = idp_fail(job->ctx, IDP_E_NOMEM, "%s: out of memory", job->name);
        goto out;
    }
    for (y = 0; y < h; y += band) {
        n = h - y < band ? h - y : band;
        rgba.row_offset = (int)y;
        rgba.col_offset = 0;
        if (!TIFFRGBAImageGet(&rgba, raster, w, n)) {
            st = corrupt(job, "cannot read the image data");
            goto out;
        }
        for (i = 0; i < n; i++) {
            const uint32_t *p = raster + (size_t)i * w;
            uint8_t *d = img->data + (size_t)(y + i) * stride;
            uint32_t x;
            for (x = 0; x < w; x++, d += 3) {
                /* premultiplied alpha over white: c + (255 - a) */
                unsigned add = 255u - TIFFGetA(p[x]);
                d[0] = (uint8_t)(TIFFGetR(p[x]) + add > 255 ? 255 : TIFFGetR(p[x]) + add);
                d[1] = (uint8_t)(TIFFGetG(p[x]) + add > 255 ? 255 : TIFFGetG(p[x]) + add);
                d[2] = (uint8_t)(TIFFGetB(p[x]) + add > 255 ? 255 : TIFFGetB(p[x]) + add);
            }
        }
    }
out:
    TIFFRGBAImageEnd(&rgba);
    idp_free_wiped(raster, raster_len);
    return st;
}

static idp_status decode_page(tiff_job *job, TIFF *tif, uint32_t page, bool header_only,
                              idp_image **out, idp_image_info *info, idp_raw_meta *meta)
{
    uint32_t w = 0, h = 0;
    uint16_t photometric = 0, spp = 1, bps = 1, planar = PLANARCONFIG_CONTIG, orient = 1;
    uint16_t inkset = INKSET_CMYK;
    tdir_t pages;
    idp_cmyk_xform *x = NULL;
    idp_image *img = NULL;
    idp_status st;

    pages = TIFFNumberOfDirectories(tif);
    if (pages == 0)
        return corrupt(job, "no image in the file");
    if (pages > MAX_PAGES)
        return idp_fail(job->ctx, IDP_E_LIMITS,
                        "%s: a TIFF of %u pages: at most %u are read (front and back)", job->name,
                        (unsigned)pages, MAX_PAGES);
    info->pages = pages;
    info->page = page;
    if (page >= pages)
        return idp_fail(job->ctx, IDP_E_USAGE, "%s: there is no page %u (the file has %u)",
                        job->name, page + 1, (unsigned)pages);
    if (!TIFFSetDirectory(tif, (tdir_t)page))
        return corrupt(job, "cannot read the page's directory");
    if (!TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w) || !TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h))
        return corrupt(job, "the page has no size");
    info->stored_width = w;
    info->stored_height = h;
    st = idp_check_dimensions(job->ctx, job->name, w, h);
    if (st == IDP_OK) /* the RGB output; libtiff reads in bounded bands */
        st = idp_check_budget(job->ctx, job->name, "TIFF page", w, h, 3.0);
    if (st != IDP_OK)
        return st;
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
    TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bps);
    TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &planar);
    TIFFGetFieldDefaulted(tif, TIFFTAG_INKSET, &inkset);
    if (!TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photometric))
        photometric = spp >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK;
    if (TIFFGetFieldDefaulted(tif, TIFFTAG_ORIENTATION, &orient) && orient >= 1 && orient <= 8)
        meta->orientation = orient;
    else
        meta->orientation = 1;
    describe(tif, info, photometric, spp);
    collect_meta(job, tif, meta, info);
    if (header_only)
        return IDP_OK;

    st = idp_image_create(job->ctx, w, h, 3, &img);
    if (st != IDP_OK)
        return st;
    if (photometric == PHOTOMETRIC_SEPARATED && inkset == INKSET_CMYK && bps == 8 && spp >= 4 &&
        planar == PLANARCONFIG_CONTIG) {
        const char *ignored = NULL;
        st = idp_cmyk_xform_create(job->ctx, meta->icc, meta->icc_len, false, &x, &ignored);
        if (ignored != NULL)
            meta->icc_ignored = ignored;
        if (st == IDP_OK) {
            info->icc_converted = idp_cmyk_xform_used_icc(x);
            st = read_cmyk(job, tif, spp, x, img);
        }
        idp_cmyk_xform_destroy(x);
    } else {
        st = read_rgba(job, tif, img);
    }
    if (st != IDP_OK) {
        idp_image_destroy(img);
        return st;
    }
    *out = img;
    return IDP_OK;
}

idp_status idp_tiff_decode(idp_ctx *ctx, const char *name, const uint8_t *buf, size_t len,
                           uint32_t page, bool header_only, idp_image **out, idp_image_info *info,
                           idp_raw_meta *meta)
{
    tiff_job job;
    TIFFOpenOptions *topts;
    TIFF *tif;
    idp_status st;

    if (out != NULL)
        *out = NULL;
    if (!header_only && out == NULL)
        return idp_fail(ctx, IDP_E_USAGE, "%s: no output image", name);
    memset(&job, 0, sizeof(job));
    job.ctx = ctx;
    job.name = name;
    job.buf = buf;
    job.len = len;
    topts = TIFFOpenOptionsAlloc();
    if (topts == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", name);
    TIFFOpenOptionsSetMaxSingleMemAlloc(topts, MAX_ALLOC);
    TIFFOpenOptionsSetErrorHandlerExtR(topts, on_error, &job);
    TIFFOpenOptionsSetWarningHandlerExtR(topts, on_warning, &job);
    tif = TIFFClientOpenExt(name, "r", (thandle_t)&job, on_read, on_write, on_seek, on_close,
                            on_size, on_map, on_unmap, topts);
    TIFFOpenOptionsFree(topts);
    if (tif == NULL)
        st = corrupt(&job, "cannot read the header");
    else
        st = decode_page(&job, tif, page, header_only, header_only ? NULL : out, info, meta);
    if (tif != NULL)
        TIFFClose(tif);
    if (st != IDP_OK)
        idp_raw_meta_free(meta);
    return st;
}
