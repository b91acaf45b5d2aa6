/*
 * Masking by value: the set of the windows of every form of every secret
 * (mask_forms.c makes the forms), and the search of a text for them.
 * Every 8-byte window of every form goes into a hash set.  A text is then
 * searched in one pass without looking at every position: the 4-byte
 * blocks of the text that start at multiples of 5 are looked up in a
 * bitmap of the forms' 4-byte pieces (8 KiB, so it stays in L1), and only
 * where that bit is set are the five 8-byte windows that hold the block
 * looked up in the set (every window of 8 bytes holds one such block).
 * Line breaks get a pass of their own: the windows that run across one
 * are put together from both sides and looked up the same way, after a
 * bitmap of the byte pairs of the forms says the two bytes around the
 * break can follow each other in one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mask.h"
#include "redact.h"
#include "xalloc.h"

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
void
mask_values_add_form(const char *f, size_t n)
{
	uint64_t w;
	uint32_t g;
	size_t i;

	if (n < MASK_WIN)
		return;
	for (i = 0; i + MASK_WIN <= n; i++) {
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

	for (size_t p = p0; p <= p1 && p + MASK_WIN <= h->len; p++) {
		uint64_t w;
		size_t k;

		memcpy(&w, s + p, sizeof(w));
		if (!set_has(w))
			continue;
		for (k = p; k < p + MASK_WIN; k++)
			if (s[k] == '"' && bare_quote(s, k))
				break;
		if (k < p + MASK_WIN)
			continue;
		for (k = p; k < p + MASK_WIN; k++)
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
	size_t len = h->len, pos[2 * MASK_WIN], n = 0, j = end;

	for (size_t k = 0; k < nleft; k++)
		pos[n++] = left[k];
	while (n < nleft + MASK_WIN - 1 && j < len) {
		if (s[j] == '\n')
			j = break_end(s, len, j);
		else if (s[j] == '\r' && j + 1 < len && s[j + 1] == '\n')
			j = break_end(s, len, j + 1);
		else
			pos[n++] = j++;
	}
	for (size_t a = 0; a < nleft && a + MASK_WIN <= n; a++) {
		unsigned char win[MASK_WIN];
		uint64_t w;
		size_t k;

		for (k = 0; k < MASK_WIN; k++)
			win[k] = (unsigned char)s[pos[a + k]];
		memcpy(&w, win, sizeof(w));
		if (!set_has(w))
			continue;
		for (k = 0; k < MASK_WIN; k++)
			if (win[k] == '"' && bare_quote(s, pos[a + k]))
				break;
		if (k < MASK_WIN)
			continue;
		for (k = 0; k < MASK_WIN; k++)
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
	size_t n = 0, j = start, out[MASK_WIN - 1];

	while (j > 0 && n < MASK_WIN - 1) {
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
		while (j > r && n < MASK_WIN - 1)
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
	size_t len = h->len, left[MASK_WIN - 1], nleft, q = 0;

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

size_t
mask_values_scan(const char *s, size_t len)
{
	struct hits h = { s, len, false, NULL, len };

	if (sec.n == 0 || len < MASK_WIN)
		return len;
	find_direct(&h);
	find_breaks(&h);
	return h.first < len ? mask_widen_start(s, len, h.first) : len;
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
	a = mask_widen_start(e->s, len, a);
	b = mask_widen_end(e->s, len, b);
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

	if (sec.n == 0 || len < MASK_WIN)
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
