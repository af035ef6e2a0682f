/* import.c - the import pipeline (see import.h). */
#include "import.h"
#include "caps.h"
#include "fetch.h"
#include "images.h"
#include "json.h"
#include "msg.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int import_load(const char *source, const struct import_opts *o, struct buf *body,
                char **charset, struct m2j_err *err)
{
	struct fetch_opts fo;
	struct fetch_result r;
	struct buf url = BUF_INIT(0);
	int rc;

	*charset = NULL;
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
	buf_release(&url);
	if (rc == 0) {
		buf_release(body);
		*body = r.body;
		buf_init(&r.body, 0);
		*charset = r.charset;
		r.charset = NULL;
	}
	fetch_result_release(&r);
	return rc;
}

static void drop_report(void *ctx, const char *what)
{
	const struct feed_item *it = ctx;

	msg_note("item \"%s\": %s", post_item_label(it), what);
}

static void image_warn(void *ctx, const char *msg)
{
	(void)ctx;
	msg_warn("%s", msg); /* msg starts with "image URL: " */
}

/* Registers the images of the items about to be written and downloads
 * them (one fetch_many for the feed). */
static void fetch_images(const struct feed *f, const struct import_opts *o, struct store *st,
                         const char *label)
{
	struct m2j_err err = { 0, "" };
	size_t i;

	for (i = 0; i < f->nitems; i++) {
		const struct feed_item *it = &f->items[i];
		char id[13];

		if (!post_medium_id(f, it, id))
			id[0] = '\0';
		if (store_find(st, id, it->link ? it->link : it->guid, &err) || !it->html)
			continue;
		if (images_collect(o->images, it->html, strlen(it->html),
		                   it->base ? it->base : it->link, &err) != 0)
			break;
	}
	if (!err.code)
		images_fetch(o->images, image_warn, NULL, &err);
	if (err.code)
		msg_error("%s: images: %s", label, err.msg);
}

void import_items(const struct feed *f, const char *label, const struct import_opts *o,
                  struct store *st, struct import_stats *stats)
{
	struct m2j_err err;
	size_t i;

	if (o->images)
		fetch_images(f, o, st, label);
	for (i = 0; i < f->nitems; i++) {
		const struct feed_item *it = &f->items[i];
		struct post_opts po = o->post;
		struct post p;
		const char *have, *name;
		char id[13];
		bool response = false;

		m2j_err_clear(&err);
		if (!o->include_responses && post_is_response(f, it, &response, &err)) {
			stats->failed++;
			msg_error("%s: item \"%s\": %s", label, post_item_label(it), err.msg);
			continue;
		}
		if (response) {
			stats->responses++;
			msg_note("%s: item \"%s\": a response, skipped (--include-responses imports it)",
			         label, post_item_label(it));
			continue;
		}
		if (post_is_preview(it)) {
			if (o->post.member_only == POST_MEMBER_SKIP) {
				stats->previews++;
				msg_note("%s: item \"%s\": a member-only preview, skipped (--member-only skip)",
				         label, post_item_label(it));
				continue;
			}
			msg_note("%s: item \"%s\": a member-only preview: imported as a stub ending "
			         "with a link to the whole post", label, post_item_label(it));
		}
		if (!post_medium_id(f, it, id))
			id[0] = '\0';
		have = store_find(st, id, it->link ? it->link : it->guid, &err);
		if (!have && err.code) {
			stats->failed++;
			msg_error("%s: %s", label, err.msg);
			continue;
		}
		if (have) {
			stats->present++;
			msg_note("%s: item \"%s\": already present as %s", label, post_item_label(it), have);
			continue;
		}
		if (!po.conv.base_url)
			po.conv.base_url = it->base ? it->base : it->link;
		if (o->images) {
			po.conv.rewrite_url = images_rewrite;
			po.conv.rewrite_ctx = o->images;
		}
		po.conv.report = drop_report;
		po.conv.report_ctx = (void *)(uintptr_t)it;
		if (post_build(f, it, &po, &p, &err) != 0) {
			stats->failed++;
			msg_error("%s: item \"%s\": %s", label, post_item_label(it), err.msg);
			continue;
		}
		if (store_add(st, p.base, p.medium_id, p.link, p.text.data, p.text.len, o->dry_run,
		              &name, &err) != 0) {
			stats->failed++;
			msg_error("%s: item \"%s\": %s", label, post_item_label(it), err.msg);
			if (err.code == M2J_ENOSPACE) {
				/* nothing more can be written: say so once */
				post_release(&p);
				stats->failed += f->nitems - i - 1;
				msg_error("%s: %zu more item(s) not written: the disk is full", label,
				          f->nitems - i - 1);
				return;
			}
		} else {
			stats->written++;
			msg_out("%s %s/%s", o->dry_run ? "would write" : "wrote", o->output, name);
		}
		post_release(&p);
	}
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

int import_run(char *const *sources, size_t n, const struct import_opts *opts,
               struct import_stats *stats, struct m2j_err *err)
{
	struct import_opts run = *opts, *o = &run; /* plus this run's downloader */
	struct store *st = NULL;
	struct buf json = BUF_INIT(0);
	size_t i;
	int rc;

	memset(stats, 0, sizeof *stats);
	if ((rc = import_images_open(o, err)))
		return rc;
	if ((rc = store_open(o->output, o->dry_run, &st, err))) {
		images_free(o->images);
		return rc;
	}
	store_set_batch(st, true);
	for (i = 0; i < n; i++) {
		const char *src = sources[i];
		struct import_stats before = *stats;
		struct buf body = BUF_INIT(0);
		struct feed *f = NULL;
		struct m2j_err e;
		char *charset = NULL;

		stats->sources++;
		m2j_err_clear(&e);
		rc = import_load(src, o, &body, &charset, &e);
		if (rc == 0)
			rc = feed_parse(body.data, body.len, charset, &f, &e);
		buf_release(&body);
		free(charset);
		if (rc) {
			stats->sources_failed++;
			msg_error("%s: %s", strcmp(src, "-") == 0 ? "(stdin)" : src, e.msg);
			if (o->json)
				json_source(&json, src, e.msg, &before, stats);
			continue;
		}
		if (f->dropped)
			msg_warn("%s: %zu items past the limit of %d were ignored", src, f->dropped,
			         CAP_FEED_ITEMS);
		import_items(f, strcmp(src, "-") == 0 ? "(stdin)" : src, o, st, stats);
		feed_free(f);
		if (o->json)
			json_source(&json, src, NULL, &before, stats);
		msg_progress("%zu of %zu sources, %zu posts written", i + 1, n, stats->written);
	}
	msg_progress_done();
	rc = store_flush(st, err);
	store_close(st);
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
