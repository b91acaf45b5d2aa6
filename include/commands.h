/*
 * Every aliyun command pai-diag runs, as data: one table in commands.c
 * holds each argv with its placeholders, so the workflow, the dry-run plan
 * and the docs speak of the same commands.
 */
#ifndef PAI_DIAG_COMMANDS_H
#define PAI_DIAG_COMMANDS_H

#include <stdbool.h>

#include "defaults.h"
#include "strvec.h"

enum cmd_id {
	CMD_NONE,		/* no command: the end of a step's plan */
	CMD_AI_MODE_SHOW,
	CMD_AI_MODE_ENABLE,
	CMD_SET_USER_AGENT,
	CMD_PLUGIN_UPDATE,
	CMD_VERSION,
	CMD_AUTO_PLUGIN_INSTALL,
	CMD_CONFIGURE_LIST,
	CMD_INITIAL_SYSOM,
	CMD_LIST_SERVICES,
	CMD_LIST_SERVICES_PAGE,
	CMD_GET_JOB,
	CMD_INVOKE,
	CMD_GET_RESULT,
	CMD_RESTORE_USER_AGENT,
	CMD_RESET_USER_AGENT,
	CMD_AI_MODE_DISABLE,
};

/* The values placeholders stand for; NULL ones are never needed. */
struct cmd_values {
	const char *region, *instance, *params, *task_id, *page, *profile;
	const char *user_agent;	/* the user's own, put back */
};

/*
 * Appends "aliyun" and the command's arguments to argv, placeholders
 * replaced, and --profile NAME when the command takes one and a profile
 * was given.
 */
void command_argv(enum cmd_id id, const struct cmd_values *v,
    struct strvec *argv);

/* "eas list-services", "configure ai-mode enable": for messages. */
const char *command_name(enum cmd_id id);

/* Whether the command is a business command (JSON on stdout). */
bool command_is_business(enum cmd_id id);

#endif
