/* pdfload: scanned documents in a PDF, through poppler-glib (cairo).
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
 * drawn; the rendering's size is checked against the ctx limits before its
 * buffer is allocated. poppler cannot be told how much an image may cost
 * before it decodes it, so it runs in a child process with an
 * address-space and a CPU-time limit (PDF_MAX_*), which sends the pixels
 * back through a pipe: a PDF bomb costs that process, never the caller. */
#define _GNU_SOURCE /* pipe2 */
#include "idp_codecs.h"
#include "idp_io.h"
#include "idp_orient.h"
#include "idp_split.h"

#include <cairo.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <poppler.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
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
 * read that size first: it is safe only inside the rendering process's
 * limits below, where such an image fails to allocate and the page is
 * rendered instead. */
/* The rendering process's limits: address space, CPU time, and how long
 * the caller waits for it (wall clock). */
#define PDF_MAX_BYTES ((rlim_t)256 << 20)
/* Under AddressSanitizer the rendering process (a fork of the sanitized
 * caller) costs several times the CPU and the wall time: the limits are
 * scaled so that the sanitized test run judges the PDFs the release build
 * accepts. */
#if defined(__SANITIZE_ADDRESS__)
#define PDF_SLOWDOWN 4
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PDF_SLOWDOWN 4
#endif
#endif
#ifndef PDF_SLOWDOWN
#define PDF_SLOWDOWN 1
#endif
#define PDF_MAX_SECONDS (4 * PDF_SLOWDOWN)
#define PDF_MAX_WAIT_MS (20000 * PDF_SLOWDOWN) /* 4 s of CPU on a loaded machine */
#ifndef IDP_PDF_NATIVE_IMAGES
#define IDP_PDF_NATIVE_IMAGES 1
#endif

typedef struct pdf_job {
    idp_ctx *ctx;
    const char *name;
    PopplerDocument *doc;
} pdf_job;

bool idp_pdf_sniff(const uint8_t *buf, size_t len)
{
    size_t i, n = len < 1024 ? len : 1024;

    /* The header may follow up to 1 KB of junk (PDF 1.7, annex H). */
    for (i = 0; buf != NULL && i + 5 <= n; i++)
        if (memcmp(buf + i, "%PDF-", 5) == 0)
            return true;
    return false;
}

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

/* A complete PDF ends with %%EOF (give or take a line end and some
 * trailing junk): poppler reconstructs a cut file and draws what is left
 * of it, so truncation must be noticed here. */
static bool ends_with_eof(const uint8_t *buf, size_t len)
{
    size_t from = len > 1024 ? len - 1024 : 0, i;

    for (i = len >= 5 ? len - 5 + 1 : 0; i-- > from;)
        if (memcmp(buf + i, "%%EOF", 5) == 0)
            return true;
    return false;
}

/* What the rendering process sends back before the pixels. */
typedef struct pdf_reply {
    int32_t status;
    uint32_t pages, width, height;
    char error[1024];
} pdf_reply;

