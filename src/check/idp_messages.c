/* What each check result means to a seller, in plain words: what was found
 * and what to do about it, in English and Italian. */
#include "idp_check.h"
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
    const char *en;
    const char *it;
} message;

static const message messages[] = {
    {IDP_CHECK_DECODE, IDP_CHECK_PASS, ANY_REASON, K_INT, "The file opens as a photo.",
     "Il file si apre come foto."},
    {IDP_CHECK_DECODE, IDP_CHECK_FAIL, ANY_REASON, K_INT,
     "The file cannot be read as a photo (it is damaged, incomplete, or not a JPEG, PNG, HEIC, "
     "TIFF or PDF): save or export the photo again from your phone or scanner as JPEG, or take "
     "a new one.",
     "Il file non si può leggere come foto (è danneggiato, incompleto, o non è un JPEG, PNG, "
     "HEIC, TIFF o PDF): salva o esporta di nuovo la foto dal telefono o dallo scanner in JPEG, "
     "oppure scattane una nuova."},

    {IDP_CHECK_LIMITS, IDP_CHECK_PASS, ANY_REASON, K_DEC,
     "The file size is within the limits ({v} megapixels).",
     "Le dimensioni del file sono entro i limiti ({v} megapixel)."},
    {IDP_CHECK_LIMITS, IDP_CHECK_FAIL, ANY_REASON, K_DEC,
     "The file is too large to check safely (too many pixels or bytes, at most {l} "
     "megapixels): send the photo at the phone's normal size, not an enlarged copy, a huge "
     "scan or a panorama.",
     "Il file è troppo grande per essere controllato in sicurezza (troppi pixel o byte, al "
     "massimo {l} megapixel): invia la foto nella misura normale del telefono, non una copia "
     "ingrandita, una scansione enorme o un panorama."},

    {IDP_CHECK_RESOLUTION, IDP_CHECK_PASS, ANY_REASON, K_INT,
     "Enough detail ({v} px on the long side).", "Dettaglio sufficiente ({v} px sul lato lungo)."},
    {IDP_CHECK_RESOLUTION, IDP_CHECK_WARN, ANY_REASON, K_INT,
     "The photo is small ({v} px on the long side, {l} recommended): move closer so the card "
     "fills the frame, and send the original photo, not a reduced copy.",
     "La foto è piccola ({v} px sul lato lungo, consigliati {l}): avvicinati in modo che la "
     "tessera riempia l'inquadratura e invia la foto originale, non una copia ridotta."},
    {IDP_CHECK_RESOLUTION, IDP_CHECK_FAIL, ANY_REASON, K_INT,
     "The photo is too small to read ({v} px on the long side, needs {l}): retake it closer "
     "with the phone's main camera and send the original file, not a thumbnail or a copy from "
     "a chat app.",
     "La foto è troppo piccola per essere letta ({v} px sul lato lungo, ne servono {l}): "
     "scattala di nuovo più da vicino con la fotocamera principale e invia il file originale, "
     "non un'anteprima o una copia da una chat."},

    {IDP_CHECK_SHARPNESS, IDP_CHECK_PASS, ANY_REASON, K_INT, "Sharp enough.", "Abbastanza nitida."},
    {IDP_CHECK_SHARPNESS, IDP_CHECK_WARN, ANY_REASON, K_INT,
     "The photo is slightly blurred (sharpness {v}, {l} recommended): hold the phone steady, "
     "tap on the card to focus, and retake it if the small print is hard to read.",
     "La foto è un po' sfocata (nitidezza {v}, consigliata {l}): tieni fermo il telefono, "
     "tocca la tessera per mettere a fuoco e scatta di nuovo se le scritte piccole si leggono "
     "male."},
    {IDP_CHECK_SHARPNESS, IDP_CHECK_FAIL, ANY_REASON, K_INT,
     "The photo is blurred (sharpness {v}, needs {l}): hold the phone steady, tap to focus on "
     "the card, and retake it in good light.",
     "La foto è sfocata (nitidezza {v}, serve {l}): tieni fermo il telefono, tocca la tessera "
     "per mettere a fuoco e scatta di nuovo con buona luce."},

    {IDP_CHECK_EXPOSURE, IDP_CHECK_PASS, ANY_REASON, K_INT, "Well exposed (brightness {v} of 255).",
     "Esposizione corretta (luminosità {v} su 255)."},
    {IDP_CHECK_EXPOSURE, IDP_CHECK_FAIL, IDP_REASON_DARK, K_INT,
     "The photo is too dark to read (brightness {v} of 255, needs at least {l}): turn on the "
     "light or move near a window, and retake it without your shadow on the card.",
     "La foto è troppo scura per essere letta (luminosità {v} su 255, serve almeno {l}): "
     "accendi la luce o avvicinati a una finestra e scatta di nuovo senza fare ombra sulla "
     "tessera."},
    {IDP_CHECK_EXPOSURE, IDP_CHECK_WARN, IDP_REASON_DARK, K_INT,
     "The photo is rather dark (brightness {v} of 255, {l} recommended): add light and retake "
     "it if the text is hard to read.",
     "La foto è piuttosto scura (luminosità {v} su 255, consigliata almeno {l}): aggiungi luce "
     "e scatta di nuovo se il testo si legge male."},
    {IDP_CHECK_EXPOSURE, IDP_CHECK_FAIL, IDP_REASON_BRIGHT, K_INT,
     "The photo is overexposed (brightness {v} of 255, at most {l}): move out of direct "
     "sunlight or away from the lamp, turn off the flash, and retake it.",
     "La foto è sovraesposta (luminosità {v} su 255, al massimo {l}): spostati dalla luce "
     "diretta del sole o della lampada, spegni il flash e scatta di nuovo."},
    {IDP_CHECK_EXPOSURE, IDP_CHECK_WARN, IDP_REASON_BRIGHT, K_INT,
     "The photo is rather bright (brightness {v} of 255, {l} recommended at most): use softer "
     "light and check that all the text is readable.",
     "La foto è piuttosto chiara (luminosità {v} su 255, consigliata al massimo {l}): usa una "
     "luce più morbida e controlla che tutto il testo si legga."},
    {IDP_CHECK_EXPOSURE, IDP_CHECK_FAIL, IDP_REASON_SHADOWS, K_PCT,
     "Large parts of the photo are black ({v} of it, at most {l}): light the whole card evenly "
     "and retake it.",
     "Ampie parti della foto sono nere ({v} della foto, al massimo {l}): illumina tutta la "
     "tessera in modo uniforme e scatta di nuovo."},
    {IDP_CHECK_EXPOSURE, IDP_CHECK_FAIL, IDP_REASON_FAINT_DARK, K_INT,
     "The photo is too dark to read the print (ink and paper differ by {v} of 255 levels, at "
     "least {l} needed): turn on the light or move near a window, keep your shadow off the "
     "card, and retake it.",
     "La foto è troppo scura per leggere il testo (inchiostro e fondo differiscono di {v} "
     "livelli su 255, ne servono almeno {l}): accendi la luce o avvicinati a una finestra, "
     "non fare ombra sulla tessera e scatta di nuovo."},
    {IDP_CHECK_EXPOSURE, IDP_CHECK_WARN, IDP_REASON_FAINT_DARK, K_INT,
     "The print is faint in this dim photo (ink and paper differ by {v} of 255 levels, {l} "
     "recommended): add light and retake it if any text is hard to read.",
     "Il testo è poco contrastato in questa foto scura (inchiostro e fondo differiscono di {v} "
     "livelli su 255, consigliati almeno {l}): aggiungi luce e scatta di nuovo se qualche "
     "testo si legge male."},
    {IDP_CHECK_EXPOSURE, IDP_CHECK_FAIL, IDP_REASON_FAINT_BRIGHT, K_INT,
     "The photo is washed out: the print can hardly be told from the card (ink and paper "
     "differ by {v} of 255 levels, at least {l} needed): turn off the flash, move away from "
     "the lamp or out of direct sunlight, and retake it.",
     "La foto è sbiadita: il testo quasi non si distingue dalla tessera (inchiostro e fondo "
     "differiscono di {v} livelli su 255, ne servono almeno {l}): spegni il flash, "
     "allontanati dalla lampada o dalla luce diretta del sole e scatta di nuovo."},
    {IDP_CHECK_EXPOSURE, IDP_CHECK_WARN, IDP_REASON_FAINT_BRIGHT, K_INT,
     "The print looks faded (ink and paper differ by {v} of 255 levels, {l} recommended): "
     "use softer light without the flash and check that all the text is readable.",
     "Il testo appare sbiadito (inchiostro e fondo differiscono di {v} livelli su 255, "
     "consigliati almeno {l}): usa una luce più morbida senza flash e controlla che tutto il "
     "testo si legga."},
    {IDP_CHECK_EXPOSURE, IDP_CHECK_WARN, ANY_REASON, K_INT,
     "The exposure is not ideal (brightness {v} of 255): retake it in even, soft light.",
     "L'esposizione non è ideale (luminosità {v} su 255): scatta di nuovo con una luce "
     "uniforme e morbida."},
    {IDP_CHECK_EXPOSURE, IDP_CHECK_FAIL, ANY_REASON, K_INT,
     "The photo is too dark or too bright to read (brightness {v} of 255): retake it in even, "
     "soft light.",
     "La foto è troppo scura o troppo chiara per essere letta (luminosità {v} su 255): scatta "
     "di nuovo con una luce uniforme e morbida."},

    {IDP_CHECK_GLARE, IDP_CHECK_PASS, ANY_REASON, K_PCT, "No disturbing glare.",
     "Nessun riflesso fastidioso."},
    {IDP_CHECK_GLARE, IDP_CHECK_WARN, ANY_REASON, K_PCT,
     "A reflection covers part of the card ({v} of it, {l} at most): tilt the card or the "
     "phone slightly, turn off the flash, and retake it so that no text is hidden by the "
     "reflection.",
     "Un riflesso copre parte della tessera ({v}, al massimo {l}): inclina leggermente la "
     "tessera o il telefono, spegni il flash e scatta di nuovo in modo che nessun testo sia "
     "coperto dal riflesso."},
    {IDP_CHECK_GLARE, IDP_CHECK_FAIL, ANY_REASON, K_PCT,
     "Glare hides part of the card ({v} of it is covered by a reflection, at most {l}): turn "
     "off the flash, move away from the lamp or window that reflects on it, tilt the card "
     "slightly and retake it.",
     "Un riflesso nasconde parte della tessera ({v} è coperto dal riflesso, al massimo {l}): "
     "spegni il flash, allontanati dalla lampada o dalla finestra che si riflette, inclina "
     "leggermente la tessera e scatta di nuovo."},

    {IDP_CHECK_COLOUR, IDP_CHECK_PASS, ANY_REASON, K_PCT, "In colour.", "A colori."},
    {IDP_CHECK_COLOUR, IDP_CHECK_FAIL, IDP_REASON_TONED, K_PCT,
     "The photo is toned in one colour, like sepia (only {v} of it shows another colour, at "
     "least {l} expected): Amazon asks for a colour photo; switch off the sepia or "
     "black-and-white filter, or the scanner's greyscale mode, and take a colour photo of the "
     "original document.",
     "La foto è virata in un solo colore, come il seppia (solo {v} mostra un altro colore, "
     "almeno {l} atteso): Amazon chiede una foto a colori; disattiva il filtro seppia o bianco "
     "e nero, o la modalità in scala di grigi dello scanner, e scatta una foto a colori del "
     "documento originale."},
    {IDP_CHECK_COLOUR, IDP_CHECK_WARN, IDP_REASON_TONED, K_PCT,
     "The photo looks toned in one colour, like sepia (only {v} of it shows another colour, "
     "{l} expected): Amazon asks for a colour photo; switch off any sepia or black-and-white "
     "filter and take a colour photo of the original document.",
     "La foto sembra virata in un solo colore, come il seppia (solo {v} mostra un altro "
     "colore, atteso {l}): Amazon chiede una foto a colori; disattiva ogni filtro seppia o "
     "bianco e nero e scatta una foto a colori del documento originale."},
    {IDP_CHECK_COLOUR, IDP_CHECK_WARN, IDP_REASON_COLOUR_DARK, K_PCT,
     "The photo is too dark to tell whether it is in colour (only {v} of it is bright enough, "
     "at least {l} needed): turn on the light or move near a window and retake it in colour.",
     "La foto è troppo scura per capire se è a colori (solo {v} è abbastanza luminoso, almeno "
     "{l} necessario): accendi la luce o avvicinati a una finestra e scatta di nuovo a colori."},
    {IDP_CHECK_COLOUR, IDP_CHECK_WARN, ANY_REASON, K_PCT,
     "The photo looks black and white (only {v} of it shows colour, {l} expected): Amazon "
     "asks for a colour photo; switch off the black-and-white filter or the scanner's "
     "greyscale mode and take a colour photo of the original document, not of a photocopy.",
     "La foto sembra in bianco e nero (solo {v} mostra colore, atteso {l}): Amazon chiede una "
     "foto a colori; disattiva il filtro bianco e nero o la modalità in scala di grigi dello "
     "scanner e scatta una foto a colori del documento originale, non di una fotocopia."},
    {IDP_CHECK_COLOUR, IDP_CHECK_FAIL, ANY_REASON, K_PCT,
     "The photo is black and white (only {v} of it shows colour, at least {l} expected): "
     "Amazon asks for a colour photo; switch off the black-and-white filter or the scanner's "
     "greyscale mode and take a colour photo of the original document, not of a photocopy.",
     "La foto è in bianco e nero (solo {v} mostra colore, almeno {l} atteso): Amazon chiede "
     "una foto a colori; disattiva il filtro bianco e nero o la modalità in scala di grigi "
     "dello scanner e scatta una foto a colori del documento originale, non di una "
     "fotocopia."},

    {IDP_CHECK_SCREENSHOT, IDP_CHECK_PASS, ANY_REASON, K_PCT, "Looks like a camera photo.",
     "Sembra una foto della fotocamera."},
    {IDP_CHECK_SCREENSHOT, IDP_CHECK_FAIL, IDP_REASON_SCREEN_BARS, K_PCT,
     "This is a screenshot (a phone's status bar, {v} of it perfectly flat, no camera noise): "
     "Amazon does not accept screenshots; send the original photo taken with the camera.",
     "Questo è uno screenshot (la barra di stato di un telefono, {v} perfettamente uniforme, "
     "nessun rumore della fotocamera): Amazon non accetta screenshot; invia la foto originale "
     "scattata con la fotocamera."},
    {IDP_CHECK_SCREENSHOT, IDP_CHECK_WARN, IDP_REASON_SCREEN_BARS, K_PCT,
     "This looks like a screenshot (it has a phone's status bar, no camera data): Amazon does "
     "not accept screenshots; send the original photo taken with the camera.",
     "Sembra uno screenshot (ha la barra di stato di un telefono, nessun dato della "
     "fotocamera): Amazon non accetta screenshot; invia la foto originale scattata con la "
     "fotocamera."},
    {IDP_CHECK_SCREENSHOT, IDP_CHECK_WARN, IDP_REASON_SCREEN_SIZE, K_PCT,
     "This looks like a screenshot (exactly the size of a screen, no camera noise or data): "
     "Amazon does not accept screenshots; send the original photo taken with the camera.",
     "Sembra uno screenshot (ha la misura esatta di uno schermo, nessun rumore o dato della "
     "fotocamera): Amazon non accetta screenshot; invia la foto originale scattata con la "
     "fotocamera."},
    {IDP_CHECK_SCREENSHOT, IDP_CHECK_WARN, ANY_REASON, K_PCT,
     "This looks like a screenshot or an edited image ({v} of it is perfectly flat, no camera "
     "noise or data): Amazon does not accept screenshots; send the original photo taken with "
     "the camera.",
     "Sembra uno screenshot o un'immagine modificata ({v} è perfettamente uniforme, nessun "
     "rumore o dato della fotocamera): Amazon non accetta screenshot; invia la foto originale "
     "scattata con la fotocamera."},
    {IDP_CHECK_SCREENSHOT, IDP_CHECK_FAIL, ANY_REASON, K_PCT,
     "This is a screenshot, not a camera photo: Amazon does not accept screenshots; send the "
     "original photo taken with the camera.",
     "Questo è uno screenshot, non una foto: Amazon non accetta screenshot; invia la foto "
     "originale scattata con la fotocamera."},

    {IDP_CHECK_DUPLICATE, IDP_CHECK_PASS, ANY_REASON, K_INT, "Different from the other photos.",
     "Diversa dalle altre foto."},
    {IDP_CHECK_DUPLICATE, IDP_CHECK_FAIL, IDP_REASON_SAME_SIDE, K_INT,
     "This photo shows the same side of the document as photo {o} (difference {v}, at most "
     "{l}): take one photo of the front and a separate one of the back of the document.",
     "Questa foto mostra lo stesso lato del documento della foto {o} (differenza {v}, al "
     "massimo {l}): scatta una foto del fronte e una a parte del retro del documento."},
    {IDP_CHECK_DUPLICATE, IDP_CHECK_FAIL, ANY_REASON, K_INT,
     "This is the same photo as photo {o} (difference {v}, at most {l}): take one photo of the "
     "front and a separate one of the back of the document.",
     "È la stessa foto della foto {o} (differenza {v}, al massimo {l}): scatta una foto del "
     "fronte e una, separata, del retro del documento."},
    {IDP_CHECK_DUPLICATE, IDP_CHECK_WARN, ANY_REASON, K_INT,
     "This photo looks very much like photo {o}: check that you sent the front and the back.",
     "Questa foto somiglia molto alla foto {o}: controlla di aver inviato il fronte e il "
     "retro."},

    {IDP_CHECK_DOCUMENT, IDP_CHECK_PASS, ANY_REASON, K_DEC, "The document was found.",
     "Il documento è stato trovato."},
    {IDP_CHECK_DOCUMENT, IDP_CHECK_WARN, ANY_REASON, K_DEC,
     "The document was not found clearly in the photo: make sure all of it, all four corners, "
     "is inside the photo, lay it flat on a plain dark surface, let it fill most of the frame, "
     "and retake it from straight above.",
     "Il documento non si vede chiaramente nella foto: controlla che sia tutto dentro, con tutti "
     "e quattro gli angoli, appoggialo su una superficie scura e uniforme, fai in modo che "
     "riempia quasi tutta l'inquadratura e scatta di nuovo dall'alto."},
    {IDP_CHECK_DOCUMENT, IDP_CHECK_FAIL, ANY_REASON, K_DEC,
     "No ID card or passport page was found in this photo: photograph the ID itself with all "
     "four corners inside the photo, lay it flat on a plain surface of another colour, let it "
     "fill most of the frame, and retake it from straight above.",
     "In questa foto non è stato trovato nessun documento d'identità: fotografa il documento "
     "con tutti e quattro gli angoli dentro la foto, appoggialo su una superficie uniforme di "
     "un altro colore, fai in modo che riempia quasi tutta l'inquadratura e scatta di nuovo "
     "dall'alto."},

    {IDP_CHECK_CORNERS, IDP_CHECK_PASS, ANY_REASON, K_DEC, "All four corners are visible.",
     "Tutti e quattro gli angoli sono visibili."},
    {IDP_CHECK_CORNERS, IDP_CHECK_WARN, ANY_REASON, K_DEC,
     "A corner of the document is very close to the edge of the photo: step back a little so "
     "all four corners are inside with some margin.",
     "Un angolo del documento è molto vicino al bordo della foto: allontanati un po' perché "
     "tutti e quattro gli angoli stiano dentro con un po' di margine."},
    {IDP_CHECK_CORNERS, IDP_CHECK_FAIL, ANY_REASON, K_DEC,
     "A corner of the document is cut off: Amazon needs all four corners; step back a little so "
     "the whole document is inside the photo with some margin, and retake it.",
     "Un angolo del documento è tagliato: Amazon vuole tutti e quattro gli angoli; allontanati "
     "un po' perché tutto il documento stia nella foto con un po' di margine e scatta di "
     "nuovo."},
    {IDP_CHECK_CORNERS, IDP_CHECK_FAIL, IDP_REASON_COVERED, K_PCT,
     "A corner of the document is hidden under a finger or an object: Amazon needs all four "
     "corners visible; keep your fingers off the card, lay it on a table with nothing on it, "
     "and retake the photo.",
     "Un angolo del documento è coperto da un dito o da un oggetto: Amazon vuole tutti e "
     "quattro gli angoli visibili; togli le dita dal documento, appoggialo su un tavolo senza "
     "niente sopra e scatta di nuovo la foto."},

    {IDP_CHECK_EXPIRY, IDP_CHECK_PASS, ANY_REASON, K_INT, "The document is not expired.",
     "Il documento non è scaduto."},
    {IDP_CHECK_EXPIRY, IDP_CHECK_WARN, ANY_REASON, K_INT,
     "The document expires soon: it is accepted only while valid, so send it now or use "
     "another valid ID.",
     "Il documento scade presto: è accettato solo finché è valido, quindi invialo subito o usa "
     "un altro documento valido."},
    {IDP_CHECK_EXPIRY, IDP_CHECK_FAIL, ANY_REASON, K_INT,
     "The document has expired: Amazon needs a valid ID; use a document that is still valid.",
     "Il documento è scaduto: Amazon vuole un documento valido; usane uno ancora in corso di "
     "validità."},

    {IDP_CHECK_LIMITS, IDP_CHECK_FAIL, IDP_REASON_DECODE_COST, K_DEC,
     "The photo would take too much memory or time to read safely (a very large interlaced or "
     "progressive image, or one made to overload the reader): save or export it again from your "
     "phone as an ordinary JPEG, or take a new one.",
     "La foto richiederebbe troppa memoria o troppo tempo per essere letta in sicurezza "
     "(un'immagine molto grande interlacciata o progressiva, o fatta per sovraccaricare il "
     "lettore): salvala o esportala di nuovo dal telefono come JPEG normale, oppure scattane una "
     "nuova."},
};

