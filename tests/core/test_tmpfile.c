/* test_tmpfile.c: atomic writes: the temporary beside the destination, its rename, its removal. */
#include "core/tmpfile.h"

#include <dirent.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "tests/testutil.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    fputs(text, f);
    cr_assert_eq(fclose(f), 0);
}

/* Files in dir whose name contains ".tmp.". */
static int count_tmp(const char *dir)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) n += strstr(e->d_name, ".tmp.") != NULL;
    closedir(d);
    return n;
}

typedef struct path_buf {
    char s[512];
} path_buf;

/* dir/name, returned by value so that paths can nest. */
static path_buf path_in(const char *dir, const char *name)
{
    path_buf b;
    cr_assert_lt(snprintf(b.s, sizeof b.s, "%s/%s", dir, name), (int)sizeof b.s);
    return b;
}

Test(tmpfile, finished_write_replaces_the_destination)
{
    const char *dir = pl_test_tmpdir();
    path_buf pb = path_in(dir, "out.txt");
    const char *dst = pb.s;
    put(dst, "old contents\n");
    char *tmp = NULL;
    FILE *fp = NULL;
    cr_assert_eq(pl_tmpfile_open(dst, &tmp, &fp), PL_OK);
    cr_assert_not_null(strstr(tmp, ".tmp."), "temporary %s", tmp);
    cr_assert_eq(strncmp(tmp, dst, strlen(dst)), 0, "temporary %s is not beside %s", tmp, dst);
    fputs("new contents\n", fp);
    cr_assert_str_eq(slurp(dst), "old contents\n", "the destination changed before the rename");
    cr_assert_eq(count_tmp(dir), 1);
    cr_assert_eq(pl_tmpfile_finish(PL_OK, fp, tmp, dst), PL_OK, "%s", pl_errmsg());
    cr_assert_str_eq(slurp(dst), "new contents\n");
    cr_assert_eq(count_tmp(dir), 0);
}

Test(tmpfile, finish_after_the_caller_closed_the_file)
{
    const char *dir = pl_test_tmpdir();
    path_buf pb = path_in(dir, "out.bin");
    const char *dst = pb.s;
    char *tmp = NULL;
    int fd = -1;
    cr_assert_eq(pl_tmpfile_create(dst, &tmp, &fd), PL_OK);
    cr_assert_eq(write(fd, "abc", 3), 3);
    cr_assert_eq(close(fd), 0);
    cr_assert_eq(pl_tmpfile_finish(PL_OK, NULL, tmp, dst), PL_OK, "%s", pl_errmsg());
    cr_assert_str_eq(slurp(dst), "abc");
    cr_assert_eq(count_tmp(dir), 0);
}

Test(tmpfile, failed_status_leaves_the_old_destination)
{
    const char *dir = pl_test_tmpdir();
    path_buf pb = path_in(dir, "keep.txt");
    const char *dst = pb.s;
    put(dst, "keep me\n");
    char *tmp = NULL;
    FILE *fp = NULL;
    cr_assert_eq(pl_tmpfile_open(dst, &tmp, &fp), PL_OK);
    fputs("half a fil", fp);
    pl_status s = pl_err(PL_EPARSE, "in.def:3: something went wrong");
    cr_assert_eq(pl_tmpfile_finish(s, fp, tmp, dst), PL_EPARSE);
    cr_assert_str_eq(pl_errmsg(), "in.def:3: something went wrong", "the caller's message was replaced");
    cr_assert_str_eq(slurp(dst), "keep me\n");
    cr_assert_eq(count_tmp(dir), 0);
}

Test(tmpfile, failed_status_creates_no_destination)
{
    const char *dir = pl_test_tmpdir();
    path_buf pb = path_in(dir, "never.txt");
    const char *dst = pb.s;
    char *tmp = NULL;
    FILE *fp = NULL;
    cr_assert_eq(pl_tmpfile_open(dst, &tmp, &fp), PL_OK);
    fputs("partial", fp);
    cr_assert_eq(pl_tmpfile_finish(PL_ENOMEM, fp, tmp, dst), PL_ENOMEM);
    cr_assert_not(pl_test_exists(dst));
    cr_assert_eq(count_tmp(dir), 0);
}

