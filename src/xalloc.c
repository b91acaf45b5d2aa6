/*
 * Allocation that dies on failure, and die() itself; see xalloc.h.  This
 * file depends on no other module: the message die() prints goes through
 * a routine the message layer installs, not through a call up into it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static void default_die_routine(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));

static void
default_die_routine(const char *fmt, va_list ap)
{
	fputs("pai-diag: fatal: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void (*die_routine)(const char *, va_list) = default_die_routine;

void
set_die_routine(void (*routine)(const char *fmt, va_list ap))
{
	die_routine = routine ? routine : default_die_routine;
}

void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	die_routine(fmt, ap);
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
