/* test_lexer.c: the LEF/DEF tokenizer on its own: token boundaries (';' split, quoted strings,
 * '#' comments), line numbers of tokens and of errors, numbers and integers, skipping statements and
 * blocks, the printable form of odd tokens in messages, end of input, empty input and very long
 * tokens. Every buffer is NUL-terminated, as the header asks, unless a case says otherwise. */
#include <math.h>

#include "core/rng.h"
#include "parsers/lexer.h"
#include "tests/testutil.h"

static void lex(pl_lexer *lx, const char *s) { pl_lex_init(lx, "in.lef", s, strlen(s)); }

/* Reads the next token and checks its text, quoting and line. */
static void next_is(pl_lexer *lx, const char *want, int quoted, int line)
{
    cr_assert_eq(pl_lex_next(lx), 1, "expected '%s', got end of input", want);
    cr_assert_eq(lx->len, strlen(want), "token '%.*s' vs '%s'", (int)lx->len, lx->tok, want);
    cr_assert_eq(memcmp(lx->tok, want, lx->len), 0, "token '%.*s' vs '%s'", (int)lx->len, lx->tok, want);
    cr_assert_eq(lx->quoted, quoted, "quoting of '%s'", want);
    cr_assert_eq(lx->tok_line, line, "line of '%s'", want);
}

static void at_end(pl_lexer *lx)
{
    cr_assert_eq(pl_lex_next(lx), 0, "expected end of input, got '%.*s'", (int)lx->len, lx->tok);
    cr_assert_eq(lx->eof, 1);
    cr_assert_eq(lx->len, 0);
    cr_assert_str_eq(lx->tok, "");
}

Test(lexer, empty_and_blank_inputs_end_at_once)
{
    const char *inputs[] = {"", " ", "\n\n\n", "\t\r\n\f\v ", "# only a comment", "# one\n# two\n"};
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        pl_lexer lx;
        lex(&lx, inputs[i]);
        cr_assert_eq(lx.eof, 0, "not at end before the first read");
        at_end(&lx);
        at_end(&lx); /* reading past the end stays at the end */
        cr_assert_str_eq(pl_lex_tokstr(&lx), "end of file");
    }
    pl_lexer lx;
    lex(&lx, "\n\n# c\n\n");
    at_end(&lx);
    cr_assert_eq(lx.line, 5, "the cursor counted every newline");
}

Test(lexer, words_and_semicolons)
{
    pl_lexer lx;
    lex(&lx, "MACRO  ram\tCLASS BLOCK ;\nSIZE 1.5 BY 2;\n  ; a;b ;; x\\; END");
    next_is(&lx, "MACRO", 0, 1);
    cr_assert_eq(pl_lex_offset(&lx), 0);
    next_is(&lx, "ram", 0, 1);
    cr_assert_eq(pl_lex_offset(&lx), 7);
    next_is(&lx, "CLASS", 0, 1);
    next_is(&lx, "BLOCK", 0, 1);
    next_is(&lx, ";", 0, 1);
    next_is(&lx, "SIZE", 0, 2);
    next_is(&lx, "1.5", 0, 2);
    next_is(&lx, "BY", 0, 2);
    next_is(&lx, "2", 0, 2); /* "2;" is split ... */
    next_is(&lx, ";", 0, 2); /* ... into "2" and ";" */
    next_is(&lx, ";", 0, 3);
    next_is(&lx, "a;b", 0, 3);  /* only a trailing ';' is split off */
    next_is(&lx, ";", 0, 3);    /* ";;" is two statements' ends */
    next_is(&lx, ";", 0, 3);
    next_is(&lx, "x\\;", 0, 3); /* an escaped ';' stays in the name */
    next_is(&lx, "END", 0, 3);
    at_end(&lx);
}

