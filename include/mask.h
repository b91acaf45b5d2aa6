/*
 * The inside of masking (redact.h is its interface): what masking owns and
 * redact.c builds on.  Masking by pattern is mask.c with mask_keys.c,
 * mask_scan.c and mask_xml.c (their shared parts: mask_pattern.h);
 * masking by value is mask_values.c with mask_forms.c and mask_widen.c.
 */
#ifndef PAI_DIAG_MASK_H
#define PAI_DIAG_MASK_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* What masked text is replaced by. */
#define REDACTED "[REDACTED]"
#define REDACTED_LEN (sizeof(REDACTED) - 1)

/* redact_mask() and redact_mask_scan() (redact.h): by value, then by pattern. */
void mask_text(struct buf *out, const char *s, size_t len);
size_t mask_text_scan(const char *s, size_t len);

/* redact_is_secret_key() of the len bytes of key. */
bool mask_is_secret_key(const char *key, size_t len);

/*
 * Masking by value, the first half of redact_mask(): the secrets
 * registered with redact_add_secret() and redact_add_secret_pair() found in
 * a text in any of their forms (mask_values.c).
 *
 * A byte is masked when it is part of an 8-byte window of the text that
 * occurs in a form of a secret and holds no unescaped '"'; windows are also
 * taken across line breaks ("\n" or "\r\n" and the next line's leading
 * spaces and tabs), which are never masked themselves.  Each run of masked
 * bytes is widened to whole escapes (%XX, \uXXXX, \X) and whole UTF-8
 * characters and replaced by REDACTED.
 */
/* Bytes of a window. */
#define MASK_WIN 8

/*
 * Adds the windows, 4-byte pieces and byte pairs of one form of a secret
 * (f, n bytes; shorter than MASK_WIN: nothing) to the set searched.  The
 * forms are made in mask_forms.c, at start-up, before any thread.
 */
void mask_values_add_form(const char *f, size_t n);

/* Whether any secret is registered. */
bool mask_values_any(void);

/* Whether byte b follows byte a somewhere in a form of a secret. */
bool mask_values_pair(unsigned char a, unsigned char b);

/* Index of the first byte that mask_values() replaces; len if none. */
size_t mask_values_scan(const char *s, size_t len);

/*
 * Appends s with its known secrets masked to out and returns true; returns
 * false, appending nothing, when there is nothing to mask.
 */
bool mask_values(struct buf *out, const char *s, size_t len);

/*
 * The start (a, moved back) and the end (b, exclusive, moved on) of a run
 * of masked bytes in s, widened to whole escapes and whole UTF-8
 * characters (mask_widen.c).
 */
size_t mask_widen_start(const char *s, size_t len, size_t a);
size_t mask_widen_end(const char *s, size_t len, size_t b);

#endif
