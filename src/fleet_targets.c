/*
 * A fleet's targets (see fleet.h): those given, each checked and placed in
 * its region, merged when given twice; the lines of --instances-file; the
 * services --discover lists.  fleet.c runs them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
#include "fdio.h"
#include "fleet.h"
#include "msg.h"
#include "params.h"

/*
 * A new target named key ("i ID@REGION" or "t TASK"), or NULL when one of
 * that name was added before: then a warning says so, and how each came.
 */
static struct fleet_target *
add(struct fleet *f, char *key, const char *name, bool discovered)
{
	/* What an entry's data says: how its target came. */
	static char given_tag, discovered_tag;
	ENTRY e = { .key = key, .data = discovered ? &discovered_tag :
	    &given_tag }, *found;
	struct fleet_target *t;

	if (hsearch_r(e, FIND, &found, &f->seen) != 0) {
		bool first = found->data == &discovered_tag;

		warning("%s is %s; it is diagnosed once", name, !discovered ?
		    "given twice" : first ? "listed twice" :
		    "given and discovered");
		free(key);
		return NULL;
	}
	strvec_push(&f->keys, key);
	free(key);
	e.key = f->keys.v[f->keys.n - 1];
	if (hsearch_r(e, ENTER, &found, &f->seen) == 0)
		die("out of memory");
	if (f->n == f->alloc) {
		f->alloc = f->alloc ? f->alloc * 2 : 8;
		f->t = xreallocarray(f->t, f->alloc, sizeof(*f->t));
	}
	t = &f->t[f->n++];
	memset(t, 0, sizeof(*t));
	return t;
}

/*
 * The region of a target: its own (from ID@REGION or beside it), else the
 * run's one --region.  Sets *id and *region (owned); 0, or -1 with err.
 */
static int
target_region(const struct fleet *f, const char *spec, const char *region,
    char **id, char **own, char *err, size_t errlen)
{
	if (split_target(spec, id, own, err, errlen) < 0 ||
	    (region && check_region(region, err, errlen) < 0))
		return -1;
	if (*own && region && strcmp(*own, region) != 0) {
		snprintf(err, errlen, "'%s' names two regions, %s and %s", spec,
		    *own, region);
		return -1;
	}
	if (*own == NULL && (region || f->base->region))
		*own = xstrdup(region ? region : f->base->region);
	if (*own == NULL) {
		snprintf(err, errlen, "'%s' has no region: %s", *id,
		    f->base->nregions > 1 ? "--region is given several times, "
		    "so write it as ID@REGION" : "give --region or write it as "
		    "ID@REGION");
		return -1;
	}
	return 0;
}

/* The product of instance id: prod, else --product, else its prefix. */
static int
product_of(const struct fleet *f, const char *id, const char *prod,
    enum product *p, char *err, size_t errlen)
{
	*p = prod ? parse_product(prod) : f->base->product;
	if (prod && *p == PRODUCT_NONE) {
		snprintf(err, errlen, "product must be EAS, DLC or -, not "
		    "'%.64s'", prod);
		return -1;
	}
	if (*p == PRODUCT_NONE && (*p = infer_product(id)) == PRODUCT_NONE) {
		snprintf(err, errlen, "cannot tell the product of '%s' from its "
		    "prefix; give EAS or DLC after it", id);
		return -1;
	}
	return 0;
}

/*
 * Adds an instance or (task) a task named by spec; see fleet.h.  A task
 * is one whatever the region it is named with, so only its id is its key.
 */
static int
add_target(struct fleet *f, bool task, const char *spec, const char *prod,
    const char *region, bool discovered, char *err, size_t errlen)
{
	struct fleet_target *t;
	char *id = NULL, *own = NULL, *name;
	enum product p = PRODUCT_NONE;
	int rc = -1;

	if (f->n >= FLEET_MAX_TARGETS) {
		snprintf(err, errlen, "more than %d targets", FLEET_MAX_TARGETS);
		return -1;
	}
	if (target_region(f, spec, region, &id, &own, err, errlen) < 0)
		goto out;
	if (task ? check_task_id(id, err, errlen) < 0 :
	    check_instance_id(id, err, errlen) < 0 ||
	    product_of(f, id, prod, &p, err, errlen) < 0)
		goto out;
	rc = 0;
	name = task ? xasprintf("task %s", id) : xasprintf("%s in %s", id, own);
	t = add(f, task ? xasprintf("t %s", id) : xasprintf("i %s@%s", id, own),
	    name, discovered);
	free(name);
	if (t) {
		*(task ? &t->task_id : &t->instance) = id;
		t->region = own;
		t->product = p;
		id = own = NULL;
	}
out:
	free(id);
	free(own);
	return rc;
}

int
fleet_add_instance(struct fleet *f, const char *spec, const char *prod,
    const char *region, bool discovered, char *err, size_t errlen)
{
	return add_target(f, false, spec, prod, region, discovered, err,
	    errlen);
}

