/* idpack-pdf-render: the program libidpack starts to read a PDF
 * (idp_pdf_proto.h says why it is a program and what it is told).
 *
 * Parts: a PDF of several pages gives one part per page (front, back);
 * a PDF of one page is looked at for two documents on it (idp_split: a
 * scanner's A4 page holding both sides of a card), which are then its two
 * parts; a page with several regions that are not two documents is
 * refused rather than guessed at.
 *
 * Pixels: a page that is one image (one image covering at least
 * IMAGE_COVER of it, as a scanner app or img2pdf writes) gives that image
 * at its native resolution, turned the way the page shows it (found by
 * comparing it with a small rendering of the page in the eight
 * orientations); any other page is rendered at RENDER_DPI on white.
 *
 * Limits: the page count and the page size are capped before anything is
 * drawn; the rendering's size is checked against the caller's limits
 * before its buffer is allocated. poppler cannot be told how much an image
 * may cost before it decodes it, so this program runs under an
 * address-space and a CPU-time limit it sets itself before reading its
 * input (IDP_PDF_MAX_*): a PDF bomb costs this process, never the caller. */
#define _GNU_SOURCE /* close_range */
#include "idp_codecs.h"
#include "idp_io.h"
#include "idp_orient.h"
#include "idp_pdf_proto.h"
#include "idp_split.h"

#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PDF_PAGES 16
/* The largest page: a photo of 30 000 px made a page at 72 DPI. */
#define MAX_PAGE_MM 10600.0
#define RENDER_DPI 300.0
/* 300 DPI gives 3508 px on A4's long side, 4961 on A3's. */
#define RENDER_MAX_SIDE 5000.0
#define IMAGE_COVER 0.90
#define THUMB_SIDE 64
/* Mean luma difference (0-255) under which the image is what the page
 * shows. */
#define MATCH_MAX 24.0
#define MM_PER_PT (25.4 / 72.0)
/* A page that is one image gives that image at its native resolution.
 * poppler_page_get_image() decodes it at the size its dictionary claims
 * before anyone can look at it (a 1 KB PDF claiming 30000 x 30000 pixels
 * took 3.4 GB and over 60 s in-process), and poppler-glib gives no way to
 * read that size first: it is safe only inside this program's limits,
 * where such an image fails to allocate and the page is rendered
 * instead. */
#ifndef IDP_PDF_NATIVE_IMAGES
#define IDP_PDF_NATIVE_IMAGES 1
#endif
/* The longest file name passed along (for messages). */
#define MAX_NAME 4096

typedef struct pdf_job {
    idp_ctx *ctx;
    const char *name;
    PopplerDocument *doc;
} pdf_job;

static void quiet_log(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data)
{
    /* The library never prints; poppler's complaints about a damaged file
     * end in an error returned to us. */
    (void)domain;
    (void)level;
    (void)msg;
    (void)data;
}

/* cairo's RGB24/ARGB32 (native-endian 0xAARRGGBB words) to RGB, alpha
 * (premultiplied) over white. */
static void surface_to_rgb(cairo_surface_t *s, idp_image *img)
{
    const uint8_t *base = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    bool alpha = cairo_image_surface_get_format(s) == CAIRO_FORMAT_ARGB32;
    size_t out_stride = idp_image_stride(img);
    uint32_t x, y;

    for (y = 0; y < img->height; y++) {
        const uint32_t *p = (const uint32_t *)(const void *)(base + (size_t)y * (size_t)stride);
        uint8_t *d = img->data + (size_t)y * out_stride;
        for (x = 0; x < img->width; x++, d += 3) {
            uint32_t v = p[x], add = alpha ? 255u - (v >> 24) : 0;
            uint32_t r = ((v >> 16) & 255) + add, g = ((v >> 8) & 255) + add, b = (v & 255) + add;
            d[0] = (uint8_t)(r > 255 ? 255 : r);
            d[1] = (uint8_t)(g > 255 ? 255 : g);
            d[2] = (uint8_t)(b > 255 ? 255 : b);
        }
    }
}

/* Renders the page area (x, y, w, h in points) at `scale` pixels per point
 * onto white. */
