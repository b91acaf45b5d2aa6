/*
 * A growable byte buffer with a hard size cap, for a child's output and for
 * building text.  The data is always NUL-terminated, but may contain NULs.
 */
#ifndef PAI_DIAG_BUF_H
#define PAI_DIAG_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct buf {
	char *data;	/* NULL until the first append */
	size_t len;
	size_t alloc;
	size_t max;	/* 0: no cap */
	bool too_big;	/* an append was refused because of max */
};

#define BUF_INIT { NULL, 0, 0, 0, false }

/*
 * Appends n bytes.  Returns 0, or -1 (and sets too_big, appending nothing)
 * when the result would exceed max.
 */
int buf_add(struct buf *b, const void *p, size_t n);
int buf_adds(struct buf *b, const char *s);
/*
 * Makes room for n more bytes (up to max), so that appending them does not
 * reallocate; allocates exactly what is asked, not the next power of two.
 */
void buf_grow(struct buf *b, size_t n);
int buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The contents as a C string; "" when empty.  Borrowed. */
const char *buf_str(const struct buf *b);
/* Cuts the contents to their first len bytes (len <= b->len). */
void buf_truncate(struct buf *b, size_t len);
/* Empties the buffer, keeping its memory and cap. */
void buf_reset(struct buf *b);
/* Frees the contents; the buffer can be reused. */
void buf_release(struct buf *b);
/* Hands the contents to the caller (never NULL), leaving b empty. */
char *buf_detach(struct buf *b, size_t *len);

#endif
