/*
 * Relayed JSON printed as it streams; see jprint.h.  The layout rules are
 * cJSON 1.7's: an object's members one per line, indented by one tab per
 * level, "key":<tab>value; an array's elements on one line, separated by
 * ", "; strings escape only '"', '\\' and bytes below 0x20; numbers print
 * as an int when they are one, else with 15 significant digits, or 17 when
 * 15 do not read back the same.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jprint.h"
#include "mask.h"
#include "output.h"
#include "redact.h"
#include "xalloc.h"

void
jprint_raw(const struct jout *o, const char *s, size_t n)
{
	if (o->f)
		fwrite(s, 1, n, o->f);
	else
		buf_add(o->b, s, n);
}

static void
put(const struct jout *o, const char *s)
{
	jprint_raw(o, s, strlen(s));
}

static void
tabs(const struct jout *o, int n)
{
	static const char t[] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";

	for (; n > 0; n -= 16)
		jprint_raw(o, t, n < 16 ? (size_t)n : 16);
}

void
jprint_string(const struct jout *o, const char *s, size_t n)
{
	size_t run = 0;
	char esc[8];

	jprint_raw(o, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c > 31 && c != '"' && c != '\\')
			continue;
		jprint_raw(o, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': put(o, "\\\""); break;
		case '\\': put(o, "\\\\"); break;
		case '\b': put(o, "\\b"); break;
		case '\f': put(o, "\\f"); break;
		case '\n': put(o, "\\n"); break;
		case '\r': put(o, "\\r"); break;
		case '\t': put(o, "\\t"); break;
		default:
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			put(o, esc);
		}
	}
	jprint_raw(o, s + run, n - run);
	jprint_raw(o, "\"", 1);
}

/* As cJSON's compare_double(); without libm. */
static bool
same_double(double a, double b)
{
	double fa = a < 0 ? -a : a, fb = b < 0 ? -b : b, diff = a - b;

	return (diff < 0 ? -diff : diff) <= (fa > fb ? fa : fb) * DBL_EPSILON;
}

/* As cJSON's print_number(). */
static void
number(const struct jout *o, double d)
{
	char nb[32];
	double test = 0;

	if (isnan(d) || isinf(d)) {
		put(o, "null");
		return;
	}
	snprintf(nb, sizeof(nb), "%1.15g", d);
	if (sscanf(nb, "%lg", &test) != 1 || !same_double(test, d))
		snprintf(nb, sizeof(nb), "%1.17g", d);
	put(o, nb);
}

/*
 * A string decoded (cut at its first NUL) and made safe as redact_tree()
 * makes it: *s points into v or to *owned (free it).
 */
static size_t
decoded(struct jspan v, const char **s, char **owned)
{
	size_t n = v.n - 2;

	*owned = NULL;
	*s = v.p + 1;
	if (memchr(*s, '\\', n) == NULL)
		return strnlen(*s, n);
	*owned = xmalloc(v.n);
	n = jscan_str_buf(v, *owned);
	*s = *owned;
	return n;
}

/* A decoded key or string redacted; *changed when that changed it. */
static char *
safe(const char *s, size_t n, bool *changed)
{
	char *r;

	*changed = false;
	if (redact_scan(s, n) == n)
		return NULL;
	r = redact(s, n);
	*changed = strlen(r) != n || memcmp(r, s, n) != 0;
	return r;
}

static void
string(const struct jout *o, struct jspan v)
{
	const char *s;
	char *owned, *r;
	size_t n = decoded(v, &s, &owned);
	bool changed;

	if ((r = safe(s, n, &changed)) != NULL)
		jprint_string(o, r, strlen(r));
	else
		jprint_string(o, s, n);
	free(r);
	free(owned);
}

/* Prints a member's key; whether its value is to be hidden. */
static bool
key(const struct jout *o, struct jspan k)
{
	const char *s;
	char *owned, *r;
	size_t n = decoded(k, &s, &owned);
	bool secret = mask_is_secret_key(s, n), changed;

	r = safe(s, n, &changed);
	if (changed) {
		secret = secret || redact_is_secret_key(r);
		jprint_string(o, r, strlen(r));
	} else {
		jprint_string(o, s, n);
	}
	free(r);
	free(owned);
	return secret;
}

static void
object(const struct jout *o, struct jspan v, int depth)
{
	struct jiter it;
	struct jspan k, val;
	bool more;

	jprint_raw(o, o->fmt ? "{\n" : "{", o->fmt ? 2 : 1);
	jscan_first(&it, v);
	more = jscan_next(&it, &k, &val);
	while (more) {
		if (o->fmt)
			tabs(o, depth + 1);
		if (key(o, k) && !jscan_is_literal(val)) {
			jprint_raw(o, o->fmt ? ":\t" : ":", o->fmt ? 2 : 1);
			jprint_string(o, REDACTED, REDACTED_LEN);
		} else {
			jprint_raw(o, o->fmt ? ":\t" : ":", o->fmt ? 2 : 1);
			jprint(o, val, depth + 1);
		}
		more = jscan_next(&it, &k, &val);
		if (more)
			jprint_raw(o, ",", 1);
		if (o->fmt)
			jprint_raw(o, "\n", 1);
	}
	if (o->fmt)
		tabs(o, depth);
	jprint_raw(o, "}", 1);
}

static void
array(const struct jout *o, struct jspan v, int depth)
{
	struct jiter it;
	struct jspan k, val;
	bool more;

	jprint_raw(o, "[", 1);
	jscan_first(&it, v);
	more = jscan_next(&it, &k, &val);
	while (more) {
		jprint(o, val, depth + 1);
		more = jscan_next(&it, &k, &val);
		if (more)
			jprint_raw(o, o->fmt ? ", " : ",", o->fmt ? 2 : 1);
		if (o->f)
			out_safe_point(o->f);
	}
	jprint_raw(o, "]", 1);
}

void
jprint(const struct jout *o, struct jspan v, int depth)
{
	double d = 0;

	switch (v.n ? *v.p : 0) {
	case '{':
		object(o, v, depth);
		break;
	case '[':
		array(o, v, depth);
		break;
	case '"':
		string(o, v);
		break;
	case 't': case 'f': case 'n':
		jprint_raw(o, v.p, v.n);
		break;
	default:
		jscan_number(v.p, v.p + v.n, &d);
		number(o, d);
	}
}
