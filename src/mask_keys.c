/*
 * Which keys name a secret: the last word of a key, read backwards from
 * where it ends, compared with the secret-named suffixes (accesskeyid,
 * secret, token, password, ...) and "sk", and API error codes that name
 * a failed credential ("InvalidSecurityToken") turned down.  Masking by
 * pattern (mask.c, mask_xml.c) and redact_tree() ask here.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "mask.h"
#include "mask_pattern.h"

const unsigned char mask_word_chars[256] = {
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

/* Whether s[i..i+2) is "sk" in any case. */
static bool
is_sk(const char *s, size_t i)
{
	return lower((unsigned char)s[i]) == 's' &&
	    lower((unsigned char)s[i + 1]) == 'k';
}

/*
 * Whether the key ending at s[e] (a word of the bytes from s[lo]),
 * lower-cased and without '-', '_' and '.', ends with suffix (n bytes,
 * lower case).
 */
static bool
ends_with(const char *s, size_t lo, size_t e, const char *suffix, size_t n)
{
	size_t i = e;

	while (n > 0) {
		unsigned char c;

		do {
			if (i == lo || !is_word((unsigned char)s[i - 1]))
				return false;
			c = (unsigned char)s[--i];
		} while (c == '-' || c == '_' || c == '.');
		if (lower(c) != (unsigned char)suffix[--n])
			return false;
	}
	return true;
}

#define ENDS_WITH(s, e, lit) ends_with(s, lo, e, lit, sizeof(lit) - 1)

/*
 * What the key ending at s[e] names (redact.h: redact_is_secret_key); the
 * key is the word of [A-Za-z0-9_.-] that ends there (and starts at s[lo]
 * at the earliest).  Read backwards only
 * as far as needed: most keys are turned down on their last letter.  A key
 * can also start right after an escape glued to it: "%26sk", "\u0026sk",
 * "\nsk".
 */
static enum key_kind
key_kind_of_word(const char *s, size_t lo, size_t e)
{
	size_t i = e, a, len;

	while (i > lo && (s[i - 1] == '-' || s[i - 1] == '_' || s[i - 1] == '.'))
		i--;
	if (i == lo)
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
	if (e - lo < 2 || i != e || !is_sk(s, e - 2))
		return KEY_NONE;
	for (a = e; a > lo && is_word((unsigned char)s[a - 1]); a--)
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
is_error_code(const char *s, size_t lo, size_t e)
{
	static const char *const failures[] = {
		"Invalid", "Incomplete", "Missing", "Expired", "Empty",
		"Malformed",
	};
	size_t a = e;

	/* The code is one word: "MissingPlugin.SecurityToken" is a key. */
	while (a > lo && is_alnum((unsigned char)s[a - 1]))
		a--;
	if (a > lo && is_word((unsigned char)s[a - 1]))
		return false;
	for (size_t k = 0; k < sizeof(failures) / sizeof(failures[0]); k++) {
		size_t n = strlen(failures[k]);

		if (e - a > n && memcmp(s + a, failures[k], n) == 0 &&
		    s[a + n] >= 'A' && s[a + n] <= 'Z')
			return true;
	}
	return false;
}

/*
 * An error code is turned down whatever it names: "InvalidAuthorization"
 * as much as "InvalidSecurityToken".
 */
enum key_kind
mask_key_kind_from(const char *s, size_t lo, size_t e)
{
	enum key_kind k = key_kind_of_word(s, lo, e);

	return k != KEY_NONE && is_error_code(s, lo, e) ? KEY_NONE : k;
}

enum key_kind
mask_key_kind(const char *s, size_t e)
{
	return mask_key_kind_from(s, 0, e);
}

/* A key (of a JSON member) is read without its trailing "= or ': ". */
bool
mask_is_secret_key(const char *key, size_t len)
{
	while (len > 0 && (key[len - 1] == ' ' || key[len - 1] == '\t' ||
	    key[len - 1] == '"' || key[len - 1] == '\'' ||
	    key[len - 1] == '=' || key[len - 1] == ':'))
		len--;
	return mask_key_kind(key, len) != KEY_NONE;
}

