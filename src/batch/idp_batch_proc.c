/* The processes a batch builds its rows in: started with fork(), under a
 * time and a memory limit, their results read through a pipe, stopped
 * when they run out of time. Why processes: docs/batch.md. */
#define _GNU_SOURCE /* pipe2() */

#include "idp_batch_int.h"

#include "idp_io.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RESULT_MAX (1u << 20) /* bytes of a row's result from its process */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A column's name, for messages: a known one only (never a cell's text). */
/* ---- A row's process ---- */

/* The limits a row's process runs under. The address-space limit is
 * what the process already maps plus the budget; under AddressSanitizer
 * (which reserves terabytes of address space) only the time limit holds. */
static void row_limits(const idp_batch_opts *o)
{
    struct rlimit rl = {0, 0};

    (void)setrlimit(RLIMIT_CORE, &rl); /* a crash leaves no core with ID photos */
    /* Each malloc arena a decoder's thread gets reserves 64 MiB of address
     * space; two arenas keep the limit about memory actually used. */
    (void)mallopt(M_ARENA_MAX, 2);
#if defined(__SANITIZE_ADDRESS__)
#define IDP_NO_AS_LIMIT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) ||                         \
    __has_feature(thread_sanitizer)
#define IDP_NO_AS_LIMIT 1
#endif
#endif
#ifndef IDP_NO_AS_LIMIT
    if (o->row_bytes > 0) {
        unsigned long pages = 0;
        FILE *f = fopen("/proc/self/statm", "re");
        if (f != NULL) {
            if (fscanf(f, "%lu", &pages) != 1)
                pages = 0;
            fclose(f);
        }
        rl.rlim_cur = rl.rlim_max =
            (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + (rlim_t)o->row_bytes;
        (void)setrlimit(RLIMIT_AS, &rl);
    }
#endif
    if (o->row_seconds > 0) {
        /* a backstop for CPU time; the batch kills on wall-clock time */
        rl.rlim_cur = rl.rlim_max = (rlim_t)o->row_seconds + 3;
        (void)setrlimit(RLIMIT_CPU, &rl);
    }
}

/* limits: the batch context's (the memory budget per photo the tool set) */
static void row_child(batch_run *b, slot *s, int out, pid_t parent, const idp_limits *limits)
{
    batch_row_in in;
    idp_ctx *ctx = NULL;
    char *text;

    (void)prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlives the batch */
    if (getppid() != parent)
        _exit(1);
    (void)signal(SIGPIPE, SIG_DFL);
    row_limits(b->opts);
    memset(&in, 0, sizeof(in));
    in.opts = b->opts;
    in.template_id = b->template_id;
    in.src = s->src;
    in.n_cols = b->n_cols;
    in.col_kind = b->col_kind;
    in.field_keys = b->field_keys;
    in.csv_name = b->csv_name;
    in.csv_dir = b->csv_dir;
    in.abs_out = b->abs_out;
    in.front = s->front;
    in.back = s->back;
    in.front_cell = s->front_cell;
    in.back_cell = s->back_cell;
    in.lang = s->lang;
    in.out_path = s->out_path;
    in.temp_owner = (long)parent;
    if (idp_ctx_create(&ctx) != IDP_OK) {
        batch_row_fail(&s->row, IDP_E_NOMEM, batch_tr(b->opts->default_lang, "out of memory"));
    } else {
        idp_ctx_set_limits(ctx, limits);
        batch_row_build(&in, ctx, &s->row, &s->extra);
    }
    text = batch_row_encode(&s->row, &s->extra);
    if (text != NULL)
        (void)idp_write_fd(out, text, strlen(text));
    _exit(text != NULL ? 0 : 3);
}

idp_status batch_spawn(idp_ctx *ctx, batch_run *b, slot *s)
{
    int p[2];
    pid_t parent = getpid(), pid;

    if (pipe2(p, O_CLOEXEC) != 0)
        return idp_fail(ctx, IDP_E_INTERNAL, "cannot create a pipe: %s", strerror(errno));
    pid = fork();
    if (pid < 0) {
        int e = errno;
        close(p[0]);
        close(p[1]);
        return idp_fail(ctx, e == ENOMEM || e == EAGAIN ? IDP_E_NOMEM : IDP_E_INTERNAL,
                        "cannot start a process for a row: %s", strerror(e));
    }
    if (pid == 0) {
        close(p[0]);
        row_child(b, s, p[1], parent, idp_ctx_limits(ctx));
    }
    close(p[1]);
    s->pid = pid;
    s->fd = p[0];
    s->running = true;
    s->deadline = b->opts->row_seconds > 0 ? now_s() + b->opts->row_seconds : 0;
    b->running++;
    return IDP_OK;
}

/* The row's process has ended (or was killed): its result, or why not. */
static void reap(batch_run *b, slot *s)
{
    const idp_batch_opts *o = b->opts;
    int status = 0;
    char reason[IDP_BATCH_REASON_MAX], name[64];

    close(s->fd);
    s->fd = -1;
    while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
        ;
    s->running = false;
    b->running--;
    s->done = true;
    if (s->killed) {
        snprintf(
            reason, sizeof(reason),
            batch_tr(
                o->default_lang,
                "took longer than the %g seconds a row may take, and was stopped (a photo that "
                "is very slow to read?); resume the batch%s to try it again"),
            o->row_seconds, batch_resume_words(o, name, sizeof(name)));
        batch_row_fail(&s->row, IDP_E_LIMITS, reason);
    } else if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        snprintf(
            reason, sizeof(reason),
            batch_tr(
                o->default_lang,
                "the row's process was stopped by signal %d (%s) while building it%s; the other "
                "rows went on; resume the batch%s to try it again"),
            sig, strsignal(sig),
            sig == SIGXCPU || sig == SIGKILL
                ? batch_tr(o->default_lang, ": over the time or memory limit of a row")
                : ": a damaged or hostile photo?",
            batch_resume_words(o, name, sizeof(name)));
        batch_row_fail(&s->row, sig == SIGXCPU ? IDP_E_LIMITS : IDP_E_INTERNAL, reason);
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
               !batch_row_decode(s->buf != NULL ? s->buf : "", s->len, &s->row, &s->extra)) {
        snprintf(reason, sizeof(reason),
                 batch_tr(o->default_lang, "the row's process gave no result (internal error); "
                                           "resume the batch%s to try it again"),
                 batch_resume_words(o, name, sizeof(name)));
        batch_row_fail(&s->row, IDP_E_INTERNAL, reason);
    } else if (s->row.status == IDP_ROW_FAILED && s->row.error == IDP_E_NOMEM && o->row_bytes > 0) {
        snprintf(
            reason, sizeof(reason),
            batch_tr(o->default_lang,
                     "needs more memory than the %llu MiB a row may use (%s); resume the batch%s "
                     "with a higher limit to try it again"),
            (unsigned long long)(o->row_bytes >> 20),
            s->row.n_reasons > 0 ? s->row.reasons[0] : batch_tr(o->default_lang, "out of memory"),
            batch_resume_words(o, name, sizeof(name)));
        for (size_t k = 0; k < s->row.n_reasons; k++)
            free(s->row.reasons[k]);
        s->row.n_reasons = 0;
        batch_row_fail(&s->row, IDP_E_LIMITS, reason);
    }
    /* a killed process leaves its temporary folder (named after the batch) */
    if (s->killed || WIFSIGNALED(status))
        (void)idp_remove_temporaries(b->abs_out, s->row.package, (long)getpid());
    free(s->buf);
    s->buf = NULL;
    s->len = s->cap = 0;
}

