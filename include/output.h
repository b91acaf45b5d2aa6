/*
 * The way out of pai-diag.  Every byte it writes (the report on stdout or
 * in --output-file, every message and progress line on stderr) passes
 * redact_mask() here, whatever produced it, and is written with fdio, so
 * a reader that never reads cannot hold a signal off.
 *
 * A report is rendered into an out's FILE; what was rendered is masked and
 * written at each out_flush() and at out_close().  Renderers mark with
 * out_safe_point() the places where a cut cannot split a masked span
 * (between two issues, two array elements, two fleet targets: a secret or
 * a key and its value never spans those), and the rendered text is
 * written there once it passes OUT_CHUNK bytes, so a 30 MB report is never
 * held whole.
 */
#ifndef PAI_DIAG_OUTPUT_H
#define PAI_DIAG_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include "buf.h"

struct out {
	int fd;			/* borrowed: out_close() leaves it open */
	FILE *f;		/* owned: what renderers write to */
	struct buf pending;	/* rendered, not yet masked and written */
	int error;		/* errno of the first failed write, else 0 */
};

/* Opens a sink on fd; -1 (errno) when the FILE cannot be made. */
int out_open(struct out *o, int fd);

/* Masks and writes what was rendered so far; 0, or -1 with o->error. */
int out_flush(struct out *o);

/*
 * A place in the text written to f where it may be cut: when f is the
 * FILE of the out this thread opened last and more than OUT_CHUNK bytes
 * wait, they are flushed.  Any other FILE is left alone.
 */
#define OUT_CHUNK (256u << 10)
void out_safe_point(const FILE *f);

/*
 * Flushes, then closes the FILE (not the fd).  Returns 0, or -1 when
 * anything rendered could not be written (errno and o->error say why).
 */
int out_close(struct out *o);

/*
 * Replaces the regular file path atomically, so it never holds half a
 * report: a temporary file in the same directory (rename() does not cross
 * file systems), written by fill(fd, arg), synced, then renamed over
 * path; it gets 0666 less the umask, like any new file.  fill() returns 0
 * or -1 with errno.  Returns 0, or -1 with errno and no temporary file
 * left behind.
 */
typedef int out_fill_fn(int fd, const void *arg);
int out_replace(const char *path, out_fill_fn *fill, const void *arg);

/* Writes s to stderr, masked; a failed write is ignored. */
void output_stderr(const char *s, size_t n);
/* Formats a text and writes it to stderr as output_stderr(), in one write. */
void output_stderrf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

#endif
