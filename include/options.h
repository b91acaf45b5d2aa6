/*
 * The run's settings, as main() read and checked them from the command
 * line and the environment.  Everything else reads them; only main()
 * writes them.
 */
#ifndef PAI_DIAG_OPTIONS_H
#define PAI_DIAG_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "params.h"

enum format { FORMAT_TEXT, FORMAT_JSON, FORMAT_MARKDOWN };
enum fail_on { FAIL_ON_NEVER, FAIL_ON_WARN, FAIL_ON_CRITICAL };

struct options {
	const char *region;
	const char *instance;
	enum product product;
	bool realtime;
	bool historical;	/* a window was asked for and is in effect */
	int64_t start_time, end_time;
	const char *uid;
	char *ocd_description;	/* owned; NULL when none */
	const char *task_id;

	double poll_interval;
	int max_polls;
	double call_timeout;

	enum format format;
	enum fail_on fail_on;
	bool color;		/* colour on stdout, decided from --color */
	bool no_setup;
	bool update_plugins;	/* --update-plugins */
	bool dry_run;
	bool doctor;		/* `pai-diag doctor` */
	const char *output_file;
	char *output_path;	/* owned: where a link named by it leads */
	bool output_in_place;	/* a device or a FIFO: written, not renamed */
	const char *profile;
	const char *aliyun;	/* --aliyun or PAI_DIAG_ALIYUN, as given */
	bool aliyun_from_flag;	/* it came from --aliyun */
	bool quiet;
};

#endif
