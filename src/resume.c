/*
 * The resume commands; see resume.h.  Single runs and fleets print the
 * same shapes, so all of them are built here.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "aliyun.h"
#include "buf.h"
#include "xalloc.h"
#include "resume.h"

/* " --NAME VALUE", the value shell-quoted. */
static void
flag(struct buf *b, const char *name, const char *value)
{
	buf_addf(b, " --%s ", name);
	shell_quote(b, value);
}

/* The options every resume command carries: whose account, which aliyun. */
static void
account(struct buf *b, const struct options *o)
{
	if (o->profile)
		flag(b, "profile", o->profile);
	if (o->aliyun_from_flag)
		flag(b, "aliyun", o->aliyun);
}

/*
 * What a diagnosis not yet started was asked for: the window as it was
 * (absolute, so a later run diagnoses the same span), the description and
 * the uid.
 */
static void
asked(struct buf *b, const struct options *o)
{
	char t[32];

	if (o->historical) {
		snprintf(t, sizeof(t), "%" PRId64, o->start_time);
		flag(b, "start", t);
		snprintf(t, sizeof(t), "%" PRId64, o->end_time);
		flag(b, "end", t);
	}
	if (o->description)
		flag(b, "description", o->description);
	if (o->uid)
		flag(b, "uid", o->uid);
}

/* "--product P" when the id alone would not tell it. */
static bool
needs_product(const char *id, enum product p)
{
	return p != PRODUCT_NONE && infer_product(id) != p;
}

char *
resume_command(const struct options *o, const char *region,
    const char *const *task_ids, size_t n)
{
	struct buf b = BUF_INIT;

	if (n == 0)
		return NULL;
	buf_adds(&b, "pai-diag");
	flag(&b, "region", region);
	for (size_t i = 0; i < n; i++)
		flag(&b, "task-id", task_ids[i]);
	account(&b, o);
	return buf_detach(&b, NULL);
}

char *
resume_instance(const struct options *o)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "pai-diag");
	flag(&b, "region", o->region);
	flag(&b, "instance", o->instance);
	if (needs_product(o->instance, o->product))
		flag(&b, "product", product_name(o->product));
	asked(&b, o);
	account(&b, o);
	return buf_detach(&b, NULL);
}

/* " --task-id T@R" or " -i ID@R". */
static void
target(struct buf *b, const struct resume_target *t)
{
	char *word = xasprintf("%s@%s", t->instance ? t->instance :
	    t->task_id, t->region);

	buf_adds(b, t->instance ? " -i " : " --task-id ");
	shell_quote(b, word);
	free(word);
}

/*
 * One command for the targets whose product is p (PRODUCT_NONE: tasks and
 * instances whose id tells it); nothing when there is none.
 */
static void
command(struct buf *b, const struct options *o, const struct resume_target *t,
    size_t n, enum product p)
{
	bool any = false, instances = false;

	for (size_t i = 0; i < n; i++) {
		enum product want = t[i].instance && needs_product(t[i].instance,
		    t[i].product) ? t[i].product : PRODUCT_NONE;

		if (want != p)
			continue;
		if (!any)
			buf_adds(b, b->len ? " ; pai-diag" : "pai-diag");
		any = true;
		instances |= t[i].instance != NULL;
		target(b, &t[i]);
	}
	if (!any)
		return;
	if (p != PRODUCT_NONE)
		flag(b, "product", product_name(p));
	if (instances)
		asked(b, o);
	account(b, o);
}

char *
resume_fleet(const struct options *o, const struct resume_target *t,
    size_t n)
{
	struct buf b = BUF_INIT;

	if (n == 0)
		return NULL;
	command(&b, o, t, n, PRODUCT_NONE);
	command(&b, o, t, n, PRODUCT_EAS);
	command(&b, o, t, n, PRODUCT_DLC);
	return buf_detach(&b, NULL);
}
