/* The content factor: how much what is printed inside a quad (its
 * idp_content, read by idp_content.c) says "an ID's side". A mesh, a page
 * of running text, a cover with a title, a sharp thing with too little
 * print, a cut-off outline with no print in view, an ID-1 quad with a
 * payment card's few fields, print in one corner of the quad: each a
 * reason the quad is not a document. The numbers and their reasons:
 * docs/detection.md (rounds 4, 10, 11, 15, 16 and 28). */
#include "idp_evidence.h"

#define PERIODIC_NONE 0.75 /* a mesh 0.88; documents 0.4-0.56 (their lines of text) */
#define SMALL_PRINT 40     /* components of small print: a page of text... */
#define CONTENT_SMALL 0.25 /* ...when they outnumber ID-sized letters 4 to 1 */
#define LETTERS_FULL 12.0  /* ID-sized letters for full confidence (a card has 50-300) */
#define CONTENT_NONE 0.45  /* none: a plain rectangle (a book, a box) is likelier than an ID */
/* A sharp rectangle with a title and little else (a book's cover): print of
 * at least PRINT_LEGIBLE components (something reads as print, so the photo
 * is not too blurred or dark to judge) but fewer than PRINT_FEW, its
 * letters one line of text (a word or more, TITLE_WORD letters) and no
 * second line of a word. An ID's fields (name, numbers, dates, their
 * labels, an MRZ's 88-90 characters) are many lines: 35-612 components on
 * the tune draws; a passport cover has two lines (15 and 8 letters: its
 * state, "PASSPORT"), the drawn book one (8-12 letters, 0-2 off it). Round
 * 10: this replaced "in at most 4 of the 12 cells of a 4 x 3 grid", which
 * the book's title spread over 5 cells passed and a blurred card's few
 * letters in 4 cells failed. */
#define PRINT_LEGIBLE 6
#define PRINT_FEW 30
#define TITLE_WORD 5
/* Round 11: the same little print with no line of a word at all (a
 * phone's icons, a box's few marks) when the copy is sharp: its steepest
 * 1 % steps at least SHARP_LEGIBLE levels over 2 px. Sharp, an ID shows its
 * fields (78 print components and more on the tune draws, a passport
 * cover 32 in two lines); blurred cards, whose print is few blobs, read
 * 24-31 and are still judged by the letters they show; the no-document
 * quads with such print 43-125 (docs/detection.md, "Round 11: wrong
 * quads"). */
#define SHARP_LEGIBLE 40.0
/* Round 15: a quad whose copy is sharp enough to show print (SHARP_LEGIBLE)
 * and holds fewer than PRINT_FLOOR print components (letters + small) is
 * not a document, whatever lines its marks make. Every ID side prints a
 * name, numbers, dates and their labels, or an MRZ of 88-90 characters;
 * measured sharp (docs/detection.md, "Round 15: no document"): ID fronts
 * and backs 106-776 (the corpus's 164-729; far and tiny cards, the smallest
 * the finder keeps, 106 and more), passport covers, the documents with the
 * least print, 30-52. The floor is two thirds of that least: a cover
 * with a third of its print lost to glare, a finger or a shadow still
 * passes. The clutter that got through: a book's cover 15, a phone's
 * icons 4. */
#define PRINT_FLOOR 20
/* Round 16: a quad running out of the frame (a cut-off outline: a U of
 * three lines with its fourth side placed at an ID's aspect, or a quad
 * with a corner past the frame's edge) is read on its part in view only
 * (idp_quad_content: the part outside holds nothing) and must show an
 * ID's print there, sharp or soft: at least PRINT_FLOOR times the share
 * in view (an ID side's print is spread over the side: fields, photo,
 * MRZ). A whole outline with little print on a soft copy is judged by its
 * four sides and corners (a blurred card); a cut-off outline has three,
 * and any rectangle running out of the frame (a phone, a book, a screen,
 * a tray) fits one of the two aspects with its fourth side placed out of
 * view: without print nothing in the photo says ID (docs/detection.md,
 * "Round 16: things running out of the frame"). */
