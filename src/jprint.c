/*
 * Relayed JSON printed as it streams; see jprint.h.  The layout rules are
 * cJSON 1.7's: an object's members one per line, indented by one tab per
 * level, "key":<tab>value; an array's elements on one line, separated by
 * ", "; strings escape only '"', '\\' and bytes below 0x20; numbers print
 * with 15 significant digits, or 17 when 15 do not read back the same.
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

static void
stage_out(struct jout *o)
{
	if (o->staged)
		fwrite(o->stage, 1, o->staged, o->f);
	o->staged = 0;
}

static void
raw(struct jout *o, const char *s, size_t n)
{
	if (o->f == NULL) {
		buf_add(o->b, s, n);
		return;
	}
	o->unsafe += n;
	if (o->stage == NULL)
		o->stage = xmalloc(JOUT_STAGE);
	if (n > JOUT_STAGE - o->staged) {
		stage_out(o);
		if (n > JOUT_STAGE) {
			fwrite(s, 1, n, o->f);
			return;
		}
	}
	memcpy(o->stage + o->staged, s, n);
	o->staged += n;
}

static void
put(struct jout *o, const char *s)
{
	raw(o, s, strlen(s));
}

static void
tabs(struct jout *o, int n)
{
	static const char t[] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";

	for (; n > 0; n -= 16)
		raw(o, t, n < 16 ? (size_t)n : 16);
}

void
jprint_string(struct jout *o, const char *s, size_t n)
{
	static const char *const esc[32] = {
		"\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004",
		"\\u0005", "\\u0006", "\\u0007", "\\b", "\\t", "\\n", "\\u000b",
		"\\f", "\\r", "\\u000e", "\\u000f", "\\u0010", "\\u0011",
		"\\u0012", "\\u0013", "\\u0014", "\\u0015", "\\u0016",
		"\\u0017", "\\u0018", "\\u0019", "\\u001a", "\\u001b",
		"\\u001c", "\\u001d", "\\u001e", "\\u001f",
	};
	size_t run = 0;

	raw(o, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c > 31 && c != '"' && c != '\\')
			continue;
		raw(o, s + run, i - run);
		run = i + 1;
		put(o, c == '"' ? "\\\"" : c == '\\' ? "\\\\" : esc[c]);
	}
	raw(o, s + run, n - run);
	raw(o, "\"", 1);
}

/* As cJSON's compare_double(); without libm. */
static bool
same_double(double a, double b)
{
	double fa = a < 0 ? -a : a, fb = b < 0 ? -b : b, diff = a - b;

	return (diff < 0 ? -diff : diff) <= (fa > fb ? fa : fb) * DBL_EPSILON;
}

/*
 * Whether "%1.15g" prints the number text p (n bytes) as it is: no
 * exponent, no needless zero, at most 15 significant digits (which a
 * double holds exactly: DBL_DIG), and not so small that %g would use an
 * exponent.
 */
static bool
prints_as_is(const char *p, size_t n)
{
	size_t i = 0, digits = 0, lead = 0;
	bool dot = false;

	if (i < n && p[i] == '-')
		i++;
	if (i == n || p[i] < '0' || p[i] > '9' || (p[i] == '0' && i + 1 < n && p[i + 1] != '.') ||
	    (p[i] == '0' && i + 1 == n && i > 0))
		return false;	/* "012", "-0" */
	for (; i < n; i++) {
		if (p[i] == '.' && !dot) {
			dot = true;
		} else if (p[i] >= '0' && p[i] <= '9') {
			if (digits == 0 && p[i] == '0')
				lead++;
			else
				digits++;
		} else {
			return false;
		}
	}
	return digits <= 15 && lead < 5 && p[n - 1] != '.' &&
	    !(dot && p[n - 1] == '0') && !(digits == 0 && dot);
}

/* As cJSON's print_number(); returns the end of the number text. */
static const char *
number(struct jout *o, const char *p, const char *end)
{
	char nb[32];
	double d = 0, test = 0;

	end = jscan_number(p, end, NULL);
	if (prints_as_is(p, (size_t)(end - p))) {
		raw(o, p, (size_t)(end - p));
		return end;
	}
	jscan_number(p, end, &d);
	if (isnan(d) || isinf(d)) {
		put(o, "null");
		return end;
	}
	snprintf(nb, sizeof(nb), "%1.15g", d);
	test = strtod(nb, NULL);
	if (!same_double(test, d))
		snprintf(nb, sizeof(nb), "%1.17g", d);
	put(o, nb);
	return end;
}

/* A string decoded, cut at its first NUL. */
static void
decode(struct jtext *t, struct jspan v)
{
	t->owned = NULL;
	t->s = v.p + 1;
	t->n = v.n - 2;
	if (memchr(t->s, '\\', t->n) == NULL) {
		t->n = strnlen(t->s, t->n);
		return;
	}
	t->owned = xmalloc(v.n);
	t->n = jscan_str_buf(v, t->owned);
	t->s = t->owned;
}

