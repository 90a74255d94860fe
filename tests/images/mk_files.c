/* idp_mkphotos (see mkphotos.c): the files. EXIF (libexif), the JPEG and
 * PNG writers, the Display P3 profile, and the deliberately broken files. */

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <libexif/exif-data.h>
#include <png.h>

#include "mkphotos.h"

/* ------------------------------------------------------------------ */
/* EXIF (libexif)                                                     */

static ExifEntry *exif_add(ExifData *ed, ExifIfd ifd, ExifTag tag, ExifFormat fmt,
                           unsigned long components)
{
    ExifMem *mem = exif_mem_new_default();
    ExifEntry *e = exif_entry_new_mem(mem);
    if (!mem || !e)
        die("libexif: out of memory");
    const unsigned int size = exif_format_get_size(fmt) * (unsigned int)components;
    e->data = exif_mem_alloc(mem, size);
    if (!e->data)
        die("libexif: out of memory");
    e->size = size;
    e->tag = tag;
    e->format = fmt;
    e->components = components;
    exif_content_add_entry(ed->ifd[ifd], e);
    exif_mem_unref(mem);
    exif_entry_unref(e);
    return e;
}

static void exif_ascii(ExifData *ed, ExifIfd ifd, ExifTag tag, const char *s)
{
    const size_t n = strlen(s) + 1;
    ExifEntry *e = exif_add(ed, ifd, tag, EXIF_FORMAT_ASCII, n);
    memcpy(e->data, s, n);
}

static void exif_short(ExifData *ed, ExifIfd ifd, ExifTag tag, unsigned v)
{
    ExifEntry *e = exif_add(ed, ifd, tag, EXIF_FORMAT_SHORT, 1);
    exif_set_short(e->data, EXIF_BYTE_ORDER_INTEL, (ExifShort)v);
}

static void exif_rationals(ExifData *ed, ExifIfd ifd, ExifTag tag, const unsigned *nd, unsigned n)
{
    ExifEntry *e = exif_add(ed, ifd, tag, EXIF_FORMAT_RATIONAL, n);
    for (unsigned i = 0; i < n; i++) {
        ExifRational r = {nd[2 * i], nd[2 * i + 1]};
        exif_set_rational(e->data + 8 * i, EXIF_BYTE_ORDER_INTEL, r);
    }
}

