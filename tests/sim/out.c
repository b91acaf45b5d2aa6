/*
 * Plumbing of the aliyun simulator: unbuffered output with write(2) so that
 * stdout and stderr interleave exactly as written, a growable string buffer,
 * allocation wrappers that end the run on exhaustion, and a JSON printer.
 * The printer exists because the plugins are believed to print two-space
 * indented JSON (cJSON_Print indents with tabs) and because Go's compact
 * encoding, used inside TEA error blocks, has no spaces at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "sim.h"

/*
 * Write all of buf to fd.  Returns 0, or -1 on an error; a closed pipe
 * (EPIPE, SIGPIPE is ignored) is such an error and is not reported, as a
 * CLI writing into a closed pipe simply stops.
 */
int
out_write(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

void
out_puts(int fd, const char *s)
{
	(void)out_write(fd, s, strlen(s));
}

void
out_printf(int fd, const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	(void)out_write(fd, sb.buf, sb.len);
	sbuf_release(&sb);
}

void
die(const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;

	sbuf_adds(&sb, "aliyun-sim: ");
	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	sbuf_addc(&sb, '\n');
	(void)out_write(2, sb.buf, sb.len);
	sbuf_release(&sb);
	exit(SIM_EXIT_BROKEN);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		die("out of memory");
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		die("out of memory");
	return p;
}

char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		die("out of memory");
	return p;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (p == NULL)
		die("out of memory");
	return p;
}

/* Grow sb so that it can take n more bytes and a NUL. */
static void
sbuf_grow(struct sbuf *sb, size_t n)
{
	size_t want, cap;
	char *p;

	if (n > SIZE_MAX - sb->len - 1)
		die("out of memory");
	want = sb->len + n + 1;
	if (want <= sb->cap)
		return;
	cap = sb->cap ? sb->cap : 64;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	p = realloc(sb->buf, cap);
	if (p == NULL)
		die("out of memory");
	sb->buf = p;
	sb->cap = cap;
}

