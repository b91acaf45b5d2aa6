/*
 * Relayed JSON printed as it streams: the engine's result and issues go to
 * the reports straight from the reply's text, with no tree in between.
 * This module owns that printer and the safe text of a JSON string.  What
 * jprint() writes is, byte for byte, what cJSON_Print() (or
 * cJSON_PrintUnformatted()) writes for the same text parsed by cJSON and
 * passed through redact_tree(): every key and string through redact(), the
 * value under a secret-named key replaced by the string REDACTED;
 * tests/unit/test_jscan.c compares the two.
 */
#ifndef PAI_DIAG_JPRINT_H
#define PAI_DIAG_JPRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "buf.h"
#include "jscan.h"

/*
 * Where the printer writes: f when not NULL (through stage, written out
 * when full and at the end of each jprint()), else b.
 */
#define JOUT_STAGE (64u << 10)
struct jout {
	FILE *f;
	struct buf *b;
	bool fmt;	/* cJSON_Print()'s layout, else the compact one */
	char *stage;	/* JOUT_STAGE bytes, allocated on first use */
	size_t staged;
	size_t unsafe;	/* written since the last place the sink may cut */
};

#define JOUT_FILE(file, pretty) { (file), NULL, (pretty), NULL, 0, 0 }
#define JOUT_BUF(buf, pretty) { NULL, (buf), (pretty), NULL, 0, 0 }

/*
 * Prints v (a value jscan_value() accepted) as cJSON would print it at
 * depth (the number of objects and arrays around it: 0 for a document).
 * An array's elements are places where output.h's sink may cut.
 */
void jprint(struct jout *o, struct jspan v, int depth);
/* Writes s (n bytes) as a JSON string, escaped as cJSON does. */
void jprint_string(struct jout *o, const char *s, size_t n);
/* Frees the stage of a jout on a FILE, once everything was printed. */
void jprint_done(struct jout *o);

/*
 * The text of a JSON string as the reports show it: decoded (cut at its
 * first NUL) and redacted as redact_tree() leaves a string.  s points into
 * the JSON or to owned; n is its length (s is NUL-terminated only when
 * owned is set).
 */
struct jtext {
	const char *s;
	size_t n;
	char *owned;
};
void jtext_string(struct jtext *t, struct jspan v);
/* A member's key as redact_tree() leaves it; whether its value is hidden. */
bool jtext_key(struct jtext *t, struct jspan k);
/*
 * A key to compare with a plain name (severity, title): what jtext_key()
 * gives wherever that is a plain name, for less.  Redaction turns a key
 * into a plain name only by removing an ANSI sequence (masking writes
 * "[REDACTED]", escaping writes a backslash), so only a key with ESC is
 * redacted here.
 */
void jtext_name(struct jtext *t, struct jspan k);
/* A value as one line: a string's text, else its compact JSON; redacted. */
void jtext_value(struct jtext *t, struct jspan v);
void jtext_release(struct jtext *t);
/* The text as a C string, owned by the caller from now on (t is spent). */
char *jtext_cstr(struct jtext *t);

#endif