Test(lexer, pl_lex_is_is_exact_case_sensitive_and_ignores_quoted_words)
{
    pl_lexer lx;
    lex(&lx, "END \"END\" end ENDX");
    pl_lex_next(&lx);
    cr_assert(pl_lex_is(&lx, "END"));
    cr_assert_not(pl_lex_is(&lx, "EN"));
    cr_assert_not(pl_lex_is(&lx, "ENDX"));
    cr_assert_not(pl_lex_is(&lx, ""));
    pl_lex_next(&lx);
    cr_assert_not(pl_lex_is(&lx, "END"), "a quoted \"END\" is a string, not the keyword");
    pl_lex_next(&lx);
    cr_assert_not(pl_lex_is(&lx, "END"), "case-sensitive");
    cr_assert(pl_lex_is(&lx, "end"));
    pl_lex_next(&lx);
    cr_assert_not(pl_lex_is(&lx, "END"));
    pl_lex_next(&lx);
    cr_assert(pl_lex_is(&lx, ""), "at the end the token is empty");
}

Test(lexer, quoted_strings)
{
    pl_lexer lx;
    lex(&lx, "PROPERTY \"hello world\" \"\" \"a;\" \"say \\\"hi\\\"\" \"# not a comment\" \"two\nlines\" after\n"
             "\"unterminated ; # runs\nto the end");
    next_is(&lx, "PROPERTY", 0, 1);
    next_is(&lx, "hello world", 1, 1);
    next_is(&lx, "", 1, 1); /* an empty string is a token, not the end */
    cr_assert_eq(lx.eof, 0);
    next_is(&lx, "a;", 1, 1); /* no ';' split inside quotes */
    next_is(&lx, "say \\\"hi\\\"", 1, 1); /* escapes are kept as written, the string does not end at \" */
    next_is(&lx, "# not a comment", 1, 1);
    next_is(&lx, "two\nlines", 1, 1); /* the line of a token is where it starts ... */
    next_is(&lx, "after", 0, 2);      /* ... and newlines inside it still count */
    next_is(&lx, "unterminated ; # runs\nto the end", 1, 3);
    at_end(&lx);
    cr_assert_eq(lx.line, 4);
}

Test(lexer, comments_start_only_at_a_token_s_start)
{
    pl_lexer lx;
    lex(&lx, "# header\nA # trailing ; words\nB#C #\n#\n  # indented\nD # at the very end");
    next_is(&lx, "A", 0, 2);
    next_is(&lx, "B#C", 0, 3); /* '#' inside a token is part of it */
    next_is(&lx, "D", 0, 6);
    at_end(&lx);
}

Test(lexer, line_numbers_with_crlf_and_blank_lines)
{
    pl_lexer lx;
    lex(&lx, "A\r\nB\r\n\r\n  C\n\n\nD;\n");
    next_is(&lx, "A", 0, 1);
    next_is(&lx, "B", 0, 2);
    next_is(&lx, "C", 0, 4);
    next_is(&lx, "D", 0, 7);
    next_is(&lx, ";", 0, 7);
    at_end(&lx);
}

Test(lexer, the_length_bounds_the_input_not_the_nul)
{
    /* tokens stop at data + len even where the bytes go on */
    const char *s = "ABC DEF GHI";
    pl_lexer lx;
    pl_lex_init(&lx, "in.def", s, 5);
    next_is(&lx, "ABC", 0, 1);
    next_is(&lx, "D", 0, 1);
    at_end(&lx);
    pl_lex_init(&lx, "in.def", s, 0);
    at_end(&lx);
    /* an unterminated string ends at data + len too */
    pl_lex_init(&lx, "in.def", "\"abc\" tail", 3);
    next_is(&lx, "ab", 1, 1);
    at_end(&lx);
}

