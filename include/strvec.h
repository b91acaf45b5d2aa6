/*
 * A NULL-terminated, growable vector of owned strings: argv and envp for
 * posix_spawn, and lists such as the run's warnings.
 */
#ifndef PAI_DIAG_STRVEC_H
#define PAI_DIAG_STRVEC_H

#include <stddef.h>

struct strvec {
	char **v;	/* always NULL-terminated once anything was pushed */
	size_t n;
	size_t alloc;
};

#define STRVEC_INIT { NULL, 0, 0 }

/* Appends a copy of s. */
void strvec_push(struct strvec *sv, const char *s);
/* Appends the formatted string. */
void strvec_pushf(struct strvec *sv, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends every string of the NULL-terminated list. */
void strvec_pushl(struct strvec *sv, ...) __attribute__((sentinel));
/* The vector for execve-like callers: never NULL, even when empty. */
char *const *strvec_argv(struct strvec *sv);
/* Frees every string and the array; leaves an empty vector. */
void strvec_clear(struct strvec *sv);

#endif