/* The APP1 payload ("Exif\0\0" + TIFF) for spec; caller frees out->p. */
void make_exif(const exif_spec *spec, int width, int height, buf *out)
{
    ExifData *ed = exif_data_new();
    if (!ed)
        die("libexif: out of memory");
    exif_data_set_byte_order(ed, EXIF_BYTE_ORDER_INTEL);
    exif_data_set_data_type(ed, EXIF_DATA_TYPE_COMPRESSED);
    const unsigned res[2] = {72, 1};
    exif_ascii(ed, EXIF_IFD_0, EXIF_TAG_MAKE, spec->make);
    exif_ascii(ed, EXIF_IFD_0, EXIF_TAG_MODEL, spec->model);
    if (spec->orientation)
        exif_short(ed, EXIF_IFD_0, EXIF_TAG_ORIENTATION, (unsigned)spec->orientation);
    exif_rationals(ed, EXIF_IFD_0, EXIF_TAG_X_RESOLUTION, res, 1);
    exif_rationals(ed, EXIF_IFD_0, EXIF_TAG_Y_RESOLUTION, res, 1);
    exif_short(ed, EXIF_IFD_0, EXIF_TAG_RESOLUTION_UNIT, 2);
    exif_ascii(ed, EXIF_IFD_0, EXIF_TAG_SOFTWARE, "idp_mkphotos");
    exif_short(ed, EXIF_IFD_0, EXIF_TAG_YCBCR_POSITIONING, 1);
    if (spec->datetime) {
        exif_ascii(ed, EXIF_IFD_0, EXIF_TAG_DATE_TIME, spec->datetime);
        exif_ascii(ed, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL, spec->datetime);
        exif_ascii(ed, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_DIGITIZED, spec->datetime);
    }
    {
        ExifEntry *e = exif_add(ed, EXIF_IFD_EXIF, EXIF_TAG_EXIF_VERSION, EXIF_FORMAT_UNDEFINED, 4);
        memcpy(e->data, "0232", 4);
        e = exif_add(ed, EXIF_IFD_EXIF, EXIF_TAG_COMPONENTS_CONFIGURATION, EXIF_FORMAT_UNDEFINED,
                     4);
        const unsigned char ycbcr[4] = {1, 2, 3, 0};
        memcpy(e->data, ycbcr, 4);
        e = exif_add(ed, EXIF_IFD_EXIF, EXIF_TAG_FLASH_PIX_VERSION, EXIF_FORMAT_UNDEFINED, 4);
        memcpy(e->data, "0100", 4);
        e = exif_add(ed, EXIF_IFD_EXIF, EXIF_TAG_PIXEL_X_DIMENSION, EXIF_FORMAT_LONG, 1);
        exif_set_long(e->data, EXIF_BYTE_ORDER_INTEL, (ExifLong)width);
        e = exif_add(ed, EXIF_IFD_EXIF, EXIF_TAG_PIXEL_Y_DIMENSION, EXIF_FORMAT_LONG, 1);
        exif_set_long(e->data, EXIF_BYTE_ORDER_INTEL, (ExifLong)height);
    }
    if (spec->camera) {
        const unsigned exposure[2] = {1, 120}, fnumber[2] = {18, 10}, focal[2] = {565, 100};
        exif_rationals(ed, EXIF_IFD_EXIF, EXIF_TAG_EXPOSURE_TIME, exposure, 1);
        exif_rationals(ed, EXIF_IFD_EXIF, EXIF_TAG_FNUMBER, fnumber, 1);
        exif_short(ed, EXIF_IFD_EXIF, EXIF_TAG_ISO_SPEED_RATINGS, 100);
        exif_rationals(ed, EXIF_IFD_EXIF, EXIF_TAG_FOCAL_LENGTH, focal, 1);
        exif_short(ed, EXIF_IFD_EXIF, EXIF_TAG_COLOR_SPACE, spec->wide_gamut ? 0xFFFFu : 1u);
    }
    if (spec->gps) {
        ExifEntry *e =
            exif_add(ed, EXIF_IFD_GPS, (ExifTag)EXIF_TAG_GPS_VERSION_ID, EXIF_FORMAT_BYTE, 4);
        const unsigned char ver[4] = {2, 3, 0, 0};
        memcpy(e->data, ver, 4);
        /* a fictitious spot: 45 deg 28' 1.5" N, 9 deg 11' 24.3" E */
        const unsigned lat[6] = {45, 1, 28, 1, 15, 10}, lon[6] = {9, 1, 11, 1, 243, 10};
        exif_ascii(ed, EXIF_IFD_GPS, (ExifTag)EXIF_TAG_GPS_LATITUDE_REF, "N");
        exif_rationals(ed, EXIF_IFD_GPS, (ExifTag)EXIF_TAG_GPS_LATITUDE, lat, 3);
        exif_ascii(ed, EXIF_IFD_GPS, (ExifTag)EXIF_TAG_GPS_LONGITUDE_REF, "E");
        exif_rationals(ed, EXIF_IFD_GPS, (ExifTag)EXIF_TAG_GPS_LONGITUDE, lon, 3);
    }
    if (spec->thumb_src) {
        const int tw = 160, th = (int)lround(160.0 * spec->thumb_src->h / spec->thumb_src->w);
        img *t = img_resample(spec->thumb_src, tw, th);
        buf tj = {0};
        encode_jpeg(t, 75, NULL, NULL, &tj);
        img_free(t);
        exif_short(ed, EXIF_IFD_1, EXIF_TAG_COMPRESSION, 6);
        exif_rationals(ed, EXIF_IFD_1, EXIF_TAG_X_RESOLUTION, res, 1);
        exif_rationals(ed, EXIF_IFD_1, EXIF_TAG_Y_RESOLUTION, res, 1);
        exif_short(ed, EXIF_IFD_1, EXIF_TAG_RESOLUTION_UNIT, 2);
        ed->data = tj.p; /* owned by ed now (freed with free() by the default allocator) */
        ed->size = (unsigned int)tj.n;
    }
    unsigned char *d = NULL;
    unsigned int n = 0;
    exif_data_save_data(ed, &d, &n);
    if (!d || n < 6 || n > 65533)
        die("libexif: cannot serialise EXIF (%u bytes)", n);
    buf_add(out, d, n);
    free(d);
    exif_data_unref(ed);
}

/* ------------------------------------------------------------------ */
/* JPEG and PNG writers                                               */

