/*
 * The --dry-run plan: the commands a run would start, in order, read from
 * the rows of the step table that this run's options select.
 */
#include <stdlib.h>

#include "msg.h"
#include "steps.h"
#include "workflow.h"

/* Adds one planned command, its placeholders filled where known. */
static void
plan_add(const struct diag *d, struct diag_plan *p, enum cmd_id id,
    const char *note)
{
	const struct options *o = d->opt;
	struct cmd_values v = {
		.region = o->region, .instance = o->instance,
		.params = d->params, .task_id = o->task_id ? o->task_id :
		    "TASK_ID", .page = "N", .profile = o->profile,
	};

	if (p->n == sizeof(p->cmds) / sizeof(*p->cmds))
		die("plan too long");
	command_argv(id, &v, &p->cmds[p->n].argv);
	p->cmds[p->n].note = note;
	p->n++;
}

void
diag_plan(struct diag *d, struct diag_plan *p)
{
	build_params(d);
	for (size_t i = 0; i < diag_nsteps; i++) {
		const struct step *s = &diag_steps[i];

		if (!step_wanted(d, s) || (s->skip && s->skip(d)))
			continue;
		for (size_t k = 0; k < sizeof(s->plan) / sizeof(*s->plan) &&
		    s->plan[k].cmd != CMD_NONE; k++)
			plan_add(d, p, s->plan[k].cmd, s->plan[k].note);
	}
}

void
diag_plan_release(struct diag_plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		strvec_clear(&p->cmds[i].argv);
	p->n = 0;
}