/* Reads what the process wrote; true at its end. */
static bool drain(slot *s)
{
    for (;;) {
        ssize_t n;
        if (s->len == s->cap) {
            size_t cap = s->cap ? s->cap * 2 : 4096;
            char *p;
            if (cap > RESULT_MAX)
                return true; /* too much: treated as no result */
            p = realloc(s->buf, cap + 1);
            if (p == NULL)
                return true;
            s->buf = p;
            s->cap = cap;
        }
        n = read(s->fd, s->buf + s->len, s->cap - s->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return false;
        if (n <= 0)
            return true;
        s->len += (size_t)n;
        s->buf[s->len] = '\0';
        /* the pipe is blocking: one read per wake-up */
        return false;
    }
}

/* Waits for any running row to say something or run out of time. */
void batch_wait(batch_run *b)
{
    struct pollfd pf[512];
    slot *who[512];
    size_t n = 0;
    double now = now_s(), soonest = 0;
    int timeout = -1;

    for (size_t i = b->head; i < b->tail && n < 512; i++) {
        slot *s = &b->slots[i % b->n_slots];
        if (!s->running)
            continue;
        if (s->deadline > 0 && now >= s->deadline) {
            (void)kill(s->pid, SIGKILL);
            s->killed = true;
            reap(b, s);
            return;
        }
        if (s->deadline > 0 && (soonest == 0 || s->deadline < soonest))
            soonest = s->deadline;
        pf[n] = (struct pollfd){s->fd, POLLIN, 0};
        who[n++] = s;
    }
    if (n == 0)
        return;
    if (soonest > 0)
        timeout = (int)((soonest - now) * 1000.0) + 1;
    if (poll(pf, n, timeout) <= 0)
        return;
    for (size_t k = 0; k < n; k++)
        if ((pf[k].revents & (POLLIN | POLLHUP | POLLERR)) != 0 && drain(who[k]))
            reap(b, who[k]);
}

void batch_kill(batch_run *b, slot *s)
{
    (void)kill(s->pid, SIGKILL);
    s->killed = true;
    reap(b, s);
}
