/*
 * The numbers that are policy, each stated once: the defaults and ranges of
 * the options, the paging of the EAS service list, the retry and time caps
 * of the workflow, the fleet's parallelism.  --help, the option table, the
 * workflow and the dry-run plan all take them from here, so they cannot
 * disagree.  Values --help prints are plain integer literals, so that
 * DEFAULTS_STR() can spell them inside a string literal.
 */
#ifndef PAI_DIAG_DEFAULTS_H
#define PAI_DIAG_DEFAULTS_H

/* A number as a string literal: DEFAULTS_STR(DEFAULT_MAX_POLLS) is "60". */
#define DEFAULTS_STR(x) DEFAULTS_STR_(x)
#define DEFAULTS_STR_(x) #x

/* --poll-interval: seconds between the starts of two result polls. */
#define DEFAULT_POLL_INTERVAL 10
#define MIN_POLL_INTERVAL 0
#define MAX_POLL_INTERVAL 3600

/* --max-polls: the most get-diagnosis-result calls. */
#define DEFAULT_MAX_POLLS 60
#define MIN_MAX_POLLS 1
#define MAX_MAX_POLLS 10000

/* --call-timeout: the wall-clock cap on each aliyun process, in seconds. */
#define DEFAULT_CALL_TIMEOUT 300
#define MIN_CALL_TIMEOUT 1
#define MAX_CALL_TIMEOUT 3600

/*
 * --max-rate: business calls a second to SysOM, EAS and PAI-DLC together,
 * the whole run (0: no budget).
 */
#define DEFAULT_MAX_RATE 10
#define MAX_MAX_RATE 1000

/* --jobs: targets diagnosed at the same time in fleet mode. */
#define DEFAULT_JOBS 8
#define FLEET_MAX_JOBS 64

/* How far in the future --end may lie (clock skew), in seconds. */
#define END_TIME_SLACK 60

/* eas list-services: the page size asked for, and the most pages read. */
#define EAS_PAGE_SIZE 100
#define MAX_EAS_PAGES 50

/* Step 11 (ai-mode disable and restoring the user agent): its own cap. */
#define DISABLE_TIMEOUT 10.0

/* Invokes refused as busy before giving up; failed polls in a row. */
#define MAX_INVOKES 3
#define MAX_FAILED_POLLS 3

/* Allocations from this size up are mapped, and unmapped when freed. */
#define MMAP_THRESHOLD (256 << 10)

#endif
