/*
 * Where a value after a secret-named key ends, without ever stopping
 * inside an escape: quoted strings of each kind ("...", '...', \"...\"
 * of JSON inside a JSON string, %22...%22 of URL-encoded JSON), unquoted
 * words, the rest of an Authorization line, and JSON arrays and objects
 * with their brackets matched.  Each scan ends where the JSON string the
 * value is in ends, so a replacement keeps the JSON around it valid.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "mask.h"
#include "mask_pattern.h"

/* A byte that can follow a backslash in an escape. */
static inline bool
is_escaped(unsigned char c)
{
	return c > ' ' && c < 0x7f;
}

static inline bool
is_value_char(unsigned char c)
{
	return c > ' ' && c != '&' && c != '"' && c != '\'' && c != ',' &&
	    c != ';' && c != '}' && c != ']' && c != ')' && c != '<' &&
	    c != '>' && c != '\\' && c != 0x7f;
}

/*
 * Whether the quote at s[q] ('"', or the \" of JSON inside a JSON string)
 * looks like the end of a JSON string: what follows it, after white space
 * (also escaped, inside a string), is ',', ':', ']', '}', the end, or after
 * \" a '"'.  In valid JSON, the end of the string a pattern was found in
 * always does.
 */
bool
mask_looks_closing(const char *s, size_t len, size_t q)
{
	bool inner = s[q] == '\\';

	for (size_t i = q + (inner ? 2 : 1); i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		if (inner && c == '\\' && i + 1 < len && (s[i + 1] == 'n' ||
		    s[i + 1] == 't' || s[i + 1] == 'r')) {
			i++;
			continue;
		}
		return c == ',' || c == ':' || c == ']' || c == '}' ||
		    (inner && c == '"');
	}
	return true;
}

/* Whether s[i..) is a \" that looks like the end of a JSON string. */
bool
mask_inner_closing(const char *s, size_t len, size_t i)
{
	return s[i] == '\\' && i + 1 < len && s[i + 1] == '"' &&
	    mask_looks_closing(s, len, i);
}

