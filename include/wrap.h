/*
 * Paragraphs of the text reports word-wrapped to a width.  This module
 * owns the display width of text and where a line may break: at a run of
 * ASCII spaces (the spaces are dropped at a break), and before or after a
 * wide (CJK) character.  A character counts one column, a wide one two;
 * an ANSI CSI or OSC sequence none, and it is never split.  A word wider
 * than the line is left whole on a line of its own, past the width, rather
 * than cut: a cut would break an address, an id or a masked span (the
 * sink masks what was rendered after wrapping, and "[REDACTED]" or a
 * secret with no space in it must reach it in one piece).  Width 0 breaks
 * nothing: the text is written as it is, only each of its own lines after
 * the first indented.
 *
 * The text given is already redacted; wrapping only adds line breaks and
 * indentation.
 */
#ifndef PAI_DIAG_WRAP_H
#define PAI_DIAG_WRAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The width used when none is known. */
#define WRAP_DEFAULT 80

struct wrap {
	FILE *f;
	int width;		/* 0: never break */
	const char *indent;	/* begins every line after the first */
	int indent_cols;
	int col;		/* display columns on the line so far */
	int spaces;		/* spaces read, not yet written */
	bool fresh;		/* the line holds no word yet */
};

/*
 * Starts a paragraph on f whose first line already holds col columns (the
 * lead written before it), and whose other lines begin with indent.
 */
void wrap_begin(struct wrap *w, FILE *f, int width, int col,
    const char *indent);
/*
 * Writes n bytes of text: breaks where a line would pass the width; a
 * newline in the text ends the line (the next starts with the indent and
 * keeps the text's own leading spaces).
 */
void wrap_text(struct wrap *w, const char *s, size_t n);
/* Writes s (n bytes, no newline) as one word, after a space unless fresh. */
void wrap_word(struct wrap *w, const char *s, size_t n);
/* Ends the paragraph: spaces left at its end are written if they fit. */
void wrap_end(struct wrap *w);

/* A whole paragraph: wrap_begin(), wrap_text() of s, wrap_end(). */
void wrap_put(FILE *f, const char *s, size_t n, int width, int col,
    const char *indent);

/* The display columns of n bytes of text (no newline in them). */
int wrap_cols(const char *s, size_t n);
/*
 * How many bytes of s (n bytes) hold the characters that fit in cols
 * columns: a place to cut that splits no UTF-8 or ANSI sequence.
 */
size_t wrap_fit(const char *s, size_t n, int cols);
/*
 * The width of the terminal on fd: its window size, else $COLUMNS when it
 * is a whole number from 20 to 1000, else WRAP_DEFAULT.
 */
int wrap_terminal_width(int fd);

#endif
