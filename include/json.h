/*
 * Typed cJSON getters.  Each checks the type it promises and returns a
 * borrowed pointer into the tree (NULL when absent or of another type), so
 * callers never touch a cJSON field of the wrong kind.  Keys are matched
 * case-sensitively; aliyun mixes casings, so the *_any forms try several.
 */
#ifndef PAI_DIAG_JSON_H
#define PAI_DIAG_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

cJSON *json_get(const cJSON *obj, const char *key);
cJSON *json_obj(const cJSON *obj, const char *key);
cJSON *json_arr(const cJSON *obj, const char *key);
const char *json_str(const cJSON *obj, const char *key);
/* A number's value through valuedouble; false when absent or not a number. */
bool json_num(const cJSON *obj, const char *key, double *out);

/* The first string found under any of the NULL-terminated keys. */
const char *json_str_any(const cJSON *obj, ...) __attribute__((sentinel));
cJSON *json_get_any(const cJSON *obj, ...) __attribute__((sentinel));

/* Adds v under key; dies when v is NULL (cJSON's allocation failure). */
void json_add(cJSON *obj, const char *key, cJSON *v);
/* A string, or JSON null for NULL. */
cJSON *json_str_or_null(const char *s);

/*
 * The JSON document fn prints (a report's -o json), read back as a tree:
 * owned, an empty object when fn printed no JSON.
 */
cJSON *json_rendered(int (*fn)(FILE *f, const void *arg), const void *arg);

/*
 * Parses the JSON document in text, which may be preceded by lines that are
 * not JSON (aliyun's plugin-install preamble): parsing starts at the first
 * line whose first byte is '{' and the rest must be one document followed
 * only by whitespace.  Returns an owned tree or NULL.
 */
cJSON *json_parse_output(const char *text, size_t len);

/*
 * json_parse_output(), but the members of the top-level object's first
 * "data" object named in keys (a NULL-terminated list of at most
 * JSON_HELD_MAX) are left out of the tree and only located: held[i] is the
 * text of the first member named keys[i] (n == 0 when there is none),
 * pointing into text.  A 20 MB engine result is so checked but not parsed.
 */
#define JSON_HELD_MAX 4
struct jspan;
cJSON *json_parse_held(const char *text, size_t len, const char *const *keys,
    struct jspan *held);

#endif
