/*
 * Relayed JSON printed as it streams: the engine's result and issues go to
 * the JSON report straight from the reply's text, with no tree in between.
 * This module owns that printer.  What it writes is, byte for byte, what
 * cJSON_Print() (or cJSON_PrintUnformatted()) writes for the same text
 * parsed by cJSON and passed through redact_tree(): every key and string
 * through redact(), the value under a secret-named key replaced by the
 * string REDACTED; tests/unit/test_jscan.c compares the two.
 */
#ifndef PAI_DIAG_JPRINT_H
#define PAI_DIAG_JPRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "buf.h"
#include "jscan.h"

/* Where the printer writes: f when not NULL, else b. */
struct jout {
	FILE *f;
	struct buf *b;
	bool fmt;	/* cJSON_Print()'s layout, else the compact one */
};

/*
 * Prints v (a value jscan_value() accepted) as cJSON would print it at
 * depth (the number of objects and arrays around it: 0 for a document).
 */
void jprint(const struct jout *o, struct jspan v, int depth);

/* Writes s (n bytes, no NUL) as a JSON string, escaped as cJSON does. */
void jprint_string(const struct jout *o, const char *s, size_t n);

/* Writes n bytes as they are. */
void jprint_raw(const struct jout *o, const char *s, size_t n);

#endif
