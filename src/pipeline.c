/* pipeline.c - the one per-item path (see pipeline.h). */
#include "pipeline.h"
#include "images.h"
#include "date.h"
#include "frontmatter.h"
#include "ident.h"
#include "msg.h"
#include "strmap.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const item_outcome_names[ITEM__COUNT] = {
	"written", "updated", "present", "response", "preview", "filtered",
	"edited", "unverified", "failed", "no space"
};

/* One item on its way. */
struct job {
	const struct feed_item *it;
	struct feed_item dated;   /* the item with its fallback date, when it had none */
	struct ident id;
	char *link;               /* original_link as written */
	char *ih;                 /* hash of what the item says */
	const char *have;         /* import --force: the post found (borrowed from the store) */
	struct post_src src;      /* its one parsed tree, while it is on its way */
	bool open;                /* src is open */
	bool build;               /* decided: to be built */
	bool preview;             /* a member-only preview (post_src_is_preview) */
	bool filtered;            /* --limit */
	enum item_outcome out;
};

struct run {
	struct pipe_ctx *c;
	struct strmap seen;       /* keys handled this run: a second item of one key is present */
	bool oom;                 /* a state_set failed: the run's records are incomplete */
};

void pipe_created_release(struct pipe_created *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->v[i].path);
		free(c->v[i].title);
		free(c->v[i].link);
		free(c->v[i].feed);
	}
	free(c->v);
	memset(c, 0, sizeof *c);
}

static const struct feed_item *item_of(const struct job *j)
{
	return j->dated.has_date ? &j->dated : j->it;
}

static const char *label_of(const struct job *j)
{
	return post_item_label(j->it);
}

/* A hash of what the item says (title, link, date, body), to see that it
 * changed in the feed; folded field by field, nothing copied. */
static char *item_hash(const struct feed_item *it)
{
	const char *f[4];
	uint64_t h = strmap_hash("", 0);
	char *out = malloc(17);
	size_t i;

	if (!out)
		return NULL;
	f[0] = it->title ? it->title : "";
	f[1] = it->link ? it->link : "";
	f[2] = it->html ? it->html : "";
	f[3] = it->guid ? it->guid : "";
	for (i = 0; i < 4; i++)
		h = strmap_hash_more(h, f[i], strlen(f[i]) + 1);
	if (it->has_date && it->date_source != FEED_DATE_FEED)
		h = strmap_hash_more(h, &it->date, sizeof it->date);
	snprintf(out, 17, "%016llx", (unsigned long long)h);
	return out;
}

/* state_set, remembering a failure: out of memory in the state is an
 * error of the run, never a decision about a post. */
static void rec(struct run *r, char **field, const char *value)
{
	if (state_set(field, value) != 0)
		r->oom = true;
}

struct report_ctx {
	const struct pipe_ctx *c;
	const struct job *j;
};

static void drop_report(void *ctx, const char *what)
{
	const struct report_ctx *rc = ctx;

	msg_note("%s: item \"%s\": %s", rc->c->label, label_of(rc->j), what);
}

/* What the reader must know (content cut or changed): a warning. */
static void drop_warn(void *ctx, const char *what)
{
	const struct report_ctx *rc = ctx;

	msg_warn("%s: item \"%s\": %s", rc->c->label, label_of(rc->j), what);
}

struct dated_index {
	int64_t date;
	size_t i;
};

