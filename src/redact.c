/*
 * Redaction: what pai-diag relays from aliyun, its plugins and SysOM made
 * safe to show.  Three steps in this order: ANSI sequences are stripped
 * (colour could otherwise split a secret in two), credential material is
 * masked (mask.h), and what could still act on a terminal
 * or mislead a reader (control characters, C1 controls, bidirectional and
 * zero-width formatting characters, invalid UTF-8) is written as visible
 * text.  Clean text, the common case, is recognised by a scan and copied
 * once; redact_tree() does not even copy it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "mask.h"
#include "redact.h"
#include "xalloc.h"

size_t
strip_ansi(char *s, size_t len)
{
	const char *esc = memchr(s, '\033', len);
	size_t i, o;

	if (esc == NULL)
		return len;	/* most text: nothing before ESC moves */
	i = o = (size_t)(esc - s);
	while (i < len) {
		if (s[i] == '\033' && i + 1 < len && s[i + 1] == '[') {
			/* CSI: parameters and intermediates, one final byte. */
			i += 2;
			while (i < len && (unsigned char)s[i] >= 0x20 &&
			    (unsigned char)s[i] <= 0x3f)
				i++;
			while (i < len && (unsigned char)s[i] >= 0x20 &&
			    (unsigned char)s[i] <= 0x2f)
				i++;
			if (i < len && (unsigned char)s[i] >= 0x40 &&
			    (unsigned char)s[i] <= 0x7e)
				i++;
			continue;
		}
		if (s[i] == '\033' && i + 1 < len && s[i + 1] == ']') {
			/* OSC: up to BEL or ST; one never ended is kept. */
			size_t j = i + 2;

			while (j < len && s[j] != '\a' && !(s[j] == '\033' &&
			    j + 1 < len && s[j + 1] == '\\'))
				j++;
			if (j < len) {
				i = j + (s[j] == '\a' ? 1 : 2);
				continue;
			}
		}
		s[o++] = s[i++];
	}
	if (o < len)
		s[o] = '\0';
	return o;
}

/* Length of the valid UTF-8 sequence at s[i] (its code point in *cp), or 0. */
static size_t
utf8_decode(const unsigned char *s, size_t len, size_t i, uint32_t *cp)
{
	unsigned char c = s[i];
	size_t n;
	uint32_t v;

	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		v = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		v = c & 0x07;
	} else
		return 0;
	if (len - i < n)
		return 0;
	for (size_t k = 1; k < n; k++) {
		if ((s[i + k] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i + k] & 0x3f);
	}
	if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 ||
	    v > 0x10ffff)) || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

/*
 * Characters shown as \uXXXX: the C1 controls, the bidirectional and
 * zero-width formatting characters, the soft hyphen and the invisible
 * operators, and the line and paragraph separators.
 */
