/*
 * Reading the command line; see cli.h.  getopt_long reads argv over tables
 * made from main.c's option table and keeps each value as given;
 * cli_convert() turns a value into its field with the parser of its kind
 * when a check of cli_check.c asks for it.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "msg.h"
#include "params.h"
#include "workflow.h"

/* CLI_CHOICE stores an int into these enums. */
_Static_assert(sizeof(enum format) == sizeof(int) &&
    sizeof(enum fail_on) == sizeof(int) &&
    sizeof(enum progress_choice) == sizeof(int) &&
    sizeof(enum color_choice) == sizeof(int), "choices are int-sized");

/* getopt_long's value for a row without a letter: past every char. */
#define LONG_ONLY 256

int
cli_usage_error(struct diag *d, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_fail(d, OUTCOME_USAGE_ERROR, "pai-diag", NULL, "%s", msg);
	return -1;
}

size_t
cli_row(const struct cli *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->table[i].name, name) == 0)
			return i;
	die("no option '--%s' in the option table", name);
}

bool
cli_given(const struct cli *c, const char *name)
{
	return c->given[cli_row(c, name)];
}

static bool
takes_value(enum cli_kind kind)
{
	return kind != CLI_FLAG && kind != CLI_HELP && kind != CLI_VERSION;
}

/* What getopt_long returns for row i. */
static int
getopt_value(const struct cli *c, size_t i)
{
	return c->table[i].letter ? c->table[i].letter : LONG_ONLY + (int)i;
}

/* The row getopt_long's value stands for. */
static size_t
row_of_value(const struct cli *c, int value)
{
	for (size_t i = 0; i < c->n; i++)
		if (getopt_value(c, i) == value)
			return i;
	die("getopt_long returned %d", value);
}

/*
 * getopt_long's tables for the option table: longs takes n + 1 entries,
 * shorts 2n + 2 bytes.  shorts starts with ':' so that a missing value is
 * told apart from an unknown option.
 */
static void
getopt_tables(const struct cli *c, struct option *longs, char *shorts)
{
	size_t k = 0;

	if (c->n > CLI_MAX_OPTIONS)
		die("the option table has more than %d rows", CLI_MAX_OPTIONS);
	shorts[k++] = ':';
	for (size_t i = 0; i < c->n; i++) {
		const struct cli_option *r = &c->table[i];
		bool value = takes_value(r->kind);

		longs[i] = (struct option){ r->name, value ? required_argument :
		    no_argument, NULL, getopt_value(c, i) };
		if (r->letter) {
			shorts[k++] = (char)r->letter;
			if (value)
				shorts[k++] = ':';
		}
	}
	longs[c->n] = (struct option){ NULL, 0, NULL, 0 };
	shorts[k] = '\0';
}

/* Sets row r's field of the options to the size bytes at value. */
static void
set_field(struct cli *c, const struct cli_option *r, const void *value,
    size_t size)
{
	memcpy((char *)c->o + r->field, value, size);
}

