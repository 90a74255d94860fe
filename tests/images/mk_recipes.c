/* idp_mkphotos (see mkphotos.c): the default images. The people on the
 * cards, the screenshot, the scenes, and every photo of OUTDIR and
 * SPECIMENDIR (make_defaults). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkphotos.h"

/* ------------------------------------------------------------------ */
/* the screenshot                                                      */

static void fill(img *im, int x0, int y0, int x1, int y1, rgb c)
{
    for (int y = y0 < 0 ? 0 : y0; y < y1 && y < im->h; y++)
        for (int x = x0 < 0 ? 0 : x0; x < x1 && x < im->w; x++) {
            uint8_t *p = im->px + ((size_t)y * (size_t)im->w + (size_t)x) * 3;
            p[0] = to_u8(c.r);
            p[1] = to_u8(c.g);
            p[2] = to_u8(c.b);
        }
}

static void draw_text(img *im, int x, int y, int dot, rgb c, const char *s)
{
    for (size_t i = 0; s[i]; i++)
        for (int row = 0; row < 7; row++)
            for (int col = 0; col < 5; col++)
                if (glyph_on(s[i], col, row)) {
                    const int px = x + (int)i * 6 * dot + col * dot, py = y + row * dot;
                    fill(im, px, py, px + dot, py + dot, c);
                }
}

/* A phone screenshot (1170 x 2532) of a photo viewer showing the card. */
static img *make_screenshot(const img *photo)
{
    img *im = img_new(1170, 2532, 3);
    const rgb bg = {242, 242, 247}, bar = {247, 247, 249}, blue = {0, 122, 255};
    const rgb dark = {28, 28, 30}, grey = {142, 142, 147}, sep = {198, 198, 200};
    fill(im, 0, 0, 1170, 2532, bg);
    fill(im, 0, 0, 1170, 300, bar);
    draw_text(im, 60, 50, 6, dark, "9:41");
    fill(im, 1010, 52, 1100, 92, dark); /* battery */
    fill(im, 1100, 62, 1108, 82, dark);
    draw_text(im, 40, 190, 7, blue, "<ALBUMS");
    draw_text(im, 460, 190, 8, dark, "RECENTS");
    fill(im, 0, 299, 1170, 301, sep);
    /* the photo, edge to edge */
    if (photo->w != 1170 || photo->h != 780)
        die("screenshot: the photo must be 1170x780");
    for (int y = 0; y < 780; y++)
        memcpy(im->px + ((size_t)(360 + y) * 1170) * 3, photo->px + (size_t)y * 1170 * 3, 1170 * 3);
    /* a panel of details */
    fill(im, 40, 1200, 1130, 1640, (rgb){248, 248, 248});
    draw_text(im, 80, 1240, 6, dark, "ID CARD FRONT.JPG");
    draw_text(im, 80, 1320, 5, grey, "TODAY 10:21");
    fill(im, 80, 1400, 1090, 1402, sep);
    draw_text(im, 80, 1440, 5, grey, "3000 X 2000  6 MP");
    draw_text(im, 80, 1520, 5, grey, "2.1 MB");
    /* a strip of thumbnails: flat colours */
    static const rgb tiles[8] = {{88, 86, 214},  {255, 149, 0},  {52, 199, 89}, {255, 59, 48},
                                 {90, 200, 250}, {175, 82, 222}, {255, 204, 0}, {162, 132, 94}};
    for (int i = 0; i < 8; i++) {
        const int tx = 40 + (i % 4) * 275, ty = 1700 + (i / 4) * 275;
        fill(im, tx, ty, tx + 265, ty + 265, tiles[i]);
    }
    /* buttons and the toolbar */
    fill(im, 40, 2260, 565, 2370, blue);
    draw_text(im, 200, 2294, 6, (rgb){236, 240, 248}, "SHARE");
    fill(im, 605, 2260, 1130, 2370, dark);
    draw_text(im, 745, 2294, 6, (rgb){236, 236, 240}, "DELETE");
    fill(im, 0, 2400, 1170, 2532, bar);
    fill(im, 0, 2400, 1170, 2402, sep);
    fill(im, 420, 2490, 750, 2502, (rgb){20, 20, 22}); /* home indicator */
    return im;
}

