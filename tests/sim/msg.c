/*
 * The host CLI's own messages.  aliyun 3.4.11 wraps every "ERROR: " line in
 * bold red and every tip in bold yellow unless NO_COLOR is set, even when
 * stderr is a pipe, and speaks Chinese when LANG starts with zh_CN or the
 * profile's language is zh; the codes and quoted words stay the same.  The
 * spelling "vaild" and the shape of "invalid flag" depend on the simulated
 * version, so the version comparison lives here too.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#define RED	"\033[1;31m"
#define YELLOW	"\033[1;33m"
#define RESET	"\033[0m"

/* The English or the Chinese form of a message. */
const char *
tr(const struct sim *s, const char *en, const char *zh)
{
	return s->chinese ? zh : en;
}

static void	emit(const struct sim *, const char *, const char *,
		    const char *, const char *, va_list) SIM_FMT(5, 0);

static void
emit(const struct sim *s, const char *colour, const char *pre,
    const char *post, const char *fmt, va_list ap)
{
	struct sbuf sb = SBUF_INIT;

	if (s->color)
		sbuf_adds(&sb, colour);
	sbuf_adds(&sb, pre);
	sbuf_vaddf(&sb, fmt, ap);
	sbuf_adds(&sb, post);
	if (s->color)
		sbuf_adds(&sb, RESET);
	(void)out_write(2, sb.buf, sb.len);
	sbuf_release(&sb);
}

/* "ERROR: <msg>\n" on stderr, in one write. */
void
host_error(const struct sim *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(s, RED, "ERROR: ", "\n", fmt, ap);
	va_end(ap);
}

/* The same without the newline, as the corrupt-config message is. */
void
host_error_nonl(const struct sim *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(s, RED, "ERROR: ", "", fmt, ap);
	va_end(ap);
}

/* A tip after an error: "\n<tip>\n" on stderr. */
void
host_tip(const struct sim *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(s, YELLOW, "\n", "\n", fmt, ap);
	va_end(ap);
}

/* Levenshtein distance of two short words, capped at 9. */
static int
distance(const char *a, const char *b)
{
	int row[32], prev, tmp, i, j, la, lb, best;

	la = (int)strlen(a);
	lb = (int)strlen(b);
	if (la >= 31 || lb >= 31)
		return 9;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb] > 9 ? 9 : row[lb];
}

/*
 * "'X' is not a valid command" (exit 2), with the close candidates as a
 * "Did you mean" list on stdout, where the real CLI puts it.
 */
int
not_a_command(const struct sim *s, const char *word, const char *const *cands)
{
	struct sbuf sb = SBUF_INIT;
	const char *valid;
	size_t i;

	valid = version_before(s, "3.4.3") ? "vaild" : "valid";
	if (s->chinese)
		host_error(s, "'%s' 不是有效的命令", word);
	else
		host_error(s, "'%s' is not a %s command", word, valid);
	for (i = 0; cands != NULL && cands[i] != NULL; i++) {
		if (distance(word, cands[i]) > 2 &&
		    strncmp(word, cands[i], strlen(word)) != 0)
			continue;
		if (sb.len == 0)
			sbuf_adds(&sb, s->color ? YELLOW "\nDid you mean:\n" :
			    "\nDid you mean:\n");
		sbuf_addf(&sb, "  %s\n", cands[i]);
	}
	if (sb.len > 0) {
		if (s->color)
			sbuf_adds(&sb, RESET);
		(void)out_write(1, sb.buf, sb.len);
	}
	sbuf_release(&sb);
	return 2;
}

/* "invalid flag --X; available flags: ..." (exit 2). */
int
invalid_flag(const struct sim *s, const char *flag, const char *const *allowed)
{
	struct sbuf list = SBUF_INIT;
	size_t i;

	if (version_before(s, "3.4.9")) {
		host_error(s, tr(s, "invalid flag %s", "无效的参数 %s"),
		    flag + strspn(flag, "-"));
		return 2;
	}
	for (i = 0; allowed != NULL && allowed[i] != NULL; i++)
		sbuf_addf(&list, "%s%s", i > 0 ? ", " : "", allowed[i]);
	host_error(s, tr(s, "invalid flag %s; available flags: %s",
	    "无效的参数 %s；可用参数：%s"), flag, list.buf ? list.buf : "");
	sbuf_release(&list);
	return 2;
}

/* Compare dotted versions field by field as numbers; "3.10.0" > "3.9.9". */
int
version_cmp(const char *a, const char *b)
{
	unsigned long x, y;
	char *end;

	while (*a != '\0' || *b != '\0') {
		x = isdigit((unsigned char)*a) ? strtoul(a, &end, 10) : 0;
		if (isdigit((unsigned char)*a))
			a = end;
		y = isdigit((unsigned char)*b) ? strtoul(b, &end, 10) : 0;
		if (isdigit((unsigned char)*b))
			b = end;
		if (x != y)
			return x < y ? -1 : 1;
		a += strcspn(a, ".");
		b += strcspn(b, ".");
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
	}
	return 0;
}

/* Whether the simulated CLI is older than v. */
int
version_before(const struct sim *s, const char *v)
{
	return version_cmp(s->sc.version, v) < 0;
}
