/*
 * Request rules; see params.h.  The character sets are deliberately narrow:
 * every value here ends up in an argv of aliyun or in a JSON field the
 * SysOM engine checks, and aliyun reads a value that starts with '-' as a
 * flag (facts: dash values).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "msg.h"
#include "params.h"

#define ERR(...) (snprintf(err, errlen, __VA_ARGS__), -1)

const char *
product_name(enum product p)
{
	switch (p) {
	case PRODUCT_EAS:
		return "EAS";
	case PRODUCT_DLC:
		return "DLC";
	default:
		return NULL;
	}
}

/* Describes the character at s for an error: 'x', or the byte in hex. */
static void
describe_char(const char *s, char *out, size_t outlen)
{
	unsigned char c = (unsigned char)*s;

	if (c > ' ' && c < 0x7f)
		snprintf(out, outlen, "'%c'", c);
	else if (c == ' ')
		snprintf(out, outlen, "a space");
	else if (c < 0x80)
		snprintf(out, outlen, "a control character (0x%02x)", c);
	else {
		/* Decode one UTF-8 sequence when it is one, to name it. */
		unsigned int cp = 0;
		int n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
		int k;

		if (n)
			cp = c & (0x7f >> n);
		for (k = 1; k < n && ((unsigned char)s[k] & 0xc0) == 0x80; k++)
			cp = (cp << 6) | ((unsigned char)s[k] & 0x3f);
		if (n && k == n)
			snprintf(out, outlen, "'%.*s' (U+%04X)", n, s, cp);
		else
			snprintf(out, outlen, "a non-UTF-8 byte (0x%02x)", c);
	}
}

static int
check_charset(const char *what, const char *s, const char *extra,
    size_t maxlen, char *err, size_t errlen)
{
	char desc[64];
	size_t len = strlen(s);

	if (len == 0)
		return ERR("%s is empty", what);
	if (len > maxlen)
		return ERR("%s is longer than %zu characters", what, maxlen);
	if (s[0] == '-')
		return ERR("%s must not start with '-'", what);
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (isascii(c) && (isalnum(c) || strchr(extra, c)))
			continue;
		describe_char(p, desc, sizeof(desc));
		/* Echo the value only when all of it is safe to print. */
		for (const char *q = s; *q; q++)
			if (!isprint((unsigned char)*q) || len > 80)
				return ERR("%s contains %s", what, desc);
		return ERR("%s '%s' contains %s", what, s, desc);
	}
	return 0;
}

int
check_region(const char *s, char *err, size_t errlen)
{
	if (check_charset("region", s, "-", MAX_REGION_LEN, err, errlen) < 0)
		return -1;
	for (const char *p = s; *p; p++)
		if (isupper((unsigned char)*p))
			return ERR("region '%s' must be lower case", s);
	return 0;
}

int
check_instance_id(const char *s, char *err, size_t errlen)
{
	return check_charset("instance id", s, "-_", MAX_ID_LEN, err, errlen);
}

int
check_task_id(const char *s, char *err, size_t errlen)
{
	return check_charset("task id", s, "-_", MAX_TASK_ID_LEN, err, errlen);
}

int
check_profile(const char *s, char *err, size_t errlen)
{
	return check_charset("profile", s, "-_.", MAX_TASK_ID_LEN, err, errlen);
}

int
split_target(const char *s, char **id, char **region, char *err,
    size_t errlen)
{
	const char *at = strchr(s, '@');

	*id = *region = NULL;
	if (at && check_region(at + 1, err, errlen) < 0)
		return -1;
	*id = at ? xstrndup(s, (size_t)(at - s)) : xstrdup(s);
	*region = at ? xstrdup(at + 1) : NULL;
	return 0;
}

int
check_uid(const char *s, char *err, size_t errlen)
{
	size_t len = strlen(s);

	if (len == 0 || len > 20 || strspn(s, "0123456789") != len)
		return ERR("uid must be 1 to 20 digits");
	if (s[0] == '0')
		return ERR("uid must not start with 0");
	if (len == 20 && strcmp(s, "18446744073709551615") > 0)
		return ERR("uid is larger than 18446744073709551615");
	return 0;
}

enum product
parse_product(const char *s)
{
	if (strcasecmp(s, "EAS") == 0)
		return PRODUCT_EAS;
	if (strcasecmp(s, "DLC") == 0)
		return PRODUCT_DLC;
	return PRODUCT_NONE;
}

