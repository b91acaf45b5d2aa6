/*
 * Masking by value.  pai-diag knows its own credentials (secrets.c registers
 * them at start-up); each is expanded here into the forms in which aliyun, a
 * plugin or the engine could relay it, and every 8-byte window of every form
 * goes into a hash set.  A text is then searched in one pass without
 * looking at every position: the 4-byte blocks of the text that start at
 * multiples of 5 are looked up in a bitmap of the forms' 4-byte pieces
 * (8 KiB, so it stays in L1), and only where that bit is set are the five
 * 8-byte windows that hold the block looked up in the set (every window of
 * 8 bytes holds one such block).  Line breaks get a pass of their own: the
 * windows that run across one are put together from both sides and looked
 * up the same way, after a bitmap of the byte pairs of the forms says the
 * two bytes around the break can follow each other in one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mask.h"
#include "redact.h"
#include "xalloc.h"

#define WIN 8			/* bytes of a window */
#define BLOOM4_LOG 16		/* log2 of the bits of the 4-byte piece bitmap */
#define BLOOM8_LOG 15		/* log2 of the bits of the window bitmap */
#define PAIR_LOG 16		/* one bit per byte pair */
#define GOLDEN64 0x9e3779b97f4a7c15ULL
#define GOLDEN32 0x9e3779b1U

/*
 * The windows of every form of every secret.  Written only by the
 * registering functions, before any thread starts.  A window is never 0
 * (no form holds a NUL), so 0 marks a free slot.
 */
static struct {
	uint64_t *set;
	size_t cap, n;		/* cap is 0 or a power of 2 */
	unsigned shift;		/* 64 - log2(cap) */
	uint64_t bloom4[(1U << BLOOM4_LOG) / 64];
	uint64_t bloom8[(1U << BLOOM8_LOG) / 64];
	uint64_t pair[(1U << PAIR_LOG) / 64];
	unsigned char follows[256];	/* bytes followed by another in a form */
} sec;

static inline bool
bit(const uint64_t *map, uint32_t i)
{
	return (map[i >> 6] >> (i & 63)) & 1;
}

static inline void
set_bit(uint64_t *map, uint32_t i)
{
	map[i >> 6] |= 1ULL << (i & 63);
}

static inline uint32_t
h4(uint32_t g)
{
	return (uint32_t)(g * GOLDEN32) >> (32 - BLOOM4_LOG);
}

static inline uint32_t
pair_of(unsigned char a, unsigned char b)
{
	return (uint32_t)a << 8 | b;
}

static void
set_insert(uint64_t *set, size_t cap, unsigned shift, uint64_t w)
{
	size_t i = (size_t)((w * GOLDEN64) >> shift);

	while (set[i] != 0 && set[i] != w)
		i = (i + 1) & (cap - 1);
	set[i] = w;
}

static void
set_add(uint64_t w)
{
	size_t i;

	if ((sec.n + 1) * 2 > sec.cap) {
		size_t cap = sec.cap ? sec.cap * 2 : 1024;
		unsigned shift = sec.cap ? sec.shift - 1 : 64 - 10;
		uint64_t *set = calloc(cap, sizeof(*set));

		if (set == NULL)
			die("out of memory");
		for (i = 0; i < sec.cap; i++)
			if (sec.set[i] != 0)
				set_insert(set, cap, shift, sec.set[i]);
		if (sec.set)
			explicit_bzero(sec.set, sec.cap * sizeof(*sec.set));
		free(sec.set);
		sec.set = set;
		sec.cap = cap;
		sec.shift = shift;
	}
	i = (size_t)((w * GOLDEN64) >> sec.shift);
	while (sec.set[i] != 0) {
		if (sec.set[i] == w)
			return;
		i = (i + 1) & (sec.cap - 1);
	}
	sec.set[i] = w;
	sec.n++;
	set_bit(sec.bloom8, (uint32_t)((w * GOLDEN64) >> (64 - BLOOM8_LOG)));
}

