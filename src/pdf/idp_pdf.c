/* idp_pdf: the request PDF, with libharu 2.3.0. This file is the libharu
 * glue: the document, its fonts and images, the allocator and the error
 * handler, which longjmps back into render() and nowhere else. The
 * layout (the letter's lines and pages, the QR code, the image pages) is
 * idp_pdf_layout.c.
 *
 * Page 1 (and more if the letter needs them): the letter laid out from its
 * blocks, word-wrapped by measuring the UTF-8 text with the embedded font,
 * with the reference and its QR code in the top right corner. Then one page
 * per ID image, the JPEG embedded as it is (DCTDecode, no second encode),
 * at its true size when known, else fitted.
 *
 * Deterministic: libharu 2.3.0 writes no trailer /ID unless encrypting and
 * no date unless told; the dates come from opts->created; the font subset
 * tags count from "HPDFAA" per document. So the same inputs give the same
 * bytes (docs/pdf.md). */
#include "idp_pdf_int.h"
#include "idp_utf8.h"

#include "idp_font.h"
#include "idp_io.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hpdf_objects.h> /* the ToUnicode repair below */
#include <hpdf_streams.h>

/* The build running on this thread, for pdf_alloc (libharu's allocator
 * takes no user pointer). Set by render() while libharu runs. */
static _Thread_local pdf_state *current_build;

/* libharu's allocator. libharu 2.3.0 does not check every allocation it
 * makes (HPDF_GetFont dereferences a failed one: a crash, found by
 * tests/unit/test_pdf_nomem.c), so a failure never returns to it: it jumps
 * straight back to render(), as the error handler does. */
static void *HPDF_STDCALL pdf_alloc(HPDF_UINT size)
{
    void *p = malloc(size > 0 ? size : 1);

    if (p == NULL && current_build != NULL) {
        current_build->error = HPDF_FAILD_TO_ALLOC_MEM;
        current_build->detail = 0;
        longjmp(current_build->jump, 1);
    }
    return p;
}

static void HPDF_STDCALL pdf_free(void *p)
{
    free(p);
}

static void on_error(HPDF_STATUS error, HPDF_STATUS detail, void *user)
{
    pdf_state *s = user;
    s->error = error;
    s->detail = detail;
    longjmp(s->jump, 1);
}

/* libharu 2.3.0 encodes UTF-8 into 2-byte codes: a character beyond the
 * Basic Multilingual Plane is silently dropped. Refuse it instead. The text
 * is valid UTF-8 (idp_font_check_text ran first). */
static idp_status check_bmp(idp_ctx *ctx, const char *text, const char *what, const char *font_path)
{
    const unsigned char *s = (const unsigned char *)text;

    for (size_t i = 0; s[i] != '\0'; i += idp_utf8_seq_len(s[i])) {
        uint32_t cp = 0;
        if (s[i] >= 0xF0 && idp_utf8_decode_str(text + i, &cp) == 4) {
            return idp_fail(ctx, IDP_E_GLYPH,
                            "U+%04X '%.4s' in %s cannot be drawn with font %s: the PDF library "
                            "draws characters up to U+FFFF only",
                            (unsigned)cp, text + i, what, idp_basename(font_path));
        }
    }
    return IDP_OK;
}

static idp_status check_text(idp_ctx *ctx, const char *font_path, const char *text,
                             const char *what)
{
    idp_status st = idp_font_check_text(ctx, font_path, text, what);
    return st != IDP_OK ? st : check_bmp(ctx, text, what, font_path);
}

static const char *block_font_path(const idp_pdf_opts *opts, idp_block_kind kind)
{
    bool bold = kind == IDP_BLOCK_TITLE || kind == IDP_BLOCK_HEADING;
    return bold && opts->bold_font_path != NULL ? opts->bold_font_path : opts->font_path;
}

