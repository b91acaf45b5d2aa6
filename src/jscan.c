/*
 * JSON text read in place; see jscan.h.  What cJSON 1.7 accepts is the
 * rule, leniencies included: white space is any byte up to 0x20, a number
 * is what strtod() takes of the bytes of [0-9+-.eE] there (so "012" and
 * "1." are numbers), "\u" with bad hex digits decodes to NUL, and a string
 * may hold raw control bytes.  tests/unit/test_jscan.c compares every
 * function here with cJSON on the same text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jscan.h"
#include "xalloc.h"

static const char *
ws(const char *p, const char *end)
{
	while (p < end && (unsigned char)*p <= 0x20)
		p++;
	return p;
}

static unsigned
hex4(const char *s)
{
	unsigned h = 0;

	for (int i = 0; i < 4; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= '0' && c <= '9')
			h = h << 4 | (unsigned)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			h = h << 4 | (unsigned)((c | 0x20) - 'a' + 10);
		else
			return 0;	/* as cJSON's parse_hex4() */
	}
	return h;
}

/*
 * One "\u" escape at in (before qend, the closing quote): its length (6,
 * or 12 for a surrogate pair), its UTF-8 written to out when out is not
 * NULL (*outlen bytes); 0 when cJSON refuses it.
 */
static size_t
utf16_escape(const char *in, const char *qend, char *out, size_t *outlen)
{
	unsigned cp = 0, lo;
	size_t len = 6, n;

	if (qend - in < 6)
		return 0;
	cp = hex4(in + 2);
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return 0;
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (qend - (in + 6) < 6 || in[6] != '\\' || in[7] != 'u')
			return 0;
		lo = hex4(in + 8);
		if (lo < 0xdc00 || lo > 0xdfff)
			return 0;
		cp = 0x10000 + (((cp & 0x3ff) << 10) | (lo & 0x3ff));
		len = 12;
	}
	n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
	if (out) {
		static const unsigned char mark[] = { 0, 0, 0xc0, 0xe0, 0xf0 };

		for (size_t i = n - 1; i > 0; i--) {
			out[i] = (char)((cp | 0x80) & 0xbf);
			cp >>= 6;
		}
		out[0] = (char)(n > 1 ? (cp | mark[n]) & 0xff : cp & 0x7f);
	}
	*outlen = n;
	return len;
}

/*
 * Decodes the bytes between in and qend (the closing quote) into out, or
 * only checks them when out is NULL.  Returns the decoded length, or
 * (size_t)-1 for an escape cJSON refuses.
 */
static size_t
decode(const char *in, const char *qend, char *out)
{
	size_t o = 0, n;

	while (in < qend) {
		const char *bs = memchr(in, '\\', (size_t)(qend - in));
		size_t run = bs ? (size_t)(bs - in) : (size_t)(qend - in);
		char c = 0;

		if (out)
			memmove(out + o, in, run);
		o += run;
		in += run;
		if (bs == NULL)
			break;
		switch (in[1]) {
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case '"': case '\\': case '/': c = in[1]; break;
		case 'u':
			if ((n = utf16_escape(in, qend, out ? out + o : NULL,
			    &run)) == 0)
				return (size_t)-1;
			in += n;
			o += run;
			continue;
		default:
			return (size_t)-1;
		}
		if (out)
			out[o] = c;
		o++;
		in += 2;
	}
	return o;
}

/* The closing quote of the string at p, or NULL; *escaped if it has '\'. */
static const char *
closing_quote(const char *p, const char *end, bool *escaped)
{
	const char *q = p + 1, *quote, *bs;

	*escaped = false;
	if ((quote = memchr(q, '"', (size_t)(end - q))) == NULL)
		return NULL;
	if ((bs = memchr(q, '\\', (size_t)(quote - q))) == NULL)
		return quote;
	*escaped = true;
	/* A backslash takes the byte after it, a quote included. */
	for (q = bs; q < end && *q != '"'; q++)
		if (*q == '\\' && ++q == end)
			return NULL;
	return q < end ? q : NULL;
}

/* The end of the string at p (its opening quote), or NULL. */
static const char *
string_end(const char *p, const char *end)
{
	bool escaped;
	const char *q = closing_quote(p, end, &escaped);

	if (q == NULL || (escaped && decode(p + 1, q, NULL) == (size_t)-1))
		return NULL;
	return q + 1;
}

/* How much of s strtod() takes, given only bytes of [0-9+-.eE]. */
static size_t
strtod_len(const char *s, size_t n)
{
	size_t i = 0, digits = 0, j;

	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	if (digits == 0)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		j = i + 1;
		if (j < n && (s[j] == '+' || s[j] == '-'))
			j++;
		if (j < n && s[j] >= '0' && s[j] <= '9') {
			while (j < n && s[j] >= '0' && s[j] <= '9')
				j++;
			i = j;
		}
	}
	return i;
}

