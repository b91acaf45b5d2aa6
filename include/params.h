/*
 * The pure rules of a diagnosis request: which values are acceptable, how
 * the product is inferred, how times and durations are read, how a problem
 * description becomes ocd_description, and the params JSON sent to
 * invoke-diagnosis.  Nothing here prints; errors are written to a caller's
 * buffer so main() can report them as usage errors.
 */
#ifndef PAI_DIAG_PARAMS_H
#define PAI_DIAG_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cjson/cJSON.h>

enum product { PRODUCT_NONE, PRODUCT_EAS, PRODUCT_DLC };

#define MAX_REGION_LEN 64
#define MAX_ID_LEN 128
#define MAX_TASK_ID_LEN 64
#define MAX_DESCRIPTION_LEN 1024
#define MAX_WINDOW_SECONDS ((int64_t)30 * 86400)

/* "EAS", "DLC" or NULL. */
const char *product_name(enum product p);

/*
 * Each check returns 0 when the value is acceptable, else -1 with a reason
 * (lower-case, no full stop) in err.
 */
int check_region(const char *s, char *err, size_t errlen);
int check_instance_id(const char *s, char *err, size_t errlen);
int check_task_id(const char *s, char *err, size_t errlen);
int check_uid(const char *s, char *err, size_t errlen);
int check_profile(const char *s, char *err, size_t errlen);

/*
 * A target as the command line or --instances-file names it: "ID" or
 * "ID@REGION" (an id never holds '@').  Sets *id and *region (NULL when
 * none) to owned copies; the region is checked here, the id is left to
 * its own check.  Returns 0, or -1 with a reason in err.
 */
int split_target(const char *s, char **id, char **region, char *err,
    size_t errlen);

/* EAS/DLC from --product (any case), or PRODUCT_NONE. */
enum product parse_product(const char *s);
/* EAS for "eas-...", DLC for "dlc" plus a non-hyphen, else PRODUCT_NONE. */
enum product infer_product(const char *id);

/*
 * Reads a TIME: Unix seconds, "YYYY-MM-DD HH:MM[:SS]" (local time, TZ), or
 * ISO 8601 "YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM|-HH:MM]" (local without offset).
 */
int parse_time(const char *s, int64_t *out, char *err, size_t errlen);

/* Reads a DURATION: digits and one of s, m, h, d ("90s", "2h"). */
int parse_duration(const char *s, int64_t *out, char *err, size_t errlen);

/*
 * Reads a decimal number of seconds in [min, max]: digits with an optional
 * fraction, nothing else (no sign, exponent, hex, inf or nan).
 */
int parse_seconds(const char *s, double min, double max, double *out,
    char *err, size_t errlen);

/*
 * Turns a description into ocd_description: whitespace runs become one
 * '_', leading and trailing ones are dropped; then only [A-Za-z0-9_.~-] is
 * allowed.  Returns an owned string (empty when nothing is left) or NULL
 * with a reason naming the first offending character.
 */
char *normalize_description(const char *s, char *err, size_t errlen);

/* Whether the text mentions a past time ("yesterday", "ago", "at 3pm" ...). */
bool mentions_past_time(const char *s);

/*
 * Compares dotted numeric versions field by field: <0, 0 or >0.  Returns
 * -2 when either is not of the form N(.N)+.
 */
int version_cmp(const char *a, const char *b);

struct diag_params {
	const char *instance;
	const char *region;
	enum product product;
	int64_t start_time, end_time;
	const char *uid;		/* validated digits, or NULL */
	const char *ocd_description;	/* normalised, or NULL/empty */
};

/* The params JSON object (owned by the caller). */
cJSON *params_json(const struct diag_params *p);

#endif
