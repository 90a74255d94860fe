/* idp_pdf: the request PDF, with libharu 2.3.0. This file is the one
 * libharu wrapper: its error handler longjmps back into render() and
 * nowhere else.
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
#include "idp_pdf.h"

#include "idp_font.h"
#include "idp_io.h"
#include "idp_qr.h"

#include <limits.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hpdf.h>
#include <hpdf_objects.h> /* the ToUnicode repair below */
#include <hpdf_streams.h>

/* Page sizes in points. */
#define A4_W 595.276
#define A4_H 841.89
#define LETTER_W 612.0
#define LETTER_H 792.0

#define MARGIN 56.69 /* 20 mm */

/* Type sizes and line heights, points. */
#define TITLE_SIZE 16.0
#define TITLE_LEAD 20.0
#define META_SIZE 10.0
#define META_LEAD 13.5
#define HEAD_SIZE 11.5
#define HEAD_LEAD 15.5
#define BODY_SIZE 10.5
#define BODY_LEAD 14.5
#define SMALL_SIZE 8.5
#define CAPTION_SIZE 12.0
#define BULLET_INDENT 16.0
#define IDP_PDF_MIN_SCALE 0.72 /* the smallest type: body 7.6 pt, headings 8.3 pt */
#define SIGN_SPACE 34.0        /* room for the handwritten signature */
#define SIGN_RULE 190.0

/* The QR code: module size and quiet zone (ISO/IEC 18004: 4 modules). */
#define QR_MODULE 2.8
#define QR_QUIET 4

/* Everything render() changes lives here, behind a pointer that does not
 * change, so nothing is clobbered by the longjmp. */
/* A font as the layout uses it: a face, and whether to stroke it so a
 * regular face reads as bold (when no bold face is embedded). */
typedef struct face {
    HPDF_Font f;
    bool stroke;
} face;

typedef struct pdf_state {
    jmp_buf jump;
    HPDF_STATUS error;
    HPDF_STATUS detail;
    const char *doing; /* what libharu was doing, for the message */
    HPDF_Doc doc;
    face font, bold; /* bold: its own face, or the regular one stroked */
    uint8_t *out;    /* the PDF, malloc'd */
    size_t out_len;
} pdf_state;

/* The layout cursor. In a dry run nothing is drawn: the pages are counted. */
typedef struct lay {
    pdf_state *s;
    const idp_pdf_opts *opts;
    const idp_qr *qr;
    bool draw;
    HPDF_Page page;
    int page_no, total_pages;
    double page_w, page_h;
    double left, right, top, bottom;
    double y;                      /* the top of the next line */
    double zone_left, zone_bottom; /* page 1: the QR code and reference */
    double field_col;              /* x of FIELD values, from left */
    double k;                      /* the letter's vertical spacing, 1 = normal */
    double f;                      /* the letter's type scale, 1 = normal */
    size_t break_before;           /* a block to start on a new page, SIZE_MAX: none */
    size_t orphan;                 /* set by a dry run: the block to move with the signature */
    const char *bullet;
    const char *colon; /* after a field's label: ":", in French " :" (U+202F) */
    char *buf;         /* one line of text, NUL-terminated for libharu */
} lay;

/* A vertical distance of the letter, at its spacing. */
#define V(x) ((x)*L->k * L->f)
/* A type size of the letter, at its scale. */
#define F(x) ((x)*L->f)

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

static size_t utf8_len(unsigned char b)
{
    return b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
}

/* libharu 2.3.0 encodes UTF-8 into 2-byte codes: a character beyond the
 * Basic Multilingual Plane is silently dropped. Refuse it instead. The text
 * is valid UTF-8 (idp_font_check_text ran first). */
