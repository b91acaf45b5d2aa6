/*
 * Word wrapping of the text reports' paragraphs; see wrap.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "wrap.h"

/*
 * Whether a code point takes two columns: the East Asian wide and
 * fullwidth blocks (Hangul Jamo, CJK and its punctuation, Hiragana to Yi,
 * Hangul syllables, the compatibility ideographs and forms, fullwidth
 * forms, the emoji blocks, the supplementary ideographic planes).  A small
 * table rather than wcwidth(), which needs a locale pai-diag never sets.
 */
static bool
is_wide(uint32_t cp)
{
	return (cp >= 0x1100 && cp <= 0x115f) ||
	    (cp >= 0x2e80 && cp <= 0x303e) || (cp >= 0x3041 && cp <= 0xa4cf) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	    (cp >= 0xffe0 && cp <= 0xffe6) ||
	    (cp >= 0x1f300 && cp <= 0x1f64f) ||
	    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
	    (cp >= 0x20000 && cp <= 0x3fffd);
}

/* The length of the ANSI CSI or OSC sequence at s[i] (ESC, then [ or ]). */
static size_t
ansi_len(const unsigned char *s, size_t n, size_t i)
{
	size_t j = i + 2;

	if (s[i + 1] == '[') {
		while (j < n && s[j] >= 0x20 && s[j] <= 0x3f)
			j++;
		while (j < n && s[j] >= 0x20 && s[j] <= 0x2f)
			j++;
		if (j < n && s[j] >= 0x40 && s[j] <= 0x7e)
			j++;
		return j - i;
	}
	/* OSC: up to BEL or ST, or the end of the text. */
	while (j < n && s[j] != '\a' && !(s[j] == 0x1b && j + 1 < n &&
	    s[j + 1] == '\\'))
		j++;
	if (j < n)
		j += s[j] == '\a' ? 1 : 2;
	return j - i;
}

/*
 * The character at s[i]: its length in bytes, its columns in *cols.  A
 * UTF-8 sequence is one character (a stray byte is one of its own), an
 * ANSI sequence one of no width.
 */
static size_t
char_at(const unsigned char *s, size_t n, size_t i, int *cols)
{
	uint32_t cp = s[i];
	size_t len = 1;

	*cols = 1;
	if (s[i] == 0x1b && i + 1 < n && (s[i + 1] == '[' || s[i + 1] == ']')) {
		*cols = 0;
		return ansi_len(s, n, i);
	}
	if (s[i] < 0xc0)
		return 1;
	cp &= s[i] >= 0xf0 ? 0x07 : s[i] >= 0xe0 ? 0x0f : 0x1f;
	while (len < 4 && i + len < n && (s[i + len] & 0xc0) == 0x80)
		cp = (cp << 6) | (s[i + len++] & 0x3f);
	if (is_wide(cp))
		*cols = 2;
	return len;
}

int
wrap_cols(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	int cols = 0, c;

	for (size_t i = 0; i < n; cols += c)
		i += char_at(u, n, i, &c);
	return cols;
}

size_t
wrap_fit(const char *s, size_t n, int cols)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, len;
	int used = 0, c;

	while (i < n) {
		len = char_at(u, n, i, &c);
		if (used + c > cols)
			break;
		used += c;
		i += len;
	}
	return i;
}

void
wrap_begin(struct wrap *w, FILE *f, int width, int col, const char *indent)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	w->width = width;
	w->indent = indent;
	w->indent_cols = wrap_cols(indent, strlen(indent));
	w->col = col;
	w->fresh = true;
}

/* Writes the spaces read, when nothing limits the line or they fit. */
static void
put_spaces(struct wrap *w)
{
	static const char sp[] = "                ";
	int k;

	if (w->width == 0 || w->col + w->spaces <= w->width) {
		for (; w->spaces > 0; w->spaces -= k, w->col += k) {
			k = w->spaces < 16 ? w->spaces : 16;
			fwrite(sp, 1, (size_t)k, w->f);
		}
	}
	w->spaces = 0;
}

/* A line begins after the indent. */
static void
new_line(struct wrap *w)
{
	fputc('\n', w->f);
	fputs(w->indent, w->f);
	w->col = w->indent_cols;
	w->fresh = true;
}

/*
 * A word of cols columns: on this line after the spaces before it, or
 * first on the next when it would pass the width.  The first word of a
 * line stays on it, however wide.
 */
static void
place(struct wrap *w, const char *s, size_t n, int cols)
{
	if (w->width > 0 && !w->fresh && w->col + w->spaces + cols > w->width) {
		w->spaces = 0;
		new_line(w);
	}
	put_spaces(w);
	fwrite(s, 1, n, w->f);
	w->col += cols;
	w->fresh = false;
}

/*
 * The end of the word at s[i]: the next space or newline, else before a
 * wide character or after one that begins it.  *cols gets its columns.
 */
static size_t
word_end(const unsigned char *s, size_t n, size_t i, int *cols)
{
	size_t j = i;
	int c;

	*cols = 0;
	while (j < n && s[j] != ' ' && s[j] != '\n') {
		size_t len = char_at(s, n, j, &c);

		if (c == 2 && j > i)
			break;
		j += len;
		*cols += c;
		if (c == 2)
			break;
	}
	return j;
}

/*
 * Width 0: the text as it is, each of its own lines after the first
 * indented; a fast path, as most reports go to a pipe or a file.
 */
static void
unbroken(struct wrap *w, const char *s, size_t n)
{
	const char *nl, *end = s + n;

	put_spaces(w);
	while ((nl = memchr(s, '\n', (size_t)(end - s))) != NULL) {
		fwrite(s, 1, (size_t)(nl - s) + 1, w->f);
		fputs(w->indent, w->f);
		s = nl + 1;
	}
	fwrite(s, 1, (size_t)(end - s), w->f);
	if (n > 0)
		w->fresh = false;
}

void
wrap_text(struct wrap *w, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, j;
	int cols;

	if (w->width == 0) {
		unbroken(w, s, n);
		return;
	}
	while (i < n) {
		if (s[i] == '\n') {
			put_spaces(w);
			new_line(w);
			i++;
		} else if (s[i] == ' ') {
			w->spaces++;
			i++;
		} else {
			j = word_end(u, n, i, &cols);
			place(w, s + i, j - i, cols);
			i = j;
		}
	}
}

void
wrap_word(struct wrap *w, const char *s, size_t n)
{
	if (!w->fresh && w->spaces == 0)
		w->spaces = 1;
	place(w, s, n, wrap_cols(s, n));
}

void
wrap_end(struct wrap *w)
{
	put_spaces(w);
}

void
wrap_put(FILE *f, const char *s, size_t n, int width, int col,
    const char *indent)
{
	struct wrap w;
	bool nl = n > 0 && s[n - 1] == '\n';

	/* A last newline ends the text: no indent after it. */
	wrap_begin(&w, f, width, col, indent);
	wrap_text(&w, s, nl ? n - 1 : n);
	wrap_end(&w);
	if (nl)
		fputc('\n', f);
}

int
wrap_terminal_width(int fd)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS"), *err = NULL;
	long long n;

	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (env != NULL) {
		n = strtonum(env, 20, 1000, &err);
		if (err == NULL)
			return (int)n;
	}
	return WRAP_DEFAULT;
}
