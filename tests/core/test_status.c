/* test_status.c: error messages are one printable line whatever the names they quote hold. */
#include "core/status.h"

#include "tests/testutil.h"

Test(status, messages_are_one_line)
{
    const char name[] = "two\nlines\r\tand\x1b[31m";
    pl_err(PL_EPARSE, "in.pb.txt:3: node '%s' unknown", name);
    cr_assert_str_eq(pl_errmsg(), "in.pb.txt:3: node 'two?lines??and?[31m' unknown");
    pl_err(PL_EINVAL, "eval: --canvas wants WxH in µm, not 'x'");
    cr_assert(strstr(pl_errmsg(), "µm"), "UTF-8 text is kept: %s", pl_errmsg());
}

Test(status, printable_names_are_escaped_and_shortened)
{
    char buf[16];
    cr_assert_str_eq(pl_err_printable(buf, sizeof buf, "a\nb\x7f\xc3\xa9", 6), "a?b???");
    cr_assert_str_eq(pl_err_printable(buf, sizeof buf, "0123456789abcdefXYZ", 19), "0123456789ab...");
    cr_assert_str_eq(pl_err_printable(buf, sizeof buf, "0123456789ab", 12), "0123456789ab");
    const char *a = pl_err_name("x\ny", 3), *b = pl_err_name("p\tq", 3);
    cr_assert_str_eq(a, "x?y", "the ring keeps earlier names");
    cr_assert_str_eq(b, "p?q");
    const char nul[3] = {'a', 0, 'b'};
    cr_assert_str_eq(pl_err_name(nul, 3), "a?b");
}