static bool
is_invisible(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0xad || cp == 0x61c ||
	    (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2064) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

/*
 * Index of the first byte at or after i that is not printable ASCII, '\n'
 * or '\t'; len if none.  Sixteen bytes at a time where the compiler has
 * vectors (GCC and clang, any target) and bytes are little-endian.
 */
#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
typedef unsigned char vec16 __attribute__((vector_size(16)));

static size_t
skip_ascii(const char *s, size_t len, size_t i)
{
	const vec16 space = {
		' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ',
		' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ',
	}, tilde = {
		'~', '~', '~', '~', '~', '~', '~', '~',
		'~', '~', '~', '~', '~', '~', '~', '~',
	}, nl = {
		'\n', '\n', '\n', '\n', '\n', '\n', '\n', '\n',
		'\n', '\n', '\n', '\n', '\n', '\n', '\n', '\n',
	}, tab = {
		'\t', '\t', '\t', '\t', '\t', '\t', '\t', '\t',
		'\t', '\t', '\t', '\t', '\t', '\t', '\t', '\t',
	};

	while (len - i >= 16) {
		vec16 v, m;
		uint64_t lo, hi;

		memcpy(&v, s + i, sizeof(v));
		m = (vec16)(((v < space) & (v != nl) & (v != tab)) | (v > tilde));
		memcpy(&lo, &m, sizeof(lo));
		memcpy(&hi, (const char *)&m + 8, sizeof(hi));
		if (lo != 0)
			return i + (size_t)__builtin_ctzll(lo) / 8;
		if (hi != 0)
			return i + 8 + (size_t)__builtin_ctzll(hi) / 8;
		i += 16;
	}
	while (i < len && (((unsigned char)s[i] >= ' ' &&
	    (unsigned char)s[i] <= '~') || s[i] == '\n' || s[i] == '\t'))
		i++;
	return i;
}
#else
static size_t
skip_ascii(const char *s, size_t len, size_t i)
{
	while (i < len && (((unsigned char)s[i] >= ' ' &&
	    (unsigned char)s[i] <= '~') || s[i] == '\n' || s[i] == '\t'))
		i++;
	return i;
}
#endif

/*
 * Whether the three bytes at s[i] (i + 3 <= len) are a character that is
 * certainly valid and shown as it is: U+1000 to U+1FFF and U+3000 to
 * U+CFFF and U+E000 to U+EFFF, most of them CJK.  The other three-byte
 * leads (E0, E2, ED, EF) take the careful path.
 */
static inline bool
plain_cjk(const unsigned char *s, size_t i)
{
	unsigned char c = s[i];

	return (c == 0xe1 || (c >= 0xe3 && c <= 0xec) || c == 0xee) &&
	    (s[i + 1] & 0xc0) == 0x80 && (s[i + 2] & 0xc0) == 0x80;
}

/* Index of the first byte that term_safe() changes; len if none. */
static size_t
term_scan(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while ((i = skip_ascii(str, len, i)) < len) {
		if (s[i] < 0x80)
			return i;
		/* A run of other characters. */
		do {
			uint32_t cp;
			size_t n;

			if (len - i >= 3 && plain_cjk(s, i))
				n = 3;
			else if ((n = utf8_decode(s, len, i, &cp)) == 0 ||
			    is_invisible(cp))
				return i;
			i += n;
		} while (i < len && s[i] >= 0x80);
	}
	return len;
}

static void
add_u(struct buf *b, uint32_t cp)
{
	static const char hex[] = "0123456789abcdef";
	char e[6] = {
		'\\', 'u', hex[(cp >> 12) & 15], hex[(cp >> 8) & 15],
		hex[(cp >> 4) & 15], hex[cp & 15],
	};

	buf_add(b, e, sizeof(e));
}

/* Appends s made safe for a terminal (redact.h) to out. */
static void
term_safe(struct buf *out, const char *s, size_t len)
{
	size_t done = 0, i = term_scan(s, len);

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp = c;
		size_t n = 1;

		buf_add(out, s + done, i - done);
		if (c >= 0x80 && (n = utf8_decode((const unsigned char *)s,
		    len, i, &cp)) == 0) {
			buf_add(out, "?", 1);
			n = 1;
		} else if (!(c == '\r' && i + 1 < len && s[i + 1] == '\n'))
			add_u(out, cp);
		i += n;
		done = i;
		i += term_scan(s + i, len - i);
	}
	buf_add(out, s + done, len - done);
}

char *
redact(const char *src, size_t len)
{
	struct buf m = BUF_INIT, t = BUF_INIT;
	char *copy = NULL;
	const char *s = src;

	if (memchr(src, '\033', len) != NULL) {
		copy = xmalloc(len + 1);
		memcpy(copy, src, len);
		len = strip_ansi(copy, len);
		s = copy;
	}
	redact_mask(&m, s, len);
	free(copy);
	if (term_scan(m.data, m.len) == m.len)
		return buf_detach(&m, NULL);
	term_safe(&t, m.data, m.len);
	/*
	 * The \u00XX now written can complete the JSON-escaped form of a
	 * secret: mask again.  Masking keeps the text safe and masks masked
	 * text to itself, so redact() of the result is the result.
	 */
	buf_reset(&m);
	redact_mask(&m, t.data, t.len);
	buf_release(&t);
	return buf_detach(&m, NULL);
}

