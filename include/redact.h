/*
 * Making text from aliyun safe to show: credential material removed, ANSI
 * colour stripped, control characters replaced.  Everything relayed from a
 * child passes through redact() before it reaches any output.
 */
#ifndef PAI_DIAG_REDACT_H
#define PAI_DIAG_REDACT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Returns a new string (caller frees) holding the first len bytes of s with
 * ANSI escape sequences removed, the values of AccessKeyId=, Signature=,
 * SecurityToken= (and their JSON and secret-key kin), Authorization:
 * header values, and LTAI... / STS.... key ids replaced by "[REDACTED]", and
 * every other control character (NUL included; newline and tab kept) and
 * every invalid UTF-8 byte replaced by '?'.
 */
char *redact(const char *s, size_t len);

/* redact() of a C string. */
char *redact_str(const char *s);

/* Whether a JSON key names a secret (its value is never shown). */
bool redact_is_secret_key(const char *key);

struct buf;
/*
 * Masks text about to leave pai-diag, appending the result to out;
 * redact_mask_scan() is the index from which it could change anything
 * (len: nothing to do).
 */
void redact_mask(struct buf *out, const char *s, size_t len);
size_t redact_mask_scan(const char *s, size_t len);

/* Removes ANSI escape sequences in place; returns the new length. */
size_t strip_ansi(char *s, size_t len);

#endif