Test(lexer, numbers)
{
    static const struct {
        const char *tok;
        double v;
    } ok[] = {
        {"0", 0},       {"42", 42},          {"-3.5", -3.5},      {"+7", 7},           {"0.1", 0.1},
        {".5", 0.5},    {"5.", 5},           {"007", 7},          {"1e3", 1000},       {"-2.5E-2", -0.025},
        {"0.000001", 1e-6}, {"123456789012345", 123456789012345.0}, {"1234567890.12345", 1234567890.12345},
        {"12345678901234567890", 12345678901234567890.0}, {"0.30000000000000004", 0.30000000000000004},
        {"3.14159265358979323846", 3.14159265358979323846},
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        pl_lexer lx;
        lex(&lx, ok[i].tok);
        double v = NAN;
        cr_assert_eq(pl_lex_number(&lx, &v, "a test"), PL_OK, "%s: %s", ok[i].tok, pl_errmsg());
        cr_assert_eq(v, ok[i].v, "%s read as %.17g", ok[i].tok, v);
        cr_assert_eq(v, strtod(ok[i].tok, NULL), "%s: the fast path agrees with strtod to the bit", ok[i].tok);
    }
    pl_lexer lx;
    double v = 0;
    lex(&lx, "-0");
    cr_assert_eq(pl_lex_number(&lx, &v, "x"), PL_OK);
    cr_assert(v == 0 && signbit(v), "-0 keeps its sign");
    static const char *bad[] = {"abc", "-", "+", ".", "-.", "1.2.3", "12abc", "1e", "nan", "inf", "-inf",
                                "1e999", "--1", "\"12\""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        lex(&lx, bad[i]);
        v = 123;
        cr_assert_eq(pl_lex_number(&lx, &v, "ROW step"), PL_EPARSE, "%s is not a number", bad[i]);
        cr_assert_eq(v, 123, "%s: the output is untouched on error", bad[i]);
        cr_assert(strstr(pl_errmsg(), "in.lef:1: expected a number for ROW step, found "), "%s", pl_errmsg());
    }
    /* pl_lex_tok_number looks at the current token without moving */
    lex(&lx, "2.25 x");
    pl_lex_next(&lx);
    cr_assert(pl_lex_tok_number(&lx, &v));
    cr_assert_eq(v, 2.25);
    cr_assert(pl_lex_tok_number(&lx, &v), "still the same token");
    pl_lex_next(&lx);
    cr_assert_not(pl_lex_tok_number(&lx, &v));
}

/* Fast path against strtod on many random plain decimals of up to 15 significant digits. */
Test(lexer, fast_decimals_equal_strtod_bit_for_bit)
{
    pl_rng r;
    pl_rng_seed(&r, 17);
    char buf[64];
    for (int k = 0; k < 20000; k++) {
        int ndig = 1 + (int)pl_rng_below(&r, 15), dot = (int)pl_rng_below(&r, (uint64_t)ndig + 1);
        int n = 0;
        if (pl_rng_below(&r, 2)) buf[n++] = '-';
        for (int i = 0; i < ndig; i++) {
            if (i == dot && i > 0) buf[n++] = '.';
            buf[n++] = (char)('0' + pl_rng_below(&r, 10));
        }
        buf[n] = 0;
        pl_lexer lx;
        lex(&lx, buf);
        double v;
        cr_assert_eq(pl_lex_number(&lx, &v, "x"), PL_OK, "%s", buf);
        cr_assert_eq(v, strtod(buf, NULL), "%s: %.17g vs %.17g", buf, v, strtod(buf, NULL));
    }
}

Test(lexer, integers)
{
    pl_lexer lx;
    int64_t v = 0;
    lex(&lx, "12 -7 1e3 9000000000000000 4.5 9.1e15 x");
    cr_assert_eq(pl_lex_int(&lx, &v, "COMPONENTS count"), PL_OK);
    cr_assert_eq(v, 12);
    cr_assert_eq(pl_lex_int(&lx, &v, "COMPONENTS count"), PL_OK);
    cr_assert_eq(v, -7);
    cr_assert_eq(pl_lex_int(&lx, &v, "COMPONENTS count"), PL_OK);
    cr_assert_eq(v, 1000);
    cr_assert_eq(pl_lex_int(&lx, &v, "COMPONENTS count"), PL_OK);
    cr_assert_eq(v, 9000000000000000);
    v = -1;
    cr_assert_eq(pl_lex_int(&lx, &v, "COMPONENTS count"), PL_EPARSE);
    cr_assert_str_eq(pl_errmsg(), "in.lef:1: expected an integer for COMPONENTS count, found '4.5'");
    cr_assert_eq(v, -1);
    cr_assert_eq(pl_lex_int(&lx, &v, "COMPONENTS count"), PL_EPARSE, "beyond 9e15 is refused");
    cr_assert_eq(pl_lex_int(&lx, &v, "COMPONENTS count"), PL_EPARSE);
    cr_assert_str_eq(pl_errmsg(), "in.lef:1: expected a number for COMPONENTS count, found 'x'");
    cr_assert_eq(pl_lex_int(&lx, &v, "COMPONENTS count"), PL_EPARSE);
    cr_assert_str_eq(pl_errmsg(), "in.lef:1: expected a number for COMPONENTS count, found end of file");
}

