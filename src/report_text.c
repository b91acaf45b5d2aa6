/*
 * The text report: a header naming the target and the task, the verdict,
 * the root cause, numbered suggestions and the issues, then where to see
 * the task in the SysOM console.  Issue objects have no documented keys,
 * so the known ones (severity, title, detail) lead and every other key is
 * shown generically, an object's members (metrics) as key=value words.  A
 * timed-out task prints the public skill's template and nothing else.
 *
 * Paragraphs (the root cause, each suggestion, an issue's title, detail
 * and other members, a failure's message) are wrapped to the look's width
 * after their lead, their further lines indented (wrap.h); the header's
 * lines and the console address are not: they are one word each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buf.h"
#include "json.h"
#include "msg.h"
#include "output.h"
#include "redact.h"
#include "report.h"
#include "wrap.h"

#define RED "\033[1;31m"
#define YELLOW "\033[1;33m"
#define GREEN "\033[32m"
#define BOLD "\033[1m"
#define RESET "\033[0m"

static const char *
severity_color(const char *s)
{
	if (s == NULL)
		return "";
	if (strcasecmp(s, "Critical") == 0 || strcasecmp(s, "Error") == 0)
		return RED;
	if (strcasecmp(s, "Warn") == 0 || strcasecmp(s, "Warning") == 0)
		return YELLOW;
	if (strcasecmp(s, "Info") == 0 || strcasecmp(s, "Normal") == 0)
		return GREEN;
	return "";
}

/*
 * A paragraph: where it goes, the width, the columns its first line holds
 * already (the lead), the indent of its other lines.
 */
struct para {
	FILE *f;
	int width, col;
	const char *indent;
};

/*
 * Text from the engine's result, already safe (redact_tree() made the
 * summary so, jprint.h each issue's text): written as is, wrapped.
 */
static void
put_clean_n(const struct para *p, const char *s, size_t n)
{
	wrap_put(p->f, s, n, p->width, p->col, p->indent);
}

static void
put_clean(const struct para *p, const char *s)
{
	put_clean_n(p, s, strlen(s));
}

/* Prints s redacted: wrapping comes after redaction, never before. */
static void
put_text(const struct para *p, const char *s)
{
	char *safe = redact_str(s);

	put_clean(p, safe);
	free(safe);
}

/* Text on one line, never wrapped: a name, a word, an address. */
static void
put_line(FILE *f, const char *s)
{
	struct para p = { f, 0, 0, "" };

	put_text(&p, s);
}

/* A suggestion: strings as text, the rest compact JSON. */
static void
put_value(const struct para *p, const cJSON *v)
{
	char *s;

	if (cJSON_IsString(v)) {
		put_clean(p, v->valuestring);
		return;
	}
	s = cJSON_PrintUnformatted(v);
	if (s) {
		put_clean(p, s);
		cJSON_free(s);
	}
}

/* An issue's value, from its text. */
static void
put_span(const struct para *p, struct jspan v)
{
	struct jtext t;

	jtext_value(&t, v);
	put_clean_n(p, t.s, t.n);
	jtext_release(&t);
}

static void
format_time(char *out, size_t len, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL ||
	    strftime(out, len, "%Y-%m-%d %H:%M:%S %Z", &tm) == 0)
		snprintf(out, len, "%lld", (long long)t);
}

static void
header(FILE *f, const struct report *r)
{
	char from[64], to[64];

	fprintf(f, "Instance:  ");
	put_line(f, r->instance ? r->instance : "(unknown)");
	fprintf(f, "\nProduct:   ");
	put_line(f, r->product ? r->product : "(unknown)");
	fprintf(f, "\nRegion:    ");
	put_line(f, r->region ? r->region : "(unknown)");
	if (r->mode == REPORT_MODE_HISTORICAL && !r->echoed) {
		format_time(from, sizeof(from), (int64_t)r->start_time);
		format_time(to, sizeof(to), (int64_t)r->end_time);
		fprintf(f, "\nMode:      historical, %s to %s", from, to);
	} else if (r->mode != REPORT_MODE_UNKNOWN) {
		fprintf(f, "\nMode:      %s", r->mode == REPORT_MODE_REALTIME ?
		    "real-time" : "historical");
	}
	fprintf(f, "\nTask:      %s%s\n", r->task_id,
	    r->attached ? " (attached to a running task)" : "");
}

