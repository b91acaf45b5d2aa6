/*
 * Fuzz target: the value parsers of params.c (parse_time, parse_duration,
 * parse_seconds, version_cmp, the check_* validators, product inference)
 * over NUL-terminated copies of the input.  version_cmp() compares the
 * text before the first NUL (or '|') with the text after it.
 *
 * Checked: every accepted value is in its documented range, every refusal
 * leaves a reason, version_cmp() answers -2..1 and is antisymmetric, and a
 * value a check accepts has only the characters it allows.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz.h"
#include "params.h"

/* Latest accepted time: 9999-12-31T23:59:59-23:59. */
#define MAX_TIME (253402300799LL + 23 * 3600 + 59 * 60)

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* A zone with daylight saving time: gaps and overlaps for mktime(). */
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	return 0;
}

static void
refused(const char *what, const char *s, const char *err)
{
	if (err[0] == '\0')
		fuzz_fail(what, s, strlen(s));
}

/* A check that accepted s: no leading '-', only the allowed characters. */
static void
accepted(const char *what, const char *s, const char *extra)
{
	if (s[0] == '-' || s[0] == '\0')
		fuzz_fail(what, s, strlen(s));
	for (const char *p = s; *p; p++)
		if (!(isascii((unsigned char)*p) && (isalnum((unsigned char)*p) ||
		    strchr(extra, *p))))
			fuzz_fail(what, s, strlen(s));
}

static void
checks(const char *s)
{
	char err[256];
	int64_t t;
	double sec;
	enum product p;

	err[0] = '\0';
	if (parse_time(s, &t, err, sizeof(err)) == 0) {
		if (t < 0 || t > MAX_TIME)
			fuzz_fail("parse_time out of range", s, strlen(s));
	} else
		refused("parse_time without a reason", s, err);

	err[0] = '\0';
	if (parse_duration(s, &t, err, sizeof(err)) == 0) {
		if (t < 1 || t > MAX_WINDOW_SECONDS)
			fuzz_fail("parse_duration out of range", s, strlen(s));
	} else
		refused("parse_duration without a reason", s, err);

	err[0] = '\0';
	if (parse_seconds(s, 0, 3600, &sec, err, sizeof(err)) == 0) {
		if (!(sec >= 0 && sec <= 3600))
			fuzz_fail("parse_seconds out of range", s, strlen(s));
	} else
		refused("parse_seconds without a reason", s, err);

	err[0] = '\0';
	if (check_region(s, err, sizeof(err)) == 0)
		accepted("check_region accepted", s, "-");
	else
		refused("check_region without a reason", s, err);
	err[0] = '\0';
	if (check_instance_id(s, err, sizeof(err)) == 0)
		accepted("check_instance_id accepted", s, "-_");
	else
		refused("check_instance_id without a reason", s, err);
	err[0] = '\0';
	if (check_task_id(s, err, sizeof(err)) == 0)
		accepted("check_task_id accepted", s, "-_");
	else
		refused("check_task_id without a reason", s, err);
	err[0] = '\0';
	if (check_profile(s, err, sizeof(err)) == 0)
		accepted("check_profile accepted", s, "-_.");
	else
		refused("check_profile without a reason", s, err);
	err[0] = '\0';
	if (check_uid(s, err, sizeof(err)) == 0) {
		if (strspn(s, "0123456789") != strlen(s) || s[0] == '0' ||
		    strlen(s) > 20)
			fuzz_fail("check_uid accepted", s, strlen(s));
	} else
		refused("check_uid without a reason", s, err);

	p = parse_product(s);
	if (p != PRODUCT_NONE && product_name(p) == NULL)
		abort();
	(void)infer_product(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	const char *a = s, *b;
	char *bar;
	int ab, ba;

	checks(s);

	/* version_cmp(a, b) with a and b cut at the first NUL or '|'. */
	if (strlen(s) < size)
		b = s + strlen(s) + 1;
	else if ((bar = strchr(s, '|')) != NULL) {
		*bar = '\0';
		b = bar + 1;
	} else
		b = "3.3.1";
	ab = version_cmp(a, b);
	ba = version_cmp(b, a);
	if (ab < -2 || ab > 1 || (ab == -2) != (ba == -2) ||
	    (ab != -2 && ab != -ba))
		fuzz_fail("version_cmp", s, size);
	if (ab != -2 && version_cmp(a, a) != 0)
		fuzz_fail("version_cmp(a, a)", a, strlen(a));
	free(s);
	return 0;
}
