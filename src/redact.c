/*
 * Redaction.  aliyun can relay credential material in several ways (facts:
 * the signed URL of a network error, DEBUG request dumps, configure output);
 * the rules here are deliberately broad: a key name we know is followed by
 * its value in query, header or JSON form, and anything shaped like an
 * AccessKey id is removed wherever it stands.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "msg.h"
#include "redact.h"

#define REDACTED "[REDACTED]"

/* Keys whose value is secret, matched case-insensitively. */
static const char *const secret_keys[] = {
	"AccessKeyId", "AccessKeySecret", "access_key_id", "access_key_secret",
	"SecurityToken", "security_token", "sts_token", "Signature",
	"x-acs-security-token", "x-acs-signature", "Authorization",
	"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
	"ALIBABA_CLOUD_SECURITY_TOKEN", "password", "bearer_token",
};

bool
redact_is_secret_key(const char *key)
{
	for (size_t k = 0; k < sizeof(secret_keys) / sizeof(*secret_keys); k++)
		if (strcasecmp(key, secret_keys[k]) == 0)
			return true;
	return false;
}

size_t
strip_ansi(char *s, size_t len)
{
	size_t i = 0, o = 0;

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
		s[o++] = s[i++];
	}
	if (o < len)
		s[o] = '\0';
	return o;
}

static bool
is_value_char(unsigned char c)
{
	return c > ' ' && c != '&' && c != '"' && c != '\'' && c != ',' &&
	    c != ';' && c != '}' && c != ']' && c != ')' && c != '<' &&
	    c != '>' && c != '\\' && c != 0x7f;
}

/*
 * Whether s[0..i) ends with an escape: %XX (URL-encoded text) or \uXXXX
 * (JSON: Go writes the '&' of a signed URL as \u0026).  A word can start
 * right after one.
 */
static bool
after_escape(const char *s, size_t i)
{
	return (i >= 3 && s[i - 3] == '%' && isxdigit((unsigned char)s[i - 2]) &&
	    isxdigit((unsigned char)s[i - 1])) ||
	    (i >= 6 && s[i - 6] == '\\' && s[i - 5] == 'u' &&
	    isxdigit((unsigned char)s[i - 4]) &&
	    isxdigit((unsigned char)s[i - 3]) &&
	    isxdigit((unsigned char)s[i - 2]) &&
	    isxdigit((unsigned char)s[i - 1]));
}

/*
 * If a secret key starts at s[i] (as a whole word), returns the length of
 * the key plus its separator (=, :, ": ", "=" with quotes), so the value
 * starts right after; else 0.
 */
static size_t
secret_key_at(const char *s, size_t len, size_t i)
{
	if (i > 0 && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_' ||
	    s[i - 1] == '-') && !after_escape(s, i))
		return 0;
	for (size_t k = 0; k < sizeof(secret_keys) / sizeof(*secret_keys); k++) {
		size_t kl = strlen(secret_keys[k]), j;

		if (len - i < kl || strncasecmp(s + i, secret_keys[k], kl) != 0)
			continue;
		j = i + kl;
		if (j < len && s[j] == '"')
			j++;
		while (j < len && s[j] == ' ')
			j++;
		if (j >= len || (s[j] != '=' && s[j] != ':'))
			continue;
		j++;
		while (j < len && (s[j] == ' ' || s[j] == '"' || s[j] == '\''))
			j++;
		return j - i;
	}
	return 0;
}

/* Length of an AccessKey-id-like token at s[i] (LTAI..., STS....), or 0. */
static size_t
key_id_at(const char *s, size_t len, size_t i)
{
	size_t j;
	bool boundary = i == 0 || !isalnum((unsigned char)s[i - 1]) ||
	    after_escape(s, i);

	if (len - i < 4 || (strncmp(s + i, "LTAI", 4) != 0 &&
	    !(boundary && strncmp(s + i, "STS.", 4) == 0)))
		return 0;
	j = i + 4;
	while (j < len && (isalnum((unsigned char)s[j]) || s[j] == '_'))
		j++;
	/*
	 * Glued to a word, LTAI still starts a key id when eight or more
	 * characters follow it; a real one has twelve to twenty.
	 */
	if (!boundary && j - i < 12)
		return 0;
	return j - i >= 8 ? j - i : 0;
}

/* Length of a valid UTF-8 sequence at s[i], or 0. */
static size_t
utf8_len(const unsigned char *s, size_t len, size_t i)
{
	unsigned char c = s[i];
	size_t n;
	unsigned int cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else
		return 0;
	if (len - i < n)
		return 0;
	for (size_t k = 1; k < n; k++) {
		if ((s[i + k] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i + k] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 ||
	    cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

char *
redact(const char *src, size_t len)
{
	struct buf b = BUF_INIT;
	char *s = xmalloc(len + 1);
	size_t i = 0, n;

	/*
	 * Most text has nothing to do: printable ASCII without a separator
	 * a secret key needs ('=' or ':') and without a key id is copied as
	 * is.  (A 20 MB result is mostly such text.)
	 */
	for (n = 0; n < len; n++) {
		unsigned char c = (unsigned char)src[n];

		if ((c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f ||
		    c == '=' || c == ':')
			break;
	}
	if (n == len && !memmem(src, len, "LTAI", 4) &&
	    !memmem(src, len, "STS.", 4)) {
		memcpy(s, src, len);
		s[len] = '\0';
		return s;
	}
	memcpy(s, src, len);
	s[len] = '\0';
	len = strip_ansi(s, len);
	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if ((n = secret_key_at(s, len, i)) != 0) {
			buf_add(&b, s + i, n);
			i += n;
			/* Already redacted (text redacted twice stays the same). */
			if (len - i >= strlen(REDACTED) &&
			    strncmp(s + i, REDACTED, strlen(REDACTED)) == 0)
				i += strlen(REDACTED);
			/* An Authorization value runs to the end of the line. */
			else if (strncasecmp(s + i - n, "Authorization", 13) == 0) {
				while (i < len && s[i] != '\n' && s[i] != '"')
					i++;
			} else {
				while (i < len && is_value_char((unsigned char)s[i]))
					i++;
			}
			buf_adds(&b, REDACTED);
		} else if ((n = key_id_at(s, len, i)) != 0) {
			buf_adds(&b, REDACTED);
			i += n;
		} else if (c == '\n' || c == '\t') {
			buf_add(&b, s + i++, 1);
		} else if (c < 0x20 || c == 0x7f ||
		    (n = utf8_len((const unsigned char *)s, len, i)) == 0) {
			buf_adds(&b, "?");
			i++;
		} else {
			buf_add(&b, s + i, n);
			i += n;
		}
	}
	free(s);
	return buf_detach(&b, NULL);
}

char *
redact_str(const char *s)
{
	return redact(s, strlen(s));
}

/* Placeholder until masking by value and pattern lands. */
size_t
redact_mask_scan(const char *s, size_t len)
{
	(void)s;
	return len;
}

void
redact_mask(struct buf *out, const char *s, size_t len)
{
	buf_add(out, s, len);
}
