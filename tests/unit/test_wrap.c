/*
 * Word wrapping (wrap.h): where lines break, what they keep, how columns
 * are counted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "wrap.h"

/* wrap_put() of s into a string; owned. */
static char *
wrapped(const char *s, int width, int col, const char *indent)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	wrap_put(f, s, strlen(s), width, col, indent);
	fclose(f);
	return out;
}

static void
check(const char *s, int width, int col, const char *indent, const char *want)
{
	char *got = wrapped(s, width, col, indent);

	CHECK_STR(got, want);
	free(got);
}

static void
test_wrap_plain(void)
{
	check("", 10, 0, "", "");
	check("", 10, 4, "  ", "");
	/* Exactly the width stays on one line; one more column breaks. */
	check("aaaa bbbbb", 10, 0, "", "aaaa bbbbb");
	check("aaaa bbbbbb", 10, 0, "", "aaaa\nbbbbbb");
	/* The lead counts; continuation lines get the indent. */
	check("aa bb cc dd", 9, 4, "  ", "aa bb\n  cc dd");
	/* A run of spaces is kept inside a line, dropped at a break. */
	check("a  b   cccccc", 6, 0, "", "a  b\ncccccc");
	/* Width 0: nothing broken, own lines indented as before. */
	check("a long line that goes on and on", 0, 0, "  ",
	    "a long line that goes on and on");
	check("one\ntwo  \n", 0, 2, "  ", "one\n  two  \n");
	/* Trailing spaces are dropped only when they would pass the width. */
	check("abc  ", 5, 0, "", "abc  ");
	check("abc   ", 5, 0, "", "abc");
}

static void
test_wrap_words(void)
{
	/* A word longer than the width: whole, on its own line. */
	check("see https://example.com/a/very/long/path now", 10, 0, "  ",
	    "see\n  https://example.com/a/very/long/path\n  now");
	/* The first word stays after the lead, however wide. */
	check("abcdefghijkl x", 8, 6, "    ", "abcdefghijkl\n    x");
	/* The text's own lines keep their leading spaces. */
	check("list:\n  - one two\n  - three", 9, 0, "",
	    "list:\n  - one\ntwo\n  - three");
	check("[REDACTED] [REDACTED]", 12, 0, "", "[REDACTED]\n[REDACTED]");
}

static void
test_wrap_utf8(void)
{
	/* Columns are characters, not bytes: 5 of them fit in 5. */
	check("\xc3\xa9t\xc3\xa9 caf\xc3\xa9", 8, 0, "",
	    "\xc3\xa9t\xc3\xa9 caf\xc3\xa9");
	check("\xc3\xa9t\xc3\xa9 caf\xc3\xa9", 7, 0, "",
	    "\xc3\xa9t\xc3\xa9\ncaf\xc3\xa9");
	CHECK_INT(wrap_cols("\xe2\x80\xa6", 3), 1);
	/* Wide characters take two columns and may break between them. */
	CHECK_INT(wrap_cols("\xe4\xb8\xad\xe6\x96\x87", 6), 4);
	check("\xe4\xb8\xad\xe6\x96\x87\xe4\xb8\xad\xe6\x96\x87", 5, 0, "",
	    "\xe4\xb8\xad\xe6\x96\x87\n\xe4\xb8\xad\xe6\x96\x87");
	CHECK_INT(wrap_cols("\xf0\x9f\x98\x80", 4), 2);
	/* A stray byte is a character of its own. */
	CHECK_INT(wrap_cols("\x80\x80", 2), 2);
}

#define RED_CRITICAL "\033[1;31m[Critical]\033[0m"

static void
test_wrap_ansi(void)
{
	/* Colour takes no columns and is never split, even at its spaces. */
	CHECK_INT(wrap_cols(RED_CRITICAL, strlen(RED_CRITICAL)), 10);
	CHECK_INT(wrap_cols("\033[ q", 4), 0);
	check("\033[1;31mred\033[0m blue", 8, 0, "",
	    "\033[1;31mred\033[0m blue");
	check("ab \033[ qcd", 3, 0, "", "ab\n\033[ qcd");
	CHECK_INT(wrap_cols("\033]0;title\a", 10), 0);
}

static void
test_wrap_fit(void)
{
	/* Bytes of the characters that fit: never inside a sequence. */
	CHECK_INT(wrap_fit("abcdef", 6, 4), 4);
	CHECK_INT(wrap_fit("abc", 3, 10), 3);
	CHECK_INT(wrap_fit("", 0, 3), 0);
	CHECK_INT(wrap_fit("caf\xc3\xa9s", 6, 4), 5);
	CHECK_INT(wrap_fit("caf\xc3\xa9s", 6, 3), 3);
	/* A wide character that would pass the columns is left out whole. */
	CHECK_INT(wrap_fit("a\xe4\xb8\xad", 4, 2), 1);
	CHECK_INT(wrap_fit("a\xe4\xb8\xad", 4, 3), 4);
	/* Colour is kept with what comes before it, taking no column. */
	CHECK_INT(wrap_fit("ab\033[0mcd", 9, 2), 6);
}

static void
test_wrap_word(void)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct wrap w;

	/* Units placed whole, a space between them, broken between them. */
	fputs("m: ", f);
	wrap_begin(&w, f, 12, 3, "    ");
	wrap_word(&w, "a=1", 3);
	wrap_word(&w, "b=\"x y\"", 7);
	wrap_word(&w, "c=2", 3);
	wrap_end(&w);
	fclose(f);
	CHECK_STR(out, "m: a=1\n    b=\"x y\"\n    c=2");
	free(out);
}

static void
test_wrap_terminal(void)
{
	const char *saved = getenv("COLUMNS");
	char *keep = saved ? strdup(saved) : NULL;
	FILE *f = tmpfile();
	int fd = fileno(f);

	/* Not a terminal: $COLUMNS when sane, else 80. */
	setenv("COLUMNS", "132", 1);
	CHECK_INT(wrap_terminal_width(fd), 132);
	setenv("COLUMNS", "5", 1);
	CHECK_INT(wrap_terminal_width(fd), WRAP_DEFAULT);
	setenv("COLUMNS", "wide", 1);
	CHECK_INT(wrap_terminal_width(fd), WRAP_DEFAULT);
	unsetenv("COLUMNS");
	CHECK_INT(wrap_terminal_width(fd), WRAP_DEFAULT);
	if (keep)
		setenv("COLUMNS", keep, 1);
	free(keep);
	fclose(f);
}

void
test_wrap(void)
{
	test_wrap_plain();
	test_wrap_words();
	test_wrap_utf8();
	test_wrap_ansi();
	test_wrap_fit();
	test_wrap_word();
	test_wrap_terminal();
}
