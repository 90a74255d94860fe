/* idpack window's HTTP side: every request passes the gate (the Host, the
 * run's secret, the origin of a write) before anything else is read; the
 * page's files are served from the binary, the API from window_api.c. The
 * HTTP parsing is libmicrohttpd's. */
#include "window.h"
#include "window_assets.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* Only the page's own origin: no inline script, no other host, no frame. */
#define WIN_CSP                                                                                    \
    "default-src 'self'; img-src 'self' blob: data:; object-src 'none'; base-uri 'none'; "         \
    "form-action 'self'; frame-ancestors 'none'"

typedef enum { REQ_GET, REQ_UPLOAD, REQ_JSON } req_kind;

/* One request in progress (between libmicrohttpd's calls). */
typedef struct win_req {
    req_kind kind;
    int status; /* an error decided while the body arrives (413), else 0 */
    int fd;     /* REQ_UPLOAD: the file in the private folder */
    char path[PATH_MAX];
    uint64_t got;
    char *body; /* REQ_JSON */
    size_t len;
} win_req;

void win_touch(win_server *s, bool action)
{
    time_t now = time(NULL);
    pthread_mutex_lock(&s->clock);
    s->last_beat = now;
    s->page_seen = true;
    s->bye_at = 0;
    if (action)
        s->last_action = now;
    pthread_mutex_unlock(&s->clock);
}

static void add_headers(struct MHD_Response *resp, const char *type)
{
    /* not on the PDF: browsers' PDF viewers are refused by object-src
     * 'none' on the document itself (nosniff keeps it a PDF) */
    if (type == NULL || strcmp(type, "application/pdf") != 0)
        MHD_add_response_header(resp, "Content-Security-Policy", WIN_CSP);
    else
        MHD_add_response_header(resp, "Content-Disposition", "inline; filename=\"request.pdf\"");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
}

static enum MHD_Result send_reply(struct MHD_Connection *c, win_reply *r, const char *cookie)
{
    struct MHD_Response *resp = NULL;
    enum MHD_Result ret;

    if (r->has_fd) {
        resp = MHD_create_response_from_fd(r->fd_size, r->fd);
        if (resp == NULL)
            close(r->fd);
        r->has_fd = false;
        if (resp == NULL)
            return MHD_NO;
    }
    if (resp == NULL)
        resp = MHD_create_response_from_buffer(
            r->len, r->body, r->is_static ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_COPY);
    if (!r->is_static)
        free(r->body); /* MHD_RESPMEM_MUST_COPY: it has its copy */
    r->body = NULL;
    if (resp == NULL)
        return MHD_NO;
    add_headers(resp, r->type);
    if (r->type != NULL)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->type);
    if (cookie != NULL)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, cookie);
    ret = MHD_queue_response(c, r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, const char *msg)
{
    win_reply r;
    memset(&r, 0, sizeof(r));
    win_reply_error(&r, status, msg);
    return send_reply(c, &r, NULL);
}

static bool token_is(const win_server *s, const char *v)
{
    return v != NULL && strlen(v) == WIN_TOKEN_HEX &&
           CRYPTO_memcmp(v, s->token, WIN_TOKEN_HEX) == 0;
}

/* "127.0.0.1:PORT" or "localhost:PORT" (any case), nothing else: a page
 * that reaches the port under another name (DNS rebinding) is refused. */
static bool host_ok(const win_server *s, const char *host)
{
    char a[32], b[32];
    if (host == NULL)
        return false;
    snprintf(a, sizeof(a), "127.0.0.1:%u", s->port);
    snprintf(b, sizeof(b), "localhost:%u", s->port);
    return strcmp(host, a) == 0 || strcasecmp(host, b) == 0;
}

static bool origin_ok(const win_server *s, const char *origin)
{
    char a[40], b[40];
    snprintf(a, sizeof(a), "http://127.0.0.1:%u", s->port);
    snprintf(b, sizeof(b), "http://localhost:%u", s->port);
    return strcmp(origin, a) == 0 || strcmp(origin, b) == 0;
}

