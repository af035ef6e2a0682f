/* marchive.c - zip members and folder files into memory (see marchive.h).
 * The only file that includes libarchive's headers. */
#include "marchive.h"
#include "buf.h"
#include "caps.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct walk {
	const struct marchive_visitor *v;
	size_t total, members;
	struct buf data;
};

bool marchive_name_safe(const char *name, const char **why)
{
	const char *p = name, *seg;

	if (!name || !*name) {
		*why = "empty name";
		return false;
	}
	if (name[0] == '/' || (((name[0] | 0x20) >= 'a' && (name[0] | 0x20) <= 'z') &&
	                       name[1] == ':')) {
		*why = "absolute path refused";
		return false;
	}
	for (; *p; p++) {
		if (*p == '\\') {
			*why = "backslash in name refused";
			return false;
		}
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			*why = "control character in name refused";
			return false;
		}
	}
	for (seg = name; *seg; ) {
		const char *end = strchr(seg, '/');
		size_t n = end ? (size_t)(end - seg) : strlen(seg);

		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			*why = "path with \"..\" refused";
			return false;
		}
		seg += n;
		if (*seg == '/')
			seg++;
	}
	return true;
}

static bool want(struct walk *w, const char *name)
{
	return !w->v->want || w->v->want(w->v->ctx, name);
}

static int refuse(struct walk *w, const char *name, const char *why)
{
	struct marchive_member m = { name, NULL, 0, why };

	return w->v->visit(w->v->ctx, &m);
}

static int deliver(struct walk *w, const char *name)
{
	struct marchive_member m = { name, w->data.data, w->data.len, NULL };

	return w->v->visit(w->v->ctx, &m);
}

static int count_member(struct walk *w, struct m2j_err *err)
{
	if (++w->members > CAP_ARCHIVE_MEMBERS)
		return m2j_err_set(err, M2J_ELIMIT, "more than %d members: stopped",
		                   CAP_ARCHIVE_MEMBERS);
	return 0;
}

/* ---- zip ---- */

static int zip_member(struct walk *w, struct archive *a, struct archive_entry *e,
                      struct m2j_err *err)
{
	const char *name = archive_entry_pathname_utf8(e);
	const char *why = NULL;
	char chunk[16384];
	int rc;

	if (!name)
		name = archive_entry_pathname(e);
	if ((rc = count_member(w, err)))
		return rc;
	if (!marchive_name_safe(name, &why))
		return refuse(w, name ? name : "(no name)", why);
	if (archive_entry_filetype(e) == AE_IFDIR)
		return 0;
	if (archive_entry_filetype(e) == AE_IFLNK || archive_entry_symlink(e))
		return refuse(w, name, "symbolic link refused");
	if (archive_entry_hardlink(e))
		return refuse(w, name, "hard link refused");
	if (archive_entry_filetype(e) != AE_IFREG)
		return refuse(w, name, "not a regular file");
	if (!want(w, name))
		return 0;
	if (archive_entry_is_encrypted(e))
		return refuse(w, name, "encrypted member refused");
	if (archive_entry_size_is_set(e) && archive_entry_size(e) >= 0 &&
	    (unsigned long long)archive_entry_size(e) > CAP_ARCHIVE_MEMBER_SIZE)
		return refuse(w, name, "larger than the member size cap (16 MiB), not read");
	buf_reset(&w->data);
	for (;;) {
		la_ssize_t n = archive_read_data(a, chunk, sizeof chunk);

		if (n == 0)
			break;
		if (n < 0) {
			const char *m = archive_error_string(a);

			return m2j_err_set(err, M2J_EPARSE,
			                   "%s: cannot decompress (truncated or corrupt zip?): %s",
			                   name, m ? m : "read error");
		}
		w->total += (size_t)n;
		if (w->total > CAP_ARCHIVE_TOTAL_SIZE)
			return m2j_err_set(err, M2J_ELIMIT,
			                   "more than %zu bytes decompressed: stopped (zip bomb?)",
			                   (size_t)CAP_ARCHIVE_TOTAL_SIZE);
		if (w->data.len + (size_t)n > CAP_ARCHIVE_MEMBER_SIZE)
			return refuse(w, name, "decompresses past the member size cap (16 MiB): "
			                       "refused (zip bomb?)");
		if (buf_add(&w->data, chunk, (size_t)n))
			return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	}
	return deliver(w, name);
}

static int walk_zip(struct walk *w, const char *path, struct m2j_err *err)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	int r, rc = 0;

	if (!a)
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	archive_read_support_format_zip(a);
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		const char *m = archive_error_string(a);

		rc = m2j_err_set(err, M2J_EPARSE, "not a zip archive, or a damaged one: %s",
		                 m ? m : "cannot open");
		archive_read_free(a);
		return rc;
	}
	for (;;) {
		r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			const char *m = archive_error_string(a);

			rc = m2j_err_set(err, M2J_EPARSE, "not a readable zip (truncated or corrupt?): %s",
			                 m ? m : "bad member header");
			break;
		}
		if ((rc = zip_member(w, a, e, err)))
			break;
	}
	archive_read_free(a);
	return rc;
}

