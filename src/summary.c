/* summary.c - the end-of-run summary line (see summary.h). */
#include "summary.h"

#include "buf.h"
#include "msg.h"

/* The counters of any run, as the line names them. */
struct tally {
	size_t written, updated, present, failed;
	size_t responses, previews, drafts, edited, filtered; /* skipped, by reason */
	size_t feeds, not_modified;
};

static void count(struct buf *b, size_t n, const char *what, bool *first)
{
	if (!n)
		return;
	buf_addf(b, "%s%zu %s", *first ? "" : ", ", n, what);
	*first = false;
}

static void print(const char *cmd, const struct tally *t, bool dry_run)
{
	struct buf b = BUF_INIT(512);
	size_t skipped = t->responses + t->previews + t->drafts + t->edited + t->filtered;
	bool first = true;

	if (t->feeds)
		buf_addf(&b, "%zu feed(s)%s", t->feeds, t->not_modified ? "" : ": ");
	if (t->feeds && t->not_modified)
		buf_addf(&b, " (%zu not modified): ", t->not_modified);
	if (!t->written && !t->updated && !t->failed) {
		buf_addf(&b, "nothing new");
		if (t->present)
			buf_addf(&b, " (%zu already present)", t->present);
		first = false;
	} else {
		count(&b, t->written, dry_run ? "would be written" : "written", &first);
		count(&b, t->updated, dry_run ? "would be updated" : "updated", &first);
		count(&b, t->present, "already present", &first);
	}
	if (skipped) {
		bool in = true;

		buf_addf(&b, "%s%zu skipped (", first ? "" : ", ", skipped);
		count(&b, t->responses, "response(s)", &in);
		count(&b, t->previews, "member-only preview(s)", &in);
		count(&b, t->drafts, "draft(s)", &in);
		count(&b, t->edited, "changed in the site, left alone", &in);
		count(&b, t->filtered, "outside --since/--limit", &in);
		buf_addf(&b, ")");
		first = false;
	}
	count(&b, t->failed, "failed", &first);
	if (!b.failed)
		msg_progress_final("%s: %s", cmd, b.data);
	buf_release(&b);
}

void summary_import(const char *cmd, const struct import_stats *s, bool dry_run)
{
	struct tally t = { 0 };

	t.written = s->written;
	t.updated = s->updated;
	t.present = s->present;
	t.failed = s->failed + s->sources_failed + s->sources_cut;
	t.edited = s->edited;
	t.filtered = s->filtered;
	t.responses = s->responses;
	t.previews = s->previews;
	t.drafts = s->drafts_skipped;
	print(cmd, &t, dry_run);
}

void summary_sync(const struct sync_stats *s, bool dry_run)
{
	struct tally t = { 0 };

	t.feeds = s->feeds;
	t.not_modified = s->not_modified;
	t.written = s->written;
	t.updated = s->updated;
	t.present = s->present;
	t.failed = s->failed + s->item_errors;
	t.responses = s->responses;
	t.edited = s->edited;
	print("sync", &t, dry_run);
}