Test(tmpfile, permissions_are_those_of_a_new_file)
{
    static const mode_t masks[] = {022, 077, 002};
    const char *dir = pl_test_tmpdir();
    for (int i = 0; i < 3; i++) {
        path_buf pb = path_in(dir, i == 0 ? "a" : i == 1 ? "b" : "c");
        const char *dst = pb.s;
        mode_t old = umask(masks[i]);
        char *tmp = NULL;
        FILE *fp = NULL;
        pl_status s = pl_tmpfile_open(dst, &tmp, &fp);
        umask(old);
        cr_assert_eq(s, PL_OK);
        fputs("x", fp);
        cr_assert_eq(pl_tmpfile_finish(PL_OK, fp, tmp, dst), PL_OK);
        struct stat st;
        cr_assert_eq(stat(dst, &st), 0);
        cr_assert_eq(st.st_mode & 0777, 0666 & ~masks[i], "umask %03o: mode %03o", (unsigned)masks[i],
                     (unsigned)(st.st_mode & 0777));
    }
}

/* Opening dst must fail with PL_EIO, name dst, and leave no file. */
static void assert_open_fails(const char *dir, const char *dst)
{
    char *tmp = NULL;
    FILE *fp = NULL;
    cr_assert_eq(pl_tmpfile_open(dst, &tmp, &fp), PL_EIO);
    cr_assert_null(fp);
    cr_assert_not_null(strstr(pl_errmsg(), dst), "message '%s' does not name %s", pl_errmsg(), dst);
    cr_assert_not(pl_test_exists(dst));
    cr_assert_eq(count_tmp(dir), 0);
}

Test(tmpfile, unwritable_folder_names_the_destination)
{
    const char *dir = pl_test_tmpdir();
    /* a folder without write permission (root may write anywhere: then only the next case runs) */
    path_buf ro = path_in(dir, "ro");
    cr_assert_eq(mkdir(ro.s, 0555), 0);
    if (access(ro.s, W_OK) != 0) assert_open_fails(ro.s, path_in(ro.s, "out.def").s);
    chmod(ro.s, 0755);
    /* a "folder" that is a regular file: nobody can create anything in it */
    path_buf file = path_in(dir, "plain");
    put(file.s, "");
    assert_open_fails(dir, path_in(file.s, "out.def").s);
    /* a folder that does not exist */
    assert_open_fails(dir, path_in(dir, "missing/out.def").s);
}

/* ---- output sets: all or nothing, never over an input ---- */

static void put_text(const char *path, const char *text) { put(path, text); }

Test(tmpfile, outset_commits_every_output_together)
{
    const char *dir = pl_test_tmpdir();
    path_buf in = path_in(dir, "in.def"), a = path_in(dir, "a.def.gz"), b = path_in(dir, "b.json");
    put_text(in.s, "input\n");
    put_text(b.s, "old report\n");
    pl_outset os;
    pl_outset_init(&os, "test");
    const char *sa = NULL, *sb = NULL;
    cr_assert_eq(pl_outset_input(&os, in.s, "the design"), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_outset_output(&os, a.s, "-o", &sa), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_outset_output(&os, b.s, "--report", &sb), PL_OK, "%s", pl_errmsg());
    size_t la = strlen(sa);
    cr_assert(la > 9 && !strcmp(sa + la - 9, "/a.def.gz") == 0 && !strcmp(sa + la - 9, ".a.def.gz"),
              "the staging name %s ends in its destination's file name", sa);
    cr_assert(strstr(sa, ".tmp.") && !strncmp(sa, a.s, strlen(a.s)), "staging %s beside %s", sa, a.s);
    put_text(sa, "new def\n");
    put_text(sb, "new report\n");
    cr_assert_str_eq(slurp(b.s), "old report\n", "nothing replaced before the commit");
    cr_assert_not(pl_test_exists(a.s));
    cr_assert_eq(pl_outset_commit(&os), PL_OK, "%s", pl_errmsg());
    pl_outset_free(&os);
    pl_outset_free(&os); /* idempotent */
    cr_assert_str_eq(slurp(a.s), "new def\n");
    cr_assert_str_eq(slurp(b.s), "new report\n");
    cr_assert_eq(count_tmp(dir), 0);
}

