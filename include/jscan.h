/*
 * JSON text read in place, without a tree: the engine's result can be 20 MB,
 * and a cJSON tree of it costs twice that again.  This module owns reading
 * JSON text as spans: checking a value is one cJSON would parse (the same
 * leniencies and the same refusals, so a reply read here is accepted or
 * refused exactly as cJSON_ParseWithLengthOpts() would), walking the members
 * of an object and the elements of an array, and decoding a string as cJSON
 * does (escapes, surrogate pairs, cut at the first NUL).
 */
#ifndef PAI_DIAG_JSCAN_H
#define PAI_DIAG_JSCAN_H

#include <stdbool.h>
#include <stddef.h>

/* cJSON's own limit on nested arrays and objects (CJSON_NESTING_LIMIT). */
#define JSCAN_DEPTH_LIMIT 1000

/* The text of one value, without the white space around it. */
struct jspan {
	const char *p;
	size_t n;
};

/*
 * The end of the value at p (after white space, as cJSON skips it: any byte
 * up to 0x20), or NULL when cJSON would not parse one there.
 */
const char *jscan_value(const char *p, const char *end);
/* The same for a value inside depth open arrays and objects. */
const char *jscan_value_at(const char *p, const char *end, size_t depth);

/*
 * In text jscan_value() accepted: past white space; the end of the string
 * at p (its opening quote); the end of the value at p.
 */
const char *jscan_ws(const char *p, const char *end);
const char *jscan_string_end(const char *p, const char *end);
const char *jscan_skip(const char *p, const char *end);

/* Whether v is an object, an array or a string (by its first byte). */
bool jscan_is_object(struct jspan v);
bool jscan_is_array(struct jspan v);
bool jscan_is_string(struct jspan v);
/* Whether v is true, false or null. */
bool jscan_is_literal(struct jspan v);

/*
 * Walks the members of an object or the elements of an array that
 * jscan_value() accepted: jscan_first() then jscan_next() until it returns
 * false.  For an object, *key is the member's name as written (quotes
 * included); for an array it is empty.
 */
struct jiter {
	const char *p, *end;
	bool object;
	bool started;	/* the checked walk: a member was read */
	size_t count;	/* jscan_next(): the elements or members of *val */
	size_t depth;	/* the checked walk: containers open around it */
};
void jscan_first(struct jiter *it, struct jspan container);
bool jscan_next(struct jiter *it, struct jspan *key, struct jspan *val);

/*
 * The same walk over a container that was not checked (p at its opening
 * bracket, inside depth containers counting itself: 1 for a document's
 * root): each member is checked as jscan_value() would check it in place,
 * so that one pass both checks a document and finds its members.  After
 * false, *bad says whether cJSON would refuse the container; when not,
 * it->p is just after its closing bracket.
 */
void jscan_first_unchecked(struct jiter *it, const char *p, const char *end,
    size_t depth);
bool jscan_next_checked(struct jiter *it, struct jspan *key, struct jspan *val,
    bool *bad);
/*
 * The checked walk in two halves, for a caller that checks a member's
 * value itself (by walking it): jscan_member_checked() reads up to the
 * value (*val, its first byte) and jscan_member_done() moves past it.
 */
bool jscan_member_checked(struct jiter *it, struct jspan *key,
    const char **val, bool *bad);
void jscan_member_done(struct jiter *it, const char *value_end);

/*
 * A string value or key decoded as cJSON decodes it, NUL-terminated and cut
 * at its first NUL.  jscan_str() returns a new string (caller frees), or
 * NULL when v is not a string.  jscan_str_buf() decodes into out, which
 * holds at least v.n bytes (decoding never lengthens), and returns the
 * decoded length; out may be v.p itself (decoding in place).
 */
char *jscan_str(struct jspan v);
size_t jscan_str_buf(struct jspan v, char *out);

/* Whether the key (as jscan_next() gives it) decodes to name. */
bool jscan_key_is(struct jspan key, const char *name);

/* The first member of obj named key, as cJSON_GetObjectItemCaseSensitive(). */
bool jscan_get(struct jspan obj, const char *key, struct jspan *val);

/* The number of elements of an array (jscan_next() tells it too). */
size_t jscan_count(struct jspan array);

/*
 * A number as cJSON reads it: the bytes of [0-9+-.eE] there, as far as
 * strtod() takes them.  Returns its end, or NULL when there is none.
 */
const char *jscan_number(const char *p, const char *end, double *value);

#endif
