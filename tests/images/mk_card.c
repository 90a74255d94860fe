/* idp_mkphotos (see mkphotos.c): the documents' designs. The 5x7 block
 * font, the card's front and back with its TD1 MRZ, the passport data page
 * with its TD3 MRZ, the vertical card and the passport cover, and the
 * colour of each at a point. */

#include <stdio.h>
#include <string.h>

#include "mkphotos.h"

/* ------------------------------------------------------------------ */
/* the 5x7 block font                                                 */

/* clang-format off */
/* 7 rows of 5 dots per glyph, top to bottom. */
static const char *const font[128] = {
    ['A'] = ".###." "#...#" "#...#" "#####" "#...#" "#...#" "#...#",
    ['B'] = "####." "#...#" "#...#" "####." "#...#" "#...#" "####.",
    ['C'] = ".###." "#...#" "#...." "#...." "#...." "#...#" ".###.",
    ['D'] = "####." "#...#" "#...#" "#...#" "#...#" "#...#" "####.",
    ['E'] = "#####" "#...." "#...." "####." "#...." "#...." "#####",
    ['F'] = "#####" "#...." "#...." "####." "#...." "#...." "#....",
    ['G'] = ".###." "#...#" "#...." "#.###" "#...#" "#...#" ".####",
    ['H'] = "#...#" "#...#" "#...#" "#####" "#...#" "#...#" "#...#",
    ['I'] = ".###." "..#.." "..#.." "..#.." "..#.." "..#.." ".###.",
    ['J'] = "..###" "...#." "...#." "...#." "...#." "#..#." ".##..",
    ['K'] = "#...#" "#..#." "#.#.." "##..." "#.#.." "#..#." "#...#",
    ['L'] = "#...." "#...." "#...." "#...." "#...." "#...." "#####",
    ['M'] = "#...#" "##.##" "#.#.#" "#.#.#" "#...#" "#...#" "#...#",
    ['N'] = "#...#" "#...#" "##..#" "#.#.#" "#..##" "#...#" "#...#",
    ['O'] = ".###." "#...#" "#...#" "#...#" "#...#" "#...#" ".###.",
    ['P'] = "####." "#...#" "#...#" "####." "#...." "#...." "#....",
    ['Q'] = ".###." "#...#" "#...#" "#...#" "#.#.#" "#..#." ".##.#",
    ['R'] = "####." "#...#" "#...#" "####." "#.#.." "#..#." "#...#",
    ['S'] = ".####" "#...." "#...." ".###." "....#" "....#" "####.",
    ['T'] = "#####" "..#.." "..#.." "..#.." "..#.." "..#.." "..#..",
    ['U'] = "#...#" "#...#" "#...#" "#...#" "#...#" "#...#" ".###.",
    ['V'] = "#...#" "#...#" "#...#" "#...#" "#...#" ".#.#." "..#..",
    ['W'] = "#...#" "#...#" "#...#" "#.#.#" "#.#.#" "#.#.#" ".#.#.",
    ['X'] = "#...#" "#...#" ".#.#." "..#.." ".#.#." "#...#" "#...#",
    ['Y'] = "#...#" "#...#" "#...#" ".#.#." "..#.." "..#.." "..#..",
    ['Z'] = "#####" "....#" "...#." "..#.." ".#..." "#...." "#####",
    ['0'] = ".###." "#...#" "#..##" "#.#.#" "##..#" "#...#" ".###.",
    ['1'] = "..#.." ".##.." "..#.." "..#.." "..#.." "..#.." ".###.",
    ['2'] = ".###." "#...#" "....#" "...#." "..#.." ".#..." "#####",
    ['3'] = "#####" "...#." "..#.." "...#." "....#" "#...#" ".###.",
    ['4'] = "...#." "..##." ".#.#." "#..#." "#####" "...#." "...#.",
    ['5'] = "#####" "#...." "####." "....#" "....#" "#...#" ".###.",
    ['6'] = "..##." ".#..." "#...." "####." "#...#" "#...#" ".###.",
    ['7'] = "#####" "....#" "...#." "..#.." ".#..." ".#..." ".#...",
    ['8'] = ".###." "#...#" "#...#" ".###." "#...#" "#...#" ".###.",
    ['9'] = ".###." "#...#" "#...#" ".####" "....#" "...#." ".##..",
    ['<'] = "...#." "..#.." ".#..." "#...." ".#..." "..#.." "...#.",
    ['/'] = "....." "....#" "...#." "..#.." ".#..." "#...." ".....",
    ['.'] = "....." "....." "....." "....." "....." "##..." "##...",
    [','] = "....." "....." "....." "....." "##..." ".#..." "#....",
    ['-'] = "....." "....." "....." "#####" "....." "....." ".....",
    [':'] = "....." "##..." "##..." "....." ".##.." ".##.." ".....",
};

