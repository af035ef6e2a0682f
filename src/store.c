/* store.c - the posts folder (see store.h). */
#define _GNU_SOURCE 1 /* syncfs(2) */
#include "store.h"
#include "caps.h"
#include "frontmatter.h"
#include "fsatomic.h"
#include "ident.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>


int store_open(const char *dir, unsigned flags, struct store **out, struct m2j_err *err)
{
	bool dry_run = flags & STORE_DRY_RUN;
	struct store *s;
	int rc;

	s = calloc(1, sizeof *s);
	if (!s)
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	s->dirfd = -1;
	s->dir = strdup(dir);
	if (!s->dir) {
		free(s);
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	}
	if (!dry_run && (rc = fsatomic_mkdirs(dir, err))) {
		store_close(s);
		return rc;
	}
	s->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->dirfd < 0 && !(dry_run && errno == ENOENT)) {
		rc = m2j_err_set(err, M2J_EIO, "cannot open output folder %s: %s", dir, strerror(errno));
		store_close(s);
		return rc;
	}
	if (s->dirfd >= 0 && !(s->real = realpath(dir, NULL))) {
		rc = errno == ENOMEM ? m2j_err_set(err, M2J_ENOMEM, "out of memory")
		     : m2j_err_set(err, M2J_EIO, "cannot resolve %s: %s", dir, strerror(errno));
		store_close(s);
		return rc;
	}
	if (!dry_run) {
		int op = (flags & STORE_WAIT) ? LOCK_EX : LOCK_EX | LOCK_NB;

		while (flock(s->dirfd, op) != 0) {
			if (errno == EINTR)
				continue;
			rc = errno == EWOULDBLOCK
			     ? m2j_err_set(err, M2J_ELOCKED, "another run is writing into %s "
			                   "(--wait waits for it)", dir)
			     : m2j_err_set(err, M2J_EIO, "cannot lock %s: %s", dir, strerror(errno));
			store_close(s);
			return rc;
		}
		/* a run that died left its temporaries: they go now, whether or
		 * not this run writes anything */
		fsatomic_clean_stale(s->dirfd);
	}
	*out = s;
	return 0;
}

void store_close(struct store *s)
{
	size_t i;

	if (!s)
		return;
	if (s->dirfd >= 0)
		close(s->dirfd);
	for (i = 0; i < s->nposts; i++)
		free(s->posts[i].name);
	free(s->posts);
	strmap_release(&s->keys);
	strmap_release(&s->names);
	free(s->dir);
	free(s->real);
	free(s);
}

static int add_post(struct store *s, const char *name, size_t *idx)
{
	if (s->nposts == s->capposts) {
		size_t nc = s->capposts ? s->capposts * 2 : 64;
		struct store_post *np = realloc(s->posts, nc * sizeof *np);

		if (!np)
			return -1;
		s->posts = np;
		s->capposts = nc;
	}
	s->posts[s->nposts].name = strdup(name);
	if (!s->posts[s->nposts].name || strmap_put(&s->names, name, s->nposts))
		return -1;
	*idx = s->nposts++;
	return 0;
}

/* A post is indexed under its key, and, when it records no guid, under its
 * link too (ident.h: only guid-less posts answer a link lookup). */
static int add_keys(struct store *s, size_t idx, const struct ident *id)
{
	if (id->key && strmap_put(&s->keys, id->key, idx))
		return -1;
	if (!id->guid && id->fallback && strmap_put(&s->keys, id->fallback, idx))
		return -1;
	return 0;
}

/* The identity a post records. */
static int post_ident(const char *medium_id, const char *guid, const char *link,
                      struct ident *id)
{
	struct ident_src src;

	memset(&src, 0, sizeof src);
	src.medium_id = medium_id;
	src.medium_links = true; /* a post's own link tells its Medium id, whatever the domain */
	src.guid = guid;
	src.link = link;
	return ident_make(&src, id);
}

/* Reads name into out: the whole file (up to CAP_POST_READ), or with head
 * only its first CAP_FRONT_MATTER bytes (a post's front matter). */