void
redact_mask(struct buf *out, const char *s, size_t len)
{
	mask_text(out, s, len);
}

size_t
redact_mask_scan(const char *s, size_t len)
{
	return mask_text_scan(s, len);
}

bool
redact_is_secret_key(const char *key)
{
	return mask_is_secret_key(key, strlen(key));
}

char *
redact_str(const char *s)
{
	return redact(s, strlen(s));
}

size_t
redact_scan(const char *s, size_t len)
{
	size_t first, n;
	char *r;

	if (memchr(s, '\033', len) == NULL && term_scan(s, len) == len)
		return redact_mask_scan(s, len);
	/* Rare: ANSI or control characters.  Where redact() differs. */
	r = redact(s, len);
	n = strlen(r);
	for (first = 0; first < len && first < n && s[first] == r[first];
	    first++)
		;
	if (first == len && n == len)
		first = len;
	else if (first == len)
		first = len - 1;
	free(r);
	return first;
}

/* *p (a cJSON string, owned unless borrowed) replaced by a copy of v. */
static void
set_cjson_str(char **p, bool borrowed, const char *v)
{
	size_t n = strlen(v) + 1;
	char *copy = cJSON_malloc(n);

	if (copy == NULL)
		die("out of memory");
	memcpy(copy, v, n);
	if (!borrowed)
		cJSON_free(*p);
	*p = copy;
}

/* *p (n bytes) redacted; whether that changed it. */
static bool
redact_cjson_str(char **p, size_t n, bool borrowed)
{
	bool changed;
	char *safe;

	if (redact_scan(*p, n) == n)
		return false;
	safe = redact(*p, n);
	changed = strcmp(safe, *p) != 0;
	if (changed)
		set_cjson_str(p, borrowed, safe);
	free(safe);
	return changed;
}

/* A value under a secret key becomes the string REDACTED. */
static void
hide(cJSON *j)
{
	bool borrowed = (j->type & cJSON_IsReference) != 0;

	if (cJSON_IsString(j) && j->valuestring) {
		if (strcmp(j->valuestring, REDACTED) == 0)
			return;
		/* As cJSON_SetValuestring(): in place when it fits. */
		if (!borrowed && strlen(j->valuestring) >= strlen(REDACTED)) {
			memcpy(j->valuestring, REDACTED, sizeof(REDACTED));
			return;
		}
	}
	if (!borrowed)
		cJSON_Delete(j->child);
	j->child = NULL;
	set_cjson_str(&j->valuestring, borrowed || j->valuestring == NULL,
	    REDACTED);
	j->type = cJSON_String | (j->type & cJSON_StringIsConst);
	j->valueint = 0;
	j->valuedouble = 0;
}

void
redact_tree(cJSON *j)
{
	cJSON *j_child;
	bool secret = false;

	if (j == NULL)
		return;
	/* Keys are relayed text too: the envelope prints them verbatim. */
	if (j->string) {
		size_t n = strlen(j->string);

		secret = mask_is_secret_key(j->string, n);
		if (!(j->type & cJSON_StringIsConst) &&
		    redact_cjson_str(&j->string, n, false))
			secret = secret || redact_is_secret_key(j->string);
	}
	/* A value under a key such as "password" is hidden whole. */
	if (secret && !cJSON_IsBool(j) && !cJSON_IsNull(j)) {
		hide(j);
		return;
	}
	if (cJSON_IsString(j) && j->valuestring && redact_cjson_str(
	    &j->valuestring, strlen(j->valuestring),
	    (j->type & cJSON_IsReference) != 0))
		j->type &= ~cJSON_IsReference;
	cJSON_ArrayForEach(j_child, j)
		redact_tree(j_child);
}
