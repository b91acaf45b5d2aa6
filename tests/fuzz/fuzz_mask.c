/*
 * Fuzz target: redact_mask() over any bytes, with four secrets registered
 * (an AccessKey pair, an STS token, and a value full of characters that
 * need escaping).
 *
 * Masking by value is compared with a slow reference written here from the
 * rule itself: every form of every secret derived anew (cJSON prints the
 * JSON form; base64 bit by bit), every 8-byte window of the text and of the
 * text without its line breaks searched for in the forms with memmem(),
 * runs widened to whole escapes and characters.  Then checked: masking is
 * masking by value then by pattern; masking is idempotent; no 8-byte piece
 * of a form survives (but those holding an unescaped '"', which are never
 * masked); redact_mask_scan() says len exactly when nothing changes and
 * never after the first change; a strict JSON input still parses after
 * masking, with the same shape except masked values, and so does it inside
 * a JSON string; redact() of the input is shown-safe and idempotent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "fuzz.h"
#include "mask.h"
#include "redact.h"

#define WIN 8

static const char id[] = "LTAI5tFuzz9Key0Id7Q2w";
static const char secret[] = "Fz9+kQ/2xW7=mP4rT8vB";
static const char token[] = "CAISxR4nB8mQ1wE7yT2uI9oP5aS3dF6gH0jK";
static const char odd[] = "q\"u\\ote<&>z9";

/* Every form, each followed by a NUL (no form holds one). */
static struct buf forms = BUF_INIT;

static void
form_end(void)
{
	buf_add(&forms, "", 1);
}