static inline bool
set_has(uint64_t w)
{
	uint64_t h = w * GOLDEN64;
	size_t i;

	if (!bit(sec.bloom8, (uint32_t)(h >> (64 - BLOOM8_LOG))))
		return false;
	for (i = (size_t)(h >> sec.shift); sec.set[i] != 0;
	    i = (i + 1) & (sec.cap - 1))
		if (sec.set[i] == w)
			return true;
	return false;
}

/* Adds the windows, 4-byte pieces and byte pairs of one form. */
static void
add_form(const char *f, size_t n)
{
	uint64_t w;
	uint32_t g;
	size_t i;

	if (n < WIN)
		return;
	for (i = 0; i + WIN <= n; i++) {
		memcpy(&w, f + i, sizeof(w));
		set_add(w);
	}
	for (i = 0; i + 4 <= n; i++) {
		memcpy(&g, f + i, sizeof(g));
		set_bit(sec.bloom4, h4(g));
	}
	for (i = 0; i + 1 < n; i++) {
		set_bit(sec.pair, pair_of((unsigned char)f[i],
		    (unsigned char)f[i + 1]));
		sec.follows[(unsigned char)f[i]] = 1;
	}
}

/* Empties a buffer that held secret material, wiping it first. */
static void
wipe(struct buf *b)
{
	if (b->data)
		explicit_bzero(b->data, b->alloc);
	buf_reset(b);
}

/* Percent-encoding of every byte outside A-Za-z0-9-._~. */
static void
url_encode(struct buf *b, const char *v, size_t n, const char *hex)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		char e[3];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			buf_add(b, v + i, 1);
			continue;
		}
		e[0] = '%';
		e[1] = hex[c >> 4];
		e[2] = hex[c & 15];
		buf_add(b, e, 3);
	}
}

/*
 * The inside of a JSON string as cJSON writes it; with go, as Go's
 * encoding/json does (also '<', '>', '&', U+2028 and U+2029 as \uXXXX).
 */
static void
json_escape(struct buf *b, const char *v, size_t n, bool go)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		switch (c) {
		case '"':
			buf_adds(b, "\\\"");
			break;
		case '\\':
			buf_adds(b, "\\\\");
			break;
		case '\b':
			buf_adds(b, "\\b");
			break;
		case '\f':
			buf_adds(b, "\\f");
			break;
		case '\n':
			buf_adds(b, "\\n");
			break;
		case '\r':
			buf_adds(b, "\\r");
			break;
		case '\t':
			buf_adds(b, "\\t");
			break;
		default:
			if (c < 0x20 || (go && (c == '<' || c == '>' ||
			    c == '&')))
				buf_addf(b, "\\u%04x", c);
			else if (go && c == 0xe2 && i + 2 < n &&
			    (unsigned char)v[i + 1] == 0x80 &&
			    ((unsigned char)v[i + 2] == 0xa8 ||
			    (unsigned char)v[i + 2] == 0xa9)) {
				buf_addf(b, "\\u%04x", 0x2000 +
				    (unsigned char)v[i + 2] - 0x80);
				i += 2;
			} else
				buf_add(b, v + i, 1);
		}
	}
}

/* Base64 of in[0..n), with padding. */
static void
base64(struct buf *b, const unsigned char *in, size_t n, const char *abc)
{
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		char q[4];

		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		q[0] = abc[v >> 18];
		q[1] = abc[(v >> 12) & 63];
		q[2] = '=';
		q[3] = '=';
		if (i + 1 < n)
			q[2] = abc[(v >> 6) & 63];
		if (i + 2 < n)
			q[3] = abc[v & 63];
		buf_add(b, q, 4);
	}
}

/*
 * The value inside base64 text: at each of the three alignments it can have
 * there, without the leading characters that also depend on the bytes
 * before it.  Each form runs to the end of the encoding, padding included;
 * in a longer text only its last character differs, and the windows before
 * it are those of the form.
 */
