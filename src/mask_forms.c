/*
 * The forms of a secret: each value pai-diag knows (secrets.c registers
 * them) written the ways aliyun, a plugin or the engine could relay it:
 * as it is, URL-encoded (upper- and lower-case hex), JSON-escaped as cJSON
 * and as Go write it, and inside base64 text (both alphabets, each
 * alignment), and for an id and secret pair the base64 of "id:secret".
 * Each form goes to mask_values.c's set; the buffers that held one are
 * wiped.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mask.h"
#include "redact.h"
#include "xalloc.h"

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
			mask_values_add_form(b.data + skip, b.len - skip);
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

	mask_values_add_form(v, n);
	url_encode(&b, v, n, "0123456789ABCDEF");
	mask_values_add_form(b.data, b.len);
	wipe(&b);
	url_encode(&b, v, n, "0123456789abcdef");
	mask_values_add_form(b.data, b.len);
	wipe(&b);
	json_escape(&b, v, n, false);
	mask_values_add_form(b.data, b.len);
	wipe(&b);
	json_escape(&b, v, n, true);
	mask_values_add_form(b.data, b.len);
	wipe(&b);
	buf_release(&b);
	add_base64_forms(v, n);
}

void
redact_add_secret(const char *value)
{
	size_t n = value ? strlen(value) : 0;

	if (n >= MASK_WIN)
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