/* Newest first; equal dates keep the feed's order. */
static int cmp_newest(const void *a, const void *b)
{
	const struct dated_index *x = a, *y = b;

	if (x->date != y->date)
		return x->date > y->date ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* --limit N: the newest N items go on (an undated item counts with the date
 * it will get); the rest are marked filtered.  -1 on out of memory. */
static int mark_limit(const struct pipe_ctx *c, struct job *jobs, size_t n)
{
	struct dated_index *ix;
	size_t i;

	if (!c->limit || n <= c->limit)
		return 0;
	if (!(ix = calloc(n, sizeof *ix)))
		return -1;
	for (i = 0; i < n; i++) {
		const struct feed_item *it = jobs[i].it;

		ix[i].i = i;
		ix[i].date = it->has_date ? it->date
		             : !it->date_raw && c->has_fallback_date ? c->fallback_date : INT64_MIN;
	}
	qsort(ix, n, sizeof *ix, cmp_newest);
	for (i = c->limit; i < n; i++)
		jobs[ix[i].i].filtered = true;
	free(ix);
	return 0;
}

/* The state's record of this item, by its key, else by its fallback (states
 * written before guids were keys). */
static struct state_post *state_find(struct pipe_ctx *c, const struct ident *id)
{
	struct state_post *sp = NULL;

	if (!c->state)
		return NULL;
	if (id->key)
		sp = state_post_get(c->state, id->key, false);
	if (!sp && id->fallback)
		sp = state_post_get(c->state, id->fallback, false);
	return sp;
}

/* Whether a state record is another feed's ("" is an unknown owner, not
 * another feed).  A record of a state written before owners were kept
 * (feed NULL) is this feed's when it names the same guid. */
static bool owned_by_other(const struct pipe_ctx *c, const struct state_post *sp,
                           const struct feed_item *it)
{
	if (!c->feed_id)
		return false;
	if (!sp->feed)
		return !(sp->guid ? it->guid && strcmp(sp->guid, it->guid) == 0 : !it->guid);
	return sp->feed[0] && strcmp(sp->feed, c->feed_id) != 0;
}

/* The item's tree: parsed once, read by every later step. */
static int open_src(struct pipe_ctx *c, struct job *j, size_t i, struct m2j_err *err)
{
	int rc;

	rc = c->open_src ? c->open_src(c->open_ctx, i, c->post, &j->src, err)
	                 : post_src_open(c->is_medium, item_of(j), c->post, &j->src, err);
	if (rc == 0) {
		j->open = true;
		j->src.it = item_of(j); /* the dated copy, when it has one */
	}
	return rc;
}

/* Filters, identity and what we know without parsing; then the parse and
 * the checks that need it (response, member-only preview). */
static int decide(struct run *r, struct job *j, size_t i, struct m2j_err *err)
{
	struct pipe_ctx *c = r->c;
	const struct feed_item *it = j->it;
	struct ident_src src;
	struct state_post *sp;
	bool response = false;

	if (!it->has_date && !it->date_raw && c->has_fallback_date) {
		j->dated = *it;
		j->dated.date = c->fallback_date;
		j->dated.has_date = true;
	}
	if (j->filtered || (c->has_since && item_of(j)->has_date && item_of(j)->date < c->since)) {
		j->out = ITEM_FILTERED;
		msg_note("%s: item \"%s\": %s", c->label, label_of(j),
		         j->filtered ? "older than the newest --limit, skipped"
		                     : "dated before --since, skipped");
		return 0;
	}
	if (post_link(it, c->post, &j->link, err) != 0)
		return err->code;
	memset(&src, 0, sizeof src);
	src.medium_links = c->is_medium;
	src.guid = it->guid;
	src.link = j->link;
	src.title = it->title;
	/* a date the feed lent it moves with the feed: not the item's identity */
	src.date_raw = it->date_source != FEED_DATE_FEED ? it->date_raw : NULL;
	src.body = it->nenclosures ? it->enclosures[0].url : it->html;
	src.synthesise = true;
	if (ident_make(&src, &j->id) != 0 || !(j->ih = item_hash(it)))
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	/* one item per identity and run: the first in the feed's order, whatever
	 * is decided for it (else a later twin could rewrite its post, and the
	 * first rewrite it back on the next run) */
	if (j->id.key) {
		if (strmap_get(&r->seen, j->id.key, NULL)) {
			j->out = ITEM_PRESENT;
			msg_note("%s: item \"%s\": the same item as an earlier one of this run, skipped",
			         c->label, label_of(j));
			return 0;
		}
		if (strmap_put(&r->seen, j->id.key, 0))
			return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	}
	if (c->state) {
		sp = state_find(c, &j->id);
		if (sp && owned_by_other(c, sp, it)) {
			j->out = ITEM_PRESENT;
			msg_note("%s: item \"%s\": claims %s/%s of feed %s: already present, left to "
			         "that feed", c->label, label_of(j), c->output, sp->file ? sp->file : "?",
			         sp->feed && sp->feed[0] ? sp->feed : "(unknown)");
			return 0;
		}
		if (sp && sp->item_hash && strcmp(sp->item_hash, j->ih) == 0 && !c->force) {
			j->out = ITEM_PRESENT; /* unchanged: not even parsed */
			return 0;
		}
	} else {
		/* the other folder (drafts / posts) is only looked in: a post
		 * there is present, even with --force */
		bool elsewhere = false;

		j->have = store_find(c->store, &j->id, err);
		if (!j->have && !err->code && c->also) {
			j->have = store_find(c->also, &j->id, err);
			elsewhere = j->have != NULL;
		}
		if (!j->have && err->code)
			return err->code;
		if (j->have && (elsewhere || !c->force)) {
			j->out = ITEM_PRESENT;
			msg_note("%s: item \"%s\": already present as %s/%s", c->label, label_of(j),
			         elsewhere ? c->also->dir : c->output, j->have);
			return 0;
		}
	}
	if (open_src(c, j, i, err) != 0)
		return err->code;
	if (!c->include_responses) {
		if (post_src_is_response(&j->src, &response, err) != 0)
			return err->code;
		if (response) {
			j->out = ITEM_RESPONSE;
			msg_note("%s: item \"%s\": a response, skipped (--include-responses imports it)",
			         c->label, label_of(j));
			return 0;
		}
	}
	j->preview = post_src_is_preview(&j->src);
	if (j->preview && c->post->member_only == POST_MEMBER_SKIP) {
		j->out = ITEM_PREVIEW;
		msg_note("%s: item \"%s\": a member-only preview, skipped (--member-only skip)",
		         c->label, label_of(j));
		return 0;
	}
	j->build = true;
	return 0;
}

static bool same_bytes(const struct buf *a, const struct buf *b)
{
	return a->len == b->len && memcmp(a->data, b->data, a->len) == 0;
}

/* import --force: a post is still ours when its body and the keys that
 * come from the item (title, date, author, original_link, guid) are what
 * we write now; the keys options set (layout, tags, canonical_url, fields)
 * may differ.  A person's edit to any of the others keeps it.  0 with
 * *ours set, or M2J_ENOMEM (never a decision). */
static int still_ours(const struct buf *cur, const struct buf *now, bool *ours,
                      struct m2j_err *err)
{
	static const char *const keys[] = { "title", "date", "author", "original_link", "guid" };
	char *a[5] = { NULL }, *b[5] = { NULL };
	size_t ao = 0, bo = 0, i;
	int ra, rb = 0, rc = 0;

	*ours = false;
	ra = frontmatter_read(cur->data, cur->len, keys, 5, a, &ao, err);
	if (ra == 0)
		rb = frontmatter_read(now->data, now->len, keys, 5, b, &bo, err);
	if (ra == M2J_ENOMEM || rb == M2J_ENOMEM) {
		rc = M2J_ENOMEM;
	} else if (ra == 0 && rb == 0) {
		/* a post whose front matter does not read back is not ours */
		*ours = cur->len - ao == now->len - bo &&
		        memcmp(cur->data + ao, now->data + bo, now->len - bo) == 0;
		for (i = 0; i < 5 && *ours; i++)
			*ours = (!a[i] && !b[i]) || (a[i] && b[i] && strcmp(a[i], b[i]) == 0);
	}
	for (i = 0; i < 5; i++) {
		free(a[i]);
		free(b[i]);
	}
	return rc;
}

static int add_created(struct pipe_ctx *c, const struct job *j, const char *name)
{
	struct pipe_created *cr = c->created;
	struct pipe_new *nv;
	struct buf path = BUF_INIT(0);

	if (!cr)
		return 0;
	if (cr->n == cr->cap) {
		size_t nc = cr->cap ? cr->cap * 2 : 16;

		if (!(nv = realloc(cr->v, nc * sizeof *nv)))
			return -1;
		cr->v = nv;
		cr->cap = nc;
	}
	nv = &cr->v[cr->n];
	memset(nv, 0, sizeof *nv);
	buf_addf(&path, "%s/%s", c->output, name);
	nv->path = buf_detach(&path, NULL);
	nv->title = strdup(j->it->title ? j->it->title : "");
	nv->link = j->link ? strdup(j->link) : NULL;
	nv->feed = strdup(c->feed_id ? c->feed_id : c->label);
	nv->author = c->post->author;
	nv->date = item_of(j)->date;
	if (!nv->path || !nv->title || (j->link && !nv->link) || !nv->feed) {
		free(nv->path);
		free(nv->title);
		free(nv->link);
		free(nv->feed);
		return -1;
	}
	cr->n++;
	return 0;
}

/* Writes a new post; records it in the state. */
static enum item_outcome write_new(struct run *r, struct job *j, const struct post *p,
                                   const char *th, struct m2j_err *err)
{
	struct pipe_ctx *c = r->c;
	const char *name, *base = p->base;
	struct state_post *sp;

	if (c->drafts && strlen(base) > 11)
		base += 11; /* "YYYY-MM-DD-": a Jekyll draft's name has no date */
	if (store_add(c->store, base, &j->id, p->text.data, p->text.len, c->dry_run, &name,
	              err) != 0)
		return err->code == M2J_ENOSPACE ? ITEM_NOSPACE : ITEM_FAILED;
	msg_out("%s %s/%s", c->dry_run ? "would write" : c->state ? "new" : "wrote", c->output,
	        name);
	if (!c->dry_run && add_created(c, j, name) != 0)
		r->oom = true;
	if (c->state && j->id.key && (sp = state_post_get(c->state, j->id.key, true))) {
		rec(r, &sp->feed, c->feed_id);
		rec(r, &sp->file, name);
		rec(r, &sp->output, c->state_output);
		rec(r, &sp->guid, j->it->guid);
		rec(r, &sp->item_hash, j->ih);
		rec(r, &sp->hash, th);
	} else if (c->state && j->id.key) {
		r->oom = true;
	}
	return ITEM_WRITTEN;
}

static enum item_outcome replace(struct run *r, const char *name, const struct post *p,
                                 struct m2j_err *err)
{
	struct pipe_ctx *c = r->c;

	if (!c->dry_run && store_replace(c->store, name, p->text.data, p->text.len, err) != 0)
		return err->code == M2J_ENOSPACE ? ITEM_NOSPACE : ITEM_FAILED;
	msg_out("%s %s/%s", c->dry_run ? "would update" : "updated", c->output, name);
	return ITEM_UPDATED;
}

/* sync: the item changed (or is new to the state). */
static enum item_outcome sync_built(struct run *r, struct job *j, const struct post *p,
                                    const char *th, struct m2j_err *err)
{
	struct pipe_ctx *c = r->c;
	struct state_post *sp = state_find(c, &j->id);
	struct buf cur = BUF_INIT(0);
	enum item_outcome out;
	const char *have;
	char *curh = NULL;
	bool recorded;

	if (sp && sp->file && sp->output && strcmp(sp->output, c->state_output) == 0) {
		/* recorded from an earlier run */
		struct m2j_err re = { 0, "" };

		if (store_read(c->store, sp->file, &cur, &re) != 0 && re.code == M2J_ENOMEM) {
			r->oom = true; /* out of memory is no reason to think it gone */
			out = ITEM_FAILED;
			goto out;
		}
		if (re.code) {
			msg_note("%s: item \"%s\": %s/%s is gone, not recreated", c->label, label_of(j),
			         c->output, sp->file);
			rec(r, &sp->item_hash, j->ih);
			out = ITEM_PRESENT;
			goto out;
		}
		if (same_bytes(&cur, &p->text)) {
			rec(r, &sp->item_hash, j->ih);
			rec(r, &sp->hash, th);
			rec(r, &sp->feed, c->feed_id);
			out = ITEM_PRESENT;
			goto out;
		}
		if (!(curh = state_hash_hex(cur.data, cur.len))) {
			r->oom = true;
			out = ITEM_FAILED;
			goto out;
		}
		/* the state knows the bytes this feed wrote there */
		recorded = sp->hash && sp->feed && sp->feed[0];
		if (recorded && strcmp(curh, sp->hash) == 0) {
			/* exactly what we wrote: ours, unedited */
			if (!c->update) {
				out = ITEM_PRESENT;
				goto out;
			}
		} else if (recorded && !c->force) {
			msg_warn("%s: item \"%s\" changed in the feed, but %s/%s was edited by hand: "
			         "left alone (--force rewrites it)", c->label, label_of(j), c->output,
			         sp->file);
			rec(r, &sp->item_hash, j->ih);
			out = ITEM_EDITED;
			goto out;
		} else if (!c->force) {
			msg_warn("%s: item \"%s\" changed in the feed; %s/%s is not recorded as our "
			         "text (the state was lost or never had it), so an edit cannot be told "
			         "from our own: left alone (--force rewrites it)", c->label,
			         label_of(j), c->output, sp->file);
			rec(r, &sp->item_hash, j->ih);
			out = ITEM_UNVERIFIED;
			goto out;
		}
		out = replace(r, sp->file, p, err);
		if (out == ITEM_UPDATED) {
			rec(r, &sp->item_hash, j->ih);
			rec(r, &sp->hash, th);
			rec(r, &sp->feed, c->feed_id);
		}
		goto out;
	}
	/* not in the state: in the folder (state lost, imported by hand, or
	 * another feed's post), or new */
	have = store_find(c->store, &j->id, err);
	if (!have && err->code) {
		out = ITEM_FAILED;
		goto out;
	}
	if (have) {
		struct m2j_err re = { 0, "" };
		bool same = store_read(c->store, have, &cur, &re) == 0 && same_bytes(&cur, &p->text);

		if (re.code == M2J_ENOMEM) {
			r->oom = true;
			out = ITEM_FAILED;
			goto out;
		}

		if (!sp && !(sp = state_post_get(c->state, j->id.key, true))) {
			r->oom = true;
			out = ITEM_FAILED;
			goto out;
		}
		rec(r, &sp->file, have);
		rec(r, &sp->output, c->state_output);
		rec(r, &sp->guid, j->it->guid);
		rec(r, &sp->item_hash, j->ih);
		/* ours only when it is exactly what this feed writes; else its
		 * owner is unknown and it is never rewritten without --force */
		rec(r, &sp->feed, same ? c->feed_id : "");
		rec(r, &sp->hash, same ? th : NULL);
		if (!same)
			msg_note("%s: item \"%s\": already present as %s/%s, whose text differs from "
			         "what the feed gives now; with no record that it is ours it is left "
			         "alone", c->label, label_of(j), c->output, have);
		out = ITEM_PRESENT;
		goto out;
	}
	out = write_new(r, j, p, th, err);
out:
	free(curh);
	buf_release(&cur);
	return out;
}

/* import / import-archive: the item is new here, or --force found it. */
static enum item_outcome import_built(struct run *r, struct job *j, const struct post *p,
                                      const char *th, struct m2j_err *err)
{
	struct pipe_ctx *c = r->c;
	struct buf cur = BUF_INIT(0);
	enum item_outcome out;
	const char *have = j->have;
	bool ours;

	if (!have) {
		/* an earlier item of this run may hold it now */
		have = store_find(c->store, &j->id, err);
		if (!have && err->code)
			return ITEM_FAILED;
		if (have) {
			msg_note("%s: item \"%s\": already present as %s/%s", c->label, label_of(j),
			         c->output, have);
			return ITEM_PRESENT;
		}
		return write_new(r, j, p, th, err);
	}
	if (store_read(c->store, have, &cur, err) != 0) {
		out = ITEM_FAILED;
	} else if (same_bytes(&cur, &p->text)) {
		out = ITEM_PRESENT;
	} else if (still_ours(&cur, &p->text, &ours, err) != 0) {
		r->oom = true;
		out = ITEM_FAILED;
	} else if (ours) {
		out = replace(r, have, p, err);
	} else {
		msg_warn("%s: item \"%s\": %s/%s differs from what the item gives (edited by hand, "
		         "or another feed's post): left alone", c->label, label_of(j), c->output,
		         have);
		out = ITEM_EDITED;
	}
	buf_release(&cur);
	return out;
}

static enum item_outcome build(struct run *r, struct job *j, struct m2j_err *err)
{
	struct pipe_ctx *c = r->c;
	struct post_opts po = *c->post;
	struct report_ctx rctx = { c, j };
	struct post p;
	enum item_outcome out;
	char *th;

	if (!po.conv.base_url)
		po.conv.base_url = j->it->base ? j->it->base : j->link ? j->link : j->it->link;
	if (c->images) {
		po.conv.rewrite_url = images_rewrite;
		po.conv.rewrite_ctx = c->images;
	}
	po.conv.report = drop_report;
	po.conv.warn = drop_warn;
	po.conv.report_ctx = &rctx;
	if (j->preview)
		msg_note("%s: item \"%s\": a member-only preview: imported as a stub ending with a "
		         "link to the whole post", c->label, label_of(j));
	if (j->dated.has_date)
		msg_note("%s: item \"%s\": undated; dated %s", c->label, label_of(j),
		         c->fallback_from ? c->fallback_from : "by the feed");
	else if (j->it->date_source == FEED_DATE_FEED)
		msg_note("%s: item \"%s\": undated; dated by the feed's own date", c->label,
		         label_of(j));
	if (post_build(&j->src, &j->id, j->link, &po, &p, err) != 0)
		return err->code == M2J_ENOMEM ? (r->oom = true, ITEM_FAILED) : ITEM_FAILED;
	if (!(th = state_hash_hex(p.text.data, p.text.len))) {
		post_release(&p);
		r->oom = true;
		return ITEM_FAILED;
	}
	out = c->state ? sync_built(r, j, &p, th, err) : import_built(r, j, &p, th, err);
	free(th);
	post_release(&p);
	return out;
}

static void image_warn(void *ctx, const char *msg)
{
	msg_warn("%s: %s", (const char *)ctx, msg);
}

/* Images of the items about to be built: collected from their trees,
 * then fetched at once. */
static void fetch_images(struct pipe_ctx *c, struct job *jobs, size_t n)
{
	struct m2j_err err = { 0, "" };
	size_t i;

	for (i = 0; i < n && !err.code; i++)
		if (jobs[i].build)
			post_src_collect_images(&jobs[i].src, c->images, &err);
	if (!err.code)
		images_fetch(c->images, image_warn, (void *)(uintptr_t)c->label, &err);
	if (err.code)
		msg_warn("%s: images: %s; their URLs are kept", c->label, err.msg);
}

void pipeline_fallback_date(struct pipe_ctx *c, const char *last_modified)
{
	int64_t t;

	c->has_fallback_date = true;
	if (last_modified && date_parse(last_modified, &t) == 0) {
		c->fallback_date = t;
		c->fallback_from = "by the HTTP Last-Modified";
	} else {
		c->fallback_date = (int64_t)time(NULL);
		c->fallback_from = "the day it was first seen";
	}
}

/* decide, its failure reported; *rc set when the run must stop. */
static void decide_one(struct run *r, struct job *j, size_t i, int *rc, struct m2j_err *err)
{
	struct m2j_err e = { 0, "" };

	if (decide(r, j, i, &e) != 0) {
		j->build = false;
		j->out = ITEM_FAILED;
		msg_error("%s: item \"%s\": %s", r->c->label, label_of(j), e.msg);
		if (e.code == M2J_ENOMEM)
			*rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
	}
}

/* build, when decided, then its tree freed; after a full disk (at item
 * *nospace_from) the rest is not tried. */
static void build_one(struct run *r, struct job *j, size_t i, size_t *nospace_from, int *rc,
                      struct m2j_err *err)
{
	struct m2j_err e = { 0, "" };

	if (*rc || !j->build)
		return;
	if (*nospace_from < i) {
		j->out = ITEM_NOSPACE;
		return;
	}
	j->out = build(r, j, &e);
	post_src_close(&j->src); /* done with its tree */
	j->open = false;
	if (j->out == ITEM_FAILED || j->out == ITEM_NOSPACE)
		msg_error("%s: item \"%s\": %s", r->c->label, label_of(j),
		          e.code ? e.msg : "out of memory");
	if (j->out == ITEM_NOSPACE)
		*nospace_from = i;
	if (r->oom)
		*rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
}

int pipeline_run(struct pipe_ctx *c, const struct feed_item *items, size_t n,
                 struct pipe_stats *st, struct m2j_err *err)
{
	struct run r;
	struct job *jobs;
	size_t i, nospace_from = n;
	int rc = 0;

	memset(&r, 0, sizeof r);
	r.c = c;
	if (!n)
		return 0;
	if (!(jobs = calloc(n, sizeof *jobs)))
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	/* state_post pointers stay valid while this run adds its entries */
	if (c->state && state_reserve(c->state, 0, n) != 0) {
		free(jobs);
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++) {
		jobs[i].it = &items[i];
		jobs[i].out = ITEM_FAILED;
	}
	if (mark_limit(c, jobs, n) != 0) {
		free(jobs);
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	}
	/* With images, every item is decided (and parsed) first, so that one
	 * fetch gets the images of all; without, each item is built as soon as
	 * it is decided and its tree freed: one tree at a time, not a feed's. */
	for (i = 0; i < n && !rc; i++) {
		decide_one(&r, &jobs[i], i, &rc, err);
		if (!c->images)
			build_one(&r, &jobs[i], i, &nospace_from, &rc, err);
	}
	if (!rc && c->images) {
		fetch_images(c, jobs, n);
		for (i = 0; i < n && !rc; i++)
			build_one(&r, &jobs[i], i, &nospace_from, &rc, err);
	}
	if (nospace_from < n) {
		size_t more = 0;

		for (i = nospace_from + 1; i < n; i++)
			more += jobs[i].out == ITEM_NOSPACE;
		if (more)
			msg_error("%s: %zu more item(s) not written: the disk is full", c->label, more);
	}
	for (i = 0; i < n; i++) {
		if (jobs[i].open)
			post_src_close(&jobs[i].src);
		st->n[jobs[i].out]++;
		ident_release(&jobs[i].id);
		free(jobs[i].link);
		free(jobs[i].ih);
	}
	strmap_release(&r.seen);
	free(jobs);
	return rc;
}
