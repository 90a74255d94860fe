/* idp_mkphotos: makes the synthetic ID-card photos of the test suite and
 * the bundled specimen. Deterministic (own PRNG, fixed seeds), independent
 * of the idpack library (test data must not depend on the code under test).
 *
 *   idp_mkphotos OUTDIR SPECIMENDIR        every default image (README.md)
 *   idp_mkphotos --phone W H QUALITY OUT   one phone-like JPEG with camera EXIF
 *   idp_mkphotos --big-cmyk OUT            an Adobe CMYK JPEG of more than 11 MB
 *   idp_mkphotos --detect-set OUTDIR       document photos with known corners (detect.tsv)
 *   idp_mkphotos --portrait-set OUTDIR     portrait documents (vertical card, passport cover)
 *   idp_mkphotos --dup-set OUTDIR          one card shot several ways (dup.tsv)
 *
 * Prints nothing but errors; exits non-zero on failure.
 *
 * This file holds main and the --*-set photo sets; the stages of a photo
 * are in mk_card.c (the documents' designs and their MRZ), mk_camera.c
 * (the scene and the camera), mk_files.c (EXIF, JPEG, PNG, ICC, broken
 * files), mk_recipes.c (the default images) and mk_base.c (errors, files,
 * randomness, image operations); mkphotos.h is what they share. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkphotos.h"

/* ------------------------------------------------------------------ */
/* --detect-set: photos with known document corners                   */

typedef struct detect_shot {
    const char *name;
    int bg;   /* scene.cloth: 0 wood, 1 cloth, 2 busy, 3 plain dark, 4 plain light */
    int page; /* ID-3 passport page */
    int no_card;
    int portrait;      /* 1200 x 1600 instead of 1600 x 1200 */
    double width;      /* document width, share of min(W, 1.5 H) */
    double cx, cy;     /* centre, share of the frame */
    double angle;      /* in-plane rotation, degrees */
    double tilt, axis; /* tilt of the document plane and its axis, degrees */
    double shadow;
    int back; /* the card's back (no MRZ) */
} detect_shot;

static const detect_shot detect_shots[] = {
    {"wood-0", 0, 0, 0, 0, 0.70, 0.50, 0.50, 3, 0, 0, 0, 0},
    {"wood-90", 0, 0, 0, 0, 0.55, 0.48, 0.52, 92, 0, 0, 0, 0},
    {"wood-180", 0, 0, 0, 0, 0.68, 0.52, 0.50, 176, 4, 30, 0, 0},
    {"wood-270", 0, 0, 0, 1, 0.70, 0.50, 0.50, 271, 5, 80, 0, 0},
    {"wood-angle20", 0, 0, 0, 0, 0.62, 0.50, 0.50, 20, 0, 0, 0, 0},
    {"wood-small", 0, 0, 0, 0, 0.50, 0.45, 0.55, -6, 6, 20, 0, 0},
    {"wood-shadow", 0, 0, 0, 0, 0.66, 0.50, 0.48, 4, 0, 0, 0.45, 0},
    {"wood-tilt18", 0, 0, 0, 0, 0.64, 0.50, 0.50, 175, 18, 60, 0, 0},
    {"cloth-tilt10", 1, 0, 0, 0, 0.70, 0.50, 0.50, -5, 10, 0, 0, 0},
    {"cloth-tilt20", 1, 0, 0, 0, 0.66, 0.50, 0.50, 2, 20, 90, 0, 0},
    {"cloth-large", 1, 0, 0, 0, 0.92, 0.50, 0.50, 0.5, 0, 0, 0, 0},
    {"cloth-270", 1, 0, 0, 0, 0.55, 0.50, 0.50, -88, 8, 10, 0, 0},
    {"busy-0", 2, 0, 0, 0, 0.66, 0.50, 0.50, 8, 8, 45, 0, 0},
    {"busy-small", 2, 0, 0, 0, 0.50, 0.55, 0.45, -12, 0, 0, 0, 0},
    {"busy-90", 2, 0, 0, 1, 0.72, 0.50, 0.50, 88, 12, 0, 0, 0},
    {"busy-shadow", 2, 0, 0, 0, 0.64, 0.50, 0.50, 183, 10, 120, 0.4, 0},
    {"plain-dark", 3, 0, 0, 0, 0.88, 0.50, 0.50, 0, 0, 0, 0, 0},
    {"plain-dark-tilt", 3, 0, 0, 0, 0.60, 0.50, 0.50, 11, 15, 30, 0, 0},
    {"plain-light", 4, 0, 0, 0, 0.64, 0.50, 0.50, -7, 15, 30, 0, 0},
    {"plain-light-shadow", 4, 0, 0, 0, 0.66, 0.50, 0.50, 2, 0, 0, 0.35, 0},
    {"passport-wood", 0, 1, 0, 0, 0.66, 0.50, 0.50, 2, 0, 0, 0, 0},
    {"passport-cloth", 1, 1, 0, 1, 0.80, 0.50, 0.50, 93, 12, 0, 0, 0},
    {"passport-busy", 2, 1, 0, 0, 0.60, 0.50, 0.50, -4, 10, 45, 0, 0},
    {"passport-180", 4, 1, 0, 0, 0.70, 0.50, 0.50, 178, 8, 20, 0, 0},
    {"back-0", 1, 0, 0, 0, 0.68, 0.50, 0.50, -3, 6, 30, 0, 1},
    {"back-180", 0, 0, 0, 0, 0.66, 0.50, 0.50, 184, 8, 70, 0, 1},
    {"back-90", 3, 0, 0, 1, 0.70, 0.50, 0.50, -91, 6, 0, 0, 1},
    {"cut-corner", 0, 0, 0, 0, 0.66, 0.40, 0.33, 14, 0, 0, 0, 0},
    {"cut-two", 1, 0, 0, 0, 0.60, 0.30, 0.31, 12, 0, 0, 0, 0},
    {"cut-side", 4, 0, 0, 0, 0.62, 0.50, 0.88, 2, 0, 0, 0, 0},
    {"cut-side-90", 0, 0, 0, 1, 0.70, 0.85, 0.50, 88, 6, 30, 0, 0},
    {"nocard-wood", 0, 0, 1, 0, 0.66, 0.50, 0.50, 0, 0, 0, 0, 0},
    {"nocard-busy", 2, 0, 1, 0, 0.66, 0.50, 0.50, 0, 0, 0, 0.3, 0},
};

