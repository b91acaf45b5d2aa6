/*
 * Bounded growable buffers.  The cap is what keeps a runaway child from
 * taking all memory: appends past it are refused, not truncated, so a
 * caller never parses a silently shortened document.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xalloc.h"

int
buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->max && (n > b->max || b->len > b->max - n)) {
		b->too_big = true;
		return -1;
	}
	if (b->len + n + 1 > b->alloc) {
		size_t want = b->alloc ? b->alloc : 256;

		while (want < b->len + n + 1)
			want *= 2;
		b->data = xreallocarray(b->data, want, 1);
		b->alloc = want;
	}
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

void
buf_grow(struct buf *b, size_t n)
{
	if (b->max && n > b->max - (b->len < b->max ? b->len : b->max))
		n = b->len < b->max ? b->max - b->len : 0;
	if (b->len + n + 1 > b->alloc) {
		b->data = xreallocarray(b->data, b->len + n + 1, 1);
		b->alloc = b->len + n + 1;
		b->data[b->len] = '\0';
	}
}

int
buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n, rc;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("out of memory");
	rc = buf_add(b, s, (size_t)n);
	free(s);
	return rc;
}

const char *
buf_str(const struct buf *b)
{
	return b->data ? b->data : "";
}

void
buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->too_big = false;
	if (b->data)
		b->data[0] = '\0';
}

void
buf_release(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->alloc = 0;
	b->too_big = false;
}

char *
buf_detach(struct buf *b, size_t *len)
{
	char *s = b->data ? b->data : xstrdup("");

	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->alloc = 0;
	return s;
}
