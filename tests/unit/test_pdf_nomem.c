/* idp_pdf under memory pressure: when an allocation inside libharu fails,
 * the error says "out of memory" (IDP_E_NOMEM), never a libharu code. Each
 * attempt runs in a child process whose address space is capped a little
 * above what it already uses (setrlimit RLIMIT_AS), at several margins, so
 * that the allocations fail at different points of the build; a crash in
 * any of them fails the test. Skipped under AddressSanitizer, which
 * reserves terabytes of address space. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <fontconfig/fontconfig.h>
#include <jpeglib.h>

#include "idp_font.h"
#include "idp_pdf.h"
#include "testutil.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* The address space in use, in bytes (/proc/self/statm, first field). */
/* Grows this process's stack by 1 MiB now, so that under the address-space
 * cap below a deeper call (zlib, FreeType) does not fault on a stack page
 * the kernel cannot map: that SIGSEGV would be the test's, not libharu's. */
static void __attribute__((noinline)) grow_stack(void)
{
    volatile char pad[1 << 20];
    for (size_t i = 0; i < sizeof(pad); i += 4096)
        pad[i] = 0;
}

static rlim_t vm_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;

    assert_non_null(f);
    assert_int_equal(fscanf(f, "%lu", &pages), 1);
    fclose(f);
    return (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE);
}

static void test_libharu_out_of_memory(void **state)
{
    static const double margins_mb[] = {0.25, 0.5, 1, 1.5, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48};
    char *regular = NULL, *bold = NULL, text[1200], title[] = "Request", lang[] = "en";
    idp_ctx *ctx = NULL;
    idp_block blocks[2] = {{IDP_BLOCK_TITLE, NULL, title}, {IDP_BLOCK_PARAGRAPH, NULL, NULL}};
    idp_letter letter;
    idp_pdf_opts o;
    idp_pdf_image im;
    size_t jlen, n_nomem = 0, n_ok = 0;
    uint8_t *jpeg;

    (void)state;
#ifdef UNDER_ASAN
    skip();
#endif
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(idp_font_find(ctx, "DejaVu Sans", 0, &regular), IDP_OK);
    assert_int_equal(idp_font_find(ctx, "DejaVu Sans", 1, &bold), IDP_OK);
    memset(text, 'a', sizeof(text) - 1);
    for (size_t i = 7; i < sizeof(text) - 1; i += 8)
        text[i] = ' ';
    text[sizeof(text) - 1] = '\0';
    blocks[1].text = text;
    memset(&letter, 0, sizeof(letter));
    letter.title = title;
    letter.lang = lang;
    letter.blocks = blocks;
    letter.n_blocks = 2;
    memset(&o, 0, sizeof(o));
    o.paper = IDP_PAPER_A4;
    o.font_path = regular;
    o.bold_font_path = bold;
    o.title = "Request";
    o.producer = "idpack test";
    o.created = 1795680000;
    o.reference = "IDP-7KQ2-9XHF";
    jpeg = tu_make_jpeg(1200, 800, TU_JPEG_NOISE, 75, &jlen);
    im = (idp_pdf_image){jpeg, jlen, 1200, 800, "Front", 85.6};

    for (size_t m = 0; m < sizeof(margins_mb) / sizeof(margins_mb[0]); m++) {
        int fds[2], wstatus = 0;
        char buf[1100] = "";
        ssize_t got;
        pid_t pid;

        assert_int_equal(pipe(fds), 0);
        fflush(NULL);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            struct rlimit rl;
            uint8_t *pdf = NULL;
            size_t len = 0;
            idp_status st;
            char line[1100];

            close(fds[0]);
            grow_stack();
            rl.rlim_cur = rl.rlim_max = vm_bytes() + (rlim_t)(margins_mb[m] * 1048576.0);
            if (setrlimit(RLIMIT_AS, &rl) != 0)
                _exit(3);
            st = idp_pdf_build(ctx, &o, &letter, &im, 1, &pdf, &len);
            snprintf(line, sizeof(line), "%d %s", (int)st, st == IDP_OK ? "" : idp_ctx_error(ctx));
            if (write(fds[1], line, strlen(line)) < 0)
                _exit(4);
            _exit(0);
        }
        close(fds[1]);
        got = read(fds[0], buf, sizeof(buf) - 1);
        close(fds[0]);
        assert_int_equal(waitpid(pid, &wstatus, 0), pid);
        if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0)
            fail_msg("margin %.2f MB: the build crashed or died (status 0x%x)", margins_mb[m],
                     (unsigned)wstatus);
        buf[got > 0 ? got : 0] = '\0';
        print_message("margin %5.2f MB: %s\n", margins_mb[m], buf);
        if (strstr(buf, "libharu error") != NULL && strstr(buf, "0x1015") != NULL)
            fail_msg("an allocation failure in libharu said as its code: %s", buf);
        if (atoi(buf) == IDP_E_NOMEM && strstr(buf, "PDF: out of memory") != NULL)
            n_nomem++;
        if (atoi(buf) == IDP_OK)
            n_ok++;
    }
    /* Some margin must have made libharu itself run out, and the largest
     * must be enough. */
    assert_true(n_nomem >= 1);
    assert_true(n_ok >= 1);
    free(jpeg);
    free(regular);
    free(bold);
    idp_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_libharu_out_of_memory),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    FcFini();
    return failed;
}