/* The document's corners (TL, TR, BR, BL of the upright document): a
 * w x h rectangle tilted about an in-plane axis, rotated, then seen
 * through a pinhole whose focal length is 0.9 x the long side. */
#define DEG (3.14159265358979323846 / 180.0)

static void shot_quad_aspect(const detect_shot *s, int W, int H, double h_over_w, double q[4][2])
{
    const double base = fmin((double)W, 1.5 * H);
    const double dw = s->width * base;
    const double dh = dw * h_over_w;
    const double ax = cos(s->axis * DEG), ay = sin(s->axis * DEG);
    const double ct = cos(s->tilt * DEG), st = sin(s->tilt * DEG);
    const double ca = cos(s->angle * DEG), sa = sin(s->angle * DEG);
    const double F = 0.9 * (W > H ? W : H);
    const double lc[4][2] = {{-0.5, -0.5}, {0.5, -0.5}, {0.5, 0.5}, {-0.5, 0.5}};
    for (int i = 0; i < 4; i++) {
        const double x = lc[i][0] * dw, y = lc[i][1] * dh;
        const double ad = ax * x + ay * y;
        const double X = x * ct + ax * ad * (1 - ct), Y = y * ct + ay * ad * (1 - ct);
        const double Z = (ax * y - ay * x) * st;
        const double Xr = X * ca - Y * sa, Yr = X * sa + Y * ca;
        const double k = F / (F + Z);
        q[i][0] = s->cx * W + Xr * k;
        q[i][1] = s->cy * H + Yr * k;
    }
}

static void shot_quad(const detect_shot *s, int W, int H, double q[4][2])
{
    shot_quad_aspect(s, W, H, s->page ? PAGE_H / PAGE_W : CARD_H / CARD_W, q);
}