enum product
infer_product(const char *id)
{
	if (strncmp(id, "eas-", 4) == 0)
		return PRODUCT_EAS;
	if (strncmp(id, "dlc", 3) == 0 && id[3] != '\0' && id[3] != '-')
		return PRODUCT_DLC;
	return PRODUCT_NONE;
}

/* Reads exactly n digits at *p; advances. */
static int
digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

static bool
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : d[m - 1];
}

int
parse_time(const char *s, int64_t *out, char *err, size_t errlen)
{
	const char *p = s;
	int y, mo, d, h, mi, sec = 0, oh = 0, om = 0, sign = 0;
	struct tm tm;
	time_t t;
	size_t len = strlen(s);

	if (len > 0 && len <= 12 && strspn(s, "0123456789") == len) {
		long long v = strtoll(s, NULL, 10);

		if (v > 253402300799LL)
			return ERR("time '%s' is out of range", s);
		*out = v;
		return 0;
	}
	if (digits(&p, 4, &y) < 0 || *p++ != '-' || digits(&p, 2, &mo) < 0 ||
	    *p++ != '-' || digits(&p, 2, &d) < 0 || (*p != ' ' && *p != 'T'))
		goto bad;
	p++;
	if (digits(&p, 2, &h) < 0 || *p++ != ':' || digits(&p, 2, &mi) < 0)
		goto bad;
	if (*p == ':' && (p++, digits(&p, 2, &sec) < 0))
		goto bad;
	if (s[10] == 'T' && *p == 'Z') {
		sign = 1;
		p++;
	} else if (s[10] == 'T' && (*p == '+' || *p == '-')) {
		sign = *p++ == '+' ? 1 : -1;
		if (digits(&p, 2, &oh) < 0 || *p++ != ':' ||
		    digits(&p, 2, &om) < 0 || oh > 23 || om > 59)
			goto bad;
	}
	if (*p != '\0')
		goto bad;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 ||
	    d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 59)
		return ERR("time '%s' is not a valid date and time", s);

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	if (sign) {
		t = timegm(&tm);
		*out = (int64_t)t - (int64_t)sign * (oh * 3600 + om * 60);
	} else {
		tm.tm_isdst = -1;
		errno = 0;
		t = mktime(&tm);
		if (t == (time_t)-1 && errno)
			return ERR("time '%s' cannot be converted", s);
		*out = (int64_t)t;
	}
	if (*out < 0)
		return ERR("time '%s' is before 1970", s);
	return 0;
bad:
	return ERR("time '%s' is not Unix seconds, 'YYYY-MM-DD HH:MM[:SS]' or "
	    "ISO 8601 'YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]'", s);
}

int
parse_duration(const char *s, int64_t *out, char *err, size_t errlen)
{
	size_t n = strspn(s, "0123456789");
	long long v, unit;

	if (n == 0 || n > 9 || s[n] == '\0' || s[n + 1] != '\0')
		return ERR("duration '%s' is not a number followed by s, m, h "
		    "or d (as in 30m)", s);
	switch (s[n]) {
	case 's':
		unit = 1;
		break;
	case 'm':
		unit = 60;
		break;
	case 'h':
		unit = 3600;
		break;
	case 'd':
		unit = 86400;
		break;
	default:
		return ERR("duration '%s' has an unknown unit '%c' (use s, m, h "
		    "or d)", s, s[n]);
	}
	v = strtoll(s, NULL, 10) * unit;
	if (v == 0)
		return ERR("duration '%s' is zero (use --realtime for a "
		    "real-time diagnosis)", s);
	if (v > MAX_WINDOW_SECONDS)
		return ERR("duration '%s' is longer than 30 days", s);
	*out = v;
	return 0;
}

int
parse_seconds(const char *s, double min, double max, double *out, char *err,
    size_t errlen)
{
	size_t n = strspn(s, "0123456789");
	char *end;
	double v;

	if (n == 0 || n > 10 || (s[n] == '.' &&
	    (strspn(s + n + 1, "0123456789") == 0 ||
	    s[n + 1 + strspn(s + n + 1, "0123456789")] != '\0')) ||
	    (s[n] != '.' && s[n] != '\0'))
		return ERR("'%s' is not a decimal number of seconds", s);
	v = strtod(s, &end);
	if (v < min || v > max)
		return ERR("'%s' is out of range (%g to %g)", s, min, max);
	*out = v;
	return 0;
}

