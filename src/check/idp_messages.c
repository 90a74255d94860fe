/* What each check result means to a seller, in plain words: what was found
 * and what to do about it, in English; the other languages' words are in
 * po/LANG.po (docs/translating.md). */
#include "idp_check.h"
#include "idp_tr.h"
#include "idp_utf8.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* How {v} and {l} are written. */
typedef enum num_kind {
    K_INT, /* 12 */
    K_DEC, /* 4.5 (at most one decimal) */
    K_PCT  /* a share 0..1 written as 4.5% */
} num_kind;

#define ANY_REASON (-1)

/* {v} value, {l} limit, {o} the other photo's number (1-based). */
typedef struct message {
    idp_check_id id;
    idp_check_status status;
    int reason; /* idp_check_reason or ANY_REASON */
    num_kind kind;
    const char *en; /* translated by idp_tr (po/LANG.po) */
} message;

static const message messages[] = {
    {IDP_CHECK_DECODE, IDP_CHECK_PASS, ANY_REASON, K_INT, N_("The file opens as a photo.")},
    {IDP_CHECK_DECODE, IDP_CHECK_FAIL, ANY_REASON, K_INT,
     N_("The file cannot be read as a photo (it is damaged, incomplete, or not a JPEG, PNG, HEIC, "
        "TIFF or PDF): save or export the photo again from your phone or scanner as JPEG, or take "
        "a new one.")},

    {IDP_CHECK_LIMITS, IDP_CHECK_PASS, ANY_REASON, K_DEC,
     N_("The file size is within the limits ({v} megapixels).")},
    {IDP_CHECK_LIMITS, IDP_CHECK_FAIL, ANY_REASON, K_DEC,
     N_("The file is too large to check safely (too many pixels or bytes, at most {l} "
        "megapixels): send the photo at the phone's normal size, not an enlarged copy, a huge "
        "scan or a panorama.")},

    {IDP_CHECK_RESOLUTION, IDP_CHECK_PASS, ANY_REASON, K_INT,
     N_("Enough detail ({v} px on the long side).")},
    {IDP_CHECK_RESOLUTION, IDP_CHECK_WARN, ANY_REASON, K_INT,
     N_("The photo is small ({v} px on the long side, {l} recommended): move closer so the card "
        "fills the frame, and send the original photo, not a reduced copy.")},
    {IDP_CHECK_RESOLUTION, IDP_CHECK_FAIL, ANY_REASON, K_INT,
     N_("The photo is too small to read ({v} px on the long side, needs {l}): retake it closer "
        "with the phone's main camera and send the original file, not a thumbnail or a copy from "
        "a chat app.")},

    {IDP_CHECK_SHARPNESS, IDP_CHECK_PASS, ANY_REASON, K_INT, N_("Sharp enough.")},
    {IDP_CHECK_SHARPNESS, IDP_CHECK_WARN, ANY_REASON, K_INT,
     N_("The photo is slightly blurred (sharpness {v}, {l} recommended): hold the phone steady, "
        "tap on the card to focus, and retake it if the small print is hard to read.")},
    {IDP_CHECK_SHARPNESS, IDP_CHECK_FAIL, ANY_REASON, K_INT,
     N_("The photo is blurred (sharpness {v}, needs {l}): hold the phone steady, tap to focus on "
        "the card, and retake it in good light.")},

    {IDP_CHECK_EXPOSURE, IDP_CHECK_PASS, ANY_REASON, K_INT,
     N_("Well exposed (brightness {v} of 255).")},
    {IDP_CHECK_EXPOSURE, IDP_CHECK_FAIL, IDP_REASON_DARK, K_INT,
     N_("The photo is too dark to read (brightness {v} of 255, needs at least {l}): turn on the "
        "light or move near a window, and retake it without your shadow on the card.")},
    {IDP_CHECK_EXPOSURE, IDP_CHECK_WARN, IDP_REASON_DARK, K_INT,
     N_("The photo is rather dark (brightness {v} of 255, {l} recommended): add light and retake "
        "it if the text is hard to read.")},
    {IDP_CHECK_EXPOSURE, IDP_CHECK_FAIL, IDP_REASON_BRIGHT, K_INT,
     N_("The photo is overexposed (brightness {v} of 255, at most {l}): move out of direct "
        "sunlight or away from the lamp, turn off the flash, and retake it.")},
    {IDP_CHECK_EXPOSURE, IDP_CHECK_WARN, IDP_REASON_BRIGHT, K_INT,
     N_("The photo is rather bright (brightness {v} of 255, {l} recommended at most): use softer "
        "light and check that all the text is readable.")},
    {IDP_CHECK_EXPOSURE, IDP_CHECK_FAIL, IDP_REASON_SHADOWS, K_PCT,
     N_("Large parts of the photo are black ({v} of it, at most {l}): light the whole card evenly "
        "and retake it.")},
    {IDP_CHECK_EXPOSURE, IDP_CHECK_FAIL, IDP_REASON_FAINT_DARK, K_INT,
     N_("The photo is too dark to read the print (ink and paper differ by {v} of 255 levels, at "
        "least {l} needed): turn on the light or move near a window, keep your shadow off the "
        "card, and retake it.")},
    {IDP_CHECK_EXPOSURE, IDP_CHECK_WARN, IDP_REASON_FAINT_DARK, K_INT,
     N_("The print is faint in this dim photo (ink and paper differ by {v} of 255 levels, {l} "
        "recommended): add light and retake it if any text is hard to read.")},
    {IDP_CHECK_EXPOSURE, IDP_CHECK_FAIL, IDP_REASON_FAINT_BRIGHT, K_INT,
     N_("The photo is washed out: the print can hardly be told from the card (ink and paper "
        "differ by {v} of 255 levels, at least {l} needed): turn off the flash, move away from "
        "the lamp or out of direct sunlight, and retake it.")},
    {IDP_CHECK_EXPOSURE, IDP_CHECK_WARN, IDP_REASON_FAINT_BRIGHT, K_INT,
     N_("The print looks faded (ink and paper differ by {v} of 255 levels, {l} recommended): "
        "use softer light without the flash and check that all the text is readable.")},
    {IDP_CHECK_EXPOSURE, IDP_CHECK_WARN, ANY_REASON, K_INT,
     N_("The exposure is not ideal (brightness {v} of 255): retake it in even, soft light.")},
    {IDP_CHECK_EXPOSURE, IDP_CHECK_FAIL, ANY_REASON, K_INT,
     N_("The photo is too dark or too bright to read (brightness {v} of 255): retake it in even, "
        "soft light.")},

    {IDP_CHECK_GLARE, IDP_CHECK_PASS, ANY_REASON, K_PCT, N_("No disturbing glare.")},
    {IDP_CHECK_GLARE, IDP_CHECK_WARN, ANY_REASON, K_PCT,
     N_("A reflection covers part of the card ({v} of it, {l} at most): tilt the card or the "
        "phone slightly, turn off the flash, and retake it so that no text is hidden by the "
        "reflection.")},
    {IDP_CHECK_GLARE, IDP_CHECK_FAIL, ANY_REASON, K_PCT,
     N_("Glare hides part of the card ({v} of it is covered by a reflection, at most {l}): turn "
        "off the flash, move away from the lamp or window that reflects on it, tilt the card "
        "slightly and retake it.")},

    {IDP_CHECK_COLOUR, IDP_CHECK_PASS, ANY_REASON, K_PCT, N_("In colour.")},
    {IDP_CHECK_COLOUR, IDP_CHECK_FAIL, IDP_REASON_TONED, K_PCT,
     N_("The photo is toned in one colour, like sepia (only {v} of it shows another colour, at "
        "least {l} expected): Amazon asks for a colour photo; switch off the sepia or "
        "black-and-white filter, or the scanner's greyscale mode, and take a colour photo of the "
        "original document.")},
    {IDP_CHECK_COLOUR, IDP_CHECK_WARN, IDP_REASON_TONED, K_PCT,
     N_("The photo looks toned in one colour, like sepia (only {v} of it shows another colour, "
        "{l} expected): Amazon asks for a colour photo; switch off any sepia or black-and-white "
        "filter and take a colour photo of the original document.")},
    {IDP_CHECK_COLOUR, IDP_CHECK_WARN, IDP_REASON_COLOUR_DARK, K_PCT,
     N_("The photo is too dark to tell whether it is in colour (only {v} of it is bright enough, "
        "at least {l} needed): turn on the light or move near a window and retake it in colour.")},
    {IDP_CHECK_COLOUR, IDP_CHECK_WARN, ANY_REASON, K_PCT,
     N_("The photo looks black and white (only {v} of it shows colour, {l} expected): Amazon "
        "asks for a colour photo; switch off the black-and-white filter or the scanner's "
        "greyscale mode and take a colour photo of the original document, not of a photocopy.")},
    {IDP_CHECK_COLOUR, IDP_CHECK_FAIL, ANY_REASON, K_PCT,
     N_("The photo is black and white (only {v} of it shows colour, at least {l} expected): "
        "Amazon asks for a colour photo; switch off the black-and-white filter or the scanner's "
        "greyscale mode and take a colour photo of the original document, not of a photocopy.")},

    {IDP_CHECK_SCREENSHOT, IDP_CHECK_PASS, ANY_REASON, K_PCT, N_("Looks like a camera photo.")},
    {IDP_CHECK_SCREENSHOT, IDP_CHECK_FAIL, IDP_REASON_SCREEN_BARS, K_PCT,
     N_("This is a screenshot (a phone's status bar, {v} of it perfectly flat, no camera noise): "
        "Amazon does not accept screenshots; send the original photo taken with the camera.")},
    {IDP_CHECK_SCREENSHOT, IDP_CHECK_WARN, IDP_REASON_SCREEN_BARS, K_PCT,
     N_("This looks like a screenshot (it has a phone's status bar, no camera data): Amazon does "
        "not accept screenshots; send the original photo taken with the camera.")},
    {IDP_CHECK_SCREENSHOT, IDP_CHECK_WARN, IDP_REASON_SCREEN_SIZE, K_PCT,
     N_("This looks like a screenshot (exactly the size of a screen, no camera noise or data): "
        "Amazon does not accept screenshots; send the original photo taken with the camera.")},
    {IDP_CHECK_SCREENSHOT, IDP_CHECK_WARN, ANY_REASON, K_PCT,
     N_("This looks like a screenshot or an edited image ({v} of it is perfectly flat, no camera "
        "noise or data): Amazon does not accept screenshots; send the original photo taken with "
        "the camera.")},
    {IDP_CHECK_SCREENSHOT, IDP_CHECK_FAIL, ANY_REASON, K_PCT,
     N_("This is a screenshot, not a camera photo: Amazon does not accept screenshots; send the "
        "original photo taken with the camera.")},

    {IDP_CHECK_DUPLICATE, IDP_CHECK_PASS, ANY_REASON, K_INT,
     N_("Different from the other photos.")},
    {IDP_CHECK_DUPLICATE, IDP_CHECK_FAIL, IDP_REASON_SAME_SIDE, K_INT,
     N_("This photo shows the same side of the document as photo {o} (difference {v}, at most "
        "{l}): take one photo of the front and a separate one of the back of the document.")},
    {IDP_CHECK_DUPLICATE, IDP_CHECK_FAIL, ANY_REASON, K_INT,
     N_("This is the same photo as photo {o} (difference {v}, at most {l}): take one photo of the "
        "front and a separate one of the back of the document.")},
    {IDP_CHECK_DUPLICATE, IDP_CHECK_WARN, ANY_REASON, K_INT,
     N_("This photo looks very much like photo {o}: check that you sent the front and the back.")},

    {IDP_CHECK_DOCUMENT, IDP_CHECK_PASS, ANY_REASON, K_DEC, N_("The document was found.")},
    {IDP_CHECK_DOCUMENT, IDP_CHECK_WARN, ANY_REASON, K_DEC,
     N_("The document was not found clearly in the photo: make sure all of it, all four corners, "
        "is inside the photo, lay it flat on a plain dark surface, let it fill most of the frame, "
        "and retake it from straight above.")},
    {IDP_CHECK_DOCUMENT, IDP_CHECK_FAIL, IDP_REASON_CUT_OFF, K_DEC,
     N_("The document runs out of the photo, so where it ends cannot be seen: step back a little "
        "so the whole document, all four corners, is inside the photo with some margin, and "
        "retake it.")},
    {IDP_CHECK_DOCUMENT, IDP_CHECK_FAIL, ANY_REASON, K_DEC,
     N_("No ID card or passport page was found in this photo: photograph the ID itself with all "
        "four corners inside the photo and nothing over it (no fingers), lay it flat on a plain "
        "surface of another colour, hold the "
        "phone close enough that the ID fills most of the frame (from far away it is too small to "
        "find or read), and retake it from straight above.")},

    {IDP_CHECK_CORNERS, IDP_CHECK_PASS, ANY_REASON, K_DEC, N_("All four corners are visible.")},
    {IDP_CHECK_CORNERS, IDP_CHECK_FAIL, IDP_REASON_NOT_FOUND, K_DEC,
     N_("No document was found, so its four corners could not be seen: Amazon needs all four "
        "corners visible; retake the photo with the whole document inside it, some margin round "
        "it and nothing over it.")},
    {IDP_CHECK_CORNERS, IDP_CHECK_WARN, IDP_REASON_NOT_FOUND, K_DEC,
     N_("No document was found, so its four corners could not be checked: make sure all four "
        "corners of the document are inside the photo with nothing over them.")},
    {IDP_CHECK_CORNERS, IDP_CHECK_WARN, ANY_REASON, K_DEC,
     N_("A corner of the document is very close to the edge of the photo: step back a little so "
        "all four corners are inside with some margin.")},
    {IDP_CHECK_CORNERS, IDP_CHECK_FAIL, ANY_REASON, K_DEC,
     N_("A corner of the document is cut off: Amazon needs all four corners; step back a little so "
        "the whole document is inside the photo with some margin, and retake it.")},
    {IDP_CHECK_CORNERS, IDP_CHECK_FAIL, IDP_REASON_COVERED, K_PCT,
     N_("A corner of the document is hidden under a finger or an object: Amazon needs all four "
        "corners visible; keep your fingers off the card, lay it on a table with nothing on it, "
        "and retake the photo.")},

    {IDP_CHECK_EXPIRY, IDP_CHECK_PASS, ANY_REASON, K_INT, N_("The document is not expired.")},
    {IDP_CHECK_EXPIRY, IDP_CHECK_WARN, ANY_REASON, K_INT,
     N_("The document expires soon: it is accepted only while valid, so send it now or use "
        "another valid ID.")},
    {IDP_CHECK_EXPIRY, IDP_CHECK_FAIL, ANY_REASON, K_INT,
     N_("The document has expired: Amazon needs a valid ID; use a document that is still valid.")},

    {IDP_CHECK_LIMITS, IDP_CHECK_FAIL, IDP_REASON_DECODE_COST, K_DEC,
     N_("The photo would take too much memory or time to read safely (a very large interlaced or "
        "progressive image, or one made to overload the reader): save or export it again from your "
        "phone as an ordinary JPEG, or take a new one.")},

    {IDP_CHECK_SHARPNESS, IDP_CHECK_FAIL, IDP_REASON_BLUR_WIDTH, K_DEC,
     N_("The photo is blurred (its edges are smeared over {v} mm of the document; the small print "
        "stays readable up to {l} mm): hold the phone steady, tap on the card to focus, and retake "
        "it in good light.")},
};

