/*
 * Signal-aware reads and writes; see fdio.h.  A write waits for POLLOUT
 * and then writes at most PIPE_BUF bytes to anything but a regular file,
 * which a pipe or a terminal that reported room takes without blocking.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdio.h"
#include "signals.h"

int
fdio_write(int fd, const void *s, size_t n)
{
	const char *p = s;
	int seen = signals_count();
	double give_up = seen ? mono_now() + FDIO_LAST_WORDS : 0;
	struct stat st;
	bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);

	while (n > 0) {
		size_t chunk = regular || n < PIPE_BUF ? n : PIPE_BUF;
		ssize_t w;

		if (!regular) {
			struct pollfd pfd = { .fd = fd, .events = POLLOUT };
			double left = give_up ? give_up - mono_now() : -1;
			int rc;

			if (signals_count() > seen) {
				errno = EINTR;
				return -1;
			}
			if (give_up && left <= 0) {
				errno = ETIMEDOUT;
				return -1;
			}
			rc = signals_poll(&pfd, 1, left);
			if (rc < 0 && errno == EINTR)
				continue;
			if (rc <= 0)
				continue;
			if (pfd.revents & POLLNVAL) {
				errno = EBADF;
				return -1;
			}
		}
		w = write(fd, p, chunk);
		if (w < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
fdio_open_read(const char *path, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -1;
	if (fstat(fd, st) < 0 || S_ISDIR(st->st_mode)) {
		int saved = S_ISDIR(st->st_mode) ? EISDIR : errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

void
fdio_reader_init(struct fdio_reader *r, int fd)
{
	memset(r, 0, sizeof(*r));
	r->fd = fd;
}

static bool
is_fifo(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

/* Refills the buffer: 1 with data, 0 at the end, -1 with errno. */
static int
fill(struct fdio_reader *r)
{
	for (;;) {
		struct pollfd pfd = { .fd = r->fd, .events = POLLIN };
		ssize_t n;

		if (signals_count() > 0) {
			errno = EINTR;
			return -1;
		}
		n = read(r->fd, r->buf, sizeof(r->buf));
		if (n > 0) {
			r->pos = 0;
			r->len = (size_t)n;
			r->total += (size_t)n;
			return 1;
		}
		if (n == 0) {
			/*
			 * A FIFO opened without blocking reads as empty until
			 * its first writer comes; POLLHUP says one came and left.
			 */
			if (r->total == 0 && !r->hup && is_fifo(r->fd)) {
				if (signals_poll(&pfd, 1, -1) > 0 &&
				    (pfd.revents & POLLHUP))
					r->hup = true;
				continue;
			}
			r->eof = true;
			return 0;
		}
		if (errno != EAGAIN && errno != EINTR)
			return -1;
		signals_poll(&pfd, 1, -1);
	}
}

int
fdio_getline(struct fdio_reader *r, struct buf *line, size_t max_line,
    size_t max_total)
{
	buf_reset(line);
	for (;;) {
		char *nl;
		size_t take;
		int rc;

		if (r->pos == r->len) {
			if (r->eof)
				return line->len > 0 ? 1 : 0;
			if ((rc = fill(r)) < 0)
				return -1;
			if (rc == 0)
				return line->len > 0 ? 1 : 0;
			if (r->total > max_total) {
				errno = E2BIG;
				return -1;
			}
		}
		nl = memchr(r->buf + r->pos, '\n', r->len - r->pos);
		take = nl ? (size_t)(nl - (r->buf + r->pos)) : r->len - r->pos;
		if (line->len + take > max_line) {
			errno = E2BIG;
			return -1;
		}
		buf_add(line, r->buf + r->pos, take);
		r->pos += take;
		if (nl) {
			r->pos++;
			return 1;
		}
	}
}

int
fdio_read_all(int fd, struct buf *b, size_t max)
{
	struct fdio_reader *r = calloc(1, sizeof(*r));
	int rc = 0;

	if (r == NULL)
		return -1;
	fdio_reader_init(r, fd);
	while (rc == 0) {
		int got = r->pos == r->len ? fill(r) : 1;

		if (got < 0) {
			rc = -1;
		} else if (got == 0) {
			break;
		} else if (r->total > max) {
			errno = E2BIG;
			rc = -1;
		} else {
			buf_add(b, r->buf + r->pos, r->len - r->pos);
			r->pos = r->len;
		}
	}
	free(r);
	return rc;
}