static idp_status render(pdf_job *job, PopplerPage *page, double x, double y, double w, double h,
                         double scale, idp_image **out)
{
    uint32_t pw = (uint32_t)ceil(w * scale - 1e-6), ph = (uint32_t)ceil(h * scale - 1e-6);
    cairo_surface_t *s;
    cairo_t *cr;
    idp_status st;

    *out = NULL;
    st = idp_check_dimensions(job->ctx, job->name, pw, ph);
    if (st != IDP_OK)
        return st;
    s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)pw, (int)ph);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return idp_fail(job->ctx, IDP_E_NOMEM, "%s: out of memory rendering the PDF page",
                        job->name);
    }
    cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    cairo_translate(cr, -x, -y);
    poppler_page_render(page, cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    st = idp_image_create(job->ctx, pw, ph, 3, out);
    if (st == IDP_OK)
        surface_to_rgb(s, *out);
    idp_wipe(cairo_image_surface_get_data(s),
             (size_t)cairo_image_surface_get_stride(s) * (size_t)ph);
    cairo_surface_destroy(s);
    return st;
}

static unsigned luma3(const uint8_t *p)
{
    return (77u * p[0] + 150u * p[1] + 29u * p[2]) >> 8;
}

/* The orientation under which img looks like the thumbnail, 0 if none. */
static int match_orientation(const idp_image *img, const idp_image *thumb)
{
    double best = MATCH_MAX;
    int o, found = 0;

    for (o = 1; o <= 8; o++) {
        uint32_t ow, oh, tx, ty, sx, sy;
        double sum = 0;
        idp_orient_size(img->width, img->height, o, &ow, &oh);
        if (fabs((double)ow / oh - (double)thumb->width / thumb->height) >
            0.06 * (double)thumb->width / thumb->height)
            continue;
        for (ty = 0; ty < thumb->height; ty++)
            for (tx = 0; tx < thumb->width; tx++) {
                uint32_t ux = (uint32_t)((tx + 0.5) * ow / thumb->width);
                uint32_t uy = (uint32_t)((ty + 0.5) * oh / thumb->height);
                idp_orient_source(o, img->width, img->height, ux, uy, &sx, &sy);
                sum += fabs((double)luma3(img->data + ((size_t)sy * img->width + sx) * 3) -
                            (double)luma3(thumb->data + ((size_t)ty * thumb->width + tx) * 3));
            }
        sum /= (double)thumb->width * thumb->height;
        if (sum < best) {
            best = sum;
            found = o;
        }
    }
    return found;
}

/* The page's one image at its native resolution, upright; *out NULL (and
 * IDP_OK) when the page is not one image or the image cannot be matched
 * with what the page shows. *px_per_mm: its scale on the page. */
