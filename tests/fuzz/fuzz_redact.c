/*
 * Fuzz target: redact() and strip_ansi() over any bytes.
 *
 * Checked: the output is shown-safe (fuzz.h: no "LTAI" followed by eight
 * or more letters or digits, no control character but newline and tab,
 * valid UTF-8); the keys of a signed request keep no value; redacting twice gives what redacting once gave; the
 * output of redact_str() on a C string is redact() of the same bytes;
 * strip_ansi() never grows its input and keeps it NUL-terminated.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "redact.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *once, *twice, *copy, *viastr;
	size_t n;

	once = redact((const char *)data, size);
	fuzz_check_shown("redact()", once, strlen(once));
	fuzz_check_signed_keys(once);
	twice = redact_str(once);
	if (strcmp(once, twice) != 0) {
		fprintf(stderr, "fuzz: redact() is not idempotent\n");
		fuzz_fail("once", once, strlen(once));
	}

	copy = fuzz_cstr(data, size);
	viastr = redact_str(copy);
	if (memchr(data, '\0', size) == NULL && strcmp(viastr, once) != 0)
		fuzz_fail("redact_str() differs from redact()", viastr,
		    strlen(viastr));

	n = strip_ansi(copy, size);
	if (n > size || copy[n] != '\0')
		abort();

	free(viastr);
	free(copy);
	free(twice);
	free(once);
	return 0;
}