static void make_detect_set(const char *out)
{
    design front, back, page;
    design_front(&front, &test_person, 7);
    add_front_zone(&front, &test_person);
    design_back(&back, &test_person, 8);
    design_page(&page, &test_person, 9);
    FILE *tsv;
    char path[4096];
    if (snprintf(path, sizeof(path), "%s/detect.tsv", out) >= (int)sizeof(path))
        die("%s: path too long", out);
    tsv = fopen(path, "w");
    if (tsv == NULL)
        die("%s: %s", path, strerror(errno));
    fprintf(tsv, "file\tkind\tx0\ty0\tx1\ty1\tx2\ty2\tx3\ty3\tcategory\n");
    for (size_t i = 0; i < sizeof(detect_shots) / sizeof(detect_shots[0]); i++) {
        const detect_shot *s = &detect_shots[i];
        const int W = s->portrait ? 1200 : 1600, H = s->portrait ? 1600 : 1200;
        scene sc = front_scene(W, H, s->page ? &page : s->back ? &back : &front, 1);
        sc.cloth = s->bg;
        sc.page = s->page;
        sc.no_card = s->no_card;
        sc.shadow = s->shadow;
        sc.use_quad = 1;
        sc.seed = 500 + (uint32_t)i * 7;
        shot_quad(s, W, H, sc.quad);
        img *clean = render(&sc);
        img *p = camera(clean, TONE_NORMAL, NULL, 2.5, 7000 + i);
        img_free(clean);
        char name[64];
        snprintf(name, sizeof(name), "%s.jpg", s->name);
        save_jpeg(out, name, p, 90, &camera_exif);
        img_free(p);
        const size_t cl = strcspn(s->name, "-");
        fprintf(tsv, "%s\t%s", name, s->no_card ? "none" : s->page ? "id3" : "id1");
        for (int k = 0; k < 4; k++)
            fprintf(tsv, "\t%.2f\t%.2f", s->no_card ? 0.0 : sc.quad[k][0],
                    s->no_card ? 0.0 : sc.quad[k][1]);
        fprintf(tsv, "\t%.*s\n", (int)cl, s->name);
    }
    if (fclose(tsv) != 0)
        die("%s: %s", path, strerror(errno));
}

/* ------------------------------------------------------------------ */
/* --portrait-set: portrait documents with known corners              */

/* Portrait documents on a desk, upright and turned; angle is the in-plane
 * rotation of the upright document (0: its top up in the photo). */
static const detect_shot portrait_shots[] = {
    /* page: 0 the vertical card, 1 the cover; width: share of min(W, 1.5 H) */
    {"vcard-0", 0, 0, 0, 1, 0.42, 0.50, 0.50, 2, 0, 0, 0, 0},
    {"vcard-90", 1, 0, 0, 0, 0.36, 0.50, 0.50, 88, 6, 20, 0, 0},
    {"vcard-180", 4, 0, 0, 1, 0.44, 0.50, 0.50, 178, 8, 60, 0, 0},
    {"vcard-270", 2, 0, 0, 0, 0.38, 0.50, 0.52, -91, 0, 0, 0, 0},
    {"vcard-tilt", 3, 0, 0, 1, 0.45, 0.50, 0.50, -6, 15, 90, 0, 0},
    {"vcard-land", 0, 0, 0, 0, 0.32, 0.50, 0.50, 5, 10, 0, 0, 0},
    {"cover-0", 4, 1, 0, 1, 0.55, 0.50, 0.50, -2, 0, 0, 0, 0},
    {"cover-90", 0, 1, 0, 0, 0.46, 0.50, 0.50, 90, 8, 45, 0, 0},
    {"cover-180", 1, 1, 0, 1, 0.58, 0.50, 0.50, 183, 6, 0, 0, 0},
    {"cover-270", 4, 1, 0, 0, 0.44, 0.52, 0.50, 268, 10, 90, 0, 0},
    {"cover-tilt", 2, 1, 0, 1, 0.52, 0.50, 0.50, 7, 16, 20, 0, 0},
};

