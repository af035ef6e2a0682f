/* import.c - the import pipeline (see import.h). */
#include "import.h"
#include "caps.h"
#include "date.h"
#include "fetch.h"
#include "images.h"
#include "json.h"
#include "msg.h"
#include "site.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void import_opts_default(struct import_opts *o)
{
	memset(o, 0, sizeof *o);
	o->output = "_posts";
	o->timeout = CAP_TIMEOUT_DEFAULT;
	o->connect_timeout = CAP_CONNECT_TIMEOUT_DEFAULT;
	o->max_size = CAP_FEED_SIZE_DEFAULT;
	o->post.layout = "post-external";
}

static bool is_url(const char *s)
{
	return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0 ||
	       strncmp(s, "file://", 7) == 0;
}

/* A failed buf_read_*: the cap, memory (the buffer could not grow), or
 * the file (errno). */
static int read_error(const struct buf *body, struct m2j_err *err)
{
	if (body->too_big)
		return m2j_err_set(err, M2J_ELIMIT, "feed larger than --max-size");
	if (body->failed)
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	return m2j_err_set(err, M2J_EIO, "%s", strerror(errno));
}

void import_src_release(struct import_src *m)
{
	free(m->charset);
	free(m->url);
	free(m->last_modified);
	memset(m, 0, sizeof *m);
}

int import_load(const char *source, const struct import_opts *o, struct buf *body,
                struct import_src *meta, struct m2j_err *err)
{
	struct fetch_opts fo;
	struct fetch_result r;
	struct buf url = BUF_INIT(0);
	int rc;