static const char *header(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

static const char *arg(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
}

static void cookie_name(const win_server *s, char *buf, size_t size)
{
    snprintf(buf, size, "idpack-%u", s->port);
}

/* The gate: 0 when the request may go on, else the status to refuse it
 * with and *why. */
static unsigned gate(win_server *s, struct MHD_Connection *c, const char *url, const char *method,
                     bool *write, const char **why)
{
    const char *mode = header(c, "Sec-Fetch-Mode"), *dest = header(c, "Sec-Fetch-Dest");
    /* a top-level navigation to the page */
    const bool entry = strcmp(url, "/") == 0 && (mode == NULL || strcmp(mode, "navigate") == 0) &&
                       (dest == NULL || strcmp(dest, "document") == 0);
    const char *site = header(c, "Sec-Fetch-Site"), *origin = header(c, "Origin");
    char cname[32];
    bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;

    *write = strcmp(method, "POST") == 0;
    if (!host_ok(s, header(c, MHD_HTTP_HEADER_HOST))) {
        *why = "wrong Host: use the address idpack window printed";
        return MHD_HTTP_MISDIRECTED_REQUEST;
    }
    if (!get && !*write) {
        *why = "method not allowed";
        return MHD_HTTP_METHOD_NOT_ALLOWED;
    }
    /* a request another site (or another port of this machine) made;
     * but the page itself may be opened from elsewhere (the launch file
     * in the private folder, a link) when the address carries the secret */
    if (site != NULL && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0 &&
        !(get && entry && token_is(s, arg(c, "token")))) {
        *why = "cross-origin request refused";
        return MHD_HTTP_FORBIDDEN;
    }
    if (origin != NULL && !origin_ok(s, origin) && (*write || strcmp(origin, "null") != 0)) {
        *why = "cross-origin request refused";
        return MHD_HTTP_FORBIDDEN;
    }
    if (token_is(s, arg(c, "token")) || token_is(s, header(c, "X-Idpack-Token")))
        return 0;
    cookie_name(s, cname, sizeof(cname));
    /* the cookie alone never allows a write: a page of another port of
     * this machine is "same-site" and its requests would carry it */
    if (!*write && token_is(s, MHD_lookup_connection_value(c, MHD_COOKIE_KIND, cname)))
        return 0;
    *why = "this address lacks the secret of this run: open the address idpack window printed";
    return MHD_HTTP_FORBIDDEN;
}

static const window_asset *find_asset(const char *url)
{
    if (strcmp(url, "/") == 0)
        url = "/index.html";
    for (unsigned i = 0; i < window_n_assets; i++)
        if (strcmp(url, window_assets[i].path) == 0)
            return &window_assets[i];
    return NULL;
}

static enum MHD_Result serve_asset(win_server *s, struct MHD_Connection *c, const window_asset *a)
{
    win_reply r;
    char cookie[160], cname[32];
    bool page = strcmp(a->path, "/index.html") == 0;

    memset(&r, 0, sizeof(r));
    r.status = MHD_HTTP_OK;
    r.type = a->type;
    r.body = (char *)(uintptr_t)a->data;
    r.len = a->size;
    r.is_static = true;
    if (page) {
        /* the secret as a cookie, so that the page's own files and images
         * load without it in their addresses */
        cookie_name(s, cname, sizeof(cname));
        snprintf(cookie, sizeof(cookie), "%s=%s; Path=/; HttpOnly; SameSite=Strict", cname,
                 s->token);
        win_touch(s, true);
    }
    return send_reply(c, &r, page ? cookie : NULL);
}

static bool is_upload(const char *url)
{
    return strcmp(url, "/api/photo") == 0;
}

static int side_of(const char *v)
{
    if (v == NULL)
        return -1;
    if (strcmp(v, "front") == 0)
        return 0;
    if (strcmp(v, "back") == 0)
        return 1;
    return -1;
}

/* The first call of a request: headers only. */
static enum MHD_Result begin(win_server *s, struct MHD_Connection *c, const char *url,
                             const char *method, void **req_cls)
{
    const char *why = NULL, *cl;
    bool write;
    unsigned st = gate(s, c, url, method, &write, &why);
    win_req *rq;
    uint64_t limit;

    if (st != 0)
        return send_error(c, st, why);
    if (!write) {
        const window_asset *a = find_asset(url);
        if (a != NULL)
            return serve_asset(s, c, a);
        if (strncmp(url, "/api/", 5) != 0)
            return send_error(c, MHD_HTTP_NOT_FOUND, "not found");
    } else if (strncmp(url, "/api/", 5) != 0) {
        return send_error(c, MHD_HTTP_NOT_FOUND, "not found");
    }
    rq = calloc(1, sizeof(*rq));
    if (rq == NULL)
        return MHD_NO;
    rq->fd = -1;
    rq->kind = !write ? REQ_GET : is_upload(url) ? REQ_UPLOAD : REQ_JSON;
    limit = rq->kind == REQ_UPLOAD ? s->o.max_upload : WIN_MAX_BODY;
    cl = header(c, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (write && cl != NULL) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(cl, &end, 10);
        if (errno != 0 || *end != '\0' || n > limit) {
            free(rq);
            return send_error(c, MHD_HTTP_CONTENT_TOO_LARGE,
                              "too large: a photo may be up to the limit idpack window states");
        }
    }
    if (rq->kind == REQ_UPLOAD) {
        bool full;
        if (side_of(arg(c, "side")) < 0) {
            free(rq);
            return send_error(c, MHD_HTTP_BAD_REQUEST, "side must be front or back");
        }
        pthread_mutex_lock(&s->lock);
        full = s->n_uploads >= s->o.max_uploads;
        if (!full)
            rq->fd = win_store_new_upload(s, rq->path, sizeof(rq->path));
        pthread_mutex_unlock(&s->lock);
        if (full) {
            free(rq);
            return send_error(c, MHD_HTTP_TOO_MANY_REQUESTS,
                              "too many photos sent in this run: restart idpack window");
        }
        if (rq->fd < 0) {
            free(rq);
            return send_error(c, MHD_HTTP_INSUFFICIENT_STORAGE, "cannot store the photo");
        }
    }
    *req_cls = rq;
    return MHD_YES;
}

/* A piece of the body. */
static void take(win_server *s, win_req *rq, const char *data, size_t n)
{
    uint64_t limit = rq->kind == REQ_UPLOAD ? s->o.max_upload : WIN_MAX_BODY;

    if (rq->status != 0)
        return; /* already refused: the rest is read and dropped */
    if (rq->kind == REQ_GET || n > limit - rq->got) {
        rq->status = MHD_HTTP_CONTENT_TOO_LARGE;
        return;
    }
    rq->got += n;
    if (rq->kind == REQ_UPLOAD) {
        while (n > 0) {
            ssize_t w = write(rq->fd, data, n);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                rq->status = MHD_HTTP_INSUFFICIENT_STORAGE;
                return;
            }
            data += w;
            n -= (size_t)w;
        }
        return;
    }
    char *grown = realloc(rq->body, rq->len + n + 1);
    if (grown == NULL) {
        rq->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
        return;
    }
    rq->body = grown;
    memcpy(rq->body + rq->len, data, n);
    rq->len += n;
    rq->body[rq->len] = '\0';
}