/*
 * A text as one key=value word: as it is, or as a JSON string when it is
 * empty or holds what would make the pairs ambiguous (a space, a quote,
 * '=', a backslash, a control character).
 */
static void
add_bare(struct buf *b, const char *s, size_t n)
{
	struct jout o = JOUT_BUF(b, false);
	bool bare = n > 0;

	for (size_t i = 0; i < n && bare; i++)
		bare = !strchr(" \"=\\", s[i]) && (unsigned char)s[i] > 0x20 &&
		    s[i] != 0x7f;
	if (bare)
		buf_add(b, s, n);
	else
		jprint_string(&o, s, n);
}

/*
 * Key=value words in the making: the wrap they go to, the path to the
 * member (key.sub, key.0), and the word, both kept from one to the next.
 */
struct pairs {
	struct wrap w;
	struct buf key, word;
};

/* key=value, a value taken from v's text, or REDACTED when hidden. */
static void
pair(struct pairs *ps, struct jspan v, bool hide)
{
	struct buf *word = &ps->word;
	struct jtext t;

	buf_reset(word);
	add_bare(word, ps->key.data, ps->key.len);
	buf_add(word, "=", 1);
	if (hide) {
		buf_adds(word, REDACTED);
	} else {
		jtext_value(&t, v);
		if (jscan_is_string(v))
			add_bare(word, t.s, t.n);
		else
			buf_add(word, t.s, t.n);
		jtext_release(&t);
	}
	wrap_word(&ps->w, word->data, word->len);
}

/*
 * The members of an object or the elements of an array as key=value
 * words, key the path to them (key.sub, key.0); an empty object or array
 * inside is one word, key={} or key=[].  A secret-named member's value is
 * hidden, as in the JSON report.  Returns the number of words.
 */
static size_t
pairs(struct pairs *ps, struct jspan v)
{
	struct buf *key = &ps->key;
	struct jiter it;
	struct jspan k, val;
	struct jtext t;
	size_t at = key->len, n = 0, i = 0;
	bool hide = false;

	jscan_first(&it, v);
	while (jscan_next(&it, &k, &val)) {
		buf_truncate(key, at);
		if (at > 0)
			buf_add(key, ".", 1);
		if (jscan_is_object(v)) {
			hide = jtext_key(&t, k) && !jscan_is_literal(val);
			buf_add(key, t.s, t.n);
			jtext_release(&t);
		} else
			buf_addf(key, "%zu", i++);
		if (!hide && (jscan_is_object(val) || jscan_is_array(val))) {
			size_t m = pairs(ps, val);

			n += m;
			if (m > 0)
				continue;
		}
		pair(ps, val, hide);
		n++;
	}
	buf_truncate(key, at);
	return n;
}

/* Spaces for an indent of n columns (at most 16). */
static const char *
spaces(int n)
{
	static const char sp[] = "                ";

	return sp + sizeof(sp) - 1 - (n < 0 ? 0 : n > 16 ? 16 : n);
}

/*
 * A member's value after its lead: an object as key=value words, anything
 * else as its text.
 */
static void
member_value(const struct para *p, struct jspan val)
{
	struct pairs ps = { .key = BUF_INIT, .word = BUF_INIT };

	if (!jscan_is_object(val)) {
		put_span(p, val);
		return;
	}
	wrap_begin(&ps.w, p->f, p->width, p->col, p->indent);
	if (pairs(&ps, val) == 0)
		wrap_word(&ps.w, "{}", 2);
	wrap_end(&ps.w);
	buf_release(&ps.key);
	buf_release(&ps.word);
}

/* The members of an issue that are not its known fields, one each. */
static void
other_members(FILE *f, struct jspan issue, int width)
{
	struct jiter it;
	struct jspan key, val;
	struct jtext k;

	jscan_first(&it, issue);
	while (jscan_next(&it, &key, &val)) {
		bool hide = jtext_key(&k, key) && !jscan_is_literal(val);
		struct para p = { f, width, 8 + wrap_cols(k.s, k.n),
		    spaces(8) };

		if (!report_issue_known(k.s, k.n, val)) {
			fputs("      ", f);
			fwrite(k.s, 1, k.n, f);
			fputs(": ", f);
			if (hide)
				fputs(REDACTED, f);
			else
				member_value(&p, val);
			fputc('\n', f);
		}
		jtext_release(&k);
	}
}