/* Every text against the font that draws it, before any page exists. */
static idp_status check_texts(idp_ctx *ctx, const idp_pdf_opts *opts, const idp_letter *letter,
                              const idp_pdf_image *images, size_t n_images)
{
    const char *bold = opts->bold_font_path != NULL ? opts->bold_font_path : opts->font_path;
    char what[64];
    idp_status st;

    if ((st = check_text(ctx, bold, letter->title, "the letter's title")) != IDP_OK ||
        (st = check_text(ctx, opts->font_path, opts->reference, "the reference")) != IDP_OK)
        return st;
    /* The info title is not drawn, but it is checked the same way: valid
     * UTF-8 within U+FFFF (libharu converts it to UTF-16 code units). */
    if (opts->title != NULL &&
        (st = check_text(ctx, opts->font_path, opts->title, "the PDF title")) != IDP_OK)
        return st;
    for (size_t i = 0; i < letter->n_blocks; i++) {
        const idp_block *b = &letter->blocks[i];
        if (b->text == NULL || (b->kind == IDP_BLOCK_FIELD && b->label == NULL))
            return idp_fail(ctx, IDP_E_USAGE, "PDF: block %zu of the letter has no text", i + 1);
        if ((unsigned)b->kind > (unsigned)IDP_BLOCK_SIGNATURE)
            return idp_fail(ctx, IDP_E_USAGE, "PDF: block %zu of the letter is of unknown kind %d",
                            i + 1, (int)b->kind);
        if (b->kind == IDP_BLOCK_FIELD) {
            if ((st = check_text(ctx, bold, b->label, b->label)) != IDP_OK ||
                (st = check_text(ctx, opts->font_path, b->text, b->label)) != IDP_OK)
                return st;
            continue;
        }
        snprintf(what, sizeof(what), "block %zu of the letter", i + 1);
        if ((st = check_text(ctx, block_font_path(opts, b->kind), b->text, what)) != IDP_OK)
            return st;
    }
    for (size_t i = 0; i < n_images; i++) {
        snprintf(what, sizeof(what), "the caption of image %zu", i + 1);
        if ((st = check_text(ctx, bold, images[i].caption, what)) != IDP_OK)
            return st;
    }
    return IDP_OK;
}

/* libharu 2.3.0 writes the ToUnicode CMap of a UTF-8 TrueType font with
 * "begincidrange" (the operator of an encoding CMap), which readers reject
 * ("Invalid 'begincidrange' operator in ToUnicode CMap") and then guess.
 * Its codes are the UTF-16 code units themselves, so the right map is the
 * identity, written here as bfranges of 256 codes (surrogates left out). */