static char empty[] = "";

static enum MHD_Result finish(win_server *s, struct MHD_Connection *c, const char *url,
                              const char *method, win_req *rq)
{
    win_reply r;
    const char *lang = win_lang(s, arg(c, "lang"), header(c, "Accept-Language"));
    bool beat = strcmp(url, "/api/ping") == 0;

    if (rq->status == MHD_HTTP_CONTENT_TOO_LARGE)
        return send_error(c, MHD_HTTP_CONTENT_TOO_LARGE,
                          "too large: a photo may be up to the limit idpack window states");
    if (rq->status != 0)
        return send_error(c, (unsigned)rq->status, "cannot take this request");
    win_touch(s, !beat);
    memset(&r, 0, sizeof(r));
    if (strcmp(url, "/api/bye") == 0) {
        pthread_mutex_lock(&s->clock);
        s->bye_at = time(NULL);
        pthread_mutex_unlock(&s->clock);
        r.status = MHD_HTTP_NO_CONTENT;
        r.is_static = true;
        r.body = empty;
        return send_reply(c, &r, NULL);
    }
    if (beat) {
        r.status = MHD_HTTP_NO_CONTENT;
        r.is_static = true;
        r.body = empty;
        return send_reply(c, &r, NULL);
    }
    pthread_mutex_lock(&s->lock);
    if (rq->kind == REQ_UPLOAD) {
        const char *name = arg(c, "name");
        close(rq->fd);
        rq->fd = -1;
        s->n_uploads++; /* photos taken, not refused attempts */
        win_store_photo(s, side_of(arg(c, "side")), rq->path, name != NULL ? name : "");
        rq->path[0] = '\0'; /* kept (renamed) or removed by the store */
        win_api(s, "GET", "/api/state", lang, NULL, NULL, NULL, 0, &r);
    } else {
        win_api(s, method, url, lang, arg(c, "side"), arg(c, "what"), rq->body, rq->len, &r);
    }
    pthread_mutex_unlock(&s->lock);
    return send_reply(c, &r, NULL);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **req_cls)
{
    win_server *s = cls;
    win_req *rq = *req_cls;

    (void)version;
    if (rq == NULL)
        return begin(s, c, url, method, req_cls);
    if (*upload_size > 0) {
        take(s, rq, upload_data, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    return finish(s, c, url, method, rq);
}

static void on_done(void *cls, struct MHD_Connection *c, void **req_cls,
                    enum MHD_RequestTerminationCode toe)
{
    win_req *rq = *req_cls;

    (void)cls;
    (void)c;
    (void)toe;
    if (rq == NULL)
        return;
    if (rq->fd >= 0)
        close(rq->fd);
    if (rq->path[0] != '\0')
        unlink(rq->path);
    free(rq->body);
    free(rq);
    *req_cls = NULL;
}

struct MHD_Daemon *win_http_start(win_server *s)
{
    struct sockaddr_in sin;
    struct MHD_Daemon *d;
    const union MHD_DaemonInfo *info;

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons(0); /* a free port */
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    d = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
                         on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
                         MHD_OPTION_THREAD_POOL_SIZE, (unsigned)4, MHD_OPTION_CONNECTION_LIMIT,
                         (unsigned)64, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
                         MHD_OPTION_NOTIFY_COMPLETED, on_done, s, MHD_OPTION_END);
    if (d == NULL)
        return NULL;
    info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    if (info == NULL || info->port == 0) {
        MHD_stop_daemon(d);
        return NULL;
    }
    s->port = info->port;
    return d;
}