char *
normalize_description(const char *s, char *err, size_t errlen)
{
	size_t len = strlen(s), o = 0;
	bool gap = false;
	char *out;
	char desc[64];

	if (len > MAX_DESCRIPTION_LEN) {
		snprintf(err, errlen, "description is longer than %d characters",
		    MAX_DESCRIPTION_LEN);
		return NULL;
	}
	out = xmalloc(len + 1);
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		    c == '\v' || c == '\f') {
			gap = o > 0;
			continue;
		}
		if (!(isascii(c) && (isalnum(c) || strchr("_.~-", c)))) {
			describe_char(p, desc, sizeof(desc));
			snprintf(err, errlen, "description contains %s; only "
			    "English letters, digits, spaces and _ . ~ - are "
			    "accepted", desc);
			free(out);
			return NULL;
		}
		if (gap)
			out[o++] = '_';
		gap = false;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return out;
}

bool
mentions_past_time(const char *s)
{
	static const char *const words[] = {
		"yesterday", "this morning", "last night", "ago", "earlier",
		"last week", "this afternoon", "last month", "previous",
		"tonight", "overnight", "at noon", "at midnight",
	};
	size_t len = strlen(s);
	char *low = xmalloc(len + 1);
	bool found = false;

	for (size_t i = 0; i <= len; i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	for (size_t i = 0; !found && i < sizeof(words) / sizeof(*words); i++) {
		const char *w = words[i], *p = low;
		size_t wl = strlen(w);

		while (!found && (p = strstr(p, w)) != NULL) {
			bool start = p == low || !isalpha((unsigned char)p[-1]);
			bool end = !isalpha((unsigned char)p[wl]);

			found = start && end;
			p++;
		}
	}
	/* "at 3pm", "at 10:30", "at 3 am" */
	for (const char *p = low; !found && (p = strstr(p, "at ")) != NULL; p++) {
		const char *q = p + 3;

		if (p != low && isalpha((unsigned char)p[-1]))
			continue;
		if (!isdigit((unsigned char)*q))
			continue;
		while (isdigit((unsigned char)*q))
			q++;
		if (*q == ':' || strncmp(q, "pm", 2) == 0 ||
		    strncmp(q, "am", 2) == 0 || strncmp(q, " pm", 3) == 0 ||
		    strncmp(q, " am", 3) == 0 || strncmp(q, " o'clock", 8) == 0)
			found = true;
	}
	free(low);
	return found;
}

/* Reads one numeric field; returns the next position or NULL. */
static const char *
version_field(const char *p, unsigned long long *v)
{
	char *end;

	if (!isdigit((unsigned char)*p))
		return NULL;
	errno = 0;
	*v = strtoull(p, &end, 10);
	if (errno)
		return NULL;
	return end;
}

static bool
version_valid(const char *s)
{
	unsigned long long v;
	const char *p = version_field(s, &v);
	int fields = 1;

	while (p && *p == '.') {
		p = version_field(p + 1, &v);
		fields++;
	}
	return p && *p == '\0' && fields >= 2;
}

int
version_cmp(const char *a, const char *b)
{
	if (!version_valid(a) || !version_valid(b))
		return -2;
	for (;;) {
		unsigned long long x = 0, y = 0;

		if (*a)
			a = version_field(a, &x);
		if (*b)
			b = version_field(b, &y);
		/* Both were valid, so neither is NULL; gcc -fanalyzer wants it said. */
		if (a == NULL || b == NULL)
			return -2;
		if (x != y)
			return x < y ? -1 : 1;
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
		if (*a == '\0' && *b == '\0')
			return 0;
	}
}

cJSON *
params_json(const struct diag_params *p)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		die("out of memory");
	/* cJSON returns NULL on allocation failure; check the last of each. */
	if (!cJSON_AddStringToObject(o, "instance", p->instance) ||
	    !cJSON_AddStringToObject(o, "region", p->region) ||
	    !cJSON_AddStringToObject(o, "product", product_name(p->product)) ||
	    !cJSON_AddNumberToObject(o, "start_time", (double)p->start_time) ||
	    !cJSON_AddNumberToObject(o, "end_time", (double)p->end_time) ||
	    !cJSON_AddStringToObject(o, "type", "ocd") ||
	    !cJSON_AddTrueToObject(o, "ai_roadmap") ||
	    !cJSON_AddFalseToObject(o, "enable_sysom_link"))
		die("out of memory");
	/* Raw keeps every digit: a double would round a 17-digit uid. */
	if (p->uid && !cJSON_AddRawToObject(o, "uid", p->uid))
		die("out of memory");
	if (p->ocd_description && *p->ocd_description &&
	    !cJSON_AddStringToObject(o, "ocd_description", p->ocd_description))
		die("out of memory");
	return o;
}
