/* Temporaries left by a killed writer: their names (idp_temp_name) and
 * their removal (idp_remove_temporaries): by process id for the cleanup
 * guardian, stale ones only for the next run, never anything else. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_io.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_names(void **state)
{
    long pid = -1;
    (void)state;
    assert_true(idp_temp_name(".pkg.idpack-tmp-1234-Ab12Cd", NULL, &pid));
    assert_int_equal(pid, 1234);
    assert_true(idp_temp_name(".pkg.idpack-tmp-1234-Ab12Cd", "pkg", &pid));
    assert_false(idp_temp_name(".pkg.idpack-tmp-1234-Ab12Cd", "pk", &pid));
    assert_false(idp_temp_name(".pkg.idpack-tmp-1234-Ab12Cd", "pkg2", &pid));
    assert_true(idp_temp_name(".report.json.idpack-old-77-zzzzzz", "report.json", &pid));
    assert_int_equal(pid, 77);
    /* without a process id (older versions) */
    assert_true(idp_temp_name(".pkg.idpack-tmp-Ab12Cd", "pkg", &pid));
    assert_int_equal(pid, 0);
    /* a target whose name ends in digits */
    assert_true(idp_temp_name(".c-12.idpack-tmp-99-Ab12Cd", "c-12", &pid));
    assert_int_equal(pid, 99);
    /* not temporaries */
    assert_false(idp_temp_name("pkg.idpack-tmp-1234-Ab12Cd", NULL, &pid)); /* not hidden */
    assert_false(idp_temp_name(".pkg.idpack-tmp-notours", NULL, &pid));    /* 7 letters */
    assert_false(idp_temp_name(".pkg.idpack-tmp-12-Ab1", NULL, &pid));     /* too short */
    assert_false(idp_temp_name(".pkg.idpack-tmp-12-Ab.2Cd", NULL, &pid));  /* not alnum */
    assert_false(idp_temp_name(".pkg.idpack-tmp--Ab12Cd", NULL, &pid));    /* empty pid */
    assert_false(idp_temp_name(".pkg.idpack-tmp-0-Ab12Cd", NULL, &pid));   /* pid 0 */
    assert_false(idp_temp_name(".pkg.idpack-new-12-Ab12Cd", NULL, &pid));  /* other mark */
    assert_false(idp_temp_name(".idpack-tmp-12-Ab12Cd", NULL, &pid));      /* no target */
    assert_false(idp_temp_name(".keep.me", NULL, &pid));
}

static void make_dir(const char *dir, const char *name, const char *file)
{
    assert_int_equal(mkdir(tu_path(dir, name), 0700), 0);
    if (file != NULL) {
        FILE *f = fopen(tu_path(tu_path(dir, name), file), "w");
        assert_non_null(f);
        fputs("partial", f);
        assert_int_equal(fclose(f), 0);
    }
}

static int exists(const char *dir, const char *name)
{
    struct stat sb;
    return lstat(tu_path(dir, name), &sb) == 0;
}

static void test_removal(void **state)
{
    char dir[4200], dead[64], live[64], other[64], deep[64], link_name[64], file[64];
    pid_t child;
    int status;
    (void)state;

    snprintf(dir, sizeof(dir), "%s/t", tu_tmpdir());
    assert_int_equal(mkdir(dir, 0700), 0);
    child = fork(); /* a process id that is surely not running any more */
    if (child == 0)
        _exit(0);
    assert_true(child > 0);
    assert_int_equal(waitpid(child, &status, 0), child);
    snprintf(dead, sizeof(dead), ".pkg.idpack-tmp-%ld-Aa11Bb", (long)child);
    snprintf(live, sizeof(live), ".pkg.idpack-tmp-%ld-Cc22Dd", (long)getpid());
    snprintf(other, sizeof(other), ".other.idpack-old-%ld-Ee33Ff", (long)child);
    snprintf(deep, sizeof(deep), ".pkg.idpack-tmp-%ld-Gg44Hh", (long)child);
    snprintf(link_name, sizeof(link_name), ".pkg.idpack-tmp-%ld-Ii55Jj", (long)child);
    snprintf(file, sizeof(file), ".report.json.idpack-tmp-%ld-Kk66Ll", (long)child);
    make_dir(dir, dead, "request.pdf");
    make_dir(dir, live, "request.pdf");
    make_dir(dir, other, NULL);
    make_dir(dir, deep, NULL);
    make_dir(tu_path(dir, deep), "sub", NULL); /* not flat: left alone */
    make_dir(dir, "keep", "x");
    assert_int_equal(symlink(tu_path(dir, "keep"), tu_path(dir, link_name)), 0);
    {
        FILE *f = fopen(tu_path(dir, file), "w");
        assert_non_null(f);
        assert_int_equal(fclose(f), 0);
    }

    /* the next run of "pkg": stale ones of that name only */
    assert_int_equal(idp_remove_temporaries(dir, "pkg", 0), 1);
    assert_false(exists(dir, dead));
    assert_true(exists(dir, live));  /* its process runs: this one */
    assert_true(exists(dir, other)); /* another name */
    assert_true(exists(dir, deep));  /* holds a folder */
    assert_true(exists(dir, link_name) && exists(tu_path(dir, "keep"), "x")); /* a link */
    assert_true(exists(dir, file));
    /* the next batch into the folder: every stale one */
    assert_int_equal(idp_remove_temporaries(dir, NULL, 0), 2);
    assert_false(exists(dir, other));
    assert_false(exists(dir, file));
    assert_true(exists(dir, live));
    /* the guardian of this process: its own, whatever their age */
    assert_int_equal(idp_remove_temporaries(dir, NULL, (long)getpid()), 1);
    assert_false(exists(dir, live));
    assert_true(exists(dir, deep) && exists(dir, link_name) && exists(dir, "keep"));
    /* a folder that does not exist: nothing, no failure */
    assert_int_equal(idp_remove_temporaries(tu_path(dir, "nosuch"), NULL, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_removal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
