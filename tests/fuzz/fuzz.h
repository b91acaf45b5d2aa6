/*
 * What the fuzz targets share: the libFuzzer entry points, and the checks
 * of the properties that every piece of text pai-diag shows must have
 * (no AccessKey id, no control character but newline and tab, no C1,
 * bidirectional or zero-width character, valid UTF-8, no value after a
 * signed request's keys).  A broken property aborts with the offending
 * text on stderr, so libFuzzer records the input as a crash.
 */
#ifndef PAI_DIAG_FUZZ_H
#define PAI_DIAG_FUZZ_H

#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Prints a text, escaped, after what it is. */
static inline void
fuzz_show(const char *what, const char *s, size_t len)
{
	fprintf(stderr, "fuzz: %s: \"", what);
	for (size_t i = 0; i < len && i < 4096; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(stderr, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(stderr, "\\x%02x", c);
		else
			fputc(c, stderr);
	}
	fputs("\"\n", stderr);
}

/* Prints what broke, with the text escaped, and aborts. */
static inline void __attribute__((noreturn))
fuzz_fail(const char *what, const char *s, size_t len)
{
	fuzz_show(what, s, len);
	abort();
}

/* Where "LTAI" followed by 8 or more letters or digits starts, or NULL. */
static inline const char *
fuzz_key_id(const char *s, size_t len)
{
	for (size_t i = 0; i + 12 <= len; i++) {
		size_t n = 0;

		if (memcmp(s + i, "LTAI", 4) != 0)
			continue;
		while (i + 4 + n < len && isascii((unsigned char)s[i + 4 + n]) &&
		    isalnum((unsigned char)s[i + 4 + n]))
			n++;
		if (n >= 8)
			return s + i;
	}
	return NULL;
}

/*
 * Whether s[0..len) is valid UTF-8 (no overlong form, no surrogate) without
 * the characters redact() shows as \uXXXX: C1 controls, U+061C, U+200B to
 * U+200F, U+2028 to U+202E, U+2060, U+2066 to U+2069, U+FEFF.
 */
static inline bool
fuzz_utf8(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;

	for (size_t i = 0; i < len;) {
		unsigned char c = s[i];
		size_t n;
		unsigned int cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 2;
			cp = c & 0x1fu;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 3;
			cp = c & 0x0fu;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 4;
			cp = c & 0x07u;
		} else
			return false;
		if (len - i < n)
			return false;
		for (size_t k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3fu);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 ||
		    cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		if ((cp >= 0x80 && cp <= 0x9f) || cp == 0x61c ||
		    (cp >= 0x200b && cp <= 0x200f) ||
		    (cp >= 0x2028 && cp <= 0x202e) || cp == 0x2060 ||
		    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff)
			return false;
		i += n;
	}
	return true;
}

/*
 * Checks text that reaches the user: no AccessKey id, no control character
 * but newline and tab (so no escape sequence), valid UTF-8.
 */
static inline void
fuzz_check_shown(const char *what, const char *s, size_t len)
{
	char msg[128];

	if (s == NULL)
		return;
	if (fuzz_key_id(s, len)) {
		snprintf(msg, sizeof(msg), "%s shows an AccessKey id", what);
		fuzz_fail(msg, s, len);
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
			snprintf(msg, sizeof(msg), "%s has control character "
			    "0x%02x at %zu", what, c, i);
			fuzz_fail(msg, s, len);
		}
	}
	if (!fuzz_utf8(s, len)) {
		snprintf(msg, sizeof(msg), "%s is not valid UTF-8, or has an "
		    "invisible character", what);
		fuzz_fail(msg, s, len);
	}
}

/* Whether s[0..i) ends with a %XX or a \uXXXX escape. */
static inline bool
fuzz_after_escape(const char *s, size_t i)
{
	return (i >= 3 && s[i - 3] == '%' && isxdigit((unsigned char)s[i - 2]) &&
	    isxdigit((unsigned char)s[i - 1])) ||
	    (i >= 6 && s[i - 6] == '\\' && s[i - 5] == 'u' &&
	    strspn(s + i - 4, "0123456789abcdefABCDEF") >= 4);
}

/*
 * The keys of a signed request (aliyun's network errors print its URL):
 * wherever one starts a word, or follows an escaped '&' or '?' (Go's JSON
 * writes '&' as \u0026), its value must be gone: after blanks (and more
 * separators) and an opening quote comes [REDACTED], or no value at all (a character that
 * cannot start one), or the JSON literal true, false or null.
 */
static inline void
fuzz_check_signed_keys(const char *s)
{
	static const char *const keys[] = {
		"AccessKeyId=", "Signature=", "SecurityToken=",
	};

	for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++) {
		size_t kl = strlen(keys[k]);

		for (const char *p = strcasestr(s, keys[k]); p;
		    p = strcasestr(p + 1, keys[k])) {
			size_t i = (size_t)(p - s);
			const char *v = p + kl + strspn(p + kl, " \t:=");
			unsigned char c;

			if (i > 0 && (isalnum((unsigned char)s[i - 1]) ||
			    s[i - 1] == '_' || s[i - 1] == '-') &&
			    !fuzz_after_escape(s, i))
				continue;
			if (*v == '\'' || (*v == '"' && v[1] != ',' &&
			    v[1] != '}' && v[1] != ']' && v[1] != ':' &&
			    v[1] != '\0'))
				v++;
			else if (strncmp(v, "\\\"", 2) == 0 ||
			    strncmp(v, "%22", 3) == 0)
				v += *v == '%' ? 3 : 2;
			c = (unsigned char)*v;
			if (strncmp(v, "[REDACTED]", 10) == 0 || c <= ' ' ||
			    strchr("&\"',;}])<>\\", c) || c == 0x7f ||
			    strncmp(v, "true", 4) == 0 ||
			    strncmp(v, "false", 5) == 0 ||
			    strncmp(v, "null", 4) == 0)
				continue;
			fuzz_fail("a signed request's key keeps its value", s,
			    strlen(s));
		}
	}
}

/* fuzz_check_shown() and fuzz_check_signed_keys() of a C string. */
static inline void
fuzz_check_shown_str(const char *what, const char *s)
{
	if (s) {
		fuzz_check_shown(what, s, strlen(s));
		fuzz_check_signed_keys(s);
	}
}

/* A NUL-terminated copy of the input (owned). */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