/* clang-format on */

int glyph_on(char ch, int col, int row)
{
    const unsigned char uc = (unsigned char)ch;
    if (uc >= 128 || !font[uc])
        return 0;
    return font[uc][row * 5 + col] == '#';
}

/* ------------------------------------------------------------------ */
/* the card design                                                    */

static void add_text(design *d, double x, double y, double h, rgb col, const char *s)
{
    if (d->ntext >= MAX_TEXT)
        die("too many text items");
    text_item *t = &d->text[d->ntext++];
    t->x = x;
    t->y = y;
    t->h = h;
    t->pitch = h * 6.0 / 7.0;
    t->col = col;
    snprintf(t->s, sizeof t->s, "%s", s);
}

static int mrz_value(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'A' && ch <= 'Z')
        return ch - 'A' + 10;
    return 0;
}

static char mrz_check(const char *s, size_t n)
{
    static const int weight[3] = {7, 3, 1};
    int sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += mrz_value(s[i]) * weight[i % 3];
    return (char)('0' + sum % 10);
}

static void mrz_field(char *dst, size_t n, const char *src)
{
    size_t i = 0;
    for (; src[i] && i < n; i++)
        dst[i] = src[i] == ' ' ? '<' : src[i];
    for (; i < n; i++)
        dst[i] = '<';
}

/* TD1 (3 x 30) machine readable zone with valid check digits. */
static void make_mrz(const person *p, char l1[31], char l2[31], char l3[31])
{
    memset(l1, '<', 30);
    memset(l2, '<', 30);
    memset(l3, '<', 30);
    l1[30] = l2[30] = l3[30] = '\0';
    memcpy(l1, "IDUTO", 5);
    mrz_field(l1 + 5, 9, p->docno);
    l1[14] = mrz_check(l1 + 5, 9);
    memcpy(l2, p->dob_mrz, 6);
    l2[6] = mrz_check(l2, 6);
    l2[7] = p->sex[0];
    memcpy(l2 + 8, p->expiry_mrz, 6);
    l2[14] = mrz_check(l2 + 8, 6);
    memcpy(l2 + 15, "UTO", 3);
    char comp[64];
    size_t n = 0;
    memcpy(comp + n, l1 + 5, 25);
    n += 25;
    memcpy(comp + n, l2, 7);
    n += 7;
    memcpy(comp + n, l2 + 8, 7);
    n += 7;
    memcpy(comp + n, l2 + 18, 11);
    n += 11;
    l2[29] = mrz_check(comp, n);
    char name[64];
    snprintf(name, sizeof name, "%s<<%s", p->surname, p->given);
    mrz_field(l3, 30, name);
}

static void index_text(design *d)
{
    memset(d->nbin, 0, sizeof d->nbin);
    for (int i = 0; i < d->ntext; i++) {
        const text_item *t = &d->text[i];
        const int b0 = (int)floor(t->y), b1 = (int)floor(t->y + t->h);
        for (int b = b0 < 0 ? 0 : b0; b <= b1 && b < NBINS; b++)
            if (d->nbin[b] < MAX_TEXT)
                d->bins[b][d->nbin[b]++] = (uint8_t)i;
    }
}