/* ------------------------------------------------------------------ */
/* the people on the cards (fictitious)                               */

const person test_person = {
    .surname = "TESTPERSON",
    .given = "ALEX JORDAN",
    .dob_print = "03.05.1990",
    .dob_mrz = "900503",
    .sex = "X",
    .expiry_print = "14.09.2035",
    .expiry_mrz = "350914",
    .docno = "T22000129",
    .place = "UTOPIA CITY",
    .address1 = "EXAMPLE ROAD 7",
    .address2 = "12345 UTOPIA CITY",
    .authority = "CITY OF UTOPIA",
    .issued = "15.09.2025",
};

const person specimen_person = {
    .surname = "MUSTERMANN",
    .given = "ERIKA",
    .dob_print = "12.08.1983",
    .dob_mrz = "830812",
    .sex = "F",
    .expiry_print = "31.12.2034",
    .expiry_mrz = "341231",
    .docno = "L01X00T47",
    .place = "SPECIMEN",
    .address1 = "HAUPTSTRASSE 12",
    .address2 = "51147 SPECIMEN",
    .authority = "SPECIMEN OFFICE",
    .issued = "01.01.2025",
};

/* ------------------------------------------------------------------ */
/* the outputs                                                        */

static void save_jpeg_icc(const char *dir, const char *name, const img *im, int quality,
                          const exif_spec *ex, const buf *icc)
{
    buf e = {0}, j = {0};
    if (ex)
        make_exif(ex, im->w, im->h, &e);
    encode_jpeg(im, quality, ex ? &e : NULL, icc, &j);
    write_file(dir, name, j.p, j.n);
    free(e.p);
    free(j.p);
}

void save_jpeg(const char *dir, const char *name, const img *im, int quality, const exif_spec *ex)
{
    save_jpeg_icc(dir, name, im, quality, ex, NULL);
}

static void save_png(const char *dir, const char *name, const img *im, int depth16, uint64_t seed)
{
    buf b = {0};
    encode_png(im, depth16, seed, &b);
    write_file(dir, name, b.p, b.n);
    free(b.p);
}

scene front_scene(int w, int h, const design *d, int specimen)
{
    return (scene){.w = w,
                   .h = h,
                   .d = d,
                   .cloth = 0,
                   .cx = 0.5,
                   .cy = 0.51,
                   .width = 0.78,
                   .angle = -0.035,
                   .keystone = 0.03,
                   .specimen = specimen,
                   .seed = 101};
}

static scene back_scene(int w, int h, const design *d, int specimen)
{
    return (scene){.w = w,
                   .h = h,
                   .d = d,
                   .cloth = 1,
                   .cx = 0.52,
                   .cy = 0.49,
                   .width = 0.74,
                   .angle = 0.05,
                   .keystone = 0.025,
                   .specimen = specimen,
                   .seed = 202};
}

const exif_spec camera_exif = {
    .make = "idpack-synth",
    .model = "Phone Camera",
    .datetime = "2026:03:14 10:21:07",
    .orientation = 1,
    .camera = 1,
};

