/* idp_drop: the drag-and-drop driver's own decisions, above the build:
 * which photo is the front (from the file names, else the order, and
 * what the photos show: an ID card's zone on the one given as the front),
 * and what the problems file (idpack-problems.txt) says to the seller, in
 * plain words, in English or Italian. The tool (idpack drop, idpack
 * window) parses the options, prints and notifies.
 *
 * A public header of libidpack (docs/library.md): the declarations between
 * `#ifdef IDP_INTERNAL` and its `#endif` are the library's own. */
#ifndef IDP_DROP_H
#define IDP_DROP_H

#include "idp_build.h"
#include "idp_check.h"
#include "idp_ctx.h"
#include "idp_profile.h"
#include "idp_template.h"

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- which photo is which ------------------------------------------------ */

enum { IDP_DROP_ROLE_NONE = 0, IDP_DROP_ROLE_FRONT = 1, IDP_DROP_ROLE_BACK = 2 };

/* IDP_DROP_ROLE_FRONT or _BACK when a whole word of the lower-cased base
 * name says so (front, fronte, recto, vorderseite, anverso; back, retro,
 * verso, rückseite, reverso), and not both; else IDP_DROP_ROLE_NONE.
 * Words are runs of letters, digits and non-ASCII bytes: "ID_fronte.jpg",
 * "retro-2.JPG". */
IDP_API int idp_drop_role(const char *path) IDP_NONNULL(1);

/* Puts the front first in photos[0..1] when the file names say which is
 * which (the back named first, or the front second); else leaves the order
 * given. */
IDP_API void idp_drop_order(const char *photos[2]) IDP_NONNULL(1);

/* Whether the build refused the photos as swapped: the front shows an ID
 * card's zone (TD1, on a card's back) and the back none (idp_build_mrz.h). */
IDP_API bool idp_drop_zone_swapped(idp_status st, const idp_build_result *res) IDP_NONNULL(2);

/* Whether to build again with the photos swapped: the zone says they are
 * (idp_drop_zone_swapped) and only their order said which was the front
 * (neither file name does). */
IDP_API bool idp_drop_swap_by_zone(idp_status st, const idp_build_result *res,
                                   const char *const photos[2]) IDP_NONNULL(2, 3);

/* ---- what drop tells the seller ------------------------------------------- */

/* The sentences a caller says itself (the problems file's own are written
 * by the idp_drop_problems calls). Values are only ever appended. */
typedef enum idp_drop_sentence {
    IDP_DROP_SAY_COUNT = 0,      /* drop one photo or two; arg: the number dropped */
    IDP_DROP_SAY_REUSED,         /* the package is already there, unchanged; arg: its folder */
    IDP_DROP_SAY_WRITTEN,        /* the problems are also in; arg: the problems file */
    IDP_DROP_SAY_NOTIFY_OK,      /* notification: package ready; arg: its folder's name */
    IDP_DROP_SAY_NOTIFY_FAIL,    /* notification: something is wrong; arg: the problems file */
    IDP_DROP_SAY_NOTIFY_PROFILE, /* notification: details needed; arg: the profile */
} idp_drop_sentence;

/* The sentence in lang (its catalogue, po/LANG.po; else English) with arg
 * in its place, into buf (cut to size; always terminated when size > 0).
 * Lines end in a newline (IDP_DROP_SAY_REUSED, _WRITTEN); notifications
 * do not. */
IDP_API void idp_drop_say(const char *lang, idp_drop_sentence which, const char *arg, char *buf,
                          size_t size) IDP_NONNULL(3, 4);

/* What idpack-problems.txt says, growing as the calls below find problems;
 * opaque, wiped when destroyed (it names the photos and may quote a
 * detail's problem). */
typedef struct idp_drop_problems idp_drop_problems;

/* A problems text in lang's words, starting with the files dropped
 * ("idpack could not make your package from: a.jpg, b.jpg") and, when n
 * is over 2, that one ID is one or two photos. IDP_E_NOMEM only when the
 * object cannot be made; the caller frees *out with
 * idp_drop_problems_destroy(). */
IDP_API idp_status idp_drop_problems_create(idp_ctx *ctx, const char *lang,
                                            const char *const *files, size_t n,
                                            idp_drop_problems **out) IDP_WUR IDP_NONNULL(1, 5);
/* Wipes and frees; NULL is fine. */
IDP_API void idp_drop_problems_destroy(idp_drop_problems *p);

/* The seller's saved details, before any build. loaded is the status of
 * idp_profile_load (error: the context's message then), profile what it
 * gave (NULL when it failed), t the request's template (NULL when it
 * could not be loaded: loaded and error are then its status and message),
 * made whether a profile to fill in was just written at profile_path.
 * Says what is wrong: no profile, an unreadable profile or invalid
 * detail, the required details it lacks (but id_type and id_expiry,
 * which the ID's machine-readable zone gives), and how to edit them.
 * Returns IDP_OK when the details let a build start, else the status to
 * exit with (IDP_E_NOTFOUND: no profile; IDP_E_FIELD: details missing;
 * else loaded); *edit tells whether the seller is to edit profile_path. */
IDP_API idp_status idp_drop_problems_details(idp_drop_problems *p, idp_status loaded,
                                             const char *error, const idp_profile *profile,
                                             const idp_template *t, bool made,
                                             const char *profile_path, bool *edit)
    IDP_NONNULL(1, 7, 8);

/* Checks the photos (n: 1 or 2; 0 the front) on their own, with ctx's
 * limits and threads and the default thresholds (the duplicate check
 * between two), and says which checks failed and what to do: so that,
 * when the details stop a drop before its build, the seller learns
 * everything at once. Returns whether a photo failed. */