static const rgb INK = {22, 24, 34}, LABEL = {70, 88, 118}, HEAD_INK = {232, 236, 240};

void design_front(design *d, const person *p, uint32_t seed)
{
    memset(d, 0, sizeof *d);
    d->back = 0;
    d->seed = seed;
    d->tint0 = (rgb){206, 222, 230};
    d->tint1 = (rgb){226, 220, 200};
    d->band = (rgb){30, 76, 150};
    add_text(d, 12.0, 1.3, 2.1, HEAD_INK, "REPUBLIC OF UTOPIA");
    add_text(d, 12.0, 4.4, 3.2, HEAD_INK, "IDENTITY CARD");
    add_text(d, 29, 11.0, 1.5, LABEL, "SURNAME");
    add_text(d, 29, 12.9, 2.6, INK, p->surname);
    add_text(d, 29, 16.3, 1.5, LABEL, "GIVEN NAMES");
    add_text(d, 29, 18.2, 2.6, INK, p->given);
    add_text(d, 29, 21.6, 1.5, LABEL, "DATE OF BIRTH");
    add_text(d, 29, 23.5, 2.6, INK, p->dob_print);
    add_text(d, 29, 26.9, 1.5, LABEL, "NATIONALITY");
    add_text(d, 29, 28.8, 2.6, INK, "UTOPIAN");
    add_text(d, 29, 32.2, 1.5, LABEL, "DATE OF EXPIRY");
    add_text(d, 29, 34.1, 2.6, INK, p->expiry_print);
    add_text(d, 60, 21.6, 1.5, LABEL, "DOCUMENT NO");
    add_text(d, 60, 23.5, 2.6, INK, p->docno);
    add_text(d, 60, 26.9, 1.5, LABEL, "SEX");
    add_text(d, 60, 28.8, 2.6, INK, p->sex);
    add_text(d, 60, 32.2, 1.5, LABEL, "PLACE OF BIRTH");
    add_text(d, 60, 34.1, 2.6, INK, p->place);
    /* where a card with its zone on the front prints it: fields instead */
    add_text(d, 4.6, 42.6, 1.5, LABEL, "AUTHORITY");
    add_text(d, 4.6, 44.5, 2.6, INK, p->authority);
    add_text(d, 60, 42.6, 1.5, LABEL, "DATE OF ISSUE");
    add_text(d, 60, 44.5, 2.6, INK, p->issued);
    index_text(d);
}

/* A TD1 zone at the bottom of a front, in place of its last two fields
 * (the detection set's cards: the zone is a cue to which way up they
 * are). Not on the photos the builds use: a zone there would be
 * cross-checked against every test's form, and a TD1 zone belongs on the
 * back. */
void add_front_zone(design *d, const person *p)
{
    d->ntext -= 4; /* in place of design_front's last fields */
    char l1[31], l2[31], l3[31];
    make_mrz(p, l1, l2, l3);
    const char *lines[3] = {l1, l2, l3};
    for (int i = 0; i < 3; i++) {
        add_text(d, 4.6, 43.4 + 3.3 * i, 2.5, INK, lines[i]);
        d->text[d->ntext - 1].pitch = 2.54;
    }
    index_text(d);
}

void design_back(design *d, const person *p, uint32_t seed)
{
    memset(d, 0, sizeof *d);
    d->back = 1;
    d->seed = seed;
    d->tint0 = (rgb){228, 214, 200};
    d->tint1 = (rgb){214, 226, 206};
    d->band = (rgb){34, 112, 92};
    add_text(d, 4, 4.0, 1.5, LABEL, "ADDRESS");
    add_text(d, 4, 5.9, 2.6, INK, p->address1);
    add_text(d, 4, 9.3, 2.6, INK, p->address2);
    add_text(d, 4, 13.6, 1.5, LABEL, "HEIGHT");
    add_text(d, 4, 15.5, 2.6, INK, "170 CM");
    add_text(d, 32, 13.6, 1.5, LABEL, "EYE COLOUR");
    add_text(d, 32, 15.5, 2.6, INK, "BROWN");
    add_text(d, 4, 19.6, 1.5, LABEL, "AUTHORITY");
    add_text(d, 4, 21.5, 2.6, INK, p->authority);
    add_text(d, 4, 25.6, 1.5, LABEL, "DATE OF ISSUE");
    add_text(d, 4, 27.5, 2.6, INK, p->issued);
    add_text(d, 40, 25.6, 1.5, LABEL, "DOCUMENT NO");
    add_text(d, 40, 27.5, 2.6, INK, p->docno);
    add_text(d, 73.0, 44.0, 1.6, HEAD_INK, "UTOPIA");
    index_text(d);
}