static idp_status embedded_image(pdf_job *job, PopplerPage *page, double pw, double ph,
                                 idp_image **out, double *px_per_mm)
{
    GList *maps = poppler_page_get_image_mapping(page);
    PopplerImageMapping *m;
    cairo_surface_t *s = NULL;
    idp_image *img = NULL, *thumb = NULL, *upright = NULL;
    double aw, ah, x0, y0, scale;
    idp_status st = IDP_OK;
    int o;

    *out = NULL;
    if (maps == NULL || maps->next != NULL)
        goto out;
    m = maps->data;
    aw = m->area.x2 - m->area.x1;
    ah = m->area.y2 - m->area.y1;
    if (aw <= 0 || ah <= 0 || aw * ah < IMAGE_COVER * pw * ph)
        goto out;
    s = poppler_page_get_image(page, m->image_id);
    if (s == NULL || cairo_surface_status(s) != CAIRO_STATUS_SUCCESS ||
        cairo_surface_get_type(s) != CAIRO_SURFACE_TYPE_IMAGE ||
        (cairo_image_surface_get_format(s) != CAIRO_FORMAT_RGB24 &&
         cairo_image_surface_get_format(s) != CAIRO_FORMAT_ARGB32))
        goto out;
    cairo_surface_flush(s);
    st = idp_check_dimensions(job->ctx, job->name, (uint32_t)cairo_image_surface_get_width(s),
                              (uint32_t)cairo_image_surface_get_height(s));
    if (st == IDP_OK)
        st = idp_image_create(job->ctx, (uint32_t)cairo_image_surface_get_width(s),
                              (uint32_t)cairo_image_surface_get_height(s), 3, &img);
    if (st != IDP_OK)
        goto out;
    surface_to_rgb(s, img);
    /* What the page shows there, small: which way the image is turned.
     * An image filling the page is compared with the whole page: on a
     * page with /Rotate the mapping's area is not turned, the page is. */
    if (aw * ah >= 0.98 * pw * ph) {
        x0 = y0 = 0;
        aw = pw;
        ah = ph;
    } else {
        x0 = m->area.x1;
        y0 = m->area.y1;
    }
    scale = THUMB_SIDE / (aw > ah ? aw : ah);
    st = render(job, page, x0, y0, aw, ah, scale, &thumb);
    if (st != IDP_OK)
        goto out;
    o = match_orientation(img, thumb);
    if (o == 0)
        goto out; /* drawn clipped, masked or covered: render the page */
    st = idp_orient_apply(job->ctx, img, o, &upright);
    if (st != IDP_OK)
        goto out;
    *px_per_mm = upright->width / (aw * MM_PER_PT);
    *out = upright;
    upright = NULL;
out:
    if (s != NULL) {
        if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS &&
            cairo_surface_get_type(s) == CAIRO_SURFACE_TYPE_IMAGE &&
            cairo_image_surface_get_data(s) != NULL)
            idp_wipe(cairo_image_surface_get_data(s),
                     (size_t)cairo_image_surface_get_stride(s) *
                         (size_t)cairo_image_surface_get_height(s));
        cairo_surface_destroy(s);
    }
    idp_image_destroy(img);
    idp_image_destroy(thumb);
    idp_image_destroy(upright);
    poppler_page_free_image_mapping(maps);
    /* An image over the limits or the process's memory: render the page
     * instead (poppler scales the image down while drawing it). */
    return *out != NULL ? st : IDP_OK;
}

/* Page p as pixels: its one image, or rendered at RENDER_DPI. */
static idp_status raster_page(pdf_job *job, int p, idp_image **out, double *px_per_mm)
{
    PopplerPage *page = poppler_document_get_page(job->doc, p);
    double pw = 0, ph = 0, scale;
    idp_status st;

    *out = NULL;
    if (page == NULL)
        return idp_fail(job->ctx, IDP_E_CORRUPT, "%s: corrupt PDF: page %d cannot be read",
                        job->name, p + 1);
    poppler_page_get_size(page, &pw, &ph);
    if (!(pw > 0 && ph > 0)) {
        st = idp_fail(job->ctx, IDP_E_CORRUPT, "%s: corrupt PDF: page %d has no size", job->name,
                      p + 1);
        goto out;
    }
    if (pw * MM_PER_PT > MAX_PAGE_MM || ph * MM_PER_PT > MAX_PAGE_MM) {
        st = idp_fail(job->ctx, IDP_E_LIMITS,
                      "%s: page %d of %.0f x %.0f mm exceeds the limit of %.0f mm per side",
                      job->name, p + 1, pw * MM_PER_PT, ph * MM_PER_PT, MAX_PAGE_MM);
        goto out;
    }
    if (IDP_PDF_NATIVE_IMAGES) {
        st = embedded_image(job, page, pw, ph, out, px_per_mm);
        if (st != IDP_OK || *out != NULL)
            goto out;
    }
    /* 300 DPI, or less for a page larger than paper (img2pdf makes a
     * photo's page at 96 DPI when the photo states none): at most
     * RENDER_MAX_SIDE pixels on the long side. */
    scale = RENDER_DPI / 72.0;
    if ((pw > ph ? pw : ph) * scale > RENDER_MAX_SIDE)
        scale = RENDER_MAX_SIDE / (pw > ph ? pw : ph);
    *px_per_mm = scale / MM_PER_PT;
    st = render(job, page, 0, 0, pw, ph, scale, out);
out:
    g_object_unref(page);
    return st;
}

