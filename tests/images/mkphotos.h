/* idp_mkphotos: the types and functions its files share (mkphotos.c has
 * main and the --*-set photo sets; README.md tells how a photo is made). */
#ifndef IDP_MKPHOTOS_H
#define IDP_MKPHOTOS_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

/* ID-1 card size in millimetres. */
#define CARD_W 85.60
#define CARD_H 53.98
#define CARD_R 3.18

#if defined(__GNUC__)
#define MK_NORETURN __attribute__((noreturn))
#define MK_PRINTF __attribute__((format(printf, 1, 2)))
#else
#define MK_NORETURN
#define MK_PRINTF
#endif

/* Growable byte buffer. */
typedef struct buf {
    unsigned char *p;
    size_t n, cap;
} buf;

typedef struct img {
    int w, h, c; /* c: 1 (grey) or 3 (RGB), 8 bits */
    uint8_t *px;
} img;

typedef struct rgb {
    double r, g, b;
} rgb;

typedef struct text_item {
    double x, y, h; /* top-left and glyph height (7 dots), mm */
    double pitch;   /* advance per character, mm */
    rgb col;
    char s[48];
} text_item;

#define MAX_TEXT 40
#define NBINS 128 /* 1 mm bins along the card or page height (125 mm: a portrait cover) */

typedef struct design {
    int back;   /* 0 front, 1 back */
    int page;   /* a passport data page (125 x 88 mm), coordinates in its mm */
    int layout; /* --portrait-set: 1 a vertical ID-1 card, 2 a passport booklet's cover */
    rgb tint0, tint1, band;
    text_item text[MAX_TEXT];
    int ntext;
    uint8_t bins[NBINS][MAX_TEXT];
    int nbin[NBINS];
    uint32_t seed;
} design;

typedef struct person {
    const char *surname, *given, *dob_print, *dob_mrz, *sex, *expiry_print, *expiry_mrz;
    const char *docno, *place, *address1, *address2, *authority, *issued;
} person;

#define VCARD_W CARD_H /* a vertical-format ID-1 card: 53.98 x 85.60 mm */
#define VCARD_H CARD_W
#define COVER_W PAGE_H /* a passport booklet's cover: 88 x 125 mm */
#define COVER_H PAGE_W

typedef struct scene {
    int w, h;
    const design *d;
    int cloth;       /* background: 0 wood, 1 cloth */
    double cx, cy;   /* card centre, fraction of the frame */
    double width;    /* card width, fraction of min(w, 1.5 h) */
    double angle;    /* radians */
    double keystone; /* top edge shorter by this share */
    int specimen;    /* draw the SPECIMEN overlay */
    uint32_t seed;
    /* --detect-set only (all zero otherwise) */
    int use_quad; /* the document's corners are quad (TL, TR, BR, BL), not the above */
    double quad[4][2];
    int page;                   /* an ID-3 passport page (125 x 88 mm) instead of an ID-1 card */
    int no_card;                /* just the table */
    double shadow;              /* depth of a hard-edged shadow over the lower left (0: none) */
    double doc_w, doc_h, doc_r; /* --portrait-set: the document's size in mm (0: by page) */
} scene;

#define PAGE_W 125.0
#define PAGE_H 88.0
#define PAGE_R 1.5

typedef enum tone { TONE_NORMAL, TONE_DARK, TONE_BRIGHT, TONE_GREY } tone;

typedef struct glare {
    double share;  /* share of the frame clipped (0 for none) */
    double cx, cy; /* centre, fraction of the frame */
} glare;

typedef struct exif_spec {
    const char *make, *model;
    int orientation;      /* 0: none */
    const char *datetime; /* DateTimeOriginal, "YYYY:MM:DD HH:MM:SS" */
    int camera;           /* ExposureTime, FNumber, ISO, focal length */
    int wide_gamut;       /* ColorSpace "uncalibrated" (a P3 phone photo) */
    int gps;
    const img *thumb_src; /* EXIF thumbnail made from this, if not NULL */
} exif_spec;

extern const char *progname;

/* A sine from a table: the guilloche and weave need many, not precision. */
#define IDP_PI 3.14159265358979323846
#define SIN_N 4096
extern double sin_table[SIN_N + 1];

static inline double clampd(double v, double lo, double hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

static inline uint8_t to_u8(double v)
{
    if (v <= 0.0)
        return 0;
    if (v >= 255.0)
        return 255;
    return (uint8_t)(v + 0.5);
}

static inline double fsin(double x)
{
    double t = x * (SIN_N / (2.0 * IDP_PI));
    t -= SIN_N * floor(t / SIN_N);
    const int i = (int)t;
    const double f = t - i;
    return sin_table[i] + (sin_table[i + 1] - sin_table[i]) * f;
}

static inline double smoothstep(double e0, double e1, double x)
{
    const double t = clampd((x - e0) / (e1 - e0), 0.0, 1.0);
    return t * t * (3.0 - 2.0 * t);
}

static inline double luma(const uint8_t *p)
{
    return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
}

/* mk_base.c: errors, files, randomness, images */
MK_NORETURN MK_PRINTF void die(const char *fmt, ...);
void *xmalloc(size_t n);
void sin_init(void);
void buf_add(buf *b, const void *data, size_t n);
void write_file(const char *dir, const char *name, const void *data, size_t n);
void make_dir(const char *dir);
uint64_t splitmix64(uint64_t *state);
double hash2(int32_t x, int32_t y, uint32_t seed);
double fbm(double x, double y, uint32_t seed);
img *img_new(int w, int h, int c);
void img_free(img *im);
img *img_copy(const img *src);
img *img_resample(const img *src, int w, int h);
void img_blur(img *im, const int *radii, int n);
void img_soften(img *im);
img *img_rotate90(const img *src, int cw);

/* mk_card.c: the documents' designs */
int glyph_on(char ch, int col, int row);
void design_front(design *d, const person *p, uint32_t seed);
void add_front_zone(design *d, const person *p);
void design_back(design *d, const person *p, uint32_t seed);
void design_page(design *d, const person *p, uint32_t seed);
rgb mix(rgb a, rgb b, double t);
rgb card_colour(const design *d, double u, double v, int specimen);
void design_vertical(design *d, const person *p, uint32_t seed);
void design_cover(design *d, uint32_t seed);

/* mk_camera.c: the scene and the camera */
img *render(const scene *sc);
img *camera(const img *src, tone t, const glare *g, double sigma, uint64_t seed);
img *grey_to_rgb(const img *g);

/* mk_files.c: EXIF, JPEG, PNG, ICC, broken files */
void make_exif(const exif_spec *spec, int width, int height, buf *out);
void encode_jpeg(const img *im, int quality, const buf *exif, const buf *icc, buf *out);
void encode_cmyk(const img *im, int quality, int ycck, buf *out);
img *decode_jpeg(const buf *in);
void encode_png(const img *im, int depth16, uint64_t seed, buf *out);
void make_p3_profile(buf *out);
img *srgb_to_p3(const img *src);
void make_png_bomb(buf *b);
void png_break_crc(buf *b);
void make_jpeg_bomb(buf *b);

/* mk_recipes.c: the people and the default images */
extern const person test_person, specimen_person;
extern const exif_spec camera_exif;
void save_jpeg(const char *dir, const char *name, const img *im, int quality, const exif_spec *ex);
scene front_scene(int w, int h, const design *d, int specimen);
void make_defaults(const char *out, const char *spec);

#endif