static void make_portrait_set(const char *out)
{
    design card, cover;
    design_vertical(&card, &test_person, 21);
    design_cover(&cover, 22);
    FILE *tsv;
    char path[4096];
    if (snprintf(path, sizeof(path), "%s/detect.tsv", out) >= (int)sizeof(path))
        die("%s: path too long", out);
    tsv = fopen(path, "w");
    if (tsv == NULL)
        die("%s: %s", path, strerror(errno));
    fprintf(tsv, "file\tkind\tx0\ty0\tx1\ty1\tx2\ty2\tx3\ty3\tcategory\n");
    for (size_t i = 0; i < sizeof(portrait_shots) / sizeof(portrait_shots[0]); i++) {
        const detect_shot *s = &portrait_shots[i];
        const int W = s->portrait ? 1200 : 1600, H = s->portrait ? 1600 : 1200;
        scene sc = front_scene(W, H, s->page ? &cover : &card, 0);
        sc.cloth = s->bg;
        sc.use_quad = 1;
        sc.seed = 900 + (uint32_t)i * 7;
        sc.doc_w = s->page ? COVER_W : VCARD_W;
        sc.doc_h = s->page ? COVER_H : VCARD_H;
        sc.doc_r = s->page ? 4.0 : CARD_R; /* a booklet's corners are rounder */
        shot_quad_aspect(s, W, H, sc.doc_h / sc.doc_w, sc.quad);
        img *clean = render(&sc);
        img *p = camera(clean, TONE_NORMAL, NULL, 2.5, 9000 + i);
        img_free(clean);
        char name[64];
        snprintf(name, sizeof(name), "%s.jpg", s->name);
        save_jpeg(out, name, p, 90, &camera_exif);
        img_free(p);
        const size_t cl = strcspn(s->name, "-");
        fprintf(tsv, "%s\t%s", name, s->page ? "id3" : "id1");
        for (int k = 0; k < 4; k++)
            fprintf(tsv, "\t%.2f\t%.2f", sc.quad[k][0], sc.quad[k][1]);
        fprintf(tsv, "\t%.*s\n", (int)cl, s->name);
    }
    if (fclose(tsv) != 0)
        die("%s: %s", path, strerror(errno));
}

/* --dup-set: the same card photographed several ways, for the duplicate
 * check. Every shot lies on the same wooden table under the same light,
 * so only the document tells front from back. dup.tsv names each file's
 * card (whose it is: "test" or "specimen", the same design) and side
 * ("front" or "back"). */
typedef struct dup_shot {
    const char *name, *side;
    int back, other, portrait;
    double cx, cy, width, angle, keystone;
} dup_shot;

static const dup_shot dup_shots[] = {
    {"dup-front", "front", 0, 0, 0, 0.50, 0.51, 0.78, -0.035, 0.03},
    /* the back where the front lay: the same table, frame and light */
    {"dup-back", "back", 1, 0, 0, 0.50, 0.51, 0.78, -0.035, 0.03},
    /* a second shot of each side: moved, turned and tilted a little */
    {"dup-front-again", "front", 0, 0, 0, 0.46, 0.54, 0.70, 0.045, 0.06},
    {"dup-back-again", "back", 1, 0, 0, 0.54, 0.47, 0.72, 0.03, 0.00},
    /* the front upside down on the table, and in a portrait frame */
    {"dup-front-turned", "front", 0, 0, 0, 0.50, 0.50, 0.76, 3.12, 0.03},
    {"dup-front-portrait", "front", 0, 0, 1, 0.50, 0.50, 0.95, 1.60, 0.03},
    /* front and back far off on the same table: the table is most of the frame */
    {"dup-front-far", "front", 0, 0, 0, 0.45, 0.55, 0.38, -0.035, 0.03},
    {"dup-back-far", "back", 1, 0, 0, 0.45, 0.55, 0.38, -0.035, 0.03},
    /* another person's card of the same design */
    {"dup-other", "front", 0, 1, 0, 0.50, 0.51, 0.78, -0.035, 0.03},
};