static idp_status crop(idp_ctx *ctx, const idp_image *in, idp_rect r, idp_image **out)
{
    idp_status st = idp_image_create(ctx, r.w, r.h, 3, out);
    uint32_t y;

    if (st != IDP_OK)
        return st;
    for (y = 0; y < r.h; y++)
        memcpy((*out)->data + (size_t)y * r.w * 3,
               in->data + ((size_t)(r.y + y) * in->width + r.x) * 3, (size_t)r.w * 3);
    return IDP_OK;
}

static idp_status decode_doc(pdf_job *job, uint32_t part, bool header_only, idp_image **out,
                             idp_image_info *info)
{
    int n = poppler_document_get_n_pages(job->doc);
    idp_image *img = NULL, *piece = NULL;
    idp_rect parts[2];
    unsigned regions = 0;
    double ppm = 0;
    idp_status st;

    if (n <= 0)
        return idp_fail(job->ctx, IDP_E_CORRUPT, "%s: the PDF has no page", job->name);
    if (n > MAX_PDF_PAGES)
        return idp_fail(job->ctx, IDP_E_LIMITS,
                        "%s: a PDF of %d pages: at most %d are read (front and back)", job->name, n,
                        MAX_PDF_PAGES);
    info->page = part;
    if (n > 1) {
        info->pages = (uint32_t)n;
        if (part >= (uint32_t)n)
            return idp_fail(job->ctx, IDP_E_USAGE, "%s: there is no page %u (the file has %d)",
                            job->name, part + 1, n);
        st = raster_page(job, (int)part, &img, &ppm);
    } else {
        st = raster_page(job, 0, &img, &ppm);
        if (st != IDP_OK)
            return st;
        switch (idp_split_page(img, ppm, parts, &regions)) {
        case IDP_SPLIT_TWO:
            info->pages = 2;
            if (part < 2)
                st = crop(job->ctx, img, parts[part], &piece);
            break;
        case IDP_SPLIT_UNSURE:
            st = idp_fail(job->ctx, IDP_E_FORMAT,
                          "%s: the page holds %u separate areas and idpack cannot tell which are "
                          "the documents: scan the front and the back each on its own page",
                          job->name, regions);
            break;
        default:
            info->pages = 1;
            break;
        }
        if (st == IDP_OK && part >= info->pages)
            st = idp_fail(job->ctx, IDP_E_USAGE, "%s: there is no page %u (the file has %u)",
                          job->name, part + 1, info->pages);
        if (piece != NULL) {
            idp_image_destroy(img);
            img = piece;
        }
    }
    if (st != IDP_OK) {
        idp_image_destroy(img);
        return st;
    }
    info->stored_width = img->width;
    info->stored_height = img->height;
    info->bit_depth = 8;
    info->colour = IDP_SRC_RGB;
    if (header_only)
        idp_image_destroy(img);
    else
        *out = img;
    return IDP_OK;
}

/* IDP_PDF_MAX_MB more than the program maps when it starts (its code and
 * libraries), so the limit is about what poppler takes. None under a
 * sanitizer, whose shadow memory needs terabytes of address space. */