/* TD3 (2 x 44) machine readable zone of a passport, valid check digits. */
static void make_mrz_td3(const person *p, char l1[45], char l2[45])
{
    char name[64];
    memset(l1, '<', 44);
    memset(l2, '<', 44);
    l1[44] = l2[44] = '\0';
    memcpy(l1, "P<UTO", 5);
    snprintf(name, sizeof name, "%s<<%s", p->surname, p->given);
    mrz_field(l1 + 5, 39, name);
    mrz_field(l2, 9, p->docno);
    l2[9] = mrz_check(l2, 9);
    memcpy(l2 + 10, "UTO", 3);
    memcpy(l2 + 13, p->dob_mrz, 6);
    l2[19] = mrz_check(l2 + 13, 6);
    l2[20] = p->sex[0];
    memcpy(l2 + 21, p->expiry_mrz, 6);
    l2[27] = mrz_check(l2 + 21, 6);
    l2[42] = mrz_check(l2 + 28, 14);
    char comp[64];
    size_t n = 0;
    memcpy(comp + n, l2, 10);
    n += 10;
    memcpy(comp + n, l2 + 13, 7);
    n += 7;
    memcpy(comp + n, l2 + 21, 22);
    n += 22;
    l2[43] = mrz_check(comp, n);
}

/* A passport data page laid out as ICAO 9303 TD3 places it: header on
 * top (dark letters on the page's tint, a coloured rule under them), portrait on the left, fields
 * beside it, the MRZ at the bottom; letters of real size (labels 1.5 mm, values 2.6 mm, MRZ 2.5 mm
 * at a 2.54 mm pitch). */
void design_page(design *d, const person *p, uint32_t seed)
{
    memset(d, 0, sizeof *d);
    d->page = 1;
    d->seed = seed;
    d->tint0 = (rgb){214, 222, 236};
    d->tint1 = (rgb){232, 222, 206};
    d->band = (rgb){120, 40, 60};
    add_text(d, 14.0, 1.8, 2.4, d->band, "REPUBLIC OF UTOPIA");
    add_text(d, 14.0, 5.2, 3.0, d->band, "PASSPORT");
    add_text(d, 42, 12.0, 1.5, LABEL, "TYPE");
    add_text(d, 42, 13.9, 2.6, INK, "P");
    add_text(d, 58, 12.0, 1.5, LABEL, "CODE");
    add_text(d, 58, 13.9, 2.6, INK, "UTO");
    add_text(d, 80, 12.0, 1.5, LABEL, "PASSPORT NO");
    add_text(d, 80, 13.9, 2.6, INK, p->docno);
    add_text(d, 42, 18.0, 1.5, LABEL, "SURNAME");
    add_text(d, 42, 19.9, 2.6, INK, p->surname);
    add_text(d, 42, 24.0, 1.5, LABEL, "GIVEN NAMES");
    add_text(d, 42, 25.9, 2.6, INK, p->given);
    add_text(d, 42, 30.0, 1.5, LABEL, "NATIONALITY");
    add_text(d, 42, 31.9, 2.6, INK, "UTOPIAN");
    add_text(d, 42, 36.0, 1.5, LABEL, "DATE OF BIRTH");
    add_text(d, 42, 37.9, 2.6, INK, p->dob_print);
    add_text(d, 80, 36.0, 1.5, LABEL, "SEX");
    add_text(d, 80, 37.9, 2.6, INK, p->sex);
    add_text(d, 42, 42.0, 1.5, LABEL, "PLACE OF BIRTH");
    add_text(d, 42, 43.9, 2.6, INK, p->place);
    add_text(d, 42, 48.0, 1.5, LABEL, "DATE OF ISSUE");
    add_text(d, 42, 49.9, 2.6, INK, p->issued);
    add_text(d, 80, 48.0, 1.5, LABEL, "AUTHORITY");
    add_text(d, 80, 49.9, 2.6, INK, "UTOPIA");
    add_text(d, 42, 54.0, 1.5, LABEL, "DATE OF EXPIRY");
    add_text(d, 42, 55.9, 2.6, INK, p->expiry_print);
    char l1[45], l2[45];
    make_mrz_td3(p, l1, l2);
    add_text(d, 6.0, 72.6, 2.5, INK, l1);
    d->text[d->ntext - 1].pitch = 2.54;
    add_text(d, 6.0, 77.6, 2.5, INK, l2);
    d->text[d->ntext - 1].pitch = 2.54;
    index_text(d);
}