/* ---- folder ---- */

static int walk_dir(struct walk *w, int dfd, struct buf *path, int depth,
                    struct m2j_err *err);

static int dir_entry(struct walk *w, int dfd, const char *ent, struct buf *path,
                     int depth, struct m2j_err *err)
{
	size_t keep = path->len;
	struct stat st;
	int fd, rc = 0;

	if (path->len)
		buf_addch(path, '/');
	buf_addstr(path, ent);
	if (path->failed) {
		buf_truncate(path, keep);
		return m2j_err_set(err, M2J_ELIMIT, "path too long under the folder");
	}
	if ((rc = count_member(w, err)))
		goto out;
	if (fstatat(dfd, ent, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		rc = refuse(w, path->data, strerror(errno));
		goto out;
	}
	if (S_ISLNK(st.st_mode)) {
		rc = refuse(w, path->data, "symbolic link refused");
	} else if (S_ISDIR(st.st_mode)) {
		if (depth + 1 >= CAP_ARCHIVE_DEPTH) {
			rc = refuse(w, path->data, "folder nested too deep, not walked");
			goto out;
		}
		fd = openat(dfd, ent, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			rc = refuse(w, path->data, strerror(errno));
		else
			rc = walk_dir(w, fd, path, depth + 1, err); /* closes fd */
	} else if (!S_ISREG(st.st_mode)) {
		rc = refuse(w, path->data, "not a regular file");
	} else if (want(w, path->data)) {
		if ((size_t)st.st_size > CAP_ARCHIVE_MEMBER_SIZE) {
			rc = refuse(w, path->data, "larger than the member size cap (16 MiB), not read");
			goto out;
		}
		fd = openat(dfd, ent, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0) {
			rc = refuse(w, path->data, strerror(errno));
			goto out;
		}
		buf_reset(&w->data);
		w->data.max = CAP_ARCHIVE_MEMBER_SIZE;
		if (buf_read_fd(&w->data, fd) != 0) {
			int e = errno;

			close(fd);
			w->data.failed = false;
			rc = refuse(w, path->data, w->data.too_big ? "larger than the member size cap"
			                                           : strerror(e));
			goto out;
		}
		close(fd);
		w->total += w->data.len;
		if (w->total > CAP_ARCHIVE_TOTAL_SIZE)
			rc = m2j_err_set(err, M2J_ELIMIT, "more than %zu bytes read: stopped",
			                 (size_t)CAP_ARCHIVE_TOTAL_SIZE);
		else
			rc = deliver(w, path->data);
	}
out:
	buf_truncate(path, keep);
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walks the folder open as dfd (closed here), members in name order. */
static int walk_dir(struct walk *w, int dfd, struct buf *path, int depth,
                    struct m2j_err *err)
{
	DIR *d = fdopendir(dfd);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (!d) {
		close(dfd);
		return m2j_err_set(err, M2J_EIO, "%s: %s", path->len ? path->data : ".",
		                   strerror(errno));
	}
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			char **nn = n >= CAP_ARCHIVE_MEMBERS ? NULL : realloc(names, nc * sizeof *nn);

			if (!nn) {
				rc = n >= CAP_ARCHIVE_MEMBERS
				             ? m2j_err_set(err, M2J_ELIMIT, "more than %d members: stopped",
				                           CAP_ARCHIVE_MEMBERS)
				             : m2j_err_set(err, M2J_ENOMEM, "out of memory");
				goto out;
			}
			names = nn;
			cap = nc;
		}
		if (!(names[n] = strdup(de->d_name))) {
			rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
			goto out;
		}
		n++;
	}
	if (n)
		qsort(names, n, sizeof *names, cmp_names);
	for (i = 0; i < n && rc == 0; i++)
		rc = dir_entry(w, dirfd(d), names[i], path, depth, err);
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}

bool marchive_is_folder(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int marchive_walk(const char *path, const struct marchive_visitor *v, struct m2j_err *err)
{
	struct walk w;
	int rc;

	memset(&w, 0, sizeof w);
	w.v = v;
	buf_init(&w.data, CAP_ARCHIVE_MEMBER_SIZE + 1);
	if (marchive_is_folder(path)) {
		struct buf rel = BUF_INIT(CAP_PATH_LEN);
		int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (fd < 0) {
			rc = m2j_err_set(err, M2J_EIO, "%s", strerror(errno));
		} else {
			rc = walk_dir(&w, fd, &rel, 0, err);
		}
		buf_release(&rel);
	} else {
		int fd = open(path, O_RDONLY | O_CLOEXEC);

		if (fd < 0) {
			rc = m2j_err_set(err, M2J_EIO, "%s", strerror(errno));
		} else {
			close(fd);
			rc = walk_zip(&w, path, err);
		}
	}
	buf_release(&w.data);
	return rc;
}
