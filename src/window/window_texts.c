/* The words of the window's page (assets/app.js), in the page's language:
 * the English here, marked N_(), each other language's in its catalogue
 * po/LANG.po with every other message of idpack's (docs/translating.md).
 * The page asks for them with GET /api/texts?lang=LANG. */
#include "window.h"

#include "../tool/tool.h"

#include <jansson.h>

static const struct {
    const char *key, *en;
} texts[] = {
    {"title", N_("Your ID package for Amazon")},
    {"offline",
     N_("This page runs on your computer only: your photos and details do not leave it.")},
    {"photos_h", N_("1. The photos of your ID")},
    {"photos_p",
     N_("Drop the photo of the front and the photo of the back here (or choose them). idpack shows "
        "where it found the document and what Amazon would say about each photo.")},
    {"front", N_("Front")},
    {"back", N_("Back (not needed for a passport)")},
    {"drop_here", N_("Drop the photo here")},
    {"choose", N_("Choose a photo…")},
    {"remove", N_("Use another photo")},
    {"checking", N_("Checking the photo…")},
    {"legend_outline", N_("where idpack found the document")},
    {"legend_cut", N_("a corner cut off or covered")},
    {"legend_glare", N_("glare")},
    {"details_h", N_("2. Your details")},
    {"save", N_("Save these details for next time")},
    {"letter_h", N_("3. The letter")},
    {"build_h", N_("4. The package")},
    {"build", N_("Build the package")},
    {"building", N_("Building the package…")},
    {"pass", N_("✓ Passes")},
    {"warn", N_("! Needs attention")},
    {"fail", N_("✗ Will be rejected")},
    {"v_pass", N_("This photo looks good.")},
    {"v_warn", N_("Usable, but look at the points marked.")},
    {"v_fail", N_("Amazon would reject this photo: take it again.")},
    {"v_error", N_("This file cannot be read as a photo.")},
    {"no_doc", N_("idpack did not find the document in this photo.")},
    {"profile_yes", N_("Filled in from your saved details.")},
    {"profile_no", N_("Fill in your details; you can save them for next time.")},
    {"saved", N_("Saved. They will be filled in next time.")},
    {"needed", N_("needed")},
    {"letter_wait", N_("The letter appears here once the details are complete.")},
    {"out_note", N_("The package will be written in: ")},
    {"built", N_("The package is ready.")},
    {"reference", N_("Reference")},
    {"folder", N_("Folder")},
    {"warning", N_("Warning")},
    {"open_pdf", N_("Open the PDF")},
    {"open_folder", N_("Open the folder")},
    {"view_pdf", N_("Show the PDF in the browser")},
    {"next_h", N_("What to do next")},
    {"next1", N_("In Seller Central, on the two-step verification help page, choose to reset it "
                 "and upload request.pdf (or id-front.jpg and id-back.jpg when the form asks for "
                 "the images one by one).")},
    {"next2", N_("Amazon answers by email, usually within 12 hours, sometimes one or two days. "
                 "Keep the reference: it is on the letter and in the QR code.")},
    {"next3", N_("Once sent, mark it as submitted with Amazon's case number:")},
    {"refused", N_("The package was not built.")},
    {"upload_failed", N_("The photo could not be sent: ")},
    {"too_large", N_("This file is larger than the window accepts (%s MB): send the phone's photo "
                     "as it is, not a scan at a huge size.")},
    {"lost", N_("The window has stopped (was idpack closed?). Start it again to go on.")},
    {"two_only", N_("Drop one photo for each side: at most two at a time.")},
    /* a date field's hint */
    {"date_hint", N_("YYYY-MM-DD")},
};

json_t *win_texts_json(const char *lang)
{
    json_t *o = json_object();

    for (size_t i = 0; o != NULL && i < sizeof(texts) / sizeof(texts[0]); i++)
        json_object_set_new(o, texts[i].key, json_string(tool_tr(lang, texts[i].en)));
    return o;
}

json_t *win_langs_json(void)
{
    json_t *a = json_array();

    for (size_t i = 0; a != NULL && idp_tr_language(i) != NULL; i++) {
        const char *l = idp_tr_language(i);
        /* TRANSLATORS: the name of your language, written in it ("Italiano"):
         * the window's page shows it on the button that switches to it. */
        json_array_append_new(a, json_pack("{s:s,s:s}", "code", l, "name", tool_tr(l, "English")));
    }
    return a;
}
