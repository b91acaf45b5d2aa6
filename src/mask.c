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
#include "mask_pattern.h"

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

/* How a key or a value is quoted. */
enum quote { Q_NONE, Q_DQ, Q_SQ, Q_BSDQ, Q_PCT };

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
 * Where the key before the separator at s[j] ends: before the white space
 * and the closing quote (", ', \" or %22) between them; *kq says which
 * quote, Q_NONE when none.
 */
static size_t
key_end(const char *s, size_t j, enum quote *kq)
{
	size_t k = j;

	*kq = Q_NONE;
	while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t'))
		k--;
	if (k >= 2 && s[k - 1] == '"' && s[k - 2] == '\\') {
		*kq = Q_BSDQ;
		k -= 2;
	} else if (k >= 1 && (s[k - 1] == '"' || s[k - 1] == '\'')) {
		*kq = s[k - 1] == '"' ? Q_DQ : Q_SQ;
		k--;
	} else if (k >= 3 && s[k - 3] == '%' && s[k - 2] == '2' &&
	    s[k - 1] == '2') {
		*kq = Q_PCT;
		k -= 3;
	}
	return k;
}

/*
 * Past the blanks at s[v] after a separator; after the key of a JSON
 * member (quoted kq) also past line breaks, escaped inside a string.
 */
static size_t
skip_blanks(const char *s, size_t len, size_t v, bool member, enum quote kq)
{
	for (;;) {
		if (v < len && (s[v] == ' ' || s[v] == '\t' || (member &&
		    kq == Q_DQ && (s[v] == '\n' || s[v] == '\r'))))
			v++;
		else if (member && kq == Q_BSDQ && len - v >= 2 &&
		    s[v] == '\\' && (s[v + 1] == 'n' || s[v + 1] == 't' ||
		    s[v + 1] == 'r'))
			v += 2;
		else
			return v;
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
	enum quote kq, vq = Q_NONE;
	enum key_kind kind;
	size_t k, v, c, end;
	bool member;
	const char *with = REDACTED;

	k = key_end(s, j, &kq);
	if ((kind = mask_key_kind(s, k)) == KEY_NONE)
		return false;

	/* "key": in JSON, or \"key\": in JSON inside a JSON string. */
	member = (kq == Q_DQ || kq == Q_BSDQ) && s[j] == ':' && sl == 1;
	v = skip_blanks(s, len, j + sl, member, kq);
	/*
	 * An empty value gets REDACTED too: what pai-diag writes next to it
	 * later (a message, a table cell) must not read as the value.
	 */
	c = end = v;
	if (v >= len)
		goto empty;
	if (s[v] == '\\' && v + 1 < len && s[v + 1] == '"') {
		/* Or the end of the string inside a string the key was in. */
		if (!(member && kq == Q_BSDQ) && mask_looks_closing(s, len, v))
			goto empty;
		vq = Q_BSDQ;
		c = v + 2;
	} else if (s[v] == '"') {
		/* Or the end of the JSON string the key was in. */
		if (kq == Q_BSDQ || (!(member && kq == Q_DQ) &&
		    mask_looks_closing(s, len, v)))
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
		end = mask_scan_dq(s, len, c);
		break;
	case Q_SQ:
		end = mask_scan_sq(s, len, c);
		break;
	case Q_BSDQ:
		end = mask_scan_bsdq(s, len, c);
		break;
	case Q_PCT:
		end = mask_scan_pct(s, len, c);
		break;
	default:
		if (mask_is_literal(s, len, c))
			return false;
		if (kind == KEY_AUTH && !member)
			end = mask_scan_line(s, len, c);
		else if (s[c] == '[' || s[c] == '{')
			end = mask_scan_nested(s, len, c, !member ? NEST_TEXT :
			    kq == Q_DQ ? NEST_JSON : NEST_INNER);
		else
			end = mask_scan_word(s, len, c);
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
	r->wlen = REDACTED_LEN;
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
		return mask_element_at(s, len, i, r);
	case '\\':
		return mask_go_angle(s, len, i, 'e') && mask_element_at(s, len, i, r);
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
mask_text(struct buf *out, const char *s, size_t len)
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
mask_text_scan(const char *s, size_t len)
{
	struct repl r;
	size_t first = mask_values_scan(s, len);

	/* A value inserted at the very end changes the text after its end. */
	if (next_change(s, len, 0, &r) && (r.start < len ? r.start : len - 1) <
	    first)
		first = r.start < len ? r.start : len - 1;
	return first;
}
