/*
 * Messages and outcomes.  Relayed text is redacted by the callers before it
 * gets here (see redact.h); these functions only format and print.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "strvec.h"

int msg_verbosity;
struct strvec *msg_warnings;
bool msg_progress_tty;
static bool progress_open;	/* a terminal line waits to be finished */

static const struct {
	const char *name;
	int exit_code;
} outcomes[] = {
	[OUTCOME_HEALTHY] = { "healthy", 0 },
	[OUTCOME_WARN] = { "warn", 10 },
	[OUTCOME_CRITICAL] = { "critical", 11 },
	[OUTCOME_DIAGNOSIS_FAILED] = { "diagnosis_failed", 6 },
	[OUTCOME_TIMEOUT] = { "timeout", 7 },
	[OUTCOME_INTERRUPTED] = { "interrupted", 130 },
	[OUTCOME_INVALID_TARGET] = { "invalid_target", 5 },
	[OUTCOME_UNSUPPORTED_TARGET] = { "unsupported_target", 5 },
	[OUTCOME_ACCESS_DENIED] = { "access_denied", 4 },
	[OUTCOME_ENVIRONMENT_ERROR] = { "environment_error", 3 },
	[OUTCOME_USAGE_ERROR] = { "usage_error", 2 },
	[OUTCOME_INTERNAL_ERROR] = { "internal_error", 1 },
};

const char *
outcome_name(enum outcome o)
{
	return outcomes[o].name;
}

int
outcome_exit_code(enum outcome o)
{
	return outcomes[o].exit_code;
}

void
progress_end(void)
{
	if (progress_open) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		progress_open = false;
	}
}

void
progress(const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (msg_verbosity < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (msg_progress_tty) {
		fprintf(stderr, "\r\033[Kpai-diag: %s", line);
		progress_open = true;
	} else {
		fprintf(stderr, "pai-diag: %s\n", line);
	}
	fflush(stderr);
}

static void
vreport(const char *prefix, const char *fmt, va_list ap)
{
	char line[4096];

	progress_end();
	/* One write per message, so lines from a busy run never interleave. */
	vsnprintf(line, sizeof(line), fmt, ap);
	fprintf(stderr, "pai-diag: %s%s\n", prefix, line);
	fflush(stderr);
}

void
error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap);
	va_end(ap);
}

void
warning(const char *fmt, ...)
{
	va_list ap;

	if (msg_warnings) {
		char line[4096];

		va_start(ap, fmt);
		vsnprintf(line, sizeof(line), fmt, ap);
		va_end(ap);
		strvec_push(msg_warnings, line);
	}
	va_start(ap, fmt);
	vreport("warning: ", fmt, ap);
	va_end(ap);
}

void
verbose(const char *fmt, ...)
{
	va_list ap;

	if (msg_verbosity < 1)
		return;
	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
}

void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("fatal: ", fmt, ap);
	va_end(ap);
	exit(1);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		die("out of memory (%zu bytes)", n);
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

void *
xreallocarray(void *p, size_t n, size_t size)
{
	void *q = reallocarray(p, n ? n : 1, size ? size : 1);

	if (q == NULL)
		die("out of memory");
	return q;
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

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("out of memory");
	return s;
}
