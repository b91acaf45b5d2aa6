/*
 * The unit-test runner: the check functions of test.h and every group in
 * turn.  The last line is "unit: N passed, N failed"; the exit status is 1
 * when anything failed.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "test.h"

int test_passed, test_failed;

/* Prints s as a C string literal, escaping what a terminal would eat. */
static void
put_quoted(const char *s)
{
	if (s == NULL) {
		fputs("NULL", stderr);
		return;
	}
	fputc('"', stderr);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(stderr, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", stderr);
		else if (*p == '\t')
			fputs("\\t", stderr);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(stderr, "\\x%02x", *p);
		else
			fputc(*p, stderr);
	}
	fputc('"', stderr);
}

static bool
pass(void)
{
	test_passed++;
	return true;
}

bool
test_check(bool ok, const char *file, int line, const char *expr)
{
	if (ok)
		return pass();
	test_failed++;
	fprintf(stderr, "%s:%d: %s: got false, want true\n", file, line, expr);
	return false;
}

bool
test_check_str(const char *got, const char *want, const char *file, int line,
    const char *expr)
{
	if (got == want || (got && want && strcmp(got, want) == 0))
		return pass();
	test_failed++;
	fprintf(stderr, "%s:%d: %s: got ", file, line, expr);
	put_quoted(got);
	fputs(", want ", stderr);
	put_quoted(want);
	fputc('\n', stderr);
	return false;
}

bool
test_check_int(long long got, long long want, const char *file, int line,
    const char *expr)
{
	if (got == want)
		return pass();
	test_failed++;
	fprintf(stderr, "%s:%d: %s: got %lld, want %lld\n", file, line, expr,
	    got, want);
	return false;
}

bool
test_check_dbl(double got, double want, const char *file, int line,
    const char *expr)
{
	if (got == want || (isnan(got) && isnan(want)))
		return pass();
	test_failed++;
	fprintf(stderr, "%s:%d: %s: got %.17g, want %.17g\n", file, line, expr,
	    got, want);
	return false;
}

bool
test_check_has(const char *hay, const char *needle, bool want,
    const char *file, int line, const char *expr)
{
	bool has = hay && strstr(hay, needle) != NULL;

	if (has == want && (hay || !want))
		return pass();
	test_failed++;
	fprintf(stderr, "%s:%d: %s: got ", file, line, expr);
	put_quoted(hay);
	fprintf(stderr, ", want %s ", want ? "a string containing" :
	    "no occurrence of");
	put_quoted(needle);
	fputc('\n', stderr);
	return false;
}

int
main(void)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} groups[] = {
		{ "params", test_params },
		{ "redact", test_redact },
		{ "secrets", test_secrets },
		{ "aliyun", test_aliyun },
		{ "rate", test_rate },
		{ "json", test_json },
		{ "jscan", test_jscan },
		{ "buf", test_buf },
		{ "report", test_report },
		{ "formats", test_formats },
		{ "outcome", test_outcome },
		{ "cli", test_cli },
		{ "history", test_history },
		{ "wrap", test_wrap },
	};

	for (size_t i = 0; i < sizeof(groups) / sizeof(*groups); i++) {
		int before = test_failed;

		groups[i].fn();
		if (test_failed != before)
			fprintf(stderr, "unit: group %s: %d failed\n",
			    groups[i].name, test_failed - before);
	}
	printf("unit: %d passed, %d failed\n", test_passed, test_failed);
	return test_failed ? 1 : 0;
}
