/*
 * Talking to the aliyun CLI: the environment each command runs in, running
 * one command, and reading what it printed, whichever of aliyun's forms an
 * error took (the plugin "SDKError:" block, "ERROR: SDK.ServerError", the
 * one-line JSON envelopes, a business failure inside an exit-0 body, a
 * plain "ERROR:" line) and whatever noise surrounds it (colour, the
 * plugin-install preamble).  Every string kept from the output is redacted.
 */
#ifndef PAI_DIAG_ALIYUN_H
#define PAI_DIAG_ALIYUN_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "child.h"
#include "defaults.h"
#include "jscan.h"
#include "json.h"
#include "strvec.h"

#define ALIYUN_UA "AlibabaCloud-Agent-Skills/alibabacloud-aes-sysom-pai-diagnosis"
/* The oldest CLI with --user-agent on plugin commands. */
#define ALIYUN_MIN_VERSION "3.3.1"
/* The cap on each captured stream. */
#define ALIYUN_MAX_OUTPUT (64u << 20)

struct aliyun {
	char *path;		/* the executable (owned) */
	double call_timeout;	/* seconds */
	bool auto_install_env;	/* add ALIBABA_CLOUD_CLI_PLUGIN_AUTO_INSTALL */
	struct strvec env;	/* built by aliyun_env() */
	/* The memory gate of a fleet (child.h), and whether this run holds it. */
	pthread_mutex_t *gate;
	bool gate_held;
};

#define ALIYUN_INIT { NULL, DEFAULT_CALL_TIMEOUT, false, STRVEC_INIT }

/* What kind of failure a reply is. */
enum api_kind {
	API_OK,
	API_ACCESS,		/* Forbidden*, NoPermission, 403 */
	API_CREDENTIALS,	/* the key, secret, token or signature refused */
	API_ROLE_MISSING,	/* the SysOM service-linked role is missing */
	API_PROFILE,		/* the profile gate: no valid credentials */
	API_TRANSIENT,		/* throttling, 5xx, network, call timeout */
	API_TASK_IN_PROGRESS,	/* Sysom.TaskInProgress */
	API_NOT_FOUND,		/* NotFound / NotExist / 404 */
	API_USAGE,		/* aliyun did not understand the command */
	API_GARBAGE,		/* exit 0 but no JSON where JSON was due */
	API_OTHER,
};

struct aliyun_reply {
	/*
	 * Set by the caller: members of the document's "data" to locate in
	 * c.out instead of parsing (json_parse_held()), or NULL.
	 */
	const char *const *hold;
	struct child c;		/* raw output and status (owned buffers) */
	cJSON *json;		/* the stdout document, owned, or NULL */
	struct jspan held[JSON_HELD_MAX];	/* in c.out, when hold is set */
	bool ok;
	enum api_kind kind;
	/* Error details, owned and redacted, each NULL when unknown. */
	char *code;
	char *message;
	char *request_id;
	char *auth_action;
	int http_status;	/* 0 when unknown */
	bool from_server;	/* the error came from an API, not from aliyun */
	/*
	 * An API_TRANSIENT that is the service's flow control: Throttling*,
	 * ServiceUnavailable, HTTP 429 or 503, category THROTTLING_ERROR.
	 * retry_after: the seconds the answer asked to wait (its
	 * x-acs-retry-after), 0 when it named none.
	 */
	bool throttled;
	double retry_after;
};

#define ALIYUN_REPLY_INIT { .c = CHILD_INIT }

/*
 * Builds the child environment from environ: DEBUG, LC_ALL, LANG and
 * NO_COLOR dropped, then NO_COLOR=1 and LANG=C added (and the auto-install
 * variable, replacing the user's, when auto_install_env is set).
 */
void aliyun_env(struct aliyun *a);
void aliyun_release(struct aliyun *a);

/*
 * Runs the argv (argv[0] is "aliyun", replaced by the executable's path
 * when spawning) and classifies the reply, which the caller releases.
 * want_json: the command must print a JSON document (business commands).
 * Returns 0 when the reply is ok, else -1.
 */
int aliyun_run(struct aliyun *a, struct aliyun_reply *r, bool want_json,
    char *const *argv);

/*
 * Classifies a finished command from its exit status and output.  Pure, so
 * tests and fuzzers can call it; r->c is not read except timed_out.
 */
void aliyun_classify(struct aliyun_reply *r, int status, const char *out,
    size_t outlen, const char *err, size_t errlen, bool want_json);

void aliyun_reply_release(struct aliyun_reply *r);

/*
 * One line that says what went wrong, for messages: "Forbidden.RAM: User
 * not authorized ... (request id X)", a timeout, a signal, or the last
 * line aliyun printed.  Owned by the caller.
 */
char *aliyun_describe(const struct aliyun_reply *r);

/* The argv of a command as a shell-quoted, redacted line; owned. */
char *aliyun_cmdline(char *const *argv);

/* Shell-quotes one word onto b. */
struct buf;
void shell_quote(struct buf *b, const char *s);

#endif