rgb mix(rgb a, rgb b, double t)
{
    return (rgb){a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t};
}

static int text_hit(const design *d, double u, double v, rgb *col)
{
    const int b = (int)floor(v);
    if (b < 0 || b >= NBINS)
        return 0;
    for (int k = 0; k < d->nbin[b]; k++) {
        const text_item *t = &d->text[d->bins[b][k]];
        if (v < t->y || v >= t->y + t->h || u < t->x)
            continue;
        const double dot = t->h / 7.0;
        const double cu = (u - t->x) / t->pitch;
        const int ci = (int)cu;
        if (ci >= (int)strlen(t->s))
            continue;
        const double within = (u - t->x - ci * t->pitch) / dot;
        if (within >= 5.0)
            continue;
        const int row = (int)((v - t->y) / dot);
        if (glyph_on(t->s[ci], (int)within, row > 6 ? 6 : row)) {
            *col = t->col;
            return 1;
        }
    }
    return 0;
}

/* The big red SPECIMEN word, rotated across the card. */
static double specimen_cover(double u, double v, double cx, double cy, double h, double ang)
{
    const double du = u - cx, dv = v - cy;
    const double ca = cos(ang), sa = sin(ang);
    const double x = du * ca + dv * sa, y = -du * sa + dv * ca;
    static const char word[] = "SPECIMEN";
    const double pitch = h * 6.0 / 7.0, dot = h / 7.0;
    const double wtot = 8 * pitch - dot;
    const double lx = x + wtot / 2, ly = y + h / 2;
    if (lx < 0 || ly < 0 || lx >= 8 * pitch || ly >= h)
        return 0;
    const int ci = (int)(lx / pitch);
    const double within = (lx - ci * pitch) / dot;
    if (within >= 5.0)
        return 0;
    const int row = (int)(ly / dot);
    return glyph_on(word[ci], (int)within, row > 6 ? 6 : row) ? 1.0 : 0.0;
}