/* Whatever the check, a sentence for each status (never reached for the
 * checks above, kept so that every result has words). */
static const message fallback[] = {
    {IDP_CHECK_DECODE, IDP_CHECK_PASS, ANY_REASON, K_DEC, "OK.", "OK."},
    {IDP_CHECK_DECODE, IDP_CHECK_WARN, ANY_REASON, K_DEC,
     "Something in this photo may be a problem: look at it and retake it if in doubt.",
     "Qualcosa in questa foto potrebbe essere un problema: controllala e, nel dubbio, scattala "
     "di nuovo."},
    {IDP_CHECK_DECODE, IDP_CHECK_FAIL, ANY_REASON, K_DEC,
     "This photo would be rejected: retake it.",
     "Questa foto verrebbe rifiutata: scattala di "
     "nuovo."},
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
    const int it = lang != NULL && strncmp(lang, "it", 2) == 0;
    const char *t = it ? m->it : m->en;
    size_t n = 0;

    if (size == 0)
        return;
    while (*t != '\0' && n + 1 < size) {
        char num[32];
        const char *ins = NULL;

        if (t[0] == '{' && t[1] != '\0' && t[2] == '}') {
            if (t[1] == 'v') {
                format_number(result->value, m->kind, it, num, sizeof(num));
                ins = num;
            } else if (t[1] == 'l') {
                format_number(result->limit, m->kind, it, num, sizeof(num));
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