MK_NORETURN static void jpeg_die(j_common_ptr cinfo);

static void jpeg_die(j_common_ptr cinfo)
{
    char msg[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, msg);
    die("libjpeg: %s", msg);
}

static void jpeg_to_buf(struct jpeg_compress_struct *ci, unsigned char *mem, unsigned long size,
                        buf *out)
{
    (void)ci;
    buf_add(out, mem, (size_t)size);
    free(mem);
}

/* 8-bit JPEG of an RGB or grey image, 4:2:0; exif (APP1 payload) and an
 * ICC profile (APP2) if given. */
void encode_jpeg(const img *im, int quality, const buf *exif, const buf *icc, buf *out)
{
    struct jpeg_compress_struct ci;
    struct jpeg_error_mgr jerr;
    ci.err = jpeg_std_error(&jerr);
    jerr.error_exit = jpeg_die;
    jpeg_create_compress(&ci);
    unsigned char *mem = NULL;
    unsigned long size = 0;
    jpeg_mem_dest(&ci, &mem, &size);
    ci.image_width = (JDIMENSION)im->w;
    ci.image_height = (JDIMENSION)im->h;
    ci.input_components = im->c;
    ci.in_color_space = im->c == 3 ? JCS_RGB : JCS_GRAYSCALE;
    jpeg_set_defaults(&ci);
    jpeg_set_quality(&ci, quality, TRUE);
    if (exif)
        ci.write_JFIF_header = FALSE; /* camera files carry EXIF, not JFIF */
    jpeg_start_compress(&ci, TRUE);
    if (exif)
        jpeg_write_marker(&ci, JPEG_APP0 + 1, exif->p, (unsigned int)exif->n);
    if (icc)
        jpeg_write_icc_profile(&ci, icc->p, (unsigned int)icc->n);
    const size_t stride = (size_t)im->w * (size_t)im->c;
    while (ci.next_scanline < ci.image_height) {
        JSAMPROW row = im->px + (size_t)ci.next_scanline * stride;
        jpeg_write_scanlines(&ci, &row, 1);
    }
    jpeg_finish_compress(&ci);
    jpeg_destroy_compress(&ci);
    jpeg_to_buf(&ci, mem, size, out);
}

/* Adobe CMYK JPEG, inverted as Photoshop writes it (255 = no ink); ycck
 * stores it as YCCK (Adobe transform 2, chroma subsampled) instead of
 * plain CMYK (transform 0). */
void encode_cmyk(const img *im, int quality, int ycck, buf *out)
{
    struct jpeg_compress_struct ci;
    struct jpeg_error_mgr jerr;
    ci.err = jpeg_std_error(&jerr);
    jerr.error_exit = jpeg_die;
    jpeg_create_compress(&ci);
    unsigned char *mem = NULL;
    unsigned long size = 0;
    jpeg_mem_dest(&ci, &mem, &size);
    ci.image_width = (JDIMENSION)im->w;
    ci.image_height = (JDIMENSION)im->h;
    ci.input_components = 4;
    ci.in_color_space = JCS_CMYK;
    jpeg_set_defaults(&ci);
    jpeg_set_colorspace(&ci, ycck ? JCS_YCCK : JCS_CMYK);
    jpeg_set_quality(&ci, quality, TRUE);
    ci.write_Adobe_marker = TRUE;
    ci.write_JFIF_header = FALSE;
    jpeg_start_compress(&ci, TRUE);
    uint8_t *row = xmalloc((size_t)im->w * 4);
    while (ci.next_scanline < ci.image_height) {
        const uint8_t *p = im->px + (size_t)ci.next_scanline * (size_t)im->w * 3;
        for (int x = 0; x < im->w; x++) {
            const double r = p[3 * x] / 255.0, g = p[3 * x + 1] / 255.0, b = p[3 * x + 2] / 255.0;
            const double kk = 1.0 - fmax(r, fmax(g, b));
            const double dd = kk < 1.0 ? 1.0 - kk : 1.0;
            const double cc = (1.0 - r - kk) / dd, mm = (1.0 - g - kk) / dd,
                         yy = (1.0 - b - kk) / dd;
            row[4 * x] = to_u8(255.0 * (1.0 - cc));
            row[4 * x + 1] = to_u8(255.0 * (1.0 - mm));
            row[4 * x + 2] = to_u8(255.0 * (1.0 - yy));
            row[4 * x + 3] = to_u8(255.0 * (1.0 - kk));
        }
        JSAMPROW rp = row;
        jpeg_write_scanlines(&ci, &rp, 1);
    }
    free(row);
    jpeg_finish_compress(&ci);
    jpeg_destroy_compress(&ci);
    jpeg_to_buf(&ci, mem, size, out);
}