static int read_at(int dirfd, const char *name, bool head, struct buf *out,
                   struct m2j_err *err)
{
	struct stat st;
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return m2j_err_set(err, M2J_EIO, "cannot open %s: %s", name, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return m2j_err_set(err, M2J_EUNSAFE, "%s is not a regular file", name);
	}
	if (head) {
		size_t want = (size_t)st.st_size < CAP_FRONT_MATTER ? (size_t)st.st_size
		                                                    : CAP_FRONT_MATTER;

		out->max = CAP_FRONT_MATTER + 1;
		if (buf_grow(out, want + 1)) {
			close(fd);
			return m2j_err_set(err, M2J_ENOMEM, "out of memory");
		}
		while (out->len < want) {
			ssize_t r = read(fd, out->data + out->len, want - out->len);

			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0) {
				rc = m2j_err_set(err, M2J_EIO, "cannot read %s: %s", name, strerror(errno));
				break;
			}
			if (r == 0)
				break;
			out->len += (size_t)r;
		}
		out->data[out->len] = '\0';
		close(fd);
		return rc;
	}
	out->max = CAP_POST_READ;
	if (buf_read_fd(out, fd) != 0)
		rc = out->too_big ? m2j_err_set(err, M2J_ELIMIT, "cannot read %s: too large", name)
		     : out->failed ? m2j_err_set(err, M2J_ENOMEM, "out of memory")
		     : m2j_err_set(err, M2J_EIO, "cannot read %s: %s", name, strerror(errno));
	close(fd);
	return rc;
}

static bool is_post_name(const char *n)
{
	size_t l = strlen(n);

	if (n[0] == '.')
		return false;
	return (l > 3 && strcmp(n + l - 3, ".md") == 0) ||
	       (l > 9 && strcmp(n + l - 9, ".markdown") == 0) ||
	       (l > 5 && strcmp(n + l - 5, ".html") == 0);
}

