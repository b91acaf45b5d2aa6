/*
 * The inside of masking by pattern: what mask.c (the pass over a text,
 * key=value and key ids), mask_keys.c (which keys name a secret),
 * mask_scan.c (where a value ends) and mask_xml.c (XML elements) share.
 * Nothing outside masking includes this header.
 */
#ifndef PAI_DIAG_MASK_PATTERN_H
#define PAI_DIAG_MASK_PATTERN_H

#include <stdbool.h>
#include <stddef.h>

enum key_kind { KEY_NONE, KEY_SECRET, KEY_AUTH };

/* How a JSON array or object value is delimited. */
enum nest { NEST_JSON, NEST_INNER, NEST_TEXT };

/* A match: s[start..end) is to read with (wlen bytes). */
struct repl {
	size_t start, end;
	const char *with;
	size_t wlen;
};

/* The characters of a key: [A-Za-z0-9_.-] (mask_keys.c). */
extern const unsigned char mask_word_chars[256];

static inline bool
is_word(unsigned char c)
{
	return mask_word_chars[c];
}

static inline bool
is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

static inline bool
is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

static inline unsigned char
lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c | 0x20 : c;
}


/*
 * What the key ending at s[e] names: the word of [A-Za-z0-9_.-] that ends
 * there, turned down when it is an API error code naming a failed
 * credential (mask_keys.c).
 */
enum key_kind mask_key_kind(const char *s, size_t e);
/* The same of a word that starts at s[lo] at the earliest (a tag name). */
enum key_kind mask_key_kind_from(const char *s, size_t lo, size_t e);

/*
 * Where a value ends (mask_scan.c).  Each scan starts at the first byte of
 * the value's contents, s[c], and returns the index just past them.
 */
/* Whether the quote at s[q] looks like the end of a JSON string. */
bool mask_looks_closing(const char *s, size_t len, size_t q);
/* Whether s[i..) is a \" that looks like the end of a JSON string. */
bool mask_inner_closing(const char *s, size_t len, size_t i);
/* Past the escape at s[i] (also an escaped backslash's), or past s[i]. */
size_t mask_step(const char *s, size_t len, size_t i);
/* Whether s[i..) is "\u003c" or "\u003e"; which: 'c' or 'e'. */
bool mask_go_angle(const char *s, size_t len, size_t i, char which);
/* A "-, '-, \"- or %22-quoted value; an unquoted one; an Authorization
 * value (the rest of the line); a JSON array or object. */
size_t mask_scan_dq(const char *s, size_t len, size_t c);
size_t mask_scan_sq(const char *s, size_t len, size_t c);
size_t mask_scan_bsdq(const char *s, size_t len, size_t c);
size_t mask_scan_pct(const char *s, size_t len, size_t c);
size_t mask_scan_word(const char *s, size_t len, size_t c);
size_t mask_scan_line(const char *s, size_t len, size_t c);
size_t mask_scan_nested(const char *s, size_t len, size_t c, enum nest mode);
/* Whether s[c..) is the JSON literal true, false or null as a whole word. */
bool mask_is_literal(const char *s, size_t len, size_t c);

/*
 * An XML element with a secret name whose open tag ends at s[j] (mask_xml.c):
 * true with r set to its text.
 */
bool mask_element_at(const char *s, size_t len, size_t j, struct repl *r);

#endif