static rgb face_colour(double u, double v)
{
    /* photo box u 4..26, v 11..40: a head-and-shoulders portrait */
    rgb c = mix((rgb){178, 196, 214}, (rgb){150, 170, 196}, (v - 11) / 29);
    const double sh = ((u - 15) / 11.5) * ((u - 15) / 11.5) + ((v - 44) / 8.5) * ((v - 44) / 8.5);
    if (sh < 1)
        c = mix((rgb){58, 66, 96}, (rgb){38, 44, 70}, (u - 4) / 22);
    const int nk = fabs(u - 15) < 2.6 && v > 28 && v < 36.5;
    if (nk)
        c = (rgb){184, 140, 112};
    const double hd = ((u - 15) / 6.0) * ((u - 15) / 6.0) + ((v - 24) / 7.6) * ((v - 24) / 7.6);
    if (hd < 1) {
        const double shade = 1.0 - 0.18 * (u - 11) / 10;
        c = (rgb){206 * shade, 158 * shade, 128 * shade};
        /* eyes, brows, mouth, nose */
        const double e1 = (u - 12.8) * (u - 12.8) + (v - 23.2) * (v - 23.2);
        const double e2 = (u - 17.2) * (u - 17.2) + (v - 23.2) * (v - 23.2);
        if (e1 < 0.45 || e2 < 0.45)
            c = (rgb){40, 34, 30};
        if (fabs(v - 21.7) < 0.28 && (fabs(u - 12.8) < 1.3 || fabs(u - 17.2) < 1.3))
            c = (rgb){70, 50, 38};
        if (fabs(v - 28.6) < 0.3 && fabs(u - 15) < 1.9)
            c = (rgb){150, 64, 60};
        if (fabs(u - 15.2) < 0.25 && v > 23.5 && v < 26.5)
            c = (rgb){176, 128, 104};
    }
    const double hr = ((u - 15) / 6.6) * ((u - 15) / 6.6) + ((v - 21.5) / 6.8) * ((v - 21.5) / 6.8);
    if (hr < 1 && (v < 20.2 || (hd >= 1 && v < 27)))
        c = (rgb){62, 44, 34};
    return c;
}

static rgb page_colour(const design *d, double u, double v, rgb c)
{
    if (v >= 9.6 && v < 10.2) { /* a coloured rule under the header */
        c = mix(d->band, (rgb){170, 70, 90}, u / 125.0);
    } else if (v < 9.6 && u < 11.5) { /* the emblem */
        const double e = (u - 7.0) * (u - 7.0) + (v - 5.0) * (v - 5.0);
        if (e < 11.0 && e > 6.0)
            c = (rgb){190, 140, 50};
    } else if (u >= 5 && u < 37 && v >= 14 && v < 58) {
        /* the card's portrait, scaled into this box */
        c = face_colour(4 + (u - 5) * 22.0 / 32.0, 11 + (v - 14) * 29.0 / 44.0);
    } else if (v >= 67.0) { /* MRZ zone */
        c = (rgb){232, 230, 224};
    } else if (u > 84 && u < 118 && v > 58.0 && v < 63.0) { /* signature */
        const double sv = 60.5 + 1.4 * sin(u * 1.2) * sin(u * 0.31);
        if (fabs(v - sv) < 0.24)
            c = (rgb){20, 30, 90};
    }
    return c;
}

static rgb portrait_colour(const design *d, double u, double v);