static int index_dir(struct store *s, int dfd, const char *prefix, int depth, struct m2j_err *err)
{
	static const char *const keys[] = { "original_link", "medium_id", "guid" };
	DIR *d;
	struct dirent *de;
	struct buf text = BUF_INIT(CAP_FRONT_MATTER + 1);
	struct m2j_err e;
	int fd = dup(dfd), rc = 0;

	if (fd < 0 || !(d = fdopendir(fd))) {
		int saved = errno;

		if (fd >= 0)
			close(fd);
		if (saved == ENOMEM)
			return m2j_err_set(err, M2J_ENOMEM, "out of memory");
		return m2j_err_set(err, M2J_EIO, "cannot read folder %s: %s", s->dir, strerror(saved));
	}
	rewinddir(d); /* a dup shares the offset of a folder read before */
	while ((de = readdir(d)) != NULL && !rc) {
		char name[CAP_PATH_LEN], *vals[3] = { NULL, NULL, NULL };
		struct ident id;
		struct stat st;
		size_t idx;

		if (de->d_name[0] == '.')
			continue;
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if ((size_t)snprintf(name, sizeof name, "%s%s", prefix, de->d_name) >= sizeof name)
			continue;
		if (S_ISDIR(st.st_mode) && depth < 4) {
			int sub = openat(dfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			char pre[CAP_PATH_LEN];

			if (sub >= 0) {
				if ((size_t)snprintf(pre, sizeof pre, "%s/", name) < sizeof pre)
					rc = index_dir(s, sub, pre, depth + 1, err);
				close(sub);
			}
			continue;
		}
		if (!S_ISREG(st.st_mode) || !is_post_name(de->d_name))
			continue;
		buf_reset(&text);
		/* a post that cannot be opened or read now (I/O error, no
		 * memory) may hold an item: going on would write it again */
		m2j_err_clear(&e);
		rc = read_at(dfd, de->d_name, true, &text, &e);
		if (rc == 0)
			rc = frontmatter_read(text.data, text.len, keys, 3, vals, NULL, &e);
		if (rc == M2J_EIO || rc == M2J_ENOMEM) {
			rc = m2j_err_set(err, rc, "%s%s", rc == M2J_EIO ? "cannot index the output folder: "
			                                                  : "", e.msg);
			break;
		}
		if (rc != 0) {
			/* no front matter, not a mapping, too large: not ours */
			rc = 0;
			s->unreadable++;
			if (add_post(s, name, &idx))
				rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
			continue;
		}
		if (post_ident(vals[1], vals[2], vals[0], &id) || add_post(s, name, &idx) ||
		    add_keys(s, idx, &id))
			rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
		ident_release(&id);
		free(vals[0]);
		free(vals[1]);
		free(vals[2]);
	}
	closedir(d);
	buf_release(&text);
	return rc;
}

/* A failed index is half-built: what is present is unknown, so the failure
 * sticks and no item can be written as new afterwards. */
static int ensure_index(struct store *s, struct m2j_err *err)
{
	if (s->indexed) {
		if (s->index_err.code && err)
			*err = s->index_err;
		return s->index_err.code;
	}
	s->indexed = true;
	if (s->dirfd < 0)
		return 0;
	if (index_dir(s, s->dirfd, "", 0, &s->index_err) != 0 && err)
		*err = s->index_err;
	return s->index_err.code;
}

const char *store_find(struct store *s, const struct ident *id, struct m2j_err *err)
{
	size_t idx;

	if (ensure_index(s, err))
		return NULL;
	if ((id->key && strmap_get(&s->keys, id->key, &idx)) ||
	    (id->fallback && strmap_get(&s->keys, id->fallback, &idx)))
		return s->posts[idx].name;
	return NULL;
}

static void sync_dir(struct store *s)
{
	s->dirty = true;
	if (!s->batch)
		fsync(s->dirfd);
}

void store_set_batch(struct store *s, bool on)
{
	s->batch = on;
}

int store_flush(struct store *s, struct m2j_err *err)
{
	if (!s->dirty || s->dirfd < 0)
		return 0;
	s->dirty = false;
	if (syncfs(s->dirfd) != 0 || fsync(s->dirfd) != 0)
		return m2j_err_set(err, errno == ENOSPC ? M2J_ENOSPACE : M2J_EIO,
		                   "cannot flush %s to disk: %s", s->dir, strerror(errno));
	return 0;
}

/* fsatomic_link_free's test: a name the index holds is taken even when
 * its file has gone (a post removed by hand is not written again). */
static bool name_known(const char *name, void *arg)
{
	const struct store *s = arg;

	return strmap_get(&s->names, name, NULL);
}

int store_add(struct store *s, const char *base, const struct ident *id,
              const char *text, size_t len, bool dry_run,
              const char **name, struct m2j_err *err)
{
	char fname[CAP_NAME_LEN + 1], tmp[FSATOMIC_TMP_NAME];
	int rc;
	size_t idx;

	if ((rc = ensure_index(s, err)))
		return rc;
	if (!dry_run && s->dirfd < 0)
		return m2j_err_set(err, M2J_EIO, "output folder %s is not open", s->dir);
	if (!dry_run && (rc = fsatomic_write_tmp(s->dirfd, s->dir, text, len, s->batch, tmp, err)))
		return rc;
	rc = fsatomic_link_free(s->dirfd, s->dir, dry_run ? NULL : tmp, base, ".md",
	                        CAP_NAME_SUFFIXES, name_known, s, fname, sizeof fname, err);
	if (!dry_run) {
		unlinkat(s->dirfd, tmp, 0);
		if (!rc)
			sync_dir(s);
	}
	if (rc)
		return rc;
	if (add_post(s, fname, &idx) || add_keys(s, idx, id))
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	*name = s->posts[idx].name;
	return 0;
}

int store_replace(struct store *s, const char *name, const char *text, size_t len,
                  struct m2j_err *err)
{
	char tmp[FSATOMIC_TMP_NAME];
	struct stat st;
	int rc;

	if (strchr(name, '/') || name[0] == '.')
		return m2j_err_set(err, M2J_EUNSAFE, "refusing to replace %s", name);
	if (fstatat(s->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
		return m2j_err_set(err, M2J_EUNSAFE, "%s/%s is not a regular file", s->dir, name);
	if ((rc = fsatomic_write_tmp(s->dirfd, s->dir, text, len, s->batch, tmp, err)))
		return rc;
	if (renameat(s->dirfd, tmp, s->dirfd, name) != 0) {
		rc = m2j_err_set(err, M2J_EIO, "cannot replace %s/%s: %s", s->dir, name, strerror(errno));
		unlinkat(s->dirfd, tmp, 0);
		return rc;
	}
	sync_dir(s);
	return 0;
}

int store_read(struct store *s, const char *name, struct buf *out, struct m2j_err *err)
{
	if (s->dirfd < 0)
		return m2j_err_set(err, M2J_EIO, "output folder %s is not open", s->dir);
	return read_at(s->dirfd, name, false, out, err);
}
