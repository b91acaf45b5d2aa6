/*
 * The run's settings: struct options, as the command line (cli.c, over
 * main.c's option table) and the environment set them.  Everything else
 * reads them; only main() and cli.c write them.  Each option of the table
 * names the field it sets here.
 */
#ifndef PAI_DIAG_OPTIONS_H
#define PAI_DIAG_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "params.h"

enum format { FORMAT_TEXT, FORMAT_JSON, FORMAT_MARKDOWN, FORMAT_JUNIT };
enum fail_on { FAIL_ON_NEVER, FAIL_ON_WARN, FAIL_ON_CRITICAL, FAIL_ON_NEW };
/* --progress and --color as given; the words of the table, in order. */
enum progress_choice { PROGRESS_CHOICE_AUTO, PROGRESS_CHOICE_PLAIN,
	PROGRESS_CHOICE_NDJSON, PROGRESS_CHOICE_NONE };
enum color_choice { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

struct options {
	/* The one --region, or NULL when none or several were given. */
	const char *region;
	/* Every --region, in order, without repeats (owned array). */
	const char **regions;
	size_t nregions;
	const char *discover;	/* --discover: "eas", or NULL */
	const char *discover_status;	/* --discover-status as given */
	const char *instance;
	enum product product;
	bool realtime;
	bool historical;	/* a window was asked for and is in effect */
	int64_t start_time, end_time;
	int64_t since;		/* --since, in seconds */
	const char *uid;
	const char *description;	/* --description as given */
	char *ocd_description;	/* owned; NULL when none */
	const char *task_id;
	const char *instances_file;
	int jobs;		/* fleet mode: targets at the same time */

	double poll_interval;
	int max_polls;
	double call_timeout;
	int max_rate;		/* calls a second, the whole run; 0: no cap */
	int64_t max_wait;	/* seconds a target may take; 0: no limit */

	enum format format;
	enum fail_on fail_on;
	enum progress_choice progress;
	enum color_choice color_when;
	bool color;		/* colour on stdout, decided from --color */
	int width;		/* stdout's terminal width; 0: not a terminal */
	bool no_setup;
	bool update_plugins;	/* --update-plugins */
	bool dry_run;
	bool doctor;		/* `pai-diag doctor` */
	bool history;		/* `pai-diag history` */
	bool mcp;		/* `pai-diag mcp`: the MCP server on stdio */
	bool diff;		/* `pai-diag diff A B`: */
	const char *diff_a, *diff_b;
	bool no_history;	/* --no-history: keep no run in the history */
	const char *baseline;	/* --baseline: "last" or a task id */
	const char *output_file;
	char *output_path;	/* owned: where a link named by it leads */
	bool output_in_place;	/* a device or a FIFO: written, not renamed */
	const char *metrics_file;	/* --metrics-file: Prometheus textfile */
	char *metrics_path;	/* owned: where a link named by it leads */
	const char *profile;
	const char *aliyun;	/* --aliyun or PAI_DIAG_ALIYUN, as given */
	bool aliyun_from_flag;	/* it came from --aliyun */
	bool quiet, verbose;
};

#endif