/* Decodes an in-memory 8-bit JPEG to RGB (for re-encoding a photo). */
img *decode_jpeg(const buf *in)
{
    struct jpeg_decompress_struct ci;
    struct jpeg_error_mgr jerr;
    ci.err = jpeg_std_error(&jerr);
    jerr.error_exit = jpeg_die;
    jpeg_create_decompress(&ci);
    jpeg_mem_src(&ci, in->p, (unsigned long)in->n);
    jpeg_read_header(&ci, TRUE);
    ci.out_color_space = JCS_RGB;
    jpeg_start_decompress(&ci);
    img *im = img_new((int)ci.output_width, (int)ci.output_height, 3);
    while (ci.output_scanline < ci.output_height) {
        JSAMPROW row = im->px + (size_t)ci.output_scanline * (size_t)im->w * 3;
        jpeg_read_scanlines(&ci, &row, 1);
    }
    jpeg_finish_decompress(&ci);
    jpeg_destroy_decompress(&ci);
    return im;
}

MK_NORETURN static void png_die(png_structp png, png_const_charp msg);

static void png_die(png_structp png, png_const_charp msg)
{
    (void)png;
    die("libpng: %s", msg);
}

static void png_warn(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

static void png_write_buf(png_structp png, png_bytep data, size_t n)
{
    buf_add((buf *)png_get_io_ptr(png), data, n);
}

static void png_flush_buf(png_structp png)
{
    (void)png;
}

/* PNG of an 8-bit image; depth16 writes 16 bits per sample, the low byte
 * carrying the sub-level noise so the extra bits are real. */
void encode_png(const img *im, int depth16, uint64_t seed, buf *out)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, png_die, png_warn);
    if (!png)
        die("libpng: out of memory");
    png_infop info = png_create_info_struct(png);
    if (!info)
        die("libpng: out of memory");
    png_set_write_fn(png, out, png_write_buf, png_flush_buf);
    png_set_compression_level(png, 1);
    png_set_IHDR(png, info, (png_uint_32)im->w, (png_uint_32)im->h, depth16 ? 16 : 8,
                 im->c == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    const size_t n = (size_t)im->w * (size_t)im->c;
    uint8_t *row = xmalloc(n * 2);
    uint64_t st = seed;
    for (int y = 0; y < im->h; y++) {
        const uint8_t *src = im->px + (size_t)y * n;
        if (depth16) {
            for (size_t i = 0; i < n; i++) {
                const double v = src[i] * 257.0 + (double)(splitmix64(&st) & 0xFFu) - 127.5;
                const unsigned s = (unsigned)clampd(floor(v + 0.5), 0, 65535);
                row[2 * i] = (uint8_t)(s >> 8);
                row[2 * i + 1] = (uint8_t)(s & 0xFFu);
            }
            png_write_row(png, row);
        } else {
            memcpy(row, src, n);
            png_write_row(png, row);
        }
    }
    free(row);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
}

/* ------------------------------------------------------------------ */
/* a Display P3 photo: pixels in P3, tagged with a matrix/TRC ICC profile */

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static void put_be16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void put_s15f16(unsigned char *p, double v)
{
    const int32_t f = (int32_t)lround(v * 65536.0);
    p[0] = (unsigned char)((uint32_t)f >> 24);
    p[1] = (unsigned char)((uint32_t)f >> 16);
    p[2] = (unsigned char)((uint32_t)f >> 8);
    p[3] = (unsigned char)(uint32_t)f;
}