	memset(meta, 0, sizeof *meta);
	body->max = o->max_size;
	if (strcmp(source, "-") == 0) {
		if (buf_read_fd(body, STDIN_FILENO) != 0)
			return read_error(body, err);
		return 0;
	}
	if (source[0] == '@') {
		if (!source[1] || strspn(source + 1, "abcdefghijklmnopqrstuvwxyz"
		                          "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != strlen(source + 1))
			return m2j_err_set(err, M2J_EUSAGE, "not a Medium user name");
		buf_addf(&url, "https://medium.com/feed/%s", source);
	} else if (is_url(source)) {
		buf_addstr(&url, source);
	} else if (strstr(source, "://")) {
		return m2j_err_set(err, M2J_EUSAGE, "unsupported URL scheme (http, https and file only)");
	} else {
		if (buf_read_file(body, source) != 0)
			return read_error(body, err);
		return 0;
	}
	if (url.failed) {
		buf_release(&url);
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	}
	memset(&fo, 0, sizeof fo);
	fo.timeout = o->timeout;
	fo.connect_timeout = o->connect_timeout;
	fo.max_size = o->max_size;
	fo.user_agent = o->user_agent;
	fetch_result_init(&r);
	rc = fetch_url(url.data, &fo, &r, err);
	if (rc == 0) {
		buf_release(body);
		*body = r.body;
		buf_init(&r.body, 0);
		meta->charset = r.charset;
		r.charset = NULL;
		meta->last_modified = r.last_modified;
		r.last_modified = NULL;
		if (r.effective_url) {
			meta->url = r.effective_url;
			r.effective_url = NULL;
		} else {
			meta->url = buf_detach(&url, NULL);
		}
	}
	buf_release(&url);
	fetch_result_release(&r);
	return rc;
}

void import_stats_add(struct import_stats *s, const struct pipe_stats *p)
{
	size_t i;

	for (i = 0; i < ITEM__COUNT; i++)
		s->items.n[i] += p->n[i];
	s->written += p->n[ITEM_WRITTEN];
	s->updated += p->n[ITEM_UPDATED];
	s->present += p->n[ITEM_PRESENT];
	s->responses += p->n[ITEM_RESPONSE];
	s->previews += p->n[ITEM_PREVIEW];
	s->filtered += p->n[ITEM_FILTERED];
	s->edited += p->n[ITEM_EDITED] + p->n[ITEM_UNVERIFIED];
	s->failed += p->n[ITEM_FAILED] + p->n[ITEM_NOSPACE];
}

int import_images_open(struct import_opts *o, struct m2j_err *err)
{
	struct images_opts io;

	o->images = NULL;
	if (!o->images_dir)
		return 0;
	memset(&io, 0, sizeof io);
	io.dir = o->images_dir;
	io.url_prefix = o->images_url;
	io.timeout = o->timeout;
	io.connect_timeout = o->connect_timeout;
	io.budget = o->image_budget;
	io.user_agent = o->user_agent;
	io.dry_run = o->dry_run;
	return images_new(&io, &o->images, err);
}

static void json_source(struct buf *j, const char *src, const char *error,
                        const struct import_stats *before, const struct import_stats *after)
{
	buf_addstr(j, j->len > 1 ? ",\n{\"source\":" : "\n{\"source\":");
	json_str(j, src);
	buf_addf(j, ",\"status\":\"%s\",\"written\":%zu,\"present\":%zu,\"skipped\":%zu,"
	         "\"failed\":%zu,\"error\":", error ? "failed" : after->failed > before->failed ?
	         "partial" : "ok", after->written - before->written, after->present - before->present,
	         (after->responses - before->responses) + (after->previews - before->previews),
	         after->failed - before->failed);
	json_str(j, error);
	buf_addch(j, '}');
}

/* The sibling `_drafts` of the output folder (its site's drafts). */
static char *drafts_dir(const char *output)
{
	struct buf b = BUF_INIT(0);
	size_t n = strlen(output);

	while (n > 1 && output[n - 1] == '/')
		n--;
	while (n > 0 && output[n - 1] != '/')
		n--;
	buf_add(&b, output, n);
	buf_addstr(&b, "_drafts");
	if (b.failed) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

int import_run(char *const *sources, size_t n, const struct import_opts *opts,
               struct import_stats *stats, struct m2j_err *err)
{
	struct import_opts run = *opts, *o = &run; /* plus this run's downloader */
	struct store *st = NULL, *also = NULL;
	struct buf json = BUF_INIT(0);
	char *drafts = NULL;
	const char *out_dir = o->output;
	size_t i;
	int rc;

	memset(stats, 0, sizeof *stats);
	if (!(drafts = drafts_dir(o->output)))
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	if (o->drafts)
		out_dir = drafts;
	if ((rc = import_images_open(o, err))) {
		free(drafts);
		return rc;
	}
	if ((rc = store_open(out_dir, (o->dry_run ? STORE_DRY_RUN : 0) |
	                              (o->wait_lock ? STORE_WAIT : 0), &st, err)) ||
	    /* presence is also found in the other folder: a draft once
	     * published, a post once drafted */
	    (rc = store_open(o->drafts ? o->output : drafts, STORE_DRY_RUN, &also, err))) {
		store_close(st);
		images_free(o->images);
		free(drafts);
		return rc;
	}
	store_set_batch(st, true);
	site_layout_warning(out_dir, o->post.layout);
	for (i = 0; i < n; i++) {
		const char *src = sources[i];
		const char *label = strcmp(src, "-") == 0 ? "(stdin)" : src;
		struct import_stats before = *stats;
		struct buf body = BUF_INIT(0);
		struct feed *f = NULL;
		struct import_src meta;
		struct pipe_ctx c;
		struct pipe_stats ps;
		struct m2j_err e;

		stats->sources++;
		m2j_err_clear(&e);
		rc = import_load(src, o, &body, &meta, &e);
		if (rc == 0)
			rc = feed_parse_url(body.data, body.len, meta.charset, meta.url, &f, &e);
		buf_release(&body);
		if (rc) {
			stats->sources_failed++;
			msg_error("%s: %s", label, e.msg);
			if (o->json)
				json_source(&json, src, e.msg, &before, stats);
			import_src_release(&meta);
			if (rc == M2J_ENOMEM)
				break;
			rc = 0;
			continue;
		}
		if (f->repairs)
			msg_note("%s: repaired: %s", label, f->repairs);
		memset(&c, 0, sizeof c);
		memset(&ps, 0, sizeof ps);
		c.label = label;
		c.is_medium = f->is_medium;
		c.post = &o->post;
		c.store = st;
		c.also = also;
		c.output = out_dir;
		c.images = o->images;
		c.include_responses = o->include_responses;
		c.dry_run = o->dry_run;
		c.drafts = o->drafts;
		c.force = o->force;
		c.has_since = o->has_since;
		c.since = o->since;
		c.limit = o->limit;
		pipeline_fallback_date(&c, meta.last_modified);
		rc = pipeline_run(&c, f->items, f->nitems, &ps, &e);
		import_stats_add(stats, &ps);
		if (rc)
			msg_error("%s: %s", label, e.msg);
		if (f->dropped) {
			char m[200];

			stats->sources_cut++;
			feed_dropped_msg(f, m, sizeof m);
			msg_error("%s: %s", label, m);
		}
		feed_free(f);
		import_src_release(&meta);
		if (o->json)
			json_source(&json, src, NULL, &before, stats);
		msg_progress("%zu of %zu sources, %zu posts written", i + 1, n, stats->written);
		if (rc == M2J_ENOMEM)
			break;
		rc = 0;
	}
	msg_progress_done();
	if (!rc)
		rc = store_flush(st, err);
	else
		m2j_err_set(err, rc, "out of memory");
	store_close(st);
	store_close(also);
	free(drafts);
	images_free(o->images);
	if (o->json) {
		struct buf out = BUF_INIT(0);

		buf_addstr(&out, "{\"sources\":[");
		buf_add(&out, json.data, json.len);
		buf_addf(&out, "\n],\"written\":%zu,\"present\":%zu,\"failed\":%zu,"
		         "\"sources_failed\":%zu}\n", stats->written, stats->present, stats->failed,
		         stats->sources_failed);
		if (!out.failed)
			msg_print(out.data, out.len);
		buf_release(&out);
	}
	buf_release(&json);
	return rc;
}