/* Whether a line ends at s[i]: "\n" or "\r\n" (a lone '\r' does not). */
static inline bool
line_end(const char *s, size_t len, size_t i)
{
	return s[i] == '\n' || (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n');
}

/* Past the escape at s[i] (a backslash and what it escapes), or past s[i]. */
static size_t
step1(const char *s, size_t len, size_t i)
{
	return s[i] == '\\' && i + 1 < len &&
	    is_escaped((unsigned char)s[i + 1]) ? i + 2 : i + 1;
}

/*
 * Past the escape at s[i], or past s[i].  After "\\" what follows is taken
 * too: in JSON inside a JSON string, "\\" is a backslash of the inner text
 * and escapes the next character there ("\\\"" is an inner \", not the
 * end of an inner string), so no scan stops inside an escape of either.
 */
size_t
mask_step(const char *s, size_t len, size_t i)
{
	if (s[i] == '\\' && i + 1 < len && s[i + 1] == '\\') {
		i += 2;
		if (i < len && s[i] != '"' && !line_end(s, len, i))
			i = step1(s, len, i);
		return i;
	}
	return step1(s, len, i);
}

/* Whether s[i..) is "\u003c" or "\u003e" (Go's '<' and '>'); which: 'c'/'e'. */
bool
mask_go_angle(const char *s, size_t len, size_t i, char which)
{
	return len - i >= 6 && s[i] == '\\' && s[i + 1] == 'u' &&
	    s[i + 2] == '0' && s[i + 3] == '0' && s[i + 4] == '3' &&
	    lower((unsigned char)s[i + 5]) == (unsigned char)which;
}

/* The end of a "-quoted value's contents starting at s[c]. */
size_t
mask_scan_dq(const char *s, size_t len, size_t c)
{
	size_t i = c;

	while (i < len && s[i] != '"' && !line_end(s, len, i))
		i = mask_step(s, len, i);
	return i < len ? i : len;
}

/* The end of a '-quoted value's contents. */
size_t
mask_scan_sq(const char *s, size_t len, size_t c)
{
	size_t i = c;

	while (i < len && s[i] != '\'' && !line_end(s, len, i) &&
	    !(s[i] == '"' && mask_looks_closing(s, len, i)) &&
	    !mask_inner_closing(s, len, i))
		i = mask_step(s, len, i);
	return i < len ? i : len;
}

/*
 * The end of a \"-quoted value's contents (JSON inside a JSON string): the
 * next \" that is not escaped in the inner text, or the '"' that ends the
 * outer string.
 */
size_t
mask_scan_bsdq(const char *s, size_t len, size_t c)
{
	size_t i = c;

	while (i < len && s[i] != '"' && !line_end(s, len, i) &&
	    !(s[i] == '\\' && i + 1 < len && s[i + 1] == '"'))
		i = mask_step(s, len, i);
	return i < len ? i : len;
}

/* The end of a %22-quoted value's contents (URL-encoded JSON). */
size_t
mask_scan_pct(const char *s, size_t len, size_t c)
{
	size_t i = c;

	while (i < len && !(len - i >= 3 && s[i] == '%' && s[i + 1] == '2' &&
	    s[i + 2] == '2')) {
		if (s[i] == '[' && len - i >= REDACTED_LEN &&
		    memcmp(s + i, REDACTED, REDACTED_LEN) == 0)
			i += REDACTED_LEN;
		else if (is_value_char((unsigned char)s[i]))
			i++;
		else
			break;
	}
	return i;
}

/* The end of an unquoted value; an earlier REDACTED in it is part of it. */
size_t
mask_scan_word(const char *s, size_t len, size_t c)
{
	size_t i = c;

	while (i < len) {
		if (s[i] == '[' && len - i >= REDACTED_LEN &&
		    memcmp(s + i, REDACTED, REDACTED_LEN) == 0)
			i += REDACTED_LEN;
		else if (is_value_char((unsigned char)s[i]))
			i++;
		else
			break;
	}
	return i;
}

/*
 * The end of an Authorization value: the rest of the line (control
 * characters and all), up to the end of the JSON string it is in (a '"'
 * that looks closing, or an escaped quote or line break).
 */
size_t
mask_scan_line(const char *s, size_t len, size_t c)
{
	size_t i = c;

	while (i < len) {
		unsigned char ch = (unsigned char)s[i];

		if (line_end(s, len, i) || (ch == '"' && mask_looks_closing(s, len, i)))
			break;
		if (ch == '\\' && i + 1 < len && (s[i + 1] == 'n' ||
		    s[i + 1] == 'r' || s[i + 1] == '"'))
			break;
		i = mask_step(s, len, i);
	}
	return i < len ? i : len;
}

/*
 * The end of a JSON array or object starting at s[c], brackets matched and
 * strings skipped.  NEST_JSON: the value of "key": in JSON text; unbalanced,
 * it runs to the end of the text.  NEST_INNER: the value of \"key\": in
 * JSON inside a JSON string, whose strings are \"-quoted; it ends at the
 * latest where the outer string does.  NEST_TEXT: in other text, with
 * strings quoted either way, ending where a '"' looks like the end of the
 * JSON string it is in.
 */
size_t
mask_scan_nested(const char *s, size_t len, size_t c, enum nest mode)
{
	enum { OUT, IN_DQ, IN_BSDQ } st = OUT;
	size_t depth = 0, i = c;

	while (i < len) {
		unsigned char ch = (unsigned char)s[i];

		if (st == IN_DQ) {
			if (ch == '"')
				st = OUT;
			i = ch == '"' ? i + 1 : mask_step(s, len, i);
			continue;
		}
		if (st == IN_BSDQ) {
			if (ch == '"')
				return i;
			if (ch == '\\' && i + 1 < len && s[i + 1] == '"') {
				st = OUT;
				i += 2;
			} else
				i = mask_step(s, len, i);
			continue;
		}
		if (ch == '[' || ch == '{')
			depth++;
		else if (ch == ']' || ch == '}') {
			if (--depth == 0)
				return i + 1;
		} else if (ch == '"') {
			if (mode == NEST_INNER || (mode == NEST_TEXT &&
			    mask_looks_closing(s, len, i)))
				return i;
			st = IN_DQ;
		} else if (ch == '\\' && mode != NEST_JSON && i + 1 < len &&
		    s[i + 1] == '"') {
			if (mode == NEST_TEXT && mask_looks_closing(s, len, i))
				return i;
			st = IN_BSDQ;
			i += 2;
			continue;
		}
		i = mask_step(s, len, i);
	}
	return len;
}

/* Whether s[c..) is the JSON literal true, false or null as a whole word. */
bool
mask_is_literal(const char *s, size_t len, size_t c)
{
	static const struct {
		const char *text;
		size_t len;
	} lits[] = { { "true", 4 }, { "false", 5 }, { "null", 4 } };

	for (size_t k = 0; k < 3; k++) {
		size_t n = lits[k].len;

		if (len - c >= n && memcmp(s + c, lits[k].text, n) == 0 &&
		    (len - c == n || !is_word((unsigned char)s[c + n])))
			return true;
	}
	return false;
}

