/*
 * Widening a run of masked bytes (masking by value, mask_values.c) so that
 * its REDACTED never leaves half an escape (%XX, \\uXXXX, a backslash and
 * what it escapes) or half a UTF-8 character next to it.
 */
#include <stdbool.h>
#include <stddef.h>

#include "mask.h"

static inline bool
is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* Length of the %XX or \uXXXX that starts at s[e], or 0. */
static size_t
escape_len(const char *s, size_t len, size_t e)
{
	if (s[e] == '%')
		return e + 2 < len && is_hex((unsigned char)s[e + 1]) &&
		    is_hex((unsigned char)s[e + 2]) ? 3 : 0;
	if (s[e] == '\\' && e + 5 < len && s[e + 1] == 'u' &&
	    is_hex((unsigned char)s[e + 2]) && is_hex((unsigned char)s[e + 3]) &&
	    is_hex((unsigned char)s[e + 4]) && is_hex((unsigned char)s[e + 5]))
		return 6;
	return 0;
}

static inline bool
is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/* Length of the UTF-8 sequence a lead byte starts, or 0. */
static size_t
lead_len(unsigned char c)
{
	return c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 && c <= 0xef ? 3 :
	    c >= 0xc2 && c <= 0xdf ? 2 : 0;
}

/* Where the UTF-8 character holding the continuation byte s[i] starts. */
static size_t
char_start(const char *s, size_t i)
{
	size_t j = i;

	while (j > 0 && i - j < 3 && is_cont((unsigned char)s[j]))
		j--;
	if (!is_cont((unsigned char)s[j]) &&
	    lead_len((unsigned char)s[j]) > i - j)
		return j;
	return i;
}

/*
 * A run's start moved back to the start of an escape or character.  No
 * run starts right after a backslash: in JSON inside a JSON string, one
 * escape of the inner text is several of the outer ("\\\\", "\\\"",
 * "\\u003c"), and the whole of it goes.
 */
size_t
mask_widen_start(const char *s, size_t len, size_t a)
{
	for (size_t e = a > 5 ? a - 5 : 0; e < a; e++) {
		size_t l = escape_len(s, len, e);

		if (l && e + l > a) {
			a = e;
			break;
		}
	}
	while (a > 0 && s[a - 1] == '\\')
		a--;
	if (a < len && is_cont((unsigned char)s[a]))
		return char_start(s, a);
	return a;
}

/*
 * A run's end (exclusive) moved on to the end of an escape or character;
 * a run ending in backslashes takes the rest of them and what they escape.
 */
size_t
mask_widen_end(const char *s, size_t len, size_t b)
{
	size_t best = b, j;

	for (size_t e = b > 5 ? b - 5 : 0; e < b; e++) {
		size_t l = escape_len(s, len, e);

		if (l && e + l > best)
			best = e + l;
	}
	if (best > 0 && s[best - 1] == '\\') {
		while (best < len && s[best] == '\\')
			best++;
		if (best < len)
			best += escape_len(s, len, best - 1) == 6 ? 5 : 1;
	}
	if (best > 0 && best < len && is_cont((unsigned char)s[best]) &&
	    (j = char_start(s, best)) < best) {
		size_t end = j + lead_len((unsigned char)s[j]);

		while (best < len && best < end && is_cont((unsigned char)s[best]))
			best++;
	}
	return best;
}