IDP_API bool idp_drop_problems_check(idp_ctx *ctx, idp_drop_problems *p, const char *const *photos,
                                     size_t n) IDP_NONNULL(1, 2);

/* What a failed build (st, res, the error text on its context) means for
 * the seller: an expired ID (the detail expiry), the details against the
 * ID's zone, an invalid detail, failed photos, or anything else. Returns
 * true when the seller is to edit the details (profile_path). */
IDP_API bool idp_drop_problems_build(idp_drop_problems *p, idp_status st,
                                     const idp_build_result *res, const char *error,
                                     const char *expiry, const char *profile_path,
                                     const char *const photos[2]) IDP_NONNULL(1, 3, 4, 6, 7);

/* The text so far and its length (borrowed from p); NULL when memory ran
 * out while writing it. */
IDP_API const char *idp_drop_problems_text(const idp_drop_problems *p, size_t *len)
    IDP_NONNULL(1, 2);

/* Writes the text to path (idpack-problems.txt next to the photos):
 * atomically, replacing an earlier one, mode 0600. IDP_E_NOMEM when the
 * text ran out of memory; errors name the file. */
IDP_API idp_status idp_drop_problems_write(idp_ctx *ctx, const idp_drop_problems *p,
                                           const char *path) IDP_WUR IDP_NONNULL(1, 2, 3);

#ifdef IDP_INTERNAL
/* The sentences, "{}" where the argument goes (no printf formats). Its
 * fields, one X(name) each, serve the struct and idp_drop_text_get. */
#define IDP_DROP_TEXT_FIELDS(X)                                                                    \
    X(failed)                                                                                      \
    X(photo)                                                                                       \
    X(front)                                                                                       \
    X(back)                                                                                        \
    X(retake)                                                                                      \
    X(no_profile)                                                                                  \
    X(missing)                                                                                     \
    X(bad_field)                                                                                   \
    X(expired)                                                                                     \
    X(count)                                                                                       \
    X(other)                                                                                       \
    X(notify_ok)                                                                                   \
    X(notify_fail)                                                                                 \
    X(written)                                                                                     \
    X(unreadable)                                                                                  \
    X(no_file)                                                                                     \
    X(too_large)                                                                                   \
    X(edit)                                                                                        \
    X(notify_profile)                                                                              \
    X(reused)                                                                                      \
    X(mismatch)

#define IDP_DROP_TEXT_FIELD(name) const char *name;
typedef struct idp_drop_text {
    IDP_DROP_TEXT_FIELDS(IDP_DROP_TEXT_FIELD)
} idp_drop_text;
#undef IDP_DROP_TEXT_FIELD

/* The sentences in lang (its catalogue, po/LANG.po, through idp_tr; a locale
 * of it such as "it_IT.UTF-8" too), else
 * in English. They are static strings. */
void idp_drop_text_get(const char *lang, idp_drop_text *out) IDP_NONNULL(2);

/* tmpl with "{}" replaced by arg into buf (cut to size). */
void idp_drop_fill(char *buf, size_t size, const char *tmpl, const char *arg) IDP_NONNULL(1, 3, 4);

/* The problems text, growing; wiped when freed (it names the photos and
 * may quote a detail's problem). Out of memory: oom is set, what was
 * written stays and the text stops growing. */
struct idp_drop_problems {
    char *s;
    size_t len, cap;
    bool oom;
    const char *lang; /* "en" or a catalogue's name ("it") */
    idp_drop_text text;
    const idp_drop_text *tx; /* &text */
};

/* An empty text in lang's words (see idp_drop_text_get). */
void idp_drop_problems_init(idp_drop_problems *p, const char *lang) IDP_NONNULL(1);
void idp_drop_problems_free(idp_drop_problems *p) IDP_NONNULL(1);
void idp_drop_problems_printf(idp_drop_problems *p, const char *fmt, ...) IDP_NONNULL(1, 2)
    IDP_PRINTF(2, 3);
/* tmpl with "{}" replaced by arg. */
void idp_drop_problems_fill(idp_drop_problems *p, const char *tmpl, const char *arg)
    IDP_NONNULL(1, 2, 3);

/* The first line: "idpack could not make your package from: a.jpg, b.jpg". */
void idp_drop_problems_files(idp_drop_problems *p, const char *const *files, size_t n)
    IDP_NONNULL(1);
/* More files than one ID has (n dropped). */
void idp_drop_problems_count(idp_drop_problems *p, size_t n) IDP_NONNULL(1);
/* The details: no profile was saved (made: a file to fill in was made),
 * the profile is unreadable or a detail invalid (error: why), details are
 * missing (n of them), and how to edit them (profile_path). */
void idp_drop_problems_no_profile(idp_drop_problems *p, bool made) IDP_NONNULL(1);
void idp_drop_problems_bad_details(idp_drop_problems *p, const char *error) IDP_NONNULL(1, 2);
void idp_drop_problems_missing(idp_drop_problems *p, const idp_field *const *missing, size_t n)
    IDP_NONNULL(1);
void idp_drop_problems_edit(idp_drop_problems *p, const char *profile_path) IDP_NONNULL(1, 2);
/* The failed checks of the photos (0: front, 1: back), one line each, and
 * what to do when one failed. Returns whether one failed. */
bool idp_drop_problems_photos(idp_drop_problems *p, const char *const *photos,
                              const idp_check_report *reports, size_t n) IDP_NONNULL(1);

#endif /* IDP_INTERNAL */

#ifdef __cplusplus
}
#endif

#endif