/* The bytes cJSON hands to strtod(): those of [0-9+-.eE]. */
static size_t
number_chars(const char *p, const char *end)
{
	size_t n = 0;

	while (p + n < end && ((p[n] >= '0' && p[n] <= '9') ||
	    p[n] == '+' || p[n] == '-' || p[n] == '.' || p[n] == 'e' ||
	    p[n] == 'E'))
		n++;
	return n;
}

const char *
jscan_number(const char *p, const char *end, double *value)
{
	char small[64], *copy;
	size_t n = number_chars(p, end), len = strtod_len(p, n);

	if (len == 0)
		return NULL;
	if (value) {
		copy = len < sizeof(small) ? small : xmalloc(len + 1);
		memcpy(copy, p, len);
		copy[len] = '\0';
		*value = strtod(copy, NULL);
		if (copy != small)
			free(copy);
	}
	return p + len;
}

static const char *
literal(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(end - p) >= n && memcmp(p, word, n) == 0 ? p + n : NULL;
}

/* A scalar at p: its end, or NULL. */
static const char *
scalar(const char *p, const char *end)
{
	switch (*p) {
	case '"':
		return string_end(p, end);
	case 'n':
		return literal(p, end, "null");
	case 't':
		return literal(p, end, "true");
	case 'f':
		return literal(p, end, "false");
	default:
		if (*p == '-' || (*p >= '0' && *p <= '9'))
			return jscan_number(p, end, NULL);
		return NULL;
	}
}

/* "key" : at p; the position after the colon, or NULL. */
static const char *
member_name(const char *p, const char *end)
{
	p = ws(p, end);
	if (p == end || *p != '"' || (p = string_end(p, end)) == NULL)
		return NULL;
	p = ws(p, end);
	return p < end && *p == ':' ? p + 1 : NULL;
}

/* jscan_value() of a value inside `outer` open containers. */
static const char *
value_at(const char *p, const char *end, size_t outer)
{
	bool object[JSCAN_DEPTH_LIMIT];	/* of each open container */
	size_t depth = outer;

	for (;;) {
		/* A value. */
		p = ws(p, end);
		if (p == end)
			return NULL;
		if (*p == '{' || *p == '[') {
			if (depth >= JSCAN_DEPTH_LIMIT)
				return NULL;
			object[depth++] = *p == '{';
			p = ws(p + 1, end);
			if (p < end && *p == (object[depth - 1] ? '}' : ']')) {
				p++;
				depth--;
			} else if (object[depth - 1] &&
			    (p = member_name(p, end)) == NULL) {
				return NULL;
			} else {
				continue;	/* the first value */
			}
		} else if ((p = scalar(p, end)) == NULL) {
			return NULL;
		}
		/* After a value: the end, a comma, or closing brackets. */
		for (;;) {
			if (depth == outer)
				return p;
			p = ws(p, end);
			if (p < end && *p == (object[depth - 1] ? '}' : ']')) {
				p++;
				depth--;
				continue;
			}
			if (p == end || *p != ',')
				return NULL;
			p++;
			if (object[depth - 1] && (p = member_name(p, end)) == NULL)
				return NULL;
			break;
		}
	}
}

/* The closing quote of a string jscan_value() accepted. */
static const char *
quote_end(const char *p, const char *end)
{
	bool escaped;
	const char *q = closing_quote(p, end, &escaped);

	return q ? q : end - 1;	/* (it has one: it was checked) */
}

/*
 * The end of a value jscan_value() accepted: its brackets counted and its
 * strings jumped, nothing checked again.
 */
static const char *
skip(const char *p, const char *end, size_t *count)
{
	static const unsigned char special[256] = {
		['"'] = 1, ['['] = 1, [']'] = 1, ['{'] = 1, ['}'] = 1,
		[','] = 1,
	};
	size_t depth = 0, commas = 0;
	const char *open = p;

	*count = 0;
	if (*p == '"')
		return quote_end(p, end) + 1;
	if (*p != '{' && *p != '[') {
		const char *e = scalar(p, end);

		return e ? e : end;	/* (it is one: it was checked) */
	}
	for (;; p++) {
		while (!special[(unsigned char)*p])
			p++;
		if (*p == '"')
			p = quote_end(p, end);
		else if (*p == ',')
			commas += depth == 1;
		else if (*p == '[' || *p == '{')
			depth++;
		else if (--depth == 0)
			break;
	}
	/* The elements or members: one more than the commas, if any. */
	*count = commas ? commas + 1 : ws(open + 1, p) < p;
	return p + 1;
}

const char *
jscan_ws(const char *p, const char *end)
{
	return ws(p, end);
}

const char *
jscan_string_end(const char *p, const char *end)
{
	return quote_end(p, end) + 1;
}

