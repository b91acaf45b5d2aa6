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
	char *ref, *out, *again, *via, *r1, *r2, *copy;
	size_t rlen, olen, alen, vlen, scan, diff;

	/* By value, against the reference. */
	ref = ref_values(s, size, &rlen);
	if (!mask_values(&v, s, size))
		buf_add(&v, s, size);
	if (v.len != rlen || memcmp(v.data, ref, rlen) != 0) {
		fuzz_show("the reference", ref, rlen);
		fuzz_fail("by value differs from the reference", v.data, v.len);
	}
	buf_release(&v);

	/* Then by pattern; once is enough. */
	out = mask(s, size, &olen);
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
