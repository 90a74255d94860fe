/* idp_pdf_layout: the request letter laid out on pages: words wrapped by
 * measuring the UTF-8 text with the embedded font, the reference and its
 * QR code in page 1's top right corner, the field column, the signature
 * kept whole, the type and spacing chosen by dry runs so the letter fits
 * one page when it can; then one page per ID image, at its true size when
 * known, else fitted. It draws with libharu's page operators; the document
 * itself (fonts, images, errors) is idp_pdf.c's. */
#include "idp_pdf_int.h"
#include "idp_utf8.h"

#include "idp_font.h"

#include <stdio.h>
#include <string.h>

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
        size_t k = pos + idp_utf8_seq_len((unsigned char)text[pos]);
        end = k;
        while (!ends_word(text[k])) {
            k += idp_utf8_seq_len((unsigned char)text[k]);
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

void idp_pdf_lay_out(pdf_state *s, idp_ctx *ctx, const idp_pdf_opts *opts, const idp_letter *letter,
                     const idp_pdf_image *images, const HPDF_Image *loaded, size_t n_images,
                     const idp_qr *qr, char *linebuf)
{
    static const double spacings[] = {1.0, 0.94, 0.88};
    static const double scales[] = {0.95, 0.9, 0.85, 0.8, 0.76, IDP_PDF_MIN_SCALE};
    lay L;
    int pages = 0;

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
}