bool
cli_wants_json(const struct cli *c, int argc, char **argv)
{
	static const struct option output_only[] = {
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct option longs[CLI_MAX_OPTIONS + 1];
	char shorts[2 * CLI_MAX_OPTIONS + 2];
	char *unknown[8][2];	/* an unknown option and the word after it */
	int ch, output = getopt_value(c, cli_row(c, "output"));
	size_t nunknown = 0;

	getopt_tables(c, longs, shorts);
	opterr = 0;
	optind = 0;
	while ((ch = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		if (ch == output && strcmp(optarg, "json") == 0)
			return true;
		if (ch == '?' && optopt == 0 && nunknown < 8) {
			unknown[nunknown][0] = argv[optind - 1];
			unknown[nunknown++][1] = optind < argc ? argv[optind] :
			    NULL;
		}
	}
	/*
	 * An option getopt_long found ambiguous may still be a prefix of
	 * --output (--outp=json is --output or --output-file): getopt_long
	 * over --output alone says.
	 */
	for (size_t i = 0; i < nunknown; i++) {
		char *one[] = { argv[0], unknown[i][0], unknown[i][1], NULL };

		optind = 0;
		if (getopt_long(unknown[i][1] ? 3 : 2, one, ":", output_only,
		    NULL) == 'o' && strcmp(optarg, "json") == 0)
			return true;
	}
	return false;
}

/* --- One parser per kind: 0, or -1 after a usage error. ---------------- */

typedef int parser(struct cli *c, const struct cli_option *r, const char *v);

/* Digits only (strtonum alone would take spaces and a sign), in range. */
static int
parse_whole(struct cli *c, const struct cli_option *r, const char *v)
{
	const char *errstr = "not digits";
	int n = 0;

	if (*v != '\0' && v[strspn(v, "0123456789")] == '\0')
		n = (int)strtonum(v, r->min, r->max, &errstr);
	if (errstr)
		return cli_usage_error(c->d, "--%s must be a whole number from "
		    "%lld to %lld, not '%.64s'", r->name, r->min, r->max, v);
	set_field(c, r, &n, sizeof(n));
	return 0;
}

static int
parse_secs(struct cli *c, const struct cli_option *r, const char *v)
{
	char err[256];
	double secs;

	if (parse_seconds(v, (double)r->min, (double)r->max, &secs, err,
	    sizeof(err)) < 0)
		return cli_usage_error(c->d, "--%s: %s", r->name, err);
	set_field(c, r, &secs, sizeof(secs));
	return 0;
}

static int
parse_dur(struct cli *c, const struct cli_option *r, const char *v)
{
	char err[256];
	int64_t secs;

	if (parse_duration(v, &secs, err, sizeof(err)) < 0)
		return cli_usage_error(c->d, "--%s: %s", r->name, err);
	set_field(c, r, &secs, sizeof(secs));
	return 0;
}

static int
parse_when(struct cli *c, const struct cli_option *r, const char *v)
{
	char err[256];
	int64_t t;

	if (parse_time(v, &t, err, sizeof(err)) < 0)
		return cli_usage_error(c->d, "--%s: %s", r->name, err);
	set_field(c, r, &t, sizeof(t));
	return 0;
}

/* The index of the word; else a usage error that lists them all. */
static int
parse_choice(struct cli *c, const struct cli_option *r, const char *v)
{
	char list[128] = "";
	int n = 0;

	for (int i = 0; r->words[i]; i++, n++)
		if (strcmp(v, r->words[i]) == 0) {
			set_field(c, r, &i, sizeof(i));
			return 0;
		}
	for (int i = 0; i < n; i++) {
		strlcat(list, i == 0 ? "" : i == n - 1 ? " or " : ", ",
		    sizeof(list));
		strlcat(list, r->words[i], sizeof(list));
	}
	return cli_usage_error(c->d, "--%s must be %s, not '%.64s'", r->name,
	    list, v);
}

static int
parse_prod(struct cli *c, const struct cli_option *r, const char *v)
{
	enum product p = parse_product(v);

	if (p == PRODUCT_NONE)
		return cli_usage_error(c->d, "--%s must be EAS or DLC, not "
		    "'%.64s'", r->name, v);
	set_field(c, r, &p, sizeof(p));
	return 0;
}

/* The kinds whose value is converted when a check asks for it. */
static parser *const parsers[] = {
	[CLI_WHOLE] = parse_whole,
	[CLI_SECONDS] = parse_secs,
	[CLI_DURATION] = parse_dur,
	[CLI_TIME] = parse_when,
	[CLI_CHOICE] = parse_choice,
	[CLI_PRODUCT] = parse_prod,
};

int
cli_convert(struct cli *c, const char *name)
{
	size_t i = cli_row(c, name);
	const struct cli_option *r = &c->table[i];

	if (!c->given[i])
		return 0;
	if ((size_t)r->kind >= sizeof(parsers) / sizeof(parsers[0]) ||
	    parsers[r->kind] == NULL)
		die("--%s has no parser", name);
	return parsers[r->kind](c, r, c->arg[i]) < 0 ? -1 : 1;
}

/* --- Reading argv -------------------------------------------------------- */

/* Takes one option as getopt_long found it: 0, or -1 after a usage error. */
static int
take(struct cli *c, size_t i, char *value)
{
	const struct cli_option *r = &c->table[i];
	const char *s = value;
	bool on = true;

	if (r->once && c->given[i])
		return cli_usage_error(c->d, "--%s may be given once", r->name);
	c->given[i] = true;
	c->arg[i] = value;
	switch (r->kind) {
	case CLI_FLAG:
		set_field(c, r, &on, sizeof(on));
		break;
	case CLI_TARGET:
		strvec_pushf(&c->targets, "%s=%s", r->name, value);
		set_field(c, r, &s, sizeof(s));
		break;
	case CLI_MULTI:
		strvec_pushf(&c->multi, "%s=%s", r->name, value);
		set_field(c, r, &s, sizeof(s));
		break;
	case CLI_STRING:
		set_field(c, r, &s, sizeof(s));
		break;
	case CLI_HELP:
		c->action = CLI_SHOW_HELP;
		break;
	case CLI_VERSION:
		c->action = CLI_SHOW_VERSION;
		break;
	default:
		break;	/* converted when the checks ask: convert() */
	}
	return 0;
}

static int
unknown_option(struct cli *c, char **argv)
{
	if (optopt > 0 && optopt < LONG_ONLY)
		return cli_usage_error(c->d, "unknown option '-%c'", optopt);
	return cli_usage_error(c->d, "unknown or ambiguous option '%.64s'",
	    argv[optind - 1]);
}

/* The options, then the "doctor" command and nothing else. */
static int
read_args(struct cli *c, int argc, char **argv)
{
	struct option longs[CLI_MAX_OPTIONS + 1];
	char shorts[2 * CLI_MAX_OPTIONS + 2];
	int ch;

	getopt_tables(c, longs, shorts);
	opterr = 0;
	optind = 0;
	while ((ch = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		if (ch == ':')
			return cli_usage_error(c->d, "option '%s' needs a value",
			    argv[optind - 1]);
		if (ch == '?')
			return unknown_option(c, argv);
		if (take(c, row_of_value(c, ch), optarg) < 0)
			return -1;
		if (c->action != CLI_RUN)
			return 0;
	}
	if (optind < argc && strcmp(argv[optind], "doctor") == 0) {
		c->o->doctor = true;
		optind++;
	} else if (optind < argc && strcmp(argv[optind], "mcp") == 0) {
		c->o->mcp = true;
		optind++;
	} else if (optind < argc && strcmp(argv[optind], "history") == 0) {
		c->o->history = true;
		optind++;
	} else if (optind < argc && strcmp(argv[optind], "diff") == 0) {
		c->o->diff = true;
		if (argc - ++optind < 2)
			return cli_usage_error(c->d, "diff compares two runs: "
			    "give two task ids, or last and previous with "
			    "--instance");
		c->o->diff_a = argv[optind++];
		c->o->diff_b = argv[optind++];
	}
	if (optind < argc)
		return cli_usage_error(c->d, "unexpected argument '%.64s'",
		    argv[optind]);
	return 0;
}

int
cli_parse(struct cli *c, struct diag *d, struct options *o, int argc,
    char **argv)
{
	c->d = d;
	c->o = o;
	if (read_args(c, argc, argv) < 0)
		return -1;
	if (c->action != CLI_RUN)
		return 0;
	c->now = time(NULL);
	o->aliyun_from_flag = cli_given(c, "aliyun");
	return cli_check(c);
}

void
cli_release(struct cli *c)
{
	strvec_clear(&c->targets);
	strvec_clear(&c->multi);
	free(c->target_id);
	free(c->target_region);
	free(c->o ? c->o->regions : NULL);
	if (c->o)
		c->o->regions = NULL;
}