/* Whatever the check, a sentence for each status (never reached for the
 * checks above, kept so that every result has words). */
static const message fallback[] = {
    {IDP_CHECK_DECODE, IDP_CHECK_PASS, ANY_REASON, K_DEC, N_("OK.")},
    {IDP_CHECK_DECODE, IDP_CHECK_WARN, ANY_REASON, K_DEC,
     N_("Something in this photo may be a problem: look at it and retake it if in doubt.")},
    {IDP_CHECK_DECODE, IDP_CHECK_FAIL, ANY_REASON, K_DEC,
     N_("This photo would be rejected: retake it.")},
};

static const message *find_message(const idp_check_result *r)
{
    const message *loose = NULL;

    for (size_t i = 0; i < sizeof(messages) / sizeof(messages[0]); i++) {
        const message *m = &messages[i];
        if (m->id != r->id || m->status != r->status)
            continue;
        if (m->reason == (int)r->reason)
            return m;
        if (m->reason == ANY_REASON && loose == NULL)
            loose = m;
    }
    if (loose != NULL)
        return loose;
    for (size_t i = 0; i < sizeof(fallback) / sizeof(fallback[0]); i++)
        if (fallback[i].status == r->status)
            return &fallback[i];
    return &fallback[0];
}

/* A number as a reader writes it: one decimal (two below 1), none if
 * whole; Italian uses a decimal comma. */