rgb card_colour(const design *d, double u, double v, int specimen)
{
    if (d->layout)
        return portrait_colour(d, u, v);
    /* base tint with a guilloche of fine waves */
    const double dw = d->page ? 125.0 : CARD_W, dh = d->page ? 88.0 : CARD_H;
    const double t = clampd((u / dw) * 0.6 + (v / dh) * 0.4, 0, 1);
    rgb c = mix(d->tint0, d->tint1, t);
    const double g1 = fsin(u * 2.3 + 2.5 * fsin(v * 0.42));
    const double g2 = fsin(v * 2.9 + 2.0 * fsin(u * 0.31 + 1.0));
    c.r += 4.0 * g1 - 2.0 * g2;
    c.g += 2.5 * g2;
    c.b += 3.0 * g1 * g2;
    if (d->page) {
        c = page_colour(d, u, v, c);
    } else if (!d->back) {
        if (v < 9.0) { /* header band */
            c = mix(d->band, (rgb){72, 118, 178}, u / CARD_W);
            const double e = (u - 6.4) * (u - 6.4) + (v - 4.5) * (v - 4.5);
            if (e < 9.6 && e > 5.0)
                c = (rgb){214, 172, 70};
            else if (e <= 5.0 && fabs(u - 6.4) < 0.5)
                c = (rgb){214, 172, 70};
        } else if (u >= 4 && u < 26 && v >= 11 && v < 40) {
            c = face_colour(u, v);
        } else if (v >= 41.6) { /* MRZ zone */
            c = (rgb){230, 230, 222};
        } else if (u > 60 && u < 80 && v > 37.0 && v < 40.5) { /* signature */
            const double sv = 38.8 + 1.1 * sin(u * 1.4) * sin(u * 0.37);
            if (fabs(v - sv) < 0.22)
                c = (rgb){20, 30, 90};
        }
    } else {
        if (u > 70.5) { /* side band with an emblem */
            c = mix(d->band, (rgb){60, 140, 118}, v / CARD_H);
            const double e = (u - 78.0) * (u - 78.0) + (v - 14.0) * (v - 14.0);
            if (e < 20.0 && e > 12.0)
                c = (rgb){214, 172, 70};
            else if (e < 6.0)
                c = (rgb){198, 60, 52};
        } else if (u >= 4 && u < 66 && v >= 33 && v < 46) { /* barcode */
            const int bar = (int)floor((u - 4) / 0.42);
            if (hash2(bar, 7, d->seed) < 0.45 || bar % 23 == 0)
                c = (rgb){18, 18, 22};
            else
                c = (rgb){232, 230, 224};
        } else if (v > 47.5 && v < 51.0 && u > 4 && u < 40) { /* signature */
            const double sv = 49.2 + 1.0 * sin(u * 1.1) * sin(u * 0.23);
            if (fabs(v - sv) < 0.22)
                c = (rgb){20, 30, 90};
        }
    }
    rgb tc;
    if (text_hit(d, u, v, &tc))
        c = tc;
    if (specimen) {
        const double a = d->page ? 0.42 * specimen_cover(u, v, 64.0, 40.0, 11.0, -0.21)
                                 : 0.42 * specimen_cover(u, v, 47.0, 27.0, 8.0, -0.21);
        c = mix(c, (rgb){205, 36, 46}, a);
    }
    return c;
}

/* ------------------------------------------------------------------ */
/* portrait documents (--portrait-set): vertical card, passport cover  */

/* A vertical-format ID-1 card, laid out as US under-21 driving licences
 * are: a header band with the issuer's name, a red "UNDER 21" strip, the
 * portrait at the top, the fields in left-aligned stacks beside and below
 * it, all reading along the short side. */
void design_vertical(design *d, const person *p, uint32_t seed)
{
    memset(d, 0, sizeof *d);
    d->layout = 1;
    d->seed = seed;
    d->tint0 = (rgb){222, 228, 214};
    d->tint1 = (rgb){206, 218, 232};
    d->band = (rgb){28, 60, 120};
    add_text(d, 4.0, 1.6, 4.2, HEAD_INK, "UTOPIA");
    add_text(d, 4.0, 7.2, 2.2, HEAD_INK, "DRIVER LICENSE");
    add_text(d, 4.0, 12.6, 1.8, HEAD_INK, "UNDER 21 UNTIL 03 05 2031");
    add_text(d, 32.0, 18.5, 1.5, LABEL, "DL NO");
    add_text(d, 32.0, 20.4, 2.2, INK, "D1234567");
    add_text(d, 32.0, 24.5, 1.5, LABEL, "CLASS");
    add_text(d, 32.0, 26.4, 2.2, INK, "C");
    add_text(d, 32.0, 30.5, 1.5, LABEL, "EXPIRES");
    add_text(d, 32.0, 32.4, 2.0, INK, "03 05 2032");
    add_text(d, 32.0, 36.5, 1.5, LABEL, "ISSUED");
    add_text(d, 32.0, 38.4, 2.0, INK, "03 05 2024");
    add_text(d, 4.0, 55.0, 1.5, LABEL, "LN");
    add_text(d, 4.0, 56.9, 2.6, INK, p->surname);
    add_text(d, 4.0, 60.6, 1.5, LABEL, "FN");
    add_text(d, 4.0, 62.5, 2.6, INK, p->given);
    add_text(d, 4.0, 66.2, 1.5, LABEL, "DOB");
    add_text(d, 4.0, 68.1, 2.4, INK, "03 05 2010");
    add_text(d, 4.0, 71.8, 2.0, INK, p->address1);
    add_text(d, 4.0, 74.6, 2.0, INK, p->address2);
    add_text(d, 4.0, 78.2, 1.5, LABEL, "SEX");
    add_text(d, 4.0, 80.0, 2.0, INK, p->sex);
    add_text(d, 14.0, 78.2, 1.5, LABEL, "HGT");
    add_text(d, 14.0, 80.0, 2.0, INK, "5-05");
    add_text(d, 26.0, 78.2, 1.5, LABEL, "EYES");
    add_text(d, 26.0, 80.0, 2.0, INK, "BRO");
    index_text(d);
}

