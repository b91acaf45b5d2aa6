/*
 * Masking: credential material hidden in text about to leave pai-diag,
 * first by value (mask_values.c), then by pattern, here.  aliyun, its
 * plugins and SysOM results relay secrets in many shapes (the signed URL of
 * a network error, URL-encoded inside another URL, Go-escaped JSON, DEBUG
 * request dumps, header lines, XML bodies, configuration dumps), so the
 * patterns are broad: the value after any secret-named key and a separator,
 * the text of an XML element with such a name, anything shaped like an
 * AccessKey id or an STS token.
 *
 * One pass, left to right.  Only a few bytes can start a pattern (the
 * separators '=', ':', "%3D", "%3A", U+FF1A, the 'L' of LTAI, the 'S' of
 * STS., the '>' of a tag); the rest is skipped by a table lookup, and the
 * key (or tag) is read backwards from its separator (or end).  Every scan either ends a short
 * distance away or consumes what it scanned, so the time is linear whatever
 * the text.
 *
 * Replacements never break the syntax around them.  A value ends before the
 * closing quote that ends the JSON string it is in, never inside an escape,
 * and a non-string JSON value after "key": becomes "[REDACTED]" with its
 * quotes, so JSON text (also JSON inside a JSON string) stays valid.  A
 * value that already reads [REDACTED] is left alone, so masking is
 * idempotent.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "mask.h"
#include "redact.h"

#define RLEN (sizeof(REDACTED) - 1)

/* The bytes at which a pattern can start. */
static const unsigned char starts[256] = {
	['='] = 1, [':'] = 1, ['%'] = 1, [0xef] = 1, ['L'] = 1, ['S'] = 1,
	['>'] = 1, ['\\'] = 1,
};

/*
 * Index of the first byte at or after i at which a pattern can start, or
 * len.  Sixteen bytes at a time where the compiler has vectors (GCC and
 * clang, any target) and bytes are little-endian, else one at a time.
 */
#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
typedef unsigned char vec16 __attribute__((vector_size(16)));

static inline vec16
splat(unsigned char c)
{
	vec16 v = {
		c, c, c, c, c, c, c, c, c, c, c, c, c, c, c, c,
	};

	return v;
}

static size_t
next_start(const char *s, size_t len, size_t i)
{
	const vec16 eq = splat('='), colon = splat(':'), pct = splat('%'),
	    ef = splat(0xef), el = splat('L'), es = splat('S'), gt = splat('>'),
	    bs = splat('\\');

	while (len - i >= 16) {
		vec16 v, m;
		uint64_t lo, hi;

		memcpy(&v, s + i, sizeof(v));
		m = (vec16)((v == eq) | (v == colon) | (v == pct) | (v == ef) |
		    (v == el) | (v == es) | (v == gt) | (v == bs));
		memcpy(&lo, &m, sizeof(lo));
		memcpy(&hi, (const char *)&m + 8, sizeof(hi));
		if (lo != 0)
			return i + (size_t)__builtin_ctzll(lo) / 8;
		if (hi != 0)
			return i + 8 + (size_t)__builtin_ctzll(hi) / 8;
		i += 16;
	}
	while (i < len && !starts[(unsigned char)s[i]])
		i++;
	return i;
}
#else
static size_t
next_start(const char *s, size_t len, size_t i)
{
	while (i < len && !starts[(unsigned char)s[i]])
		i++;
	return i;
}
#endif

enum key_kind { KEY_NONE, KEY_SECRET, KEY_AUTH };

/* How a key or a value is quoted. */
enum quote { Q_NONE, Q_DQ, Q_SQ, Q_BSDQ, Q_PCT };

/* How a JSON array or object value is delimited. */
enum nest { NEST_JSON, NEST_INNER, NEST_TEXT };

/* A match: s[start..end) is to read with (wlen bytes). */
struct repl {
	size_t start, end;
	const char *with;
	size_t wlen;
};