static void
add_base64_forms(const char *v, size_t n)
{
	static const char *const alphabets[] = {
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
	};
	unsigned char *in = xmalloc(n + 2);
	struct buf b = BUF_INIT;

	for (size_t k = 0; k < 3; k++) {
		/* Characters 6c..6c+5 of the bits; the value starts at bit 8k. */
		size_t skip = (8 * k + 5) / 6;

		memset(in, 0, k);
		memcpy(in + k, v, n);
		for (size_t a = 0; a < 2; a++) {
			base64(&b, in, k + n, alphabets[a]);
			add_form(b.data + skip, b.len - skip);
			wipe(&b);
		}
	}
	explicit_bzero(in, n + 2);
	free(in);
	buf_release(&b);
}

static void
add_value(const char *v, size_t n)
{
	struct buf b = BUF_INIT;

	add_form(v, n);
	url_encode(&b, v, n, "0123456789ABCDEF");
	add_form(b.data, b.len);
	wipe(&b);
	url_encode(&b, v, n, "0123456789abcdef");
	add_form(b.data, b.len);
	wipe(&b);
	json_escape(&b, v, n, false);
	add_form(b.data, b.len);
	wipe(&b);
	json_escape(&b, v, n, true);
	add_form(b.data, b.len);
	wipe(&b);
	buf_release(&b);
	add_base64_forms(v, n);
}

void
redact_add_secret(const char *value)
{
	size_t n = value ? strlen(value) : 0;

	if (n >= WIN)
		add_value(value, n);
}

void
redact_add_secret_pair(const char *id, const char *secret)
{
	struct buf b = BUF_INIT;

	redact_add_secret(id);
	redact_add_secret(secret);
	if (id == NULL || secret == NULL || *id == '\0' || *secret == '\0')
		return;
	buf_adds(&b, id);
	buf_adds(&b, ":");
	buf_adds(&b, secret);
	add_base64_forms(b.data, b.len);
	wipe(&b);
	buf_release(&b);
}

void
redact_clear_secrets(void)
{
	if (sec.set)
		explicit_bzero(sec.set, sec.cap * sizeof(*sec.set));
	free(sec.set);
	memset(&sec, 0, sizeof(sec));
}

bool
mask_values_any(void)
{
	return sec.n != 0;
}

bool
mask_values_pair(unsigned char a, unsigned char b)
{
	return sec.n != 0 && bit(sec.pair, pair_of(a, b));
}

/* --- finding ---------------------------------------------------------- */

/* Where the windows found are recorded. */
struct hits {
	const char *s;
	size_t len;
	bool want_bits;		/* mark every byte, else only keep first */
	uint64_t *bits;		/* one bit per byte, allocated at the first hit */
	size_t first;		/* the first masked byte, or len */
};

/* Whether s[q] (a '"') is preceded by an even number of backslashes. */
static bool
bare_quote(const char *s, size_t q)
{
	size_t k = q;

	while (k > 0 && s[k - 1] == '\\')
		k--;
	return ((q - k) & 1) == 0;
}

/*
 * Whether s[i] belongs to a line break: "\n", the '\r' of "\r\n", and the
 * spaces and tabs that start the line after one.
 */
static bool
is_break(const char *s, size_t len, size_t i)
{
	if (s[i] == '\n')
		return true;
	if (s[i] == '\r')
		return i + 1 < len && s[i + 1] == '\n';
	if (s[i] != ' ' && s[i] != '\t')
		return false;
	while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t'))
		i--;
	return i > 0 && s[i - 1] == '\n';
}

/* The end of the line break that starts with the '\n' at s[n]. */
static size_t
break_end(const char *s, size_t len, size_t n)
{
	size_t j = n + 1;

	for (;;) {
		while (j < len && (s[j] == ' ' || s[j] == '\t'))
			j++;
		if (j < len && s[j] == '\n')
			j++;
		else if (j + 1 < len && s[j] == '\r' && s[j + 1] == '\n')
			j += 2;
		else
			return j;
	}
}

static void
mark(struct hits *h, size_t p)
{
	if (!h->want_bits) {
		if (p < h->first && !is_break(h->s, h->len, p))
			h->first = p;
		return;
	}
	if (h->bits == NULL) {
		h->bits = calloc((h->len + 63) / 64, sizeof(*h->bits));
		if (h->bits == NULL)
			die("out of memory");
	}
	h->bits[p >> 6] |= 1ULL << (p & 63);
}