static bool write_all(int fd, const void *p, size_t n)
{
    const uint8_t *b = p;

    while (n > 0) {
        ssize_t k = write(fd, b, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        b += k;
        n -= (size_t)k;
    }
    return true;
}

/* Reads n bytes, waiting until the deadline (CLOCK_MONOTONIC ms). */
static bool read_all(int fd, void *p, size_t n, int64_t deadline)
{
    uint8_t *b = p;

    while (n > 0) {
        struct pollfd pfd = {fd, POLLIN, 0};
        struct timespec now;
        int64_t left;
        ssize_t k;

        clock_gettime(CLOCK_MONOTONIC, &now);
        left = deadline - ((int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000);
        if (left <= 0)
            return false;
        k = poll(&pfd, 1, (int)left);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        k = read(fd, b, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        b += k;
        n -= (size_t)k;
    }
    return true;
}

/* PDF_MAX_BYTES more than the process already maps (it is a fork of the
 * caller, which may hold decoded photos and threads' arenas), so the
 * limit is about what poppler takes. None under a sanitizer, whose
 * shadow memory needs terabytes of address space. */
static void limit_address_space(struct rlimit *as)
{
#if defined(__SANITIZE_ADDRESS__)
#define IDP_PDF_NO_AS_LIMIT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define IDP_PDF_NO_AS_LIMIT 1
#endif
#endif
#ifdef IDP_PDF_NO_AS_LIMIT
    (void)as;
#else
    unsigned long pages = 0;
    FILE *f = fopen("/proc/self/statm", "re");
    if (f != NULL) {
        if (fscanf(f, "%lu", &pages) != 1)
            pages = 0;
        fclose(f);
    }
    as->rlim_cur = as->rlim_max = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + PDF_MAX_BYTES;
    (void)setrlimit(RLIMIT_AS, as);
#endif
}

/* The rendering process: poppler runs here, under an address-space and a
 * CPU-time limit, and sends the part's pixels down fd. Never returns. */
static void render_child(int fd, idp_ctx *ctx, const char *name, const uint8_t *buf, size_t len,
                         uint32_t page, bool header_only)
{
    struct rlimit as = {PDF_MAX_BYTES, PDF_MAX_BYTES}, cpu = {PDF_MAX_SECONDS, PDF_MAX_SECONDS + 1};
    struct rlimit core = {0, 0}; /* no core file left behind when a limit stops it */
    pdf_job job = {ctx, name, NULL};
    pdf_reply reply;
    idp_image_info info;
    idp_image *img = NULL;
    GBytes *bytes;
    GError *err = NULL;
    idp_status st;

    (void)setrlimit(RLIMIT_CORE, &core);
    limit_address_space(&as);
    (void)setrlimit(RLIMIT_CPU, &cpu);
    g_log_set_handler("Poppler", G_LOG_LEVEL_MASK, quiet_log, NULL);
    memset(&reply, 0, sizeof(reply));
    memset(&info, 0, sizeof(info));
    bytes = g_bytes_new_static(buf, len);
    job.doc = poppler_document_new_from_bytes(bytes, NULL, &err);
    if (job.doc == NULL) {
        if (err != NULL && err->domain == POPPLER_ERROR && err->code == POPPLER_ERROR_ENCRYPTED)
            st = idp_fail(ctx, IDP_E_FORMAT,
                          "%s: the PDF is password-protected: save it again without a password",
                          name);
        else
            st = idp_fail(ctx, IDP_E_CORRUPT, "%s: corrupt PDF: %s", name,
                          err != NULL && err->message != NULL ? err->message : "cannot be read");
    } else {
        st = decode_doc(&job, page, header_only, header_only ? NULL : &img, &info);
    }
    reply.status = (int32_t)st;
    reply.pages = info.pages;
    if (st == IDP_OK && img != NULL) {
        reply.width = img->width;
        reply.height = img->height;
    } else if (st == IDP_OK) {
        reply.width = info.stored_width;
        reply.height = info.stored_height;
    } else {
        snprintf(reply.error, sizeof(reply.error), "%s", idp_ctx_error(ctx));
    }
    if (write_all(fd, &reply, sizeof(reply)) && img != NULL)
        (void)write_all(fd, img->data, idp_image_stride(img) * img->height);
    _exit(0);
}

idp_status idp_pdf_decode(idp_ctx *ctx, const char *name, const uint8_t *buf, size_t len,
                          uint32_t page, bool header_only, idp_image **out, idp_image_info *info,
                          idp_raw_meta *meta)
{
    struct timespec now;
    int64_t deadline;
    int fds[2] = {-1, -1}, wstatus = 0;
    pid_t pid;
    pdf_reply reply;
    idp_image *img = NULL;
    idp_status st = IDP_OK;
    bool got;

    if (out != NULL)
        *out = NULL;
    if (!header_only && out == NULL)
        return idp_fail(ctx, IDP_E_USAGE, "%s: no output image", name);
    meta->orientation = 1; /* the pixels are as the page shows them */
    if (!ends_with_eof(buf, len))
        return idp_fail(ctx, IDP_E_CORRUPT,
                        "%s: corrupt PDF: the file is truncated (no %%%%EOF at its end)", name);
    if (pipe2(fds, O_CLOEXEC) != 0)
        return idp_fail(ctx, IDP_E_IO, "%s: cannot start rendering the PDF: %s", name,
                        strerror(errno));
    pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return idp_fail(ctx, IDP_E_NOMEM, "%s: cannot start rendering the PDF: %s", name,
                        strerror(errno));
    }
    if (pid == 0) {
        close(fds[0]);
        render_child(fds[1], ctx, name, buf, len, page, header_only);
    }
    close(fds[1]);
    clock_gettime(CLOCK_MONOTONIC, &now);
    deadline = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000 + PDF_MAX_WAIT_MS;
    got = read_all(fds[0], &reply, sizeof(reply), deadline);
    if (!got) {
        st = idp_fail(ctx, IDP_E_LIMITS,
                      "%s: the PDF could not be rendered within the limits (%d s, %d MB): it is "
                      "damaged or too complex; export the scan again as JPEG or PDF",
                      name, PDF_MAX_SECONDS, (int)(PDF_MAX_BYTES >> 20));
        goto out;
    }
    reply.error[sizeof(reply.error) - 1] = '\0';
    info->pages = reply.pages > 0 ? reply.pages : 1;
    info->page = page;
    if (reply.status != IDP_OK) {
        st = idp_fail(ctx, (idp_status)reply.status, "%s", reply.error);
        goto out;
    }
    info->stored_width = reply.width;
    info->stored_height = reply.height;
    info->bit_depth = 8;
    info->colour = IDP_SRC_RGB;
    st = idp_check_dimensions(ctx, name, reply.width, reply.height);
    if (st == IDP_OK) /* the RGB output; the rendering's own memory is the child's */
        st = idp_check_budget(ctx, name, "PDF page", reply.width, reply.height, 3.0);
    if (st != IDP_OK || header_only)
        goto out;
    st = idp_image_create(ctx, reply.width, reply.height, 3, &img);
    if (st != IDP_OK)
        goto out;
    if (!read_all(fds[0], img->data, idp_image_stride(img) * img->height, deadline)) {
        st = idp_fail(ctx, IDP_E_LIMITS,
                      "%s: the PDF could not be rendered within the limits (%d s, %d MB): it is "
                      "damaged or too complex; export the scan again as JPEG or PDF",
                      name, PDF_MAX_SECONDS, (int)(PDF_MAX_BYTES >> 20));
        goto out;
    }
    *out = img;
    img = NULL;
out:
    close(fds[0]);
    if (kill(pid, SIGKILL) != 0 && errno != ESRCH) {
        /* nothing else to do: waitpid below reaps it either way */
    }
    while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
        ;
    idp_image_destroy(img);
    if (st != IDP_OK)
        idp_raw_meta_free(meta);
    return st;
}
