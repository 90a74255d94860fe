/* What the library (pdfload.c) and the PDF rendering program
 * (pdfrender.c, installed as idpack-pdf-render) say to each other.
 *
 * poppler runs in its own program, started with posix_spawn for each PDF
 * read: a fresh process, so no lock another thread of the caller held at
 * that moment can be inherited (a fork of a threaded caller that then runs
 * poppler could wait forever on the allocator's lock), and a PDF bomb
 * costs that process, never the caller.
 *
 * The program reads, on fd 0 (a memory file it maps), an idp_pdf_request,
 * the file's name (name_len bytes) and the PDF (pdf_len bytes); it writes
 * on fd 3 an idp_pdf_reply and, when asked for pixels and status is
 * IDP_OK, width * height * 3 bytes of RGB. Nothing on the command line:
 * the name of a seller's file is not for other users' `ps`. */
#ifndef IDP_PDF_PROTO_H
#define IDP_PDF_PROTO_H

#include <stdint.h>

#define IDP_PDF_MAGIC 0x49445046u /* "IDPF" */
/* Raised whenever the structures below change: a program from another
 * build is refused rather than misread. */
#define IDP_PDF_PROTO_VERSION 1u
#define IDP_PDF_REPLY_FD 3
#define IDP_PDF_RENDER_NAME "idpack-pdf-render"

/* The rendering process's limits: address space (over what the program
 * maps when it starts), CPU time, and how long the caller waits for it
 * (wall clock). Under AddressSanitizer the program costs several times
 * the CPU and the wall time: the limits are scaled so that the sanitized
 * test run judges the PDFs the release build accepts. */
#if defined(__SANITIZE_ADDRESS__)
#define IDP_PDF_SLOWDOWN 4
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define IDP_PDF_SLOWDOWN 4
#endif
#endif
#ifndef IDP_PDF_SLOWDOWN
#define IDP_PDF_SLOWDOWN 1
#endif
#define IDP_PDF_MAX_MB 256
#define IDP_PDF_MAX_SECONDS (4 * IDP_PDF_SLOWDOWN)
#define IDP_PDF_MAX_WAIT_MS (20000 * IDP_PDF_SLOWDOWN) /* 4 s of CPU on a loaded machine */

typedef struct idp_pdf_request {
    uint32_t magic, version;
    uint32_t page;        /* the part asked for */
    uint32_t header_only; /* 1: the part's size and the page count, no pixels */
    uint64_t max_pixels;  /* the caller's idp_limits */
    uint32_t max_side;
    uint32_t name_len;
    uint64_t pdf_len;
} idp_pdf_request;

typedef struct idp_pdf_reply {
    uint32_t magic, version;
    int32_t status; /* an idp_status */
    uint32_t pages, width, height;
    char error[1024]; /* the message when status is not IDP_OK */
} idp_pdf_reply;

#endif
