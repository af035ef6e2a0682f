/* announce.c - announcement files (see announce.h). */
#include "announce.h"
#include "buf.h"
#include "caps.h"
#include "date.h"
#include "fsatomic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A value of the feed's, on one line: control characters become spaces. */
static void add_value(struct buf *out, const char *v)
{
	for (; v && *v; v++) {
		unsigned char c = (unsigned char)*v;

		buf_addch(out, c < 0x20 || c == 0x7f ? ' ' : c);
	}
}

int announce_render(const char *t, const struct pipe_new *pn, struct buf *out)
{
	char when[40];

	date_format_fm(pn->date, when, sizeof when);
	while (*t) {
		const char *v = NULL;
		size_t n = 0;

		if (t[0] == '{' && t[1] == '{') {
			buf_addch(out, '{');
			t += 2;
			continue;
		}
		if (*t == '{') {
			static const char *const names[] = { "title", "link", "author", "date", "feed",
			                                     "path" };
			const char *vals[6];
			size_t i;

			vals[0] = pn->title;
			vals[1] = pn->link ? pn->link : "";
			vals[2] = pn->author ? pn->author : "";
			vals[3] = when;
			vals[4] = pn->feed;
			vals[5] = pn->path;
			for (i = 0; i < 6; i++) {
				n = strlen(names[i]);
				if (strncmp(t + 1, names[i], n) == 0 && t[1 + n] == '}') {
					v = vals[i];
					break;
				}
			}
			if (v) {
				add_value(out, v);
				t += n + 2;
				continue;
			}
		}
		buf_addch(out, *t++);
	}
	return out->failed ? -1 : 0;
}

/* The name part of a file: [A-Za-z0-9._-] of the author, else of the
 * feed's host. */
static void add_who(struct buf *b, const struct pipe_new *pn)
{
	const char *w = pn->author && pn->author[0] ? pn->author : pn->feed;
	size_t start = b->len;

	if (!(pn->author && pn->author[0]) && strstr(w, "://"))
		w = strstr(w, "://") + 3;
	for (; *w && *w != '/' && b->len - start < 64; w++) {
		char c = *w;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '_' || c == '-')
			buf_addch(b, c);
		else
			buf_addch(b, '_');
	}
	if (b->len == start)
		buf_addstr(b, "feed");
}

int announce_write(const struct config_announce *a, const struct pipe_new *pn, char **name,
                   struct m2j_err *err)
{
	struct buf text = BUF_INIT(0), fn = BUF_INIT(0);
	char tmp[FSATOMIC_TMP_NAME] = "", fname[CAP_NAME_LEN + 1];
	int dfd = -1, rc;

	if (name)
		*name = NULL;
	if ((rc = fsatomic_mkdirs(a->dir, err)))
		return rc;
	if (announce_render(a->template, pn, &text) || buf_addch(&text, '\n')) {
		buf_release(&text);
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	}
	dfd = open(a->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		buf_release(&text);
		return m2j_err_set(err, M2J_EIO, "cannot open %s: %s", a->dir, strerror(errno));
	}
	rc = fsatomic_write_tmp(dfd, a->dir, text.data, text.len, false, tmp, err);
	buf_release(&text);
	if (rc) {
		tmp[0] = '\0'; /* nothing left behind */
	} else {
		buf_addf(&fn, "%lld-", (long long)pn->date);
		add_who(&fn, pn);
		rc = fn.failed ? m2j_err_set(err, M2J_ENOMEM, "out of memory")
		               : fsatomic_link_free(dfd, a->dir, tmp, fn.data, ".txt", CAP_NAME_SUFFIXES,
		                                    NULL, NULL, fname, sizeof fname, err);
	}
	if (tmp[0])
		unlinkat(dfd, tmp, 0);
	if (!rc)
		fsync(dfd);
	close(dfd);
	buf_release(&fn);
	if (!rc && name && !(*name = strdup(fname)))
		rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
	return rc;
}
