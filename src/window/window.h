/* idpack window: the seller's page on a loopback-only HTTP server
 * (libmicrohttpd). docs/window.md describes the security model and the
 * limits. window_main.c runs it, window_http.c guards and routes every
 * request, window_store.c keeps the private folder and the uploads,
 * window_api.c answers the page (checks, form, letter, build). */
#ifndef IDP_WINDOW_H
#define IDP_WINDOW_H

#include "idp_check.h"
#include "idp_util.h"
#include "idp_reference.h"

#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Defaults of the limits (options of idpack window). */
#define WIN_MAX_UPLOAD_MB 25u /* one photo: the loader's own limit is 50 MB */
#define WIN_MAX_UPLOADS 100u  /* photos uploaded in one run */
#define WIN_MAX_BODY 65536u   /* a JSON request (the form) */
#define WIN_IDLE_S 1800u      /* no action for 30 minutes: stop */
#define WIN_CLOSED_S 90u      /* the page silent (closed) for 90 s: stop */
#define WIN_BYE_S 10u         /* after the page said goodbye: a reload comes back sooner */
#define WIN_TOKEN_HEX 64      /* 32 random bytes */
#define WIN_NAME_MAX 120      /* bytes of a photo's name shown on the page */

typedef struct win_opts {
    const char *out_dir; /* NULL: next to the photos given, else ~/Documents or ~ */
    const char *date;
    const char *ledger;
    const char *lang; /* forced page language, NULL: profile, else the browser's */
    bool no_browser, no_ledger;
    unsigned idle_s, closed_s, max_uploads;
    uint64_t max_upload;
} win_opts;

/* A photo slot: 0 front, 1 back. */
typedef struct win_photo {
    bool present;
    char name[WIN_NAME_MAX + 8]; /* as the seller named it, cut to fit, for the page only */
    char path[PATH_MAX + 16];    /* the stored copy (private folder) or the file given */
    unsigned version;            /* changes with each new photo (thumbnail URLs) */
    idp_check_report *report;    /* without the duplicate check; made with the server */
    char error[512];             /* why it could not be read */
    bool has_thumb;
    uint32_t thumb_w, thumb_h;
} win_photo;

typedef struct win_server {
    win_opts o;
    char token[WIN_TOKEN_HEX + 1];
    unsigned port;
    char runtime_dir[PATH_MAX]; /* where the private folder is made */
    char dir[PATH_MAX];         /* the private folder, mode 0700 */
    char profile_path[PATH_MAX];
    char out_base[PATH_MAX];
    int64_t date;
    char today[IDP_DAY_LEN];
    char lang[8]; /* the profile's language when it has one, else "" */
    bool date_fixed;

    pthread_mutex_t lock; /* the page's state below; held while a request works */
    win_photo photo[2];
    unsigned n_uploads, seq;
    bool built;
    char pkg_dir[PATH_MAX + 64];
    char pkg_ref[IDP_REFERENCE_LEN];

    pthread_mutex_t clock; /* the activity times below */
    time_t last_action, last_beat, bye_at;
    bool page_seen;
} win_server;

/* An answer to the page. body is owned (free()) unless is_static. */
typedef struct win_reply {
    unsigned status;
    const char *type;
    char *body;
    size_t len;
    bool is_static;
    bool has_fd; /* send the file open on fd (owned) instead of body */
    int fd;
    uint64_t fd_size;
} win_reply;

/* ---- window_store.c ---- */

/* Makes the private folder in $XDG_RUNTIME_DIR (else $TMPDIR, else /tmp),
 * named as a temporary of this process so that the cleanup guardian
 * removes it even after kill -9. False with a message on stderr. */
bool win_store_open(win_server *s);
/* Removes every file of the private folder and the folder. */
void win_store_wipe(win_server *s);
/* A new upload file in the private folder (O_EXCL, 0600): its fd and path. */
int win_store_new_upload(win_server *s, char *path, size_t size);
/* Keeps the upload at tmp as photo side (replacing the last one) under the
 * name the seller gave (only shown, never a path); checks it and makes its
 * thumbnail. Call with s->lock held. */
void win_store_photo(win_server *s, int side, const char *tmp, const char *name);
/* The same for a photo given on the command line (read in place). */
void win_store_cli_photo(win_server *s, int side, const char *path);
/* Forgets photo side. */
void win_store_remove(win_server *s, int side);
/* Where the thumbnail of side is. */
void win_store_thumb_path(const win_server *s, int side, char *path, size_t size);

/* ---- window_api.c ---- */

/* Answers an API request (url under /api/), body the JSON sent (may be
 * NULL). lang is the page's language. Call with s->lock held. */
void win_api(win_server *s, const char *method, const char *url, const char *lang,
             const char *side_arg, const char *what_arg, const char *body, size_t len,
             win_reply *r);
/* The JSON error answer {"error": msg}. */
void win_reply_error(win_reply *r, unsigned status, const char *msg);
/* The language of the page: "en" or a language the library has a
 * catalogue for (po/LANG.po): ?lang= when it is one, else --lang, else
 * the profile's, else the browser's first one, else "en". */
const char *win_lang(const win_server *s, const char *query_lang, const char *accept_language);

/* ---- window_texts.c ---- */

/* The page's words in lang: {"key": "text", ...} (GET /api/texts). */
json_t *win_texts_json(const char *lang);
/* The languages the page can be in: [{"code": "en", "name": "English"},
 * ...], each name in its own language (in GET /api/state). */
json_t *win_langs_json(void);

/* ---- window_http.c ---- */

struct MHD_Daemon;
/* Starts the server on 127.0.0.1, on a free port (s->port set). */
struct MHD_Daemon *win_http_start(win_server *s);
/* Records that the page did something (or only beat). */
void win_touch(win_server *s, bool action);

#endif