static void limit_address_space(void)
{
#if defined(__SANITIZE_ADDRESS__)
#define IDP_PDF_NO_AS_LIMIT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define IDP_PDF_NO_AS_LIMIT 1
#endif
#endif
#ifndef IDP_PDF_NO_AS_LIMIT
    struct rlimit as;
    unsigned long pages = 0;
    FILE *f = fopen("/proc/self/statm", "re");
    if (f != NULL) {
        if (fscanf(f, "%lu", &pages) != 1)
            pages = 0;
        fclose(f);
    }
    as.rlim_cur = as.rlim_max =
        (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + ((rlim_t)IDP_PDF_MAX_MB << 20);
    (void)setrlimit(RLIMIT_AS, &as);
#endif
}

/* The request on fd 0, mapped; NULL when fd 0 is not one. */
static const idp_pdf_request *read_request(size_t *size)
{
    struct stat sb;
    void *p;

    if (fstat(0, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size < (off_t)sizeof(idp_pdf_request))
        return NULL;
    p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, 0, 0);
    if (p == MAP_FAILED)
        return NULL;
    *size = (size_t)sb.st_size;
    return p;
}

int main(int argc, char **argv)
{
    struct rlimit cpu = {IDP_PDF_MAX_SECONDS, IDP_PDF_MAX_SECONDS + 1};
    struct rlimit core = {0, 0}; /* no core file left behind when a limit stops it */
    const idp_pdf_request *req;
    idp_pdf_request q;
    idp_pdf_reply reply;
    idp_image_info info;
    idp_image *img = NULL;
    idp_limits lim;
    char name[MAX_NAME + 1];
    size_t size = 0;
    pdf_job job = {NULL, name, NULL};
    GBytes *bytes = NULL;
    GError *err = NULL;
    idp_status st;

    (void)argc;
    (void)argv;
    (void)setrlimit(RLIMIT_CORE, &core);
    (void)setrlimit(RLIMIT_CPU, &cpu);
    /* Nothing of the caller's but the request and the reply. */
    (void)close_range(IDP_PDF_REPLY_FD + 1, ~0u, 0);
    req = read_request(&size);
    if (req != NULL)
        memcpy(&q, req, sizeof(q));
    if (req == NULL || q.magic != IDP_PDF_MAGIC || q.name_len > MAX_NAME ||
        q.pdf_len != size - sizeof(q) - q.name_len || size - sizeof(q) < q.name_len) {
        fprintf(stderr,
                "%s: this program reads PDFs for libidpack, which starts it; it is not "
                "run by hand\n",
                IDP_PDF_RENDER_NAME);
        return 2;
    }
    memcpy(name, (const char *)(req + 1), q.name_len);
    name[q.name_len] = '\0';
    memset(&reply, 0, sizeof(reply));
    reply.magic = IDP_PDF_MAGIC;
    reply.version = IDP_PDF_PROTO_VERSION;
    memset(&info, 0, sizeof(info));
    if (idp_ctx_create(&job.ctx) != IDP_OK)
        return 1;
    idp_limits_default(&lim);
    lim.max_pixels = q.max_pixels;
    lim.max_side = q.max_side;
    idp_ctx_set_limits(job.ctx, &lim);
    if (q.version != IDP_PDF_PROTO_VERSION) {
        st = idp_fail(job.ctx, IDP_E_INTERNAL,
                      "%s: the PDF reader %s is from another version of idpack: reinstall idpack",
                      name, IDP_PDF_RENDER_NAME);
        goto reply;
    }
    limit_address_space();
    g_log_set_handler("Poppler", G_LOG_LEVEL_MASK, quiet_log, NULL);
    bytes = g_bytes_new_static((const uint8_t *)(req + 1) + q.name_len, (size_t)q.pdf_len);
    job.doc = poppler_document_new_from_bytes(bytes, NULL, &err);
    if (job.doc == NULL) {
        if (err != NULL && err->domain == POPPLER_ERROR && err->code == POPPLER_ERROR_ENCRYPTED)
            st = idp_fail(job.ctx, IDP_E_FORMAT,
                          "%s: the PDF is password-protected: save it again without a password",
                          name);
        else
            st = idp_fail(job.ctx, IDP_E_CORRUPT, "%s: corrupt PDF: %s", name,
                          err != NULL && err->message != NULL ? err->message : "cannot be read");
    } else {
        st = decode_doc(&job, q.page, q.header_only != 0, q.header_only ? NULL : &img, &info);
    }
    g_clear_error(&err);
reply:
    reply.status = (int32_t)st;
    reply.pages = info.pages;
    if (st == IDP_OK && img != NULL) {
        reply.width = img->width;
        reply.height = img->height;
    } else if (st == IDP_OK) {
        reply.width = info.stored_width;
        reply.height = info.stored_height;
    } else {
        snprintf(reply.error, sizeof(reply.error), "%s", idp_ctx_error(job.ctx));
    }
    if (idp_write_fd(IDP_PDF_REPLY_FD, &reply, sizeof(reply)) && img != NULL)
        (void)idp_write_fd(IDP_PDF_REPLY_FD, img->data, idp_image_stride(img) * img->height);
    idp_image_destroy(img); /* wipes the pixels: a seller's ID */
    if (job.doc != NULL)
        g_object_unref(job.doc);
    if (bytes != NULL)
        g_bytes_unref(bytes);
    idp_ctx_destroy(job.ctx);
    return 0;
}