static double srgb_to_linear(double v)
{
    return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

static double linear_to_srgb(double v)
{
    return v <= 0.0031308 ? v * 12.92 : 1.055 * pow(v, 1.0 / 2.4) - 0.055;
}

static void icc_pad(buf *b)
{
    static const unsigned char zero[4] = {0, 0, 0, 0};
    if (b->n % 4)
        buf_add(b, zero, 4 - b->n % 4);
}

static void icc_xyz(buf *b, double x, double y, double z)
{
    unsigned char t[20] = {'X', 'Y', 'Z', ' ', 0, 0, 0, 0};
    put_s15f16(t + 8, x);
    put_s15f16(t + 12, y);
    put_s15f16(t + 16, z);
    buf_add(b, t, sizeof t);
}

/* An ICC v2.1 display profile "Display P3" (idp_mkphotos): D50-adapted P3
 * colorants, the sRGB tone curve as a 1024-entry table. */
void make_p3_profile(buf *out)
{
    enum { NTAG = 9 };
    static const char *const sig[NTAG] = {"desc", "cprt", "wtpt", "rXYZ", "gXYZ",
                                          "bXYZ", "rTRC", "gTRC", "bTRC"};
    size_t off[NTAG], len[NTAG];
    buf data = {0};
    const size_t base = 128 + 4 + 12 * NTAG;
    /* desc: textDescriptionType */
    {
        static const char name[] = "Display P3 (idp_mkphotos)";
        unsigned char t[12] = {'d', 'e', 's', 'c', 0, 0, 0, 0};
        put_be32(t + 8, (uint32_t)sizeof name);
        off[0] = data.n;
        buf_add(&data, t, 12);
        buf_add(&data, name, sizeof name);
        unsigned char tail[4 + 4 + 2 + 1 + 67];
        memset(tail, 0, sizeof tail);
        buf_add(&data, tail, sizeof tail);
        len[0] = data.n - off[0];
        icc_pad(&data);
    }
    {
        static const char text[] = "No copyright, use freely (synthetic test data)";
        unsigned char t[8] = {'t', 'e', 'x', 't', 0, 0, 0, 0};
        off[1] = data.n;
        buf_add(&data, t, 8);
        buf_add(&data, text, sizeof text);
        len[1] = data.n - off[1];
        icc_pad(&data);
    }
    static const double xyz[4][3] = {{0.96420, 1.00000, 0.82491}, /* D50 */
                                     {0.51512, 0.24120, -0.00105},
                                     {0.29198, 0.69225, 0.04189},
                                     {0.15710, 0.06657, 0.78407}};
    for (int i = 0; i < 4; i++) {
        off[2 + i] = data.n;
        icc_xyz(&data, xyz[i][0], xyz[i][1], xyz[i][2]);
        len[2 + i] = 20;
    }
    {
        enum { NCURVE = 1024 };
        unsigned char t[12] = {'c', 'u', 'r', 'v', 0, 0, 0, 0};
        put_be32(t + 8, NCURVE);
        const size_t o = data.n;
        buf_add(&data, t, 12);
        for (int i = 0; i < NCURVE; i++) {
            unsigned char v[2];
            put_be16(v, (unsigned)lround(srgb_to_linear(i / (NCURVE - 1.0)) * 65535.0));
            buf_add(&data, v, 2);
        }
        for (int i = 6; i < 9; i++) {
            off[i] = o;
            len[i] = data.n - o;
        }
        icc_pad(&data);
    }
    unsigned char hdr[128];
    memset(hdr, 0, sizeof hdr);
    put_be32(hdr, (uint32_t)(base + data.n));
    put_be32(hdr + 8, 0x02100000u);
    memcpy(hdr + 12, "mntrRGB XYZ ", 12);
    const unsigned date[6] = {2025, 1, 1, 0, 0, 0};
    for (int i = 0; i < 6; i++)
        put_be16(hdr + 24 + 2 * i, date[i]);
    memcpy(hdr + 36, "acsp", 4);
    put_s15f16(hdr + 68, 0.9642);
    put_s15f16(hdr + 72, 1.0);
    put_s15f16(hdr + 76, 0.8249);
    buf_add(out, hdr, sizeof hdr);
    unsigned char n[4];
    put_be32(n, NTAG);
    buf_add(out, n, 4);
    for (int i = 0; i < NTAG; i++) {
        unsigned char e[12];
        memcpy(e, sig[i], 4);
        put_be32(e + 4, (uint32_t)(base + off[i]));
        put_be32(e + 8, (uint32_t)len[i]);
        buf_add(out, e, 12);
    }
    buf_add(out, data.p, data.n);
    free(data.p);
}

/* The same colours expressed in Display P3 (both D65, sRGB tone curve). */
img *srgb_to_p3(const img *src)
{
    static const double m[3][3] = {{0.8224621, 0.1775380, 0.0000000},
                                   {0.0331941, 0.9668058, 0.0000000},
                                   {0.0170827, 0.0723974, 0.9105199}};
    double lut[256];
    for (int i = 0; i < 256; i++)
        lut[i] = srgb_to_linear(i / 255.0);
    img *out = img_new(src->w, src->h, 3);
    const size_t n = (size_t)src->w * (size_t)src->h;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *p = src->px + i * 3;
        for (int k = 0; k < 3; k++) {
            const double v = m[k][0] * lut[p[0]] + m[k][1] * lut[p[1]] + m[k][2] * lut[p[2]];
            out->px[i * 3 + (size_t)k] = to_u8(255.0 * linear_to_srgb(clampd(v, 0, 1)));
        }
    }
    return out;
}