Test(tmpfile, outset_without_commit_writes_nothing)
{
    const char *dir = pl_test_tmpdir();
    path_buf a = path_in(dir, "a.def"), b = path_in(dir, "b.json");
    put_text(b.s, "keep\n");
    pl_outset os;
    pl_outset_init(&os, "test");
    const char *sa, *sb;
    cr_assert_eq(pl_outset_output(&os, a.s, "-o", &sa), PL_OK);
    cr_assert_eq(pl_outset_output(&os, b.s, "--report", &sb), PL_OK);
    put_text(sa, "half\n");
    pl_outset_free(&os); /* a failure: nothing committed */
    cr_assert_not(pl_test_exists(a.s));
    cr_assert_str_eq(slurp(b.s), "keep\n");
    cr_assert_eq(count_tmp(dir), 0);
}

Test(tmpfile, outset_an_output_never_written_fails_the_commit)
{
    const char *dir = pl_test_tmpdir();
    path_buf a = path_in(dir, "a.def");
    pl_outset os;
    pl_outset_init(&os, "test");
    const char *sa;
    cr_assert_eq(pl_outset_output(&os, a.s, "-o", &sa), PL_OK);
    cr_assert_eq(pl_outset_commit(&os), PL_EIO);
    cr_assert(strstr(pl_errmsg(), "never written"), "%s", pl_errmsg());
    pl_outset_free(&os);
    cr_assert_not(pl_test_exists(a.s));
}

/* Refused with PL_EINVAL, the message naming both, nothing created. */
static void expect_same(const char *in, const char *out, const char *needle)
{
    pl_outset os;
    pl_outset_init(&os, "test");
    const char *st;
    if (in) cr_assert_eq(pl_outset_input(&os, in, "the design"), PL_OK);
    cr_assert_eq(pl_outset_output(&os, out, "-o", &st), PL_EINVAL, "%s over %s was not refused", out, in);
    cr_assert(strstr(pl_errmsg(), needle), "message '%s' lacks '%s'", pl_errmsg(), needle);
    cr_assert(strncmp(pl_errmsg(), "test: ", 6) == 0, "%s", pl_errmsg());
    pl_outset_free(&os);
}

Test(tmpfile, outset_refuses_an_output_that_is_an_input)
{
    const char *dir = pl_test_tmpdir();
    path_buf in = path_in(dir, "in.def"), sym = path_in(dir, "sym.def"), hard = path_in(dir, "hard.def");
    put_text(in.s, "x\n");
    cr_assert_eq(symlink("in.def", sym.s), 0);
    cr_assert_eq(link(in.s, hard.s), 0);
    char dotted[600];
    snprintf(dotted, sizeof dotted, "%s/./in.def", dir);
    expect_same(in.s, in.s, "is the same file as the design");
    expect_same(in.s, sym.s, "is the same file as the design");
    expect_same(in.s, hard.s, "is the same file as the design");
    expect_same(in.s, dotted, "is the same file as the design");
    expect_same(NULL, dir, "not a regular file");
    /* two outputs the same, and an input declared after the output */
    pl_outset os;
    pl_outset_init(&os, "test");
    const char *s1, *s2;
    path_buf o = path_in(dir, "o.json");
    cr_assert_eq(pl_outset_output(&os, o.s, "-o", &s1), PL_OK);
    cr_assert_eq(pl_outset_output(&os, o.s, "--report", &s2), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "are the same file"), "%s", pl_errmsg());
    pl_outset_free(&os);
    pl_outset_init(&os, "test");
    cr_assert_eq(pl_outset_output(&os, in.s, "-o", &s1), PL_OK); /* the order of declaration does not matter */
    cr_assert_eq(pl_outset_input(&os, hard.s, "the LEF"), PL_EINVAL);
    pl_outset_free(&os);
    cr_assert_str_eq(slurp(in.s), "x\n");
    cr_assert_eq(count_tmp(dir), 0);
}

Test(tmpfile, outset_an_unwritable_folder_fails_at_once)
{
    pl_outset os;
    pl_outset_init(&os, "test");
    const char *st;
    cr_assert_eq(pl_outset_output(&os, "/nonexistent/dir/r.json", "--report", &st), PL_EIO);
    cr_assert(strstr(pl_errmsg(), "test: --report /nonexistent/dir/r.json: cannot write there"), "%s", pl_errmsg());
    cr_assert_eq(pl_outset_output(&os, "/nonexistent/dir/c.ckpt", "-o", NULL), PL_EIO, "the check alone too");
    pl_outset_free(&os);
}