static void format_number(double v, num_kind kind, int comma, char *buf, size_t size)
{
    char *dot;

    if (!isfinite(v)) {
        snprintf(buf, size, "?");
        return;
    }
    if (kind == K_PCT)
        v *= 100.0;
    if (kind == K_INT)
        snprintf(buf, size, "%.0f", v);
    else if (fabs(v) < 1.0 && v != 0.0)
        snprintf(buf, size, "%.2f", v); /* 0.03 megapixels, 0.25% */
    else
        snprintf(buf, size, "%.1f", v);
    dot = strchr(buf, '.');
    if (dot != NULL) {
        char *end = dot + strlen(dot);
        while (end > dot + 1 && end[-1] == '0')
            *--end = '\0';
        if (end == dot + 1)
            *dot = '\0';
        else if (comma)
            *dot = ',';
    }
    if (kind == K_PCT && strlen(buf) + 2 <= size)
        strcat(buf, "%");
}

void idp_check_describe(const idp_check_result *result, const char *lang, char *buf, size_t size)
{
    const message *m = find_message(result);
    const char *cat = idp_tr_catalogue(lang);
    const char *t = idp_tr(cat, m->en);
    /* TRANSLATORS: the number one half as your language writes it: "0,5"
     * for a decimal comma; idpack writes every measured number with the
     * same decimal mark. */
    const int comma = strchr(idp_tr(cat, "0.5"), ',') != NULL;
    size_t n = 0;

    if (size == 0)
        return;
    while (*t != '\0' && n + 1 < size) {
        char num[32];
        const char *ins = NULL;

        if (t[0] == '{' && t[1] != '\0' && t[2] == '}') {
            if (t[1] == 'v') {
                format_number(result->value, m->kind, comma, num, sizeof(num));
                ins = num;
            } else if (t[1] == 'l') {
                format_number(result->limit, m->kind, comma, num, sizeof(num));
                ins = num;
            } else if (t[1] == 'o') {
                snprintf(num, sizeof(num), "%d", result->other + 1);
                ins = num;
            }
        }
        if (ins != NULL) {
            for (; *ins != '\0' && n + 1 < size; ins++)
                buf[n++] = *ins;
            t += 3;
        } else {
            buf[n++] = *t++;
        }
    }
    if (*t != '\0') { /* cut short: never leave half a UTF-8 character */
        n = idp_utf8_cut(buf, n);
    }
    buf[n] = '\0';
}