/* ------------------------------------------------------------------ */
/* malformed files                                                    */

static uint32_t crc32_png(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return c ^ 0xFFFFFFFFu;
}

static uint32_t get_be32(const unsigned char *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void png_chunk(buf *b, const char *type, const unsigned char *data, uint32_t n)
{
    unsigned char hdr[8];
    put_be32(hdr, n);
    memcpy(hdr + 4, type, 4);
    buf_add(b, hdr, 8);
    buf crcin = {0};
    buf_add(&crcin, type, 4);
    if (n)
        buf_add(&crcin, data, n);
    if (n)
        buf_add(b, data, n);
    unsigned char crc[4];
    put_be32(crc, crc32_png(crcin.p, crcin.n));
    buf_add(b, crc, 4);
    free(crcin.p);
}

/* A PNG header claiming 100000 x 100000 RGB, a tiny IDAT, IEND. */
void make_png_bomb(buf *b)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    buf_add(b, sig, 8);
    unsigned char ihdr[13];
    put_be32(ihdr, 100000);
    put_be32(ihdr + 4, 100000);
    ihdr[8] = 8;  /* bit depth */
    ihdr[9] = 2;  /* RGB */
    ihdr[10] = 0; /* deflate */
    ihdr[11] = 0; /* adaptive filtering */
    ihdr[12] = 0; /* not interlaced */
    png_chunk(b, "IHDR", ihdr, 13);
    /* zlib header and the start of a stored block: far too little data */
    static const unsigned char idat[] = {0x78, 0x01, 0x00, 0x10, 0x00, 0xEF, 0xFF, 0, 0, 0, 0, 0};
    png_chunk(b, "IDAT", idat, (uint32_t)sizeof idat);
    png_chunk(b, "IEND", NULL, 0);
}

/* Flips one byte in the middle of the first IDAT chunk's data. */
void png_break_crc(buf *b)
{
    size_t off = 8;
    while (off + 12 <= b->n) {
        const uint32_t len = get_be32(b->p + off);
        if (memcmp(b->p + off + 4, "IDAT", 4) == 0 && len > 16) {
            b->p[off + 8 + len / 2] ^= 0x5A;
            return;
        }
        off += 12 + (size_t)len;
    }
    die("no IDAT chunk to corrupt");
}

/* A small real JPEG whose SOF0 is changed to claim 65000 x 65000, cut a
 * few bytes after the start of scan. */
void make_jpeg_bomb(buf *b)
{
    img *im = img_new(16, 16, 3);
    for (size_t i = 0; i < 16 * 16 * 3; i++)
        im->px[i] = (uint8_t)(i * 7);
    buf j = {0};
    encode_jpeg(im, 90, NULL, NULL, &j);
    img_free(im);
    size_t off = 2, cut = 0;
    int patched = 0;
    while (off + 4 <= j.n && j.p[off] == 0xFF) {
        const unsigned marker = j.p[off + 1];
        const size_t len = ((size_t)j.p[off + 2] << 8) | j.p[off + 3];
        if (marker == 0xC0) {
            j.p[off + 5] = 0xFD; /* height 65000 */
            j.p[off + 6] = 0xE8;
            j.p[off + 7] = 0xFD; /* width 65000 */
            j.p[off + 8] = 0xE8;
            patched = 1;
        }
        if (marker == 0xDA) {
            cut = off + 2 + len + 12;
            break;
        }
        off += 2 + len;
    }
    if (!patched || !cut || cut > j.n)
        die("cannot make the JPEG bomb");
    buf_add(b, j.p, cut);
    static const unsigned char eoi[2] = {0xFF, 0xD9};
    buf_add(b, eoi, 2);
    free(j.p);
}