static void
issue(FILE *f, struct jspan j_issue, const struct text_look *look)
{
	struct issue_fields fields;
	struct para p = { f, look->width, 4, spaces(4) };
	const char *sev, *title, *detail;
	bool color = look->color;

	if (!jscan_is_object(j_issue)) {
		fputs("  - ", f);
		put_span(&p, j_issue);
		fputc('\n', f);
		return;
	}
	report_issue_fields(&fields, j_issue);
	sev = fields.severity;
	title = fields.title;
	detail = fields.detail;
	fputs("  ", f);
	p.col = 2;
	if (sev) {
		fprintf(f, "%s[%s]%s ", color ? severity_color(sev) : "", sev,
		    color && *severity_color(sev) ? RESET : "");
		p.col += wrap_cols(sev, strlen(sev)) + 3;
	}
	put_clean(&p, title ? title : "(untitled)");
	fputc('\n', f);
	if (detail) {
		p.col = 6;
		p.indent = spaces(6);
		fputs(p.indent, f);
		put_clean(&p, detail);
		fputc('\n', f);
	}
	report_issue_fields_release(&fields);
	other_members(f, j_issue, look->width);
}

/* The numbered suggestions, each a paragraph after its number. */
static void
suggestions(FILE *f, const struct report *r, int width)
{
	const cJSON *j_item;
	struct para p = { f, width, 0, "" };
	int n = 0;

	if (cJSON_GetArraySize(r->suggestions) <= 0)
		return;
	fprintf(f, "\nSuggestions:\n");
	cJSON_ArrayForEach(j_item, r->suggestions) {
		p.col = fprintf(f, "  %d. ", ++n);
		p.indent = spaces(p.col);
		put_value(&p, j_item);
		fputc('\n', f);
	}
}

int
report_text(FILE *f, const struct report *r, const struct text_look *look)
{
	const char *overall, *cause;
	struct para p = { f, look->width, 2, spaces(2) };
	bool color = look->color;

	if (r->outcome == OUTCOME_TIMEOUT) {
		/* The public skill's template, exactly. */
		fprintf(f, "\xe2\x8f\xb3 SysOM diagnosis task timed out\n"
		    "- Task ID: %s\n- Current status: %s\n"
		    "- Suggestion: Please continue waiting for the diagnosis to "
		    "complete.\n", r->task_id, r->status ? r->status : "unknown");
		goto out;
	}
	if (r->outcome == OUTCOME_DIAGNOSIS_FAILED && r->task_failed) {
		header(f, r);
		p.col = fprintf(f, "\nDiagnosis failed: ") - 1;
		put_text(&p, report_failure_message(r));
		fputc('\n', f);
		goto out;
	}
	if (!r->has_result)
		goto out;

	header(f, r);
	overall = r->overall_status;
	fprintf(f, "\nOverall status: %s", color ? severity_color(overall) : "");
	fputs(overall ? overall : "(not given)", f);
	fprintf(f, "%s\n", color && *severity_color(overall) ? RESET : "");

	cause = r->root_cause;
	fprintf(f, "\nRoot cause:\n  ");
	put_clean(&p, cause ? cause : "(not given)");
	fputc('\n', f);
	suggestions(f, r, look->width);

	if (r->n_issues > 0) {
		struct report_issues is;
		struct jspan v;

		fprintf(f, "\nIssues (%zu):\n", r->n_issues);
		report_issues_first(&is, r);
		while (report_issues_next(&is, &v)) {
			issue(f, v, look);
			out_safe_point(f);
		}
	}

	if (r->url) {
		fprintf(f, "\nSysOM console: ");
		put_line(f, r->url);
		fputc('\n', f);
	}
	if (r->baseline)
		report_baseline_text(f, r->baseline, false);
out:
	return ferror(f) ? -1 : 0;
}