int
fleet_add_task(struct fleet *f, const char *spec, char *err, size_t errlen)
{
	return add_target(f, true, spec, NULL, NULL, false, err, errlen);
}

int
fleet_read_file(struct fleet *f, const char *path, char *err, size_t errlen)
{
	struct fdio_reader *r = NULL;
	struct buf line = BUF_INIT;
	struct stat st;
	char why[256];
	int fd, lineno = 0, rc = 0, got;

	fd = strcmp(path, "-") == 0 ? STDIN_FILENO : fdio_open_read(path, &st);
	if (fd < 0) {
		snprintf(err, errlen, "cannot read '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	r = xmalloc(sizeof(*r));
	fdio_reader_init(r, fd);
	while (rc == 0 && (got = fdio_getline(r, &line, FLEET_MAX_LINE,
	    FLEET_MAX_FILE)) > 0) {
		char *p = line.data, *id, *prod, *region, *rest;

		lineno++;
		if (memchr(line.data, '\0', line.len)) {
			snprintf(err, errlen, "%s line %d: a NUL byte", path,
			    lineno);
			rc = -1;
			break;
		}
		if ((rest = strchr(p, '#')) != NULL)
			*rest = '\0';
		id = strtok_r(p, " \t\r", &rest);
		if (id == NULL)
			continue;
		prod = strtok_r(NULL, " \t\r", &rest);
		region = strtok_r(NULL, " \t\r", &rest);
		if (prod && strcmp(prod, "-") == 0)
			prod = NULL;
		if (strtok_r(NULL, " \t\r", &rest) != NULL) {
			snprintf(err, errlen, "%s line %d: expected 'ID [PRODUCT|-] "
			    "[REGION]'", path, lineno);
			rc = -1;
		} else if (fleet_add_instance(f, id, prod, region, false, why,
		    sizeof(why)) < 0) {
			snprintf(err, errlen, "%s line %d: %s", path, lineno, why);
			rc = -1;
		}
	}
	if (rc == 0 && got < 0) {
		if (errno == E2BIG && r->total > FLEET_MAX_FILE)
			snprintf(err, errlen, "%s: more than %d MiB (at line %d)",
			    path, FLEET_MAX_FILE >> 20, lineno + 1);
		else if (errno == E2BIG)
			snprintf(err, errlen, "%s line %d: longer than %d bytes",
			    path, lineno + 1, FLEET_MAX_LINE);
		else if (errno == EINTR)
			snprintf(err, errlen, "%s: reading was interrupted", path);
		else
			snprintf(err, errlen, "cannot read '%s': %s", path,
			    strerror(errno));
		rc = -1;
	}
	buf_release(&line);
	free(r);
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
}

/* Whether status is one of the comma-separated words of list, any case. */
static bool
status_wanted(const char *list, const char *status)
{
	size_t n = strlen(status);

	if (list == NULL)
		return true;
	for (const char *p = list; *p; ) {
		size_t k = strcspn(p, ",");

		if (k == n && strncasecmp(p, status, n) == 0)
			return true;
		p += k + (p[k] == ',');
	}
	return false;
}

/* Adds the services of one region that the --discover-status wants. */
static void
add_found(struct fleet *f, const char *region, struct strvec *found)
{
	char err[512];

	for (size_t k = 0; k < found->n; k++) {
		/* The last tab: an id holding one is then no valid id. */
		char *id = found->v[k], *status = strrchr(id, '\t');

		if (status == NULL)
			continue;
		*status++ = '\0';
		if (!status_wanted(f->base->discover_status, status))
			continue;
		if (f->n >= FLEET_MAX_TARGETS) {
			warning("more than %d targets: the other services of %s "
			    "are left out", FLEET_MAX_TARGETS, region);
			return;
		}
		if (fleet_add_instance(f, id, "EAS", region, true, err,
		    sizeof(err)) < 0)
			warning("a service of %s is left out: %s", region, err);
	}
}

int
fleet_discover(struct fleet *f)
{
	const struct options *b = f->base;
	size_t before = f->n;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < b->nregions; i++) {
		struct options o = *b;
		struct strvec found = STRVEC_INIT;
		struct diag d;

		o.region = b->regions[i];
		o.instance = o.task_id = NULL;
		diag_init(&d, &o);
		msg_warnings = &f->setup.warnings;
		rc = diag_discover(&d, &f->setup, &found);
		msg_warnings = &f->setup.warnings;
		if (rc < 0)
			diag_copy_error(&f->setup, &d);
		else
			add_found(f, o.region, &found);
		strvec_clear(&found);
		diag_release(&d);
	}
	if (rc == 0 && f->n == before)
		warning("--discover found no EAS service%s%s in %s%s",
		    b->discover_status ? " whose Status is " : "",
		    b->discover_status ? b->discover_status : "", b->regions[0],
		    b->nregions > 1 ? " or the other regions" : "");
	return rc;
}