static void make_dup_set(const char *out)
{
    design front, back, other;
    design_front(&front, &test_person, 7);
    add_front_zone(&front, &test_person);
    design_back(&back, &test_person, 8);
    design_front(&other, &specimen_person, 7);
    add_front_zone(&other, &specimen_person);
    FILE *tsv;
    char path[4096];
    if (snprintf(path, sizeof(path), "%s/dup.tsv", out) >= (int)sizeof(path))
        die("%s: path too long", out);
    tsv = fopen(path, "w");
    if (tsv == NULL)
        die("%s: %s", path, strerror(errno));
    fprintf(tsv, "file\tcard\tside\n");
    for (size_t i = 0; i < sizeof(dup_shots) / sizeof(dup_shots[0]); i++) {
        const dup_shot *s = &dup_shots[i];
        const int W = s->portrait ? 1600 : 2400, H = s->portrait ? 2400 : 1600;
        scene sc = front_scene(W, H, s->other ? &other : s->back ? &back : &front, 1);
        sc.cx = s->cx;
        sc.cy = s->cy;
        sc.width = s->width;
        sc.angle = s->angle;
        sc.keystone = s->keystone;
        img *clean = render(&sc);
        img *p = camera(clean, TONE_NORMAL, NULL, 2.5, 8000 + i);
        img_free(clean);
        char name[64];
        snprintf(name, sizeof(name), "%s.jpg", s->name);
        buf j = {0}, e = {0};
        make_exif(&camera_exif, p->w, p->h, &e);
        encode_jpeg(p, 90, &e, NULL, &j);
        write_file(out, name, j.p, j.n);
        fprintf(tsv, "%s\t%s\t%s\n", name, s->other ? "specimen" : "test", s->side);
        if (i == 0) { /* the first shot re-saved by a messaging app: 60 %, quality 70, no EXIF */
            img *dec = decode_jpeg(&j);
            img *sm = img_resample(dec, W * 6 / 10, H * 6 / 10);
            save_jpeg(out, "dup-front-small.jpg", sm, 70, NULL);
            fprintf(tsv, "dup-front-small.jpg\ttest\t%s\n", s->side);
            img_free(sm);
            img_free(dec);
        }
        free(j.p);
        free(e.p);
        img_free(p);
    }
    if (fclose(tsv) != 0)
        die("%s: %s", path, strerror(errno));
}

static long parse_int(const char *s, long lo, long hi, const char *what)
{
    char *end = NULL;
    errno = 0;
    const long v = strtol(s, &end, 10);
    if (errno || !end || *end || v < lo || v > hi)
        die("%s: expected an integer from %ld to %ld, got '%s'", what, lo, hi, s);
    return v;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: %s OUTDIR SPECIMENDIR\n"
            "       %s --phone W H QUALITY OUT.jpg\n"
            "       %s --big-cmyk OUT.jpg\n"
            "       %s --detect-set OUTDIR   document photos with known corners (detect.tsv)\n"
            "       %s --portrait-set OUTDIR portrait documents with known corners (detect.tsv)\n"
            "       %s --dup-set OUTDIR      one card shot several ways, for duplicate (dup.tsv)\n",
            progname, progname, progname, progname, progname, progname);
    exit(64);
}

int main(int argc, char **argv)
{
    sin_init();
    if (argc >= 2 && strcmp(argv[1], "--phone") == 0) {
        if (argc != 6)
            usage();
        const int w = (int)parse_int(argv[2], 64, 12000, "W");
        const int h = (int)parse_int(argv[3], 64, 12000, "H");
        const int q = (int)parse_int(argv[4], 1, 100, "QUALITY");
        design d;
        design_front(&d, &test_person, 7);
        scene sc = front_scene(w, h, &d, 1);
        img *clean = render(&sc);
        img *p = camera(clean, TONE_NORMAL, NULL, 2.5, 3001);
        img_free(clean);
        save_jpeg(NULL, argv[5], p, q, &camera_exif);
        img_free(p);
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "--big-cmyk") == 0) {
        if (argc != 3)
            usage();
        design d;
        design_front(&d, &test_person, 7);
        scene sc = front_scene(6000, 4000, &d, 1);
        img *clean = render(&sc);
        img *p = camera(clean, TONE_NORMAL, NULL, 1.5, 3002);
        img_free(clean);
        buf c = {0};
        encode_cmyk(p, 100, 1, &c);
        img_free(p);
        write_file(NULL, argv[2], c.p, c.n);
        free(c.p);
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "--detect-set") == 0) {
        if (argc != 3)
            usage();
        make_dir(argv[2]);
        make_detect_set(argv[2]);
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "--portrait-set") == 0) {
        if (argc != 3)
            usage();
        make_dir(argv[2]);
        make_portrait_set(argv[2]);
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "--dup-set") == 0) {
        if (argc != 3)
            usage();
        make_dir(argv[2]);
        make_dup_set(argv[2]);
        return 0;
    }
    if (argc != 3 || argv[1][0] == '-')
        usage();
    make_dir(argv[1]);
    make_dir(argv[2]);
    make_defaults(argv[1], argv[2]);
    return 0;
}
