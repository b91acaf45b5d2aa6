/*
 * Making text from aliyun safe to show.  Two layers: masking hides
 * credential material (secrets known by value, wherever and however they
 * are encoded, and the values of secret-named keys, AccessKey ids and STS
 * tokens by pattern) and changes nothing else; redact() strips ANSI
 * sequences, masks, and makes the rest harmless to a terminal.  Everything
 * relayed from a child passes through redact() before it reaches any
 * output.
 */
#ifndef PAI_DIAG_REDACT_H
#define PAI_DIAG_REDACT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "mask.h"	/* REDACTED, what masked text is replaced by */

struct cJSON;

/*
 * Secrets known by value.  They are set up before any output and before
 * any thread starts, and are read-only afterwards: masking itself is
 * thread-safe.  The functions copy what they need; the caller keeps its
 * strings.
 *
 * redact_add_secret() registers a value (one shorter than 8 bytes is
 * ignored) in every form it can be relayed in: as it is, URL-encoded,
 * JSON-escaped (as cJSON and as Go write it) and inside base64 text
 * (standard and URL-safe alphabets, at each alignment).
 * redact_add_secret_pair() registers both values, and the base64 of
 * "id:secret" (HTTP Basic authentication).  redact_clear_secrets() forgets
 * them all (for tests).
 */
void redact_add_secret(const char *value);
void redact_add_secret_pair(const char *id, const char *secret);
void redact_clear_secrets(void);

/*
 * Masking of text about to leave pai-diag: first by value (every run of 8
 * or more bytes that is part of a form of a known secret, also across a
 * line break), then by pattern (the value after a secret-named key and a
 * separator, the text of an XML element with such a name, AccessKey ids
 * and STS tokens).  Each masked run becomes REDACTED.  Appends the result
 * to out; nothing else is changed (control characters, ANSI sequences and
 * invalid UTF-8 are kept).  Masking masked text changes nothing, and valid
 * JSON (also as a string inside JSON) stays valid JSON of the same shape.
 */
void redact_mask(struct buf *out, const char *s, size_t len);

/*
 * Index of the first byte from which redact_mask() (redact_mask_scan) or
 * redact() (redact_scan: also ANSI sequences, control characters, invalid
 * UTF-8) could change s: len exactly when the text would be left as it is,
 * else at or before the first byte changed (redact_scan: that byte).  The
 * fast path of the functions above; redact_scan() allocates only for text
 * that redact() makes safe for a terminal.
 */
size_t redact_mask_scan(const char *s, size_t len);
size_t redact_scan(const char *s, size_t len);

/*
 * Returns a new string (caller frees) holding the first len bytes of s
 * (NULs allowed) with ANSI CSI and OSC sequences removed, masked as
 * redact_mask() does, then made safe for a terminal: "\r\n" becomes "\n";
 * every other control character but newline and tab, DEL, the C1
 * controls, the bidirectional and zero-width formatting characters and
 * U+2028/U+2029 are written as visible "\u00XX" / "\uXXXX" text; each byte
 * of invalid UTF-8 becomes '?' (and when that changed anything, masked
 * again: an escape can complete the JSON-escaped form of a secret).  The
 * result is valid UTF-8, and redact() of it is itself.
 */
char *redact(const char *s, size_t len);

/* redact() of a C string. */
char *redact_str(const char *s);

/*
 * Whether a key names a secret.  The key's last word ([A-Za-z0-9_.-]; the
 * blanks, quotes, '=' and ':' that end the key aside), lower-cased and
 * without '-', '_' and '.', ends with accesskeyid, secret,
 * token, signature, password, passwd, apikey, privatekey, authorization or
 * credential, or the word is "sk" or ends in "_sk" or "-sk"; but not an
 * API error code naming a failed credential ("IncompleteSignature",
 * "InvalidSecurityToken": Invalid, Incomplete, Missing, Expired, Empty or
 * Malformed followed by a capital).
 */
bool redact_is_secret_key(const char *key);

/* Removes ANSI CSI and OSC sequences in place; returns the new length. */
size_t strip_ansi(char *s, size_t len);

/*
 * Redacts a cJSON tree in place: every key and string value through
 * redact(), and the value under a secret key (a string, number, array or
 * object; true, false and null are kept) replaced by the string REDACTED.
 * A key or string that needs no change is neither copied nor reallocated.
 * NULL is allowed.
 */
void redact_tree(struct cJSON *j);

#endif