void make_defaults(const char *out, const char *spec)
{
    design front, back;
    design_front(&front, &test_person, 7);
    design_back(&back, &test_person, 8);
    const int W = 3000, H = 2000;

    scene sc = front_scene(W, H, &front, 1);
    img *clean = render(&sc);

    /* the good photo: sharp.jpg/png and everything stored from its pixels */
    img *good = camera(clean, TONE_NORMAL, NULL, 2.5, 1001);
    buf sharp_jpg = {0};
    encode_jpeg(good, 90, NULL, NULL, &sharp_jpg);
    write_file(out, "sharp.jpg", sharp_jpg.p, sharp_jpg.n);
    save_png(out, "sharp.png", good, 0, 0);
    {
        exif_spec ex = camera_exif;
        ex.orientation = 6;
        ex.model = "Phone Camera (rotated 6)";
        img *r = img_rotate90(good, 0);
        save_jpeg(out, "rotated6.jpg", r, 90, &ex);
        img_free(r);
        ex.orientation = 8;
        ex.model = "Phone Camera (rotated 8)";
        r = img_rotate90(good, 1);
        save_jpeg(out, "rotated8.jpg", r, 90, &ex);
        img_free(r);
    }
    {
        exif_spec ex = camera_exif;
        ex.gps = 1;
        ex.thumb_src = good;
        save_jpeg(out, "gps.jpg", good, 90, &ex);
        save_jpeg(out, "camera.jpg", good, 90, &camera_exif);
    }
    {
        /* a wide-gamut phone photo: P3 pixels, Display P3 ICC profile */
        exif_spec ex = camera_exif;
        ex.wide_gamut = 1;
        buf icc = {0};
        make_p3_profile(&icc);
        img *p3 = srgb_to_p3(good);
        save_jpeg_icc(out, "p3.jpg", p3, 90, &ex, &icc);
        img_free(p3);
        free(icc.p);
    }
    {
        buf c = {0};
        encode_cmyk(good, 90, 0, &c);
        write_file(out, "cmyk.jpg", c.p, c.n);
        free(c.p);
    }
    {
        /* a near duplicate: sharp.jpg decoded, scaled 90 %, saved at quality 75 */
        img *dec = decode_jpeg(&sharp_jpg);
        img *s = img_resample(dec, W * 9 / 10, H * 9 / 10);
        save_jpeg(out, "front-copy.jpg", s, 75, NULL);
        img_free(s);
        img_free(dec);
    }
    /* malformed: sharp.jpg cut at 40 % */
    write_file(out, "truncated.jpg", sharp_jpg.p, sharp_jpg.n * 2 / 5);
    free(sharp_jpg.p);
    {
        img *s = img_resample(clean, 1200, 800);
        img *p = camera(s, TONE_NORMAL, NULL, 2.5, 1002);
        buf b = {0};
        encode_png(p, 0, 0, &b);
        write_file(out, "truncated.png", b.p, b.n * 2 / 5);
        png_break_crc(&b);
        write_file(out, "badcrc.png", b.p, b.n);
        free(b.p);
        img_free(p);
        img_free(s);
    }
    img_free(good);

    /* defects, one each */
    {
        img *b = img_copy(clean);
        const int strong[3] = {5, 5, 6};
        img_blur(b, strong, 3);
        img *p = camera(b, TONE_NORMAL, NULL, 2.5, 1003);
        save_jpeg(out, "blurred.jpg", p, 90, NULL);
        img_free(p);
        img_free(b);
        b = img_copy(clean);
        const int mild[3] = {1, 2, 2};
        img_blur(b, mild, 3);
        p = camera(b, TONE_NORMAL, NULL, 2.5, 1004);
        save_jpeg(out, "slightly-blurred.jpg", p, 90, NULL);
        img_free(p);
        img_free(b);
    }
    {
        img *p = camera(clean, TONE_DARK, NULL, 2.0, 1005);
        save_jpeg(out, "dark.jpg", p, 90, NULL);
        img_free(p);
        p = camera(clean, TONE_BRIGHT, NULL, 1.5, 1006);
        save_jpeg(out, "overexposed.jpg", p, 90, NULL);
        img_free(p);
    }
    {
        const glare big = {0.06, 0.60, 0.42}, small = {0.015, 0.66, 0.40};
        img *p = camera(clean, TONE_NORMAL, &big, 2.5, 1007);
        save_jpeg(out, "glare.jpg", p, 90, NULL);
        img_free(p);
        p = camera(clean, TONE_NORMAL, &small, 2.5, 1008);
        save_jpeg(out, "glare-small.jpg", p, 90, NULL);
        img_free(p);
    }
    {
        img *g = camera(clean, TONE_GREY, NULL, 2.5, 1009);
        img *g3 = grey_to_rgb(g);
        save_jpeg(out, "bw.jpg", g3, 90, NULL);
        img_free(g3);
        save_png(out, "grey.png", g, 0, 0);
        img_free(g);
    }
    {
        img *s = img_resample(clean, 480, 320);
        img *p = camera(s, TONE_NORMAL, NULL, 2.5, 1010);
        save_jpeg(out, "tiny.jpg", p, 90, NULL);
        img_free(p);
        img_free(s);
        s = img_resample(clean, 900, 600);
        p = camera(s, TONE_NORMAL, NULL, 2.5, 1011);
        save_jpeg(out, "lowres.jpg", p, 90, NULL);
        img_free(p);
        img_free(s);
    }
    {
        img *s = img_resample(clean, 2400, 1600);
        img *p = camera(s, TONE_NORMAL, NULL, 2.5, 1012);
        save_png(out, "png16.png", p, 1, 1013);
        img_free(p);
        img_free(s);
    }
    {
        /* the photo cropped around the card (~1090 px across on screen) */
        const int cw = W * 84 / 100, chh = cw * 2 / 3, x0 = (W - cw) / 2,
                  y0 = H * 51 / 100 - chh / 2;
        img *crop = img_new(cw, chh, 3);
        for (int y = 0; y < chh; y++)
            memcpy(crop->px + (size_t)y * (size_t)cw * 3,
                   clean->px + ((size_t)(y0 + y) * (size_t)W + (size_t)x0) * 3, (size_t)cw * 3);
        img *s = img_resample(crop, 1170, 780);
        img_free(crop);
        img *p = camera(s, TONE_NORMAL, NULL, 2.5, 1014);
        img_free(s);
        img *shot = make_screenshot(p);
        save_png(out, "screenshot.png", shot, 0, 0);
        img_free(shot);
        img_free(p);
    }
    img_free(clean);

    /* the back of the card */
    sc = back_scene(W, H, &back, 1);
    clean = render(&sc);
    {
        img *p = camera(clean, TONE_NORMAL, NULL, 2.5, 1015);
        save_jpeg(out, "back.jpg", p, 90, NULL);
        img_free(p);
    }
    img_free(clean);

    /* malformed and hostile files */
    write_file(out, "empty.jpg", "", 0);
    {
        static const char text[] = "This is a text file, not a JPEG image.\n"
                                   "idpack must refuse it with a clear message.\n";
        write_file(out, "text.jpg", text, sizeof text - 1);
    }
    {
        buf b = {0};
        make_png_bomb(&b);
        write_file(out, "bomb.png", b.p, b.n);
        free(b.p);
        b = (buf){0};
        make_jpeg_bomb(&b);
        write_file(out, "bomb.jpg", b.p, b.n);
        free(b.p);
    }

    /* the bundled specimen */
    design sfront, sback;
    design_front(&sfront, &specimen_person, 17);
    design_back(&sback, &specimen_person, 18);
    const exif_spec sx = {.make = "idpack",
                          .model = "specimen",
                          .orientation = 1,
                          .datetime = "2025:01:01 12:00:00",
                          .camera = 1};
    sc = front_scene(2400, 1600, &sfront, 1);
    clean = render(&sc);
    img *p = camera(clean, TONE_NORMAL, NULL, 2.5, 2001);
    save_jpeg(spec, "specimen-front.jpg", p, 90, &sx);
    img_free(p);
    img_free(clean);
    sc = back_scene(2400, 1600, &sback, 1);
    clean = render(&sc);
    p = camera(clean, TONE_NORMAL, NULL, 2.5, 2002);
    save_jpeg(spec, "specimen-back.jpg", p, 90, &sx);
    img_free(p);
    img_free(clean);
}