const char *
jscan_skip(const char *p, const char *end)
{
	size_t n;

	return skip(p, end, &n);
}

const char *
jscan_value(const char *p, const char *end)
{
	return value_at(p, end, 0);
}

const char *
jscan_value_at(const char *p, const char *end, size_t depth)
{
	return value_at(p, end, depth);
}

bool
jscan_is_object(struct jspan v)
{
	return v.n > 0 && *v.p == '{';
}

bool
jscan_is_array(struct jspan v)
{
	return v.n > 0 && *v.p == '[';
}

bool
jscan_is_string(struct jspan v)
{
	return v.n > 0 && *v.p == '"';
}

bool
jscan_is_literal(struct jspan v)
{
	return v.n > 0 && (*v.p == 't' || *v.p == 'f' || *v.p == 'n');
}

void
jscan_first(struct jiter *it, struct jspan c)
{
	it->p = c.p + 1;
	it->end = c.p + c.n;
	it->object = c.n > 0 && *c.p == '{';
	it->started = false;
	it->depth = 0;
}

void
jscan_first_unchecked(struct jiter *it, const char *p, const char *end,
    size_t depth)
{
	it->p = p + 1;
	it->end = end;
	it->object = *p == '{';
	it->started = false;
	it->depth = depth;
}

bool
jscan_member_checked(struct jiter *it, struct jspan *key, const char **val,
    bool *bad)
{
	const char *p = ws(it->p, it->end), *k;

	*bad = true;
	if (p == it->end)
		return false;
	if (*p == (it->object ? '}' : ']')) {
		it->p = p + 1;
		*bad = false;
		return false;
	}
	if (it->started) {
		if (*p != ',')
			return false;
		p = ws(p + 1, it->end);
	}
	key->p = p;
	key->n = 0;
	if (it->object) {
		if ((k = member_name(p, it->end)) == NULL)
			return false;
		key->n = (size_t)(string_end(p, it->end) - p);
		p = ws(k, it->end);
	}
	*val = p;
	*bad = false;
	return true;
}

void
jscan_member_done(struct jiter *it, const char *value_end)
{
	it->p = value_end;
	it->started = true;
}

bool
jscan_next_checked(struct jiter *it, struct jspan *key, struct jspan *val,
    bool *bad)
{
	const char *end;

	if (!jscan_member_checked(it, key, &val->p, bad))
		return false;
	if ((end = value_at(val->p, it->end, it->depth)) == NULL) {
		*bad = true;
		return false;
	}
	val->n = (size_t)(end - val->p);
	jscan_member_done(it, end);
	return true;
}

bool
jscan_next(struct jiter *it, struct jspan *key, struct jspan *val)
{
	const char *p = ws(it->p, it->end), *k;

	if (p >= it->end || *p == '}' || *p == ']')
		return false;
	if (*p == ',')
		p = ws(p + 1, it->end);
	key->p = p;
	key->n = 0;
	if (it->object) {
		k = quote_end(p, it->end) + 1;
		key->n = (size_t)(k - p);
		p = ws(k, it->end) + 1;	/* the colon */
		p = ws(p, it->end);
	}
	val->p = p;
	it->p = skip(p, it->end, &it->count);
	val->n = (size_t)(it->p - p);
	return true;
}

size_t
jscan_str_buf(struct jspan v, char *out)
{
	size_t n = decode(v.p + 1, v.p + v.n - 1, out);

	out[n] = '\0';
	return strlen(out);
}

char *
jscan_str(struct jspan v)
{
	char *s;

	if (!jscan_is_string(v))
		return NULL;
	s = xmalloc(v.n);
	jscan_str_buf(v, s);
	return s;
}

bool
jscan_key_is(struct jspan key, const char *name)
{
	size_t len = strlen(name);
	char small[64], *s;
	bool is;

	if (key.n < len + 2)
		return false;	/* decoding never lengthens */
	if (memchr(key.p, '\\', key.n) == NULL)
		return strnlen(key.p + 1, key.n - 2) == len &&
		    memcmp(key.p + 1, name, len) == 0;
	s = key.n <= sizeof(small) ? small : xmalloc(key.n);
	jscan_str_buf(key, s);
	is = strcmp(s, name) == 0;
	if (s != small)
		free(s);
	return is;
}

bool
jscan_get(struct jspan obj, const char *name, struct jspan *val)
{
	struct jiter it;
	struct jspan key;

	if (!jscan_is_object(obj))
		return false;
	jscan_first(&it, obj);
	while (jscan_next(&it, &key, val))
		if (jscan_key_is(key, name))
			return true;
	return false;
}

size_t
jscan_count(struct jspan array)
{
	size_t n;

	skip(array.p, array.p + array.n, &n);
	return n;
}
