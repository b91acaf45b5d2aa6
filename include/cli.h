/*
 * The command line: the shape of the option table, reading argv with
 * getopt_long over it, one parser per kind of value, and the checks across
 * options (cli_check.c) that turn what was given into struct options.
 * main.c holds the table itself (long_options[], one row per option, each naming the field
 * of struct options it sets); cli.c owns everything that reads it.
 *
 * Adding an option: a row in long_options[] and its field in struct
 * options; a check in cli.c only when it interacts with other options.
 */
#ifndef PAI_DIAG_CLI_H
#define PAI_DIAG_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "options.h"
#include "strvec.h"

struct diag;

/* What an option takes, and what it sets in its field. */
enum cli_kind {
	CLI_FLAG,	/* no value; sets a bool to true */
	CLI_STRING,	/* the value as given; sets a const char * */
	CLI_TARGET,	/* the same, and adds a target (see struct cli) */
	CLI_MULTI,	/* the same, may be repeated: every value in multi */
	CLI_WHOLE,	/* digits only, min to max; sets an int */
	CLI_SECONDS,	/* decimal seconds, min to max; sets a double */
	CLI_DURATION,	/* 90s, 30m, 2h, 1d; sets an int64_t of seconds */
	CLI_TIME,	/* Unix seconds or a date (parse_time); sets an int64_t */
	CLI_CHOICE,	/* one of words; sets an enum to the word's index */
	CLI_PRODUCT,	/* EAS or DLC, any case; sets an enum product */
	CLI_HELP,	/* ends the parse: the help is asked for */
	CLI_VERSION,	/* ends the parse: the version is asked for */
};

/* A row of the option table. */
struct cli_option {
	const char *name;	/* the long name, without "--" */
	int letter;		/* the short option, or 0 */
	enum cli_kind kind;
	size_t field;		/* offsetof(struct options, ...); 0 if none */
	long long min, max;	/* CLI_WHOLE, CLI_SECONDS: the range */
	const char *const *words;	/* CLI_CHOICE: NULL-terminated */
	bool once;		/* giving it twice is a usage error */
};

/* The most rows a table may have. */
#define CLI_MAX_OPTIONS 64

enum cli_action { CLI_RUN, CLI_SHOW_HELP, CLI_SHOW_VERSION };

/*
 * One reading of the command line.  Set table and n, then cli_parse().
 * The values are borrowed from argv.
 */
struct cli {
	const struct cli_option *table;
	size_t n;
	const char *arg[CLI_MAX_OPTIONS];	/* the last value of each row */
	bool given[CLI_MAX_OPTIONS];
	/* "instance=ID" and "task-id=TASK", in the order given (owned). */
	struct strvec targets;
	/* "name=VALUE" of the CLI_MULTI options, in the order given (owned). */
	struct strvec multi;
	bool fleet;		/* several targets, --instances-file, --discover */
	/* A single run's target split from its region (owned). */
	char *target_id, *target_region;
	enum cli_action action;
	/* Set by cli_parse(). */
	struct diag *d;
	struct options *o;
	time_t now;
};

#define CLI_INIT(tbl) { .table = (tbl), \
	.n = sizeof(tbl) / sizeof((tbl)[0]), .targets = STRVEC_INIT, .multi = STRVEC_INIT }

/*
 * Whether the arguments ask for --output json in any spelling getopt_long
 * takes (a prefix it finds ambiguous too), so that even a usage error is
 * answered with the envelope.  argv may be permuted, as getopt_long does.
 */
bool cli_wants_json(const struct cli *c, int argc, char **argv);

/*
 * Reads argv, the trailing "doctor" command included, then checks every
 * value and fills o; c->action says whether --help or --version ended the
 * parse (then nothing was checked).  Returns 0, or -1 after a usage error
 * recorded in d.
 */
int cli_parse(struct cli *c, struct diag *d, struct options *o, int argc,
    char **argv);

/*
 * For the checks (cli_check.c).  cli_row(): the index of the row named
 * name (an unknown name is a bug: die()).  cli_given(): whether it was
 * given.  cli_convert(): converts its value into its field by its kind;
 * 1 when given, 0 when not (the field keeps its default), -1 after a
 * usage error.  cli_check(): every check, after argv was read; 0 or -1.
 */
size_t cli_row(const struct cli *c, const char *name);
bool cli_given(const struct cli *c, const char *name);
int cli_convert(struct cli *c, const char *name);
int cli_check(struct cli *c);

/*
 * A file the run will write, --NAME PATH (cli_file.c): its directory
 * takes a new file, or PATH is a file that can be written; a symbolic
 * link is followed (*real, owned, the file it names, or left NULL).  With
 * in_place, a device or a FIFO is allowed (*in_place says so: written in
 * place, not renamed over); without, PATH must be a regular file.  0, or
 * -1 after a usage error.
 */
int cli_check_file(struct diag *d, const char *option, const char *path,
    bool *in_place, char **real);

/* Frees the targets. */
void cli_release(struct cli *c);

/* Records a usage error in d; returns -1. */
int cli_usage_error(struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