/* Looks up the windows starting at p0..p1 (inclusive) of the text. */
static void
find_windows(struct hits *h, size_t p0, size_t p1)
{
	const char *s = h->s;

	for (size_t p = p0; p <= p1 && p + WIN <= h->len; p++) {
		uint64_t w;
		size_t k;

		memcpy(&w, s + p, sizeof(w));
		if (!set_has(w))
			continue;
		for (k = p; k < p + WIN; k++)
			if (s[k] == '"' && bare_quote(s, k))
				break;
		if (k < p + WIN)
			continue;
		for (k = p; k < p + WIN; k++)
			mark(h, k);
	}
}

/*
 * The windows in the text as it is.  Every window of 8 bytes holds exactly
 * one 4-byte block starting at a multiple of 5; the windows around a block
 * are looked up only when the bitmap has it.
 */
static void
find_direct(struct hits *h)
{
	const char *s = h->s;
	size_t len = h->len;

	for (size_t i = 0; i + 4 <= len; i += 5) {
		uint32_t g;

		memcpy(&g, s + i, sizeof(g));
		if (!bit(sec.bloom4, h4(g)))
			continue;
		find_windows(h, i >= 4 ? i - 4 : 0, i);
		if (!h->want_bits && h->first < len)
			return;
	}
}

/*
 * The windows across the line break that starts at s[start]: left holds
 * the positions of the (at most 7) bytes before it, the bytes after it
 * start at s[end].
 */
static void
find_across(struct hits *h, const size_t *left, size_t nleft, size_t end)
{
	const char *s = h->s;
	size_t len = h->len, pos[2 * WIN], n = 0, j = end;

	for (size_t k = 0; k < nleft; k++)
		pos[n++] = left[k];
	while (n < nleft + WIN - 1 && j < len) {
		if (s[j] == '\n')
			j = break_end(s, len, j);
		else if (s[j] == '\r' && j + 1 < len && s[j + 1] == '\n')
			j = break_end(s, len, j + 1);
		else
			pos[n++] = j++;
	}
	for (size_t a = 0; a < nleft && a + WIN <= n; a++) {
		unsigned char win[WIN];
		uint64_t w;
		size_t k;

		for (k = 0; k < WIN; k++)
			win[k] = (unsigned char)s[pos[a + k]];
		memcpy(&w, win, sizeof(w));
		if (!set_has(w))
			continue;
		for (k = 0; k < WIN; k++)
			if (win[k] == '"' && bare_quote(s, pos[a + k]))
				break;
		if (k < WIN)
			continue;
		for (k = 0; k < WIN; k++)
			mark(h, pos[a + k]);
	}
}

/*
 * The positions of the (at most 7) bytes before s[start] that are not part
 * of a line break, oldest first; returns how many.
 */
static size_t
bytes_before(const char *s, size_t len, size_t start, size_t *left)
{
	size_t n = 0, j = start, out[WIN - 1];

	while (j > 0 && n < WIN - 1) {
		unsigned char c = (unsigned char)s[j - 1];
		size_t r;

		if (c == '\n' || (c == '\r' && j < len && s[j] == '\n')) {
			j--;
			continue;
		}
		if (c != ' ' && c != '\t') {
			out[n++] = --j;
			continue;
		}
		/* A run of blanks: a line's indentation is part of a break. */
		for (r = j; r > 0 && (s[r - 1] == ' ' || s[r - 1] == '\t'); r--)
			;
		if (r > 0 && s[r - 1] == '\n') {
			j = r;
			continue;
		}
		while (j > r && n < WIN - 1)
			out[n++] = --j;
	}
	for (size_t k = 0; k < n; k++)
		left[k] = out[n - 1 - k];
	return n;
}

/*
 * The windows that run across line breaks.  Most breaks are passed over on
 * the byte before them, which no form has before another byte.
 */