static void
add_url(const char *v, const char *hex)
{
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (strchr("-._~", *p) || (*p >= '0' && *p <= '9') ||
		    ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'))
			buf_add(&forms, p, 1);
		else
			buf_addf(&forms, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
	form_end();
}

/* The JSON string cJSON prints, without its quotes; go: as Go escapes. */
static void
add_json(const char *v, bool go)
{
	cJSON *j = cJSON_CreateString(v);
	char *text = cJSON_PrintUnformatted(j);
	size_t n = strlen(text);

	for (size_t i = 1; i + 1 < n; i++) {
		if (go && text[i] == '<')
			buf_adds(&forms, "\\u003c");
		else if (go && text[i] == '>')
			buf_adds(&forms, "\\u003e");
		else if (go && text[i] == '&')
			buf_adds(&forms, "\\u0026");
		else
			buf_add(&forms, text + i, 1);
	}
	form_end();
	cJSON_free(text);
	cJSON_Delete(j);
}

/*
 * The base64 characters of v placed after k other bytes that depend on v
 * alone: 6-bit groups starting at bit 6c >= 8k, the last one padded with
 * zero bits, then '=' up to a multiple of four characters.
 */
static void
add_base64(const char *v, size_t k, const char *abc)
{
	size_t n = strlen(v), bits = 8 * (k + n), c, total;

	for (c = (8 * k + 5) / 6; 6 * c < bits; c++) {
		unsigned g = 0;

		for (size_t b = 6 * c; b < 6 * c + 6; b++) {
			unsigned bit = 0;

			if (b >= 8 * k && b < bits)
				bit = ((unsigned char)v[b / 8 - k] >> (7 - b % 8)) & 1;
			g = g << 1 | bit;
		}
		buf_add(&forms, abc + g, 1);
	}
	total = (k + n + 2) / 3 * 4;
	for (; c < total; c++)
		buf_add(&forms, "=", 1);
	form_end();
}

static void
add_base64_all(const char *v)
{
	for (size_t k = 0; k < 3; k++) {
		add_base64(v, k, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
		add_base64(v, k, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
	}
}

static void
add_forms(const char *v)
{
	buf_adds(&forms, v);
	form_end();
	add_url(v, "0123456789ABCDEF");
	add_url(v, "0123456789abcdef");
	add_json(v, false);
	add_json(v, true);
	add_base64_all(v);
}

/* Whether any form holds the n bytes at w (never a NUL). */
static bool
in_forms(const void *w, size_t n)
{
	return memchr(w, '\0', n) == NULL &&
	    memmem(forms.data, forms.len, w, n) != NULL;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char pair[128];

	(void)argc;
	(void)argv;
	redact_add_secret_pair(id, secret);
	redact_add_secret(token);
	redact_add_secret(odd);
	add_forms(id);
	add_forms(secret);
	add_forms(token);
	add_forms(odd);
	snprintf(pair, sizeof(pair), "%s:%s", id, secret);
	add_base64_all(pair);
	/*
	 * JSON stays valid only if no window of a form can stand outside a
	 * string in JSON: one made of white space, punctuation, numbers and
	 * the letters of true, false and null.
	 */
	for (size_t i = 0; i + WIN <= forms.len; i++)
		if (strspn(forms.data + i, " \t\r\n{}[]:,0123456789+-.eEtrufalsn")
		    >= WIN)
			fuzz_fail("a form can stand outside a JSON string",
			    forms.data + i, WIN);
	return 0;
}

/* Whether s[q] (a '"') follows an even number of backslashes. */
static bool
bare(const char *s, size_t q)
{
	size_t k = 0;

	while (k < q && s[q - 1 - k] == '\\')
		k++;
	return k % 2 == 0;
}

/* Whether s[i] is part of a line break ("\n", "\r\n", then blanks). */
static bool
brk(const char *s, size_t n, size_t i)
{
	size_t j;

	if (s[i] == '\n' || (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n'))
		return true;
	if (s[i] != ' ' && s[i] != '\t')
		return false;
	for (j = i; j > 0 && (s[j - 1] == ' ' || s[j - 1] == '\t'); j--)
		;
	return j > 0 && s[j - 1] == '\n';
}

static bool
hexdigit(char c)
{
	return c && strchr("0123456789abcdefABCDEF", c) != NULL;
}

/* Length of the %XX or \uXXXX starting at s[e], or 0. */
static size_t
esc(const char *s, size_t n, size_t e)
{
	if (s[e] == '%')
		return e + 2 < n && hexdigit(s[e + 1]) && hexdigit(s[e + 2]) ?
		    3 : 0;
	if (s[e] == '\\' && e + 5 < n && s[e + 1] == 'u' &&
	    hexdigit(s[e + 2]) && hexdigit(s[e + 3]) && hexdigit(s[e + 4]) &&
	    hexdigit(s[e + 5]))
		return 6;
	return 0;
}

static bool
cont(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

/* Length of the UTF-8 sequence a lead byte announces, or 0. */
static size_t
lead(char ch)
{
	unsigned char c = (unsigned char)ch;

	return c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 :
	    c >= 0xf0 && c <= 0xf4 ? 4 : 0;
}

/* The start of the character the continuation byte s[i] is part of. */
static size_t
char_start(const char *s, size_t i)
{
	for (size_t k = 1; k <= 3 && k <= i; k++) {
		if (!cont(s[i - k]))
			return lead(s[i - k]) > k ? i - k : i;
	}
	return i;
}

/* Masking by value, the slow way; owned, its length in *len. */
static char *
ref_values(const char *s, size_t n, size_t *len)
{
	bool *mark = calloc(n + 1, 1), *b = calloc(n + 1, 1);
	size_t *vpos = malloc((n + 1) * sizeof(*vpos)), nv = 0;
	size_t (*runs)[2] = malloc((n + 1) * sizeof(*runs)), nr = 0;
	struct buf out = BUF_INIT;
	size_t done = 0;

	if (!mark || !b || !vpos || !runs)
		abort();
	for (size_t i = 0; i < n; i++)
		if (!(b[i] = brk(s, n, i)))
			vpos[nv++] = i;
	/* Windows of the text, and of the text without its line breaks. */
	for (size_t p = 0; p + WIN <= n; p++) {
		size_t k;

		for (k = 0; k < WIN; k++)
			if (s[p + k] == '"' && bare(s, p + k))
				break;
		if (k == WIN && in_forms(s + p, WIN))
			for (k = 0; k < WIN; k++)
				mark[p + k] = true;
	}
	for (size_t v = 0; v + WIN <= nv; v++) {
		char w[WIN];
		size_t k;

		for (k = 0; k < WIN; k++) {
			w[k] = s[vpos[v + k]];
			if (w[k] == '"' && bare(s, vpos[v + k]))
				break;
		}
		if (k == WIN && in_forms(w, WIN))
			for (k = 0; k < WIN; k++)
				mark[vpos[v + k]] = true;
	}
	/* Runs of masked bytes, line breaks left out, widened, merged. */
	for (size_t i = 0; i < n;) {
		size_t a, z;

		if (!mark[i] || b[i]) {
			i++;
			continue;
		}
		for (a = i; i < n && mark[i] && !b[i]; i++)
			;
		z = i;
		for (size_t e = a >= 5 ? a - 5 : 0; e < a; e++)
			if (esc(s, n, e) && e + esc(s, n, e) > a) {
				a = e;
				break;
			}
		while (a > 0 && s[a - 1] == '\\')
			a--;
		if (a < n && cont(s[a]))
			a = char_start(s, a);
		{
			size_t best = z;

			for (size_t e = z >= 5 ? z - 5 : 0; e < z; e++)
				if (esc(s, n, e) && e + esc(s, n, e) > best)
					best = e + esc(s, n, e);
			/* Backslashes at the end: all of them, and what follows. */
			if (best > 0 && s[best - 1] == '\\') {
				while (best < n && s[best] == '\\')
					best++;
				if (best < n)
					best += esc(s, n, best - 1) == 6 ? 5 : 1;
			}
			if (best > 0 && best < n && cont(s[best])) {
				size_t c = char_start(s, best);

				if (c < best)
					while (best < n && best < c + lead(s[c]) &&
					    cont(s[best]))
						best++;
			}
			z = best;
		}
		if (nr > 0 && a <= runs[nr - 1][1]) {
			if (z > runs[nr - 1][1])
				runs[nr - 1][1] = z;
		} else {
			runs[nr][0] = a;
			runs[nr][1] = z;
			nr++;
		}
	}
	for (size_t r = 0; r < nr; r++) {
		buf_add(&out, s + done, runs[r][0] - done);
		buf_adds(&out, REDACTED);
		done = runs[r][1];
	}
	buf_add(&out, s + done, n - done);
	free(mark);
	free(b);
	free(vpos);
	free(runs);
	return buf_detach(&out, len);
}

/*
 * Masking by pattern, the slow way, from the rule (redact.h, mask.h and
 * the comments of src/mask*.c) as it reads, with no table, no vector and
 * no backwards reading but where the rule says "before":
 *
 * One pass left to right; at each byte (the first one not yet replaced)
 * each pattern is tried, and the first that changes the text is replaced,
 * the pass going on after what it replaced (a match that already reads as
 * its replacement is passed over whole).  The patterns:
 *
 *  - a separator ('=', "=>", ':', ":=", "%3D", "%3A" in either case,
 *    U+FF1A) after a secret key, then white space and a closing quote
 *    (\", ", ' or %22) between them.  The key is the last word of
 *    [A-Za-z0-9_.-] before them; it is secret when, lower-cased and
 *    without '-', '_' and '.', it ends with one of ref_suffixes, or it is
 *    "sk" (any case), ends in "_sk" or "-sk", or is "sk" glued after an
 *    escape (%XX, \n, \t, \r, \uXXXX: the word is then the escape's tail
 *    and "sk"); but not when the word is letters and digits only,
 *    starting with one of ref_failures and then a capital (an error code).
 *    Its value, after blanks (after "key": of JSON also line breaks, and
 *    after \"key\": escaped ones), is a quoted string up to its quote
 *    ("…", '…', \"…\", %22…%22), a JSON literal (no match), the rest of
 *    the line for Authorization, a JSON array or object, or a word; a "
 *    or \" that looks like the end of the string the key is in is an
 *    empty value.  An unquoted or empty value of a JSON member becomes
 *    "[REDACTED]" with the member's quotes.
 *  - "LTAI" and letters, digits or '_', eight bytes at least (twelve when
 *    glued to a letter or digit that is not the end of an escape);
 *    "STS." so followed, not glued.
 *  - an XML element with a secret name (the key rule on its name, a
 *    namespace prefix aside), matched at the '>' (or "\u003e") that ends its
 *    open tag: the nearest '<' (or "\u003c") before it with no '>',
 *    "\u003e" or string-ending quote between, the name, blank-separated
 *    attributes, no '/'; its text up to the next tag or the end of the
 *    string it is in, if not empty.
 *
 * Then masking is by value, by pattern, and again both while a round
 * changes something by value.
 */
static const char *const ref_suffixes[] = {
	"accesskeyid", "secret", "token", "signature", "password", "passwd",
	"apikey", "privatekey", "authorization", "credential",
};
static const char *const ref_failures[] = {
	"Invalid", "Incomplete", "Missing", "Expired", "Empty", "Malformed",
};

enum { R_NONE, R_SECRET, R_AUTH };
enum { RQ_NONE, RQ_DQ, RQ_SQ, RQ_BSDQ, RQ_PCT };

static bool
r_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

static bool
r_word(char c)
{
	return r_alnum(c) || c == '_' || c == '.' || c == '-';
}

static bool
r_at(const char *s, size_t n, size_t i, const char *lit)
{
	size_t k = strlen(lit);

	return i <= n && n - i >= k && memcmp(s + i, lit, k) == 0;
}

static bool
r_hex4(const char *s)
{
	return hexdigit(s[0]) && hexdigit(s[1]) && hexdigit(s[2]) &&
	    hexdigit(s[3]);
}

/* Whether the normalized word w (m bytes) ends with suffix. */
static bool
r_ends(const char *w, size_t m, const char *suffix)
{
	size_t sl = strlen(suffix);

	return m >= sl && strncasecmp(w + m - sl, suffix, sl) == 0;
}

/*
 * What the key whose word is s[a..e) names; the word starts at a or
 * later, at the first byte after which all are [A-Za-z0-9_.-].
 */
static int
ref_key_kind_in(const char *s, size_t a, size_t e)
{
	size_t len, m = 0;
	char *norm;
	int kind = R_NONE;
	bool alnum = true;

	for (size_t i = e; i > a; i--)
		if (!r_word(s[i - 1])) {
			a = i;
			break;
		}
	len = e - a;
	if ((norm = malloc(len + 1)) == NULL)
		abort();
	for (size_t i = a; i < e; i++) {
		if (!r_alnum(s[i]))
			alnum = false;
		if (s[i] != '-' && s[i] != '_' && s[i] != '.')
			norm[m++] = (char)tolower((unsigned char)s[i]);
	}
	for (size_t k = 0; k < sizeof(ref_suffixes) / sizeof(*ref_suffixes); k++)
		if (r_ends(norm, m, ref_suffixes[k]))
			kind = strcmp(ref_suffixes[k], "authorization") == 0 ?
			    R_AUTH : R_SECRET;
	free(norm);
	if (kind == R_NONE && len >= 2 && strncasecmp(s + e - 2, "sk", 2) == 0 &&
	    (len == 2 || s[e - 3] == '_' || s[e - 3] == '-' ||
	    (a > 0 && s[a - 1] == '%' && len == 4 && hexdigit(s[a]) &&
	    hexdigit(s[a + 1])) ||
	    (a > 0 && s[a - 1] == '\\' && len == 3 && strchr("ntr", s[a])) ||
	    (a > 0 && s[a - 1] == '\\' && len == 7 && s[a] == 'u' &&
	    r_hex4(s + a + 1))))
		kind = R_SECRET;
	for (size_t k = 0; alnum && k < sizeof(ref_failures) /
	    sizeof(*ref_failures); k++) {
		size_t fl = strlen(ref_failures[k]);

		if (len > fl && memcmp(s + a, ref_failures[k], fl) == 0 &&
		    s[a + fl] >= 'A' && s[a + fl] <= 'Z')
			kind = R_NONE;
	}
	return kind;
}

/* What the key whose word ends at s[e] names. */
static int
ref_key_kind(const char *s, size_t e)
{
	return ref_key_kind_in(s, 0, e);
}

/* Whether s[i..) is Go's "\u003c" (which 'c') or "\u003e" (which 'e'), either case. */
static bool
r_go(const char *s, size_t n, size_t i, char which)
{
	return r_at(s, n, i, "\\u003") && i + 5 < n &&
	    tolower((unsigned char)s[i + 5]) == which;
}

/* Whether a line ends at s[i]: "\n" or "\r\n". */
static bool
r_eol(const char *s, size_t n, size_t i)
{
	return s[i] == '\n' || (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n');
}

/*
 * Past one character at s[i]: an escape is a backslash and a printable
 * character; "\\" (an escaped backslash, in JSON in JSON a backslash of
 * the inner text) takes the inner escape with it: the next character, or
 * escape, but a '"' or a line end.
 */
static size_t
r_one(const char *s, size_t n, size_t i)
{
	if (s[i] == '\\' && i + 1 < n && s[i + 1] > ' ' && s[i + 1] < 0x7f)
		return i + 2;
	return i + 1;
}

static size_t
r_step(const char *s, size_t n, size_t i)
{
	if (r_at(s, n, i, "\\\\")) {
		if (i + 2 < n && s[i + 2] != '"' && !r_eol(s, n, i + 2))
			return r_one(s, n, i + 2);
		return i + 2;
	}
	return r_one(s, n, i);
}

/*
 * Whether the quote at s[q] (" or \") looks like the end of a JSON string:
 * after it and white space (after \" also \n, \t, \r escaped), the end of
 * the text, ',', ':', ']', '}', or after \" a '"'.
 */
static bool
r_closing(const char *s, size_t n, size_t q)
{
	bool inner = s[q] == '\\';
	size_t i = q + (inner ? 2 : 1);

	for (;;) {
		if (i >= n)
			return true;
		if (strchr(" \t\n\r", s[i]) && s[i])
			i++;
		else if (inner && (r_at(s, n, i, "\\n") || r_at(s, n, i, "\\t") ||
		    r_at(s, n, i, "\\r")))
			i += 2;
		else
			return strchr(",:]}", s[i]) && s[i] ? true :
			    inner && s[i] == '"';
	}
}

static bool
r_value_char(char ch)
{
	unsigned char c = (unsigned char)ch;

	return c > ' ' && c != 0x7f && !strchr("&\"',;}])<>\\", c);
}

/* An unquoted value, or a %22-quoted one (pct): REDACTED is part of it. */
static size_t
r_scan_word(const char *s, size_t n, size_t c, bool pct)
{
	size_t i = c;

	for (;;) {
		if (pct && r_at(s, n, i, "%22"))
			return i;
		if (r_at(s, n, i, REDACTED))
			i += REDACTED_LEN;
		else if (i < n && r_value_char(s[i]))
			i++;
		else
			return i;
	}
}

/* A quoted value's contents: up to its quote, or a line end. */
static size_t
r_scan_quoted(const char *s, size_t n, size_t c, int q)
{
	size_t i;

	for (i = c; i < n && !r_eol(s, n, i); i = r_step(s, n, i)) {
		if (q == RQ_DQ && s[i] == '"')
			break;
		if (q == RQ_SQ && (s[i] == '\'' || (s[i] == '"' &&
		    r_closing(s, n, i)) || (r_at(s, n, i, "\\\"") &&
		    r_closing(s, n, i))))
			break;
		if (q == RQ_BSDQ && (s[i] == '"' || r_at(s, n, i, "\\\"")))
			break;
	}
	return i < n ? i : n;
}

/* Authorization: the rest of the line, or to the end of its string. */
static size_t
r_scan_line(const char *s, size_t n, size_t c)
{
	size_t i;

	for (i = c; i < n && !r_eol(s, n, i); i = r_step(s, n, i))
		if ((s[i] == '"' && r_closing(s, n, i)) || r_at(s, n, i, "\\n") ||
		    r_at(s, n, i, "\\r") || r_at(s, n, i, "\\\""))
			break;
	return i < n ? i : n;
}

/*
 * A JSON array or object, brackets matched, strings skipped; mode 0 in
 * JSON (strings "…"), 1 in JSON in a JSON string (strings \"…\", a '"'
 * ends it), 2 in other text (strings either way; a quote that looks
 * closing ends it).
 */
static size_t
r_scan_nested(const char *s, size_t n, size_t c, int mode)
{
	size_t depth = 0, i = c;

	while (i < n) {
		if (s[i] == '[' || s[i] == '{') {
			depth++;
			i++;
		} else if (s[i] == ']' || s[i] == '}') {
			i++;
			if (--depth == 0)
				return i;
		} else if (s[i] == '"') {
			if (mode == 1 || (mode == 2 && r_closing(s, n, i)))
				return i;
			/* A "…" string. */
			for (i++; i < n && s[i] != '"'; i = r_step(s, n, i))
				;
			i = i < n ? i + 1 : n;
		} else if (mode != 0 && r_at(s, n, i, "\\\"")) {
			if (mode == 2 && r_closing(s, n, i))
				return i;
			/* A \"…\" string, or the outer one ending. */
			for (i += 2; i < n && !r_at(s, n, i, "\\\"");
			    i = r_step(s, n, i))
				if (s[i] == '"')
					return i;
			if (i >= n)
				return n;
			i += 2;
		} else
			i = r_step(s, n, i);
	}
	return n;
}

static bool
r_literal(const char *s, size_t n, size_t c)
{
	static const char *const lits[] = { "true", "false", "null" };

	for (size_t k = 0; k < 3; k++) {
		size_t l = strlen(lits[k]);

		if (r_at(s, n, c, lits[k]) && (c + l == n || !r_word(s[c + l])))
			return true;
	}
	return false;
}

struct rrep {
	size_t start, end;
	const char *with;
};

/* The separator at s[j]: its length, or 0. */
static size_t
r_separator(const char *s, size_t n, size_t j)
{
	static const char *const seps[] = { "=>", ":=", "=", ":", "%3D",
		"%3d", "%3A", "%3a", "\xef\xbc\x9a" };

	for (size_t k = 0; k < sizeof(seps) / sizeof(*seps); k++)
		if (r_at(s, n, j, seps[k]))
			return strlen(seps[k]);
	return 0;
}

/* A secret key before the separator s[j..j+sl) and its value. */
static bool
ref_key_value(const char *s, size_t n, size_t j, size_t sl, struct rrep *r)
{
	size_t k = j, v, c, end;
	int kq = RQ_NONE, vq = RQ_NONE, kind;
	bool member;

	while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t'))
		k--;
	if (k >= 2 && r_at(s, n, k - 2, "\\\""))
		kq = RQ_BSDQ, k -= 2;
	else if (k >= 1 && s[k - 1] == '"')
		kq = RQ_DQ, k--;
	else if (k >= 1 && s[k - 1] == '\'')
		kq = RQ_SQ, k--;
	else if (k >= 3 && r_at(s, n, k - 3, "%22"))
		kq = RQ_PCT, k -= 3;
	if ((kind = ref_key_kind(s, k)) == R_NONE)
		return false;
	member = (kq == RQ_DQ || kq == RQ_BSDQ) && sl == 1 && s[j] == ':';
	v = j + sl;
	for (;;) {
		if (v < n && (s[v] == ' ' || s[v] == '\t'))
			v++;
		else if (member && kq == RQ_DQ && v < n && (s[v] == '\n' ||
		    s[v] == '\r'))
			v++;
		else if (member && kq == RQ_BSDQ && (r_at(s, n, v, "\\n") ||
		    r_at(s, n, v, "\\t") || r_at(s, n, v, "\\r")))
			v += 2;
		else
			break;
	}
	r->with = REDACTED;
	c = end = v;
	if (v >= n)
		;	/* empty */
	else if (r_at(s, n, v, "\\\"")) {
		if (member && kq == RQ_BSDQ ? false : r_closing(s, n, v))
			c = end = v;	/* empty: the string ends */
		else
			vq = RQ_BSDQ, c = v + 2;
	} else if (s[v] == '"') {
		if (kq == RQ_BSDQ || (!(member && kq == RQ_DQ) &&
		    r_closing(s, n, v)))
			c = end = v;
		else
			vq = RQ_DQ, c = v + 1;
	} else if (s[v] == '\'')
		vq = RQ_SQ, c = v + 1;
	else if (r_at(s, n, v, "%22"))
		vq = RQ_PCT, c = v + 3;
	else if (r_literal(s, n, v))
		return false;
	else if (kind == R_AUTH && !member)
		end = r_scan_line(s, n, c);
	else if (s[v] == '[' || s[v] == '{')
		end = r_scan_nested(s, n, c, !member ? 2 : kq == RQ_DQ ? 0 : 1);
	else
		end = r_scan_word(s, n, c, false);
	if (vq == RQ_PCT)
		end = r_scan_word(s, n, c, true);
	else if (vq != RQ_NONE)
		end = r_scan_quoted(s, n, c, vq);
	else if (member)
		r->with = kq == RQ_DQ ? "\"" REDACTED "\"" : "\\\"" REDACTED "\\\"";
	r->start = c;
	r->end = end;
	return true;
}

/* An AccessKey id or an STS token at s[i]. */
static bool
ref_key_id(const char *s, size_t n, size_t i, struct rrep *r)
{
	bool glued = i > 0 && r_alnum(s[i - 1]);
	size_t j;

	/* The end of an escape is no word to be glued to. */
	if (glued && ((i >= 3 && s[i - 3] == '%' && hexdigit(s[i - 2]) &&
	    hexdigit(s[i - 1])) || (i >= 6 && r_at(s, n, i - 6, "\\u") &&
	    r_hex4(s + i - 4)) || (i >= 2 && s[i - 2] == '\\' &&
	    strchr("ntr", s[i - 1]))))
		glued = false;
	if (!r_at(s, n, i, "LTAI") && !(r_at(s, n, i, "STS.") && !glued))
		return false;
	for (j = i + 4; j < n && (r_alnum(s[j]) || s[j] == '_'); j++)
		;
	if (j - i < (glued ? 12 : 8))
		return false;
	r->start = i;
	r->end = j;
	r->with = REDACTED;
	return true;
}

/* Whether s[i..j) is a quoted attribute value ("…", '…' or \"…\"). */
static bool
r_attr_value(const char *s, size_t i, size_t j, size_t *past)
{
	size_t q;

	if (s[i] == '"' || s[i] == '\'') {
		for (q = i + 1; q < j && s[q] != s[i]; q++)
			if (s[q] == '<')
				return false;
		*past = q + 1;
		return q < j;
	}
	if (j - i >= 2 && s[i] == '\\' && s[i + 1] == '"') {
		for (q = i + 2; q + 1 < j; q++)
			if (s[q] == '\\' && s[q + 1] == '"') {
				*past = q + 2;
				return true;
			}
		return false;
	}
	for (q = i; q < j && r_word(s[q]); q++)
		;
	*past = q;
	return q > i;
}

/*
 * Whether s[i..j) is the rest of an open tag after its name: nothing, or
 * items after blanks, an item a name of [A-Za-z0-9_.:-] with, or without,
 * '=' and a value, each followed by a blank or the end.
 */
static bool
r_attributes(const char *s, size_t i, size_t j)
{
	while (i < j) {
		size_t b = i;

		while (i < j && strchr(" \t\n\r", s[i]) && s[i])
			i++;
		if (i == j)
			return true;
		if (i == b || !(r_word(s[i]) || s[i] == ':'))
			return false;
		while (i < j && (r_word(s[i]) || s[i] == ':'))
			i++;
		if (i < j && s[i] == '=' && (i + 1 == j ||
		    !r_attr_value(s, i + 1, j, &i)))
			return false;
	}
	return true;
}

/* An XML element with a secret name whose open tag ends at s[j]. */
static bool
ref_element(const char *s, size_t n, size_t j, struct rrep *r)
{
	size_t lt = 0, name, local, t, end;
	bool found = false;

	for (size_t p = j; p-- > 0 && !found;) {
		if (s[p] == '<')
			lt = p + 1, found = true;
		else if (p >= 5 && r_go(s, n, p - 5, 'c'))
			lt = p + 1, found = true;
		else if (s[p] == '>' || (p >= 5 && r_go(s, n, p - 5, 'e')) ||
		    (s[p] == '"' && (r_closing(s, n, p) ||
		    (p > 0 && s[p - 1] == '\\' && r_closing(s, n, p - 1)))))
			return false;
	}
	if (!found)
		return false;
	for (name = local = lt; name < j && (r_word(s[name]) || s[name] == ':');
	    name++)
		if (s[name] == ':')
			local = name + 1;
	if (local == name || ref_key_kind_in(s, local, name) == R_NONE ||
	    !r_attributes(s, name, j))
		return false;
	t = j + (s[j] == '>' ? 1 : 6);
	for (end = t; end < n; end = r_step(s, n, end))
		if (s[end] == '<' || r_go(s, n, end, 'c') || ((s[end] == '"' ||
		    r_at(s, n, end, "\\\"")) && r_closing(s, n, end)))
			break;
	if (end == t)
		return false;
	r->start = t;
	r->end = end;
	r->with = REDACTED;
	return true;
}

/* The pattern whose trigger is s[i], if any. */
static bool
ref_pattern_at(const char *s, size_t n, size_t i, struct rrep *r)
{
	size_t sl;

	if (ref_key_id(s, n, i, r))
		return true;
	if ((s[i] == '>' || r_go(s, n, i, 'e')) &&
	    ref_element(s, n, i, r))
		return true;
	return (sl = r_separator(s, n, i)) != 0 && ref_key_value(s, n, i, sl, r);
}

/* Masking by pattern, the slow way; owned, its length in *len. */
static char *
ref_patterns(const char *s, size_t n, size_t *len)
{
	struct buf out = BUF_INIT;
	struct rrep r;
	size_t done = 0, i = 0;

	while (i < n) {
		if (!ref_pattern_at(s, n, i, &r)) {
			i++;
			continue;
		}
		if (r.end - r.start == strlen(r.with) &&
		    memcmp(s + r.start, r.with, r.end - r.start) == 0) {
			i = r.end > i ? r.end : i + 1;
			continue;
		}
		buf_add(&out, s + done, r.start - done);
		buf_adds(&out, r.with);
		done = i = r.end;
	}
	buf_add(&out, s + done, n - done);
	return buf_detach(&out, len);
}

/* redact_mask(), the slow way: by value, by pattern, again while needed. */
static char *
ref_mask(const char *s, size_t n, size_t *len)
{
	size_t vlen;
	char *v = ref_values(s, n, &vlen), *p = ref_patterns(v, vlen, len);

	for (int round = 0; round < 64; round++) {
		free(v);
		v = ref_values(p, *len, &vlen);
		if (vlen == *len && memcmp(v, p, vlen) == 0)
			break;
		free(p);
		p = ref_patterns(v, vlen, len);
	}
	free(v);
	return p;
}

/* redact_mask() of s; owned, its length in *len. */
static char *
mask(const char *s, size_t n, size_t *len)
{
	struct buf b = BUF_INIT;

	redact_mask(&b, s, n);
	return buf_detach(&b, len);
}

/* Whether s is JSON as a strict parser sees it (and cJSON parses it). */
static bool
strict_json(const char *s, size_t n)
{
	const char *end = NULL;
	bool in = false;
	cJSON *j;

	if (memchr(s, '\0', n))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 && (in || (c != '\t' && c != '\n' && c != '\r')))
			return false;
		/* cJSON takes a bad \u escape for U+0000. */
		if (in && c == '\\') {
			if (i + 1 >= n || !strchr("\"\\/bfnrtu", s[i + 1]))
				return false;
			if (s[++i] == 'u' && (i + 4 >= n || !hexdigit(s[i + 1]) ||
			    !hexdigit(s[i + 2]) || !hexdigit(s[i + 3]) ||
			    !hexdigit(s[i + 4])))
				return false;
		} else if (c == '"')
			in = !in;
	}
	j = cJSON_ParseWithOpts(s, &end, 1);
	cJSON_Delete(j);
	return j != NULL;
}

/* Whether m has the shape of a but for masked values and keys. */
static bool
shape(const cJSON *a, const cJSON *m)
{
	const cJSON *ca, *cm;

	if (cJSON_IsString(m) && strcmp(m->valuestring, REDACTED) == 0 &&
	    !cJSON_IsBool(a) && !cJSON_IsNull(a))
		return true;
	if ((a->type & 0xff) != (m->type & 0xff))
		return false;
	if (cJSON_IsString(a))
		return strcmp(a->valuestring, m->valuestring) == 0 ||
		    strstr(m->valuestring, REDACTED) != NULL;
	if (cJSON_IsNumber(a))
		return a->valuedouble == m->valuedouble ||
		    (a->valuedouble != a->valuedouble &&
		    m->valuedouble != m->valuedouble);
	for (ca = a->child, cm = m->child; ca && cm;
	    ca = ca->next, cm = cm->next)
		if ((ca->string && strcmp(ca->string, cm->string) != 0 &&
		    strstr(cm->string, REDACTED) == NULL) || !shape(ca, cm))
			return false;
	return ca == NULL && cm == NULL;
}

/* The masked JSON document parses with the shape of the original. */
static void
check_json(const char *doc, const char *masked, size_t mlen)
{
	cJSON *a = cJSON_Parse(doc), *m, *outer, *j_body;
	char *text, *mtext;
	size_t n;

	m = cJSON_ParseWithLength(masked, mlen);
	if (m == NULL || !shape(a, m))
		fuzz_fail("masked JSON lost its shape", masked, mlen);
	cJSON_Delete(m);

	outer = cJSON_CreateObject();
	cJSON_AddStringToObject(outer, "body", doc);
	text = cJSON_PrintUnformatted(outer);
	cJSON_Delete(outer);
	mtext = mask(text, strlen(text), &n);
	outer = cJSON_ParseWithLength(mtext, n);
	j_body = cJSON_GetObjectItemCaseSensitive(outer, "body");
	if (!cJSON_IsString(j_body))
		fuzz_fail("masked JSON in JSON does not parse", mtext, n);
	m = cJSON_Parse(j_body->valuestring);
	if (m == NULL || !shape(a, m))
		fuzz_fail("masked JSON in JSON lost its shape", mtext, n);
	cJSON_Delete(m);
	cJSON_Delete(outer);
	free(mtext);
	cJSON_free(text);
	cJSON_Delete(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct buf v = BUF_INIT;
	char *ref, *out, *again, *via, *r1, *r2, *copy, *pref;
	size_t rlen, olen, alen, vlen, plen, scan, diff;

	/* By value, against the reference. */
	ref = ref_values(s, size, &rlen);
	if (!mask_values(&v, s, size))
		buf_add(&v, s, size);
	if (v.len != rlen || memcmp(v.data, ref, rlen) != 0) {
		fuzz_show("the reference", ref, rlen);
		fuzz_fail("by value differs from the reference", v.data, v.len);
	}
	buf_release(&v);

	/* Then by pattern, against the reference; once is enough. */
	out = mask(s, size, &olen);
	pref = ref_mask(s, size, &plen);
	if (olen != plen || memcmp(out, pref, olen) != 0) {
		fuzz_show("the input", s, size);
		fuzz_show("the reference", pref, plen);
		fuzz_fail("masking differs from the reference", out, olen);
	}
	free(pref);
	via = mask(ref, rlen, &vlen);
	if (olen != vlen || memcmp(out, via, olen) != 0)
		fuzz_fail("masking is not by value then by pattern", out, olen);
	again = mask(out, olen, &alen);
	if (alen != olen || memcmp(again, out, olen) != 0)
		fuzz_fail("masking is not idempotent", out, olen);
	for (size_t p = 0; p + WIN <= olen; p++) {
		size_t k;

		for (k = 0; k < WIN; k++)
			if (out[p + k] == '"' && bare(out, p + k))
				break;
		if (k == WIN && in_forms(out + p, WIN))
			fuzz_fail("a piece of a secret survives", out, olen);
	}

	/* The scan. */
	scan = redact_mask_scan(s, size);
	for (diff = 0; diff < size && diff < olen && s[diff] == out[diff]; diff++)
		;
	if ((olen == size && diff == size) != (scan == size) || scan > diff)
		fuzz_fail("redact_mask_scan() is wrong", s, size);

	/* JSON stays JSON. */
	copy = fuzz_cstr(data, size);
	if (strict_json(copy, size))
		check_json(copy, out, olen);

	/* redact() with secrets loaded. */
	r1 = redact(s, size);
	fuzz_check_shown("redact()", r1, strlen(r1));
	r2 = redact_str(r1);
	if (strcmp(r1, r2) != 0)
		fuzz_fail("redact() is not idempotent", r1, strlen(r1));
	scan = redact_scan(s, size);
	if ((scan == size) != (strlen(r1) == size && memcmp(r1, s, size) == 0))
		fuzz_fail("redact_scan() is wrong", s, size);

	free(copy);
	free(r1);
	free(r2);
	free(again);
	free(via);
	free(out);
	free(ref);
	return 0;
}