static void fix_tounicode(pdf_state *s, HPDF_Font font)
{
    HPDF_Dict map = HPDF_Dict_GetItem((HPDF_Dict)font, "ToUnicode", HPDF_OCLASS_DICT);
    char line[64];
    unsigned done = 0, total = 256 - 8;

    if (map == NULL || map->stream == NULL || map->stream->type != HPDF_STREAM_MEMORY)
        return; /* not the 2.3.0 layout: leave it alone */
    s->doing = "writing the ToUnicode map";
    HPDF_MemStream_FreeData(map->stream);
    HPDF_Stream_WriteStr(map->stream, "/CIDInit /ProcSet findresource begin\n"
                                      "12 dict begin\n"
                                      "begincmap\n"
                                      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
                                      "/Supplement 0 >> def\n"
                                      "/CMapName /Adobe-Identity-UCS def\n"
                                      "/CMapType 2 def\n"
                                      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    for (unsigned hi = 0; hi < 256; hi++) {
        if (hi >= 0xD8 && hi <= 0xDF)
            continue;
        if (done % 100 == 0) {
            snprintf(line, sizeof(line), "%u beginbfrange\n",
                     total - done < 100 ? total - done : 100);
            HPDF_Stream_WriteStr(map->stream, line);
        }
        snprintf(line, sizeof(line), "<%02X00> <%02XFF> <%02X00>\n", hi, hi, hi);
        HPDF_Stream_WriteStr(map->stream, line);
        done++;
        if (done % 100 == 0 || done == total)
            HPDF_Stream_WriteStr(map->stream, "endbfrange\n");
    }
    HPDF_Stream_WriteStr(map->stream, "endcmap\n"
                                      "CMapName currentdict /CMap defineresource pop\n"
                                      "end\nend\n");
}

/* Whether the file at path is a TrueType collection ("ttcf" first). */
static bool is_collection(const char *path)
{
    char magic[4];
    FILE *f = fopen(path, "rb");
    bool yes = f != NULL && fread(magic, 1, 4, f) == 4 && memcmp(magic, "ttcf", 4) == 0;

    if (f != NULL)
        fclose(f);
    return yes;
}

static HPDF_Font load_font(pdf_state *s, const char *path)
{
    const char *name;
    HPDF_Font font;

    s->doing = path;
    /* a TrueType collection (.ttc: wqy-zenhei and other CJK fonts): its
     * first face, the one fontconfig's index 0 and the glyph check name */
    if (is_collection(path))
        name = HPDF_LoadTTFontFromFile2(s->doc, path, 0, HPDF_TRUE);
    else
        name = HPDF_LoadTTFontFromFile(s->doc, path, HPDF_TRUE);
    font = HPDF_GetFont(s->doc, name, "UTF-8");
    fix_tounicode(s, font);
    return font;
}

/* All the libharu work. Returns false when libharu failed (s->error says
 * how); other failures are reported through ctx and *st. */
static bool render(pdf_state *s, idp_ctx *ctx, const idp_pdf_opts *opts, const idp_letter *letter,
                   const idp_pdf_image *images, size_t n_images, const idp_qr *qr,
                   const HPDF_Date *date, char *linebuf, HPDF_Image *loaded, idp_status *st)
{
    HPDF_UINT32 size, got;

    if (setjmp(s->jump)) {
        current_build = NULL;
        return false;
    }
    current_build = s;
    s->doing = "creating the document";
    s->doc = HPDF_NewEx(on_error, pdf_alloc, pdf_free, 0, s);
    if (s->doc == NULL) {
        *st = idp_fail(ctx, IDP_E_NOMEM, "PDF: out of memory");
        return true;
    }
    HPDF_SetCompressionMode(s->doc, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(s->doc);
    /* With the UTF-8 encoder current, info strings are written as UTF-16BE. */
    HPDF_SetCurrentEncoder(s->doc, "UTF-8");
    s->doing = "setting the document info";
    HPDF_SetInfoAttr(s->doc, HPDF_INFO_TITLE, opts->title != NULL ? opts->title : letter->title);
    HPDF_SetInfoAttr(s->doc, HPDF_INFO_CREATOR, "idpack");
    if (opts->producer != NULL)
        HPDF_SetInfoAttr(s->doc, HPDF_INFO_PRODUCER, opts->producer);
    HPDF_SetInfoDateAttr(s->doc, HPDF_INFO_CREATION_DATE, *date);
    HPDF_SetInfoDateAttr(s->doc, HPDF_INFO_MOD_DATE, *date);

    s->font.f = load_font(s, opts->font_path);
    s->font.stroke = false;
    if (opts->bold_font_path != NULL && strcmp(opts->bold_font_path, opts->font_path) != 0) {
        s->bold.f = load_font(s, opts->bold_font_path);
        s->bold.stroke = false;
    } else {
        s->bold.f = s->font.f;
        s->bold.stroke = true;
    }

    for (size_t i = 0; i < n_images; i++) {
        s->doing = images[i].caption;
        loaded[i] = HPDF_LoadJpegImageFromMem(s->doc, images[i].jpeg, (HPDF_UINT)images[i].len);
        /* libharu 2.3.0 returns NULL for data without JPEG markers, or an
         * image of 0x0 when there is no frame header, and does not call the
         * error handler for either: checked here. */
        if (loaded[i] == NULL || HPDF_Image_GetWidth(loaded[i]) == 0 ||
            HPDF_Image_GetHeight(loaded[i]) == 0) {
            *st = idp_fail(ctx, IDP_E_FORMAT,
                           "PDF: image %zu (%s) is not a JPEG with a frame "
                           "header",
                           i + 1, images[i].caption);
            return true;
        }
        if (HPDF_Image_GetWidth(loaded[i]) != images[i].width ||
            HPDF_Image_GetHeight(loaded[i]) != images[i].height) {
            *st = idp_fail(ctx, IDP_E_USAGE, "PDF: image %zu (%s) is %ux%u, not %ux%u", i + 1,
                           images[i].caption, (unsigned)HPDF_Image_GetWidth(loaded[i]),
                           (unsigned)HPDF_Image_GetHeight(loaded[i]), images[i].width,
                           images[i].height);
            return true;
        }
    }

    idp_pdf_lay_out(s, ctx, opts, letter, images, loaded, n_images, qr, linebuf);

    s->doing = "writing the PDF";
    HPDF_SaveToStream(s->doc);
    size = HPDF_GetStreamSize(s->doc);
    s->out = malloc(size > 0 ? size : 1);
    if (s->out == NULL) {
        *st = idp_fail(ctx, IDP_E_NOMEM, "PDF: out of memory for %lu bytes", (unsigned long)size);
        return true;
    }
    got = size;
    HPDF_ReadFromStream(s->doc, s->out, &got);
    if (got != size) {
        *st = idp_fail(ctx, IDP_E_INTERNAL, "PDF: read %lu of %lu bytes back from libharu",
                       (unsigned long)got, (unsigned long)size);
        return true;
    }
    s->out_len = size;
    return true;
}

static idp_status haru_failure(idp_ctx *ctx, const pdf_state *s)
{
    idp_status st = IDP_E_INTERNAL;

    switch (s->error) {
    case HPDF_FAILD_TO_ALLOC_MEM:
        /* Said as what it is, not as a libharu code. */
        return idp_fail(ctx, IDP_E_NOMEM, "PDF: out of memory on %s",
                        s->doing != NULL ? s->doing : "the document");
    case HPDF_FILE_OPEN_ERROR:
        st = IDP_E_NOTFOUND;
        break;
    case HPDF_INVALID_JPEG_DATA:
    case HPDF_UNSUPPORTED_JPEG_FORMAT:
    case HPDF_INVALID_FONTDEF_DATA:
    case HPDF_INVALID_TTC_FILE:
    case HPDF_INVALID_TTC_INDEX:
    case HPDF_TTF_CANNOT_EMBEDDING_FONT:
    case HPDF_TTF_INVALID_CMAP:
    case HPDF_TTF_INVALID_FOMAT:
    case HPDF_TTF_MISSING_TABLE:
    case HPDF_UNSUPPORTED_FONT_TYPE:
        st = IDP_E_FORMAT;
        break;
    default:
        break;
    }
    return idp_fail(ctx, st, "PDF: libharu error 0x%04X (detail %u) on %s%s", (unsigned)s->error,
                    (unsigned)s->detail, s->doing != NULL ? s->doing : "?",
                    s->error == HPDF_TTF_MISSING_TABLE ? ": not a TrueType font libharu can embed"
                                                       : "");
}

static idp_status check_args(idp_ctx *ctx, const idp_pdf_opts *opts, const idp_letter *letter,
                             const idp_pdf_image *images, size_t n_images)
{
    if (opts->font_path == NULL || opts->reference == NULL || opts->reference[0] == '\0' ||
        letter->title == NULL || (letter->n_blocks > 0 && letter->blocks == NULL))
        return idp_fail(ctx, IDP_E_USAGE, "PDF: the font, reference and letter are required");
    if (opts->paper != IDP_PAPER_A4 && opts->paper != IDP_PAPER_LETTER)
        return idp_fail(ctx, IDP_E_USAGE, "PDF: unknown paper size %d", (int)opts->paper);
    /* 0000-01-01 .. 9999-12-31, which the PDF date format can hold. */
    if (opts->created < -62167219200 || opts->created > 253402300799)
        return idp_fail(ctx, IDP_E_USAGE, "PDF: creation time %lld out of range",
                        (long long)opts->created);
    if (n_images > 0 && images == NULL)
        return idp_fail(ctx, IDP_E_USAGE, "PDF: %zu images but no array", n_images);
    for (size_t i = 0; i < n_images; i++) {
        const idp_pdf_image *im = &images[i];
        if (im->jpeg == NULL || im->len == 0 || im->len > UINT_MAX || im->width == 0 ||
            im->height == 0 || im->caption == NULL || !(im->phys_width_mm >= 0.0))
            return idp_fail(ctx, IDP_E_USAGE, "PDF: image %zu is incomplete", i + 1);
        /* libharu looks for the frame header anywhere; a JPEG starts with SOI. */
        if (im->len < 4 || im->jpeg[0] != 0xFF || im->jpeg[1] != 0xD8 || im->jpeg[2] != 0xFF)
            return idp_fail(ctx, IDP_E_FORMAT, "PDF: image %zu (%s) is not a JPEG", i + 1,
                            im->caption);
    }
    return IDP_OK;
}

idp_status idp_pdf_build(idp_ctx *ctx, const idp_pdf_opts *opts, const idp_letter *letter,
                         const idp_pdf_image *images, size_t n_images, uint8_t **pdf, size_t *len)
{
    pdf_state *s = NULL;
    idp_qr *qr = NULL;
    HPDF_Image *loaded = NULL;
    char *linebuf = NULL;
    size_t longest = strlen(opts->reference != NULL ? opts->reference : "") + 64;
    struct tm tm;
    time_t t;
    HPDF_Date date;
    idp_status st;
    bool ok;

    *pdf = NULL;
    *len = 0;
    st = check_args(ctx, opts, letter, images, n_images);
    if (st != IDP_OK)
        goto out;
    st = check_texts(ctx, opts, letter, images, n_images);
    if (st != IDP_OK)
        goto out;
    st = idp_qr_encode(ctx, opts->reference, &qr);
    if (st != IDP_OK)
        goto out;

    t = (time_t)opts->created;
    if (gmtime_r(&t, &tm) == NULL) {
        st = idp_fail(ctx, IDP_E_USAGE, "PDF: creation time %lld out of range",
                      (long long)opts->created);
        goto out;
    }
    memset(&date, 0, sizeof(date));
    date.year = tm.tm_year + 1900;
    date.month = tm.tm_mon + 1;
    date.day = tm.tm_mday;
    date.hour = tm.tm_hour;
    date.minutes = tm.tm_min;
    date.seconds = tm.tm_sec > 59 ? 59 : tm.tm_sec;
    date.ind = 'Z';

    /* The line buffer holds any one text (a line is never longer). */
    for (size_t i = 0; i < letter->n_blocks; i++) {
        size_t n = strlen(letter->blocks[i].text);
        if (letter->blocks[i].label != NULL && strlen(letter->blocks[i].label) > n)
            n = strlen(letter->blocks[i].label);
        longest = n > longest ? n : longest;
    }
    longest = strlen(letter->title) > longest ? strlen(letter->title) : longest;
    for (size_t i = 0; i < n_images; i++)
        longest = strlen(images[i].caption) > longest ? strlen(images[i].caption) : longest;
    s = calloc(1, sizeof(*s));
    linebuf = malloc(longest + 1);
    loaded = calloc(n_images > 0 ? n_images : 1, sizeof(*loaded));
    if (s == NULL || linebuf == NULL || loaded == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, "PDF: out of memory");
        goto out;
    }
    linebuf[0] = '\0';
    ok = render(s, ctx, opts, letter, images, n_images, qr, &date, linebuf, loaded, &st);
    current_build = NULL; /* render()'s jump point is gone */
    if (!ok) {
        st = haru_failure(ctx, s);
        goto out;
    }
    if (st != IDP_OK)
        goto out;
    *pdf = s->out;
    *len = s->out_len;
    s->out = NULL;
out:
    if (s != NULL) {
        if (s->doc != NULL)
            HPDF_Free(s->doc);
        free(s->out);
        free(s);
    }
    free(loaded);
    free(linebuf);
    idp_qr_destroy(qr);
    return st;
}