/* The characters of a key: [A-Za-z0-9_.-]. */
static const unsigned char word_chars[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
	['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, ['A'] = 1, ['B'] = 1,
	['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
	['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1,
	['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1,
	['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
	['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1, ['_'] = 1, ['.'] = 1, ['-'] = 1,
};

static inline bool
is_word(unsigned char c)
{
	return word_chars[c];
}

static inline bool
is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

static inline bool
is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

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

static inline unsigned char
lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c | 0x20 : c;
}

/* Whether s[i..i+2) is "sk" in any case. */
static bool
is_sk(const char *s, size_t i)
{
	return lower((unsigned char)s[i]) == 's' &&
	    lower((unsigned char)s[i + 1]) == 'k';
}

/*
 * Whether the key ending at s[e] (a word of at most e bytes), lower-cased
 * and without '-', '_' and '.', ends with suffix (n bytes, lower case).
 */
static bool
ends_with(const char *s, size_t e, const char *suffix, size_t n)
{
	size_t i = e;

	while (n > 0) {
		unsigned char c;

		do {
			if (i == 0 || !is_word((unsigned char)s[i - 1]))
				return false;
			c = (unsigned char)s[--i];
		} while (c == '-' || c == '_' || c == '.');
		if (lower(c) != (unsigned char)suffix[--n])
			return false;
	}
	return true;
}

#define ENDS_WITH(s, e, lit) ends_with(s, e, lit, sizeof(lit) - 1)

/*
 * What the key ending at s[e] names (redact.h: redact_is_secret_key); the
 * key is the word of [A-Za-z0-9_.-] that ends there.  Read backwards only
 * as far as needed: most keys are turned down on their last letter.  A key
 * can also start right after an escape glued to it: "%26sk", "\u0026sk",
 * "\nsk".
 */
static enum key_kind
key_kind_of_word(const char *s, size_t e)
{
	size_t i = e, a, len;

	while (i > 0 && (s[i - 1] == '-' || s[i - 1] == '_' || s[i - 1] == '.'))
		i--;
	if (i == 0)
		return KEY_NONE;
	switch (lower((unsigned char)s[i - 1])) {
	case 'd':
		return ENDS_WITH(s, i, "accesskeyid") ||
		    ENDS_WITH(s, i, "password") ||
		    ENDS_WITH(s, i, "passwd") ? KEY_SECRET : KEY_NONE;
	case 't':
		return ENDS_WITH(s, i, "secret") ? KEY_SECRET : KEY_NONE;
	case 'n':
		return ENDS_WITH(s, i, "token") ? KEY_SECRET :
		    ENDS_WITH(s, i, "authorization") ? KEY_AUTH : KEY_NONE;
	case 'e':
		return ENDS_WITH(s, i, "signature") ? KEY_SECRET : KEY_NONE;
	case 'y':
		return ENDS_WITH(s, i, "apikey") ||
		    ENDS_WITH(s, i, "privatekey") ? KEY_SECRET : KEY_NONE;
	case 'l':
		return ENDS_WITH(s, i, "credential") ? KEY_SECRET : KEY_NONE;
	case 'k':
		break;
	default:
		return KEY_NONE;
	}
	/* "sk", "x_sk", "x-sk", or "sk" right after an escape. */
	if (e < 2 || i != e || !is_sk(s, e - 2))
		return KEY_NONE;
	for (a = e; a > 0 && is_word((unsigned char)s[a - 1]); a--)
		;
	len = e - a;
	if (len == 2 || s[e - 3] == '_' || s[e - 3] == '-')
		return KEY_SECRET;
	if (a == 0)
		return KEY_NONE;
	if (s[a - 1] == '%' && len == 4 && is_hex((unsigned char)s[a]) &&
	    is_hex((unsigned char)s[a + 1]))
		return KEY_SECRET;
	if (s[a - 1] == '\\' && ((len == 3 && (s[a] == 'n' || s[a] == 't' ||
	    s[a] == 'r')) || (len == 7 && s[a] == 'u' &&
	    is_hex((unsigned char)s[a + 1]) && is_hex((unsigned char)s[a + 2]) &&
	    is_hex((unsigned char)s[a + 3]) && is_hex((unsigned char)s[a + 4]))))
		return KEY_SECRET;
	return KEY_NONE;
}

/*
 * Whether the word ending at s[e] is an API error code naming a failed
 * credential ("IncompleteSignature", "InvalidSecurityToken",
 * "MissingAccessKeySecret"): what follows it is a message, not a secret.
 */
static bool
is_error_code(const char *s, size_t e)
{
	static const char *const failures[] = {
		"Invalid", "Incomplete", "Missing", "Expired", "Empty",
		"Malformed",
	};
	size_t a = e;

	/* The code is one word: "MissingPlugin.SecurityToken" is a key. */
	while (a > 0 && is_alnum((unsigned char)s[a - 1]))
		a--;
	if (a > 0 && is_word((unsigned char)s[a - 1]))
		return false;
	for (size_t k = 0; k < sizeof(failures) / sizeof(failures[0]); k++) {
		size_t n = strlen(failures[k]);

		if (e - a > n && memcmp(s + a, failures[k], n) == 0 &&
		    s[a + n] >= 'A' && s[a + n] <= 'Z')
			return true;
	}
	return false;
}

static enum key_kind
key_kind(const char *s, size_t e)
{
	enum key_kind k = key_kind_of_word(s, e);

	return k == KEY_SECRET && is_error_code(s, e) ? KEY_NONE : k;
}

/* A key (of a JSON member) is read without its trailing "= or ': ". */
bool
mask_is_secret_key(const char *key, size_t len)
{
	while (len > 0 && (key[len - 1] == ' ' || key[len - 1] == '\t' ||
	    key[len - 1] == '"' || key[len - 1] == '\'' ||
	    key[len - 1] == '=' || key[len - 1] == ':'))
		len--;
	return key_kind(key, len) != KEY_NONE;
}

bool
redact_is_secret_key(const char *key)
{
	return mask_is_secret_key(key, strlen(key));
}

/*
 * Whether the quote at s[q] ('"', or the \" of JSON inside a JSON string)
 * looks like the end of a JSON string: what follows it, after white space
 * (also escaped, inside a string), is ',', ':', ']', '}', the end, or after
 * \" a '"'.  In valid JSON, the end of the string a pattern was found in
 * always does.
 */
static bool
looks_closing(const char *s, size_t len, size_t q)
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
static bool
inner_closing(const char *s, size_t len, size_t i)
{
	return s[i] == '\\' && i + 1 < len && s[i + 1] == '"' &&
	    looks_closing(s, len, i);
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
static size_t
step(const char *s, size_t len, size_t i)
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
static bool
go_angle(const char *s, size_t len, size_t i, char which)
{
	return len - i >= 6 && s[i] == '\\' && s[i + 1] == 'u' &&
	    s[i + 2] == '0' && s[i + 3] == '0' && s[i + 4] == '3' &&
	    lower((unsigned char)s[i + 5]) == (unsigned char)which;
}

/* The end of a "-quoted value's contents starting at s[c]. */
static size_t
scan_dq(const char *s, size_t len, size_t c)
{
	size_t i = c;

	while (i < len && s[i] != '"' && !line_end(s, len, i))
		i = step(s, len, i);
	return i < len ? i : len;
}

/* The end of a '-quoted value's contents. */
static size_t
scan_sq(const char *s, size_t len, size_t c)
{
	size_t i = c;

	while (i < len && s[i] != '\'' && !line_end(s, len, i) &&
	    !(s[i] == '"' && looks_closing(s, len, i)) &&
	    !inner_closing(s, len, i))
		i = step(s, len, i);
	return i < len ? i : len;
}

/*
 * The end of a \"-quoted value's contents (JSON inside a JSON string): the
 * next \" that is not escaped in the inner text, or the '"' that ends the
 * outer string.
 */
static size_t
scan_bsdq(const char *s, size_t len, size_t c)
{
	size_t i = c;

	while (i < len && s[i] != '"' && !line_end(s, len, i) &&
	    !(s[i] == '\\' && i + 1 < len && s[i + 1] == '"'))
		i = step(s, len, i);
	return i < len ? i : len;
}

/* The end of a %22-quoted value's contents (URL-encoded JSON). */
static size_t
scan_pct(const char *s, size_t len, size_t c)
{
	size_t i = c;

	while (i < len && !(len - i >= 3 && s[i] == '%' && s[i + 1] == '2' &&
	    s[i + 2] == '2')) {
		if (s[i] == '[' && len - i >= RLEN &&
		    memcmp(s + i, REDACTED, RLEN) == 0)
			i += RLEN;
		else if (is_value_char((unsigned char)s[i]))
			i++;
		else
			break;
	}
	return i;
}

/* The end of an unquoted value; an earlier REDACTED in it is part of it. */
static size_t
scan_word(const char *s, size_t len, size_t c)
{
	size_t i = c;

	while (i < len) {
		if (s[i] == '[' && len - i >= RLEN &&
		    memcmp(s + i, REDACTED, RLEN) == 0)
			i += RLEN;
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
static size_t
scan_line(const char *s, size_t len, size_t c)
{
	size_t i = c;

	while (i < len) {
		unsigned char ch = (unsigned char)s[i];

		if (line_end(s, len, i) || (ch == '"' && looks_closing(s, len, i)))
			break;
		if (ch == '\\' && i + 1 < len && (s[i + 1] == 'n' ||
		    s[i + 1] == 'r' || s[i + 1] == '"'))
			break;
		i = step(s, len, i);
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
static size_t
scan_nested(const char *s, size_t len, size_t c, enum nest mode)
{
	enum { OUT, IN_DQ, IN_BSDQ } st = OUT;
	size_t depth = 0, i = c;

	while (i < len) {
		unsigned char ch = (unsigned char)s[i];

		if (st == IN_DQ) {
			if (ch == '"')
				st = OUT;
			i = ch == '"' ? i + 1 : step(s, len, i);
			continue;
		}
		if (st == IN_BSDQ) {
			if (ch == '"')
				return i;
			if (ch == '\\' && i + 1 < len && s[i + 1] == '"') {
				st = OUT;
				i += 2;
			} else
				i = step(s, len, i);
			continue;
		}
		if (ch == '[' || ch == '{')
			depth++;
		else if (ch == ']' || ch == '}') {
			if (--depth == 0)
				return i + 1;
		} else if (ch == '"') {
			if (mode == NEST_INNER || (mode == NEST_TEXT &&
			    looks_closing(s, len, i)))
				return i;
			st = IN_DQ;
		} else if (ch == '\\' && mode != NEST_JSON && i + 1 < len &&
		    s[i + 1] == '"') {
			if (mode == NEST_TEXT && looks_closing(s, len, i))
				return i;
			st = IN_BSDQ;
			i += 2;
			continue;
		}
		i = step(s, len, i);
	}
	return len;
}

/* Whether s[c..) is the JSON literal true, false or null as a whole word. */
static bool
is_literal(const char *s, size_t len, size_t c)
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

/* Length of the separator at s[j], or 0. */
static size_t
separator_len(const char *s, size_t len, size_t j)
{
	switch ((unsigned char)s[j]) {
	case '=':
		return j + 1 < len && s[j + 1] == '>' ? 2 : 1;
	case ':':
		return j + 1 < len && s[j + 1] == '=' ? 2 : 1;
	case '%':
		return len - j >= 3 && s[j + 1] == '3' &&
		    (lower((unsigned char)s[j + 2]) == 'd' ||
		    lower((unsigned char)s[j + 2]) == 'a') ? 3 : 0;
	case 0xef:
		return len - j >= 3 && (unsigned char)s[j + 1] == 0xbc &&
		    (unsigned char)s[j + 2] == 0x9a ? 3 : 0;
	default:
		return 0;
	}
}

/*
 * A secret key before the separator s[j..j+sl), and its value: the key
 * read backwards (white space, a closing quote, the word), the value
 * forwards.
 */
static bool
key_value_at(const char *s, size_t len, size_t j, size_t sl, struct repl *r)
{
	enum quote kq = Q_NONE, vq = Q_NONE;
	enum key_kind kind;
	size_t k = j, v, c, end;
	bool member;
	const char *with = REDACTED;

	while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t'))
		k--;
	if (k >= 2 && s[k - 1] == '"' && s[k - 2] == '\\') {
		kq = Q_BSDQ;
		k -= 2;
	} else if (k >= 1 && (s[k - 1] == '"' || s[k - 1] == '\'')) {
		kq = s[k - 1] == '"' ? Q_DQ : Q_SQ;
		k--;
	} else if (k >= 3 && s[k - 3] == '%' && s[k - 2] == '2' &&
	    s[k - 1] == '2') {
		kq = Q_PCT;
		k -= 3;
	}
	if ((kind = key_kind(s, k)) == KEY_NONE)
		return false;

	/* "key": in JSON, or \"key\": in JSON inside a JSON string. */
	member = (kq == Q_DQ || kq == Q_BSDQ) && s[j] == ':' && sl == 1;
	v = j + sl;
	/* Blanks; JSON's also line breaks, escaped inside a string. */
	for (;;) {
		if (v < len && (s[v] == ' ' || s[v] == '\t' || (member &&
		    kq == Q_DQ && (s[v] == '\n' || s[v] == '\r'))))
			v++;
		else if (member && kq == Q_BSDQ && len - v >= 2 &&
		    s[v] == '\\' && (s[v + 1] == 'n' || s[v + 1] == 't' ||
		    s[v + 1] == 'r'))
			v += 2;
		else
			break;
	}
	/*
	 * An empty value gets REDACTED too: what pai-diag writes next to it
	 * later (a message, a table cell) must not read as the value.
	 */
	c = end = v;
	if (v >= len)
		goto empty;
	if (s[v] == '\\' && v + 1 < len && s[v + 1] == '"') {
		/* Or the end of the string inside a string the key was in. */
		if (!(member && kq == Q_BSDQ) && looks_closing(s, len, v))
			goto empty;
		vq = Q_BSDQ;
		c = v + 2;
	} else if (s[v] == '"') {
		/* Or the end of the JSON string the key was in. */
		if (kq == Q_BSDQ || (!(member && kq == Q_DQ) &&
		    looks_closing(s, len, v)))
			goto empty;
		vq = Q_DQ;
		c = v + 1;
	} else if (s[v] == '\'') {
		vq = Q_SQ;
		c = v + 1;
	} else if (len - v >= 3 && s[v] == '%' && s[v + 1] == '2' &&
	    s[v + 2] == '2') {
		vq = Q_PCT;
		c = v + 3;
	}

	switch (vq) {
	case Q_DQ:
		end = scan_dq(s, len, c);
		break;
	case Q_SQ:
		end = scan_sq(s, len, c);
		break;
	case Q_BSDQ:
		end = scan_bsdq(s, len, c);
		break;
	case Q_PCT:
		end = scan_pct(s, len, c);
		break;
	default:
		if (is_literal(s, len, c))
			return false;
		if (kind == KEY_AUTH && !member)
			end = scan_line(s, len, c);
		else if (s[c] == '[' || s[c] == '{')
			end = scan_nested(s, len, c, !member ? NEST_TEXT :
			    kq == Q_DQ ? NEST_JSON : NEST_INNER);
		else
			end = scan_word(s, len, c);
empty:
		if (member)
			with = kq == Q_DQ ? "\"" REDACTED "\"" :
			    "\\\"" REDACTED "\\\"";
		break;
	}
	r->start = c;
	r->end = end;
	r->with = with;
	r->wlen = strlen(with);
	return true;
}

/* Whether s[0..i) ends with an escape (%XX, \uXXXX, \n, \t, \r). */
static bool
after_escape(const char *s, size_t i)
{
	return (i >= 3 && s[i - 3] == '%' && is_hex((unsigned char)s[i - 2]) &&
	    is_hex((unsigned char)s[i - 1])) ||
	    (i >= 6 && s[i - 6] == '\\' && s[i - 5] == 'u' &&
	    is_hex((unsigned char)s[i - 4]) && is_hex((unsigned char)s[i - 3]) &&
	    is_hex((unsigned char)s[i - 2]) && is_hex((unsigned char)s[i - 1])) ||
	    (i >= 2 && s[i - 2] == '\\' && (s[i - 1] == 'n' ||
	    s[i - 1] == 't' || s[i - 1] == 'r'));
}

/*
 * An AccessKey id (LTAI and letters or digits) or an STS token (STS. and
 * letters or digits, starting a word) at s[i].
 */
static bool
key_id_at(const char *s, size_t len, size_t i, struct repl *r)
{
	bool boundary = i == 0 || !is_alnum((unsigned char)s[i - 1]) ||
	    after_escape(s, i);
	size_t j;

	if (len - i < 4 || (memcmp(s + i, "LTAI", 4) != 0 &&
	    !(boundary && memcmp(s + i, "STS.", 4) == 0)))
		return false;
	for (j = i + 4; j < len && (is_alnum((unsigned char)s[j]) ||
	    s[j] == '_'); j++)
		;
	/*
	 * Glued to a word, LTAI still starts a key id when eight or more
	 * characters follow it; a real one has twelve to twenty.
	 */
	if (j - i < 8 || (!boundary && j - i < 12))
		return false;
	r->start = i;
	r->end = j;
	r->with = REDACTED;
	r->wlen = RLEN;
	return true;
}

static inline bool
is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Whether s[n..j) is what can follow the name in an open tag: blanks and
 * attributes (a name, then = and a value, quoted with ", ' or \", or not),
 * starting with a blank.
 */
static bool
attributes(const char *s, size_t n, size_t j)
{
	size_t i = n;

	if (i < j && !is_blank((unsigned char)s[i]))
		return false;
	while (i < j) {
		size_t q;

		if (is_blank((unsigned char)s[i])) {
			i++;
			continue;
		}
		if (!is_word((unsigned char)s[i]) && s[i] != ':')
			return false;
		while (i < j && (is_word((unsigned char)s[i]) || s[i] == ':'))
			i++;
		if (i == j || s[i] != '=')
			continue;
		if (++i == j)
			return false;
		if (s[i] == '"' || s[i] == '\'') {
			for (q = i + 1; q < j && s[q] != s[i] && s[q] != '<'; q++)
				;
			if (q == j || s[q] != s[i])
				return false;
			i = q + 1;
		} else if (s[i] == '\\' && i + 1 < j && s[i + 1] == '"') {
			for (q = i + 2; q + 1 < j && !(s[q] == '\\' &&
			    s[q + 1] == '"'); q++)
				;
			if (q + 1 >= j)
				return false;
			i = q + 2;
		} else {
			if (!is_word((unsigned char)s[i]))
				return false;
			while (i < j && is_word((unsigned char)s[i]))
				i++;
		}
		if (i < j && !is_blank((unsigned char)s[i]) && s[i] != '/')
			return false;
		if (i < j && s[i] == '/' && i + 1 != j)
			return false;
	}
	/* Not "<Name/>": no text. */
	return j == n || s[j - 1] != '/';
}

/*
 * An XML element with a secret name whose open tag ends at s[j] ('>', or
 * Go's "\u003e"; the tag is read backwards, so that whatever it holds was
 * scanned first): its text, up to the next tag.
 */
static bool
element_at(const char *s, size_t len, size_t j, struct repl *r)
{
	size_t k = j, lt, n, a, t, end;

	/* The '<' (or "\u003c") of the tag; no '>' or string end between. */
	for (;;) {
		if (k == 0)
			return false;
		k--;
		if (s[k] == '<') {
			lt = 1;
			break;
		}
		if (k >= 5 && go_angle(s, len, k - 5, 'c')) {
			k -= 5;
			lt = 6;
			break;
		}
		if (s[k] == '>' || (k >= 5 && go_angle(s, len, k - 5, 'e')) ||
		    (s[k] == '"' && (looks_closing(s, len, k) ||
		    (k > 0 && s[k - 1] == '\\' && looks_closing(s, len, k - 1)))))
			return false;
	}
	/* The name, a namespace prefix aside; then the end or blank. */
	for (n = a = k + lt; n < j && (is_word((unsigned char)s[n]) ||
	    s[n] == ':'); n++)
		if (s[n] == ':')
			a = n + 1;
	if (a == n || key_kind(s, n) == KEY_NONE || !attributes(s, n, j))
		return false;
	t = j + (s[j] == '>' ? 1 : 6);
	for (end = t; end < len; end = step(s, len, end))
		if (s[end] == '<' || go_angle(s, len, end, 'c') ||
		    (s[end] == '"' && looks_closing(s, len, end)) ||
		    inner_closing(s, len, end))
			break;
	if (end == t)
		return false;
	r->start = t;
	r->end = end;
	r->with = REDACTED;
	r->wlen = RLEN;
	return true;
}

static bool
pattern_at(const char *s, size_t len, size_t i, struct repl *r)
{
	size_t sl;

	switch (s[i]) {
	case 'L':
	case 'S':
		return key_id_at(s, len, i, r);
	case '>':
		return element_at(s, len, i, r);
	case '\\':
		return go_angle(s, len, i, 'e') && element_at(s, len, i, r);
	default:
		sl = separator_len(s, len, i);
		return sl != 0 && key_value_at(s, len, i, sl, r);
	}
}

/*
 * The next replacement that changes s, at or after i; false if none.  A
 * match whose value already reads as its replacement is passed over whole.
 */
static bool
next_change(const char *s, size_t len, size_t i, struct repl *r)
{
	while ((i = next_start(s, len, i)) < len) {
		if (!pattern_at(s, len, i, r)) {
			i++;
			continue;
		}
		if (r->end - r->start != r->wlen ||
		    memcmp(s + r->start, r->with, r->wlen) != 0)
			return true;
		i = r->end > i ? r->end : i + 1;
	}
	return false;
}

/*
 * Whether the replacement r could, with the text around it, make a window
 * of a form of a secret that was not in s: one of the byte pairs across
 * its edges (line breaks skipped) is in a form, or it holds a window
 * itself.
 */
static bool
completes_form(const char *s, size_t len, const struct repl *r)
{
	size_t i = r->start, j = r->end;

	if (!mask_values_any())
		return false;
	while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t' ||
	    s[i - 1] == '\n' || s[i - 1] == '\r'))
		i--;
	while (j < len && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' ||
	    s[j] == '\r'))
		j++;
	return (i > 0 && (mask_values_pair((unsigned char)s[i - 1],
	    (unsigned char)r->with[0]) || (i < r->start &&
	    mask_values_pair((unsigned char)s[r->start - 1],
	    (unsigned char)r->with[0])))) ||
	    (j < len && (mask_values_pair((unsigned char)r->with[r->wlen - 1],
	    (unsigned char)s[j]) || (j > r->end &&
	    mask_values_pair((unsigned char)r->with[r->wlen - 1],
	    (unsigned char)s[r->end])))) ||
	    mask_values_scan(r->with, r->wlen) < r->wlen;
}

/*
 * Masking by pattern of s, appended to out; *again set when a replacement
 * could complete a form of a secret (completes_form).
 */
static void
mask_patterns(struct buf *out, const char *s, size_t len, bool *again)
{
	struct repl r;
	size_t done = 0;

	*again = false;
	while (next_change(s, len, done, &r)) {
		buf_add(out, s + done, r.start - done);
		buf_add(out, r.with, r.wlen);
		if (!*again)
			*again = completes_form(s, len, &r);
		done = r.end;
	}
	buf_add(out, s + done, len - done);
}

void
redact_mask(struct buf *out, const char *s, size_t len)
{
	struct buf v = BUF_INIT, p = BUF_INIT;
	size_t mark = out->len;
	bool again;

	/* The masked text is about as long as the text. */
	buf_grow(out, len);
	if (mask_values(&v, s, len)) {
		s = v.data;
		len = v.len;
	}
	mask_patterns(out, s, len, &again);
	/*
	 * Rare: a replacement put a quote next to what it completes a form
	 * of a secret with.  Masked again until nothing changes, so that
	 * masking masked text changes nothing; each round hides more.
	 */
	while (again) {
		buf_reset(&v);
		if (!mask_values(&v, out->data + mark, out->len - mark))
			break;
		buf_reset(&p);
		mask_patterns(&p, v.data, v.len, &again);
		buf_truncate(out, mark);
		buf_add(out, p.data, p.len);
	}
	buf_release(&v);
	buf_release(&p);
}

size_t
redact_mask_scan(const char *s, size_t len)
{
	struct repl r;
	size_t first = mask_values_scan(s, len);

	/* A value inserted at the very end changes the text after its end. */
	if (next_change(s, len, 0, &r) && (r.start < len ? r.start : len - 1) <
	    first)
		first = r.start < len ? r.start : len - 1;
	return first;
}
