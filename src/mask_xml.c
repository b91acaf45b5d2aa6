/*
 * Masking of XML elements with a secret name (<AccessKeySecret>...</...>,
 * also with a namespace prefix, attributes, or Go's \u003c/\u003e for
 * the angle brackets): the open tag is read backwards from its '>' and
 * the element's text, up to the next tag, is replaced.
 */
#include <stdbool.h>
#include <stddef.h>

#include "mask.h"
#include "mask_pattern.h"

static inline bool
is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Whether s[n..j) is what can follow the name in an open tag: blanks and
 * attributes (a name, then = and a value, quoted with ", ' or \", or not),
 * starting with a blank.
 */
static bool
attributes(const char *s, size_t n, size_t j)
{
	size_t i = n;

	if (i < j && !is_blank((unsigned char)s[i]))
		return false;
	while (i < j) {
		size_t q;

		if (is_blank((unsigned char)s[i])) {
			i++;
			continue;
		}
		if (!is_word((unsigned char)s[i]) && s[i] != ':')
			return false;
		while (i < j && (is_word((unsigned char)s[i]) || s[i] == ':'))
			i++;
		if (i == j || s[i] != '=')
			continue;
		if (++i == j)
			return false;
		if (s[i] == '"' || s[i] == '\'') {
			for (q = i + 1; q < j && s[q] != s[i] && s[q] != '<'; q++)
				;
			if (q == j || s[q] != s[i])
				return false;
			i = q + 1;
		} else if (s[i] == '\\' && i + 1 < j && s[i + 1] == '"') {
			for (q = i + 2; q + 1 < j && !(s[q] == '\\' &&
			    s[q + 1] == '"'); q++)
				;
			if (q + 1 >= j)
				return false;
			i = q + 2;
		} else {
			if (!is_word((unsigned char)s[i]))
				return false;
			while (i < j && is_word((unsigned char)s[i]))
				i++;
		}
		if (i < j && !is_blank((unsigned char)s[i]) && s[i] != '/')
			return false;
		if (i < j && s[i] == '/' && i + 1 != j)
			return false;
	}
	/* Not "<Name/>": no text. */
	return j == n || s[j - 1] != '/';
}

/*
 * An XML element with a secret name whose open tag ends at s[j] ('>', or
 * Go's "\u003e"; the tag is read backwards, so that whatever it holds was
 * scanned first): its text, up to the next tag.
 */
bool
mask_element_at(const char *s, size_t len, size_t j, struct repl *r)
{
	size_t k = j, lt, n, a, t, end;

	/* The '<' (or "\u003c") of the tag; no '>' or string end between. */
	for (;;) {
		if (k == 0)
			return false;
		k--;
		if (s[k] == '<') {
			lt = 1;
			break;
		}
		if (k >= 5 && mask_go_angle(s, len, k - 5, 'c')) {
			k -= 5;
			lt = 6;
			break;
		}
		if (s[k] == '>' || (k >= 5 && mask_go_angle(s, len, k - 5, 'e')) ||
		    (s[k] == '"' && (mask_looks_closing(s, len, k) ||
		    (k > 0 && s[k - 1] == '\\' && mask_looks_closing(s, len, k - 1)))))
			return false;
	}
	/* The name, a namespace prefix aside; then the end or blank. */
	for (n = a = k + lt; n < j && (is_word((unsigned char)s[n]) ||
	    s[n] == ':'); n++)
		if (s[n] == ':')
			a = n + 1;
	/* The name alone: not the "u003c" of Go's '<' before it. */
	if (a == n || mask_key_kind_from(s, a, n) == KEY_NONE ||
	    !attributes(s, n, j))
		return false;
	t = j + (s[j] == '>' ? 1 : 6);
	for (end = t; end < len; end = mask_step(s, len, end))
		if (s[end] == '<' || mask_go_angle(s, len, end, 'c') ||
		    (s[end] == '"' && mask_looks_closing(s, len, end)) ||
		    mask_inner_closing(s, len, end))
			break;
	if (end == t)
		return false;
	r->start = t;
	r->end = end;
	r->with = REDACTED;
	r->wlen = REDACTED_LEN;
	return true;
}

