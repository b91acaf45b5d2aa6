/*
 * Allocation that cannot fail, and die(): the bottom of pai-diag.  Every
 * other module may include this header; it includes none of the project's.
 * Running out of memory (or reaching an impossible state) ends the run
 * with exit 1 here, so callers need not test for NULL.
 */
#ifndef PAI_DIAG_XALLOC_H
#define PAI_DIAG_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

/*
 * "pai-diag: fatal: <fmt>\n" and exit 1: out of memory, impossible states.
 * The line is printed by the die routine (see set_die_routine()).
 */
void die(const char *fmt, ...) PRINTF_LIKE(1, 2) __attribute__((noreturn));

/*
 * Who prints die()'s message (git's set_die_routine()): the routine gets
 * the caller's format and arguments and prints one line; die() exits
 * afterwards.  The default writes "pai-diag: fatal: <fmt>\n" to stderr
 * as it is; msg.c installs one that goes through pai-diag's own output,
 * so a low module can die without depending on the high ones.
 */
void set_die_routine(void (*routine)(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0))));

/* Allocation that dies on failure; for small, bounded sizes only.  The
 * caller owns (and frees) what is returned. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);

#endif