/* Round 16: an ID-1 quad (a bank card has an ID card's size and corners)
 * whose copy is sharp (SHARP_LEGIBLE) and holds fewer than ID1_PRINT_FLOOR
 * print components is not an ID card's side. A payment card's front
 * prints (ISO/IEC 7813) a 16-digit number, a name of at most 26
 * characters, an expiry of 5, an issuer's and a scheme's logo: 30-50
 * characters; an ID-1 side its holder's names, dates and numbers with a
 * label each, an authority, or a 90-character MRZ. Measured sharp
 * (docs/detection.md, "Round 16: a bank card"): ID-1 sides 97 and more
 * (a held card, the thumb over its print; far cards 106, tiny 123), the
 * drawn bank cards 39-60. The floor is two thirds of round 15's least
 * ID side (106), as PRINT_FLOOR is of the least cover: an ID card with a
 * third of its print lost to glare, a finger or a shadow still passes.
 * ID-3 quads keep PRINT_FLOOR (passport covers print 30-52). */
#define ID1_PRINT_FLOOR 70
/* A page of running text (an A4 letter, ID-3's shape): hundreds of print
 * components in rows of one pitch across both halves. ID pages and cards
 * with >= PAGE_PRINT components measure at most 0.27 (their fields come in
 * groups with a photo beside them), drawn A4 letters 0.53-0.73. */
#define PAGE_PRINT 250
#define PAGE_LINES 0.40
/* Round 28: a quad holding legible print (PRINT_FLOOR components) whose
 * extent is under PRINT_SPREAD of the quad in view holds something
 * printed and the surface around it: a rectangle of a tablecloth's lines
 * with the card lying in one corner of it. An ID side prints from margin
 * to margin (fields, photo, MRZ; a passport cover a title above an
 * emblem and a name below it), so its print's box is most of the side:
 * measured on the 50 sets, at least 0.38 of the copy over 1,900 right
 * quads with legible print (portrait documents 0.39, white cards 0.38).
 * A quarter is print on something at most half the quad's size each way
 * (docs/detection.md, "Round 28"). */
#define PRINT_SPREAD 0.25

static double clamp01(double v)
{
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

double idp_content_factor(const idp_content *c)
{
    if (c->periodic >= PERIODIC_NONE)
        return 0; /* a mesh, a tray, a keyboard */
    if (c->small >= SMALL_PRINT && c->small >= 4 * c->letters)
        return CONTENT_SMALL; /* a letter's or a book's print, not an ID's */
    const int print = c->letters + c->small;
    if (c->sharp >= SHARP_LEGIBLE && print < PRINT_FLOOR)
        return CONTENT_SMALL; /* sharp, and too little print for any ID's side */
    if (print >= PRINT_FLOOR && c->spread < PRINT_SPREAD)
        return CONTENT_SMALL; /* the print of something smaller inside the quad */
    if (c->visible < 1 && print < PRINT_FLOOR * c->visible)
        return CONTENT_SMALL; /* cut off by the frame, no ID's print in view */
    if (print >= PRINT_LEGIBLE && print < PRINT_FEW && c->line2 < TITLE_WORD &&
        (c->line1 >= TITLE_WORD || c->sharp >= SHARP_LEGIBLE))
        return CONTENT_SMALL; /* a title on a plain cover; a sharp thing with no ID's fields */
    if (print >= PAGE_PRINT && c->lines >= PAGE_LINES)
        return CONTENT_SMALL; /* lines of running text */
    return CONTENT_NONE + (1 - CONTENT_NONE) * clamp01((double)c->letters / LETTERS_FULL);
}

double idp_content_factor_kind(const idp_content *c, idp_doc_kind kind)
{
    if (kind == IDP_DOC_ID1 && c->sharp >= SHARP_LEGIBLE && c->letters + c->small < ID1_PRINT_FLOOR)
        return CONTENT_SMALL; /* a payment card's few fields, not an ID card's side */
    return idp_content_factor(c);
}
