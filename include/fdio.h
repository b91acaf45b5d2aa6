/*
 * Reading and writing file descriptors without ever blocking past a
 * signal: every wait is a signals_poll(), so SIGINT, SIGTERM and SIGHUP
 * end a write to a stdout nobody reads, or a read of a FIFO nobody writes,
 * as they end the wait for aliyun.  Reads are bounded.
 */
#ifndef PAI_DIAG_FDIO_H
#define PAI_DIAG_FDIO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "buf.h"

/*
 * Writes all n bytes to fd.  Returns 0, or -1 with errno: the write's own
 * error (EPIPE, ENOSPC, EIO ...), EINTR when a signal arrived while it
 * waited, or ETIMEDOUT when the run was already ending on a signal and fd
 * stayed full for FDIO_LAST_WORDS seconds (what pai-diag still has to say
 * after Ctrl-C never hangs on a reader that is gone).
 */
int fdio_write(int fd, const void *s, size_t n);
#define FDIO_LAST_WORDS 2.0

/*
 * Opens path for reading without blocking, whatever it is (a FIFO with no
 * writer, a terminal), and fills st.  Returns the fd (O_CLOEXEC, left
 * non-blocking) or -1 with errno (EISDIR for a directory).
 */
int fdio_open_read(const char *path, struct stat *st);

/* A buffered reader of one fd, for lines. */
struct fdio_reader {
	int fd;
	char buf[65536];
	size_t pos, len;
	size_t total;	/* bytes read so far */
	bool eof;
	bool hup;	/* a FIFO's writer came and went */
};

void fdio_reader_init(struct fdio_reader *r, int fd);

/*
 * Reads the next line (without its newline) into line, which is reset
 * first.  Returns 1 for a line, 0 at the end of the input, -1 with errno:
 * E2BIG when the line is longer than max_line bytes or the input as a
 * whole longer than max_total, EINTR on a signal, or the read's error.
 */
int fdio_getline(struct fdio_reader *r, struct buf *line, size_t max_line,
    size_t max_total);

/*
 * Reads all of fd into b, at most max bytes (more: -1 with E2BIG).
 * Returns 0 or -1 with errno as fdio_getline().
 */
int fdio_read_all(int fd, struct buf *b, size_t max);

#endif
