/*
 * Masked, signal-aware output; see output.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "fdio.h"
#include "output.h"
#include "redact.h"
#include "xalloc.h"

/* The out this thread renders into, for out_safe_point(). */
static _Thread_local struct out *current;

static ssize_t
collect(void *cookie, const char *s, size_t n)
{
	struct out *o = cookie;

	buf_add(&o->pending, s, n);
	return (ssize_t)n;
}

int
out_open(struct out *o, int fd)
{
	cookie_io_functions_t io = { .write = collect };

	memset(o, 0, sizeof(*o));
	o->fd = fd;
	o->f = fopencookie(o, "w", io);
	if (o->f == NULL)
		return -1;
	setvbuf(o->f, NULL, _IOFBF, 1 << 16);
	current = o;
	return 0;
}

/* Masks s and writes it to fd; 0 or -1 with errno. */
static int
write_masked(int fd, const char *s, size_t n)
{
	struct buf masked = BUF_INIT;
	int rc;

	if (redact_mask_scan(s, n) == n)
		return fdio_write(fd, s, n);
	redact_mask(&masked, s, n);
	rc = fdio_write(fd, masked.data, masked.len);
	buf_release(&masked);
	return rc;
}

int
out_flush(struct out *o)
{
	if (o->f)
		fflush(o->f);
	if (o->pending.len && !o->error &&
	    write_masked(o->fd, o->pending.data, o->pending.len) < 0)
		o->error = errno ? errno : EIO;
	buf_reset(&o->pending);
	if (o->error) {
		errno = o->error;
		return -1;
	}
	return 0;
}

void
out_safe_point(const FILE *f)
{
	struct out *o = current;

	if (o && o->f == f && o->pending.len >= OUT_CHUNK)
		out_flush(o);
}

int
out_close(struct out *o)
{
	int rc = out_flush(o);

	if (current == o)
		current = NULL;
	if (o->f)
		fclose(o->f);
	o->f = NULL;
	buf_release(&o->pending);
	if (o->error)
		errno = o->error;
	return rc;
}

void
output_stderr(const char *s, size_t n)
{
	int saved = errno;

	write_masked(STDERR_FILENO, s, n);
	errno = saved;
}

void
output_stderrf(const char *fmt, ...)
{
	char small[1024], *big = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		output_stderr(small, (size_t)n);
		return;
	}
	va_start(ap, fmt);
	n = vasprintf(&big, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	output_stderr(big, (size_t)n);
	free(big);
}

int
out_replace(const char *path, out_fill_fn *fill, const void *arg)
{
	const char *slash = strrchr(path, '/');
	char *tmp = xasprintf("%.*s.pai-diag.XXXXXX", slash ?
	    (int)(slash - path + 1) : 0, path);
	mode_t mask = umask(0);
	int fd, saved;

	umask(mask);
	if ((fd = mkstemp(tmp)) < 0)
		goto fail;
	if (fchmod(fd, 0666 & ~mask) < 0 || fill(fd, arg) < 0 ||
	    fsync(fd) < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		goto fail_unlink;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0)
		goto fail_unlink;
	free(tmp);
	return 0;
fail_unlink:
	saved = errno;
	unlink(tmp);
	errno = saved;
fail:
	saved = errno;
	free(tmp);
	errno = saved;
	return -1;
}