static void
find_breaks(struct hits *h)
{
	const char *s = h->s, *nl;
	size_t len = h->len, left[WIN - 1], nleft, q = 0;

	while (q < len && (nl = memchr(s + q, '\n', len - q)) != NULL) {
		size_t n = (size_t)(nl - s), start = n, end;
		unsigned char c;

		if (start > 0 && s[start - 1] == '\r')
			start--;
		q = n + 1;
		if (start == 0)
			continue;
		c = (unsigned char)s[start - 1];
		if (c != ' ' && c != '\t' && c != '\n' && !sec.follows[c])
			continue;
		end = break_end(s, len, n);
		q = end;
		nleft = bytes_before(s, len, start, left);
		/* Later breaks have later bytes before them. */
		if (!h->want_bits && nleft > 0 && left[0] >= h->first)
			return;
		if (nleft > 0 && end < len && bit(sec.pair, pair_of(
		    (unsigned char)s[left[nleft - 1]], (unsigned char)s[end])))
			find_across(h, left, nleft, end);
	}
}

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
static size_t
widen_start(const char *s, size_t len, size_t a)
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
static size_t
widen_end(const char *s, size_t len, size_t b)
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

size_t
mask_values_scan(const char *s, size_t len)
{
	struct hits h = { s, len, false, NULL, len };

	if (sec.n == 0 || len < WIN)
		return len;
	find_direct(&h);
	find_breaks(&h);
	return h.first < len ? widen_start(s, len, h.first) : len;
}

/* Index of the next set (want) or clear bit at or after i; len if none. */
static size_t
next_bit(const uint64_t *bits, size_t len, size_t i, bool want)
{
	while (i < len) {
		size_t base = i & ~(size_t)63;
		uint64_t w = want ? bits[i >> 6] : ~bits[i >> 6];

		w &= ~0ULL << (i & 63);
		if (w != 0) {
			i = base + (size_t)__builtin_ctzll(w);
			return i < len ? i : len;
		}
		i = base + 64;
	}
	return len;
}

/* The pieces being written out: the last one is held back to merge. */
struct emit {
	struct buf *out;
	const char *s;
	size_t copied, a, b;
	bool pending;
};

static void
flush(struct emit *e)
{
	if (!e->pending)
		return;
	buf_add(e->out, e->s + e->copied, e->a - e->copied);
	buf_adds(e->out, REDACTED);
	e->copied = e->b;
	e->pending = false;
}

static void
piece(struct emit *e, size_t len, size_t a, size_t b)
{
	a = widen_start(e->s, len, a);
	b = widen_end(e->s, len, b);
	if (e->pending && a <= e->b) {
		if (b > e->b)
			e->b = b;
		return;
	}
	flush(e);
	e->a = a;
	e->b = b;
	e->pending = true;
}

bool
mask_values(struct buf *out, const char *s, size_t len)
{
	struct hits h = { s, len, true, NULL, len };
	struct emit e = { out, s, 0, 0, 0, false };
	size_t i;

	if (sec.n == 0 || len < WIN)
		return false;
	find_direct(&h);
	find_breaks(&h);
	if (h.bits == NULL)
		return false;
	buf_grow(out, len);
	/* Each run of marked bytes, cut at line breaks into pieces. */
	for (i = next_bit(h.bits, len, 0, true); i < len;
	    i = next_bit(h.bits, len, i, true)) {
		size_t end = next_bit(h.bits, len, i, false), k = i;
		bool after_nl = is_break(s, len, i) && s[i] != '\n' &&
		    s[i] != '\r';

		while (k < end) {
			size_t start;

			for (; k < end; k++) {
				unsigned char c = (unsigned char)s[k];

				if (c == '\n')
					after_nl = true;
				else if (!(c == '\r' && k + 1 < len &&
				    s[k + 1] == '\n') && !(after_nl &&
				    (c == ' ' || c == '\t')))
					break;
			}
			for (start = k; k < end; k++) {
				unsigned char c = (unsigned char)s[k];

				if (c == '\n' || (c == '\r' && k + 1 < len &&
				    s[k + 1] == '\n'))
					break;
			}
			if (k > start)
				piece(&e, len, start, k);
			after_nl = false;
		}
		i = end;
	}
	flush(&e);
	buf_add(out, s + e.copied, len - e.copied);
	free(h.bits);
	return true;
}