/* Redacts t in place; whether that changed it. */
static bool
make_safe(struct jtext *t)
{
	char *r;
	bool changed;

	if (redact_scan(t->s, t->n) == t->n)
		return false;
	r = redact(t->s, t->n);
	changed = strlen(r) != t->n || memcmp(r, t->s, t->n) != 0;
	free(t->owned);
	t->owned = r;
	t->s = r;
	t->n = strlen(r);
	return changed;
}

void
jtext_string(struct jtext *t, struct jspan v)
{
	decode(t, v);
	make_safe(t);
}

bool
jtext_key(struct jtext *t, struct jspan k)
{
	bool secret;

	decode(t, k);
	secret = mask_is_secret_key(t->s, t->n);
	if (make_safe(t))
		secret = secret || redact_is_secret_key(t->s);
	return secret;
}

void
jtext_name(struct jtext *t, struct jspan k)
{
	decode(t, k);
	if (memchr(t->s, '\033', t->n) != NULL)
		make_safe(t);
}

void
jtext_value(struct jtext *t, struct jspan v)
{
	struct buf b = BUF_INIT;
	struct jout o = JOUT_BUF(&b, false);

	if (jscan_is_string(v)) {
		jtext_string(t, v);
		return;
	}
	jprint(&o, v, 0);
	t->n = b.len;
	t->s = t->owned = buf_detach(&b, NULL);
}

char *
jtext_cstr(struct jtext *t)
{
	char *s = t->owned ? t->owned : xstrndup(t->s, t->n);

	t->owned = NULL;
	return s;
}

void
jtext_release(struct jtext *t)
{
	free(t->owned);
	t->owned = NULL;
}

/*
 * The printer reads the text as it prints it: each function takes the
 * first byte of its value and returns the byte after it, so every byte is
 * read once, at any depth.
 */
static const char *value(struct jout *o, const char *p, const char *end,
    int depth);

static const char *
object(struct jout *o, const char *p, const char *end, int depth)
{
	struct jspan k;
	struct jtext t;
	bool hide;

	raw(o, o->fmt ? "{\n" : "{", o->fmt ? 2 : 1);
	p = jscan_ws(p + 1, end);
	while (*p != '}') {
		k.p = p;
		k.n = (size_t)(jscan_string_end(p, end) - p);
		p = jscan_ws(jscan_ws(k.p + k.n, end) + 1, end);	/* ':' */
		if (o->fmt)
			tabs(o, depth + 1);
		hide = jtext_key(&t, k) && *p != 't' && *p != 'f' && *p != 'n';
		jprint_string(o, t.s, t.n);
		jtext_release(&t);
		raw(o, o->fmt ? ":\t" : ":", o->fmt ? 2 : 1);
		if (hide) {
			jprint_string(o, REDACTED, REDACTED_LEN);
			p = jscan_skip(p, end);
		} else {
			p = value(o, p, end, depth + 1);
		}
		p = jscan_ws(p, end);
		if (*p == ',') {
			p = jscan_ws(p + 1, end);
			raw(o, ",", 1);
		}
		if (o->fmt)
			raw(o, "\n", 1);
	}
	if (o->fmt)
		tabs(o, depth);
	raw(o, "}", 1);
	return p + 1;
}

static const char *
array(struct jout *o, const char *p, const char *end, int depth)
{
	raw(o, "[", 1);
	p = jscan_ws(p + 1, end);
	while (*p != ']') {
		p = jscan_ws(value(o, p, end, depth + 1), end);
		if (*p == ',') {
			p = jscan_ws(p + 1, end);
			raw(o, o->fmt ? ", " : ",", o->fmt ? 2 : 1);
		}
		if (o->f && o->unsafe >= JOUT_STAGE / 2) {
			stage_out(o);
			out_safe_point(o->f);
			o->unsafe = 0;
		}
	}
	raw(o, "]", 1);
	return p + 1;
}

static const char *
value(struct jout *o, const char *p, const char *end, int depth)
{
	struct jtext t;
	struct jspan v;

	switch (*p) {
	case '{':
		return object(o, p, end, depth);
	case '[':
		return array(o, p, end, depth);
	case '"':
		v.p = p;
		v.n = (size_t)(jscan_string_end(p, end) - p);
		jtext_string(&t, v);
		jprint_string(o, t.s, t.n);
		jtext_release(&t);
		return p + v.n;
	case 't': case 'n':
		raw(o, p, 4);
		return p + 4;
	case 'f':
		raw(o, p, 5);
		return p + 5;
	default:
		return number(o, p, end);
	}
}

void
jprint(struct jout *o, struct jspan v, int depth)
{
	value(o, v.p, v.p + v.n, depth);
	if (o->f)
		stage_out(o);
}

void
jprint_done(struct jout *o)
{
	free(o->stage);
	o->stage = NULL;
}