Test(lexer, expect_and_error_messages_name_file_and_line)
{
    pl_lexer lx;
    pl_lex_init(&lx, "designs/x.def", "ROW r1\n  core\n 0 0 N ;\n", 23);
    cr_assert_eq(pl_lex_expect(&lx, "ROW", "ROW"), PL_OK);
    cr_assert_eq(pl_lex_expect(&lx, "r1", "ROW"), PL_OK);
    cr_assert_eq(pl_lex_expect(&lx, "DO", "ROW"), PL_EPARSE);
    cr_assert_str_eq(pl_errmsg(), "designs/x.def:2: expected 'DO' in ROW, found 'core'");
    cr_assert_eq(pl_lex_error(&lx, "bad %s %d", "thing", 7), PL_EPARSE);
    cr_assert_str_eq(pl_errmsg(), "designs/x.def:2: bad thing 7", "the line of the current token");
    pl_lex_next(&lx);
    pl_lex_next(&lx);
    cr_assert_eq(pl_lex_error(&lx, "here"), PL_EPARSE);
    cr_assert_str_eq(pl_errmsg(), "designs/x.def:3: here");
    /* at the end, errors name the line the input ended on */
    while (pl_lex_next(&lx)) {
    }
    cr_assert_eq(pl_lex_expect(&lx, "END", "DESIGN"), PL_EPARSE);
    cr_assert_str_eq(pl_errmsg(), "designs/x.def:4: expected 'END' in DESIGN, found end of file");
    pl_lex_init(&lx, "y.lef", "A B", 3);
    while (pl_lex_next(&lx)) {
    }
    cr_assert_eq(pl_lex_error(&lx, "eof"), PL_EPARSE);
    cr_assert_str_eq(pl_errmsg(), "y.lef:1: eof", "no newline at the end: still line 1");
    /* a quoted word does not satisfy expect */
    lex(&lx, "\"BY\"");
    cr_assert_eq(pl_lex_expect(&lx, "BY", "SIZE"), PL_EPARSE);
}

Test(lexer, odd_bytes_are_escaped_in_messages)
{
    pl_lexer lx;
    const char s[] = "ab\x01\x7f\xc3\xa9z\x80 next";
    lex(&lx, s);
    pl_lex_next(&lx);
    cr_assert_eq(lx.len, 8);
    cr_assert_str_eq(pl_lex_tokstr(&lx), "'ab????z?'", "control, DEL and non-ASCII bytes each become '?'");
    cr_assert_eq(pl_lex_expect(&lx, "x", "TEST"), PL_EPARSE);
    cr_assert_str_eq(pl_errmsg(), "in.lef:1: expected 'x' in TEST, found 'next'");
    /* a NUL byte inside the buffer is part of a token, and printed as '?' */
    const char z[] = {'a', '\0', 'b', ' ', 'c', '\0'};
    pl_lex_init(&lx, "z.def", z, 5);
    pl_lex_next(&lx);
    cr_assert_eq(lx.len, 3);
    cr_assert_str_eq(pl_lex_tokstr(&lx), "'a?b'");
    /* quoted strings are printed without their quotes, tabs and newlines escaped */
    lex(&lx, "\"a\tb\nc\"");
    pl_lex_next(&lx);
    cr_assert_str_eq(pl_lex_tokstr(&lx), "'a?b?c'");
    lex(&lx, "\"\"");
    pl_lex_next(&lx);
    cr_assert_str_eq(pl_lex_tokstr(&lx), "''");
}