static idp_status check_bmp(idp_ctx *ctx, const char *text, const char *what, const char *font_path)
{
    const unsigned char *s = (const unsigned char *)text;

    for (size_t i = 0; s[i] != '\0'; i += utf8_len(s[i])) {
        if (s[i] >= 0xF0) {
            unsigned cp = ((s[i] & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) |
                          ((s[i + 2] & 0x3Fu) << 6) | (s[i + 3] & 0x3Fu);
            return idp_fail(ctx, IDP_E_GLYPH,
                            "U+%04X '%.4s' in %s cannot be drawn with font %s: the PDF library "
                            "draws characters up to U+FFFF only",
                            cp, text + i, what, idp_basename(font_path));
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

/* ---- text measurement and drawing ---------------------------------- */

/* Tabs and carriage returns lay out as spaces; '\n' breaks the line. A
 * no-break space (U+00A0, as the letter joins a phone number's groups)
 * is measured and drawn as a space, but the line never breaks there. */
#define NBSP_0 '\xC2'
#define NBSP_1 '\xA0'
static bool is_nbsp(const char *s, size_t i, size_t len)
{
    return i + 1 < len && s[i] == NBSP_0 && s[i + 1] == NBSP_1;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static bool ends_word(char c)
{
    return c == '\0' || c == '\n' || is_blank(c);
}

static double raw_width(const face *font, double size, const char *s, size_t len)
{
    HPDF_TextWidth tw;

    if (len == 0)
        return 0.0;
    tw = HPDF_Font_TextWidth(font->f, (const HPDF_BYTE *)s, (HPDF_UINT)len);
    return (double)tw.width * size / 1000.0;
}

/* The width of s as drawn (blanks drawn as spaces), in points. */
static double text_width(const face *font, double size, const char *s, size_t len)
{
    double w = 0.0;
    size_t a = 0;

    for (size_t i = 0; i <= len; i++) {
        bool nb = is_nbsp(s, i, len);
        if (i == len || s[i] == '\t' || s[i] == '\r' || nb) {
            w += raw_width(font, size, s + a, i - a);
            if (i < len)
                w += raw_width(font, size, " ", 1);
            a = i + (nb ? 2 : 1);
            i += nb ? 1 : 0;
        }
    }
    return w;
}

/* The line that starts at text[pos] and fits in avail points: returns its
 * end (trailing spaces excluded); *next is where the following line
 * starts. Breaks at spaces, at '\n' always, and inside a word only when
 * the word alone is wider than the line. At least one character is taken,
 * so the layout always advances. */
static size_t wrap_line(const face *font, double size, const char *text, size_t pos, double avail,
                        size_t *next)
{
    size_t end = pos, q = pos;

    for (;;) {
        size_t w = q;
        while (!ends_word(text[w]))
            w++;
        if (w > q && text_width(font, size, text + pos, w - pos) > avail)
            break;
        end = w;
        while (is_blank(text[w]))
            w++;
        if (text[w] == '\0' || text[w] == '\n')
            break;
        q = w;
    }
    if (end == pos) {
        /* One word wider than the line: break it between characters. */
        size_t k = pos + utf8_len((unsigned char)text[pos]);
        end = k;
        while (!ends_word(text[k])) {
            k += utf8_len((unsigned char)text[k]);
            if (text_width(font, size, text + pos, k - pos) > avail)
                break;
            end = k;
        }
    }
    *next = end;
    while (is_blank(text[*next]))
        (*next)++;
    if (text[*next] == '\n')
        (*next)++;
    return end;
}

static void draw_text(lay *L, const face *font, double size, double x, double baseline,
                      const char *s, size_t len)
{
    if (!L->draw || len == 0)
        return;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        L->buf[n++] = is_blank(s[i]) || is_nbsp(s, i, len) ? ' ' : s[i];
        i += is_nbsp(s, i, len) ? 1 : 0;
    }
    L->buf[n] = '\0';
    if (font->stroke) {
        HPDF_Page_SetLineWidth(L->page, (HPDF_REAL)(size * 0.03));
        HPDF_Page_SetTextRenderingMode(L->page, HPDF_FILL_THEN_STROKE);
    }
    HPDF_Page_BeginText(L->page);
    HPDF_Page_SetFontAndSize(L->page, font->f, (HPDF_REAL)size);
    HPDF_Page_TextOut(L->page, (HPDF_REAL)x, (HPDF_REAL)baseline, L->buf);
    HPDF_Page_EndText(L->page);
    if (font->stroke)
        HPDF_Page_SetTextRenderingMode(L->page, HPDF_FILL);
}

/* ---- pages ----------------------------------------------------------- */

static void draw_footer(lay *L)
{
    char text[160];
    double w;

    if (!L->draw)
        return;
    snprintf(text, sizeof(text), "%s   %d/%d", L->opts->reference, L->page_no, L->total_pages);
    w = text_width(&L->s->font, SMALL_SIZE, text, strlen(text));
    draw_text(L, &L->s->font, SMALL_SIZE, (L->page_w - w) / 2.0, L->bottom / 2.0, text,
              strlen(text));
}

static void new_page(lay *L)
{
    L->page_no++;
    L->y = L->top;
    if (!L->draw)
        return;
    L->s->doing = "adding a page";
    L->page = HPDF_AddPage(L->s->doc);
    HPDF_Page_SetWidth(L->page, (HPDF_REAL)L->page_w);
    HPDF_Page_SetHeight(L->page, (HPDF_REAL)L->page_h);
    HPDF_Page_SetGrayFill(L->page, 0.0f);
    draw_footer(L);
}

/* Makes room for a line of the given height (a new page if needed) and
 * returns its top. */
static double take_line(lay *L, double lead)
{
    double top;

    if (L->y - lead < L->bottom)
        new_page(L);
    top = L->y;
    L->y -= lead;
    return top;
}

/* The right edge of a line whose top is at top: page 1 keeps clear of the
 * QR code and the reference under it. */
static double right_at(const lay *L, double top)
{
    return L->page_no == 1 && top > L->zone_bottom ? L->zone_left : L->right;
}

static double baseline_of(double top, double size)
{
    return top - size * 1.0; /* the ascent of a Latin face is ~0.93 em */
}

/* Flows text between x_first (first line) / x_next (others) and the right
 * edge. */
static void flow(lay *L, const face *font, double size, double lead, double x_first, double x_next,
                 const char *text)
{
    size_t pos = 0;
    double x = x_first;

    while (is_blank(text[pos]))
        pos++;
    do {
        size_t next, end;
        double top = take_line(L, lead);
        end = wrap_line(font, size, text, pos, right_at(L, top) - x, &next);
        draw_text(L, font, size, x, baseline_of(top, size), text + pos, end - pos);
        pos = next;
        x = x_next;
    } while (text[pos] != '\0');
}

/* Page 1's corner: the QR code (dark modules aligned with the top and
 * right margins, the quiet zone in the margin) and the reference under it. */
static void draw_qr(lay *L)
{
    const idp_qr *qr = L->qr;
    double m = QR_MODULE, side = (double)qr->size * m;
    double x0 = L->right - side, ytop = L->top;
    double ref_w =
        text_width(&L->s->font, META_SIZE, L->opts->reference, strlen(L->opts->reference));
    double ref_base = ytop - side - QR_QUIET * m - META_SIZE;

    L->zone_left = (x0 < L->right - ref_w ? x0 : L->right - ref_w) - QR_QUIET * m - 6.0;
    L->zone_bottom = ref_base - 6.0;
    if (!L->draw)
        return;
    L->s->doing = "drawing the QR code";
    HPDF_Page_SetGrayFill(L->page, 1.0f);
    HPDF_Page_Rectangle(L->page, (HPDF_REAL)(x0 - QR_QUIET * m),
                        (HPDF_REAL)(ytop - side - QR_QUIET * m),
                        (HPDF_REAL)(side + 2 * QR_QUIET * m), (HPDF_REAL)(side + 2 * QR_QUIET * m));
    HPDF_Page_Fill(L->page);
    HPDF_Page_SetGrayFill(L->page, 0.0f);
    /* One rectangle per horizontal run of dark modules. */
    for (uint32_t r = 0; r < qr->size; r++) {
        const uint8_t *row = qr->modules + (size_t)r * qr->size;
        for (uint32_t c = 0; c < qr->size;) {
            uint32_t e = c;
            if (!row[c]) {
                c++;
                continue;
            }
            while (e < qr->size && row[e])
                e++;
            HPDF_Page_Rectangle(L->page, (HPDF_REAL)(x0 + c * m), (HPDF_REAL)(ytop - (r + 1) * m),
                                (HPDF_REAL)((e - c) * m), (HPDF_REAL)m);
            c = e;
        }
    }
    HPDF_Page_Fill(L->page);
    draw_text(L, &L->s->font, META_SIZE, L->right - ref_w, ref_base, L->opts->reference,
              strlen(L->opts->reference));
}

/* "Label:" in bold in a column, the value beside it; both wrap. */
static void lay_field(lay *L, const idp_block *b)
{
    size_t lp = 0, vp = 0;
    double xv = L->left + L->field_col;

    while (b->label[lp] != '\0' || b->text[vp] != '\0') {
        double top = take_line(L, V(BODY_LEAD)), base = baseline_of(top, F(BODY_SIZE));
        size_t next, end;
        if (b->label[lp] != '\0') {
            end = wrap_line(&L->s->bold, F(BODY_SIZE), b->label, lp, L->field_col - 12.0, &next);
            draw_text(L, &L->s->bold, F(BODY_SIZE), L->left, base, b->label + lp, end - lp);
            if (b->label[next] == '\0') {
                double w = text_width(&L->s->bold, F(BODY_SIZE), b->label + lp, end - lp);
                draw_text(L, &L->s->bold, F(BODY_SIZE), L->left + w, base, L->colon,
                          strlen(L->colon));
            }
            lp = next;
        }
        if (b->text[vp] != '\0') {
            end = wrap_line(&L->s->font, F(BODY_SIZE), b->text, vp, right_at(L, top) - xv, &next);
            draw_text(L, &L->s->font, F(BODY_SIZE), xv, base, b->text + vp, end - vp);
            vp = next;
        }
    }
}

/* Room for the handwritten signature, a rule, the name under it: never
 * split. Returns true if it had to start a new page. */
static bool lay_signature(lay *L, const idp_block *b)
{
    bool moved = L->y - V(SIGN_SPACE) - 3.0 - 2 * V(BODY_LEAD) < L->bottom;

    if (moved)
        new_page(L);
    L->y -= V(SIGN_SPACE);
    if (L->draw) {
        L->s->doing = "drawing the signature line";
        HPDF_Page_SetLineWidth(L->page, 0.6f);
        HPDF_Page_MoveTo(L->page, (HPDF_REAL)L->left, (HPDF_REAL)L->y);
        HPDF_Page_LineTo(L->page, (HPDF_REAL)(L->left + SIGN_RULE), (HPDF_REAL)L->y);
        HPDF_Page_Stroke(L->page);
    }
    L->y -= 3.0;
    flow(L, &L->s->font, F(BODY_SIZE), V(BODY_LEAD), L->left, L->left, b->text);
    return moved;
}

/* The space after block i, before block i + 1. */
static double gap_after(const lay *L, const idp_letter *letter, size_t i)
{
    idp_block_kind kind = letter->blocks[i].kind;

    if (i + 1 == letter->n_blocks)
        return 0.0;
    switch (kind) {
    case IDP_BLOCK_TITLE:
        return V(10.0);
    case IDP_BLOCK_HEADING:
        return V(2.0);
    case IDP_BLOCK_PARAGRAPH:
        return V(6.0);
    case IDP_BLOCK_META:
        return letter->blocks[i + 1].kind == kind ? 0.0 : V(8.0);
    case IDP_BLOCK_BULLET:
    case IDP_BLOCK_FIELD:
        return letter->blocks[i + 1].kind == kind ? 0.0 : V(6.0);
    case IDP_BLOCK_SIGNATURE:
        return V(6.0);
    }
    return 0.0;
}

/* The letter: pages 1..n. Returns n. Sets L->orphan to the block that
 * should move to the next page with the signature, if any. */
static int lay_letter(lay *L, const idp_letter *letter)
{
    bool has_title = false;
    int prev_page = 1;

    L->page_no = 0;
    L->orphan = SIZE_MAX;
    new_page(L);
    draw_qr(L);
    for (size_t i = 0; i < letter->n_blocks; i++)
        has_title |= letter->blocks[i].kind == IDP_BLOCK_TITLE;
    if (!has_title) {
        flow(L, &L->s->bold, F(TITLE_SIZE), V(TITLE_LEAD), L->left, L->left, letter->title);
        L->y -= V(10.0);
    }
    for (size_t i = 0; i < letter->n_blocks; i++) {
        const idp_block *b = &letter->blocks[i];
        int start_page;
        if (i == L->break_before && L->y < L->top)
            new_page(L);
        start_page = L->page_no;
        switch (b->kind) {
        case IDP_BLOCK_TITLE:
            flow(L, &L->s->bold, F(TITLE_SIZE), V(TITLE_LEAD), L->left, L->left, b->text);
            break;
        case IDP_BLOCK_META:
            flow(L, &L->s->font, F(META_SIZE), V(META_LEAD), L->left, L->left, b->text);
            break;
        case IDP_BLOCK_HEADING:
            L->y -= V(6.0);
            /* Keep the heading with the first line of what follows. */
            if (L->y - V(HEAD_LEAD) - V(BODY_LEAD) < L->bottom)
                new_page(L);
            flow(L, &L->s->bold, F(HEAD_SIZE), V(HEAD_LEAD), L->left, L->left, b->text);
            break;
        case IDP_BLOCK_PARAGRAPH:
            flow(L, &L->s->font, F(BODY_SIZE), V(BODY_LEAD), L->left, L->left, b->text);
            break;
        case IDP_BLOCK_BULLET:
            /* The bullet goes on the item's first line: find it first. */
            if (L->y - V(BODY_LEAD) < L->bottom)
                new_page(L);
            draw_text(L, &L->s->font, F(BODY_SIZE), L->left + 4.0, baseline_of(L->y, F(BODY_SIZE)),
                      L->bullet, strlen(L->bullet));
            flow(L, &L->s->font, F(BODY_SIZE), V(BODY_LEAD), L->left + F(BULLET_INDENT),
                 L->left + F(BULLET_INDENT), b->text);
            break;
        case IDP_BLOCK_FIELD:
            lay_field(L, b);
            break;
        case IDP_BLOCK_SIGNATURE:
            /* A closing line ("Kind regards,") is not left behind alone. */
            if (lay_signature(L, b) && i > 0 && letter->blocks[i - 1].kind == IDP_BLOCK_PARAGRAPH &&
                prev_page == L->page_no - 1)
                L->orphan = i - 1;
            break;
        }
        L->y -= gap_after(L, letter, i);
        prev_page = start_page;
    }
    return L->page_no;
}

/* One page per image: the caption, then the JPEG at its true size when
 * known (shrunk only if the page cannot hold it), else fitted. */
static void lay_image(lay *L, const idp_pdf_image *img, HPDF_Image image)
{
    double area_w = L->right - L->left, area_h, w, h, x;

    new_page(L);
    flow(L, &L->s->bold, CAPTION_SIZE, TITLE_LEAD, L->left, L->left, img->caption);
    L->y -= 8.0;
    area_h = L->y - L->bottom;
    if (img->phys_width_mm > 0.0) {
        w = img->phys_width_mm * 72.0 / 25.4;
        h = w * (double)img->height / (double)img->width;
    } else {
        w = area_w;
        h = area_w * (double)img->height / (double)img->width;
    }
    if (w > area_w) {
        h *= area_w / w;
        w = area_w;
    }
    if (h > area_h) {
        w *= area_h / h;
        h = area_h;
    }
    x = L->left + (area_w - w) / 2.0;
    if (L->draw) {
        L->s->doing = "drawing an image";
        HPDF_Page_DrawImage(L->page, image, (HPDF_REAL)x, (HPDF_REAL)(L->y - h), (HPDF_REAL)w,
                            (HPDF_REAL)h);
    }
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

/* Widest "Label:" of the letter's fields, capped: the column of values. */
static double field_column(const lay *L, const idp_letter *letter)
{
    double col = 0.0, cap = (L->right - L->left) * 0.42;

    for (size_t i = 0; i < letter->n_blocks; i++) {
        const idp_block *b = &letter->blocks[i];
        if (b->kind == IDP_BLOCK_FIELD) {
            double w = text_width(&L->s->bold, F(BODY_SIZE), b->label, strlen(b->label)) +
                       text_width(&L->s->bold, F(BODY_SIZE), L->colon, strlen(L->colon)) + 12.0;
            col = w > col ? w : col;
        }
    }
    return col < cap ? col : cap;
}

/* All the libharu work. Returns false when libharu failed (s->error says
 * how); other failures are reported through ctx and *st. */
static bool render(pdf_state *s, idp_ctx *ctx, const idp_pdf_opts *opts, const idp_letter *letter,
                   const idp_pdf_image *images, size_t n_images, const idp_qr *qr,
                   const HPDF_Date *date, char *linebuf, HPDF_Image *loaded, idp_status *st)
{
    static const double spacings[] = {1.0, 0.94, 0.88};
    static const double scales[] = {0.95, 0.9, 0.85, 0.8, 0.76, IDP_PDF_MIN_SCALE};
    lay L;
    HPDF_UINT32 size, got;
    int pages = 0;

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

    memset(&L, 0, sizeof(L));
    L.s = s;
    L.opts = opts;
    L.qr = qr;
    L.buf = linebuf;
    L.bullet = "\xE2\x80\xA2"; /* U+2022 */
    if (idp_font_check_text(ctx, opts->font_path, L.bullet, "the bullet") != IDP_OK) {
        idp_ctx_clear(ctx);
        L.bullet = "-";
    }
    /* French puts a narrow no-break space before a colon. */
    L.colon = letter->lang != NULL && strcmp(letter->lang, "fr") == 0 ? "\xE2\x80\xAF:" : ":";
    L.page_w = opts->paper == IDP_PAPER_LETTER ? LETTER_W : A4_W;
    L.page_h = opts->paper == IDP_PAPER_LETTER ? LETTER_H : A4_H;
    L.left = MARGIN;
    L.right = L.page_w - MARGIN;
    L.top = L.page_h - MARGIN;
    L.bottom = MARGIN;
    L.f = 1.0;
    L.field_col = field_column(&L, letter);

    /* Dry runs: the letter on one page if a slightly tighter spacing
     * does it, else at the normal spacing over as many pages as needed,
     * with the closing line kept with the signature; and the page count
     * for the footers. */
    L.draw = false;
    L.break_before = SIZE_MAX;
    L.f = 1.0;
    for (size_t i = 0; i < sizeof(spacings) / sizeof(spacings[0]); i++) {
        L.k = spacings[i];
        if ((pages = lay_letter(&L, letter)) == 1)
            break;
    }
    /* Still too long: smaller type, down to IDP_PDF_MIN_SCALE (body text
     * 7.6 pt), at the tightest spacing. */
    for (size_t i = 0; pages > 1 && i < sizeof(scales) / sizeof(scales[0]); i++) {
        L.f = scales[i];
        L.field_col = field_column(&L, letter);
        pages = lay_letter(&L, letter);
    }
    if (pages > 1) {
        L.k = spacings[0];
        L.f = 1.0;
        L.field_col = field_column(&L, letter);
        pages = lay_letter(&L, letter);
        if (L.orphan != SIZE_MAX) {
            L.break_before = L.orphan;
            pages = lay_letter(&L, letter);
        }
    }
    L.total_pages = pages + (int)n_images;
    L.draw = true;
    lay_letter(&L, letter);
    L.k = 1.0;
    L.f = 1.0;
    for (size_t i = 0; i < n_images; i++)
        lay_image(&L, &images[i], loaded[i]);

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
