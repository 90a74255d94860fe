/* The clean-up guardian of a batch shard: as tool_guard(), a process that
 * outlives the batch and removes its temporaries once it has ended however
 * it ended, but only those of this shard's packages and reports. Other
 * shards write into the same folder, possibly from other machines or
 * containers whose processes have the same ids: a guardian that removed
 * every temporary of "its" process id could remove theirs. The batch sends
 * the shard's folder names over a socket before it writes anything. */
#define _GNU_SOURCE /* MSG_NOSIGNAL */

#include "tool.h"

#include "idp_batch.h"
#include "idp_util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define NAMES_MAX (16u << 20) /* bytes of names kept (100 000 rows of 80 bytes: 8 MB) */

/* The guardian: reads names (one a line) until the batch has ended, then
 * removes their temporaries made by the batch's process. */
static void guardian(int fd, const char *dir, const char *stem, pid_t parent)
{
    static const int ignored[] = {SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE, SIGTSTP};
    char *buf = malloc(NAMES_MAX + 1);
    size_t len = 0;
    char target[96];

    (void)setpgid(0, 0);
    for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
        (void)signal(ignored[i], SIG_IGN);
    for (;;) {
        char chunk[4096];
        ssize_t r = read(fd, chunk, sizeof(chunk));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break; /* the batch and every process of it have ended */
        if (buf != NULL && len + (size_t)r <= NAMES_MAX) {
            memcpy(buf + len, chunk, (size_t)r);
            len += (size_t)r;
        }
    }
    snprintf(target, sizeof(target), "%s.json", stem);
    (void)idp_remove_temporaries(dir, target, (long)parent);
    snprintf(target, sizeof(target), "%s.csv", stem);
    (void)idp_remove_temporaries(dir, target, (long)parent);
    for (size_t at = 0; buf != NULL && at < len;) {
        char *nl = memchr(buf + at, '\n', len - at);
        if (nl == NULL)
            break; /* a name cut by NAMES_MAX: the next run removes it */
        *nl = '\0';
        if (buf[at] != '\0')
            (void)idp_remove_temporaries(dir, buf + at, (long)parent);
        at = (size_t)(nl - buf) + 1;
    }
    _exit(0);
}

int tool_shard_guard(const char *dir, const char *stem)
{
    int sv[2];
    pid_t parent = getpid(), child;

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return -1; /* no guardian: the shard's next run removes what is stale */
    fflush(stdout);
    fflush(stderr);
    child = fork();
    if (child < 0) {
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    if (child == 0) {
        close(sv[1]);
        guardian(sv[0], dir, stem, parent);
    }
    close(sv[0]);
    return sv[1]; /* stays open, until the batch ends */
}

void tool_shard_guard_name(void *user, const char *name)
{
    int fd = *(const int *)user;
    size_t n = strlen(name);
    char line[IDP_BATCH_NAME_MAX + 2];

    if (fd < 0 || n > IDP_BATCH_NAME_MAX)
        return;
    memcpy(line, name, n);
    line[n++] = '\n';
    for (size_t at = 0; at < n;) {
        ssize_t w = send(fd, line + at, n - at, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return; /* the guardian is gone: the next run cleans up */
        at += (size_t)w;
    }
}
