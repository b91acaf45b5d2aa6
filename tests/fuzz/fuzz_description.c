/*
 * Fuzz target: normalize_description() and mentions_past_time() over a
 * NUL-terminated copy of the input.
 *
 * Checked: an accepted description comes out made only of [A-Za-z0-9_.~-],
 * no longer than it went in, with no '_' that a whitespace run made at
 * either end, and normalising it again changes nothing; a refused one
 * leaves a reason.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "params.h"

static const char allowed[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.~-";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	char err[256] = "", err2[256] = "";
	char *out, *again;
	size_t len;

	out = normalize_description(s, err, sizeof(err));
	if (out == NULL) {
		if (err[0] == '\0')
			fuzz_fail("refused without a reason", s, strlen(s));
	} else {
		len = strlen(out);
		if (strspn(out, allowed) != len)
			fuzz_fail("a character outside [A-Za-z0-9_.~-]", out, len);
		if (len > strlen(s))
			fuzz_fail("output longer than input", out, len);
		if (len && ((out[0] == '_' && s[strspn(s, " \t\n\r\v\f")] != '_') ||
		    (out[len - 1] == '_' && strrchr(s, '_') == NULL)))
			fuzz_fail("an '_' made of leading or trailing space", out,
			    len);
		again = normalize_description(out, err2, sizeof(err2));
		if (again == NULL || strcmp(again, out) != 0)
			fuzz_fail("normalising twice changes it", out, len);
		free(again);
		free(out);
	}
	(void)mentions_past_time(s);
	free(s);
	return 0;
}