void
sbuf_add(struct sbuf *sb, const void *p, size_t n)
{
	sbuf_grow(sb, n);
	if (n > 0)
		memcpy(sb->buf + sb->len, p, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void
sbuf_adds(struct sbuf *sb, const char *s)
{
	sbuf_add(sb, s, strlen(s));
}

void
sbuf_addc(struct sbuf *sb, char c)
{
	sbuf_add(sb, &c, 1);
}

void
sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap)
{
	char *s;
	int n;

	n = vasprintf(&s, fmt, ap);
	if (n < 0)
		die("out of memory");
	sbuf_add(sb, s, (size_t)n);
	free(s);
}

void
sbuf_addf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

void
sbuf_release(struct sbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

/* Hand the string over to the caller, who frees it; never NULL. */
char *
sbuf_detach(struct sbuf *sb)
{
	char *p;

	if (sb->buf == NULL)
		sbuf_grow(sb, 0);
	p = sb->buf;
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return p;
}

/* dir + "/" + name, or name itself when it is absolute; caller frees. */
char *
path_join(const char *dir, const char *name)
{
	struct sbuf sb = SBUF_INIT;
	size_t n;

	if (name[0] == '/' || dir == NULL || dir[0] == '\0')
		return xstrdup(name);
	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	sbuf_add(&sb, dir, n);
	if (!(n == 1 && dir[0] == '/'))
		sbuf_addc(&sb, '/');
	sbuf_adds(&sb, name);
	return sbuf_detach(&sb);
}

void
sleep_ms(long ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

void
hang_forever(void)
{
	for (;;)
		pause();
}

/*
 * Quote one argument for the argv log: bare when it is non-empty and made
 * only of characters no shell treats specially, else in single quotes.
 */
void
shell_quote(struct sbuf *sb, const char *s)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:=@%+,-";
	const char *p;

	if (s[0] != '\0' && strspn(s, safe) == strlen(s)) {
		sbuf_adds(sb, s);
		return;
	}
	sbuf_addc(sb, '\'');
	for (p = s; *p != '\0'; p++) {
		if (*p == '\'')
			sbuf_adds(sb, "'\\''");
		else
			sbuf_addc(sb, *p);
	}
	sbuf_addc(sb, '\'');
}

static void
json_string(struct sbuf *sb, const char *s)
{
	const unsigned char *p;

	sbuf_addc(sb, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			sbuf_adds(sb, "\\\"");
			break;
		case '\\':
			sbuf_adds(sb, "\\\\");
			break;
		case '\n':
			sbuf_adds(sb, "\\n");
			break;
		case '\r':
			sbuf_adds(sb, "\\r");
			break;
		case '\t':
			sbuf_adds(sb, "\\t");
			break;
		case '\b':
			sbuf_adds(sb, "\\b");
			break;
		case '\f':
			sbuf_adds(sb, "\\f");
			break;
		default:
			if (*p < 0x20)
				sbuf_addf(sb, "\\u%04x", *p);
			else
				sbuf_addc(sb, (char)*p);
		}
	}
	sbuf_addc(sb, '"');
}

/* Integers as integers, other numbers in the shortest form that reads back. */
static void
json_number(struct sbuf *sb, double d)
{
	char b[64];
	int n;

	if (d > -1e17 && d < 1e17 && (double)(long long)d == d) {
		sbuf_addf(sb, "%lld", (long long)d);
		return;
	}
	n = snprintf(b, sizeof(b), "%.15g", d);
	if (n > 0 && (size_t)n < sizeof(b) && strtod(b, NULL) != d)
		n = snprintf(b, sizeof(b), "%.17g", d);
	if (n < 0 || (size_t)n >= sizeof(b))
		die("cannot format a number");
	sbuf_adds(sb, b);
}

static void
json_indent(struct sbuf *sb, int indent, int depth)
{
	int i;

	sbuf_addc(sb, '\n');
	for (i = 0; i < indent * depth; i++)
		sbuf_addc(sb, ' ');
}

static void
json_value(struct sbuf *sb, const cJSON *j, int indent, int depth)
{
	const cJSON *c;
	int obj;

	if (cJSON_IsNull(j) || cJSON_IsInvalid(j)) {
		sbuf_adds(sb, "null");
		return;
	}
	if (cJSON_IsFalse(j) || cJSON_IsTrue(j)) {
		sbuf_adds(sb, cJSON_IsTrue(j) ? "true" : "false");
		return;
	}
	if (cJSON_IsNumber(j)) {
		json_number(sb, j->valuedouble);
		return;
	}
	if (cJSON_IsString(j)) {
		json_string(sb, j->valuestring ? j->valuestring : "");
		return;
	}
	if (cJSON_IsRaw(j)) {
		sbuf_adds(sb, j->valuestring ? j->valuestring : "null");
		return;
	}
	obj = cJSON_IsObject(j);
	if (j->child == NULL) {
		sbuf_adds(sb, obj ? "{}" : "[]");
		return;
	}
	sbuf_addc(sb, obj ? '{' : '[');
	for (c = j->child; c != NULL; c = c->next) {
		if (indent > 0)
			json_indent(sb, indent, depth + 1);
		if (obj) {
			json_string(sb, c->string ? c->string : "");
			sbuf_adds(sb, indent > 0 ? ": " : ":");
		}
		json_value(sb, c, indent, depth + 1);
		if (c->next != NULL)
			sbuf_addc(sb, ',');
	}
	if (indent > 0)
		json_indent(sb, indent, depth);
	sbuf_addc(sb, obj ? '}' : ']');
}

/*
 * Append j to sb: compact like Go's encoding/json when indent is 0, else
 * indented by that many spaces per level.
 */
void
json_print(struct sbuf *sb, const cJSON *j, int indent)
{
	json_value(sb, j, indent, 0);
}

/* Print j on fd the way a plugin prints a response: 2 spaces, newline. */
void
json_put_pretty(int fd, const cJSON *j)
{
	struct sbuf sb = SBUF_INIT;

	json_print(&sb, j, 2);
	sbuf_addc(&sb, '\n');
	(void)out_write(fd, sb.buf, sb.len);
	sbuf_release(&sb);
}

/*
 * Go's encoding/json, for what the real CLI writes with json.Marshal or
 * MarshalIndent: '<', '>' and '&' escaped as \u003c \u003e \u0026 (Marshal
 * escapes HTML), U+2028 and U+2029 escaped, \b \f \n \r \t in short form and
 * other control characters as \u00XX, an invalid UTF-8 byte as \ufffd.
 */
static void
go_string(struct sbuf *sb, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	sbuf_addc(sb, '"');
	while (*p != '\0') {
		if (*p < 0x80) {
			switch (*p) {
			case '"':	sbuf_adds(sb, "\\\""); break;
			case '\\':	sbuf_adds(sb, "\\\\"); break;
			case '\b':	sbuf_adds(sb, "\\b"); break;
			case '\f':	sbuf_adds(sb, "\\f"); break;
			case '\n':	sbuf_adds(sb, "\\n"); break;
			case '\r':	sbuf_adds(sb, "\\r"); break;
			case '\t':	sbuf_adds(sb, "\\t"); break;
			case '<': case '>': case '&':
				sbuf_addf(sb, "\\u00%c%c", hex[*p >> 4],
				    hex[*p & 0xf]);
				break;
			default:
				if (*p < 0x20)
					sbuf_addf(sb, "\\u00%c%c", hex[*p >> 4],
					    hex[*p & 0xf]);
				else
					sbuf_addc(sb, (char)*p);
			}
			p++;
			continue;
		}
		n = utf8_len(p);
		if (n == 0) {
			sbuf_adds(sb, "\\ufffd");
			p++;
		} else if (n == 3 && p[0] == 0xe2 && p[1] == 0x80 &&
		    (p[2] == 0xa8 || p[2] == 0xa9)) {
			sbuf_adds(sb, p[2] == 0xa8 ? "\\u2028" : "\\u2029");
			p += 3;
		} else {
			sbuf_add(sb, p, n);
			p += n;
		}
	}
	sbuf_addc(sb, '"');
}

/*
 * A float64 as Go writes it: the shortest digits that read back, in plain
 * decimal unless the magnitude is below 1e-6 or at least 1e21, where it is
 * d.ddde+XX (a one-digit negative exponent loses its leading zero).
 */
static void
go_number(struct sbuf *sb, double d)
{
	char b[64], digits[32];
	const char *p;
	double a = d < 0 ? -d : d;
	int prec, exp, nd, i;

	for (prec = 1; prec <= 17; prec++) {
		if (snprintf(b, sizeof(b), "%.*e", prec - 1, d) < 0)
			die("cannot format a number");
		if (strtod(b, NULL) == d)
			break;
	}
	p = b;
	if (*p == '-') {
		sbuf_addc(sb, '-');
		p++;
	}
	for (nd = 0; *p != 'e' && *p != '\0'; p++)
		if (*p != '.' && nd < (int)sizeof(digits) - 1)
			digits[nd++] = *p;
	digits[nd] = '\0';
	exp = *p == 'e' ? atoi(p + 1) : 0;
	while (nd > 1 && digits[nd - 1] == '0')
		digits[--nd] = '\0';
	if (a != 0 && (a < 1e-6 || a >= 1e21)) {
		sbuf_addc(sb, digits[0]);
		if (nd > 1)
			sbuf_addf(sb, ".%s", digits + 1);
		if (exp < 0)
			sbuf_addf(sb, "e-%d", -exp);
		else
			sbuf_addf(sb, "e+%02d", exp);
		return;
	}
	if (exp < 0) {
		sbuf_adds(sb, "0.");
		for (i = -1; i > exp; i--)
			sbuf_addc(sb, '0');
		sbuf_adds(sb, digits);
		return;
	}
	for (i = 0; i < nd || i <= exp; i++) {
		if (i == exp + 1)
			sbuf_addc(sb, '.');
		sbuf_addc(sb, i < nd ? digits[i] : '0');
	}
}

static void
go_indent(struct sbuf *sb, const char *indent, int depth)
{
	int i;

	sbuf_addc(sb, '\n');
	for (i = 0; i < depth; i++)
		sbuf_adds(sb, indent);
}

static void
go_value(struct sbuf *sb, const cJSON *j, const char *indent, int depth)
{
	const cJSON *c;
	int obj, pretty = indent[0] != '\0';

	if (cJSON_IsTrue(j) || cJSON_IsFalse(j)) {
		sbuf_adds(sb, cJSON_IsTrue(j) ? "true" : "false");
		return;
	}
	if (cJSON_IsNumber(j)) {
		go_number(sb, j->valuedouble);
		return;
	}
	if (cJSON_IsString(j)) {
		go_string(sb, j->valuestring ? j->valuestring : "");
		return;
	}
	if (!cJSON_IsObject(j) && !cJSON_IsArray(j)) {
		sbuf_adds(sb, "null");
		return;
	}
	obj = cJSON_IsObject(j);
	if (j->child == NULL) {
		sbuf_adds(sb, obj ? "{}" : "[]");
		return;
	}
	sbuf_addc(sb, obj ? '{' : '[');
	for (c = j->child; c != NULL; c = c->next) {
		if (pretty)
			go_indent(sb, indent, depth + 1);
		if (obj) {
			go_string(sb, c->string ? c->string : "");
			sbuf_adds(sb, pretty ? ": " : ":");
		}
		go_value(sb, c, indent, depth + 1);
		if (c->next != NULL)
			sbuf_addc(sb, ',');
	}
	if (pretty)
		go_indent(sb, indent, depth);
	sbuf_addc(sb, obj ? '}' : ']');
}

/*
 * Append j as Go's json.MarshalIndent(v, "", indent) writes it (indent ""
 * is json.Marshal).  Members stay in their order: a Go struct keeps its
 * field order; sort a decoded map first with json_go_value().
 */
void
json_print_go(struct sbuf *sb, const cJSON *j, const char *indent)
{
	go_value(sb, j, indent, 0);
}

/*
 * Turn j, in place, into what Go holds after decoding it into an `any`: a
 * map, so a repeated key keeps its last value and the keys come out
 * sorted; strings with invalid UTF-8 get U+FFFD.
 */
void
json_go_value(cJSON *j)
{
	cJSON *c, *next, *k;

	if (cJSON_IsString(j) && j->valuestring != NULL) {
		struct sbuf sb = SBUF_INIT;

		utf8_fix(&sb, j->valuestring);
		if (strcmp(sb.buf, j->valuestring) != 0 &&
		    cJSON_SetValuestring(j, sb.buf) == NULL)
			die("out of memory");
		sbuf_release(&sb);
		return;
	}
	if (!cJSON_IsObject(j) && !cJSON_IsArray(j))
		return;
	for (c = j->child; c != NULL; c = next) {
		next = c->next;
		json_go_value(c);
		if (!cJSON_IsObject(j))
			continue;
		for (k = c->next; k != NULL; k = k->next)
			if (strcmp(k->string, c->string) == 0)
				break;
		if (k != NULL)
			cJSON_Delete(cJSON_DetachItemViaPointer(j, c));
	}
	json_sort_keys(j);
}

/*
 * The length of the valid UTF-8 sequence at p (1 to 4), or 0 when p does
 * not start one (overlong forms and surrogates are invalid, as in Go).
 */
size_t
utf8_len(const unsigned char *p)
{
	size_t n, i;
	unsigned long cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 ||
	    cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* Append s with every invalid UTF-8 byte replaced by U+FFFD, as Go reads. */
void
utf8_fix(struct sbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	if (sb->buf == NULL)
		sbuf_add(sb, "", 0);
	while (*p != '\0') {
		n = utf8_len(p);
		if (n == 0) {
			sbuf_adds(sb, "\xef\xbf\xbd");
			p++;
		} else {
			sbuf_add(sb, p, n);
			p += n;
		}
	}
}

static int
key_cmp(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a;
	const cJSON *y = *(const cJSON *const *)b;

	return strcmp(x->string ? x->string : "", y->string ? y->string : "");
}

/* Sort the keys of every object under j, as Go does when it encodes a map. */
void
json_sort_keys(cJSON *j)
{
	cJSON **v, *c;
	size_t n, i;

	if (!cJSON_IsObject(j) && !cJSON_IsArray(j))
		return;
	for (n = 0, c = j->child; c != NULL; c = c->next, n++)
		json_sort_keys(c);
	if (!cJSON_IsObject(j) || n < 2)
		return;
	v = xcalloc(n, sizeof(*v));
	for (i = 0, c = j->child; c != NULL; c = c->next)
		v[i++] = c;
	qsort(v, n, sizeof(*v), key_cmp);
	for (i = 0; i < n; i++) {
		v[i]->prev = i > 0 ? v[i - 1] : v[n - 1];
		v[i]->next = i + 1 < n ? v[i + 1] : NULL;
	}
	j->child = v[0];
	free(v);
}

/* Parse a built-in JSON text; a failure is a bug of the simulator. */
cJSON *
json_parse_or_die(const char *text)
{
	cJSON *j = cJSON_Parse(text);

	if (j == NULL)
		die("internal error: bad built-in JSON");
	return j;
}

/*
 * The text of a string or number member of obj (numbers are formatted into
 * a static buffer, valid until the next call), or NULL for anything else.
 */
const char *
json_text(const cJSON *obj, const char *key)
{
	static char num[64];
	const cJSON *j;
	struct sbuf sb = SBUF_INIT;

	j = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (cJSON_IsString(j) && j->valuestring != NULL)
		return j->valuestring;
	if (cJSON_IsNumber(j)) {
		json_number(&sb, j->valuedouble);
		if (strlcpy(num, sb.buf, sizeof(num)) >= sizeof(num))
			die("number too long");
		sbuf_release(&sb);
		return num;
	}
	return NULL;
}

/* Read a whole file into sb; returns 0, or -1 with errno set. */
int
read_file(const char *path, struct sbuf *sb)
{
	char b[8192];
	ssize_t n;
	int fd, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return -1;
	for (;;) {
		n = read(fd, b, sizeof(b));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		sbuf_add(sb, b, (size_t)n);
	}
	saved = errno;
	(void)close(fd);
	if (n == -1) {
		errno = saved;
		return -1;
	}
	if (sb->buf == NULL)
		sbuf_add(sb, "", 0);
	return 0;
}

/*
 * Replace path with the given bytes through a temporary file and rename(2),
 * so that a concurrent reader sees the old or the new file, never a part.
 */
int
write_file_atomic(const char *path, const char *data, size_t len)
{
	struct sbuf tmp = SBUF_INIT;
	int fd, rc = -1;

	sbuf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd == -1)
		goto out;
	if (out_write(fd, data, len) == -1) {
		(void)close(fd);
		(void)unlink(tmp.buf);
		goto out;
	}
	if (close(fd) == -1 || rename(tmp.buf, path) == -1) {
		(void)unlink(tmp.buf);
		goto out;
	}
	rc = 0;
out:
	sbuf_release(&tmp);
	return rc;
}

/* mkdir -p: create path and its missing parents; 0, or -1 with errno. */
int
mkdir_p(const char *path, mode_t mode)
{
	struct stat st;
	char *p, *q;
	int rc = 0;

	if (path[0] == '\0') {
		errno = ENOENT;
		return -1;
	}
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		errno = ENOTDIR;
		return -1;
	}
	p = xstrdup(path);
	for (q = p + 1; rc == 0; q++) {
		if (*q != '/' && *q != '\0')
			continue;
		if (q[-1] != '/') {
			char c = *q;

			*q = '\0';
			if (mkdir(p, mode) == -1 && errno != EEXIST)
				rc = -1;
			else if (stat(p, &st) == -1)
				rc = -1;
			else if (!S_ISDIR(st.st_mode)) {
				errno = ENOTDIR;
				rc = -1;
			}
			*q = c;
		}
		if (*q == '\0')
			break;
	}
	free(p);
	return rc;
}
