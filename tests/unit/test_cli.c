/*
 * The command-line engine (cli.c) over a small table of its own: the
 * JSON decision made with getopt_long, and the whole-number parser.
 */
#include <stddef.h>
#include <string.h>

#include "cli.h"
#include "test.h"
#include "workflow.h"

static const char *const formats[] = { "text", "json", "markdown", NULL };

static const struct cli_option table[] = {
	{ "output", .letter = 'o', .kind = CLI_CHOICE,
	    .field = offsetof(struct options, format), .words = formats },
	{ "output-file", .kind = CLI_STRING,
	    .field = offsetof(struct options, output_file) },
	{ "quiet", .letter = 'q', .kind = CLI_FLAG,
	    .field = offsetof(struct options, quiet) },
	{ "region", .letter = 'r', .kind = CLI_STRING,
	    .field = offsetof(struct options, region) },
	{ "max-polls", .kind = CLI_WHOLE,
	    .field = offsetof(struct options, max_polls), .min = 1,
	    .max = 10000 },
};

/* cli_wants_json() over the words given after the program name. */
static bool
wants_json(char *a, char *b, char *c)
{
	struct cli cli = CLI_INIT(table);
	char prog[] = "pai-diag";
	char *argv[] = { prog, a, b, c, NULL };
	int argc = 1 + (a != NULL) + (b != NULL) + (c != NULL);

	return cli_wants_json(&cli, argc, argv);
}

/* Converts --max-polls value; returns cli_convert()'s answer. */
static int
max_polls(const char *value, int *out)
{
	struct options o = { .max_polls = 60 };
	struct cli cli = CLI_INIT(table);
	struct diag d;
	size_t i;
	int rc;

	diag_init(&d, &o);
	cli.d = &d;
	cli.o = &o;
	i = cli_row(&cli, "max-polls");
	cli.given[i] = true;
	cli.arg[i] = value;
	rc = cli_convert(&cli, "max-polls");
	*out = o.max_polls;
	diag_release(&d);
	return rc;
}

void
test_cli(void)
{
	int n = 0;

	CHECK(wants_json("-o", "json", NULL));
	CHECK(wants_json("-qojson", NULL, NULL));
	CHECK(wants_json("--output=json", NULL, NULL));
	CHECK(wants_json("--outp", "json", NULL));	/* ambiguous prefix */
	CHECK(!wants_json("-r", "--output", "json"));	/* a value of -r */
	CHECK(!wants_json("--output-file", "json", NULL));
	CHECK(!wants_json("--", "-o", "json"));
	CHECK(!wants_json("-o", "text", NULL));

	CHECK_INT(max_polls("10000", &n), 1);
	CHECK_INT(n, 10000);
	CHECK_INT(max_polls("05", &n), 1);
	CHECK_INT(n, 5);
}