/* A passport booklet's cover, 88 x 125 mm portrait: dark cloth, gold
 * letters (lighter than the cover, unlike a page's ink), the issuer's name
 * on top, an emblem in the middle, the title and the chip symbol below. */
void design_cover(design *d, uint32_t seed)
{
    static const rgb GOLD = {214, 178, 96};
    memset(d, 0, sizeof *d);
    d->layout = 2;
    d->seed = seed;
    d->tint0 = (rgb){104, 26, 38};
    d->tint1 = (rgb){92, 22, 34};
    add_text(d, 24.5, 12.0, 4.2, GOLD, "REPUBLIC OF");
    add_text(d, 33.5, 18.6, 4.2, GOLD, "UTOPIA");
    add_text(d, 20.5, 88.0, 7.0, GOLD, "PASSPORT");
    add_text(d, 28.1, 98.0, 4.2, GOLD, "PASSEPORT");
    index_text(d);
}

static rgb portrait_colour(const design *d, double u, double v)
{
    const double dw = d->layout == 1 ? VCARD_W : COVER_W, dh = d->layout == 1 ? VCARD_H : COVER_H;
    const double t = clampd((u / dw) * 0.5 + (v / dh) * 0.5, 0, 1);
    rgb c = mix(d->tint0, d->tint1, t);
    rgb tc;
    if (d->layout == 2) { /* cloth grain, the emblem, the chip symbol */
        const double g = 3.0 * hash2((int32_t)(u * 4), (int32_t)(v * 4), d->seed) - 1.5;
        c = (rgb){c.r + g, c.g + g, c.b + g};
        const double e = hypot(u - 44.0, v - 55.0);
        const double a = atan2(v - 55.0, u - 44.0);
        const int ring = (e > 15.0 && e < 16.2) || (e > 12.4 && e < 13.0);
        const int rays = e < 10.5 && fabs(fsin(a * 6.0)) > 0.93 - 0.03 * e;
        const int chip = fabs(v - 113.0) < 2.6 && fabs(u - 44.0) < 4.0 &&
                         (fabs(v - 113.0) > 1.9 || fabs(u - 44.0) > 3.3 || fabs(v - 113.0) < 0.35);
        if (ring || rays || chip)
            c = (rgb){214, 178, 96};
    } else {
        const double g1 = fsin(u * 2.3 + 2.5 * fsin(v * 0.42));
        c.r += 4.0 * g1;
        c.g += 2.5 * fsin(v * 2.9);
        if (v < 11.6) /* header band */
            c = mix(d->band, (rgb){60, 100, 170}, u / VCARD_W);
        else if (v >= 12.0 && v < 15.2) /* the under-21 strip */
            c = (rgb){176, 36, 40};
        else if (u >= 4 && u < 30 && v >= 18 && v < 52)
            c = face_colour(4 + (u - 4) * 22.0 / 26.0, 11 + (v - 18) * 29.0 / 34.0);
        else if (u > 32 && u < 50 && v > 44.0 && v < 49.0) { /* signature */
            const double sv = 46.5 + 1.2 * sin(u * 1.3) * sin(u * 0.41);
            if (fabs(v - sv) < 0.22)
                c = (rgb){20, 30, 90};
        }
    }
    if (text_hit(d, u, v, &tc))
        c = tc;
    return c;
}
