/*
 * The command line as the real CLI's parser sees it: words are commands,
 * "--name value" and "--name=value" are flags, and a token that starts with
 * "-" is always a flag, never a value (the reason pai-diag passes no value
 * that starts with a dash).  Flags may appear anywhere, before or after the
 * command words; a repeated flag keeps its last value.
 */
#include <stdlib.h>
#include <string.h>

#include "sim.h"

static int
is_flag(const char *t)
{
	return t[0] == '-' && t[1] != '\0';
}

void
args_parse(struct args *a, int argc, char **argv)
{
	const char *eq;
	struct arg_flag *f;
	int i;

	a->pos = xcalloc((size_t)argc + 1, sizeof(*a->pos));
	a->flags = xcalloc((size_t)argc + 1, sizeof(*a->flags));
	a->npos = a->nflags = 0;
	for (i = 0; i < argc; i++) {
		if (!is_flag(argv[i])) {
			a->pos[a->npos++] = argv[i];
			continue;
		}
		f = &a->flags[a->nflags++];
		eq = strchr(argv[i], '=');
		if (eq != NULL) {
			f->name = xstrndup(argv[i], (size_t)(eq - argv[i]));
			f->value = eq + 1;
		} else {
			f->name = xstrdup(argv[i]);
			f->value = NULL;
			if (i + 1 < argc && !is_flag(argv[i + 1]))
				f->value = argv[++i];
		}
	}
}

void
args_release(struct args *a)
{
	size_t i;

	for (i = 0; i < a->nflags; i++)
		free(a->flags[i].name);
	free(a->flags);
	free(a->pos);
	a->flags = NULL;
	a->pos = NULL;
	a->npos = a->nflags = 0;
}

/*
 * The value of flag name ("--region"), or NULL when it is absent or has no
 * value; *present, when not NULL, tells the two apart.
 */
const char *
args_get(const struct args *a, const char *name, int *present)
{
	const char *v = NULL;
	size_t i;
	int seen = 0;

	for (i = 0; i < a->nflags; i++) {
		if (strcmp(a->flags[i].name, name) == 0) {
			seen = 1;
			v = a->flags[i].value;
		}
	}
	if (present != NULL)
		*present = seen;
	return v;
}

static int
listed(const char *name, const char *const *list)
{
	size_t i;

	for (i = 0; list != NULL && list[i] != NULL; i++)
		if (strcmp(list[i], name) == 0)
			return 1;
	return 0;
}

/* The first flag that is in neither list, or NULL when all are known. */
const char *
args_check(const struct args *a, const char *const *l1, const char *const *l2)
{
	size_t i;

	for (i = 0; i < a->nflags; i++)
		if (!listed(a->flags[i].name, l1) &&
		    !listed(a->flags[i].name, l2))
			return a->flags[i].name;
	return NULL;
}