/* The printable form holds at most 73 bytes of the token; "..." marks a token that was cut. */
Test(lexer, very_long_tokens)
{
    const size_t N = 1 << 20;
    char *s = malloc(N + 8);
    cr_assert_not_null(s);
    for (size_t i = 0; i < N; i++) s[i] = (char)('a' + i % 26);
    memcpy(s + N, "; 12", 5);
    pl_lexer lx;
    pl_lex_init(&lx, "big.def", s, N + 4);
    cr_assert_eq(pl_lex_next(&lx), 1);
    cr_assert_eq(lx.len, N, "a 1 MiB token is one token");
    cr_assert_eq(lx.tok, s);
    const char *p = pl_lex_tokstr(&lx);
    cr_assert_eq(strlen(p), 1 + 73 + 3 + 1, "%s", p);
    cr_assert_eq(strncmp(p + 1, s, 73), 0);
    cr_assert_str_eq(p + 74, "...'");
    double v;
    cr_assert_not(pl_lex_tok_number(&lx, &v));
    cr_assert_eq(pl_lex_error(&lx, "too long: %s", pl_lex_tokstr(&lx)), PL_EPARSE);
    cr_assert(!strncmp(pl_errmsg(), "big.def:1: too long: 'abcdefghij", 32), "%s", pl_errmsg());
    next_is(&lx, ";", 0, 1);
    next_is(&lx, "12", 0, 1);
    at_end(&lx);
    /* a long number (over 64 bytes) is not taken as a number */
    memset(s, '1', 70);
    s[70] = 0;
    pl_lex_init(&lx, "big.def", s, 70);
    cr_assert_eq(pl_lex_number(&lx, &v, "x"), PL_EPARSE);
    /* around the cut: a token is shown whole, without "...", up to 73 bytes */
    for (size_t n = 70; n <= 76; n++) {
        memset(s, 'x', n);
        s[n] = 0;
        pl_lex_init(&lx, "t", s, n);
        pl_lex_next(&lx);
        p = pl_lex_tokstr(&lx);
        int cut = strstr(p, "...") != NULL;
        size_t shown = strspn(p + 1, "x");
        cr_assert_eq(shown, n <= 73 ? n : 73, "%zu bytes: %s", n, p);
        cr_assert_eq(cut, shown < n, "%zu-byte token: '...' iff something was left out: %s", n, p);
    }
    free(s);
}

Test(lexer, skip_statement)
{
    pl_lexer lx;
    lex(&lx, "UNKNOWN a \"b ; c\" 1.5\n 2 ; NEXT");
    pl_lex_next(&lx);
    cr_assert_eq(pl_lex_skip_statement(&lx, "LAYER"), PL_OK);
    cr_assert(pl_lex_is(&lx, ";"));
    cr_assert_eq(lx.tok_line, 2, "a quoted ';' does not end the statement");
    cr_assert_eq(pl_lex_skip_statement(&lx, "LAYER"), PL_OK, "the current token may be the ';'");
    cr_assert(pl_lex_is(&lx, ";"));
    next_is(&lx, "NEXT", 0, 2);
    lex(&lx, "A\nPROPERTY x\ny\n");
    pl_lex_next(&lx);
    pl_lex_next(&lx);
    cr_assert_eq(pl_lex_skip_statement(&lx, "PROPERTY"), PL_EPARSE);
    cr_assert_str_eq(pl_errmsg(),
                     "in.lef:4: unexpected end of file in PROPERTY (statement started at line 2; missing ';'?)");
}

Test(lexer, skip_block)
{
    pl_lexer lx;
    lex(&lx, "PROPERTYDEFINITIONS\n  END x ;\n  END PROPERTY\n  \"END\" PROPERTYDEFINITIONS\nEND PROPERTYDEFINITIONS\nNEXT");
    pl_lex_next(&lx);
    cr_assert_eq(pl_lex_skip_block(&lx, "PROPERTYDEFINITIONS", 19, "PROPERTYDEFINITIONS", 1), PL_OK);
    cr_assert_eq(lx.tok_line, 5, "only an unquoted END followed by the whole name closes the block");
    next_is(&lx, "NEXT", 0, 6);
    /* the name may be given as a token in place (pointer and length) */
    const char *src = "SPACING\n END SPACINGTABLE\n END SPACING\n";
    lex(&lx, src);
    pl_lex_next(&lx);
    cr_assert_eq(pl_lex_skip_block(&lx, lx.tok, lx.len, "SPACING", lx.tok_line), PL_OK);
    cr_assert_eq(lx.tok_line, 3);
    lex(&lx, "\nBEGIN\n a b\n END BEGI\n");
    pl_lex_next(&lx);
    cr_assert_eq(pl_lex_skip_block(&lx, "BEGIN", 5, "the BEGIN block", lx.tok_line), PL_EPARSE);
    cr_assert_str_eq(pl_errmsg(),
                     "in.lef:5: unexpected end of file in the BEGIN block opened at line 2 (missing 'END BEGIN')");
}
